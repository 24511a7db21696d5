"""A local, standard-library-only exchange speaking the Quoine / Liquid API v2.

Start it from the shell::

    python -m quoine.sandbox --port 0

or from Python::

    from quoine.sandbox import Sandbox

    with Sandbox() as sb:          # free 127.0.0.1 port, background thread
        sb.url, sb.token_id, sb.secret
        sb.exchange                # live state (hold sb.exchange.lock to read)
        sb.exchange.seed_executions(1, 100_000)   # bulk public history
        sb.faults.add("drop_after_processing", method="POST", path="/orders")

Every option (``rate_limit``, ``seed``, ``clock``, ``strict``, ``dialect``...)
is a field of one :class:`~quoine.sandbox.config.SandboxConfig`, given as
keywords or as ``Sandbox(config=...)``. ``make_app()`` returns the bare WSGI app
for in-process use.

Fault injection (``sb.faults`` / ``app.faults``, a
:class:`~quoine.sandbox.faults.FaultInjector`):

* ``add(kind, method=None, path=None, times=1, probability=1.0, delay=None,
  status=None, retry_after="300", commit=False)`` with ``kind`` one of
  ``latency``, ``error_5xx`` (HTML page, default 502), ``rate_limit`` (429 +
  ``Retry-After``), ``drop_before_processing``, ``drop_after_processing``,
  ``truncated_body``, ``hang``. ``path`` is exact or a glob.
* ``add_random(probability, kinds=(...), seed=None, **options)`` for soak tests.
* ``clear()``; ``log`` lists ``(kind, method, path)`` of every fault fired.

Realtime (needs the ``realtime`` extra, ``websockets``): ``sb.tap_url`` starts a
Liquid Tap server on its own port (``ws://127.0.0.1:PORT/app/LiquidTapClient``;
None without ``websockets``) and ``sb.tap`` is that server
(:mod:`quoine.sandbox.tap`). Its faults are the kinds ``tap_drop``,
``tap_no_pong`` and ``tap_error`` of the same injector.
"""

from __future__ import annotations

from .app import SandboxApp, make_app
from .config import DEMO_TOKEN_ID, SandboxConfig
from .exchange import DEMO_BALANCES, Exchange
from .faults import FAULT_KINDS, TAP_FAULT_KINDS, FaultInjector
from .models import ApiError
from .server import Sandbox

__all__ = [
    "DEMO_BALANCES",
    "DEMO_TOKEN_ID",
    "FAULT_KINDS",
    "ApiError",
    "Exchange",
    "FaultInjector",
    "Sandbox",
    "SandboxApp",
    "SandboxConfig",
    "TAP_FAULT_KINDS",
    "make_app",
]
