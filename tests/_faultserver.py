"""A raw-socket loopback HTTP server whose every answer is scripted by the test.

The sandbox covers faults an exchange would produce; this covers what only a
socket can: bytes dripped one at a time, a body cut short, garbage instead of
HTTP, a 10 MB page, a redirect to a second host. Each connection is read one
request at a time; the script decides what goes back.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Callable


@dataclass
class Request:
    """One request as the server received it."""

    method: str
    target: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Reply:
    """What to do with one request.

    ``raw`` is sent as is (build it with :func:`http`); ``drip`` sends it one
    byte per ``drip`` seconds after the first ``drip_from`` bytes; ``delay``
    waits first; ``close`` hangs up after.
    """

    raw: bytes = b""
    delay: float = 0.0
    drip: float | None = None
    drip_from: int = 0
    close: bool = False


Script = Callable[[Request], Reply]


def http(
    status: int = 200,
    body: bytes | str = b"{}",
    *,
    content_type: str = "application/json",
    headers: dict[str, str] | None = None,
    length: int | None = None,
) -> bytes:
    """An HTTP/1.1 answer; ``length`` overrides Content-Length (to lie about it)."""
    data = body.encode() if isinstance(body, str) else body
    lines = [f"HTTP/1.1 {status} X", f"Content-Type: {content_type}"]
    lines.append(f"Content-Length: {len(data) if length is None else length}")
    lines.extend(f"{k}: {v}" for k, v in (headers or {}).items())
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + data


@dataclass
class FaultServer:
    """Serve ``script`` on 127.0.0.1 at a port the OS picks, in daemon threads."""

    script: Script
    requests: list[Request] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.1)
        self.port: int = self._listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._stop = threading.Event()
        self._conns: list[socket.socket] = []
        self._thread = threading.Thread(target=self._accept, daemon=True)

    def __enter__(self) -> FaultServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(5)
        for conn in self._conns:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
            conn.close()
        self._listener.close()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            self._conns.append(conn)
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        conn.settimeout(10)
        with contextlib.suppress(OSError):
            for request in _read_requests(conn):
                self.requests.append(request)
                reply = self.script(request)
                if reply.delay and self._stop.wait(reply.delay):
                    return
                if reply.drip is None:
                    conn.sendall(reply.raw)
                else:
                    conn.sendall(reply.raw[: reply.drip_from])
                    for i in range(reply.drip_from, len(reply.raw)):
                        conn.sendall(reply.raw[i : i + 1])
                        if self._stop.wait(reply.drip):
                            return
                if reply.close:
                    conn.shutdown(socket.SHUT_RDWR)
                    return


def _read_requests(conn: socket.socket) -> Iterator[Request]:
    buffer = b""
    while True:
        while b"\r\n\r\n" not in buffer:
            chunk = conn.recv(65536)
            if not chunk:
                return
            buffer += chunk
        head, _, buffer = buffer.partition(b"\r\n\r\n")
        first, *lines = head.decode("latin-1").split("\r\n")
        method, target, _ = first.split(" ", 2)
        headers = {}
        for line in lines:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        length = int(headers.get("content-length", "0"))
        while len(buffer) < length:
            chunk = conn.recv(65536)
            if not chunk:
                return
            buffer += chunk
        body, buffer = buffer[:length], buffer[length:]
        yield Request(method, target, headers, body)


def closed_port() -> int:
    """A loopback port with nothing listening (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
