"""Types of the main API answers, as :class:`~typing.TypedDict` for type checkers.

The client returns the decoded JSON as plain ``dict`` and ``list`` objects; these
types describe them for a type checker and for readers, and change nothing at
runtime. Each lists the keys every answer has as required, and the others as
optional (``total=False``): the API adds fields over time and the exchanges
differ (Liquid added ``tick_size``, ``timestamp``... to products).

Values follow the API's conventions:

- decimal amounts come as strings (``"0.01"``); a few come as JSON numbers,
  which the client decodes as :class:`~decimal.Decimal` (or ``int`` when they
  have no fraction), hence :data:`Amount`;
- ids are integers, except in some Liquid answers where they are strings of
  digits (``"id": "1"``), hence :data:`Id`;
- times are integer unix seconds, except newer fields such as ``timestamp``
  that are strings with a fraction (``"1632493065.665"``), hence
  :data:`Timestamp`.

Example:
    .. code-block:: python

        from quoine.types import Order

        def describe(order: Order) -> str:
            return f"{order['side']} {order['quantity']} at {order['price']}"

        describe(client.create_limit_buy(1, "0.01", "25000"))
"""

from decimal import Decimal
from typing import Any, Optional, TypedDict, Union

__all__ = [
    "Account",
    "AccountBalance",
    "Accounts",
    "Amount",
    "Execution",
    "ExecutionPage",
    "Id",
    "Order",
    "OrderBook",
    "OrderPage",
    "Page",
    "PriceLevel",
    "Product",
    "Timestamp",
    "Trade",
    "TradePage",
]

#: An id, an integer or a string of digits (in some Liquid answers).
Id = Union[int, str]
#: A decimal amount, usually a string such as ``"0.01"``; a JSON number is
#: decoded as :class:`~decimal.Decimal`, or ``int`` without a fraction.
Amount = Union[str, Decimal, int]
#: A time, integer unix seconds or a string (or number) with a fraction.
Timestamp = Union[int, str, Decimal]
#: One level of an order book, ``[price, quantity]``.
PriceLevel = list[Amount]


class _ProductKeys(TypedDict):
    id: Id
    product_type: str
    code: str
    currency: str
    currency_pair_code: str
    base_currency: str
    quoted_currency: str


class Product(_ProductKeys, total=False):
    """A product (currency pair or perpetual), from ``get_products`` and ``get_product``.

    Always has ``id``, ``product_type``, ``code``, ``currency``,
    ``currency_pair_code``, ``base_currency`` and ``quoted_currency``.
    """

    name: Optional[str]
    market_ask: Optional[Amount]
    market_bid: Optional[Amount]
    indicator: Optional[int]
    symbol: Optional[str]
    btc_minimum_withdraw: Optional[Amount]
    fiat_minimum_withdraw: Optional[Amount]
    pusher_channel: str
    taker_fee: Optional[Amount]
    maker_fee: Optional[Amount]
    low_market_bid: Optional[Amount]
    high_market_ask: Optional[Amount]
    volume_24h: Optional[Amount]
    last_price_24h: Optional[Amount]
    last_traded_price: Optional[Amount]
    last_traded_quantity: Optional[Amount]
    average_price: Optional[Amount]
    exchange_rate: Optional[Amount]
    tick_size: Optional[Amount]
    disabled: bool
    margin_enabled: bool
    cfd_enabled: bool
    perpetual_enabled: bool
    last_event_timestamp: Optional[Timestamp]
    timestamp: Optional[Timestamp]
    multiplier_up: Optional[Amount]
    multiplier_down: Optional[Amount]
    average_time_interval: Optional[Amount]
    # perpetuals only
    index_price: Optional[Amount]
    mark_price: Optional[Amount]
    fair_price: Optional[Amount]
    funding_rate: Optional[Amount]


class _OrderBookKeys(TypedDict):
    buy_price_levels: list[PriceLevel]
    sell_price_levels: list[PriceLevel]


class OrderBook(_OrderBookKeys, total=False):
    """The price levels of a product, best first, from ``get_order_book``.

    Always has ``buy_price_levels`` and ``sell_price_levels``.
    """

    timestamp: Optional[Timestamp]


class _ExecutionKeys(TypedDict):
    id: Id
    quantity: Amount
    price: Amount
    taker_side: str
    created_at: Timestamp


class Execution(_ExecutionKeys, total=False):
    """A fill: a public execution, or one of yours with ``my_side`` and ``order_id``.

    Always has ``id``, ``quantity``, ``price``, ``taker_side`` and ``created_at``.
    """

    timestamp: Optional[Timestamp]
    my_side: str
    product_id: Id
    order_id: Id
    client_order_id: Optional[str]


class _OrderKeys(TypedDict):
    id: Id
    order_type: str
    quantity: Amount
    side: str
    filled_quantity: Amount
    price: Optional[Amount]
    status: str
    product_id: Id
    created_at: Timestamp
    updated_at: Timestamp


class Order(_OrderKeys, total=False):
    """An order, as placed, looked up, listed, edited or cancelled.

    Always has ``id``, ``order_type``, ``quantity``, ``side``,
    ``filled_quantity``, ``price`` (None for some market orders), ``status``,
    ``product_id``, ``created_at`` and ``updated_at``.
    """

    disc_quantity: Optional[Amount]
    iceberg_total_quantity: Optional[Amount]
    leverage_level: int
    source_exchange: Optional[str]
    margin_type: Optional[str]
    take_profit: Optional[Amount]
    stop_loss: Optional[Amount]
    trading_type: str
    product_code: str
    funding_currency: Optional[str]
    crypto_account_id: Optional[Id]
    currency_pair_code: str
    average_price: Optional[Amount]
    target: Optional[str]
    order_fee: Optional[Amount]
    source_action: Optional[str]
    unwound_trade_id: Optional[Id]
    trade_id: Optional[Id]
    client_order_id: Optional[str]
    settings: Any
    trailing_stop_type: Optional[str]
    trailing_stop_value: Optional[Amount]
    stop_triggered_time: Optional[Timestamp]
    order_direction: Optional[str]
    price_range: Optional[Amount]
    margin_used: Optional[Amount]
    margin_interest: Optional[Amount]
    unwound_trade_leverage_level: Optional[int]
    #: With ``get_order`` and ``get_orders(with_details=True)``.
    executions: list[Execution]


class _AccountKeys(TypedDict):
    id: Id
    currency: str
    balance: Amount


class Account(_AccountKeys, total=False):
    """A fiat or crypto account, from ``get_fiat_accounts``, ``get_account``...

    Always has ``id``, ``currency`` and ``balance``.
    """

    currency_symbol: Optional[str]
    reserved_balance: Amount
    free_balance: Amount
    pusher_channel: str
    lowest_offer_interest_rate: Optional[Amount]
    highest_offer_interest_rate: Optional[Amount]
    exchange_rate: Optional[Amount]
    currency_type: str
    send_to_btc_address: Optional[str]
    # crypto accounts only
    address: Optional[str]
    minimum_withdraw: Optional[Amount]


class Accounts(TypedDict):
    """Every account of the user, from ``get_accounts``."""

    crypto_accounts: list[Account]
    fiat_accounts: list[Account]


class AccountBalance(TypedDict):
    """One currency's balance, from ``get_account_balances``."""

    currency: str
    balance: Amount


class _TradeKeys(TypedDict):
    id: Id
    currency_pair_code: str
    status: str
    side: str
    quantity: Amount
    open_price: Amount
    leverage_level: int
    product_id: Id
    created_at: Timestamp
    updated_at: Timestamp


class Trade(_TradeKeys, total=False):
    """A margin position ("trade" in the API), from ``get_trades`` and the trade calls.

    Always has ``id``, ``currency_pair_code``, ``status``, ``side``,
    ``quantity``, ``open_price``, ``leverage_level``, ``product_id``,
    ``created_at`` and ``updated_at``.
    """

    margin_type: Optional[str]
    margin_used: Optional[Amount]
    liquidation_price: Optional[Amount]
    maintenance_margin: Optional[Amount]
    open_quantity: Amount
    close_quantity: Amount
    product_code: str
    close_price: Optional[Amount]
    trader_id: Id
    open_pnl: Amount
    close_pnl: Amount
    pnl: Amount
    stop_loss: Optional[Amount]
    take_profit: Optional[Amount]
    funding_currency: str
    close_fee: Optional[Amount]
    total_interest: Optional[Amount]
    daily_interest: Optional[Amount]
    order_id: Optional[Id]
    trading_type: str


class Page(TypedDict):
    """One page of a paginated list (see :doc:`/pagination`).

    ``current_page`` and ``total_pages`` are sometimes strings of digits, and
    ``total_pages`` may be a large sentinel: stop when ``models`` is empty.
    """

    models: list[dict[str, Any]]
    current_page: Union[int, str]
    total_pages: Union[int, str]


class ExecutionPage(TypedDict):
    """A page of executions, from ``get_executions``, ``get_my_executions``..."""

    models: list[Execution]
    current_page: Union[int, str]
    total_pages: Union[int, str]


class OrderPage(TypedDict):
    """A page of orders, from ``get_orders``."""

    models: list[Order]
    current_page: Union[int, str]
    total_pages: Union[int, str]


class TradePage(TypedDict):
    """A page of margin positions, from ``get_trades``."""

    models: list[Trade]
    current_page: Union[int, str]
    total_pages: Union[int, str]
