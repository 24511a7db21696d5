"""Error answers become typed exceptions whose str() never fails."""

from __future__ import annotations

import json
import pickle
import re
import traceback
from pathlib import Path

import pytest
import requests
from hypothesis import given, settings
from hypothesis import strategies as st

from quoine import _decode
from quoine import exceptions as ex
from quoine._decode import api_error, api_exception_for, retry_after_seconds
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


def raise_api_error(response: requests.Response) -> None:
    raise api_error(response)


def raised(status, body, headers=None) -> QuoineAPIException:
    with pytest.raises(QuoineAPIException) as info:
        raise_api_error(make_response(status, body, headers))
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
    assert str(error) == "404 Not Found: Order not found"


def test_errors_body_attributes_and_legacy_messages():
    error = raised(422, {"errors": {"user": ["not_enough_free_balance"]}})
    assert error.messages == {"user": ["not_enough_free_balance"]}  # 0.1.x: the inner dict
    assert error.errors == {"user": ["not_enough_free_balance"]}
    assert error.code == "not_enough_free_balance"
    assert error.message == "user: not_enough_free_balance"
    assert str(error) == ("422 Unprocessable Entity: user: not_enough_free_balance")
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
        raise_api_error(make_response(status, body))
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
        raise_api_error(make_response(status, body))
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
    monkeypatch.setattr(_decode.time, "time", lambda: 1445412470.0)  # 10 s before the date
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


# --- the error shapes of every API era -------------------------------------------------

LIQUID_BODY = {
    "message": "Submitted withdrawal amount is invalid",
    "code": "valid_amount",
    "additional_data": [{"minimum": "0.001"}],
}


@pytest.mark.case(42)
def test_liquid_error_shape_keeps_code_and_additional_data():
    error = raised(422, LIQUID_BODY)
    assert type(error) is QuoineUnprocessableError
    assert error.code == "valid_amount"
    assert error.additional_data == [{"minimum": "0.001"}]
    assert error.message == "Submitted withdrawal amount is invalid"
    assert error.errors is None
    assert error.messages == LIQUID_BODY  # 0.1.x: the whole dict when it has "message"
    assert str(error) == "422 Unprocessable Entity: Submitted withdrawal amount is invalid"


@pytest.mark.case(42)
@pytest.mark.parametrize(
    ("status", "code", "cls"),
    [
        (422, "not_enough_free_balance", ex.QuoineInsufficientFundsError),
        (400, "not_enough_fund", ex.QuoineInsufficientFundsError),
        (422, "less_than_order_size", ex.QuoineInvalidOrderError),
        (404, "order_not_found", ex.QuoineOrderNotFoundError),
        (422, "valid_amount", QuoineUnprocessableError),
        (400, "valid_amount", QuoineBadRequestError),
    ],
)
def test_liquid_code_chooses_the_class(status, code, cls):
    error = raised(status, {"message": "localised text", "code": code, "additional_data": []})
    assert type(error) is cls
    assert (error.code, error.additional_data) == (code, [])


@pytest.mark.case(42)
@pytest.mark.parametrize(
    ("body", "message", "code", "errors"),
    [
        ({"message": "Order not found"}, "Order not found", None, None),
        (
            {"errors": {"quantity": ["less_than_order_size"]}},
            "quantity: less_than_order_size",
            "less_than_order_size",
            {"quantity": ["less_than_order_size"]},
        ),
        ({"error": "Currency missing"}, "Currency missing", None, None),
        ({"error": {"msg": "Currency missing"}}, "Currency missing", None, None),
        ({"success": False, "message": "Invalid params"}, "Invalid params", None, None),
        ({"user": ["not_enough_fund"]}, "user: not_enough_fund", "not_enough_fund", None),
        ("API Authentication failed", "API Authentication failed", None, None),
        (
            "<html>\n  <h1>Bad   gateway</h1>\n</html>",
            "<html> <h1>Bad gateway</h1> </html>",
            None,
            None,
        ),
    ],
)
def test_every_error_shape_is_read(body, message, code, errors):
    error = raised(400, body)
    assert (error.message, error.code) == (message, code)
    if errors is not None:
        assert error.errors == errors
    assert error.additional_data is None


@pytest.mark.case(42)
@pytest.mark.parametrize(
    "body",
    [
        b"[" * 100_000 + b"]" * 100_000,
        b'{"a":' * 100_000 + b"1" + b"}" * 100_000,
        b'{"message": "x", "code": ' + b"[" * 50_000 + b"]" * 50_000 + b"}",
        b'{"message": 1e999999999999999999999}',
        b'{"code": "' + b"c" * 100_000 + b'"}',
        b'{"message": "\\ud800"}',
    ],
)
def test_unreadable_or_deep_error_bodies_give_a_usable_exception(body):
    error = raised(422, body)
    assert type(error) is QuoineUnprocessableError
    assert len(str(error)) <= ex.MAX_STR_LENGTH
    assert len(repr(error)) <= 1000
    assert error.code is None or len(error.code) <= 100


@pytest.mark.case(42)
def test_a_json_error_body_too_deep_to_dump_still_has_a_message():
    depth = 400
    body = b"[" * depth + b"]" * depth
    error = raised(500, body)
    assert error.message.startswith("[[[")


# --- built from plain data --------------------------------------------------------------


def test_api_exception_from_plain_data():
    error = ex.QuoineInsufficientFundsError(
        status_code=422,
        reason="Unprocessable Entity",
        message="user: not_enough_free_balance",
        errors={"user": ["not_enough_free_balance"]},
        code="not_enough_free_balance",
        additional_data=None,
        body="{}",
        retry_after=None,
    )
    assert str(error) == "422 Unprocessable Entity: user: not_enough_free_balance"
    assert error.args == (422, "user: not_enough_free_balance")
    assert (error.response, error.request) == (None, None)
    assert error.code == "not_enough_free_balance"
    assert error.errors == {"user": ["not_enough_free_balance"]}
    assert error.body == "{}" and error.messages is None


def test_api_exception_from_a_response_alone_as_in_0_1():
    response = make_response(503, b"down")
    error = QuoineAPIException(response)
    assert (error.status_code, error.reason, error.response) == (
        503,
        "Service Unavailable",
        response,
    )
    assert error.request is response.request
    assert str(error) == "503 Service Unavailable"


def test_client_rate_limit_error_attributes():
    error = ex.QuoineClientRateLimitError("the limiter would wait 12.0 s", retry_after=12.0)
    assert isinstance(error, QuoineRateLimitError)
    assert (error.status_code, error.retry_after, error.message) == (
        429,
        12.0,
        "the limiter would wait 12.0 s",
    )
    assert (error.response, error.request, error.errors, error.code) == (None, None, None, None)
    assert error.messages == {"message": "the limiter would wait 12.0 s"}
    assert str(error) == "the limiter would wait 12.0 s"
    copy = pickle.loads(pickle.dumps(error))
    assert (type(copy), copy.retry_after, str(copy)) == (type(error), 12.0, str(error))


def test_response_exception_from_plain_data():
    error = ex.QuoineResponseException("Invalid Response: x", status_code=200, body="<html>")
    assert (str(error), error.status_code, error.body, error.response) == (
        "Invalid Response: x",
        200,
        "<html>",
        None,
    )
    assert ex.outcome_unknown(error)


# --- names and tracebacks ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("QuoineOrderNotFound", "QuoineOrderNotFoundError"),
        ("QuoineInsufficientFunds", "QuoineInsufficientFundsError"),
        ("QuoineInvalidOrder", "QuoineInvalidOrderError"),
        ("QuoineServiceUnavailable", "QuoineServiceUnavailableError"),
    ],
)
def test_earlier_names_are_aliases(old, new):
    import quoine

    assert getattr(ex, old) is getattr(ex, new)
    assert getattr(quoine, old) is getattr(ex, new)
    assert getattr(ex, new).__name__ == new


def test_credentials_error_lives_with_the_others():
    import quoine
    from quoine import client

    assert client.QuoineCredentialsError is ex.QuoineCredentialsError
    assert quoine.QuoineCredentialsError is ex.QuoineCredentialsError
    assert ex.QuoineCredentialsError.__module__ == "quoine.exceptions"
    assert issubclass(ex.QuoineCredentialsError, QuoineError)


@pytest.mark.parametrize(
    ("error", "line"),
    [
        (
            lambda: raised(422, {"errors": {"user": ["not_enough_free_balance"]}}),
            "quoine.exceptions.QuoineInsufficientFundsError: 422 Unprocessable Entity: "
            "user: not_enough_free_balance\n",
        ),
        (
            lambda: ex.QuoineTimeoutError("read timed out", sent=True),
            "quoine.exceptions.QuoineTimeoutError: read timed out\n",
        ),
        (
            lambda: ex.QuoineResponseException("Invalid Response: status 200", status_code=200),
            "quoine.exceptions.QuoineResponseException: Invalid Response: status 200\n",
        ),
        (
            lambda: ex.QuoineClientRateLimitError("would wait 9 s", retry_after=9.0),
            "quoine.exceptions.QuoineClientRateLimitError: would wait 9 s\n",
        ),
    ],
)
def test_traceback_names_the_class_once(error, line):
    exc = error()
    assert traceback.format_exception_only(type(exc), exc) == [line]


# --- the documented tree is the real one ------------------------------------------------

TREE_LINE = re.compile(r"^(?P<indent>[ │├└─]*)(?P<name>Quoine\w+)")


def documented_tree(text: str) -> dict[str, str | None]:
    """Each class of the first tree in ``text`` mapped to its parent in the tree."""
    start = text.index("    QuoineError\n")
    parents: dict[str, str | None] = {}
    stack: list[tuple[int, str]] = []
    for line in text[start:].splitlines():
        match = TREE_LINE.match(line)
        if not match:
            break
        depth = len(match["indent"])
        while stack and stack[-1][0] >= depth:
            stack.pop()
        parents[match["name"]] = stack[-1][1] if stack else None
        stack.append((depth, match["name"]))
    return parents


def exception_classes() -> dict[str, type]:
    return {
        name: value
        for name, value in vars(ex).items()
        if isinstance(value, type) and issubclass(value, QuoineError) and value.__name__ == name
    }


@pytest.mark.parametrize("where", ["module docstring", "docs/exceptions.rst"])
def test_documented_tree_matches_the_classes(where):
    if where == "module docstring":
        text = ex.__doc__ or ""
    else:
        text = (Path(__file__).resolve().parents[2] / "docs" / "exceptions.rst").read_text()
    tree = documented_tree(text)
    classes = exception_classes()
    assert set(tree) == set(classes)
    for name, parent in tree.items():
        if parent is None:
            assert classes[name] is QuoineError
        else:
            assert classes[parent] in classes[name].__bases__, f"{name} under {parent}"
