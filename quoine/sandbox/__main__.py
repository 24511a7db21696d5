"""Command line: ``python -m quoine.sandbox [options]``."""

from __future__ import annotations

import argparse
import shlex
import signal
import sys
import threading
from typing import Any

from .config import DEMO_TOKEN_ID, SandboxConfig
from .faults import FAULT_KINDS, TAP_FAULT_KINDS
from .models import DIALECTS
from .server import Sandbox

__all__ = ["config_from", "main", "parse_fault"]

DIALECT_HELP = (
    "answer shapes of the Liquid-era docs or of the 2016 Quoinex/Qryptos docs"
    " (default: %(default)s)"
)


def parse_fault(spec: str) -> tuple[str, dict[str, Any]]:
    """Parse ``KIND[,key=value...]`` (e.g. ``error_5xx,path=/orders,times=2``)."""
    kind, *pairs = spec.split(",")
    options: dict[str, Any] = {}
    for pair in pairs:
        key, _, value = pair.partition("=")
        if key in ("times", "status"):
            options[key] = None if value in ("", "none") else int(value)
        elif key in ("delay", "probability"):
            options[key] = float(value)
        elif key == "commit":
            options[key] = value.lower() in ("1", "true", "yes")
        else:
            options[key] = value
    return kind, options


def _count(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"must be 0 or a positive integer, got {text!r}")
    return int(text)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m quoine.sandbox",
        description="Local Quoine/Liquid API v2 sandbox exchange.",
    )
    parser.add_argument(
        "--host", default="127.0.0.1", help="interface to bind (default: %(default)s)"
    )
    parser.add_argument(
        "--port", type=int, default=8765, help="TCP port; 0 picks a free one (default: %(default)s)"
    )
    parser.add_argument(
        "--token-id",
        default=DEMO_TOKEN_ID,
        help="the demo user's API token id (default: %(default)s)",
    )
    parser.add_argument("--secret", default=None, help="the demo user's secret (default: random)")
    parser.add_argument(
        "--no-rate-limit", action="store_true", help="turn off the 300 requests per 300 s limit"
    )
    parser.add_argument(
        "--seed", type=int, default=0, help="seed of the market maker's book (default: %(default)s)"
    )
    parser.add_argument(
        "--seed-executions",
        type=_count,
        default=0,
        metavar="N",
        help="add N public executions of BTCUSD (product 1), 10 a second up to now",
    )
    parser.add_argument(
        "--lenient-nonce", action="store_true", help="also accept a nonce equal to the last one"
    )
    parser.add_argument(
        "--lenient",
        action="store_true",
        help="read any JSON body, with or without Content-Type, flat and nested merged",
    )
    parser.add_argument("--dialect", choices=DIALECTS, default="liquid", help=DIALECT_HELP)
    parser.add_argument(
        "--fault",
        action="append",
        default=[],
        metavar="KIND[,key=value...]",
        help=f"inject a fault; kinds: {', '.join(FAULT_KINDS + TAP_FAULT_KINDS)}",
    )
    parser.add_argument(
        "--random-faults",
        type=float,
        default=0.0,
        metavar="P",
        help="fail each request with probability P (random kind, seeded by --seed)",
    )
    return parser


def config_from(args: argparse.Namespace) -> SandboxConfig:
    """The :class:`SandboxConfig` of parsed command-line arguments."""
    return SandboxConfig(
        host=args.host,
        port=args.port,
        token_id=args.token_id,
        secret=args.secret,
        rate_limit=not args.no_rate_limit,
        seed=args.seed,
        fault_seed=args.seed,
        strict_nonce=not args.lenient_nonce,
        strict=not args.lenient,
        dialect=args.dialect,
    )


def main(argv: list[str] | None = None) -> int:
    """Run the sandbox until SIGINT or SIGTERM; returns the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    sandbox = Sandbox(config=config_from(args))
    for spec in args.fault:
        try:
            kind, options = parse_fault(spec)
            options.setdefault("times", None)
            sandbox.faults.add(kind, **options)
        except (TypeError, ValueError) as exc:  # a bad kind, key or number
            parser.error(f"--fault {spec!r}: {exc}")
    if args.random_faults > 0:
        sandbox.faults.add_random(args.random_faults, seed=args.seed)
    if args.seed_executions:
        sandbox.exchange.seed_executions(1, args.seed_executions, seed=args.seed)
    stop = threading.Event()

    def on_signal(signum: int, frame: Any) -> None:
        stop.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    sandbox.start()
    print(f"listening on {sandbox.url}", flush=True)
    print(f"token_id: {sandbox.token_id}", flush=True)
    print(f"secret: {sandbox.secret}", flush=True)
    print(_exports(sandbox), flush=True)
    tap_url = sandbox.tap_url
    realtime = tap_url or "off (pip install 'python-quoine[realtime]')"
    print(f"realtime: {realtime}", flush=True)
    try:
        while not stop.wait(0.5):
            pass
    finally:
        sandbox.stop()
    return 0


def _exports(sandbox: Sandbox) -> str:
    """Ready-to-paste shell lines that point ``quoine`` and the client at this sandbox."""
    values = {
        "QUOINE_API_URL": sandbox.url,
        "QUOINE_API_TOKEN_ID": sandbox.token_id,
        "QUOINE_API_SECRET": sandbox.secret,
    }
    lines = [f"export {name}={shlex.quote(value)}" for name, value in values.items()]
    return "# for quoine and Quoinex(api_url=...) in another shell:\n" + "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
