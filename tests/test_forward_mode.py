"""Forward mode: every registered op's JVP equals ``torch.func.jvp``; dual tensors behave as
``torch.autograd.forward_ad``'s.

The op cases are the op table of ``test_ops.py`` (one table for every op test) plus the cases
below, where some inputs are constants (their tangent is zero, passed to ``jvp`` as None).
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.autograd.forward_ad as tfw
from test_ops import CASES
from torch_check import assert_close

import minigrad
from minigrad import counters
from minigrad.autograd import forward_ad as fw
from minigrad.function import REGISTRY, Function
from minigrad.ops.shape import IndexPut, ScatterAdd

rng = np.random.default_rng(7)


def normal(*shape):
    return rng.standard_normal(shape)


def positive(*shape):
    return rng.uniform(0.5, 2.0, shape)


def c(lib, a):
    return lib.tensor(a, dtype=lib.float64)


def _scatter_add(lib, x):
    idx = np.array([0, 3, 0, 1])
    if lib is minigrad:
        return ScatterAdd.apply(x, index=(idx,), shape=(5, 2))
    return torch.zeros(5, 2, dtype=torch.float64).index_add(0, torch.tensor(idx), x)


def _index_put(lib, x, v):
    if lib is minigrad:
        return IndexPut.apply(x, v, index=(slice(None), 1))
    y = x.clone()
    y[:, 1] = v
    return y


K1, K2, K3 = normal(3, 4), normal(4), positive(2, 3)
# Constants among the inputs: the rules must treat their (None) tangent as zero.
EXTRA = {
    "Add": [(lambda t, x: x + c(t, K1), [normal(4)])],
    "Sub": [(lambda t, y: c(t, K1) - y, [normal(3, 1)])],
    "Mul": [(lambda t, x: c(t, K1) * x, [normal(4)])],
    "MulNumber": [(lambda t, x: 2.5 * x, [normal(4)])],
    "Div": [(lambda t, y: c(t, K1) / y, [positive(4)]), (lambda t, x: x / c(t, K3), [normal(3)])],
    "PowTensor": [(lambda t, x: x ** c(t, K2), [positive(3, 4)]),
                  (lambda t, y: c(t, K3) ** y, [normal(3)])],
    "Maximum": [(lambda t, x, y: t.maximum(x, y), [np.array([1.0, 2.0, 3.0]),
                                                   np.array([1.0, 0.5, 3.0])]),
                (lambda t, x: t.maximum(x, c(t, K2)), [normal(3, 4)])],
    "Minimum": [(lambda t, x: t.minimum(c(t, K1), x), [normal(4)])],
    "Where": [(lambda t, x: t.where(c(t, K1) > 0, x, c(t, K2)), [normal(3, 4)])],
    "Dot": [(lambda t, y: t.dot(c(t, K2), y), [normal(4)])],
    "Mv": [(lambda t, x: t.mv(c(t, K1), x), [normal(4)])],
    "Mm": [(lambda t, b: c(t, K1) @ b, [normal(4, 2)]),
           (lambda t, a: a @ c(t, K3), [normal(5, 2)])],
    "MseLoss": [(lambda t, x: t.nn.functional.mse_loss(x, c(t, K1), reduction="none"),
                 [normal(3, 4)])],
    "NllLoss": [(lambda t, x: t.nn.functional.nll_loss(
        x.log_softmax(1), t.tensor(np.array([2, 0, 1])), reduction="none"), [normal(3, 4)])],
    "Cat": [(lambda t, x: t.cat([c(t, K1), x, c(t, K1)], dim=1), [normal(3, 2)])],
    "Stack": [(lambda t, x: t.stack([x, c(t, K1)], dim=-1), [normal(3, 4)])],
    "ScatterAdd": [(_scatter_add, [normal(4, 2)])],
    "IndexPut": [(_index_put, [normal(3, 4), normal(3)]),
                 (lambda t, v: _index_put(t, c(t, K1), v), [normal(3)]),
                 (lambda t, x: _index_put(t, x, c(t, K1[:, 0])), [normal(3, 4)])],
    "Pow": [(lambda t, x: x**0, [normal(3)])],
}
ALL = {name: CASES.get(name, []) + EXTRA.get(name, []) for name in set(CASES) | set(EXTRA)}
PARAMS = [pytest.param(name, fn, xs, id=f"{name}-{i}")
          for name, cases in sorted(ALL.items()) for i, (fn, xs) in enumerate(cases)]
def test_every_registered_op_has_its_own_jvp_rule_and_a_case():
    lacking = sorted(name for name, op in REGISTRY.items() if op.jvp is Function.jvp)
    assert not lacking, f"ops without a jvp rule: {lacking}"
    untested = sorted(name for name in REGISTRY if not ALL.get(name))
    assert not untested, f"ops without a forward-mode case: {untested}"


def _minigrad_jvp(fn, xs, vs, requires_grad):
    with counters.count() as cost, fw.dual_level():
        duals = [fw.make_dual(minigrad.tensor(x, dtype=minigrad.float64,
                                              requires_grad=requires_grad),
                              minigrad.tensor(v, dtype=minigrad.float64))
                 for x, v in zip(xs, vs, strict=True)]
        primal, tangent = fw.unpack_dual(fn(minigrad, *duals))
    return primal, tangent, cost


@pytest.mark.parametrize("requires_grad", [False, True], ids=["pure", "with-graph"])
@pytest.mark.parametrize("name, fn, xs", PARAMS)
def test_jvp_matches_torch_func_jvp(name, fn, xs, requires_grad):
    vs = [np.random.default_rng(len(xs)).standard_normal(np.shape(x)) for x in xs]
    primal, tangent, cost = _minigrad_jvp(fn, xs, vs, requires_grad)
    want, want_tangent = torch.func.jvp(
        lambda *ts: fn(torch, *ts), tuple(torch.tensor(x, dtype=torch.float64) for x in xs),
        tuple(torch.tensor(v) for v in vs))
    assert_close(primal, want, "value")
    assert_close(tangent, want_tangent, "tangent (JVP)")
    assert cost.by_op[name] > 0, f"the case for {name} does not run it: {dict(cost.by_op)}"
    assert cost.jvp_ops > 0


def test_baydin_trace_at_2_5():
    """Lesson 04: y = ln x1 + x1*x2 - sin x2 at (2, 5); dy/dx1 = 1/x1 + x2 = 5.5 and
    dy/dx2 = x1 - cos x2, one forward pass per input direction."""
    got = []
    for direction in ([1.0, 0.0], [0.0, 1.0]):
        with fw.dual_level():
            x1 = fw.make_dual(minigrad.tensor(2.0, dtype=minigrad.float64),
                              minigrad.tensor(direction[0], dtype=minigrad.float64))
            x2 = fw.make_dual(minigrad.tensor(5.0, dtype=minigrad.float64),
                              minigrad.tensor(direction[1], dtype=minigrad.float64))
            y = minigrad.log(x1) + x1 * x2 - minigrad.sin(x2)
            value, tangent = fw.unpack_dual(y)
        got.append(tangent.item())
    assert abs(value.item() - (np.log(2) + 10 - np.sin(5))) < 1e-12
    assert abs(got[0] - 5.5) < 1e-12 and abs(got[1] - (2 - np.cos(5))) < 1e-12


def _both(action):
    """Run ``action(lib, forward_ad)`` on torch and minigrad; return what each raised."""
    out = []
    for lib, ad in ((torch, tfw), (minigrad, fw)):
        try:
            action(lib, ad)
            out.append(None)
        except Exception as e:  # noqa: BLE001 - the exception is what is compared
            out.append(e)
    return out


def _x(lib):
    return lib.tensor([1.0, 2.0, 3.0], dtype=lib.float64)


@pytest.mark.parametrize("action", [
    lambda lib, ad: ad.make_dual(_x(lib), _x(lib)),  # outside a dual level
    lambda lib, ad: _in_level(ad, lambda: ad.make_dual(_x(lib), lib.ones(4))),  # wrong size
    lambda lib, ad: _in_level(ad, lambda: _in_level(ad, lambda: None)),  # nested levels
    lambda lib, ad: _in_level(ad, lambda: ad.make_dual(lib.tensor([1, 2]), lib.tensor([1, 1]))),
], ids=["no-level", "wrong-size", "nested", "integer-primal"])
def test_misuse_raises_like_torch(action):
    want, got = _both(action)
    assert type(got) is type(want), (got, want)
    assert str(want).split("\n")[0] in str(got)


def _in_level(ad, body):
    with ad.dual_level():
        return body()


def test_dual_tensor_semantics_match_torch():
    results = []
    for lib, ad in ((torch, tfw), (minigrad, fw)):
        x, v = _x(lib), lib.tensor([0.5, -1.0, 2.0], dtype=lib.float64)
        with ad.dual_level():
            d = ad.make_dual(x, v)
            y = (d * d).sin()
            inside = ad.unpack_dual(y).tangent
            detached = ad.unpack_dual(y.detach()).tangent  # detach drops the tangent
            plain = ad.unpack_dual(x).tangent  # the original tensor has none
            constant = ad.unpack_dual(x * 2).tangent
        after = ad.unpack_dual(y).tangent  # leaving the level forgets tangents
        with ad.dual_level():
            again = ad.unpack_dual(y * 3).tangent  # ... also inside a new level
        results.append((inside, detached, plain, constant, after, again))
    (want, got) = results
    assert_close(got[0], want[0], "tangent inside the level")
    assert [g is None for g in got[1:]] == [w is None for w in want[1:]] == [True] * 5


def test_forward_mode_records_no_graph():
    with fw.dual_level():
        y = fw.make_dual(minigrad.ones(3, dtype=minigrad.float64), minigrad.ones(3))
        for _ in range(5):
            y = y.sin() * 2
        assert y.grad_fn is None and not y.requires_grad
        assert fw.unpack_dual(y).tangent is not None
