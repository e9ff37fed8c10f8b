"""Elementwise functions (exp, sin, relu, where, ...); arithmetic is in ``arithmetic.py``.
Gradients here have the output's shape; the engine un-broadcasts them."""

from __future__ import annotations

import numpy as np

from ..function import Function


class Exp(Function):
    """z = e^x;  dz/dx = z"""

    torch_name = "ExpBackward0"

    def forward(self, x):
        z = np.exp(x)
        self.save_for_backward(z)
        return z

    def backward(self, g, z):
        return (g * z,)

    def jvp(self, t):
        (z,) = self.saved_tensors
        return z * t


class Log(Function):
    """z = ln x;  dz/dx = 1/x"""

    torch_name = "LogBackward0"

    def forward(self, x):
        self.save_for_backward(x)
        return np.log(x)  # log 0 = -inf, log of a negative = nan, silently, as torch

    def backward(self, g, x):
        return (g / x,)

    def jvp(self, t):
        (x,) = self.saved_tensors
        return t / x


class Sqrt(Function):
    """z = sqrt(x);  dz/dx = 1 / (2 z)"""

    torch_name = "SqrtBackward0"

    def forward(self, x):
        z = np.sqrt(x)  # sqrt of a negative is nan, silently, as torch
        self.save_for_backward(z)
        return z

    def backward(self, g, z):
        return (g / (2 * z),)

    def jvp(self, t):
        (z,) = self.saved_tensors
        return t / (2 * z)


class Sin(Function):
    """z = sin x;  dz/dx = cos x"""

    torch_name = "SinBackward0"

    def forward(self, x):
        self.save_for_backward(x)
        return np.sin(x)

    def backward(self, g, x):
        return (g * np.cos(x),)

    def jvp(self, t):
        (x,) = self.saved_tensors
        return np.cos(x) * t


class Cos(Function):
    """z = cos x;  dz/dx = -sin x"""

    torch_name = "CosBackward0"

    def forward(self, x):
        self.save_for_backward(x)
        return np.cos(x)

    def backward(self, g, x):
        return (-g * np.sin(x),)

    def jvp(self, t):
        (x,) = self.saved_tensors
        return -np.sin(x) * t


class Tanh(Function):
    """z = tanh x;  dz/dx = 1 - z^2"""

    torch_name = "TanhBackward0"

    def forward(self, x):
        z = np.tanh(x)
        self.save_for_backward(z)
        return z

    def backward(self, g, z):
        return (g * (1 - z * z),)

    def jvp(self, t):
        (z,) = self.saved_tensors
        return (1 - z * z) * t


class Sigmoid(Function):
    """z = 1 / (1 + e^-x);  dz/dx = z (1 - z)"""

    torch_name = "SigmoidBackward0"

    def forward(self, x):
        z = np.exp(-np.logaddexp(0, -x)).astype(x.dtype, copy=False)
        self.save_for_backward(z)
        return z

    def backward(self, g, z):
        return (g * z * (1 - z),)

    def jvp(self, t):
        (z,) = self.saved_tensors
        return z * (1 - z) * t


class Relu(Function):
    """z = max(x, 0);  dz/dx = 1 where z > 0, else 0 (so 0 at the kink, as torch)"""

    torch_name = "ReluBackward0"

    def forward(self, x):
        z = np.maximum(x, 0)
        self.save_for_backward(z)
        return z

    def backward(self, g, z):
        return (g * (z > 0),)

    def jvp(self, t):
        (z,) = self.saved_tensors
        return t * (z > 0)


class Abs(Function):
    """z = |x|;  dz/dx = sign x (0 at x = 0, as torch)"""

    torch_name = "AbsBackward0"

    def forward(self, x):
        self.save_for_backward(x)
        return np.abs(x)

    def backward(self, g, x):
        return (g * np.sign(x),)

    def jvp(self, t):
        (x,) = self.saved_tensors
        return np.sign(x) * t


class Clamp(Function):
    """z = min(max(x, lo), hi);  dz/dx = 1 where lo <= x <= hi, else 0"""

    torch_name = "ClampBackward1"

    def forward(self, x):
        self.save_for_backward(x)
        return np.clip(x, self.min, self.max)

    def backward(self, g, x):
        inside = np.ones(np.shape(x), dtype=bool)
        if self.min is not None:
            inside &= np.asarray(x >= self.min)
        if self.max is not None:
            inside &= np.asarray(x <= self.max)
        return (g * inside,)

    def jvp(self, t):
        (x,) = self.saved_tensors
        return self.backward(t, x)[0]  # the Jacobian is diagonal: the same 0/1 mask


class Maximum(Function):
    """z = max(x, y);  the gradient goes to the larger input, split in half on ties (as torch)"""

    torch_name = "MaximumBackward0"

    def forward(self, x, y):
        self.save_for_backward(x, y)
        return np.maximum(x, y)

    def backward(self, g, x, y):
        share = (x > y) + 0.5 * (x == y)
        return g * share, g * (1 - share)

    def jvp(self, tx, ty):
        x, y = self.saved_tensors
        share = (x > y) + 0.5 * (x == y)
        return (0 if tx is None else share * tx) + (0 if ty is None else (1 - share) * ty)


class Minimum(Function):
    """z = min(x, y);  the gradient goes to the smaller input, split in half on ties"""

    torch_name = "MinimumBackward0"

    def forward(self, x, y):
        self.save_for_backward(x, y)
        return np.minimum(x, y)

    def backward(self, g, x, y):
        share = (x < y) + 0.5 * (x == y)
        return g * share, g * (1 - share)

    def jvp(self, tx, ty):
        x, y = self.saved_tensors
        share = (x < y) + 0.5 * (x == y)
        return (0 if tx is None else share * tx) + (0 if ty is None else (1 - share) * ty)


class Where(Function):
    """z = x where cond else y;  dz/dx = cond,  dz/dy = not cond  (cond is a constant)"""

    torch_name = "WhereBackward0"

    def forward(self, cond, x, y):
        self.save_for_backward(cond)
        return np.where(cond, x, y)

    def backward(self, g, cond):
        return None, g * cond, g * ~cond

    def jvp(self, tcond, tx, ty):
        (cond,) = self.saved_tensors
        return np.where(cond, 0.0 if tx is None else tx, 0.0 if ty is None else ty)


class ToCopy(Function):
    """z = x converted to another dtype;  dz/dx = 1 (the engine casts the gradient back)"""

    torch_name = "ToCopyBackward0"

    def forward(self, x):
        return x.astype(self.dtype)

    def backward(self, g):
        return (g,)

    def jvp(self, t):
        return t.astype(self.dtype)


class Clone(Function):
    """z = a copy of x;  dz/dx = 1"""

    torch_name = "CloneBackward0"

    def forward(self, x):
        return x.copy()

    def backward(self, g):
        return (g,)

    def jvp(self, t):
        return t.copy()
