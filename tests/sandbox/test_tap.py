"""The sandbox's Liquid Tap server: protocol, channels and payloads."""

from __future__ import annotations

import json
import logging
import re
import threading
from decimal import Decimal

import pytest
from _tap import forged_token, tap, wait_for

from quoine.sandbox import Sandbox

D = Decimal
BUY = "price_ladders_cash_btcusd_buy"
SELL = "price_ladders_cash_btcusd_sell"


def top_bid(sandbox: Sandbox, pid: int = 1) -> Decimal:
    with sandbox.exchange.lock:
        best = sandbox.exchange.products[pid].book.best(True)
    assert best is not None
    return best


def book_levels(sandbox: Sandbox, buy: bool, pid: int = 1) -> list[list[Decimal]]:
    with sandbox.exchange.lock:
        depth = sandbox.exchange.products[pid].book.depth(buy, 40)
    return [[D(str(p)), D(str(q))] for p, q in depth]


def test_tap_url_and_connection_established(sandbox):
    assert re.fullmatch(r"ws://127\.0\.0\.1:\d+/app/LiquidTapClient", sandbox.tap_url)
    assert sandbox.tap_url == sandbox.tap_url  # started once
    with tap(sandbox) as t:
        assert t.established["event"] == "pusher:connection_established"
        assert set(t.established) == {"data", "event"}
        data = json.loads(t.established["data"])  # a JSON document in a string
        assert data["activity_timeout"] == 120
        assert re.fullmatch(r"\d+\.\d+", data["socket_id"])


def test_any_path_and_query_is_accepted(sandbox):
    url = sandbox.tap_url.replace("/app/LiquidTapClient", "/app/PythonClient?client=Pysher&v=6")
    from websockets.sync.client import connect

    with connect(url) as ws:
        assert json.loads(ws.recv(timeout=10))["event"] == "pusher:connection_established"


@pytest.mark.parametrize("data", ["", {}, "{}"])
def test_ping_is_answered_with_pong_whatever_data_form(sandbox, data):
    with tap(sandbox) as t:
        t.send("pusher:ping", data)
        assert t.recv() == {"data": {}, "event": "pusher:pong"}


def test_subscribe_is_idempotent_and_accepts_every_form(sandbox):
    with tap(sandbox) as t:
        ok = {"channel": BUY, "data": {}, "event": "pusher_internal:subscription_succeeded"}
        t.send("pusher:subscribe", {"channel": BUY})
        assert t.recv() == ok
        t.send("pusher:subscribe", {"channel": BUY})  # again: success again
        assert t.recv() == ok
        t.send("pusher:subscribe", json.dumps({"channel": BUY}))  # data as a JSON string
        assert t.recv() == ok
        t.send("pusher:subscribe", {"channel": BUY}, channel=BUY)  # the JS client's form
        assert t.recv() == ok
        t.send("pusher:subscribe", {}, channel=SELL)  # only the top-level channel
        assert t.recv()["channel"] == SELL
        t.send("pusher:subscribe", {"channel": "no_such_channel"})  # accepted silently
        assert t.recv()["event"] == "pusher_internal:subscription_succeeded"
        assert sandbox.tap.connections == 1


def test_ladder_update_after_an_order_changes_the_top(sandbox, api):
    with tap(sandbox) as t:
        t.subscribe(BUY)
        price = top_bid(sandbox) + 1
        api.order(order_type="limit", product_id=1, side="buy", quantity="0.01", price=str(price))
        ladder = t.event(BUY, "updated")
        assert ladder[0] == [f"{price:.5f}", "0.01000000"]
        assert [[D(p), D(q)] for p, q in ladder] == book_levels(sandbox, True)
        for p, q in ladder:
            assert re.fullmatch(r"\d+\.\d{5}", p) and re.fullmatch(r"\d+\.\d{8}", q)
        prices = [D(p) for p, _ in ladder]
        assert prices == sorted(prices, reverse=True)  # best (highest) bid first


def test_ladder_is_the_top_40_and_changes_below_it_are_silent(sandbox, api):
    book = sandbox.exchange.products[1].book
    with sandbox.exchange.lock:
        worst = book.prices[True][0]
        levels = book.level_count(True)
    for i in range(1, 45 - levels):  # below the book: 44 bid levels in all
        api.order(
            order_type="limit", product_id=1, side="buy", quantity="0.01", price=str(worst - i)
        )
    with tap(sandbox) as t:
        t.subscribe(BUY)
        deep = worst - 100  # below the 40th level: no ladder message
        api.order(order_type="limit", product_id=1, side="buy", quantity="0.02", price=str(deep))
        top = top_bid(sandbox) + 1
        api.order(order_type="limit", product_id=1, side="buy", quantity="0.03", price=str(top))
        ladder = t.event(BUY, "updated")  # the first message is the top change
        assert len(ladder) == 40
        assert ladder[0] == [f"{top:.5f}", "0.03000000"]
        assert [[D(p), D(q)] for p, q in ladder] == book_levels(sandbox, True)


def test_sell_ladder_is_ascending(sandbox, api):
    with tap(sandbox) as t:
        t.subscribe(SELL)
        with sandbox.exchange.lock:
            best_ask = sandbox.exchange.products[1].book.best(False)
        assert best_ask is not None
        price = best_ask - 1
        api.order(order_type="limit", product_id=1, side="sell", quantity="0.01", price=str(price))
        ladder = t.event(SELL, "updated")
        assert ladder[0] == [f"{price:.5f}", "0.01000000"]
        prices = [D(p) for p, _ in ladder]
        assert prices == sorted(prices)
        assert [[D(p), D(q)] for p, q in ladder] == book_levels(sandbox, False)


def test_execution_event_per_trade_and_product_update(sandbox, api):
    with tap(sandbox) as t:
        t.subscribe("executions_cash_btcusd")
        t.subscribe("execution_details_cash_btcusd")
        t.subscribe("product_cash_btcusd_1")
        order = api.order(order_type="market", product_id=1, side="buy", quantity="0.01")
        fills = api.get(f"/orders/{order['id']}?with_details=1")["executions"]
        assert fills
        for fill in fills:
            exe = t.event("executions_cash_btcusd", "created")
            assert exe["id"] == fill["id"]
            assert D(str(exe["price"])) == D(fill["price"])
            assert D(str(exe["quantity"])) == D(fill["quantity"])
            assert isinstance(exe["price"], float)  # JSON numbers, as the service sent by 2020
            assert exe["taker_side"] == "buy"
            assert exe["created_at"] == fill["created_at"]
        details = t.event("execution_details_cash_btcusd", "created")
        assert details["buy_order_id"] == order["id"]
        assert isinstance(details["sell_order_id"], int)
        product = t.event("product_cash_btcusd_1", "updated")
        assert product["id"] == "1" and product["currency_pair_code"] == "BTCUSD"
        assert D(product["last_traded_price"]) == D(fills[-1]["price"])
        assert product["pusher_channel"] == "product_cash_btcusd_1"


def test_unsubscribe_stops_delivery_without_a_reply(sandbox, api):
    with tap(sandbox) as t:
        t.subscribe(BUY)
        t.subscribe(SELL)
        t.send("pusher:unsubscribe", {"channel": BUY})
        api.order(
            order_type="limit",
            product_id=1,
            side="buy",
            quantity="0.01",
            price=str(top_bid(sandbox) + 1),
        )
        with sandbox.exchange.lock:
            ask = sandbox.exchange.products[1].book.best(False)
        assert ask is not None
        api.order(
            order_type="limit", product_id=1, side="sell", quantity="0.01", price=str(ask - 1)
        )
        assert sandbox.tap.wait_fed()  # its events are now ahead of the ping
        t.send("pusher:ping")
        got = [t.recv() for _ in range(2)]  # the sell ladder, then the pong: no buy ladder
        assert [m.get("channel") for m in got] == [SELL, None]
        assert got[1]["event"] == "pusher:pong"


def test_authenticated_connection_gets_its_orders_executions_and_trades(sandbox, api, other):
    with tap(sandbox) as t:
        assert t.auth(api.token("/realtime")) == {"data": {}, "event": "quoine:auth_success"}
        for channel in (
            "user_account_usd_orders",
            "user_executions_cash_btcusd",
            "user_account_usd_trades",
        ):
            assert t.subscribe(channel)["event"] == "pusher_internal:subscription_succeeded"
        price = top_bid(sandbox) + 1
        placed = api.order(
            order_type="limit", product_id=1, side="buy", quantity="0.02", price=str(price)
        )
        update = t.event("user_account_usd_orders", "updated")
        assert update["id"] == placed["id"] and update["status"] == "live"
        assert update["quantity"] == 0.02 and update["price"] == float(price)
        assert update["product_id"] == "1" and update["funding_currency"] == "USD"
        assert update["currency_pair_code"] == "BTCUSD" and update["side"] == "buy"
        # another user's sell fills it partly: the update and the user's execution
        other.order(order_type="market", product_id=1, side="sell", quantity="0.01")
        update = t.event("user_account_usd_orders", "updated")
        assert update["id"] == placed["id"] and update["filled_quantity"] == 0.01
        assert update["status"] == "partially_filled"
        mine = t.event("user_executions_cash_btcusd", "created")
        assert mine["order_id"] == placed["id"] and mine["my_side"] == "buy"
        assert mine["taker_side"] == "sell" and D(mine["quantity"]) == D("0.01")
        assert D(mine["price"]) == price
        # a margin order opens a trade
        api.order(
            order_type="market",
            product_id=1,
            side="buy",
            quantity="0.1",
            leverage_level=4,
            funding_currency="USD",
            order_direction="netout",
        )
        trade = t.event("user_account_usd_trades", "updated")
        assert trade["status"] == "open" and trade["side"] == "long"
        assert trade["open_quantity"] == "0.1" and trade["leverage_level"] == 4


def test_other_users_orders_are_not_delivered(sandbox, api, other):
    with tap(sandbox) as t:
        assert t.auth(api.token("/realtime"))["event"] == "quoine:auth_success"
        t.subscribe("user_account_usd_orders")
        low = top_bid(sandbox) - 1000
        other.order(order_type="limit", product_id=1, side="buy", quantity="0.01", price=str(low))
        mine = api.order(
            order_type="limit", product_id=1, side="buy", quantity="0.01", price=str(low)
        )
        assert t.event("user_account_usd_orders")["id"] == mine["id"]  # not the other's


def test_private_subscribe_before_auth_is_refused_with_the_channel(sandbox, api):
    with tap(sandbox) as t:
        t.send("pusher:subscribe", {"channel": "user_account_usd_orders"})
        refusal = t.recv()
        assert refusal["event"] == "pusher:error"
        assert refusal["channel"] == "user_account_usd_orders"  # never a channel-less 40xx
        assert refusal["data"]["code"] == 4009
        low = top_bid(sandbox) - 1000
        api.order(order_type="limit", product_id=1, side="buy", quantity="0.01", price=str(low))
        t.send("pusher:ping")
        assert t.recv()["event"] == "pusher:pong"  # nothing was delivered


def test_auth_can_be_repeated_and_can_switch_user(sandbox, api, other):
    with tap(sandbox) as t:
        assert t.auth(api.token("/realtime"))["event"] == "quoine:auth_success"
        assert t.auth(api.token("/realtime"))["event"] == "quoine:auth_success"
        assert t.auth(other.token("/realtime"))["event"] == "quoine:auth_success"
        t.subscribe("user_account_usd_orders")
        low = str(top_bid(sandbox) - 1000)
        api.order(order_type="limit", product_id=1, side="buy", quantity="0.01", price=low)
        theirs = other.order(
            order_type="limit", product_id=1, side="buy", quantity="0.01", price=low
        )
        assert t.event("user_account_usd_orders")["id"] == theirs["id"]


@pytest.mark.parametrize(
    "case",
    ["wrong secret", "unknown token", "wrong path", "expired", "no nonce", "not a jwt", "alg none"],
)
def test_bad_tokens_are_answered_auth_failure(sandbox, api, case):
    nonce = next(api._nonce)
    tid, secret = sandbox.token_id, sandbox.secret
    tokens = {
        "wrong secret": forged_token(tid, "not-the-secret-" + "x" * 20, nonce=nonce),
        "unknown token": forged_token("nobody", secret, nonce=nonce),
        "wrong path": forged_token(tid, secret, nonce=nonce, path="/orders"),
        "expired": forged_token(tid, secret, nonce=nonce, exp=1),
        "no nonce": forged_token(tid, secret),
        "not a jwt": "not.a.jwt",
        "alg none": "eyJhbGciOiJub25lIn0.eyJwYXRoIjoiL3JlYWx0aW1lIn0.",
    }
    with tap(sandbox) as t:
        failure = t.auth(tokens[case])
        assert failure["event"] == "quoine:auth_failure" and "channel" not in failure
        assert isinstance(failure["data"]["message"], str)
        assert sandbox.secret not in json.dumps(failure)
        t.send("pusher:subscribe", {"channel": "user_account_usd_orders"})
        assert t.recv()["event"] == "pusher:error"  # still not authenticated
        assert t.auth(api.token("/realtime"))["event"] == "quoine:auth_success"  # may retry


def test_replayed_token_and_stale_nonce_fail(sandbox, api):
    token = api.token("/realtime")
    with tap(sandbox) as t:
        assert t.auth(token)["event"] == "quoine:auth_success"
        replay = t.auth(token)
        assert replay == {"data": {"message": "nonce is too small"}, "event": "quoine:auth_failure"}
    api.get("/accounts/balance")  # REST and realtime share the token's nonce sequence
    stale = forged_token(
        sandbox.token_id, sandbox.secret, nonce=sandbox.exchange.demo.last_nonce - 1
    )
    with tap(sandbox) as t:
        assert t.auth(stale)["event"] == "quoine:auth_failure"


def test_lenient_nonce_sandbox_accepts_a_repeated_token():
    """liquidtap re-sends its first token after a reconnect; strict_nonce=False lets it in."""
    with Sandbox(rate_limit=None, strict_nonce=False) as sb:
        token = forged_token(sb.token_id, sb.secret, nonce=10**12)
        with tap(sb) as t:
            assert t.auth(token)["event"] == "quoine:auth_success"
        with tap(sb) as t:
            assert t.auth(token)["event"] == "quoine:auth_success"


def test_tap_url_is_none_without_websockets(sandbox, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "quoine.sandbox.tap", None)
    assert sandbox.tap is None and sandbox.tap_url is None


def test_tap_needs_a_running_sandbox():
    with pytest.raises(RuntimeError):
        _ = Sandbox().tap_url


def test_stop_closes_connections_and_threads():

    before = {t.name for t in threading.enumerate()}
    sb = Sandbox(rate_limit=None).start()
    with tap(sb) as t:
        t.subscribe(BUY)
        sb.stop()
        with pytest.raises(Exception) as info:
            t.recv()
        assert "ConnectionClosed" in type(info.value).__name__
    names = {t.name for t in threading.enumerate()} - before
    assert not any(name.startswith("quoine-tap") for name in names)


def test_a_ladder_side_is_compared_while_anyone_subscribes(sandbox, api):
    feed = sandbox.tap.feed
    with tap(sandbox) as a, tap(sandbox) as b:
        a.subscribe(BUY)
        b.subscribe(BUY)
        b.subscribe(BUY)  # a repeated subscribe counts once
        assert feed._tracked == {(1, True): 2}
        b.send("pusher:unsubscribe", {"channel": BUY})
        price = top_bid(sandbox) + 1
        api.order(order_type="limit", product_id=1, side="buy", quantity="0.01", price=str(price))
        assert a.event(BUY, "updated")[0][0] == f"{price:.5f}"  # a still gets it
        assert sandbox.tap.wait_fed()
        assert feed._tracked == {(1, True): 1}
    wait_for(lambda: sandbox.tap.connections == 0, "both connections to end")
    ex = sandbox.exchange  # a change: the next poll applies the releases
    ex.place_order(
        ex.demo,
        {
            "order_type": "limit",
            "product_id": 1,
            "side": "buy",
            "quantity": "0.01",
            "price": str(top_bid(sandbox) - 1000),
        },
    )
    assert sandbox.tap.wait_fed()
    assert feed._tracked == {} and feed._ladders == {}


def test_the_token_is_never_logged(sandbox, api, caplog):
    caplog.set_level(logging.DEBUG)
    token = api.token("/realtime")
    with tap(sandbox) as t:
        assert t.auth(token)["event"] == "quoine:auth_success"
        assert t.auth("x" + token)["event"] == "quoine:auth_failure"
    server_side = [r for r in caplog.records if r.name.startswith("quoine")]
    assert server_side  # the server did log (at INFO) ...
    signature = token.rsplit(".", 1)[1]
    for record in server_side:  # ... but no part of the token
        assert signature[-12:] not in record.getMessage()
        assert token[:20] not in record.getMessage()


def test_too_many_channels_are_refused_per_channel(sandbox):
    sandbox.tap.max_channels = 2
    with tap(sandbox) as t:
        t.subscribe("a")
        t.subscribe("b")
        t.subscribe("b")  # already there: fine
        refusal = t.subscribe("c")
        assert refusal["event"] == "pusher:error" and refusal["channel"] == "c"
        t.send("pusher:unsubscribe", {"channel": "a"})
        assert t.subscribe("c")["event"] == "pusher_internal:subscription_succeeded"


def test_a_non_numeric_exp_is_an_invalid_token(sandbox, api):
    token = forged_token(sandbox.token_id, sandbox.secret, nonce=next(api._nonce), exp="soon")
    with tap(sandbox) as t:
        assert t.auth(token)["data"] == {"message": "invalid token"}
    future = forged_token(
        sandbox.token_id, sandbox.secret, nonce=next(api._nonce), exp=sandbox.exchange.now() + 60
    )
    with tap(sandbox) as t:
        assert t.auth(future)["event"] == "quoine:auth_success"


def test_tap_server_lifecycle_and_a_busy_port(sandbox):
    from quoine.sandbox.tap import TapServer

    server = TapServer(sandbox.app)
    with pytest.raises(RuntimeError):
        _ = server.url
    server.stop()  # not started: nothing to do
    busy = int(sandbox.tap_url.split(":")[2].split("/")[0])
    with pytest.raises(OSError):
        TapServer(sandbox.app, port=busy).start()
    assert server.start() is server.start()  # starting twice is one server
    try:
        assert server.url != sandbox.tap_url
    finally:
        server.stop()
        server.stop()


def test_the_two_sided_ladder_channel_over_the_wire(sandbox, api):
    with tap(sandbox) as t:
        t.subscribe("price_ladders_cash_btcusd")
        price = top_bid(sandbox) + 1
        api.order(order_type="limit", product_id=1, side="buy", quantity="0.01", price=str(price))
        both = t.event("price_ladders_cash_btcusd", "updated")
        assert both["bids"][0] == [f"{price:.5f}", "0.01000000"]
        assert [[D(p), D(q)] for p, q in both["asks"]] == book_levels(sandbox, False)


def test_a_change_while_a_subscription_is_confirmed_follows_the_confirmation(sandbox, monkeypatch):
    server = sandbox.tap
    track = server.feed.track
    ex = sandbox.exchange
    price = top_bid(sandbox) + 1

    def track_then_change(keys):  # the book changes between the snapshot and the reply
        track(keys)
        fields = {"order_type": "limit", "product_id": 1, "side": "buy", "quantity": "0.01"}
        ex.place_order(ex.demo, {**fields, "price": str(price)})
        assert server.wait_fed()  # its ladder is on the loop before the confirmation

    monkeypatch.setattr(server.feed, "track", track_then_change)
    with tap(sandbox) as t:
        assert t.subscribe(BUY)["event"] == "pusher_internal:subscription_succeeded"
        assert t.event(BUY, "updated")[0] == [f"{price:.5f}", "0.01000000"]


def test_a_price_entered_with_trailing_zeros_keeps_five_decimals(sandbox, api):
    with tap(sandbox) as t:
        t.subscribe(BUY)
        price = top_bid(sandbox) + 1
        entered = f"{price:.8f}"  # e.g. "29986.00000000"
        api.order(order_type="limit", product_id=1, side="buy", quantity="0.0100", price=entered)
        assert t.event(BUY, "updated")[0] == [f"{price:.5f}", "0.01000000"]
