"""Matching engine, fees, reservations and order endpoints."""

from __future__ import annotations

from decimal import ROUND_DOWN, Decimal

import pytest

D = Decimal
FEE = D("0.003")


def fee(amount: Decimal) -> Decimal:
    return (amount * FEE).quantize(D("0.00000001"), rounding=ROUND_DOWN)


def balances(api):
    return {a["currency"]: D(a["balance"]) for a in api.get("/accounts/balance")}


def best(api, pid=1):
    book = api.get(f"/products/{pid}/price_levels")
    return D(book["buy_price_levels"][0][0]), D(book["sell_price_levels"][0][0])


def test_market_buy_moves_balances_exactly(api, sandbox):
    before = balances(api)
    _, ask = best(api)
    order = api.order(order_type="market", product_id=1, side="buy", quantity="0.01")
    assert order["status"] == "filled"
    assert D(order["filled_quantity"]) == D("0.01")
    assert D(order["average_price"]) == ask
    cost = D("0.01") * ask
    assert D(order["order_fee"]) == fee(cost)
    after = balances(api)
    assert after["USD"] == before["USD"] - cost - fee(cost)
    assert after["BTC"] == before["BTC"] + D("0.01")
    assert sandbox.exchange.balance(sandbox.exchange.fee_user, "USD") == fee(cost)


def test_market_sell_walks_levels(api):
    book = api.get("/products/1/price_levels")
    (p1, q1), (p2, _) = [(D(p), D(q)) for p, q in book["buy_price_levels"][:2]]
    qty = q1 + D("0.001")
    before = balances(api)
    order = api.order(order_type="market", product_id=1, side="sell", quantity=str(qty))
    assert order["status"] == "filled"
    cost = q1 * p1 + D("0.001") * p2
    assert len(api.get(f"/orders/{order['id']}")["executions"]) == 2
    after = balances(api)
    assert after["BTC"] == before["BTC"] - qty
    assert after["USD"] == before["USD"] + cost - fee(q1 * p1) - fee(D("0.001") * p2)


def test_limit_reserves_and_cancel_releases(api):
    order = api.order(order_type="limit", product_id=1, side="buy", quantity="1", price="20000")
    assert order["status"] == "live"
    accts = api.get("/accounts")
    usd = next(a for a in accts["fiat_accounts"] if a["currency"] == "USD")
    assert D(usd["reserved_balance"]) == D("20000") * (1 + FEE)
    details = api.get("/accounts/USD/reserved_balance_details")
    assert details == [{"object_type": "Order", "object_id": order["id"], "amount": "20060.0"}]
    cancelled = api.put(f"/orders/{order['id']}/cancel")
    assert cancelled["status"] == "cancelled"
    assert D(api.get("/accounts/USD")["reserved_balance"]) == 0
    again = api.request("PUT", f"/orders/{order['id']}/cancel")
    assert again.status_code == 404
    assert again.json() == {"message": "Order not found"}


def test_partial_fill_maker_taker(api, other):
    bid, ask = best(api)
    price = (bid + ask) / 2
    before_me, before_other = balances(api), balances(other)
    sell = api.order(
        order_type="limit", product_id=1, side="sell", quantity="0.2", price=str(price)
    )
    assert sell["status"] == "live"
    buy = other.order(
        order_type="limit", product_id=1, side="buy", quantity="0.05", price=str(price)
    )
    assert buy["status"] == "filled"
    mine = api.get(f"/orders/{sell['id']}")
    assert mine["status"] == "partially_filled"
    assert D(mine["filled_quantity"]) == D("0.05")
    cost = D("0.05") * price
    after_me, after_other = balances(api), balances(other)
    assert after_me["USD"] == before_me["USD"] + cost  # maker fee is 0
    assert after_me["BTC"] == before_me["BTC"] - D("0.05")
    assert after_other["USD"] == before_other["USD"] - cost - fee(cost)
    assert after_other["BTC"] == before_other["BTC"] + D("0.05")
    assert D(api.get("/accounts/BTC")["reserved_balance"]) == D("0.15")
    mine_exec = api.get("/executions/me?product_id=1&with_details=1")["models"][0]
    assert mine_exec["my_side"] == "sell" and mine_exec["taker_side"] == "buy"
    assert mine_exec["order_id"] == sell["id"]
    edit = api.request("PUT", f"/orders/{sell['id']}", {"order": {"price": str(price + 1)}})
    assert edit.status_code == 422
    assert edit.json() == {"errors": {"order": ["Can not update partially filled order"]}}


def test_price_time_priority(api, other, sandbox):
    bid, ask = best(api)
    price = str((bid + ask) / 2)
    first = api.order(order_type="limit", product_id=1, side="sell", quantity="0.1", price=price)
    second = other.order(order_type="limit", product_id=1, side="sell", quantity="0.1", price=price)
    api.order(order_type="market", product_id=1, side="buy", quantity="0.1")
    assert api.get(f"/orders/{first['id']}")["status"] == "filled"
    assert other.get(f"/orders/{second['id']}")["status"] == "live"


def test_post_only_would_take_is_cancelled(api):
    _, ask = best(api)
    order = api.order(
        order_type="limit_post_only", product_id=1, side="buy", quantity="0.1", price=str(ask)
    )
    assert order["status"] == "cancelled" and order["filled_quantity"] == "0.0"
    ok = api.order(
        order_type="limit_post_only", product_id=1, side="buy", quantity="0.1", price="20000"
    )
    assert ok["status"] == "live"


def test_market_with_range_limits_slippage(api):
    book = api.get("/products/1/price_levels")
    asks = [(D(p), D(q)) for p, q in book["sell_price_levels"]]
    qty = asks[0][1] + asks[1][1] + D("0.01")
    rng = asks[1][0] - asks[0][0]
    order = api.order(
        order_type="market_with_range",
        product_id=1,
        side="buy",
        quantity=str(qty),
        price_range=str(rng),
    )
    assert D(order["filled_quantity"]) == asks[0][1] + asks[1][1]
    assert order["status"] == "cancelled"


def test_stop_and_trailing_stop_trigger(api, other):
    _bid, ask = best(api)
    stop = api.order(
        order_type="stop", product_id=1, side="buy", quantity="0.01", price=str(ask + 1)
    )
    trail = api.order(
        order_type="trailing_stop",
        product_id=1,
        side="sell",
        quantity="0.01",
        trailing_stop_type="fiat",
        trailing_stop_value="50",
    )
    assert stop["status"] == "live" and trail["status"] == "live"
    # Push the price above the stop: buy through several ask levels.
    other.order(order_type="market", product_id=1, side="buy", quantity="3")
    done = api.get(f"/orders/{stop['id']}")
    assert done["status"] == "filled" and done["stop_triggered_time"] is not None
    assert api.get(f"/orders/{trail['id']}")["status"] == "live"
    # Now sell hard: the price falls more than 1 % from the high.
    other.order(order_type="market", product_id=1, side="sell", quantity="12")
    assert api.get(f"/orders/{trail['id']}")["status"] == "filled"


def test_edit_and_client_order_id_paths(api):
    order = api.order(
        order_type="limit",
        product_id=1,
        side="buy",
        quantity="0.1",
        price="20000",
        client_order_id="my-order-1",
    )
    got = api.get("/orders/client:my-order-1")
    assert got["id"] == order["id"] and got["client_order_id"] == "my-order-1"
    edited = api.put("/orders/client:my-order-1", {"order": {"quantity": "0.2", "price": "21000"}})
    assert edited["quantity"] == "0.2" and edited["price"] == D("21000.0")  # a number
    assert D(api.get("/accounts/USD")["reserved_balance"]) == D("4200") * (1 + FEE)
    dup = api.request(
        "POST",
        "/orders",
        {
            "order": {
                "order_type": "limit",
                "product_id": 1,
                "side": "buy",
                "quantity": "0.1",
                "price": "20000",
                "client_order_id": "my-order-1",
            }
        },
    )
    assert dup.status_code == 422
    long_id = api.request(
        "POST",
        "/orders",
        {
            "order": {
                "order_type": "limit",
                "product_id": 1,
                "side": "buy",
                "quantity": "0.1",
                "price": "20000",
                "client_order_id": "x" * 37,
            }
        },
    )
    assert long_id.status_code == 422
    cancelled = api.put("/orders/client:my-order-1/cancel")
    assert cancelled["status"] == "cancelled"


def test_cancel_all_with_filters(api):
    ids = []
    for side, price in (("buy", "20000"), ("buy", "20001"), ("sell", "40000")):
        ids.append(
            api.order(order_type="limit", product_id=1, side=side, quantity="0.1", price=price)[
                "id"
            ]
        )
    eth = api.order(order_type="limit", product_id=27, side="buy", quantity="1", price="1500")
    res = api.put("/orders/cancel_all", {"product_id": 1, "side": "buy"})
    assert sorted(m["id"] for m in res["models"]) == ids[:2]
    assert res["models"][0]["client_order_id"] is None
    assert api.get(f"/orders/{ids[2]}")["status"] == "live"
    rest = api.request("PUT", "/orders/cancel_all")  # no body, no content type
    assert rest.status_code == 200
    assert sorted(m["id"] for m in rest.json()["models"]) == sorted([ids[2], eth["id"]])


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        ({"quantity": "1000"}, {"user": ["not_enough_free_balance"]}),
        ({"quantity": "0.00001"}, {"quantity": ["less_than_order_size"]}),
        ({"quantity": "-1"}, {"quantity": ["must_be_positive"]}),
        ({"price": "0"}, {"price": ["must_be_positive"]}),
        ({"price": "1000000"}, {"order": ["price_too_high"]}),
        ({"price": "1"}, {"order": ["price_too_small"]}),
        ({"product_id": 7}, {"order": ["product_disabled"]}),
        ({"side": "hold"}, {"side": ["is_invalid"]}),
        ({"order_type": "foo"}, {"order_type": ["is_invalid"]}),
    ],
)
def test_order_validation_errors(api, fields, errors):
    body = {
        "order_type": "limit",
        "product_id": 1,
        "side": "buy",
        "quantity": "0.1",
        "price": "30000",
        **fields,
    }
    resp = api.request("POST", "/orders", {"order": body})
    assert resp.status_code == 422
    assert resp.json() == {"errors": errors}


def test_flat_body_numbers_and_string_ids(api):
    order = api.post(
        "/orders",
        {"order_type": "limit", "product_id": "1", "side": "buy", "quantity": 0.1, "price": 20000},
    )
    assert order["quantity"] == "0.1" and order["price"] == D("20000.0")
    assert api.get(f"/orders/{order['id']}")["id"] == order["id"]


def test_list_orders_filters_and_pagination(api):
    for i in range(3):
        api.order(
            order_type="limit", product_id=1, side="buy", quantity="0.1", price=str(20000 + i)
        )
    api.order(order_type="market", product_id=27, side="buy", quantity="0.1")
    page = api.get("/orders?product_id=1&status=live&limit=2")
    assert set(page) == {"models", "current_page", "total_pages"}
    assert page["current_page"] == 1 and page["total_pages"] == 2
    assert [m["price"] for m in page["models"]] == ["20002.0", "20001.0"]
    filled = api.get("/orders?status=filled&with_details=1")["models"]
    assert len(filled) == 1 and filled[0]["executions"]
    assert api.get("/orders?trading_type=margin")["models"] == []


def test_order_executions_endpoint(api):
    order = api.order(order_type="market", product_id=1, side="buy", quantity="0.01")
    execs = api.get(f"/orders/{order['id']}/executions")
    assert execs["models"][0]["order_id"] == order["id"]
    assert api.request("GET", "/orders/999999999").json() == {"message": "Order not found"}
