"""Frames decoded: JSON in a string, amounts as Decimal, nothing unreadable crashes."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from quoine.realtime import Event, decode_frame
from quoine.realtime._events import decode_ladder, scrub


def frame(channel: str | None, event: str, data: object, *, encode: bool = True) -> str:
    body: dict[str, object] = {"event": event, "data": json.dumps(data) if encode else data}
    if channel is not None:
        body["channel"] = channel
    return json.dumps(body)


def test_ladder_is_decimal_pairs_best_first() -> None:
    text = frame(
        "price_ladders_cash_btcjpy_buy",
        "updated",
        [["3512040.00000", "0.12000000"], ["3512000.0", "0.5"]],
    )
    assert decode_frame(text) == Event(
        "price_ladders_cash_btcjpy_buy",
        "updated",
        [(Decimal("3512040.00000"), Decimal("0.12000000")), (Decimal("3512000.0"), Decimal("0.5"))],
    )


def test_empty_ladder_is_an_empty_side() -> None:
    assert decode_frame(frame("price_ladders_cash_btcjpy_sell", "updated", [])).data == []


@pytest.mark.parametrize("price", [30000.5, "30000.5"])
def test_execution_amounts_are_decimal_from_numbers_or_strings(price: object) -> None:
    data = {
        "id": 412000001,
        "price": price,
        "quantity": 0.015,
        "taker_side": "buy",
        "created_at": 1633046400,
    }
    event = decode_frame(frame("executions_cash_btcjpy", "created", data))
    assert event is not None
    assert event.data == {
        "id": 412000001,
        "price": Decimal("30000.5"),
        "quantity": Decimal("0.015"),
        "taker_side": "buy",
        "created_at": 1633046400,
    }
    assert type(event.data["price"]) is Decimal


def test_order_payload_keeps_ids_and_converts_amounts() -> None:
    order = {
        "id": "4800000003",
        "product_id": "5",
        "price": 3500000.0,
        "quantity": 0.01,
        "filled_quantity": "0.0",
        "status": "live",
        "client_order_id": None,
        "stop_loss": None,
    }
    event = decode_frame(frame("user_account_jpy_orders", "updated", order))
    assert event is not None and event.data == {
        "id": "4800000003",
        "product_id": "5",
        "price": Decimal("3500000.0"),
        "quantity": Decimal("0.01"),
        "filled_quantity": Decimal("0.0"),
        "status": "live",
        "client_order_id": None,
        "stop_loss": None,
    }


def test_object_data_is_kept_as_object() -> None:
    event = decode_frame(
        frame(None, "quoine:auth_failure", {"message": "invalid token"}, encode=False)
    )
    assert event == Event(None, "quoine:auth_failure", {"message": "invalid token"})


def test_connection_established_data_string_is_parsed() -> None:
    inner = '{"activity_timeout":120,"socket_id":"4821.1173"}'
    text = json.dumps({"data": inner, "event": "pusher:connection_established"})
    assert decode_frame(text) == Event(
        None, "pusher:connection_established", {"activity_timeout": 120, "socket_id": "4821.1173"}
    )


@pytest.mark.parametrize(
    "text",
    [
        "",
        "not json",
        "2026-11-30T12:00:00Z",
        "[1, 2]",
        "null",
        '{"data": {}}',
        '{"event": 5, "data": {}}',
        '{"event": "updated", "channel": 7, "data": {}}',
        "[" * 100_000,
        b"\xff\xfe",
    ],
)
def test_malformed_frames_give_none(text: str | bytes) -> None:
    assert decode_frame(text) is None


@pytest.mark.parametrize(
    "data",
    [
        '[["1"]]',
        '[["a", "1"]]',
        '[["NaN", "1"]]',
        '[["1", "Infinity"]]',
        "{not json",
        "[[{}, 1]]",
        "7",
    ],
)
def test_bad_ladder_payloads_are_kept_raw_not_crashing(data: str) -> None:
    text = json.dumps(
        {"channel": "price_ladders_cash_btcusd_buy", "event": "updated", "data": data}
    )
    event = decode_frame(text)
    assert event is not None and event.channel == "price_ladders_cash_btcusd_buy"
    assert not (isinstance(event.data, list) and event.data and isinstance(event.data[0], tuple))


def test_nan_and_infinity_amounts_stay_unconverted() -> None:
    event = decode_frame(
        frame("executions_cash_btcusd", "created", {"price": "NaN", "quantity": "Infinity"})
    )
    assert event is not None and event.data == {"price": "NaN", "quantity": "Infinity"}
    assert decode_frame('{"event": "x", "channel": "c", "data": "{\\"price\\": NaN}"}') == Event(
        "c", "x", '{"price": NaN}'
    )


def test_decode_ladder_rejects_non_lists() -> None:
    assert decode_ladder({"a": 1}) is None
    assert decode_ladder([["1", "2", "3"]]) is None


def test_scrub_removes_tokens() -> None:
    token = "eyJhbGciOiJIUzI1NiJ9.eyJub25jZSI6MX0.c2lnbmF0dXJl"
    assert scrub(f"bad token {token}!") == "bad token ***!"


def test_deeply_nested_data_is_kept_as_parsed() -> None:
    deep = "[" * 100_000 + "]" * 100_000  # too deep to parse: kept as the string
    event = decode_frame(json.dumps({"channel": "c", "event": "x", "data": deep}))
    assert event is not None and event.data == deep
    for depth in range(100, 1000, 50):  # parseable, yet too deep to walk at some depth
        data = '{"a": ' * depth + '{"price": "1"}' + "}" * depth
        event = decode_frame(json.dumps({"channel": "c", "event": "x", "data": data}))
        assert event is not None and event.channel == "c"


def test_two_sided_ladder_channel() -> None:
    data = {"bids": [["2", "1"]], "asks": [["3", "4"]], "timestamp": "1633046400.1"}
    event = decode_frame(frame("price_ladders_cash_btcjpy", "updated", data))
    assert event is not None and event.data == {
        "bids": [(Decimal(2), Decimal(1))],
        "asks": [(Decimal(3), Decimal(4))],
        "timestamp": "1633046400.1",
    }


def test_the_shared_decimals_stay_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    from quoine.realtime import _events

    monkeypatch.setattr(_events, "_DECIMALS_LIMIT", 3)
    monkeypatch.setattr(_events, "_DECIMALS", {})
    assert decode_ladder([["1", "2"], ["3", "4"], ["5", "6"]]) is not None
    assert len(_events._DECIMALS) == 3
    assert decode_ladder([["7", "8"]]) == [(Decimal(7), Decimal(8))]
    assert set(_events._DECIMALS) == {"7", "8"}
