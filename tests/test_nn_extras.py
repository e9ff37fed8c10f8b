"""one_hot, leaky_relu, L1 and Huber losses, logsumexp: values and gradients against torch
(d2l's recurrent chapters encode tokens with one_hot; the others are a line each in torch)."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import minigrad

rng = np.random.default_rng(11)
X = rng.standard_normal((4, 5)) * 2
Y = rng.standard_normal((4, 5))


def both(f, *arrays):
    """f's value and the gradients of sum(f * w), w random, in minigrad and in torch."""
    out = {}
    for lib in (minigrad, torch):
        xs = [lib.tensor(a, requires_grad=True) for a in arrays]
        y = f(lib, *xs)
        weights = lib.tensor(np.linspace(-1, 2, y.numel()).reshape(tuple(y.shape)))
        (y * weights).sum().backward()
        out[lib.__name__] = [y.detach().numpy()] + [x.grad.numpy() for x in xs]
    return out["minigrad"], out["torch"]


CASES = {
    "leaky_relu": lambda t, x: t.nn.functional.leaky_relu(x, 0.1),
    "LeakyReLU": lambda t, x: t.nn.LeakyReLU()(x),
    "leaky_relu at 0": lambda t, x: t.nn.functional.leaky_relu(x * 0, 0.2),
    "l1_loss": lambda t, x, y: t.nn.functional.l1_loss(x, y),
    "L1Loss sum": lambda t, x, y: t.nn.L1Loss(reduction="sum")(x, y),
    "huber_loss": lambda t, x, y: t.nn.functional.huber_loss(x, y, delta=0.7),
    "HuberLoss none": lambda t, x, y: t.nn.HuberLoss(reduction="none")(x, y),
    "logsumexp": lambda t, x: t.logsumexp(x, 1),
    "logsumexp keepdim": lambda t, x: x.logsumexp(0, keepdim=True),
    "logsumexp dims": lambda t, x: t.logsumexp(x * 300, (0, 1)),
}


@pytest.mark.parametrize("name", CASES)
def test_matches_torch_with_gradients(name):
    f = CASES[name]
    arrays = [X, Y][:f.__code__.co_argcount - 1]
    got, want = both(f, *arrays)
    for g, w in zip(got, want):
        assert g.shape == w.shape
        np.testing.assert_allclose(g, w, rtol=1e-12, atol=1e-12)


def test_logsumexp_of_infinities_as_torch():
    x = np.array([[1.0, -2.0], [np.inf, 0.0], [-np.inf, -np.inf]])
    np.testing.assert_array_equal(minigrad.logsumexp(minigrad.tensor(x), 1).numpy(),
                                  torch.logsumexp(torch.tensor(x), 1).numpy())


@pytest.mark.parametrize("labels, classes", [([0, 2, 1], -1), ([[0], [3]], 5), ([], 3),
                                             ([4, 0], -1)], ids=repr)
def test_one_hot_matches_torch(labels, classes):
    got = minigrad.nn.functional.one_hot(minigrad.tensor(labels, dtype=minigrad.int64), classes)
    want = torch.nn.functional.one_hot(torch.tensor(labels, dtype=torch.int64), classes)
    assert str(got.dtype) == str(want.dtype) and got.tolist() == want.tolist()
    assert tuple(got.shape) == tuple(want.shape)


@pytest.mark.parametrize("labels, classes, dtype", [([-1], -1, "int64"), ([3], 2, "int64"),
                                                    ([1.0], -1, "float32")], ids=repr)
def test_one_hot_refuses_as_torch(labels, classes, dtype):
    with pytest.raises(RuntimeError) as want:
        torch.nn.functional.one_hot(torch.tensor(labels, dtype=getattr(torch, dtype)), classes)
    with pytest.raises(RuntimeError) as got:
        minigrad.nn.functional.one_hot(minigrad.tensor(labels, dtype=getattr(minigrad, dtype)),
                                       classes)
    assert str(got.value) == str(want.value)


@pytest.mark.parametrize("shape, reps", [((3,), (2,)), ((2, 3), (2, 1)), ((2, 3), (1, 2, 2)),
                                         ((), (3,))], ids=repr)
def test_repeat_tiles_and_sums_the_gradient_as_torch(shape, reps):
    data = np.arange(np.prod(shape), dtype=float).reshape(shape)
    got, want = both(lambda t, x: x.repeat(*reps), data)
    np.testing.assert_array_equal(got[0], want[0])  # the copies, exactly
    np.testing.assert_allclose(got[1], want[1], rtol=1e-14)  # their gradients, summed
    with pytest.raises(RuntimeError, match="can not be smaller"):
        minigrad.ones(2, 3).repeat(2)


def test_bmm_multiplies_batches_and_refuses_as_torch():
    a, b = rng.standard_normal((2, 3, 4)), rng.standard_normal((2, 4, 5))
    got, want = both(lambda t, x, y: t.bmm(x, y), a, b)
    for g, w in zip(got, want):
        np.testing.assert_allclose(g, w, rtol=1e-12)
    for x, y in [((3, 4), (4, 5)), ((2, 3, 4), (3, 4, 5)), ((2, 3, 4), (2, 5, 5))]:
        with pytest.raises(RuntimeError) as t_err:
            torch.bmm(torch.ones(x), torch.ones(y))
        with pytest.raises(RuntimeError) as m_err:
            minigrad.bmm(minigrad.ones(x), minigrad.ones(y))
        assert str(m_err.value) == str(t_err.value)
