"""``minigrad.compile(fn)``: the lecture's define-then-run graphs, made fast (lesson 06).

The first call with given input shapes, dtypes and ``requires_grad`` flags (and grad mode,
the train/eval mode of the modules ``fn`` calls, the tensors and numbers it reads from outside)
runs ``fn`` once, eagerly, and keeps the graph it built (``trace.py``; ``entry.py`` holds one
signature's code, ``guards.py`` finds what it read from outside by name).  Each op's own
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
from . import trace
from .entry import _Entry
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
        if entry is None or inputs is None:  # a new signature, or what fn read from outside
            entry = _Entry(self.fn, args, self.exact)  # changed (_Entry.inputs): trace again
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
