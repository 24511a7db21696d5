"""End to end: LiquidTap against the sandbox's Liquid Tap server, over loopback.

Orders go in over REST; the tests wait (up to 10 s, never a pass condition) for
the events they cause and check the live book against the REST book.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from decimal import Decimal
from typing import Any, Callable

import pytest

from quoine.client import Quoinex
from quoine.exceptions import QuoineAuthenticationError
from quoine.realtime import (
    Event,
    Gap,
    LiquidTap,
    OrderBook,
    Overflow,
    QuoineRealtimeAuthError,
    QuoineRealtimeError,
    TapEvent,
)
from quoine.sandbox import Sandbox

BUY = "price_ladders_cash_btcusd_buy"
SELL = "price_ladders_cash_btcusd_sell"
FAST = {"backoff": (0.001, 0.01), "timeout": 10.0}


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    with Sandbox(rate_limit=None, seed=3) as sb:
        yield sb


@pytest.fixture
def client(sandbox: Sandbox) -> Iterator[Quoinex]:
    with Quoinex(sandbox.token_id, sandbox.secret, api_url=sandbox.url, rate_limit=None) as c:
        yield c


@pytest.fixture
def tap(sandbox: Sandbox, client: Quoinex) -> Iterator[LiquidTap]:
    url = sandbox.tap_url
    assert url is not None
    with LiquidTap(client, url=url, **FAST) as connection:
        yield connection


def wait_for(tap: LiquidTap, match: Callable[[TapEvent], bool]) -> TapEvent:
    """The first event that matches (others are passed over); fails after 10 s of silence."""
    for event in tap.events(timeout=10):
        if match(event):
            return event
    raise AssertionError("the awaited event never came")


def ladder_with(price: Decimal) -> Callable[[TapEvent], bool]:
    def match(event: TapEvent) -> bool:
        return (
            isinstance(event, Event)
            and event.channel == BUY
            and any(level[0] == price for level in event.data)
        )

    return match


def rest_book(client: Quoinex) -> tuple[tuple[tuple[Decimal, Decimal], ...], ...]:
    answer = client.get_order_book(1, full=True)
    return tuple(
        tuple((Decimal(str(p)), Decimal(str(q))) for p, q in answer[side])
        for side in ("buy_price_levels", "sell_price_levels")
    )


def assert_book_matches_rest(book: OrderBook, client: Quoinex) -> None:
    snap = book.snapshot()
    assert (snap.bids, snap.asks) == rest_book(client)


def inside_bid(book: OrderBook) -> Decimal:
    """A bid price inside the spread: it becomes the best bid."""
    bid, ask = book.best_bid(), book.best_ask()
    assert bid is not None and ask is not None and ask[0] - bid[0] > 2
    return bid[0] + 1


def test_live_book_follows_an_order_that_changes_the_top(tap: LiquidTap, client: Quoinex) -> None:
    book = tap.order_book("BTCUSD")
    assert book.product_id == "1" and book.channels == (BUY, SELL)
    assert_book_matches_rest(book, client)
    price = inside_bid(book)
    order = client.create_limit_buy(1, "0.25", str(price))
    wait_for(tap, ladder_with(price))
    assert book.best_bid() == (price, Decimal("0.25"))
    assert_book_matches_rest(book, client)
    client.cancel_order(order["id"])
    wait_for(tap, lambda e: isinstance(e, Event) and e.channel == BUY and e.data[0][0] < price)
    assert_book_matches_rest(book, client)


def test_book_by_product_id_and_public_trades(tap: LiquidTap, client: Quoinex) -> None:
    book = tap.order_book(1)
    assert book.pair == "btcusd"
    tap.subscribe("executions_cash_btcusd")
    ask = book.best_ask()
    assert ask is not None
    client.create_market_buy(1, "0.01")
    trade = wait_for(tap, lambda e: isinstance(e, Event) and e.channel == "executions_cash_btcusd")
    assert isinstance(trade, Event) and trade.event == "created"
    assert trade.data["price"] == ask[0] and isinstance(trade.data["quantity"], Decimal)
    assert trade.data["taker_side"] == "buy"


def test_my_orders_and_executions_by_id(tap: LiquidTap, client: Quoinex) -> None:
    mine = tap.my_orders(["USD"], ["BTCUSD"])
    book = tap.order_book("BTCUSD")
    price = inside_bid(book)
    order = client.create_limit_buy(1, "0.1", str(price))
    wait_for(tap, lambda e: getattr(e, "channel", None) == "user_account_usd_orders")
    seen = mine.order(order["id"])
    assert seen is not None and seen["status"] == "live" and seen["price"] == price
    client.cancel_order(order["id"])
    wait_for(
        tap,
        lambda e: (
            getattr(e, "channel", None) == "user_account_usd_orders"
            and e.data["status"] == "cancelled"  # type: ignore[union-attr]
        ),
    )
    assert mine.order(str(order["id"]))["status"] == "cancelled"  # type: ignore[index]
    bought = client.create_market_buy(1, "0.02")
    fill = wait_for(tap, lambda e: getattr(e, "channel", None) == "user_executions_cash_btcusd")
    assert isinstance(fill, Event)
    assert mine.execution(fill.data["id"]) == fill.data
    assert [e["id"] for e in mine.executions(bought["id"])] == [fill.data["id"]]


def test_refused_login_raises_the_authentication_error(sandbox: Sandbox) -> None:
    url = sandbox.tap_url
    assert url is not None
    with pytest.raises(QuoineAuthenticationError) as caught:
        LiquidTap(url=url, token_id=sandbox.token_id, secret="x" * 40, **FAST)
    assert isinstance(caught.value, QuoineRealtimeAuthError)
    assert "x" * 40 not in str(caught.value)


def test_login_and_rest_share_the_tokens_nonces(sandbox: Sandbox, client: Quoinex) -> None:
    """REST calls and realtime logins interleaved from two threads: no nonce is refused."""
    url = sandbox.tap_url
    assert url is not None
    errors: list[BaseException] = []

    def rest() -> None:
        try:
            for _ in range(20):
                client.get_fiat_accounts()
        except BaseException as exc:
            errors.append(exc)

    thread = threading.Thread(target=rest)
    thread.start()
    for _ in range(5):
        with LiquidTap(client, url=url, **FAST) as tap:
            assert tap.authenticated
    thread.join()
    assert errors == []


def test_a_dropped_ladder_leaves_the_book_consistent(
    sandbox: Sandbox, tap: LiquidTap, client: Quoinex
) -> None:
    """The connection drops instead of delivering the ladder: the book is rebuilt from REST."""
    book = tap.order_book("BTCUSD")
    price = inside_bid(book)
    sandbox.faults.add("tap_drop", path=BUY)
    client.create_limit_buy(1, "0.3", str(price))
    gap = wait_for(tap, lambda e: isinstance(e, Gap))
    assert isinstance(gap, Gap) and gap.reason.startswith("connection closed")
    assert book.best_bid() == (price, Decimal("0.3"))  # from REST: the ladder was never sent
    assert_book_matches_rest(book, client)
    assert set(tap.channels) == {BUY, SELL}
    price2 = price + 1
    client.create_limit_buy(1, "0.4", str(price2))  # resubscribed: ladders flow again
    wait_for(tap, ladder_with(price2))
    assert_book_matches_rest(book, client)


def test_missed_pong_reconnects(sandbox: Sandbox, client: Quoinex) -> None:
    url = sandbox.tap_url
    assert url is not None
    sandbox.faults.add("tap_no_pong", times=None)
    with LiquidTap(client, url=url, ping_interval=0.05, pong_timeout=0.2, **FAST) as tap:
        gap = wait_for(tap, lambda e: isinstance(e, Gap))
        sandbox.faults.clear()
        assert gap == Gap("no pong within 0.2 s", 1)
    assert tap.stats["reconnects"] >= 1


def test_pusher_error_4200_reconnects(sandbox: Sandbox, tap: LiquidTap, client: Quoinex) -> None:
    book = tap.order_book("BTCUSD")
    sandbox.faults.add("tap_error", path=BUY)
    price = inside_bid(book)
    client.create_limit_buy(1, "0.1", str(price))
    gap = wait_for(tap, lambda e: isinstance(e, Gap))
    assert isinstance(gap, Gap) and gap.reason.startswith("pusher:error 4200")
    assert_book_matches_rest(book, client)


def test_pusher_error_4001_stops_the_connection(sandbox: Sandbox, tap: LiquidTap) -> None:
    sandbox.faults.add("tap_error", path=BUY, status=4001)
    client = tap.client
    assert client is not None
    book = tap.order_book(1)
    client.create_limit_buy(1, "0.1", str(inside_bid(book)))
    with pytest.raises(QuoineRealtimeError, match="4001"):
        for _ in tap.events(timeout=10):
            pass
    assert tap.closed


def test_a_reader_that_falls_behind(sandbox: Sandbox, client: Quoinex) -> None:
    """Nobody reads: the queue stays at its bound, the book and tracker miss nothing."""
    url = sandbox.tap_url
    assert url is not None
    with LiquidTap(client, url=url, max_events=2, **FAST) as tap:
        book = tap.order_book("BTCUSD")
        mine = tap.my_orders(["USD"])
        all_in = threading.Event()
        price = inside_bid(book)
        placed = [client.create_limit_buy(1, "0.01", str(price + i))["id"] for i in range(6)]
        tap.add_handler(
            "user_account_usd_orders",
            lambda e: all(mine.order(i) for i in placed) and all_in.set(),
        )
        assert all(mine.order(i) for i in placed) or all_in.wait(10)
        # Each order has its own event: at least 6 arrived, 2 were kept.
        assert tap.backlog == 2
        top = threading.Event()
        tap.add_handler(BUY, lambda e: e.data[0][0] == price + 5 and top.set())
        assert book.best_bid() == (price + 5, Decimal("0.01")) or top.wait(10)
        assert_book_matches_rest(book, client)
        events = list(tap.events(timeout=0))
    assert len(events) == 3
    assert all(isinstance(e, Event) for e in events[:2])
    assert isinstance(events[2], Overflow) and events[2].dropped >= 4


def test_close_wakes_a_reader_blocked_in_another_thread(tap: LiquidTap) -> None:
    tap.subscribe(BUY)
    results: list[Any] = []
    reader = threading.Thread(target=lambda: results.append([*tap.events()]))
    reader.start()
    tap.close()
    reader.join(10)
    assert not reader.is_alive()
    assert results == [[]]
