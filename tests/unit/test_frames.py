"""quoine.frames.to_frame: answers as DataFrames (runs when pandas is installed)."""

from __future__ import annotations

import builtins
import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from quoine.client import Quoinex
from quoine.frames import to_frame
from quoine.sandbox import Sandbox

pd = pytest.importorskip("pandas")

UTC = dt.timezone.utc


def order(oid: Any, filled: str, **fields: Any) -> dict[str, Any]:
    return {
        "id": oid,
        "product_id": 1,
        "client_order_id": f"cli-{oid}",
        "quantity": "0.02",
        "filled_quantity": filled,
        "price": "30000.5",
        "created_at": 1700000000,
        "updated_at": 1700000001,
        "side": "buy",
        "leverage_level": 1,
        **fields,
    }


def test_amounts_are_numbers_times_utc_and_ids_integers():
    answers = iter([order(5, "0.01"), order("6", "0.02", extra="x")])
    frame = to_frame(answers)
    assert frame["filled_quantity"].sum() == pytest.approx(0.03)  # not "0.010.02"
    assert frame["filled_quantity"].dtype == "float64"
    assert list(frame["id"]) == [5, 6] and str(frame["id"].dtype) == "Int64"
    assert list(frame["product_id"]) == [1, 1]
    assert list(frame["client_order_id"]) == ["cli-5", "cli-6"]  # not numbers: kept
    assert frame["created_at"][0] == pd.Timestamp(1700000000, unit="s", tz="UTC")
    assert str(frame["updated_at"].dtype) == "datetime64[ns, UTC]"
    assert list(frame["leverage_level"]) == [1, 1]
    assert list(frame["side"]) == ["buy", "buy"]
    assert frame["extra"].isna()[0] and frame["extra"][1] == "x"  # header from every row


def test_product_ids_become_integers_whatever_type_arrives():
    products = [
        {"id": "1", "currency_pair_code": "BTCUSD", "last_traded_price": "30000.0"},
        {"id": 5, "currency_pair_code": "BTCJPY", "last_traded_price": None},
        {"id": Decimal("27"), "currency_pair_code": "ETHUSD", "last_traded_price": "2000"},
    ]
    frame = to_frame(products)
    assert list(frame["id"]) == [1, 5, 27]
    assert frame["last_traded_price"].tolist()[0] == 30000.0
    assert frame["last_traded_price"].isna().tolist() == [False, True, False]


def test_fractional_timestamps_are_exact_to_the_nanosecond():
    frame = to_frame([{"id": 1, "timestamp": "1700000000.123456789", "price": Decimal("1E-8")}])
    assert frame["timestamp"][0].value == 1_700_000_000_123_456_789
    assert frame["price"][0] == 1e-8


def test_a_page_and_nested_executions_flattened():
    fills = [
        {"id": 11, "price": "30000.0", "quantity": "0.005", "created_at": 1700000002},
        {"id": 12, "price": "30001.0", "quantity": "0.005", "created_at": 1700000003},
    ]
    page = {"models": [order(5, "0.01", executions=fills), order(6, "0", executions=[])],
            "current_page": 1, "total_pages": 1}  # fmt: skip
    assert list(to_frame(page)["id"]) == [5, 6]
    frame = to_frame(page, executions=True)
    assert list(frame["id"]) == [11, 12]
    assert list(frame["order.id"]) == [5, 5]
    assert frame["quantity"].sum() == pytest.approx(0.01)
    assert frame["order.created_at"][0] == dt.datetime.fromtimestamp(1700000000, UTC)
    assert "order.executions" not in frame.columns


def test_nested_objects_become_dotted_columns_and_odd_values_stay():
    frame = to_frame([
        {"id": "x-1", "settings": {"fee": "0.3"}, "note": "1", "flag": True},
        {"id": "x-2", "settings": {"fee": "0.1"}, "note": "n/a", "flag": False},
    ])  # fmt: skip
    assert list(frame["id"]) == ["x-1", "x-2"]
    assert frame["settings.fee"].tolist() == [0.3, 0.1]
    assert frame["note"].tolist() == ["1", "n/a"]
    assert frame["flag"].tolist() == [True, False]
    fractional = to_frame([{"trade_id": "1.5"}, {"trade_id": "2"}])
    assert fractional["trade_id"].tolist() == ["1.5", "2"]  # not whole numbers: kept


def test_nothing_gives_an_empty_frame():
    assert to_frame([]).empty
    assert to_frame({"models": []}).empty


def test_what_float_costs_is_what_the_docs_say():
    frame = to_frame([{"id": 1, "balance": "12345678.123456789"}])
    assert frame["balance"][0] != Decimal("12345678.123456789")  # rounded to float64
    assert Decimal(str(frame["balance"][0])) == Decimal("12345678.123456789").quantize(
        Decimal("1E-8")
    )


def test_without_pandas_the_error_says_what_to_install(monkeypatch):
    real_import = builtins.__import__

    def no_pandas(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "pandas":
            raise ImportError("No module named 'pandas'")
        return real_import(name, *args, **kwargs)

    monkeypatch.delitem(__import__("sys").modules, "pandas")
    monkeypatch.setattr(builtins, "__import__", no_pandas)
    with pytest.raises(ImportError, match=r"pip install 'python-quoine\[pandas\]'"):
        to_frame([{"id": 1}])


def test_real_answers_from_the_sandbox():
    with Sandbox(rate_limit=None) as sb, Quoinex(sb.token_id, sb.secret, api_url=sb.url) as client:
        client.create_market_buy(1, "0.01")
        client.create_market_buy(1, "0.02")
        orders = to_frame(client.iter_orders(product_id=1))
        assert orders["filled_quantity"].sum() == pytest.approx(0.03)
        assert str(orders["product_id"].dtype) == "Int64"
        products = to_frame(client.get_products())
        assert 1 in set(products["id"])
        balances = to_frame(client.get_account_balances())
        assert balances.set_index("currency")["balance"]["BTC"] == pytest.approx(10.03)
        fills = to_frame(client.get_orders(product_id=1, with_details=True), executions=True)
        assert fills["quantity"].sum() == pytest.approx(0.03)
        assert str(fills["created_at"].dtype) == "datetime64[ns, UTC]"
