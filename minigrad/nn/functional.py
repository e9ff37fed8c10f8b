"""``torch.nn.functional``: activations, ``linear``, ``one_hot`` and the losses."""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import creation
from .. import functional as F
from .._refuse import refuse
from ..ops.linalg import Linear
from ..ops.loss import MseLoss, NllLoss
from ..tensor import Tensor

relu, sigmoid, tanh, softmax, log_softmax = F.relu, F.sigmoid, F.tanh, F.softmax, F.log_softmax

__all__ = ["relu", "sigmoid", "tanh", "softmax", "log_softmax", "leaky_relu", "linear",
           "dropout", "one_hot", "mse_loss", "l1_loss", "huber_loss", "nll_loss",
           "cross_entropy"]


def dropout(input: Tensor, p: float = 0.5, training: bool = True) -> Tensor:
    """While ``training``: each element is zeroed with probability p and the others are scaled
    by 1/(1-p), so the expected value is unchanged; otherwise ``input`` itself."""
    if not 0 <= p <= 1:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
    if not training or p == 0:
        return input
    if p == 1:
        return input * 0.0
    keep = creation._rng.random(input._data.shape) >= p
    scale = (keep / (1.0 - p)).astype(input._data.dtype)
    return input * Tensor._wrap(scale)


def linear(x: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """y = x W^T + b."""
    if bias is not None and x.ndim == 2 and weight.ndim == 2 and bias.ndim == 1 \
            and x.shape[1] == weight.shape[1] and weight.shape[0] == bias.shape[0]:
        return Linear.apply(x, weight, bias)
    y = F.matmul(x, weight.T)  # other shapes (and their errors): the general route
    return y if bias is None else y + bias


def mse_loss(input: Tensor, target: Any, reduction: str = "mean") -> Tensor:
    input, target = F._pair(input, target)
    F._check_broadcast("mse_loss", input, target)
    return MseLoss.apply(input, target, reduction=reduction)


def nll_loss(log_probs: Tensor, target: Tensor, reduction: str = "mean") -> Tensor:
    if target._data.dtype.kind not in "iu":
        raise RuntimeError("nll_loss: expected target of class indices (an integer tensor), got "
                           f"{target.dtype}")
    return NllLoss.apply(log_probs, target, reduction=reduction)


def cross_entropy(input: Tensor, target: Tensor, reduction: str = "mean") -> Tensor:
    """-log softmax(input)[target], averaged: log_softmax then nll_loss, as torch."""
    return nll_loss(F.log_softmax(input, 1), target, reduction=reduction)


def leaky_relu(input: Tensor, negative_slope: float = 0.01) -> Tensor:
    """x where x > 0, else negative_slope * x (so the slope at 0 is negative_slope, as torch)."""
    return F.where(input > 0, input, input * negative_slope)


def one_hot(tensor: Tensor, num_classes: int = -1) -> Tensor:
    """Class indices (int64, any shape) -> 0/1 int64 vectors along a new last dimension."""
    labels = tensor._data
    if labels.dtype != np.int64:
        raise RuntimeError("one_hot is only applicable to index tensor of type LongTensor.")
    if labels.size and labels.min() < 0:
        raise RuntimeError("Class values must be non-negative.")
    if num_classes == -1:
        num_classes = int(labels.max()) + 1 if labels.size else 0
    elif labels.size and labels.max() >= num_classes:
        raise RuntimeError("Class values must be smaller than num_classes.")
    return Tensor._wrap((labels[..., None] == np.arange(num_classes)).astype(np.int64))


def l1_loss(input: Tensor, target: Any, reduction: str = "mean") -> Tensor:
    """|input - target|, averaged (or summed, or each)."""
    return _reduce(F.abs(input - target), reduction)


def huber_loss(input: Tensor, target: Any, reduction: str = "mean", delta: float = 1.0
               ) -> Tensor:
    """(input - target)^2 / 2 where that difference is within delta, else
    delta * (|input - target| - delta / 2): a square near 0, a line beyond."""
    gap = F.abs(input - target)
    return _reduce(F.where(gap < delta, 0.5 * gap * gap, delta * (gap - 0.5 * delta)),
                   reduction)


def _reduce(loss: Tensor, reduction: str) -> Tensor:
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    if reduction == "none":
        return loss
    raise ValueError(f"{reduction} is not a valid value for reduction")


def __getattr__(name: str) -> Any:
    raise refuse(f"torch.nn.functional.{name}",
                 f"module 'torch.nn.functional' has no attribute '{name}'",
                 f"minigrad.nn.functional has {', '.join(__all__)}; compose other functions "
                 "from tensor operations")
