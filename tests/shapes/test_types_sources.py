"""``quoine.types`` declares no field that no source shows.

Every key of an answer TypedDict must be in one of the shapes transcribed from
the sources (:mod:`tests.shapes.fixtures`) for that answer, or in
:data:`~tests.shapes.fixtures.LATER_FIELDS` with its source. (That each key the
sandbox sends is declared, with its type, is ``tests/docs/test_types.py``.)
"""

from __future__ import annotations

from typing import Any, get_type_hints

import pytest

from quoine import types

from . import fixtures as f

SOURCES: dict[Any, tuple[f.Shape, ...]] = {
    types.Product: (f.LQ_PRODUCT, f.LQ_PERPETUAL, f.S1_PRODUCT),
    types.OrderBook: (f.ORDER_BOOK,),
    types.Execution: (f.EXECUTION, f.ORDER_EXECUTION, f.MY_EXECUTION_DETAILED),
    types.Order: (f.LQ_ORDER_DETAILED, f.LQ_ORDER_CHANGED, f.S1_ORDER_DETAILED, f.S1_ORDER),
    types.Account: (
        f.LQ_FIAT_ACCOUNT,
        f.LQ_CRYPTO_ACCOUNT,
        f.S1_FIAT_ACCOUNT,
        f.S1_CRYPTO_ACCOUNT,
        f.ACCOUNTS_FIAT,
        f.ACCOUNTS_CRYPTO,
    ),
    types.AccountBalance: (f.BALANCE,),
    types.MainAsset: (f.MAIN_ASSET,),
    types.Reservation: (f.RESERVATION,),
    types.Trade: (f.S1_TRADE, f.LQ_TRADE),
    types.TradingAccount: (f.LQ_TRADING_ACCOUNT, f.S1_TRADING_ACCOUNT_LISTED),
    types.LoanBid: (f.LOAN_BID,),
    types.Loan: (f.LOAN,),
    types.InterestRateLadder: (f.IR_LADDER,),
    types.Currency: (f.CURRENCY,),
    types.CryptoWithdrawal: (f.CRYPTO_WITHDRAWAL,),
    types.WithdrawalAddress: (f.WITHDRAWAL_ADDRESS,),
    types.BalanceChange: (f.BALANCE_CHANGE,),
    types.CancelledOrder: (f.CANCELLED_ORDER,),
    types.CancelledOrders: (f.CANCEL_ALL,),
    types.FeeRule: (f.FEE_RULE,),
    types.FeeTier: (f.FEE_TIER,),
    types.FeeEstimate: (f.FEE_ESTIMATE,),
    types.FeeOptions: (f.FEE_OPTIONS,),
}


@pytest.mark.parametrize("answer_type", list(SOURCES), ids=lambda t: t.__name__)
def test_every_declared_field_is_in_a_source(answer_type: Any) -> None:
    shown = set().union(*(shape.fields for shape in SOURCES[answer_type]))
    later = f.LATER_FIELDS.get(answer_type.__name__, ("", frozenset()))[1]
    assert set(get_type_hints(answer_type)) - shown - later == set()


def test_later_fields_are_not_already_in_the_shapes() -> None:
    # A stale entry (a field the transcribed shapes now hold) must be removed.
    for name, (_, fields) in f.LATER_FIELDS.items():
        shown = set().union(*(shape.fields for shape in SOURCES[getattr(types, name)]))
        assert not fields & shown, name


def test_every_answer_type_is_checked() -> None:
    answer_types = {
        value
        for name, value in vars(types).items()
        if isinstance(value, type)
        and hasattr(value, "__required_keys__")
        and not name.startswith("_")
        and not name.endswith("Page")
        and name != "Accounts"  # two lists of Account
    }
    assert answer_types == set(SOURCES)
