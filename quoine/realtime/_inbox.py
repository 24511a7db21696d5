"""The bounded queue between the connection's thread and the reader."""

from __future__ import annotations

import threading
import time
from collections import deque
from typing import Any, Callable

from ._errors import QuoineRealtimeClosed
from ._events import Overflow

__all__ = ["Inbox"]


class Inbox:
    """A bounded FIFO: when full, new items are counted and dropped, not stored.

    The reader then gets an :class:`Overflow` event at the place of the loss,
    telling how many events it missed. :meth:`close` wakes every blocked reader.

    Args:
        limit: Most items held; the queue's memory is bounded by it.
        clock: Monotonic seconds (for the read timeout).
    """

    def __init__(self, limit: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self.dropped_total = 0
        self._items: deque[Any] = deque()
        self._dropped = 0
        self._closed = False
        self._error: BaseException | None = None
        self._clock = clock
        self._ready = threading.Condition(threading.Lock())

    def __len__(self) -> int:
        return len(self._items)

    def put(self, item: Any, *, force: bool = False) -> None:
        """Queue ``item``; drop it if the queue is full, unless ``force``."""
        with self._ready:
            if self._closed:
                return
            if not force and len(self._items) >= self.limit:
                self._dropped += 1
                self.dropped_total += 1
                return
            if self._dropped:
                self._items.append(Overflow(self._dropped))
                self._dropped = 0
            self._items.append(item)
            self._ready.notify()

    def get(self, timeout: float | None) -> Any:
        """The next item, or None after ``timeout`` seconds (None: wait for ever).

        Raises:
            QuoineRealtimeClosed: Closed and nothing is left (or the error the
                queue was closed with, once).
        """
        deadline = None if timeout is None else self._clock() + timeout
        with self._ready:
            while not self._items:
                if self._dropped:
                    dropped, self._dropped = self._dropped, 0
                    return Overflow(dropped)
                if self._closed:
                    error, self._error = self._error, None
                    raise error or QuoineRealtimeClosed("the connection is closed")
                remaining = None if deadline is None else deadline - self._clock()
                if remaining is not None and remaining <= 0:
                    return None
                self._ready.wait(remaining)
            return self._items.popleft()

    def close(self, error: BaseException | None = None, *, discard: bool = False) -> None:
        """Stop taking items and wake every reader; they raise ``error`` once drained."""
        with self._ready:
            if self._closed:
                return
            self._closed = True
            self._error = error
            if discard:
                self._items.clear()
                self._dropped = 0
            self._ready.notify_all()
