"""The documentation's code examples run against a sandbox exchange.

Every ``.. code-block:: python`` and ``.. code-block:: pycon`` block of
``docs/*.rst`` and ``README.rst`` runs, and so does every example in the
docstrings of the public API (``Example:`` code blocks and ``>>>`` lines). Each
page gets a fresh sandbox on 127.0.0.1 and a fresh copy of the namespace built
by :func:`base_namespace`; its blocks run in order in that namespace, so a block
may use names an earlier block of the same page defined.

The exchange presets (``Quoine``, ``Quoinex``, ``Qryptos``, ``Liquid``) point at
the sandbox while the examples run, the ``QUOINE_API_*`` variables hold its demo
credentials, and placeholder credentials such as ``"API_TOKEN_ID"`` stand for
them. An example that cannot run is listed in :data:`SKIPPED` with the reason;
any other example that raises (or whose ``>>>`` output differs) fails its page.
"""

from __future__ import annotations

import ast
import doctest
import importlib
import inspect
import logging
import pkgutil
import re
import sys
import textwrap
import traceback
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import quoine
from quoine import endpoints
from quoine._auth import NonceGenerator
from quoine.client import Liquid, Qryptos, Quoine, Quoinex
from quoine.sandbox import Sandbox

ROOT = Path(__file__).resolve().parents[2]
PAGES = [*sorted((ROOT / "docs").glob("*.rst")), ROOT / "README.rst"]

#: Credentials written in the examples that stand for the sandbox's demo user.
PLACEHOLDER_TOKENS = {"API_TOKEN_ID", "TOKEN_ID"}
PLACEHOLDER_SECRETS = {"API_SECRET", "SECRET"}

#: Examples that cannot run here: (source, a line of the example) -> reason.
SKIPPED: dict[tuple[str, str], str] = {
    (
        "docs/funding.rst",
        'client.create_crypto_withdrawal("XRP", "rPEPPER7kfTD9w2To4CQk6UCfuHM9c6GDY", "100",',
    ): "the sandbox lists no XRP",
    (
        "docs/migrating.rst",
        '# 0.1.x: sent "BUY", the API answered 422',
    ): "shows the QuoineValidationError 1.0 raises, in a comment before the call",
    (
        "docs/migrating.rst",
        "client.close_trade(57896, 0)",
    ): "0.1.x against 1.0 side by side: shows a call 1.0 refuses, on a made-up position id",
    (
        "docs/migrating.rst",
        "client.create_limit_buy(1, 100, 1e-05)",
    ): "shows what goes on the wire; the exchange rejects a price of 1e-05",
    (
        "docs/migrating.rst",
        "minimum * 1.5           # TypeError in 1.0",
    ): "shows the TypeError of mixing Decimal and float on purpose",
    (
        "docs/migrating.rst",
        "# 0.1.x: \"QuoineAPIException: {'user': ['not_enough_free_balance']}\"",
    ): "str(e) of an exception caught in an earlier example",
    (
        "docs/contributing.rst",
        "stats = client.get_product_stats(1)",
    ): "the docstring of a made-up endpoint, showing how to write one",
}


#: Examples that read a field only the Liquid-era answers carry: not run when the
#: pages run against the sandbox's 2016 dialect.
LIQUID_ERA_ONLY: dict[tuple[str, str], str] = {
    (
        "docs/money.rst",
        'tick = Decimal(client.get_product(1)["tick_size"])',
    ): "the 2016 products have no tick_size (the page says so)",
}


def skip_reason(example: Example, dialect: str = "liquid") -> str | None:
    """Why ``example`` is not run: :data:`SKIPPED`, and in 2016 :data:`LIQUID_ERA_ONLY`."""
    skipped = {**SKIPPED, **LIQUID_ERA_ONLY} if dialect == "quoine" else SKIPPED
    for (source, line), reason in skipped.items():
        if source == example.source and line in example.code:
            return reason
    return None


@dataclass(frozen=True)
class Example:
    """One code example: where it is, how to run it, and its text."""

    source: str  # "docs/orders.rst" or "quoine.endpoints.orders"
    line: int  # line of the code in the page, or in the docstring
    kind: str  # "python" or "doctest"
    code: str

    def __str__(self) -> str:
        return f"{self.source}:{self.line}"


_DIRECTIVE = re.compile(r"^(?P<indent>[ \t]*)\.\. code-block:: *(?P<lang>\w+) *$")


def code_blocks(text: str, source: str, first_line: int = 1) -> Iterator[Example]:
    """Yield the python and pycon code blocks of reStructuredText ``text``."""
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        match = _DIRECTIVE.match(lines[i])
        i += 1
        if not match or match["lang"] not in ("python", "pycon"):
            continue
        indent = len(match["indent"].expandtabs())
        while i < len(lines) and re.match(r"^\s+:\w[\w-]*:", lines[i]):
            i += 1  # directive options such as :caption:
        body: list[str] = []
        start = None
        while i < len(lines):
            line = lines[i]
            if line.strip() and len(line) - len(line.lstrip()) <= indent:
                break
            if line.strip() and start is None:
                start = i
            if start is not None:
                body.append(line)
            i += 1
        if start is None:
            continue
        code = textwrap.dedent("\n".join(body)).strip("\n") + "\n"
        kind = "doctest" if code.lstrip().startswith(">>>") else "python"
        yield Example(source, first_line + start, kind, code)


def page_examples(path: Path) -> list[Example]:
    """The examples of one ``.rst`` page, in order."""
    return list(code_blocks(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT))))


def public_objects() -> Iterator[tuple[str, Any]]:
    """The documented public API: modules, package exports, endpoint methods, module members."""
    seen: set[int] = set()

    def fresh(obj: Any) -> bool:
        if id(obj) in seen:
            return False
        seen.add(id(obj))
        return True

    for name in quoine.__all__:
        obj = getattr(quoine, name)
        if fresh(obj) and (inspect.isclass(obj) or inspect.isfunction(obj)):
            yield f"quoine.{name}", obj
    for mixin_name in endpoints.__all__:
        mixin = getattr(endpoints, mixin_name)
        for name, member in vars(mixin).items():
            if not name.startswith("_") and inspect.isfunction(member) and fresh(member):
                yield f"{mixin.__module__}.{mixin_name}.{name}", member
    yield "quoine", quoine
    for info in pkgutil.walk_packages(quoine.__path__, "quoine."):
        if info.name.startswith("quoine.sandbox") or info.name == "quoine.__main__":
            continue
        module = importlib.import_module(info.name)
        yield info.name, module
        for name, obj in vars(module).items():
            if name.startswith("_") or getattr(obj, "__module__", None) != info.name:
                continue
            if (inspect.isclass(obj) or inspect.isfunction(obj)) and fresh(obj):
                yield f"{info.name}.{name}", obj


def docstring_examples() -> dict[str, list[Example]]:
    """Examples of the public docstrings, grouped by module, in source order.

    A docstring's ``>>>`` lines make one doctest example (keyed by the
    docstring's first line); each ``.. code-block:: python`` is one more.
    """
    grouped: dict[str, list[Example]] = {}
    for qualname, obj in public_objects():
        doc = inspect.getdoc(obj) or ""
        is_module = inspect.ismodule(obj)
        line = 1 if is_module else inspect.getsourcelines(obj)[1]
        found = [ex for ex in code_blocks(doc, qualname, line) if ex.kind == "python"]
        if ">>>" in doc:
            found.append(Example(qualname, line, "doctest", doc))
        grouped.setdefault(obj.__name__ if is_module else obj.__module__, []).extend(found)
    return grouped


DOCSTRINGS = docstring_examples()
GROUPS: dict[str, list[Example]] = {
    **{str(p.relative_to(ROOT)): page_examples(p) for p in PAGES},
    **DOCSTRINGS,
}


def base_namespace(sb: Sandbox) -> dict[str, Any]:
    """Names the examples may use without defining them."""
    client = Quoinex(sb.token_id, sb.secret, api_url=sb.url, rate_limit=None)
    return {
        "__name__": "__docs_example__",
        "Decimal": Decimal,
        "client": client,
        "api_token_id": sb.token_id,
        "api_secret": sb.secret,
        "token_id": sb.token_id,
        "secret": sb.secret,
        "token": sb.token_id,
        "Quoine": Quoine,
        "Quoinex": Quoinex,
        "Qryptos": Qryptos,
        "Liquid": Liquid,
        "tap_url": sb.tap_url,  # the sandbox's Liquid Tap (docs/realtime.rst)
    }


@pytest.fixture
def sandbox(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[Sandbox]:
    """A sandbox that every client made by the examples talks to as its demo user.

    It answers in the Liquid-era shapes unless a test asks for another dialect
    (``@pytest.mark.parametrize("sandbox", ["quoine"], indirect=True)``).
    """
    dialect = getattr(request, "param", "liquid")
    with Sandbox(rate_limit=None, dialect=dialect) as sb:
        sb.exchange.seed_executions(1, 2500)  # a public trade history to read
        for cls in (Quoine, Quoinex, Qryptos, Liquid):
            monkeypatch.setattr(cls, "API_URL", sb.url)
        monkeypatch.setenv("QUOINE_API_TOKEN_ID", sb.token_id)
        monkeypatch.setenv("QUOINE_API_SECRET", sb.secret)
        nonces = NonceGenerator()  # one token: its clients must share the nonces
        init = Quoine.__init__

        def sandbox_init(self: Quoine, *args: Any, **kwargs: Any) -> None:
            args_list = list(args)
            for index, (name, placeholders, real) in enumerate(
                (
                    ("api_token_id", PLACEHOLDER_TOKENS, sb.token_id),
                    ("api_secret", PLACEHOLDER_SECRETS, sb.secret),
                )
            ):
                if index < len(args_list) and args_list[index] in placeholders:
                    args_list[index] = real
                if kwargs.get(name) in placeholders:
                    kwargs[name] = real
            kwargs.setdefault("nonces", nonces)
            init(self, *args_list, **kwargs)

        monkeypatch.setattr(Quoine, "__init__", sandbox_init)
        yield sb


class Fixtures:
    """Fresh objects for the placeholder names the examples use, such as ``order_id``.

    The pages say what each name stands for ("the id of one of your orders");
    before each example that reads such a name without assigning it, the demo
    user gets a new one, so that an example may cancel or close it.
    """

    def __init__(self, sb: Sandbox) -> None:
        self.client = Quoinex(sb.token_id, sb.secret, api_url=sb.url, rate_limit=None)
        self._serial = 0

    def order_id(self) -> int:
        order: dict[str, Any] = self.client.create_limit_buy(1, "0.01", "500")  # stays live
        return int(order["id"])

    def client_order_id(self) -> str:
        self._serial += 1
        client_order_id = f"my-order-{self._serial:04d}-fixture"
        self.client.create_limit_buy(1, "0.01", "500", client_order_id=client_order_id)
        return client_order_id

    def trade_id(self) -> int:
        order = self.client.create_margin_order("market", 1, "buy", "0.01", leverage_level=10)
        return int(self.client.get_order_trades(order["id"])[0]["id"])

    def trading_account_id(self) -> int:
        return int(self.client.get_trading_accounts()[0]["id"])

    def loan_bid_id(self) -> int:
        return int(self.client.create_loan_bid("0.0002", "50", "USD")["id"])

    def loan_id(self) -> int:
        return int(self.client.get_trade_loans(self.trade_id())[0]["id"])

    def bank_account_id(self) -> int:
        account = self.client.create_bank_account("Taro Yamada", "MUFG", "1234567", currency="JPY")
        return int(account["id"])

    def withdrawal_id(self) -> int:
        withdrawal = self.client.create_withdrawal("JPY", "10000", self.bank_account_id())
        return int(withdrawal["id"])

    def crypto_withdrawal_id(self) -> int:
        address = "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"
        return int(self.client.create_crypto_withdrawal("BTC", address, "0.01")["id"])

    NAMES = (
        "order_id",
        "client_order_id",
        "trade_id",
        "trading_account_id",
        "loan_bid_id",
        "loan_id",
        "bank_account_id",
        "withdrawal_id",
        "crypto_withdrawal_id",
    )

    def provide(self, example: Example, namespace: dict[str, Any]) -> None:
        """Set a fresh value for each placeholder name ``example`` reads but never assigns."""
        code = example.code
        if example.kind == "doctest":
            code = "".join(ex.source for ex in doctest.DocTestParser().get_examples(code))
        try:
            tree = ast.parse(code)
        except SyntaxError:
            return  # run_example reports it
        loaded, stored = set(), set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Name):
                (stored if isinstance(node.ctx, ast.Store) else loaded).add(node.id)
        for name in self.NAMES:
            if name in loaded - stored:
                namespace[name] = getattr(self, name)()


#: ``# QuoineValidationError: price must be ...`` as a block's last line: it must raise that.
_EXPECTED_ERROR = re.compile(r"^# (?P<name>Quoine\w+|\w+Error): (?P<text>.+)$")


def expected_error(code: str) -> tuple[str, str] | None:
    """The exception a block ends by announcing, as ``(class name, message text)``."""
    last = code.strip().splitlines()[-1].strip()
    match = _EXPECTED_ERROR.match(last)
    return (match["name"], match["text"].rstrip(". ")) if match else None


def run_example(example: Example, namespace: dict[str, Any]) -> str | None:
    """Run one example in ``namespace``; return what went wrong, or None."""
    if example.kind == "python":
        expected = expected_error(example.code)
        try:
            exec(compile(example.code, str(example), "exec"), namespace)
        except Exception as exc:
            names = {cls.__name__ for cls in type(exc).__mro__}
            if expected and expected[0] in names and expected[1] in str(exc):
                return None
            return traceback.format_exc(limit=-3)
        if expected:
            return f"expected {expected[0]}: {expected[1]}, but nothing was raised"
        return None
    test = doctest.DocTestParser().get_doctest(
        example.code, namespace, str(example), str(example), example.line
    )
    report: list[str] = []
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    runner.run(test, out=report.append, clear_globs=False)
    return "".join(report) or None


@pytest.fixture
def restore_logging() -> Iterator[None]:
    """Undo what the logging examples configure (levels and root handlers)."""
    root, library = logging.getLogger(), logging.getLogger("quoine")
    saved = (root.level, list(root.handlers), library.level, list(library.handlers))
    yield
    root.setLevel(saved[0])
    root.handlers[:] = saved[1]
    library.setLevel(saved[2])
    library.handlers[:] = saved[3]


@pytest.mark.parametrize("sandbox", ["liquid", "quoine"], indirect=True)
@pytest.mark.parametrize("group", sorted(GROUPS))
@pytest.mark.usefixtures("restore_logging")
def test_examples_run(group: str, sandbox: Sandbox) -> None:
    """Every example runs on both eras' answers (the sandbox's two dialects)."""
    namespace = base_namespace(sandbox)
    fixtures = Fixtures(sandbox)
    if group in sys.modules:  # a module's docstrings also see its globals
        namespace = {**vars(sys.modules[group]), **namespace}
    failures = []
    try:
        for example in GROUPS[group]:
            if skip_reason(example, sandbox.exchange.dialect):
                continue
            fixtures.provide(example, namespace)
            problem = run_example(example, namespace)
            if problem:
                failures.append(f"--- {example}\n{example.code}\n{problem}")
    finally:
        fixtures.client.close()
        for value in list(namespace.values()):
            if isinstance(value, Quoine):
                value.close()
    assert not failures, "\n".join(failures)


def test_examples_are_found() -> None:
    """The extraction sees the examples (so an empty run cannot pass by accident)."""
    pages = [e for p in PAGES for e in GROUPS[str(p.relative_to(ROOT))]]
    docstrings = [e for group in DOCSTRINGS.values() for e in group]
    assert len(pages) > 100
    assert len(docstrings) > 80
    assert any("get_order_book" in e.code for e in docstrings)


def test_skip_list_is_current() -> None:
    """Every skip entry names exactly one example; a stale entry must be removed."""
    for (source, line), reason in {**SKIPPED, **LIQUID_ERA_ONLY}.items():
        matches = [e for e in GROUPS.get(source, []) if line in e.code]
        assert len(matches) == 1, (source, line, reason, matches)


def test_extraction_of_nested_blocks() -> None:
    text = textwrap.dedent(
        """\
        Title
        =====

        ``option``
            Some text.

            .. code-block:: python
                :caption: nested

                x = 1
                if x:
                    y = 2

            After.

        .. code-block:: bash

            echo not python

        .. code-block:: pycon

            >>> 1 + 1
            2
        """
    )
    blocks = list(code_blocks(text, "t.rst"))
    assert [(b.kind, b.line, b.code) for b in blocks] == [
        ("python", 10, "x = 1\nif x:\n    y = 2\n"),
        ("doctest", 22, ">>> 1 + 1\n2\n"),
    ]


@pytest.mark.usefixtures("restore_logging")
def test_a_broken_example_fails(sandbox: Sandbox) -> None:
    namespace = base_namespace(sandbox)
    try:
        broken = Example("t.rst", 1, "python", "client.get_order(999999)\n")
        assert "QuoineOrderNotFound" in (run_example(broken, namespace) or "")
        wrong_output = Example("t.rst", 1, "doctest", ">>> client.get_product(1)['id']\n'2'\n")
        assert "Expected" in (run_example(wrong_output, namespace) or "")
        works = Example("t.rst", 1, "python", "product = client.get_product(1)\n")
        assert run_example(works, namespace) is None
        assert namespace["product"]["id"] == "1"
    finally:
        namespace["client"].close()


def test_an_announced_error_must_be_raised(sandbox: Sandbox) -> None:
    namespace = base_namespace(sandbox)
    announced = "\n# QuoineValidationError: price must be greater than zero"
    try:
        raises = Example("t.rst", 1, "python", 'client.create_limit_buy(1, "0.01", 0)' + announced)
        assert run_example(raises, namespace) is None
        silent = Example("t.rst", 1, "python", "client.get_product(1)" + announced)
        assert "nothing was raised" in (run_example(silent, namespace) or "")
        other = Example("t.rst", 1, "python", 'client.create_limit_buy(1, "0", "5")' + announced)
        assert "QuoineValidationError" in (run_example(other, namespace) or "")
    finally:
        namespace["client"].close()


def test_fixture_names_are_fresh_per_example(sandbox: Sandbox) -> None:
    fixtures = Fixtures(sandbox)
    namespace: dict[str, Any] = {}
    try:
        fixtures.provide(
            Example("t.rst", 1, "python", "client.cancel_order(order_id)\n"), namespace
        )
        first = namespace["order_id"]
        fixtures.provide(Example("t.rst", 1, "python", "client.get_order(order_id)\n"), namespace)
        assert namespace["order_id"] != first
        mine = Example("t.rst", 1, "python", "order_id = 5\nclient.get_order(order_id)\n")
        fixtures.provide(mine, namespace)
        assert set(namespace) == {"order_id"}
        fixtures.provide(Example("t.rst", 1, "python", "client.close_trade(trade_id)\n"), namespace)
        open_trades = fixtures.client.get_trades(status="open")["models"]
        assert namespace["trade_id"] in [trade["id"] for trade in open_trades]
    finally:
        fixtures.client.close()


def test_the_shipped_inventories_are_what_make_inventories_writes(tmp_path: Path) -> None:
    """docs/_inventories/*.inv match their source list, and Sphinx reads them."""
    import importlib.util

    from sphinx.util.inventory import InventoryFile

    folder = ROOT / "docs" / "_inventories"
    spec = importlib.util.spec_from_file_location(
        "make_inventories", folder / "make_inventories.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for name, project, objects in (
        ("python", "Python", module.PYTHON),
        ("requests", "Requests", module.REQUESTS),
        ("dateutil", "dateutil", module.DATEUTIL),
        ("pandas", "pandas", module.PANDAS),
    ):
        fresh = tmp_path / f"{name}.inv"
        module.write(fresh, project, "2" if name != "python" else "3", objects)
        shipped = folder / f"{name}.inv"
        assert fresh.read_bytes() == shipped.read_bytes(), f"run {folder}/make_inventories.py"
        with open(shipped, "rb") as stream:
            inventory = InventoryFile.load(stream, "https://example.org", lambda base, uri: uri)
        assert sum(len(entries) for entries in inventory.values()) == len(objects)
    assert "decimal.Decimal" in module.PYTHON and "requests.Session" in module.REQUESTS
