"""The TypedDicts of :mod:`quoine.types` match what the sandbox exchange answers.

For every typed answer, each key the TypedDict requires must be present, each
value must have its declared runtime type (nested TypedDicts and lists
included), and each key the sandbox sends must be declared.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Union, get_args, get_origin, get_type_hints

import pytest

from quoine import types
from quoine.client import Quoinex
from quoine.sandbox import Sandbox


def problems(value: Any, expected: Any, where: str = "answer") -> list[str]:
    """What is wrong with ``value`` as an instance of the type ``expected`` (empty if fine)."""
    if expected is Any:
        return []
    origin = get_origin(expected)
    if origin is Union:
        found = [problems(value, option, where) for option in get_args(expected)]
        if any(not found_here for found_here in found):
            return []
        return [f"{where}: {value!r} is none of {expected}"]
    if hasattr(expected, "__required_keys__"):  # a TypedDict
        if not isinstance(value, dict):
            return [f"{where}: {type(value).__name__}, not a dict"]
        hints = get_type_hints(expected)
        wrong = [f"{where}: no {key!r}" for key in sorted(expected.__required_keys__ - set(value))]
        wrong += [f"{where}: {key!r} is not declared" for key in sorted(set(value) - set(hints))]
        for key in set(value) & set(hints):
            wrong += problems(value[key], hints[key], f"{where}[{key!r}]")
        return wrong
    if origin is list:
        if not isinstance(value, list):
            return [f"{where}: {type(value).__name__}, not a list"]
        (item,) = get_args(expected)
        return [
            p for i, element in enumerate(value) for p in problems(element, item, f"{where}[{i}]")
        ]
    if origin is dict:
        return [] if isinstance(value, dict) else [f"{where}: {type(value).__name__}, not a dict"]
    if expected is int and isinstance(value, bool):
        return [f"{where}: {value!r} is a bool, not an int"]
    if not isinstance(value, expected):
        return [f"{where}: {value!r} is a {type(value).__name__}, not {expected.__name__}"]
    return []


@pytest.fixture(scope="module")
def client() -> Iterator[Quoinex]:
    """A client of a sandbox with a trade history, a filled order, a live one and a position."""
    with Sandbox(rate_limit=None) as sb:
        sb.exchange.seed_executions(1, 30)
        with Quoinex(sb.token_id, sb.secret, api_url=sb.url, rate_limit=None) as quoinex:
            quoinex.create_market_buy(1, "0.01")
            quoinex.create_limit_sell(1, "0.01", "99000")
            quoinex.create_margin_order("market", 1, "buy", "0.01", leverage_level=10)
            yield quoinex


def typed_answers(client: Quoinex) -> Iterator[tuple[str, Any, Any]]:
    """``(call, answer, declared type)`` for every answer quoine.types describes."""
    yield "get_products()", client.get_products(), list[types.Product]
    yield "get_perpetual_products()", client.get_perpetual_products(), list[types.Product]
    yield "get_product(1)", client.get_product(1), types.Product
    yield "get_order_book(1)", client.get_order_book(1), types.OrderBook
    yield "get_order_book(1, full=True)", client.get_order_book(1, full=True), types.OrderBook
    yield "get_executions(1)", client.get_executions(1), types.ExecutionPage
    since = client.get_executions_since_time(1, 0)
    yield "get_executions_since_time(1, 0)", since, list[types.Execution]
    yield "get_my_executions(1)", client.get_my_executions(1), types.ExecutionPage
    live = client.create_limit_buy(1, "0.01", "500")
    yield "create_limit_buy", live, types.Order
    filled = client.create_market_buy(1, "0.01")
    yield "create_market_buy", filled, types.Order
    yield "get_order (filled)", client.get_order(filled["id"]), types.Order
    executions = client.get_order_executions(filled["id"])
    yield "get_order_executions", executions, types.ExecutionPage
    yield "get_orders()", client.get_orders(), types.OrderPage
    detailed = client.get_orders(with_details=True)
    yield "get_orders(with_details=True)", detailed, types.OrderPage
    yield "update_live_order", client.update_live_order(live["id"], price="510"), types.Order
    yield "cancel_order", client.cancel_order(live["id"]), types.Order
    margin = client.create_margin_order("limit", 1, "buy", "0.01", "500", leverage_level=2)
    yield "create_margin_order", margin, types.Order
    yield "get_fiat_accounts()", client.get_fiat_accounts(), list[types.Account]
    yield "get_crypto_accounts()", client.get_crypto_accounts(), list[types.Account]
    yield "get_account('USD')", client.get_account("USD"), types.Account
    yield "get_account('BTC')", client.get_account("BTC"), types.Account
    yield "get_accounts()", client.get_accounts(), types.Accounts
    yield "get_account_balances()", client.get_account_balances(), list[types.AccountBalance]
    yield "get_trades()", client.get_trades(), types.TradePage
    opened = client.create_margin_order("market", 1, "buy", "0.01", leverage_level=10)
    order_trades = client.get_order_trades(opened["id"])
    yield "get_order_trades", order_trades, list[types.Trade]
    trade = order_trades[0]
    yield "update_trade", client.update_trade(trade["id"], "20000", None), types.Trade
    yield "close_trade", client.close_trade(trade["id"]), types.Trade
    yield "get_transactions('USD')", client.get_transactions("USD"), types.Page


def test_answers_match_their_types(client: Quoinex) -> None:
    checked = 0
    wrong = []
    for call, answer, declared in typed_answers(client):
        wrong += problems(answer, declared, call)
        checked += 1
    assert checked == 28
    assert not wrong, "\n".join(wrong)


def test_the_checks_can_fail() -> None:
    order = {"id": 1, "side": "buy", "price": None, "status": "live"}
    found = problems(order, types.Order)
    assert "answer: no 'quantity'" in found
    assert (
        problems({**order, "surprise": 1}, types.Order)[-1] == "answer: 'surprise' is not declared"
    )
    book = {"buy_price_levels": [["1.0", 2.5]], "sell_price_levels": []}
    assert problems(book, types.OrderBook) == [
        "answer['buy_price_levels'][0][1]: 2.5 is none of typing.Union[str, decimal.Decimal, int]"
    ]
    assert problems({"currency": "USD", "balance": True}, types.AccountBalance)
    assert problems({"currency": "USD", "balance": "1.0"}, types.AccountBalance) == []


def test_required_keys_are_the_documented_minimum() -> None:
    assert types.Order.__required_keys__ == {
        "id",
        "order_type",
        "quantity",
        "side",
        "filled_quantity",
        "price",
        "status",
        "product_id",
        "created_at",
        "updated_at",
    }
    assert "executions" in types.Order.__optional_keys__
    assert types.Page.__required_keys__ == {"models", "current_page", "total_pages"}


@pytest.mark.parametrize(
    "typed",
    [types.Product, types.OrderBook, types.Execution, types.Order, types.Account, types.Trade],
)
def test_docstrings_name_the_required_keys(typed: Any) -> None:
    doc = " ".join((typed.__doc__ or "").split())
    always = doc[doc.index("Always has") :]
    assert {key for key in typed.__required_keys__ if f"``{key}``" not in always} == set()
