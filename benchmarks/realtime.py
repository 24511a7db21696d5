"""Liquid Tap: ladder throughput and order-to-event latency, python-quoine against ``liquidtap``.

Part of ``python -m benchmarks``; run alone:
``python -m benchmarks.realtime [--messages 20000] [--orders 200]``

Throughput: a loopback server (its own process) sends the same stream of
40-level ladder messages, as fast as it can, to one client at a time; each
client runs in its own process pinned to one core, receives every message,
decodes it and applies it to an order book (python-quoine: ``LiquidTap`` +
``OrderBook``, events read by the caller's thread; ``liquidtap`` 1.0.3: its
callback parses the string and applies it to the same ``OrderBook`` code).
Reported: messages per second applied and CPU microseconds per message (user +
system time of the client process over the messages).

Latency: both clients subscribe to the sandbox's ladders in the same process;
a limit order inside the spread is placed (and then cancelled) over REST, and
the time from just before the REST call to the ladder showing the change
arriving at each client is recorded: p50 and p99 over all orders and cancels.
"""

from __future__ import annotations

import argparse
import json
import logging
import multiprocessing
import os
import statistics
import threading
import time
from decimal import Decimal
from typing import Any

BUY = "price_ladders_cash_btcusd_buy"
VARIANTS = 100  # distinct ladder messages in the stream, cycled


def _ladders() -> list[str]:
    """Frames of 40-level bid ladders in the service's format (5 and 8 decimals)."""
    frames = []
    for variant in range(VARIANTS):
        levels = [
            [f"{30000 - variant - 5 * i:.5f}", f"{0.01 * (1 + (i + variant) % 9):.8f}"]
            for i in range(40)
        ]
        data = json.dumps(levels, separators=(",", ":"))
        frames.append(json.dumps({"channel": BUY, "data": data, "event": "updated"}))
    return frames


def _serve(port_out: Any, messages: int) -> None:
    """A minimal Liquid Tap server: on a ladder subscribe, blast ``messages`` frames."""
    from websockets.exceptions import ConnectionClosed
    from websockets.sync.server import serve

    frames = _ladders()

    def handle(ws: Any) -> None:
        established = json.dumps({"activity_timeout": 120, "socket_id": "1.1"})
        ws.send(json.dumps({"data": established, "event": "pusher:connection_established"}))
        try:
            for text in ws:
                frame = json.loads(text)
                if frame.get("event") == "pusher:ping":
                    ws.send('{"data":{},"event":"pusher:pong"}')
                elif frame.get("event") == "pusher:subscribe":
                    channel = frame["data"]["channel"]
                    ack = "pusher_internal:subscription_succeeded"
                    ws.send(json.dumps({"channel": channel, "data": {}, "event": ack}))
                    for i in range(messages):
                        ws.send(frames[i % VARIANTS])
        except ConnectionClosed:
            pass

    with serve(handle, "127.0.0.1", 0, compression=None, ping_interval=None) as server:
        port_out.put(server.socket.getsockname()[1])
        server.serve_forever()


def _pin() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})


def _cpu() -> float:
    times = os.times()
    return times.user + times.system


def _ours(port: int, messages: int) -> dict[str, Any]:
    from quoine.realtime import Event, LiquidTap, OrderBook

    book = OrderBook("1", "btcusd")
    with LiquidTap(url=f"ws://127.0.0.1:{port}/app/LiquidTapClient") as tap:
        tap.add_handler(BUY, lambda e: book.apply(BUY, e.data))
        cpu, wall = _cpu(), time.perf_counter()
        tap.subscribe(BUY, wait=False)
        received = 0
        for event in tap.events(timeout=10):
            if isinstance(event, Event):
                received += 1
                if received == messages:
                    break
        cpu, wall = _cpu() - cpu, time.perf_counter() - wall
    return {"received": received, "applied": book.snapshot().updates, "cpu": cpu, "wall": wall}


def _liquidtap(port: int, messages: int) -> dict[str, Any]:
    import liquidtap

    from quoine.realtime import OrderBook
    from quoine.realtime._events import decode_ladder

    book = OrderBook("1", "btcusd")
    done = threading.Event()
    count = [0]

    def on_ladder(data: str) -> None:
        ladder = decode_ladder(json.loads(data))
        if ladder is not None:
            book.apply(BUY, ladder)
        count[0] += 1
        if count[0] == messages:
            done.set()

    tap = liquidtap.Client(
        secure=False, port=port, custom_host="127.0.0.1", log_level=logging.WARNING
    )
    started = threading.Event()
    clock: dict[str, float] = {}

    def on_connect(_: Any) -> None:
        clock["cpu"], clock["wall"] = _cpu(), time.perf_counter()
        tap.pusher.subscribe(BUY).bind("updated", on_ladder)
        started.set()

    tap.pusher.connection.bind("pusher:connection_established", on_connect)
    tap.pusher.connect()
    started.wait(10)
    done.wait(120)
    cpu, wall = _cpu() - clock["cpu"], time.perf_counter() - clock["wall"]
    tap.pusher.disconnect(timeout=3)
    return {"received": count[0], "applied": book.snapshot().updates, "cpu": cpu, "wall": wall}


def _client(name: str, port: int, messages: int, out: Any) -> None:
    _pin()
    out.put((_ours if name == "python-quoine" else _liquidtap)(port, messages))


def throughput(messages: int = 20_000) -> dict[str, Any]:
    """Ladder messages per second received and applied, and CPU per message, per client."""
    context = multiprocessing.get_context("spawn")
    ports = context.Queue()
    server = context.Process(target=_serve, args=(ports, messages), daemon=True)
    server.start()
    try:
        port = ports.get(timeout=30)
        results = {}
        for name in ("python-quoine", "liquidtap"):
            out = context.Queue()
            client = context.Process(target=_client, args=(name, port, messages, out))
            client.start()
            result = out.get(timeout=300)
            client.join(30)
            result["messages_per_second"] = round(result["received"] / result["wall"])
            result["cpu_us_per_message"] = round(result["cpu"] / result["received"] * 1e6, 1)
            results[name] = result
    finally:
        server.terminate()
        server.join(10)
    return results


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def latency(orders: int = 200) -> dict[str, Any]:
    """Order-to-ladder-event latency on loopback (ms), both clients on the same stream."""

    from benchmarks._common import make_client
    from quoine.realtime import Event, LiquidTap
    from quoine.sandbox import Sandbox

    arrivals: dict[str, dict[Decimal, float]] = {"python-quoine": {}, "liquidtap": {}}
    with (
        Sandbox(rate_limit=None) as sandbox,
        make_client(sandbox.url, sandbox.token_id, sandbox.secret) as client,
    ):
        url = sandbox.tap_url
        assert url is not None
        tap = LiquidTap(url=url)
        tap.subscribe(BUY)

        def read_ours() -> None:
            for event in tap.events():
                if isinstance(event, Event) and event.channel == BUY and event.data:
                    arrivals["python-quoine"].setdefault(event.data[0][0], time.perf_counter())

        reader = threading.Thread(target=read_ours, daemon=True)
        reader.start()
        theirs = _liquidtap_on(url, arrivals["liquidtap"])
        book = client.get_order_book(1)
        best_bid = Decimal(str(book["buy_price_levels"][0][0]))
        samples: dict[str, list[float]] = {"python-quoine": [], "liquidtap": []}
        for i in range(orders):
            price = best_bid + Decimal(1) + Decimal(i % 10) / 100
            for action in ("place", "cancel"):
                top = price if action == "place" else best_bid
                for seen in arrivals.values():
                    seen.pop(top, None)
                sent = time.perf_counter()
                if action == "place":
                    order = client.create_limit_buy(1, "0.01", str(price))
                else:
                    client.cancel_order(order["id"])
                deadline = time.perf_counter() + 5
                while not all(top in seen for seen in arrivals.values()):
                    if time.perf_counter() > deadline:
                        raise RuntimeError(f"no ladder with best bid {top} within 5 s")
                    time.sleep(0.0002)
                for name, seen in arrivals.items():
                    samples[name].append((seen[top] - sent) * 1000)
        tap.close()
        theirs.pusher.disconnect(timeout=3)
    return {
        name: {
            "events": len(values),
            "p50_ms": round(statistics.median(values), 2),
            "p99_ms": round(_percentile(values, 0.99), 2),
        }
        for name, values in samples.items()
    }


def _liquidtap_on(url: str, seen: dict[Decimal, float]) -> Any:
    import liquidtap

    port = int(url.split(":")[2].split("/")[0])
    tap = liquidtap.Client(
        secure=False, port=port, custom_host="127.0.0.1", log_level=logging.WARNING
    )
    ready = threading.Event()

    def on_ladder(data: str) -> None:
        levels = json.loads(data)
        if levels:
            seen.setdefault(Decimal(levels[0][0]), time.perf_counter())

    def on_connect(_: Any) -> None:
        tap.pusher.subscribe(BUY).bind("updated", on_ladder)
        ready.set()

    tap.pusher.connection.bind("pusher:connection_established", on_connect)
    tap.pusher.connect()
    if not ready.wait(10):
        raise RuntimeError("liquidtap did not connect")
    time.sleep(0.3)  # its subscribe is sent after on_connect returns
    return tap


def measure(messages: int = 20_000, orders: int = 200) -> dict[str, Any]:
    """Both parts; figures per client."""
    return {"throughput": throughput(messages), "latency": latency(orders)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--messages", type=int, default=20_000)
    parser.add_argument("--orders", type=int, default=200)
    args = parser.parse_args()
    print(json.dumps(measure(args.messages, args.orders), indent=2))


if __name__ == "__main__":
    main()
