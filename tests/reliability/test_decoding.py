"""Catalogue cases 25-32: what comes back over a real socket is decoded or typed, never leaked.

Every test talks to the raw-socket loopback server in ``tests/_faultserver.py``, so
the bytes pass through requests and urllib3 exactly as they would from the exchange.
"""

from __future__ import annotations

import gc
import json
import math
import os
import sys
import time
import tracemalloc
from decimal import Decimal
from typing import Any, TypeVar

import pytest
from _faultserver import FaultServer, Reply, Request, http
from _helpers import SECRET, TOKEN_ID
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quoine._decode import load_json
from quoine.client import Quoinex
from quoine.exceptions import (
    MAX_STR_LENGTH,
    QuoineAPIException,
    QuoineBadRequestError,
    QuoineError,
    QuoineInsufficientFunds,
    QuoineInvalidOrder,
    QuoineNotFoundError,
    QuoineOrderNotFound,
    QuoineRequestException,
    QuoineResponseException,
    QuoineServerError,
    QuoineUnprocessableError,
)

KB = 1024
E = TypeVar("E", bound=BaseException)


def client_for(server: FaultServer, **kwargs: Any) -> Quoinex:
    settings_: dict[str, Any] = {"rate_limit": None, "max_retries": 0, **kwargs}
    return Quoinex(TOKEN_ID, SECRET, api_url=server.url, **settings_)


def answering(raw: bytes, **reply: Any) -> FaultServer:
    """A server that answers every request with ``raw``."""
    return FaultServer(lambda request: Reply(raw, **reply))


def error_from(
    raw: bytes, expected: type[E], call: str = "get_products", **reply: Any
) -> tuple[E, FaultServer]:
    """Call ``call`` against a server answering ``raw``; return what it raised."""
    with answering(raw, **reply) as server:
        client = client_for(server)
        with pytest.raises(expected) as info:
            getattr(client, call)()
    return info.value, server


def check_exception_is_small(exc: BaseException) -> None:
    text, representation = str(exc), repr(exc)
    assert len(text) <= MAX_STR_LENGTH <= KB
    assert len(representation) <= KB
    assert SECRET not in text and SECRET not in representation


# --- 25: empty body ---------------------------------------------------------------------


@pytest.mark.case(25)
@pytest.mark.parametrize("content_type", ["application/json", "text/plain"])
def test_empty_200_body_raises_response_exception(content_type):
    with answering(http(200, b"", content_type=content_type)) as server:
        client = client_for(server)
        with pytest.raises(QuoineResponseException) as info:
            client.get_products()
    assert len(server.requests) == 1
    assert info.value.status_code == 200
    assert info.value.body == ""
    assert isinstance(info.value, QuoineRequestException)
    check_exception_is_small(info.value)


@pytest.mark.case(25)
def test_empty_200_body_without_content_length_raises_response_exception():
    # No Content-Length: the body is whatever arrives before the server hangs up.
    raw = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n"
    error, _ = error_from(raw, QuoineResponseException, close=True)
    assert error.status_code == 200 and error.body == ""


@pytest.mark.case(25)
def test_204_returns_none():
    with answering(b"HTTP/1.1 204 No Content\r\n\r\n") as server:
        assert client_for(server).cancel_order(7) is None
    [request] = server.requests
    assert (request.method, request.target) == ("PUT", "/orders/7/cancel")


# --- 26: HTML instead of JSON -------------------------------------------------------------

CAPTIVE_PORTAL = (
    "<!DOCTYPE html><html><head><title>Hotel WiFi - please log in</title></head>"
    "<body><form action='/login'><input name='room'></form>" + "x" * 500 + "</body></html>"
)


@pytest.mark.case(26)
@pytest.mark.parametrize("content_type", ["text/html", "text/html; charset=utf-8", "text/plain"])
def test_200_html_page_raises_and_is_never_returned_as_data(content_type):
    with answering(http(200, CAPTIVE_PORTAL, content_type=content_type)) as server:
        client = client_for(server)
        for call in (client.get_products, client.get_account_balances, client.get_orders):
            result: Any = "<not raised>"
            with pytest.raises(QuoineResponseException) as info:
                result = call()
            assert result == "<not raised>"
            error = info.value
            assert error.status_code == 200
            assert error.body == CAPTIVE_PORTAL[:200]
            assert content_type[:9] in str(error)
            assert "Hotel WiFi" not in str(error)  # the page is in .body, not the message
            check_exception_is_small(error)


# --- 27: NaN and Infinity -----------------------------------------------------------------


@pytest.mark.case(27)
@pytest.mark.parametrize(
    "body",
    [
        b'{"price": NaN}',
        b'{"price": Infinity}',
        b'{"price": -Infinity}',
        b'[{"id": 1, "quantity": "1"}, {"id": 2, "quantity": [1, 2, {"x": -Infinity}]}]',
        b"NaN",
    ],
)
def test_nan_and_infinity_in_200_raise_response_exception(body):
    error, _ = error_from(http(200, body), QuoineResponseException)
    assert error.status_code == 200
    assert error.body == body.decode()
    check_exception_is_small(error)


# --- 28: money as Decimal -----------------------------------------------------------------


def floats_in(value: Any) -> list[Any]:
    """Every float anywhere in a decoded JSON value."""
    found, stack = [], [value]
    while stack:
        item = stack.pop()
        if isinstance(item, float):
            found.append(item)
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


def exact(value: Any) -> Any:
    """``value`` with every float replaced by the Decimal of its JSON text."""
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, dict):
        return {key: exact(item) for key, item in value.items()}
    if isinstance(value, list):
        return [exact(item) for item in value]
    return value


class Holder:
    """The body the shared server answers with next."""

    body = b"{}"

    def script(self, request: Request) -> Reply:
        return Reply(http(200, self.body))


@pytest.mark.case(28)
def test_money_decodes_as_decimal_never_float():
    body = b'{"price": 0.1, "quantity": "0.3", "nested": [{"fee": 1e-05, "n": 3}]}'
    with answering(http(200, body)) as server:
        order = client_for(server).get_order(1)
    assert order == {
        "price": Decimal("0.1"),
        "quantity": "0.3",
        "nested": [{"fee": Decimal("0.00001"), "n": 3}],
    }
    assert type(order["price"]) is Decimal
    assert Decimal(order["quantity"]) == Decimal("0.3")
    assert floats_in(order) == []


json_leaves = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=10)
)
json_values = st.recursive(
    json_leaves,
    lambda inner: (
        st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=5), inner, max_size=5)
    ),
    max_leaves=30,
)


@pytest.mark.case(28)
def test_no_float_survives_decoding_of_any_json():
    holder = Holder()
    with FaultServer(holder.script) as server:
        client = client_for(server)

        @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
        @given(json_values)
        def check(value: Any) -> None:
            holder.body = json.dumps(value).encode()
            decoded = client.get_products()
            assert floats_in(decoded) == []
            assert decoded == exact(value)

        check()


# --- 29: error shapes ---------------------------------------------------------------------

ERROR_SHAPES: list[tuple[Any, type[QuoineAPIException], dict[str, list[str]] | None]] = [
    ({"message": "Order not found"}, QuoineOrderNotFound, None),
    (
        {"errors": {"user": ["not_enough_fund"]}},
        QuoineInsufficientFunds,
        {"user": ["not_enough_fund"]},
    ),
    ({"user": ["not_enough_fund"]}, QuoineInsufficientFunds, {"user": ["not_enough_fund"]}),
    (
        {"errors": {"quantity": ["less_than_order_size"]}},
        QuoineInvalidOrder,
        {"quantity": ["less_than_order_size"]},
    ),
]
STATUS_CLASSES = {
    400: QuoineBadRequestError,
    404: QuoineNotFoundError,
    422: QuoineUnprocessableError,
}


@pytest.mark.case(29)
@pytest.mark.parametrize("status", [400, 404, 422])
@pytest.mark.parametrize(("body", "cls", "errors"), ERROR_SHAPES)
def test_error_shapes_map_to_specific_exceptions(status, body, cls, errors):
    error, _ = error_from(http(status, json.dumps(body)), QuoineAPIException, "get_orders")
    assert type(error) is cls
    assert error.status_code == status
    assert error.errors == errors
    if errors:
        assert error.code == next(iter(errors.values()))[0]
        assert error.code in str(error)
    else:
        assert error.message == "Order not found"
    assert str(error).startswith(f"{status} ")
    check_exception_is_small(error)


@pytest.mark.case(29)
@pytest.mark.parametrize("status", [400, 404, 422])
@pytest.mark.parametrize(
    "body", [b"[]", b'"oops"', b"null", b"123", b"oops", b"{}", b'{"errors": 5}']
)
def test_non_dict_error_bodies_give_a_usable_exception(status, body):
    error, _ = error_from(http(status, body), QuoineAPIException, "get_orders")
    assert type(error) is STATUS_CLASSES[status]
    assert error.status_code == status
    assert error.errors is None and error.code is None
    assert isinstance(error.message, str)
    assert error.body == body.decode()
    text = str(error)  # 0.1.x raised AttributeError here
    assert text.startswith(f"{status}")
    assert repr(error).startswith(type(error).__name__)
    assert error.messages is not None or body == b"null"
    check_exception_is_small(error)


# --- 30: huge and undecodable bodies ------------------------------------------------------

TEN_MB = 10 * 1024 * 1024
HUGE_HTML = b"<html><body>" + b"<p>Bad gateway</p>" * (TEN_MB // 18) + b"</body></html>"


@pytest.mark.case(30)
@pytest.mark.parametrize("status", [500, 502, 404])
def test_10mb_html_error_body_is_cut_and_memory_bounded(status):
    assert len(HUGE_HTML) >= TEN_MB
    with answering(http(status, HUGE_HTML, content_type="text/html")) as server:
        client = client_for(server)
        gc.collect()
        tracemalloc.start()
        try:
            with pytest.raises(QuoineAPIException) as info:
                client.get_products()
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    error = info.value
    assert error.status_code == status
    assert isinstance(error, QuoineServerError) == (status >= 500)
    assert peak < 2 * 1024 * 1024, f"peak {peak} bytes while a 10 MB body was answered"
    assert len(error.response.content) <= 64 * KB
    assert len(error.body) <= 200 and error.body.startswith("<html><body><p>Bad gateway")
    assert len(error.messages) <= 1000
    assert len(str(error)) <= KB and len(repr(error)) <= KB


@pytest.mark.case(30)
def test_10mb_html_200_body_is_not_kept_on_the_exception():
    raw = http(200, HUGE_HTML, content_type="text/html")
    error, _ = error_from(raw, QuoineResponseException)
    assert len(error.response.content) <= 64 * KB
    assert len(error.body) <= 200 and error.body.startswith("<html><body>")
    assert len(str(error)) <= KB and len(repr(error)) <= KB


@pytest.mark.case(30)
@pytest.mark.parametrize("status", [200, 400, 422, 500])
@pytest.mark.parametrize(
    "body",
    [b"\xff\xfe", b"\xff\xfe" + "caf\u00e9".encode("utf-16-le") * 300, b'{"message": "\xff\xfe"}'],
)
def test_non_utf8_bodies_decode_leniently(status, body):
    raw = http(status, body, content_type="application/json; charset=utf-8")
    error, _ = error_from(raw, QuoineError)
    expected = QuoineResponseException if status == 200 else QuoineAPIException
    assert isinstance(error, expected)
    assert not isinstance(error, UnicodeDecodeError)
    assert len(error.body) <= 200
    assert "\ufffd" in error.body  # undecodable bytes replaced, not dropped or raised
    assert len(str(error)) <= KB and len(repr(error)) <= KB


# --- 31: redirects ------------------------------------------------------------------------


@pytest.mark.case(31)
@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_redirect_to_second_host_not_followed(status):
    with FaultServer(lambda request: Reply(http(200, "[]"))) as second:
        location = f"{second.url}/accounts/balance"
        reply = http(status, b"", headers={"Location": location})
        with answering(reply) as first:
            client = client_for(first, max_retries=3)
            with pytest.raises(QuoineResponseException) as info:
                client.get_account_balances()
    assert second.requests == []  # so the X-Quoine-Auth signature never reached it
    [request] = first.requests
    token = request.headers["x-quoine-auth"]
    assert token.count(".") == 2
    error = info.value
    assert error.status_code == status
    assert "redirect" in str(error)
    assert error.request.headers["X-Quoine-Auth"] == "***"
    assert token not in repr(vars(error))
    # requests prepares the next hop's request even when not following: masked too.
    assert error.response.next.url == location
    assert error.response.next.headers["X-Quoine-Auth"] == "***"


# --- 32: response fuzz --------------------------------------------------------------------

FUZZ_EXAMPLES = int(os.environ.get("QUOINE_FUZZ_EXAMPLES", "1500"))
READ_TIMEOUT = 1.0
HEADER_NAMES = [
    "Content-Type",
    "Content-Length",
    "Transfer-Encoding",
    "Content-Encoding",
    "Retry-After",
    "Location",
    "Connection",
    "X-Request-Id",
]
header_values = st.one_of(
    st.sampled_from(
        [
            "application/json",
            "text/html",
            "chunked",
            "gzip",
            "deflate",
            "br",
            "close",
            "keep-alive",
            "-1",
            "0",
            "1e400",
            "nan",
            "Wed, 21 Oct 2015 07:28:00 GMT",
            "Fri, 31 Dec 9999 23:59:59 GMT",
            "http://127.0.0.1:1/x",
            "",
        ]
    ),
    st.integers(-(2**70), 2**70).map(str),
    st.text(st.characters(min_codepoint=32, max_codepoint=255), max_size=30),
)
bodies = st.one_of(
    st.binary(max_size=300),
    json_values.map(lambda value: json.dumps(value).encode()),
    st.sampled_from([b"NaN", b'{"message": "Order not found"}', b"<html>", b"\xff\xfe", b""]),
)


@st.composite
def structured_replies(draw: st.DrawFn) -> bytes:
    """A status line, headers and a body, each possibly wrong, and Content-Length lies."""
    version = draw(st.sampled_from([b"HTTP/1.1", b"HTTP/1.0", b"HTTP/2", b"HTTP/1.1x", b""]))
    status = draw(
        st.one_of(
            st.integers(100, 599),
            st.sampled_from([0, 99, 600, 999, 1000, -1]),
        )
    )
    reason = draw(st.text(st.characters(min_codepoint=32, max_codepoint=255), max_size=12))
    body = draw(bodies)
    headers = draw(st.lists(st.tuples(st.sampled_from(HEADER_NAMES), header_values), max_size=6))
    lie = draw(st.sampled_from(["none", "truth", "short", "long", "absent"]))
    if lie != "absent":
        length = {"none": None, "truth": len(body), "short": max(len(body) - 3, 0)}.get(
            lie, len(body) + draw(st.integers(1, 1000))
        )
        if length is not None:
            headers.append(("Content-Length", str(length)))
    line = version + b" " + str(status).encode() + b" " + reason.encode("latin-1")
    head = b"\r\n".join([line] + [f"{k}: {v}".encode("latin-1") for k, v in headers])
    separator = draw(st.sampled_from([b"\r\n\r\n", b"\n\n", b"\r\n"]))
    return head + separator + body


fuzz_replies = st.one_of(
    st.binary(max_size=500),
    st.binary(max_size=300).map(lambda tail: b"HTTP/1.1 200 OK\r\n" + tail),
    st.binary(max_size=300).map(
        lambda tail: b"HTTP/1.1 200 OK\r\nContent-Length: 20\r\n\r\n" + tail
    ),
    st.binary(max_size=300).map(
        lambda tail: b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + tail
    ),
    # Weighted: most examples get past the status line and reach the decoder.
    structured_replies(),
    structured_replies(),
    structured_replies(),
)


# urllib3 2.x leaves the socket to the garbage collector when an answer's
# Content-Length holds two different values (InvalidHeader while building the
# response): a ResourceWarning from the collector, not an error of the call.
@pytest.mark.filterwarnings("ignore::ResourceWarning")
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
@pytest.mark.case(32)
def test_response_fuzz_raises_only_library_errors_within_timeout():
    holder = Holder()
    holder.raw = b""  # type: ignore[attr-defined]
    outcomes: dict[str, int] = {}

    def script(request: Request) -> Reply:
        return Reply(holder.raw, close=True)  # type: ignore[attr-defined]

    with FaultServer(script) as server:
        client = client_for(server, timeout=(READ_TIMEOUT, READ_TIMEOUT))

        @settings(
            max_examples=FUZZ_EXAMPLES,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
            database=None,
        )
        @given(fuzz_replies)
        def check(raw: bytes) -> None:
            holder.raw = raw  # type: ignore[attr-defined]
            started = time.monotonic()
            try:
                client.get_account_balances()
            except QuoineError as exc:
                assert repr(exc)  # str() and repr() must not raise
                assert len(str(exc)) <= KB
                outcome = type(exc).__name__
            else:
                outcome = "decoded"
            elapsed = time.monotonic() - started
            assert elapsed <= READ_TIMEOUT + 1, f"{elapsed:.2f} s for {raw[:80]!r}"
            outcomes[outcome] = outcomes.get(outcome, 0) + 1

        started = time.monotonic()
        check()
        print(f"fuzz: {FUZZ_EXAMPLES} examples in {time.monotonic() - started:.1f} s: {outcomes}")
        client.close()
    gc.collect()  # collect what urllib3 left behind while the warning filter is on
    # The fuzz reached the decoder and the error mapper, not only the socket layer.
    assert {"QuoineConnectionError", "QuoineResponseException"} <= set(outcomes), outcomes
    assert any(name not in ("QuoineConnectionError", "QuoineTimeoutError") for name in outcomes)


@pytest.mark.case(32)
@pytest.mark.parametrize(
    "raw",
    [
        http(200, b'{"a": 1}', length=100),  # Content-Length lies, server keeps the socket open
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n",  # headers never end
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n[1,2,",  # chunk never ends
    ],
)
def test_stalled_answer_times_out_within_timeout_plus_one_second(raw):
    with answering(raw) as server:
        client = client_for(server, timeout=(READ_TIMEOUT, READ_TIMEOUT))
        started = time.monotonic()
        with pytest.raises(QuoineError) as info:
            client.get_products()
        elapsed = time.monotonic() - started
    assert elapsed <= READ_TIMEOUT + 1
    assert info.value.sent is True  # type: ignore[attr-defined]
    assert not math.isnan(elapsed)


# --- 41: 2xx bodies no client can use -------------------------------------------------------

UNDECODABLE_200 = {
    "100,000 nested arrays": b"[" * 100_000 + b"]" * 100_000,
    "100,000 nested objects": b'{"a":' * 100_000 + b"1" + b"}" * 100_000,
    "deep inside a page": b'{"models": [' + b"[" * 20_000 + b"]" * 20_000 + b"]}",
    "exponent 1e999999": b'{"price": 1e999999}',
    "exponent 1e-999999": b'{"price": 1e-999999}',
    "exponent beyond Decimal": b'{"price": 1e999999999999999999999}',
    "5,000-digit integer": b'{"id": ' + b"9" * 5000 + b"}",
    "101-character number": b'{"price": 0.' + b"1" * 99 + b"}",
    "lone high surrogate": b'{"name": "\\ud800"}',
    "lone low surrogate in a key": b'{"\\udc00": 1}',
    "bad UTF-8": b'{"name": "\xc3\x28"}',
    "UTF-16": '{"a": 1}'.encode("utf-16"),
    "NaN inside a list": b"[1, NaN]",
}


@pytest.mark.case(41)
@pytest.mark.parametrize("body", UNDECODABLE_200.values(), ids=list(UNDECODABLE_200))
def test_undecodable_200_raises_response_exception(body):
    error, server = error_from(http(200, body), QuoineResponseException)
    assert len(server.requests) == 1  # a GET whose answer is unusable is not retried blindly
    assert error.status_code == 200
    assert str(error).startswith("Invalid Response: status 200, application/json, not valid JSON")
    assert error.body == body[:800].decode("utf-8", errors="replace")[:200]
    check_exception_is_small(error)


@pytest.mark.case(41)
def test_undecodable_200_is_a_library_error_for_every_kind_of_call():
    body = b"[" * 100_000 + b"]" * 100_000
    with answering(http(200, body)) as server:
        client = client_for(server)
        for call in (client.get_products, client.get_account_balances, lambda: client.get_order(1)):
            with pytest.raises(QuoineResponseException):
                call()


GOOD_200 = {
    "an emoji as a surrogate pair": (b'{"name": "\\ud83d\\ude00"}', {"name": "\U0001f600"}),
    "64 levels deep": (b"[" * 64 + b"]" * 64, json.loads("[" * 64 + "]" * 64)),
    "1e300": (b'{"price": 1e300}', {"price": Decimal("1e300")}),
    "1e-300": (b'{"price": 1E-300}', {"price": Decimal("1e-300")}),
    "100-character number": (b'{"p": 0.' + b"1" * 98 + b"}", {"p": Decimal("0." + "1" * 98)}),
    "a 100-digit id": (b'{"id": ' + b"7" * 100 + b"}", {"id": int("7" * 100)}),
    "digits in a string": (b'{"tx": "' + b"1" * 5000 + b'"}', {"tx": "1" * 5000}),
    "an exponent-like string": (b'{"a": "e12345", "b": 1}', {"a": "e12345", "b": 1}),
}


@pytest.mark.case(41)
@pytest.mark.parametrize(("body", "expected"), GOOD_200.values(), ids=list(GOOD_200))
def test_neighbours_of_the_undecodable_still_decode(body, expected):
    with answering(http(200, body)) as server:
        assert client_for(server).get_products() == expected


@pytest.mark.case(41)
def test_long_integers_are_refused_where_python_has_no_digit_limit(monkeypatch):
    # Python 3.9 and 3.10 (or a limit turned off) parse any integer, in quadratic time.
    monkeypatch.setattr(sys, "get_int_max_str_digits", lambda: 0, raising=False)
    monkeypatch.setattr(sys, "set_int_max_str_digits", lambda n: None, raising=False)
    with pytest.raises(ValueError, match="not valid JSON"):
        load_json(b'{"id": ' + b"9" * 4301 + b"}")
    assert load_json(b'{"id": ' + b"9" * 4300 + b"}") == {"id": int("9" * 4300)}


@pytest.mark.case(41)
def test_an_order_answered_with_100000_nested_arrays_is_looked_up_not_lost():
    booked = {"id": 7, "client_order_id": "abc", "status": "live"}

    def script(request: Request) -> Reply:
        if request.method == "POST":
            return Reply(http(200, b"[" * 100_000 + b"]" * 100_000))
        return Reply(http(200, json.dumps(booked)))

    with FaultServer(script) as server:
        client = client_for(server, max_retries=3)
        assert client.create_limit_buy(1, "0.01", "500", client_order_id="abc") == booked
    assert [(r.method, r.target) for r in server.requests] == [
        ("POST", "/orders"),
        ("GET", "/orders/client:abc"),
    ]
