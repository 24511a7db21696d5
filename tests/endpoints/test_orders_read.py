"""Orders: looking orders up, listing and walking them, their trades and executions."""

from __future__ import annotations

import pytest
from _helpers import API, ORDER, assert_signed, sent, serve_pages

from quoine.constants import OrderStatus, TradingType

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
