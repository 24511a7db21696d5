"""The TypedDicts of :mod:`quoine.types` match what the sandbox exchange answers.

For every typed answer, each key the TypedDict requires must be present, each
value must have its declared runtime type (nested TypedDicts and lists
included), and each key the sandbox sends must be declared.
"""

from __future__ import annotations

import importlib.util
import inspect
from collections.abc import Iterator
from pathlib import Path
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


@pytest.fixture(scope="module", params=["liquid", "quoine"])
def client(request: pytest.FixtureRequest) -> Iterator[Quoinex]:
    """A client of a sandbox (in each dialect) with a trade history."""
    with Sandbox(rate_limit=None, dialect=request.param) as sb:
        sb.exchange.seed_executions(1, 30)
        with Quoinex(sb.token_id, sb.secret, api_url=sb.url, rate_limit=None) as quoinex:
            quoinex.create_market_buy(1, "0.01")
            quoinex.create_limit_sell(1, "0.01", "99000")
            yield quoinex


def typed_answers(c: Quoinex) -> Iterator[tuple[str, Any]]:
    """``(method name, answer)`` for the endpoint methods, objects in their states."""
    yield "get_products", c.get_products()
    yield "get_perpetual_products", c.get_perpetual_products()
    yield "get_product", c.get_product(1)
    yield "get_order_book", c.get_order_book(1)
    yield "get_order_book", c.get_order_book(1, full=True)
    yield "get_currencies", c.get_currencies()
    yield "get_executions", c.get_executions(1)
    yield "get_executions_since_time", c.get_executions_since_time(1, 0)
    yield "get_my_executions", c.get_my_executions(1)
    yield "get_interest_rate_ladder", c.get_interest_rate_ladder("USD")
    yield "get_fees", c.get_fees()
    yield "get_user_fees", c.get_user_fees()
    yield "get_fee_tier", c.get_fee_tier()
    yield "estimate_fees", c.estimate_fees("create_order", product_id=1, quantity="1", side="buy")
    live = c.create_limit_buy(1, "0.01", "500")
    yield "create_limit_buy", live
    filled = c.create_market_buy(1, "0.01")
    yield "create_market_buy", filled
    yield "get_order", c.get_order(filled["id"])
    yield "get_order_executions", c.get_order_executions(filled["id"])
    yield "get_orders", c.get_orders()
    yield "get_orders", c.get_orders(with_details=True)
    yield "update_live_order", c.update_live_order(live["id"], price="510")
    yield "cancel_order", c.cancel_order(live["id"])
    c.create_limit_buy(1, "0.01", "500")
    yield "cancel_all_orders", c.cancel_all_orders()
    yield from _account_answers(c)
    yield from _margin_answers(c)
    yield from _funding_answers(c)


def _account_answers(c: Quoinex) -> Iterator[tuple[str, Any]]:
    yield "get_fiat_accounts", c.get_fiat_accounts()
    yield "create_fiat_account", c.create_fiat_account("USD")
    yield "get_crypto_accounts", c.get_crypto_accounts()
    yield "get_account", c.get_account("USD")
    yield "get_account", c.get_account("BTC")
    yield "get_accounts", c.get_accounts()
    yield "get_account_balances", c.get_account_balances()
    yield "get_main_asset", c.get_main_asset()
    yield "get_reserved_balance_details", c.get_reserved_balance_details("BTC")
    yield "get_transactions", c.get_transactions(currency="USD")
    yield "get_balance_history", c.get_balance_history(currency="USD")


def _margin_answers(c: Quoinex) -> Iterator[tuple[str, Any]]:
    accounts = c.get_trading_accounts()
    yield "get_trading_accounts", accounts
    yield "get_trading_account", c.get_trading_account(accounts[0]["id"])
    yield "update_leverage_level", c.update_leverage_level(accounts[0]["id"], 10)
    yield "get_leverage_limitation", c.get_leverage_limitation()
    margin = c.create_margin_order("limit", 1, "buy", "0.01", "500", leverage_level=2)
    yield "create_margin_order", margin
    opened = c.create_margin_order("market", 1, "buy", "0.01", leverage_level=10)
    order_trades = c.get_order_trades(opened["id"])
    yield "get_order_trades", order_trades
    trade = order_trades[0]
    yield "get_trades", c.get_trades()
    yield "get_trade_loans", c.get_trade_loans(trade["id"])
    yield "update_trade", c.update_trade(trade["id"], "20000", None)
    yield "close_trade", c.close_trade(trade["id"])
    c.create_margin_order("market", 1, "sell", "0.01", leverage_level=10)
    yield "close_all_trades", c.close_all_trades()
    bid = c.create_loan_bid("0.0002", "50", "USD")
    yield "create_loan_bid", bid
    yield "get_loan_bid", c.get_loan_bid("USD")
    yield "close_loan_bid", c.close_loan_bid(bid["id"])
    loans = c.get_loans("USD")
    yield "get_loans", loans
    yield "update_loan", c.update_loan(loans["models"][0]["id"], False)


def _funding_answers(c: Quoinex) -> Iterator[tuple[str, Any]]:
    withdrawal = c.create_crypto_withdrawal("BTC", "bc1-types", "0.01")
    yield "create_crypto_withdrawal", withdrawal
    yield "get_crypto_withdrawals", c.get_crypto_withdrawals()
    yield "cancel_crypto_withdrawal", c.cancel_crypto_withdrawal(withdrawal["id"])
    yield "get_crypto_withdrawal_addresses", c.get_crypto_withdrawal_addresses("BTC")


def declared(method: str) -> Any:
    """The return annotation of a client method."""
    return get_type_hints(getattr(Quoinex, method))["return"]


def test_answers_match_the_annotations(client: Quoinex) -> None:
    checked = set()
    wrong = []
    for method, answer in typed_answers(client):
        wrong += problems(answer, declared(method), method)
        checked.add(method)
    assert len(checked) == 51
    assert not wrong, "\n".join(wrong)


def test_no_endpoint_method_returns_any() -> None:
    loose = [
        name
        for name in dir(Quoinex)
        if not name.startswith("_")
        and callable(getattr(Quoinex, name))
        and get_type_hints(getattr(Quoinex, name)).get("return", None) is Any
    ]
    assert loose == []


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
    [
        types.Product,
        types.Execution,
        types.Order,
        types.Account,
        types.Trade,
        types.TradingAccount,
    ],
)
def test_docstrings_name_the_required_keys(typed: Any) -> None:
    doc = " ".join((typed.__doc__ or "").split())
    always = doc[doc.index("Always has") :]
    assert {key for key in typed.__required_keys__ if f"``{key}``" not in always} == set()


def test_documented_typed_usage_passes_mypy_strict(tmp_path: Any) -> None:
    api = pytest.importorskip("mypy.api")
    usage = Path(__file__).with_name("typed_usage.py")
    out, err, status = api.run(
        ["--strict", "--no-error-summary", "--cache-dir", str(tmp_path), str(usage)]
    )
    assert (status, out, err) == (0, "", "")


def test_mypy_strict_rejects_a_misuse(tmp_path: Any) -> None:
    api = pytest.importorskip("mypy.api")
    wrong = tmp_path / "wrong.py"
    wrong.write_text(
        "from quoine import Quoinex\n"
        "from quoine.types import OrderBook\n"
        "def f(c: Quoinex) -> OrderBook:\n"
        "    return c.get_order(1)\n"
    )
    out, _, status = api.run(["--strict", "--cache-dir", str(tmp_path / "cache"), str(wrong)])
    assert status == 1 and "Incompatible return value type" in out


def _answer_types_extension() -> Any:
    path = Path(__file__).resolve().parents[2] / "docs" / "_ext" / "answer_types.py"
    spec = importlib.util.spec_from_file_location("answer_types", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_docs_table_of_answer_types_comes_from_the_annotations() -> None:
    extension = _answer_types_extension()
    table = extension.answer_types()
    listed = [method for methods in table.values() for method in methods]
    endpoint_methods = [
        name
        for name, member in inspect.getmembers(Quoinex, inspect.isfunction)
        if not name.startswith("_") and "endpoints" in member.__module__
    ]
    assert sorted(listed) == sorted(endpoint_methods)
    assert "get_order" in table[":class:`~quoine.types.Order`"]
    assert "get_fiat_accounts" in table["a list of :class:`~quoine.types.Account`"]
    page = (Path(__file__).resolve().parents[2] / "docs" / "types.rst").read_text()
    assert ".. answer-types::" in page
    assert "``get_order``" not in page  # the directive writes the table, not the page


def test_an_undescribable_annotation_fails_the_docs_build() -> None:
    with pytest.raises(ValueError, match="no description"):
        _answer_types_extension().describe(float)
