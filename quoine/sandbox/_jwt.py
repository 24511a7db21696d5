"""Minimal HS256 JSON Web Token support (standard library only).

Only what the sandbox needs: verifying the ``X-Quoine-Auth`` header that
clients send. It is written apart from the client's signer on purpose, so a
mistake in one is not mirrored by the other.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any

__all__ = ["JWTError", "decode_hs256", "peek_payload"]


class JWTError(ValueError):
    """Raised when a token is malformed or its signature does not verify."""


def _b64url_decode(part: str) -> bytes:
    padded = part + "=" * (-len(part) % 4)
    try:
        return base64.urlsafe_b64decode(padded.encode("ascii"))
    except (ValueError, UnicodeEncodeError) as exc:
        raise JWTError("bad base64") from exc


def _json_segment(segment: str, what: str) -> dict[str, Any]:
    try:
        value = json.loads(_b64url_decode(segment))
    except (ValueError, RecursionError) as exc:  # RecursionError: absurdly deep JSON
        raise JWTError(f"{what} is not JSON") from exc
    if not isinstance(value, dict):
        raise JWTError(f"{what} is not an object")
    return value


def peek_payload(token: str) -> dict[str, Any]:
    """Return the claims of ``token`` WITHOUT verifying the signature.

    Args:
        token: A compact JWT.

    Returns:
        The decoded payload.

    Raises:
        JWTError: If the token is malformed.
    """
    return _json_segment(_segments(token)[1], "payload")


def _segments(token: str) -> list[str]:
    parts = token.split(".")
    if len(parts) != 3:
        raise JWTError("token must have three parts")
    return parts


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
    parts = _segments(token)
    if _json_segment(parts[0], "header").get("alg") != "HS256":
        raise JWTError("only HS256 is accepted")
    signing_input = f"{parts[0]}.{parts[1]}".encode("ascii", "replace")
    expected = hmac.new(secret.encode(), signing_input, hashlib.sha256).digest()
    if not hmac.compare_digest(expected, _b64url_decode(parts[2])):
        raise JWTError("signature mismatch")
    return _json_segment(parts[1], "payload")
