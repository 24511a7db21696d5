"""Sphinx directive ``.. answer-types::``: which type each client method returns.

The table is read from the return annotations of the endpoint methods, so it
cannot drift from the code: a method whose annotation changes moves in the
table at the next build.
"""

from __future__ import annotations

import collections.abc
import inspect
import typing
from typing import Any

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.util.docutils import SphinxDirective


def describe(annotation: Any) -> str:
    """The reST for a return annotation, e.g. ``a list of :class:`~quoine.types.Order```."""
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is list:
        return f"a list of {describe(args[0])}"
    if origin is collections.abc.Iterator:
        return f"an iterator of {describe(args[0])}"
    if origin is dict:
        return "a JSON object (no source shows its fields)"
    if type(None) in args:  # Optional[X] / X | None, e.g. find_product
        (present,) = [arg for arg in args if arg is not type(None)]
        return f"{describe(present)} or ``None``"
    if annotation is int:
        return "``int``"
    module = getattr(annotation, "__module__", "")
    if module == "quoine.types":
        return f":class:`~quoine.types.{annotation.__name__}`"
    raise ValueError(f"no description for the annotation {annotation!r}")


def answer_types() -> dict[str, list[str]]:
    """``{description of the type: [method names]}`` for every endpoint method."""
    from quoine import Quoinex

    table: dict[str, list[str]] = {}
    for name, function in inspect.getmembers(Quoinex, inspect.isfunction):
        if name.startswith("_") or "endpoints" not in function.__module__:
            continue
        returned = typing.get_type_hints(function)["return"]
        table.setdefault(describe(returned), []).append(name)
    return table


def table_rst() -> list[str]:
    """The table as reST lines (a list-table, one row per type)."""
    lines = [".. list-table::", "   :header-rows: 1", "   :widths: 40 60", ""]
    lines += ["   * - Type of the answer", "     - Methods"]
    for described, methods in sorted(answer_types().items()):
        lines.append(f"   * - {described}")
        lines.append("     - " + ", ".join(f"``{m}``" for m in sorted(methods)))
    return lines


class AnswerTypes(SphinxDirective):
    """Insert the table."""

    def run(self) -> list[nodes.Node]:
        container = nodes.container()
        self.state.nested_parse(StringList(table_rst()), self.content_offset, container)
        return container.children


def setup(app: Any) -> dict[str, Any]:
    app.add_directive("answer-types", AnswerTypes)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
