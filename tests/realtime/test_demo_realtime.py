"""The demo's realtime step: the live book changes with the order, or the extra is named."""

from __future__ import annotations

import io
import sys

import pytest

from quoine.demo import run_demo


def test_demo_shows_the_live_book_change() -> None:
    out = io.StringIO()
    assert run_demo(out) == 0
    text = out.getvalue()
    step = text[text.index("8. Live order book over Liquid Tap") :]
    assert "tap.order_book(1): best bid 29985.0, best ask 30000.0" in step
    assert "ladder update received: best bid now 29992.50000 x 0.02000000" in step
    assert "cancelled: best bid back to 29985.00000" in step
    assert "Sandbox stopped." in step


def test_demo_without_the_extra_names_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "websockets", None)
    for name in [m for m in sys.modules if m.startswith("quoine.realtime")]:
        monkeypatch.delitem(sys.modules, name)
    out = io.StringIO()
    assert run_demo(out) == 0
    assert "pip install 'python-quoine[realtime]' to see the book change live" in out.getvalue()
