"""Sandbox: the longest time one request holds the exchange lock.

Every request runs under the sandbox exchange's one lock, so a slow request
stalls every other client. This builds a heavy state in an in-process app
(300,000 seeded executions of BTCUSD, 1,500 resting orders of the demo user),
then sends each of the requests most likely to be slow (full books, long
pages, OHLC over the whole history, 24-hour statistics, cancelling every
order) one at a time, and times the span the app holds the lock
(``SandboxApp._run``, which takes the lock and runs the handler; one client,
so no time is spent waiting for it). Target: at most 50 ms per request.

Run alone: ``python -m benchmarks.sandbox_lock``.
"""

from __future__ import annotations

import io
import itertools
import json
import time
from typing import Any

import jwt

from quoine.sandbox import SandboxApp, make_app

TARGET_MS = 50.0
HEAVY = [
    ("GET", "/products", None),
    ("GET", "/products/1", None),
    ("GET", "/products/1/ohlc?resolution=60&limit=1000", None),
    ("GET", "/products/1/ohlc?resolution=86400&limit=1000", None),
    ("GET", "/products/1/ohlc?resolution=61&limit=1000", None),
    ("GET", "/products/1/ohlc?resolution=3660&limit=1000", None),
    ("GET", "/products/1/ohlc?resolution=4611686018427387904&limit=1000", None),
    ("GET", "/products/1/price_levels?full=1", None),
    ("GET", "/executions?product_id=1&limit=1000&page=150", None),
    ("GET", "/executions?product_id=1&timestamp=0&limit=1000", None),
    ("GET", "/orders?limit=1000&with_details=1", None),
    ("GET", "/balance_history?limit=1000", None),
    ("GET", "/transactions?limit=1000", None),
    ("GET", "/executions/me?limit=1000", None),
    (
        "POST",
        "/orders",
        {"order": {"product_id": 1, "side": "sell", "order_type": "market", "quantity": "5"}},
    ),
    ("PUT", "/orders/cancel_all", {}),
]


class _Timed:
    """Times ``SandboxApp._run`` (the lock's span) per request."""

    def __init__(self, app: SandboxApp) -> None:
        self.app = app
        self.spans: list[tuple[float, str]] = []
        self.nonce = itertools.count(1)
        run = app._run

        def timed(req: Any, environ: dict[str, Any], identity: Any) -> Any:
            start = time.perf_counter()
            try:
                return run(req, environ, identity)
            finally:
                name = f"{req.route.method} {environ['RAW_URI']}"
                self.spans.append(((time.perf_counter() - start) * 1000, name))

        app._run = timed  # type: ignore[method-assign]

    def call(self, method: str, uri: str, body: Any = None) -> int:
        claims = {"path": uri, "nonce": next(self.nonce), "token_id": self.app.token_id}
        path, _, query = uri.partition("?")
        raw = json.dumps(body).encode() if body is not None else b""
        environ = {
            "REQUEST_METHOD": method,
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "RAW_URI": uri,
            "CONTENT_LENGTH": str(len(raw)),
            "CONTENT_TYPE": "application/json",
            "REMOTE_ADDR": "127.0.0.1",
            "wsgi.input": io.BytesIO(raw),
            "HTTP_X_QUOINE_AUTH": jwt.encode(claims, self.app.secret, algorithm="HS256"),
        }
        status: list[str] = []
        b"".join(self.app(environ, lambda s, h, e=None: status.append(s)))
        return int(status[0].split()[0])


def measure(executions: int = 300_000, orders: int = 1_500) -> dict[str, Any]:
    """Build the heavy state, send the heavy requests; the longest spans in ms."""
    app = make_app(rate_limit=None, seed=7)
    timed = _Timed(app)
    started = time.perf_counter()
    app.exchange.seed_executions(1, executions)
    seed_seconds = time.perf_counter() - started
    for i in range(orders):
        order = {"product_id": 1, "side": "buy", "order_type": "limit", "quantity": "0.001",
                 "price": str(29000 + i % 700)}  # fmt: skip
        timed.call("POST", "/orders", {"order": order})
    timed.spans.clear()
    statuses = {f"{m} {u}": timed.call(m, u, b) for m, u, b in HEAVY}
    spans = sorted(timed.spans, reverse=True)
    return {
        "executions": executions,
        "orders": orders,
        "seed_seconds": round(seed_seconds, 2),
        "max_ms": round(spans[0][0], 1),
        "slowest": [(name, round(ms, 1)) for ms, name in spans[:5]],
        "statuses": statuses,
        "target_ms": TARGET_MS,
        "met": spans[0][0] <= TARGET_MS,
    }


if __name__ == "__main__":
    print(json.dumps(measure(), indent=2))
