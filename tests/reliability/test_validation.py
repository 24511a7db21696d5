"""Catalogue cases 36-39: bad order input is refused before anything is sent.

"Nothing sent" is checked on a loopback server that records every request it
receives; a valid order sent through the same client shows that it would have.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
import responses
from _faultserver import FaultServer, Reply, Request, http
from _helpers import API, SECRET, TOKEN_ID
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quoine import constants
from quoine.client import Quoinex
from quoine.exceptions import QuoineValidationError


def answer(request: Request) -> Reply:
    return Reply(http(200, '{"id": 1}'))


@pytest.fixture(scope="module")
def server() -> Iterator[FaultServer]:
    with FaultServer(answer) as fault_server:
        yield fault_server


@pytest.fixture
def client(server: FaultServer) -> Iterator[Quoinex]:
    server.requests.clear()
    with Quoinex(TOKEN_ID, SECRET, api_url=server.url, rate_limit=None, max_retries=0) as quoinex:
        yield quoinex
    server.requests.clear()


def rejected(server: FaultServer, client: Quoinex, *args: Any, **kwargs: Any) -> str:
    """create_order(*args, **kwargs) raises QuoineValidationError and sends nothing."""
    with pytest.raises(QuoineValidationError) as info:
        client.create_order(*args, **kwargs)
    assert server.requests == []
    assert isinstance(info.value, ValueError)
    return str(info.value)


def sent_order(server: FaultServer) -> dict[str, Any]:
    [request] = server.requests
    assert (request.method, request.target) == ("POST", "/orders")
    order: dict[str, Any] = json.loads(request.body)["order"]
    return order


@pytest.mark.case(36)
@pytest.mark.case(37)
@pytest.mark.case(39)
def test_valid_order_reaches_the_server(server, client):
    # The control: what the rejections below would have sent.
    assert client.create_order("limit", 1, "buy", "0.01", "500") == {"id": 1}
    assert sent_order(server) == {
        "order_type": "limit",
        "product_id": 1,
        "side": "buy",
        "quantity": "0.01",
        "price": "500",
    }


# --- 36: side and order type ----------------------------------------------------------------


@pytest.mark.case(36)
@pytest.mark.parametrize("side", ["BUY", "Sell", "hold", "", " buy", None, 1, b"buy", True])
def test_bad_side_rejected(server, client, side):
    message = rejected(server, client, "limit", 1, side, "0.01", "500")
    assert "side must be one of buy, sell" in message


@pytest.mark.case(36)
def test_upper_case_side_is_rejected_not_normalised(server, client):
    # The library's documented choice (quoine._utils.choice): values are case-sensitive,
    # as on the API; "BUY" is refused rather than guessed.
    message = rejected(server, client, "limit", 1, "BUY", "0.01", "500")
    assert "got 'BUY'" in message
    client.create_order("limit", 1, constants.Side.BUY, "0.01", "500")
    assert sent_order(server)["side"] == "buy"


@pytest.mark.case(36)
@pytest.mark.parametrize("order_type", ["foo", None, "LIMIT", "", 1, "market with range"])
def test_bad_order_type_rejected(server, client, order_type):
    message = rejected(server, client, order_type, 1, "buy", "0.01", "500")
    assert "order_type must be one of limit, market" in message


# --- 37: quantity and price -----------------------------------------------------------------

BAD_AMOUNTS = [
    0,
    -1,
    "0",
    "-0.01",
    Decimal("NaN"),
    Decimal("sNaN"),
    Decimal("Infinity"),
    Decimal("-Infinity"),
    float("nan"),
    float("inf"),
    "abc",
    "",
    "1e",
    True,
    False,
    None,
    [1],
]


@pytest.mark.case(37)
@pytest.mark.parametrize("quantity", BAD_AMOUNTS, ids=repr)
@pytest.mark.parametrize("order_type", ["limit", "market"])
def test_bad_quantity_rejected(server, client, quantity, order_type):
    price = "500" if order_type == "limit" else None
    message = rejected(server, client, order_type, 1, "buy", quantity, price)
    assert "quantity" in message


@pytest.mark.case(37)
@pytest.mark.parametrize("price", BAD_AMOUNTS, ids=repr)
@pytest.mark.parametrize("order_type", ["limit", "limit_post_only", "stop"])
def test_bad_price_on_priced_orders_rejected(server, client, price, order_type):
    message = rejected(server, client, order_type, 1, "sell", "0.01", price)
    assert "price" in message


@pytest.mark.case(37)
@pytest.mark.parametrize("order_type", ["limit", "limit_post_only", "stop"])
def test_priced_order_without_price_rejected(server, client, order_type):
    # python-quoine 0.1.x sent a limit order with price None or "0" without any price.
    assert "price is required" in rejected(server, client, order_type, 1, "buy", "0.01")
    assert "price must be greater than zero" in rejected(
        server, client, order_type, 1, "buy", "0.01", "0"
    )


@pytest.mark.case(37)
@pytest.mark.parametrize("price", ["500", Decimal("500"), 0, "0"])
def test_market_order_with_price_rejected(server, client, price):
    message = rejected(server, client, "market", 1, "buy", "0.01", price)
    assert "price is not allowed on market orders" in message


# --- 38: amounts go out as plain decimal strings --------------------------------------------

LOW, HIGH = Decimal("1e-18"), Decimal("1e12")


@st.composite
def decimals_in_range(draw: st.DrawFn) -> Decimal:
    places = draw(st.integers(0, 18))
    value = draw(
        st.decimals(min_value=LOW, max_value=HIGH, places=places).filter(lambda d: d >= LOW)
    )
    # The same number written in other ways: exponent notation, trailing zeros.
    form = draw(st.sampled_from(["as-is", "normalized", "scientific", "padded"]))
    if form == "normalized":
        value = value.normalize()
    elif form == "scientific":
        value = Decimal(f"{value:E}")
    elif form == "padded":
        text = f"{value:f}"  # str() may be "1.0E-7", where "000" would change the exponent
        value = Decimal(f"{text}000") if "." in text else value
    return value


# From 1e-13 up, a float's shortest repr fits in the 30 decimal places an amount may have.
floats_in_range = st.floats(min_value=1e-13, max_value=1e12, allow_nan=False)


def check_plain(text: Any, expected: Decimal) -> None:
    assert isinstance(text, str)
    assert "e" not in text and "E" not in text, text
    assert text.replace(".", "", 1).isdigit(), text
    assert Decimal(text) == expected


def serialisation_property(amounts: Any, convert: Any) -> None:
    with responses.RequestsMock() as mock:
        mock.post(f"{API}/orders", json={"id": 1})
        client = Quoinex(TOKEN_ID, SECRET, rate_limit=None, max_retries=0)

        @settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
        @given(quantity=amounts, price=amounts, price_range=amounts)
        def check(quantity: Any, price: Any, price_range: Any) -> None:
            before = len(mock.calls)
            client.create_order("limit", 1, "buy", quantity, price)
            client.create_order("market_with_range", 1, "sell", quantity, price, price_range)
            assert len(mock.calls) == before + 2
            limit, ranged = (json.loads(call.request.body)["order"] for call in mock.calls[-2:])
            check_plain(limit["quantity"], convert(quantity))
            check_plain(limit["price"], convert(price))
            check_plain(ranged["price_range"], convert(price_range))
            assert not floats_anywhere(limit) and not floats_anywhere(ranged)

        check()


def floats_anywhere(value: Any) -> bool:
    if isinstance(value, dict):
        return any(floats_anywhere(item) for item in value.values())
    return isinstance(value, float)


@pytest.mark.case(38)
def test_any_valid_decimal_is_sent_as_a_plain_exact_string():
    serialisation_property(decimals_in_range(), lambda value: value)


@pytest.mark.case(38)
def test_any_float_is_sent_as_its_shortest_decimal_string():
    serialisation_property(floats_in_range, lambda value: Decimal(str(value)))


@pytest.mark.case(38)
@pytest.mark.parametrize(
    ("amount", "wire"),
    [
        (1e-05, "0.00001"),
        (1.9e-07, "0.00000019"),
        (Decimal("1E-18"), "0.000000000000000001"),
        (Decimal("1E+12"), "1000000000000"),
        ("1e-05", "0.00001"),
        (0.1, "0.1"),
        (123456789012, "123456789012"),
    ],
)
def test_known_amounts_on_the_wire(server, client, amount, wire):
    client.create_order("limit", 1, "buy", amount, amount)
    order = sent_order(server)
    assert order["quantity"] == order["price"] == wire


# --- 39: other fields -----------------------------------------------------------------------


@pytest.mark.case(39)
@pytest.mark.parametrize(
    "product_id", [0, -1, "0", "-1", "abc", "", "1.5", 1.5, 1.0, True, False, None, [1], "1 2"]
)
def test_bad_product_id_rejected(server, client, product_id):
    message = rejected(server, client, "limit", product_id, "buy", "0.01", "500")
    assert "product_id must be a positive integer" in message


@pytest.mark.case(39)
@pytest.mark.parametrize("order_type", ["limit", "market", "limit_post_only", "stop"])
def test_price_range_only_on_market_with_range(server, client, order_type):
    price = None if order_type == "market" else "500"
    message = rejected(server, client, order_type, 1, "buy", "0.01", price, "10")
    assert "price_range is only allowed on market_with_range orders" in message


@pytest.mark.case(39)
def test_market_with_range_needs_a_valid_price_range(server, client):
    assert "price_range is required" in rejected(
        server, client, "market_with_range", 1, "buy", "0.01"
    )
    for bad in (0, -1, "abc", Decimal("NaN"), True):
        assert "price_range" in rejected(
            server, client, "market_with_range", 1, "buy", "0.01", None, bad
        )
    client.create_order("market_with_range", 1, "buy", "0.01", None, "10")
    assert sent_order(server)["price_range"] == "10"
