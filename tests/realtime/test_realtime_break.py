"""Found by trying to break quoine.realtime and ``quoine watch`` (helper realtime-break)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from decimal import Decimal

import pytest

from quoine.cli import main
from quoine.client import Quoinex
from quoine.exceptions import QuoineValidationError
from quoine.realtime import Event, LiquidTap
from quoine.realtime._events import decode_frame, decode_ladder
from quoine.sandbox import Sandbox


@pytest.fixture
def moving_bids(monkeypatch: pytest.MonkeyPatch) -> Iterator[Sandbox]:
    """A sandbox whose best bid keeps changing (a bid at 29990 placed and cancelled)."""
    with Sandbox(rate_limit=None, seed=7) as sb:
        assert sb.tap_url is not None
        for name, value in [
            ("QUOINE_API_TOKEN_ID", sb.token_id),
            ("QUOINE_API_SECRET", sb.secret),
            ("QUOINE_API_URL", sb.url),
            ("QUOINE_TAP_URL", sb.tap_url),
        ]:
            monkeypatch.setenv(name, value)
        stop = threading.Event()
        client = Quoinex(sb.token_id, sb.secret, api_url=sb.url, rate_limit=None)

        def move() -> None:
            while not stop.wait(0.02):
                client.cancel_order(client.create_limit_buy(1, "0.01", "29990")["id"])

        thread = threading.Thread(target=move)
        thread.start()
        try:
            yield sb
        finally:
            stop.set()
            thread.join()
            client.close()


def texts(levels: list[list[str]]) -> dict[Decimal, list[str]]:
    return {Decimal(price): [price, quantity] for price, quantity in levels}


def test_watch_book_prints_one_text_per_value_whether_from_rest_or_a_ladder(
    capsys: pytest.CaptureFixture[str], moving_bids: Sandbox
) -> None:
    """The REST snapshot said 29985.0 and the ladders 29985.00000: the lines flickered."""
    status = main(["watch", "book", "BTCUSD", "--levels", "5", "--count", "3"])
    out, err = capsys.readouterr()
    assert (status, err) == (0, "")
    lines = [json.loads(line) for line in out.splitlines()]
    assert len(lines) == 4  # the book as loaded (REST), then three ladder updates
    loaded = texts(lines[0]["bids"])
    for line in lines[1:]:
        for price, pair in texts(line["bids"]).items():
            if price in loaded:
                assert pair == loaded[price]
    for line in lines:
        for price, quantity in line["bids"] + line["asks"]:
            for text in (price, quantity):
                assert text == format(Decimal(text).normalize(), "f")  # no trailing zeros


def test_watch_book_table_columns_do_not_jump(
    capsys: pytest.CaptureFixture[str], moving_bids: Sandbox
) -> None:
    status = main(["watch", "book", "1", "--format", "table", "--levels", "3", "--count", "2"])
    out, _ = capsys.readouterr()
    assert status == 0
    screens = out.split("\x1b[H\x1b[2J")[1:]
    assert len(screens) == 3
    asks = [
        [line for line in screen.splitlines() if line.startswith("  ask")] for screen in screens
    ]
    assert asks[0] == asks[1] == asks[2]  # only bids move: the ask lines stay as they were
    assert all(".00000" not in screen for screen in screens)


@pytest.mark.parametrize(
    "url",
    [
        "ws://[::1",  # ValueError from urllib: it escaped LiquidTap()
        "ws://127.0.0.1:99999/app",
        "ws://host:-1/",
        "wss://host:port/",
        "wss://",
        "ws://:80/app",
    ],
)
def test_a_malformed_url_is_a_validation_error_before_connecting(url: str) -> None:
    with pytest.raises(QuoineValidationError, match="not a valid websocket URL") as raised:
        LiquidTap(url=url, token_id="1", secret="s3cret")
    assert "s3cret" not in repr(raised.value) + str(raised.value)


def test_a_book_s_or_my_orders_channel_cannot_be_unsubscribed() -> None:
    """Unsubscribing a book's ladder left the book (all books of the product) silently stale."""
    with Sandbox(rate_limit=None, seed=7) as sb:
        assert sb.tap_url is not None
        client = Quoinex(sb.token_id, sb.secret, api_url=sb.url, rate_limit=None)
        with LiquidTap(client, url=sb.tap_url, timeout=10) as tap:
            book = tap.order_book("BTCUSD")
            tap.my_orders(["USD"], [])
            tap.subscribe("executions_cash_btcusd")
            for channel in (*book.channels, "user_account_usd_orders"):
                with pytest.raises(QuoineValidationError, match=f"cannot unsubscribe {channel}"):
                    tap.unsubscribe("executions_cash_btcusd", channel)
            # nothing was sent: every channel still delivers; the book follows the top
            order = client.create_limit_buy(1, "0.5", "29999")
            channels = set()
            for event in tap.events(timeout=10):
                if isinstance(event, Event):
                    channels.add(event.channel)
                if {"price_ladders_cash_btcusd_buy", "user_account_usd_orders"} <= channels:
                    break
            assert book.best_bid() == (Decimal("29999"), Decimal("0.5"))
            tap.unsubscribe("executions_cash_btcusd")  # a plain channel still can be
            client.cancel_order(order["id"])


@pytest.mark.parametrize(
    "amount", ["1e999999999", "1E-999999999", "1" * 101, "1e1001", "NaN", "-Infinity"]
)
def test_an_amount_out_of_range_is_not_an_amount(amount: str) -> None:
    """A ladder price of 1e999999999 went into the book; printing it took a gigabyte."""
    assert decode_ladder([["100", "1"], [amount, "1"]]) is None  # not a ladder
    assert decode_ladder([["100", amount]]) is None
    event = decode_frame(
        json.dumps({"event": "updated", "channel": "c", "data": {"price": amount}})
    )
    assert event is not None and event.data == {"price": amount}  # kept as sent, not a Decimal


def test_a_json_number_out_of_range_is_a_malformed_frame() -> None:
    assert (
        decode_frame('{"event": "updated", "channel": "c", "data": {"price": 1e999999999}}') is None
    )
    assert decode_frame('{"event": "updated", "channel": "c", "data": {"price": 1e1000}}') == Event(
        "c", "updated", {"price": Decimal("1e1000")}
    )
