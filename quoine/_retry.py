"""When to send a failed request again, and how long to wait first.

The rule that matters: a request that may have changed state on the server is
sent again only when it provably never got there (DNS failure, connection
refused, connect timeout) or the server turned it away before acting on it
(401 "Nonce is too small", re-signed once). Everything else that failed after
sending is the caller's to resolve; for orders the client looks the order up by
its ``client_order_id`` (see :mod:`quoine.endpoints.orders`).
"""

from __future__ import annotations

import math
import random
import time
from typing import Callable

from .exceptions import (
    QuoineAPIException,
    QuoineError,
    QuoineNonceError,
    QuoineSSLError,
    QuoineTransportError,
    QuoineValidationError,
)

__all__ = ["RETRY_STATUSES", "RetryPolicy", "check_seconds"]

#: Answers worth asking again for, for requests that cannot change state.
RETRY_STATUSES = frozenset({429, 502, 503, 504})
#: Longest backoff between two attempts, in seconds.
BACKOFF_MAX = 8.0

_sleep = time.sleep  # looked up at each call, so the test suite can swap it


class RetryPolicy:
    """Retry count, backoff and deadline of one client.

    Args:
        max_retries: Re-sends allowed per call (0 turns retrying off, including
            the nonce re-sign).
        backoff_factor: Base of the exponential backoff in seconds: the n-th retry
            waits a random time in ``[0, min(8, backoff_factor * 2**n)]`` ("full
            jitter"), unless the server said how long to wait.
        deadline: Longest a call may take from its first send to its final answer,
            retries and waits included, in seconds.
        clock: Monotonic time source (injectable for tests).
        sleep: Sleep function (injectable for tests).
        rand: Uniform random number in [0, 1) (injectable for tests).
    """

    def __init__(
        self,
        max_retries: int = 3,
        backoff_factor: float = 0.5,
        deadline: float = 30.0,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], object] | None = None,
        rand: Callable[[], float] = random.random,
    ) -> None:
        if isinstance(max_retries, bool) or not isinstance(max_retries, int) or max_retries < 0:
            raise QuoineValidationError(
                f"max_retries must be a non-negative integer, got {max_retries!r}"
            )
        self.max_retries = max_retries
        self.backoff_factor = check_seconds(backoff_factor, "backoff_factor")
        self.deadline = check_seconds(deadline, "deadline", allow_zero=False)
        self.clock = clock
        self.rand = rand
        self._sleep = sleep

    def sleep(self, seconds: float) -> None:
        """Wait ``seconds`` with the injected sleep, or :func:`time.sleep`."""
        (self._sleep or _sleep)(seconds)

    def backoff(self, retry: int) -> float:
        """A full-jitter wait before retry number ``retry`` (0 for the first)."""
        return self.rand() * min(BACKOFF_MAX, self.backoff_factor * 2.0**retry)

    def delay(
        self,
        exc: QuoineError,
        *,
        idempotent: bool,
        retries: int,
        resigned: bool,
        elapsed: float,
    ) -> float | None:
        """Seconds to wait before sending again after ``exc``, or None to give up.

        Args:
            exc: What the last attempt raised.
            idempotent: The request cannot change state (GET, a cancel).
            retries: Re-sends made so far in this call.
            resigned: The nonce re-sign was already used in this call.
            elapsed: Seconds since the first send of this call.

        Returns:
            The wait, or None when ``exc`` should be raised.
        """
        if retries >= self.max_retries:
            return None
        if isinstance(exc, QuoineNonceError):
            # Rejected at authentication, so not acted on: safe for any request.
            return None if resigned else 0.0
        if not _retryable(exc, idempotent):
            return None
        told = exc.retry_after if isinstance(exc, QuoineAPIException) else None
        wait = told if told is not None else self.backoff(retries)
        # A wait that would overrun the deadline is not worth starting: raise now
        # (a QuoineAPIException still carries retry_after for the caller).
        return wait if elapsed + wait <= self.deadline else None


def _retryable(exc: QuoineError, idempotent: bool) -> bool:
    if isinstance(exc, QuoineSSLError):
        return False  # a certificate problem does not fix itself
    if isinstance(exc, QuoineTransportError):
        return idempotent or not exc.sent
    if isinstance(exc, QuoineAPIException):
        return idempotent and exc.status_code in RETRY_STATUSES
    return False


def check_seconds(value: object, name: str, *, allow_zero: bool = True) -> float:
    """Return ``value`` as float seconds, or raise if it is not a finite number >= 0 (> 0)."""
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float))
        or not math.isfinite(value)
        or value < 0
        or (value == 0 and not allow_zero)
    ):
        kind = "non-negative" if allow_zero else "positive"
        raise QuoineValidationError(f"{name} must be a {kind} number of seconds, got {value!r}")
    return float(value)
