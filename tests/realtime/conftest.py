from __future__ import annotations

from collections.abc import Iterator

import pytest
from realtime._fakeserver import FakeTap


@pytest.fixture
def fake_tap() -> Iterator[FakeTap]:
    with FakeTap() as server:
        yield server
