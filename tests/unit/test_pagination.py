"""Walking paginated lists and executions by timestamp."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quoine.exceptions import QuoineValidationError
from quoine.pagination import iter_executions_since, iter_pages


def paged(items, total_pages="10000"):
    calls = []

    def fetch(*, limit, page, **filters):
        calls.append((limit, page, filters))
        start = (page - 1) * limit
        return {
            "models": items[start : start + limit],
            "current_page": page,
            "total_pages": total_pages,
        }

    return fetch, calls


def test_iter_pages_uses_largest_page_and_stops_on_empty_page():
    fetch, calls = paged(list(range(2500)))
    assert list(iter_pages(fetch, status="live")) == list(range(2500))
    assert calls == [(1000, p, {"status": "live"}) for p in (1, 2, 3, 4)]


def test_iter_pages_ignores_total_pages():
    fetch, calls = paged(list(range(3)), total_pages=1)
    assert list(iter_pages(fetch, limit=2)) == [0, 1, 2]
    assert [c[1] for c in calls] == [1, 2, 3]


def test_iter_pages_accepts_plain_list_pages_and_start_page():
    pages = {2: [3, 4], 3: []}
    assert list(iter_pages(lambda limit, page: pages[page], limit=2, start_page=2)) == [3, 4]


def test_iter_pages_is_lazy():
    fetch, calls = paged(list(range(5000)))
    iterator = iter_pages(fetch)
    assert calls == []
    next(iterator)
    assert len(calls) == 1


def test_iter_pages_checks_limit():
    with pytest.raises(QuoineValidationError):
        list(iter_pages(lambda **_: {}, limit=1001))


def executions_server(executions, *, complete_last_second):
    """Serve ``executions`` (sorted by created_at, id) like the by-timestamp endpoint."""
    calls = []

    def fetch(product_id, since, limit):
        calls.append(since)
        rows = [e for e in executions if e["created_at"] >= since]
        page = rows[:limit]
        if complete_last_second and page:
            last = page[-1]["created_at"]
            page += [e for e in rows[limit:] if e["created_at"] == last]
        return page

    return fetch, calls


def make_executions(seconds):
    rows, next_id = [], 1
    for second, count in seconds:
        for _ in range(count):
            rows.append({"id": next_id, "created_at": second})
            next_id += 1
    return rows


@pytest.mark.parametrize("complete_last_second", [True, False])
def test_executions_walk_loses_and_repeats_nothing_at_boundaries(complete_last_second):
    # No second holds more than ``limit`` executions, so even a server that cuts a
    # page inside a second loses nothing.
    data = make_executions([(100, 3), (101, 4), (102, 1), (105, 4), (106, 2)])
    fetch, _ = executions_server(data, complete_last_second=complete_last_second)
    got = [e["id"] for e in iter_executions_since(fetch, 1, 100, limit=4)]
    assert got == [e["id"] for e in data]


def test_executions_walk_continues_after_last_second_when_page_is_not_exactly_full():
    # 2 + 3 + 2 executions per second, limit 4: the server completes each second, so
    # pages come back with 5 and 2 items and the walk never asks for a second twice.
    data = make_executions([(10, 2), (11, 3), (12, 2)])
    fetch, calls = executions_server(data, complete_last_second=True)
    assert [e["id"] for e in iter_executions_since(fetch, 1, 0, limit=4)] == list(range(1, 8))
    assert calls == [0, 12, 13]


def test_executions_walk_rereads_boundary_second_after_an_exactly_full_page():
    data = make_executions([(s, 1) for s in range(1000, 1000 + 3000)])
    fetch, calls = executions_server(data, complete_last_second=True)
    assert sum(1 for _ in iter_executions_since(fetch, 1, 0)) == 3000
    # A page of exactly ``limit`` items may have stopped inside a second: the next
    # request starts at that second again (one execution of overlap each time).
    assert calls == [0, 1999, 2998, 3997, 4000]


def test_executions_walk_moves_on_when_a_full_page_brings_nothing_new():
    data = make_executions([(100, 6), (101, 1)])
    fetch, calls = executions_server(data, complete_last_second=False)
    got = [e["id"] for e in iter_executions_since(fetch, 1, 100, limit=3)]
    # The server never shows more than 3 of second 100: the walk cannot see the rest
    # and must not loop forever on it.
    assert got == [1, 2, 3, 7]
    assert calls == [100, 100, 101, 102]


@given(
    st.lists(st.integers(1, 4), min_size=0, max_size=30),
    st.integers(1, 6),
)
@settings(max_examples=200, deadline=None)
def test_executions_walk_property(counts, limit):
    data = make_executions([(1000 + i * 2, c) for i, c in enumerate(counts)])
    fetch, _ = executions_server(data, complete_last_second=True)
    got = [e["id"] for e in iter_executions_since(fetch, 1, 0, limit=limit)]
    assert got == [e["id"] for e in data]
