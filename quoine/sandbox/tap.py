"""The sandbox's Liquid Tap server: the exchange's realtime side on loopback.

Needs the ``realtime`` extra (``pip install python-quoine[realtime]``, which
brings ``websockets``). :attr:`Sandbox.tap_url <quoine.sandbox.Sandbox.tap_url>`
starts it on first use and returns ``ws://127.0.0.1:PORT/app/LiquidTapClient``
(None without ``websockets``)::

    with Sandbox() as sb:
        url = sb.tap_url                    # the server starts here
        sb.tap.idle_timeout = 5.0           # settings apply from now on
        sb.faults.add("tap_drop", path="price_ladders_cash_btcusd_*")
        sb.tap.drop_connections()           # cut every connection now

What it serves (the protocol of the real service, see ``docs/sandbox.rst``):

* ``pusher:connection_established`` on connect; ``pusher:ping`` answered with
  ``pusher:pong``; ``pusher:subscribe`` answered with
  ``pusher_internal:subscription_succeeded`` (again for a repeated subscribe);
  ``pusher:unsubscribe`` without an answer. Any path is accepted; client
  ``data`` may be an object or a JSON string.
* ``quoine:auth_request``: an HS256 JWT signed with the token's secret, ``path``
  ``/realtime``, a ``nonce`` above the token's last one (shared with the REST
  API; an equal one passes when the sandbox runs with ``strict_nonce=False``),
  not past an ``exp`` claim. Answered ``quoine:auth_success`` or
  ``quoine:auth_failure`` (``{"message": ...}``); may be repeated. A private
  channel (``user...``) subscribed before auth gets a ``pusher:error`` carrying
  the channel (code 4009).
* Public channels per product ``<pair>`` (e.g. ``btcjpy``):
  ``price_ladders_cash_<pair>_buy`` / ``_sell`` (``updated``, the side's top 40
  whenever it changes), ``price_ladders_cash_<pair>`` (both sides, ``{"bids",
  "asks", "timestamp"}``), ``executions_cash_<pair>`` and
  ``execution_details_cash_<pair>`` (``created``, one per trade),
  ``product_cash_<pair>_<id>`` (``updated``). Private channels:
  ``user_account_<ccy>_orders`` and ``user_account_<ccy>_trades`` (``updated``;
  ``<ccy>`` is the funding currency), ``user_executions_cash_<pair>``
  (``created``).
* A client frame that is not a JSON object with a string ``event``, or an
  unknown event, gets ``pusher:error`` ``{"message": ...}`` (no code, so clients
  keep the connection). Frames over :attr:`TapServer.max_frame` bytes close the
  connection (1009); more than :attr:`TapServer.max_rate` frames per second
  get ``pusher:error`` 4301 and a close with 4301. A connection silent for
  :attr:`TapServer.idle_timeout` seconds gets ``pusher:error`` 4202 and is
  closed with 4202.

Robustness: events are computed by a feed thread from snapshots taken under
the exchange lock (see :mod:`quoine.sandbox.tap_feed`) and delivered outside it
through a bounded queue per connection; a connection whose queue is full (a
reader that does not keep up) is dropped, so it never slows matching or other
subscribers. All connections share one asyncio event loop in one thread, which
serves hundreds of connections with two threads in all (the websockets
threaded server would need two threads per connection).

Fault controls (a stable API): the realtime kinds of
:mod:`quoine.sandbox.faults` through ``sb.faults.add`` -- ``tap_drop`` (cut the
connection, no close frame), ``tap_no_pong`` (leave ``pusher:ping``
unanswered), ``tap_error`` (``pusher:error`` with code ``status``, default
4200, then close) -- whose ``path`` globs a client event name or a delivered
channel; :meth:`TapServer.drop_connections`; :meth:`TapServer.wait_fed` to
pace a stream; the attributes below (``idle_timeout``, ``queue_size``, ...).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import random
import threading
from typing import TYPE_CHECKING, Any

from websockets.asyncio.server import ServerConnection, serve
from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response

from ._jwt import JWTError, decode_hs256, peek_payload
from .app import _parse_nonce
from .models import dumps
from .tap_feed import Batch, Feed, frame, private_channel

if TYPE_CHECKING:
    from .app import SandboxApp
    from .models import User

__all__ = ["TapServer"]

logger = logging.getLogger("quoine.sandbox.tap")
# websockets logs frames at DEBUG, auth requests (JWTs) included: never below INFO
_ws_logger = logging.getLogger("quoine.sandbox.tap.websockets")
_ws_logger.setLevel(logging.INFO)
PATH = "/app/LiquidTapClient"
_CLOSE = None  # queue sentinel: close the connection after the frames before it


class _Conn:
    """One client connection's state (touched only on the event loop)."""

    def __init__(self, ws: ServerConnection, queue_size: int, socket_id: str, now: float) -> None:
        self.ws = ws
        self.queue: asyncio.Queue[str | None] = asyncio.Queue(queue_size)
        self.socket_id = socket_id
        self.channels: set[str] = set()
        self.user: User | None = None
        self.last_seen = now
        self.close_with: tuple[int, str] | None = None  # set when closing gracefully
        self.dead = False
        self.allowance = 0.0  # frames the client may still send now (token bucket)

    def spend(self, now: float, rate: float) -> bool:
        """Count one client frame; False when over ``rate`` per second (burst: one second's)."""
        elapsed, self.last_seen = now - self.last_seen, now
        self.allowance = min(rate, self.allowance + elapsed * rate) - 1
        return self.allowance >= 0

    def push(self, text: str | None) -> bool:
        """Queue a frame; False when the queue is full (the caller drops us)."""
        try:
            self.queue.put_nowait(text)
        except asyncio.QueueFull:
            return False
        return True


class TapServer:
    """A Liquid Tap websocket server fed by a sandbox app's exchange.

    Settings are attributes; change them before clients connect.

    Args:
        app: The sandbox app (its exchange, faults and nonce rule are used).
        host: Interface to bind.
        port: TCP port; 0 picks a free one.

    Attributes:
        idle_timeout: Seconds without a client frame before the server closes a
            connection (None = never). Default 150 (the real service: 120, and
            ``liquidtap`` pings only after 120 s of silence).
        activity_timeout: Seconds announced in ``connection_established``.
        queue_size: Frames queued per connection before it is dropped.
        max_frame: Largest client frame in bytes.
        max_connections: Connections beyond this are refused with HTTP 503.
        max_channels: Subscriptions per connection.
        max_rate: Client frames per second per connection (bursts of as many);
            beyond, ``pusher:error`` 4301 and the connection is closed with 4301.
    """

    def __init__(self, app: SandboxApp, host: str = "127.0.0.1", port: int = 0) -> None:
        self.app = app
        self.exchange = app.exchange
        self.host = host
        self.port = port
        self.idle_timeout: float | None = 150.0
        self.activity_timeout = 120
        self.queue_size = 1000
        self.max_frame = 64 * 1024
        self.max_connections = 1000
        self.max_channels = 500
        self.max_rate = 200.0
        self.feed: Feed | None = None
        self._conns: set[_Conn] = set()
        self._subs: dict[str, set[_Conn]] = {}
        self._holding: dict[str, dict[_Conn, list[str]]] = {}  # subscriptions being confirmed
        self._ids = itertools.count(1)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._threads: list[threading.Thread] = []
        self._stopping = threading.Event()
        self._fed = threading.Condition()
        self._fed_version = -1

    # ------------------------------------------------------------ lifecycle
    @property
    def url(self) -> str:
        """``ws://HOST:PORT/app/LiquidTapClient`` once started."""
        if self._loop is None:
            raise RuntimeError("tap server is not running")
        return f"ws://{self.host}:{self.port}{PATH}"

    @property
    def connections(self) -> int:
        """Open connections now."""
        return len(self._conns)

    def start(self) -> TapServer:
        """Bind, then serve and feed in two daemon threads."""
        if self._loop is not None:
            return self
        self.feed = Feed(self.exchange)
        ready: list[BaseException | None] = []
        started = threading.Event()
        loop_thread = threading.Thread(
            target=self._run_loop, args=(ready, started), name="quoine-tap-loop", daemon=True
        )
        loop_thread.start()
        started.wait()
        if ready and ready[0] is not None:
            loop_thread.join()
            raise ready[0]
        feed_thread = threading.Thread(target=self._run_feed, name="quoine-tap-feed", daemon=True)
        feed_thread.start()
        self._threads = [loop_thread, feed_thread]
        return self

    def stop(self) -> None:
        """Close every connection and stop both threads."""
        loop, stop = self._loop, self._stop
        if loop is None or stop is None:
            return
        self._stopping.set()
        self.exchange.touch()  # wakes the feed's wait_for_change
        loop.call_soon_threadsafe(stop.set)
        for thread in self._threads:
            thread.join(timeout=10)
        self._loop = None

    def _run_loop(self, ready: list[BaseException | None], started: threading.Event) -> None:
        try:
            asyncio.run(self._main(ready, started))
        except BaseException as exc:  # a bind error: hand it to start()
            if not started.is_set():
                ready.append(exc)
                started.set()
            else:  # pragma: no cover - the loop ended by a bug
                logger.exception("tap server stopped")

    async def _main(self, ready: list[BaseException | None], started: threading.Event) -> None:
        self._stop = asyncio.Event()
        server = await serve(
            self._serve,
            self.host,
            self.port,
            process_request=self._process_request,
            compression=None,
            max_size=self.max_frame,
            close_timeout=2,
            logger=_ws_logger,
        )
        self.port = server.sockets[0].getsockname()[1]
        self._loop = asyncio.get_running_loop()
        ready.append(None)
        started.set()
        idle = asyncio.create_task(self._idle_loop())
        await self._stop.wait()
        idle.cancel()
        server.close()
        try:
            await asyncio.wait_for(server.wait_closed(), 3)
        except asyncio.TimeoutError:
            self.drop_connections()

    def _process_request(self, ws: ServerConnection, request: Request) -> Response | None:
        if len(self._conns) >= self.max_connections:
            return ws.respond(503, "too many connections\n")
        return None

    # ------------------------------------------------------------ connections
    async def _serve(self, ws: ServerConnection) -> None:
        loop = asyncio.get_running_loop()
        socket_id = f"{random.randrange(10**9)}.{next(self._ids)}"
        conn = _Conn(ws, self.queue_size, socket_id, loop.time())
        conn.allowance = self.max_rate
        self._conns.add(conn)
        writer = asyncio.create_task(self._write(conn))
        established = {"activity_timeout": self.activity_timeout, "socket_id": socket_id}
        conn.push(frame("pusher:connection_established", dumps(established)))
        try:
            async for message in ws:
                if not conn.spend(loop.time(), self.max_rate):
                    self._close(conn, 4301, "Too many frames; slow down")
                    break
                await self._on_message(conn, message)
                if conn.dead:
                    break
        except ConnectionClosed:
            pass
        finally:
            self._forget(conn)
            if conn.close_with is not None:  # let the writer send the error and the close
                await asyncio.wait([writer], timeout=5)
            writer.cancel()
            await asyncio.gather(writer, return_exceptions=True)

    async def _write(self, conn: _Conn) -> None:
        try:
            while True:
                text = await conn.queue.get()
                if text is _CLOSE:
                    await conn.ws.close(*(conn.close_with or (1000, "")))
                    return
                await conn.ws.send(text)
        except ConnectionClosed:
            pass

    def _forget(self, conn: _Conn) -> None:
        conn.dead = True
        self._conns.discard(conn)
        for channel in list(conn.channels):
            self._leave(conn, channel)
        if conn.user is not None and self.feed is not None:
            self.feed.unwatch(conn.user.id)
            conn.user = None

    def _kill(self, conn: _Conn) -> None:
        """Drop a connection at once: no close frame (a stuck reader would not read it)."""
        self._forget(conn)
        transport = getattr(conn.ws, "transport", None)
        if transport is not None:
            transport.abort()

    def _close(self, conn: _Conn, code: int, message: str) -> None:
        """Send ``pusher:error`` ``code``, then close the connection with it."""
        conn.close_with = (code, message)
        error = frame("pusher:error", {"code": code, "message": message})
        if not (conn.push(error) and conn.push(_CLOSE)):
            self._kill(conn)
        self._forget(conn)

    def _send(self, conn: _Conn, text: str) -> None:
        if not conn.dead and not conn.push(text):
            logger.info("tap: dropping a connection that does not read (queue full)")
            self._kill(conn)

    def drop_connections(self) -> None:
        """Drop every connection now (from any thread)."""
        loop = self._loop
        if loop is None:
            return
        if _running_in(loop):
            for conn in list(self._conns):
                self._kill(conn)
        else:
            loop.call_soon_threadsafe(self.drop_connections)

    async def _idle_loop(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            timeout = self.idle_timeout
            await asyncio.sleep(0.5 if timeout is None else min(max(timeout / 4, 0.01), 0.5))
            if timeout is None:
                continue
            for conn in list(self._conns):
                if loop.time() - conn.last_seen > timeout:
                    self._close(conn, 4202, "Closed after inactivity")

    # ----------------------------------------------------------------- frames
    async def _on_message(self, conn: _Conn, message: str | bytes) -> None:
        parsed = _parse(message)
        if isinstance(parsed, str):
            self._send(conn, frame("pusher:error", {"message": parsed}))
            return
        event, data, channel = parsed
        if self._fault(conn, event):
            return
        if event == "pusher:ping":
            self._send(conn, frame("pusher:pong", {}))
        elif event == "pusher:subscribe":
            await self._subscribe(conn, data.get("channel", channel))
        elif event == "pusher:unsubscribe":
            self._unsubscribe(conn, data.get("channel", channel))
        elif event == "quoine:auth_request":
            await self._authenticate(conn, data)
        elif event != "pusher:pong":
            self._send(conn, frame("pusher:error", {"message": "unsupported event"}))

    def _fault(self, conn: _Conn, name: str) -> bool:
        """Apply a realtime fault picked for a frame; True when it replaces the frame."""
        fired = self.app.faults.pick("WS", name, realtime=True)
        if fired is None:
            return False
        if fired.kind == "tap_drop":
            self._kill(conn)
        elif fired.kind == "tap_error":
            self._close(conn, fired.rule.status or 4200, "Generic reconnect immediately")
        return True

    async def _subscribe(self, conn: _Conn, name: Any) -> None:
        if not isinstance(name, str) or not name or len(name) > 200:
            self._send(conn, frame("pusher:error", {"message": "channel name missing or invalid"}))
            return
        if private_channel(name) and conn.user is None:
            refusal = {"code": 4009, "message": "Private channel: authenticate first"}
            self._send(conn, frame("pusher:error", refusal, name))
            return
        if name not in conn.channels:
            if len(conn.channels) >= self.max_channels:
                self._send(conn, frame("pusher:error", {"message": "too many channels"}, name))
                return
            assert self.feed is not None
            keys = self.feed.ladder_keys(name)
            held: list[str] = []
            if keys:  # its current top 40, before the confirmation
                await self._track(conn, name, keys, held)
                if conn.dead:
                    self.feed.untrack(keys)
                    return
            conn.channels.add(name)
            self._subs.setdefault(name, set()).add(conn)
            self._send(conn, frame("pusher_internal:subscription_succeeded", {}, name))
            for text in held:
                self._send(conn, text)
            return
        self._send(conn, frame("pusher_internal:subscription_succeeded", {}, name))

    async def _track(self, conn: _Conn, name: str, keys: tuple[Any, ...], held: list[str]) -> None:
        """Have the feed track a ladder; frames delivered meanwhile are kept in ``held``."""
        assert self.feed is not None
        holding = self._holding.setdefault(name, {})
        holding[conn] = held
        try:
            await asyncio.to_thread(self.feed.track, keys)
        finally:
            del holding[conn]
            if not holding:
                del self._holding[name]

    def _unsubscribe(self, conn: _Conn, name: Any) -> None:
        if isinstance(name, str) and name in conn.channels:
            self._leave(conn, name)

    def _leave(self, conn: _Conn, name: str) -> None:
        conn.channels.discard(name)
        subs = self._subs.get(name)
        if subs is not None:
            subs.discard(conn)
            if not subs:
                del self._subs[name]
        assert self.feed is not None
        keys = self.feed.ladder_keys(name)
        if keys:
            self.feed.untrack(keys)

    async def _authenticate(self, conn: _Conn, data: dict[str, Any]) -> None:
        headers = data.get("headers")
        token = None
        if isinstance(headers, dict):
            token = next((v for k, v in headers.items() if str(k).lower() == "x-quoine-auth"), None)
        user, problem = await asyncio.to_thread(self._verify, token, conn.user)
        if conn.dead:
            if user is not None and self.feed is not None:
                self.feed.unwatch(user.id)
            return
        if user is None:
            self._send(conn, frame("quoine:auth_failure", {"message": problem}))
            return
        if conn.user is not None and self.feed is not None:
            self.feed.unwatch(conn.user.id)
        conn.user = user
        self._send(conn, frame("quoine:auth_success", {}))

    def _verify(self, token: Any, current: User | None) -> tuple[User | None, str]:
        """Check a realtime JWT (runs in a worker thread); the user or why not."""
        if not isinstance(token, str) or not token or len(token) > 4096:
            return None, "invalid token"
        try:
            claims = peek_payload(token)
            user = self.exchange.user_by_token(str(claims.get("token_id")))
            if user is None or not user.secret:
                return None, "invalid token"
            claims = decode_hs256(token, user.secret)
        except JWTError:
            return None, "invalid token"
        if claims.get("path") != "/realtime":
            return None, "invalid token"
        expires = claims.get("exp")
        if expires is not None:
            if not isinstance(expires, (int, float)) or isinstance(expires, bool):
                return None, "invalid token"
            if expires <= self.exchange.now():
                return None, "token expired"
        nonce = _parse_nonce(claims.get("nonce"))
        if nonce is None:
            return None, "invalid token"
        assert self.feed is not None
        with self.exchange.lock:  # a plain hold: not a change of the exchange
            last = user.last_nonce
            if nonce < last or (nonce == last and self.app.strict_nonce):
                return None, "nonce is too small"
            user.last_nonce = nonce
            self.feed.watch(user)  # from this state on, before auth_success is sent
        return user, ""

    # --------------------------------------------------------------- the feed
    def _run_feed(self) -> None:
        assert self.feed is not None
        seen = -1
        while not self._stopping.is_set():
            now = self.exchange.wait_for_change(seen, 1.0)
            if now == seen:
                continue
            seen = now
            try:
                batch = self.feed.poll()  # covers every change up to version `seen`
            except Exception:  # a feed bug must not end the feed
                logger.exception("tap feed failed")
                batch = Batch([], [])
            loop = self._loop
            if (batch.public or batch.private) and loop is not None:
                try:
                    loop.call_soon_threadsafe(self._deliver, batch)
                except RuntimeError:  # the loop closed while stopping
                    return
            with self._fed:
                self._fed_version = seen
                self._fed.notify_all()

    def wait_fed(self, timeout: float = 10.0) -> bool:
        """Wait until the feed has taken in every exchange change made before this call.

        The events of those changes are then on the event loop, ahead of any
        frame a client sends after this returns (so a ``pusher:ping`` sent next
        is answered after them). For tests and benchmarks that pace a stream.

        Args:
            timeout: Seconds to wait at most.

        Returns:
            False when ``timeout`` passed first.
        """
        target = self.exchange.version
        with self._fed:
            return self._fed.wait_for(lambda: self._fed_version >= target, timeout)

    def _deliver(self, batch: Batch) -> None:
        for channel, text in batch.public:
            for conn in list(self._subs.get(channel, ())):
                if not self._fault(conn, channel):
                    self._send(conn, text)
            for held in self._holding.get(channel, {}).values():
                held.append(text)  # sent after the confirmation
        for uid, channel, text in batch.private:
            for conn in list(self._subs.get(channel, ())):
                if conn.user is not None and conn.user.id == uid and not self._fault(conn, channel):
                    self._send(conn, text)


def _parse(message: str | bytes) -> tuple[str, dict[str, Any], str | None] | str:
    """A client frame as ``(event, data, channel)``, or what is wrong with it."""
    if not isinstance(message, str):
        return "binary frames are not supported"
    try:
        obj = json.loads(message)
    except (ValueError, RecursionError):
        return "frame is not JSON"
    if not isinstance(obj, dict) or not isinstance(obj.get("event"), str):
        return "frame is not an object with an event"
    data = obj.get("data")
    if isinstance(data, str) and data.strip():
        try:
            data = json.loads(data)
        except (ValueError, RecursionError):
            data = None
    channel = obj.get("channel")
    if not isinstance(data, dict):
        data = {}
    return obj["event"], data, channel if isinstance(channel, str) else None


def _running_in(loop: asyncio.AbstractEventLoop) -> bool:
    try:
        return asyncio.get_running_loop() is loop
    except RuntimeError:
        return False
