"""Fees: public schedule, the user's tier and fees, and estimates: the exact requests sent."""

from __future__ import annotations

from decimal import Decimal

import pytest
import responses
from _helpers import API, assert_public, assert_rejected, assert_request, sent

from quoine.client import QuoineCredentialsError

RULES = [
    {
        "id": 1,
        "fee_type": "trade_fee",
        "conditions": {"currency_pair_code": "BTCUSD"},
        "charge_type": "percentage",
        "charge_value": "0.003",
    }
]


def test_get_fees_is_public(client, mocked):
    mocked.get(f"{API}/fees", json=RULES)

    assert client.get_fees() == RULES

    assert_request(mocked, "GET", "/fees", signed=False)


def test_get_fees_with_type(client, mocked):
    mocked.get(f"{API}/fees", json=RULES)

    assert client.get_fees(fee_type="trade_fee") == RULES

    assert_request(mocked, "GET", "/fees", [("fee_type", "trade_fee")], signed=False)


def test_get_fees_without_credentials(public_client):
    with responses.RequestsMock() as mock:
        mock.get(f"{API}/fees", json=[])
        assert public_client.get_fees(fee_type="withdrawal_fee") == []
        assert_public(sent(mock))


@pytest.mark.parametrize("method", ["get_fees", "get_user_fees"])
@pytest.mark.parametrize("bad", ["", 5])
def test_fee_type_must_be_non_empty_string(client, mocked, method, bad):
    assert_rejected(mocked, "fee_type", getattr(client, method), fee_type=bad)


def test_get_fee_tier(client, mocked):
    answer = {
        "fee_tier": 2,
        "from_time": "2021-08-01T00:00:00Z",
        "to_time": "2021-08-31T00:00:00Z",
        "currency_pair_volume": "100000.0",
    }
    mocked.get(f"{API}/user/fee_tier", json=answer)

    assert client.get_fee_tier() == answer

    assert_request(mocked, "GET", "/user/fee_tier")


def test_get_user_fees(client, mocked):
    mocked.get(f"{API}/user/fees", json=RULES)

    assert client.get_user_fees(fee_type="trade_fee_commission") == RULES

    request = assert_request(mocked, "GET", "/user/fees", [("fee_type", "trade_fee_commission")])
    assert request.claims["path"] == "/user/fees?fee_type=trade_fee_commission"


def test_get_user_fees_no_type(client, mocked):
    mocked.get(f"{API}/user/fees", json=RULES)

    client.get_user_fees()

    assert_request(mocked, "GET", "/user/fees")


def test_user_fee_calls_need_credentials(public_client):
    with responses.RequestsMock() as mock:
        with pytest.raises(QuoineCredentialsError):
            public_client.get_fee_tier()
        assert len(mock.calls) == 0


def test_estimate_fees_create_order(client, mocked):
    answer = {"fee_options": {"default": [{"fee_type": "trade_fee", "amount": "0.015"}]}}
    mocked.post(f"{API}/fees/estimate", json=answer)

    result = client.estimate_fees(
        "create_order",
        product_id=1,
        side="buy",
        quantity=Decimal("0.01"),
        price=500.5,
        order_type="limit",
        trading_type="spot",
    )

    assert result == answer
    request = assert_request(
        mocked,
        "POST",
        "/fees/estimate",
        body={
            "for_action": "create_order",
            "for_params": {
                "product_id": 1,
                "side": "buy",
                "quantity": "0.01",
                "price": "500.5",
                "order_type": "limit",
                "trading_type": "spot",
            },
        },
    )
    assert request.headers["Content-Type"] == "application/json"
    assert request.claims["path"] == "/fees/estimate"


def test_estimate_fees_converts_only_decimal_and_float(client, mocked):
    mocked.post(f"{API}/fees/estimate", json={"fee_options": {}})

    client.estimate_fees(
        "withdraw",
        currency="BTC",
        amount=1e-05,
        small=Decimal("1E-8"),
        big=Decimal("1E+3"),
        bank_account_id=42,
        quantity="0.50",
        flag=True,
        nothing=None,
    )

    request = sent(mocked)
    assert request.body == {
        "for_action": "withdraw",
        "for_params": {
            "currency": "BTC",
            "amount": "0.00001",
            "small": "0.00000001",
            "big": "1000",
            "bank_account_id": 42,  # an int stays an int
            "quantity": "0.50",  # a str is sent as given
            "flag": True,
            "nothing": None,
        },
    }
    assert "e-" not in request.raw_body.lower()


def test_estimate_fees_without_params(client, mocked):
    mocked.post(f"{API}/fees/estimate", json={"fee_options": {}})

    client.estimate_fees("withdraw")

    assert sent(mocked).body == {"for_action": "withdraw", "for_params": {}}


@pytest.mark.parametrize("bad", ["cancel_order", "", None, "CREATE_ORDER", "deposit"])
def test_estimate_fees_bad_action(client, mocked, bad):
    assert_rejected(mocked, "for_action", client.estimate_fees, bad, product_id=1)


@pytest.mark.parametrize("bad", [float("nan"), Decimal("Infinity")])
def test_estimate_fees_bad_decimal_param(client, mocked, bad):
    assert_rejected(mocked, "quantity", client.estimate_fees, "create_order", quantity=bad)
