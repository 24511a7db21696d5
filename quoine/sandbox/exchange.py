"""The sandbox exchange: users, products and the desks that change their state.

Pure Python, no HTTP. :class:`Exchange` ties together the books
(:mod:`.ledger`), order validation (:mod:`.orders`), the matching engine
(:mod:`.matching`), the margin desk (:mod:`.margin`) and the funding desk
(:mod:`.funding`). Every balance change is a two-leg transfer in the ledger,
so :meth:`Exchange.totals` never changes.

Thread safety: one re-entrant lock, :attr:`Exchange.lock`. The WSGI app holds
it for the whole request; hold it yourself when you read state from another
thread while the server runs.

Change notification: after every change of state (a request or a method call
that moved money, touched an order, a trade or a record), :attr:`Exchange.version`
grows by one and :attr:`Exchange.changed` (a :class:`threading.Condition` on
:attr:`Exchange.lock`) is notified. A watcher (such as a Liquid Tap server)
waits with :meth:`Exchange.wait_for_change`.
"""

from __future__ import annotations

import contextlib
import random
import secrets
import threading
import time
from collections.abc import Iterator
from decimal import Decimal
from typing import Any, Callable

from .config import DEMO_TOKEN_ID, SandboxConfig
from .funding import Funding
from .ledger import Ledger
from .margin import Margin
from .market import default_currencies, default_products, seed_executions
from .matching import Engine
from .models import D0, Account, ApiError, Order, Product, Trade, User
from .numbers import parse_id
from .orders import build_order, entered_price, entered_quantity

__all__ = ["DEMO_BALANCES", "DEMO_TOKEN_ID", "Exchange"]

DEMO_BALANCES = {"USD": "100000", "JPY": "10000000", "BTC": "10", "ETH": "100"}
_MM_BALANCES = {
    "USD": "1000000000",
    "JPY": "100000000000",
    "SGD": "1000000000",
    "BTC": "100000",
    "ETH": "1000000",
    "P-BTC": "100000",
}
_SYSTEM = ("fees", "house", "external", "clearing", "market_maker")


class Exchange:
    """The whole exchange: products, users, books, orders and balances.

    Args:
        config: The options (:class:`~quoine.sandbox.config.SandboxConfig`);
            the exchange reads ``seed`` (the market maker's book and any other
            randomness), ``clock``, ``token_id`` and ``secret`` (the funded
            demo user; a random secret when None), ``book_depth`` and
            ``withdrawal_step_seconds``.
        **options: Fields overriding ``config``, e.g. ``Exchange(seed=3)``.
    """

    def __init__(self, config: SandboxConfig | None = None, **options: Any) -> None:
        self.config = config = SandboxConfig.build(config, **options)
        #: Which era's answer shapes to render (see :data:`~.models.DIALECTS`).
        self.dialect = config.dialect
        clock, seed, book_depth = config.clock, config.seed, config.book_depth
        withdrawal_step_seconds = config.withdrawal_step_seconds
        self.lock = threading.RLock()
        self.changed = threading.Condition(self.lock)
        self.version = 0
        self._depth = 0
        self._touched = False
        self.clock: Callable[[], float] = clock or time.time
        self.rng = random.Random(seed)
        self.currencies = default_currencies()
        self.products = default_products()
        self.tokens: dict[str, User] = {}
        self._ids: dict[str, int] = {}
        self.ledger = Ledger(self.currencies, self.clock, self.next_id)
        self.users = self.ledger.users
        system = {
            name: self.ledger.add_user(User(uid, name)) for uid, name in enumerate(_SYSTEM, 1)
        }
        self.fee_user, self.house, self.external = (
            system["fees"],
            system["house"],
            system["external"],
        )
        self.clearing, self.market_maker = system["clearing"], system["market_maker"]
        self.engine = Engine(self.ledger, system, self.clock, self.next_id, self.rng, book_depth)
        self.funding = Funding(
            self.ledger, system, self.clock, self.next_id, withdrawal_step_seconds
        )
        self.margin = Margin(self.ledger, self.engine, self.funding, self.clock, self.next_id)
        for code, amount in _MM_BALANCES.items():
            self.ledger.move(self.external, self.market_maker, code, Decimal(amount), "seed")
        self.demo = self.add_user(
            "demo", DEMO_BALANCES, token_id=config.token_id, secret=config.secret, uid=100
        )
        for product in self.products.values():
            product.event_time = self.clock()
            if not product.disabled:
                self.engine.replenish(product)

    # ------------------------------------------------------------ basics
    def next_id(self, kind: str, start: int = 1) -> int:
        """Return the next id of a sequence (``order``, ``execution`` ...)."""
        value = self._ids.get(kind, start - 1) + 1
        self._ids[kind] = value
        return value

    def now(self) -> float:
        """Current time from the injected clock."""
        return self.clock()

    @property
    def orders(self) -> dict[int, Order]:
        """Every order by id."""
        return self.engine.orders

    @property
    def trades(self) -> dict[int, Trade]:
        """Every margin trade by id."""
        return self.margin.trades

    @property
    def open_trades(self) -> list[Trade]:
        """Open margin trades, oldest first."""
        return self.margin.open

    # ------------------------------------------------------ notification
    @contextlib.contextmanager
    def transaction(self, *, touch: bool = True) -> Iterator[None]:
        """Hold the lock; undo the books if the block raises; notify on change.

        ``touch=False`` notifies only when money or a reservation moved
        (for reads, which may still advance withdrawals).
        """
        with self.lock:
            start = self.ledger.changes
            self._depth += 1
            try:
                with self.ledger.transaction():
                    yield
            except BaseException:
                if self._depth == 1:
                    self._touched = False
                raise
            finally:
                self._depth -= 1
            self._touched = self._touched or touch or self.ledger.changes != start
            if self._depth == 0 and self._touched:
                self._touched = False
                self.version += 1
                self.changed.notify_all()

    def touch(self) -> None:
        """Mark the current transaction as a change even if no money moved."""
        with self.lock:
            self._touched = True
            if self._depth == 0:
                self._touched = False
                self.version += 1
                self.changed.notify_all()

    def wait_for_change(self, version: int, timeout: float | None = None) -> int:
        """Block until :attr:`version` differs from ``version``; return the new one."""
        with self.changed:
            self.changed.wait_for(lambda: self.version != version, timeout)
            return self.version

    # ------------------------------------------------------------- users
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

        Raises:
            ValueError: The token id exists already.
        """
        with self.transaction():
            token_id = token_id or f"sandbox-{secrets.token_hex(6)}"
            if token_id in self.tokens:
                raise ValueError(f"token id {token_id!r} already exists")
            user = User(uid if uid is not None else self.next_id("user", 101), name)
            user.token_id = token_id
            user.secret = secret or secrets.token_urlsafe(24)
            self.ledger.add_user(user)
            self.tokens[token_id] = user
            for code in ("USD", "JPY", "BTC", "ETH"):
                self.ledger.account(user, code)
            for code, amount in (balances or {}).items():
                self.deposit(user, code, Decimal(amount))
            return user

    def user_by_token(self, token_id: str) -> User | None:
        """Return the user owning an API token id."""
        return self.tokens.get(token_id)

    # ------------------------------------------------------------- money
    def account(self, user: User, code: str) -> Account:
        """Return (creating if needed) a user's account in ``code``."""
        return self.ledger.account(user, code)

    def deposit(self, user: User, code: str, amount: Decimal) -> None:
        """Credit ``amount`` (cut to the currency's precision) from the outside world."""
        with self.transaction():
            amount = self.ledger.entered(code, amount)
            self.ledger.move(self.external, user, code, amount, "deposit")

    def balance(self, user: User, code: str) -> Decimal:
        """A user's total balance in ``code``."""
        with self.lock:
            acct = user.accounts.get(code)
            return acct.balance if acct else D0

    def totals(self) -> dict[str, Decimal]:
        """Sum of every currency over all accounts (constant over time)."""
        with self.lock:
            return self.ledger.totals()

    # ------------------------------------------------------------ orders
    def product(self, pid: Any) -> Product:
        """Look a product up by int or string id (404 when unknown)."""
        product = self.products.get(parse_id(pid) or 0)
        if product is None:
            raise ApiError.not_found("Product")
        return product

    def find_order(self, user: User, ref: str) -> Order:
        """Find a user's order by ``id`` or ``client:{client_order_id}`` (404 when not)."""
        if ref.startswith("client:"):
            order = user.orders_by_cid.get(ref[7:])
        else:
            order = self.engine.orders.get(parse_id(ref) or 0)
        if order is None or order.user is not user:
            raise ApiError.not_found("Order")
        return order

    def find_trade(self, user: User, ref: Any) -> Trade:
        """Find a user's margin trade by id (404 ``Trade not found``)."""
        trade = self.margin.trades.get(parse_id(ref) or 0)
        if trade is None or trade.user is not user:
            raise ApiError.not_found("Trade")
        return trade

    def place_order(self, user: User, f: dict[str, Any]) -> Order:
        """Validate and place an order, matching it at once when it crosses.

        Args:
            user: The owner.
            f: Order fields as sent (flat or already unwrapped from ``order``).

        Returns:
            The order after matching.

        Raises:
            ApiError: On validation failure or insufficient funds (nothing changed).
        """
        with self.transaction():
            order = build_order(self.ledger, self.products, self.next_id, user, f, self.clock())
            self.engine.submit(order)
            return order

    def cancel_order(self, order: Order) -> Order:
        """Cancel a live order (404 ``Order not found`` when it is not live)."""
        with self.transaction():
            if not order.is_live:
                raise ApiError.not_found("Order")
            self.engine.unbook(order)
            self.engine.finish(order, "cancelled")
            return order

    def cancel_all(
        self,
        user: User,
        product_id: Any = None,
        side: Any = None,
        trading_type: Any = None,
    ) -> list[Order]:
        """Cancel every live order of ``user`` matching the filters.

        Raises:
            ApiError: 422 when ``product_id`` is not an id.
        """
        pid = None
        if product_id not in (None, ""):
            pid = parse_id(product_id)
            if pid is None:
                raise ApiError.field("product_id", "is_invalid")
        with self.transaction():
            out = []
            for order in list(user.orders):
                if not order.is_live or (pid is not None and order.product.id != pid):
                    continue
                if (side and order.side != side) or (
                    trading_type and order.trading_type != trading_type
                ):
                    continue
                out.append(self.cancel_order(order))
            return out

    def edit_order(self, order: Order, f: dict[str, Any]) -> Order:
        """Change quantity and/or price of a live, unfilled limit order.

        The order loses its time priority and is matched again if its new price
        crosses the book. A refused edit leaves the order as it was.
        """
        with self.transaction():
            if not order.is_live:
                raise ApiError.field("order", "Can not update non-live order")
            if order.filled > 0:
                raise ApiError.field("order", "Can not update partially filled order")
            qty, price = order.quantity, order.price
            if f.get("quantity") not in (None, ""):
                qty = entered_quantity(self.ledger, order.product, f.get("quantity"))
            if f.get("price") not in (None, ""):
                price = entered_price(order.product, f.get("price"))
            old = (order.quantity, order.price)
            self.engine.unbook(order)
            if order.reserve_currency:
                self.ledger.release(order.user, order.reserve_currency, ("Order", order.id))
            order.quantity, order.price = qty, price
            ref = order.product.last_price if price is None else self.engine.limit_reference(order)
            try:
                self.engine.reserve_order(order, ref, qty)
            except ApiError:  # the books roll back; put the order back as it was
                order.quantity, order.price = old
                self.engine.rebook(order)
                raise
            if order.order_type != "stop":
                order.reserve_price = None if price is None else ref
            order.updated_at = int(self.clock())
            self._requeue(order)
            return order

    def _requeue(self, order: Order) -> None:
        if order.order_type in ("stop", "trailing_stop"):
            order.product.stops.append(order)
        else:
            self.engine.rest(order)
        self.engine.after_trades(order.product)

    # ------------------------------------------------------------ margin
    def close_trade(self, trade: Trade, quantity: Decimal | None = None) -> Trade:
        """Close (part of) a margin trade with a market order."""
        with self.transaction():
            return self.margin.close(trade, quantity)

    def close_all_trades(self, user: User, side: Any = None) -> list[Trade]:
        """Close every open trade of ``user`` (one ``side`` when given); the trades closed."""
        with self.transaction():
            return self.margin.close_all(user, side)

    def adjust_margin(self, trade: Trade, delta: Decimal) -> Trade:
        """Add (or with a negative delta, take back) margin of an open trade."""
        with self.transaction():
            return self.margin.adjust(trade, delta)

    def update_trade(self, trade: Trade, fields: dict[str, Any]) -> Trade:
        """Set or clear a trade's ``stop_loss`` and ``take_profit``."""
        with self.transaction():
            return self.margin.update(trade, fields)

    def set_leverage(self, user: User, product: Product, level: int) -> None:
        """Remember a user's leverage level for a product's trading account."""
        with self.transaction():
            user.leverage[product.id] = level

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
        with self.transaction():
            rng = random.Random(seed) if seed is not None else self.rng
            product = self.product(product_id)
            return seed_executions(self.next_id, self.now(), product, count, start, per_second, rng)
