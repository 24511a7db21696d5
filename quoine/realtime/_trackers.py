"""State kept from channels: a product's order book, the user's orders and executions."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Union

from ..exceptions import QuoineValidationError
from ._book import OrderBook
from ._events import Event

if TYPE_CHECKING:
    from ..client import Quoine
    from ._tap import LiquidTap

__all__ = ["MyOrders", "open_order_book", "resolve_product", "track_my_orders"]

Product = Union[int, str]


def resolve_product(client: Quoine, product: Product) -> tuple[str, str]:
    """``(product_id, pair)`` for a product id (``1``, ``"1"``) or pair code (``"BTCUSD"``).

    Raises:
        QuoineValidationError: No such product.
    """
    if (isinstance(product, int) and not isinstance(product, bool)) or (
        isinstance(product, str) and product.isdigit()
    ):
        found = client.get_product(product)
        return str(found["id"]), str(found["currency_pair_code"]).lower()
    if not isinstance(product, str) or not product:
        raise QuoineValidationError(f"product must be an id or a pair code, got {product!r}")
    code = product.replace("/", "").replace("_", "").upper()
    for found in client.get_products():
        if str(found.get("currency_pair_code", "")).upper() == code:
            return str(found["id"]), code.lower()
    raise QuoineValidationError(f"no product with the pair code {product!r}")


def open_order_book(tap: LiquidTap, client: Quoine, product: Product) -> OrderBook:
    """Subscribe to a product's ladders and load its book from REST (see LiquidTap.order_book)."""
    product_id, pair = resolve_product(client, product)
    book = OrderBook(product_id, pair)

    def on_ladder(event: Event) -> None:
        if isinstance(event.data, list) and event.event == "updated":
            book.apply(event.channel or "", event.data)

    def refresh() -> None:
        book.load(client.get_order_book(product_id, full=True))

    for channel in book.channels:
        tap.add_handler(channel, on_ladder)
    # Subscribed (and confirmed) first, so no ladder is missed after the snapshot.
    tap.subscribe(*book.channels)
    refresh()
    tap.add_refresher(refresh)
    return book


def _key(value: Any) -> Any:
    """Ids arrive as ints or digit strings: one key for both."""
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return value


class MyOrders:
    """The user's own orders and executions, by id, kept from the private channels.

    Create it with :meth:`LiquidTap.my_orders`. Orders come from
    ``user_account_<currency>_orders`` (the latest state of each order),
    executions from ``user_executions_cash_<pair>``. Only what arrived since the
    tracker was created is known; after a :class:`~quoine.realtime.Gap`, check
    orders you care about over REST. Safe to read from any thread.

    Attributes:
        channels: The private channels it listens to.
    """

    def __init__(self, channels: tuple[str, ...]) -> None:
        self.channels = channels
        self._lock = threading.Lock()
        self._orders: dict[Any, dict[str, Any]] = {}
        self._executions: dict[Any, dict[str, Any]] = {}

    def __repr__(self) -> str:
        return f"MyOrders(orders={len(self._orders)}, executions={len(self._executions)})"

    def on_event(self, event: Event) -> None:
        """Record an order update or an execution (called on the connection's thread)."""
        data = event.data
        if not isinstance(data, dict) or "id" not in data:
            return
        channel = event.channel or ""
        with self._lock:
            if channel.endswith("_orders"):
                self._orders[_key(data["id"])] = data
            elif channel.startswith("user_executions_"):
                self._executions[_key(data["id"])] = data

    def order(self, order_id: int | str) -> dict[str, Any] | None:
        """The latest state of an order (amounts as Decimal), or None if not seen."""
        with self._lock:
            return self._orders.get(_key(order_id))

    def orders(self) -> dict[Any, dict[str, Any]]:
        """A copy of every order seen, by id."""
        with self._lock:
            return dict(self._orders)

    def execution(self, execution_id: int | str) -> dict[str, Any] | None:
        """An execution of yours by its id, or None if not seen."""
        with self._lock:
            return self._executions.get(_key(execution_id))

    def executions(self, order_id: int | str | None = None) -> list[dict[str, Any]]:
        """Your executions seen, oldest first; only those of ``order_id`` if given."""
        wanted = None if order_id is None else _key(order_id)
        with self._lock:
            found = list(self._executions.values())
        return [e for e in found if wanted is None or _key(e.get("order_id")) == wanted]


def track_my_orders(
    tap: LiquidTap, funding_currencies: Iterable[str], pairs: Iterable[str]
) -> MyOrders:
    """Subscribe to the user's order and execution channels (see LiquidTap.my_orders)."""
    names = [f"user_account_{currency.lower()}_orders" for currency in funding_currencies]
    names += [f"user_executions_cash_{pair.replace('/', '').lower()}" for pair in pairs]
    if not names:
        raise QuoineValidationError("my_orders needs a funding currency or a pair code")
    tracker = MyOrders(tuple(names))
    for channel in names:
        tap.add_handler(channel, tracker.on_event)
    tap.subscribe(*names)
    return tracker
