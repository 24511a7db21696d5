"""Margin trading, trading accounts and lending over real HTTP."""

from __future__ import annotations

from decimal import Decimal

import pytest

from quoine.exceptions import QuoineAPIException, QuoineNotFoundError


def open_long(trader, quantity="0.1", leverage=4):
    order = trader.client.create_margin_order(
        "market", 1, "buy", quantity, leverage_level=leverage, funding_currency="USD"
    )
    assert order["status"] == "filled"
    assert order["leverage_level"] == leverage
    (trade,) = trader.client.get_order_trades(order["id"])
    return order, trade


def test_margin_order_opens_a_trade_reserving_the_margin(trader):
    c = trader.client
    order, trade = open_long(trader, "0.2", 4)
    assert trade["status"] == "open"
    assert trade["side"] == "long"
    assert Decimal(trade["open_quantity"]) == Decimal("0.2")
    margin = Decimal(trade["open_price"]) * Decimal("0.2") / 4
    assert Decimal(trade["margin_used"]) == margin
    assert trader.reserved("USD") == margin
    assert trader.balance("BTC") == Decimal("10")  # a margin buy moves no BTC to the user
    assert trader.balance("USD") == Decimal("100000") - Decimal(order["order_fee"])

    loans = c.get_trade_loans(trade["id"])
    assert len(loans) == 1
    assert Decimal(loans[0]["quantity"]) == Decimal(trade["open_price"]) * Decimal("0.2") * 3 / 4

    page = c.get_trades(funding_currency="USD", status="open", limit=1, page=1)
    assert [t["id"] for t in page["models"]] == [trade["id"]]
    listed = list(c.iter_trades(status="open", product_id=1, side="long", limit=1))
    assert [t["id"] for t in listed] == [trade["id"]]


def test_update_adjust_partial_close_and_close(trader, sandbox):
    totals = sandbox.exchange.totals()
    c = trader.client
    _, trade = open_long(trader, "0.2", 2)
    tid = trade["id"]
    open_price = Decimal(trade["open_price"])
    updated = c.update_trade(tid, str(open_price - 5000), str(open_price + 5000))
    assert Decimal(updated["stop_loss"]) == open_price - 5000
    assert Decimal(updated["take_profit"]) == open_price + 5000

    margin = Decimal(updated["margin_used"])
    adjusted = c.adjust_trade_margin(tid, "100")
    assert Decimal(adjusted["margin_used"]) == margin + 100
    assert trader.reserved("USD") == margin + 100
    adjusted = c.adjust_trade_margin(tid, "-50")
    assert Decimal(adjusted["margin_used"]) == margin + 50

    partial = c.close_trade(tid, "0.05")
    assert Decimal(partial["open_quantity"]) == Decimal("0.15")
    assert Decimal(partial["close_quantity"]) == Decimal("0.05")
    assert partial["status"] == "open"

    closed = c.close_trade(tid)
    assert closed["status"] == "closed"
    assert Decimal(closed["open_quantity"]) == 0
    assert trader.reserved("USD") == 0
    assert c.get_trades(status="open")["models"] == []
    pnl = Decimal(closed["pnl"])
    fees = sum(Decimal(o["order_fee"]) for o in c.iter_orders(limit=5) if o["leverage_level"] > 1)
    assert trader.balance("USD") == Decimal("100000") + pnl - fees
    with pytest.raises(QuoineAPIException):
        c.close_trade(tid)
    with pytest.raises(QuoineNotFoundError):
        c.get_trade_loans(99_999_999)
    assert sandbox.exchange.totals() == totals


def test_close_all_trades_by_side(trader):
    c = trader.client
    _, long_trade = open_long(trader, "0.01", 2)
    short = c.create_margin_order(
        "market", 1, "sell", "0.01", leverage_level=2, funding_currency="USD"
    )
    (short_trade,) = c.get_order_trades(short["id"])
    assert short_trade["side"] == "short"

    closed = c.close_all_trades(side="short")
    assert [t["id"] for t in closed] == [short_trade["id"]]
    assert {t["id"] for t in c.get_trades(status="open")["models"]} == {long_trade["id"]}
    closed = c.close_all_trades()
    assert [t["id"] for t in closed] == [long_trade["id"]]
    assert all(t["status"] == "closed" for t in closed)
    assert trader.reserved("USD") == 0


def test_limit_margin_order_and_stop_loss_closes_the_trade(trader, sandbox):
    c = trader.client
    ex = sandbox.exchange
    book = c.get_order_book(27)
    ask = Decimal(book["sell_price_levels"][0][0])
    order = c.create_order(
        "limit",
        27,
        "buy",
        "1",
        price=str(ask),
        leverage_level=2,
        funding_currency="USD",
        stop_loss=str(ask * Decimal("0.995")),
    )
    (trade,) = c.get_order_trades(order["id"])
    assert Decimal(trade["stop_loss"]) == ask * Decimal("0.995")
    other = ex.add_user("sl-pusher", {"ETH": "100000"})
    for _ in range(40):
        with ex.lock:
            ex.place_order(
                other, {"order_type": "market", "side": "sell", "product_id": 27, "quantity": "20"}
            )
        if c.get_order_trades(order["id"])[0]["status"] == "closed":
            break
    assert c.get_order_trades(order["id"])[0]["status"] == "closed"
    assert trader.reserved("USD") == 0


def test_trading_accounts_and_leverage(trader):
    c = trader.client
    levels = c.get_leverage_limitation()
    assert 2 in levels and 25 in levels
    accounts = c.get_trading_accounts()
    assert accounts
    btcusd = next(a for a in accounts if int(a["product_id"]) == 1)
    one = c.get_trading_account(btcusd["id"])
    assert one["id"] == btcusd["id"]
    changed = c.update_leverage_level(btcusd["id"], 10)
    assert changed["leverage_level"] == 10
    assert c.get_trading_account(btcusd["id"])["leverage_level"] == 10
    with pytest.raises(QuoineAPIException):
        c.update_leverage_level(btcusd["id"], 3)


def test_loan_bids_reserve_and_close_releases(trader):
    c = trader.client
    bids = [c.create_loan_bid("0.0002", str(100 + i), "USD") for i in range(3)]
    assert all(b["status"] == "live" for b in bids)
    assert trader.reserved("USD") == Decimal(303)
    ladder = c.get_interest_rate_ladder("USD")
    assert any(Decimal(rate) == Decimal("0.0002") for rate, _ in ladder["bids"])

    page = c.get_loan_bid("USD", limit=2, page=1)
    assert len(page["models"]) == 2
    assert page["total_pages"] == 2
    every = list(c.iter_loan_bids("USD", limit=2))
    assert sorted(b["id"] for b in every) == sorted(b["id"] for b in bids)

    closed = c.close_loan_bid(bids[0]["id"])
    assert closed["status"] == "closed"
    assert trader.reserved("USD") == Decimal(203)
    with pytest.raises(QuoineAPIException):
        c.close_loan_bid(bids[0]["id"])
    with pytest.raises(QuoineAPIException):
        c.create_loan_bid("0.5", "10", "USD")  # rate above the cap


def test_loans_follow_margin_trades_and_update(trader):
    c = trader.client
    _, first = open_long(trader, "0.01", 2)
    _, second = open_long(trader, "0.01", 2)
    page = c.get_loans("USD", limit=1, page=1)
    assert len(page["models"]) == 1
    assert page["total_pages"] == 2
    loans = list(c.iter_loans("USD", limit=1))
    by_trade = [x["id"] for t in (first, second) for x in c.get_trade_loans(t["id"])]
    assert sorted(loan["id"] for loan in loans) == sorted(by_trade)
    assert {loan["borrower_id"] for loan in loans} == {first["trader_id"]}
    loan = loans[0]
    assert loan["fund_reloaned"] is True
    updated = c.update_loan(loan["id"], fund_reloaned=False)
    assert updated["fund_reloaned"] is False
    again = next(x for x in c.iter_loans("USD") if x["id"] == loan["id"])
    assert again["fund_reloaned"] is False
    c.close_all_trades()
    assert {x["status"] for x in c.iter_loans("USD")} == {"closed"}
