"""``quoine watch`` against the sandbox: book, trades and orders, as JSON lines and tables."""

from __future__ import annotations

import json
import sys
import threading
from collections.abc import Iterator
from decimal import Decimal

import pytest

from quoine.cli import main
from quoine.client import Quoinex
from quoine.sandbox import Sandbox


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with Sandbox(rate_limit=None, seed=7) as sb:
        yield sb


@pytest.fixture
def env(sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch) -> Sandbox:
    monkeypatch.setenv("QUOINE_API_TOKEN_ID", sandbox.token_id)
    monkeypatch.setenv("QUOINE_API_SECRET", sandbox.secret)
    monkeypatch.setenv("QUOINE_API_URL", sandbox.url)
    assert sandbox.tap_url is not None
    monkeypatch.setenv("QUOINE_TAP_URL", sandbox.tap_url)
    return sandbox


@pytest.fixture
def market(env: Sandbox) -> Iterator[None]:
    """Keeps moving the BTCUSD book and trading on it until the test ends."""
    stop = threading.Event()
    client = Quoinex(env.token_id, env.secret, api_url=env.url, rate_limit=None)

    def trade() -> None:
        while not stop.wait(0.02):
            order = client.create_limit_buy(1, "0.01", "29990")
            client.cancel_order(order["id"])
            client.create_market_buy(1, "0.001")

    thread = threading.Thread(target=trade)
    thread.start()
    yield
    stop.set()
    thread.join()
    client.close()


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    assert "eyJ" not in out + err and "Traceback" not in out + err
    return status, out, err


def test_watch_book_as_json_lines(capsys: pytest.CaptureFixture[str], market: None) -> None:
    status, out, err = run(capsys, "watch", "book", "BTCUSD", "--levels", "3", "--count", "2")
    assert (status, err) == (0, "")
    lines = [json.loads(line) for line in out.splitlines()]
    assert len(lines) == 3  # the book as loaded, then two updates
    for line in lines:
        assert line["product_id"] == "1"
        assert len(line["bids"]) == 3 and len(line["asks"]) == 3
        bids = [Decimal(p) for p, _ in line["bids"]]
        assert bids == sorted(bids, reverse=True) and Decimal(line["asks"][0][0]) > bids[0]


def test_watch_book_as_a_table_redraws_in_place(
    capsys: pytest.CaptureFixture[str], market: None
) -> None:
    status, out, _ = run(capsys, "watch", "book", "1", "--format", "table", "--count", "1")
    assert status == 0
    screens = out.split("\x1b[H\x1b[2J")[1:]
    assert len(screens) == 2
    assert screens[0].startswith("BTCUSD (product 1)")
    assert "  ask " in screens[1] and "  bid " in screens[1]


def test_watch_trades(capsys: pytest.CaptureFixture[str], market: None) -> None:
    status, out, _ = run(capsys, "watch", "trades", "btcusd", "--count", "2")
    assert status == 0
    trades = [json.loads(line) for line in out.splitlines()]
    assert len(trades) == 2 and all(t["taker_side"] == "buy" for t in trades)
    status, out, _ = run(capsys, "watch", "trades", "1", "--count", "1", "--format", "table")
    header, row = out.splitlines()
    assert header.split() == ["id", "created_at", "taker_side", "price", "quantity"]
    assert row.split()[2] == "buy"


def test_watch_my_orders(capsys: pytest.CaptureFixture[str], market: None) -> None:
    status, out, _ = run(capsys, "watch", "orders", "--currency", "USD", "--count", "3")
    assert status == 0
    orders = [json.loads(line) for line in out.splitlines()]
    assert len(orders) == 3
    assert {o["status"] for o in orders} <= {"live", "cancelled", "filled"}
    assert all(o["currency_pair_code"] == "BTCUSD" for o in orders)


def test_watch_duration_ends_quietly(capsys: pytest.CaptureFixture[str], env: Sandbox) -> None:
    status, out, _ = run(capsys, "watch", "book", "ETHUSD", "--duration", "0.01")
    assert status == 0 and json.loads(out.splitlines()[0])["product_id"] == "27"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["watch", "book"], "watch book needs a product id or pair code"),
        (["watch", "trades", "NOPE"], "no product with the pair code 'NOPE'"),
        (["watch", "tv"], "invalid choice: 'tv'"),
        (["watch", "book", "1", "--levels", "0"], "must be a positive integer, got '0'"),
        (["watch", "book", "1", "--duration", "soon"], "must be a positive number of seconds"),
    ],
)
def test_watch_usage_errors(
    capsys: pytest.CaptureFixture[str], env: Sandbox, argv: list[str], message: str
) -> None:
    status, _, err = run(capsys, *argv)
    assert status == 2 and message in err


def test_watch_without_the_extra_says_how_to_install(
    capsys: pytest.CaptureFixture[str], env: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "websockets", None)
    monkeypatch.delitem(sys.modules, "quoine.realtime")
    status, _, err = run(capsys, "watch", "book", "1")
    assert status == 2 and "pip install 'python-quoine[realtime]'" in err


def test_watch_with_a_refused_login_exits_1(
    capsys: pytest.CaptureFixture[str], env: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QUOINE_API_SECRET", "w" * 40)
    status, _, err = run(capsys, "watch", "book", "1")
    assert status == 1 and "refused the login" in err and "w" * 40 not in err
