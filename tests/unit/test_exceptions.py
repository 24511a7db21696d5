"""Error answers become typed exceptions whose str() never fails."""

from __future__ import annotations

import json
import pickle

import pytest
import requests
from hypothesis import given, settings
from hypothesis import strategies as st

from quoine import exceptions as ex
from quoine.exceptions import (
    QuoineAPIException,
    QuoineAuthenticationError,
    QuoineBadRequestError,
    QuoineError,
    QuoineInsufficientFunds,
    QuoineInvalidOrder,
    QuoineNonceError,
    QuoineNotFoundError,
    QuoineOrderNotFound,
    QuoineRateLimitError,
    QuoineServerError,
    QuoineServiceUnavailable,
    QuoineUnprocessableError,
    api_exception_for,
    raise_for_error_response,
    retry_after_seconds,
)


def make_response(status: int, body: bytes | str | object, headers: dict | None = None):
    response = requests.Response()
    response.status_code = status
    response.reason = requests.status_codes._codes.get(status, ("",))[0].replace("_", " ").title()
    if isinstance(body, str):
        body = body.encode()
    elif not isinstance(body, bytes):
        body = json.dumps(body).encode()
    response._content = body
    response.headers.update(headers or {})
    response.request = requests.Request("GET", "https://api.quoine.com/x").prepare()
    return response


def raised(status, body, headers=None) -> QuoineAPIException:
    with pytest.raises(QuoineAPIException) as info:
        raise_for_error_response(make_response(status, body, headers))
    return info.value


@pytest.mark.parametrize(
    ("status", "body", "cls"),
    [
        (400, {"message": "missing parameters"}, QuoineBadRequestError),
        (401, "API Authentication failed", QuoineAuthenticationError),
        (401, {"message": "Nonce is too small"}, QuoineNonceError),
        (401, "Nonce is too small", QuoineNonceError),
        (403, {"message": "1.2.3.4 is not in your IP whitelist"}, QuoineAuthenticationError),
        (404, {"message": "Order not found"}, QuoineOrderNotFound),
        (404, {"message": "Not found"}, QuoineNotFoundError),
        (422, {"errors": {"user": ["not_enough_free_balance"]}}, QuoineInsufficientFunds),
        (422, {"errors": {"user": ["not_enough_fund"]}}, QuoineInsufficientFunds),
        (422, {"user": ["not_enough_fund"]}, QuoineInsufficientFunds),
        (422, {"errors": {"quantity": ["less_than_order_size"]}}, QuoineInvalidOrder),
        (422, {"errors": {"price": ["must_be_positive"]}}, QuoineInvalidOrder),
        (422, {"errors": {"order": ["price_too_high"]}}, QuoineInvalidOrder),
        (422, {"errors": {"order": ["Can not update partially filled order"]}}, QuoineInvalidOrder),
        (422, {"message": "Can not update non-live order"}, QuoineOrderNotFound),
        (422, {"errors": {"x": ["something_new"]}}, QuoineUnprocessableError),
        (
            429,
            {"message": "API rate limit exceeded. Please retry after 300s"},
            QuoineRateLimitError,
        ),
        (500, "<html>oops</html>", QuoineServerError),
        (502, "<html>Bad gateway cloudflare</html>", QuoineServerError),
        (503, {"message": "down"}, QuoineServiceUnavailable),
        (418, {"message": "teapot"}, QuoineAPIException),
    ],
)
def test_class_chosen_by_status_and_error_string(status, body, cls):
    error = raised(status, body)
    assert type(error) is cls
    assert error.status_code == status
    assert isinstance(error, QuoineError)


def test_message_body_attributes_and_legacy_messages():
    error = raised(404, {"message": "Order not found"})
    assert error.message == "Order not found"
    assert error.messages == {"message": "Order not found"}  # 0.1.x: the whole dict
    assert error.errors is None and error.code is None
    assert error.body == '{"message": "Order not found"}'
    assert str(error) == "QuoineOrderNotFound: 404 Not Found: Order not found"


def test_errors_body_attributes_and_legacy_messages():
    error = raised(422, {"errors": {"user": ["not_enough_free_balance"]}})
    assert error.messages == {"user": ["not_enough_free_balance"]}  # 0.1.x: the inner dict
    assert error.errors == {"user": ["not_enough_free_balance"]}
    assert error.code == "not_enough_free_balance"
    assert error.message == "user: not_enough_free_balance"
    assert str(error) == (
        "QuoineInsufficientFunds: 422 Unprocessable Entity: user: not_enough_free_balance"
    )
    assert error.args == (422, "user: not_enough_free_balance")


def test_plain_text_401():
    error = raised(401, "API Authentication failed")
    assert error.messages == b"API Authentication failed"  # 0.1.x: raw bytes
    assert error.message == "API Authentication failed"
    assert error.errors is None


@pytest.mark.parametrize(
    "body", [[], "oops", None, 123, {"error": "Currency missing"}, {"a": {"b": 1}}, [1, "x"]]
)
def test_any_json_shape_gives_usable_exception(body):
    error = raised(400, json.dumps(body).encode())
    assert str(error)  # 0.1.x raised AttributeError here
    assert repr(error)
    assert error.messages == body


def test_legacy_error_key_is_the_message():
    assert raised(400, {"error": "Currency missing"}).message == "Currency missing"


def test_huge_and_undecodable_bodies_stay_short():
    error = raised(502, b"<html>" + b"x" * 10_000_000)
    assert len(str(error)) <= 500
    assert len(error.body) <= 200
    assert len(error.messages) <= 1000
    error = raised(500, b"\xff\xfe\x00garbage")
    assert "\ufffd" in error.body
    assert str(error)


@given(status=st.integers(400, 599), body=st.binary(max_size=300))
@settings(max_examples=300, deadline=None)
def test_str_never_raises_for_any_bytes(status, body):
    with pytest.raises(QuoineAPIException) as info:
        raise_for_error_response(make_response(status, body))
    assert len(str(info.value)) <= 500
    repr(info.value)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)


@given(status=st.integers(400, 599), body=json_values)
@settings(max_examples=300, deadline=None)
def test_str_never_raises_for_any_json(status, body):
    with pytest.raises(QuoineAPIException) as info:
        raise_for_error_response(make_response(status, body))
    assert len(str(info.value)) <= 500


@pytest.mark.parametrize(
    ("headers", "message", "expected"),
    [
        ({"Retry-After": "2"}, "", 2.0),
        ({"Retry-After": "86400"}, "", 86400.0),
        ({}, "API rate limit exceeded. Please retry after 300s", 300.0),
        ({"Retry-After": "garbage"}, "Please retry after 60s", 60.0),
        ({"Retry-After": "-5"}, "", 0.0),  # every way of saying "now" is 0
        ({"Retry-After": "0"}, "", 0.0),
        ({"Retry-After": "0.0"}, "", 0.0),
        ({"Retry-After": "nan"}, "", None),
        ({}, "slow down", None),
        ({"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}, "", 0.0),
        ({"Retry-After": "Wed, 21 Oct 2015 07:28:00"}, "", None),
    ],
)
def test_retry_after(headers, message, expected):
    assert retry_after_seconds(headers, message) == expected


def test_retry_after_http_date_in_future(monkeypatch):
    monkeypatch.setattr(ex.time, "time", lambda: 1445412470.0)  # 10 s before the date
    assert retry_after_seconds({"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}, "") == 10.0


def test_rate_limit_exception_carries_retry_after():
    error = raised(429, {"message": "API rate limit exceeded. Please retry after 300s"})
    assert isinstance(error, QuoineRateLimitError)
    assert error.retry_after == 300.0
    assert raised(429, "busy", {"Retry-After": "7"}).retry_after == 7.0


def test_api_exception_for_defaults():
    assert api_exception_for(599, []) is QuoineServerError
    assert api_exception_for(409, []) is QuoineAPIException


def test_exceptions_pickle_with_attributes():
    error = raised(422, {"errors": {"user": ["not_enough_free_balance"]}})
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is QuoineInsufficientFunds
    assert (copy.status_code, copy.code, copy.errors) == (422, error.code, error.errors)
    assert str(copy) == str(error)
    timeout = ex.QuoineTimeoutError("read timed out", sent=True)
    copy = pickle.loads(pickle.dumps(timeout))
    assert (type(copy), copy.sent, copy.message) == (ex.QuoineTimeoutError, True, "read timed out")


def test_public_names_are_sorted_and_exported():
    assert ex.__all__ == sorted(ex.__all__)
    for name in ex.__all__:
        assert hasattr(ex, name)
