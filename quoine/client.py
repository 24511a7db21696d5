"""The clients: :class:`Quoine` and its exchange presets Quoinex, Qryptos and Liquid.

Every API call goes through :meth:`Quoine._request`: build the URL and body, sign
with a fresh nonce, send with a timeout and without following redirects, and
decode the answer or raise a typed exception.
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Mapping
from decimal import Decimal
from types import TracebackType
from typing import Any, TypeVar, Union
from urllib.parse import urlencode

import requests

from ._auth import NonceGenerator, QuoineAuth
from ._version import __version__
from .constants import API_VERSION, DEFAULT_TIMEOUT
from .endpoints import (
    AccountsMixin,
    ExecutionsMixin,
    FeesMixin,
    FundingMixin,
    LoansMixin,
    OrdersMixin,
    ProductsMixin,
    TradesMixin,
    TradingAccountsMixin,
)
from .exceptions import (
    QuoineConnectionError,
    QuoineError,
    QuoineResponseException,
    QuoineTimeoutError,
    QuoineTransportError,
    QuoineValidationError,
    raise_for_error_response,
)

__all__ = ["Liquid", "Qryptos", "Quoine", "QuoineCredentialsError", "Quoinex"]

logger = logging.getLogger("quoine")

#: A timeout in seconds, or a ``(connect, read)`` pair.
Timeout = Union[float, tuple[float, float]]

_ClientT = TypeVar("_ClientT", bound="Quoine")
_AUTH_HEADER = "X-Quoine-Auth"
_TOKEN_ENV = "QUOINE_API_TOKEN_ID"
_SECRET_ENV = "QUOINE_API_SECRET"


class QuoineCredentialsError(QuoineError):
    """A signed endpoint was called on a client without an API token id and secret."""


class Quoine(
    ProductsMixin,
    ExecutionsMixin,
    OrdersMixin,
    AccountsMixin,
    LoansMixin,
    TradingAccountsMixin,
    TradesMixin,
    FundingMixin,
    FeesMixin,
):
    """A client for the Quoine / Liquid REST API v2.

    The positional arguments are those of python-quoine 0.1.x; everything new is
    keyword-only. Credentials may be omitted: public endpoints then work, and a
    signed call raises :class:`QuoineCredentialsError` before sending anything.

    Args:
        api_token_id: API token id; defaults to ``$QUOINE_API_TOKEN_ID``.
        api_secret: API secret; defaults to ``$QUOINE_API_SECRET``. Never shown in
            a repr, a log line or an exception.
        vendor_id: Sent as ``X-Quoine-Vendor-ID`` when given.
        language: Sent as ``Accept-Language`` (default ``"en"``); the API localises
            its ``message`` errors.
        api_url: Base URL, e.g. a sandbox's. Defaults to the class's ``API_URL``
            (an ``API_URL`` set on the instance later is honoured too).
        timeout: Seconds, or ``(connect, read)``; default ``(3.05, 10)``. Must be
            positive: a request without a timeout can hang forever.
        session: A configured :class:`requests.Session` (proxies, adapters,
            certificates) to use as given. The client closes only a session it
            created itself.

    Example:
        .. code-block:: python

            from quoine.client import Liquid

            with Liquid("TOKEN_ID", "SECRET") as client:
                print(client.get_product(1)["last_traded_price"])
    """

    API_URL = "https://api.quoine.com"
    API_VERSION = API_VERSION
    VENDOR_ID: str | None = None
    LANGUAGE = "en"

    # python-quoine 0.1.x constants, kept with their plain values.
    SIDE_BUY = "buy"
    SIDE_SELL = "sell"
    STATUS_FILLED = "filled"
    STATUS_LIVE = "live"
    STATUS_PARTIAL = "partially_filled"
    STATUS_CANCELLED = "cancelled"
    ORDER_TYPE_LIMIT = "limit"
    ORDER_TYPE_MARKET = "market"
    ORDER_TYPE_MARKET_RANGE = "market_with_range"
    ORDER_TYPE_LIMIT_POST_ONLY = "limit_post_only"
    ORDER_TYPE_STOP = "stop"
    ORDER_TYPE_TRAILING_STOP = "trailing_stop"
    LEVERAGE_LEVEL_2 = 2
    LEVERAGE_LEVEL_4 = 4
    LEVERAGE_LEVEL_5 = 5
    LEVERAGE_LEVEL_10 = 10
    LEVERAGE_LEVEL_25 = 25
    MARGIN_ORDER_DIRECTION_ONE = "one_direction"
    MARGIN_ORDER_DIRECTION_TWO = "two_direction"
    MARGIN_ORDER_DIRECTION_NET = "netout"

    def __init__(
        self,
        api_token_id: str | None = None,
        api_secret: str | None = None,
        vendor_id: str | None = None,
        language: str | None = None,
        *,
        api_url: str | None = None,
        timeout: Timeout = DEFAULT_TIMEOUT,
        session: requests.Session | None = None,
    ) -> None:
        if api_token_id is None:
            api_token_id = os.environ.get(_TOKEN_ENV) or None
        if api_secret is None:
            api_secret = os.environ.get(_SECRET_ENV) or None
        _check_credential(api_token_id, "api_token_id", _TOKEN_ENV)
        _check_credential(api_secret, "api_secret", _SECRET_ENV)
        if api_url is not None:
            self.API_URL = _check_url(api_url)
        self.timeout: Timeout = _check_timeout(timeout)
        self.api_token_id = api_token_id
        self.vendor_id = vendor_id if vendor_id is not None else self.VENDOR_ID
        self.language = language or self.LANGUAGE
        self.nonces = NonceGenerator()
        self._auth = (
            QuoineAuth(api_token_id, api_secret, self.nonces)
            if api_token_id and api_secret
            else None
        )
        self._owns_session = session is None
        self.session = session if session is not None else requests.Session()
        self.headers = self._default_headers()

    def _default_headers(self) -> dict[str, str]:
        headers = {
            "Accept": "application/json",
            "Content-Type": "application/json",
            "User-Agent": f"python-quoine/{__version__}",
            "X-Quoine-API-Version": self.API_VERSION,
            "Accept-Language": self.language,
        }
        if self.vendor_id:
            headers["X-Quoine-Vendor-ID"] = str(self.vendor_id)
        return headers

    def __repr__(self) -> str:
        auth = f"token_id={self.api_token_id!r}, secret='***'" if self._auth else "public"
        return f"{type(self).__name__}(api_url={self.API_URL!r}, {auth})"

    def close(self) -> None:
        """Close the HTTP session if the client created it."""
        if self._owns_session:
            self.session.close()

    def __enter__(self: _ClientT) -> _ClientT:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def _request(
        self,
        method: str,
        path: str,
        *,
        signed: bool = False,
        params: Mapping[str, Any] | None = None,
        body: Any = None,
    ) -> Any:
        """Send one API request and return its decoded JSON answer.

        Args:
            method: HTTP verb.
            path: Path below the API root, without a leading slash.
            signed: Add the ``X-Quoine-Auth`` signature.
            params: Query parameters (already checked; None values dropped).
            body: JSON body, sent as UTF-8 JSON with exact decimals.

        Returns:
            The decoded JSON (floats as :class:`~decimal.Decimal`).
        """
        auth = self._auth
        if signed and auth is None:
            raise QuoineCredentialsError(
                f"{method} /{path} needs an API token id and secret: pass them to "
                f"{type(self).__name__}(...) or set {_TOKEN_ENV} and {_SECRET_ENV}"
            )
        query = urlencode(params, doseq=True) if params else ""
        url = f"{self.API_URL.rstrip('/')}/{path}" + (f"?{query}" if query else "")
        data = None if body is None else _dump_json(body)
        started = time.perf_counter()
        try:
            response = self.session.request(
                method,
                url,
                data=data,
                headers=self.headers,
                auth=auth if signed else None,
                timeout=self.timeout,
                allow_redirects=False,
            )
        except requests.exceptions.RequestException as exc:
            _mask_auth(exc.request)
            logger.debug("%s /%s failed: %s", method, path, type(exc).__name__)
            raise _transport_error(exc) from exc
        logger.debug(
            "%s /%s -> %s in %.1f ms",
            method,
            path,
            response.status_code,
            (time.perf_counter() - started) * 1000,
        )
        return _decode(response)


class Quoinex(Quoine):
    """Client for Quoinex, https://api.quoine.com."""

    API_URL = "https://api.quoine.com"


class Qryptos(Quoinex):
    """Client for Qryptos, https://api.qryptos.com."""

    API_URL = "https://api.qryptos.com"


class Liquid(Quoinex):
    """Client for Liquid, https://api.liquid.com (Quoinex and Qryptos after the 2018 merger)."""

    API_URL = "https://api.liquid.com"


def _check_credential(value: Any, name: str, env: str) -> None:
    if value is None:
        return
    if not isinstance(value, str) or not value or value != value.strip():
        # Never echo the value: it may be the secret.
        raise QuoineValidationError(
            f"{name} (or ${env}) must be a non-empty string without surrounding whitespace"
        )


def _check_url(url: Any) -> str:
    if not isinstance(url, str) or not url.startswith(("http://", "https://")):
        raise QuoineValidationError(f"api_url must start with http:// or https://, got {url!r}")
    return url.rstrip("/")


def _check_timeout(timeout: Any) -> Timeout:
    parts = timeout if isinstance(timeout, tuple) else (timeout,)
    if len(parts) not in (1, 2) or not all(
        isinstance(p, (int, float)) and not isinstance(p, bool) and p > 0 and p != float("inf")
        for p in parts
    ):
        raise QuoineValidationError(
            "timeout must be a positive number of seconds or a (connect, read) pair; "
            f"got {timeout!r} (a request without a timeout can hang forever)"
        )
    return (float(parts[0]), float(parts[1])) if len(parts) == 2 else float(parts[0])


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format(value, "f")
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def _dump_json(body: Any) -> bytes:
    return json.dumps(body, separators=(",", ":"), default=_json_default, allow_nan=False).encode()


def _mask_auth(request: Any) -> None:
    headers = getattr(request, "headers", None)
    if headers is not None and _AUTH_HEADER in headers:
        headers[_AUTH_HEADER] = "***"


def _masked_copy(response: requests.Response) -> requests.Response:
    # The answer is going into an exception: keep the real request (tests and
    # hooks may hold it) but hand out a copy with the signature masked.
    if response.request is not None and _AUTH_HEADER in response.request.headers:
        request = response.request.copy()
        _mask_auth(request)
        response.request = request
    return response


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def _decode(response: requests.Response) -> Any:
    status = response.status_code
    if status >= 400:
        raise_for_error_response(_masked_copy(response))
    if 300 <= status < 400:
        location = response.headers.get("Location", "")
        raise QuoineResponseException(
            f"unexpected redirect ({status}) to {location[:100]!r}; not followed",
            _masked_copy(response),
        )
    if status == 204:
        return None
    try:
        return json.loads(response.content, parse_float=Decimal, parse_constant=_reject_constant)
    except (ValueError, UnicodeDecodeError):
        kind = response.headers.get("Content-Type", "unknown type")
        raise QuoineResponseException(
            f"Invalid Response: status {status}, {kind[:60]}, body is not valid JSON",
            _masked_copy(response),
        ) from None


# Failures that happen before any request byte is written: the request provably
# never reached the server. urllib3 names its cause in the exception text.
_NOT_SENT_MARKERS = (
    "NewConnectionError",
    "NameResolutionError",
    "Failed to resolve",
    "Connection refused",
    "ConnectTimeoutError",
)


def _transport_error(exc: requests.exceptions.RequestException) -> QuoineTransportError:
    """Wrap a requests failure, noting whether the request may have reached the server."""
    text = str(exc)
    never_sent = isinstance(
        exc, (requests.exceptions.ConnectTimeout, requests.exceptions.SSLError)
    ) or any(marker in text for marker in _NOT_SENT_MARKERS)
    message = text if len(text) < 300 else text[:297] + "..."
    if isinstance(exc, requests.exceptions.Timeout):
        return QuoineTimeoutError(message, sent=not never_sent)
    return QuoineConnectionError(message, sent=not never_sent)
