"""``torch.nn.functional``: activations, ``linear`` and the two losses."""

from __future__ import annotations

from typing import Any

from .. import creation
from .. import functional as F
from .._refuse import refuse
from ..ops.linalg import Linear
from ..ops.loss import MseLoss, NllLoss
from ..tensor import Tensor

relu, sigmoid, tanh, softmax, log_softmax = F.relu, F.sigmoid, F.tanh, F.softmax, F.log_softmax

__all__ = ["relu", "sigmoid", "tanh", "softmax", "log_softmax", "linear", "dropout",
           "mse_loss", "nll_loss", "cross_entropy"]


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


def __getattr__(name: str) -> Any:
    raise refuse(f"torch.nn.functional.{name}",
                 f"module 'torch.nn.functional' has no attribute '{name}'",
                 f"minigrad.nn.functional has {', '.join(__all__)}; compose other functions "
                 "from tensor operations")
