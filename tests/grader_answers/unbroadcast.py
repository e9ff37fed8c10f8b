# ruff: noqa
# == right: sum leading axes, then size-1 axes with keepdims
def unbroadcast(grad, shape):
    while grad.ndim > len(shape):
        grad = grad.sum(axis=0)
    for axis, size in enumerate(shape):
        if size == 1 and grad.shape[axis] != 1:
            grad = grad.sum(axis=axis, keepdims=True)
    return grad

# == right: one sum over all broadcast axes, then reshape
import numpy as np

def unbroadcast(grad, shape):
    padded = (1,) * (grad.ndim - len(shape)) + tuple(shape)
    axes = tuple(i for i, (g, s) in enumerate(zip(grad.shape, padded)) if s == 1 and g != 1)
    return np.sum(grad, axis=axes, keepdims=True).reshape(shape)

# == right: multiply by ones and contract with einsum-free loops, returned as list
import numpy as np

def unbroadcast(grad, shape):
    out = np.zeros(shape)
    lead = grad.ndim - len(shape)
    for index in np.ndindex(*grad.shape):
        target = tuple(0 if s == 1 else i for i, s in zip(index[lead:], shape))
        out[target] += grad[index]
    return out.tolist() if out.ndim else float(out)

# == wrong broadcast_not_reduced: returns grad unchanged
def unbroadcast(grad, shape):
    return grad

# == wrong broadcast_not_reduced: sums the leading axes only
def unbroadcast(grad, shape):
    while grad.ndim > len(shape):
        grad = grad.sum(axis=0)
    return grad

# == wrong wrong_shape: drops the size-1 axes
def unbroadcast(grad, shape):
    while grad.ndim > len(shape):
        grad = grad.sum(axis=0)
    axes = tuple(i for i, s in enumerate(shape) if s == 1 and grad.shape[i] != 1)
    return grad.sum(axis=axes)

# == wrong missing_factor: averages instead of summing
import numpy as np

def unbroadcast(grad, shape):
    padded = (1,) * (grad.ndim - len(shape)) + tuple(shape)
    axes = tuple(i for i, (g, s) in enumerate(zip(grad.shape, padded)) if s == 1 and g != 1)
    return np.mean(grad, axis=axes, keepdims=True).reshape(shape)

# == wrong exception: reshapes instead of summing
def unbroadcast(grad, shape):
    return grad.reshape(shape)

# == wrong mutates_input: sums into grad in place when no axis is reduced
import numpy as np

def unbroadcast(grad, shape):
    grad *= 1.0
    grad[...] = grad  # harmless, but the next line writes into the caller's array
    grad += 0.5
    grad -= 0.5
    while grad.ndim > len(shape):
        grad = grad.sum(axis=0)
    for axis, size in enumerate(shape):
        if size == 1 and grad.shape[axis] != 1:
            grad = grad.sum(axis=axis, keepdims=True)
    return grad

# == wrong wrong_dtype: sums into an int buffer
import numpy as np

def unbroadcast(grad, shape):
    out = np.zeros(shape, dtype=int)
    while grad.ndim > len(shape):
        grad = grad.sum(axis=0)
    for axis, size in enumerate(shape):
        if size == 1 and grad.shape[axis] != 1:
            grad = grad.sum(axis=axis, keepdims=True)
    out[...] = grad
    return out

# == wrong wrong_method: minigrad's own unbroadcast, switched off for this exercise
import minigrad

def unbroadcast(grad, shape):
    return minigrad.autograd.unbroadcast(grad, shape)
