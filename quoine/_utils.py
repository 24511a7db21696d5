"""Argument checks and conversions shared by the endpoint methods.

Every function here raises :class:`~quoine.exceptions.QuoineValidationError` with a
message naming the argument, so a bad call fails before anything is sent.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any, Union

from .constants import MAX_PAGE_LIMIT
from .exceptions import QuoineValidationError

#: Anything accepted where the API expects a decimal amount (price, quantity, rate).
Amount = Union[Decimal, str, int, float]
#: Anything accepted where the API expects a point in time.
TimeLike = Union[int, float, str, _dt.datetime, _dt.date]
#: Anything accepted as an object id.
IdLike = Union[int, str]

# Unix seconds above this are almost surely milliseconds (this is the year 5138).
_MAX_UNIX_SECONDS = 100_000_000_000


def decimal_string(value: Amount, name: str, *, allow_zero: bool = False) -> str:
    """Return ``value`` as a plain decimal string, checking that it is positive.

    ``Decimal``, ``int`` and numeric ``str`` are taken exactly; a ``float`` goes
    through its shortest repr, so ``1e-05`` becomes ``"0.00001"``. Scientific
    notation never reaches the wire.

    Args:
        value: The amount.
        name: The argument name, for the error message.
        allow_zero: Accept zero (for example a stop loss of 0 removes it).

    Returns:
        A string such as ``"0.00001"`` or ``"500"``.

    Raises:
        QuoineValidationError: Not a finite number, or not positive.

    Example:
        >>> decimal_string(1e-05, "quantity")
        '0.00001'
    """
    number = to_decimal(value, name)
    if number < 0 or (number == 0 and not allow_zero):
        bound = "zero or more" if allow_zero else "greater than zero"
        raise QuoineValidationError(f"{name} must be {bound}, got {value!r}")
    return plain(number)


def to_decimal(value: Amount, name: str) -> Decimal:
    """Convert an amount to a finite :class:`~decimal.Decimal` (any sign)."""
    if isinstance(value, bool) or not isinstance(value, (Decimal, str, int, float)):
        raise QuoineValidationError(
            f"{name} must be a Decimal, str, int or float, got {type(value).__name__}"
        )
    try:
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    except (InvalidOperation, ValueError):
        raise QuoineValidationError(f"{name} is not a number: {value!r}") from None
    if not number.is_finite():
        raise QuoineValidationError(f"{name} must be a finite number, got {value!r}")
    return number


def plain(number: Decimal) -> str:
    """Format a Decimal without exponent: ``Decimal("1E+2")`` becomes ``"100"``."""
    # A negative zero ("-0.00") is sent without its sign.
    return format(number.copy_abs() if number.is_zero() else number, "f")


def positive_int(value: IdLike, name: str) -> int:
    """Return an id or count as an int, accepting ints and digit strings.

    Raises:
        QuoineValidationError: Not a positive whole number.

    Example:
        >>> positive_int("42", "order_id")
        42
    """
    if isinstance(value, bool):
        raise QuoineValidationError(f"{name} must be a positive integer, got {value!r}")
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and value.strip().isdigit() and value.strip().isascii():
        number = int(value.strip())
    else:
        raise QuoineValidationError(f"{name} must be a positive integer, got {value!r}")
    if number <= 0:
        raise QuoineValidationError(f"{name} must be a positive integer, got {value!r}")
    return number


def page_limit(value: int | None, name: str = "limit") -> int | None:
    """Check a page size: None, or an int from 1 to 1000."""
    if value is None:
        return None
    number = positive_int(value, name)
    if number > MAX_PAGE_LIMIT:
        raise QuoineValidationError(f"{name} must be between 1 and {MAX_PAGE_LIMIT}, got {value!r}")
    return number


def page_number(value: int | None) -> int | None:
    """Check a page number: None, or an int of 1 or more."""
    return None if value is None else positive_int(value, "page")


def choice(value: Any, name: str, allowed: Iterable[str]) -> str:
    """Check that ``value`` is one of the allowed strings (enums count) and return it.

    Values are case-sensitive, as on the API: ``"BUY"`` is rejected, not guessed.

    Example:
        >>> choice("buy", "side", ("buy", "sell"))
        'buy'
    """
    options = tuple(allowed)
    text = str(value) if isinstance(value, str) else None
    if text not in options:
        raise QuoineValidationError(f"{name} must be one of {', '.join(options)}; got {value!r}")
    return str(text)


def currency_code(value: Any, name: str = "currency") -> str:
    """Check a currency code such as ``"USD"`` or ``"BTC"``."""
    if not isinstance(value, str) or not value.strip() or not value.isalnum():
        raise QuoineValidationError(f"{name} must be a currency code such as 'USD', got {value!r}")
    return value


def non_empty_string(value: Any, name: str, *, max_length: int | None = None) -> str:
    """Check a free-text argument (address, client order id...)."""
    if not isinstance(value, str) or not value:
        raise QuoineValidationError(f"{name} must be a non-empty string, got {value!r}")
    if max_length is not None and len(value.encode("utf-8")) > max_length:
        raise QuoineValidationError(f"{name} must be at most {max_length} bytes")
    return value


def boolean(value: Any, name: str) -> bool:
    """Check a flag is a real bool."""
    if not isinstance(value, bool):
        raise QuoineValidationError(f"{name} must be True or False, got {value!r}")
    return value


def unix_seconds(value: TimeLike, name: str = "timestamp") -> int:
    """Convert a point in time to whole unix seconds.

    Accepts unix seconds (int, float or digit string), a :class:`datetime.datetime`
    (naive means UTC), a :class:`datetime.date` (midnight UTC) or a date string that
    :mod:`dateutil` can parse (no zone means UTC).

    Raises:
        QuoineValidationError: Unparseable, negative, or apparently in milliseconds.

    Example:
        >>> unix_seconds("2018-01-01T00:00:00Z")
        1514764800
    """
    seconds: float
    if isinstance(value, bool):
        raise QuoineValidationError(f"{name} must be a time, got {value!r}")
    if isinstance(value, (int, float)):
        seconds = float(value)
    elif isinstance(value, _dt.datetime):
        seconds = _aware(value).timestamp()
    elif isinstance(value, _dt.date):
        seconds = _dt.datetime(
            value.year, value.month, value.day, tzinfo=_dt.timezone.utc
        ).timestamp()
    elif isinstance(value, str):
        seconds = _parse_time_string(value, name)
    else:
        raise QuoineValidationError(f"{name} must be a time, got {type(value).__name__}")
    if seconds != seconds or seconds < 0:
        raise QuoineValidationError(f"{name} must be a time after 1970, got {value!r}")
    if seconds >= _MAX_UNIX_SECONDS:
        raise QuoineValidationError(f"{name} looks like milliseconds; pass unix seconds: {value!r}")
    return int(seconds)


def _aware(value: _dt.datetime) -> _dt.datetime:
    return value.replace(tzinfo=_dt.timezone.utc) if value.tzinfo is None else value


def _parse_time_string(value: str, name: str) -> float:
    text = value.strip()
    try:
        return float(text)
    except ValueError:
        pass
    from dateutil import parser  # imported here: only date strings need it

    try:
        parsed = parser.parse(text)
    except (ValueError, OverflowError):
        raise QuoineValidationError(f"{name} is not a date or unix time: {value!r}") from None
    return _aware(parsed).timestamp()


def drop_none(mapping: Mapping[str, Any]) -> dict[str, Any]:
    """Copy ``mapping`` without the keys whose value is None."""
    return {key: value for key, value in mapping.items() if value is not None}


def optional_time(value: TimeLike | None, name: str) -> int | None:
    """Like :func:`unix_seconds`, passing None through."""
    return None if value is None else unix_seconds(value, name)


def optional_id(value: IdLike | None, name: str) -> int | None:
    """Like :func:`positive_int`, passing None through."""
    return None if value is None else positive_int(value, name)


def optional_choice(value: Any, name: str, allowed: Iterable[str]) -> str | None:
    """Like :func:`choice`, passing None through."""
    return None if value is None else choice(value, name, allowed)


def optional_decimal(value: Amount | None, name: str, *, allow_zero: bool = False) -> str | None:
    """Like :func:`decimal_string`, passing None through."""
    return None if value is None else decimal_string(value, name, allow_zero=allow_zero)


def optional_currency(value: Any, name: str = "currency") -> str | None:
    """Like :func:`currency_code`, passing None through."""
    return None if value is None else currency_code(value, name)


def optional_text(value: Any, name: str) -> str | None:
    """Like :func:`non_empty_string`, passing None through."""
    return None if value is None else non_empty_string(value, name)


def wire_value(name: str, value: Any) -> Any:
    """Make a free-form field JSON-safe: Decimal and float become plain strings."""
    if isinstance(value, (Decimal, float)):
        return plain(to_decimal(value, name))
    return value
