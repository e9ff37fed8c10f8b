"""The code stays ruff-clean, and mypy-clean on the two packages (STYLE.md's habits)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def test_ruff_finds_nothing():
    done = subprocess.run([str(BIN / "ruff"), "check", "minigrad", "grader", "tests", "bench",
                           "nbgrader_config.py"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_mypy_finds_nothing():
    done = subprocess.run([str(BIN / "mypy"), "minigrad", "grader"], cwd=ROOT,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
