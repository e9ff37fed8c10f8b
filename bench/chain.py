"""Workload 1: the deep chain ``y = sin(y)*1.0001 + 0.1*y``, n steps (4 ops each).

Forward time, backward time, backward/forward, and the bytes the graph holds per step, on a
vector of 1 000 and on a scalar, for minigrad, torch and the hand-written numpy floor.

The chain runs in float32, the default dtype of torch and minigrad. Its gradient shrinks by
about 0.8 per step, so it reaches the subnormal range after ~420 steps (float32; ~3 300 in
float64) and stays there: every engine's backward then multiplies subnormals, which some CPUs
do slowly. It costs the three engines alike; the per-step columns for n >= 1000 include it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import torch
from common import ENGINES, Result, Table, measure, memory

import minigrad

A, B = 1.0001, 0.1
DTYPE = np.float32
SHAPES = {"vector 1000": (1000,), "scalar": ()}


def chain(lib: Any, y: Any, n: int) -> Any:
    """The chain on minigrad or torch tensors: the very same code for both."""
    for _ in range(n):
        y = lib.sin(y) * A + B * y
    return y


def numpy_forward(x: np.ndarray, n: int) -> tuple[np.ndarray, list[np.ndarray]]:
    """The floor's forward: the output and, per step, the one array backward needs (y_k)."""
    saved = []
    y = x
    for _ in range(n):
        saved.append(y)
        y = np.sin(y) * A + B * y
    return y, saved


def numpy_backward(saved: list[np.ndarray], grad_out: np.ndarray) -> np.ndarray:
    """dy_{k+1}/dy_k = 1.0001*cos(y_k) + 0.1, applied from the last step to the first."""
    g = grad_out
    for y in reversed(saved):
        g = g * (A * np.cos(y) + B)
    return g


LIBS = (("minigrad", minigrad), ("torch", torch))


def inputs(shape: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray]:
    """The start point x (in 0.1..1) and a random, not all-ones, upstream gradient."""
    size = int(np.prod(shape))
    x = np.linspace(0.1, 1.0, size).astype(DTYPE).reshape(shape)
    g = np.random.default_rng(0).standard_normal(shape).astype(DTYPE)
    return x, g


def engines(shape: tuple[int, ...], n: int) -> dict[str, tuple[Any, Any]]:
    """For each engine: ``forward()`` building the n-step graph and ``backward(out)``."""
    x0, g0 = inputs(shape)
    out: dict[str, tuple[Any, Any]] = {}
    for name, lib in LIBS:
        x, g = lib.tensor(x0, requires_grad=True), lib.tensor(g0)

        def forward(lib: Any = lib, x: Any = x) -> Any:
            x.grad = None
            return chain(lib, x, n)

        def backward(y: Any, g: Any = g) -> None:
            y.backward(g)

        out[name] = (forward, backward)
    out["numpy"] = (lambda: numpy_forward(x0, n), lambda fs: numpy_backward(fs[1], g0))
    return out


def check(n: int = 30) -> None:
    """The floor and minigrad compute torch's gradient (at a depth with no subnormals)."""
    for shape in SHAPES.values():
        x0, g0 = inputs(shape)
        grads = {"numpy": numpy_backward(numpy_forward(x0, n)[1], g0)}
        for name, lib in LIBS:
            x = lib.tensor(x0, requires_grad=True)
            chain(lib, x, n).backward(lib.tensor(g0))
            grads[name] = x.grad.numpy()
        for name in ("numpy", "minigrad"):
            np.testing.assert_allclose(grads[name], grads["torch"], rtol=1e-4, atol=1e-6,
                                       err_msg=f"chain gradient: {name} != torch {shape}")


def graph_bytes_per_step(shape: tuple[int, ...], n_lo: int, n_hi: int) -> list[float | None]:
    """Bytes held by the graph per step: the slope of held bytes from n_lo to n_hi steps."""
    per_step: list[float | None] = []
    for name in ENGINES:
        held = []
        for n in (n_lo, n_hi):
            forward = engines(shape, n)[name][0]
            held.append(memory(forward, native=name == "torch").held)
        lo, hi = held
        per_step.append(None if lo is None or hi is None else (hi - lo) / (n_hi - n_lo))
    return per_step


def run(quick: bool = False, ns: Sequence[int] | None = None) -> Result:
    check()
    ns = ns or ((10, 30) if quick else (10, 100, 1000, 3000, 10_000))
    table = Table("1. deep chain y = sin(y)*1.0001 + 0.1*y (float32, 4 ops per step)")
    series: dict[str, dict[str, list[float]]] = {}
    for label, shape in SHAPES.items():
        series[label] = {name: [] for name in ENGINES}
        for n in ns:
            repeats, warmup = (1, 0) if quick else (5 if n <= 1000 else 3, 1)
            t = {}
            for name in ENGINES:
                forward, backward = engines(shape, n)[name]
                t[name] = measure(forward, backward, repeats, warmup)
                series[label][name].append(t[name].total / n * 1e6)
            case, per_step = f"{label} n={n}", [t[e] for e in ENGINES]
            table.add(case, "fwd us/step", *(m.forward / n * 1e6 for m in per_step))
            table.add(case, "bwd us/step", *(m.backward / n * 1e6 for m in per_step))
            table.add(case, "fwd+bwd us/step", *(m.total / n * 1e6 for m in per_step))
            table.add(case, "bwd/fwd", *(m.backward / m.forward for m in per_step), ratios=False)
        n_lo, n_hi = (10, 30) if quick else (100, 1000)
        table.add(f"{label} n={n_lo}->{n_hi}", "graph bytes/step",
                  *graph_bytes_per_step(shape, n_lo, n_hi))
    table.notes += [
        "us = microseconds; medians of 5 runs (3 for n > 1000) after a warm-up run.",
        "graph bytes/step: growth of the bytes held after forward, per step; minigrad and numpy "
        "by tracemalloc (Python objects and numpy buffers), torch by glibc mallinfo2 "
        "(C heap in use: tensors and autograd nodes).",
        "float32: the gradient is subnormal beyond ~420 steps from the output, for every engine.",
    ]
    return Result([table], {"ns": list(ns), "per_step": series})


if __name__ == "__main__":
    from common import main

    main(run, doc=__doc__)
