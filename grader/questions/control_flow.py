"""Lesson 08, control flow: the lecture's `f(a)` (a while loop and an if), a piecewise
function on vector inputs, and a while loop of one's own (Newton's square root).  The
references run the same programs on torch."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..messages import text
from ..spec import Case, Outputs, Question, Verdict, Wrong, call, shapes_label
from .common import t64, torch

LESSON = "08_control_flow"


# ---- the lecture's f(a): its slope, predicted without autograd ------------------------------


def lecture_f(a: Any) -> Any:
    """The lecture's function for a scalar `a` (a float, or a 0-d torch tensor: for one
    number, b.norm() is abs(b) and b.sum() is b)."""
    b = a * 2
    while abs(b) < 1000:
        b = b * 2
    if b > 0:
        return b
    return 100 * b


def _away_from_kinks(a: float) -> bool:
    """|b| must not land near 1000, where one more or one less doubling happens."""
    if abs(a) < 1e-3:
        return False
    b = 2 * abs(a)
    while b < 1000:
        b *= 2
    return b > 1005


def _draw_slope(rng: np.random.Generator) -> list[Case]:
    cases = []
    for sign, low, high in (
        (1, 0.01, 400),
        (-1, 0.01, 400),
        (1, 0.3, 5),
        (-1, 0.3, 5),
        (1, 520, 900),
        (-1, 520, 900),
        (1, 1000, 5000),  # |a| >= 500: the loop body never runs
        (-1, 1000, 5000),
    ):
        a = 0.0
        while not _away_from_kinks(a):
            a = sign * float(np.exp(rng.uniform(np.log(low), np.log(high))))
        cases.append(Case(f"a={a:.6g}", {"a": a}))
    return cases


def _ref_slope(c: Case) -> tuple[np.ndarray]:
    a = t64(c.args["a"], requires_grad=True)
    lecture_f(a).backward()
    return (a.grad.numpy(),)


def _value(c: Case) -> float:
    return float(lecture_f(c.args["a"]))


lecture_f_slope = Question(
    id="lecture_f_slope",
    lesson=LESSON,
    points=2,
    by_hand=True,
    signature="lecture_f_slope(a)",
    task="dd/da of the lecture's d = f(a) at the float a, with numpy only (no autograd): "
    "the loop and the branch make f(a) = k·a with k fixed by the path taken",
    draw=_draw_slope,
    seconds=2.0,  # a loop that never ends is the mistake below, not a slow answer
    advice={"timeout": "lecture_f_slope.abs"},
    drive=call("a"),
    reference=_ref_slope,
    wrong=(
        Wrong(
            "chain_rule",
            "lecture_f_slope.chain_rule",
            lambda c, e: (np.asarray(_value(c)),),
        ),
        Wrong(
            "chain_rule",
            "lecture_f_slope.chain_rule2",
            lambda c, e: (np.asarray(2.0 if c.args["a"] > 0 else 200.0),),
        ),
        Wrong(
            "missing_factor",
            "lecture_f_slope.missing_factor",
            lambda c, e: (e[0] / 100 if c.args["a"] < 0 else e[0],),
        ),
        Wrong(
            "sign",
            "lecture_f_slope.sign",
            lambda c, e: (e[0] / 100 if c.args["a"] < 0 else e[0] * 100,),
        ),
        Wrong(
            "missing_factor",
            "lecture_f_slope.missing_factor2",
            lambda c, e: (e[0] / 2,),
        ),
        Wrong(
            "double_counting",
            "lecture_f_slope.double_counting",
            lambda c, e: (e[0] * 2,),
        ),
    ),
)


# ---- a piecewise function on vector inputs: the Huber loss ----------------------------------


def _draw_huber(rng: np.random.Generator) -> list[Case]:
    cases = []
    for shape in ((7,), (2, 5), (3, 4)):
        delta = float(rng.uniform(0.5, 1.5))
        x = rng.uniform(-3, 3, size=shape)
        inner = np.abs(x) <= delta
        while np.any(np.abs(np.abs(x) - delta) < 0.05) or inner.all() or not inner.any():
            x = rng.uniform(-3, 3, size=shape)
            inner = np.abs(x) <= delta
        cases.append(Case(shapes_label(x=x) + f", delta={delta:.3g}", {"x": x, "delta": delta}))
    return cases


def _ref_huber(c: Case) -> tuple[np.ndarray]:
    t = torch()
    x = t64(c.args["x"], requires_grad=True)
    loss = t.nn.functional.huber_loss(x, t.zeros_like(x), reduction="sum", delta=c.args["delta"])
    loss.backward()
    return (x.grad.numpy(),)


def _inner(c: Case) -> np.ndarray:
    return np.abs(c.args["x"]) <= c.args["delta"]


huber_grad = Question(
    id="huber_grad",
    lesson=LESSON,
    points=2,
    signature="huber_grad(x, delta)",
    task="with minigrad, the gradient of sum(h(x)) for the Huber function h(x) = x²/2 where "
    "|x| <= delta and delta·(|x| - delta/2) elsewhere, each entry taking its own piece",
    draw=_draw_huber,
    drive=call("x", "delta"),
    reference=_ref_huber,
    wrong=(
        Wrong(
            "sign",
            "huber_grad.sign",
            lambda c, e: (np.where(_inner(c), c.args["x"], c.args["delta"]),),
        ),
        Wrong(
            "chain_rule",
            "huber_grad.chain_rule",
            lambda c, e: (
                np.where(
                    _inner(c),
                    c.args["x"] ** 2 / 2,
                    c.args["delta"] * (np.abs(c.args["x"]) - c.args["delta"] / 2),
                ),
            ),
        ),
        Wrong(
            "missing_factor",
            "huber_grad.missing_factor",
            lambda c, e: (np.where(_inner(c), c.args["x"] / 2, e[0]),),
        ),
        Wrong(
            "wrong_shape",
            "huber_grad.wrong_shape",
            lambda c, e: (c.args["x"],),
        ),
        Wrong(
            "wrong_shape",
            "huber_grad.wrong_shape2",
            lambda c, e: (c.args["delta"] * np.sign(c.args["x"]),),
        ),
    ),
)


# ---- a while loop of one's own: Newton's iteration for the square root ----------------------


def _draw_sqrt(rng: np.random.Generator) -> list[Case]:
    return [
        Case(shapes_label(x=x), {"x": x})
        for x in (rng.uniform(0.3, 30, size=s) for s in ((4,), (2, 3), (5,)))
    ]


def _drive_sqrt(answer: Any, c: Case) -> tuple[Any, int]:
    """The gradient, and how many backward steps minigrad ran while the answer did: a right
    gradient without any is the closed form written down, not autograd through the loop."""
    from minigrad import counters

    with counters.count() as cost:
        (result,) = call("x")(answer, c)
    return result, cost.backward_ops


def _ref_sqrt(c: Case) -> tuple[np.ndarray, np.ndarray]:
    x = t64(c.args["x"], requires_grad=True)
    x.sqrt().sum().backward()
    return x.grad.numpy(), np.asarray(1.0)


def _judge_sqrt(c: Case, got: Outputs, expected: Outputs) -> Verdict | None:
    from ..judge import compare

    verdict = compare(newton_sqrt_grad, c, got[:1], expected[:1])
    if verdict is None and len(got) == 2 and got[1] == 0:
        return Verdict(text("refused.closed_form"), "wrong_method", text("method.through_the_loop"))
    return verdict


newton_sqrt_grad = Question(
    id="newton_sqrt_grad",
    lesson=LESSON,
    points=2,
    signature="newton_sqrt_grad(x)",
    task="with minigrad: y = sqrt(x) (x > 0) by Newton's iteration y <- (y + x/y)/2 in a while "
    "loop until max|y·y - x| < 1e-10; return the gradient of y.sum() w.r.t. x, through the loop",
    draw=_draw_sqrt,
    drive=_drive_sqrt,
    reference=_ref_sqrt,
    judge=_judge_sqrt,
    names=("gradient",),
    wrong=(
        Wrong(
            "chain_rule",
            "newton_sqrt_grad.chain_rule",
            lambda c, e: (np.sqrt(c.args["x"]),),
        ),
        Wrong(
            "chain_rule",
            "newton_sqrt_grad.chain_rule2",
            lambda c, e: (np.zeros_like(c.args["x"]),),
        ),
        Wrong(
            "double_counting",
            "newton_sqrt_grad.double_counting",
            lambda c, e: (1 / np.sqrt(c.args["x"]),),
        ),
        Wrong(
            "wrong_shape",
            "newton_sqrt_grad.wrong_shape",
            lambda c, e: (np.asarray(e[0].sum()),),
        ),
    ),
)

QUESTIONS = (lecture_f_slope, huber_grad, newton_sqrt_grad)
