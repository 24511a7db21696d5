"""The wire end of the request path: read, classify failures.

Read an answer within time and size bounds (:mod:`quoine._decode` turns it into
data or a library exception), and tell whether a failed request may have
reached the server.

Nothing here retries or signs; :meth:`quoine.client.Quoine._request` does that.
"""

from __future__ import annotations

from typing import Callable

import requests
import urllib3.exceptions

from ._decode import (
    AUTH_HEADER,
    ERROR_BODY_LIMIT,
    decode,
    dump_json,
    json_default,
    mask_auth,
    masked_copy,
    masked_request,
    response_error,
)
from .exceptions import (
    QuoineConnectionError,
    QuoineSSLError,
    QuoineTimeoutError,
    QuoineTransportError,
)

__all__ = [
    "AUTH_HEADER",
    "ERROR_BODY_LIMIT",
    "MAX_BODY_BYTES",
    "decode",
    "dump_json",
    "json_default",
    "mask_auth",
    "masked_copy",
    "masked_request",
    "read_body",
    "transport_error",
]

#: Largest successful answer accepted, in bytes (a 1000-row page is ~0.3 MB).
MAX_BODY_BYTES = 32 * 1024 * 1024
_CHUNK = 64 * 1024


def read_body(response: requests.Response, deadline: float, clock: Callable[[], float]) -> None:
    """Read a streamed answer's body into ``response.content``, bounded in time and size.

    A read timeout bounds each wait for bytes, not the whole body: a server that
    drips one byte just inside the timeout would never be cut off. So the body is
    read one socket read at a time, checking ``deadline`` in between. Error
    answers keep only their first :data:`ERROR_BODY_LIMIT` bytes.

    Args:
        response: An answer from ``session.send(..., stream=True)``.
        deadline: Time (on ``clock``) by which the body must be complete.
        clock: The clock ``deadline`` is on.

    Raises:
        QuoineTimeoutError: The deadline passed or a read timed out.
        QuoineConnectionError: The connection broke before the body was complete,
            or the answer was an informational 1xx (the connection is closed).
        QuoineResponseException: A successful answer larger than :data:`MAX_BODY_BYTES`.
    """
    raw = response.raw
    if raw is None or getattr(response, "_content_consumed", False):
        return  # already read, e.g. by a caching or mocking transport adapter
    if response.status_code < 200:
        # An informational answer (103 Early Hints...) where the answer belongs:
        # the real one may follow on this connection, so it must never be reused.
        raw.close()
        raise QuoineConnectionError(
            f"the server sent an informational {response.status_code} answer in place of "
            "the answer; connection closed, the request may have been processed",
            sent=True,
        )
    # read1 (urllib3 >= 2.3) returns after one socket read; plain read fills the chunk.
    read = getattr(raw, "read1", None) or raw.read
    limit = MAX_BODY_BYTES if response.status_code < 300 else ERROR_BODY_LIMIT
    chunks: list[bytes] = []
    size = 0
    complete = late = False
    try:
        while size <= limit:
            late = clock() > deadline
            if late:
                break
            chunk = read(_CHUNK, decode_content=True)
            if not chunk:
                complete = True
                break
            chunks.append(chunk)
            size += len(chunk)
    except urllib3.exceptions.ReadTimeoutError as exc:
        raise QuoineTimeoutError(f"read timed out in the answer's body: {exc}", sent=True) from exc
    except (urllib3.exceptions.HTTPError, OSError) as exc:
        raise QuoineConnectionError(
            f"the answer's body was cut off ({type(exc).__name__}); the request may have "
            "been processed",
            sent=True,
        ) from exc
    finally:
        if not complete:
            raw.close()  # unread bytes left: the connection cannot be reused
    if late:
        raise QuoineTimeoutError(
            "the call ran past its deadline while reading the answer", sent=True
        )
    body = b"".join(chunks)
    if not complete and response.status_code < 300:
        _keep(response, body[:1000])
        raise response_error(
            masked_copy(response), f"answer larger than {MAX_BODY_BYTES} bytes; not read"
        )
    _keep(response, body[:limit])
    if complete:
        raw.release_conn()


def _keep(response: requests.Response, body: bytes) -> None:
    # What requests itself does once it has read a body.
    response._content = body
    response._content_consumed = True  # type: ignore[attr-defined]


# urllib3 failures that happen before any request byte is written: the request
# provably never reached the server (NameResolutionError subclasses NewConnectionError).
_NOT_SENT_CAUSES = (urllib3.exceptions.NewConnectionError, urllib3.exceptions.ConnectTimeoutError)
# The same, by name, for causes urllib3 only reports in the message.
_NOT_SENT_MARKERS = (
    "NewConnectionError",
    "NameResolutionError",
    "Failed to resolve",
    "Connection refused",
    "ConnectTimeoutError",
    # An HTTPS proxy refused the CONNECT (407, 403, 502...): the tunnel to the
    # exchange never opened. (A ProxyError alone proves nothing: urllib3 also
    # raises it when a forwarding proxy drops a request it may have passed on.)
    "Tunnel connection failed",
)


def _never_sent(exc: requests.exceptions.RequestException) -> bool:
    if isinstance(exc, (requests.exceptions.ConnectTimeout, requests.exceptions.SSLError)):
        return True
    cause = exc.args[0] if exc.args else None
    reason = getattr(cause, "reason", None)  # a urllib3 MaxRetryError
    if isinstance(reason, _NOT_SENT_CAUSES):
        return True
    text = str(exc)
    return any(marker in text for marker in _NOT_SENT_MARKERS)


def transport_error(exc: requests.exceptions.RequestException) -> QuoineTransportError:
    """Wrap a requests failure, noting whether the request may have reached the server.

    ``ConnectionError`` alone does not say: a refused connection and a server that
    read the whole request and then hung up raise the same class. The urllib3
    cause does.
    """
    text = str(exc)
    message = text if len(text) < 300 else text[:297] + "..."
    sent = not _never_sent(exc)
    if isinstance(exc, requests.exceptions.SSLError):
        return QuoineSSLError(message, sent=False)
    if isinstance(exc, requests.exceptions.Timeout):
        return QuoineTimeoutError(message, sent=sent)
    return QuoineConnectionError(message, sent=sent)
