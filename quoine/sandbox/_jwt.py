"""Minimal HS256 JSON Web Token support (standard library only).

Only what the sandbox needs: verifying the ``X-Quoine-Auth`` header that
clients send, and signing tokens for tests and demos.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any

__all__ = ["JWTError", "decode_hs256", "encode_hs256"]


class JWTError(ValueError):
    """Raised when a token is malformed or its signature does not verify."""


def _b64url_decode(part: str) -> bytes:
    padded = part + "=" * (-len(part) % 4)
    try:
        return base64.urlsafe_b64decode(padded.encode("ascii"))
    except (ValueError, UnicodeEncodeError) as exc:
        raise JWTError("bad base64") from exc


def _b64url_encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def encode_hs256(payload: dict[str, Any], secret: str) -> str:
    """Sign ``payload`` with HMAC-SHA256.

    Args:
        payload: The claims (must be JSON-serialisable).
        secret: The shared secret.

    Returns:
        The compact JWT ``header.payload.signature``.
    """
    header = _b64url_encode(b'{"alg":"HS256","typ":"JWT"}')
    body = _b64url_encode(json.dumps(payload, separators=(",", ":")).encode())
    signing_input = f"{header}.{body}".encode("ascii")
    sig = hmac.new(secret.encode(), signing_input, hashlib.sha256).digest()
    return f"{header}.{body}.{_b64url_encode(sig)}"


def peek_payload(token: str) -> dict[str, Any]:
    """Return the claims of ``token`` WITHOUT verifying the signature.

    Args:
        token: A compact JWT.

    Returns:
        The decoded payload.

    Raises:
        JWTError: If the token is malformed.
    """
    parts = token.split(".")
    if len(parts) != 3:
        raise JWTError("token must have three parts")
    try:
        payload = json.loads(_b64url_decode(parts[1]))
    except ValueError as exc:
        raise JWTError("payload is not JSON") from exc
    if not isinstance(payload, dict):
        raise JWTError("payload is not an object")
    return payload


def decode_hs256(token: str, secret: str) -> dict[str, Any]:
    """Verify an HS256 token and return its claims.

    Args:
        token: A compact JWT.
        secret: The shared secret it must be signed with.

    Returns:
        The decoded payload.

    Raises:
        JWTError: If the token is malformed, uses another algorithm or the
            signature does not match.
    """
    parts = token.split(".")
    if len(parts) != 3:
        raise JWTError("token must have three parts")
    try:
        header = json.loads(_b64url_decode(parts[0]))
    except ValueError as exc:
        raise JWTError("header is not JSON") from exc
    if not isinstance(header, dict) or header.get("alg") != "HS256":
        raise JWTError("only HS256 is accepted")
    signing_input = f"{parts[0]}.{parts[1]}".encode("ascii", "replace")
    expected = hmac.new(secret.encode(), signing_input, hashlib.sha256).digest()
    if not hmac.compare_digest(expected, _b64url_decode(parts[2])):
        raise JWTError("signature mismatch")
    return peek_payload(token)
