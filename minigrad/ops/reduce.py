"""Reductions.  Backward spreads the gradient of each reduced entry back over its inputs."""

from __future__ import annotations

import numpy as np

from ..autograd.engine import Function


def _axes(dim, ndim):
    """``dim`` (None, int or tuple) as a sorted tuple of non-negative axes."""
    if dim is None:
        return tuple(range(ndim))
    dims = (dim,) if isinstance(dim, int) else tuple(dim)
    span = max(ndim, 1)  # a 0-d tensor accepts dim 0 and -1, as in torch
    for d in dims:
        if not -span <= d < span:
            raise IndexError(f"Dimension out of range (expected to be in range of "
                             f"[{-span}, {span - 1}], but got {d})")
    return tuple(sorted({d % span for d in dims})) if ndim else ()


def _unreduce(grad, shape, axes, keepdim):
    """Put back the reduced axes of ``grad`` (size 1) so that it broadcasts against the input."""
    if keepdim or not shape:
        return grad
    return np.reshape(grad, tuple(1 if i in axes else n for i, n in enumerate(shape)))


class Sum(Function):
    """z = sum of x over dim;  dz/dx = 1 for every summed entry"""

    torch_name = "SumBackward1"

    def forward(self, x):
        self.shape, self.axes = x.shape, _axes(self.dim, x.ndim)
        if self.dim is None:
            self.torch_name = "SumBackward0"
        return np.asarray(x.sum(axis=self.axes, keepdims=self.keepdim))

    def backward(self, grad_out):
        grad_out = _unreduce(grad_out, self.shape, self.axes, self.keepdim)
        return (np.broadcast_to(grad_out, self.shape),)

    def jvp(self, tangents):
        (dx,) = tangents
        return dx.sum(axis=self.axes, keepdims=self.keepdim)


class Mean(Function):
    """z = mean of x over dim;  dz/dx = 1/N for every averaged entry"""

    torch_name = "MeanBackward1"

    def forward(self, x):
        self.shape, self.axes = x.shape, _axes(self.dim, x.ndim)
        self.count = int(np.prod([x.shape[a] for a in self.axes])) if x.ndim else 1
        if self.dim is None:
            self.torch_name = "MeanBackward0"
        return np.asarray(x.mean(axis=self.axes, keepdims=self.keepdim))

    def backward(self, grad_out):
        grad_out = _unreduce(grad_out, self.shape, self.axes, self.keepdim)
        return (np.broadcast_to(grad_out / self.count, self.shape),)

    def jvp(self, tangents):
        (dx,) = tangents
        return dx.mean(axis=self.axes, keepdims=self.keepdim)


class Amax(Function):
    """z = max of all x;  dz/dx = 1/k at each of the k entries equal to the max, else 0"""

    torch_name = "MaxBackward1"
    pick = staticmethod(np.max)

    def forward(self, x):
        z = np.asarray(self.pick(x))
        self.save_for_backward(x, z)
        return z

    def backward(self, grad_out, x, z):
        mask = x == z
        return (grad_out * mask / mask.sum(),)

    def jvp(self, tangents, x, z):
        (dx,) = tangents
        mask = x == z
        return (dx * mask).sum() / mask.sum()


class Amin(Amax):
    """z = min of all x;  dz/dx = 1/k at each of the k entries equal to the min, else 0"""

    torch_name = "MinBackward1"
    pick = staticmethod(np.min)


class TakeAlongDim(Function):
    """z = x at the given index along dim (max/min with dim);  dz/dx = 1 there, else 0"""

    torch_name = "MaxBackward0"

    def forward(self, x, index):
        self.shape = x.shape
        idx = np.expand_dims(index, self.dim) if x.ndim else index
        onehot = np.zeros(x.shape, dtype=bool)
        if x.ndim:
            np.put_along_axis(onehot, idx, True, axis=self.dim)
        else:
            onehot[...] = True
        self.save_for_backward(onehot)
        z = np.take_along_axis(x, idx, axis=self.dim) if x.ndim else x.copy()
        return z if self.keepdim or not x.ndim else np.squeeze(z, self.dim)

    def backward(self, grad_out, onehot):
        axis = self.dim % max(len(self.shape), 1)
        grad_out = _unreduce(grad_out, self.shape, (axis,), self.keepdim)
        return grad_out * onehot, None

    def jvp(self, tangents, onehot):
        dx, _ = tangents
        if not np.ndim(dx):
            return dx
        return (dx * onehot).sum(axis=self.dim, keepdims=self.keepdim)


class Norm(Function):
    """z = sqrt(sum x^2) over dim;  dz/dx = x / z  (0 where z = 0, as torch)"""

    torch_name = "LinalgVectorNormBackward0"

    def forward(self, x):
        self.shape, self.axes = x.shape, _axes(self.dim, x.ndim)
        z = np.asarray(np.sqrt((x * x).sum(axis=self.axes, keepdims=self.keepdim)))
        self.save_for_backward(x, z)
        return z

    def backward(self, grad_out, x, z):
        grad_out = _unreduce(grad_out, self.shape, self.axes, self.keepdim)
        z = _unreduce(z, self.shape, self.axes, self.keepdim)
        return (grad_out * x / np.where(z == 0, 1.0, z),)

    def jvp(self, tangents, x, z):
        (dx,) = tangents
        return (x * dx).sum(axis=self.axes, keepdims=self.keepdim) / np.where(z == 0, 1.0, z)


class Softmax(Function):
    """z = exp(x) / sum exp(x) along dim;  dL/dx = z * (g - sum(g * z))"""

    torch_name = "SoftmaxBackward0"

    def forward(self, x):
        e = np.exp(x - x.max(axis=self.dim, keepdims=True))
        z = e / e.sum(axis=self.dim, keepdims=True)
        self.save_for_backward(z)
        return z

    def backward(self, grad_out, z):
        return (z * (grad_out - (grad_out * z).sum(axis=self.dim, keepdims=True)),)

    def jvp(self, tangents, z):
        (dx,) = tangents
        return z * (dx - (dx * z).sum(axis=self.dim, keepdims=True))


class LogSoftmax(Function):
    """z = x - log sum exp(x) along dim;  dL/dx = g - exp(z) * sum(g)"""

    torch_name = "LogSoftmaxBackward0"

    def forward(self, x):
        shifted = x - x.max(axis=self.dim, keepdims=True)
        z = shifted - np.log(np.exp(shifted).sum(axis=self.dim, keepdims=True))
        self.save_for_backward(z)
        return z

    def backward(self, grad_out, z):
        return (grad_out - np.exp(z) * grad_out.sum(axis=self.dim, keepdims=True),)

    def jvp(self, tangents, z):
        (dx,) = tangents
        return dx - (np.exp(z) * dx).sum(axis=self.dim, keepdims=True)
