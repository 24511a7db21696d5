"""Lending (interest rate ladder, loan bids, loans): the exact requests sent."""

from __future__ import annotations

from decimal import Decimal

import pytest
import responses
from _helpers import API, assert_public, assert_rejected, assert_request, assert_signed, sent

from quoine.client import QuoineCredentialsError

BAD_CURRENCIES = ["", None, "US D", 5, " "]
BAD_IDS = [0, -1, "abc", 1.5, None, True, "", "1.0"]


# -- interest rate ladder (public) ---------------------------------------------------------


def test_get_interest_rate_ladder_is_public(client, mocked):
    answer = {"bids": [["0.00020", "23617.81698"]], "asks": [["0.00040", "50.0"]]}
    mocked.get(f"{API}/ir_ladders/USD", json=answer)

    assert client.get_interest_rate_ladder("USD") == answer

    request = assert_request(mocked, "GET", "/ir_ladders/USD", signed=False)
    assert request.raw_body is None


def test_get_interest_rate_ladder_without_credentials(public_client):
    with responses.RequestsMock() as mock:
        mock.get(f"{API}/ir_ladders/BTC", json={"bids": [], "asks": []})
        assert public_client.get_interest_rate_ladder("BTC") == {"bids": [], "asks": []}
        assert_public(sent(mock))


@pytest.mark.parametrize("bad", BAD_CURRENCIES)
def test_get_interest_rate_ladder_bad_currency(client, mocked, bad):
    assert_rejected(mocked, "currency", client.get_interest_rate_ladder, bad)


# -- loan bids -----------------------------------------------------------------------------


def test_create_loan_bid_positional_014_order(client, mocked):
    answer = {"id": 3580, "bidask_type": "limit", "quantity": "50.0", "status": "live"}
    mocked.post(f"{API}/loan_bids", json=answer)

    assert client.create_loan_bid("0.0002", "50", "USD") == answer

    request = assert_request(
        mocked,
        "POST",
        "/loan_bids",
        body={"loan_bid": {"rate": "0.0002", "quantity": "50", "currency": "USD"}},
    )
    assert request.headers["Content-Type"] == "application/json"


def test_create_loan_bid_keywords(client, mocked):
    mocked.post(f"{API}/loan_bids", json={"id": 1})

    client.create_loan_bid(currency="BTC", quantity="0.5", rate="0.0001")

    assert sent(mocked).body == {
        "loan_bid": {"rate": "0.0001", "quantity": "0.5", "currency": "BTC"}
    }


@pytest.mark.parametrize(
    ("rate", "quantity", "wire_rate", "wire_quantity"),
    [
        (Decimal("0.0002"), Decimal("50"), "0.0002", "50"),
        (1e-05, 2.5, "0.00001", "2.5"),
        ("0.00020", 50, "0.00020", "50"),
        (Decimal("2E-4"), Decimal("1E+2"), "0.0002", "100"),
    ],
)
def test_create_loan_bid_amounts_are_plain_strings(
    client, mocked, rate, quantity, wire_rate, wire_quantity
):
    mocked.post(f"{API}/loan_bids", json={"id": 1})

    client.create_loan_bid(rate, quantity, "USD")

    request = sent(mocked)
    assert request.body["loan_bid"]["rate"] == wire_rate
    assert request.body["loan_bid"]["quantity"] == wire_quantity
    assert "e-" not in request.raw_body.lower()
    assert "e+" not in request.raw_body.lower()


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"rate": "0", "quantity": "50", "currency": "USD"}, "rate"),
        ({"rate": "-0.0002", "quantity": "50", "currency": "USD"}, "rate"),
        ({"rate": "abc", "quantity": "50", "currency": "USD"}, "rate"),
        ({"rate": float("nan"), "quantity": "50", "currency": "USD"}, "rate"),
        ({"rate": "0.0002", "quantity": 0, "currency": "USD"}, "quantity"),
        ({"rate": "0.0002", "quantity": None, "currency": "USD"}, "quantity"),
        ({"rate": "0.0002", "quantity": True, "currency": "USD"}, "quantity"),
        ({"rate": "0.0002", "quantity": "50", "currency": "US D"}, "currency"),
        ({"rate": "0.0002", "quantity": "50", "currency": ""}, "currency"),
        ({"rate": "0.0002", "quantity": "50", "currency": None}, "currency"),
        ({"rate": "0.0002", "quantity": "50", "currency": 5}, "currency"),
    ],
)
def test_create_loan_bid_validation(client, mocked, kwargs, fragment):
    assert_rejected(mocked, fragment, client.create_loan_bid, **kwargs)


def test_get_loan_bid_positional_014_order(client, mocked):
    answer = {"models": [{"id": 3580}], "current_page": 2, "total_pages": 5}
    mocked.get(f"{API}/loan_bids", json=answer)

    assert client.get_loan_bid("USD", 10, 2) == answer

    request = assert_request(
        mocked, "GET", "/loan_bids", [("currency", "USD"), ("limit", "10"), ("page", "2")]
    )
    assert request.raw_body is None
    assert request.claims["path"] == "/loan_bids?currency=USD&limit=10&page=2"


def test_get_loan_bid_only_currency(client, mocked):
    mocked.get(f"{API}/loan_bids", json={"models": []})

    client.get_loan_bid("BTC")

    assert_request(mocked, "GET", "/loan_bids", [("currency", "BTC")])
    assert_signed(sent(mocked))


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"limit": 0}, "limit"),
        ({"limit": 1001}, "limit"),
        ({"limit": -5}, "limit"),
        ({"limit": 2.5}, "limit"),
        ({"page": 0}, "page"),
        ({"page": -1}, "page"),
        ({"page": "x"}, "page"),
    ],
)
def test_get_loan_bid_bad_limit_or_page(client, mocked, kwargs, fragment):
    assert_rejected(mocked, fragment, client.get_loan_bid, "USD", **kwargs)


@pytest.mark.parametrize("bad", BAD_CURRENCIES)
def test_get_loan_bid_bad_currency(client, mocked, bad):
    assert_rejected(mocked, "currency", client.get_loan_bid, bad)


def test_iter_loan_bids_walks_pages_until_empty(client, mocked):
    # total_pages is a string sentinel: only the empty page may stop the walk
    mocked.get(
        f"{API}/loan_bids",
        json={"models": [{"id": 1}, {"id": 2}], "current_page": "1", "total_pages": "10000"},
    )
    mocked.get(f"{API}/loan_bids", json={"models": [{"id": 3}], "total_pages": "10000"})
    mocked.get(f"{API}/loan_bids", json={"models": [], "total_pages": "10000"})

    assert [bid["id"] for bid in client.iter_loan_bids("USD")] == [1, 2, 3]

    assert len(mocked.calls) == 3
    for index, page in enumerate(("1", "2", "3")):
        request = sent(mocked, index)
        assert (request.method, request.path) == ("GET", "/loan_bids")
        assert request.query == [("currency", "USD"), ("limit", "1000"), ("page", page)]
        assert_signed(request)


def test_iter_loan_bids_does_not_stop_at_total_pages(client, mocked):
    mocked.get(f"{API}/loan_bids", json={"models": [{"id": 1}], "total_pages": 1})
    mocked.get(f"{API}/loan_bids", json={"models": [{"id": 2}], "total_pages": 1})
    mocked.get(f"{API}/loan_bids", json={"models": [], "total_pages": 1})

    assert [bid["id"] for bid in client.iter_loan_bids("USD", limit=1)] == [1, 2]
    assert [sent(mocked, i).query[1:] for i in range(3)] == [
        [("limit", "1"), ("page", "1")],
        [("limit", "1"), ("page", "2")],
        [("limit", "1"), ("page", "3")],
    ]


def test_iter_loan_bids_bad_currency_sends_nothing(client, mocked):
    assert_rejected(mocked, "currency", lambda: list(client.iter_loan_bids("US D")))


def test_close_loan_bid(client, mocked):
    answer = {"id": 3580, "status": "closed"}
    mocked.put(f"{API}/loan_bids/3580/close", json=answer)

    assert client.close_loan_bid(3580) == answer

    request = assert_request(mocked, "PUT", "/loan_bids/3580/close")
    assert request.raw_body is None


def test_close_loan_bid_accepts_digit_string(client, mocked):
    mocked.put(f"{API}/loan_bids/42/close", json={"id": 42})

    client.close_loan_bid("42")

    assert sent(mocked).path == "/loan_bids/42/close"


@pytest.mark.parametrize("bad", BAD_IDS)
def test_close_loan_bid_bad_id(client, mocked, bad):
    assert_rejected(mocked, "loan_bid_id", client.close_loan_bid, bad)


# -- loans ---------------------------------------------------------------------------------


def test_get_loans_positional_014_order(client, mocked):
    answer = {"models": [{"id": 144825, "rate": 0.0002}], "current_page": 1, "total_pages": 1}
    mocked.get(f"{API}/loans", json=answer)

    result = client.get_loans("USD", 20, 1)

    assert result["models"][0]["id"] == 144825
    assert result["models"][0]["rate"] == Decimal("0.0002")  # floats decode exactly
    assert_request(mocked, "GET", "/loans", [("currency", "USD"), ("limit", "20"), ("page", "1")])


def test_get_loans_only_currency(client, mocked):
    mocked.get(f"{API}/loans", json={"models": []})

    assert client.get_loans("JPY") == {"models": []}

    assert_request(mocked, "GET", "/loans", [("currency", "JPY")])


def test_get_loans_limit_zero_raises_instead_of_being_dropped(client, mocked):
    # python-quoine 0.1.4 silently dropped limit=0 (``if limit:``)
    assert_rejected(mocked, "limit", client.get_loans, "USD", 0)


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (("USD", 1001), "limit"),
        (("USD", None, 0), "page"),
        ((None,), "currency"),
        (("",), "currency"),
        ((5,), "currency"),
    ],
)
def test_get_loans_validation(client, mocked, args, fragment):
    assert_rejected(mocked, fragment, client.get_loans, *args)


def test_iter_loans_walks_pages_until_empty(client, mocked):
    mocked.get(f"{API}/loans", json={"models": [{"id": 10}, {"id": 11}], "total_pages": "1"})
    mocked.get(f"{API}/loans", json={"models": [{"id": 12}], "total_pages": "1"})
    mocked.get(f"{API}/loans", json={"models": []})

    assert [loan["id"] for loan in client.iter_loans("BTC")] == [10, 11, 12]

    assert [sent(mocked, i).query for i in range(3)] == [
        [("currency", "BTC"), ("limit", "1000"), ("page", str(page))] for page in (1, 2, 3)
    ]
    for i in range(3):
        assert_signed(sent(mocked, i))


def test_iter_loans_stops_on_first_empty_page(client, mocked):
    mocked.get(f"{API}/loans", json={"models": [], "current_page": 1, "total_pages": 10000})

    assert list(client.iter_loans("USD")) == []
    assert len(mocked.calls) == 1


def test_iter_loans_limit_zero_raises(client, mocked):
    assert_rejected(mocked, "limit", lambda: list(client.iter_loans("USD", limit=0)))


@pytest.mark.parametrize("flag", [True, False])
def test_update_loan_flat_body(client, mocked, flag):
    answer = {"id": 144825, "fund_reloaned": flag}
    mocked.put(f"{API}/loans/144825", json=answer)

    assert client.update_loan(144825, flag) == answer

    request = assert_request(mocked, "PUT", "/loans/144825", body={"fund_reloaned": flag})
    assert request.raw_body == f'{{"fund_reloaned":{"true" if flag else "false"}}}'


def test_update_loan_keyword(client, mocked):
    mocked.put(f"{API}/loans/7", json={"id": 7})

    client.update_loan(loan_id="7", fund_reloaned=False)

    assert sent(mocked).body == {"fund_reloaned": False}


def test_update_loan_without_fund_reloaned_raises(client, mocked):
    # 0.1.4 sent {"fund_reloaned": null}
    assert_rejected(mocked, "fund_reloaned", client.update_loan, 144825)


@pytest.mark.parametrize("bad", ["true", 1, 0, "yes"])
def test_update_loan_non_bool_flag_raises(client, mocked, bad):
    assert_rejected(mocked, "fund_reloaned", client.update_loan, 1, bad)


@pytest.mark.parametrize("bad", BAD_IDS)
def test_update_loan_bad_id(client, mocked, bad):
    assert_rejected(mocked, "loan_id", client.update_loan, bad, True)


def test_signed_lending_calls_need_credentials(public_client):
    with responses.RequestsMock() as mock:
        with pytest.raises(QuoineCredentialsError):
            public_client.get_loans("USD")
        assert len(mock.calls) == 0
