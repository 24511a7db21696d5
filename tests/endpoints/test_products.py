"""Products, order book and public market data: the exact requests sent."""

from __future__ import annotations

import pytest
import responses
from _helpers import API, assert_public, assert_rejected, sent


def test_get_products(client, mocked):
    mocked.get(f"{API}/products", json=[{"id": 1}])

    assert client.get_products() == [{"id": 1}]

    request = sent(mocked)
    assert (request.method, request.path, request.query) == ("GET", "/products", [])
    assert request.body is None
    assert_public(request)


def test_get_perpetual_products(client, mocked):
    mocked.get(f"{API}/products", json=[{"id": 603}])

    assert client.get_perpetual_products() == [{"id": 603}]

    assert sent(mocked).query == [("perpetual", "1")]


def test_get_product(client, mocked):
    mocked.get(f"{API}/products/5", json={"id": 5, "market_bid": 48188.15})

    product = client.get_product("5")

    assert sent(mocked).path == "/products/5"
    assert str(product["market_bid"]) == "48188.15"  # JSON floats decode as Decimal


@pytest.mark.parametrize(("full", "expected"), [(False, "0"), (True, "1")])
def test_get_order_book_sends_full_flag(client, mocked, full, expected):
    mocked.get(f"{API}/products/1/price_levels", json={"buy_price_levels": []})

    client.get_order_book(1, full=full)

    request = sent(mocked)
    assert request.path == "/products/1/price_levels"
    assert request.query == [("full", expected)]
    assert_public(request)


def test_get_currencies(client, mocked):
    mocked.get(f"{API}/currencies", json=[{"currency": "BTC"}])

    assert client.get_currencies() == [{"currency": "BTC"}]
    assert sent(mocked).path == "/currencies"


def test_get_ohlc(client, mocked):
    mocked.get(f"{API}/products/1/ohlc", json={"data": []})

    client.get_ohlc(1, resolution=3600)

    assert sent(mocked).query == [("resolution", "3600")]


def test_get_funding_rate_history(client, mocked):
    mocked.get(f"{API}/products/603/funding_rate_history", json={"models": []})

    client.get_funding_rate_history(
        603, timestamp_gte="2021-01-01", timestamp_lte=1612137600, limit=5
    )

    assert sent(mocked).query == [
        ("timestamp_gte", "1609459200"),
        ("timestamp_lte", "1612137600"),
        ("limit", "5"),
    ]


@pytest.mark.parametrize("bad", [0, -1, "abc", 1.5, None, True])
def test_bad_product_id_sends_nothing(client, mocked, bad):
    assert_rejected(mocked, "product_id", client.get_product, bad)


def test_public_calls_work_without_credentials(public_client):
    with responses.RequestsMock() as mock:
        mock.get(f"{API}/products/1", json={"id": 1})
        assert public_client.get_product(1) == {"id": 1}
        assert_public(sent(mock))
