"""The request body encoder: compact JSON, exact Decimals, no NaN."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from quoine._decode import dump_json, json_default


def test_decimals_are_written_as_plain_strings():
    assert json_default(Decimal("1E-8")) == "0.00000001"
    assert json_default(Decimal("1E+2")) == "100"
    body = {"order": {"price": Decimal("500.10"), "q": [Decimal("0.1")], "n": None, "é": 1}}
    assert dump_json(body) == b'{"order":{"price":"500.10","q":["0.1"],"n":null,"\\u00e9":1}}'


@pytest.mark.parametrize(
    ("value", "message"),
    [(object(), "object is not JSON serialisable"), ({1}, "set is not JSON serialisable")],
)
def test_other_objects_are_refused_by_name(value, message):
    with pytest.raises(TypeError, match=f"^{re.escape(message)}$"):
        json_default(value)
    with pytest.raises(TypeError, match=f"^{re.escape(message)}$"):
        dump_json({"x": value})


@pytest.mark.parametrize("value", [float("nan"), float("inf")])
def test_nan_and_infinity_are_refused(value):
    with pytest.raises(ValueError, match="not JSON compliant"):
        dump_json({"x": value})
