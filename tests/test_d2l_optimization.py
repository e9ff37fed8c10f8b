"""d2l's optimization chapters in its style: gradient descent, stochastic gradient descent and
momentum, from scratch and concise; run on minigrad through ``as_torch()`` and on torch from
the same numpy-drawn data; traces, losses and parameters agree (float32 tolerance, see
d2l_check)."""

from __future__ import annotations

import numpy as np
from d2l_check import run_both


def gradient_descent(eta, noise):
    """1-D and 2-D gradient descent; the gradient comes from autograd, the noise of SGD
    from numpy (the chapter draws it with torch.normal)."""
    import torch

    def f(x):
        return x * torch.cosh(0.5 * x)  # a non-convex 1-D objective

    x = torch.tensor(3.0, requires_grad=True)
    trace = [x.item()]
    for _ in range(10):
        f(x).backward()
        with torch.no_grad():
            x -= eta * x.grad
        x.grad.zero_()
        trace.append(x.item())
    print(f"epoch 10, x: {x.item():f}")

    def f_2d(x1, x2):
        return x1**2 + 2 * x2**2

    x1, x2 = torch.tensor(-5.0, requires_grad=True), torch.tensor(-2.0, requires_grad=True)
    for i in range(20):
        f_2d(x1, x2).backward()
        with torch.no_grad():
            x1 -= eta * (x1.grad + noise[i, 0])  # SGD: a noisy gradient
            x2 -= eta * (x2.grad + noise[i, 1])
        x1.grad.zero_()
        x2.grad.zero_()
    print(f"epoch 20, x1: {float(x1):f}, x2: {float(x2):f}")
    g1, g2 = torch.meshgrid(torch.arange(-5.5, 1.0, 0.5), torch.arange(-3.0, 1.0, 0.5),
                            indexing="ij")
    contour = f_2d(g1, g2)
    print(g1.shape, contour.min(), contour.sum())
    return {"trace": trace, "x": [x1, x2], "contour": contour}


def test_gradient_descent_and_sgd_from_scratch_match_torch():
    noise = np.random.default_rng(0).standard_normal((20, 2))
    want, _ = run_both(gradient_descent, 0.1, noise)
    assert abs(want["x"][0][0]) < 1 and abs(want["x"][1][0]) < 1  # near the minimum


def airfoil_like(seed, n=150):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, 5))
    y = X @ rng.standard_normal(5) + 0.1 * rng.standard_normal(n)
    return {"X": X, "y": y, "w0": 0.01 * rng.standard_normal((5, 1))}


def train_ch11_style(data, trainer_name, hyperparams):
    """d2l's train_ch11: a linear model trained by a hand-written update rule with state."""
    import torch

    features = torch.tensor(data["X"], dtype=torch.float32)
    labels = torch.tensor(data["y"], dtype=torch.float32)
    data_iter = torch.utils.data.DataLoader(
        torch.utils.data.TensorDataset(features, labels), batch_size=10, shuffle=False)

    def sgd(params, states, hyperparams):
        for p in params:
            p.data.sub_(hyperparams["lr"] * p.grad)
            p.grad.data.zero_()

    def init_momentum_states(feature_dim):
        return (torch.zeros((feature_dim, 1)), torch.zeros(1))

    def sgd_momentum(params, states, hyperparams):
        for p, v in zip(params, states):
            with torch.no_grad():
                v[:] = hyperparams["momentum"] * v + p.grad
                p[:] -= hyperparams["lr"] * v
            p.grad.data.zero_()

    trainer_fn = {"sgd": sgd, "momentum": sgd_momentum}[trainer_name]
    states = init_momentum_states(5)
    w = torch.tensor(data["w0"], dtype=torch.float32, requires_grad=True)
    b = torch.zeros((1), requires_grad=True)

    def net(X):
        return torch.matmul(X, w) + b

    def loss(y_hat, y):
        return (y_hat - y.reshape(y_hat.shape)) ** 2 / 2

    losses = []
    for _ in range(2):
        for X, y in data_iter:
            l = loss(net(X), y).mean()
            l.backward()
            trainer_fn([w, b], states, hyperparams)
        with torch.no_grad():
            losses.append(float(loss(net(features), labels).mean()))
    print(f"loss: {losses[-1]:.3f}")
    return {"w": w, "b": b, "losses": losses}


def train_concise_ch11_style(data, trainer_fn, hyperparams):
    """d2l's train_concise_ch11: the same model with nn and an optimizer from torch.optim."""
    import torch
    from torch import nn

    features = torch.tensor(data["X"], dtype=torch.float32)
    labels = torch.tensor(data["y"], dtype=torch.float32)
    data_iter = torch.utils.data.DataLoader(
        torch.utils.data.TensorDataset(features, labels), batch_size=10)
    net = nn.Sequential(nn.Linear(5, 1))

    def init_weights(module):
        if type(module) == nn.Linear:  # noqa: E721 - the chapter's test
            torch.nn.init.constant_(module.weight, 0.01)
            torch.nn.init.zeros_(module.bias)

    net.apply(init_weights)
    optimizer = getattr(torch.optim, trainer_fn)(net.parameters(), **hyperparams)
    loss = nn.MSELoss(reduction="none")
    losses = []
    for _ in range(2):
        for X, y in data_iter:
            optimizer.zero_grad()
            out = net(X)
            y = y.reshape(out.shape)
            l = loss(out, y)
            l.mean().backward()
            optimizer.step()
        with torch.no_grad():
            losses.append(float(loss(net(features), labels.reshape(-1, 1)).mean() / 2))
    print(f"loss: {losses[-1]:.3f}")
    return {"params": list(net.parameters()), "losses": losses}


def test_minibatch_sgd_from_scratch_matches_torch():
    want, _ = run_both(train_ch11_style, airfoil_like(1), "sgd", {"lr": 0.05})
    assert want["losses"][-1] < want["losses"][0]


def test_momentum_from_scratch_matches_torch():
    want, _ = run_both(train_ch11_style, airfoil_like(2), "momentum",
                       {"lr": 0.02, "momentum": 0.5})
    assert want["losses"][-1] < want["losses"][0]


def test_sgd_and_momentum_concise_match_torch():
    for hyperparams in ({"lr": 0.05}, {"lr": 0.005, "momentum": 0.9},
                        {"lr": 0.01, "momentum": 0.9, "nesterov": True, "weight_decay": 0.1}):
        want, _ = run_both(train_concise_ch11_style, airfoil_like(3), "SGD", hyperparams)
        assert want["losses"][-1] < want["losses"][0]
