"""The two losses a first training loop needs."""

from __future__ import annotations

import numpy as np

from ..autograd.engine import Function


def _reduce(v, reduction):
    if reduction == "mean":
        if v.dtype == np.float32 or v.dtype == np.float64:  # sum / count, as v.mean() does
            return np.asarray(np.add.reduce(v, axis=None) / v.size)  # (3x faster than it)
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

    def backward(self, grad_out, x, y):
        d = 2 * (x - y) * grad_out
        if self.reduction == "mean":
            d = d / np.size(x - y)
        return d, -d

    def jvp(self, tangents, x, y):
        dx, dy = tangents
        dt = (0 if dx is None else dx) - (0 if dy is None else dy)
        return _reduce(2 * (x - y) * dt, self.reduction)


class NllLoss(Function):
    """z = -mean_i logp[i, t_i];  dz/dlogp = -1/N at (i, t_i), 0 elsewhere  (t: class indices)"""

    torch_name = "NllLossBackward0"

    def forward(self, logp, target):
        n, classes = logp.shape
        picked = logp[np.arange(n), target]  # (an IndexError for a class out of range)
        # row i's target column, as indexing counts it (-1 is the last class): no write into
        # an array, so that minigrad.compile can record this rule as numpy lines
        onehot = np.equal(np.remainder(target, classes)[:, None], np.arange(classes))
        self.save_for_backward(onehot)
        return _reduce(-picked, self.reduction).astype(logp.dtype, copy=False)

    def backward(self, grad_out, onehot):
        if self.reduction == "none":
            grad_out = np.reshape(grad_out, (-1, 1))
        elif self.reduction == "mean":
            grad_out = grad_out / np.shape(onehot)[0]
        return -grad_out * onehot, None

    def jvp(self, tangents, onehot):
        dx, _ = tangents
        return -_reduce((dx * onehot).sum(axis=1), self.reduction)
