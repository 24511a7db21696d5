"""The answers of the API, transcribed from its documentation: field names and JSON types.

Each :class:`Shape` is one object in one state as a source shows it, with the
JSON type of every field: ``string``, ``number`` (a JSON number, integer or
not), ``integer``, ``boolean``, ``null``, ``array``, ``object``, or several
joined by ``|``. ``array:NAME`` is a list of items of the shape ``NAME``.
Only names and types are transcribed, never the documents' text or values.

Sources (the same keys as docs/sandbox.rst):

- S1: the official v2 documentation of 2016 (developers.quoine.com/v2), Slate
  source ``chinh7/slate`` ``source/v2.md`` at 6de1aec035a02ea9d9449b285264946b4b28ced4.
- LQ: the Liquid-era GitBook documentation, developers.liquid.com (page given).
- LQJ: the Japanese documentation, document.liquid.com (page given).
- HB: answers recorded in hummingbot's liquid connector test fixtures
  (``test/.../fixture_liquid.py``), second to the official pages.
- ccxt: answers quoted in the comments of ccxt's ``liquid.py`` (final
  version), second to the official pages.
- INF: no source shows the answer; the shape is inferred and the test holds
  the sandbox to it so that it does not drift.

``SHAPES[dialect][name]`` is the shape the sandbox must send in that dialect;
where the two eras' documents agree, or only one era had the endpoint, both
dialects share it.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Shape:
    """One object in one state: its source and its fields' JSON types."""

    source: str
    fields: dict[str, str] = field(default_factory=dict)


S = "string"
N = "number"
I = "integer"  # noqa: E741 - the JSON type's initial, like S and N
B = "boolean"
NULL = "null"
S_NULL = "string|null"
I_NULL = "integer|null"

# ----------------------------------------------------------------- products
LQ_PRODUCT = Shape(
    "LQ /public-rest-api/product-data (GET /products/1)",
    {
        "id": S,
        "product_type": S,
        "code": S,
        "name": S,
        "market_ask": S,
        "market_bid": S,
        "indicator": I,
        "currency": S,
        "currency_pair_code": S,
        "symbol": S,
        "btc_minimum_withdraw": NULL,
        "fiat_minimum_withdraw": NULL,
        "pusher_channel": S,
        "taker_fee": S,
        "maker_fee": S,
        "low_market_bid": S,
        "high_market_ask": S,
        "volume_24h": S,
        "last_price_24h": S,
        "last_traded_price": S,
        "last_traded_quantity": S,
        "average_price": S,
        "quoted_currency": S,
        "base_currency": S,
        "tick_size": S,
        "disabled": B,
        "margin_enabled": B,
        "cfd_enabled": B,
        "perpetual_enabled": B,
        "last_event_timestamp": S,
        "timestamp": S,
        "multiplier_up": S,
        "multiplier_down": S,
        "average_time_interval": I,
        "progressive_tier_eligible": B,
        "exchange_rate": N,
    },
)
# The perpetual example is cut short in the stored page: its first fields
# (numbers for the book's prices, null name and indicator) are LQ's; the four
# perpetual prices are strings in the perpetual answer ccxt's liquid.py quotes
# (where the book's prices are strings and multiplier_up is null: a later
# answer, not followed).
LQ_PERPETUAL = Shape(
    "LQ /public-rest-api/product-data (GET /products?perpetual=1); ccxt fetchMarkets",
    {
        **LQ_PRODUCT.fields,
        "name": NULL,
        "market_ask": N,
        "market_bid": N,
        "indicator": NULL,
        "index_price": S,
        "mark_price": S,
        "fair_price": S,
        "funding_rate": S,
    },
)
S1_PRODUCT = Shape(
    "S1 Get Products / Get a Product",
    {
        "id": I,
        "product_type": S,
        "code": S,
        "name": S,
        "market_ask": S,
        "market_bid": S,
        "indicator": I,
        "currency": S,
        "currency_pair_code": S,
        "symbol": S,
        "fiat_minimum_withdraw": S,
        "pusher_channel": S,
        "taker_fee": S,
        "maker_fee": S,
        "low_market_bid": S,
        "high_market_ask": S,
        "volume_24h": S,
        "last_price_24h": S,
        "last_traded_price": S,
        "last_traded_quantity": S,
        "quoted_currency": S,
        "base_currency": S,
        "exchange_rate": S,
    },
)
ORDER_BOOK = Shape(
    "S1 Get Order Book; LQ product-data (no timestamp in any source)",
    {"buy_price_levels": "array:price_level", "sell_price_levels": "array:price_level"},
)
# A level is [price, quantity], both strings (S1; HB order book snapshots).
PRICE_LEVEL = Shape("S1 Get Order Book, Format", {"0": S, "1": S})
EXECUTION = Shape(
    "S1 Get Executions / Get Executions by Timestamp",
    {"id": I, "quantity": S, "price": S, "taker_side": S, "created_at": I},
)
IR_LADDER = Shape(
    "S1 Get Interest Rate Ladder", {"bids": "array:price_level", "asks": "array:price_level"}
)
CURRENCY = Shape(
    "HB trading rules (GET /currencies); ccxt liquid fetchCurrencies reads the same names",
    {
        "currency_type": S,
        "currency": S,
        "symbol": S,
        "assets_precision": I,
        "quoting_precision": I,
        "minimum_withdrawal": N,
        "withdrawal_fee": N,
        "minimum_fee": NULL,
        "minimum_order_quantity": N,
        "display_precision": I,
        "depositable": B,
        "withdrawable": B,
        "discount_fee": N,
        "lendable": B,
        "position_fundable": B,
        "has_memo": B,
    },
)

# ------------------------------------------------------------------- orders
_S1_ORDER_CHANGED = {
    "id": I,
    "order_type": S,
    "quantity": S,
    "disc_quantity": S,
    "iceberg_total_quantity": S,
    "side": S,
    "filled_quantity": S,
    "price": S,
    "created_at": I,
    "updated_at": I,
    "status": S,
    "leverage_level": I,
    "source_exchange": S,
    "product_id": I,
    "product_code": S,
    "funding_currency": S,
    "currency_pair_code": S,
}
S1_ORDER_CHANGED = Shape("S1 Cancel an Order / Edit a Live Order", _S1_ORDER_CHANGED)
S1_ORDER = Shape(
    "S1 Create an Order / Get Orders",
    {
        **_S1_ORDER_CHANGED,
        "order_fee": S,
        "margin_used": S,
        "margin_interest": S,
        "unwound_trade_leverage_level": NULL,
    },
)
S1_ORDER_DETAILED = Shape(
    "S1 Get an Order / Get Orders with_details=1",
    {**S1_ORDER.fields, "executions": "array:order_execution"},
)
ORDER_EXECUTION = Shape(
    "S1 Get an Order; LQ /private-rest-api/orders",
    {"id": I, "quantity": S, "price": S, "taker_side": S, "created_at": I, "my_side": S},
)
_LQ_ORDER_COMMON = {
    "id": I,
    "order_type": S,
    "quantity": S,
    "disc_quantity": S,
    "iceberg_total_quantity": S,
    "side": S,
    "filled_quantity": S,
    "price": S,
    "created_at": I,
    "updated_at": I,
    "status": S,
    "leverage_level": I,
    "source_exchange": NULL,
    "product_id": I,
    "margin_type": S_NULL,
    "take_profit": S_NULL,
    "stop_loss": S_NULL,
    "trading_type": S,
    "product_code": S,
    "funding_currency": S,
    "crypto_account_id": NULL,
    "currency_pair_code": S,
    "average_price": S,
    "target": S,
    "order_fee": S,
    "source_action": S,
    "unwound_trade_id": I_NULL,
    "trade_id": I_NULL,
    "client_order_id": S_NULL,
}
LQ_ORDER = Shape(
    "LQ /private-rest-api/orders (GET /orders); HB ORDERS_GET (stop_triggered_time)",
    {
        **_LQ_ORDER_COMMON,
        "settings": NULL,
        "trailing_stop_type": S_NULL,
        "trailing_stop_value": S_NULL,
        "stop_triggered_time": I_NULL,
    },
)
LQ_ORDER_DETAILED = Shape(
    LQ_ORDER.source + ", with_details=1",
    {**LQ_ORDER.fields, "executions": "array:order_execution"},
)
# Create and cancel answers: price, average_price and order_fee as numbers
# (LQ cancel example; HB BUY_MARKET_ORDER and *_AFTER_CANCEL agree). LQ's
# create example, cut short, shows a string id and numeric quantities: HB's
# recorded create answers do not, and HB is followed, field set included:
# they end at client_order_id, without the three margin fields of LQ's
# cancel example (HB's cancel answers lack them too; LQ is followed there).
LQ_ORDER_CREATED = Shape(
    "HB BUY_MARKET_ORDER, FILLED_BUY_LIMIT_ORDER, ORDER_SAVE_RESTORE (POST /orders)",
    {
        **_LQ_ORDER_COMMON,
        "source_exchange": S,
        "price": N,
        "average_price": N,
        "order_fee": N,
    },
)
LQ_ORDER_CHANGED = Shape(
    "LQ /private-rest-api/cancel-orders; HB create and cancel answers",
    {
        **_LQ_ORDER_COMMON,
        "source_exchange": S,
        "price": N,
        "average_price": N,
        "order_fee": N,
        "margin_used": S,
        "margin_interest": S,
        "unwound_trade_leverage_level": NULL,
    },
)
CANCEL_ALL = Shape(
    "LQ /private-rest-api/cancel-orders (PUT /orders/cancel_all)",
    {"models": "array:cancelled_order"},
)
CANCELLED_ORDER = Shape("LQ cancel_all", {"id": I, "client_order_id": S_NULL})
MY_EXECUTION = Shape("S1 Get Your Executions", {**EXECUTION.fields, "my_side": S})
# with_details=1 adds the order's ids (ccxt fetchMyTrades; quoine-api.md LYQ).
MY_EXECUTION_DETAILED = Shape(
    "S1 Get Your Executions + ccxt/LYQ order_id, client_order_id",
    {**MY_EXECUTION.fields, "order_id": I, "client_order_id": S_NULL},
)

# ----------------------------------------------------------------- accounts
LQ_FIAT_ACCOUNT = Shape(
    "LQ /private-rest-api/fiat (GET /fiat_accounts)",
    {
        "id": I,
        "currency": S,
        "balance": N,
        "reserved_balance": N,
        "pusher_channel": S,
        "lowest_offer_interest_rate": NULL,
        "highest_offer_interest_rate": NULL,
        "currency_symbol": S,
        "send_to_btc_address": NULL,
        "exchange_rate": N,
        "currency_type": S,
    },
)
LQ_CRYPTO_ACCOUNT = Shape(
    "LQ /private-rest-api/crypto (GET /crypto_accounts)",
    {
        "id": I,
        "currency": S,
        "balance": N,
        "reserved_balance": N,
        "pusher_channel": S,
        "lowest_offer_interest_rate": S,
        "highest_offer_interest_rate": S,
        "address": S,
        "currency_symbol": S,
        "minimum_withdraw": N,
        "currency_type": S,
    },
)
S1_FIAT_ACCOUNT = Shape(
    "S1 Get Fiat Accounts / Create a Fiat Account",
    {
        "id": I,
        "currency": S,
        "currency_symbol": S,
        "balance": S,
        "pusher_channel": S,
        "lowest_offer_interest_rate": S,
        "highest_offer_interest_rate": S,
        "exchange_rate": S,
        "currency_type": S,
        "margin": S,
        "free_margin": S,
    },
)
S1_CRYPTO_ACCOUNT = Shape(
    "S1 Get Crypto Accounts",
    {
        "id": I,
        "balance": S,
        "address": S,
        "currency": S,
        "currency_symbol": S,
        "pusher_channel": S,
        "minimum_withdraw": N,
        "lowest_offer_interest_rate": S,
        "highest_offer_interest_rate": S,
        "currency_type": S,
    },
)
# GET /accounts is undocumented; ccxt's liquid.py (final, fetchBalance) quotes
# its answer: the Liquid-era fields with every amount as a string. No 2016
# counterpart, so both dialects share it; GET /accounts/{currency} has no
# example anywhere and is held to the same shape (INF).
_ACCOUNTS_COMMON = {
    "id": I,
    "currency": S,
    "balance": S,
    "reserved_balance": S,
    "pusher_channel": S,
    "lowest_offer_interest_rate": S_NULL,
    "highest_offer_interest_rate": S_NULL,
    "currency_symbol": S,
    "currency_type": S,
}
ACCOUNTS_FIAT = Shape(
    "ccxt liquid fetchBalance (GET /accounts fiat_accounts)",
    {**_ACCOUNTS_COMMON, "send_to_btc_address": NULL, "exchange_rate": S},
)
ACCOUNTS_CRYPTO = Shape(
    "ccxt liquid fetchBalance (GET /accounts crypto_accounts)",
    {**_ACCOUNTS_COMMON, "address": S, "minimum_withdraw": "number|null"},
)
BALANCE = Shape("S1 Get all Account Balances; LQJ account-info", {"currency": S, "balance": S})
MAIN_ASSET = Shape("S1 Get Main Asset", {"currency": S, "total_amount": S})
BALANCE_CHANGE = Shape(
    "LQ /private-rest-api/transactions (GET /balance_history)",
    {
        "id": I,
        "currency": S,
        "amount": S,
        "source_action": S,
        "source_object_type": S_NULL,
        "source_object_id": I_NULL,
        "timestamp": S,
        "balance": S,
    },
)
TRANSACTION = Shape(
    "INF (/transactions: no example in any source)",
    {
        "id": I,
        "transaction_type": S,
        "currency": S,
        "gross_amount": S,
        "net_amount": S,
        "fee": S,
        "balance": S,
        "state": S,
        "from_role": NULL,
        "to_role": NULL,
        "action_id": I,
        "source_object_type": S,
        "created_at": I,
        "updated_at": I,
    },
)
RESERVATION = Shape(
    "INF (reserved_balance_details: field names from LYQ, no example)",
    {"object_type": S, "object_id": I, "amount": S},
)

# ------------------------------------------------------------------ lending
LOAN_BID = Shape(
    "S1 Create a loan bid / Get loan bids; LQ /private-rest-api/loans",
    {
        "id": I,
        "bidask_type": S,
        "quantity": S,
        "currency": S,
        "side": S,
        "filled_quantity": S,
        "status": S,
        "rate": S,
        "user_id": I,
    },
)
LOAN = Shape(
    "S1 Get Loans / Update a Loan / Get a trade's loans; LQ loans",
    {
        "id": I,
        "quantity": S,
        "rate": S,
        "created_at": I,
        "lender_id": I,
        "borrower_id": I,
        "status": S,
        "currency": S,
        "fund_reloaned": B,
    },
)

# ------------------------------------------------------------ margin trades
_TRADE_COMMON = {
    "id": I,
    "currency_pair_code": S,
    "status": S,
    "side": S,
    "margin_used": S,
    "open_quantity": S,
    "close_quantity": S,
    "quantity": S,
    "leverage_level": I,
    "product_code": S,
    "product_id": I,
    "open_price": S,
    "close_price": S,
    "trader_id": I,
    "open_pnl": S,
    "close_pnl": S,
    "pnl": S,
    "stop_loss": S,
    "take_profit": S,
    "funding_currency": S,
    "created_at": I,
    "updated_at": I,
    "total_interest": S,
}
S1_TRADE = Shape(
    "S1 Get Trades / Close a trade / Update a trade / Get an Order's Trades",
    {**_TRADE_COMMON, "close_fee": S, "daily_interest": S},
)
LQ_TRADE = Shape(
    "LQ /private-rest-api/trading (GET /trades)",
    {**_TRADE_COMMON, "margin_type": S, "liquidation_price": NULL, "maintenance_margin": NULL},
)
_S1_TRADING_ACCOUNT = {
    "id": I,
    "leverage_level": I,
    "max_leverage_level": I,
    "pnl": S,
    "equity": S,
    "margin": S,
    "free_margin": S,
    "trader_id": I,
    "status": S,
    "product_code": S,
    "currency_pair_code": S,
    "position": S,
    "balance": S,
    "created_at": I,
    "updated_at": I,
    "pusher_channel": S,
    "margin_percent": S,
    "product_id": I,
    "funding_currency": S,
}
S1_TRADING_ACCOUNT = Shape("S1 Get a Trading Account / Update Leverage Level", _S1_TRADING_ACCOUNT)
S1_TRADING_ACCOUNT_LISTED = Shape(
    "S1 Get Trading Accounts",
    {
        **_S1_TRADING_ACCOUNT,
        "base_open_price": I,
        "long_summary": "object:position_summary",
        "short_summary": "object:position_summary",
    },
)
POSITION_SUMMARY = Shape("S1 Get Trading Accounts", {"pnl": S, "position": S, "base_open_price": S})
LQ_TRADING_ACCOUNT = Shape(
    "LQ /private-rest-api/account (GET /trading_accounts)",
    {
        **_S1_TRADING_ACCOUNT,
        "current_leverage_level": I,
        "pnl": N,
        "equity": N,
        "margin": N,
        "free_margin": N,
        "position": N,
        "balance": N,
        "margin_percent": N,
        "product_id": S,
    },
)

# ------------------------------------------------------------------ funding
CRYPTO_WITHDRAWAL = Shape(
    "LQ /private-rest-api/crypto (GET /crypto_withdrawals); create and cancel answers INF",
    {
        "id": I,
        "address": S,
        "amount": N,
        "state": S,
        "currency": S,
        "withdrawal_fee": N,
        "created_at": I,
        "updated_at": I,
        "payment_id": NULL,
    },
)
WITHDRAWAL_ADDRESS = Shape(
    "LQ /private-rest-api/crypto (GET /crypto_withdrawal_addresses)",
    {
        "id": I,
        "address": S,
        "currency": S,
        "network": S_NULL,
        "chain_name": S,
        "status": S,
        "label": S,
        "memo_type": NULL,
        "memo_value": NULL,
        "recipient_name": NULL,
        "crypto_exchange": NULL,
    },
)
# The Japanese documentation shows the answer to POST /withdrawals (fiat), with
# the bank account nested; its document-image objects and file names are left
# out of the sandbox's answer. The list and cancel answers are INF.
WITHDRAWAL = Shape(
    "LQJ withdrawals-jpy (POST /withdrawals); list and cancel answers INF",
    {
        "id": I,
        "currency": S,
        "amount": S,
        "state": S,
        "created_at": I,
        "bank_account": "object:nested_bank_account",
    },
)
NESTED_BANK_ACCOUNT = Shape(
    "LQJ withdrawals-jpy, bank_account (image objects and file names left out)",
    {
        "id": I,
        "acc_name": S_NULL,
        "bank_branch": S_NULL,
        "acc_number": S_NULL,
        "address": S_NULL,
        "swift": S_NULL,
        "status": S,
        "bank": S_NULL,
        "country": S,
        "joint_acc_name": NULL,
        "joint_address": NULL,
        "joint_country": NULL,
        "joint_city": NULL,
    },
)
FEE_TIER = Shape(
    "LQ /private-rest-api/fees (GET /user/fee_tier)",
    {
        "fee_tier": I,
        "from_time": S,
        "to_time": S,
        "in_currency": S,
        "currency_pair_volume": S,
        "perpetual_volume": S,
    },
)
FEE_RULE = Shape(
    "LQ /public-rest-api/fees and /private-rest-api/fees",
    {
        "id": I,
        "fee_type": S,
        "priority": I,
        "conditions": "object",
        "description": S,
        "charge_type": S,
        "charge_value": S,
        "charge_base_currency": S_NULL,
    },
)
FEE_ESTIMATE = Shape(
    "LQ /private-rest-api/fees (POST /fees/estimate)", {"fee_options": "object:fee_options"}
)
FEE_OPTIONS = Shape(
    "LQ /private-rest-api/fees", {"default": "array:fee", "trade_fee_discount": "array:fee"}
)
FEE = Shape("LQ /private-rest-api/fees", {"fee_type": S, "amount": S, "currency": S})


def _page(item: str) -> Shape:
    return Shape(
        "S1 Pagination; LQ /pagination",
        {"models": f"array:{item}", "current_page": I, "total_pages": I},
    )


# Shapes every dialect shares: nested items and the Liquid-era endpoints.
_COMMON: dict[str, Shape] = {
    "price_level": PRICE_LEVEL,
    "order_book": ORDER_BOOK,
    "execution": EXECUTION,
    "execution_page": _page("execution"),
    "order_execution": ORDER_EXECUTION,
    "my_execution": MY_EXECUTION,
    "my_execution_page": _page("my_execution"),
    "my_execution_detailed": MY_EXECUTION_DETAILED,
    "my_execution_detailed_page": _page("my_execution_detailed"),
    "ir_ladder": IR_LADDER,
    "currency": CURRENCY,
    "cancel_all": CANCEL_ALL,
    "cancelled_order": CANCELLED_ORDER,
    "accounts_fiat_account": ACCOUNTS_FIAT,
    "accounts_crypto_account": ACCOUNTS_CRYPTO,
    "balance": BALANCE,
    "main_asset": MAIN_ASSET,
    "balance_change": BALANCE_CHANGE,
    "balance_history": _page("balance_change"),
    "transaction": TRANSACTION,
    "transaction_page": _page("transaction"),
    "reservation": RESERVATION,
    "loan_bid": LOAN_BID,
    "loan_bid_page": _page("loan_bid"),
    "loan": LOAN,
    "loan_page": _page("loan"),
    "position_summary": POSITION_SUMMARY,
    "crypto_withdrawal": CRYPTO_WITHDRAWAL,
    "crypto_withdrawal_page": _page("crypto_withdrawal"),
    "withdrawal_address": WITHDRAWAL_ADDRESS,
    "withdrawal": WITHDRAWAL,
    "withdrawal_page": _page("withdrawal"),
    "nested_bank_account": NESTED_BANK_ACCOUNT,
    "withdrawal_address_page": _page("withdrawal_address"),
    "fee_tier": FEE_TIER,
    "fee_rule": FEE_RULE,
    "fee_estimate": FEE_ESTIMATE,
    "fee_options": FEE_OPTIONS,
    "fee": FEE,
}

SHAPES: dict[str, dict[str, Shape]] = {
    "liquid": {
        **_COMMON,
        "product": LQ_PRODUCT,
        "perpetual_product": LQ_PERPETUAL,
        "order": LQ_ORDER,
        "order_detailed": LQ_ORDER_DETAILED,
        "order_page": _page("order"),
        "order_detailed_page": _page("order_detailed"),
        "order_created": LQ_ORDER_CREATED,
        "order_changed": LQ_ORDER_CHANGED,
        "fiat_account": LQ_FIAT_ACCOUNT,
        "crypto_account": LQ_CRYPTO_ACCOUNT,
        "trade": LQ_TRADE,
        "trade_page": _page("trade"),
        "trading_account": LQ_TRADING_ACCOUNT,
        "trading_account_listed": LQ_TRADING_ACCOUNT,
    },
    "quoine": {
        **_COMMON,
        "product": S1_PRODUCT,
        "perpetual_product": S1_PRODUCT,
        "order": S1_ORDER,
        "order_detailed": S1_ORDER_DETAILED,
        "order_page": _page("order"),
        "order_detailed_page": _page("order_detailed"),
        "order_created": S1_ORDER,
        "order_changed": S1_ORDER_CHANGED,
        "fiat_account": S1_FIAT_ACCOUNT,
        "crypto_account": S1_CRYPTO_ACCOUNT,
        "trade": S1_TRADE,
        "trade_page": _page("trade"),
        "trading_account": S1_TRADING_ACCOUNT,
        "trading_account_listed": S1_TRADING_ACCOUNT_LISTED,
    },
}


#: Fields that later answers carry and quoine.types declares (optional), which
#: no shape above holds because the sandbox follows the primary pages:
#: ``{type name: (source, field names)}``. Names only.
LATER_FIELDS: dict[str, tuple[str, frozenset[str]]] = {
    "Execution": (
        "ccxt liquid fetchOrder (an order's executions, 2022)",
        frozenset({"timestamp"}),
    ),
    "Trade": (
        "LQJ trades-info (GET /trades)",
        frozenset({"total_fee", "trading_type", "last_settlement_at"}),
    ),
    "Currency": (
        "ccxt liquid fetchCurrencies (final version)",
        frozenset(
            {
                "credit_card_fundable",
                "stable_currency",
                "root_currency",
                "minimum_loan_bid_quantity",
                "maximum_order_taker_quantity",
                "name",
            }
        ),
    ),
    "CryptoWithdrawal": (
        "ccxt liquid fetchWithdrawals / withdraw (final version)",
        frozenset({"transaction_hash", "broadcasted_at", "wallet_label", "chain_name", "network"}),
    ),
}
