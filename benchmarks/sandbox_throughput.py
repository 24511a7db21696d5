"""Signed requests per second the sandbox serves on loopback.

Part of ``python -m benchmarks``; run alone:
``python -m benchmarks.sandbox_throughput [--seconds 5] [--threads 2] [--orders]``

Each thread has its own client (its own nonces and keep-alive connection) and
sends signed ``GET /accounts/balance`` requests for the given time, or with
``--orders`` pairs of ``POST /orders`` (a resting limit buy) and
``PUT /orders/{id}/cancel``, which go through validation, the books and the
ledger. Client and server share this machine, so the figure is a floor for the
server alone.
"""

from __future__ import annotations

import argparse
import json
import threading
import time
from typing import Any

from benchmarks._common import make_client
from quoine.sandbox import Sandbox


def measure(seconds: float = 5.0, threads: int = 2, orders: bool = False) -> dict[str, Any]:
    counts = [0] * threads
    with Sandbox(rate_limit=None) as sandbox:
        deadline = time.perf_counter() + seconds

        def work(slot: int) -> None:
            # One token per thread: nonces must rise per token, in arrival order.
            token = f"bench-{slot}"
            with sandbox.exchange.lock:
                sandbox.exchange.add_user(token, {"USD": "1e6"}, token_id=token, secret="s" * 32)
            with make_client(sandbox.url, token, "s" * 32) as client:
                while time.perf_counter() < deadline:
                    if orders:
                        placed = client.create_limit_buy(1, "0.01", "20000")
                        client.cancel_order(placed["id"])
                        counts[slot] += 2
                    else:
                        client.get_account_balances()
                        counts[slot] += 1

        workers = [threading.Thread(target=work, args=(i,)) for i in range(threads)]
        started = time.perf_counter()
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        elapsed = time.perf_counter() - started
    total = sum(counts)
    return {"threads": threads, "requests": total, "seconds": round(elapsed, 2),
            "mix": "orders" if orders else "balances",
            "signed_requests_per_second": round(total / elapsed)}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--orders", action="store_true", help="place and cancel orders")
    args = parser.parse_args()
    print(json.dumps(measure(args.seconds, args.threads, args.orders)))


if __name__ == "__main__":
    main()
