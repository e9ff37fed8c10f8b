"""The torch namespace around d2l's chapters: ``as_torch()``, honest refusals, torch's dtype
functions and the creation functions, each checked against torch."""

from __future__ import annotations

import itertools
import sys

import numpy as np
import pytest
import torch

import minigrad

DTYPES = ["bool", "uint8", "int8", "int16", "int32", "int64", "float16", "float32", "float64"]


def test_as_torch_binds_minigrad_and_restores_sys_modules():
    before = {k: v for k, v in sys.modules.items() if k == "torch" or k.startswith("torch.")}
    with minigrad.as_torch() as ctx:
        import torch as t
        import torch.nn as nn
        from torch import nn as nn2
        from torch import optim
        from torch.nn import functional as F
        from torch.utils import data

        assert t is minigrad and nn is nn2 is minigrad.nn and optim is minigrad.optim
        assert F is minigrad.nn.functional and data is minigrad.utils.data
        assert "torch.linalg" not in sys.modules  # real torch's submodules are out of reach
        with minigrad.as_torch():  # nested: restores minigrad, not torch
            pass
        import torch as again

        assert again is minigrad and ctx.active
    after = {k: v for k, v in sys.modules.items() if k == "torch" or k.startswith("torch.")}
    assert after.keys() == before.keys() and all(after[k] is before[k] for k in before)
    import torch as real

    assert real is torch


def test_as_torch_called_once_stays_until_restore():
    switch = minigrad.as_torch()
    try:
        import torch as t

        assert t is minigrad
    finally:
        switch.restore()
    import torch as t

    assert t is torch and not switch.active


@pytest.mark.parametrize("namespace, torch_namespace, name", [
    (minigrad, torch, "linalg"), (minigrad.nn, torch.nn, "Conv2d"),
    (minigrad.nn.functional, torch.nn.functional, "conv2d"),
    (minigrad.optim, torch.optim, "Adadelta"), (minigrad.nn.init, torch.nn.init, "orthogonal_"),
    (minigrad.ones(2), torch.ones(2), "index_add_"),
    (minigrad.ones(2), torch.ones(2), "scatter_"),
])
def test_a_missing_torch_name_is_refused_with_advice(namespace, torch_namespace, name):
    assert hasattr(torch_namespace, name)  # a real torch API, which minigrad lacks
    with pytest.raises(AttributeError) as info:
        getattr(namespace, name)
    message = str(info.value)
    assert "not part of minigrad" in message and f".{name}" in message and "Instead:" in message
    assert not hasattr(namespace, name)


def test_promote_types_matches_torch_for_every_pair():
    for a, b in itertools.product(DTYPES, repeat=2):
        got = minigrad.promote_types(getattr(minigrad, a), getattr(minigrad, b))
        assert repr(got) == repr(torch.promote_types(getattr(torch, a), getattr(torch, b)))


def operands(lib):
    """Dimensioned and 0-d tensors of every dtype, and Python numbers."""
    out = [True, 2, 2.5]
    for name in DTYPES:
        out += [lib.ones(2, dtype=getattr(lib, name)), lib.tensor(1, dtype=getattr(lib, name))]
    return out


def test_result_type_matches_torch_for_tensors_0d_tensors_and_numbers():
    for x, y in itertools.product(range(len(operands(torch))), repeat=2):
        mx, my, tx, ty = operands(minigrad)[x], operands(minigrad)[y], operands(torch)[x], \
            operands(torch)[y]
        if not (isinstance(tx, torch.Tensor) or isinstance(ty, torch.Tensor)):
            continue
        assert repr(minigrad.result_type(mx, my)) == repr(torch.result_type(tx, ty)), (tx, ty)


NUMPY_DATA = [np.float64(0.5), np.float32(0.5), np.float16(1), np.int32(2), np.int8(-3),
              np.bool_(True), np.array(0.5), [np.float64(0.5), 1.0], [np.float32(1), 2.0],
              [np.float16(1), 2.0], [np.float16(1), 2], [np.int32(1), 2], [np.int8(1), True],
              [np.int8(1), np.int16(2)], [[1.0, 2.0], [np.float64(3), 4]], (np.uint8(1),),
              [1.0, 2], [True, 1.5]]


@pytest.mark.parametrize("data", NUMPY_DATA, ids=repr)
def test_tensor_of_numpy_scalars_keeps_their_dtype_as_torch(data):
    # d2l writes torch.tensor(np.float64(...)) and lists of numpy scalars (a loss from numpy)
    assert str(minigrad.tensor(data).dtype) == str(torch.tensor(data).dtype)


ARANGE = [(5,), (0, 5), (1, 2.5, 0.5), (5.0,), (0, 10, 3), (-8.0, 8.0, 0.1), (0, 1, 0.1),
          (0, 1, 0.3), (1, 0, -0.25), (0.5, 3), (-1.0, 1.0, 0.2), (10, 0, -3),
          (1e-3, 1.0, 1e-3)]


@pytest.mark.parametrize("args", ARANGE, ids=repr)
@pytest.mark.parametrize("dtype", [None, "float64"])
def test_arange_takes_torch_steps(args, dtype):
    # torch computes start + i*step, rounded once (numpy adds the step over and over and
    # drifts: -3e-14 at arange(-8, 8, 0.1)[80], where torch has +4e-16, so relu' there is 0
    # or 1); torch's vector lanes may round a last bit or two otherwise
    want = torch.arange(*args, **({"dtype": getattr(torch, dtype)} if dtype else {})).numpy()
    got = minigrad.arange(*args, **({"dtype": getattr(minigrad, dtype)} if dtype else {}))
    assert got.numpy().dtype == want.dtype and got.shape == want.shape
    np.testing.assert_array_max_ulp(got.numpy(), want, maxulp=2)
    assert np.array_equal(np.sign(got.numpy()), np.sign(want))


@pytest.mark.parametrize("args", [(5, 0), (0, 5, -1), (0, 5, 0)])
def test_arange_refuses_a_step_that_never_arrives_as_torch(args):
    with pytest.raises(RuntimeError) as want:
        torch.arange(*args)
    with pytest.raises(RuntimeError) as got:
        minigrad.arange(*args)
    assert str(got.value) == str(want.value)


def test_max_and_min_along_a_dim_return_torchs_named_pair():
    for lib in (torch, minigrad):
        x = lib.tensor([[1.0, 5.0], [3.0, 4.0]])
        got = [repr(x.max(dim=1)), repr(lib.min(x, 0, keepdim=True)), x.max(1).indices]
        if lib is torch:
            want = got
    assert got[:2] == want[:2] and got[2].tolist() == want[2].tolist()
    assert want[0].startswith("torch.return_types.max(")


SPREAD = [((), {}), ((), {"unbiased": False}), ((1,), {"keepdim": True}), ((0,), {}),
          ((), {"dim": (0, 1), "correction": 0}), ((), {"dim": -1, "correction": 2})]


@pytest.mark.parametrize("args, kwargs", SPREAD, ids=repr)
@pytest.mark.parametrize("name", ["std", "var"])
def test_std_and_var_match_torch_with_their_gradients(name, args, kwargs):
    data = np.random.default_rng(5).standard_normal((4, 5))
    out = {}
    for lib in (torch, minigrad):
        x = lib.tensor(data, requires_grad=True)
        y = getattr(x, name)(*args, **kwargs)
        y.sum().backward()
        out[lib.__name__] = (y.detach().numpy(), x.grad.numpy(), getattr(lib, name)(x, *args,
                             **kwargs).detach().numpy())
    for got, want in zip(out["minigrad"], out["torch"]):
        assert got.shape == want.shape
        np.testing.assert_allclose(got, want, rtol=1e-10)


def test_rounding_functions_round_halves_as_torch():
    x = [0.5, 1.5, 2.5, -0.5, -1.5, 0.49999997, 2.7, -2.7]
    for name in ("round", "floor", "ceil", "trunc"):
        got = getattr(minigrad, name)(minigrad.tensor(x, dtype=minigrad.float64))
        want = getattr(torch, name)(torch.tensor(x, dtype=torch.float64))
        assert got.tolist() == want.tolist(), name
    assert minigrad.tensor([3, -3]).floor().tolist() == [3, -3]  # integers stay as they are


@pytest.mark.parametrize("a, b", [([7, -7, 5], 3), ([7.5, -7.5, 0.5], 2.0), ([7, -7], [2, -2]),
                                  (7, [3, -3]), ([5.0, -1.0], [0.0, 0.0]), ([3, 4], 2.5)],
                         ids=repr)
def test_floor_division_and_remainder_match_torch(a, b):
    def run(lib):
        x = lib.tensor(a) if isinstance(a, list) else a
        y = lib.tensor(b) if isinstance(b, list) else b
        return [(r.dtype, r.tolist()) for r in (x // y, x % y, lib.floor_divide(lib.tensor(a), y),
                                                 lib.remainder(lib.tensor(a), y))]
    got, want = run(minigrad), run(torch)
    assert [str(d) for d, _ in got] == [str(d) for d, _ in want]
    np.testing.assert_array_equal(np.array([v for _, v in got], dtype=float),
                                  np.array([v for _, v in want], dtype=float))  # (nan == nan)


def test_set_default_dtype_changes_floats_and_true_division():
    try:
        for lib in (minigrad, torch):
            lib.set_default_dtype(lib.float64)
            assert repr(lib.get_default_dtype()) == "torch.float64"
            assert str(lib.tensor(1.5).dtype) == "torch.float64"
            assert str((lib.tensor([1, 2]) / lib.tensor([2, 2])).dtype) == "torch.float64"
            assert str((lib.tensor([1, 2]) + 0.5).dtype) == "torch.float64"
            assert str((lib.ones(2, dtype=lib.float32) + 0.5).dtype) == "torch.float32"
            with pytest.raises(TypeError):
                lib.set_default_dtype(lib.int64)
    finally:
        minigrad.set_default_dtype(minigrad.float32)
        torch.set_default_dtype(torch.float32)
    assert minigrad.tensor(1.5).dtype == minigrad.float32


def test_inplace_keeps_self_dtype_and_refuses_a_higher_category_as_torch():
    for lib in (minigrad, torch):
        x = lib.ones(3, dtype=lib.float32)
        x += lib.ones(3, dtype=lib.float64) / 3  # computed in float64, stored as float32
        assert str(x.dtype) == "torch.float32"
        n = lib.tensor([1, 2, 3])
        n *= 2
        for target, method, other in ((n, "__iadd__", 1.5), (n, "__itruediv__", 2),
                                      (lib.tensor([True]), "__imul__", 2)):
            with pytest.raises(RuntimeError, match="can't be cast to the desired output type"):
                getattr(target, method)(other)


def test_type_names_and_conversions_match_torch():
    for name in DTYPES:
        m, t = minigrad.zeros(2, dtype=getattr(minigrad, name)), torch.zeros(2,
                                                                         dtype=getattr(torch, name))
        assert m.type() == t.type()
        assert str(m.type(minigrad.int32).dtype) == str(t.type(torch.int32).dtype)
    assert str(minigrad.ones(2).type("torch.DoubleTensor").dtype) == "torch.float64"


def test_normal_randperm_rand_randint_shapes_dtypes_and_statistics():
    minigrad.manual_seed(0)
    x = minigrad.normal(3.0, 0.5, size=(200, 100), requires_grad=True)
    assert x.shape == (200, 100) and x.dtype == minigrad.float32 and x.requires_grad
    values = x.detach().numpy()
    assert abs(values.mean() - 3.0) < 0.01 and abs(values.std() - 0.5) < 0.01
    means = minigrad.tensor([0.0, 100.0], dtype=minigrad.float64)
    y = minigrad.normal(means, 1.0)
    assert y.dtype == minigrad.float64 and y.shape == (2,) and abs(y[1].item() - 100) < 6
    assert sorted(minigrad.randperm(10).tolist()) == list(range(10))
    assert minigrad.randperm(4).dtype == minigrad.int64
    r = minigrad.randint(2, 5, (1000,))
    assert r.dtype == minigrad.int64 and set(r.tolist()) == {2, 3, 4}
    assert minigrad.randint(3, (2, 2)).shape == (2, 2)
    u = minigrad.rand(minigrad.Size([3, 4]))
    assert u.shape == (3, 4) and 0 <= u.min().item() and u.max().item() < 1
    t = minigrad.zeros(1000).normal_(1.0, 2.0)
    assert abs(t.numpy().mean() - 1.0) < 0.3
    t.uniform_(-1, 1)
    assert -1 <= t.min().item() and t.max().item() < 1
    with pytest.raises(RuntimeError):
        minigrad.zeros(2, requires_grad=True).normal_()  # a leaf that requires grad: no
    assert minigrad.is_tensor(t) and not minigrad.is_tensor(t.numpy())


def test_manual_seed_makes_minigrad_reproducible():
    draws = []
    for _ in range(2):
        minigrad.manual_seed(42)
        draws.append((minigrad.randn(3).tolist(), minigrad.randperm(5).tolist(),
                      minigrad.nn.functional.dropout(minigrad.ones(8)).tolist()))
    assert draws[0] == draws[1]


@pytest.mark.parametrize("indexing", ["ij", "xy"])
def test_meshgrid_values_and_gradients_match_torch(indexing):
    a, b, c = np.arange(3.0), np.arange(4.0) * 0.5, np.array([1.0, -1.0])
    results = []
    for lib in (minigrad, torch):
        xs = [lib.tensor(v, requires_grad=True) for v in (a, b, c)]
        grids = lib.meshgrid(*xs, indexing=indexing)
        weight = lib.tensor(np.random.default_rng(0).standard_normal(tuple(grids[0].shape)))
        sum(((g * weight) * (i + 1)).sum() for i, g in enumerate(grids)).backward()
        results.append([g.detach().numpy() for g in grids] + [x.grad.numpy() for x in xs])
    for g, w in zip(*results):
        np.testing.assert_allclose(g, w, rtol=1e-12)


def test_reductions_accept_numpy_spelling_axis_as_torch():
    a = np.arange(24.0).reshape(2, 3, 4)
    for call in (lambda t, x: x.sum(axis=[0, 2]), lambda t, x: x.mean(axis=1, keepdims=True),
                 lambda t, x: x.argmax(axis=2), lambda t, x: t.argmin(x, axis=0),
                 lambda t, x: x.max(axis=1).values, lambda t, x: x.cumsum(axis=1)):
        got, want = call(minigrad, minigrad.tensor(a)), call(torch, torch.tensor(a))
        assert str(got.dtype) == str(want.dtype)
        np.testing.assert_allclose(got.numpy(), want.numpy())
