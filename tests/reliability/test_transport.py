"""Transport faults on calls that cannot change state: retried, bounded, typed.

Catalogue cases 1-8, 16, 21, 22 and 40 (docs/reliability.rst), against a
scripted loopback socket server.
"""

from __future__ import annotations

import email.utils
import time
from collections.abc import Iterator
from typing import Any

import jwt
import pytest
import requests
import responses
from _faultserver import FaultServer, Reply, Request, closed_port, http
from _helpers import SECRET, TOKEN_ID, FakeTime
from urllib3.exceptions import MaxRetryError, NewConnectionError

from quoine import RateLimiter
from quoine._auth import NonceGenerator
from quoine.client import Quoinex
from quoine.exceptions import (
    QuoineAuthenticationError,
    QuoineClientRateLimitError,
    QuoineConnectionError,
    QuoineError,
    QuoineNonceError,
    QuoineOrderNotFound,
    QuoineRateLimitError,
    QuoineServerError,
    QuoineServiceUnavailable,
    QuoineTimeoutError,
)

CLOUDFLARE = (
    "<!DOCTYPE html><html><head><title>502 Bad gateway | api.liquid.com | Cloudflare</title>"
    "</head><body>" + "x" * 400 + "</body></html>"
)
OK = http(200, '{"id": 1, "price": 0.5}')


def scripted(*replies: Reply | bytes) -> Any:
    """Answer requests with ``replies`` in turn, then repeat the last one."""
    queue = [r if isinstance(r, Reply) else Reply(r) for r in replies]

    def script(request: Request) -> Reply:
        return queue.pop(0) if len(queue) > 1 else queue[0]

    return script


@pytest.fixture
def serve() -> Iterator[Any]:
    servers: list[FaultServer] = []

    def start(*replies: Reply | bytes) -> FaultServer:
        server = FaultServer(scripted(*replies)).__enter__()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.__exit__()


def client_for(url: str, **options: Any) -> Quoinex:
    options.setdefault("rate_limit", None)
    return Quoinex(TOKEN_ID, SECRET, api_url=url, **options)


def nonce_of(request: Request) -> int:
    claims = jwt.decode(request.headers["x-quoine-auth"], SECRET, algorithms=["HS256"])
    return int(claims["nonce"])


@pytest.mark.case(1)
def test_connection_refused_is_retried_with_jittered_backoff_then_raised(sleeps):
    client = client_for(f"http://127.0.0.1:{closed_port()}")
    with pytest.raises(QuoineConnectionError) as info:
        client.get_product(1)
    assert info.value.sent is False
    assert info.value.attempts == 4
    assert len(sleeps) == 3
    for retry, wait in enumerate(sleeps):
        assert 0 <= wait <= min(8, 0.5 * 2**retry)


@pytest.mark.case(2)
def test_connect_timeout_is_retried_then_raised(mocked, sleeps):
    client = Quoinex(rate_limit=None)
    mocked.get("https://api.quoine.com/products/1", body=requests.exceptions.ConnectTimeout("x"))
    with pytest.raises(QuoineTimeoutError) as info:
        client.get_product(1)
    assert (info.value.sent, info.value.attempts, len(mocked.calls)) == (False, 4, 4)
    assert len(sleeps) == 3


@pytest.mark.case(3)
def test_read_timeout_each_attempt_bounded_and_retried(serve):
    server = serve(Reply(delay=30))
    client = client_for(server.url, timeout=(1, 0.3))
    started = time.monotonic()
    with pytest.raises(QuoineTimeoutError) as info:
        client.get_product(1)
    elapsed = time.monotonic() - started
    assert info.value.sent is True
    assert len(server.requests) == 4
    assert elapsed < 4 * (0.3 + 0.5)


@pytest.mark.case(3)
def test_retries_stop_at_the_deadline(serve, sleeps):
    server = serve(Reply(delay=30))
    client = client_for(server.url, timeout=(1, 0.4), deadline=1.0, max_retries=10)
    started = time.monotonic()
    with pytest.raises(QuoineTimeoutError):
        client.get_product(1)
    # the third attempt gets only what is left of the deadline as read timeout
    assert time.monotonic() - started < 1.0 + 0.5
    assert 2 <= len(server.requests) <= 3


@pytest.mark.case(4)
def test_cloudflare_502_page_is_retried_then_a_typed_error(serve, sleeps):
    server = serve(http(502, CLOUDFLARE, content_type="text/html"))
    with pytest.raises(QuoineServerError) as info:
        client_for(server.url).get_product(1)
    exc = info.value
    assert len(server.requests) == 4
    assert exc.status_code == 502
    assert exc.body == CLOUDFLARE[:200]
    assert exc.response.headers["Content-Type"] == "text/html"
    assert isinstance(exc, QuoineError)


@pytest.mark.case(5)
def test_503_retry_after_is_slept_then_retried(serve, sleeps):
    server = serve(http(503, "busy", headers={"Retry-After": "2"}), OK)
    assert client_for(server.url).get_product(1)["id"] == 1
    assert sleeps == [2.0]
    assert len(server.requests) == 2


@pytest.mark.case(5)
def test_retry_after_beyond_the_deadline_raises_at_once(serve, sleeps):
    server = serve(http(503, "maintenance", headers={"Retry-After": "86400"}))
    with pytest.raises(QuoineServiceUnavailable) as info:
        client_for(server.url).get_product(1)
    assert info.value.retry_after == 86400
    assert info.value.attempts == 1
    assert sleeps == []


@pytest.mark.case(5)
def test_retry_after_as_http_date(serve, sleeps):
    when = email.utils.formatdate(time.time() + 5, usegmt=True)
    server = serve(http(503, "busy", headers={"Retry-After": when}), OK)
    client_for(server.url).get_product(1)
    assert len(sleeps) == 1 and 3 <= sleeps[0] <= 5


@pytest.mark.case(5)
@pytest.mark.parametrize("value", ["soon", "nan", "inf", "5s", "Wed, 99 Foo 2026"])
def test_garbage_retry_after_falls_back_to_backoff(serve, sleeps, value):
    server = serve(http(503, "busy", headers={"Retry-After": value}), OK)
    client_for(server.url).get_product(1)
    assert len(sleeps) == 1 and 0 <= sleeps[0] <= 0.5


@pytest.mark.case(6)
def test_429_with_retry_after_in_message_cools_the_limiter_down(serve, sleeps):
    now = [0.0]
    slept: list[float] = []

    def limiter_sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    body = '{"message":"API rate limit exceeded. Please retry after 300s"}'
    server = serve(http(429, body), OK)
    patient = RateLimiter(max_wait=300, clock=lambda: now[0], sleep=limiter_sleep)
    client = client_for(server.url, rate_limit=patient)
    with pytest.raises(QuoineRateLimitError) as info:
        client.get_product(1)
    assert info.value.retry_after == 300
    assert (info.value.attempts, len(server.requests), sleeps) == (1, 1, [])

    # a limiter told it may wait 300 s waits out the cool-down, sending nothing meanwhile
    client.get_product(1)
    assert slept == [300]
    assert len(server.requests) == 2

    impatient = RateLimiter(max_wait=299, clock=lambda: now[0], sleep=limiter_sleep)
    client = client_for(server.url, rate_limit=impatient)
    impatient.cool_down(300)
    with pytest.raises(QuoineClientRateLimitError):
        client.get_product(1)
    assert len(server.requests) == 2


@pytest.mark.case(7)
def test_server_hanging_up_after_reading_a_get_is_retried(serve):
    server = serve(Reply(close=True), OK)
    assert client_for(server.url).get_product(1)["id"] == 1
    assert len(server.requests) == 2


@pytest.mark.case(8)
def test_truncated_body_is_a_sent_connection_error_and_a_get_is_retried(serve):
    cut = Reply(http(200, "x" * 40, length=100), close=True)
    server = serve(cut, OK)
    assert client_for(server.url).get_product(1)["id"] == 1
    assert len(server.requests) == 2

    server = serve(cut)
    with pytest.raises(QuoineConnectionError) as info:
        client_for(server.url).get_product(1)
    assert (info.value.sent, info.value.attempts) == (True, 4)
    assert "cut off" in str(info.value)


@pytest.mark.case(16)
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_nonce_too_small_is_resigned_and_sent_once_more(serve, method):
    nonce_error = http(401, "Nonce is too small", content_type="text/plain")
    server = serve(nonce_error, http(200, '{"id": 7}'))
    client = client_for(server.url)
    if method == "GET":
        client.get_order(7)
    else:
        client.create_limit_buy(1, "0.01", "500", client_order_id="c-1")
    first, second = server.requests
    assert nonce_of(second) > nonce_of(first)
    assert first.body == second.body and first.target == second.target


@pytest.mark.case(16)
def test_second_nonce_error_and_other_401s_are_raised(serve):
    server = serve(http(401, "Nonce is too small", content_type="text/plain"))
    with pytest.raises(QuoineNonceError) as info:
        client_for(server.url).get_order(7)
    assert (info.value.attempts, len(server.requests)) == (2, 2)

    server = serve(http(401, '{"message": "API Authentication failed"}'))
    with pytest.raises(QuoineAuthenticationError) as auth_info:
        client_for(server.url).get_order(7)
    assert not isinstance(auth_info.value, QuoineNonceError)
    assert (auth_info.value.attempts, len(server.requests)) == (1, 1)


@pytest.mark.case(21)
def test_jwt_claims_sign_the_exact_path_and_query(serve):
    server = serve(http(200, "[]"))
    client_for(server.url).get_orders(product_id=1, status="live")
    client_for(server.url).get_trades("USD", "open", 5, 2)
    for request in server.requests:
        token = request.headers["x-quoine-auth"]
        assert isinstance(token, str)
        assert jwt.get_unverified_header(token)["alg"] == "HS256"
        claims = jwt.decode(token, SECRET, algorithms=["HS256"])
        assert set(claims) == {"path", "nonce", "token_id"}
        assert claims["path"] == request.target
        assert claims["token_id"] == TOKEN_ID
    assert [r.target for r in server.requests] == [
        "/orders?product_id=1&status=live",
        "/trades?funding_currency=USD&status=open&limit=5&page=2",
    ]


@pytest.mark.case(22)
def test_nonce_is_taken_after_the_rate_limiter_wait(serve):
    wall = [1_000.0]

    def limiter_sleep(seconds: float) -> None:
        wall[0] += seconds

    server = serve(http(200, "{}"))
    limiter = RateLimiter(1, 2, clock=lambda: wall[0], sleep=limiter_sleep)
    client = client_for(server.url, rate_limit=limiter)
    client._auth._nonces = NonceGenerator(clock=lambda: wall[0])  # type: ignore[union-attr]
    client.get_fiat_accounts()
    client.get_fiat_accounts()  # waits 2 s (fake) for the slot first
    first, second = (nonce_of(r) for r in server.requests)
    assert second >= 1_002_000 > first


@pytest.mark.case(40)
def test_dripping_server_is_cut_off_by_the_deadline(serve):
    raw = http(200, '{"id": 1, "padding": "' + "x" * 100 + '"}')
    drip = Reply(raw, drip=0.05, drip_from=raw.index(b"\r\n\r\n") + 4)
    server = serve(drip)
    client = client_for(server.url, timeout=(1, 1), deadline=1.0, max_retries=0)
    started = time.monotonic()
    with pytest.raises(QuoineTimeoutError) as info:
        client.get_product(1)
    assert time.monotonic() - started < 1.0 + 1.0
    assert "deadline" in str(info.value)


@pytest.mark.case(40)
def test_cancel_is_retried_after_a_read_timeout_and_may_find_it_gone(serve):
    server = serve(Reply(delay=5), http(404, '{"message": "Order not found"}'))
    client = client_for(server.url, timeout=(1, 0.3))
    with pytest.raises(QuoineOrderNotFound) as info:
        client.cancel_order(5)
    assert info.value.attempts == 2  # the re-sent cancel's answer, once the order was looked up
    assert [r.target for r in server.requests] == ["/orders/5/cancel"] * 2 + ["/orders/5"]


@pytest.mark.case(1)
@pytest.mark.case(9)
def test_refused_connection_surfaces_the_urllib3_cause_as_not_sent():
    cause = MaxRetryError(None, "/orders", NewConnectionError(None, "refused"))  # type: ignore[arg-type]
    client = Quoinex(TOKEN_ID, SECRET, rate_limit=None, max_retries=0)
    with responses.RequestsMock() as mock:
        mock.post("https://api.quoine.com/orders", body=requests.exceptions.ConnectionError(cause))
        with pytest.raises(QuoineConnectionError) as info:
            client.create_limit_buy(1, "0.01", "500")
    assert info.value.sent is False


def faked(client: Quoinex, clock: FakeTime) -> Quoinex:
    """Put ``client``'s deadline, backoff and limiter on ``clock``."""
    client.retry.clock = clock
    client.retry._sleep = clock.sleep
    if client.rate_limiter is not None:
        client.rate_limiter._clock = clock
        client.rate_limiter._sleep = clock.sleep
    return client


@pytest.mark.case(63)
@pytest.mark.parametrize(
    "value",
    ["0", "0.0", "-5", "-0", email.utils.formatdate(time.time() - 60, usegmt=True)],
    ids=["zero", "zero-point-zero", "negative", "minus-zero", "past-date"],
)
def test_retry_after_now_retries_at_once_without_a_cool_down(serve, value):
    clock = FakeTime()
    server = serve(http(429, '{"message": "slow down"}', headers={"Retry-After": value}), OK)
    client = faked(client_for(server.url, rate_limit=(300, 300), deadline=3), clock)
    assert client.get_product(1)["id"] == 1
    assert clock.slept == [0.0]  # retried after 0 s
    assert client.get_product(1)["id"] == 1  # and the next call is not held back
    assert clock.slept == [0.0] and len(server.requests) == 3


@pytest.mark.case(64)
def test_429_html_without_retry_after_raises_the_servers_answer(serve, caplog):
    clock = FakeTime()
    page = "<html><body><h1>429 Too Many Requests</h1></body></html>"
    server = serve(http(429, page, content_type="text/html"))
    client = faked(client_for(server.url, rate_limit=(300, 300), deadline=3), clock)
    with pytest.raises(QuoineRateLimitError) as info:
        client.get_product(1)
    exc = info.value
    assert type(exc) is QuoineRateLimitError  # the server's 429, not the limiter's refusal
    assert exc.response is not None and exc.status_code == 429
    assert exc.body == page and exc.retry_after is None
    assert "nothing was sent" not in str(exc)
    assert (exc.attempts, len(server.requests)) == (1, 1)
    assert clock.slept == []  # no backoff: the cool-down outlasts the deadline

    # The limiter then holds back for a window, but a call never waits past its deadline.
    with pytest.raises(QuoineClientRateLimitError) as refused:
        client.get_product(1)
    assert refused.value.retry_after == pytest.approx(300, abs=1)
    assert "more than the 3 s this call may wait; nothing was sent" in str(refused.value)
    assert len(server.requests) == 1 and clock.slept == []


@pytest.mark.case(62)
def test_a_full_limiter_never_holds_a_call_past_its_deadline(serve, caplog):
    clock = FakeTime()
    server = serve(OK)
    client = faked(client_for(server.url, rate_limit=(2, 300), deadline=3), clock)
    client.get_product(1)
    client.get_product(1)
    with pytest.raises(QuoineClientRateLimitError) as info:
        client.get_product(1)  # call 3 of 2 per 300 s
    assert info.value.retry_after == pytest.approx(300)
    assert clock.slept == [] and len(server.requests) == 2


@pytest.mark.case(62)
def test_a_limiter_told_to_queue_waits_and_warns(serve, caplog):
    clock = FakeTime()
    server = serve(OK)
    limiter = RateLimiter(1, 10, max_wait=60, clock=clock, sleep=clock.sleep)
    client = faked(client_for(server.url, rate_limit=limiter, deadline=3), clock)
    client.get_product(1)
    client.get_product(1)  # waits 10 s: asked for, and the deadline starts after
    assert clock.slept == [10] and len(server.requests) == 2
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert warnings == ["rate limit: waiting 10.0 s for a slot"]


@pytest.mark.case(62)
def test_a_retry_waiting_longer_than_a_second_is_a_warning(serve, caplog):
    server = serve(http(503, "busy", headers={"Retry-After": "2"}), OK)
    client_for(server.url).get_product(1)
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert warnings == ["GET /products/1: QuoineServiceUnavailableError; attempt 2 of 4 in 2.00 s"]


@pytest.mark.case(62)
def test_the_retrys_slot_is_bounded_by_the_deadline_and_keeps_the_servers_error(serve):
    clock = FakeTime()
    server = serve(Reply(close=True), OK)
    limiter = RateLimiter(1, 10, max_wait=60, clock=clock, sleep=clock.sleep)
    client = faked(client_for(server.url, rate_limit=limiter, deadline=3), clock)
    with pytest.raises(QuoineConnectionError) as info:
        client.get_product(1)  # the retry would need the slot 10 s later
    assert info.value.sent is True and info.value.attempts == 1
    assert isinstance(info.value.__cause__, requests.exceptions.ConnectionError)
    assert len(server.requests) == 1


@pytest.mark.case(73)
def test_early_hints_before_the_answer_never_shift_answers(serve):
    hints = b"HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n"
    bodies = iter(range(1, 100))

    def answer(request: Request) -> Reply:
        return Reply(hints + http(200, f'{{"id": {next(bodies)}}}'))

    server = serve()
    server.script = answer
    client = client_for(server.url, max_retries=0)
    for _ in range(3):
        with pytest.raises(QuoineConnectionError) as info:
            client.get_product(1)
        assert info.value.sent is True and "informational 103" in str(info.value)
    # Each failed exchange closed its connection: no answer was left for the next call.
    assert len(server.requests) == 3
    assert len(server._conns) == 3


@pytest.mark.case(73)
@pytest.mark.parametrize("status", [100, 102, 103, 199])
def test_an_informational_answer_is_retried_for_a_get_on_a_fresh_connection(serve, status):
    hints = f"HTTP/1.1 {status} Info\r\n\r\n".encode()
    first = [True]

    def answer(request: Request) -> Reply:
        if first[0]:
            first[0] = False
            return Reply(hints + http(200, '{"id": 1}'))
        return Reply(http(200, '{"id": 2}'))

    server = serve()
    server.script = answer
    client = client_for(server.url)
    if status == 100:  # http.client skips a 100 Continue itself: the 200 is the answer
        assert client.get_product(1)["id"] == 1
        assert client.get_product(1)["id"] == 2
    else:
        assert client.get_product(1)["id"] == 2
        assert client.get_product(1)["id"] == 2
    assert len(server.requests) == (2 if status == 100 else 3)


@pytest.fixture
def prefix_proxy() -> Iterator[tuple[str, Any]]:
    """A sandbox exchange behind a loopback proxy mapping ``/liquid/<path>`` to ``/<path>``."""
    from quoine.sandbox import Sandbox

    with Sandbox(rate_limit=None) as exchange:

        def forward(request: Request) -> Reply:
            assert request.target.startswith("/liquid/")
            headers = {k: v for k, v in request.headers.items() if k not in ("host",)}
            upstream = requests.request(
                request.method,
                exchange.url + request.target[len("/liquid") :],
                headers=headers,
                data=request.body or None,
                timeout=5,
            )
            return Reply(http(upstream.status_code, upstream.content))

        with FaultServer(forward) as proxy:
            yield f"{proxy.url}/liquid", exchange


@pytest.mark.case(72)
def test_signed_calls_work_behind_a_proxy_that_strips_a_path_prefix(prefix_proxy):
    api_url, exchange = prefix_proxy
    client = Quoinex(exchange.token_id, exchange.secret, api_url=api_url, rate_limit=None)
    assert client.get_fiat_accounts() != []
    assert client.get_orders(product_id=1, limit=5)["models"] == []


@pytest.mark.case(72)
@pytest.mark.parametrize(
    ("api_url", "target", "signed"),
    [
        ("/liquid", "/liquid/orders?product_id=1", "/orders?product_id=1"),
        ("/liquid/", "/liquid/orders?product_id=1", "/orders?product_id=1"),
        ("/a/b", "/a/b/orders?product_id=1", "/orders?product_id=1"),
        ("", "/orders?product_id=1", "/orders?product_id=1"),
        ("/orders", "/orders/orders?product_id=1", "/orders?product_id=1"),
    ],
)
def test_the_jwt_path_is_relative_to_api_url_with_the_query(serve, api_url, target, signed):
    server = serve(http(200, "[]"))
    client_for(server.url + api_url).get_orders(product_id=1)
    [request] = server.requests
    assert request.target == target
    claims = jwt.decode(request.headers["x-quoine-auth"], SECRET, algorithms=["HS256"])
    assert claims["path"] == signed


@pytest.mark.case(65)
def test_an_order_queued_behind_a_slow_signed_call_is_not_sent_short_of_time(serve):
    import threading

    arrived = threading.Event()

    def answer(request: Request) -> Reply:
        if request.method == "GET":
            arrived.set()
            return Reply(http(200, "[]"), delay=0.6)
        return Reply(http(200, '{"id": 9}'))

    server = serve()
    server.script = answer
    client = client_for(server.url, timeout=(1, 1), deadline=1)
    slow = threading.Thread(target=client.get_fiat_accounts)
    slow.start()
    assert arrived.wait(5)
    with pytest.raises(QuoineTimeoutError) as info:
        client.create_limit_buy(1, "0.01", "500", client_order_id="c-65")  # waits for the turn
    slow.join()
    assert info.value.sent is False and "nothing was sent" in str(info.value)
    assert [r.method for r in server.requests] == ["GET"]
    # with its turn free, the same order is sent at once
    assert client.create_limit_buy(1, "0.01", "500", client_order_id="c-65") == {"id": 9}


@pytest.mark.case(65)
def test_an_order_that_waited_for_the_limiter_keeps_its_full_timeout_or_is_not_sent(serve):
    clock = FakeTime()
    server = serve(http(200, '{"id": 9}'))
    limiter = RateLimiter(1, 2, clock=clock, sleep=clock.sleep)
    client = faked(client_for(server.url, rate_limit=limiter, timeout=(1, 3), deadline=4), clock)
    client.create_limit_buy(1, "0.01", "500")
    with pytest.raises(QuoineTimeoutError) as info:
        client.create_limit_buy(1, "0.01", "500")  # waits 2 s: 2 s left < 3 s read timeout
    assert info.value.sent is False and len(server.requests) == 1
    assert clock.slept == [2]
    client.get_product(1)  # a GET may go with what is left (it can be retried)
    assert len(server.requests) == 2


@pytest.mark.case(73)
def test_a_second_unasked_answer_is_never_read_as_the_next_calls(serve):
    answers = iter(range(1, 100))

    def twice(request: Request) -> Reply:
        n = next(answers)
        return Reply(http(200, f'{{"id": {n}}}') + http(200, '{"id": "stale"}'))

    server = serve()
    server.script = twice
    client = client_for(server.url, max_retries=0)
    seen = []
    for _ in range(5):
        try:
            seen.append(client.get_product(1)["id"])
        except QuoineError:
            seen.append("error")
    assert "stale" not in seen


@pytest.mark.case(65)
def test_an_order_that_waited_as_its_limiter_allows_still_gets_its_full_timeout(serve):
    clock = FakeTime()
    server = serve(http(200, '{"id": 9}'))
    limiter = RateLimiter(1, 20, max_wait=60, clock=clock, sleep=clock.sleep)
    client = faked(client_for(server.url, rate_limit=limiter, timeout=(1, 10), deadline=4), clock)
    client.create_limit_buy(1, "0.01", "500")
    client.create_limit_buy(1, "0.01", "500")  # waited 20 s, asked for: the deadline starts after
    assert clock.slept == [20] and len(server.requests) == 2
