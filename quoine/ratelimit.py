"""A client-side rate limiter: at most N requests in any sliding window of T seconds.

The exchange counts requests per API token (Quoinex and Qryptos documented 300
per 5 minutes, Liquid 600) and answers 429 beyond that, after which it wants
nothing for a while ("Please retry after 300s"). The clients of one token in a
process share one :class:`RateLimiter` by default (see :mod:`quoine.client`).
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

__all__ = ["MAX_COOL_DOWN", "RateLimiter"]

logger = logging.getLogger("quoine")

# How long to wait before looking again when every slot is held by a request
# still in flight (its slot frees only once it completes).
_IN_FLIGHT_POLL = 0.05
#: Longest cool-down one 429 can start, in seconds. A ``Retry-After`` of a date
#: in 2100 or 10**23 seconds must not stop every client of the token for good:
#: after an hour one request goes out, and a real ban answers 429 again.
MAX_COOL_DOWN = 3600.0


class RateLimiter:
    """Keeps requests under ``calls`` in every sliding window of ``period`` seconds.

    A slot is taken before a request is signed and sent, and stamped with the
    time the request *finished*: a request reaches the server between those two
    moments, so counting from the finish can only be stricter than the server's
    own count. Waiting is bounded: when the next slot is further away than the
    call may wait (its deadline, or ``max_wait`` when given), the limiter raises
    :class:`~quoine.exceptions.QuoineClientRateLimitError` at once instead of
    sleeping; a wait longer than a second is logged at WARNING. After the server
    answers 429, :meth:`cool_down` holds every request back until the time it
    asked for has passed.

    Args:
        calls: Requests allowed per window (300 for a standard API token).
        period: Window length in seconds.
        max_wait: Longest a request may wait for a slot, in seconds, whatever
            its call's deadline; 0 never waits. Default None: a client's call
            waits at most what is left of its deadline (one period when
            :meth:`acquire` is called without a bound).
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
        self.max_wait = None if max_wait is None else check_seconds(max_wait, "max_wait")
        self._clock = clock
        self._sleep = sleep
        # When each finished request leaves the window (its finish time plus the
        # period), oldest first. Kept as one sum, so that "has it left?" and "how
        # long until it leaves?" are the same float comparison.
        self._expiries: deque[float] = deque()
        self._in_flight = 0
        self._cool_until = -math.inf
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        wait = "None" if self.max_wait is None else f"{self.max_wait:g}"
        return f"RateLimiter(calls={self.calls}, period={self.period:g}, max_wait={wait})"

    def acquire(self, max_wait: float | None = None) -> float:
        """Take a slot, waiting for one if needed; pair with :meth:`release`.

        Args:
            max_wait: How long this request may wait; default
                :meth:`allowed_wait` (a client passes what that allows within
                its call's deadline).

        Returns:
            The seconds spent waiting (0.0 when a slot was free).

        Raises:
            QuoineClientRateLimitError: The slot is further away than the allowed
                wait (nothing was sent).
        """
        allowed = self.allowed_wait() if max_wait is None else max(max_wait, 0.0)
        started: float | None = None
        while True:
            with self._lock:
                now = self._clock()
                wait = self._wait_needed(now)
                if wait <= 0:
                    self._in_flight += 1
                    return 0.0 if started is None else now - started
            if started is None:
                started = now
                if wait > allowed:
                    raise QuoineClientRateLimitError(
                        f"rate limit of {self.calls} requests per {self.period:g} s: the next "
                        f"slot is {wait:.1f} s away, more than the {allowed:g} s this call may "
                        "wait; nothing was sent",
                        retry_after=wait,
                    )
                if wait > 1:
                    logger.warning("rate limit: waiting %.1f s for a slot", wait)
            elif now + wait > started + allowed:
                raise QuoineClientRateLimitError(
                    f"rate limit of {self.calls} requests per {self.period:g} s: no slot "
                    f"within the {allowed:g} s this call may wait; nothing was sent",
                    retry_after=wait,
                )
            self._sleep(wait)

    def allowed_wait(self, time_left: float | None = None) -> float:
        """How long a request may wait for a slot.

        ``max_wait`` when given, else ``time_left`` (what is left of its
        call's deadline), else one period.
        """
        if self.max_wait is not None:
            return self.max_wait
        return self.period if time_left is None else max(time_left, 0.0)

    def release(self) -> None:
        """Give back a slot taken by :meth:`acquire` once its request has finished."""
        with self._lock:
            self._in_flight -= 1
            self._expiries.append(self._clock() + self.period)

    def cool_down(self, seconds: float) -> None:
        """Send nothing for ``seconds`` (the server answered 429).

        Args:
            seconds: How long the server asked to wait; at most
                :data:`MAX_COOL_DOWN` is honoured (a longer wait is logged at
                WARNING).
        """
        if seconds > MAX_COOL_DOWN:
            logger.warning(
                "the server asked for a %.0f s pause; sending nothing for %.0f s",
                seconds,
                MAX_COOL_DOWN,
            )
            seconds = MAX_COOL_DOWN
        with self._lock:
            self._cool_until = max(self._cool_until, self._clock() + seconds)

    def _wait_needed(self, now: float) -> float:
        """Seconds until a slot is free (0 or less when one is free now). Lock held."""
        expiries = self._expiries
        while expiries and expiries[0] <= now:
            expiries.popleft()
        wait = self._cool_until - now
        excess = self._in_flight + len(expiries) - self.calls + 1
        if excess > 0:
            if excess > len(expiries):
                wait = max(wait, _IN_FLIGHT_POLL)
            else:
                # > 0: expiries[excess - 1] > now, and a float difference keeps the sign
                wait = max(wait, expiries[excess - 1] - now)
        return wait
