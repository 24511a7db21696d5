"""Margin positions ("trades"): list, close, protect and adjust."""

from __future__ import annotations

from collections.abc import Iterator

from .._base import EndpointMixin
from .._utils import (
    Amount,
    IdLike,
    decimal_string,
    drop_none,
    optional_choice,
    optional_currency,
    optional_decimal,
    optional_id,
    page_limit,
    page_number,
    plain,
    positive_int,
    to_decimal,
)
from ..constants import TradeSide, TradeStatus, TradingType
from ..exceptions import QuoineValidationError
from ..types import Loan, Trade, TradePage

_TRADE_SIDES = tuple(s.value for s in TradeSide)
_TRADE_STATUSES = tuple(s.value for s in TradeStatus)
_TRADING_TYPES = tuple(t.value for t in TradingType)


def _trade_path(trade_id: IdLike) -> str:
    return f"trades/{positive_int(trade_id, 'trade_id')}"


class TradesMixin(EndpointMixin):
    """Open and closed margin positions."""

    def get_trades(
        self,
        funding_currency: str | None = None,
        status: str | None = None,
        limit: int | None = None,
        page: int | None = None,
        *,
        product_id: IdLike | None = None,
        side: str | None = None,
        trading_type: str | None = None,
    ) -> TradePage:
        """Get a page of the user's margin positions.

        API: ``GET /trades``, signed, paginated.

        Args:
            funding_currency: Only positions funded in this currency.
            status: ``open`` or ``closed``.
            limit: Trades per page, 1 to 1000.
            page: Page number from 1.
            product_id: Only this product.
            side: ``long`` or ``short``.
            trading_type: ``margin``, ``cfd`` or ``perpetual``...

        Returns:
            ``{"models": [trade, ...], "current_page": n, "total_pages": n}``.

        Example:
            .. code-block:: python

                open_trades = client.get_trades(status="open")["models"]
        """
        params = {
            "funding_currency": optional_currency(funding_currency, "funding_currency"),
            "status": optional_choice(status, "status", _TRADE_STATUSES),
            "product_id": optional_id(product_id, "product_id"),
            "side": optional_choice(side, "side", _TRADE_SIDES),
            "trading_type": optional_choice(trading_type, "trading_type", _TRADING_TYPES),
            "limit": page_limit(limit),
            "page": page_number(page),
        }
        result: TradePage = self._get("trades", params, signed=True)
        return result

    def iter_trades(
        self,
        *,
        funding_currency: str | None = None,
        status: str | None = None,
        product_id: IdLike | None = None,
        side: str | None = None,
        trading_type: str | None = None,
        limit: int | None = None,
    ) -> Iterator[Trade]:
        """Iterate over all of the user's margin positions matching the filters.

        Args:
            funding_currency: Only positions funded in this currency.
            status: ``open`` or ``closed``.
            product_id: Only this product.
            side: ``long`` or ``short``.
            trading_type: ``margin``, ``cfd`` or ``perpetual``...
            limit: Page size; default 1000.

        Yields:
            Trades.

        Example:
            .. code-block:: python

                pnl = sum(Decimal(t["pnl"]) for t in client.iter_trades(status="closed"))
        """
        return self._iterate(
            self.get_trades,
            limit,
            funding_currency=funding_currency,
            status=status,
            product_id=product_id,
            side=side,
            trading_type=trading_type,
        )

    def close_trade(self, trade_id: IdLike, closed_quantity: Amount | None = None) -> Trade:
        """Close a position, wholly or in part.

        API: ``PUT /trades/{id}/close`` with flat body ``{"closed_quantity": ...}``
        (``{}`` closes it all), signed.

        Args:
            trade_id: The trade id.
            closed_quantity: Quantity to close; the whole position when None.

        Returns:
            The trade.

        Example:
            .. code-block:: python

                client.close_trade(trade_id, closed_quantity="0.005")
        """
        body = {}
        if closed_quantity is not None:
            body["closed_quantity"] = decimal_string(closed_quantity, "closed_quantity")
        result: Trade = self._put(f"{_trade_path(trade_id)}/close", body)
        return result

    def close_all_trades(self, side: str | None = None) -> list[Trade]:
        """Close every open position, or those of one side.

        API: ``PUT /trades/close_all`` with flat body ``{"side": ...}`` (``{}`` for
        both sides), signed.

        Args:
            side: ``long`` or ``short``; both when None.

        Returns:
            The closed trades.

        Example:
            .. code-block:: python

                closed = client.close_all_trades(side="short")
        """
        body = drop_none({"side": optional_choice(side, "side", _TRADE_SIDES)})
        result: list[Trade] = self._put("trades/close_all", body)
        return result

    def update_trade(
        self,
        trade_id: IdLike,
        stop_loss: Amount | None,
        take_profit: Amount | None,
    ) -> Trade:
        """Set the stop loss and/or take profit of a position.

        API: ``PUT /trades/{id}`` with ``{"trade": {"stop_loss", "take_profit"}}``,
        signed. A value of 0 removes that level; None leaves it out of the request.

        Args:
            trade_id: The trade id.
            stop_loss: Stop loss price.
            take_profit: Take profit price.

        Returns:
            The updated trade.

        Example:
            .. code-block:: python

                client.update_trade(trade_id, stop_loss="28500", take_profit="31500")
        """
        if stop_loss is None and take_profit is None:
            raise QuoineValidationError("give stop_loss, take_profit or both")
        trade = {
            "stop_loss": optional_decimal(stop_loss, "stop_loss", allow_zero=True),
            "take_profit": optional_decimal(take_profit, "take_profit", allow_zero=True),
        }
        result: Trade = self._put(_trade_path(trade_id), {"trade": drop_none(trade)})
        return result

    def get_trade_loans(self, trade_id: IdLike) -> list[Loan]:
        """List the loans funding a position.

        API: ``GET /trades/{id}/loans``, signed.

        Args:
            trade_id: The trade id.

        Returns:
            A list of loans.

        Example:
            .. code-block:: python

                loans = client.get_trade_loans(trade_id)
        """
        result: list[Loan] = self._get(f"{_trade_path(trade_id)}/loans", signed=True)
        return result

    def adjust_trade_margin(self, trade_id: IdLike, delta: Amount) -> Trade:
        """Add margin to an isolated position, or take some away.

        API: ``PUT /trades/{id}/adjust_margin`` with flat body ``{"delta": ...}``,
        signed. The Liquid docs name the call ("Adjust Allocated Margin") but no
        source we have records its body; a signed change (positive adds, negative
        removes) in a ``delta`` field is our best reading, so check the answer.

        Args:
            trade_id: The trade id.
            delta: Margin to add (positive) or remove (negative); not zero.

        Returns:
            The trade.

        Example:
            .. code-block:: python

                client.adjust_trade_margin(trade_id, "10")
        """
        amount = to_decimal(delta, "delta")
        if amount.is_zero():
            raise QuoineValidationError("delta must not be zero")
        result: Trade = self._put(
            f"{_trade_path(trade_id)}/adjust_margin", {"delta": plain(amount)}
        )
        return result
