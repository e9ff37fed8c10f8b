"""Define-then-run graphs (TensorFlow 1 / Theano / MXNet symbol style), lesson 03.

PyTorch records the graph *while* it computes (implicit construction, "define by run").  The
older frameworks asked for the whole formula first and values later (explicit construction)::

    x = symbolic.placeholder("x", (4,))            # a named hole for a value, with a shape
    w = symbolic.placeholder("w", (4,))
    z = symbolic.define(lambda x, w: (minigrad.dot(x, w) - 1.0) ** 2, x, w)   # the graph
    gx, gw = symbolic.gradients(z, [x, w])         # more graph: the derivative formulas
    symbolic.run([z, gw], {x: x_values, w: w_values})   # now plug in numbers, as often as wanted

``define`` runs ordinary minigrad code (the same function body works eagerly) once on
stand-in values and keeps the ops it ran — op classes from the same registry, with their
parameters — as ``Symbol`` nodes.  ``run`` then executes those ops' ``forward`` on numpy
arrays in topological order; ``gradients`` builds the derivative graph with the very same
``backward`` rules (run on stand-ins while recording, as ``create_graph=True`` does).

The price of defining first: the graph cannot depend on the values.  A Python ``if`` on a
value, or a value computed outside the op registry (a comparison, ``argmax``), would be frozen
at definition time.  ``define`` therefore traces twice, on two different sets of stand-ins,
and refuses when the two graphs differ (TensorFlow needed ``tf.cond`` for exactly this).
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from . import _dtype, _hooks
from ._grad_mode import enable_grad, no_grad, state
from .autograd.engine import grad as _grad
from .tensor import Tensor

__all__ = ["Symbol", "placeholder", "define", "run", "gradients", "nodes"]


class Symbol:
    """A node of an explicit graph: a ``placeholder``, a ``constant``, an ``op`` applied to
    input symbols, or ``stop_gradient`` (a detached value).  It has a shape but no value."""

    __slots__ = ("kind", "name", "op", "params", "inputs", "shape", "dtype", "value",
                 "samples", "requires_grad", "stopped")

    def __init__(self, kind: str, name: str, shape: tuple[int, ...], dtype: np.dtype,
                 samples: tuple[np.ndarray, np.ndarray], inputs: tuple[Symbol, ...] = (),
                 op: Any = None, params: dict[str, Any] | None = None, value: Any = None,
                 requires_grad: bool = False) -> None:
        self.kind, self.name, self.op, self.params = kind, name, op, params or {}
        self.inputs, self.shape, self.dtype, self.value = inputs, shape, dtype, value
        self.samples, self.requires_grad, self.stopped = samples, requires_grad, None

    @property
    def parents(self) -> tuple[Symbol, ...]:
        """The input nodes (what lesson 03's ``topo_sort`` walks)."""
        return self.inputs

    def eval(self, feed: dict[Any, Any]) -> np.ndarray:
        return run(self, feed)

    def __repr__(self) -> str:
        return f"<Symbol {self.name}: {self.kind} {self.shape} {np.dtype(self.dtype).name}>"

    def __bool__(self) -> bool:
        raise TypeError("a Symbol has no value yet, so it cannot decide an `if` or `while`: "
                        "in a define-then-run graph the control flow is fixed when the graph "
                        "is defined (lesson 03).  Compute eagerly with Tensors instead.")

    def __neg__(self) -> Any:
        return define(operator.neg, self)

    def __getitem__(self, index: Any) -> Any:
        return define(lambda t: t[index], self)

    def __getattr__(self, name: str) -> Any:
        attr = getattr(Tensor, name, None) if not name.startswith("_") else None
        if attr is None:
            raise AttributeError(f"'Symbol' object has no attribute {name!r}")
        if isinstance(attr, property):
            return define(lambda t: getattr(t, name), self)
        return lambda *args, **kw: define(lambda t, *a: getattr(t, name)(*a, **kw), self, *args)


def _binary(op: Callable[[Any, Any], Any]) -> tuple[Any, Any]:
    return (lambda a, b: define(op, a, b)), (lambda a, b: define(op, b, a))


for _name, _op in [("add", operator.add), ("sub", operator.sub), ("mul", operator.mul),
                   ("truediv", operator.truediv), ("pow", operator.pow),
                   ("matmul", operator.matmul)]:
    _fwd, _rev = _binary(_op)
    setattr(Symbol, f"__{_name}__", _fwd)
    setattr(Symbol, f"__r{_name}__", _rev)


def placeholder(name: str, shape: Sequence[int] = (), dtype: Any = np.float64) -> Symbol:
    """A named input of the graph: its value is given only when the graph runs."""
    shape, dt = tuple(int(n) for n in shape), _dtype.to_numpy_dtype(dtype)
    rngs = [np.random.default_rng(seed) for seed in (1, 2)]
    if dt.kind == "f":
        samples = (rngs[0].standard_normal(shape).astype(dt),
                   rngs[1].standard_normal(shape).astype(dt))
    else:
        samples = (np.zeros(shape, dt), np.ones(shape, dt))
    return Symbol("placeholder", name, shape, dt, samples, requires_grad=dt.kind == "f")


class _Trace:
    """Listens to ``Function.apply`` while a function runs on stand-in values."""

    def __init__(self) -> None:
        self.records: list[tuple[Any, ...]] = []  # (op class, params, refs, out, grad)
        self.known: dict[int, Any] = {}  # id(array) -> Symbol, or index of a record
        self.constants: dict[int, np.ndarray] = {}  # id(array) -> its value at trace time
        self.keep: list[Any] = []  # the arrays stay alive, so their ids stay unique

    def ref(self, t: Tensor) -> tuple[Any, ...]:
        """Where a tensor comes from: a symbol, an op of this trace, or a constant."""
        src = self.known.get(id(t._data))
        if src is None:
            if id(t._data) not in self.constants:
                self.constants[id(t._data)] = t._data.copy()
                self.keep.append(t._data)
            return ("constant", self.constants[id(t._data)])
        grad = src.requires_grad if isinstance(src, Symbol) else self.records[src][4]
        return ("stop" if grad and not t._requires_grad else "node", src)

    def __call__(self, fn: Any, inputs: tuple[Tensor, ...], out: np.ndarray) -> None:
        grad = state.grad_enabled and any(t._requires_grad for t in inputs)
        refs = tuple(self.ref(t) for t in inputs)
        self.records.append((type(fn), fn.params(), refs, out, grad))
        self.known[id(out)] = len(self.records) - 1
        self.keep.append(out)

    def adopt(self, t: Tensor, symbol: Symbol) -> None:
        """The op just recorded *is* ``symbol`` (replaying an existing graph)."""
        self.records.pop()
        self.known[id(t._data)] = symbol


def _trace(f: Callable[..., Any], args: tuple[Any, ...], kw: dict[str, Any], k: int) -> Any:
    tr = _Trace()
    call = list(args)
    for i, a in enumerate(args):
        if isinstance(a, Symbol):
            call[i] = Tensor._wrap(a.samples[k], a.requires_grad)
            tr.known[id(a.samples[k])] = a
    with _hooks.only(tr), enable_grad(), np.errstate(all="ignore"):
        _tracing.append(tr)
        try:
            result = f(*call, **kw)
        finally:
            _tracing.pop()
    outs = result if isinstance(result, tuple) else (result,)
    if not all(isinstance(o, Tensor) for o in outs):
        raise TypeError("the function given to define() must return a Tensor or a tuple of "
                        "Tensors")
    return tr, tuple(tr.ref(o) for o in outs), isinstance(result, tuple)


_tracing: list[_Trace] = []  # the trace in progress (for _replay)


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        a, b = np.asarray(a), np.asarray(b)
        return a.shape == b.shape and a.dtype == b.dtype and bool(
            np.array_equal(a, b, equal_nan=a.dtype.kind in "fc"))
    if isinstance(a, (tuple, list)) and isinstance(b, (tuple, list)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[key], b[key]) for key in a)
    if isinstance(a, Symbol) or isinstance(b, Symbol):
        return a is b
    return bool(a == b)


def define(f: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """The graph of ``f(*args)``: every ``Symbol`` among ``args`` is an input of the graph;
    anything else is a constant.  Returns a Symbol (or a tuple, if ``f`` returns one)."""
    (t0, outs0, many), (t1, outs1, _) = (_trace(f, args, kwargs, k) for k in (0, 1))
    sig0 = [(r[0], r[1], r[2]) for r in t0.records]
    sig1 = [(r[0], r[1], r[2]) for r in t1.records]
    if not (_same(sig0, sig1) and _same(outs0, outs1)):
        raise RuntimeError(
            "define-then-run: the graph depends on the values fed in.\nIn minigrad: tracing "
            f"{getattr(f, '__name__', 'the function')} on two different sets of stand-in "
            "values gave two different graphs, so some Python `if`/`while` or some value "
            "computed outside the op registry (a comparison, argmax, sign, a random number "
            "...) depends on a placeholder.  An explicit graph fixes both when it is "
            "defined; write the function without them, or compute eagerly (lesson 03).")
    made: list[Symbol] = []
    constants: dict[int, Symbol] = {}
    for (cls, params, refs, out, grad), rec1 in zip(t0.records, t1.records, strict=True):
        ins = tuple(_resolve(r, made, constants) for r in refs)
        made.append(Symbol("op", cls.__name__, out.shape, out.dtype, (out, rec1[3]), ins, cls,
                           params, requires_grad=grad))
    result = tuple(_resolve(r, made, constants) for r in outs0)
    return result if many else result[0]


def _resolve(ref: tuple[Any, ...], made: list[Symbol], constants: dict[int, Symbol]) -> Symbol:
    kind, src = ref
    if kind == "constant":
        if id(src) not in constants:
            constants[id(src)] = Symbol("constant", _short(src), src.shape, src.dtype,
                                        (src, src), value=src)
        return constants[id(src)]
    node = made[src] if isinstance(src, int) else src
    if kind == "node":
        return node
    if node.stopped is None:
        node.stopped = Symbol("stop_gradient", "detach", node.shape, node.dtype, node.samples,
                              (node,))
    return node.stopped


def _short(a: np.ndarray) -> str:
    return np.array2string(a, precision=4, threshold=6) if a.size <= 6 else f"array{a.shape}"


def nodes(outputs: Symbol | Sequence[Symbol]) -> list[Symbol]:
    """Every node the outputs depend on, each once, inputs before the ops that use them
    (an iterative depth-first topological sort)."""
    roots = [outputs] if isinstance(outputs, Symbol) else list(outputs)
    order: list[Symbol] = []
    done: set[int] = set()
    stack: list[tuple[Symbol, bool]] = [(r, False) for r in reversed(roots)]
    while stack:
        node, expanded = stack.pop()
        if id(node) in done:
            continue
        if expanded:
            done.add(id(node))
            order.append(node)
            continue
        stack.append((node, True))
        stack.extend((p, False) for p in reversed(node.inputs) if id(p) not in done)
    return order


def run(fetches: Symbol | Sequence[Symbol], feed: dict[Any, Any]) -> Any:
    """Plug values into the placeholders (``feed`` keyed by Symbol or by name) and compute the
    fetched symbols: each op's ``forward`` on numpy arrays, in topological order."""
    by_name = {k if isinstance(k, str) else k.name: v for k, v in feed.items()}
    values: dict[int, Any] = {}
    for s in nodes(fetches):
        if s.kind == "placeholder":
            if s.name not in by_name:
                raise KeyError(f"no value fed for placeholder {s.name!r}")
            v = np.asarray(getattr(by_name[s.name], "_data", by_name[s.name]), dtype=s.dtype)
            if v.shape != s.shape:
                raise ValueError(f"placeholder {s.name!r} has shape {s.shape}; the value fed "
                                 f"has shape {v.shape} (the graph was built for the first)")
        elif s.kind == "constant":
            v = s.value
        elif s.kind == "stop_gradient":
            v = values[id(s.inputs[0])]
        else:
            fn = s.op.__new__(s.op)
            for name, value in s.params.items():
                setattr(fn, name, value)
            fn.saved_tensors = ()
            fn.needs_input_grad = (False,) * len(s.inputs)  # running a graph saves nothing
            v = np.asarray(fn.forward(*[values[id(i)] for i in s.inputs]))
        values[id(s)] = v
    if isinstance(fetches, Symbol):
        return values[id(fetches)]
    return [values[id(s)] for s in fetches]


def _replay(outputs: list[Symbol], env: dict[int, Tensor]) -> None:
    """Recompute existing symbols with Tensors inside a trace, reusing their nodes."""
    tr = _tracing[-1] if _tracing else None
    for s in nodes(outputs):
        if id(s) in env:
            continue
        if s.kind == "constant":
            t = Tensor._wrap(s.value)
            if tr is not None:
                tr.known[id(s.value)] = s
        elif s.kind == "stop_gradient":
            t = env[id(s.inputs[0])].detach()
        else:
            with enable_grad() if s.requires_grad else no_grad():
                t = s.op.apply(*[env[id(i)] for i in s.inputs], **s.params)
            if tr is not None:
                tr.adopt(t, s)
        env[id(s)] = t


def gradients(y: Symbol, xs: Sequence[Symbol]) -> list[Symbol]:
    """Symbols for d(sum of y)/dx, one per x: the derivative graph, built from the same
    ``backward`` rules (run on stand-ins with ``create_graph=True`` while recording)."""
    leaves = [s for s in nodes([y, *xs]) if s.kind == "placeholder"]
    for x in xs:
        if not x.requires_grad:
            raise RuntimeError(f"One of the differentiated Symbols does not require grad: {x}")

    def derivative(*tensors: Tensor) -> tuple[Tensor, ...]:
        env = {id(s): t for s, t in zip(leaves, tensors, strict=True)}
        _replay([y, *xs], env)
        out = env[id(y)]
        ones = Tensor._wrap(np.ones(out.shape, out._data.dtype))
        grads: tuple[Any, ...] = _grad(out, [env[id(x)] for x in xs], ones, create_graph=True,
                                       allow_unused=True, materialize_grads=True)
        return grads

    result = define(derivative, *leaves)
    return list(result) if isinstance(result, tuple) else [result]
