"""Argument conversion: exact decimals, ids, limits and times."""

from __future__ import annotations

import datetime as dt
import numbers
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quoine import _utils as u
from quoine.constants import Side
from quoine.exceptions import QuoineValidationError


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1e-05, "0.00001"),
        (0.1, "0.1"),
        (1e22, "10000000000000000000000"),
        (Decimal("1E+2"), "100"),
        (Decimal("0.010"), "0.010"),
        ("0.00000001", "0.00000001"),
        ("1e-8", "0.00000001"),
        (500, "500"),
        (" 12.5 ", "12.5"),
    ],
)
def test_decimal_string_is_plain_and_exact(value, expected):
    assert u.decimal_string(value, "quantity") == expected


@pytest.mark.parametrize(
    "value",
    [
        0,
        "0",
        -1,
        "-0.1",
        Decimal("NaN"),
        Decimal("Infinity"),
        float("nan"),
        "abc",
        "",
        True,
        None,
        [1],
    ],
)
def test_decimal_string_rejects(value):
    with pytest.raises(QuoineValidationError, match="quantity"):
        u.decimal_string(value, "quantity")


def test_decimal_string_zero_allowed_when_asked():
    assert u.decimal_string(0, "stop_loss", allow_zero=True) == "0"
    assert u.decimal_string(Decimal("-0"), "stop_loss", allow_zero=True) == "0"
    with pytest.raises(QuoineValidationError, match="zero or more"):
        u.decimal_string(-1, "stop_loss", allow_zero=True)


@given(
    st.decimals(
        min_value=Decimal("1e-18"), max_value=Decimal("1e12"), places=18, allow_nan=False
    ).filter(lambda d: d > 0)
)
@settings(max_examples=300)
def test_decimal_string_round_trips_without_exponent(value):
    text = u.decimal_string(value, "price")
    assert "e" not in text.lower()
    assert Decimal(text) == value


@given(st.floats(min_value=1e-12, max_value=1e12, allow_nan=False, allow_infinity=False))
@settings(max_examples=300)
def test_floats_go_through_shortest_repr(value):
    text = u.decimal_string(value, "price")
    assert "e" not in text.lower()
    assert Decimal(text) == Decimal(repr(value))
    assert float(text) == value


class IntLike(numbers.Integral):
    """The smallest Integral that is not an int: only __index__ matters."""

    def __init__(self, value: int) -> None:
        self.value = value

    def __index__(self) -> int:
        return self.value

    def __int__(self) -> int:
        return self.value

    def __repr__(self) -> str:
        return f"IntLike({self.value})"


# numbers.Integral's other abstract methods are not needed to be an index.
IntLike.__abstractmethods__ = frozenset()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1, 1),
        ("42", 42),
        (" 7 ", 7),
        (IntLike(9), 9),
        (2**63 - 1, 2**63 - 1),
        ("9" * 18, int("9" * 18)),
    ],
)
def test_positive_int(value, expected):
    assert u.positive_int(value, "order_id") == expected


@pytest.mark.parametrize(
    "value",
    [
        0,
        -3,
        "0",
        "1.5",
        1.0,
        "abc",
        "",
        "١٢",
        True,
        False,
        None,
        2**63,
        "9" * 20,
        "1" * 5000,
        IntLike(0),
        Decimal(1),
        Fraction(1, 1),
    ],
)
def test_positive_int_rejects(value):
    with pytest.raises(QuoineValidationError, match="order_id must be a positive integer"):
        u.positive_int(value, "order_id")


@pytest.mark.parametrize(
    ("value", "expected"), [(None, None), (1, 1), (1000, 1000), (IntLike(20), 20), ("20", 20)]
)
def test_page_limit(value, expected):
    assert u.page_limit(value) == expected


@pytest.mark.parametrize("value", [0, 1001, -1, "x"])
def test_page_limit_rejects(value):
    with pytest.raises(QuoineValidationError, match="limit"):
        u.page_limit(value)


def test_page_number():
    assert u.page_number(None) is None and u.page_number(3) == 3
    with pytest.raises(QuoineValidationError, match="page"):
        u.page_number(0)


def test_choice_accepts_exact_values_and_enums():
    assert u.choice("buy", "side", ("buy", "sell")) == "buy"
    assert u.choice(Side.SELL, "side", ("buy", "sell")) == "sell"
    assert type(u.choice(Side.SELL, "side", ("buy", "sell"))) is str
    for bad in ("BUY", "hold", "", None, 1):
        with pytest.raises(QuoineValidationError, match="side must be one of buy, sell"):
            u.choice(bad, "side", ("buy", "sell"))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1514764800, 1514764800),
        (1514764800.9, 1514764800),
        ("1514764800", 1514764800),
        (dt.datetime(2018, 1, 1), 1514764800),
        (dt.datetime(2018, 1, 1, 9, tzinfo=dt.timezone(dt.timedelta(hours=9))), 1514764800),
        (dt.date(2018, 1, 1), 1514764800),
        ("2018-01-01", 1514764800),
        ("2018-01-01T09:00:00+09:00", 1514764800),
        ("1 Jan 2018 00:00 UTC", 1514764800),
        (Decimal("1514764800.5"), 1514764800),
        (IntLike(1514764800), 1514764800),
    ],
)
def test_unix_seconds(value, expected):
    assert u.unix_seconds(value) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (1514764800000, "milliseconds"),
        ("not a date", "not a date or unix time"),
        (-1, "after 1970"),
        (float("nan"), "after 1970"),
        (True, "must be a time"),
        ([2018], "must be a time"),
        pytest.param(10**400, "milliseconds", id="10**400"),  # float(10**400) raised OverflowError
        pytest.param(-(10**400), "after 1970", id="-10**400"),
        (float("inf"), "milliseconds"),
        (Decimal("Infinity"), "after 1970"),
        (Decimal("NaN"), "after 1970"),
        ("1" * 101, "a string of 101 characters"),
        (Fraction(1, 3), "must be a time, got Fraction"),
        (1j, "must be a time, got complex"),
    ],
)
def test_unix_seconds_rejects(value, message):
    with pytest.raises(QuoineValidationError, match=message):
        u.unix_seconds(value)


def test_optional_helpers_pass_none_through():
    assert u.optional_time(None, "t") is None
    assert u.optional_id(None, "i") is None
    assert u.optional_choice(None, "c", ("a",)) is None
    assert u.optional_time("2018-01-01", "t") == 1514764800


@pytest.mark.parametrize("value", ["", None, "US D", 5])
def test_currency_code_rejects(value):
    with pytest.raises(QuoineValidationError, match="currency"):
        u.currency_code(value)


def test_non_empty_string_and_boolean():
    assert u.non_empty_string("x", "a") == "x"
    with pytest.raises(QuoineValidationError, match="at most 3 bytes"):
        u.non_empty_string("abcd", "a", max_length=3)
    with pytest.raises(QuoineValidationError, match="non-empty"):
        u.non_empty_string("", "a")
    assert u.boolean(False, "f") is False
    with pytest.raises(QuoineValidationError, match="True or False"):
        u.boolean(None, "f")


def test_drop_none_keeps_falsy_values():
    assert u.drop_none({"a": None, "b": 0, "c": "", "d": False}) == {"b": 0, "c": "", "d": False}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (IntLike(5), "5"),
        (Decimal("0.010"), "0.010"),
        (0.0, "0.0"),
        (Decimal("1." + "0" * 40), "1." + "0" * 30),
        ("9" * 35, "9" * 35),
    ],
)
def test_to_decimal_bounds_and_integer_types(value, expected):
    assert u.plain(u.to_decimal(value, "amount")) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("1" * 36, "amount is too large: at most 35 digits before the decimal point"),
        (10**35, "amount is too large"),
        (-(10**35), "amount is too large"),
        ("1e-31", "amount has more than 30 decimal places: '1e-31'"),
        ("x" * 101, "amount is not a number: a string of 101 characters"),
        ("abc", "amount is not a number: 'abc'"),
        pytest.param(10**5000, "amount is too large", id="10**5000"),
    ],
)
def test_to_decimal_refuses_beyond_the_bounds(value, message):
    with pytest.raises(QuoineValidationError) as info:
        u.to_decimal(value, "amount")
    assert str(info.value).startswith(message)


def test_wire_value_makes_integer_types_plain_ints():
    assert u.wire_value("n", IntLike(3)) == 3 and type(u.wire_value("n", IntLike(3))) is int
    assert u.wire_value("flag", True) is True
    assert u.wire_value("x", 0.1) == "0.1"
    assert u.wire_value("s", "text") == "text"


def test_boolean_takes_numpy_bools_but_not_numbers():
    np = pytest.importorskip("numpy")
    assert u.boolean(np.bool_(True), "with_details") is True
    assert u.boolean(np.bool_(False), "with_details") is False
    for value in (1, 0, np.int64(1), "true", None):
        with pytest.raises(QuoineValidationError, match="with_details must be True or False"):
            u.boolean(value, "with_details")
