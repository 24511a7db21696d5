"""Orders: create (spot and margin), get, list, edit and cancel, also by client order id."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from decimal import Decimal
from functools import partial
from typing import Any

from .._base import JSON, EndpointMixin
from .._utils import (
    Amount,
    IdLike,
    choice,
    decimal_string,
    drop_none,
    optional_choice,
    optional_currency,
    optional_decimal,
    optional_id,
    page_limit,
    page_number,
    positive_int,
)
from ..constants import (
    MarginOrderDirection,
    MarginType,
    OrderStatus,
    OrderType,
    Side,
    TradingType,
    TrailingStopType,
)
from ..exceptions import (
    QuoineAmbiguousOrderError,
    QuoineError,
    QuoineNotFoundError,
    QuoineResponseException,
    QuoineValidationError,
    outcome_unknown,
)
from ..types import CancelledOrders, Execution, ExecutionPage, Order, OrderPage, Trade

_ORDER_TYPES = tuple(t.value for t in OrderType)
_SIDES = tuple(s.value for s in Side)
_STATUSES = tuple(s.value for s in OrderStatus)
_TRADING_TYPES = tuple(t.value for t in TradingType)
# "net_out" is how the 2016 documentation spells "netout" (the Liquid-era spelling).
_DIRECTIONS = (*(d.value for d in MarginOrderDirection), "net_out")
_MARGIN_TYPES = tuple(m.value for m in MarginType)
_TRAILING_STOP_TYPES = tuple(t.value for t in TrailingStopType)
# Types whose ``price`` is required (the limit or the stop price).
_PRICED = ("limit", "limit_post_only", "stop")
# Letters, digits and "-", at most 36 bytes (API rule).
_CLIENT_ORDER_ID = re.compile(r"[A-Za-z0-9-]{1,36}")
# Lookups of an order whose placement went unanswered: an order the exchange is
# still booking may appear a moment later.
_LOOKUPS = 3


def new_client_order_id() -> str:
    """Return a fresh random ``client_order_id`` (a UUID4, 36 characters).

    Give each order one, chosen *before* the first attempt and kept (logged or
    stored) until the order is confirmed: it is what lets the client, or you,
    find an order whose answer was lost, instead of placing it twice.

    Example:
        >>> len(new_client_order_id())
        36
    """
    import uuid  # here: it costs a few ms at import, and only this needs it

    return str(uuid.uuid4())


def _client_order_id(value: Any) -> str:
    if not isinstance(value, str) or not _CLIENT_ORDER_ID.fullmatch(value):
        raise QuoineValidationError(
            "client_order_id must be 1 to 36 letters, digits or '-', got " + repr(value)[:60]
        )
    return value


def _order_path(order_id: IdLike) -> str:
    return f"orders/{positive_int(order_id, 'order_id')}"


def _client_path(client_order_id: str) -> str:
    return f"orders/client:{_client_order_id(client_order_id)}"


def _edit_body(quantity: Amount | None, price: Amount | None) -> JSON:
    if quantity is None and price is None:
        raise QuoineValidationError("give a new quantity, a new price or both")
    order = {
        "quantity": optional_decimal(quantity, "quantity"),
        "price": optional_decimal(price, "price"),
    }
    return {"order": drop_none(order)}


def _ambiguous(
    message: str, client_order_id: str | None, failure: QuoineError
) -> QuoineAmbiguousOrderError:
    error = QuoineAmbiguousOrderError(message, client_order_id=client_order_id)
    error.attempts = max(failure.attempts, 1)  # at least the one whose answer was lost
    return error


def _cancel_unsettled(exc: QuoineError) -> bool:
    """Whether a cancel's failure leaves its outcome to be looked up.

    A "not found" answer to a cancel sent more than once may mean an earlier
    attempt cancelled the order; a lost or unreadable answer says nothing.
    """
    return outcome_unknown(exc) or (isinstance(exc, QuoineNotFoundError) and exc.attempts > 1)


def _same_amount(sent: Any, wanted: str) -> bool:
    try:
        return Decimal(str(sent)) == Decimal(wanted)
    except (ArithmeticError, ValueError):
        return False


def _check_order_kind(
    kind: str, price: object, price_range: object, trailing_stop_incomplete: bool
) -> None:
    """Refuse the price fields an order type cannot take, or lacks."""
    if kind in _PRICED and price is None:
        raise QuoineValidationError(f"price is required for {kind} orders")
    if kind == "market" and price is not None:
        raise QuoineValidationError("price is not allowed on market orders")
    if kind == "market_with_range" and price_range is None:
        raise QuoineValidationError("price_range is required for market_with_range orders")
    if kind != "market_with_range" and price_range is not None:
        raise QuoineValidationError("price_range is only allowed on market_with_range orders")
    if kind == "trailing_stop" and trailing_stop_incomplete:
        raise QuoineValidationError(
            "trailing_stop orders need trailing_stop_type and trailing_stop_value"
        )


class OrdersMixin(EndpointMixin):
    """Create, list, edit and cancel orders."""

    def create_order(
        self,
        order_type: str,
        product_id: IdLike,
        side: str,
        quantity: Amount,
        price: Amount | None = None,
        price_range: Amount | None = None,
        *,
        client_order_id: str | None = None,
        trailing_stop_type: str | None = None,
        trailing_stop_value: Amount | None = None,
        take_profit: Amount | None = None,
        stop_loss: Amount | None = None,
        leverage_level: int | None = None,
        funding_currency: str | None = None,
        order_direction: str | None = None,
        margin_type: str | None = None,
    ) -> Order:
        """Place an order.

        API: ``POST /orders`` with body ``{"order": {...}}``, signed. Every
        argument is checked before anything is sent; amounts go out as plain
        decimal strings.

        Args:
            order_type: ``limit``, ``market``, ``market_with_range``,
                ``limit_post_only``, ``stop`` or ``trailing_stop``
                (:class:`~quoine.constants.OrderType`).
            product_id: The product id.
            side: ``buy`` or ``sell``.
            quantity: Amount of the base currency, greater than zero.
            price: Limit price (``limit``, ``limit_post_only``), trigger price
                (``stop``), or reference price (``market_with_range``). Required
                for ``limit``, ``limit_post_only`` and ``stop``; not allowed for
                ``market``.
            price_range: Allowed slippage; required for ``market_with_range`` and
                only allowed there.
            client_order_id: Your own id for the order (1 to 36 letters, digits or
                ``-``; :func:`quoine.new_client_order_id` makes one). If the answer
                is lost, the client finds the order by this id instead of guessing.
            trailing_stop_type: ``fiat``/``price`` or ``percentage``; required for
                ``trailing_stop``.
            trailing_stop_value: Distance of the trailing stop; required for
                ``trailing_stop``.
            take_profit: Take-profit price (margin orders).
            stop_loss: Stop-loss price (margin orders).
            leverage_level: Leverage for margin orders, e.g. 2, 4, 5, 10, 25.
            funding_currency: Currency funding a margin order.
            order_direction: ``one_direction``, ``two_direction`` or ``netout``
                (``net_out``, the 2016 documentation's spelling, is sent as given).
            margin_type: ``cross`` or ``isolated``.

        Returns:
            The created order.

        Raises:
            QuoineValidationError: An argument is invalid (nothing was sent).
            QuoineAPIException: The API rejected the order, e.g.
                :class:`~quoine.exceptions.QuoineInsufficientFunds`.
            QuoineAmbiguousOrderError: The request may have reached the exchange but
                no usable answer came back (timeout, reset, 5xx, cut-off body), and
                the order could not be found by its ``client_order_id`` (or had
                none). The order is never sent twice; see :doc:`/reliability`.

        Example:
            .. code-block:: python

                from quoine.client import Quoinex

                order = client.create_order(
                    Quoinex.ORDER_TYPE_LIMIT, 1, Quoinex.SIDE_BUY, "0.01", "25000",
                    client_order_id="my-order-0001",
                )
        """
        kind = choice(order_type, "order_type", _ORDER_TYPES)
        _check_order_kind(
            kind, price, price_range, trailing_stop_type is None or trailing_stop_value is None
        )
        order: dict[str, Any] = {
            "order_type": kind,
            "product_id": positive_int(product_id, "product_id"),
            "side": choice(side, "side", _SIDES),
            "quantity": decimal_string(quantity, "quantity"),
            "price": optional_decimal(price, "price"),
            "price_range": optional_decimal(price_range, "price_range"),
            "client_order_id": None
            if client_order_id is None
            else _client_order_id(client_order_id),
            "trailing_stop_type": optional_choice(
                trailing_stop_type, "trailing_stop_type", _TRAILING_STOP_TYPES
            ),
            "trailing_stop_value": optional_decimal(trailing_stop_value, "trailing_stop_value"),
            "take_profit": optional_decimal(take_profit, "take_profit"),
            "stop_loss": optional_decimal(stop_loss, "stop_loss"),
            "leverage_level": optional_id(leverage_level, "leverage_level"),
            "funding_currency": optional_currency(funding_currency, "funding_currency"),
            "order_direction": optional_choice(order_direction, "order_direction", _DIRECTIONS),
            "margin_type": optional_choice(margin_type, "margin_type", _MARGIN_TYPES),
        }
        return self._place(order)

    def _place(self, order: dict[str, Any]) -> Order:
        """Send ``POST /orders``; an unknown outcome is settled by looking the order up."""
        try:
            result: Order = self._post("orders", {"order": drop_none(order)})
            if not isinstance(result, dict):  # null, [] or "ok": booked or not, no order
                raise QuoineResponseException(
                    f"the answer to POST /orders is a {type(result).__name__}, not an order",
                    status_code=200,
                )
        except QuoineError as exc:
            if not outcome_unknown(exc):
                raise
            return self._find_placed_order(order["client_order_id"], exc)
        return result

    def _find_placed_order(self, client_order_id: str | None, failure: QuoineError) -> Order:
        """Resolve an order request that may or may not have been carried out.

        Never sends the order again. Looks it up by ``client_order_id`` a few
        times, and returns it if the exchange has it.

        Raises:
            QuoineAmbiguousOrderError: The order had no ``client_order_id``, or it
                was not found, or the lookup failed too.
        """
        if client_order_id is None:
            raise _ambiguous(
                f"the order may or may not have been placed ({failure}); it had no "
                "client_order_id to look it up by",
                None,
                failure,
            ) from failure
        outcome = "not found"
        for lookup in range(_LOOKUPS):
            if lookup:
                self._backoff(lookup - 1)
            try:
                found = self.get_order_by_client_order_id(client_order_id)
            except QuoineNotFoundError:
                continue
            except QuoineError as lookup_error:
                outcome = f"the lookup failed too ({type(lookup_error).__name__})"
                break
            if not isinstance(found, dict):
                outcome = f"the lookup answered with a {type(found).__name__}, not an order"
            elif found.get("client_order_id", client_order_id) != client_order_id:
                outcome = "the lookup answered with another order"
            else:
                return found
            break
        raise _ambiguous(
            f"the order may or may not have been placed ({failure}); looked up by "
            f"client_order_id {client_order_id!r}: {outcome}",
            client_order_id,
            failure,
        ) from failure

    def _cancel(self, path: str, lookup: Callable[[], Order], client_order_id: str | None) -> Order:
        """Send ``PUT {path}/cancel``; an unsettled answer is settled by looking the order up."""
        try:
            result: Order = self._put(f"{path}/cancel", idempotent=True)
        except QuoineError as exc:
            if not _cancel_unsettled(exc):
                raise
            return self._settle_cancel(lookup, exc, client_order_id)
        return result

    def _settle_cancel(
        self, lookup: Callable[[], Order], failure: QuoineError, client_order_id: str | None
    ) -> Order:
        """Find out what a cancel did when its answer cannot be trusted.

        Called when a re-sent cancel was answered "not found" (an earlier attempt
        may have cancelled the order) or when no usable answer came back at all.
        Returns the order when it is cancelled; raises ``failure`` when the
        order is there and not cancelled (it filled, or the cancel did not
        happen), or does not exist.

        Raises:
            QuoineAmbiguousOrderError: The order could not be read.
        """
        unread = None
        order: Any = {}  # unknown to the exchange: the failure stands
        try:
            order = lookup()
        except QuoineNotFoundError:
            pass
        except QuoineError as lookup_error:
            unread = f"could not be read ({type(lookup_error).__name__})"
        if unread is None and not isinstance(order, dict):
            unread = f"look-up answered with a {type(order).__name__}, not an order"
        if unread is None:
            if order.get("status") == "cancelled":
                cancelled: Order = order
                return cancelled
            raise failure
        raise _ambiguous(
            f"the cancel may or may not have been carried out ({failure}); the order {unread}",
            client_order_id,
            failure,
        ) from failure

    def _settle_edit(
        self, lookup: Callable[[], Order], edit: JSON, failure: QuoineError, cid: str | None
    ) -> Order:
        """Find out what an edit whose answer was lost did; it is never sent again.

        Returns the order when it shows the new quantity and price.

        Raises:
            QuoineAmbiguousOrderError: The order does not show them (yet), or
                could not be read.
        """
        try:
            order = lookup()
        except QuoineError as lookup_error:
            outcome = f"the order could not be read ({type(lookup_error).__name__})"
        else:
            if not isinstance(order, dict):
                outcome = f"the look-up answered with a {type(order).__name__}, not an order"
            elif all(_same_amount(order.get(k), v) for k, v in edit["order"].items()):
                return order
            else:
                outcome = "the order does not show the new values"
        raise _ambiguous(
            f"the edit may or may not have been carried out ({failure}); {outcome}",
            cid,
            failure,
        ) from failure

    def create_limit_buy(
        self,
        product_id: IdLike,
        quantity: Amount,
        price: Amount,
        *,
        client_order_id: str | None = None,
    ) -> Order:
        """Place a limit buy order.

        Same as ``create_order("limit", product_id, "buy", quantity, price)``.

        Args:
            product_id: The product id.
            quantity: Amount to buy.
            price: Highest price to pay per unit.
            client_order_id: Optional id of your own for the order.

        Returns:
            The created order.

        Example:
            .. code-block:: python

                order = client.create_limit_buy(1, "0.01", "25000")
        """
        return self.create_order(
            "limit", product_id, "buy", quantity, price, client_order_id=client_order_id
        )

    def create_limit_sell(
        self,
        product_id: IdLike,
        quantity: Amount,
        price: Amount,
        *,
        client_order_id: str | None = None,
    ) -> Order:
        """Place a limit sell order.

        Same as ``create_order("limit", product_id, "sell", quantity, price)``.

        Args:
            product_id: The product id.
            quantity: Amount to sell.
            price: Lowest price to accept per unit.
            client_order_id: Optional id of your own for the order.

        Returns:
            The created order.

        Example:
            .. code-block:: python

                order = client.create_limit_sell(1, "0.01", "35000")
        """
        return self.create_order(
            "limit",
            product_id,
            "sell",
            quantity,
            price,
            client_order_id=client_order_id,
        )

    def create_market_buy(
        self,
        product_id: IdLike,
        quantity: Amount,
        price_range: Amount | None = None,
        *,
        client_order_id: str | None = None,
    ) -> Order:
        """Place a market buy order, with a slippage limit when ``price_range`` is given.

        Sends ``market``, or ``market_with_range`` when ``price_range`` is not None.

        Args:
            product_id: The product id.
            quantity: Amount to buy.
            price_range: Allowed slippage from the best price.
            client_order_id: Optional id of your own for the order.

        Returns:
            The created order.

        Example:
            .. code-block:: python

                order = client.create_market_buy(1, "0.01")
        """
        kind = "market" if price_range is None else "market_with_range"
        return self.create_order(
            kind,
            product_id,
            "buy",
            quantity,
            price_range=price_range,
            client_order_id=client_order_id,
        )

    def create_market_sell(
        self,
        product_id: IdLike,
        quantity: Amount,
        price_range: Amount | None = None,
        *,
        client_order_id: str | None = None,
    ) -> Order:
        """Place a market sell order, with a slippage limit when ``price_range`` is given.

        Args:
            product_id: The product id.
            quantity: Amount to sell.
            price_range: Allowed slippage from the best price.
            client_order_id: Optional id of your own for the order.

        Returns:
            The created order.

        Example:
            .. code-block:: python

                order = client.create_market_sell(1, "0.01", price_range="50")
        """
        kind = "market" if price_range is None else "market_with_range"
        return self.create_order(
            kind,
            product_id,
            "sell",
            quantity,
            price_range=price_range,
            client_order_id=client_order_id,
        )

    def create_margin_order(
        self,
        order_type: str,
        product_id: IdLike,
        side: str,
        quantity: Amount,
        price: Amount | None = None,
        leverage_level: int = 2,
        price_range: Amount | None = None,
        funding_currency: str | None = None,
        order_direction: str | None = None,
        **options: Any,
    ) -> Order:
        """Place a leveraged (margin) order.

        API: ``POST /orders`` with ``leverage_level``, signed. The positional order
        is python-quoine 0.1.x's, where ``price`` was required even for market
        orders: a price given with a ``market`` or ``market_with_range`` order is
        still accepted here and not sent, as 0.1.x did (use :meth:`create_order`
        with ``leverage_level=`` to send a reference price with a range order).

        Args:
            order_type: As for :meth:`create_order`.
            product_id: The product id.
            side: ``buy`` or ``sell``.
            quantity: Amount of the base currency.
            price: Limit or stop price; ignored for ``market`` and ``market_with_range``.
            leverage_level: 2, 4, 5, 10, 25... (default 2).
            price_range: Slippage for ``market_with_range``.
            funding_currency: Currency funding the position (default: quoted currency).
            order_direction: ``one_direction``, ``two_direction`` or ``netout``
                (``net_out``, the 2016 documentation's spelling, is sent as given).
            **options: Any keyword-only option of :meth:`create_order`
                (``client_order_id``, ``take_profit``, ``stop_loss``, ``margin_type``...).

        Returns:
            The created order.

        Example:
            .. code-block:: python

                from quoine.client import Quoinex

                order = client.create_margin_order(
                    Quoinex.ORDER_TYPE_LIMIT, 1, Quoinex.SIDE_BUY, "0.01", "25000",
                    leverage_level=Quoinex.LEVERAGE_LEVEL_10,
                    order_direction=Quoinex.MARGIN_ORDER_DIRECTION_NET,
                )
        """
        if str(order_type) in ("market", "market_with_range"):
            price = None  # 0.1.x callers had to pass a placeholder here
        return self.create_order(
            order_type,
            product_id,
            side,
            quantity,
            price,
            price_range,
            leverage_level=positive_int(leverage_level, "leverage_level"),
            funding_currency=funding_currency,
            order_direction=order_direction,
            **options,
        )

    def get_order(self, order_id: IdLike) -> Order:
        """Get an order, with its executions.

        API: ``GET /orders/{id}``, signed.

        Args:
            order_id: The order id.

        Returns:
            The order.

        Raises:
            QuoineNotFoundError: No such order.

        Example:
            .. code-block:: python

                order = client.get_order(order_id)
                print(order["status"], order["filled_quantity"])
        """
        result: Order = self._get(_order_path(order_id), signed=True)
        return result

    def get_order_by_client_order_id(self, client_order_id: str) -> Order:
        """Get an order by the ``client_order_id`` you gave it.

        API: ``GET /orders/client:{client_order_id}``, signed.

        Args:
            client_order_id: The id given when the order was created.

        Returns:
            The order.

        Example:
            .. code-block:: python

                order = client.get_order_by_client_order_id(client_order_id)
        """
        result: Order = self._get(_client_path(client_order_id), signed=True)
        return result

    def get_orders(
        self,
        funding_currency: str | None = None,
        product_id: IdLike | None = None,
        status: str | None = None,
        with_details: bool = False,
        limit: int | None = None,
        page: int | None = None,
        *,
        trading_type: str | None = None,
    ) -> OrderPage:
        """Get a page of the user's orders, newest first.

        API: ``GET /orders``, signed, paginated.

        Args:
            funding_currency: Only orders funded in this currency.
            product_id: Only orders of this product.
            status: ``live``, ``filled``, ``partially_filled`` or ``cancelled``.
            with_details: Include executions and more (``with_details=1``).
            limit: Orders per page, 1 to 1000.
            page: Page number from 1.
            trading_type: ``spot``, ``margin``, ``cfd`` or ``perpetual``.

        Returns:
            ``{"models": [order, ...], "current_page": n, "total_pages": n}``.

        Example:
            .. code-block:: python

                live = client.get_orders(product_id=1, status=client.STATUS_LIVE)["models"]
        """
        params = {
            "funding_currency": optional_currency(funding_currency, "funding_currency"),
            "product_id": optional_id(product_id, "product_id"),
            "status": optional_choice(status, "status", _STATUSES),
            "with_details": 1 if with_details else None,
            "trading_type": optional_choice(trading_type, "trading_type", _TRADING_TYPES),
            "limit": page_limit(limit),
            "page": page_number(page),
        }
        result: OrderPage = self._get("orders", params, signed=True)
        return result

    def iter_orders(
        self,
        *,
        funding_currency: str | None = None,
        product_id: IdLike | None = None,
        status: str | None = None,
        with_details: bool = False,
        trading_type: str | None = None,
        limit: int | None = None,
    ) -> Iterator[Order]:
        """Iterate over all of the user's orders matching the filters, page by page.

        Args:
            funding_currency: Only orders funded in this currency.
            product_id: Only orders of this product.
            status: ``live``, ``filled``, ``partially_filled`` or ``cancelled``.
            with_details: Include executions and more.
            trading_type: ``spot``, ``margin``, ``cfd`` or ``perpetual``.
            limit: Page size; default 1000.

        Yields:
            Orders.

        Example:
            .. code-block:: python

                filled = list(client.iter_orders(product_id=1, status="filled"))
        """
        return self._iterate(
            self.get_orders,
            limit,
            funding_currency=funding_currency,
            product_id=product_id,
            status=status,
            with_details=with_details,
            trading_type=trading_type,
        )

    def cancel_order(self, order_id: IdLike) -> Order:
        """Cancel a live order.

        API: ``PUT /orders/{id}/cancel``, signed, no body.

        Args:
            order_id: The order id.

        Returns:
            The order, with status ``cancelled``.

        A cancel is safe to repeat, so it is retried like a GET (timeouts, resets,
        502/503/504). When a re-sent cancel is answered "not found", or no usable
        answer comes back, the client looks the order up and returns it if it is
        cancelled (an earlier attempt did it); see :doc:`/reliability`.

        Raises:
            QuoineOrderNotFoundError: No such live order (it filled, or never existed).
            QuoineAmbiguousOrderError: The cancel may or may not have been carried
                out and the order could not be read.

        Example:
            .. code-block:: python

                client.cancel_order(order_id)
        """
        return self._cancel(_order_path(order_id), partial(self.get_order, order_id), None)

    def cancel_order_by_client_order_id(self, client_order_id: str) -> Order:
        """Cancel a live order by its ``client_order_id``.

        API: ``PUT /orders/client:{client_order_id}/cancel``, signed.

        Args:
            client_order_id: The id given when the order was created.

        Returns:
            The cancelled order.

        Retried and settled like :meth:`cancel_order`.

        Raises:
            QuoineOrderNotFoundError: No such live order (it filled, or never existed).
            QuoineAmbiguousOrderError: The cancel may or may not have been carried
                out and the order could not be read.

        Example:
            .. code-block:: python

                client.cancel_order_by_client_order_id(client_order_id)
        """
        lookup = partial(self.get_order_by_client_order_id, client_order_id)
        return self._cancel(_client_path(client_order_id), lookup, client_order_id)

    def cancel_all_orders(
        self,
        *,
        product_id: IdLike | None = None,
        side: str | None = None,
        trading_type: str | None = None,
    ) -> CancelledOrders:
        """Cancel every live order, or those matching the filters.

        API: ``PUT /orders/cancel_all``, signed, flat body with the given filters
        (the API documents them as top-level fields). Take-profit and stop-loss
        orders of positions are not cancelled.

        Args:
            product_id: Only this product.
            side: Only ``buy`` or ``sell`` orders.
            trading_type: Only ``spot``, ``margin``, ``cfd`` or ``perpetual``.

        Returns:
            ``{"models": [{"id": ..., "client_order_id": ...}, ...]}``.

        Example:
            .. code-block:: python

                cancelled = client.cancel_all_orders(product_id=1)["models"]
        """
        body = {
            "product_id": optional_id(product_id, "product_id"),
            "side": optional_choice(side, "side", _SIDES),
            "trading_type": optional_choice(trading_type, "trading_type", _TRADING_TYPES),
        }
        result: CancelledOrders = self._put("orders/cancel_all", drop_none(body))
        return result

    def update_live_order(
        self,
        order_id: IdLike,
        quantity: Amount | None = None,
        price: Amount | None = None,
    ) -> Order:
        """Change the quantity and/or price of a live order.

        API: ``PUT /orders/{id}`` with ``{"order": {"quantity", "price"}}``, signed.

        Args:
            order_id: The order id.
            quantity: New quantity.
            price: New price.

        Returns:
            The updated order.

        An edit is never sent again once it may have reached the exchange; when
        its answer is lost the client looks the order up and returns it if it
        shows the new values.

        Raises:
            QuoineValidationError: Neither quantity nor price given.
            QuoineAmbiguousOrderError: The answer was lost and the order does not
                show the new values (or could not be read).

        Example:
            .. code-block:: python

                client.update_live_order(order_id, price="510")
        """
        edit = _edit_body(quantity, price)
        try:
            result: Order = self._put(_order_path(order_id), edit)
        except QuoineError as exc:
            if not outcome_unknown(exc):
                raise
            return self._settle_edit(lambda: self.get_order(order_id), edit, exc, None)
        return result

    def update_live_order_by_client_order_id(
        self,
        client_order_id: str,
        quantity: Amount | None = None,
        price: Amount | None = None,
    ) -> Order:
        """Change the quantity and/or price of a live order given its ``client_order_id``.

        API: ``PUT /orders/client:{client_order_id}``, signed.

        Args:
            client_order_id: The id given when the order was created.
            quantity: New quantity.
            price: New price.

        Returns:
            The updated order.

        Settled like :meth:`update_live_order` when its answer is lost.

        Raises:
            QuoineAmbiguousOrderError: The answer was lost and the order does not
                show the new values (or could not be read).

        Example:
            .. code-block:: python

                client.update_live_order_by_client_order_id(client_order_id, quantity="0.02")
        """
        path, edit = _client_path(client_order_id), _edit_body(quantity, price)
        try:
            result: Order = self._put(path, edit)
        except QuoineError as exc:
            if not outcome_unknown(exc):
                raise
            lookup = partial(self.get_order_by_client_order_id, client_order_id)
            return self._settle_edit(lookup, edit, exc, client_order_id)
        return result

    def get_order_trades(self, order_id: IdLike) -> list[Trade]:
        """Get the margin positions (trades) an order opened or closed.

        API: ``GET /orders/{id}/trades``, signed.

        Args:
            order_id: The order id.

        Returns:
            A list of trades.

        Example:
            .. code-block:: python

                trades = client.get_order_trades(order_id)
        """
        result: list[Trade] = self._get(f"{_order_path(order_id)}/trades", signed=True)
        return result

    def get_order_executions(
        self, order_id: IdLike, *, limit: int | None = None, page: int | None = None
    ) -> ExecutionPage:
        """Get a page of an order's executions.

        API: ``GET /orders/{id}/executions``, signed, paginated.

        Args:
            order_id: The order id.
            limit: Executions per page, 1 to 1000.
            page: Page number from 1.

        Returns:
            ``{"models": [execution, ...], "current_page": n, "total_pages": n}``.

        Example:
            .. code-block:: python

                fills = client.get_order_executions(order_id)["models"]
        """
        params = {"limit": page_limit(limit), "page": page_number(page)}
        result: ExecutionPage = self._get(
            f"{_order_path(order_id)}/executions", params, signed=True
        )
        return result

    def iter_order_executions(
        self, order_id: IdLike, *, limit: int | None = None
    ) -> Iterator[Execution]:
        """Iterate over all executions of an order.

        Args:
            order_id: The order id.
            limit: Page size; default 1000.

        Yields:
            Executions.

        Example:
            .. code-block:: python

                filled = sum(Decimal(e["quantity"]) for e in client.iter_order_executions(order_id))
        """
        return self._iterate(self.get_order_executions, limit, order_id=order_id)
