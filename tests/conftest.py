"""Fixtures shared by the whole suite."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import responses
from _helpers import SECRET, TOKEN_ID

from quoine.client import Quoinex


@pytest.fixture(autouse=True)
def _no_credentials_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("QUOINE_API_TOKEN_ID", raising=False)
    monkeypatch.delenv("QUOINE_API_SECRET", raising=False)


@pytest.fixture
def mocked() -> Iterator[responses.RequestsMock]:
    """A responses mock in which every registered answer must be used."""
    with responses.RequestsMock(assert_all_requests_are_fired=True) as mock:
        yield mock


@pytest.fixture
def client() -> Iterator[Quoinex]:
    with Quoinex(TOKEN_ID, SECRET) as quoinex:
        yield quoinex


@pytest.fixture
def public_client() -> Iterator[Quoinex]:
    with Quoinex() as quoinex:
        yield quoinex


@pytest.fixture(autouse=True)
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Backoff sleeps of every client, recorded instead of slept.

    Tests that care about the waits read this list; the others run at full speed.
    """
    recorded: list[float] = []
    monkeypatch.setattr("quoine._retry._sleep", recorded.append)
    return recorded
