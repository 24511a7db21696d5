"""Routes and what a handler sees of a request.

A handler is registered next to its definition::

    @route("GET", "/products/{id}", private=False)
    def product(req: Request) -> Any:
        ...

``wrap`` names the resource key the API nests a body under (``order`` for
``{"order": {...}}``); ``nested`` lists other members that may hold objects
(``for_params``). Handlers only parse, call the exchange and render.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, Callable

from .config import SandboxConfig
from .exchange import Exchange
from .models import ApiError, User
from .numbers import optional_int

__all__ = ["MAX_LIMIT", "ROUTES", "Request", "Route", "Router", "route"]

MAX_LIMIT = 1000
_PARAM = re.compile(r"\{(\w+)\}")
Handler = Callable[["Request"], Any]


class Route:
    """One route: method, path template, handler, auth and body nesting."""

    def __init__(
        self,
        method: str,
        template: str,
        handler: Handler,
        *,
        private: bool = True,
        wrap: str | None = None,
        nested: tuple[str, ...] = (),
    ) -> None:
        self.method = method
        self.template = template
        self.handler = handler
        self.private = private
        self.wrap = wrap
        self.nested = nested
        pattern = _PARAM.sub(r"(?P<\1>[^/]+)", template)
        self.regex = re.compile(f"^{pattern}$") if "{" in template else None


ROUTES: list[Route] = []
"""Every route, in registration order."""


def route(
    method: str,
    template: str,
    *,
    private: bool = True,
    wrap: str | None = None,
    nested: tuple[str, ...] = (),
) -> Callable[[Handler], Handler]:
    """Register the decorated handler for ``method template`` in :data:`ROUTES`."""

    def register(handler: Handler) -> Handler:
        ROUTES.append(Route(method, template, handler, private=private, wrap=wrap, nested=nested))
        return handler

    return register


class Router:
    """Finds the route of a method and path (static paths first)."""

    def __init__(self, routes: Sequence[Route]) -> None:
        self.routes = list(routes)
        self._static = {(r.method, r.template): r for r in routes if r.regex is None}
        self._dynamic = [r for r in routes if r.regex is not None]

    def find(self, method: str, path: str) -> tuple[Route, dict[str, str]] | None:
        """The route and its path parameters, or None."""
        found = self._static.get((method, path))
        if found is not None:
            return found, {}
        for candidate in self._dynamic:
            if candidate.method != method:
                continue
            assert candidate.regex is not None
            match = candidate.regex.match(path)
            if match:
                return candidate, match.groupdict()
        return None


class Request:
    """What a handler sees of one request."""

    def __init__(
        self,
        exchange: Exchange,
        config: SandboxConfig,
        route: Route,
        query: dict[str, str],
        body: dict[str, Any],
    ) -> None:
        self.ex = exchange
        self.config = config
        self.route = route
        self.query = query
        self.body = body
        self.params: dict[str, str] = {}
        self.user_or_none: User | None = None

    @property
    def user(self) -> User:
        """The authenticated user (private endpoints only)."""
        assert self.user_or_none is not None
        return self.user_or_none

    def fields(self) -> dict[str, Any]:
        """The body's fields: the route's ``wrap`` object, or the flat members.

        In strict mode the wrapped object, when sent, is the whole of it (as
        the API's parameter wrapping works); lenient mode merges flat members
        under the wrapped ones.
        """
        flat = {k: v for k, v in self.body.items() if not isinstance(v, dict)}
        wrapped = self.body.get(self.route.wrap) if self.route.wrap else None
        if not isinstance(wrapped, dict):
            return flat
        return dict(wrapped) if self.config.strict else {**flat, **wrapped}

    def arg(self, name: str, default: str | None = None) -> str | None:
        """A query parameter, or a flat body field as a fallback."""
        value = self.query.get(name)
        if value is None:
            raw = self.fields().get(name)
            if isinstance(raw, (str, int, float)) and not isinstance(raw, bool):
                value = str(raw)
        return default if value in (None, "") else value

    def flag(self, name: str) -> bool:
        """A boolean query parameter (``1``/``true``)."""
        return (self.arg(name) or "").lower() in ("1", "true", "yes")

    def int_arg(self, name: str, default: int) -> int:
        """An integer parameter (422 ``is_invalid`` when not a bounded integer)."""
        return optional_int(self.arg(name), name, default)

    def page(
        self,
        items: Sequence[Any],
        render: Callable[[Any], Any],
        *,
        newest_first: bool = True,
        default: int = 20,
        min_limit: int = 1,
    ) -> dict[str, Any]:
        """Paginate ``items`` (oldest first) as ``{"models", "current_page", "total_pages"}``.

        ``limit`` above 1000 is clamped to 1000; below 1 or not an integer is
        422 and below ``min_limit`` is raised to it. ``page`` starts at 1
        (values below 1 mean 1).
        """
        limit = self.int_arg("limit", default)
        if limit < 1:
            raise ApiError.field("limit", "is_invalid")
        limit = max(min_limit, min(limit, MAX_LIMIT))
        page = max(1, self.int_arg("page", 1))
        total = len(items)
        pages = max(1, -(-total // limit))
        skip = (page - 1) * limit
        if newest_first:
            end = max(0, total - skip)
            chosen = items[max(0, end - limit) : end][::-1]
        else:
            chosen = items[skip : skip + limit]
        return {
            "models": [render(item) for item in chosen],
            "current_page": page,
            "total_pages": pages,
        }
