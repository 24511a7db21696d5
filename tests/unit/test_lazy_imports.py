"""The package imports its public names lazily, and every one of them still works."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest

import quoine


def test_every_public_name_resolves_to_the_object_in_its_module():
    assert set(quoine._MODULE_OF) | {"__version__"} == set(quoine.__all__)
    for name, module in quoine._MODULE_OF.items():
        owner = importlib.import_module(module, "quoine")
        assert getattr(quoine, name) is getattr(owner, name), name


def test_from_import_and_dir_see_the_lazy_names():
    from quoine import QuoineError, Quoinex, Side, iter_pages

    assert Quoinex.__module__ == "quoine.client"
    assert QuoineError.__module__ == "quoine.exceptions"
    assert Side.BUY == "buy"
    assert callable(iter_pages)
    assert set(quoine.__all__) <= set(dir(quoine))


def test_unknown_attribute_is_an_attribute_error():
    with pytest.raises(AttributeError, match="no_such_name"):
        quoine.no_such_name  # noqa: B018
    assert not hasattr(quoine, "Sandbox")


def _modules_after(statement: str) -> set[str]:
    code = f"import sys; {statement}; print(' '.join(sorted(sys.modules)))"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(run.stdout.split())


def test_importing_the_package_loads_neither_client_nor_requests():
    loaded = _modules_after("import quoine")
    assert "quoine.client" not in loaded
    assert "requests" not in loaded


def test_the_sandbox_starts_without_the_http_client():
    loaded = _modules_after("import quoine.sandbox")
    assert "quoine.sandbox.server" in loaded
    assert "quoine.client" not in loaded
    assert "requests" not in loaded


def test_first_use_of_a_client_name_loads_the_client():
    loaded = _modules_after("import quoine; quoine.Quoinex")
    assert {"quoine.client", "requests"} <= loaded
