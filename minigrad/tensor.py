"""Tensor: a numpy array plus what autograd needs (``grad``, ``requires_grad``, ``grad_fn``).

Every operator is a one-line method that calls a function of ``functional.py``, which applies
one op class of ``ops/`` (``x * y`` -> ``functional.mul`` -> ``ops.arithmetic.Mul``);
``backward`` hands the graph to ``autograd/engine.py``, where ``Function.apply`` recorded it.

How minigrad's import cycle is broken, in this one place: Tensor is the ground.  Every other
module imports what it uses at its top, from the module that defines it (``Tensor`` from here,
never a name from a package's ``__init__``); this file imports the modules its methods call
(``creation``, ``functional``, ``autograd.engine``, ops) at its end, once the class exists, and
uses them only inside methods.  ``minigrad/__init__.py`` imports this file first.  (A name used
only in annotations, as ``Function`` below, is imported under ``TYPE_CHECKING``: nothing runs.)
"""

from __future__ import annotations

import builtins
import functools
import weakref
from typing import TYPE_CHECKING, Any

import numpy as np

from . import _device, _dtype, errors
from ._array import ArrayMethods
from ._grad_mode import state

if TYPE_CHECKING:
    from .autograd.engine import AccumulateGrad, Function


class Size(tuple):
    """A shape that prints like torch's: ``torch.Size([2, 3])``."""

    def __repr__(self) -> str:
        return f"torch.Size([{', '.join(map(str, self))}])"

    def numel(self) -> int:
        return int(np.prod(self, dtype=np.int64))


class Tensor(ArrayMethods):
    """An n-dimensional array that can record how it was computed.

    ``grad_fn`` is the node (op instance) that produced it, ``None`` for a leaf.
    """

    # Every op makes a Tensor, so making one is kept cheap: four slots are set, and what few
    # tensors have (a .grad, hooks, a leaf's node) lives in __dict__ when set, else reads the
    # class's None.
    __slots__ = ("_data", "_requires_grad", "grad_fn", "_tangent", "__dict__", "__weakref__")
    __hash__ = object.__hash__  # __eq__ is elementwise, as in torch
    __array_priority__ = 1000  # numpy hands `array * tensor` to Tensor.__rmul__
    _grad: Tensor | None = None
    _node: AccumulateGrad | None = None  # a leaf's AccumulateGrad, made on first use
    _retains_grad: bool | None = None
    _hooks: list[Any] | None = None

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
            self._node = engine.AccumulateGrad(self)
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
        """Compute the gradient of this tensor w.r.t. the leaves and add it to their ``.grad``
        (the walk is ``autograd/engine.py``)."""
        if inputs is None:  # the common case, straight to the walk
            keep = create_graph if retain_graph is None else retain_graph
            engine.run_backward([self], [gradient], keep, create_graph)
        else:
            engine.backward(self, gradient, retain_graph, create_graph, inputs)

    def detach(self) -> Tensor:
        """The same data (shared, not copied), cut off from the graph."""
        return Tensor._wrap(self._data)

    def detach_(self) -> Tensor:
        self.grad_fn = None
        self._requires_grad = False
        return self

    # -- shape and dtype --------------------------------------------------------------
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
    def device(self) -> Any:
        return _device.CPU

    @property
    def is_cuda(self) -> bool:
        return False

    def cpu(self) -> Tensor:
        return self

    def cuda(self, device: Any = None, *args: Any, **kwargs: Any) -> Tensor:
        """Refused: the CPU is the only device (the message says what to write instead)."""
        _device.check_cuda(device)
        return self

    # -- operators: each is one function of functional.py -------------------------------
    def __add__(self, other: Any) -> Tensor: return F.add(self, other)
    def __radd__(self, other: Any) -> Tensor: return F.add(self, other)
    def __sub__(self, other: Any) -> Tensor: return F.sub(self, other)
    def __rsub__(self, other: Any) -> Tensor: return _swapped(F.sub, other, self, "RsubBackward1")
    def __mul__(self, other: Any) -> Tensor: return F.mul(self, other)
    def __rmul__(self, other: Any) -> Tensor: return F.mul(self, other)
    def __truediv__(self, other: Any) -> Tensor: return F.div(self, other)
    def __rtruediv__(self, other: Any) -> Tensor:
        return _swapped(F.div, other, self, "MulBackward0")
    def __floordiv__(self, other: Any) -> Tensor: return F.floor_divide(self, other)
    def __rfloordiv__(self, other: Any) -> Tensor: return F.floor_divide(other, self)
    def __mod__(self, other: Any) -> Tensor: return F.remainder(self, other)
    def __rmod__(self, other: Any) -> Tensor: return F.remainder(other, self)
    def __pow__(self, other: Any) -> Tensor: return F.pow(self, other)
    def __rpow__(self, other: Any) -> Tensor: return F.pow(other, self)
    def __matmul__(self, other: Any) -> Tensor: return F.matmul(self, other)
    def __rmatmul__(self, other: Any) -> Tensor: return F.matmul(other, self)
    def __neg__(self) -> Tensor: return F.neg(self)
    def __abs__(self) -> Tensor: return F.abs(self)
    def __eq__(self, other: Any) -> Tensor: return F.eq(self, other)  # type: ignore[override]
    def __ne__(self, other: Any) -> Tensor: return F.ne(self, other)  # type: ignore[override]
    def __gt__(self, other: Any) -> Tensor: return F.gt(self, other)
    def __ge__(self, other: Any) -> Tensor: return F.ge(self, other)
    def __lt__(self, other: Any) -> Tensor: return F.lt(self, other)
    def __le__(self, other: Any) -> Tensor: return F.le(self, other)
    def __and__(self, other: Any) -> Tensor: return F.logical_and(self, other)
    def __or__(self, other: Any) -> Tensor: return F.logical_or(self, other)
    def __invert__(self) -> Tensor: return F.logical_not(self)
    def __getitem__(self, index: Any) -> Tensor: return F.index(self, index)
    def __setitem__(self, index: Any, value: Any) -> None: _setitem(self, index, value)
    def __iadd__(self, other: Any) -> Tensor: return _inplace(self, F.add, other)
    def __isub__(self, other: Any) -> Tensor: return _inplace(self, F.sub, other)
    def __imul__(self, other: Any) -> Tensor: return _inplace(self, F.mul, other)
    def __itruediv__(self, other: Any) -> Tensor: return _inplace(self, F.div, other)

    # -- math methods: the same functions ------------------------------------------------
    def add(self, other: Any) -> Tensor: return F.add(self, other)
    def sub(self, other: Any) -> Tensor: return F.sub(self, other)
    def mul(self, other: Any) -> Tensor: return F.mul(self, other)
    def div(self, other: Any) -> Tensor: return F.div(self, other)
    def pow(self, exponent: Any) -> Tensor: return F.pow(self, exponent)
    def neg(self) -> Tensor: return F.neg(self)
    def exp(self) -> Tensor: return F.exp(self)
    def log(self) -> Tensor: return F.log(self)
    def sqrt(self) -> Tensor: return F.sqrt(self)
    def sin(self) -> Tensor: return F.sin(self)
    def cos(self) -> Tensor: return F.cos(self)
    def tanh(self) -> Tensor: return F.tanh(self)
    def sigmoid(self) -> Tensor: return F.sigmoid(self)
    def relu(self) -> Tensor: return F.relu(self)
    def abs(self) -> Tensor: return F.abs(self)
    def sign(self) -> Tensor: return F.sign(self)
    def floor(self) -> Tensor: return F.floor(self)
    def ceil(self) -> Tensor: return F.ceil(self)
    def trunc(self) -> Tensor: return F.trunc(self)
    def round(self, *, decimals: int = 0) -> Tensor: return F.round(self, decimals=decimals)
    def remainder(self, other: Any) -> Tensor: return F.remainder(self, other)
    def floor_divide(self, other: Any) -> Tensor: return F.floor_divide(self, other)
    def var(self, *args: Any, **kwargs: Any) -> Tensor: return F.var(self, *args, **kwargs)
    def logsumexp(self, dim: Any, keepdim: bool = False) -> Tensor:
        return F.logsumexp(self, dim, keepdim)
    def std(self, *args: Any, **kwargs: Any) -> Tensor: return F.std(self, *args, **kwargs)
    def clamp(self, *args: Any, **kwargs: Any) -> Tensor: return F.clamp(self, *args, **kwargs)
    def clip(self, *args: Any, **kwargs: Any) -> Tensor: return F.clamp(self, *args, **kwargs)
    def maximum(self, other: Any) -> Tensor: return F.maximum(self, other)
    def minimum(self, other: Any) -> Tensor: return F.minimum(self, other)
    def matmul(self, other: Any) -> Tensor: return F.matmul(self, other)
    def dot(self, other: Any) -> Tensor: return F.dot(self, other)
    def mv(self, vec: Any) -> Tensor: return F.mv(self, vec)
    def mm(self, mat2: Any) -> Tensor: return F.mm(self, mat2)
    def sum(self, *args: Any, **kwargs: Any) -> Tensor: return F.sum(self, *args, **kwargs)
    def mean(self, *args: Any, **kwargs: Any) -> Tensor: return F.mean(self, *args, **kwargs)
    def max(self, *args: Any, **kwargs: Any) -> Any: return F.max(self, *args, **kwargs)
    def min(self, *args: Any, **kwargs: Any) -> Any: return F.min(self, *args, **kwargs)
    def argmax(self, *args: Any, **kwargs: Any) -> Tensor: return F.argmax(self, *args, **kwargs)
    def argmin(self, *args: Any, **kwargs: Any) -> Tensor: return F.argmin(self, *args, **kwargs)
    def norm(self, *args: Any, **kwargs: Any) -> Tensor: return F.norm(self, *args, **kwargs)
    def softmax(self, dim: int) -> Tensor: return F.softmax(self, dim)
    def log_softmax(self, dim: int) -> Tensor: return F.log_softmax(self, dim)
    def eq(self, other: Any) -> Tensor: return F.eq(self, other)
    def ne(self, other: Any) -> Tensor: return F.ne(self, other)
    def gt(self, other: Any) -> Tensor: return F.gt(self, other)
    def ge(self, other: Any) -> Tensor: return F.ge(self, other)
    def lt(self, other: Any) -> Tensor: return F.lt(self, other)
    def le(self, other: Any) -> Tensor: return F.le(self, other)
    def any(self, *args: Any, **kwargs: Any) -> Tensor: return F.any(self, *args, **kwargs)
    def all(self, *args: Any, **kwargs: Any) -> Tensor: return F.all(self, *args, **kwargs)
    def isclose(self, other: Any, *args: Any, **kwargs: Any) -> Tensor:
        return F.isclose(self, other, *args, **kwargs)
    def allclose(self, other: Any, *args: Any, **kwargs: Any) -> builtins.bool:
        return F.allclose(self, other, *args, **kwargs)
    def equal(self, other: Any) -> builtins.bool: return F.equal(self, other)
    def clone(self) -> Tensor: return F.clone(self)
    def tan(self) -> Tensor: return F.tan(self)
    def asin(self) -> Tensor: return F.asin(self)
    def acos(self) -> Tensor: return F.acos(self)
    def atan(self) -> Tensor: return F.atan(self)
    def sinh(self) -> Tensor: return F.sinh(self)
    def cosh(self) -> Tensor: return F.cosh(self)
    def asinh(self) -> Tensor: return F.asinh(self)
    def acosh(self) -> Tensor: return F.acosh(self)
    def atanh(self) -> Tensor: return F.atanh(self)
    def cumsum(self, *args: Any, **kwargs: Any) -> Tensor: return F.cumsum(self, *args, **kwargs)

    # -- shapes ----------------------------------------------------------------------------
    def reshape(self, *shape: Any) -> Tensor: return F.reshape(self, *shape)
    def view(self, *shape: Any) -> Tensor: return F.reshape(self, *shape)
    def view_as(self, other: Tensor) -> Tensor: return F.reshape(self, other.shape)
    def transpose(self, dim0: int, dim1: int) -> Tensor: return F.transpose(self, dim0, dim1)
    def permute(self, *dims: Any) -> Tensor: return F.permute(self, *dims)
    def squeeze(self, *args: Any, **kwargs: Any) -> Tensor: return F.squeeze(self, *args, **kwargs)
    def unsqueeze(self, dim: int) -> Tensor: return F.unsqueeze(self, dim)
    def expand(self, *shape: Any) -> Tensor: return F.expand(self, *shape)
    def repeat(self, *repeats: Any) -> Tensor: return F.repeat(self, *repeats)
    def bmm(self, other: Any) -> Tensor: return F.bmm(self, other)
    def expand_as(self, other: Tensor) -> Tensor: return F.expand(self, other.shape)
    def flatten(self, *args: Any, **kwargs: Any) -> Tensor: return F.flatten(self, *args, **kwargs)

    def t(self) -> Tensor:
        if self.ndim < 2:
            return self
        out = F.transpose(self, 0, 1)
        if out.grad_fn is not None:
            out.grad_fn.torch_name = "TBackward0"
        return out

    @property
    def T(self) -> Tensor:
        return self.permute(*range(self.ndim - 1, -1, -1)) if self.ndim > 1 else self

    @property
    def mT(self) -> Tensor:
        return F.transpose(self, -2, -1)

    # -- dtypes and in-place changes -----------------------------------------------------
    def to(self, *args: Any, **kwargs: Any) -> Tensor:
        """Convert to another dtype (a device argument other than "cpu" is refused)."""
        target = kwargs.get("dtype")
        _device.check(kwargs.get("device"))
        for a in args:
            if isinstance(a, (_dtype.dtype, np.dtype, type)):
                target = a
            elif isinstance(a, Tensor):  # x.to(other): other's dtype (and device)
                target = a._data.dtype
            else:
                _device.check(a)
        if target is None or _dtype.to_numpy_dtype(target) == self._data.dtype:
            return self
        target = _dtype.to_numpy_dtype(target)
        if target.kind != "f":  # an integer or bool result is never differentiable (torch)
            return Tensor._wrap(self._data.astype(target))
        return E.ToCopy.apply(self, dtype=target)

    def type(self, dtype: Any = None) -> Any:
        """With no argument, torch's type name ('torch.FloatTensor'); else ``to(dtype)``."""
        if dtype is None:
            return _dtype.tensor_type_name(self._data.dtype)
        return self.to(_dtype.from_type_name(dtype) if isinstance(dtype, str) else dtype)

    def float(self) -> Tensor: return self.to(_dtype.float32)
    def double(self) -> Tensor: return self.to(_dtype.float64)
    def long(self) -> Tensor: return self.to(_dtype.int64)
    def type_as(self, other: Tensor) -> Tensor: return self.to(other.dtype)

    def new_zeros(self, *size: Any) -> Tensor:
        return Tensor._wrap(np.zeros(F._shape_arg(size), self._data.dtype))

    def new_ones(self, *size: Any) -> Tensor:
        return Tensor._wrap(np.ones(F._shape_arg(size), self._data.dtype))

    def zero_(self) -> Tensor: return self.copy_(0)
    def fill_(self, value: Any) -> Tensor: return self.copy_(value)
    def add_(self, other: Any) -> Tensor: return _inplace(self, F.add, other)
    def sub_(self, other: Any) -> Tensor: return _inplace(self, F.sub, other)
    def mul_(self, other: Any) -> Tensor: return _inplace(self, F.mul, other)
    def div_(self, other: Any) -> Tensor: return _inplace(self, F.div, other)
    def normal_(self, mean: builtins.float = 0.0, std: builtins.float = 1.0, *,
                generator: Any = None) -> Tensor:
        return creation.normal_(self, mean, std)
    def uniform_(self, a: builtins.float = 0.0, b: builtins.float = 1.0, *,
                 generator: Any = None) -> Tensor:
        return creation.uniform_(self, a, b)

    def copy_(self, src: Any) -> Tensor:
        _assign(self, F.as_tensor(src, self))
        return self

    def __iter__(self) -> Any:
        if self._data.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return (self[i] for i in range(len(self._data)))

    def __reduce__(self) -> tuple[Any, ...]:
        return (Tensor, (self._data.copy(), None, self._requires_grad))

    # -- numpy interoperability: numpy hands ufunc calls on Tensors back to minigrad -----
    def __array_ufunc__(self, ufunc: Any, method: str, *inputs: Any, **kwargs: Any) -> Any:
        return numpy_dispatch.array_ufunc(ufunc, method, inputs, kwargs)

    def __array_function__(self, func: Any, types: Any, args: Any, kwargs: Any) -> Any:
        return numpy_dispatch.array_function(func, args, kwargs)


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
    if isinstance(data, np.generic):  # a numpy scalar keeps its dtype, as in torch
        return array
    if isinstance(data, (list, tuple)) and array.dtype.kind in "biuf":
        found = _numbers_dtype(data, array)  # numpy scalars in a list count with their dtypes
        if found is not None:
            return array.astype(found)
    if array.dtype.kind == "f" and not isinstance(data, (np.ndarray, Tensor)):
        return array.astype(_dtype.DEFAULT_FLOAT)
    if array.dtype.kind in "iu" and array.dtype != np.int64 and not isinstance(data, np.ndarray):
        return array.astype(np.int64)
    if array.dtype == object:
        raise TypeError(f"Could not infer dtype of {type(data).__name__}")
    return array


def _numbers_dtype(data: Any, array: np.ndarray) -> np.dtype | None:
    """torch's dtype for a nested list that holds a numpy scalar (None if it holds none): the
    promotion of its numbers' dtypes, a Python float counting as the default float dtype.
    Only the types are collected: for a list of 10^5 floats, 1 ms, about what np.array takes."""
    types: set[type] = set()
    stack = [data]
    while stack:
        seq = stack.pop()
        kinds = set(map(type, seq))
        if kinds & {list, tuple}:
            stack += [item for item in seq if isinstance(item, (list, tuple))]
        types |= kinds
    found = {np.dtype(t) for t in types if issubclass(t, np.generic)}
    if np.ndarray in types:
        found.add(array.dtype)
    if not found:
        return None
    found |= {_dtype.number_dtype(t()) for t in types & {bool, int, float}}
    return functools.reduce(_dtype.promote_dtypes, found)


def _swapped(f: Any, other: Any, self: Tensor, torch_name: str) -> Tensor:
    """``other op self`` for a number on the left: torch names that node apart."""
    out = f(other, self)
    if out.grad_fn is not None and not isinstance(other, Tensor):
        out.grad_fn.torch_name = torch_name
    return out


def _inplace(self: Tensor, f: Any, other: Any) -> Tensor:
    """``x op= y``: change x's data in place when no graph is recorded, else rebind x to the
    result, as torch does (a leaf that requires grad refuses outside ``no_grad``)."""
    result = f(_alias(self), other)
    _dtype.check_inplace(result._data.dtype, self._data.dtype)  # float into int: refused
    if result._data.shape != self._data.shape:
        raise RuntimeError(f"output with shape {list(self.shape)} doesn't match the "
                           f"broadcast shape {list(result.shape)}")
    _assign(self, result)
    return self


def _alias(self: Tensor) -> Tensor:
    """A second Tensor for self's current value and history.  An in-place op computes from
    it, so that what the op saves is the old value even after ``self`` is rebound."""
    alias = Tensor._wrap(self._data, self._requires_grad)
    alias.grad_fn = self.grad_fn
    alias._tangent = self._tangent
    alias._node = self._edge() if self.grad_fn is None else None
    return alias


def _assign(self: Tensor, result: Tensor) -> None:
    """Make ``self`` hold ``result`` (broadcast to self's shape)."""
    if state.grad_enabled and self._requires_grad and self.grad_fn is None:
        raise errors.leaf_inplace()
    recorded = state.grad_enabled and result._requires_grad
    if not recorded and self._tangent is None and result._tangent is None:
        np.copyto(self._data, result._data, casting="unsafe")
    else:  # the new value has a history or a tangent: this tensor now stands for the result
        result = result.to(self.dtype)
        if result._data.shape != self._data.shape:
            result = F.expand(result, self.shape)
        self._data = result._data
        self._tangent = result._tangent
        if recorded:
            self.grad_fn = result.grad_fn
            self._requires_grad = True


def _setitem(self: Tensor, idx: Any, value: Any) -> None:
    key, _ = F.index_key(idx)
    value = F.as_tensor(value, self)
    dual = self._tangent is not None or value._tangent is not None
    if not dual and (not state.grad_enabled or not (self._requires_grad or value._requires_grad)):
        self._data[key] = value._data
        return
    if self.grad_fn is None and self._requires_grad:
        raise errors.leaf_inplace()
    _assign(self, S.IndexPut.apply(_alias(self), value, index=key))


# The modules Tensor's methods call, imported once the class exists (see the docstring above).
from . import creation  # noqa: E402
from . import functional as F  # noqa: E402
from ._refuse import refuse_tensor_methods  # noqa: E402
from .autograd import engine  # noqa: E402

refuse_tensor_methods(Tensor)  # torch Tensor methods minigrad lacks say so (see _refuse.py)
from .ops import elementwise as E  # noqa: E402
from .ops import numpy_dispatch  # noqa: E402
from .ops import shape as S  # noqa: E402
