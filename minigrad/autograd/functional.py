"""``torch.autograd.functional``: derivatives of a function at a point (lessons 06, 09).

Unlike ``minigrad.func`` (which turns a function into a new function), these take the
function *and* the inputs and return numbers: ``jacobian(f, x)``, ``hessian(f, x)``,
``vjp(f, x, u)`` (``uᵀJ``, reverse mode), ``jvp(f, x, v)`` (``Jv``, forward mode) and
``hvp(f, x, v)`` (``Hv``, a gradient differentiated once more).  ``inputs`` is a Tensor or
a tuple of Tensors, and results follow the same structure, as in torch.  Results are cut
from the graph unless ``create_graph=True``.  ``strict`` and ``vectorize`` are accepted for
torch compatibility and ignored (an unused input simply gets a zero derivative).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .. import functional as F
from .._grad_mode import enable_grad
from ..func import _fresh
from ..tensor import Tensor
from . import forward_ad
from .engine import grad as _grad

__all__ = ["vjp", "jvp", "jacobian", "hessian", "hvp", "vhp"]


def _tuple(x: Any) -> tuple[Any, ...]:
    return tuple(x) if isinstance(x, (tuple, list)) else (x,)


def _like(structure: Any, items: list[Any]) -> Any:
    """``items`` returned as a tuple if ``structure`` was one, else the single item."""
    return tuple(items) if isinstance(structure, (tuple, list)) else items[0]


def _prepare(inputs: Any, create_graph: bool) -> list[Tensor]:
    """Variables to differentiate with respect to (as torch's ``_grad_preprocess``)."""
    xs = []
    for x in _tuple(inputs):
        x = F.as_tensor(x)
        if create_graph and x._requires_grad:
            xs.append(F.reshape(x, tuple(x.shape)))  # still connected to the caller's graph
        else:
            xs.append(Tensor._wrap(x._data, True))
    return xs


def _out(t: Tensor, create_graph: bool) -> Tensor:
    return t if create_graph else Tensor._wrap(t._data)


def _grads(outs: list[Tensor], xs: list[Tensor], us: list[Any],
           create_graph: bool) -> list[Tensor]:
    """``sum_k u_kᵀ J_k`` for every x: one backward pass; zeros where x is not used."""
    pairs = [(o, F.as_tensor(u)) for o, u in zip(outs, us, strict=True) if o._requires_grad]
    if not pairs:
        return [Tensor._wrap(np.zeros_like(x._data)) for x in xs]
    got: tuple[Any, ...] = _grad([o for o, _ in pairs], xs, [u for _, u in pairs],
                                 retain_graph=True, create_graph=create_graph,
                                 materialize_grads=True)
    return list(got)


def _ones_for(outs: list[Tensor], what: str) -> list[Tensor]:
    if len(outs) != 1 or outs[0].numel() != 1:
        raise RuntimeError(f"The vector v can only be None if the {what} is a single element "
                           "Tensor.\nIn minigrad: pass v (the vector to multiply the Jacobian "
                           "with) explicitly (lesson 09).")
    return [Tensor._wrap(np.ones(outs[0].shape, outs[0]._data.dtype))]


def vjp(func: Callable[..., Any], inputs: Any, v: Any = None, create_graph: bool = False,
        strict: bool = False) -> tuple[Any, Any]:
    """``(func(inputs), vᵀJ)`` by one reverse-mode pass."""
    with enable_grad():
        xs = _prepare(inputs, create_graph)
        out = func(*xs)
        outs = list(_tuple(out))
        us = _ones_for(outs, "user-provided function returns") if v is None else list(_tuple(v))
        gs = _grads(outs, xs, us, create_graph)
    return (_like(out, [_out(o, create_graph) for o in outs]),
            _like(inputs, [_out(g, create_graph) for g in gs]))


def jvp(func: Callable[..., Any], inputs: Any, v: Any = None, create_graph: bool = False,
        strict: bool = False) -> tuple[Any, Any]:
    """``(func(inputs), Jv)``: by one forward-mode pass; with ``create_graph=True`` by two
    reverse passes instead (``Jv`` is the gradient of ``uᵀ(Jv)`` ... the "double-vjp trick"),
    so that the result can itself be differentiated."""
    xs = [F.as_tensor(x) for x in _tuple(inputs)]
    vs = _ones_for(xs, "input to the user-provided function is") if v is None else _tuple(v)
    if create_graph:
        return _jvp_by_two_vjps(func, inputs, vs)
    with forward_ad.dual_level():
        duals = [forward_ad.make_dual(Tensor._wrap(x._data), F.as_tensor(t))
                 for x, t in zip(xs, vs, strict=True)]
        out = func(*duals)
        pairs = [forward_ad.unpack_dual(o) for o in _tuple(out)]
    values = [Tensor._wrap(p._data) for p, _ in pairs]
    tans = [Tensor._wrap(np.zeros_like(p._data)) if t is None else t for p, t in pairs]
    return _like(out, values), _like(out, tans)


def _jvp_by_two_vjps(func: Callable[..., Any], inputs: Any, vs: Any) -> tuple[Any, Any]:
    """``g(u) = uᵀJ`` is linear in ``u``, so ``∂(g(u)·v)/∂u = Jv`` (any ``u`` will do)."""
    with enable_grad():
        xs = _prepare(inputs, True)
        out = func(*xs)
        outs = list(_tuple(out))
        us = [Tensor._wrap(np.zeros(o.shape, o._data.dtype), True) for o in outs]
        gs = _grads(outs, xs, us, create_graph=True)
        inner = [F.sum(F.mul(g, F.as_tensor(t))) for g, t in zip(gs, vs, strict=True)]
        total = inner[0]
        for term in inner[1:]:
            total = F.add(total, term)
        jv = _grads([total], us, _ones_for([total], "output"), create_graph=True)
    return _like(out, outs), _like(out, jv)


def _basis(shape: tuple[int, ...], dtype: Any) -> list[Tensor]:
    """The one-hot tensors e_0, e_1, ... of a given shape."""
    out = []
    for i in range(int(np.prod(shape, dtype=np.int64))):
        e = np.zeros(shape, dtype)
        e.reshape(-1)[i] = 1.0
        out.append(Tensor._wrap(e))
    return out


def jacobian(func: Callable[..., Any], inputs: Any, create_graph: bool = False,
             strict: bool = False, vectorize: bool = False,
             strategy: str = "reverse-mode") -> Any:
    """The Jacobian, shape ``out.shape + x.shape`` per (output, input) pair.

    ``strategy="reverse-mode"``: one VJP per output entry (rows);
    ``strategy="forward-mode"``: one JVP per input entry (columns)."""
    if strategy not in ("reverse-mode", "forward-mode"):
        raise ValueError('Expected strategy to be either "forward-mode" or "reverse-mode".')
    with enable_grad():
        xs = _prepare(inputs, create_graph)
        if strategy == "forward-mode":
            out, blocks = _jacobian_forward(func, xs)
        else:
            out = func(*xs)
            blocks = _jacobian_reverse(list(_tuple(out)), xs, create_graph)
    rows = [_like(inputs, [_out(b, create_graph) for b in row]) for row in blocks]
    return _like(out, rows)


def _jacobian_reverse(outs: list[Tensor], xs: list[Tensor], create_graph: bool) -> list[Any]:
    blocks = []
    for k, o in enumerate(outs):
        rows: list[list[Tensor]] = []
        for e in _basis(tuple(o.shape), o._data.dtype):
            us = [e if j == k else Tensor._wrap(np.zeros(p.shape, p._data.dtype))
                  for j, p in enumerate(outs)]
            rows.append(_grads(outs, xs, us, create_graph))
        blocks.append([_stack([r[i] for r in rows], o, x, 0) for i, x in enumerate(xs)])
    return blocks


def _jacobian_forward(func: Callable[..., Any], xs: list[Tensor]) -> tuple[Any, list[Any]]:
    columns: list[list[Any]] = [[] for _ in xs]
    out: Any = None
    for i, x in enumerate(xs):
        for e in _basis(tuple(x.shape), x._data.dtype):
            vs = [e if j == i else Tensor._wrap(np.zeros_like(p._data)) for j, p in enumerate(xs)]
            out, tans = jvp(func, tuple(xs), tuple(vs))
            columns[i].append(_tuple(tans))
    if out is None:
        out = func(*[Tensor._wrap(x._data) for x in xs])
    blocks = [[_stack([c[k] for c in columns[i]], o, x, -1) for i, x in enumerate(xs)]
              for k, o in enumerate(_tuple(out))]
    return out, blocks


def _stack(pieces: list[Tensor], out: Tensor, x: Tensor, dim: int) -> Tensor:
    shape = tuple(out.shape) + tuple(x.shape)
    if not pieces:
        return Tensor._wrap(np.zeros(shape, out._data.dtype))
    return F.reshape(F.stack(pieces, dim=dim), shape)


def hessian(func: Callable[..., Any], inputs: Any, create_graph: bool = False,
            strict: bool = False, vectorize: bool = False,
            outer_jacobian_strategy: str = "reverse-mode") -> Any:
    """The Hessian of a scalar function: the Jacobian of its gradient (the gradient is
    recorded with ``create_graph=True`` so that it can be differentiated once more)."""

    def gradient(*args: Tensor) -> Any:
        xs = [_fresh(x) for x in args]  # a dual input (forward-mode outer Jacobian) stays dual
        out = func(*xs)
        if not isinstance(out, Tensor) or out.numel() != 1:
            raise RuntimeError("The function given to hessian should return a single element "
                               "Tensor")
        return _like(inputs, _grads([out], xs, _ones_for([out], "output"), create_graph=True))

    return jacobian(gradient, inputs, create_graph=create_graph,
                    strategy=outer_jacobian_strategy)


def hvp(func: Callable[..., Any], inputs: Any, v: Any = None, create_graph: bool = False,
        strict: bool = False) -> tuple[Any, Any]:
    """``(func(inputs), Hv)``: reverse-over-reverse, ``Hv = ∂(∇f · v)/∂x``."""
    with enable_grad():
        xs = _prepare(inputs, create_graph)
        out = func(*xs)
        if not isinstance(out, Tensor) or out.numel() != 1:
            raise RuntimeError("The Tensor returned by the function given to hvp should "
                               "contain a single element")
        vs = _ones_for(xs, "input to the user-provided function is") if v is None else _tuple(v)
        gs = _grads([out], xs, _ones_for([out], "output"), create_graph=True)
        hv = _grads(gs, xs, list(vs), create_graph=create_graph)
    return _out(out, create_graph), _like(inputs, [_out(h, create_graph) for h in hv])


def vhp(func: Callable[..., Any], inputs: Any, v: Any = None, create_graph: bool = False,
        strict: bool = False) -> tuple[Any, Any]:
    """``(func(inputs), vᵀH)``; the Hessian is symmetric, so this equals ``hvp``."""
    return hvp(func, inputs, v, create_graph, strict)
