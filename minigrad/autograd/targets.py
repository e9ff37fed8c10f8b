"""Gradients of chosen tensors: what ``backward(inputs=...)`` and ``autograd.grad`` add to the
walk of ``engine.py``, kept apart so that the common ``loss.backward()`` reads without it.

A ``Targets`` is handed to ``engine.run_backward``.  Before the walk it works out which nodes
lead to some target (only those need to run); during the walk it captures each target's
gradient when it arrives (nothing is added into any ``.grad``); after, it hands the gradients
back as Tensors.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from .. import errors
from ..tensor import Tensor

if TYPE_CHECKING:  # (engine.py imports this module: the names are for annotations only)
    from .engine import Node


def tensor_list(x: Any, n: int = 0) -> list[Any]:
    """A tensor or a sequence of them as a list; ``None`` as ``n`` Nones (torch's defaults)."""
    if x is None:
        return [None] * n
    return [x] if isinstance(x, Tensor) else list(x)


class Targets:
    """The tensors whose gradients are wanted: each is captured when it arrives, and only the
    nodes from which some target can be reached run."""

    def __init__(self, inputs: Any, for_grad: bool = False) -> None:
        self.tensors = tensor_list(inputs)
        if for_grad and not all(t._requires_grad for t in self.tensors):
            raise RuntimeError("One of the differentiated Tensors does not require grad")
        self.index = {t._edge(): i for i, t in enumerate(self.tensors)}
        self.grads: list[Any] = [None] * len(self.tensors)
        self.needed: set[Node] = set()

    def plan(self, roots: list[Node], deps: dict[Node, int]) -> set[Node]:
        """Before the walk: the nodes that need to run (``deps``: edges into each node)."""
        self.needed = _needed(roots, deps, set(self.index))
        return self.needed

    def capture(self, node: Node, grad: Any) -> bool:
        """Keep ``grad`` if ``node`` is a target's; True when nothing past it is needed."""
        if node not in self.index:
            return False
        self.grads[self.index[node]] = grad
        return not any(c in self.needed for c in node._next)

    def results(self) -> list[Any]:
        """The captured gradients as Tensors (``None`` where none arrived)."""
        return [g if g is None or isinstance(g, Tensor) else Tensor._wrap(np.array(g, copy=True))
                for g in self.grads]

    def for_grad(self, allow_unused: bool | None, materialize_grads: bool) -> tuple[Any, ...]:
        """What ``autograd.grad`` returns: zeros or an error where no gradient arrived."""
        result = []
        for i, (t, grad) in enumerate(zip(self.tensors, self.results())):
            if grad is None:
                if materialize_grads:
                    grad = Tensor._wrap(np.zeros_like(t._data))
                elif not allow_unused:
                    raise errors.unused_input(i)
            result.append(grad)
        return tuple(result)


def _needed(roots: list[Node], deps: dict[Node, int], targets: set[Node]) -> set[Node]:
    """The nodes from which some target can be reached: only they need to run."""
    remaining = dict(deps)
    order, ready = [], [r for r in dict.fromkeys(roots) if remaining.get(r, 0) == 0]
    while ready:
        node = ready.pop()
        order.append(node)
        for child in node._next:
            if child is not None:
                remaining[child] -= 1
                if remaining[child] == 0:
                    ready.append(child)
    needed: set[Node] = set()
    for node in reversed(order):
        if node in targets or any(c in needed for c in node._next):
            needed.add(node)
    return needed
