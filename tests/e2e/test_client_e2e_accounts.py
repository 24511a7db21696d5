"""Accounts, balances, history, and the funding desk (withdrawals, deposits, banks)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from quoine.exceptions import QuoineAPIException, QuoineInsufficientFunds


def test_accounts_and_balances_match_the_sandbox(trader):
    c = trader.client
    accounts = c.get_accounts()
    fiat = {a["currency"]: a for a in accounts["fiat_accounts"]}
    crypto = {a["currency"]: a for a in accounts["crypto_accounts"]}
    assert Decimal(fiat["USD"]["balance"]) == Decimal("100000")
    assert Decimal(crypto["BTC"]["balance"]) == Decimal("10")
    assert {a["currency"] for a in c.get_fiat_accounts()} == set(fiat)
    assert {a["currency"] for a in c.get_crypto_accounts()} == set(crypto)
    btc = c.get_account("BTC")
    assert btc["id"] == crypto["BTC"]["id"]
    assert Decimal(btc["balance"]) - Decimal(btc["reserved_balance"]) == Decimal("10")
    balances = {b["currency"]: Decimal(b["balance"]) for b in c.get_account_balances()}
    assert balances == {
        "USD": Decimal("100000"),
        "JPY": Decimal("10000000"),
        "BTC": Decimal("10"),
        "ETH": Decimal("100"),
    }
    main = c.get_main_asset()
    assert main["currency"] == "USD"
    assert Decimal(main["total_amount"]) > Decimal("100000")


def test_create_fiat_account(trader):
    c = trader.client
    created = c.create_fiat_account("SGD")
    assert created["currency"] == "SGD"
    assert Decimal(created["balance"]) == 0
    assert "SGD" in {a["currency"] for a in c.get_fiat_accounts()}
    with trader.sandbox.exchange.lock:
        assert "SGD" in trader.user.accounts


def test_transactions_and_balance_history_record_a_trade(trader):
    c = trader.client
    order = c.create_market_buy(1, "0.01")
    fee = Decimal(order["order_fee"])
    page = c.get_transactions(currency="USD", limit=1, page=1)
    assert len(page["models"]) == 1
    usd = list(c.iter_transactions(currency="USD", limit=1))
    kinds = [t["transaction_type"] for t in usd]
    assert "trade_fee" in kinds and "trade" in kinds
    fee_rows = list(c.iter_transactions(currency="USD", transaction_type="trade_fee"))
    assert [Decimal(t["gross_amount"]) for t in fee_rows] == [-fee]
    assert Decimal(usd[0]["balance"]) == trader.balance("USD")

    history = c.get_balance_history(currency="USD", limit=10)
    rows = history["models"]
    assert Decimal(rows[0]["balance"]) == trader.balance("USD")
    assert sum(Decimal(r["amount"]) for r in rows) == trader.balance("USD")
    fee_only = c.get_balance_history(currency="USD", source_action="trade_fee", limit=10)
    assert [Decimal(r["amount"]) for r in fee_only["models"]] == [-fee]


def test_crypto_withdrawal_moves_through_its_states(trader, clock):
    c = trader.client
    nets = c.get_crypto_networks("BTC")
    assert nets
    w = c.create_crypto_withdrawal("BTC", "bc1-e2e-address", "1", network=nets[0]["network"])
    assert w["state"] == "pending"
    fee = Decimal(w["withdrawal_fee"])
    assert trader.reserved("BTC") == Decimal("1")
    page = c.get_crypto_withdrawals(currency="BTC", state="pending", limit=1, page=1)
    assert [x["id"] for x in page["models"]] == [w["id"]]
    addresses = list(c.iter_crypto_withdrawal_addresses("BTC", limit=1))
    assert [a["address"] for a in addresses] == ["bc1-e2e-address"]
    assert c.get_crypto_withdrawal_addresses("BTC")["models"][0]["address"] == "bc1-e2e-address"

    clock.advance(31)
    (now,) = c.get_crypto_withdrawals(currency="BTC")["models"]
    assert now["state"] == "processing"
    with pytest.raises(QuoineAPIException):
        c.cancel_crypto_withdrawal(w["id"])
    clock.advance(31)
    (done,) = list(c.iter_crypto_withdrawals(currency="BTC", limit=1))
    assert done["state"] == "processed"
    assert trader.reserved("BTC") == 0
    assert trader.balance("BTC") == Decimal("9")
    assert fee > 0


def test_crypto_withdrawal_cancel_and_errors(trader):
    c = trader.client
    w = c.create_crypto_withdrawal("ETH", "0xe2e", "2")
    assert trader.reserved("ETH") == Decimal("2")
    cancelled = c.cancel_crypto_withdrawal(w["id"])
    assert cancelled["state"] == "cancelled"
    assert trader.reserved("ETH") == 0
    assert trader.balance("ETH") == Decimal("100")
    assert [x["state"] for x in c.iter_crypto_withdrawals(state="cancelled")] == ["cancelled"]
    with pytest.raises(QuoineInsufficientFunds):
        c.create_crypto_withdrawal("ETH", "0xe2e", "1000")


def test_fiat_withdrawal_bank_accounts_and_cancel(trader, clock):
    c = trader.client
    bank = c.create_bank_account(
        "E2E Holder", "Sandbox Bank", "000123", currency="USD", swift="SBOXUS33"
    )
    assert bank["acc_number"] == "000123"
    listed = c.get_bank_accounts()
    models = listed["models"] if isinstance(listed, dict) else listed
    assert [b["id"] for b in models] == [bank["id"]]

    first = c.create_withdrawal("USD", "1000", bank["id"])
    assert first["state"] == "pending"
    assert trader.reserved("USD") == Decimal("1000")
    cancelled = c.cancel_withdrawal(first["id"])
    assert cancelled["state"] == "cancelled"
    assert trader.reserved("USD") == 0

    second = c.create_withdrawal("USD", "500", bank["id"])
    clock.advance(61)
    page = c.get_withdrawals(currency="USD", state="processed", limit=1, page=1)
    assert [w["id"] for w in page["models"]] == [second["id"]]
    states = {w["id"]: w["state"] for w in c.iter_withdrawals(currency="USD", limit=1)}
    assert states == {first["id"]: "cancelled", second["id"]: "processed"}
    assert trader.balance("USD") == Decimal("99500")
    with pytest.raises(QuoineAPIException):
        c.cancel_withdrawal(second["id"])
    with pytest.raises(QuoineAPIException):
        c.create_withdrawal("USD", "10", 99_999_999)


def test_fund_infos_credit_a_fiat_deposit(trader, sandbox):
    totals = sandbox.exchange.totals()
    c = trader.client
    info = c.create_fund_info("USD", "2500")
    assert Decimal(info["amount"]) == Decimal("2500")
    assert trader.balance("USD") == Decimal("102500")
    listed = c.get_fund_infos(currency="USD")
    models = listed["models"] if isinstance(listed, dict) else listed
    assert [m["id"] for m in models] == [info["id"]]
    with pytest.raises(QuoineAPIException):
        c.create_fund_info("BTC", "1")
    assert sandbox.exchange.totals() == totals
