"""Construction, headers, the request path, decoding and secrets."""

from __future__ import annotations

import logging
import pickle
from decimal import Decimal

import pytest
import requests
from _helpers import API, SECRET, TOKEN_ID, assert_public, assert_signed, sent

from quoine import __version__
from quoine.client import Liquid, Qryptos, Quoine, QuoineCredentialsError, Quoinex
from quoine.exceptions import (
    QuoineAmbiguousOrderError,
    QuoineConnectionError,
    QuoineRequestException,
    QuoineResponseException,
    QuoineTimeoutError,
    QuoineValidationError,
)


def test_exchange_presets_differ_only_in_api_url_and_documented_rate_limit():
    assert Quoine.API_URL == Quoinex.API_URL == "https://api.quoine.com"
    assert Qryptos.API_URL == "https://api.qryptos.com"
    assert Liquid.API_URL == "https://api.liquid.com"
    assert issubclass(Qryptos, Quoinex) and issubclass(Liquid, Quoinex)
    assert issubclass(Quoinex, Quoine)
    for cls in (Quoinex, Qryptos):
        assert {k for k in vars(cls) if not k.startswith("_")} == {"API_URL"}
    assert {k for k in vars(Liquid) if not k.startswith("_")} == {"API_URL", "DEFAULT_RATE_LIMIT"}
    # Quoine-era docs: 300 requests per 5 minutes; Liquid's: 600.
    assert Quoinex.DEFAULT_RATE_LIMIT == Qryptos.DEFAULT_RATE_LIMIT == (300, 300.0)
    assert Liquid.DEFAULT_RATE_LIMIT == (600, 300.0)
    for cls, calls in ((Quoinex, 300), (Qryptos, 300), (Liquid, 600)):
        limiter = cls().rate_limiter
        assert limiter is not None
        assert (limiter.calls, limiter.period, limiter.max_wait) == (calls, 300.0, None)


@pytest.mark.parametrize(
    ("cls", "host"),
    [(Quoinex, "api.quoine.com"), (Qryptos, "api.qryptos.com"), (Liquid, "api.liquid.com")],
)
def test_each_client_calls_its_host(mocked, cls, host):
    mocked.get(f"https://{host}/products", json=[])
    cls().get_products()
    assert sent(mocked).url == f"https://{host}/products"


def test_api_url_keyword_and_instance_and_subclass_overrides(mocked):
    mocked.get("http://127.0.0.1:9/x/products", json=[])
    mocked.get("http://other/products", json=[])
    mocked.get("http://sub/products", json=[])

    Quoinex(api_url="http://127.0.0.1:9/x/").get_products()
    client = Quoinex()
    client.API_URL = "http://other"  # as 0.1.x users did
    client.get_products()

    class Custom(Quoinex):
        API_URL = "http://sub"

    Custom().get_products()
    assert [c.request.url for c in mocked.calls] == [
        "http://127.0.0.1:9/x/products",
        "http://other/products",
        "http://sub/products",
    ]


def test_positional_constructor_and_headers(mocked):
    mocked.get(f"{API}/products", json=[])
    client = Quoinex(TOKEN_ID, SECRET, "vendor-7", "ja")
    client.get_products()

    headers = sent(mocked).headers
    assert headers["X-Quoine-API-Version"] == "2"
    assert headers["Content-Type"] == "application/json"
    assert headers["Accept"] == "application/json"
    assert headers["User-Agent"] == f"python-quoine/{__version__}"
    assert headers["Accept-Language"] == "ja"
    assert headers["X-Quoine-Vendor-ID"] == "vendor-7"
    assert "HTTP_ACCEPT_LANGUAGE" not in headers
    assert "X-Quoine-Auth" not in headers


def test_default_language_and_no_vendor_header(client, mocked):
    mocked.get(f"{API}/products", json=[])
    client.get_products()
    headers = sent(mocked).headers
    assert headers["Accept-Language"] == "en"
    assert "X-Quoine-Vendor-ID" not in headers


def test_signed_request_carries_valid_jwt_over_exact_path(client, mocked):
    mocked.get(f"{API}/orders", json={"models": []})
    client.get_orders(product_id=1, status="live", limit=5)
    request = sent(mocked)
    assert request.claims["path"] == "/orders?product_id=1&status=live&limit=5"
    assert_signed(request)


def test_post_body_is_compact_utf8_json(client, mocked):
    mocked.post(f"{API}/orders", json={"id": 1})
    client.create_limit_buy(1, Decimal("0.01"), 500)
    request = sent(mocked)
    assert request.raw_body == (
        '{"order":{"order_type":"limit","product_id":1,"side":"buy",'
        '"quantity":"0.01","price":"500"}}'
    )
    assert request.claims["path"] == "/orders"


def test_credentials_from_environment(monkeypatch, mocked):
    monkeypatch.setenv("QUOINE_API_TOKEN_ID", TOKEN_ID)
    monkeypatch.setenv("QUOINE_API_SECRET", SECRET)
    mocked.get(f"{API}/accounts/balance", json=[])
    Quoinex().get_account_balances()
    assert_signed(sent(mocked))


def test_signed_call_without_credentials_fails_before_sending(public_client, mocked):
    with pytest.raises(QuoineCredentialsError, match="QUOINE_API_TOKEN_ID"):
        public_client.get_account_balances()
    assert len(mocked.calls) == 0


def test_public_call_without_credentials_is_unsigned(public_client, mocked):
    mocked.get(f"{API}/products/1", json={})
    public_client.get_product(1)
    assert_public(sent(mocked))


@pytest.mark.parametrize("secret", [" padded", "line\n", "", 123])
def test_bad_secret_rejected_without_echoing_it(secret):
    with pytest.raises(QuoineValidationError) as info:
        Quoinex(TOKEN_ID, secret)
    if isinstance(secret, str) and secret.strip():
        assert secret.strip() not in str(info.value)


@pytest.mark.parametrize("timeout", [None, 0, -1, (1, 0), (1, 2, 3), "5", float("inf"), True])
def test_bad_timeouts_rejected(timeout):
    with pytest.raises(QuoineValidationError, match="timeout"):
        Quoinex(timeout=timeout)


def test_timeout_is_passed_on_every_request():
    seen = []

    class Recorder(requests.adapters.HTTPAdapter):
        def send(self, request, **kwargs):
            seen.append(kwargs["timeout"])
            response = requests.Response()
            response.status_code = 200
            response._content = b"[]"
            response.request = request
            return response

    session = requests.Session()
    session.mount("https://", Recorder())
    Quoinex(session=session).get_products()
    Quoinex(session=session, timeout=2).get_products()
    Quoinex(session=session, timeout=(1, 4)).get_products()
    assert seen == [(3.05, 10.0), 2.0, (1.0, 4.0)]


def test_caller_session_is_used_and_not_closed(mocked):
    session = requests.Session()
    session.headers["X-Custom"] = "kept"
    mocked.get(f"{API}/products", json=[])
    with Quoinex(session=session) as client:
        assert client.session is session
        client.get_products()
    assert sent(mocked).headers["X-Custom"] == "kept"
    assert session.adapters  # still usable: close() was not called on it


def test_own_session_closed_on_exit(monkeypatch):
    closed = []
    with Quoinex() as client:
        monkeypatch.setattr(client.session, "close", lambda: closed.append(True))
    assert closed == [True]


def test_repr_never_shows_secret():
    client = Quoinex(TOKEN_ID, SECRET)
    assert SECRET not in repr(client)
    assert SECRET not in str(client)
    assert "***" in repr(client)
    assert "public" in repr(Quoinex())


def test_redirect_not_followed_and_auth_not_leaked(client, mocked):
    mocked.get(f"{API}/accounts/balance", status=302, headers={"Location": "https://evil/x"})
    with pytest.raises(QuoineResponseException, match="redirect") as info:
        client.get_account_balances()
    assert len(mocked.calls) == 1
    assert info.value.status_code == 302
    assert info.value.request.headers["X-Quoine-Auth"] == "***"


def test_2xx_non_json_raises_response_exception_caught_as_request_exception(client, mocked):
    mocked.get(f"{API}/products", body="<html>maintenance</html>", content_type="text/html")
    with pytest.raises(QuoineRequestException) as info:
        client.get_products()
    assert isinstance(info.value, QuoineResponseException)
    assert str(info.value).startswith("Invalid Response: status 200")
    assert info.value.body == "<html>maintenance</html>"


@pytest.mark.parametrize(
    "body", [b"", b'{"a": 1', b'{"price": NaN}', b"[Infinity]", b"\xff\xfe\x00"]
)
def test_bad_2xx_bodies_raise_response_exception(client, mocked, body):
    mocked.get(f"{API}/products", body=body)
    with pytest.raises(QuoineResponseException):
        client.get_products()


def test_204_returns_none(client, mocked):
    mocked.put(f"{API}/orders/1/cancel", status=204)
    assert client.cancel_order(1) is None


def test_floats_decode_as_decimal(client, mocked):
    mocked.get(f"{API}/fiat_accounts", body=b'[{"balance": 0.1, "reserved": 1, "s": "0.3"}]')
    [account] = client.get_fiat_accounts()
    assert account == {"balance": Decimal("0.1"), "reserved": 1, "s": "0.3"}
    assert type(account["balance"]) is Decimal


def test_connection_refused_is_wrapped_and_not_sent(client):
    client.API_URL = "http://127.0.0.1:9"  # discard port: nothing listens
    with pytest.raises(QuoineConnectionError) as info:
        client.get_account_balances()
    error = info.value
    assert isinstance(error, requests.exceptions.ConnectionError)
    assert isinstance(error.__cause__, requests.exceptions.ConnectionError)
    assert error.sent is False
    assert error.__cause__.request.headers["X-Quoine-Auth"] == "***"


def test_read_timeout_is_wrapped_and_may_have_been_sent(client, mocked):
    mocked.get(f"{API}/products", body=requests.exceptions.ReadTimeout("read timed out"))
    with pytest.raises(QuoineTimeoutError) as info:
        client.get_products()
    assert isinstance(info.value, requests.exceptions.Timeout)
    assert info.value.sent is True


def test_connect_timeout_was_not_sent(client, mocked):
    mocked.get(f"{API}/products", body=requests.exceptions.ConnectTimeout("connect timed out"))
    with pytest.raises(QuoineTimeoutError) as info:
        client.get_products()
    assert info.value.sent is False


def test_debug_log_has_no_secret_or_signature(client, mocked, caplog):
    mocked.get(f"{API}/orders/5", json={"id": 5})
    mocked.get(f"{API}/orders/6", status=404, json={"message": "Order not found"})
    with caplog.at_level(logging.DEBUG, logger="quoine"):
        client.get_order(5)
        with pytest.raises(Exception):  # noqa: B017 - only the log matters here
            client.get_order(6)
    token = mocked.calls[0].request.headers["X-Quoine-Auth"]
    assert "GET /orders/5 -> 200" in caplog.text
    assert "GET /orders/6 -> 404" in caplog.text
    assert SECRET not in caplog.text
    assert token not in caplog.text


def test_library_adds_no_log_handlers():
    handlers = logging.getLogger("quoine").handlers
    assert all(isinstance(h, logging.NullHandler) for h in handlers)


def test_api_exception_hides_auth_and_pickles(client, mocked):
    mocked.get(f"{API}/orders/6", status=404, json={"message": "Order not found"})
    with pytest.raises(Exception) as info:
        client.get_order(6)
    error = info.value
    real_token = mocked.calls[0].request.headers["X-Quoine-Auth"]
    assert real_token != "***"
    assert error.request.headers["X-Quoine-Auth"] == "***"
    assert error.response.request.headers["X-Quoine-Auth"] == "***"
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is type(error)
    assert copy.status_code == 404 and copy.message == "Order not found"
    blob = pickle.dumps(error)
    assert real_token.encode() not in blob and SECRET.encode() not in blob


def test_tls_failure_is_a_connection_error_that_was_not_sent(client, mocked):
    mocked.get(f"{API}/products", body=requests.exceptions.SSLError("certificate verify failed"))
    with pytest.raises(QuoineConnectionError, match="certificate verify failed") as info:
        client.get_products()
    assert info.value.sent is False
    assert isinstance(info.value.__cause__, requests.exceptions.SSLError)


def test_dns_failure_was_not_sent(client, mocked):
    failure = requests.exceptions.ConnectionError(
        "HTTPSConnectionPool(host='api.quoine.com', port=443): Max retries exceeded "
        "(Caused by NameResolutionError(\"Failed to resolve 'api.quoine.com'\"))"
    )
    mocked.get(f"{API}/products", body=failure)
    with pytest.raises(QuoineConnectionError) as info:
        client.get_products()
    assert info.value.sent is False


def test_reset_after_sending_may_have_been_sent(client, mocked):
    failure = requests.exceptions.ConnectionError(
        "('Connection aborted.', RemoteDisconnected('Remote end closed connection'))"
    )
    mocked.post(f"{API}/orders", body=failure)
    with pytest.raises(QuoineAmbiguousOrderError) as info:
        client.create_limit_buy(1, "0.01", "500")
    assert isinstance(info.value.__cause__, QuoineConnectionError)
    assert info.value.__cause__.sent is True
    assert info.value.client_order_id is None
    assert len(mocked.calls) == 1  # not sent again, and nothing to look up


@pytest.mark.case(67)
@pytest.mark.parametrize(
    ("options", "name"),
    [
        ({"vendor_id": "€1"}, "vendor_id"),
        ({"vendor_id": "1\r\nX-Injected: 1"}, "vendor_id"),
        ({"vendor_id": "1\n"}, "vendor_id"),
        ({"vendor_id": " 1"}, "vendor_id"),
        ({"vendor_id": "é"}, "vendor_id"),  # latin-1, but not what a header should carry
        ({"vendor_id": "a\x00b"}, "vendor_id"),
        ({"vendor_id": "a\x7fb"}, "vendor_id"),
        ({"vendor_id": ""}, "vendor_id"),
        ({"vendor_id": b"1"}, "vendor_id"),
        ({"vendor_id": 1.5}, "vendor_id"),
        ({"language": "日本語"}, "language"),
        ({"language": "en\r\nX-Injected: 1"}, "language"),
        ({"language": "en\t"}, "language"),
        ({"language": ["en"]}, "language"),
    ],
)
def test_header_values_the_wire_cannot_carry_are_refused_by_the_constructor(options, name):
    with pytest.raises(QuoineValidationError, match=f"^{name} must be printable ASCII"):
        Quoinex(TOKEN_ID, SECRET, **options)


@pytest.mark.case(67)
def test_header_values_that_fit_are_sent_as_given(mocked):
    mocked.get(f"{API}/products", json=[])
    Quoinex(TOKEN_ID, SECRET, vendor_id=7, language="zh-TW, en;q=0.5").get_products()
    headers = sent(mocked).headers
    assert headers["X-Quoine-Vendor-ID"] == "7"
    assert headers["Accept-Language"] == "zh-TW, en;q=0.5"


@pytest.mark.case(67)
@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("http://host\r\nX-Injected: 1", "must not contain spaces or control characters"),
        ("http://ho st", "must not contain spaces or control characters"),
        ("http://host/\x00", "must not contain spaces or control characters"),
        ("http://host:port", "has an invalid port"),
        ("http://host:99999", "has an invalid port"),
        ("http://", "has no host"),
        ("http:///path", "has no host"),
        ("http://host/?a=1", "must not have a query or a fragment"),
        ("http://host/#x", "must not have a query or a fragment"),
        ("ftp://host", "must start with http:// or https://"),
        (b"http://host", "must start with http:// or https://"),
    ],
)
def test_bad_api_urls_are_refused_by_the_constructor(url, problem):
    with pytest.raises(QuoineValidationError, match=f"^api_url {problem}"):
        Quoinex(api_url=url)


@pytest.mark.case(67)
@pytest.mark.parametrize("token", ["12\r\n34", "12 34", "\t1234", "12\x0034"])
def test_token_ids_with_spaces_or_control_characters_are_refused(token):
    with pytest.raises(QuoineValidationError, match=r"^api_token_id"):
        Quoinex(token, SECRET)


@pytest.mark.case(74)
def test_clients_of_one_token_share_nonces_and_limiter_unless_told_otherwise():
    from quoine import NonceGenerator
    from quoine.ratelimit import RateLimiter

    first, second = Liquid(TOKEN_ID, SECRET), Liquid(TOKEN_ID, SECRET)
    assert first.nonces is second.nonces
    assert first.rate_limiter is second.rate_limiter
    assert first.rate_limiter is not None and first.rate_limiter.calls == 600
    # another token, or an explicit choice: not shared
    assert Liquid("5678", SECRET).nonces is not first.nonces
    assert Quoinex(TOKEN_ID, SECRET).rate_limiter is not first.rate_limiter
    own = NonceGenerator()
    assert Liquid(TOKEN_ID, SECRET, nonces=own).nonces is own
    assert Liquid(TOKEN_ID, SECRET, rate_limit=(600, 300)).rate_limiter is not first.rate_limiter
    limiter = RateLimiter(5, 1)
    assert Liquid(TOKEN_ID, SECRET, rate_limit=limiter).rate_limiter is limiter
    assert Liquid(TOKEN_ID, SECRET, rate_limit=None).rate_limiter is None
    # public clients have no token to share by
    assert Liquid().rate_limiter is not Liquid().rate_limiter
