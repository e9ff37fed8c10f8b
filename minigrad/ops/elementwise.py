"""Elementwise ops.  Gradients here have the output's shape; the engine un-broadcasts them."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..function import Function


class Add(Function):
    """z = x + y;  dz/dx = 1,  dz/dy = 1"""

    torch_name = "AddBackward0"

    def forward(self, x, y):
        return x + y

    def backward(self, g):
        return g, g

    def jvp(self, tx, ty):
        return ty if tx is None else tx if ty is None else tx + ty


class Sub(Function):
    """z = x - y;  dz/dx = 1,  dz/dy = -1"""

    torch_name = "SubBackward0"

    def forward(self, x, y):
        return x - y

    def backward(self, g):
        return g, -g

    def jvp(self, tx, ty):
        return -ty if tx is None else tx if ty is None else tx - ty


class Mul(Function):
    """z = x * y;  dz/dx = y,  dz/dy = x"""

    torch_name = "MulBackward0"

    def forward(self, x, y):
        needs = self.needs_input_grad
        self.save_for_backward(x if needs[1] else None, y if needs[0] else None)  # only what's used
        return x * y

    def backward(self, g, x, y):
        dx, dy = self.needs_input_grad
        return (g * y if dx else None), (g * x if dy else None)

    def jvp(self, tx, ty):
        x, y = self.saved_tensors
        return (0 if tx is None else tx * y) + (0 if ty is None else x * ty)


_NUMBER_SAVED = (None,)


class MulNumber(Function):
    """z = x * c for a Python number c (``0.1 * y``);  dz/dx = c

    ``Mul`` would do, but a number gets a node of its own, as torch's "wrapped number": the
    node keeps the number itself, not a 0-d array and a tuple to save it in, so a long chain
    of ``y * 0.5`` costs less time and memory.  Torch shows the same ``MulBackward0``.
    """

    __slots__ = ("other",)
    torch_name = "MulBackward0"
    other: float

    @property
    def next_functions(self) -> tuple[tuple[Any, int], ...]:
        return ((self._next[0], 0), (None, 0))  # torch lists the number as an input

    def forward(self, x):
        # The number counts as saved, as in torch: a backward pass frees it (a second one
        # raises).  The node holds it in .other; this shared tuple only marks it saved.
        self.saved_tensors = _NUMBER_SAVED
        return x * self.other

    def backward(self, g, _):
        return (g * self.other,)

    def jvp(self, t):
        return t * self.other


class Div(Function):
    """z = x / y;  dz/dx = 1/y,  dz/dy = -x/y^2"""

    torch_name = "DivBackward0"

    def forward(self, x, y):
        self.save_for_backward(x if self.needs_input_grad[1] else None, y)
        with np.errstate(all="ignore"):  # 1/0 is inf and 0/0 nan, silently, as in torch
            return x / y

    def backward(self, g, x, y):
        gx = g / y
        return gx, (-gx * x / y if self.needs_input_grad[1] else None)

    def jvp(self, tx, ty):
        x, y = self.saved_tensors
        return (0 if tx is None else tx / y) - (0 if ty is None else ty * x / (y * y))


class Neg(Function):
    """z = -x;  dz/dx = -1"""

    torch_name = "NegBackward0"

    def forward(self, x):
        return -x

    def backward(self, g):
        return (-g,)

    def jvp(self, t):
        return -t


class Pow(Function):
    """z = x^c for a number c;  dz/dx = c x^(c-1)"""

    torch_name = "PowBackward0"

    def forward(self, x):
        self.save_for_backward(x)
        with np.errstate(all="ignore"):
            return x**self.exponent

    def backward(self, g, x):
        c = self.exponent
        if c == 0:
            return (g * 0.0,)
        return (g * c * x ** (c - 1),)

    def jvp(self, t):
        (x,) = self.saved_tensors
        c = self.exponent
        return t * 0.0 if c == 0 else c * x ** (c - 1) * t


class PowTensor(Function):
    """z = x^y;  dz/dx = y x^(y-1),  dz/dy = x^y ln x  (0 where x = 0 and y >= 0, as torch)"""

    torch_name = "PowBackward1"

    def forward(self, x, y):
        with np.errstate(all="ignore"):
            z = x**y
        self.save_for_backward(x, y, z)
        return z

    def backward(self, g, x, y, z):
        safe_log = np.log(np.where((x == 0) & (y >= 0), 1.0, x))
        return g * y * x ** (y - 1), g * z * safe_log

    def jvp(self, tx, ty):
        x, y, z = self.saved_tensors
        dx = 0 if tx is None else np.where(y == 0, 0.0, y * x ** (y - 1) * tx)
        return dx + (0 if ty is None else z * np.log(np.where((x == 0) & (y >= 0), 1.0, x)) * ty)


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
        with np.errstate(all="ignore"):  # log 0 = -inf, log of a negative = nan, as torch
            return np.log(x)

    def backward(self, g, x):
        return (g / x,)

    def jvp(self, t):
        (x,) = self.saved_tensors
        return t / x


class Sqrt(Function):
    """z = sqrt(x);  dz/dx = 1 / (2 z)"""

    torch_name = "SqrtBackward0"

    def forward(self, x):
        with np.errstate(all="ignore"):  # sqrt of a negative is nan, silently, as torch
            z = np.sqrt(x)
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
