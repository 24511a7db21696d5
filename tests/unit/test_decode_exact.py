"""Error bodies and numbers at their edges, decoded to the byte.

Written against the mutants of quoine/_decode.py, quoine/_http.py and
quoine/exceptions.py that the other tests let live.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
import requests
import urllib3
from _helpers import API

from quoine._decode import decode_error_body, load_json
from quoine._http import transport_error
from quoine.exceptions import (
    QuoineInsufficientFundsError,
    QuoineResponseException,
    QuoineUnprocessableError,
)


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        (b"1e1000", Decimal("1E+1000")),
        (b"-1e1000", Decimal("-1E+1000")),
        (b"1e-1000", Decimal("1E-1000")),
    ],
)
def test_numbers_up_to_1e1000_either_way_are_decoded(raw, value):
    assert load_json(raw) == value


@pytest.mark.parametrize("raw", [b"1e1001", b"1e-1001", b"[1.5e1001]"])
def test_numbers_beyond_1e1000_are_refused(raw):
    with pytest.raises(ValueError, match=r"^not valid JSON \(ValueError\)$"):
        load_json(raw)


def test_a_code_that_is_not_a_string_gives_way_to_the_errors():
    body = decode_error_body(b'{"code": 5, "errors": {"user": ["not_enough_fund"]}}')
    assert body.code == "not_enough_fund"
    assert decode_error_body(b'{"code": "", "errors": {"q": "too_small"}}').code == "too_small"
    assert decode_error_body(b'{"code": "x1"}').code == "x1"


def test_an_error_value_that_is_not_a_list_is_one_message():
    body = decode_error_body(b'{"errors": {"user": "not_enough_fund", "q": ["a", "b"]}}')
    assert body.message == "user: not_enough_fund; q: a, b"


def test_only_the_first_50_strings_of_an_error_body_are_read():
    # Read last key first: the known code is the 51st string and is not looked at.
    fillers = ", ".join(f'"k{n}": "filler"' for n in range(1, 51))
    late = decode_error_body(f'{{"k0": "not_enough_fund", {fillers}}}'.encode())
    assert len(late.texts) == 50
    assert "not_enough_fund" not in late.texts
    early = decode_error_body(f'{{{fillers}, "k51": "not_enough_fund"}}'.encode())
    assert "not_enough_fund" in early.texts


def test_the_class_comes_from_the_strings_read(client, mocked):
    fillers = ", ".join(f'"k{n}": "filler"' for n in range(1, 51))
    mocked.post(f"{API}/orders", status=422, body=f'{{"k0": "not_enough_fund", {fillers}}}')
    mocked.post(f"{API}/orders", status=422, body='{"errors": {"user": "not_enough_fund"}}')
    with pytest.raises(QuoineUnprocessableError) as first:
        client.create_order("limit", 1, "buy", "1", "1")
    assert type(first.value) is QuoineUnprocessableError
    with pytest.raises(QuoineInsufficientFundsError):
        client.create_order("limit", 1, "buy", "1", "1")


class _Refused(urllib3.exceptions.NewConnectionError):
    """A refusal whose text names none of urllib3's classes."""


def test_a_refusal_is_known_by_its_cause_not_only_by_its_text():
    cause = urllib3.exceptions.MaxRetryError(None, "/x", reason=_Refused(None, "went away"))
    error = transport_error(requests.exceptions.ConnectionError(cause))
    assert "NewConnectionError" not in str(error)
    assert error.sent is False


def test_a_failure_without_arguments_may_have_been_sent():
    error = transport_error(requests.exceptions.ConnectionError())
    assert error.sent is True


def test_a_response_exception_without_a_response_has_status_0():
    assert QuoineResponseException("x").status_code == 0
    assert QuoineResponseException("x", status_code=200).status_code == 200
    response = requests.Response()
    response.status_code = 302
    assert QuoineResponseException("x", response).status_code == 302


def test_a_redirect_answer_to_an_order_is_not_an_unknown_outcome(client, mocked):
    """A 300 is refused as it is: no lookup by client_order_id, unlike a 2xx that cannot be read."""
    mocked.post(f"{API}/orders", status=300, body="")
    with pytest.raises(QuoineResponseException) as caught:
        client.create_order("limit", 1, "buy", "1", "1", client_order_id="abc-1")
    assert caught.value.status_code == 300
    assert len(mocked.calls) == 1
