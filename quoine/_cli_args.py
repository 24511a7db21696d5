"""Value types for the command lines' arguments (``quoine`` and ``python -m quoine.sandbox``).

Each takes the argument's text and returns its value, or raises
:class:`argparse.ArgumentTypeError`, which argparse turns into a usage error
(exit status 2). Only ASCII digits count: ``"²"`` passes :meth:`str.isdigit`.
"""

from __future__ import annotations

import argparse
import math

__all__ = ["non_negative_int", "positive_int", "seconds"]


def _digits(text: str) -> bool:
    return text.isascii() and text.isdigit()


def positive_int(text: str) -> int:
    """An integer of 1 or more."""
    if not _digits(text) or int(text) < 1:
        raise argparse.ArgumentTypeError(f"must be a positive integer, got {text!r}")
    return int(text)


def non_negative_int(text: str) -> int:
    """An integer of 0 or more."""
    if not _digits(text):
        raise argparse.ArgumentTypeError(f"must be 0 or a positive integer, got {text!r}")
    return int(text)


def seconds(text: str) -> float:
    """A positive, finite number of seconds."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not 0 < value < math.inf:
        raise argparse.ArgumentTypeError(f"must be a positive number of seconds, got {text!r}")
    return value
