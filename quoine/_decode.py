"""Turning bytes into answers: JSON in and out, error bodies into exceptions.

:func:`decode` reads a successful answer's JSON or raises; :func:`api_error`
builds the :class:`~quoine.exceptions.QuoineAPIException` subclass that fits an
error answer, from any of the error shapes the API has used:

- ``{"message": "Order not found"}`` (localised text);
- ``{"errors": {"user": ["not_enough_free_balance"]}}`` (codes per object);
- ``{"message": "...", "code": "valid_amount", "additional_data": [...]}`` (Liquid);
- the older ``{"error": "Currency missing"}``, ``{"error": {"msg": "..."}}``,
  ``{"success": false, "message": "..."}`` and a top-level ``{"user": [...]}``;
- plain text or HTML (a 401 ``API Authentication failed``, a proxy's 502 page).

Nothing here sends, retries or signs.
"""

from __future__ import annotations

import email.utils
import json
import math
import re
import sys
import time
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, Callable, NamedTuple, Union

import requests

from .exceptions import (
    MAX_STR_LENGTH,
    QuoineAPIException,
    QuoineAuthenticationError,
    QuoineBadRequestError,
    QuoineInsufficientFundsError,
    QuoineInvalidOrderError,
    QuoineNonceError,
    QuoineNotFoundError,
    QuoineOrderNotFoundError,
    QuoineRateLimitError,
    QuoineResponseException,
    QuoineServerError,
    QuoineServiceUnavailableError,
    QuoineUnprocessableError,
    shorten,
)

__all__ = [
    "AUTH_HEADER",
    "ERROR_BODY_LIMIT",
    "BODY_SNIPPET_LENGTH",
    "MAX_ERROR_NESTING",
    "MAX_INTEGER_DIGITS",
    "MAX_NUMBER_DIGITS",
    "RAW_MESSAGES_LENGTH",
    "ErrorBody",
    "api_error",
    "api_exception_for",
    "body_snippet",
    "decode",
    "decode_error_body",
    "dump_json",
    "json_default",
    "load_json",
    "SECRET_HEADERS",
    "mask_auth",
    "masked_copy",
    "masked_request",
    "reject_json_constant",
    "response_error",
    "retry_after_seconds",
]

AUTH_HEADER = "X-Quoine-Auth"
#: Bytes of an error answer kept; the rest is not read (an HTML error page can be huge).
ERROR_BODY_LIMIT = 64 * 1024
#: Longest slice of a response body kept on an exception (characters).
BODY_SNIPPET_LENGTH = 200
#: Longest raw body kept in :attr:`QuoineAPIException.messages` for non-JSON bodies (bytes).
RAW_MESSAGES_LENGTH = 1000
#: Longest JSON number with a fraction or exponent accepted in an answer (characters).
MAX_NUMBER_DIGITS = 100
#: Longest JSON integer accepted in an answer (digits), Python 3.11's default limit.
MAX_INTEGER_DIGITS = 4300
#: Deepest nesting of an error body kept on an exception; deeper parts become "...".
#: (An exception must pickle and copy: both recurse once per level.)
MAX_ERROR_NESTING = 32

JSONValue = Union[dict[str, Any], list[Any], str, int, Decimal, bool, None]


# --- JSON out -----------------------------------------------------------------------------


def json_default(value: Any) -> Any:
    """``default`` for :func:`json.dumps`: a Decimal as its exact plain string."""
    if isinstance(value, Decimal):
        return format(value, "f")
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def dump_json(body: Any) -> bytes:
    """Compact UTF-8 JSON with Decimals as plain strings; NaN and Infinity refused."""
    return json.dumps(body, separators=(",", ":"), default=json_default, allow_nan=False).encode()


# --- JSON in ------------------------------------------------------------------------------


def reject_json_constant(name: str) -> Any:
    """``parse_constant`` for :func:`json.loads`: refuse ``NaN`` and ``Infinity``."""
    raise ValueError(f"{name} is not valid JSON")


def _parse_int(text: str) -> int:
    # Python 3.11 refuses integers of more than 4300 digits by default; 3.9 and 3.10
    # (or a limit turned off) would spend minutes on a megabyte of digits.
    if len(text) > MAX_INTEGER_DIGITS:
        raise ValueError(f"an integer of {len(text)} digits")
    return int(text)


def _int_parser() -> Callable[[str], int] | None:
    """None (the fast built-in parser) when the interpreter bounds integer digits."""
    limit = getattr(sys, "get_int_max_str_digits", lambda: 0)()
    return None if 0 < limit <= MAX_INTEGER_DIGITS else _parse_int


def _parse_decimal(text: str) -> Decimal:
    # 1e999999999 is valid JSON, but no amount: Decimal arithmetic on it overflows.
    if len(text) > MAX_NUMBER_DIGITS:
        raise ValueError(f"a number of {len(text)} characters")
    number = Decimal(text)
    if not -1000 <= number.adjusted() <= 1000:
        raise ValueError(f"a number out of range: {text[:20]}")
    return number


# A JSON \u escape of a UTF-16 surrogate: valid only as a high-low pair.
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")


def load_json(raw: bytes) -> JSONValue:
    """Decode JSON strictly: UTF-8, floats as Decimal, bounded numbers and nesting.

    Raises:
        ValueError: Anything that is not such JSON: bad UTF-8, ``NaN``,
            ``Infinity``, an integer of more than :data:`MAX_INTEGER_DIGITS`
            digits, another number of more than :data:`MAX_NUMBER_DIGITS`
            characters or beyond 1e1000, nesting deeper than Python's recursion
            limit, or a lone UTF-16 surrogate (it cannot be encoded again).
    """
    try:
        value: JSONValue = json.loads(
            raw.decode("utf-8"),
            parse_float=_parse_decimal,
            parse_int=_int_parser(),
            parse_constant=reject_json_constant,
        )
    except (ValueError, ArithmeticError, RecursionError, MemoryError) as exc:
        # UnicodeDecodeError is a ValueError; Decimal errors are ArithmeticErrors.
        raise ValueError(f"not valid JSON ({type(exc).__name__})") from None
    if _SURROGATE_ESCAPE.search(raw) and _has_lone_surrogate(value):
        raise ValueError("not valid JSON (a lone UTF-16 surrogate in a string)")
    return value


def _has_lone_surrogate(value: JSONValue) -> bool:
    stack: list[Any] = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def body_snippet(raw: bytes) -> str:
    """The first :data:`BODY_SNIPPET_LENGTH` characters of a body, decoded leniently."""
    return raw[: BODY_SNIPPET_LENGTH * 4].decode("utf-8", errors="replace")[:BODY_SNIPPET_LENGTH]


def _content(response: requests.Response) -> bytes:
    try:
        return response.content or b""
    except Exception:  # a body that cannot be read must not hide the real error
        return b""


#: Headers whose values are credentials: the signature, and what ``~/.netrc``, a
#: session's ``auth`` or a proxy adds. Exceptions carry them as ``***``.
SECRET_HEADERS = (AUTH_HEADER, "Authorization", "Proxy-Authorization")


def mask_auth(request: Any) -> None:
    """Replace every credential header on a request object with ``***`` (in place)."""
    headers = getattr(request, "headers", None)
    if headers is None:
        return
    for name in SECRET_HEADERS:
        if name in headers:
            headers[name] = "***"


def masked_request(request: Any) -> Any:
    """``request``, or a copy of it with its credential headers masked."""
    headers = getattr(request, "headers", None)
    if headers is None or not any(name in headers for name in SECRET_HEADERS):
        return request
    masked = request.copy()
    mask_auth(masked)
    return masked


def masked_copy(response: requests.Response) -> requests.Response:
    """Return ``response`` with a copy of its request whose credentials are masked.

    The answer is going into an exception: keep the real request untouched (hooks
    may hold it, a retry re-sends it) and hand out a copy without the
    ``X-Quoine-Auth`` value or any other credential header. On a redirect,
    requests also attaches the next hop's request (``response.next``), a copy
    carrying the signature: that is masked too.
    """
    if response.request is not None:
        response.request = masked_request(response.request)
    mask_auth(getattr(response, "_next", None))
    return response


def decode(response: requests.Response) -> Any:
    """Decode a read answer: the JSON for 2xx (None for 204), or raise.

    Args:
        response: An answer whose body has been read. When it goes into an
            exception, its request's signature is masked first.

    Returns:
        The decoded JSON: objects, lists, str, int, :class:`~decimal.Decimal`
        for numbers with a fraction or exponent, bool and None.

    Raises:
        QuoineAPIException: A 4xx or 5xx answer (the fitting subclass).
        QuoineResponseException: A redirect, or a 2xx body that :func:`load_json`
            refuses (the response it carries keeps only the body's first
            :data:`ERROR_BODY_LIMIT` bytes).
    """
    status = response.status_code
    if status >= 400:
        raise api_error(masked_copy(response))
    if 300 <= status < 400:
        location = response.headers.get("Location", "")
        raise response_error(
            masked_copy(response),
            f"unexpected redirect ({status}) to {location[:100]!r}; not followed",
        )
    if status == 204:
        return None
    try:
        return load_json(response.content)
    except ValueError as exc:
        # The answer goes into the exception: keep no more of it than of an error answer.
        response._content = response.content[:ERROR_BODY_LIMIT]
        kind = response.headers.get("Content-Type", "unknown type")
        raise response_error(
            masked_copy(response), f"Invalid Response: status {status}, {kind[:60]}, {exc}"
        ) from None


def response_error(response: requests.Response, message: str) -> QuoineResponseException:
    """A :class:`QuoineResponseException` for an answer that cannot be used."""
    return QuoineResponseException(
        message,
        response,
        status_code=response.status_code,
        body=body_snippet(_content(response)),
    )


# --- error answers ------------------------------------------------------------------------


class ErrorBody(NamedTuple):
    """What an error answer's body says, whatever its shape.

    Attributes:
        message: A readable message (never empty when the body had text).
        errors: The ``errors`` object (``{"user": ["not_enough_fund"]}``), or None.
        code: The error code: Liquid's ``code`` or the first code in ``errors``.
        additional_data: Liquid's ``additional_data``, or None.
        messages: What python-quoine 0.1.x kept in ``messages``.
        texts: Every error string, for choosing the exception class.
    """

    message: str
    errors: dict[str, Any] | None
    code: str | None
    additional_data: Any
    messages: Any
    texts: tuple[str, ...]


def decode_error_body(raw: bytes) -> ErrorBody:
    """Read an error answer's body in any of the shapes the API used.

    Example:
        >>> body = decode_error_body(b'{"message": "Bad amount", "code": "valid_amount"}')
        >>> body.code, body.message
        ('valid_amount', 'Bad amount')
    """
    try:
        decoded: Any = _shallow(load_json(raw))
    except ValueError:
        text = " ".join(body_snippet(raw).split())
        return ErrorBody(text, None, None, None, raw[:RAW_MESSAGES_LENGTH], (text,))
    errors = _errors_of(decoded)
    code = _code_of(decoded, errors)
    return ErrorBody(
        message=_message_of(decoded, errors),
        errors=errors,
        code=code,
        additional_data=decoded.get("additional_data") if isinstance(decoded, dict) else None,
        messages=_legacy_messages(decoded),
        texts=tuple(_error_texts(decoded)),
    )


def _shallow(value: Any, depth: int = 0) -> Any:
    """``value`` with containers below :data:`MAX_ERROR_NESTING` levels replaced by "..."."""
    if not isinstance(value, (dict, list)):
        return value
    if depth >= MAX_ERROR_NESTING:
        return "..."
    if isinstance(value, dict):
        return {key: _shallow(item, depth + 1) for key, item in value.items()}
    return [_shallow(item, depth + 1) for item in value]


def api_error(response: requests.Response) -> QuoineAPIException:
    """Build the exception that fits an error answer (the caller raises it)."""
    raw = _content(response)
    body = decode_error_body(raw)
    cls = api_exception_for(response.status_code, list(body.texts))
    return cls(
        response,
        status_code=response.status_code,
        reason=str(response.reason or ""),
        message=body.message,
        errors=body.errors,
        code=body.code,
        additional_data=body.additional_data,
        messages=body.messages,
        body=body_snippet(raw),
        retry_after=retry_after_seconds(response.headers, body.message),
    )


def _legacy_messages(decoded: Any) -> Any:
    if isinstance(decoded, dict):
        if "message" in decoded:
            return decoded
        if "errors" in decoded:
            return decoded["errors"]
    return decoded


def _errors_of(decoded: Any) -> dict[str, Any] | None:
    if not isinstance(decoded, dict):
        return None
    errors = decoded.get("errors")
    if isinstance(errors, dict):
        return errors
    # Top-level {"user": [...]} as in 0.1.x's docstring.
    if decoded and "message" not in decoded and all(isinstance(v, list) for v in decoded.values()):
        return decoded
    return None


def _code_of(decoded: Any, errors: dict[str, Any] | None) -> str | None:
    code = decoded.get("code") if isinstance(decoded, dict) else None
    if isinstance(code, str) and code:
        return shorten(code, 100)
    for value in (errors or {}).values():
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, str):
                return shorten(item, 100)
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


def _message_of(decoded: Any, errors: dict[str, Any] | None) -> str:
    if isinstance(decoded, dict):
        for key in ("message", "error"):
            text = decoded.get(key)
            if isinstance(text, dict):  # {"error": {"msg": "..."}}, API v1
                text = text.get("msg") or text.get("message")
            if isinstance(text, str) and text:
                return shorten(text)
        if errors:
            parts = []
            for key, value in errors.items():
                values = value if isinstance(value, list) else [value]
                parts.append(f"{key}: {', '.join(str(v) for v in values)}")
            return shorten("; ".join(parts))
    if decoded is None:
        return ""
    try:
        return shorten(json.dumps(decoded, default=str)[: MAX_STR_LENGTH * 2])
    except (ValueError, RecursionError):
        return shorten(repr(type(decoded)))


_STATUS_CLASSES: dict[int, type[QuoineAPIException]] = {
    400: QuoineBadRequestError,
    401: QuoineAuthenticationError,
    404: QuoineNotFoundError,
    422: QuoineUnprocessableError,
    429: QuoineRateLimitError,
    503: QuoineServiceUnavailableError,
}

# Known error strings and codes (docs/exceptions.rst lists them).
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
_ORDER_NOT_FOUND = {"order not found", "order_not_found", "can not update non-live order"}


def api_exception_for(status_code: int, texts: list[str]) -> type[QuoineAPIException]:
    """Choose the exception class for an error answer.

    Args:
        status_code: The HTTP status.
        texts: Every error string found in the body (``message``, ``code`` and
            all ``errors``).

    Returns:
        The most specific :class:`QuoineAPIException` subclass that fits.

    Example:
        >>> api_exception_for(422, ["not_enough_free_balance"]).__name__
        'QuoineInsufficientFundsError'
    """
    lowered = {text.strip().lower() for text in texts}
    if status_code == 429 or any("rate limit exceeded" in t for t in lowered):
        return QuoineRateLimitError
    if "nonce is too small" in lowered:
        return QuoineNonceError
    if status_code == 401 or any("ip whitelist" in t for t in lowered):
        return QuoineAuthenticationError
    if lowered & _ORDER_NOT_FOUND:
        return QuoineOrderNotFoundError
    if lowered & _INSUFFICIENT_FUNDS:
        return QuoineInsufficientFundsError
    if lowered & _INVALID_ORDER:
        return QuoineInvalidOrderError
    if status_code in _STATUS_CLASSES:
        return _STATUS_CLASSES[status_code]
    return QuoineServerError if status_code >= 500 else QuoineAPIException


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
    seconds = _header_seconds((headers.get("Retry-After") or "").strip())
    if seconds is not None:
        return seconds
    match = _RETRY_AFTER_IN_MESSAGE.search(message or "")
    return float(match.group(1)) if match else None


def _header_seconds(value: str) -> float | None:
    """A ``Retry-After`` value in seconds: a number, an HTTP date, or None.

    Two ``Retry-After`` headers arrive joined (``"1, 2"``): the longest wait wins.
    """
    if not value:
        return None
    when = _parse_http_date(value) if not value[:1].isdigit() else None
    if when is not None:
        return max(0.0, when - time.time())
    waits = []
    for part in value.split(","):
        try:
            seconds = float(part)
        except ValueError:
            return None
        if not math.isfinite(seconds):
            return None
        waits.append(max(seconds, 0.0))  # zero or less: now
    return max(waits)


def _parse_http_date(value: str) -> float | None:
    try:
        parsed = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return parsed.timestamp() if parsed.tzinfo is not None else None
