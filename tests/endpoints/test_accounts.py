"""Accounts, balances, transactions and balance history: the exact requests sent."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from _helpers import API, assert_rejected, assert_request, sent

# The harness's canary secret is shorter than PyJWT's recommended 32 bytes; decoding it in
# assert_signed warns, and the suite turns warnings into errors.

BAD_CURRENCIES = ["", None, "US D", 5, " ", "US-D"]
# 2021-09-01T00:00:00Z
SEPT_1 = 1630454400


# -- simple signed reads -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "answer"),
    [
        ("get_fiat_accounts", "/fiat_accounts", [{"id": 4695, "currency": "USD"}]),
        ("get_crypto_accounts", "/crypto_accounts", [{"id": 4668, "currency": "BTC"}]),
        ("get_account_balances", "/accounts/balance", [{"currency": "BTC", "balance": "0.1"}]),
        ("get_main_asset", "/accounts/main_asset", {"currency": "USD", "total_amount": "1.0"}),
        ("get_accounts", "/accounts", {"fiat_accounts": [], "crypto_accounts": []}),
    ],
)
def test_signed_reads_without_arguments(client, mocked, method, path, answer):
    mocked.get(f"{API}{path}", json=answer)

    assert getattr(client, method)() == answer

    request = assert_request(mocked, "GET", path)
    assert request.raw_body is None
    assert request.claims["path"] == path


def test_balances_decode_floats_as_decimal(client, mocked):
    mocked.get(f"{API}/fiat_accounts", json=[{"currency": "USD", "balance": 0.08457}])

    balance = client.get_fiat_accounts()[0]["balance"]

    assert isinstance(balance, Decimal)
    assert balance == Decimal("0.08457")


# -- create_fiat_account -------------------------------------------------------------------


def test_create_fiat_account_flat_body(client, mocked):
    answer = {"id": 5595, "currency": "SGD", "balance": "0.0"}
    mocked.post(f"{API}/fiat_accounts", json=answer)

    assert client.create_fiat_account("SGD") == answer

    request = assert_request(mocked, "POST", "/fiat_accounts", body={"currency": "SGD"})
    assert request.raw_body == '{"currency":"SGD"}'
    assert request.headers["Content-Type"] == "application/json"
    assert request.claims["path"] == "/fiat_accounts"


@pytest.mark.parametrize("bad", BAD_CURRENCIES)
def test_create_fiat_account_bad_currency(client, mocked, bad):
    assert_rejected(mocked, "currency", client.create_fiat_account, bad)


# -- one currency --------------------------------------------------------------------------


def test_get_account(client, mocked):
    answer = {"id": 4668, "currency": "BTC", "balance": "1.5", "reserved_balance": "0.5"}
    mocked.get(f"{API}/accounts/BTC", json=answer)

    assert client.get_account("BTC") == answer

    assert_request(mocked, "GET", "/accounts/BTC")


def test_get_reserved_balance_details(client, mocked):
    answer = [{"object_type": "Order", "object_id": 1, "amount": "10.0"}]
    mocked.get(f"{API}/accounts/USD/reserved_balance_details", json=answer)

    assert client.get_reserved_balance_details("USD") == answer

    assert_request(mocked, "GET", "/accounts/USD/reserved_balance_details")


@pytest.mark.parametrize("method", ["get_account", "get_reserved_balance_details"])
@pytest.mark.parametrize("bad", BAD_CURRENCIES)
def test_currency_path_methods_reject_bad_codes(client, mocked, method, bad):
    assert_rejected(mocked, "currency", getattr(client, method), bad)


# -- transactions --------------------------------------------------------------------------


def test_get_transactions_all_parameters(client, mocked):
    answer = {"models": [{"id": 1, "transaction_type": "loan"}], "total_pages": 1}
    mocked.get(f"{API}/transactions", json=answer)

    assert (
        client.get_transactions(
            currency="USD", transaction_type=["loan", "repay"], limit=50, page=2
        )
        == answer
    )

    request = assert_request(
        mocked,
        "GET",
        "/transactions",
        [
            ("currency", "USD"),
            ("transaction_type", "loan,repay"),
            ("limit", "50"),
            ("page", "2"),
        ],
    )
    assert request.claims["path"] == (
        "/transactions?currency=USD&transaction_type=loan%2Crepay&limit=50&page=2"
    )


def test_get_transactions_no_parameters(client, mocked):
    mocked.get(f"{API}/transactions", json={"models": []})

    assert client.get_transactions() == {"models": []}

    assert_request(mocked, "GET", "/transactions")


def test_get_transactions_single_type_string(client, mocked):
    mocked.get(f"{API}/transactions", json={"models": []})

    client.get_transactions(transaction_type="interest_transfer")

    assert_request(mocked, "GET", "/transactions", [("transaction_type", "interest_transfer")])


def test_get_transactions_type_tuple(client, mocked):
    mocked.get(f"{API}/transactions", json={"models": []})

    client.get_transactions(transaction_type=("loan", "repay", "loan_fee"))

    assert sent(mocked).query == [("transaction_type", "loan,repay,loan_fee")]


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"transaction_type": []}, "transaction_type"),
        ({"transaction_type": ()}, "transaction_type"),
        ({"transaction_type": ""}, "transaction_type"),
        ({"transaction_type": ["loan", ""]}, "transaction_type"),
        ({"transaction_type": ["loan", 3]}, "transaction_type"),
        ({"limit": 0}, "limit"),
        ({"limit": 1001}, "limit"),
        ({"page": 0}, "page"),
        ({"currency": "US D"}, "currency"),
        ({"currency": ""}, "currency"),
        ({"currency": 5}, "currency"),
    ],
)
def test_get_transactions_validation(client, mocked, kwargs, fragment):
    assert_rejected(mocked, fragment, client.get_transactions, **kwargs)


def test_iter_transactions_walks_pages_with_filters(client, mocked):
    mocked.get(
        f"{API}/transactions",
        json={"models": [{"id": 1}, {"id": 2}], "current_page": "1", "total_pages": "10000"},
    )
    mocked.get(f"{API}/transactions", json={"models": [{"id": 3}], "total_pages": "10000"})
    mocked.get(f"{API}/transactions", json={"models": [], "total_pages": "10000"})

    items = list(client.iter_transactions(currency="BTC", transaction_type=["loan", "repay"]))

    assert [item["id"] for item in items] == [1, 2, 3]
    assert len(mocked.calls) == 3
    for index in range(3):
        assert_request(
            mocked,
            "GET",
            "/transactions",
            [
                ("currency", "BTC"),
                ("transaction_type", "loan,repay"),
                ("limit", "1000"),
                ("page", str(index + 1)),
            ],
            index=index,
        )


def test_iter_transactions_no_filters_custom_limit(client, mocked):
    mocked.get(f"{API}/transactions", json={"models": [{"id": 1}], "total_pages": 1})
    mocked.get(f"{API}/transactions", json={"models": [{"id": 2}], "total_pages": 1})
    mocked.get(f"{API}/transactions", json={"models": []})

    assert [item["id"] for item in client.iter_transactions(limit=1)] == [1, 2]
    assert [sent(mocked, i).query for i in range(3)] == [
        [("limit", "1"), ("page", str(page))] for page in (1, 2, 3)
    ]


def test_iter_transactions_empty_type_list_sends_nothing(client, mocked):
    assert_rejected(
        mocked, "transaction_type", lambda: list(client.iter_transactions(transaction_type=[]))
    )


# -- balance history -----------------------------------------------------------------------


def test_get_balance_history_all_parameters(client, mocked):
    answer = {
        "models": [
            {
                "id": 1,
                "currency": "USD",
                "amount": "-10.0",
                "timestamp": "1632493065.665",
                "balance": "90.0",
            }
        ]
    }
    mocked.get(f"{API}/balance_history", json=answer)

    result = client.get_balance_history(
        currency="USD",
        source_action="trade",
        source_object_type="Order",
        source_object_id="123",
        source_group="trading",
        timestamp_gte=SEPT_1,
        timestamp_lte=SEPT_1 + 86400,
        limit=10,
    )

    assert result == answer
    assert_request(
        mocked,
        "GET",
        "/balance_history",
        [
            ("currency", "USD"),
            ("source_action", "trade"),
            ("source_object_type", "Order"),
            ("source_object_id", "123"),
            ("source_group", "trading"),
            ("timestamp_gte", str(SEPT_1)),
            ("timestamp_lte", str(SEPT_1 + 86400)),
            ("limit", "10"),
        ],
    )


def test_get_balance_history_no_parameters(client, mocked):
    mocked.get(f"{API}/balance_history", json={"models": []})

    assert client.get_balance_history() == {"models": []}

    assert_request(mocked, "GET", "/balance_history")


@pytest.mark.parametrize(
    "when",
    [
        SEPT_1,
        float(SEPT_1) + 0.9,
        str(SEPT_1),
        dt.datetime(2021, 9, 1),  # naive means UTC
        dt.datetime(2021, 9, 1, tzinfo=dt.timezone.utc),
        dt.datetime(2021, 9, 1, 9, tzinfo=dt.timezone(dt.timedelta(hours=9))),
        dt.date(2021, 9, 1),
        "2021-09-01",
        "2021-09-01T09:00:00+09:00",
        "2021-09-01T00:00:00Z",
    ],
)
def test_get_balance_history_times_become_whole_unix_seconds(client, mocked, when):
    mocked.get(f"{API}/balance_history", json={"models": []})

    client.get_balance_history(timestamp_gte=when, timestamp_lte=when)

    assert sent(mocked).query == [
        ("timestamp_gte", str(SEPT_1)),
        ("timestamp_lte", str(SEPT_1)),
    ]


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"timestamp_gte": 1632493065665}, "milliseconds"),
        ({"timestamp_lte": "1632493065665"}, "milliseconds"),
        ({"timestamp_gte": "not a date"}, "timestamp_gte"),
        ({"timestamp_lte": -1}, "timestamp_lte"),
        ({"timestamp_gte": True}, "timestamp_gte"),
        ({"limit": 9}, "10 and 1000"),
        ({"limit": 1}, "10 and 1000"),
        ({"limit": "5"}, "10 and 1000"),
        ({"limit": 0}, "limit"),
        ({"limit": 1001}, "limit"),
        ({"source_object_id": 0}, "source_object_id"),
        ({"currency": "US D"}, "currency"),
        ({"currency": ""}, "currency"),
    ],
)
def test_get_balance_history_validation(client, mocked, kwargs, fragment):
    assert_rejected(mocked, fragment, client.get_balance_history, **kwargs)


@pytest.mark.parametrize(("limit", "wire"), [(10, "10"), ("25", "25"), (1000, "1000")])
def test_get_balance_history_limit_bounds(client, mocked, limit, wire):
    mocked.get(f"{API}/balance_history", json={"models": []})

    client.get_balance_history(limit=limit)

    assert sent(mocked).query == [("limit", wire)]
