"""``torch.optim.SGD``: the update a d2l reader writes by hand, packaged."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from ._grad_mode import no_grad
from .tensor import Tensor


class SGD:
    """p <- p - lr * (p.grad + weight_decay * p), with optional momentum."""

    def __init__(self, params: Iterable[Tensor], lr: float, momentum: float = 0.0,
                 weight_decay: float = 0.0) -> None:
        self.params = list(params)
        if not self.params:
            raise ValueError("optimizer got an empty parameter list")
        self.lr, self.momentum, self.weight_decay = lr, momentum, weight_decay
        self._velocity: list[np.ndarray | None] = [None] * len(self.params)

    def zero_grad(self, set_to_none: bool = True) -> None:
        for p in self.params:
            if set_to_none:
                p.grad = None
            elif p.grad is not None:
                p.grad.zero_()

    @no_grad()
    def step(self) -> None:
        for i, p in enumerate(self.params):
            if p.grad is None:
                continue
            d = p.grad._data
            if self.weight_decay:
                d = d + self.weight_decay * p._data
            if self.momentum:
                v = self._velocity[i]
                v = d.copy() if v is None else self.momentum * v + d
                self._velocity[i] = v
                d = v
            p._data -= self.lr * d
