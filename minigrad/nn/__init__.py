"""``torch.nn``: Module, the layers and losses of d2l's first chapters, ``init`` and
``functional``.

A Module finds its parameters and sub-modules among its attributes, in definition order (no
registration step), and ``train()``/``eval()`` set ``.training`` on it and every sub-module:
dropout is on while training and off in evaluation, as in torch.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

from .. import creation
from .._refuse import refuse
from ..tensor import Tensor
from . import functional, init

__all__ = ["Module", "Parameter", "Linear", "Sequential", "Flatten", "Dropout", "Identity",
           "ReLU", "Sigmoid", "Tanh", "Softmax", "MSELoss", "CrossEntropyLoss", "functional",
           "init"]


class Parameter(Tensor):
    """A leaf tensor that a Module registers as one of its parameters (``torch.nn.Parameter``).

    It shares ``data``'s array (no copy), is a leaf even if ``data`` was computed, and
    requires a gradient unless told not to.  What is computed from it is a plain Tensor.
    """

    def __init__(self, data: Tensor | None = None, requires_grad: bool = True) -> None:
        if data is None:
            data = creation.empty(0)
        if not isinstance(data, Tensor):
            raise TypeError(f"nn.Parameter takes a Tensor, not {type(data).__name__}: write "
                            f"nn.Parameter(minigrad.tensor(...))")
        self._data = data._data
        self._requires_grad = False
        self.grad_fn = self._tangent = None
        if requires_grad:
            self.requires_grad_(True)

    def __repr__(self) -> str:
        return "Parameter containing:\n" + super().__repr__()

    def __reduce__(self) -> tuple[Any, ...]:  # copy.deepcopy and pickle keep the class
        return (Parameter, (Tensor._wrap(self._data.copy()), self._requires_grad))


class Module:
    """Holds parameters and sub-modules found among its attributes, in definition order."""

    training = True  # until train(False)/eval(); a subclass need not call __init__

    def __init__(self) -> None:
        self.training = True

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.forward(*args, **kwargs)

    def forward(self, *args: Any) -> Any:
        raise NotImplementedError(f"{type(self).__name__} must define forward()")

    def children(self) -> Iterator[Module]:
        """The sub-modules held directly (as attributes, or in a list or tuple attribute)."""
        for value in vars(self).values():
            if isinstance(value, Module):
                yield value
            elif isinstance(value, (list, tuple)):
                yield from (v for v in value if isinstance(v, Module))

    def modules(self) -> Iterator[Module]:
        """This module and every module below it."""
        yield self
        for child in self.children():
            yield from child.modules()

    def parameters(self) -> Iterator[Tensor]:
        """Each parameter once (a layer used twice shares its parameters)."""
        seen: set[int] = set()
        for module in self.modules():
            for value in vars(module).values():
                if isinstance(value, Tensor) and value.requires_grad and value.is_leaf \
                        and id(value) not in seen:
                    seen.add(id(value))
                    yield value

    def zero_grad(self, set_to_none: bool = True) -> None:
        for p in self.parameters():
            p.grad = None

    def apply(self, fn: Callable[[Module], Any]) -> Module:
        """Call ``fn`` on every sub-module, then on this one (d2l initialises weights so)."""
        for child in self.children():
            child.apply(fn)
        fn(self)
        return self

    def train(self, mode: bool = True) -> Module:
        for module in self.modules():
            module.training = bool(mode)
        return self

    def eval(self) -> Module:
        return self.train(False)

    def _cast(self, dtype: Any) -> Module:
        for module in self.modules():
            for name, value in list(vars(module).items()):
                if isinstance(value, Tensor):
                    setattr(module, name,
                            Parameter(value.detach().to(dtype), value.requires_grad))
        return self

    def double(self) -> Module:
        return self._cast(np.float64)

    def float(self) -> Module:
        return self._cast(np.float32)

    def __repr__(self) -> str:
        inner = "".join(f"\n  ({i}): {c!r}" for i, c in enumerate(self.children()))
        return f"{type(self).__name__}({self.extra_repr()}{inner}{chr(10) if inner else ''})"

    def extra_repr(self) -> str:
        return ""


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


class Sequential(Module):
    """Layers applied in order; ``net[0]`` is the first layer, ``net[1:]`` a Sequential."""

    def __init__(self, *layers: Module) -> None:
        self.layers = list(layers)

    def forward(self, x: Any) -> Any:
        for layer in self.layers:
            x = layer(x)
        return x

    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, slice):
            return Sequential(*self.layers[index])
        return self.layers[index]

    def __len__(self) -> int:
        return len(self.layers)

    def __iter__(self) -> Iterator[Module]:
        return iter(self.layers)

    def append(self, layer: Module) -> Sequential:
        self.layers.append(layer)
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


class CrossEntropyLoss(Module):
    def __init__(self, reduction: str = "mean") -> None:
        self.reduction = reduction

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return functional.cross_entropy(input, target, reduction=self.reduction)


def __getattr__(name: str) -> Any:
    raise refuse(f"torch.nn.{name}", f"module 'torch.nn' has no attribute '{name}'",
                 f"minigrad.nn has {', '.join(__all__)}; write other layers as a Module "
                 "subclass with a forward() method")
