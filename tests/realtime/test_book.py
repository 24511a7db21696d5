"""The order book: REST snapshot plus 40-level ladder replacements (docs/realtime.rst)."""

from __future__ import annotations

import threading
from decimal import Decimal as D

from hypothesis import given
from hypothesis import strategies as st

from quoine.realtime import LADDER_DEPTH, OrderBook, merge_side


def levels(*prices: int, quantity: str = "1") -> list[tuple[D, D]]:
    return [(D(p), D(quantity)) for p in prices]


def test_short_ladder_is_the_whole_side() -> None:
    old = levels(100, 99, 98, 97)
    assert merge_side(old, levels(100, 95), descending=True) == levels(100, 95)


def test_full_ladder_keeps_rest_levels_strictly_beyond_its_worst_price() -> None:
    ladder = levels(*range(200, 160, -1))  # 40 bids, 200 down to 161
    old = levels(205, 170, 161, 160, 150, quantity="7")
    merged = merge_side(old, ladder, descending=True)
    assert merged == ladder + levels(160, 150, quantity="7")


def test_full_ask_ladder_keeps_deeper_asks() -> None:
    ladder = levels(*range(100, 140))  # 40 asks, 100 up to 139
    old = levels(99, 120, 139, 140, 141, quantity="3")
    assert merge_side(old, ladder, descending=False) == ladder + levels(140, 141, quantity="3")


def test_empty_ladder_empties_the_side() -> None:
    assert merge_side(levels(1, 2), [], descending=False) == []


def test_unsorted_duplicate_and_zero_levels_are_normalised() -> None:
    ladder = [(D(1), D(2)), (D(3), D(0)), (D(2), D(1)), (D(1), D(5))]
    assert merge_side([], ladder, descending=False) == [(D(1), D(5)), (D(2), D(1))]


def test_book_load_and_apply() -> None:
    book = OrderBook("1", "btcusd")
    book.load(
        {
            "buy_price_levels": [["99", "1"], ["98", "2"]],
            "sell_price_levels": [["101", "1"], ["102", "3"]],
        }
    )
    assert book.best_bid() == (D(99), D(1)) and book.best_ask() == (D(101), D(1))
    assert book.spread() == D(2)
    book.apply("price_ladders_cash_btcusd_sell", levels(100, quantity="4"))
    snap = book.snapshot()
    assert snap.bids == ((D(99), D(1)), (D(98), D(2)))
    assert snap.asks == tuple(levels(100, quantity="4"))
    assert snap.updates == 1
    assert book.depth() == (2, 1)
    assert book.snapshot(1).bids == ((D(99), D(1)),)
    assert "best_bid=(Decimal('99'), Decimal('1'))" in repr(book)


def test_empty_book() -> None:
    book = OrderBook("1", "btcusd")
    assert book.best_bid() is None and book.spread() is None
    assert book.snapshot().best_ask is None


ladder_levels = st.lists(
    st.tuples(st.integers(1, 500).map(D), st.integers(1, 9).map(D)),
    max_size=60,
    unique_by=lambda x: x[0],
)


@given(old=ladder_levels, ladder=ladder_levels, descending=st.booleans())
def test_merge_rule_properties(
    old: list[tuple[D, D]], ladder: list[tuple[D, D]], descending: bool
) -> None:
    old = sorted(old, reverse=descending)
    merged = merge_side(old, ladder, descending)
    prices = [p for p, _ in merged]
    assert prices == sorted(set(prices), reverse=descending)  # sorted best first, one per price
    top = sorted(ladder, reverse=descending)
    assert merged[: len(top)] == top  # the ladder is the top, exactly
    if len(ladder) < LADDER_DEPTH:
        assert merged == top
    else:
        worst = top[-1][0]
        beyond = [lvl for lvl in old if (lvl[0] < worst if descending else lvl[0] > worst)]
        assert merged[len(top) :] == beyond


def test_snapshot_is_consistent_while_updating() -> None:
    """Every copy taken while another thread applies ladders is one of the states applied."""
    book = OrderBook("1", "btcusd")
    stop = threading.Event()

    def writer() -> None:
        i = 0
        while not stop.is_set():
            i += 1
            book.apply("price_ladders_cash_btcusd_buy", levels(i, quantity=str(i)))
            book.apply("price_ladders_cash_btcusd_sell", levels(i + 1, quantity=str(i)))

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        for _ in range(2000):
            snap = book.snapshot()
            if snap.bids and snap.asks:
                bid, ask = snap.bids[0], snap.asks[0]
                assert bid[0] == bid[1]  # each side is one whole message
                assert ask[1] == ask[0] - 1
                assert snap.updates >= 1
    finally:
        stop.set()
        thread.join()
