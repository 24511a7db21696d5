"""Issue 11 §4: the client and the sandbox agree on routes; the sandbox stays easy to change."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path
from typing import Any

import pytest

import quoine.sandbox
from quoine import Quoinex
from quoine.sandbox.routes import ROUTES
from quoine.sandbox.routing import Router

SANDBOX = Path(quoine.sandbox.__file__).parent

# Routes the sandbox serves that no client method calls, and why. Keep it short.
SANDBOX_ONLY: dict[tuple[str, str], str] = {}
# Client calls the sandbox does not serve, and why.
CLIENT_ONLY: dict[tuple[str, str], str] = {}

ARGS: dict[str, Any] = {
    "currency": "USD", "side": "buy", "order_type": "limit", "quantity": "1", "price": "1",
    "client_order_id": "abc", "address": "addr", "amount": "1", "rate": "0.0001",
    "leverage_level": 2, "fund_reloaned": True, "resolution": 60, "for_action": "withdraw",
    "acc_name": "name", "bank": "bank", "acc_number": "1", "bank_account_id": 1,
    "currency_pair_code": "BTCUSD",
}  # fmt: skip
ALWAYS = ("price", "quantity", "fund_reloaned")


class Sent(Exception):
    pass


def client_calls() -> set[tuple[str, str]]:
    """(method, path) of every request a public client method sends."""
    calls: set[tuple[str, str]] = set()

    def record(self: Any, method: str, path: str, **kw: Any) -> Any:
        calls.add((method, "/" + path))
        raise Sent

    client = Quoinex("token", "secret")
    client._request = record.__get__(client)  # type: ignore[method-assign]
    for name, method in inspect.getmembers(client, inspect.ismethod):
        if name.startswith("_") or name in ("close",):
            continue
        params = inspect.signature(method).parameters.values()
        args = {
            p.name: ARGS.get(p.name, 1)
            for p in params
            if (p.default is inspect.Parameter.empty or p.name in ALWAYS)
            and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)
        }
        with pytest.raises(Sent):
            result = method(**args)
            next(iter(result))  # a generator (pagination) sends on first use
    return calls


def test_client_and_sandbox_routes_agree():
    router = Router(ROUTES)
    served: set[tuple[str, str]] = set()
    unserved = set()
    for method, path in client_calls():
        found = router.find(method, path)
        if found is None:
            unserved.add((method, path))
        else:
            served.add((found[0].method, found[0].template))
    assert unserved == set(CLIENT_ONLY)
    extra = {(r.method, r.template) for r in ROUTES} - served
    assert extra == set(SANDBOX_ONLY)


def test_every_route_is_registered_once_next_to_its_handler():
    pairs = [(r.method, r.template) for r in ROUTES]
    assert len(pairs) == len(set(pairs))
    source = (SANDBOX / "routes.py").read_text()
    tree = ast.parse(source)
    decorated = sum(
        1
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef)
        for deco in node.decorator_list
        if isinstance(deco, ast.Call) and getattr(deco.func, "id", "") == "route"
    )
    factory_made = source.count('\nroute("')
    assert decorated + factory_made == len(ROUTES)


def code_lines(node: ast.AST, source_lines: list[str]) -> int:
    """Lines of code in a function: no blank lines, comments or docstring."""
    assert isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
    skip: set[int] = set()
    body = node.body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        skip.update(range(body[0].lineno, (body[0].end_lineno or body[0].lineno) + 1))
    count = 0
    for number in range(node.lineno, (node.end_lineno or node.lineno) + 1):
        text = source_lines[number - 1].strip()
        if number not in skip and text and not text.startswith("#"):
            count += 1
    return count


@pytest.mark.parametrize("path", sorted(SANDBOX.glob("*.py")), ids=lambda p: p.name)
def test_no_function_over_60_lines(path):
    source = path.read_text()
    lines = source.splitlines()
    long = [
        (node.name, code_lines(node, lines))
        for node in ast.walk(ast.parse(source))
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
        and code_lines(node, lines) > 60
    ]
    assert long == []


def test_no_import_cycles_and_no_private_calls_across_modules():
    graph: dict[str, set[str]] = {}
    for path in SANDBOX.glob("*.py"):
        tree = ast.parse(path.read_text())
        graph[path.stem] = {
            node.module.lstrip(".").split(".")[0] or "__init__"
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module
        }
        private = [
            node.attr
            for node in ast.walk(tree)
            if isinstance(node, ast.Attribute)
            and node.attr.startswith("_")
            and not node.attr.startswith("__")
            and not (isinstance(node.value, ast.Name) and node.value.id in ("self", "cls"))
        ]
        assert private == [], (path.name, private)

    def visit(module: str, trail: tuple[str, ...]) -> None:
        assert module not in trail, " -> ".join((*trail, module))
        for imported in graph.get(module, ()):
            visit(imported, (*trail, module))

    for module in graph:
        if module != "__init__":
            visit(module, ())
