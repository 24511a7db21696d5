"""What the exchange keeps per API token, kept once per token in this process.

The exchange remembers one last nonce and counts one rate-limit window per
token. Clients built separately for the same token (one per thread, or a new
one per script step) must therefore share one :class:`~quoine.NonceGenerator`
and one :class:`~quoine.ratelimit.RateLimiter`, or their nonces overtake each
other ("Nonce is too small") and their windows add up to more than the
exchange allows. :data:`registry` hands out those shared objects.
"""

from __future__ import annotations

import threading
from urllib.parse import urlsplit

from ._auth import NonceGenerator
from .ratelimit import RateLimiter

__all__ = ["TokenRegistry", "registry"]


class TokenRegistry:
    """The nonce sequence of each token id, and its rate limiter per API host, in this process.

    Entries are kept for the life of the process: a client made after every
    earlier client of its token is gone must still start above their nonces.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._nonces: dict[str, NonceGenerator] = {}
        self._limiters: dict[tuple[str, str, int, float], RateLimiter] = {}

    def nonces(self, api_url: str, token_id: str) -> NonceGenerator:
        """The nonce sequence of ``token_id``, whatever host ``api_url`` names.

        One host can be spelt many ways (``:443``, an alias such as
        api.quoine.com for api.liquid.com after the merger, a proxy), and a
        sequence shared more widely still increases for each of them: so the
        key is the token alone.
        """
        with self._lock:
            return self._nonces.setdefault(token_id, NonceGenerator())

    def limiter(self, api_url: str, token_id: str, calls: int, period: float) -> RateLimiter:
        """The rate limiter of ``token_id`` on the host of ``api_url``, for this limit."""
        key = (_host(api_url), token_id, calls, float(period))
        with self._lock:
            if key not in self._limiters:
                self._limiters[key] = RateLimiter(calls, period)
            return self._limiters[key]

    def clear(self) -> None:
        """Forget every token (for tests: the exchange does not forget)."""
        with self._lock:
            self._nonces.clear()
            self._limiters.clear()


_DEFAULT_PORTS = {"http": 80, "https": 443}


def _host(api_url: str) -> str:
    """Scheme, host and port of ``api_url``, spelt one way (``:443`` on https is dropped)."""
    split = urlsplit(api_url)
    scheme = split.scheme.lower()
    host = (split.hostname or "").rstrip(".")
    port = split.port
    return f"{scheme}://{host}" + ("" if port in (None, _DEFAULT_PORTS.get(scheme)) else f":{port}")


#: The process-wide registry the clients use.
registry = TokenRegistry()
