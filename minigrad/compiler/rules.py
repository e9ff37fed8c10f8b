"""Op rules as numpy lines: run an op's own ``forward`` and ``backward`` on recording arrays.

``Recording`` is an ndarray that writes down each numpy call made on it (ufuncs, numpy
functions, the few array methods that bypass both) as a ``Line``, while computing the real
value.  Running ``op.forward(*inputs)`` and then ``op.backward(grad_out, *saved)`` on such
arrays gives the op's rules as straight-line numpy code — no derivative written twice.

A rule may do what recording cannot see: copy a value into a plain array, branch on a value,
write into an array in place.  So each op is recorded three times, on its real values and on
two sets of other values, and the three recordings must agree line for line, constant for
constant; any difference, or any such escape, and the op is compiled as a call of its own
``forward``/``backward`` methods instead (slower, always right).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .ir import Line, Ref, is_public_numpy, same

_recorder: list[Recorder] = []  # the recording in progress
_METADATA = {"shape", "size", "ndim", "result_type"}  # fixed by the signature


class Escape(Exception):
    """The rule did something a recording cannot express."""


class Recording(np.ndarray):
    """An array whose numpy calls are recorded (``ref`` = its value id; None: not recorded)."""

    ref: int | None = None

    def __array_ufunc__(self, ufunc: Any, method: str, *inputs: Any, **kwargs: Any) -> Any:
        rec = _recorder[-1]
        out = kwargs.pop("out", None)
        if method not in ("__call__", "reduce") or ufunc.nout != 1:
            raise Escape(f"np.{ufunc.__name__}.{method}")
        args = tuple(rec.arg(i) for i in inputs)
        kw = {k: rec.arg(v) for k, v in kwargs.items()}
        value = getattr(ufunc, method)(*_plain(inputs), **_plain(kwargs))
        result = rec.emit("ufunc", (ufunc, method), args, kw, value)
        if out is None:
            return result
        target = out[0]
        if type(target) is not Recording or target.ref is None:  # a write into a plain array
            raise Escape(f"np.{ufunc.__name__}(..., out=) into an array not recorded")
        if result.dtype != target.dtype:  # what writing into `out` does: cast the result
            result = result._method("astype", target.dtype)
        target.view(np.ndarray)[...] = result.view(np.ndarray)  # the object holds the new value
        target.ref = result.ref
        rec.buffers[_buffer(target)] = result.ref  # type: ignore[assignment]
        return target

    def __array_function__(self, func: Any, types: Any, args: Any, kwargs: Any) -> Any:
        rec = _recorder[-1]
        if not is_public_numpy(func):
            raise Escape(f"{func.__module__}.{func.__name__}")
        value = func(*_plain(args), **_plain(kwargs))
        if func.__name__ in _METADATA:  # depends on shapes and dtypes only: a constant
            return value
        if not isinstance(value, (np.ndarray, np.generic)):  # None (it wrote in place), tuples
            raise Escape(f"np.{func.__name__} returns {type(value).__name__}")
        return rec.emit("func", func, rec.arg(tuple(args)), rec.arg(dict(kwargs)), value)

    def _method(self, name: str, *args: Any, **kwargs: Any) -> Any:
        rec = _recorder[-1]
        value = getattr(self.view(np.ndarray), name)(*_plain(args), **_plain(kwargs))
        return rec.emit("method", name, (rec.arg(self), *rec.arg(args)), rec.arg(kwargs), value)

    def reshape(self, *a: Any, **k: Any) -> Any:
        return self._method("reshape", *a, **k)

    def transpose(self, *a: Any) -> Any:
        return self._method("transpose", *a)

    def swapaxes(self, *a: Any) -> Any:
        return self._method("swapaxes", *a)

    def astype(self, *a: Any, **k: Any) -> Any:
        return self._method("astype", *a, **k)

    def copy(self, *a: Any, **k: Any) -> Any:
        return self._method("copy", *a, **k)

    def squeeze(self, *a: Any, **k: Any) -> Any:
        return self._method("squeeze", *a, **k)

    def ravel(self, *a: Any) -> Any:
        return self._method("ravel", *a)

    def __getitem__(self, index: Any) -> Any:
        rec = _recorder[-1]
        value = self.view(np.ndarray)[_plain(index)]
        return rec.emit("getitem", None, (rec.arg(self), rec.arg(index)), {}, value)

    @property
    def T(self) -> Any:  # noqa: N802 - numpy's name
        rec = _recorder[-1]
        return rec.emit("attr", "T", (rec.arg(self),), {}, self.view(np.ndarray).T)

    def _escape(self, *a: Any, **k: Any) -> Any:
        raise Escape("the rule reads a value into Python or writes into an array")

    __setitem__ = __bool__ = __float__ = __int__ = __index__ = item = tolist = _escape
    fill = put = sort = resize = setfield = _escape


def _plain(x: Any) -> Any:
    """``x`` with every Recording replaced by a plain view of it (for computing values)."""
    if isinstance(x, Recording):
        return x.view(np.ndarray)
    if isinstance(x, tuple):
        return tuple(_plain(i) for i in x)
    if isinstance(x, list):
        return [_plain(i) for i in x]
    if isinstance(x, dict):
        return {k: _plain(v) for k, v in x.items()}
    return x


class Recorder:
    """Collects the lines of one recording; values are numbered from ``start``."""

    def __init__(self) -> None:
        self.lines: list[Line] = []
        self.values: dict[int, np.ndarray] = {}  # id -> value
        self.buffers: dict[tuple[Any, ...], int] = {}  # an array's memory -> its id
        self.keep: list[Any] = []

    def placeholder(self, value: np.ndarray) -> Recording:
        return self._new(np.asarray(value))

    def _new(self, value: np.ndarray) -> Recording:
        vid = len(self.values)
        self.values[vid] = value
        self.buffers[_buffer(value)] = vid
        self.keep.append(value)
        r = value.view(Recording)
        r.ref = vid
        return r

    def emit(self, kind: str, fn: Any, args: Any, kwargs: Any, value: Any) -> Recording:
        r = self._new(np.asarray(value))
        vid = len(self.values) - 1  # the id _new gave it
        self.lines.append(Line(kind, fn, tuple(args), dict(kwargs), (vid,)))
        return r

    def arg(self, x: Any) -> Any:
        """An argument as a Ref (recorded values, plain views of them) or a constant."""
        if isinstance(x, Recording):
            if x.ref is None:
                raise Escape("an array derived without being recorded")
            return Ref(x.ref)
        if isinstance(x, np.ndarray):
            vid = self.buffers.get(_buffer(x))
            if vid is not None:  # np.asarray(recorded): the same memory, the same value
                return Ref(vid)
            return x.copy()
        if isinstance(x, tuple):
            return tuple(self.arg(i) for i in x)
        if isinstance(x, list):
            return [self.arg(i) for i in x]
        if isinstance(x, dict):
            return {k: self.arg(v) for k, v in x.items()}
        return x

    def revive(self, x: Any) -> Any:
        """A saved plain view of a recorded value (``np.asarray(recorded)``) as a Recording."""
        if type(x) is np.ndarray and _buffer(x) in self.buffers:
            r = x.view(Recording)
            r.ref = self.buffers[_buffer(x)]
            return r
        return x

    def result(self, x: Any) -> Any:
        """What a rule returned: a Ref, None, or a constant."""
        if x is None:
            return None
        got = self.arg(x)
        if isinstance(got, Ref) or isinstance(got, (np.ndarray, np.generic, int, float)):
            return got
        raise Escape(f"a rule returned {type(x).__name__}")


def _buffer(a: np.ndarray) -> tuple[Any, ...]:
    return (a.__array_interface__["data"][0], a.shape, a.strides, a.dtype.str)


def other_values(value: np.ndarray, k: int) -> np.ndarray:
    """The k-th other set of stand-in values (k = 1, 2): floats of both signs, far from the
    real ones; booleans flipped; integers in the reverse order, then moved down by one (the
    reverse order keeps indices valid, so that class targets 0..C-1, which include C-1, can
    be recorded; an invalid index only means the op is not inlined)."""
    value = np.asarray(value)
    if value.dtype.kind in "fc":
        return (np.abs(value) + 10 if k == 1 else -np.abs(value) - 10).astype(value.dtype)
    if value.dtype.kind == "b":
        return ~value if k == 1 else value.copy()
    if value.dtype.kind in "iu":
        if k == 1:
            return value.ravel()[::-1].reshape(value.shape) if value.size > 1 else value + 1
        return value - 1
    return value.copy()


class Template:
    """An op's rules as lines over numbered values: its inputs are ids ``0..n-1``; ``g`` is
    the id of ``grad_out``; ``out`` and ``grads`` are Refs (or None, or constants)."""

    def __init__(self, n_inputs: int) -> None:
        self.n = n_inputs
        self.forward: list[Line] = []
        self.backward: list[Line] = []
        self.out: Any = None
        self.g: int = -1
        self.grads: list[Any] = []
        self.values: dict[int, np.ndarray] = {}
        self.op: Any = None  # set when the op runs as a call of its own methods instead


def _record(op: Any, inputs: list[np.ndarray], grad: bool, k: int) -> Template:
    rec = Recorder()
    _recorder.append(rec)
    try:
        with np.errstate(all="ignore"):
            t = Template(len(inputs))
            args = [rec.placeholder(v) for v in inputs]
            op.saved_tensors = ()
            t.out = rec.result(op.forward(*args))
            if not isinstance(t.out, Ref):
                raise Escape("forward returned a constant")
            t.forward = list(rec.lines)
            if grad:
                ones = np.ones_like(rec.values[t.out.id])
                g = rec.placeholder(ones if k == 0 else other_values(ones, k))
                t.g = g.ref  # type: ignore[assignment]
                grads = op.backward(g, *[rec.revive(v) for v in op.saved_tensors])
                t.grads = [rec.result(gi) for gi in grads]
                t.backward = rec.lines[len(t.forward):]
        t.values = rec.values
        return t
    finally:
        _recorder.pop()


def _agree(a: Template, b: Template) -> bool:
    if len(a.forward) != len(b.forward) or len(a.backward) != len(b.backward):
        return False
    if a.g != b.g or not same([a.out, a.grads], [b.out, b.grads]):
        return False
    return all(x.kind == y.kind and x.fn == y.fn and x.outs == y.outs and same(x.args, y.args)
               and same(x.kwargs, y.kwargs)
               for x, y in zip(a.forward + a.backward, b.forward + b.backward))


def template(make_op: Any, inputs: list[np.ndarray], grad: bool) -> Template:
    """The op's rules as lines, recorded three times (see the module's docstring); when the
    recordings disagree or escape, a template that calls the op's own methods."""
    try:
        runs = [_record(make_op(), inputs if k == 0 else [other_values(v, k) for v in inputs],
                        grad, k) for k in range(3)]
        if all(_agree(runs[0], r) for r in runs[1:]):
            return runs[0]
    except Exception:  # noqa: BLE001, S110 - any failure: the op runs as a call instead
        pass
    t = Template(len(inputs))
    t.op = make_op()
    return t
