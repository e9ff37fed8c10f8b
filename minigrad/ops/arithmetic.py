"""Arithmetic ops: + - * / and powers.  Gradients here have the output's shape; the engine
un-broadcasts them to each input's shape (``elementwise = True``: see ``elementwise.py``)."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..autograd.engine import SAVED_PARAMETER, Function


class Add(Function):
    """z = x + y;  dz/dx = 1,  dz/dy = 1"""

    torch_name = "AddBackward0"

    def forward(self, x, y):
        return x + y

    def backward(self, grad_out):
        return grad_out, grad_out

    def jvp(self, tangents):
        dx, dy = tangents
        return dy if dx is None else dx if dy is None else dx + dy


class Sub(Function):
    """z = x - y;  dz/dx = 1,  dz/dy = -1"""

    torch_name = "SubBackward0"

    def forward(self, x, y):
        return x - y

    def backward(self, grad_out):
        return grad_out, -grad_out

    def jvp(self, tangents):
        dx, dy = tangents
        return -dy if dx is None else dx if dy is None else dx - dy


class Mul(Function):
    """z = x * y;  dz/dx = y,  dz/dy = x  (x * a Python number is ``MulNumber``, below)"""

    torch_name = "MulBackward0"

    def forward(self, x, y):
        needs = self.needs_input_grad
        self.save_for_backward(x if needs[1] else None, y if needs[0] else None)  # only what's used
        return x * y

    def backward(self, grad_out, x, y):
        need_x, need_y = self.needs_input_grad
        return (grad_out * y if need_x else None), (grad_out * x if need_y else None)

    def jvp(self, tangents, x, y):
        dx, dy = tangents
        return (0 if dx is None else dx * y) + (0 if dy is None else x * dy)


class MulNumber(Function):
    """z = x * c for a Python number c (``0.1 * y``);  dz/dx = c

    ``Mul`` would do, but a number gets a node of its own, as torch's "wrapped number": the
    node keeps the number itself, not a 0-d array and a tuple to save it in.  A speed trick
    that pays: a scalar chain of ``y * 0.999`` takes about a quarter less time per step
    (forward and backward), and the deep chain of bench/chain.py holds 112 bytes less per step
    (11% of its graph on a scalar).  Torch shows the same ``MulBackward0``.
    """

    __slots__ = ("other",)
    torch_name = "MulBackward0"
    elementwise = True
    other: float

    @property
    def next_functions(self) -> tuple[tuple[Any, int], ...]:
        return ((self._next[0], 0), (None, 0))  # torch lists the number as an input

    def forward(self, x):
        # The number counts as saved, as in torch: a backward pass frees it (a second one
        # raises).  The node holds it in .other; this shared tuple only marks it saved.
        self.saved_tensors = SAVED_PARAMETER
        return x * self.other

    def backward(self, grad_out, _):
        return (grad_out * self.other,)

    def jvp(self, tangents, _):
        (dx,) = tangents
        return dx * self.other


class Div(Function):
    """z = x / y;  dz/dx = 1/y,  dz/dy = -x/y^2"""

    torch_name = "DivBackward0"

    def forward(self, x, y):
        self.save_for_backward(x if self.needs_input_grad[1] else None, y)
        return x / y  # 1/0 is inf and 0/0 nan, silently, as in torch (see ops/__init__.py)

    def backward(self, grad_out, x, y):
        grad_x = grad_out / y
        return grad_x, (-grad_x * x / y if self.needs_input_grad[1] else None)

    def jvp(self, tangents, x, y):
        dx, dy = tangents
        return (0 if dx is None else dx / y) - (0 if dy is None else dy * x / (y * y))


class Remainder(Function):
    """z = x mod y, with y's sign (Python's %);  dz/dx = 1,  dz/dy = -floor(x / y)"""

    torch_name = "RemainderBackward1"

    def forward(self, x, y):
        self.save_for_backward(x if self.needs_input_grad[1] else None, y)
        return np.remainder(x, y)  # x % 0 is nan, silently, as in torch (see ops/__init__.py)

    def backward(self, grad_out, x, y):
        return grad_out, (-grad_out * np.floor_divide(x, y) if self.needs_input_grad[1]
                          else None)

    def jvp(self, tangents, x, y):
        dx, dy = tangents
        return (0 if dx is None else dx) - (0 if dy is None else dy * np.floor_divide(x, y))


class Neg(Function):
    """z = -x;  dz/dx = -1"""

    torch_name = "NegBackward0"
    elementwise = True

    def forward(self, x):
        return -x

    def backward(self, grad_out):
        return (-grad_out,)

    def jvp(self, tangents):
        (dx,) = tangents
        return -dx


class Pow(Function):
    """z = x^c for a number c;  dz/dx = c x^(c-1)"""

    torch_name = "PowBackward0"

    def forward(self, x):
        self.save_for_backward(x)
        return x**self.exponent

    def backward(self, grad_out, x):
        c = self.exponent
        if c == 0:  # zeros, as torch, even where grad_out is inf (inf * 0 would be nan)
            return (np.where(np.zeros(np.shape(grad_out), dtype=bool), grad_out, 0),)
        return (grad_out * c * x ** (c - 1),)

    def jvp(self, tangents, x):
        (dx,) = tangents
        c = self.exponent
        return dx * 0.0 if c == 0 else c * x ** (c - 1) * dx


class PowTensor(Function):
    """z = x^y;  dz/dx = y x^(y-1),  dz/dy = x^y ln x  (0 where x = 0 and y >= 0, as torch)"""

    torch_name = "PowBackward1"

    def forward(self, x, y):
        z = x**y
        self.save_for_backward(x, y, z)
        return z

    def backward(self, grad_out, x, y, z):
        safe_log = np.log(np.where((x == 0) & (y >= 0), 1.0, x))
        along_x = np.where(y == 0, 0, grad_out * y * x ** (y - 1))  # 0 where y = 0, as torch
        return along_x, grad_out * z * safe_log

    def jvp(self, tangents, x, y, z):
        dx, dy = tangents
        safe_log = np.log(np.where((x == 0) & (y >= 0), 1.0, x))
        along_x = 0 if dx is None else np.where(y == 0, 0.0, y * x ** (y - 1) * dx)
        return along_x + (0 if dy is None else z * safe_log * dy)
