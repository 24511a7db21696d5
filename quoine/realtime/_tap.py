"""The Liquid Tap connection: connect, authenticate, subscribe, read, stay alive.

One hidden daemon thread per :class:`LiquidTap` reads the socket, answers and
sends heartbeats, decodes frames, feeds the order books and order trackers, and
queues events for the reader in a bounded :class:`~quoine.realtime._inbox.Inbox`.
When the connection drops it reconnects with backoff, logs in again with a fresh
nonce, subscribes again, rebuilds the books from REST and queues a :class:`Gap`.
The reader reads on its own thread with :meth:`LiquidTap.get` or by iterating.
"""

from __future__ import annotations

import contextlib
import json
import logging
import random
import ssl
import threading
import time
from collections.abc import Iterable, Iterator
from ssl import SSLError, create_default_context
from types import TracebackType
from typing import TYPE_CHECKING, Any, Callable

from websockets.exceptions import ConnectionClosed, WebSocketException
from websockets.sync.client import ClientConnection, connect

from .._auth import NonceGenerator, QuoineAuth
from .._version import __version__
from ..client import _check_credential
from ..exceptions import (
    QuoineConnectionError,
    QuoineCredentialsError,
    QuoineError,
    QuoineSSLError,
    QuoineTimeoutError,
    QuoineValidationError,
)
from ._book import OrderBook
from ._errors import QuoineRealtimeAuthError, QuoineRealtimeClosed, QuoineRealtimeError
from ._events import Event, Gap, TapEvent, decode_frame, scrub
from ._inbox import Inbox
from ._trackers import MyOrders, open_order_book, track_my_orders

if TYPE_CHECKING:
    from ..client import Quoine

__all__ = ["AUTH_PATH", "DEFAULT_URL", "LiquidTap"]

#: The production endpoint (the app key in the path is not checked by the server).
DEFAULT_URL = "wss://tap.liquid.com/app/LiquidTapClient"
#: The ``path`` claim of the realtime login token.
AUTH_PATH = "/realtime"

logger = logging.getLogger("quoine.realtime")
_PING = json.dumps({"event": "pusher:ping", "data": {}})
_PONG = json.dumps({"event": "pusher:pong", "data": {}})
_IGNORED = frozenset({"pusher:connection_established", "quoine:auth_success", "pusher:pong"})

Handler = Callable[[Event], None]


class _Drop(Exception):
    """The connection is lost or unusable: reconnect (at once if ``immediate``)."""

    def __init__(self, reason: str, *, immediate: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.immediate = immediate


class _Fatal(Exception):
    """The connection cannot go on: hand ``error`` to the reader and stop."""

    def __init__(self, error: QuoineError) -> None:
        super().__init__(str(error))
        self.error = error


class _ScrubbingLogger(logging.LoggerAdapter):  # type: ignore[type-arg]
    """websockets' logger, with any token removed from its DEBUG frame dumps."""

    def log(self, level: int, msg: object, *args: Any, **kwargs: Any) -> None:
        if self.isEnabledFor(level):
            text = str(msg) % args if args else str(msg)
            if "auth_request" in text:  # its dump shows the token's last characters
                text = text.split("'", 1)[0] + "(quoine:auth_request, hidden)"
            kwargs.pop("extra", None)
            self.logger.log(level, "%s", scrub(text), **kwargs)


class LiquidTap:
    """A connection to Liquid Tap, the exchange's realtime service.

    Connects (and logs in when credentials are available) when created, then keeps
    the connection alive on a hidden daemon thread until :meth:`close`: it pings
    every ``ping_interval`` seconds, and after a drop, a missed pong or a
    ``pusher:error`` 4100-4299 it reconnects with exponential backoff, logs in
    again with a fresh nonce, subscribes every channel again, rebuilds the order
    books from REST and queues a :class:`~quoine.realtime.Gap` event.

    Args:
        client: A REST client. Its API token logs in (with nonces from the
            client's own sequence) and its public endpoints load order books.
            Optional for public channels read with :meth:`get`.
        url: The service URL (``ws://`` or ``wss://``); default
            ``wss://tap.liquid.com/app/LiquidTapClient``. ``Sandbox.tap_url`` for
            the local sandbox.
        token_id: API token id, when no ``client`` is given.
        secret: API secret, when no ``client`` is given. Never shown or logged.
        ssl: An :class:`ssl.SSLContext` for ``wss://`` (e.g. a private CA);
            certificates are always verified.
        timeout: Seconds to connect and log in, and to wait for a subscription
            to be confirmed (default 10).
        ping_interval: Seconds between ``pusher:ping`` frames (default 30; the
            service drops a connection idle for 120 s).
        pong_timeout: Seconds to wait for ``pusher:pong`` before reconnecting
            (default 10).
        max_events: Most events held for the reader (default 10,000); past it new
            events are dropped and the reader gets an
            :class:`~quoine.realtime.Overflow` event saying how many.
        max_reconnects: Give up after this many failed attempts in a row (the
            reader then gets :class:`~quoine.exceptions.QuoineConnectionError`);
            None (default) tries for ever.
        backoff: ``(first, longest)`` delay between attempts in seconds, doubling
            with jitter; default ``(0.1, 30)``.

    Raises:
        QuoineRealtimeAuthError: The service refused the login.
        QuoineConnectionError: The service cannot be reached (QuoineSSLError if
            TLS verification failed, QuoineTimeoutError if it did not answer).
        QuoineValidationError: A bad argument.

    Example:
        .. code-block:: python

            from quoine.realtime import LiquidTap

            with LiquidTap(client, url=tap_url) as tap:
                tap.subscribe("executions_cash_btcusd")
                for event in tap.events(timeout=1):
                    print(event.channel, event.data)
    """

    def __init__(
        self,
        client: Quoine | None = None,
        *,
        url: str = DEFAULT_URL,
        token_id: str | None = None,
        secret: str | None = None,
        ssl: ssl.SSLContext | None = None,
        timeout: float = 10.0,
        ping_interval: float = 30.0,
        pong_timeout: float = 10.0,
        max_events: int = 10_000,
        max_reconnects: int | None = None,
        backoff: tuple[float, float] = (0.1, 30.0),
    ) -> None:
        self.url = _check_url(url)
        self.client = client
        self._auth = _login_signer(client, token_id, secret)
        self._ssl = ssl
        self.timeout = _positive(timeout, "timeout")
        self.ping_interval = _positive(ping_interval, "ping_interval")
        self.pong_timeout = _positive(pong_timeout, "pong_timeout")
        if not isinstance(max_events, int) or max_events < 1:
            raise QuoineValidationError(f"max_events must be a positive int, got {max_events!r}")
        self.max_reconnects = max_reconnects
        self.backoff = (_positive(backoff[0], "backoff"), _positive(backoff[1], "backoff"))
        self.clock: Callable[[], float] = time.monotonic
        #: Counters: ``messages`` decoded, ``malformed`` frames skipped, ``reconnects``.
        self.stats = {"messages": 0, "malformed": 0, "reconnects": 0}
        self._inbox = Inbox(max_events)
        self._lock = threading.RLock()
        self._channels: dict[str, threading.Event] = {}
        self._refused: dict[str, str] = {}
        self._handlers: dict[str, list[Handler]] = {}
        self._refreshers: list[Callable[[], None]] = []
        self._closing = threading.Event()
        self._connected = False
        self._conn = self._open()
        self._connected = True
        self._thread = threading.Thread(target=self._run, name="quoine-tap", daemon=True)
        self._thread.start()

    # --- public API ----------------------------------------------------------

    def __repr__(self) -> str:
        login = f"token_id={self._auth.token_id!r}, secret='***'" if self._auth else "public"
        state = "closed" if self.closed else ("connected" if self._connected else "reconnecting")
        return f"LiquidTap(url={self.url!r}, {login}, {state}, channels={len(self._channels)})"

    @property
    def closed(self) -> bool:
        """True once :meth:`close` was called or the connection failed for good."""
        return self._closing.is_set()

    @property
    def connected(self) -> bool:
        """True while a connection is up (False while reconnecting and once closed)."""
        return self._connected and not self.closed

    @property
    def authenticated(self) -> bool:
        """True if the connection logs in (credentials were given)."""
        return self._auth is not None

    @property
    def channels(self) -> tuple[str, ...]:
        """The channels subscribed (they are subscribed again after a reconnection)."""
        with self._lock:
            return tuple(self._channels)

    @property
    def backlog(self) -> int:
        """How many events are waiting for the reader."""
        return len(self._inbox)

    def subscribe(self, *channels: str, wait: bool = True) -> None:
        """Subscribe to channels (again after every reconnection).

        Private channels (``user_...``) need credentials. Events of the channels
        then arrive through :meth:`get` as :class:`~quoine.realtime.Event`.

        Args:
            channels: Channel names, e.g. ``"price_ladders_cash_btcusd_buy"``,
                ``"executions_cash_btcusd"``, ``"user_account_usd_orders"``.
            wait: Wait until the server confirms each subscription (up to
                ``timeout`` seconds).

        Raises:
            quoine.exceptions.QuoineCredentialsError: A private channel without credentials.
            QuoineRealtimeError: The server refused the subscription.
            QuoineTimeoutError: No confirmation within ``timeout`` seconds.
            QuoineRealtimeClosed: The connection is closed.
        """
        for channel in channels:
            _check_channel(channel)
            if channel.startswith("user") and self._auth is None:
                raise QuoineCredentialsError(
                    f"{channel} is a private channel: give LiquidTap a client with "
                    "credentials (or token_id and secret)"
                )
        self._check_open()
        with self._lock:
            for channel in channels:
                self._channels.setdefault(channel, threading.Event())
                self._refused.pop(channel, None)
            conn = self._conn
        for channel in channels:
            self._send(conn, {"event": "pusher:subscribe", "data": {"channel": channel}})
        if wait:
            self._wait_subscribed(channels)

    def unsubscribe(self, *channels: str) -> None:
        """Stop receiving events of these channels (no reply is expected)."""
        with self._lock:
            for channel in channels:
                self._channels.pop(channel, None)
            conn = self._conn
        for channel in channels:
            self._send(conn, {"event": "pusher:unsubscribe", "data": {"channel": channel}})

    def get(self, timeout: float | None = None) -> TapEvent | None:
        """The next event, waiting up to ``timeout`` seconds (None: until one comes).

        Returns:
            An :class:`~quoine.realtime.Event` (a channel message),
            a :class:`~quoine.realtime.Gap` (reconnected: refresh your state), an
            :class:`~quoine.realtime.Overflow` (you fell behind: events were
            dropped), or None if the timeout passed.

        Raises:
            QuoineRealtimeClosed: The connection was closed (also wakes a reader
                blocked here when another thread calls :meth:`close`).
            QuoineRealtimeAuthError: The login was refused after a reconnection.
            QuoineRealtimeError: The service said not to reconnect (4000-4099).
            QuoineConnectionError: Reconnection gave up (``max_reconnects``).
        """
        return self._inbox.get(timeout)  # type: ignore[no-any-return]

    def events(self, timeout: float | None = None) -> Iterator[TapEvent]:
        """Iterate over events; stop after ``timeout`` quiet seconds or when closed.

        Args:
            timeout: Stop when no event came for this long; None: only when closed.

        Raises:
            The errors of :meth:`get`, except QuoineRealtimeClosed, which ends the
            iteration.
        """
        while True:
            try:
                event = self.get(timeout)
            except QuoineRealtimeClosed:
                return
            if event is None:
                return
            yield event

    def __iter__(self) -> Iterator[TapEvent]:
        return self.events()

    def close(self) -> None:
        """Close the connection and stop its thread; wakes readers blocked in :meth:`get`."""
        if self._closing.is_set():
            return
        self._closing.set()
        self._inbox.close(discard=True)
        with self._lock:
            conn = self._conn
        _close_quietly(conn)
        if threading.current_thread() is not self._thread:
            self._thread.join(self.timeout)

    def __enter__(self) -> LiquidTap:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def order_book(self, product: int | str) -> OrderBook:
        """A live order book of one product, kept up to date on the connection's thread.

        Subscribes to the product's two ladder channels, waits for the
        confirmations, then loads the whole book over REST (``full=1``); each
        ladder message then replaces the top of its side. After a reconnection
        the book is loaded again from REST before the Gap event is queued.

        Args:
            product: Product id (``1``) or currency pair code (``"BTCUSD"``).

        Returns:
            The :class:`~quoine.realtime.OrderBook`.

        Raises:
            QuoineValidationError: No REST client was given, or no such product.

        Example:
            .. code-block:: python

                with LiquidTap(client, url=tap_url) as tap:
                    book = tap.order_book("BTCUSD")
                    print(book.best_bid(), book.best_ask(), book.snapshot(5).asks)
        """
        if self.client is None:
            raise QuoineValidationError("order_book needs a REST client: LiquidTap(client, ...)")
        return open_order_book(self, self.client, product)

    def my_orders(
        self, funding_currencies: Iterable[str] = (), pairs: Iterable[str] = ()
    ) -> MyOrders:
        """Track your orders and executions by id, from the private channels.

        Args:
            funding_currencies: Quote currencies of your orders, e.g. ``["USD"]``
                (channel ``user_account_usd_orders``).
            pairs: Pair codes whose executions to track, e.g. ``["BTCUSD"]``
                (channel ``user_executions_cash_btcusd``).

        Returns:
            A :class:`~quoine.realtime.MyOrders`.

        Raises:
            quoine.exceptions.QuoineCredentialsError: The connection has no credentials.

        Example:
            .. code-block:: python

                with LiquidTap(client, url=tap_url) as tap:
                    mine = tap.my_orders(["USD"], ["BTCUSD"])
                    order = client.create_limit_buy(1, "0.01", "1000")
                    tap.get(timeout=5)
                    print(mine.order(order["id"])["status"])  # live
        """
        return track_my_orders(self, list(funding_currencies), list(pairs))

    # --- hooks for the order book and trackers ---------------------------------

    def add_handler(self, channel: str, handler: Handler) -> None:
        """Call ``handler(event)`` on the connection's thread for every event of ``channel``.

        Handlers run before the event is queued for the reader; one that raises
        is logged and does not stop the connection. Keep them quick.
        """
        with self._lock:
            self._handlers.setdefault(channel, []).append(handler)

    def add_refresher(self, refresh: Callable[[], None]) -> None:
        """Call ``refresh()`` after every reconnection, before the Gap event is queued."""
        with self._lock:
            self._refreshers.append(refresh)

    # --- connection ------------------------------------------------------------

    def _check_open(self) -> None:
        if self._closing.is_set():
            raise QuoineRealtimeClosed("the connection is closed")

    def _open(self) -> ClientConnection:
        """Connect, wait for ``pusher:connection_established`` and log in."""
        conn = _connect(self.url, self._ssl, self.timeout)
        try:
            deadline = self.clock() + self.timeout
            self._expect(conn, ("pusher:connection_established",), deadline)
            if self._auth is not None:
                self._login(conn, deadline)
        except BaseException:
            _close_quietly(conn)
            raise
        return conn

    def _login(self, conn: ClientConnection, deadline: float) -> None:
        """Send ``quoine:auth_request`` and wait for the answer.

        The token's turn is held from taking the nonce until the answer, as for a
        signed REST request, so that no request of the same token signed earlier
        arrives after a larger nonce.
        """
        assert self._auth is not None
        turn = self._auth.nonces.turn
        if not turn.acquire(timeout=max(deadline - self.clock(), 0.0)):
            raise QuoineTimeoutError("another signed request held the token's nonces", sent=False)
        try:
            token = self._auth.signer.sign(AUTH_PATH)
            request = {"path": AUTH_PATH, "headers": {"X-Quoine-Auth": token}}
            self._send(conn, {"event": "quoine:auth_request", "data": request}, strict=True)
            del token, request
            answer = self._expect(conn, ("quoine:auth_success", "quoine:auth_failure"), deadline)
        finally:
            turn.release()
        if answer.event == "quoine:auth_failure":
            raise QuoineRealtimeAuthError(
                f"the realtime service refused the login: {_message(answer.data)}",
                data=answer.data,
            )

    def _expect(self, conn: ClientConnection, names: tuple[str, ...], deadline: float) -> Event:
        """Read frames until one of the events ``names``; others are handled or ignored."""
        while True:
            remaining = deadline - self.clock()
            if remaining <= 0:
                raise QuoineTimeoutError(f"no {names[0]} within {self.timeout:g} s")
            try:
                event = decode_frame(conn.recv(timeout=remaining))
            except TimeoutError:
                continue
            except ConnectionClosed as exc:
                raise QuoineConnectionError(
                    f"the realtime service closed the connection: {_closed(exc)}"
                ) from None
            if event is None:
                continue
            if event.event in names:
                return event
            if event.event == "pusher:error" and event.channel is None:
                action = _error_for(event)
                if isinstance(action, _Fatal):
                    raise action.error
                if action is not None:
                    raise QuoineConnectionError(action.reason)

    def _send(self, conn: ClientConnection, frame: dict[str, Any], strict: bool = False) -> None:
        """Send one frame; a closed connection is reconnected by the thread (or raises)."""
        try:
            conn.send(json.dumps(frame))
        except (ConnectionClosed, OSError) as exc:
            if strict:
                raise QuoineConnectionError(f"sending failed: {type(exc).__name__}") from None

    def _wait_subscribed(self, channels: tuple[str, ...]) -> None:
        deadline = self.clock() + self.timeout
        for channel in channels:
            with self._lock:
                acked = self._channels.get(channel)
            confirmed = acked is not None and acked.wait(max(deadline - self.clock(), 0.0))
            with self._lock:
                refusal = self._refused.pop(channel, None)
            if refusal is not None:
                raise QuoineRealtimeError(f"subscribing to {channel} was refused: {refusal}")
            self._check_open()
            if not confirmed:
                raise QuoineTimeoutError(
                    f"no confirmation of the subscription to {channel} within {self.timeout:g} s"
                )

    # --- the connection's thread -------------------------------------------------

    def _run(self) -> None:
        conn = self._conn
        while True:
            try:
                self._pump(conn)
                return  # closing
            except _Drop as drop:
                reason, immediate = drop.reason, drop.immediate
            except _Fatal as fatal:
                self._fail(fatal.error)
                return
            except Exception as exc:  # a bug must not kill the connection silently
                logger.exception("realtime: unexpected error on the connection's thread")
                reason, immediate = f"unexpected {type(exc).__name__}", False
            self._connected = False
            _close_quietly(conn)
            logger.warning("realtime: connection lost (%s); reconnecting", reason)
            try:
                new = self._reconnect(reason, immediate)
            except QuoineError as exc:
                self._fail(exc)
                return
            except Exception as exc:  # a bug: tell the reader rather than leave it waiting
                logger.exception("realtime: reconnecting failed unexpectedly")
                self._fail(QuoineRealtimeError(f"reconnecting failed: {type(exc).__name__}"))
                return
            if new is None:
                return
            conn = new

    def _fail(self, error: QuoineError) -> None:
        self._connected = False
        self._closing.set()
        self._inbox.close(error)
        with self._lock:
            _close_quietly(self._conn)

    def _pump(self, conn: ClientConnection) -> None:
        """Read and dispatch frames, pinging on time, until closing or a drop."""
        clock = self.clock
        next_ping = clock() + self.ping_interval
        pong_due: float | None = None
        while not self._closing.is_set():
            now = clock()
            if pong_due is not None and now >= pong_due:
                raise _Drop(f"no pong within {self.pong_timeout:g} s")
            if now >= next_ping:
                self._send(conn, {"event": "pusher:ping", "data": {}})
                next_ping = now + self.ping_interval
                pong_due = pong_due or now + self.pong_timeout
            wait = (next_ping if pong_due is None else min(next_ping, pong_due)) - now
            try:
                text = conn.recv(timeout=wait)
            except TimeoutError:
                continue
            except ConnectionClosed as exc:
                if self._closing.is_set():
                    return
                raise _Drop(_closed(exc)) from None
            event = decode_frame(text)
            if event is None:
                self.stats["malformed"] += 1
                continue
            if event.event == "pusher:pong":
                pong_due = None
                continue
            self._dispatch(conn, event, self._inbox.put)

    def _dispatch(self, conn: ClientConnection, event: Event, deliver: Callable[..., None]) -> None:
        """Act on one event: acknowledgements, errors, pings; feed handlers; deliver."""
        name, channel = event.event, event.channel
        if name == "pusher_internal:subscription_succeeded":
            with self._lock:
                acked = self._channels.get(channel or "")
            if acked is not None:
                acked.set()
            return
        if name in _IGNORED:
            return
        if name == "pusher:ping":
            self._send(conn, {"event": "pusher:pong", "data": {}})
            return
        if name == "pusher:error":
            self._on_error(event)
        elif channel is not None:
            self.stats["messages"] += 1
            for handler in self._handlers.get(channel, ()):
                try:
                    handler(event)
                except Exception:
                    logger.exception("realtime: a handler of %s failed", channel)
        deliver(event)

    def _on_error(self, event: Event) -> None:
        """A ``pusher:error``: a refused subscription, or a connection-level error."""
        if event.channel is None:
            action = _error_for(event)
            if action is not None:
                raise action
            return
        with self._lock:
            acked = self._channels.pop(event.channel, None)
            self._refused[event.channel] = _message(event.data)
        if acked is not None:
            acked.set()  # wakes the subscriber, which finds the refusal

    def _reconnect(self, reason: str, immediate: bool) -> ClientConnection | None:
        """Connect again until it works (None if closed meanwhile); queue the Gap."""
        failures = 0
        while True:
            if self.max_reconnects is not None and failures >= self.max_reconnects:
                raise QuoineConnectionError(
                    f"gave up reconnecting after {failures} attempts; last: {reason}"
                )
            delay = 0.0 if immediate and failures == 0 else self._delay(failures)
            if self._closing.wait(delay):
                return None
            try:
                conn = self._open()
                with self._lock:
                    self._conn = conn
                if self._closing.is_set():
                    _close_quietly(conn)
                    return None
                buffered = self._resume(conn)
            except QuoineRealtimeAuthError:
                raise
            except (QuoineError, _Drop) as exc:
                failures += 1
                reason = getattr(exc, "reason", None) or str(exc)
                logger.warning("realtime: reconnection attempt %d failed: %s", failures, reason)
                continue
            self.stats["reconnects"] += 1
            self._connected = True
            self._inbox.put(Gap(reason, failures + 1), force=True)
            for event in buffered:
                self._inbox.put(event)
            return conn

    def _delay(self, failures: int) -> float:
        first, longest = self.backoff
        delay: float = min(longest, first * 2.0**failures)
        return delay * random.uniform(0.5, 1.0)

    def _resume(self, conn: ClientConnection) -> list[Event]:
        """Subscribe every channel again, wait for the confirmations, refresh the books.

        Events arriving meanwhile feed the handlers and are returned, to be
        queued after the Gap event.
        """
        with self._lock:
            channels = list(self._channels.items())
        for channel, acked in channels:
            acked.clear()
            self._send(conn, {"event": "pusher:subscribe", "data": {"channel": channel}})
        buffered: list[Event] = []
        deadline = self.clock() + self.timeout
        while not all(acked.is_set() for _, acked in channels):
            remaining = deadline - self.clock()
            if remaining <= 0:
                raise _Drop("no subscription confirmations after reconnecting")
            try:
                event = decode_frame(conn.recv(timeout=remaining))
            except TimeoutError:
                continue
            except ConnectionClosed as exc:
                raise _Drop(_closed(exc)) from None
            if event is not None:
                self._dispatch(conn, event, buffered.append)
        for refresh in list(self._refreshers):
            try:
                refresh()
            except Exception as exc:  # the book stays as it was; the next gap retries
                logger.warning("realtime: refreshing from REST after a gap failed: %s", exc)
        return buffered


class _LoginSigner:
    """Signs realtime logins: the REST client's signer and nonces, or its own."""

    def __init__(self, token_id: str, signer: QuoineAuth, nonces: NonceGenerator) -> None:
        self.token_id = token_id
        self.signer = signer
        self.nonces = nonces

    def __repr__(self) -> str:
        return f"_LoginSigner(token_id={self.token_id!r}, secret='***')"


def _login_signer(
    client: Quoine | None, token_id: str | None, secret: str | None
) -> _LoginSigner | None:
    if client is not None:
        if token_id is not None or secret is not None:
            raise QuoineValidationError("give either a client or token_id and secret, not both")
        auth = client._auth
        if auth is None or client.api_token_id is None:
            return None
        return _LoginSigner(client.api_token_id, auth, client.nonces)
    if (token_id is None) != (secret is None):
        raise QuoineValidationError("token_id and secret go together")
    if token_id is None or secret is None:
        return None
    _check_credential(token_id, "token_id", "QUOINE_API_TOKEN_ID")
    _check_credential(secret, "secret", "QUOINE_API_SECRET")
    nonces = NonceGenerator()
    return _LoginSigner(token_id, QuoineAuth(token_id, secret, nonces), nonces)


def _connect(url: str, context: ssl.SSLContext | None, timeout: float) -> ClientConnection:
    """Open the websocket, with TLS verified; library errors only."""
    options: dict[str, Any] = {}
    if url.startswith("wss://"):
        options["ssl"] = context or create_default_context()
    try:
        conn: ClientConnection = connect(
            url,
            open_timeout=timeout,
            ping_interval=None,  # the service's heartbeat is pusher:ping, sent by _pump
            compression=None,
            max_queue=64,
            user_agent_header=f"python-quoine/{__version__}",
            logger=_ScrubbingLogger(logging.getLogger("websockets.client"), {}),
            **options,
        )
    except SSLError as exc:
        raise QuoineSSLError(f"TLS failed connecting to {url}: {exc}", sent=False) from None
    except TimeoutError:
        raise QuoineTimeoutError(f"{url} did not answer within {timeout:g} s") from None
    except (OSError, WebSocketException) as exc:
        raise QuoineConnectionError(
            f"cannot connect to {url}: {type(exc).__name__}: {exc}", sent=False
        ) from None
    conn.__enter__()  # websockets >= 17.1 warns about connections not used as one
    return conn


def _close_quietly(conn: ClientConnection) -> None:
    with contextlib.suppress(Exception):  # already broken: nothing left to close
        conn.close()


def _closed(exc: ConnectionClosed) -> str:
    code = exc.rcvd.code if exc.rcvd is not None else None
    return "connection closed" + ("" if code is None else f" (code {code})")


def _message(data: Any) -> str:
    if isinstance(data, dict):
        data = data.get("message", data)
    return scrub(str(data))[:200]


def _error_for(event: Event) -> _Drop | _Fatal | None:
    """What a connection-level ``pusher:error`` means (Pusher's code ranges).

    4000-4099: do not reconnect; 4100-4199: reconnect after a backoff; 4200-4299:
    reconnect at once; anything else is only delivered to the reader (None).
    """
    data = event.data if isinstance(event.data, dict) else {}
    code = data.get("code")
    code = int(code) if isinstance(code, int) or (isinstance(code, str) and code.isdigit()) else 0
    message = f"pusher:error {code}: {_message(event.data)}"
    if 4000 <= code < 4100:
        return _Fatal(QuoineRealtimeError(message, code=code))
    if 4100 <= code < 4300:
        return _Drop(message, immediate=code >= 4200)
    return None


def _check_url(url: Any) -> str:
    if not isinstance(url, str) or not url.startswith(("ws://", "wss://")):
        raise QuoineValidationError(f"url must start with ws:// or wss://, got {url!r}")
    return url


def _check_channel(channel: Any) -> None:
    if not isinstance(channel, str) or not channel or len(channel) > 200:
        raise QuoineValidationError(f"a channel is a non-empty name, got {channel!r}")


def _positive(value: Any, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value < 1e9:
        raise QuoineValidationError(f"{name} must be a positive number of seconds, got {value!r}")
    return float(value)
