"""The README's reading path: ``y = 2 * dot(x, x); y.backward()`` runs through at most five files
of minigrad, and the README's "Reading minigrad" names each of them (STYLE.md: a reader who
knows micrograd follows that line through at most five files)."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from types import FrameType
from typing import Any

import numpy as np

import minigrad

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = Path(minigrad.__file__).resolve().parent


def files_run(line: Any) -> dict[str, set[str]]:
    """The files of minigrad whose functions ``line()`` calls, each with those functions."""
    seen: dict[str, set[str]] = {}

    def profile(frame: FrameType, event: str, arg: Any) -> None:
        if event == "call":
            path = Path(frame.f_code.co_filename).resolve()
            if path.is_relative_to(PACKAGE):
                name = path.relative_to(PACKAGE.parent).as_posix()
                seen.setdefault(name, set()).add(frame.f_code.co_qualname)

    previous = sys.getprofile()
    sys.setprofile(profile)
    try:
        line()
    finally:
        sys.setprofile(previous)
    return seen


def reading_section() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return text.split("## Reading minigrad", 1)[1].split("\n## ", 1)[0]


def test_two_dot_backward_reads_through_at_most_five_files():
    x = minigrad.tensor([1.0, -2.0, 0.5], requires_grad=True)

    def line() -> None:
        y = 2 * minigrad.dot(x, x)
        y.backward()

    files = files_run(line)
    np.testing.assert_allclose(x.grad.numpy(), 4 * x.detach().numpy())  # d(2 x.x)/dx = 4x
    assert "minigrad/tensor.py" in files and any("engine" in f for f in files)  # it was traced
    assert len(files) <= 5, "\n".join(f"{f}: {sorted(fs)}" for f, fs in files.items())
    section = reading_section()
    for f in files:  # the README's reading order names every file the line runs
        assert re.search(rf"`(minigrad/)?({re.escape(f)}|{re.escape(Path(f).name)})`", section), f
