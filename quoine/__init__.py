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

# Where each public name lives: module (relative to this package) -> names.
_EXPORTS = {
    ".client": ("Liquid", "Qryptos", "Quoine", "QuoineCredentialsError", "Quoinex"),
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
    ".exceptions": (
        "QuoineAPIException",
        "QuoineAuthenticationError",
        "QuoineBadRequestError",
        "QuoineConnectionError",
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
    ),
    ".pagination": ("iter_executions_since", "iter_pages"),
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
