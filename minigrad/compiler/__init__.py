"""``minigrad.compile(fn)``: the lecture's define-then-run graphs, made fast (lesson 06).

The first call with given input shapes, dtypes and ``requires_grad`` flags (and grad mode,
the train/eval mode of the modules ``fn`` calls, the tensors and numbers it reads from outside)
runs ``fn`` once, eagerly, and keeps the graph it built (``trace.py``).  Each op's own
``forward`` and ``backward`` are then recorded as numpy calls (``rules.py``), put together in
the engine's order (``build.py``), optimised and printed as Python source, one numpy call per
line (``passes.py``, then ``codegen.py``; ``ir.py`` holds the program they share), a long run
of identical steps written as a loop (``rolling.py``).  ``exact=False`` adds one pass that
rounds differently (``factor.py``).  Later calls with the same signature run that source
directly::

    @minigrad.compile
    def loss(x, w, y):
        return (minigrad.dot(x, w) - y) ** 2

    z = loss(x, w, y)       # a minigrad Tensor; z.backward() runs the generated backward
    print(loss.source)      # the generated code, with the names of fn's values

The result composes with the rest of minigrad: the outputs are Tensors whose ``grad_fn`` is
one node for the whole function (``node.py``), so ``backward``, ``autograd.grad``, hooks on
the inputs and optimisers work as usual.  A ``create_graph=True`` backward through it (second
derivatives) replays the recorded ops eagerly, so that the derivative of the derivative is
minigrad's own.  ``minigrad.compile(net)`` of a module gives a module (``CompiledModule``),
as ``torch.compile`` does.
"""

from __future__ import annotations

import functools
import inspect
import warnings
from typing import Any

import numpy as np

from .._grad_mode import no_grad, state
from ..nn.module import Module, UninitializedParameter
from ..tensor import Tensor
from . import codegen, passes, rolling, trace
from .build import Builder, used
from .factor import factor
from .ir import Line, Ref, refs_in, substitute
from .node import _CompiledNode, eager_saves
from .trace import CompileError

__all__ = ["compile", "Compiled", "CompiledModule", "CompileError", "Code"]


def compile(fn: Any = None, *, exact: bool = True) -> Any:  # noqa: A001 - torch's name
    """Compile ``fn`` (a function of Tensors returning a Tensor or a tuple of them).

    ``exact=True`` (the default): the code computes what eager minigrad computes, to the last
    bit.  ``exact=False`` also lets the compiler take a common factor out of the sums the
    chain rule makes (``g*a + g*b`` becomes ``g*(a + b)``: ``factor.py``), one operation
    fewer, with results that may differ from eager minigrad's in their last bits.  Use it as
    ``minigrad.compile(fn, exact=False)`` or ``@minigrad.compile(exact=False)``.
    """
    if fn is None:
        return functools.partial(compile, exact=exact)
    if isinstance(fn, Module):  # torch.compile(model): still a module, with model's parameters
        return CompiledModule(fn, exact)
    return Compiled(fn, exact)


TRACES_WARNED = 8  # traces of one function after which a warning says why (torch's limit)


class Compiled:
    """A compiled function: a cache of generated code, one entry per input signature."""

    def __init__(self, fn: Any, exact: bool = True) -> None:
        if not callable(fn):
            raise TypeError(f"minigrad.compile: expected a function, got {type(fn).__name__}")
        self.fn, self.exact = fn, exact
        self.cache: dict[Any, _Entry] = {}
        self.traces = 0  # how many times fn was traced (a new signature traces again)
        self.modules: list[Module] = []  # the modules fn called while tracing
        self._last: _Entry | None = None
        functools.update_wrapper(self, fn, updated=())  # (not a module's attributes)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if trace._active:  # called while another compiled function traces: part of its graph
            return self.fn(*args, **kwargs)
        if kwargs:  # the code is keyed on positions: f(x, scale=2.0) is f(x, 2.0)
            args = self._by_position(args, kwargs)
        entry = self.cache.get(self._key(args))
        inputs = entry.inputs(args) if entry is not None else None
        if entry is None or inputs is None:  # new signature, or an outside tensor is gone:
            entry = _Entry(self.fn, args, self.exact)  # trace (again)
            self.modules += [m for m in entry.modules if all(m is not w for w in self.modules)]
            self.cache[self._key(args)] = entry  # (keyed on the modules it called, too)
            inputs = entry.inputs(args) or []
            self.traces += 1
            if self.traces == TRACES_WARNED:
                warnings.warn(f"minigrad.compile: {getattr(self.fn, '__name__', 'the function')}"
                              f" has been traced {self.traces} times.  Each new shape, dtype, "
                              "requires_grad flag, grad mode or train/eval mode of its inputs, "
                              "and each new tensor or number it reads from outside, traces it "
                              "again; if they change at every call, tracing costs more than "
                              "the generated code saves: call it without minigrad.compile.",
                              stacklevel=2)
        self._last = entry
        return entry.run(args, inputs)

    def _key(self, args: tuple[Any, ...]) -> tuple[Any, ...]:
        """What the generated code is specific to: grad mode, the train/eval mode of each
        module a trace called (``net.eval()`` may change what ``net`` computes: it traces
        again), and each argument's signature."""
        # (Loops, not comprehensions, on the way to the generated code: in Python 3.11 each
        # comprehension is a call, and after a training step's big matrix products, whose
        # data push this code out of the CPU's caches, calls are dear: 2 us of an MLP step.)
        sig: list[Any] = [state.grad_enabled]
        for m in self.modules:
            sig.append(m.training)
        for a in args:  # _signature, spelled out for a Tensor
            sig.append(("tensor", a._data.shape, a._data.dtype, a._requires_grad)
                       if type(a) is Tensor else _signature(a))
        return tuple(sig)

    def __getstate__(self) -> dict[str, Any]:
        """A copy (``copy.deepcopy``, pickling) starts with no generated code: the code reads
        the tensors it was traced with, the original's, not the copy's."""
        return {**self.__dict__, "cache": {}, "_last": None}

    def _by_position(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[Any, ...]:
        """The call's arguments by position, defaults filled in, as ``fn``'s signature binds
        them; keyword-only arguments are refused (no position to key the code on)."""
        name = getattr(self.fn, "__name__", "function")
        try:
            signature = inspect.signature(self.fn)
        except (TypeError, ValueError):
            raise TypeError(f"minigrad.compile: {name}() has no signature to place keyword "
                            "arguments by: pass them by position") from None
        try:
            bound = signature.bind(*args, **kwargs)
        except TypeError as e:
            raise TypeError(f"{name}(): {e}") from None
        bound.apply_defaults()
        if bound.kwargs:
            raise TypeError(f"minigrad.compile: {name}() takes {', '.join(bound.kwargs)} by "
                            "keyword only; the compiled code is keyed on positional arguments, "
                            "so make it a positional parameter, or a constant the function "
                            "reads from outside")
        return bound.args

    @property
    def source(self) -> Code:
        """The generated code of the last signature called: a ``str`` that ``print`` shows as
        code, and that Jupyter shows highlighted when it is a cell's last expression."""
        if self._last is None:
            raise RuntimeError("minigrad.compile: call the function once first; the code is "
                               "generated for the shapes and dtypes of its inputs")
        return Code(self._last.source)

    def __repr__(self) -> str:
        return f"<compiled {getattr(self.fn, '__name__', 'function')}: {len(self.cache)} " \
               f"signature(s)>"


class CompiledModule(Module):
    """``minigrad.compile(module)``: a module whose forward runs ``module``'s generated code.

    As torch's, it holds ``module`` as its child ``_orig_mod`` (so its parameters and
    ``state_dict`` keys are ``module``'s, prefixed ``_orig_mod.``), ``train()`` and ``eval()``
    reach ``module`` (the code is traced again for a new mode), and any other attribute is
    ``module``'s own."""

    def __init__(self, module: Module, exact: bool = True) -> None:
        super().__init__()
        self._orig_mod = module
        self._compiled = Compiled(module, exact)

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        if not self._compiled.cache and any(
                isinstance(p, UninitializedParameter) for p in self._orig_mod.parameters()):
            with no_grad():  # a lazy layer draws its weights on its first call: eagerly
                self._orig_mod(*args, **kwargs)
        return self._compiled(*args, **kwargs)

    @property
    def source(self) -> Code:
        return self._compiled.source

    @property
    def traces(self) -> int:
        return self._compiled.traces

    def __getattr__(self, name: str) -> Any:  # (only what this module itself lacks)
        if name in ("_orig_mod", "_compiled"):  # (not set yet: no recursion)
            raise AttributeError(name)
        return getattr(self._orig_mod, name)


class Code(str):
    """Generated Python source, shown as code rather than as a quoted string."""

    def __repr__(self) -> str:
        return str(self)

    def _repr_markdown_(self) -> str:
        return f"```python\n{self}\n```"


def _signature(a: Any) -> Any:
    if isinstance(a, Tensor):
        return ("tensor", a._data.shape, a._data.dtype, a._requires_grad)
    if isinstance(a, np.ndarray):
        raise TypeError("minigrad.compile: pass numpy arrays as minigrad.tensor(...), so that "
                        "their values are inputs rather than constants")
    try:
        hash(a)
    except TypeError:
        raise TypeError(f"minigrad.compile: an argument of type {type(a).__name__} is neither "
                        "a Tensor nor a hashable constant") from None
    return ("constant", type(a), a)


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
        self.names, self.fixed = _names_of(fn, [ref for ref, _ in self.implicit])
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


def _names_of(fn: Any, refs: list[Any], depth: int = 3) -> tuple[list[Any], list[Any]]:
    """What ``fn`` reads by name that the generated code holds fixed: its globals, closure
    cells and a module's attributes, and those of the functions and modules it names,
    ``depth`` levels down.  Returns the places holding a tensor from outside (``refs``) and
    those holding a number, a flag or a string (``scale = 2.0``): each (a dict or a cell,
    the name or None, the tensor's weak reference or the value).  If such a name is bound to
    another tensor or value later (a notebook cell run again), the code traced before must
    not run (``_Entry.inputs``)."""
    wanted = {id(ref()): ref for ref in refs if ref() is not None}
    tensors: list[tuple[Any, Any, Any]] = []
    fixed: list[tuple[Any, Any, Any]] = []
    seen: set[int] = set()

    def visit(obj: Any, level: int) -> None:
        if id(obj) in seen or level > depth:
            return
        seen.add(id(obj))
        places: list[tuple[Any, Any, Any]] = []  # (where, name, value)
        if isinstance(obj, Module):
            places += [(vars(obj), k, v) for k, v in vars(obj).items()]
            places += [(None, None, v) for v in vars(obj).get("_modules", {}).values()]
            places.append((None, None, type(obj).forward))
        elif inspect.ismethod(obj):
            places += [(None, None, obj.__func__), (None, None, obj.__self__)]
        elif inspect.isfunction(obj):
            code = obj.__code__
            places += [(obj.__globals__, k, obj.__globals__[k]) for k in code.co_names
                       if k in obj.__globals__]
            places += [(cell, None, cell.cell_contents)
                       for cell in obj.__closure__ or () if _filled(cell)]
        for where, name, value in places:
            if id(value) in wanted:
                if where is not None:
                    tensors.append((where, name, wanted[id(value)]))
            elif type(value) in (bool, int, float, complex, str) and where is not None:
                fixed.append((where, name, value))
            elif isinstance(value, Module) or inspect.isfunction(value) or \
                    inspect.ismethod(value):
                visit(value, level + 1)

    visit(fn, 0)
    return tensors, fixed


def _filled(cell: Any) -> bool:
    try:
        _ = cell.cell_contents
    except ValueError:  # (an empty cell: a variable not yet assigned)
        return False
    return True


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
