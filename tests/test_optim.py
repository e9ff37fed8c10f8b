"""optim.Adam, AdamW, Adagrad and RMSprop against torch's, step for step (d2l's house-prices
chapter trains with Adam; its optimisation chapter compares all four)."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import minigrad

CONFIGS = [
    ("Adam", {}),
    ("Adam", {"lr": 0.1}),
    ("Adam", {"lr": 0.05, "weight_decay": 0.1}),
    ("Adam", {"lr": 0.05, "amsgrad": True}),
    ("Adam", {"lr": 0.05, "maximize": True}),
    ("Adam", {"lr": 0.05, "betas": (0.5, 0.9), "eps": 1e-3, "weight_decay": 0.2}),
    ("AdamW", {}),
    ("AdamW", {"lr": 0.05, "weight_decay": 0.1, "amsgrad": True}),
    ("Adagrad", {}),
    ("Adagrad", {"lr": 0.1, "lr_decay": 0.05, "weight_decay": 0.1,
                 "initial_accumulator_value": 0.2, "maximize": True}),
    ("RMSprop", {}),
    ("RMSprop", {"lr": 0.02, "alpha": 0.9, "weight_decay": 0.1}),
    ("RMSprop", {"lr": 0.02, "momentum": 0.5, "centered": True}),
    ("RMSprop", {"lr": 0.02, "momentum": 0.9, "eps": 1e-3, "maximize": True}),
]


def train(lib, name, settings, dtype, groups):
    rng = np.random.default_rng(0)
    w = lib.tensor(rng.standard_normal((4, 3)).astype(dtype), requires_grad=True)
    b = lib.tensor(np.zeros(3, dtype), requires_grad=True)
    X = lib.tensor(rng.standard_normal((5, 4)).astype(dtype))
    params = [{"params": [w]}, {"params": [b], "weight_decay": 0.0}] if groups else [w, b]
    opt = getattr(lib.optim, name)(params, **settings)
    for _ in range(8):
        opt.zero_grad()
        ((X @ w + b) ** 2).sum().backward()
        opt.step()
    return [w.detach().numpy(), b.detach().numpy()], opt


@pytest.mark.parametrize("groups", [False, True])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name, settings", CONFIGS, ids=lambda c: repr(c))
def test_adam_steps_as_torch(name, settings, dtype, groups):
    got, opt = train(minigrad, name, settings, dtype, groups)
    want, topt = train(torch, name, settings, dtype, groups)
    for g, w in zip(got, want):
        assert g.dtype == w.dtype
        np.testing.assert_allclose(g, w, rtol=2e-6 if dtype == np.float32 else 1e-13,
                                   atol=1e-7 if dtype == np.float32 else 1e-15)
    state, tstate = next(iter(opt.state.values())), next(iter(topt.state.values()))
    assert set(state) == set(tstate) and state["step"] == int(tstate["step"])
    for key in set(state) - {"step"}:
        np.testing.assert_allclose(state[key], tstate[key].numpy(), rtol=1e-4, atol=1e-7)


@pytest.mark.parametrize("bad", [{"lr": -1}, {"eps": -1}, {"betas": (1.0, 0.9)},
                                 {"betas": (0.9, -0.1)}, {"weight_decay": -1}], ids=repr)
def test_adam_refuses_what_torch_refuses(bad):
    with pytest.raises(ValueError) as want:
        torch.optim.Adam([torch.zeros(1, requires_grad=True)], **bad)
    with pytest.raises(ValueError) as got:
        minigrad.optim.Adam([minigrad.zeros(1, requires_grad=True)], **bad)
    assert str(got.value) == str(want.value)


@pytest.mark.parametrize("name, bad", [
    ("Adagrad", {"lr": -1}), ("Adagrad", {"lr_decay": -1}),
    ("Adagrad", {"initial_accumulator_value": -1}), ("Adagrad", {"eps": -1}),
    ("RMSprop", {"alpha": -1}), ("RMSprop", {"momentum": -1}), ("RMSprop", {"weight_decay": -1}),
], ids=repr)
def test_adagrad_and_rmsprop_refuse_what_torch_refuses(name, bad):
    with pytest.raises(ValueError) as want:
        getattr(torch.optim, name)([torch.zeros(1, requires_grad=True)], **bad)
    with pytest.raises(ValueError) as got:
        getattr(minigrad.optim, name)([minigrad.zeros(1, requires_grad=True)], **bad)
    assert str(got.value) == str(want.value)


def test_d2l_house_prices_training_loop_under_as_torch():
    # d2l 5.7: a linear net on log-prices, Adam, MSE on clamped predictions, log RMSE
    rng = np.random.default_rng(1)
    features = rng.standard_normal((40, 6)).astype(np.float32)
    labels = np.exp(rng.normal(12, 0.3, (40, 1))).astype(np.float32)
    results = {}
    for lib in (torch, minigrad):
        lib.manual_seed(0)
        net = lib.nn.Sequential(lib.nn.Linear(6, 1))
        with lib.no_grad():
            net[0].weight.copy_(lib.tensor(np.full((1, 6), 0.1, np.float32)))
            net[0].bias.zero_()
        loss = lib.nn.MSELoss()
        optimizer = lib.optim.Adam(net.parameters(), lr=5, weight_decay=0)
        X, y = lib.tensor(features), lib.tensor(labels)
        rmse = []
        for _ in range(20):
            optimizer.zero_grad()
            loss(net(X), y).backward()
            optimizer.step()
            clipped = lib.clamp(net(X), 1, float("inf"))
            rmse.append(lib.sqrt(loss(lib.log(clipped), lib.log(y))).item())
        results[lib.__name__] = rmse
    np.testing.assert_allclose(results["minigrad"], results["torch"], rtol=1e-4)
