"""Every PyTorch code block of lecture 07 runs unchanged with ``import minigrad as torch``.

Each block runs once with torch and once with minigrad, as in a Python prompt: the value of
every expression statement is printed.  The printed transcripts must be identical.
"""

from __future__ import annotations

import ast
import io
from contextlib import redirect_stdout

import numpy as np
import torch

import minigrad

# The lecture's code blocks, in order (the `>>>` prompts removed).
BLOCKS = [
    """
x = torch.arange(4.0)
x
""",
    """
x.requires_grad_(True)  # same as x = torch.arange(4.0, requires_grad=True)
x.grad  # None by default
""",
    """
y = 2 * torch.dot(x, x)
y
""",
    """
y.backward()
x.grad
""",
    """
x.grad == 4 * x
""",
    """
# PyTorch accumulates gradients by default: clear the previous value first
x.grad.zero_()
y = x.sum()
y.backward()
x.grad
""",
    """
x.grad.zero_()
y = x * x  # Hadamard product
# the same as y.backward(torch.ones(len(x)))
y.sum().backward()
x.grad
""",
    """
x.grad.zero_()
y = x * x
u = y.detach()  # treat y as a constant
z = u * x
z.sum().backward()
x.grad == u
""",
    """
x.grad.zero_()
y.sum().backward()
x.grad == 2 * x
""",
    """
def f(a):
    b = a * 2
    while b.norm() < 1000:
        b = b * 2
    if b.sum() > 0:
        c = b
    else:
        c = 100 * b
    return c

a = torch.randn(size=(), requires_grad=True)
d = f(a)
d.backward()
a.grad == d / a
""",
    # the non-scalar backward spelled out, and accumulation without zero_()
    """
x.grad.zero_()
y = x * x
y.backward(torch.ones(len(x)))
x.grad
y = x.sum()
y.backward()
x.grad
""",
]


def run_session(lib, randn_values):
    """Run all blocks in one namespace, as one session; return the transcript."""
    namespace = {"torch": lib}
    out = io.StringIO()
    with redirect_stdout(out):
        for block in BLOCKS:
            for stmt in ast.parse(block).body:
                if isinstance(stmt, ast.Expr):
                    code = compile(ast.Expression(stmt.value), "<lecture>", "eval")
                    value = eval(code, namespace)
                    if value is not None:
                        print(repr(value))
                else:
                    exec(compile(ast.Module([stmt], []), "<lecture>", "exec"), namespace)
    return out.getvalue(), namespace


def test_lecture_runs_unchanged_on_minigrad(monkeypatch):
    torch.manual_seed(0)
    want, torch_ns = run_session(torch, None)
    a = torch_ns["a"].item()
    # randn draws differ between the libraries: give minigrad torch's draw
    monkeypatch.setattr(minigrad, "randn",
                        lambda *s, **kw: minigrad.tensor(a, requires_grad=kw["requires_grad"]))
    got, mg_ns = run_session(minigrad, None)
    assert got == want
    assert "tensor([ 0.,  4.,  8., 12.])" in got
    assert "tensor(28., grad_fn=<MulBackward0>)" in got
    np.testing.assert_allclose(mg_ns["a"].grad.item(), torch_ns["a"].grad.item(), rtol=1e-6)


def test_control_flow_gradient_is_the_piecewise_slope():
    """d = k * a for a k fixed by the branches taken, so dd/da = d / a for any a."""
    for value in (0.3, -0.02, 5.0, -700.0):
        for lib in (minigrad, torch):
            a = lib.tensor(value, dtype=lib.float64, requires_grad=True)
            b = a * 2
            while b.norm() < 1000:
                b = b * 2
            d = b if b.sum() > 0 else 100 * b
            d.backward()
            np.testing.assert_allclose(a.grad.item(), d.item() / value, rtol=1e-12)
