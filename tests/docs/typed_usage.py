"""Typed use of the client as docs/types.rst shows it; ``mypy --strict`` must accept it.

Checked by ``test_types.py::test_documented_typed_usage_passes_mypy_strict``; never run.
"""

from __future__ import annotations

from decimal import Decimal

from quoine import Quoinex
from quoine.types import Account, Order, OrderBook, Trade


def best_bid(book: OrderBook) -> str:
    return str(book["buy_price_levels"][0][0])


def is_done(order: Order) -> bool:
    return order["status"] in ("filled", "cancelled")


def free(account: Account) -> Decimal:
    return Decimal(str(account["balance"])) - Decimal(str(account.get("reserved_balance", 0)))


def use(client: Quoinex) -> list[str]:
    o: Order = client.get_order(1)
    shown = [best_bid(client.get_order_book(1)), str(is_done(o))]
    shown += [str(order["id"]) for order in client.get_orders(status="live")["models"]]
    shown += [str(order["price"]) for order in client.iter_orders(product_id=1)]
    trades: list[Trade] = client.get_trades(status="open")["models"]
    shown += [str(free(a)) for a in client.get_fiat_accounts()]
    shown += [t["side"] for t in trades]
    placed: Order = client.create_limit_buy(1, "0.01", "500")
    return [*shown, str(placed.get("client_order_id"))]
