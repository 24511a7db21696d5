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
from typing import Any

import pytest

from quoine.cli import Shown, _csv_writer, _is_since, _show, main
from quoine.client import Qryptos, Quoine, Quoinex
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
    "trades",
    "my-executions",
    "buy",
    "sell",
    "cancel",
    "export",
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
        (["order-book"], "the following arguments are required: product_id"),
        (["order-book", "0"], "must be a positive integer, got '0'"),
        (["--exchange", "mtgox", "products"], "invalid choice: 'mtgox'"),
        (["products", "--timeout", "0"], "must be a positive number of seconds"),
        (["products", "--format", "xml"], "invalid choice: 'xml'"),
        (["products", "surplus"], "unrecognized arguments: surplus"),
        (["buy", "1", "-1"], "quantity must be greater than zero, got '-1'"),
        (["sell", "1", "lots", "--price", "100"], "quantity is not a number: 'lots'"),
        (["buy", "1", "0.01", "--type", "limit"], "price is required for limit orders"),
        (["orders", "--status", "pending"], "status must be one of"),
        (["export", "orders"], "the following arguments are required: --since"),
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


def test_csv_keeps_decimals_exact_and_nested_values_as_json():
    out = io.StringIO()
    write = _csv_writer(out)
    write({"id": 1, "price": Decimal("1E-8"), "executions": [{"id": 2}], "note": None})
    write({"id": 3, "price": "5", "executions": [], "note": "x", "extra": "dropped"})
    assert read_csv(out.getvalue()) == [
        {"id": "1", "price": "0.00000001", "executions": '[{"id":2}]', "note": ""},
        {"id": "3", "price": "5", "executions": "[]", "note": "x"},
    ]
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
    sell = run_json(capsys, "sell", "1", "0.02")  # market
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
        "filled_quantity", "status",
    ]  # fmt: skip
    assert row.split()[3:] == ["BTCUSD", "sell", "limit_post_only", "99999.0", "0.5", "0.0", "live"]
    (order,) = orders_of(sandbox, user).values()
    assert order.order_type == "limit_post_only"


def test_api_errors_exit_1_with_one_line(capsys, sandbox, user):
    status, out, err = run(capsys, "buy", "1", "1000")  # 1000 BTC: far more than 100,000 USD
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


def test_missing_credentials_exit_1(capsys, user, monkeypatch):
    monkeypatch.delenv("QUOINE_API_SECRET")
    status, out, err = run(capsys, "orders")
    assert (status, out) == (1, "")
    assert err == (
        "quoine: error: orders needs credentials: set QUOINE_API_TOKEN_ID and "
        "QUOINE_API_SECRET (or pass --token-id and --secret)\n"
    )


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
    first = run_json(capsys, "buy", "1", "0.01")
    clock.offset += 1000
    later = int(clock())
    second = run_json(capsys, "sell", "1", "0.01", "--price", "99999")
    third = run_json(capsys, "buy", "1", "0.02")

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
    ["sell", "1", "0.001"],
    ["buy", "1", "5000"],  # insufficient funds
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
