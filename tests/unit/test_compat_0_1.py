"""A python-quoine 0.1.4 script runs unchanged and sends the same requests.

One row per public method of 0.1.4, called the way its docs show (positional
order, 0.1.x constants), with the request 0.1.4 put on the wire.
"""

from __future__ import annotations

import pathlib
import re

import pytest
import responses
from _helpers import SECRET, assert_public, assert_signed, sent

from quoine.client import Qryptos, Quoinex
from quoine.exceptions import QuoineAPIException, QuoineRequestException

Q = Quoinex

# (call, verb, path, query, body, signed)
ROWS = [
    (lambda c: c.get_products(), "GET", "/products", [], None, False),
    (lambda c: c.get_product(1), "GET", "/products/1", [], None, False),
    (
        lambda c: c.get_order_book(1),
        "GET",
        "/products/1/price_levels",
        [("full", "0")],
        None,
        False,
    ),
    (
        lambda c: c.get_order_book(1, True),
        "GET",
        "/products/1/price_levels",
        [("full", "1")],
        None,
        False,
    ),
    (lambda c: c.get_executions(1), "GET", "/executions", [("product_id", "1")], None, False),
    (
        lambda c: c.get_executions(1, 200, 2),
        "GET",
        "/executions",
        [("product_id", "1"), ("limit", "200"), ("page", "2")],
        None,
        False,
    ),
    (
        lambda c: c.get_executions_since_time(1, 1456705487, 50),
        "GET",
        "/executions",
        [("product_id", "1"), ("timestamp", "1456705487"), ("limit", "50")],
        None,
        False,
    ),
    (lambda c: c.get_interest_rate_ladder("USD"), "GET", "/ir_ladders/USD", [], None, False),
    (
        lambda c: c.create_order(Q.ORDER_TYPE_LIMIT, 1, Q.SIDE_BUY, "0.01", "500"),
        "POST",
        "/orders",
        [],
        {
            "order": {
                "order_type": "limit",
                "product_id": 1,
                "side": "buy",
                "quantity": "0.01",
                "price": "500",
            }
        },
        True,
    ),
    (
        lambda c: c.create_order(Q.ORDER_TYPE_MARKET, 1, Q.SIDE_SELL, "0.01"),
        "POST",
        "/orders",
        [],
        {"order": {"order_type": "market", "product_id": 1, "side": "sell", "quantity": "0.01"}},
        True,
    ),
    (
        lambda c: c.create_limit_buy(1, "100", "0.00001"),
        "POST",
        "/orders",
        [],
        {
            "order": {
                "order_type": "limit",
                "product_id": 1,
                "side": "buy",
                "quantity": "100",
                "price": "0.00001",
            }
        },
        True,
    ),
    (
        lambda c: c.create_limit_sell(1, "0.01", "12000"),
        "POST",
        "/orders",
        [],
        {
            "order": {
                "order_type": "limit",
                "product_id": 1,
                "side": "sell",
                "quantity": "0.01",
                "price": "12000",
            }
        },
        True,
    ),
    (
        lambda c: c.create_market_buy(product_id=1, quantity="100", price_range="0.01"),
        "POST",
        "/orders",
        [],
        {
            "order": {
                "order_type": "market_with_range",
                "product_id": 1,
                "side": "buy",
                "quantity": "100",
                "price_range": "0.01",
            }
        },
        True,
    ),
    (
        lambda c: c.create_market_sell(1, "0.5"),
        "POST",
        "/orders",
        [],
        {"order": {"order_type": "market", "product_id": 1, "side": "sell", "quantity": "0.5"}},
        True,
    ),
    (
        lambda c: c.create_margin_order(
            Q.ORDER_TYPE_LIMIT,
            1,
            Q.SIDE_BUY,
            "0.01",
            "500",
            Q.LEVERAGE_LEVEL_10,
            None,
            "USD",
            Q.MARGIN_ORDER_DIRECTION_NET,
        ),
        "POST",
        "/orders",
        [],
        {
            "order": {
                "order_type": "limit",
                "product_id": 1,
                "side": "buy",
                "quantity": "0.01",
                "price": "500",
                "leverage_level": 10,
                "funding_currency": "USD",
                "order_direction": "netout",
            }
        },
        True,
    ),
    (
        lambda c: c.create_margin_order(Q.ORDER_TYPE_MARKET, 1, Q.SIDE_SELL, "0.01", "500"),
        "POST",
        "/orders",
        [],
        {
            "order": {
                "order_type": "market",
                "product_id": 1,
                "side": "sell",
                "quantity": "0.01",
                "leverage_level": 2,
            }
        },
        True,
    ),
    (
        lambda c: c.create_margin_order(
            Q.ORDER_TYPE_MARKET_RANGE, 1, Q.SIDE_BUY, "0.01", "0", 4, "5"
        ),
        "POST",
        "/orders",
        [],
        {
            "order": {
                "order_type": "market_with_range",
                "product_id": 1,
                "side": "buy",
                "quantity": "0.01",
                "price_range": "5",
                "leverage_level": 4,
            }
        },
        True,
    ),
    (lambda c: c.get_order(2157479), "GET", "/orders/2157479", [], None, True),
    (lambda c: c.get_orders(), "GET", "/orders", [], None, True),
    (
        lambda c: c.get_orders("USD", 1, Q.STATUS_LIVE, True, 5, 2),
        "GET",
        "/orders",
        [
            ("funding_currency", "USD"),
            ("product_id", "1"),
            ("status", "live"),
            ("with_details", "1"),
            ("limit", "5"),
            ("page", "2"),
        ],
        None,
        True,
    ),
    (
        lambda c: c.get_orders(status=Q.STATUS_FILLED),
        "GET",
        "/orders",
        [("status", "filled")],
        None,
        True,
    ),
    (lambda c: c.cancel_order(2157479), "PUT", "/orders/2157479/cancel", [], None, True),
    (
        lambda c: c.update_live_order(2157479, "0.02", "520"),
        "PUT",
        "/orders/2157479",
        [],
        {"order": {"quantity": "0.02", "price": "520"}},
        True,
    ),
    (lambda c: c.get_order_trades(2157479), "GET", "/orders/2157479/trades", [], None, True),
    (lambda c: c.get_my_executions(1), "GET", "/executions/me", [("product_id", "1")], None, True),
    (lambda c: c.get_fiat_accounts(), "GET", "/fiat_accounts", [], None, True),
    (
        lambda c: c.create_fiat_account("USD"),
        "POST",
        "/fiat_accounts",
        [],
        {"currency": "USD"},
        True,
    ),
    (lambda c: c.get_crypto_accounts(), "GET", "/crypto_accounts", [], None, True),
    (lambda c: c.get_account_balances(), "GET", "/accounts/balance", [], None, True),
    (lambda c: c.get_main_asset(), "GET", "/accounts/main_asset", [], None, True),
    (
        lambda c: c.create_loan_bid("0.0002", "50", "USD"),
        "POST",
        "/loan_bids",
        [],
        {"loan_bid": {"rate": "0.0002", "quantity": "50", "currency": "USD"}},
        True,
    ),
    (lambda c: c.get_loan_bid("USD"), "GET", "/loan_bids", [("currency", "USD")], None, True),
    (lambda c: c.close_loan_bid(3580), "PUT", "/loan_bids/3580/close", [], None, True),
    (
        lambda c: c.get_loans("USD", 10, 1),
        "GET",
        "/loans",
        [("currency", "USD"), ("limit", "10"), ("page", "1")],
        None,
        True,
    ),
    (
        lambda c: c.update_loan(144825, False),
        "PUT",
        "/loans/144825",
        [],
        {"fund_reloaned": False},
        True,
    ),
    (lambda c: c.get_trading_accounts(), "GET", "/trading_accounts", [], None, True),
    (lambda c: c.get_trading_account(1759), "GET", "/trading_accounts/1759", [], None, True),
    (
        lambda c: c.update_leverage_level(1759, Q.LEVERAGE_LEVEL_25),
        "PUT",
        "/trading_accounts/1759",
        [],
        {"trading_account": {"leverage_level": 25}},
        True,
    ),
    (
        lambda c: c.get_trades("USD", "open"),
        "GET",
        "/trades",
        [("funding_currency", "USD"), ("status", "open")],
        None,
        True,
    ),
    (lambda c: c.close_trade(57896), "PUT", "/trades/57896/close", [], {}, True),
    (
        lambda c: c.close_trade(57896, "0.005"),
        "PUT",
        "/trades/57896/close",
        [],
        {"closed_quantity": "0.005"},
        True,
    ),
    (lambda c: c.close_all_trades(), "PUT", "/trades/close_all", [], {}, True),
    (
        lambda c: c.close_all_trades("short"),
        "PUT",
        "/trades/close_all",
        [],
        {"side": "short"},
        True,
    ),
    (
        lambda c: c.update_trade(57896, "300", "600"),
        "PUT",
        "/trades/57896",
        [],
        {"trade": {"stop_loss": "300", "take_profit": "600"}},
        True,
    ),
    (lambda c: c.get_trade_loans(57896), "GET", "/trades/57896/loans", [], None, True),
]


@pytest.mark.parametrize(("call", "verb", "path", "query", "body", "signed"), ROWS)
def test_0_1_call_sends_the_same_request(client, mocked, call, verb, path, query, body, signed):
    mocked.add(verb, re.compile(r"https://api\.quoine\.com/.*"), json={"ok": True})

    assert call(client) == {"ok": True}

    request = sent(mocked)
    assert (request.method, request.path, request.query, request.body) == (verb, path, query, body)
    if signed:
        assert_signed(request)
    else:
        assert_public(request)


def test_every_0_1_method_is_covered_by_the_table():
    methods_0_1 = {
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
    source = pathlib.Path(__file__).read_text()
    called = set(re.findall(r"c\.(\w+)\(", source))
    assert methods_0_1 <= called
    assert all(callable(getattr(Quoinex, name)) for name in methods_0_1)


def test_0_1_constants_keep_their_values():
    expected = {
        "SIDE_BUY": "buy", "SIDE_SELL": "sell", "STATUS_FILLED": "filled", "STATUS_LIVE": "live",
        "STATUS_PARTIAL": "partially_filled", "STATUS_CANCELLED": "cancelled",
        "ORDER_TYPE_LIMIT": "limit", "ORDER_TYPE_MARKET": "market",
        "ORDER_TYPE_MARKET_RANGE": "market_with_range", "LEVERAGE_LEVEL_2": 2,
        "LEVERAGE_LEVEL_4": 4, "LEVERAGE_LEVEL_5": 5, "LEVERAGE_LEVEL_10": 10,
        "LEVERAGE_LEVEL_25": 25, "MARGIN_ORDER_DIRECTION_ONE": "one_direction",
        "MARGIN_ORDER_DIRECTION_TWO": "two_direction", "MARGIN_ORDER_DIRECTION_NET": "netout",
        "API_VERSION": "2", "VENDOR_ID": None, "LANGUAGE": "en",
    }  # fmt: skip
    for cls in (Quoinex, Qryptos):
        for name, value in expected.items():
            assert getattr(cls, name) == value, name


def test_0_1_readme_script_runs_unchanged():
    """The quick start from python-quoine 0.1.x's README, verbatim apart from the keys."""
    api_key, api_secret = "1234", SECRET
    with responses.RequestsMock() as mock:
        mock.get("https://api.quoine.com/products", json=[{"id": 1}])
        mock.get("https://api.quoine.com/products/1/price_levels", json={"buy_price_levels": []})
        mock.post("https://api.quoine.com/orders", json={"id": 7})
        mock.get("https://api.quoine.com/orders", json={"models": []})

        from quoine.client import Quoinex

        client = Quoinex(api_key, api_secret)

        # get products
        products = client.get_products()

        # get market depth
        depth = client.get_order_book(product_id=products[0]["id"])

        # place market buy order
        order = client.create_market_buy(
            product_id=products[0]["id"], quantity="100", price_range="0.01"
        )

        # get list of filled orders
        filled_orders = client.get_orders(status=client.STATUS_FILLED)

        assert [c.request.method for c in mock.calls] == ["GET", "GET", "POST", "GET"]
    assert (depth, order, filled_orders) == ({"buy_price_levels": []}, {"id": 7}, {"models": []})


def test_0_1_exception_handling_still_works(client, mocked):
    mocked.post(
        "https://api.quoine.com/orders", status=422, json={"errors": {"user": ["not_enough_fund"]}}
    )
    mocked.get("https://api.quoine.com/products", body="not json")
    with pytest.raises(QuoineAPIException) as api_error:
        client.create_limit_buy(1, "1", "1")
    assert api_error.value.status_code == 422
    assert api_error.value.messages == {"user": ["not_enough_fund"]}
    assert "not_enough_fund" in str(api_error.value)
    with pytest.raises(QuoineRequestException) as request_error:
        client.get_products()
    assert request_error.value.message.startswith("Invalid Response")
