"""Methods new in 1.0 take their optional arguments by keyword only.

Methods from python-quoine 0.1.x keep their positional order (test_compat_0_1.py
guards it); every method added since takes what follows its required arguments
(filters, page and limit, options) by keyword, so the order can change later
without breaking a call.
"""

from __future__ import annotations

import inspect

from quoine import Quoinex

METHODS_0_1 = {
    "get_products", "get_product", "get_order_book", "get_executions",
    "get_executions_since_time", "get_interest_rate_ladder", "create_order",
    "create_limit_buy", "create_limit_sell", "create_market_buy", "create_market_sell",
    "create_margin_order", "get_order", "get_orders", "cancel_order", "update_live_order",
    "get_order_trades", "get_my_executions", "get_fiat_accounts", "create_fiat_account",
    "get_crypto_accounts", "get_account_balances", "get_main_asset", "create_loan_bid",
    "get_loan_bid", "close_loan_bid", "get_loans", "update_loan", "get_trading_accounts",
    "get_trading_account", "update_leverage_level", "get_trades", "close_trade",
    "close_all_trades", "update_trade", "get_trade_loans",
}  # fmt: skip

#: New methods that mirror a 0.1.x one and keep its positional arguments.
MIRRORS = {"update_live_order_by_client_order_id": "update_live_order"}


def endpoint_methods() -> list[str]:
    return sorted(
        name
        for name, member in inspect.getmembers(Quoinex, inspect.isfunction)
        if not name.startswith("_") and "endpoints" in member.__module__
    )


def positional_optionals(name: str) -> list[str]:
    parameters = inspect.signature(getattr(Quoinex, name)).parameters.values()
    return [
        p.name
        for p in parameters
        if p.kind is p.POSITIONAL_OR_KEYWORD and p.default is not inspect.Parameter.empty
    ]


def test_new_methods_take_optional_arguments_by_keyword_only() -> None:
    new = [name for name in endpoint_methods() if name not in METHODS_0_1 | set(MIRRORS)]
    assert len(new) > 40
    assert {name: positional_optionals(name) for name in new if positional_optionals(name)} == {}


def test_mirrors_keep_the_positional_order_of_their_0_1_method() -> None:
    for new, old in MIRRORS.items():
        assert positional_optionals(new) == positional_optionals(old)


def test_the_check_sees_positional_filters() -> None:
    assert positional_optionals("get_orders")[:3] == ["funding_currency", "product_id", "status"]
