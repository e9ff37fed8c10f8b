"""``torch.nn``: Module, the layers and losses of d2l's first chapters, ``init`` and
``functional``.

A Module (``module.py``) finds its parameters and sub-modules among its attributes, in
definition order (no registration step), and ``train()``/``eval()`` set ``.training`` on it and
every sub-module: dropout is on while training and off in evaluation, as in torch.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

from .. import creation
from .._refuse import refuse
from ..tensor import Tensor
from . import functional, init
from .module import Module, Parameter, UninitializedParameter

__all__ = ["Module", "Parameter", "Linear", "LazyLinear", "ModuleList", "Sequential", "Flatten",
           "Dropout", "Identity", "ReLU", "LeakyReLU", "Sigmoid", "Tanh", "Softmax", "MSELoss",
           "L1Loss", "HuberLoss", "CrossEntropyLoss", "functional", "init"]


class Linear(Module):
    """y = x W^T + b, initialised as torch does (uniform in +-1/sqrt(in_features))."""

    def __init__(self, in_features: int, out_features: int, bias: bool = True) -> None:
        bound = 1 / math.sqrt(in_features)
        self.weight = Parameter((creation.rand(out_features, in_features) * 2 - 1) * bound)
        self.bias = Parameter((creation.rand(out_features) * 2 - 1) * bound) if bias else None

    def forward(self, x: Tensor) -> Tensor:
        return functional.linear(x, self.weight, self.bias)

    def extra_repr(self) -> str:
        out, inp = self.weight.shape
        return f"in_features={inp}, out_features={out}, bias={self.bias is not None}"


class LazyLinear(Linear):
    """A Linear that reads ``in_features`` from its first input (d2l's later chapters build
    every net with it).  Until then its weight and bias are empty parameters, which an
    optimiser may already hold; the first call fills those same parameters, initialised as
    Linear's, and the layer becomes a Linear (so ``type(m) == nn.Linear`` finds it, as in
    torch)."""

    def __init__(self, out_features: int, bias: bool = True) -> None:
        self.out_features = out_features
        self.weight = UninitializedParameter()
        self.bias = UninitializedParameter() if bias else None

    def forward(self, x: Tensor) -> Tensor:
        if isinstance(self.weight, UninitializedParameter):  # (not filled by load_state_dict)
            fresh = Linear.__new__(Linear)  # draws from the generator as Linear(in, out) would
            Linear.__init__(fresh, x.shape[-1], self.out_features, self.bias is not None)
            for mine, new in ((self.weight, fresh.weight), (self.bias, fresh.bias)):
                if isinstance(mine, UninitializedParameter) and new is not None:
                    mine.materialize(new.shape, new._data.dtype)
                    mine._data = new._data
        self.__class__ = Linear  # type: ignore[assignment]  # as torch's LazyLinear does
        del self.out_features
        return functional.linear(x, self.weight, self.bias)

    def extra_repr(self) -> str:
        return f"in_features=0, out_features={self.out_features}, bias={self.bias is not None}"


class ModuleList(Module):
    """A list of Modules whose parameters are the net's (``torch.nn.ModuleList``): index,
    iterate, ``append`` and ``extend`` it; the modules are named "0", "1", ..."""

    def __init__(self, modules: Any = None) -> None:
        super().__init__()
        self.extend(modules or [])

    def append(self, module: Module) -> ModuleList:
        self.add_module(str(len(self._modules)), module)
        return self

    def extend(self, modules: Any) -> ModuleList:
        for module in modules:
            self.append(module)
        return self

    def __getitem__(self, index: int | slice) -> Any:
        modules = list(self._modules.values())
        return ModuleList(modules[index]) if isinstance(index, slice) else modules[index]

    def __setitem__(self, index: int, module: Module) -> None:
        self.add_module(list(self._modules)[index], module)

    def __len__(self) -> int:
        return len(self._modules)

    def __iter__(self) -> Iterator[Module]:
        return iter(self._modules.values())

    def __repr__(self) -> str:
        """As torch prints it: a run of equal modules is one line, ``(0-2): 3 x Linear(...)``."""
        runs: list[list[Any]] = []  # [first name, last name, count, repr]
        for name, module in self._modules.items():
            text = repr(module)
            if runs and runs[-1][3] == text:
                runs[-1][1:3] = [name, runs[-1][2] + 1]
            else:
                runs.append([name, name, 1, text])
        lines = [f"({a}): {text}" if n == 1 else f"({a}-{b}): {n} x {text}"
                 for a, b, n, text in runs]
        body = "".join("\n  " + line.replace("\n", "\n  ") for line in lines)
        return f"ModuleList({body}\n)" if lines else "ModuleList()"


class Sequential(Module):
    """Layers applied in order; ``net[0]`` is the first layer, ``net[1:]`` a Sequential.  The
    layers are named "0", "1", ... (or by ``add_module``), as their parameters are."""

    def __init__(self, *layers: Module) -> None:
        super().__init__()
        for layer in layers:
            self.append(layer)

    def forward(self, x: Any) -> Any:
        for layer in self._modules.values():
            x = layer(x)
        return x

    def __getitem__(self, index: int | slice) -> Any:
        layers = list(self._modules.values())
        if isinstance(index, slice):
            return Sequential(*layers[index])
        return layers[index]

    def __len__(self) -> int:
        return len(self._modules)

    def __iter__(self) -> Iterator[Module]:
        return iter(self._modules.values())

    def append(self, layer: Module) -> Sequential:
        self.add_module(str(len(self._modules)), layer)
        return self


class Flatten(Module):
    """Merge the dimensions ``start_dim`` .. ``end_dim`` (by default all but the batch's)."""

    def __init__(self, start_dim: int = 1, end_dim: int = -1) -> None:
        self.start_dim, self.end_dim = start_dim, end_dim

    def forward(self, x: Tensor) -> Tensor:
        return x.flatten(self.start_dim, self.end_dim)

    def extra_repr(self) -> str:
        return f"start_dim={self.start_dim}, end_dim={self.end_dim}"


class Dropout(Module):
    """While training, zero each element with probability ``p`` and scale the rest by
    1/(1-p); in ``eval()`` mode, the identity."""

    def __init__(self, p: float = 0.5) -> None:
        if not 0 <= p <= 1:
            raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
        self.p = p

    def forward(self, x: Tensor) -> Tensor:
        return functional.dropout(x, self.p, self.training)

    def extra_repr(self) -> str:
        return f"p={self.p}, inplace=False"


class Identity(Module):
    def forward(self, x: Tensor) -> Tensor:
        return x


class ReLU(Module):
    def forward(self, x: Tensor) -> Tensor:
        return x.relu()


class Sigmoid(Module):
    def forward(self, x: Tensor) -> Tensor:
        return x.sigmoid()


class Tanh(Module):
    def forward(self, x: Tensor) -> Tensor:
        return x.tanh()


class Softmax(Module):
    def __init__(self, dim: int | None = None) -> None:
        self.dim = dim

    def forward(self, x: Tensor) -> Tensor:
        return x.softmax(self.dim if self.dim is not None else (0 if x.ndim in (0, 1, 3) else 1))


class MSELoss(Module):
    def __init__(self, reduction: str = "mean") -> None:
        self.reduction = reduction

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return functional.mse_loss(input, target, reduction=self.reduction)


class L1Loss(Module):
    def __init__(self, reduction: str = "mean") -> None:
        self.reduction = reduction

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return functional.l1_loss(input, target, reduction=self.reduction)


class HuberLoss(Module):
    def __init__(self, reduction: str = "mean", delta: float = 1.0) -> None:
        self.reduction, self.delta = reduction, delta

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return functional.huber_loss(input, target, reduction=self.reduction, delta=self.delta)


class LeakyReLU(Module):
    def __init__(self, negative_slope: float = 0.01) -> None:
        self.negative_slope = negative_slope

    def forward(self, x: Tensor) -> Tensor:
        return functional.leaky_relu(x, self.negative_slope)

    def extra_repr(self) -> str:
        return f"negative_slope={self.negative_slope}"


class CrossEntropyLoss(Module):
    def __init__(self, reduction: str = "mean") -> None:
        self.reduction = reduction

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return functional.cross_entropy(input, target, reduction=self.reduction)


def __getattr__(name: str) -> Any:
    raise refuse(f"torch.nn.{name}", f"module 'torch.nn' has no attribute '{name}'",
                 f"minigrad.nn has {', '.join(__all__)}; write other layers as a Module "
                 "subclass with a forward() method")
