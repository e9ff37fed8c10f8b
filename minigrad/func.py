"""Function transforms, as ``torch.func``: turn a function into its derivative (lessons 06, 09).

``grad(f)`` is a new *function* that returns the gradient of ``f``; transforms compose, so
``jacfwd(jacrev(f))`` is the Hessian.  Each is built from the two primitive products:

* a **VJP** (vector-Jacobian product, ``uᵀJ``) is one reverse-mode pass: ``vjp``, ``grad``;
  ``jacrev`` runs one VJP per *output* entry (the m rows of the Jacobian);
* a **JVP** (Jacobian-vector product, ``Jv``) is one forward-mode pass: ``jvp``;
  ``jacfwd`` runs one JVP per *input* entry (the n columns of the Jacobian).

So a wide Jacobian (few outputs, many inputs: a loss) is cheap by reverse mode and a tall one
(few inputs) by forward mode.  Nesting works when the outer transform differentiates the inner
one's computation: reverse-over-reverse (``jacrev(jacrev(f))``) records the inner backward pass
(``create_graph``); forward-over-reverse (``jacfwd(jacrev(f))``) pushes tangents through it.
Reverse-over-forward is not supported: tangents are plain numpy arrays, never recorded.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from . import functional as F
from ._grad_mode import enable_grad
from .autograd import forward_ad
from .autograd.engine import AccumulateGrad
from .autograd.engine import grad as _autograd_grad
from .tensor import Tensor

__all__ = ["grad", "grad_and_value", "vjp", "jvp", "jacrev", "jacfwd", "hessian"]

Argnums = int | tuple[int, ...]


def _fresh(x: Any) -> Tensor:
    """A variable to differentiate with respect to, standing for the primal ``x``.

    If an outer transform is differentiating ``x`` (it requires grad), the variable stays
    connected to ``x`` (a clone), so the outer transform sees through this one; a tangent of
    ``x`` (outer forward mode) is carried along either way."""
    x = F.as_tensor(x)
    if x._requires_grad:
        return F.clone(x)
    v = Tensor._wrap(x._data, True)
    v._tangent = x._tangent
    return v


def _leaves_other_than(outs: list[Tensor], own: list[Tensor]) -> bool:
    """Does the recorded graph of ``outs`` reach a leaf that is not one of ``own`` (a tensor
    an outer transform differentiates, captured by a closure)?"""
    mine = {x._edge() for x in own}
    stack: list[Any] = [o.grad_fn for o in outs if o.grad_fn is not None]
    seen = set(stack)
    while stack:
        node = stack.pop()
        if node in mine:
            continue
        if type(node) is AccumulateGrad:
            return True
        for child in node._next:
            if child is not None and child not in seen:
                seen.add(child)
                stack.append(child)
    return False


def _nested(primals: list[Tensor], outs: list[Tensor], xs: list[Tensor]) -> bool:
    """Must this transform's own derivative computation be differentiable?  Yes when an outer
    transform (reverse or forward mode) is watching."""
    return (forward_ad.is_active() or any(p._requires_grad for p in primals)
            or _leaves_other_than(outs, xs))


def _as_tuple(x: Any) -> tuple[Any, ...]:
    return tuple(x) if isinstance(x, (tuple, list)) else (x,)


def _split_aux(result: Any, has_aux: bool) -> tuple[Any, Any]:
    if not has_aux:
        return result, None
    if not (isinstance(result, tuple) and len(result) == 2):
        raise RuntimeError("has_aux=True: the function must return a tuple (output, aux)")
    return result


def _value(t: Tensor, keep: bool) -> Tensor:
    """The primal result: still attached to the graph only when an outer transform needs it."""
    return t if keep else Tensor._wrap(t._data)


def vjp(func: Callable[..., Any], *primals: Any, has_aux: bool = False) -> tuple[Any, ...]:
    """``(func(*primals), vjp_fn)``; ``vjp_fn(u)`` returns ``uᵀJ``, one entry per primal.

    The forward pass runs (and is recorded) once; every call of ``vjp_fn`` is one backward
    pass over that recording."""
    prim = [F.as_tensor(p) for p in primals]
    with enable_grad():
        xs = [_fresh(p) for p in prim]
        out, aux = _split_aux(func(*xs), has_aux)
    outs = list(_as_tuple(out))
    keep = _nested(prim, outs, xs)

    def vjp_fn(*cotangents: Any) -> tuple[Tensor, ...]:
        us = _as_tuple(cotangents[0]) if len(cotangents) == 1 else cotangents
        pairs = [(o, F.as_tensor(u)) for o, u in zip(outs, us, strict=True) if o._requires_grad]
        if not pairs:
            return tuple(Tensor._wrap(np.zeros_like(x._data)) for x in xs)
        with enable_grad():
            grads: tuple[Any, ...] = _autograd_grad(
                [o for o, _ in pairs], xs, [u for _, u in pairs], retain_graph=True,
                create_graph=keep, materialize_grads=True)
        return tuple(g if keep else Tensor._wrap(g._data) for g in grads)

    value = tuple(_value(o, keep) for o in outs) if isinstance(out, tuple) else _value(out, keep)
    return (value, vjp_fn, aux) if has_aux else (value, vjp_fn)


def jvp(func: Callable[..., Any], primals: Any, tangents: Any,
        has_aux: bool = False) -> tuple[Any, ...]:
    """``(func(*primals), J @ tangents)`` by one forward-mode pass (no graph is recorded)."""
    if forward_ad.is_active():
        raise NotImplementedError("minigrad cannot nest forward mode inside forward mode "
                                  "(jacfwd(jacfwd(f))); use jacfwd(jacrev(f)) instead")
    prim = [F.as_tensor(p) for p in _as_tuple(primals)]
    if any(p._requires_grad for p in prim):
        raise NotImplementedError("reverse-over-forward is not supported in minigrad: tangents "
                                  "are not recorded. Use forward-over-reverse, e.g. "
                                  "jvp(grad(f), ...) or jacfwd(jacrev(f))")
    with forward_ad.dual_level():
        duals = [forward_ad.make_dual(p, F.as_tensor(t))
                 for p, t in zip(prim, _as_tuple(tangents), strict=True)]
        out, aux = _split_aux(func(*duals), has_aux)
        pairs = [forward_ad.unpack_dual(o) for o in _as_tuple(out)]
    values = [Tensor._wrap(p._data) for p, _ in pairs]
    tans = [Tensor._wrap(np.zeros_like(p._data)) if t is None else t for p, t in pairs]
    if isinstance(out, tuple):
        result: tuple[Any, ...] = (tuple(values), tuple(tans))
    else:
        result = (values[0], tans[0])
    return result + (aux,) if has_aux else result


def _pick(args: tuple[Any, ...], argnums: Argnums) -> tuple[int, ...]:
    nums = _as_tuple(argnums)
    for n in nums:
        if not -len(args) <= n < len(args):
            raise RuntimeError(f"Got argnums={argnums} but only {len(args)} positional inputs")
    return tuple(n % len(args) for n in nums)


def _shape_result(per_out: list[list[Tensor]], out: Any, argnums: Argnums) -> Any:
    """Arrange Jacobian blocks as torch.func does: by output (if a tuple), then by argnum."""
    rows = [tuple(r) if isinstance(argnums, tuple) else r[0] for r in per_out]
    return tuple(rows) if isinstance(out, tuple) else rows[0]


def jacrev(func: Callable[..., Any], argnums: Argnums = 0,
           has_aux: bool = False) -> Callable[..., Any]:
    """The Jacobian by reverse mode: one VJP per output entry, each a row ``e_iᵀ J``.

    For ``f: (n,) -> (m,)`` the result has shape ``(m, n)`` (generally ``out.shape + x.shape``).
    """

    def wrapper(*args: Any) -> Any:
        nums = _pick(args, argnums)
        got = vjp(_closing(func, args, nums), *[args[n] for n in nums], has_aux=has_aux)
        out, pullback = got[0], got[1]
        outs = _as_tuple(out)
        per_out = []
        for k, o in enumerate(outs):
            rows = []
            for i in range(o.numel()):
                cots = [np.zeros(p.shape, p._data.dtype) for p in outs]
                cots[k].reshape(-1)[i] = 1.0
                rows.append(pullback(tuple(Tensor._wrap(c) for c in cots)))
            per_out.append([_assemble([r[a] for r in rows], o, args[n], rows_first=True)
                            for a, n in enumerate(nums)])
        result = _shape_result(per_out, out, argnums)
        return (result, got[2]) if has_aux else result

    return wrapper


def _assemble(pieces: list[Tensor], out: Tensor, x: Any, rows_first: bool) -> Tensor:
    """Stack the rows (or columns) into a Tensor of shape ``out.shape + x.shape``."""
    x_shape, out_shape = tuple(F.as_tensor(x).shape), tuple(out.shape)
    if not pieces:
        return Tensor._wrap(np.zeros(out_shape + x_shape, out._data.dtype))
    if rows_first:
        return F.reshape(F.stack(pieces), out_shape + x_shape)
    return F.reshape(F.stack(pieces, dim=-1), out_shape + x_shape)


def jacfwd(func: Callable[..., Any], argnums: Argnums = 0,
           has_aux: bool = False) -> Callable[..., Any]:
    """The Jacobian by forward mode: one JVP per input entry, each a column ``J e_j``."""

    def wrapper(*args: Any) -> Any:
        nums = _pick(args, argnums)
        columns: dict[int, list[Any]] = {n: [] for n in nums}
        out = aux = None
        primals = tuple(F.as_tensor(args[n]) for n in nums)
        for n, x in zip(nums, primals, strict=True):
            for j in range(x.numel()):  # the direction e_j: move entry j of input n only
                tangents = [np.zeros(p.shape, p._data.dtype) for p in primals]
                tangents[nums.index(n)].reshape(-1)[j] = 1.0
                got = jvp(_closing(func, args, nums), primals, tuple(tangents), has_aux=has_aux)
                out, aux = got[0], (got[2] if has_aux else None)
                columns[n].append(_as_tuple(got[1]))
        if out is None:  # every differentiated input is empty
            out = _split_aux(func(*args), has_aux)[0]
        outs = _as_tuple(out)
        per_out = [[_assemble([c[k] for c in columns[n]], o, args[n], rows_first=False)
                    for n in nums] for k, o in enumerate(outs)]
        result = _shape_result(per_out, out, argnums)
        return (result, aux) if has_aux else result

    return wrapper


def _closing(func: Callable[..., Any], args: tuple[Any, ...],
             nums: tuple[int, ...]) -> Callable[..., Any]:
    """``func`` as a function of the arguments in ``nums`` only (the others held fixed)."""

    def partial(*xs: Any) -> Any:
        full = list(args)
        for n, x in zip(nums, xs, strict=True):
            full[n] = x
        return func(*full)

    return partial


def hessian(func: Callable[..., Any], argnums: Argnums = 0) -> Callable[..., Any]:
    """The Hessian, as torch.func: ``jacfwd(jacrev(func))`` (forward-over-reverse)."""
    return jacfwd(jacrev(func, argnums), argnums)


def grad_and_value(func: Callable[..., Any], argnums: Argnums = 0,
                   has_aux: bool = False) -> Callable[..., Any]:
    """Like ``grad``, but returns ``(gradient, value)`` (the value is computed anyway)."""

    def wrapper(*args: Any) -> Any:
        nums = _pick(args, argnums)
        got = vjp(_closing(func, args, nums), *[args[n] for n in nums], has_aux=has_aux)
        value, pullback = got[0], got[1]
        if not isinstance(value, Tensor) or value.numel() != 1:
            shape = list(value.shape) if isinstance(value, Tensor) else type(value).__name__
            raise RuntimeError(f"grad_and_value(f)(*args): Expected f(*args) to return a scalar "
                               f"Tensor, got tensor with {shape} dims. Maybe you wanted to "
                               "use the vjp or jacrev APIs instead?")
        grads = pullback(Tensor._wrap(np.ones(value.shape, value._data.dtype)))
        g = grads if isinstance(argnums, tuple) else grads[0]
        return ((g, (value, got[2])) if has_aux else (g, value))

    return wrapper


def grad(func: Callable[..., Any], argnums: Argnums = 0,
         has_aux: bool = False) -> Callable[..., Any]:
    """``grad(f)(x)`` is ∂f/∂x for a scalar ``f``: one VJP with the cotangent 1."""

    def wrapper(*args: Any) -> Any:
        g, value = grad_and_value(func, argnums, has_aux)(*args)
        return (g, value[1]) if has_aux else g

    return wrapper
