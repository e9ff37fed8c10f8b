"""Lesson 07, autograd in practice: semantics (accumulation into `.grad`, `detach`,
`backward(gradient=...)`, `retain_graph`).  The expected behaviour is not written down here:
the reference runs the same steps on torch."""

from __future__ import annotations

import numpy as np

from ..spec import Case, Question, Wrong, call, shapes_label
from .common import t64

LESSON = "07_autograd_in_practice"


def _draw(rng: np.random.Generator) -> list[Case]:
    return [
        Case(shapes_label(x=x), {"x": x})
        for x in (rng.uniform(-2, 2, size=4), rng.uniform(-2, 2, size=(2, 3)))
    ]


def _reference(c: Case) -> tuple[np.ndarray]:
    """The steps of the exercise, run on torch."""
    x = t64(c.args["x"], requires_grad=True)
    (x * x).sum().backward()
    (x.sin() * x.detach()).sum().backward()
    return (x.grad.numpy(),)


accumulated_grad = Question(
    id="accumulated_grad",
    lesson=LESSON,
    points=2,
    signature="accumulated_grad(x)",
    task="with minigrad: make x a float64 leaf that requires grad, call backward on "
    "(x*x).sum() and then on (x.sin() * x.detach()).sum() without zeroing, return x.grad",
    draw=_draw,
    drive=call("x"),
    reference=_reference,
    wrong=(
        Wrong(
            "no_accumulation",
            "accumulated_grad.no_accumulation",
            lambda c, e: (np.cos(c.args["x"]) * c.args["x"],),
        ),
        Wrong(
            "no_accumulation",
            "accumulated_grad.no_accumulation2",
            lambda c, e: (2 * c.args["x"],),
        ),
        Wrong(
            "double_counting",
            "accumulated_grad.double_counting",
            lambda c, e: (e[0] + 2 * c.args["x"],),
        ),
        Wrong(
            "product_rule",
            "accumulated_grad.product_rule",
            lambda c, e: (e[0] + np.sin(c.args["x"]),),
        ),
    ),
)

# ---- non-scalar backward: backward(gradient=v) is a vector-Jacobian product -----------------


def _draw_vjp(rng: np.random.Generator) -> list[Case]:
    cases = []
    for m, n in ((4, 3), (2, 5), (3, 3)):
        A, x, v = rng.normal(size=(m, n)) / np.sqrt(n), rng.uniform(-1, 1, n), rng.normal(size=m)
        cases.append(Case(shapes_label(A=A, x=x, v=v), {"A": A, "x": x, "v": v}))
    return cases


def _ref_vjp(c: Case) -> tuple[np.ndarray]:
    """The steps of the exercise, run on torch."""
    x = t64(c.args["x"], requires_grad=True)
    y = (t64(c.args["A"]) @ x).tanh()
    y.backward(t64(c.args["v"]))
    return (x.grad.numpy(),)


def _tanh_slope(c: Case) -> np.ndarray:
    return 1 - np.tanh(c.args["A"] @ c.args["x"]) ** 2


vjp_backward = Question(
    id="vjp_backward",
    lesson=LESSON,
    points=2,
    signature="vjp_backward(A, x, v)",
    task="with minigrad: y = (A @ x).tanh() (a vector), call y.backward(gradient=v), return "
    "x.grad (the vector-Jacobian product vᵀJ, shape of x)",
    draw=_draw_vjp,
    drive=call("A", "x", "v"),
    reference=_ref_vjp,
    wrong=(
        Wrong(
            "missing_factor",
            "vjp_backward.missing_factor",
            lambda c, e: (c.args["A"].T @ _tanh_slope(c),),
        ),
        Wrong(
            "chain_rule",
            "vjp_backward.chain_rule",
            lambda c, e: (c.args["A"].T @ c.args["v"],),
        ),
        Wrong(
            "chain_rule",
            "vjp_backward.chain_rule2",
            lambda c, e: (c.args["A"].T @ (c.args["v"] * np.tanh(c.args["A"] @ c.args["x"])),),
        ),
        Wrong(
            "wrong_shape",
            "vjp_backward.wrong_shape",
            lambda c, e: (c.args["v"] * _tanh_slope(c),),
        ),
    ),
)


# ---- retain_graph: two losses, one forward pass, two separate gradients --------------------


def _ref_retained(c: Case) -> tuple[np.ndarray, np.ndarray]:
    """The steps of the exercise, run on torch."""
    x = t64(c.args["x"], requires_grad=True)
    h = x.tanh()
    (h * h).sum().backward(retain_graph=True)
    first = x.grad.clone()
    x.grad.zero_()
    (h * x).sum().backward()
    return first.numpy(), x.grad.numpy()


retained_grads = Question(
    id="retained_grads",
    lesson=LESSON,
    points=2,
    signature="retained_grads(x)",
    task="with minigrad, ONE forward pass h = x.tanh(), L1 = (h*h).sum(), L2 = (h*x).sum(); "
    "backward L1, then L2 through the same graph; return (dL1/dx, dL2/dx) as two arrays",
    draw=_draw,
    drive=call("x", outputs=2),
    reference=_ref_retained,
    names=("dL1/dx", "dL2/dx"),
    wrong=(
        Wrong(
            "order",
            "retained_grads.order",
            lambda c, e: (e[1], e[1]),
        ),
        Wrong(
            "double_counting",
            "retained_grads.double_counting",
            lambda c, e: (e[0], e[0] + e[1]),
        ),
        Wrong(
            "double_counting",
            "retained_grads.double_counting2",
            lambda c, e: (e[0] + e[1], e[0] + e[1]),
        ),
        Wrong(
            "order",
            "retained_grads.order2",
            lambda c, e: (e[1], e[0]),
        ),
        Wrong(
            "product_rule",
            "retained_grads.product_rule",
            lambda c, e: (e[0], np.tanh(c.args["x"])),
        ),
        Wrong(
            "product_rule",
            "retained_grads.product_rule2",
            lambda c, e: (e[0], c.args["x"] * (1 - np.tanh(c.args["x"]) ** 2)),
        ),
    ),
)

QUESTIONS = (accumulated_grad, vjp_backward, retained_grads)
