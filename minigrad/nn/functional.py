"""``torch.nn.functional``: activations, ``linear`` and the two losses."""

from __future__ import annotations

from typing import Any

from .. import functional as F
from ..ops.linalg import Linear
from ..ops.loss import MseLoss, NllLoss
from ..tensor import Tensor

relu, sigmoid, tanh, softmax, log_softmax = F.relu, F.sigmoid, F.tanh, F.softmax, F.log_softmax


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
