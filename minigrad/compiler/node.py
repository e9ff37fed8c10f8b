"""The graph node of a compiled function, and the eager replay behind its second derivatives.

A call of a compiled function adds one node per output to minigrad's graph.  Its ``backward``
is the generated code; under ``create_graph=True`` (a gradient that must itself be
differentiable) it runs the recorded ops again eagerly instead, so that the derivative of the
derivative is minigrad's own.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import errors
from .._grad_mode import enable_grad
from ..autograd.engine import AccumulateGrad, Function, _sequence, grad
from ..tensor import Tensor
from . import passes, trace
from .ir import Line, refs_in, substitute


class _CompiledNode(Function):
    """One graph node for a whole compiled function: its backward is the generated code."""

    __slots__ = ("entry", "k", "inputs", "kept", "gives_own_grads")
    torch_name = "CompiledFunctionBackward"
    entry: Any
    k: int
    inputs: tuple[list[Any], list[Any]]
    kept: tuple[Any, ...] | None  # what a second backward reads, where eagerly it may run

    @classmethod
    def make(cls, entry: Any, k: int, saved: tuple[Any, ...], edges: list[Any],
             arrays: list[Any]) -> _CompiledNode:
        node = cls.__new__(cls)
        node.entry, node.k, node.inputs = entry, k, (arrays, edges)
        node._next = tuple(edges)
        node.saved_tensors = saved or entry.saves[k]
        # The eager graph may save nothing (x[0]: an index, no array) while the generated code
        # keeps something for its backward (the op's own object): then a second backward runs,
        # as it does eagerly, on what is kept here after the engine frees saved_tensors.
        node.kept = saved if saved and not entry.saves[k] else None
        node.needs_input_grad = (True,) * len(edges)
        node.gives_own_grads = entry.owns[entry.grad_outputs.index(k)]
        node._seq = next(_sequence)
        return node

    def unpack(self, as_tensors: bool) -> Any:
        if self.saved_tensors is None:
            if self.kept is None:
                raise errors.backward_twice(self)
            return self.kept
        return self.saved_tensors

    def backward(self, g: Any, *saved: Any) -> tuple[Any, ...]:
        if isinstance(g, Tensor):  # create_graph=True: minigrad's own ops, differentiable
            arrays, edges = self.inputs
            return replay_grads(self.entry, self.k, g, arrays, edges)
        return self.entry.backward[self.k](g, saved)


def replay_grads(self: Any, k: int, g: Tensor, arrays: list[Any], edges: list[Any]) -> Any:
    """The gradients of output ``k`` by minigrad's own ops, recorded (``create_graph=True``):
    the function's ops run again, eagerly, on the inputs the forward pass saw."""
    tr = self.trace
    vids = list(range(len(self.positions))) + [vid for _, vid in self.implicit]
    env: dict[int, Tensor] = {}
    targets = []
    for vid, array in zip(vids, arrays):
        t = Tensor._wrap(array, vid in self.grad_inputs)
        if vid in self.grad_inputs:
            edge = edges[self.grad_inputs.index(vid)]
            if isinstance(edge, AccumulateGrad):
                t._node = edge
            elif edge is not None:
                t.grad_fn = edge
            targets.append(t)
        env[vid] = t
    with enable_grad():
        for rec in tr.records:
            if isinstance(rec, Line):
                args = substitute(rec.args, {v: _data(v, env, tr) for v in refs(rec)})
                kw = substitute(rec.kwargs, {v: _data(v, env, tr) for v in refs(rec)})
                env[rec.out] = Tensor._wrap(np.asarray(passes.evaluate(rec, args, kw)))
                continue
            _, cls, params, _needs, ins, edges_in, out = rec
            ts = [_tensor(v, env, tr) if e else _tensor(v, env, tr).detach()
                  for v, e in zip(ins, edges_in)]
            params = substitute(params, {v: _data(v, env, tr)  # (an index from the inputs)
                                         for v in refs_in(list(params.values()))})
            env[out] = cls.apply(*ts, **params)
        got = grad([env[self.outs[k]]], targets, [g], create_graph=True, allow_unused=True)
    return tuple(got)


def eager_saves(tr: trace.Trace, out: int) -> tuple[Any, ...]:
    """``(None,)`` when some eager node behind ``out`` saves values (then a second backward
    raises, as eagerly, even if the generated backward needs nothing saved), else ``()``."""
    made = {rec[6]: rec for rec in tr.records if not isinstance(rec, Line)}
    stack, seen = [out], set()
    while stack:
        v = stack.pop()
        if v in seen or v not in made:
            continue
        seen.add(v)
        if v in tr.saves:
            return (None,)
        stack.extend(i for i, e in zip(made[v][4], made[v][5]) if e)
    return ()


def refs(ln: Line) -> list[int]:
    return refs_in((ln.args, ln.kwargs))


def _tensor(v: int, env: dict[int, Tensor], tr: trace.Trace) -> Tensor:
    if v not in env:
        env[v] = Tensor._wrap(tr.arrays[v])
    return env[v]


def _data(v: int, env: dict[int, Tensor], tr: trace.Trace) -> Any:
    return _tensor(v, env, tr)._data
