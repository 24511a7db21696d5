"""Lending: loan bids, loans and the interest rate ladder."""

from __future__ import annotations

from collections.abc import Iterator

from .._base import EndpointMixin
from .._utils import (
    Amount,
    IdLike,
    boolean,
    currency_code,
    decimal_string,
    page_limit,
    page_number,
    positive_int,
)
from ..types import InterestRateLadder, Loan, LoanBid, LoanBidPage, LoanPage


class LoansMixin(EndpointMixin):
    """Lend funds to margin traders and manage the loans."""

    def get_interest_rate_ladder(self, currency: str) -> InterestRateLadder:
        """Get the lending order book (interest rate ladder) of a currency.

        API: ``GET /ir_ladders/{currency}``, public.

        Args:
            currency: e.g. ``"USD"`` (case-sensitive).

        Returns:
            ``{"bids": [[rate, amount], ...], "asks": [[rate, amount], ...]}``.

        Example:
            .. code-block:: python

                ladder = client.get_interest_rate_ladder("USD")
        """
        result: InterestRateLadder = self._get(f"ir_ladders/{currency_code(currency)}")
        return result

    def create_loan_bid(self, rate: Amount, quantity: Amount, currency: str) -> LoanBid:
        """Offer funds for lending.

        API: ``POST /loan_bids`` with ``{"loan_bid": {"rate", "quantity", "currency"}}``,
        signed.

        Args:
            rate: Daily interest rate, e.g. ``"0.0002"`` (the API caps it at 0.07%).
            quantity: Amount to lend.
            currency: Currency to lend.

        Returns:
            The loan bid.

        Example:
            .. code-block:: python

                bid = client.create_loan_bid("0.0002", "50", "USD")
        """
        loan_bid = {
            "rate": decimal_string(rate, "rate"),
            "quantity": decimal_string(quantity, "quantity"),
            "currency": currency_code(currency),
        }
        result: LoanBid = self._post("loan_bids", {"loan_bid": loan_bid})
        return result

    def get_loan_bid(
        self, currency: str, limit: int | None = None, page: int | None = None
    ) -> LoanBidPage:
        """Get a page of the user's loan bids in a currency.

        API: ``GET /loan_bids``, signed, paginated.

        Args:
            currency: e.g. ``"USD"``.
            limit: Loan bids per page, 1 to 1000.
            page: Page number from 1.

        Returns:
            ``{"models": [loan_bid, ...], "current_page": n, "total_pages": n}``.

        Example:
            .. code-block:: python

                bids = client.get_loan_bid("USD")["models"]
        """
        params = {
            "currency": currency_code(currency),
            "limit": page_limit(limit),
            "page": page_number(page),
        }
        result: LoanBidPage = self._get("loan_bids", params, signed=True)
        return result

    def iter_loan_bids(self, currency: str, *, limit: int | None = None) -> Iterator[LoanBid]:
        """Iterate over all of the user's loan bids in a currency.

        Args:
            currency: e.g. ``"USD"``.
            limit: Page size; default 1000.

        Yields:
            Loan bids.

        Example:
            .. code-block:: python

                live = [b for b in client.iter_loan_bids("USD") if b["status"] == "live"]
        """
        return self._iterate(self.get_loan_bid, limit, currency=currency)

    def close_loan_bid(self, loan_bid_id: IdLike) -> LoanBid:
        """Withdraw a loan bid.

        API: ``PUT /loan_bids/{id}/close``, signed.

        Args:
            loan_bid_id: The loan bid id.

        Returns:
            The closed loan bid.

        Example:
            .. code-block:: python

                client.close_loan_bid(loan_bid_id)
        """
        result: LoanBid = self._put(f"loan_bids/{positive_int(loan_bid_id, 'loan_bid_id')}/close")
        return result

    def get_loans(
        self, currency: str, limit: int | None = None, page: int | None = None
    ) -> LoanPage:
        """Get a page of the user's loans in a currency.

        API: ``GET /loans``, signed, paginated.

        Args:
            currency: e.g. ``"USD"``.
            limit: Loans per page, 1 to 1000.
            page: Page number from 1.

        Returns:
            ``{"models": [loan, ...], "current_page": n, "total_pages": n}``.

        Example:
            .. code-block:: python

                loans = client.get_loans("USD")["models"]
        """
        params = {
            "currency": currency_code(currency),
            "limit": page_limit(limit),
            "page": page_number(page),
        }
        result: LoanPage = self._get("loans", params, signed=True)
        return result

    def iter_loans(self, currency: str, *, limit: int | None = None) -> Iterator[Loan]:
        """Iterate over all of the user's loans in a currency.

        Args:
            currency: e.g. ``"USD"``.
            limit: Page size; default 1000.

        Yields:
            Loans.

        Example:
            .. code-block:: python

                lent = sum(Decimal(loan["quantity"]) for loan in client.iter_loans("USD"))
        """
        return self._iterate(self.get_loans, limit, currency=currency)

    def update_loan(self, loan_id: IdLike, fund_reloaned: bool | None = None) -> Loan:
        """Choose whether a loan's funds are lent again when it is repaid.

        API: ``PUT /loans/{id}`` with ``{"fund_reloaned": bool}``, signed. Flat,
        as python-quoine 0.1.x sent it and the Liquid-era documentation lists
        the field; the 2016 documentation's example nests it under ``loan``,
        which the exchange also accepted.

        Args:
            loan_id: The loan id.
            fund_reloaned: True to re-lend the funds automatically.

        Returns:
            The updated loan.

        Example:
            .. code-block:: python

                client.update_loan(loan_id, fund_reloaned=False)
        """
        body = {"fund_reloaned": boolean(fund_reloaned, "fund_reloaned")}
        result: Loan = self._put(f"loans/{positive_int(loan_id, 'loan_id')}", body)
        return result
