"""A tiny scripted Liquid Tap server for the client's tests (loopback, OS-picked port)."""

from __future__ import annotations

import contextlib
import json
import socket
import threading
from typing import Any

import jwt
from websockets.exceptions import ConnectionClosed
from websockets.sync.server import ServerConnection, serve

SECRET = "s" * 40  # >= 32 bytes keeps PyJWT quiet
TOKEN_ID = "4242"


class FakeTap:
    """Answers like the reference's behaviour profile; records what clients send.

    Attributes:
        frames: Every frame received, decoded, in order, per connection index.
        auth_payloads: Decoded JWT payloads of every auth request.
        answer_pings: Set False to stop answering ``pusher:ping``.
        refuse_auth: Answer ``quoine:auth_failure`` to every login.
    """

    def __init__(self) -> None:
        self.frames: list[list[dict[str, Any]]] = []
        self.auth_payloads: list[dict[str, Any]] = []
        self.answer_pings = True
        self.refuse_auth = False
        self.refuse_channels: set[str] = set()
        self.unacked: set[str] = set()  # subscribed without a confirmation
        self.hello: str | None = None  # replaces connection_established (None: the usual)
        self.after_ack: list[str] = []  # frames sent right after each confirmation
        self.connections: list[ServerConnection] = []
        self.subscriptions: dict[ServerConnection, set[str]] = {}
        self.lock = threading.Lock()
        self.changed = threading.Condition(self.lock)
        self._server = serve(self._handle, "127.0.0.1", 0, compression=None, ping_interval=None)
        self.port = self._server.socket.getsockname()[1]
        self.url = f"ws://127.0.0.1:{self.port}/app/LiquidTapClient"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def __enter__(self) -> FakeTap:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self) -> None:
        self._server.shutdown()
        self._thread.join(5)

    def _handle(self, conn: ServerConnection) -> None:
        with self.changed:
            index = len(self.connections)
            self.connections.append(conn)
            self.frames.append([])
            self.subscriptions[conn] = set()
            self.changed.notify_all()
        established = json.dumps({"activity_timeout": 120, "socket_id": f"{index}.1"})
        hello = json.dumps({"data": established, "event": "pusher:connection_established"})
        conn.send(self.hello if self.hello is not None else hello)
        try:
            for text in conn:
                frame = json.loads(text)
                with self.changed:
                    self.frames[index].append(frame)
                    self.changed.notify_all()
                self._answer(conn, frame)
        except ConnectionClosed:
            pass
        finally:
            with self.changed:
                self.subscriptions.pop(conn, None)
                self.changed.notify_all()

    def _answer(self, conn: ServerConnection, frame: dict[str, Any]) -> None:
        event, data = frame.get("event"), frame.get("data") or {}
        if event == "pusher:ping" and self.answer_pings:
            conn.send(json.dumps({"data": {}, "event": "pusher:pong"}))
        elif event == "quoine:auth_request":
            token = data["headers"]["X-Quoine-Auth"]
            payload = jwt.decode(token, SECRET, algorithms=["HS256"])
            self.auth_payloads.append(payload)
            ok = payload["token_id"] == TOKEN_ID and not self.refuse_auth
            name = "quoine:auth_success" if ok else "quoine:auth_failure"
            conn.send(
                json.dumps({"data": {} if ok else {"message": "invalid token"}, "event": name})
            )
        elif event == "pusher:subscribe":
            channel = data["channel"]
            if channel in self.refuse_channels:
                error = {"message": "not allowed", "code": 4009}
                conn.send(json.dumps({"channel": channel, "data": error, "event": "pusher:error"}))
                return
            with self.changed:
                self.subscriptions[conn].add(channel)
                self.changed.notify_all()
            if channel in self.unacked:
                return
            ack = {
                "channel": channel,
                "data": {},
                "event": "pusher_internal:subscription_succeeded",
            }
            conn.send(json.dumps(ack))
            for text in self.after_ack:
                conn.send(text)
        elif event == "pusher:unsubscribe":
            with self.changed:
                self.subscriptions[conn].discard(data["channel"])

    # --- driving it from a test ----------------------------------------------------

    def wait_for(self, predicate: Any, timeout: float = 10.0) -> None:
        with self.changed:
            if not self.changed.wait_for(predicate, timeout):
                raise AssertionError("the fake server never saw what the test waited for")

    def wait_subscribed(self, *channels: str, connection: int = -1) -> None:
        def ready() -> bool:
            if not self.connections:
                return False
            conn = self.connections[connection]
            return set(channels) <= self.subscriptions.get(conn, set())

        self.wait_for(ready)

    def publish(self, channel: str, data: Any, event: str = "updated") -> None:
        """Send ``data`` (JSON-encoded into a string) to every subscriber of ``channel``."""
        text = json.dumps({"channel": channel, "data": json.dumps(data), "event": event})
        self.send_raw(text, channel)

    def send_raw(self, text: str | bytes, channel: str | None = None) -> None:
        with self.lock:
            targets = [
                c for c, subs in self.subscriptions.items() if channel is None or channel in subs
            ]
        for conn in targets:
            with contextlib.suppress(ConnectionClosed):
                conn.send(text)

    def drop(self) -> None:
        """Abort every open connection (no closing handshake)."""
        with self.lock:
            targets = list(self.subscriptions)
        for conn in targets:
            # shutdown first: close() alone does not wake the server's own reader
            # thread blocked on the socket, so no FIN would reach the client.
            with contextlib.suppress(OSError):
                conn.socket.shutdown(socket.SHUT_RDWR)
            conn.socket.close()
