"""The matching engine: books, fills, settlement, stops and the market maker.

Fee rule: both sides pay in the quoted currency. The incoming (taker) order
pays ``taker_fee`` and the resting (maker) order ``maker_fee`` on
``quantity * price``, rounded down to 8 decimals. A buyer pays cost + fee, a
seller receives cost - fee.

Triggers (stop orders, trailing stops, stop loss and take profit of margin
trades) run in a loop after each order, never by recursion: each pass fires
at most one trigger, and a trade's stop loss or take profit fires at most once
per cascade, so a stop loss that cannot fill (an empty book) does not fire again
and again.
"""

from __future__ import annotations

import random
from decimal import ROUND_DOWN, Decimal
from typing import Callable, Protocol

from .ledger import Ledger
from .models import D0, ApiError, Execution, Order, Product, Trade, User
from .orders import new_order

__all__ = ["Engine", "Positions"]

_FEE_QUANT = Decimal("0.00000001")
_MAX_CASCADE = 1000


class Positions(Protocol):
    """What the engine needs from the margin desk (see :mod:`.margin`)."""

    def open_part(self, order: Order, qty: Decimal, price: Decimal, fee: Decimal) -> None:
        """Grow the order's trade by a fill."""

    def close_part(self, trade: Trade, qty: Decimal, price: Decimal, fee: Decimal) -> None:
        """Shrink a trade by a fill of its closing order."""

    def open_trades(self, product: Product) -> list[Trade]:
        """Open trades on a product."""

    def close_order(self, trade: Trade, quantity: Decimal | None) -> Order:
        """Build, fill and register a market order closing (part of) a trade."""


class Engine:
    """Order matching over the books of an exchange's products.

    Args:
        ledger: The books.
        accounts: System accounts ``house``, ``clearing``, ``fees``, ``market_maker``.
        clock: Time source in seconds.
        next_id: The exchange's id sequences.
        rng: Random source of the market maker.
        book_depth: Price levels per side the market maker keeps.
    """

    def __init__(
        self,
        ledger: Ledger,
        accounts: dict[str, User],
        clock: Callable[[], float],
        next_id: Callable[[str, int], int],
        rng: random.Random,
        book_depth: int,
    ) -> None:
        self.ledger = ledger
        self.house = accounts["house"]
        self.clearing = accounts["clearing"]
        self.fees = accounts["fees"]
        self.market_maker = accounts["market_maker"]
        self.clock = clock
        self.next_id = next_id
        self.rng = rng
        self.book_depth = book_depth
        self.orders: dict[int, Order] = {}
        self.positions: Positions | None = None

    # ------------------------------------------------------------ orders
    def register(self, order: Order) -> None:
        """Make an order known (by id, to its user, by client order id)."""
        self.orders[order.id] = order
        order.user.orders.append(order)
        if order.client_order_id:
            order.user.orders_by_cid[order.client_order_id] = order

    def reserve_factor(self, order: Order) -> Decimal:
        """What one unit of cost reserves: 1/leverage for margin, plus the fee."""
        fee = order.product.max_fee
        if order.margin:
            return 1 / Decimal(order.leverage) + fee
        return 1 + fee

    def reserve_order(self, order: Order, ref_price: Decimal, qty: Decimal) -> None:
        """Reserve what ``qty`` at ``ref_price`` can cost (no-op for closes)."""
        if order.close_trade is not None:
            return
        product = order.product
        if order.side == "sell" and not order.margin:
            code, amount = product.base, qty
        else:
            code = product.quote
            amount = qty * ref_price * self.reserve_factor(order)
        key = ("Order", order.id)
        self.ledger.reserve(order.user, code, amount, key)
        order.reserve_currency = code
        order.reserve_left = self.ledger.held(order.user, code, key)

    def limit_reference(self, order: Order) -> Decimal:
        """The price a limit order's reservation counts: its limit, or a higher bid it takes.

        A buy fills at its limit or lower. A margin sell's margin grows with
        the price it fills at, and a sell crossing the book takes the bids
        above its limit, so it reserves at the best bid.
        """
        assert order.price is not None
        bid = order.product.book.best(True)
        if order.margin and order.side == "sell" and bid is not None and bid > order.price:
            return bid
        return order.price

    def submit(self, order: Order) -> None:
        """Book, match or queue a new, validated order, then run the triggers."""
        product = order.product
        if order.order_type in ("stop", "trailing_stop"):
            ref = max(order.price or D0, product.last_price)
            self.reserve_order(order, ref, order.quantity)
            self.register(order)
            product.stops.append(order)
        elif order.order_type == "limit_post_only" and self._would_take(order):
            order.status = "cancelled"
            self.register(order)
            return
        elif order.order_type in ("limit", "limit_post_only"):
            order.reserve_price = self.limit_reference(order)
            self.reserve_order(order, order.reserve_price, order.quantity)
            self.register(order)
            self.rest(order)
        else:
            self.execute_market(order)
            self.register(order)
        self.after_trades(product)

    def _would_take(self, order: Order) -> bool:
        buy = order.side == "buy"
        opposite = order.product.book.best(not buy)
        assert order.price is not None
        return opposite is not None and (
            opposite <= order.price if buy else opposite >= order.price
        )

    def rest(self, order: Order) -> None:
        """Match a limit order, then book what is left (or finish it)."""
        self.match(order, order.price)
        if order.remaining > 0:
            order.product.book.add(order)
            order.in_book = True
        else:
            self.finish(order, "filled")

    def unbook(self, order: Order) -> None:
        """Take a live order off its book or its product's stop list."""
        product = order.product
        if order.in_book:
            product.book.remove(order)
            order.in_book = False
        if order in product.stops:
            product.stops.remove(order)

    def rebook(self, order: Order) -> None:
        """Put a live order back on its book or stop list without matching it."""
        if order.order_type in ("stop", "trailing_stop"):
            order.product.stops.append(order)
        else:
            order.product.book.add(order)
            order.in_book = True

    def _market_limit(self, order: Order) -> Decimal | None:
        if order.order_type != "market_with_range":
            return None
        buy = order.side == "buy"
        best = order.product.book.best(not buy)
        if order.price_range is None or best is None:
            return order.price
        return best + order.price_range if buy else best - order.price_range

    def execute_market(self, order: Order) -> None:
        """Fill a market order as far as the book allows, then close it.

        Raises:
            ApiError: 422 ``not_enough_free_balance`` before anything fills.
        """
        limit = self._market_limit(order)
        filled, cost = self._plan(order, limit)
        if filled > 0 and order.close_trade is None:
            if order.side == "sell" and not order.margin:
                self.reserve_order(order, D0, filled)
            else:
                amount = cost * self.reserve_factor(order)
                self.ledger.reserve(order.user, order.product.quote, amount, ("Order", order.id))
                order.reserve_currency = order.product.quote
        self.match(order, limit)
        self.finish(order, "filled" if order.remaining == 0 else "cancelled")

    def _plan(self, order: Order, limit: Decimal | None) -> tuple[Decimal, Decimal]:
        """Quantity and cost a market order would fill right now."""
        buy = order.side == "buy"
        book = order.product.book
        left, cost = order.remaining, D0
        for price in book.ordered_prices(not buy):
            if limit is not None and (price > limit if buy else price < limit):
                break
            for resting in book.levels[not buy][price]:
                take = min(left, resting.remaining)
                left -= take
                cost += take * price
                if left == 0:
                    return order.remaining, cost
        return order.remaining - left, cost

    def match(self, order: Order, limit: Decimal | None) -> None:
        """Fill ``order`` against the opposite side up to ``limit``."""
        buy = order.side == "buy"
        book = order.product.book
        while order.remaining > 0:
            best = book.best(not buy)
            if best is None or (limit is not None and (best > limit if buy else best < limit)):
                break
            level = book.levels[not buy][best]
            maker = level[0]
            qty = min(order.remaining, maker.remaining)
            self._fill(order, maker, qty, best)
            if maker.remaining == 0:
                level.popleft()
                maker.in_book = False
                if not level:
                    book.drop_level(not buy, best)
                self.finish(maker, "filled")

    def finish(self, order: Order, status: str) -> None:
        """Close an order and release whatever it still reserves."""
        order.status = status
        order.updated_at = int(self.clock())
        if order.reserve_currency:
            self.ledger.release(order.user, order.reserve_currency, ("Order", order.id))
            order.reserve_left = D0

    # ------------------------------------------------------------- fills
    def _fill(self, taker: Order, maker: Order, qty: Decimal, price: Decimal) -> None:
        product = taker.product
        now = self.clock()
        if product.executions:
            now = max(now, product.executions[-1].timestamp)
        buy, sell = (taker, maker) if taker.side == "buy" else (maker, taker)
        exe = Execution(
            self.next_id("execution", 1), product.id, qty, price, taker.side, now, buy, sell
        )
        product.record(exe)
        product.last_price = price
        product.event_time = now
        for order, rate in ((taker, product.taker_fee), (maker, product.maker_fee)):
            fee = (qty * price * rate).quantize(_FEE_QUANT, rounding=ROUND_DOWN)
            self._settle(order, exe, qty, price, fee)
            order.filled += qty
            order.cost += qty * price
            order.fee += fee
            order.updated_at = exe.created_at
            order.executions.append(exe)
            order.user.fills.append((exe, order.side, order))
            if order.remaining > 0 and order.is_live:
                order.status = "partially_filled"

    def _settle(
        self, order: Order, exe: Execution, qty: Decimal, price: Decimal, fee: Decimal
    ) -> None:
        """Move the money of one side of a fill."""
        product = order.product
        user = order.user
        key = ("Order", order.id)
        if order.reserve_currency:
            ref = order.reserve_price or price
            amount = (
                qty
                if order.reserve_currency == product.base
                else qty * ref * self.reserve_factor(order)
            )
            self.ledger.release(user, order.reserve_currency, key, amount)
        party = self.house if order.margin else user
        sign = 1 if order.side == "buy" else -1
        move = self.ledger.move
        move(party, self.clearing, product.quote, qty * price * sign, "trade", "Order", order.id)
        move(self.clearing, party, product.base, qty * sign, "trade", "Execution", exe.id)
        move(user, self.fees, product.quote, fee, "trade_fee", "Order", order.id)
        if not order.margin:
            return
        assert self.positions is not None
        if order.close_trade is not None:
            self.positions.close_part(order.close_trade, qty, price, fee)
        else:
            self.positions.open_part(order, qty, price, fee)

    # ---------------------------------------------------------- triggers
    def after_trades(self, product: Product) -> None:
        """Fire stops, trailing stops and SL/TP one at a time, then refill the book."""
        fired: set[int] = set()
        for _ in range(_MAX_CASCADE):
            if not self._fire_stop(product) and not self._fire_position(product, fired):
                break
        self.replenish(product)

    def _stop_fires(self, order: Order, last: Decimal) -> bool:
        buy = order.side == "buy"
        if order.order_type != "trailing_stop":
            assert order.price is not None
            return last >= order.price if buy else last <= order.price
        assert order.trail_extreme is not None and order.trailing_value is not None
        extreme = min(order.trail_extreme, last) if buy else max(order.trail_extreme, last)
        order.trail_extreme = extreme
        dist = order.trailing_value
        if order.trailing_type == "percentage":
            dist = extreme * order.trailing_value / 100
        return last >= extreme + dist if buy else last <= extreme - dist

    def _fire_stop(self, product: Product) -> bool:
        for order in list(product.stops):
            if not self._stop_fires(order, product.last_price):
                continue
            product.stops.remove(order)
            self.ledger.release(order.user, order.reserve_currency, ("Order", order.id))
            order.reserve_currency = ""
            order.stop_triggered_time = int(self.clock())
            try:
                self.execute_market(order)
            except ApiError:
                self.finish(order, "cancelled")
            return True
        return False

    def _fire_position(self, product: Product, fired: set[int]) -> bool:
        if self.positions is None:
            return False
        last = product.last_price
        for trade in self.positions.open_trades(product):
            if trade.id in fired:
                continue
            long = trade.side == "long"
            sl, tp = trade.stop_loss, trade.take_profit
            hit_sl = sl is not None and (last <= sl if long else last >= sl)
            hit_tp = tp is not None and (last >= tp if long else last <= tp)
            if hit_sl or hit_tp:
                fired.add(trade.id)
                self.positions.close_order(trade, None)
                return True
        return False

    # ------------------------------------------------------ market maker
    def replenish(self, product: Product) -> None:
        """Let the market maker top each side of the book up to its depth."""
        step = max(product.tick, (product.last_price * Decimal("0.0005")).quantize(product.tick))
        for buy in (True, False):
            while product.book.level_count(buy) < self.book_depth:
                price = self._next_level(product, buy, step)
                if price <= 0 or not self._quote(product, buy, price):
                    break

    @staticmethod
    def _next_level(product: Product, buy: bool, step: Decimal) -> Decimal:
        book = product.book
        worst = None
        if book.level_count(buy):
            worst = book.prices[buy][0] if buy else book.prices[buy][-1]
        if worst is None:
            other = book.best(not buy)
            worst = product.last_price if other is None else other
        return worst - step if buy else worst + step

    def _quote(self, product: Product, buy: bool, price: Decimal) -> bool:
        """Book one market-maker order; False when its funds have run out."""
        base_qty = Decimal("0.5") if product.base in ("BTC", "P-BTC") else Decimal("5")
        scale = Decimal(self.rng.randint(100, 4000)) / 1000
        qty = (base_qty * scale).quantize(Decimal("0.0001"))
        side = "buy" if buy else "sell"
        order = new_order(
            self.next_id, self.market_maker, product, side, "limit", qty, price, self.clock()
        )
        order.reserve_price = price
        try:
            self.reserve_order(order, price, qty)
        except ApiError:
            return False
        self.register(order)
        product.book.add(order)
        order.in_book = True
        return True
