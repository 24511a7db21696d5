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

__all__ = ["ChangeLock", "quietly"]


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
