"""Page walking at its edges: the first page asked for and the page size sent.

Written against the mutants of quoine/pagination.py that test_pagination.py let live.
"""

from __future__ import annotations

from typing import Any

import pytest

from quoine.exceptions import QuoineResponseException, QuoineValidationError
from quoine.pagination import iter_executions_since, iter_pages


class Pages:
    """A fake list method: ``count`` items, served ``limit`` per page."""

    def __init__(self, count: int) -> None:
        self.items = [{"id": n} for n in range(1, count + 1)]
        self.asked: list[dict[str, Any]] = []

    def __call__(self, **params: Any) -> dict[str, Any]:
        self.asked.append(params)
        start = (params["page"] - 1) * params["limit"]
        return {"models": self.items[start : start + params["limit"]], "total_pages": 10000}


@pytest.mark.parametrize(("start_page", "first"), [(None, 1), (1, 1), (2, 3), ("3", 5)])
def test_the_walk_starts_at_start_page_none_meaning_the_first(start_page, first):
    fetch = Pages(6)
    ids = [item["id"] for item in iter_pages(fetch, limit=2, start_page=start_page, status="x")]
    assert ids == list(range(first, 7))
    assert fetch.asked[0] == {"limit": 2, "page": (first + 1) // 2, "status": "x"}
    assert fetch.asked[-1]["page"] == 4  # the empty page ends the walk


def test_the_default_page_size_is_the_largest_the_api_allows():
    fetch = Pages(3)
    assert len(list(iter_pages(fetch))) == 3
    assert [asked["limit"] for asked in fetch.asked] == [1000, 1000]
    assert [asked["page"] for asked in fetch.asked] == [1, 2]


@pytest.mark.parametrize("bad", [0, -1, 1001, "x", True])
def test_a_bad_page_size_or_start_is_refused_before_any_request(bad):
    fetch = Pages(3)
    with pytest.raises(QuoineValidationError):
        iter_pages(fetch, limit=bad)
    with pytest.raises(QuoineValidationError):
        iter_executions_since(fetch, 1, 0, limit=bad)
    if bad != 1001:
        with pytest.raises(QuoineValidationError):
            iter_pages(fetch, start_page=bad)
    assert fetch.asked == []


def test_a_plain_list_answer_is_walked_too():
    answers = iter([[{"id": 1}], [{"id": 2}], []])
    assert list(iter_pages(lambda **params: next(answers))) == [{"id": 1}, {"id": 2}]


def test_an_item_seen_on_the_previous_page_is_known_by_its_id(caplog):
    pages = iter(
        [{"models": [{"id": 1, "status": "live"}]}, {"models": [{"id": 1, "status": "filled"}]}]
    )
    assert list(iter_pages(lambda **params: next(pages))) == [{"id": 1, "status": "live"}]


def test_a_page_whose_models_is_not_a_list_is_a_response_error():
    with pytest.raises(QuoineResponseException) as caught:
        list(iter_pages(lambda **params: {"models": {"id": 1}}))
    assert caught.value.status_code == 200
    assert caught.value.message == "page 1: models is a dict, not a list"


def test_an_execution_without_a_time_is_a_response_error():
    with pytest.raises(QuoineResponseException) as caught:
        list(iter_executions_since(lambda *args: [{"id": 1}], 1, 0))
    assert caught.value.status_code == 200
    assert caught.value.message == "an execution without a valid created_at: {'id': 1}"
