"""The code minigrad.compile generates: it frees what it no longer needs, as eager numpy code
would, and it reads as code wherever it is shown.

The backward pass of a chain of n steps needs the n values the forward pass saved and a few
temporaries per step; once a step is done its temporaries are garbage.  So the memory the
backward pass holds at its peak, beyond what the forward pass left, must not grow with n by
anything like one temporary per step.
"""

from __future__ import annotations

import re
import tracemalloc

import numpy as np
import pytest

import minigrad


def chain(y, n):
    for _ in range(n):
        y = minigrad.sin(y) * 1.0001 + 0.1 * y
    return y


def backward_peak(n: int, size: int = 1000) -> int:
    """Bytes the backward pass of the compiled n-step chain adds at its peak."""
    x = minigrad.tensor(np.linspace(0.1, 1.0, size, dtype=np.float32), requires_grad=True)
    g = minigrad.tensor(np.ones(size, dtype=np.float32))
    f = minigrad.compile(lambda y: chain(y, n))
    f(x).backward(g)  # traced and compiled outside the measurement
    x.grad = None
    y = f(x)
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        y.backward(g)
        return tracemalloc.get_traced_memory()[1] - base
    finally:
        tracemalloc.stop()


def test_the_backward_pass_frees_each_steps_temporaries():
    step_bytes = 1000 * 4  # one float32 temporary of the chain
    growth = (backward_peak(200) - backward_peak(50)) / 150
    # a few temporaries are alive at once whatever n is; none is kept per step
    assert growth < step_bytes / 4, f"the backward pass keeps {growth:.0f} bytes per step"


def test_the_source_shows_as_code_in_a_console_and_in_jupyter():
    f = minigrad.compile(lambda x: (x * x).sum())
    f(minigrad.tensor([1.0, 2.0], requires_grad=True)).backward()
    src = f.source
    assert isinstance(src, str) and "def forward(x, *, " in src
    assert repr(src) == str(src)  # a console shows the lines, not one quoted string
    assert src._repr_markdown_() == f"```python\n{src}\n```"  # Jupyter highlights it
    compile(src, "<generated>", "exec")  # and it is Python


SECOND_BACKWARD = {  # torch frees what a node saved; a node that saved nothing runs again
    "x[0]": lambda x: x[0], "x[0]*2": lambda x: x[0] * 2, "x.sum(0)": lambda x: x.sum(0),
    "x[[0, 1]]": lambda x: x[[0, 1]], "x.exp()[0]": lambda x: x.exp()[0],
    "x+1": lambda x: x + 1, "x/2": lambda x: x / 2, "x.t()": lambda x: x.t(),
    "x*x": lambda x: x * x, "x.mean()": lambda x: x.mean(),
}


@pytest.mark.parametrize("name", SECOND_BACKWARD)
def test_a_second_backward_runs_or_raises_as_in_torch(name):
    import torch

    body = SECOND_BACKWARD[name]
    outcomes = []
    for lib, f in ((torch, body), (minigrad, minigrad.compile(body))):
        x = lib.tensor(np.arange(6.0).reshape(2, 3), requires_grad=True)
        out = f(x)
        out.sum().backward()
        try:
            out.sum().backward()
            outcomes.append(("ran", x.grad.numpy().tolist()))
        except RuntimeError:
            outcomes.append(("raised", None))
    assert outcomes[0] == outcomes[1]


def test_maximum_and_minimum_get_their_output_by_name():
    # numpy 2.4 deprecates a third positional argument to np.maximum / np.minimum
    import warnings

    f = minigrad.compile(lambda x, y: minigrad.minimum(minigrad.maximum(x * 2, y * 3), x + 1))
    x, y = minigrad.tensor([1.0, -2.0, 3.0]), minigrad.tensor([0.5, 0.5, 0.5])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = f(x, y)
        out = f(x, y)
    assert "out=" in f.source
    np.testing.assert_array_equal(out.numpy(), np.minimum(np.maximum(x.numpy() * 2,
                                                                     y.numpy() * 3), x.numpy() + 1))


@pytest.mark.parametrize("x0", [0.7, 0.0, -0.0, 5e-324, 1e308, -np.inf, np.nan])
def test_float64_scalars_are_python_floats_with_numpys_results(x0):
    """One-element float64 values run as Python floats (passes.python_floats), and give eager
    minigrad's bits (signed zeros, subnormals, overflow and inf included; nan where it has
    nan); a division by zero gives inf or nan (Python's ``/`` would raise); a float64 scalar
    next to a float32 array promotes as eagerly."""
    def f(x, y, v):
        q = (x * 2.0 - y) / (x - x) + (x * x) * 1e10 - (-x) + x / 3.0
        return q * minigrad.sin(y) + x * y, (v * x + v).sum()

    def run(fn):
        x = minigrad.tensor(np.float64(x0), requires_grad=True)
        y = minigrad.tensor(np.float64(-1.25), requires_grad=True)
        v = minigrad.tensor(np.array([1.5, -2.0], np.float32), requires_grad=True)
        with np.errstate(all="ignore"):
            outs = fn(x, y, v)
            (outs[0] * 3.0 + outs[1]).backward()
        return [a._data for a in (*outs, x.grad, y.grad, v.grad)]

    compiled = minigrad.compile(f)
    for got, want in zip(run(compiled), run(f), strict=True):
        assert got.dtype == want.dtype and got.shape == want.shape
        nan = np.isnan(want)  # (a NaN's sign bit is not specified by IEEE: numpy's scalar
        assert np.array_equal(np.isnan(got), nan)  # and array loops set it differently)
        assert got[~nan].tobytes() == want[~nan].tobytes(), (got, want)  # -0.0 is not 0.0
    assert "float(" in compiled.source  # the path under test is taken


def test_a_gradient_leaves_the_compiled_code_as_numpys_type():
    """A Python float stays inside the generated code: the gradient it returns goes on to
    hooks and to eager rules, which read its shape and dtype."""
    def run(fn):
        a = minigrad.tensor(np.float64(0.5), requires_grad=True)
        x = a * 2.0  # a non-leaf input: its gradient goes on into the eager graph
        seen = []
        x.register_hook(lambda g: seen.append((g.shape, g.dtype, (g * 2).item())))
        fn(x).backward()
        return seen, a.grad.item()

    f = lambda x: minigrad.sin(x) * x * 3.0  # noqa: E731
    assert run(minigrad.compile(f)) == run(f)


def test_a_float64_scalar_chain_runs_on_python_floats_inside_its_loops():
    """In the rolled loops of a float64 scalar chain, numpy computes the forward's sin only:
    every + and * is Python's (a numpy call left in a loop body costs 0.4 us a step), and the
    backward's cos is computed for all steps before its loop (rolling.batched)."""
    x = minigrad.tensor(np.float64(0.3), requires_grad=True)
    f = minigrad.compile(lambda y: chain(y, 20))
    f(x).backward()
    loops = [line for line in f.source.splitlines() if line.startswith("        ")]
    assert len(loops) >= 4
    calls = {call for line in loops for call in re.findall(r"(np_\w+)\(", line)}
    assert calls == {"np_sin"}, loops
    assert "np_cos(" in f.source.split("def backward_0")[1]


@pytest.mark.parametrize("shape", [(), (3,)])
def test_values_named_like_pythons_builtins_do_not_hide_them(shape):
    """The generated code names values after the user's variables, and calls float, zip,
    reversed and range itself: a variable called ``float`` must not hide the builtin."""
    def f(float, range):
        for _ in [0] * 12:  # (range is an argument here)
            zip = minigrad.sin(float) * 2.0
            reversed = zip + range * 0.5
            float = reversed
        sum = float * float
        return sum.sum()

    results = []
    for fn in (minigrad.compile(f), f):
        a = minigrad.tensor(np.full(shape, 0.3), requires_grad=True)
        b = minigrad.tensor(np.full(shape, -0.7), requires_grad=True)
        out = fn(a, b)
        out.backward()
        results.append([out.detach()._data, a.grad._data, b.grad._data])
    for got, want in zip(*results):
        assert got.tobytes() == want.tobytes()
