"""Exceptions raised by python-quoine.

Everything the library raises on purpose derives from :class:`QuoineError`::

    QuoineError
    ├── QuoineValidationError       bad argument, caught before anything is sent (also a ValueError)
    ├── QuoineCredentialsError      signed call on a client without credentials
    ├── QuoineRequestException      the call did not produce a usable answer (0.1.x name)
    │   ├── QuoineResponseException     2xx answer that cannot be decoded, or a redirect
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
        │   └── QuoineOrderNotFoundError    "Order not found", "Can not update non-live order"
        ├── QuoineUnprocessableError    422 and other validation answers
        │   ├── QuoineInsufficientFundsError    not_enough_free_balance, not_enough_fund, ...
        │   └── QuoineInvalidOrderError         less_than_order_size, price_too_high, ...
        ├── QuoineRateLimitError        429 (``retry_after`` in seconds when known)
        │   └── QuoineClientRateLimitError  the client's own limiter would wait too long
        └── QuoineServerError           5xx
            └── QuoineServiceUnavailableError   503

``QuoineOrderNotFound``, ``QuoineInsufficientFunds``, ``QuoineInvalidOrder`` and
``QuoineServiceUnavailable`` are the same classes under their earlier names.

This module holds the classes only. Reading an error answer, choosing its class
and parsing ``Retry-After`` happen in ``quoine._decode``; every exception can
also be built from plain data with keyword arguments, for tests and wrappers.
"""

from __future__ import annotations

from typing import Any

import requests

__all__ = [
    "MAX_STR_LENGTH",
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
    "outcome_unknown",
]

#: Longest ``str()`` of any exception raised by the library (characters).
MAX_STR_LENGTH = 500


def shorten(text: str, limit: int = MAX_STR_LENGTH) -> str:
    """Cut ``text`` to ``limit`` characters, ending with ``...`` when cut."""
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


class QuoineCredentialsError(QuoineError):
    """A signed endpoint was called on a client without an API token id and secret.

    Nothing was sent. Also importable from :mod:`quoine.client`, where it was first.
    """


class QuoineRequestException(QuoineError):
    """The call did not produce a usable answer.

    In python-quoine 0.1.x this was raised for a 2xx answer with a body that is not
    JSON; that case is now :class:`QuoineResponseException`, a subclass, so
    ``except QuoineRequestException`` keeps working.

    Attributes:
        message: A short description of what went wrong (also ``str(exc)``).
    """

    def __init__(self, message: str) -> None:
        self.message = shorten(str(message))
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message


class QuoineResponseException(QuoineRequestException):
    """A 2xx answer whose body cannot be decoded (not JSON, or JSON no client can use).

    HTML, plain text, a truncated or empty body, ``NaN``, numbers of absurd size,
    nesting too deep to decode, a lone UTF-16 surrogate; also a redirect, which
    the client never follows.

    Attributes:
        status_code: The HTTP status of the answer.
        response: The :class:`requests.Response` (its request's auth header is
            masked; it keeps at most the body's first 64 KB), or None.
        request: The request that was sent (auth header masked), or None.
        body: The first 200 characters of the body, decoded leniently.
    """

    def __init__(
        self,
        message: str,
        response: requests.Response | None = None,
        *,
        status_code: int | None = None,
        body: str = "",
    ) -> None:
        super().__init__(message)
        self.response = response
        self.request = None if response is None else response.request
        if status_code is None:
            status_code = 0 if response is None else response.status_code
        self.status_code: int = status_code
        self.body = body


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
    could not look). Check with :meth:`~quoine.client.Quoinex.get_order_by_client_order_id`
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

    The client builds it from the answer; it can also be built from plain data,
    e.g. ``QuoineInsufficientFundsError(status_code=422, code="not_enough_fund")``.
    The 0.1.x form ``QuoineAPIException(response)`` takes the status and request
    from the response without reading its body.

    Attributes:
        status_code: The HTTP status code.
        reason: The HTTP reason phrase, e.g. ``"Unprocessable Entity"``.
        response: The :class:`requests.Response` (its request's auth header is
            masked), or None.
        request: The :class:`requests.PreparedRequest` that was sent (auth masked),
            or None.
        message: The human readable message: the ``message`` field, a summary of
            ``errors``, or the start of the body.
        errors: The ``errors`` object, e.g. ``{"user": ["not_enough_free_balance"]}``,
            or None.
        code: The error code: Liquid's ``code`` field (``"valid_amount"``) or the
            first code in ``errors`` (``"not_enough_free_balance"``), or None.
        additional_data: Liquid's ``additional_data`` field, or None.
        messages: As in python-quoine 0.1.x: the whole decoded body when it has a
            ``message`` key, the inner ``errors`` object when it has an ``errors`` key,
            the raw body bytes (first 1000) when it is not JSON, and otherwise the
            decoded body (0.1.x left the attribute unset there, so ``str()`` crashed).
        body: The first 200 characters of the body, decoded leniently.
        retry_after: Seconds the server asked to wait (``Retry-After`` header or a
            "retry after Ns" message), or None.
    """

    def __init__(
        self,
        response: requests.Response | None = None,
        *,
        status_code: int | None = None,
        reason: str | None = None,
        message: str = "",
        errors: dict[str, Any] | None = None,
        code: str | None = None,
        additional_data: Any = None,
        messages: Any = None,
        body: str = "",
        retry_after: float | None = None,
    ) -> None:
        self.response = response
        self.request = None if response is None else response.request
        if status_code is None:
            status_code = 0 if response is None else response.status_code
        if reason is None:
            reason = "" if response is None else str(response.reason or "")
        self.status_code: int = status_code
        self.reason = shorten(reason, 60)
        self.message = shorten(message)
        self.errors = errors
        self.code = code
        self.additional_data = additional_data
        self.messages = messages
        self.body = body
        self.retry_after = retry_after
        super().__init__(self.status_code, self.message)

    def __str__(self) -> str:
        head = f"{self.status_code} {self.reason}".strip()
        return shorten(f"{head}: {self.message}" if self.message else head)

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


class QuoineOrderNotFoundError(QuoineNotFoundError):
    """The order does not exist or is no longer live (cancelling a filled order)."""


class QuoineUnprocessableError(QuoineAPIException):
    """HTTP 422: the API rejected the parameters."""


class QuoineInsufficientFundsError(QuoineUnprocessableError):
    """The account does not have enough free balance."""


class QuoineInvalidOrderError(QuoineUnprocessableError):
    """The order was rejected: size, price or state not allowed."""


class QuoineRateLimitError(QuoineAPIException):
    """HTTP 429: too many requests; :attr:`~QuoineAPIException.retry_after` says how long."""


class QuoineClientRateLimitError(QuoineRateLimitError):
    """The client's own rate limiter would have to wait longer than allowed.

    Nothing was sent. It is a :class:`QuoineRateLimitError`, so one ``except``
    handles both the server's 429 and the client's refusal; there is no HTTP
    answer, so :attr:`~QuoineAPIException.response` and
    :attr:`~QuoineAPIException.request` are None and
    :attr:`~QuoineAPIException.status_code` is 429.

    Attributes:
        retry_after: Seconds until the limiter would let the request go.
    """

    def __init__(self, message: str, *, retry_after: float) -> None:
        super().__init__(
            status_code=429,
            message=message,
            messages={"message": message},
            retry_after=retry_after,
        )

    def __str__(self) -> str:
        return self.message


class QuoineServerError(QuoineAPIException):
    """HTTP 5xx: the server failed."""


class QuoineServiceUnavailableError(QuoineServerError):
    """HTTP 503: the service is unavailable or the usage limit was reached."""


# The names these classes had before 1.0 (see docs/exceptions.rst).
QuoineOrderNotFound = QuoineOrderNotFoundError
QuoineInsufficientFunds = QuoineInsufficientFundsError
QuoineInvalidOrder = QuoineInvalidOrderError
QuoineServiceUnavailable = QuoineServiceUnavailableError


def outcome_unknown(exc: BaseException) -> bool:
    """Whether a failed request may nevertheless have been carried out by the server.

    True when the request may have reached the server but no usable answer came
    back: a transport failure after sending (read timeout, reset, cut-off body),
    any 5xx answer, a 2xx answer that cannot be decoded, and every
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
