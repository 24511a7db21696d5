"""Liquid Tap, the exchange's realtime service: live channels, order books and your orders.

Needs the optional ``websockets`` dependency: ``pip install 'python-quoine[realtime]'``.

Example:
    .. code-block:: python

        from quoine.realtime import Gap, LiquidTap

        with LiquidTap(client, url=tap_url) as tap:
            book = tap.order_book("BTCUSD")
            for event in tap.events(timeout=1):
                if isinstance(event, Gap):
                    print("reconnected; the book was rebuilt")
            print(book.best_bid(), book.best_ask())
"""

from __future__ import annotations

try:
    import websockets.sync.client  # noqa: F401
except ImportError as exc:
    raise ImportError(
        "quoine.realtime needs the websockets package (version 15 or later): "
        "pip install 'python-quoine[realtime]'"
    ) from exc

from ._book import LADDER_DEPTH, BookSnapshot, OrderBook, merge_side
from ._errors import QuoineRealtimeAuthError, QuoineRealtimeClosed, QuoineRealtimeError
from ._events import AMOUNT_FIELDS, Event, Gap, Level, Overflow, TapEvent, decode_frame
from ._tap import AUTH_PATH, DEFAULT_URL, LiquidTap
from ._trackers import MyOrders

__all__ = [
    "AMOUNT_FIELDS",
    "AUTH_PATH",
    "DEFAULT_URL",
    "LADDER_DEPTH",
    "BookSnapshot",
    "Event",
    "Gap",
    "Level",
    "LiquidTap",
    "MyOrders",
    "Overflow",
    "OrderBook",
    "QuoineRealtimeAuthError",
    "QuoineRealtimeClosed",
    "QuoineRealtimeError",
    "TapEvent",
    "decode_frame",
    "merge_side",
]
