"""The base every endpoint mixin builds on: verb helpers over one ``_request``."""

from __future__ import annotations

import abc
from collections.abc import Iterator, Mapping
from typing import Any, Callable

from ._utils import drop_none
from .pagination import iter_pages

#: A decoded JSON object as returned by the API.
JSON = dict[str, Any]


class EndpointMixin(abc.ABC):
    """Verb helpers shared by the endpoint groups.

    A concrete client implements :meth:`_request`, the single path every call takes
    (build, sign, send, decode).
    """

    @abc.abstractmethod
    def _request(
        self,
        method: str,
        path: str,
        *,
        signed: bool = False,
        params: Mapping[str, Any] | None = None,
        body: Any = None,
        idempotent: bool | None = None,
    ) -> Any:
        """Send one request and return the decoded JSON answer."""

    def _get(
        self,
        path: str,
        params: Mapping[str, Any] | None = None,
        *,
        signed: bool = False,
    ) -> Any:
        return self._request("GET", path, signed=signed, params=drop_none(params or {}))

    def _post(self, path: str, body: Any = None) -> Any:
        return self._request("POST", path, signed=True, body=body)

    def _put(self, path: str, body: Any = None, *, idempotent: bool = False) -> Any:
        return self._request("PUT", path, signed=True, body=body, idempotent=idempotent)

    @abc.abstractmethod
    def _backoff(self, retry: int) -> None:
        """Sleep before follow-up request number ``retry`` (0 for the first)."""

    def _iterate(
        self, fetch: Callable[..., Any], limit: int | None, **params: Any
    ) -> Iterator[Any]:
        """Yield every item of a paginated list, largest pages first (typed by the caller)."""
        return iter_pages(fetch, limit=limit, **params)
