"""The deadline while an answer's status line and headers arrive.

A read timeout bounds each wait for bytes, so a server that drips its headers
one byte per second holds a call past any deadline, and the body reader's
deadline checks (:func:`quoine._http.read_body`) only start once the headers
are in. For the sessions the client creates itself, a watchdog shuts the
connection's socket when the deadline passes first: the blocked read returns at
once and the call ends with :class:`~quoine.exceptions.QuoineTimeoutError`.

One daemon thread serves every watch of the process (a thread per request would
cost more than the request). A session passed by the caller is used as given,
without the watchdog.
"""

from __future__ import annotations

import contextlib
import heapq
import itertools
import socket
import threading
import time
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

__all__ = ["HeaderWatch", "new_session", "watching"]

_current = threading.local()  # the HeaderWatch of the request this thread is sending


class HeaderWatch:
    """Shuts the socket of one request's connection if its time runs out."""

    def __init__(self) -> None:
        self.fired = False
        self.done = False
        self._connection: Any = None
        self._lock = threading.Lock()

    def attach(self, connection: Any) -> None:
        """Note the connection the request goes out on (called from its thread)."""
        with self._lock:
            self._connection = connection
            if self.fired:
                _shut(connection)

    def fire(self) -> None:
        """The deadline passed: cut the connection, unless the headers are in."""
        with self._lock:
            if self.done:
                return
            self.fired = True
            _shut(self._connection)

    def finish(self) -> None:
        """The headers are in (or the request failed): never fire."""
        with self._lock:
            self.done = True
            self._connection = None


def _shut(connection: Any) -> None:
    sock = getattr(connection, "sock", None)
    if sock is not None:
        with contextlib.suppress(OSError):  # already closed
            sock.shutdown(socket.SHUT_RDWR)


class _Watchdog:
    """One thread firing each armed watch at its time, unless it finished first."""

    def __init__(self) -> None:
        self._heap: list[tuple[float, int, HeaderWatch]] = []
        self._order = itertools.count()
        self._wake = threading.Condition()
        self._thread: threading.Thread | None = None
        self._compact_at = 1024

    def arm(self, watch: HeaderWatch, seconds: float) -> None:
        with self._wake:
            if len(self._heap) >= self._compact_at:  # finished watches far from due
                self._heap = [entry for entry in self._heap if not entry[2].done]
                heapq.heapify(self._heap)
                self._compact_at = max(1024, 2 * len(self._heap))
            entry = (time.monotonic() + seconds, next(self._order), watch)
            heapq.heappush(self._heap, entry)
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="quoine-deadline", daemon=True
                )
                self._thread.start()
            if self._heap[0] is entry:  # due first: the thread sleeps until a later time
                self._wake.notify()

    def _run(self) -> None:
        while True:
            with self._wake:
                while self._heap and self._heap[0][2].done:
                    heapq.heappop(self._heap)  # finished: nothing to do
                if not self._heap:
                    self._wake.wait()
                    continue
                due = self._heap[0][0] - time.monotonic()
                if due > 0:
                    self._wake.wait(due)
                    continue
                watch = heapq.heappop(self._heap)[2]
            watch.fire()


_watchdog = _Watchdog()


class watching:
    """Arm a watch on the requests this thread sends for ``seconds`` (real time)."""

    def __init__(self, seconds: float) -> None:
        self.watch = HeaderWatch()
        self.seconds = seconds

    def __enter__(self) -> HeaderWatch:
        _current.watch = self.watch
        _watchdog.arm(self.watch, self.seconds)
        return self.watch

    def __exit__(self, *exc: object) -> None:
        self.watch.finish()
        _current.watch = None


class _Watched:
    """Mixin for urllib3 connections: report to this thread's watch before sending."""

    def connect(self) -> None:
        watch = getattr(_current, "watch", None)
        if watch is not None:
            watch.attach(self)
        super().connect()  # type: ignore[misc]

    def request(self, *args: Any, **kwargs: Any) -> Any:
        watch = getattr(_current, "watch", None)
        if watch is not None:
            watch.attach(self)
        return super().request(*args, **kwargs)  # type: ignore[misc]


class _WatchedHTTPConnection(_Watched, HTTPConnection):
    pass


class _WatchedHTTPSConnection(_Watched, HTTPSConnection):
    pass


class _WatchedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _WatchedHTTPConnection


class _WatchedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _WatchedHTTPSConnection


_POOLS = {"http": _WatchedHTTPPool, "https": _WatchedHTTPSPool}


class _WatchedAdapter(HTTPAdapter):
    """An HTTPAdapter whose connections report to the sending thread's watch."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = _POOLS

    def proxy_manager_for(self, proxy: str, **kwargs: Any) -> Any:
        manager = super().proxy_manager_for(proxy, **kwargs)
        manager.pool_classes_by_scheme = _POOLS
        return manager


def new_session() -> requests.Session:
    """A :class:`requests.Session` whose header reads the deadline can cut short."""
    session = requests.Session()
    session.mount("https://", _WatchedAdapter())
    session.mount("http://", _WatchedAdapter())
    return session
