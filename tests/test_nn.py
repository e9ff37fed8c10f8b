"""The training loop a d2l reader writes: same losses and weights as torch, step by step."""

from __future__ import annotations

import numpy as np
import torch

import minigrad


def make_model(lib, weights):
    l1, l2 = lib.nn.Linear(5, 4).double(), lib.nn.Linear(4, 3).double()
    with lib.no_grad():
        for p, w in zip([*l1.parameters(), *l2.parameters()], weights, strict=True):
            p.copy_(lib.tensor(w, dtype=lib.float64))
    return l1, l2


def train(lib, weights, X, y, target, steps=5):
    l1, l2 = make_model(lib, weights)
    params = [*l1.parameters(), *l2.parameters()]
    opt = lib.optim.SGD(params, lr=0.3, momentum=0.5, weight_decay=0.01)
    X, y, target = (lib.tensor(X, dtype=lib.float64), lib.tensor(y),
                    lib.tensor(target, dtype=lib.float64))
    losses = []
    for _ in range(steps):
        opt.zero_grad()
        logits = l2(l1(X).tanh())
        loss = lib.nn.functional.cross_entropy(logits, y) + \
            0.1 * lib.nn.functional.mse_loss(logits.softmax(1), target)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return losses, [p.detach().numpy().copy() for p in params]


def test_sgd_training_matches_torch():
    rng = np.random.default_rng(3)
    shapes = [(4, 5), (4,), (3, 4), (3,)]
    weights = [rng.standard_normal(s) * 0.5 for s in shapes]
    X, y = rng.standard_normal((8, 5)), rng.integers(0, 3, 8)
    target = np.eye(3)[y]
    got_losses, got_params = train(minigrad, weights, X, y, target)
    want_losses, want_params = train(torch, weights, X, y, target)
    np.testing.assert_allclose(got_losses, want_losses, rtol=1e-10)
    assert want_losses[-1] < want_losses[0]
    for g, w in zip(got_params, want_params, strict=True):
        np.testing.assert_allclose(g, w, rtol=1e-10, atol=1e-12)


def test_linear_shapes_and_parameters_follow_torch():
    for lib in (minigrad, torch):
        layer = lib.nn.Linear(7, 2)
        names = [tuple(p.shape) for p in layer.parameters()]
        assert names == [(2, 7), (2,)]
        bound = 1 / np.sqrt(7)
        assert all(p.detach().abs().max().item() <= bound for p in layer.parameters())
        assert layer(lib.ones(3, 7)).shape == (3, 2)
