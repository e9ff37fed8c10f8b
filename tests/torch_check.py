"""The one helper every op test goes through: run the same code on minigrad and on torch.

``fn(lib, *xs)`` is written once against the shared API (``lib`` is ``minigrad`` or
``torch``); the helper feeds both the same float64 inputs and the same *random* upstream
gradient (ones would hide transposes and sign errors) and compares values and gradients.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import torch

import minigrad

TOL = 1e-10


def leaves(lib: Any, arrays: list[np.ndarray], requires_grad: bool = True) -> list[Any]:
    return [lib.tensor(a, dtype=lib.float64, requires_grad=requires_grad) for a in arrays]


def to_numpy(t: Any) -> np.ndarray | None:
    if t is None:
        return None
    if isinstance(t, minigrad.Tensor):
        return np.array(t.detach()._data, dtype=np.float64)
    return t.detach().numpy(force=True).astype(np.float64)


def assert_close(got: Any, want: Any, what: str, tol: float = TOL) -> None:
    got, want = to_numpy(got) if not isinstance(got, np.ndarray) else got, (
        to_numpy(want) if not isinstance(want, np.ndarray) else want)
    assert (got is None) == (want is None), f"{what}: minigrad {got} vs torch {want}"
    if got is None:
        return
    assert got.shape == want.shape, f"{what}: shape {got.shape} vs torch {want.shape}"
    np.testing.assert_allclose(got, want, rtol=tol, atol=tol, err_msg=what)


def graph_ops(t: minigrad.Tensor) -> set[str]:
    """Names of the op classes in the graph behind ``t``."""
    seen, stack, names = set(), [t.grad_fn], set()
    while stack:
        node = stack.pop()
        if node is None or id(node) in seen:
            continue
        seen.add(id(node))
        names.add(type(node).__name__)
        stack.extend(node._next)
    return names


def check_against_torch(fn: Callable[..., Any], arrays: list[np.ndarray], seed: int = 0,
                        tol: float = TOL) -> tuple[minigrad.Tensor, torch.Tensor]:
    """Value, gradient (random upstream) and grad_fn name of ``fn`` equal torch's."""
    xm, xt = leaves(minigrad, arrays), leaves(torch, arrays)
    ym, yt = fn(minigrad, *xm), fn(torch, *xt)
    assert_close(ym, yt, "value", tol)
    assert ym.dtype.name == str(yt.dtype).split(".")[1], f"dtype {ym.dtype} vs {yt.dtype}"
    upstream = np.random.default_rng(seed).standard_normal(tuple(yt.shape))
    ym.backward(minigrad.tensor(upstream, dtype=minigrad.float64))
    yt.backward(torch.tensor(upstream, dtype=torch.float64))
    for i, (a, b) in enumerate(zip(xm, xt)):
        assert_close(a.grad, b.grad, f"gradient of input {i}", tol)
    return ym, yt


def check_double_backward(fn: Callable[..., Any], arrays: list[np.ndarray], seed: int = 1) -> None:
    """Differentiate the gradient (create_graph=True) once more; compare with torch."""
    rng = np.random.default_rng(seed)
    results = []
    for lib in (minigrad, torch):
        xs = leaves(lib, arrays)
        y = fn(lib, *xs)
        v = lib.tensor(np.random.default_rng(seed).standard_normal(tuple(y.shape)),
                       dtype=lib.float64)
        grads = lib.autograd.grad(y, xs, v, create_graph=True, allow_unused=True)
        ws = [rng.standard_normal(a.shape) for a in arrays]
        rng = np.random.default_rng(seed)
        terms = [(g * lib.tensor(w, dtype=lib.float64)).sum() for g, w in zip(grads, ws)
                 if g is not None and g.requires_grad]
        if not terms:  # the gradient does not depend on the inputs: the derivative is 0
            results.append([np.zeros(a.shape) for a in arrays])
            continue
        total = terms[0]
        for t in terms[1:]:
            total = total + t
        second = lib.autograd.grad(total, xs, allow_unused=True, materialize_grads=True)
        results.append([to_numpy(g) for g in second])
    got, want = results
    for i, (a, b) in enumerate(zip(got, want)):
        assert_close(a, b, f"second derivative, input {i}")
