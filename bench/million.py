"""Workload 6: backward through 1 000 000 ops — the deep chain on a scalar, 250 000 steps.

A recursive engine dies near depth 1 000 (Python's recursion limit); this one must not. Time
of forward and backward (one run each, after a warm-up at depth 1 000), and memory: bytes held
by the graph after forward and the peak over forward and backward, measured in a separate run.
"""

from __future__ import annotations

import sys

import chain
from common import ENGINES, Result, Table, measure, memory

OPS_PER_STEP = 4  # sin, *1.0001, 0.1*, +


def run(quick: bool = False) -> Result:
    chain.check()
    ops = 1_000 if quick else 1_000_000
    steps = ops // OPS_PER_STEP
    shape = chain.SHAPES["scalar"]
    table = Table(f"6. backward through {ops:,} ops (scalar chain, {steps:,} steps, float32)")
    times, mems = {}, {}
    for name in ENGINES:
        if not quick:
            measure(*chain.engines(shape, chain.DTYPES["float32"], 1000)[name], repeats=1, warmup=0)
        forward, backward = chain.engines(shape, chain.DTYPES["float32"], steps)[name]
        times[name] = measure(forward, backward, repeats=1, warmup=0)
        mems[name] = memory(forward, backward, native=name == "torch")
    case = f"{ops:,} ops"
    table.add(case, "fwd s", *(times[e].forward for e in ENGINES))
    table.add(case, "bwd s", *(times[e].backward for e in ENGINES))
    table.add(case, "bwd/fwd", *(times[e].backward / times[e].forward for e in ENGINES),
              ratios=False)
    table.add(case, "held after fwd MB", *(mb(mems[e].held) for e in ENGINES))
    table.add(case, "peak fwd+bwd MB", *(mb(mems[e].peak) for e in ENGINES))
    table.notes += [
        f"one timed run each; Python's recursion limit stayed {sys.getrecursionlimit()}.",
        "memory in a separate run: minigrad and numpy by tracemalloc (exact peak), torch by "
        "glibc mallinfo2 (C heap in use; its peak sampled every ~1 ms, a lower bound).",
    ]
    return Result([table])


def mb(n: int | None) -> float | None:
    return None if n is None else n / 1e6


if __name__ == "__main__":
    from common import main

    main(run, doc=__doc__)
