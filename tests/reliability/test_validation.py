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


# --- 43: absurd amounts ---------------------------------------------------------------------

ABSURD_AMOUNTS = {
    "exponent 1e999999999999999": "1e999999999999999",
    "exponent 1e-5000000": "1e-5000000",
    "Decimal 1E+999999999999999999": Decimal("1E+999999999999999999"),
    "Decimal 1E-999999999999999999": Decimal("1E-999999999999999999"),
    "36 digits before the point": "1" + "0" * 35,
    "int 10**35": 10**35,
    "int 10**100000": 10**100_000,
    "31 decimal places": "0." + "0" * 30 + "1",
    "float 1.2345e-28": 1.2345e-28,
    "a 101-character string": "1" + "0" * 100,
    "a 5 MB string": "0." + "0" * 5_000_000 + "1",
}


@pytest.mark.case(43)
@pytest.mark.parametrize("amount", ABSURD_AMOUNTS.values(), ids=list(ABSURD_AMOUNTS))
@pytest.mark.parametrize("field", ["quantity", "price"])
def test_absurd_amounts_are_refused_before_sending(server, client, amount, field):
    amounts = {"quantity": "0.01", "price": "500", field: amount}
    with pytest.raises(QuoineValidationError) as info:
        client.create_limit_buy(1, amounts["quantity"], amounts["price"])
    assert server.requests == []
    message = str(info.value)
    assert message.startswith(f"{field} ")
    assert len(message) < 300  # the value is shown cut short, never whole


@pytest.mark.case(43)
@pytest.mark.parametrize(
    ("amount", "wire"),
    [
        ("9" * 35, "9" * 35),
        ("0." + "0" * 29 + "1", "0." + "0" * 29 + "1"),
        (Decimal("1E-30"), "0." + "0" * 29 + "1"),
        (Decimal("1E+34"), "1" + "0" * 34),
        ("1." + "0" * 60, "1." + "0" * 30),  # trailing zeros past 30 places dropped
        ("1e-13", "0.0000000000001"),
        (1.25e-13, "0.000000000000125"),
        (0.1 + 0.2, "0.30000000000000004"),
    ],
)
def test_amounts_at_the_bound_are_sent_exactly(server, client, amount, wire):
    client.create_limit_buy(1, amount, amount)
    order = sent_order(server)
    assert order["quantity"] == order["price"] == wire
    assert Decimal(order["quantity"]) == Decimal(str(amount))


@pytest.mark.case(43)
def test_zero_stop_loss_with_an_absurd_exponent_is_a_plain_zero():
    with responses.RequestsMock() as mock:
        mock.put(f"{API}/trades/8", json={"id": 8})
        client = Quoinex(TOKEN_ID, SECRET, rate_limit=None, max_retries=0)
        client.update_trade(8, Decimal("0E-5000000"), Decimal("0E+99"))
        assert json.loads(mock.calls[0].request.body) == {
            "trade": {"stop_loss": "0", "take_profit": "0"}
        }


# --- 44: numpy scalars and other number types -----------------------------------------------


def body_of(server: FaultServer) -> bytes:
    [request] = server.requests
    server.requests.clear()
    return request.body


@pytest.mark.case(44)
def test_numpy_scalars_send_exactly_what_python_numbers_send(server, client):
    np = pytest.importorskip("numpy")
    client.create_limit_buy(1, 0.01, 48203.05)
    expected = body_of(server)
    assert json.loads(expected)["order"]["quantity"] == "0.01"
    assert json.loads(expected)["order"]["price"] == "48203.05"
    for product_id in (np.int64(1), np.int32(1), np.uint8(1), np.uint64(1)):
        client.create_limit_buy(product_id, np.float64(0.01), np.float64(48203.05))
        assert body_of(server) == expected
    client.create_limit_buy(np.int64(1), np.int64(1), np.int16(500))
    order = json.loads(body_of(server))["order"]
    assert (order["product_id"], order["quantity"], order["price"]) == (1, "1", "500")


class Price(Decimal):
    """A Decimal subclass, as some libraries hand out."""


class Rate(float):
    """A float subclass whose repr is not its value's (as numpy.float64's is not)."""

    def __repr__(self) -> str:
        return f"Rate({float(self)!r})"

    __str__ = __repr__


class ProductId(int):
    def __index__(self) -> int:
        return int(self)


@pytest.mark.case(44)
def test_subclasses_are_taken_by_their_value(server, client):
    client.create_limit_buy(ProductId(1), Rate(0.01), Price("48203.05"))
    order = json.loads(body_of(server))["order"]
    assert (order["product_id"], order["quantity"], order["price"]) == (1, "0.01", "48203.05")


def refused_number_types() -> list[Any]:
    from fractions import Fraction

    values: list[Any] = [Fraction(1, 10), Fraction(1, 3), complex(0.01, 0), 1j]
    try:
        import numpy as np
    except ImportError:  # pragma: no cover - numpy is in the test extra
        return values
    return [*values, np.float32(0.1), np.float16(0.5), np.longdouble("0.1"), np.bool_(True)]


@pytest.mark.case(44)
@pytest.mark.parametrize("amount", refused_number_types(), ids=lambda v: type(v).__name__)
def test_number_types_whose_value_is_not_what_was_typed_are_refused(server, client, amount):
    with pytest.raises(QuoineValidationError) as info:
        client.create_limit_buy(1, amount, "500")
    assert server.requests == []
    message = str(info.value)
    assert message.startswith("quantity must be a Decimal, str, int or float, got ")
    if not type(amount).__name__.startswith("bool"):
        assert "convert it explicitly" in message


@pytest.mark.case(44)
def test_numpy_ids_bools_and_floats(server, client):
    np = pytest.importorskip("numpy")
    for product_id in (np.bool_(True), np.float64(1.0), np.float32(1), np.int64(0), np.int64(-1)):
        with pytest.raises(QuoineValidationError, match="product_id must be a positive integer"):
            client.create_limit_buy(product_id, "0.01", "500")
    assert server.requests == []


@pytest.mark.case(44)
def test_numpy_limits_pages_and_times_go_out_as_plain_integers():
    np = pytest.importorskip("numpy")
    with responses.RequestsMock() as mock:
        mock.get(f"{API}/orders", json={"models": []})
        mock.get(f"{API}/executions", json=[])
        client = Quoinex(TOKEN_ID, SECRET, rate_limit=None, max_retries=0)
        client.get_orders(product_id=np.int64(1), limit=np.int64(5), page=np.int16(2))
        client.get_executions_since_time(np.int64(1), np.int64(1514764800), np.int32(10))
        client.get_executions_since_time(1, np.float64(1514764800.9))
        client.get_executions_since_time(1, np.datetime64("2018-01-01T00:00:00"))
        queries = [call.request.url.split("?", 1)[1] for call in mock.calls]
    assert queries == [
        "product_id=1&limit=5&page=2",
        "product_id=1&timestamp=1514764800&limit=10",
        "product_id=1&timestamp=1514764800",
        "product_id=1&timestamp=1514764800",
    ]
