"""Wire behaviour: products, pagination, executions, errors, rate limit, bulk history."""

from __future__ import annotations

import json
import time

from quoine.sandbox import DEMO_TOKEN_ID, Exchange, make_app

PRODUCT_FIELDS = {
    "id",
    "product_type",
    "code",
    "currency_pair_code",
    "base_currency",
    "quoted_currency",
    "market_bid",
    "market_ask",
    "last_traded_price",
    "volume_24h",
    "taker_fee",
    "maker_fee",
    "tick_size",
    "disabled",
    "margin_enabled",
    "timestamp",
}


def test_products_and_perpetuals(api):
    products = api.get("/products", signed=False)
    ids = [p["id"] for p in products]
    assert {"1", "5", "27", "29", "37"} <= set(ids) and "603" not in ids
    assert set(products[0]) >= PRODUCT_FIELDS
    assert isinstance(products[0]["timestamp"], str) and "." in products[0]["timestamp"]
    perp = api.get("/products?perpetual=1", signed=False)
    assert [p["id"] for p in perp] == ["603"]
    assert perp[0]["product_type"] == "Perpetual" and "mark_price" in perp[0]
    assert api.get("/products/5", signed=False)["currency_pair_code"] == "BTCJPY"
    missing = api.request("GET", "/products/999", signed=False)
    assert missing.status_code == 404 and "message" in missing.json()


def test_price_levels_depth(api):
    book = api.get("/products/1/price_levels?full=0", signed=False)
    assert len(book["buy_price_levels"]) == 20 == len(book["sell_price_levels"])
    full = api.get("/products/1/price_levels?full=1", signed=False)
    assert len(full["sell_price_levels"]) == 30
    bids = [float(p) for p, _ in full["buy_price_levels"]]
    asks = [float(p) for p, _ in full["sell_price_levels"]]
    assert bids == sorted(bids, reverse=True) and asks == sorted(asks) and bids[0] < asks[0]
    assert all(isinstance(q, str) for _, q in full["buy_price_levels"])


def test_static_public_lists(api):
    currencies = {c["currency"]: c for c in api.get("/currencies", signed=False)}
    assert currencies["BTC"]["currency_type"] == "crypto"
    assert currencies["USD"]["currency_type"] == "fiat"
    assert api.get("/fees?fee_type=trade_fee", signed=False)[0]["fee_type"] == "trade_fee"
    ladder = api.get("/ir_ladders/USD", signed=False)
    assert set(ladder) == {"bids", "asks"}
    rates = api.get("/products/603/funding_rate_history", signed=False)
    assert rates["models"] and "funding_rate" in rates["models"][0]


def test_unknown_route_is_json_404(api):
    resp = api.request("GET", "/nope", signed=False)
    assert resp.status_code == 404 and "message" in resp.json()


def test_public_executions_pagination_and_timestamp(api, sandbox):
    ex = sandbox.exchange
    base = 1_500_000_000
    last = ex.seed_executions(27, 95, start=base, per_second=2)
    page = api.get("/executions?product_id=27&limit=20&page=1", signed=False)
    assert page["current_page"] == 1 and page["total_pages"] == 5
    assert page["models"][0]["id"] == last
    ids = [m["id"] for m in page["models"]]
    assert ids == sorted(ids, reverse=True)
    tail = api.get("/executions?product_id=27&limit=20&page=5", signed=False)
    assert len(tail["models"]) == 15
    empty = api.get("/executions?product_id=27&page=9", signed=False)
    assert empty["models"] == []
    since = api.get(f"/executions?product_id=27&timestamp={base + 10}&limit=5", signed=False)
    assert isinstance(since, list)
    stamps = [e["created_at"] for e in since]
    assert stamps[0] == base + 10 and stamps == sorted(stamps)
    # limit 5 ends inside a second: the rest of that second is included.
    assert len(since) == 6 and stamps[-1] == stamps[-2] == base + 12
    assert set(since[0]) >= {"id", "quantity", "price", "taker_side", "created_at"}


def test_limit_clamp_and_bad_limit(api):
    for _ in range(3):
        api.order(order_type="market", product_id=1, side="buy", quantity="0.001")
    big = api.get("/executions/me?product_id=1&limit=5000")
    assert len(big["models"]) == 3
    bad = api.request("GET", "/executions/me?limit=abc")
    assert bad.status_code == 422 and bad.json() == {"errors": {"limit": ["is_invalid"]}}


def test_bulk_seed_is_fast_and_lookup_cheap(sandbox, api):
    t0 = time.perf_counter()
    sandbox.exchange.seed_executions(1, 100_000, start=1_400_000_000, per_second=4)
    assert time.perf_counter() - t0 < 5
    t0 = time.perf_counter()
    rows = api.get("/executions?product_id=1&timestamp=1400020000&limit=1000", signed=False)
    assert len(rows) >= 1000 and rows[0]["created_at"] == 1_400_020_000
    page = api.get("/executions?product_id=1&limit=1000&page=50", signed=False)
    assert len(page["models"]) == 1000
    assert time.perf_counter() - t0 < 2


def test_rate_limit_sliding_window(clock, wsgi_call, make_token):
    app = make_app(rate_limit=(3, 10.0), clock=clock)
    nonce = 1

    def private():
        nonce_holder[0] += 1
        token = make_token(app, "/accounts/balance", nonce_holder[0])
        return wsgi_call(app, "GET", "/accounts/balance", headers={"X-Quoine-Auth": token})

    nonce_holder = [nonce]
    assert [private()[0] for _ in range(3)] == [200, 200, 200]
    status, _, body = private()
    assert status == 429
    assert json.loads(body) == {"message": "API rate limit exceeded. Please retry after 300s"}
    clock.now += 10.5
    assert private()[0] == 200
    # Public endpoints are limited per client IP.
    assert [wsgi_call(app, "GET", "/products")[0] for _ in range(4)] == [200, 200, 200, 429]
    assert wsgi_call(app, "GET", "/products", remote="10.0.0.2")[0] == 200


def test_default_rate_limit_is_300_per_300s(clock):
    app = make_app(clock=clock)
    assert app.limiter is not None
    assert (app.limiter.limit, app.limiter.window) == (300, 300.0)
    assert make_app(rate_limit=False).limiter is None
    assert make_app(rate_limit=600).limiter.limit == 600  # type: ignore[union-attr]


def test_exchange_defaults():
    ex = Exchange(seed=3)
    assert ex.demo.token_id == DEMO_TOKEN_ID
    assert ex.demo.secret and len(ex.demo.secret) > 20
    assert Exchange(seed=3).demo.secret != ex.demo.secret
    # Same seed, same book.
    book = ex.products[1].book.depth(False, 5)
    assert Exchange(seed=3).products[1].book.depth(False, 5) == book
