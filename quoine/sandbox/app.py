"""The WSGI application: routing, auth, JSON, pagination, rate limit, faults.

Public endpoints need no auth and ignore an ``X-Quoine-Auth`` header if one is
sent. Private endpoints verify it like the real API (see :meth:`SandboxApp.auth`).
"""

from __future__ import annotations

import collections
import json
import re
import sys
import time
import traceback
from collections.abc import Iterable, Sequence
from typing import Any, Callable
from urllib.parse import parse_qs, quote

from ._jwt import JWTError, decode_hs256, peek_payload
from .exchange import DEMO_TOKEN_ID, Exchange
from .faults import FaultInjector, Fired
from .models import ApiError, User, dumps

__all__ = ["RateLimiter", "Request", "SandboxApp", "make_app"]

StartResponse = Callable[..., Any]
Handler = Callable[["Request"], Any]
MAX_LIMIT = 1000
AUTH_FAILED = b"API Authentication failed"
RATE_MESSAGE = "API rate limit exceeded. Please retry after 300s"
_PARAM = re.compile(r"\{(\w+)\}")


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


class Request:
    """What a handler sees of one request."""

    def __init__(
        self,
        app: SandboxApp,
        method: str,
        path: str,
        query: dict[str, str],
        body: dict[str, Any],
    ) -> None:
        self.app = app
        self.ex = app.exchange
        self.method = method
        self.path = path
        self.query = query
        self.body = body
        self.params: dict[str, str] = {}
        self._user: User | None = None

    @property
    def user(self) -> User:
        """The authenticated user (private endpoints only)."""
        assert self._user is not None
        return self._user

    def fields(self, wrapper: str | None = None) -> dict[str, Any]:
        """Body fields, flat merged with the ``wrapper`` object (which wins)."""
        out = {k: v for k, v in self.body.items() if not isinstance(v, dict)}
        if wrapper and isinstance(self.body.get(wrapper), dict):
            out.update(self.body[wrapper])
        return out

    def arg(self, name: str, default: str | None = None) -> str | None:
        """A query parameter, or a flat body field as a fallback."""
        value = self.query.get(name)
        if value is None and name in self.body and not isinstance(self.body[name], dict):
            value = str(self.body[name])
        return default if value in (None, "") else value

    def flag(self, name: str) -> bool:
        """A boolean query parameter (``1``/``true``)."""
        return (self.arg(name) or "").lower() in ("1", "true", "yes")

    def int_arg(self, name: str, default: int) -> int:
        """An integer query parameter (422 when not an integer)."""
        raw = self.arg(name)
        if raw is None:
            return default
        try:
            return int(raw)
        except ValueError:
            raise ApiError.field(name, "is_invalid") from None

    def page(
        self,
        items: Sequence[Any],
        render: Callable[[Any], Any],
        *,
        newest_first: bool = True,
        default: int = 20,
        min_limit: int = 1,
    ) -> dict[str, Any]:
        """Paginate ``items`` (oldest first) as ``{"models", "current_page", "total_pages"}``.

        ``limit`` above 1000 is clamped to 1000; below ``min_limit`` or not an
        integer is 422. ``page`` starts at 1 (values below 1 mean 1).
        """
        limit = self.int_arg("limit", default)
        if limit < 1:
            raise ApiError.field("limit", "is_invalid")
        limit = max(min_limit, min(limit, MAX_LIMIT))
        page = max(1, self.int_arg("page", 1))
        total = len(items)
        pages = max(1, -(-total // limit))
        skip = (page - 1) * limit
        if newest_first:
            end = max(0, total - skip)
            chosen = items[max(0, end - limit) : end][::-1]
        else:
            chosen = items[skip : skip + limit]
        return {
            "models": [render(item) for item in chosen],
            "current_page": page,
            "total_pages": pages,
        }


class Route:
    """One route: method, path template, handler and whether it needs auth."""

    def __init__(self, method: str, template: str, handler: Handler, private: bool) -> None:
        self.method = method
        self.template = template
        self.handler = handler
        self.private = private
        pattern = _PARAM.sub(r"(?P<\1>[^/]+)", template)
        self.regex = re.compile(f"^{pattern}$") if "{" in template else None


class SandboxApp:
    """A WSGI application serving the Quoine API v2 from an :class:`Exchange`.

    Attributes:
        exchange: The state.
        faults: The :class:`~quoine.sandbox.faults.FaultInjector`.
        limiter: The rate limiter, or None when disabled.
        token_id: Demo token id. ``secret``: its secret.
    """

    def __init__(
        self,
        exchange: Exchange,
        *,
        rate_limit: bool | int | tuple[int, float] | None = True,
        fault_seed: int | None = None,
        strict_nonce: bool = True,
    ) -> None:
        from .routes import ROUTES

        self.strict_nonce = strict_nonce
        self.exchange = exchange
        self.faults = FaultInjector(fault_seed)
        self.limiter: RateLimiter | None = None
        if rate_limit is not None and rate_limit is not False:
            count, window = 300, 300.0
            if isinstance(rate_limit, tuple):
                count, window = int(rate_limit[0]), float(rate_limit[1])
            elif rate_limit is not True:
                count = int(rate_limit)
            self.limiter = RateLimiter(count, window, exchange.clock)
        self.token_id = exchange.demo.token_id or DEMO_TOKEN_ID
        self.secret = exchange.demo.secret or ""
        self.request_count = 0
        self._static: dict[tuple[str, str], Route] = {}
        self._dynamic: list[Route] = []
        for method, template, handler, private in ROUTES:
            route = Route(method, template, handler, private)
            if route.regex is None:
                self._static[(method, template)] = route
            else:
                self._dynamic.append(route)

    @property
    def routes(self) -> list[Route]:
        """Every route served."""
        return list(self._static.values()) + self._dynamic

    def _find(self, method: str, path: str) -> tuple[Route, dict[str, str]] | None:
        route = self._static.get((method, path))
        if route is not None:
            return route, {}
        for route in self._dynamic:
            if route.method != method:
                continue
            assert route.regex is not None
            match = route.regex.match(path)
            if match:
                return route, match.groupdict()
        return None

    # ----------------------------------------------------------------- WSGI
    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        """Serve one request."""
        method = environ.get("REQUEST_METHOD", "GET").upper()
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
        reason = _REASONS.get(status, "Error")
        start_response(f"{status} {reason}", [*headers, ("Content-Length", str(len(body)))])
        return [body]

    def handle(
        self, environ: dict[str, Any], method: str, path: str
    ) -> tuple[int, list[tuple[str, str]], bytes]:
        """Route, authenticate, rate-limit and run one request."""
        self.request_count += 1
        found = self._find(method, path)
        if found is None:
            return _json(404, {"message": f"No route matches {method} {path}"})
        route, params = found
        query_string = environ.get("QUERY_STRING", "")
        query = {k: v[0] for k, v in parse_qs(query_string, keep_blank_values=True).items()}
        try:
            body = _read_body(environ)
        except ValueError:
            return _json(400, {"message": "The format of data is wrong"})
        req = Request(self, method, path, query, body)
        req.params = params
        try:
            with self.exchange.lock:
                if route.private:
                    denied = self.auth(req, environ, path, query_string)
                    if denied is not None:
                        return denied
                elif not self._allow("ip:" + str(environ.get("REMOTE_ADDR", "?"))):
                    return _json(429, {"message": RATE_MESSAGE})
                result = route.handler(req)
        except ApiError as err:
            return _json(err.status, err.body)
        except Exception:  # a sandbox bug: answer 500 and keep serving
            traceback.print_exc(file=sys.stderr)
            return _json(500, {"message": "Internal Server Error"})
        return _json(200, result)

    def _allow(self, key: str) -> bool:
        return self.limiter is None or self.limiter.allow(key)

    def auth(
        self, req: Request, environ: dict[str, Any], path: str, query_string: str
    ) -> tuple[int, list[tuple[str, str]], bytes] | None:
        """Check ``X-Quoine-Auth``; return an error response or None when OK.

        Rules: a valid HS256 JWT signed with the secret of its ``token_id``;
        ``path`` claim equal to the raw request path plus ``?query``; a
        ``nonce`` (int or numeric string) larger than the token's last one
        (or equal, when ``strict_nonce`` is False),
        or no nonce when the body carries a ``client_order_id``. Extra claims
        such as ``iat`` are ignored. The rate limit is checked after the
        signature and before the nonce is consumed.
        """
        failed = (401, [("Content-Type", "text/plain; charset=utf-8")], AUTH_FAILED)
        token = environ.get("HTTP_X_QUOINE_AUTH")
        if not token:
            return failed
        try:
            claims = peek_payload(token)
            user = self.exchange.user_by_token(str(claims.get("token_id")))
            if user is None or user.secret is None:
                return failed
            claims = decode_hs256(token, user.secret)
        except JWTError:
            return failed
        raw = environ.get("RAW_URI") or environ.get("REQUEST_URI")
        if not raw:
            raw = quote(path) + ("?" + query_string if query_string else "")
        if claims.get("path") != raw:
            return failed
        if not self._allow("token:" + str(user.token_id)):
            return _json(429, {"message": RATE_MESSAGE})
        nonce = _parse_nonce(claims.get("nonce"))
        if nonce is None:
            if "nonce" in claims or not req.fields("order").get("client_order_id"):
                return failed
        elif nonce < user.last_nonce or (nonce == user.last_nonce and self.strict_nonce):
            return _json(401, {"message": "Nonce is too small"})
        else:
            user.last_nonce = nonce
        req._user = user
        return None


def _parse_nonce(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _read_body(environ: dict[str, Any]) -> dict[str, Any]:
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length <= 0:
        return {}
    raw = environ["wsgi.input"].read(length)
    if not raw.strip():
        return {}
    data = json.loads(raw)
    if not isinstance(data, dict):
        raise ValueError("body must be a JSON object")
    return data


def _json(status: int, payload: Any) -> tuple[int, list[tuple[str, str]], bytes]:
    body = dumps(payload)
    return status, [("Content-Type", "application/json; charset=utf-8")], body.encode()


_REASONS = {
    200: "OK",
    400: "Bad Request",
    401: "Unauthorized",
    404: "Not Found",
    422: "Unprocessable Entity",
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}


def make_app(
    exchange: Exchange | None = None,
    *,
    token_id: str = DEMO_TOKEN_ID,
    secret: str | None = None,
    rate_limit: bool | int | tuple[int, float] | None = True,
    seed: int = 0,
    clock: Callable[[], float] | None = None,
    fault_seed: int | None = None,
    strict_nonce: bool = True,
    dialect: str = "liquid",
) -> SandboxApp:
    """Build a bare WSGI app (no sockets), e.g. for in-process tests.

    Args:
        exchange: Existing state to serve; a new one when None.
        token_id: Demo token id (ignored when ``exchange`` is given).
        secret: Demo secret; random when None (ignored with ``exchange``).
        rate_limit: True = 300 per 300 s; an int N = N per 300 s; a tuple
            ``(N, seconds)``; None/False = off.
        seed: Market maker seed (ignored with ``exchange``).
        clock: Time source in seconds (ignored with ``exchange``).
        fault_seed: Seed for random faults.
        strict_nonce: Require nonces strictly larger than the last one (the
            real rule). False also accepts an equal nonce, which python-quoine
            0.1.4 needs on a fast loopback (it sends ``int(time.time()*1000)``).
        dialect: Answer shapes of the Liquid-era documentation (``"liquid"``)
            or of the 2016 Quoinex/Qryptos one (``"quoine"``); ignored with
            ``exchange``.

    Returns:
        The app; ``app.exchange``, ``app.faults``, ``app.token_id``, ``app.secret``.
    """
    if exchange is None:
        exchange = Exchange(
            seed=seed, clock=clock, token_id=token_id, secret=secret, dialect=dialect
        )
    return SandboxApp(
        exchange, rate_limit=rate_limit, fault_seed=fault_seed, strict_nonce=strict_nonce
    )


__all__ += ["Fired"]
