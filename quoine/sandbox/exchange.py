"""The sandbox exchange state: users, balances, order books and matching.

Pure Python, no HTTP. Every balance change is a transfer between two accounts
(users' accounts or the system accounts ``fees``, ``house``, ``external``,
``clearing`` and ``market_maker``), so the total of every currency over all
accounts never changes: see :meth:`Exchange.totals`.

Fee rule: both sides pay in the quoted currency. The incoming (taker) order
pays ``taker_fee`` and the resting (maker) order ``maker_fee`` on
``quantity * price``, rounded down to 8 decimals. A buyer pays cost + fee, a
seller receives cost - fee.

Thread safety: one re-entrant lock, :attr:`Exchange.lock`. The WSGI app holds
it for the whole request; hold it yourself when you read state from another
thread while the server runs.
"""

from __future__ import annotations

import random
import secrets
import threading
import time
from decimal import ROUND_DOWN, Decimal
from typing import Any, Callable

from .market import default_currencies, default_products, seed_executions
from .models import (
    D0,
    DIALECTS,
    Account,
    ApiError,
    Entry,
    Execution,
    Order,
    Product,
    Trade,
    User,
    parse_decimal,
)

__all__ = ["DEMO_BALANCES", "DEMO_TOKEN_ID", "Exchange"]

DEMO_TOKEN_ID = "sandbox-demo"
DEMO_BALANCES = {"USD": "100000", "JPY": "10000000", "BTC": "10", "ETH": "100"}
LEVERAGE_LEVELS = (1, 2, 4, 5, 10, 25, 50, 100)
ORDER_TYPES = (
    "limit",
    "market",
    "market_with_range",
    "limit_post_only",
    "stop",
    "trailing_stop",
)
_FEE_QUANT = Decimal("0.00000001")
_MM_BALANCES = {
    "USD": "1000000000",
    "JPY": "100000000000",
    "SGD": "1000000000",
    "BTC": "100000",
    "ETH": "1000000",
    "P-BTC": "100000",
}


class Exchange:
    """The whole exchange: products, users, books, orders and balances.

    Args:
        seed: Seed for the market maker's book and any other randomness.
        clock: Callable returning the current time in seconds (float).
        token_id: API token id of the funded demo user.
        secret: Its secret; a random one when None.
        book_depth: Price levels per side the market maker keeps.
        withdrawal_step_seconds: Time a withdrawal spends in ``pending`` and
            then in ``processing`` before it is ``processed``.
    """

    def __init__(
        self,
        *,
        seed: int = 0,
        clock: Callable[[], float] | None = None,
        token_id: str = DEMO_TOKEN_ID,
        secret: str | None = None,
        book_depth: int = 30,
        withdrawal_step_seconds: float = 30.0,
        dialect: str = "liquid",
    ) -> None:
        if dialect not in DIALECTS:
            raise ValueError(f"dialect must be one of {DIALECTS}, not {dialect!r}")
        #: Which era's answer shapes to render (see :data:`~.models.DIALECTS`).
        self.dialect = dialect
        self.lock = threading.RLock()
        self.clock: Callable[[], float] = clock or time.time
        self.rng = random.Random(seed)
        self.book_depth = book_depth
        self.withdrawal_step_seconds = withdrawal_step_seconds
        self.currencies = default_currencies()
        self.products = default_products()
        self.users: dict[int, User] = {}
        self.tokens: dict[str, User] = {}
        self.orders: dict[int, Order] = {}
        self.trades: dict[int, Trade] = {}
        self.open_trades: list[Trade] = []
        self._ids: dict[str, int] = {}
        self.fee_user = self._new_user("fees", 1)
        self.house = self._new_user("house", 2)
        self.external = self._new_user("external", 3)
        self.clearing = self._new_user("clearing", 4)
        self.market_maker = self._new_user("market_maker", 5)
        for code, amount in _MM_BALANCES.items():
            self._move(self.external, self.market_maker, code, Decimal(amount), "seed")
        self.demo = self.add_user("demo", DEMO_BALANCES, token_id=token_id, secret=secret, uid=100)
        from .funding import Funding

        self.funding = Funding(self)
        for product in self.products.values():
            product.event_time = self.clock()
            if not product.disabled:
                self._replenish(product)

    # ------------------------------------------------------------------ ids
    def next_id(self, kind: str, start: int = 1) -> int:
        """Return the next id of a sequence (``order``, ``execution`` ...)."""
        value = self._ids.get(kind, start - 1) + 1
        self._ids[kind] = value
        return value

    def now(self) -> float:
        """Current time from the injected clock."""
        return self.clock()

    # -------------------------------------------------------------- users
    def _new_user(self, name: str, uid: int) -> User:
        user = User(uid, name)
        self.users[uid] = user
        return user

    def add_user(
        self,
        name: str,
        balances: dict[str, str] | None = None,
        *,
        token_id: str | None = None,
        secret: str | None = None,
        uid: int | None = None,
    ) -> User:
        """Create a user with an API token, funded from the outside world.

        Args:
            name: A label.
            balances: Starting balances, e.g. ``{"USD": "1000"}``.
            token_id: API token id (random when None).
            secret: API secret (random when None).
            uid: User id (next free id when None).

        Returns:
            The new user; ``user.token_id`` and ``user.secret`` sign requests.
        """
        with self.lock:
            user_id = uid if uid is not None else self.next_id("user", 101)
            user = self._new_user(name, user_id)
            user.token_id = token_id or f"sandbox-{secrets.token_hex(6)}"
            user.secret = secret or secrets.token_urlsafe(24)
            if user.token_id in self.tokens:
                raise ValueError(f"token id {user.token_id!r} already exists")
            self.tokens[user.token_id] = user
            for code in ("USD", "JPY", "BTC", "ETH"):
                self.account(user, code)
            for code, amount in (balances or {}).items():
                self._move(self.external, user, code, Decimal(amount), "deposit")
            return user

    def user_by_token(self, token_id: str) -> User | None:
        """Return the user owning an API token id."""
        return self.tokens.get(token_id)

    # ---------------------------------------------------------------- money
    def account(self, user: User, code: str) -> Account:
        """Return (creating if needed) a user's account in ``code``."""
        acct = user.accounts.get(code)
        if acct is None:
            currency = self.currencies.get(code)
            if currency is None:
                raise ApiError.field("currency", "is_invalid")
            acct = Account(self.next_id("account", 1000), user, currency)
            user.accounts[code] = acct
        return acct

    def _move(
        self,
        src: User,
        dst: User,
        code: str,
        amount: Decimal,
        action: str,
        object_type: str = "",
        object_id: int = 0,
    ) -> None:
        """Transfer ``amount`` of ``code`` from ``src`` to ``dst``."""
        if amount == 0:
            return
        if amount < 0:
            src, dst, amount = dst, src, -amount
        now = self.clock()
        for user, delta in ((src, -amount), (dst, amount)):
            acct = self.account(user, code)
            acct.balance += delta
            if user.token_id is not None:
                user.entries.append(
                    Entry(
                        self.next_id("entry"),
                        code,
                        delta,
                        acct.balance,
                        action,
                        object_type,
                        object_id,
                        now,
                    )
                )

    def reserve(
        self,
        user: User,
        code: str,
        amount: Decimal,
        key: tuple[str, int],
        *,
        check: bool = True,
    ) -> None:
        """Reserve part of a free balance for an order, withdrawal, bid or trade.

        Raises:
            ApiError: 422 ``not_enough_free_balance`` when ``check`` and the
                free balance is too small.
        """
        acct = self.account(user, code)
        if check and acct.free < amount:
            raise ApiError.field("user", "not_enough_free_balance")
        acct.reserved += amount
        acct.reservations[key] = acct.reservations.get(key, D0) + amount

    def release(
        self, user: User, code: str, key: tuple[str, int], amount: Decimal | None = None
    ) -> Decimal:
        """Release (part of) a reservation; returns the amount released."""
        acct = self.account(user, code)
        held = acct.reservations.get(key, D0)
        take = held if amount is None else min(amount, held)
        if held - take <= 0:
            acct.reservations.pop(key, None)
        else:
            acct.reservations[key] = held - take
        acct.reserved -= take
        return take

    def deposit(self, user: User, code: str, amount: Decimal) -> None:
        """Credit ``amount`` to a user from the outside world."""
        with self.lock:
            self._move(self.external, user, code, amount, "deposit")

    def balance(self, user: User, code: str) -> Decimal:
        """A user's total balance in ``code``."""
        with self.lock:
            acct = user.accounts.get(code)
            return acct.balance if acct else D0

    def totals(self) -> dict[str, Decimal]:
        """Sum of every currency over all accounts (constant over time)."""
        with self.lock:
            out: dict[str, Decimal] = {}
            for user in self.users.values():
                for code, acct in user.accounts.items():
                    out[code] = out.get(code, D0) + acct.balance
            return out

    # --------------------------------------------------------------- orders
    def product(self, pid: Any) -> Product:
        """Look a product up by int or string id (404 when unknown)."""
        try:
            product = self.products.get(int(str(pid)))
        except ValueError:
            product = None
        if product is None:
            raise ApiError.not_found("Product")
        return product

    def find_order(self, user: User, ref: str) -> Order:
        """Find a user's order by ``id`` or ``client:{client_order_id}``."""
        if ref.startswith("client:"):
            order = user.orders_by_cid.get(ref[7:])
        else:
            try:
                order = self.orders.get(int(ref))
            except ValueError:
                order = None
        if order is None or order.user is not user:
            raise ApiError.not_found("Order")
        return order

    def place_order(self, user: User, f: dict[str, Any]) -> Order:
        """Validate and place an order, matching it at once when it crosses.

        Args:
            user: The owner.
            f: Order fields as sent (flat or already unwrapped from ``order``).

        Returns:
            The order after matching.

        Raises:
            ApiError: On validation failure or insufficient funds.
        """
        with self.lock:
            order = self._build_order(user, f)
            self._submit(order)
            return order

    def _build_order(self, user: User, f: dict[str, Any]) -> Order:
        if f.get("product_id") is None:
            raise ApiError.field("product_id", "is_missing")
        try:
            product = self.product(f.get("product_id"))
        except ApiError:
            raise ApiError.field("order", "product_not_found") from None
        if product.disabled:
            raise ApiError.field("order", "product_disabled")
        side = f.get("side")
        if side not in ("buy", "sell"):
            raise ApiError.field("side", "is_invalid")
        otype = f.get("order_type")
        if otype not in ORDER_TYPES:
            raise ApiError.field("order_type", "is_invalid")
        qty = parse_decimal(f.get("quantity"), "quantity")
        if qty < self.currencies[product.base].min_order:
            raise ApiError.field("quantity", "less_than_order_size")
        price: Decimal | None = None
        if otype in ("limit", "limit_post_only", "stop") or (
            otype == "market_with_range" and f.get("price") not in (None, "")
        ):
            price = parse_decimal(f.get("price"), "price")
        if price is not None:
            if price > product.last_price * product.multiplier_up:
                raise ApiError.field("order", "price_too_high")
            if price < product.last_price * product.multiplier_down:
                raise ApiError.field("order", "price_too_small")
        order = Order(
            self.next_id("order", 1000001),
            user,
            product,
            str(side),
            str(otype),
            qty,
            price,
            int(self.clock()),
        )
        if otype == "market_with_range":
            if f.get("price_range") not in (None, ""):
                order.price_range = parse_decimal(f.get("price_range"), "price_range")
            elif price is None:
                raise ApiError.field("price_range", "must_be_positive")
        if otype == "trailing_stop":
            kind = f.get("trailing_stop_type")
            if kind not in ("price", "fiat", "percentage"):
                raise ApiError.field("trailing_stop_type", "is_invalid")
            order.trailing_type = str(kind)
            order.trailing_value = parse_decimal(
                f.get("trailing_stop_value"), "trailing_stop_value"
            )
            order.trail_extreme = product.last_price
        cid = f.get("client_order_id")
        if cid not in (None, ""):
            cid = str(cid)
            if len(cid.encode()) > 36:
                raise ApiError.field("client_order_id", "is_too_long")
            if not cid.replace("-", "").isalnum():
                raise ApiError.field("client_order_id", "is_invalid")
            if cid in user.orders_by_cid:
                raise ApiError.field("client_order_id", "has_already_been_taken")
            order.client_order_id = cid
        self._apply_margin_fields(order, f)
        return order

    def _apply_margin_fields(self, order: Order, f: dict[str, Any]) -> None:
        product = order.product
        try:
            lev = int(str(f.get("leverage_level") or 1))
        except ValueError:
            raise ApiError.field("leverage_level", "is_invalid") from None
        if lev not in LEVERAGE_LEVELS:
            raise ApiError.field("leverage_level", "is_invalid")
        direction = f.get("order_direction")
        if direction not in (None, "", "one_direction", "two_direction", "netout", "net_out"):
            raise ApiError.field("order_direction", "is_invalid")
        funding = f.get("funding_currency") or product.quote
        if funding != product.quote:
            raise ApiError.field("funding_currency", "is_invalid")
        margin = (
            lev > 1
            or bool(direction)
            or product.perpetual
            or f.get("trading_type") in ("margin", "perpetual", "cfd")
        )
        if margin and not product.margin_enabled:
            raise ApiError.field("order", "margin_not_enabled")
        order.margin = margin
        order.leverage = lev
        order.order_direction = str(direction) if direction else None
        if f.get("margin_type") in ("cross", "isolated"):
            order.margin_type = str(f["margin_type"])
        for name in ("take_profit", "stop_loss"):
            if f.get(name) not in (None, ""):
                setattr(order, name, parse_decimal(f.get(name), name))

    def _register(self, order: Order) -> None:
        self.orders[order.id] = order
        order.user.orders.append(order)
        if order.client_order_id:
            order.user.orders_by_cid[order.client_order_id] = order

    def _reserve_factor(self, order: Order) -> Decimal:
        fee = order.product.max_fee
        if order.margin:
            return 1 / Decimal(order.leverage) + fee
        return 1 + fee

    def _reserve_order(self, order: Order, ref_price: Decimal, qty: Decimal) -> None:
        """Reserve what ``qty`` at ``ref_price`` can cost (no-op for closes)."""
        if order.close_trade is not None:
            return
        product = order.product
        if order.side == "sell" and not order.margin:
            code, amount = product.base, qty
        else:
            code = product.quote
            amount = qty * ref_price * self._reserve_factor(order)
        self.reserve(order.user, code, amount, ("Order", order.id))
        order.reserve_currency = code
        order.reserve_left = amount

    def _submit(self, order: Order) -> None:
        product = order.product
        book = product.book
        buy = order.side == "buy"
        otype = order.order_type
        if otype in ("stop", "trailing_stop"):
            ref = max(order.price or D0, product.last_price)
            self._reserve_order(order, ref, order.quantity)
            self._register(order)
            product.stops.append(order)
            self._after_trades(product)
            return
        if otype == "limit_post_only":
            opposite = book.best(not buy)
            assert order.price is not None
            if opposite is not None and (
                opposite <= order.price if buy else opposite >= order.price
            ):
                order.status = "cancelled"
                self._register(order)
                return
        if otype in ("limit", "limit_post_only"):
            assert order.price is not None
            order.reserve_price = order.price
            self._reserve_order(order, order.price, order.quantity)
            self._register(order)
            self._match(order, order.price)
            if order.remaining > 0:
                book.add(order)
                order.in_book = True
            else:
                self._finish(order, "filled")
        else:
            self._execute_market(order)
            self._register(order)
        self._after_trades(product)

    def _market_limit(self, order: Order) -> Decimal | None:
        if order.order_type != "market_with_range":
            return None
        buy = order.side == "buy"
        best = order.product.book.best(not buy)
        if order.price_range is None or best is None:
            return order.price
        return best + order.price_range if buy else best - order.price_range

    def _execute_market(self, order: Order) -> None:
        """Fill a market order as far as the book allows, then close it."""
        limit = self._market_limit(order)
        filled, cost = self._plan(order, limit)
        if filled > 0 and order.close_trade is None:
            if order.side == "sell" and not order.margin:
                self._reserve_order(order, D0, filled)
            else:
                self.reserve(
                    order.user,
                    order.product.quote,
                    cost * self._reserve_factor(order),
                    ("Order", order.id),
                )
                order.reserve_currency = order.product.quote
        self._match(order, limit)
        self._finish(order, "filled" if order.remaining == 0 else "cancelled")

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

    def _match(self, order: Order, limit: Decimal | None) -> None:
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
                self._finish(maker, "filled")

    def _finish(self, order: Order, status: str) -> None:
        """Close an order and release whatever it still reserves."""
        order.status = status
        order.updated_at = int(self.clock())
        if order.reserve_currency:
            self.release(order.user, order.reserve_currency, ("Order", order.id))
            order.reserve_left = D0

    def _fill(self, taker: Order, maker: Order, qty: Decimal, price: Decimal) -> None:
        product = taker.product
        now = self.clock()
        if product.executions:
            now = max(now, product.executions[-1].timestamp)
        buy, sell = (taker, maker) if taker.side == "buy" else (maker, taker)
        exe = Execution(
            self.next_id("execution"),
            product.id,
            qty,
            price,
            taker.side,
            now,
            buy,
            sell,
        )
        product.executions.append(exe)
        product.exec_times.append(exe.created_at)
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
        cost = qty * price
        key = ("Order", order.id)
        buy = order.side == "buy"
        if order.reserve_currency:
            ref = order.reserve_price or price
            if order.reserve_currency == product.base:
                amount = qty
            else:
                amount = qty * ref * self._reserve_factor(order)
            self.release(user, order.reserve_currency, key, amount)
        party = self.house if order.margin else user
        sign = 1 if buy else -1
        self._move(party, self.clearing, product.quote, cost * sign, "trade", "Order", order.id)
        self._move(self.clearing, party, product.base, qty * sign, "trade", "Execution", exe.id)
        self._move(user, self.fee_user, product.quote, fee, "trade_fee", "Order", order.id)
        if not order.margin:
            return
        if order.close_trade is not None:
            self._close_part(order.close_trade, qty, price, fee)
        else:
            self._open_part(order, qty, price, fee)

    # --------------------------------------------------------------- margin
    def _open_part(self, order: Order, qty: Decimal, price: Decimal, fee: Decimal) -> None:
        now = int(self.clock())
        trade = self.trades.get(order.trade_ids[-1]) if order.trade_ids else None
        if trade is None:
            trade = Trade(self.next_id("trade", 5001), order, D0, price, now)
            self.trades[trade.id] = trade
            order.user.trades.append(trade)
            self.open_trades.append(trade)
            order.trade_ids.append(trade.id)
            self.funding.open_loan(trade)
        total = trade.open_quantity + qty
        trade.open_price = (trade.open_price * trade.open_quantity + price * qty) / total
        trade.open_quantity = total
        trade.quantity = total
        margin = qty * price / Decimal(trade.leverage)
        trade.margin += margin
        trade.fees += fee
        trade.updated_at = now
        self.reserve(order.user, trade.funding_currency, margin, ("Trade", trade.id), check=False)

    def _close_part(self, trade: Trade, qty: Decimal, price: Decimal, fee: Decimal) -> None:
        sign = 1 if trade.side == "long" else -1
        pnl = (price - trade.open_price) * qty * sign
        portion = trade.margin * qty / trade.open_quantity
        self.release(trade.user, trade.funding_currency, ("Trade", trade.id), portion)
        self._move(
            self.house,
            trade.user,
            trade.funding_currency,
            pnl,
            "realized_pnl",
            "Trade",
            trade.id,
        )
        trade.margin -= portion
        trade.open_quantity -= qty
        trade.closed_quantity += qty
        trade.close_cost += qty * price
        trade.pnl += pnl
        trade.fees += fee
        trade.updated_at = int(self.clock())
        if trade.open_quantity == 0:
            trade.status = "closed"
            self.release(trade.user, trade.funding_currency, ("Trade", trade.id))
            trade.margin = D0
            if trade in self.open_trades:
                self.open_trades.remove(trade)
            self.funding.close_loans(trade)

    def close_trade(self, trade: Trade, quantity: Decimal | None = None) -> Trade:
        """Close (part of) a margin trade with a market order."""
        with self.lock:
            if trade.status != "open":
                raise ApiError.field("trade", "already_closed")
            qty = trade.open_quantity if quantity is None else min(quantity, trade.open_quantity)
            side = "sell" if trade.side == "long" else "buy"
            order = Order(
                self.next_id("order", 1000001),
                trade.user,
                trade.product,
                side,
                "market",
                qty,
                None,
                int(self.clock()),
            )
            order.margin = True
            order.leverage = trade.leverage
            order.close_trade = trade
            self._execute_market(order)
            self._register(order)
            self._after_trades(trade.product)
            return trade

    def adjust_margin(self, trade: Trade, delta: Decimal) -> Trade:
        """Add (or with a negative delta, take back) margin of an open trade."""
        with self.lock:
            if trade.status != "open":
                raise ApiError.field("trade", "already_closed")
            key = ("Trade", trade.id)
            if delta >= 0:
                self.reserve(trade.user, trade.funding_currency, delta, key)
            else:
                if -delta > trade.margin:
                    raise ApiError.field("margin", "too_small")
                self.release(trade.user, trade.funding_currency, key, -delta)
            trade.margin += delta
            trade.updated_at = int(self.clock())
            return trade

    # ---------------------------------------------------- cancel and edit
    def cancel_order(self, order: Order) -> Order:
        """Cancel a live order (404 ``Order not found`` when it is not live)."""
        with self.lock:
            if not order.is_live:
                raise ApiError.not_found("Order")
            if order.in_book:
                order.product.book.remove(order)
                order.in_book = False
            if order in order.product.stops:
                order.product.stops.remove(order)
            self._finish(order, "cancelled")
            return order

    def cancel_all(
        self,
        user: User,
        product_id: Any = None,
        side: Any = None,
        trading_type: Any = None,
    ) -> list[Order]:
        """Cancel every live order of ``user`` matching the filters."""
        with self.lock:
            out = []
            pid = int(str(product_id)) if product_id not in (None, "") else None
            for order in list(user.orders):
                if not order.is_live or (pid is not None and order.product.id != pid):
                    continue
                if side and order.side != side:
                    continue
                if trading_type and order.trading_type != trading_type:
                    continue
                out.append(self.cancel_order(order))
            return out

    def edit_order(self, order: Order, f: dict[str, Any]) -> Order:
        """Change quantity and/or price of a live, unfilled limit order.

        The order loses its time priority and is matched again if its new price
        crosses the book.
        """
        with self.lock:
            if not order.is_live:
                raise ApiError.field("order", "Can not update non-live order")
            if order.filled > 0:
                raise ApiError.field("order", "Can not update partially filled order")
            qty = order.quantity
            price = order.price
            if f.get("quantity") not in (None, ""):
                qty = parse_decimal(f.get("quantity"), "quantity")
                if qty < self.currencies[order.product.base].min_order:
                    raise ApiError.field("quantity", "less_than_order_size")
            if f.get("price") not in (None, ""):
                price = parse_decimal(f.get("price"), "price")
            if order.in_book:
                order.product.book.remove(order)
                order.in_book = False
            if order in order.product.stops:
                order.product.stops.remove(order)
            key = ("Order", order.id)
            old = (order.quantity, order.price, order.reserve_left)
            if order.reserve_currency:
                self.release(order.user, order.reserve_currency, key)
            order.quantity, order.price = qty, price
            try:
                self._reserve_order(order, price or order.product.last_price, qty)
            except ApiError:
                order.quantity, order.price, order.reserve_left = old
                self.reserve(order.user, order.reserve_currency, old[2], key, check=False)
                self._requeue(order)
                raise
            order.reserve_price = price if order.order_type != "stop" else order.reserve_price
            order.updated_at = int(self.clock())
            self._requeue(order)
            return order

    def _requeue(self, order: Order) -> None:
        product = order.product
        if order.order_type in ("stop", "trailing_stop"):
            product.stops.append(order)
        else:
            self._match(order, order.price)
            if order.remaining > 0:
                product.book.add(order)
                order.in_book = True
            else:
                self._finish(order, "filled")
        self._after_trades(product)

    # ------------------------------------------------------ after trades
    def _after_trades(self, product: Product) -> None:
        """Trigger stops, trailing stops and SL/TP, then refill the book."""
        for _ in range(100):
            if not self._trigger_once(product):
                break
        self._replenish(product)

    def _trigger_once(self, product: Product) -> bool:
        last = product.last_price
        for order in list(product.stops):
            buy = order.side == "buy"
            if order.order_type == "trailing_stop":
                assert order.trail_extreme is not None and order.trailing_value is not None
                extreme = min(order.trail_extreme, last) if buy else max(order.trail_extreme, last)
                order.trail_extreme = extreme
                dist = order.trailing_value
                if order.trailing_type == "percentage":
                    dist = extreme * order.trailing_value / 100
                fire = last >= extreme + dist if buy else last <= extreme - dist
            else:
                assert order.price is not None
                fire = last >= order.price if buy else last <= order.price
            if fire:
                product.stops.remove(order)
                self.release(order.user, order.reserve_currency, ("Order", order.id))
                order.reserve_currency = ""
                order.stop_triggered_time = int(self.clock())
                try:
                    self._execute_market(order)
                except ApiError:
                    self._finish(order, "cancelled")
                return True
        for trade in list(self.open_trades):
            if trade.product is not product:
                continue
            long = trade.side == "long"
            sl, tp = trade.stop_loss, trade.take_profit
            hit_sl = sl is not None and (last <= sl if long else last >= sl)
            hit_tp = tp is not None and (last >= tp if long else last <= tp)
            if hit_sl or hit_tp:
                before = trade.open_quantity
                self.close_trade(trade)
                return trade.open_quantity < before
        return False

    def _replenish(self, product: Product) -> None:
        """Let the market maker top each side of the book up to its depth."""
        book = product.book
        mm = self.market_maker
        step = max(
            product.tick,
            (product.last_price * Decimal("0.0005")).quantize(product.tick),
        )
        base_qty = Decimal("0.5") if product.base in ("BTC", "P-BTC") else Decimal("5")
        for buy in (True, False):
            while book.level_count(buy) < self.book_depth:
                worst = None
                if book.level_count(buy):
                    worst = book.prices[buy][0] if buy else book.prices[buy][-1]
                if worst is None:
                    other = book.best(not buy)
                    worst = product.last_price if other is None else other
                price = worst - step if buy else worst + step
                if price <= 0:
                    break
                scale = Decimal(self.rng.randint(100, 4000)) / 1000
                qty = (base_qty * scale).quantize(Decimal("0.0001"))
                order = Order(
                    self.next_id("order", 1000001),
                    mm,
                    product,
                    "buy" if buy else "sell",
                    "limit",
                    qty,
                    price,
                    int(self.clock()),
                )
                order.reserve_price = price
                self._reserve_order(order, price, qty)
                self._register(order)
                book.add(order)
                order.in_book = True

    # ----------------------------------------------------------- history

    def seed_executions(
        self,
        product_id: int,
        count: int,
        *,
        start: float | None = None,
        per_second: int = 10,
        seed: int | None = None,
    ) -> int:
        """Append ``count`` synthetic public executions to a product, fast.

        They move no money and do not change the market; they only exist for
        the public executions endpoints (bulk-export tests and benchmarks).

        Args:
            product_id: Product to seed.
            count: How many executions to add.
            start: Unix time of the first one; default ends them "now". Never
                earlier than the product's last execution.
            per_second: Executions per second of simulated time.
            seed: Random seed (defaults to the exchange's generator).

        Returns:
            The id of the last execution created.
        """
        with self.lock:
            rng = random.Random(seed) if seed is not None else self.rng
            return seed_executions(self, self.product(product_id), count, start, per_second, rng)
