"""Program fuzzing: random autograd programs give the same results on minigrad and torch.

A program (tests/fuzz_programs.py) is data: leaves, steps (ops with broadcasting, reductions,
detach, no_grad, if/while on tensor comparisons, in-place updates) and backward actions.  The
same interpreter runs it once per library; after every action we record the exception type (or
None) and every leaf's .grad (or None).  Both records must agree.
"""

from __future__ import annotations

import numpy as np
import torch
from fuzz_programs import build, make_leaves, play, program
from hypothesis import HealthCheck, given, settings

import minigrad


def run(t, prog):
    """Interpret ``prog`` with library ``t``; return the record of every action."""
    leaves = make_leaves(t, prog)
    try:
        vs = build(t, prog, leaves)
    except Exception as e:  # noqa: BLE001 - an error while building is part of the record
        return [("build", type(e).__name__)]
    return play(t, prog, leaves, lambda i: vs[i % len(vs)])


def assert_same(got, want):
    assert len(got) == len(want)
    for (ga, ge, *gg), (wa, we, *wg) in zip(got, want):
        assert (ga, ge) == (wa, we)
        for g, w in zip(gg[0] if gg else [], wg[0] if wg else []):
            assert (g is None) == (w is None)
            if g is not None:
                np.testing.assert_allclose(g, w, rtol=1e-9, atol=1e-10, equal_nan=True)


@settings(max_examples=500, deadline=None, derandomize=False,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(program)
def test_random_programs_match_torch(prog):
    assert_same(run(minigrad, prog), run(torch, prog))
