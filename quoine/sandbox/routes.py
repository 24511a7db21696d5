"""Endpoint handlers and the route table of the sandbox API.

Each handler takes a :class:`~quoine.sandbox.app.Request` and returns a
JSON-able value, or raises :class:`~quoine.sandbox.models.ApiError`. Handlers
run with the exchange lock held.
"""

from __future__ import annotations

import bisect
import random
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Callable

from .models import D0, ApiError, Product, Trade, fmt, num, parse_decimal

if TYPE_CHECKING:
    from .app import Request

__all__ = ["ROUTES"]


# ------------------------------------------------------------------ public
def products(req: Request) -> Any:
    """GET /products (``perpetual=1`` lists perpetuals only)."""
    perpetual = req.flag("perpetual")
    chosen = [p for p in req.ex.products.values() if p.perpetual == perpetual]
    return [_product_json(req, p) for p in chosen]


def _product_json(req: Request, prod: Product) -> dict[str, Any]:
    ex = req.ex
    return prod.to_json(ex.now(), ex.currencies[prod.quote], ex.dialect)


def product(req: Request) -> Any:
    """GET /products/{id}."""
    return _product_json(req, req.ex.product(req.params["id"]))


def price_levels(req: Request) -> Any:
    """GET /products/{id}/price_levels (20 levels per side unless ``full=1``)."""
    prod = req.ex.product(req.params["id"])
    depth = None if req.flag("full") else 20
    return {
        "buy_price_levels": prod.book.depth(True, depth),
        "sell_price_levels": prod.book.depth(False, depth),
    }


def executions(req: Request) -> Any:
    """GET /executions: paginated newest first, or by ``timestamp`` ascending."""
    pid = req.arg("product_id")
    if pid is None:
        raise ApiError.field("product_id", "is_missing")
    prod = req.ex.product(pid)
    stamp = req.arg("timestamp")
    if stamp is None:
        return req.page(prod.executions, lambda e: e.public_json())
    try:
        since = int(Decimal(stamp))
    except ArithmeticError:
        raise ApiError.field("timestamp", "is_invalid") from None
    limit = max(1, min(req.int_arg("limit", 20), 1000))
    start = bisect.bisect_left(prod.exec_times, since)
    end = min(start + limit, len(prod.executions))
    if end > start:
        # Like the real API, finish the boundary second of the last item.
        end = bisect.bisect_right(prod.exec_times, prod.exec_times[end - 1])
    return [e.public_json() for e in prod.executions[start:end]]


def ir_ladder(req: Request) -> Any:
    """GET /ir_ladders/{currency}."""
    return req.ex.funding.ir_ladder(req.params["currency"])


def currencies(req: Request) -> Any:
    """GET /currencies."""
    return [c.to_json() for c in req.ex.currencies.values()]


def fees(req: Request) -> Any:
    """GET /fees and GET /user/fees."""
    return req.ex.funding.fee_rules(req.arg("fee_type"))


def ohlc(req: Request) -> Any:
    """GET /products/{id}/ohlc: ``{"data": [[time, o, h, l, c, volume], ...]}``."""
    prod = req.ex.product(req.params["id"])
    resolution = max(60, req.int_arg("resolution", 60))
    limit = max(1, min(req.int_arg("limit", 100), 1000))
    end = int(req.ex.now()) // resolution * resolution + resolution
    start = end - resolution * limit
    idx = bisect.bisect_left(prod.exec_times, start)
    buckets: dict[int, list[Decimal]] = {}
    for exe in prod.executions[idx:]:
        key = exe.created_at // resolution * resolution
        bar = buckets.get(key)
        if bar is None:
            buckets[key] = [exe.price, exe.price, exe.price, exe.price, exe.quantity]
        else:
            bar[1] = max(bar[1], exe.price)
            bar[2] = min(bar[2], exe.price)
            bar[3] = exe.price
            bar[4] += exe.quantity
    data = [[key, *(fmt(v) for v in bar)] for key, bar in sorted(buckets.items())]
    return {"data": data}


def funding_rates(req: Request) -> Any:
    """GET /products/{id}/funding_rate_history (perpetuals; synthetic, 8-hourly)."""
    prod = req.ex.product(req.params["id"])
    if not prod.perpetual:
        raise ApiError.field("product_id", "not_perpetual")
    rng = random.Random(prod.id)
    now = int(req.ex.now()) // 28800 * 28800
    gte = req.int_arg("timestamp_gte", 0)
    lte = req.int_arg("timestamp_lte", now)
    rows = []
    for i in range(90, -1, -1):
        stamp = now - i * 28800
        rate = Decimal(rng.randint(-100, 300)) / 1000000
        if gte <= stamp <= lte:
            rows.append(
                {
                    "id": stamp // 28800,
                    "product_id": prod.id,
                    "funding_rate": fmt(rate),
                    "interval": 28800,
                    "timestamp": f"{stamp}.0",
                    "created_at": stamp,
                }
            )
    return req.page(rows, lambda r: r)


# ------------------------------------------------------------------ orders
def create_order(req: Request) -> Any:
    """POST /orders (nested ``{"order": {...}}`` or flat)."""
    order = req.ex.place_order(req.user, req.fields("order"))
    return order.to_json(dialect=req.ex.dialect, view="create")


def get_order(req: Request) -> Any:
    """GET /orders/{id} and GET /orders/client:{cid} (with executions)."""
    return req.ex.find_order(req.user, req.params["id"]).to_json(True, req.ex.dialect)


def list_orders(req: Request) -> Any:
    """GET /orders (filters funding_currency, product_id, status, trading_type)."""
    fc = req.arg("funding_currency")
    pid = req.arg("product_id")
    status = req.arg("status")
    ttype = req.arg("trading_type")
    details = req.flag("with_details")
    chosen = []
    for order in req.user.orders:
        if fc and order.funding_currency != fc:
            continue
        if pid and str(order.product.id) != pid:
            continue
        if status == "live":
            if not order.is_live:
                continue
        elif status and order.status != status:
            continue
        if ttype and order.trading_type != ttype:
            continue
        chosen.append(order)
    return req.page(chosen, lambda o: o.to_json(details, req.ex.dialect))


def cancel_order(req: Request) -> Any:
    """PUT /orders/{id}/cancel (404 ``Order not found`` when not live)."""
    try:
        order = req.ex.find_order(req.user, req.params["id"])
    except ApiError:
        raise ApiError.not_found("Order") from None
    return req.ex.cancel_order(order).to_json(dialect=req.ex.dialect, view="change")


def cancel_all(req: Request) -> Any:
    """PUT /orders/cancel_all (filters product_id, side, trading_type)."""
    f = req.fields("order")
    done = req.ex.cancel_all(
        req.user,
        f.get("product_id") or req.arg("product_id"),
        f.get("side") or req.arg("side"),
        f.get("trading_type") or req.arg("trading_type"),
    )
    return {"models": [{"id": o.id, "client_order_id": o.client_order_id} for o in done]}


def edit_order(req: Request) -> Any:
    """PUT /orders/{id} with quantity and/or price."""
    order = req.ex.find_order(req.user, req.params["id"])
    edited = req.ex.edit_order(order, req.fields("order"))
    return edited.to_json(dialect=req.ex.dialect, view="change")


def order_trades(req: Request) -> Any:
    """GET /orders/{id}/trades (plain list)."""
    order = req.ex.find_order(req.user, req.params["id"])
    ids = list(order.trade_ids)
    if order.close_trade is not None:
        ids.append(order.close_trade.id)
    return [req.ex.trades[t].to_json(req.ex.dialect) for t in ids]


def order_executions(req: Request) -> Any:
    """GET /orders/{id}/executions (paginated)."""
    order = req.ex.find_order(req.user, req.params["id"])
    return req.page(order.executions, lambda e: e.to_json(order.side, order))


def my_executions(req: Request) -> Any:
    """GET /executions/me (``with_details=1`` adds order_id/client_order_id)."""
    pid = req.arg("product_id")
    details = req.flag("with_details")
    fills = req.user.fills
    if pid is not None:
        prod = req.ex.product(pid)
        fills = [f for f in fills if f[0].product_id == prod.id]
    return req.page(fills, lambda f: f[0].to_json(f[1], f[2] if details else None))


# ---------------------------------------------------------------- accounts
def _accounts(req: Request, kind: str) -> list[dict[str, Any]]:
    chosen = [a for a in req.user.accounts.values() if a.currency.kind == kind]
    return [a.to_json(req.ex.dialect) for a in chosen]


def fiat_accounts(req: Request) -> Any:
    """GET /fiat_accounts."""
    return _accounts(req, "fiat")


def create_fiat_account(req: Request) -> Any:
    """POST /fiat_accounts (returns the existing account if there is one)."""
    code = str(req.fields("fiat_account").get("currency") or "")
    cur = req.ex.currencies.get(code)
    if cur is None or cur.kind != "fiat":
        raise ApiError.field("currency", "is_invalid")
    return req.ex.account(req.user, code).to_json(req.ex.dialect)


def crypto_accounts(req: Request) -> Any:
    """GET /crypto_accounts."""
    return _accounts(req, "crypto")


def all_accounts(req: Request) -> Any:
    """GET /accounts."""
    return {
        "crypto_accounts": _accounts(req, "crypto"),
        "fiat_accounts": _accounts(req, "fiat"),
    }


def _user_account(req: Request) -> Any:
    code = req.params["currency"].upper()
    acct = req.user.accounts.get(code)
    if acct is None:
        raise ApiError.not_found("Account")
    return acct


def account(req: Request) -> Any:
    """GET /accounts/{currency}."""
    return _user_account(req).to_json(req.ex.dialect)


def reserved_details(req: Request) -> Any:
    """GET /accounts/{currency}/reserved_balance_details."""
    acct = _user_account(req)
    return [
        {"object_type": kind, "object_id": oid, "amount": fmt(amount)}
        for (kind, oid), amount in acct.reservations.items()
    ]


def balances(req: Request) -> Any:
    """GET /accounts/balance."""
    return [{"currency": c, "balance": fmt(a.balance)} for c, a in req.user.accounts.items()]


def _usd_rate(req: Request, code: str) -> Decimal:
    prices = req.ex.products
    btc = prices[1].last_price
    if code in ("BTC", "P-BTC"):
        return btc
    if code == "ETH":
        return prices[27].last_price
    if code == "JPY":
        return btc / prices[5].last_price
    return req.ex.currencies[code].usd_rate


def main_asset(req: Request) -> Any:
    """GET /accounts/main_asset (everything valued in USD at last prices)."""
    total = sum((a.balance * _usd_rate(req, c) for c, a in req.user.accounts.items()), D0)
    return {"currency": "USD", "total_amount": fmt(total.quantize(Decimal("0.01")))}


def transactions(req: Request) -> Any:
    """GET /transactions (filters currency, transaction_type comma list)."""
    code = req.arg("currency")
    types = set((req.arg("transaction_type") or "").split(",")) - {""}
    rows = [
        e
        for e in req.user.entries
        if (not code or e.currency == code) and (not types or e.action in types)
    ]
    return req.page(rows, lambda e: e.to_transaction())


def balance_history(req: Request) -> Any:
    """GET /balance_history (limit default 1000, min 10, max 1000)."""
    code = req.arg("currency")
    action = req.arg("source_action")
    otype = req.arg("source_object_type")
    oid = req.arg("source_object_id")
    gte = float(req.int_arg("timestamp_gte", 0))
    lte = float(req.int_arg("timestamp_lte", 2**62))
    rows = [
        e
        for e in req.user.entries
        if (not code or e.currency == code)
        and (not action or e.action == action)
        and (not otype or e.object_type == otype)
        and (not oid or str(e.object_id) == oid)
        and gte <= e.timestamp < lte + 1
    ]
    return req.page(rows, lambda e: e.to_history(), default=1000, min_limit=10)


# ------------------------------------------------------------------ margin
def _trading_products(req: Request) -> list[Product]:
    return [p for p in req.ex.products.values() if p.margin_enabled and not p.disabled]


def _trading_account(req: Request, prod: Product, listed: bool = False) -> dict[str, Any]:
    """A trading account; ``listed`` for an item of ``GET /trading_accounts``.

    The Liquid-era answer sends the amounts as JSON numbers and ``product_id``
    as a string; the 2016 one strings and an integer, and its list items add
    ``base_open_price`` and the long/short summaries.
    """
    user = req.user
    trades = [t for t in user.trades if t.product is prod and t.status == "open"]
    position = sum((t.open_quantity if t.side == "long" else -t.open_quantity for t in trades), D0)
    margin = sum((t.margin for t in trades), D0)
    pnl = sum((t.open_pnl() for t in trades), D0)
    balance = req.ex.account(user, prod.quote).balance
    lev = user.leverage.get(prod.id, 2)
    liquid = req.ex.dialect == "liquid"
    amount = num if liquid else fmt
    data: dict[str, Any] = {
        "id": user.id * 10000 + prod.id,
        "leverage_level": lev,
        "max_leverage_level": 100,
        "current_leverage_level": lev,
        "pnl": amount(pnl),
        "equity": amount(balance + pnl),
        "margin": amount(margin),
        "free_margin": amount(balance + pnl - margin),
        "trader_id": user.id,
        "status": "active",
        "product_code": "CASH",
        "currency_pair_code": prod.code,
        "position": amount(position),
        "balance": amount(balance),
        "created_at": 0,
        "updated_at": int(req.ex.now()),
        "pusher_channel": f"trading_account_{user.id * 10000 + prod.id}",
        "margin_percent": amount(Decimal("0.1")),
        "product_id": str(prod.id) if liquid else prod.id,
        "funding_currency": prod.quote,
    }
    if not liquid:
        del data["current_leverage_level"]
        if listed:
            summary = {"pnl": "0.0", "position": "0.0", "base_open_price": "0.0"}
            data.update(base_open_price=0, long_summary=summary, short_summary=dict(summary))
    return data


def _find_trading_product(req: Request) -> Product:
    try:
        value = int(req.params["id"])
    except ValueError:
        value = -1
    prod = req.ex.products.get(value - req.user.id * 10000)
    if prod is None or prod not in _trading_products(req):
        raise ApiError.not_found("Trading account")
    return prod


def trading_accounts(req: Request) -> Any:
    """GET /trading_accounts (plain list, one per margin product)."""
    return [_trading_account(req, p, listed=True) for p in _trading_products(req)]


def trading_account(req: Request) -> Any:
    """GET /trading_accounts/{id}."""
    return _trading_account(req, _find_trading_product(req))


def set_leverage(req: Request) -> Any:
    """PUT /trading_accounts/{id} ``{"trading_account": {"leverage_level": N}}``."""
    prod = _find_trading_product(req)
    raw = req.fields("trading_account").get("leverage_level")
    try:
        lev = int(str(raw))
    except ValueError:
        lev = 0
    if lev not in LEVERAGES:
        raise ApiError.field("leverage_level", "is_invalid")
    req.user.leverage[prod.id] = lev
    return _trading_account(req, prod)


LEVERAGES = [100, 50, 25, 10, 5, 4, 2, 1]


def leverage_limitation(req: Request) -> Any:
    """GET /users/leverage_limitation."""
    return LEVERAGES[:-1]


def _find_trade(req: Request) -> Trade:
    try:
        trade = req.ex.trades.get(int(req.params["id"]))
    except ValueError:
        trade = None
    if trade is None or trade.user is not req.user:
        raise ApiError.not_found("Trade")
    return trade


def list_trades(req: Request) -> Any:
    """GET /trades (filters funding_currency, status, product_id, side, trading_type)."""
    want = {k: req.arg(k) for k in ("funding_currency", "status", "product_id", "side")}
    ttype = req.arg("trading_type")
    rows = []
    for trade in req.user.trades:
        data = trade.to_json(req.ex.dialect)
        if any(v and str(data[k]) != v for k, v in want.items()):
            continue
        if ttype and ("perpetual" if trade.product.perpetual else "margin") != ttype:
            continue
        rows.append(data)
    return req.page(rows, lambda d: d)


def get_trade(req: Request) -> Any:
    """GET /trades/{id}."""
    return _find_trade(req).to_json(req.ex.dialect)


def close_trade(req: Request) -> Any:
    """PUT /trades/{id}/close (optional ``closed_quantity``)."""
    trade = _find_trade(req)
    raw = req.fields("trade").get("closed_quantity")
    qty = None if raw in (None, "") else parse_decimal(raw, "closed_quantity")
    return req.ex.close_trade(trade, qty).to_json(req.ex.dialect)


def close_all_trades(req: Request) -> Any:
    """PUT /trades/close_all (optional ``side``): plain list of closed trades."""
    side = req.fields("trade").get("side")
    chosen = [t for t in req.user.trades if t.status == "open" and (not side or t.side == side)]
    return [req.ex.close_trade(t).to_json(req.ex.dialect) for t in chosen]


def update_trade(req: Request) -> Any:
    """PUT /trades/{id} ``{"trade": {"stop_loss", "take_profit"}}``."""
    trade = _find_trade(req)
    f = req.fields("trade")
    for name in ("stop_loss", "take_profit"):
        if name in f:
            value = f[name]
            empty = value in (None, "") or str(value) in ("0", "0.0")
            setattr(trade, name, None if empty else parse_decimal(value, name))
    trade.updated_at = int(req.ex.now())
    return trade.to_json(req.ex.dialect)


def adjust_margin(req: Request) -> Any:
    """PUT /trades/{id}/adjust_margin (``delta_margin`` or ``delta``, or a new ``margin``)."""
    trade = _find_trade(req)
    f = req.fields("trade")
    given = f.get("delta_margin")
    if given in (None, ""):
        given = f.get("delta")
    if given not in (None, ""):
        raw = str(given)
        delta = parse_decimal(raw.lstrip("-"), "delta_margin")
        delta = -delta if raw.startswith("-") else delta
    else:
        delta = parse_decimal(f.get("margin"), "margin") - trade.margin
    return req.ex.adjust_margin(trade, delta).to_json(req.ex.dialect)


def trade_loans(req: Request) -> Any:
    """GET /trades/{id}/loans (plain list)."""
    return req.ex.funding.trade_loans(_find_trade(req))


# ----------------------------------------------------------------- lending
def create_loan_bid(req: Request) -> Any:
    """POST /loan_bids."""
    return req.ex.funding.create_loan_bid(req.user, req.fields("loan_bid")).to_json()


def list_records(kind: str, *filters: str) -> Callable[[Request], Any]:
    """Build a paginated GET handler for a funding record kind."""

    def handler(req: Request) -> Any:
        wanted = {name: req.arg(name) for name in filters}
        rows = req.ex.funding.find(kind, req.user, **wanted)
        return req.page(rows, lambda r: r.to_json())

    handler.__doc__ = f"GET list of {kind} records (paginated)."
    return handler


def close_loan_bid(req: Request) -> Any:
    """PUT /loan_bids/{id}/close."""
    funding = req.ex.funding
    return funding.close_loan_bid(funding.get("loan_bid", req.user, req.params["id"])).to_json()


def update_loan(req: Request) -> Any:
    """PUT /loans/{id} (``fund_reloaned``, flat or under ``loan``)."""
    rec = req.ex.funding.get("loan", req.user, req.params["id"])
    value = req.fields("loan").get("fund_reloaned")
    if value is not None:
        rec.fields["fund_reloaned"] = str(value).lower() in ("true", "1")
    return rec.to_json()


# ----------------------------------------------------------------- funding
def create_crypto_withdrawal(req: Request) -> Any:
    """POST /crypto_withdrawals."""
    f = req.fields("crypto_withdrawal")
    return req.ex.funding.create_withdrawal(req.user, f, crypto=True).to_json()


def create_withdrawal(req: Request) -> Any:
    """POST /withdrawals (fiat, needs a bank_account_id)."""
    return req.ex.funding.create_withdrawal(req.user, req.fields("withdrawal"), False).to_json()


def get_record(kind: str) -> Callable[[Request], Any]:
    """Build a GET-one handler for a funding record kind."""

    def handler(req: Request) -> Any:
        req.ex.funding.advance()
        return req.ex.funding.get(kind, req.user, req.params["id"]).to_json()

    handler.__doc__ = f"GET one {kind}."
    return handler


def cancel_record(kind: str) -> Callable[[Request], Any]:
    """Build a cancel handler for a withdrawal kind."""

    def handler(req: Request) -> Any:
        funding = req.ex.funding
        return funding.cancel_withdrawal(funding.get(kind, req.user, req.params["id"])).to_json()

    handler.__doc__ = f"PUT cancel of a pending {kind}."
    return handler


def crypto_networks(req: Request) -> Any:
    """GET /crypto_withdrawals/crypto_networks (plain list)."""
    code = req.arg("currency")
    out = []
    for cur in req.ex.currencies.values():
        if cur.kind != "crypto" or (code and cur.code != code):
            continue
        for net in ("BTC",) if cur.code == "BTC" else ("ERC20",) if cur.code == "ETH" else ():
            out.append(
                {
                    "network": net,
                    "currency": cur.code,
                    "withdrawal_fee": fmt(cur.withdrawal_fee),
                    "minimum_withdrawal": fmt(cur.min_withdrawal),
                }
            )
    return out


def create_bank_account(req: Request) -> Any:
    """POST /bank_accounts."""
    return req.ex.funding.create_bank_account(req.user, req.fields("bank_account")).to_json()


def create_fund_info(req: Request) -> Any:
    """POST /fund_infos (a fiat deposit, credited at once)."""
    return req.ex.funding.create_fund_info(req.user, req.fields("fund_info")).to_json()


# -------------------------------------------------------------------- fees
def fee_tier(req: Request) -> Any:
    """GET /user/fee_tier."""
    return {
        "fee_tier": 0,
        "from_time": "2021-01-01T00:00:00Z",
        "to_time": "2021-01-31T00:00:00Z",
        "in_currency": "USD",
        "currency_pair_volume": "0.0",
        "perpetual_volume": "0.0",
    }


def estimate_fees(req: Request) -> Any:
    """POST /fees/estimate."""
    return req.ex.funding.estimate(req.body)


_Row = tuple[str, str, Callable[["Request"], Any], bool]
ROUTES: list[_Row] = [
    ("GET", "/products", products, False),
    ("GET", "/products/{id}", product, False),
    ("GET", "/products/{id}/price_levels", price_levels, False),
    ("GET", "/products/{id}/ohlc", ohlc, False),
    ("GET", "/products/{id}/funding_rate_history", funding_rates, False),
    ("GET", "/executions", executions, False),
    ("GET", "/ir_ladders/{currency}", ir_ladder, False),
    ("GET", "/currencies", currencies, False),
    ("GET", "/fees", fees, False),
    ("POST", "/orders", create_order, True),
    ("GET", "/orders", list_orders, True),
    ("PUT", "/orders/cancel_all", cancel_all, True),
    ("GET", "/orders/{id}", get_order, True),
    ("PUT", "/orders/{id}", edit_order, True),
    ("PUT", "/orders/{id}/cancel", cancel_order, True),
    ("GET", "/orders/{id}/trades", order_trades, True),
    ("GET", "/orders/{id}/executions", order_executions, True),
    ("GET", "/executions/me", my_executions, True),
    ("GET", "/fiat_accounts", fiat_accounts, True),
    ("POST", "/fiat_accounts", create_fiat_account, True),
    ("GET", "/crypto_accounts", crypto_accounts, True),
    ("GET", "/accounts", all_accounts, True),
    ("GET", "/accounts/balance", balances, True),
    ("GET", "/accounts/main_asset", main_asset, True),
    ("GET", "/accounts/{currency}", account, True),
    ("GET", "/accounts/{currency}/reserved_balance_details", reserved_details, True),
    ("GET", "/transactions", transactions, True),
    ("GET", "/balance_history", balance_history, True),
    ("GET", "/trading_accounts", trading_accounts, True),
    ("GET", "/trading_accounts/{id}", trading_account, True),
    ("PUT", "/trading_accounts/{id}", set_leverage, True),
    ("GET", "/users/leverage_limitation", leverage_limitation, True),
    ("GET", "/trades", list_trades, True),
    ("PUT", "/trades/close_all", close_all_trades, True),
    ("GET", "/trades/{id}", get_trade, True),
    ("PUT", "/trades/{id}", update_trade, True),
    ("PUT", "/trades/{id}/close", close_trade, True),
    ("PUT", "/trades/{id}/adjust_margin", adjust_margin, True),
    ("GET", "/trades/{id}/loans", trade_loans, True),
    ("POST", "/loan_bids", create_loan_bid, True),
    ("GET", "/loan_bids", list_records("loan_bid", "currency", "status"), True),
    ("PUT", "/loan_bids/{id}/close", close_loan_bid, True),
    ("GET", "/loans", list_records("loan", "currency", "status"), True),
    ("PUT", "/loans/{id}", update_loan, True),
    (
        "GET",
        "/crypto_withdrawals",
        list_records("crypto_withdrawal", "currency", "address", "state"),
        True,
    ),
    ("POST", "/crypto_withdrawals", create_crypto_withdrawal, True),
    ("GET", "/crypto_withdrawals/crypto_networks", crypto_networks, True),
    ("GET", "/crypto_withdrawals/{id}", get_record("crypto_withdrawal"), True),
    ("PUT", "/crypto_withdrawal/{id}/cancel", cancel_record("crypto_withdrawal"), True),
    (
        "GET",
        "/crypto_withdrawal_addresses",
        list_records("crypto_withdrawal_address", "currency"),
        True,
    ),
    ("GET", "/withdrawals", list_records("withdrawal", "currency", "state"), True),
    ("POST", "/withdrawals", create_withdrawal, True),
    ("GET", "/withdrawals/{id}", get_record("withdrawal"), True),
    ("PUT", "/withdrawals/{id}/cancel", cancel_record("withdrawal"), True),
    ("GET", "/bank_accounts", list_records("bank_account", "currency"), True),
    ("POST", "/bank_accounts", create_bank_account, True),
    ("GET", "/fund_infos", list_records("fund_info", "currency"), True),
    ("POST", "/fund_infos", create_fund_info, True),
    ("GET", "/user/fee_tier", fee_tier, True),
    ("GET", "/user/fees", fees, True),
    ("POST", "/fees/estimate", estimate_fees, True),
]
