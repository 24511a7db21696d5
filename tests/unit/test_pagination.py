"""Walking paginated lists and executions by timestamp."""

from __future__ import annotations

import json
import logging
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
import responses
from _helpers import API
from hypothesis import given, settings
from hypothesis import strategies as st

from quoine.client import Quoinex
from quoine.exceptions import QuoineResponseException, QuoineValidationError
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
    """Serve ``executions`` (sorted by created_at, id) like the by-timestamp endpoint.

    Records ``(since, limit)`` of each request in ``calls``.
    """
    calls = []

    def fetch(product_id, since, limit):
        calls.append((since, limit))
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


def ids(rows):
    return [e["id"] for e in rows]


@pytest.mark.parametrize("complete_last_second", [True, False])
def test_executions_walk_loses_and_repeats_nothing_at_boundaries(complete_last_second):
    # No second holds more than ``limit`` executions, so even a server that cuts a
    # page inside a second loses nothing.
    data = make_executions([(100, 3), (101, 4), (102, 1), (105, 4), (106, 2)])
    fetch, _ = executions_server(data, complete_last_second=complete_last_second)
    assert ids(iter_executions_since(fetch, 1, 100, limit=4)) == ids(data)


def test_executions_walk_takes_the_fewest_requests_once_the_server_completes_seconds():
    # Ten executions a second, so every page of 1000 ends exactly at the end of a
    # second. Asked for 999, the server finishes the second and answers with 1000:
    # from then on the walk trusts every page to end with a complete second.
    data = make_executions([(1000 + s, 10) for s in range(300)])
    fetch, calls = executions_server(data, complete_last_second=True)
    assert ids(iter_executions_since(fetch, 1, 0)) == ids(data)
    assert calls == [(0, 999), (1100, 1000), (1200, 1000), (1300, 1000)]
    assert len(calls) == 3000 // 1000 + 1


def test_executions_walk_learns_that_the_server_completes_seconds_on_a_reread():
    # Asked for 9, the first page ends exactly at the end of second 11; the re-read
    # of second 11 (9 again) cuts into second 12, which the server finishes: 10 > 9.
    data = make_executions([(10, 4), (11, 5), (12, 5), (13, 5), (14, 5), (15, 3)])
    fetch, calls = executions_server(data, complete_last_second=True)
    assert ids(iter_executions_since(fetch, 1, 0, limit=10)) == ids(data)
    assert calls == [(0, 9), (11, 9), (13, 10), (15, 10), (16, 10)]


def test_executions_walk_continues_after_last_second_when_page_is_not_exactly_full():
    # 2 + 3 + 2 executions per second, limit 4 (asked 3): the server completes each
    # second, so pages come back with 5 and 2 items and no second is asked twice.
    data = make_executions([(10, 2), (11, 3), (12, 2)])
    fetch, calls = executions_server(data, complete_last_second=True)
    assert ids(iter_executions_since(fetch, 1, 0, limit=4)) == list(range(1, 8))
    assert calls == [(0, 3), (12, 4), (13, 4)]


def test_executions_walk_rereads_boundary_second_until_the_server_shows_it_completes_it():
    # One execution a second: a page is never longer than asked, so the walk cannot
    # tell a completing server from one that cuts pages, and keeps re-reading the
    # last second of each exactly-full page (one execution of overlap each time).
    data = make_executions([(s, 1) for s in range(1000, 1000 + 3000)])
    fetch, calls = executions_server(data, complete_last_second=True)
    assert ids(iter_executions_since(fetch, 1, 0)) == ids(data)
    assert calls == [(0, 999), (1998, 999), (2996, 999), (3994, 999), (4000, 999)]


def test_executions_walk_with_page_size_one():
    data = make_executions([(5, 1), (6, 2), (7, 1)])
    fetch, calls = executions_server(data, complete_last_second=True)
    assert ids(iter_executions_since(fetch, 1, 0, limit=1)) == [1, 2, 3, 4]
    # Second 5 is read twice (an exactly-full page); second 6 comes back with two
    # items, which shows the server completes seconds: no more re-reads after it.
    assert calls == [(0, 1), (5, 1), (6, 1), (7, 1), (8, 1)]


def test_executions_walk_moves_on_when_a_full_page_brings_nothing_new():
    data = make_executions([(100, 6), (101, 1)])
    fetch, calls = executions_server(data, complete_last_second=False)
    got = ids(iter_executions_since(fetch, 1, 100, limit=3))
    # The server never shows more than 3 of second 100: the walk cannot see the rest
    # and must not loop forever on it.
    assert got == [1, 2, 3, 7]
    assert calls == [(100, 2), (100, 3), (100, 3), (101, 2), (102, 2)]


@given(
    st.lists(st.integers(1, 4), min_size=0, max_size=30),
    st.integers(1, 6),
)
@settings(max_examples=200, deadline=None)
def test_executions_walk_property(counts, limit):
    data = make_executions([(1000 + i * 2, c) for i, c in enumerate(counts)])
    fetch, _ = executions_server(data, complete_last_second=True)
    assert ids(iter_executions_since(fetch, 1, 0, limit=limit)) == ids(data)


@given(
    st.integers(1, 6).flatmap(
        lambda limit: st.tuples(st.just(limit), st.lists(st.integers(1, limit), max_size=30))
    )
)
@settings(max_examples=200, deadline=None)
def test_executions_walk_property_against_a_server_that_cuts_pages(limit_and_counts):
    # A server that never finishes the last second: nothing is lost or repeated as
    # long as no second holds more than ``limit`` executions.
    limit, counts = limit_and_counts
    data = make_executions([(1000 + i, c) for i, c in enumerate(counts)])
    fetch, _ = executions_server(data, complete_last_second=False)
    assert ids(iter_executions_since(fetch, 1, 0, limit=limit)) == ids(data)


# --- 45: walks that a server cannot make endless ---------------------------------------------


EXECUTIONS = [
    {"id": 100 - n, "quantity": "0.1", "price": "500.0", "created_at": 1_514_764_800 - n}
    for n in range(5)
]


def page_server(mock, answer):
    """Serve GET /executions with ``answer(page, limit)``; return the pages asked for."""
    asked = []

    def callback(request):
        query = parse_qs(urlsplit(request.url).query)
        page, limit = int(query["page"][0]), int(query["limit"][0])
        asked.append(page)
        return 200, {}, json.dumps(answer(page, limit))

    mock.add_callback(responses.GET, f"{API}/executions", callback=callback)
    return asked


def last_page_again(page, limit):
    # Pages of 3 whatever the limit; every page past the last is the last page again.
    current = min(page, 2)
    start = (current - 1) * 3
    return {"models": EXECUTIONS[start : start + 3], "current_page": current, "total_pages": 2}


def page_ignored(page, limit):
    return {"models": EXECUTIONS[:limit], "current_page": 1, "total_pages": 1}


def page_ignored_pages_of_three(page, limit):
    return {"models": EXECUTIONS[:3], "current_page": 1, "total_pages": 2}


@pytest.mark.case(45)
@pytest.mark.parametrize(
    ("server", "expected_ids", "requests"),
    [
        (last_page_again, [100, 99, 98, 97, 96], [1, 2, 3]),
        (page_ignored, [100, 99, 98, 97, 96], [1, 2]),
        (page_ignored_pages_of_three, [100, 99, 98], [1, 2]),
    ],
    ids=["last page served again", "page ignored", "page ignored, pages of 3"],
)
def test_iter_executions_ends_against_a_server_that_repeats_pages(
    caplog, server, expected_ids, requests
):
    with responses.RequestsMock() as mock:
        asked = page_server(mock, server)
        client = Quoinex(rate_limit=None, max_retries=0)
        with caplog.at_level(logging.WARNING, logger="quoine"):
            got = list(client.iter_executions(1))
    assert [item["id"] for item in got] == expected_ids
    assert asked == requests
    [record] = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert record.name == "quoine"
    assert record.getMessage() == (
        f"page {requests[-1]} brought nothing new (the server answered with an earlier "
        f"page again): the walk stops after {len(expected_ids)} items"
    )


@pytest.mark.case(45)
def test_iter_pages_skips_items_the_previous_page_brought():
    # An order placed during the walk shifts one item from page 1 onto page 2.
    pages = {1: [{"id": 9}, {"id": 8}], 2: [{"id": 8}, {"id": 7}], 3: [{"id": 7}, {"id": 7}], 4: []}
    got = list(iter_pages(lambda limit, page: pages[page], limit=2))
    assert [item["id"] for item in got] == [9, 8, 7]


@pytest.mark.case(45)
def test_iter_pages_keeps_items_without_ids_apart_by_content():
    pages = {1: [{"a": 1}, {"a": 2}], 2: [{"a": 2}, {"a": 3}], 3: []}
    got = list(iter_pages(lambda limit, page: pages[page], limit=2))
    assert got == [{"a": 1}, {"a": 2}, {"a": 3}]


@pytest.mark.case(45)
@pytest.mark.parametrize("models", [5, "abc", {"id": 1}])
def test_iter_pages_refuses_models_that_are_not_a_list(models):
    with pytest.raises(QuoineResponseException, match="page 1: models is a"):
        list(iter_pages(lambda limit, page: {"models": models}))


def timestamp_ignored(executions):
    calls = []

    def fetch(product_id, since, limit):
        calls.append(since)
        return executions[:limit]

    return fetch, calls


@pytest.mark.case(45)
@pytest.mark.parametrize("limit", [1, 2, 3, 5, 1000])
def test_timestamp_walk_ends_against_a_server_that_ignores_timestamp(caplog, limit):
    executions = make_executions([(10, 2), (11, 1), (12, 2)])
    fetch, calls = timestamp_ignored(executions)
    with caplog.at_level(logging.WARNING, logger="quoine"):
        got = list(iter_executions_since(fetch, 1, 10, limit=limit))
    assert len(calls) <= 4
    assert len(ids(got)) == len(set(ids(got)))  # never twice
    assert set(ids(got)) <= set(ids(executions))
    [record] = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert "the server answered with older executions only (it ignores timestamp)" in (
        record.getMessage()
    )


@pytest.mark.case(45)
def test_timestamp_walk_through_the_client_against_a_server_that_ignores_timestamp(caplog):
    oldest = [
        {"id": n, "quantity": "1", "price": "500", "created_at": 1_514_764_800 + n}
        for n in range(3)
    ]
    with responses.RequestsMock() as mock:
        mock.get(f"{API}/executions", json=oldest)
        client = Quoinex(rate_limit=None, max_retries=0)
        with caplog.at_level(logging.WARNING, logger="quoine"):
            got = list(client.iter_executions_since_time(1, 1_514_764_800))
        timestamps = [parse_qs(urlsplit(c.request.url).query)["timestamp"] for c in mock.calls]
    assert [item["id"] for item in got] == [0, 1, 2]
    assert timestamps == [["1514764800"], ["1514764803"]]
    assert any("ignores timestamp" in r.getMessage() for r in caplog.records)


@pytest.mark.case(45)
@pytest.mark.parametrize(
    "row",
    [
        {"id": 1},
        {"id": 1, "created_at": "soon"},
        {"id": 1, "created_at": None},
        {"id": 1, "created_at": True},
        {"id": 1, "created_at": "NaN"},
        {"id": 1, "created_at": "1e999999999"},
        {"id": 1, "created_at": Decimal("1E+20")},
    ],
)
def test_timestamp_walk_refuses_executions_without_a_time(row):
    with pytest.raises(QuoineResponseException, match="an execution without a valid created_at"):
        list(iter_executions_since(lambda product_id, since, limit: [row], 1, 10))


# Both eras' created_at: integer seconds (S1, LQ), digits in a string (late
# Liquid-era answers, ccxt), JSON numbers (decoded as Decimal) and strings with
# a fraction as the newer timestamp fields carry. A fraction just below the next
# second must stay in its second: through a float it would round up into it.
BASE = 1_653_139_978


@pytest.mark.parametrize(
    "as_sent",
    [
        int,
        str,
        lambda second: f"{second}.9999999999",
        lambda second: Decimal(f"{second}.434518"),
    ],
    ids=["int", "digits", "fraction-string", "decimal-number"],
)
def test_executions_walk_reads_created_at_in_every_form_the_api_sent(as_sent):
    data = make_executions([(BASE, 3), (BASE + 1, 4), (BASE + 2, 1), (BASE + 5, 4)])
    fetch, calls = executions_server(data, complete_last_second=True)

    def sent(product_id, since, limit):
        return [
            {**e, "created_at": as_sent(e["created_at"])} for e in fetch(product_id, since, limit)
        ]

    assert ids(iter_executions_since(sent, 1, BASE, limit=4)) == ids(data)
    assert [(since - BASE, limit) for since, limit in calls] == [(0, 3), (0, 4), (2, 4), (6, 4)]
