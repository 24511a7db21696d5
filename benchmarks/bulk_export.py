"""Bulk export: requests per walk against the sandbox, and memory over a million rows.

Requests: 100,000 executions are seeded into an in-process sandbox (10 a second,
starting on a whole second, so every page of 1000 ends exactly at the end of a
second: the hardest case for the timestamp walk) and read back twice through the
client: ``iter_executions_since_time`` (the timestamp walk) and
``iter_executions`` (the paginated list, ``GET /executions?page=``). A response
hook counts the HTTP requests; each walk must yield every execution once, in
order. The minimum the API allows is ``ceil(N / 1000)`` pages plus the empty
one that ends the walk.

Memory: ``iter_pages`` and ``iter_executions_since`` walk 1,000,000 rows served
by a fake fetch function (no HTTP) that builds each page on demand, under
:mod:`tracemalloc`; the figure is the peak traced memory above what was
allocated before the walk started.

Run alone: ``python -m benchmarks.bulk_export``.
"""

from __future__ import annotations

import json
import math
import time
import tracemalloc
from collections.abc import Iterator
from typing import Any, Callable

from benchmarks._common import make_client
from quoine.pagination import iter_executions_since, iter_pages
from quoine.sandbox import Sandbox

START = 1_600_000_000  # a whole second


def _counted_walk(walk: Callable[[], Iterator[dict[str, Any]]], session: Any) -> dict[str, Any]:
    requests_sent = 0

    def count(response: Any, *args: Any, **kwargs: Any) -> None:
        nonlocal requests_sent
        requests_sent += 1

    session.hooks["response"].append(count)
    started = time.perf_counter()
    try:
        ids = [int(item["id"]) for item in walk()]
    finally:
        session.hooks["response"].remove(count)
    return {"ids": ids, "requests": requests_sent, "seconds": time.perf_counter() - started}


def measure_requests(count: int = 100_000, per_second: int = 10) -> dict[str, Any]:
    """Requests taken by each walk over ``count`` seeded executions."""
    results: dict[str, Any] = {"executions": count}
    with Sandbox(rate_limit=None) as sandbox:
        product = 1
        with sandbox.exchange.lock:
            before = len(sandbox.exchange.product(product).executions)
        sandbox.exchange.seed_executions(product, count, start=START, per_second=per_second)
        client = make_client(sandbox.url)
        walks = {
            "timestamp_walk": lambda: client.iter_executions_since_time(product, START),
            "paginated_list": lambda: client.iter_executions(product),
        }
        for name, walk in walks.items():
            run = _counted_walk(walk, client.session)
            ids = run["ids"]
            if name == "paginated_list":  # newest first; holds the sandbox's own history too
                expected = count + before
                in_order = ids == sorted(set(ids), reverse=True)
            else:
                expected = count
                in_order = ids == sorted(set(ids))
            results[name] = {
                "requests": run["requests"],
                "minimum_requests": math.ceil(expected / 1000) + 1,
                "rows": len(ids),
                "each_once_in_order": in_order and len(ids) == expected,
                "rows_per_second": round(len(ids) / run["seconds"]),
            }
        client.close()
    return results


def _row(number: int) -> dict[str, Any]:
    return {
        "id": number,
        "quantity": "0.0123",
        "price": "30000.5",
        "taker_side": "buy" if number % 2 else "sell",
        "created_at": START + number // 10,
        "timestamp": f"{START + number / 10:.3f}",
    }


def _peak_growth(walk: Iterator[dict[str, Any]]) -> tuple[int, float]:
    tracemalloc.start()
    try:
        baseline = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        rows = sum(1 for _ in walk)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return rows, (peak - baseline) / 2**20


def measure_memory(rows: int = 1_000_000) -> dict[str, Any]:
    """Peak memory growth (MiB) while walking ``rows`` rows without HTTP."""

    def page(*, limit: int, page: int) -> dict[str, Any]:
        first = (page - 1) * limit
        return {"models": [_row(n) for n in range(first, min(first + limit, rows))]}

    def since(product_id: Any, timestamp: int, limit: int) -> list[dict[str, Any]]:
        first = max(0, (timestamp - START) * 10)
        end = min(first + limit, rows)
        if end > first:  # finish the second, like the API
            end = min(rows, (end + 9) // 10 * 10)
        return [_row(n) for n in range(first, end)]

    results: dict[str, Any] = {"rows": rows}
    for name, walk in (
        ("iter_pages", lambda: iter_pages(page)),
        ("iter_executions_since", lambda: iter_executions_since(since, 1, START)),
    ):
        seen, growth = _peak_growth(walk())
        results[name] = {"rows": seen, "peak_growth_mib": round(growth, 2)}
    return results


def measure(count: int = 100_000, rows: int = 1_000_000) -> dict[str, Any]:
    """Both parts: request counts over ``count`` executions, memory over ``rows`` rows."""
    return {"requests": measure_requests(count), "memory": measure_memory(rows)}


if __name__ == "__main__":
    print(json.dumps(measure(), indent=2))
