"""The Python source a compiled function runs: the programs' lines, one numpy call each.

The code calls numpy's functions by names bound once (``np_sin`` is ``np.sin``), passed with
the constants as keyword defaults, and passes a ufunc its output buffer as the argument after
its inputs: on arrays of a thousand float32s, where numpy's own work is a few hundred
nanoseconds, these and the 0-d constants take a quarter off a step (``bench/compile.py``).
A one-element value read once is written into the expression that reads it; a run of
identical steps (``rolling.py``) is written as a ``for`` loop.
"""


from __future__ import annotations

import builtins
import keyword
import math
from typing import Any

import numpy as np

from .ir import Line, Program, Ref, is_public_numpy, key_of, refs_in, substitute
from .rolling import batched, rename

# ufuncs whose output numpy >= 2.4 takes only as ``out=`` (they may one day take n inputs)
_OUT_BY_NAME = {np.maximum, np.minimum}

# numpy functions that call the array's method of the same name, and that the code calls
# directly (the same result, without numpy's Python-level wrapper: 0.3 us a call)
_AS_METHODS = {np.swapaxes, np.reshape, np.transpose}

_OPERATORS = {"add": "{} + {}", "subtract": "{} - {}", "multiply": "{} * {}",
              "divide": "{} / {}", "negative": "-{}"}


def _finite(c: Any) -> bool:
    """Is ``c`` a finite number, which Python can write as a float literal?"""
    return (isinstance(c, (int, float, np.floating, np.ndarray)) and not isinstance(c, bool)
            and np.ndim(c) == 0 and bool(np.isfinite(c)))


class Namer:
    """Names for the values, unique and never one of Python's builtins (the code calls
    ``float``, ``zip``, ``reversed``...: a user's variable named ``float`` becomes ``float_1``)."""

    def __init__(self, reserved: set[str]) -> None:
        self.used = set(reserved) | set(dir(builtins))
        self.names: dict[int, str] = {}
        self.counts: dict[str, int] = {}

    def fresh(self, base: str) -> str:
        base = base if base.isidentifier() and not keyword.iskeyword(base) else "v"
        name, k = base, self.counts.get(base, 1)
        while name in self.used:
            name, k = f"{base}_{k}", k + 1
        self.counts[base] = k
        self.used.add(name)
        return name

    def of(self, prog: Program, vid: int) -> str:
        if vid not in self.names:
            self.names[vid] = self.fresh(prog.values[vid].name or "t")
        return self.names[vid]


class Source:
    """Renders lines as Python; constants and callables go into the globals."""

    def __init__(self, prog: Program, namer: Namer, floats: set[int] | None = None) -> None:
        self.prog, self.namer = prog, namer
        self.floats = floats or set()  # values held as Python floats (passes.python_floats)
        self.used_floats = False
        self.globals: dict[str, Any] = {"np": np}
        self.notes: list[str] = []  # what each constant is
        self._bound: dict[str, str] = {}  # numpy's function name -> the name the code calls
        self.positional_out = False  # does some line pass a ufunc its output buffer?
        self._consts: dict[Any, str] = {}
        self.inline: dict[int, tuple[str, int]] = {}  # fused values: expression, depth
        self.reads: dict[str, None] = {}  # the globals the function being written reads

    def const(self, c: Any, hint: str = "c") -> str:
        key = (("id", id(c)) if not isinstance(c, (np.generic, np.ndarray))
               else (type(c) is np.ndarray, key_of(c)))  # a scalar and a 0-d array differ
        if key in self._consts:
            return self._read(self._consts[key])
        name = self.namer.fresh("_" + hint)
        self.globals[name] = c
        self._consts[key] = name
        if isinstance(c, np.generic):
            self.notes.append(f"# {name} = np.{c.dtype.name}({c.item()!r})")
        elif isinstance(c, np.ndarray) and c.ndim == 0:
            self.notes.append(f"# {name} = np.array(np.{c.dtype.name}({c.item()!r}))")
        elif isinstance(c, np.ndarray):
            shown = np.array2string(c, threshold=6, precision=6) if c.size <= 6 else "..."
            self.notes.append(f"# {name} = array {c.shape} {c.dtype.name} {shown}")
        return self._read(name)

    def _read(self, name: str) -> str:
        """``name``, a global the function being written reads (it becomes a parameter)."""
        self.reads[name] = None
        return name

    @property
    def comments(self) -> list[str]:
        """The lines above the code: which names are numpy's, what each constant is."""
        if not self._bound:
            return self.notes
        head = ["# numpy's functions, bound once, and passed with the constants as keyword "
                "defaults:"]
        for numpy_name, name in self._bound.items():
            entry = f"{name} = np.{numpy_name}"
            if len(head) > 1 and len(head[-1]) + len(entry) < 96:
                head[-1] += ", " + entry
            else:
                head.append("#   " + entry)
        if self.positional_out:
            head.append("# a ufunc's argument after its inputs is its output: "
                        "np_add(a, b, a) adds b into a")
        if self.used_floats:
            head.append("# one-element float64 values are Python floats: the same arithmetic, "
                        "without numpy's")
        return head + self.notes

    def numpy(self, fn: Any) -> str:
        """The name the code calls numpy's ``fn`` by: ``np_sin`` for ``np.sin``."""
        if fn.__name__ not in self._bound:
            name = self._bound[fn.__name__] = self.namer.fresh("np_" + fn.__name__)
            self.globals[name] = fn
        return self._read(self._bound[fn.__name__])

    def arg(self, x: Any) -> str:
        if isinstance(x, Ref):
            if x.id in self.inline:
                return "(" + self.inline.pop(x.id)[0] + ")"
            return self.namer.of(self.prog, x.id)
        if isinstance(x, (np.generic, np.ndarray)):
            return self.const(x)
        if x is None or isinstance(x, (bool, str)) or x is Ellipsis:
            return repr(x) if x is not Ellipsis else "..."
        if isinstance(x, (int, float)) and np.isfinite(x):
            return repr(x)
        if isinstance(x, tuple):
            inner = ", ".join(self.arg(i) for i in x)
            return f"({inner},)" if len(x) == 1 else f"({inner})"
        if isinstance(x, list):
            return "[" + ", ".join(self.arg(i) for i in x) + "]"
        if isinstance(x, slice):
            return f"slice({self.arg(x.start)}, {self.arg(x.stop)}, {self.arg(x.step)})"
        if isinstance(x, dict):
            return "{" + ", ".join(f"{k!r}: {self.arg(v)}" for k, v in x.items()) + "}"
        if isinstance(x, np.dtype):
            return f"np.dtype({x.str!r})"
        if isinstance(x, type) and is_public_numpy(x):
            return f"np.{x.__name__}"
        return self.const(x, getattr(x, "__name__", "c"))

    def call(self, ln: Line) -> str:
        if self.floats and (ln.out in self.floats or any(
                isinstance(a, Ref) and a.id in self.floats for a in ln.args)):
            return self._float_call(ln)
        args, size = ln.args, math.prod(self.prog.values[ln.out].shape)
        if ln.kind == "ufunc" and size > 1:
            # a numpy scalar is made into an array on every call; a 0-d array is one already
            # (same values, same dtype: the same result, 40% faster for 1000 float32s)
            args = tuple(np.asarray(x) if isinstance(x, np.generic) else x for x in args)
        a = [self.arg(x) for x in args] + [f"{k}={self.arg(v)}" for k, v in ln.kwargs.items()]
        if ln.inplace is not None:  # a ufunc's argument after its inputs is ``out``
            positional = (ln.kind == "ufunc" and len(ln.args) == ln.fn[0].nin
                          and ln.fn[0] not in _OUT_BY_NAME)
            self.positional_out |= positional
            a.append(("" if positional else "out=") + self.namer.of(self.prog, ln.inplace))
        if ln.kind == "ufunc":
            ufunc, method = ln.fn
            op = _OPERATORS.get(ufunc.__name__)
            if (op and method == "__call__" and not ln.kwargs and len(a) == len(ln.args)
                    and size == 1):
                # one element: numpy's scalar operators skip the ufunc machinery (same result)
                return op.format(*a)
            head = (self.numpy(ufunc) if is_public_numpy(ufunc)
                    else self.const(ufunc, ufunc.__name__))
            head += "" if method == "__call__" else f".{method}"
            return f"{head}({', '.join(a)})"
        if ln.kind == "func":
            if ln.fn in _AS_METHODS and isinstance(ln.args[0], Ref):
                # np.swapaxes(a, ...) only calls a.swapaxes(...), through a Python wrapper
                return f"{a[0]}.{ln.fn.__name__}({', '.join(a[1:])})"
            head = (self.numpy(ln.fn) if is_public_numpy(ln.fn)
                    else self.const(ln.fn, ln.fn.__name__))
            return f"{head}({', '.join(a)})"
        if ln.kind == "method":
            return f"{a[0]}.{ln.fn}({', '.join(a[1:])})"
        if ln.kind == "getitem":
            return f"{a[0]}[{a[1]}]"
        if ln.kind == "attr":
            return f"{a[0]}.{ln.fn}"
        owner = getattr(ln.fn, "__self__", None)
        name = getattr(owner, "__name__", "op")
        head = self.const(ln.fn, f"{name}_{ln.fn.__name__}")
        return f"{head}({', '.join(a)})"

    def _float_call(self, ln: Line) -> str:
        """A line that makes or reads a Python float: Python's ``+ - *`` when every argument
        is one, else numpy's function (never Python's ``/``, which raises on a zero), its
        result taken by ``float()`` when the value is to be a Python float."""
        self.used_floats = True
        floats = ln.out in self.floats
        if ln.kind != "ufunc" or ln.fn[1] != "__call__" or ln.kwargs:  # (it makes a float)
            return f"float({self._plain_call(ln)})"
        ufunc = ln.fn[0]
        op = _OPERATORS.get(ufunc.__name__)
        if (floats and op and ufunc.__name__ != "divide"
                and all(a.id in self.floats if isinstance(a, Ref) else _finite(a)
                        for a in ln.args)):
            return op.format(*(self.arg(a) if isinstance(a, Ref) else repr(float(a))
                               for a in ln.args))
        head = self.numpy(ufunc) if is_public_numpy(ufunc) else self.const(ufunc, ufunc.__name__)
        call = f"{head}({', '.join(self.arg(a) for a in ln.args)})"
        return f"float({call})" if floats else call

    def _plain_call(self, ln: Line) -> str:
        floats, self.floats = self.floats, set()
        try:
            return self.call(ln)
        finally:
            self.floats = floats

    def _fusible(self, ln: Line, uses: dict[int, int], survive: set[int]) -> int:
        """Expression fusion, for one-element values only: a value read once by a later line
        of the same function becomes part of that line's expression (no name, no ``del``;
        numpy scalars are immutable, so reading them later gives the same result).  Returns
        the nesting depth it would have (0: not fused)."""
        if (ln.kind not in ("ufunc", "func") or len(ln.outs) != 1 or ln.inplace is not None
                or ln.out in survive or uses.get(ln.out) != 1
                or math.prod(self.prog.values[ln.out].shape) != 1):
            return 0
        depth = 1
        for r in refs_in((ln.args, ln.kwargs)):
            v = self.prog.values[r]
            if v.dtype is None or math.prod(v.shape) != 1:
                return 0
            depth = max(depth, self.inline[r][1] + 1 if r in self.inline else 1)
        return depth if depth <= 8 else 0

    def statements(self, lines: list[Line], last: dict[int, int] | None, keep: set[int],
                   offset: int = 0) -> list[str]:
        """``lines`` as Python statements: a one-element value read once is written into the
        expression that reads it; with ``last`` (each value's last line, counted from
        ``offset``), a value is deleted after it.  ``keep``: values read after these lines."""
        body: list[str] = []
        defined = {o for ln in lines for o in ln.outs}
        uses: dict[int, int] = {}
        fused: set[int] = set()
        for ln in lines:
            for r in refs_in((ln.args, ln.kwargs)):
                uses[r] = uses.get(r, 0) + 1
        pending: set[int] = set()  # dead names, deleted once no fused expression reads them
        for i, ln in enumerate(lines, offset):
            if last is not None:
                pending |= {r for r in refs_in((ln.args, ln.kwargs))
                            if last.get(r) == i and r not in keep
                            and r in defined and self.prog.values[r].dtype is not None}
            depth = self._fusible(ln, uses, keep)
            if depth:  # used once, later: written into the expression that uses it
                self.inline[ln.out] = (self.call(ln), depth)
                fused.add(ln.out)
                continue
            outs = ", ".join(self.namer.of(self.prog, o) for o in ln.outs)
            if ln.kind == "call":
                outs += ","  # an op's method returns a tuple, even of one
            body.append(f"{outs} = {self.call(ln)}")
            if pending - fused and not self.inline:
                body.append("del " + ", ".join(sorted(self.namer.of(self.prog, r)
                                                      for r in pending - fused)))
                pending.clear()
        assert not self.inline
        return body

    def loop(self, run: Any, lists: dict[int, int], streams: dict[int, Any],
             keep: set[int]) -> list[str]:
        """A ``rolling.Run`` as a ``for`` loop.  ``lists``: a carried or body value -> the list
        each step appends it to; ``streams``: a stream -> (list, start, stop, reversed, the
        list's length), where the loop reads its values; ``keep``: values read after it."""
        name = lambda v: self.namer.of(self.prog, v)  # noqa: E731
        head = [f"{name(var)} = {self.arg(init)}" for var, init, _ in run.carries]
        head += [f"{name(lst)} = []" for lst in lists.values()]
        sources: dict[int, tuple[str, bool]] = {}  # loop variable -> (list, read backwards)
        for var, _ in run.streams:
            lst, a, b, backwards, length = streams[var]
            sources[var] = (name(lst) + ("" if (a, b) == (0, length) else f"[{a}:{b}]"),
                            backwards)
        keep = keep | {src for _, _, src in run.carries} | set(lists)
        body = run.body
        batch = batched(self.prog, run, keep)
        if batch:
            body, sources = self._batched(run, batch, sources, head)
        over = [f"reversed({part})" if backwards else part for part, backwards in sources.values()]
        if not sources:
            head.append(f"for _ in range({run.count}):")
        elif len(sources) == 1:
            head.append(f"for {name(next(iter(sources)))} in {over[0]}:")
        else:
            head.append(f"for {', '.join(map(name, sources))} in zip({', '.join(over)}):")
        carried = {var for var, _, _ in run.carries}
        step = [f"{name(lst)}.append({name(v)})" for v, lst in lists.items() if v in carried]
        step += self.statements(body, None, keep)
        step += [f"{name(lst)}.append({name(v)})" for v, lst in lists.items()
                 if v not in carried]
        step += [f"{name(var)} = {name(src)}" for var, _, src in run.carries]
        return head + ["    " + line for line in step]

    def _batched(self, run: Any, batch: list[Line], sources: dict[int, tuple[str, bool]],
                 head: list[str]) -> tuple[list[Line], dict[int, tuple[str, bool]]]:
        """Writes into ``head`` the lines of ``batch`` (``rolling.batched``) computed for all
        the loop's steps at once, on arrays in step order; returns the rest of the body, and
        the loop's variables with what each iterates over: the streams it still reads, and
        the batched values it reads (as Python floats where they were floats)."""
        name = lambda v: self.namer.of(self.prog, v)  # noqa: E731
        whole: dict[int, int] = {}  # a value -> the array of its value in every step
        for ln in batch:
            for r in refs_in(ln.args):
                if r in sources and r not in whole:  # a stream, gathered into an array
                    whole[r] = self._steps_array(r, run.count)
                    part, backwards = sources[r]  # (reversed: copied, so contiguous)
                    head.append(f"{name(whole[r])} = {self.numpy(np.array)}("
                                f"{part}{'[::-1]' if backwards else ''}, "
                                f"{self.arg(self.prog.values[r].dtype.type)})")
            value = self.prog.values[ln.out]
            value.name = value.name or ln.fn[0].__name__  # (the loop variable: ``cos``)
            whole[ln.out] = self._steps_array(ln.out, run.count)
            on_arrays = Line(ln.kind, ln.fn, substitute(ln.args, {
                v: Ref(w) for v, w in whole.items()}), {}, (whole[ln.out],))
            head.append(f"{name(whole[ln.out])} = {self._plain_call(on_arrays)}")
        body = [ln for ln in run.body if ln not in batch]
        read = {r for ln in body for r in refs_in((ln.args, ln.kwargs))}
        sources = {v: source for v, source in sources.items() if v in read}
        sources.update({ln.out: (name(whole[ln.out]) + (
            ".tolist()" if ln.out in self.floats else ""), False)
            for ln in batch if ln.out in read})
        return body, sources

    def _steps_array(self, v: int, count: int) -> int:
        """A new value: an array of ``v``'s value in each of ``count`` steps."""
        value = self.prog.values[v]
        return self.prog.new((count,), value.dtype, (value.name or "t") + "_all")

    def function(self, name: str, params: list[str], lines: list[Line], last: dict[int, int],
                 survive: set[int], returns: str, prologue: str = "",
                 loop: tuple[Any, dict[int, int], dict[int, Any]] | None = None) -> str:
        """A function of ``lines``; ``loop``: a run of them to write as a loop (``rolling``),
        with its lists and streams (see ``loop``)."""
        body = [prologue] if prologue else []
        if loop is None:
            body += self.statements(lines, last, survive)
        else:
            run, lists, streams = loop
            after = rename(lines[run.end:], run.after)  # the last step's values: body names
            read_later = {r for ln in [*run.body, *after] for r in refs_in((ln.args, ln.kwargs))}
            read_later |= {init.id for _, init, _ in run.carries if isinstance(init, Ref)}
            body += self.statements(lines[:run.start], last, survive | read_later)
            read_after = {r for ln in after for r in refs_in((ln.args, ln.kwargs))}
            body += self.loop(run, lists, streams, survive | read_after)
            body += self.statements(after, last, survive, run.end)
        body.append(f"return {returns}")
        # numpy's functions and the constants come in as keyword defaults, bound when the
        # function is made: a local name is read faster than a global, and the code of a
        # long chain stays fast when other work has pushed it out of the CPU's caches
        # (a 1000-step scalar chain, 8%: bench/compile.py)
        params += ["*"] + [f"{g}={g}" for g in self.reads] if self.reads else []
        self.reads = {}
        head, width = f"def {name}(", 96
        for p in params:
            sep = "" if head.endswith("(") else ", "
            if len(head.rsplit("\n", 1)[-1]) + len(sep) + len(p) > width:
                head += ",\n" + " " * 8 + p
            else:
                head += sep + p
        return head + "):\n" + "".join(f"    {b}\n" for b in body)
