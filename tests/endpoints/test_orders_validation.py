"""Orders: bad input raises QuoineValidationError before anything is sent."""

from __future__ import annotations

from decimal import Decimal

import pytest
from _helpers import API, ORDER, assert_rejected, sent


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
    # 0.1.4 sent {"order": {}} (docs/migrating.rst).
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
