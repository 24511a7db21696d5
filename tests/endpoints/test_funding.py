"""Crypto and fiat withdrawals, bank accounts and deposits: the exact requests sent."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from _helpers import API, assert_rejected, assert_request, sent

from quoine.constants import WithdrawalState

# The harness's canary secret is shorter than PyJWT's recommended 32 bytes; decoding it in
# assert_signed warns, and the suite turns warnings into errors.

BAD_CURRENCIES = ["", None, "US D", 5]
BAD_IDS = [0, -1, "abc", 1.5, None, True, ""]
SEPT_1 = 1630454400  # 2021-09-01T00:00:00Z
ADDRESS = "bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh"


# -- crypto withdrawals --------------------------------------------------------------------


def test_get_crypto_withdrawals_all_parameters(client, mocked):
    answer = {
        "models": [{"id": 1, "state": "pending", "created_at": "1614718276"}],
        "current_page": "1",
        "total_pages": "1",
    }
    mocked.get(f"{API}/crypto_withdrawals", json=answer)

    assert (
        client.get_crypto_withdrawals(
            currency="BTC", address=ADDRESS, timestamp=SEPT_1, state="pending", limit=50, page=2
        )
        == answer
    )

    request = assert_request(
        mocked,
        "GET",
        "/crypto_withdrawals",
        [
            ("currency", "BTC"),
            ("address", ADDRESS),
            ("timestamp", str(SEPT_1)),
            ("state", "pending"),
            ("limit", "50"),
            ("page", "2"),
        ],
    )
    assert request.claims["path"] == request.path_url


def test_get_crypto_withdrawals_no_parameters(client, mocked):
    mocked.get(f"{API}/crypto_withdrawals", json={"models": []})

    assert client.get_crypto_withdrawals() == {"models": []}

    assert_request(mocked, "GET", "/crypto_withdrawals")


@pytest.mark.parametrize(
    "when",
    [
        SEPT_1,
        SEPT_1 + 0.5,
        str(SEPT_1),
        dt.datetime(2021, 9, 1),  # naive means UTC
        dt.datetime(2021, 9, 1, tzinfo=dt.timezone.utc),
        dt.datetime(2021, 8, 31, 20, tzinfo=dt.timezone(dt.timedelta(hours=-4))),
        "2021-09-01",
        "2021-09-01T09:00:00+09:00",
    ],
)
def test_get_crypto_withdrawals_timestamp_is_whole_seconds(client, mocked, when):
    mocked.get(f"{API}/crypto_withdrawals", json={"models": []})

    client.get_crypto_withdrawals(timestamp=when)

    assert sent(mocked).query == [("timestamp", str(SEPT_1))]


@pytest.mark.parametrize("state", [s.value for s in WithdrawalState] + ["to_be_reviewed"])
def test_get_crypto_withdrawals_states(client, mocked, state):
    mocked.get(f"{API}/crypto_withdrawals", json={"models": []})

    client.get_crypto_withdrawals(state=state)

    assert sent(mocked).query == [("state", state)]


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"timestamp": 1632493065665}, "milliseconds"),
        ({"timestamp": "1632493065665"}, "milliseconds"),
        ({"timestamp": "yesterday-ish"}, "timestamp"),
        ({"state": "done"}, "state"),
        ({"state": "PENDING"}, "state"),
        ({"state": ""}, "state"),
        ({"limit": 0}, "limit"),
        ({"limit": 1001}, "limit"),
        ({"page": 0}, "page"),
        ({"address": ""}, "address"),
        ({"currency": "US D"}, "currency"),
        ({"currency": 5}, "currency"),
    ],
)
def test_get_crypto_withdrawals_validation(client, mocked, kwargs, fragment):
    assert_rejected(mocked, fragment, client.get_crypto_withdrawals, **kwargs)


def test_iter_crypto_withdrawals_walks_pages_with_filters(client, mocked):
    mocked.get(
        f"{API}/crypto_withdrawals",
        json={"models": [{"id": 1}, {"id": 2}], "current_page": "1", "total_pages": "10000"},
    )
    mocked.get(f"{API}/crypto_withdrawals", json={"models": [{"id": 3}], "total_pages": "10000"})
    mocked.get(f"{API}/crypto_withdrawals", json={"models": [], "total_pages": "10000"})

    items = list(
        client.iter_crypto_withdrawals(
            currency="ETH", address=ADDRESS, timestamp="2021-09-01", state="processed"
        )
    )

    assert [item["id"] for item in items] == [1, 2, 3]
    assert len(mocked.calls) == 3
    for index in range(3):
        assert_request(
            mocked,
            "GET",
            "/crypto_withdrawals",
            [
                ("currency", "ETH"),
                ("address", ADDRESS),
                ("timestamp", str(SEPT_1)),
                ("state", "processed"),
                ("limit", "1000"),
                ("page", str(index + 1)),
            ],
            index=index,
        )


def test_iter_crypto_withdrawals_stops_on_first_empty_page(client, mocked):
    mocked.get(f"{API}/crypto_withdrawals", json={"models": [], "total_pages": 10000})

    assert list(client.iter_crypto_withdrawals()) == []
    assert sent(mocked).query == [("limit", "1000"), ("page", "1")]


def test_iter_crypto_withdrawals_bad_state_sends_nothing(client, mocked):
    assert_rejected(mocked, "state", lambda: list(client.iter_crypto_withdrawals(state="nope")))


def test_create_crypto_withdrawal_minimal(client, mocked):
    answer = {"id": 7, "state": "pending", "amount": "0.01"}
    mocked.post(f"{API}/crypto_withdrawals", json=answer)

    assert client.create_crypto_withdrawal("BTC", ADDRESS, "0.01") == answer

    request = assert_request(
        mocked,
        "POST",
        "/crypto_withdrawals",
        body={"crypto_withdrawal": {"currency": "BTC", "address": ADDRESS, "amount": "0.01"}},
    )
    assert request.headers["Content-Type"] == "application/json"


def test_create_crypto_withdrawal_all_options(client, mocked):
    mocked.post(f"{API}/crypto_withdrawals", json={"id": 8})

    client.create_crypto_withdrawal(
        "XLM",
        "GABC",
        Decimal("12.5"),
        network="Stellar",
        payment_id="tag-1",
        memo_type="text",
        memo_value="hello",
        auth_code="123456",
    )

    assert_request(
        mocked,
        "POST",
        "/crypto_withdrawals",
        body={
            "auth_code": "123456",
            "crypto_withdrawal": {
                "currency": "XLM",
                "address": "GABC",
                "amount": "12.5",
                "network": "Stellar",
                "payment_id": "tag-1",
                "memo_type": "text",
                "memo_value": "hello",
            },
        },
    )


@pytest.mark.parametrize(
    ("amount", "wire"),
    [(1e-05, "0.00001"), (Decimal("1E-8"), "0.00000001"), (3, "3"), ("0.10", "0.10")],
)
def test_create_crypto_withdrawal_amount_plain_string(client, mocked, amount, wire):
    mocked.post(f"{API}/crypto_withdrawals", json={"id": 9})

    client.create_crypto_withdrawal("BTC", ADDRESS, amount)

    request = sent(mocked)
    assert request.body["crypto_withdrawal"]["amount"] == wire
    assert f'"amount":"{wire}"' in request.raw_body


@pytest.mark.parametrize(
    ("args", "kwargs", "fragment"),
    [
        (("BTC", ADDRESS, "0.01"), {"memo_type": "memo"}, "memo_type"),
        (("BTC", ADDRESS, "0.01"), {"memo_type": "TEXT"}, "memo_type"),
        (("BTC", ADDRESS, "0.01"), {"network": ""}, "network"),
        (("BTC", ADDRESS, "0.01"), {"auth_code": ""}, "auth_code"),
        (("BTC", "", "0.01"), {}, "address"),
        (("BTC", None, "0.01"), {}, "address"),
        (("BTC", ADDRESS, "0"), {}, "amount"),
        (("BTC", ADDRESS, "-1"), {}, "amount"),
        (("BTC", ADDRESS, None), {}, "amount"),
        (("", ADDRESS, "0.01"), {}, "currency"),
        ((None, ADDRESS, "0.01"), {}, "currency"),
        (("B TC", ADDRESS, "0.01"), {}, "currency"),
    ],
)
def test_create_crypto_withdrawal_validation(client, mocked, args, kwargs, fragment):
    assert_rejected(mocked, fragment, client.create_crypto_withdrawal, *args, **kwargs)


def test_cancel_crypto_withdrawal_uses_singular_path(client, mocked):
    answer = {"id": 1234, "state": "cancelled"}
    mocked.put(f"{API}/crypto_withdrawal/1234/cancel", json=answer)

    assert client.cancel_crypto_withdrawal("1234") == answer

    request = assert_request(mocked, "PUT", "/crypto_withdrawal/1234/cancel")
    assert request.raw_body is None


@pytest.mark.parametrize("method", ["cancel_crypto_withdrawal", "cancel_withdrawal"])
@pytest.mark.parametrize("bad", BAD_IDS)
def test_cancel_bad_id(client, mocked, method, bad):
    assert_rejected(mocked, "withdrawal_id", getattr(client, method), bad)


# -- withdrawal addresses and networks -----------------------------------------------------


def test_get_crypto_withdrawal_addresses(client, mocked):
    answer = {"models": [{"id": 1, "address": ADDRESS}], "total_pages": 1}
    mocked.get(f"{API}/crypto_withdrawal_addresses", json=answer)

    assert client.get_crypto_withdrawal_addresses("BTC", limit=100, page=3) == answer

    assert_request(
        mocked,
        "GET",
        "/crypto_withdrawal_addresses",
        [("currency", "BTC"), ("limit", "100"), ("page", "3")],
    )


def test_get_crypto_withdrawal_addresses_currency_only(client, mocked):
    mocked.get(f"{API}/crypto_withdrawal_addresses", json={"models": []})

    client.get_crypto_withdrawal_addresses("ETH")

    assert_request(mocked, "GET", "/crypto_withdrawal_addresses", [("currency", "ETH")])


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (("",), "currency"),
        ((None,), "currency"),
        (("BTC", {"limit": 0}), "limit"),
        (("BTC", {"limit": 1001}), "limit"),
        (("BTC", {"page": 0}), "page"),
    ],
)
def test_get_crypto_withdrawal_addresses_validation(client, mocked, args, fragment):
    currency, *options = args
    call = client.get_crypto_withdrawal_addresses
    assert_rejected(mocked, fragment, call, currency, **(options[0] if options else {}))


def test_iter_crypto_withdrawal_addresses(client, mocked):
    mocked.get(
        f"{API}/crypto_withdrawal_addresses",
        json={"models": [{"id": 1}], "current_page": "1", "total_pages": "1"},
    )
    mocked.get(f"{API}/crypto_withdrawal_addresses", json={"models": [{"id": 2}, {"id": 3}]})
    mocked.get(f"{API}/crypto_withdrawal_addresses", json={"models": []})

    assert [a["id"] for a in client.iter_crypto_withdrawal_addresses("BTC")] == [1, 2, 3]

    for index in range(3):
        assert_request(
            mocked,
            "GET",
            "/crypto_withdrawal_addresses",
            [("currency", "BTC"), ("limit", "1000"), ("page", str(index + 1))],
            index=index,
        )


def test_get_crypto_networks(client, mocked):
    answer = [{"network": "ERC20", "currency": "USDT"}, {"network": "TRC20", "currency": "USDT"}]
    mocked.get(f"{API}/crypto_withdrawals/crypto_networks", json=answer)

    assert client.get_crypto_networks("USDT") == answer

    assert_request(mocked, "GET", "/crypto_withdrawals/crypto_networks", [("currency", "USDT")])


@pytest.mark.parametrize("bad", BAD_CURRENCIES)
def test_get_crypto_networks_bad_currency(client, mocked, bad):
    assert_rejected(mocked, "currency", client.get_crypto_networks, bad)


# -- fiat withdrawals ----------------------------------------------------------------------


def test_get_withdrawals_all_parameters(client, mocked):
    answer = {"models": [{"id": 77, "state": "pending"}], "total_pages": 1}
    mocked.get(f"{API}/withdrawals", json=answer)

    assert client.get_withdrawals(currency="JPY", state="declined", limit=10, page=1) == answer

    assert_request(
        mocked,
        "GET",
        "/withdrawals",
        [("currency", "JPY"), ("state", "declined"), ("limit", "10"), ("page", "1")],
    )


def test_get_withdrawals_no_parameters(client, mocked):
    mocked.get(f"{API}/withdrawals", json={"models": []})

    client.get_withdrawals()

    assert_request(mocked, "GET", "/withdrawals")


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"state": "done"}, "state"),
        ({"state": 1}, "state"),
        ({"limit": 0}, "limit"),
        ({"limit": 1001}, "limit"),
        ({"page": 0}, "page"),
        ({"currency": ""}, "currency"),
    ],
)
def test_get_withdrawals_validation(client, mocked, kwargs, fragment):
    assert_rejected(mocked, fragment, client.get_withdrawals, **kwargs)


def test_iter_withdrawals_walks_pages_with_filters(client, mocked):
    mocked.get(f"{API}/withdrawals", json={"models": [{"id": 1}], "total_pages": "10000"})
    mocked.get(f"{API}/withdrawals", json={"models": [{"id": 2}], "total_pages": "10000"})
    mocked.get(f"{API}/withdrawals", json={"models": []})

    assert [w["id"] for w in client.iter_withdrawals(currency="USD", state="pending")] == [1, 2]

    for index in range(3):
        assert_request(
            mocked,
            "GET",
            "/withdrawals",
            [
                ("currency", "USD"),
                ("state", "pending"),
                ("limit", "1000"),
                ("page", str(index + 1)),
            ],
            index=index,
        )


def test_create_withdrawal(client, mocked):
    answer = {"id": 77, "state": "pending"}
    mocked.post(f"{API}/withdrawals", json=answer)

    assert client.create_withdrawal("JPY", "10000", 42) == answer

    assert_request(
        mocked,
        "POST",
        "/withdrawals",
        body={"withdrawal": {"currency": "JPY", "amount": "10000", "bank_account_id": 42}},
    )


def test_create_withdrawal_with_auth_code_and_float(client, mocked):
    mocked.post(f"{API}/withdrawals", json={"id": 78})

    client.create_withdrawal("USD", 1e-05, "42", auth_code="654321")

    assert sent(mocked).body == {
        "auth_code": "654321",
        "withdrawal": {"currency": "USD", "amount": "0.00001", "bank_account_id": 42},
    }


@pytest.mark.parametrize(
    ("args", "kwargs", "fragment"),
    [
        (("JPY", "10000", 0), {}, "bank_account_id"),
        (("JPY", "10000", "x"), {}, "bank_account_id"),
        (("JPY", "0", 42), {}, "amount"),
        (("JPY", "ten", 42), {}, "amount"),
        (("", "10000", 42), {}, "currency"),
        (("JPY", "10000", 42), {"auth_code": ""}, "auth_code"),
    ],
)
def test_create_withdrawal_validation(client, mocked, args, kwargs, fragment):
    assert_rejected(mocked, fragment, client.create_withdrawal, *args, **kwargs)


def test_cancel_withdrawal(client, mocked):
    answer = {"id": 77, "state": "cancelled"}
    mocked.put(f"{API}/withdrawals/77/cancel", json=answer)

    assert client.cancel_withdrawal(77) == answer

    request = assert_request(mocked, "PUT", "/withdrawals/77/cancel")
    assert request.raw_body is None


# -- bank accounts and deposits ------------------------------------------------------------


def test_get_bank_accounts(client, mocked):
    answer = [{"id": 42, "bank": "MUFG"}]
    mocked.get(f"{API}/bank_accounts", json=answer)

    assert client.get_bank_accounts() == answer

    assert_request(mocked, "GET", "/bank_accounts")


def test_create_bank_account_minimal(client, mocked):
    answer = {"id": 43}
    mocked.post(f"{API}/bank_accounts", json=answer)

    assert client.create_bank_account("Taro Yamada", "MUFG", "1234567") == answer

    assert_request(
        mocked,
        "POST",
        "/bank_accounts",
        body={"acc_name": "Taro Yamada", "bank": "MUFG", "acc_number": "1234567"},  # flat
    )


def test_create_bank_account_all_fields(client, mocked):
    mocked.post(f"{API}/bank_accounts", json={"id": 44})

    client.create_bank_account(
        "Jane Doe",
        "DBS",
        "0012",
        currency="SGD",
        address="1 Main St",
        bank_branch="Raffles",
        swift="DBSSSGSG",
        bank_statement="statement.pdf",
    )

    assert sent(mocked).body == {
        "acc_name": "Jane Doe",
        "bank": "DBS",
        "acc_number": "0012",
        "currency": "SGD",
        "address": "1 Main St",
        "bank_branch": "Raffles",
        "swift": "DBSSSGSG",
        "bank_statement": "statement.pdf",
    }


@pytest.mark.parametrize(
    ("args", "kwargs", "fragment"),
    [
        (("", "MUFG", "1"), {}, "acc_name"),
        (("Taro", None, "1"), {}, "bank"),
        (("Taro", "MUFG", ""), {}, "acc_number"),
        (("Taro", "MUFG", "1"), {"currency": "J PY"}, "currency"),
        (("Taro", "MUFG", "1"), {"swift": ""}, "swift"),
    ],
)
def test_create_bank_account_validation(client, mocked, args, kwargs, fragment):
    assert_rejected(mocked, fragment, client.create_bank_account, *args, **kwargs)


def test_get_fund_infos(client, mocked):
    answer = {"models": [{"id": 5, "currency": "JPY"}]}
    mocked.get(f"{API}/fund_infos", json=answer)

    assert client.get_fund_infos(currency="JPY") == answer

    assert_request(mocked, "GET", "/fund_infos", [("currency", "JPY")])


def test_get_fund_infos_no_filter(client, mocked):
    mocked.get(f"{API}/fund_infos", json=[])

    assert client.get_fund_infos() == []

    assert_request(mocked, "GET", "/fund_infos")


def test_create_fund_info(client, mocked):
    answer = {"id": 6, "currency": "JPY", "amount": "50000"}
    mocked.post(f"{API}/fund_infos", json=answer)

    assert client.create_fund_info("JPY", "50000", bank_account_id=42) == answer

    assert_request(
        mocked,
        "POST",
        "/fund_infos",
        body={"fund_info": {"currency": "JPY", "amount": "50000", "bank_account_id": 42}},
    )


def test_create_fund_info_float_amount_drops_none_fields(client, mocked):
    mocked.post(f"{API}/fund_infos", json={"id": 7})

    client.create_fund_info("USD", 1e-05, note=None)

    assert sent(mocked).body == {"fund_info": {"currency": "USD", "amount": "0.00001"}}


@pytest.mark.parametrize(
    ("args", "fragment"),
    [(("", "1"), "currency"), (("JPY", "0"), "amount"), (("JPY", "x"), "amount")],
)
def test_create_fund_info_validation(client, mocked, args, fragment):
    assert_rejected(mocked, fragment, client.create_fund_info, *args)


@pytest.mark.parametrize("bad", ["", "J PY", 5])
def test_get_fund_infos_bad_currency(client, mocked, bad):
    assert_rejected(mocked, "currency", client.get_fund_infos, currency=bad)
