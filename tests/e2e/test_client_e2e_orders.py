"""Orders, executions and fees over real HTTP, checked against the sandbox's state."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest

from quoine.exceptions import QuoineAPIException, QuoineOrderNotFound

TAKER = Decimal("0.003")
Q8 = Decimal("0.00000001")


def fee_of(quantity: Decimal, price: Decimal) -> Decimal:
    return (quantity * price * TAKER).quantize(Q8, rounding="ROUND_DOWN")


def fills(client, order_id):
    models = client.get_order_executions(order_id, limit=1000)["models"]
    return [(Decimal(e["quantity"]), Decimal(e["price"])) for e in models]


def best(client, product_id):
    book = client.get_order_book(product_id)
    return Decimal(book["buy_price_levels"][0][0]), Decimal(book["sell_price_levels"][0][0])


def test_market_buy_moves_balances_by_the_fills_and_the_fee(trader):
    c = trader.client
    before = trader.balances("USD", "BTC")
    order = c.create_market_buy(1, "1.5")
    assert order["status"] == "filled"
    assert Decimal(order["filled_quantity"]) == Decimal("1.5")
    executed = fills(c, order["id"])
    assert sum(q for q, _ in executed) == Decimal("1.5")
    assert len(executed) >= 2  # 1.5 BTC walks more than one price level
    cost = sum(q * p for q, p in executed)
    fee = sum(fee_of(q, p) for q, p in executed)
    assert Decimal(order["order_fee"]) == fee
    after = trader.balances("USD", "BTC")
    assert after["BTC"] - before["BTC"] == Decimal("1.5")
    assert before["USD"] - after["USD"] == cost + fee
    assert trader.reserved("USD") == 0


def test_market_sell_credits_cost_minus_fee_and_totals_are_conserved(trader, sandbox):
    totals = sandbox.exchange.totals()
    c = trader.client
    before = trader.balances("USD", "BTC")
    order = c.create_market_sell(1, "0.2")
    executed = fills(c, order["id"])
    cost = sum(q * p for q, p in executed)
    fee = sum(fee_of(q, p) for q, p in executed)
    after = trader.balances("USD", "BTC")
    assert before["BTC"] - after["BTC"] == Decimal("0.2")
    assert after["USD"] - before["USD"] == cost - fee
    assert sandbox.exchange.totals() == totals


def test_market_with_range_and_create_order(trader):
    c = trader.client
    _, ask = best(c, 1)
    order = c.create_market_buy(1, "0.01", price_range="500")
    assert order["order_type"] == "market_with_range"
    assert order["status"] == "filled"
    sell = c.create_order("limit", 1, "sell", "0.01", price=str(ask + 5000))
    assert sell["status"] == "live"
    assert trader.reserved("BTC") == Decimal("0.01")
    c.cancel_order(sell["id"])
    assert trader.reserved("BTC") == 0


def test_limit_order_reserves_and_cancel_releases(trader):
    c = trader.client
    bid, _ = best(c, 1)
    price = bid - 1000
    order = c.create_limit_buy(1, "0.5", str(price))
    assert order["status"] == "live"
    reserve = Decimal("0.5") * price * (1 + TAKER)
    usd = {a["currency"]: a for a in c.get_accounts()["fiat_accounts"]}["USD"]
    assert Decimal(usd["reserved_balance"]) == reserve
    assert "free_balance" not in usd  # no source shows one: balance - reserved_balance
    assert trader.reserved("USD") == reserve
    details = c.get_reserved_balance_details("USD")
    assert details and Decimal(str(sum(Decimal(d["amount"]) for d in details))) == reserve

    cancelled = c.cancel_order(order["id"])
    assert cancelled["status"] == "cancelled"
    assert trader.reserved("USD") == 0
    assert trader.balance("USD") == Decimal("100000")
    with pytest.raises(QuoineOrderNotFound):
        c.cancel_order(order["id"])


def test_cancel_of_a_filled_order_is_order_not_found(trader):
    c = trader.client
    order = c.create_market_buy(1, "0.01")
    assert order["status"] == "filled"
    with pytest.raises(QuoineOrderNotFound):
        c.cancel_order(order["id"])
    with pytest.raises(QuoineOrderNotFound):
        c.get_order(987_654_321)


def test_limit_sell_that_crosses_fills_at_once(trader):
    c = trader.client
    bid, _ = best(c, 1)
    order = c.create_limit_sell(1, "0.01", str(bid - 100))
    assert order["status"] == "filled"
    fills = c.get_order(order["id"])["executions"]  # average_price is Liquid-era only
    assert fills and all(Decimal(e["price"]) >= bid - 100 for e in fills)
    assert trader.balance("BTC") == Decimal("9.99")


@pytest.mark.liquid_era
def test_client_order_id_get_edit_cancel_and_duplicate(trader):
    c = trader.client
    cid = f"e2e-{uuid.uuid4().hex[:12]}"
    bid, _ = best(c, 1)
    order = c.create_limit_buy(1, "0.1", str(bid - 2000), client_order_id=cid)
    assert order["client_order_id"] == cid
    with pytest.raises(QuoineAPIException) as caught:
        c.create_limit_buy(1, "0.1", str(bid - 2000), client_order_id=cid)
    assert caught.value.status_code == 422
    assert len(trader.orders()) == 1

    got = c.get_order_by_client_order_id(cid)
    assert got["id"] == order["id"]
    edited = c.update_live_order_by_client_order_id(cid, quantity="0.2", price=str(bid - 2500))
    assert Decimal(edited["quantity"]) == Decimal("0.2")
    assert Decimal(edited["price"]) == bid - 2500
    assert trader.reserved("USD") == Decimal("0.2") * (bid - 2500) * (1 + TAKER)

    cancelled = c.cancel_order_by_client_order_id(cid)
    assert cancelled["status"] == "cancelled"
    assert trader.reserved("USD") == 0
    with pytest.raises(QuoineOrderNotFound):
        c.cancel_order_by_client_order_id(cid)
    with pytest.raises(QuoineOrderNotFound):
        c.get_order_by_client_order_id("no-such-client-order-id")


def test_update_live_order_changes_reservation(trader):
    c = trader.client
    _, ask = best(c, 1)
    order = c.create_limit_sell(1, "0.3", str(ask + 3000))
    assert trader.reserved("BTC") == Decimal("0.3")
    edited = c.update_live_order(order["id"], quantity="0.4")
    assert Decimal(edited["quantity"]) == Decimal("0.4")
    assert trader.reserved("BTC") == Decimal("0.4")
    edited = c.update_live_order(order["id"], price=str(ask + 3100))
    assert Decimal(edited["price"]) == ask + 3100
    assert c.get_order(order["id"])["status"] == "live"
    c.cancel_order(order["id"])
    with pytest.raises(QuoineOrderNotFound):
        c.update_live_order(order["id"], quantity="0.5")


def test_cancel_all_orders_with_filters(trader):
    c = trader.client
    bid, ask = best(c, 1)
    b1 = c.create_limit_buy(1, "0.01", str(bid - 1000))
    b2 = c.create_limit_buy(1, "0.01", str(bid - 1100))
    s1 = c.create_limit_sell(1, "0.01", str(ask + 1000))
    eth_bid, _ = best(c, 27)
    e1 = c.create_limit_buy(27, "0.1", str(eth_bid - 100))
    c.cancel_all_orders(product_id=1, side="buy")
    status = {o.id: o.status for o in trader.orders()}
    assert status[b1["id"]] == status[b2["id"]] == "cancelled"
    assert status[s1["id"]] == status[e1["id"]] == "live"
    c.cancel_all_orders()
    assert {o.status for o in trader.orders()} == {"cancelled"}
    assert trader.reserved("USD") == trader.reserved("BTC") == 0


def test_limit_post_only_that_would_take_is_not_filled(trader):
    c = trader.client
    bid, ask = best(c, 1)
    taking = c.create_order("limit_post_only", 1, "buy", "0.01", price=str(ask + 10))
    assert Decimal(taking["filled_quantity"]) == 0
    assert taking["status"] == "cancelled"
    assert trader.balance("BTC") == Decimal("10")
    assert trader.reserved("USD") == 0
    resting = c.create_order("limit_post_only", 1, "buy", "0.01", price=str(bid - 500))
    assert resting["status"] == "live"
    c.cancel_order(resting["id"])


@pytest.mark.liquid_era
def test_stop_order_triggers_when_the_price_crosses(trader, sandbox):
    c = trader.client
    ex = sandbox.exchange
    with ex.lock:
        last = ex.product(37).last_price
    stop = c.create_order("stop", 37, "buy", "0.01", price=str(last + Decimal("0.0001")))
    assert stop["status"] == "live"
    assert Decimal(stop["filled_quantity"]) == 0
    # Someone lifts the offers above the stop price: the stop turns into a market buy.
    other = ex.add_user("stop-pusher", {"BTC": "100", "ETH": "1000"})
    with ex.lock:
        ex.place_order(
            other, {"order_type": "market", "side": "buy", "product_id": 37, "quantity": "200"}
        )
        now_last = ex.product(37).last_price
    assert now_last > last + Decimal("0.0001")
    got = c.get_order(stop["id"])
    assert got["status"] == "filled"
    assert got["stop_triggered_time"] is not None
    assert trader.balance("ETH") == Decimal("100.01")


@pytest.mark.liquid_era
def test_trailing_stop_follows_and_triggers(trader, sandbox):
    c = trader.client
    ex = sandbox.exchange
    order = c.create_order(
        "trailing_stop",
        27,
        "sell",
        "0.1",
        trailing_stop_type="percentage",
        trailing_stop_value="1",
    )
    assert order["status"] == "live"
    assert c.get_order(order["id"])["trailing_stop_type"] == "percentage"
    other = ex.add_user("trailing-pusher", {"USD": "100000000", "ETH": "100000"})
    for _ in range(40):  # push the price down step by step until the trailing stop fires
        with ex.lock:
            ex.place_order(
                other, {"order_type": "market", "side": "sell", "product_id": 27, "quantity": "20"}
            )
        if c.get_order(order["id"])["status"] != "live":
            break
    got = c.get_order(order["id"])
    assert got["status"] == "filled"
    assert trader.balance("ETH") == Decimal("99.9")


def test_orders_pages_iterators_and_executions(trader):
    c = trader.client
    bid, _ = best(c, 1)
    ids = [c.create_limit_buy(1, "0.001", str(bid - 1000 - i))["id"] for i in range(7)]
    market = c.create_market_buy(1, "0.002")

    page = c.get_orders(product_id=1, status="live", limit=3, page=1)
    assert [o["id"] for o in page["models"]] == ids[::-1][:3]
    assert page["total_pages"] == 3
    live = [o["id"] for o in c.iter_orders(product_id=1, status="live", limit=3)]
    assert live == ids[::-1]
    everything = [o["id"] for o in c.iter_orders(limit=2, with_details=True)]
    assert everything == [market["id"], *ids[::-1]]
    detailed = c.get_orders(with_details=True, limit=1)["models"][0]
    assert detailed["id"] == market["id"]
    assert detailed["executions"]

    mine = c.get_my_executions(1, limit=1, page=1)
    assert len(mine["models"]) == 1
    assert mine["models"][0]["my_side"] == "buy"
    all_mine = list(c.iter_my_executions(1, limit=1))
    qty = sum(Decimal(e["quantity"]) for e in all_mine)
    assert qty == Decimal("0.002")
    detailed_mine = list(c.iter_my_executions(1, with_details=True, limit=5))
    assert {e["order_id"] for e in detailed_mine} == {market["id"]}
    by_order = list(c.iter_order_executions(market["id"], limit=1))
    assert sorted(e["id"] for e in by_order) == sorted(e["id"] for e in all_mine)
    assert c.get_order_trades(market["id"]) == []
    c.cancel_all_orders(product_id=1)


def test_fees_tier_user_fees_and_estimate(trader):
    c = trader.client
    tier = c.get_fee_tier()
    assert tier["fee_tier"] == 0
    user_fees = c.get_user_fees(fee_type="trade_fee")
    assert user_fees and all(f["fee_type"] == "trade_fee" for f in user_fees)
    estimate = c.estimate_fees("create_order", product_id=1, quantity="2", price="30000")
    (option,) = estimate["fee_options"]["default"]
    assert Decimal(option["amount"]) == Decimal("2") * 30000 * TAKER
    assert option["currency"] == "USD"
    withdraw = c.estimate_fees("withdraw", currency="BTC")
    assert withdraw["fee_options"]["default"][0]["currency"] == "BTC"
