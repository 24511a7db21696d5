"""Accounts and balances: fiat and crypto accounts, reserved funds, transactions, history."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from .._base import JSON, EndpointMixin
from .._utils import (
    IdLike,
    TimeLike,
    currency_code,
    non_empty_string,
    optional_currency,
    optional_id,
    optional_time,
    page_limit,
    page_number,
)
from ..exceptions import QuoineValidationError
from ..types import (
    Account,
    AccountBalance,
    Accounts,
    BalanceChangePage,
    MainAsset,
    Page,
    Reservation,
)


def _transaction_types(value: str | Sequence[str] | None) -> str | None:
    if value is None:
        return None
    items = [value] if isinstance(value, str) else list(value)
    if not items:
        raise QuoineValidationError("transaction_type must not be empty")
    return ",".join(non_empty_string(item, "transaction_type") for item in items)


class AccountsMixin(EndpointMixin):
    """Fiat and crypto accounts, balances, transactions and balance history."""

    def get_fiat_accounts(self) -> list[Account]:
        """List the user's fiat accounts.

        API: ``GET /fiat_accounts``, signed.

        Returns:
            A list of ``{"id", "currency", "balance", "reserved_balance", ...}``.

        Example:
            .. code-block:: python

                usd = next(a for a in client.get_fiat_accounts() if a["currency"] == "USD")
        """
        result: list[Account] = self._get("fiat_accounts", signed=True)
        return result

    def create_fiat_account(self, currency: str) -> Account:
        """Open a fiat account in a currency.

        API: ``POST /fiat_accounts`` with flat body ``{"currency": ...}``, signed.

        Args:
            currency: The fiat currency, e.g. ``"USD"``.

        Returns:
            The new account.

        Example:
            .. code-block:: python

                account = client.create_fiat_account("SGD")
        """
        result: Account = self._post("fiat_accounts", {"currency": currency_code(currency)})
        return result

    def get_crypto_accounts(self) -> list[Account]:
        """List the user's crypto accounts.

        API: ``GET /crypto_accounts``, signed.

        Returns:
            A list of ``{"id", "currency", "balance", "reserved_balance", "address", ...}``.

        Example:
            .. code-block:: python

                btc = next(a for a in client.get_crypto_accounts() if a["currency"] == "BTC")
        """
        result: list[Account] = self._get("crypto_accounts", signed=True)
        return result

    def get_account_balances(self) -> list[AccountBalance]:
        """List the balance of every currency (total, no reserved split).

        API: ``GET /accounts/balance``, signed.

        Returns:
            A list of ``{"currency": ..., "balance": ...}``.

        Example:
            .. code-block:: python

                balances = {b["currency"]: b["balance"] for b in client.get_account_balances()}
        """
        result: list[AccountBalance] = self._get("accounts/balance", signed=True)
        return result

    def get_main_asset(self) -> MainAsset:
        """Get the value of all assets in the main currency.

        API: ``GET /accounts/main_asset``, signed.

        Returns:
            ``{"currency": ..., "total_amount": ...}``.

        Example:
            .. code-block:: python

                print(client.get_main_asset()["total_amount"])
        """
        result: MainAsset = self._get("accounts/main_asset", signed=True)
        return result

    def get_accounts(self) -> Accounts:
        """Get every fiat and crypto account, with reserved balances.

        API: ``GET /accounts``, signed (used by ccxt; not in the official docs).

        Returns:
            ``{"fiat_accounts": [...], "crypto_accounts": [...]}``.

        Example:
            .. code-block:: python

                accounts = client.get_accounts()
                free = {a["currency"]: Decimal(a["balance"]) - Decimal(a["reserved_balance"])
                        for a in accounts["fiat_accounts"] + accounts["crypto_accounts"]}
        """
        result: Accounts = self._get("accounts", signed=True)
        return result

    def get_account(self, currency: str) -> Account:
        """Get the account of one currency.

        API: ``GET /accounts/{currency}``, signed.

        Args:
            currency: e.g. ``"BTC"``.

        Returns:
            The account.

        Example:
            .. code-block:: python

                btc = client.get_account("BTC")
        """
        result: Account = self._get(f"accounts/{currency_code(currency)}", signed=True)
        return result

    def get_reserved_balance_details(self, currency: str) -> list[Reservation]:
        """List what holds the reserved balance of a currency (orders, withdrawals...).

        API: ``GET /accounts/{currency}/reserved_balance_details``, signed.

        Args:
            currency: e.g. ``"USD"``.

        Returns:
            The reservations as the API lists them.

        Example:
            .. code-block:: python

                held = client.get_reserved_balance_details("USD")
        """
        path = f"accounts/{currency_code(currency)}/reserved_balance_details"
        result: list[Reservation] = self._get(path, signed=True)
        return result

    def get_transactions(
        self,
        *,
        currency: str | None = None,
        transaction_type: str | Sequence[str] | None = None,
        limit: int | None = None,
        page: int | None = None,
    ) -> Page:
        """Get a page of the user's transactions (fills, fees, funding, interest...).

        API: ``GET /transactions``, signed, paginated.

        Args:
            currency: Only this currency.
            transaction_type: One type or several (sent comma-separated), e.g.
                ``["loan", "repay"]``.
            limit: Transactions per page, 1 to 1000.
            page: Page number from 1.

        Returns:
            ``{"models": [transaction, ...], "current_page": n, "total_pages": n}``.

        Example:
            .. code-block:: python

                page = client.get_transactions(currency="USD", limit=100)
        """
        params = {
            "currency": optional_currency(currency),
            "transaction_type": _transaction_types(transaction_type),
            "limit": page_limit(limit),
            "page": page_number(page),
        }
        result: Page = self._get("transactions", params, signed=True)
        return result

    def iter_transactions(
        self,
        *,
        currency: str | None = None,
        transaction_type: str | Sequence[str] | None = None,
        limit: int | None = None,
    ) -> Iterator[JSON]:
        """Iterate over all of the user's transactions matching the filters.

        Args:
            currency: Only this currency.
            transaction_type: One type or several.
            limit: Page size; default 1000.

        Yields:
            Transactions.

        Example:
            .. code-block:: python

                for tx in client.iter_transactions(currency="BTC"):
                    print(tx["transaction_type"], tx["gross_amount"])
        """
        return self._iterate(
            self.get_transactions,
            limit,
            currency=currency,
            transaction_type=transaction_type,
        )

    def get_balance_history(
        self,
        *,
        currency: str | None = None,
        source_action: str | None = None,
        source_object_type: str | None = None,
        source_object_id: IdLike | None = None,
        source_group: str | None = None,
        timestamp_gte: TimeLike | None = None,
        timestamp_lte: TimeLike | None = None,
        limit: int | None = None,
    ) -> BalanceChangePage:
        """Get balance changes, newest first.

        API: ``GET /balance_history``, signed. The API's page size here is 10 to
        1000 (default 1000).

        Args:
            currency: Only this currency.
            source_action: e.g. ``"trade"``.
            source_object_type: e.g. ``"Order"`` (with ``source_object_id``).
            source_object_id: Id of the object that moved the balance.
            source_group: ``trading``, ``lending``, ``funding``, ``withdrawal``...
            timestamp_gte: Only changes at or after this time.
            timestamp_lte: Only changes at or before this time.
            limit: At most this many, 10 to 1000.

        Returns:
            ``{"models": [{"id", "currency", "amount", "balance", "timestamp", ...}]}``.

        Example:
            .. code-block:: python

                history = client.get_balance_history(currency="USD", timestamp_gte="2021-09-01")
        """
        size = page_limit(limit)
        if size is not None and size < 10:
            raise QuoineValidationError(f"limit must be between 10 and 1000, got {limit!r}")
        params = {
            "currency": optional_currency(currency),
            "source_action": source_action,
            "source_object_type": source_object_type,
            "source_object_id": optional_id(source_object_id, "source_object_id"),
            "source_group": source_group,
            "timestamp_gte": optional_time(timestamp_gte, "timestamp_gte"),
            "timestamp_lte": optional_time(timestamp_lte, "timestamp_lte"),
            "limit": size,
        }
        result: BalanceChangePage = self._get("balance_history", params, signed=True)
        return result
