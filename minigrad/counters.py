"""Cost counters: what a piece of code costs in ops and in memory kept for backward (lesson 06).

    with minigrad.counters.count() as cost:
        y = f(x)
        y.backward()
    print(cost)            # forward ops 200, backward ops 200, saved 1.6 MB, peak graph 1.6 MB

What is counted, and why it is what the lecture's complexity table is about:

* ``forward_ops``: ops run (every ``Function.apply``); ``jvp_ops``: of those, how many also
  pushed a tangent forward (forward mode); ``backward_ops``: nodes whose backward ran.
  Time is proportional to these counts: O(n) for both modes.
* ``saved_bytes``: bytes of the arrays each recorded node saved for its backward (an array
  saved by several nodes counts once per node: that is what the nodes asked for).
* ``graph_bytes`` / ``peak_graph_bytes``: distinct bytes the live graph holds right now / at
  most.  Reverse mode keeps every saved array until backward frees it: O(n) memory.  Forward
  mode records nothing: the peak stays 0 however long the chain, O(1).
* ``by_op``: forward ops per op name, to see *which* ops ran.
"""

from __future__ import annotations

import weakref
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np

from . import _hooks
from ._grad_mode import state
from .autograd import forward_ad

__all__ = ["count", "Cost"]


class Cost:
    """The counts of one ``with count() as cost:`` block (updated live while it runs)."""

    def __init__(self) -> None:
        self.forward_ops = 0
        self.jvp_ops = 0
        self.backward_ops = 0
        self.nodes_recorded = 0
        self.saved_bytes = 0
        self.graph_bytes = 0
        self.peak_graph_bytes = 0
        self.by_op: Counter[str] = Counter()
        self._held: dict[int, list[int]] = {}  # id(array) -> [nodes holding it, nbytes]
        self._nodes: dict[int, tuple[list[int], Any]] = {}  # id(node) -> (array ids, weakref)

    # -- what the engine reports ----------------------------------------------------------
    def _on_forward(self, fn: Any, inputs: tuple[Any, ...], out: np.ndarray) -> None:
        self.forward_ops += 1
        self.by_op[type(fn).__name__] += 1
        if out.dtype.kind == "f" and any(forward_ad.tangent_of(t) is not None for t in inputs):
            self.jvp_ops += 1
        # the same test Function.apply makes: is a graph node recorded for this op?
        if state.grad_enabled and any(t._requires_grad for t in inputs):
            self.nodes_recorded += 1
            self._hold(fn, [a for a in fn.saved_tensors if isinstance(a, np.ndarray)])

    def _on_backward(self, node: Any) -> None:
        self.backward_ops += 1
        if getattr(node, "_freed", False):
            self._let_go(id(node))

    # -- bookkeeping of the bytes the graph holds ------------------------------------------
    def _hold(self, fn: Any, arrays: list[np.ndarray]) -> None:
        unique = {id(a): a for a in arrays}
        if not unique:
            return
        for key, a in unique.items():
            self.saved_bytes += a.nbytes
            entry = self._held.setdefault(key, [0, a.nbytes])
            if entry[0] == 0:
                self.graph_bytes += a.nbytes
            entry[0] += 1
        self.peak_graph_bytes = max(self.peak_graph_bytes, self.graph_bytes)
        key = id(fn)
        self._nodes[key] = (list(unique), weakref.ref(fn, lambda _: self._let_go(key)))

    def _let_go(self, key: int) -> None:
        """A node freed its saved arrays (backward) or was garbage-collected."""
        entry = self._nodes.pop(key, None)
        if entry is None:
            return
        for array_id in entry[0]:
            held = self._held[array_id]
            held[0] -= 1
            if held[0] == 0:
                self.graph_bytes -= held[1]
                del self._held[array_id]

    def as_dict(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in
                ("forward_ops", "jvp_ops", "backward_ops", "nodes_recorded", "saved_bytes",
                 "graph_bytes", "peak_graph_bytes")}

    def __repr__(self) -> str:
        d = self.as_dict()
        return ("Cost(" + ", ".join(f"{k}={v}" for k, v in d.items()) + ")")

    def __str__(self) -> str:
        return (f"forward ops {self.forward_ops} (with a tangent: {self.jvp_ops}), backward ops "
                f"{self.backward_ops}; saved {_size(self.saved_bytes)}, graph holds "
                f"{_size(self.graph_bytes)} (peak {_size(self.peak_graph_bytes)})")


def _size(n: int) -> str:
    for unit in ("B", "kB", "MB", "GB"):
        if abs(n) < 1000 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n = n / 1000  # type: ignore[assignment]
    return f"{n} B"


@contextmanager
def count() -> Iterator[Cost]:
    """Count ops and graph memory for the code inside the block (see the module docstring).

    Only nodes recorded inside the block are tracked; a graph built before it is not."""
    cost = Cost()
    _hooks.add(forward=cost._on_forward, backward=cost._on_backward)
    try:
        yield cost
    finally:
        _hooks.remove(forward=cost._on_forward, backward=cost._on_backward)
