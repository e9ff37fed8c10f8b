"""Ops that move entries around without changing them: backward moves the gradient back."""

from __future__ import annotations

import numpy as np

from ..function import Function


class View(Function):
    """z = x with another shape;  dL/dx = dL/dz reshaped back"""

    torch_name = "ViewBackward0"

    def forward(self, x):
        self.in_shape = x.shape
        return x.reshape(self.shape)

    def backward(self, g):
        return (g.reshape(self.in_shape),)

    def jvp(self, t):
        return t.reshape(self.shape)


class Transpose(Function):
    """z = x with two dimensions swapped;  dL/dx = dL/dz swapped back"""

    torch_name = "TransposeBackward0"

    def forward(self, x):
        return np.swapaxes(x, self.dim0, self.dim1)

    def backward(self, g):
        return (np.swapaxes(g, self.dim0, self.dim1),)

    def jvp(self, t):
        return np.swapaxes(t, self.dim0, self.dim1)


class Permute(Function):
    """z = x with its dimensions reordered;  dL/dx = dL/dz put back in the old order"""

    torch_name = "PermuteBackward0"

    def forward(self, x):
        return np.transpose(x, self.dims)

    def backward(self, g):
        return (np.transpose(g, tuple(np.argsort(self.dims))),)

    def jvp(self, t):
        return np.transpose(t, self.dims)


class Expand(Function):
    """z = x broadcast to a larger shape;  dL/dx = dL/dz summed (the engine un-broadcasts)"""

    torch_name = "ExpandBackward0"

    def forward(self, x):
        return np.broadcast_to(x, self.shape)

    def backward(self, g):
        return (g,)

    def jvp(self, t):
        return np.broadcast_to(t, self.shape)


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

    def backward(self, g, *saved):
        return (scatter_add(g, self.index, self.in_shape),)

    def jvp(self, t):
        return t[self.index]


class ScatterAdd(Function):
    """z = zeros(shape) with x added at index;  dL/dx = dL/dz[index]  (Index's backward)"""

    torch_name = "IndexPutBackward0"

    def forward(self, x):
        z = np.zeros(self.shape, dtype=x.dtype)
        np.add.at(z, self.index, x)
        return z

    def backward(self, g):
        return (g[self.index],)

    def jvp(self, t):
        return scatter_add(t, self.index, self.shape)


def scatter_add(g, index, shape):
    """``zeros(shape)`` with ``g`` added at ``index``, for arrays and (create_graph) Tensors."""
    if isinstance(g, (np.ndarray, np.generic)):  # numpy scalars come from 0-d arithmetic
        z = np.zeros(shape, dtype=g.dtype)
        np.add.at(z, index, g)
        return z
    return ScatterAdd.apply(g, index=index, shape=shape)


class IndexPut(Function):
    """z = x with z[index] = v;  dL/dx = dL/dz zeroed at index,  dL/dv = dL/dz[index]"""

    torch_name = "CopySlices"
    jvp_uses_input_meta = True

    def forward(self, x, v):
        z = x.copy()
        z[self.index] = v
        return z

    def backward(self, g):
        keep = np.ones(np.shape(g), dtype=bool)
        keep[self.index] = False
        return g * keep, g[self.index]  # the engine sums g[index] down if v was broadcast

    def jvp(self, tx, tv):
        (shape, dtype), _ = self.input_meta
        z = np.zeros(shape, dtype) if tx is None else tx.copy()
        z[self.index] = 0 if tv is None else tv
        return z


class Cat(Function):
    """z = x1, x2, ... joined along dim;  dL/dxi = the slice of dL/dz where xi landed"""

    torch_name = "CatBackward0"
    jvp_uses_input_meta = True

    def forward(self, *xs):
        self.sizes = [x.shape[self.dim] for x in xs]
        return np.concatenate(xs, axis=self.dim)

    def backward(self, g):
        grads, start = [], 0
        lead = (slice(None),) * (self.dim % np.ndim(g))
        for n in self.sizes:
            grads.append(g[lead + (slice(start, start + n),)])
            start += n
        return tuple(grads)

    def jvp(self, *ts):
        metas = zip(ts, self.input_meta, strict=True)
        ts = [np.zeros(*meta) if t is None else t for t, meta in metas]
        return np.concatenate(ts, axis=self.dim)


class Stack(Function):
    """z = x1, x2, ... stacked along a new dim;  dL/dxi = dL/dz at position i of that dim"""

    torch_name = "StackBackward0"
    jvp_uses_input_meta = True

    def forward(self, *xs):
        self.count = len(xs)
        return np.stack(xs, axis=self.dim)

    def backward(self, g):
        lead = (slice(None),) * (self.dim % np.ndim(g))
        return tuple(g[lead + (i,)] for i in range(self.count))

    def jvp(self, *ts):
        metas = zip(ts, self.input_meta, strict=True)
        ts = [np.zeros(*meta) if t is None else t for t, meta in metas]
        return np.stack(ts, axis=self.dim)
