"""The client's own rate-limit refusal, every attribute of it, and its bound on a retry.

Written against the mutants that test_rate_limiter.py let live.
"""

from __future__ import annotations

import re

import pytest
from _helpers import API, SECRET, TOKEN_ID, FakeTime

from quoine.client import Quoinex
from quoine.exceptions import (
    QuoineClientRateLimitError,
    QuoineRateLimitError,
    QuoineServerError,
    QuoineValidationError,
)
from quoine.ratelimit import RateLimiter


def test_refusal_carries_the_documented_attributes():
    clock = FakeTime(500.0)
    limit = RateLimiter(1, 10, max_wait=4, clock=clock, sleep=clock.sleep)
    limit.acquire()
    limit.release()
    clock.now += 2.5

    with pytest.raises(QuoineClientRateLimitError) as caught:
        limit.acquire()

    error = caught.value
    message = (
        "rate limit of 1 requests per 10 s: the next slot is 7.5 s away, more than the "
        "4 s this call may wait; nothing was sent"
    )
    assert isinstance(error, QuoineRateLimitError)
    assert error.message == message
    # With or without the class name in front (tracebacks print it already).
    assert str(error) in (message, f"QuoineClientRateLimitError: {message}")
    assert error.retry_after == 7.5
    assert error.status_code == 429
    assert error.response is None
    assert error.request is None
    assert error.body == ""
    assert error.code is None
    assert error.errors is None
    assert error.messages == {"message": message}
    assert clock.slept == []


def test_a_wait_within_max_wait_sleeps_exactly_until_the_slot():
    clock = FakeTime(500.0)
    limit = RateLimiter(1, 10, max_wait=8, clock=clock, sleep=clock.sleep)
    limit.acquire()
    limit.release()
    clock.now += 2.5
    limit.acquire()
    assert clock.slept == [7.5]


def test_the_wait_before_a_retry_is_bounded_by_the_deadline(mocked):
    """Rate limit 1 per 10 s, deadline 6 s: the retry's slot is out of reach.

    The retry is not made and the first attempt's error is raised at once: nothing
    is slept, nothing re-sent.
    """
    clock = FakeTime(500.0)
    limit = RateLimiter(1, 10, clock=clock, sleep=clock.sleep)
    with Quoinex(TOKEN_ID, SECRET, deadline=6, rate_limit=limit) as client:
        client.retry.clock = clock
        mocked.get(f"{API}/products/1", status=502, body="bad gateway")

        with pytest.raises(QuoineServerError) as caught:
            client.get_product(1)

    assert caught.value.status_code == 502
    assert caught.value.attempts == 1
    assert len(mocked.calls) == 1
    assert clock.slept == []


def test_limiter_releases_its_slot_after_a_refused_retry(mocked):
    clock = FakeTime(500.0)
    limit = RateLimiter(2, 10, clock=clock, sleep=clock.sleep)
    with Quoinex(TOKEN_ID, SECRET, deadline=6, rate_limit=limit, max_retries=1) as client:
        client.retry.clock = clock
        mocked.get(f"{API}/products/1", status=502, body="bad gateway")
        mocked.get(f"{API}/products/1", json={"id": 1})
        assert client.get_product(1) == {"id": 1}
    assert limit._in_flight == 0
    assert len(limit._expiries) == 2


def test_a_cool_down_ending_now_lets_the_request_go_without_sleeping():
    clock = FakeTime(500.0)
    limit = RateLimiter(5, 10, clock=clock, sleep=clock.sleep)
    limit.cool_down(3)
    clock.now += 3
    limit.acquire()
    assert clock.slept == []


def test_a_wait_of_a_second_or_more_is_logged_exactly(caplog):
    clock = FakeTime(500.0)
    limit = RateLimiter(1, 10, clock=clock, sleep=clock.sleep)
    limit.acquire()
    limit.release()
    clock.now += 9.5
    limit.acquire()  # 0.5 s: not worth a line
    limit.release()
    clock.now += 1
    limit.acquire()  # 9 s
    assert clock.slept == [0.5, 9.0]
    lines = [r.getMessage() for r in caplog.records if r.name == "quoine"]
    assert lines == ["rate limit: waiting 9.0 s for a slot"]


@pytest.mark.parametrize("max_wait", [0, -5])
def test_a_call_allowed_no_wait_is_refused_at_once(max_wait):
    clock = FakeTime(500.0)
    limit = RateLimiter(1, 10, clock=clock, sleep=clock.sleep)
    limit.acquire()
    limit.release()
    clock.now += 9.5
    with pytest.raises(QuoineClientRateLimitError) as caught:
        limit.acquire(max_wait=max_wait)
    assert caught.value.retry_after == 0.5
    assert clock.slept == []


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"calls": 0}, "calls must be a positive integer, got 0"),
        ({"calls": True}, "calls must be a positive integer, got True"),
        ({"calls": 2.0}, "calls must be a positive integer, got 2.0"),
        ({"period": 0}, "period must be a positive number of seconds, got 0"),
        ({"max_wait": -1}, "max_wait must be a non-negative number of seconds, got -1"),
    ],
)
def test_bad_settings_are_named_exactly(options, message):
    with pytest.raises(QuoineValidationError, match=f"^{re.escape(message)}$"):
        RateLimiter(**options)
