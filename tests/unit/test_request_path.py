"""The cheaper request path keeps what requests users rely on.

The client reads proxies, CA bundle and ``~/.netrc`` once per client, and builds
requests from a cached template when the session has nothing to merge (see
``quoine._transport.Transport``). These tests pin the behaviour that must survive that.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests
from _faultserver import FaultServer, Reply, Request, http

from quoine.client import Quoinex

OK = Reply(http(200, '{"id": 1}'))


@pytest.fixture
def server() -> Iterator[FaultServer]:
    with FaultServer(lambda request: OK) as running:
        yield running


@pytest.fixture
def proxy() -> Iterator[FaultServer]:
    with FaultServer(lambda request: OK) as running:
        yield running


def public(url: str, **options: object) -> Quoinex:
    return Quoinex(api_url=url, rate_limit=None, max_retries=0, **options)  # type: ignore[arg-type]


def last(server: FaultServer) -> Request:
    return server.requests[-1]


def test_proxy_from_the_environment_is_used(monkeypatch, server, proxy):
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    public(server.url).get_product(1)
    assert server.requests == []
    assert last(proxy).target == f"{server.url}/products/1"  # absolute form: via a proxy


def test_no_proxy_bypasses_the_proxy(monkeypatch, server, proxy):
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    public(server.url).get_product(1)
    assert proxy.requests == [] and last(server).target == "/products/1"


def test_trust_env_false_ignores_the_environment(monkeypatch, server, proxy):
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    session = requests.Session()
    session.trust_env = False
    public(server.url, session=session).get_product(1)
    assert proxy.requests == [] and len(server.requests) == 1


def test_session_proxies_apply_and_later_changes_are_seen(server, proxy):
    session = requests.Session()
    client = public(server.url, session=session)
    client.get_product(1)
    session.proxies = {"http": proxy.url}
    client.get_product(1)
    assert len(server.requests) == 1 and len(proxy.requests) == 1


def test_ca_bundle_from_the_environment_and_session_verify(monkeypatch, tmp_path):
    bundle = tmp_path / "ca.pem"
    bundle.write_text("")
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(bundle))
    assert public("https://api.example")._send_settings()["verify"] == str(bundle)
    monkeypatch.delenv("REQUESTS_CA_BUNDLE")
    monkeypatch.delenv("CURL_CA_BUNDLE", raising=False)
    session = requests.Session()
    session.verify = "/etc/my-ca.pem"
    assert public("https://api.example", session=session)._send_settings()["verify"] == (
        "/etc/my-ca.pem"
    )


def test_netrc_credentials_are_applied_as_requests_would(monkeypatch, tmp_path, server):
    netrc = tmp_path / ".netrc"
    netrc.write_text("machine 127.0.0.1 login user password pass\n")
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))
    public(server.url).get_product(1)
    assert last(server).headers["authorization"] == "Basic dXNlcjpwYXNz"


def test_session_headers_are_merged_and_ours_win(server):
    session = requests.Session()
    session.headers["X-Trace"] = "abc"
    session.headers["user-agent"] = "theirs"
    client = public(server.url, session=session)
    client.get_product(1)
    headers = last(server).headers
    assert headers["x-trace"] == "abc"
    assert headers["user-agent"].startswith("python-quoine/")
    session.headers["X-Trace"] = "changed"
    client.get_product(1)
    assert last(server).headers["x-trace"] == "changed"


def test_session_header_set_to_none_is_not_sent(server):
    session = requests.Session()
    session.headers["Accept-Encoding"] = None  # type: ignore[assignment]
    public(server.url, session=session).get_product(1)
    # requests' default "gzip, deflate" is gone; http.client then says "identity"
    assert last(server).headers["accept-encoding"] == "identity"


def test_session_cookies_auth_and_hooks_still_apply(server):
    seen: list[int] = []
    session = requests.Session()
    session.cookies.set("cf", "1")
    session.hooks["response"].append(lambda response, **kwargs: seen.append(response.status_code))
    session.auth = ("user", "pass")
    public(server.url, session=session).get_product(1)
    headers = last(server).headers
    assert headers["cookie"] == "cf=1"
    assert headers["authorization"] == "Basic dXNlcjpwYXNz"
    assert seen == [200]


def test_prepared_requests_are_independent_copies(server):
    client = Quoinex("1234", "x" * 40, api_url=server.url, rate_limit=None)
    client.get_fiat_accounts()
    client.get_product(1)
    signed, unsigned = server.requests
    assert "x-quoine-auth" in signed.headers
    assert "x-quoine-auth" not in unsigned.headers  # the template was not signed


def test_the_caches_are_named_and_rebuilt_only_when_their_inputs_change(monkeypatch, server):
    from quoine._transport import Environment, Template

    calls: list[str] = []
    real = requests.Session.merge_environment_settings

    def counting(self, url, *args):  # type: ignore[no-untyped-def]
        calls.append(url)
        return real(self, url, *args)

    monkeypatch.setattr(requests.Session, "merge_environment_settings", counting)
    client = public(server.url)
    client.get_product(1)
    client.get_product(2)
    environment = client._transport._environment
    template = client._transport._template
    assert isinstance(environment, Environment) and isinstance(template, Template)
    assert calls == [server.url + "/"]  # read once for two calls
    client.session.verify = False
    client.get_product(3)
    assert calls == [server.url + "/"] * 2
    assert client._transport._environment is not environment
    assert client._transport._template is template  # the headers did not change
