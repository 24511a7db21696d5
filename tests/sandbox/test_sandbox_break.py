"""A second reviewer's inputs of issue 11's classes, and the faults they found.

* Framing: a ``Content-Length`` of non-ASCII digits (``"²"`` passes
  ``str.isdigit`` and then breaks ``int``) dropped the connection.
* Failed requests changing state: ``PUT /trades/close_all`` whose first close
  fired the next trade's stop loss answered 422 with both trades closed and
  their margin left reserved forever; a failed read of withdrawals (or a
  refused cancel) left withdrawals ``processed`` with their money unmoved.
* Reservations without a live owner: a margin order filling after its trade
  closed grew the closed trade; a crossing margin sell reserved at its limit
  and overdrew the account.
* Numbers: a stop loss (price range, trailing value) that enters as zero was
  kept as 0 (a short closed at once); balances beyond 10**20 lost decimals.
* The lock: ``/products`` and OHLC scanned the whole trade history.
* The conservation property gains those steps and checks that a step that
  fails changes nothing, every reservation has a live owner and no account
  reserves more than its balance.
"""

from __future__ import annotations

import io
import json
import os
import random
from decimal import Context
from decimal import Decimal as D
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quoine.sandbox import ApiError, Exchange
from quoine.sandbox.app import content_length
from quoine.sandbox.models import User

from .conftest import Clock
from .test_sandbox_hostile import raw

BAD_LENGTH = {"message": "Invalid Content-Length"}
EXAMPLES = int(os.environ.get("QUOINE_SANDBOX_EXAMPLES", "25"))
FUNDS = {"USD": "200000", "BTC": "20", "ETH": "200", "JPY": "20000000"}


# ------------------------------------------------------------------ framing
NOT_LENGTHS = ["\xb2", "\xb9", "\xb3", "\u0661", "\uff15", "+5", "-0", "", "5 5", "1" * 13]


@pytest.mark.parametrize("value", NOT_LENGTHS)
def test_content_length_of_anything_but_ascii_digits_is_refused(value):
    assert content_length(value) is None


@pytest.mark.parametrize(("value", "length"), [("0", 0), ("5", 5), (" 12 ", 12), ("007", 7)])
def test_content_length_of_ascii_digits_is_read(value, length):
    assert content_length(value) == length


@pytest.mark.parametrize("value", [b"\xb2", b"\xb9", b"\xb3", b"\xbd", b"5\xb2"])
def test_a_latin1_digit_content_length_is_answered_400(sandbox, value):
    request = b"POST /orders HTTP/1.1\r\nHost: x\r\nContent-Length: " + value + b"\r\n\r\n{}"
    assert raw(sandbox, request) == (400, BAD_LENGTH)


@pytest.mark.parametrize("value", ["\xb2", "\u0661", "abc", "-1", "1" * 13])
def test_a_bad_content_length_in_the_wsgi_app_is_400(sandbox, wsgi_call, value):
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": "/products", "CONTENT_LENGTH": value}
    environ["wsgi.input"] = io.BytesIO(b"")
    answer: dict[str, Any] = {}
    body = b"".join(sandbox.app(environ, lambda status, headers: answer.update(status=status)))
    assert (answer["status"], json.loads(body)) == ("400 Bad Request", BAD_LENGTH)


def test_a_long_uri_is_answered_414_with_its_reason(sandbox):
    status, body = raw(sandbox, b"GET /" + b"a" * 70000 + b" HTTP/1.1\r\n\r\n")
    assert (status, body) == (414, {"message": "URI Too Long"})


# ----------------------------------------------------- close_all and stops
def _two_longs_with_a_stop_loss(api: Any, sandbox: Any) -> tuple[int, int]:
    for direction in ("netout", "two_direction"):
        api.order(product_id=1, side="buy", order_type="market", quantity="0.5",
                  leverage_level=2, order_direction=direction)  # fmt: skip
    first, second = (t.id for t in sandbox.exchange.demo.trades)
    best_bid = sandbox.exchange.products[1].book.best(True)
    api.put(f"/trades/{second}", {"trade": {"stop_loss": str(best_bid)}})
    return first, second


def test_close_all_that_fires_another_trades_stop_loss_closes_both(api, sandbox):
    ex = sandbox.exchange
    totals = ex.totals()
    first, second = _two_longs_with_a_stop_loss(api, sandbox)
    answer = api.put("/trades/close_all", {"trade": {}})
    assert [(t["id"], t["status"]) for t in answer] == [(first, "closed"), (second, "closed")]
    usd = ex.demo.accounts["USD"]
    assert (usd.reserved, usd.reservations) == (0, {})
    assert ex.totals() == totals and ex.ledger.problems() == []


def test_close_all_of_one_side_leaves_the_other_open(api, sandbox):
    api.order(product_id=1, side="buy", order_type="market", quantity="0.1", leverage_level=2)
    api.order(product_id=1, side="sell", order_type="market", quantity="0.1", leverage_level=2,
              order_direction="two_direction")  # fmt: skip
    answer = api.put("/trades/close_all", {"trade": {"side": "short"}})
    assert [t["side"] for t in answer] == ["short"]
    statuses = {t.side: t.status for t in sandbox.exchange.demo.trades}
    assert statuses == {"long": "open", "short": "closed"}


def test_close_all_without_open_trades_is_an_empty_list(api):
    assert api.put("/trades/close_all", {"trade": {}}) == []


# -------------------------------------------------- withdrawals and time
def _pending_withdrawal(api: Any) -> int:
    body = {"crypto_withdrawal": {"currency": "BTC", "amount": "1", "address": "abc"}}
    return int(api.post("/crypto_withdrawals", body)["id"])


@pytest.fixture
def timed() -> Any:
    from quoine.sandbox import Sandbox

    from .conftest import Api

    clock = Clock()
    sb = Sandbox(rate_limit=None, seed=7, clock=clock).start()
    try:
        yield sb, Api(sb.url, sb.token_id, sb.secret), clock
    finally:
        sb.stop()


@pytest.mark.parametrize("query", ["limit=abc", "limit=0", "page=1e400", "limit=-1"])
def test_a_failed_read_does_not_half_process_withdrawals(timed, query):
    sb, api, clock = timed
    ex = sb.exchange
    _pending_withdrawal(api)
    clock.now += 100  # past processing: the next read would process it
    resp = api.request("GET", f"/crypto_withdrawals?{query}")
    assert resp.status_code == 422
    rec = ex.funding.records["crypto_withdrawal"][1]
    btc = ex.demo.accounts["BTC"]
    assert (rec["state"], btc.balance, btc.reserved) == ("pending", D(10), D(1))
    listed = api.get("/crypto_withdrawals")["models"][0]  # a good read processes it
    assert listed["state"] == "processed"
    assert (btc.balance, btc.reserved, btc.reservations) == (D("9"), D(0), {})


def test_a_refused_cancel_does_not_half_process_withdrawals(timed):
    sb, api, clock = timed
    ex = sb.exchange
    wid = _pending_withdrawal(api)
    clock.now += 100
    resp = api.request("PUT", f"/crypto_withdrawal/{wid}/cancel")
    assert resp.status_code == 422
    assert resp.json() == {"errors": {"withdrawal": ["can_not_be_cancelled"]}}
    btc = ex.demo.accounts["BTC"]
    assert (ex.funding.records["crypto_withdrawal"][wid]["state"], btc.reserved) == ("pending", 1)
    assert api.get("/crypto_withdrawals")["models"][0]["state"] == "processed"
    assert btc.balance == D(9) and btc.reserved == 0


def test_a_failed_transaction_forgets_the_records_it_created():
    ex = Exchange(seed=1)
    with pytest.raises(ApiError), ex.transaction():
        ex.funding.create_loan_bid(ex.demo, {"rate": "0.0001", "quantity": "1", "currency": "BTC"})
        raise ApiError.field("x", "is_invalid")
    assert ex.funding.find("loan_bid", ex.demo) == []
    assert ex.demo.accounts["BTC"].reserved == 0


# ------------------------------------------------------ state properties
def owners_problems(ex: Exchange) -> list[str]:
    """Reservations whose object is no longer live (money reserved forever)."""
    live: set[tuple[str, int]] = set()
    live.update(("Order", o.id) for o in ex.orders.values() if o.is_live)
    live.update(("Trade", t.id) for t in ex.trades.values() if t.status == "open")
    for kind, key in (("crypto_withdrawal", "Withdrawal"), ("withdrawal", "Withdrawal")):
        for rec in ex.funding.records.get(kind, {}).values():
            if rec["state"] in ("pending", "processing"):
                live.add((key, rec.id))
    for rec in ex.funding.records.get("loan_bid", {}).values():
        if rec["status"] == "live":
            live.add(("LoanBid", rec.id))
    return [
        f"user {user.id} {code} {key}"
        for user in ex.users.values()
        for code, acct in user.accounts.items()
        for key in acct.reservations
        if key not in live
    ]


def snapshot(ex: Exchange) -> Any:
    """Everything a failed request must leave as it was (ids may advance)."""
    accounts = sorted(
        (u.id, c, a.balance, a.reserved, tuple(sorted(a.reservations.items())), len(u.entries))
        for u in ex.users.values()
        for c, a in u.accounts.items()
        if a.balance or a.reservations or u.entries  # an empty account may appear
    )
    orders = sorted((o.id, o.status, o.filled, o.in_book) for o in ex.orders.values())
    trades = sorted((t.id, t.status, t.open_quantity, t.margin) for t in ex.trades.values())
    records = sorted(
        (kind, r.id, tuple(sorted((k, str(v)) for k, v in r.fields.items())))
        for kind, recs in ex.funding.records.items()
        for r in recs.values()
    )
    books = [
        (p.id, p.last_price, p.book.depth(True, None), p.book.depth(False, None), len(p.executions))
        for p in ex.products.values()
    ]
    stops = sorted(o.id for p in ex.products.values() for o in p.stops)
    return accounts, orders, trades, records, books, stops


KINDS = ["order"] * 5 + ["stop_loss", "close_all", "close", "cancel", "adjust", "edit"]
KINDS += ["loan_bid", "close_bid", "withdraw", "cancel_withdrawal", "time", "hostile"]
HOSTILE = ["1e19", "-0", "NaN", "0x10", "1e-30", ".5", "1.", " 1", "", None, [1], {"a": 1}]


def _random_order(rng: random.Random, ex: Exchange, amount: D) -> dict[str, Any]:
    pid = rng.choice([1, 1, 5, 27, 603])
    last = ex.products[pid].last_price
    fields: dict[str, Any] = {
        "order_type": rng.choice(["limit", "market", "stop", "trailing_stop"]),
        "product_id": pid,
        "side": rng.choice(["buy", "sell"]),
        "quantity": str(amount),
        "price": str(last * D(rng.randint(97, 103)) / 100),
        "trailing_stop_type": "percentage",
        "trailing_stop_value": "1",
    }
    if rng.random() < 0.5:
        fields["leverage_level"] = rng.choice([2, 4, 10, 100])
        fields["order_direction"] = rng.choice(["netout", "two_direction"])
    return fields


def _step(ex: Exchange, clock: Clock, rng: random.Random, user: User, amount: D) -> None:
    kind = rng.choice(KINDS)
    live = [o for o in user.orders if o.is_live]
    trades = [t for t in user.trades if t.status == "open"]
    records = ex.funding.records
    if kind == "order":
        ex.place_order(user, _random_order(rng, ex, amount))
    elif kind == "stop_loss" and trades:
        trade = rng.choice(trades)
        near = trade.product.book.best(trade.side == "long") or trade.product.last_price
        ex.update_trade(trade, {"stop_loss": str(near), "take_profit": rng.choice(["", None])})
    elif kind == "close_all":
        ex.close_all_trades(user, rng.choice([None, "long", "short"]))
    elif kind == "close" and trades:
        ex.close_trade(rng.choice(trades), rng.choice([None, amount / 3]))
    elif kind == "cancel" and live:
        ex.cancel_order(rng.choice(live))
    elif kind == "adjust" and trades:
        ex.adjust_margin(trades[-1], amount * 100 if rng.random() < 0.5 else -amount * 100)
    elif kind == "edit" and live:
        ex.edit_order(live[-1], {rng.choice(["quantity", "price"]): rng.choice([*HOSTILE, amount])})
    elif kind == "loan_bid":
        fields = {"rate": "0.0001", "quantity": str(amount * 1000), "currency": "USD"}
        ex.funding.create_loan_bid(user, fields)
    elif kind == "close_bid" and records.get("loan_bid"):
        ex.funding.close_loan_bid(rng.choice(list(records["loan_bid"].values())))
    elif kind == "withdraw":
        fields = {"currency": "BTC", "amount": str(amount), "address": "a"}
        ex.funding.create_withdrawal(user, fields, True)
    elif kind == "cancel_withdrawal" and records.get("crypto_withdrawal"):
        clock.now += rng.choice([0, 40, 100])
        ex.funding.cancel_withdrawal(rng.choice(list(records["crypto_withdrawal"].values())))
    elif kind == "time":
        clock.now += rng.randint(1, 100)
        ex.funding.advance()
        if rng.random() < 0.5:
            raise ApiError.field("limit", "is_invalid")  # as a read refused after advancing
    elif kind == "hostile":
        fields = _random_order(rng, ex, amount)
        fields[rng.choice(list(fields))] = rng.choice(HOSTILE)
        ex.place_order(user, fields)


amounts = st.decimals(min_value=D("0.0001"), max_value=D("2"), allow_nan=False, places=None)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10**6), quantities=st.lists(amounts, min_size=40, max_size=40))
def test_a_failed_step_changes_nothing_and_no_reservation_is_orphaned(seed, quantities):
    clock = Clock()
    ex = Exchange(seed=seed, clock=clock, book_depth=6)
    users = [ex.add_user(f"u{i}", FUNDS) for i in range(2)]
    totals = ex.totals()
    rng = random.Random(seed)
    for amount in quantities:
        before = snapshot(ex)
        try:
            with ex.transaction():
                _step(ex, clock, rng, rng.choice(users), amount)
        except ApiError:
            assert snapshot(ex) == before
        assert ex.totals() == totals
        assert ex.ledger.problems() == []
        assert owners_problems(ex) == []
        overdrawn = [
            (u.name, c) for u in users for c, a in u.accounts.items() if a.reserved > a.balance
        ]
        assert overdrawn == []  # no reservation beyond the balance (free never below 0)


# ------------------------------------------- fills after a trade is closed
def _resting_margin_buy(ex: Exchange, user: User, extra: D) -> Any:
    """A 2x margin buy that takes the best ask level and rests ``extra`` more at its price."""
    product = ex.products[1]
    ask = product.book.best(False)
    level = sum(o.remaining for o in product.book.levels[False][ask])
    fields = {"product_id": 1, "side": "buy", "order_type": "limit", "leverage_level": 2,
              "quantity": str(level + extra), "price": str(ask)}  # fmt: skip
    order = ex.place_order(user, fields)
    assert order.status == "partially_filled" and order.in_book and order.filled == level
    return order


def test_a_trade_closed_into_its_own_resting_order_stays_closed():
    ex = Exchange(seed=5)
    totals = ex.totals()
    order = _resting_margin_buy(ex, ex.demo, D(5))  # more resting than the trade holds
    (first,) = ex.demo.trades
    ex.close_trade(first)  # the close sells into the demo's own resting buy
    assert (first.status, first.open_quantity) == ("closed", 0)
    assert ("Trade", first.id) not in ex.demo.accounts["USD"].reservations
    second = ex.trades[order.trade_ids[-1]]
    assert second is not first and second.status == "open"
    assert second.open_quantity == first.quantity  # the self-fill opened it
    assert ex.totals() == totals and owners_problems(ex) == [] and ex.ledger.problems() == []


def test_a_trade_partly_closed_into_its_own_resting_order_nets_out():
    ex = Exchange(seed=5)
    order = _resting_margin_buy(ex, ex.demo, D("0.3"))  # less resting than the trade holds
    (first,) = ex.demo.trades
    ex.close_trade(first)
    assert (first.status, first.open_quantity) == ("open", D("0.3"))
    assert order.trade_ids == [first.id] and not order.is_live
    assert owners_problems(ex) == [] and ex.ledger.problems() == []


def test_a_later_fill_of_the_opening_order_opens_a_new_trade(other, api, sandbox):
    ex = sandbox.exchange
    totals = ex.totals()
    order = _resting_margin_buy(ex, ex.demo, D("0.5"))
    (first,) = ex.demo.trades
    above = order.price + ex.products[1].tick  # a better bid than the demo's, below the asks
    assert above < ex.products[1].book.best(False)
    other.order(product_id=1, side="buy", order_type="limit", quantity=str(first.quantity * 2),
                price=str(above))  # fmt: skip
    api.put(f"/trades/{first.id}/close", {"trade": {}})  # sells into other's bid only
    assert (first.status, order.remaining) == ("closed", D("0.5"))
    other.order(product_id=1, side="sell", order_type="market", quantity=str(first.quantity * 3))
    assert (first.status, first.open_quantity) == ("closed", 0)
    second = ex.trades[order.trade_ids[-1]]
    assert (second.status, second.open_quantity) == ("open", D("0.5"))
    assert ex.totals() == totals and owners_problems(ex) == [] and ex.ledger.problems() == []


# ------------------------------------- history summaries (nothing slow under the lock)
def brute_ohlc(fills: list[Any], resolution: int, start: int) -> dict[int, list[D]]:
    out: dict[int, list[D]] = {}
    for exe in fills:
        if exe.created_at < start:
            continue
        key = exe.created_at // resolution * resolution
        bar = out.setdefault(key, [exe.price, exe.price, exe.price, exe.price, D(0)])
        bar[1], bar[2], bar[3] = max(bar[1], exe.price), min(bar[2], exe.price), exe.price
        bar[4] += exe.quantity
    return out


@settings(max_examples=EXAMPLES, deadline=None)
@given(
    seed=st.integers(0, 10**6),
    resolution=st.sampled_from([60, 120, 300, 3540, 3600, 3660, 7200, 86400, 60 * 2**50]),
    back=st.integers(0, 5000),
)
def test_ohlc_from_bars_equals_folding_every_execution(seed, resolution, back):
    from quoine.sandbox.history import ohlc

    ex = Exchange(seed=seed)
    product = ex.products[1]
    ex.seed_executions(1, 3000, per_second=random.Random(seed).choice([1, 3, 10]), seed=seed)
    last = product.executions[-1].created_at
    start = (last - back * 7) // resolution * resolution
    expected = brute_ohlc(product.executions, resolution, start)
    assert ohlc(product.bars, resolution, start) == expected


@pytest.mark.parametrize("hours", [0, 1, 23, 24, 25, 48, -1, -30])
def test_day_stats_equal_summing_the_last_day(hours):
    clock = Clock()
    ex = Exchange(seed=4, clock=clock)
    product = ex.products[1]
    ex.seed_executions(1, 2000, start=clock.now - 86400 * 2, per_second=1, seed=4)
    ex.seed_executions(1, 2000, per_second=1, seed=5)
    product.day_stats(clock.now)  # the window has moved; a clock set back moves it back
    clock.now += hours * 3600
    day = [e for e in product.executions if e.created_at >= int(clock.now) - 86400]
    stats = product.day_stats(clock.now)
    volume = sum((e.quantity for e in day), D(0))
    assert stats.volume == volume
    assert (stats.low, stats.high) == (
        min((e.price for e in day), default=None),
        max((e.price for e in day), default=None),
    )
    assert stats.first == (day[0].price if day else None)
    if day:
        notional = sum((e.quantity * e.price for e in day), D(0))
        assert stats.average == (notional / volume).quantize(product.tick)


# ----------------------------------- a crossing margin sell reserves at the bids it takes
def _short(ex: Exchange, user: User, fraction: str, quantity: str = "0.3", lev: int = 1) -> Any:
    price = ex.products[1].last_price * D(fraction)
    fields = {"product_id": 1, "side": "sell", "order_type": "limit", "leverage_level": lev,
              "order_direction": "two_direction", "quantity": quantity,
              "price": str(price)}  # fmt: skip
    return ex.place_order(user, fields)


@pytest.mark.parametrize("fraction", ["0.011", "0.5", "0.99"])
def test_a_margin_sell_far_below_the_bids_needs_margin_at_the_bids(fraction):
    ex = Exchange(seed=1)
    user = ex.add_user("x", {"USD": "1000"})  # 0.3 BTC at ~30,000 needs ~9,000 at 1x
    before = snapshot(ex)
    with pytest.raises(ApiError) as err:
        _short(ex, user, fraction)
    assert err.value.body == {"errors": {"user": ["not_enough_free_balance"]}}
    assert snapshot(ex) == before


@pytest.mark.parametrize(("fraction", "lev"), [("0.011", 1), ("0.5", 10), ("0.99", 100)])
def test_a_funded_crossing_margin_sell_never_reserves_more_than_the_balance(fraction, lev):
    ex = Exchange(seed=1)
    user = ex.add_user("x", {"USD": "10000"})
    order = _short(ex, user, fraction, lev=lev)
    usd = user.accounts["USD"]
    assert order.status == "filled" and user.trades[0].side == "short"
    assert 0 <= usd.reserved <= usd.balance and usd.reserved == user.trades[0].margin
    assert owners_problems(ex) == [] and ex.ledger.problems() == []


def test_an_edit_that_makes_a_margin_sell_cross_needs_margin_at_the_bids():
    ex = Exchange(seed=1)
    user = ex.add_user("x", {"USD": "5000"})
    order = _short(ex, user, "1.05", quantity="0.03")  # rests on the ask side
    assert order.is_live
    before = snapshot(ex)
    low = str(ex.products[1].last_price * D("0.011"))
    with pytest.raises(ApiError):  # 0.3 at ~100 would need ~100; at the bids ~9,000
        ex.edit_order(order, {"quantity": "0.3", "price": low})
    assert snapshot(ex) == before and order.in_book
    ex.edit_order(order, {"quantity": "0.1", "price": low})  # ~3,000 at the bids: fits
    usd = user.accounts["USD"]
    assert order.status == "filled" and 0 <= usd.reserved <= usd.balance
    assert owners_problems(ex) == [] and ex.ledger.problems() == []


@pytest.mark.parametrize(("given", "used"), [(59, 60), (60, 60), (61, 60), (119, 60), (3660, 3660)])
def test_ohlc_resolution_is_cut_to_whole_minutes(api, sandbox, given, used):
    ex = sandbox.exchange
    ex.seed_executions(1, 5000, per_second=1, seed=3)
    data = api.get(f"/products/1/ohlc?resolution={given}&limit=50", signed=False)["data"]
    expected = api.get(f"/products/1/ohlc?resolution={used}&limit=50", signed=False)["data"]
    assert data == expected and data
    assert all(row[0] % used == 0 for row in data)


# ------------------------- a positive amount that enters as zero is refused, not kept as 0
TINY = ["0.000000001", "1e-9", "9e-9", 1e-12, "0.000000009999"]
MARGIN = {"product_id": 1, "side": "sell", "order_type": "market", "quantity": "0.01",
          "leverage_level": 2}  # fmt: skip


@pytest.mark.parametrize("tiny", TINY)
@pytest.mark.parametrize(
    ("field", "extra"),
    [
        ("stop_loss", {}),
        ("take_profit", {}),
        ("price_range", {"order_type": "market_with_range"}),
        ("trailing_stop_value", {"order_type": "trailing_stop", "trailing_stop_type": "price"}),
        ("price", {"order_type": "limit"}),
    ],
)
def test_a_value_that_enters_as_zero_is_must_be_positive(tiny, field, extra):
    ex = Exchange(seed=1)
    before = snapshot(ex)
    with pytest.raises(ApiError) as err:
        ex.place_order(ex.demo, {**MARGIN, **extra, field: tiny})
    assert err.value.body == {"errors": {field: ["must_be_positive"]}}
    assert snapshot(ex) == before


@pytest.mark.parametrize("field", ["stop_loss", "take_profit"])
def test_the_smallest_price_that_enters_is_kept(field):
    ex = Exchange(seed=1)
    order = ex.place_order(ex.demo, {**MARGIN, field: "0.00000001"})
    assert getattr(order, field) == D("0.00000001")


def test_a_short_whose_stop_loss_enters_as_zero_is_refused_not_closed_at_once():
    ex = Exchange(seed=1)
    ex.place_order(ex.demo, MARGIN)
    (trade,) = ex.demo.trades
    with pytest.raises(ApiError) as err:
        ex.update_trade(trade, {"stop_loss": "0.000000001"})
    assert err.value.body == {"errors": {"stop_loss": ["must_be_positive"]}}
    assert trade.stop_loss is None and trade.status == "open"
    ex.update_trade(trade, {"stop_loss": "0"})  # 0 still clears it
    assert trade.stop_loss is None


# ------------------------------- balances beyond 10**20 still add up to the last decimal
@pytest.mark.parametrize("deposits", [0, 11, 110, 1100])
def test_a_huge_balance_is_credited_every_decimal_of_a_sale(deposits):
    ex = Exchange(seed=1)
    totals = ex.totals()
    for _ in range(deposits):  # 9.99e18 each: the largest amount one request may carry
        ex.funding.create_fund_info(ex.demo, {"currency": "USD", "amount": "9990000000000000000"})
    usd = ex.demo.accounts["USD"]
    before = usd.balance
    order = ex.place_order(ex.demo, {"product_id": 1, "side": "sell", "order_type": "market",
                                     "quantity": "0.00012345"})  # fmt: skip
    (fill,) = order.executions
    proceeds = fill.quantity * fill.price - order.fee  # small: exact in any context
    assert usd.balance == Context(prec=80).add(before, proceeds)  # every decimal of it
    assert ex.totals() == totals and ex.ledger.problems() == []
