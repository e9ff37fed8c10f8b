"""One signature's generated code (``_Entry``): trace ``fn``, build and optimise its programs,
write them as Python source, and run it; a call of ``minigrad.compile``'s function picks the
entry for its signature (``__init__.py``).
"""

from __future__ import annotations

import inspect
from typing import Any

import numpy as np

from .._grad_mode import state
from ..nn.module import Module
from ..tensor import Tensor
from . import codegen, passes, rolling, trace
from .build import Builder, used
from .factor import factor
from .guards import names_of
from .ir import Line, Ref, refs_in, substitute
from .node import _CompiledNode, eager_saves


class _Entry:
    """The generated code for one signature, and how to call it."""

    def __init__(self, fn: Any, args: tuple[Any, ...], exact: bool) -> None:
        self.positions = [i for i, a in enumerate(args) if isinstance(a, Tensor)]
        names = _arg_names(fn, len(args))
        inputs = [Tensor._wrap(args[i]._data, args[i]._requires_grad) for i in self.positions]
        tr, result = trace.run(lambda *ts: fn(*_fill(args, self.positions, ts)), inputs,
                               state.grad_enabled, [names[i] for i in self.positions],
                               _code(fn))
        self.modules = list(tr.modules.values())
        self.many = isinstance(result, tuple)
        results = result if self.many else (result,)
        if not all(isinstance(r, Tensor) for r in results):
            raise TypeError("minigrad.compile: the function must return a Tensor or a tuple "
                            "of Tensors")
        self.outs = [tr.ref(trace._SLOT.__get__(r)) for r in results]
        self.out_grad = [bool(r._requires_grad) for r in results]
        self.returns_input = {k: self.positions[inputs.index(r)] for k, r in enumerate(results)
                              if any(r is t for t in inputs)}
        del result, results
        n = len(inputs)
        self.implicit: list[tuple[Any, int]] = []
        for key, vid in list(tr.constants.items()):
            cand = tr.candidates.get(key)
            if cand is not None and cand[0]() is not None:  # a tensor from outside: an input
                t = cand[0]()
                tr.grad[vid] = bool(t._requires_grad) and state.grad_enabled
                tr.program.values[vid].name = tr.program.values[vid].name or "param"
                self.implicit.append((cand[0], vid))
        for key in tr.param_arrays:
            cand = tr.candidates.get(key)
            if cand is not None and cand[0]() is not None:
                raise trace._refuse("indexing by a tensor from outside the function (make the "
                                    "index inside it, or pass ints and slices)")
        self.outside = [(ref, ref()._data.shape, ref()._data.dtype, bool(ref()._requires_grad))
                        for ref, _ in self.implicit]  # each one's signature, as traced
        self.names, self.fixed = names_of(fn, [ref for ref, _ in self.implicit])
        inputs_vids = list(range(n)) + [vid for _, vid in self.implicit]
        constants = {vid for vid in tr.constants.values() if vid not in inputs_vids}
        self.trace = tr
        self._generate(tr, inputs_vids, constants, exact)

    def inputs(self, args: tuple[Any, ...]) -> list[Tensor] | None:
        """The tensors the code reads: the arguments', then those from outside the function
        (a model's parameters); None when one of those no longer exists, or no longer has
        the shape, dtype or requires_grad it was traced with (``w.data = ...``,
        ``w.requires_grad_(False)``): then the function is traced again."""
        tensors = []
        for i in self.positions:
            tensors.append(args[i])
        for ref, shape, dtype, requires_grad in self.outside:
            t = ref()
            if t is None or t._requires_grad != requires_grad:
                return None
            data = t._data
            if data.shape != shape or data.dtype != dtype:
                return None
            tensors.append(t)
        for where, name, ref in self.names:  # a name fn read it by, bound to another since
            if (where.get(name) if name is not None else where.cell_contents) is not ref():
                return None
        for where, name, value in self.fixed:  # a value the code holds as a constant
            now = where.get(name) if name is not None else where.cell_contents
            if type(now) is not type(value) or now != value:
                return None
        return tensors

    def _generate(self, tr: trace.Trace, inputs: list[int], constants: set[int],
                  exact: bool) -> None:
        for rec in tr.records:
            if not isinstance(rec, Line) and not tr.program.values[rec[6]].name:
                tr.program.values[rec[6]].name = tr.names.get(rec[6], rec[1].__name__.lower())
        for vid, name in tr.names.items():
            tr.program.values[vid].name = name
        b = Builder(tr)
        b.build_forward()
        env: dict[int, Any] = {vid: tr.arrays[vid] for vid in constants}
        env.update(b.alias)
        prog = tr.program
        forward = passes.simplify(prog, b.forward, env)
        self.grad_inputs = [v for v in inputs if tr.grad[v]]
        self.edge_at = [inputs.index(v) for v in self.grad_inputs]  # in run()'s inputs
        self.grad_outputs = [k for k, o in enumerate(self.outs)
                             if self.out_grad[k] and k not in self.returns_input]
        self.saves = {k: eager_saves(tr, self.outs[k]) for k in self.grad_outputs}
        backwards = []
        for k in self.grad_outputs:
            g0, lines, grads = b.build_backward(self.outs[k])
            benv: dict[int, Any] = dict(env)
            lines = passes.simplify(prog, lines, benv)
            results = [substitute(Ref(grads[v]), benv) if v in grads else None
                       for v in self.grad_inputs]
            if not exact:
                lines = factor(prog, lines, {r.id for r in results if isinstance(r, Ref)})
            backwards.append((g0, lines, results))
        # what each backward reads from the forward is saved
        fwd_defined = set(inputs) | {o for ln in forward for o in ln.outs}
        outs = [substitute(Ref(o), env) for o in self.outs]
        kept = []
        saved: set[int] = set()
        for g0, lines, res in backwards:
            lines = passes.prune(lines, {r.id for r in res if isinstance(r, Ref)})
            returned = {r.id for r in res if isinstance(r, Ref)}
            saved |= (used(lines) | returned) & fwd_defined
            kept.append((g0, lines, res))
        self.owns = [_fresh(prog, lines, res) for _, lines, res in kept]
        out_refs = {r.id for r in outs if isinstance(r, Ref)}
        forward = passes.prune(forward, out_refs | saved)
        for _, _, res in kept:
            for v, r in zip(self.grad_inputs, res):
                if isinstance(r, Ref) and r.id not in fwd_defined and r.id not in self.grad_inputs:
                    prog.values[r.id].name = "grad_" + (prog.values[v].name or "input")
        namer = codegen.Namer({"np", "_saved"})
        for v in inputs:
            namer.of(prog, v)
        last = passes.in_place(prog, forward, out_refs | saved)
        keeps = [{r.id for r in res if isinstance(r, Ref)} for _, _, res in kept]
        lasts = [passes.in_place(prog, lines, keep | saved)
                 for (_, lines, _), keep in zip(kept, keeps)]
        loops = rolling.plan(prog, forward, [lines for _, lines, _ in kept], out_refs, saved,
                             keeps)  # long runs of identical steps: loops
        written = [forward] + [lines for _, lines, _ in kept]  # and the loops' own lines:
        for fn_lines, loop in zip(written[:], [loops.forward, *loops.backward]):
            if loop:
                written += [loop[0].body, rolling.rename(fn_lines[loop[0].end:], loop[0].after)]
        floats = passes.python_floats(prog, written)
        src = codegen.Source(prog, namer, floats)
        to_float = lambda vs: "\n    ".join(  # noqa: E731 - the inputs that become floats
            f"{namer.of(prog, v)} = float({namer.of(prog, v)})" for v in vs if v in floats)

        def ret(xs: list[Any], numpy_types: bool = False) -> str:
            """A tuple of values; ``numpy_types``: Python floats made np.float64 (a gradient
            goes on to hooks and to other nodes' rules, which read its shape and dtype)."""
            return "(" + "".join(
                f"{src.numpy(np.float64)}({src.arg(x)}), "
                if numpy_types and isinstance(x, Ref) and x.id in floats
                else f"{src.arg(x)}, " for x in xs) + ")"

        by_name = lambda x: Ref(loops.forward_name(x.id)) if isinstance(x, Ref) else x  # noqa
        returns = (f"{ret([by_name(o) for o in outs])}, "
                   f"{ret([by_name(Ref(s)) for s in loops.saved])}")
        parts = [src.function("forward", [namer.of(prog, v) for v in inputs], forward, last,
                              out_refs | saved, returns, to_float(inputs), loop=loops.forward)]
        unpack = (", ".join(namer.of(prog, s) for s in loops.saved) + ", = _saved"
                  if loops.saved else "")
        unpack += "".join(f"\n    {namer.of(prog, v)} = {namer.of(prog, lst)}[{i}]"
                          for v, (lst, i) in sorted(loops.taken.items()))
        for k, (g0, lines, res), keep, last, loop in zip(self.grad_outputs, kept, keeps, lasts,
                                                         loops.backward):
            returns = ret([Ref(loop[0].after.get(r.id, r.id)) if loop and isinstance(r, Ref)
                           else r for r in res], numpy_types=True)
            prologue = "\n    ".join(p for p in (unpack, to_float([g0])) if p)
            parts.append(src.function(f"backward_{k}", [namer.of(prog, g0), "_saved"], lines,
                                      last, keep | saved, returns, prologue, loop=loop))
        head = "".join(c + "\n" for c in src.comments)
        self.source = head + ("\n" if head else "") + "\n".join(parts)
        scope = dict(src.globals)
        exec(builtins_compile(self.source, "<minigrad.compile>", "exec"), scope)  # noqa: S102
        self.forward = scope["forward"]
        self.backward = {k: scope[f"backward_{k}"] for k in self.grad_outputs}

    def run(self, args: tuple[Any, ...], inputs: list[Tensor]) -> Any:
        arrays = []
        for t in inputs:
            arrays.append(t._data)
        outs, saved = self.forward(*arrays)
        tensors = []
        edges = []
        if self.backward:
            for i in self.edge_at:
                edges.append(inputs[i]._edge())
        for k, out in enumerate(outs):
            if k in self.returns_input:  # fn returned an input itself
                tensors.append(args[self.returns_input[k]])
                continue
            if not isinstance(out, np.ndarray) or not out.flags.writeable:
                out = np.array(out)  # a numpy scalar, or a constant or view: an array of its own
            if k in self.backward:
                node = _CompiledNode.make(self, k, saved, edges, arrays)
                t = Tensor._wrap(out, True)
                t.grad_fn = node
            else:
                t = Tensor._wrap(out)
            tensors.append(t)
        return tuple(tensors) if self.many else tensors[0]


builtins_compile = __builtins__["compile"] if isinstance(__builtins__, dict) else \
    __builtins__.compile  # type: ignore[attr-defined]


def _fresh(prog: Any, lines: list[Line], results: list[Any]) -> tuple[bool, ...] | None:
    """Which gradients a backward returns are new arrays that nothing else can see (made by a
    ufunc in this backward, passed to nothing but ufuncs, returned once): a leaf may keep
    them as its ``.grad`` without a copy (``engine.Function.gives_own_grads``)."""
    made = {ln.out for ln in lines if ln.kind == "ufunc" and len(ln.outs) == 1}
    seen = [r.id for r in results if isinstance(r, Ref)]
    for ln in lines:
        if ln.kind != "ufunc":
            made.difference_update(refs_in((ln.args, ln.kwargs)))
    owns = tuple(isinstance(r, Ref) and r.id in made and prog.values[r.id].owned
                 and seen.count(r.id) == 1 for r in results)
    return owns if any(owns) else None


def _fill(args: tuple[Any, ...], positions: list[int], tensors: tuple[Any, ...]) -> list[Any]:
    call = list(args)
    for i, t in zip(positions, tensors):
        call[i] = t
    return call


def _code(fn: Any) -> Any:
    """The code object whose local variables name the values: a module's forward's."""
    return getattr(fn.forward if isinstance(fn, Module) else fn, "__code__", None)


def _arg_names(fn: Any, n: int) -> list[str]:
    try:
        params = list(inspect.signature(fn.forward if isinstance(fn, Module) else fn)
                      .parameters.values())
    except (TypeError, ValueError):
        params = []
    names = [p.name for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    names = names[:n]
    return names + [f"arg{i}" for i in range(len(names), n)]
