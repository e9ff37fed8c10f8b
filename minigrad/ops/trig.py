"""The rest of the trigonometric family: tan, the inverse functions, the hyperbolic functions
and their inverses.  Gradients have the output's shape (the engine un-broadcasts)."""

from __future__ import annotations

import numpy as np

from ..autograd.engine import Function


class Tan(Function):
    """z = tan x;  dz/dx = 1 + z^2"""

    torch_name = "TanBackward0"

    def forward(self, x):
        z = np.tan(x)
        self.save_for_backward(z)
        return z

    def backward(self, grad_out, z):
        return (grad_out * (1 + z * z),)

    def jvp(self, tangents, z):
        (dx,) = tangents
        return (1 + z * z) * dx


class Asin(Function):
    """z = asin x;  dz/dx = 1 / sqrt(1 - x^2)"""

    torch_name = "AsinBackward0"

    def forward(self, x):
        self.save_for_backward(x)
        return np.arcsin(x)  # nan outside [-1, 1], silently, as torch

    def backward(self, grad_out, x):
        return (grad_out / np.sqrt(1 - x * x),)

    def jvp(self, tangents, x):
        (dx,) = tangents
        return dx / np.sqrt(1 - x * x)


class Acos(Function):
    """z = acos x;  dz/dx = -1 / sqrt(1 - x^2)"""

    torch_name = "AcosBackward0"

    def forward(self, x):
        self.save_for_backward(x)
        return np.arccos(x)

    def backward(self, grad_out, x):
        return (-grad_out / np.sqrt(1 - x * x),)

    def jvp(self, tangents, x):
        (dx,) = tangents
        return -dx / np.sqrt(1 - x * x)


class Atan(Function):
    """z = atan x;  dz/dx = 1 / (1 + x^2)"""

    torch_name = "AtanBackward0"

    def forward(self, x):
        self.save_for_backward(x)
        return np.arctan(x)

    def backward(self, grad_out, x):
        return (grad_out / (1 + x * x),)

    def jvp(self, tangents, x):
        (dx,) = tangents
        return dx / (1 + x * x)


class Sinh(Function):
    """z = sinh x;  dz/dx = cosh x"""

    torch_name = "SinhBackward0"

    def forward(self, x):
        self.save_for_backward(x)
        return np.sinh(x)

    def backward(self, grad_out, x):
        return (grad_out * np.cosh(x),)

    def jvp(self, tangents, x):
        (dx,) = tangents
        return np.cosh(x) * dx


class Cosh(Function):
    """z = cosh x;  dz/dx = sinh x"""

    torch_name = "CoshBackward0"

    def forward(self, x):
        self.save_for_backward(x)
        return np.cosh(x)

    def backward(self, grad_out, x):
        return (grad_out * np.sinh(x),)

    def jvp(self, tangents, x):
        (dx,) = tangents
        return np.sinh(x) * dx


class Asinh(Function):
    """z = asinh x;  dz/dx = 1 / sqrt(x^2 + 1)"""

    torch_name = "AsinhBackward0"

    def forward(self, x):
        self.save_for_backward(x)
        return np.arcsinh(x)

    def backward(self, grad_out, x):
        return (grad_out / np.sqrt(x * x + 1),)

    def jvp(self, tangents, x):
        (dx,) = tangents
        return dx / np.sqrt(x * x + 1)


class Acosh(Function):
    """z = acosh x;  dz/dx = 1 / sqrt(x^2 - 1)"""

    torch_name = "AcoshBackward0"

    def forward(self, x):
        self.save_for_backward(x)
        return np.arccosh(x)  # nan below 1, silently, as torch

    def backward(self, grad_out, x):
        return (grad_out / np.sqrt(x * x - 1),)

    def jvp(self, tangents, x):
        (dx,) = tangents
        return dx / np.sqrt(x * x - 1)


class Atanh(Function):
    """z = atanh x;  dz/dx = 1 / (1 - x^2)"""

    torch_name = "AtanhBackward0"

    def forward(self, x):
        self.save_for_backward(x)
        return np.arctanh(x)

    def backward(self, grad_out, x):
        return (grad_out / (1 - x * x),)

    def jvp(self, tangents, x):
        (dx,) = tangents
        return dx / (1 - x * x)
