"""Plain data objects of the sandbox exchange and their JSON shapes.

Everything monetary is a :class:`~decimal.Decimal`. The ``to_json`` methods
render each field with the name and JSON type the API's documentation shows
(see the source table in docs/sandbox.rst): decimals as strings such as
``"0.01"``, or as JSON numbers where the API sent numbers (a :class:`Decimal`
left in the rendered dict becomes an exact JSON number, see :func:`dumps`);
``created_at``/``updated_at`` as unix seconds. ``dialect`` picks the
Liquid-era shapes (``"liquid"``, the default) or the Quoinex/Qryptos-era ones
of the 2016 documentation (``"quoine"``).
"""

from __future__ import annotations

import bisect
import json
import re
import secrets
from collections import deque
from decimal import Context, Decimal
from typing import Any

from .history import BAR_WIDTHS, Bars, Window

_WIDE = Context(prec=80)  # exact sums of balances and reservations

__all__ = [
    "D0",
    "DIALECTS",
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
    "dumps",
    "fmt",
    "num",
]

D0 = Decimal(0)
D1 = Decimal(1)

#: The answer shapes the sandbox can speak: the Liquid-era documentation
#: (developers.liquid.com, the default) or the 2016 Quoinex/Qryptos one.
DIALECTS = ("liquid", "quoine")


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


def num(value: Decimal) -> Decimal:
    """A decimal the API sent as a JSON number, such as ``0.08457``.

    The result stays a :class:`Decimal`; :func:`dumps` writes it as a JSON
    number with exactly these digits.
    """
    return Decimal(fmt(value) or "0")


_MARK = secrets.token_hex(8)
_NUMBER = re.compile(f'"{_MARK}(-?[0-9]+\\.[0-9]+){_MARK}"')


def _mark_number(value: Any) -> str:
    if isinstance(value, Decimal):
        return f"{_MARK}{fmt(value)}{_MARK}"
    return str(value)


def dumps(payload: Any) -> str:
    """Compact JSON text in which every :class:`Decimal` is an exact JSON number."""
    text = json.dumps(payload, separators=(",", ":"), ensure_ascii=False, default=_mark_number)
    return _NUMBER.sub(r"\1", text) if _MARK in text else text


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
        """Return the ``/currencies`` item (fields of the answers ccxt and hummingbot quote)."""
        return {
            "currency_type": self.kind,
            "currency": self.code,
            "symbol": self.symbol,
            "assets_precision": self.precision,
            "quoting_precision": self.precision,
            "minimum_withdrawal": num(self.min_withdrawal),
            "withdrawal_fee": num(self.withdrawal_fee),
            "minimum_fee": None,
            "minimum_order_quantity": num(self.min_order),
            "display_precision": min(self.precision, 8),
            "depositable": True,
            "withdrawable": True,
            "discount_fee": num(Decimal("0.5")),
            "lendable": True,
            "position_fundable": True,
            "has_memo": False,
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
        self._day: tuple[tuple[int, int], DayStats] = ((-1, -1), DayStats(D0, None, None, None))
        self._window = Window()
        #: OHLC bars by width (see :mod:`.history`), kept by :meth:`record`.
        self.bars = {width: Bars(width) for width in BAR_WIDTHS}

    def record(self, exe: Execution) -> None:
        """Append an execution (never earlier than the last) to the history and its bars."""
        self.executions.append(exe)
        self.exec_times.append(exe.created_at)
        for bars in self.bars.values():
            bars.add(exe.created_at, exe.price, exe.quantity)
        if len(self.executions) % 1024 == 0:  # a read then catches up with at most 1023
            self._window.advance(self.executions, self.exec_times, exe.created_at - 86400)

    def day_stats(self, now: float) -> DayStats:
        """Volume, low, high, first price and average price of the last 24 h (cached per minute)."""
        key = (len(self.executions), int(now) // 60)
        if self._day[0] != key:
            window = self._window
            window.advance(self.executions, self.exec_times, int(now) - 86400)
            volume = window.volume
            average = (window.notional / volume).quantize(self.tick) if volume else None
            low, high, first = window.extremes(self.executions)
            self._day = (key, DayStats(volume, low, high, first, average))
        return self._day[1]

    @property
    def max_fee(self) -> Decimal:
        """The larger of the maker and taker fee rates."""
        return max(self.taker_fee, self.maker_fee)

    def to_json(self, now: float, quote: Currency, dialect: str = "liquid") -> dict[str, Any]:
        """Return the ``/products`` item; ``quote`` is the quoted currency."""
        day = self.day_stats(now)
        bid = self.book.best(True)
        ask = self.book.best(False)
        last = self.last_price
        opened = day.first if day.first is not None else last
        data: dict[str, Any] = {
            "id": str(self.id) if dialect == "liquid" else self.id,
            "product_type": "Perpetual" if self.perpetual else "CurrencyPair",
            "code": "CASH",
            "name": " CASH Trading" if dialect == "liquid" else "CASH Trading",
            "market_ask": fmt(ask),
            "market_bid": fmt(bid),
            "indicator": 1 if last >= opened else -1,
            "currency": self.quote,
            "currency_pair_code": self.code,
            "symbol": quote.symbol,
            "btc_minimum_withdraw": None,
            "fiat_minimum_withdraw": fmt(quote.min_withdrawal),
            "pusher_channel": f"product_cash_{self.code.lower()}_{self.id}",
            "taker_fee": fmt(self.taker_fee),
            "maker_fee": fmt(self.maker_fee),
            "low_market_bid": fmt(day.low if day.low is not None else last),
            "high_market_ask": fmt(day.high if day.high is not None else last),
            "volume_24h": fmt(day.volume),
            "last_price_24h": fmt(opened),
            "last_traded_price": fmt(last),
            "last_traded_quantity": fmt(self.executions[-1].quantity if self.executions else D0),
            "average_price": fmt(day.average if day.average is not None else last),
            "quoted_currency": self.quote,
            "base_currency": self.base,
            "exchange_rate": fmt(quote.usd_rate),
        }
        if dialect == "quoine":
            del data["btc_minimum_withdraw"], data["average_price"]
            return data
        return self._liquid_fields(data, now)

    def _liquid_fields(self, data: dict[str, Any], now: float) -> dict[str, Any]:
        stamp = f"{max(self.event_time, 0.0):.9f}"
        data.update(
            fiat_minimum_withdraw=None,
            tick_size=fmt(self.tick),
            disabled=self.disabled,
            margin_enabled=self.margin_enabled and not self.perpetual,
            cfd_enabled=False,
            perpetual_enabled=self.perpetual,
            last_event_timestamp=stamp,
            timestamp=stamp,
            multiplier_up=fmt(self.multiplier_up),
            multiplier_down=fmt(self.multiplier_down),
            average_time_interval=300,
            progressive_tier_eligible=True,
            exchange_rate=num(D0),
        )
        data["exchange_rate"] = data.pop("exchange_rate")  # last, as in the documentation
        if self.perpetual:
            # The perpetual example sends the book's prices as JSON numbers.
            for key in ("market_ask", "market_bid"):
                data[key] = None if data[key] is None else num(Decimal(data[key]))
            data.update(
                name=None,
                indicator=None,
                index_price=fmt(self.last_price),
                mark_price=fmt(self.last_price),
                fair_price=fmt(self.last_price),
                funding_rate="0.0001",
            )
        return data


class DayStats:
    """A product's last 24 hours of trading."""

    __slots__ = ("average", "first", "high", "low", "volume")

    def __init__(
        self,
        volume: Decimal,
        low: Decimal | None,
        high: Decimal | None,
        first: Decimal | None,
        average: Decimal | None = None,
    ) -> None:
        self.volume = volume
        self.low = low
        self.high = high
        self.first = first
        self.average = average


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
        """Balance not reserved by live orders, withdrawals, loans or trades (exact)."""
        return _WIDE.subtract(self.balance, self.reserved)

    def to_json(self, dialect: str = "liquid", view: str = "list") -> dict[str, Any]:
        """Return the ``/fiat_accounts`` or ``/crypto_accounts`` item.

        ``view="accounts"``: the item of ``GET /accounts`` instead, the same
        in both dialects.
        """
        if view == "accounts":
            return self._accounts_json()
        cur = self.currency
        crypto = cur.kind == "crypto"
        liquid = dialect == "liquid"
        data: dict[str, Any] = {
            "id": self.id,
            "currency": cur.code,
            "balance": num(self.balance) if liquid else fmt(self.balance),
            "reserved_balance": num(self.reserved),
            "pusher_channel": f"user_{self.user.id}_account_{cur.code.lower()}",
            "lowest_offer_interest_rate": LOWEST_OFFER_RATE,
            "highest_offer_interest_rate": HIGHEST_OFFER_RATE,
            "currency_symbol": cur.symbol,
            "currency_type": cur.kind,
        }
        if crypto:
            data["address"] = f"sandbox-{cur.code.lower()}-{self.user.id}"
            data["minimum_withdraw"] = num(cur.min_withdrawal)
        elif liquid:
            data.update(
                lowest_offer_interest_rate=None,
                highest_offer_interest_rate=None,
                send_to_btc_address=None,
                exchange_rate=num(cur.usd_rate),
            )
        else:
            data.update(exchange_rate=fmt(cur.usd_rate), margin="0.0", free_margin=fmt(self.free))
        if not liquid:
            del data["reserved_balance"]
        return data

    def _accounts_json(self) -> dict[str, Any]:
        # The undocumented GET /accounts (no 2016 counterpart) as ccxt recorded
        # it: the same fields as the Liquid-era lists, amounts as strings.
        cur = self.currency
        data: dict[str, Any] = {
            "id": self.id,
            "currency": cur.code,
            "balance": fmt(self.balance),
            "reserved_balance": fmt(self.reserved),
            "pusher_channel": f"user_{self.user.id}_account_{cur.code.lower()}",
            "lowest_offer_interest_rate": None,
            "highest_offer_interest_rate": None,
        }
        if cur.kind == "crypto":
            data.update(
                lowest_offer_interest_rate=LOWEST_OFFER_RATE,
                highest_offer_interest_rate=HIGHEST_OFFER_RATE,
                address=f"sandbox-{cur.code.lower()}-{self.user.id}",
                currency_symbol=cur.symbol,
                minimum_withdraw=num(cur.min_withdrawal),
            )
        else:
            data.update(
                currency_symbol=cur.symbol,
                send_to_btc_address=None,
                exchange_rate=fmt(cur.usd_rate),
            )
        data["currency_type"] = cur.kind
        return data


#: The lending rates an account shows (the sandbox's loans carry no interest).
LOWEST_OFFER_RATE = "0.0002"
HIGHEST_OFFER_RATE = "0.0007"


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

    def to_json(
        self, details: bool = False, dialect: str = "liquid", view: str = "read"
    ) -> dict[str, Any]:
        """Return the order object.

        Args:
            details: Add ``executions`` (``GET /orders/{id}``, ``with_details=1``).
            dialect: ``"liquid"`` or ``"quoine"``.
            view: ``"read"`` (looked up or listed), ``"create"`` (the answer
                to ``POST /orders``) or ``"change"`` (to a cancel or an edit):
                the API rendered the same order differently in each.
        """
        avg = self.cost / self.filled if self.filled else D0
        price = self.price if self.price is not None else avg
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
        }
        if dialect == "quoine":
            return self._quoine_json(data, details, view)
        written = view != "read"
        data.update(
            source_exchange="QUOINE" if written else None,
            margin_type=self.margin_type if self.margin else None,
            take_profit=fmt(self.take_profit),
            stop_loss=fmt(self.stop_loss),
            trading_type=self.trading_type,
            product_code="CASH",
            funding_currency=self.funding_currency,
            crypto_account_id=None,
            currency_pair_code=self.product.code,
            average_price=fmt(avg),
            target="margin" if self.margin else "spot",
            order_fee=fmt(self.fee),
            source_action="manual" if self.close_trade is None else "close",
            unwound_trade_id=self.close_trade.id if self.close_trade else None,
            trade_id=self.trade_ids[-1] if self.trade_ids else None,
            client_order_id=self.client_order_id,
        )
        if written:
            # Create and cancel answers send these three as JSON numbers; only
            # the cancel answer shows the margin fields (LQ), the create
            # answers recorded by hummingbot end at client_order_id.
            for key in ("price", "average_price", "order_fee"):
                data[key] = num(Decimal(data[key]))
            if view == "change":
                data.update(
                    margin_used="0.0", margin_interest="0.0", unwound_trade_leverage_level=None
                )
            return data
        data.update(
            settings=None,
            trailing_stop_type=self.trailing_type,
            trailing_stop_value=fmt(self.trailing_value),
        )
        if details:
            data["executions"] = self._executions()
        data["stop_triggered_time"] = self.stop_triggered_time
        return data

    def _quoine_json(self, data: dict[str, Any], details: bool, view: str) -> dict[str, Any]:
        data.update(
            product_code="CASH",
            funding_currency=self.funding_currency,
            currency_pair_code=self.product.code,
        )
        if view == "change":
            return data
        data.update(
            order_fee=fmt(self.fee),
            margin_used="0.0",
            margin_interest="0.0",
            unwound_trade_leverage_level=None,
        )
        if details:
            data["executions"] = self._executions()
        return data

    def _executions(self) -> list[dict[str, Any]]:
        return [e.to_json(my_side=self.side) for e in self.executions]


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
            }
        return self._json

    def to_json(self, my_side: str, order: Order | None = None) -> dict[str, Any]:
        """Return one of the user's executions; with ``order``, also its order's ids.

        ``order_id`` and ``client_order_id`` come with ``/executions/me?with_details=1``
        and ``/orders/{id}/executions``.
        """
        data = dict(self.public_json())
        data["my_side"] = my_side
        if order is not None:
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

    def to_json(self, dialect: str = "liquid") -> dict[str, Any]:
        """Return the trade object.

        A price not set (stop loss, take profit, the close price of an open
        trade) is ``"0.0"``, as the API sent it.
        """
        close_price = self.close_cost / self.closed_quantity if self.closed_quantity else D0
        data: dict[str, Any] = {
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
            "stop_loss": fmt(self.stop_loss or D0),
            "take_profit": fmt(self.take_profit or D0),
            "funding_currency": self.funding_currency,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
            "total_interest": "0.0",
        }
        if dialect == "quoine":
            del data["margin_type"], data["liquidation_price"], data["maintenance_margin"]
            data.update(close_fee=fmt(self.fees), total_interest="0.0", daily_interest="0.0")
        return data
