"""Random expression programs for the class answers (`Dual`, `Value`).

A program is plain data: `inputs` (numbers) make nodes v0..v{k-1}; each op in `ops` makes the
next node.  An op is `[name, operand, ...]`, an operand is `["n", i]` (node i) or `["c", x]`
(a Python number), so `["sub", ["c", 3.0], ["n", 0]]` is `3.0 - v0` (a reflected operator).
Nodes are reused, so graphs have fan-out (shared nodes).

The same program runs three ways: on the student's class (`run`, in the sandbox), on torch
(the reference) and on the small numpy interpreters below, whose derivative rules are tables.
A known mistake is one of those tables with one rule replaced.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

BINARY = {"add": operator.add, "sub": operator.sub, "mul": operator.mul, "div": operator.truediv}
SYMBOL = {"add": "+", "sub": "-", "mul": "*", "div": "/"}

VALUE: dict[str, Callable[..., float]] = {
    "add": operator.add,
    "sub": operator.sub,
    "mul": operator.mul,
    "div": operator.truediv,
    "pow": lambda a, p: a**p,
    "neg": operator.neg,
    "sin": math.sin,
    "cos": math.cos,
    "exp": math.exp,
    "log": math.log,
    "tanh": math.tanh,
    "relu": lambda a: max(a, 0.0),
}

# Forward mode: (primal a, tangent da, [b, db]) -> tangent of the result.  `p` is a number.
TANGENT: dict[str, Callable[..., float]] = {
    "add": lambda a, da, b, db: da + db,
    "sub": lambda a, da, b, db: da - db,
    "mul": lambda a, da, b, db: da * b + a * db,
    "div": lambda a, da, b, db: (da * b - a * db) / b**2,
    "pow": lambda a, da, p, dp: p * a ** (p - 1) * da,
    "neg": lambda a, da: -da,
    "sin": lambda a, da: math.cos(a) * da,
    "cos": lambda a, da: -math.sin(a) * da,
    "exp": lambda a, da: math.exp(a) * da,
    "log": lambda a, da: da / a,
}

# Reverse mode: (g = grad of the result, out, a, [b]) -> grads of the operands.
ADJOINT: dict[str, Callable[..., tuple[float, ...]]] = {
    "add": lambda g, out, a, b: (g, g),
    "sub": lambda g, out, a, b: (g, -g),
    "mul": lambda g, out, a, b: (g * b, g * a),
    "div": lambda g, out, a, b: (g / b, -g * a / b**2),
    "pow": lambda g, out, a, p: (g * p * a ** (p - 1), 0.0),
    "neg": lambda g, out, a: (-g,),
    "exp": lambda g, out, a: (g * out,),
    "log": lambda g, out, a: (g / a,),
    "tanh": lambda g, out, a: (g * (1 - out**2),),
    "relu": lambda g, out, a: (g * (a > 0),),
}


# ---- running a program -----------------------------------------------------------------------


def _operand(spec: Sequence[Any], nodes: list[Any]) -> Any:
    return nodes[int(spec[1])] if spec[0] == "n" else float(spec[1])


def apply(op: Sequence[Any], nodes: list[Any]) -> Any:
    """Apply one op to objects of any class (student's, torch's) with operators and methods."""
    name, args = op[0], [_operand(a, nodes) for a in op[1:]]
    if name in BINARY:
        return BINARY[name](*args)
    if name == "pow":
        return args[0] ** args[1]
    if name == "neg":
        return -args[0]
    return getattr(args[0], name)()


def run(program: dict[str, Any], leaves: list[Any]) -> list[Any]:
    """Every node of the program, built from `leaves` (one object per input)."""
    nodes = list(leaves)
    for op in program["ops"]:
        nodes.append(apply(op, nodes))
    return nodes


def forward(
    program: dict[str, Any],
    tangents: Sequence[float],
    rules: dict[str, Callable[..., float]] = TANGENT,
) -> tuple[list[float], list[float]]:
    """Forward accumulation with numbers: primals and tangents of every node."""
    primal, tangent = [float(x) for x in program["inputs"]], [float(t) for t in tangents]
    for name, *operands in program["ops"]:
        pairs = [(primal[o[1]], tangent[o[1]]) if o[0] == "n" else (o[1], 0.0) for o in operands]
        flat = [x for pair in pairs for x in pair]
        primal.append(VALUE[name](*flat[::2]))
        tangent.append(rules[name](*flat))
    return primal, tangent


def reverse(
    program: dict[str, Any],
    rules: dict[str, Callable[..., tuple[float, ...]]] = ADJOINT,
    accumulate: bool = True,
    reverse_order: bool = True,
    dedup: bool = True,
) -> tuple[list[float], list[float]]:
    """Reverse accumulation with numbers: data and grad of every node (root = last node).
    `dedup=False`: the order is a recursive post-order without a visited set (micrograd's
    `build_topo` without its `if v not in visited`), so a node runs once per path."""
    data = [float(x) for x in program["inputs"]]
    for name, *operands in program["ops"]:
        data.append(VALUE[name](*[data[o[1]] if o[0] == "n" else o[1] for o in operands]))
    grad = [0.0] * len(data)
    grad[-1] = 1.0
    k = len(program["inputs"])
    order: Sequence[int] = (
        range(len(program["ops"]) - 1, -1, -1) if reverse_order else range(len(program["ops"]))
    )
    if not dedup:
        order = [i for i in reversed(_every_path(program, len(data) - 1)) if i >= 0]
    for i in order:
        name, *operands = program["ops"][i]
        values = [data[o[1]] if o[0] == "n" else o[1] for o in operands]
        for o, g in zip(operands, rules[name](grad[k + i], data[k + i], *values), strict=False):
            if o[0] == "n":
                grad[o[1]] = grad[o[1]] + g if accumulate else g
    return data, grad


def _every_path(program: dict[str, Any], node: int) -> list[int]:
    """The recursive post-order without a visited set, as op indices (-1 for inputs): a node
    appears once per path from it to `node`."""
    k, found, stack = len(program["inputs"]), [], [(node, False)]
    while stack:
        n, expanded = stack.pop()
        if expanded or n < k:
            found.append(n - k if n >= k else -1)
            continue
        stack.append((n, True))
        parents = [o[1] for o in program["ops"][n - k][1:] if o[0] == "n"]
        stack.extend((p, False) for p in reversed(parents))
    return found


# ---- drawing programs ------------------------------------------------------------------------


def _valid(name: str, values: list[float]) -> bool:
    a = values[0]
    if name == "div":
        return abs(values[1]) >= 0.3
    if name == "log":
        return a >= 0.2
    if name == "pow":
        return a >= 0.2 if values[1] != int(values[1]) else abs(a) >= 0.3
    if name == "relu":
        return abs(a) >= 0.05
    if name == "exp":
        return a <= 2.5
    return True


def draw(
    rng: np.random.Generator, names: Sequence[str], n_inputs: int = 3, length: int = 10
) -> dict[str, Any]:
    """A random program with shared nodes; every node reaches the last one (the root)."""
    inputs = [float(v) for v in rng.uniform(0.5, 2.0, size=n_inputs)]
    program: dict[str, Any] = {"inputs": inputs, "ops": []}
    data, used = list(inputs), [False] * n_inputs
    for _ in range(100 * length):  # bounded: drawing must never hang the grader
        if len(program["ops"]) == length:
            break
        name = str(rng.choice(list(names)))
        picks = [int(rng.integers(max(0, len(data) - 4), len(data))), int(rng.integers(len(data)))]
        if name in BINARY:
            operands: list[list[Any]] = [["n", picks[0]], ["n", picks[1]]]
            if rng.random() < 0.3:
                operands[int(rng.integers(2))] = ["c", round(float(rng.uniform(0.5, 2.5)), 2)]
        elif name == "pow":
            operands = [["n", picks[0]], ["c", float(rng.choice([2.0, 3.0, -1.0, 0.5]))]]
        else:
            operands = [["n", picks[0]]]
        values = [data[o[1]] if o[0] == "n" else o[1] for o in operands]
        if not _valid(name, values):
            continue
        value = VALUE[name](*values)
        if not math.isfinite(value) or abs(value) > 30:
            continue
        _add(program, data, used, [name, *operands], value)
    while used.count(False) > 1:  # fold dangling nodes into the root
        a, b = [i for i, u in enumerate(used) if not u][:2]
        _add(program, data, used, ["add", ["n", a], ["n", b]], data[a] + data[b])
    return program


def _add(
    program: dict[str, Any], data: list[float], used: list[bool], op: list[Any], value: float
) -> None:
    for o in op[1:]:
        if o[0] == "n":
            used[o[1]] = True
    program["ops"].append(op)
    data.append(value)
    used.append(False)


def probes(rng: np.random.Generator, names: Sequence[str]) -> list[dict[str, Any]]:
    """One tiny program per operation (and per reflected operator), so a mistake in one rule
    shows up on its own; `x * x` and `x + x` use one node twice."""
    x, y = ["n", 0], ["n", 1]
    found = []
    for name in names:
        if name in BINARY:
            found += [[name, x, y], [name, ["c", 1.5], x], [name, x, ["c", 2.5]]]
        elif name == "pow":
            found += [["pow", x, ["c", 3.0]], ["pow", x, ["c", -1.0]]]
        else:
            found.append([name, x])
    found += [["mul", x, x], ["add", x, x]]
    programs = [
        {"inputs": [float(v) for v in rng.uniform(0.5, 2.0, size=2)], "ops": [op]} for op in found
    ]
    if "relu" in names:  # both sides of the kink: a negative input stops the gradient
        inputs = [float(v) for v in -rng.uniform(0.5, 2.0, size=2)]
        programs.append({"inputs": inputs, "ops": [["relu", x], ["mul", ["n", 2], y]]})
    return programs


def show(program: dict[str, Any], limit: int = 90) -> str:
    """`v2 = v0 * v1; v3 = v2.sin()` - the program as the student would write it."""
    k, lines = len(program["inputs"]), []
    for i, (name, *ops) in enumerate(program["ops"]):
        args = [f"v{o[1]}" if o[0] == "n" else repr(o[1]) for o in ops]
        if name in SYMBOL:
            expr = f"{args[0]} {SYMBOL[name]} {args[1]}"
        elif name == "pow":
            expr = f"{args[0]} ** {args[1]}"
        elif name == "neg":
            expr = f"-{args[0]}"
        else:
            expr = f"{args[0]}.{name}()"
        lines.append(f"v{k + i} = {expr}")
    text = "; ".join(lines)
    return text if len(text) <= limit else text[: limit - 1] + "…"
