"""The realtime feed on its own (no sockets): what a poll announces, and how it renders it."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest

from quoine.sandbox import Exchange
from quoine.sandbox.tap_feed import MAX_EXECUTIONS, Feed, _fixed

D = Decimal
LIMIT = {"order_type": "limit", "product_id": 1, "quantity": "0.01"}
# The order fields the orders channel carried (liquid-tap.md section 8).
STREAM_ORDER_FIELDS = {
    "id", "order_type", "quantity", "disc_quantity", "iceberg_total_quantity", "side",
    "filled_quantity", "price", "created_at", "updated_at", "status", "leverage_level",
    "source_exchange", "product_id", "product_code", "funding_currency", "crypto_account_id",
    "currency_pair_code", "average_price", "target", "order_fee", "source_action",
    "unwound_trade_id", "trade_id", "margin_used", "margin_interest",
    "unwound_trade_leverage_level", "client_order_id", "margin_type", "stop_loss",
    "take_profit", "trading_type",
}  # fmt: skip


def frames(batch_part: list[Any]) -> list[tuple[str, str, Any]]:
    """(channel, event, decoded data) of public ``(channel, frame)`` pairs."""
    out = []
    for item in batch_part:
        channel, text = item[-2], item[-1]
        msg = json.loads(text)
        assert msg["channel"] == channel and isinstance(msg["data"], str)
        out.append((channel, msg["event"], json.loads(msg["data"])))
    return out


@pytest.fixture
def ex() -> Exchange:
    return Exchange(seed=3)


def test_nothing_before_the_feed_and_nothing_without_a_change(ex):
    ex.place_order(ex.demo, {**LIMIT, "side": "buy", "price": "29000"})
    feed = Feed(ex)
    assert feed.poll() == ([], [])


def test_ladders_only_for_tracked_sides_and_levels_are_summed(ex):
    feed = Feed(ex)
    best = ex.products[1].book.best(True)
    price = str(best + 1)
    ex.place_order(ex.demo, {**LIMIT, "side": "buy", "price": price})
    assert [c for c, _, _ in frames(feed.poll().public)] == ["product_cash_btcusd_1"]
    feed.track(feed.ladder_keys("price_ladders_cash_btcusd_buy"))
    ex.place_order(ex.demo, {**LIMIT, "side": "buy", "price": price, "quantity": "0.02"})
    (channel, event, ladder), *rest = frames(feed.poll().public)
    assert (channel, event) == ("price_ladders_cash_btcusd_buy", "updated")
    assert ladder[0] == [f"{best + 1:.5f}", "0.03000000"]  # two orders, one level
    assert rest == []  # the best price did not change: no product update
    feed.untrack(((1, True),))
    ex.place_order(ex.demo, {**LIMIT, "side": "buy", "price": price})
    assert frames(feed.poll().public) == []


def test_a_bulk_seed_announces_only_its_last_executions(ex):
    feed = Feed(ex)
    ex.seed_executions(1, MAX_EXECUTIONS + 500)
    public = frames(feed.poll().public)
    created = [data for channel, _, data in public if channel == "executions_cash_btcusd"]
    assert len(created) == MAX_EXECUTIONS
    assert created[-1]["id"] == ex.products[1].executions[-1].id
    details = [data for channel, _, data in public if channel == "execution_details_cash_btcusd"]
    assert details[-1]["buy_order_id"] is None  # synthetic: no orders behind it


def test_watch_follows_a_users_orders_fills_and_trades(ex):
    feed = Feed(ex)
    feed.watch(ex.demo)
    feed.watch(ex.demo)  # counted
    order = ex.place_order(
        ex.demo,
        {
            "order_type": "market",
            "product_id": 1,
            "side": "buy",
            "quantity": "0.1",
            "leverage_level": 2,
            "funding_currency": "USD",
        },
    )
    got = frames(feed.poll().private)
    channels = [c for c, _, _ in got]
    assert channels[0] == "user_account_usd_orders"
    assert "user_executions_cash_btcusd" in channels
    assert channels[-1] == "user_account_usd_trades"
    trade = ex.trades[order.trade_ids[-1]]
    ex.close_trade(trade)
    closed = [d for c, _, d in frames(feed.poll().private) if c == "user_account_usd_trades"]
    assert closed[-1]["status"] == "closed" and closed[-1]["id"] == trade.id
    feed.unwatch(ex.demo.id)
    ex.place_order(ex.demo, {**LIMIT, "side": "buy", "price": "29000"})
    assert frames(feed.poll().private)  # one watcher left
    feed.unwatch(ex.demo.id)
    ex.place_order(ex.demo, {**LIMIT, "side": "buy", "price": "29000"})
    assert feed.poll().private == []


def test_the_orders_channel_has_numbers_and_a_string_product_id(ex):
    feed = Feed(ex)
    feed.watch(ex.demo)
    ex.place_order(ex.demo, {**LIMIT, "side": "buy", "price": "29000.5"})
    [(_, channel, text)] = feed.poll().private
    assert channel == "user_account_usd_orders"
    order = json.loads(json.loads(text)["data"], parse_float=Decimal)
    assert order["price"] == D("29000.5") and order["quantity"] == D("0.01")  # numbers, exact
    assert order["filled_quantity"] == 0 and order["product_id"] == "1"
    assert order["source_exchange"] == "QUOINE" and order["margin_used"] == 0
    assert set(order) >= STREAM_ORDER_FIELDS
    assert '"price":29000.5,' in json.loads(text)["data"]


def test_decimal_rendering_is_exact():
    assert _fixed(D("29000"), 5) == "29000.00000"
    assert _fixed(D("0.0666"), 5) == "0.06660"
    assert _fixed(D("0.123456789"), 8) == "0.123456789"  # never rounded
    assert _fixed(D("0.12345678900"), 8) == "0.123456789"
    assert _fixed(D("29986.00000000"), 5) == "29986.00000"  # as entered, trailing zeros
    assert _fixed(D("3E+3"), 5) == "3000.00000"


def test_a_tiny_fill_is_a_plain_decimal_string(ex):
    feed = Feed(ex)
    feed.watch(ex.demo)
    ex.currencies["BTC"].min_order = D("0.00000001")
    best_ask = ex.products[1].book.best(False)
    ex.place_order(
        ex.demo, {**LIMIT, "side": "buy", "quantity": "0.00000001", "price": str(best_ask)}
    )
    fills = [d for c, _, d in frames(feed.poll().private) if c == "user_executions_cash_btcusd"]
    assert fills[0]["quantity"] == "0.00000001"  # never "1E-8"


def test_the_two_sided_ladder_channel(ex):
    feed = Feed(ex)
    keys = feed.ladder_keys("price_ladders_cash_btcusd")
    assert keys == ((1, True), (1, False), (1, None))
    assert feed.ladder_keys("executions_cash_btcusd") == ()
    feed.track(keys)
    best_ask = ex.products[1].book.best(False)
    ex.place_order(ex.demo, {**LIMIT, "side": "sell", "price": str(best_ask - 1)})
    got = {c: d for c, _, d in frames(feed.poll().public)}
    both = got["price_ladders_cash_btcusd"]
    assert set(both) == {"bids", "asks", "timestamp"}
    assert both["asks"][0] == [f"{best_ask - 1:.5f}", "0.01000000"]
    assert both["asks"] == got["price_ladders_cash_btcusd_sell"]
    assert both["bids"][0][0] == f"{ex.products[1].book.best(True):.5f}"
    assert float(both["timestamp"]) == pytest.approx(ex.now(), abs=60)
