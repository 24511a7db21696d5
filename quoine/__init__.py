"""python-quoine: a client for the Quoine / Liquid exchange REST API v2.

Example:
    .. code-block:: python

        from quoine.client import Quoinex

        client = Quoinex(api_token_id, api_secret)
        book = client.get_order_book(1)
"""

import logging

from ._auth import NonceGenerator
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
from .endpoints.orders import new_client_order_id
from .exceptions import (
    QuoineAmbiguousOrderError,
    QuoineAPIException,
    QuoineAuthenticationError,
    QuoineBadRequestError,
    QuoineClientRateLimitError,
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
    QuoineSSLError,
    QuoineTimeoutError,
    QuoineTransportError,
    QuoineUnprocessableError,
    QuoineValidationError,
)
from .pagination import iter_executions_since, iter_pages
from .ratelimit import RateLimiter

__all__ = [
    "Liquid",
    "MarginOrderDirection",
    "MarginType",
    "NonceGenerator",
    "OrderStatus",
    "OrderType",
    "Qryptos",
    "Quoine",
    "QuoineAPIException",
    "QuoineAmbiguousOrderError",
    "QuoineAuthenticationError",
    "QuoineBadRequestError",
    "QuoineClientRateLimitError",
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
    "QuoineSSLError",
    "QuoineServerError",
    "QuoineServiceUnavailable",
    "QuoineTimeoutError",
    "QuoineTransportError",
    "QuoineUnprocessableError",
    "QuoineValidationError",
    "Quoinex",
    "RateLimiter",
    "Side",
    "TradeSide",
    "TradeStatus",
    "TradingType",
    "TrailingStopType",
    "WithdrawalState",
    "__version__",
    "iter_executions_since",
    "iter_pages",
    "new_client_order_id",
]

logging.getLogger("quoine").addHandler(logging.NullHandler())
