# ruff: noqa
# == right: define the loss, then ask for the gradient graph
from minigrad import symbolic

def explicit_ex2(m, n):
    X = symbolic.placeholder("X", (m, n))
    w = symbolic.placeholder("w", (n,))
    y = symbolic.placeholder("y", (m,))
    z = symbolic.define(lambda X, w, y: ((X @ w - y) ** 2).sum(), X, w, y)
    (dz_dw,) = symbolic.gradients(z, [w])
    return z, dz_dw

# == right: a named function with dot(r, r), the gradient graph written by hand
import minigrad
from minigrad import symbolic

def example2_loss(X, w, y):
    r = minigrad.mv(X, w) - y
    return minigrad.dot(r, r)

def explicit_ex2(m, n):
    X, w, y = (symbolic.placeholder(k, s) for k, s in (("X", (m, n)), ("w", (n,)), ("y", (m,))))
    z = symbolic.define(example2_loss, X, w, y)
    grad = symbolic.define(lambda X, w, y: 2 * X.T @ (X @ w - y), X, w, y)
    return z, grad

# == right: operators on the Symbols themselves, norm squared, a list returned
from minigrad import symbolic

def explicit_ex2(m, n):
    X = symbolic.placeholder("X", (m, n))
    w = symbolic.placeholder("w", (n,))
    y = symbolic.placeholder("y", (m,))
    z = (X @ w - y).norm() ** 2
    return [z, symbolic.gradients(z, [w])[0]]

# == wrong wrong_shape: the squares are not summed
from minigrad import symbolic

def explicit_ex2(m, n):
    X = symbolic.placeholder("X", (m, n))
    w = symbolic.placeholder("w", (n,))
    y = symbolic.placeholder("y", (m,))
    z = symbolic.define(lambda X, w, y: (X @ w - y) ** 2, X, w, y)
    return z, symbolic.gradients(z, [w])[0]

# == wrong chain_rule: the norm, not its square
from minigrad import symbolic

def explicit_ex2(m, n):
    X = symbolic.placeholder("X", (m, n))
    w = symbolic.placeholder("w", (n,))
    y = symbolic.placeholder("y", (m,))
    z = symbolic.define(lambda X, w, y: (X @ w - y).norm(), X, w, y)
    return z, symbolic.gradients(z, [w])[0]

# == wrong missing_factor: a hand-written gradient without the 2
from minigrad import symbolic

def explicit_ex2(m, n):
    X = symbolic.placeholder("X", (m, n))
    w = symbolic.placeholder("w", (n,))
    y = symbolic.placeholder("y", (m,))
    z = symbolic.define(lambda X, w, y: ((X @ w - y) ** 2).sum(), X, w, y)
    return z, symbolic.define(lambda X, w, y: X.T @ (X @ w - y), X, w, y)

# == wrong sign: a hand-written gradient with y - Xw inside
from minigrad import symbolic

def explicit_ex2(m, n):
    X = symbolic.placeholder("X", (m, n))
    w = symbolic.placeholder("w", (n,))
    y = symbolic.placeholder("y", (m,))
    z = symbolic.define(lambda X, w, y: ((X @ w - y) ** 2).sum(), X, w, y)
    return z, symbolic.define(lambda X, w, y: 2 * X.T @ (y - X @ w), X, w, y)

# == wrong chain_rule: differentiates the residual instead of z
from minigrad import symbolic

def explicit_ex2(m, n):
    X = symbolic.placeholder("X", (m, n))
    w = symbolic.placeholder("w", (n,))
    y = symbolic.placeholder("y", (m,))
    r = X @ w - y
    return (r ** 2).sum(), symbolic.gradients(r, [w])[0]

# == wrong garbled: returns numbers computed eagerly, not a graph
import minigrad

def explicit_ex2(m, n):
    X = minigrad.randn(m, n, dtype=minigrad.float64)
    w = minigrad.randn(n, dtype=minigrad.float64, requires_grad=True)
    y = minigrad.randn(m, dtype=minigrad.float64)
    z = ((X @ w - y) ** 2).sum()
    z.backward()
    return z, w.grad

# == wrong not_implemented: the stub
def explicit_ex2(m, n):
    raise NotImplementedError()

# == wrong transposed: a hand-written gradient X @ r instead of X.T @ r
from minigrad import symbolic

def explicit_ex2(m, n):
    X = symbolic.placeholder("X", (m, n))
    w = symbolic.placeholder("w", (n,))
    y = symbolic.placeholder("y", (m,))
    z = symbolic.define(lambda X, w, y: ((X @ w - y) ** 2).sum(), X, w, y)
    return z, symbolic.define(lambda X, w, y: 2 * X @ (X @ w - y), X, w, y)
