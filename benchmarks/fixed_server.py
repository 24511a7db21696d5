"""A loopback HTTP/1.1 server that answers every request with the same JSON body.

The client-CPU benchmark runs it in a child process, so none of the server's work
lands on the benchmark's CPU clock. It accepts any path, verb and
``X-Quoine-Auth`` header, keeps connections alive and prints its port on stdout.

Run alone: ``python benchmarks/fixed_server.py`` (Ctrl-C to stop).
"""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

#: A product answer of realistic size (``GET /products/1`` returns about this).
BODY = json.dumps(
    {
        "id": "1",
        "product_type": "CurrencyPair",
        "code": "CASH",
        "name": "BTC/USD",
        "market_ask": 30001.5,
        "market_bid": 30000.0,
        "indicator": 1,
        "currency": "USD",
        "currency_pair_code": "BTCUSD",
        "symbol": "$",
        "fiat_minimum_withdraw": 15.0,
        "pusher_channel": "product_cash_btcusd_1",
        "taker_fee": "0.0",
        "maker_fee": "0.0",
        "low_market_bid": "29500.0",
        "high_market_ask": "30500.0",
        "volume_24h": "123.45678",
        "last_price_24h": "29900.0",
        "last_traded_price": "30000.5",
        "last_traded_quantity": "0.01",
        "quoted_currency": "USD",
        "base_currency": "BTC",
        "disabled": False,
    }
).encode()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        self.send_response(200)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(BODY)))
        self.end_headers()
        self.wfile.write(BODY)

    do_GET = do_POST = do_PUT = do_DELETE = _answer


def serve() -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    print(server.server_address[1], flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()


class FixedServer:
    """The server in a child process, as a context manager; ``url`` is its base URL."""

    def __init__(self) -> None:
        self._process = subprocess.Popen(
            [sys.executable, __file__], stdout=subprocess.PIPE, text=True
        )
        assert self._process.stdout is not None
        self.url = f"http://127.0.0.1:{int(self._process.stdout.readline())}"

    def __enter__(self) -> FixedServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self._process.terminate()
        self._process.wait(10)


if __name__ == "__main__":
    serve()
