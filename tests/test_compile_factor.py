"""minigrad.compile(fn, exact=False): the chain rule's sums with a common factor are factored.

The default (exact) code is bit-identical to eager minigrad (test_compile.py); the factored
code computes the same derivative in another order: checked against the derivative written
by hand in that order (to the bit), and, on random programs whose values are used several
times (so that gradients are sums of products), against eager minigrad within rounding.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import minigrad

A, B = 1.0001, 0.1


def chain(y, n):
    for _ in range(n):
        y = minigrad.sin(y) * A + B * y
    return y


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("shape", [(), (5,)])
def test_the_chain_gets_the_derivative_a_person_would_write(shape, dtype):
    x0 = np.linspace(0.1, 1.0, int(np.prod(shape))).astype(dtype).reshape(shape)
    g0 = np.random.default_rng(0).standard_normal(shape).astype(dtype)
    x = minigrad.tensor(x0, requires_grad=True)
    f = minigrad.compile(lambda y: chain(y, 6), exact=False)
    f(x).backward(minigrad.tensor(g0))
    # by hand: y_{k+1} = a sin(y_k) + b y_k, so dy_{k+1}/dy_k = b + a cos(y_k)
    a, b = dtype(A), dtype(B)
    ys = [x0]
    for _ in range(6):
        ys.append(np.sin(ys[-1]) * a + ys[-1] * b)
    g = g0
    for y in reversed(ys[:-1]):
        g = g * (b + a * np.cos(y))
    assert x.grad.dtype == minigrad.tensor(g).dtype and x.grad.shape == g.shape
    assert np.array_equal(x.grad._data, g)
    backward = f.source.split("def backward_0")[1]
    # per step: cos, a*cos, b+..., g*... : three operations on arrays, not four
    ops = sum(backward.count(op) for op in ("np_multiply(", "np_add(", " * ", " + "))
    assert ops == 3 * 6


def test_exact_stays_the_default_and_both_forms_decorate():
    @minigrad.compile
    def exact(y):
        return chain(y, 4)

    @minigrad.compile(exact=False)
    def factored(y):
        return chain(y, 4)

    x0 = np.linspace(0.1, 1.0, 7)
    grads = []
    for f in (exact, factored, lambda y: chain(y, 4)):
        x = minigrad.tensor(x0, requires_grad=True)
        f(x).sum().backward()
        grads.append(x.grad._data)
    assert np.array_equal(grads[0], grads[2])  # exact: eager minigrad's bits
    np.testing.assert_allclose(grads[1], grads[2], rtol=1e-14)
    assert exact.exact and not factored.exact
    with pytest.raises(TypeError, match="expected a function"):
        minigrad.compile(3)


# -- random programs whose values are reused: sums of products everywhere ---------------------

SHAPES = [(), (3,), (2, 3), (2, 1)]
UNARY = {"sin": minigrad.sin, "cos": minigrad.cos, "tanh": minigrad.tanh,
         "scale": lambda v: v * 0.7, "same": lambda v: v}
BINARY = {"mul": lambda a, b: a * b, "add": lambda a, b: a + b, "sub": lambda a, b: a - b}

# a step combines earlier values (picked by index, modulo how many there are); a "fork"
# sends one value down two paths and joins them, as the lecture's chain does
fork = st.tuples(st.just("fork"), st.sampled_from(["add", "sub"]), st.integers(0, 99),
                st.sampled_from(sorted(UNARY)), st.sampled_from(sorted(UNARY)),
                st.integers(0, 99))
step = st.one_of(
    st.tuples(st.just("unary"), st.sampled_from(sorted(UNARY)), st.integers(0, 99)),
    st.tuples(st.just("binary"), st.sampled_from(sorted(BINARY)), st.integers(0, 99),
              st.integers(0, 99)),
    fork, fork)  # (twice: half the steps)
programs = st.tuples(st.lists(st.sampled_from(SHAPES), min_size=1, max_size=3),
                     st.lists(step, min_size=1, max_size=12))


def _body(steps):
    def f(*leaves):
        vals = list(leaves)
        for s in steps:
            pick = vals[s[2] % len(vals)]
            if s[0] == "unary":
                vals.append(UNARY[s[1]](pick))
            elif s[0] == "binary":
                vals.append(BINARY[s[1]](pick, vals[s[3] % len(vals)]))
            else:  # join(u(v) * w, u'(v)): the paths' gradients share their upstream factor
                left = UNARY[s[3]](pick) * vals[s[5] % len(vals)]
                vals.append(BINARY[s[1]](left, UNARY[s[4]](pick)))
        return (vals[-1] * 1.5).sum()
    return f


def _grads(f, shapes, dtype):
    rng = np.random.default_rng(1)
    xs = [minigrad.tensor(rng.uniform(-1, 1, s).astype(dtype), requires_grad=True)
          for s in shapes]
    f(*xs).backward()
    return [None if x.grad is None else x.grad._data for x in xs]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_random_programs_factored_stay_within_rounding_of_eager(dtype):
    factored = [0]

    @settings(max_examples=150, deadline=None, derandomize=True,
              suppress_health_check=[HealthCheck.too_slow])
    @given(programs)
    def check(prog):
        shapes, steps = prog
        f = _body(steps)
        want = _grads(f, shapes, dtype)
        exact, loose = minigrad.compile(f), minigrad.compile(f, exact=False)
        for compiled in (exact, loose):
            got = _grads(compiled, shapes, dtype)
            for a, b in zip(got, want):
                assert (a is None) == (b is None)
                if a is None:
                    continue
                assert a.dtype == b.dtype and a.shape == b.shape
                if compiled is exact:
                    assert np.array_equal(a, b)
                else:
                    scale = max(1.0, float(np.abs(b).max()))
                    np.testing.assert_allclose(a, b, rtol=0, atol=scale * (
                        2e-5 if dtype == np.float32 else 1e-13))
        factored[0] += exact.source != loose.source

    check()
    assert factored[0] >= 20, f"only {factored[0]} of 150 programs had a sum to factor"
