"""Formulas as data, for lesson 02's symbolic differentiator (`derivative`).

An expression is a number (a constant), the string ``"x"`` (the variable), or a tuple
``(op, *arguments)``: ``("add", a, b)``, ``("sub", a, b)``, ``("mul", a, b)``, ``("div", a, b)``,
``("pow", a, k)`` with a number ``k``, and ``("sin", a)``, ``("cos", a)``, ``("exp", a)``,
``("log", a)``.  ``("mul", "x", ("sin", "x"))`` is x·sin(x).

Here: evaluating an expression with numpy or torch (the driver and the reference), printing it,
drawing random ones, and differentiating it - correctly, or with one of the classic slips that
the question's bank of wrong answers reproduces.
"""

from __future__ import annotations

from typing import Any

import numpy as np

UNARY = ("sin", "cos", "exp", "log")
BINARY = ("add", "sub", "mul", "div", "pow")
MAX_NODES = 200_000
SYMBOLS = {"add": "+", "sub": "-", "mul": "*", "div": "/", "pow": "^"}
PRECEDENCE = {"add": 1, "sub": 1, "mul": 2, "div": 2, "pow": 3}


def is_number(e: Any) -> bool:
    return isinstance(e, (int, float, np.integer, np.floating)) and not isinstance(e, bool)


def evaluate(e: Any, x: Any, lib: Any = np) -> Any:
    """The value of `e` at `x` (an array of points), computed with `lib` (numpy or torch).
    Shared sub-expressions are computed once; malformed expressions raise ValueError."""
    memo: dict[int, Any] = {}
    keep: list[Any] = []  # keeps the ids in memo unique

    def ev(e: Any) -> Any:
        if is_number(e):
            return float(e)
        if isinstance(e, str):
            if e == "x":
                return x
            raise ValueError(f"unknown variable {e!r}: the only variable is 'x'")
        if not isinstance(e, (tuple, list)) or not e or not isinstance(e[0], str):
            raise ValueError(f"not an expression: {_short(e)}")
        if id(e) in memo:
            return memo[id(e)]
        if len(memo) > MAX_NODES:
            raise ValueError(f"the expression has more than {MAX_NODES} nodes")
        op, args = e[0], e[1:]
        if op in UNARY and len(args) == 1:
            value = getattr(lib, op)(_as_lib(ev(args[0]), x, lib))
        elif op in BINARY and len(args) == 2:
            a, b = ev(args[0]), ev(args[1])
            if op == "add":
                value = a + b
            elif op == "sub":
                value = a - b
            elif op == "mul":
                value = a * b
            elif op == "div":
                value = a / b
            else:
                value = a**b
        else:
            raise ValueError(f"unknown operation or wrong number of arguments: {_short(e)}")
        memo[id(e)] = value
        keep.append(e)
        return value

    value = ev(e)
    if lib is np:
        return np.broadcast_to(np.asarray(value, dtype=np.float64), np.shape(x)).copy()
    return value + 0 * x  # a constant becomes a tensor of the points' shape


def _as_lib(value: Any, x: Any, lib: Any) -> Any:
    return value + 0 * x if isinstance(value, float) and lib is not np else value


def _short(e: Any) -> str:
    text = repr(e)
    return text if len(text) < 60 else text[:57] + "..."


def show(e: Any) -> str:
    """`e` in ordinary notation: ("mul", "x", ("sin", "x")) -> x*sin(x)."""
    if is_number(e):
        return f"{float(e):g}" if float(e) >= 0 else f"({float(e):g})"
    if isinstance(e, str):
        return e
    op, *args = e
    if op in UNARY:
        return f"{op}({show(args[0])})"
    a, b = (show(v) for v in args)
    rank = PRECEDENCE[op]
    left, right = (PRECEDENCE.get(v[0], 9) if isinstance(v, tuple) else 9 for v in args)
    if left < rank or (op == "pow" and left == rank):
        a = f"({a})"
    if right < rank or (op != "add" and right == rank):
        b = f"({b})"
    return f"{a} {SYMBOLS[op]} {b}" if rank == 1 else f"{a}{SYMBOLS[op]}{b}"


# ---- drawing random expressions -------------------------------------------------------------


def _const(rng: np.random.Generator) -> float:
    return float(round(rng.uniform(0.5, 2.5), 1))


def piece(rng: np.random.Generator) -> tuple[Any, ...]:
    """A small polynomial in x, such as 1.5*x + 0.7 or x*(x + 2)."""
    a, b = _const(rng), _const(rng)
    choices = (
        ("add", ("mul", a, "x"), b),
        ("mul", "x", ("add", "x", a)),
        ("sub", ("mul", "x", "x"), a),
        ("sub", ("mul", a, "x"), ("mul", "x", "x")),
    )
    return choices[int(rng.integers(len(choices)))]


def random_expression(rng: np.random.Generator, depth: int) -> Any:
    if depth == 0:
        return piece(rng) if rng.random() < 0.6 else "x"
    op = str(rng.choice(["add", "sub", "mul", "div", "pow", *UNARY]))
    if op in UNARY:
        return (op, random_expression(rng, depth - 1))
    if op == "pow":
        return ("pow", random_expression(rng, depth - 1), int(rng.integers(2, 4)))
    right = random_expression(rng, depth - 1) if rng.random() < 0.8 else _const(rng)
    return (op, random_expression(rng, depth - 1), right)


def well_behaved(e: Any, x: np.ndarray, limit: float = 1e3) -> bool:
    """Finite and moderate at the points x, denominators and logarithms away from zero."""
    with np.errstate(all="ignore"):
        stack = [e]
        while stack:
            s = stack.pop()
            if not isinstance(s, tuple):
                continue
            value = evaluate(s, x)
            if not np.all(np.isfinite(value)) or np.max(np.abs(value)) > limit:
                return False
            if s[0] == "div" and np.min(np.abs(evaluate(s[2], x))) < 0.3:
                return False
            if s[0] == "log" and np.min(evaluate(s[1], x)) < 0.3:
                return False
            stack.extend(s[1:])
        d = evaluate(differentiate(e), x)
    return bool(np.all(np.isfinite(d)) and np.max(np.abs(d)) < 10 * limit)


# ---- differentiation, right and with the classic slips -----------------------------------------

SLIPS = ("product", "chain", "cos", "quotient", "power", "sub")


def differentiate(e: Any, slip: str | None = None) -> Any:
    """d e / dx as an expression; `slip` names one rule to get wrong (see SLIPS)."""
    if is_number(e):
        return 0.0
    if isinstance(e, str):
        return 1.0
    op, *args = e
    if op in UNARY:
        (u,) = args
        du = differentiate(u, slip)
        outer = {
            "sin": ("cos", u),
            "cos": ("sin", u) if slip == "cos" else ("mul", -1.0, ("sin", u)),
            "exp": ("exp", u),
            "log": ("div", 1.0, u),
        }[op]
        return outer if slip == "chain" else ("mul", outer, du)
    u, v = args
    du, dv = differentiate(u, slip), differentiate(v, slip)
    if op == "add":
        return ("add", du, dv)
    if op == "sub":
        return ("add" if slip == "sub" else "sub", du, dv)
    if op == "mul":
        if slip == "product":
            return ("mul", du, dv)
        return ("add", ("mul", du, v), ("mul", u, dv))
    if op == "div":
        top = ("add" if slip == "quotient" else "sub", ("mul", du, v), ("mul", u, dv))
        return ("div", top, ("mul", v, v))
    # pow with a number exponent
    k = float(v)
    outer = ("pow", u, k - 1) if slip == "power" else ("mul", k, ("pow", u, k - 1))
    return outer if slip == "chain" else ("mul", outer, du)
