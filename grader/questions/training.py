"""Lesson 05, training: the loss of one tanh neuron and its gradient, computed with the
student's own `Value` engine (by hand: automatic differentiation is switched off).

The model is `pred_i = tanh(X_i . w + b)` and the loss the mean squared error
`L = mean((pred - y)^2)`.  The answer returns `(loss, grad_w, grad_b)`; the reference is
torch.autograd on the same formula.  The known mistakes are the formula's gradient with one
factor or sign changed."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..spec import Case, Question, Wrong, shapes_label
from .common import grads, t64

LESSON = "05_reverse_mode"
SIZES = ((1, 1), (4, 2), (7, 3), (12, 2), (20, 4))


def _draw(rng: np.random.Generator) -> list[Case]:
    cases = []
    for m, n in SIZES:
        args = {"w": rng.normal(scale=0.7, size=n), "b": float(rng.normal(scale=0.5)),
                "X": rng.normal(size=(m, n)), "y": rng.choice([-1.0, 1.0], size=m)}
        cases.append(Case(shapes_label(**args), args))
    return cases


def _number(value: Any) -> Any:
    """A `Value` (anything with a float `.data` and a `.grad`) as its number; else unchanged."""
    data = getattr(value, "data", None)
    if hasattr(value, "grad") and isinstance(data, (int, float)):
        return float(data)
    return value


def _drive(answer: Any, c: Case) -> tuple[Any, Any, Any]:
    a = c.args
    result = answer(a["w"].copy(), a["b"], a["X"].copy(), a["y"].copy())
    if result is None:
        raise NotImplementedError("returned None - is the stub still there?")
    if not isinstance(result, (tuple, list)) or len(result) != 3:
        raise TypeError("expected a tuple of 3 values (loss, grad_w, grad_b)")
    loss, grad_w, grad_b = result
    if isinstance(grad_w, (list, tuple)):
        grad_w = [_number(g) for g in grad_w]
    return _number(loss), grad_w, _number(grad_b)


def _reference(c: Case) -> tuple[np.ndarray, ...]:
    a = c.args
    w, b = t64(a["w"], requires_grad=True), t64(a["b"], requires_grad=True)
    loss = ((t64(a["X"]) @ w + b).tanh() - t64(a["y"])).pow(2).mean()
    grad_w, grad_b = grads(loss, w, b)
    return loss.detach().numpy(), grad_w, grad_b


def _formula(c: Case, tanh_slope: bool = True) -> tuple[float, np.ndarray, float]:
    """(loss, d loss / d t) and t, the pieces the wrong variants below change."""
    a = c.args
    t = np.tanh(a["X"] @ a["w"] + a["b"])
    residual = t - a["y"]
    local = 2 * residual / len(t) * ((1 - t * t) if tanh_slope else 1.0)
    return float(np.mean(residual**2)), a["X"].T @ local, float(local.sum())


def _scaled(factor_of_m: bool, factor: float = 1.0, **options: bool) -> Any:
    def output(c: Case, e: Any) -> tuple[Any, ...]:
        loss, gw, gb = _formula(c, **options)
        m = len(c.args["y"]) if factor_of_m else 1
        return loss * m, gw * m * factor, gb * m * factor

    return output


training = Question(
    id="neuron_loss_grads",
    lesson=LESSON,
    points=2,
    by_hand=True,
    signature="neuron_loss_grads(w, b, X, y)",
    task="(loss, grad_w, grad_b) of L = mean((tanh(X @ w + b) - y)**2), with your Value engine",
    draw=_draw,
    drive=_drive,
    reference=_reference,
    names=("loss", "grad_w", "grad_b"),
    wrong=(
        Wrong(
            "sign",
            "The residual is prediction minus target: d (p - y)² / dp = 2 (p - y).",
            _scaled(False, -1.0),
        ),
        Wrong(
            "missing_factor",
            "The loss is a mean: divide the sum of squared errors by the number of points.",
            _scaled(True),
        ),
        Wrong(
            "missing_factor",
            "Keep the factor 2 of the square: d (p - y)² / dp = 2 (p - y).",
            _scaled(False, 0.5),
        ),
        Wrong(
            "chain_rule",
            "The prediction goes through tanh: multiply by tanh'(a) = 1 - tanh(a)².",
            _scaled(False, tanh_slope=False),
        ),
    ),
)

QUESTIONS = (training,)
