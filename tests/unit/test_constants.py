"""The 0.1.x class constants: plain values, each derived from an enum of quoine.constants."""

from __future__ import annotations

import enum

import pytest

from quoine import constants
from quoine.client import Liquid, Qryptos, Quoine, Quoinex
from quoine.constants import LegacyConstants

LEGACY = {name: value for name, value in vars(LegacyConstants).items() if name.isupper()}
ENUM_VALUES = {
    member.value
    for value in vars(constants).values()
    if isinstance(value, type) and issubclass(value, enum.Enum)
    for member in value
}


def test_there_are_twenty_constants():
    assert len(LEGACY) == 20


@pytest.mark.parametrize("name", sorted(LEGACY))
def test_constant_is_a_plain_value_on_every_client_class(name):
    value = LEGACY[name]
    assert type(value) in (str, int)
    for cls in (Quoine, Quoinex, Qryptos, Liquid):
        assert getattr(cls, name) is value


@pytest.mark.parametrize("name", sorted(n for n, v in LEGACY.items() if isinstance(v, str)))
def test_string_constant_is_an_enum_value(name):
    assert LEGACY[name] in ENUM_VALUES
