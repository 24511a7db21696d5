"""Client CPU per call: the library against hand-written requests and urllib3 calls.

Every variant sends ``GET`` requests to the same loopback server (a child
process, see :mod:`benchmarks.fixed_server`, so the server's work is not on this
clock) and decodes the JSON answer. The clock is :func:`time.thread_time`, the
CPU time of this thread alone: user plus system time, so the socket calls count
and time spent waiting for the server does not.

Variants:

``requests``  ``requests.Session().get(url).json()``: the floor, ratio 1.
``urllib3``   ``PoolManager().request("GET", url)`` plus ``json.loads``: a lower bound.
``public``    ``client.get_product(1)``.
``signed``    ``client.get_fiat_accounts()`` (signed: a JWT per request).


Run alone: ``python -m benchmarks.client_cpu``.
"""

from __future__ import annotations

import json
import statistics
import time
from typing import Any, Callable

import requests
import urllib3

from benchmarks._common import make_client
from benchmarks.fixed_server import FixedServer


def _cpu_per_call(call: Callable[[], Any], calls: int) -> float:
    started = time.thread_time()
    for _ in range(calls):
        call()
    return (time.thread_time() - started) / calls


def compare(
    variants: dict[str, Callable[[], Any]], *, calls: int, rounds: int, warmup: int = 50
) -> dict[str, float]:
    """Median client CPU per call in microseconds, for each variant.

    The variants take turns within each round, so a change in machine load
    affects all of them alike.
    """
    for call in variants.values():
        for _ in range(warmup):
            call()
    samples: dict[str, list[float]] = {name: [] for name in variants}
    for _ in range(rounds):
        for name, call in variants.items():
            samples[name].append(_cpu_per_call(call, calls) * 1e6)
    return {name: statistics.median(values) for name, values in samples.items()}


def measure(calls: int = 400, rounds: int = 7) -> dict[str, Any]:
    """Run every variant against a fresh fixed-answer server; return the results."""
    with FixedServer() as server:
        product_url = f"{server.url}/products/1"
        session = requests.Session()
        pool = urllib3.PoolManager()
        client = make_client(server.url)
        variants: dict[str, Callable[[], Any]] = {
            "requests": lambda: session.get(product_url).json(),
            "urllib3": lambda: json.loads(pool.request("GET", product_url).data),
            "public": lambda: client.get_product(1),
            "signed": client.get_fiat_accounts,
        }
        micros = compare(variants, calls=calls, rounds=rounds)
        client.close()
        session.close()
        pool.clear()
    floor = micros["requests"]
    return {
        "calls_per_round": calls,
        "rounds": rounds,
        "us_per_call": {name: round(value, 1) for name, value in micros.items()},
        "ratio_to_requests": {name: round(value / floor, 3) for name, value in micros.items()},
    }


if __name__ == "__main__":
    print(json.dumps(measure(), indent=2))
