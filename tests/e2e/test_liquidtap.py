"""The official Liquid Tap client, ``liquidtap`` 1.0.3, runs unchanged against the sandbox.

It runs in a subprocess whose ``PYTHONPATH`` is a directory it was installed
into (``pip install --target``, with ``websocket-client``). CI provides the
directory through ``QUOINE_LIQUIDTAP_DIR`` (see ``.ci/run``) and the test must
run there; elsewhere it is installed once into the pytest cache, and the test
skips when that is impossible (no network).

The script is driven over its stdin/stdout: it prints one JSON line per
callback it gets, the test places orders over REST when both subscriptions
are confirmed, then tells the script to disconnect (liquidtap reconnects
after any server close, so it must leave first).
"""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("websockets")

from quoine.client import Quoinex
from quoine.sandbox import Sandbox

LIQUIDTAP = ("liquidtap==1.0.3", "websocket-client==1.9.2")
WAIT = 30.0


@pytest.fixture(scope="session")
def liquidtap_dir(request: pytest.FixtureRequest, tmp_path_factory: Any) -> Path:
    given = os.environ.get("QUOINE_LIQUIDTAP_DIR")
    if given:
        path = Path(given)
        if not (path / "liquidtap" / "client.py").is_file():
            pytest.fail(f"$QUOINE_LIQUIDTAP_DIR={given} has no liquidtap/client.py")
        return path
    if os.environ.get("CI"):
        pytest.fail("CI must set QUOINE_LIQUIDTAP_DIR (see .ci/run)")
    cache = getattr(request.config, "cache", None)
    path = Path(cache.mkdir("liquidtap-1.0.3")) if cache else tmp_path_factory.mktemp("lt")
    if not (path / "liquidtap" / "client.py").is_file():
        command = [sys.executable, "-m", "pip", "install", "-q", "--target", str(path), *LIQUIDTAP]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=180)
        except subprocess.TimeoutExpired:
            pytest.skip("pip install liquidtap timed out (no network?)")
        if done.returncode != 0:
            pytest.skip(f"cannot pip install liquidtap: {done.stderr.strip()[-300:]}")
    return path


SCRIPT = """
import json, logging, sys, threading
import liquidtap

port, token_id, secret = int(sys.argv[1]), sys.argv[2], sys.argv[3]
lock = threading.Lock()

def say(kind, channel, data):
    with lock:
        print(json.dumps({"kind": kind, "channel": channel, "data": data}), flush=True)

tap = liquidtap.Client(tokenId=token_id, tokenSecret=secret, secure=False, port=port,
                       custom_host="127.0.0.1", log_level=logging.CRITICAL)

def bind(channel):
    channel.bind("pusher_internal:subscription_succeeded",
                 lambda data: say("subscribed", channel.name, data))
    channel.bind("updated", lambda data: say("updated", channel.name, data))

def on_connect(data):
    say("connected", None, data)
    bind(tap.pusher.subscribe("price_ladders_cash_btcusd_buy"))

tap.pusher.connection.bind("pusher:connection_established", on_connect)
tap.pusher.connection.bind("quoine:auth_success", lambda data: say("auth", None, data))
tap.pusher.connection.bind("quoine:auth_failure", lambda data: say("auth_failure", None, data))
bind(tap.subscribe("user_account_usd_orders"))  # sent after quoine:auth_success
tap.pusher.connect()
sys.stdin.readline()  # the test says when to leave
tap.pusher.disconnect(timeout=5)
say("bye", None, None)
"""


class Script:
    """The liquidtap subprocess and the JSON lines it prints."""

    def __init__(self, site: Path, sandbox: Sandbox, tmp_path: Path) -> None:
        url = sandbox.tap_url
        assert url is not None
        port = url.split(":")[2].split("/")[0]
        env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
        env.update(PYTHONPATH=str(site), PYTHONWARNINGS="ignore", NO_PROXY="*", no_proxy="*")
        self.proc = subprocess.Popen(
            [sys.executable, "-c", textwrap.dedent(SCRIPT), port, sandbox.token_id, sandbox.secret],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=tmp_path,
            env=env,
        )
        self.lines: queue.Queue[dict[str, Any]] = queue.Queue()
        self.skipped: list[dict[str, Any]] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(json.loads(line))

    def next(self, kind: str, channel: str | None = None) -> Any:
        """The data of the next line of this kind and channel (others are kept for later)."""
        for i, line in enumerate(self.skipped):
            if line["kind"] == kind and line["channel"] == channel:
                del self.skipped[i]
                return line["data"]
        while True:
            try:
                line = self.lines.get(timeout=WAIT)
            except queue.Empty:
                raise AssertionError(f"liquidtap said no {kind} {channel}") from None
            if line["kind"] == kind and line["channel"] == channel:
                return line["data"]
            self.skipped.append(line)

    def finish(self) -> None:
        assert self.proc.stdin is not None
        try:
            self.proc.stdin.write("bye\n")
            self.proc.stdin.flush()
            self.next("bye")
            assert self.proc.wait(timeout=WAIT) == 0
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
            _, err = self.proc.communicate(timeout=10)
            assert "Traceback" not in err, err[-3000:]


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    with Sandbox(rate_limit=None, seed=11) as sb:
        yield sb


def test_liquidtap_gets_ladders_and_its_own_orders(liquidtap_dir, sandbox, tmp_path):
    script = Script(liquidtap_dir, sandbox, tmp_path)
    try:
        established = json.loads(script.next("connected"))  # raw string, as liquidtap hands it
        assert established["activity_timeout"] == 120
        script.next("auth")
        script.next("subscribed", "price_ladders_cash_btcusd_buy")
        script.next("subscribed", "user_account_usd_orders")

        client = Quoinex(sandbox.token_id, sandbox.secret, api_url=sandbox.url)
        bid = Decimal(client.get_order_book(1)["buy_price_levels"][0][0])
        price = bid + 1
        order = client.create_limit_buy(1, "0.01", str(price))

        ladder = json.loads(script.next("updated", "price_ladders_cash_btcusd_buy"))
        assert ladder[0] == [f"{price:.5f}", "0.01000000"]
        update = json.loads(script.next("updated", "user_account_usd_orders"))
        assert update["id"] == order["id"] and update["status"] == "live"

        client.cancel_order(order["id"])
        update = json.loads(script.next("updated", "user_account_usd_orders"))
        assert update["id"] == order["id"] and update["status"] == "cancelled"
        ladder = json.loads(script.next("updated", "price_ladders_cash_btcusd_buy"))
        assert Decimal(ladder[0][0]) == bid
    finally:
        script.finish()
    assert sandbox.tap is not None


@pytest.mark.parametrize("strict_nonce", [False, True])
def test_liquidtap_reconnects_after_pusher_error_4200(liquidtap_dir, tmp_path, strict_nonce):
    """After 4200 liquidtap reconnects at once and re-sends its first token.

    The sandbox takes an equal nonce only with ``strict_nonce=False``; a strict
    one refuses the replayed token, as a nonce-checking server would.
    """
    orders = "user_account_usd_orders"
    buy = "price_ladders_cash_btcusd_buy"
    with Sandbox(rate_limit=None, seed=11, strict_nonce=strict_nonce) as sb:
        script = Script(liquidtap_dir, sb, tmp_path)
        try:
            script.next("connected")
            script.next("auth")
            script.next("subscribed", orders)
            rule = sb.faults.add("tap_error", path=buy)  # the next ladder: pusher:error 4200
            ex = sb.exchange
            best = ex.products[1].book.best(True)
            assert best is not None
            fields = {"order_type": "limit", "product_id": 1, "side": "buy", "quantity": "0.01"}
            ex.place_order(ex.demo, {**fields, "price": str(best + 1)})
            script.next("connected")  # a new connection
            assert rule.fired == 1
            script.skipped.clear()  # what the first connection said
            if strict_nonce:
                failure = script.next("auth_failure")
                assert failure == {"message": "nonce is too small"}
                return
            script.next("auth")
            script.next("subscribed", orders)
            order = ex.place_order(ex.demo, {**fields, "price": str(best + 2)})
            ladder = json.loads(script.next("updated", buy))
            assert ladder[0] == [f"{best + 2:.5f}", "0.01000000"]
            update = json.loads(script.next("updated", orders))
            assert update["id"] == order.id and update["status"] == "live"
        finally:
            script.finish()
