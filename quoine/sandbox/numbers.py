"""The one parsing layer for every number the sandbox reads from a client.

Body fields, query parameters, path ids and JWT nonces all go through these
functions. Each one bounds the input before converting it (at most
:data:`MAX_CHARS` characters, decimal exponents within
:data:`MAX_EXPONENT`), refuses NaN, infinities, booleans, lists and objects,
and raises :class:`~quoine.sandbox.models.ApiError` (422 in the API's
``{"errors": {field: [code]}}`` shape) instead of anything else. So a hostile
value can neither crash a handler nor make it slow while the exchange lock is
held (``int(Decimal("1e500000"))`` runs for seconds; here it is refused at once).
"""

from __future__ import annotations

import re
from decimal import ROUND_DOWN, Decimal, InvalidOperation
from typing import Any

from .models import ApiError

__all__ = [
    "MAX_CHARS",
    "MAX_EXPONENT",
    "MAX_INT",
    "decimal_or_none",
    "optional_int",
    "parse_decimal",
    "parse_id",
    "parse_int",
    "parse_signed",
    "parse_timestamp",
    "quantize",
]

MAX_CHARS = 40
"""Longest textual form of a number accepted (sign, digits, point, exponent)."""
MAX_EXPONENT = 18
"""Numbers must lie within ``10**-MAX_EXPONENT`` and ``10**MAX_EXPONENT`` (or be 0)."""
MAX_INT = 2**62
"""Largest integer accepted (ids, limits, pages, timestamps, nonces)."""


_NUMBER = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def _text(value: Any) -> str | None:
    """The number's text, or None when the JSON type cannot be a number."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float, Decimal)):
        text = repr(value) if isinstance(value, float) else str(value)
    elif isinstance(value, str):
        text = value.strip()
    else:
        return None
    if len(text) > MAX_CHARS or not _NUMBER.fullmatch(text):
        return None  # also refuses "NaN", "Infinity", "1_000" and non-ASCII digits
    return text


def _decimal(value: Any) -> Decimal | None:
    """A finite decimal within the bounds, or None."""
    text = _text(value)
    if text is None:
        return None
    try:
        number = Decimal(text)
    except (InvalidOperation, ValueError):
        return None
    if not number.is_finite():
        return None
    if number and not -MAX_EXPONENT <= number.adjusted() <= MAX_EXPONENT:
        return None
    return number


def parse_decimal(
    value: Any, field: str, *, positive: bool = True, places: int | None = None
) -> Decimal:
    """Parse a decimal sent as a JSON string or number.

    Args:
        value: The raw value.
        field: Field name used in the error.
        positive: Require a value strictly greater than zero (otherwise >= 0).
        places: Cut (round down) to this many decimals first, so that a value
            that enters as zero (``0.000000001`` at 8 places) is refused too.

    Returns:
        The decimal, exactly as sent (or as cut to ``places``).

    Raises:
        ApiError: 422 ``{"errors": {field: ["must_be_positive"]}}`` when the
            value is missing, not a bounded finite number, or out of range.
    """
    number = _decimal(value)
    if number is not None and places is not None:
        number = quantize(number, places)
    if number is None or number < 0 or (positive and number == 0):
        raise ApiError.field(field, "must_be_positive")
    return number


def parse_signed(value: Any, field: str) -> Decimal:
    """Parse a decimal that may be negative (a margin delta, for instance).

    Raises:
        ApiError: 422 ``{"errors": {field: ["is_invalid"]}}``.
    """
    number = _decimal(value)
    if number is None:
        raise ApiError.field(field, "is_invalid")
    return number


def decimal_or_none(value: Any, field: str, *, places: int | None = None) -> Decimal | None:
    """:func:`parse_decimal`, with None for a missing or empty value."""
    if value is None or value == "":
        return None
    return parse_decimal(value, field, places=places)


def parse_int(value: Any, field: str, *, code: str = "is_invalid") -> int:
    """Parse an integer sent as a JSON number or a string of digits.

    ``"5"``, ``5`` and ``5.0`` are accepted; ``"5.5"``, ``"1e3"``, ``true`` or
    anything outside ``[-MAX_INT, MAX_INT]`` are not.

    Raises:
        ApiError: 422 ``{"errors": {field: [code]}}``.
    """
    if isinstance(value, float) and value.is_integer() and abs(value) <= MAX_INT:
        return int(value)
    text = _text(value) if not isinstance(value, float) else None
    if text is not None and text.lstrip("+-").isdigit():
        number = int(text)
        if abs(number) <= MAX_INT:
            return number
    raise ApiError.field(field, code)


def optional_int(value: Any, field: str, default: int) -> int:
    """:func:`parse_int`, with ``default`` for a missing or empty value."""
    if value is None or value == "":
        return default
    return parse_int(value, field)


def parse_id(value: Any) -> int | None:
    """An object id from a path or a body, or None when it cannot be one."""
    try:
        return parse_int(value, "id")
    except ApiError:
        return None


def parse_timestamp(value: Any, field: str) -> int:
    """Whole unix seconds from a number such as ``1600000000`` or ``"1.6e9"``.

    Raises:
        ApiError: 422 ``{"errors": {field: ["is_invalid"]}}``.
    """
    number = _decimal(value)
    if number is None or abs(number) > MAX_INT:
        raise ApiError.field(field, "is_invalid")
    return int(number)


def quantize(amount: Decimal, places: int) -> Decimal:
    """``amount`` rounded down (towards zero) to ``places`` decimals."""
    return amount.quantize(Decimal(1).scaleb(-places), rounding=ROUND_DOWN)
