"""A client-side rate limiter: at most N requests in any sliding window of T seconds.

The API allows 300 requests per 5 minutes per token and answers 429 beyond that,
after which it wants nothing for a while ("Please retry after 300s"). Each
client owns a :class:`RateLimiter` (300 per 300 s unless told otherwise) that all
its threads share; pass the same instance to several clients that use one token.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections import deque
from typing import Callable

from ._retry import check_seconds
from .exceptions import QuoineClientRateLimitError, QuoineValidationError

__all__ = ["RateLimiter"]

logger = logging.getLogger("quoine")

# How long to wait before looking again when every slot is held by a request
# still in flight (its slot frees only once it completes).
_IN_FLIGHT_POLL = 0.05


class RateLimiter:
    """Keeps requests under ``calls`` in every sliding window of ``period`` seconds.

    A slot is taken before a request is signed and sent, and stamped with the
    time the request *finished*: a request reaches the server between those two
    moments, so counting from the finish can only be stricter than the server's
    own count. Waiting is bounded: when the next slot is further away than
    ``max_wait`` the limiter raises :class:`~quoine.exceptions.QuoineClientRateLimitError`
    at once instead of sleeping. After the server answers 429, :meth:`cool_down`
    holds every request back until the time it asked for has passed.

    Args:
        calls: Requests allowed per window (300 for a standard API token).
        period: Window length in seconds.
        max_wait: Longest a request may wait for a slot, in seconds; defaults to
            ``period`` (a 429 would make you wait that long anyway). 0 never waits.
        clock: Monotonic time source in seconds (injectable for tests).
        sleep: Sleep function (injectable for tests).

    Example:
        .. code-block:: python

            from quoine.client import Liquid
            from quoine.ratelimit import RateLimiter

            # an account with a raised limit, failing fast instead of waiting
            client = Liquid(token, secret, rate_limit=RateLimiter(600, 300, max_wait=5))
    """

    def __init__(
        self,
        calls: int = 300,
        period: float = 300.0,
        *,
        max_wait: float | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], object] = time.sleep,
    ) -> None:
        if isinstance(calls, bool) or not isinstance(calls, int) or calls < 1:
            raise QuoineValidationError(f"calls must be a positive integer, got {calls!r}")
        self.calls = calls
        self.period = check_seconds(period, "period", allow_zero=False)
        self.max_wait = self.period if max_wait is None else check_seconds(max_wait, "max_wait")
        self._clock = clock
        self._sleep = sleep
        self._finished: deque[float] = deque()  # finish times inside the window
        self._in_flight = 0
        self._cool_until = -math.inf
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return (
            f"RateLimiter(calls={self.calls}, period={self.period:g}, max_wait={self.max_wait:g})"
        )

    def acquire(self, max_wait: float | None = None) -> None:
        """Take a slot, waiting for one if needed; pair with :meth:`release`.

        Args:
            max_wait: A tighter bound than :attr:`max_wait` for this request.

        Raises:
            QuoineClientRateLimitError: The slot is further away than the allowed
                wait (nothing was sent).
        """
        allowed = self.max_wait if max_wait is None else min(self.max_wait, max(max_wait, 0.0))
        give_up_at: float | None = None
        while True:
            with self._lock:
                now = self._clock()
                wait = self._wait_needed(now)
                if wait <= 0:
                    self._in_flight += 1
                    return
            if give_up_at is None:
                give_up_at = now + allowed
            if now + wait > give_up_at:
                raise QuoineClientRateLimitError(
                    f"rate limit of {self.calls} requests per {self.period:g} s: the next "
                    f"slot is {wait:.1f} s away, more than the {allowed:g} s allowed to wait; "
                    "nothing was sent",
                    retry_after=wait,
                )
            if wait >= 1:
                logger.info("rate limit: waiting %.1f s for a slot", wait)
            self._sleep(wait)

    def release(self) -> None:
        """Give back a slot taken by :meth:`acquire` once its request has finished."""
        with self._lock:
            self._in_flight -= 1
            self._finished.append(self._clock())

    def cool_down(self, seconds: float) -> None:
        """Send nothing for ``seconds`` (the server answered 429).

        Args:
            seconds: How long the server asked to wait.
        """
        with self._lock:
            self._cool_until = max(self._cool_until, self._clock() + seconds)

    def _wait_needed(self, now: float) -> float:
        """Seconds until a slot is free (0 or less when one is free now). Lock held."""
        finished = self._finished
        while finished and finished[0] <= now - self.period:
            finished.popleft()
        wait = self._cool_until - now
        excess = self._in_flight + len(finished) - self.calls + 1
        if excess > 0:
            if excess > len(finished):
                wait = max(wait, _IN_FLIGHT_POLL)
            else:
                wait = max(wait, finished[excess - 1] + self.period - now)
        return wait
