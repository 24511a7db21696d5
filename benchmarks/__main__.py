"""Run the performance benchmarks of python-quoine and compare them with their targets.

From the repository root, with the package installed (``pip install -e .``)::

    python -m benchmarks                      # all, about a minute
    python -m benchmarks --json out.json      # results file (default benchmarks/results.json)
    python -m benchmarks --only signing import_time
    python -m benchmarks --quick              # fewer rounds, smaller walks: a smoke run
    python -m benchmarks --check              # exit status 1 if a target is missed

Prints one table row per figure (measured, target, met) and writes every raw
figure, plus the machine and versions, as JSON. Each part also runs alone, e.g.
``python -m benchmarks.client_cpu``; docs/performance.rst explains the method.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import pathlib
import platform
import sys
import time
from typing import Any, Callable, NamedTuple

import requests
import urllib3

from benchmarks import bulk_export, client_cpu, import_time, realtime, sandbox_throughput, signing

DEFAULT_JSON = pathlib.Path(__file__).with_name("results.json")


class Row(NamedTuple):
    """One line of the table."""

    name: str
    measured: str
    target: str
    met: bool | None  # None: for information, no target


def _ratio_row(label: str, value: str, ratio: float, limit: float | None = None) -> Row:
    target = "" if limit is None else f"<= {limit:.2f}x"
    met = None if limit is None else ratio <= limit
    return Row(label, f"{value} = {ratio:.2f}x", target, met)


def _client_cpu_rows(result: dict[str, Any]) -> list[Row]:
    us, ratio = result["us_per_call"], result["ratio_to_requests"]

    def row(label: str, name: str, limit: float | None = None) -> Row:
        return _ratio_row(f"client CPU: {label}", f"{us[name]:.0f} us", ratio[name], limit)

    rows = [
        row("requests.Session().get().json() (floor)", "requests"),
        row("urllib3 request + json.loads (lower bound)", "urllib3"),
        row("public GET (get_product)", "public"),
        row("signed GET (get_fiat_accounts)", "signed", 0.75),
    ]
    return rows


def _signing_rows(result: dict[str, Any]) -> list[Row]:
    per = result["us_per_signature"]
    return [
        Row("signing: QuoineAuth.sign (nonce + JWT HS256)", f"{per:.1f} us", "<= 10 us", per <= 10)
    ]


def _import_rows(result: dict[str, Any]) -> list[Row]:
    ms, ratio = result["ms"], result["ratio_to_requests"]
    return [
        _ratio_row(import_time.STATEMENTS[name], f"{ms[name]:.1f} ms", ratio[name], limit)
        for name, limit in (("requests", None), ("quoine", 1.10), ("quoine.client", 1.10))
    ]


def _bulk_rows(result: dict[str, Any]) -> list[Row]:
    rows = []
    walks = result["requests"]
    count = walks["executions"]
    for name, label in (("timestamp_walk", "timestamp walk"), ("paginated_list", "paginated list")):
        walk = walks[name]
        ok = walk["requests"] == walk["minimum_requests"] and walk["each_once_in_order"]
        rows.append(
            Row(
                f"bulk: {label}, {count:,} executions (requests)",
                f"{walk['requests']} ({walk['rows_per_second']:,} rows/s)",
                f"= {walk['minimum_requests']}, each once",
                ok,
            )
        )
    memory = result["memory"]
    for name in ("iter_pages", "iter_executions_since"):
        growth = memory[name]["peak_growth_mib"]
        rows.append(
            Row(
                f"bulk: {name}, {memory['rows']:,} rows (peak growth)",
                f"{growth:.2f} MiB",
                "<= 10 MiB",
                growth <= 10 and memory[name]["rows"] == memory["rows"],
            )
        )
    return rows


def _throughput_rows(result: dict[str, Any]) -> list[Row]:
    rate = result["signed_requests_per_second"]
    return [
        Row(
            f"sandbox: signed requests/s ({result['threads']} client threads)",
            f"{rate:,.0f}/s",
            ">= 500/s",
            rate >= 500,
        )
    ]


def _realtime_rows(result: dict[str, Any]) -> list[Row]:
    ours, theirs = result["throughput"]["python-quoine"], result["throughput"]["liquidtap"]
    late, late_theirs = result["latency"]["python-quoine"], result["latency"]["liquidtap"]
    rate = ours["messages_per_second"]
    cpu, cpu_theirs = ours["cpu_us_per_message"], theirs["cpu_us_per_message"]
    p50, p99 = late["p50_ms"], late["p99_ms"]
    return [
        Row("realtime: ladders/s received + applied", f"{rate:,}/s", ">= 5,000/s", rate >= 5000),
        Row(
            "realtime: the same, liquidtap 1.0.3", f"{theirs['messages_per_second']:,}/s", "", None
        ),
        Row(
            "realtime: CPU per ladder (liquidtap)",
            f"{cpu:.0f} us ({cpu_theirs:.0f} us)",
            "< liquidtap",
            cpu < cpu_theirs,
        ),
        Row(
            "realtime: order-to-event p50 (liquidtap)",
            f"{p50:.1f} ms ({late_theirs['p50_ms']:.1f} ms)",
            "",
            None,
        ),
        Row(
            "realtime: order-to-event p99 (liquidtap)",
            f"{p99:.1f} ms ({late_theirs['p99_ms']:.1f} ms)",
            "< 20 ms",
            p99 < 20,
        ),
    ]


class Part(NamedTuple):
    """A benchmark: how to run it (full and quick) and how to tabulate it."""

    run: Callable[[], dict[str, Any]]
    quick: Callable[[], dict[str, Any]]
    rows: Callable[[dict[str, Any]], list[Row]]


PARTS = {
    "client_cpu": Part(
        client_cpu.measure, lambda: client_cpu.measure(calls=100, rounds=3), _client_cpu_rows
    ),
    "signing": Part(signing.measure, lambda: signing.measure(number=2000, rounds=3), _signing_rows),
    "import_time": Part(import_time.measure, lambda: import_time.measure(runs=3), _import_rows),
    "bulk_export": Part(
        bulk_export.measure, lambda: bulk_export.measure(count=10_000, rows=100_000), _bulk_rows
    ),
    "realtime": Part(
        realtime.measure, lambda: realtime.measure(messages=5000, orders=30), _realtime_rows
    ),
    "sandbox_throughput": Part(
        sandbox_throughput.measure,
        lambda: sandbox_throughput.measure(seconds=1.0),
        _throughput_rows,
    ),
}


def environment() -> dict[str, Any]:
    """The machine and versions the figures come from."""
    return {
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "requests": requests.__version__,
        "urllib3": urllib3.__version__,
    }


def format_table(rows: list[Row]) -> str:
    """A plain-text table; the same layout fits an RST simple table."""
    head = Row("Benchmark", "Measured", "Target", None)
    widths = [max(len(getattr(row, field)) for row in [head, *rows]) for field in Row._fields[:3]]
    widths.append(len("Met"))
    rule = "  ".join("=" * width for width in widths)

    def line(cells: list[str]) -> str:
        return "  ".join(cell.ljust(width) for cell, width in zip(cells, widths)).rstrip()

    def met(row: Row) -> str:
        return "" if row.met is None else ("yes" if row.met else "NO")

    body = [line([row.name, row.measured, row.target, met(row)]) for row in rows]
    return "\n".join([rule, line([*head[:3], "Met"]), rule, *body, rule])


def main(argv: list[str] | None = None) -> int:
    """Run the chosen benchmarks, print the table, write the JSON; return the exit status."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--json", type=pathlib.Path, default=DEFAULT_JSON, help="results file")
    parser.add_argument("--only", nargs="+", choices=sorted(PARTS), help="run only these parts")
    parser.add_argument("--quick", action="store_true", help="fewer rounds, smaller walks")
    parser.add_argument("--check", action="store_true", help="exit 1 if a target is missed")
    args = parser.parse_args(argv)

    results: dict[str, Any] = {"environment": environment(), "quick": args.quick}
    rows: list[Row] = []
    for name in args.only or PARTS:
        part = PARTS[name]
        print(f"running {name}...", file=sys.stderr, flush=True)
        started = time.perf_counter()
        result = part.quick() if args.quick else part.run()
        result["wall_seconds"] = round(time.perf_counter() - started, 1)
        results[name] = result
        rows += part.rows(result)
    results["table"] = [row._asdict() for row in rows]

    env = results["environment"]
    print(f"python-quoine benchmarks: Python {env['python']}, {env['platform']}, "
          f"{env['cpus']} CPUs, requests {env['requests']}, urllib3 {env['urllib3']}")  # fmt: skip
    print(format_table(rows))
    args.json.write_text(json.dumps(results, indent=2) + "\n")
    print(f"results written to {args.json}")
    missed = [row.name for row in rows if row.met is False]
    if missed:
        print("targets missed: " + "; ".join(missed))
    return 1 if args.check and missed else 0


if __name__ == "__main__":
    sys.exit(main())
