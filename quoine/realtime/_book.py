"""An order book kept from a REST snapshot and 40-level ladder replacements.

Each ``price_ladders_cash_<pair>_<side>`` message replaces the best levels of one
side (up to 40). The merge rule (docs/realtime.rst): the message replaces every level
at or inside its worst price; levels of the previous book strictly beyond that
price (known only from the REST snapshot) are kept; a message with fewer than 40
levels is the whole side. Deep levels may therefore be stale; the book is rebuilt
from REST after every reconnection.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, NamedTuple

from ._events import Level, decode_ladder

__all__ = ["LADDER_DEPTH", "BookSnapshot", "OrderBook", "merge_side"]

#: Levels per side in a ladder message; a shorter message is the whole side.
LADDER_DEPTH = 40


class BookSnapshot(NamedTuple):
    """A consistent copy of an order book, best levels first.

    Attributes:
        bids: ``(price, quantity)`` pairs, highest price first.
        asks: ``(price, quantity)`` pairs, lowest price first.
        updates: How many ladder messages the book had applied when copied.
    """

    bids: tuple[Level, ...]
    asks: tuple[Level, ...]
    updates: int

    @property
    def best_bid(self) -> Level | None:
        """The highest bid, or None if there is none."""
        return self.bids[0] if self.bids else None

    @property
    def best_ask(self) -> Level | None:
        """The lowest ask, or None if there is none."""
        return self.asks[0] if self.asks else None


def _sorted_side(levels: Sequence[Level], descending: bool) -> list[Level]:
    """Levels with a positive quantity, one per price, best first."""
    if _is_clean(levels, descending):  # what the service sends: nothing to do
        return list(levels)
    merged = {price: quantity for price, quantity in levels if quantity > 0}
    return sorted(merged.items(), reverse=descending)


def _is_clean(levels: Sequence[Level], descending: bool) -> bool:
    """Strictly best first, every quantity positive."""
    previous = None
    for price, quantity in levels:
        if quantity <= 0:
            return False
        if previous is not None and (price >= previous if descending else price <= previous):
            return False
        previous = price
    return True


def _first_beyond(side: Sequence[Level], worst: Decimal, descending: bool) -> int:
    """Index of the first level of ``side`` (best first) strictly beyond ``worst``."""
    low, high = 0, len(side)
    while low < high:
        middle = (low + high) // 2
        price = side[middle][0]
        if price < worst if descending else price > worst:
            high = middle
        else:
            low = middle + 1
    return low


def merge_side(current: Sequence[Level], ladder: Sequence[Level], descending: bool) -> list[Level]:
    """Apply one ladder message to one side of a book (both best first).

    Args:
        current: The side before the message.
        ladder: The message's levels (prices and quantities as Decimal).
        descending: True for bids (best = highest), False for asks.

    Returns:
        The new side, best first. It is the ladder, followed by the levels of
        ``current`` strictly beyond the ladder's worst price when the ladder
        holds 40 levels or more.

    Example:
        >>> from decimal import Decimal as D
        >>> old = [(D(p), D(1)) for p in (10, 9, 8)]
        >>> merge_side(old, [(D(10), D(2))], descending=True)
        [(Decimal('10'), Decimal('2'))]
    """
    top = _sorted_side(ladder, descending)
    if len(ladder) < LADDER_DEPTH or not top:
        return top
    return top + list(current[_first_beyond(current, top[-1][0], descending) :])


class OrderBook:
    """The live order book of one product, kept by a :class:`LiquidTap`.

    Create it with :meth:`LiquidTap.order_book`; it is updated on the
    connection's own thread as ladder messages arrive, whether or not anyone reads
    the events, and rebuilt from a REST snapshot after every reconnection. Every
    method is safe to call from any thread.

    Attributes:
        product_id: The product id, e.g. ``"1"``.
        pair: The lower-case currency pair code, e.g. ``"btcusd"``.
        channels: The ladder channels, buy then sell.
    """

    def __init__(self, product_id: str, pair: str) -> None:
        self.product_id = product_id
        self.pair = pair
        self.channels = (f"price_ladders_cash_{pair}_buy", f"price_ladders_cash_{pair}_sell")
        self._lock = threading.Lock()
        self._bids: list[Level] = []
        self._asks: list[Level] = []
        self._updates = 0

    def __repr__(self) -> str:
        snap = self.snapshot(1)
        return (
            f"OrderBook(product_id={self.product_id!r}, pair={self.pair!r}, "
            f"best_bid={snap.best_bid}, best_ask={snap.best_ask})"
        )

    def load(self, snapshot: Any) -> None:
        """Replace the whole book with a REST answer of ``get_order_book(id, full=True)``."""
        bids = decode_ladder(snapshot.get("buy_price_levels") or []) or []
        asks = decode_ladder(snapshot.get("sell_price_levels") or []) or []
        bids, asks = _sorted_side(bids, True), _sorted_side(asks, False)
        with self._lock:
            self._bids, self._asks = bids, asks

    def apply(self, channel: str, ladder: Sequence[Level]) -> None:
        """Apply one decoded ladder message of ``channel`` (buy or sell side)."""
        descending = channel == self.channels[0]
        with self._lock:
            current = self._bids if descending else self._asks
            side = merge_side(current, ladder, descending)
            if descending:
                self._bids = side
            else:
                self._asks = side
            self._updates += 1

    def snapshot(self, depth: int | None = None) -> BookSnapshot:
        """A consistent copy of the book: both sides as of the same moment.

        Args:
            depth: Levels per side to copy; None for all.
        """
        with self._lock:
            bids, asks, updates = self._bids, self._asks, self._updates
        # The sides are replaced, never changed in place: slicing outside the lock is safe.
        return BookSnapshot(tuple(bids[:depth]), tuple(asks[:depth]), updates)

    def best_bid(self) -> Level | None:
        """The highest bid ``(price, quantity)``, or None."""
        bids = self._bids
        return bids[0] if bids else None

    def best_ask(self) -> Level | None:
        """The lowest ask ``(price, quantity)``, or None."""
        asks = self._asks
        return asks[0] if asks else None

    def depth(self) -> tuple[int, int]:
        """How many price levels ``(bids, asks)`` the book holds."""
        with self._lock:
            return len(self._bids), len(self._asks)

    def spread(self) -> Decimal | None:
        """Best ask minus best bid, or None if a side is empty."""
        snap = self.snapshot(1)
        if snap.best_bid is None or snap.best_ask is None:
            return None
        return snap.best_ask[0] - snap.best_bid[0]
