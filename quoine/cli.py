"""The ``quoine`` command line: market data, balances, orders and exports from a shell.

Each subcommand is a small function that calls the client and returns what to
show; :func:`main` prints it as JSON when standard output is not a terminal and
as a table when it is (``--format`` overrides), and turns errors into exit
statuses: 0 success, 1 API or network error (one line on stderr), 2 usage error
or nothing sent, 130 interrupted, 143 terminated.

Another module adds a command by registering it in :data:`COMMANDS` and adding
its parser in :func:`build_parser` (see ``_add_commands``).
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import datetime as dt
import difflib
import io
import itertools
import json
import os
import re
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from typing import Any, Callable, NamedTuple, Optional, TextIO
from urllib.parse import urlsplit

from ._cli_watch import add_watch_parser, run_watch
from ._http import json_default
from ._utils import unix_seconds
from ._version import __version__
from .client import Liquid, Qryptos, Quoine, QuoineCredentialsError, Quoinex
from .endpoints.orders import new_client_order_id
from .exceptions import (
    QuoineAmbiguousOrderError,
    QuoineError,
    QuoineTransportError,
    QuoineValidationError,
    outcome_unknown,
)

__all__ = ["main"]

EXCHANGES: dict[str, type[Quoine]] = {"quoinex": Quoinex, "qryptos": Qryptos, "liquid": Liquid}
DEFAULT_EXCHANGE = "liquid"
EXPORT_KINDS = ("executions", "my-executions", "orders", "trades")
FORMATS = ("json", "table", "csv", "jsonl")
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
PLACED_COLUMNS = (*ORDER_COLUMNS, "client_order_id")
CANCELLED_COLUMNS = ("id", "client_order_id")
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
_PAIR_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,29}")
_PROGRESS_EVERY = 100
_SECRET_ENV = "QUOINE_API_SECRET"
_URL_ENV = "QUOINE_API_URL"


class Shown(NamedTuple):
    """What a subcommand shows: ``data`` as JSON, or ``rows`` as a table of ``columns``."""

    data: Any
    rows: Sequence[Mapping[str, Any]]
    columns: Sequence[str]


class UsageError(Exception):
    """A bad combination of arguments that argparse cannot see; nothing was sent."""


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised where the program is so that files are closed with whole rows."""


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


def _order(client: Quoine, args: argparse.Namespace) -> Shown:
    if isinstance(args.order, int):
        order = client.get_order(args.order)
    else:
        order = client.get_order_by_client_order_id(args.order)
    return Shown(order, [order], PLACED_COLUMNS)


def _trades(client: Quoine, args: argparse.Namespace) -> Shown:
    page = client.get_trades(
        status=args.status, limit=args.limit, page=args.page, product_id=args.product_id
    )
    return Shown(page["models"], page["models"], TRADE_COLUMNS)


def _my_executions(client: Quoine, args: argparse.Namespace) -> Shown:
    page = client.get_my_executions(args.product_id, limit=args.limit, page=args.page)
    return Shown(page["models"], page["models"], MY_EXECUTION_COLUMNS)


def _order_type(args: argparse.Namespace) -> str:
    """The order type asked for; a market order only when asked for explicitly."""
    if args.market:
        if args.type not in (None, "market") or args.price is not None:
            raise UsageError("--market takes no --price and no other --type")
        return "market"
    if args.type is not None:
        return str(args.type)
    if args.price is None:
        raise UsageError(
            f"give --price for a limit order, or --market to {args.command} at the market price"
        )
    return "limit"


def _place(client: Quoine, args: argparse.Namespace) -> Shown:
    order_type = _order_type(args)
    # A fresh id per order: an order whose answer is lost can be found by it.
    args.client_order_id = args.client_order_id or new_client_order_id()
    order = client.create_order(
        order_type,
        args.product_id,
        args.command,  # "buy" or "sell"
        args.quantity,
        args.price,
        args.price_range,
        client_order_id=args.client_order_id,
    )
    return Shown(order, [order], PLACED_COLUMNS)


def _cancel(client: Quoine, args: argparse.Namespace) -> Shown:
    if isinstance(args.order, int):
        order = client.cancel_order(args.order)
    else:
        order = client.cancel_order_by_client_order_id(args.order)
    return Shown(order, [order], PLACED_COLUMNS)


def _cancel_all(client: Quoine, args: argparse.Namespace) -> Shown:
    cancelled = client.cancel_all_orders(product_id=args.product_id, side=args.side)
    models = cancelled.get("models", []) if isinstance(cancelled, dict) else cancelled
    return Shown(cancelled, models, CANCELLED_COLUMNS)


def _export(client: Quoine, args: argparse.Namespace) -> None:
    output_format = args.format or "csv"
    if output_format not in ("csv", "jsonl"):
        raise UsageError(f"export writes csv or jsonl, not {output_format}")
    rows = _export_rows(client, args)
    count = 0

    def counted() -> Iterator[Mapping[str, Any]]:
        nonlocal count
        for count, row in enumerate(rows, start=1):
            yield row
            if count % _PROGRESS_EVERY == 0:
                _progress(args.kind, count)

    with _output(args.output) as out:
        try:
            write = _write_csv if output_format == "csv" else _write_jsonl
            write(counted(), out)
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
    since = 0 if args.since is None else args.since
    if args.kind == "executions":  # oldest first, from --since
        return client.iter_executions_since_time(args.product_id, since)
    rows: Iterator[Mapping[str, Any]]
    if args.kind == "my-executions":
        rows = client.iter_my_executions(args.product_id)
    elif args.kind == "orders":
        rows = client.iter_orders(product_id=args.product_id, status=args.status)
    else:
        rows = client.iter_trades(status=args.status, product_id=args.product_id)
    # These lists come newest first and have no time filter: stop at the first older row.
    return itertools.takewhile(lambda row: _is_since(row, since), rows)


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
    "order": _order,
    "trades": _trades,
    "my-executions": _my_executions,
    "buy": _place,
    "sell": _place,
    "cancel": _cancel,
    "cancel-all": _cancel_all,
    "export": _export,
}


# --- output ------------------------------------------------------------------


def _dumps(data: Any, indent: int | None = None) -> str:
    # json_default writes Decimals as exact strings, never floats.
    separators = None if indent else (",", ":")
    return json.dumps(data, indent=indent, separators=separators, default=json_default)


def _show(shown: Shown, output_format: str | None, out: TextIO) -> None:
    output_format = output_format or ("table" if out.isatty() else "json")
    if output_format == "json":
        out.write(_dumps(shown.data, indent=2) + "\n")
    elif output_format == "csv":
        _write_csv(shown.rows, out)
    elif output_format == "jsonl":
        _write_jsonl(shown.rows, out)
    else:
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
        try:
            moment = dt.datetime.fromtimestamp(int(Decimal(str(value))), dt.timezone.utc)
        except (OverflowError, OSError, ValueError):  # no date: show the number as sent
            return str(value)
        return moment.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, (dict, list)):
        return _dumps(value)
    return str(value)


def _write_csv(rows: Iterable[Mapping[str, Any]], out: TextIO) -> None:
    """Write ``rows`` as CSV whose header names every field of every row.

    A later row may bring a field the first did not have, so the rows are spooled
    to a temporary file (one JSON line each: constant memory, one pass over the
    API) and the CSV is written when they are all in, or when the walk stops
    early (an error, Ctrl-C, SIGTERM): every row read is written whole. Lines end
    with a plain line feed; no rows, no output (not even a header).
    """
    fields: dict[str, None] = {}
    with tempfile.TemporaryFile("w+", encoding="utf-8") as spool:
        try:
            for row in rows:
                fields.update(dict.fromkeys(row))
                spool.write(_dumps(row) + "\n")
        finally:
            if fields:
                spool.seek(0)
                writer = csv.DictWriter(out, fieldnames=list(fields), lineterminator="\n")
                writer.writeheader()
                for line in spool:
                    row = json.loads(line, parse_float=Decimal)
                    writer.writerow({key: _csv_value(value) for key, value in row.items()})


def _csv_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, (dict, list)):
        return _dumps(value)
    return value


def _write_jsonl(rows: Iterable[Mapping[str, Any]], out: TextIO) -> None:
    for row in rows:
        out.write(_dumps(row) + "\n")  # one write per row: a row is never cut


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


def _non_negative_int(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"must be 0 or a positive integer, got {text!r}")
    return int(text)


def _product(text: str) -> int | str:
    """A product id, or a currency pair code looked up once the client exists."""
    if text.isdigit():
        return _positive_int(text)
    if not _PAIR_CODE.fullmatch(text):
        raise argparse.ArgumentTypeError(
            f"must be a product id or a currency pair code such as BTCUSD, got {text!r}"
        )
    return text


def _order_ref(text: str) -> int | str:
    """An order id (a number), or else a ``client_order_id``."""
    return _positive_int(text) if text.isdigit() else text


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not 0 < value < float("inf"):
        raise argparse.ArgumentTypeError(f"must be a positive number of seconds, got {text!r}")
    return value


def _rate_limit(text: str) -> tuple[int, float] | None:
    """``CALLS/SECONDS``, ``CALLS`` (per 300 s) or ``off``."""
    if text.lower() in ("off", "none", "0"):
        return None
    calls, _, period = text.partition("/")
    try:
        return _positive_int(calls), _seconds(period or "300")
    except argparse.ArgumentTypeError:
        raise argparse.ArgumentTypeError(
            f"must be CALLS/SECONDS (e.g. 300/300), CALLS or off, got {text!r}"
        ) from None


def _since(text: str) -> int:
    try:
        return unix_seconds(text, "value")
    except QuoineValidationError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _global_options(suppress: bool) -> argparse.ArgumentParser:
    """The options every command takes, before or after the command name.

    The copy given to subcommands has no defaults (``suppress``), so an option given
    before the command name is not reset by the subcommand's parser.
    """

    def default(value: Any = None) -> Any:
        return argparse.SUPPRESS if suppress else value

    options = argparse.ArgumentParser(add_help=False)
    group = options.add_argument_group("connection and output (before or after the command)")
    group.add_argument(
        "--exchange",
        choices=sorted(EXCHANGES),
        default=default(),
        help=f"which exchange's API (default {DEFAULT_EXCHANGE}); wins over ${_URL_ENV}",
    )
    group.add_argument(
        "--api-url",
        default=default(),
        metavar="URL",
        help=f"another API root, e.g. a sandbox's (default ${_URL_ENV} unless --exchange)",
    )
    group.add_argument(
        "--token-id", default=default(), metavar="ID", help="API token id ($QUOINE_API_TOKEN_ID)"
    )
    group.add_argument(
        "--secret",
        default=default(),
        help=f"API secret; ${_SECRET_ENV} is safer (a flag shows in ps and shell history)",
    )
    group.add_argument(
        "--timeout",
        type=_seconds,
        default=default(),
        metavar="SECONDS",
        help="timeout per request (default 3.05 to connect, 10 to read)",
    )
    group.add_argument(
        "--retries",
        type=_non_negative_int,
        default=default(),
        metavar="N",
        help="send a failed call again at most N times, where that is safe (default 3)",
    )
    group.add_argument(
        "--rate-limit",
        type=_rate_limit,
        default=default(False),
        metavar="CALLS/SECONDS",
        help="client-side rate limit, or off (default: the exchange's limit per token, "
        "300/300; Liquid 600/300)",
    )
    group.add_argument(
        "--format",
        choices=FORMATS,
        default=default(),
        help="json, table, csv or jsonl (default: table on a terminal, else json; export: csv)",
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
        epilog="PRODUCT is a product id or a currency pair code (BTCUSD, btcusd). Output is "
        "JSON when piped and a table on a terminal. Exit status: 0 success, 1 API or network "
        "error, 2 usage error or nothing sent, 130 interrupted, 143 terminated.",
        parents=[_global_options(suppress=False)],
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    options = _global_options(suppress=True)

    def command(
        name: str, help: str, parents: Sequence[argparse.ArgumentParser] = (options,)
    ) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help, description=help, parents=list(parents))
        sub.set_defaults(usage=sub)  # for usage errors found after parsing
        return sub

    _add_commands(command)
    add_watch_parser(commands, [options])
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
        help="use a sandbox running on this machine (loopback URL) instead of starting one",
    )
    return parser


def _pages(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("--limit", type=_positive_int, help="rows per page (default 20)")
    sub.add_argument("--page", type=_positive_int, help="page number (default 1)")


def _product_argument(sub: argparse.ArgumentParser, *, flag: bool = False) -> None:
    help = "product id or currency pair code (BTCUSD)"
    names = ("--product-id", "--product") if flag else ("product_id",)
    sub.add_argument(*names, type=_product, metavar="PRODUCT", help=help)


def _add_commands(command: Callable[..., argparse.ArgumentParser]) -> None:
    """Add the API commands; each one's function is in :data:`COMMANDS`."""
    sub = command("products", "list the products (currency pairs)")
    sub.add_argument("--perpetual", action="store_true", help="the perpetual products instead")
    sub = command("order-book", "a product's order book, asks above bids")
    _product_argument(sub)
    sub.add_argument("--full", action="store_true", help="every level, not just the best 20")
    sub = command("executions", "a product's recent public executions, newest first")
    _product_argument(sub)
    sub.add_argument("--limit", type=_positive_int, help="how many (default 20)")
    command("balances", "the balance of every currency")
    command("accounts", "fiat and crypto accounts with reserved balances")
    sub = command("orders", "your orders, newest first")
    _product_argument(sub, flag=True)
    sub.add_argument("--status", help="live, filled, partially_filled or cancelled")
    _pages(sub)
    sub = command("order", "one of your orders, by id or by client_order_id")
    sub.add_argument("order", type=_order_ref, metavar="ORDER", help="order id or client_order_id")
    sub = command("trades", "your margin positions")
    _product_argument(sub, flag=True)
    sub.add_argument("--status", help="open or closed")
    _pages(sub)
    sub = command("my-executions", "your executions of a product, newest first")
    _product_argument(sub)
    _pages(sub)
    _add_order_commands(command)
    sub = command("export", "stream executions, my executions, orders or trades to CSV or JSONL")
    sub.add_argument("kind", choices=EXPORT_KINDS)
    sub.add_argument(
        "--since",
        type=_since,
        metavar="TIME",
        help="a date, a date and time (UTC unless given) or unix seconds (default: everything)",
    )
    _product_argument(sub, flag=True)
    sub.add_argument("--status", help="filter orders or trades by status")
    sub.add_argument("--output", "-o", metavar="FILE", help="write here instead of stdout")


def _add_order_commands(command: Callable[..., argparse.ArgumentParser]) -> None:
    for side in ("buy", "sell"):
        sub = command(side, f"place a {side} order: limit with --price, or --market")
        _product_argument(sub)
        sub.add_argument("quantity", help="amount of the base currency, e.g. 0.01")
        sub.add_argument("--price", help="limit price (stop price for --type stop)")
        sub.add_argument("--market", action="store_true", help="a market order (no --price)")
        sub.add_argument("--type", choices=ORDER_TYPES, help="order type (default limit)")
        sub.add_argument("--price-range", help="allowed slippage, for --type market_with_range")
        sub.add_argument(
            "--client-order-id", metavar="ID", help="your id for the order (default: a new UUID)"
        )
    sub = command("cancel", "cancel a live order, by id or by client_order_id")
    sub.add_argument("order", type=_order_ref, metavar="ORDER", help="order id or client_order_id")
    sub = command("cancel-all", "cancel every live order, or those of a product or side")
    _product_argument(sub, flag=True)
    sub.add_argument("--side", choices=("buy", "sell"), help="only buy or sell orders")


# --- entry point -------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    """Run the ``quoine`` command.

    Args:
        argv: Arguments without the program name; defaults to ``sys.argv[1:]``.

    Returns:
        The exit status (0 success, 1 API or network error, 2 usage error or
        nothing sent, such as missing credentials, 130 interrupted by SIGINT,
        143 terminated by SIGTERM).
    """
    argv = sys.argv[1:] if argv is None else argv
    secrets = _secrets(argv)
    parser = build_parser()
    parsed = _parse(parser, argv, secrets)
    if isinstance(parsed, int):
        return parsed
    args, extras = parsed
    with _sigterm_raises():
        try:
            return _run(args, extras)
        except BaseException as exc:  # each kind becomes an exit status
            return _failed(exc, args, parser, secrets)


def _failed(
    exc: BaseException,
    args: argparse.Namespace,
    parser: argparse.ArgumentParser,
    secrets: set[str],
) -> int:
    """Report ``exc`` on stderr in one line and return the exit status."""
    if isinstance(exc, (QuoineValidationError, UsageError)):
        sub: argparse.ArgumentParser = getattr(args, "usage", parser)
        sub.print_usage(sys.stderr)
        print(f"{sub.prog}: error: {_one_line(exc, secrets)}", file=sys.stderr)
        return 2
    if isinstance(exc, QuoineCredentialsError):
        print(
            f"quoine: error: {args.command} needs credentials: set QUOINE_API_TOKEN_ID and "
            f"{_SECRET_ENV} (or pass --token-id and --secret); nothing was sent",
            file=sys.stderr,
        )
        return 2
    if isinstance(exc, BrokenPipeError):
        # The reader went away (``quoine ... | head``): not an error. Point
        # stdout at devnull so the interpreter's final flush stays quiet.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    hint = _lookup_hint(exc, args)
    if isinstance(exc, KeyboardInterrupt):
        word, status = ("terminated", 143) if isinstance(exc, Terminated) else ("interrupted", 130)
        print(f"quoine: {word}{hint}", file=sys.stderr)
        return status
    if isinstance(exc, (QuoineError, OSError)):
        print(f"quoine: error: {_describe(exc, args, secrets)}{hint}", file=sys.stderr)
        return 1
    raise exc


def _lookup_hint(exc: BaseException, args: argparse.Namespace) -> str:
    """For an order whose outcome is unknown: how to find out what happened."""
    client_order_id = getattr(args, "client_order_id", None)
    if args.command not in ("buy", "sell") or client_order_id is None:
        return ""
    if isinstance(exc, QuoineError) and not (
        isinstance(exc, QuoineAmbiguousOrderError) or outcome_unknown(exc)
    ):
        return ""
    return (
        f"; the order may have been placed: look it up with "
        f"`quoine order {client_order_id}` before placing it again"
    )


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

        # Only a URL given here, never $QUOINE_API_URL: the demo trades.
        return run_demo(api_url=args.api_url or None)
    args.started = time.monotonic()
    client = _client(args)
    args.api_url_used = client.API_URL
    with client:
        if args.command == "watch":
            return run_watch(client, args, sys.stdout)
        _resolve_products(client, args)
        shown = COMMANDS[args.command](client, args)
    if shown is not None:
        _show(shown, args.format, sys.stdout)
        sys.stdout.flush()  # a closed pipe must fail here, inside the BrokenPipe handler
    return 0


def _client(args: argparse.Namespace) -> Quoine:
    """The client the options ask for: an explicit --exchange wins over $QUOINE_API_URL."""
    api_url = args.api_url or None
    if api_url is None and args.exchange is None:
        api_url = os.environ.get(_URL_ENV) or None  # an empty variable counts as unset
    options: dict[str, Any] = {"api_url": api_url}
    if args.timeout is not None:
        options["timeout"] = args.timeout
    if args.retries is not None:
        options["max_retries"] = args.retries
    if args.rate_limit is not False:
        options["rate_limit"] = args.rate_limit
    cls = EXCHANGES[args.exchange or DEFAULT_EXCHANGE]
    return cls(args.token_id, args.secret, **options)


def _resolve_products(client: Quoine, args: argparse.Namespace) -> None:
    """Replace a currency pair code given for a product by the product's id."""
    code = getattr(args, "product_id", None)
    if not isinstance(code, str):
        return
    product = client.find_product(code)
    if product is not None:
        args.product_id = int(product["id"])
        return
    known = [str(p.get("currency_pair_code")) for p in client.get_products()]
    known += [str(p.get("currency_pair_code")) for p in client.get_products(perpetual=True)]
    close = difflib.get_close_matches(code.upper(), known, n=3, cutoff=0.75)
    advice = f"close matches: {', '.join(close)}" if close else "`quoine products` lists them"
    raise UsageError(f"no product with currency pair code {code!r}; {advice}")


@contextlib.contextmanager
def _sigterm_raises() -> Iterator[None]:
    """Turn SIGTERM into :class:`Terminated` while a command runs (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def terminate(signum: int, frame: Any) -> None:
        raise Terminated

    previous = signal.signal(signal.SIGTERM, terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _describe(exc: BaseException, args: argparse.Namespace, secrets: set[str]) -> str:
    """One line about an error; a network failure in the library's words, not urllib3's."""
    if not isinstance(exc, QuoineTransportError):
        kind = f"{type(exc).__name__}: " if isinstance(exc, QuoineError) else ""
        return kind + _one_line(exc, secrets)
    text = str(exc)
    reason = next((meaning for marker, meaning in _REASONS if marker in text), None)
    if reason is None:
        reason = _redact(" ".join(exc.message.split()), secrets)
    timeout = re.search(r"timeout=([0-9.]+)", text)
    if timeout:
        reason += f" ({float(timeout[1]):.3g} s)"
    host = urlsplit(getattr(args, "api_url_used", "") or "").netloc
    attempts = max(exc.attempts, 1)
    took = time.monotonic() - getattr(args, "started", time.monotonic())
    where = f"{host}: " if host else ""
    plural = "s" if attempts > 1 else ""
    return _round_times(
        f"{type(exc).__name__}: {where}{reason}; {attempts} attempt{plural} in {took:.1f} s"
    )


# What requests' and urllib3's messages mean, by a marker in their text.
_REASONS = (
    ("Failed to resolve", "could not resolve the host name"),
    ("NameResolutionError", "could not resolve the host name"),
    ("Name or service not known", "could not resolve the host name"),
    ("Connection refused", "connection refused"),
    ("ConnectTimeout", "no connection within the connect timeout"),
    ("connect timeout", "no connection within the connect timeout"),
    ("Read timed out", "no answer within the read timeout"),
    ("RemoteDisconnected", "the server closed the connection without answering"),
    ("Connection aborted", "the connection broke before the answer"),
    ("Connection reset", "the connection was reset"),
    ("CERTIFICATE_VERIFY_FAILED", "the server's TLS certificate could not be verified"),
)


def _round_times(text: str) -> str:
    return re.sub(r"\d+\.\d{4,}", lambda m: f"{float(m[0]):.2f}", text)


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
