"""The library copes with both eras' answers: the demo and the command line run on either."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from decimal import Decimal

import pytest

from quoine import Quoinex
from quoine.cli import _cell, main
from quoine.demo import run_demo
from quoine.sandbox import Sandbox


@pytest.fixture(params=["liquid", "quoine"])
def sandbox(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[Sandbox]:
    with Sandbox(rate_limit=None, dialect=request.param) as sb:
        monkeypatch.setenv("QUOINE_API_TOKEN_ID", sb.token_id)
        monkeypatch.setenv("QUOINE_API_SECRET", sb.secret)
        monkeypatch.setenv("QUOINE_API_URL", sb.url)
        yield sb


def test_the_demo_runs_on_either_era(sandbox: Sandbox) -> None:
    out = io.StringIO()
    assert run_demo(out, api_url=sandbox.url) == 0
    text = out.getvalue()
    assert "BTCUSD" in text and "-> cancelled" in text and "filled: 0.01 BTC" in text


@pytest.mark.parametrize(
    "argv",
    [
        ["products"],
        ["balances"],
        ["accounts"],
        ["orders"],
        ["trades", "--status", "open"],
        ["my-executions", "1"],
    ],
)
@pytest.mark.parametrize("shown", ["json", "table"])
def test_the_command_line_shows_either_era(
    sandbox: Sandbox, capsys: pytest.CaptureFixture[str], argv: list[str], shown: str
) -> None:
    with sandbox.exchange.lock:
        user = sandbox.exchange.demo
        sandbox.exchange.place_order(
            user, {"order_type": "market", "product_id": 1, "side": "buy", "quantity": "0.01"}
        )
        sandbox.exchange.place_order(
            user,
            {
                "order_type": "market",
                "product_id": 1,
                "side": "buy",
                "quantity": "0.01",
                "leverage_level": 2,
            },
        )
    assert main([*argv, "--format", shown]) == 0
    out, err = capsys.readouterr()
    assert err == "" and out.strip()
    if shown == "json":
        assert json.loads(out)


# ------------------------------------------------ what reads the answers, in both eras
def _trade_some(sandbox: Sandbox, client: Quoinex) -> None:
    """Orders (filled and live), margin trades and executions for the walks to read."""
    for _ in range(3):
        client.create_market_buy(1, "0.01")
        client.create_limit_buy(1, "0.01", "500")
        client.create_margin_order("market", 1, "buy", "0.01", None, 2)
    sandbox.exchange.seed_executions(1, 25)


@pytest.fixture
def client(sandbox: Sandbox) -> Iterator[Quoinex]:
    with Quoinex(sandbox.token_id, sandbox.secret, api_url=sandbox.url, rate_limit=None) as c:
        _trade_some(sandbox, c)
        yield c


def test_the_walks_read_either_era_once_each_across_pages(client: Quoinex) -> None:
    walks = {
        "orders": (client.iter_orders(limit=2), client.get_orders(limit=1000)),
        "trades": (client.iter_trades(limit=2), client.get_trades(limit=1000)),
        "my executions": (
            client.iter_my_executions(1, limit=2),
            client.get_my_executions(1, limit=1000),
        ),
        "executions": (client.iter_executions(1, limit=7), client.get_executions(1, limit=1000)),
    }
    for name, (walked, one_page) in walks.items():
        ids = [item["id"] for item in walked]
        assert ids == [item["id"] for item in one_page["models"]], name
        assert len(ids) == len(set(ids)) > 2, name


def test_the_timestamp_walk_reads_either_era_in_order(client: Quoinex) -> None:
    every = client.get_executions(1, limit=1000)["models"][::-1]  # oldest first
    walked = list(client.iter_executions_since_time(1, 0, limit=4))
    assert [e["id"] for e in walked] == [e["id"] for e in every]


def _csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


@pytest.mark.parametrize("kind", ["orders", "trades", "my-executions", "executions"])
def test_the_csv_export_writes_exact_decimals_in_either_era(
    client: Quoinex, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    assert main(["export", kind, "--since", "0", "--product-id", "1"]) == 0
    out, err = capsys.readouterr()
    rows = _csv_rows(out)
    assert rows and err == ""
    for row in rows:
        assert re.fullmatch(r"\d+", row["id"]) and re.fullmatch(r"\d+", row["created_at"])
        for column in ("price", "quantity", "open_price", "average_price", "order_fee"):
            if row.get(column):  # plain decimals, whether the API sent strings or numbers
                assert re.fullmatch(r"\d+(\.\d+)?", row[column]), (column, row[column])


def test_the_accounts_table_shows_reserved_balances_in_either_era(
    client: Quoinex, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["accounts", "--format", "table"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["type", "currency", "balance", "reserved_balance"]
    usd = next(line.split() for line in lines if " USD " in f" {line} ")
    assert Decimal(usd[3]) > 0  # the live limit buys hold part of the USD balance


def test_the_products_table_writes_json_numbers_as_plain_decimals(
    client: Quoinex, capsys: pytest.CaptureFixture[str]
) -> None:
    # The Liquid-era perpetual answer sends market_bid/market_ask as JSON numbers.
    assert main(["products", "--perpetual", "--format", "table"]) == 0
    header, *rows = capsys.readouterr().out.splitlines()
    assert header.split() == [
        "id",
        "currency_pair_code",
        "last_traded_price",
        "market_bid",
        "market_ask",
    ]
    assert rows
    for row in rows:
        for cell in row.split()[2:]:
            assert re.fullmatch(r"\d+(\.\d+)?", cell), row


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (1653139978, "2022-05-21 13:32:58"),
        ("1653139978", "2022-05-21 13:32:58"),
        ("1653139978.999999", "2022-05-21 13:32:58"),
        (Decimal("1653139978.434518"), "2022-05-21 13:32:58"),
        ("99999999999999999999", "99999999999999999999"),  # no date: shown as sent
    ],
)
def test_a_table_shows_times_of_either_era(value: object, shown: str) -> None:
    assert _cell("created_at", value) == shown


def test_frames_keep_digit_only_text_as_sent() -> None:
    pytest.importorskip("pandas")
    from quoine.frames import to_frame

    frame = to_frame(
        [
            {
                "id": "7",
                "client_order_id": "0001",
                "bank_account": {"acc_number": "000123", "bank_branch": "001"},
                "memo_value": "0042",
                "price": "500.0",
            }
        ]
    )
    row = frame.to_dict("records")[0]
    assert row["client_order_id"] == "0001" and row["memo_value"] == "0042"
    assert row["bank_account.acc_number"] == "000123" and row["bank_account.bank_branch"] == "001"
    assert row["id"] == 7 and row["price"] == 500.0  # ids and amounts still convert


def test_frames_read_either_eras_answers(client: Quoinex) -> None:
    pytest.importorskip("pandas")
    from quoine.frames import to_frame

    products = to_frame(client.get_products())
    assert str(products["id"].dtype) == "Int64"  # "1" (Liquid) or 1 (2016)
    orders = to_frame(client.get_orders(with_details=True), executions=True)
    assert str(orders["created_at"].dtype).startswith("datetime64")
    assert orders["price"].dtype == "float64" and orders["order.id"].dtype == "Int64"
    accounts = to_frame(client.get_accounts()["fiat_accounts"])
    assert accounts["reserved_balance"].dtype == "float64"  # strings in /accounts
    fiat = to_frame(client.get_fiat_accounts())
    assert fiat["balance"].dtype == "float64"  # numbers (Liquid) or strings (2016)
