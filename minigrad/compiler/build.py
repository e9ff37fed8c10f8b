"""From a trace to two programs: the forward lines, and one backward program per output.

The forward program is each op's recorded ``forward`` in the order the ops ran.  The backward
program walks the ops from the last created to the first — the order in which minigrad's
engine runs them (a node's consumers are all created after it, so the latest node not yet run
is always ready) — splicing in each op's recorded ``backward``, then, as the engine does,
un-broadcasting (``autograd.unbroadcast``) and casting each input's gradient when its shape or
dtype differs from the output's, and summing gradients that reach one value in the order they
arrive.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..autograd.engine import unbroadcast
from . import rules
from .ir import Line, Ref, key_of, refs_in, substitute
from .trace import Trace

_templates: dict[Any, rules.Template] = {}  # op rules recorded once per (op, params, shapes)


class OpCall:
    """An op that runs as a call of its own methods (its rules could not be recorded).  Each
    call makes its own op instance, as an eager call does, and keeps it with the saved values:
    what ``forward`` stores on ``self`` is there for that call's ``backward``.  ``dynamic``:
    the values its parameters read (an index computed from the inputs), passed after its
    inputs."""

    def __init__(self, make: Any, n_inputs: int = 0, dynamic: tuple[int, ...] = ()) -> None:
        self.make, self.n, self.dynamic = make, n_inputs, dynamic
        self.op = make()
        self.__name__ = type(self.op).__name__

    def forward(self, *arrays: Any) -> tuple[Any, Any]:
        if self.dynamic:
            op = self.make(dict(zip(self.dynamic, arrays[self.n:])))
            arrays = arrays[:self.n]
        else:
            op = self.make()
        return np.asarray(op.forward(*arrays)), (op, op.saved_tensors)

    def backward(self, g: Any, saved: Any) -> tuple[Any, ...]:
        op, values = saved
        return tuple(op.backward(g, *values))


def _make(cls: Any, params: dict[str, Any], needs: tuple[bool, ...]) -> Any:
    def make(values: dict[int, Any] | None = None) -> Any:
        """An op instance; ``values``: the arrays for the Refs in its parameters."""
        op = cls.__new__(cls)
        for name, value in params.items():
            setattr(op, name, value if values is None else substitute(value, values))
        op.needs_input_grad = needs
        op.saved_tensors = ()
        return op
    return make


def _template(tr: Trace, rec: tuple[Any, ...]) -> rules.Template:
    _, cls, params, needs, ins, edges, out = rec
    grad = tr.grad[out]
    arrays = [tr.arrays[i] for i in ins]
    key = (cls, key_of(params), needs, grad, tuple((a.shape, a.dtype.str) for a in arrays))
    cacheable = "id" not in repr(key[1]) and key[1] is not None
    if cacheable and key in _templates:
        return _templates[key]
    t = rules.template(_make(cls, params, needs), arrays, grad)
    if cacheable:
        _templates[key] = t
    return t


class Builder:
    def __init__(self, tr: Trace) -> None:
        self.tr, self.prog = tr, tr.program
        self.forward: list[Line] = []
        self.ops: list[tuple[tuple[Any, ...], rules.Template, dict[int, Any], Any]] = []
        self.alias: dict[int, Any] = {}  # value id -> what it equals (Ref or constant)

    def splice(self, lines: list[Line], mapping: dict[int, Any], values: dict[int, Any],
               into: list[Line], fixed: dict[int, int] | None = None) -> None:
        """Copy template lines into ``into``, numbering their values in the program."""
        for ln in lines:
            outs = []
            for o in ln.outs:
                if fixed and o in fixed:
                    vid = fixed[o]
                    self.prog.values[vid].owned = ln.kind == "ufunc"
                else:
                    v = values[o]
                    vid = self.prog.new(v.shape, v.dtype, owned=ln.kind == "ufunc")
                mapping[o] = Ref(vid)
                outs.append(vid)
            into.append(Line(ln.kind, ln.fn, substitute(ln.args, mapping),
                             substitute(ln.kwargs, mapping), tuple(outs)))

    def build_forward(self) -> None:
        for rec in self.tr.records:
            if isinstance(rec, Line):
                self.forward.append(rec)
                continue
            _, cls, params, needs, ins, edges, out = rec
            dynamic = tuple(refs_in(list(params.values())))  # an index from the inputs
            t = rules.Template(len(ins)) if dynamic else _template(self.tr, rec)
            mapping: dict[int, Any] = {i: Ref(v) for i, v in enumerate(ins)}
            if dynamic or t.op is not None:  # a call of the op's own forward
                call = OpCall(_make(cls, params, needs), len(ins), dynamic)
                saved = self.prog.new((), None, "saved_" + cls.__name__.lower())
                self.forward.append(Line("call", call.forward,
                                         tuple(Ref(i) for i in (*ins, *dynamic)), {},
                                         (out, saved)))
                self.ops.append((rec, t, mapping, (call, saved)))
                continue
            fixed = {t.out.id: out} if t.out.id >= t.n else {}
            self.splice(t.forward, mapping, t.values, self.forward, fixed)
            if not fixed:  # the op returned one of its inputs
                self.alias[out] = mapping[t.out.id]
            self.ops.append((rec, t, mapping, None))

    def record(self, f: Any, vids: list[int], into: list[Line]) -> int:
        """Splice the numpy calls of ``f`` (engine code: unbroadcast, a cast, a sum)."""
        rec = rules.Recorder()
        rules._recorder.append(rec)
        try:
            args = [rec.placeholder(np.zeros(self.prog.values[v].shape,
                                             self.prog.values[v].dtype)) for v in vids]
            result = rec.result(f(*args))
        finally:
            rules._recorder.pop()
        mapping: dict[int, Any] = {i: Ref(v) for i, v in enumerate(vids)}
        self.splice(rec.lines, mapping, {k: np.asarray(v) for k, v in rec.values.items()}, into)
        got = substitute(result, mapping)
        return got.id

    def build_backward(self, out: int) -> tuple[int, list[Line], dict[int, int]]:
        """Lines for the gradients of every value that requires grad, from ``out``'s."""
        v = self.prog.values[out]
        g0 = self.prog.new(v.shape, v.dtype, "grad_" + (v.name or "out"))
        grads: dict[int, int] = {self._resolve(out): g0}
        lines: list[Line] = []
        for rec, t, mapping, call in reversed(self.ops):
            _, cls, params, needs, ins, edges, vout = rec
            vout = self._resolve(vout)
            if vout not in grads or not self.tr.grad[rec[6]]:
                continue
            g = grads.pop(vout)
            if call is not None:
                op_call, saved = call
                outs = tuple(self.prog.new(self.prog.values[i].shape, None) for i in ins)
                lines.append(Line("call", op_call.backward, (Ref(g), Ref(saved)), {}, outs))
                probe = self._probe(op_call, ins)
                gis: list[Any] = [Ref(o) if p is not None else None for o, p in zip(outs, probe)]
                for o, p in zip(outs, probe):
                    if p is not None:
                        self.prog.values[o].dtype = np.asarray(p).dtype
                        self.prog.values[o].shape = np.shape(p)
            else:
                m = dict(mapping)
                m[t.g] = Ref(g)
                self.splice(t.backward, m, t.values, lines)
                gis = [substitute(gi, m) for gi in t.grads]
            vo = self.prog.values[vout]
            for vin, edge, gi in zip(ins, edges, gis):
                if gi is None or not edge:
                    continue
                if not isinstance(gi, Ref):
                    gi = Ref(self._constant_line(gi, lines))
                vi = self.prog.values[vin]
                gid = gi.id
                if vi.shape != vo.shape or vi.dtype != vo.dtype:  # the engine's input_meta
                    if self.prog.values[gid].shape != vi.shape:
                        gid = self.record(lambda a, s=vi.shape: unbroadcast(a, s), [gid], lines)
                    if self.prog.values[gid].dtype != vi.dtype:
                        gid = self.record(lambda a, d=vi.dtype: a.astype(d), [gid], lines)
                vin = self._resolve(vin)
                if vin in grads:
                    gid = self.record(lambda a, b: a + b, [grads[vin], gid], lines)
                grads[vin] = gid
        return g0, lines, grads

    def _resolve(self, vid: int) -> int:
        got = self.alias.get(vid)
        return got.id if isinstance(got, Ref) else vid

    def _probe(self, call: OpCall, ins: list[int]) -> tuple[Any, ...]:
        with np.errstate(all="ignore"):
            out, saved = call.forward(*[self.tr.arrays[i] for i in (*ins, *call.dynamic)])
            return call.backward(np.ones_like(out), saved)

    def _constant_line(self, c: Any, lines: list[Line]) -> int:
        a = np.asarray(c)
        vid = self.prog.new(a.shape, a.dtype)
        lines.append(Line("func", np.asarray, (a,), {}, (vid,)))
        return vid


def used(lines: list[Line]) -> set[int]:
    return {i for ln in lines for i in refs_in((ln.args, ln.kwargs))}
