"""Fixtures shared by the whole suite."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
import responses
from _helpers import SECRET, TOKEN_ID

from quoine._tokens import registry
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
def _fresh_tokens() -> Iterator[None]:
    """Each test starts with no shared nonces or limiters (a fresh process)."""
    registry.clear()
    yield
    registry.clear()


@pytest.fixture(autouse=True)
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Backoff sleeps of every client, recorded instead of slept.

    Tests that care about the waits read this list; the others run at full speed.
    """
    recorded: list[float] = []
    monkeypatch.setattr("quoine._retry._sleep", recorded.append)
    return recorded


# base64url of {"alg":"HS256","typ":"JWT"}: the start of every X-Quoine-Auth value.
_JWT_HEADER = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."


@pytest.fixture(autouse=True)
def _secret_never_logged(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """Across the whole suite, at DEBUG, no log line carries the secret or a signature."""
    caplog.set_level(logging.DEBUG)
    yield
    text = caplog.text
    assert SECRET not in text, "the API secret was logged"
    assert _JWT_HEADER not in text, "an X-Quoine-Auth value was logged"
