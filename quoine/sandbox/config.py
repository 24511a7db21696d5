"""The sandbox's options, in one object passed from the command line down.

``python -m quoine.sandbox`` builds a :class:`SandboxConfig` from its flags;
``Sandbox(...)`` and ``make_app(...)`` build one from their keyword arguments
(or take ``config=``); the app, the exchange and the server all read it.
"""

from __future__ import annotations

import dataclasses
from typing import Any, Callable, Union

from .models import DIALECTS

__all__ = ["DEMO_TOKEN_ID", "DIALECTS", "RateLimit", "SandboxConfig"]

DEMO_TOKEN_ID = "sandbox-demo"
RateLimit = Union[bool, int, tuple[int, float], None]


@dataclasses.dataclass(frozen=True)
class SandboxConfig:
    """Every option of a sandbox.

    Attributes:
        host: Interface to bind (keep the default 127.0.0.1).
        port: TCP port; 0 picks a free one.
        token_id: Demo API token id.
        secret: Demo secret; random per start when None.
        rate_limit: True = 300 requests per 300 s per token (and per IP for
            public endpoints); an int N = N per 300 s; ``(N, seconds)``;
            None/False = off.
        seed: Seed for the market maker's order book.
        clock: Time source in seconds (for deterministic tests); ``time.time``
            when None.
        fault_seed: Seed for random faults.
        strict_nonce: False also accepts a nonce equal to the last one (for
            clients with millisecond nonces such as python-quoine 0.1.4).
        strict: Refuse requests the real API would refuse for their form: a
            body sent without ``Content-Type: application/json`` is not read,
            and a body nesting its fields under another resource's key is a
            400. False reads any JSON body, flat and nested fields merged.
        dialect: ``"liquid"`` (default) answers in the shapes of the Liquid-era
            documentation, ``"quoine"`` in those of the 2016 Quoinex/Qryptos
            one (integer product ids, decimals as strings...).
        book_depth: Price levels per side the market maker keeps.
        withdrawal_step_seconds: Time a withdrawal spends in ``pending`` and
            then in ``processing`` before it is ``processed``.
    """

    host: str = "127.0.0.1"
    port: int = 0
    token_id: str = DEMO_TOKEN_ID
    secret: str | None = None
    rate_limit: RateLimit = True
    seed: int = 0
    clock: Callable[[], float] | None = None
    fault_seed: int | None = None
    strict_nonce: bool = True
    strict: bool = True
    dialect: str = "liquid"
    book_depth: int = 30
    withdrawal_step_seconds: float = 30.0

    def __post_init__(self) -> None:
        if self.dialect not in DIALECTS:
            raise ValueError(f"dialect must be one of {DIALECTS}, not {self.dialect!r}")

    @classmethod
    def build(cls, config: SandboxConfig | None = None, **options: Any) -> SandboxConfig:
        """``config`` (or the defaults) with ``options`` replaced.

        Raises:
            TypeError: An unknown option.
            ValueError: A bad ``dialect``.
        """
        if config is not None and not options:
            return config
        return dataclasses.replace(config or cls(), **options)

    def rate_window(self) -> tuple[int, float] | None:
        """``(requests, seconds)`` of the rate limit, or None when off."""
        limit = self.rate_limit
        if limit is None or limit is False:
            return None
        if limit is True:
            return 300, 300.0
        if isinstance(limit, tuple):
            return int(limit[0]), float(limit[1])
        return int(limit), 300.0
