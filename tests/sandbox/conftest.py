"""Shared fixtures for the sandbox's own tests."""

from __future__ import annotations

import io
import itertools
import json
import time
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
import requests

from quoine._auth import encode_jwt_hs256
from quoine.sandbox import Sandbox, SandboxApp


class Api:
    """A tiny signed HTTP client for tests (requests + the client's JWT encoder)."""

    def __init__(self, url: str, token_id: str, secret: str) -> None:
        self.url = url
        self.token_id = token_id
        self.secret = secret
        self.session = requests.Session()
        self._nonce = itertools.count(int(time.time() * 1000))

    def token(self, path: str, **claims: Any) -> str:
        payload = {"path": path, "nonce": next(self._nonce), "token_id": self.token_id}
        payload.update(claims)
        payload = {k: v for k, v in payload.items() if v is not None}
        return encode_jwt_hs256(payload, self.secret)

    def request(
        self, method: str, path: str, body: Any = None, *, signed: bool = True, **claims: Any
    ) -> requests.Response:
        headers = {"X-Quoine-API-Version": "2"}
        if signed:
            headers["X-Quoine-Auth"] = self.token(path, **claims)
        data = None
        if body is not None:
            data = json.dumps(body)
            headers["Content-Type"] = "application/json"
        return self.session.request(method, self.url + path, data=data, headers=headers, timeout=10)

    def get(self, path: str, **kw: Any) -> Any:
        resp = self.request("GET", path, **kw)
        assert resp.status_code == 200, resp.text
        return resp.json(parse_float=Decimal)

    def post(self, path: str, body: Any = None) -> Any:
        resp = self.request("POST", path, body)
        assert resp.status_code == 200, resp.text
        return resp.json(parse_float=Decimal)

    def put(self, path: str, body: Any = None) -> Any:
        resp = self.request("PUT", path, body)
        assert resp.status_code == 200, resp.text
        return resp.json(parse_float=Decimal)

    def order(self, **fields: Any) -> Any:
        return self.post("/orders", {"order": fields})


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    sb = Sandbox(rate_limit=None, seed=7)
    sb.start()
    try:
        yield sb
    finally:
        sb.stop()


@pytest.fixture
def api(sandbox: Sandbox) -> Iterator[Api]:
    client = Api(sandbox.url, sandbox.token_id, sandbox.secret)
    try:
        yield client
    finally:
        client.session.close()


@pytest.fixture
def other(sandbox: Sandbox) -> Iterator[Api]:
    """A second, funded user of the same sandbox."""
    user = sandbox.exchange.add_user("other", {"USD": "100000", "BTC": "10", "ETH": "50"})
    assert user.token_id is not None and user.secret is not None
    client = Api(sandbox.url, user.token_id, user.secret)
    try:
        yield client
    finally:
        client.session.close()


class Clock:
    """A manual clock for deterministic tests."""

    def __init__(self, now: float = 1_600_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def wsgi(
    app: SandboxApp,
    method: str,
    uri: str,
    body: Any = None,
    headers: dict[str, str] | None = None,
    remote: str = "127.0.0.1",
) -> tuple[int, dict[str, str], bytes]:
    """Call a WSGI app in-process."""
    path, _, query = uri.partition("?")
    raw = json.dumps(body).encode() if body is not None else b""
    environ: dict[str, Any] = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "RAW_URI": uri,
        "CONTENT_LENGTH": str(len(raw)),
        "REMOTE_ADDR": remote,
        "wsgi.input": io.BytesIO(raw),
    }
    for key, value in (headers or {}).items():
        environ["HTTP_" + key.upper().replace("-", "_")] = value
    captured: dict[str, Any] = {}

    def start_response(status: str, hdrs: list[tuple[str, str]], exc: Any = None) -> None:
        captured["status"] = int(status.split()[0])
        captured["headers"] = dict(hdrs)

    out = b"".join(app(environ, start_response))
    return captured["status"], captured["headers"], out


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def wsgi_call() -> Any:
    return wsgi


@pytest.fixture
def make_token() -> Any:
    def make(app: SandboxApp, path: str, nonce: Any, **extra: Any) -> str:
        payload = {"path": path, "nonce": nonce, "token_id": app.token_id, **extra}
        return encode_jwt_hs256(payload, app.secret)

    return make
