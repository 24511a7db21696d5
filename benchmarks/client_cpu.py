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

and, when the client still has the internals they need (``session``, ``headers``,
``_auth``, ``timeout``), two prototypes of a cheaper signed request path, for the
owners of ``quoine/client.py`` to compare (see docs/performance.rst):

``proto-env-once``  the environment (proxies, ``NO_PROXY``, CA bundle) is read once
    per client with ``Session.merge_environment_settings`` and the request goes
    through ``Session.prepare_request`` and ``Session.send``, instead of
    ``Session.request``, which reads every environment variable on each call.
``proto-prepared``  the same, plus a :class:`requests.PreparedRequest` built
    directly when the session carries nothing to merge (no cookies, auth,
    params or hooks; its headers merged into the client's once).

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
from quoine.client import Quoinex


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


def prototype_env_once(client: Quoinex, path: str, signed: bool) -> Callable[[], Any] | None:
    """A GET that reads the environment once per client (see module doc)."""
    from quoine.client import _decode

    needed = ("session", "headers", "_auth", "timeout")
    if not all(hasattr(client, name) for name in needed):
        return None
    session: requests.Session = client.session
    base = client.API_URL.rstrip("/")
    settings = session.merge_environment_settings(base + "/", {}, None, None, None)
    url = f"{base}/{path}"
    auth = client._auth if signed else None

    def call() -> Any:
        request = requests.Request("GET", url, headers=client.headers, auth=auth)
        prepared = session.prepare_request(request)
        response = session.send(prepared, timeout=client.timeout, allow_redirects=False, **settings)
        return _decode(response)

    return call


def _session_is_plain(session: requests.Session) -> bool:
    return not (session.cookies or session.auth or session.params) and not any(
        session.hooks.values()
    )


def prototype_prepared(client: Quoinex, path: str, signed: bool) -> Callable[[], Any] | None:
    """:func:`prototype_env_once` plus a directly built PreparedRequest (see module doc)."""
    from quoine.client import _decode

    slow = prototype_env_once(client, path, signed)
    if slow is None:
        return None
    session: requests.Session = client.session
    base = client.API_URL.rstrip("/")
    settings = session.merge_environment_settings(base + "/", {}, None, None, None)
    headers = {**session.headers, **client.headers}
    url = f"{base}/{path}"
    # Session.prepare_request looks up ~/.netrc for every request without auth.
    netrc_auth = requests.utils.get_netrc_auth(url) if session.trust_env else None
    auth = client._auth if signed else netrc_auth

    def call() -> Any:
        if not _session_is_plain(session):
            return slow()
        prepared = requests.PreparedRequest()
        prepared.prepare(method="GET", url=url, headers=headers, auth=auth)
        response = session.send(prepared, timeout=client.timeout, allow_redirects=False, **settings)
        return _decode(response)

    return call


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
        for name, build in (
            ("env-once", prototype_env_once),
            ("prepared", prototype_prepared),
        ):
            for kind, path, signed in (
                ("public", "products/1", False),
                ("signed", "fiat_accounts", True),
            ):
                prototype = build(make_client(server.url), path, signed)
                if prototype is not None:
                    variants[f"proto-{name} {kind}"] = prototype
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
