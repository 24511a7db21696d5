"""Margin trading accounts and leverage: the exact requests sent."""

from __future__ import annotations

import pytest
from _helpers import API, assert_rejected, assert_request, sent

# The harness's canary secret is shorter than PyJWT's recommended 32 bytes; decoding it in
# assert_signed warns, and the suite turns warnings into errors.

BAD_IDS = [0, -1, "abc", 1.5, None, True, "", "-3"]


def test_get_trading_accounts(client, mocked):
    answer = [{"id": 1759, "leverage_level": 10, "product_id": 1, "equity": "1000.0"}]
    mocked.get(f"{API}/trading_accounts", json=answer)

    assert client.get_trading_accounts() == answer

    request = assert_request(mocked, "GET", "/trading_accounts")
    assert request.raw_body is None


def test_get_trading_account(client, mocked):
    answer = {"id": 1759, "leverage_level": 10}
    mocked.get(f"{API}/trading_accounts/1759", json=answer)

    assert client.get_trading_account(1759) == answer

    request = assert_request(mocked, "GET", "/trading_accounts/1759")
    assert request.claims["path"] == "/trading_accounts/1759"


def test_get_trading_account_digit_string(client, mocked):
    mocked.get(f"{API}/trading_accounts/12", json={"id": 12})

    client.get_trading_account("12")

    assert_request(mocked, "GET", "/trading_accounts/12")


@pytest.mark.parametrize("bad", BAD_IDS)
def test_get_trading_account_bad_id(client, mocked, bad):
    assert_rejected(mocked, "account_id", client.get_trading_account, bad)


def test_update_leverage_level_positional_014(client, mocked):
    answer = {"id": 1759, "leverage_level": 10}
    mocked.put(f"{API}/trading_accounts/1759", json=answer)

    assert client.update_leverage_level(1759, client.LEVERAGE_LEVEL_10) == answer

    request = assert_request(
        mocked,
        "PUT",
        "/trading_accounts/1759",
        body={"trading_account": {"leverage_level": 10}},
    )
    assert request.raw_body == '{"trading_account":{"leverage_level":10}}'
    assert request.headers["Content-Type"] == "application/json"


@pytest.mark.parametrize("level", [2, 4, 5, 25, "25"])
def test_update_leverage_level_sends_an_int(client, mocked, level):
    mocked.put(f"{API}/trading_accounts/3", json={"id": 3})

    client.update_leverage_level(account_id=3, leverage_level=level)

    assert sent(mocked).body == {"trading_account": {"leverage_level": int(level)}}


@pytest.mark.parametrize("bad", [0, -2, 2.5, None, True, "ten"])
def test_update_leverage_level_bad_level(client, mocked, bad):
    assert_rejected(mocked, "leverage_level", client.update_leverage_level, 1759, bad)


@pytest.mark.parametrize("bad", BAD_IDS)
def test_update_leverage_level_bad_account(client, mocked, bad):
    assert_rejected(mocked, "account_id", client.update_leverage_level, bad, 10)


def test_get_leverage_limitation(client, mocked):
    mocked.get(f"{API}/users/leverage_limitation", json=[100, 50, 25, 10, 5, 4, 2])

    assert client.get_leverage_limitation() == [100, 50, 25, 10, 5, 4, 2]

    assert_request(mocked, "GET", "/users/leverage_limitation")
