"""Choosing the era of the answers: ``Sandbox(dialect=...)`` and ``--dialect``."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from quoine.sandbox import Exchange, Sandbox

ROOT = Path(__file__).resolve().parents[2]


def test_the_default_is_the_liquid_era() -> None:
    with Sandbox(rate_limit=None) as sb:
        product = requests.get(sb.url + "/products/1", timeout=5).json()
    assert product["id"] == "1" and "tick_size" in product


def test_an_unknown_dialect_is_refused() -> None:
    with pytest.raises(ValueError, match="dialect must be one of"):
        Exchange(dialect="qryptos")


@pytest.mark.parametrize(("dialect", "product_id"), [("liquid", "1"), ("quoine", 1)])
def test_the_command_line_serves_the_chosen_dialect(dialect: str, product_id: object) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "quoine.sandbox", "--port", "0", "--dialect", dialect],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=dict(os.environ, PYTHONPATH=str(ROOT)),
        cwd=ROOT,
    )
    try:
        assert proc.stdout is not None
        match = re.fullmatch(
            r"listening on (http://127\.0\.0\.1:\d+)", proc.stdout.readline().strip()
        )
        assert match
        product = requests.get(match.group(1) + "/products/1", timeout=5).json()
        assert product["id"] == product_id
        assert ("tick_size" in product) is (dialect == "liquid")
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=5)
        if proc.stdout is not None:
            proc.stdout.close()
