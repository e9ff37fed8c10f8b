"""numpy calls on Tensors come back here and run as minigrad ops.

This is what lets a backward rule written with numpy (``grad_out * np.cos(x)``) build a
differentiable graph when the engine passes it Tensors (``create_graph=True``).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import functional as F


def _ufuncs() -> dict[Any, Any]:
    return {
        np.add: F.add, np.subtract: F.sub, np.multiply: F.mul, np.true_divide: F.div,
        np.negative: F.neg, np.power: F.pow, np.matmul: F.matmul, np.exp: F.exp,
        np.log: F.log, np.sqrt: F.sqrt, np.sin: F.sin, np.cos: F.cos, np.tanh: F.tanh,
        np.absolute: F.abs, np.maximum: F.maximum, np.minimum: F.minimum, np.sign: F.sign,
        np.greater: F.gt, np.greater_equal: F.ge, np.less: F.lt, np.less_equal: F.le,
        np.equal: F.eq, np.not_equal: F.ne, np.invert: F.logical_not,
        np.logical_not: F.logical_not, np.bitwise_and: F.logical_and,
        np.logical_and: F.logical_and, np.bitwise_or: F.logical_or, np.logical_or: F.logical_or,
        np.tan: F.tan, np.arcsin: F.asin, np.arccos: F.acos, np.arctan: F.atan, np.sinh: F.sinh,
        np.cosh: F.cosh, np.arcsinh: F.asinh, np.arccosh: F.acosh, np.arctanh: F.atanh,
        np.floor: F.floor, np.ceil: F.ceil, np.trunc: F.trunc, np.floor_divide: F.floor_divide,
        np.remainder: F.remainder,
    }


def _functions() -> dict[Any, Any]:
    def reshape(a, shape, *args, **kw):
        return F.as_tensor(a).reshape(shape)

    def broadcast_to(a, shape, *args, **kw):
        return F.as_tensor(a).expand(tuple(shape))

    def swapaxes(a, d0, d1):
        return F.as_tensor(a).transpose(d0, d1)

    def transpose(a, axes=None):
        a = F.as_tensor(a)
        return a.permute(tuple(axes) if axes is not None else tuple(range(a.ndim))[::-1])

    def expand_dims(a, axis):
        return F.as_tensor(a).unsqueeze(axis)

    def sum_(a, axis=None, keepdims=False, **kw):
        return F.as_tensor(a).sum(axis, keepdim=keepdims)

    def cumsum(a, axis=None, **kw):
        return F.cumsum(F.as_tensor(a), axis)

    def where(cond, x, y):
        return F.where(F.as_tensor(cond), x, y)

    def shape(a):
        return tuple(F.as_tensor(a).shape)

    def ndim(a):
        return F.as_tensor(a).ndim

    def size(a, axis=None):
        a = F.as_tensor(a)
        return a.numel() if axis is None else a.shape[axis]

    return {
        np.reshape: reshape, np.broadcast_to: broadcast_to, np.swapaxes: swapaxes,
        np.transpose: transpose, np.expand_dims: expand_dims, np.sum: sum_, np.where: where,
        np.shape: shape, np.ndim: ndim, np.size: size, np.cumsum: cumsum,
    }


_UFUNCS: dict[Any, Any] = {}
_FUNCTIONS: dict[Any, Any] = {}


def array_ufunc(ufunc: Any, method: str, inputs: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    if not _UFUNCS:
        _UFUNCS.update(_ufuncs())
    fn = _UFUNCS.get(ufunc)
    if method != "__call__" or fn is None or kwargs.get("out") is not None:
        raise TypeError(f"minigrad does not support numpy.{ufunc.__name__}.{method} on a Tensor;"
                        " use the minigrad function of the same name")
    return fn(*inputs)


def array_function(func: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    if not _FUNCTIONS:
        _FUNCTIONS.update(_functions())
    fn = _FUNCTIONS.get(func)
    if fn is None:
        raise TypeError(f"minigrad does not support numpy.{func.__name__} on a Tensor; "
                        "convert with .detach().numpy() first")
    return fn(*args, **kwargs)
