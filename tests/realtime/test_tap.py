"""LiquidTap against a scripted server: login, channels, reading, heartbeat, reconnects."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from decimal import Decimal

import pytest
from realtime._fakeserver import SECRET, TOKEN_ID, FakeTap

from quoine._auth import NonceGenerator
from quoine.client import QuoineCredentialsError, Quoinex
from quoine.exceptions import (
    QuoineAuthenticationError,
    QuoineConnectionError,
    QuoineSSLError,
    QuoineTimeoutError,
    QuoineValidationError,
)
from quoine.realtime import (
    Event,
    Gap,
    LiquidTap,
    Overflow,
    QuoineRealtimeAuthError,
    QuoineRealtimeClosed,
    QuoineRealtimeError,
)

LADDER = "price_ladders_cash_btcusd_buy"
FAST = {"backoff": (0.001, 0.01), "timeout": 5.0}


@pytest.fixture
def tap(fake_tap: FakeTap) -> Iterator[LiquidTap]:
    with LiquidTap(url=fake_tap.url, token_id=TOKEN_ID, secret=SECRET, **FAST) as connection:
        yield connection


def next_event(tap: LiquidTap) -> object:
    event = tap.get(timeout=10)
    assert event is not None, "no event within 10 s"
    return event


def test_login_uses_the_clients_nonce_sequence(fake_tap: FakeTap) -> None:
    nonces = NonceGenerator(start=10**15)
    client = Quoinex(TOKEN_ID, SECRET, nonces=nonces)
    with LiquidTap(client, url=fake_tap.url, **FAST) as tap:
        assert tap.authenticated
    assert fake_tap.auth_payloads == [
        {"path": "/realtime", "nonce": 10**15 + 1, "token_id": TOKEN_ID}
    ]
    assert nonces.last == 10**15 + 1
    auth = fake_tap.frames[0][0]
    assert auth["event"] == "quoine:auth_request" and auth["data"]["path"] == "/realtime"


def test_refused_login_raises_the_authentication_error(fake_tap: FakeTap) -> None:
    fake_tap.refuse_auth = True
    with pytest.raises(QuoineRealtimeAuthError) as caught:
        LiquidTap(url=fake_tap.url, token_id=TOKEN_ID, secret=SECRET, **FAST)
    assert isinstance(caught.value, QuoineAuthenticationError)
    assert caught.value.status_code == 401
    assert str(caught.value) == "the realtime service refused the login: invalid token"
    assert SECRET not in repr(caught.value)


def test_public_connection_sends_no_login(fake_tap: FakeTap) -> None:
    with LiquidTap(url=fake_tap.url, **FAST) as tap:
        tap.subscribe(LADDER)
        with pytest.raises(QuoineCredentialsError):
            tap.subscribe("user_account_usd_orders")
        assert repr(tap).endswith("public, connected, channels=1)")
    assert [f["event"] for f in fake_tap.frames[0]] == ["pusher:subscribe"]


def test_events_are_decoded_and_iterated(tap: LiquidTap, fake_tap: FakeTap) -> None:
    tap.subscribe(LADDER, "executions_cash_btcusd")
    assert tap.channels == (LADDER, "executions_cash_btcusd")
    fake_tap.publish(LADDER, [["100.5", "1"]])
    fake_tap.publish("executions_cash_btcusd", {"id": 1, "price": 100.5}, event="created")
    assert next_event(tap) == Event(LADDER, "updated", [(Decimal("100.5"), Decimal("1"))])
    assert next_event(tap) == Event(
        "executions_cash_btcusd", "created", {"id": 1, "price": Decimal("100.5")}
    )
    assert tap.get(timeout=0) is None
    assert list(tap.events(timeout=0)) == []


def test_unsubscribe(tap: LiquidTap, fake_tap: FakeTap) -> None:
    tap.subscribe(LADDER)
    tap.unsubscribe(LADDER)
    fake_tap.wait_for(lambda: not fake_tap.subscriptions[fake_tap.connections[0]])
    assert tap.channels == ()
    assert fake_tap.frames[0][-1] == {"event": "pusher:unsubscribe", "data": {"channel": LADDER}}


def test_refused_subscription_raises(tap: LiquidTap, fake_tap: FakeTap) -> None:
    fake_tap.refuse_channels.add("user_secret")
    with pytest.raises(
        QuoineRealtimeError, match="subscribing to user_secret was refused: not allowed"
    ):
        tap.subscribe("user_secret")
    assert tap.channels == ()
    event = next_event(tap)
    assert isinstance(event, Event) and event.event == "pusher:error"


def test_malformed_frames_never_stop_the_reader(tap: LiquidTap, fake_tap: FakeTap) -> None:
    tap.subscribe(LADDER)
    for junk in [
        "not json",
        "2026-11-30T00:00:00Z",
        "[]",
        '{"data": 1}',
        b"\x00\xff",
        '{"event": "x"}',
    ]:
        fake_tap.send_raw(junk, LADDER)
    fake_tap.publish(LADDER, [["1", "1"]])
    events = [next_event(tap), next_event(tap)]
    assert events[0] == Event(None, "x", None)
    assert events[1] == Event(LADDER, "updated", [(Decimal(1), Decimal(1))])
    assert tap.stats["malformed"] == 5
    assert tap.connected


def test_server_ping_is_answered(tap: LiquidTap, fake_tap: FakeTap) -> None:
    tap.subscribe(LADDER)
    fake_tap.send_raw('{"event": "pusher:ping", "data": {}}')
    fake_tap.wait_for(lambda: {"event": "pusher:pong", "data": {}} in fake_tap.frames[0])


def test_drop_reconnects_logs_in_with_a_fresh_nonce_and_resubscribes(
    tap: LiquidTap, fake_tap: FakeTap
) -> None:
    tap.subscribe(LADDER, "user_account_usd_orders")
    fake_tap.drop()
    gap = next_event(tap)
    assert isinstance(gap, Gap) and gap.reason.startswith("connection closed")
    fake_tap.wait_subscribed(LADDER, "user_account_usd_orders")
    first, second = fake_tap.auth_payloads
    assert second["nonce"] > first["nonce"]
    assert [f["event"] for f in fake_tap.frames[1]] == [
        "quoine:auth_request",
        "pusher:subscribe",
        "pusher:subscribe",
    ]
    fake_tap.publish(LADDER, [["2", "2"]])
    assert next_event(tap) == Event(LADDER, "updated", [(Decimal(2), Decimal(2))])
    assert tap.stats["reconnects"] == 1


def test_missed_pong_reconnects(fake_tap: FakeTap) -> None:
    fake_tap.answer_pings = False
    with LiquidTap(url=fake_tap.url, ping_interval=0.05, pong_timeout=0.05, **FAST) as tap:
        gap = next_event(tap)
        fake_tap.answer_pings = True
    assert gap == Gap("no pong within 0.05 s", 1)
    assert len(fake_tap.connections) >= 2


def test_pusher_error_4200_reconnects_at_once(tap: LiquidTap, fake_tap: FakeTap) -> None:
    tap.subscribe(LADDER)
    fake_tap.send_raw(
        json.dumps({"event": "pusher:error", "data": {"code": 4200, "message": "go"}})
    )
    gap = next_event(tap)
    assert gap == Gap("pusher:error 4200: go", 1)


def test_pusher_error_4001_is_fatal_for_the_reader(tap: LiquidTap, fake_tap: FakeTap) -> None:
    tap.subscribe(LADDER)
    fake_tap.send_raw(
        json.dumps({"event": "pusher:error", "data": {"code": 4001, "message": "no app"}})
    )
    with pytest.raises(QuoineRealtimeError, match="pusher:error 4001: no app") as caught:
        next_event(tap)
    assert caught.value.code == 4001
    assert tap.closed
    with pytest.raises(QuoineRealtimeClosed):
        tap.get(timeout=0)


def test_refused_login_after_a_reconnect_reaches_the_reader(
    tap: LiquidTap, fake_tap: FakeTap
) -> None:
    fake_tap.refuse_auth = True
    fake_tap.drop()
    with pytest.raises(QuoineRealtimeAuthError):
        next_event(tap)
    assert tap.closed


def test_giving_up_reconnecting(fake_tap: FakeTap) -> None:
    tap = LiquidTap(url=fake_tap.url, max_reconnects=2, **FAST)
    fake_tap.stop()
    fake_tap.drop()
    with pytest.raises(QuoineConnectionError, match="gave up reconnecting after 2 attempts"):
        next_event(tap)
    tap.close()


def test_a_reader_that_falls_behind_gets_an_overflow_event(fake_tap: FakeTap) -> None:
    with LiquidTap(url=fake_tap.url, max_events=3, **FAST) as tap:
        seen: list[Event] = []
        all_in = threading.Event()
        tap.add_handler(LADDER, lambda e: (seen.append(e), len(seen) == 10 and all_in.set()))
        tap.subscribe(LADDER)
        for i in range(10):
            fake_tap.publish(LADDER, [[str(i + 1), "1"]])
        assert all_in.wait(10)
        assert tap.backlog == 3
        got = [next_event(tap) for _ in range(4)]
        assert tap.get(timeout=0) is None
    assert [e.data[0][0] for e in got[:3]] == [1, 2, 3]  # type: ignore[union-attr]
    assert got[3] == Overflow(7)


def test_close_from_another_thread_wakes_a_blocked_reader(tap: LiquidTap) -> None:
    outcome: list[object] = []
    reader = threading.Thread(target=lambda: outcome.append(list(tap.events())))
    reader.start()
    tap.close()
    reader.join(10)
    assert not reader.is_alive() and outcome == [[]]
    with pytest.raises(QuoineRealtimeClosed):
        tap.get()
    with pytest.raises(QuoineRealtimeClosed):
        tap.subscribe(LADDER)
    tap.close()  # twice is fine


def test_no_secret_or_token_in_repr_or_logs(
    fake_tap: FakeTap, caplog: pytest.LogCaptureFixture
) -> None:
    with LiquidTap(url=fake_tap.url, token_id=TOKEN_ID, secret=SECRET, **FAST) as tap:
        text = repr(tap)
        fake_tap.drop()
        next_event(tap)
    token = fake_tap.frames[0][0]["data"]["headers"]["X-Quoine-Auth"]
    signature = token.rsplit(".", 1)[1]
    assert SECRET not in text and "secret='***'" in text
    client_logs = "\n".join(r.getMessage() for r in caplog.records if r.name != "websockets.server")
    assert "auth_request" in client_logs  # the frame was logged, hidden
    assert signature[-8:] not in client_logs and SECRET not in client_logs


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"url": "https://tap"}, "url must start with ws:// or wss://"),
        ({"url": "ws://x", "token_id": "1"}, "token_id and secret go together"),
        ({"url": "ws://x", "timeout": 0}, "timeout must be a positive number"),
        ({"url": "ws://x", "max_events": 0}, "max_events must be a positive int"),
        ({"url": "ws://x", "token_id": "1", "secret": "a b"}, "secret"),
    ],
)
def test_bad_arguments(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(QuoineValidationError, match=message):
        LiquidTap(**kwargs)  # type: ignore[arg-type]


def test_unreachable_server_is_a_connection_error(fake_tap: FakeTap) -> None:
    url = fake_tap.url
    fake_tap.stop()
    with pytest.raises(QuoineConnectionError, match=r"cannot connect to ws://127\.0\.0\.1"):
        LiquidTap(url=url, **FAST)


def test_tls_is_verified() -> None:
    trustme = pytest.importorskip("trustme")
    import ssl

    from websockets.sync.server import serve

    ca = trustme.CA()
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(server_context)

    def hello(conn: object) -> None:
        conn.send('{"data": "{}", "event": "pusher:connection_established"}')  # type: ignore[attr-defined]
        for _ in conn:  # type: ignore[attr-defined]
            pass

    with serve(hello, "127.0.0.1", 0, ssl=server_context) as server:
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        url = f"wss://127.0.0.1:{server.socket.getsockname()[1]}/app/LiquidTapClient"
        with pytest.raises(QuoineSSLError, match="TLS failed"):
            LiquidTap(url=url, **FAST)
        client_context = ssl.create_default_context()
        ca.configure_trust(client_context)
        with LiquidTap(url=url, ssl=client_context, **FAST) as tap:
            assert tap.connected
        server.shutdown()


def test_import_without_websockets_says_how_to_install() -> None:
    code = (
        "import sys; sys.modules['websockets'] = None\n"
        "try:\n    import quoine.realtime\nexcept ImportError as e:\n    print(e)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "pip install 'python-quoine[realtime]'" in out.stdout


def test_answered_pings_keep_the_connection(fake_tap: FakeTap) -> None:
    with LiquidTap(url=fake_tap.url, ping_interval=0.01, pong_timeout=5, **FAST) as tap:
        fake_tap.wait_for(lambda: len(fake_tap.frames[0]) >= 5)
        assert tap.connected
    assert {f["event"] for f in fake_tap.frames[0]} == {"pusher:ping"}
    assert tap.stats["reconnects"] == 0 and len(fake_tap.connections) == 1


def test_no_connection_established_is_a_timeout(fake_tap: FakeTap) -> None:
    fake_tap.hello = '{"event": "something:else", "data": {}}'
    with pytest.raises(QuoineTimeoutError, match="no pusher:connection_established within"):
        LiquidTap(url=fake_tap.url, timeout=0.2)


def test_a_do_not_reconnect_error_at_connect_raises(fake_tap: FakeTap) -> None:
    fake_tap.hello = json.dumps({"event": "pusher:error", "data": {"code": 4001, "message": "x"}})
    with pytest.raises(QuoineRealtimeError, match="pusher:error 4001: x"):
        LiquidTap(url=fake_tap.url, **FAST)
    fake_tap.hello = json.dumps({"event": "pusher:error", "data": {"code": 4100, "message": "y"}})
    with pytest.raises(QuoineConnectionError, match="pusher:error 4100: y"):
        LiquidTap(url=fake_tap.url, **FAST)


def test_unconfirmed_subscription_times_out(fake_tap: FakeTap) -> None:
    fake_tap.unacked.add(LADDER)
    with LiquidTap(url=fake_tap.url, backoff=(0.001, 0.01), timeout=0.2) as tap:
        with pytest.raises(QuoineTimeoutError, match=f"subscription to {LADDER}"):
            tap.subscribe(LADDER)
        tap.subscribe("other", wait=False)
        assert tap.channels == (LADDER, "other")


def test_unknown_connection_errors_are_events(tap: LiquidTap, fake_tap: FakeTap) -> None:
    tap.subscribe(LADDER)
    fake_tap.send_raw('{"event": "pusher:error", "data": {"message": "unknown event"}}')
    fake_tap.send_raw('{"event": "pusher:error", "data": {"code": 4301, "message": "slow"}}')
    assert next_event(tap) == Event(None, "pusher:error", {"message": "unknown event"})
    assert next_event(tap) == Event(None, "pusher:error", {"code": 4301, "message": "slow"})
    assert tap.connected and tap.stats["reconnects"] == 0


def test_pusher_error_4100_reconnects_after_a_backoff(tap: LiquidTap, fake_tap: FakeTap) -> None:
    tap.subscribe(LADDER)
    fake_tap.send_raw(json.dumps({"event": "pusher:error", "data": {"code": "4100"}}))
    gap = next_event(tap)
    assert isinstance(gap, Gap) and gap.reason.startswith("pusher:error 4100")


def test_a_failing_handler_is_logged_and_the_event_still_delivered(
    tap: LiquidTap, fake_tap: FakeTap, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(event: Event) -> None:
        raise RuntimeError("bug")

    tap.add_handler(LADDER, broken)
    tap.subscribe(LADDER)
    fake_tap.publish(LADDER, [])
    assert next_event(tap) == Event(LADDER, "updated", [])
    assert f"a handler of {LADDER} failed" in caplog.text


def test_events_during_resubscription_follow_the_gap(tap: LiquidTap, fake_tap: FakeTap) -> None:
    tap.subscribe(LADDER, "other")
    refreshed: list[int] = []
    tap.add_refresher(lambda: refreshed.append(tap.backlog))
    # Sent after each confirmation: the first one arrives while "other" is unconfirmed.
    fake_tap.after_ack = [json.dumps({"channel": LADDER, "data": "[]", "event": "updated"})]
    fake_tap.drop()
    assert isinstance(next_event(tap), Gap)
    assert next_event(tap) == Event(LADDER, "updated", [])
    assert next_event(tap) == Event(LADDER, "updated", [])
    assert refreshed == [0]  # the refresher ran before the Gap was queued


def test_a_failing_refresh_still_gives_the_gap(
    tap: LiquidTap, fake_tap: FakeTap, caplog: pytest.LogCaptureFixture
) -> None:
    def refresh() -> None:
        raise QuoineConnectionError("REST is down")

    def broken() -> None:
        raise KeyError("buy_price_levels")

    tap.add_refresher(refresh)
    tap.add_refresher(broken)
    fake_tap.drop()
    assert isinstance(next_event(tap), Gap)
    assert "refreshing from REST after a gap failed: REST is down" in caplog.text
    assert "refreshing from REST after a gap failed: 'buy_price_levels'" in caplog.text


def test_unconfirmed_resubscription_retries(fake_tap: FakeTap) -> None:
    with LiquidTap(url=fake_tap.url, backoff=(0.001, 0.01), timeout=0.3) as tap:
        tap.subscribe(LADDER)
        fake_tap.unacked.add(LADDER)
        fake_tap.drop()
        fake_tap.wait_for(lambda: len(fake_tap.connections) >= 3)
        fake_tap.unacked.clear()
        gap = next_event(tap)
    assert isinstance(gap, Gap) and gap.attempts >= 2


def test_iterating_the_connection(tap: LiquidTap, fake_tap: FakeTap) -> None:
    tap.subscribe(LADDER)
    fake_tap.publish(LADDER, [])
    for event in tap:
        assert event == Event(LADDER, "updated", [])
        break


def test_more_bad_arguments(fake_tap: FakeTap) -> None:
    with pytest.raises(QuoineValidationError, match="either a client or token_id"):
        LiquidTap(Quoinex(TOKEN_ID, SECRET), url=fake_tap.url, token_id=TOKEN_ID, secret=SECRET)
    with LiquidTap(Quoinex(), url=fake_tap.url, **FAST) as tap:
        assert not tap.authenticated
        with pytest.raises(QuoineValidationError, match="a channel is a non-empty name"):
            tap.subscribe("")
    with LiquidTap(url=fake_tap.url, **FAST) as tap:  # noqa: SIM117 (Python 3.9)
        with pytest.raises(QuoineValidationError, match="order_book needs a REST client"):
            tap.order_book(1)
