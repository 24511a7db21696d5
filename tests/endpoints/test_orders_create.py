"""Orders: creating spot and margin orders, the exact bodies sent and 0.1.4 compatibility."""

from __future__ import annotations

from decimal import Decimal

import pytest
from _helpers import ORDER, order_body, post_orders, sent

from quoine.constants import MarginOrderDirection, OrderType, Side

# --------------------------------------------------------------------------- create_order


def test_create_order_limit_matches_recorded_0_1_4_shape(client, mocked):
    post_orders(mocked)

    result = client.create_order("limit", 1, "buy", "0.01", "500")

    assert result == ORDER
    assert order_body(mocked) == {
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
    post_orders(mocked)

    client.create_order(
        order_type="limit",
        product_id="5",
        side="sell",
        quantity=Decimal("1.5"),
        price=Decimal("9000.25"),
    )

    assert order_body(mocked) == {
        "order": {
            "order_type": "limit",
            "product_id": 5,
            "side": "sell",
            "quantity": "1.5",
            "price": "9000.25",
        }
    }


def test_create_order_market_sends_no_price(client, mocked):
    post_orders(mocked)

    client.create_order("market", 1, "sell", "0.5")

    assert order_body(mocked) == {
        "order": {"order_type": "market", "product_id": 1, "side": "sell", "quantity": "0.5"}
    }


def test_create_order_market_with_range_sends_price_range(client, mocked):
    post_orders(mocked)

    client.create_order("market_with_range", 1, "buy", "0.01", None, "20")

    assert order_body(mocked) == {
        "order": {
            "order_type": "market_with_range",
            "product_id": 1,
            "side": "buy",
            "quantity": "0.01",
            "price_range": "20",
        }
    }


def test_create_order_market_with_range_keeps_reference_price(client, mocked):
    # 0.1.4 dropped any price that was not on a limit order (docs/migrating.rst, Orders);
    # now it is sent.
    post_orders(mocked)

    client.create_order("market_with_range", 1, "buy", "0.01", "500", "20")

    assert order_body(mocked)["order"] == {
        "order_type": "market_with_range",
        "product_id": 1,
        "side": "buy",
        "quantity": "0.01",
        "price": "500",
        "price_range": "20",
    }


@pytest.mark.parametrize("order_type", ["limit_post_only", "stop"])
def test_create_order_priced_new_types_send_price(client, mocked, order_type):
    post_orders(mocked)

    client.create_order(order_type, 1, "buy", "0.01", "480")

    assert order_body(mocked)["order"] == {
        "order_type": order_type,
        "product_id": 1,
        "side": "buy",
        "quantity": "0.01",
        "price": "480",
    }


def test_create_order_trailing_stop(client, mocked):
    post_orders(mocked)

    client.create_order(
        "trailing_stop",
        1,
        "sell",
        "0.01",
        trailing_stop_type="percentage",
        trailing_stop_value="1.5",
    )

    assert order_body(mocked)["order"] == {
        "order_type": "trailing_stop",
        "product_id": 1,
        "side": "sell",
        "quantity": "0.01",
        "trailing_stop_type": "percentage",
        "trailing_stop_value": "1.5",
    }


def test_create_order_every_option(client, mocked):
    post_orders(mocked)

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

    assert order_body(mocked) == {
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
    post_orders(mocked)

    client.create_order(OrderType.LIMIT, 1, Side.SELL, "1", "2")

    body = order_body(mocked)
    assert body["order"]["order_type"] == "limit"
    assert body["order"]["side"] == "sell"
    assert '"order_type":"limit"' in sent(mocked).raw_body


# ------------------------------------------------------------------- limit / market helpers


@pytest.mark.parametrize(
    ("method", "side"), [("create_limit_buy", "buy"), ("create_limit_sell", "sell")]
)
def test_create_limit_helpers(client, mocked, method, side):
    post_orders(mocked)

    result = getattr(client, method)(1, "0.01", "500")

    assert result == ORDER
    assert order_body(mocked) == {
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
    post_orders(mocked)

    getattr(client, method)(1, "0.01", "500", client_order_id="abc-1")

    assert order_body(mocked)["order"] == {
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
    post_orders(mocked)

    result = getattr(client, method)(1, "0.01")

    assert result == ORDER
    assert order_body(mocked) == {
        "order": {"order_type": "market", "product_id": 1, "side": side, "quantity": "0.01"}
    }


@pytest.mark.parametrize(
    ("method", "side"), [("create_market_buy", "buy"), ("create_market_sell", "sell")]
)
def test_create_market_helpers_with_price_range_send_market_with_range(
    client, mocked, method, side
):
    post_orders(mocked)

    getattr(client, method)(1, "0.01", "50")  # 0.1.4: positional price_range

    assert order_body(mocked) == {
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
    post_orders(mocked)

    result = client.create_margin_order("limit", 1, "buy", "0.01", "500", 10, None, "USD", "netout")

    assert result == ORDER
    assert order_body(mocked) == {
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
    post_orders(mocked)

    client.create_margin_order("limit", 1, "sell", "0.01", "500")

    assert order_body(mocked) == {
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
    post_orders(mocked)

    client.create_margin_order(
        client.ORDER_TYPE_LIMIT,
        1,
        client.SIDE_BUY,
        "0.01",
        "500",
        leverage_level=client.LEVERAGE_LEVEL_25,
        order_direction=client.MARGIN_ORDER_DIRECTION_NET,
    )

    assert order_body(mocked)["order"] == {
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
    post_orders(mocked)

    client.create_margin_order(market, 1, "buy", "0.01", price, 4)

    assert order_body(mocked) == {
        "order": {
            "order_type": "market",
            "product_id": 1,
            "side": "buy",
            "quantity": "0.01",
            "leverage_level": 4,
        }
    }


def test_create_margin_order_market_with_range(client, mocked):
    post_orders(mocked)

    client.create_margin_order(
        "market_with_range", 1, "sell", "0.01", None, 5, "30", "JPY", "two_direction"
    )

    assert order_body(mocked)["order"] == {
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
    post_orders(mocked)

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

    assert order_body(mocked)["order"] == {
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
