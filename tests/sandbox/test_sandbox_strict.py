"""Strict mode (issue 11 §1), the configuration object and the change notification."""

from __future__ import annotations

import io
import itertools
import json
from typing import Any

import pytest

import quoine.sandbox.__main__ as sandbox_main
from quoine.sandbox import Sandbox, SandboxConfig, make_app

from .conftest import Clock, wsgi

LIMIT = {
    "order_type": "limit",
    "product_id": 1,
    "side": "buy",
    "quantity": "0.01",
    "price": "20000",
}


NONCES = itertools.count(1)


def send(app: Any, make_token: Any, method: str, path: str, body: Any, ctype: str) -> Any:
    """A signed request with a JSON body and the given Content-Type; (status, JSON)."""
    raw = json.dumps(body).encode()
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "RAW_URI": path,
        "CONTENT_LENGTH": str(len(raw)),
        "CONTENT_TYPE": ctype,
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.input": io.BytesIO(raw),
        "HTTP_X_QUOINE_AUTH": make_token(app, path, next(NONCES)),
    }
    captured: dict[str, Any] = {}

    def start_response(status: str, hdrs: Any, exc: Any = None) -> None:
        captured["status"] = int(status.split()[0])

    data = b"".join(app(environ, start_response))
    return captured["status"], json.loads(data)


@pytest.fixture
def strict_app() -> Any:
    return make_app(rate_limit=None, clock=Clock())


@pytest.fixture
def lenient_app() -> Any:
    return make_app(rate_limit=None, clock=Clock(), strict=False)


def call(app: Any, make_token: Any, body: Any, ctype: str = "application/json") -> Any:
    return send(app, make_token, "POST", "/orders", body, ctype)


def test_strict_is_the_default():
    assert SandboxConfig().strict is True
    assert Sandbox().config.strict is True


@pytest.mark.parametrize("ctype", ["", "text/plain", "application/x-www-form-urlencoded"])
def test_strict_does_not_read_a_body_not_sent_as_json(strict_app, lenient_app, make_token, ctype):
    status, body = call(strict_app, make_token, {"order": LIMIT}, ctype)
    assert (status, body) == (422, {"errors": {"product_id": ["is_missing"]}})
    assert strict_app.exchange.demo.orders == []
    status, body = call(lenient_app, make_token, {"order": LIMIT}, ctype)
    assert status == 200 and body["status"] == "live"


def test_strict_accepts_json_with_a_charset_and_flat_or_nested_fields(strict_app, make_token):
    assert (
        call(strict_app, make_token, {"order": LIMIT}, "application/json; charset=utf-8")[0] == 200
    )
    assert call(strict_app, make_token, LIMIT)[0] == 200  # the API wraps flat parameters itself


@pytest.mark.parametrize("wrapper", ["trade", "orders", "loan_bid", "data"])
def test_strict_refuses_a_body_nested_under_another_key(
    strict_app, lenient_app, make_token, wrapper
):
    status, body = call(strict_app, make_token, {wrapper: LIMIT})
    assert (status, body) == (400, {"message": "param is missing or the value is empty: order"})
    status, body = call(lenient_app, make_token, {wrapper: LIMIT})
    assert (status, body) == (422, {"errors": {"product_id": ["is_missing"]}})


def test_strict_reads_only_the_wrapped_object_when_one_is_sent(strict_app, lenient_app, make_token):
    split = {"order": {k: v for k, v in LIMIT.items() if k != "product_id"}, "product_id": 1}
    assert call(strict_app, make_token, split)[1] == {"errors": {"product_id": ["is_missing"]}}
    assert call(lenient_app, make_token, split)[0] == 200


def test_strict_lets_estimate_nest_for_params(strict_app, make_token):
    body = {"for_action": "withdraw", "for_params": {"currency": "BTC", "amount": "1"}}
    status, answer = send(
        strict_app, make_token, "POST", "/fees/estimate", body, "application/json"
    )
    assert status == 200 and answer["fee_options"]["default"][0]["currency"] == "BTC"


def test_config_flows_from_the_command_line_and_keywords():
    args = sandbox_main._parser().parse_args(["--lenient", "--dialect", "quoine", "--seed", "4"])
    config = sandbox_main.config_from(args)
    assert (config.strict, config.dialect, config.seed, config.port) == (False, "quoine", 4, 8765)
    sb = Sandbox(config=config, port=0, rate_limit=None)
    assert sb.config == SandboxConfig.build(config, port=0, rate_limit=None)
    assert sb.app.config is sb.config and sb.exchange.config is sb.config
    assert Sandbox().config.dialect == "liquid"
    with pytest.raises(TypeError):
        Sandbox(no_such_option=1)
    with pytest.raises(ValueError, match="dialect"):
        SandboxConfig(dialect="kraken")


def test_every_change_bumps_the_version_and_notifies(strict_app, make_token):
    ex = strict_app.exchange
    start = ex.version
    assert ex.wait_for_change(start, timeout=0) == start  # nothing changed: returns at once
    order = ex.place_order(ex.demo, dict(LIMIT))
    assert ex.wait_for_change(start, timeout=0) == start + 1
    ex.cancel_order(order)
    assert ex.version == start + 2
    status, _ = call(strict_app, make_token, {"order": LIMIT})
    assert status == 200 and ex.version == start + 3
    assert call(strict_app, make_token, {"order": {**LIMIT, "quantity": "1e9"}})[0] == 422
    assert ex.version == start + 3  # a refused request changes nothing
    assert wsgi(strict_app, "GET", "/products")[0] == 200
    assert ex.version == start + 3  # nor does a read
