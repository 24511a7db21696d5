"""Lending, loans, withdrawals, deposits, bank accounts and fee estimates.

Withdrawals follow ``pending -> processing -> processed``: the amount is
reserved at creation, each state lasts ``Exchange.withdrawal_step_seconds``
(measured with the exchange clock, advanced lazily whenever withdrawals are
read), and at ``processed`` the amount leaves the user: the withdrawal fee goes
to the fee account and the rest to the ``external`` account. Only ``pending``
withdrawals can be cancelled. Loans are bookkeeping only: margin positions are
financed by the ``house`` account and no interest is charged.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any, Callable

from .ledger import Ledger
from .models import D0, ApiError, Product, Trade, User, fmt, num
from .numbers import parse_decimal, parse_id

__all__ = ["Funding", "Record"]

DAILY_RATE = Decimal("0.0007")
NETWORKS: dict[str, str] = {"BTC": "BTC", "ETH": "ERC20"}
CHAINS: dict[str, str] = {"BTC": "Bitcoin", "ETH": "Ethereum"}

#: The fields of each kind's answer after ``id``, in the documentation's
#: order; a leading ``#`` marks a decimal the API sent as a JSON number.
#: Kinds not listed (bank accounts, deposits) have no documented answer and
#: render every field.
ANSWER_FIELDS: dict[str, tuple[str, ...]] = {
    "loan_bid": (
        "bidask_type",
        "quantity",
        "currency",
        "side",
        "filled_quantity",
        "status",
        "rate",
        "user_id",
    ),
    "loan": (
        "quantity",
        "rate",
        "created_at",
        "lender_id",
        "borrower_id",
        "status",
        "currency",
        "fund_reloaned",
    ),
    "crypto_withdrawal": (
        "address",
        "#amount",
        "state",
        "currency",
        "#withdrawal_fee",
        "created_at",
        "updated_at",
        "payment_id",
    ),
    # The Japanese documentation's answer to POST /withdrawals; the bank
    # account is nested (see Record.bank_account_json).
    "withdrawal": ("currency", "amount", "state", "created_at", "bank_account"),
    "crypto_withdrawal_address": (
        "address",
        "currency",
        "network",
        "chain_name",
        "status",
        "label",
        "memo_type",
        "memo_value",
        "recipient_name",
        "crypto_exchange",
    ),
}


class Record:
    """A generic funding object (loan bid, loan, withdrawal, bank account...)."""

    def __init__(self, rid: int, user: User, kind: str, now: int, **fields: Any) -> None:
        self.id = rid
        self.user = user
        self.kind = kind
        self.created_at = now
        self.updated_at = now
        self.fields: dict[str, Any] = fields

    def __getitem__(self, key: str) -> Any:
        return self.fields[key]

    def to_json(self) -> dict[str, Any]:
        """Render the documented fields (:data:`ANSWER_FIELDS`), times as unix seconds."""
        names = ANSWER_FIELDS.get(self.kind)
        if names is None:
            names = (*(k for k in self.fields if not k.startswith("_")), "created_at", "updated_at")
        data: dict[str, Any] = {"id": self.id}
        for name in names:
            key = name.lstrip("#")
            value = getattr(self, key) if key in ("created_at", "updated_at") else self[key]
            if isinstance(value, Decimal):
                value = num(value) if name.startswith("#") else fmt(value)
            elif isinstance(value, Record):
                value = value.bank_account_json()
            data[key] = value
        return data

    def bank_account_json(self) -> dict[str, Any]:
        """A bank account as a fiat withdrawal nests it (the Japanese documentation).

        Its scalar fields only: the document-image objects (``bank_statement``,
        ``id_document``, ``proof_address``) and their file names are left out.
        """
        f = self.fields
        return {
            "id": self.id,
            "acc_name": f.get("acc_name"),
            "bank_branch": f.get("bank_branch"),
            "acc_number": f.get("acc_number"),
            "address": f.get("address"),
            "swift": f.get("swift"),
            "status": "approved",
            "bank": f.get("bank"),
            "country": "",
            "joint_acc_name": None,
            "joint_address": None,
            "joint_country": None,
            "joint_city": None,
        }


def _text(f: dict[str, Any], name: str) -> str | None:
    """An optional free-text field: a string (or number) kept as text, else 422."""
    value = f.get(name)
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise ApiError.field(name, "is_invalid")
    return str(value)[:256]


class Funding:
    """The funding and lending desk of an exchange.

    Args:
        ledger: The books.
        accounts: System accounts ``fees`` and ``external``.
        clock: Time source in seconds.
        next_id: The exchange's id sequences.
        step_seconds: Time a withdrawal spends in ``pending`` and then in
            ``processing`` before it is ``processed``.
    """

    def __init__(
        self,
        ledger: Ledger,
        accounts: dict[str, User],
        clock: Callable[[], float],
        next_id: Callable[[str, int], int],
        step_seconds: float,
    ) -> None:
        self.ledger = ledger
        self.currencies = ledger.currencies
        self.fees = accounts["fees"]
        self.external = accounts["external"]
        self.house = accounts["house"]
        self.clock = clock
        self.next_id = next_id
        self.step_seconds = step_seconds
        self.records: dict[str, dict[int, Record]] = {}

    def _new(self, kind: str, user: User, **fields: Any) -> Record:
        rec = Record(self.next_id(kind, 1), user, kind, int(self.clock()), **fields)
        records = self.records.setdefault(kind, {})
        records[rec.id] = rec
        self.ledger.on_undo(lambda: records.__delitem__(rec.id))
        return rec

    def find(self, kind: str, user: User, **filters: Any) -> list[Record]:
        """A user's records of one kind, oldest first, filtered by field."""
        if kind in ("crypto_withdrawal", "withdrawal"):
            self.advance()
        out = []
        for rec in self.records.get(kind, {}).values():
            if rec.user is not user:
                continue
            if all(v in (None, "") or str(rec.fields.get(k)) == str(v) for k, v in filters.items()):
                out.append(rec)
        return out

    def get(self, kind: str, user: User, rid: Any) -> Record:
        """One of a user's records by id (404 when missing)."""
        rec = self.records.get(kind, {}).get(parse_id(rid) or 0)
        if rec is None or rec.user is not user:
            raise ApiError.not_found(kind.replace("_", " ").capitalize())
        return rec

    # ---------------------------------------------------------- lending
    def create_loan_bid(self, user: User, f: dict[str, Any]) -> Record:
        """Offer funds for lending; the quantity is reserved while live."""
        rate = parse_decimal(f.get("rate"), "rate")
        qty = parse_decimal(f.get("quantity"), "quantity")
        code = _text(f, "currency") or ""
        if code not in self.currencies:
            raise ApiError.field("currency", "is_invalid")
        if rate > DAILY_RATE:
            raise ApiError.field("rate", "too_high")
        qty = self.ledger.entered(code, qty)
        if qty <= 0 or self.ledger.account(user, code).free < qty:
            raise ApiError.field("user", "not_enough_free_balance")
        rec = self._new(
            "loan_bid",
            user,
            bidask_type="limit",
            quantity=qty,
            currency=code,
            side="bid",
            filled_quantity=D0,
            status="live",
            rate=rate,
            user_id=user.id,
        )
        self.ledger.reserve(user, code, qty, ("LoanBid", rec.id))
        return rec

    def close_loan_bid(self, rec: Record) -> Record:
        """Close a live loan bid and release its funds."""
        if rec.fields["status"] != "live":
            raise ApiError.field("loan_bid", "not_live")
        self.ledger.release(rec.user, rec["currency"], ("LoanBid", rec.id))
        self._undo_fields(rec)
        rec.fields["status"] = "closed"
        rec.updated_at = int(self.clock())
        return rec

    def open_loan(self, trade: Trade) -> None:
        """Record the loan financing a new margin trade."""
        rec = self._new(
            "loan",
            trade.user,
            quantity=D0,
            rate=DAILY_RATE / 2,
            currency=trade.funding_currency,
            lender_id=self.house.id,
            borrower_id=trade.user.id,
            status="open",
            fund_reloaned=True,
            trade_id=trade.id,
        )
        trade.loan_ids.append(rec.id)

    def close_loans(self, trade: Trade) -> None:
        """Mark a closed trade's loans as repaid."""
        for lid in trade.loan_ids:
            rec = self.records["loan"][lid]
            self._undo_fields(rec)
            rec.fields["status"] = "closed"
            rec.updated_at = int(self.clock())

    def set_reloaned(self, rec: Record, value: bool) -> Record:
        """Set a loan's ``fund_reloaned`` flag."""
        self._undo_fields(rec)
        rec.fields["fund_reloaned"] = value
        rec.updated_at = int(self.clock())
        return rec

    def trade_loans(self, trade: Trade) -> list[dict[str, Any]]:
        """The loans of a trade, with the borrowed amount filled in."""
        out = []
        for lid in trade.loan_ids:
            rec = self.records["loan"][lid]
            lev = Decimal(trade.leverage)
            borrowed = trade.open_price * trade.quantity * (lev - 1) / lev
            rec.fields["quantity"] = borrowed
            out.append(rec.to_json())
        return out

    def ir_ladder(self, code: str) -> dict[str, Any]:
        """Interest rate ladder: live loan bids plus a fixed synthetic book."""
        if code not in self.currencies:
            raise ApiError.not_found("Currency")
        levels: dict[Decimal, Decimal] = {}
        for rec in self.records.get("loan_bid", {}).values():
            if rec["currency"] == code and rec["status"] == "live":
                levels[rec["rate"]] = levels.get(rec["rate"], D0) + rec["quantity"]
        bids = [[fmt(r), fmt(q)] for r, q in sorted(levels.items(), reverse=True)]
        base = Decimal("0.0002")
        asks = [[fmt(base + Decimal(i) / 10000), "1000.0"] for i in range(5)]
        return {"bids": bids, "asks": asks}

    # ------------------------------------------------------- withdrawals
    def _withdrawal_amount(self, user: User, code: str, f: dict[str, Any]) -> Decimal:
        currency = self.currencies[code]
        amount = self.ledger.entered(code, parse_decimal(f.get("amount"), "amount"))
        if amount < max(currency.min_withdrawal, currency.withdrawal_fee) or amount <= 0:
            raise ApiError.field("amount", "less_than_minimum_withdrawal")
        if self.ledger.account(user, code).free < amount:
            raise ApiError.field("user", "not_enough_free_balance")
        return amount

    def _crypto_fields(self, code: str, f: dict[str, Any]) -> dict[str, Any]:
        address = _text(f, "address")
        if not address:
            raise ApiError.field("address", "is_missing")
        return {
            "address": address,
            "state": "pending",
            "currency": code,
            "withdrawal_fee": self.currencies[code].withdrawal_fee,
            "payment_id": _text(f, "payment_id"),
            "memo_type": _text(f, "memo_type"),
            "memo_value": _text(f, "memo_value"),
            "transaction_hash": None,
            "network": _text(f, "network") or NETWORKS.get(code),
            "chain_name": code,
        }

    def _fiat_fields(self, user: User, code: str, f: dict[str, Any]) -> dict[str, Any]:
        bank = f.get("bank_account_id")
        try:
            bank_account = self.get("bank_account", user, bank)
        except ApiError:
            raise ApiError.field("bank_account_id", "not_found") from None
        return {
            "state": "pending",
            "currency": code,
            "withdrawal_fee": self.currencies[code].withdrawal_fee,
            "bank_account_id": bank_account.id,
            "bank_account": bank_account,
        }

    def create_withdrawal(self, user: User, f: dict[str, Any], crypto: bool) -> Record:
        """Create a pending crypto or fiat withdrawal, reserving the amount.

        Raises:
            ApiError: 422 on an invalid currency, amount, address or bank
                account, or ``not_enough_free_balance``.
        """
        code = _text(f, "currency") or ""
        currency = self.currencies.get(code)
        if currency is None or (currency.kind == "crypto") != crypto:
            raise ApiError.field("currency", "is_invalid")
        fields = self._crypto_fields(code, f) if crypto else self._fiat_fields(user, code, f)
        amount = self._withdrawal_amount(user, code, f)
        rec = self._new(
            "crypto_withdrawal" if crypto else "withdrawal", user, amount=amount, **fields
        )
        rec.fields["_t"] = self.clock()
        self.ledger.reserve(user, code, amount, ("Withdrawal", rec.id))
        if crypto:
            self._remember_address(user, code, rec["address"], rec.fields["network"])
        return rec

    def _remember_address(self, user: User, code: str, address: str, network: Any) -> None:
        for rec in self.records.get("crypto_withdrawal_address", {}).values():
            if rec.user is user and rec["address"] == address and rec["currency"] == code:
                return
        self._new(
            "crypto_withdrawal_address",
            user,
            address=address,
            currency=code,
            network=network,
            chain_name=CHAINS.get(code, code),
            status="confirmed",
            label="sandbox",
            memo_type=None,
            memo_value=None,
            recipient_name=None,
            crypto_exchange=None,
        )

    def set_state(self, rec: Record, state: str) -> None:
        """Move a withdrawal to ``processing``, ``processed`` or ``cancelled``."""
        key = ("Withdrawal", rec.id)
        code = rec["currency"]
        self._undo_fields(rec)
        if state in ("processed", "cancelled"):
            self.ledger.release(rec.user, code, key)
        if state == "processed":
            fee = rec["withdrawal_fee"]
            move = self.ledger.move
            move(rec.user, self.fees, code, fee, "withdrawal_fee", "Withdrawal", rec.id)
            net = rec["amount"] - fee
            move(rec.user, self.external, code, net, "withdrawal", "Withdrawal", rec.id)
        rec.fields["state"] = state
        if "status" in rec.fields:
            rec.fields["status"] = state
        rec.updated_at = int(self.clock())

    def _undo_fields(self, rec: Record) -> None:
        """Restore ``rec``'s fields if the request changing them fails."""
        fields, updated_at = dict(rec.fields), rec.updated_at

        def undo() -> None:
            rec.fields.clear()
            rec.fields.update(fields)
            rec.updated_at = updated_at

        self.ledger.on_undo(undo)

    def advance(self) -> None:
        """Move withdrawals along their state machine according to the clock."""
        step = self.step_seconds
        now = self.clock()
        for kind in ("crypto_withdrawal", "withdrawal"):
            for rec in self.records.get(kind, {}).values():
                age = now - rec.fields["_t"]
                state = rec["state"]
                if state == "pending" and age >= step:
                    self.set_state(rec, "processing")
                    state = "processing"
                if state == "processing" and age >= 2 * step:
                    self.set_state(rec, "processed")

    def cancel_withdrawal(self, rec: Record) -> Record:
        """Cancel a withdrawal that is still pending."""
        self.advance()
        if rec["state"] != "pending":
            raise ApiError.field("withdrawal", "can_not_be_cancelled")
        self.set_state(rec, "cancelled")
        return rec

    # --------------------------------------------------- deposits, banks
    def create_bank_account(self, user: User, f: dict[str, Any]) -> Record:
        """Register a bank account for fiat withdrawals."""
        names = ("acc_name", "bank", "acc_number", "address", "bank_branch", "swift", "currency")
        fields = {k: _text(f, k) for k in names}
        if not fields["acc_number"] and not fields["acc_name"]:
            raise ApiError.field("acc_number", "is_missing")
        return self._new("bank_account", user, **fields)

    def create_fund_info(self, user: User, f: dict[str, Any]) -> Record:
        """A fiat deposit; the sandbox credits it at once from ``external``."""
        code = _text(f, "currency") or ""
        currency = self.currencies.get(code)
        if currency is None or currency.kind != "fiat":
            raise ApiError.field("currency", "is_invalid")
        amount = self.ledger.entered(code, parse_decimal(f.get("amount"), "amount"))
        if amount <= 0:
            raise ApiError.field("amount", "must_be_positive")
        rec = self._new(
            "fund_info",
            user,
            currency=code,
            amount=amount,
            state="processed",
            fund_type="bank_deposit",
            bank_account_id=parse_id(f.get("bank_account_id")),
        )
        self.ledger.move(self.external, user, code, amount, "funding", "FundInfo", rec.id)
        return rec

    # --------------------------------------------------------------- fees
    def fee_rules(self, products: Iterable[Product], fee_type: str | None) -> list[dict[str, Any]]:
        """Fee rules as ``/fees`` and ``/user/fees`` list them."""
        rules: list[dict[str, Any]] = []
        for product in products:
            for role, rate in (("taker", product.taker_fee), ("maker", product.maker_fee)):
                rules.append(
                    {
                        "id": len(rules) + 1,
                        "fee_type": "trade_fee",
                        "priority": 0,
                        "conditions": {
                            "currency_pair_code": product.code,
                            "maker_taker": role,
                        },
                        "description": "",
                        "charge_type": "percentage",
                        "charge_value": fmt(rate * 100),
                        "charge_base_currency": None,
                    }
                )
        for cur in self.currencies.values():
            rules.append(
                {
                    "id": len(rules) + 1,
                    "fee_type": "withdrawal_fee",
                    "priority": 0,
                    "conditions": {"currency": cur.code},
                    "description": "",
                    "charge_type": "fixed",
                    "charge_value": fmt(cur.withdrawal_fee),
                    "charge_base_currency": cur.code,
                }
            )
        if fee_type:
            rules = [r for r in rules if r["fee_type"] == fee_type]
        return rules

    def estimate(self, products: dict[int, Product], f: dict[str, Any]) -> dict[str, Any]:
        """``POST /fees/estimate`` for ``create_order`` or ``withdraw``."""
        action = f.get("for_action")
        params = f.get("for_params") or {}
        if not isinstance(params, dict):
            raise ApiError.field("for_params", "is_invalid")
        if action == "create_order":
            product = products.get(parse_id(params.get("product_id")) or 0)
            if product is None:
                raise ApiError.not_found("Product")
            qty = parse_decimal(params.get("quantity"), "quantity")
            price = product.last_price
            if params.get("price") not in (None, ""):
                price = parse_decimal(params.get("price"), "price")
            amount = fmt(self.ledger.exact(qty * price * product.taker_fee))
            option = {"fee_type": "trade_fee", "amount": amount, "currency": product.quote}
        elif action == "withdraw":
            cur = self.currencies.get(_text(params, "currency") or "")
            if cur is None:
                raise ApiError.field("currency", "is_invalid")
            option = {
                "fee_type": "withdrawal_fee",
                "amount": fmt(cur.withdrawal_fee),
                "currency": cur.code,
            }
        else:
            raise ApiError.field("for_action", "is_invalid")
        return {"fee_options": {"default": [option], "trade_fee_discount": []}}
