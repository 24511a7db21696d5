"""Issue 10, second look: new inputs of the classes the issue named, tried again.

Each test feeds the client something a hostile server, a proxy or a notebook
user sends, and checks the promise still holds: only library exceptions, nothing
sent for bad input, walks that end, an order outcome the caller can trust,
nonces shared per token.
"""

from __future__ import annotations

import copy
import datetime as dt
import gc
import json
import logging
import pickle
import re
import traceback
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
import requests
from _faultserver import FaultServer, Reply, http
from _helpers import API, SECRET, TOKEN_ID, assert_rejected

from quoine._decode import retry_after_seconds
from quoine._utils import decimal_string, positive_int, unix_seconds, wire_value
from quoine.client import Liquid, Qryptos, Quoinex
from quoine.exceptions import (
    QuoineAmbiguousOrderError,
    QuoineAPIException,
    QuoineClientRateLimitError,
    QuoineConnectionError,
    QuoineError,
    QuoineOrderNotFoundError,
    QuoineRateLimitError,
    QuoineResponseException,
    QuoineTimeoutError,
    QuoineValidationError,
    outcome_unknown,
)
from quoine.pagination import iter_executions_since, iter_pages
from quoine.ratelimit import MAX_COOL_DOWN, RateLimiter

np = pytest.importorskip("numpy")

# --- 81: durations, missing times and impossible zones where a number or time goes --------


def _durations() -> list[Any]:
    values: list[Any] = [np.timedelta64(5, "s"), np.timedelta64(1, "D"), dt.timedelta(seconds=5)]
    pd = _pandas()
    if pd is not None:
        values += [pd.Timedelta(5), pd.NaT, pd.NA]
    return values


def _pandas() -> Any:
    try:
        import pandas
    except ImportError:
        return None
    return pandas


@pytest.mark.case(81)
@pytest.mark.parametrize("value", _durations(), ids=repr)
@pytest.mark.parametrize(
    "check",
    [
        lambda v: positive_int(v, "order_id"),
        lambda v: decimal_string(v, "quantity"),
        lambda v: unix_seconds(v, "timestamp"),
        lambda v: wire_value("amount", v),
    ],
    ids=["id", "amount", "time", "free-form"],
)
def test_durations_and_missing_values_are_refused_everywhere(value, check):
    # numpy.timedelta64 registers as an integer type but refuses operator.index;
    # pandas.NaT is a datetime whose timestamp() raises.
    with pytest.raises(QuoineValidationError):
        check(value)


@pytest.mark.case(81)
@pytest.mark.parametrize(
    "text",
    [
        "2020-01-01T00:00:00+99:00",  # dateutil parses it; no UTC offset is 99 hours
        "2020-01-01T00:00:00-24:00",
        "2020-01-01T00:00:00+24:00",
    ],
)
def test_a_date_with_an_impossible_zone_offset_is_refused(text):
    with pytest.raises(QuoineValidationError, match="is not a point in time"):
        unix_seconds(text)


@pytest.mark.case(81)
def test_times_from_numpy_and_pandas_that_hold_a_time_are_taken():
    assert unix_seconds(np.datetime64("2020-01-01T00:00:00.999999999")) == 1577836800
    assert unix_seconds("2020-01-01T00:00:00+23:59") == 1577836800 - 23 * 3600 - 59 * 60
    pd = _pandas()
    if pd is not None:
        assert unix_seconds(pd.Timestamp("2020-01-01 09:00", tz="Asia/Tokyo")) == 1577836800
        assert unix_seconds(pd.Timestamp("2020-01-01 00:00:00.5")) == 1577836800


@pytest.mark.case(81)
def test_a_pandas_nat_since_time_sends_nothing(mocked, client):
    pd = pytest.importorskip("pandas")
    assert_rejected(mocked, "not a point in time", client.get_executions_since_time, 1, pd.NaT)
    assert_rejected(mocked, "order_id", client.cancel_order, np.timedelta64(5, "s"))
    assert_rejected(mocked, "quantity", client.create_limit_buy, 1, np.timedelta64(1, "s"), "5")


@pytest.mark.case(81)
@pytest.mark.parametrize(
    "code", ["\uff35\uff33\uff24", "\u0661\u0662\u0663", "BTC\u200b", " USD", "US D", ""]
)
def test_currency_codes_are_ascii_letters_and_digits(mocked, client, code):
    assert_rejected(mocked, "currency code", client.get_account, code)


# --- 82: free-form fields JSON cannot carry ------------------------------------------------


@pytest.mark.case(82)
@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        (np.float32(0.1), "float32"),
        (np.float16(1), "float16"),
        (object(), "got object"),
        ({1, 2}, "got set"),
        (b"1", "got bytes"),
        (float("nan"), "finite"),
        ([1, np.float32(1)], "x[1]"),
        ({"nested": object()}, "x.nested"),
    ],
    ids=repr,
)
def test_free_form_fields_json_cannot_carry_are_refused_before_sending(
    mocked, client, value, fragment
):
    assert_rejected(mocked, fragment, client.estimate_fees, "create_order", x=value)
    assert_rejected(mocked, fragment, client.create_fund_info, "JPY", "50000", x=value)


@pytest.mark.case(82)
def test_free_form_fields_are_sent_exactly(mocked, client):
    mocked.post(f"{API}/fees/estimate", json={})
    client.estimate_fees(
        "create_order",
        quantity=np.float64(0.01),
        product_id=np.int64(5),
        post_only=np.bool_(False),
        tags=[Decimal("1.50"), ("a", None)],
        extra={"price": 48203.05},
    )
    body = json.loads(mocked.calls[0].request.body)
    assert body["for_params"] == {
        "quantity": "0.01",
        "product_id": 5,
        "post_only": False,
        "tags": ["1.50", ["a", None]],
        "extra": {"price": "48203.05"},
    }


@pytest.mark.case(82)
def test_a_body_json_cannot_carry_is_a_validation_error_never_a_type_error(mocked, client):
    with pytest.raises(QuoineValidationError, match="cannot be sent as JSON"):
        client._request("POST", "orders", signed=True, body={"x": object()})
    with pytest.raises(QuoineValidationError, match="cannot be sent as JSON"):
        client._request("POST", "orders", signed=True, body={"x": float("inf")})
    assert len(mocked.calls) == 0


# --- 83: page walks against servers that wrap around or reorder ---------------------------


def _walk(pages: dict[int, Any], limit: int = 2, **kwargs: Any) -> tuple[list[Any], list[int]]:
    asked: list[int] = []

    def fetch(limit: int, page: int) -> Any:
        asked.append(page)
        return pages[page] if page in pages else pages["else"](page)

    return list(iter_pages(fetch, limit=limit, **kwargs)), asked


@pytest.mark.case(83)
def test_a_server_that_wraps_around_to_its_first_page_ends_the_walk(caplog):
    first, second = [{"id": 1}, {"id": 2}], [{"id": 3}, {"id": 4}]
    got, asked = _walk({"else": lambda page: first if page % 2 else second})
    assert [item["id"] for item in got] == [1, 2, 3, 4]
    assert asked == [1, 2, 3]
    assert "page 3 brought nothing new" in caplog.text


@pytest.mark.case(83)
def test_a_server_cycling_over_three_pages_in_another_order_ends_the_walk():
    cycle = [[{"id": 1}, {"id": 2}], [{"id": 3}, {"id": 4}], [{"id": 5}, {"id": 6}]]
    got, asked = _walk({"else": lambda page: list(reversed(cycle[(page - 1) % 3]))})
    assert sorted(item["id"] for item in got) == [1, 2, 3, 4, 5, 6]
    assert asked == [1, 2, 3, 4]


@pytest.mark.case(83)
def test_an_earlier_page_served_again_with_its_items_reordered_ends_the_walk():
    pages = {1: [{"id": 1}, {"id": 2}], 2: [{"id": 3}, {"id": 4}], 3: [{"id": 2}, {"id": 1}]}
    got, asked = _walk(pages)
    assert [item["id"] for item in got] == [1, 2, 3, 4]
    assert asked == [1, 2, 3]


@pytest.mark.case(83)
def test_items_without_an_id_are_all_yielded_once_each():
    row = {"currency": "USD", "amount": "1"}
    deep: Any = []
    for _ in range(500):
        deep = [deep]
    pages = {1: [row, dict(row)], 2: [deep, {"id": None}], 3: [dict(row), row], 4: []}
    got, asked = _walk(pages)
    # two equal rows on one page are two rows; the same page again ends the walk
    assert got == [row, row, deep, {"id": None}]
    assert asked == [1, 2, 3]


@pytest.mark.case(83)
@pytest.mark.parametrize("ident", [[1], {"a": 1}, 1.5, None, True])
def test_items_whose_id_is_not_an_id_still_walk(ident):
    pages = {1: [{"id": ident, "n": 1}, {"id": ident, "n": 2}], 2: [{"id": ident, "n": 1}], 3: []}
    got, _ = _walk(pages)
    assert [item["n"] for item in got] == [1, 2]


# --- 84: the timestamp walk against answers that are not lists of executions --------------


@pytest.mark.case(84)
@pytest.mark.parametrize("answer", [5, "abc", {"models": []}, True])
def test_the_timestamp_walk_refuses_an_answer_that_is_not_a_list(answer):
    with pytest.raises(QuoineResponseException, match="not a list"):
        list(iter_executions_since(lambda *_: answer, 1, 1600000000, limit=2))


@pytest.mark.case(84)
@pytest.mark.parametrize("ident", [[1], {"a": 1}, None])
def test_the_timestamp_walk_takes_executions_whose_id_cannot_be_hashed(ident):
    asked: list[int] = []
    page = [{"id": ident, "created_at": 1600000000}, {"id": 7, "created_at": 1600000001}]

    def fetch(product_id: Any, since: int, limit: int) -> Any:
        asked.append(since)
        return page if since <= 1600000001 else []

    got = list(iter_executions_since(fetch, 1, 1600000000, limit=3))
    assert got == page
    assert asked[0] == 1600000000 and asked[-1] == 1600000002


# --- 85: look-ups that answer with something other than an order --------------------------

_NOT_ORDERS = ["null", "[]", '"cancelled"', "123", '[{"id": 5, "status": "cancelled"}]']
_LOST = requests.exceptions.ConnectionError("Connection aborted: reset by peer")


@pytest.mark.case(85)
@pytest.mark.parametrize("answer", _NOT_ORDERS)
def test_an_order_look_up_answering_no_order_is_an_unknown_outcome(mocked, client, answer):
    mocked.post(f"{API}/orders", body=_LOST)
    mocked.get(f"{API}/orders/client:cid-1", body=answer)
    with pytest.raises(QuoineAmbiguousOrderError, match="not an order") as info:
        client.create_limit_buy(1, "0.01", "500", client_order_id="cid-1")
    assert info.value.client_order_id == "cid-1"
    assert outcome_unknown(info.value) and info.value.attempts >= 1
    assert [call.request.method for call in mocked.calls] == ["POST", "GET"]


@pytest.mark.case(85)
@pytest.mark.parametrize("answer", [*_NOT_ORDERS, ""])
def test_an_order_answered_2xx_with_no_order_is_looked_up(mocked, client, answer):
    status = 204 if answer == "" else 200
    mocked.post(f"{API}/orders", body=answer, status=status)
    mocked.get(f"{API}/orders/client:cid-1", json={"id": 7, "client_order_id": "cid-1"})
    assert client.create_limit_buy(1, "0.01", "500", client_order_id="cid-1")["id"] == 7
    assert [call.request.method for call in mocked.calls] == ["POST", "GET"]


@pytest.mark.case(85)
def test_an_order_answered_null_without_client_order_id_is_an_unknown_outcome(mocked, client):
    mocked.post(f"{API}/orders", body="null")
    with pytest.raises(QuoineAmbiguousOrderError, match="not an order") as info:
        client.create_limit_buy(1, "0.01", "500")
    assert info.value.client_order_id is None and outcome_unknown(info.value)
    assert info.value.attempts == 1 and info.value.sent is True
    assert len(mocked.calls) == 1


@pytest.mark.case(85)
def test_an_order_look_up_answering_another_order_is_an_unknown_outcome(mocked, client):
    mocked.post(f"{API}/orders", body=_LOST)
    mocked.get(f"{API}/orders/client:cid-1", json={"id": 9, "client_order_id": "cid-2"})
    with pytest.raises(QuoineAmbiguousOrderError, match="another order"):
        client.create_limit_buy(1, "0.01", "500", client_order_id="cid-1")


@pytest.mark.case(85)
@pytest.mark.parametrize("answer", _NOT_ORDERS)
def test_an_edit_look_up_answering_no_order_is_an_unknown_outcome(mocked, client, answer):
    mocked.put(f"{API}/orders/5", body=_LOST)
    mocked.get(f"{API}/orders/5", body=answer)
    with pytest.raises(QuoineAmbiguousOrderError, match="not an order"):
        client.update_live_order(5, quantity="1", price="500")
    assert [call.request.method for call in mocked.calls] == ["PUT", "GET"]


@pytest.mark.case(85)
def test_an_edit_look_up_showing_only_one_new_value_is_an_unknown_outcome(mocked, client):
    mocked.put(f"{API}/orders/5", body=_LOST)
    mocked.get(f"{API}/orders/5", json={"id": 5, "quantity": "1.0", "price": "400.0"})
    with pytest.raises(QuoineAmbiguousOrderError, match="does not show the new values"):
        client.update_live_order(5, quantity="1", price="500")


@pytest.mark.case(85)
@pytest.mark.parametrize("answer", _NOT_ORDERS)
def test_a_cancel_look_up_answering_no_order_is_an_unknown_outcome(mocked, client, answer):
    mocked.put(f"{API}/orders/5/cancel", body=_LOST)
    mocked.put(f"{API}/orders/5/cancel", status=404, json={"message": "Order not found"})
    mocked.get(f"{API}/orders/5", body=answer)
    with pytest.raises(QuoineAmbiguousOrderError, match="not an order") as info:
        client.cancel_order(5)
    assert not isinstance(info.value, QuoineOrderNotFoundError)
    assert outcome_unknown(info.value)


@pytest.mark.case(85)
def test_a_cancel_answered_429_is_the_servers_429(mocked, client):
    mocked.put(
        f"{API}/orders/5/cancel",
        status=429,
        json={"message": "API rate limit exceeded. Please retry after 300s"},
    )
    with pytest.raises(QuoineRateLimitError) as info:
        client.cancel_order(5)
    assert info.value.retry_after == 300
    assert not outcome_unknown(info.value)
    assert len(mocked.calls) == 1


# --- 86: Retry-After in forms no exchange means -------------------------------------------


@pytest.mark.case(86)
@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("1e3", 1000.0),
        ("  5 ", 5.0),
        ("1, 2", 2.0),  # two Retry-After headers, joined: the longer wait
        ("3,1", 3.0),
        ("1e-400", 0.0),
        ("-5", 0.0),
        ("inf", None),
        ("-inf", None),
        ("nan", None),
        ("5, soon", None),
        (",", None),
        ("5\x00", None),
        ("0x10", None),
        ("Wed, 21 Oct 2015 07:28:00 GMT", 0.0),
    ],
)
def test_retry_after_odd_forms(value, seconds):
    assert retry_after_seconds({"Retry-After": value}, "") == seconds


@pytest.mark.case(86)
@pytest.mark.parametrize(
    "headers",
    [
        {"Retry-After": "Fri, 01 Jan 2100 00:00:00 GMT"},
        {"Retry-After": "99999999999999999999999"},
        {},  # with "Please retry after 1e26 s" in the message
    ],
)
def test_a_pause_of_years_cools_the_token_down_for_an_hour_at_most(mocked, caplog, headers):
    now = [1000.0]

    def sleep(seconds: float) -> None:
        now[0] += seconds

    limiter = RateLimiter(600, 300, clock=lambda: now[0], sleep=sleep)
    client = Liquid(TOKEN_ID, SECRET, rate_limit=limiter)
    mocked.get(
        f"{client.API_URL}/products",
        status=429,
        headers=headers,
        json={"message": "Please retry after 100000000000000000000000000s"},
    )
    with pytest.raises(QuoineRateLimitError) as info:
        client.get_products()
    assert info.value.retry_after > 10**9  # the exchange's word is kept on the error
    assert "sending nothing for 3600 s" in caplog.text
    now[0] += MAX_COOL_DOWN - 60  # a minute left, more than the 30 s deadline
    with pytest.raises(QuoineClientRateLimitError):
        client.get_products()
    now[0] += 60
    mocked.get(f"{client.API_URL}/products", json=[])
    assert client.get_products() == []


# --- 87: one nonce sequence per token, whatever the api_url says ---------------------------


@pytest.mark.case(87)
def test_clients_of_one_token_share_nonces_at_every_spelling_of_every_host():
    clients = [
        Liquid(TOKEN_ID, SECRET),
        Liquid(TOKEN_ID, SECRET, api_url="https://api.liquid.com:443/"),
        Liquid(TOKEN_ID, SECRET, api_url="https://API.LIQUID.COM"),
        Quoinex(TOKEN_ID, SECRET),  # api.quoine.com: the same exchange after the merger
        Qryptos(TOKEN_ID, SECRET),
        Liquid(TOKEN_ID, SECRET, api_url="https://proxy.example/liquid"),
    ]
    assert all(c.nonces is clients[0].nonces for c in clients)
    assert Liquid("5678", SECRET).nonces is not clients[0].nonces


@pytest.mark.case(87)
def test_a_limiter_is_shared_by_every_spelling_of_one_host_only():
    default, port, upper = (
        Liquid(TOKEN_ID, SECRET),
        Liquid(TOKEN_ID, SECRET, api_url="https://api.liquid.com:443"),
        Liquid(TOKEN_ID, SECRET, api_url="https://API.liquid.com./"),
    )
    assert default.rate_limiter is port.rate_limiter is upper.rate_limiter
    other = Liquid(TOKEN_ID, SECRET, api_url="https://api.liquid.com:8443")
    assert other.rate_limiter is not default.rate_limiter


@pytest.mark.case(87)
def test_a_client_on_another_host_starts_above_the_nonces_a_first_client_used():
    first = Liquid(TOKEN_ID, SECRET)
    last = max(first.nonces() for _ in range(1000))
    second = Quoinex(TOKEN_ID, SECRET, api_url="http://127.0.0.1:1")
    assert second.nonces() > last


# --- 88: an HTTPS proxy that refuses the tunnel --------------------------------------------


@pytest.fixture
def refusing_proxy() -> Iterator[Any]:
    def start(raw: bytes, close: bool = False) -> requests.Session:
        proxy = FaultServer(lambda request: Reply(raw, close=close)).__enter__()
        proxies.append(proxy)
        session = requests.Session()
        session.proxies = {"https": proxy.url}
        return session

    proxies: list[FaultServer] = []
    yield start
    for proxy in proxies:
        proxy.__exit__()


@pytest.mark.case(88)
@pytest.mark.parametrize(
    "raw",
    [
        http(407, "<html>Proxy Authentication Required</html>", content_type="text/html"),
        http(403, "blocked by policy", content_type="text/plain"),
        http(502, "upstream unreachable", content_type="text/plain"),
    ],
    ids=["407", "403", "502"],
)
def test_an_order_through_a_proxy_refusing_the_tunnel_is_known_not_placed(refusing_proxy, raw):
    session = refusing_proxy(raw)
    client = Liquid(TOKEN_ID, SECRET, session=session, max_retries=1)
    with pytest.raises(QuoineConnectionError, match="Tunnel connection failed") as info:
        client.create_limit_buy(1, "0.01", "500", client_order_id="cid-1")
    assert info.value.sent is False
    assert not outcome_unknown(info.value)
    assert info.value.attempts == 2  # never reached the exchange: safe to send again
    assert SECRET not in str(info.value) and SECRET not in repr(pickle.dumps(info.value))


@pytest.mark.case(88)
def test_a_proxy_that_hangs_up_on_the_tunnel_stays_an_unknown_outcome(refusing_proxy):
    # Without an answer, the client cannot tell where the request got to.
    session = refusing_proxy(b"", close=True)
    client = Liquid(TOKEN_ID, SECRET, session=session, max_retries=1)
    with pytest.raises(QuoineAmbiguousOrderError) as info:
        client.create_limit_buy(1, "0.01", "500")
    assert info.value.attempts == 1


# --- no secret on the new paths ------------------------------------------------------------


@pytest.mark.case(85)
def test_no_secret_or_signature_in_the_new_errors(mocked, client, caplog):
    caplog.set_level(logging.DEBUG)
    mocked.post(f"{API}/orders", body=_LOST)
    mocked.get(f"{API}/orders/client:cid-1", body="null")
    with pytest.raises(QuoineAmbiguousOrderError) as info:
        client.create_limit_buy(1, "0.01", "500", client_order_id="cid-1")
    shown = [str(info.value), repr(info.value), repr(pickle.loads(pickle.dumps(info.value)))]
    cause = info.value.__cause__
    shown += [str(cause), repr(getattr(cause, "request", None))]
    assert not any(SECRET in text or re.search(r"eyJ[\w-]+\.eyJ", text) for text in shown)


# --- 89: error bodies nested deep enough to break pickling --------------------------------


def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.case(89)
@pytest.mark.parametrize("depth", [33, 500, 900])
@pytest.mark.parametrize(
    "template",
    [
        '{"message": "Bad amount", "code": "valid_amount", "additional_data": %s}',
        '{"errors": {"user": ["not_enough_free_balance", %s]}}',
        '{"message": "Bad amount", "detail": %s}',
        "%s",
    ],
    ids=["additional_data", "errors", "other key", "top level"],
)
def test_an_exception_from_a_deep_error_body_pickles_copies_and_prints(
    mocked, client, depth, template
):
    mocked.get(f"{API}/products", status=422, body=template % _nested(depth))
    with pytest.raises(QuoineAPIException) as info:
        client.get_products()
    error = info.value
    again = pickle.loads(pickle.dumps(error))
    assert type(again) is type(error) and str(again) == str(error)
    assert copy.deepcopy(error).code == error.code
    assert repr(error) and "".join(traceback.format_exception(error))
    # what the server said stays readable down to the bound, and the class still fits
    if "valid_amount" in template:
        assert error.code == "valid_amount" and error.message == "Bad amount"
    if "not_enough" in template:
        assert type(error).__name__ == "QuoineInsufficientFundsError"


@pytest.mark.case(89)
def test_an_error_body_within_the_bound_is_kept_whole(mocked, client):
    data = json.loads(_nested(31))
    mocked.get(f"{API}/products", status=422, json={"message": "x", "additional_data": data})
    with pytest.raises(QuoineAPIException) as info:
        client.get_products()
    assert info.value.additional_data == data


# --- 85/33: credentials of a proxy or of the server's own auth stay out of exceptions ------

_BASIC = "Basic dXNlcjpDQU5BUlktcHJveHktcGFzc3dvcmQ="  # user:CANARY-proxy-password


@pytest.mark.case(85)
@pytest.mark.parametrize(
    ("answer", "attempts"),
    [
        (Reply(http(502, "bad gateway", content_type="text/plain")), 2),
        (Reply(http(200, "<html>", content_type="text/html")), 1),
        (Reply(b"HTTP/1.1 200 X\r\nContent-Length: 10\r\n\r\n[]", close=True), 2),
    ],
    ids=["502", "html", "cut off"],
)
def test_basic_auth_of_a_reverse_proxy_is_masked_in_exceptions_and_still_sent(answer, attempts):
    session = requests.Session()
    session.auth = ("user", "CANARY-proxy-password")
    with FaultServer(lambda request: answer) as server:
        client = Liquid(TOKEN_ID, SECRET, api_url=server.url, session=session, max_retries=1)
        with pytest.raises(QuoineError) as info:
            client.get_products()
        sent = [request.headers.get("authorization") for request in server.requests]
    assert sent == [_BASIC] * attempts  # a retry carries the real header
    error = info.value
    chain = [error, error.__cause__, error.__context__]
    dumped = repr([pickle.dumps(e) for e in chain if e is not None])
    assert "dXNlcjpDQU5BUlktcHJveHktcGFzc3dvcmQ" not in dumped
    for item in chain:
        request = getattr(item, "request", None) or getattr(
            getattr(item, "response", None), "request", None
        )
        if request is not None:
            assert request.headers.get("Authorization") == "***"


# --- 90: a server that drips its status line and headers ----------------------------------

_DRIPPED = b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 40 + b"\r\nContent-Length: 2\r\n\r\n[]"


@pytest.mark.case(90)
@pytest.mark.timeout(20)  # a guard: without the watchdog this call takes 25 s
@pytest.mark.parametrize("drip_from", [0, 16], ids=["status line", "headers"])
def test_dripped_headers_end_the_call_at_its_deadline(drip_from):
    with FaultServer(lambda request: Reply(_DRIPPED, drip=0.5, drip_from=drip_from)) as server:
        client = Liquid(api_url=server.url, deadline=1.5, timeout=1, max_retries=2)
        with pytest.raises(QuoineTimeoutError, match="waiting for the answer's headers") as info:
            client.get_products()
        assert len(server.requests) == 1  # the deadline is spent: no retry
    assert info.value.sent is True and outcome_unknown(info.value)


@pytest.mark.case(90)
@pytest.mark.timeout(20)
def test_an_order_whose_headers_drip_past_the_deadline_is_looked_up():
    placed = {"id": 7, "client_order_id": "cid-1"}

    def script(request: Any) -> Reply:
        if request.method == "POST":
            return Reply(_DRIPPED, drip=0.5, drip_from=16)
        return Reply(http(200, json.dumps(placed)))

    with FaultServer(script) as server:
        client = Liquid(TOKEN_ID, SECRET, api_url=server.url, deadline=1.5, timeout=1)
        assert client.create_limit_buy(1, "0.01", "500", client_order_id="cid-1") == placed
        assert [request.method for request in server.requests] == ["POST", "GET"]


@pytest.mark.case(90)
def test_the_watch_never_cuts_an_answer_in_time_and_a_callers_session_is_untouched():
    with FaultServer(lambda request: Reply(http(200, "[1]"))) as server:
        client = Liquid(api_url=server.url, deadline=1.5)
        assert [client.get_products() for _ in range(50)] == [[1]] * 50
        session = requests.Session()
        adapter = session.get_adapter("https://x")
        Liquid(api_url=server.url, session=session)
        assert session.get_adapter("https://x") is adapter


# --- 91: a redirect whose Location is not UTF-8 -------------------------------------------


@pytest.mark.case(91)
@pytest.mark.parametrize(
    "raw",
    [
        b"HTTP/1.1 301 Moved\r\nLocation: \x80\xff\r\nContent-Length: 0\r\n\r\n",
        b"HTTP/1.1 302 Found\r\nLocation: /caf\xe9\r\nContent-Length: 0\r\n\r\n",
        b"HTTP/1.\t301\nLocation:\x80",  # found by the response fuzz (case 32)
    ],
    ids=["bytes", "latin-1", "fuzz"],
)
def test_a_redirect_whose_location_is_not_utf8_is_a_library_error(raw):
    with FaultServer(lambda request: Reply(raw, close=True)) as server:
        client = Liquid(TOKEN_ID, SECRET, api_url=server.url)
        with pytest.raises(QuoineResponseException, match="Location is not UTF-8") as info:
            client.get_products()
        assert len(server.requests) == 1  # a redirect is an answer: not retried
        with pytest.raises(QuoineResponseException, match="Location is not UTF-8"):
            client.create_limit_buy(1, "0.01", "500", client_order_id="cid-1")
        assert [r.method for r in server.requests] == ["GET", "POST"]  # not looked up
    assert not outcome_unknown(info.value) and len(str(info.value)) < 200
    gc.collect()  # a socket left open would warn here, inside this test


@pytest.mark.case(91)
def test_a_redirect_with_a_utf8_location_is_still_reported_with_it():
    raw = "HTTP/1.1 302 Found\r\nLocation: /café\r\nContent-Length: 0\r\n\r\n".encode()
    with FaultServer(lambda request: Reply(raw)) as server:
        client = Liquid(api_url=server.url)
        with pytest.raises(QuoineResponseException, match="unexpected redirect \\(302\\)"):
            client.get_products()
