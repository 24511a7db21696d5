"""Other clients work against the sandbox unchanged: python-quoine 0.1.4 and ccxt's liquid.

python-quoine 0.1.4 imports as ``quoine`` too, so each legacy client runs in a
subprocess whose ``PYTHONPATH`` starts with a directory it was installed into
(``pip install --no-deps --target``). CI provides the directories through
``QUOINE_LEGACY_DIR`` and ``QUOINE_CCXT_DIR``; otherwise they are installed
once into the pytest cache, and the tests skip when that is impossible (no
network). Both clients use millisecond nonces, so their sandboxes run with
``strict_nonce=False``.

ccxt removed ``liquid`` after the exchange closed; 1.95.1 (October 2022) is a
release that still ships ``ccxt/liquid.py``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from quoine.sandbox import DEMO_BALANCES, Sandbox

CCXT_VERSION = "1.95.1"
INSTALL_TIMEOUT = 180


def _cache_dir(request: pytest.FixtureRequest, tmp_path_factory: Any, name: str) -> Path:
    cache = getattr(request.config, "cache", None)
    if cache is not None:
        return Path(cache.mkdir(name))
    return Path(tmp_path_factory.mktemp(name))


def _pip(target: Path, *args: str) -> None:
    command = [sys.executable, "-m", "pip", "install", "--quiet", "--target", str(target), *args]
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=INSTALL_TIMEOUT, check=False
        )
    except subprocess.TimeoutExpired:
        pytest.skip(f"pip install {' '.join(args)} timed out (no network?)")
    if done.returncode != 0:
        pytest.skip(f"cannot pip install {' '.join(args)}: {done.stderr.strip()[-300:]}")


def _installed(
    request: pytest.FixtureRequest,
    tmp_path_factory: Any,
    env: str,
    name: str,
    marker: str,
    *installs: tuple[str, ...],
) -> Path:
    given = os.environ.get(env)
    if given:
        path = Path(given)
        if not (path / marker).is_file():
            pytest.fail(f"${env}={given} has no {marker}")
        return path
    path = _cache_dir(request, tmp_path_factory, name)
    if not (path / marker).is_file():
        for args in installs:
            _pip(path, *args)
    assert (path / marker).is_file()
    return path


@pytest.fixture(scope="session")
def legacy_dir(request: pytest.FixtureRequest, tmp_path_factory: Any) -> Path:
    return _installed(
        request,
        tmp_path_factory,
        "QUOINE_LEGACY_DIR",
        "python-quoine-0.1.4",
        "quoine/client.py",
        ("--no-deps", "python-quoine==0.1.4", "six"),
    )


@pytest.fixture(scope="session")
def ccxt_dir(request: pytest.FixtureRequest, tmp_path_factory: Any) -> Path:
    return _installed(
        request,
        tmp_path_factory,
        "QUOINE_CCXT_DIR",
        f"ccxt-{CCXT_VERSION}",
        "ccxt/liquid.py",
        ("--no-deps", f"ccxt=={CCXT_VERSION}"),
        ("--only-binary=:all:", "cryptography"),
    )


@pytest.fixture
def lenient_sandbox() -> Iterator[Sandbox]:
    with Sandbox(rate_limit=None, strict_nonce=False, seed=5) as sb:
        yield sb


def run_script(site: Path, script: str, sandbox: Sandbox, tmp_path: Path) -> dict[str, Any]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["PYTHONPATH"] = str(site)
    env["PYTHONWARNINGS"] = "ignore"
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            textwrap.dedent(script),
            sandbox.url,
            sandbox.token_id,
            sandbox.secret,
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=tmp_path,
        env=env,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


LEGACY_SCRIPT = """
import json, sys
from decimal import Decimal
import quoine
from quoine.client import Quoinex
from quoine.exceptions import QuoineAPIException

url, token, secret = sys.argv[1:4]
c = Quoinex(token, secret)
c.API_URL = url
out = {"module": quoine.__file__, "has_sandbox": hasattr(quoine, "sandbox")}
out["products"] = sorted(p["currency_pair_code"] for p in c.get_products())
out["product"] = c.get_product(1)["currency_pair_code"]
book = c.get_order_book(1, full=True)
bid = Decimal(book["buy_price_levels"][0][0])
ask = Decimal(book["sell_price_levels"][0][0])
out["levels"] = len(book["sell_price_levels"])
out["ladder"] = sorted(c.get_interest_rate_ladder("USD"))
limit = c.create_limit_buy(1, "0.01", str(bid - 1000))
out["limit"] = limit
out["live_ids"] = [o["id"] for o in c.get_orders(status="live", product_id=1)["models"]]
out["got_status"] = c.get_order(limit["id"])["status"]
out["edited"] = c.update_live_order(limit["id"], quantity="0.02")["quantity"]
out["cancelled"] = c.cancel_order(limit["id"])
market = c.create_market_buy(1, "0.01")
out["market"] = market
out["my_executions"] = c.get_my_executions(1)["models"]
out["balances"] = c.get_account_balances()
out["fiat"] = [a["currency"] for a in c.get_fiat_accounts()]
out["crypto"] = [a["currency"] for a in c.get_crypto_accounts()]
margin = c.create_margin_order("limit", 1, "buy", "0.01", str(ask), leverage_level=2,
                               funding_currency="USD")
out["margin"] = margin
out["open_trades"] = c.get_trades(status="open")["models"]
out["order_trades"] = c.get_order_trades(margin["id"])
out["closed"] = c.close_all_trades()
errors = {}
try:
    c.create_limit_buy(1, "1000", str(bid))
except QuoineAPIException as e:
    errors["funds"] = [e.status_code, e.messages]
try:
    c.cancel_order(limit["id"])
except QuoineAPIException as e:
    errors["not_found"] = [e.status_code, e.messages]
bad = Quoinex(token, "wrong-secret")
bad.API_URL = url
try:
    bad.get_fiat_accounts()
except QuoineAPIException as e:
    errors["auth"] = [e.status_code, e.messages.decode() if isinstance(e.messages, bytes)
                      else e.messages]
out["errors"] = errors
print(json.dumps(out))
"""


def test_python_quoine_0_1_4_session(legacy_dir, lenient_sandbox, tmp_path):
    sb = lenient_sandbox
    totals = sb.exchange.totals()
    out = run_script(legacy_dir, LEGACY_SCRIPT, sb, tmp_path)

    assert out["module"].startswith(str(legacy_dir))
    assert out["has_sandbox"] is False  # really the old package, not ours
    assert {"BTCUSD", "BTCJPY", "ETHUSD"} <= set(out["products"])
    assert out["product"] == "BTCUSD"
    assert out["levels"] == 30
    assert out["ladder"] == ["asks", "bids"]
    limit = out["limit"]
    assert limit["status"] == "live"
    assert limit["id"] in out["live_ids"]
    assert out["got_status"] == "live"
    assert Decimal(out["edited"]) == Decimal("0.02")
    assert out["cancelled"]["status"] == "cancelled"
    assert out["market"]["status"] == "filled"
    assert sum(Decimal(e["quantity"]) for e in out["my_executions"]) == Decimal("0.01")
    assert {"USD", "JPY"} <= set(out["fiat"]) and {"BTC", "ETH"} <= set(out["crypto"])
    assert out["margin"]["leverage_level"] == 2
    assert [t["side"] for t in out["order_trades"]] == ["long"]
    assert out["order_trades"][0]["leverage_level"] == 2
    assert [t["id"] for t in out["open_trades"]] == [t["id"] for t in out["order_trades"]]
    assert [t["status"] for t in out["closed"]] == ["closed"]
    errors = out["errors"]
    assert errors["funds"] == [422, {"user": ["not_enough_free_balance"]}]
    assert errors["not_found"] == [404, {"message": "Order not found"}]
    assert errors["auth"] == [401, "API Authentication failed"]

    balances = {b["currency"]: Decimal(b["balance"]) for b in out["balances"]}
    fee = Decimal(str(out["market"]["order_fee"]))  # a JSON number, decoded as a float
    cost = sum(Decimal(e["quantity"]) * Decimal(e["price"]) for e in out["my_executions"])
    assert balances["BTC"] == Decimal(DEMO_BALANCES["BTC"]) + Decimal("0.01")
    assert balances["USD"] == Decimal(DEMO_BALANCES["USD"]) - cost - fee
    demo = sb.exchange.demo
    with sb.exchange.lock:
        statuses = {o.id: o.status for o in demo.orders}
        reserved_usd = demo.accounts["USD"].reserved
        open_trades = [t for t in demo.trades if t.status == "open"]
    assert statuses[limit["id"]] == "cancelled"
    assert statuses[out["market"]["id"]] == "filled"
    assert statuses[out["margin"]["id"]] == "filled"
    (closing,) = set(statuses) - {limit["id"], out["market"]["id"], out["margin"]["id"]}
    assert statuses[closing] == "filled"  # close_all_trades' order; the oversized one was rejected
    assert reserved_usd == 0
    assert open_trades == []
    assert sb.exchange.totals() == totals


CCXT_SCRIPT = """
import json, sys
import ccxt

url, token, secret = sys.argv[1:4]
# ccxt 1.95.1 reads options["fetchMarkets"] but declares it under options["swap"], so
# load_markets raises KeyError whenever a perpetual is listed (as on the real Liquid):
# give it the option it looks for.
options = {"fetchMarkets": {"settlementCurrencies": ["USD"]}}
ex = ccxt.liquid({"apiKey": token, "secret": secret, "urls": {"api": {"rest": url}},
                  "enableRateLimit": False, "options": options})
out = {"version": ccxt.__version__}
markets = ex.load_markets()
out["symbols"] = sorted(markets)
book = ex.fetch_order_book("BTC/USD")
out["bid"], out["ask"] = book["bids"][0][0], book["asks"][0][0]
out["ticker_last"] = ex.fetch_ticker("BTC/USD")["last"]
bal = ex.fetch_balance()
out["before"] = {c: [bal[c]["free"], bal[c]["used"], bal[c]["total"]] for c in ("USD", "BTC")}
order = ex.create_order("BTC/USD", "limit", "buy", 0.01, out["bid"] - 1000)
out["order"] = {"id": order["id"], "status": order["status"]}
bal = ex.fetch_balance()
out["during"] = [bal["USD"]["free"], bal["USD"]["used"]]
out["open"] = [o["id"] for o in ex.fetch_open_orders("BTC/USD")]
out["cancel"] = ex.cancel_order(order["id"], "BTC/USD")["status"]
market = ex.create_order("BTC/USD", "market", "buy", 0.01)
out["market_id"] = market["id"]
out["fetched"] = ex.fetch_order(market["id"], "BTC/USD")["status"]
out["my_trades"] = [[t["order"], t["amount"], t["side"]] for t in ex.fetch_my_trades("BTC/USD")]
out["public_trades"] = len(ex.fetch_trades("BTC/USD"))
bal = ex.fetch_balance()
out["after"] = {c: [bal[c]["free"], bal[c]["used"], bal[c]["total"]] for c in ("USD", "BTC")}
errors = {}
try:
    ex.create_order("BTC/USD", "limit", "buy", 1000, out["bid"])
except ccxt.BaseError as e:
    errors["funds"] = type(e).__name__
try:
    ex.cancel_order(order["id"], "BTC/USD")
except ccxt.BaseError as e:
    errors["cancel_again"] = type(e).__name__
bad = ccxt.liquid({"apiKey": token, "secret": "wrong", "urls": {"api": {"rest": url}},
                   "enableRateLimit": False, "options": options})
try:
    bad.fetch_balance()
except ccxt.BaseError as e:
    errors["auth"] = type(e).__name__
out["errors"] = errors
print(json.dumps(out))
"""


def test_ccxt_liquid_session(ccxt_dir, lenient_sandbox, tmp_path):
    sb = lenient_sandbox
    out = run_script(ccxt_dir, CCXT_SCRIPT, sb, tmp_path)

    assert out["version"] == CCXT_VERSION
    assert {"BTC/USD", "BTC/JPY", "ETH/USD", "ETH/BTC"} <= set(out["symbols"])
    assert out["bid"] < out["ask"]
    assert out["ticker_last"] > 0
    assert out["before"]["USD"] == [100000.0, 0.0, 100000.0]
    assert out["before"]["BTC"] == [10.0, 0.0, 10.0]
    assert out["order"]["status"] == "open"
    assert out["during"][1] == pytest.approx(0.01 * (out["bid"] - 1000) * 1.003)
    assert out["open"] == [out["order"]["id"]]
    assert out["cancel"] == "canceled"
    assert out["fetched"] == "closed"
    assert out["my_trades"] and {t[0] for t in out["my_trades"]} == {out["market_id"]}
    assert sum(t[1] for t in out["my_trades"]) == pytest.approx(0.01)
    assert out["public_trades"] >= 1
    assert out["after"]["BTC"][2] == pytest.approx(10.01)
    assert out["after"]["USD"][1] == 0
    assert out["errors"] == {
        "funds": "InsufficientFunds",
        "cancel_again": "OrderNotFound",
        "auth": "AuthenticationError",
    }
    demo = sb.exchange.demo
    with sb.exchange.lock:
        statuses = sorted(o.status for o in demo.orders)
        btc = demo.accounts["BTC"].balance
    assert statuses == ["cancelled", "filled"]
    assert btc == Decimal("10.01")
