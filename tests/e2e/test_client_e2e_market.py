"""Public market data, errors end to end, and the every-method coverage check."""

from __future__ import annotations

import ast
import time
from decimal import Decimal
from pathlib import Path

import pytest

from quoine.client import Quoinex
from quoine.exceptions import (
    QuoineAuthenticationError,
    QuoineInsufficientFunds,
    QuoineNotFoundError,
    QuoineRateLimitError,
)
from quoine.sandbox import Sandbox


def test_every_public_client_method_has_an_e2e_test():
    methods = {
        name
        for name in dir(Quoinex)
        if not name.startswith("_") and callable(getattr(Quoinex, name))
    }
    called: set[str] = set()
    for path in Path(__file__).parent.glob("test_client_e2e_*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                called.add(node.func.attr)
    missing = sorted(methods - called)
    assert len(methods) >= 80
    assert missing == []


def test_products(quoinex):
    products = quoinex.get_products()
    by_id = {int(p["id"]): p for p in products}
    assert {1, 5, 27, 29, 37} <= set(by_id)
    assert 603 not in by_id
    assert by_id[1]["currency_pair_code"] == "BTCUSD"
    assert by_id[5]["currency_pair_code"] == "BTCJPY"
    perpetual = quoinex.get_perpetual_products()
    assert [int(p["id"]) for p in perpetual] == [603]
    one = quoinex.get_product(1)
    assert one["currency_pair_code"] == "BTCUSD"
    assert Decimal(one["last_traded_price"]) > 0
    with pytest.raises(QuoineNotFoundError):
        quoinex.get_product(999_999)


def test_order_book_is_sorted_and_full_is_deeper(quoinex):
    book = quoinex.get_order_book(1)
    bids = [Decimal(p) for p, _ in book["buy_price_levels"]]
    asks = [Decimal(p) for p, _ in book["sell_price_levels"]]
    assert bids and asks
    assert bids == sorted(bids, reverse=True)
    assert asks == sorted(asks)
    assert bids[0] < asks[0]
    full = quoinex.get_order_book(1, full=True)
    assert len(full["buy_price_levels"]) >= len(bids)
    assert len(full["sell_price_levels"]) == 30


def test_currencies_fees_ladder_ohlc_funding_rates(quoinex):
    codes = {c["currency"] for c in quoinex.get_currencies()}
    assert {"USD", "JPY", "BTC", "ETH"} <= codes

    fees = quoinex.get_fees()
    taker = [
        f
        for f in fees
        if f["fee_type"] == "trade_fee"
        and f["conditions"] == {"currency_pair_code": "BTCUSD", "maker_taker": "taker"}
    ]
    assert [Decimal(f["charge_value"]) for f in taker] == [Decimal("0.3")]
    withdrawal = quoinex.get_fees(fee_type="withdrawal_fee")
    assert withdrawal and all(f["fee_type"] == "withdrawal_fee" for f in withdrawal)

    ladder = quoinex.get_interest_rate_ladder("USD")
    assert set(ladder) == {"bids", "asks"}
    assert len(ladder["asks"]) == 5

    quoinex.create_market_buy(1, "0.001")
    candles = quoinex.get_ohlc(1, resolution=60)["data"]
    assert candles and len(candles[-1]) == 6
    assert Decimal(candles[-1][5]) >= Decimal("0.001")

    rates = quoinex.get_funding_rate_history(603, limit=3)
    models = rates["models"] if isinstance(rates, dict) else rates
    assert 1 <= len(models) <= 3
    assert all(int(m["product_id"]) == 603 for m in models)


def test_executions_pages_and_since_time(quoinex, sandbox):
    before = time.time()
    for _ in range(3):
        quoinex.create_market_sell(27, "0.01")
    page = quoinex.get_executions(27, limit=2, page=1)
    assert len(page["models"]) == 2
    assert page["total_pages"] >= 2
    ids = [e["id"] for e in page["models"]]
    assert ids == sorted(ids, reverse=True)

    every = list(quoinex.iter_executions(27, limit=2))
    every_ids = [e["id"] for e in every]
    assert len(every_ids) == len(set(every_ids)) >= 3
    assert every_ids == sorted(every_ids, reverse=True)

    since = quoinex.get_executions_since_time(27, int(before), limit=1000)
    assert [e["id"] for e in since] == sorted(every_ids)


def test_iter_executions_since_time_walks_a_bulk_history_once_in_order(quoinex, sandbox):
    start = 1_500_000_000
    sandbox.exchange.seed_executions(29, 5000, start=start, per_second=10, seed=1)
    got = list(quoinex.iter_executions_since_time(29, start, limit=1000))
    ids = [e["id"] for e in got]
    assert len(ids) == len(set(ids))
    assert len(ids) == 5000
    assert ids == sorted(ids)
    stamps = [e["created_at"] for e in got]
    assert stamps == sorted(stamps)
    assert int(stamps[0]) == start


def test_wrong_secret_is_an_authentication_error(sandbox):
    with Quoinex(sandbox.token_id, "not-the-secret", api_url=sandbox.url) as client:
        with pytest.raises(QuoineAuthenticationError) as caught:
            client.get_accounts()
        assert caught.value.status_code == 401
        assert client.get_product(1)["id"] in (1, "1")  # public calls need no auth


def test_unknown_token_is_an_authentication_error(sandbox):
    with (
        Quoinex("nobody", sandbox.secret, api_url=sandbox.url) as client,
        pytest.raises(QuoineAuthenticationError),
    ):
        client.get_orders()


def test_oversized_order_is_insufficient_funds(trader):
    with pytest.raises(QuoineInsufficientFunds):
        trader.client.create_limit_buy(1, "100", "29000")
    assert trader.orders() == []
    assert trader.reserved("USD") == 0


def test_rate_limit_sixth_call_raises_with_retry_after():
    with Sandbox(rate_limit=(5, 300)) as sb:
        with Quoinex(sb.token_id, sb.secret, api_url=sb.url) as client:
            for _ in range(5):
                client.get_account_balances()
            with pytest.raises(QuoineRateLimitError) as caught:
                client.get_account_balances()
        assert caught.value.retry_after == 300
        assert caught.value.status_code == 429


@pytest.mark.case(23)
def test_client_limiter_keeps_a_rate_limited_exchange_from_answering_429():
    with (
        Sandbox(rate_limit=(4, 0.5)) as sb,
        Quoinex(sb.token_id, sb.secret, api_url=sb.url, rate_limit=(4, 0.5)) as client,
    ):
        for _ in range(12):  # three windows' worth, no 429 on the way
            client.get_account_balances()


@pytest.mark.case(40)
def test_every_request_carries_the_default_timeout(quoinex):
    assert quoinex.timeout == (3.05, 10.0)
    # RequireTimeout (conftest) checks each request these tests send


def test_close_ends_the_session_and_a_new_client_still_works(sandbox):
    client = Quoinex(sandbox.token_id, sandbox.secret, api_url=sandbox.url)
    assert client.get_account_balances()
    client.close()
    client.close()  # idempotent
    with Quoinex(sandbox.token_id, sandbox.secret, api_url=sandbox.url) as again:
        assert again.get_product(5)["currency_pair_code"] == "BTCJPY"
