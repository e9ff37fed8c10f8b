"""Ops that move entries around without changing them: backward moves the gradient back."""

from __future__ import annotations

import numpy as np

from ..autograd.engine import Function


class View(Function):
    """z = x with another shape;  dL/dx = dL/dz reshaped back"""

    torch_name = "ViewBackward0"

    def forward(self, x):
        self.in_shape = x.shape
        return x.reshape(self.shape)

    def backward(self, grad_out):
        return (grad_out.reshape(self.in_shape),)

    def jvp(self, tangents):
        (dx,) = tangents
        return dx.reshape(self.shape)


class Transpose(Function):
    """z = x with two dimensions swapped;  dL/dx = dL/dz swapped back"""

    torch_name = "TransposeBackward0"

    def forward(self, x):
        return np.swapaxes(x, self.dim0, self.dim1)

    def backward(self, grad_out):
        return (np.swapaxes(grad_out, self.dim0, self.dim1),)

    def jvp(self, tangents):
        (dx,) = tangents
        return np.swapaxes(dx, self.dim0, self.dim1)


class Permute(Function):
    """z = x with its dimensions reordered;  dL/dx = dL/dz put back in the old order"""

    torch_name = "PermuteBackward0"

    def forward(self, x):
        return np.transpose(x, self.dims)

    def backward(self, grad_out):
        return (np.transpose(grad_out, tuple(np.argsort(self.dims))),)

    def jvp(self, tangents):
        (dx,) = tangents
        return np.transpose(dx, self.dims)


class Expand(Function):
    """z = x broadcast to a larger shape;  dL/dx = dL/dz summed (the engine un-broadcasts)"""

    torch_name = "ExpandBackward0"

    def forward(self, x):
        return np.broadcast_to(x, self.shape)

    def backward(self, grad_out):
        return (grad_out,)

    def jvp(self, tangents):
        (dx,) = tangents
        return np.broadcast_to(dx, self.shape)


class Index(Function):
    """z = x[index];  dL/dx = zeros with dL/dz added at the indexed places"""

    torch_name = "SliceBackward0"

    def forward(self, x):
        self.in_shape = x.shape
        if self.advanced:
            self.torch_name = "IndexBackward0"
            self.save_for_backward(self.index)  # torch keeps the index tensors: a saved value
        elif any(isinstance(i, int) for i in (self.index if isinstance(self.index, tuple)
                                              else (self.index,))):
            self.torch_name = "SelectBackward0"
        return x[self.index]

    def backward(self, grad_out, *index):  # (index: saved only when advanced, never used)
        return (scatter_add(grad_out, self.index, self.in_shape),)

    def jvp(self, tangents, *index):
        (dx,) = tangents
        return dx[self.index]


class ScatterAdd(Function):
    """z = zeros(shape) with x added at index;  dL/dx = dL/dz[index]  (Index's backward)"""

    torch_name = "IndexPutBackward0"

    def forward(self, x):
        z = np.zeros(self.shape, dtype=x.dtype)
        np.add.at(z, self.index, x)
        return z

    def backward(self, grad_out):
        return (grad_out[self.index],)

    def jvp(self, tangents):
        (dx,) = tangents
        return scatter_add(dx, self.index, self.shape)


def scatter_add(values, index, shape):
    """``zeros(shape)`` with ``values`` added at ``index``: arrays, or Tensors (create_graph)."""
    if isinstance(values, (np.ndarray, np.generic)):  # numpy scalars come from 0-d arithmetic
        z = np.zeros(shape, dtype=values.dtype)
        np.add.at(z, index, values)
        return z
    return ScatterAdd.apply(values, index=index, shape=shape)


class IndexPut(Function):
    """z = x with z[index] = v;  dL/dx = dL/dz zeroed at index,  dL/dv = dL/dz[index]"""

    torch_name = "CopySlices"
    jvp_uses_input_meta = True

    def forward(self, x, v):
        z = x.copy()
        z[self.index] = v
        return z

    def backward(self, grad_out):
        keep = np.ones(np.shape(grad_out), dtype=bool)
        keep[self.index] = False
        return grad_out * keep, grad_out[self.index]  # (un-broadcast to v's shape by the engine)

    def jvp(self, tangents):
        dx, dv = tangents
        (shape, dtype), _ = self.input_meta
        z = np.zeros(shape, dtype) if dx is None else dx.copy()
        z[self.index] = 0 if dv is None else dv
        return z


class Cat(Function):
    """z = x1, x2, ... joined along dim;  dL/dxi = the slice of dL/dz where xi landed"""

    torch_name = "CatBackward0"
    jvp_uses_input_meta = True

    def forward(self, *xs):
        self.sizes = [x.shape[self.dim] for x in xs]
        return np.concatenate(xs, axis=self.dim)

    def backward(self, grad_out):
        grads, start = [], 0
        lead = (slice(None),) * (self.dim % np.ndim(grad_out))
        for n in self.sizes:
            grads.append(grad_out[lead + (slice(start, start + n),)])
            start += n
        return tuple(grads)

    def jvp(self, tangents):
        metas = zip(tangents, self.input_meta, strict=True)
        filled = [np.zeros(*meta) if dx is None else dx for dx, meta in metas]
        return np.concatenate(filled, axis=self.dim)


class Stack(Function):
    """z = x1, x2, ... stacked along a new dim;  dL/dxi = dL/dz at position i of that dim"""

    torch_name = "StackBackward0"
    jvp_uses_input_meta = True

    def forward(self, *xs):
        self.count = len(xs)
        return np.stack(xs, axis=self.dim)

    def backward(self, grad_out):
        lead = (slice(None),) * (self.dim % np.ndim(grad_out))
        return tuple(grad_out[lead + (i,)] for i in range(self.count))

    def jvp(self, tangents):
        metas = zip(tangents, self.input_meta, strict=True)
        filled = [np.zeros(*meta) if dx is None else dx for dx, meta in metas]
        return np.stack(filled, axis=self.dim)
