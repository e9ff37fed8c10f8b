"""Workload 1: the deep chain ``y = sin(y)*1.0001 + 0.1*y``, n steps (4 ops each).

Forward time, backward time, backward/forward, and the bytes the graph holds per step, on a
vector of 1 000 and on a scalar, for minigrad, torch and the hand-written numpy floor.

The chain runs in float32, the default dtype of torch and minigrad, and in float64, numpy's
default. The two tell different stories: numpy's float32 sin takes ~1 us for 1 000 values, its
float64 sin ~7 us, while torch's kernels are fast in both; so the numpy floor, and every
numpy-backed engine, is 4x slower in float64 while torch barely changes.

The gradient shrinks by about 0.8 per step, so it reaches the subnormal range after ~420 steps
(float32; ~3 300 in float64) and stays there: every engine's backward then multiplies
subnormals, which some CPUs do slowly. It costs the engines alike; the per-step columns for
n >= 1000 include it.

A fourth engine, ``bare_tape``, is a reference for time: about the least that an engine
recording one Python node per op must spend (no checks, no hooks, no broadcasting: this chain
and nothing else). Its ratio to numpy is a floor for minigrad's.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Sequence
from typing import Any

import numpy as np
import torch
from common import ENGINES, Result, Table, agree_with_torch, measure, memory

import minigrad

A, B = 1.0001, 0.1
DTYPES = {"float32": np.float32, "float64": np.float64}
SHAPES = {"vector 1000": (1000,), "scalar": ()}
CASES = {f"{shape} {dtype}": (SHAPES[shape], DTYPES[dtype])
         for shape in SHAPES for dtype in DTYPES}  # "vector 1000 float32": ((1000,), float32)


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


def inputs(shape: tuple[int, ...], dtype: type) -> tuple[np.ndarray, np.ndarray]:
    """The start point x (in 0.1..1) and a random, not all-ones, upstream gradient."""
    size = int(np.prod(shape))
    x = np.linspace(0.1, 1.0, size).astype(dtype).reshape(shape)
    g = np.random.default_rng(0).standard_normal(shape).astype(dtype)
    return x, g


def engines(shape: tuple[int, ...], dtype: type, n: int) -> dict[str, tuple[Any, Any]]:
    """For each engine: ``forward()`` building the n-step graph and ``backward(out)``."""
    x0, g0 = inputs(shape, dtype)
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
    out["bare_tape"] = (lambda: bare_tape_forward(x0, n), lambda y: bare_tape_backward(y, g0))
    return out


# --- the bare tape: one Python node per op, and nothing else --------------------------------

class _Var:
    """A value and the node that made it: (backward rule, input nodes, saved value, order)."""

    __slots__ = ("value", "node")

    def __init__(self, value: np.ndarray, node: tuple | None) -> None:
        self.value, self.node = value, node


_order = itertools.count()


def _sin(x: _Var) -> _Var:
    return _Var(np.sin(x.value), (lambda g, x: (g * np.cos(x),), (x.node,), x.value, next(_order)))


def _scale(x: _Var, c: float) -> _Var:
    return _Var(x.value * c, (lambda g, c: (g * c,), (x.node,), c, next(_order)))


def _add(x: _Var, y: _Var) -> _Var:
    return _Var(x.value + y.value, (lambda g, _: (g, g), (x.node, y.node), None, next(_order)))


def bare_tape_forward(x0: np.ndarray, n: int) -> _Var:
    y = _Var(x0, None)  # the input: gradients reaching a None node are its gradient
    for _ in range(n):
        y = _add(_scale(_sin(y), A), _scale(y, B))
    return y


def bare_tape_backward(y: _Var, grad_out: np.ndarray) -> np.ndarray:
    """Count each node's consumers, then run nodes latest-first once all their gradients are in
    (the same walk as minigrad's engine, without its checks and features)."""
    waiting: dict[int, int] = {}
    stack = [y.node]
    while stack:
        for child in stack.pop()[1]:
            if child is not None:
                key = id(child)
                if key not in waiting:
                    stack.append(child)
                waiting[key] = waiting.get(key, 0) + 1
    grads, ready, result = {id(y.node): grad_out}, [(0, y.node)], None
    while ready:
        node = heapq.heappop(ready)[1]
        rule, children, saved, _ = node
        for child, g in zip(children, rule(grads.pop(id(node)), saved), strict=True):
            if child is None:
                result = g if result is None else result + g
                continue
            key = id(child)
            grads[key] = grads[key] + g if key in grads else g
            waiting[key] -= 1
            if waiting[key] == 0:
                heapq.heappush(ready, (-child[3], child))
    return result


def check(n: int = 30) -> None:
    """The floor, the bare tape and minigrad compute torch's gradient (at a depth with no
    subnormals)."""
    for shape, dtype in CASES.values():
        x0, g0 = inputs(shape, dtype)
        grads = {"numpy": numpy_backward(numpy_forward(x0, n)[1], g0),
                 "bare_tape": bare_tape_backward(bare_tape_forward(x0, n), g0)}
        for name, lib in LIBS:
            x = lib.tensor(x0, requires_grad=True)
            chain(lib, x, n).backward(lib.tensor(g0))
            grads[name] = x.grad.numpy()
        agree_with_torch(grads, f"chain gradient {shape} {dtype.__name__}", rtol=1e-4, atol=1e-6)


def graph_bytes_per_step(shape: tuple[int, ...], dtype: type, n_lo: int,
                         n_hi: int) -> dict[str, float | None]:
    """Bytes held by the graph per step, for each engine (and the bare tape): the slope of
    held bytes from n_lo to n_hi steps."""
    per_step: dict[str, float | None] = {}
    for name in (*ENGINES, "bare_tape"):
        held = []
        for n in (n_lo, n_hi):
            forward = engines(shape, dtype, n)[name][0]
            held.append(memory(forward, native=name == "torch").held)
        lo, hi = held
        per_step[name] = None if lo is None or hi is None else (hi - lo) / (n_hi - n_lo)
    return per_step


def run(quick: bool = False, ns: Sequence[int] | None = None) -> Result:
    check()
    ns = ns or ((10, 30) if quick else (10, 100, 1000, 3000, 10_000))
    table = Table("1. deep chain y = sin(y)*1.0001 + 0.1*y (4 ops per step)")
    series: dict[str, dict[str, list[float]]] = {}
    bare: dict[str, float] = {}  # the bare tape over numpy: time, and graph memory
    bare_memory: dict[str, float] = {}
    for label, (shape, dtype) in CASES.items():
        series[label] = {name: [] for name in (*ENGINES, "bare_tape")}
        for n in ns:
            repeats, warmup = (1, 0) if quick else (5 if n <= 1000 else 3, 1)
            t = {}
            for name, (forward, backward) in engines(shape, dtype, n).items():
                t[name] = measure(forward, backward, repeats, warmup)
            for name in series[label]:
                series[label][name].append(t[name].total / n * 1e6)
            case, per_step = f"{label} n={n}", [t[e] for e in ENGINES]
            table.add(case, "fwd us/step", *(m.forward / n * 1e6 for m in per_step))
            table.add(case, "bwd us/step", *(m.backward / n * 1e6 for m in per_step))
            table.add(case, "fwd+bwd us/step", *(m.total / n * 1e6 for m in per_step))
            table.add(case, "bwd/fwd", *(m.backward / m.forward for m in per_step), ratios=False)
            bare[case] = t["bare_tape"].total / t["numpy"].total
        n_lo, n_hi = (10, 30) if quick else (100, 1000)
        case = f"{label} n={n_lo}->{n_hi}"
        held = graph_bytes_per_step(shape, dtype, n_lo, n_hi)
        table.add(case, "graph bytes/step", *(held[e] for e in ENGINES))
        if held["bare_tape"] is not None and held["numpy"]:
            bare_memory[case] = held["bare_tape"] / held["numpy"]
    n_ref = 1000 if 1000 in ns else ns[-1]
    table.notes += [
        "us = microseconds; medians of 5 runs (3 for n > 1000) after a warm-up run.",
        "graph bytes/step: growth of the bytes held after forward, per step; minigrad and numpy "
        "by tracemalloc (Python objects and numpy buffers), torch by glibc mallinfo2 "
        "(C heap in use: tensors and autograd nodes).",
        "float32: the gradient is subnormal beyond ~420 steps from the output, for every engine.",
        f"the bare tape (one Python node per op, nothing else), fwd+bwd at n={n_ref} relative to "
        "numpy: " + ", ".join(f"{label} {bare[f'{label} n={n_ref}']:.2f}x" for label in CASES)
        + ": about the least an engine recording one Python node per op can cost.",
        "graph bytes/step of the bare tape relative to numpy (for reference; it is not built "
        "to be small): " + ", ".join(f"{k.split(' n=')[0]} {v:.2f}x"
                                     for k, v in bare_memory.items())
        + ". On a scalar the floor saves one 4- or 8-byte number per step, less than any "
        "Python object: four nodes a step cannot come near 1.2x.",
    ]
    return Result([table], {"ns": list(ns), "per_step": series,
                            "bare_vs_numpy": {**{k: v for k, v in bare.items()
                                                 if k.endswith(f"n={n_ref}")}, **bare_memory}})


if __name__ == "__main__":
    from common import main

    main(run, doc=__doc__)
