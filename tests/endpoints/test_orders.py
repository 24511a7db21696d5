"""Orders: the exact requests sent, 0.1.4 compatibility, money formatting, validation."""

from __future__ import annotations

from decimal import Decimal

import pytest
import responses
from _helpers import API, SECRET, assert_rejected, assert_signed, sent, serve_pages
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quoine.constants import MarginOrderDirection, OrderStatus, OrderType, Side, TradingType
from quoine.exceptions import (
    QuoineAPIException,
    QuoineInsufficientFunds,
    QuoineInvalidOrder,
    QuoineNotFoundError,
    QuoineOrderNotFound,
    QuoineUnprocessableError,
)

ORDER = {"id": 2157479, "order_type": "limit", "status": "live", "price": "500.0"}


def _post_orders(mocked: responses.RequestsMock) -> None:
    mocked.post(f"{API}/orders", json=ORDER)


def _order_body(mocked: responses.RequestsMock) -> dict:
    """The single POST /orders call: checked for shape and signature, body returned."""
    assert len(mocked.calls) == 1
    request = sent(mocked)
    assert (request.method, request.path, request.query) == ("POST", "/orders", [])
    assert request.headers["Content-Type"] == "application/json"
    assert_signed(request)
    assert request.claims["path"] == "/orders"
    return request.body


# --------------------------------------------------------------------------- create_order


def test_create_order_limit_matches_recorded_0_1_4_shape(client, mocked):
    _post_orders(mocked)

    result = client.create_order("limit", 1, "buy", "0.01", "500")

    assert result == ORDER
    assert _order_body(mocked) == {
        "order": {
            "order_type": "limit",
            "product_id": 1,
            "side": "buy",
            "quantity": "0.01",
            "price": "500",
        }
    }
    # Compact JSON, nested under "order", amounts as strings.
    assert sent(mocked).raw_body == (
        '{"order":{"order_type":"limit","product_id":1,"side":"buy",'
        '"quantity":"0.01","price":"500"}}'
    )


def test_create_order_with_keywords_and_string_product_id(client, mocked):
    _post_orders(mocked)

    client.create_order(
        order_type="limit",
        product_id="5",
        side="sell",
        quantity=Decimal("1.5"),
        price=Decimal("9000.25"),
    )

    assert _order_body(mocked) == {
        "order": {
            "order_type": "limit",
            "product_id": 5,
            "side": "sell",
            "quantity": "1.5",
            "price": "9000.25",
        }
    }


def test_create_order_market_sends_no_price(client, mocked):
    _post_orders(mocked)

    client.create_order("market", 1, "sell", "0.5")

    assert _order_body(mocked) == {
        "order": {"order_type": "market", "product_id": 1, "side": "sell", "quantity": "0.5"}
    }


def test_create_order_market_with_range_sends_price_range(client, mocked):
    _post_orders(mocked)

    client.create_order("market_with_range", 1, "buy", "0.01", None, "20")

    assert _order_body(mocked) == {
        "order": {
            "order_type": "market_with_range",
            "product_id": 1,
            "side": "buy",
            "quantity": "0.01",
            "price_range": "20",
        }
    }


def test_create_order_market_with_range_keeps_reference_price(client, mocked):
    # 0.1.4 dropped any price that was not on a limit order (bug §6.7); now it is sent.
    _post_orders(mocked)

    client.create_order("market_with_range", 1, "buy", "0.01", "500", "20")

    assert _order_body(mocked)["order"] == {
        "order_type": "market_with_range",
        "product_id": 1,
        "side": "buy",
        "quantity": "0.01",
        "price": "500",
        "price_range": "20",
    }


@pytest.mark.parametrize("order_type", ["limit_post_only", "stop"])
def test_create_order_priced_new_types_send_price(client, mocked, order_type):
    _post_orders(mocked)

    client.create_order(order_type, 1, "buy", "0.01", "480")

    assert _order_body(mocked)["order"] == {
        "order_type": order_type,
        "product_id": 1,
        "side": "buy",
        "quantity": "0.01",
        "price": "480",
    }


def test_create_order_trailing_stop(client, mocked):
    _post_orders(mocked)

    client.create_order(
        "trailing_stop",
        1,
        "sell",
        "0.01",
        trailing_stop_type="percentage",
        trailing_stop_value="1.5",
    )

    assert _order_body(mocked)["order"] == {
        "order_type": "trailing_stop",
        "product_id": 1,
        "side": "sell",
        "quantity": "0.01",
        "trailing_stop_type": "percentage",
        "trailing_stop_value": "1.5",
    }


def test_create_order_every_option(client, mocked):
    _post_orders(mocked)

    client.create_order(
        "limit",
        1,
        "buy",
        "0.01",
        "500",
        client_order_id="my-order-0001",
        take_profit="600",
        stop_loss=Decimal("450.50"),
        leverage_level=10,
        funding_currency="USD",
        order_direction="netout",
        margin_type="isolated",
    )

    assert _order_body(mocked) == {
        "order": {
            "order_type": "limit",
            "product_id": 1,
            "side": "buy",
            "quantity": "0.01",
            "price": "500",
            "client_order_id": "my-order-0001",
            "take_profit": "600",
            "stop_loss": "450.50",
            "leverage_level": 10,
            "funding_currency": "USD",
            "order_direction": "netout",
            "margin_type": "isolated",
        }
    }


def test_create_order_accepts_enums(client, mocked):
    _post_orders(mocked)

    client.create_order(OrderType.LIMIT, 1, Side.SELL, "1", "2")

    body = _order_body(mocked)
    assert body["order"]["order_type"] == "limit"
    assert body["order"]["side"] == "sell"
    assert '"order_type":"limit"' in sent(mocked).raw_body


# ------------------------------------------------------------------- limit / market helpers


@pytest.mark.parametrize(
    ("method", "side"), [("create_limit_buy", "buy"), ("create_limit_sell", "sell")]
)
def test_create_limit_helpers(client, mocked, method, side):
    _post_orders(mocked)

    result = getattr(client, method)(1, "0.01", "500")

    assert result == ORDER
    assert _order_body(mocked) == {
        "order": {
            "order_type": "limit",
            "product_id": 1,
            "side": side,
            "quantity": "0.01",
            "price": "500",
        }
    }


@pytest.mark.parametrize(
    ("method", "side"), [("create_limit_buy", "buy"), ("create_limit_sell", "sell")]
)
def test_create_limit_helpers_with_client_order_id(client, mocked, method, side):
    _post_orders(mocked)

    getattr(client, method)(1, "0.01", "500", client_order_id="abc-1")

    assert _order_body(mocked)["order"] == {
        "order_type": "limit",
        "product_id": 1,
        "side": side,
        "quantity": "0.01",
        "price": "500",
        "client_order_id": "abc-1",
    }


@pytest.mark.parametrize(
    ("method", "side"), [("create_market_buy", "buy"), ("create_market_sell", "sell")]
)
def test_create_market_helpers(client, mocked, method, side):
    _post_orders(mocked)

    result = getattr(client, method)(1, "0.01")

    assert result == ORDER
    assert _order_body(mocked) == {
        "order": {"order_type": "market", "product_id": 1, "side": side, "quantity": "0.01"}
    }


@pytest.mark.parametrize(
    ("method", "side"), [("create_market_buy", "buy"), ("create_market_sell", "sell")]
)
def test_create_market_helpers_with_price_range_send_market_with_range(
    client, mocked, method, side
):
    _post_orders(mocked)

    getattr(client, method)(1, "0.01", "50")  # 0.1.4: positional price_range

    assert _order_body(mocked) == {
        "order": {
            "order_type": "market_with_range",
            "product_id": 1,
            "side": side,
            "quantity": "0.01",
            "price_range": "50",
        }
    }


# ------------------------------------------------------------------------ margin orders


def test_create_margin_order_positional_0_1_4_order(client, mocked):
    _post_orders(mocked)

    result = client.create_margin_order("limit", 1, "buy", "0.01", "500", 10, None, "USD", "netout")

    assert result == ORDER
    assert _order_body(mocked) == {
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
    }


def test_create_margin_order_default_leverage_is_2(client, mocked):
    _post_orders(mocked)

    client.create_margin_order("limit", 1, "sell", "0.01", "500")

    assert _order_body(mocked) == {
        "order": {
            "order_type": "limit",
            "product_id": 1,
            "side": "sell",
            "quantity": "0.01",
            "price": "500",
            "leverage_level": 2,
        }
    }


def test_create_margin_order_with_0_1_4_constants(client, mocked):
    _post_orders(mocked)

    client.create_margin_order(
        client.ORDER_TYPE_LIMIT,
        1,
        client.SIDE_BUY,
        "0.01",
        "500",
        leverage_level=client.LEVERAGE_LEVEL_25,
        order_direction=client.MARGIN_ORDER_DIRECTION_NET,
    )

    assert _order_body(mocked)["order"] == {
        "order_type": "limit",
        "product_id": 1,
        "side": "buy",
        "quantity": "0.01",
        "price": "500",
        "leverage_level": 25,
        "order_direction": "netout",
    }


@pytest.mark.parametrize("price", ["500", 0, None])
@pytest.mark.parametrize("market", ["market", OrderType.MARKET])
def test_create_margin_order_market_with_price_sends_no_price(client, mocked, market, price):
    # 0.1.x required a price positionally even for market orders (often a dummy 0);
    # it is accepted and not sent.
    _post_orders(mocked)

    client.create_margin_order(market, 1, "buy", "0.01", price, 4)

    assert _order_body(mocked) == {
        "order": {
            "order_type": "market",
            "product_id": 1,
            "side": "buy",
            "quantity": "0.01",
            "leverage_level": 4,
        }
    }


def test_create_margin_order_market_with_range(client, mocked):
    _post_orders(mocked)

    client.create_margin_order(
        "market_with_range", 1, "sell", "0.01", None, 5, "30", "JPY", "two_direction"
    )

    assert _order_body(mocked)["order"] == {
        "order_type": "market_with_range",
        "product_id": 1,
        "side": "sell",
        "quantity": "0.01",
        "price_range": "30",
        "leverage_level": 5,
        "funding_currency": "JPY",
        "order_direction": "two_direction",
    }


def test_create_margin_order_passes_keyword_options(client, mocked):
    _post_orders(mocked)

    client.create_margin_order(
        "limit",
        1,
        "buy",
        "0.01",
        "500",
        order_direction=MarginOrderDirection.ONE,
        client_order_id="cid-7",
        take_profit="550",
        stop_loss="480",
        margin_type="cross",
    )

    assert _order_body(mocked)["order"] == {
        "order_type": "limit",
        "product_id": 1,
        "side": "buy",
        "quantity": "0.01",
        "price": "500",
        "leverage_level": 2,
        "order_direction": "one_direction",
        "client_order_id": "cid-7",
        "take_profit": "550",
        "stop_loss": "480",
        "margin_type": "cross",
    }


def test_0_1_4_constants_keep_their_plain_values(client):
    assert client.ORDER_TYPE_LIMIT == "limit"
    assert client.ORDER_TYPE_MARKET == "market"
    assert client.ORDER_TYPE_MARKET_RANGE == "market_with_range"
    assert (client.SIDE_BUY, client.SIDE_SELL) == ("buy", "sell")
    assert client.STATUS_FILLED == "filled"
    assert client.STATUS_LIVE == "live"
    assert client.STATUS_PARTIAL == "partially_filled"
    assert client.STATUS_CANCELLED == "cancelled"
    assert client.MARGIN_ORDER_DIRECTION_ONE == "one_direction"
    assert client.MARGIN_ORDER_DIRECTION_TWO == "two_direction"
    assert client.MARGIN_ORDER_DIRECTION_NET == "netout"
    levels = [getattr(client, f"LEVERAGE_LEVEL_{n}") for n in (2, 4, 5, 10, 25)]
    assert levels == [2, 4, 5, 10, 25]


# ---------------------------------------------------------------------- get / list orders


@pytest.mark.parametrize("order_id", [2157479, "2157479"])
def test_get_order(client, mocked, order_id):
    mocked.get(f"{API}/orders/2157479", json=ORDER)

    assert client.get_order(order_id) == ORDER

    request = sent(mocked)
    assert (request.method, request.path, request.query) == ("GET", "/orders/2157479", [])
    assert request.body is None
    assert_signed(request)


def test_get_order_by_client_order_id(client, mocked):
    mocked.get(f"{API}/orders/client:my-order-0001", json=ORDER)

    assert client.get_order_by_client_order_id("my-order-0001") == ORDER

    request = sent(mocked)
    assert (request.method, request.path, request.query) == (
        "GET",
        "/orders/client:my-order-0001",
        [],
    )
    assert_signed(request)
    assert request.claims["path"] == "/orders/client:my-order-0001"


def test_get_orders_matches_recorded_0_1_4_shape(client, mocked):
    page = {"models": [ORDER], "current_page": 1, "total_pages": 1}
    mocked.get(f"{API}/orders", json=page)

    assert client.get_orders(product_id=1, status="live", limit=5) == page

    request = sent(mocked)
    assert request.method == "GET"
    assert request.path_url == "/orders?product_id=1&status=live&limit=5"
    assert request.query == [("product_id", "1"), ("status", "live"), ("limit", "5")]
    assert request.body is None
    assert_signed(request)
    assert request.claims["path"] == "/orders?product_id=1&status=live&limit=5"


def test_get_orders_without_filters_sends_no_query(client, mocked):
    mocked.get(f"{API}/orders", json={"models": []})

    client.get_orders()

    request = sent(mocked)
    assert request.path_url == "/orders"
    assert request.query == []
    assert_signed(request)


def test_get_orders_positional_0_1_4_order_and_every_filter(client, mocked):
    mocked.get(f"{API}/orders", json={"models": []})

    client.get_orders("USD", 1, client.STATUS_FILLED, True, 20, 2, trading_type="margin")

    request = sent(mocked)
    assert request.query == [
        ("funding_currency", "USD"),
        ("product_id", "1"),
        ("status", "filled"),
        ("with_details", "1"),
        ("trading_type", "margin"),
        ("limit", "20"),
        ("page", "2"),
    ]
    assert_signed(request)


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("live", "live"),
        ("filled", "filled"),
        ("partially_filled", "partially_filled"),
        ("cancelled", "cancelled"),
        (OrderStatus.PARTIAL, "partially_filled"),
    ],
)
def test_get_orders_status_filter(client, mocked, status, expected):
    mocked.get(f"{API}/orders", json={"models": []})

    client.get_orders(status=status)

    assert sent(mocked).query == [("status", expected)]


def test_get_orders_with_details_false_is_not_sent(client, mocked):
    mocked.get(f"{API}/orders", json={"models": []})

    client.get_orders(product_id=3, with_details=False)

    assert sent(mocked).query == [("product_id", "3")]


def test_get_orders_trading_type_enum(client, mocked):
    mocked.get(f"{API}/orders", json={"models": []})

    client.get_orders(trading_type=TradingType.PERPETUAL)

    assert sent(mocked).query == [("trading_type", "perpetual")]


# ------------------------------------------------------------------------------ iter_orders


def test_iter_orders_walks_pages_until_empty(client, mocked):
    pages = [[{"id": 1}, {"id": 2}], [{"id": 3}], []]
    serve_pages(mocked, f"{API}/orders", pages, product_id=1, status="filled")

    items = list(client.iter_orders(product_id=1, status="filled"))

    assert [item["id"] for item in items] == [1, 2, 3]
    assert len(mocked.calls) == 3  # stopped at the empty page despite total_pages=10000
    for index, number in enumerate((1, 2, 3)):
        request = sent(mocked, index)
        assert request.path == "/orders"
        assert request.query == [
            ("product_id", "1"),
            ("status", "filled"),
            ("limit", "1000"),
            ("page", str(number)),
        ]
        assert_signed(request)


def test_iter_orders_passes_every_filter_and_custom_limit(client, mocked):
    mocked.get(f"{API}/orders", json={"models": [{"id": 9}], "total_pages": 1})
    mocked.get(f"{API}/orders", json={"models": []})

    items = list(
        client.iter_orders(
            funding_currency="USD",
            product_id=1,
            status="live",
            with_details=True,
            trading_type="spot",
            limit=50,
        )
    )

    assert items == [{"id": 9}]
    assert [sent(mocked, i).query for i in range(2)] == [
        [
            ("funding_currency", "USD"),
            ("product_id", "1"),
            ("status", "live"),
            ("with_details", "1"),
            ("trading_type", "spot"),
            ("limit", "50"),
            ("page", str(n)),
        ]
        for n in (1, 2)
    ]


def test_iter_orders_first_page_empty(client, mocked):
    serve_pages(mocked, f"{API}/orders", [[]])

    assert list(client.iter_orders()) == []
    assert len(mocked.calls) == 1


# ------------------------------------------------------------------------------ cancelling


@pytest.mark.parametrize("order_id", [123, "123"])
def test_cancel_order(client, mocked, order_id):
    cancelled = {"id": 123, "status": "cancelled"}
    mocked.put(f"{API}/orders/123/cancel", json=cancelled)

    assert client.cancel_order(order_id) == cancelled

    request = sent(mocked)
    assert (request.method, request.path, request.query) == ("PUT", "/orders/123/cancel", [])
    assert request.raw_body is None  # 0.1.4: no body
    assert_signed(request)
    assert request.claims["path"] == "/orders/123/cancel"


def test_cancel_order_by_client_order_id(client, mocked):
    cancelled = {"id": 123, "client_order_id": "abc-1", "status": "cancelled"}
    mocked.put(f"{API}/orders/client:abc-1/cancel", json=cancelled)

    assert client.cancel_order_by_client_order_id("abc-1") == cancelled

    request = sent(mocked)
    assert (request.method, request.path) == ("PUT", "/orders/client:abc-1/cancel")
    assert request.raw_body is None
    assert_signed(request)


def test_cancel_all_orders_without_filters_sends_empty_object(client, mocked):
    answer = {"models": [{"id": 1, "client_order_id": None}]}
    mocked.put(f"{API}/orders/cancel_all", json=answer)

    assert client.cancel_all_orders() == answer

    request = sent(mocked)
    assert (request.method, request.path, request.query) == ("PUT", "/orders/cancel_all", [])
    assert request.body == {}
    assert_signed(request)


def test_cancel_all_orders_with_filters_sends_flat_body(client, mocked):
    mocked.put(f"{API}/orders/cancel_all", json={"models": []})

    client.cancel_all_orders(product_id="1", side="sell", trading_type="spot")

    assert sent(mocked).body == {"product_id": 1, "side": "sell", "trading_type": "spot"}


def test_cancel_all_orders_single_filter(client, mocked):
    mocked.put(f"{API}/orders/cancel_all", json={"models": []})

    client.cancel_all_orders(side=Side.BUY)

    assert sent(mocked).body == {"side": "buy"}


# ------------------------------------------------------------------------------- editing


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"quantity": "0.02", "price": "510"}, {"quantity": "0.02", "price": "510"}),
        ({"price": "510"}, {"price": "510"}),
        ({"quantity": Decimal("0.020")}, {"quantity": "0.020"}),
    ],
)
def test_update_live_order(client, mocked, kwargs, expected):
    mocked.put(f"{API}/orders/123", json=ORDER)

    assert client.update_live_order(123, **kwargs) == ORDER

    request = sent(mocked)
    assert (request.method, request.path, request.query) == ("PUT", "/orders/123", [])
    assert request.body == {"order": expected}
    assert_signed(request)


def test_update_live_order_positional_0_1_4(client, mocked):
    mocked.put(f"{API}/orders/123", json=ORDER)

    client.update_live_order("123", "0.02", "510")

    assert sent(mocked).body == {"order": {"quantity": "0.02", "price": "510"}}


def test_update_live_order_by_client_order_id(client, mocked):
    mocked.put(f"{API}/orders/client:abc-1", json=ORDER)

    assert client.update_live_order_by_client_order_id("abc-1", price=510) == ORDER

    request = sent(mocked)
    assert (request.method, request.path) == ("PUT", "/orders/client:abc-1")
    assert request.body == {"order": {"price": "510"}}
    assert_signed(request)


# ------------------------------------------------------------------- trades and executions


def test_get_order_trades(client, mocked):
    trades = [{"id": 57896, "status": "open"}]
    mocked.get(f"{API}/orders/123/trades", json=trades)

    assert client.get_order_trades(123) == trades

    request = sent(mocked)
    assert (request.method, request.path, request.query) == ("GET", "/orders/123/trades", [])
    assert_signed(request)


def test_get_order_executions(client, mocked):
    page = {"models": [{"id": 1}], "current_page": 1, "total_pages": 1}
    mocked.get(f"{API}/orders/123/executions", json=page)

    assert client.get_order_executions(123) == page

    request = sent(mocked)
    assert (request.method, request.path, request.query) == ("GET", "/orders/123/executions", [])
    assert_signed(request)


def test_get_order_executions_limit_and_page(client, mocked):
    mocked.get(f"{API}/orders/123/executions", json={"models": []})

    client.get_order_executions(123, limit=50, page=3)

    request = sent(mocked)
    assert request.query == [("limit", "50"), ("page", "3")]
    assert request.claims["path"] == "/orders/123/executions?limit=50&page=3"


def test_iter_order_executions(client, mocked):
    pages = [[{"id": 5}, {"id": 4}], [{"id": 3}], []]
    serve_pages(mocked, f"{API}/orders/77/executions", pages)

    assert [e["id"] for e in client.iter_order_executions(77)] == [5, 4, 3]
    assert [sent(mocked, i).query for i in range(3)] == [
        [("limit", "1000"), ("page", str(n))] for n in (1, 2, 3)
    ]
    for index in range(3):
        assert_signed(sent(mocked, index))


# ------------------------------------------------------------------------------------ money


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        (Decimal("0.01"), "0.01"),
        (Decimal("0.010"), "0.010"),
        (Decimal("1E+2"), "100"),
        (Decimal("1E-8"), "0.00000001"),
        ("0.01", "0.01"),
        ("0.010", "0.010"),
        ("1e-5", "0.00001"),
        (" 2.5 ", "2.5"),
        (3, "3"),
        (10**20, "100000000000000000000"),
        (0.1, "0.1"),
        (1e-05, "0.00001"),
        (1e16, "10000000000000000"),
        (123.456, "123.456"),
    ],
)
def test_amounts_are_sent_as_plain_decimal_strings(client, mocked, amount, expected):
    _post_orders(mocked)

    client.create_limit_buy(1, amount, amount)

    order = _order_body(mocked)["order"]
    assert order["quantity"] == expected
    assert order["price"] == expected
    assert f'"quantity":"{expected}"' in sent(mocked).raw_body


def test_every_amount_field_is_a_plain_string(client, mocked):
    _post_orders(mocked)

    client.create_order(
        "market_with_range",
        1,
        "buy",
        1e-05,
        Decimal("5E+2"),
        Decimal("1E+1"),
        take_profit=6e2,
        stop_loss=Decimal("4.5E+2"),
    )

    order = _order_body(mocked)["order"]
    assert {
        k: order[k] for k in ("quantity", "price", "price_range", "take_profit", "stop_loss")
    } == {
        "quantity": "0.00001",
        "price": "500",
        "price_range": "10",
        "take_profit": "600.0",
        "stop_loss": "450",
    }


_decimals = st.one_of(
    st.decimals(
        min_value=Decimal("1e-18"),
        max_value=Decimal("1e12"),
        places=18,
        allow_nan=False,
        allow_infinity=False,
    ),
    st.builds(
        lambda digits, exponent: Decimal(digits).scaleb(exponent),
        st.integers(min_value=1, max_value=10**12),
        st.integers(min_value=-18, max_value=12),
    ).filter(lambda d: Decimal("1e-18") <= d <= Decimal("1e12") and d.as_tuple().exponent >= -18),
    st.decimals(
        min_value=Decimal("1e-18"),
        max_value=Decimal("1e12"),
        places=18,
        allow_nan=False,
        allow_infinity=False,
    ).map(lambda d: d.normalize()),
)


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(amount=_decimals)
def test_decimal_amounts_round_trip_without_exponent(client, amount):
    with responses.RequestsMock() as mock:
        mock.post(f"{API}/orders", json=ORDER)
        client.create_limit_sell(1, amount, amount)
        request = sent(mock)
    for field in ("quantity", "price"):
        text = request.body["order"][field]
        assert isinstance(text, str)
        assert "e" not in text and "E" not in text
        assert Decimal(text) == amount
    assert "E" not in request.raw_body and "e-" not in request.raw_body


# ------------------------------------------------------------------------------ validation


@pytest.mark.parametrize("side", ["BUY", "hold", "", None, 1, "long"])
def test_unknown_side_is_rejected(client, mocked, side):
    assert_rejected(
        mocked, "side must be one of buy, sell", client.create_order, "limit", 1, side, "1", "2"
    )


@pytest.mark.parametrize("side", ["BUY", 1])
def test_margin_order_unknown_side_is_rejected(client, mocked, side):
    assert_rejected(
        mocked,
        "side must be one of buy, sell",
        client.create_margin_order,
        "limit",
        1,
        side,
        "1",
        "2",
    )


@pytest.mark.parametrize("order_type", ["foo", None, "LIMIT", "", 1])
def test_unknown_order_type_is_rejected(client, mocked, order_type):
    assert_rejected(
        mocked,
        "order_type must be one of limit, market",
        client.create_order,
        order_type,
        1,
        "buy",
        "1",
        "2",
    )


@pytest.mark.parametrize("order_type", ["foo", None])
def test_margin_order_unknown_order_type_is_rejected(client, mocked, order_type):
    assert_rejected(
        mocked,
        "order_type must be one of",
        client.create_margin_order,
        order_type,
        1,
        "buy",
        "1",
        "2",
    )


@pytest.mark.parametrize(
    ("quantity", "fragment"),
    [
        (0, "quantity must be greater than zero"),
        (-1, "quantity must be greater than zero"),
        ("0", "quantity must be greater than zero"),
        (Decimal("-0.01"), "quantity must be greater than zero"),
        (0.0, "quantity must be greater than zero"),
        (Decimal("NaN"), "quantity must be a finite number"),
        (Decimal("Infinity"), "quantity must be a finite number"),
        (float("nan"), "quantity must be a finite number"),
        (float("inf"), "quantity must be a finite number"),
        ("abc", "quantity is not a number"),
        ("", "quantity is not a number"),
        (True, "quantity must be a Decimal, str, int or float, got bool"),
        (None, "quantity must be a Decimal, str, int or float, got NoneType"),
        ([1], "quantity must be a Decimal, str, int or float, got list"),
    ],
)
def test_bad_quantity_is_rejected(client, mocked, quantity, fragment):
    assert_rejected(mocked, fragment, client.create_order, "limit", 1, "buy", quantity, "500")


@pytest.mark.parametrize("method", ["create_market_buy", "create_market_sell"])
def test_market_helper_bad_quantity_is_rejected(client, mocked, method):
    assert_rejected(mocked, "quantity must be greater than zero", getattr(client, method), 1, 0)


@pytest.mark.parametrize("order_type", ["limit", "limit_post_only", "stop"])
def test_priced_order_without_price_is_rejected(client, mocked, order_type):
    assert_rejected(
        mocked,
        f"price is required for {order_type} orders",
        client.create_order,
        order_type,
        1,
        "buy",
        "1",
    )


def test_margin_limit_order_without_price_is_rejected(client, mocked):
    assert_rejected(
        mocked,
        "price is required for limit orders",
        client.create_margin_order,
        "limit",
        1,
        "buy",
        "1",
    )


@pytest.mark.parametrize(
    ("price", "fragment"),
    [
        ("0", "price must be greater than zero"),
        (0, "price must be greater than zero"),
        ("-5", "price must be greater than zero"),
        ("abc", "price is not a number"),
        (Decimal("NaN"), "price must be a finite number"),
    ],
)
def test_bad_price_is_rejected(client, mocked, price, fragment):
    assert_rejected(mocked, fragment, client.create_limit_buy, 1, "1", price)


def test_market_order_with_price_is_rejected(client, mocked):
    assert_rejected(
        mocked,
        "price is not allowed on market orders",
        client.create_order,
        "market",
        1,
        "buy",
        "1",
        "500",
    )


@pytest.mark.parametrize("order_type", ["limit", "market", "stop", "limit_post_only"])
def test_price_range_outside_market_with_range_is_rejected(client, mocked, order_type):
    price = None if order_type == "market" else "500"
    assert_rejected(
        mocked,
        "price_range is only allowed on market_with_range orders",
        client.create_order,
        order_type,
        1,
        "buy",
        "1",
        price,
        "10",
    )


def test_market_with_range_without_price_range_is_rejected(client, mocked):
    assert_rejected(
        mocked,
        "price_range is required for market_with_range orders",
        client.create_order,
        "market_with_range",
        1,
        "buy",
        "1",
    )


@pytest.mark.parametrize("price_range", ["0", "-1", "x"])
def test_bad_price_range_is_rejected(client, mocked, price_range):
    assert_rejected(mocked, "price_range", client.create_market_buy, 1, "1", price_range)


@pytest.mark.parametrize(
    "kwargs",
    [{}, {"trailing_stop_type": "percentage"}, {"trailing_stop_value": "1"}],
)
def test_trailing_stop_without_type_or_value_is_rejected(client, mocked, kwargs):
    assert_rejected(
        mocked,
        "trailing_stop orders need trailing_stop_type and trailing_stop_value",
        client.create_order,
        "trailing_stop",
        1,
        "sell",
        "1",
        **kwargs,
    )


def test_trailing_stop_unknown_type_is_rejected(client, mocked):
    assert_rejected(
        mocked,
        "trailing_stop_type must be one of fiat, price, percentage",
        client.create_order,
        "trailing_stop",
        1,
        "sell",
        "1",
        trailing_stop_type="percent",
        trailing_stop_value="1",
    )


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"order_direction": "net"}, "order_direction must be one of one_direction"),
        ({"margin_type": "CROSS"}, "margin_type must be one of cross, isolated"),
        ({"leverage_level": 0}, "leverage_level must be a positive integer"),
        ({"funding_currency": "US D"}, "funding_currency must be a currency code"),
        ({"funding_currency": ""}, "funding_currency must be a currency code"),
        ({"take_profit": "0"}, "take_profit must be greater than zero"),
        ({"stop_loss": "x"}, "stop_loss is not a number"),
    ],
)
def test_bad_create_options_are_rejected(client, mocked, kwargs, fragment):
    assert_rejected(mocked, fragment, client.create_order, "limit", 1, "buy", "1", "2", **kwargs)


@pytest.mark.parametrize("leverage", [0, -2, "x", None, True, 2.5])
def test_margin_order_bad_leverage_is_rejected(client, mocked, leverage):
    assert_rejected(
        mocked,
        "leverage_level must be a positive integer",
        client.create_margin_order,
        "limit",
        1,
        "buy",
        "1",
        "2",
        leverage,
    )


BAD_CLIENT_ORDER_IDS = ["a" * 37, "has space", "under_score", "slash/x", "", "é", "a\n", None, 12]


@pytest.mark.parametrize("cid", [c for c in BAD_CLIENT_ORDER_IDS if c is not None])
def test_bad_client_order_id_is_rejected_on_create(client, mocked, cid):
    fragment = "client_order_id must be 1 to 36 letters, digits or '-'"
    assert_rejected(mocked, fragment, client.create_limit_buy, 1, "1", "2", client_order_id=cid)


@pytest.mark.parametrize("cid", BAD_CLIENT_ORDER_IDS)
@pytest.mark.parametrize(
    "call",
    [
        lambda c, cid: c.get_order_by_client_order_id(cid),
        lambda c, cid: c.cancel_order_by_client_order_id(cid),
        lambda c, cid: c.update_live_order_by_client_order_id(cid, price="1"),
    ],
    ids=["get", "cancel", "update"],
)
def test_bad_client_order_id_is_rejected_on_lookup(client, mocked, cid, call):
    assert_rejected(
        mocked, "client_order_id must be 1 to 36 letters, digits or '-'", call, client, cid
    )


def test_client_order_id_of_36_characters_is_accepted(client, mocked):
    cid = "A-" + "b" * 34
    mocked.get(f"{API}/orders/client:{cid}", json=ORDER)

    client.get_order_by_client_order_id(cid)

    assert sent(mocked).path == f"/orders/client:{cid}"


BAD_IDS = [0, -1, "abc", "1.5", 1.5, None, True, "", "12a", "1/cancel"]


@pytest.mark.parametrize("bad", BAD_IDS)
@pytest.mark.parametrize(
    "call",
    [
        lambda c, i: c.get_order(i),
        lambda c, i: c.cancel_order(i),
        lambda c, i: c.update_live_order(i, price="1"),
        lambda c, i: c.get_order_trades(i),
        lambda c, i: c.get_order_executions(i),
        lambda c, i: list(c.iter_order_executions(i)),
    ],
    ids=["get", "cancel", "update", "trades", "executions", "iter_executions"],
)
def test_bad_order_id_is_rejected(client, mocked, bad, call):
    assert_rejected(mocked, "order_id must be a positive integer", call, client, bad)


@pytest.mark.parametrize("bad", [0, -1, "abc", 1.5, True])
def test_bad_product_id_is_rejected(client, mocked, bad):
    assert_rejected(
        mocked, "product_id must be a positive integer", client.create_limit_buy, bad, "1", "2"
    )
    assert_rejected(
        mocked, "product_id must be a positive integer", client.get_orders, product_id=bad
    )
    assert_rejected(
        mocked, "product_id must be a positive integer", client.cancel_all_orders, product_id=bad
    )


@pytest.mark.parametrize(
    ("limit", "fragment"),
    [
        (0, "limit must be a positive integer"),
        (-5, "limit must be a positive integer"),
        (1001, "limit must be between 1 and 1000"),
        ("x", "limit must be a positive integer"),
        (2.0, "limit must be a positive integer"),
    ],
)
def test_bad_limit_is_rejected(client, mocked, limit, fragment):
    assert_rejected(mocked, fragment, client.get_orders, limit=limit)
    assert_rejected(mocked, fragment, client.get_order_executions, 1, limit=limit)


@pytest.mark.parametrize("page", [0, -1, "x"])
def test_bad_page_is_rejected(client, mocked, page):
    assert_rejected(mocked, "page must be a positive integer", client.get_orders, page=page)
    assert_rejected(
        mocked, "page must be a positive integer", client.get_order_executions, 1, page=page
    )


def test_update_without_quantity_or_price_is_rejected(client, mocked):
    # 0.1.4 sent {"order": {}} (bug §6.8).
    assert_rejected(
        mocked, "give a new quantity, a new price or both", client.update_live_order, 123
    )
    assert_rejected(
        mocked,
        "give a new quantity, a new price or both",
        client.update_live_order_by_client_order_id,
        "abc-1",
    )


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"price": "0"}, "price must be greater than zero"),
        ({"quantity": "x"}, "quantity is not a number"),
    ],
)
def test_update_bad_amount_is_rejected(client, mocked, kwargs, fragment):
    assert_rejected(mocked, fragment, client.update_live_order, 123, **kwargs)


@pytest.mark.parametrize("status", ["open", "LIVE", "canceled", "", 1])
def test_bad_status_filter_is_rejected(client, mocked, status):
    assert_rejected(
        mocked,
        "status must be one of live, filled, partially_filled, cancelled",
        client.get_orders,
        status=status,
    )


@pytest.mark.parametrize("trading_type", ["futures", "SPOT", ""])
def test_bad_trading_type_filter_is_rejected(client, mocked, trading_type):
    fragment = "trading_type must be one of spot, margin, cfd, perpetual"
    assert_rejected(mocked, fragment, client.get_orders, trading_type=trading_type)
    assert_rejected(mocked, fragment, client.cancel_all_orders, trading_type=trading_type)


def test_bad_funding_currency_filter_is_rejected(client, mocked):
    assert_rejected(mocked, "funding_currency must be a currency code", client.get_orders, "U$D")


def test_cancel_all_bad_side_is_rejected(client, mocked):
    assert_rejected(mocked, "side must be one of buy, sell", client.cancel_all_orders, side="BUY")


def test_iter_orders_bad_filter_is_rejected_before_sending(client, mocked):
    assert_rejected(
        mocked, "status must be one of", lambda: list(client.iter_orders(status="open"))
    )


@pytest.mark.parametrize("limit", [1001, "x", -1])
def test_iter_orders_bad_limit_is_rejected(client, mocked, limit):
    assert_rejected(mocked, "limit must be", lambda: list(client.iter_orders(limit=limit)))


def test_iter_orders_limit_zero_is_rejected(client, mocked):
    assert_rejected(
        mocked, "limit must be a positive integer", lambda: list(client.iter_orders(limit=0))
    )


def test_signed_call_without_credentials_sends_nothing(public_client, mocked):
    with pytest.raises(Exception, match="needs an API token id and secret"):
        public_client.create_limit_buy(1, "1", "2")
    assert len(mocked.calls) == 0


# ---------------------------------------------------------------------------------- errors


def test_cancel_missing_order_raises_order_not_found(client, mocked):
    mocked.put(f"{API}/orders/123/cancel", status=404, json={"message": "Order not found"})

    with pytest.raises(QuoineOrderNotFound) as caught:
        client.cancel_order(123)

    error = caught.value
    assert isinstance(error, QuoineNotFoundError)
    assert isinstance(error, QuoineAPIException)
    assert error.status_code == 404
    assert error.message == "Order not found"
    assert error.messages == {"message": "Order not found"}  # 0.1.4 meaning
    assert SECRET not in str(error) and SECRET not in repr(error)
    assert error.request.headers["X-Quoine-Auth"] == "***"
    assert len(mocked.calls) == 1


def test_create_order_insufficient_funds(client, mocked):
    body = {"errors": {"user": ["not_enough_free_balance"]}}
    mocked.post(f"{API}/orders", status=422, json=body)

    with pytest.raises(QuoineInsufficientFunds) as caught:
        client.create_limit_buy(1, "100", "500")

    error = caught.value
    assert isinstance(error, QuoineUnprocessableError)
    assert isinstance(error, QuoineAPIException)
    assert error.status_code == 422
    assert error.errors == {"user": ["not_enough_free_balance"]}
    assert error.code == "not_enough_free_balance"
    assert error.messages == {"user": ["not_enough_free_balance"]}
    assert "not_enough_free_balance" in str(error)
    assert SECRET not in str(error)


def test_create_order_too_small_raises_invalid_order(client, mocked):
    mocked.post(
        f"{API}/orders", status=422, json={"errors": {"quantity": ["less_than_order_size"]}}
    )

    with pytest.raises(QuoineInvalidOrder) as caught:
        client.create_order("limit", 1, "buy", "0.0000001", "500")

    error = caught.value
    assert not isinstance(error, QuoineInsufficientFunds)
    assert isinstance(error, QuoineAPIException)
    assert error.code == "less_than_order_size"
    assert error.messages == {"quantity": ["less_than_order_size"]}


def test_update_partially_filled_order_raises_invalid_order(client, mocked):
    body = {"errors": {"order": ["Can not update partially filled order"]}}
    mocked.put(f"{API}/orders/123", status=422, json=body)

    with pytest.raises(QuoineInvalidOrder):
        client.update_live_order(123, price="510")
