"""Helpers shared by the benchmarks."""

from __future__ import annotations

import inspect
from typing import Any

from quoine.client import Quoinex

TOKEN_ID = "123456"
SECRET = "benchmark-secret-" * 2


def make_client(
    url: str, token_id: str = TOKEN_ID, secret: str = SECRET, **options: Any
) -> Quoinex:
    """A client for ``url`` that no client-side rate limiter will slow down.

    ``rate_limit=None`` is passed only when the client takes that keyword, so the
    benchmarks run against versions of the client with and without a limiter.
    """
    if "rate_limit" in inspect.signature(Quoinex).parameters:
        options.setdefault("rate_limit", None)
    return Quoinex(token_id, secret, api_url=url, **options)
