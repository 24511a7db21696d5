"""Executions (trades on the order book): public and the user's own."""

from __future__ import annotations

from collections.abc import Iterator
from typing import cast

from .._base import EndpointMixin
from .._utils import (
    IdLike,
    TimeLike,
    page_limit,
    page_number,
    positive_int,
    unix_seconds,
)
from ..constants import MAX_PAGE_LIMIT
from ..pagination import iter_executions_since
from ..types import Execution, ExecutionPage


class ExecutionsMixin(EndpointMixin):
    """Public executions, executions since a time, and the user's own executions."""

    def get_executions(
        self,
        product_id: IdLike,
        limit: int | None = None,
        page: int | None = None,
    ) -> ExecutionPage:
        """Get a page of a product's executions, newest first.

        API: ``GET /executions``, public, paginated.

        Args:
            product_id: The product id.
            limit: Executions per page, 1 to 1000 (API default 20).
            page: Page number from 1.

        Returns:
            ``{"models": [execution, ...], "current_page": n, "total_pages": n}``.

        Example:
            .. code-block:: python

                latest = client.get_executions(product_id=1, limit=10)["models"]
        """
        params = {
            "product_id": positive_int(product_id, "product_id"),
            "limit": page_limit(limit),
            "page": page_number(page),
        }
        result: ExecutionPage = self._get("executions", params)
        return result

    def iter_executions(
        self, product_id: IdLike, *, limit: int | None = None
    ) -> Iterator[Execution]:
        """Iterate over all of a product's executions, newest first, page by page.

        Args:
            product_id: The product id.
            limit: Page size; default 1000, the fewest requests.

        Yields:
            Execution objects.

        Example:
            .. code-block:: python

                for execution in client.iter_executions(1):
                    print(execution["price"])
        """
        return self._iterate(self.get_executions, limit, product_id=product_id)

    def get_executions_since_time(
        self, product_id: IdLike, timestamp: TimeLike, limit: int | None = None
    ) -> list[Execution]:
        """Get a product's executions at or after a time, oldest first.

        API: ``GET /executions?product_id&timestamp``, public, not paginated. The
        API may return more than ``limit`` executions so that the last second is
        complete; :meth:`iter_executions_since_time` walks forward for you.

        Args:
            product_id: The product id.
            timestamp: Unix seconds, a datetime (naive means UTC) or a date string.
            limit: At most this many, 1 to 1000 (API default 20).

        Returns:
            A list of execution objects in ascending time.

        Example:
            .. code-block:: python

                since = client.get_executions_since_time(1, "2018-01-01T00:00:00Z", limit=50)
        """
        params = {
            "product_id": positive_int(product_id, "product_id"),
            "timestamp": unix_seconds(timestamp),
            "limit": page_limit(limit),
        }
        result: list[Execution] = self._get("executions", params)
        return result

    def iter_executions_since_time(
        self, product_id: IdLike, timestamp: TimeLike, *, limit: int = MAX_PAGE_LIMIT
    ) -> Iterator[Execution]:
        """Iterate over a product's executions from a time onwards, each exactly once.

        Walks forward by timestamp with the largest page the API allows, without
        losing or repeating executions at a page boundary; ends on an empty page.

        Args:
            product_id: The product id.
            timestamp: Where to start (unix seconds, datetime or date string).
            limit: Page size, 1 to 1000.

        Yields:
            Execution objects in ascending time.

        Example:
            .. code-block:: python

                import datetime
                start = datetime.datetime(2018, 1, 1)
                total = sum(1 for _ in client.iter_executions_since_time(1, start))
        """
        pid = positive_int(product_id, "product_id")
        walk = iter_executions_since(
            self.get_executions_since_time, pid, unix_seconds(timestamp), limit=limit
        )
        return cast(Iterator[Execution], walk)

    def get_my_executions(
        self,
        product_id: IdLike,
        limit: int | None = None,
        page: int | None = None,
        *,
        with_details: bool = False,
    ) -> ExecutionPage:
        """Get a page of the user's own executions of a product, newest first.

        API: ``GET /executions/me``, signed, paginated.

        Args:
            product_id: The product id.
            limit: Executions per page, 1 to 1000.
            page: Page number from 1.
            with_details: Add ``order_id`` and ``client_order_id`` to each execution.

        Returns:
            A page ``{"models": [...], "current_page": n, "total_pages": n}`` of
            executions with ``id``, ``quantity``, ``price``, ``taker_side``,
            ``my_side`` and ``created_at``.

        Example:
            .. code-block:: python

                mine = client.get_my_executions(1, with_details=True)["models"]
        """
        params = {
            "product_id": positive_int(product_id, "product_id"),
            "with_details": 1 if with_details else None,
            "limit": page_limit(limit),
            "page": page_number(page),
        }
        result: ExecutionPage = self._get("executions/me", params, signed=True)
        return result

    def iter_my_executions(
        self,
        product_id: IdLike,
        *,
        with_details: bool = False,
        limit: int | None = None,
    ) -> Iterator[Execution]:
        """Iterate over all of the user's executions of a product, newest first.

        Args:
            product_id: The product id.
            with_details: Add ``order_id`` and ``client_order_id``.
            limit: Page size; default 1000.

        Yields:
            Execution objects.

        Example:
            .. code-block:: python

                volume = sum(Decimal(e["quantity"]) for e in client.iter_my_executions(1))
        """
        return self._iterate(
            self.get_my_executions,
            limit,
            product_id=product_id,
            with_details=with_details,
        )
