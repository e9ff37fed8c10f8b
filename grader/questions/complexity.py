"""Lesson 06, complexity: Jacobians by n forward-mode passes or m reverse-mode passes, and a
vector-Jacobian product in bounded memory by checkpointing, in minigrad.  The functions are
built with minigrad inside the sandbox from plain data."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..spec import Case, Question, Wrong, shapes_label
from .common import const, draw_vector_fn, minigrad, minigrad_fn, t64, torch, vector_fn

LESSON = "06_complexity"


def _draw(rng: np.random.Generator) -> list[Case]:
    cases = []
    for n, m in ((3, 5), (4, 2), (5, 1)):
        x = rng.uniform(-1, 1, size=n)
        cases.append(
            Case(
                shapes_label(x=x) + f", f: ({n},) -> ({m},)",
                {"f": draw_vector_fn(rng, n, m), "x": x},
            )
        )
    return cases


def _drive(answer: Any, c: Case) -> tuple[Any]:
    f = minigrad_fn(vector_fn(c.args["f"], minigrad()))
    return (answer(f, c.args["x"].copy()),)


def _reference(c: Case) -> tuple[np.ndarray]:
    f = vector_fn(c.args["f"], torch())
    return (torch().autograd.functional.jacobian(f, t64(c.args["x"])).numpy(),)


def _wrong(mode: str) -> tuple[Wrong, ...]:
    return (
        Wrong("transposed", f"jacobian_{mode}.transposed", lambda c, e: (e[0].T,)),
        Wrong(
            "wrong_shape",
            "jacobian.wrong_shape",
            lambda c, e: (e[0].sum(axis=1),),
        ),
        Wrong(
            "wrong_shape",
            "jacobian.wrong_shape2",
            lambda c, e: (e[0].sum(axis=0),),
        ),
        Wrong(
            "double_counting",
            "jacobian.double_counting",
            lambda c, e: (np.cumsum(e[0], axis=0),),
        ),
    )


jacobian_forward = Question(
    id="jacobian_forward",
    lesson=LESSON,
    points=2,
    signature="jacobian_forward(f, x)",
    task="(m, n) Jacobian of f: minigrad (n,) -> (m,) by n forward-mode passes",
    forbids=("reverse_mode",),
    draw=_draw,
    drive=_drive,
    reference=_reference,
    wrong=_wrong("forward"),
)

jacobian_reverse = Question(
    id="jacobian_reverse",
    lesson=LESSON,
    points=2,
    signature="jacobian_reverse(f, x)",
    task="(m, n) Jacobian of f: minigrad (n,) -> (m,) by m reverse-mode passes",
    forbids=("forward_mode",),
    draw=_draw,
    drive=_drive,
    reference=_reference,
    wrong=_wrong("reverse"),
)


# ---- checkpointed_vjp(step, x, v, n, every): reverse mode in bounded memory --------------------


def _draw_ckpt(rng: np.random.Generator) -> list[Case]:
    cases = []
    for n, every, d in ((24, 4, 5), (30, 7, 4), (12, 1, 3), (6, 8, 4)):
        spec = {"W": rng.normal(size=(d, d)) / np.sqrt(d), "b": rng.normal(size=d) * 0.5}
        x, v = rng.normal(size=d), rng.normal(size=d)
        cases.append(
            Case(
                f"n={n}, every={every}, " + shapes_label(x=x, v=v),
                {"step": spec, "x": x, "v": v, "n": n, "every": every},
            )
        )
    return cases


def _step(spec: dict[str, np.ndarray], lib: Any) -> Any:
    """One step of the chain: s -> s + tanh(W s + b) / 2, written with `lib`'s ops."""
    W, b = const(lib, spec["W"]), const(lib, spec["b"])

    def step(s: Any) -> Any:
        return s + lib.tanh(W @ s + b) * 0.5

    return step


def _drive_ckpt(answer: Any, c: Case) -> tuple[Any]:
    """Only the VJP is graded: how much graph the answer held could be measured only inside
    the student's own process, by counters the student can reset (no verdict from what a
    submission says about itself)."""
    a = c.args
    step = minigrad_fn(_step(a["step"], minigrad()))
    return (answer(step, a["x"].copy(), a["v"].copy(), a["n"], a["every"]),)


def _segments(c: Case) -> list[tuple[int, int]]:
    """(first step, number of steps) of each segment between checkpoints."""
    n, every = c.args["n"], c.args["every"]
    return [(i, min(every, n - i)) for i in range(0, n, every)]


def _run(c: Case, s: Any, k: int) -> Any:
    step = _step(c.args["step"], torch())
    for _ in range(k):
        s = step(s)
    return s


def _seg_vjp(c: Case, start: Any, k: int, g: Any) -> Any:
    _, pullback = torch().func.vjp(lambda s: _run(c, s, k), start)
    return pullback(g)[0]


def _states(c: Case) -> list[Any]:
    """The state at the start of every step (the checkpoints are some of them)."""
    s, found = t64(c.args["x"]), []
    for _ in range(c.args["n"]):
        found.append(s)
        s = _run(c, s, 1)
    return found


def _ref_ckpt(c: Case) -> tuple[np.ndarray]:
    g = _seg_vjp(c, t64(c.args["x"]), c.args["n"], t64(c.args["v"]))
    return (g.detach().numpy(),)


def _sweep(order: str = "reverse", restart: bool = False, from_x: bool = False,
           late: bool = False, full_last: bool = False) -> Any:
    """A known mistake in the segment-by-segment backward sweep (`late`: each checkpoint saved
    one step after its segment starts; `full_last`: the shorter last segment run for `every`
    steps)."""

    def output(c: Case, e: Any) -> tuple[np.ndarray]:
        states, v = _states(c), t64(c.args["v"])
        segments = _segments(c)
        g = v
        for first, k in reversed(segments) if order == "reverse" else segments:
            start = states[0] if from_x else states[first]
            start = _run(c, start, 1) if late else start
            k = c.args["every"] if full_last else k
            g = _seg_vjp(c, start, k, v if restart else g)
        return (g.detach().numpy(),)

    return output


def _jvp_instead(c: Case, e: Any) -> tuple[np.ndarray]:
    _, tangent = torch().func.jvp(
        lambda s: _run(c, s, c.args["n"]), (t64(c.args["x"]),), (t64(c.args["v"]),)
    )
    return (tangent.detach().numpy(),)


checkpointed_vjp = Question(
    id="checkpointed_vjp",
    lesson=LESSON,
    points=3,
    signature="checkpointed_vjp(step, x, v, n, every)",
    task="vᵀJ for the n-fold composition of step: minigrad (d,) -> (d,) at x, keeping a "
    "checkpoint every `every` steps so the graph never holds more than 2*every + 2 steps",
    draw=_draw_ckpt,
    drive=_drive_ckpt,
    reference=_ref_ckpt,
    names=("vjp",),
    wrong=(
        Wrong(
            "transposed",
            "checkpointed_vjp.transposed",
            _jvp_instead,
        ),
        Wrong(
            "order",
            "checkpointed_vjp.order",
            _sweep(order="forward"),
        ),
        Wrong(
            "chain_rule",
            "checkpointed_vjp.chain_rule",
            _sweep(restart=True),
        ),
        Wrong(
            "chain_rule",
            "checkpointed_vjp.chain_rule2",
            _sweep(from_x=True),
        ),
        Wrong("chain_rule", "checkpointed_vjp.late_checkpoint", _sweep(late=True)),
        Wrong("chain_rule", "checkpointed_vjp.full_last_segment", _sweep(full_last=True)),
    ),
)

QUESTIONS = (jacobian_forward, jacobian_reverse, checkpointed_vjp)
