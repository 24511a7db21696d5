"""Orders: the typed exceptions raised for the exchange's order errors."""

from __future__ import annotations

import pytest
from _helpers import API, SECRET

from quoine.exceptions import (
    QuoineAPIException,
    QuoineInsufficientFunds,
    QuoineInvalidOrder,
    QuoineNotFoundError,
    QuoineOrderNotFound,
    QuoineUnprocessableError,
)


def test_cancel_missing_order_raises_order_not_found(client, mocked):
    mocked.put(f"{API}/orders/123/cancel", status=404, json={"message": "Order not found"})

    with pytest.raises(QuoineOrderNotFound) as caught:
        client.cancel_order(123)

    error = caught.value
    assert isinstance(error, QuoineNotFoundError)
    assert isinstance(error, QuoineAPIException)
    assert error.status_code == 404
    assert error.message == "Order not found"
    assert error.messages == {"message": "Order not found"}  # 0.1.4 meaning
    assert SECRET not in str(error) and SECRET not in repr(error)
    assert error.request.headers["X-Quoine-Auth"] == "***"
    assert len(mocked.calls) == 1


def test_create_order_insufficient_funds(client, mocked):
    body = {"errors": {"user": ["not_enough_free_balance"]}}
    mocked.post(f"{API}/orders", status=422, json=body)

    with pytest.raises(QuoineInsufficientFunds) as caught:
        client.create_limit_buy(1, "100", "500")

    error = caught.value
    assert isinstance(error, QuoineUnprocessableError)
    assert isinstance(error, QuoineAPIException)
    assert error.status_code == 422
    assert error.errors == {"user": ["not_enough_free_balance"]}
    assert error.code == "not_enough_free_balance"
    assert error.messages == {"user": ["not_enough_free_balance"]}
    assert "not_enough_free_balance" in str(error)
    assert SECRET not in str(error)


def test_create_order_too_small_raises_invalid_order(client, mocked):
    mocked.post(
        f"{API}/orders", status=422, json={"errors": {"quantity": ["less_than_order_size"]}}
    )

    with pytest.raises(QuoineInvalidOrder) as caught:
        client.create_order("limit", 1, "buy", "0.0000001", "500")

    error = caught.value
    assert not isinstance(error, QuoineInsufficientFunds)
    assert isinstance(error, QuoineAPIException)
    assert error.code == "less_than_order_size"
    assert error.messages == {"quantity": ["less_than_order_size"]}


def test_update_partially_filled_order_raises_invalid_order(client, mocked):
    body = {"errors": {"order": ["Can not update partially filled order"]}}
    mocked.put(f"{API}/orders/123", status=422, json=body)

    with pytest.raises(QuoineInvalidOrder):
        client.update_live_order(123, price="510")
