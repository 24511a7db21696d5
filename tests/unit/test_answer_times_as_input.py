"""Times an answer carries, passed back as a time argument, keep their second.

Answers send times as integer seconds, digit strings (late crypto withdrawals)
and strings with up to nine decimals (a product's ``timestamp``,
``"1596962820.000797146"``). Read through a float, a fraction just below the
next second would round up into it and a walk would skip that second.
"""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
import responses
from _helpers import API

from quoine import Quoinex
from quoine._utils import unix_seconds
from quoine.exceptions import QuoineValidationError


@pytest.mark.parametrize(
    ("sent", "second"),
    [
        (1596962820, 1596962820),
        ("1596962820", 1596962820),
        ("1596962820.000797146", 1596962820),
        ("1596962820.999999999", 1596962820),
        ("1632493065.665", 1632493065),
        (Decimal("1596962820.9999999999"), 1596962820),
    ],
)
def test_an_answers_time_keeps_its_second(sent: object, second: int) -> None:
    assert unix_seconds(sent) == second  # type: ignore[arg-type]


def test_the_request_carries_that_second(client: Quoinex, mocked: responses.RequestsMock) -> None:
    mocked.get(f"{API}/executions", json=[])
    client.get_executions_since_time(1, "1596962820.999999999")
    query = parse_qs(urlsplit(str(mocked.calls[-1].request.url)).query)
    assert query["timestamp"] == ["1596962820"]


@pytest.mark.parametrize("text", ["NaN", "sNaN", "-sNaN", "-Infinity"])
def test_a_time_that_is_no_number_is_a_validation_error(text: str) -> None:
    with pytest.raises(QuoineValidationError, match="must be a time after 1970"):
        unix_seconds(text)
