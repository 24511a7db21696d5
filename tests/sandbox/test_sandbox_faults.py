"""Fault injection over real HTTP."""

from __future__ import annotations

import time

import pytest
import requests

from quoine.sandbox import Sandbox

ORDER = {
    "order": {
        "order_type": "limit",
        "product_id": 1,
        "side": "buy",
        "quantity": "0.1",
        "price": "20000",
    }
}


def order_count(sandbox: Sandbox) -> int:
    with sandbox.exchange.lock:
        return len(sandbox.exchange.demo.orders)


def test_latency(api, sandbox):
    sandbox.faults.add("latency", path="/products", delay=0.3)
    t0 = time.perf_counter()
    assert api.request("GET", "/products", signed=False).status_code == 200
    assert time.perf_counter() - t0 >= 0.3
    t0 = time.perf_counter()
    api.request("GET", "/products", signed=False)
    assert time.perf_counter() - t0 < 0.3  # times=1 by default


@pytest.mark.parametrize("commit", [False, True])
def test_html_5xx(api, sandbox, commit):
    rule = sandbox.faults.add("error_5xx", method="POST", path="/orders", commit=commit)
    resp = api.request("POST", "/orders", ORDER)
    assert resp.status_code == 502
    assert resp.headers["Content-Type"].startswith("text/html")
    assert "cloudflare" in resp.text.lower()
    assert order_count(sandbox) == (1 if commit else 0)
    assert rule.fired == 1
    assert api.request("POST", "/orders", ORDER).status_code == 200


def test_rate_limit_with_retry_after(api, sandbox):
    sandbox.faults.add("rate_limit", path="/accounts*", times=2)
    sandbox.faults.add("rate_limit", path="/products", status=503, retry_after="2")
    resp = api.request("GET", "/accounts/balance")
    assert resp.status_code == 429 and resp.headers["Retry-After"] == "300"
    assert resp.json() == {"message": "API rate limit exceeded. Please retry after 300s"}
    assert api.request("GET", "/accounts").status_code == 429
    assert api.request("GET", "/accounts").status_code == 200
    resp = api.request("GET", "/products", signed=False)
    assert resp.status_code == 503 and resp.headers["Retry-After"] == "2"


def test_drop_after_processing_commits(api, sandbox):
    sandbox.faults.add("drop_after_processing", method="POST", path="/orders")
    with pytest.raises(requests.ConnectionError):
        api.request("POST", "/orders", ORDER)
    assert order_count(sandbox) == 1
    live = api.get("/orders?status=live")
    assert len(live["models"]) == 1


def test_drop_before_processing_does_not_commit(api, sandbox):
    sandbox.faults.add("drop_before_processing", method="POST", path="/orders")
    with pytest.raises(requests.ConnectionError):
        api.request("POST", "/orders", ORDER)
    assert order_count(sandbox) == 0


def test_truncated_body(api, sandbox):
    sandbox.faults.add("truncated_body", method="POST", path="/orders")
    with pytest.raises(requests.RequestException):
        api.request("POST", "/orders", ORDER).json()
    assert order_count(sandbox) == 1


def test_hang_gives_read_timeout_and_stop_is_quick(sandbox):
    sandbox.faults.add("hang", path="/products", delay=20)
    with pytest.raises(requests.ReadTimeout):
        requests.get(sandbox.url + "/products", timeout=(1, 0.3))
    t0 = time.perf_counter()
    sandbox.stop()
    assert time.perf_counter() - t0 < 3


def test_random_faults_are_reproducible():
    logs = []
    for _ in range(2):
        with Sandbox(rate_limit=None) as sb:
            sb.faults.add_random(0.5, kinds=("error_5xx", "rate_limit"), seed=42)
            session = requests.Session()
            codes = [session.get(sb.url + "/currencies", timeout=5).status_code for _ in range(30)]
            session.close()
            logs.append((codes, list(sb.faults.log)))
    assert logs[0] == logs[1]
    assert {429, 502, 200} == set(logs[0][0])


def test_unknown_kind_rejected(sandbox):
    with pytest.raises(ValueError):
        sandbox.faults.add("explode")
    sandbox.faults.add("latency")
    sandbox.faults.clear()
    assert sandbox.faults.rules == []
