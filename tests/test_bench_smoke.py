"""The benchmarks keep working: every workload runs once at a tiny size (``--quick``).

No timing is asserted here (a benchmark is a script that prints ratios, not a timed test);
what is checked is that each workload measures all three engines, that the numpy floor's
gradient check can fail, and that ``run_all`` writes its report and plots.
"""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"
sys.path.insert(0, str(BENCH))  # the scripts import each other as plain modules

run_all = importlib.import_module("run_all")


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], Path]:
    out = tmp_path_factory.mktemp("bench")
    return run_all.main(["--quick", "--out", str(out)]), out


def test_every_workload_measures_every_engine(quick_run: tuple[dict[str, Any], Path]) -> None:
    results, _ = quick_run
    assert list(results) == list(run_all.WORKLOADS)
    for name, result in results.items():
        rows = [row for table in result.tables for row in table.rows]
        assert rows, name
        for row in rows:
            assert row.torch is not None and row.numpy is not None, (name, row)
            missing_forward_mode = name == "jvp" and result.data["problems"]
            assert row.minigrad is not None or missing_forward_mode, (name, row)


def test_report_and_plots_are_written(quick_run: tuple[dict[str, Any], Path]) -> None:
    results, out = quick_run
    report = (out / "RESULTS.md").read_text()
    assert "## Targets (issues 6 and 16)" in report and "torch" in report
    for result in results.values():
        for table in result.tables:
            assert table.title in report
    for picture in ("chain_scaling.png", "targets.png"):
        assert (out / picture).read_bytes().startswith(b"\x89PNG")


def test_the_floor_is_checked_against_torch(monkeypatch: pytest.MonkeyPatch) -> None:
    chain = importlib.import_module("chain")
    monkeypatch.setattr(chain, "numpy_backward", lambda saved, grad_out: grad_out)  # no chain rule
    with pytest.raises(AssertionError, match="numpy != torch"):
        chain.check()


def test_missing_forward_mode_is_reported_not_fatal(monkeypatch: pytest.MonkeyPatch) -> None:
    jvp = importlib.import_module("jvp")

    for method in jvp.MINIGRAD_FORWARD_MODE:
        monkeypatch.setitem(jvp.MINIGRAD_FORWARD_MODE, method, "minigrad.not_written_yet")
    result = jvp.run(quick=True)
    rows = [row for row in result.tables[0].rows if row.quantity.startswith("JVP")]
    assert rows and all(row.minigrad is None and row.torch is not None for row in rows)
    assert any("minigrad forward mode not available" in note for note in result.tables[0].notes)


def test_a_workload_runs_alone_as_a_script() -> None:
    done = subprocess.run([sys.executable, str(BENCH / "per_op.py"), "--quick"],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert "mg/torch" in done.stdout and "fwd+bwd us/op" in done.stdout
