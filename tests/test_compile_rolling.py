"""minigrad.compile writes a long run of identical steps as a loop (compiler/rolling.py).

The loop must compute what the straight-line code computes: random step functions (a state
carried from step to step, weights read by every step, constants), repeated, are compared
with eager minigrad bit for bit — values, gradients, with one output and with two — and the
generated source must actually hold the loop.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import minigrad
from minigrad.compiler.rolling import BATCHABLE

UNARY = {"sin": minigrad.sin, "cos": minigrad.cos, "tanh": minigrad.tanh,
         "exp": lambda v: (v * 0.1).exp(), "scale": lambda v: v * 0.9, "neg": lambda v: -v}
BINARY = {"mul": lambda a, b: a * b, "add": lambda a, b: a + b, "sub": lambda a, b: a - b}
SHAPES = [(), (3,), (2, 3)]

op = st.one_of(
    st.tuples(st.just("unary"), st.sampled_from(sorted(UNARY)), st.integers(0, 99)),
    st.tuples(st.just("binary"), st.sampled_from(sorted(BINARY)), st.integers(0, 99),
              st.integers(0, 99)))
steps = st.fixed_dictionaries({
    "shape": st.sampled_from(SHAPES),
    "state": st.integers(1, 3),  # values carried from step to step
    "weights": st.integers(0, 2),  # leaves every step reads
    "ops": st.lists(op, min_size=1, max_size=6),
    "repeat": st.integers(8, 24),
    "outputs": st.integers(1, 2),
})


def program(spec):
    n_state = spec["state"]

    def f(*leaves):
        state, weights = list(leaves[:n_state]), list(leaves[n_state:])
        for _ in range(spec["repeat"]):
            vals = state + weights
            for o in spec["ops"]:
                a = vals[o[2] % len(vals)]
                vals.append(UNARY[o[1]](a) if o[0] == "unary"
                            else BINARY[o[1]](a, vals[o[3] % len(vals)]))
            new = vals[len(state) + len(weights):]
            state = [minigrad.tanh(new[-1 - i % len(new)] + s) for i, s in enumerate(state)]
        outs = [state[0].sum() * 1.5, (state[-1] * state[-1]).sum()]
        return tuple(outs) if spec["outputs"] == 2 else outs[0]
    return f


def run(f, spec, dtype, seed=0):
    """The outputs, then each output's gradients (one backward per output: a compiled
    function has one node per output, and where two outputs share a path their gradients
    meet at the inputs, not on the path as eagerly: the same sum, rounded otherwise)."""
    rng = np.random.default_rng(seed)
    n = spec["state"] + spec["weights"]
    arrays = [rng.uniform(-1, 1, spec["shape"]).astype(dtype) for _ in range(n)]
    values, grads = [], []
    for k in range(spec["outputs"]):
        xs = [minigrad.tensor(a, requires_grad=True) for a in arrays]
        out = f(*xs)
        outs = out if isinstance(out, tuple) else (out,)
        outs[k].backward()
        values = [o.detach()._data for o in outs]
        grads += [None if x.grad is None else x.grad._data for x in xs]
    return values, grads


def same_as_eager(f, compiled, spec, dtype, seeds=(0,)):
    """The compiled function's outputs and gradients are eager minigrad's, bit for bit (a
    NaN's sign aside: numpy's scalar and array loops propagate different NaN operands)."""
    for seed in seeds:
        want_out, want_grad = run(f, spec, dtype, seed)
        got_out, got_grad = run(compiled, spec, dtype, seed)
        for a, b in zip(got_out + got_grad, want_out + want_grad):
            assert (a is None) == (b is None)
            if a is None:  # a weight that no step read
                continue
            assert a.dtype == b.dtype and a.shape == b.shape
            assert np.array_equal(a, b, equal_nan=True)
            numbers = ~np.isnan(a)
            assert np.array_equal(np.signbit(a[numbers]), np.signbit(b[numbers]))  # -0.0


def sources_like_eager(strategy, examples, dtype, seeds=(0,)):
    """Compile ``examples`` programs drawn from ``strategy``, check each against eager
    (``same_as_eager``), and return their generated sources."""
    sources = []

    @settings(max_examples=examples, deadline=None, derandomize=True,
              suppress_health_check=[HealthCheck.too_slow])
    @given(strategy)
    def check(spec):
        f = program(spec)
        compiled = minigrad.compile(f)
        same_as_eager(f, compiled, spec, dtype, seeds)
        sources.append(compiled.source)

    check()
    return sources


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_rolled_loops_are_bit_identical_to_eager(dtype):
    sources = sources_like_eager(steps, 120, dtype, seeds=(0, 1))  # (1: the cached code runs)
    rolled = sum("for " in source for source in sources)
    assert rolled >= 90, f"only {rolled} of 120 programs were rolled into a loop"


def test_the_lecture_chain_reads_as_its_loop():
    def chain(y):
        for _ in range(100):
            y = minigrad.sin(y) * 1.0001 + 0.1 * y
        return y

    f = minigrad.compile(chain)
    x = minigrad.tensor(np.linspace(0.1, 1, 5), requires_grad=True)
    f(x).sum().backward()
    forward, backward = f.source.split("def backward_0")
    assert "for _ in range(" in forward and ".append(" in forward
    assert "in reversed(" in backward  # the saved steps, read back last to first
    assert forward.count("np_sin(") == 1 and backward.count("np_cos(") <= 2
    want = x.grad._data.copy()
    x.grad = None
    chain(x).sum().backward()
    assert np.array_equal(want, x.grad._data)


def test_short_runs_stay_straight_line():
    def chain(y):
        for _ in range(5):
            y = minigrad.sin(y) * 2
        return y

    f = minigrad.compile(chain)
    f(minigrad.tensor([0.5, 1.0], requires_grad=True)).sum().backward()
    assert "for " not in f.source


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("ufunc", sorted(BATCHABLE, key=lambda u: u.__name__),
                         ids=lambda u: u.__name__)
def test_a_batchable_ufunc_gives_an_element_the_bits_it_gives_it_alone(ufunc, dtype):
    """What rolling.batched assumes of this machine's numpy: a ufunc computes the same bits for
    a value whether it is alone (a numpy scalar, as in a loop's step) or an element of an
    array (as when the steps are batched), over the whole range of the dtype."""
    rng = np.random.default_rng(7)
    tiny, huge = np.finfo(dtype).tiny, np.finfo(dtype).max
    magnitudes = np.exp(rng.uniform(np.log(tiny) - 20, np.log(huge), 3000))
    values = np.concatenate([rng.standard_normal(3000), rng.uniform(-1e5, 1e5, 1000),
                             magnitudes, -magnitudes, rng.uniform(-1, 1, 1000),
                             [0.0, -0.0, np.inf, -np.inf, np.nan, 1.0, -1.0]]).astype(dtype)
    others = rng.permutation(values)
    with np.errstate(all="ignore"):
        if ufunc.nin == 1:
            whole = ufunc(values)
            alone = np.array([ufunc(v) for v in values], dtype)
        else:
            whole = ufunc(values, others)
            alone = np.array([ufunc(v, w) for v, w in zip(values, others)], dtype)
    assert whole.dtype == dtype
    nan = np.isnan(whole)
    assert np.array_equal(nan, np.isnan(alone))
    assert whole[~nan].tobytes() == alone[~nan].tobytes()


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_a_scalar_chain_computes_its_backward_cos_for_all_steps_at_once(dtype):
    """The backward loop of a scalar chain reads cos(y) of every step: computed before the
    loop by one numpy call (rolling.batched), and still eager's gradient, bit for bit, in
    float32 as in float64 (where the loop runs on Python floats)."""
    def chain(y):
        for _ in range(200):
            y = minigrad.sin(y) * 1.0001 + 0.1 * y
        return y

    f = minigrad.compile(chain)
    grads = []
    for fn in (f, chain):
        x = minigrad.tensor(np.array(0.7, dtype), requires_grad=True)
        fn(x).backward(minigrad.tensor(np.array(-1.25, dtype)))
        grads.append(x.grad._data)
    assert grads[0].dtype == dtype and grads[0].tobytes() == grads[1].tobytes()
    backward = f.source.split("def backward_0")[1]
    before, loop = backward.split("\n    for ", 1)
    assert "np_cos(" in before and "np_cos(" not in loop


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_batched_backward_loops_of_scalar_programs_are_bit_identical_to_eager(dtype):
    """Random scalar step functions: their backward loops compute what they read only from
    saved values before the loop (rolling.batched), and still give eager's bits."""
    scalar_steps = steps.map(lambda spec: {**spec, "shape": (), "outputs": 1}).filter(
        lambda spec: any(o[1] in ("sin", "cos") for o in spec["ops"]))  # (their backward: a
    # cos or sin of a saved value)
    batched = sum("_all = " in source for source in sources_like_eager(scalar_steps, 60, dtype))
    assert batched >= 20, f"only {batched} of 60 programs batched a backward line"
