"""Workload 5: forward-mode JVP through the deep chain, against the primal alone.

A JVP carries a tangent beside each primal value: y' = (1.0001*cos(y) + 0.1) * y' per step,
so it should cost a small multiple of the primal (the floor: ~2x, one sin and one cos per
step) and record no graph. minigrad: ``minigrad.autograd.forward_ad`` (and ``minigrad.func.jvp``
when present); torch: ``torch.autograd.forward_ad`` and ``torch.func.jvp``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

import numpy as np
import torch
from chain import DTYPES, SHAPES, A, B, chain, inputs
from common import ENGINES, Result, Table, measure

import minigrad

# Where minigrad's forward mode lives; while it is being written, what is missing is reported.
MINIGRAD_FORWARD_MODE = {"forward_ad": "minigrad.autograd.forward_ad", "func.jvp": "minigrad.func"}


def numpy_primal(x: np.ndarray, n: int) -> np.ndarray:
    y = x
    for _ in range(n):
        y = np.sin(y) * A + B * y
    return y


def numpy_jvp(x: np.ndarray, tangent: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Primal and tangent side by side: the tangent uses the same step's cos(y)."""
    y, t = x, tangent
    for _ in range(n):
        t = (A * np.cos(y) + B) * t
        y = np.sin(y) * A + B * y
    return y, t


def forward_ad_jvp(lib: Any, fw_ad: Any, n: int) -> Callable[[Any, Any], Any]:
    """JVP with dual tensors: ``make_dual`` in, run the chain, ``unpack_dual`` out."""

    def jvp(x: Any, t: Any) -> Any:
        with fw_ad.dual_level():
            y = chain(lib, fw_ad.make_dual(x, t), n)
            primal, tangent = fw_ad.unpack_dual(y)
        return tangent

    return jvp


def func_jvp(lib: Any, func: Any, n: int) -> Callable[[Any, Any], Any]:
    return lambda x, t: func.jvp(lambda y: chain(lib, y, n), (x,), (t,))[1]


def jvp_methods(n: int) -> dict[str, dict[str, Any]]:
    """For each way of computing a JVP, each engine's ``jvp(x, t) -> tangent`` function; for
    minigrad, while its forward mode is not there, a string saying why instead."""
    methods: dict[str, dict[str, Any]] = {
        "forward_ad": {"torch": forward_ad_jvp(torch, torch.autograd.forward_ad, n)},
        "func.jvp": {"torch": func_jvp(torch, torch.func, n)},
    }
    for method, make in (("forward_ad", forward_ad_jvp), ("func.jvp", func_jvp)):
        try:
            module = importlib.import_module(MINIGRAD_FORWARD_MODE[method])
            methods[method]["minigrad"] = make(minigrad, module, n)
        except (ImportError, AttributeError) as error:
            methods[method]["minigrad"] = f"minigrad forward mode not available ({error})"
    for fns in methods.values():
        fns["numpy"] = lambda x, t: numpy_jvp(x, t, n)[1]
    return methods


def check(n: int = 30) -> dict[str, str]:
    """numpy's tangent, and minigrad's where it exists, equal torch's. What is wrong with the
    numpy floor is fatal; minigrad's forward mode is being written, so that it is missing or
    raises is returned ({method: problem}) and reported instead."""
    problems: dict[str, str] = {}
    for shape in SHAPES.values():
        x0, t0 = inputs(shape, DTYPES["float32"])
        for method, fns in jvp_methods(n).items():
            want = fns["torch"](torch.tensor(x0), torch.tensor(t0)).numpy()
            np.testing.assert_allclose(fns["numpy"](x0, t0), want, rtol=1e-4, atol=1e-6,
                                       err_msg="JVP: numpy != torch")
            if isinstance(fns["minigrad"], str):
                problems[method] = fns["minigrad"]
                continue
            try:
                got = fns["minigrad"](minigrad.tensor(x0), minigrad.tensor(t0)).numpy()
            except Exception as error:  # report it and keep going
                problems[method] = (f"minigrad forward mode failed: {type(error).__name__}: "
                                    f"{error}")
                continue
            np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-6,
                                       err_msg=f"JVP ({method}): minigrad != torch")
    return problems


def run(quick: bool = False) -> Result:
    problems = check()
    n, repeats, warmup = (10, 1, 0) if quick else (1000, 5, 1)
    table = Table(f"5. forward-mode JVP through the deep chain (float32, n={n})")
    for label, shape in SHAPES.items():
        x0, t0 = inputs(shape, DTYPES["float32"])
        args = {"minigrad": (minigrad.tensor(x0), minigrad.tensor(t0)),
                "torch": (torch.tensor(x0), torch.tensor(t0)), "numpy": (x0, t0)}
        primal_fns = {"minigrad": lambda x: chain(minigrad, x, n),
                      "torch": lambda x: chain(torch, x, n), "numpy": lambda x: numpy_primal(x, n)}
        primal = {name: measure(lambda f=primal_fns[name], x=args[name][0]: f(x), None,
                                repeats, warmup).forward for name in ENGINES}
        case = f"{label} n={n}"
        table.add(case, "primal ms", *(primal[e] * 1e3 for e in ENGINES))
        for method, fns in jvp_methods(n).items():
            jvp: dict[str, float | None] = {"minigrad": None}
            for name in ENGINES:
                if name != "minigrad" or method not in problems:
                    jvp[name] = measure(lambda f=fns[name], a=args[name]: f(*a), None,
                                        repeats, warmup).forward
            table.add(case, f"JVP ms ({method})", *(ms(jvp[e]) for e in ENGINES))
            table.add(case, f"JVP/primal ({method})", *(ratio(jvp[e], primal[e]) for e in ENGINES),
                      ratios=False)
    table.notes.append("the numpy floor computes the same JVP in both method rows; the primal "
                       "runs on tensors that do not require grad (no graph).")
    table.notes += [f"{method}: {problem}" for method, problem in problems.items()]
    return Result([table], {"problems": problems})


def ms(seconds: float | None) -> float | None:
    return None if seconds is None else seconds * 1e3


def ratio(top: float | None, bottom: float) -> float | None:
    return None if top is None else top / bottom


if __name__ == "__main__":
    from common import main

    main(run, doc=__doc__)
