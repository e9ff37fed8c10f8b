"""Lesson 05, reverse mode: the backward rules of an engine, by hand with numpy.  Every
upstream gradient `grad_out` is random (not ones), so sums cannot hide transposes or signs."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..messages import text
from ..spec import Case, Question, Wrong, call, shapes_label
from .common import grads, t64

LESSON = "05_reverse_mode"


def _sum_to(a: np.ndarray, shape: tuple[int, ...], keepdims: bool = True) -> np.ndarray:
    """A correct un-broadcast, used to build the known mistakes around it."""
    lead = a.ndim - len(shape)
    a = a.sum(axis=tuple(range(lead))) if lead else a
    axes = tuple(i for i, s in enumerate(shape) if s == 1 and a.shape[i] != 1)
    return a.sum(axis=axes, keepdims=keepdims) if axes else a


# ---- unbroadcast(grad, shape) ----------------------------------------------------------------


def _draw_unbroadcast(rng: np.random.Generator) -> list[Case]:
    pairs = [
        ((4, 3), (3,)),
        ((4, 3), (4, 1)),
        ((2, 3, 4), (3, 1)),
        ((2, 3), (2, 3)),
        ((5,), ()),
        ((2, 4, 3, 2), (4, 1, 1)),
    ]
    return [
        Case(text("label.unbroadcast", "en", grad=g, shape=shape),
             {"grad": rng.normal(size=g), "shape": shape})
        for g, shape in pairs
    ]


def _ref_unbroadcast(c: Case) -> tuple[np.ndarray, ...]:
    x = t64(np.zeros(c.args["shape"]), requires_grad=True)
    y = x.expand(tuple(c.args["grad"].shape))
    return grads(y, x, grad_output=c.args["grad"])


unbroadcast = Question(
    id="unbroadcast",
    lesson=LESSON,
    points=2,
    by_hand=True,
    signature="unbroadcast(grad, shape)",
    task="grad summed down to shape (the inverse of numpy broadcasting)",
    draw=_draw_unbroadcast,
    drive=call("grad", "shape"),
    reference=_ref_unbroadcast,
    wrong=(
        Wrong(
            "broadcast_not_reduced",
            "unbroadcast.broadcast_not_reduced",
            lambda c, e: (c.args["grad"],),
        ),
        Wrong(
            "broadcast_not_reduced",
            "unbroadcast.broadcast_not_reduced2",
            lambda c, e: (
                c.args["grad"].sum(axis=tuple(range(c.args["grad"].ndim - len(c.args["shape"])))),
            ),
        ),
        Wrong(
            "wrong_shape",
            "unbroadcast.wrong_shape",
            lambda c, e: (_sum_to(c.args["grad"], c.args["shape"], False),),
        ),
        Wrong(
            "missing_factor",
            "unbroadcast.missing_factor",
            lambda c, e: (e[0] * np.prod(c.args["shape"]) / c.args["grad"].size,),
        ),
    ),
)


# ---- mul_backward(grad_out, x, y) ------------------------------------------------------------


def _draw_mul(rng: np.random.Generator) -> list[Case]:
    cases = []
    for xs, ys in (((3, 4), (4,)), ((2, 1, 3), (4, 1)), ((2, 3), (2, 3)), ((), (3, 2))):
        x, y = rng.normal(size=xs), rng.normal(size=ys)
        grad_out = rng.normal(size=np.broadcast_shapes(xs, ys))
        cases.append(
            Case(shapes_label(grad_out=grad_out, x=x, y=y), {"grad_out": grad_out, "x": x, "y": y})
        )
    return cases


def _ref_mul(c: Case) -> tuple[np.ndarray, ...]:
    x, y = t64(c.args["x"], True), t64(c.args["y"], True)
    return grads(x * y, x, y, grad_output=c.args["grad_out"])


def _mul_variant(gx: Any, gy: Any, reduce: bool = True) -> Any:
    """A known mistake given as the un-reduced gradients of x and y."""

    def output(c: Case, e: Any) -> tuple[np.ndarray, np.ndarray]:
        g, x, y = c.args["grad_out"], c.args["x"], c.args["y"]
        a, b = gx(g, x, y), gy(g, x, y)
        if not reduce:
            return a, b
        return _sum_to(a, x.shape).reshape(x.shape), _sum_to(b, y.shape).reshape(y.shape)

    return output


mul_backward = Question(
    id="mul_backward",
    lesson=LESSON,
    points=2,
    by_hand=True,
    signature="mul_backward(grad_out, x, y)",
    task="(grad_x, grad_y) for x*y with broadcasting, each shaped like its input",
    draw=_draw_mul,
    drive=call("grad_out", "x", "y", outputs=2),
    reference=_ref_mul,
    names=("grad_x", "grad_y"),
    wrong=(
        Wrong(
            "broadcast_not_reduced",
            "mul_backward.broadcast_not_reduced",
            _mul_variant(lambda g, x, y: g * y, lambda g, x, y: g * x, reduce=False),
        ),
        Wrong(
            "product_rule",
            "mul_backward.product_rule",
            _mul_variant(lambda g, x, y: g * x, lambda g, x, y: g * y),
        ),
        Wrong(
            "chain_rule",
            "mul_backward.chain_rule",
            _mul_variant(
                lambda g, x, y: np.broadcast_to(y, g.shape),
                lambda g, x, y: np.broadcast_to(x, g.shape),
            ),
        ),
        Wrong(
            "order",
            "mul_backward.order",
            lambda c, e: (e[1], e[0]),
        ),
    ),
)


# ---- matmul_backward(grad_out, A, B) ---------------------------------------------------------


def _draw_matmul(rng: np.random.Generator) -> list[Case]:
    cases = []
    for m, k, n in ((3, 4, 2), (2, 5, 3), (4, 2, 4)):
        A, B, grad_out = rng.normal(size=(m, k)), rng.normal(size=(k, n)), rng.normal(size=(m, n))
        cases.append(
            Case(shapes_label(grad_out=grad_out, A=A, B=B), {"grad_out": grad_out, "A": A, "B": B})
        )
    return cases


def _ref_matmul(c: Case) -> tuple[np.ndarray, ...]:
    A, B = t64(c.args["A"], True), t64(c.args["B"], True)
    return grads(A @ B, A, B, grad_output=c.args["grad_out"])


matmul_backward = Question(
    id="matmul_backward",
    lesson=LESSON,
    points=2,
    by_hand=True,
    signature="matmul_backward(grad_out, A, B)",
    task="(grad_A, grad_B) for 2-D A @ B",
    draw=_draw_matmul,
    drive=call("grad_out", "A", "B", outputs=2),
    reference=_ref_matmul,
    names=("grad_A", "grad_B"),
    wrong=(
        Wrong(
            "transposed",
            "matmul_backward.transposed",
            lambda c, e: (e[0].T, e[1].T),
        ),
        Wrong(
            "order",
            "matmul_backward.order",
            lambda c, e: (e[1], e[0]),
        ),
        Wrong(
            "chain_rule",
            "matmul_backward.chain_rule",
            lambda c, e: (
                np.ones_like(c.args["grad_out"]) @ c.args["B"].T,
                c.args["A"].T @ np.ones_like(c.args["grad_out"]),
            ),
        ),
    ),
)


# ---- sum_backward(grad_out, x_shape, dim=None, keepdim=False) ----------------------------------


def _draw_sum(rng: np.random.Generator) -> list[Case]:
    cases = []
    for shape, dim, keepdim in (
        ((3, 4), None, False),
        ((3, 4), 0, False),
        ((3, 4), 1, True),
        ((2, 3, 4), (0, 2), False),
        ((2, 3, 4), -1, False),
    ):
        out = np.zeros(shape).sum(axis=dim, keepdims=keepdim)
        grad_out = rng.normal(size=out.shape)
        cases.append(
            Case(
                f"x_shape {shape}, dim={dim}, keepdim={keepdim}",
                {"grad_out": grad_out, "x_shape": shape, "dim": dim, "keepdim": keepdim},
            )
        )
    return cases


def _drive_sum(answer: Any, c: Case) -> tuple[Any]:
    a = c.args
    return (answer(a["grad_out"].copy(), a["x_shape"], dim=a["dim"], keepdim=a["keepdim"]),)


def _ref_sum(c: Case) -> tuple[np.ndarray, ...]:
    x = t64(np.zeros(c.args["x_shape"]), True)
    y = x.sum() if c.args["dim"] is None else x.sum(dim=c.args["dim"], keepdim=c.args["keepdim"])
    return grads(y, x, grad_output=c.args["grad_out"])


def _ones(c: Case) -> np.ndarray:
    return np.ones(c.args["x_shape"])


sum_backward = Question(
    id="sum_backward",
    lesson=LESSON,
    points=2,
    by_hand=True,
    signature="sum_backward(grad_out, x_shape, dim=None, keepdim=False)",
    task="grad of x.sum(dim, keepdim) w.r.t. x; dim None, int or tuple",
    draw=_draw_sum,
    drive=_drive_sum,
    reference=_ref_sum,
    wrong=(
        Wrong(
            "wrong_shape",
            "sum_backward.wrong_shape",
            lambda c, e: (c.args["grad_out"],),
        ),
        Wrong(
            "chain_rule",
            "sum_backward.chain_rule",
            lambda c, e: (_ones(c),),
        ),
        Wrong(
            "missing_factor",
            "sum_backward.missing_factor",
            lambda c, e: (e[0] / _copies(c),),
        ),
    ),
)


def _copies(c: Case) -> float:
    """How many elements of x each element of the sum adds up."""
    return float(np.prod(c.args["x_shape"]) / c.args["grad_out"].size)


QUESTIONS = (unbroadcast, mul_backward, matmul_backward, sum_backward)
