"""Passes over the straight-line programs, before they become source (``codegen.py``).

A define-then-run graph is known whole before it runs, so it can be rewritten once:

* constant folding: a line whose arguments are all constants runs now, once;
* constants in the array's dtype: ``y * 0.1`` becomes ``y * c0`` with ``c0 = np.float32(0.1)``,
  which numpy would otherwise convert on every call (bit-identical: numpy casts a Python
  number to the array's dtype anyway); next to an array, ``c0`` is a 0-d array, which a ufunc
  takes as it is, where it makes a numpy scalar into an array on every call;
* algebraic identities: ``g * 1``, ``g / 1`` and ``g ** 1`` are ``g`` when the shape and dtype
  stay (each exactly: IEEE multiplication, division and ``pow`` by one return their input);
* common subexpressions: the same call on the same arguments is made once;
* dead values: lines nobody reads are dropped, and a value is deleted after its last use;
* in place: a ufunc writes into the buffer of an argument that dies on that line, has the
  result's shape and dtype, more than one element, and that no other value can see (it was
  made by a ufunc of this program and never handed to a call that might return a view); the
  argument's name is deleted with it, so that the buffer dies with its last name.

* Python floats: a float64 value of one element that only float64 one-element arithmetic
  reads is a Python float, whose ``+ - *`` are the same IEEE operations as numpy's, in a
  third of the time (numpy's scalars go through its type machinery on every operation);
  numpy's functions (``np.sin``) and ``/`` (Python's raises on a zero) still compute, and
  ``float()`` takes their result exactly.  Where else float64 meets a Python float, numpy
  would promote differently, so nothing else is changed.

Two more passes have files of their own: ``rolling.py`` (a long run of identical steps as a
loop) and ``factor.py`` (``exact=False`` only).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .ir import Line, Program, Ref, key_of, refs_in, substitute


def evaluate(ln: Line, args: Any, kwargs: Any) -> Any:
    if ln.kind == "ufunc":
        ufunc, method = ln.fn
        return getattr(ufunc, method)(*args, **kwargs)
    if ln.kind == "func":
        return ln.fn(*args, **kwargs)
    if ln.kind == "method":
        return getattr(args[0], ln.fn)(*args[1:], **kwargs)
    if ln.kind == "getitem":
        return args[0][args[1]]
    return getattr(args[0], ln.fn)


def _is_one(c: Any) -> bool:
    if isinstance(c, bool) or not isinstance(c, (int, float, np.ndarray, np.generic)):
        return False
    a = np.asarray(c)
    return a.size == 1 and a.dtype.kind in "iuf" and bool(a == 1)


def simplify(prog: Program, lines: list[Line], env: dict[int, Any]) -> list[Line]:
    """Folding, dtype'd constants, identities and CSE, in one pass; ``env`` collects what
    each removed value equals."""
    seen: dict[Any, int] = {}
    kept = []
    with np.errstate(all="ignore"):
        for ln in lines:
            args, kwargs = substitute(ln.args, env), substitute(ln.kwargs, env)
            out = prog.values[ln.out]
            if ln.kind != "call" and not refs_in((args, kwargs)):
                env[ln.out] = evaluate(ln, args, kwargs)
                continue
            if ln.kind == "ufunc" and ln.fn[1] == "__call__":
                dts = {prog.values[a.id].dtype for a in args if isinstance(a, Ref)}
                if len(dts) == 1 and next(iter(dts)).kind == "f":
                    dt = next(iter(dts))
                    args = tuple(dt.type(a) if isinstance(a, (int, float))
                                 and not isinstance(a, bool) else a for a in args)
                name = ln.fn[0].__name__
                if name in ("multiply", "divide", "true_divide", "power") and len(args) == 2:
                    keep = [(a, b) for a, b in ((args[0], args[1]), (args[1], args[0]))
                            if isinstance(a, Ref) and _is_one(b)]
                    if name != "multiply":  # x / 1 and x ** 1 are x; 1 / x and 1 ** x are not
                        keep = keep[:1] if keep and keep[0][0] is args[0] else []
                    for a, _ in keep:
                        va = prog.values[a.id]
                        if va.shape == out.shape and va.dtype == out.dtype and not kwargs:
                            env[ln.out] = a
                            break
                    if ln.out in env:
                        continue
            key = None
            if ln.kind != "call":
                fn = (ln.fn[0].__name__, ln.fn[1]) if ln.kind == "ufunc" else ln.fn
                key = (ln.kind, fn, key_of(args), key_of(kwargs))
                if None in key or "id" in repr(key[2:]):
                    key = None
            if key is not None and key in seen:
                env[ln.out] = Ref(seen[key])
                continue
            if key is not None:
                seen[key] = ln.out
            kept.append(Line(ln.kind, ln.fn, args, kwargs, ln.outs))
    return kept


def prune(lines: list[Line], needed: set[int]) -> list[Line]:
    """Drop lines whose values nobody needs (walking backwards)."""
    needed = set(needed)
    kept = []
    for ln in reversed(lines):
        if any(o in needed for o in ln.outs):
            kept.append(ln)
            needed.update(refs_in((ln.args, ln.kwargs)))
    return kept[::-1]


def in_place(prog: Program, lines: list[Line], survive: set[int]) -> dict[int, int]:
    """Choose ``out=`` buffers; return each value's last line (for ``del``)."""
    last: dict[int, int] = {}
    exposed: set[int] = set()
    for i, ln in enumerate(lines):
        for r in refs_in((ln.args, ln.kwargs)):
            last[r] = i
        if ln.kind != "ufunc":
            exposed.update(refs_in((ln.args, ln.kwargs)))
    defined = {o for ln in lines for o in ln.outs}
    for i, ln in enumerate(lines):
        out = prog.values[ln.out]
        if ln.kind != "ufunc" or ln.fn[1] != "__call__" or ln.kwargs:
            continue
        if math.prod(out.shape) <= 1:
            continue  # numpy is slower in place on one element
        for a in ln.args:
            if not isinstance(a, Ref) or a.id in survive or a.id in exposed:
                continue
            v = prog.values[a.id]
            if (a.id in defined and v.owned and last.get(a.id) == i and v.shape == out.shape
                    and v.dtype == out.dtype and sum(r == a for r in ln.args) == 1):
                ln.inplace = a.id
                out.owned = True
                break
    return last


_FLOAT64 = np.dtype(np.float64)


def python_floats(prog: Program, functions: list[list[Line]]) -> set[int]:
    """The values the code may hold as Python floats: float64, one element, read only by
    ufunc calls on such values whose result is one too (see the module's docstring)."""
    def scalar(x: Any) -> bool:
        if isinstance(x, Ref):
            v = prog.values[x.id]
            return v.shape == () and v.dtype == _FLOAT64
        return (isinstance(x, (float, int, np.float64)) and not isinstance(x, bool)
                or isinstance(x, np.ndarray) and x.shape == () and x.dtype == _FLOAT64)

    floats = {vid for vid, v in prog.values.items() if v.shape == () and v.dtype == _FLOAT64}
    for lines in functions:
        for ln in lines:
            reads = refs_in((ln.args, ln.kwargs))
            if not (ln.kind == "ufunc" and ln.fn[1] == "__call__" and not ln.kwargs
                    and len(ln.outs) == 1 and scalar(Ref(ln.out)) and all(map(scalar, ln.args))):
                floats.difference_update(reads)
            if ln.kind == "call" or len(ln.outs) > 1:  # an op's own method: its results stay
                floats.difference_update(ln.outs)
    return floats
