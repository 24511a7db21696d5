"""Orders: cancelling and editing live orders."""

from __future__ import annotations

from decimal import Decimal

import pytest
from _helpers import API, ORDER, assert_signed, sent

from quoine.constants import Side

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
