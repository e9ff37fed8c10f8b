"""Lesson 04, forward mode: a dual-number class, and the Baydin et al. example by one forward
sweep (its tangent trace) and by one reverse sweep.  Solved by hand."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..messages import text
from ..spec import Case, Question, Wrong, call, several
from . import programs
from .common import t64, torch

LESSON = "04_forward_mode"
OPS = ("add", "sub", "mul", "div", "pow", "neg", "sin", "cos", "exp", "log")


def _draw_dual(rng: np.random.Generator) -> list[Case]:
    found = [(text("label.probe", "en", program=programs.show(p)), p)
             for p in programs.probes(rng, OPS)]
    for _ in range(3):
        program = programs.draw(rng, OPS)
        found.append((text("label.program", "en", program=programs.show(program)), program))
    return [
        Case(label, {"program": p, "tangents": list(rng.normal(size=len(p["inputs"])))})
        for label, p in found
    ]


def _drive_dual(Dual: Any, c: Case) -> tuple[list[float], list[float]]:
    program = c.args["program"]
    leaves = [
        Dual(float(p), float(t)) for p, t in zip(program["inputs"], c.args["tangents"], strict=True)
    ]
    nodes = programs.run(program, leaves)
    return [float(n.primal) for n in nodes], [float(n.tangent) for n in nodes]


def _ref_dual(c: Case) -> tuple[np.ndarray, np.ndarray]:
    program = c.args["program"]

    def every_node(x: Any) -> Any:
        return torch().stack(programs.run(program, list(x.unbind())))

    primal, tangent = torch().func.jvp(
        every_node, (t64(program["inputs"]),), (t64(c.args["tangents"]),)
    )
    return primal.numpy(), tangent.numpy()


def _with(**rules: Any) -> Any:
    """A known mistake: forward mode with some tangent rules replaced."""
    table = {**programs.TANGENT, **rules}
    return lambda c, e: programs.forward(c.args["program"], c.args["tangents"], table)


def _reflected(name: str) -> Any:
    """A known mistake: `number - d` (or `/`) computed as `d - number`, the reflected operator
    written with its operands swapped."""

    def output(c: Case, e: Any) -> Any:
        program = c.args["program"]
        ops = [
            [op[0], op[2], op[1]] if op[0] == name and op[1][0] == "c" else op
            for op in program["ops"]
        ]
        return programs.forward({**program, "ops": ops}, c.args["tangents"])

    return output


def _forgets_tangent(f: Any) -> Any:
    return lambda a, da: f(a)


Dual = Question(
    id="Dual",
    lesson=LESSON,
    points=3,
    by_hand=True,
    signature="Dual(primal, tangent)",
    task="dual numbers: + - * / with Dual or number either side, ** number, unary -, "
    ".sin() .cos() .exp() .log()",
    draw=_draw_dual,
    drive=_drive_dual,
    reference=_ref_dual,
    names=("primal", "tangent"),
    wrong=(
        Wrong(
            "product_rule",
            "Dual.product_rule",
            _with(mul=lambda a, da, b, db: da * db),
        ),
        Wrong(
            "product_rule",
            "Dual.product_rule2",
            _with(mul=lambda a, da, b, db: da * b),
        ),
        Wrong(
            "sign",
            "Dual.sign",
            _with(div=lambda a, da, b, db: (da * b + a * db) / b**2),
        ),
        Wrong(
            "sign",
            "Dual.sign2",
            _with(sub=lambda a, da, b, db: da + db),
        ),
        Wrong("sign", "Dual.sign3", _with(cos=lambda a, da: math.sin(a) * da)),
        Wrong(
            "chain_rule",
            "Dual.chain_rule",
            _with(
                **{
                    k: _forgets_tangent(f)
                    for k, f in (
                        ("sin", math.cos),
                        ("cos", lambda a: -math.sin(a)),
                        ("exp", math.exp),
                        ("log", lambda a: 1 / a),
                    )
                }
            ),
        ),
        Wrong(
            "missing_factor",
            "Dual.missing_factor",
            _with(pow=lambda a, da, p, dp: a ** (p - 1) * da),
        ),
        Wrong("chain_rule", "Dual.power_rule", _with(pow=lambda a, da, p, dp: p * a * da)),
        Wrong("sign", "Dual.rsub", _reflected("sub")),
        Wrong("order", "Dual.rtruediv", _reflected("div")),
    ),
)


def _draw_baydin(rng: np.random.Generator) -> list[Case]:
    points = [(2.0, 5.0)] + [
        (float(rng.uniform(0.5, 3)), float(rng.uniform(-3, 3))) for _ in range(3)
    ]
    return [Case(f"x1={x1:.3g}, x2={x2:.3g}", {"x1": x1, "x2": x2}) for x1, x2 in points]


def _ref_baydin(c: Case) -> tuple[np.ndarray, ...]:
    x1, x2 = t64(c.args["x1"], True), t64(c.args["x2"], True)
    y = torch().log(x1) + x1 * x2 - torch().sin(x2)
    d1, d2 = torch().autograd.grad(y, (x1, x2))
    return y.detach().numpy(), d1.numpy(), d2.numpy()


def _baydin(y: Any = None, d1: Any = None, d2: Any = None) -> Any:
    """A known mistake as formulas of (x1, x2) replacing y, dy/dx1 or dy/dx2."""
    right = (
        lambda a, b: math.log(a) + a * b - math.sin(b),
        lambda a, b: 1 / a + b,
        lambda a, b: a - math.cos(b),
    )
    parts = [new or old for new, old in zip((y, d1, d2), right, strict=True)]
    return lambda c, e: tuple(p(c.args["x1"], c.args["x2"]) for p in parts)


def _drive_baydin(answer: Any, c: Case) -> tuple[Any, ...]:
    return several(answer(c.args["x1"], c.args["x2"]), 3)


baydin_reverse = Question(
    id="baydin_reverse",
    lesson=LESSON,
    points=2,
    by_hand=True,
    signature="baydin_reverse(x1, x2)",
    task="(y, dy_dx1, dy_dx2) for y = ln x1 + x1*x2 - sin x2 by one reverse sweep",
    draw=_draw_baydin,
    drive=_drive_baydin,
    reference=_ref_baydin,
    names=("y", "dy_dx1", "dy_dx2"),
    wrong=(
        Wrong(
            "no_accumulation",
            "baydin_reverse.no_accumulation",
            _baydin(d1=lambda a, b: b),
        ),
        Wrong(
            "no_accumulation",
            "baydin_reverse.no_accumulation2",
            _baydin(d1=lambda a, b: 1 / a),
        ),
        Wrong(
            "no_accumulation",
            "baydin_reverse.no_accumulation3",
            _baydin(d2=lambda a, b: -math.cos(b)),
        ),
        Wrong(
            "no_accumulation",
            "baydin_reverse.no_accumulation4",
            _baydin(d2=lambda a, b: a),
        ),
        Wrong(
            "sign",
            "baydin_reverse.sign",
            _baydin(d2=lambda a, b: a + math.cos(b)),
        ),
        Wrong(
            "product_rule",
            "baydin_reverse.product_rule",
            _baydin(d1=lambda a, b: 1 / a + a, d2=lambda a, b: b - math.cos(b)),
        ),
        Wrong(
            "sign",
            "baydin_reverse.sign2",
            _baydin(y=lambda a, b: math.log(a) + a * b + math.sin(b)),
        ),
    ),
)


# ---- baydin_forward(x1, x2, dx1, dx2): one forward sweep, the tangent trace by hand ----------


def _draw_baydin_forward(rng: np.random.Generator) -> list[Case]:
    points = [(2.0, 5.0, 1.0, 0.0), (2.0, 5.0, 0.0, 1.0)] + [
        (
            float(rng.uniform(0.5, 3)),
            float(rng.uniform(-3, 3)),
            float(rng.normal()),
            float(rng.normal()),
        )
        for _ in range(3)
    ]
    return [
        Case(
            f"x1={a:.3g}, x2={b:.3g}, dx1={da:.3g}, dx2={db:.3g}",
            {"x1": a, "x2": b, "dx1": da, "dx2": db},
        )
        for a, b, da, db in points
    ]


def _ref_baydin_forward(c: Case) -> tuple[np.ndarray, np.ndarray]:
    def y(x1: Any, x2: Any) -> Any:
        return torch().log(x1) + x1 * x2 - torch().sin(x2)

    a = c.args
    primal, tangent = torch().func.jvp(
        y, (t64(a["x1"]), t64(a["x2"])), (t64(a["dx1"]), t64(a["dx2"]))
    )
    return primal.numpy(), tangent.numpy()


def _tangent_trace(**rules: Any) -> Any:
    """A known mistake: the forward trace with some lines replaced.  Each rule maps
    (x1, x2, dx1, dx2) to the primal `y` or to the tangent of v1 = ln x1, v2 = x1*x2,
    v3 = sin x2."""
    right = {
        "y": lambda a, b, da, db: math.log(a) + a * b - math.sin(b),
        "dv1": lambda a, b, da, db: da / a,
        "dv2": lambda a, b, da, db: da * b + a * db,
        "dv3": lambda a, b, da, db: math.cos(b) * db,
    }
    f = {**right, **rules}

    def output(c: Case, e: Any) -> tuple[float, float]:
        args = (c.args["x1"], c.args["x2"], c.args["dx1"], c.args["dx2"])
        return f["y"](*args), f["dv1"](*args) + f["dv2"](*args) - f["dv3"](*args)

    return output


baydin_forward = Question(
    id="baydin_forward",
    lesson=LESSON,
    points=2,
    by_hand=True,
    signature="baydin_forward(x1, x2, dx1, dx2)",
    task="(y, dy) for y = ln x1 + x1*x2 - sin x2: the primal and its tangent along "
    "(dx1, dx2), by one forward sweep",
    draw=_draw_baydin_forward,
    drive=call("x1", "x2", "dx1", "dx2", outputs=2),
    reference=_ref_baydin_forward,
    names=("y", "dy"),
    wrong=(
        Wrong(
            "product_rule",
            "baydin_forward.product_rule",
            _tangent_trace(dv2=lambda a, b, da, db: da * db),
        ),
        Wrong(
            "product_rule",
            "baydin_forward.product_rule2",
            _tangent_trace(dv2=lambda a, b, da, db: da * b),
        ),
        Wrong(
            "product_rule",
            "baydin_forward.product_rule3",
            _tangent_trace(dv2=lambda a, b, da, db: a * db),
        ),
        Wrong(
            "sign",
            "baydin_forward.sign",
            _tangent_trace(dv3=lambda a, b, da, db: -math.cos(b) * db),
        ),
        Wrong(
            "chain_rule",
            "baydin_forward.chain_rule",
            _tangent_trace(dv1=lambda a, b, da, db: 1 / a, dv3=lambda a, b, da, db: math.cos(b)),
        ),
        Wrong(
            "chain_rule",
            "baydin_forward.chain_rule2",
            _tangent_trace(dv1=lambda a, b, da, db: da),
        ),
        Wrong(
            "sign",
            "baydin_forward.sign2",
            _tangent_trace(y=lambda a, b, da, db: math.log(a) + a * b + math.sin(b)),
        ),
        Wrong(
            "order",
            "baydin_forward.order",
            lambda c, e: (e[1], e[0]),
        ),
    ),
)

QUESTIONS = (Dual, baydin_reverse, baydin_forward)
