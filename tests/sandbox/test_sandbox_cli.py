"""The ``python -m quoine.sandbox`` command and the server lifecycle."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from quoine.sandbox import Sandbox
from quoine.sandbox.__main__ import parse_fault

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_cli_starts_prints_and_exits_cleanly(sig):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "quoine.sandbox",
            "--port",
            "0",
            "--no-rate-limit",
            "--seed",
            "3",
            "--secret",
            "cli-secret-" + "x" * 24,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=ROOT,
    )
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline().strip()
        match = re.fullmatch(r"listening on (http://127\.0\.0\.1:(\d+))", first)
        assert match, first
        token = proc.stdout.readline().strip()
        secret = proc.stdout.readline().strip()
        assert token == "token_id: sandbox-demo"
        assert secret == "secret: cli-secret-" + "x" * 24
        resp = requests.get(match.group(1) + "/products/1", timeout=5)
        assert resp.status_code == 200 and resp.json()["id"] == "1"
        proc.send_signal(sig)
        assert proc.wait(timeout=10) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=5)
        for stream in (proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()


def test_parse_fault_spec():
    assert parse_fault("error_5xx,path=/orders,times=2,commit=true,status=504") == (
        "error_5xx",
        {"path": "/orders", "times": 2, "commit": True, "status": 504},
    )
    assert parse_fault("latency,delay=0.5,probability=0.1") == (
        "latency",
        {"delay": 0.5, "probability": 0.1},
    )


def test_sandbox_context_manager_keepalive_and_stop():
    sb = Sandbox(rate_limit=None, secret="given-secret-" + "y" * 20)
    with pytest.raises(RuntimeError):
        _ = sb.url
    with sb:
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+", sb.url)
        assert sb.secret == "given-secret-" + "y" * 20 and sb.token_id == "sandbox-demo"
        session = requests.Session()
        first = session.get(sb.url + "/products", timeout=5)
        second = session.get(sb.url + "/currencies", timeout=5)
        assert first.status_code == second.status_code == 200
        assert first.headers.get("Connection", "").lower() != "close"
        assert sb.app.request_count == 2
        url = sb.url
    with pytest.raises(requests.ConnectionError):
        session.get(url + "/products", timeout=2)
    session.close()
    assert sb.start() is sb  # restartable on a new port
    sb.stop()


@pytest.mark.parametrize(
    "spec", ["nonsense", "error_5xx,times=x", "latency,delay=soon", "hang,colour=red"]
)
def test_bad_fault_spec_is_a_usage_error(spec, capsys):
    from quoine.sandbox.__main__ import main

    with pytest.raises(SystemExit) as info:
        main(["--port", "0", "--fault", spec])
    assert info.value.code == 2
    error = capsys.readouterr().err
    assert f"--fault {spec!r}" in error and "Traceback" not in error
