"""Orders: every amount goes on the wire as a plain decimal string."""

from __future__ import annotations

from decimal import Decimal

import pytest
import responses
from _helpers import API, ORDER, order_body, post_orders, sent
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        (Decimal("0.01"), "0.01"),
        (Decimal("0.010"), "0.010"),
        (Decimal("1E+2"), "100"),
        (Decimal("1E-8"), "0.00000001"),
        ("0.01", "0.01"),
        ("0.010", "0.010"),
        ("1e-5", "0.00001"),
        (" 2.5 ", "2.5"),
        (3, "3"),
        (10**20, "100000000000000000000"),
        (0.1, "0.1"),
        (1e-05, "0.00001"),
        (1e16, "10000000000000000"),
        (123.456, "123.456"),
    ],
)
def test_amounts_are_sent_as_plain_decimal_strings(client, mocked, amount, expected):
    post_orders(mocked)

    client.create_limit_buy(1, amount, amount)

    order = order_body(mocked)["order"]
    assert order["quantity"] == expected
    assert order["price"] == expected
    assert f'"quantity":"{expected}"' in sent(mocked).raw_body


def test_every_amount_field_is_a_plain_string(client, mocked):
    post_orders(mocked)

    client.create_order(
        "market_with_range",
        1,
        "buy",
        1e-05,
        Decimal("5E+2"),
        Decimal("1E+1"),
        take_profit=6e2,
        stop_loss=Decimal("4.5E+2"),
    )

    order = order_body(mocked)["order"]
    assert {
        k: order[k] for k in ("quantity", "price", "price_range", "take_profit", "stop_loss")
    } == {
        "quantity": "0.00001",
        "price": "500",
        "price_range": "10",
        "take_profit": "600.0",
        "stop_loss": "450",
    }


_decimals = st.one_of(
    st.decimals(
        min_value=Decimal("1e-18"),
        max_value=Decimal("1e12"),
        places=18,
        allow_nan=False,
        allow_infinity=False,
    ),
    st.builds(
        lambda digits, exponent: Decimal(digits).scaleb(exponent),
        st.integers(min_value=1, max_value=10**12),
        st.integers(min_value=-18, max_value=12),
    ).filter(lambda d: Decimal("1e-18") <= d <= Decimal("1e12") and d.as_tuple().exponent >= -18),
    st.decimals(
        min_value=Decimal("1e-18"),
        max_value=Decimal("1e12"),
        places=18,
        allow_nan=False,
        allow_infinity=False,
    ).map(lambda d: d.normalize()),
)


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(amount=_decimals)
def test_decimal_amounts_round_trip_without_exponent(client, amount):
    with responses.RequestsMock() as mock:
        mock.post(f"{API}/orders", json=ORDER)
        client.create_limit_sell(1, amount, amount)
        request = sent(mock)
    for field in ("quantity", "price"):
        text = request.body["order"][field]
        assert isinstance(text, str)
        assert "e" not in text and "E" not in text
        assert Decimal(text) == amount
    assert "E" not in request.raw_body and "e-" not in request.raw_body
