"""Function: the base class of every op, and the registry that lists them.

An op is one class with three rules side by side, all over numpy arrays, one protocol:

* ``forward(self, *arrays)`` computes the output from the inputs' arrays, and calls
  ``self.save_for_backward(*values)`` with what the other two rules need;
* ``backward(self, grad_out, *saved)`` receives the gradient of the output and the saved values
  (as arguments, in the order they were saved) and returns one gradient per input, ``None``
  where there is none: the vector-Jacobian product (VJP, lesson 05);
* ``jvp(self, tangents, *saved)`` receives one tangent per input (``None``: that input does not
  move) and the same saved values, and returns the output's tangent: the Jacobian-vector
  product (forward mode, lesson 04).

Parameters of an op (``dim``, ``keepdim``, a Python number) are attributes: ``apply(x, dim=1)``
sets ``self.dim``; ``self.needs_input_grad`` says which inputs need a derivative, so that
``forward`` saves, and ``backward`` computes, only what those use (``Mul``).

A rule may return a gradient of the output's shape: the engine un-broadcasts it to the input's
shape and casts it to the input's dtype (in one place, ``autograd/engine.py``), and forward
mode broadcasts tangents likewise (``forward_ad.py``).  The engines know no op by name.

When an op runs with grad mode on and some input requires grad, the op *instance* becomes the
graph node that torch calls ``grad_fn``: it remembers the nodes of its inputs
(``next_functions``) and the values it saved.

Backward rules are written with numpy operators and ufuncs (``grad_out * np.cos(x)``).  With
``create_graph=True`` the engine hands them Tensors instead of arrays; numpy passes every ufunc
call on a Tensor back to minigrad (``Tensor.__array_ufunc__``), so the very same rule records a
differentiable graph of the backward pass.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np

from . import errors
from ._grad_mode import state
from .tensor import Tensor

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
    jvp_uses_input_meta = False  # True: forward mode sets input_meta before calling jvp
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
        out = raw = fn.forward(*arrays)
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
        # compared by identity, which is fast; an equal copy only costs a check in backward.)
        shape, dtype = out.shape, out.dtype
        for a, need in zip(arrays, needs):
            if need and (a.shape != shape or a.dtype is not dtype):
                fn.input_meta = _meta(arrays, needs, out)
                break
        fn._seq = next(_sequence)  # creation order: the engine runs later nodes first
        if fn.saved_tensors:
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


def _meta(arrays: list[np.ndarray], needs: tuple[bool, ...], out: np.ndarray) -> _Meta:
    """(shape, dtype) of each input whose gradient will need un-broadcasting or casting from the
    output's, ``None`` for the others."""
    return [(a.shape, a.dtype) if need and (a.shape != out.shape or a.dtype != out.dtype)
            else None for a, need in zip(arrays, needs)]
