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
            "backward adds into .grad: after two backward calls x.grad "
            "holds the sum of both gradients.",
            lambda c, e: (np.cos(c.args["x"]) * c.args["x"],),
        ),
        Wrong(
            "no_accumulation",
            "backward adds into .grad: the second call adds its gradient "
            "to what the first one left there.",
            lambda c, e: (2 * c.args["x"],),
        ),
        Wrong(
            "double_counting",
            "Each backward call adds its gradient once more: the first loss went back twice.",
            lambda c, e: (e[0] + 2 * c.args["x"],),
        ),
        Wrong(
            "product_rule",
            "x.detach() is a constant: no gradient flows through it, so the "
            "product rule has one term only.",
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
            "The factor v is missing: y.sum().backward() is backward(gradient=ones); "
            "backward(gradient=v) weights the gradient of output i by v[i].",
            lambda c, e: (c.args["A"].T @ _tanh_slope(c),),
        ),
        Wrong(
            "chain_rule",
            "tanh sits between A @ x and y: its slope 1 - y² multiplies v before Aᵀ does.",
            lambda c, e: (c.args["A"].T @ c.args["v"],),
        ),
        Wrong(
            "chain_rule",
            "The slope of tanh at u is 1 - tanh(u)², not tanh(u).",
            lambda c, e: (c.args["A"].T @ (c.args["v"] * np.tanh(c.args["A"] @ c.args["x"])),),
        ),
        Wrong(
            "wrong_shape",
            "That is the gradient with respect to u = A @ x (shape of y); x.grad has "
            "the shape of x: multiply by Aᵀ.",
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
            "Both results are dL2/dx: `g1 = x.grad` keeps a reference, not a copy, and "
            "zero_() and the next backward change that same tensor in place. Keep "
            "x.grad.clone() (or use autograd.grad).",
            lambda c, e: (e[1], e[1]),
        ),
        Wrong(
            "double_counting",
            "The second result still holds dL1/dx: backward adds into x.grad, so zero it "
            "(x.grad.zero_()) before the second backward.",
            lambda c, e: (e[0], e[0] + e[1]),
        ),
        Wrong(
            "double_counting",
            "Both results are dL1/dx + dL2/dx: copy the first gradient before the second "
            "backward and zero x.grad in between.",
            lambda c, e: (e[0] + e[1], e[0] + e[1]),
        ),
        Wrong(
            "order",
            "The two gradients are swapped: return (dL1/dx, dL2/dx) in that order.",
            lambda c, e: (e[1], e[0]),
        ),
        Wrong(
            "product_rule",
            "h * x depends on x through both factors: dL2/dx = h + x·(1 - h²).",
            lambda c, e: (e[0], np.tanh(c.args["x"])),
        ),
        Wrong(
            "product_rule",
            "h * x depends on x through both factors: dL2/dx = h + x·(1 - h²); "
            "a detached x drops the first term.",
            lambda c, e: (e[0], c.args["x"] * (1 - np.tanh(c.args["x"]) ** 2)),
        ),
    ),
)

QUESTIONS = (accumulated_grad, vjp_backward, retained_grads)
