"""Margin trades (positions): opening, closing, margin, stop loss and take profit.

Positions are financed by the ``house`` account: a margin fill moves the cost
between ``house`` and ``clearing``, reserves ``cost / leverage`` of the
trader's funding currency as the trade's margin, and a close pays the realised
profit (or takes the loss) between ``house`` and the trader. Each trade records
one loan (bookkeeping only; no interest is charged).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Callable

from .funding import Funding
from .ledger import Ledger
from .matching import Engine
from .models import D0, ApiError, Order, Product, Trade, User
from .numbers import decimal_or_none
from .orders import new_order

__all__ = ["Margin"]


class Margin:
    """The margin desk of an exchange; the engine's :class:`~.matching.Positions`.

    Args:
        ledger: The books.
        engine: The matching engine (closing orders go through it).
        funding: The lending desk (each trade records a loan).
        clock: Time source in seconds.
        next_id: The exchange's id sequences.
    """

    def __init__(
        self,
        ledger: Ledger,
        engine: Engine,
        funding: Funding,
        clock: Callable[[], float],
        next_id: Callable[[str, int], int],
    ) -> None:
        self.ledger = ledger
        self.engine = engine
        self.funding = funding
        self.house = engine.house
        self.clock = clock
        self.next_id = next_id
        self.trades: dict[int, Trade] = {}
        self.open: list[Trade] = []
        engine.positions = self

    def open_trades(self, product: Product) -> list[Trade]:
        """Open trades on ``product``, oldest first."""
        return [t for t in self.open if t.product is product]

    def open_part(self, order: Order, qty: Decimal, price: Decimal, fee: Decimal) -> None:
        """Grow (creating if needed) the trade of a margin order by one fill.

        A fill after the order's trade was closed (the order kept resting, or
        the trade's own closing order met it) opens a new trade.
        """
        now = int(self.clock())
        trade = self.trades.get(order.trade_ids[-1]) if order.trade_ids else None
        if trade is None or trade.status != "open":
            trade = Trade(self.next_id("trade", 5001), order, D0, price, now)
            self.trades[trade.id] = trade
            order.user.trades.append(trade)
            self.open.append(trade)
            order.trade_ids.append(trade.id)
            self.funding.open_loan(trade)
        total = trade.open_quantity + qty
        trade.open_price = (trade.open_price * trade.open_quantity + price * qty) / total
        trade.open_quantity = total
        trade.quantity = total
        key = ("Trade", trade.id)
        margin = qty * price / Decimal(trade.leverage)
        trade.margin += self.ledger.reserve(
            order.user, trade.funding_currency, margin, key, check=False
        )
        trade.fees += fee
        trade.updated_at = now

    def close_part(self, trade: Trade, qty: Decimal, price: Decimal, fee: Decimal) -> None:
        """Shrink a trade by one fill of its closing order, paying the profit or loss."""
        sign = 1 if trade.side == "long" else -1
        key = ("Trade", trade.id)
        portion = trade.margin * qty / trade.open_quantity
        trade.margin -= self.ledger.release(trade.user, trade.funding_currency, key, portion)
        pnl = self.ledger.exact((price - trade.open_price) * qty * sign)
        code = trade.funding_currency
        self.ledger.move(self.house, trade.user, code, pnl, "realized_pnl", "Trade", trade.id)
        trade.pnl += pnl
        trade.open_quantity -= qty
        trade.closed_quantity += qty
        trade.close_cost += qty * price
        trade.fees += fee
        trade.updated_at = int(self.clock())
        if trade.open_quantity == 0:
            trade.status = "closed"
            trade.margin -= self.ledger.release(trade.user, trade.funding_currency, key)
            self.open.remove(trade)
            self.funding.close_loans(trade)

    def close_order(self, trade: Trade, quantity: Decimal | None) -> Order:
        """Fill and register a market order closing (part of) ``trade``."""
        qty = trade.open_quantity if quantity is None else min(quantity, trade.open_quantity)
        side = "sell" if trade.side == "long" else "buy"
        order = new_order(
            self.next_id, trade.user, trade.product, side, "market", qty, None, self.clock()
        )
        order.margin = True
        order.leverage = trade.leverage
        order.close_trade = trade
        self.engine.execute_market(order)
        self.engine.register(order)
        return order

    def close(self, trade: Trade, quantity: Decimal | None = None) -> Trade:
        """Close (part of) an open trade with a market order, then run the triggers.

        Raises:
            ApiError: 422 ``{"errors": {"trade": ["already_closed"]}}``.
        """
        if trade.status != "open":
            raise ApiError.field("trade", "already_closed")
        if quantity is not None:
            quantity = self.ledger.entered(trade.product.base, quantity)
            if quantity <= 0:
                raise ApiError.field("closed_quantity", "must_be_positive")
        self.close_order(trade, quantity)
        self.engine.after_trades(trade.product)
        return trade

    def close_all(self, user: User, side: Any = None) -> list[Trade]:
        """Close every open trade of ``user`` (of one ``side`` when given).

        Closing one trade moves the price and may fire another's stop loss or
        take profit: that trade is closed already when its turn comes, and is
        answered as closed instead of failing the whole request.
        """
        chosen = [t for t in user.trades if t.status == "open" and (not side or t.side == side)]
        for trade in chosen:
            if trade.status == "open":
                self.close(trade)
        return chosen

    def adjust(self, trade: Trade, delta: Decimal) -> Trade:
        """Add (or with a negative delta, take back) margin of an open trade.

        Raises:
            ApiError: 422 ``already_closed``, ``not_enough_free_balance`` or
                ``{"errors": {"margin": ["too_small"]}}``.
        """
        if trade.status != "open":
            raise ApiError.field("trade", "already_closed")
        key = ("Trade", trade.id)
        code = trade.funding_currency
        delta = self.ledger.entered(code, delta)
        if delta >= 0:
            trade.margin += self.ledger.reserve(trade.user, code, delta, key)
        else:
            if -delta > trade.margin:
                raise ApiError.field("margin", "too_small")
            trade.margin -= self.ledger.release(trade.user, code, key, -delta)
        trade.updated_at = int(self.clock())
        return trade

    def update(self, trade: Trade, fields: dict[str, Any]) -> Trade:
        """Set or clear (``None``, ``""``, ``0``) a trade's stop loss and take profit."""
        values = {}
        for name in ("stop_loss", "take_profit"):
            if name in fields:
                value = fields[name]
                empty = value in (None, "", 0) or str(value) in ("0", "0.0")
                values[name] = None if empty else decimal_or_none(value, name, places=8)
        for name, number in values.items():
            setattr(trade, name, number)
        trade.updated_at = int(self.clock())
        return trade
