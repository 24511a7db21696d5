"""Fixtures for the end-to-end tests: real sandboxes on loopback, real HTTP.

One sandbox serves the whole session (starting one costs a few milliseconds,
but the market maker's book and the executions history are worth sharing). Its
clock is wall time plus an offset that tests may push forward
(:meth:`OffsetClock.advance`) to move withdrawals through their states.

Tests that check balances trade as a fresh, funded user of their own
(:func:`trader`) so that the other tests cannot disturb their numbers.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
import requests

from quoine.client import Quoinex
from quoine.sandbox import Sandbox
from quoine.sandbox.models import User

FUNDS = {"USD": "100000", "JPY": "10000000", "BTC": "10", "ETH": "100"}


class OffsetClock:
    """Wall-clock time plus an offset that only grows."""

    def __init__(self) -> None:
        self.offset = 0.0

    def __call__(self) -> float:
        return time.time() + self.offset

    def advance(self, seconds: float) -> None:
        self.offset += seconds


class RequireTimeout(requests.adapters.HTTPAdapter):
    """Fails any request sent without a positive, finite (connect, read) timeout.

    Every client of these tests sends through it, and the end-to-end tests call
    every public method, so no endpoint can go out without a timeout.
    """

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> Any:
        timeout = kwargs.get("timeout")
        assert isinstance(timeout, tuple) and all(0 < t <= 10 for t in timeout), timeout
        return super().send(request, *args, **kwargs)


def timed_session() -> requests.Session:
    session = requests.Session()
    session.mount("http://", RequireTimeout())
    return session


class Trader:
    """A funded sandbox user and a client signed with its token."""

    def __init__(self, sandbox: Sandbox, user: User) -> None:
        assert user.token_id is not None and user.secret is not None
        self.sandbox = sandbox
        self.user = user
        self.client = Quoinex(
            user.token_id,
            user.secret,
            api_url=sandbox.url,
            rate_limit=None,
            session=timed_session(),
        )

    def balance(self, code: str) -> Decimal:
        with self.sandbox.exchange.lock:
            return self.sandbox.exchange.balance(self.user, code)

    def reserved(self, code: str) -> Decimal:
        with self.sandbox.exchange.lock:
            acct = self.user.accounts.get(code)
            return acct.reserved if acct else Decimal(0)

    def balances(self, *codes: str) -> dict[str, Decimal]:
        return {code: self.balance(code) for code in codes}

    def orders(self) -> list[Any]:
        with self.sandbox.exchange.lock:
            return list(self.user.orders)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the tests marked ``liquid_era`` (features the 2016 API lacked) on that era only."""
    for item in items:
        callspec = getattr(item, "callspec", None)
        era = callspec.params.get("sandbox") if callspec else None
        if era == "quoine" and item.get_closest_marker("liquid_era"):
            item.add_marker(
                pytest.mark.skip(reason="a Liquid-era feature: no 2016 answer shows it")
            )


@pytest.fixture(scope="session")
def clock() -> OffsetClock:
    return OffsetClock()


@pytest.fixture(scope="session", params=["liquid", "quoine"])
def sandbox(clock: OffsetClock, request: pytest.FixtureRequest) -> Iterator[Sandbox]:
    """The exchange, answering in each era's shapes in turn (the sandbox's dialects)."""
    with Sandbox(rate_limit=None, seed=11, clock=clock, dialect=request.param) as sb:
        yield sb


@pytest.fixture(scope="session")
def quoinex(sandbox: Sandbox) -> Iterator[Quoinex]:
    """A client of the sandbox's demo account."""
    # The sandbox enforces no rate limit here; the client's own is tested on its own.
    with Quoinex(
        sandbox.token_id,
        sandbox.secret,
        api_url=sandbox.url,
        rate_limit=None,
        session=timed_session(),
    ) as client:
        yield client


@pytest.fixture
def trader(sandbox: Sandbox, request: pytest.FixtureRequest) -> Iterator[Trader]:
    """A fresh user funded with :data:`FUNDS`, and its client."""
    user = sandbox.exchange.add_user(request.node.name[:40], FUNDS)
    trader = Trader(sandbox, user)
    try:
        yield trader
    finally:
        trader.client.close()
