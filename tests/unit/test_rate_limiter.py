"""RateLimiter: at most N requests in every sliding window, bounded waits, cool-downs."""

from __future__ import annotations

import threading
from bisect import bisect_right

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from quoine.exceptions import (
    QuoineClientRateLimitError,
    QuoineRateLimitError,
    QuoineValidationError,
)
from quoine.ratelimit import RateLimiter


class FakeClock:
    """Shared fake time: a sleeper wakes at the time it asked for, never moving time back.

    Time moves only by :meth:`advance` and :meth:`sleep`. Like a real clock, two
    threads sleeping at once wake at their own wake-up times: the clock goes to
    the later of "now" and the sleeper's wake-up time, not forward by the sum
    of both sleeps. So what the tests measure does not depend on how the
    threads happen to be scheduled.
    """

    def __init__(self) -> None:
        self.now = 1000.0
        self.lock = threading.Lock()
        self.slept: list[float] = []
        self._read_at: dict[int, float] = {}  # per thread: the time it last read

    def __call__(self) -> float:
        with self.lock:
            self._read_at[threading.get_ident()] = self.now
            return self.now

    def sleep(self, seconds: float) -> None:
        with self.lock:
            self.slept.append(seconds)
            since = self._read_at.get(threading.get_ident(), self.now)
            self.now = max(self.now, since + seconds)

    def advance(self, seconds: float) -> None:
        with self.lock:
            self.now += seconds


class WakeUpClock(FakeClock):
    """A fake clock for many sleepers: each wakes at the time it read plus its wait.

    Sleeping threads do not add up: eight threads each waiting 300 s from the same
    moment all wake 300 s later, as on a real clock, however the machine schedules
    them.
    """

    def __init__(self) -> None:
        super().__init__()
        self.read = threading.local()

    def __call__(self) -> float:
        with self.lock:
            self.read.now = self.now
            return self.now

    def sleep(self, seconds: float) -> None:
        with self.lock:
            self.slept.append(seconds)
            self.now = max(self.now, getattr(self.read, "now", self.now) + seconds)


def limiter(
    clock: FakeClock, calls: int = 300, period: float = 300.0, **options: float
) -> RateLimiter:
    return RateLimiter(calls, period, clock=clock, sleep=clock.sleep, **options)


def most_in_any_window(times: list[float], period: float) -> int:
    """The largest number of ``times`` inside any window ending at one of them.

    Half-open like the API's (and the sandbox's) count: a request exactly one
    period old has left the window. "Still inside at ``t``" is ``s + period > t``,
    computed as the limiter computes it, so float rounding cannot make the
    check and the limiter disagree.
    """
    ordered = sorted(times)
    expiries = [s + period for s in ordered]  # sorted too: adding is monotonic
    return max(bisect_right(ordered, t) - bisect_right(expiries, t) for t in ordered)


def fixed_window_peak(times: list[float], period: float) -> int:
    buckets: dict[int, int] = {}
    for t in times:
        buckets[int(t // period)] = buckets.get(int(t // period), 0) + 1
    return max(buckets.values())


def run(
    limit: RateLimiter, clock: FakeClock, count: int, duration: float
) -> tuple[list[float], list[float]]:
    """``count`` requests of ``duration`` seconds each; returns (start, finish) times."""
    starts: list[float] = []
    finishes: list[float] = []
    for _ in range(count):
        limit.acquire()
        starts.append(clock())
        clock.advance(duration)
        finishes.append(clock())
        limit.release()
    return starts, finishes


def test_burst_then_waits_for_the_oldest_to_leave_the_window():
    clock = FakeClock()
    limit = limiter(clock, calls=3, period=10)
    starts, _ = run(limit, clock, 5, 0.5)
    assert starts[:3] == [1000.0, 1000.5, 1001.0]
    # the first request finished at 1000.5, so its slot frees at 1010.5
    assert starts[3] == pytest.approx(1010.5)
    assert starts[4] == pytest.approx(1011.0)


@pytest.mark.case(23)
def test_eight_threads_never_exceed_300_in_any_window_and_keep_the_pace():
    clock = WakeUpClock()
    limit = limiter(clock, max_wait=10_000)
    starts: list[float] = []
    finishes: list[float] = []
    lock = threading.Lock()

    def worker() -> None:
        for _ in range(625):  # 8 x 625 = 5,000 requests
            limit.acquire()
            began = clock()
            clock.advance(0.01)
            with lock:
                starts.append(began)
                finishes.append(clock())
            limit.release()

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(starts) == 5000
    # The server sees each request somewhere between its start and its finish.
    for arrivals in (starts, finishes):
        assert most_in_any_window(arrivals, 300) <= 300
        assert fixed_window_peak(arrivals, 300) <= 300
    elapsed = max(finishes) - min(starts)
    assert 5000 / elapsed * 300 >= 285  # saturated throughput per 300 s


def _seconds(low: int, high: int) -> st.SearchStrategy[float]:
    """Times in 1/64 s: sums stay exact, so the window is checked without float rounding
    (with any float, a wait can land one ulp short of the period, 1e-13 s)."""
    return st.integers(low * 64, high * 64).map(lambda n: n / 64)


@settings(max_examples=60, deadline=None)
@example(
    calls=1, period=1.0525342447076014, steps=[(21.5874889363741, 0.0), (1.05253424470760, 0.0)]
)
@given(
    calls=st.integers(1, 20),
    period=_seconds(1, 100),
    steps=st.lists(st.tuples(_seconds(0, 30), _seconds(0, 5)), min_size=1, max_size=80),
)
@pytest.mark.case(23)
def test_window_property_for_any_request_pattern(calls, period, steps):
    clock = FakeClock()
    limit = limiter(clock, calls=calls, period=period, max_wait=1e9)
    starts: list[float] = []
    for gap, duration in steps:
        clock.advance(gap)
        limit.acquire()
        starts.append(clock())
        clock.advance(duration)
        limit.release()
    assert most_in_any_window(starts, period) <= calls


@pytest.mark.case(24)
def test_wait_longer_than_max_wait_raises_at_once_without_sleeping():
    clock = FakeClock()
    limit = limiter(clock, calls=2, period=300, max_wait=60)
    run(limit, clock, 2, 0.1)
    with pytest.raises(QuoineClientRateLimitError) as info:
        limit.acquire()
    assert clock.slept == []
    assert info.value.retry_after == pytest.approx(299.9)
    assert isinstance(info.value, QuoineRateLimitError)
    assert "nothing was sent" in str(info.value)
    assert limit._in_flight == 0  # a refused request holds no slot


@pytest.mark.case(24)
def test_per_call_bound_tightens_max_wait():
    clock = FakeClock()
    limit = limiter(clock, calls=1, period=10)
    run(limit, clock, 1, 0)
    with pytest.raises(QuoineClientRateLimitError):
        limit.acquire(max_wait=5)
    limit.acquire(max_wait=10)
    assert clock.slept == [10]


@pytest.mark.case(6)
def test_cool_down_holds_every_request_back():
    clock = FakeClock()
    limit = limiter(clock)
    limit.cool_down(300)
    limit.acquire()  # max_wait defaults to the period: waits out the cool-down
    assert clock.slept == [300]
    short = limiter(clock, max_wait=299)
    short.cool_down(300)
    with pytest.raises(QuoineClientRateLimitError) as info:
        short.acquire()
    assert info.value.retry_after == 300


def test_slots_held_in_flight_count_until_released():
    clock = FakeClock()
    limit = limiter(clock, calls=2, period=10, max_wait=0.04)
    limit.acquire()
    limit.acquire()
    # both slots are in flight: there is no finish time to wait for yet
    with pytest.raises(QuoineClientRateLimitError):
        limit.acquire()
    limit.release()
    with pytest.raises(QuoineClientRateLimitError):
        limit.acquire()  # the released slot counts until it leaves the window
    clock.advance(10)
    limit.acquire()


@pytest.mark.parametrize(
    "options",
    [
        {"calls": 0},
        {"calls": True},
        {"calls": 2.5},
        {"period": 0},
        {"period": -1},
        {"max_wait": -1},
        {"max_wait": float("nan")},
    ],
)
def test_bad_settings_rejected(options):
    with pytest.raises(QuoineValidationError):
        RateLimiter(**options)


def test_repr():
    assert repr(RateLimiter(600, 300)) == "RateLimiter(calls=600, period=300, max_wait=None)"
    assert repr(RateLimiter(1, 0.5, max_wait=2)) == "RateLimiter(calls=1, period=0.5, max_wait=2)"


@pytest.mark.case(61)
def test_a_slot_rounding_to_zero_wait_still_counts():
    # finish + period rounds to exactly "now", while now - period stays below finish:
    # the old limiter kept the slot in the window but computed a wait of 0.0.
    clock = FakeClock()
    period = 1.0525342447076014
    clock.now = 1021.5874889363741
    limit = limiter(clock, calls=1, period=period, max_wait=10)
    limit.acquire()
    limit.release()
    clock.now = 1021.5874889363741 + period
    assert clock.now - period < 1021.5874889363741  # the rounding the old code tripped on
    assert limit.acquire() == 0.0  # the slot has left the window: no wait, and...
    assert clock.slept == []
    assert len(limit._expiries) + limit._in_flight == 1  # the old slot was let go, not kept
    limit.release()
    clock.advance(period / 2)
    limit.acquire()  # ...the next one waits for it
    assert clock.slept == [pytest.approx(period / 2)]


@pytest.mark.case(62)
def test_waits_are_bounded_by_the_callers_bound_unless_max_wait_is_given(caplog):
    clock = FakeClock()
    limit = limiter(clock, calls=1, period=300)
    run(limit, clock, 1, 0)
    with pytest.raises(QuoineClientRateLimitError) as info:
        limit.acquire(3)  # a client passes what is left of the deadline
    assert info.value.retry_after == 300
    assert "more than the 3 s this call may wait; nothing was sent" in str(info.value)
    assert clock.slept == []
    patient = limiter(clock, calls=1, period=300, max_wait=300)  # asked to wait
    run(patient, clock, 1, 0)
    assert patient.acquire(patient.allowed_wait(3)) == 300
    assert clock.slept == [300]
    [record] = [r for r in caplog.records if "rate limit" in r.getMessage()]
    assert (record.levelname, record.getMessage()) == (
        "WARNING",
        "rate limit: waiting 300.0 s for a slot",
    )


def test_short_waits_are_not_warned_about(caplog):
    clock = FakeClock()
    limit = limiter(clock, calls=1, period=1)
    run(limit, clock, 2, 0)
    assert clock.slept == [1]
    assert not [r for r in caplog.records if r.levelname == "WARNING"]
