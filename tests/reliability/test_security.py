"""Catalogue cases 33-35: the secret never shows, TLS is verified, credentials come from the env."""

from __future__ import annotations

import contextlib
import inspect
import logging
import pickle
import re
import socket
import ssl
import threading
import traceback
from collections.abc import Iterator
from typing import Any, Callable

import jwt
import pytest
import requests
import trustme
from _faultserver import FaultServer, Reply, Request, closed_port, http
from _helpers import SECRET, TOKEN_ID

from quoine.client import QuoineCredentialsError, Quoinex
from quoine.exceptions import (
    QuoineAmbiguousOrderError,
    QuoineAPIException,
    QuoineClientRateLimitError,
    QuoineConnectionError,
    QuoineError,
    QuoineResponseException,
    QuoineSSLError,
    QuoineTimeoutError,
    QuoineValidationError,
)
from quoine.ratelimit import RateLimiter

# --- 33: the canary never leaks -------------------------------------------------------------

_WALKED_MODULES = ("quoine", "requests", "urllib3", "http", "email", "builtins", "collections")


def strings_of(obj: Any, depth: int = 6, seen: set[int] | None = None) -> list[str]:
    """repr() of ``obj`` and of everything reachable from it, recursively (bounded).

    Walks exception attributes, args, causes and contexts, containers, and the
    attributes of requests / urllib3 / http.client objects: the attached response,
    its request and that request's headers included.
    """
    seen = set() if seen is None else seen
    if depth < 0 or id(obj) in seen:
        return []
    seen.add(id(obj))
    try:
        found = [repr(obj)]
    except Exception as exc:  # pragma: no cover - a failing repr is a bug of its own
        pytest.fail(f"repr() of {type(obj).__name__} raised {exc!r}")
    if isinstance(obj, (str, bytes, int, float, type(None))):
        if isinstance(obj, bytes):
            found.append(obj.decode("latin-1"))
        return found
    children: list[Any] = []
    if isinstance(obj, BaseException):
        found.append(str(obj))
        children += [obj.args, obj.__cause__, obj.__context__]
    if isinstance(obj, dict):
        children += list(obj.keys()) + list(obj.values())
    elif isinstance(obj, (list, tuple, set, frozenset)):
        children += list(obj)
    elif hasattr(obj, "items") and callable(obj.items):  # CaseInsensitiveDict, HTTPHeaderDict
        with contextlib.suppress(Exception):
            children += [item for pair in obj.items() for item in pair]
    module = type(obj).__module__.split(".")[0]
    if module in _WALKED_MODULES or isinstance(obj, BaseException):
        with contextlib.suppress(TypeError):
            children += list(vars(obj).values())
    for child in children:
        found += strings_of(child, depth - 1, seen)
    return found


def assert_nothing_leaks(secrets: list[str], *texts: str) -> None:
    for text in texts:
        for secret in secrets:
            assert secret not in text


def exception_texts(exc: BaseException) -> list[str]:
    return [
        str(exc),
        repr(exc),
        repr(exc.args),
        "\n".join(strings_of(vars(exc))),
        "\n".join(strings_of(exc)),
        "".join(traceback.format_exception(exc)),
        pickle.dumps(exc).decode("latin-1"),
        repr(pickle.loads(pickle.dumps(exc))),
    ]


def tokens_sent(*servers: FaultServer) -> list[str]:
    return [
        r.headers["x-quoine-auth"]
        for s in servers
        for r in s.requests
        if "x-quoine-auth" in r.headers
    ]


def secrets_for(tokens: list[str]) -> list[str]:
    # Each whole token, and its signature alone (the part derived from the secret).
    return [SECRET, *tokens, *(t.rsplit(".", 1)[1] for t in tokens)]


def order_lookup_404(request: Request) -> Reply:
    if request.method == "POST":
        return Reply(http(502, "<html>bad gateway</html>", content_type="text/html"))
    return Reply(http(404, '{"message": "Order not found"}'))


FAILURES: dict[str, tuple[Callable[[Request], Reply], str, type[QuoineError]]] = {
    "api-401": (
        lambda r: Reply(http(401, "API Authentication failed", content_type="text/plain")),
        "balances",
        QuoineAPIException,
    ),
    "api-422": (
        lambda r: Reply(http(422, '{"errors": {"user": ["not_enough_fund"]}}')),
        "order",
        QuoineAPIException,
    ),
    "api-500-html": (
        lambda r: Reply(http(500, "<html>oops</html>", content_type="text/html")),
        "balances",
        QuoineAPIException,
    ),
    "read-timeout": (lambda r: Reply(http(200, "{}"), delay=3), "balances", QuoineTimeoutError),
    "reset": (lambda r: Reply(b"", close=True), "balances", QuoineConnectionError),
    "cut-body": (
        lambda r: Reply(http(200, "[1,2,3]", length=50), close=True),
        "balances",
        QuoineConnectionError,
    ),
    "html-200": (
        lambda r: Reply(http(200, "<html>portal</html>", content_type="text/html")),
        "balances",
        QuoineResponseException,
    ),
    "redirect": (
        lambda r: Reply(http(302, "", headers={"Location": "http://127.0.0.1:1/x"})),
        "balances",
        QuoineResponseException,
    ),
    "ambiguous-order": (order_lookup_404, "order", QuoineAmbiguousOrderError),
}


def call(client: Quoinex, what: str) -> Any:
    if what == "order":
        return client.create_limit_buy(1, "0.01", "500", client_order_id="canary-order-1")
    return client.get_account_balances()


@pytest.fixture
def debug_logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.DEBUG)  # the root logger: requests, urllib3 and quoine alike
    return caplog


def check_logs(caplog: pytest.LogCaptureFixture, secrets: list[str]) -> None:
    assert_nothing_leaks(secrets, caplog.text)
    for record in caplog.records:
        assert_nothing_leaks(secrets, repr(record.args), record.getMessage())
    # Wherever the auth header is named in a log line, its value is masked.
    named = re.findall(r"X-Quoine-Auth['\"]?\s*[:=]\s*['\"]?([^\s'\",)}]*)", caplog.text, re.I)
    assert all(value == "***" for value in named), named


@pytest.mark.case(33)
def test_canary_absent_on_success_path(debug_logs):
    with FaultServer(lambda r: Reply(http(200, '[{"id": 1}]'))) as server:
        client = Quoinex(TOKEN_ID, SECRET, api_url=server.url, rate_limit=None, max_retries=0)
        assert client.get_account_balances() == [{"id": 1}]
        assert client.get_account_balances() == [{"id": 1}]
    secrets = secrets_for(tokens_sent(server))
    assert len(secrets) == 5
    assert_nothing_leaks(secrets, repr(client), str(client), "\n".join(strings_of(vars(client), 3)))
    assert "***" in repr(client)
    assert "X-Quoine-Auth: ***" in debug_logs.text
    check_logs(debug_logs, secrets)


@pytest.mark.case(33)
@pytest.mark.parametrize("name", sorted(FAILURES))
def test_canary_absent_from_every_failure(name, debug_logs):
    script, what, expected = FAILURES[name]
    with FaultServer(script) as server:
        client = Quoinex(
            TOKEN_ID, SECRET, api_url=server.url, rate_limit=None, max_retries=1, timeout=(1, 1)
        )
        with pytest.raises(expected) as info:
            call(client, what)
    tokens = tokens_sent(server)
    assert tokens, "the request was signed and reached the server"
    secrets = secrets_for(tokens)
    assert_nothing_leaks(secrets, repr(client), str(client), *exception_texts(info.value))
    check_logs(debug_logs, secrets)


@pytest.mark.case(33)
def test_canary_absent_when_connection_refused(debug_logs):
    client = Quoinex(
        TOKEN_ID,
        SECRET,
        api_url=f"http://127.0.0.1:{closed_port()}",
        rate_limit=None,
        max_retries=2,
    )
    with pytest.raises(QuoineConnectionError) as info:
        client.get_account_balances()
    assert info.value.sent is False
    assert_nothing_leaks([SECRET], repr(client), *exception_texts(info.value))
    # The signature was computed for each attempt; the one left on the request is masked.
    assert info.value.__cause__.request.headers["X-Quoine-Auth"] == "***"
    check_logs(debug_logs, [SECRET])


@pytest.mark.case(33)
def test_canary_absent_from_local_rate_limit_error(debug_logs):
    limiter = RateLimiter(1, 300, max_wait=0)
    with FaultServer(lambda r: Reply(http(200, "[]"))) as server:
        client = Quoinex(TOKEN_ID, SECRET, api_url=server.url, rate_limit=limiter, max_retries=0)
        client.get_account_balances()
        with pytest.raises(QuoineClientRateLimitError) as info:
            client.get_account_balances()
    assert len(server.requests) == 1
    secrets = secrets_for(tokens_sent(server))
    assert_nothing_leaks(secrets, repr(client), *exception_texts(info.value))
    check_logs(debug_logs, secrets)


@pytest.mark.case(33)
def test_canary_absent_when_credentials_are_rejected(debug_logs):
    with pytest.raises(QuoineValidationError) as info:
        Quoinex(TOKEN_ID, SECRET + "\n")
    assert_nothing_leaks([SECRET], *exception_texts(info.value))
    check_logs(debug_logs, [SECRET])


# --- 34: TLS --------------------------------------------------------------------------------


class TLSServer:
    """An HTTPS server on 127.0.0.1 answering ``{"ok": true}``, counting connections."""

    def __init__(self, ca: trustme.CA) -> None:
        self.context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ca.issue_cert("127.0.0.1").configure_cert(self.context)
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.1)
        self.url = f"https://127.0.0.1:{self._listener.getsockname()[1]}"
        self.connections = 0
        self.handshakes_failed = 0
        self.requests: list[bytes] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def __enter__(self) -> TLSServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(5)
        self._listener.close()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except socket.timeout:
                continue
            self.connections += 1
            conn.settimeout(5)
            try:
                with self.context.wrap_socket(conn, server_side=True) as tls:
                    head = b""
                    while b"\r\n\r\n" not in head:
                        chunk = tls.recv(65536)
                        if not chunk:
                            break
                        head += chunk
                    self.requests.append(head)
                    tls.sendall(http(200, '{"ok": true}', headers={"Connection": "close"}))
            except (ssl.SSLError, OSError):
                self.handshakes_failed += 1
            finally:
                conn.close()


@pytest.fixture
def ca(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[trustme.CA]:
    # The environment's CA bundle would override session.verify (requests' precedence).
    for name in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"):
        monkeypatch.delenv(name, raising=False)
    yield trustme.CA()


@pytest.mark.case(34)
def test_untrusted_certificate_fails_once_without_retry(ca, sleeps):
    with TLSServer(ca) as server:
        client = Quoinex(TOKEN_ID, SECRET, api_url=server.url, rate_limit=None)  # 3 retries
        with pytest.raises(QuoineSSLError) as info:
            client.get_account_balances()
    assert server.connections == 1  # one attempt, no retry
    assert server.handshakes_failed == 1 and server.requests == []
    assert sleeps == []
    error = info.value
    assert isinstance(error, QuoineConnectionError)
    assert error.sent is False
    assert error.attempts == 1
    assert isinstance(error.__cause__, requests.exceptions.SSLError)
    assert "CERTIFICATE_VERIFY_FAILED" in str(error) or "certificate verify failed" in str(error)
    assert client.session.verify is True


@pytest.mark.case(34)
def test_no_switch_turns_verification_off():
    parameters = inspect.signature(Quoinex).parameters
    assert not {"verify", "verify_ssl", "insecure", "ssl"} & set(parameters)
    assert Quoinex().session.verify is True


@pytest.mark.case(34)
def test_ca_bundle_on_caller_session_is_honoured(ca, tmp_path):
    ca_path = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_path))
    session = requests.Session()
    session.verify = str(ca_path)
    with TLSServer(ca) as server:
        client = Quoinex(TOKEN_ID, SECRET, api_url=server.url, rate_limit=None, session=session)
        assert client.get_account_balances() == {"ok": True}
    assert server.connections == 1 and server.handshakes_failed == 0
    [request] = server.requests
    assert b"GET /accounts/balance HTTP/1.1" in request
    assert client.session.verify == str(ca_path)


# --- 35: credentials from the environment ---------------------------------------------------


@pytest.mark.case(35)
def test_credentials_read_from_environment(monkeypatch):
    monkeypatch.setenv("QUOINE_API_TOKEN_ID", TOKEN_ID)
    monkeypatch.setenv("QUOINE_API_SECRET", SECRET)
    with FaultServer(lambda r: Reply(http(200, "[]"))) as server:
        client = Quoinex(api_url=server.url, rate_limit=None, max_retries=0)
        assert client.get_account_balances() == []
    [request] = server.requests
    claims = jwt.decode(request.headers["x-quoine-auth"], SECRET, algorithms=["HS256"])
    assert claims["token_id"] == TOKEN_ID and claims["path"] == "/accounts/balance"
    assert SECRET not in repr(client)


@pytest.mark.case(35)
@pytest.mark.parametrize("present", [None, "QUOINE_API_TOKEN_ID", "QUOINE_API_SECRET"])
def test_missing_credentials_name_the_variables_not_the_values(monkeypatch, present):
    value = "CANARY-token-or-secret-value-0123456789abcdef"
    if present:
        monkeypatch.setenv(present, value)
    with FaultServer(lambda r: Reply(http(200, "[]"))) as server:
        client = Quoinex(api_url=server.url, rate_limit=None, max_retries=0)
        assert client.get_products() == []  # public calls work without credentials
        with pytest.raises(QuoineCredentialsError) as info:
            client.get_account_balances()
    assert len(server.requests) == 1  # only the public call went out
    text = str(info.value)
    assert "QUOINE_API_TOKEN_ID" in text and "QUOINE_API_SECRET" in text
    assert value not in text and value not in repr(info.value.args)


@pytest.mark.case(35)
@pytest.mark.parametrize(
    "secret", [SECRET + "\n", " " + SECRET, SECRET + " ", "\t" + SECRET, SECRET + "\r\n"]
)
@pytest.mark.parametrize("source", ["environment", "argument"])
def test_secret_with_whitespace_rejected_without_echo(monkeypatch, secret, source):
    if source == "environment":
        monkeypatch.setenv("QUOINE_API_TOKEN_ID", TOKEN_ID)
        monkeypatch.setenv("QUOINE_API_SECRET", secret)
        args: tuple[str, ...] = ()
    else:
        args = (TOKEN_ID, secret)
    with pytest.raises(QuoineValidationError) as info:
        Quoinex(*args)
    error = info.value
    assert "api_secret" in str(error) and "QUOINE_API_SECRET" in str(error)
    assert SECRET not in str(error) and SECRET not in repr(error.args)


@pytest.mark.case(35)
@pytest.mark.parametrize("credential", ["api_token_id", "api_secret"])
def test_credential_with_inner_newline_rejected_without_echo(credential):
    bad = "CANARY-inner\nnewline-0123456789abcdef"
    kwargs = {"api_token_id": TOKEN_ID, "api_secret": SECRET, credential: bad}
    with pytest.raises(QuoineValidationError) as info:
        Quoinex(**kwargs)
    assert "CANARY-inner" not in str(info.value)
