"""Executions: the exact requests sent, pagination and the walk by timestamp."""

from __future__ import annotations

import datetime as dt
import json
from urllib.parse import parse_qsl, urlsplit

import pytest
import responses
from _helpers import API, assert_public, assert_rejected, assert_signed, sent, serve_pages
from hypothesis import given, settings
from hypothesis import strategies as st

from quoine.client import Quoinex
from quoine.exceptions import QuoineAPIException

PAGE = {"models": [{"id": 1, "price": "500.0"}], "current_page": 1, "total_pages": 1}


# ---------------------------------------------------------------------------- get_executions


def test_get_executions_is_public(client, mocked):
    mocked.get(f"{API}/executions", json=PAGE)

    assert client.get_executions(1) == PAGE

    request = sent(mocked)
    assert (request.method, request.path, request.query) == (
        "GET",
        "/executions",
        [("product_id", "1")],
    )
    assert request.body is None
    assert_public(request)


def test_get_executions_positional_0_1_4(client, mocked):
    mocked.get(f"{API}/executions", json=PAGE)

    client.get_executions("1", 20, 2)

    request = sent(mocked)
    assert request.path_url == "/executions?product_id=1&limit=20&page=2"
    assert request.query == [("product_id", "1"), ("limit", "20"), ("page", "2")]
    assert_public(request)


def test_get_executions_without_credentials(public_client, mocked):
    mocked.get(f"{API}/executions", json=PAGE)

    assert public_client.get_executions(product_id=5, limit=10) == PAGE
    assert sent(mocked).query == [("product_id", "5"), ("limit", "10")]


def test_iter_executions_walks_pages_until_empty(client, mocked):
    pages = [[{"id": 9}, {"id": 8}], [{"id": 7}], []]
    serve_pages(mocked, f"{API}/executions", pages, product_id=1)

    assert [e["id"] for e in client.iter_executions(1)] == [9, 8, 7]

    assert len(mocked.calls) == 3  # total_pages=10000 is not trusted
    for index, number in enumerate((1, 2, 3)):
        request = sent(mocked, index)
        assert request.path == "/executions"
        assert request.query == [("product_id", "1"), ("limit", "1000"), ("page", str(number))]
        assert_public(request)


def test_iter_executions_custom_limit(client, mocked):
    mocked.get(f"{API}/executions", json={"models": [{"id": 1}]})
    mocked.get(f"{API}/executions", json={"models": []})

    assert list(client.iter_executions(2, limit=10)) == [{"id": 1}]
    assert [sent(mocked, i).query for i in range(2)] == [
        [("product_id", "2"), ("limit", "10"), ("page", str(n))] for n in (1, 2)
    ]


# -------------------------------------------------------------------- get_executions_since


@pytest.mark.parametrize(
    "timestamp",
    [
        1514764800,
        "1514764800",
        1514764800.9,
        "2018-01-01T00:00:00Z",
        dt.datetime(2018, 1, 1),
        dt.datetime(2018, 1, 1, 9, tzinfo=dt.timezone(dt.timedelta(hours=9))),
        dt.date(2018, 1, 1),
    ],
)
def test_get_executions_since_time(client, mocked, timestamp):
    executions = [{"id": 1, "created_at": 1514764800}]
    mocked.get(f"{API}/executions", json=executions)

    assert client.get_executions_since_time(1, timestamp, 50) == executions

    request = sent(mocked)
    assert (request.method, request.path) == ("GET", "/executions")
    assert request.query == [("product_id", "1"), ("timestamp", "1514764800"), ("limit", "50")]
    assert_public(request)


def test_get_executions_since_time_without_limit(client, mocked):
    mocked.get(f"{API}/executions", json=[])

    assert client.get_executions_since_time(1, 1514764800) == []

    assert sent(mocked).path_url == "/executions?product_id=1&timestamp=1514764800"


# ----------------------------------------------------------------------- get_my_executions


def test_get_my_executions_is_signed(client, mocked):
    mocked.get(f"{API}/executions/me", json=PAGE)

    assert client.get_my_executions(1) == PAGE

    request = sent(mocked)
    assert (request.method, request.path, request.query) == (
        "GET",
        "/executions/me",
        [("product_id", "1")],
    )
    assert_signed(request)
    assert request.claims["path"] == "/executions/me?product_id=1"


def test_get_my_executions_positional_0_1_4(client, mocked):
    mocked.get(f"{API}/executions/me", json=PAGE)

    client.get_my_executions(1, 20, 3)

    request = sent(mocked)
    assert request.query == [("product_id", "1"), ("limit", "20"), ("page", "3")]
    assert_signed(request)
    assert request.claims["path"] == "/executions/me?product_id=1&limit=20&page=3"


def test_get_my_executions_with_details(client, mocked):
    mocked.get(f"{API}/executions/me", json=PAGE)

    client.get_my_executions(1, 20, with_details=True)

    assert sent(mocked).query == [("product_id", "1"), ("with_details", "1"), ("limit", "20")]


def test_get_my_executions_needs_credentials(public_client, mocked):
    with pytest.raises(Exception, match="needs an API token id and secret"):
        public_client.get_my_executions(1)
    assert len(mocked.calls) == 0


def test_iter_my_executions(client, mocked):
    pages = [[{"id": 3}, {"id": 2}], [{"id": 1}], []]
    serve_pages(mocked, f"{API}/executions/me", pages, product_id=4, with_details=1)

    assert [e["id"] for e in client.iter_my_executions(4, with_details=True)] == [3, 2, 1]

    assert len(mocked.calls) == 3
    for index, number in enumerate((1, 2, 3)):
        request = sent(mocked, index)
        assert request.query == [
            ("product_id", "4"),
            ("with_details", "1"),
            ("limit", "1000"),
            ("page", str(number)),
        ]
        assert_signed(request)


# ----------------------------------------------------------- iter_executions_since_time


def _execution(ident, second):
    return {"id": ident, "created_at": second, "price": "500.0", "quantity": "0.1"}


def _queries(mock):
    return [sent(mock, i).query for i in range(len(mock.calls))]


def test_iter_since_full_page_reasks_last_second_and_skips_seen(client, mocked):
    # Asked for 999 (one less than limit until the API shows that it completes the
    # last second), 999 come back, the last two in second 105; second 105 has one more.
    first = [_execution(i, 100) for i in range(1, 998)] + [
        _execution(998, 105),
        _execution(999, 105),
    ]
    again = [_execution(998, 105), _execution(999, 105), _execution(1000, 105)]
    mocked.get(f"{API}/executions", json=first)
    mocked.get(f"{API}/executions", json=again)
    mocked.get(f"{API}/executions", json=[])

    ids = [e["id"] for e in client.iter_executions_since_time(1, 100)]

    assert ids == list(range(1, 1001))
    assert _queries(mocked) == [
        [("product_id", "1"), ("timestamp", "100"), ("limit", "999")],
        [("product_id", "1"), ("timestamp", "105"), ("limit", "999")],
        [("product_id", "1"), ("timestamp", "106"), ("limit", "999")],
    ]
    for index in range(3):
        assert_public(sent(mocked, index))


def test_iter_since_short_page_continues_at_next_second(client, mocked):
    mocked.get(f"{API}/executions", json=[_execution(1, 50), _execution(2, 60)])
    mocked.get(f"{API}/executions", json=[_execution(3, 70)])
    mocked.get(f"{API}/executions", json=[])

    ids = [e["id"] for e in client.iter_executions_since_time(7, "50", limit=5)]

    assert ids == [1, 2, 3]
    assert [q[1] for q in _queries(mocked)] == [
        ("timestamp", "50"),
        ("timestamp", "61"),
        ("timestamp", "71"),
    ]
    assert all(q[2] == ("limit", "4") for q in _queries(mocked))  # limit - 1: no proof yet


def test_iter_since_long_page_continues_at_next_second(client, mocked):
    # The API completes the last second even past limit: 4 items for limit 2.
    long_page = [_execution(1, 10), _execution(2, 11), _execution(3, 11), _execution(4, 11)]
    mocked.get(f"{API}/executions", json=long_page)
    mocked.get(f"{API}/executions", json=[_execution(5, 12)])
    mocked.get(f"{API}/executions", json=[])

    ids = [e["id"] for e in client.iter_executions_since_time(1, 10, limit=2)]

    assert ids == [1, 2, 3, 4, 5]
    assert [q[1] for q in _queries(mocked)] == [
        ("timestamp", "10"),
        ("timestamp", "12"),
        ("timestamp", "13"),
    ]


def test_iter_since_full_page_of_seen_items_moves_on(client, mocked):
    page = [_execution(1, 20), _execution(2, 20)]
    mocked.get(f"{API}/executions", json=page[:1])  # asked for 1 (limit - 1)
    mocked.get(f"{API}/executions", json=page)  # second 20 again, asked for 2
    mocked.get(f"{API}/executions", json=page)  # nothing new in second 20
    mocked.get(f"{API}/executions", json=[])

    ids = [e["id"] for e in client.iter_executions_since_time(1, 20, limit=2)]

    assert ids == [1, 2]
    assert [q[1:] for q in _queries(mocked)] == [
        [("timestamp", "20"), ("limit", "1")],
        [("timestamp", "20"), ("limit", "2")],
        [("timestamp", "20"), ("limit", "2")],
        [("timestamp", "21"), ("limit", "1")],
    ]


def test_iter_since_accepts_string_fractional_timestamps(client, mocked):
    page = [
        {"id": 1, "created_at": "1596962820.000797146"},
        {"id": 2, "created_at": "1596962821.5"},
    ]
    mocked.get(f"{API}/executions", json=page)
    mocked.get(f"{API}/executions", json=[{"id": 2, "created_at": "1596962821.5"}])
    mocked.get(f"{API}/executions", json=[])

    ids = [e["id"] for e in client.iter_executions_since_time(1, 1596962820, limit=3)]

    assert ids == [1, 2]
    assert [q[1] for q in _queries(mocked)] == [
        ("timestamp", "1596962820"),
        ("timestamp", "1596962821"),
        ("timestamp", "1596962822"),
    ]


def test_iter_since_empty_first_page(client, mocked):
    mocked.get(f"{API}/executions", json=[])

    assert list(client.iter_executions_since_time(1, 100)) == []
    assert len(mocked.calls) == 1


def _honest_server(dataset, *, complete_last_second):
    """A callback answering GET /executions?timestamp like the API: ascending, from a second."""

    def answer(request):
        query = dict(parse_qsl(urlsplit(request.url).query))
        since = int(query["timestamp"])
        limit = int(query.get("limit", 20))
        later = [e for e in dataset if e["created_at"] >= since]
        page = later[:limit]
        if complete_last_second and page:
            last = page[-1]["created_at"]
            page += [e for e in later[limit:] if e["created_at"] == last]
        return 200, {"Content-Type": "application/json"}, json.dumps(page)

    return answer


# Several executions share boundary seconds (1000, 1003, 1004), ids are not time-ordered.
DATASET = [
    _execution(ident, second)
    for ident, second in [
        (40, 999),
        (11, 1000),
        (12, 1000),
        (5, 1000),
        (13, 1000),
        (20, 1001),
        (30, 1003),
        (31, 1003),
        (29, 1003),
        (50, 1004),
        (51, 1004),
        (52, 1004),
        (60, 1010),
    ]
]


@pytest.mark.parametrize("complete_last_second", [True, False])
@pytest.mark.parametrize("limit", [4, 5, 6, 1000])
def test_iter_since_against_honest_server_loses_and_repeats_nothing(
    client, mocked, limit, complete_last_second
):
    mocked.add_callback(
        responses.GET,
        f"{API}/executions",
        callback=_honest_server(DATASET, complete_last_second=complete_last_second),
    )

    items = list(client.iter_executions_since_time(3, 999, limit=limit))

    assert [e["id"] for e in items] == [e["id"] for e in DATASET]
    for index in range(len(mocked.calls)):
        query = sent(mocked, index).query
        assert query[0] == ("product_id", "3")
        # limit - 1 until the server shows that it completes the last second
        assert query[2] in (("limit", str(limit - 1)), ("limit", str(limit)))
    assert sent(mocked).query[1][1] == "1011"  # ended on an empty page after the last second


def test_iter_since_from_a_later_start(client, mocked):
    mocked.add_callback(
        responses.GET,
        f"{API}/executions",
        callback=_honest_server(DATASET, complete_last_second=True),
    )

    ids = [e["id"] for e in client.iter_executions_since_time(3, 1003, limit=2)]

    assert ids == [30, 31, 29, 50, 51, 52, 60]


@st.composite
def _datasets(draw):
    seconds = sorted(draw(st.lists(st.integers(0, 12), min_size=0, max_size=40)))
    ids = draw(st.permutations(list(range(1, len(seconds) + 1))))
    dataset = [_execution(i, 1000 + s) for i, s in zip(ids, seconds)]
    complete = draw(st.booleans())
    most_per_second = max((seconds.count(s) for s in set(seconds)), default=1)
    # Without completing the last second the API cannot page inside a second,
    # so only limits that hold a whole second are meaningful there.
    low = 1 if complete else most_per_second
    limit = draw(st.integers(low, max(low, 8)))
    return dataset, complete, limit


@settings(max_examples=200, deadline=None)
@given(case=_datasets())
def test_iter_since_property_every_execution_exactly_once(case):
    dataset, complete, limit = case
    server = _honest_server(dataset, complete_last_second=complete)
    calls = []

    def fetch(product_id, timestamp, limit=None):
        calls.append((product_id, timestamp, limit))
        url = f"{API}/executions?product_id={product_id}&timestamp={timestamp}&limit={limit}"
        request = type("Request", (), {"url": url})()
        return json.loads(server(request)[2])

    with Quoinex("1234", "secret") as client:
        client.get_executions_since_time = fetch  # the walk only uses this method
        ids = [e["id"] for e in client.iter_executions_since_time(1, 1000, limit=limit)]

    assert ids == [e["id"] for e in dataset]
    assert all(max(1, limit - 1) <= call[2] <= limit for call in calls)
    assert len(calls) <= 2 * len(dataset) + 2  # no runaway loop


# ------------------------------------------------------------------------------ validation


@pytest.mark.parametrize("bad", [0, -1, "abc", 1.5, None, True, ""])
@pytest.mark.parametrize(
    "call",
    [
        lambda c, p: c.get_executions(p),
        lambda c, p: list(c.iter_executions(p)),
        lambda c, p: c.get_executions_since_time(p, 100),
        lambda c, p: list(c.iter_executions_since_time(p, 100)),
        lambda c, p: c.get_my_executions(p),
        lambda c, p: list(c.iter_my_executions(p)),
    ],
    ids=["get", "iter", "since", "iter_since", "me", "iter_me"],
)
def test_bad_product_id_is_rejected(client, mocked, bad, call):
    assert_rejected(mocked, "product_id must be a positive integer", call, client, bad)


@pytest.mark.parametrize(
    ("limit", "fragment"),
    [
        (0, "limit must be a positive integer"),
        (-1, "limit must be a positive integer"),
        (1001, "limit must be between 1 and 1000"),
        ("x", "limit must be a positive integer"),
    ],
)
@pytest.mark.parametrize(
    "call",
    [
        lambda c, limit: c.get_executions(1, limit),
        lambda c, limit: c.get_executions_since_time(1, 100, limit),
        lambda c, limit: list(c.iter_executions_since_time(1, 100, limit=limit)),
        lambda c, limit: c.get_my_executions(1, limit),
    ],
    ids=["get", "since", "iter_since", "me"],
)
def test_bad_limit_is_rejected(client, mocked, limit, fragment, call):
    assert_rejected(mocked, fragment, call, client, limit)


@pytest.mark.parametrize("page", [0, -1, "x"])
def test_bad_page_is_rejected(client, mocked, page):
    assert_rejected(mocked, "page must be a positive integer", client.get_executions, 1, 20, page)
    assert_rejected(
        mocked, "page must be a positive integer", client.get_my_executions, 1, 20, page
    )


@pytest.mark.parametrize(
    ("timestamp", "fragment"),
    [
        (1514764800000, "looks like milliseconds"),
        (-1, "must be a time after 1970"),
        ("not a date", "timestamp is not a date or unix time"),
        (None, "timestamp must be a time"),
        (True, "timestamp must be a time"),
    ],
)
def test_bad_timestamp_is_rejected(client, mocked, timestamp, fragment):
    assert_rejected(mocked, fragment, client.get_executions_since_time, 1, timestamp)
    assert_rejected(mocked, fragment, client.iter_executions_since_time, 1, timestamp)


# ---------------------------------------------------------------------------------- errors


def test_executions_error_is_raised(client, mocked):
    mocked.get(f"{API}/executions/me", status=422, json={"errors": {"product": ["invalid"]}})

    with pytest.raises(QuoineAPIException) as caught:
        client.get_my_executions(999)

    assert caught.value.status_code == 422
    assert caught.value.messages == {"product": ["invalid"]}
