"""Answers as pandas DataFrames, for analysis in a notebook.

Needs pandas, an optional extra: ``pip install 'python-quoine[pandas]'``.

The API sends amounts as decimal strings, times as unix seconds (some as
fractional strings) and ids as numbers or strings depending on the endpoint.
:func:`to_frame` turns any list or iterator of answers into a DataFrame whose
columns compute as expected: amounts as numbers, times as UTC datetimes, ids as
integers, and nested objects flattened. See :func:`to_frame` for what the
conversion costs in exactness.
"""

from __future__ import annotations

import importlib
import math
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

__all__ = ["to_frame"]

# Columns named like these hold unix times (seconds, possibly fractional).
_TIME_NAMES = ("created_at", "updated_at", "timestamp")
_TIME_SUFFIXES = ("_at", "_time", "_timestamp")
# Text that may be all digits, where a number would drop leading zeros ("000123").
_TEXT_NAMES = frozenset(
    {
        "client_order_id",
        "acc_number",
        "acc_name",
        "address",
        "bank_branch",
        "swift",
        "memo_value",
        "payment_id",
        "label",
        "wallet_label",
        "transaction_hash",
    }
)


def to_frame(
    answers: Iterable[Mapping[str, Any]] | Mapping[str, Any], *, executions: bool = False
) -> Any:
    """Turn answers (orders, executions, products, balances...) into a DataFrame.

    One row per answer, one column per field seen in any of them. Columns are
    converted by what they hold and what they are called:

    * **ids** (``id``, ``order_id``, ``product_id``... whose values are all
      whole numbers, as numbers or strings) become integers (pandas' nullable
      ``Int64``, so a missing id stays missing). Ids that are not numbers stay
      strings, and so do text fields that may be all digits
      (``client_order_id``, ``acc_number``, ``memo_value``, ``address``...):
      ``"000123"`` is not the number 123.
    * **times** (``created_at``, ``updated_at``, ``timestamp`` and names ending
      in ``_at``, ``_time`` or ``_timestamp``) become UTC datetimes
      (``datetime64[ns, UTC]``), converted exactly to the nanosecond.
    * **amounts** (any other column whose values are all decimal numbers, as
      strings or :class:`~decimal.Decimal`) become ``float64``.
    * nested objects become dotted columns (``settings.x``); nested lists, such
      as an order's ``executions``, stay as they are, unless ``executions=True``.

    What it costs in exactness: a ``float64`` holds 15 to 17 significant
    digits, so an amount such as ``"12345678.123456789"`` is rounded, and sums
    of amounts carry binary rounding (``0.1 + 0.2`` is not ``0.3``). That is
    fine for charts and statistics; for balances, fees or anything you reconcile,
    sum the answers' strings as :class:`~decimal.Decimal` instead (see
    :doc:`/money`). Times and ids are exact.

    Args:
        answers: A list or iterator of answer objects, or one page of a list
            (``{"models": [...]}``), whose items are used.
        executions: One row per execution nested in the answers (an order's
            ``executions``) instead of one per answer; the parent's fields come
            along prefixed with ``order.`` (``order.id``, ``order.side``...).

    Returns:
        A :class:`pandas.DataFrame`.

    Raises:
        ImportError: pandas is not installed.

    Example:
        .. code-block:: python

            from quoine.frames import to_frame

            client.create_market_buy(1, "0.01")
            orders = to_frame(client.iter_orders(product_id=1))
            orders["filled_quantity"].sum()        # a number, not joined strings
            fills = to_frame(client.get_orders(product_id=1, with_details=True), executions=True)
            fills[["order.id", "price", "quantity", "created_at"]]
    """
    pandas = _pandas()
    items: Iterable[Mapping[str, Any]] = (
        answers.get("models", [answers]) if isinstance(answers, Mapping) else answers
    )
    rows = [dict(answer) for answer in items]
    if executions:
        rows = [
            {**{f"order.{k}": v for k, v in row.items() if k != "executions"}, **execution}
            for row in rows
            for execution in row.get("executions") or ()
        ]
    frame = pandas.json_normalize(rows, max_level=1) if rows else pandas.DataFrame()
    for column in frame.columns:
        frame[column] = _convert(pandas, str(column), frame[column])
    return frame


def _pandas() -> Any:
    try:
        return importlib.import_module("pandas")
    except ImportError:
        raise ImportError(
            "quoine.frames needs pandas: pip install 'python-quoine[pandas]'"
        ) from None


def _convert(pandas: Any, column: str, values: Any) -> Any:
    """The column converted by its name and values, or as it was."""
    name = column.rsplit(".", 1)[-1]
    if name in _TEXT_NAMES:
        return values
    present = [value for value in values if value is not None and value == value]  # no NaN
    if not present or any(isinstance(v, (bool, dict, list)) for v in present):
        return values
    numbers = [_number(value) for value in present]
    if any(number is None for number in numbers):
        return values
    if name in _TIME_NAMES or name.endswith(_TIME_SUFFIXES):
        nanoseconds = [None if _missing(v) else _nanoseconds(v) for v in values]
        return pandas.to_datetime(pandas.array(nanoseconds, dtype="Int64"), unit="ns", utc=True)
    if name == "id" or name.endswith("_id"):
        if all(number == number.to_integral_value() for number in numbers if number is not None):
            whole = [None if _missing(v) else int(Decimal(str(v))) for v in values]
            return pandas.array(whole, dtype="Int64")
        return values
    if all(isinstance(v, int) for v in present):
        return values  # plain integers (counts, leverage levels) stay integers
    # Python's float() rounds correctly; pandas < 3 parses strings a few ulps off.
    floats = [math.nan if _missing(v) else float(str(v)) for v in values]
    return pandas.Series(floats, dtype="float64")


def _missing(value: Any) -> bool:
    return value is None or value != value  # None or NaN


def _number(value: Any) -> Decimal | None:
    if isinstance(value, (int, float, Decimal)):
        return Decimal(str(value))
    try:
        number = Decimal(value.strip()) if isinstance(value, str) else None
    except InvalidOperation:
        return None
    return number if number is not None and number.is_finite() else None


def _nanoseconds(value: Any) -> int:
    return int(Decimal(str(value)) * 1_000_000_000)
