"""A small threaded HTTP/1.1 (keep-alive) server for the WSGI app, and :class:`Sandbox`."""

from __future__ import annotations

import contextlib
import io
import json
import socket
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import TYPE_CHECKING, Any

from .app import MAX_BODY, REASONS, SandboxApp, content_length, make_app
from .config import SandboxConfig
from .exchange import Exchange
from .faults import FaultInjector, Fired

if TYPE_CHECKING:
    from .tap import TapServer

__all__ = ["Sandbox", "SandboxServer"]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "QuoineSandbox/1.0"
    disable_nagle_algorithm = True
    timeout = 60
    server: SandboxServer

    def log_message(self, format: str, *args: Any) -> None:
        """Silence the default stderr access log."""

    def setup(self) -> None:
        """Track the connection so :meth:`SandboxServer.stop` can close it."""
        super().setup()
        self.server.track(self.connection, True)

    def finish(self) -> None:
        """Untrack the connection."""
        try:
            super().finish()
        finally:
            self.server.track(self.connection, False)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Answer a framing error (bad request line, headers) in the API's JSON shape.

        http.server's own 5xx answers (501 for an unknown method, 505 for an
        unknown HTTP version) are client errors here: 405 and 400.
        """
        self.close_connection = True
        if code >= 500:
            code, message = (405, "Method Not Allowed") if code == 501 else (400, "Bad Request")
        self._answer(code, {"message": message or REASONS.get(code, "Error")})

    def _answer(self, code: int, payload: dict[str, str]) -> None:
        data = json.dumps(payload).encode()
        head = (
            f"HTTP/1.1 {code} {REASONS.get(code, 'Error')}\r\n"
            "Content-Type: application/json; charset=utf-8\r\n"
            f"Content-Length: {len(data)}\r\nConnection: close\r\n\r\n"
        )
        with contextlib.suppress(OSError):
            self.wfile.write(head.encode("latin-1") + data)

    def _framing_error(self) -> tuple[int, str] | None:
        """Why the body cannot be read safely, or None."""
        if self.headers.get("Transfer-Encoding"):
            return 411, "Length Required"
        lengths = self.headers.get_all("Content-Length") or ["0"]
        length = content_length(lengths[0])
        if len(set(lengths)) > 1 or length is None:
            return 400, "Invalid Content-Length"
        if length > MAX_BODY:
            return 413, "Request body too large"
        return None

    def _serve(self) -> None:
        problem = self._framing_error()
        if problem is not None:
            self.close_connection = True
            self._answer(problem[0], {"message": problem[1]})
            return
        length = content_length(self.headers.get("Content-Length") or "0") or 0
        body = self.rfile.read(length) if length > 0 else b""
        path, _, query = self.path.partition("?")
        environ: dict[str, Any] = {
            "REQUEST_METHOD": self.command,
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "RAW_URI": self.path,
            "CONTENT_LENGTH": str(len(body)),
            "CONTENT_TYPE": self.headers.get("Content-Type", ""),
            "REMOTE_ADDR": self.client_address[0],
            "SERVER_PROTOCOL": self.request_version,
            "wsgi.input": io.BytesIO(body),
            "wsgi.url_scheme": "http",
        }
        for key, value in self.headers.items():
            environ["HTTP_" + key.upper().replace("-", "_")] = value
        state: dict[str, Any] = {}

        def start_response(status: str, headers: list[tuple[str, str]], exc: Any = None) -> None:
            state["status"] = status
            state["headers"] = headers

        chunks = self.server.app(environ, start_response)
        payload = b"".join(chunks)
        fired: Fired | None = environ.get("quoine.sandbox.fault")
        if fired is not None and fired.kind in ("drop_before_processing", "drop_after_processing"):
            self._drop()
            return
        if fired is not None and fired.kind == "hang":
            self.server.stopping.wait(fired.delay)
            self._drop()
            return
        head = [f"HTTP/1.1 {state['status']}"]
        head.extend(f"{k}: {v}" for k, v in state["headers"])
        if self.close_connection:
            head.append("Connection: close")
        data = ("\r\n".join(head) + "\r\n\r\n").encode("latin-1")
        if fired is not None and fired.kind == "truncated_body":
            self.wfile.write(data + payload[: len(payload) // 2])
            self._drop()
            return
        self.wfile.write(data + payload)

    def _drop(self) -> None:
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _serve


class SandboxServer(ThreadingHTTPServer):
    """ThreadingHTTPServer serving a :class:`SandboxApp` with keep-alive."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], app: SandboxApp) -> None:
        self.app = app
        self.stopping = threading.Event()
        self._conns: set[socket.socket] = set()
        self._conns_lock = threading.Lock()
        super().__init__(address, _Handler)

    def track(self, conn: socket.socket, add: bool) -> None:
        """Remember or forget an open connection."""
        with self._conns_lock:
            if add:
                self._conns.add(conn)
            else:
                self._conns.discard(conn)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Stay quiet when a client went away mid-answer; report anything else."""
        if isinstance(sys.exc_info()[1], (ConnectionError, socket.timeout)):
            return
        super().handle_error(request, client_address)

    def close_connections(self) -> None:
        """Shut down every open keep-alive connection."""
        with self._conns_lock:
            conns = list(self._conns)
        for conn in conns:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)


class Sandbox:
    """A running sandbox exchange on loopback.

    Example::

        with Sandbox() as sb:
            client = Quoinex(sb.token_id, sb.secret, api_url=sb.url)

    Args:
        host: Interface to bind (keep the default 127.0.0.1).
        port: TCP port; 0 picks a free one.
        exchange: Serve an existing :class:`Exchange` instead of a new one.
        config: Every option as a :class:`~quoine.sandbox.config.SandboxConfig`.
        **options: :class:`~quoine.sandbox.config.SandboxConfig` fields
            overriding ``config``: ``token_id``, ``secret``, ``rate_limit``
            (True = 300 requests per 300 s per token and per IP for public
            endpoints; an int N = N per 300 s; ``(N, seconds)``; None/False =
            off), ``seed``, ``clock``, ``fault_seed``, ``strict_nonce`` (False
            also accepts a nonce equal to the last one, for python-quoine
            0.1.4's millisecond nonces), ``strict`` (False: read any JSON
            body, flat and nested), ``dialect``...

    Raises:
        TypeError: An unknown option.

    Attributes:
        url: ``http://HOST:PORT`` once started.
        tap_url: The Liquid Tap ``ws://`` URL (see :attr:`tap`).
        token_id, secret: Demo credentials.
        exchange: Live state. app: The WSGI app. faults: The fault injector.
    """

    def __init__(
        self,
        host: str | None = None,
        port: int | None = None,
        *,
        exchange: Exchange | None = None,
        config: SandboxConfig | None = None,
        **options: Any,
    ) -> None:
        if host is not None:
            options["host"] = host
        if port is not None:
            options["port"] = port
        self.config = SandboxConfig.build(config, **options)
        self.host = self.config.host
        self.port = self.config.port
        self.app = make_app(exchange, self.config)
        self.exchange = self.app.exchange
        self.token_id: str = self.app.token_id
        self.secret: str = self.app.secret
        self._server: SandboxServer | None = None
        self._thread: threading.Thread | None = None
        self._tap: TapServer | None = None
        self._tap_lock = threading.Lock()

    def __repr__(self) -> str:
        # The secret is never shown: a notebook displays and saves reprs.
        where = f"url={self.url!r}" if self._server is not None else "stopped"
        return f"Sandbox({where}, token_id={self.token_id!r}, secret='***')"

    @property
    def faults(self) -> FaultInjector:
        """The app's fault injector."""
        return self.app.faults

    @property
    def url(self) -> str:
        """Base URL, e.g. ``http://127.0.0.1:54321``."""
        if self._server is None:
            raise RuntimeError("sandbox is not running")
        return f"http://{self.host}:{self.port}"

    @property
    def tap(self) -> TapServer | None:
        """The realtime (Liquid Tap) server, started on first use on its own port.

        None when ``websockets`` (the ``realtime`` extra) is not installed. See
        :mod:`quoine.sandbox.tap`.
        """
        if self._server is None:
            raise RuntimeError("sandbox is not running")
        with self._tap_lock:
            if self._tap is None:
                try:
                    from .tap import TapServer
                except ImportError:
                    return None
                self._tap = TapServer(self.app, self.host).start()
            return self._tap

    @property
    def tap_url(self) -> str | None:
        """``ws://127.0.0.1:PORT/app/LiquidTapClient``, or None without ``websockets``."""
        tap = self.tap
        return None if tap is None else tap.url

    def start(self) -> Sandbox:
        """Bind and serve in a background daemon thread."""
        if self._server is not None:
            return self
        server = SandboxServer((self.host, self.port), self.app)
        self.port = server.server_address[1]
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"quoine-sandbox-{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close every connection."""
        with self._tap_lock:
            tap, self._tap = self._tap, None
        if tap is not None:
            tap.stop()
        server, self._server = self._server, None
        if server is None:
            return
        server.stopping.set()
        server.shutdown()
        server.close_connections()
        server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def serve_forever(self) -> None:
        """Serve in the calling thread until :meth:`stop` is called elsewhere."""
        self.start()
        assert self._thread is not None
        self._thread.join()

    def __enter__(self) -> Sandbox:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
