"""Random autograd programs, and the one interpreter that runs them (tests/test_fuzz.py runs
each on minigrad and torch, tests/test_compile.py eagerly and through minigrad.compile).

A program is data: a few leaves, a list of steps (ops with broadcasting, reductions with
dim/keepdim, detach, no_grad blocks, if/while on tensor comparisons, in-place updates), then a
list of backward actions (scalar or with a gradient, retain_graph or not, zero_()).
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

SHAPES = [(), (3,), (2, 3), (1, 3), (2, 1), (4,)]
UNARY = ["sin", "tanh", "sigmoid", "exp_tanh", "square", "abs", "relu", "neg", "cos", "log1p2",
         "half", "index0"]
BINARY = ["add", "sub", "mul", "div", "maximum", "matmul", "where"]
REDUCE = ["sum", "mean", "max", "norm"]

idx = st.integers(0, 1_000)
step = st.one_of(
    st.tuples(st.just("unary"), st.sampled_from(UNARY), idx),
    st.tuples(st.just("binary"), st.sampled_from(BINARY), idx, idx),
    st.tuples(st.just("reduce"), st.sampled_from(REDUCE), idx,
              st.sampled_from([None, 0, -1, (0, 1)]), st.booleans()),
    st.tuples(st.just("detach"), idx),
    st.tuples(st.just("no_grad"), st.sampled_from(BINARY[:3]), idx, idx),
    st.tuples(st.just("if"), idx, idx, idx),
    st.tuples(st.just("while"), idx),
    st.tuples(st.just("inplace"), st.sampled_from(["+=", "*=", "-="]), idx, idx),
)
action = st.one_of(
    st.tuples(st.just("sum_backward"), idx, st.booleans()),
    st.tuples(st.just("backward_with_gradient"), idx, st.integers(0, 2**16), st.booleans()),
    st.tuples(st.just("plain_backward"), idx, st.booleans()),
    st.tuples(st.just("zero_grad")),
)
program = st.fixed_dictionaries({
    "leaves": st.lists(st.tuples(st.sampled_from(SHAPES), st.booleans()), min_size=1, max_size=3),
    "seed": st.integers(0, 2**32 - 1),
    "steps": st.lists(step, min_size=1, max_size=8),
    "actions": st.lists(action, min_size=1, max_size=4),
})


def unary(t, name, v):
    return {
        "sin": lambda: v.sin(), "tanh": lambda: v.tanh(), "sigmoid": lambda: v.sigmoid(),
        "exp_tanh": lambda: v.tanh().exp(), "square": lambda: v * v, "abs": lambda: v.abs(),
        "relu": lambda: v.relu(), "neg": lambda: -v, "cos": lambda: t.cos(v),
        "log1p2": lambda: (v * v + 1).log(), "half": lambda: 0.5 * v,
        "index0": lambda: v[0],
    }[name]()


def binary(t, name, a, b):
    return {
        "add": lambda: a + b, "sub": lambda: a - b, "mul": lambda: a * b,
        "div": lambda: a / (b * b + 1), "maximum": lambda: t.maximum(a, b),
        "matmul": lambda: a @ b, "where": lambda: t.where(a > b, a, b * 2),
    }[name]()


def reduce(name, v, dim, keepdim):
    if name == "max":
        return v.max() if dim is None else v.max(dim if isinstance(dim, int) else 0, keepdim)[0]
    if name == "norm":
        return v.norm(dim=dim, keepdim=keepdim)
    return getattr(v, name)(dim, keepdim=keepdim) if dim is not None else getattr(v, name)()


def make_leaves(t, prog):
    """The program's leaves in library ``t`` (float64, drawn from its seed)."""
    rng = np.random.default_rng(prog["seed"])
    return [t.tensor(rng.standard_normal(shape), dtype=t.float64, requires_grad=rg)
            for shape, rg in prog["leaves"]]


def build(t, prog, leaves):
    """Run the program's steps with library ``t`` from ``leaves``: every value, the leaves
    first, one per step after them (an error while building propagates)."""
    vs = list(leaves)

    def pick(i):
        return vs[i % len(vs)]

    for s in prog["steps"]:
        kind = s[0]
        if kind == "unary":
            vs.append(unary(t, s[1], pick(s[2])))
        elif kind == "binary":
            vs.append(binary(t, s[1], pick(s[2]), pick(s[3])))
        elif kind == "reduce":
            vs.append(reduce(s[1], pick(s[2]), s[3], s[4]))
        elif kind == "detach":
            vs.append(pick(s[1]).detach())
        elif kind == "no_grad":
            with t.no_grad():
                vs.append(binary(t, s[1], pick(s[2]), pick(s[3])))
        elif kind == "if":
            vs.append(pick(s[2]) * 2 if pick(s[1]).sum() > 0 else pick(s[3]) - 1)
        elif kind == "while":
            v, n = pick(s[1]), 0
            while v.abs().sum() < 10 and n < 5:
                v, n = v * 1.7, n + 1
            vs.append(v)
        elif kind == "inplace":
            v = pick(s[2]) * 1.0  # a non-leaf copy, updated in place
            other = pick(s[3])
            if s[1] == "+=":
                v += other
            elif s[1] == "*=":
                v *= other
            else:
                v -= other
            vs.append(v)
    return vs


def play(t, prog, leaves, target):
    """Run the program's backward actions (action k starts from ``target(index of k)``); the
    record of each: (action, exception type or None, a copy of every leaf's .grad or None)."""
    record = []
    for a in prog["actions"]:
        try:
            if a[0] == "sum_backward":
                target(a[1]).sum().backward(retain_graph=a[2])
            elif a[0] == "backward_with_gradient":
                v = target(a[1])
                g = np.random.default_rng(a[2]).standard_normal(tuple(v.shape))
                v.backward(t.tensor(g, dtype=t.float64), retain_graph=a[3])
            elif a[0] == "plain_backward":
                target(a[1]).backward(retain_graph=a[2])
            else:
                for leaf in leaves:
                    if leaf.grad is not None:
                        leaf.grad.zero_()
            error = None
        except Exception as e:  # noqa: BLE001 - an error is part of the record
            error = type(e).__name__
        grads = [None if leaf.grad is None else np.array(leaf.grad.detach().numpy())
                 for leaf in leaves]
        record.append((a[0], error, grads))
    return record
