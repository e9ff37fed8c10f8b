"""What a Tensor answers as a plain value: ``len``, ``item()``, ``tolist()``, ``numpy()``,
conversions to Python numbers, printing.  ``Tensor`` (tensor.py) inherits it; nothing here
records a graph.
"""

from __future__ import annotations

import builtins
from typing import Any

import numpy as np

from ._print import tensor_repr


class ArrayMethods:
    """Tensor's conversions and printing (they read ``self._data``)."""

    __slots__ = ()
    _data: np.ndarray
    _requires_grad: bool
    grad_fn: Any

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

    def __float__(self) -> builtins.float:
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
