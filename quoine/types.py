"""Types of the values you pass and the answers you get back.

The input aliases (:data:`Amount`, :data:`IdLike`, :data:`TimeLike`) say what
each method accepts. The answers are the decoded JSON as plain ``dict`` and
``list`` objects; the :class:`~typing.TypedDict` classes here describe them for
a type checker and for readers, and change nothing at runtime. The endpoint
methods are annotated with them, so ``order: Order = client.get_order(1)``
type-checks.

Each answer type has, as required keys, those every source shows in every
state of the object, and as optional keys (read them with ``.get()``) those
only some answers carry: the Liquid-era API (api.liquid.com) added fields the
2016 Quoinex/Qryptos documentation does not show, and rendered the same object
differently in different answers (an order's ``price`` is a string when the
order is looked up and a JSON number in the answer to a cancel). Only fields
a source shows are declared; the table of sources is in the sandbox's docs.

Values follow the API's conventions:

- decimal amounts come as strings (``"0.01"``); some Liquid-era answers send
  them as JSON numbers, which the client decodes as :class:`~decimal.Decimal`
  (or ``int`` without a fraction), hence :data:`Numeric`;
- ids are integers, except product ids in Liquid-era product and trading
  account answers, which are strings of digits (``"id": "1"``), and the ids of
  late Liquid-era crypto withdrawals, hence :data:`Id`;
- times are integer unix seconds, except newer fields such as ``timestamp``
  that are strings with a fraction (``"1632493065.665"``) and the times of
  late crypto withdrawals (``"1614718276"``), hence :data:`Timestamp`.

Example:
    .. code-block:: python

        from quoine.types import Order

        def describe(order: Order) -> str:
            return f"{order['side']} {order['quantity']} at {order['price']}"

        describe(client.create_limit_buy(1, "0.01", "25000"))
"""

import datetime as _dt
from decimal import Decimal
from typing import Any, Optional, SupportsIndex, TypedDict, Union

__all__ = [
    "Account",
    "AccountBalance",
    "Accounts",
    "Amount",
    "BalanceChange",
    "BalanceChangePage",
    "CancelledOrder",
    "CancelledOrders",
    "CryptoWithdrawal",
    "CryptoWithdrawalPage",
    "Currency",
    "Execution",
    "ExecutionPage",
    "FeeEstimate",
    "FeeOptions",
    "FeeRule",
    "FeeTier",
    "Id",
    "IdLike",
    "InterestRateLadder",
    "Loan",
    "LoanBid",
    "LoanBidPage",
    "LoanPage",
    "MainAsset",
    "Numeric",
    "Order",
    "OrderBook",
    "OrderPage",
    "Page",
    "PriceLevel",
    "Product",
    "Reservation",
    "TimeLike",
    "Timestamp",
    "Trade",
    "TradePage",
    "TradingAccount",
    "WithdrawalAddress",
    "WithdrawalAddressPage",
]

# ------------------------------------------------------------------- inputs
#: Anything accepted where the API expects a decimal amount (price, quantity,
#: rate): ``Decimal``, ``str`` and ``int`` are taken exactly, a ``float`` by its
#: shortest repr; also float subclasses (``numpy.float64``) and integer types
#: (``numpy.int64``).
Amount = Union[Decimal, str, int, float, SupportsIndex]
#: Anything accepted where the API expects a point in time, as unix seconds
#: (``int``, ``float``, ``Decimal`` or numeric ``str``), an ISO 8601 string, a
#: ``datetime`` or a ``date``.
TimeLike = Union[int, float, str, _dt.datetime, _dt.date, Decimal, SupportsIndex]
#: Anything accepted as an object id, an integer of any integer type or its digits.
IdLike = Union[int, str, SupportsIndex]

# ------------------------------------------------------------------ answers
#: An id, an integer or a string of digits (product ids in Liquid-era answers).
Id = Union[int, str]
#: A decimal as the API sent it, usually a string such as ``"0.01"``; a JSON
#: number is decoded as :class:`~decimal.Decimal`, or ``int`` without a fraction.
Numeric = Union[str, Decimal, int]
#: A time, integer unix seconds or a string (or number) with a fraction.
Timestamp = Union[int, str, Decimal]
#: One level of an order book or of an interest rate ladder, ``[price, quantity]``.
PriceLevel = list[Numeric]


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
    ``currency_pair_code``, ``base_currency`` and ``quoted_currency``. ``id``
    is an integer in the 2016 answers and a string in Liquid-era ones
    (while orders and trades always carry ``product_id`` as an integer).
    """

    name: Optional[str]
    market_ask: Optional[Numeric]
    market_bid: Optional[Numeric]
    indicator: Optional[int]
    symbol: Optional[str]
    btc_minimum_withdraw: Optional[Numeric]
    fiat_minimum_withdraw: Optional[Numeric]
    pusher_channel: str
    taker_fee: Numeric
    maker_fee: Numeric
    low_market_bid: Optional[Numeric]
    high_market_ask: Optional[Numeric]
    volume_24h: Numeric
    last_price_24h: Optional[Numeric]
    last_traded_price: Optional[Numeric]
    last_traded_quantity: Optional[Numeric]
    average_price: Optional[Numeric]
    exchange_rate: Numeric
    # Liquid era
    tick_size: Numeric
    disabled: bool
    margin_enabled: bool
    cfd_enabled: bool
    perpetual_enabled: bool
    last_event_timestamp: Optional[Timestamp]
    timestamp: Optional[Timestamp]
    multiplier_up: Optional[Numeric]
    multiplier_down: Optional[Numeric]
    average_time_interval: Optional[int]
    progressive_tier_eligible: bool
    # perpetuals only
    index_price: Numeric
    mark_price: Numeric
    fair_price: Numeric
    funding_rate: Numeric


class OrderBook(TypedDict):
    """The price levels of a product, best first, from ``get_order_book``."""

    buy_price_levels: list[PriceLevel]
    sell_price_levels: list[PriceLevel]


class _ExecutionKeys(TypedDict):
    id: Id
    quantity: Numeric
    price: Numeric
    taker_side: str
    created_at: Timestamp


class Execution(_ExecutionKeys, total=False):
    """A fill: a public execution, or one of yours with ``my_side``.

    Always has ``id``, ``quantity``, ``price``, ``taker_side`` and
    ``created_at``; yours add ``my_side``, and with details (``with_details``,
    ``get_order_executions``) the ``order_id`` and ``client_order_id``.
    """

    my_side: str
    order_id: Id
    client_order_id: Optional[str]
    #: A fractional string, on an order's executions in late Liquid-era answers (ccxt).
    timestamp: Timestamp


class _OrderKeys(TypedDict):
    id: Id
    order_type: str
    quantity: Numeric
    side: str
    filled_quantity: Numeric
    price: Optional[Numeric]
    status: str
    product_id: Id
    created_at: Timestamp
    updated_at: Timestamp


class Order(_OrderKeys, total=False):
    """An order, as placed, looked up, listed, edited or cancelled.

    Always has ``id``, ``order_type``, ``quantity``, ``side``,
    ``filled_quantity``, ``price``, ``status``, ``product_id``, ``created_at``
    and ``updated_at``. Answers to a create or a cancel send ``price``,
    ``average_price`` and ``order_fee`` as JSON numbers (Liquid era) and
    carry no ``executions``; of the Liquid-era answers, only the cancel's
    shows ``margin_used``, ``margin_interest`` and
    ``unwound_trade_leverage_level``.
    """

    disc_quantity: Numeric
    iceberg_total_quantity: Numeric
    leverage_level: int
    #: ``"QUOINE"``, null, or ``0`` in some Liquid-era lists (hummingbot, ccxt).
    source_exchange: Union[str, int, None]
    product_code: str
    funding_currency: Optional[str]
    currency_pair_code: str
    order_fee: Numeric
    margin_used: Numeric
    margin_interest: Numeric
    unwound_trade_leverage_level: Optional[int]
    # Liquid era
    margin_type: Optional[str]
    take_profit: Optional[Numeric]
    stop_loss: Optional[Numeric]
    trading_type: str
    crypto_account_id: Optional[Id]
    average_price: Numeric
    target: str
    source_action: str
    unwound_trade_id: Optional[Id]
    trade_id: Optional[Id]
    client_order_id: Optional[str]
    settings: Any
    trailing_stop_type: Optional[str]
    trailing_stop_value: Optional[Numeric]
    stop_triggered_time: Optional[Timestamp]
    #: With ``get_order`` and ``get_orders(with_details=True)``.
    executions: list[Execution]


class _AccountKeys(TypedDict):
    id: Id
    currency: str
    balance: Numeric


class Account(_AccountKeys, total=False):
    """A fiat or crypto account, from ``get_fiat_accounts``, ``get_account``...

    Always has ``id``, ``currency`` and ``balance``. There is no free balance:
    it is ``balance - reserved_balance`` (Liquid era).
    """

    currency_symbol: str
    reserved_balance: Numeric
    pusher_channel: str
    lowest_offer_interest_rate: Optional[Numeric]
    highest_offer_interest_rate: Optional[Numeric]
    exchange_rate: Numeric
    currency_type: str
    send_to_btc_address: Optional[str]
    # 2016 fiat accounts
    margin: Numeric
    free_margin: Numeric
    # crypto accounts only
    address: Optional[str]
    minimum_withdraw: Optional[Numeric]


class Accounts(TypedDict):
    """Every account of the user, from ``get_accounts``."""

    crypto_accounts: list[Account]
    fiat_accounts: list[Account]


class AccountBalance(TypedDict):
    """One currency's balance, from ``get_account_balances``."""

    currency: str
    balance: Numeric


class MainAsset(TypedDict):
    """Everything valued in one currency, from ``get_main_asset``."""

    currency: str
    total_amount: Numeric


class Reservation(TypedDict):
    """What holds part of a balance, from ``get_reserved_balance_details``."""

    object_type: str
    object_id: Id
    amount: Numeric


class _TradeKeys(TypedDict):
    id: Id
    currency_pair_code: str
    status: str
    side: str
    quantity: Numeric
    open_price: Numeric
    leverage_level: int
    product_id: Id
    created_at: Timestamp
    updated_at: Timestamp


class Trade(_TradeKeys, total=False):
    """A margin position ("trade" in the API), from ``get_trades`` and the trade calls.

    Always has ``id``, ``currency_pair_code``, ``status``, ``side``,
    ``quantity``, ``open_price``, ``leverage_level``, ``product_id``,
    ``created_at`` and ``updated_at``. A price not set (``stop_loss``,
    ``take_profit``, an open trade's ``close_price``) is ``"0.0"``.
    """

    margin_used: Numeric
    open_quantity: Numeric
    close_quantity: Numeric
    product_code: str
    close_price: Numeric
    trader_id: Id
    open_pnl: Numeric
    close_pnl: Numeric
    pnl: Numeric
    stop_loss: Numeric
    take_profit: Numeric
    funding_currency: str
    total_interest: Numeric
    # 2016
    close_fee: Numeric
    daily_interest: Numeric
    # Liquid era
    margin_type: str
    liquidation_price: Optional[Numeric]
    maintenance_margin: Optional[Numeric]
    # Liquid era, Japanese documentation only
    total_fee: Numeric
    trading_type: str
    last_settlement_at: Any


class _PositionSummary(TypedDict):
    pnl: Numeric
    position: Numeric
    base_open_price: Numeric


class _TradingAccountKeys(TypedDict):
    id: Id
    leverage_level: int
    product_id: Id
    currency_pair_code: str
    funding_currency: str


class TradingAccount(_TradingAccountKeys, total=False):
    """The margin account of one product and funding currency, from ``get_trading_accounts``.

    Always has ``id``, ``leverage_level``, ``product_id``,
    ``currency_pair_code`` and ``funding_currency``.
    """

    max_leverage_level: int
    current_leverage_level: int
    pnl: Numeric
    equity: Numeric
    margin: Numeric
    free_margin: Numeric
    trader_id: Id
    status: str
    product_code: str
    position: Numeric
    balance: Numeric
    created_at: Timestamp
    updated_at: Timestamp
    pusher_channel: str
    margin_percent: Numeric
    # 2016 list items only
    base_open_price: Numeric
    long_summary: _PositionSummary
    short_summary: _PositionSummary


class LoanBid(TypedDict):
    """An offer to lend, from ``create_loan_bid`` and ``get_loan_bid``."""

    id: Id
    bidask_type: str
    quantity: Numeric
    currency: str
    side: str
    filled_quantity: Numeric
    status: str
    rate: Numeric
    user_id: Id


class Loan(TypedDict):
    """A loan financing a margin position, from ``get_loans`` and ``get_trade_loans``."""

    id: Id
    quantity: Numeric
    rate: Numeric
    created_at: Timestamp
    lender_id: Id
    borrower_id: Id
    status: str
    currency: str
    fund_reloaned: bool


class InterestRateLadder(TypedDict):
    """A currency's lending book, ``[rate, amount]`` levels, from ``get_interest_rate_ladder``."""

    bids: list[PriceLevel]
    asks: list[PriceLevel]


class _CurrencyKeys(TypedDict):
    currency: str
    currency_type: str


class Currency(_CurrencyKeys, total=False):
    """A currency and its limits, from ``get_currencies`` (Liquid era)."""

    symbol: Optional[str]
    assets_precision: int
    quoting_precision: int
    minimum_withdrawal: Optional[Numeric]
    withdrawal_fee: Optional[Numeric]
    minimum_fee: Optional[Numeric]
    minimum_order_quantity: Optional[Numeric]
    display_precision: int
    depositable: bool
    withdrawable: bool
    discount_fee: Optional[Numeric]
    lendable: bool
    position_fundable: bool
    has_memo: bool
    # late Liquid era (ccxt)
    credit_card_fundable: bool
    stable_currency: Any
    root_currency: str
    minimum_loan_bid_quantity: Numeric
    maximum_order_taker_quantity: Optional[Numeric]
    name: Optional[str]


class _CryptoWithdrawalKeys(TypedDict):
    id: Id
    address: str
    amount: Numeric
    state: str
    currency: str


class CryptoWithdrawal(_CryptoWithdrawalKeys, total=False):
    """A crypto withdrawal, from ``get_crypto_withdrawals`` and ``create_crypto_withdrawal``."""

    withdrawal_fee: Numeric
    created_at: Timestamp
    updated_at: Timestamp
    payment_id: Optional[str]
    # late Liquid era (ccxt): ids, amounts and times may then come as strings
    transaction_hash: Optional[str]
    broadcasted_at: Optional[Timestamp]
    wallet_label: Optional[str]
    chain_name: Optional[str]
    network: Optional[str]


class WithdrawalAddress(TypedDict, total=False):
    """A whitelisted withdrawal address, from ``get_crypto_withdrawal_addresses``."""

    id: Id
    address: str
    currency: str
    network: Optional[str]
    chain_name: Optional[str]
    status: str
    label: Optional[str]
    memo_type: Optional[str]
    memo_value: Optional[str]
    recipient_name: Optional[str]
    crypto_exchange: Optional[str]


class BalanceChange(TypedDict):
    """One change of a balance, from ``get_balance_history``."""

    id: Id
    currency: str
    amount: Numeric
    source_action: str
    source_object_type: Optional[str]
    source_object_id: Optional[Id]
    timestamp: Timestamp
    balance: Numeric


class CancelledOrder(TypedDict):
    """One order ``cancel_all_orders`` cancelled."""

    id: Id
    client_order_id: Optional[str]


class CancelledOrders(TypedDict):
    """The answer of ``cancel_all_orders``."""

    models: list[CancelledOrder]


class FeeRule(TypedDict, total=False):
    """A fee rule, from ``get_fees`` and ``get_user_fees``."""

    id: Id
    fee_type: str
    priority: int
    conditions: dict[str, Any]
    description: str
    charge_type: str
    charge_value: Numeric
    charge_base_currency: Optional[str]


class FeeTier(TypedDict):
    """The user's fee tier and traded volume, from ``get_fee_tier``."""

    fee_tier: int
    from_time: str
    to_time: str
    in_currency: str
    currency_pair_volume: Numeric
    perpetual_volume: Numeric


class _Fee(TypedDict):
    fee_type: str
    amount: Numeric
    currency: str


class FeeOptions(TypedDict, total=False):
    """The ways of paying an estimated fee."""

    default: list[_Fee]
    trade_fee_discount: list[_Fee]


class FeeEstimate(TypedDict):
    """The answer of ``estimate_fees``."""

    fee_options: FeeOptions


# -------------------------------------------------------------------- pages
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


class LoanBidPage(TypedDict):
    """A page of loan bids, from ``get_loan_bid``."""

    models: list[LoanBid]
    current_page: Union[int, str]
    total_pages: Union[int, str]


class LoanPage(TypedDict):
    """A page of loans, from ``get_loans``."""

    models: list[Loan]
    current_page: Union[int, str]
    total_pages: Union[int, str]


class CryptoWithdrawalPage(TypedDict):
    """A page of crypto withdrawals, from ``get_crypto_withdrawals``."""

    models: list[CryptoWithdrawal]
    current_page: Union[int, str]
    total_pages: Union[int, str]


class WithdrawalAddressPage(TypedDict):
    """A page of withdrawal addresses, from ``get_crypto_withdrawal_addresses``."""

    models: list[WithdrawalAddress]
    current_page: Union[int, str]
    total_pages: Union[int, str]


class BalanceChangePage(TypedDict):
    """A page of balance changes, from ``get_balance_history``."""

    models: list[BalanceChange]
    current_page: Union[int, str]
    total_pages: Union[int, str]
