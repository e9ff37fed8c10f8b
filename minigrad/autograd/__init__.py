"""The reverse-mode engine: walk the recorded graph from the output back to the leaves.

1. Count, for every node reachable from the outputs, how many edges lead into it
   (an iterative walk: no recursion, so graphs of any depth work).
2. Start from the outputs with their gradient (1 for a scalar loss) and run a node's backward
   only once *all* gradients flowing into it have arrived and been summed (fan-out sums).
3. Un-broadcast each input gradient to its input's shape (the one place this happens),
   then send it to the input's node, or add it into ``leaf.grad`` (accumulation).
4. Free each node's saved values once it has run, unless ``retain_graph=True``.

The engine knows no op by name: it only calls ``node.backward(grad_out, *saved)``.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from heapq import heappop, heappush
from typing import Any

import numpy as np

from .. import errors
from .._grad_mode import enable_grad, is_grad_enabled, no_grad, set_grad_enabled, state
from ..function import AccumulateGrad, Function, Node
from ..tensor import Tensor

__all__ = ["backward", "grad", "no_grad", "enable_grad", "set_grad_enabled", "is_grad_enabled",
           "unbroadcast", "Function", "forward_ad", "functional", "gradcheck", "gradgradcheck"]


_ALL_FIT = itertools.repeat(None)  # input_meta of a node whose gradients all fit their inputs


def unbroadcast(g: Any, shape: tuple[int, ...]) -> Any:
    """Sum ``g`` down to ``shape``: the inverse of numpy broadcasting (lesson 05).

    Broadcasting copies an input along new leading axes and along axes of size 1, so the
    gradient of every copy must be added back: sum the leading axes away, then sum (keeping the
    axis) wherever the input had size 1.  Works on arrays and, for create_graph, on Tensors.
    """
    extra = len(g.shape) - len(shape)
    if extra > 0:
        g = g.sum(axis=tuple(range(extra)))
    axes = tuple(i for i, n in enumerate(shape) if n == 1 and g.shape[i] != 1)
    if axes:
        g = g.sum(axis=axes, keepdims=True)
    return g


try:  # numpy >= 2 keeps its error state in a context variable: set it to a prepared value
    from numpy._core._ufunc_config import _extobj_contextvar  # type: ignore[attr-defined]

    with np.errstate(all="ignore"):
        _IGNORE_ALL = _extobj_contextvar.get()
except ImportError:  # pragma: no cover - numpy 1.x
    _extobj_contextvar = None


def _quiet_numpy() -> Any:
    """Silence numpy's floating-point warnings until ``_loud_numpy(token)``: what
    ``np.errstate(all="ignore")`` does, without its set-up on every call (0.6 us, a tenth of
    a one-op backward pass)."""
    if _extobj_contextvar is not None:
        return _extobj_contextvar.set(_IGNORE_ALL)
    quiet = np.errstate(all="ignore")
    quiet.__enter__()
    return quiet


def _loud_numpy(token: Any) -> None:
    if _extobj_contextvar is not None:
        _extobj_contextvar.reset(token)
    else:
        token.__exit__(None, None, None)


def _dependencies(roots: list[Node]) -> dict[Node, int]:
    """For every node reachable from ``roots``: the number of edges that lead into it."""
    deps: dict[Node, int] = {}
    stack = list(roots)
    while stack:
        for child in stack.pop()._next:
            if child is None:
                continue
            if child in deps:
                deps[child] += 1
            else:  # first visit: walk on from it (a root is walked from already)
                deps[child] = 1
                if child not in roots:
                    stack.append(child)
    return deps


def _needed(roots: list[Node], deps: dict[Node, int], targets: set[Node]) -> set[Node]:
    """The nodes from which some target can be reached: only they need to run."""
    remaining = dict(deps)
    order, ready = [], [r for r in dict.fromkeys(roots) if remaining.get(r, 0) == 0]
    while ready:
        node = ready.pop()
        order.append(node)
        for child in node._next:
            if child is not None:
                remaining[child] -= 1
                if remaining[child] == 0:
                    ready.append(child)
    needed: set[Node] = set()
    for node in reversed(order):
        if node in targets or any(c in needed for c in node._next):
            needed.add(node)
    return needed


def _as_grad(g: Any, create_graph: bool) -> Any:
    """A gradient in the engine's working form: an array, or a Tensor under create_graph."""
    if create_graph:
        return g if isinstance(g, Tensor) else Tensor._wrap(np.asarray(g))
    return g._data if isinstance(g, Tensor) else np.asarray(g)


def _root_grads(roots: list[Tensor], grads: Sequence[Any], create_graph: bool) -> list[Any]:
    out = []
    for i, (t, g) in enumerate(zip(roots, grads)):
        if not t._requires_grad:
            raise errors.no_grad_fn(i)
        data = t._data
        if g is None:
            if data.size != 1:
                raise errors.not_scalar(data.shape)
            g = np.array(1, dtype=data.dtype)  # (np.ones is 4x slower)
            if data.shape != ():
                g = g.reshape(data.shape)
            out.append(Tensor._wrap(g) if create_graph else g)
            continue
        out.append(_fit_root_grad(_as_grad(g, create_graph), data, i))
    return out


def _fit_root_grad(g: Any, data: np.ndarray, i: int) -> Any:
    """A given output gradient, checked against the output's shape and cast to its dtype."""
    shape = data.shape
    if tuple(g.shape) != shape:
        try:
            ok = np.broadcast_shapes(shape, tuple(g.shape)) == tuple(g.shape)
        except ValueError:
            ok = False
        if not ok:
            raise errors.grad_shape_mismatch(tuple(g.shape), shape, i)
        g = unbroadcast(g, shape).reshape(shape)
    return _cast(g, data.dtype)


def _cast(g: Any, dtype: np.dtype) -> Any:
    if isinstance(g, Tensor):
        return g if g._data.dtype == dtype else g.to(dtype)
    return g if g.dtype == dtype else g.astype(dtype)


def _call_hooks(hooks: list[Any], g: Any) -> Any:
    for hook in hooks:
        result = hook(g if isinstance(g, Tensor) else Tensor._wrap(g))
        if result is not None:
            g = result if isinstance(g, Tensor) else result._data
    return g


def _keep(t: Tensor, g: Any, create_graph: bool) -> None:
    """Add ``g`` into ``t.grad`` (a leaf's, or a non-leaf's that called ``retain_grad``)."""
    if create_graph:
        t._grad = g if t._grad is None else t._grad + g
    elif t._grad is None:
        t._grad = Tensor._wrap(np.array(g, dtype=t._data.dtype, copy=True, order="C"))
    elif t._grad._requires_grad:
        t._grad = Tensor._wrap(t._grad._data + g)
    elif t._grad._data.ndim == 0:  # (the same, in place: `+=` on a 0-d array is 3x slower)
        t._grad._data[()] = t._grad._data + g
    else:
        t._grad._data += g


def run_backward(roots: list[Tensor], grads: Sequence[Any], retain_graph: bool,
                 create_graph: bool, targets: list[Tensor] | None = None,
                 accumulate: bool = True) -> list[Any] | None:
    """Backpropagate ``grads`` from ``roots``.  With ``targets``, only the part of the graph
    that reaches them runs, and (``accumulate=False``) their gradients are returned instead of
    being added to ``.grad``."""
    root_grads = _root_grads(roots, grads, create_graph)
    buffers: dict[Node, Any] = {}
    node: Any
    for t, g in zip(roots, root_grads):
        node = t._edge()
        buffers[node] = buffers[node] + g if node in buffers else g
    root_nodes = list(buffers)
    deps = _dependencies(root_nodes)
    needed: set[Node] | None = None
    captured: list[Any] | None = None
    if targets is not None:
        target_nodes = {t._edge(): i for i, t in enumerate(targets)}
        needed = _needed(root_nodes, deps, set(target_nodes))
        captured = [None] * len(targets)
    # Ready nodes run latest-created first (as torch's engine does); a leaf's AccumulateGrad
    # runs as soon as it is ready, so an error later in the pass leaves the same .grad as torch.
    ready: list[tuple[int, Any]] = []
    leaves: list[Any] = []
    for n in root_nodes:
        if n not in deps:
            _push(n, ready, leaves)
    prev_mode = state.grad_enabled
    backward_hook = state.backward_hook  # cost counters listen here
    state.grad_enabled = create_graph
    token = _quiet_numpy()  # inf and nan in gradients pass silently, as in torch
    try:
        while ready or leaves:
            node = leaves.pop() if leaves else heappop(ready)[1]
            g = buffers.pop(node)
            if node._pre_hooks:
                g = _call_hooks(node._pre_hooks, g)
            if node._retained is not None and node._retained() is not None:
                _keep(node._retained(), g, create_graph)
            if captured is not None and node in target_nodes:
                captured[target_nodes[node]] = g
                if not any(c in needed for c in node._next):  # type: ignore[operator]
                    continue
            if type(node) is AccumulateGrad:
                leaf = node.variable
                if leaf._hooks:
                    g = _call_hooks(leaf._hooks, g)
                if accumulate:
                    _keep(leaf, g, create_graph)
                continue
            saved = node.saved_tensors
            if create_graph or saved is None:
                saved = node.unpack(create_graph)
            in_grads = node.backward(g, *saved)
            if saved and not retain_graph:
                node.saved_tensors = None  # free them; a second backward raises (unpack)
            if backward_hook is not None:
                backward_hook(node)
            for child, gi, meta in zip(node._next, in_grads, node.input_meta or _ALL_FIT):
                if child is None or gi is None or (needed is not None and child not in needed):
                    continue
                if meta is not None:  # the input was broadcast or had another dtype
                    shape, dtype = meta
                    if gi.shape != shape:
                        gi = unbroadcast(gi, shape)
                    if gi.dtype != dtype:
                        gi = _cast(gi, dtype)
                if child in buffers:
                    buffers[child] = buffers[child] + gi
                else:
                    buffers[child] = gi
                left = deps[child] - 1
                deps[child] = left
                if left == 0:
                    if type(child) is AccumulateGrad:
                        leaves.append(child)
                    else:
                        heappush(ready, (-child._seq, child))
    finally:
        state.grad_enabled = prev_mode
        _loud_numpy(token)
    if captured is None:
        return None
    return [g if g is None or isinstance(g, Tensor) else Tensor._wrap(np.array(g, copy=True))
            for g in captured]


def _push(node: Any, ready: list[tuple[int, Any]], leaves: list[Any]) -> None:
    if type(node) is AccumulateGrad:
        leaves.append(node)
    else:
        heappush(ready, (-node._seq, node))


def _tensors(x: Any) -> list[Any]:
    if x is None:
        return []
    return [x] if isinstance(x, Tensor) else list(x)


def backward(tensors: Any, grad_tensors: Any = None, retain_graph: bool | None = None,
             create_graph: bool = False, inputs: Any = None) -> None:
    """Add the gradient of ``tensors`` w.r.t. the leaves into their ``.grad`` (as torch)."""
    roots = _tensors(tensors)
    grads = _tensors(grad_tensors) if grad_tensors is not None else [None] * len(roots)
    if retain_graph is None:
        retain_graph = create_graph
    if inputs is None:
        run_backward(roots, grads, retain_graph, create_graph)
        return
    targets = _tensors(inputs)
    got = run_backward(roots, grads, retain_graph, create_graph, targets, accumulate=False)
    for t, g in zip(targets, got or []):
        if g is not None:
            _keep(t, g if create_graph else g._data, create_graph)


def grad(outputs: Any, inputs: Any, grad_outputs: Any = None, retain_graph: bool | None = None,
         create_graph: bool = False, allow_unused: bool | None = None,
         materialize_grads: bool = False) -> tuple[Tensor | None, ...]:
    """Return d(outputs)/d(inputs) without touching any ``.grad`` (as ``torch.autograd.grad``)."""
    roots = _tensors(outputs)
    targets = _tensors(inputs)
    grads = _tensors(grad_outputs) if grad_outputs is not None else [None] * len(roots)
    for t in targets:
        if not t._requires_grad:
            raise RuntimeError("One of the differentiated Tensors does not require grad")
    if retain_graph is None:
        retain_graph = create_graph
    got = run_backward(roots, grads, retain_graph, create_graph, targets, accumulate=False)
    assert got is not None
    result = []
    for i, (t, g) in enumerate(zip(targets, got)):
        if g is None:
            if materialize_grads:
                g = Tensor._wrap(np.zeros_like(t._data))
            elif not allow_unused:
                raise errors.unused_input(i)
        result.append(g)
    return tuple(result)


# Forward mode, derivatives of functions and gradcheck (their modules use the names above).
from ..numeric import gradcheck, gradgradcheck  # noqa: E402
from . import forward_ad, functional  # noqa: E402
