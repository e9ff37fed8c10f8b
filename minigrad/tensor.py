"""Tensor: a numpy array plus what autograd needs (``grad``, ``requires_grad``, ``grad_fn``).

Every operator delegates to an op class in ``minigrad.ops``; this file only holds the
bookkeeping and the torch-shaped surface.
"""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np

from . import _dtype, errors, function
from ._print import tensor_repr
from .function import AccumulateGrad, Function


class Size(tuple):
    """A shape that prints like torch's: ``torch.Size([2, 3])``."""

    def __repr__(self) -> str:
        return f"torch.Size([{', '.join(map(str, self))}])"

    def numel(self) -> int:
        return int(np.prod(self, dtype=np.int64))


class Tensor:
    """An n-dimensional array that can record how it was computed.

    ``grad_fn`` is the node (op instance) that produced it, ``None`` for a leaf.
    """

    # Every op makes a Tensor, so making one is kept cheap: four slots are set, and what few
    # tensors have (a .grad, hooks, a leaf's node) lives in __dict__ when set, else reads the
    # class's None.
    __slots__ = ("_data", "_requires_grad", "grad_fn", "_tangent", "__dict__", "__weakref__")
    __hash__ = object.__hash__  # __eq__ is elementwise, as in torch
    _grad: Tensor | None = None
    _node: AccumulateGrad | None = None  # a leaf's AccumulateGrad, made on first use
    _retains_grad: bool | None = None
    _hooks: list[Any] | None = None

    if TYPE_CHECKING:  # the operators and math methods are attached by _tensor_methods.py
        def __getattr__(self, name: str) -> Any: ...
        def __getitem__(self, index: Any) -> Any: ...
        def __add__(self, other: Any) -> Tensor: ...
        def __mul__(self, other: Any) -> Tensor: ...
        def __rmul__(self, other: Any) -> Tensor: ...
        def __sub__(self, other: Any) -> Tensor: ...
    __array_priority__ = 1000
    _engine: ClassVar[Any] = None  # the module minigrad.autograd (it imports this one)

    def __init__(self, data: Any = None, dtype: Any = None, requires_grad: bool = False) -> None:
        self._data = _to_array(data, dtype)
        self._requires_grad = False
        self.grad_fn: Function | None = None
        self._tangent: Any = None
        if requires_grad:
            self.requires_grad_(True)

    @classmethod
    def _wrap(cls, array: np.ndarray, requires_grad: bool = False) -> Tensor:
        """The fast constructor the ops use: no copy, no checks."""
        t = object.__new__(cls)
        t._data = array
        t._requires_grad = requires_grad
        t.grad_fn = t._tangent = None
        return t

    def _edge(self) -> Any:
        """The node a gradient for this tensor is sent to (None: it needs no gradient)."""
        if self.grad_fn is not None:
            return self.grad_fn
        if not self._requires_grad:
            return None
        if self._node is None:
            self._node = AccumulateGrad(self)
        return self._node

    # -- autograd attributes -----------------------------------------------------------
    @property
    def requires_grad(self) -> bool:
        return self._requires_grad

    @requires_grad.setter
    def requires_grad(self, value: bool) -> None:
        self.requires_grad_(value)

    def requires_grad_(self, requires_grad: bool = True) -> Tensor:
        if self.grad_fn is not None and not requires_grad:
            raise RuntimeError(
                "you can only change requires_grad flags of leaf variables. If you want to use a "
                "computed variable in a subgraph that doesn't require differentiation use "
                "var_no_grad = var.detach().")
        if requires_grad and self._data.dtype.kind != "f":
            raise errors.int_requires_grad(self.dtype)
        if self.grad_fn is None:
            self._requires_grad = bool(requires_grad)
        return self

    @property
    def is_leaf(self) -> bool:
        return self.grad_fn is None

    @property
    def grad(self) -> Tensor | None:
        if self.grad_fn is not None and not self._retains_grad:
            errors.warn_nonleaf_grad()
        return self._grad

    @grad.setter
    def grad(self, value: Tensor | None) -> None:
        self._grad = value

    @property
    def data(self) -> Tensor:
        return Tensor._wrap(self._data)

    @data.setter
    def data(self, value: Tensor) -> None:
        self._data = value._data if isinstance(value, Tensor) else _to_array(value, None)

    def retain_grad(self) -> None:
        """Keep this non-leaf's gradient in ``.grad`` after backward (a leaf always keeps it)."""
        if self.grad_fn is None:
            if not self._requires_grad:
                raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
            return
        self._retains_grad = True
        self.grad_fn._retained = weakref.ref(self)

    def register_hook(self, hook: Any) -> Any:
        """Call ``hook(grad)`` with this tensor's gradient; a returned tensor replaces it."""
        if not self._requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
        if self.grad_fn is not None:
            self.grad_fn.register_prehook(hook)
            return _HookHandle(self.grad_fn._pre_hooks or [], hook)
        if self._hooks is None:
            self._hooks = []
        self._hooks.append(hook)
        return _HookHandle(self._hooks, hook)

    def backward(self, gradient: Any = None, retain_graph: bool | None = None,
                 create_graph: bool = False, inputs: Any = None) -> None:
        """Compute the gradient of this tensor w.r.t. the leaves and add it to their ``.grad``."""
        if inputs is None:  # the common case, straight to the engine
            self._engine.run_backward([self], [gradient], create_graph if retain_graph is None
                                      else retain_graph, create_graph)
        else:
            from .autograd import backward

            backward(self, gradient, retain_graph, create_graph, inputs=inputs)

    def detach(self) -> Tensor:
        """The same data (shared, not copied), cut off from the graph."""
        return Tensor._wrap(self._data)

    def detach_(self) -> Tensor:
        self.grad_fn = None
        self._requires_grad = False
        return self

    # -- plain attributes --------------------------------------------------------------
    @property
    def shape(self) -> Size:
        return Size(self._data.shape)

    def size(self, dim: int | None = None) -> Any:
        return Size(self._data.shape) if dim is None else self._data.shape[dim]

    @property
    def dtype(self) -> _dtype.dtype:
        return _dtype.to_dtype(self._data.dtype)

    @property
    def ndim(self) -> int:
        return self._data.ndim

    def dim(self) -> int:
        return self._data.ndim

    def numel(self) -> int:
        return int(self._data.size)

    @property
    def device(self) -> str:
        return "cpu"

    def __len__(self) -> int:
        if self._data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return len(self._data)

    def item(self) -> Any:
        if self._data.size != 1:
            raise RuntimeError(
                f"a Tensor with {self._data.size} elements cannot be converted to Scalar")
        return self._data.item()

    def tolist(self) -> Any:
        return self._data.tolist()

    def numpy(self) -> np.ndarray:
        if self._requires_grad:
            raise RuntimeError("Can't call numpy() on Tensor that requires grad. "
                               "Use tensor.detach().numpy() instead.")
        return self._data

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        return self._data if dtype is None else self._data.astype(dtype)

    def __bool__(self) -> bool:
        if self._data.size != 1:
            raise RuntimeError(
                "Boolean value of Tensor with more than one value is ambiguous")
        return bool(self._data)

    def __float__(self) -> float:
        return float(self.item())

    def __int__(self) -> int:
        return int(self.item())

    def __index__(self) -> int:
        if self._data.dtype.kind not in "iub":
            raise TypeError("only integer tensors of a single element can be converted to an index")
        return int(self.item())

    def __format__(self, spec: str) -> str:
        if self._data.ndim == 0 and spec:
            return format(self._data.item(), spec)
        return format(repr(self), spec)

    def __repr__(self) -> str:
        name = self.grad_fn.name() if self.grad_fn is not None else None
        return tensor_repr(self._data, self._data.dtype.name, name, self._requires_grad)

    def __iter__(self) -> Any:
        if self._data.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return (self[i] for i in range(len(self._data)))

    def __reduce__(self) -> tuple[Any, ...]:
        return (Tensor, (self._data.copy(), None, self._requires_grad))

    # -- numpy interoperability: numpy hands ufunc calls on Tensors back to minigrad -----
    def __array_ufunc__(self, ufunc: Any, method: str, *inputs: Any, **kwargs: Any) -> Any:
        from .ops.numpy_dispatch import array_ufunc

        return array_ufunc(ufunc, method, inputs, kwargs)

    def __array_function__(self, func: Any, types: Any, args: Any, kwargs: Any) -> Any:
        from .ops.numpy_dispatch import array_function

        return array_function(func, args, kwargs)


class _HookHandle:
    def __init__(self, hooks: list[Any], hook: Any) -> None:
        self.hooks, self.hook = hooks, hook

    def remove(self) -> None:
        if self.hook in self.hooks:
            self.hooks.remove(self.hook)


def _to_array(data: Any, dtype: Any) -> np.ndarray:
    """A numpy array for ``data``, with torch's default dtypes (float32 for Python floats)."""
    if isinstance(data, Tensor):
        array = data._data
    elif isinstance(data, (list, tuple)) and any(isinstance(d, Tensor) for d in data):
        array = np.array([np.asarray(_to_array(d, None)) for d in data])
    else:
        array = np.array(data)
    if dtype is not None:
        return array.astype(_dtype.to_numpy_dtype(dtype), copy=False)
    if array.dtype.kind == "f" and not isinstance(data, (np.ndarray, Tensor)):
        return array.astype(_dtype.DEFAULT_FLOAT)
    if array.dtype.kind in "iu" and array.dtype != np.int64 and not isinstance(data, np.ndarray):
        return array.astype(np.int64)
    if array.dtype == object:
        raise TypeError(f"Could not infer dtype of {type(data).__name__}")
    return array


function.Tensor = Tensor  # type: ignore[misc]  # the ops wrap their outputs with it
