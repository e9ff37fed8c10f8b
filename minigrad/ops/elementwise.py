"""Elementwise functions (exp, sin, relu, where, ...); arithmetic is in ``arithmetic.py``.
Gradients here have the output's shape; the engine un-broadcasts them.  ``elementwise = True``
marks an op of one input whose output keeps that input's shape and dtype, so that the engine
need not check it (``Function.elementwise``)."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..autograd.engine import Function


class Exp(Function):
    """z = e^x;  dz/dx = z"""

    torch_name = "ExpBackward0"
    elementwise = True

    def forward(self, x):
        z = np.exp(x)
        self.save_for_backward(z)
        return z

    def backward(self, grad_out, z):
        return (grad_out * z,)

    def jvp(self, tangents, z):
        (dx,) = tangents
        return z * dx


class Log(Function):
    """z = ln x;  dz/dx = 1/x"""

    torch_name = "LogBackward0"
    elementwise = True

    def forward(self, x):
        self.save_for_backward(x)
        return np.log(x)  # log 0 = -inf, log of a negative = nan, silently, as torch

    def backward(self, grad_out, x):
        return (grad_out / x,)

    def jvp(self, tangents, x):
        (dx,) = tangents
        return dx / x


class Sqrt(Function):
    """z = sqrt(x);  dz/dx = 1 / (2 z)"""

    torch_name = "SqrtBackward0"
    elementwise = True

    def forward(self, x):
        z = np.sqrt(x)  # sqrt of a negative is nan, silently, as torch
        self.save_for_backward(z)
        return z

    def backward(self, grad_out, z):
        return (grad_out / (2 * z),)

    def jvp(self, tangents, z):
        (dx,) = tangents
        return dx / (2 * z)


class Sin(Function):
    """z = sin x;  dz/dx = cos x"""

    torch_name = "SinBackward0"
    elementwise = True

    def forward(self, x):
        self.save_for_backward(x)
        return np.sin(x)

    def backward(self, grad_out, x):
        return (grad_out * np.cos(x),)

    def jvp(self, tangents, x):
        (dx,) = tangents
        return np.cos(x) * dx


class Cos(Function):
    """z = cos x;  dz/dx = -sin x"""

    torch_name = "CosBackward0"

    def forward(self, x):
        self.save_for_backward(x)
        return np.cos(x)

    def backward(self, grad_out, x):
        return (-grad_out * np.sin(x),)

    def jvp(self, tangents, x):
        (dx,) = tangents
        return -np.sin(x) * dx


class Tanh(Function):
    """z = tanh x;  dz/dx = 1 - z^2"""

    torch_name = "TanhBackward0"
    elementwise = True

    def forward(self, x):
        z = np.tanh(x)
        self.save_for_backward(z)
        return z

    def backward(self, grad_out, z):
        return (grad_out * (1 - z * z),)

    def jvp(self, tangents, z):
        (dx,) = tangents
        return (1 - z * z) * dx


class Sigmoid(Function):
    """z = 1 / (1 + e^-x);  dz/dx = z (1 - z)"""

    torch_name = "SigmoidBackward0"
    elementwise = True

    def forward(self, x):
        z = np.exp(-np.logaddexp(0, -x)).astype(x.dtype, copy=False)
        self.save_for_backward(z)
        return z

    def backward(self, grad_out, z):
        return (grad_out * z * (1 - z),)

    def jvp(self, tangents, z):
        (dx,) = tangents
        return z * (1 - z) * dx


class Relu(Function):
    """z = max(x, 0);  dz/dx = 1 where z > 0, else 0 (so 0 at the kink, as torch)"""

    torch_name = "ReluBackward0"
    elementwise = True

    def forward(self, x):
        z = np.maximum(x, 0)
        self.save_for_backward(z)
        return z

    def backward(self, grad_out, z):
        return (np.where(z > 0, grad_out, 0),)  # (not a product: inf * 0 would be nan)

    def jvp(self, tangents, z):
        (dx,) = tangents
        return np.where(z > 0, dx, 0)


class Abs(Function):
    """z = |x|;  dz/dx = sign x (0 at x = 0, as torch)"""

    torch_name = "AbsBackward0"
    elementwise = True

    def forward(self, x):
        self.save_for_backward(x)
        return np.abs(x)

    def backward(self, grad_out, x):
        return (grad_out * np.sign(x),)

    def jvp(self, tangents, x):
        (dx,) = tangents
        return np.sign(x) * dx


class _Step(Function):
    """A step function (floor, ceil, round, trunc): flat between its jumps, so dz/dx = 0, as
    torch defines it (an integer input is returned as it is)."""

    elementwise = True
    ufunc: Any

    def forward(self, x):
        return type(self).ufunc(x) if x.dtype.kind == "f" else x.copy()

    def backward(self, grad_out):
        return (np.where(False, grad_out, 0),)  # zeros shaped as the gradient (a Tensor too)

    def jvp(self, tangents):
        return np.where(False, tangents[0], 0)


class Floor(_Step):
    """z = floor x;  dz/dx = 0"""

    torch_name = "FloorBackward0"
    ufunc = np.floor


class Ceil(_Step):
    """z = ceil x;  dz/dx = 0"""

    torch_name = "CeilBackward0"
    ufunc = np.ceil


class Round(_Step):
    """z = round x (halves to even, as torch);  dz/dx = 0"""

    torch_name = "RoundBackward0"
    ufunc = np.round


class Trunc(_Step):
    """z = trunc x (toward zero);  dz/dx = 0"""

    torch_name = "TruncBackward0"
    ufunc = np.trunc


class Clamp(Function):
    """z = min(max(x, lo), hi);  dz/dx = 1 where lo <= x <= hi, else 0"""

    torch_name = "ClampBackward1"

    def forward(self, x):
        self.save_for_backward(x)
        return np.clip(x, self.min, self.max)

    def backward(self, grad_out, x):
        inside = np.ones(np.shape(x), dtype=bool)
        if self.min is not None:
            inside &= np.asarray(x >= self.min)
        if self.max is not None:
            inside &= np.asarray(x <= self.max)
        return (np.where(inside, grad_out, 0),)  # (selected, not multiplied: inf * 0 is nan)

    def jvp(self, tangents, x):
        (dx,) = tangents
        return self.backward(dx, x)[0]  # the Jacobian is diagonal: the same 0/1 mask


class Maximum(Function):
    """z = max(x, y);  the gradient goes to the larger input, split in half on ties (as torch)"""

    torch_name = "MaximumBackward0"

    def forward(self, x, y):
        self.save_for_backward(x, y)
        return np.maximum(x, y)

    def backward(self, grad_out, x, y):
        half = np.where(x == y, grad_out / 2, grad_out)  # selected, as torch: inf * 0 is nan
        return np.where(x < y, 0, half), np.where(x > y, 0, half)

    def jvp(self, tangents, x, y):
        dx, dy = tangents
        share = (x > y) + 0.5 * (x == y)
        return (0 if dx is None else share * dx) + (0 if dy is None else (1 - share) * dy)


class Minimum(Function):
    """z = min(x, y);  the gradient goes to the smaller input, split in half on ties"""

    torch_name = "MinimumBackward0"

    def forward(self, x, y):
        self.save_for_backward(x, y)
        return np.minimum(x, y)

    def backward(self, grad_out, x, y):
        half = np.where(x == y, grad_out / 2, grad_out)
        return np.where(x > y, 0, half), np.where(x < y, 0, half)

    def jvp(self, tangents, x, y):
        dx, dy = tangents
        share = (x < y) + 0.5 * (x == y)
        return (0 if dx is None else share * dx) + (0 if dy is None else (1 - share) * dy)


class Where(Function):
    """z = x where cond else y;  dz/dx = cond,  dz/dy = not cond  (cond is a constant)"""

    torch_name = "WhereBackward0"

    def forward(self, cond, x, y):
        self.save_for_backward(cond)
        return np.where(cond, x, y)

    def backward(self, grad_out, cond):
        return None, np.where(cond, grad_out, 0), np.where(cond, 0, grad_out)

    def jvp(self, tangents, cond):
        _, dx, dy = tangents
        return np.where(cond, 0.0 if dx is None else dx, 0.0 if dy is None else dy)


class ToCopy(Function):
    """z = x converted to another dtype;  dz/dx = 1 (the engine casts the gradient back)"""

    torch_name = "ToCopyBackward0"

    def forward(self, x):
        return x.astype(self.dtype)

    def backward(self, grad_out):
        return (grad_out,)

    def jvp(self, tangents):
        (dx,) = tangents
        return dx.astype(self.dtype)


class Clone(Function):
    """z = a copy of x;  dz/dx = 1"""

    torch_name = "CloneBackward0"

    def forward(self, x):
        return x.copy()

    def backward(self, grad_out):
        return (grad_out,)

    def jvp(self, tangents):
        (dx,) = tangents
        return dx.copy()
