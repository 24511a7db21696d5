"""Exceptions of the realtime client; all derive from :class:`~quoine.exceptions.QuoineError`."""

from __future__ import annotations

from typing import Any

from ..exceptions import QuoineAuthenticationError, QuoineError, shorten
from ._events import scrub

__all__ = ["QuoineRealtimeAuthError", "QuoineRealtimeClosed", "QuoineRealtimeError"]


class QuoineRealtimeError(QuoineError):
    """The realtime service refused something or the connection cannot go on.

    Attributes:
        message: What went wrong (never holding a token).
        code: The ``pusher:error`` code when the server sent one, else None.
    """

    def __init__(self, message: str, *, code: int | None = None) -> None:
        self.message = shorten(scrub(str(message)))
        self.code = code
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message


class QuoineRealtimeClosed(QuoineRealtimeError):
    """The connection was closed: nothing more can be read from it."""


class QuoineRealtimeAuthError(QuoineAuthenticationError):
    """The realtime service refused the login (``quoine:auth_failure``).

    A :class:`~quoine.exceptions.QuoineAuthenticationError`, so one ``except``
    handles a refused REST call and a refused realtime login. There is no HTTP
    answer: ``response`` and ``request`` are None, ``status_code`` is 401.

    Attributes:
        message: The server's message, with anything shaped like a token removed.
        messages: The ``data`` of the ``quoine:auth_failure`` frame, scrubbed likewise.
    """

    def __init__(self, message: str, *, data: Any = None) -> None:
        super().__init__(
            status_code=401,
            message=scrub(str(message)),
            messages=scrub(str(data)) if data is not None else None,
        )

    def __str__(self) -> str:
        return self.message
