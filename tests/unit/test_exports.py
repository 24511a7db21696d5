"""The public surface: exports, mixins, typing marker and repository promises."""

from __future__ import annotations

import ast
import pathlib
import re

import quoine
from quoine import endpoints
from quoine.client import Quoine

ROOT = pathlib.Path(__file__).resolve().parents[2]


def test_all_is_sorted_and_importable():
    assert quoine.__all__ == sorted(quoine.__all__)
    for name in quoine.__all__:
        assert getattr(quoine, name) is not None


def test_type_checking_imports_are_the_lazy_table():
    """The static imports (for mypy and IDEs) name exactly the lazily imported names."""
    tree = ast.parse((ROOT / "quoine" / "__init__.py").read_text())
    block = next(
        node
        for node in tree.body
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING"
    )
    static: dict[str, set[str]] = {}
    for node in block.body:
        assert isinstance(node, ast.ImportFrom), ast.unparse(node)
        # "X as X" marks a re-export for type checkers.
        assert all(alias.asname == alias.name for alias in node.names), ast.unparse(node)
        static["." * node.level + (node.module or "")] = {a.name for a in node.names}
    assert static == {module: set(names) for module, names in quoine._EXPORTS.items()}
    assert quoine.__all__ == sorted(["__version__", *quoine._MODULE_OF])


def test_client_combines_every_endpoint_mixin():
    for name in endpoints.__all__:
        assert issubclass(Quoine, getattr(endpoints, name)), name


def test_py_typed_marker_ships():
    assert (ROOT / "quoine" / "py.typed").exists()


def test_version_is_written_once():
    text = (ROOT / "quoine" / "_version.py").read_text()
    assert re.search(r'__version__ = "1\.0\.0"', text)
    assert (
        'version = {attr = "quoine._version.__version__"}' in (ROOT / "pyproject.toml").read_text()
    )


def test_runtime_dependencies_are_requests_and_dateutil_only():
    text = (ROOT / "pyproject.toml").read_text()
    block = text.split("dependencies = [", 1)[1].split("]", 1)[0]
    names = re.findall(r'"([A-Za-z0-9_.-]+)', block)
    # urllib3 is requests' own dependency: listed only to hold its floor.
    assert names == ["requests", "python-dateutil", "urllib3"]


def test_readme_quick_start_commands_are_the_ones_ci_runs():
    readme = (ROOT / "README.rst").read_text()
    quick_start = readme.split("Quick start", 1)[1].split("\n\n", 3)[2]
    demo, tests = (line.strip() for line in quick_start.strip().splitlines())
    assert demo == "pip install . && python -m quoine demo"
    assert tests in (ROOT / ".ci" / "run").read_text().splitlines()
