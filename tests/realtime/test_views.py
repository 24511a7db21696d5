"""Pieces tested on their own: the inbox, the order tracker, the watch views."""

from __future__ import annotations

import io
import threading
from decimal import Decimal

import pytest

from quoine._cli_watch import _book_view, _rows_view
from quoine.exceptions import QuoineValidationError
from quoine.realtime import Event, Gap, MyOrders, OrderBook, Overflow, QuoineRealtimeClosed
from quoine.realtime._inbox import Inbox
from quoine.realtime._trackers import resolve_product, track_my_orders

ORDERS = "user_account_usd_orders"
FILLS = "user_executions_cash_btcusd"


def test_inbox_counts_drops_and_closes_with_an_error() -> None:
    inbox = Inbox(2)
    for item in range(5):
        inbox.put(item)
    assert len(inbox) == 2 and inbox.dropped_total == 3
    assert inbox.get(0) == 0
    inbox.put(5)  # room again: the loss is marked before it
    assert [inbox.get(0), inbox.get(0), inbox.get(0)] == [1, Overflow(3), 5]
    inbox.put("gap", force=True)
    inbox.close(RuntimeError("gone"))
    inbox.close()  # twice is harmless
    inbox.put("late")  # ignored once closed
    assert inbox.get(0) == "gap"
    with pytest.raises(RuntimeError, match="gone"):
        inbox.get(0)
    with pytest.raises(QuoineRealtimeClosed):
        inbox.get(None)


def test_inbox_get_wakes_on_put_from_another_thread() -> None:
    inbox = Inbox(10)
    got: list[object] = []
    reader = threading.Thread(target=lambda: got.append(inbox.get(None)))
    reader.start()
    inbox.put("x")
    reader.join(10)
    assert got == ["x"]


def test_my_orders_keeps_the_latest_state_by_id() -> None:
    mine = MyOrders((ORDERS, FILLS))
    mine.on_event(Event(ORDERS, "updated", {"id": "7", "status": "live"}))
    mine.on_event(Event(ORDERS, "updated", {"id": 7, "status": "filled"}))
    mine.on_event(Event(ORDERS, "updated", "not an order"))
    mine.on_event(Event(ORDERS, "updated", {"no": "id"}))
    mine.on_event(Event(FILLS, "created", {"id": 1, "order_id": "7", "price": Decimal(1)}))
    mine.on_event(Event(FILLS, "created", {"id": 2, "order_id": 8}))
    mine.on_event(Event("other", "created", {"id": 3}))
    assert mine.order("7") == {"id": 7, "status": "filled"}
    assert list(mine.orders()) == [7]
    assert mine.execution("1") == {"id": 1, "order_id": "7", "price": Decimal(1)}
    assert [e["id"] for e in mine.executions(7)] == [1]
    assert [e["id"] for e in mine.executions()] == [1, 2]
    assert mine.order(99) is None
    assert repr(mine) == "MyOrders(orders=1, executions=2)"


def test_tracker_and_product_arguments() -> None:
    with pytest.raises(QuoineValidationError, match="needs a funding currency or a pair code"):
        track_my_orders(None, [], [])  # type: ignore[arg-type]
    with pytest.raises(QuoineValidationError, match="an id or a pair code"):
        resolve_product(None, 1.5)  # type: ignore[arg-type]


def book() -> OrderBook:
    order_book = OrderBook("1", "btcusd")
    order_book.load({"buy_price_levels": [["99", "1"]], "sell_price_levels": [["101", "2"]]})
    return order_book


def test_book_view_shows_notices_and_skips_other_channels() -> None:
    out = io.StringIO()
    show = _book_view(book(), 5, out, as_json=False)
    assert not show(Event("executions_cash_btcusd", "created", {}))
    assert show(Gap("connection closed", 1))
    screens = out.getvalue().split("\x1b[H\x1b[2J")[1:]
    assert len(screens) == 2
    assert "  ask   101  2\n" in screens[1] and "  bid    99  1\n" in screens[1]
    assert "(gap: connection closed)" in screens[1]
    out = io.StringIO()
    show = _book_view(book(), 5, out, as_json=True)
    assert show(Overflow(4))
    assert out.getvalue().splitlines()[1] == '{"event":"overflow","dropped":4}'


def test_rows_view_notices_as_text_and_json() -> None:
    out = io.StringIO()
    show = _rows_view(ORDERS, ("id", "price"), out, as_json=False)
    assert not show(Event(ORDERS, "updated", "text"))
    assert show(Event(ORDERS, "updated", {"id": 1, "price": Decimal("1.50")}))
    assert show(Overflow(2))
    assert show(Gap("no pong within 10 s", 2))
    lines = out.getvalue().splitlines()
    assert lines[1].split() == ["1", "1.50"]
    assert lines[2:] == ["-- overflow: 2", "-- gap: no pong within 10 s"]
    out = io.StringIO()
    show = _rows_view(ORDERS, ("id",), out, as_json=True)
    assert show(Gap("x", 1))
    assert out.getvalue() == '{"event":"gap","reason":"x"}\n'
