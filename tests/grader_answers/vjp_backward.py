# ruff: noqa
# == right: backward with gradient=v, as the lecture does with ones
import minigrad

def vjp_backward(A, x, v):
    x = minigrad.tensor(x, dtype=minigrad.float64, requires_grad=True)
    y = (minigrad.tensor(A, dtype=minigrad.float64) @ x).tanh()
    y.backward(gradient=minigrad.tensor(v, dtype=minigrad.float64))
    return x.grad

# == right: a weighted sum made scalar first, list returned
import minigrad

def vjp_backward(A, x, v):
    x = minigrad.tensor(x, dtype=minigrad.float64).requires_grad_(True)
    y = minigrad.tanh(minigrad.mv(minigrad.tensor(A, dtype=minigrad.float64), x))
    (y * minigrad.tensor(v, dtype=minigrad.float64)).sum().backward()
    return x.grad.tolist()

# == right: autograd.grad with grad_outputs, numpy returned
import minigrad

def vjp_backward(A, x, v):
    x = minigrad.tensor(x, dtype=minigrad.float64, requires_grad=True)
    y = (minigrad.tensor(A, dtype=minigrad.float64) @ x).tanh()
    (g,) = minigrad.autograd.grad(y, x, grad_outputs=minigrad.tensor(v, dtype=minigrad.float64))
    return g.numpy()

# == wrong missing_factor: y.sum().backward(), as if v were all ones
import minigrad

def vjp_backward(A, x, v):
    x = minigrad.tensor(x, dtype=minigrad.float64, requires_grad=True)
    y = (minigrad.tensor(A, dtype=minigrad.float64) @ x).tanh()
    y.sum().backward()
    return x.grad

# == wrong chain_rule: by hand, forgets the slope of tanh
import numpy as np

def vjp_backward(A, x, v):
    return A.T @ v

# == wrong chain_rule: by hand, uses tanh instead of its slope
import numpy as np

def vjp_backward(A, x, v):
    return A.T @ (v * np.tanh(A @ x))

# == wrong wrong_shape: returns the gradient with respect to A @ x
import numpy as np

def vjp_backward(A, x, v):
    return v * (1 - np.tanh(A @ x) ** 2)

# == wrong double_counting: backward twice into the same x.grad
import minigrad

def vjp_backward(A, x, v):
    x = minigrad.tensor(x, dtype=minigrad.float64, requires_grad=True)
    y = (minigrad.tensor(A, dtype=minigrad.float64) @ x).tanh()
    v = minigrad.tensor(v, dtype=minigrad.float64)
    y.backward(v, retain_graph=True)
    y.backward(v)
    return x.grad

# == wrong sign: backward with -v
import minigrad

def vjp_backward(A, x, v):
    x = minigrad.tensor(x, dtype=minigrad.float64, requires_grad=True)
    y = (minigrad.tensor(A, dtype=minigrad.float64) @ x).tanh()
    y.backward(-minigrad.tensor(v, dtype=minigrad.float64))
    return x.grad

# == wrong exception: backward on a vector without a gradient
import minigrad

def vjp_backward(A, x, v):
    x = minigrad.tensor(x, dtype=minigrad.float64, requires_grad=True)
    y = (minigrad.tensor(A, dtype=minigrad.float64) @ x).tanh()
    y.backward()
    return x.grad

# == wrong not_implemented: stub
def vjp_backward(A, x, v):
    raise NotImplementedError()
