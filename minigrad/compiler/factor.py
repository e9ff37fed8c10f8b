"""The one pass that changes rounding, run only for ``minigrad.compile(fn, exact=False)``.

The chain rule sums the paths that reach a value, and the paths often share their start:
the backward of ``y = sin(x)*a + x*b`` gives x the gradient ``g*b + (g*a)*cos(x)``, four
operations, where the derivative written by hand, ``g*(a*cos(x) + b)``, takes three.  This
pass finds such a sum of two products that share a factor and takes the factor out:
``p*q + p*r*s`` becomes ``p*(q + r*s)``.

Both forms are right, but floating point rounds them differently, so the result may differ
from eager minigrad's in its last bits (as torch.compile's, or C's ``-ffast-math``, may);
and a product that overflowed before may not now.  That is why the default code (``exact``)
keeps the engine's order and gives eager minigrad's results to the bit.

A product is taken apart only where its value is used once, by the sum (otherwise it is
computed anyway, and nothing is saved), and only where every factor has the result's dtype
(so that numpy's type promotion cannot differ between the two forms).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .ir import Line, Program, Ref, refs_in


def factor(prog: Program, lines: list[Line], keep: set[int]) -> list[Line]:
    """``lines`` with each sum of two products sharing a factor rewritten; ``keep`` are the
    values read after these lines (returned or saved), whose products stay whole."""
    uses: dict[int, int] = {}
    for ln in lines:
        for r in refs_in((ln.args, ln.kwargs)):
            uses[r] = uses.get(r, 0) + 1
    made = {ln.out: ln for ln in lines if _is(ln, "multiply")}
    dropped: set[int] = set()  # the ids of products taken apart
    out: list[Line] = []
    for ln in lines:
        if not _is(ln, "add"):
            out.append(ln)
            continue
        dtype = prog.values[ln.out].dtype

        def factors(x: Any, taken: list[int]) -> list[Any]:
            if (isinstance(x, Ref) and x.id in made and uses.get(x.id) == 1
                    and x.id not in keep and x.id not in dropped):
                taken.append(x.id)
                a, b = made[x.id].args
                return factors(a, taken) + factors(b, taken)
            return [x]

        taken: list[int] = []
        left, right = factors(ln.args[0], taken), factors(ln.args[1], taken)
        common = next((f for f in left if isinstance(f, Ref) and f in right), None)
        if (common is None or not taken or dtype is None or dtype.kind != "f"
                or not all(_dtype_of(prog, f) == dtype for f in left + right)):
            out.append(ln)
            continue
        left.remove(common)
        right.remove(common)
        new: list[Line] = []
        inner = Line("ufunc", (np.add, "__call__"), (_product(prog, left, dtype, new),
                                      _product(prog, right, dtype, new)), {}, ())
        inner.outs = (prog.new(_shape(prog, inner.args), dtype, owned=True),)
        new.append(inner)
        if _shape(prog, (common, Ref(inner.out))) != prog.values[ln.out].shape:
            out.append(ln)  # (cannot happen: broadcasting is associative)
            continue
        new.append(Line("ufunc", (np.multiply, "__call__"), (common, Ref(inner.out)), {},
                        ln.outs))
        dropped.update(taken)
        made[ln.out] = new[-1]  # a product now, which a later sum may take apart
        out += new
    return [ln for ln in out if ln.out not in dropped]


def _is(ln: Line, name: str) -> bool:
    return (ln.kind == "ufunc" and ln.fn[1] == "__call__" and ln.fn[0].__name__ == name
            and len(ln.args) == 2 and not ln.kwargs and len(ln.outs) == 1)


def _dtype_of(prog: Program, x: Any) -> Any:
    if isinstance(x, Ref):
        return prog.values[x.id].dtype
    return x.dtype if isinstance(x, (np.ndarray, np.generic)) else None


def _shape(prog: Program, xs: tuple[Any, ...]) -> tuple[int, ...]:
    return np.broadcast_shapes(*(prog.values[x.id].shape if isinstance(x, Ref) else np.shape(x)
                                 for x in xs))


def _product(prog: Program, xs: list[Any], dtype: Any, into: list[Line]) -> Any:
    """The product of ``xs`` in their order (lines appended to ``into``), or the one factor."""
    if not xs:
        return dtype.type(1)
    acc = xs[0]
    for x in xs[1:]:
        vid = prog.new(_shape(prog, (acc, x)), dtype, owned=True)
        into.append(Line("ufunc", (np.multiply, "__call__"), (acc, x), {}, (vid,)))
        acc = Ref(vid)
    return acc
