"""Liquid Tap frames decoded into small typed events.

A server frame is a JSON object ``{"channel"?, "data", "event"}`` whose ``data``
is, for channel events, a JSON document encoded as a string. :func:`decode_frame`
parses both layers, turns amounts into :class:`~decimal.Decimal` and never
raises: a frame it cannot read gives None, a ``data`` it cannot parse is kept
as the string.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal, InvalidOperation
from typing import Any, NamedTuple, Union

__all__ = [
    "AMOUNT_FIELDS",
    "Event",
    "Gap",
    "Level",
    "Overflow",
    "TapEvent",
    "decode_data",
    "decode_frame",
    "decode_ladder",
    "scrub",
]

#: A price level: ``(price, quantity)``.
Level = tuple[Decimal, Decimal]

#: Fields of the stream payloads that hold amounts (prices, quantities, fees,
#: balances); they are given as :class:`~decimal.Decimal` whether the server sent a
#: number or a string.
AMOUNT_FIELDS = frozenset(
    {
        "average_price",
        "balance",
        "close_fee",
        "close_pnl",
        "close_price",
        "close_quantity",
        "disc_quantity",
        "filled_quantity",
        "high_market_ask",
        "iceberg_total_quantity",
        "last_price_24h",
        "last_traded_price",
        "last_traded_quantity",
        "low_market_bid",
        "margin_interest",
        "margin_used",
        "market_ask",
        "market_bid",
        "open_pnl",
        "open_price",
        "open_quantity",
        "order_fee",
        "pnl",
        "price",
        "quantity",
        "reserved_balance",
        "stop_loss",
        "take_profit",
        "tick_size",
        "total_fee",
        "total_interest",
        "volume_24h",
    }
)

_JWT = re.compile(r"eyJ[\w-]*\.[\w-]*\.[\w-]*")


class Event(NamedTuple):
    """A message from the server.

    Attributes:
        channel: The channel, e.g. ``"price_ladders_cash_btcusd_buy"``; None for
            connection events such as ``pusher:error``.
        event: The event name, e.g. ``"updated"`` or ``"created"``.
        data: The payload decoded: a ladder as a list of ``(price, quantity)``
            Decimal pairs, best first; an order, execution or product as a dict
            with amounts as Decimal; the raw string if it is not JSON.
    """

    channel: str | None
    event: str
    data: Any


class Gap(NamedTuple):
    """The connection was lost and is back: events may have been missed meanwhile.

    When it arrives the connection is authenticated again, every channel is
    subscribed again and the live order books have been rebuilt from REST.
    Refresh any other state you keep from events.

    Attributes:
        reason: Why the connection was lost, e.g. ``"no pong within 10 s"``.
        attempts: How many connection attempts the reconnection took.
    """

    reason: str
    attempts: int


class Overflow(NamedTuple):
    """The reader fell behind: ``dropped`` events were discarded at this point.

    The book and order trackers of the connection are still complete (they are
    fed before the reader's queue); only events queued for the reader were lost.

    Attributes:
        dropped: How many events were discarded.
    """

    dropped: int


#: Anything :meth:`LiquidTap.get` can return.
TapEvent = Union[Event, Gap, Overflow]


def scrub(text: str) -> str:
    """Replace anything shaped like a JWT in ``text`` with ``***``."""
    return _JWT.sub("***", text)


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number")


# One decoder for every frame: json.loads with options builds a new one per call.
_decode = json.JSONDecoder(parse_float=Decimal, parse_constant=_reject_constant).decode
# Ladders repeat most of their prices and quantities from one message to the next:
# sharing the (immutable) Decimals saves most of the decoding time.
_DECIMALS: dict[str, Decimal] = {}
_DECIMALS_LIMIT = 20_000


def _loads(text: str | bytes) -> Any:
    return _decode(text if isinstance(text, str) else text.decode("utf-8"))


def _decimal(value: Any) -> Decimal:
    """A finite Decimal from a str, int or Decimal; ValueError otherwise."""
    if isinstance(value, str):
        cached = _DECIMALS.get(value)
        if cached is not None:
            return cached
        if len(_DECIMALS) >= _DECIMALS_LIMIT:
            _DECIMALS.clear()
    elif isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        raise ValueError(f"not an amount: {value!r}")
    try:
        amount = Decimal(value)
    except InvalidOperation:
        raise ValueError(f"not an amount: {value!r}") from None
    if not amount.is_finite():
        raise ValueError(f"not a finite amount: {value!r}")
    if isinstance(value, str):
        _DECIMALS[value] = amount
    return amount


def _amount(value: Any) -> Any:
    if isinstance(value, Decimal):  # a JSON number: parse_float made it exact already
        return value
    try:
        return _decimal(value)
    except ValueError:
        return value  # null, or not an amount: kept as sent


def _amounts(value: Any) -> Any:
    """Turn the amount fields of a payload (a dict or a list of dicts) into Decimal."""
    if isinstance(value, dict):
        return {
            key: _amount(item) if key in AMOUNT_FIELDS else _amounts(item)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [_amounts(item) for item in value]
    return value


def decode_ladder(levels: Any) -> list[Level] | None:
    """A ladder payload as ``(price, quantity)`` Decimal pairs, or None if it is not one.

    Example:
        >>> decode_ladder([["100.5", "2"], ["100.0", "0.1"]])
        [(Decimal('100.5'), Decimal('2')), (Decimal('100.0'), Decimal('0.1'))]
    """
    if not isinstance(levels, list):
        return None
    try:
        return [(_decimal(price), _decimal(quantity)) for price, quantity in levels]
    except (TypeError, ValueError):  # not a pair, or not an amount
        return None


def decode_data(channel: str | None, data: Any) -> Any:
    """Decode an event's ``data``: parse a JSON string, then give amounts as Decimal.

    Ladder channels (``price_ladders_...``) give a list of ``(price, quantity)``
    pairs; anything unreadable is returned unchanged.

    Example:
        >>> decode_data("executions_cash_btcusd", '{"id": 1, "price": 30000.5}')
        {'id': 1, 'price': Decimal('30000.5')}
    """
    if isinstance(data, (str, bytes)):
        try:
            data = _loads(data)
        except (ValueError, RecursionError):
            return data
    if channel is not None and channel.startswith("price_ladders_"):
        if isinstance(data, dict):  # the two-sided channel
            return {
                key: decode_ladder(value) if key in ("buy", "sell", "bids", "asks") else value
                for key, value in data.items()
            }
        ladder = decode_ladder(data)
        return data if ladder is None else ladder
    try:
        return _amounts(data)
    except RecursionError:  # nested deeper than any payload: kept as parsed
        return data


def decode_frame(text: str | bytes) -> Event | None:
    r"""Decode one server frame, or return None if it is not a Liquid Tap message.

    Example:
        >>> decode_frame('{"channel": "c", "event": "created", "data": "{\\"price\\": \\"1.5\\"}"}')
        Event(channel='c', event='created', data={'price': Decimal('1.5')})
    """
    try:
        frame = _loads(text)
    except (ValueError, RecursionError):
        return None
    if not isinstance(frame, dict):
        return None
    event, channel = frame.get("event"), frame.get("channel")
    if not isinstance(event, str) or not (channel is None or isinstance(channel, str)):
        return None
    return Event(channel, event, decode_data(channel, frame.get("data")))
