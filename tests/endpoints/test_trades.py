"""Margin positions ("trades"): the exact requests sent."""

from __future__ import annotations

from decimal import Decimal

import pytest
from _helpers import API, assert_rejected, assert_request, sent

from quoine.constants import TradeSide, TradeStatus, TradingType

# The harness's canary secret is shorter than PyJWT's recommended 32 bytes; decoding it in
# assert_signed warns, and the suite turns warnings into errors.

BAD_IDS = [0, -1, "abc", 1.5, None, True, ""]


# -- get_trades / iter_trades --------------------------------------------------------------


def test_get_trades_positional_014_order(client, mocked):
    answer = {"models": [{"id": 57896, "pnl": "0.0"}], "current_page": 1, "total_pages": 1}
    mocked.get(f"{API}/trades", json=answer)

    assert client.get_trades("USD", "open", 20, 1) == answer

    request = assert_request(
        mocked,
        "GET",
        "/trades",
        [("funding_currency", "USD"), ("status", "open"), ("limit", "20"), ("page", "1")],
    )
    assert request.claims["path"] == "/trades?funding_currency=USD&status=open&limit=20&page=1"


def test_get_trades_no_filters(client, mocked):
    mocked.get(f"{API}/trades", json={"models": []})

    assert client.get_trades() == {"models": []}

    assert_request(mocked, "GET", "/trades")


def test_get_trades_all_filters(client, mocked):
    mocked.get(f"{API}/trades", json={"models": []})

    client.get_trades(
        "JPY",
        TradeStatus.CLOSED,
        5,
        3,
        product_id="5",
        side=TradeSide.SHORT,
        trading_type=TradingType.CFD,
    )

    assert_request(
        mocked,
        "GET",
        "/trades",
        [
            ("funding_currency", "JPY"),
            ("status", "closed"),
            ("product_id", "5"),
            ("side", "short"),
            ("trading_type", "cfd"),
            ("limit", "5"),
            ("page", "3"),
        ],
    )


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"limit": 0}, "limit"),
        ({"limit": 1001}, "limit"),
        ({"page": 0}, "page"),
        ({"status": "live"}, "status"),
        ({"status": "OPEN"}, "status"),
        ({"status": ""}, "status"),
        ({"side": "buy"}, "side"),
        ({"side": "LONG"}, "side"),
        ({"trading_type": "futures"}, "trading_type"),
        ({"product_id": 0}, "product_id"),
        ({"product_id": "x"}, "product_id"),
        ({"funding_currency": ""}, "funding_currency"),
        ({"funding_currency": "US D"}, "funding_currency"),
        ({"funding_currency": 5}, "funding_currency"),
    ],
)
def test_get_trades_validation(client, mocked, kwargs, fragment):
    assert_rejected(mocked, fragment, client.get_trades, **kwargs)


def test_iter_trades_walks_pages_with_filters(client, mocked):
    mocked.get(
        f"{API}/trades",
        json={"models": [{"id": 1}, {"id": 2}], "current_page": "1", "total_pages": "10000"},
    )
    mocked.get(f"{API}/trades", json={"models": [{"id": 3}], "total_pages": "10000"})
    mocked.get(f"{API}/trades", json={"models": [], "total_pages": "10000"})

    trades = list(
        client.iter_trades(funding_currency="USD", status="closed", product_id=1, side="long")
    )

    assert [t["id"] for t in trades] == [1, 2, 3]
    assert len(mocked.calls) == 3
    for index in range(3):
        assert_request(
            mocked,
            "GET",
            "/trades",
            [
                ("funding_currency", "USD"),
                ("status", "closed"),
                ("product_id", "1"),
                ("side", "long"),
                ("limit", "1000"),
                ("page", str(index + 1)),
            ],
            index=index,
        )


def test_iter_trades_without_filters(client, mocked):
    mocked.get(f"{API}/trades", json={"models": [{"id": 9}], "total_pages": 1})
    mocked.get(f"{API}/trades", json={"models": [{"id": 10}], "total_pages": 1})
    mocked.get(f"{API}/trades", json={"models": []})

    assert [t["id"] for t in client.iter_trades(limit=1)] == [9, 10]
    assert [sent(mocked, i).query for i in range(3)] == [
        [("limit", "1"), ("page", str(page))] for page in (1, 2, 3)
    ]


def test_iter_trades_bad_status_sends_nothing(client, mocked):
    assert_rejected(mocked, "status", lambda: list(client.iter_trades(status="live")))


# -- close_trade / close_all_trades --------------------------------------------------------


def test_close_trade_whole_sends_empty_object(client, mocked):
    answer = {"id": 5, "status": "closed"}
    mocked.put(f"{API}/trades/5/close", json=answer)

    assert client.close_trade(5) == answer

    request = assert_request(mocked, "PUT", "/trades/5/close", body={})
    assert request.raw_body == "{}"


@pytest.mark.parametrize(
    ("quantity", "wire"),
    [
        ("0.005", "0.005"),
        (Decimal("0.005"), "0.005"),
        (1e-05, "0.00001"),
        (2, "2"),
        (Decimal("1E-8"), "0.00000001"),
    ],
)
def test_close_trade_partial_flat_body(client, mocked, quantity, wire):
    mocked.put(f"{API}/trades/57896/close", json={"id": 57896})

    client.close_trade(57896, quantity)

    request = assert_request(mocked, "PUT", "/trades/57896/close", body={"closed_quantity": wire})
    assert request.raw_body == f'{{"closed_quantity":"{wire}"}}'


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        ((0,), "trade_id"),
        (("abc",), "trade_id"),
        ((None,), "trade_id"),
        ((5, 0), "closed_quantity"),
        ((5, "-1"), "closed_quantity"),
        ((5, "lots"), "closed_quantity"),
    ],
)
def test_close_trade_validation(client, mocked, args, fragment):
    assert_rejected(mocked, fragment, client.close_trade, *args)


def test_close_all_trades_sends_empty_object(client, mocked):
    answer = [{"id": 1, "status": "closed"}, {"id": 2, "status": "closed"}]
    mocked.put(f"{API}/trades/close_all", json=answer)

    assert client.close_all_trades() == answer

    request = assert_request(mocked, "PUT", "/trades/close_all", body={})
    assert request.raw_body == "{}"


@pytest.mark.parametrize("side", ["long", "short", TradeSide.SHORT])
def test_close_all_trades_one_side_flat(client, mocked, side):
    mocked.put(f"{API}/trades/close_all", json=[])

    assert client.close_all_trades(side) == []

    assert_request(mocked, "PUT", "/trades/close_all", body={"side": str(side)})


@pytest.mark.parametrize("bad", ["buy", "sell", "LONG", "", 1])
def test_close_all_trades_bad_side(client, mocked, bad):
    assert_rejected(mocked, "side", client.close_all_trades, bad)


# -- update_trade --------------------------------------------------------------------------


def test_update_trade_positional_014(client, mocked):
    answer = {"id": 1, "stop_loss": "300.0", "take_profit": "600.0"}
    mocked.put(f"{API}/trades/1", json=answer)

    assert client.update_trade(1, "300", "600") == answer

    assert_request(
        mocked, "PUT", "/trades/1", body={"trade": {"stop_loss": "300", "take_profit": "600"}}
    )


def test_update_trade_stop_loss_zero_is_allowed(client, mocked):
    # 0 removes the stop loss; 0.1.4-style truthiness must not drop it
    mocked.put(f"{API}/trades/1", json={"id": 1})

    client.update_trade(1, 0, "600")

    assert sent(mocked).body == {"trade": {"stop_loss": "0", "take_profit": "600"}}


def test_update_trade_only_take_profit(client, mocked):
    mocked.put(f"{API}/trades/8", json={"id": 8})

    client.update_trade("8", None, Decimal("612.50"))

    assert_request(mocked, "PUT", "/trades/8", body={"trade": {"take_profit": "612.50"}})


def test_update_trade_only_stop_loss_float(client, mocked):
    mocked.put(f"{API}/trades/8", json={"id": 8})

    client.update_trade(8, stop_loss=1e-05, take_profit=None)

    assert sent(mocked).body == {"trade": {"stop_loss": "0.00001"}}


def test_update_trade_zero_take_profit(client, mocked):
    mocked.put(f"{API}/trades/8", json={"id": 8})

    client.update_trade(8, Decimal("0"), 0.0)

    assert sent(mocked).body == {"trade": {"stop_loss": "0", "take_profit": "0.0"}}


def test_update_trade_with_neither_value_raises(client, mocked):
    assert_rejected(mocked, "stop_loss, take_profit", client.update_trade, 1, None, None)


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        ((1, "-1", "600"), "stop_loss"),
        ((1, "300", "-600"), "take_profit"),
        ((1, "abc", None), "stop_loss"),
        ((1, None, float("inf")), "take_profit"),
        ((0, "300", "600"), "trade_id"),
        ((1.5, "300", "600"), "trade_id"),
    ],
)
def test_update_trade_validation(client, mocked, args, fragment):
    assert_rejected(mocked, fragment, client.update_trade, *args)


# -- get_trade_loans / adjust_trade_margin -------------------------------------------------


def test_get_trade_loans(client, mocked):
    answer = [{"id": 144825, "quantity": "495.1048", "rate": "0.0005"}]
    mocked.get(f"{API}/trades/57896/loans", json=answer)

    assert client.get_trade_loans(57896) == answer

    request = assert_request(mocked, "GET", "/trades/57896/loans")
    assert request.raw_body is None


@pytest.mark.parametrize("bad", BAD_IDS)
def test_get_trade_loans_bad_id(client, mocked, bad):
    assert_rejected(mocked, "trade_id", client.get_trade_loans, bad)


@pytest.mark.parametrize(
    ("delta", "wire"),
    [
        ("10", "10"),
        (Decimal("-2.5"), "-2.5"),
        (-1e-05, "-0.00001"),
        (3, "3"),
        (Decimal("1E+1"), "10"),
    ],
)
def test_adjust_trade_margin(client, mocked, delta, wire):
    answer = {"id": 57896, "margin_used": "110.0"}
    mocked.put(f"{API}/trades/57896/adjust_margin", json=answer)

    assert client.adjust_trade_margin(57896, delta) == answer

    assert_request(mocked, "PUT", "/trades/57896/adjust_margin", body={"delta": wire})


@pytest.mark.parametrize("zero", [0, "0", Decimal("0.000"), 0.0, "-0"])
def test_adjust_trade_margin_zero_delta_raises(client, mocked, zero):
    assert_rejected(mocked, "delta", client.adjust_trade_margin, 57896, zero)


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        ((57896, "ten"), "delta"),
        ((57896, None), "delta"),
        ((57896, float("nan")), "delta"),
        ((0, "10"), "trade_id"),
    ],
)
def test_adjust_trade_margin_validation(client, mocked, args, fragment):
    assert_rejected(mocked, fragment, client.adjust_trade_margin, *args)
