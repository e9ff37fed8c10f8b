"""Attach the operators and math methods to Tensor: each is a function of ``functional``.

Kept apart from ``tensor.py`` so that the class body holds only autograd bookkeeping.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import _dtype, errors
from . import functional as F
from ._grad_mode import state
from .ops import elementwise as E
from .ops import shape as S
from .tensor import Tensor


def _swap(f: Any, torch_name: str | None = None) -> Any:
    """``other op self`` for a number on the left (torch names some of these nodes apart)."""

    def method(self: Tensor, other: Any) -> Tensor:
        out = f(other, self)
        if torch_name and out.grad_fn is not None and not isinstance(other, Tensor):
            out.grad_fn.torch_name = torch_name
        return out

    return method


def _inplace(f: Any) -> Any:
    """``x op= y``: change x's data in place when no graph is recorded, else rebind x to the
    result, as torch does (a leaf that requires grad refuses outside ``no_grad``)."""

    def method(self: Tensor, other: Any) -> Tensor:
        result = f(_alias(self), other)
        if result._data.shape != self._data.shape:
            raise RuntimeError(f"output with shape {list(self.shape)} doesn't match the "
                               f"broadcast shape {list(result.shape)}")
        _assign(self, result)
        return self

    return method


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


def zero_(self: Tensor) -> Tensor:
    return copy_(self, 0)


def fill_(self: Tensor, value: Any) -> Tensor:
    return copy_(self, value)


def copy_(self: Tensor, src: Any) -> Tensor:
    _assign(self, F.as_tensor(src, self))
    return self


def to(self: Tensor, *args: Any, **kwargs: Any) -> Tensor:
    """Convert to another dtype (a device argument other than "cpu" is refused)."""
    target = kwargs.get("dtype")
    for a in args:
        if isinstance(a, (_dtype.dtype, np.dtype, type)):
            target = a
        elif a not in ("cpu", None):
            raise RuntimeError(f"minigrad runs on the CPU only, not on {a!r}")
    if target is None or _dtype.to_numpy_dtype(target) == self._data.dtype:
        return self
    return E.ToCopy.apply(self, dtype=_dtype.to_numpy_dtype(target))


def getitem(self: Tensor, idx: Any) -> Tensor:
    return F.index(self, idx)


def setitem(self: Tensor, idx: Any, value: Any) -> None:
    key, _ = F.index_key(idx)
    value = F.as_tensor(value, self)
    dual = self._tangent is not None or value._tangent is not None
    if not dual and (not state.grad_enabled or not (self._requires_grad or value._requires_grad)):
        self._data[key] = value._data
        return
    if self.grad_fn is None and self._requires_grad:
        raise errors.leaf_inplace()
    _assign(self, S.IndexPut.apply(_alias(self), value, index=key))


def max_(self: Tensor, dim: Any = None, keepdim: bool = False) -> Any:
    return F.max(self, dim, keepdim)


def min_(self: Tensor, dim: Any = None, keepdim: bool = False) -> Any:
    return F.min(self, dim, keepdim)


def view(self: Tensor, *shape: Any) -> Tensor:
    return F.reshape(self, *shape)


def t(self: Tensor) -> Tensor:
    if self.ndim < 2:
        return self
    out = F.transpose(self, 0, 1)
    if out.grad_fn is not None:
        out.grad_fn.torch_name = "TBackward0"
    return out


def T(self: Tensor) -> Tensor:
    return self.permute(*range(self.ndim - 1, -1, -1)) if self.ndim > 1 else self


_METHODS = {
    "__add__": F.add, "__radd__": F.add, "__sub__": F.sub,
    "__rsub__": _swap(F.sub, "RsubBackward1"),
    "__mul__": F.mul, "__rmul__": F.mul, "__truediv__": F.div,
    "__rtruediv__": _swap(F.div, "MulBackward0"), "__pow__": F.pow, "__rpow__": _swap(F.pow),
    "__matmul__": F.matmul, "__rmatmul__": _swap(F.matmul), "__neg__": F.neg,
    "__abs__": F.abs, "__eq__": F.eq, "__ne__": F.ne, "__gt__": F.gt, "__ge__": F.ge,
    "__lt__": F.lt, "__le__": F.le, "__and__": F.logical_and, "__or__": F.logical_or,
    "__invert__": F.logical_not, "__getitem__": getitem, "__setitem__": setitem,
    "__iadd__": _inplace(F.add), "__isub__": _inplace(F.sub), "__imul__": _inplace(F.mul),
    "__itruediv__": _inplace(F.div),
    "add": F.add, "sub": F.sub, "mul": F.mul, "div": F.div, "pow": F.pow, "neg": F.neg,
    "exp": F.exp, "log": F.log, "sqrt": F.sqrt, "sin": F.sin, "cos": F.cos, "tanh": F.tanh,
    "sigmoid": F.sigmoid, "relu": F.relu, "abs": F.abs, "clamp": F.clamp, "clip": F.clamp,
    "maximum": F.maximum, "minimum": F.minimum, "matmul": F.matmul, "dot": F.dot, "mv": F.mv,
    "mm": F.mm, "sum": F.sum, "mean": F.mean, "max": max_, "min": min_, "argmax": F.argmax,
    "argmin": F.argmin, "norm": F.norm, "softmax": F.softmax, "log_softmax": F.log_softmax,
    "reshape": F.reshape, "view": view, "transpose": F.transpose, "permute": F.permute,
    "squeeze": F.squeeze, "unsqueeze": F.unsqueeze, "expand": F.expand, "flatten": F.flatten,
    "clone": F.clone, "t": t, "eq": F.eq, "ne": F.ne, "gt": F.gt, "ge": F.ge, "lt": F.lt,
    "le": F.le, "sign": F.sign, "any": F.any, "all": F.all, "zero_": zero_, "fill_": fill_,
    "copy_": copy_, "to": to,
    "float": lambda self: to(self, _dtype.float32),
    "double": lambda self: to(self, _dtype.float64),
    "long": lambda self: to(self, _dtype.int64),
    "type_as": lambda self, other: to(self, other.dtype),
    "expand_as": lambda self, other: F.expand(self, other.shape),
    "view_as": lambda self, other: F.reshape(self, other.shape),
    "new_zeros": lambda self, *s: Tensor._wrap(np.zeros(F._shape_arg(s), self._data.dtype)),
    "new_ones": lambda self, *s: Tensor._wrap(np.ones(F._shape_arg(s), self._data.dtype)),
    "allclose": F.allclose, "equal": F.equal, "isclose": F.isclose,
}
for _name, _fn in _METHODS.items():
    setattr(Tensor, _name, _fn)
Tensor.T = property(T)  # type: ignore[attr-defined]
Tensor.mT = property(lambda self: F.transpose(self, -2, -1))  # type: ignore[attr-defined]
