"""Function: the base class of every op, and the registry that lists them.

An op is one class with three rules side by side, all over numpy arrays:

* ``forward(self, *arrays)`` computes the output and saves what the other rules need;
* ``backward(self, grad_out)`` turns the gradient of the output into one gradient per input
  (the vector-Jacobian product, VJP);
* ``jvp(self, *tangents)`` pushes input tangents forward (forward mode, the Jacobian-vector
  product).

When an op runs with grad mode on and some input requires grad, the op *instance* becomes the
graph node that torch calls ``grad_fn``: it remembers the nodes of its inputs
(``next_functions``) and the arrays it saved.  The engine in ``autograd.py`` knows nothing about
particular ops: it only calls ``backward`` and then un-broadcasts and accumulates.

Backward rules are written with numpy operators and ufuncs (``grad_out * np.cos(x)``).  With
``create_graph=True`` the engine hands them Tensors instead of arrays; numpy passes every ufunc
call on a Tensor back to minigrad (``Tensor.__array_ufunc__``), so the very same rule records a
differentiable graph of the backward pass.
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING, Any

import numpy as np

from . import errors
from ._grad_mode import state

if TYPE_CHECKING:
    from .tensor import Tensor
else:
    Tensor = None  # set by tensor.py once the class exists

_sequence = itertools.count()
_NOTHING_NEEDED = (False, False, False)  # no_grad and no forward mode: nothing is saved


def _any_requires_grad(inputs: tuple[Tensor, ...]) -> bool:
    for t in inputs:
        if t._requires_grad:
            return True
    return False

#: Every op class by name, so that tests and tools can enumerate them.
REGISTRY: dict[str, type[Function]] = {}


class Node:
    """What every graph node has: edges to the nodes of its inputs, and hooks."""

    __slots__ = ("_next", "_pre_hooks", "_retained", "__weakref__")

    torch_name: str = "Node"  # an instance may override it (torch names some variants apart)
    _next: tuple[Node | None, ...]
    _pre_hooks: list[Any] | None
    _retained: Any

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
        self._pre_hooks = None
        self._retained = None


class _Output:
    """Marks "the op's own output" among saved values (saving the output Tensor itself would
    make a reference cycle output -> grad_fn -> output)."""

    def __repr__(self) -> str:
        return "<output>"


OUTPUT = _Output()


class Function(Node):
    """Base class of ops.  Subclasses define ``forward``, ``backward`` and ``jvp``.

    ``forward(*arrays)`` calls ``self.save_for_backward(...)`` with what ``backward`` needs;
    ``backward(grad_out, *saved)`` receives those values back as arguments, in the same order,
    and returns one gradient per input (``None`` where there is none).
    ``torch_name`` is the class name torch shows for the same node (``MulBackward0``).
    """

    __slots__ = ("saved_tensors", "needs_input_grad", "input_meta", "_out", "_freed", "_seq",
                 "__dict__")

    torch_name = "Backward0"
    saved_tensors: tuple[Any, ...]
    needs_input_grad: tuple[bool, ...]
    input_meta: list[tuple[tuple[int, ...], np.dtype]]
    _out: Any
    _freed: bool
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

    def jvp(self, *tangents: Any) -> Any:
        raise errors.not_implemented(f"{type(self).__name__}.jvp (forward mode)")

    def save_for_backward(self, *values: Any) -> None:
        self.saved_tensors = values

    # -- running an op ---------------------------------------------------------------------
    @classmethod
    def apply(cls, *inputs: Tensor, **params: Any) -> Tensor:
        """Run the op on Tensors; record a node when grad mode is on and an input needs grad."""
        fn = cls.__new__(cls)
        if params:
            fn.__dict__.update(params)
        fn.saved_tensors = ()
        hook = state.forward_hook
        # Which inputs need a derivative (a gradient, or a tangent in forward mode): an op saves
        # only what the derivatives of those inputs use.
        if state.grad_enabled:
            needs = tuple([t._requires_grad or t._tangent is not None for t in inputs])
        elif hook is not None:
            needs = tuple([t._tangent is not None for t in inputs])
        else:
            needs = _NOTHING_NEEDED
        fn.needs_input_grad = needs
        arrays = [t._data for t in inputs]
        out = raw = fn.forward(*arrays)
        if type(out) is not np.ndarray:  # numpy returns scalars from 0-d arithmetic
            out = np.asarray(raw)
        tangent = hook(fn, inputs, out) if hook is not None else None  # forward mode, counters
        if needs is _NOTHING_NEEDED or not _any_requires_grad(inputs):
            result = Tensor._wrap(out)
            if tangent is not None:  # forward mode: the output is a dual tensor
                result._tangent = tangent
            return result
        fn.input_meta = [(a.shape, a.dtype) for a in arrays]
        fn._next = tuple([t.grad_fn or t._edge() for t in inputs])
        fn._pre_hooks = fn._retained = None
        fn._freed = False
        fn._seq = next(_sequence)  # creation order: the engine runs later nodes first
        if fn.saved_tensors:
            fn._pack(inputs, arrays, out, raw)
        result = Tensor._wrap(out, True)
        result.grad_fn = fn
        if tangent is not None:  # a dual tensor; its node keeps the tangent for create_graph
            result._tangent = fn.out_tangent = tangent  # type: ignore[attr-defined]
        return result

    def _pack(self, inputs: tuple[Tensor, ...], arrays: list[np.ndarray], out: Any,
              raw: Any) -> None:
        """Keep saved inputs as their Tensors and the output as a marker, so that a
        ``create_graph`` backward can differentiate through them."""
        packed = []
        for value in self.saved_tensors:
            if value is out or value is raw:
                self._out = out
                value = OUTPUT
            else:
                for t, a in zip(inputs, arrays):
                    if value is a:
                        value = t
                        break
            packed.append(value)
        self.saved_tensors = tuple(packed)

    def unpack(self, as_tensors: bool) -> Any:
        """The saved values: arrays for a plain backward, Tensors for a ``create_graph`` one."""
        if self._freed:
            raise errors.backward_twice(self)
        if not self.saved_tensors:
            return ()
        values = []
        for v in self.saved_tensors:
            if isinstance(v, Tensor):
                values.append(v if as_tensors else v._data)
            elif v is OUTPUT:
                if as_tensors:
                    v = Tensor._wrap(self._out, True)
                    v.grad_fn = self
                    v._tangent = self.__dict__.get("out_tangent")  # forward-over-reverse
                    values.append(v)
                else:
                    values.append(self._out)
            else:
                values.append(v)
        return values

    def release(self) -> None:
        """Free the saved values after a backward pass that did not ask to retain the graph."""
        if self.saved_tensors:
            self.saved_tensors = ()
            self._out = None
            self._freed = True
