"""Workload 2: per-op overhead, ``c = a*b`` on size-1 tensors, forward and backward.

What a student's scalar code feels: the fixed cost of recording one op and of one backward
call, in microseconds per op, against torch and the numpy floor (the multiply, the two
gradient products and the accumulation into the leaves' gradients, nothing else).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch
from common import ENGINES, Result, Table, agree_with_torch, measure

import minigrad

DTYPE = np.float32
LIBS = (("minigrad", minigrad), ("torch", torch))


def loops(k: int) -> dict[str, tuple[Any, Any]]:
    """For each engine: k forward-only multiplies, and k multiply+backward rounds."""
    a0, b0 = np.array(1.5, DTYPE), np.array(-0.75, DTYPE)
    out: dict[str, tuple[Any, Any]] = {}
    for name, lib in LIBS:
        a, b = lib.tensor(a0, requires_grad=True), lib.tensor(b0, requires_grad=True)

        def forward(a: Any = a, b: Any = b) -> None:
            for _ in range(k):
                a * b

        def forward_backward(a: Any = a, b: Any = b) -> None:
            for _ in range(k):
                (a * b).backward()

        out[name] = (forward, forward_backward)
    out["numpy"] = (lambda: numpy_forward(a0, b0, k), lambda: numpy_rounds(a0, b0, k))
    return out


def numpy_forward(a: np.ndarray, b: np.ndarray, k: int) -> None:
    for _ in range(k):
        a * b


def numpy_rounds(a: np.ndarray, b: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """k rounds of c = a*b; dc/da = b, dc/db = a, accumulated into the two gradients."""
    grad_a, grad_b = np.zeros_like(a), np.zeros_like(b)
    for _ in range(k):
        a * b  # the forward value; backward needs only a and b
        grad_a = grad_a + b  # dc/da = b, times the seed dc/dc = 1
        grad_b = grad_b + a
    return grad_a, grad_b


def check(k: int = 3) -> None:
    """After k rounds the accumulated gradients are k*b and k*a in all three engines."""
    a0, b0 = np.array(1.5, DTYPE), np.array(-0.75, DTYPE)
    grads = {"numpy": numpy_rounds(a0, b0, k)}
    for name, lib in LIBS:
        a, b = lib.tensor(a0, requires_grad=True), lib.tensor(b0, requires_grad=True)
        for _ in range(k):
            (a * b).backward()
        grads[name] = (a.grad.numpy(), b.grad.numpy())
    agree_with_torch(grads, "a*b gradients", rtol=1e-6)


def run(quick: bool = False) -> Result:
    check()
    k, repeats, warmup = (10, 1, 0) if quick else (2000, 7, 1)
    us = {}
    for name, (forward, forward_backward) in loops(k).items():
        us[name] = (measure(forward, repeats=repeats, warmup=warmup).forward / k * 1e6,
                    measure(forward_backward, repeats=repeats, warmup=warmup).forward / k * 1e6)
    table = Table("2. per-op overhead: size-1 a*b (float32 0-d tensors)")
    table.add("a*b", "fwd us/op", *(us[e][0] for e in ENGINES))
    table.add("a*b; backward()", "fwd+bwd us/op", *(us[e][1] for e in ENGINES))
    table.notes.append(f"median of {repeats} runs of {k} ops each; the result of a forward-only "
                       "multiply is dropped at once (recording and freeing one node).")
    return Result([table])


if __name__ == "__main__":
    from common import agree_with_torch, main

    main(run, doc=__doc__)
