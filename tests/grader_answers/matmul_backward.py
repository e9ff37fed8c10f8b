# ruff: noqa
# == right: the two matrix formulas
def matmul_backward(grad_out, A, B):
    return grad_out @ B.T, A.T @ grad_out

# == right: entry by entry with loops
import numpy as np

def matmul_backward(grad_out, A, B):
    m, k = A.shape
    n = B.shape[1]
    gA, gB = np.zeros((m, k)), np.zeros((k, n))
    for i in range(m):
        for j in range(n):
            gA[i, :] += grad_out[i, j] * B[:, j]
            gB[:, j] += grad_out[i, j] * A[i, :]
    return gA, gB

# == right: einsum, nested lists
import numpy as np

def matmul_backward(grad_out, A, B):
    return (np.einsum("ij,kj->ik", grad_out, B).tolist(),
            np.einsum("ik,ij->kj", A, grad_out).tolist())

# == wrong transposed: formulas that give the transposes
def matmul_backward(grad_out, A, B):
    return B @ grad_out.T, grad_out.T @ A

# == wrong order: swapped results
def matmul_backward(grad_out, A, B):
    return A.T @ grad_out, grad_out @ B.T

# == wrong chain_rule: ones instead of grad_out
import numpy as np

def matmul_backward(grad_out, A, B):
    ones = np.ones_like(grad_out)
    return ones @ B.T, A.T @ ones

# == wrong sign: negated
def matmul_backward(grad_out, A, B):
    return -(grad_out @ B.T), -(A.T @ grad_out)

# == wrong transposed: multiplies in the wrong order
def matmul_backward(grad_out, A, B):
    return B.T @ grad_out, grad_out @ A.T

# == wrong not_implemented: stub returning None
def matmul_backward(grad_out, A, B):
    return None

# == wrong transposed: only grad_A transposed right, grad_B transposed wrongly
def matmul_backward(grad_out, A, B):
    return grad_out @ B.T, (grad_out.T @ A).T.T

# == wrong wrong_dtype: loops that store into int buffers
import numpy as np

def matmul_backward(grad_out, A, B):
    gA, gB = np.zeros(A.shape, dtype=int), np.zeros(B.shape, dtype=int)
    gA[...] = grad_out @ B.T
    gB[...] = A.T @ grad_out
    return gA, gB
