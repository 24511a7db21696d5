"""The exchange lock that tells the realtime feed when state may have changed.

:class:`ChangeLock` is a drop-in re-entrant lock (``with lock:``, ``acquire``,
``release``). Every outermost release bumps :attr:`ChangeLock.version` and
wakes :meth:`ChangeLock.wait_change`: every state change of the exchange
happens under its lock, so this is the exchange's only notification point and
nothing else in the exchange needs to know about the feed. A release may also
end a read-only hold; the feed compares snapshots, so a spurious wake-up costs
one snapshot and sends nothing.

The feed's own holds use :meth:`ChangeLock.quiet`, which does not count, so
taking a snapshot does not wake the feed again.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from types import TracebackType
from typing import Any

__all__ = ["ChangeLock", "ChangeSource", "quietly"]


class ChangeLock:
    """A re-entrant lock counting its outermost (non-quiet) releases.

    Example:
        >>> lock = ChangeLock()
        >>> with lock:
        ...     pass
        >>> lock.version
        1
    """

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._depth = 0  # only touched by the owner, while it holds _lock
        self._silent = False
        self._changed = threading.Event()
        self.version = 0

    def acquire(self, blocking: bool = True, timeout: float = -1) -> bool:
        """Acquire like :meth:`threading.RLock.acquire`."""
        if not self._lock.acquire(blocking, timeout):
            return False
        self._depth += 1
        return True

    def release(self) -> None:
        """Release; the outermost release of a non-quiet hold counts as a change."""
        self._depth -= 1
        changed = self._depth == 0 and not self._silent
        if changed:
            self.version += 1
        self._lock.release()
        if changed:
            self._changed.set()

    def __enter__(self) -> bool:
        return self.acquire()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()

    @contextmanager
    def quiet(self) -> Iterator[None]:
        """Hold the lock without counting the hold as a change (for readers)."""
        with self._lock:
            self._depth += 1
            saved, self._silent = self._silent, True
            try:
                yield
            finally:
                self._silent = saved
                self._depth -= 1

    def wait_change(self, seen: int, timeout: float) -> int:
        """Wait until :attr:`version` differs from ``seen`` or ``timeout`` seconds pass.

        Returns:
            The version now (equal to ``seen`` after a timeout).
        """
        if self.version == seen:
            self._changed.wait(timeout)
        self._changed.clear()
        return self.version

    def wake(self) -> None:
        """Wake :meth:`wait_change` now (when its waiter is stopping)."""
        self._changed.set()


def quietly(lock: Any) -> AbstractContextManager[Any]:
    """Hold ``lock`` without counting a change: quiet for a :class:`ChangeLock`, plain otherwise."""
    return lock.quiet() if isinstance(lock, ChangeLock) else lock


class ChangeSource:
    """Where the realtime feed learns that the exchange changed.

    An exchange with a change notification of its own (``version``,
    ``wait_for_change(version, timeout)`` and ``touch()``) is followed through
    it; otherwise its lock must be a :class:`ChangeLock`.

    Args:
        exchange: The exchange.

    Raises:
        TypeError: If the exchange offers neither.
    """

    def __init__(self, exchange: Any) -> None:
        self._exchange = exchange
        self._own = callable(getattr(exchange, "wait_for_change", None))
        if not self._own and not isinstance(exchange.lock, ChangeLock):
            raise TypeError("the exchange needs wait_for_change() or a ChangeLock as its lock")

    def version(self) -> int:
        """The change count now."""
        source = self._exchange if self._own else self._exchange.lock
        return int(source.version)

    def wait(self, seen: int, timeout: float) -> int:
        """Wait until the count differs from ``seen`` (or ``timeout`` seconds); the count."""
        if self._own:
            return int(self._exchange.wait_for_change(seen, timeout))
        return self._exchange.lock.wait_change(seen, timeout)  # type: ignore[no-any-return]

    def wake(self) -> None:
        """Wake a waiter now (it is stopping)."""
        if self._own:
            self._exchange.touch()
        else:
            self._exchange.lock.wake()
