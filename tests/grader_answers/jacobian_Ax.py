# ruff: noqa
# == right: the matrix itself
def jacobian_Ax(A, x):
    return A

# == right: column by column with basis vectors
import numpy as np

def jacobian_Ax(A, x):
    m, n = A.shape
    J = np.zeros((m, n))
    for j in range(n):
        e = np.zeros(n)
        e[j] = 1.0
        J[:, j] = A @ e
    return J

# == right: entry by entry as nested lists
def jacobian_Ax(A, x):
    return [[float(A[i, j]) for j in range(A.shape[1])] for i in range(A.shape[0])]

# == wrong transposed: denominator layout
def jacobian_Ax(A, x):
    return A.T

# == wrong wrong_shape: returns the value Ax
def jacobian_Ax(A, x):
    return A @ x

# == wrong sign: negated
def jacobian_Ax(A, x):
    return -A

# == wrong chain_rule: multiplies by x
def jacobian_Ax(A, x):
    return A * x

# == wrong transposed: shapes do not match
import numpy as np

def jacobian_Ax(A, x):
    return np.outer(A, x) @ A

# == wrong not_implemented: stub
def jacobian_Ax(A, x):
    raise NotImplementedError

# == wrong wrong_dtype: an int buffer truncates every entry
import numpy as np

def jacobian_Ax(A, x):
    J = np.zeros(A.shape, dtype=int)
    for i in range(A.shape[0]):
        for j in range(A.shape[1]):
            J[i, j] = A[i, j]
    return J

# == wrong wrong_method: minigrad's jacobian, switched off for this exercise
import minigrad

def jacobian_Ax(A, x):
    A = minigrad.tensor(A, dtype=minigrad.float64)
    return minigrad.autograd.functional.jacobian(lambda v: A @ v, minigrad.tensor(x, dtype=minigrad.float64))
