"""Constants: order sides, types and statuses, leverage levels and defaults.

The enums are ``str`` (or ``int``) subclasses, so they can be passed wherever the
API expects the plain value, and ``str(Side.BUY) == "buy"``. The python-quoine 0.1.x
class attributes (``Quoinex.SIDE_BUY``, ``Quoinex.ORDER_TYPE_LIMIT``...) are kept on
the client classes with their original plain values.
"""

from __future__ import annotations

import enum

__all__ = [
    "API_VERSION",
    "DEFAULT_TIMEOUT",
    "LegacyConstants",
    "MAX_PAGE_LIMIT",
    "MarginOrderDirection",
    "MarginType",
    "OrderStatus",
    "OrderType",
    "Side",
    "TradeSide",
    "TradeStatus",
    "TradingType",
    "TrailingStopType",
    "WithdrawalState",
]

#: Version of the REST API this library speaks (sent as ``X-Quoine-API-Version``).
API_VERSION = "2"
#: Default timeout in seconds, as ``(connect, read)``.
DEFAULT_TIMEOUT = (3.05, 10.0)
#: The largest ``limit`` any list endpoint accepts.
MAX_PAGE_LIMIT = 1000


class _StrEnum(str, enum.Enum):
    """A string enum whose ``str()`` and format are the plain value on every Python."""

    def __str__(self) -> str:
        return str(self.value)

    def __format__(self, spec: str) -> str:
        return format(str(self.value), spec)


class Side(_StrEnum):
    """Order side."""

    BUY = "buy"
    SELL = "sell"


class TradeSide(_StrEnum):
    """Side of a margin position (trade)."""

    LONG = "long"
    SHORT = "short"


class OrderType(_StrEnum):
    """Order type."""

    LIMIT = "limit"
    MARKET = "market"
    MARKET_RANGE = "market_with_range"
    LIMIT_POST_ONLY = "limit_post_only"
    STOP = "stop"
    TRAILING_STOP = "trailing_stop"


class OrderStatus(_StrEnum):
    """Order status."""

    LIVE = "live"
    FILLED = "filled"
    PARTIAL = "partially_filled"
    CANCELLED = "cancelled"


class TradeStatus(_StrEnum):
    """Margin position (trade) status."""

    OPEN = "open"
    CLOSED = "closed"


class MarginOrderDirection(_StrEnum):
    """How a margin order combines with existing positions."""

    ONE = "one_direction"
    TWO = "two_direction"
    NET = "netout"


class MarginType(_StrEnum):
    """Margin mode of a leveraged order."""

    CROSS = "cross"
    ISOLATED = "isolated"


class TradingType(_StrEnum):
    """Trading type filter for orders, trades and cancel-all."""

    SPOT = "spot"
    MARGIN = "margin"
    CFD = "cfd"
    PERPETUAL = "perpetual"


class TrailingStopType(_StrEnum):
    """How ``trailing_stop_value`` is read: a price distance or a percentage."""

    FIAT = "fiat"
    PRICE = "price"
    PERCENTAGE = "percentage"


class WithdrawalState(_StrEnum):
    """Crypto and fiat withdrawal states."""

    PENDING = "pending"
    PROCESSING = "processing"
    PROCESSED = "processed"
    CANCELLED = "cancelled"
    REVERTED = "reverted"
    DECLINED = "declined"


class LegacyConstants:
    """The python-quoine 0.1.x class attributes, with their plain values.

    Every client class inherits them (``Quoinex.SIDE_BUY == "buy"``). They are
    derived from the enums above, so each value is written once.
    """

    SIDE_BUY = Side.BUY.value
    SIDE_SELL = Side.SELL.value
    STATUS_FILLED = OrderStatus.FILLED.value
    STATUS_LIVE = OrderStatus.LIVE.value
    STATUS_PARTIAL = OrderStatus.PARTIAL.value
    STATUS_CANCELLED = OrderStatus.CANCELLED.value
    ORDER_TYPE_LIMIT = OrderType.LIMIT.value
    ORDER_TYPE_MARKET = OrderType.MARKET.value
    ORDER_TYPE_MARKET_RANGE = OrderType.MARKET_RANGE.value
    ORDER_TYPE_LIMIT_POST_ONLY = OrderType.LIMIT_POST_ONLY.value
    ORDER_TYPE_STOP = OrderType.STOP.value
    ORDER_TYPE_TRAILING_STOP = OrderType.TRAILING_STOP.value
    # Leverage has no enum: a product allows its own levels; these are 0.1.x's names.
    LEVERAGE_LEVEL_2 = 2
    LEVERAGE_LEVEL_4 = 4
    LEVERAGE_LEVEL_5 = 5
    LEVERAGE_LEVEL_10 = 10
    LEVERAGE_LEVEL_25 = 25
    MARGIN_ORDER_DIRECTION_ONE = MarginOrderDirection.ONE.value
    MARGIN_ORDER_DIRECTION_TWO = MarginOrderDirection.TWO.value
    MARGIN_ORDER_DIRECTION_NET = MarginOrderDirection.NET.value
