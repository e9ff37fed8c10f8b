"""d2l's linear regression and weight decay chapters, from scratch and concise, in its style:
run on minigrad through ``as_torch()`` and on torch from the same numpy-drawn data and initial
weights; losses, parameters and printed lines agree (float32 tolerance, see d2l_check)."""

from __future__ import annotations

import random

import numpy as np
from d2l_check import run_both


def make_data(seed, n, true_w, true_b, noise=0.01):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, len(true_w)))
    y = X @ np.asarray(true_w) + true_b + noise * rng.standard_normal(n)
    return {"X": X, "y": y.reshape(-1, 1), "true_w": np.asarray(true_w), "true_b": true_b,
            "w0": 0.01 * rng.standard_normal((len(true_w), 1)), "seed": seed}


def linreg_scratch(data):
    import torch

    features = torch.tensor(data["X"], dtype=torch.float32)
    labels = torch.tensor(data["y"], dtype=torch.float32)
    shuffle = random.Random(data["seed"]).shuffle  # the chapter shuffles with `random`

    def data_iter(batch_size, features, labels):
        indices = list(range(len(features)))
        shuffle(indices)
        for i in range(0, len(features), batch_size):
            batch = torch.tensor(indices[i: min(i + batch_size, len(features))])
            yield features[batch], labels[batch]

    def linreg(X, w, b):
        return torch.matmul(X, w) + b

    def squared_loss(y_hat, y):
        return (y_hat - y.reshape(y_hat.shape)) ** 2 / 2

    def sgd(params, lr, batch_size):
        with torch.no_grad():
            for param in params:
                param -= lr * param.grad / batch_size
                param.grad.zero_()

    w = torch.tensor(data["w0"], dtype=torch.float32, requires_grad=True)
    b = torch.zeros(1, requires_grad=True)
    lr, num_epochs, batch_size = 0.03, 3, 10
    losses = []
    for epoch in range(num_epochs):
        for X, y in data_iter(batch_size, features, labels):
            l = squared_loss(linreg(X, w, b), y)
            l.sum().backward()
            sgd([w, b], lr, batch_size)
        with torch.no_grad():
            train_l = squared_loss(linreg(features, w, b), labels)
            print(f"epoch {epoch + 1}, loss {float(train_l.mean()):f}")
            losses.append(float(train_l.mean()))
    true_w = torch.tensor(data["true_w"], dtype=torch.float32)
    print(f"error in estimating w: {true_w - w.reshape(true_w.shape)}")
    print(f"error in estimating b: {data['true_b'] - b}")
    return {"w": w, "b": b, "losses": losses}


def linreg_concise(data):
    import torch
    from torch import nn
    from torch.utils import data as tdata

    features = torch.tensor(data["X"], dtype=torch.float32)
    labels = torch.tensor(data["y"], dtype=torch.float32)

    def load_array(data_arrays, batch_size, is_train=True):
        dataset = tdata.TensorDataset(*data_arrays)
        return tdata.DataLoader(dataset, batch_size, shuffle=is_train)

    data_iter = load_array((features, labels), 10, is_train=False)  # same order in both
    first = next(iter(data_iter))
    print(len(first), first[0].shape, len(data_iter))
    net = nn.Sequential(nn.Linear(2, 1))
    net[0].weight.data.copy_(torch.tensor(data["w0"].T))  # normal_(0, 0.01) drawn by numpy
    net[0].bias.data.fill_(0)
    loss = nn.MSELoss()
    trainer = torch.optim.SGD(net.parameters(), lr=0.03)
    for epoch in range(3):
        for X, y in data_iter:
            l = loss(net(X), y)
            trainer.zero_grad()
            l.backward()
            trainer.step()
        l = loss(net(features), labels)
        print(f"epoch {epoch + 1}, loss {l:f}")
    w, b = net[0].weight.data, net[0].bias.data
    print("error in estimating w:", torch.tensor(data["true_w"]).float() - w.reshape(2))
    print("error in estimating b:", data["true_b"] - b)
    return {"w": w, "b": b, "loss": l}


def test_linear_regression_from_scratch_matches_torch():
    want, lines = run_both(linreg_scratch, make_data(0, 1000, [2, -3.4], 4.2))
    assert want["losses"][-1] < 1e-3 < want["losses"][0]  # it learns


def test_linear_regression_concise_matches_torch():
    want, _ = run_both(linreg_concise, make_data(1, 1000, [2, -3.4], 4.2))
    assert want["loss"][0] < 1e-3


def weight_decay_scratch(data, lambd):
    import torch

    train = torch.tensor(data["X"], dtype=torch.float32), torch.tensor(data["y"],
                                                                       dtype=torch.float32)
    w = torch.tensor(data["w0"], dtype=torch.float32, requires_grad=True)
    b = torch.zeros(1, requires_grad=True)

    def l2_penalty(w):
        return torch.sum(w.pow(2)) / 2

    def net(X):
        return torch.matmul(X, w) + b

    def loss(y_hat, y):
        return (y_hat - y.reshape(y_hat.shape)) ** 2 / 2

    batch_size, lr = 5, 0.01
    for _ in range(5):
        for i in range(0, len(train[0]), batch_size):
            X, y = train[0][i:i + batch_size], train[1][i:i + batch_size]
            l = loss(net(X), y) + lambd * l2_penalty(w)
            l.sum().backward()
            with torch.no_grad():
                for param in (w, b):
                    param -= lr * param.grad / batch_size
                    param.grad.zero_()
    print("L2 norm of w:", torch.norm(w).item())
    return {"w": w, "b": b}


def weight_decay_concise(data, wd):
    import torch
    from torch import nn

    X, y = torch.tensor(data["X"], dtype=torch.float32), torch.tensor(data["y"],
                                                                      dtype=torch.float32)
    net = nn.Sequential(nn.Linear(X.shape[1], 1))
    with torch.no_grad():
        net[0].weight.copy_(torch.tensor(data["w0"].T))
        nn.init.zeros_(net[0].bias)
    loss = nn.MSELoss(reduction="none")
    trainer = torch.optim.SGD([{"params": net[0].weight, "weight_decay": wd},
                               {"params": net[0].bias}], lr=0.01)
    for _ in range(5):
        for i in range(0, len(X), 5):
            trainer.zero_grad()
            l = loss(net(X[i:i + 5]), y[i:i + 5])
            l.mean().backward()
            trainer.step()
    print("L2 norm of w:", net[0].weight.norm().item())
    return {"w": net[0].weight, "b": net[0].bias, "groups": len(trainer.param_groups)}


def test_weight_decay_from_scratch_matches_torch():
    data = make_data(2, 20, np.full(50, 0.01), 0.05)
    plain, _ = run_both(weight_decay_scratch, data, 0)
    decayed, _ = run_both(weight_decay_scratch, data, 3)
    assert np.linalg.norm(decayed["w"][0]) < np.linalg.norm(plain["w"][0])


def test_weight_decay_concise_matches_torch():
    data = make_data(3, 20, np.full(50, 0.01), 0.05)
    plain, _ = run_both(weight_decay_concise, data, 0)
    decayed, _ = run_both(weight_decay_concise, data, 3)
    assert np.linalg.norm(decayed["w"][0]) < np.linalg.norm(plain["w"][0])
