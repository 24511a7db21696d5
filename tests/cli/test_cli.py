"""The ``quoine`` command line, in-process against a real sandbox over loopback HTTP.

Every user here has the same canary secret, and :func:`run` checks after every
command, successful or not, that neither the secret nor a signature (a JWT starts
with ``eyJ``) reached stdout or stderr.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any, ClassVar

import pytest

from quoine import cli
from quoine.cli import Shown, _is_since, _show, _write_csv, main
from quoine.client import Qryptos, Quoine, Quoinex
from quoine.exceptions import QuoineValidationError
from quoine.sandbox import Sandbox
from quoine.sandbox.models import User

ROOT = Path(__file__).resolve().parents[2]
CANARY = "CANARY-cli-secret-3e1b9f7a-52c4-4d0e-b6a1-77f0c2d9e845"
FUNDS = {"USD": "100000", "JPY": "10000000", "BTC": "10", "ETH": "100"}
EXEC_PRODUCT = 29  # ETHJPY: only the seeded executions, nobody trades it here
EXEC_START = 1_600_000_000
EXEC_COUNT = 2500  # 10 a second: 250 seconds of history
COMMANDS = (
    "products",
    "order-book",
    "executions",
    "balances",
    "accounts",
    "orders",
    "order",
    "trades",
    "my-executions",
    "buy",
    "sell",
    "cancel",
    "cancel-all",
    "export",
    "watch",
    "sandbox",
    "demo",
)


class Clock:
    """Wall time plus an offset that tests push forward."""

    def __init__(self) -> None:
        self.offset = 0.0

    def __call__(self) -> float:
        return time.time() + self.offset


@pytest.fixture(scope="module")
def clock() -> Clock:
    return Clock()


@pytest.fixture(scope="module")
def sandbox(clock: Clock) -> Iterator[Sandbox]:
    with Sandbox("127.0.0.1", 0, rate_limit=None, seed=5, clock=clock) as sb:
        sb.exchange.seed_executions(EXEC_PRODUCT, EXEC_COUNT, start=EXEC_START, seed=1)
        yield sb


@pytest.fixture
def user(sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> User:
    """A fresh funded user whose credentials are in the environment."""
    user = sandbox.exchange.add_user(request.node.name[:40], FUNDS, secret=CANARY)
    assert user.token_id is not None
    monkeypatch.setenv("QUOINE_API_TOKEN_ID", user.token_id)
    monkeypatch.setenv("QUOINE_API_SECRET", CANARY)
    monkeypatch.setenv("QUOINE_API_URL", sandbox.url)
    return user


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run ``quoine argv`` in-process; return the exit status, stdout and stderr."""
    status = main(list(argv))
    out, err = capsys.readouterr()
    for text in (out, err):
        assert CANARY not in text
        assert "eyJ" not in text and "X-Quoine-Auth" not in text
        assert "Traceback" not in text
    return status, out, err


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> Any:
    status, out, err = run(capsys, *argv)
    assert (status, err) == (0, "")
    return json.loads(out)


def orders_of(sandbox: Sandbox, user: User) -> dict[int, Any]:
    with sandbox.exchange.lock:
        return {order.id: order for order in user.orders}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


# --- help and usage errors ----------------------------------------------------


def test_python_dash_m_quoine_help_lists_every_command():
    done = subprocess.run(
        [sys.executable, "-m", "quoine", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    listed = re.findall(r"^    (\S+)", done.stdout, re.MULTILINE)
    assert listed == list(COMMANDS)
    assert done.stderr == ""


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        ([], "the following arguments are required: COMMAND"),
        (["frobnicate"], "invalid choice: 'frobnicate'"),
        (["order-book"], "the following arguments are required: PRODUCT"),
        (["order-book", "0"], "must be a positive integer, got '0'"),
        (["order-book", "BTC/USD"], "a currency pair code such as BTCUSD, got 'BTC/USD'"),
        (
            ["order-book", "BTCUDS"],
            "no product with currency pair code 'BTCUDS'; close matches: BTCUSD",
        ),
        (["--exchange", "mtgox", "products"], "invalid choice: 'mtgox'"),
        (["products", "--timeout", "0"], "must be a positive number of seconds"),
        (["products", "--format", "xml"], "invalid choice: 'xml'"),
        (["products", "surplus"], "unrecognized arguments: surplus"),
        (["buy", "1", "-1", "--market"], "quantity must be greater than zero, got '-1'"),
        (["sell", "1", "0.01"], "give --price for a limit order, or --market to sell at"),
        (["buy", "btcusd", "0.01"], "give --price for a limit order, or --market to buy at"),
        (["buy", "1", "0.01", "--market", "--price", "1"], "--market takes no --price"),
        (["buy", "1", "0.01", "--market", "--type", "stop"], "--market takes no --price"),
        (["products", "--rate-limit", "fast"], "must be CALLS/SECONDS (e.g. 300/300)"),
        (["products", "--retries", "-1"], "must be 0 or a positive integer, got '-1'"),
        (["order", "0"], "must be a positive integer, got '0'"),
        (["order", "no_underscores"], "client_order_id must be 1 to 36 letters"),
        (["export", "orders", "--format", "table"], "export writes csv or jsonl, not table"),
        (["sell", "1", "lots", "--price", "100"], "quantity is not a number: 'lots'"),
        (["buy", "1", "0.01", "--type", "limit"], "price is required for limit orders"),
        (["orders", "--status", "pending"], "status must be one of"),
        (["export", "orders", "--since", "someday"], "not a date or unix time: 'someday'"),
        (["export", "executions", "--since", "0"], "--product-id is required"),
        (["export", "orders", "--since", "0", "--format", "xlsx"], "invalid choice: 'xlsx'"),
        (["--api-url", "ftp://example.com", "products"], "api_url must start with http://"),
    ],
)
def test_usage_errors_exit_2_with_a_usage_line(capsys, sandbox, user, argv, message):
    status, out, err = run(capsys, *argv)
    assert status == 2
    assert out == ""
    assert err.startswith("usage: quoine")
    assert message in err
    assert orders_of(sandbox, user) == {}  # nothing was sent


# --- public data --------------------------------------------------------------


def test_products_as_json(capsys, user):
    products = run_json(capsys, "products")
    by_code = {p["currency_pair_code"]: p for p in products}
    assert by_code["BTCUSD"]["id"] == "1"
    assert "P-BTCUSD" not in by_code
    perpetuals = run_json(capsys, "products", "--perpetual")
    assert [p["id"] for p in perpetuals] == ["603"]


def test_connection_options_go_before_or_after_the_command(capsys, sandbox, monkeypatch):
    monkeypatch.delenv("QUOINE_API_URL", raising=False)
    before = run_json(capsys, "--api-url", sandbox.url, "products")
    after = run_json(capsys, "products", "--api-url", sandbox.url)
    assert [p["id"] for p in before] == [p["id"] for p in after]


def test_exchange_chooses_the_client_class(capsys, sandbox, monkeypatch):
    monkeypatch.delenv("QUOINE_API_URL", raising=False)
    monkeypatch.setattr(Qryptos, "API_URL", sandbox.url)
    assert run_json(capsys, "--exchange", "qryptos", "products")[0]["id"] == "1"


def test_order_book_as_json_and_as_a_table(capsys, sandbox, user):
    book = run_json(capsys, "order-book", "1")
    asks, bids = book["sell_price_levels"], book["buy_price_levels"]
    assert len(asks) == len(bids) == 20
    assert Decimal(asks[0][0]) > Decimal(bids[0][0])

    status, out, _ = run(capsys, "order-book", "1", "--format", "table")
    lines = out.splitlines()
    assert status == 0
    assert lines[0].split() == ["side", "price", "quantity"]
    # Asks from the highest down to the best, then bids from the best down.
    assert lines[20].split()[:2] == ["ask", asks[0][0]]
    assert lines[21].split()[:2] == ["bid", bids[0][0]]
    assert lines[1].split()[:2] == ["ask", asks[19][0]]
    assert len({len(line) for line in lines}) == 1  # aligned (numbers right-aligned)


def test_executions_lists_the_latest(capsys, user):
    executions = run_json(capsys, "executions", str(EXEC_PRODUCT), "--limit", "3")
    assert len(executions) == 3
    ids = [e["id"] for e in executions]
    assert ids == sorted(ids, reverse=True)
    assert executions[0]["created_at"] == EXEC_START + (EXEC_COUNT - 1) // 10


def test_a_table_on_a_terminal_json_when_piped(capsys, user, monkeypatch):
    status, piped, _ = run(capsys, "products")
    assert status == 0 and piped.startswith("[")
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    status, shown, _ = run(capsys, "products")
    assert status == 0
    assert shown.splitlines()[0].split()[:2] == ["id", "currency_pair_code"]
    assert re.search(r"^ 1  BTCUSD ", shown, re.MULTILINE)
    status, forced, _ = run(capsys, "products", "--format", "json")
    assert json.loads(forced)[0]["id"] == "1"


def test_json_keeps_decimals_exact_and_tables_format_times():
    data = [{"id": 1, "price": Decimal("0.00000001"), "created_at": 1514764800, "x": None}]
    out = io.StringIO()
    _show(Shown(data, data, ("id", "price", "created_at", "x")), "json", out)
    assert json.loads(out.getvalue()) == [
        {"id": 1, "price": "0.00000001", "created_at": 1514764800, "x": None}
    ]
    out = io.StringIO()
    _show(Shown(data, data, ("id", "price", "created_at", "x")), "table", out)
    assert out.getvalue().splitlines() == [
        "id       price  created_at           x",
        " 1  0.00000001  2018-01-01 00:00:00",
    ]


def test_csv_keeps_decimals_exact_and_nested_values_as_json_with_every_field_in_the_header():
    out = io.StringIO()
    rows = [
        {"id": 1, "price": Decimal("1E-8"), "executions": [{"id": 2}], "note": None},
        {"id": 3, "price": "5", "executions": [], "note": 'x,"y"', "extra": "kept"},
        {"id": 4, "late": Decimal("2.50")},
    ]
    _write_csv(iter(rows), out)
    text = out.getvalue()
    assert "\r" not in text
    assert text.splitlines()[0] == "id,price,executions,note,extra,late"
    assert read_csv(text) == [
        {"id": "1", "price": "0.00000001", "executions": '[{"id":2}]', "note": "",
         "extra": "", "late": ""},
        {"id": "3", "price": "5", "executions": "[]", "note": 'x,"y"', "extra": "kept",
         "late": ""},
        {"id": "4", "price": "", "executions": "", "note": "", "extra": "", "late": "2.50"},
    ]  # fmt: skip
    empty = io.StringIO()
    _write_csv(iter([]), empty)
    assert empty.getvalue() == ""
    lines = io.StringIO()
    rows = [{"id": 1, "fills": [{"price": Decimal("2.50")}]}]
    _show(Shown(rows, rows, ("id", "fills")), "table", lines)
    assert lines.getvalue().splitlines()[1] == ' 1  [{"price":"2.50"}]'


def test_interrupted_exits_130_quietly(capsys, user, monkeypatch):
    def interrupted(self: Quoine) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(Quoine, "get_account_balances", interrupted)
    assert run(capsys, "balances") == (130, "", "quoine: interrupted\n")


# --- private data -------------------------------------------------------------


def test_balances_and_accounts(capsys, user):
    balances = run_json(capsys, "balances")
    assert {b["currency"]: Decimal(b["balance"]) for b in balances} == {
        code: Decimal(amount) for code, amount in FUNDS.items()
    }
    accounts = run_json(capsys, "accounts")
    assert [a["currency"] for a in accounts["fiat_accounts"]] == ["USD", "JPY"]
    assert [a["currency"] for a in accounts["crypto_accounts"]] == ["BTC", "ETH"]
    status, table, _ = run(capsys, "accounts", "--format", "table")
    assert status == 0
    assert table.splitlines()[0].split() == ["type", "currency", "balance", "reserved_balance"]
    assert re.search(r"^crypto +BTC +10\.0 +0\.0$", table, re.MULTILINE)


def test_credentials_from_flags(capsys, user, monkeypatch):
    monkeypatch.delenv("QUOINE_API_TOKEN_ID")
    monkeypatch.delenv("QUOINE_API_SECRET")
    assert user.token_id is not None
    argv = ("balances", "--token-id", user.token_id, "--secret", CANARY)
    assert {b["currency"] for b in run_json(capsys, *argv)} == set(FUNDS)


def test_place_list_and_cancel_orders(capsys, sandbox, user):
    buy = run_json(capsys, "buy", "1", "0.01", "--price", "15000.5", "--client-order-id", "cli-1")
    sell = run_json(capsys, "sell", "BTCUSD", "0.02", "--market")
    orders = orders_of(sandbox, user)
    assert orders[buy["id"]].status == "live"
    assert orders[buy["id"]].price == Decimal("15000.5")
    assert orders[buy["id"]].quantity == Decimal("0.01")
    assert orders[buy["id"]].client_order_id == "cli-1"
    assert (orders[sell["id"]].order_type, orders[sell["id"]].status) == ("market", "filled")

    listed = run_json(capsys, "orders")
    assert [o["id"] for o in listed] == [sell["id"], buy["id"]]
    assert [o["id"] for o in run_json(capsys, "orders", "--status", "live")] == [buy["id"]]
    assert len(run_json(capsys, "orders", "--limit", "1", "--page", "2")) == 1

    cancelled = run_json(capsys, "cancel", str(buy["id"]))
    assert cancelled["status"] == "cancelled"
    assert orders_of(sandbox, user)[buy["id"]].status == "cancelled"

    status, out, err = run(capsys, "cancel", str(buy["id"]))
    assert (status, out) == (1, "")
    assert err == "quoine: error: QuoineOrderNotFoundError: 404 Not Found: Order not found\n"


def test_order_types_and_table_output(capsys, sandbox, user):
    status, out, _ = run(
        capsys, "sell", "1", "0.5", "--price", "99999", "--type", "limit_post_only",
        "--format", "table",
    )  # fmt: skip
    header, row = out.splitlines()
    assert status == 0
    assert header.split() == [
        "id", "created_at", "currency_pair_code", "side", "order_type", "price", "quantity",
        "filled_quantity", "status", "client_order_id",
    ]  # fmt: skip
    (order,) = orders_of(sandbox, user).values()
    assert row.split()[3:] == [
        "BTCUSD", "sell", "limit_post_only", "99999.0", "0.5", "0.0", "live", order.client_order_id,
    ]  # fmt: skip
    assert order.order_type == "limit_post_only"
    assert re.fullmatch(r"[0-9a-f-]{36}", order.client_order_id)  # a fresh UUID


def test_api_errors_exit_1_with_one_line(capsys, sandbox, user):
    # 1000 BTC: far more than 100,000 USD
    status, out, err = run(capsys, "buy", "1", "1000", "--market")
    assert (status, out) == (1, "")
    assert err.startswith("quoine: error: QuoineInsufficientFundsError: 422")
    assert err.count("\n") == 1
    assert orders_of(sandbox, user) == {}


def test_network_errors_exit_1_with_one_line(capsys, user):
    url = f"http://127.0.0.1:{free_port()}"
    status, out, err = run(capsys, "--api-url", url, "balances")
    assert (status, out) == (1, "")
    assert err.startswith("quoine: error: QuoineConnectionError: ")
    assert err.count("\n") == 1


@pytest.mark.parametrize("empty", [False, True])
def test_missing_credentials_exit_2_with_nothing_sent(capsys, sandbox, user, monkeypatch, empty):
    if empty:
        monkeypatch.setenv("QUOINE_API_SECRET", "")
    else:
        monkeypatch.delenv("QUOINE_API_SECRET")
    status, out, err = run(capsys, "buy", "1", "0.01", "--price", "100")
    assert (status, out) == (2, "")
    assert err == (
        "quoine: error: buy needs credentials: set QUOINE_API_TOKEN_ID and "
        "QUOINE_API_SECRET (or pass --token-id and --secret); nothing was sent\n"
    )
    assert orders_of(sandbox, user) == {}


def test_trades_and_my_executions(capsys, user, sandbox):
    assert user.token_id is not None
    with Quoinex(user.token_id, CANARY, api_url=sandbox.url) as client:
        order = client.create_margin_order(
            "market", 1, "buy", "0.1", leverage_level=4, funding_currency="USD"
        )
        (opened,) = client.get_order_trades(order["id"])
    trades = run_json(capsys, "trades", "--status", "open")
    assert [(t["id"], t["side"], t["quantity"]) for t in trades] == [(opened["id"], "long", "0.1")]
    assert run_json(capsys, "trades", "--status", "closed") == []
    mine = run_json(capsys, "my-executions", "1")
    assert sum(Decimal(e["quantity"]) for e in mine) == Decimal("0.1")
    assert {e["my_side"] for e in mine} == {"buy"}


# --- export -------------------------------------------------------------------


def read_csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_export_executions_as_csv_from_a_date(capsys, user):
    since = "2020-09-13T12:28:20Z"  # EXEC_START + 100 s
    status, out, err = run(
        capsys, "export", "executions", "--product-id", str(EXEC_PRODUCT), "--since", since
    )
    assert (status, err) == (0, "")
    rows = read_csv(out)
    assert list(rows[0]) == ["id", "quantity", "price", "taker_side", "created_at"]
    assert len(rows) == EXEC_COUNT - 1000  # 10 a second, from the 100th second on
    assert int(rows[0]["created_at"]) == EXEC_START + 100
    assert int(rows[-1]["created_at"]) == EXEC_START + (EXEC_COUNT - 1) // 10
    ids = [int(row["id"]) for row in rows]
    assert ids == sorted(set(ids))  # oldest first, each once


def test_export_executions_as_json_lines_to_a_file(capsys, user, tmp_path):
    target = tmp_path / "executions.jsonl"
    since = str(EXEC_START + 240)  # unix seconds
    argv = ("export", "executions", "--product-id", str(EXEC_PRODUCT), "--since", since)
    status, out, err = run(capsys, *argv, "--format", "jsonl", "--output", str(target))
    assert (status, out, err) == (0, "", "")
    rows = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 100
    assert all(isinstance(row["price"], str) for row in rows)
    seconds = [row["created_at"] for row in rows[::10]]
    assert seconds == list(range(EXEC_START + 240, EXEC_START + 250))


def test_export_progress_only_on_a_terminal(capsys, user, monkeypatch):
    argv = ("export", "executions", "--product-id", str(EXEC_PRODUCT), "--since", "0")
    status, out, err = run(capsys, *argv, "--format", "jsonl")
    assert (status, err) == (0, "")
    assert len(out.splitlines()) == EXEC_COUNT
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    status, out, err = run(capsys, *argv, "--format", "jsonl")
    assert status == 0
    assert len(out.splitlines()) == EXEC_COUNT
    updates = err.split("\r")[1:]
    assert updates[0] == "exported 100 executions"
    assert updates[-1] == f"exported {EXEC_COUNT} executions\n"
    assert len(updates) == EXEC_COUNT // 100 + 1


def test_export_orders_trades_and_my_executions_from_a_time(capsys, sandbox, clock, user):
    first = run_json(capsys, "buy", "1", "0.01", "--market")
    clock.offset += 1000
    later = int(clock())
    second = run_json(capsys, "sell", "1", "0.01", "--price", "99999")
    third = run_json(capsys, "buy", "1", "0.02", "--market")

    status, out, _ = run(capsys, "export", "orders", "--since", "0")
    rows = read_csv(out)
    assert [int(row["id"]) for row in rows] == [third["id"], second["id"], first["id"]]
    assert rows[1]["price"] == "99999.0" and rows[1]["status"] == "live"

    # Newest first: the export stops at the first order older than --since.
    status, out, _ = run(capsys, "export", "orders", "--since", str(later), "--format", "jsonl")
    assert [json.loads(line)["id"] for line in out.splitlines()] == [third["id"], second["id"]]
    status, out, _ = run(capsys, "export", "orders", "--since", "0", "--status", "live")
    assert [int(row["id"]) for row in read_csv(out)] == [second["id"]]

    status, out, _ = run(
        capsys, "export", "my-executions", "--product-id", "1", "--since", str(later)
    )
    assert [row["quantity"] for row in read_csv(out)] == ["0.02"]
    status, out, err = run(capsys, "export", "trades", "--since", "0")
    assert (status, out, err) == (0, "", "")  # no positions: nothing at all, not even a header


def test_export_keeps_rows_whose_time_it_cannot_read():
    assert _is_since({"created_at": 1700000000}, 1700000000)
    assert _is_since({"created_at": "1700000000.5"}, 1700000000)
    assert not _is_since({"created_at": 1699999999}, 1700000000)
    assert _is_since({"created_at": "2023-11-14T22:13:20Z"}, 1700000000)
    assert _is_since({}, 1700000000)


def test_export_to_a_missing_directory_exits_1(capsys, user, tmp_path):
    target = tmp_path / "missing" / "orders.csv"
    status, out, err = run(capsys, "export", "orders", "--since", "0", "-o", str(target))
    assert (status, out) == (1, "")
    assert err.startswith("quoine: error: [Errno 2] No such file or directory")


def test_a_reader_that_stops_early_is_not_an_error(sandbox, user):
    export = subprocess.Popen(
        [sys.executable, "-m", "quoine", "export", "executions", "--product-id",
         str(EXEC_PRODUCT), "--since", "0", "--format", "jsonl"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
        env=dict(os.environ),
    )  # fmt: skip
    assert export.stdout is not None and export.stderr is not None
    try:
        first = json.loads(export.stdout.readline())
        export.stdout.close()  # like `| head -1`, long before the ~250 kB are written
        assert export.wait(timeout=60) == 0
        errors = export.stderr.read()
    finally:
        export.kill()
        export.stderr.close()
    assert first["created_at"] == EXEC_START
    assert errors == b""


# --- sandbox and demo ---------------------------------------------------------


def test_sandbox_command_runs_the_sandbox_until_sigterm():
    proc = subprocess.Popen(
        [sys.executable, "-m", "quoine", "sandbox", "--port", "0", "--secret", CANARY],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert proc.stdout is not None and proc.stderr is not None
    try:
        first = proc.stdout.readline()
        assert re.fullmatch(r"listening on http://127\.0\.0\.1:\d+\n", first)
        assert proc.stdout.readline() == "token_id: sandbox-demo\n"
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=5)
        proc.stdout.close()
        proc.stderr.close()


def test_sandbox_command_hands_over_its_options(capsys):
    assert main(["sandbox", "--help"]) == 0
    assert "usage: python -m quoine.sandbox" in capsys.readouterr().out
    assert main(["sandbox", "--port", "many"]) == 2
    assert "argument --port: invalid int value: 'many'" in capsys.readouterr().err


@pytest.mark.parametrize("before", [True, False])
def test_demo_against_a_running_sandbox(capsys, sandbox, monkeypatch, before):
    monkeypatch.setenv("QUOINE_API_TOKEN_ID", sandbox.token_id)
    monkeypatch.setenv("QUOINE_API_SECRET", sandbox.secret)
    argv = ["--api-url", sandbox.url, "demo"] if before else ["demo", "--api-url", sandbox.url]
    assert main(argv) == 0
    out, err = capsys.readouterr()
    assert "Market buy 0.01 BTC" in out and "-> cancelled" in out
    assert sandbox.secret not in out + err


# --- secrets ------------------------------------------------------------------


SWEEP = [
    ["products"],
    ["order-book", "1"],
    ["executions", "1"],
    ["balances"],
    ["accounts"],
    ["orders"],
    ["trades"],
    ["my-executions", "1"],
    ["buy", "1", "0.001", "--price", "100"],
    ["sell", "1", "0.001", "--market"],
    ["buy", "1", "5000", "--market"],  # insufficient funds
    ["cancel", "1"],  # not found
    ["export", "orders", "--since", "0"],
    ["export", "my-executions", "--product-id", "1", "--since", "0"],
    ["export", "trades", "--since", "0", "--format", "jsonl"],
    ["export", "executions", "--product-id", "1", "--since", "0"],
    ["buy", "1", "-5"],  # rejected by the client
    ["sell"],  # rejected by argparse
]


@pytest.mark.parametrize("argv", SWEEP, ids=" ".join)
@pytest.mark.parametrize("credentials", ["environment", "flags", "wrong token"])
def test_the_secret_and_signature_are_never_printed(
    capsys, monkeypatch, sandbox, user, argv, credentials
):
    if credentials != "environment":
        monkeypatch.delenv("QUOINE_API_SECRET")
        token = user.token_id if credentials == "flags" else "no-such-token"
        argv = [*argv, "--token-id", str(token), f"--secret={CANARY}"]
    status, _, err = run(capsys, *argv)  # run() checks the canary
    assert status in (0, 1, 2)
    if credentials == "wrong token" and argv[0] in ("balances", "orders", "cancel"):
        assert (status, err) == (1, "quoine: error: QuoineAuthenticationError: 401 "
                                    "Unauthorized: API Authentication failed\n")  # fmt: skip


@pytest.mark.parametrize(
    "argv",
    [
        ["demo", f"--secret={CANARY}"],
        ["demo", "--secret", CANARY],
        ["demo", f"--secre={CANARY}"],
        ["--secret", CANARY, "--timeout", CANARY, "products"],
    ],
)
def test_a_secret_given_as_a_flag_is_redacted_from_usage_errors(capsys, monkeypatch, user, argv):
    monkeypatch.delenv("QUOINE_API_SECRET")
    status, _, err = run(capsys, *argv)  # run() checks the canary
    assert status == 2
    assert err.startswith("usage: quoine")
    assert "***" in err


@pytest.mark.parametrize("argv", [[CANARY], ["demo", CANARY], ["products", "--timeout", CANARY]])
def test_the_environment_secret_is_redacted_from_usage_errors(capsys, user, argv):
    status, _, err = run(capsys, *argv)  # run() checks the canary
    assert status == 2
    assert "***" in err


# --- first hour: symbols, lookups, flags that reach the client ----------------


@pytest.mark.parametrize("symbol", ["BTCUSD", "btcusd", "BtcUsd", "1"])
def test_a_currency_pair_code_wherever_a_product_is_asked(capsys, sandbox, user, symbol):
    book = run_json(capsys, "order-book", symbol)
    assert book["sell_price_levels"] == run_json(capsys, "order-book", "1")["sell_price_levels"]
    order = run_json(capsys, "buy", symbol, "0.01", "--price", "25000")
    assert orders_of(sandbox, user)[order["id"]].product.id == 1
    assert [o["id"] for o in run_json(capsys, "orders", "--product-id", symbol)] == [order["id"]]
    assert run_json(capsys, "orders", "--product", "ETHUSD") == []


def test_perpetual_codes_are_found_too(capsys, user):
    book = run_json(capsys, "order-book", "p-btcusd")
    assert book["sell_price_levels"] == run_json(capsys, "order-book", "603")["sell_price_levels"]


def test_find_product_in_the_library(sandbox):
    with Quoinex(api_url=sandbox.url) as client:
        assert client.find_product(" ethjpy ")["id"] == "29"
        assert client.find_product("P-BTCUSD")["id"] == "603"
        assert client.find_product("BTCUDS") is None
        with pytest.raises(QuoineValidationError, match="currency_pair_code must be a non-empty"):
            client.find_product("")


def test_an_unknown_symbol_lists_close_matches_or_says_where_to_look(capsys, sandbox, user):
    status, out, err = run(capsys, "buy", "ETHUS", "1", "--price", "1900")
    assert (status, out) == (2, "")
    assert err.splitlines()[-1] == (
        "quoine buy: error: no product with currency pair code 'ETHUS'; close matches: ETHUSD"
    )
    status, _, err = run(capsys, "executions", "DOGEEUR")
    assert status == 2
    assert err.endswith(
        "no product with currency pair code 'DOGEEUR'; `quoine products` lists them\n"
    )
    assert orders_of(sandbox, user) == {}


def test_show_one_order_by_id_or_by_client_order_id(capsys, sandbox, user):
    placed = run_json(capsys, "buy", "1", "0.01", "--price", "25000", "--client-order-id", "a-1")
    assert run_json(capsys, "order", str(placed["id"]))["id"] == placed["id"]
    assert run_json(capsys, "order", "a-1")["id"] == placed["id"]
    status, out, err = run(capsys, "order", "a-2")
    assert (status, out) == (1, "")
    assert err.startswith("quoine: error: QuoineOrderNotFoundError: 404")
    cancelled = run_json(capsys, "cancel", "a-1")
    assert (cancelled["id"], cancelled["status"]) == (placed["id"], "cancelled")


def test_cancel_all_orders_of_a_product_or_side(capsys, sandbox, user):
    buy = run_json(capsys, "buy", "1", "0.01", "--price", "25000")
    sell = run_json(capsys, "sell", "1", "0.01", "--price", "35000")
    eth = run_json(capsys, "buy", "ETHUSD", "0.1", "--price", "1500")
    cancelled = run_json(capsys, "cancel-all", "--product-id", "BTCUSD", "--side", "sell")
    assert [o["id"] for o in cancelled["models"]] == [sell["id"]]
    status, out, _ = run(capsys, "cancel-all", "--format", "table")
    assert status == 0
    assert out.split()[:2] == ["id", "client_order_id"]
    statuses = {oid: order.status for oid, order in orders_of(sandbox, user).items()}
    assert statuses == {buy["id"]: "cancelled", sell["id"]: "cancelled", eth["id"]: "cancelled"}


def test_each_order_gets_a_fresh_client_order_id(capsys, sandbox, user):
    first = run_json(capsys, "buy", "1", "0.01", "--price", "25000")
    second = run_json(capsys, "buy", "1", "0.01", "--price", "25000")
    ids = {o.client_order_id for o in orders_of(sandbox, user).values()}
    assert ids == {first["client_order_id"], second["client_order_id"]}
    assert all(re.fullmatch(r"[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}", i) for i in ids)


def test_an_order_whose_answer_is_lost_says_how_to_look_it_up(capsys, sandbox, user):
    # The exchange books the order, then the answer and every lookup are lost.
    sandbox.faults.add("drop_after_processing", path="/orders", method="POST")
    sandbox.faults.add("drop_before_processing", path="/orders/client:*", times=None)
    try:
        status, out, err = run(capsys, "buy", "1", "0.01", "--price", "25000", "--retries", "0")
    finally:
        sandbox.faults.clear()
    (order,) = orders_of(sandbox, user).values()  # booked once, never sent twice
    assert (status, out) == (1, "")
    assert err.startswith("quoine: error: QuoineAmbiguousOrderError: ")
    assert err.endswith(
        f"; the order may have been placed: look it up with `quoine order "
        f"{order.client_order_id}` before placing it again\n"
    )
    assert err.count("\n") == 1
    assert run_json(capsys, "order", order.client_order_id)["id"] == order.id


def test_a_market_order_must_be_asked_for(capsys, sandbox, user):
    assert run(capsys, "sell", "1", "0.01")[0] == 2
    assert run(capsys, "buy", "1", "0.01", "--type", "market_with_range")[0] == 2  # no range
    assert orders_of(sandbox, user) == {}  # nothing sent
    sold = run_json(capsys, "sell", "1", "0.01", "--market")
    bought = run_json(capsys, "buy", "1", "0.01", "--type", "market")
    orders = orders_of(sandbox, user)
    assert [orders[o["id"]].order_type for o in (sold, bought)] == ["market", "market"]


class Recorded(Quoinex):
    made: ClassVar[list[dict[str, Any]]] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        Recorded.made.append(kwargs)
        super().__init__(*args, **kwargs)


@pytest.fixture
def recorded(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    Recorded.made = []
    monkeypatch.setitem(cli.EXCHANGES, "quoinex", Recorded)
    monkeypatch.setitem(cli.EXCHANGES, "liquid", Recorded)
    return Recorded.made


@pytest.mark.parametrize(
    ("flags", "options"),
    [
        ([], {}),
        (["--retries", "0"], {"max_retries": 0}),
        (["--retries", "7"], {"max_retries": 7}),
        (["--rate-limit", "off"], {"rate_limit": None}),
        (["--rate-limit", "600/300"], {"rate_limit": (600, 300.0)}),
        (["--rate-limit", "10"], {"rate_limit": (10, 300.0)}),
        (["--timeout", "2.5"], {"timeout": 2.5}),
    ],
)
@pytest.mark.parametrize("before", [True, False])
def test_client_flags_reach_the_client(capsys, sandbox, user, recorded, flags, options, before):
    argv = [*flags, "balances"] if before else ["balances", *flags]
    run_json(capsys, *argv)
    assert recorded == [{"api_url": sandbox.url, **options}]


def test_retries_change_what_the_client_does(capsys, sandbox, user):
    sandbox.faults.add("error_5xx", path="/accounts/balance", times=1)
    assert run(capsys, "balances")[0] == 0  # retried once
    sandbox.faults.add("error_5xx", path="/accounts/balance", times=1)
    status, _, err = run(capsys, "balances", "--retries", "0")
    assert (status, err.split(":")[:3]) == (1, ["quoine", " error", " QuoineServerError"])


@pytest.mark.parametrize(
    "argv",
    [
        ["--format", "table", "products"],
        ["products", "--format", "table"],
        ["--format", "json", "products", "--format", "table"],
    ],
)
def test_global_options_before_or_after_the_command(capsys, user, argv):
    status, out, err = run(capsys, *argv)
    assert (status, err) == (0, "")
    assert out.split()[:2] == ["id", "currency_pair_code"]


def test_csv_and_json_lines_for_any_list(capsys, user):
    status, out, _ = run(capsys, "products", "--format", "csv")
    rows = read_csv(out)
    assert status == 0 and "\r" not in out
    assert rows[0]["currency_pair_code"] == "BTCUSD"
    status, out, _ = run(capsys, "--format", "jsonl", "balances")
    assert {json.loads(line)["currency"] for line in out.splitlines()} == set(FUNDS)


def test_format_help_lists_every_format(capsys):
    for argv in (["--help"], ["products", "--help"], ["export", "--help"]):
        assert main(argv) == 0
        text = " ".join(capsys.readouterr().out.split())
        assert "--format {json,table,csv,jsonl}" in text
        assert (
            "json, table, csv or jsonl (default: table on a terminal, else json; export: csv)"
        ) in text


def test_an_explicit_exchange_wins_over_the_environment(capsys, sandbox, user, monkeypatch):
    monkeypatch.setattr(Qryptos, "API_URL", sandbox.url)
    monkeypatch.setenv("QUOINE_API_URL", f"http://127.0.0.1:{free_port()}")  # nothing there
    assert run_json(capsys, "--exchange", "qryptos", "products")[0]["id"] == "1"
    assert run(capsys, "products")[0] == 1  # the environment, when no --exchange
    assert run_json(capsys, "products", "--api-url", sandbox.url)[0]["id"] == "1"


def test_an_empty_api_url_variable_counts_as_unset(capsys, user, recorded, monkeypatch):
    monkeypatch.setenv("QUOINE_API_URL", "")
    monkeypatch.setattr(Recorded, "API_URL", os.environ.get("UNUSED", "http://127.0.0.1:9"))
    status, _, err = run(capsys, "products", "--retries", "0")
    assert recorded == [{"api_url": None, "max_retries": 0}]  # the class's own URL, no error
    assert (status, "api_url" in err) == (1, False)


def test_network_errors_read_like_the_library(capsys, user):
    url = f"http://127.0.0.1:{free_port()}"
    status, out, err = run(capsys, "--api-url", url, "balances", "--retries", "2")
    assert (status, out) == (1, "")
    host = url.removeprefix("http://")
    assert re.fullmatch(
        rf"quoine: error: QuoineConnectionError: {host}: connection refused; "
        r"3 attempts in \d+\.\d s\n",
        err,
    )
    assert "Max retries exceeded" not in err and "NewConnectionError" not in err


def test_timeouts_are_rounded(capsys, sandbox, user):
    sandbox.faults.add("hang", path="/accounts/balance", delay=3)
    status, out, err = run(capsys, "balances", "--timeout", "0.123456789", "--retries", "0")
    assert (status, out) == (1, "")
    host = sandbox.url.removeprefix("http://")
    assert re.fullmatch(
        rf"quoine: error: QuoineTimeoutError: {host}: no answer within the read timeout "
        r"\(0\.123 s\); 1 attempt in \d+\.\d s\n",
        err,
    ), err


def test_export_since_is_optional(capsys, user):
    argv = ("export", "executions", "--product-id", str(EXEC_PRODUCT), "--format", "jsonl")
    status, out, _ = run(capsys, *argv)
    assert status == 0
    assert len(out.splitlines()) == EXEC_COUNT
    assert json.loads(out.splitlines()[0])["created_at"] == EXEC_START


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
@pytest.mark.parametrize("export_format", ["csv", "jsonl"])
def test_export_rows_are_whole_after_a_signal(
    capsys, user, monkeypatch, tmp_path, export_format, signum
):
    """A signal mid-export (here after 1500 rows): the file holds 1500 whole rows."""
    walk = Quoine.iter_executions_since_time

    def interrupted_walk(self: Quoine, *args: Any, **kwargs: Any) -> Iterator[Any]:
        for count, row in enumerate(walk(self, *args, **kwargs), start=1):
            yield row
            if count == 1500:
                os.kill(os.getpid(), signum)

    monkeypatch.setattr(Quoine, "iter_executions_since_time", interrupted_walk)
    target = tmp_path / f"out.{export_format}"
    argv = ("export", "executions", "--product-id", str(EXEC_PRODUCT), "--format", export_format)
    status, out, err = run(capsys, *argv, "-o", str(target))
    assert (status, out) == ((143, "") if signum == signal.SIGTERM else (130, ""))
    assert err == ("quoine: terminated\n" if signum == signal.SIGTERM else "quoine: interrupted\n")
    text = target.read_text(encoding="utf-8")
    rows = (
        [json.loads(line) for line in text.splitlines()]
        if export_format == "jsonl"
        else read_csv(text)
    )
    assert len(rows) == 1500
    assert rows[-1]["price"] and rows[-1]["taker_side"]  # the last row is whole
    assert int(rows[-1]["created_at"]) == EXEC_START + 149
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL  # put back


def pty_run(argv: list[str], stdout: Any) -> tuple[int, bytes]:
    """Run ``python -m quoine argv`` with stderr on a real terminal; stdout to a file or it too."""
    import pty

    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "quoine", *argv],
        stdout=slave if stdout is None else stdout,
        stderr=slave,
        stdin=subprocess.DEVNULL,
        cwd=ROOT,
    )
    os.close(slave)
    terminal = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: every writer closed the terminal
            break
        if not chunk:
            break
        terminal += chunk
    status = proc.wait(timeout=60)
    os.close(master)
    return status, terminal


def test_progress_line_on_a_real_terminal(user, tmp_path):
    argv = ["export", "executions", "--product-id", str(EXEC_PRODUCT), "--format", "jsonl"]
    with open(tmp_path / "out.jsonl", "wb") as out:
        status, terminal = pty_run(argv, out)
    assert status == 0
    assert len((tmp_path / "out.jsonl").read_bytes().splitlines()) == EXEC_COUNT
    text = terminal.decode()  # the terminal writes each \n as \r\n
    assert text.startswith("\rexported 100 executions\rexported 200 executions\r")
    assert text.endswith(f"\rexported {EXEC_COUNT} executions\r\n")
    assert text.count("\rexported") == EXEC_COUNT // 100 + 1


def test_a_table_on_a_real_terminal(user):
    status, terminal = pty_run(["products"], None)
    assert status == 0
    lines = terminal.decode().splitlines()
    assert lines[0].split()[:2] == ["id", "currency_pair_code"]
    assert re.search(r"^ 1  BTCUSD ", terminal.decode(), re.MULTILINE)


# --- the sandbox from a shell and in a notebook --------------------------------


def test_sandbox_help_shows_its_defaults(capsys):
    assert main(["sandbox", "--help"]) == 0
    text = " ".join(capsys.readouterr().out.split())
    for shown in (
        "--port PORT TCP port; 0 picks a free one (default: 8765)",
        "--host HOST interface to bind (default: 127.0.0.1)",
        "--token-id TOKEN_ID the demo user's API token id (default: sandbox-demo)",
        "--secret SECRET the demo user's secret (default: random)",
        "--seed-executions N add N public executions of BTCUSD (product 1)",
    ):
        assert shown in text


def test_sandbox_prints_export_lines_and_seeds_executions(capsys, monkeypatch):
    proc = subprocess.Popen(
        [sys.executable, "-m", "quoine", "sandbox", "--port", "0", "--secret", "s'cret$x",
         "--seed-executions", "50"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )  # fmt: skip
    assert proc.stdout is not None and proc.stderr is not None
    try:
        printed = [proc.stdout.readline() for _ in range(7)]
        exports = printed[4:]
        assert printed[3] == "# for quoine and Quoinex(api_url=...) in another shell:\n"
        # What a shell makes of the pasted lines.
        shell = subprocess.run(
            ["sh", "-c", "".join(exports) + 'printf "%s|%s|%s" "$QUOINE_API_URL" '
             '"$QUOINE_API_TOKEN_ID" "$QUOINE_API_SECRET"'],
            capture_output=True, text=True, timeout=10, check=True,
        )  # fmt: skip
        url, token, secret = shell.stdout.split("|")
        assert printed[0] == f"listening on {url}\n"
        assert (token, secret) == ("sandbox-demo", "s'cret$x")
        for name, value in zip(("URL", "TOKEN_ID", "SECRET"), (url, token, secret)):
            monkeypatch.setenv(f"QUOINE_API_{name}", value)
        executions = json.loads(main_out(capsys, "executions", "BTCUSD", "--limit", "100"))
        assert len(executions) == 50
        assert json.loads(main_out(capsys, "balances"))[0]["currency"] == "USD"
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == 0
        assert proc.stderr.read() == ""
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=5)
        proc.stdout.close()
        proc.stderr.close()


def main_out(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    assert main(list(argv)) == 0
    return capsys.readouterr().out


def test_sandbox_rejects_a_negative_seed_count(capsys):
    assert main(["sandbox", "--seed-executions", "-1", "--port", "0"]) == 2
    assert "--seed-executions: must be 0 or a positive integer, got '-1'" in capsys.readouterr().err


@pytest.mark.parametrize(
    "error",
    [BrokenPipeError(32, "Broken pipe"), ConnectionResetError(104, "reset"), TimeoutError()],
)
def test_a_client_that_goes_away_mid_answer_prints_no_traceback(capsys, error):
    with Sandbox() as sb:
        server = sb._server
        assert server is not None
        try:
            raise error
        except OSError:
            server.handle_error(None, ("127.0.0.1", 1))
        assert capsys.readouterr().err == ""
        try:
            raise ValueError("a bug in the sandbox")
        except ValueError:
            server.handle_error(None, ("127.0.0.1", 1))
        assert "ValueError: a bug in the sandbox" in capsys.readouterr().err  # still reported


def test_sandbox_repr_shows_the_url_and_token_id_never_the_secret():
    sandbox = Sandbox(secret=CANARY)
    assert repr(sandbox) == "Sandbox(stopped, token_id='sandbox-demo', secret='***')"
    with sandbox:
        assert (
            repr(sandbox) == f"Sandbox(url={sandbox.url!r}, token_id='sandbox-demo', secret='***')"
        )


def test_main_from_another_thread_leaves_signals_alone(capsys, user):
    import threading

    results: list[int] = []
    worker = threading.Thread(target=lambda: results.append(main(["products", "--format", "csv"])))
    worker.start()
    worker.join(timeout=60)
    assert results == [0]
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL


def test_a_transport_error_of_an_unknown_kind_keeps_the_library_message(capsys, user, monkeypatch):
    from quoine.exceptions import QuoineConnectionError

    def broken(self: Quoine) -> None:
        error = QuoineConnectionError("the proxy said no (took 1.23456789 s)", sent=False)
        error.attempts = 2
        raise error

    monkeypatch.setattr(Quoine, "get_account_balances", broken)
    status, out, err = run(capsys, "balances")
    assert (status, out) == (1, "")
    assert re.fullmatch(
        r"quoine: error: QuoineConnectionError: 127\.0\.0\.1:\d+: the proxy said no "
        r"\(took 1\.23 s\); 2 attempts in \d+\.\d s\n",
        err,
    )


def test_a_bug_is_not_turned_into_an_exit_status(user, monkeypatch):
    def bug(self: Quoine) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(Quoine, "get_account_balances", bug)
    with pytest.raises(RuntimeError, match="a bug"):
        main(["balances"])


def test_an_order_interrupted_in_flight_says_how_to_look_it_up(capsys, user, monkeypatch):
    def interrupted(self: Quoine, *args: Any, **kwargs: Any) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(Quoine, "create_order", interrupted)
    status, out, err = run(
        capsys, "sell", "1", "0.01", "--price", "35000", "--client-order-id", "x-9"
    )
    assert (status, out) == (130, "")
    assert err == (
        "quoine: interrupted; the order may have been placed: look it up with "
        "`quoine order x-9` before placing it again\n"
    )


def test_an_order_the_api_refused_gets_no_lookup_hint(capsys, user):
    status, _, err = run(capsys, "buy", "1", "1000", "--market")
    assert status == 1
    assert err.startswith("quoine: error: QuoineInsufficientFundsError: 422")
    assert "look it up" not in err
