"""d2l's preliminaries in its own style (tensors, broadcasting, indexing, linear algebra), run
on minigrad through ``as_torch()`` and on torch: the same printed lines and values."""

from __future__ import annotations

import numpy as np
from d2l_check import run_both


def tensor_basics(data):
    import torch

    x = torch.arange(12, dtype=torch.float32)
    print(x, x.numel(), x.shape)
    X = x.reshape(3, 4)
    print(X)
    print(torch.zeros((2, 3, 4)).shape, torch.ones(2, 3).sum())
    print(torch.tensor([[2, 1, 4, 3], [1, 2, 3, 4], [4, 3, 2, 1]]))
    x, y = torch.tensor([1.0, 2, 4, 8]), torch.tensor([2, 2, 2, 2])
    print(x + y, x - y, x * y, x / y, x**y)  # float with int: float32
    print(torch.exp(x))
    Y = torch.tensor([[2.0, 1, 4, 3], [1, 2, 3, 4], [4, 3, 2, 1]])
    print(torch.cat((X, Y), dim=0).shape, torch.cat((X, Y), dim=1))
    print(X == Y, X.sum())
    a, b = torch.arange(3).reshape((3, 1)), torch.arange(2).reshape((1, 2))
    print(a + b)  # broadcasting, int64
    print(X[-1], X[1:3])
    X[1, 2] = 17
    X[:2, :] = 12
    print(X)
    Z = torch.zeros_like(Y)
    Z[:] = X + Y
    before = id(X)
    X += Y
    print(id(X) == before, Z)
    A = X.numpy()
    B = torch.tensor(A)
    print(type(A).__name__, B.dtype)
    a = torch.tensor([3.5])
    print(a, a.item(), float(a), int(a))
    w = torch.tensor(data["w"], dtype=torch.float32)
    print(torch.is_tensor(w), torch.is_tensor(data["w"]))
    return {"X": X, "Z": Z, "w": w * 2 + 1}


def linear_algebra(data):
    import torch

    x, y = torch.tensor(3.0), torch.tensor(2.0)
    print(x + y, x * y, x / y, x**y)
    A = torch.arange(20, dtype=torch.float32).reshape(5, 4)
    print(A.T, A == A.T.T)
    B = A.clone()
    print(A * B, 2 + A)
    print(A.sum(axis=0), A.sum(axis=[0, 1]), A.mean(), A.mean(axis=0))
    sum_A = A.sum(axis=1, keepdims=True)
    print(sum_A, A / sum_A)
    print(A.cumsum(axis=0))
    x = torch.ones(4, dtype=torch.float32)
    y = torch.tensor(data["v"], dtype=torch.float32)
    print(torch.dot(x, y), torch.sum(x * y))
    print(A.shape, x.shape, torch.mv(A, x), A @ x)
    C = torch.ones(4, 3)
    print(torch.mm(A, C), A @ C)
    u = torch.tensor([3.0, -4.0])
    print(torch.norm(u), torch.abs(u).sum(), torch.norm(torch.ones((4, 9))))
    print(A.argmax(axis=1), A.max(), A.type(torch.int32).dtype)
    return {"dot": torch.dot(x, y), "mv": torch.mv(A, y), "norm": torch.norm(y)}


def test_tensor_basics_match_torch():
    rng = np.random.default_rng(0)
    run_both(tensor_basics, {"w": rng.standard_normal((2, 3))})


def test_linear_algebra_matches_torch():
    rng = np.random.default_rng(1)
    run_both(linear_algebra, {"v": rng.standard_normal(4)})
