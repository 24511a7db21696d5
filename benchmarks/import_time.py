"""Import time of ``import quoine`` against ``import requests``, in fresh interpreters.

Each sample is a new ``python`` process that times the one import statement with
:func:`time.perf_counter` (interpreter start-up is left out; it is the same for
both). The two statements take turns, and the median of each is reported.

Bytecode caching is forced on, into a temporary ``-X pycache_prefix``
directory, and one untimed run of each warms it: an installed package has its
``.pyc`` files, and ``PYTHONDONTWRITEBYTECODE`` (set on some CI machines) would
otherwise make the library, and not ``requests``, compile from source on every
run.

Run alone: ``python -m benchmarks.import_time``.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
from typing import Any

STATEMENTS = {
    "requests": "import requests",
    "quoine": "import quoine",
    "quoine.client": "from quoine.client import Quoinex",
}
_TIMER = "import time; t = time.perf_counter(); {statement}; print(time.perf_counter() - t)"


def _run(statement: str, cache: str, env: dict[str, str]) -> float:
    command = [sys.executable, "-X", f"pycache_prefix={cache}", "-c"]
    output = subprocess.run(
        [*command, _TIMER.format(statement=statement)],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return float(output)


def measure(runs: int = 21) -> dict[str, Any]:
    """Median import milliseconds of each statement over ``runs`` fresh processes."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    samples: dict[str, list[float]] = {name: [] for name in STATEMENTS}
    with tempfile.TemporaryDirectory(prefix="quoine-bench-pyc-") as cache:
        for statement in STATEMENTS.values():
            _run(statement, cache, env)
        for _ in range(runs):
            for name, statement in STATEMENTS.items():
                samples[name].append(_run(statement, cache, env) * 1000)
    ms = {name: round(statistics.median(values), 1) for name, values in samples.items()}
    return {
        "runs": runs,
        "ms": ms,
        "ratio_to_requests": {name: round(value / ms["requests"], 3) for name, value in ms.items()},
    }


if __name__ == "__main__":
    print(json.dumps(measure(), indent=2))
