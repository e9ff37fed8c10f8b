"""The engine, in two halves: ops record a graph as they run, and ``backward`` walks it.

**Recording** (``Function.apply``).  An op is one class of ``ops/`` with three rules side by
side over numpy arrays, one protocol:

* ``forward(self, *arrays)`` computes the output, and calls ``self.save_for_backward(*values)``
  with what the other two rules need;
* ``backward(self, grad_out, *saved)`` receives the output's gradient and the saved values (in
  the order they were saved) and returns one gradient per input, ``None`` where there is none:
  the vector-Jacobian product (lesson 05);
* ``jvp(self, tangents, *saved)`` receives one tangent per input (``None``: it does not move)
  and the same saved values, and returns the output's tangent (forward mode, lesson 04).

An op's parameters (``dim``, a Python number) are attributes: ``apply(x, dim=1)`` sets
``self.dim``; ``self.needs_input_grad`` says which inputs need a derivative, so that an op
saves and computes only what those use (``Mul``).  When grad mode is on and an input requires
grad, the op *instance* becomes the output's ``grad_fn``: a node holding the nodes of its
inputs (``next_functions``) and the saved values.  With ``create_graph=True`` the rules receive
Tensors instead of arrays; numpy hands their ufunc calls back to minigrad
(``Tensor.__array_ufunc__``), so the same rule records a differentiable backward graph.

**Walking** (``run_backward``, lesson 05's algorithm):

1. Seed: each output receives its gradient (1 for a scalar loss).
2. Count, for every node reachable from the outputs, the edges that lead into it (an
   iterative walk: no recursion, so graphs of any depth work).
3. Run a node once *all* the gradients flowing into it have arrived and been summed. Of the
   ready nodes the latest created runs first, as in torch; a leaf runs as soon as it is ready.
4. Running a node: the gradient **arrives** (hooks, ``retain_grad``, ``inputs=``; a leaf adds it
   into ``.grad``); ``backward(grad_out, *saved)`` turns it into one gradient per input; each is
   **sent on** to its input's node, un-broadcast and cast to that input's shape and dtype (in
   this one place: no op does it).
5. A node's saved values are freed once it has run, unless ``retain_graph=True``.

``backward`` and ``grad`` at the end are torch's two ways in; ``targets.py`` holds what only
``inputs=`` and ``autograd.grad`` need.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from heapq import heappop, heappush
from typing import Any

import numpy as np

from .. import errors
from .._grad_mode import state
from ..tensor import Tensor
from .targets import Targets, tensor_list

# == recording: nodes and ops ================================================================
_sequence = itertools.count()  # node creation order
_NOTHING_NEEDED = (False, False, False)  # no_grad and no forward mode: nothing is saved
_interned: dict[tuple[Any, ...], tuple[Any, ...]] = {}  # one copy of each small tuple


def _intern(t: tuple[Any, ...]) -> tuple[Any, ...]:
    """The shared copy of a tuple of flags or codes: a node holds no tuple of its own.

    A speed trick that pays: the deep chain of bench/chain.py holds 344 bytes less per step
    (4 nodes), 27% of its graph on a scalar and 7% on a vector of 1 000 float32."""
    return _interned.setdefault(t, t)


_Meta = list[tuple[tuple[int, ...], np.dtype] | None]  # Function.input_meta

#: Every op class by name, so that tests and tools can enumerate them.
REGISTRY: dict[str, type[Function]] = {}


class Node:
    """What every graph node has: edges to the nodes of its inputs, and hooks."""

    __slots__ = ("_next", "__dict__", "__weakref__")

    torch_name: str = "Node"  # an instance may override it (torch names some variants apart)
    _next: tuple[Node | None, ...]
    _pre_hooks: list[Any] | None = None  # set on the few nodes that have them
    _retained: Any = None  # a weak reference to the tensor that called retain_grad()

    def name(self) -> str:
        return self.torch_name

    @property
    def next_functions(self) -> tuple[tuple[Node | None, int], ...]:
        """The nodes of this node's inputs, as torch shows them: ``((node, 0), (None, 0))``."""
        return tuple((n, 0) for n in self._next)

    def __repr__(self) -> str:
        return f"<{self.torch_name} object at {id(self):#x}>"

    def register_prehook(self, hook: Any) -> None:
        """Call ``hook(grad_out)`` before this node's backward; a returned value replaces it."""
        if self._pre_hooks is None:
            self._pre_hooks = []
        self._pre_hooks.append(hook)


class AccumulateGrad(Node):
    """The node of a leaf that requires grad: backward adds the gradient into ``leaf.grad``."""

    __slots__ = ("variable",)
    torch_name = "AccumulateGrad"

    def name(self) -> str:
        return "torch::autograd::AccumulateGrad"  # what torch's name() says

    def __init__(self, variable: Tensor) -> None:
        self.variable = variable
        self._next = ()


# Where a saved value came from, one code per value (``Function._saved_from``): the index of
# the input it is, or one of these.
OUTPUT = -1  # the op's own output
OTHER = -2  # an array the op computed (a mask, a one-hot matrix): no graph behind it
#: What an op saves when its backward needs no array, only a parameter the node keeps itself
#: (``MulNumber``'s number): the node still counts as saving, so a backward pass frees it and a
#: second one raises, as in torch.
SAVED_PARAMETER: tuple[None] = (None,)
_PARAMETER_FROM = (OTHER,)


class Function(Node):
    """Base class of ops.  Subclasses define ``forward``, ``backward`` and ``jvp`` (the module
    docstring says what each receives and returns).
    ``torch_name`` is the class name torch shows for the same node (``MulBackward0``).

    A node is kept small, because a deep graph holds one per op: the saved arrays, a shared
    tuple of codes saying where each came from (an input, the output, or neither: enough to
    rebuild Tensors for a ``create_graph`` backward), shared flags, and the (shape, dtype) of
    the inputs whose gradient must be un-broadcast or cast (``None`` when none must).
    """

    __slots__ = ("saved_tensors", "_saved_from", "needs_input_grad", "_seq")

    torch_name = "Backward0"
    saved_tensors: tuple[Any, ...] | None  # None once a backward pass has freed them
    _saved_from: tuple[int, ...]
    needs_input_grad: tuple[bool, ...]
    input_meta: _Meta | None = None  # set (in __dict__) on the few nodes that need it
    #: Which of backward's gradients are new arrays that nothing else holds, so that a leaf
    #: may keep one as its ``.grad`` instead of a copy (torch's AccumulateGrad "steals" such a
    #: gradient too).  ``None``: none of them, or not known; eager ops do not say.
    gives_own_grads: tuple[bool, ...] | None = None
    jvp_uses_input_meta = False  # True: forward mode sets input_meta before calling jvp
    #: True for an op of one float input whose output has that input's shape and dtype (sin,
    #: ``x * 2.0``): apply does not compare them for input_meta (0.2 us an op, a tenth of the
    #: engine's time per op on bench/chain.py).  tests/test_ops.py checks every such op.
    elementwise = False
    _seq: int

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if not cls.__name__.startswith("_"):
            REGISTRY[cls.__name__] = cls

    # -- what an op defines -------------------------------------------------------------
    def forward(self, *arrays: Any) -> np.ndarray:
        raise NotImplementedError

    def backward(self, grad_out: Any, *saved: Any) -> tuple[Any, ...]:
        raise errors.not_implemented(f"{type(self).__name__}.backward")

    def jvp(self, tangents: Any, *saved: Any) -> Any:
        raise errors.not_implemented(f"{type(self).__name__}.jvp (forward mode)")

    def save_for_backward(self, *values: Any) -> None:
        self.saved_tensors = values

    def params(self) -> dict[str, Any]:
        """The op's parameters, as ``apply(x, **params)`` set them: in the slots an op class
        declares (``MulNumber.other``), or else in ``__dict__``."""
        found = dict(self.__dict__)
        for cls in type(self).__mro__:
            if cls is Function:
                break
            for name in cls.__dict__.get("__slots__", ()):
                if hasattr(self, name):
                    found[name] = getattr(self, name)
        return found

    # -- running an op ---------------------------------------------------------------------
    @classmethod
    def apply(cls, *inputs: Tensor, **params: Any) -> Tensor:
        """Run the op on Tensors; record a node when grad mode is on and an input needs grad."""
        fn = cls.__new__(cls)
        for name, value in params.items():  # into the op's slots if it has them, else __dict__
            setattr(fn, name, value)
        fn.saved_tensors = ()
        # One pass over the inputs (a loop: three list comprehensions cost twice as much)
        arrays, flags, edges = [], [], []
        for t in inputs:
            arrays.append(t._data)
            flags.append(t._requires_grad)
            edges.append(t._edge())
        record = state.grad_enabled and True in flags
        # Which inputs need a derivative (a gradient, or a tangent in forward mode): an op saves
        # only what the derivatives of those inputs use.
        hook = state.forward_hook
        if hook is not None:
            needs = tuple([(record and f) or t._tangent is not None
                           for f, t in zip(flags, inputs)])
        elif record:
            needs = _intern(tuple(flags))
        else:
            needs = _NOTHING_NEEDED
        fn.needs_input_grad = needs
        # (A call through *arrays costs 0.1 us more than one with the argument spelled out.)
        out = raw = fn.forward(arrays[0]) if len(arrays) == 1 else fn.forward(*arrays)
        if type(out) is not np.ndarray:  # numpy returns scalars from 0-d arithmetic
            out = np.asarray(raw)
        tangent = hook(fn, inputs, out) if hook is not None else None  # forward mode, counters
        if not record:
            result = Tensor._wrap(out)
            if tangent is not None:  # forward mode: the output is a dual tensor
                result._tangent = tangent
            return result
        fn._next = tuple(edges)
        # input_meta only if some gradient will need un-broadcasting or casting.  (dtypes are
        # compared by identity, which is fast; an equal copy only costs a check in backward.
        # Every input is looked at, not only those that need a gradient: no zip with ``needs``
        # makes this 0.1 us faster, a tenth of the engine's time per op on bench/chain.py.)
        if not cls.elementwise:
            shape, dtype = out.shape, out.dtype
            for a in arrays:
                if a.shape != shape or a.dtype is not dtype:
                    meta = _meta(arrays, needs, out)
                    if meta is not None:  # (None is the class's: no __dict__ for it)
                        fn.input_meta = meta
                    break
        fn._seq = next(_sequence)  # creation order: the engine runs later nodes first
        if fn.saved_tensors is SAVED_PARAMETER:  # its codes are known: saves 0.25 us a node
            fn._saved_from = _PARAMETER_FROM
        elif fn.saved_tensors:
            fn._note_sources(inputs, arrays, out, raw)
        result = Tensor._wrap(out, True)
        result.grad_fn = fn
        if tangent is not None:  # a dual tensor; its node keeps the tangent for create_graph
            result._tangent = fn.out_tangent = tangent  # type: ignore[attr-defined]
        return result

    def _note_sources(self, inputs: tuple[Tensor, ...], arrays: list[np.ndarray], out: Any,
                      raw: Any) -> None:
        """Note where each saved array came from, so that a ``create_graph`` backward can
        rebuild the Tensors behind them (and differentiate through them)."""
        saved = self.saved_tensors or ()
        codes = []
        for v in saved:
            code = OUTPUT if v is out or v is raw else OTHER
            for i, a in enumerate(arrays):
                if v is a:
                    code = i
                    break
            codes.append(code)
        if raw is not out and OUTPUT in codes:  # numpy gave a scalar for the 0-d output:
            self.saved_tensors = tuple([out if c == OUTPUT else v  # keep the output's array
                                        for v, c in zip(saved, codes)])
        self._saved_from = _intern(tuple(codes))
        if state.forward_hook is not None and any(t._tangent is not None for t in inputs):
            self.in_tangents = [t._tangent for t in inputs]  # forward-over-reverse uses them

    @property
    def _freed(self) -> bool:
        return self.saved_tensors is None

    def unpack(self, as_tensors: bool) -> Any:
        """The saved values: arrays for a plain backward, Tensors for a ``create_graph`` one."""
        saved = self.saved_tensors
        if saved is None:
            raise errors.backward_twice(self)
        if not as_tensors or not saved:
            return saved
        tangents = self.__dict__.get("in_tangents")
        values = []
        for v, code in zip(saved, self._saved_from):
            if code == OUTPUT:
                t = Tensor._wrap(v, True)
                t.grad_fn = self
                t._tangent = self.__dict__.get("out_tangent")  # forward-over-reverse
            elif code == OTHER:
                t = v
            else:  # an input: a Tensor that sends its gradient where the input's went
                t = Tensor._wrap(v, self._next[code] is not None)
                edge = self._next[code]
                if type(edge) is AccumulateGrad:
                    t._node = edge
                else:
                    t.grad_fn = edge  # type: ignore[assignment]
                if tangents is not None:
                    t._tangent = tangents[code]
            values.append(t)
        return values


def _meta(arrays: list[np.ndarray], needs: tuple[bool, ...], out: np.ndarray) -> _Meta | None:
    """(shape, dtype) of each input whose gradient will need un-broadcasting or casting from the
    output's, ``None`` for the others; ``None`` instead of the list when no gradient needs it."""
    meta = [(a.shape, a.dtype) if need and (a.shape != out.shape or a.dtype != out.dtype)
            else None for a, need in zip(arrays, needs)]
    return meta if any(m is not None for m in meta) else None


# == walking: the backward pass ==============================================================
def run_backward(roots: list[Tensor], grads: Sequence[Any], retain_graph: bool,
                 create_graph: bool, wanted: Targets | None = None) -> None:
    """Backpropagate ``grads`` from ``roots`` into the leaves' ``.grad``.  With ``wanted``
    (``targets.py``), only the part of the graph that reaches its tensors runs, and their
    gradients are captured there instead."""
    received = _seed(roots, grads, create_graph)  # 1. node -> the sum of the gradients it got
    deps = _dependencies(list(received))  # 2. node -> edges into it that have not delivered yet
    needed = None if wanted is None else wanted.plan(list(received), deps)
    ready: list[tuple[int, Any]] = []  # (-creation order, node): a heap, latest node first
    leaves: list[Any] = []  # ready leaves, run before any other node
    own: dict[Node, Any] = {}  # leaf -> a gradient it may keep without a copy (gives_own_grads)
    for node in received:
        if node not in deps:
            _push(node, ready, leaves)
    backward_hook = state.backward_hook  # cost counters listen here
    grad_mode, state.grad_enabled = state.grad_enabled, create_graph
    token = _quiet_numpy()  # inf and nan in gradients pass silently, as in torch
    try:
        while ready or leaves:  # 3. run each node once all its gradient has arrived
            node = leaves.pop() if leaves else heappop(ready)[1]
            grad_out = received.pop(node, None)
            if grad_out is None:  # every edge into it brought None (a rule's "no gradient"):
                _count_down(node._next, deps, needed, ready, leaves)  # nothing to run or send
                continue
            if type(node) is AccumulateGrad or node._pre_hooks or node._retained or wanted:
                grad_out = _arrive(node, grad_out, wanted, create_graph,  # 4. (the rare nodes)
                                   own.get(node) is grad_out)
                if grad_out is None:  # a leaf, or an input= past which nothing is needed
                    continue
            saved = node.saved_tensors
            if create_graph or saved is None:
                saved = node.unpack(create_graph)  # Tensors, or an error once freed
            if not saved:  # (spelled out for none or one saved value, most nodes: a call
                in_grads = node.backward(grad_out)  # through *saved costs 0.1 us more)
            elif len(saved) == 1:
                in_grads = node.backward(grad_out, saved[0])
            else:
                in_grads = node.backward(grad_out, *saved)
            if saved and not retain_graph:
                node.saved_tensors = None  # 5. free them; a second backward raises (unpack)
            if backward_hook is not None:
                backward_hook(node)
            if node.gives_own_grads is not None:  # (a compiled function's node)
                for child, grad, mine in zip(node._next, in_grads, node.gives_own_grads):
                    if mine and type(child) is AccumulateGrad:
                        own[child] = grad
            # 4. send each input's gradient on to its node: fitted to the input's shape and
            # dtype, added to what that node received; it is ready once its last edge delivers
            # (a None, "no gradient", delivers nothing, but the edge has delivered).
            # (Written out here, not a helper: a call per node made a scalar chain's backward
            # 8% slower, bench/chain.py.)
            for child, grad, meta in zip(node._next, in_grads, node.input_meta or _ALL_FIT):
                if child is None or (needed is not None and child not in needed):
                    continue
                if grad is not None:
                    if meta is not None:  # the input was broadcast or had another dtype
                        shape, dtype = meta
                        if grad.shape != shape:
                            grad = unbroadcast(grad, shape)
                        if grad.dtype != dtype:
                            grad = _cast(grad, dtype)
                    received[child] = received[child] + grad if child in received else grad
                left = deps[child] - 1
                deps[child] = left
                if left == 0:  # (_push, spelled out too)
                    if type(child) is AccumulateGrad:
                        leaves.append(child)
                    else:
                        heappush(ready, (-child._seq, child))
    finally:
        state.grad_enabled = grad_mode
        _loud_numpy(token)


def _arrive(node: Any, grad_out: Any, wanted: Targets | None, create_graph: bool,
            own: bool = False) -> Any:
    """A node's gradient is complete: its hooks may replace it, a tensor that called
    ``retain_grad()`` keeps it, ``inputs=`` captures it, and a leaf adds it into ``.grad``
    (``own``: the gradient is an array nobody else holds, which the leaf may keep as it is).
    Returns the gradient to run the node's backward with, or None: the walk stops here."""
    if node._pre_hooks:
        grad_out = _call_hooks(node._pre_hooks, grad_out)
    if node._retained is not None and node._retained() is not None:
        _keep(node._retained(), grad_out, create_graph)
    if wanted is not None and wanted.capture(node, grad_out):
        return None
    if type(node) is AccumulateGrad:
        leaf = node.variable
        if leaf._hooks:  # (a hook may hold on to the gradient it was shown: no longer ours)
            grad_out, own = _call_hooks(leaf._hooks, grad_out), False
        if wanted is None:
            _keep(leaf, grad_out, create_graph, own)
        return None
    return grad_out


_ALL_FIT = itertools.repeat(None)  # input_meta of a node whose gradients all fit their inputs


def _push(node: Any, ready: list[tuple[int, Any]], leaves: list[Any]) -> None:
    if type(node) is AccumulateGrad:
        leaves.append(node)
    else:
        heappush(ready, (-node._seq, node))


def _count_down(children: tuple[Any, ...], deps: dict[Any, int], needed: Any,
                ready: list[tuple[int, Any]], leaves: list[Any]) -> None:
    """The edges from a node that received no gradient deliver nothing, but have delivered."""
    for child in children:
        if child is not None and (needed is None or child in needed):
            deps[child] -= 1
            if deps[child] == 0:
                _push(child, ready, leaves)


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


def _keep(t: Tensor, grad: Any, create_graph: bool, own: bool = False) -> None:
    """Add ``grad`` into ``t.grad`` (a leaf's, or a non-leaf's that called ``retain_grad``).
    A first gradient is copied, since other nodes may hold the same array, unless ``own``
    says nobody does (the copy of MLP-sized weight gradients is 4% of a compiled step)."""
    if create_graph:
        t._grad = grad if t._grad is None else t._grad + grad
    elif t._grad is None:
        if not (own and type(grad) is np.ndarray and grad.base is None
                and grad.dtype == t._data.dtype and grad.flags.c_contiguous):
            grad = np.array(grad, dtype=t._data.dtype, copy=True, order="C")
        t._grad = Tensor._wrap(grad)
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


# -- torch's two ways in ----------------------------------------------------------------------
def backward(tensors: Any, grad_tensors: Any = None, retain_graph: bool | None = None,
             create_graph: bool = False, inputs: Any = None) -> None:
    """Add the gradient of ``tensors`` w.r.t. the leaves (or ``inputs``) into their ``.grad``."""
    roots = tensor_list(tensors)
    keep = create_graph if retain_graph is None else retain_graph
    wanted = None if inputs is None else Targets(inputs)
    run_backward(roots, tensor_list(grad_tensors, len(roots)), keep, create_graph, wanted)
    if wanted is not None:
        for t, grad in zip(wanted.tensors, wanted.results()):
            if grad is not None:
                _keep(t, grad if create_graph else grad._data, create_graph)


def grad(outputs: Any, inputs: Any, grad_outputs: Any = None, retain_graph: bool | None = None,
         create_graph: bool = False, allow_unused: bool | None = None,
         materialize_grads: bool = False) -> tuple[Tensor | None, ...]:
    """Return d(outputs)/d(inputs) without touching any ``.grad`` (as ``torch.autograd.grad``)."""
    roots = tensor_list(outputs)
    wanted = Targets(inputs, for_grad=True)
    keep = create_graph if retain_graph is None else retain_graph
    run_backward(roots, tensor_list(grad_outputs, len(roots)), keep, create_graph, wanted)
    return wanted.for_grad(allow_unused, materialize_grads)
