"""find_product: a product by its currency pair code; the exact requests sent."""

from __future__ import annotations

import pytest
import responses
from _helpers import API, assert_public, sent

from quoine.exceptions import QuoineValidationError

SPOT = [
    {"id": "1", "currency_pair_code": "BTCUSD"},
    {"id": 5, "currency_pair_code": "BTCJPY"},
    {"id": "9", "currency_pair_code": None},
]
PERPETUAL = [{"id": "603", "currency_pair_code": "P-BTCUSD"}]


@pytest.mark.parametrize("code", ["BTCJPY", "btcjpy", " BtcJpy\t"])
def test_a_spot_code_takes_one_request(client, mocked, code):
    mocked.get(f"{API}/products", json=SPOT)

    assert client.find_product(code) == {"id": 5, "currency_pair_code": "BTCJPY"}

    request = sent(mocked)
    assert (request.method, request.path, request.query) == ("GET", "/products", [])
    assert_public(request)


def test_a_perpetual_code_is_looked_up_among_the_perpetuals(client, mocked):
    mocked.get(f"{API}/products", json=SPOT, match=[responses.matchers.query_param_matcher({})])
    mocked.get(
        f"{API}/products",
        json=PERPETUAL,
        match=[responses.matchers.query_param_matcher({"perpetual": "1"})],
    )

    assert client.find_product("p-btcusd") == PERPETUAL[0]
    assert [call.request.url for call in mocked.calls] == [
        f"{API}/products",
        f"{API}/products?perpetual=1",
    ]


def test_an_unknown_code_is_none(client, mocked):
    mocked.get(f"{API}/products", json=SPOT, match=[responses.matchers.query_param_matcher({})])
    mocked.get(f"{API}/products", json=PERPETUAL)

    assert client.find_product("BTCEUR") is None
    assert len(mocked.calls) == 2


@pytest.mark.parametrize("code", ["", None, 1, b"BTCUSD"])
def test_a_code_that_is_not_a_string_is_refused_before_sending(client, mocked, code):
    with pytest.raises(
        QuoineValidationError, match="currency_pair_code must be a non-empty string"
    ):
        client.find_product(code)
    assert len(mocked.calls) == 0
