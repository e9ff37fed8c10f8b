"""Helpers the question entries share: torch references, and test functions that are plain
data (a dict of arrays) turned into numpy, torch or minigrad code on whichever side needs them.

torch is imported lazily, inside reference functions only: the sandboxed child imports the
question entries to run their drivers and must not load torch for by-hand questions.
"""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType
from typing import Any

import numpy as np


def torch() -> ModuleType:
    import torch as _torch

    return _torch


def t64(array: Any, requires_grad: bool = False) -> Any:
    """A float64 torch tensor (a leaf that requires grad when asked)."""
    return torch().tensor(np.asarray(array, dtype=np.float64), requires_grad=requires_grad)


def grads(output: Any, *inputs: Any, grad_output: Any = None) -> tuple[np.ndarray, ...]:
    """torch.autograd.grad of `output` w.r.t. `inputs`, as numpy arrays."""
    go = None if grad_output is None else t64(grad_output)
    found = torch().autograd.grad(output, inputs, grad_outputs=go, allow_unused=True)
    return tuple(
        np.zeros(tuple(x.shape)) if g is None else g.detach().numpy()
        for g, x in zip(found, inputs, strict=True)
    )


def minigrad() -> ModuleType:
    import minigrad as _minigrad

    return _minigrad


def const(lib: ModuleType, array: np.ndarray) -> Any:
    """`array` as a constant of the library `lib` (numpy, torch or minigrad)."""
    if lib is np:
        return np.asarray(array, dtype=np.float64)
    return lib.tensor(np.asarray(array, dtype=np.float64), dtype=lib.float64)


# ---- scalar test functions: f(x) = sum(sin(A x)) + (b.x)^2 / 2 + sum(exp(c * x)) ----------


def draw_scalar_fn(rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    return {
        "A": rng.normal(size=(n + 1, n)),
        "b": rng.normal(size=n),
        "c": rng.uniform(0.1, 0.5, size=n),
    }


def scalar_fn(spec: dict[str, np.ndarray], lib: ModuleType) -> Callable[[Any], Any]:
    """The function described by `spec`, written with `lib`'s ops; it flattens its input."""
    A, b, c = (const(lib, spec[k]) for k in ("A", "b", "c"))

    def f(x: Any) -> Any:
        x = x.reshape(-1)
        return lib.sin(A @ x).sum() + (b @ x) ** 2 * 0.5 + lib.exp(c * x).sum()

    return f


# ---- vector test functions: f(x) = sin(A x) * (B x) + C exp(c * x), (n,) -> (m,) -------------


def draw_vector_fn(rng: np.random.Generator, n: int, m: int) -> dict[str, np.ndarray]:
    return {
        "A": rng.normal(size=(m, n)),
        "B": rng.normal(size=(m, n)),
        "C": rng.normal(size=(m, n)),
        "c": rng.uniform(0.1, 0.5, size=n),
    }


def vector_fn(spec: dict[str, np.ndarray], lib: ModuleType) -> Callable[[Any], Any]:
    A, B, C, c = (const(lib, spec[k]) for k in ("A", "B", "C", "c"))

    def f(x: Any) -> Any:
        return lib.sin(A @ x) * (B @ x) + C @ lib.exp(c * x)

    return f


def minigrad_fn(body: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """Wrap a minigrad function so that a numpy argument is accepted too."""
    mg = minigrad()

    def f(x: Any) -> Any:
        if isinstance(x, (np.ndarray, list, float)):
            x = mg.tensor(np.asarray(x, dtype=np.float64), dtype=mg.float64)
        return body(x)

    return f
