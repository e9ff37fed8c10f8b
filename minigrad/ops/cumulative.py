"""Running sums along a dimension."""

from __future__ import annotations

import numpy as np

from ..autograd.engine import Function


class Cumsum(Function):
    """z_i = x_1 + ... + x_i along ``dim``;  dx_j = g_j + ... + g_n (the sums from the end),
    computed as total - running sum + g"""

    torch_name = "CumsumBackward0"

    def forward(self, x):
        return np.cumsum(x, axis=self.dim)

    def backward(self, grad_out):
        total = np.sum(grad_out, axis=self.dim, keepdims=True)
        return (total - np.cumsum(grad_out, axis=self.dim) + grad_out,)

    def jvp(self, tangents):
        (dx,) = tangents
        return np.cumsum(dx, axis=self.dim)
