"""Every case of the fault and bad-input catalogue has a test marked for it."""

from __future__ import annotations

import re
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
CASES = set(range(1, 41)) | set(range(61, 75))
CASES |= set(range(41, 46))  # decoding, error shapes, amounts, number types, walks
CASES |= set(range(81, 92))  # issue 10 second look: new inputs of the same classes


def test_every_catalogue_case_has_a_marked_test():
    marked: set[int] = set()
    for path in TESTS.rglob("test_*.py"):
        marked.update(int(n) for n in re.findall(r"@pytest\.mark\.case\((\d+)\)", path.read_text()))
    assert CASES - marked == set(), "catalogue cases without a test"
    assert marked - CASES == set(), "marks for cases the catalogue does not have"


def test_the_docs_table_lists_every_case():
    page = (TESTS.parent / "docs" / "reliability.rst").read_text()
    listed = {int(n) for n in re.findall(r"^   \* - (\d+)$", page, flags=re.MULTILINE)}
    assert listed == CASES
