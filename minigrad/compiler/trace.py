"""Tracing: run the function once, eagerly, and write down the graph it builds.

Every op goes through ``Function.apply``, whose forward hook tells us the op class, its
parameters and its input and output arrays (as ``symbolic.py`` does).  What the hook cannot
see is kept from going wrong silently:

* While tracing, every tensor's array reads as a ``Traced`` array.  Numpy calls on it outside an
  op (comparisons, ``argmax``, ``sign``: no gradient) are recorded as lines of the program;
  reading a value into Python (``bool``, ``if``, ``while``, ``.item()``, ``float``,
  ``.tolist()``, ``.numpy()``, an index taken from a tensor) raises ``CompileError``, which says
  to use ``minigrad.where`` or to keep that decision outside the compiled function.  We raise
  rather than guard and retrace (torch.compile's way) because a loop such as the lecture's
  ``while b.norm() < 1000`` would take a new branch on almost every input: a retrace per call
  costs more than running eagerly, and a guard would still have to compute the value first.
* A tensor the function reads from outside (a parameter) is an input of the compiled code,
  read afresh on each call; a tensor it creates and drops is a constant.
* Random numbers, writes into an input, and backward passes without ``create_graph`` inside the
  function are refused: their effect would be fixed at trace time.
"""

from __future__ import annotations

import sys
import weakref
from typing import Any

import numpy as np

from .. import _hooks, creation
from .._grad_mode import set_grad_enabled, state
from ..autograd.engine import Function
from ..nn.module import Module
from ..tensor import Tensor
from .ir import Line, Program, Ref


class CompileError(RuntimeError):
    """The function cannot be compiled as it is written (the message says what to do)."""


_APPLY = Function.apply.__func__.__code__  # type: ignore[attr-defined]
_SLOT = Tensor.__dict__["_data"]  # the slot that holds a Tensor's array
_active: list[Trace] = []


def _inside_op() -> bool:
    """Is an op's ``forward`` running (is ``Function.apply`` on the stack)?"""
    f = sys._getframe(2)
    for _ in range(16):
        if f is None:
            return False
        if f.f_code is _APPLY:
            return True
        f = f.f_back  # type: ignore[assignment]
    return False


def _plain(x: Any) -> Any:
    if isinstance(x, Traced):
        return x.view(np.ndarray)
    if isinstance(x, (tuple, list)):
        return type(x)(_plain(i) for i in x)
    if isinstance(x, dict):
        return {k: _plain(v) for k, v in x.items()}
    return x


def _taint(value: Any) -> Any:
    return value.view(Traced) if isinstance(value, np.ndarray) else value


_WRITERS = {"copyto", "put", "place", "putmask", "fill_diagonal", "put_along_axis"}


class Traced(np.ndarray):
    """A tensor's array while tracing: inside ops it is an ordinary array; outside, numpy calls
    on it are recorded and reading its value raises."""

    def __array_ufunc__(self, ufunc: Any, method: str, *inputs: Any, **kwargs: Any) -> Any:
        if _inside_op():
            out = kwargs.get("out")
            value = getattr(ufunc, method)(*_plain(inputs), **_plain(kwargs))
            return out[0] if out else _taint(value)
        if "out" in kwargs or method not in ("__call__", "reduce") or ufunc.nout != 1:
            raise _refuse(f"np.{ufunc.__name__}.{method} writing into an array")
        return _active[-1].raw("ufunc", (ufunc, method), inputs, kwargs,
                               getattr(ufunc, method)(*_plain(inputs), **_plain(kwargs)))

    def __array_function__(self, func: Any, types: Any, args: Any, kwargs: Any) -> Any:
        if not _inside_op() and (func.__name__ in _WRITERS or "out" in kwargs):
            raise _refuse(f"np.{func.__name__} writing into an array in place")
        value = func(*_plain(args), **_plain(kwargs))
        if _inside_op():
            return _taint(value)
        if getattr(np, func.__name__, None) is not func or not isinstance(
                value, (np.ndarray, np.generic)):
            raise _refuse(f"{func.__module__}.{func.__name__} on a traced value")
        return _active[-1].raw("func", func, args, kwargs, value)

    def __getitem__(self, index: Any) -> Any:
        value = self.view(np.ndarray)[_plain(index)]
        if _inside_op():
            return _taint(value)
        return _active[-1].raw("getitem", None, (self, index), {}, value)

    def __setitem__(self, index: Any, value: Any) -> None:
        if not _inside_op():
            raise _refuse("writing into a tensor in place")
        self.view(np.ndarray)[_plain(index)] = _plain(value)

    def __bool__(self) -> bool:
        if _inside_op():
            return bool(self.view(np.ndarray))
        raise _refuse("deciding `if`/`while`/`bool()` on a tensor's value")

    def item(self, *args: Any) -> Any:
        if _inside_op():
            return self.view(np.ndarray).item(*args)
        raise _refuse("reading a tensor's value with .item() / float() / int()")

    def tolist(self) -> Any:
        if _inside_op():
            return self.view(np.ndarray).tolist()
        raise _refuse("reading a tensor's values with .tolist()")

    def __index__(self) -> int:
        if _inside_op():
            return self.view(np.ndarray).__index__()
        raise _refuse("indexing by a tensor's value")

    def __float__(self) -> float:
        return float(self.item())

    def __int__(self) -> int:
        return int(self.item())


def _refuse(what: str, hint: str = "") -> CompileError:
    return CompileError(
        f"minigrad.compile: {what} inside a compiled function.\nThe compiled code is traced "
        "once and then run for any values, so it cannot depend on a value: a decision would "
        "be frozen at trace time.  Use minigrad.where(cond, a, b) for a choice by value, "
        "keep loops and `if`s on values outside the compiled function (compile the body), "
        "pass random numbers and indices in as arguments, and write `y = x + 1` rather than "
        "changing a tensor in place (lesson 06, define-then-run graphs)." + (
            "\n" + hint if hint else ""))


class Trace:
    """What one eager run of the function did: the program's values and the records."""

    def __init__(self) -> None:
        self.program = Program()
        self.records: list[Any] = []  # ("op", ...) tuples and raw Lines, in order
        self.ids: dict[int, int] = {}  # id(array) -> value id
        self.buffers: dict[tuple[Any, ...], int] = {}
        self.arrays: dict[int, np.ndarray] = {}  # value id -> its array at trace time
        self.keep: list[Any] = []
        self.candidates: dict[int, tuple[Any, np.ndarray, np.ndarray]] = {}  # outside tensors
        self.constants: dict[int, int] = {}  # id(array) -> value id (outside arrays)
        self.grad: dict[int, bool] = {}  # value id -> requires grad
        self.modules: dict[int, Module] = {}  # the modules called (their train/eval mode)
        self.names: dict[int, str] = {}
        self.saves: set[int] = set()  # op outputs whose eager node saves values
        self.param_arrays: list[int] = []  # ids of arrays that became op parameters

    # -- values ------------------------------------------------------------------------------
    def add(self, array: np.ndarray, requires_grad: bool, name: str = "") -> int:
        array = np.asarray(array)
        vid = self.program.new(array.shape, array.dtype, name)
        self.ids[id(array)] = vid
        self.buffers[_buffer(array)] = vid
        self.arrays[vid] = array
        self.grad[vid] = requires_grad
        self.keep.append(array)
        return vid

    def find(self, array: Any) -> int | None:
        if isinstance(array, Traced) and array.base is not None:
            array = array.base if not isinstance(array.base, Traced) else array.base
        vid = self.ids.get(id(array))
        if vid is None and isinstance(array, np.ndarray):
            vid = self.buffers.get(_buffer(array))
        return vid

    def ref(self, array: np.ndarray) -> int:
        """The value id of an array an op reads: a traced value, or an outside one."""
        vid = self.find(array)
        if vid is None:
            vid = self.add(array, False)
            self.constants[id(array)] = vid
        return vid

    def arg(self, x: Any) -> Any:
        if isinstance(x, np.ndarray):
            return Ref(self.ref(x.view(np.ndarray) if isinstance(x, Traced) else x))
        if isinstance(x, (tuple, list)):
            return type(x)(self.arg(i) for i in x)
        if isinstance(x, dict):
            return {k: self.arg(v) for k, v in x.items()}
        return x

    # -- listeners -----------------------------------------------------------------------------
    def read(self, t: Tensor) -> Any:
        """``t._data`` while tracing: note tensors from outside, hand out a Traced view."""
        array = _SLOT.__get__(t)
        if self.find(array) is None and id(array) not in self.candidates:
            self.candidates[id(array)] = (weakref.ref(t), array, array.copy())
        return _taint(array)

    def raw(self, kind: str, fn: Any, args: Any, kwargs: Any, value: Any) -> Any:
        """A numpy call outside any op (a comparison, argmax): a line with no gradient."""
        args, kwargs = self.arg(tuple(args)), self.arg(dict(kwargs))
        vid = self.add(np.asarray(value), False)
        self.records.append(Line(kind, fn, args, kwargs, (vid,)))
        return _taint(self.arrays[vid])

    def on_forward(self, fn: Any, inputs: tuple[Tensor, ...], out: np.ndarray) -> None:
        ins = [self.ref(_SLOT.__get__(t)) for t in inputs]
        params = {k: self.constant_param(type(fn).__name__, k, v) for k, v in _params(fn).items()}
        edges = tuple(bool(t._requires_grad) for t in inputs)
        grad = state.grad_enabled and any(edges)
        vid = self.add(out, grad)
        self.records.append(("op", type(fn), params, fn.needs_input_grad, ins, edges, vid))
        if grad and fn.saved_tensors:
            self.saves.add(vid)  # its node saves values: a second backward through it raises

    def constant_param(self, op: str, name: str, p: Any) -> Any:
        """An op's parameter as a constant, or, for an index computed from the inputs (the
        labels in ``y_hat[range(n), y]``), a Ref to that value: the generated code indexes
        by its value at run time.  Refused where the value would be frozen or would decide a
        shape: a view of a traced value, a boolean mask, a traced value for another op."""
        if isinstance(p, (tuple, list)):
            return type(p)(self.constant_param(op, name, i) for i in p)
        if not isinstance(p, np.ndarray):
            return p
        base = p.base if isinstance(p, Traced) and p.base is not None else p
        if self.find(base) is not None:
            vid = self.find(p.view(np.ndarray))
            if vid is None or op not in _INDEXING or p.dtype.kind not in "iu":
                raise _refuse(
                    f"{op} with a parameter ({name}) computed from the inputs" + (
                        " (a boolean mask: the result's shape would depend on the values)"
                        if p.dtype.kind == "b" else " (indexing by a tensor's value)"),
                    "Index by an integer tensor (x[rows, labels]); choose by a condition "
                    "with minigrad.where(cond, a, b).")
            return Ref(vid)
        self.param_arrays.append(id(base))
        return np.array(p.view(np.ndarray))

    def on_backward(self, node: Any) -> None:
        if not state.grad_enabled:
            raise _refuse("a backward pass without create_graph=True (it writes gradients "
                          "into .grad, or computes them outside any op)")


_INDEXING = {"Index", "IndexPut", "ScatterAdd"}  # ops whose index may be a traced value


def _params(fn: Any) -> dict[str, Any]:
    p = fn.params()
    for name in ("saved_tensors", "needs_input_grad", "_next", "_seq", "_saved_from",
                 "input_meta", "in_tangents", "out_tangent"):
        p.pop(name, None)
    return p


def _buffer(a: np.ndarray) -> tuple[Any, ...]:
    return (a.__array_interface__["data"][0], a.shape, a.strides, a.dtype.str)


def _rng_state() -> Any:
    return (creation._rng, repr(creation._rng.bit_generator.state),
            repr(np.random.get_state(legacy=False)))


def run(fn: Any, inputs: list[Tensor], grad_mode: bool, names: list[str],
        code: Any = None) -> tuple[Trace, Any]:
    """Trace ``fn(*inputs)``; return the trace and fn's result.  The local variables of the
    frame running ``code`` (the user's function) name the values."""
    tr = Trace()
    for t, name in zip(inputs, names):
        tr.add(_SLOT.__get__(t), t._requires_grad, name)
    originals = {k: Tensor.__dict__.get(k) for k in ("_data", "__array__", "numpy")}
    module_call = Module.__call__

    def recording_call(self: Module, *args: Any, **kwargs: Any) -> Any:
        tr.modules.setdefault(id(self), self)  # what it computes may depend on self.training
        return module_call(self, *args, **kwargs)

    def refuse_read(self: Tensor, *a: Any, **k: Any) -> Any:
        raise _refuse("reading a tensor's values into numpy")

    def on_return(frame: Any, event: str, arg: Any) -> Any:
        if event == "return":
            for name, v in frame.f_locals.items():
                if isinstance(v, Tensor):
                    vid = tr.find(_SLOT.__get__(v))
                    if vid is not None and vid not in tr.names:
                        tr.names[vid] = name
        return on_return

    def on_call(frame: Any, event: str, arg: Any) -> Any:
        return on_return if frame.f_code is code else None

    before = _rng_state()
    _active.append(tr)
    Tensor._data = property(tr.read, lambda t, v: _SLOT.__set__(  # type: ignore[assignment]
        t, v.view(np.ndarray) if isinstance(v, Traced) else v))
    Tensor.__array__ = refuse_read  # type: ignore[method-assign,assignment]
    Tensor.numpy = refuse_read  # type: ignore[method-assign,assignment]
    Module.__call__ = recording_call  # type: ignore[method-assign]
    profile = sys.gettrace()
    try:
        with _hooks.only(tr.on_forward), set_grad_enabled(grad_mode), np.errstate(all="ignore"):
            _hooks.add(backward=tr.on_backward)
            if profile is None:  # (a debugger keeps its hook; the values get no names)
                sys.settrace(on_call)
            try:
                result = fn(*inputs)
            finally:
                if profile is None:
                    sys.settrace(None)
                _hooks.remove(backward=tr.on_backward)
    finally:
        Module.__call__ = module_call  # type: ignore[method-assign]
        for k, v in originals.items():  # put back what Tensor had (or what it inherits)
            if v is None:
                delattr(Tensor, k)
            else:
                setattr(Tensor, k, v)
        _active.pop()
    if _rng_state() != before:
        raise _refuse("drawing random numbers", "A lazy layer (nn.LazyLinear) draws its "
                      "weights on its first call: call the model once before compiling.")
    for t in inputs:
        if t._grad is not None or t.grad_fn is not None:
            raise _refuse("writing into an input tensor (or its .grad)")
    for _tensor, array, copy in tr.candidates.values():
        if not np.array_equal(array, copy, equal_nan=True):
            raise _refuse("writing into a tensor from outside the function")
    for t, vid in zip(inputs, range(len(inputs))):
        if not np.array_equal(_SLOT.__get__(t), tr.arrays[vid], equal_nan=True) or \
                _SLOT.__get__(t) is not tr.arrays[vid]:
            raise _refuse("writing into an input tensor")
    return tr, result
