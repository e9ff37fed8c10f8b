"""Lesson 09, higher-order derivatives and the lecture's Q&A: a Hessian-vector product and a
whole Hessian by double backward; micro-batches whose gradients add up to the full batch."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..spec import Case, Question, Wrong, call, shapes_label
from .common import draw_scalar_fn, grads, minigrad, minigrad_fn, scalar_fn, t64, torch

LESSON = "09_higher_order_and_qa"


def _draw(rng: np.random.Generator) -> list[Case]:
    cases = []
    for n in (3, 5, 2):
        x, v = rng.uniform(-1, 1, size=n), rng.normal(size=n)
        cases.append(Case(shapes_label(x=x, v=v), {"f": draw_scalar_fn(rng, n), "x": x, "v": v}))
    return cases


def _drive(answer: Any, c: Case) -> tuple[Any]:
    f = minigrad_fn(scalar_fn(c.args["f"], minigrad()))
    return (answer(f, c.args["x"].copy(), c.args["v"].copy()),)


def _reference(c: Case) -> tuple[np.ndarray]:
    f = scalar_fn(c.args["f"], torch())
    _, hv = torch().autograd.functional.hvp(f, t64(c.args["x"]), t64(c.args["v"]))
    return (hv.numpy(),)


def _gradient(c: Case) -> np.ndarray:
    x = t64(c.args["x"], requires_grad=True)
    return grads(scalar_fn(c.args["f"], torch())(x), x)[0]


hvp = Question(
    id="hvp",
    lesson=LESSON,
    points=2,
    signature="hvp(f, x, v)",
    task="Hessian-vector product of scalar f at x along v, by double backward in minigrad",
    forbids=("functional_hessian",),
    draw=_draw,
    drive=_drive,
    reference=_reference,
    wrong=(
        Wrong(
            "chain_rule",
            "hvp.chain_rule",
            lambda c, e: (_gradient(c),),
        ),
        Wrong(
            "double_counting",
            "hvp.double_counting",
            lambda c, e: (e[0] + _gradient(c),),
        ),
        Wrong(
            "wrong_shape",
            "hvp.wrong_shape",
            lambda c, e: (np.asarray(_gradient(c) @ c.args["v"]),),
        ),
    ),
)

# ---- the whole Hessian: the Jacobian of the gradient, one row per double backward -----------


def _ref_hessian(c: Case) -> tuple[np.ndarray]:
    f = scalar_fn(c.args["f"], torch())
    return (torch().autograd.functional.hessian(f, t64(c.args["x"])).numpy(),)


def _drive_hessian(answer: Any, c: Case) -> tuple[Any]:
    f = minigrad_fn(scalar_fn(c.args["f"], minigrad()))
    return (answer(f, c.args["x"].copy()),)


hessian_matrix = Question(
    id="hessian_matrix",
    lesson=LESSON,
    points=2,
    signature="hessian_matrix(f, x)",
    forbids=("functional_hessian",),
    task="(n, n) Hessian of scalar f at x (numpy in, numpy out): the Jacobian of the gradient, "
    "one row per backward through a create_graph=True gradient, in minigrad",
    draw=_draw,
    drive=_drive_hessian,
    reference=_ref_hessian,
    wrong=(
        Wrong(
            "chain_rule",
            "hessian_matrix.chain_rule",
            lambda c, e: (_gradient(c),),
        ),
        Wrong(
            "wrong_shape",
            "hessian_matrix.wrong_shape",
            lambda c, e: (e[0].sum(axis=1),),
        ),
        Wrong(
            "double_counting",
            "hessian_matrix.double_counting",
            lambda c, e: (np.cumsum(e[0], axis=0),),
        ),
        Wrong(
            "double_counting",
            "hessian_matrix.double_counting2",
            lambda c, e: (e[0] + _gradient(c)[None, :],),
        ),
    ),
)


# ---- the Q&A: micro-batches add up to the full batch ---------------------------------------


def _draw_batches(rng: np.random.Generator) -> list[Case]:
    cases = []
    for m, n, size in ((7, 3, 3), (10, 4, 4), (9, 2, 2), (5, 3, 5)):
        X, y, w = rng.normal(size=(m, n)), rng.normal(size=m), rng.normal(size=n)
        label = shapes_label(X=X, y=y, w=w) + f", batch_size={size}"
        cases.append(Case(label, {"X": X, "y": y, "w": w, "batch_size": size}))
    return cases


def _ref_batches(c: Case) -> tuple[np.ndarray]:
    """The full batch at once, on torch: micro-batches must add up to this."""
    w = t64(c.args["w"], requires_grad=True)
    ((t64(c.args["X"]) @ w - t64(c.args["y"])) ** 2).mean().backward()
    return (w.grad.numpy(),)


def _chunk_grads(c: Case) -> list[np.ndarray]:
    """The gradient of each micro-batch's own mean loss."""
    X, y, w, size = (c.args[k] for k in ("X", "y", "w", "batch_size"))
    return [
        2 * X[i : i + size].T @ (X[i : i + size] @ w - y[i : i + size]) / len(y[i : i + size])
        for i in range(0, len(y), size)
    ]


def _last_chunk_share(c: Case) -> np.ndarray:
    size, m = c.args["batch_size"], len(c.args["y"])
    last = m - (m - 1) // size * size
    return _chunk_grads(c)[-1] * last / m


microbatch_grad = Question(
    id="microbatch_grad",
    lesson=LESSON,
    points=2,
    signature="microbatch_grad(X, y, w, batch_size)",
    task="the gradient with respect to w of the full-batch loss mean((X @ w - y)²), "
    "accumulated in w.grad by one backward per micro-batch of batch_size rows (the last may "
    "be smaller), in minigrad",
    draw=_draw_batches,
    drive=call("X", "y", "w", "batch_size"),
    reference=_ref_batches,
    wrong=(
        Wrong(
            "missing_factor",
            "microbatch_grad.missing_factor",
            lambda c, e: (sum(_chunk_grads(c)),),
        ),
        Wrong(
            "missing_factor",
            "microbatch_grad.missing_factor2",
            lambda c, e: (sum(_chunk_grads(c)) / len(_chunk_grads(c)),),
        ),
        Wrong(
            "no_accumulation",
            "microbatch_grad.no_accumulation",
            lambda c, e: (_last_chunk_share(c),),
        ),
        Wrong(
            "no_accumulation",
            "microbatch_grad.no_accumulation2",
            lambda c, e: (_chunk_grads(c)[-1],),
        ),
        Wrong(
            "missing_factor",
            "microbatch_grad.missing_factor3",
            lambda c, e: (e[0] * len(c.args["y"]),),
        ),
    ),
)

QUESTIONS = (hvp, hessian_matrix, microbatch_grad)
