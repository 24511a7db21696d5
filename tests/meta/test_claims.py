"""What the package claims is what CI tests: Python versions and dependency floors."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = (ROOT / "pyproject.toml").read_text()


def _noxfile_pythons() -> list[str]:
    tree = ast.parse((ROOT / "noxfile.py").read_text())
    for node in tree.body:
        if isinstance(node, ast.Assign) and ast.unparse(node.targets[0]) == "PYTHONS":
            return list(ast.literal_eval(node.value))
    raise AssertionError("noxfile.py has no PYTHONS")


def _floors() -> dict[str, str]:
    block = PYPROJECT.split("\ndependencies = [", 1)[1].split("]", 1)[0]
    return dict(re.findall(r'"([A-Za-z0-9_.-]+)>=([0-9][^",;]*)"', block))


def test_classifiers_and_requires_python_are_the_tested_versions():
    pythons = _noxfile_pythons()
    classified = re.findall(r'"Programming Language :: Python :: (3\.\d+)"', PYPROJECT)
    assert classified == pythons
    assert f'requires-python = ">={pythons[0]}"' in PYPROJECT


def test_ci_runs_the_sessions_of_every_claimed_version():
    run = (ROOT / ".ci" / "run").read_text()
    # The README's test command runs on CI's own Python; nox runs the others.
    assert f"for python in {' '.join(_noxfile_pythons())}; do" in run
    assert '[ "$python" = "$main" ] || sessions+=("tests-$python")' in run
    assert "sessions=(oldest)" in run


def test_the_oldest_constraints_are_the_floors():
    lines = (ROOT / "constraints" / "oldest.txt").read_text().splitlines()
    pins = dict(line.split("==") for line in lines if line and not line.startswith("#"))
    floors = _floors()
    assert floors == pins
    assert set(floors) == {"requests", "python-dateutil", "urllib3"}
