"""The benchmark suite's checks, at sizes that keep the test suite fast.

No timing is asserted here: the timing targets live in ``python -m benchmarks``
and docs/performance.rst. These tests pin what must hold on any machine: request
counts of the bulk walks, flat memory, and a working command.
"""

from __future__ import annotations

import json
import math

import pytest

from benchmarks import __main__ as runner
from benchmarks import bulk_export


@pytest.mark.parametrize("count", [5_000, 5_432])
def test_bulk_walks_take_the_fewest_requests_the_api_allows(count):
    result = bulk_export.measure_requests(count)
    for name in ("timestamp_walk", "paginated_list"):
        walk = result[name]
        assert walk["each_once_in_order"], name
        assert walk["requests"] == walk["minimum_requests"], name
    assert result["timestamp_walk"]["minimum_requests"] == math.ceil(count / 1000) + 1


def test_walking_many_rows_keeps_memory_flat():
    result = bulk_export.measure_memory(rows=200_000)
    for name in ("iter_pages", "iter_executions_since"):
        assert result[name]["rows"] == 200_000
        # A page of 1000 rows is well under 1 MiB; a walk that kept rows would need ~100.
        assert result[name]["peak_growth_mib"] < 2, name


def test_command_prints_the_table_and_writes_json(tmp_path, capsys):
    out = tmp_path / "results.json"
    assert runner.main(["--quick", "--only", "signing", "--json", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "QuoineAuth.sign" in printed
    assert "<= 10 us" in printed
    results = json.loads(out.read_text())
    assert results["signing"]["us_per_signature"] > 0
    assert results["table"][0]["target"] == "<= 10 us"
    assert results["environment"]["python"]


def test_check_exits_1_when_a_target_is_missed(tmp_path, monkeypatch, capsys):
    missed = runner.Part(run=dict, quick=dict, rows=lambda _: [runner.Row("x", "3", "<= 2", False)])
    monkeypatch.setitem(runner.PARTS, "signing", missed)
    out = str(tmp_path / "r.json")
    assert runner.main(["--only", "signing", "--json", out]) == 0
    assert runner.main(["--only", "signing", "--json", out, "--check"]) == 1
    printed = capsys.readouterr().out
    assert "NO" in printed
    assert "targets missed: x" in printed
