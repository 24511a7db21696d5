"""The library copes with both eras' answers: the demo and the command line run on either."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator

import pytest

from quoine.cli import main
from quoine.demo import run_demo
from quoine.sandbox import Sandbox


@pytest.fixture(params=["liquid", "quoine"])
def sandbox(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[Sandbox]:
    with Sandbox(rate_limit=None, dialect=request.param) as sb:
        monkeypatch.setenv("QUOINE_API_TOKEN_ID", sb.token_id)
        monkeypatch.setenv("QUOINE_API_SECRET", sb.secret)
        monkeypatch.setenv("QUOINE_API_URL", sb.url)
        yield sb


def test_the_demo_runs_on_either_era(sandbox: Sandbox) -> None:
    out = io.StringIO()
    assert run_demo(out, api_url=sandbox.url) == 0
    text = out.getvalue()
    assert "BTCUSD" in text and "-> cancelled" in text and "filled: 0.01 BTC" in text


@pytest.mark.parametrize(
    "argv",
    [
        ["products"],
        ["balances"],
        ["accounts"],
        ["orders"],
        ["trades", "--status", "open"],
        ["my-executions", "1"],
    ],
)
@pytest.mark.parametrize("shown", ["json", "table"])
def test_the_command_line_shows_either_era(
    sandbox: Sandbox, capsys: pytest.CaptureFixture[str], argv: list[str], shown: str
) -> None:
    with sandbox.exchange.lock:
        user = sandbox.exchange.demo
        sandbox.exchange.place_order(
            user, {"order_type": "market", "product_id": 1, "side": "buy", "quantity": "0.01"}
        )
        sandbox.exchange.place_order(
            user,
            {
                "order_type": "market",
                "product_id": 1,
                "side": "buy",
                "quantity": "0.01",
                "leverage_level": 2,
            },
        )
    assert main([*argv, "--format", shown]) == 0
    out, err = capsys.readouterr()
    assert err == "" and out.strip()
    if shown == "json":
        assert json.loads(out)
