"""Run the test suite on every Python the package claims, and on the oldest dependencies.

``nox`` runs every session; ``nox -s tests-3.12`` one of them. CI (``.ci/run``) runs
the README's test command (everything, coverage included) on its own Python, then
these sessions for the other claimed versions and for the dependency floors.
See docs/testing.rst.
"""

from __future__ import annotations

import pathlib

import nox

ROOT = pathlib.Path(__file__).parent
# Keep in step with requires-python and the classifiers (tests/meta/test_claims.py).
PYTHONS = ["3.10", "3.11", "3.12", "3.13"]
# The end-to-end, command-line and benchmark tests start sandboxes, install the 0.1.4
# and ccxt clients and time things; the main run covers them once.
SUBSET = ["tests", "--ignore=tests/e2e", "--ignore=tests/cli", "--ignore=tests/perf"]
PYTEST = ["-q", "-p", "no:cacheprovider", "-x"]

nox.options.sessions = ["tests", "oldest"]
nox.options.reuse_existing_virtualenvs = False

# Fails the session if an installed version differs from constraints/oldest.txt.
_CHECK_FLOORS = """
import importlib.metadata as md, pathlib, sys
pins = [line.split("==") for line in pathlib.Path(sys.argv[1]).read_text().splitlines()
        if line and not line.startswith("#")]
wrong = [(name, want, md.version(name)) for name, want in pins if md.version(name) != want]
assert not wrong, f"not the floors: {wrong}"
print("floors installed:", ", ".join(f"{name}=={want}" for name, want in pins))
"""


@nox.session(python=PYTHONS)
def tests(session: nox.Session) -> None:
    """The suite, end-to-end parts aside, with the newest dependencies.

    The docs extra too: a docs test reads the shipped inventories with Sphinx.
    """
    session.install("-e", ".[test,docs]")
    session.run("python", "-m", "pytest", *PYTEST, *SUBSET, *session.posargs)


@nox.session(python=PYTHONS[0])
def oldest(session: nox.Session) -> None:
    """The same on the oldest Python with the oldest allowed dependencies."""
    constraints = ROOT / "constraints" / "oldest.txt"
    session.install("-c", str(constraints), "-e", ".[test,docs]")
    session.run("python", "-c", _CHECK_FLOORS, str(constraints))
    session.run("python", "-m", "pytest", *PYTEST, *SUBSET, *session.posargs)
