"""Products of vectors and matrices.  Shapes of the gradients follow lesson 01's table."""

from __future__ import annotations

import numpy as np

from ..autograd.engine import Function


def _mT(a):
    return np.swapaxes(a, -1, -2)


class Dot(Function):
    """z = <x, y>;  dz/dx = y,  dz/dy = x"""

    torch_name = "DotBackward0"

    def forward(self, x, y):
        self.save_for_backward(x, y)
        return np.asarray(np.dot(x, y))

    def backward(self, grad_out, x, y):
        return grad_out * y, grad_out * x

    def jvp(self, tangents, x, y):
        dx, dy = tangents
        return (0 if dx is None else np.dot(dx, y)) + (0 if dy is None else np.dot(x, dy))


class Mv(Function):
    """z = A x;  dL/dA = g x^T (outer product),  dL/dx = A^T g"""

    torch_name = "MvBackward0"

    def forward(self, a, x):
        self.save_for_backward(a, x)
        return a @ x

    def backward(self, grad_out, a, x):
        need_a, need_x = self.needs_input_grad
        grad_a = np.reshape(grad_out, (-1, 1)) * np.reshape(x, (1, -1)) if need_a else None
        return grad_a, (_mT(a) @ grad_out if need_x else None)

    def jvp(self, tangents, a, x):
        da, dx = tangents
        return (0 if da is None else da @ x) + (0 if dx is None else a @ dx)


class Mm(Function):
    """Z = A B;  dL/dA = G B^T,  dL/dB = A^T G  (batched and broadcast for more dims)"""

    torch_name = "MmBackward0"

    def forward(self, a, b):
        self.save_for_backward(a, b)
        if a.ndim > 2 or b.ndim > 2:
            self.torch_name = "UnsafeViewBackward0"
        return a @ b

    def backward(self, grad_out, a, b):
        grad_a = grad_out @ _mT(b) if self.needs_input_grad[0] else None
        grad_b = _mT(a) @ grad_out if self.needs_input_grad[1] else None
        return grad_a, grad_b

    def jvp(self, tangents, a, b):
        da, db = tangents
        return (0 if da is None else da @ b) + (0 if db is None else a @ db)


class Linear(Function):
    """Y = X W^T + b (nn.Linear, 2-D X);  dL/dX = G W,  dL/dW = G^T X,  dL/db = G summed over rows

    One op instead of transpose, matmul and add: dL/dW comes out in W's own layout, with no
    transposed copy."""

    torch_name = "AddmmBackward0"

    def forward(self, x, w, b):
        needs = self.needs_input_grad
        self.save_for_backward(x if needs[1] else None, w if needs[0] else None)
        return x @ w.T + b

    def backward(self, grad_out, x, w):
        need_x, need_w, _ = self.needs_input_grad
        grad_x = grad_out @ w if need_x else None
        grad_w = _mT(grad_out) @ x if need_w else None
        return grad_x, grad_w, grad_out  # the engine sums grad_out over the rows for b

    def jvp(self, tangents, x, w):
        dx, dw, db = tangents
        dz = 0 if dx is None else dx @ w.T
        dz = dz if dw is None else dz + x @ dw.T
        return dz if db is None else dz + db
