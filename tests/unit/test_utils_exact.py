"""The argument checks to the byte: exact messages, boundaries and the machine's time zone.

Written against the mutants that the looser tests of test_utils.py let live.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from decimal import Decimal

import pytest

from quoine import _utils as u
from quoine.constants import MAX_PAGE_LIMIT
from quoine.exceptions import QuoineValidationError


def _raises(message: str):
    return pytest.raises(QuoineValidationError, match=f"^{re.escape(message)}$")


@pytest.fixture
def tokyo(monkeypatch):
    """Run in Asia/Tokyo (UTC+9), so a naive time read as local time would be 9 h off."""
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    time.tzset()
    assert time.localtime(0).tm_hour == 9
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.parametrize(
    "value",
    [
        dt.datetime(2018, 1, 1),
        dt.date(2018, 1, 1),
        "2018-01-01",
        "2018-01-01 00:00:00",
        dt.datetime(2018, 1, 1, 9, tzinfo=dt.timezone(dt.timedelta(hours=9))),
    ],
)
def test_naive_times_are_utc_whatever_the_machine_zone(tokyo, value):
    assert u.unix_seconds(value) == 1514764800


def test_unix_seconds_boundaries():
    assert u.unix_seconds(0) == 0
    assert u.unix_seconds(99_999_999_999) == 99_999_999_999
    assert u.unix_seconds(" 12 ") == 12
    with _raises("since looks like milliseconds; pass unix seconds: 100000000000"):
        u.unix_seconds(100_000_000_000, "since")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (True, "timestamp must be a time, got True"),
        ([1], "timestamp must be a time, got list"),
        (-1, "timestamp must be a time after 1970, got -1"),
        (float("nan"), "timestamp must be a time after 1970, got nan"),
        ("soon", "timestamp is not a date or unix time: 'soon'"),
        ("9999999999999-01-01", "timestamp is not a date or unix time: '9999999999999-01-01'"),
    ],
)
def test_unix_seconds_messages(value, message):
    with _raises(message):
        u.unix_seconds(value)


def test_non_empty_string_counts_utf8_bytes_up_to_max_length():
    assert u.non_empty_string("abc", "memo", max_length=3) == "abc"
    assert u.non_empty_string("é", "memo", max_length=2) == "é"
    with _raises("memo must be at most 3 bytes"):
        u.non_empty_string("abcd", "memo", max_length=3)
    with _raises("memo must be at most 1 bytes"):
        u.non_empty_string("é", "memo", max_length=1)
    with _raises("memo must be a non-empty string, got ''"):
        u.non_empty_string("", "memo")
    with _raises("memo must be a non-empty string, got 5"):
        u.non_empty_string(5, "memo")


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda: u.currency_code("US D"),
            "currency must be a currency code such as 'USD', got 'US D'",
        ),
        (lambda: u.currency_code(" "), "currency must be a currency code such as 'USD', got ' '"),
        (lambda: u.currency_code(None, "to"), "to must be a currency code such as 'USD', got None"),
        (lambda: u.optional_currency(5), "currency must be a currency code such as 'USD', got 5"),
        (lambda: u.positive_int(True, "id"), "id must be a positive integer, got True"),
        (lambda: u.positive_int("0", "id"), "id must be a positive integer, got '0'"),
        (lambda: u.positive_int("\u0661", "id"), "id must be a positive integer, got '\u0661'"),
        (lambda: u.positive_int(1.0, "id"), "id must be a positive integer, got 1.0"),
        (lambda: u.page_limit(1001), "limit must be between 1 and 1000, got 1001"),
        (lambda: u.page_limit(0, "size"), "size must be a positive integer, got 0"),
        (lambda: u.page_number(0), "page must be a positive integer, got 0"),
        (lambda: u.boolean(1, "full"), "full must be True or False, got 1"),
        (
            lambda: u.choice("BUY", "side", ("buy", "sell")),
            "side must be one of buy, sell; got 'BUY'",
        ),
        (lambda: u.choice(1, "side", ("buy",)), "side must be one of buy; got 1"),
        (
            lambda: u.to_decimal(None, "price"),
            "price must be a Decimal, str, int or float, got NoneType",
        ),
        (
            lambda: u.to_decimal(True, "price"),
            "price must be a Decimal, str, int or float, got bool",
        ),
        (lambda: u.to_decimal("1,5", "price"), "price is not a number: '1,5'"),
        (
            lambda: u.to_decimal("Infinity", "price"),
            "price must be a finite number, got 'Infinity'",
        ),
        (lambda: u.decimal_string(0, "quantity"), "quantity must be greater than zero, got 0"),
        (
            lambda: u.decimal_string("-1", "stop_loss", allow_zero=True),
            "stop_loss must be zero or more, got '-1'",
        ),
        (lambda: u.optional_text("", "note"), "note must be a non-empty string, got ''"),
        (
            lambda: u.to_decimal(Decimal("1E+50"), "price"),
            "price is too large: at most 35 digits before the decimal point, got Decimal('1E+50')",
        ),
        (
            lambda: u.to_decimal(10**40, "price"),
            f"price is too large: at most 35 digits before the decimal point, got {10**40}",
        ),
    ],
)
def test_messages_are_exact(call, message):
    with _raises(message):
        call()


def test_values_at_the_edges_are_accepted():
    assert u.page_limit(MAX_PAGE_LIMIT) == 1000
    assert u.page_limit(1) == 1
    assert u.page_limit(None) is None
    assert u.page_number(None) is None
    assert u.page_number(1) == 1
    assert u.positive_int(" 7 ", "id") == 7
    assert u.decimal_string(0, "stop_loss", allow_zero=True) == "0"
    assert u.decimal_string(Decimal("-0"), "stop_loss", allow_zero=True) == "0"
    assert u.currency_code("USD") == "USD"
    assert u.optional_currency(None) is None
    assert u.optional_text("x", "note") == "x"
    assert u.optional_decimal(None, "price") is None
    assert u.optional_decimal("0", "price", allow_zero=True) == "0"
    assert u.boolean(True, "full") is True


def test_plain_keeps_the_sign_of_nonzero_and_drops_it_from_zero():
    assert u.plain(Decimal("-0.00")) == "0.00"
    assert u.plain(Decimal("-0")) == "0"
    assert u.plain(Decimal("-1E+2")) == "-100"
    assert u.plain(Decimal("0.00")) == "0.00"


def test_wire_value_makes_decimals_and_floats_plain_strings_only():
    assert u.wire_value("x", Decimal("1E-7")) == "0.0000001"
    assert u.wire_value("x", 1e-05) == "0.00001"
    assert u.wire_value("x", 5) == 5
    assert u.wire_value("x", "a") == "a"
    with _raises("x must be a finite number, got nan"):
        u.wire_value("x", float("nan"))


def test_drop_none_keeps_falsy_values():
    assert u.drop_none({"a": None, "b": 0, "c": "", "d": False}) == {"b": 0, "c": "", "d": False}
