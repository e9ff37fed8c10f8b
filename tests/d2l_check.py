"""Run a d2l-style program twice, under ``minigrad.as_torch()`` and under real torch.

A program is a function whose body starts with ``import torch`` (and ``from torch import nn``
...), as a chapter's code does; inside ``as_torch()`` those lines bind minigrad.  It takes
its data and initial weights as numpy arrays drawn by the test (so both runs see the same
numbers), prints what the chapter prints, and returns the values to compare (tensors,
numbers, lists of them).  ``run_both`` compares the returns and the printed lines:
text equal, numbers in the text and in the returns equal to float32 tolerance.
"""

from __future__ import annotations

import contextlib
import io
import re
from collections.abc import Callable
from typing import Any

import numpy as np

import minigrad

# float32 tolerance: both libraries compute in float32, in a different order of operations
# (numpy's and torch's kernels round differently in the last bit), and a few epochs of
# training carry those differences forward.
RTOL, ATOL = 1e-4, 1e-5
NUMBER = re.compile(r"-?\d+\.\d*(?:e[-+]?\d+)?|-?\d+(?:e[-+]?\d+)?")


def to_plain(value: Any) -> Any:
    """Tensors (of either library) as numpy arrays, recursively through lists and dicts."""
    if isinstance(value, dict):
        return {k: to_plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_plain(v) for v in value]
    if hasattr(value, "detach"):
        return np.asarray(value.detach().tolist(), dtype=np.float64), str(value.dtype)
    return value


def run(program: Callable[..., Any], *args: Any, as_torch: bool) -> tuple[Any, list[str]]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        if as_torch:
            with minigrad.as_torch():
                import torch

                assert torch is minigrad  # the program's `import torch` binds minigrad
                result = program(*args)
        else:
            result = program(*args)
    return to_plain(result), out.getvalue().splitlines()


def assert_same(got: Any, want: Any, where: str = "result") -> None:
    if isinstance(want, dict):
        assert set(got) == set(want), where
        for k in want:
            assert_same(got[k], want[k], f"{where}[{k!r}]")
    elif isinstance(want, list):
        assert isinstance(got, list) and len(got) == len(want), f"{where}: {got} vs {want}"
        for i, (g, w) in enumerate(zip(got, want)):
            assert_same(g, w, f"{where}[{i}]")
    elif isinstance(want, tuple):  # (array, dtype) of a tensor
        assert got[1] == want[1], f"{where}: dtype {got[1]} vs torch {want[1]}"
        assert got[0].shape == want[0].shape, f"{where}: shape {got[0].shape} vs {want[0].shape}"
        np.testing.assert_allclose(got[0], want[0], rtol=RTOL, atol=ATOL, err_msg=where)
    elif isinstance(want, float):
        np.testing.assert_allclose(got, want, rtol=RTOL, atol=ATOL, err_msg=where)
    else:
        assert got == want, f"{where}: {got!r} vs torch {want!r}"


def assert_same_lines(got: list[str], want: list[str]) -> None:
    """Same text; the numbers in it equal to float32 tolerance (printed with 4-6 decimals,
    the last printed digit may differ when the values differ in their last bits)."""
    assert len(got) == len(want), f"printed\n{got}\nvs torch\n{want}"
    for g, w in zip(got, want):
        assert NUMBER.sub("#", g) == NUMBER.sub("#", w), f"printed {g!r} vs torch {w!r}"
        gn = [float(x) for x in NUMBER.findall(g)]
        wn = [float(x) for x in NUMBER.findall(w)]
        np.testing.assert_allclose(gn, wn, rtol=RTOL, atol=2e-4, err_msg=f"{g!r} vs {w!r}")


def run_both(program: Callable[..., Any], *args: Any) -> tuple[Any, list[str]]:
    """Run ``program`` on minigrad and on torch; assert they agree; return torch's run."""
    got, got_lines = run(program, *args, as_torch=True)
    want, want_lines = run(program, *args, as_torch=False)
    assert_same(got, want)
    assert_same_lines(got_lines, want_lines)
    return want, want_lines
