"""Fees: the public fee schedule, the user's tier and fees, and fee estimates."""

from __future__ import annotations

from typing import Any

from .._base import EndpointMixin
from .._utils import choice, optional_text, wire_value
from ..types import FeeEstimate, FeeRule, FeeTier

_FOR_ACTIONS = ("create_order", "withdraw")


class FeesMixin(EndpointMixin):
    """Trading and withdrawal fees."""

    def get_fees(self, *, fee_type: str | None = None) -> list[FeeRule]:
        """Get the public fee schedule.

        API: ``GET /fees``, public.

        Args:
            fee_type: e.g. ``"trade_fee"`` or ``"withdrawal_fee"``.

        Returns:
            A list of fee rules (``fee_type``, ``conditions``, ``charge_type``,
            ``charge_value``...).

        Example:
            .. code-block:: python

                rules = client.get_fees(fee_type="trade_fee")
        """
        params = {"fee_type": optional_text(fee_type, "fee_type")}
        result: list[FeeRule] = self._get("fees", params)
        return result

    def get_fee_tier(self) -> FeeTier:
        """Get the user's fee tier and the volumes it is based on.

        API: ``GET /user/fee_tier``, signed.

        Returns:
            ``{"fee_tier", "from_time", "to_time", "currency_pair_volume", ...}``.

        Example:
            .. code-block:: python

                tier = client.get_fee_tier()["fee_tier"]
        """
        result: FeeTier = self._get("user/fee_tier", signed=True)
        return result

    def get_user_fees(self, *, fee_type: str | None = None) -> list[FeeRule]:
        """Get the fees that apply to the user.

        API: ``GET /user/fees``, signed.

        Args:
            fee_type: ``trade_fee``, ``trade_fee_commission``, ``withdrawal_fee`` or
                ``bank_fee``.

        Returns:
            The fee rules as the API returns them.

        Example:
            .. code-block:: python

                fees = client.get_user_fees(fee_type="trade_fee")
        """
        params = {"fee_type": optional_text(fee_type, "fee_type")}
        result: list[FeeRule] = self._get("user/fees", params, signed=True)
        return result

    def estimate_fees(self, for_action: str, **for_params: Any) -> FeeEstimate:
        """Estimate the fees of an order or a withdrawal before making it.

        API: ``POST /fees/estimate`` with ``{"for_action": ..., "for_params": {...}}``,
        signed. Decimal amounts in ``for_params`` are sent as plain strings.

        Args:
            for_action: ``create_order`` or ``withdraw``.
            **for_params: The order's or withdrawal's fields, e.g. ``product_id``,
                ``side``, ``quantity``, ``price``, ``order_type``, ``trading_type``;
                or ``currency``, ``amount``, ``bank_account_id``.

        Returns:
            ``{"fee_options": {"default": [{"fee_type", "amount", "currency"}], ...}}``.

        Example:
            .. code-block:: python

                estimate = client.estimate_fees(
                    "create_order", product_id=1, side="buy", quantity="0.01",
                    price="25000", order_type="limit", trading_type="spot",
                )
        """
        params = {key: wire_value(key, value) for key, value in for_params.items()}
        body = {
            "for_action": choice(for_action, "for_action", _FOR_ACTIONS),
            "for_params": params,
        }
        result: FeeEstimate = self._post("fees/estimate", body)
        return result
