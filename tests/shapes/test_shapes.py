"""Every answer of the sandbox has the fields and JSON types the API's documentation shows.

The calls go through the client, so the same test also checks that the client
reaches every endpoint. JSON types are read after the client's decoding: a
JSON number with a fraction arrives as :class:`~decimal.Decimal`, an integer
as ``int``. The shapes, with their sources, are in :mod:`tests.shapes.fixtures`.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest

from quoine import Quoinex
from quoine.sandbox import Sandbox
from quoine.sandbox.routes import ROUTES

from .fixtures import SHAPES, Shape

#: Routes whose answers no source shows and whose shape is the sandbox's own
#: invention (marked "inferred" in docs/sandbox.rst); everything else is checked.
UNCHECKED = {
    "GET /products/{id}/ohlc",
    "GET /products/{id}/funding_rate_history",
    "GET /orders/{id}/executions",
    "GET /crypto_withdrawals/crypto_networks",
    "GET /bank_accounts",
    "POST /bank_accounts",
    "GET /fund_infos",
    "POST /fund_infos",
    "PUT /trades/{id}/adjust_margin",
}


def json_type(value: Any) -> str:
    """The JSON type of a value as the client decodes it."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, (Decimal, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object" if isinstance(value, dict) else type(value).__name__


def mismatches(value: Any, shape: Shape, shapes: dict[str, Shape], where: str) -> list[str]:
    """How ``value`` differs from ``shape``: missing or extra keys, wrong JSON types."""
    if set(shape.fields) == {"0", "1"}:  # a [price, quantity] pair
        if not isinstance(value, list) or len(value) != 2:
            return [f"{where}: {value!r} is not a pair"]
        value = {"0": value[0], "1": value[1]}
    if not isinstance(value, dict):
        return [f"{where}: a {json_type(value)}, not an object"]
    wrong = [f"{where}: no {k!r} ({shape.source})" for k in shape.fields if k not in value]
    wrong += [
        f"{where}: {k!r} is in no source ({shape.source})" for k in value if k not in shape.fields
    ]
    for key in set(value) & set(shape.fields):
        wrong += type_mismatches(value[key], shape.fields[key], shapes, f"{where}.{key}")
    return wrong


def type_mismatches(value: Any, spec: str, shapes: dict[str, Shape], where: str) -> list[str]:
    """How ``value`` differs from a type such as ``string|null`` or ``array:order``."""
    found = json_type(value)
    for option in spec.split("|"):
        kind, _, item = option.partition(":")
        if kind == "number" and found in ("number", "integer"):
            return []
        if kind != found:
            continue
        if not item:
            return []
        elements = value if isinstance(value, list) else [value]
        return [
            wrong
            for i, element in enumerate(elements)
            for wrong in mismatches(element, shapes[item], shapes, f"{where}[{i}]")
        ]
    return [f"{where}: {value!r} is a {found}, the source shows {spec}"]


class Clock:
    """A settable exchange clock, so withdrawals can be moved through their states."""

    def __init__(self) -> None:
        self.now = 1_700_000_000.0

    def __call__(self) -> float:
        return self.now


def answers(client: Quoinex, clock: Clock) -> Iterator[tuple[str, str, Any]]:
    """``(route, shape name, answer)`` for every endpoint, each object in each of its states."""
    yield "GET /products", "product", client.get_products()[0]
    yield "GET /products", "perpetual_product", client.get_perpetual_products()[0]
    yield "GET /products/{id}", "product", client.get_product(1)
    yield "GET /products/{id}/price_levels", "order_book", client.get_order_book(1)
    yield "GET /currencies", "currency", client.get_currencies()[0]
    yield "GET /ir_ladders/{currency}", "ir_ladder", client.get_interest_rate_ladder("USD")
    yield "GET /fees", "fee_rule", client.get_fees()[0]
    yield "GET /user/fees", "fee_rule", client.get_user_fees()[0]
    yield "GET /user/fee_tier", "fee_tier", client.get_fee_tier()
    estimate = client.estimate_fees("create_order", product_id=1, quantity="0.01", side="buy")
    yield "POST /fees/estimate", "fee_estimate", estimate

    live = client.create_limit_buy(1, "0.01", "500")
    yield "POST /orders", "order_created", live
    filled = client.create_market_buy(1, "0.01")
    yield "POST /orders", "order_created", filled
    yield "GET /orders/{id}", "order_detailed", client.get_order(filled["id"])
    yield "GET /orders/{id}", "order_detailed", client.get_order(live["id"])
    yield "GET /orders", "order_page", client.get_orders()
    yield "GET /orders", "order_detailed_page", client.get_orders(with_details=True)
    yield "PUT /orders/{id}", "order_changed", client.update_live_order(live["id"], price="510")
    yield "PUT /orders/{id}/cancel", "order_changed", client.cancel_order(live["id"])
    yield "GET /orders/{id}", "order_detailed", client.get_order(live["id"])
    price, quantity = client.get_order_book(27)["sell_price_levels"][0]
    partial = client.create_limit_buy(27, Decimal(quantity) + 1, price)
    assert partial["status"] == "partially_filled"
    yield "POST /orders", "order_created", partial
    yield "GET /orders/{id}", "order_detailed", client.get_order(partial["id"])
    yield "PUT /orders/cancel_all", "cancel_all", client.cancel_all_orders()

    yield "GET /executions", "execution_page", client.get_executions(1)
    yield "GET /executions", "execution", client.get_executions_since_time(1, 0)[0]
    yield "GET /executions/me", "my_execution_page", client.get_my_executions(1)
    yield from _accounts(client)
    yield from _margin(client)
    yield from _lending(client)
    yield from _withdrawals(client, clock)


def _accounts(client: Quoinex) -> Iterator[tuple[str, str, Any]]:
    yield "GET /fiat_accounts", "fiat_account", client.get_fiat_accounts()[0]
    yield "POST /fiat_accounts", "fiat_account", client.create_fiat_account("USD")
    yield "GET /crypto_accounts", "crypto_account", client.get_crypto_accounts()[0]
    accounts = client.get_accounts()
    yield "GET /accounts", "accounts_fiat_account", accounts["fiat_accounts"][0]
    yield "GET /accounts", "accounts_crypto_account", accounts["crypto_accounts"][0]
    yield "GET /accounts/{currency}", "accounts_fiat_account", client.get_account("USD")
    yield "GET /accounts/{currency}", "accounts_crypto_account", client.get_account("BTC")
    yield "GET /accounts/balance", "balance", client.get_account_balances()[0]
    yield "GET /accounts/main_asset", "main_asset", client.get_main_asset()
    client.create_limit_sell(1, "0.5", "99000")
    reserved = client.get_reserved_balance_details("BTC")[0]
    yield "GET /accounts/{currency}/reserved_balance_details", "reservation", reserved
    yield "GET /transactions", "transaction_page", client.get_transactions(currency="USD")
    yield "GET /balance_history", "balance_history", client.get_balance_history(currency="USD")


def _margin(client: Quoinex) -> Iterator[tuple[str, str, Any]]:
    yield "GET /trading_accounts", "trading_account_listed", client.get_trading_accounts()[0]
    account_id = client.get_trading_accounts()[0]["id"]
    yield "GET /trading_accounts/{id}", "trading_account", client.get_trading_account(account_id)
    updated = client.update_leverage_level(account_id, 10)
    yield "PUT /trading_accounts/{id}", "trading_account", updated
    yield "GET /users/leverage_limitation", "", client.get_leverage_limitation()
    margin = client.create_margin_order("market", 1, "buy", "0.01", None, 10)
    yield "POST /orders", "order_created", margin
    trades = client.get_trades(status="open")
    yield "GET /trades", "trade_page", trades
    trade = trades["models"][0]
    yield "GET /orders/{id}/trades", "trade", client.get_order_trades(margin["id"])[0]
    yield "GET /trades/{id}/loans", "loan", client.get_trade_loans(trade["id"])[0]
    yield "PUT /trades/{id}", "trade", client.update_trade(trade["id"], "20000", "90000")
    yield "PUT /trades/{id}/close", "trade", client.close_trade(trade["id"], "0.004")
    yield "PUT /trades/{id}/close", "trade", client.close_trade(trade["id"])
    client.create_margin_order("market", 1, "sell", "0.01", None, 10)
    yield "PUT /trades/close_all", "trade", client.close_all_trades()[0]
    yield "GET /trades", "trade_page", client.get_trades(status="closed")


def _lending(client: Quoinex) -> Iterator[tuple[str, str, Any]]:
    bid = client.create_loan_bid("0.0002", "50", "USD")
    yield "POST /loan_bids", "loan_bid", bid
    yield "GET /loan_bids", "loan_bid_page", client.get_loan_bid("USD")
    yield "PUT /loan_bids/{id}/close", "loan_bid", client.close_loan_bid(bid["id"])
    loans = client.get_loans("USD")
    yield "GET /loans", "loan_page", loans
    yield "PUT /loans/{id}", "loan", client.update_loan(loans["models"][0]["id"], False)


def _withdrawals(client: Quoinex, clock: Clock) -> Iterator[tuple[str, str, Any]]:
    pending = client.create_crypto_withdrawal("BTC", "bc1-sandbox-shapes", "0.01")
    yield "POST /crypto_withdrawals", "crypto_withdrawal", pending
    yield "GET /crypto_withdrawals", "crypto_withdrawal_page", client.get_crypto_withdrawals()
    other = client.create_crypto_withdrawal("BTC", "bc1-sandbox-shapes", "0.02")
    yield (
        "PUT /crypto_withdrawal/{id}/cancel",
        "crypto_withdrawal",
        client.cancel_crypto_withdrawal(other["id"]),
    )
    clock.now += 3600  # pending -> processing -> processed
    processed = client.get_crypto_withdrawals(state="processed")
    assert processed["models"], "no processed withdrawal to check"
    yield "GET /crypto_withdrawals", "crypto_withdrawal_page", processed
    addresses = client.get_crypto_withdrawal_addresses("BTC")
    yield "GET /crypto_withdrawal_addresses", "withdrawal_address_page", addresses
    bank = client.create_bank_account("Holder", "Sandbox Bank", "000123", currency="USD")
    fiat = client.create_withdrawal("USD", "100", bank["id"])
    yield "POST /withdrawals", "withdrawal", fiat
    yield "PUT /withdrawals/{id}/cancel", "withdrawal", client.cancel_withdrawal(fiat["id"])
    yield "GET /withdrawals", "withdrawal_page", client.get_withdrawals(currency="USD")


@pytest.fixture(scope="module", params=["liquid", "quoine"])
def checked(request: pytest.FixtureRequest) -> Iterator[tuple[str, list[tuple[str, str, Any]]]]:
    """The dialect and every ``(route, shape, answer)`` of a sandbox speaking it."""
    clock = Clock()
    with Sandbox(rate_limit=None, clock=clock, dialect=request.param) as sb:
        sb.exchange.seed_executions(1, 30)
        with Quoinex(sb.token_id, sb.secret, api_url=sb.url, rate_limit=None) as client:
            yield request.param, list(answers(client, clock))


def test_every_answer_has_the_documented_fields_and_types(checked: Any) -> None:
    dialect, cases = checked
    shapes = SHAPES[dialect]
    wrong: list[str] = []
    for route, name, answer in cases:
        if name:
            wrong += mismatches(answer, shapes[name], shapes, f"{dialect} {route} {name}")
    assert not wrong, "\n".join(wrong)


def test_leverage_limitation_is_a_list_of_integers(checked: Any) -> None:
    _, cases = checked
    (levels,) = [a for route, _, a in cases if route == "GET /users/leverage_limitation"]
    assert levels and all(json_type(level) == "integer" for level in levels)


def test_every_route_is_checked_or_listed_as_unchecked(checked: Any) -> None:
    _, cases = checked
    covered = {route for route, _, _ in cases}
    served = {f"{route.method} {route.template}" for route in ROUTES}
    assert covered | UNCHECKED == served
    assert not covered & UNCHECKED


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ({"id": 1, "quantity": "1.0"}, []),
        ({"id": "1", "quantity": "1.0"}, ["x.id: '1' is a string, the source shows integer"]),
        ({"id": 1}, ["x: no 'quantity' (test)"]),
        ({"id": 1, "quantity": "1.0", "extra": 0}, ["x: 'extra' is in no source (test)"]),
        ({"id": 1, "quantity": None}, ["x.quantity: None is a null, the source shows string"]),
    ],
)
def test_the_check_catches_every_kind_of_drift(answer: Any, expected: list[str]) -> None:
    shape = Shape("test", {"id": "integer", "quantity": "string"})
    assert mismatches(answer, shape, {}, "x") == expected


def test_numbers_are_exact_and_typed() -> None:
    shapes = {"amount": Shape("test", {"balance": "number"})}
    assert mismatches({"balance": Decimal("0.08457")}, shapes["amount"], shapes, "x") == []
    assert type_mismatches(Decimal("1.5"), "string", shapes, "x") == [
        "x: Decimal('1.5') is a number, the source shows string"
    ]
