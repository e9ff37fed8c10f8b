"""Creating tensors: ``tensor``, ``arange``, ``zeros``, ``randn`` ... with torch's defaults."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from . import _device, _dtype
from ._grad_mode import state
from .errors import leaf_inplace
from .functional import _shape_arg
from .tensor import Tensor

_rng = np.random.default_rng(0)


def manual_seed(seed: int) -> None:
    """Seed minigrad's random numbers (they differ from torch's for the same seed)."""
    global _rng
    _rng = np.random.default_rng(int(seed))


def _make(array: np.ndarray, dtype: Any, requires_grad: bool, default: Any) -> Tensor:
    target = _dtype.to_numpy_dtype(dtype) if dtype is not None else default
    t = Tensor._wrap(array.astype(target, copy=False) if target is not None else array)
    if requires_grad:
        t.requires_grad_(True)
    return t


def tensor(data: Any, dtype: Any = None, requires_grad: bool = False, device: Any = None) -> Tensor:
    """A new tensor holding a copy of ``data`` (a number, nested lists, an array)."""
    _device.check(device)
    if isinstance(data, Tensor):
        data = data._data
    return Tensor(np.array(data, copy=True) if isinstance(data, np.ndarray) else data,
                  dtype=dtype, requires_grad=requires_grad)


def as_tensor(data: Any, dtype: Any = None, device: Any = None) -> Tensor:
    _device.check(device)
    return data if isinstance(data, Tensor) and dtype is None else Tensor(data, dtype=dtype)


def from_numpy(array: np.ndarray) -> Tensor:
    """A tensor sharing memory with ``array``."""
    return Tensor._wrap(array)


def arange(start: Any, end: Any = None, step: Any = 1, dtype: Any = None,
           requires_grad: bool = False, device: Any = None) -> Tensor:
    """torch's arange: ceil((end - start) / step) values ``start + i * step``, each rounded
    once, as torch's fused multiply-add does (np.arange adds a rounded step over and over:
    arange(-8, 8, 0.1)[80] is 4e-16 in torch, -3e-14 in numpy, 0 in plain float64, and
    relu'(x) there is 1 in torch, 0 in the others)."""
    _device.check(device)
    if end is None:
        start, end = 0, start
    start, end, step = (v.item() if isinstance(v, (Tensor, np.generic)) else v
                        for v in (start, end, step))
    if step == 0:
        raise RuntimeError("step must be nonzero")
    if (end - start) * step < 0:
        raise RuntimeError("upper bound and lower bound inconsistent with step sign")
    floats = any(isinstance(v, float) for v in (start, end, step))
    if floats:
        array = _steps(float(start), float(step), math.ceil((end - start) / step))
    else:
        array = np.arange(start, end, step)
    default = _dtype.DEFAULT_FLOAT if floats else np.dtype("int64")
    return _make(array, dtype, requires_grad, default)


def _steps(start: float, step: float, n: int) -> np.ndarray:
    """``start + i * step`` for i < n, in float64, with the product's rounding error added back
    (Dekker's exact product: ``step`` split into two halves of 26 bits, whose products with an
    integer i < 2**26 are exact), so that a sum that cancels (-8 + 80 * 0.1) keeps what a
    fused multiply-add keeps."""
    i = np.arange(n, dtype=np.float64)
    product = i * step
    if n > 2**26:
        return start + product
    big = 134217729.0 * step  # 2**27 + 1
    high = big - (big - step)
    error = (i * high - product) + i * (step - high)
    return (start + product) + error


def linspace(start: float, end: float, steps: int, dtype: Any = None,
             requires_grad: bool = False, device: Any = None) -> Tensor:
    _device.check(device)
    return _make(np.linspace(start, end, steps), dtype, requires_grad, _dtype.DEFAULT_FLOAT)


def _filled(fill: Any) -> Any:
    def make(*size: Any, dtype: Any = None, requires_grad: bool = False, **kw: Any) -> Tensor:
        _device.check(kw.get("device"))
        shape = _shape_arg(size if size else kw.get("size", ()))
        return _make(fill(shape), dtype, requires_grad, _dtype.DEFAULT_FLOAT)

    return make


zeros = _filled(np.zeros)
ones = _filled(np.ones)
empty = _filled(np.zeros)
randn = _filled(lambda shape: _rng.standard_normal(shape))
rand = _filled(lambda shape: _rng.random(shape))


def full(size: Any, fill_value: Any, dtype: Any = None, requires_grad: bool = False,
         device: Any = None) -> Tensor:
    _device.check(device)
    array = np.full(_shape_arg((size,)), fill_value)
    default = _dtype.DEFAULT_FLOAT if array.dtype.kind == "f" else None
    return _make(array, dtype, requires_grad, default)


def randint(low: int, high: Any = None, size: Any = (), dtype: Any = None,
            requires_grad: bool = False, generator: Any = None, device: Any = None) -> Tensor:
    """Random integers in [low, high): ``randint(high, size)`` or ``randint(low, high, size)``."""
    _device.check(device)
    if isinstance(high, (tuple, list)) and size == ():  # randint(high, size)
        low, high, size = 0, low, high
    if high is None:
        low, high = 0, low
    return _make(_rng.integers(low, high, size=_shape_arg((size,))), dtype, False, np.int64)


def eye(n: int, m: int | None = None, dtype: Any = None, requires_grad: bool = False,
        device: Any = None) -> Tensor:
    _device.check(device)
    return _make(np.eye(n, m), dtype, requires_grad, _dtype.DEFAULT_FLOAT)


def _like(fill: Any) -> Any:
    def make(t: Tensor, dtype: Any = None, requires_grad: bool = False,
             device: Any = None) -> Tensor:
        _device.check(device)
        return _make(fill(t._data.shape), dtype, requires_grad, t._data.dtype)

    return make


zeros_like = _like(np.zeros)
ones_like = _like(np.ones)
randn_like = _like(lambda shape: _rng.standard_normal(shape))
rand_like = _like(lambda shape: _rng.random(shape))


def normal(mean: Any = 0.0, std: Any = 1.0, size: Any = None, *, dtype: Any = None,
           requires_grad: bool = False, generator: Any = None) -> Tensor:
    """Samples of N(mean, std^2): of shape ``size`` for number arguments, else of the
    broadcast shape of the ``mean``/``std`` tensors (``torch.normal(0, 0.01, (2, 1))``)."""
    m = mean._data if isinstance(mean, Tensor) else mean
    s = std._data if isinstance(std, Tensor) else std
    if size is not None:
        shape = _shape_arg((size,))
    elif isinstance(mean, Tensor) or isinstance(std, Tensor):
        shape = np.broadcast_shapes(np.shape(m), np.shape(s))
    else:
        raise TypeError("normal() received an invalid combination of arguments: with numbers "
                        "for mean and std, give the shape too: normal(0, 1, size=(2, 3))")
    if np.any(np.asarray(s) < 0):
        raise RuntimeError(f"normal expects std >= 0.0, but found std {np.min(s)}")
    like = next((a.dtype for a in (m, s) if isinstance(a, np.ndarray)), _dtype.DEFAULT_FLOAT)
    array = m + s * _rng.standard_normal(shape)
    return _make(np.asarray(array), dtype, requires_grad, like)


def randperm(n: int, *, dtype: Any = None, requires_grad: bool = False,
             generator: Any = None) -> Tensor:
    """A random order of 0 .. n-1 (int64)."""
    return _make(_rng.permutation(int(n)), dtype, requires_grad, np.dtype("int64"))


def is_tensor(obj: Any) -> bool:
    return isinstance(obj, Tensor)


def fill_random_(t: Tensor, draw: Any) -> Tensor:
    """Overwrite ``t``'s values in place with ``draw(shape)`` (``normal_``, ``uniform_``)."""
    if state.grad_enabled and t.requires_grad and t.grad_fn is None:
        raise leaf_inplace()
    t._data[...] = draw(t._data.shape)
    return t


def normal_(t: Tensor, mean: float = 0.0, std: float = 1.0, *, generator: Any = None) -> Tensor:
    return fill_random_(t, lambda shape: _rng.normal(mean, std, shape))


def uniform_(t: Tensor, a: float = 0.0, b: float = 1.0, *, generator: Any = None) -> Tensor:
    return fill_random_(t, lambda shape: _rng.uniform(a, b, shape))
