"""A tiny Liquid Tap test client (websockets' sync client) and JWT helpers."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Callable

import jwt
import pytest

pytest.importorskip("websockets")

from websockets.sync.client import ClientConnection, connect

from quoine.sandbox import Sandbox

WAIT = 10.0  # seconds before a test gives up waiting for a frame (never a pass condition)


def forged_token(token_id: str, secret: str, **claims: Any) -> str:
    """A realtime JWT with any claims (``None`` drops a claim)."""
    payload: dict[str, Any] = {"path": "/realtime", "token_id": token_id}
    payload.update(claims)
    return jwt.encode({k: v for k, v in payload.items() if v is not None}, secret, "HS256")


class Tap:
    """One websocket connection speaking JSON frames."""

    def __init__(self, ws: ClientConnection) -> None:
        self.ws = ws
        self.skipped: list[dict[str, Any]] = []  # frames passed over by until()
        self.established = self.recv()

    def send(self, event: str, data: Any = None, **extra: Any) -> None:
        self.ws.send(json.dumps({"event": event, "data": {} if data is None else data, **extra}))

    def recv(self, timeout: float = WAIT) -> dict[str, Any]:
        message = self.ws.recv(timeout=timeout)
        assert isinstance(message, str)
        parsed: dict[str, Any] = json.loads(message)
        return parsed

    def until(self, match: Callable[[dict[str, Any]], bool], limit: int = 2000) -> dict[str, Any]:
        """The first frame that matches, earlier skipped ones first (others are kept)."""
        for i, msg in enumerate(self.skipped):
            if match(msg):
                del self.skipped[i]
                return msg
        for _ in range(limit):
            msg = self.recv()
            if match(msg):
                return msg
            self.skipped.append(msg)
        raise AssertionError("no matching frame")

    def event(self, channel: str, event: str | None = None) -> Any:
        """The decoded ``data`` of the next event on ``channel``."""
        msg = self.until(
            lambda m: (
                m.get("channel") == channel
                and (event is None or m["event"] == event)
                and not m["event"].startswith("pusher")
            )
        )
        assert isinstance(msg["data"], str)
        return json.loads(msg["data"])

    def subscribe(self, channel: str) -> dict[str, Any]:
        self.send("pusher:subscribe", {"channel": channel})
        return self.until(lambda m: m.get("channel") == channel)

    def auth(self, token: str) -> dict[str, Any]:
        self.send("quoine:auth_request", {"path": "/realtime", "headers": {"X-Quoine-Auth": token}})
        return self.until(lambda m: m["event"].startswith("quoine:auth"))


@contextmanager
def tap(sandbox: Sandbox, **options: Any) -> Iterator[Tap]:
    url = sandbox.tap_url
    assert url is not None
    with connect(url, open_timeout=WAIT, **options) as ws:
        yield Tap(ws)


def wait_for(condition: Any, what: str) -> None:
    """Block until ``condition()`` is true (polled on a threading.Event, never a bare sleep)."""
    tick = threading.Event()
    for _ in range(int(WAIT / 0.01)):
        if condition():
            return
        tick.wait(0.01)
    raise AssertionError(f"timed out waiting for {what}")
