"""The demo's realtime step: a live order book changing as an order goes in and out."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING

from ._book import OrderBook
from ._events import Event
from ._tap import LiquidTap

if TYPE_CHECKING:
    from ..client import Quoine

__all__ = ["live_book_step"]


def _wait_top(tap: LiquidTap, book: OrderBook, changed: Callable[[Decimal], bool]) -> None:
    """Read events until the best bid satisfies ``changed`` (at most 5 s of silence)."""
    for event in tap.events(timeout=5):
        best = book.best_bid()
        if isinstance(event, Event) and best is not None and changed(best[0]):
            return


def live_book_step(
    client: Quoine, tap_url: str, product_id: int, say: Callable[[str], None]
) -> None:
    """Show the live book's best bid move when a bid goes in inside the spread and out again."""
    with LiquidTap(client, url=tap_url) as tap:
        say(f"   LiquidTap(client, url={tap_url!r})")
        book = tap.order_book(product_id)
        bid, ask = book.best_bid(), book.best_ask()
        if bid is None or ask is None:
            say("   (the book has an empty side)")
            return
        say(f"   tap.order_book({product_id}): best bid {bid[0]:f}, best ask {ask[0]:f}")
        price = ((bid[0] + ask[0]) / 2).quantize(Decimal("0.01"))
        say(f"   client.create_limit_buy({product_id}, '0.02', '{price}')  (inside the spread)")
        order = client.create_limit_buy(product_id, "0.02", price)
        _wait_top(tap, book, lambda best: best == price)
        top = book.best_bid()
        say(f"   ladder update received: best bid now {top[0]:f} x {top[1]:f}" if top else "")
        client.cancel_order(order["id"])
        _wait_top(tap, book, lambda best: best < price)
        top = book.best_bid()
        say(f"   cancelled: best bid back to {top[0]:f}" if top else "   cancelled")
