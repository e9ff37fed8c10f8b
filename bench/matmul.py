"""Workload 4: ``C = A @ B`` on 1024x1024 float32 matrices, forward and backward.

Here BLAS does nearly all the work, so every engine should sit on the floor: the ratios show
what an engine adds around one big kernel (copies, casts, un-broadcasting, accumulation).
Backward is ``dA = G @ B.T``, ``dB = A.T @ G`` for a random upstream gradient G.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch
from common import ENGINES, Result, Table, agree_with_torch, measure

import minigrad

LIBS = (("minigrad", minigrad), ("torch", torch))


def matrices(n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A, B and the upstream gradient G, float32, from a fixed seed."""
    rng = np.random.default_rng(0)
    return tuple(rng.standard_normal((n, n)).astype(np.float32) for _ in range(3))  # type: ignore


def numpy_forward(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The product, and the two inputs its backward needs (kept by reference, not copied)."""
    return a @ b, a, b


def numpy_backward(saved: tuple[np.ndarray, np.ndarray, np.ndarray],
                   grad_out: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    _, a, b = saved
    return grad_out @ b.T, a.T @ grad_out


def engines(n: int) -> dict[str, tuple[Any, Any]]:
    """For each engine: ``forward()`` and ``backward(out)``."""
    a0, b0, g0 = matrices(n)
    out: dict[str, tuple[Any, Any]] = {}
    for name, lib in LIBS:
        a, b = lib.tensor(a0, requires_grad=True), lib.tensor(b0, requires_grad=True)
        g = lib.tensor(g0)

        def forward(lib: Any = lib, a: Any = a, b: Any = b) -> Any:
            a.grad = b.grad = None  # each run starts from fresh gradients: no accumulation
            return lib.matmul(a, b)

        def backward(c: Any, g: Any = g) -> None:
            c.backward(g)

        out[name] = (forward, backward)
    out["numpy"] = (lambda: numpy_forward(a0, b0), lambda saved: numpy_backward(saved, g0))
    return out


def check(n: int = 64) -> None:
    """The floor and minigrad give torch's dA and dB."""
    a0, b0, g0 = matrices(n)
    grads = {"numpy": numpy_backward(numpy_forward(a0, b0), g0)}
    for name, lib in LIBS:
        a, b = lib.tensor(a0, requires_grad=True), lib.tensor(b0, requires_grad=True)
        lib.matmul(a, b).backward(lib.tensor(g0))
        grads[name] = (a.grad.numpy(), b.grad.numpy())
    agree_with_torch(grads, "matmul gradient", rtol=1e-4, atol=1e-4)


def run(quick: bool = False) -> Result:
    check()
    n, repeats, warmup = (64, 1, 0) if quick else (1024, 7, 1)
    t = {name: measure(forward, backward, repeats, warmup)
         for name, (forward, backward) in engines(n).items()}
    table = Table(f"4. matmul {n}x{n} float32, forward and backward")
    case = f"{n}x{n} @ {n}x{n}"
    table.add(case, "fwd ms", *(t[e].forward * 1e3 for e in ENGINES))
    table.add(case, "bwd ms", *(t[e].backward * 1e3 for e in ENGINES))
    table.add(case, "fwd+bwd ms", *(t[e].total * 1e3 for e in ENGINES))
    table.notes.append(f"median of {repeats} runs after {warmup} warm-up; BLAS threads as "
                       "configured (torch and numpy each use their own BLAS).")
    return Result([table])


if __name__ == "__main__":
    from common import agree_with_torch, main

    main(run, doc=__doc__)
