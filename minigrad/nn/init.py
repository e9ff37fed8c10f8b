"""``torch.nn.init``: overwrite a parameter's values in place, without recording a graph.

``init.normal_(layer.weight, std=0.01)`` is what d2l's ``net.apply(init_weights)`` calls.
Random values come from minigrad's own generator (``minigrad.manual_seed``).
"""

from __future__ import annotations

import math
from typing import Any

from .. import creation
from .._refuse import refuse
from ..tensor import Tensor

__all__ = ["normal_", "uniform_", "zeros_", "ones_", "constant_", "xavier_uniform_",
           "xavier_normal_"]


def _unrecorded(t: Tensor) -> Tensor:
    """The same storage as ``t``, with no graph: an initialiser may write into a parameter."""
    return Tensor._wrap(t._data)


def normal_(tensor: Tensor, mean: float = 0.0, std: float = 1.0) -> Tensor:
    creation.normal_(_unrecorded(tensor), mean, std)
    return tensor


def uniform_(tensor: Tensor, a: float = 0.0, b: float = 1.0) -> Tensor:
    creation.uniform_(_unrecorded(tensor), a, b)
    return tensor


def constant_(tensor: Tensor, val: float) -> Tensor:
    tensor._data[...] = val
    return tensor


def zeros_(tensor: Tensor) -> Tensor:
    return constant_(tensor, 0.0)


def ones_(tensor: Tensor) -> Tensor:
    return constant_(tensor, 1.0)


def _fans(tensor: Tensor) -> tuple[int, int]:
    """(fan_in, fan_out) of a weight of shape (out, in, *kernel)."""
    if tensor.ndim < 2:
        raise ValueError("Fan in and fan out can not be computed for tensor with fewer than 2 "
                         "dimensions")
    field = math.prod(tensor.shape[2:])
    return tensor.shape[1] * field, tensor.shape[0] * field


def xavier_uniform_(tensor: Tensor, gain: float = 1.0) -> Tensor:
    """Uniform in +-a with a = gain * sqrt(6 / (fan_in + fan_out)) (Glorot and Bengio, 2010)."""
    fan_in, fan_out = _fans(tensor)
    a = gain * math.sqrt(6.0 / (fan_in + fan_out))
    return uniform_(tensor, -a, a)


def xavier_normal_(tensor: Tensor, gain: float = 1.0) -> Tensor:
    """Normal with std = gain * sqrt(2 / (fan_in + fan_out))."""
    fan_in, fan_out = _fans(tensor)
    return normal_(tensor, 0.0, gain * math.sqrt(2.0 / (fan_in + fan_out)))


def __getattr__(name: str) -> Any:
    raise refuse(f"torch.nn.init.{name}", f"module 'torch.nn.init' has no attribute '{name}'",
                 f"minigrad.nn.init has {', '.join(__all__)}; or write the values yourself "
                 "under no_grad(): w.copy_(...)")
