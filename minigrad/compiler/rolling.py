"""Loops again: a long run of identical steps becomes a ``for`` loop.

Tracing unrolls every Python loop of ``fn``: a chain of 1000 steps is 1000 copies of the same
few numpy calls, some 50 KB of bytecode per function.  Straight-line code is as fast as a loop
while it sits in the CPU's caches, but a program that does other work between two calls finds
it pushed out, and reading it back costs more than the steps themselves (a 1000-step scalar
chain: its forward 0.33 ms instead of 0.19 ms, bench/compile.py).  So a run of at least
``MIN_STEPS`` identical steps is written as the loop the user wrote::

    for _ in range(1000):
        y_steps.append(y)
        add = np_sin(y) * _c + y * _c_1
        y = add

Steps are identical when their lines call the same functions on arguments of the same shapes,
dtypes and constants (and write in place alike), and each argument plays the same role in
every step: a value of the step itself; a value of the step before (*carried*, like ``y``:
before the first step, its *initial* value); a value from outside the run that is the same in
every step (a weight); or one that changes from step to step (a *stream*: what the forward
pass saved, read back in order by the backward pass).  The lines run in the same order, on the
same values: the results are the straight-line code's, bit for bit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .ir import Line, Program, Ref, key_of, refs_in, substitute

MIN_STEPS = 8  # shorter runs stay straight-line code, easier to read
MAX_PERIOD = 64  # lines per step

# Elementwise float ufuncs that give an element of an array the bits they give it alone
# (numpy runs one loop per dtype, whatever the length: tests/test_compile_rolling.py checks
# each against this machine's numpy), so a backward loop may compute them for all its steps
# at once (``batched``).  The first four are Python's operators on numpy scalars.
OPERATORS = {np.add, np.subtract, np.multiply, np.negative}
BATCHABLE = OPERATORS | {
    np.divide, np.square, np.sqrt, np.absolute, np.reciprocal, np.sin, np.cos, np.tan,
    np.arcsin, np.arccos, np.arctan, np.sinh, np.cosh, np.tanh, np.arctanh, np.exp, np.exp2,
    np.expm1, np.log, np.log2, np.log10, np.log1p, np.cbrt}
_BATCH_DTYPES = (np.dtype(np.float32), np.dtype(np.float64))  # (the dtypes the test checks)


@dataclass
class Run:
    """Lines ``start`` to ``start + period * count`` of a function, as a loop."""

    start: int
    period: int
    count: int
    body: list[Line]  # the second step's lines, carried values and streams replaced
    carries: list[tuple[int, Any, int]]  # (loop variable, its initial value, body value)
    streams: list[tuple[int, list[int]]]  # (loop variable, the value of each step)
    slots: dict[int, list[int]]  # body value -> its value in each step
    after: dict[int, int]  # a value of the last step -> the body value (its name after)

    @property
    def end(self) -> int:
        return self.start + self.period * self.count

    def sequences(self) -> dict[int, list[int]]:
        """The values each loop variable or body value takes, step by step (what a list
        appended to in the loop would hold)."""
        seqs = dict(self.slots)
        for var, init, src in self.carries:
            if isinstance(init, Ref):
                seqs[var] = [init.id] + self.slots[src][:-1]
        return seqs


def _key(prog: Program, ln: Line) -> Any:
    def shape(x: Any) -> Any:
        if isinstance(x, Ref):
            v = prog.values[x.id]
            return ("R", v.shape, None if v.dtype is None else v.dtype.str)
        if isinstance(x, (tuple, list)):
            return (type(x).__name__, tuple(shape(i) for i in x))
        if isinstance(x, dict):
            return ("d", tuple((k, shape(v)) for k, v in sorted(x.items())))
        return key_of(x)

    fn = (id(ln.fn[0]), ln.fn[1]) if ln.kind == "ufunc" else ln.fn if isinstance(
        ln.fn, str) else id(ln.fn)
    spot = None if ln.inplace is None else [r == Ref(ln.inplace) for r in ln.args].index(True)
    outs = tuple((prog.values[o].shape, str(prog.values[o].dtype)) for o in ln.outs)
    return (ln.kind, fn, shape(ln.args), shape(ln.kwargs), outs, spot)


def _longest(keys: list[Any]) -> tuple[int, int, int] | None:
    """(start, period, count) of the run of repeated steps covering the most lines."""
    best = None
    n = len(keys)
    for p in range(1, min(MAX_PERIOD, n // MIN_STEPS) + 1):
        j = 0
        while j + p < n:
            if keys[j] != keys[j + p]:
                j += 1
                continue
            a = j
            while j + p < n and keys[j] == keys[j + p]:
                j += 1
            count = (j + p - a) // p
            if count >= MIN_STEPS and (best is None or count * p > best[1] * best[2]):
                best = (a, p, count)
    return best


def find(prog: Program, lines: list[Line]) -> Run | None:
    """The longest run of identical steps in ``lines``, as a loop; None if there is none, or
    if a value of a step before the last is read by a later line (the values the function
    returns or saves are the caller's to check: it keeps saved ones in lists)."""
    found = _longest([_key(prog, ln) for ln in lines])
    if found is None:
        return None
    s, p, count = found
    end = s + p * count
    at = {o: (i, k) for i, ln in enumerate(lines) for k, o in enumerate(ln.outs)}

    def role(r: int, step: int) -> Any:
        i, k = at.get(r, (-1, 0))
        base = s + step * p
        if base <= i < base + p:
            return ("in", i - base, k)
        if step > 0 and base - p <= i < base:
            return ("carry", i - base + p, k)
        if s <= i < end:
            return ("far",)  # from two steps back or more: not a loop
        return ("out", r)

    refs = [[refs_in((ln.args, ln.kwargs)) for ln in lines[s + step * p:s + step * p + p]]
            for step in range(count)]
    body_vid = {(i, k): o for i in range(p) for k, o in enumerate(lines[s + p + i].outs)}
    mapping: dict[int, Ref] = {}
    carries: dict[int, tuple[int, Any, int]] = {}
    streams: dict[tuple[int, ...], int] = {}
    for i in range(p):
        for pos, r1 in enumerate(refs[1][i]):
            want = role(r1, 1)
            seen = [refs[step][i][pos] for step in range(count)]
            if want[0] == "far":
                return None
            if want[0] == "in":
                if any(role(r, step) != want for step, r in enumerate(seen)):
                    return None
                continue
            if want[0] == "carry":
                if any(role(r, step) != want for step, r in enumerate(seen) if step):
                    return None
                init = seen[0]
                if role(init, 0)[0] != "out":
                    return None
                src = body_vid[want[1:]]
                var = carries[src][0] if src in carries else prog.new(
                    prog.values[src].shape, prog.values[src].dtype, prog.values[src].name)
                if src in carries and carries[src][1] != Ref(init):
                    return None  # one carried value, two initial values
                carries[src] = (var, Ref(init), src)
                new: Any = Ref(var)
            else:
                if any(role(r, step)[0] != "out" for step, r in enumerate(seen)):
                    return None
                if len(set(seen)) == 1:
                    continue  # the same value in every step: read as it is
                key = tuple(seen)
                if key not in streams:
                    v = prog.values[seen[0]]
                    streams[key] = prog.new(v.shape, v.dtype, v.name)
                new = Ref(streams[key])
            if mapping.get(r1, new) != new:
                return None  # one value, two roles
            mapping[r1] = new
    slots = {o: [lines[s + step * p + i].outs[k] for step in range(count)]
             for (i, k), o in body_vid.items()}
    after = {seq[-1]: o for o, seq in slots.items()}
    body = rename(lines[s + p:s + 2 * p], {v: r.id for v, r in mapping.items()})
    run = Run(s, p, count, body, list(carries.values()),
              [(var, list(key)) for key, var in streams.items()], slots, after)
    early = {v for v, step in inside(run).items() if step < count - 1}
    for ln in lines[end:]:  # a value of a step before the last, read after the run
        if early & set(refs_in((ln.args, ln.kwargs))):
            return None
    return run


def batched(prog: Program, run: Run, keep: set[int]) -> list[Line]:
    """The lines of a loop's body that read only its streams (what the forward pass saved,
    step by step), each other and constants: one-element float values, computed by ufuncs
    in ``BATCHABLE``.  The code computes them for every step at once, before the loop: one
    numpy call on an array of the steps' values instead of one call per step (a scalar
    chain's ``cos(y)``: ~120 ns a step, against ~25 ns to gather, compute and read back).
    Operators (``OPERATORS``, a Python operator per step, ~35 ns) join only to carry on from
    a batched value.  ``keep``: values read by name outside the body, carried or appended
    to a list by the loop, which stay per step."""
    def one_float(v: int) -> bool:
        value = prog.values[v]
        return (value.shape == () and value.dtype is not None  # (None == float64, to numpy)
                and value.dtype in _BATCH_DTYPES)

    streams = {var for var, _ in run.streams if one_float(var)}
    found: list[Line] = []
    made: set[int] = set()  # the values of the lines found so far
    for ln in run.body:
        reads = refs_in((ln.args, ln.kwargs))
        if (ln.kind == "ufunc" and ln.fn[1] == "__call__" and ln.fn[0] in BATCHABLE
                and not ln.kwargs and ln.inplace is None and len(ln.outs) == 1
                and one_float(ln.out) and ln.out not in keep and reads
                and all(r in streams or r in made for r in reads)
                and (ln.fn[0] not in OPERATORS or any(r in made for r in reads))):
            found.append(ln)
            made.add(ln.out)
    return found


def inside(run: Run) -> dict[int, int]:
    """Each value computed in the run -> its step."""
    return {v: step for seq in run.slots.values() for step, v in enumerate(seq)}


def locate(run: Run, values: list[int]) -> tuple[int, int, int, bool] | None:
    """Where ``values`` (a stream another function reads) lie in this run's sequences:
    (loop variable or body value, start, stop, reversed), or None."""
    for var, seq in run.sequences().items():
        for order in (False, True):
            want = values[::-1] if order else values
            try:
                a = seq.index(want[0])
            except ValueError:
                continue
            if seq[a:a + len(want)] == want:
                return var, a, a + len(want), order
    return None


def rename(lines: list[Line], mapping: dict[int, int]) -> list[Line]:
    """``lines`` reading ``mapping[v]`` wherever they read value ``v``."""
    refs = {v: Ref(w) for v, w in mapping.items()}
    return [Line(ln.kind, ln.fn, substitute(ln.args, refs), substitute(ln.kwargs, refs),
                 ln.outs, mapping.get(ln.inplace, ln.inplace) if ln.inplace is not None
                 else None) for ln in lines]


@dataclass
class Plan:
    """Which runs of a compiled function's forward and backward become loops, and how the
    forward's saved values reach the backward: one by one, or in lists the loop fills."""

    forward: tuple[Run, dict[int, int], dict[int, Any]] | None = None
    backward: list[tuple[Run, dict[int, int], dict[int, Any]] | None] = field(
        default_factory=list)
    saved: list[int] = field(default_factory=list)  # the saved tuple: lists, then values
    taken: dict[int, tuple[int, int]] = field(default_factory=dict)  # value -> (list, index)

    def forward_name(self, v: int) -> int:
        """The value the forward function names ``v`` by (a last step's value: the body's)."""
        return self.forward[0].after.get(v, v) if self.forward else v


def plan(prog: Program, forward: list[Line], backwards: list[list[Line]], outs: set[int],
         saved: set[int], returned: list[set[int]]) -> Plan:
    """Roll what can be rolled: the forward when no value of an early step is returned and
    every saved one can go into a list; a backward (one per compiled function at most) when
    each of its streams is a stretch of such a list and no early value is returned."""
    fwd = find(prog, forward)
    if fwd is not None and (fwd.streams or set(_early(fwd)) & outs):
        fwd = None
    result = Plan(saved=sorted(saved))
    if fwd is None and len(backwards) != 1:
        result.backward = [None] * len(backwards)
        return result
    seqs = fwd.sequences() if fwd is not None else {}
    lists: dict[int, int] = {}

    def list_of(src: int) -> int:
        if src not in lists:
            lists[src] = prog.new((), None, (prog.values[src].name or "t") + "_steps")
        return lists[src]

    for lines, keep in zip(backwards, returned):
        bwd = find(prog, lines) if len(backwards) == 1 else None
        if bwd is not None and set(_early(bwd)) & keep:
            bwd = None
        streams: dict[int, Any] = {}
        for var, values in bwd.streams if bwd is not None else []:
            where = locate(fwd, values) if fwd is not None else None
            if where is None:
                bwd, streams = None, {}
                break
            streams[var] = where
        if bwd is None:
            result.backward.append(None)
            continue
        result.backward.append((bwd, {}, {var: (list_of(src), a, b, rev, fwd.count)  # type: ignore[union-attr]
                                          for var, (src, a, b, rev) in streams.items()}))
    if fwd is None:
        return result
    early = _early(fwd)
    for v in sorted(saved):  # a saved value of an early step goes into a list
        if v in early and not any(v in seqs[src] for src in lists):
            list_of(next(o for o, seq in fwd.slots.items() if v in seq))
    result.forward = (fwd, lists, {})
    result.saved = sorted(lists.values()) + [v for v in sorted(saved) if v not in early]
    for lines, rolled in zip(backwards, result.backward):
        reads = lines if rolled is None else \
            [*lines[:rolled[0].start], *rolled[0].body, *lines[rolled[0].end:]]
        read = {r for ln in reads for r in refs_in((ln.args, ln.kwargs))}
        read |= {i.id for _, i, _ in rolled[0].carries if isinstance(i, Ref)} if rolled else set()
        for v in read & set(early):
            src = next(src for src in lists if v in seqs[src])
            result.taken[v] = (lists[src], seqs[src].index(v))
    return result


def _early(run: Run) -> dict[int, int]:
    """The values of the run's steps before the last, and their step."""
    return {v: step for v, step in inside(run).items() if step < run.count - 1}
