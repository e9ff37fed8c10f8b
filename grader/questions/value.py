"""Lesson 05, reverse mode: the scalar engine `Value`, exercised on random expression graphs
with shared nodes.  The reference is torch.autograd on the same program (`retain_grad` on
every intermediate node); the known mistakes are the numpy interpreter with one rule changed."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..messages import text
from ..spec import Case, Question, Wrong
from . import programs
from .common import t64

LESSON = "05_reverse_mode"
OPS = ("add", "sub", "mul", "div", "pow", "neg", "exp", "log", "tanh", "relu")
DEPTH = 3000


def _draw(rng: np.random.Generator) -> list[Case]:
    found = [(text("label.probe", "en", program=programs.show(p)), p)
             for p in programs.probes(rng, OPS)]
    for _ in range(3):
        program = programs.draw(rng, OPS, length=12)
        found.append((text("label.program", "en", program=programs.show(program)), program))
    found.append((text("label.op_chain", "en", n=DEPTH), _chain(rng)))
    return [Case(label, {"program": p}) for label, p in found]


def _chain(rng: np.random.Generator) -> dict[str, Any]:
    """v1 = v0 * a1 + b1, ... : deeper than Python's recursion limit."""
    ops: list[list[Any]] = []
    for i in range(DEPTH // 2):
        a, b = (round(float(v), 3) for v in rng.uniform(0.9, 1.1, size=2))
        ops += [["mul", ["n", 2 * i], ["c", a]], ["add", ["n", 2 * i + 1], ["c", b - 1]]]
    return {"inputs": [float(rng.uniform(0.5, 1.5))], "ops": ops}


def _drive(Value: Any, c: Case) -> tuple[list[float], list[float], list[float]]:
    program = c.args["program"]
    nodes = programs.run(program, [Value(float(x)) for x in program["inputs"]])
    before = [float(n.grad) for n in nodes]
    nodes[-1].backward()
    return [float(n.data) for n in nodes], before, [float(n.grad) for n in nodes]


def _reference(c: Case) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    program = c.args["program"]
    nodes = programs.run(program, [t64(x, requires_grad=True) for x in program["inputs"]])
    for node in nodes[len(program["inputs"]) :]:
        node.retain_grad()
    nodes[-1].backward()
    data = np.array([n.item() for n in nodes])
    grad = np.array([0.0 if n.grad is None else n.grad.item() for n in nodes])
    return data, np.zeros(len(nodes)), grad


def _with(rules: dict[str, Any] | None = None, **options: bool) -> Any:
    """A known mistake: reverse accumulation with some rules or options changed."""
    table = {**programs.ADJOINT, **(rules or {})}

    def output(c: Case, e: Any) -> tuple[list[float], np.ndarray, list[float]]:
        data, grad = programs.reverse(c.args["program"], table, **options)
        return data, np.zeros(len(data)), grad

    return output


def _local_only(rule: Any) -> Any:
    return lambda g, out, *args: rule(1.0, out, *args)


Value = Question(
    id="Value",
    lesson=LESSON,
    points=4,
    by_hand=True,
    signature="Value(data)",
    task="scalar engine: .data, .grad (starts 0.0), + - * / either side, ** number, "
    ".exp() .log() .tanh() .relu(), .backward() fills .grad of every node it reaches",
    draw=_draw,
    drive=_drive,
    reference=_reference,
    names=("data", "grad before backward", "grad"),
    wrong=(
        Wrong(
            "no_accumulation",
            "Value.no_accumulation",
            _with(accumulate=False),
        ),
        Wrong(
            "order",
            "Value.order",
            _with(reverse_order=False),
        ),
        Wrong(
            "chain_rule",
            "Value.chain_rule",
            _with({k: _local_only(f) for k, f in programs.ADJOINT.items()}),
        ),
        Wrong(
            "product_rule",
            "Value.product_rule",
            _with({"mul": lambda g, out, a, b: (g * a, g * b)}),
        ),
        Wrong(
            "sign",
            "Value.sign",
            _with({"sub": lambda g, out, a, b: (g, g)}),
        ),
        Wrong(
            "missing_factor",
            "Value.missing_factor",
            _with({"pow": lambda g, out, a, p: (g * a ** (p - 1), 0.0)}),
        ),
        Wrong(
            "chain_rule",
            "Value.chain_rule2",
            _with({"tanh": lambda g, out, a: (g * (1 - out),)}),
        ),
        Wrong("chain_rule", "Value.relu", _with({"relu": lambda g, out, a: (g,)})),
        Wrong("double_counting", "Value.dedup", _with(dedup=False)),
    ),
)

QUESTIONS = (Value,)
