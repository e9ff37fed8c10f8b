"""The device API on a CPU-only engine, nn.LazyLinear and nn.ModuleList, against torch: the
code of d2l's later chapters (try_gpu(), net.to(device), nets of LazyLinear layers)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import torch

import minigrad


def test_devices_read_as_torchs():
    for spec in ["cpu", "cuda:1", ("cuda", 0), ("cpu", 0)]:
        args = spec if isinstance(spec, tuple) else (spec,)
        got, want = minigrad.device(*args), torch.device(*args)
        assert (repr(got), str(got), got.type, got.index) == \
            (repr(want), str(want), want.type, want.index)
    assert minigrad.device("cpu") == minigrad.device("cpu") != minigrad.device("cuda")
    assert (minigrad.device("cpu") == "cpu") is (torch.device("cpu") == "cpu")
    for bad in ("gpu", 0):  # an unknown type; an accelerator's index, on a machine with none
        with pytest.raises(RuntimeError) as want:
            torch.device(bad)
        with pytest.raises(RuntimeError) as got:
            minigrad.device(bad)
        assert str(got.value) == str(want.value)


def test_a_tensor_is_on_the_cpu_and_stays_there():
    x = minigrad.ones(2, 3, device="cpu")
    assert repr(x.device) == repr(torch.ones(1).device) and not x.is_cuda
    assert x.cpu() is x and x.to("cpu") is x and x.to(minigrad.device("cpu")) is x
    assert x.to(minigrad.zeros(1, dtype=minigrad.float64)).dtype == minigrad.float64
    for make in (lambda d: minigrad.ones(2, device=d), lambda d: minigrad.tensor([1.0], device=d),
                 lambda d: minigrad.arange(3, device=d), lambda d: minigrad.zeros_like(x, device=d),
                 lambda d: minigrad.full((2,), 1.0, device=d), lambda d: x.to(d),
                 lambda d: x.to(device=d), lambda d: minigrad.nn.Linear(2, 2).to(d)):
        assert make(minigrad.device("cpu")) is not None
        with pytest.raises(RuntimeError, match="CPU only"):
            make("cuda:0")
    for to_gpu in (lambda: x.cuda(), lambda: x.cuda(0), lambda: minigrad.nn.Linear(2, 2).cuda()):
        with pytest.raises(RuntimeError, match="CPU only"):  # (torch without CUDA: an
            to_gpu()  # AssertionError, "Torch not compiled with CUDA enabled")


def test_d2l_try_gpu_runs_and_gives_the_cpu():
    with minigrad.as_torch():
        import torch as t
        from torch import nn

        def try_gpu(i=0):  # d2l's own helpers, as written there
            if t.cuda.device_count() >= i + 1:
                return t.device(f"cuda:{i}")
            return t.device("cpu")

        def try_all_gpus():
            return [t.device(f"cuda:{i}") for i in range(t.cuda.device_count())] or \
                [t.device("cpu")]

        assert str(try_gpu()) == "cpu" and str(try_gpu(10)) == "cpu"
        assert repr(try_all_gpus()) == "[device(type='cpu')]"
        assert not t.cuda.is_available()
        X = t.ones(2, 3, device=try_gpu())
        net = nn.Sequential(nn.Linear(3, 1))
        net = net.to(device=try_gpu())
        assert net(X).shape == (2, 1) and str(net[0].weight.data.device) == "cpu"
        with pytest.raises(AttributeError, match="not part of minigrad"):
            t.cuda.memory_allocated  # noqa: B018


def lazy_net(lib):
    nn = lib.nn
    return nn.Sequential(nn.LazyLinear(8), nn.ReLU(), nn.LazyLinear(2))


def test_lazy_linear_reads_its_input_size_and_becomes_a_linear():
    reprs, shapes = {}, {}
    for lib in (torch, minigrad):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # torch: "Lazy modules are a new feature ..."
            net = lazy_net(lib)
            before = repr(net)
            opt = lib.optim.SGD(net.parameters(), lr=0.1)  # held before they have a shape
            y = net(lib.rand(4, 20))
        after = repr(net)
        assert type(net[0]) is lib.nn.Linear and type(net[2]) is lib.nn.Linear
        w0 = net[0].weight.detach().clone()
        y.sum().backward()
        opt.step()
        assert bool((net[0].weight != w0).any())  # the optimiser updates the filled parameters
        bound = 1 / np.sqrt(20)
        assert np.all(np.abs(w0.numpy()) <= bound)
        reprs[lib.__name__] = (before, after)
        shapes[lib.__name__] = [(n, tuple(p.shape)) for n, p in net.named_parameters()]
    assert reprs["minigrad"] == reprs["torch"] and shapes["minigrad"] == shapes["torch"]


def test_module_list_holds_modules_and_their_parameters():
    got, want = ({"lib": lib, "m": lib.nn.ModuleList([lib.nn.Linear(2, 2) for _ in range(3)])}
                 for lib in (minigrad, torch))
    for d in (got, want):
        m = d["m"]
        m.append(d["lib"].nn.Linear(2, 1))
        m.extend([d["lib"].nn.ReLU()])
        d["facts"] = (len(m), [n for n, _ in m.named_parameters()], type(m[1:]).__name__,
                      type(m[-1]).__name__, repr(m))
    assert got["facts"] == want["facts"]


def test_a_lazy_net_prints_and_loads_its_parameters_as_torch(tmp_path):
    """d2l's lazy-init and read-write sections: an unfilled parameter prints as torch's, and
    load_state_dict fills a lazy clone with the saved shapes (its output then equals the
    original's)."""
    outputs = {}
    for lib in (torch, minigrad):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            net = lazy_net(lib)
            shown = repr(net[0].weight)
            X = lib.rand(2, 20)
            Y = net(X)
            lib.save(net.state_dict(), tmp_path / f"{lib.__name__}.params")
            clone = lazy_net(lib)
            clone.load_state_dict(lib.load(tmp_path / f"{lib.__name__}.params"))
            same = bool((clone(X) == Y).all())
        outputs[lib.__name__] = (shown, same, [tuple(p.shape) for p in clone.parameters()])
    assert outputs["minigrad"] == outputs["torch"]
    assert outputs["torch"][:2] == ("<UninitializedParameter>", True)
