"""The ``quoine`` command line: market data, balances, orders and exports from a shell.

Each subcommand is a small function that calls the client and returns what to
show; :func:`main` prints it as JSON when standard output is not a terminal and
as a table when it is (``--format`` overrides), and turns errors into exit
statuses: 0 success, 1 API or network error (one line on stderr), 2 usage error.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import datetime as dt
import io
import itertools
import json
import os
import re
import sys
from collections.abc import Iterator, Mapping, Sequence
from decimal import Decimal
from typing import Any, Callable, NamedTuple, Optional, TextIO

from ._http import json_default
from ._utils import unix_seconds
from ._version import __version__
from .client import Liquid, Qryptos, Quoine, QuoineCredentialsError, Quoinex
from .exceptions import QuoineError, QuoineValidationError

__all__ = ["main"]

EXCHANGES: dict[str, type[Quoine]] = {"quoinex": Quoinex, "qryptos": Qryptos, "liquid": Liquid}
EXPORT_KINDS = ("executions", "my-executions", "orders", "trades")
# trailing_stop needs two more fields; the client's create_order has them for scripts.
ORDER_TYPES = ("limit", "market", "market_with_range", "limit_post_only", "stop")

PRODUCT_COLUMNS = ("id", "currency_pair_code", "last_traded_price", "market_bid", "market_ask")
BOOK_COLUMNS = ("side", "price", "quantity")
EXECUTION_COLUMNS = ("id", "created_at", "taker_side", "price", "quantity")
MY_EXECUTION_COLUMNS = ("id", "created_at", "my_side", "price", "quantity")
BALANCE_COLUMNS = ("currency", "balance")
ACCOUNT_COLUMNS = ("type", "currency", "balance", "reserved_balance")
ORDER_COLUMNS = (
    "id",
    "created_at",
    "currency_pair_code",
    "side",
    "order_type",
    "price",
    "quantity",
    "filled_quantity",
    "status",
)
TRADE_COLUMNS = (
    "id",
    "created_at",
    "currency_pair_code",
    "side",
    "status",
    "quantity",
    "open_price",
    "pnl",
)

_TIME_COLUMNS = ("created_at", "updated_at")
_NUMBER = re.compile(r"-?\d+(\.\d+)?")
_PROGRESS_EVERY = 100
_SECRET_ENV = "QUOINE_API_SECRET"


class Shown(NamedTuple):
    """What a subcommand shows: ``data`` as JSON, or ``rows`` as a table of ``columns``."""

    data: Any
    rows: Sequence[Mapping[str, Any]]
    columns: Sequence[str]


class UsageError(Exception):
    """A bad combination of arguments that argparse cannot see."""


Command = Callable[[Quoine, argparse.Namespace], Optional[Shown]]


# --- subcommands -------------------------------------------------------------


def _products(client: Quoine, args: argparse.Namespace) -> Shown:
    products = client.get_products(perpetual=args.perpetual)
    return Shown(products, products, PRODUCT_COLUMNS)


def _order_book(client: Quoine, args: argparse.Namespace) -> Shown:
    book = client.get_order_book(args.product_id, full=args.full)
    asks = [{"side": "ask", "price": p, "quantity": q} for p, q, *_ in book["sell_price_levels"]]
    bids = [{"side": "bid", "price": p, "quantity": q} for p, q, *_ in book["buy_price_levels"]]
    return Shown(book, asks[::-1] + bids, BOOK_COLUMNS)


def _executions(client: Quoine, args: argparse.Namespace) -> Shown:
    executions = client.get_executions(args.product_id, limit=args.limit)["models"]
    return Shown(executions, executions, EXECUTION_COLUMNS)


def _balances(client: Quoine, args: argparse.Namespace) -> Shown:
    balances = client.get_account_balances()
    return Shown(balances, balances, BALANCE_COLUMNS)


def _accounts(client: Quoine, args: argparse.Namespace) -> Shown:
    accounts = client.get_accounts()
    rows = [{"type": "fiat", **a} for a in accounts.get("fiat_accounts", [])]
    rows += [{"type": "crypto", **a} for a in accounts.get("crypto_accounts", [])]
    return Shown(accounts, rows, ACCOUNT_COLUMNS)


def _orders(client: Quoine, args: argparse.Namespace) -> Shown:
    page = client.get_orders(
        product_id=args.product_id, status=args.status, limit=args.limit, page=args.page
    )
    return Shown(page["models"], page["models"], ORDER_COLUMNS)


def _trades(client: Quoine, args: argparse.Namespace) -> Shown:
    page = client.get_trades(
        status=args.status, limit=args.limit, page=args.page, product_id=args.product_id
    )
    return Shown(page["models"], page["models"], TRADE_COLUMNS)


def _my_executions(client: Quoine, args: argparse.Namespace) -> Shown:
    page = client.get_my_executions(args.product_id, limit=args.limit, page=args.page)
    return Shown(page["models"], page["models"], MY_EXECUTION_COLUMNS)


def _place(client: Quoine, args: argparse.Namespace) -> Shown:
    order_type = args.type or ("limit" if args.price is not None else "market")
    order = client.create_order(
        order_type,
        args.product_id,
        args.command,  # "buy" or "sell"
        args.quantity,
        args.price,
        args.price_range,
        client_order_id=args.client_order_id,
    )
    return Shown(order, [order], ORDER_COLUMNS)


def _cancel(client: Quoine, args: argparse.Namespace) -> Shown:
    order = client.cancel_order(args.order_id)
    return Shown(order, [order], ORDER_COLUMNS)


def _export(client: Quoine, args: argparse.Namespace) -> None:
    rows = _export_rows(client, args)
    with _output(args.output) as out:
        write = _csv_writer(out) if args.export_format == "csv" else _jsonl_writer(out)
        count = 0
        try:
            for count, row in enumerate(rows, start=1):
                write(row)
                if count % _PROGRESS_EVERY == 0:
                    _progress(args.kind, count)
        finally:
            _progress(args.kind, count, done=True)


@contextlib.contextmanager
def _output(path: str | None) -> Iterator[TextIO]:
    if path is None:
        yield sys.stdout
    else:
        with open(path, "w", encoding="utf-8", newline="") as out:
            yield out


def _export_rows(client: Quoine, args: argparse.Namespace) -> Iterator[Mapping[str, Any]]:
    if args.kind in ("executions", "my-executions") and args.product_id is None:
        raise UsageError(f"--product-id is required to export {args.kind}")
    if args.kind == "executions":  # oldest first, from --since
        return client.iter_executions_since_time(args.product_id, args.since)
    rows: Iterator[Mapping[str, Any]]
    if args.kind == "my-executions":
        rows = client.iter_my_executions(args.product_id)
    elif args.kind == "orders":
        rows = client.iter_orders(product_id=args.product_id, status=args.status)
    else:
        rows = client.iter_trades(status=args.status, product_id=args.product_id)
    # These lists come newest first and have no time filter: stop at the first older row.
    return itertools.takewhile(lambda row: _is_since(row, args.since), rows)


def _is_since(row: Mapping[str, Any], since: int) -> bool:
    created = str(row.get("created_at"))
    return not _NUMBER.fullmatch(created) or Decimal(created) >= since  # unknown: keep it


COMMANDS: dict[str, Command] = {
    "products": _products,
    "order-book": _order_book,
    "executions": _executions,
    "balances": _balances,
    "accounts": _accounts,
    "orders": _orders,
    "trades": _trades,
    "my-executions": _my_executions,
    "buy": _place,
    "sell": _place,
    "cancel": _cancel,
    "export": _export,
}


# --- output ------------------------------------------------------------------


def _dumps(data: Any, indent: int | None = None) -> str:
    # json_default writes Decimals as exact strings, never floats.
    separators = None if indent else (",", ":")
    return json.dumps(data, indent=indent, separators=separators, default=json_default)


def _show(shown: Shown, output_format: str | None, out: TextIO) -> None:
    if (output_format or ("table" if out.isatty() else "json")) == "json":
        out.write(_dumps(shown.data, indent=2) + "\n")
        return
    for line in _table(shown.rows, shown.columns):
        out.write(line + "\n")


def _table(rows: Sequence[Mapping[str, Any]], columns: Sequence[str]) -> list[str]:
    """Aligned lines: a header, then one line per row; numbers are right-aligned."""
    cells = [[_cell(column, row.get(column)) for column in columns] for row in rows]
    lines = [list(columns), *cells]
    widths = [max(len(line[i]) for line in lines) for i in range(len(columns))]
    numeric = [
        bool(cells) and all(_NUMBER.fullmatch(row[i]) or not row[i] for row in cells)
        for i in range(len(columns))
    ]
    return [
        "  ".join(
            cell.rjust(width) if right else cell.ljust(width)
            for cell, width, right in zip(line, widths, numeric)
        ).rstrip()
        for line in lines
    ]


def _cell(column: str, value: Any) -> str:
    if value is None:
        return ""
    if column in _TIME_COLUMNS and _NUMBER.fullmatch(str(value)):
        moment = dt.datetime.fromtimestamp(int(Decimal(str(value))), dt.timezone.utc)
        return moment.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, (dict, list)):
        return _dumps(value)
    return str(value)


def _csv_writer(out: TextIO) -> Callable[[Mapping[str, Any]], None]:
    # The first row's keys are the header: a list endpoint returns the same keys each time.
    writer: csv.DictWriter[str] | None = None

    def write(row: Mapping[str, Any]) -> None:
        nonlocal writer
        if writer is None:
            writer = csv.DictWriter(out, fieldnames=list(row), extrasaction="ignore")
            writer.writeheader()
        writer.writerow({key: _csv_value(value) for key, value in row.items()})

    return write


def _csv_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, (dict, list)):
        return _dumps(value)
    return value


def _jsonl_writer(out: TextIO) -> Callable[[Mapping[str, Any]], None]:
    def write(row: Mapping[str, Any]) -> None:
        out.write(_dumps(row) + "\n")

    return write


def _progress(kind: str, count: int, *, done: bool = False) -> None:
    """Rewrite the progress line in place on stderr, only when stderr is a terminal."""
    if count and sys.stderr.isatty():
        end = "\n" if done else ""
        print(f"\rexported {count} {kind}", end=end, file=sys.stderr, flush=True)


# --- parsing -----------------------------------------------------------------


def _positive_int(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"must be a positive integer, got {text!r}")
    return int(text)


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not 0 < value < float("inf"):
        raise argparse.ArgumentTypeError(f"must be a positive number of seconds, got {text!r}")
    return value


def _since(text: str) -> int:
    try:
        return unix_seconds(text, "value")
    except QuoineValidationError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _connection_options(suppress: bool) -> argparse.ArgumentParser:
    """The options every API command takes, before or after the command name.

    The copy given to subcommands has no defaults (``suppress``), so an option given
    before the command name is not reset by the subcommand's parser.
    """
    default: Any = argparse.SUPPRESS if suppress else None
    options = argparse.ArgumentParser(add_help=False)
    group = options.add_argument_group("connection")
    group.add_argument(
        "--exchange",
        choices=sorted(EXCHANGES),
        default=argparse.SUPPRESS if suppress else "liquid",
        help="which exchange's API (default liquid)",
    )
    group.add_argument(
        "--api-url",
        default=argparse.SUPPRESS if suppress else os.environ.get("QUOINE_API_URL"),
        metavar="URL",
        help="another API root, e.g. a sandbox's (default $QUOINE_API_URL)",
    )
    group.add_argument(
        "--token-id", default=default, metavar="ID", help="API token id ($QUOINE_API_TOKEN_ID)"
    )
    group.add_argument(
        "--secret",
        default=default,
        help="API secret; $QUOINE_API_SECRET is safer (a flag shows in ps and shell history)",
    )
    group.add_argument(
        "--timeout",
        type=_seconds,
        default=default,
        metavar="SECONDS",
        help="timeout per request (default 3.05 to connect, 10 to read)",
    )
    return options


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser of the ``quoine`` command.

    Returns:
        The parser; its subcommands set ``command``.
    """
    parser = argparse.ArgumentParser(
        prog="quoine",
        description="Command line client for the Quoine / Liquid exchange REST API v2.",
        epilog="Output is JSON when piped and a table on a terminal. Exit status: 0 success, "
        "1 API or network error, 2 usage error.",
        parents=[_connection_options(suppress=False)],
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    connection = _connection_options(suppress=True)
    shown = argparse.ArgumentParser(add_help=False)
    shown.add_argument(
        "--format", choices=("json", "table"), help="default: table on a terminal, else JSON"
    )

    def command(
        name: str, help: str, parents: Sequence[argparse.ArgumentParser] = (connection, shown)
    ) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help, description=help, parents=list(parents))
        sub.set_defaults(usage=sub)  # for usage errors found after parsing
        return sub

    def pages(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("--limit", type=_positive_int, help="rows per page (default 20)")
        sub.add_argument("--page", type=_positive_int, help="page number (default 1)")

    sub = command("products", "list the products (currency pairs)")
    sub.add_argument("--perpetual", action="store_true", help="the perpetual products instead")

    sub = command("order-book", "a product's order book, asks above bids")
    sub.add_argument("product_id", type=_positive_int)
    sub.add_argument("--full", action="store_true", help="every level, not just the best 20")

    sub = command("executions", "a product's recent public executions, newest first")
    sub.add_argument("product_id", type=_positive_int)
    sub.add_argument("--limit", type=_positive_int, help="how many (default 20)")

    command("balances", "the balance of every currency")
    command("accounts", "fiat and crypto accounts with reserved balances")

    sub = command("orders", "your orders, newest first")
    sub.add_argument("--product-id", type=_positive_int, metavar="ID")
    sub.add_argument("--status", help="live, filled, partially_filled or cancelled")
    pages(sub)

    sub = command("trades", "your margin positions")
    sub.add_argument("--product-id", type=_positive_int, metavar="ID")
    sub.add_argument("--status", help="open or closed")
    pages(sub)

    sub = command("my-executions", "your executions of a product, newest first")
    sub.add_argument("product_id", type=_positive_int)
    pages(sub)

    for side in ("buy", "sell"):
        sub = command(side, f"place a {side} order: limit with --price, else market")
        sub.add_argument("product_id", type=_positive_int)
        sub.add_argument("quantity", help="amount of the base currency, e.g. 0.01")
        sub.add_argument("--price", help="limit price (stop price for --type stop)")
        sub.add_argument("--type", choices=ORDER_TYPES, help="order type (default limit/market)")
        sub.add_argument("--price-range", help="allowed slippage, for --type market_with_range")
        sub.add_argument("--client-order-id", metavar="ID", help="your own id for the order")

    sub = command("cancel", "cancel a live order")
    sub.add_argument("order_id", type=_positive_int)

    sub = command(
        "export",
        "stream executions, my executions, orders or trades as CSV or JSON Lines",
        [connection],
    )
    sub.add_argument("kind", choices=EXPORT_KINDS)
    sub.add_argument(
        "--since",
        type=_since,
        required=True,
        metavar="TIME",
        help="a date, a date and time (UTC unless given) or unix seconds; 0 for everything",
    )
    sub.add_argument(
        "--product-id", type=_positive_int, metavar="ID", help="required for (my-)executions"
    )
    sub.add_argument("--status", help="filter orders or trades by status")
    sub.add_argument(
        "--format", dest="export_format", choices=("csv", "jsonl"), default="csv", help="csv"
    )
    sub.add_argument("--output", "-o", metavar="FILE", help="write here instead of stdout")

    # Both hand their arguments over to another parser; main() routes the rest there.
    commands.add_parser(
        "sandbox",
        help="run a local sandbox exchange (python -m quoine.sandbox; --help for its options)",
        add_help=False,
    )
    sub = command("demo", "a narrated session against a local sandbox", [])
    sub.add_argument(
        "--api-url",
        default=argparse.SUPPRESS,
        help="use a running sandbox at this URL instead of starting one",
    )
    return parser


# --- entry point -------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    """Run the ``quoine`` command.

    Args:
        argv: Arguments without the program name; defaults to ``sys.argv[1:]``.

    Returns:
        The exit status: 0 success, 1 API or network error, 2 usage error.
    """
    argv = sys.argv[1:] if argv is None else argv
    secrets = _secrets(argv)
    parser = build_parser()
    parsed = _parse(parser, argv, secrets)
    if isinstance(parsed, int):
        return parsed
    args, extras = parsed
    try:
        return _run(args, extras)
    except (QuoineValidationError, UsageError) as exc:
        sub: argparse.ArgumentParser = getattr(args, "usage", parser)
        sub.print_usage(sys.stderr)
        print(f"{sub.prog}: error: {_one_line(exc, secrets)}", file=sys.stderr)
        return 2
    except QuoineCredentialsError:
        print(
            f"quoine: error: {args.command} needs credentials: set QUOINE_API_TOKEN_ID and "
            f"{_SECRET_ENV} (or pass --token-id and --secret)",
            file=sys.stderr,
        )
        return 1
    except (QuoineError, OSError) as exc:
        if isinstance(exc, BrokenPipeError):
            # The reader went away (``quoine ... | head``): not an error. Point
            # stdout at devnull so the interpreter's final flush stays quiet.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return 0
        kind = f"{type(exc).__name__}: " if isinstance(exc, QuoineError) else ""
        print(f"quoine: error: {kind}{_one_line(exc, secrets)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("quoine: interrupted", file=sys.stderr)
        return 130


def _run(args: argparse.Namespace, extras: list[str]) -> int:
    if args.command == "sandbox":
        from .sandbox.__main__ import main as sandbox_main

        try:
            return sandbox_main(extras)
        except SystemExit as exc:  # its own --help or usage error
            return exc.code if isinstance(exc.code, int) else 2
    if extras:
        raise UsageError(f"unrecognized arguments: {' '.join(extras)}")
    if args.command == "demo":
        from .demo import run_demo

        return run_demo(api_url=args.api_url)
    cls = EXCHANGES[args.exchange]
    timeout = {} if args.timeout is None else {"timeout": args.timeout}
    with cls(args.token_id, args.secret, api_url=args.api_url, **timeout) as client:
        shown = COMMANDS[args.command](client, args)
    if shown is not None:
        _show(shown, args.format, sys.stdout)
        sys.stdout.flush()  # a closed pipe must fail here, inside the BrokenPipe handler
    return 0


def _parse(
    parser: argparse.ArgumentParser, argv: list[str], secrets: set[str]
) -> tuple[argparse.Namespace, list[str]] | int:
    """Parse ``argv``; on a usage error return argparse's exit status instead.

    argparse quotes bad values in its messages, and one could be a misplaced
    secret, so its stderr goes through :func:`_redact`.
    """
    captured = io.StringIO()
    try:
        with contextlib.redirect_stderr(captured):
            return parser.parse_known_args(argv)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else 2
    finally:
        sys.stderr.write(_redact(captured.getvalue(), secrets))


def _secrets(argv: Sequence[str]) -> set[str]:
    """The secrets that must never be printed: the environment's and any ``--secret`` value."""
    found = {os.environ.get(_SECRET_ENV, "")}
    for arg, following in zip(argv, [*argv[1:], ""]):
        name, equals, value = arg.partition("=")
        # argparse accepts any unambiguous prefix: --sec, --secr...
        if len(name) > 4 and "--secret".startswith(name):
            found.add(value if equals else following)
    return {secret for secret in found if secret}


def _redact(text: str, secrets: set[str]) -> str:
    for secret in secrets:
        text = text.replace(secret, "***")
    return text


def _one_line(exc: BaseException, secrets: set[str]) -> str:
    return _redact(" ".join(str(exc).split()), secrets)
