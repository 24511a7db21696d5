"""Found by trying to break the sandbox's Liquid Tap server (helper realtime-break).

A JSON escape can decode to a lone UTF-16 surrogate: a str that cannot be encoded
as UTF-8. The server echoes channel names in its answers, and sending such a
name used to kill the connection from inside websockets ("unexpected internal
error", no close frame). Such a frame is now answered like any malformed one.
"""

from __future__ import annotations

import json

import pytest
from _tap import tap

from quoine.sandbox import Sandbox


def still_serves(t) -> None:  # type: ignore[no-untyped-def]
    t.send("pusher:ping", "")
    assert t.recv() == {"data": {}, "event": "pusher:pong"}


LONE_SURROGATES = [
    # the channel echoed in subscription_succeeded, in 4009, in "too many channels"
    '{"event": "pusher:subscribe", "data": {"channel": "\\ud800"}}',
    '{"event": "pusher:subscribe", "data": {"channel": "user_\\udfff"}}',
    '{"event": "pusher:subscribe", "channel": "a\\udbff", "data": {}}',
    # data given as a JSON string (the doubled backslash survives the outer decoding)
    '{"event": "pusher:subscribe", "data": "{\\"channel\\": \\"\\\\ud800x\\"}"}',
    '{"event": "pusher:unsubscribe", "data": {"channel": "\\ud800"}}',
    '{"event": "quoine:auth_request", "data": {"headers": {"X-Quoine-Auth": "\\ud800"}}}',
]


@pytest.mark.parametrize("text", LONE_SURROGATES)
def test_a_lone_surrogate_is_a_malformed_frame_not_a_dead_connection(
    sandbox: Sandbox, text: str
) -> None:
    with tap(sandbox) as t:
        t.ws.send(text)
        reply = t.recv()
        assert reply["event"] == "pusher:error"
        assert "surrogate" in reply["data"]["message"]
        assert "channel" not in reply
        still_serves(t)


def test_a_surrogate_pair_is_text_and_is_echoed(sandbox: Sandbox) -> None:
    """Escaped the way json.dumps escapes by default, an emoji is a valid channel name."""
    with tap(sandbox) as t:
        t.ws.send(json.dumps({"event": "pusher:subscribe", "data": {"channel": "x\U0001f600"}}))
        assert t.recv() == {
            "channel": "x\U0001f600",
            "data": {},
            "event": "pusher_internal:subscription_succeeded",
        }
        still_serves(t)
