"""The WSGI application: request framing, auth, rate limit, faults and errors.

Public endpoints need no auth and ignore an ``X-Quoine-Auth`` header if one is
sent. Private endpoints verify it like the real API (see :meth:`SandboxApp.verify`
and :meth:`SandboxApp.admit`).

Every request gets an answer in the API's error shape: a body that is not
JSON, too deep or too large is a 400 (or 413), a handler's refusal its 4xx,
and a request that fails changes nothing (the exchange undoes its books).
"""

from __future__ import annotations

import collections
import json
import sys
import time
import traceback
from collections.abc import Iterable
from typing import Any, Callable
from urllib.parse import parse_qs, quote

from . import routes
from ._jwt import JWTError, decode_hs256, peek_payload
from .config import SandboxConfig
from .exchange import Exchange
from .faults import FaultInjector, Fired
from .models import ApiError, User, dumps
from .numbers import parse_id
from .routing import Request, Route, Router

__all__ = ["MAX_BODY", "Fired", "content_length", "RateLimiter", "SandboxApp", "make_app"]

StartResponse = Callable[..., Any]
Answer = tuple[int, list[tuple[str, str]], bytes]
MAX_BODY = 1 << 20
"""Largest request body read, in bytes (larger ones are answered 413)."""
MAX_QUERY_FIELDS = 100
AUTH_FAILED = b"API Authentication failed"
RATE_MESSAGE = "API rate limit exceeded. Please retry after 300s"
BAD_FORMAT = "The format of data is wrong"
AUTH_ANSWER: Answer = (401, [("Content-Type", "text/plain; charset=utf-8")], AUTH_FAILED)
Identity = tuple[User, dict[str, Any]]


class RateLimiter:
    """Sliding-window limiter: at most ``limit`` hits per ``window`` seconds per key."""

    def __init__(self, limit: int, window: float, clock: Callable[[], float]) -> None:
        self.limit = limit
        self.window = window
        self.clock = clock
        self._hits: dict[str, collections.deque[float]] = {}

    def allow(self, key: str) -> bool:
        """Record a hit for ``key``; False when it is over the limit."""
        now = self.clock()
        hits = self._hits.get(key)
        if hits is None:
            hits = self._hits[key] = collections.deque()
        edge = now - self.window
        while hits and hits[0] <= edge:
            hits.popleft()
        if len(hits) >= self.limit:
            return False
        hits.append(now)
        return True


def error(status: int, message: str) -> Answer:
    """An answer ``{"message": message}`` with ``status``."""
    return _json(status, {"message": message})


class SandboxApp:
    """A WSGI application serving the Quoine API v2 from an :class:`Exchange`.

    Attributes:
        exchange: The state.
        config: The :class:`~quoine.sandbox.config.SandboxConfig`.
        faults: The :class:`~quoine.sandbox.faults.FaultInjector`.
        limiter: The rate limiter, or None when disabled.
        token_id: Demo token id. ``secret``: its secret.
    """

    def __init__(
        self, exchange: Exchange, config: SandboxConfig | None = None, **options: Any
    ) -> None:
        self.config = config = SandboxConfig.build(config, **options)
        self.strict_nonce = config.strict_nonce
        self.exchange = exchange
        self.faults = FaultInjector(config.fault_seed)
        window = config.rate_window()
        self.limiter = None if window is None else RateLimiter(*window, exchange.clock)
        self.token_id = exchange.demo.token_id or config.token_id
        self.secret = exchange.demo.secret or ""
        self.request_count = 0
        self.router = Router(routes.ROUTES)

    @property
    def routes(self) -> list[Route]:
        """Every route served."""
        return self.router.routes

    # ----------------------------------------------------------------- WSGI
    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        """Serve one request."""
        method = str(environ.get("REQUEST_METHOD", "GET")).upper()
        path = environ.get("PATH_INFO", "") or "/"
        fired = self.faults.pick(method, path)
        if fired is not None:
            environ["quoine.sandbox.fault"] = fired
            if fired.kind in ("latency",):
                time.sleep(fired.delay)
            if not fired.processes:
                replacement = fired.response()
                if replacement is not None:
                    return self._send(start_response, *replacement)
                return self._send(start_response, 500, [], b"")
        status, headers, body = self.handle(environ, method, path)
        if fired is not None:
            replacement = fired.response()
            if replacement is not None:
                status, headers, body = replacement
        return self._send(start_response, status, headers, body)

    @staticmethod
    def _send(
        start_response: StartResponse, status: int, headers: list[tuple[str, str]], body: bytes
    ) -> list[bytes]:
        reason = REASONS.get(status, "Error")
        start_response(f"{status} {reason}", [*headers, ("Content-Length", str(len(body)))])
        return [body]

    def handle(self, environ: dict[str, Any], method: str, path: str) -> Answer:
        """Frame, route, authenticate, rate-limit and run one request."""
        self.request_count += 1
        found = self.router.find(method, path)
        if found is None:
            return error(404, f"No route matches {method} {path[:200]}")
        route, params = found
        query_string = str(environ.get("QUERY_STRING", ""))
        try:
            query = _query(query_string)
            body = self._body(environ, route)
        except ApiError as err:
            return _json(err.status, err.body)
        identity = None
        if route.private:
            identity = self.verify(environ, path, query_string)
            if identity is None:
                return AUTH_ANSWER
        req = Request(self.exchange, self.config, route, query, body)
        req.params = params
        try:
            return self._run(req, environ, identity)
        except ApiError as err:
            return _json(err.status, err.body)
        except Exception:  # a sandbox bug: answer 500 (the books were rolled back)
            traceback.print_exc(file=sys.stderr)
            return error(500, "Internal Server Error")

    def _run(self, req: Request, environ: dict[str, Any], identity: Identity | None) -> Answer:
        """Admit and handle a request under the exchange lock, in one transaction."""
        with self.exchange.transaction(touch=False):
            if identity is not None:
                denied = self.admit(req, *identity)
                if denied is not None:
                    return denied
            elif not self._allow("ip:" + str(environ.get("REMOTE_ADDR", "?"))):
                return error(429, RATE_MESSAGE)
            result = req.route.handler(req)
            if req.route.method != "GET":
                self.exchange.touch()
            return _json(200, result)

    def _body(self, environ: dict[str, Any], route: Route) -> dict[str, Any]:
        """The JSON object a request carries ({} for none); strict-mode checks."""
        raw = _read_body(environ)
        if not raw.strip():
            return {}
        ctype = str(environ.get("CONTENT_TYPE", "")).split(";")[0].strip().lower()
        if self.config.strict and ctype != "application/json":
            return {}  # the API does not read a body it is not told is JSON
        try:
            data = json.loads(raw)
        except (ValueError, RecursionError):  # not JSON, bad UTF-8, too deep
            raise ApiError.message(BAD_FORMAT, 400) from None
        if not isinstance(data, dict):
            raise ApiError.message(BAD_FORMAT, 400)
        if self.config.strict:
            _check_nesting(data, route)
        return data

    def _allow(self, key: str) -> bool:
        return self.limiter is None or self.limiter.allow(key)

    def verify(self, environ: dict[str, Any], path: str, query_string: str) -> Identity | None:
        """The user and claims of a valid ``X-Quoine-Auth`` header, or None.

        Runs outside the exchange lock. Rules: a valid HS256 JWT signed with
        the secret of its ``token_id``, and a ``path`` claim equal to the raw
        request path plus ``?query``. Extra claims such as ``iat`` are ignored.
        """
        token = environ.get("HTTP_X_QUOINE_AUTH")
        if not token or not isinstance(token, str):
            return None
        try:
            claims = peek_payload(token)
            user = self.exchange.user_by_token(str(claims.get("token_id")))
            if user is None or user.secret is None:
                return None
            claims = decode_hs256(token, user.secret)
        except JWTError:
            return None
        raw = environ.get("RAW_URI") or environ.get("REQUEST_URI")
        if not raw:
            raw = quote(path) + ("?" + query_string if query_string else "")
        return (user, claims) if claims.get("path") == raw else None

    def admit(self, req: Request, user: User, claims: dict[str, Any]) -> Answer | None:
        """Rate-limit and check the nonce of a verified request (under the lock).

        The nonce (an int or a numeric string) must be larger than the token's
        last one (or equal, when ``strict_nonce`` is False); it may be missing
        only when the body carries a ``client_order_id``. The rate limit is
        checked before the nonce is consumed. Returns an error answer or None.
        """
        if not self._allow("token:" + str(user.token_id)):
            return error(429, RATE_MESSAGE)
        nonce = _parse_nonce(claims.get("nonce"))
        if nonce is None:
            if "nonce" in claims or not req.fields().get("client_order_id"):
                return AUTH_ANSWER
        elif nonce < user.last_nonce or (nonce == user.last_nonce and self.strict_nonce):
            return error(401, "Nonce is too small")
        else:
            user.last_nonce = nonce
        req.user_or_none = user
        return None


def _check_nesting(data: dict[str, Any], route: Route) -> None:
    """Refuse members holding objects other than the route's resource key.

    The API reads ``{"order": {...}}`` on ``/orders`` (and flat fields); a
    body nested under another key leaves the fields it needs missing.
    """
    for key, value in data.items():
        if isinstance(value, (dict, list)) and key != route.wrap and key not in route.nested:
            wanted = route.wrap or "body"
            raise ApiError.message(f"param is missing or the value is empty: {wanted}", 400)


def _parse_nonce(value: Any) -> int | None:
    if isinstance(value, str) and not value.strip().isdigit():
        return None
    return parse_id(value)


def _query(query_string: str) -> dict[str, str]:
    try:
        pairs = parse_qs(query_string, keep_blank_values=True, max_num_fields=MAX_QUERY_FIELDS)
    except ValueError:
        raise ApiError.message("Too many query parameters", 400) from None
    return {k: v[0] for k, v in pairs.items()}


def content_length(text: str) -> int | None:
    """A ``Content-Length`` value as an int, or None when it is not 1 to 12 ASCII digits.

    ``str.isdigit`` alone also accepts ``"²"`` (which ``int`` refuses) and
    other scripts' digits (which ``int`` reads), so only 0-9 count.
    """
    text = text.strip(" \t")
    if not 0 < len(text) <= 12 or not text.isascii() or not text.isdigit():
        return None
    return int(text)


def _read_body(environ: dict[str, Any]) -> bytes:
    """The raw body, bounded by :data:`MAX_BODY` (400 for a bad length)."""
    length = content_length(str(environ.get("CONTENT_LENGTH") or "0"))
    if length is None:
        raise ApiError.message("Invalid Content-Length", 400)
    if length > MAX_BODY:
        raise ApiError.message("Request body too large", 413)
    if length == 0:
        return b""
    data: bytes = environ["wsgi.input"].read(length)
    return data


def _json(status: int, payload: Any) -> Answer:
    body = dumps(payload)
    return status, [("Content-Type", "application/json; charset=utf-8")], body.encode()


REASONS = {
    200: "OK",
    400: "Bad Request",
    401: "Unauthorized",
    404: "Not Found",
    405: "Method Not Allowed",
    411: "Length Required",
    413: "Payload Too Large",
    414: "URI Too Long",
    422: "Unprocessable Entity",
    429: "Too Many Requests",
    431: "Request Header Fields Too Large",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}


def make_app(
    exchange: Exchange | None = None, config: SandboxConfig | None = None, **options: Any
) -> SandboxApp:
    """Build a bare WSGI app (no sockets), e.g. for in-process tests.

    Args:
        exchange: Existing state to serve; a new one (from the config) when None.
        config: The options as a :class:`~quoine.sandbox.config.SandboxConfig`.
        **options: Any :class:`~quoine.sandbox.config.SandboxConfig` field,
            overriding ``config``: ``token_id``, ``secret``, ``rate_limit``
            (True = 300 per 300 s; an int N = N per 300 s; ``(N, seconds)``;
            None/False = off), ``seed``, ``clock``, ``fault_seed``,
            ``strict_nonce``, ``strict``, ``dialect``... (``token_id``,
            ``secret``, ``seed`` and ``clock`` only shape a new exchange.)

    Returns:
        The app; ``app.exchange``, ``app.faults``, ``app.token_id``, ``app.secret``.

    Raises:
        TypeError: An unknown option.
    """
    config = SandboxConfig.build(config, **options)
    if exchange is None:
        exchange = Exchange(config)
    return SandboxApp(exchange, config)
