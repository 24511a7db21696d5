"""Endpoint handlers, each registered next to its definition with :func:`route`.

Each handler takes a :class:`~quoine.sandbox.routing.Request`, parses what it
needs, calls the exchange and renders the answer; it raises
:class:`~quoine.sandbox.models.ApiError` for a refusal. Handlers run with the
exchange lock held, inside one exchange transaction.
"""

from __future__ import annotations

import bisect
import random
from decimal import Decimal
from typing import Any, Callable

from .history import ohlc as fold_bars
from .models import D0, ApiError, Product, Trade, fmt, num
from .numbers import decimal_or_none, parse_decimal, parse_id, parse_signed, parse_timestamp
from .routing import ROUTES, Request, route

__all__ = ["LEVERAGES", "ROUTES"]


# ------------------------------------------------------------------ public
@route("GET", "/products", private=False)
def products(req: Request) -> Any:
    """GET /products (``perpetual=1`` lists perpetuals only)."""
    perpetual = req.flag("perpetual")
    chosen = [p for p in req.ex.products.values() if p.perpetual == perpetual]
    return [_product_json(req, p) for p in chosen]


def _product_json(req: Request, prod: Product) -> dict[str, Any]:
    ex = req.ex
    return prod.to_json(ex.now(), ex.currencies[prod.quote], ex.dialect)


@route("GET", "/products/{id}", private=False)
def product(req: Request) -> Any:
    """GET /products/{id}."""
    return _product_json(req, req.ex.product(req.params["id"]))


@route("GET", "/products/{id}/price_levels", private=False)
def price_levels(req: Request) -> Any:
    """GET /products/{id}/price_levels (20 levels per side unless ``full=1``)."""
    prod = req.ex.product(req.params["id"])
    depth = None if req.flag("full") else 20
    return {
        "buy_price_levels": prod.book.depth(True, depth),
        "sell_price_levels": prod.book.depth(False, depth),
    }


@route("GET", "/executions", private=False)
def executions(req: Request) -> Any:
    """GET /executions: paginated newest first, or by ``timestamp`` ascending."""
    pid = req.arg("product_id")
    if pid is None:
        raise ApiError.field("product_id", "is_missing")
    prod = req.ex.product(pid)
    stamp = req.arg("timestamp")
    if stamp is None:
        return req.page(prod.executions, lambda e: e.public_json())
    since = parse_timestamp(stamp, "timestamp")
    limit = max(1, min(req.int_arg("limit", 20), 1000))
    start = bisect.bisect_left(prod.exec_times, since)
    end = min(start + limit, len(prod.executions))
    if end > start:
        # Like the real API, finish the boundary second of the last item.
        end = bisect.bisect_right(prod.exec_times, prod.exec_times[end - 1])
    return [e.public_json() for e in prod.executions[start:end]]


@route("GET", "/ir_ladders/{currency}", private=False)
def ir_ladder(req: Request) -> Any:
    """GET /ir_ladders/{currency}."""
    return req.ex.funding.ir_ladder(req.params["currency"])


@route("GET", "/currencies", private=False)
def currencies(req: Request) -> Any:
    """GET /currencies."""
    return [c.to_json() for c in req.ex.currencies.values()]


@route("GET", "/fees", private=False)
@route("GET", "/user/fees")
def fees(req: Request) -> Any:
    """GET /fees and GET /user/fees."""
    return req.ex.funding.fee_rules(req.ex.products.values(), req.arg("fee_type"))


@route("GET", "/products/{id}/ohlc", private=False)
def ohlc(req: Request) -> Any:
    """GET /products/{id}/ohlc: ``{"data": [[time, o, h, l, c, volume], ...]}``.

    ``resolution`` is in seconds, cut to whole minutes (at least 60).
    """
    prod = req.ex.product(req.params["id"])
    resolution = max(60, req.int_arg("resolution", 60) // 60 * 60)  # whole minutes
    limit = max(1, min(req.int_arg("limit", 100), 1000))
    end = int(req.ex.now()) // resolution * resolution + resolution
    buckets = fold_bars(prod.bars, resolution, end - resolution * limit)
    data = [[key, *(fmt(v) for v in bar)] for key, bar in sorted(buckets.items())]
    return {"data": data}


@route("GET", "/products/{id}/funding_rate_history", private=False)
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
@route("POST", "/orders", wrap="order")
def create_order(req: Request) -> Any:
    """POST /orders (nested ``{"order": {...}}`` or flat)."""
    order = req.ex.place_order(req.user, req.fields())
    return order.to_json(dialect=req.ex.dialect, view="create")


@route("GET", "/orders/{id}")
def get_order(req: Request) -> Any:
    """GET /orders/{id} and GET /orders/client:{cid} (with executions)."""
    return req.ex.find_order(req.user, req.params["id"]).to_json(True, req.ex.dialect)


@route("GET", "/orders")
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


@route("PUT", "/orders/{id}/cancel")
def cancel_order(req: Request) -> Any:
    """PUT /orders/{id}/cancel (404 ``Order not found`` when not live)."""
    try:
        order = req.ex.find_order(req.user, req.params["id"])
    except ApiError:
        raise ApiError.not_found("Order") from None
    return req.ex.cancel_order(order).to_json(dialect=req.ex.dialect, view="change")


@route("PUT", "/orders/cancel_all", wrap="order")
def cancel_all(req: Request) -> Any:
    """PUT /orders/cancel_all (filters product_id, side, trading_type)."""
    f = req.fields()
    done = req.ex.cancel_all(
        req.user,
        f.get("product_id") or req.arg("product_id"),
        f.get("side") or req.arg("side"),
        f.get("trading_type") or req.arg("trading_type"),
    )
    return {"models": [{"id": o.id, "client_order_id": o.client_order_id} for o in done]}


@route("PUT", "/orders/{id}", wrap="order")
def edit_order(req: Request) -> Any:
    """PUT /orders/{id} with quantity and/or price."""
    order = req.ex.find_order(req.user, req.params["id"])
    edited = req.ex.edit_order(order, req.fields())
    return edited.to_json(dialect=req.ex.dialect, view="change")


@route("GET", "/orders/{id}/trades")
def order_trades(req: Request) -> Any:
    """GET /orders/{id}/trades (plain list)."""
    order = req.ex.find_order(req.user, req.params["id"])
    ids = list(order.trade_ids)
    if order.close_trade is not None:
        ids.append(order.close_trade.id)
    return [req.ex.trades[t].to_json(req.ex.dialect) for t in ids]


@route("GET", "/orders/{id}/executions")
def order_executions(req: Request) -> Any:
    """GET /orders/{id}/executions (paginated)."""
    order = req.ex.find_order(req.user, req.params["id"])
    return req.page(order.executions, lambda e: e.to_json(order.side, order))


@route("GET", "/executions/me")
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
def _accounts(req: Request, kind: str, view: str = "list") -> list[dict[str, Any]]:
    chosen = [a for a in req.user.accounts.values() if a.currency.kind == kind]
    return [a.to_json(req.ex.dialect, view) for a in chosen]


@route("GET", "/fiat_accounts")
def fiat_accounts(req: Request) -> Any:
    """GET /fiat_accounts."""
    return _accounts(req, "fiat")


@route("POST", "/fiat_accounts", wrap="fiat_account")
def create_fiat_account(req: Request) -> Any:
    """POST /fiat_accounts (returns the existing account if there is one)."""
    code = str(req.fields().get("currency") or "")
    cur = req.ex.currencies.get(code)
    if cur is None or cur.kind != "fiat":
        raise ApiError.field("currency", "is_invalid")
    return req.ex.account(req.user, code).to_json(req.ex.dialect)


@route("GET", "/crypto_accounts")
def crypto_accounts(req: Request) -> Any:
    """GET /crypto_accounts."""
    return _accounts(req, "crypto")


@route("GET", "/accounts")
def all_accounts(req: Request) -> Any:
    """GET /accounts."""
    return {
        "crypto_accounts": _accounts(req, "crypto", "accounts"),
        "fiat_accounts": _accounts(req, "fiat", "accounts"),
    }


def _user_account(req: Request) -> Any:
    code = req.params["currency"].upper()
    acct = req.user.accounts.get(code)
    if acct is None:
        raise ApiError.not_found("Account")
    return acct


@route("GET", "/accounts/{currency}")
def account(req: Request) -> Any:
    """GET /accounts/{currency} (no example anywhere: inferred as a GET /accounts item)."""
    return _user_account(req).to_json(view="accounts")


@route("GET", "/accounts/{currency}/reserved_balance_details")
def reserved_details(req: Request) -> Any:
    """GET /accounts/{currency}/reserved_balance_details."""
    acct = _user_account(req)
    return [
        {"object_type": kind, "object_id": oid, "amount": fmt(amount)}
        for (kind, oid), amount in acct.reservations.items()
    ]


@route("GET", "/accounts/balance")
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


@route("GET", "/accounts/main_asset")
def main_asset(req: Request) -> Any:
    """GET /accounts/main_asset (everything valued in USD at last prices)."""
    total = sum((a.balance * _usd_rate(req, c) for c, a in req.user.accounts.items()), D0)
    return {"currency": "USD", "total_amount": fmt(total.quantize(Decimal("0.01")))}


@route("GET", "/transactions")
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


@route("GET", "/balance_history")
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
    value = parse_id(req.params["id"])
    prod = None if value is None else req.ex.products.get(value - req.user.id * 10000)
    if prod is None or prod not in _trading_products(req):
        raise ApiError.not_found("Trading account")
    return prod


@route("GET", "/trading_accounts")
def trading_accounts(req: Request) -> Any:
    """GET /trading_accounts (plain list, one per margin product)."""
    return [_trading_account(req, p, listed=True) for p in _trading_products(req)]


@route("GET", "/trading_accounts/{id}")
def trading_account(req: Request) -> Any:
    """GET /trading_accounts/{id}."""
    return _trading_account(req, _find_trading_product(req))


@route("PUT", "/trading_accounts/{id}", wrap="trading_account")
def set_leverage(req: Request) -> Any:
    """PUT /trading_accounts/{id} ``{"trading_account": {"leverage_level": N}}``."""
    prod = _find_trading_product(req)
    lev = parse_id(req.fields().get("leverage_level"))
    if lev not in LEVERAGES:
        raise ApiError.field("leverage_level", "is_invalid")
    req.ex.set_leverage(req.user, prod, lev)
    return _trading_account(req, prod)


LEVERAGES = [100, 50, 25, 10, 5, 4, 2, 1]


@route("GET", "/users/leverage_limitation")
def leverage_limitation(req: Request) -> Any:
    """GET /users/leverage_limitation."""
    return LEVERAGES[:-1]


def _find_trade(req: Request) -> Trade:
    return req.ex.find_trade(req.user, req.params["id"])


@route("GET", "/trades")
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


@route("PUT", "/trades/{id}/close", wrap="trade")
def close_trade(req: Request) -> Any:
    """PUT /trades/{id}/close (optional ``closed_quantity``)."""
    trade = _find_trade(req)
    qty = decimal_or_none(req.fields().get("closed_quantity"), "closed_quantity")
    return req.ex.close_trade(trade, qty).to_json(req.ex.dialect)


@route("PUT", "/trades/close_all", wrap="trade")
def close_all_trades(req: Request) -> Any:
    """PUT /trades/close_all (optional ``side``): plain list of closed trades."""
    side = req.fields().get("side") or req.arg("side")
    return [t.to_json(req.ex.dialect) for t in req.ex.close_all_trades(req.user, side)]


@route("PUT", "/trades/{id}", wrap="trade")
def update_trade(req: Request) -> Any:
    """PUT /trades/{id} ``{"trade": {"stop_loss", "take_profit"}}``."""
    return req.ex.update_trade(_find_trade(req), req.fields()).to_json(req.ex.dialect)


@route("PUT", "/trades/{id}/adjust_margin", wrap="trade")
def adjust_margin(req: Request) -> Any:
    """PUT /trades/{id}/adjust_margin (``delta_margin`` or ``delta``, or a new ``margin``)."""
    trade = _find_trade(req)
    f = req.fields()
    given = f.get("delta_margin")
    if given in (None, ""):
        given = f.get("delta")
    if given not in (None, ""):
        delta = parse_signed(given, "delta_margin")
    else:
        delta = parse_decimal(f.get("margin"), "margin") - trade.margin
    return req.ex.adjust_margin(trade, delta).to_json(req.ex.dialect)


@route("GET", "/trades/{id}/loans")
def trade_loans(req: Request) -> Any:
    """GET /trades/{id}/loans (plain list)."""
    return req.ex.funding.trade_loans(_find_trade(req))


# ----------------------------------------------------------------- lending
@route("POST", "/loan_bids", wrap="loan_bid")
def create_loan_bid(req: Request) -> Any:
    """POST /loan_bids."""
    return req.ex.funding.create_loan_bid(req.user, req.fields()).to_json()


def list_records(kind: str, *filters: str) -> Callable[[Request], Any]:
    """Build a paginated GET handler for a funding record kind."""

    def handler(req: Request) -> Any:
        wanted = {name: req.arg(name) for name in filters}
        rows = req.ex.funding.find(kind, req.user, **wanted)
        return req.page(rows, lambda r: r.to_json())

    handler.__doc__ = f"GET list of {kind} records (paginated)."
    return handler


route("GET", "/loan_bids")(list_records("loan_bid", "currency", "status"))
route("GET", "/loans")(list_records("loan", "currency", "status"))
route("GET", "/crypto_withdrawals")(
    list_records("crypto_withdrawal", "currency", "address", "state")
)
route("GET", "/crypto_withdrawal_addresses")(list_records("crypto_withdrawal_address", "currency"))
route("GET", "/withdrawals")(list_records("withdrawal", "state", "currency"))
route("GET", "/bank_accounts")(list_records("bank_account", "currency"))
route("GET", "/fund_infos")(list_records("fund_info", "currency"))


@route("PUT", "/loan_bids/{id}/close")
def close_loan_bid(req: Request) -> Any:
    """PUT /loan_bids/{id}/close."""
    funding = req.ex.funding
    return funding.close_loan_bid(funding.get("loan_bid", req.user, req.params["id"])).to_json()


@route("PUT", "/loans/{id}", wrap="loan")
def update_loan(req: Request) -> Any:
    """PUT /loans/{id} (``fund_reloaned``, flat or under ``loan``)."""
    rec = req.ex.funding.get("loan", req.user, req.params["id"])
    value = req.fields().get("fund_reloaned")
    if value is not None:
        req.ex.funding.set_reloaned(rec, str(value).lower() in ("true", "1"))
    return rec.to_json()


# ----------------------------------------------------------------- funding
@route("POST", "/crypto_withdrawals", wrap="crypto_withdrawal")
def create_crypto_withdrawal(req: Request) -> Any:
    """POST /crypto_withdrawals."""
    f = req.fields()
    return req.ex.funding.create_withdrawal(req.user, f, crypto=True).to_json()


@route("POST", "/withdrawals", wrap="withdrawal")
def create_withdrawal(req: Request) -> Any:
    """POST /withdrawals (fiat, needs a bank_account_id)."""
    return req.ex.funding.create_withdrawal(req.user, req.fields(), False).to_json()


def cancel_record(kind: str) -> Callable[[Request], Any]:
    """Build a cancel handler for a withdrawal kind."""

    def handler(req: Request) -> Any:
        funding = req.ex.funding
        return funding.cancel_withdrawal(funding.get(kind, req.user, req.params["id"])).to_json()

    handler.__doc__ = f"PUT cancel of a pending {kind}."
    return handler


route("PUT", "/crypto_withdrawal/{id}/cancel")(cancel_record("crypto_withdrawal"))
route("PUT", "/withdrawals/{id}/cancel")(cancel_record("withdrawal"))


@route("GET", "/crypto_withdrawals/crypto_networks")
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


@route("POST", "/bank_accounts", wrap="bank_account")
def create_bank_account(req: Request) -> Any:
    """POST /bank_accounts."""
    return req.ex.funding.create_bank_account(req.user, req.fields()).to_json()


@route("POST", "/fund_infos", wrap="fund_info")
def create_fund_info(req: Request) -> Any:
    """POST /fund_infos (a fiat deposit, credited at once)."""
    return req.ex.funding.create_fund_info(req.user, req.fields()).to_json()


# -------------------------------------------------------------------- fees
@route("GET", "/user/fee_tier")
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


@route("POST", "/fees/estimate", nested=("for_params",))
def estimate_fees(req: Request) -> Any:
    """POST /fees/estimate."""
    return req.ex.funding.estimate(req.ex.products, req.body)
