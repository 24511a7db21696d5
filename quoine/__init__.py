"""python-quoine: a client for the Quoine / Liquid exchange REST API v2.

Example:
    .. code-block:: python

        from quoine.client import Quoinex

        client = Quoinex(api_token_id, api_secret)
        book = client.get_order_book(1)
"""

import logging

from ._version import __version__
from .client import Liquid, Qryptos, Quoine, QuoineCredentialsError, Quoinex
from .constants import (
    MarginOrderDirection,
    MarginType,
    OrderStatus,
    OrderType,
    Side,
    TradeSide,
    TradeStatus,
    TradingType,
    TrailingStopType,
    WithdrawalState,
)
from .exceptions import (
    QuoineAPIException,
    QuoineAuthenticationError,
    QuoineBadRequestError,
    QuoineConnectionError,
    QuoineError,
    QuoineInsufficientFunds,
    QuoineInvalidOrder,
    QuoineNonceError,
    QuoineNotFoundError,
    QuoineOrderNotFound,
    QuoineRateLimitError,
    QuoineRequestException,
    QuoineResponseException,
    QuoineServerError,
    QuoineServiceUnavailable,
    QuoineTimeoutError,
    QuoineTransportError,
    QuoineUnprocessableError,
    QuoineValidationError,
)
from .pagination import iter_executions_since, iter_pages

__all__ = [
    "Liquid",
    "MarginOrderDirection",
    "MarginType",
    "OrderStatus",
    "OrderType",
    "Qryptos",
    "Quoine",
    "QuoineAPIException",
    "QuoineAuthenticationError",
    "QuoineBadRequestError",
    "QuoineConnectionError",
    "QuoineCredentialsError",
    "QuoineError",
    "QuoineInsufficientFunds",
    "QuoineInvalidOrder",
    "QuoineNonceError",
    "QuoineNotFoundError",
    "QuoineOrderNotFound",
    "QuoineRateLimitError",
    "QuoineRequestException",
    "QuoineResponseException",
    "QuoineServerError",
    "QuoineServiceUnavailable",
    "QuoineTimeoutError",
    "QuoineTransportError",
    "QuoineUnprocessableError",
    "QuoineValidationError",
    "Quoinex",
    "Side",
    "TradeSide",
    "TradeStatus",
    "TradingType",
    "TrailingStopType",
    "WithdrawalState",
    "__version__",
    "iter_executions_since",
    "iter_pages",
]

logging.getLogger("quoine").addHandler(logging.NullHandler())
