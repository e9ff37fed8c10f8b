"""Forward mode: dual tensors, as ``torch.autograd.forward_ad`` (lesson 04).

Reverse mode answers "how does the *output* depend on every input?" in one backward sweep.
Forward mode answers "how does *every* value change when the input moves along a direction
``v``?" in one forward sweep, alongside the ordinary computation:

* the **primal** is the ordinary value of a tensor;
* its **tangent** is the derivative of that value along ``v`` (a tensor of the same shape);
* a tensor carrying both is a **dual tensor** (the dual numbers ``a + b·ε`` with ``ε² = 0``).

Each op pushes tangents forward with its ``jvp`` rule (the Jacobian-vector product
``dz = J·dx``), right after its ``forward``.  Nothing is recorded: a tangent only needs the
values of the op that is running *now*, so memory does not grow with the depth of the
program (reverse mode keeps every saved value until the backward pass)::

    with dual_level():
        x = make_dual(primal, tangent)        # x = primal + tangent·ε
        y = f(x)                              # ordinary code; every op also runs its jvp
        value, jvp = unpack_dual(y)           # f(primal) and J_f(primal) @ tangent

The tangent lives in ``Tensor._tangent`` as ``(level, array)``: leaving the ``dual_level``
makes every tangent of that level invisible, exactly as torch forgets them.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from .. import _hooks
from ..tensor import Tensor

__all__ = ["dual_level", "make_dual", "unpack_dual", "enter_dual_level", "exit_dual_level",
           "UnpackedDualTensor"]


class _Level:
    """One ``with dual_level():`` block; tangents made inside it are tagged with it."""

    def __repr__(self) -> str:
        return f"<dual level {id(self):#x}>"


_current: _Level | None = None


class UnpackedDualTensor(NamedTuple):
    """What ``unpack_dual`` returns: the primal, and the tangent (``None`` if there is none)."""

    primal: Tensor
    tangent: Tensor | None


def tangent_of(t: Tensor) -> np.ndarray | None:
    """The tangent array of ``t`` at the current level, or ``None`` (a zero tangent)."""
    tagged = t._tangent
    if tagged is None or tagged[0] is not _current:
        return None
    return tagged[1]


def _push_tangents(fn: Any, inputs: tuple[Tensor, ...], out: np.ndarray) -> Any:
    """The forward-mode engine: called by ``Function.apply`` right after ``fn.forward``.

    Gathers the input tangents, lets the op's ``jvp`` rule combine them, and gives the result
    the output's shape and dtype (the one place where tangents are broadcast, as the reverse
    engine un-broadcasts gradients in one place).  Returns ``(level, tangent)`` or ``None``.
    """
    tangents, moving = [], False
    for t in inputs:  # tangent_of(t) for each input, spelled out: this runs for every op
        tagged = t._tangent
        if tagged is not None and tagged[0] is _current:
            tangents.append(tagged[1])
            moving = True
        else:
            tangents.append(None)
    if not moving or out.dtype.kind != "f":
        return None  # no input moves (or an integer output): the output's tangent is zero
    if fn.jvp_uses_input_meta:  # (shape, dtype) per input: the rule builds zero tangents
        fn.input_meta = [(t._data.shape, t._data.dtype) for t in inputs]
    tangent = np.asarray(fn.jvp(tangents, *fn.saved_tensors), dtype=out.dtype)
    if tangent.shape != out.shape:
        tangent = np.broadcast_to(tangent, out.shape).copy()
    return (_current, tangent)


def enter_dual_level() -> int:
    """Start forward mode (prefer ``with dual_level():``).  Returns the level, 0 as in torch."""
    global _current
    if _current is not None:
        raise RuntimeError("Nested forward mode AD is not supported at the moment\n"
                           "In minigrad: a tensor holds one tangent at a time; leave the "
                           "current dual_level() first (lesson 04).")
    _current = _Level()
    _hooks.add(forward=_push_tangents)
    return 0


def exit_dual_level(*, level: int | None = None) -> None:
    """Leave forward mode: every tangent of the level is forgotten."""
    global _current
    _hooks.remove(forward=_push_tangents)
    _current = None


class dual_level:
    """``with dual_level():`` — inside it, ``make_dual`` creates dual tensors and every op
    pushes their tangents forward."""

    def __enter__(self) -> int:
        return enter_dual_level()

    def __exit__(self, *exc: Any) -> None:
        exit_dual_level()


def is_active() -> bool:
    """Whether forward mode is on (inside a ``dual_level``)."""
    return _current is not None


def make_dual(tensor: Tensor, tangent: Tensor | Any, *, level: int | None = None) -> Tensor:
    """A dual tensor with the values of ``tensor`` (shared) and the given tangent.

    It stands where ``tensor`` stands in the reverse-mode graph too (same node), so forward
    and reverse mode can be mixed: forward-over-reverse gives Hessian-vector products.
    """
    if _current is None:
        raise RuntimeError("Trying to create a dual Tensor for forward AD but no level exists, "
                           "make sure to enter_dual_level() first.\nIn minigrad: write the "
                           "forward-mode code inside `with dual_level():` (lesson 04).")
    if tensor._data.dtype.kind != "f":
        raise ValueError(f"Expected primal to be floating point or complex, but got: "
                         f"{tensor.dtype}")
    t = tangent._data if isinstance(tangent, Tensor) else np.asarray(tangent)
    if t.shape != tensor._data.shape:
        raise RuntimeError(
            "Trying to set a forward gradient that has a different size than that of the "
            f"original Tensor, this is not supported. Tensor is of size {list(tensor.shape)} "
            f"while the given forward gradient is of size {list(t.shape)}.")
    dual = _alias(tensor)
    dual._tangent = (_current, t.astype(tensor._data.dtype, copy=False))  # type: ignore[assignment]
    return dual


def unpack_dual(tensor: Tensor, *, level: int | None = None) -> UnpackedDualTensor:
    """Split a dual tensor into its primal (no tangent) and its tangent (``None`` if none)."""
    t = tangent_of(tensor)
    if t is None:
        return UnpackedDualTensor(tensor, None)
    return UnpackedDualTensor(_alias(tensor), Tensor._wrap(t))


def _alias(t: Tensor) -> Tensor:
    """A second Tensor for the same value and the same place in the graph (no tangent)."""
    alias = Tensor._wrap(t._data, t._requires_grad)
    alias.grad_fn = t.grad_fn
    if t.grad_fn is None and t._requires_grad:
        alias._node = t._edge()  # gradients still accumulate into the original leaf
    return alias
