"""Issue 11 §2: nothing a client sends can break the sandbox.

Every input the issue lists, and its neighbours, answered below 500 in the
API's error shape, with nothing changed by a request that fails.
"""

from __future__ import annotations

import base64
import json
import socket
from decimal import Decimal as D
from typing import Any

import pytest

from quoine.sandbox import Sandbox
from quoine.sandbox.app import MAX_BODY


def shape(resp: Any) -> dict[str, Any]:
    body = resp.json()
    assert isinstance(body, dict) and ("message" in body or "errors" in body), body
    return body


def raw(sandbox: Sandbox, data: bytes) -> tuple[int, dict[str, Any]]:
    """Send raw bytes; return the status and JSON body of the answer."""
    with socket.create_connection((sandbox.host, sandbox.port), timeout=10) as conn:
        conn.sendall(data)
        chunks = []
        while True:
            try:
                chunk = conn.recv(65536)
            except ConnectionResetError:
                break
            if not chunk:
                break
            chunks.append(chunk)
            head, _, body = b"".join(chunks).partition(b"\r\n\r\n")
            length = [h for h in head.split(b"\r\n") if h.lower().startswith(b"content-length:")]
            if length and len(body) >= int(length[0].split(b":")[1]):
                break
    answer = b"".join(chunks)
    assert answer, "connection dropped without an answer"
    head, _, body = answer.partition(b"\r\n\r\n")
    status = int(head.split()[1])
    return status, json.loads(body)


@pytest.mark.parametrize(
    "stamp", ["NaN", "nan", "sNaN", "-NaN", "Infinity", "-Infinity", "inf", "abc", "", "1e500000",
              "1e-500000", "9" * 400, "1" + "0" * 39 + "1", "0x10", "1_000", "[1]"],
)  # fmt: skip
def test_executions_timestamp_that_is_not_a_bounded_number_is_422(api, stamp):
    resp = api.request("GET", f"/executions?product_id=1&timestamp={stamp}", signed=False)
    if stamp == "":
        assert resp.status_code == 200  # empty means "not given": the paginated list
        return
    assert resp.status_code == 422, resp.text
    assert shape(resp) == {"errors": {"timestamp": ["is_invalid"]}}


def test_executions_timestamp_as_exponent_within_bounds_works(api):
    resp = api.request("GET", "/executions?product_id=1&timestamp=1.6e9&limit=5", signed=False)
    assert resp.status_code == 200 and isinstance(resp.json(), list)


@pytest.mark.parametrize(
    "header",
    [b"Content-Length: abc", b"Content-Length: -1", b"Content-Length: 1e3",
     b"Content-Length: 99999999999999999999", b"Content-Length: 5\r\nContent-Length: 6"],
)  # fmt: skip
def test_bad_content_length_is_400(sandbox, header):
    status, body = raw(sandbox, b"POST /orders HTTP/1.1\r\nHost: x\r\n" + header + b"\r\n\r\n{}")
    assert status == 400
    assert body == {"message": "Invalid Content-Length"}


def test_chunked_body_is_411_and_huge_body_413(sandbox):
    status, body = raw(
        sandbox, b"POST /orders HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n"
    )
    assert (status, body) == (411, {"message": "Length Required"})
    status, body = raw(
        sandbox, f"POST /orders HTTP/1.1\r\nContent-Length: {MAX_BODY + 1}\r\n\r\n".encode()
    )
    assert (status, body) == (413, {"message": "Request body too large"})


@pytest.mark.parametrize(
    ("request_line", "status"),
    [(b"GARBAGE", 400), (b"BREW /orders HTTP/1.1", 405), (b"GET /orders HTTP/9.9", 400),
     (b"GET /orders HTTP/1.1\r\n" + b"X: y\r\n" * 150, 431)],
)  # fmt: skip
def test_bad_request_lines_answer_json(sandbox, request_line, status):
    got, body = raw(sandbox, request_line + b"\r\n\r\n")
    assert got == status
    assert set(body) == {"message"}


@pytest.mark.parametrize("depth", [100_000, 5_000])
def test_deeply_nested_json_body_is_400(api, sandbox, depth):
    data = b"[" * depth + b"]" * depth
    status, body = raw(
        sandbox,
        b"POST /fees/estimate HTTP/1.1\r\nContent-Type: application/json\r\n"
        + f"Content-Length: {len(data)}\r\n\r\n".encode()
        + data,
    )
    assert (status, body) == (400, {"message": "The format of data is wrong"})
    nested = {"order": {"a": json.loads("[" * 500 + "]" * 500)}}
    assert api.request("POST", "/orders", nested).status_code == 422


def test_deeply_nested_jwt_is_401(api):
    part = base64.urlsafe_b64encode(b"[" * 20_000 + b"]" * 20_000).rstrip(b"=").decode()
    head = base64.urlsafe_b64encode(b'{"alg":"HS256"}').rstrip(b"=").decode()
    resp = api.session.get(api.url + "/orders", headers={"X-Quoine-Auth": f"{head}.{part}.x"})
    assert resp.status_code == 401 and resp.text == "API Authentication failed"


def test_cancel_all_with_a_product_id_that_is_not_an_id_is_422(api):
    order = api.order(order_type="limit", product_id=1, side="buy", quantity="0.01", price="20000")
    for bad in ("abc", "1.5", [1], {"a": 1}, "9" * 400):
        resp = api.request("PUT", "/orders/cancel_all", {"product_id": bad})
        assert resp.status_code in (400, 422), resp.text
        shape(resp)
    assert api.get(f"/orders/{order['id']}")["status"] == "live"


@pytest.mark.parametrize(
    "qty", ["1e1000000", "-1e1000000", "1e-1000000", 1e308, "NaN", "Infinity", "9" * 400, True,
            [], {}, "0", "-1", "1e19"],
)  # fmt: skip
def test_order_quantity_out_of_bounds_is_422(api, sandbox, qty):
    totals = sandbox.exchange.totals()
    resp = api.request(
        "POST", "/orders", {"order": {"order_type": "market", "product_id": 1, "side": "buy",
                                      "quantity": qty}},
    )  # fmt: skip
    assert resp.status_code == 422, resp.text
    assert list(shape(resp)["errors"]) in (["quantity"], ["user"])
    assert sandbox.exchange.totals() == totals


@pytest.mark.parametrize("name", ["timestamp_gte", "timestamp_lte", "limit", "page"])
@pytest.mark.parametrize("value", ["9" * 400, "1e400", "NaN", "abc", "1.5"])
def test_balance_history_bounds_are_422(api, name, value):
    resp = api.request("GET", f"/balance_history?{name}={value}")
    assert resp.status_code == 422, resp.text
    assert shape(resp) == {"errors": {name: ["is_invalid"]}}


@pytest.mark.parametrize(
    "path",
    ["/orders/" + "9" * 400, "/trades/" + "9" * 400, "/trading_accounts/" + "9" * 400,
     "/products/" + "9" * 5000, "/loan_bids/" + "9" * 400 + "/close", "/products/NaN",
     "/withdrawals/-1", "/orders/1e3"],
)  # fmt: skip
def test_ids_out_of_bounds_are_404(api, path):
    method = "PUT" if path.endswith("/close") else "GET"
    resp = api.request(method, path)
    assert resp.status_code == 404, resp.text
    shape(resp)


def test_huge_nonce_fails_auth(api):
    assert api.request("GET", "/orders", nonce="9" * 5000).status_code == 401
    assert api.request("GET", "/orders", nonce=[1]).status_code == 401


def test_stop_loss_into_an_empty_book_fires_once_and_the_sell_succeeds(api, sandbox):
    ex = sandbox.exchange
    bid = D(api.get("/products/1/price_levels")["buy_price_levels"][0][0])
    long = api.order(
        order_type="market", product_id=1, side="buy", quantity="0.1", leverage_level=2,
        stop_loss=str(bid - 1),
    )  # fmt: skip
    assert long["status"] == "filled"
    seller = ex.add_user("whale", {"BTC": "100000"})
    with ex.lock:
        depth = sum(
            sum(o.remaining for o in lvl) for lvl in ex.products[1].book.levels[True].values()
        )
        orders_before = len(ex.orders)
        totals = ex.totals()
        sell = ex.place_order(
            seller, {"order_type": "market", "product_id": 1, "side": "sell",
                     "quantity": str(depth + 5)},
        )  # fmt: skip
        assert sell.filled == depth  # the whole bid side, then nothing left to buy
        closes = [o for o in ex.orders.values() if o.close_trade is not None]
        assert len(closes) == 1  # the stop loss fired once, into an empty book
        market_maker_quotes = ex.engine.book_depth * 2
        assert len(ex.orders) - orders_before <= 2 + market_maker_quotes
        assert ex.totals() == totals
        assert ex.ledger.problems() == []


def test_stop_loss_over_http_answers_200(api, other, sandbox):
    bid = D(api.get("/products/1/price_levels")["buy_price_levels"][0][0])
    api.order(order_type="market", product_id=1, side="buy", quantity="0.1", leverage_level=2,
              stop_loss=str(bid - 1))  # fmt: skip
    with sandbox.exchange.lock:
        sandbox.exchange.deposit(sandbox.exchange.tokens[other.token_id], "BTC", D(100000))
    sell = {"order_type": "market", "product_id": 1, "side": "sell", "quantity": "5000"}
    resp = other.request("POST", "/orders", {"order": sell})
    assert resp.status_code == 200, resp.text
    trades = api.get("/trades?status=open")["models"]
    assert len(trades) == 1  # the stop loss could not close it: nothing to buy from


def test_a_refused_loan_bid_creates_no_record(api, sandbox):
    resp = api.request("POST", "/loan_bids", {"loan_bid": {"rate": "0.0002", "quantity": "1e9",
                                                           "currency": "USD"}})  # fmt: skip
    assert resp.status_code == 422
    assert api.get("/loan_bids?currency=USD")["models"] == []


def test_a_refused_edit_keeps_the_order_booked(api, sandbox):
    order = api.order(order_type="limit", product_id=1, side="buy", quantity="1", price="20000")
    resp = api.request("PUT", f"/orders/{order['id']}", {"order": {"quantity": "1000"}})
    assert resp.status_code == 422
    ex = sandbox.exchange
    with ex.lock:
        booked = ex.orders[order["id"]]
        assert booked.in_book and booked.quantity == 1
        assert ex.ledger.held(booked.user, "USD", ("Order", booked.id)) == D("20060")


def test_a_market_maker_out_of_funds_stops_quoting_instead_of_failing_the_order(sandbox, api):
    ex = sandbox.exchange
    with ex.lock:
        mm = ex.market_maker
        ex.ledger.move(mm, ex.external, "USD", ex.account(mm, "USD").free, "drain")
        totals = ex.totals()
    sold = api.order(order_type="market", product_id=1, side="sell", quantity="5")
    assert sold["status"] == "filled"
    with ex.lock:
        assert ex.totals() == totals and ex.ledger.problems() == []
        assert ex.products[1].book.level_count(False) == ex.engine.book_depth
