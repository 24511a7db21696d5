"""The command lines' argument value types: ASCII digits only, positive finite seconds."""

from __future__ import annotations

import argparse

import pytest

from quoine._cli_args import non_negative_int, positive_int, seconds


@pytest.mark.parametrize(("text", "value"), [("1", 1), ("007", 7), ("300", 300)])
def test_positive_int(text: str, value: int) -> None:
    assert positive_int(text) == value


@pytest.mark.parametrize("text", ["0", "-1", "1.5", "", " 1", "²", "١٢", "\uff11", "1e3"])
def test_positive_int_refuses(text: str) -> None:
    with pytest.raises(argparse.ArgumentTypeError, match="must be a positive integer"):
        positive_int(text)


def test_non_negative_int_takes_zero_and_refuses_the_rest() -> None:
    assert non_negative_int("0") == 0
    assert non_negative_int("12") == 12
    for text in ("-1", "²", "x", ""):
        with pytest.raises(argparse.ArgumentTypeError, match="must be 0 or a positive integer"):
            non_negative_int(text)


@pytest.mark.parametrize(("text", "value"), [("1", 1.0), ("0.25", 0.25), ("1e2", 100.0)])
def test_seconds(text: str, value: float) -> None:
    assert seconds(text) == value


@pytest.mark.parametrize("text", ["0", "-1", "nan", "inf", "-inf", "abc", ""])
def test_seconds_refuses(text: str) -> None:
    with pytest.raises(argparse.ArgumentTypeError, match="must be a positive number of seconds"):
        seconds(text)
