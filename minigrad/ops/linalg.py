"""Products of vectors and matrices.  Shapes of the gradients follow lesson 01's table."""

from __future__ import annotations

import numpy as np

from ..function import Function


def _mT(a):
    return np.swapaxes(a, -1, -2)


class Dot(Function):
    """z = <x, y>;  dz/dx = y,  dz/dy = x"""

    torch_name = "DotBackward0"

    def forward(self, x, y):
        self.save_for_backward(x, y)
        return np.asarray(np.dot(x, y))

    def backward(self, g, x, y):
        return g * y, g * x

    def jvp(self, tx, ty):
        x, y = self.saved_tensors
        return (0 if tx is None else np.dot(tx, y)) + (0 if ty is None else np.dot(x, ty))


class Mv(Function):
    """z = A x;  dL/dA = g x^T (outer product),  dL/dx = A^T g"""

    torch_name = "MvBackward0"

    def forward(self, a, x):
        self.save_for_backward(a, x)
        return a @ x

    def backward(self, g, a, x):
        ga = np.reshape(g, (-1, 1)) * np.reshape(x, (1, -1)) if self.needs_input_grad[0] else None
        return ga, (_mT(a) @ g if self.needs_input_grad[1] else None)

    def jvp(self, ta, tx):
        a, x = self.saved_tensors
        return (0 if ta is None else ta @ x) + (0 if tx is None else a @ tx)


class Mm(Function):
    """Z = A B;  dL/dA = G B^T,  dL/dB = A^T G  (batched and broadcast for more dims)"""

    torch_name = "MmBackward0"

    def forward(self, a, b):
        self.save_for_backward(a, b)
        if a.ndim > 2 or b.ndim > 2:
            self.torch_name = "UnsafeViewBackward0"
        return a @ b

    def backward(self, g, a, b):
        ga = g @ _mT(b) if self.needs_input_grad[0] else None
        gb = _mT(a) @ g if self.needs_input_grad[1] else None
        return ga, gb

    def jvp(self, ta, tb):
        a, b = self.saved_tensors
        return (0 if ta is None else ta @ b) + (0 if tb is None else a @ tb)


class Linear(Function):
    """Y = X W^T + b (nn.Linear, 2-D X);  dL/dX = G W,  dL/dW = G^T X,  dL/db = G summed over rows

    One op instead of transpose, matmul and add: dL/dW comes out in W's own layout, with no
    transposed copy."""

    torch_name = "AddmmBackward0"

    def forward(self, x, w, b):
        needs = self.needs_input_grad
        self.save_for_backward(x if needs[1] else None, w if needs[0] else None)
        return x @ w.T + b

    def backward(self, g, x, w):
        dx, dw, _ = self.needs_input_grad
        return (g @ w if dx else None), (_mT(g) @ x if dw else None), g  # the engine sums g for b

    def jvp(self, tx, tw, tb):
        x, w = self.saved_tensors
        t = 0 if tx is None else tx @ w.T
        t = t if tw is None else t + x @ tw.T
        return t if tb is None else t + tb
