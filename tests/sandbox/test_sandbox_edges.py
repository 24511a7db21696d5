"""Validation edges of the sandbox API, and the command line run in-process."""

from __future__ import annotations

import re
import threading
import time
from decimal import Decimal
from typing import Any

import pytest
import requests

import quoine.sandbox.__main__ as sandbox_main
from quoine.sandbox import Sandbox


def order(**fields: Any) -> dict[str, Any]:
    base = {"order_type": "limit", "product_id": 1, "side": "buy", "quantity": "0.01"}
    base.update(fields)
    return {"order": {k: v for k, v in base.items() if v is not None}}


@pytest.mark.parametrize(
    ("body", "status", "needle"),
    [
        (order(product_id=None), 422, "is_missing"),
        (order(product_id=424242), 422, "product_not_found"),
        (order(product_id=7, price="30000"), 422, "product_disabled"),
        (order(side="hold", price="30000"), 422, "side"),
        (order(order_type="iceberg", price="30000"), 422, "order_type"),
        (order(quantity="0.000000001", price="30000"), 422, "less_than_order_size"),
        (order(price="99999999"), 422, "price_too_high"),
        (order(price="1"), 422, "price_too_small"),
        (order(order_type="market_with_range"), 422, "must_be_positive"),
        (order(order_type="trailing_stop", trailing_stop_type="x"), 422, "trailing_stop_type"),
        (order(price="30000", client_order_id="x" * 40), 422, "is_too_long"),
        (order(price="30000", client_order_id="bad id!"), 422, "client_order_id"),
        (order(price="30000", leverage_level="two"), 422, "leverage_level"),
        (order(price="30000", leverage_level=3), 422, "leverage_level"),
        (order(price="30000", order_direction="sideways"), 422, "order_direction"),
        (order(price="30000", funding_currency="JPY"), 422, "funding_currency"),
    ],
)
def test_order_validation(api, body, status, needle):
    resp = api.request("POST", "/orders", body)
    assert resp.status_code == status, resp.text
    assert needle in resp.text


def test_margin_not_enabled(api, sandbox):
    with sandbox.exchange.lock:
        sandbox.exchange.products[37].margin_enabled = False
    resp = api.request("POST", "/orders", order(product_id=37, price="0.05", leverage_level=2))
    assert resp.status_code == 422 and "margin_not_enabled" in resp.text


def test_margin_type_and_market_with_range_price(api, sandbox):
    placed = api.order(
        order_type="limit",
        product_id=1,
        side="buy",
        quantity="0.01",
        price="20000",
        leverage_level=2,
        margin_type="isolated",
    )
    assert placed["margin_type"] == "isolated"
    ranged = api.order(
        order_type="market_with_range", product_id=1, side="buy", quantity="0.01", price="40000"
    )
    assert ranged["status"] == "filled"


def test_order_edits_and_lookups(api, sandbox):
    live = api.order(order_type="limit", product_id=1, side="buy", quantity="0.01", price="20000")
    oid = live["id"]
    small = api.request("PUT", f"/orders/{oid}", {"order": {"quantity": "0.0000001"}})
    assert small.status_code == 422 and "less_than_order_size" in small.text
    big = api.request("PUT", f"/orders/{oid}", {"order": {"quantity": "1000"}})
    assert big.status_code == 422 and "not_enough_free_balance" in big.text
    with sandbox.exchange.lock:
        reserved = sandbox.exchange.demo.accounts["USD"].reserved
    assert reserved == Decimal("0.01") * 20000 * Decimal("1.003")  # restored
    crossing = api.put(f"/orders/{oid}", {"order": {"price": "40000"}})
    assert crossing["status"] == "filled"
    edit_done = api.request("PUT", f"/orders/{oid}", {"order": {"price": "20000"}})
    assert edit_done.status_code == 422
    assert api.request("GET", "/orders/not-a-number").status_code == 404
    assert api.request("PUT", "/orders/not-a-number/cancel").status_code == 404

    stop = api.order(order_type="stop", product_id=1, side="buy", quantity="0.01", price="45000")
    moved = api.put(f"/orders/{stop['id']}", {"order": {"price": "46000"}})
    assert moved["status"] == "live"
    assert Decimal(moved["price"]) == 46000
    listed = api.get("/orders?status=filled&trading_type=spot&funding_currency=USD")
    assert {o["status"] for o in listed["models"]} == {"filled"}
    assert api.get("/orders?funding_currency=JPY")["models"] == []


def test_public_and_account_edges(api):
    assert api.request("GET", "/executions", signed=False).status_code == 422
    bad = api.request("GET", "/executions?product_id=1&timestamp=abc", signed=False)
    assert bad.status_code == 422
    assert api.request("GET", "/products/1/funding_rate_history", signed=False).status_code == 422
    rates = api.get("/products/603/funding_rate_history?timestamp_gte=0&timestamp_lte=1")
    assert rates["models"] == []
    assert api.request("POST", "/fiat_accounts", {"currency": "BTC"}).status_code == 422
    assert api.request("GET", "/accounts/XYZ").status_code in (404, 422)
    assert api.request("GET", "/trading_accounts/abc").status_code == 404
    assert api.request("GET", "/trades/abc").status_code == 404
    assert api.request("GET", "/ir_ladders/XYZ", signed=False).status_code == 404
    accounts = api.get("/trading_accounts")
    tid = accounts[0]["id"]
    bad_lev = api.request(
        "PUT", f"/trading_accounts/{tid}", {"trading_account": {"leverage_level": "x"}}
    )
    assert bad_lev.status_code == 422


def test_trade_edges(api):
    placed = api.order(
        order_type="market", product_id=1, side="buy", quantity="0.01", leverage_level=2
    )
    (trade,) = api.get(f"/orders/{placed['id']}/trades")
    tid = trade["id"]
    assert api.request("GET", f"/trades/{tid}").status_code == 404  # no such route in the API
    new = Decimal(trade["margin_used"]) + 10
    adjusted = api.put(f"/trades/{tid}/adjust_margin", {"margin": str(new)})
    assert Decimal(adjusted["margin_used"]) == new
    by_delta = api.put(f"/trades/{tid}/adjust_margin", {"delta": "-5"})
    assert Decimal(by_delta["margin_used"]) == new - 5
    too_much = api.request("PUT", f"/trades/{tid}/adjust_margin", {"delta_margin": "-999999"})
    assert too_much.status_code == 422 and "too_small" in too_much.text
    assert api.get("/trades?trading_type=perpetual")["models"] == []
    closed = api.put(f"/trades/{tid}/close")
    assert closed["status"] == "closed"
    again = api.request("PUT", f"/trades/{tid}/adjust_margin", {"delta_margin": "1"})
    assert again.status_code == 422 and "already_closed" in again.text
    close_order = api.get("/orders?limit=1")["models"][0]
    assert [t["id"] for t in api.get(f"/orders/{close_order['id']}/trades")] == [tid]


def test_funding_edges(api):
    assert api.request("GET", "/crypto_withdrawals/abc").status_code == 404
    assert api.request("GET", "/withdrawals/999").status_code == 404
    bad = api.request(
        "POST", "/loan_bids", {"loan_bid": {"rate": "0.0001", "quantity": "1", "currency": "XYZ"}}
    )
    assert bad.status_code == 422
    cw = {"crypto_withdrawal": {"currency": "USD", "address": "a", "amount": "10"}}
    assert api.request("POST", "/crypto_withdrawals", cw).status_code == 422
    tiny = {"crypto_withdrawal": {"currency": "BTC", "address": "a", "amount": "0.0000001"}}
    assert "less_than_minimum_withdrawal" in api.request("POST", "/crypto_withdrawals", tiny).text
    no_address = {"crypto_withdrawal": {"currency": "BTC", "amount": "1"}}
    assert "is_missing" in api.request("POST", "/crypto_withdrawals", no_address).text
    same = {"crypto_withdrawal": {"currency": "BTC", "address": "dup", "amount": "0.01"}}
    first = api.post("/crypto_withdrawals", same)
    api.post("/crypto_withdrawals", same)
    listed = api.get("/crypto_withdrawals?currency=BTC")["models"]
    assert first["id"] in [w["id"] for w in listed]
    addresses = api.get("/crypto_withdrawal_addresses?currency=BTC")["models"]
    assert [a["address"] for a in addresses] == ["dup"]
    assert api.request("POST", "/bank_accounts", {"bank_account": {}}).status_code == 422
    estimate = {"for_action": "create_order", "for_params": {"product_id": 1, "quantity": "1"}}
    assert api.post("/fees/estimate", estimate)["fee_options"]["default"][0]["currency"] == "USD"
    for body in (
        {"for_action": "create_order", "for_params": "x"},
        {"for_action": "withdraw", "for_params": {"currency": "XYZ"}},
        {"for_action": "dance"},
    ):
        assert api.request("POST", "/fees/estimate", body).status_code == 422


def test_add_user_rejects_a_duplicate_token():
    with Sandbox(rate_limit=None) as sb, pytest.raises(ValueError):
        sb.exchange.add_user("again", token_id=sb.token_id)


def test_command_line_main_in_process(monkeypatch, capsys):
    handlers: dict[int, Any] = {}
    started: list[Sandbox] = []

    class Recording(Sandbox):
        def start(self) -> Sandbox:
            started.append(self)
            return super().start()

    monkeypatch.setattr(sandbox_main.signal, "signal", lambda sig, fn: handlers.setdefault(sig, fn))
    monkeypatch.setattr(sandbox_main, "Sandbox", Recording)
    seen: dict[str, Any] = {}

    def drive() -> None:
        deadline = time.monotonic() + 10
        while not (started and started[0]._server) and time.monotonic() < deadline:
            time.sleep(0.01)
        sb = started[0]
        seen["url"] = sb.url
        with requests.Session() as session:
            seen["faulted"] = session.get(sb.url + "/products/1", timeout=5).status_code
            seen["clean"] = session.get(sb.url + "/products/1", timeout=5).status_code
        handlers[sandbox_main.signal.SIGTERM](sandbox_main.signal.SIGTERM, None)

    thread = threading.Thread(target=drive, daemon=True)
    thread.start()
    code = sandbox_main.main(
        [
            "--port",
            "0",
            "--no-rate-limit",
            "--secret",
            "s3cret",
            "--lenient-nonce",
            "--fault",
            "error_5xx,path=/products/1,times=1,status=503",
            "--random-faults",
            "0.0001",
            "--seed",
            "3",
        ]
    )
    thread.join(5)
    assert code == 0
    assert seen["faulted"] in (503,)
    assert seen["clean"] in (200, 429, 502, 503, 504)
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f"listening on {seen['url']}"
    assert lines[1:3] == ["token_id: sandbox-demo", "secret: s3cret"]
    assert lines[4:7] == [  # ready to paste into another shell
        f"export QUOINE_API_URL={seen['url']}",
        "export QUOINE_API_TOKEN_ID=sandbox-demo",
        "export QUOINE_API_SECRET=s3cret",
    ]
    assert re.fullmatch(r"realtime: ws://127\.0\.0\.1:\d+/app/LiquidTapClient", lines[7])
    assert len(lines) == 8
    assert started[0]._server is None  # stopped
