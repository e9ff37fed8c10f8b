# ruff: noqa
# == right: with a helper that un-broadcasts
def _sum_to(g, shape):
    while g.ndim > len(shape):
        g = g.sum(axis=0)
    for i, s in enumerate(shape):
        if s == 1 and g.shape[i] != 1:
            g = g.sum(axis=i, keepdims=True)
    return g

def mul_backward(grad_out, x, y):
    return _sum_to(grad_out * y, x.shape), _sum_to(grad_out * x, y.shape)

# == right: numpy broadcast_to bookkeeping and reshape, list of arrays
import numpy as np

def mul_backward(grad_out, x, y):
    out = []
    for mine, other in ((x, y), (y, x)):
        full = grad_out * other
        padded = (1,) * (full.ndim - mine.ndim) + mine.shape
        axes = tuple(i for i, s in enumerate(padded) if s == 1 and full.shape[i] != 1)
        out.append(full.sum(axis=axes, keepdims=True).reshape(mine.shape))
    return out

# == right: minigrad forward ops only, tensors returned
import numpy as np
import minigrad

def mul_backward(grad_out, x, y):
    g = minigrad.tensor(grad_out, dtype=minigrad.float64)
    gx = (g * minigrad.tensor(y, dtype=minigrad.float64)).numpy()
    gy = (g * minigrad.tensor(x, dtype=minigrad.float64)).numpy()
    def reduce(a, shape):
        lead = a.ndim - len(shape)
        a = a.sum(axis=tuple(range(lead))) if lead else a
        axes = tuple(i for i, s in enumerate(shape) if s == 1)
        return minigrad.tensor(a.sum(axis=axes, keepdims=True).reshape(shape))
    return reduce(gx, x.shape), reduce(gy, y.shape)

# == wrong broadcast_not_reduced: gradients keep the broadcast shape
def mul_backward(grad_out, x, y):
    return grad_out * y, grad_out * x

# == wrong product_rule: each input gets itself
def _sum_to(g, shape):
    while g.ndim > len(shape):
        g = g.sum(axis=0)
    for i, s in enumerate(shape):
        if s == 1 and g.shape[i] != 1:
            g = g.sum(axis=i, keepdims=True)
    return g

def mul_backward(grad_out, x, y):
    return _sum_to(grad_out * x, x.shape), _sum_to(grad_out * y, y.shape)

# == wrong chain_rule: forgets grad_out
import numpy as np

def _sum_to(g, shape):
    while g.ndim > len(shape):
        g = g.sum(axis=0)
    for i, s in enumerate(shape):
        if s == 1 and g.shape[i] != 1:
            g = g.sum(axis=i, keepdims=True)
    return g

def mul_backward(grad_out, x, y):
    ones = np.ones_like(grad_out)
    return _sum_to(ones * y, x.shape), _sum_to(ones * x, y.shape)

# == wrong order: returns (grad_y, grad_x)
def _sum_to(g, shape):
    while g.ndim > len(shape):
        g = g.sum(axis=0)
    for i, s in enumerate(shape):
        if s == 1 and g.shape[i] != 1:
            g = g.sum(axis=i, keepdims=True)
    return g

def mul_backward(grad_out, x, y):
    return _sum_to(grad_out * x, y.shape), _sum_to(grad_out * y, x.shape)

# == wrong not_implemented: stub
def mul_backward(grad_out, x, y):
    raise NotImplementedError()

# == wrong sign: the gradients negated
def _sum_to(g, shape):
    while g.ndim > len(shape):
        g = g.sum(axis=0)
    for i, s in enumerate(shape):
        if s == 1 and g.shape[i] != 1:
            g = g.sum(axis=i, keepdims=True)
    return g

def mul_backward(grad_out, x, y):
    return _sum_to(-grad_out * y, x.shape), _sum_to(-grad_out * x, y.shape)

# == wrong broadcast_not_reduced: sums the leading axes but not the stretched size-1 axes
def _leading(g, shape):
    while g.ndim > len(shape):
        g = g.sum(axis=0)
    return g

def mul_backward(grad_out, x, y):
    return _leading(grad_out * y, x.shape), _leading(grad_out * x, y.shape)

# == wrong wrong_method: torch autograd, switched off for this exercise
import torch

def mul_backward(grad_out, x, y):
    x, y = torch.tensor(x, requires_grad=True), torch.tensor(y, requires_grad=True)
    (x * y).backward(torch.tensor(grad_out))
    return x.grad, y.grad
