"""The shape promised in the team rules: short functions and no import cycle in quoine/."""

from __future__ import annotations

import ast
import io
import tokenize
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "quoine"
MAX_LINES = 60


def _sources() -> dict[str, Path]:
    """Dotted module name -> file, for every module of the package."""
    modules = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        modules[".".join(parts)] = path
    return modules


def _code_lines(source: str) -> set[int]:
    """Line numbers holding code: not blank, not only a comment."""
    lines = set()
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type not in (
            tokenize.COMMENT,
            tokenize.NL,
            tokenize.NEWLINE,
            tokenize.INDENT,
            tokenize.DEDENT,
            tokenize.ENDMARKER,
        ):
            lines.update(range(token.start[0], token.end[0] + 1))
    return lines


def _docstring_lines(tree: ast.AST) -> set[int]:
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Module)):
            body = node.body
            if (
                body
                and isinstance(body[0], ast.Expr)
                and isinstance(body[0].value, ast.Constant)
                and isinstance(body[0].value.value, str)
            ):
                lines.update(range(body[0].lineno, (body[0].end_lineno or 0) + 1))
    return lines


def long_functions() -> list[tuple[str, str, int]]:
    """(file, qualified name, lines of code) of every function longer than MAX_LINES."""
    found = []
    for path in _sources().values():
        source = path.read_text()
        tree = ast.parse(source)
        code = _code_lines(source) - _docstring_lines(tree)
        parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
        for node in ast.walk(tree):
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            start = min([node.lineno, *(d.lineno for d in node.decorator_list)])
            count = len([n for n in code if start <= n <= (node.end_lineno or 0)])
            if count > MAX_LINES:
                names, parent = [node.name], parents.get(node)
                while parent is not None and not isinstance(parent, ast.Module):
                    if isinstance(parent, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
                        names.append(parent.name)
                    parent = parents.get(parent)
                found.append((path.relative_to(ROOT).as_posix(), ".".join(reversed(names)), count))
    return found


def _imports(module: str, path: Path, known: set[str]) -> set[str]:
    """Package modules imported by ``module`` when it is imported (TYPE_CHECKING aside)."""
    tree = ast.parse(path.read_text())
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    targets: set[str] = set()

    def visit(nodes: list[ast.stmt]) -> None:
        for node in nodes:
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                visit(node.orelse)
                continue
            if isinstance(node, ast.Import):
                targets.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*anchor, *([base] if base else [])])
                for alias in node.names:
                    # "from pkg import mod" needs mod; "from pkg import name" needs pkg.
                    submodule = f"{base}.{alias.name}"
                    targets.add(submodule if submodule in known else base)
            for field in ("body", "orelse", "finalbody", "handlers"):
                inner = getattr(node, field, None)
                if isinstance(inner, list) and not isinstance(
                    node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
                ):
                    visit(inner)
            if isinstance(node, ast.ClassDef):
                visit(node.body)

    visit(tree.body)
    # Importing a.b.c also runs a and a.b, except those already running: the
    # module's own parent packages.
    own = {".".join(module.split(".")[:i]) for i in range(1, module.count(".") + 1)}
    found = set()
    for target in targets:
        parts = target.split(".")
        found.update(".".join(parts[:i]) for i in range(1, len(parts) + 1))
    return (found & known) - own - {module} | (targets & own)


def import_cycles() -> list[list[str]]:
    """Every cycle in the graph of import-time imports between package modules."""
    modules = _sources()
    graph = {name: _imports(name, path, set(modules)) for name, path in modules.items()}
    cycles: list[list[str]] = []
    state: dict[str, int] = {}
    stack: list[str] = []

    def walk(name: str) -> None:
        state[name] = 1
        stack.append(name)
        for target in sorted(graph[name]):
            if state.get(target) == 1:
                cycles.append([*stack[stack.index(target) :], target])
            elif target not in state:
                walk(target)
        stack.pop()
        state[name] = 2

    for name in sorted(graph):
        if name not in state:
            walk(name)
    return cycles


def test_no_function_is_longer_than_60_lines_of_code():
    assert long_functions() == []


def test_the_package_has_no_import_cycle():
    assert import_cycles() == []


def test_the_checks_see_long_functions_and_cycles(tmp_path, monkeypatch):
    """The checks themselves fire: a 61-line function and a two-module cycle are found."""
    package = tmp_path / "quoine"
    package.mkdir()
    (package / "__init__.py").write_text("from . import a\n")
    body = "".join(f"    x{i} = {i}\n" for i in range(60))
    (package / "a.py").write_text(
        f'from .b import g\n\n\ndef f():\n    """Doc.\n\n    More.\n    """\n{body}    # note\n'
    )
    (package / "b.py").write_text("def g():\n    from .a import f\n\n\nfrom . import a\n")
    monkeypatch.setitem(globals(), "ROOT", tmp_path)
    monkeypatch.setitem(globals(), "PACKAGE", package)

    assert long_functions() == [("quoine/a.py", "f", 61)]
    assert ["quoine.a", "quoine.b", "quoine.a"] in import_cycles()
