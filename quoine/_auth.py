"""Request signing: a JWT (HS256) in ``X-Quoine-Auth``, written with the stdlib only."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
from typing import Callable

import requests

__all__ = ["NonceGenerator", "QuoineAuth", "encode_jwt_hs256", "hs256_key", "sign_path"]

# base64url of {"alg":"HS256","typ":"JWT"}: the same for every token.
_HEADER_SEGMENT = b"eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9"


def _b64url(data: bytes) -> bytes:
    return base64.urlsafe_b64encode(data).rstrip(b"=")


def hs256_key(secret: str | bytes) -> hmac.HMAC:
    """Return an HMAC-SHA256 keyed with ``secret``, to be copied for each token.

    Keying once and copying saves the key schedule on every signature.
    """
    key = secret.encode("utf-8") if isinstance(secret, str) else secret
    return hmac.new(key, digestmod=hashlib.sha256)


def encode_jwt_hs256(payload: dict[str, object], secret: str | bytes | hmac.HMAC) -> str:
    """Encode ``payload`` as a compact JWT signed with HMAC-SHA256.

    The one JWT encoder of the package: the client signs every request with it.

    Args:
        payload: The claims; must be JSON serialisable.
        secret: The HMAC key (the API secret, str or bytes), or an HMAC from
            :func:`hs256_key` (left unchanged).

    Returns:
        The token ``header.payload.signature`` as a str.

    Example:
        >>> encode_jwt_hs256({"a": 1}, "k").split(".")[0]
        'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9'
    """
    mac = (secret if isinstance(secret, hmac.HMAC) else hs256_key(secret)).copy()
    body = json.dumps(payload, separators=(",", ":"), ensure_ascii=True).encode("ascii")
    signing_input = _HEADER_SEGMENT + b"." + _b64url(body)
    mac.update(signing_input)
    return (signing_input + b"." + _b64url(mac.digest())).decode("ascii")


def sign_path(path: str, nonce: int, token_id: str, secret: str | bytes) -> str:
    """Build the ``X-Quoine-Auth`` value for one request.

    Args:
        path: The path plus query string relative to the API root, as the
            exchange receives it, e.g. ``/orders?product_id=1``.
        nonce: A number larger than any nonce sent before with this token.
        token_id: The API token id.
        secret: The API secret.

    Returns:
        The signed JWT.

    Example:
        >>> token = sign_path("/orders?product_id=1", 1, "42", "secret")
        >>> token.count(".")
        2
    """
    return encode_jwt_hs256({"path": path, "nonce": nonce, "token_id": token_id}, secret)


class NonceGenerator:
    """Strictly increasing millisecond nonces, safe to share between threads.

    Each nonce is ``max(now_ms, last + 1)``: normally the wall clock in
    milliseconds, but never equal to or below the previous one, even when two
    calls land in the same millisecond or the clock steps back.

    Unique nonces are not enough: the exchange rejects a nonce below the last
    one it *processed*, so a request signed later must not overtake one signed
    earlier. The client therefore holds :attr:`turn` from signing a request
    until its answer is read: the signed requests of one generator (one token)
    go one at a time, public ones in parallel.

    Args:
        clock: Returns the time in seconds; defaults to :func:`time.time`.
        start: The nonce to stay above, e.g. the last one used by a previous process.

    Attributes:
        turn: Lock held while a request signed with these nonces is in flight.

    Example:
        >>> nonces = NonceGenerator(clock=lambda: 1.0)
        >>> nonces(), nonces()
        (1000, 1001)
    """

    def __init__(self, clock: Callable[[], float] = time.time, start: int = 0) -> None:
        self._clock = clock
        self._last = start
        self._lock = threading.Lock()
        self.turn = threading.Lock()

    @property
    def last(self) -> int:
        """The most recent nonce handed out (0 before the first)."""
        return self._last

    def __call__(self) -> int:
        """Return the next nonce."""
        now_ms = int(self._clock() * 1000)
        with self._lock:
            nonce = now_ms if now_ms > self._last else self._last + 1
            self._last = nonce
            return nonce


class QuoineAuth(requests.auth.AuthBase):
    """Signs a prepared request: adds ``X-Quoine-Auth`` over its exact path and query.

    Signing the :class:`requests.PreparedRequest` (rather than the arguments that
    built it) guarantees that the signed ``path`` is byte for byte what goes on the
    wire. A new nonce is taken each time a request is prepared, so a re-sent
    request is signed afresh. The client calls :meth:`sign` itself with the path
    relative to its ``api_url``; used as a requests ``auth=``, this signs the
    whole path, right for an API at the root of its host.

    Args:
        token_id: The API token id.
        secret: The API secret. It is kept only as an HMAC key and never shown.
        nonces: The client's nonce source.
    """

    def __init__(self, token_id: str, secret: str, nonces: NonceGenerator) -> None:
        self.token_id = token_id
        self._mac = hs256_key(secret)
        self._nonces = nonces

    def __repr__(self) -> str:
        return f"QuoineAuth(token_id={self.token_id!r}, secret='***')"

    def sign(self, path: str) -> str:
        """Return a fresh ``X-Quoine-Auth`` value for ``path`` (path plus query)."""
        payload = {"path": path, "nonce": self._nonces(), "token_id": self.token_id}
        return encode_jwt_hs256(payload, self._mac)

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        """Sign ``request`` in place (called by requests while preparing it)."""
        request.headers["X-Quoine-Auth"] = self.sign(request.path_url)
        return request
