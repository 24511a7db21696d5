"""The client's request path at its edges: its debug line and the signing turn.

Written against the mutants of quoine/client.py that the other tests let live.
"""

from __future__ import annotations

import io
import logging

import pytest
import requests
from _helpers import API, SECRET, TOKEN_ID

from quoine.client import Quoinex
from quoine.exceptions import QuoineServerError, QuoineTimeoutError


def test_a_failed_attempt_is_logged_exactly_at_debug(mocked, caplog):
    caplog.set_level(logging.DEBUG, logger="quoine")
    mocked.get(f"{API}/products/1", status=500, body="oops")
    with Quoinex(rate_limit=None) as client, pytest.raises(QuoineServerError):
        client.get_product(1)
    lines = [r.getMessage() for r in caplog.records if " failed: " in r.getMessage()]
    assert lines == ["GET /products/1 failed: 500 Internal Server Error: oops, attempt 1"]


def test_a_signed_request_that_never_gets_the_turn_is_not_sent(mocked):
    """Another request of the token holds the signing turn past the deadline."""
    with Quoinex(TOKEN_ID, SECRET, rate_limit=None, deadline=0.05) as client:
        client.nonces.turn.acquire()
        try:
            with pytest.raises(QuoineTimeoutError) as caught:
                client.get_orders()
        finally:
            client.nonces.turn.release()
    assert caught.value.sent is False
    assert str(caught.value).endswith(
        "another signed request of this API token took the whole deadline; nothing was sent"
    )
    assert len(mocked.calls) == 0


@pytest.mark.parametrize("suffix", ["/", "//"])
def test_a_trailing_slash_of_api_url_is_dropped(mocked, suffix):
    mocked.get(f"{API}/products/1", json={"id": 1})
    with Quoinex(api_url=API + suffix, rate_limit=None) as client:
        assert client.get_product(1) == {"id": 1}
    assert mocked.calls[0].request.url == f"{API}/products/1"


def test_the_api_url_is_kept_without_its_trailing_slash():
    with Quoinex(api_url="https://sandbox.example/", rate_limit=None) as client:
        assert client.API_URL == "https://sandbox.example"
        assert repr(client).startswith("Quoinex(api_url='https://sandbox.example', ")


class _CachedAnswers(requests.adapters.BaseAdapter):
    """A transport adapter, like a cache, that hands back a body it has already read."""

    def send(self, request, **kwargs):
        response = requests.Response()
        response.status_code = 200
        response.headers["Content-Type"] = "application/json"
        response._content = b'{"id": 1}'
        response._content_consumed = True
        response.raw = io.BytesIO(b"")
        response.request, response.url = request, request.url
        return response

    def close(self):
        pass


def test_an_answer_already_read_by_an_adapter_is_not_read_again():
    session = requests.Session()
    session.mount("https://", _CachedAnswers())
    with Quoinex(session=session, rate_limit=None) as client:
        assert client.get_product(1) == {"id": 1}
