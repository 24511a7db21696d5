"""Answers at the edges of the HTTP layer, over a real socket: redirects, gzip, odd headers.

Written against the mutants of quoine/_http.py that the other reliability tests let live.
"""

from __future__ import annotations

import gc
import gzip
from decimal import Decimal
from typing import Any

import pytest
from _faultserver import FaultServer, Reply, http
from _helpers import SECRET, TOKEN_ID

from quoine.client import Quoinex
from quoine.exceptions import QuoineError, QuoineResponseException


def _answer(raw: bytes) -> tuple[Any, FaultServer]:
    """Call get_product(1) against a server answering ``raw``: (result or error, server)."""
    with FaultServer(lambda request: Reply(raw)) as server:
        client = Quoinex(TOKEN_ID, SECRET, api_url=server.url, rate_limit=None, max_retries=0)
        try:
            result: Any = client.get_product(1)
        except QuoineError as exc:
            result = exc
        finally:
            client.close()
    return result, server


def test_gzip_encoded_json_is_decoded_exactly():
    body = gzip.compress(b'{"id": 1, "last_traded_price": "0.1", "tick": 0.3}')
    result, server = _answer(http(200, body, headers={"Content-Encoding": "gzip"}))

    assert result == {"id": 1, "last_traded_price": "0.1", "tick": Decimal("0.3")}
    assert type(result["tick"]) is Decimal
    assert len(server.requests) == 1


@pytest.mark.parametrize(
    ("headers", "location"),
    [({}, "''"), ({"Location": "https://elsewhere.example/x"}, "'https://elsewhere.example/x'")],
)
@pytest.mark.parametrize("status", [301, 302, 307])
def test_a_redirect_is_not_followed_and_names_its_target(status, headers, location):
    result, server = _answer(http(status, b"", headers=headers))

    assert type(result) is QuoineResponseException
    assert result.message == f"unexpected redirect ({status}) to {location}; not followed"
    assert result.status_code == status
    assert len(server.requests) == 1


def test_a_long_redirect_target_is_cut_to_100_characters():
    target = "https://elsewhere.example/" + "a" * 200
    result, _ = _answer(http(302, b"", headers={"Location": target}))
    assert result.message == f"unexpected redirect (302) to {target[:100]!r}; not followed"


def test_a_204_answer_is_none():
    result, _ = _answer(b"HTTP/1.1 204 No Content\r\n\r\n")
    assert result is None


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (
            http(200, b"<html>", content_type="text/html"),
            "Invalid Response: status 200, text/html, not valid JSON (JSONDecodeError)",
        ),
        (
            http(200, b'{"a": NaN}'),
            "Invalid Response: status 200, application/json, not valid JSON (ValueError)",
        ),
        (
            http(200, b"\xff\xfe", content_type="x" * 100),
            f"Invalid Response: status 200, {'x' * 60}, not valid JSON (UnicodeDecodeError)",
        ),
    ],
)
def test_a_body_that_is_not_json_is_named_exactly(raw, message):
    result, _ = _answer(raw)
    assert type(result) is QuoineResponseException
    assert result.message == message


@pytest.mark.filterwarnings("ignore::ResourceWarning")
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_a_redirect_to_a_non_utf8_location_raises_a_library_error():
    try:
        result, _ = _answer(b"HTTP/1.1 301 X\r\nContent-Length: 0\r\nLocation: \x80\r\n\r\n")
    finally:
        gc.collect()  # the connection requests left open, while the filters above apply
    assert isinstance(result, QuoineResponseException)


def test_an_informational_answer_in_place_of_the_answer_is_named_exactly():
    result, _ = _answer(b"HTTP/1.1 103 Early Hints\r\nLink: </x>\r\n\r\n")
    assert isinstance(result, QuoineError)
    assert result.message == (
        "the server sent an informational 103 answer in place of the answer; connection "
        "closed, the request may have been processed"
    )
    assert result.sent is True


def test_an_answer_read_past_the_deadline_may_have_been_acted_on():
    """Headers in time, the body dripped past the deadline: a timeout after sending."""
    raw = http(200, b'{"id": 1, "padding": "' + b"x" * 40 + b'"}')
    reply = Reply(raw, drip=0.02, drip_from=raw.index(b"\r\n\r\n") + 4)
    with FaultServer(lambda request: reply) as server:
        client = Quoinex(
            TOKEN_ID, SECRET, api_url=server.url, rate_limit=None, max_retries=0, deadline=0.3
        )
        with pytest.raises(QuoineError) as caught:
            client.get_product(1)
        client.close()
    assert caught.value.message == "the call ran past its deadline while reading the answer"
    assert caught.value.sent is True
    assert len(server.requests) == 1
