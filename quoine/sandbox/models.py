"""Plain data objects of the sandbox exchange and their JSON shapes.

Everything monetary is a :class:`~decimal.Decimal`; the ``to_json`` methods
render decimals as strings and ``created_at``/``updated_at`` as unix seconds,
as the real API does.
"""

from __future__ import annotations

import bisect
from collections import deque
from decimal import Decimal
from typing import Any

__all__ = [
    "D0",
    "Account",
    "ApiError",
    "Book",
    "Currency",
    "Entry",
    "Execution",
    "Order",
    "Product",
    "Trade",
    "User",
    "fmt",
]

D0 = Decimal(0)
D1 = Decimal(1)


class ApiError(Exception):
    """An error answer of the API: an HTTP status and a JSON body."""

    def __init__(self, status: int, body: dict[str, Any]) -> None:
        super().__init__(status, body)
        self.status = status
        self.body = body

    @classmethod
    def field(cls, field: str, code: str, status: int = 422) -> ApiError:
        """Build the ``{"errors": {field: [code]}}`` shape."""
        return cls(status, {"errors": {field: [code]}})

    @classmethod
    def message(cls, message: str, status: int = 422) -> ApiError:
        """Build the ``{"message": message}`` shape."""
        return cls(status, {"message": message})

    @classmethod
    def not_found(cls, what: str) -> ApiError:
        """Build a 404 ``{"message": "<what> not found"}``."""
        return cls(404, {"message": f"{what} not found"})


def fmt(value: Decimal | None) -> str | None:
    """Render a decimal as a plain string such as ``"0.01"`` or ``"500.0"``."""
    if value is None:
        return None
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0")
        if text.endswith("."):
            text += "0"
    else:
        text += ".0"
    if text == "-0.0":
        return "0.0"
    return text


class Currency:
    """A currency as listed by ``/currencies``."""

    def __init__(
        self,
        code: str,
        kind: str,
        *,
        precision: int,
        min_order: str = "0",
        min_withdrawal: str = "0",
        withdrawal_fee: str = "0",
        usd_rate: str = "1",
        symbol: str = "",
    ) -> None:
        self.code = code
        self.kind = kind
        self.precision = precision
        self.min_order = Decimal(min_order)
        self.min_withdrawal = Decimal(min_withdrawal)
        self.withdrawal_fee = Decimal(withdrawal_fee)
        self.usd_rate = Decimal(usd_rate)
        self.symbol = symbol

    def to_json(self) -> dict[str, Any]:
        """Return the ``/currencies`` item."""
        return {
            "currency": self.code,
            "currency_type": self.kind,
            "symbol": self.symbol,
            "assets_precision": self.precision,
            "quoting_precision": self.precision,
            "display_precision": min(self.precision, 8),
            "minimum_withdrawal": fmt(self.min_withdrawal),
            "withdrawal_fee": fmt(self.withdrawal_fee),
            "minimum_order_quantity": fmt(self.min_order),
            "depositable": True,
            "withdrawable": True,
            "lendingable": True,
        }


class Product:
    """A tradable product (currency pair or perpetual)."""

    def __init__(
        self,
        pid: int,
        base: str,
        quote: str,
        *,
        price: str,
        tick: str,
        taker_fee: str = "0.003",
        maker_fee: str = "0.0",
        perpetual: bool = False,
        disabled: bool = False,
        margin_enabled: bool = True,
    ) -> None:
        self.id = pid
        self.base = base
        self.quote = quote
        self.perpetual = perpetual
        self.code = f"{base}{quote}"
        self.tick = Decimal(tick)
        self.taker_fee = Decimal(taker_fee)
        self.maker_fee = Decimal(maker_fee)
        self.disabled = disabled
        self.margin_enabled = margin_enabled
        self.last_price = Decimal(price)
        self.multiplier_up = Decimal(10)
        self.multiplier_down = Decimal("0.01")
        self.book = Book()
        self.executions: list[Execution] = []
        self.exec_times: list[int] = []
        self.stops: list[Order] = []
        self.event_time = 0.0
        self._volume: tuple[tuple[int, int], Decimal] = ((-1, -1), D0)

    def volume_24h(self, now: float) -> Decimal:
        """Traded base quantity over the last 24 h (cached per minute)."""
        key = (len(self.executions), int(now) // 60)
        if self._volume[0] != key:
            start = bisect.bisect_left(self.exec_times, int(now) - 86400)
            volume = sum((e.quantity for e in self.executions[start:]), D0)
            self._volume = (key, volume)
        return self._volume[1]

    @property
    def max_fee(self) -> Decimal:
        """The larger of the maker and taker fee rates."""
        return max(self.taker_fee, self.maker_fee)

    def to_json(self, now: float) -> dict[str, Any]:
        """Return the ``/products`` item."""
        bid = self.book.best(True)
        ask = self.book.best(False)
        volume = self.volume_24h(now)
        stamp = f"{max(self.event_time, 0.0):.9f}"
        data: dict[str, Any] = {
            "id": str(self.id),
            "product_type": "Perpetual" if self.perpetual else "CurrencyPair",
            "code": "CASH",
            "name": None,
            "market_ask": fmt(ask) if ask is not None else None,
            "market_bid": fmt(bid) if bid is not None else None,
            "indicator": None,
            "currency": self.quote,
            "currency_pair_code": self.code,
            "symbol": None,
            "btc_minimum_withdraw": None,
            "fiat_minimum_withdraw": None,
            "pusher_channel": f"product_cash_{self.code.lower()}_{self.id}",
            "taker_fee": fmt(self.taker_fee),
            "maker_fee": fmt(self.maker_fee),
            "low_market_bid": None,
            "high_market_ask": None,
            "volume_24h": fmt(volume),
            "last_price_24h": fmt(self.last_price),
            "last_traded_price": fmt(self.last_price),
            "last_traded_quantity": (
                fmt(self.executions[-1].quantity) if self.executions else None
            ),
            "average_price": None,
            "quoted_currency": self.quote,
            "base_currency": self.base,
            "tick_size": fmt(self.tick),
            "disabled": self.disabled,
            "margin_enabled": self.margin_enabled and not self.perpetual,
            "cfd_enabled": False,
            "perpetual_enabled": self.perpetual,
            "last_event_timestamp": stamp,
            "timestamp": stamp,
            "multiplier_up": fmt(self.multiplier_up),
            "multiplier_down": fmt(self.multiplier_down),
            "average_time_interval": None,
        }
        if self.perpetual:
            data.update(
                index_price=fmt(self.last_price),
                mark_price=fmt(self.last_price),
                fair_price=fmt(self.last_price),
                funding_rate="0.0001",
            )
        return data


class Book:
    """One product's order book with price-time priority.

    Prices are kept in ascending lists so the best bid is the last bid price
    and the best ask the first ask price.
    """

    def __init__(self) -> None:
        self.levels: dict[bool, dict[Decimal, deque[Order]]] = {True: {}, False: {}}
        self.prices: dict[bool, list[Decimal]] = {True: [], False: []}

    def best(self, buy: bool) -> Decimal | None:
        """Best bid (``buy=True``) or best ask price, or None when empty."""
        prices = self.prices[buy]
        if not prices:
            return None
        return prices[-1] if buy else prices[0]

    def add(self, order: Order) -> None:
        """Append ``order`` at the back of its price level."""
        buy = order.side == "buy"
        assert order.price is not None
        level = self.levels[buy].get(order.price)
        if level is None:
            level = self.levels[buy][order.price] = deque()
            bisect.insort(self.prices[buy], order.price)
        level.append(order)

    def remove(self, order: Order) -> None:
        """Remove ``order`` (no-op when it is not in the book)."""
        buy = order.side == "buy"
        assert order.price is not None
        level = self.levels[buy].get(order.price)
        if level is None or order not in level:
            return
        level.remove(order)
        if not level:
            self.drop_level(buy, order.price)

    def drop_level(self, buy: bool, price: Decimal) -> None:
        """Delete an empty price level."""
        del self.levels[buy][price]
        prices = self.prices[buy]
        del prices[bisect.bisect_left(prices, price)]

    def ordered_prices(self, buy: bool) -> list[Decimal]:
        """Prices from best to worst."""
        prices = self.prices[buy]
        return prices[::-1] if buy else list(prices)

    def depth(self, buy: bool, limit: int | None) -> list[list[str | None]]:
        """Aggregated ``[price, quantity]`` levels, best first."""
        prices = self.prices[buy]
        chosen = prices[::-1] if buy else prices
        if limit is not None:
            chosen = chosen[:limit]
        out: list[list[str | None]] = []
        for price in chosen:
            qty = sum((o.remaining for o in self.levels[buy][price]), D0)
            out.append([fmt(price), fmt(qty)])
        return out

    def level_count(self, buy: bool) -> int:
        """Number of price levels on one side."""
        return len(self.prices[buy])


class Account:
    """One user's balance in one currency."""

    def __init__(self, aid: int, user: User, currency: Currency) -> None:
        self.id = aid
        self.user = user
        self.currency = currency
        self.balance = D0
        self.reserved = D0
        self.reservations: dict[tuple[str, int], Decimal] = {}

    @property
    def free(self) -> Decimal:
        """Balance not reserved by live orders, withdrawals, loans or trades."""
        return self.balance - self.reserved

    def to_json(self) -> dict[str, Any]:
        """Return the ``/fiat_accounts`` or ``/crypto_accounts`` item."""
        cur = self.currency
        data: dict[str, Any] = {
            "id": self.id,
            "currency": cur.code,
            "currency_symbol": cur.symbol,
            "balance": fmt(self.balance),
            "reserved_balance": fmt(self.reserved),
            "free_balance": fmt(self.free),
            "pusher_channel": f"user_{self.user.id}_account_{cur.code.lower()}",
            "lowest_offer_interest_rate": None,
            "highest_offer_interest_rate": None,
            "exchange_rate": fmt(cur.usd_rate),
            "currency_type": cur.kind,
            "send_to_btc_address": None,
        }
        if cur.kind == "crypto":
            data["address"] = f"sandbox-{cur.code.lower()}-{self.user.id}"
            data["minimum_withdraw"] = fmt(cur.min_withdrawal)
        return data


class Entry:
    """One balance change (a ledger line)."""

    __slots__ = (
        "action",
        "amount",
        "balance",
        "currency",
        "id",
        "object_id",
        "object_type",
        "timestamp",
    )

    def __init__(
        self,
        eid: int,
        currency: str,
        amount: Decimal,
        balance: Decimal,
        action: str,
        object_type: str,
        object_id: int,
        timestamp: float,
    ) -> None:
        self.id = eid
        self.currency = currency
        self.amount = amount
        self.balance = balance
        self.action = action
        self.object_type = object_type
        self.object_id = object_id
        self.timestamp = timestamp

    def to_history(self) -> dict[str, Any]:
        """Return the ``/balance_history`` item."""
        return {
            "id": self.id,
            "currency": self.currency,
            "amount": fmt(self.amount),
            "balance": fmt(self.balance),
            "source_action": self.action,
            "source_object_type": self.object_type,
            "source_object_id": self.object_id,
            "timestamp": f"{self.timestamp:.3f}",
        }

    def to_transaction(self) -> dict[str, Any]:
        """Return the ``/transactions`` item."""
        ts = int(self.timestamp)
        return {
            "id": self.id,
            "transaction_type": self.action,
            "currency": self.currency,
            "gross_amount": fmt(self.amount),
            "net_amount": fmt(self.amount),
            "fee": "0.0",
            "balance": fmt(self.balance),
            "state": "processed",
            "from_role": None,
            "to_role": None,
            "action_id": self.object_id,
            "source_object_type": self.object_type,
            "created_at": ts,
            "updated_at": ts,
        }


class User:
    """An account holder, optionally with an API token."""

    def __init__(self, uid: int, name: str) -> None:
        self.id = uid
        self.name = name
        self.token_id: str | None = None
        self.secret: str | None = None
        self.last_nonce: int = 0
        self.accounts: dict[str, Account] = {}
        self.orders: list[Order] = []
        self.orders_by_cid: dict[str, Order] = {}
        self.fills: list[tuple[Execution, str, Order]] = []
        self.trades: list[Trade] = []
        self.entries: list[Entry] = []
        self.leverage: dict[int, int] = {}


class Order:
    """An order, live or finished."""

    def __init__(
        self,
        oid: int,
        user: User,
        product: Product,
        side: str,
        order_type: str,
        quantity: Decimal,
        price: Decimal | None,
        now: int,
    ) -> None:
        self.id = oid
        self.user = user
        self.product = product
        self.side = side
        self.order_type = order_type
        self.quantity = quantity
        self.price = price
        self.filled = D0
        self.cost = D0
        self.fee = D0
        self.status = "live"
        self.created_at = now
        self.updated_at = now
        self.client_order_id: str | None = None
        self.leverage = 1
        self.margin = False
        self.funding_currency = product.quote
        self.order_direction: str | None = None
        self.margin_type = "cross"
        self.price_range: Decimal | None = None
        self.trailing_type: str | None = None
        self.trailing_value: Decimal | None = None
        self.trail_extreme: Decimal | None = None
        self.stop_triggered_time: int | None = None
        self.take_profit: Decimal | None = None
        self.stop_loss: Decimal | None = None
        self.reserve_currency = ""
        self.reserve_left = D0
        self.reserve_price: Decimal | None = None
        self.executions: list[Execution] = []
        self.trade_ids: list[int] = []
        self.close_trade: Trade | None = None
        self.in_book = False

    @property
    def remaining(self) -> Decimal:
        """Quantity not filled yet."""
        return self.quantity - self.filled

    @property
    def trading_type(self) -> str:
        """spot, margin or perpetual."""
        if self.product.perpetual:
            return "perpetual"
        return "margin" if self.margin else "spot"

    @property
    def is_live(self) -> bool:
        """True while the order can still fill or be cancelled."""
        return self.status in ("live", "partially_filled")

    def to_json(self, details: bool = False) -> dict[str, Any]:
        """Return the order object (with executions when ``details``)."""
        avg = self.cost / self.filled if self.filled else D0
        price = self.price
        if price is None:
            price = avg
        data: dict[str, Any] = {
            "id": self.id,
            "order_type": self.order_type,
            "quantity": fmt(self.quantity),
            "disc_quantity": "0.0",
            "iceberg_total_quantity": "0.0",
            "side": self.side,
            "filled_quantity": fmt(self.filled),
            "price": fmt(price),
            "created_at": self.created_at,
            "updated_at": self.updated_at,
            "status": self.status,
            "leverage_level": self.leverage,
            "source_exchange": "QUOINE",
            "product_id": self.product.id,
            "margin_type": self.margin_type if self.margin else None,
            "take_profit": fmt(self.take_profit),
            "stop_loss": fmt(self.stop_loss),
            "trading_type": self.trading_type,
            "product_code": "CASH",
            "funding_currency": self.funding_currency,
            "crypto_account_id": None,
            "currency_pair_code": self.product.code,
            "average_price": fmt(avg),
            "target": "margin" if self.margin else "spot",
            "order_fee": fmt(self.fee),
            "source_action": "manual" if self.close_trade is None else "close",
            "unwound_trade_id": self.close_trade.id if self.close_trade else None,
            "trade_id": self.trade_ids[-1] if self.trade_ids else None,
            "client_order_id": self.client_order_id,
            "settings": None,
            "trailing_stop_type": self.trailing_type,
            "trailing_stop_value": fmt(self.trailing_value),
            "stop_triggered_time": self.stop_triggered_time,
            "order_direction": self.order_direction,
            "price_range": fmt(self.price_range),
            "margin_used": "0.0",
            "margin_interest": "0.0",
            "unwound_trade_leverage_level": None,
        }
        if details:
            data["executions"] = [e.to_json(my_side=self.side, order=self) for e in self.executions]
        return data


class Execution:
    """A public trade between a taker and a maker order."""

    __slots__ = (
        "_json",
        "buy_order",
        "created_at",
        "id",
        "price",
        "product_id",
        "quantity",
        "sell_order",
        "taker_side",
        "timestamp",
    )

    def __init__(
        self,
        eid: int,
        product_id: int,
        quantity: Decimal,
        price: Decimal,
        taker_side: str,
        timestamp: float,
        buy_order: Order | None = None,
        sell_order: Order | None = None,
    ) -> None:
        self.id = eid
        self.product_id = product_id
        self.quantity = quantity
        self.price = price
        self.taker_side = taker_side
        self.timestamp = timestamp
        self.created_at = int(timestamp)
        self.buy_order = buy_order
        self.sell_order = sell_order
        self._json: dict[str, Any] | None = None

    def public_json(self) -> dict[str, Any]:
        """Return the public ``/executions`` item (cached)."""
        if self._json is None:
            self._json = {
                "id": self.id,
                "quantity": fmt(self.quantity),
                "price": fmt(self.price),
                "taker_side": self.taker_side,
                "created_at": self.created_at,
                "timestamp": f"{self.timestamp:.6f}",
            }
        return self._json

    def to_json(
        self, my_side: str, order: Order | None = None, details: bool = True
    ) -> dict[str, Any]:
        """Return the ``/executions/me`` item."""
        data = dict(self.public_json())
        data["my_side"] = my_side
        data["product_id"] = self.product_id
        if details and order is not None:
            data["order_id"] = order.id
            data["client_order_id"] = order.client_order_id
        return data


class Trade:
    """An open or closed margin position."""

    def __init__(self, tid: int, order: Order, quantity: Decimal, price: Decimal, now: int) -> None:
        self.id = tid
        self.user = order.user
        self.product = order.product
        self.order_id = order.id
        self.side = "long" if order.side == "buy" else "short"
        self.leverage = order.leverage
        self.funding_currency = order.funding_currency
        self.quantity = quantity
        self.open_quantity = quantity
        self.open_price = price
        self.close_cost = D0
        self.closed_quantity = D0
        self.margin = D0
        self.pnl = D0
        self.fees = D0
        self.status = "open"
        self.stop_loss: Decimal | None = order.stop_loss
        self.take_profit: Decimal | None = order.take_profit
        self.created_at = now
        self.updated_at = now
        self.loan_ids: list[int] = []

    def open_pnl(self) -> Decimal:
        """Unrealised profit at the product's last price."""
        move = self.product.last_price - self.open_price
        sign = 1 if self.side == "long" else -1
        return move * self.open_quantity * sign

    def to_json(self) -> dict[str, Any]:
        """Return the trade object."""
        close_price = self.close_cost / self.closed_quantity if self.closed_quantity else None
        return {
            "id": self.id,
            "currency_pair_code": self.product.code,
            "status": self.status,
            "side": self.side,
            "margin_type": "cross",
            "margin_used": fmt(self.margin),
            "liquidation_price": None,
            "maintenance_margin": None,
            "open_quantity": fmt(self.open_quantity),
            "close_quantity": fmt(self.closed_quantity),
            "quantity": fmt(self.quantity),
            "leverage_level": self.leverage,
            "product_code": "CASH",
            "product_id": self.product.id,
            "open_price": fmt(self.open_price),
            "close_price": fmt(close_price),
            "trader_id": self.user.id,
            "open_pnl": fmt(self.open_pnl() if self.status == "open" else D0),
            "close_pnl": fmt(self.pnl),
            "pnl": fmt(self.pnl),
            "stop_loss": fmt(self.stop_loss),
            "take_profit": fmt(self.take_profit),
            "funding_currency": self.funding_currency,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
            "close_fee": fmt(self.fees),
            "total_interest": "0.0",
            "daily_interest": "0.0",
            "order_id": self.order_id,
            "trading_type": "perpetual" if self.product.perpetual else "margin",
        }
