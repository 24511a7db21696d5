"""Nothing a websocket client sends breaks the sandbox's Liquid Tap server or slows the exchange.

Hostile frames, oversized frames, hundreds of connections, readers that never
read, hostile handshakes, and the realtime faults. Waiting is always for an
event (a frame, a close, a count reaching a value), never a sleep.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import requests
from _tap import WAIT, Tap, tap, wait_for
from websockets.asyncio.client import connect as async_connect
from websockets.exceptions import ConnectionClosed, ConnectionClosedError, InvalidStatus
from websockets.sync.client import ClientConnection, connect

from quoine.sandbox import Sandbox

BUY = "price_ladders_cash_btcusd_buy"


def still_serves(t: Tap) -> None:
    """The connection still answers, in order: a ping gets its pong next."""
    t.send("pusher:ping", "")
    assert t.recv() == {"data": {}, "event": "pusher:pong"}


HOSTILE = [
    "not json",
    "",
    "[1, 2, 3]",
    "42",
    "null",
    '"pusher:ping"',
    "{}",
    '{"event": 5}',
    '{"event": null, "data": {}}',
    '{"data": {"channel": "x"}}',
    "[" * 100_00 + "]" * 100_00,  # deeper than the JSON decoder's recursion limit
    '{"event": "pusher:ping", "data": "' + "[" * 5000 + '"}',
    '{"event": "unknown:event", "data": {}}',
    '{"event": "client-message", "channel": "x", "data": {}}',
    '{"event": "pusher:subscribe", "data": 5}',
    '{"event": "pusher:subscribe", "data": "not json"}',
    '{"event": "pusher:subscribe", "data": {"channel": 7}}',
    '{"event": "pusher:subscribe", "data": {"channel": ""}}',
    '{"event": "pusher:subscribe", "data": {"channel": "' + "x" * 5000 + '"}}',
    '{"event": "pusher:subscribe", "data": {"channel": ["a"]}}',
    '{"event": "pusher:unsubscribe", "data": {"channel": {"a": 1}}}',
    '{"event": "pusher:unsubscribe", "data": {"channel": "never-subscribed"}}',
    '{"event": "pusher:pong", "data": ""}',
    '{"event": "quoine:auth_request", "data": {}}',
    '{"event": "quoine:auth_request", "data": {"headers": "x"}}',
    '{"event": "quoine:auth_request", "data": {"headers": {"X-Quoine-Auth": 12}}}',
    '{"event": "quoine:auth_request", "data": {"headers": {"X-Quoine-Auth": "'
    + "a" * 9000
    + '"}}}',
    '{"event": "quoine:auth_request", "data": {"headers": {"x-quoine-auth": "a.b.c"}}}',
    '{"event": "\\ud800", "data": "\\udfff"}',
    "\u00e9\u2603\U0001f600",
]


def test_hostile_frames_are_answered_and_the_connection_lives_on(sandbox):
    with tap(sandbox) as t:
        for text in HOSTILE:
            t.ws.send(text)
        t.ws.send(b"\x00\xff binary")
        replies = []
        t.send("pusher:subscribe", {"channel": "marker"})
        while True:
            msg = t.recv()
            if msg.get("channel") == "marker":
                break
            replies.append(msg)
        events = [m["event"] for m in replies]
        assert events.count("pusher:pong") == 1  # the ping with a string of brackets as data
        assert set(events) == {"pusher:error", "quoine:auth_failure", "pusher:pong"}
        for msg in replies:
            if msg["event"] == "pusher:error":
                assert "code" not in msg["data"] or "channel" in msg  # never a channel-less 40xx
                assert isinstance(msg["data"]["message"], str)
        assert events.count("quoine:auth_failure") == 5
        still_serves(t)
    with tap(sandbox) as again:  # and the server too
        still_serves(again)


def test_a_token_with_a_deeply_nested_payload_is_an_auth_failure(sandbox):
    """The shared JWT decoder refuses it: an auth failure here, a 401 on REST (not a 500)."""
    import base64

    def part(raw: bytes) -> str:
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    nested = part(b'{"alg":"HS256"}') + "." + part(b"[" * 3000 + b"]" * 3000) + ".sig"
    with tap(sandbox) as t:
        assert t.auth(nested)["event"] == "quoine:auth_failure"
        still_serves(t)
    headers = {"X-Quoine-Auth": nested}
    resp = requests.get(sandbox.url + "/accounts/balance", headers=headers, timeout=WAIT)
    assert resp.status_code == 401


def test_an_oversized_frame_closes_only_that_connection(sandbox):
    with tap(sandbox) as good, tap(sandbox) as bad:
        bad.ws.send('{"event": "pusher:ping", "data": "' + "x" * (70 * 1024) + '"}')
        with pytest.raises(ConnectionClosed) as info:
            bad.recv()
        assert info.value.rcvd is not None and info.value.rcvd.code == 1009  # message too big
        still_serves(good)
    assert sandbox.tap.max_frame == 64 * 1024


def test_hundreds_of_connections_all_get_the_ladder(sandbox, api):
    url = sandbox.tap_url
    count = 300

    async def run() -> list[Any]:
        async def join() -> Any:
            ws = await async_connect(url, open_timeout=WAIT)
            await ws.recv()  # connection_established
            await ws.send(json.dumps({"event": "pusher:subscribe", "data": {"channel": BUY}}))
            await ws.recv()  # subscription_succeeded
            return ws

        conns = list(await asyncio.gather(*(join() for _ in range(count))))
        try:
            assert sandbox.tap.connections == count
            with sandbox.exchange.lock:
                best = sandbox.exchange.products[1].book.best(True)
            price = str(best + 1)
            await asyncio.to_thread(
                api.order,
                order_type="limit",
                product_id=1,
                side="buy",
                quantity="0.01",
                price=price,
            )
            return [json.loads(json.loads(await ws.recv())["data"])[0] for ws in conns]
        finally:
            await asyncio.gather(*(ws.close() for ws in conns))

    tops = asyncio.run(asyncio.wait_for(run(), 60))
    assert len(tops) == count and len({tuple(t) for t in tops}) == 1
    assert tops[0][1] == "0.01000000"
    wait_for(lambda: sandbox.tap.connections == 0, "the server to forget closed connections")


def test_connections_beyond_the_limit_are_refused_with_503(sandbox):
    sandbox.tap.max_connections = 2
    with tap(sandbox), tap(sandbox):
        with pytest.raises(InvalidStatus) as info:
            connect(sandbox.tap_url, open_timeout=WAIT)
        assert info.value.response.status_code == 503
    with tap(sandbox) as t:  # room again
        still_serves(t)


def busy_products(sandbox: Sandbox) -> list[Any]:
    return [p for p in sandbox.exchange.products.values() if not (p.disabled or p.perpetual)]


@contextmanager
def stuck_reader(sandbox: Sandbox) -> Iterator[ClientConnection]:
    """A connection subscribed to every churned channel that never reads again."""
    url = sandbox.tap_url
    host, port = url.split("//")[1].split("/")[0].split(":")
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.connect((host, int(port)))
    with connect(url, sock=sock, max_queue=1, open_timeout=WAIT) as ws:
        ws.recv(timeout=WAIT)
        for p in busy_products(sandbox):
            code = p.code.lower()
            for channel in (f"price_ladders_cash_{code}_buy", f"product_cash_{code}_{p.id}"):
                ws.send(json.dumps({"event": "pusher:subscribe", "data": {"channel": channel}}))
        try:
            yield ws
        finally:
            ws.close_socket()


def churn(sandbox: Sandbox, until: Any, limit: int = 20_000) -> int:
    """Move the top bid of every product up and down until ``until()``; the number of moves.

    Each move is one ladder and one product message per product (the feed takes
    each change in before the next).
    """
    ex = sandbox.exchange
    products = busy_products(sandbox)
    with ex.lock:
        bests = {p.id: p.book.best(True) for p in products}
    for i in range(limit):
        if until():
            return i
        with ex.lock:
            orders = [
                ex.place_order(
                    ex.demo,
                    {
                        "order_type": "limit",
                        "product_id": p.id,
                        "side": "buy",
                        "quantity": "0.1",
                        "price": str(bests[p.id] + p.tick),  # inside every spread
                    },
                )
                for p in products
            ]
        assert sandbox.tap.wait_fed()
        with ex.lock:
            for order in orders:
                ex.cancel_order(order)
        assert sandbox.tap.wait_fed()
    raise AssertionError("never happened")


def test_a_reader_that_never_reads_is_dropped_and_others_keep_up(sandbox):
    assert sandbox.tap.queue_size == 1000  # plenty for a reader that reads
    last: dict[str, Any] = {}
    done = threading.Event()

    with tap(sandbox) as good:
        good.subscribe(BUY)

        def read() -> None:
            while not done.is_set():
                try:
                    msg = good.recv(timeout=0.5)
                except TimeoutError:
                    continue
                except ConnectionClosed:
                    return
                if msg.get("channel") == BUY:
                    last["ladder"] = json.loads(msg["data"])

        reader = threading.Thread(target=read)
        reader.start()
        try:
            with stuck_reader(sandbox):
                wait_for(lambda: sandbox.tap.connections == 2, "both connections")
                changes = churn(sandbox, lambda: sandbox.tap.connections == 1)
            assert changes > 0
            # the exchange kept matching: a last, distinct change reaches the good reader
            with sandbox.exchange.lock:
                best = sandbox.exchange.products[1].book.best(True)
            assert best is not None
            fields = {"order_type": "limit", "product_id": 1, "side": "buy", "quantity": "0.07"}
            price = best + 8  # inside the spread, above the churned price
            sandbox.exchange.place_order(sandbox.exchange.demo, {**fields, "price": str(price)})
            top = f"{price:.5f}"
            wait_for(lambda: last.get("ladder", [[None]])[0][0] == top, "the last ladder")
            assert last["ladder"][0][1] == "0.07000000"
        finally:
            done.set()
            reader.join(timeout=WAIT)


def test_a_ping_flood_without_reading_ends_in_a_drop_not_memory(sandbox):
    sandbox.tap.queue_size = 10
    with stuck_reader(sandbox) as ws, pytest.raises(ConnectionClosed):
        for _ in range(200_000):
            ws.send('{"event":"pusher:ping","data":""}')
    wait_for(lambda: sandbox.tap.connections == 0, "the drop")
    with tap(sandbox) as t:
        still_serves(t)


def test_hostile_handshakes_do_not_hurt_the_server(sandbox):
    url = sandbox.tap_url
    http = url.replace("ws://", "http://")
    resp = requests.get(http, timeout=WAIT)  # a plain GET, no upgrade
    assert resp.status_code == 426
    host, port = url.split("//")[1].split("/")[0].split(":")
    for garbage in (b"\x16\x03\x01\x02\x00garbage", b"GET / HTTP/1.1\r\n\r\n", b"\r\n\r\n"):
        with socket.create_connection((host, int(port)), timeout=WAIT) as sock:
            sock.sendall(garbage)
            sock.shutdown(socket.SHUT_WR)
            while sock.recv(4096):
                pass
    with tap(sandbox) as t:
        still_serves(t)


def test_idle_connections_are_closed_with_4202(sandbox):
    sandbox.tap.idle_timeout = 0.2
    with tap(sandbox) as t:
        error = t.recv()
        assert error == {
            "data": {"code": 4202, "message": "Closed after inactivity"},
            "event": "pusher:error",
        }
        with pytest.raises(ConnectionClosed) as info:
            t.recv()
        assert info.value.rcvd is not None and info.value.rcvd.code == 4202


def test_drop_connections_cuts_everyone(sandbox):
    with tap(sandbox) as a, tap(sandbox) as b:
        wait_for(lambda: sandbox.tap.connections == 2, "two connections")
        sandbox.tap.drop_connections()
        for t in (a, b):
            with pytest.raises(ConnectionClosedError) as info:
                t.recv()
            assert info.value.rcvd is None  # dropped: no close frame
    wait_for(lambda: sandbox.tap.connections == 0, "the server to forget them")


# --- realtime faults -----------------------------------------------------------------


def test_fault_tap_drop_on_the_next_ping(sandbox):
    rule = sandbox.faults.add("tap_drop", path="pusher:ping")
    with tap(sandbox) as t:
        t.subscribe(BUY)  # not a ping: untouched
        t.send("pusher:ping", "")
        with pytest.raises(ConnectionClosedError) as info:
            t.recv()
        assert info.value.rcvd is None
    assert rule.fired == 1 and sandbox.faults.log == [("tap_drop", "WS", "pusher:ping")]
    with tap(sandbox) as t:
        still_serves(t)  # times=1: spent


def test_fault_tap_drop_when_a_ladder_is_delivered(sandbox, api):
    sandbox.faults.add("tap_drop", path="price_ladders_cash_*")
    with tap(sandbox) as t:
        t.subscribe(BUY)
        with sandbox.exchange.lock:
            best = sandbox.exchange.products[1].book.best(True)
        api.order(
            order_type="limit", product_id=1, side="buy", quantity="0.01", price=str(best + 1)
        )
        with pytest.raises(ConnectionClosedError):
            t.recv()
    assert sandbox.faults.log == [("tap_drop", "WS", BUY)]


def test_fault_tap_no_pong_skips_pongs_only(sandbox):
    sandbox.faults.add("tap_no_pong", times=2)
    with tap(sandbox) as t:
        t.send("pusher:ping", "")
        t.send("pusher:ping", {})
        t.send("pusher:subscribe", {"channel": BUY})
        assert t.recv()["event"] == "pusher_internal:subscription_succeeded"  # no pong before it
        still_serves(t)  # the third ping is answered


def test_fault_tap_error_sends_4200_and_closes(sandbox):
    sandbox.faults.add("tap_error")
    with tap(sandbox) as t:
        t.send("pusher:subscribe", {"channel": BUY})
        assert t.recv() == {
            "data": {"code": 4200, "message": "Generic reconnect immediately"},
            "event": "pusher:error",
        }
        with pytest.raises(ConnectionClosed) as info:
            t.recv()
        assert info.value.rcvd is not None and info.value.rcvd.code == 4200


def test_fault_tap_error_with_another_code(sandbox):
    sandbox.faults.add("tap_error", status=4100, path="pusher:ping")
    with tap(sandbox) as t:
        t.send("pusher:ping", "")
        assert t.recv()["data"]["code"] == 4100


def test_rest_and_realtime_faults_stay_apart(sandbox):
    sandbox.faults.add("error_5xx", times=None)  # every HTTP request, listed first
    sandbox.faults.add("tap_drop", times=None)  # every websocket frame
    with tap(sandbox) as t:
        t.send("pusher:ping", "")
        with pytest.raises(ConnectionClosedError):  # the frame got the tap fault
            t.recv()
    assert requests.get(sandbox.url + "/products/1", timeout=WAIT).status_code == 502
    assert [kind for kind, _, _ in sandbox.faults.log] == ["tap_drop", "error_5xx"]
    sandbox.faults.clear()
    sandbox.faults.add("error_5xx", times=None)
    with tap(sandbox) as t:
        still_serves(t)  # an HTTP fault never fires on a frame
    sandbox.faults.clear()
    sandbox.faults.add("tap_drop", times=None)
    assert requests.get(sandbox.url + "/products/1", timeout=WAIT).status_code == 200
    with pytest.raises(ValueError):
        sandbox.faults.add("no_such_kind")
    with pytest.raises(ValueError):
        sandbox.faults.add_random(0.5, kinds=("tap_drop",))


def test_a_frame_flood_is_closed_with_4301(sandbox):
    sandbox.tap.max_rate = 5
    with tap(sandbox) as t:
        sent = 0
        with contextlib.suppress(ConnectionClosed):  # the server may close mid-burst
            for _ in range(40):
                t.send("pusher:ping", "")
                sent += 1
        assert sent > 5
        pongs = 0
        while (msg := t.recv())["event"] == "pusher:pong":
            pongs += 1
        assert 5 <= pongs < 40  # a burst of one second's allowance, then no more
        assert msg == {
            "data": {"code": 4301, "message": "Too many frames; slow down"},
            "event": "pusher:error",
        }
        with pytest.raises(ConnectionClosed) as info:
            t.recv()
        assert info.value.rcvd is not None and info.value.rcvd.code == 4301
    sandbox.tap.max_rate = 200.0
    with tap(sandbox) as t:
        still_serves(t)
