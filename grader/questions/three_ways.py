"""Lesson 02, three ways to differentiate: the central finite difference, a symbolic
differentiator over formulas given as data, and a numerical JVP.  Solved by hand.

The student's function receives `f` built with numpy from plain data drawn in the parent;
the driver counts the calls, since the catalog asks for exactly 2·x.size of them (2 for the
JVP).  A formula's derivative comes back as a formula; the driver evaluates it at the case's
points, so any correct form passes, simplified or not."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..spec import Case, Question, Wrong, shapes_label, unchanged
from . import expressions as ex
from .common import draw_scalar_fn, draw_vector_fn, grads, scalar_fn, t64, torch, vector_fn

LESSON = "02_three_ways"


def _draw(rng: np.random.Generator) -> list[Case]:
    cases = []
    for shape, h, rtol in (((3,), 1e-4, 1e-6), ((2, 3), 1e-4, 1e-6), ((4,), 1e-3, 2e-5)):
        x = rng.uniform(-1, 1, size=shape)
        f = draw_scalar_fn(rng, x.size)
        cases.append(
            Case(shapes_label(x=x) + f", h={h:g}", {"f": f, "x": x, "h": h}, rtol=rtol, atol=1e-9)
        )
    return cases


def _drive(answer: Any, c: Case) -> tuple[Any, int]:
    f, calls = scalar_fn(c.args["f"], np), [0]

    def counted(x: Any) -> float:
        calls[0] += 1
        return float(f(np.asarray(x, dtype=np.float64)))

    x = c.args["x"].copy()
    result = answer(counted, x, h=c.args["h"])
    unchanged(["x"], [x], c)
    return result, calls[0]


def _reference(c: Case) -> tuple[np.ndarray, np.ndarray]:
    x = t64(c.args["x"], requires_grad=True)
    (g,) = grads(scalar_fn(c.args["f"], torch())(x), x)
    return g, np.asarray(2.0 * x.numel())


def _difference(c: Case, left: float, right: float, divide: float) -> tuple[np.ndarray, None]:
    """(f(x + right·h·e_i) - f(x + left·h·e_i)) / (divide·h) for every i: a known variant."""
    f, x, h = scalar_fn(c.args["f"], np), c.args["x"], c.args["h"]
    out = np.empty(x.size)
    for i in range(x.size):
        e = np.zeros(x.size)
        e[i] = h
        out[i] = (f(x.ravel() + right * e) - f(x.ravel() + left * e)) / (divide * h)
    return out.reshape(x.shape), None  # None: whatever number of calls


central_difference = Question(
    id="central_difference",
    lesson=LESSON,
    points=2,
    by_hand=True,
    signature="central_difference(f, x, h=1e-6)",
    task="gradient of scalar f at x by central differences, shape of x, 2·x.size calls of f",
    draw=_draw,
    drive=_drive,
    reference=_reference,
    names=("gradient", "calls of f"),
    relative=True,
    advice={
        "wrong_shape": "central_difference.any_shape",
        "broadcast_not_reduced": "central_difference.any_shape",
    },
    wrong=(
        Wrong(
            "forward_difference",
            "central_difference.forward_difference",
            lambda c, e: _difference(c, 0, 1, 1),
        ),
        Wrong(
            "forward_difference",
            "central_difference.forward_difference2",
            lambda c, e: _difference(c, -1, 0, 1),
        ),
        Wrong(
            "missing_factor",
            "central_difference.missing_factor",
            lambda c, e: _difference(c, -1, 1, 1),
        ),
        Wrong(
            "sign",
            "central_difference.sign",
            lambda c, e: _difference(c, 1, -1, 2),
        ),
    ),
)

# ---- the symbolic route: a tiny differentiator over formulas-as-data ---------------------------


def _draw_formulas(rng: np.random.Generator) -> list[Case]:
    """Four formulas, each leaning on other rules: product and chain; quotient and power;
    the minus signs of cos and of subtraction, and log; then a random one."""
    p = ex.piece
    k, c = int(rng.integers(2, 4)), float(round(rng.uniform(0.5, 2.0), 1))
    square = p(rng)
    formulas = [
        ("mul", p(rng), ("sin", p(rng))),
        ("div", ("pow", p(rng), k), ("add", ("exp", p(rng)), c)),
        ("sub", ("cos", p(rng)), ("log", ("add", ("mul", square, square), c))),
    ]
    x = np.sort(rng.uniform(-1.5, 1.5, size=7))
    while True:  # a random formula that is finite, with no division by ~0, at the points
        e = ex.random_expression(rng, 3)
        if isinstance(e, tuple) and ex.well_behaved(e, x):
            break
    formulas.append(e)
    return [Case(f"f(x) = {ex.show(f)}", {"e": f, "x": x}) for f in formulas]


def _drive_formula(derivative: Any, c: Case) -> tuple[np.ndarray]:
    return (ex.evaluate(derivative(c.args["e"]), c.args["x"]),)


def _ref_formula(c: Case) -> tuple[np.ndarray, ...]:
    x = t64(c.args["x"], requires_grad=True)
    return grads(ex.evaluate(c.args["e"], x, torch()).sum(), x)


def _slip(name: str) -> Any:
    return lambda c, e: (ex.evaluate(ex.differentiate(c.args["e"], name), c.args["x"]),)


derivative = Question(
    id="derivative",
    lesson=LESSON,
    points=3,
    by_hand=True,
    signature="derivative(e)",
    task="d e/dx of a formula e given as data (a number, 'x', or (op, *arguments)), "
    "returned as a formula in the same format",
    draw=_draw_formulas,
    drive=_drive_formula,
    reference=_ref_formula,
    names=("derivative at the points",),
    wrong=(
        Wrong(
            "product_rule",
            "derivative.product_rule",
            _slip("product"),
        ),
        Wrong(
            "chain_rule",
            "derivative.chain_rule",
            _slip("chain"),
        ),
        Wrong(
            "sign",
            "derivative.sign",
            _slip("cos"),
        ),
        Wrong(
            "sign",
            "derivative.sign2",
            _slip("quotient"),
        ),
        Wrong("missing_factor", "derivative.missing_factor", _slip("power")),
        Wrong("sign", "derivative.sign3", _slip("sub")),
    ),
)


# ---- numerical differentiation along a direction: a JVP from two calls of f ---------------------


def _draw_jvp(rng: np.random.Generator) -> list[Case]:
    cases = []
    for n, m, h, rtol in ((3, 4, 1e-4, 1e-6), (5, 2, 1e-4, 1e-6), (2, 3, 1e-3, 2e-5)):
        x, v = rng.uniform(-1, 1, size=n), rng.normal(size=n)
        f = draw_vector_fn(rng, n, m)
        label = shapes_label(x=x, v=v) + f", f: ({n},) -> ({m},), h={h:g}"
        cases.append(Case(label, {"f": f, "x": x, "v": v, "h": h}, rtol=rtol, atol=1e-9))
    return cases


def _drive_jvp(answer: Any, c: Case) -> tuple[Any, int]:
    f, calls = vector_fn(c.args["f"], np), [0]

    def counted(x: Any) -> np.ndarray:
        calls[0] += 1
        return np.asarray(f(np.asarray(x, dtype=np.float64)), dtype=np.float64)

    x, v = c.args["x"].copy(), c.args["v"].copy()
    result = answer(counted, x, v, h=c.args["h"])
    unchanged(["x", "v"], [x, v], c)
    return result, calls[0]


def _ref_jvp(c: Case) -> tuple[np.ndarray, np.ndarray]:
    f = vector_fn(c.args["f"], torch())
    _, tangent = torch().func.jvp(f, (t64(c.args["x"]),), (t64(c.args["v"]),))
    return tangent.numpy(), np.asarray(2.0)


def _along(c: Case, left: float, right: float, divide: float, unit: bool = False) -> tuple:
    """(f(x + right·h·v) - f(x + left·h·v)) / (divide·h): a known variant."""
    f, x, v, h = vector_fn(c.args["f"], np), c.args["x"], c.args["v"], c.args["h"]
    v = v / np.linalg.norm(v) if unit else v
    return (f(x + right * h * v) - f(x + left * h * v)) / (divide * h), None


numerical_jvp = Question(
    id="numerical_jvp",
    lesson=LESSON,
    points=2,
    by_hand=True,
    signature="numerical_jvp(f, x, v, h=1e-6)",
    task="the JVP J·v of f: (n,) -> (m,) at the primal x along the tangent v, by one central "
    "difference along v: shape (m,), exactly 2 calls of f",
    draw=_draw_jvp,
    drive=_drive_jvp,
    reference=_ref_jvp,
    names=("J·v", "calls of f"),
    relative=True,
    wrong=(
        Wrong(
            "forward_difference",
            "numerical_jvp.forward_difference",
            lambda c, e: _along(c, 0, 1, 1),
        ),
        Wrong(
            "forward_difference",
            "numerical_jvp.forward_difference2",
            lambda c, e: _along(c, -1, 0, 1),
        ),
        Wrong(
            "missing_factor",
            "numerical_jvp.missing_factor",
            lambda c, e: _along(c, -1, 1, 1),
        ),
        Wrong(
            "sign",
            "numerical_jvp.sign",
            lambda c, e: _along(c, 1, -1, 2),
        ),
        Wrong(
            "missing_factor",
            "numerical_jvp.missing_factor2",
            lambda c, e: _along(c, -1, 1, 2, unit=True),
        ),
    ),
)

QUESTIONS = (central_difference, derivative, numerical_jvp)
