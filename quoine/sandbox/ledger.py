"""Accounts, transfers, reservations and totals: the sandbox's books.

Every balance change is a transfer between two accounts (users' accounts or
the system accounts ``fees``, ``house``, ``external``, ``clearing`` and
``market_maker``), and both legs of a transfer are the same
:class:`~decimal.Decimal`, quantized to :data:`PLACES` decimals before it
moves. Balances, reservations and totals are added in an 80-digit context
(Decimal's default 28 digits would round a balance beyond 10**20, which
repeated deposits reach), so every sum is exact and :meth:`Ledger.totals`
never changes.

A reservation holds part of a balance for an object (``("Order", 7)``,
``("Withdrawal", 3)``...). An account's ``reserved`` is always the sum of its
reservations; :meth:`Ledger.problems` checks that.

:meth:`Ledger.transaction` makes a group of moves all-or-nothing: when the
block raises, every move and reservation it made is undone (and every undo
registered with :meth:`Ledger.on_undo`), so a request that fails leaves the
books as they were.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from decimal import ROUND_DOWN, ROUND_UP, Context, Decimal
from typing import Callable

from .models import D0, Account, ApiError, Currency, Entry, User

__all__ = ["PLACES", "Key", "Ledger"]

PLACES = 8
"""Decimals kept for every amount in the books (the finest currency precision)."""
Key = tuple[str, int]
_QUANTUM = Decimal(1).scaleb(-PLACES)
_WIDE = Context(prec=80)


def _sum(amounts: Iterable[Decimal]) -> Decimal:
    total = D0
    for amount in amounts:
        total = _WIDE.add(total, amount)
    return total


def _exact(amount: Decimal, rounding: str = ROUND_DOWN) -> Decimal:
    return amount.quantize(_QUANTUM, rounding=rounding, context=_WIDE)


class Ledger:
    """The books of one exchange.

    Args:
        currencies: Known currencies by code (an unknown code is a 422).
        clock: Time source in seconds, stamped on balance entries.
        next_id: Id sequence source, e.g. ``next_id("account", 1000)``.
    """

    def __init__(
        self,
        currencies: dict[str, Currency],
        clock: Callable[[], float],
        next_id: Callable[[str, int], int],
    ) -> None:
        self.currencies = currencies
        self.clock = clock
        self.next_id = next_id
        self.users: dict[int, User] = {}
        self._journal: list[Callable[[], None]] | None = None
        self.changes = 0
        """Count of moves and reservation changes so far (grows, never undone)."""

    # ---------------------------------------------------------- accounts
    def add_user(self, user: User) -> User:
        """Register a user whose accounts count in :meth:`totals`."""
        self.users[user.id] = user
        return user

    def account(self, user: User, code: str) -> Account:
        """Return (creating if needed) a user's account in ``code``.

        Raises:
            ApiError: 422 ``{"errors": {"currency": ["is_invalid"]}}``.
        """
        acct = user.accounts.get(code)
        if acct is None:
            currency = self.currencies.get(code)
            if currency is None:
                raise ApiError.field("currency", "is_invalid")
            acct = Account(self.next_id("account", 1000), user, currency)
            user.accounts[code] = acct
        return acct

    @staticmethod
    def exact(amount: Decimal) -> Decimal:
        """``amount`` cut (towards zero) to the books' :data:`PLACES` decimals."""
        return _exact(amount)

    def entered(self, code: str, amount: Decimal) -> Decimal:
        """An amount as it enters from a client: cut to the currency's precision."""
        places = self.currencies[code].precision if code in self.currencies else PLACES
        return amount.quantize(Decimal(1).scaleb(-places), rounding=ROUND_DOWN, context=_WIDE)

    # ------------------------------------------------------------- moves
    def move(
        self,
        src: User,
        dst: User,
        code: str,
        amount: Decimal,
        action: str,
        object_type: str = "",
        object_id: int = 0,
    ) -> Decimal:
        """Transfer ``amount`` (quantized) of ``code`` from ``src`` to ``dst``.

        A negative amount goes the other way. Returns the amount moved.
        """
        amount = _exact(amount)
        if amount == 0:
            return amount
        if amount < 0:
            src, dst, amount = dst, src, -amount
        now = self.clock()
        for user, delta in ((src, -amount), (dst, amount)):
            acct = self.account(user, code)
            acct.balance = _WIDE.add(acct.balance, delta)
            entry = None
            if user.token_id is not None:
                eid = self.next_id("entry", 1)
                args = (eid, code, delta, acct.balance, action, object_type, object_id, now)
                entry = Entry(*args)
                user.entries.append(entry)
            self._record(self._undo_move(acct, delta, entry))
        return amount

    @staticmethod
    def _undo_move(acct: Account, delta: Decimal, entry: Entry | None) -> Callable[[], None]:
        def undo() -> None:
            acct.balance = _WIDE.subtract(acct.balance, delta)
            if entry is not None:
                acct.user.entries.remove(entry)

        return undo

    # ------------------------------------------------------ reservations
    def reserve(
        self, user: User, code: str, amount: Decimal, key: Key, *, check: bool = True
    ) -> Decimal:
        """Reserve part of a free balance for an order, withdrawal, bid or trade.

        The amount is rounded up to :data:`PLACES`. Returns it.

        Raises:
            ApiError: 422 ``not_enough_free_balance`` when ``check`` and the
                free balance is too small.
        """
        acct = self.account(user, code)
        if check and acct.free < amount:
            raise ApiError.field("user", "not_enough_free_balance")
        amount = _exact(amount, ROUND_UP)
        if amount > 0:
            self._set(acct, key, _WIDE.add(acct.reservations.get(key, D0), amount))
        return amount

    def release(self, user: User, code: str, key: Key, amount: Decimal | None = None) -> Decimal:
        """Release (part of) a reservation; returns the amount released."""
        acct = self.account(user, code)
        held = acct.reservations.get(key, D0)
        take = held if amount is None else min(_exact(amount, ROUND_UP), held)
        if take > 0:
            self._set(acct, key, _WIDE.subtract(held, take))
        return take

    def held(self, user: User, code: str, key: Key) -> Decimal:
        """What a reservation holds now (0 when none)."""
        acct = user.accounts.get(code)
        return acct.reservations.get(key, D0) if acct is not None else D0

    def _set(self, acct: Account, key: Key, value: Decimal) -> None:
        old = acct.reservations.get(key, D0)
        if value > 0:
            acct.reservations[key] = value
        else:
            acct.reservations.pop(key, None)
        acct.reserved = _WIDE.add(acct.reserved, _WIDE.subtract(value, old))
        self._record(lambda: self._restore(acct, key, old, value))

    @staticmethod
    def _restore(acct: Account, key: Key, old: Decimal, new: Decimal) -> None:
        if old > 0:
            acct.reservations[key] = old
        else:
            acct.reservations.pop(key, None)
        acct.reserved = _WIDE.subtract(acct.reserved, _WIDE.subtract(new, old))

    # ------------------------------------------------------ transactions
    def on_undo(self, undo: Callable[[], None]) -> None:
        """Have the current transaction call ``undo`` if it fails.

        For state kept outside the books (a withdrawal's state, a new record)
        that a request changes before it may still fail. Outside a
        transaction it does nothing.
        """
        if self._journal is not None:
            self._journal.append(undo)

    def _record(self, undo: Callable[[], None]) -> None:
        self.changes += 1
        if self._journal is not None:
            self._journal.append(undo)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """All-or-nothing: undo this block's moves and reservations if it raises.

        Nested blocks join the outermost one.
        """
        if self._journal is not None:
            yield
            return
        journal: list[Callable[[], None]] = []
        self._journal = journal
        try:
            yield
        except BaseException:
            for undo in reversed(journal):
                undo()
            raise
        finally:
            self._journal = None

    # ------------------------------------------------------------ checks
    def totals(self) -> dict[str, Decimal]:
        """Sum of every currency over all accounts (constant over time)."""
        out: dict[str, Decimal] = {}
        for user in self.users.values():
            for code, acct in user.accounts.items():
                out[code] = _WIDE.add(out.get(code, D0), acct.balance)
        return out

    def problems(self) -> list[str]:
        """Accounts whose ``reserved`` is not the sum of their reservations (or < 0)."""
        out = []
        for user in self.users.values():
            for code, acct in user.accounts.items():
                held = _sum(acct.reservations.values())
                if acct.reserved != held or acct.reserved < 0:
                    out.append(f"user {user.id} {code}: reserved {acct.reserved} != {held}")
        return out
