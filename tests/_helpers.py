"""Helpers for asserting what the client put on the wire."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import jwt
import pytest
import responses
from responses import matchers

from quoine.exceptions import QuoineValidationError

API = "https://api.quoine.com"
TOKEN_ID = "1234"
# A canary: it must never show up in a repr, an exception or a log line.
SECRET = "CANARY-secret-5f0d7c1e-9a4b-4c1d-8e2f-0123456789ab"


class Sent:
    """What one recorded call put on the wire, decoded for assertions."""

    def __init__(self, call: Any) -> None:
        request = call.request
        split = urlsplit(request.url)
        self.method: str = request.method
        self.url: str = request.url
        self.path: str = split.path
        self.query_string: str = split.query
        self.query: list[tuple[str, str]] = parse_qsl(split.query, keep_blank_values=True)
        self.headers = request.headers
        raw = request.body
        if isinstance(raw, bytes):
            raw = raw.decode("utf-8")
        self.raw_body: str | None = raw
        self.body: Any = json.loads(raw) if raw else None
        token = request.headers.get("X-Quoine-Auth")
        self.claims: dict[str, Any] | None = (
            jwt.decode(token, SECRET, algorithms=["HS256"]) if token else None
        )
        self.path_url: str = request.path_url


def sent(mock: responses.RequestsMock, index: int = -1) -> Sent:
    """Decode the ``index``-th call recorded by ``mock``."""
    return Sent(mock.calls[index])


def assert_signed(request: Sent) -> None:
    """The request carries a valid JWT over exactly its path and query."""
    assert request.claims is not None, "request is not signed"
    assert set(request.claims) == {"path", "nonce", "token_id"}
    assert request.claims["path"] == request.path_url
    assert request.claims["token_id"] == TOKEN_ID
    assert isinstance(request.claims["nonce"], int)


def assert_public(request: Sent) -> None:
    assert "X-Quoine-Auth" not in request.headers


def assert_request(
    mock: responses.RequestsMock,
    method: str,
    path: str,
    query: Any = (),
    body: Any = None,
    *,
    index: int = -1,
    signed: bool | None = True,
) -> Sent:
    """Check the method, path, query and body of a recorded call, and its signature.

    ``signed=None`` leaves the signature unchecked.
    """
    request = sent(mock, index)
    assert (request.method, request.path, request.query) == (method, path, list(query))
    assert request.body == body
    if signed:
        assert_signed(request)
    elif signed is False:
        assert_public(request)
    return request


def serve_pages(mock: responses.RequestsMock, url: str, pages: Any, **fixed: Any) -> None:
    """Register one answer per page, each only for its own ``page`` query."""
    for number, models in enumerate(pages, start=1):
        query = {**{k: str(v) for k, v in fixed.items()}, "limit": "1000", "page": str(number)}
        mock.get(
            url,
            json={"models": models, "current_page": number, "total_pages": 10000},
            match=[matchers.query_param_matcher(query)],
        )


def assert_rejected(
    mock: responses.RequestsMock, fragment: str, call: Any, *args: Any, **kwargs: Any
) -> None:
    """The call raises QuoineValidationError mentioning ``fragment`` and sends nothing."""
    with pytest.raises(QuoineValidationError, match=re.escape(fragment)):
        call(*args, **kwargs)
    assert len(mock.calls) == 0


# A created order as the exchange answers it, for the order tests' POST /orders.
ORDER = {"id": 2157479, "order_type": "limit", "status": "live", "price": "500.0"}


def post_orders(mock: responses.RequestsMock) -> None:
    """Answer one POST /orders with ``ORDER``."""
    mock.post(f"{API}/orders", json=ORDER)


def order_body(mock: responses.RequestsMock) -> Any:
    """The single POST /orders call: checked for shape and signature, body returned."""
    assert len(mock.calls) == 1
    request = sent(mock)
    assert (request.method, request.path, request.query) == ("POST", "/orders", [])
    assert request.headers["Content-Type"] == "application/json"
    assert_signed(request)
    return request.body


class FakeTime:
    """A fake monotonic clock that moves only when slept on (one thread at a time)."""

    def __init__(self, start: float = 100.0) -> None:
        self.now = start
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds
