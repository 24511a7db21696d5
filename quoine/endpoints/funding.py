"""Funding: crypto withdrawals, fiat withdrawals, bank accounts and fiat deposits."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .._base import JSON, EndpointMixin
from .._utils import (
    Amount,
    IdLike,
    TimeLike,
    currency_code,
    decimal_string,
    drop_none,
    non_empty_string,
    optional_choice,
    optional_currency,
    optional_text,
    optional_time,
    page_limit,
    page_number,
    positive_int,
    wire_value,
)
from ..constants import WithdrawalState
from ..types import (
    CryptoWithdrawal,
    CryptoWithdrawalPage,
    Page,
    WithdrawalAddress,
    WithdrawalAddressPage,
)

_STATES = (*tuple(s.value for s in WithdrawalState), "to_be_reviewed", "approved", "broadcasted")
_MEMO_TYPES = ("text", "id", "hash")


class FundingMixin(EndpointMixin):
    """Move money in and out: withdrawals, withdrawal addresses, bank accounts, deposits."""

    def get_crypto_withdrawals(
        self,
        *,
        currency: str | None = None,
        address: str | None = None,
        timestamp: TimeLike | None = None,
        state: str | None = None,
        limit: int | None = None,
        page: int | None = None,
    ) -> CryptoWithdrawalPage:
        """Get a page of the user's crypto withdrawals.

        API: ``GET /crypto_withdrawals``, signed, paginated.

        Args:
            currency: Only this currency.
            address: Only withdrawals to this address.
            timestamp: Only withdrawals created at or after this time.
            state: ``pending``, ``processing``, ``processed``, ``cancelled``...
            limit: Withdrawals per page, 1 to 1000.
            page: Page number from 1.

        Returns:
            ``{"models": [withdrawal, ...], "current_page": n, "total_pages": n}``.

        Example:
            .. code-block:: python

                pending = client.get_crypto_withdrawals(currency="BTC", state="pending")["models"]
        """
        params = {
            "currency": optional_currency(currency),
            "address": optional_text(address, "address"),
            "timestamp": optional_time(timestamp, "timestamp"),
            "state": optional_choice(state, "state", _STATES),
            "limit": page_limit(limit),
            "page": page_number(page),
        }
        result: CryptoWithdrawalPage = self._get("crypto_withdrawals", params, signed=True)
        return result

    def iter_crypto_withdrawals(
        self,
        *,
        currency: str | None = None,
        address: str | None = None,
        timestamp: TimeLike | None = None,
        state: str | None = None,
        limit: int | None = None,
    ) -> Iterator[CryptoWithdrawal]:
        """Iterate over all of the user's crypto withdrawals matching the filters.

        Args:
            currency: Only this currency.
            address: Only withdrawals to this address.
            timestamp: Only withdrawals created at or after this time.
            state: Only this state.
            limit: Page size; default 1000.

        Yields:
            Crypto withdrawals.

        Example:
            .. code-block:: python

                for withdrawal in client.iter_crypto_withdrawals(currency="ETH"):
                    print(withdrawal["state"])
        """
        return self._iterate(
            self.get_crypto_withdrawals,
            limit,
            currency=currency,
            address=address,
            timestamp=timestamp,
            state=state,
        )

    def create_crypto_withdrawal(
        self,
        currency: str,
        address: str,
        amount: Amount,
        *,
        network: str | None = None,
        payment_id: str | None = None,
        memo_type: str | None = None,
        memo_value: str | None = None,
        auth_code: str | None = None,
    ) -> CryptoWithdrawal:
        """Withdraw crypto to a whitelisted address.

        API: ``POST /crypto_withdrawals`` with
        ``{"auth_code": ..., "crypto_withdrawal": {...}}``, signed.

        Args:
            currency: e.g. ``"BTC"``.
            address: Destination address (must be on the account's address list).
            amount: Amount to withdraw (the fee is taken from it).
            network: Chain, e.g. ``"ERC20"`` or ``"TRC20"``, for multi-chain tokens.
            payment_id: Destination tag (XRP).
            memo_type: ``text``, ``id`` or ``hash`` (XLM).
            memo_value: Memo (XLM).
            auth_code: Two-factor code, when the token requires one.

        Returns:
            The withdrawal, in state ``pending``.

        Example:
            .. code-block:: python

                withdrawal = client.create_crypto_withdrawal("BTC", "bc1q...", "0.01")
        """
        withdrawal = {
            "currency": currency_code(currency),
            "address": non_empty_string(address, "address"),
            "amount": decimal_string(amount, "amount"),
            "network": optional_text(network, "network"),
            "payment_id": optional_text(payment_id, "payment_id"),
            "memo_type": optional_choice(memo_type, "memo_type", _MEMO_TYPES),
            "memo_value": optional_text(memo_value, "memo_value"),
        }
        body = drop_none(
            {
                "auth_code": optional_text(auth_code, "auth_code"),
                "crypto_withdrawal": drop_none(withdrawal),
            }
        )
        result: CryptoWithdrawal = self._post("crypto_withdrawals", body)
        return result

    def cancel_crypto_withdrawal(self, withdrawal_id: IdLike) -> CryptoWithdrawal:
        """Cancel a pending crypto withdrawal.

        API: ``PUT /crypto_withdrawal/{id}/cancel`` (singular, as the API spells it),
        signed.

        Args:
            withdrawal_id: The withdrawal id.

        Returns:
            The withdrawal, in state ``cancelled``.

        Example:
            .. code-block:: python

                client.cancel_crypto_withdrawal(crypto_withdrawal_id)
        """
        path = f"crypto_withdrawal/{positive_int(withdrawal_id, 'withdrawal_id')}/cancel"
        result: CryptoWithdrawal = self._put(path)
        return result

    def get_crypto_withdrawal_addresses(
        self, currency: str, *, limit: int | None = None, page: int | None = None
    ) -> WithdrawalAddressPage:
        """Get a page of the whitelisted withdrawal addresses of a currency.

        API: ``GET /crypto_withdrawal_addresses``, signed, paginated.

        Args:
            currency: e.g. ``"BTC"``.
            limit: Addresses per page, 1 to 1000.
            page: Page number from 1.

        Returns:
            ``{"models": [address, ...], "current_page": n, "total_pages": n}``.

        Example:
            .. code-block:: python

                addresses = client.get_crypto_withdrawal_addresses("BTC")["models"]
        """
        params = {
            "currency": currency_code(currency),
            "limit": page_limit(limit),
            "page": page_number(page),
        }
        result: WithdrawalAddressPage = self._get(
            "crypto_withdrawal_addresses", params, signed=True
        )
        return result

    def iter_crypto_withdrawal_addresses(
        self, currency: str, *, limit: int | None = None
    ) -> Iterator[WithdrawalAddress]:
        """Iterate over all whitelisted withdrawal addresses of a currency.

        Args:
            currency: e.g. ``"BTC"``.
            limit: Page size; default 1000.

        Yields:
            Addresses.

        Example:
            .. code-block:: python

                known = {a["address"] for a in client.iter_crypto_withdrawal_addresses("BTC")}
        """
        return self._iterate(self.get_crypto_withdrawal_addresses, limit, currency=currency)

    def get_crypto_networks(self, currency: str) -> list[JSON]:
        """List the networks (chains) a currency can be withdrawn on.

        API: ``GET /crypto_withdrawals/crypto_networks``, signed.

        Args:
            currency: e.g. ``"USDT"``.

        Returns:
            A list of ``{"network", "currency", ...}``.

        Example:
            .. code-block:: python

                networks = [n["network"] for n in client.get_crypto_networks("USDT")]
        """
        params = {"currency": currency_code(currency)}
        result: list[JSON] = self._get("crypto_withdrawals/crypto_networks", params, signed=True)
        return result

    def get_withdrawals(
        self,
        *,
        currency: str | None = None,
        state: str | None = None,
        limit: int | None = None,
        page: int | None = None,
    ) -> Page:
        """Get a page of the user's fiat withdrawals.

        API: ``GET /withdrawals``, signed, paginated.

        Args:
            currency: Only this currency.
            state: ``pending``, ``processed``, ``cancelled``, ``reverted``, ``declined``...
            limit: Withdrawals per page, 1 to 1000.
            page: Page number from 1.

        Returns:
            ``{"models": [withdrawal, ...], "current_page": n, "total_pages": n}``.

        Example:
            .. code-block:: python

                withdrawals = client.get_withdrawals(currency="JPY")["models"]
        """
        params = {
            "currency": optional_currency(currency),
            "state": optional_choice(state, "state", _STATES),
            "limit": page_limit(limit),
            "page": page_number(page),
        }
        result: Page = self._get("withdrawals", params, signed=True)
        return result

    def iter_withdrawals(
        self, *, currency: str | None = None, state: str | None = None, limit: int | None = None
    ) -> Iterator[JSON]:
        """Iterate over all of the user's fiat withdrawals matching the filters.

        Args:
            currency: Only this currency.
            state: Only this state.
            limit: Page size; default 1000.

        Yields:
            Fiat withdrawals.

        Example:
            .. code-block:: python

                total = sum(Decimal(w["amount"]) for w in client.iter_withdrawals(currency="USD"))
        """
        return self._iterate(self.get_withdrawals, limit, currency=currency, state=state)

    def create_withdrawal(
        self,
        currency: str,
        amount: Amount,
        bank_account_id: IdLike,
        *,
        auth_code: str | None = None,
    ) -> JSON:
        """Withdraw fiat to a registered bank account.

        API: ``POST /withdrawals`` with
        ``{"auth_code": ..., "withdrawal": {"currency", "amount", "bank_account_id"}}``,
        signed (the shape of Quoine's official example).

        Args:
            currency: e.g. ``"JPY"``.
            amount: Amount to withdraw.
            bank_account_id: Id from :meth:`get_bank_accounts`.
            auth_code: Two-factor code; required when the token has no IP whitelist.

        Returns:
            The withdrawal.

        Example:
            .. code-block:: python

                withdrawal = client.create_withdrawal("JPY", "10000", bank_account_id)
        """
        withdrawal = {
            "currency": currency_code(currency),
            "amount": decimal_string(amount, "amount"),
            "bank_account_id": positive_int(bank_account_id, "bank_account_id"),
        }
        body = drop_none(
            {
                "auth_code": optional_text(auth_code, "auth_code"),
                "withdrawal": withdrawal,
            }
        )
        result: JSON = self._post("withdrawals", body)
        return result

    def cancel_withdrawal(self, withdrawal_id: IdLike) -> JSON:
        """Cancel a pending fiat withdrawal.

        API: ``PUT /withdrawals/{id}/cancel``, signed.

        Args:
            withdrawal_id: The withdrawal id.

        Returns:
            The withdrawal, in state ``cancelled``.

        Example:
            .. code-block:: python

                client.cancel_withdrawal(withdrawal_id)
        """
        path = f"withdrawals/{positive_int(withdrawal_id, 'withdrawal_id')}/cancel"
        result: JSON = self._put(path)
        return result

    def get_bank_accounts(self) -> Page:
        """List the user's registered bank accounts.

        API: ``GET /bank_accounts``, signed.

        Returns:
            The bank accounts as the API returns them.

        Example:
            .. code-block:: python

                accounts = client.get_bank_accounts()
        """
        result: Page = self._get("bank_accounts", signed=True)
        return result

    def create_bank_account(
        self,
        acc_name: str,
        bank: str,
        acc_number: str,
        *,
        currency: str | None = None,
        address: str | None = None,
        bank_branch: str | None = None,
        swift: str | None = None,
        bank_statement: str | None = None,
    ) -> JSON:
        """Register a bank account for fiat withdrawals.

        API: ``POST /bank_accounts`` with a flat body ``{"acc_name", "bank", ...}``,
        signed, as Quoine's official vendor example sends it.

        Args:
            acc_name: Account holder name.
            bank: Bank name.
            acc_number: Account number.
            currency: Account currency.
            address: Holder address.
            bank_branch: Branch name.
            swift: SWIFT / BIC code.
            bank_statement: A bank statement document, as the API expects it.

        Returns:
            The bank account.

        Example:
            .. code-block:: python

                account = client.create_bank_account("Taro Yamada", "MUFG", "1234567")
        """
        bank_account = {
            "acc_name": non_empty_string(acc_name, "acc_name"),
            "bank": non_empty_string(bank, "bank"),
            "acc_number": non_empty_string(acc_number, "acc_number"),
            "currency": optional_currency(currency),
            "address": optional_text(address, "address"),
            "bank_branch": optional_text(bank_branch, "bank_branch"),
            "swift": optional_text(swift, "swift"),
            "bank_statement": optional_text(bank_statement, "bank_statement"),
        }
        result: JSON = self._post("bank_accounts", drop_none(bank_account))
        return result

    def get_fund_infos(self, *, currency: str | None = None) -> Page:
        """List the user's fiat deposit (funding) requests.

        API: ``GET /fund_infos``, signed.

        Args:
            currency: Only this currency.

        Returns:
            The deposits as the API returns them.

        Example:
            .. code-block:: python

                deposits = client.get_fund_infos(currency="JPY")
        """
        params = {"currency": optional_currency(currency)}
        result: Page = self._get("fund_infos", params, signed=True)
        return result

    def create_fund_info(self, currency: str, amount: Amount, **fields: Any) -> JSON:
        """Announce a fiat deposit.

        API: ``POST /fund_infos`` with ``{"fund_info": {"currency", "amount", ...}}``,
        signed. No source we have records this body; it follows the API's
        convention for created objects, and extra keyword arguments are added to
        ``fund_info`` as given.

        Args:
            currency: e.g. ``"JPY"``.
            amount: Amount you will deposit.
            **fields: Further fields for ``fund_info`` (e.g. ``bank_account_id``).

        Returns:
            The deposit request.

        Example:
            .. code-block:: python

                deposit = client.create_fund_info("JPY", "50000")
        """
        fund_info = {
            "currency": currency_code(currency),
            "amount": decimal_string(amount, "amount"),
        }
        fund_info.update({key: wire_value(key, value) for key, value in fields.items()})
        result: JSON = self._post("fund_infos", {"fund_info": drop_none(fund_info)})
        return result
