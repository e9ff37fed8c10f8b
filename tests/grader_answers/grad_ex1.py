# ruff: noqa
# == right: vectorised formula
import numpy as np

def grad_ex1(x, w, y):
    return 2 * (np.dot(x, w) - y) * x

# == right: loop returning a list
def grad_ex1(x, w, y):
    r = sum(xi * wi for xi, wi in zip(x, w)) - y
    return [2 * r * xi for xi in x]

# == right: minigrad forward ops (no autograd), minigrad tensor returned
import minigrad

def grad_ex1(x, w, y):
    xt = minigrad.tensor(x, dtype=minigrad.float64)
    wt = minigrad.tensor(w, dtype=minigrad.float64)
    return 2 * (minigrad.dot(xt, wt) - y) * xt

# == wrong missing_factor: the 2 of the square is lost
import numpy as np

def grad_ex1(x, w, y):
    return (x @ w - y) * x

# == wrong sign: residual written the other way round
def grad_ex1(x, w, y):
    return 2 * (y - x @ w) * x

# == wrong chain_rule: stops at the outer derivative
def grad_ex1(x, w, y):
    return 2 * (x @ w - y)

# == wrong chain_rule: differentiates with respect to x
def grad_ex1(x, w, y):
    return 2 * (x @ w - y) * w

# == wrong wrong_shape: returns a row vector
def grad_ex1(x, w, y):
    return (2 * (x @ w - y) * x).reshape(1, -1)

# == wrong not_implemented: the stub is left in
def grad_ex1(x, w, y):
    # YOUR CODE HERE
    raise NotImplementedError()

# == wrong wrong_shape: the right numbers as a (1, n) row
import numpy as np

def grad_ex1(x, w, y):
    return (2 * (x @ w - y) * x).reshape(1, -1)

# == wrong wrong_method: torch autograd, switched off for this exercise
import torch

def grad_ex1(x, w, y):
    w = torch.tensor(w, requires_grad=True)
    ((torch.tensor(x) @ w - y) ** 2).backward()
    return w.grad
