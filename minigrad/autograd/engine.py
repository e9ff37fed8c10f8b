"""The reverse-mode engine: lesson 05's backward pass over the graph that the ops recorded.

1. Seed: each output receives its gradient (1 for a scalar loss).
2. Count, for every node reachable from the outputs, how many edges lead into it (an iterative
   walk: no recursion, so graphs of any depth work).
3. Run a node once *all* the gradients flowing into it have arrived and been summed (fan-out).
   Among the nodes that are ready, the latest created runs first, as in torch's engine; a
   leaf runs as soon as it is ready.
4. Running a node: the gradient **arrives** (hooks, ``retain_grad``, ``inputs=``, and at a
   leaf it is added into ``.grad``); the node's ``backward(grad_out, *saved)`` turns it into one
   gradient per input; each is **sent on** to its input's node, un-broadcast to that input's
   shape (the one place where this happens).
5. A node's saved values are freed once it has run, unless ``retain_graph=True``.

The engine knows no op by name: it only calls ``node.backward``.  ``backward`` and ``grad`` at
the end are torch's two ways in; ``autograd/__init__.py`` names them.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from heapq import heappop, heappush
from typing import Any

import numpy as np

from .. import errors
from .._grad_mode import state
from ..function import AccumulateGrad, Node
from ..tensor import Tensor


def run_backward(roots: list[Tensor], grads: Sequence[Any], retain_graph: bool,
                 create_graph: bool, targets: list[Tensor] | None = None,
                 accumulate: bool = True) -> list[Any] | None:
    """Backpropagate ``grads`` from ``roots``.  With ``targets``, only the part of the graph that
    reaches them runs and their gradients are returned; ``accumulate=False``: no ``.grad`` grows."""
    received = _seed(roots, grads, create_graph)  # node -> the sum of the gradients it received
    deps = _dependencies(list(received))  # node -> edges into it that have not delivered yet
    wanted = None if targets is None else _Targets(targets, list(received), deps)
    needed = None if wanted is None else wanted.needed
    ready: list[tuple[int, Any]] = []  # (-creation order, node): a heap, latest node first
    leaves: list[Any] = []  # ready leaves, run before any other node
    for node in received:
        if node not in deps:
            _push(node, ready, leaves)
    backward_hook = state.backward_hook  # cost counters listen here
    grad_mode, state.grad_enabled = state.grad_enabled, create_graph
    token = _quiet_numpy()  # inf and nan in gradients pass silently, as in torch
    try:
        while ready or leaves:
            node = leaves.pop() if leaves else heappop(ready)[1]
            grad_out = _arrive(node, received.pop(node), wanted, create_graph, accumulate)
            if grad_out is None:  # a leaf, or an input= past which nothing is needed
                continue
            saved = node.saved_tensors
            if create_graph or saved is None:
                saved = node.unpack(create_graph)  # Tensors, or an error once freed
            in_grads = node.backward(grad_out, *saved)
            if saved and not retain_graph:
                node.saved_tensors = None  # free them; a second backward raises (unpack)
            if backward_hook is not None:
                backward_hook(node)
            _send_on(node, in_grads, received, deps, ready, leaves, needed)
    finally:
        state.grad_enabled = grad_mode
        _loud_numpy(token)
    return None if wanted is None else wanted.results()


def _arrive(node: Any, grad_out: Any, wanted: _Targets | None, create_graph: bool,
            accumulate: bool) -> Any:
    """A node's gradient is complete: its hooks may replace it, a tensor that called
    ``retain_grad()`` keeps it, ``inputs=`` captures it, and a leaf adds it into ``.grad``.
    Returns the gradient to run the node's backward with, or None: the walk stops here."""
    if node._pre_hooks:
        grad_out = _call_hooks(node._pre_hooks, grad_out)
    if node._retained is not None and node._retained() is not None:
        _keep(node._retained(), grad_out, create_graph)
    if wanted is not None and wanted.capture(node, grad_out):
        return None
    if type(node) is AccumulateGrad:
        leaf = node.variable
        if leaf._hooks:
            grad_out = _call_hooks(leaf._hooks, grad_out)
        if accumulate:
            _keep(leaf, grad_out, create_graph)
        return None
    return grad_out


_ALL_FIT = itertools.repeat(None)  # input_meta of a node whose gradients all fit their inputs


def _send_on(node: Any, in_grads: Sequence[Any], received: dict[Node, Any],
             deps: dict[Node, int], ready: list[tuple[int, Any]], leaves: list[Any],
             needed: set[Node] | None) -> None:
    """Send each input's gradient to that input's node: fitted to the input's shape (un-broadcast)
    and dtype, added to what the node has received (fan-out), and the node is ready once the
    last edge into it has delivered."""
    for child, grad, meta in zip(node._next, in_grads, node.input_meta or _ALL_FIT):
        if child is None or grad is None or (needed is not None and child not in needed):
            continue
        if meta is not None:  # the input was broadcast or had another dtype
            shape, dtype = meta
            if grad.shape != shape:
                grad = unbroadcast(grad, shape)
            if grad.dtype != dtype:
                grad = _cast(grad, dtype)
        received[child] = received[child] + grad if child in received else grad
        left = deps[child] - 1
        deps[child] = left
        if left == 0:  # (_push, spelled out: this runs once per node)
            if type(child) is AccumulateGrad:
                leaves.append(child)
            else:
                heappush(ready, (-child._seq, child))


def _push(node: Any, ready: list[tuple[int, Any]], leaves: list[Any]) -> None:
    if type(node) is AccumulateGrad:
        leaves.append(node)
    else:
        heappush(ready, (-node._seq, node))


def unbroadcast(grad: Any, shape: tuple[int, ...]) -> Any:
    """Sum ``grad`` down to ``shape``: the inverse of numpy broadcasting (lesson 05).

    Broadcasting copies an input along new leading axes and along axes of size 1, so the
    gradient of every copy must be added back: sum the leading axes away, then sum (keeping the
    axis) wherever the input had size 1.  Works on arrays and, for create_graph, on Tensors.
    """
    extra = len(grad.shape) - len(shape)
    if extra > 0:
        grad = grad.sum(axis=tuple(range(extra)))
    axes = tuple(i for i, n in enumerate(shape) if n == 1 and grad.shape[i] != 1)
    if axes:
        grad = grad.sum(axis=axes, keepdims=True)
    return grad


# -- 1. the seed, and 2. the count of edges ------------------------------------------------
def _seed(roots: list[Tensor], grads: Sequence[Any], create_graph: bool) -> dict[Node, Any]:
    """Each output's node with the gradient it starts from (summed if two outputs share one)."""
    received: dict[Node, Any] = {}
    for i, (t, grad) in enumerate(zip(roots, grads)):
        if not t._requires_grad:
            raise errors.no_grad_fn(i)
        grad = _root_grad(t._data, grad, i, create_graph)
        node = t._edge()
        received[node] = received[node] + grad if node in received else grad
    return received


def _root_grad(data: np.ndarray, grad: Any, i: int, create_graph: bool) -> Any:
    """The gradient an output starts from: 1 for a scalar, else the given one, checked against
    the output's shape and cast to its dtype."""
    if grad is None:
        if data.size != 1:
            raise errors.not_scalar(data.shape)
        grad = np.array(1, dtype=data.dtype)  # (np.ones is 4x slower)
        if data.shape != ():
            grad = grad.reshape(data.shape)
        return Tensor._wrap(grad) if create_graph else grad
    if create_graph:
        grad = grad if isinstance(grad, Tensor) else Tensor._wrap(np.asarray(grad))
    else:
        grad = grad._data if isinstance(grad, Tensor) else np.asarray(grad)
    shape = data.shape
    if tuple(grad.shape) != shape:
        try:
            ok = np.broadcast_shapes(shape, tuple(grad.shape)) == tuple(grad.shape)
        except ValueError:
            ok = False
        if not ok:
            raise errors.grad_shape_mismatch(tuple(grad.shape), shape, i)
        grad = unbroadcast(grad, shape).reshape(shape)
    return _cast(grad, data.dtype)


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


# -- inputs= and autograd.grad: gradients of chosen tensors -------------------------------
class _Targets:
    """The tensors whose gradients are wanted: each is captured when it arrives, and only the
    nodes from which some target can be reached run."""

    def __init__(self, targets: list[Tensor], roots: list[Node], deps: dict[Node, int]) -> None:
        self.index = {t._edge(): i for i, t in enumerate(targets)}
        self.needed = _needed(roots, deps, set(self.index))
        self.grads: list[Any] = [None] * len(targets)

    def capture(self, node: Node, grad: Any) -> bool:
        """Keep ``grad`` if ``node`` is a target's; True when nothing past it is needed."""
        if node not in self.index:
            return False
        self.grads[self.index[node]] = grad
        return not any(c in self.needed for c in node._next)

    def results(self) -> list[Any]:
        return [g if g is None or isinstance(g, Tensor) else Tensor._wrap(np.array(g, copy=True))
                for g in self.grads]


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


# -- small helpers ------------------------------------------------------------------------
def _cast(grad: Any, dtype: np.dtype) -> Any:
    if isinstance(grad, Tensor):
        return grad if grad._data.dtype == dtype else grad.to(dtype)
    return grad if grad.dtype == dtype else grad.astype(dtype)


def _call_hooks(hooks: list[Any], grad: Any) -> Any:
    for hook in hooks:
        result = hook(grad if isinstance(grad, Tensor) else Tensor._wrap(grad))
        if result is not None:
            grad = result if isinstance(grad, Tensor) else result._data
    return grad


def _keep(t: Tensor, grad: Any, create_graph: bool) -> None:
    """Add ``grad`` into ``t.grad`` (a leaf's, or a non-leaf's that called ``retain_grad``)."""
    if create_graph:
        t._grad = grad if t._grad is None else t._grad + grad
    elif t._grad is None:
        t._grad = Tensor._wrap(np.array(grad, dtype=t._data.dtype, copy=True, order="C"))
    elif t._grad._requires_grad:
        t._grad = Tensor._wrap(t._grad._data + grad)
    elif t._grad._data.ndim == 0:  # (the same, in place: `+=` on a 0-d array is 3x slower)
        t._grad._data[()] = t._grad._data + grad
    else:
        t._grad._data += grad


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


# -- torch's two ways in --------------------------------------------------------------------
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
    for t, grad in zip(targets, got or []):
        if grad is not None:
            _keep(t, grad if create_graph else grad._data, create_graph)


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
    for i, (t, grad) in enumerate(zip(targets, got)):
        if grad is None:
            if materialize_grads:
                grad = Tensor._wrap(np.zeros_like(t._data))
            elif not allow_unused:
                raise errors.unused_input(i)
        result.append(grad)
    return tuple(result)
