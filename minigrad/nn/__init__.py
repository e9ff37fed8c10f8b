"""The little of ``torch.nn`` a first training loop needs: Module, Linear, losses."""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

import numpy as np

from .. import creation
from ..tensor import Tensor
from . import functional

__all__ = ["Module", "Parameter", "Linear", "Sequential", "ReLU", "Tanh", "MSELoss",
           "CrossEntropyLoss", "functional"]


def Parameter(data: Tensor, requires_grad: bool = True) -> Tensor:
    """A leaf tensor that a Module registers as one of its parameters."""
    return Tensor._wrap(data._data).requires_grad_(requires_grad)


class Module:
    """Holds parameters and sub-modules found among its attributes, in definition order."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.forward(*args, **kwargs)

    def forward(self, *args: Any) -> Any:
        raise NotImplementedError

    def parameters(self) -> Iterator[Tensor]:
        for value in vars(self).values():
            if isinstance(value, Tensor) and value.requires_grad and value.is_leaf:
                yield value
            elif isinstance(value, Module):
                yield from value.parameters()
            elif isinstance(value, (list, tuple)):
                for v in value:
                    if isinstance(v, Module):
                        yield from v.parameters()

    def zero_grad(self) -> None:
        for p in self.parameters():
            p.grad = None

    def _cast(self, dtype: Any) -> Module:
        for name, value in vars(self).items():
            if isinstance(value, Tensor):
                setattr(self, name, Parameter(value.detach().to(dtype), value.requires_grad))
            elif isinstance(value, Module):
                value._cast(dtype)
            elif isinstance(value, (list, tuple)):
                for v in value:
                    if isinstance(v, Module):
                        v._cast(dtype)
        return self

    def double(self) -> Module:
        return self._cast(np.float64)

    def float(self) -> Module:
        return self._cast(np.float32)

    def train(self, mode: bool = True) -> Module:
        return self

    def eval(self) -> Module:
        return self


class Linear(Module):
    """y = x W^T + b, initialised as torch does (uniform in +-1/sqrt(in_features))."""

    def __init__(self, in_features: int, out_features: int, bias: bool = True) -> None:
        bound = 1 / math.sqrt(in_features)
        self.weight = Parameter((creation.rand(out_features, in_features) * 2 - 1) * bound)
        self.bias = Parameter((creation.rand(out_features) * 2 - 1) * bound) if bias else None

    def forward(self, x: Tensor) -> Tensor:
        return functional.linear(x, self.weight, self.bias)

    def __repr__(self) -> str:
        out, inp = self.weight.shape
        return f"Linear(in_features={inp}, out_features={out}, bias={self.bias is not None})"


class Sequential(Module):
    def __init__(self, *layers: Module) -> None:
        self.layers = list(layers)

    def forward(self, x: Any) -> Any:
        for layer in self.layers:
            x = layer(x)
        return x


class ReLU(Module):
    def forward(self, x: Tensor) -> Tensor:
        return x.relu()


class Tanh(Module):
    def forward(self, x: Tensor) -> Tensor:
        return x.tanh()


class MSELoss(Module):
    def __init__(self, reduction: str = "mean") -> None:
        self.reduction = reduction

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return functional.mse_loss(input, target, reduction=self.reduction)


class CrossEntropyLoss(Module):
    def __init__(self, reduction: str = "mean") -> None:
        self.reduction = reduction

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return functional.cross_entropy(input, target, reduction=self.reduction)
