"""Autograd semantics and errors, each checked on torch and on minigrad in the same test."""

from __future__ import annotations

import subprocess
import sys
import warnings

import numpy as np
import pytest
import torch

import minigrad

LIBS = [pytest.param(minigrad, id="minigrad"), pytest.param(torch, id="torch")]


def outcome(fn):
    """(exception type name or None, warning categories) of calling ``fn``."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            fn()
            error = None
        except Exception as e:  # noqa: BLE001 - compared between the libraries
            error = type(e).__name__
    return error, sorted({w.category.__name__ for w in caught})


def same_outcome(program):
    """Run ``program(lib)`` on both libraries; the errors and warnings must match."""
    got, want = outcome(lambda: program(minigrad)), outcome(lambda: program(torch))
    assert got == want
    return got


def test_backward_on_non_scalar_without_gradient_raises():
    def program(t):
        x = t.ones(3, requires_grad=True)
        (x * 2).backward()

    assert same_outcome(program) == ("RuntimeError", [])
    with pytest.raises(RuntimeError, match="grad can be implicitly created only for scalar"):
        program(minigrad)


@pytest.mark.parametrize("op", ["2*x", "x*x", "x.exp()", "x+1", "x.sum()", "x-x", "x[0]",
                                "x.reshape(3,1)", "x.relu()", "x.max()", "x.norm()", "-x",
                                "x.expand(2,3)", "x.mean()", "torch.cat([x, x])"])
def test_second_backward_raises_only_when_saved_values_were_freed(op):
    def program(t):
        x = t.tensor([1.0, -2.0, 3.0], requires_grad=True)
        y = eval(op, {"x": x, "torch": t}).sum()
        y.backward()
        y.backward()

    same_outcome(program)


def test_second_backward_error_explains_retain_graph():
    x = minigrad.ones(3, requires_grad=True)
    y = (x * x).sum()
    y.backward()
    with pytest.raises(RuntimeError, match="Trying to backward through the graph a second time"
                       ) as info:
        y.backward()
    assert "retain_graph=True" in str(info.value) and "MulBackward0" in str(info.value)


def test_retain_graph_allows_a_second_backward_and_accumulates():
    grads = []
    for t in (minigrad, torch):
        x = t.tensor([1.0, 2.0], requires_grad=True)
        y = (x * x * x).sum()
        y.backward(retain_graph=True)
        y.backward()
        grads.append(x.grad.tolist())
    assert grads[0] == grads[1] == [6.0, 24.0]


def test_requires_grad_on_integer_tensor_raises():
    assert same_outcome(lambda t: t.arange(4).requires_grad_())[0] == "RuntimeError"
    with pytest.raises(RuntimeError, match="floating point"):
        minigrad.tensor([1, 2], requires_grad=True)


def test_shape_mismatch_names_both_shapes():
    assert same_outcome(lambda t: t.ones(3) + t.ones(4))[0] == "RuntimeError"
    with pytest.raises(RuntimeError) as info:
        minigrad.ones(2, 3) * minigrad.ones(4)
    assert "(2, 3)" in str(info.value) and "(4,)" in str(info.value)
    assert same_outcome(lambda t: t.ones(2, 3) @ t.ones(2, 3))[0] == "RuntimeError"


def test_grad_of_non_leaf_warns_and_is_none():
    def program(t):
        x = t.ones(2, requires_grad=True)
        y = x * 2
        y.sum().backward()
        assert y.grad is None

    assert same_outcome(program) == (None, ["UserWarning"])


def test_retain_grad_keeps_non_leaf_gradients():
    got = []
    for t in (minigrad, torch):
        x = t.tensor([1.0, 2.0], requires_grad=True)
        y = x * 3
        y.retain_grad()
        (y * y).sum().backward()
        got.append((y.grad.tolist(), x.grad.tolist()))
    assert got[0] == got[1]


def test_gradient_of_wrong_shape_raises():
    def program(t):
        x = t.ones(4, requires_grad=True)
        (x * 2).backward(t.ones(3))

    assert same_outcome(program)[0] == "RuntimeError"
    with pytest.raises(RuntimeError, match="Mismatch in shape"):
        program(minigrad)


def test_backward_on_tensor_without_graph_raises():
    assert same_outcome(lambda t: t.ones(1).sum().backward())[0] == "RuntimeError"


@pytest.mark.parametrize("lib", LIBS)
def test_no_grad_records_nothing_and_enable_grad_records(lib):
    x = lib.ones(2, requires_grad=True)
    with lib.no_grad():
        y = x * 2
        with lib.enable_grad():
            z = x * 2
    assert not y.requires_grad and y.grad_fn is None
    assert z.requires_grad
    with lib.set_grad_enabled(False):
        assert not (x * 2).requires_grad
    assert (x * 2).requires_grad


@pytest.mark.parametrize("lib", LIBS)
def test_detach_shares_data_and_cuts_the_graph(lib):
    x = lib.tensor([1.0, 2.0], requires_grad=True)
    y = x * x
    u = y.detach()
    assert not u.requires_grad and u.grad_fn is None
    with lib.no_grad():
        u[0] = 10.0
    assert y[0].item() == 10.0


def test_inplace_on_leaf_requires_no_grad():
    def program(t):
        w = t.ones(3, requires_grad=True)
        w -= 0.1

    assert same_outcome(program)[0] == "RuntimeError"

    def sgd_step(t):
        w = t.ones(3, requires_grad=True)
        (w * w).sum().backward()
        with t.no_grad():
            w -= 0.1 * w.grad
            w.grad.zero_()
        return w.tolist(), w.grad.tolist(), w.requires_grad

    assert sgd_step(minigrad) == sgd_step(torch)


def test_hooks_see_and_replace_gradients():
    got = []
    for t in (minigrad, torch):
        seen: list = []
        x = t.tensor([1.0, 2.0], requires_grad=True)
        x.register_hook(seen.append)
        y = x * 2
        y.register_hook(lambda g: g * 10)
        (y * y).sum().backward()
        got.append(([g.tolist() for g in seen], x.grad.tolist()))
    assert got[0] == got[1]


def test_pruned_branch_backward_never_runs():
    """A branch that needs no gradient is never visited: its backward is not called."""
    calls = []
    from minigrad.ops.elementwise import Exp

    original = Exp.backward

    def spy(self, g, z):
        calls.append(1)
        return original(self, g, z)

    Exp.backward = spy
    try:
        w = minigrad.ones(3, requires_grad=True)
        c = minigrad.ones(3)
        (w * c.exp().exp()).sum().backward()  # exp(exp(c)) does not depend on w
        assert calls == []
        (w.exp() * c).sum().backward()
        assert calls == [1]
    finally:
        Exp.backward = original


def test_a_none_gradient_delivers_nothing_but_counts_as_delivered():
    """A rule may return None for an input that requires grad ("no gradient"): that input
    still gets what its other paths send, and an input reached only through None gets None,
    as in torch (before, the input's node waited for the None forever: a silent None)."""
    from minigrad.autograd.engine import Function

    class _FirstOnly(Function):  # d(a*b): the gradient of a only
        def forward(self, a, b):
            self.save_for_backward(b)
            return a * b

        def backward(self, g, b):
            return g * b, None

    class FirstOnly(torch.autograd.Function):
        @staticmethod
        def forward(ctx, a, b):
            ctx.save_for_backward(b)
            return a * b

        @staticmethod
        def backward(ctx, g):
            return g * ctx.saved_tensors[0], None

    got = []
    for t, first_only in ((minigrad, _FirstOnly.apply), (torch, FirstOnly.apply)):
        a = t.tensor([1.0, 2.0], requires_grad=True)
        b = t.tensor([3.0, 4.0], requires_grad=True)
        c = t.tensor([5.0, 6.0], requires_grad=True)
        (first_only(a, b) + b * 2 + first_only(a, c * 3)).sum().backward()
        got.append([None if v.grad is None else v.grad.tolist() for v in (a, b, c)])
    assert got[0] == got[1] == [[18.0, 22.0], [2.0, 2.0], None]


def test_autograd_grad_leaves_dot_grad_alone():
    for t in (minigrad, torch):
        x = t.tensor([1.0, 2.0, 3.0], requires_grad=True)
        y = t.tensor([0.5], requires_grad=True)
        (g,) = t.autograd.grad((x * x * y).sum(), [x])
        assert g.tolist() == [1.0, 2.0, 3.0] and x.grad is None and y.grad is None
    assert same_outcome(lambda t: t.autograd.grad(
        (t.ones(2, requires_grad=True) * 2).sum(), [t.ones(2, requires_grad=True)]))[0] == \
        "RuntimeError"


def test_backward_with_inputs_accumulates_only_there():
    got = []
    for t in (minigrad, torch):
        x = t.tensor([1.0, 2.0], requires_grad=True)
        y = t.tensor([3.0, 4.0], requires_grad=True)
        (x * y).sum().backward(inputs=[x])
        got.append((x.grad.tolist(), y.grad))
    assert got[0] == got[1]


@pytest.mark.parametrize("lib", LIBS)
def test_comparisons_work_in_if_and_while(lib):
    x = lib.tensor([1.0, -2.0], requires_grad=True)
    steps = 0
    while (x * 2 ** steps).abs().sum() < 20:  # a comparison drives the loop, as in lecture f(a)
        steps += 1
    assert steps == 3
    assert bool(x.sum() < 0) and not bool((x > 5).any()) and bool((x > -5).all())
    assert not (x > 0).requires_grad and (x > 0).dtype == lib.bool
    with pytest.raises(RuntimeError):
        bool(x > 0)


def test_max_min_with_dim_return_values_and_indices():
    x = np.array([[1.0, 5.0, 2.0], [7.0, 0.0, 7.0]])
    for name in ("max", "min"):
        got = getattr(minigrad.tensor(x), name)(1)
        want = getattr(torch.tensor(x), name)(1)
        assert got.values.tolist() == want.values.tolist()
        assert got.indices.tolist() == want.indices.tolist()
        assert got[1].tolist() == want[1].tolist()


def test_kink_conventions_equal_torch():
    """relu, abs, clamp, max and maximum at their kinks and ties give torch's gradients."""
    def program(t):
        x = t.tensor([0.0, 1.0, -1.0, 1.0], dtype=t.float64, requires_grad=True)
        y = (x.relu() + x.abs() + x.clamp(-1.0, 1.0) + t.maximum(x, t.zeros(4, dtype=t.float64))
             ).sum() + x.max() + x.norm() * 0 + (x * 0).norm()
        y.backward()
        return x.grad.tolist()

    assert program(minigrad) == program(torch)


def test_integer_index_tensors_pick_rows_like_torch():
    logits = np.random.default_rng(0).standard_normal((4, 3))
    labels = [2, 0, 1, 1]
    got = []
    for t in (minigrad, torch):
        p = t.tensor(logits, requires_grad=True)
        picked = p[t.arange(4), t.tensor(labels)]
        picked.sum().backward()
        got.append((picked.tolist(), p.grad.tolist()))
    assert got[0] == got[1]


@pytest.mark.parametrize("value", [1.5, [1.0, 2.0]])
def test_gradients_accumulate_in_place(value):
    """A second backward adds into the same .grad tensor and its memory, as torch does: a
    numpy view of x.grad taken before sees the sum."""
    for t in (minigrad, torch):
        x = t.tensor(value, requires_grad=True)
        (x * 3).sum().backward()
        held, view = x.grad, x.grad.numpy()
        (x * 3).sum().backward()
        assert x.grad is held
        np.testing.assert_array_equal(view, np.full(np.shape(value), 6.0), err_msg=str(t))


INF_NAN_PROGRAM = """
x = lib.tensor([0.0, -1.0, 1e30, 2.0], requires_grad=True)
y = x.log() + x.sqrt() + x * float("inf") + x.exp() + 1 / x + x ** 0.5 + (x * 1e30) ** 2
y.sum().backward()
out = (y.tolist(), x.grad.tolist())
"""


def test_inf_and_nan_arise_silently_as_in_torch():
    """Overflow, log 0, 0 * inf ... give torch's inf and nan, and no numpy warning, in a fresh
    interpreter with Python's default warning filters (what a student's notebook has)."""
    env: dict = {"lib": torch}
    exec(INF_NAN_PROGRAM, env)
    code = "import minigrad as lib\n" + INF_NAN_PROGRAM + "print(repr(out))"
    run = subprocess.run([sys.executable, "-W", "default", "-c", code], capture_output=True,
                         text=True, check=True)
    assert "Warning" not in run.stderr, run.stderr
    got = eval(run.stdout, {"nan": float("nan"), "inf": float("inf")})
    np.testing.assert_array_equal(np.array(got), np.array(env["out"]))
