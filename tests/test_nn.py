"""The training loop a d2l reader writes: same losses and weights as torch, step by step."""

from __future__ import annotations

import numpy as np
import pytest
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


# -- the parts of torch.nn, torch.optim and torch.utils.data that d2l's chapters use ----------
def nested_model(lib):
    nn = lib.nn
    return nn.Sequential(nn.Flatten(), nn.Linear(12, 6), nn.ReLU(), nn.Dropout(0.5),
                         nn.Sequential(nn.Linear(6, 4), nn.Tanh()), nn.Linear(4, 3), nn.Softmax(1))


def test_train_and_eval_set_training_on_every_module_as_torch():
    for lib in (minigrad, torch):
        net = nested_model(lib)
        assert net.training and net[4][1].training
        assert net.eval() is net
        got = [m.training for m in net.modules()]
        assert got == [False] * len(got)
        net.train()
        assert all(m.training for m in net.modules())
        net[4].train(False)
        assert [m.training for m in net[4].modules()] == [False, False, False]


def test_apply_visits_children_first_then_self_as_torch():
    orders = []
    for lib in (minigrad, torch):
        seen: list[str] = []
        nested_model(lib).apply(lambda m, seen=seen: seen.append(type(m).__name__))
        orders.append(seen)
    assert orders[0] == orders[1]


def test_sequential_indexing_and_forward_match_torch():
    rng = np.random.default_rng(5)
    X = rng.standard_normal((2, 3, 4))
    outs = []
    for lib in (minigrad, torch):
        net = nested_model(lib).double()
        with lib.no_grad():
            for p in net.parameters():
                p.copy_(lib.tensor(np.random.default_rng(p.numel()).standard_normal(p.shape)))
        assert len(net) == 7 and type(net[1]).__name__ == "Linear" and len(net[1:3]) == 2
        net.eval()  # dropout off
        outs.append(net(lib.tensor(X)).detach().numpy())
        assert len(list(net.parameters())) == 6
    np.testing.assert_allclose(outs[0], outs[1], rtol=1e-12)


def test_dropout_zeroes_with_probability_p_and_rescales_the_rest():
    minigrad.manual_seed(0)
    x = minigrad.ones(200, 100, requires_grad=True)
    layer = minigrad.nn.Dropout(0.3)
    y = layer(x)
    kept = y.detach().numpy() != 0
    assert abs(1 - kept.mean() - 0.3) < 0.01  # 20 000 draws: the fraction is near p
    np.testing.assert_allclose(y.detach().numpy()[kept], 1 / 0.7, rtol=1e-6)  # as torch
    y.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), y.detach().numpy())  # d(mask*x/(1-p))/dx
    layer.eval()
    assert layer(x) is x
    assert minigrad.nn.functional.dropout(x, 1.0).detach().numpy().max() == 0


def test_losses_with_every_reduction_match_torch():
    rng = np.random.default_rng(6)
    logits, labels, target = rng.standard_normal((5, 4)), rng.integers(0, 4, 5), rng.random((5, 4))
    for reduction in ("none", "mean", "sum"):
        got, want = [(lib.nn.CrossEntropyLoss(reduction=reduction)(
            lib.tensor(logits), lib.tensor(labels)).detach().numpy(),
            lib.nn.MSELoss(reduction=reduction)(lib.tensor(logits), lib.tensor(target))
            .detach().numpy()) for lib in (minigrad, torch)]
        np.testing.assert_allclose(got[0], want[0], rtol=1e-12)
        np.testing.assert_allclose(got[1], want[1], rtol=1e-12)


def test_init_functions_follow_their_formulas():
    minigrad.manual_seed(1)
    w = minigrad.nn.Linear(300, 200).weight
    assert minigrad.nn.init.xavier_uniform_(w) is w
    bound = np.sqrt(6 / (300 + 200))
    values = w.detach().numpy()
    assert np.abs(values).max() <= bound and abs(values.std() - bound / np.sqrt(3)) < 0.01 * bound
    minigrad.nn.init.normal_(w, mean=1.0, std=0.01)
    values = w.detach().numpy()
    assert abs(values.mean() - 1.0) < 1e-3 and abs(values.std() - 0.01) < 1e-3
    minigrad.nn.init.constant_(w, 0.25)
    assert (w.detach().numpy() == 0.25).all() and w.requires_grad and w.is_leaf
    minigrad.nn.init.zeros_(w)
    assert not w.detach().numpy().any()


def sgd_groups(lib, weights, steps=4, **first):
    params = [lib.tensor(w, requires_grad=True) for w in weights]
    opt = lib.optim.SGD([{"params": params[0], **first}, {"params": params[1:]}], lr=0.1,
                        momentum=0.9, dampening=0.1)
    assert isinstance(opt, lib.optim.Optimizer) and len(opt.param_groups) == 2
    for _ in range(steps):
        opt.zero_grad()
        loss = (params[0] ** 2).sum() + (params[0].sum() * params[1] ** 3).sum() + params[2].sum()
        loss.backward()
        opt.step()
    return [p.detach().numpy() for p in params]


def test_sgd_parameter_groups_match_torch():
    rng = np.random.default_rng(7)
    weights = [rng.standard_normal(3), rng.standard_normal(2), rng.standard_normal(())]
    for first in ({"weight_decay": 0.5}, {"lr": 0.01, "momentum": 0.0},
                  {"nesterov": True, "dampening": 0.0}, {"maximize": True}):
        got, want = sgd_groups(minigrad, weights, **first), sgd_groups(torch, weights, **first)
        for g, w in zip(got, want):
            np.testing.assert_allclose(g, w, rtol=1e-12, atol=1e-12)


def test_optimizer_refuses_what_torch_refuses():
    import pytest

    w = minigrad.ones(2, requires_grad=True)
    for lib, param in ((minigrad, w), (torch, torch.ones(2, requires_grad=True))):
        with pytest.raises(ValueError):
            lib.optim.SGD([], lr=0.1)
        with pytest.raises(ValueError):
            lib.optim.SGD([{"params": [param]}, {"params": [param]}], lr=0.1)
        with pytest.raises(TypeError):
            lib.optim.SGD(param, lr=0.1)


def test_data_loader_batches_like_torch():
    X, y = np.arange(20.0).reshape(10, 2), np.arange(10)
    for drop_last in (False, True):
        batches = []
        for lib in (minigrad, torch):
            data = lib.utils.data
            loader = data.DataLoader(data.TensorDataset(lib.tensor(X), lib.tensor(y)),
                                     batch_size=4, drop_last=drop_last)
            batches.append([(len(loader), bx.tolist(), by.tolist()) for bx, by in loader])
        assert batches[0] == batches[1]


def test_shuffled_loader_gives_each_sample_once_per_epoch_in_a_new_order():
    data = minigrad.utils.data
    minigrad.manual_seed(3)
    loader = data.DataLoader(data.TensorDataset(minigrad.arange(50)), batch_size=8, shuffle=True)
    epochs = [[int(v) for (batch,) in loader for v in batch] for _ in range(2)]
    assert sorted(epochs[0]) == sorted(epochs[1]) == list(range(50))
    assert epochs[0] != epochs[1]
    minigrad.manual_seed(3)
    assert [int(v) for (batch,) in loader for v in batch] == epochs[0]  # seeded: reproducible


def test_random_split_sizes_match_torch():
    for lengths in ([3, 7], [0.3, 0.7], [0.34, 0.33, 0.33]):
        parts = [lib.utils.data.random_split(lib.utils.data.TensorDataset(lib.arange(10)),
                                             lengths) for lib in (minigrad, torch)]
        assert [len(p) for p in parts[0]] == [len(p) for p in parts[1]]
        assert sorted(int(p[i][0]) for p in parts[0] for i in range(len(p))) == list(range(10))


def test_parameter_is_a_class_as_in_torch():
    """d2l's custom layers write ``self.weight = nn.Parameter(torch.randn(...))``."""
    import copy
    import pickle

    for lib in (torch, minigrad):
        x = lib.ones(2, 3) * 2  # computed, not a leaf
        p = lib.nn.Parameter(x)
        assert isinstance(p, lib.nn.Parameter) and isinstance(p, lib.Tensor)
        assert p.is_leaf and p.requires_grad and p.grad_fn is None
        assert not lib.nn.Parameter(x, requires_grad=False).requires_grad
        assert repr(p).startswith("Parameter containing:\ntensor(")
        assert type(p * 2) is lib.Tensor and type(p.detach()) is lib.Tensor
        with lib.no_grad():
            x[0, 0] = 5.0  # the parameter shares the tensor's data
        assert p[0, 0].item() == 5.0
        for copied in (copy.deepcopy(p), pickle.loads(pickle.dumps(p))):
            assert type(copied) is lib.nn.Parameter and copied.requires_grad
        assert tuple(lib.nn.Parameter().shape) == (0,)
        layer = lib.nn.Linear(3, 2)
        assert all(type(q) is lib.nn.Parameter for q in layer.parameters())
    with pytest.raises(TypeError, match="nn.Parameter"):
        minigrad.nn.Parameter([1.0, 2.0])


def _d2l_nets(lib):
    """The networks of d2l's chapter on layers and parameters, written for ``lib``."""
    nn = lib.nn

    def block1():
        return nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 4), nn.ReLU())

    def block2():
        net = nn.Sequential()
        for i in range(2):
            net.add_module(f"block {i}", block1())
        return net

    class MySequential(nn.Module):
        def __init__(self, *args):
            super().__init__()
            for idx, module in enumerate(args):
                self._modules[str(idx)] = module

        def forward(self, X):
            for block in self._modules.values():
                X = block(X)
            return X

    class NestMLP(nn.Module):
        def __init__(self):
            super().__init__()
            self.net = nn.Sequential(nn.Linear(4, 6), nn.ReLU(), nn.Linear(6, 5), nn.ReLU())
            self.linear = nn.Linear(5, 4)

        def forward(self, X):
            return self.linear(self.net(X))

    shared = nn.Linear(4, 4)
    return {
        "nested blocks": nn.Sequential(block2(), nn.Linear(4, 1)),
        "MySequential": MySequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 3)),
        "chimera": nn.Sequential(NestMLP(), nn.Linear(4, 2), nn.Flatten(), nn.Dropout(0.5)),
        "shared layer": nn.Sequential(nn.Linear(4, 4), nn.ReLU(), shared, nn.ReLU(), shared,
                                      nn.Linear(4, 1)),
    }


def test_parameter_names_state_dict_and_printout_follow_torch():
    ours, theirs = _d2l_nets(minigrad), _d2l_nets(torch)
    X = np.random.default_rng(0).standard_normal((3, 4)).astype(np.float32)
    for name, net in ours.items():
        tnet = theirs[name].eval()
        assert repr(net) == repr(tnet), name
        assert [(k, tuple(p.shape)) for k, p in net.named_parameters()] == \
            [(k, tuple(p.shape)) for k, p in tnet.named_parameters()], name
        assert list(net.state_dict()) == list(tnet.state_dict()), name
        # torch's weights, loaded by name, give torch's outputs
        net.load_state_dict({k: minigrad.tensor(v.detach().numpy())
                             for k, v in tnet.state_dict().items()})
        got = net.eval()(minigrad.tensor(X)).detach().numpy()
        np.testing.assert_allclose(got, tnet(torch.tensor(X)).detach().numpy(), rtol=1e-5,
                                   atol=1e-6)
        assert all(isinstance(t, minigrad.Tensor) and not t.requires_grad
                   for t in net.state_dict().values())


def test_load_state_dict_reports_wrong_keys_and_shapes_as_torch():
    for lib in (torch, minigrad):
        net = lib.nn.Sequential(lib.nn.Linear(2, 3), lib.nn.ReLU(), lib.nn.Linear(3, 1))
        state = dict(net.state_dict())
        state["extra.weight"] = state.pop("2.bias")
        with pytest.raises(RuntimeError, match=r'Missing key\(s\).*"2\.bias"[\s\S]*'
                                               r'Unexpected key\(s\).*"extra\.weight"'):
            net.load_state_dict(state)
        keys = net.load_state_dict(state, strict=False)
        assert (keys.missing_keys, keys.unexpected_keys) == (["2.bias"], ["extra.weight"])
        state = dict(net.state_dict(), **{"0.weight": lib.zeros(2, 2)})
        with pytest.raises(RuntimeError, match="size mismatch for 0.weight"):
            net.load_state_dict(state)


def test_save_and_load_round_trip_and_refuse_code(tmp_path):
    """d2l's file I/O chapter: tensors, lists, dicts and a state_dict in a file."""
    import os
    import pickle

    x, y = minigrad.arange(4), minigrad.zeros(4, dtype=minigrad.float64)
    minigrad.save([x, y, {"w": minigrad.nn.Parameter(minigrad.ones(2))}], tmp_path / "f")
    x2, y2, d = minigrad.load(tmp_path / "f")
    assert x2.dtype == minigrad.int64 and x2.tolist() == [0, 1, 2, 3]
    assert y2.dtype == minigrad.float64 and type(d["w"]) is minigrad.nn.Parameter
    net = minigrad.nn.Sequential(minigrad.nn.Linear(3, 2))
    with open(tmp_path / "net.params", "wb") as f:  # a file object works as a path does
        minigrad.save(net.state_dict(), f)
    clone = minigrad.nn.Sequential(minigrad.nn.Linear(3, 2))
    clone.load_state_dict(minigrad.load(tmp_path / "net.params"))
    assert all((a == b).all() for a, b in zip(net.parameters(), clone.parameters()))

    class Evil:
        def __reduce__(self):
            return (os.system, ("echo should not run",))

    (tmp_path / "evil").write_bytes(pickle.dumps(Evil()))
    with pytest.raises(pickle.UnpicklingError, match="weights_only=False"):
        minigrad.load(tmp_path / "evil")
