"""The README's demo command runs and narrates a real session against the sandbox."""

from __future__ import annotations

import io
import os
import subprocess
import sys

import pytest

from quoine.__main__ import main
from quoine.demo import _check_loopback, run_demo
from quoine.exceptions import QuoineValidationError
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
        " filled: 0.01 BTC at an average 30000 USD, fee 0.9 USD",
        "BTC reserved while it is live: 0.005",
        "-> cancelled",
        "USD  99699.1  (paid 300 for the BTC plus a 0.9 fee)",
        "buy  0.01 @",
        "Sandbox stopped.",
        "work on Liquid(token_id, secret) from\nquoine.client: its host, api.liquid.com, "
        "needs no api_url",
    ):
        assert expected in text, expected
    assert "secret='***'" in text
    assert text.count("filled") == 1  # said once, not "filled, filled 0.01"
    assert "Quoinex(api_url=...)" not in text


def test_the_demo_ignores_the_exchange_and_credentials_in_the_environment(monkeypatch):
    """QUOINE_API_URL and credentials of another exchange: the demo never trades there."""
    with Sandbox() as elsewhere:
        monkeypatch.setenv("QUOINE_API_URL", elsewhere.url)
        monkeypatch.setenv("QUOINE_API_TOKEN_ID", elsewhere.token_id)
        monkeypatch.setenv("QUOINE_API_SECRET", elsewhere.secret)
        assert main(["demo"]) == 0
        with elsewhere.exchange.lock:
            assert elsewhere.exchange.demo.orders == []


@pytest.mark.parametrize(
    "url",
    ["https://api.liquid.com", "http://10.0.0.8:8765", "http://example.com", "http://[::2]:80"],
)
def test_the_demo_refuses_a_url_off_this_machine(capsys, url):
    with pytest.raises(QuoineValidationError, match="not a loopback URL"):
        run_demo(io.StringIO(), api_url=url)
    assert main(["demo", "--api-url", url]) == 2
    assert "the demo trades only on a sandbox on this machine" in capsys.readouterr().err


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_the_demo_accepts_a_loopback_sandbox(monkeypatch, host):
    _check_loopback("http://[::1]:8765")  # no error
    _check_loopback("http://127.8.9.10:8765")
    with Sandbox() as sandbox:
        monkeypatch.setenv("QUOINE_API_TOKEN_ID", sandbox.token_id)
        monkeypatch.setenv("QUOINE_API_SECRET", sandbox.secret)
        out = io.StringIO()
        assert run_demo(out, api_url=f"http://{host}:{sandbox.port}") == 0
    assert "-> cancelled" in out.getvalue()


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
    # An environment that points at a real exchange changes nothing.
    env = {**os.environ, "QUOINE_API_URL": "https://api.liquid.com", "QUOINE_API_TOKEN_ID": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "quoine", "demo"],
        env=env,
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
