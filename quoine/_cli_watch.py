"""``quoine watch``: a live order book, trades or your orders over Liquid Tap.

On a terminal the order book is redrawn in place and trades and orders are
table lines; piped, every update is one JSON line (Decimals as exact strings).
Needs the ``realtime`` extra. Stops on Ctrl-C, or after ``--count`` updates or
``--duration`` seconds.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import time
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Callable, TextIO

from ._http import json_default

if TYPE_CHECKING:
    from .client import Quoine
    from .realtime import LiquidTap, OrderBook, TapEvent

__all__ = ["add_watch_parser", "run_watch"]

WHAT = ("book", "trades", "orders")
_TAP_ENV = "QUOINE_TAP_URL"
_CLEAR = "\x1b[H\x1b[2J"
TRADE_FIELDS = ("id", "created_at", "taker_side", "price", "quantity")
ORDER_FIELDS = ("id", "side", "order_type", "price", "quantity", "filled_quantity", "status")


def _count(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"must be a positive integer, got {text!r}")
    return int(text)


def _duration(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not 0 < value < float("inf"):
        raise argparse.ArgumentTypeError(f"must be a positive number of seconds, got {text!r}")
    return value


def add_watch_parser(
    commands: Any, parents: list[argparse.ArgumentParser]
) -> argparse.ArgumentParser:
    """Add the ``watch`` subcommand to the ``quoine`` parser's subparsers."""
    help = "live order book, trades or your orders over Liquid Tap (the realtime extra)"
    sub: argparse.ArgumentParser = commands.add_parser(
        "watch", help=help, description=help, parents=parents
    )
    sub.set_defaults(usage=sub)
    sub.add_argument("what", choices=WHAT, help="book, trades or orders")
    sub.add_argument(
        "product", nargs="?", help="product id or pair code, e.g. 1 or BTCUSD (book, trades)"
    )
    sub.add_argument("--levels", type=_count, default=10, help="book levels per side (10)")
    sub.add_argument(
        "--currency",
        action="append",
        metavar="CCY",
        help="funding currency of the orders to watch, e.g. USD (repeatable; default: all)",
    )
    sub.add_argument(
        "--tap-url",
        default=os.environ.get(_TAP_ENV),
        metavar="URL",
        help="Liquid Tap URL, e.g. a sandbox's (default $QUOINE_TAP_URL, else Liquid's)",
    )
    with contextlib.suppress(argparse.ArgumentError):  # unless the global options have it
        sub.add_argument("--format", choices=("json", "table"), help="default: table on a tty")
    sub.add_argument("--count", type=_count, help="stop after this many updates")
    sub.add_argument("--duration", type=_duration, metavar="SECONDS", help="stop after this long")
    return sub


def run_watch(client: Quoine, args: argparse.Namespace, out: TextIO) -> int:
    """Run ``quoine watch``; returns the exit status (errors propagate to the caller)."""
    try:
        from .realtime import DEFAULT_URL, LiquidTap
    except ImportError as exc:
        raise _usage(str(exc)) from None
    if args.what != "orders" and not args.product:
        raise _usage(f"watch {args.what} needs a product id or pair code")
    output = args.format or ("table" if out.isatty() else "json")
    if output not in ("json", "jsonl", "table"):
        raise _usage(f"watch writes json (lines) or a table, not {output}")
    as_json = output != "table"
    with LiquidTap(client, url=args.tap_url or DEFAULT_URL) as tap:
        show = _start(tap, client, args, out, as_json)
        deadline = None if args.duration is None else time.monotonic() + args.duration
        shown = 0
        while args.count is None or shown < args.count:
            remaining = None if deadline is None else deadline - time.monotonic()
            if remaining is not None and remaining <= 0:
                break
            event = tap.get(timeout=remaining)
            if event is not None and show(event):
                shown += 1
                out.flush()
    return 0


def _usage(message: str) -> Exception:
    from .cli import UsageError

    return UsageError(message)


def _start(
    tap: LiquidTap, client: Quoine, args: argparse.Namespace, out: TextIO, as_json: bool
) -> Callable[[TapEvent], bool]:
    """Subscribe for ``args.what``; return the function that shows one event."""
    if args.what == "book":
        book = tap.order_book(args.product)
        return _book_view(book, args.levels, out, as_json)
    if args.what == "trades":
        from .realtime._trackers import resolve_product

        _, pair = resolve_product(client, args.product)
        channel = f"executions_cash_{pair}"
        tap.subscribe(channel)
        return _rows_view(channel, TRADE_FIELDS, out, as_json)
    currencies = args.currency or sorted(
        {str(p["quoted_currency"]) for p in client.get_products() if p.get("quoted_currency")}
    )
    tracker = tap.my_orders(currencies)
    return _rows_view(tracker.channels, ORDER_FIELDS, out, as_json)


def _notice(event: TapEvent) -> dict[str, Any] | None:
    from .realtime import Gap, Overflow

    if isinstance(event, Gap):
        return {"event": "gap", "reason": event.reason}
    if isinstance(event, Overflow):
        return {"event": "overflow", "dropped": event.dropped}
    return None


def _dumps(data: Any) -> str:
    return json.dumps(data, separators=(",", ":"), default=json_default)


def _book_view(
    book: OrderBook, levels: int, out: TextIO, as_json: bool
) -> Callable[[TapEvent], bool]:
    def draw(notice: dict[str, Any] | None) -> None:
        snap = book.snapshot(levels)
        if as_json:
            row = {"product_id": book.product_id, "bids": snap.bids, "asks": snap.asks}
            out.write(_dumps(notice or row) + "\n")
            return
        out.write(_CLEAR + "\n".join(_book_lines(book, snap.bids, snap.asks, notice)) + "\n")

    def show(event: TapEvent) -> bool:
        notice = _notice(event)
        if notice is None and getattr(event, "channel", None) not in book.channels:
            return False
        draw(notice)
        return True

    draw(None)  # the book as loaded, before the first update
    out.flush()
    return show


def _book_lines(
    book: OrderBook,
    bids: tuple[tuple[Decimal, Decimal], ...],
    asks: tuple[tuple[Decimal, Decimal], ...],
    notice: dict[str, Any] | None,
) -> list[str]:
    width = max([len(format(p, "f")) for p, _ in bids + asks] + [5])
    lines = [f"{book.pair.upper()} (product {book.product_id})  Ctrl-C to stop", ""]
    lines += [f"  ask {format(p, 'f'):>{width}}  {format(q, 'f')}" for p, q in reversed(asks)]
    lines.append("  " + "-" * (width + 16))
    lines += [f"  bid {format(p, 'f'):>{width}}  {format(q, 'f')}" for p, q in bids]
    if notice is not None:
        lines += ["", f"  ({notice['event']}: {notice.get('reason', notice.get('dropped'))})"]
    return lines


def _rows_view(
    channels: str | tuple[str, ...], fields: tuple[str, ...], out: TextIO, as_json: bool
) -> Callable[[TapEvent], bool]:
    wanted = (channels,) if isinstance(channels, str) else channels
    header = [False]

    def show(event: TapEvent) -> bool:
        notice = _notice(event)
        data = getattr(event, "data", None)
        if notice is None and (
            getattr(event, "channel", None) not in wanted or not isinstance(data, dict)
        ):
            return False
        if as_json:
            out.write(_dumps(notice or data) + "\n")
            return True
        if notice is not None:
            out.write(f"-- {notice['event']}: {notice.get('reason', notice.get('dropped'))}\n")
            return True
        if not header[0]:
            out.write("  ".join(f"{name:>14}" for name in fields) + "\n")
            header[0] = True
        cells = [data.get(name) for name in fields]  # type: ignore[union-attr]
        text = [
            "" if c is None else format(c, "f") if isinstance(c, Decimal) else str(c) for c in cells
        ]
        out.write("  ".join(f"{cell:>14}" for cell in text) + "\n")
        return True

    return show
