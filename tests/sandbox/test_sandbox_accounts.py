"""Accounts, margin, lending, funding, fees and money conservation."""

from __future__ import annotations

import random
from decimal import Decimal

from quoine.sandbox import DEMO_BALANCES, ApiError, Exchange, Sandbox

D = Decimal


def test_demo_account_funded(api):
    accounts = api.get("/accounts")
    fiat = {a["currency"]: a for a in accounts["fiat_accounts"]}
    crypto = {a["currency"]: a for a in accounts["crypto_accounts"]}
    assert D(fiat["USD"]["balance"]) == D(DEMO_BALANCES["USD"])
    assert D(crypto["BTC"]["balance"]) == D(DEMO_BALANCES["BTC"])
    assert fiat["USD"]["reserved_balance"] == "0.0"  # a string, as ccxt recorded /accounts
    assert api.get("/fiat_accounts")[0]["reserved_balance"] == 0  # a number, as LQ shows
    assert api.get("/fiat_accounts")[0]["currency_type"] == "fiat"
    assert {a["currency"] for a in api.get("/crypto_accounts")} == {"BTC", "ETH"}
    assert api.get("/accounts/eth")["currency"] == "ETH"
    assert api.request("GET", "/accounts/SGD").status_code == 404
    created = api.post("/fiat_accounts", {"currency": "SGD"})
    assert created["currency"] == "SGD" and created["balance"] == 0
    assert api.get("/accounts/main_asset")["currency"] == "USD"


def test_transactions_and_balance_history(api):
    order = api.order(order_type="market", product_id=1, side="buy", quantity="0.01")
    txs = api.get("/transactions?currency=USD&transaction_type=trade,trade_fee")
    kinds = {m["transaction_type"] for m in txs["models"]}
    assert kinds == {"trade", "trade_fee"}
    hist = api.get(f"/balance_history?source_object_type=Order&source_object_id={order['id']}")
    assert hist["models"] and all(m["source_object_id"] == order["id"] for m in hist["models"])
    assert isinstance(hist["models"][0]["timestamp"], str)
    assert api.request("GET", "/balance_history?limit=0").status_code == 422


def test_margin_trade_open_close(api, sandbox):
    usd0 = D(api.get("/accounts/USD")["balance"])
    order = api.order(
        order_type="market",
        product_id=1,
        side="buy",
        quantity="0.5",
        leverage_level=4,
        funding_currency="USD",
        order_direction="netout",
    )
    assert order["trading_type"] == "margin" and order["status"] == "filled"
    trades = api.get("/trades?status=open")["models"]
    assert len(trades) == 1 and trades[0]["side"] == "long"
    trade = trades[0]
    assert api.get(f"/orders/{order['id']}/trades")[0]["id"] == trade["id"]
    notional = D(order["average_price"]) * D("0.5")
    assert D(trade["margin_used"]) == notional / 4
    assert D(api.get("/accounts/USD")["reserved_balance"]) == notional / 4
    assert D(api.get("/accounts/BTC")["balance"]) == D(DEMO_BALANCES["BTC"])  # no spot BTC
    loans = api.get(f"/trades/{trade['id']}/loans")
    assert D(loans[0]["quantity"]) == notional * 3 / 4
    updated = api.put(
        f"/trades/{trade['id']}", {"trade": {"stop_loss": "1000", "take_profit": "90000"}}
    )
    assert updated["stop_loss"] == "1000.0"
    assert updated["take_profit"] == "90000.0"
    adj = api.put(f"/trades/{trade['id']}/adjust_margin", {"delta_margin": "100"})
    assert D(adj["margin_used"]) == notional / 4 + 100
    part = api.put(f"/trades/{trade['id']}/close", {"closed_quantity": "0.2"})
    assert part["status"] == "open" and part["open_quantity"] == "0.3"
    closed = api.put("/trades/close_all", {"side": "long"})
    assert closed[0]["status"] == "closed"
    assert D(api.get("/accounts/USD")["reserved_balance"]) == 0
    final = D(api.get("/accounts/USD")["balance"])
    pnl = sum(D(t["pnl"]) for t in api.get("/trades?status=closed")["models"])
    fees = sum(D(o["order_fee"]) for o in api.get("/orders?limit=100")["models"])
    assert final == usd0 + pnl - fees


def test_trading_accounts_and_leverage(api):
    accounts = api.get("/trading_accounts")
    assert {a["product_id"] for a in accounts} >= {"1", "5", "27"}  # strings, as Liquid sent
    acc = accounts[0]
    got = api.put(f"/trading_accounts/{acc['id']}", {"trading_account": {"leverage_level": 10}})
    assert got["leverage_level"] == 10
    assert api.get(f"/trading_accounts/{acc['id']}")["leverage_level"] == 10
    assert api.get("/users/leverage_limitation") == [100, 50, 25, 10, 5, 4, 2]
    bad = api.request(
        "PUT", f"/trading_accounts/{acc['id']}", {"trading_account": {"leverage_level": 3}}
    )
    assert bad.status_code == 422


def test_lending(api):
    bid = api.post(
        "/loan_bids", {"loan_bid": {"rate": "0.0002", "quantity": "1000", "currency": "USD"}}
    )
    assert bid["status"] == "live" and bid["side"] == "bid"
    assert D(api.get("/accounts/USD")["reserved_balance"]) == 1000
    listed = api.get("/loan_bids?currency=USD")
    assert listed["models"][0]["id"] == bid["id"]
    ladder = api.get("/ir_ladders/USD", signed=False)
    assert ["0.0002", "1000.0"] in ladder["bids"]
    closed = api.put(f"/loan_bids/{bid['id']}/close")
    assert closed["status"] == "closed"
    assert D(api.get("/accounts/USD")["reserved_balance"]) == 0
    assert api.get("/loans?currency=USD")["models"] == []


def test_crypto_withdrawal_state_machine(clock):
    sb = Sandbox(rate_limit=None, clock=clock)
    ex = sb.exchange
    user = ex.demo
    rec = ex.funding.create_withdrawal(
        user, {"currency": "BTC", "address": "bc1q", "amount": "1"}, True
    )
    assert rec["state"] == "pending" and ex.account(user, "BTC").reserved == 1
    clock.now += 31
    ex.funding.advance()
    assert rec["state"] == "processing"
    try:
        ex.funding.cancel_withdrawal(rec)
    except ApiError as err:
        assert err.status == 422
    else:
        raise AssertionError("processing withdrawal cancelled")
    clock.now += 30
    ex.funding.advance()
    assert rec["state"] == "processed"
    assert ex.balance(user, "BTC") == D(DEMO_BALANCES["BTC"]) - 1
    assert ex.account(user, "BTC").reserved == 0
    assert ex.balance(ex.fee_user, "BTC") == D("0.0005")


def test_withdrawal_endpoints(api):
    w = api.post(
        "/crypto_withdrawals",
        {"crypto_withdrawal": {"currency": "ETH", "address": "0xabc", "amount": "1"}},
    )
    assert w["state"] == "pending" and w["amount"] == 1
    assert api.get("/crypto_withdrawal_addresses?currency=ETH")["models"][0]["network"] == "ERC20"
    assert api.get("/crypto_withdrawals?currency=ETH")["models"][0]["id"] == w["id"]
    assert api.get("/crypto_withdrawal_addresses?currency=ETH")["models"][0]["address"] == "0xabc"
    assert api.get("/crypto_withdrawals/crypto_networks?currency=ETH")[0]["network"] == "ERC20"
    cancelled = api.put(f"/crypto_withdrawal/{w['id']}/cancel")
    assert cancelled["state"] == "cancelled"
    assert D(api.get("/accounts/ETH")["reserved_balance"]) == 0
    small = api.request(
        "POST",
        "/crypto_withdrawals",
        {"crypto_withdrawal": {"currency": "ETH", "address": "0x", "amount": "0.0001"}},
    )
    assert small.status_code == 422
    no_bank = api.request(
        "POST",
        "/withdrawals",
        {"withdrawal": {"currency": "USD", "amount": "100", "bank_account_id": 1}},
    )
    assert no_bank.json() == {"errors": {"bank_account_id": ["not_found"]}}
    bank = api.post(
        "/bank_accounts",
        {"bank_account": {"acc_name": "Me", "acc_number": "123", "currency": "USD"}},
    )
    fiat = api.post(
        "/withdrawals",
        {"withdrawal": {"currency": "USD", "amount": "100", "bank_account_id": bank["id"]}},
    )
    assert fiat["state"] == "pending"
    assert api.put(f"/withdrawals/{fiat['id']}/cancel")["state"] == "cancelled"
    assert api.get("/bank_accounts")["models"][0]["acc_number"] == "123"
    dep = api.post("/fund_infos", {"fund_info": {"currency": "USD", "amount": "50"}})
    assert dep["state"] == "processed"
    assert D(api.get("/accounts/USD")["balance"]) == D(DEMO_BALANCES["USD"]) + 50
    too_much = api.request(
        "POST",
        "/withdrawals",
        {"withdrawal": {"currency": "USD", "amount": "10000000", "bank_account_id": bank["id"]}},
    )
    assert too_much.json() == {"errors": {"user": ["not_enough_free_balance"]}}


def test_fees_endpoints(api):
    tier = api.get("/user/fee_tier")
    assert tier["fee_tier"] == 0
    assert api.get("/user/fees?fee_type=withdrawal_fee")[0]["fee_type"] == "withdrawal_fee"
    est = api.post(
        "/fees/estimate",
        {
            "for_action": "create_order",
            "for_params": {
                "product_id": 1,
                "quantity": "1",
                "price": "30000",
                "side": "buy",
                "order_type": "limit",
            },
        },
    )
    assert est["fee_options"]["default"][0] == {
        "fee_type": "trade_fee",
        "amount": "90.0",
        "currency": "USD",
    }


def test_money_is_conserved_over_random_trading():
    ex = Exchange(seed=11)
    users = [ex.demo] + [
        ex.add_user(f"u{i}", {"USD": "50000", "JPY": "5000000", "BTC": "5", "ETH": "50"})
        for i in range(3)
    ]
    before = ex.totals()
    rng = random.Random(5)
    products = [1, 5, 27, 29, 37]
    placed = 0
    for _ in range(400):
        user = rng.choice(users)
        pid = rng.choice(products)
        last = ex.products[pid].last_price
        kind = rng.choice(
            ["limit", "limit", "market", "market_with_range", "stop", "margin", "cancel"]
        )
        side = rng.choice(["buy", "sell"])
        qty = str(Decimal(rng.randint(1, 300)) / 1000)
        try:
            if kind == "cancel":
                live = [o for o in user.orders if o.is_live]
                if live:
                    ex.cancel_order(rng.choice(live))
                continue
            fields = {"order_type": kind, "product_id": pid, "side": side, "quantity": qty}
            if kind in ("limit", "stop"):
                fields["price"] = str(
                    (last * Decimal(rng.uniform(0.98, 1.02))).quantize(ex.products[pid].tick)
                )
            if kind == "market_with_range":
                fields["price_range"] = str(last * Decimal("0.002"))
            if kind == "margin":
                fields.update(order_type="market", leverage_level=rng.choice([2, 4, 10]))
            ex.place_order(user, fields)
            placed += 1
        except ApiError:
            pass
        if rng.random() < 0.1:
            for trade in list(ex.open_trades):
                ex.close_trade(trade)
    assert placed > 200
    assert ex.totals() == before
    for user in ex.users.values():
        for acct in user.accounts.values():
            assert acct.reserved == sum(acct.reservations.values(), D(0))
            assert acct.reserved >= 0
    assert ex.balance(ex.clearing, "USD") == 0 and ex.balance(ex.clearing, "BTC") == 0
