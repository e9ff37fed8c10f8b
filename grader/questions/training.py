"""Lesson 05, training: the loss of one tanh neuron and its gradient, computed with the
student's own `Value` engine (by hand: automatic differentiation is switched off).

The model is `pred_i = tanh(X_i . w + b)` and the loss the mean squared error
`L = mean((pred - y)^2)`.  The answer returns `(loss, grad_w, grad_b)`; the reference is
torch.autograd on the same formula.  The known mistakes are the ones students make writing
this gradient: a factor (the 2 of the square, the 1/m of the mean) or the sign changed, the
derivative of tanh wrong, the points' contributions not added up, the bias not summed."""

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


def _pieces(c: Case) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The pre-activation a = X @ w + b, the prediction t = tanh(a) and the residual t - y."""
    a = c.args["X"] @ c.args["w"] + c.args["b"]
    t = np.tanh(a)
    return a, t, t - c.args["y"]


def _mistake(slope: str = "1 - t²", scale: float = 1.0, m_power: int = 0,
             sum_loss: bool = False, per_point: str = "sum") -> Any:
    """A known mistake as (loss, grad_w, grad_b): `slope` is the derivative of tanh the
    student used, both gradients are multiplied by `scale * m**m_power` (m points), the loss
    is a sum instead of a mean if `sum_loss`, and `per_point` says how the points'
    contributions are combined: summed (right), only the last one kept (overwritten in the
    loop) or, for the bias only, not summed at all."""

    def output(c: Case, e: Any) -> tuple[Any, ...]:
        a, t, residual = _pieces(c)
        m = len(t)
        tanh_slope = {"1 - t²": 1 - t * t, "1": 1.0, "1 - t": 1 - t, "1 - a²": 1 - a * a}[slope]
        local = scale * float(m) ** m_power * 2 * residual / m * tanh_slope
        loss = float(np.sum(residual**2) if sum_loss else np.mean(residual**2))
        if per_point == "last":
            return loss, c.args["X"][-1] * local[-1], float(local[-1])
        grad_b = local if per_point == "bias_not_summed" else float(local.sum())
        return loss, c.args["X"].T @ local, grad_b

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
        Wrong("sign", "neuron_loss_grads.sign", _mistake(scale=-1.0)),
        Wrong("missing_factor", "neuron_loss_grads.sum_not_mean",
              _mistake(m_power=1, sum_loss=True)),
        Wrong("missing_factor", "neuron_loss_grads.mean_twice", _mistake(m_power=-1)),
        Wrong("missing_factor", "neuron_loss_grads.factor_two", _mistake(scale=0.5)),
        Wrong("chain_rule", "neuron_loss_grads.tanh_skipped", _mistake(slope="1")),
        Wrong("chain_rule", "neuron_loss_grads.tanh_not_squared", _mistake(slope="1 - t")),
        Wrong("chain_rule", "neuron_loss_grads.tanh_of_input", _mistake(slope="1 - a²")),
        Wrong("no_accumulation", "neuron_loss_grads.last_point_only", _mistake(per_point="last")),
        Wrong("broadcast_not_reduced", "neuron_loss_grads.bias_not_summed",
              _mistake(per_point="bias_not_summed")),
    ),
)

QUESTIONS = (training,)
