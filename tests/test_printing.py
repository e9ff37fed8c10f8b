"""Tensors, grad_fn and shapes print exactly as torch prints them."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import minigrad

rng = np.random.default_rng(7)

ARRAYS = [
    np.arange(4.0), np.array(28.0), np.array([0.1, 2.0, 300.0]), np.array([1e-5, 1.0]),
    rng.standard_normal((2, 3)), rng.standard_normal((3, 4, 2)) * 1000, np.array([1e9, 1.0]),
    np.array([[1.5, -2.25], [np.inf, np.nan]]), np.zeros((0, 3)), np.zeros(0),
    rng.standard_normal(2000), rng.standard_normal((40, 50)), np.array([-0.0, 0.0, 1.0]),
    rng.standard_normal(30), np.array([[1.0, 2.0], [3.0, 4.0]]), np.array(-3.5),
    np.array([1234567.0, 0.5]),
]


@pytest.mark.parametrize("i", range(len(ARRAYS)))
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_float_tensors_print_like_torch(i, dtype):
    a = ARRAYS[i]
    got = repr(minigrad.tensor(a, dtype=getattr(minigrad, dtype)))
    want = repr(torch.tensor(a, dtype=getattr(torch, dtype)))
    assert got == want


@pytest.mark.parametrize("data", [[1, 2, 3], [[True, False]], 7, [[-10, 200], [3, 4]]])
def test_int_and_bool_tensors_print_like_torch(data):
    assert repr(minigrad.tensor(data)) == repr(torch.tensor(data))
    assert str(minigrad.tensor(data)) == str(torch.tensor(data))


def test_autograd_suffixes_print_like_torch():
    for lib in (minigrad, torch):
        x = lib.arange(4.0, requires_grad=True)
        y = 2 * lib.dot(x, x)
        lines = [repr(x), repr(y), repr(x.sum()), repr(y.grad_fn.name()),
                 repr(x.double() * 2), repr(x.shape), repr(lib.float64), repr(x.detach())]
        if lib is minigrad:
            got = lines
        else:
            want = lines
    assert got == want


def test_next_functions_follow_torch():
    names = []
    for lib in (minigrad, torch):
        x = lib.arange(4.0, requires_grad=True)
        c = lib.ones(4)
        y = 2 * lib.dot(x, x) + (c * c).sum()
        chain = []
        node = y.grad_fn
        while node is not None:
            nexts = node.next_functions
            chain.append((node.name().split("::")[-1],
                          [None if n is None else n.name().split("::")[-1] for n, _ in nexts]))
            node = nexts[0][0] if nexts else None
        names.append(chain)
        leaf = y.grad_fn.next_functions[0][0].next_functions[0][0].next_functions[0][0]
        assert leaf.variable is x
    assert names[0] == names[1]
