"""The README's demo command runs and narrates a real session against the sandbox."""

from __future__ import annotations

import io
import subprocess
import sys

from quoine.__main__ import main
from quoine.demo import run_demo
from quoine.sandbox import Sandbox


def test_demo_narrates_a_session():
    out = io.StringIO()
    assert run_demo(out) == 0
    text = out.getvalue()
    for expected in (
        "Started a sandbox exchange at http://127.0.0.1:",
        "BTCUSD",
        "ask ",
        "bid ",
        "Market buy 0.01 BTC",
        ": filled, filled 0.01",
        "BTC reserved while it is live: 0.005",
        "-> cancelled",
        "buy  0.01 @",
        "Sandbox stopped.",
    ):
        assert expected in text, expected
    assert "secret='***'" in text


def test_demo_against_a_running_sandbox(monkeypatch, capsys):
    with Sandbox() as sandbox:
        monkeypatch.setenv("QUOINE_API_TOKEN_ID", sandbox.token_id)
        monkeypatch.setenv("QUOINE_API_SECRET", sandbox.secret)
        assert main(["demo", "--api-url", sandbox.url]) == 0
        with sandbox.exchange.lock:
            statuses = sorted(order.status for order in sandbox.exchange.demo.orders)
    text = capsys.readouterr().out
    assert "Market buy 0.01 BTC" in text
    assert sandbox.secret not in text
    assert statuses == ["cancelled", "filled"]


def test_python_dash_m_quoine_demo_exits_zero():
    done = subprocess.run(
        [sys.executable, "-m", "quoine", "demo"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Sandbox stopped." in done.stdout
    assert done.stderr == ""


def test_demo_piped_into_a_reader_that_stops_early_exits_cleanly():
    demo = subprocess.Popen(
        [sys.executable, "-m", "quoine", "demo"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert demo.stdout is not None and demo.stderr is not None
    first_line = demo.stdout.readline()
    demo.stdout.close()  # like `| head -1`
    try:
        assert demo.wait(timeout=60) == 0
        errors = demo.stderr.read()
    finally:
        demo.kill()
        demo.stderr.close()
    assert first_line.startswith(b"Started a sandbox exchange")
    assert b"Traceback" not in errors
