"""python-quoine: a client for the Quoine / Liquid exchange REST API v2.

Example:
    .. code-block:: python

        from quoine.client import Quoinex

        client = Quoinex(api_token_id, api_secret)
        book = client.get_order_book(1)

Importing the package is cheap: each public name is imported from its module on
first use (:pep:`562`), so ``python -m quoine.sandbox`` or ``import quoine.constants``
loads neither the HTTP client nor ``requests``.
"""

from __future__ import annotations

import importlib
import logging
from typing import TYPE_CHECKING, Any

from ._version import __version__

if TYPE_CHECKING:
    from ._auth import NonceGenerator
    from .client import Liquid, Qryptos, Quoine, Quoinex
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
        QuoineCredentialsError,
        QuoineError,
        QuoineInsufficientFunds,
        QuoineInsufficientFundsError,
        QuoineInvalidOrder,
        QuoineInvalidOrderError,
        QuoineNonceError,
        QuoineNotFoundError,
        QuoineOrderNotFound,
        QuoineOrderNotFoundError,
        QuoineRateLimitError,
        QuoineRequestException,
        QuoineResponseException,
        QuoineServerError,
        QuoineServiceUnavailable,
        QuoineServiceUnavailableError,
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
    "QuoineInsufficientFundsError",
    "QuoineInvalidOrder",
    "QuoineInvalidOrderError",
    "QuoineNonceError",
    "QuoineNotFoundError",
    "QuoineOrderNotFound",
    "QuoineOrderNotFoundError",
    "QuoineRateLimitError",
    "QuoineRequestException",
    "QuoineResponseException",
    "QuoineSSLError",
    "QuoineServerError",
    "QuoineServiceUnavailable",
    "QuoineServiceUnavailableError",
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

# Where each public name lives: module (relative to this package) -> names.
_EXPORTS = {
    "._auth": ("NonceGenerator",),
    ".client": ("Liquid", "Qryptos", "Quoine", "Quoinex"),
    ".constants": (
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
    ),
    ".endpoints.orders": ("new_client_order_id",),
    ".exceptions": (
        "QuoineAPIException",
        "QuoineAmbiguousOrderError",
        "QuoineAuthenticationError",
        "QuoineBadRequestError",
        "QuoineClientRateLimitError",
        "QuoineConnectionError",
        "QuoineCredentialsError",
        "QuoineError",
        "QuoineInsufficientFunds",
        "QuoineInsufficientFundsError",
        "QuoineInvalidOrder",
        "QuoineInvalidOrderError",
        "QuoineNonceError",
        "QuoineNotFoundError",
        "QuoineOrderNotFound",
        "QuoineOrderNotFoundError",
        "QuoineRateLimitError",
        "QuoineRequestException",
        "QuoineResponseException",
        "QuoineServerError",
        "QuoineServiceUnavailable",
        "QuoineServiceUnavailableError",
        "QuoineSSLError",
        "QuoineTimeoutError",
        "QuoineTransportError",
        "QuoineUnprocessableError",
        "QuoineValidationError",
    ),
    ".pagination": ("iter_executions_since", "iter_pages"),
    ".ratelimit": ("RateLimiter",),
}
_MODULE_OF = {name: module for module, names in _EXPORTS.items() for name in names}


def __getattr__(name: str) -> Any:
    """Import a public name from its module on first access, then keep it here."""
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


logging.getLogger("quoine").addHandler(logging.NullHandler())
