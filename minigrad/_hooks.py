"""Listeners on the engine: forward mode, cost counters and symbolic tracing share two hooks.

``Function.apply`` calls ``state.forward_hook(fn, inputs, out)`` after every forward (a
listener may return the output's tangent) and the reverse engine calls
``state.backward_hook(node)`` after every backward.  Each is ``None`` when nobody listens,
so the hot path pays one ``is None`` test.  Several listeners can be on at once (count the
cost of forward mode); this module keeps the lists and installs one dispatcher.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from ._grad_mode import state

_forward: list[Callable[..., Any]] = []
_backward: list[Callable[..., None]] = []


def _dispatch_forward(fn: Any, inputs: Any, out: Any) -> Any:
    result = None
    for listener in tuple(_forward):
        got = listener(fn, inputs, out)
        if got is not None:
            result = got
    return result


def _dispatch_backward(node: Any) -> None:
    for listener in tuple(_backward):
        listener(node)


def _install() -> None:
    state.forward_hook = (None if not _forward else
                          _forward[0] if len(_forward) == 1 else _dispatch_forward)
    state.backward_hook = (None if not _backward else
                           _backward[0] if len(_backward) == 1 else _dispatch_backward)


def add(forward: Callable[..., Any] | None = None,
        backward: Callable[..., None] | None = None) -> None:
    """Start calling ``forward`` after every op's forward, ``backward`` after every backward."""
    if forward is not None:
        _forward.append(forward)
    if backward is not None:
        _backward.append(backward)
    _install()


def remove(forward: Callable[..., Any] | None = None,
           backward: Callable[..., None] | None = None) -> None:
    if forward is not None and forward in _forward:
        _forward.remove(forward)
    if backward is not None and backward in _backward:
        _backward.remove(backward)
    _install()


@contextmanager
def only(forward: Callable[..., Any]) -> Iterator[None]:
    """Inside the block, ``forward`` is the one listener (symbolic tracing wants no others)."""
    saved = (list(_forward), list(_backward))
    _forward[:], _backward[:] = [forward], []
    _install()
    try:
        yield
    finally:
        _forward[:], _backward[:] = saved
        _install()
