"""RetryPolicy: which failures are sent again, and after how long."""

from __future__ import annotations

import pytest
import requests
from hypothesis import given
from hypothesis import strategies as st

from quoine._decode import api_error
from quoine._retry import BACKOFF_MAX, RetryPolicy
from quoine.exceptions import (
    QuoineAPIException,
    QuoineConnectionError,
    QuoineNonceError,
    QuoineResponseException,
    QuoineSSLError,
    QuoineTimeoutError,
    QuoineValidationError,
)


def answer(
    status: int, body: bytes = b"{}", headers: dict[str, str] | None = None
) -> QuoineAPIException:
    response = requests.Response()
    response.status_code = status
    response._content = body
    response.headers.update(headers or {})
    return api_error(response)


def policy(**options: object) -> RetryPolicy:
    return RetryPolicy(rand=lambda: 1.0, **options)  # type: ignore[arg-type]


def delay(exc: Exception, idempotent: bool = True, **state: object) -> float | None:
    values = {"retries": 0, "resigned": False, "elapsed": 0.0, **state}
    return policy().delay(exc, idempotent=idempotent, **values)  # type: ignore[arg-type]


NOT_SENT = QuoineConnectionError("refused", sent=False)
SENT = QuoineConnectionError("reset", sent=True)
READ_TIMEOUT = QuoineTimeoutError("read timed out", sent=True)


@pytest.mark.parametrize(
    ("exc", "idempotent", "expected"),
    [
        (NOT_SENT, True, 0.5),
        (NOT_SENT, False, 0.5),  # never left the machine: safe for an order too
        (SENT, True, 0.5),
        (SENT, False, None),  # may have been carried out: never re-sent
        (READ_TIMEOUT, True, 0.5),
        (READ_TIMEOUT, False, None),
        (QuoineSSLError("bad certificate", sent=False), True, None),
        (answer(502), True, 0.5),
        (answer(503), True, 0.5),
        (answer(504), True, 0.5),
        (answer(429), True, 0.5),
        (answer(502), False, None),
        (answer(429), False, None),  # an order placed late is a different trade
        (answer(500), True, None),
        (answer(400), True, None),
        (answer(404), True, None),
        (answer(401, b"API Authentication failed"), True, None),
        (answer(401, b"Nonce is too small"), False, 0.0),
    ],
)
def test_what_is_retried(exc, idempotent, expected):
    assert delay(exc, idempotent) == expected


def test_response_exception_is_not_retried():
    response = requests.Response()
    response.status_code = 200
    response._content = b"<html>"
    assert delay(QuoineResponseException("not json", response)) is None


def test_nonce_error_is_resigned_once_only():
    nonce = answer(401, b"Nonce is too small")
    assert isinstance(nonce, QuoineNonceError)
    assert delay(nonce, False, resigned=False) == 0.0
    assert delay(nonce, False, resigned=True) is None


def test_no_retry_beyond_max_retries_or_when_turned_off():
    assert delay(NOT_SENT, retries=2) == 2.0
    assert delay(NOT_SENT, retries=3) is None
    off = RetryPolicy(max_retries=0)
    assert off.delay(NOT_SENT, idempotent=True, retries=0, resigned=False, elapsed=0) is None
    nonce = answer(401, b"Nonce is too small")
    assert off.delay(nonce, idempotent=True, retries=0, resigned=False, elapsed=0) is None


def test_server_wait_is_honoured_and_capped_by_the_deadline():
    told = answer(503, headers={"Retry-After": "2"})
    assert delay(told) == 2.0
    assert delay(told, elapsed=28.0) == 2.0
    assert delay(told, elapsed=28.5) is None  # would end past the 30 s deadline
    far = answer(429, b'{"message":"API rate limit exceeded. Please retry after 300s"}')
    assert far.retry_after == 300.0
    assert delay(far) is None


def test_backoff_is_not_started_past_the_deadline():
    assert delay(NOT_SENT, retries=2, elapsed=27.9) == 2.0
    assert delay(NOT_SENT, retries=2, elapsed=28.1) is None


@given(st.integers(0, 40), st.floats(0, 1, exclude_max=True), st.floats(0.01, 5))
def test_backoff_is_full_jitter_within_the_cap(retry, draw, factor):
    wait = RetryPolicy(backoff_factor=factor, rand=lambda: draw).backoff(retry)
    assert 0 <= wait <= min(BACKOFF_MAX, factor * 2**retry)


@pytest.mark.parametrize(
    "options",
    [
        {"max_retries": -1},
        {"max_retries": True},
        {"max_retries": 1.5},
        {"backoff_factor": -0.1},
        {"backoff_factor": float("nan")},
        {"deadline": 0},
        {"deadline": float("inf")},
        {"deadline": "30"},
    ],
)
def test_bad_settings_rejected(options):
    with pytest.raises(QuoineValidationError):
        RetryPolicy(**options)


def test_sleep_is_injectable():
    slept: list[float] = []
    RetryPolicy(sleep=slept.append).sleep(1.5)
    assert slept == [1.5]
