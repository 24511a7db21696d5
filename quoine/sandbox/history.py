"""A product's trade history summaries, kept up to date as executions are recorded.

Requests run under the exchange lock, so none may scan a long history: a
benchmark seeds hundreds of thousands of executions, and summing them for a
``GET /products`` or ``GET /products/{id}/ohlc`` held the lock for 150 ms or
more. :class:`Bars` keeps OHLC bars of a fixed width as executions arrive, and
:class:`Window` keeps the last 24 hours' volume, low, high and first price,
moving forward in amortised constant time. OHLC resolutions are whole
minutes, so no bar finer than a minute is needed. Executions arrive in time order
(the engine never stamps one earlier than the last).
"""

from __future__ import annotations

import bisect
from collections import deque
from collections.abc import Sequence
from decimal import Context, Decimal
from typing import Protocol

__all__ = ["BAR_WIDTHS", "Bars", "Window", "ohlc"]

BAR_WIDTHS = (3600, 60)
"""Widths (seconds) of the bars a product keeps; OHLC resolutions are whole minutes."""
_WIDE = Context(prec=80)  # running sums stay exact
D0 = Decimal(0)


class Fill(Protocol):
    """What the summaries read of an execution."""

    price: Decimal
    quantity: Decimal
    created_at: int


class Bars:
    """OHLC bars ``[open, high, low, close, volume]`` of ``width`` seconds."""

    def __init__(self, width: int) -> None:
        self.width = width
        self.keys: list[int] = []
        self.rows: list[list[Decimal]] = []

    def add(self, stamp: int, price: Decimal, quantity: Decimal) -> None:
        """Record one execution at unix second ``stamp``."""
        key = stamp // self.width * self.width
        if self.keys and self.keys[-1] >= key:
            bar = self.rows[-1]
            bar[1] = max(bar[1], price)
            bar[2] = min(bar[2], price)
            bar[3] = price
            bar[4] = _WIDE.add(bar[4], quantity)
        else:
            self.keys.append(key)
            self.rows.append([price, price, price, price, quantity])

    def span(self, lo: int, hi: int | None) -> tuple[list[int], list[list[Decimal]]]:
        """The bars holding seconds from ``lo`` (and before ``hi``), oldest first."""
        first = bisect.bisect_right(self.keys, lo - self.width)
        last = len(self.keys) if hi is None else bisect.bisect_left(self.keys, hi)
        return self.keys[first:last], self.rows[first:last]


def _fold(out: dict[int, list[Decimal]], bucket: int, row: list[Decimal]) -> None:
    bar = out.get(bucket)
    if bar is None:
        out[bucket] = list(row)
    else:
        bar[1] = max(bar[1], row[1])
        bar[2] = min(bar[2], row[2])
        bar[3] = row[3]
        bar[4] = _WIDE.add(bar[4], row[4])


def ohlc(
    bars: dict[int, Bars], resolution: int, start: int, *, widths: tuple[int, ...] = BAR_WIDTHS
) -> dict[int, list[Decimal]]:
    """Bars of ``resolution`` seconds (whole minutes) from ``start`` (a multiple of it) on.

    Folds the widest bars; an hour bar that straddles a bucket's edge (or the
    start) is folded from its minute bars instead.
    """
    out: dict[int, list[Decimal]] = {}
    _merge(bars, widths, resolution, start, None, out)
    return out


def _merge(
    bars: dict[int, Bars],
    widths: tuple[int, ...],
    resolution: int,
    lo: int,
    hi: int | None,
    out: dict[int, list[Decimal]],
) -> None:
    width = widths[0]
    keys, rows = bars[width].span(lo, hi)
    for key, row in zip(keys, rows):
        last = key + width - 1
        if key >= lo and key // resolution == last // resolution:
            _fold(out, key // resolution * resolution, row)
        else:  # the bar straddles a bucket's edge or the start: fold finer ones
            _merge(bars, widths[1:], resolution, max(key, lo), key + width, out)


class Window:
    """Volume, notional, low, high and first price of the executions since a time.

    :meth:`advance` takes the new executions in and drops those older than
    the window; each execution goes in and out once.
    """

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        """Forget everything (when the clock went back)."""
        self.since = -(2**63)
        self.start = 0
        self.end = 0
        self.volume = D0
        self.notional = D0
        self._lows: deque[int] = deque()
        self._highs: deque[int] = deque()

    def advance(self, fills: Sequence[Fill], times: Sequence[int], since: int) -> None:
        """Cover ``fills[i]`` with ``times[i] >= since``, up to the last one.

        Called as each execution is recorded (``since`` a day before it) and
        when the statistics are read, so neither does much work at once.
        """
        if since < self.since:
            self.reset()
        self.since = since
        for index in range(self.end, len(fills)):
            self._take(fills, index)
        self.end = len(fills)
        stop = bisect.bisect_left(times, since, self.start, self.end)
        for index in range(self.start, stop):
            fill = fills[index]
            self.volume = _WIDE.subtract(self.volume, fill.quantity)
            self.notional = _WIDE.subtract(self.notional, _WIDE.multiply(fill.quantity, fill.price))
        self.start = max(self.start, stop)
        for extremes in (self._lows, self._highs):
            while extremes and extremes[0] < self.start:
                extremes.popleft()

    def _take(self, fills: Sequence[Fill], index: int) -> None:
        fill = fills[index]
        self.volume = _WIDE.add(self.volume, fill.quantity)
        self.notional = _WIDE.add(self.notional, _WIDE.multiply(fill.quantity, fill.price))
        while self._lows and fills[self._lows[-1]].price >= fill.price:
            self._lows.pop()
        self._lows.append(index)
        while self._highs and fills[self._highs[-1]].price <= fill.price:
            self._highs.pop()
        self._highs.append(index)

    def extremes(
        self, fills: Sequence[Fill]
    ) -> tuple[Decimal | None, Decimal | None, Decimal | None]:
        """``(low, high, first)`` prices in the window (None when it is empty)."""
        if self.start >= self.end:
            return None, None, None
        low, high = fills[self._lows[0]].price, fills[self._highs[0]].price
        return low, high, fills[self.start].price
