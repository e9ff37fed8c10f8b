# ruff: noqa
# == right: vectorised
def grad_ex2(X, w, y):
    return 2 * X.T @ (X @ w - y)

# == right: sum over samples with loops
import numpy as np

def grad_ex2(X, w, y):
    g = np.zeros(X.shape[1])
    for i in range(X.shape[0]):
        r = X[i] @ w - y[i]
        g += 2 * r * X[i]
    return g

# == right: normal-equation form, list returned
def grad_ex2(X, w, y):
    return (2 * (X.T @ X) @ w - 2 * X.T @ y).tolist()

# == wrong missing_factor: forgets the 2
def grad_ex2(X, w, y):
    return X.T @ (X @ w - y)

# == wrong sign: y - Xw
def grad_ex2(X, w, y):
    return 2 * X.T @ (y - X @ w)

# == wrong broadcast_not_reduced: one row per sample, never summed
def grad_ex2(X, w, y):
    return 2 * X * (X @ w - y)[:, None]

# == wrong chain_rule: forgets the inner Jacobian X
def grad_ex2(X, w, y):
    return 2 * (X @ w - y)

# == wrong wrong_shape: a column instead of a vector
def grad_ex2(X, w, y):
    return (2 * X.T @ (X @ w - y)).reshape(-1, 1)

# == wrong not_implemented: returns None
def grad_ex2(X, w, y):
    pass

# == wrong missing_factor: divides by the number of samples (a mean, not a sum)
def grad_ex2(X, w, y):
    return 2 * X.T @ (X @ w - y) / len(y)

# == wrong transposed: X @ r instead of X.T @ r
def grad_ex2(X, w, y):
    return 2 * X @ (X @ w - y)
