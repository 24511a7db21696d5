"""Exceptions raised by python-quoine.

Everything the library raises on purpose derives from :class:`QuoineError`::

    QuoineError
    ├── QuoineValidationError       bad argument, caught before anything is sent (also a ValueError)
    ├── QuoineRequestException      the call did not produce a usable answer (0.1.x name)
    │   ├── QuoineResponseException     2xx answer whose body is not valid JSON
    │   ├── QuoineAmbiguousOrderError   an order may or may not have been placed
    │   └── QuoineTransportError        transport failure (also a requests.RequestException)
    │       ├── QuoineConnectionError       (also a requests.ConnectionError)
    │       │   └── QuoineSSLError              TLS failure (also a requests.SSLError)
    │       └── QuoineTimeoutError          (also a requests.Timeout)
    └── QuoineAPIException          the API answered with a non-2xx status (0.1.x name)
        ├── QuoineBadRequestError       400
        ├── QuoineAuthenticationError   401 (bad token, signature or IP whitelist)
        │   └── QuoineNonceError            401 "Nonce is too small"
        ├── QuoineNotFoundError         404
        │   └── QuoineOrderNotFound         "Order not found", "Can not update non-live order"
        ├── QuoineUnprocessableError    422 and other validation answers
        │   ├── QuoineInsufficientFunds     not_enough_free_balance, not_enough_fund, ...
        │   └── QuoineInvalidOrder          less_than_order_size, price_too_high, ...
        ├── QuoineRateLimitError        429 (``retry_after`` in seconds when known)
        │   └── QuoineClientRateLimitError  the client's own limiter would wait too long
        └── QuoineServerError           5xx
            └── QuoineServiceUnavailable    503

The exception class is chosen from the HTTP status first and then refined by the
error strings the API is known to send (see :func:`api_exception_for`).
"""

from __future__ import annotations

import email.utils
import json
import re
import time
from typing import TYPE_CHECKING, Any

import requests

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = [
    "QuoineAPIException",
    "QuoineAmbiguousOrderError",
    "QuoineAuthenticationError",
    "QuoineBadRequestError",
    "QuoineClientRateLimitError",
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
    "QuoineSSLError",
    "QuoineServerError",
    "QuoineServiceUnavailable",
    "QuoineTimeoutError",
    "QuoineTransportError",
    "QuoineUnprocessableError",
    "QuoineValidationError",
    "api_exception_for",
    "outcome_unknown",
]

#: Longest slice of a response body kept on an exception (characters).
BODY_SNIPPET_LENGTH = 200
#: Longest raw body kept in :attr:`QuoineAPIException.messages` for non-JSON bodies (bytes).
RAW_MESSAGES_LENGTH = 1000
#: Longest ``str()`` of any exception raised by the library (characters).
MAX_STR_LENGTH = 500


def _shorten(text: str, limit: int = MAX_STR_LENGTH) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _rebuild(cls: type[QuoineError], args: tuple[Any, ...], state: dict[str, Any]) -> Any:
    exc = cls.__new__(cls)
    exc.args = args
    exc.__dict__.update(state)
    return exc


class QuoineError(Exception):
    """Base class of every exception python-quoine raises on purpose.

    Attributes:
        attempts: How many times the request was sent (or tried) before this was
            raised; 0 when nothing was sent.
    """

    attempts: int = 0

    def __reduce__(self) -> Any:
        # Subclasses take keyword-only arguments, which plain exception pickling loses.
        return (_rebuild, (type(self), self.args, self.__dict__.copy()))


class QuoineValidationError(QuoineError, ValueError):
    """An argument is invalid; the library raised this before sending anything."""


class QuoineRequestException(QuoineError):
    """The call did not produce a usable answer.

    In python-quoine 0.1.x this was raised for a 2xx answer with a body that is not
    JSON; that case is now :class:`QuoineResponseException`, a subclass, so
    ``except QuoineRequestException`` keeps working.

    Attributes:
        message: A short description of what went wrong.
    """

    def __init__(self, message: str) -> None:
        self.message = _shorten(str(message))
        super().__init__(self.message)

    def __str__(self) -> str:
        return f"{type(self).__name__}: {self.message}"


class QuoineResponseException(QuoineRequestException):
    """A 2xx answer whose body is not valid JSON (HTML, plain text, truncated, empty...).

    Attributes:
        status_code: The HTTP status of the answer.
        response: The :class:`requests.Response` (its request's auth header is masked).
        request: The request that was sent (auth header masked).
        body: The first 200 characters of the body, decoded leniently.
    """

    def __init__(self, message: str, response: requests.Response) -> None:
        super().__init__(message)
        self.response = response
        self.request = response.request
        self.status_code = response.status_code
        self.body = _body_snippet(response)


class QuoineTransportError(QuoineRequestException, requests.exceptions.RequestException):
    """The request could not be completed: connection, timeout or TLS failure.

    The original :mod:`requests` exception is chained as ``__cause__``.

    Attributes:
        sent: False when the request provably never left this machine (DNS failure,
            connection refused, connect timeout); True when it may have reached the
            server, so its outcome is unknown.
    """

    def __init__(self, message: str, *, sent: bool = True) -> None:
        super().__init__(message)
        self.sent = sent


class QuoineConnectionError(QuoineTransportError, requests.exceptions.ConnectionError):
    """The connection failed, was refused, reset or dropped, or TLS failed."""


class QuoineSSLError(QuoineConnectionError, requests.exceptions.SSLError):
    """TLS failed (e.g. certificate verification): never retried, nothing was sent."""


class QuoineTimeoutError(QuoineTransportError, requests.exceptions.Timeout):
    """The server did not answer within the timeout, or the call ran past its deadline."""


class QuoineAmbiguousOrderError(QuoineRequestException):
    """An order request may have reached the exchange, but no usable answer came back.

    The request was not sent again: doing so could place the order twice. When the
    order had a ``client_order_id`` the client looked it up and did not find it (or
    could not look). Check with :meth:`~quoine.client.Quoine.get_order_by_client_order_id`
    before placing it again, with the same ``client_order_id``. The failure that
    made the outcome unknown is chained as ``__cause__``.

    Attributes:
        client_order_id: The order's ``client_order_id``, or None if it had none.
        sent: Always True: the request may have reached the server.
    """

    def __init__(self, message: str, *, client_order_id: str | None) -> None:
        super().__init__(message)
        self.client_order_id = client_order_id
        self.sent = True


class QuoineAPIException(QuoineError):
    """The API answered with a non-2xx HTTP status.

    Attributes:
        status_code: The HTTP status code.
        response: The :class:`requests.Response` (its request's auth header is masked).
        request: The :class:`requests.PreparedRequest` that was sent (auth masked).
        messages: As in python-quoine 0.1.x: the whole decoded body when it has a
            ``message`` key, the inner ``errors`` object when it has an ``errors`` key,
            the raw body bytes (first 1000) when it is not JSON, and otherwise the
            decoded body (0.1.x left the attribute unset there, so ``str()`` crashed).
        message: The human readable message: the ``message`` field, a summary of
            ``errors``, or the start of the body.
        errors: The ``errors`` object, e.g. ``{"user": ["not_enough_free_balance"]}``,
            or None.
        code: The first error code, e.g. ``"not_enough_free_balance"``, or None.
        body: The first 200 characters of the body, decoded leniently.
        retry_after: Seconds the server asked to wait (``Retry-After`` header or a
            "retry after Ns" message), or None.
    """

    def __init__(
        self,
        response: requests.Response,
        *,
        decoded: Any = None,
        is_json: bool | None = None,
    ) -> None:
        self.response = response
        self.request = response.request
        self.status_code: int = response.status_code
        self.body = _body_snippet(response)
        if is_json is None:
            decoded, is_json = _try_decode(response)
        self.messages: Any = _legacy_messages(decoded, is_json, response)
        self.errors: dict[str, Any] | None = _errors_of(decoded) if is_json else None
        self.code: str | None = _first_code(self.errors)
        self.message: str = _message_of(decoded, is_json, self.errors, self.body)
        self.retry_after: float | None = retry_after_seconds(response.headers, self.message)
        super().__init__(self.status_code, self.message)

    def __str__(self) -> str:
        reason = _shorten(str(self.response.reason or ""), 60)
        head = f"{self.status_code} {reason}".strip()
        return _shorten(f"{type(self).__name__}: {head}: {self.message}")

    def __repr__(self) -> str:
        return f"{type(self).__name__}(status_code={self.status_code}, message={self.message!r})"


class QuoineBadRequestError(QuoineAPIException):
    """HTTP 400: the request was malformed."""


class QuoineAuthenticationError(QuoineAPIException):
    """HTTP 401: wrong token id or secret, bad signature, or IP not whitelisted."""


class QuoineNonceError(QuoineAuthenticationError):
    """HTTP 401 ``Nonce is too small``: the nonce was not above the last one accepted."""


class QuoineNotFoundError(QuoineAPIException):
    """HTTP 404: the resource does not exist (or is not yours)."""


class QuoineOrderNotFound(QuoineNotFoundError):
    """The order does not exist or is no longer live (cancelling a filled order)."""


class QuoineUnprocessableError(QuoineAPIException):
    """HTTP 422: the API rejected the parameters."""


class QuoineInsufficientFunds(QuoineUnprocessableError):
    """The account does not have enough free balance."""


class QuoineInvalidOrder(QuoineUnprocessableError):
    """The order was rejected: size, price or state not allowed."""


class QuoineRateLimitError(QuoineAPIException):
    """HTTP 429: too many requests; :attr:`retry_after` says how long to wait."""


class QuoineClientRateLimitError(QuoineRateLimitError):
    """The client's own rate limiter would have to wait longer than allowed.

    Nothing was sent. It is a :class:`QuoineRateLimitError`, so one ``except``
    handles both the server's 429 and the client's refusal; there is no HTTP
    answer, so :attr:`response` and :attr:`request` are None and
    :attr:`status_code` is 429.

    Attributes:
        retry_after: Seconds until the limiter would let the request go.
    """

    def __init__(self, message: str, *, retry_after: float) -> None:
        # No HTTP answer to decode: set the attributes QuoineAPIException documents.
        self.response = None  # type: ignore[assignment]
        self.request = None  # type: ignore[assignment]
        self.status_code = 429
        self.body = ""
        self.messages = {"message": message}
        self.errors = None
        self.code = None
        self.message = _shorten(message)
        self.retry_after = retry_after
        Exception.__init__(self, 429, self.message)

    def __str__(self) -> str:
        return f"{type(self).__name__}: {self.message}"


class QuoineServerError(QuoineAPIException):
    """HTTP 5xx: the server failed."""


class QuoineServiceUnavailable(QuoineServerError):
    """HTTP 503: the service is unavailable or the usage limit was reached."""


_STATUS_CLASSES: dict[int, type[QuoineAPIException]] = {
    400: QuoineBadRequestError,
    401: QuoineAuthenticationError,
    404: QuoineNotFoundError,
    422: QuoineUnprocessableError,
    429: QuoineRateLimitError,
    503: QuoineServiceUnavailable,
}

# Known error strings, most specific first (reference §4.3).
_INSUFFICIENT_FUNDS = {
    "not_enough_free_balance",
    "not_enough_fund",
    "not_enough_balance",
}
_INVALID_ORDER = {
    "less_than_order_size",
    "must_be_positive",
    "price_too_high",
    "price_too_small",
    "product_disabled",
    "can not update partially filled order",
    "post_only_order_would_take",
}
_ORDER_NOT_FOUND = {"order not found", "can not update non-live order"}


def api_exception_for(status_code: int, texts: list[str]) -> type[QuoineAPIException]:
    """Choose the exception class for an error answer.

    Args:
        status_code: The HTTP status.
        texts: Every error string found in the body (``message`` and all ``errors``).

    Returns:
        The most specific :class:`QuoineAPIException` subclass that fits.

    Example:
        >>> api_exception_for(422, ["not_enough_free_balance"]).__name__
        'QuoineInsufficientFunds'
    """
    lowered = {text.strip().lower() for text in texts}
    if status_code == 429 or any("rate limit exceeded" in t for t in lowered):
        return QuoineRateLimitError
    if "nonce is too small" in lowered:
        return QuoineNonceError
    if status_code == 401 or any("ip whitelist" in t for t in lowered):
        return QuoineAuthenticationError
    if lowered & _ORDER_NOT_FOUND:
        return QuoineOrderNotFound
    if lowered & _INSUFFICIENT_FUNDS:
        return QuoineInsufficientFunds
    if lowered & _INVALID_ORDER:
        return QuoineInvalidOrder
    if status_code in _STATUS_CLASSES:
        return _STATUS_CLASSES[status_code]
    return QuoineServerError if status_code >= 500 else QuoineAPIException


def outcome_unknown(exc: BaseException) -> bool:
    """Whether a failed request may nevertheless have been carried out by the server.

    True when the request may have reached the server but no usable answer came
    back: a transport failure after sending (read timeout, reset, cut-off body),
    any 5xx answer, a 2xx answer whose body is not valid JSON, and every
    :class:`QuoineAmbiguousOrderError`.

    Args:
        exc: The exception a request raised.

    Returns:
        True when the outcome is unknown, False when the request provably failed.

    Example:
        >>> outcome_unknown(QuoineTimeoutError("read timed out", sent=True))
        True
    """
    if isinstance(exc, QuoineTransportError):
        return exc.sent
    if isinstance(exc, (QuoineServerError, QuoineAmbiguousOrderError)):
        return True
    return isinstance(exc, QuoineResponseException) and 200 <= exc.status_code < 300


def raise_for_error_response(response: requests.Response) -> None:
    """Raise the :class:`QuoineAPIException` subclass that fits a non-2xx answer."""
    decoded, is_json = _try_decode(response)
    texts = _error_texts(decoded) if is_json else [_body_snippet(response)]
    cls = api_exception_for(response.status_code, texts)
    raise cls(response, decoded=decoded, is_json=is_json)


_RETRY_AFTER_IN_MESSAGE = re.compile(r"retry after (\d+(?:\.\d+)?)\s*s", re.IGNORECASE)


def retry_after_seconds(headers: Mapping[str, str], message: str) -> float | None:
    """Seconds to wait from a ``Retry-After`` header or a "retry after Ns" message.

    Args:
        headers: The response headers.
        message: The decoded error message.

    Returns:
        The delay in seconds, or None when neither says. Every way of saying
        "now" (0, a negative number, a date in the past) is 0.0.

    Example:
        >>> retry_after_seconds({}, "API rate limit exceeded. Please retry after 300s")
        300.0
    """
    value = (headers.get("Retry-After") or "").strip()
    if value:
        try:
            seconds = float(value)
        except ValueError:
            when = _parse_http_date(value)
            if when is not None:
                return max(0.0, when - time.time())
        else:
            if seconds == seconds and seconds != float("inf"):
                return max(seconds, 0.0)  # zero or less: now
    match = _RETRY_AFTER_IN_MESSAGE.search(message or "")
    return float(match.group(1)) if match else None


def _parse_http_date(value: str) -> float | None:
    try:
        parsed = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return parsed.timestamp() if parsed.tzinfo is not None else None


def _body_snippet(response: requests.Response) -> str:
    try:
        raw = response.content or b""
    except Exception:  # a body that cannot be read must not hide the real error
        raw = b""
    return raw[: BODY_SNIPPET_LENGTH * 4].decode("utf-8", errors="replace")[:BODY_SNIPPET_LENGTH]


def _try_decode(response: requests.Response) -> tuple[Any, bool]:
    try:
        raw = response.content or b""
        return json.loads(raw.decode("utf-8"), parse_constant=reject_json_constant), True
    except Exception:
        return None, False


def reject_json_constant(name: str) -> Any:
    """``parse_constant`` for :func:`json.loads`: refuse ``NaN`` and ``Infinity``."""
    raise ValueError(f"{name} is not valid JSON")


def _legacy_messages(decoded: Any, is_json: bool, response: requests.Response) -> Any:
    if not is_json:
        try:
            return (response.content or b"")[:RAW_MESSAGES_LENGTH]
        except Exception:
            return b""
    if isinstance(decoded, dict):
        if "message" in decoded:
            return decoded
        if "errors" in decoded:
            return decoded["errors"]
    return decoded


def _errors_of(decoded: Any) -> dict[str, Any] | None:
    if isinstance(decoded, dict):
        errors = decoded.get("errors")
        if isinstance(errors, dict):
            return errors
        # Top-level {"user": [...]} as in 0.1.x's docstring.
        if (
            decoded
            and "message" not in decoded
            and all(isinstance(v, list) for v in decoded.values())
        ):
            return decoded
    return None


def _first_code(errors: dict[str, Any] | None) -> str | None:
    if not errors:
        return None
    for value in errors.values():
        items = value if isinstance(value, list) else [value]
        for item in items:
            if isinstance(item, str):
                return item
    return None


def _error_texts(decoded: Any) -> list[str]:
    """Every string in the error body, at any depth (bounded)."""
    texts: list[str] = []
    stack = [decoded]
    while stack and len(texts) < 50:
        item = stack.pop()
        if isinstance(item, str):
            texts.append(item)
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item[:50])
    return texts


def _message_of(decoded: Any, is_json: bool, errors: dict[str, Any] | None, body: str) -> str:
    if is_json and isinstance(decoded, dict):
        message = decoded.get("message")
        if isinstance(message, str) and message:
            return _shorten(message)
        if errors:
            parts = []
            for key, value in errors.items():
                values = value if isinstance(value, list) else [value]
                parts.append(f"{key}: {', '.join(str(v) for v in values)}")
            return _shorten("; ".join(parts))
        error = decoded.get("error")
        if isinstance(error, str) and error:
            return _shorten(error)
    if is_json:
        return _shorten(json.dumps(decoded, default=str)) if decoded is not None else ""
    text = " ".join(body.split())
    return _shorten(text, BODY_SNIPPET_LENGTH)
