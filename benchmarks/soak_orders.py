"""Order-placement soak: many orders under random injected faults, zero duplicates.

Places ``--orders`` limit orders against a local sandbox that fails a share of
``POST /orders`` at random *after* or *before* processing them (dropped
connections, resets, cut-off bodies, 502/504 pages, hangs past the read
timeout, 429s), and also fails some order lookups. Then it checks, from the
sandbox's own records:

- every ``client_order_id`` reached the server exactly once (no automatic re-send
  of a request that may have been carried out);
- the exchange holds no order the client does not know about: each one was
  returned to the caller or named by a :class:`~quoine.exceptions.QuoineAmbiguousOrderError`;
- every call returned an order or raised a typed, definitive or ambiguous error.

Run: ``python benchmarks/soak_orders.py --orders 1000`` (prints a JSON summary;
exit status 1 if any check fails). The test suite runs the same soak with 200.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any

from quoine import new_client_order_id
from quoine.client import Quoinex
from quoine.exceptions import QuoineAmbiguousOrderError, QuoineRateLimitError
from quoine.sandbox import Sandbox

# Faults on order placement; each kind either processes the order or not.
ORDER_FAULTS = (
    ("drop_after_processing", {}),
    ("truncated_body", {}),
    ("error_5xx", {"commit": True, "status": 502}),
    ("error_5xx", {"commit": True, "status": 504}),
    ("hang", {"commit": True, "delay": 0.4}),
    ("drop_before_processing", {}),
    ("error_5xx", {"commit": False, "status": 502}),
    ("hang", {"commit": False, "delay": 0.4}),
    ("rate_limit", {}),
)


@dataclass
class SoakResult:
    """What the soak saw, and whether it held."""

    orders: int
    fault_share: float
    seconds: float = 0.0
    placed: int = 0
    ambiguous: int = 0
    rate_limited: int = 0
    faults_fired: dict[str, int] = field(default_factory=dict)
    posts_per_client_order_id: dict[int, int] = field(default_factory=dict)
    exchange_orders: int = 0
    duplicates: int = 0
    unknown_to_client: int = 0
    resends: int = 0

    @property
    def ok(self) -> bool:
        """True when no order was duplicated, re-sent or lost track of."""
        return self.duplicates == 0 and self.unknown_to_client == 0 and self.resends == 0


class PostCounter:
    """WSGI middleware counting ``POST /orders`` arrivals per client_order_id."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.posts: Counter[str] = Counter()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.app, name)

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        if environ["REQUEST_METHOD"] == "POST" and environ["PATH_INFO"] == "/orders":
            body = environ["wsgi.input"].read()
            environ["wsgi.input"].seek(0)
            cid = json.loads(body or b"{}").get("order", {}).get("client_order_id")
            self.posts[str(cid)] += 1
        return self.app(environ, start_response)


def resting_buy_price(client: Quoinex, product_id: int = 1) -> Decimal:
    """A buy price 5 % under the market, so that orders rest on the book."""
    last = Decimal(client.get_product(product_id)["last_traded_price"])
    return (last * Decimal("0.95")).quantize(1)


def run_soak(orders: int = 200, *, fault_share: float = 0.35, seed: int = 1) -> SoakResult:
    """Place ``orders`` orders with ``fault_share`` of placements failing at random."""
    result = SoakResult(orders=orders, fault_share=fault_share)
    sandbox = Sandbox(rate_limit=None, fault_seed=seed)
    counter = PostCounter(sandbox.app)
    sandbox.app = counter  # type: ignore[assignment]
    per_kind = fault_share / len(ORDER_FAULTS)
    for i, (kind, options) in enumerate(ORDER_FAULTS):
        # Rules are tried in order and the first that fires wins: scale each one
        # so that every kind ends up with the same share of all placements.
        chance = per_kind / (1 - per_kind * i)
        sandbox.faults.add(
            kind, method="POST", path="/orders", times=None, probability=chance, **options
        )
    sandbox.faults.add_random(
        0.2, ("error_5xx", "drop_before_processing"), method="GET", path="/orders/client:*"
    )
    returned: dict[str, int] = {}
    ambiguous: set[str] = set()
    started = time.monotonic()
    with (
        sandbox,
        Quoinex(
            sandbox.token_id,
            sandbox.secret,
            api_url=sandbox.url,
            timeout=(1, 0.15),
            rate_limit=None,
        ) as client,
    ):
        price = resting_buy_price(client)
        for _ in range(orders):
            cid = new_client_order_id()
            try:
                order = client.create_limit_buy(1, "0.001", price, client_order_id=cid)
            except QuoineAmbiguousOrderError as exc:
                assert exc.client_order_id == cid
                ambiguous.add(cid)
            except QuoineRateLimitError:
                result.rate_limited += 1
            else:
                assert order["client_order_id"] == cid
                returned[cid] = int(order["id"])
        result.seconds = round(time.monotonic() - started, 2)
        with sandbox.exchange.lock:
            held = [(o.client_order_id, o.id) for o in sandbox.exchange.demo.orders]
        fired = Counter(kind for kind, method, _ in sandbox.faults.log if method == "POST")
    result.placed = len(returned)
    result.ambiguous = len(ambiguous)
    result.faults_fired = dict(fired)
    result.exchange_orders = len(held)
    cids = Counter(cid for cid, _ in held)
    result.duplicates = sum(n - 1 for n in cids.values())
    result.unknown_to_client = sum(
        1 for cid, oid in held if returned.get(str(cid)) != oid and cid not in ambiguous
    )
    result.posts_per_client_order_id = dict(Counter(counter.posts.values()))
    result.resends = sum(n - 1 for n in counter.posts.values())
    return result


def main(argv: list[str] | None = None) -> int:
    """Run the soak from the command line and print its summary as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orders", type=int, default=1000)
    parser.add_argument("--fault-share", type=float, default=0.35)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    result = run_soak(args.orders, fault_share=args.fault_share, seed=args.seed)
    print(json.dumps({**asdict(result), "ok": result.ok}, indent=2))
    return 0 if result.ok else 1


if __name__ == "__main__":
    sys.exit(main())
