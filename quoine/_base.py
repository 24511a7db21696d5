"""The base every endpoint mixin builds on: verb helpers over one ``_request``.

Conventions of the endpoint mixins (``quoine/endpoints/*``):

- **Thin methods.** Check every argument, build the path, query or body, call one
  verb helper (:meth:`EndpointMixin._get`, ``_post``, ``_put``) and return its
  answer. No method sends more than one request, except the ``iter_*`` walkers
  (through :meth:`EndpointMixin._iterate`) and ``create_order``'s lookup after an
  ambiguous failure.
- **Checks before sending.** Each argument goes through a checker of
  ``quoine._utils`` (``positive_int``, ``decimal_string``, ``choice``,
  ``unix_seconds``...; ``optional_*`` for the optional ones), which raises
  :class:`~quoine.exceptions.QuoineValidationError` naming the argument. Amounts
  are sent as plain decimal strings, never floats.
- **None means "not sent".** ``_get`` drops None from the query. Bodies list every
  field, optional ones as None, and are passed through ``drop_none`` at the level
  where the optional fields live (``{"order": drop_none(order)}``); a field is
  never sent as ``null``.
- **Paths** are relative (``"orders"``, no leading slash). A path built from an id
  goes through ``positive_int``; when a module builds the same path in more than
  one method it has a module-level helper (``_order_path(order_id)``).
- **Enum arguments** accept the enum of :mod:`quoine.constants` or its plain string,
  case-sensitive. The allowed values are derived from the enum
  (``_SIDES = tuple(s.value for s in Side)``), never restated.
- **Docstrings** (Google style) name the API endpoint and whether it is signed, the
  units of each argument and the answer's shape. ``Raises:`` lists only what is
  particular to the method (``QuoineOrderNotFound``, or when a valid-looking
  argument is refused); every method may also raise ``QuoineValidationError``
  before sending and the errors of the exception tree (docs/exceptions.rst),
  which are not repeated.
"""

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
