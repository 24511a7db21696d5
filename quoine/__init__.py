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

from ._version import __version__ as __version__

if TYPE_CHECKING:
    # For type checkers and IDEs ("X as X" re-exports X); tests/unit/test_exports.py
    # holds these imports equal to _EXPORTS below.
    # isort: off
    from ._auth import NonceGenerator as NonceGenerator
    from .client import (
        Liquid as Liquid,
        Qryptos as Qryptos,
        Quoine as Quoine,
        Quoinex as Quoinex,
    )
    from .constants import (
        MarginOrderDirection as MarginOrderDirection,
        MarginType as MarginType,
        OrderStatus as OrderStatus,
        OrderType as OrderType,
        Side as Side,
        TradeSide as TradeSide,
        TradeStatus as TradeStatus,
        TradingType as TradingType,
        TrailingStopType as TrailingStopType,
        WithdrawalState as WithdrawalState,
    )
    from .endpoints.orders import new_client_order_id as new_client_order_id
    from .exceptions import (
        QuoineAPIException as QuoineAPIException,
        QuoineAmbiguousOrderError as QuoineAmbiguousOrderError,
        QuoineAuthenticationError as QuoineAuthenticationError,
        QuoineBadRequestError as QuoineBadRequestError,
        QuoineClientRateLimitError as QuoineClientRateLimitError,
        QuoineConnectionError as QuoineConnectionError,
        QuoineCredentialsError as QuoineCredentialsError,
        QuoineError as QuoineError,
        QuoineInsufficientFunds as QuoineInsufficientFunds,
        QuoineInsufficientFundsError as QuoineInsufficientFundsError,
        QuoineInvalidOrder as QuoineInvalidOrder,
        QuoineInvalidOrderError as QuoineInvalidOrderError,
        QuoineNonceError as QuoineNonceError,
        QuoineNotFoundError as QuoineNotFoundError,
        QuoineOrderNotFound as QuoineOrderNotFound,
        QuoineOrderNotFoundError as QuoineOrderNotFoundError,
        QuoineRateLimitError as QuoineRateLimitError,
        QuoineRequestException as QuoineRequestException,
        QuoineResponseException as QuoineResponseException,
        QuoineServerError as QuoineServerError,
        QuoineServiceUnavailable as QuoineServiceUnavailable,
        QuoineServiceUnavailableError as QuoineServiceUnavailableError,
        QuoineSSLError as QuoineSSLError,
        QuoineTimeoutError as QuoineTimeoutError,
        QuoineTransportError as QuoineTransportError,
        QuoineUnprocessableError as QuoineUnprocessableError,
        QuoineValidationError as QuoineValidationError,
    )
    from .pagination import (
        iter_executions_since as iter_executions_since,
        iter_pages as iter_pages,
    )
    from .ratelimit import RateLimiter as RateLimiter
    # isort: on

# The public names, written once: module (relative to this package) -> names.
# Each is imported from its module on first use (see __getattr__).
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

__all__ = sorted(["__version__", *_MODULE_OF])


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
