"""Every registered op: value, gradient (random upstream) and second derivative equal torch's.

One entry per op class in ``minigrad.function.REGISTRY``; a registered op without an entry
fails ``test_every_registered_op_has_cases``.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch_check import check_against_torch, check_double_backward, graph_ops

import minigrad
from minigrad.function import REGISTRY

rng = np.random.default_rng(42)


def normal(*shape):
    return rng.standard_normal(shape)


def positive(*shape):
    return rng.uniform(0.5, 2.0, shape)


def ints(high, *shape):
    return rng.integers(0, high, shape)


def c(lib, a):
    """A constant (no grad) in either library."""
    return lib.tensor(a)


# op name -> list of (fn(lib, *inputs), inputs).  Shapes vary; broadcasting is included.
CASES = {
    "Add": [(lambda t, x, y: x + y, [normal(3, 4), normal(4)]),
            (lambda t, x, y: x + y, [normal(2, 1, 3), normal(4, 1)]),
            (lambda t, x: 2.5 + x, [normal(3)])],
    "Sub": [(lambda t, x, y: x - y, [normal(3, 1), normal(1, 4)]),
            (lambda t, x: 1 - x, [normal(2, 3)])],
    "Mul": [(lambda t, x, y: x * y, [normal(3, 4), normal(3, 1)]),
            (lambda t, x, y: x * y, [normal(), normal(2, 3)]),
            (lambda t, x: c(t, 2.0) * t.dot(x, x), [normal(4)])],
    "MulNumber": [(lambda t, x: 2 * t.dot(x, x), [normal(4)]),
                  (lambda t, x: x * 0.5 * x, [normal(3, 2)]), (lambda t, x: -1.5 * x, [normal()])],
    "Div": [(lambda t, x, y: x / y, [normal(3, 4), positive(4)]),
            (lambda t, x: 3.0 / x, [positive(2, 2)])],
    "Neg": [(lambda t, x: -x, [normal(3, 2)])],
    "Remainder": [(lambda t, x, y: x % y, [normal(3, 4) * 3, positive(4)]),
                  (lambda t, x, y: t.remainder(x, y), [normal(2, 3) * 3, -positive(3)]),
                  (lambda t, x: x % 1.5 + x % (x * x + 1), [normal(5) * 3])],
    "Floor": [(lambda t, x: x.floor() * x, [normal(3, 4) * 3])],
    "Ceil": [(lambda t, x: t.ceil(x) * x, [normal(5) * 3])],
    "Round": [(lambda t, x: x.round() + x * x, [normal(2, 3) * 3])],
    "Trunc": [(lambda t, x: t.trunc(x) * x.sin(), [normal(2, 3) * 3])],
    "Pow": [(lambda t, x: x**2, [normal(5)]), (lambda t, x: x**3.5, [positive(2, 3)]),
            (lambda t, x: x**-1, [positive(4)]), (lambda t, x: t.pow(x, 0.5), [positive(3)])],
    "PowTensor": [(lambda t, x, y: x**y, [positive(3, 2), normal(2)]),
                  (lambda t, y: 2.0**y, [normal(4)])],
    "Exp": [(lambda t, x: x.exp(), [normal(3, 4)]), (lambda t, x: t.exp(x), [normal()])],
    "Log": [(lambda t, x: x.log(), [positive(3, 4)])],
    "Sqrt": [(lambda t, x: x.sqrt(), [positive(5)])],
    "Sin": [(lambda t, x: x.sin(), [normal(2, 3)])],
    "Cos": [(lambda t, x: t.cos(x), [normal(2, 3)])],
    "Tanh": [(lambda t, x: x.tanh(), [normal(6)])],
    "Sigmoid": [(lambda t, x: x.sigmoid(), [normal(3, 3)])],
    "Relu": [(lambda t, x: x.relu(), [normal(4, 5)])],
    "Abs": [(lambda t, x: x.abs(), [normal(7)])],
    "Clamp": [(lambda t, x: x.clamp(-0.5, 0.5), [normal(10)]),
              (lambda t, x: x.clamp(min=0.1), [normal(3, 3)])],
    "Maximum": [(lambda t, x, y: t.maximum(x, y), [normal(3, 4), normal(4)])],
    "Minimum": [(lambda t, x, y: t.minimum(x, y), [normal(3, 1), normal(3, 4)])],
    "Where": [(lambda t, x, y: t.where(x > 0, x, y), [normal(3, 4), normal(4)])],
    "ToCopy": [(lambda t, x: x.float().double() * 1.0, [normal(3)])],
    "Clone": [(lambda t, x: x.clone() * x, [normal(2, 3)])],
    "Sum": [(lambda t, x: x.sum(), [normal(3, 4)]), (lambda t, x: x.sum(1), [normal(3, 4)]),
            (lambda t, x: x.sum((0, 2), keepdim=True), [normal(2, 3, 4)]),
            (lambda t, x: x.sum(-1), [normal(5)])],
    "Mean": [(lambda t, x: x.mean(), [normal(3, 4)]),
             (lambda t, x: x.mean(0, keepdim=True), [normal(3, 4)])],
    "Amax": [(lambda t, x: x.max(), [normal(3, 4)])],
    "Amin": [(lambda t, x: x.min(), [normal(3, 4)])],
    "TakeAlongDim": [(lambda t, x: x.max(1)[0], [normal(3, 4)]),
                     (lambda t, x: x.min(0, keepdim=True)[0], [normal(3, 4)]),
                     (lambda t, x: x.max(dim=-1).values, [normal(2, 3, 4)])],
    "Norm": [(lambda t, x: x.norm(), [normal(3, 4)]), (lambda t, x: x.norm(dim=1), [normal(3, 4)])],
    "Softmax": [(lambda t, x: x.softmax(1), [normal(3, 4)]),
                (lambda t, x: t.softmax(x, dim=0), [normal(5)])],
    "LogSoftmax": [(lambda t, x: x.log_softmax(-1), [normal(3, 4)])],
    "View": [(lambda t, x: x.reshape(4, 3), [normal(3, 4)]),
             (lambda t, x: x.view(-1), [normal(2, 3)]),
             (lambda t, x: x.unsqueeze(1), [normal(3)]),
             (lambda t, x: x.squeeze(), [normal(3, 1)])],
    "Transpose": [(lambda t, x: x.transpose(0, 1), [normal(3, 4)]),
                  (lambda t, x: x.t(), [normal(2, 5)])],
    "Permute": [(lambda t, x: x.permute(2, 0, 1), [normal(2, 3, 4)]),
                (lambda t, x: x.T, [normal(3, 4)])],
    "Expand": [(lambda t, x: x.expand(3, 4), [normal(4)]),
               (lambda t, x: x.expand(2, 3, 4), [normal(3, 1)])],
    "Index": [(lambda t, x: x[1], [normal(3, 4)]), (lambda t, x: x[:, 1:3], [normal(3, 4)]),
              (lambda t, x: x[c(t, np.array([0, 2, 0]))], [normal(3, 4)]),
              (lambda t, x: x[t.arange(3), c(t, np.array([1, 0, 3]))], [normal(3, 4)])],
    "ScatterAdd": [],  # only ever runs as Index's backward: covered by Index's second derivative
    "IndexPut": [(lambda t, x, v: _setitem(x * 1, (slice(None), 1), v), [normal(3, 4), normal(3)])],
    "Cat": [(lambda t, x, y: t.cat([x, y], dim=1), [normal(3, 2), normal(3, 4)]),
            (lambda t, x, y: t.cat([x, y]), [normal(2), normal(3)])],
    "Stack": [(lambda t, x, y: t.stack([x, y], dim=1), [normal(3, 2), normal(3, 2)])],
    "Dot": [(lambda t, x, y: t.dot(x, y), [normal(5), normal(5)])],
    "Mv": [(lambda t, a, x: t.mv(a, x), [normal(3, 4), normal(4)]),
           (lambda t, a, x: a @ x, [normal(2, 5), normal(5)])],
    "Mm": [(lambda t, a, b: a @ b, [normal(3, 4), normal(4, 2)]),
           (lambda t, a, b: t.mm(a, b), [normal(2, 2), normal(2, 5)]),
           (lambda t, a, b: a @ b, [normal(2, 3, 4), normal(4, 5)]),
           (lambda t, x, b: x @ b, [normal(4), normal(4, 3)])],
    "Linear": [(lambda t, x, w, b: t.nn.functional.linear(x, w, b),
                [normal(4, 3), normal(2, 3), normal(2)]),
               (lambda t, x, w, b: t.nn.functional.linear(x, w, b).tanh(),
                [normal(1, 5), normal(3, 5), normal(3)])],
    "MseLoss": [(lambda t, x, y: t.nn.functional.mse_loss(x, y), [normal(4, 3), normal(4, 3)]),
                (lambda t, x, y: t.nn.functional.mse_loss(x, y, reduction="sum"),
                 [normal(5), normal(5)])],
    "Tan": [(lambda t, x: x.tan(), [rng.uniform(-1.2, 1.2, (3, 4))])],
    "Asin": [(lambda t, x: x.asin(), [rng.uniform(-0.9, 0.9, (3, 4))])],
    "Acos": [(lambda t, x: t.acos(x), [rng.uniform(-0.9, 0.9, (5,))])],
    "Atan": [(lambda t, x: x.atan(), [normal(2, 3)])],
    "Sinh": [(lambda t, x: x.sinh(), [normal(3, 4)]), (lambda t, x: t.sinh(x) * x, [normal()])],
    "Cosh": [(lambda t, x: t.cosh(x), [normal(3, 4)])],
    "Asinh": [(lambda t, x: x.asinh(), [normal(4)])],
    "Acosh": [(lambda t, x: x.acosh(), [rng.uniform(1.2, 3.0, (2, 3))])],
    "Atanh": [(lambda t, x: t.atanh(x), [rng.uniform(-0.9, 0.9, (3, 2))])],
    "Cumsum": [(lambda t, x: x.cumsum(0), [normal(4, 3)]),
               (lambda t, x: t.cumsum(x, dim=-1) * x, [normal(2, 5)]),
               (lambda t, x: x.cumsum(axis=1), [normal(2, 3, 2)])],
    "NllLoss": [(lambda t, x: t.nn.functional.cross_entropy(x, c(t, np.array([0, 3, 1]))),
                 [normal(3, 4)]),
                (lambda t, x: t.nn.functional.cross_entropy(x, c(t, np.array([2, 0])),
                                                            reduction="sum"), [normal(2, 4)])],
}


def _setitem(y, index, v):
    y[index] = v
    return y


def test_every_registered_op_has_cases():
    missing = sorted(set(REGISTRY) - set(CASES))
    assert not missing, f"ops without a test case: {missing}"
    empty = sorted(name for name, cases in CASES.items() if not cases and name != "ScatterAdd")
    assert not empty, f"ops with an empty case list: {empty}"


PARAMS = [pytest.param(name, i, fn, xs, id=f"{name}-{i}")
          for name, cases in CASES.items() for i, (fn, xs) in enumerate(cases)]


@pytest.mark.parametrize("name, i, fn, xs", PARAMS)
def test_op_matches_torch(name, i, fn, xs):
    ym, yt = check_against_torch(fn, xs, seed=i)
    assert name in graph_ops(ym), f"the case for {name} does not use it: {graph_ops(ym)}"
    assert ym.grad_fn.name() == type(yt.grad_fn).__name__


@pytest.mark.parametrize("name, i, fn, xs", PARAMS)
def test_op_second_derivative_matches_torch(name, i, fn, xs):
    check_double_backward(fn, xs, seed=i)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_float32_and_float64_keep_their_dtype(dtype):
    x = normal(3, 4)
    for lib in (minigrad, torch):
        xs = lib.tensor(x, dtype=getattr(lib, dtype), requires_grad=True)
        y = (xs.exp() * 2 + 1).sum()
        y.backward()
        assert str(y.dtype).endswith(dtype) and str(xs.grad.dtype).endswith(dtype)
    m = minigrad.tensor(x, dtype=getattr(minigrad, dtype), requires_grad=True)
    t = torch.tensor(x, dtype=getattr(torch, dtype), requires_grad=True)
    (m.sin() * m).sum().backward()
    (t.sin() * t).sum().backward()
    tol = 1e-5 if dtype == "float32" else 1e-10
    np.testing.assert_allclose(m.grad.numpy(), t.grad.numpy(), rtol=tol, atol=tol)


ELEMENTWISE = sorted(name for name, op in REGISTRY.items() if op.elementwise)
ELEMENTWISE_PARAMS = {"MulNumber": {"other": 2.5}}


@pytest.mark.parametrize("name", ELEMENTWISE)
@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
@pytest.mark.parametrize("shape", [(), (3,), (2, 3)])
def test_an_elementwise_op_keeps_its_input_shape_and_dtype(name, dtype, shape):
    """``elementwise = True`` lets the engine skip un-broadcasting and casting the op's
    gradient: so its output, and the gradient that reaches its input, must have that input's
    shape and dtype."""
    x = minigrad.tensor(rng.uniform(0.2, 0.8, shape).astype(dtype), requires_grad=True)
    y = REGISTRY[name].apply(x, **ELEMENTWISE_PARAMS.get(name, {}))
    assert (y.shape, y.dtype) == (x.shape, x.dtype)
    y.backward(minigrad.tensor(rng.standard_normal(shape).astype(dtype)))
    assert (x.grad.shape, x.grad.dtype) == (x.shape, x.dtype)
    assert len(ELEMENTWISE) >= 2  # (the chain's Sin and MulNumber at least)
