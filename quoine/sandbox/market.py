"""Static market data (currencies, products) and synthetic history."""

from __future__ import annotations

import random
from decimal import Decimal
from typing import Callable

from .models import Currency, Execution, Product

__all__ = ["default_currencies", "default_products", "seed_executions"]


def default_currencies() -> dict[str, Currency]:
    """The currencies of a new exchange."""
    table = [
        Currency("USD", "fiat", precision=2, min_withdrawal="10", symbol="$"),
        Currency("JPY", "fiat", precision=0, usd_rate="0.0071", symbol="¥"),
        Currency("SGD", "fiat", precision=2, usd_rate="0.74", symbol="S$"),
        Currency("EUR", "fiat", precision=2, usd_rate="1.08", symbol="€"),
        Currency(
            "BTC",
            "crypto",
            precision=8,
            min_order="0.0001",
            min_withdrawal="0.001",
            withdrawal_fee="0.0005",
            usd_rate="30000",
            symbol="₿",
        ),
        Currency(
            "ETH",
            "crypto",
            precision=8,
            min_order="0.001",
            min_withdrawal="0.01",
            withdrawal_fee="0.005",
            usd_rate="2000",
            symbol="Ξ",
        ),
        Currency("P-BTC", "crypto", precision=8, min_order="0.0001", usd_rate="30000"),
    ]
    return {c.code: c for c in table}


def default_products() -> dict[int, Product]:
    """The products of a new exchange (603 is a perpetual, 7 is disabled)."""
    table = [
        Product(1, "BTC", "USD", price="30000", tick="0.01"),
        Product(5, "BTC", "JPY", price="4200000", tick="1"),
        Product(7, "BTC", "SGD", price="40000", tick="0.01", disabled=True),
        Product(27, "ETH", "USD", price="2000", tick="0.01"),
        Product(29, "ETH", "JPY", price="280000", tick="1"),
        Product(37, "ETH", "BTC", price="0.0666", tick="0.00001"),
        Product(
            603,
            "P-BTC",
            "USD",
            price="30000",
            tick="0.5",
            taker_fee="0.0005",
            perpetual=True,
        ),
    ]
    return {p.id: p for p in table}


def seed_executions(
    next_id: Callable[[str, int], int],
    now: float,
    product: Product,
    count: int,
    start: float | None,
    per_second: int,
    rng: random.Random,
) -> int:
    """Append synthetic executions; see :meth:`Exchange.seed_executions`."""
    if start is None:
        start = now - count / per_second
    if product.executions:
        start = max(start, product.executions[-1].timestamp)
    price = product.last_price
    tick = product.tick
    last = 0
    record = product.record
    for i in range(count):
        price = max(tick, price + tick * rng.randint(-3, 3))
        qty = Decimal(rng.randint(1, 50000)) / 10000
        side = "buy" if rng.random() < 0.5 else "sell"
        exe = Execution(
            next_id("execution", 1), product.id, qty, price, side, start + i / per_second
        )
        record(exe)
        last = exe.id
    return last
