"""Validation of order requests: from the fields a client sent to an :class:`Order`.

Nothing here changes state: a request refused by :func:`build_order` leaves the
exchange exactly as it was. Quantities are cut to the base currency's
precision and prices to the books' 8 decimals as they enter.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Callable

from .ledger import PLACES, Ledger
from .models import ApiError, Order, Product, User
from .numbers import decimal_or_none, parse_decimal, parse_int

__all__ = [
    "LEVERAGE_LEVELS",
    "ORDER_TYPES",
    "build_order",
    "entered_price",
    "entered_quantity",
    "new_order",
]

LEVERAGE_LEVELS = (1, 2, 4, 5, 10, 25, 50, 100)
ORDER_TYPES = ("limit", "market", "market_with_range", "limit_post_only", "stop", "trailing_stop")
_PRICED = ("limit", "limit_post_only", "stop")
_DIRECTIONS = ("one_direction", "two_direction", "netout", "net_out")
Fields = dict[str, Any]
NextId = Callable[[str, int], int]


def new_order(
    next_id: NextId,
    user: User,
    product: Product,
    side: str,
    order_type: str,
    quantity: Decimal,
    price: Decimal | None,
    now: float,
) -> Order:
    """A fresh order with the next order id (not registered anywhere yet)."""
    oid = next_id("order", 1000001)
    return Order(oid, user, product, side, order_type, quantity, price, int(now))


def _empty(value: Any) -> bool:
    return value is None or value == ""


def _choice(f: Fields, name: str, allowed: tuple[str, ...]) -> str:
    value = f.get(name)
    if not isinstance(value, str) or value not in allowed:
        raise ApiError.field(name, "is_invalid")
    return value


def _product(products: dict[int, Product], f: Fields) -> Product:
    if _empty(f.get("product_id")):
        raise ApiError.field("product_id", "is_missing")
    try:
        product = products.get(parse_int(f.get("product_id"), "product_id"))
    except ApiError:
        product = None
    if product is None:
        raise ApiError.field("order", "product_not_found")
    if product.disabled:
        raise ApiError.field("order", "product_disabled")
    return product


def entered_quantity(ledger: Ledger, product: Product, value: Any) -> Decimal:
    """A client's quantity: positive, cut to the base precision, >= the minimum.

    Raises:
        ApiError: 422 ``must_be_positive`` or ``less_than_order_size``.
    """
    qty = ledger.entered(product.base, parse_decimal(value, "quantity"))
    if qty <= 0 or qty < ledger.currencies[product.base].min_order:
        raise ApiError.field("quantity", "less_than_order_size")
    return qty


def entered_price(product: Product, value: Any, field: str = "price") -> Decimal:
    """A client's price: positive, cut to 8 decimals, inside the product's band.

    Raises:
        ApiError: 422 ``must_be_positive``, ``price_too_high`` or ``price_too_small``.
    """
    price = parse_decimal(value, field, places=PLACES)
    if price > product.last_price * product.multiplier_up:
        raise ApiError.field("order", "price_too_high")
    if price < product.last_price * product.multiplier_down:
        raise ApiError.field("order", "price_too_small")
    return price


def _price(product: Product, otype: str, f: Fields) -> Decimal | None:
    if otype in _PRICED or (otype == "market_with_range" and not _empty(f.get("price"))):
        return entered_price(product, f.get("price"))
    return None


def _client_order_id(user: User, value: Any) -> str | None:
    if _empty(value):
        return None
    if not isinstance(value, (str, int)) or isinstance(value, bool):
        raise ApiError.field("client_order_id", "is_invalid")
    cid = str(value)
    if len(cid.encode()) > 36:
        raise ApiError.field("client_order_id", "is_too_long")
    if not cid.replace("-", "").isalnum() or not cid.isascii():
        raise ApiError.field("client_order_id", "is_invalid")
    if cid in user.orders_by_cid:
        raise ApiError.field("client_order_id", "has_already_been_taken")
    return cid


def _kind_fields(order: Order, f: Fields) -> None:
    """``price_range`` and the trailing-stop fields."""
    if order.order_type == "market_with_range":
        order.price_range = decimal_or_none(f.get("price_range"), "price_range", places=PLACES)
        if order.price_range is None and order.price is None:
            raise ApiError.field("price_range", "must_be_positive")
    if order.order_type == "trailing_stop":
        order.trailing_type = _choice(f, "trailing_stop_type", ("price", "fiat", "percentage"))
        value = f.get("trailing_stop_value")
        order.trailing_value = parse_decimal(value, "trailing_stop_value", places=PLACES)
        order.trail_extreme = order.product.last_price


def _margin_fields(order: Order, f: Fields) -> None:
    product = order.product
    lev = 1 if _empty(f.get("leverage_level")) else parse_int(f["leverage_level"], "leverage_level")
    if lev not in LEVERAGE_LEVELS:
        raise ApiError.field("leverage_level", "is_invalid")
    direction = (
        None if _empty(f.get("order_direction")) else _choice(f, "order_direction", _DIRECTIONS)
    )
    funding = f.get("funding_currency")
    if not _empty(funding) and funding != product.quote:
        raise ApiError.field("funding_currency", "is_invalid")
    margin = (
        lev > 1
        or direction is not None
        or product.perpetual
        or f.get("trading_type") in ("margin", "perpetual", "cfd")
    )
    if margin and not product.margin_enabled:
        raise ApiError.field("order", "margin_not_enabled")
    order.margin = bool(margin)
    order.leverage = lev
    order.order_direction = direction
    if f.get("margin_type") in ("cross", "isolated"):
        order.margin_type = str(f["margin_type"])
    for name in ("take_profit", "stop_loss"):
        setattr(order, name, decimal_or_none(f.get(name), name, places=PLACES))


def build_order(
    ledger: Ledger, products: dict[int, Product], next_id: NextId, user: User, f: Fields, now: float
) -> Order:
    """Validate an order request and build the order (unregistered, unmatched).

    Args:
        ledger: The books (currencies and their precision).
        products: Products by id.
        next_id: The id sequence source.
        user: The owner.
        f: The order fields as sent (already unwrapped from ``order``).
        now: The time in seconds.

    Raises:
        ApiError: 422 in the API's shape on the first invalid field.
    """
    product = _product(products, f)
    side = _choice(f, "side", ("buy", "sell"))
    otype = _choice(f, "order_type", ORDER_TYPES)
    qty = entered_quantity(ledger, product, f.get("quantity"))
    price = _price(product, otype, f)
    cid = _client_order_id(user, f.get("client_order_id"))
    order = Order(0, user, product, side, otype, qty, price, int(now))
    _kind_fields(order, f)
    _margin_fields(order, f)
    order.id = next_id("order", 1000001)
    order.client_order_id = cid
    return order
