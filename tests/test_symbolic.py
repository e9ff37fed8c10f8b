"""Define-then-run graphs: the lecture's examples give the values and gradients of eager
minigrad and of torch, and the symbolic gradient graph can be drawn and run.

Each function body is written once and runs eagerly (minigrad, torch) and symbolically.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch_check import assert_close

import minigrad
from minigrad import symbolic as sym
from minigrad.draw import draw

rng = np.random.default_rng(11)


def lib_of(*xs):
    return torch if any(isinstance(x, torch.Tensor) for x in xs) else minigrad


def example1(x, w, y):
    """z = (<x, w> - y)^2"""
    return (lib_of(x).dot(x, w) - y) ** 2


def example2(X, w, y):
    """z = ||Xw - y||^2"""
    return ((X @ w - y) ** 2).sum()


def baydin(x1, x2):
    """y = ln x1 + x1*x2 - sin x2"""
    lib = lib_of(x1)
    return lib.log(x1) + x1 * x2 - lib.sin(x2)


EXAMPLES = {
    "example1": (example1, {"x": rng.standard_normal(4), "w": rng.standard_normal(4),
                            "y": np.array(0.3)}),
    "example2": (example2, {"X": rng.standard_normal((5, 3)), "w": rng.standard_normal(3),
                            "y": rng.standard_normal(5)}),
    "baydin": (baydin, {"x1": np.array(2.0), "x2": np.array(5.0)}),
}


def eager(lib, f, values):
    xs = [lib.tensor(v, dtype=lib.float64, requires_grad=True) for v in values.values()]
    z = f(*xs)
    z.backward()
    return z, [x.grad for x in xs]


@pytest.mark.parametrize("name", EXAMPLES)
def test_lecture_examples_match_eager_minigrad_and_torch(name):
    f, values = EXAMPLES[name]
    holes = [sym.placeholder(k, np.shape(v)) for k, v in values.items()]
    z = sym.define(f, *holes)  # the same function body, now building a graph
    grads = sym.gradients(z, holes)
    got = sym.run([z, *grads], dict(zip(holes, values.values(), strict=True)))
    for lib in (minigrad, torch):
        want_z, want_grads = eager(lib, f, values)
        assert_close(got[0], want_z, f"{name}: value vs {lib.__name__}")
        for k, g, w in zip(values, got[1:], want_grads, strict=True):
            assert_close(g, w, f"{name}: d/d{k} vs {lib.__name__}")


def test_the_graph_runs_again_with_new_values_fed_by_name():
    x1, x2 = sym.placeholder("x1"), sym.placeholder("x2")
    y = sym.define(baydin, x1, x2)
    dy = sym.gradients(y, [x1, x2])
    for a, b in [(2.0, 5.0), (0.5, -1.0), (3.0, 0.25)]:
        value, d1, d2 = sym.run([y, *dy], {"x1": a, "x2": b})
        assert abs(value - (np.log(a) + a * b - np.sin(b))) < 1e-12
        assert abs(d1 - (1 / a + b)) < 1e-12 and abs(d2 - (a - np.cos(b))) < 1e-12


def test_the_gradient_graph_is_built_from_the_backward_rules_and_can_be_drawn(tmp_path):
    x1, x2 = sym.placeholder("x1"), sym.placeholder("x2")
    y = sym.define(baydin, x1, x2)
    d1, d2 = sym.gradients(y, [x1, x2])
    ops = {s.name for s in sym.nodes([d1, d2]) if s.kind == "op"}
    assert {"Div", "Cos"} <= ops  # Log.backward is g / x, Sin.backward is g * cos(x)
    assert x1 in sym.nodes(d1) and x2 in sym.nodes(d2)
    picture = draw([y, d1, d2])
    assert {"x1", "x2", "Div", "Cos", "Log", "Sin"} <= set(picture.names)
    picture.save(str(tmp_path / "gradient_graph.svg"))
    assert (tmp_path / "gradient_graph.svg").read_text().startswith("<svg")
    # second derivatives: the gradient graph is a graph like any other
    (d11,) = sym.gradients(d1, [x1])
    assert abs(sym.run(d11, {"x1": 2.0, "x2": 5.0}) - (-1 / 4)) < 1e-12


def test_nodes_come_in_topological_order_and_forward_nodes_are_shared():
    X, w, y = (sym.placeholder(n, s) for n, s in [("X", (5, 3)), ("w", (3,)), ("y", (5,))])
    z = sym.define(example2, X, w, y)
    (gw,) = sym.gradients(z, [w])
    order = sym.nodes(gw)
    position = {id(s): i for i, s in enumerate(order)}
    assert all(position[id(p)] < position[id(s)] for s in order for p in s.parents)
    forward = {id(s) for s in sym.nodes(z) if s.kind == "op"}
    assert forward & {id(s) for s in order}, "the gradient graph reuses forward nodes"


def test_operators_and_methods_on_symbols_build_the_same_graph():
    x1, x2 = sym.placeholder("x1"), sym.placeholder("x2")
    y = x1.log() + x1 * x2 - x2.sin()  # written directly on symbols, TF1 style
    assert abs(sym.run(y, {"x1": 2.0, "x2": 5.0}) - (np.log(2) + 10 - np.sin(5))) < 1e-12


def test_detach_stops_the_gradient_as_in_torch():
    values = rng.standard_normal(3)
    x = sym.placeholder("x", (3,))
    z = sym.define(lambda x: (x * x.detach()).sum(), x)
    (gx,) = sym.gradients(z, [x])
    t = torch.tensor(values, requires_grad=True)
    (t * t.detach()).sum().backward()
    assert_close(sym.run(gx, {x: values}), t.grad, "gradient through detach")


def test_value_dependent_control_flow_is_refused():
    x = sym.placeholder("x", (3,))
    with pytest.raises(RuntimeError, match="depends on the values"):
        sym.define(lambda x: x * 2 if x.sum() > 0 else x * 3, x)
    with pytest.raises(TypeError, match="control flow is fixed"):
        bool(x)


def test_feeding_mistakes_are_explained():
    x = sym.placeholder("x", (3,))
    y = sym.define(lambda x: x.exp(), x)
    with pytest.raises(ValueError, match="shape"):
        sym.run(y, {x: np.ones(4)})
    with pytest.raises(KeyError, match="x"):
        sym.run(y, {})
