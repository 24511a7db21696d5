"""Fault injection for reliability tests (all off unless asked for).

Kinds:

``latency``
    Sleep ``delay`` seconds, then answer normally.
``error_5xx``
    Answer ``status`` (default 502) with a Cloudflare-style HTML page. With
    ``commit=True`` the request is processed first (state changes), otherwise not.
``rate_limit``
    Answer ``status`` (default 429) with a ``Retry-After`` header (default
    ``"300"``) and the real rate-limit JSON body, without processing.
``drop_before_processing``
    Close the connection without processing the request or answering.
``drop_after_processing``
    Process the request (state changes), then close the connection without
    sending a response.
``truncated_body``
    Process the request, send headers with the full ``Content-Length`` but
    only part of the body, then close.
``hang``
    Optionally process (``commit=True``), then send nothing for ``delay``
    seconds (default 30, cut short when the server stops) and close: a read
    timeout for the client.

The socket-level kinds (drop, truncate, hang) need the bundled server; a bare
WSGI app only marks them in ``environ["quoine.sandbox.fault"]``.

Realtime kinds (:data:`TAP_FAULT_KINDS`, for the Liquid Tap server of
:mod:`quoine.sandbox.tap`; never fired by HTTP requests). Their ``path`` is a
glob over the event name of a frame the client sends (``pusher:ping``,
``pusher:subscribe`` ...) or the channel of an event about to be delivered
(``price_ladders_cash_btcjpy_*``); no ``path`` matches any frame:

``tap_drop``
    Drop the websocket connection at once (no close frame).
``tap_no_pong``
    Do not answer a ``pusher:ping`` (``path`` defaults to ``pusher:ping``).
``tap_error``
    Send ``pusher:error`` with code ``status`` (default 4200, "reconnect
    immediately"), then close the connection with that code.
"""

from __future__ import annotations

import fnmatch
import random
import threading
from typing import Any

__all__ = ["FAULT_KINDS", "TAP_FAULT_KINDS", "Fault", "FaultInjector"]

FAULT_KINDS = (
    "latency",
    "error_5xx",
    "rate_limit",
    "drop_before_processing",
    "drop_after_processing",
    "truncated_body",
    "hang",
)
TAP_FAULT_KINDS = ("tap_drop", "tap_no_pong", "tap_error")
_ALIASES = {"html_5xx": "error_5xx", "5xx": "error_5xx", "429": "rate_limit"}

CLOUDFLARE_PAGE = """<!DOCTYPE html>
<html><head><title>{status} Bad gateway | api.liquid.com | Cloudflare</title></head>
<body><div id="cf-wrapper"><h1>Bad gateway <span>Error code {status}</span></h1>
<p>The web server reported a bad gateway error.</p>
<p>Cloudflare Ray ID: 0000000000000000 &bull; Performance &amp; security by
Cloudflare</p></div></body></html>
"""


class Fault:
    """One fault rule; see the module docstring for the kinds."""

    def __init__(
        self,
        kinds: tuple[str, ...],
        *,
        method: str | None = None,
        path: str | None = None,
        times: int | None = 1,
        probability: float = 1.0,
        delay: float | None = None,
        status: int | None = None,
        retry_after: str | None = "300",
        commit: bool = False,
    ) -> None:
        self.kinds = kinds
        self.method = method.upper() if method else None
        self.path = path
        self.times = times
        self.probability = probability
        self.delay = delay
        self.status = status
        self.retry_after = retry_after
        self.commit = commit
        self.fired = 0

    def matches(self, method: str, path: str) -> bool:
        """Whether this rule applies to a request (ignoring probability)."""
        if self.times is not None and self.fired >= self.times:
            return False
        if self.method and self.method != method:
            return False
        return not self.path or fnmatch.fnmatchcase(path, self.path)

    def __repr__(self) -> str:
        return f"Fault({'/'.join(self.kinds)}, {self.method} {self.path}, fired={self.fired})"


class Fired:
    """A fault chosen for one request."""

    def __init__(self, rule: Fault, kind: str) -> None:
        self.rule = rule
        self.kind = kind

    @property
    def delay(self) -> float:
        """Seconds to wait (latency and hang)."""
        if self.rule.delay is not None:
            return self.rule.delay
        return 30.0 if self.kind == "hang" else 0.2

    @property
    def processes(self) -> bool:
        """Whether the request is processed (state changed) under this fault."""
        if self.kind in ("latency", "drop_after_processing", "truncated_body"):
            return True
        return self.kind in ("error_5xx", "hang") and self.rule.commit

    def response(self) -> tuple[int, list[tuple[str, str]], bytes] | None:
        """The replacement response for 5xx and rate-limit faults."""
        if self.kind == "error_5xx":
            status = self.rule.status or 502
            body = CLOUDFLARE_PAGE.format(status=status).encode()
            return status, [("Content-Type", "text/html; charset=UTF-8")], body
        if self.kind == "rate_limit":
            status = self.rule.status or 429
            headers = [("Content-Type", "application/json; charset=utf-8")]
            if self.rule.retry_after is not None:
                headers.append(("Retry-After", self.rule.retry_after))
            msg = b'{"message":"API rate limit exceeded. Please retry after 300s"}'
            return status, headers, msg
        return None


class FaultInjector:
    """The set of active fault rules of one app.

    Example:
        ``sb.faults.add("drop_after_processing", method="POST", path="/orders")``
        fails the next ``POST /orders`` once; ``sb.faults.add_random(0.3,
        seed=1)`` fails 30 % of all requests with a random kind.

    Args:
        seed: Seed for probability draws and random kind choice.
    """

    def __init__(self, seed: int | None = None) -> None:
        self.rules: list[Fault] = []
        self.log: list[tuple[str, str, str]] = []
        self._rng = random.Random(seed)
        self._lock = threading.Lock()

    def add(self, kind: str, **options: Any) -> Fault:
        """Add a rule.

        Args:
            kind: One of :data:`FAULT_KINDS` (``html_5xx`` and ``429`` are aliases).
            **options: ``method``, ``path`` (exact or a glob such as
                ``/orders/*``; the query string is ignored), ``times`` (default 1,
                None = unlimited), ``probability`` (default 1.0), ``delay``,
                ``status``, ``retry_after``, ``commit``.

        Returns:
            The rule; its ``fired`` attribute counts how often it fired.
        """
        name = _ALIASES.get(kind, kind)
        if name not in FAULT_KINDS + TAP_FAULT_KINDS:
            raise ValueError(f"unknown fault kind {kind!r}")
        if name == "tap_no_pong":
            options.setdefault("path", "pusher:ping")
        rule = Fault((name,), **options)
        with self._lock:
            self.rules.append(rule)
        return rule

    def add_random(
        self,
        probability: float,
        kinds: tuple[str, ...] = ("error_5xx", "rate_limit", "drop_after_processing"),
        *,
        seed: int | None = None,
        **options: Any,
    ) -> Fault:
        """Fail each matching request with ``probability``, picking a kind at random.

        Args:
            probability: Chance in [0, 1] that a request gets a fault.
            kinds: Kinds to choose from.
            seed: Reseed the random generator (for reproducible soak tests).
            **options: As for :meth:`add`; ``times`` defaults to unlimited.

        Returns:
            The rule.
        """
        names = tuple(_ALIASES.get(k, k) for k in kinds)
        for name in names:
            if name not in FAULT_KINDS:
                raise ValueError(f"unknown fault kind {name!r}")
        options.setdefault("times", None)
        rule = Fault(names, probability=probability, **options)
        with self._lock:
            if seed is not None:
                self._rng.seed(seed)
            self.rules.append(rule)
        return rule

    def clear(self) -> None:
        """Remove every rule."""
        with self._lock:
            self.rules.clear()

    def pick(self, method: str, path: str, *, realtime: bool = False) -> Fired | None:
        """Choose the fault for a request, if any (first matching rule wins).

        ``realtime=True`` picks among the realtime kinds only (for a websocket
        frame), False among the HTTP kinds only.
        """
        if not self.rules:
            return None
        with self._lock:
            for rule in self.rules:
                if (rule.kinds[0] in TAP_FAULT_KINDS) != realtime:
                    continue
                if not rule.matches(method, path):
                    continue
                if rule.probability < 1.0 and self._rng.random() >= rule.probability:
                    continue
                rule.fired += 1
                kind = rule.kinds[0]
                if len(rule.kinds) > 1:
                    kind = self._rng.choice(rule.kinds)
                self.log.append((kind, method, path))
                return Fired(rule, kind)
        return None
