"""Finite differences against mathematics, and gradcheck against torch.autograd.gradcheck."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from test_forward_mode import ALL
from torch.autograd.gradcheck import GradcheckError as TorchGradcheckError
from torch_check import assert_close

import minigrad
from minigrad.function import REGISTRY, Function
from minigrad.numeric import (
    GradcheckError,
    central_difference,
    forward_difference,
    gradcheck,
    gradgradcheck,
    numerical_jacobian,
)

rng = np.random.default_rng(5)


def test_central_difference_is_the_gradient_and_costs_two_calls_per_entry():
    calls = []

    def f(x):
        calls.append(1)
        return float(np.sum(np.sin(x) * x))

    x = rng.standard_normal((2, 3))
    g = central_difference(f, x)
    assert g.shape == x.shape and len(calls) == 2 * x.size
    np.testing.assert_allclose(g, np.cos(x) * x + np.sin(x), atol=1e-8)
    calls.clear()
    forward_difference(f, x)
    assert len(calls) == x.size + 1


@pytest.mark.parametrize("method, order", [(forward_difference, 1), (central_difference, 2)])
def test_truncation_error_is_order_h_forward_and_h_squared_central(method, order):
    """Halving h halves the forward-difference error and quarters the central one (where
    truncation, not round-off, dominates)."""
    x, exact = np.array([0.5]), np.exp(0.5)
    errors = [abs(method(lambda v: np.exp(v[0]), x, h)[0] - exact) for h in (1e-2, 5e-3)]
    assert errors[0] / errors[1] == pytest.approx(2**order, rel=0.05)


def test_numerical_jacobian_matches_torch_in_numerator_layout():
    A = rng.standard_normal((4, 3))
    x = rng.standard_normal(3)
    got = numerical_jacobian(lambda v: np.tanh(A @ v), x)
    want = torch.autograd.functional.jacobian(lambda v: torch.tanh(torch.tensor(A) @ v),
                                              torch.tensor(x))
    assert got.shape == (4, 3)
    assert_close(got, want, "central-difference Jacobian", tol=1e-8)


def _inputs(lib, xs):
    return tuple(lib.tensor(x, dtype=lib.float64, requires_grad=True) for x in xs)


CASES = [pytest.param(name, fn, xs, id=f"{name}-{i}")
         for name, cases in sorted(ALL.items()) for i, (fn, xs) in enumerate(cases)]


@pytest.mark.parametrize("name, fn, xs", CASES)
def test_gradcheck_agrees_with_torch_on_every_op_case(name, fn, xs):
    theirs = torch.autograd.gradcheck(lambda *a: fn(torch, *a), _inputs(torch, xs),
                                      raise_exception=False)
    ours = gradcheck(lambda *a: fn(minigrad, *a), _inputs(minigrad, xs), raise_exception=False,
                     check_forward_ad=True)
    assert ours == theirs


# float32 values are too coarse for eps=1e-6 (torch's gradcheck fails there too)
EPS = {"ToCopy": 1e-3}


def test_gradcheck_passes_every_registered_op():
    failing = []
    for name in REGISTRY:
        if not any(gradcheck(lambda *a, fn=fn: fn(minigrad, *a), _inputs(minigrad, xs),
                             eps=EPS.get(name, 1e-6), raise_exception=False)
                   for fn, xs in ALL[name]):
            failing.append(name)
    assert not failing, f"gradcheck fails on every case of {failing}"


class _BrokenSin(Function):
    """z = sin x, with a wrong derivative at entry 2 (a leading underscore: not registered)."""

    def forward(self, x):
        self.save_for_backward(x)
        return np.sin(x)

    def backward(self, g, x):
        wrong = np.array(g * np.cos(x), copy=True)
        wrong.reshape(-1)[2] += 0.5
        return (wrong,)


class _TorchBrokenSin(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x.sin()

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        wrong = (g * x.cos()).clone()
        wrong.view(-1)[2] += 0.5
        return wrong


def test_gradcheck_names_the_input_and_entry_of_a_broken_op():
    assert "_BrokenSin" not in REGISTRY
    y = rng.standard_normal((2, 3))
    x = rng.standard_normal(4)

    def f(lib, op):
        return lambda a, b: (op(b) * 2, a.exp())

    with pytest.raises(TorchGradcheckError) as want:
        torch.autograd.gradcheck(f(torch, _TorchBrokenSin.apply), _inputs(torch, [x, y]))
    with pytest.raises(GradcheckError) as got:
        gradcheck(f(minigrad, _BrokenSin.apply), _inputs(minigrad, [x, y]))
    assert isinstance(got.value, RuntimeError)
    assert str(got.value).split("\n")[0] == str(want.value).split("\n")[0] == (
        "Jacobian mismatch for output 0 with respect to input 1,")
    # the wrong rule adds 0.5 to the gradient of entry (0, 2) whatever the output entry:
    # column (0, 2) of the Jacobian is off, first at output entry (0, 0)
    assert "d(output 0)[(0, 0)] / d(input 1)[(0, 2)]" in str(got.value)
    assert "6 of 36 entries disagree" in str(got.value)
    assert gradcheck(f(minigrad, _BrokenSin.apply), _inputs(minigrad, [x, y]),
                     raise_exception=False) is False


class _FrozenCos(Function):
    """z = sin x whose backward reads x as a plain array: right once, wrong twice."""

    def forward(self, x):
        self.save_for_backward(x)
        return np.sin(x)

    def backward(self, g, x):
        return (g * np.cos(np.asarray(x)),)


def test_gradgradcheck_catches_a_backward_that_is_not_differentiable():
    x = rng.standard_normal(3)
    assert gradcheck(lambda a: _FrozenCos.apply(a), _inputs(minigrad, [x]))
    assert not gradgradcheck(lambda a: _FrozenCos.apply(a), _inputs(minigrad, [x]),
                             raise_exception=False)
    f = {lib: (lambda a, b, lib=lib: (a * b).tanh().sum(0) / (1 + b.exp()))
         for lib in (minigrad, torch)}
    xs = [rng.standard_normal((3, 2)), rng.standard_normal(2)]
    assert gradgradcheck(f[minigrad], _inputs(minigrad, xs))
    assert torch.autograd.gradgradcheck(f[torch], _inputs(torch, xs))


def test_misuse_matches_torch():
    x = np.ones(3)
    with pytest.raises(ValueError, match="at least one input tensor to require gradient"):
        gradcheck(lambda a: a.sin(), (minigrad.tensor(x),))
    with pytest.warns(UserWarning, match="not a double precision"):
        gradcheck(lambda a: a * 2, (minigrad.tensor(x, dtype=minigrad.float32,
                                                     requires_grad=True),),
                  raise_exception=False)
