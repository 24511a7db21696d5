"""What changed in the exchange since the last look, as Liquid Tap frames.

:class:`Feed` keeps what it last saw (the top 40 levels of each ladder side
someone subscribes to, a fingerprint of each product, how many executions, and
for each watched user the orders and trades still open and how many fills).
:meth:`Feed.poll` takes a cheap copy of the current state under the exchange
lock (a plain hold, which is not a change of the exchange), then compares and
renders the frames outside it. The tap server polls after each change the
exchange announces (:meth:`~quoine.sandbox.exchange.Exchange.wait_for_change`).
Standard library only; the websocket side is :mod:`quoine.sandbox.tap`.

Payloads follow the reference of the real service: a ladder side is a JSON
array of up to 40 ``[price, quantity]`` strings (5 and 8 decimals, best
first); executions and the user's orders carry amounts as JSON numbers (with
their exact digits, :func:`~quoine.sandbox.models.dumps`); the product and the
margin trade are their REST objects in the exchange's dialect. Every channel
event's ``data`` is a JSON document in a string.
"""

from __future__ import annotations

import json
from collections import deque
from decimal import Decimal
from typing import TYPE_CHECKING, Any, NamedTuple, Optional

from .models import dumps, fmt, num

if TYPE_CHECKING:
    from .exchange import Exchange
    from .models import Book, Execution, Order, Product, Trade, User

__all__ = ["LADDER_DEPTH", "MAX_EXECUTIONS", "Batch", "Feed", "frame", "private_channel"]

LADDER_DEPTH = 40
MAX_EXECUTIONS = 1000
"""At most this many new executions per product per poll (a bulk
``seed_executions`` only announces its last ones)."""

Levels = tuple[tuple[Decimal, Decimal], ...]
Key = tuple[int, Optional[bool]]  # product id, and True/False = buy/sell, None = both sides
_ORDER_NUMBERS = (
    "quantity",
    "disc_quantity",
    "iceberg_total_quantity",
    "filled_quantity",
    "price",
    "average_price",
    "order_fee",
    "margin_used",
    "margin_interest",
)


class Batch(NamedTuple):
    """Frames to deliver: public ``(channel, frame)`` and private ``(user_id, channel, frame)``."""

    public: list[tuple[str, str]]
    private: list[tuple[int, str, str]]


def private_channel(name: str) -> bool:
    """Whether a channel needs an authenticated connection (``user...``)."""
    return name.startswith("user")


def frame(event: str, data: Any, channel: str | None = None) -> str:
    """Render a server frame with keys in the real server's order.

    Channel events get ``data`` as a JSON string (pass a str to keep it as is);
    connection events pass a dict.
    """
    body: dict[str, Any] = {}
    if channel is not None:
        body["channel"] = channel
    body["data"] = data
    body["event"] = event
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False)


def _fixed(value: Decimal, places: int) -> str:
    """``value`` with exactly ``places`` decimals, or more when it needs them (never rounded)."""
    fixed = value.quantize(Decimal(1).scaleb(-places))
    if fixed == value:
        return format(fixed, "f")
    return format(value.normalize(), "f")


def _top(book: Book, buy: bool) -> Levels:
    prices = book.prices[buy]
    chosen = prices[: -LADDER_DEPTH - 1 : -1] if buy else prices[:LADDER_DEPTH]
    levels = book.levels[buy]
    out = []
    for price in chosen:
        level = levels[price]
        if len(level) == 1:  # the usual case, without a generator
            out.append((price, level[0].remaining))
        else:
            out.append((price, sum((o.remaining for o in level), Decimal(0))))
    return tuple(out)


def _order_fp(order: Order) -> tuple[Any, ...]:
    return (
        order.status,
        order.filled,
        order.quantity,
        order.price,
        order.stop_loss,
        order.take_profit,
        order.updated_at,
        len(order.trade_ids),
    )


def _trade_fp(trade: Trade) -> tuple[Any, ...]:
    return (
        trade.status,
        trade.open_quantity,
        trade.closed_quantity,
        trade.margin,
        trade.stop_loss,
        trade.take_profit,
        trade.pnl,
        trade.updated_at,
    )


def stream_order(order: Order) -> dict[str, Any]:
    """The order as the orders channel sends it (amounts as numbers, product id a string)."""
    data = order.to_json(view="create")  # the REST create answer, plus what the stream had
    data.setdefault("margin_used", "0.0")
    data.setdefault("margin_interest", "0.0")
    data.setdefault("unwound_trade_leverage_level", None)
    for key in _ORDER_NUMBERS:
        if isinstance(data.get(key), str):
            data[key] = num(Decimal(data[key]))
    data["product_id"] = str(order.product.id)
    return data


def _user_execution(exe: Execution, side: str, order: Order) -> dict[str, Any]:
    return {
        "id": exe.id,
        "quantity": fmt(exe.quantity),
        "price": fmt(exe.price),
        "taker_side": exe.taker_side,
        "my_side": side,
        "created_at": exe.created_at,
        "timestamp": f"{exe.timestamp:.6f}",
        "pnl": None,
        "order_id": order.id,
        "client_order_id": order.client_order_id,
        "target": "margin" if order.margin else "spot",
    }


def _public_execution(exe: Execution) -> dict[str, Any]:
    return {
        "created_at": exe.created_at,
        "id": exe.id,
        "price": num(exe.price),
        "quantity": num(exe.quantity),
        "taker_side": exe.taker_side,
        "timestamp": f"{exe.timestamp:.6f}",
    }


class _Mark:
    """What the feed last saw of one watched user."""

    def __init__(self, user: User) -> None:
        self.user = user
        self.watchers = 0
        self.fills = len(user.fills)
        self.orders = len(user.orders)
        self.trades = len(user.trades)
        self.live = {o.id: (o, _order_fp(o)) for o in user.orders if o.is_live}
        self.open = {t.id: (t, _trade_fp(t)) for t in user.trades if t.status == "open"}


class _ProductView(NamedTuple):
    product: Product
    code: str
    ladders: list[tuple[bool, Levels]]  # changed sides of the tracked ones
    both: tuple[Levels, Levels, str] | None  # bids, asks, timestamp for the two-sided channel
    product_json: dict[str, Any] | None
    executions: list[Execution]


def _ladder(levels: Levels) -> list[list[str]]:
    return [[_fixed(p, 5), _fixed(q, 8)] for p, q in levels]


def _render_product(view: _ProductView, out: list[tuple[str, str]]) -> None:
    """Frames of one product's changes (outside the lock)."""
    for buy, levels in view.ladders:
        channel = f"price_ladders_cash_{view.code}_{'buy' if buy else 'sell'}"
        out.append((channel, frame("updated", dumps(_ladder(levels)), channel)))
    if view.both is not None:
        bids, asks, stamp = view.both
        channel = f"price_ladders_cash_{view.code}"
        both = {"bids": _ladder(bids), "asks": _ladder(asks), "timestamp": stamp}
        out.append((channel, frame("updated", dumps(both), channel)))
    if view.product_json is not None:
        channel = f"product_cash_{view.code}_{view.product.id}"
        out.append((channel, frame("updated", dumps(view.product_json), channel)))
    for exe in view.executions:
        public = _public_execution(exe)
        channel = f"executions_cash_{view.code}"
        out.append((channel, frame("created", dumps(public), channel)))
        public["buy_order_id"] = exe.buy_order.id if exe.buy_order else None
        public["sell_order_id"] = exe.sell_order.id if exe.sell_order else None
        channel = f"execution_details_cash_{view.code}"
        out.append((channel, frame("created", dumps(public), channel)))


class Feed:
    """The exchange's changes since the last poll, per channel.

    Only the feed thread calls :meth:`poll`. :meth:`watch` and :meth:`track`
    may run on any thread (they take the exchange lock); :meth:`unwatch` and
    :meth:`untrack` on any thread (they only queue). Events start from the
    construction: nothing that happened before is announced.

    Ladder sides cost a top-40 snapshot per poll, so only the tracked ones (a
    connection subscribed to them) are compared; :meth:`track` records the
    side's current top 40 before the subscription is confirmed, so no change
    made after the confirmation can be missed.

    Args:
        exchange: The exchange to follow.
    """

    def __init__(self, exchange: Exchange) -> None:
        self.exchange = exchange
        self._ladders: dict[Key, Levels] = {}  # tracked sides: last sent
        self._tracked: dict[Key, int] = {}
        self._product_fp: dict[int, tuple[Any, ...]] = {}
        self._executions: dict[int, int] = {}
        self._marks: dict[int, _Mark] = {}
        self._released: deque[tuple[str, Any]] = deque()
        self._keys: dict[str, tuple[Key, ...]] = {}
        for p in exchange.products.values():
            name = f"price_ladders_cash_{p.code.lower()}"
            self._keys[name + "_buy"] = ((p.id, True),)
            self._keys[name + "_sell"] = ((p.id, False),)
            self._keys[name] = ((p.id, True), (p.id, False), (p.id, None))
        self.poll()

    def ladder_keys(self, channel: str) -> tuple[Key, ...]:
        """What a ladder channel needs tracked (empty for other channels)."""
        return self._keys.get(channel, ())

    def track(self, keys: tuple[Key, ...]) -> None:
        """Compare these ladder sides from now on (counted per caller)."""
        with self.exchange.lock:
            for key in keys:
                count = self._tracked.get(key, 0)
                pid, buy = key
                if count == 0 and buy is not None:
                    self._ladders[key] = _top(self.exchange.products[pid].book, buy)
                self._tracked[key] = count + 1

    def untrack(self, keys: tuple[Key, ...]) -> None:
        """Undo one :meth:`track` (applied at the next poll)."""
        for key in keys:
            self._released.append(("side", key))

    def watch(self, user: User) -> None:
        """Follow a user's orders, fills and trades from now on (counted per caller)."""
        with self.exchange.lock:  # re-entrant: callers may hold it already
            mark = self._marks.get(user.id)
            if mark is None:
                mark = self._marks[user.id] = _Mark(user)
            mark.watchers += 1

    def unwatch(self, user_id: int) -> None:
        """Undo one :meth:`watch` (applied at the next poll)."""
        self._released.append(("user", user_id))

    def poll(self) -> Batch:
        """Collect the changes under the lock and render them outside it."""
        with self.exchange.lock:
            while self._released:
                self._release(*self._released.popleft())
            views = self._collect_products()
            private = [(m.user.id, *e) for m in self._marks.values() for e in self._collect(m)]
        batch = Batch([], [])
        for view in views:
            _render_product(view, batch.public)
        for uid, channel, event, payload in private:
            batch.private.append((uid, channel, frame(event, dumps(payload), channel)))
        return batch

    def _release(self, kind: str, key: Any) -> None:
        if kind == "side":
            count = self._tracked.get(key, 0) - 1
            if count > 0:
                self._tracked[key] = count
            else:
                self._tracked.pop(key, None)
                self._ladders.pop(key, None)
            return
        mark = self._marks.get(key)
        if mark is not None:
            mark.watchers -= 1
            if mark.watchers <= 0:
                del self._marks[key]

    def _collect_products(self) -> list[_ProductView]:
        """What changed per product (under the lock): cheap except tracked ladder sides."""
        now = self.exchange.now()
        views = []
        for product in self.exchange.products.values():
            ladders = self._changed_sides(product)
            both = None
            if ladders and (product.id, None) in self._tracked:
                bids, asks = self._ladders[(product.id, True)], self._ladders[(product.id, False)]
                both = (bids, asks, f"{now:.6f}")
            count = len(product.executions)
            fp = (
                product.book.best(True),
                product.book.best(False),
                product.last_price,
                count,
                product.disabled,
            )
            product_json = None
            if self._product_fp.get(product.id, fp) != fp:
                quote = self.exchange.currencies[product.quote]
                product_json = product.to_json(now, quote, self.exchange.dialect)
            self._product_fp[product.id] = fp
            seen = self._executions.get(product.id, count)
            self._executions[product.id] = count
            new = product.executions[max(seen, count - MAX_EXECUTIONS) : count]
            if ladders or product_json is not None or new:
                code = product.code.lower()
                views.append(_ProductView(product, code, ladders, both, product_json, new))
        return views

    def _changed_sides(self, product: Product) -> list[tuple[bool, Levels]]:
        """The tracked ladder sides of a product whose top 40 changed (now remembered)."""
        changed = []
        for buy in (True, False):
            key = (product.id, buy)
            if key in self._ladders:
                levels = _top(product.book, buy)
                if levels != self._ladders[key]:
                    self._ladders[key] = levels
                    changed.append((buy, levels))
        return changed

    def _collect(self, mark: _Mark) -> list[tuple[str, str, dict[str, Any]]]:
        """A watched user's changed orders, new fills and changed trades (under the lock)."""
        user = mark.user
        events: list[tuple[str, str, dict[str, Any]]] = []
        changed: list[Order] = []
        for oid, (order, fp) in list(mark.live.items()):
            now = _order_fp(order)
            if now != fp:
                changed.append(order)
                mark.live[oid] = (order, now)
            if not order.is_live:
                del mark.live[oid]
        for order in user.orders[mark.orders :]:
            changed.append(order)
            if order.is_live:
                mark.live[order.id] = (order, _order_fp(order))
        mark.orders = len(user.orders)
        for order in sorted(changed, key=lambda o: o.id):
            channel = f"user_account_{order.funding_currency.lower()}_orders"
            events.append((channel, "updated", stream_order(order)))
        for exe, side, order in user.fills[mark.fills :]:
            channel = f"user_executions_cash_{order.product.code.lower()}"
            events.append((channel, "created", _user_execution(exe, side, order)))
        mark.fills = len(user.fills)
        for trade in self._changed_trades(mark):
            channel = f"user_account_{trade.funding_currency.lower()}_trades"
            events.append((channel, "updated", trade.to_json(self.exchange.dialect)))
        return events

    @staticmethod
    def _changed_trades(mark: _Mark) -> list[Trade]:
        changed: list[Trade] = []
        for tid, (trade, fp) in list(mark.open.items()):
            now = _trade_fp(trade)
            if now != fp:
                changed.append(trade)
                mark.open[tid] = (trade, now)
            if trade.status != "open":
                del mark.open[tid]
        for trade in mark.user.trades[mark.trades :]:
            changed.append(trade)
            if trade.status == "open":
                mark.open[trade.id] = (trade, _trade_fp(trade))
        mark.trades = len(mark.user.trades)
        return changed
