"""Walking paginated lists and timestamp-ordered executions.

Paginated endpoints answer ``{"models": [...], "current_page": n, "total_pages": n}``.
:func:`iter_pages` asks for the largest page the API allows and stops on the first
empty page; it never trusts ``total_pages``, which the API sometimes
fills with a sentinel such as 10000.

Both walks end whatever the server does: a page that brings nothing new (the
last page served again for every later page number, ``page`` or ``timestamp``
ignored, a wrap back to an earlier page) ends the walk with a WARNING on the
``quoine`` logger, and an item the previous page already brought is not yielded
again. Memory stays flat: a walk keeps one page of keys and one number per page.
"""

from __future__ import annotations

import logging
from collections.abc import Hashable, Iterator
from decimal import ROUND_FLOOR, Decimal
from typing import Any, Callable

from ._utils import page_limit, page_number
from .constants import MAX_PAGE_LIMIT
from .exceptions import QuoineResponseException

__all__ = ["iter_executions_since", "iter_pages"]

logger = logging.getLogger("quoine")

#: A created_at with more integer digits than this is no unix time (and would
#: make a huge int): the execution is refused as malformed.
_MAX_SECOND_DIGITS = 15


def iter_pages(
    fetch: Callable[..., Any],
    *,
    limit: int | None = None,
    start_page: int = 1,
    **params: Any,
) -> Iterator[dict[str, Any]]:
    """Yield every item of a paginated list, one page request at a time.

    Args:
        fetch: A list method taking ``limit=`` and ``page=`` keywords, such as
            ``client.get_orders``.
        limit: Page size (1 to 1000); None, the default, asks for 1000, which
            needs the fewest requests.
        start_page: First page to ask for.
        **params: Passed to ``fetch`` unchanged (filters such as ``product_id``).

    Returns:
        An iterator over each item of ``models``, in the order the API returns
        them. ``limit`` and ``start_page`` are checked at once; the filters are
        checked by ``fetch`` when the first page is asked for. An item of the
        previous page (by ``id``) is not yielded again, and a page with nothing
        new, or the same items as an earlier page, ends the walk with a WARNING:
        a server that serves its last page for every later page number, ignores
        ``page`` or wraps around to its first page cannot make it loop.

    Raises:
        QuoineResponseException: A page whose ``models`` is not a list.

    Example:
        .. code-block:: python

            from quoine.pagination import iter_pages

            for order in iter_pages(client.get_orders, status="filled"):
                print(order["id"])
    """
    size = page_limit(limit) or MAX_PAGE_LIMIT
    page = page_number(start_page) or 1
    return _walk_pages(fetch, size, page, params)


def _walk_pages(
    fetch: Callable[..., Any], size: int, page: int, params: dict[str, Any]
) -> Iterator[dict[str, Any]]:
    previous: set[Hashable] = set()  # keys of the last page's items
    served: set[int] = set()  # one fingerprint per page: memory stays flat
    count = 0
    while True:
        answer = fetch(limit=size, page=page, **params)
        models = answer.get("models") if isinstance(answer, dict) else answer
        if not models:
            return
        if not isinstance(models, list):
            raise QuoineResponseException(
                f"page {page}: models is a {type(models).__name__}, not a list", status_code=200
            )
        keys = [_key(item) for item in models]
        fingerprint = hash(frozenset(keys))  # an earlier page, in any order
        new, taken = [], set()
        for item, key in zip(models, keys):
            # An id seen before is the same item; two equal items without an id on
            # one page are two rows the server sent.
            if key not in previous and (key not in taken or not _has_id(item)):
                new.append(item)
                taken.add(key)
        if not new or fingerprint in served:
            logger.warning(
                "page %d brought nothing new (the server answered with an earlier page "
                "again): the walk stops after %d items",
                page,
                count,
            )
            return
        yield from new
        count += len(new)
        previous = set(keys)
        served.add(fingerprint)
        page += 1


def _has_id(item: Any) -> bool:
    ident = item.get("id") if isinstance(item, dict) else None
    return isinstance(ident, (int, str)) and not isinstance(ident, bool)


def _key(item: Any) -> Hashable:
    """What tells two list items apart: the id when there is one."""
    if _has_id(item):
        return ("id", item["id"])
    if isinstance(item, Hashable):
        return ("item", item)
    try:
        return ("repr", hash(repr(item)))  # a hash: the walk keeps one key per item
    except RecursionError:
        return ("deep", type(item).__name__)


def iter_executions_since(
    fetch: Callable[..., Any],
    product_id: Any,
    timestamp: int,
    *,
    limit: int = MAX_PAGE_LIMIT,
) -> Iterator[dict[str, Any]]:
    """Yield executions from ``timestamp`` onwards, oldest first, each exactly once.

    The by-timestamp endpoint returns executions "at or after" a second, oldest
    first, and is documented to finish the last second it reaches, even past
    ``limit``. A page longer or shorter than asked for therefore ends with a
    complete second, and the walk continues at the next one. A page of exactly
    the size asked for may have stopped inside a second: the walk asks for that
    second again and skips, by id, the executions it already yielded; it moves
    on when a re-read brings nothing new. The walk ends on the first empty page.

    A server that finishes the last second can show it: asked for fewer items
    than a page ends with, it answers with more than it was asked for. Until it
    has, the walk asks for ``limit - 1`` items (``limit`` when re-reading a
    second of which it already has ``limit - 1``); from then on it asks for
    ``limit`` and continues after every page's last second, which takes the
    fewest requests the API allows: ``ceil(n / limit)`` plus the empty page. A
    server that cuts pages inside a second never shows it, and still loses
    nothing as long as no second holds more than ``limit`` executions.

    Every request asks for a later second than the one before, or brings
    executions not yielded yet, so the walk ends: a server that ignores
    ``timestamp`` and answers with older executions ends it with a WARNING.

    Args:
        fetch: ``client.get_executions_since_time``.
        product_id: The product.
        timestamp: Unix seconds to start from.
        limit: Page size, 1 to 1000.

    Returns:
        An iterator over execution objects in ascending time.

    Raises:
        QuoineResponseException: An execution without a valid ``created_at``.
    """
    size = page_limit(limit) or MAX_PAGE_LIMIT
    return _walk_executions(fetch, product_id, timestamp, size)


def _walk_executions(
    fetch: Callable[..., Any], product_id: Any, since: int, size: int
) -> Iterator[dict[str, Any]]:
    completes = False  # has the server shown that it finishes the last second?
    seen: set[Any] = set()  # ids already yielded from second ``since``
    while True:
        probing = not completes and len(seen) < size - 1
        ask = size - 1 if probing else size
        page = fetch(product_id, since, ask)
        if not page:
            return
        if not isinstance(page, list):
            raise QuoineResponseException(
                f"executions since {since}: a {type(page).__name__}, not a list", status_code=200
            )
        seconds = [_second(item) for item in page]
        new = [
            item
            for item, second in zip(page, seconds)
            if second >= since and _key(item) not in seen
        ]
        yield from new
        last_second = max(seconds)
        if last_second < since:
            # Every execution is older than asked for: the server ignores the timestamp.
            logger.warning(
                "executions since %d: the server answered with older executions only "
                "(it ignores timestamp); the walk stops",
                since,
            )
            return
        completes = completes or len(page) > ask
        if completes or len(page) != ask or not new:
            since, seen = last_second + 1, set()  # later than before: the walk moves on
            continue
        if last_second != since:
            since, seen = last_second, set()
        seen.update(_key(item) for item in new if _second(item) == since)


def _second(execution: Any) -> int:
    """The whole second of an execution's ``created_at``, exactly.

    Integer seconds (2016 and Liquid-era executions), JSON numbers (decoded
    as Decimal) and strings with a fraction (``"1653139978.434518"``, as newer
    fields carry) all count; a float would round ``"1653139978.9999999999"``
    up into the next second.
    """
    try:
        value = execution["created_at"]
        if isinstance(value, bool) or not isinstance(value, (int, str, Decimal, float)):
            raise TypeError(value)
        second = Decimal(value.strip()) if isinstance(value, str) else Decimal(value)
        if not second.is_finite() or second.adjusted() > _MAX_SECOND_DIGITS:
            raise ValueError(value)
        return int(second.to_integral_value(rounding=ROUND_FLOOR))
    except (TypeError, KeyError, ValueError, ArithmeticError):
        raise QuoineResponseException(
            f"an execution without a valid created_at: {str(execution)[:100]}", status_code=200
        ) from None
