"""Argument checks and conversions shared by the endpoint methods.

Every function here raises :class:`~quoine.exceptions.QuoineValidationError` with a
message naming the argument, so a bad call fails before anything is sent.
"""

from __future__ import annotations

import datetime as _dt
import numbers
import operator
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from .constants import MAX_PAGE_LIMIT
from .exceptions import QuoineValidationError
from .types import Amount, IdLike, TimeLike

__all__ = ["Amount", "IdLike", "TimeLike"]  # re-exported for the endpoint modules

# The bounds of an amount are those of the widest SQL DECIMAL, MySQL's DECIMAL(65, 30):
# no exchange stores more. A float's shortest repr down to 1e-13 fits.
#: Digits an amount may have before the decimal point (so amounts are below 10**35).
MAX_AMOUNT_INTEGER_DIGITS = 35
#: Digits an amount may have after the decimal point (trailing zeros beyond are dropped).
MAX_AMOUNT_DECIMALS = 30
#: Longest amount, id or time accepted as a string (characters).
MAX_TEXT_LENGTH = 100
#: Largest id accepted: the largest signed 64-bit integer.
MAX_ID = 2**63 - 1

# Unix seconds above this are almost surely milliseconds (this is the year 5138).
_MAX_UNIX_SECONDS = 100_000_000_000


def _integer(value: Any) -> int | None:
    """``value`` as an int when it is of an integer type (not bool), else None.

    ``numpy.timedelta64`` registers as an integer type but refuses
    :func:`operator.index`: it is a duration, not a number, and gets None.
    """
    if not isinstance(value, numbers.Integral) or isinstance(value, bool):
        return None
    try:
        return operator.index(value)
    except TypeError:
        return None


def _shown(value: Any) -> str:
    """``repr(value)`` cut short for an error message."""
    try:
        text = repr(value)
    except Exception:  # an int of more than 4300 digits, a broken __repr__
        return f"{type(value).__name__} value that cannot be shown"
    return text if len(text) <= 60 else text[:57] + "..."


def decimal_string(value: Amount, name: str, *, allow_zero: bool = False) -> str:
    """Return ``value`` as a plain decimal string, checking that it is positive.

    ``Decimal``, every integer type (``int``, ``numpy.int64``...) and numeric
    ``str`` are taken exactly; a ``float`` (or ``numpy.float64``) goes through the
    shortest repr of its value, so ``1e-05`` becomes ``"0.00001"``. Scientific
    notation never reaches the wire. Types whose value is not the number that was
    typed (32-bit floats, ``Fraction``, ``complex``) are refused.

    Args:
        value: The amount.
        name: The argument name, for the error message.
        allow_zero: Accept zero (for example a stop loss of 0 removes it).

    Returns:
        A string such as ``"0.00001"`` or ``"500"``.

    Raises:
        QuoineValidationError: Not a finite number, not positive, 10**35 or more,
            or with a nonzero digit past the 30th decimal place.

    Example:
        >>> decimal_string(1e-05, "quantity")
        '0.00001'
    """
    number = to_decimal(value, name)
    if number < 0 or (number == 0 and not allow_zero):
        bound = "zero or more" if allow_zero else "greater than zero"
        raise QuoineValidationError(f"{name} must be {bound}, got {_shown(value)}")
    return plain(number)


def to_decimal(value: Amount, name: str) -> Decimal:
    """Convert an amount to a finite, bounded :class:`~decimal.Decimal` (any sign).

    The bound is what an exchange can store: at most 35 digits before the point
    and 30 after it (SQL ``DECIMAL(65, 30)``). Trailing zeros past the 30th
    decimal place are dropped (the value is unchanged); any other digit there is
    refused, never rounded.
    """
    number = _exact_decimal(value, name)
    if not number.is_finite():
        raise QuoineValidationError(f"{name} must be a finite number, got {_shown(value)}")
    if number.is_zero():  # 0.0 stays "0.0"; 0E-5000000 would be 5 MB of zeros
        return (
            number if -MAX_AMOUNT_DECIMALS <= int(number.as_tuple().exponent) <= 0 else Decimal(0)
        )
    if number.adjusted() >= MAX_AMOUNT_INTEGER_DIGITS:
        raise QuoineValidationError(
            f"{name} is too large: at most {MAX_AMOUNT_INTEGER_DIGITS} digits before the "
            f"decimal point, got {_shown(value)}"
        )
    sign, digits, exponent = number.as_tuple()
    excess = -int(exponent) - MAX_AMOUNT_DECIMALS
    if excess > 0:
        kept = len(digits) - excess
        if kept <= 0 or any(digits[kept:]):
            raise QuoineValidationError(
                f"{name} has more than {MAX_AMOUNT_DECIMALS} decimal places: {_shown(value)}"
            )
        number = Decimal((sign, digits[:kept], -MAX_AMOUNT_DECIMALS))
    return number


def _exact_decimal(value: Any, name: str) -> Decimal:
    """The exact number ``value`` stands for, or QuoineValidationError."""
    if isinstance(value, Decimal):
        return value if type(value) is Decimal else Decimal(value)
    if isinstance(value, str):
        if len(value) > MAX_TEXT_LENGTH:
            raise QuoineValidationError(
                f"{name} is not a number: a string of {len(value)} characters"
            )
        try:
            return Decimal(value)
        except (InvalidOperation, ValueError):
            raise QuoineValidationError(f"{name} is not a number: {_shown(value)}") from None
    if isinstance(value, float):  # float and its subclasses, such as numpy.float64
        return Decimal(float.__repr__(float(value)))
    integer = _integer(value)
    if integer is not None:
        if abs(integer) >= 10**MAX_AMOUNT_INTEGER_DIGITS:
            raise QuoineValidationError(
                f"{name} is too large: at most {MAX_AMOUNT_INTEGER_DIGITS} digits before the "
                f"decimal point, got {_shown(value)}"
            )
        return Decimal(integer)
    raise QuoineValidationError(_refusal(value, name))


def _refusal(value: Any, name: str) -> str:
    kind = type(value).__name__
    if isinstance(value, numbers.Number) and not isinstance(value, bool):
        # numpy.float32, float16, longdouble, Fraction, complex: the value is not
        # the number that was typed (float32(0.1) is 0.100000001490116...).
        return (
            f"{name} must be a Decimal, str, int or float, got {kind} {_shown(value)}, whose "
            "value may not be the number you meant; convert it explicitly: str(x) for the "
            "digits you see, float(x) for its binary value"
        )
    return f"{name} must be a Decimal, str, int or float, got {kind}"


def plain(number: Decimal) -> str:
    """Format a Decimal without exponent: ``Decimal("1E+2")`` becomes ``"100"``."""
    # A negative zero ("-0.00") is sent without its sign.
    return format(number.copy_abs() if number.is_zero() else number, "f")


def positive_int(value: IdLike, name: str) -> int:
    """Return an id or count as an int, from any integer type or a digit string.

    ``int``, ``numpy.int64`` and every other :class:`numbers.Integral` are taken
    through :func:`operator.index`; ``bool`` and ``numpy.bool_`` are refused, and
    so are floats, even whole ones.

    Raises:
        QuoineValidationError: Not a whole number from 1 to 2**63 - 1.

    Example:
        >>> positive_int("42", "order_id")
        42
    """
    number = _integer(value)
    if isinstance(value, str):
        text = value.strip()
        if text.isascii() and text.isdigit() and len(text) <= 19:
            number = int(text)
    if number is None or not 0 < number <= MAX_ID:
        raise QuoineValidationError(f"{name} must be a positive integer, got {_shown(value)}")
    return number


def page_limit(value: IdLike | None, name: str = "limit") -> int | None:
    """Check a page size: None, or an integer from 1 to 1000 (any integer type)."""
    if value is None:
        return None
    number = positive_int(value, name)
    if number > MAX_PAGE_LIMIT:
        raise QuoineValidationError(
            f"{name} must be between 1 and {MAX_PAGE_LIMIT}, got {_shown(value)}"
        )
    return number


def page_number(value: IdLike | None) -> int | None:
    """Check a page number: None, or an integer of 1 or more (any integer type)."""
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
    if not isinstance(value, str) or not value.isascii() or not value.isalnum():
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
    """Check a flag is a real bool (``numpy.bool_`` counts; 0 and 1 do not)."""
    if isinstance(value, bool):
        return value
    if type(value).__module__ == "numpy" and type(value).__name__ in ("bool_", "bool"):
        return bool(value)
    raise QuoineValidationError(f"{name} must be True or False, got {_shown(value)}")


def unix_seconds(value: TimeLike, name: str = "timestamp") -> int:
    """Convert a point in time to whole unix seconds.

    Accepts unix seconds (any integer type, a float such as ``numpy.float64``, a
    Decimal or a digit string), a :class:`datetime.datetime` (naive means UTC;
    ``pandas.Timestamp`` is one), a :class:`datetime.date` (midnight UTC), a
    ``numpy.datetime64``, or a date string that :mod:`dateutil` can parse (no zone
    means UTC). 32-bit floats are refused: they hold unix seconds only to the
    nearest two minutes.

    Raises:
        QuoineValidationError: Unparseable, negative, or apparently in milliseconds.

    Example:
        >>> unix_seconds("2018-01-01T00:00:00Z")
        1514764800
    """
    seconds = _seconds(value, name)
    if seconds != seconds or seconds < 0:
        raise QuoineValidationError(f"{name} must be a time after 1970, got {_shown(value)}")
    if seconds >= _MAX_UNIX_SECONDS:
        raise QuoineValidationError(
            f"{name} looks like milliseconds; pass unix seconds: {_shown(value)}"
        )
    return int(seconds)


def _seconds(value: Any, name: str) -> float | int | Decimal:
    if isinstance(value, bool):
        raise QuoineValidationError(f"{name} must be a time, got {value!r}")
    integer = _integer(value)
    if integer is not None:
        return integer
    if isinstance(value, float):
        return float(value)
    if isinstance(value, Decimal):
        return value if value.is_finite() else Decimal(-1)
    if isinstance(value, _dt.datetime):
        return _timestamp(value, value, name)
    if isinstance(value, _dt.date):
        return _dt.datetime(value.year, value.month, value.day, tzinfo=_dt.timezone.utc).timestamp()
    if isinstance(value, str):
        return _parse_time_string(value, name)
    if type(value).__name__ == "datetime64":  # numpy, without importing it
        return int(value.astype("datetime64[s]").astype("int64"))
    raise QuoineValidationError(_refusal(value, name).replace("Decimal, str, int or float", "time"))


def _aware(value: _dt.datetime) -> _dt.datetime:
    return value.replace(tzinfo=_dt.timezone.utc) if value.tzinfo is None else value


def _timestamp(when: _dt.datetime, value: Any, name: str) -> float:
    """Unix seconds of a datetime (naive means UTC), or QuoineValidationError.

    ``pandas.NaT`` is a datetime without a time, and a zone offset of a day or
    more (``+99:00``) has no UTC equivalent: both raise in ``timestamp()``.
    """
    try:
        return _aware(when).timestamp()
    except (ValueError, OverflowError, TypeError):
        raise QuoineValidationError(f"{name} is not a point in time: {_shown(value)}") from None


def _parse_time_string(value: str, name: str) -> float | Decimal:
    if len(value) > MAX_TEXT_LENGTH:
        raise QuoineValidationError(f"{name} is not a date: a string of {len(value)} characters")
    text = value.strip()
    try:
        # Exact: answers' times such as "1596962820.999999999" would round up through a float.
        number = Decimal(text)
    except ArithmeticError:
        pass
    else:
        return float("nan") if number.is_nan() else number
    from dateutil import parser  # imported here: only date strings need it

    try:
        parsed = parser.parse(text)
    except (ValueError, OverflowError):
        raise QuoineValidationError(f"{name} is not a date or unix time: {_shown(value)}") from None
    return _timestamp(parsed, value, name)


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
    """Make a free-form field JSON-safe, or refuse it before anything is sent.

    Decimal and float become plain strings, any other integer type
    (``numpy.int64``) an int; str, bool and None stay; lists and mappings are
    converted item by item. Anything else (``numpy.float32``, ``pandas.NA``, an
    arbitrary object) raises :class:`~quoine.exceptions.QuoineValidationError`.
    """
    if value is None or isinstance(value, (str, bool)):
        return value
    if type(value).__module__ == "numpy" and type(value).__name__ in ("bool_", "bool"):
        return bool(value)
    integer = _integer(value)
    if integer is not None:
        return integer
    if isinstance(value, (Decimal, float, numbers.Number)):
        amount: Any = value  # float32, Fraction...: refused by to_decimal, with a reason
        return plain(to_decimal(amount, name))
    if isinstance(value, Mapping):
        return {str(key): wire_value(f"{name}.{key}", item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [wire_value(f"{name}[{i}]", item) for i, item in enumerate(value)]
    raise QuoineValidationError(
        f"{name} must be a str, number, bool, None, list or mapping, got {type(value).__name__}"
    )
