"""Order placement under faults: never placed twice, never lost track of.

Catalogue cases 9-15 (docs/reliability.rst), against the sandbox exchange and
its fault injector.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import jwt
import pytest
import requests
from urllib3.exceptions import MaxRetryError, NameResolutionError, NewConnectionError

from benchmarks.soak_orders import PostCounter, resting_buy_price, run_soak
from quoine import new_client_order_id
from quoine.client import Quoinex
from quoine.exceptions import (
    QuoineAmbiguousOrderError,
    QuoineConnectionError,
    QuoineOrderNotFound,
    QuoineRateLimitError,
    QuoineResponseException,
    QuoineServerError,
    QuoineTimeoutError,
    outcome_unknown,
)
from quoine.sandbox import Sandbox


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    sb = Sandbox(rate_limit=None, seed=3)
    sb.app = PostCounter(sb.app)  # type: ignore[assignment]
    with sb:
        yield sb


@pytest.fixture
def exchange(sandbox: Sandbox) -> Iterator[Sandbox]:
    sandbox.faults.clear()
    sandbox.faults.log.clear()
    yield sandbox
    sandbox.faults.clear()


@pytest.fixture
def client(sandbox: Sandbox) -> Iterator[Quoinex]:
    with Quoinex(
        sandbox.token_id, sandbox.secret, api_url=sandbox.url, timeout=(1, 0.3), rate_limit=None
    ) as quoinex:
        yield quoinex


@pytest.fixture(scope="module")
def price(sandbox: Sandbox) -> Decimal:
    """A buy price 5 % under the market, so orders rest on the book."""
    with Quoinex(api_url=sandbox.url) as public:
        return resting_buy_price(public)


def held(sandbox: Sandbox, cid: str) -> list[Any]:
    with sandbox.exchange.lock:
        return [o for o in sandbox.exchange.demo.orders if o.client_order_id == cid]


def posts(sandbox: Sandbox, cid: str | None) -> int:
    """How many ``POST /orders`` with this client_order_id reached the exchange."""
    return int(sandbox.app.posts[str(cid)])  # type: ignore[attr-defined]


class FailFirst(requests.adapters.HTTPAdapter):
    """Fails the first ``count`` sends as a refused connection or a DNS failure, then sends."""

    def __init__(self, count: int, reason: Exception) -> None:
        super().__init__()
        self.count = count
        self.reason = reason
        self.sent: list[requests.PreparedRequest] = []

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> Any:
        self.sent.append(request.copy())
        if len(self.sent) <= self.count:
            cause = MaxRetryError(None, request.path_url, self.reason)  # type: ignore[arg-type]
            raise requests.exceptions.ConnectionError(cause, request=request)
        return super().send(request, *args, **kwargs)


@pytest.mark.case(9)
@pytest.mark.parametrize(
    "reason",
    [
        NewConnectionError(None, "[Errno 111] Connection refused"),  # type: ignore[arg-type]
        NameResolutionError("api.liquid.com", None, OSError("no such host")),  # type: ignore[arg-type]
    ],
    ids=["refused", "dns"],
)
def test_failures_before_sending_are_retried_with_the_same_id_and_new_nonces(
    exchange, price, reason
):
    adapter = FailFirst(2, reason)
    session = requests.Session()
    session.mount("http://", adapter)
    client = Quoinex(
        exchange.token_id, exchange.secret, api_url=exchange.url, session=session, rate_limit=None
    )
    cid = new_client_order_id()
    order = client.create_limit_buy(1, "0.001", price, client_order_id=cid)

    assert order["client_order_id"] == cid
    assert len(held(exchange, cid)) == 1 and posts(exchange, cid) == 1
    bodies = {r.body for r in adapter.sent}
    nonces = [
        jwt.decode(r.headers["X-Quoine-Auth"], exchange.secret, algorithms=["HS256"])["nonce"]
        for r in adapter.sent
    ]
    assert len(adapter.sent) == 3 and len(bodies) == 1
    assert nonces == sorted(set(nonces))


@pytest.mark.case(10)
def test_read_timeout_after_commit_is_reconciled_not_resent(exchange, client, price):
    exchange.faults.add("hang", method="POST", path="/orders", commit=True, delay=2)
    cid = new_client_order_id()
    order = client.create_limit_buy(1, "0.001", price, client_order_id=cid)
    [stored] = held(exchange, cid)
    assert order["id"] == stored.id
    assert posts(exchange, cid) == 1


@pytest.mark.case(10)
def test_without_a_client_order_id_the_outcome_is_reported_unknown(exchange, client, price):
    exchange.faults.add("hang", method="POST", path="/orders", commit=True, delay=2)
    with exchange.exchange.lock:
        before = len(exchange.exchange.demo.orders)
    unnamed = posts(exchange, None)
    with pytest.raises(QuoineAmbiguousOrderError) as info:
        client.create_limit_buy(1, "0.001", price)
    assert info.value.client_order_id is None
    assert isinstance(info.value.__cause__, QuoineTimeoutError)
    assert "no client_order_id" in str(info.value)
    with exchange.exchange.lock:
        assert len(exchange.exchange.demo.orders) == before + 1  # it was placed, once
    assert posts(exchange, None) == unnamed + 1


@pytest.mark.case(11)
def test_commit_then_reset_is_reconciled_not_resent(exchange, client, price):
    exchange.faults.add("drop_after_processing", method="POST", path="/orders")
    cid = new_client_order_id()
    order = client.create_limit_buy(1, "0.001", price, client_order_id=cid)
    assert order["id"] == held(exchange, cid)[0].id
    assert posts(exchange, cid) == 1


@pytest.mark.case(12)
@pytest.mark.parametrize("status", [502, 504])
def test_gateway_error_after_commit_is_reconciled(exchange, client, price, status):
    exchange.faults.add("error_5xx", method="POST", path="/orders", commit=True, status=status)
    cid = new_client_order_id()
    order = client.create_limit_buy(1, "0.001", price, client_order_id=cid)
    assert order["id"] == held(exchange, cid)[0].id
    assert posts(exchange, cid) == 1


@pytest.mark.case(12)
def test_gateway_error_without_commit_is_ambiguous_and_never_resent(
    exchange, client, price, sleeps
):
    exchange.faults.add("error_5xx", method="POST", path="/orders", commit=False, status=502)
    cid = new_client_order_id()
    lookups = exchange.faults.add(
        "latency", method="GET", path="/orders/client:*", times=None, delay=0
    )
    with pytest.raises(QuoineAmbiguousOrderError) as info:
        client.create_limit_buy(1, "0.001", price, client_order_id=cid)
    assert info.value.client_order_id == cid
    assert isinstance(info.value.__cause__, QuoineServerError)
    assert held(exchange, cid) == []
    assert posts(exchange, cid) == 1
    assert lookups.fired == 3 and len(sleeps) == 2  # looked three times, backing off


@pytest.mark.case(13)
def test_cut_off_answer_after_commit_is_reconciled(exchange, client, price):
    exchange.faults.add("truncated_body", method="POST", path="/orders")
    cid = new_client_order_id()
    order = client.create_limit_buy(1, "0.001", price, client_order_id=cid)
    assert order["id"] == held(exchange, cid)[0].id
    assert posts(exchange, cid) == 1


@pytest.mark.case(13)
def test_unreadable_2xx_answer_is_reconciled(mocked):
    client = Quoinex("1234", "x" * 40, rate_limit=None)
    mocked.post("https://api.quoine.com/orders", body="<html>maintenance</html>")
    mocked.get("https://api.quoine.com/orders/client:c-13", json={"id": 13})
    assert client.create_limit_buy(1, "1", "2", client_order_id="c-13") == {"id": 13}
    assert [c.request.method for c in mocked.calls] == ["POST", "GET"]


@pytest.mark.case(13)
def test_failed_lookup_leaves_the_outcome_unknown(mocked):
    client = Quoinex("1234", "x" * 40, rate_limit=None, max_retries=0)
    mocked.post("https://api.quoine.com/orders", status=504, body="<html>timeout</html>")
    mocked.get(
        "https://api.quoine.com/orders/client:c-14",
        body=requests.exceptions.ConnectionError("Connection refused"),
    )
    with pytest.raises(QuoineAmbiguousOrderError) as info:
        client.create_limit_buy(1, "1", "2", client_order_id="c-14")
    assert "lookup failed too (QuoineConnectionError)" in str(info.value)
    assert len(mocked.calls) == 2


@pytest.mark.case(14)
def test_429_on_an_order_is_raised_and_not_retried(exchange, client, price, sleeps):
    exchange.faults.add("rate_limit", method="POST", path="/orders")
    cid = new_client_order_id()
    with pytest.raises(QuoineRateLimitError) as info:
        client.create_limit_buy(1, "0.001", price, client_order_id=cid)
    assert info.value.retry_after == 300
    assert held(exchange, cid) == [] and posts(exchange, cid) == 1 and sleeps == []


@pytest.mark.case(9)
def test_a_definitive_answer_is_never_looked_up(mocked):
    client = Quoinex("1234", "x" * 40, rate_limit=None)
    mocked.post("https://api.quoine.com/orders", body=requests.exceptions.SSLError("bad cert"))
    with pytest.raises(QuoineConnectionError):
        client.create_limit_buy(1, "1", "2", client_order_id="c-15")
    assert len(mocked.calls) == 1


@pytest.mark.case(13)
def test_redirect_on_an_order_is_not_treated_as_placed(mocked):
    client = Quoinex("1234", "x" * 40, rate_limit=None)
    mocked.post("https://api.quoine.com/orders", status=302, headers={"Location": "/x"})
    with pytest.raises(QuoineResponseException):
        client.create_limit_buy(1, "1", "2", client_order_id="c-16")
    assert len(mocked.calls) == 1


@pytest.mark.case(15)
def test_soak_200_orders_under_random_faults_no_duplicate_no_resend_none_unknown():
    result = run_soak(200, fault_share=0.35, seed=7)
    fired = sum(result.faults_fired.values())
    assert fired >= 0.3 * result.orders  # the share of placements that failed
    assert result.placed + result.ambiguous + result.rate_limited == result.orders
    assert result.posts_per_client_order_id == {1: result.orders}
    assert (result.duplicates, result.resends, result.unknown_to_client) == (0, 0, 0)
    assert result.ambiguous > 0


API = "https://api.quoine.com"


def mock_client(**options: Any) -> Quoinex:
    return Quoinex("1234", "x" * 40, rate_limit=None, **options)


@pytest.mark.case(66)
@pytest.mark.parametrize(
    "body",
    [
        b"<html>maintenance</html>",
        b'{"id": 66, "client_order_id": "c-66", "price": "5',  # cut inside the JSON
        b"",
        b'{"id": NaN}',
        b"\xff\xfe",
    ],
    ids=["html", "truncated-json", "empty", "nan", "not-utf8"],
)
def test_an_unreadable_2xx_order_answer_is_looked_up_not_resent(mocked, body):
    mocked.post(f"{API}/orders", body=body)
    mocked.get(f"{API}/orders/client:c-66", json={"id": 66, "client_order_id": "c-66"})
    order = mock_client().create_limit_buy(1, "1", "2", client_order_id="c-66")
    assert order == {"id": 66, "client_order_id": "c-66"}
    assert [c.request.method for c in mocked.calls] == ["POST", "GET"]


@pytest.mark.case(66)
@pytest.mark.parametrize("body", [b"<html>ok</html>", b'{"id": 1'])
def test_an_unreadable_2xx_order_answer_without_an_id_is_an_unknown_outcome(mocked, body):
    mocked.post(f"{API}/orders", body=body)
    with pytest.raises(QuoineAmbiguousOrderError) as info:
        mock_client().create_limit_buy(1, "1", "2")
    assert isinstance(info.value.__cause__, QuoineResponseException)
    assert (info.value.attempts, len(mocked.calls)) == (1, 1)
    assert outcome_unknown(info.value)


@pytest.mark.case(68)
def test_an_ambiguous_order_counts_the_attempt_that_was_sent(mocked):
    refused = requests.exceptions.ConnectionError("Connection refused")
    mocked.post(f"{API}/orders", body=refused)
    mocked.post(f"{API}/orders", body=requests.exceptions.ReadTimeout("read timed out"))
    with pytest.raises(QuoineAmbiguousOrderError) as info:
        mock_client().create_limit_buy(1, "1", "2")
    exc = info.value
    assert isinstance(exc.__cause__, QuoineTimeoutError) and exc.__cause__.attempts == 2
    assert exc.attempts == 2 and exc.sent is True  # never 0: it may have been placed
    assert outcome_unknown(exc) is True
    assert len(mocked.calls) == 2


@pytest.mark.case(68)
def test_an_order_not_found_after_lookups_counts_its_attempts(mocked):
    mocked.post(f"{API}/orders", status=504, body="<html>timeout</html>")
    for _ in range(3):
        mocked.get(f"{API}/orders/client:c-68", status=404, json={"message": "Order not found"})
    with pytest.raises(QuoineAmbiguousOrderError) as info:
        mock_client().create_limit_buy(1, "1", "2", client_order_id="c-68")
    assert info.value.attempts == 1 and outcome_unknown(info.value)


CANCELLED = {"id": 5, "client_order_id": "c-5", "status": "cancelled"}
FILLED = {"id": 5, "client_order_id": "c-5", "status": "filled"}
NOT_FOUND = {"message": "Order not found"}
LOST = requests.exceptions.ReadTimeout("read timed out")


def cancel_by(client: Quoinex, how: str) -> Any:
    if how == "id":
        return client.cancel_order(5)
    return client.cancel_order_by_client_order_id("c-5")


def cancel_urls(how: str) -> tuple[str, str]:
    path = f"{API}/orders/5" if how == "id" else f"{API}/orders/client:c-5"
    return f"{path}/cancel", path


@pytest.mark.case(69)
@pytest.mark.parametrize("how", ["id", "client_order_id"])
def test_a_resent_cancel_answered_not_found_returns_the_cancelled_order(mocked, how):
    cancel, lookup = cancel_urls(how)
    mocked.put(cancel, body=LOST)  # cancelled, then the answer was lost
    mocked.put(cancel, status=404, json=NOT_FOUND)
    mocked.get(lookup, json=CANCELLED)
    assert cancel_by(mock_client(), how) == CANCELLED
    assert [c.request.method for c in mocked.calls] == ["PUT", "PUT", "GET"]


@pytest.mark.case(69)
@pytest.mark.parametrize("how", ["id", "client_order_id"])
def test_a_resent_cancel_of_an_order_that_filled_is_not_found(mocked, how):
    cancel, lookup = cancel_urls(how)
    mocked.put(cancel, body=LOST)
    mocked.put(cancel, status=404, json=NOT_FOUND)
    mocked.get(lookup, json=FILLED)
    with pytest.raises(QuoineOrderNotFound) as info:
        cancel_by(mock_client(), how)
    assert info.value.attempts == 2


@pytest.mark.case(69)
@pytest.mark.parametrize("how", ["id", "client_order_id"])
def test_a_resent_cancel_whose_order_cannot_be_read_is_an_unknown_outcome(mocked, how):
    cancel, lookup = cancel_urls(how)
    mocked.put(cancel, body=LOST)
    mocked.put(cancel, status=404, json=NOT_FOUND)
    mocked.get(lookup, body="<html>oops</html>")
    with pytest.raises(QuoineAmbiguousOrderError) as info:
        cancel_by(mock_client(), how)
    exc = info.value
    assert "could not be read (QuoineResponseException)" in str(exc)
    assert isinstance(exc.__cause__, QuoineOrderNotFound)
    assert exc.attempts == 2 and outcome_unknown(exc)
    assert exc.client_order_id == (None if how == "id" else "c-5")


@pytest.mark.case(69)
def test_a_cancel_answered_not_found_at_once_is_not_looked_up(mocked):
    mocked.put(f"{API}/orders/5/cancel", status=404, json=NOT_FOUND)
    with pytest.raises(QuoineOrderNotFound) as info:
        mock_client().cancel_order(5)
    assert info.value.attempts == 1 and len(mocked.calls) == 1


@pytest.mark.case(69)
def test_a_cancel_whose_answers_are_all_lost_is_settled_by_a_lookup(mocked):
    for _ in range(2):
        mocked.put(f"{API}/orders/5/cancel", body=LOST)
    mocked.get(f"{API}/orders/5", json=CANCELLED)
    assert mock_client(max_retries=1).cancel_order(5) == CANCELLED
    assert [c.request.method for c in mocked.calls] == ["PUT", "PUT", "GET"]


@pytest.mark.case(69)
def test_a_cancel_with_an_unreadable_answer_of_a_live_order_raises_it(mocked):
    mocked.put(f"{API}/orders/5/cancel", body="<html>ok</html>")
    mocked.get(f"{API}/orders/5", json={**CANCELLED, "status": "live"})
    with pytest.raises(QuoineResponseException):
        mock_client().cancel_order(5)


@pytest.mark.case(70)
@pytest.mark.parametrize("how", ["id", "client_order_id"])
def test_an_edit_whose_answer_was_lost_is_looked_up_not_resent(mocked, how):
    path = f"{API}/orders/5" if how == "id" else f"{API}/orders/client:c-5"
    mocked.put(path, body=LOST)
    mocked.get(path, json={"id": 5, "quantity": "0.0200", "price": 510.0})
    client = mock_client()
    if how == "id":
        order = client.update_live_order(5, quantity="0.02", price="510")
    else:
        order = client.update_live_order_by_client_order_id("c-5", quantity="0.02", price="510")
    assert order == {"id": 5, "quantity": "0.0200", "price": Decimal("510.0")}
    assert [c.request.method for c in mocked.calls] == ["PUT", "GET"]


@pytest.mark.case(70)
@pytest.mark.parametrize(
    ("answer", "outcome"),
    [
        ({"json": {"id": 5, "quantity": "0.01", "price": "500"}}, "does not show the new values"),
        ({"body": "<html>oops</html>"}, "could not be read (QuoineResponseException)"),
    ],
)
def test_an_edit_not_confirmed_by_the_lookup_is_an_unknown_outcome(mocked, answer, outcome):
    mocked.put(f"{API}/orders/5", status=502, body="<html>bad gateway</html>")
    mocked.get(f"{API}/orders/5", **answer)
    with pytest.raises(QuoineAmbiguousOrderError, match=re.escape(outcome)) as info:
        mock_client().update_live_order(5, price="510")
    assert isinstance(info.value.__cause__, QuoineServerError)
    assert info.value.attempts == 1 and outcome_unknown(info.value)
    assert [c.request.method for c in mocked.calls] == ["PUT", "GET"]


@pytest.mark.case(70)
def test_an_edit_refused_by_the_exchange_is_not_looked_up(mocked):
    mocked.put(f"{API}/orders/5", status=422, json={"message": "Can not update non-live order"})
    with pytest.raises(QuoineOrderNotFound):
        mock_client().update_live_order(5, price="510")
    assert len(mocked.calls) == 1
