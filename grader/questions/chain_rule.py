"""Lesson 01, the chain rule and matrix derivatives: examples 1 and 2 of the lecture and the
Jacobian of a linear map.  Solved by hand with numpy."""

from __future__ import annotations

import numpy as np

from ..messages import text
from ..spec import Case, Question, Wrong, call, shapes_label
from .common import grads, t64, torch

LESSON = "01_chain_rule"


def _draw_ex1(rng: np.random.Generator) -> list[Case]:
    cases = []
    for n in (3, 5, 1):
        x, w, y = rng.normal(size=n), rng.normal(size=n), float(rng.normal())
        label = text("label.y_float", "en", shapes=shapes_label(x=x, w=w))
        cases.append(Case(label, {"x": x, "w": w, "y": y}))
    return cases


def _ref_ex1(c: Case) -> tuple[np.ndarray, ...]:
    w = t64(c.args["w"], requires_grad=True)
    z = (torch().dot(t64(c.args["x"]), w) - c.args["y"]) ** 2
    return grads(z, w)


def _residual1(c: Case) -> float:
    return float(c.args["x"] @ c.args["w"] - c.args["y"])


grad_ex1 = Question(
    id="grad_ex1",
    lesson=LESSON,
    points=2,
    by_hand=True,
    signature="grad_ex1(x, w, y)",
    task="∂z/∂w of z = (<x,w> - y)², shape of w",
    draw=_draw_ex1,
    drive=call("x", "w", "y"),
    reference=_ref_ex1,
    wrong=(
        Wrong(
            "missing_factor",
            "grad_ex1.missing_factor",
            lambda c, e: (_residual1(c) * c.args["x"],),
        ),
        Wrong(
            "chain_rule",
            "grad_ex1.chain_rule",
            lambda c, e: (np.asarray(2 * _residual1(c)),),
        ),
        Wrong(
            "chain_rule",
            "grad_ex1.chain_rule2",
            lambda c, e: (2 * _residual1(c) * c.args["w"],),
        ),
        Wrong(
            "sign",
            "grad_ex1.sign",
            lambda c, e: (-2 * _residual1(c) * c.args["x"],),
        ),
    ),
)


def _draw_ex2(rng: np.random.Generator) -> list[Case]:
    cases = []
    for m, n in ((5, 3), (3, 4), (6, 2)):
        X, w, y = rng.normal(size=(m, n)), rng.normal(size=n), rng.normal(size=m)
        cases.append(Case(shapes_label(X=X, w=w, y=y), {"X": X, "w": w, "y": y}))
    return cases


def _ref_ex2(c: Case) -> tuple[np.ndarray, ...]:
    w = t64(c.args["w"], requires_grad=True)
    z = torch().linalg.vector_norm(t64(c.args["X"]) @ w - t64(c.args["y"])) ** 2
    return grads(z, w)


def _residual2(c: Case) -> np.ndarray:
    return c.args["X"] @ c.args["w"] - c.args["y"]


grad_ex2 = Question(
    id="grad_ex2",
    lesson=LESSON,
    points=2,
    by_hand=True,
    signature="grad_ex2(X, w, y)",
    task="∂z/∂w of z = ‖Xw - y‖², shape of w",
    draw=_draw_ex2,
    drive=call("X", "w", "y"),
    reference=_ref_ex2,
    wrong=(
        Wrong(
            "missing_factor",
            "grad_ex2.missing_factor",
            lambda c, e: (c.args["X"].T @ _residual2(c),),
        ),
        Wrong(
            "missing_factor",
            "grad_ex2.missing_factor2",
            lambda c, e: (e[0] / len(c.args["y"]),),
        ),
        Wrong(
            "chain_rule",
            "grad_ex2.chain_rule",
            lambda c, e: (2 * _residual2(c),),
        ),
        Wrong(
            "broadcast_not_reduced",
            "grad_ex2.broadcast_not_reduced",
            lambda c, e: (2 * c.args["X"] * _residual2(c)[:, None],),
        ),
        Wrong(
            "sign",
            "grad_ex2.sign",
            lambda c, e: (-2 * c.args["X"].T @ _residual2(c),),
        ),
    ),
)


def _draw_jac(rng: np.random.Generator) -> list[Case]:
    cases = []
    for m, n in ((4, 3), (2, 5), (3, 3)):
        A, x = rng.normal(size=(m, n)), rng.normal(size=n)
        cases.append(Case(shapes_label(A=A, x=x), {"A": A, "x": x}))
    return cases


def _ref_jac(c: Case) -> tuple[np.ndarray]:
    A = t64(c.args["A"])
    jac = torch().autograd.functional.jacobian(lambda x: A @ x, t64(c.args["x"]))
    return (jac.numpy(),)


jacobian_Ax = Question(
    id="jacobian_Ax",
    lesson=LESSON,
    points=2,
    by_hand=True,
    signature="jacobian_Ax(A, x)",
    task="∂(Ax)/∂x in numerator layout, shape (m, n)",
    draw=_draw_jac,
    drive=call("A", "x"),
    reference=_ref_jac,
    wrong=(
        Wrong(
            "transposed",
            "jacobian_Ax.transposed",
            lambda c, e: (c.args["A"].T,),
        ),
        Wrong(
            "wrong_shape",
            "jacobian_Ax.wrong_shape",
            lambda c, e: (c.args["A"] @ c.args["x"],),
        ),
        Wrong(
            "chain_rule",
            "jacobian_Ax.chain_rule",
            lambda c, e: (c.args["A"] * c.args["x"],),
        ),
    ),
)

QUESTIONS = (grad_ex1, grad_ex2, jacobian_Ax)
