"""Margin trading accounts and leverage."""

from __future__ import annotations

from .._base import EndpointMixin
from .._utils import IdLike, positive_int
from ..types import TradingAccount


def _account_path(account_id: IdLike) -> str:
    return f"trading_accounts/{positive_int(account_id, 'account_id')}"


class TradingAccountsMixin(EndpointMixin):
    """Margin trading accounts: list, get, and set the leverage level."""

    def get_trading_accounts(self) -> list[TradingAccount]:
        """List the user's trading accounts (one per product and funding currency).

        API: ``GET /trading_accounts``, signed.

        Returns:
            A list of trading accounts.

        Example:
            .. code-block:: python

                accounts = client.get_trading_accounts()
        """
        result: list[TradingAccount] = self._get("trading_accounts", signed=True)
        return result

    def get_trading_account(self, account_id: IdLike) -> TradingAccount:
        """Get one trading account.

        API: ``GET /trading_accounts/{id}``, signed.

        Args:
            account_id: The trading account id.

        Returns:
            The trading account (``equity``, ``margin``, ``free_margin``, ``leverage_level``...).

        Example:
            .. code-block:: python

                account = client.get_trading_account(trading_account_id)
        """
        result: TradingAccount = self._get(_account_path(account_id), signed=True)
        return result

    def update_leverage_level(self, account_id: IdLike, leverage_level: int) -> TradingAccount:
        """Change the leverage level of a trading account.

        API: ``PUT /trading_accounts/{id}`` with
        ``{"trading_account": {"leverage_level": n}}``, signed.

        Args:
            account_id: The trading account id.
            leverage_level: e.g. ``Quoinex.LEVERAGE_LEVEL_10``.

        Returns:
            The updated trading account.

        Example:
            .. code-block:: python

                client.update_leverage_level(trading_account_id, client.LEVERAGE_LEVEL_10)
        """
        path = _account_path(account_id)
        body = {
            "trading_account": {"leverage_level": positive_int(leverage_level, "leverage_level")}
        }
        result: TradingAccount = self._put(path, body)
        return result

    def get_leverage_limitation(self) -> list[int]:
        """List the leverage levels the user may use.

        API: ``GET /users/leverage_limitation``, signed.

        Returns:
            e.g. ``[100, 50, 25, 10, 5, 4, 2]``.

        Example:
            .. code-block:: python

                highest = max(client.get_leverage_limitation())
        """
        result: list[int] = self._get("users/leverage_limitation", signed=True)
        return result
