"""The two losses a first training loop needs."""

from __future__ import annotations

import numpy as np

from ..function import Function


def _reduce(v, reduction):
    if reduction == "mean":
        return np.asarray(v.mean())
    if reduction == "sum":
        return np.asarray(v.sum())
    return v


class MseLoss(Function):
    """z = mean (x - y)^2;  dz/dx = 2 (x - y) / N,  dz/dy = -2 (x - y) / N"""

    torch_name = "MseLossBackward0"

    def forward(self, x, y):
        self.save_for_backward(x, y)
        return _reduce((x - y) ** 2, self.reduction).astype(np.result_type(x, y), copy=False)

    def backward(self, g, x, y):
        d = 2 * (x - y) * g
        if self.reduction == "mean":
            d = d / np.size(x - y)
        return d, -d

    def jvp(self, tx, ty):
        x, y = self.saved_tensors
        dt = (0 if tx is None else tx) - (0 if ty is None else ty)
        return _reduce(2 * (x - y) * dt, self.reduction)


class NllLoss(Function):
    """z = -mean_i logp[i, t_i];  dz/dlogp = -1/N at (i, t_i), 0 elsewhere  (t: class indices)"""

    torch_name = "NllLossBackward0"

    def forward(self, logp, target):
        rows = np.arange(logp.shape[0])
        onehot = np.zeros(logp.shape, dtype=bool)
        onehot[rows, target] = True
        self.save_for_backward(onehot)
        return _reduce(-logp[rows, target], self.reduction).astype(logp.dtype, copy=False)

    def backward(self, g, onehot):
        if self.reduction == "none":
            g = np.reshape(g, (-1, 1))
        elif self.reduction == "mean":
            g = g / np.shape(onehot)[0]
        return -g * onehot, None

    def jvp(self, t, ttarget):
        (onehot,) = self.saved_tensors
        return -_reduce((t * onehot).sum(axis=1), self.reduction)
