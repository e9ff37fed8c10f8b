"""Global autograd switches: grad mode, and the hooks that forward mode and cost counters use.

``forward_hook(fn, inputs, out)`` runs after every op's forward and may return the output's
tangent (forward mode); ``backward_hook(node)`` runs after every node's backward.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any


class _State:
    __slots__ = ("grad_enabled", "forward_hook", "backward_hook")

    def __init__(self) -> None:
        self.grad_enabled = True
        self.forward_hook: Callable[..., Any] | None = None
        self.backward_hook: Callable[..., None] | None = None


state = _State()


class no_grad:
    """Inside ``with minigrad.no_grad():`` nothing is recorded, so nothing can be differentiated.
    Also a decorator, as in torch."""

    mode = False

    def __enter__(self) -> None:
        self.prev = state.grad_enabled
        state.grad_enabled = self.mode

    def __exit__(self, *exc: Any) -> None:
        state.grad_enabled = self.prev

    def __call__(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        mode = self.mode

        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with set_grad_enabled(mode):
                return fn(*args, **kwargs)

        return wrapper


class enable_grad(no_grad):
    """Turn recording back on inside a ``no_grad`` block."""

    mode = True


class set_grad_enabled(no_grad):
    """Turn recording on or off: as a call it takes effect at once (as in torch); as a context
    manager or decorator, only inside."""

    def __init__(self, mode: bool) -> None:
        self.prev = state.grad_enabled
        self.mode = bool(mode)
        state.grad_enabled = self.mode

    def __enter__(self) -> None:  # the previous mode was kept when the call switched it
        state.grad_enabled = self.mode

    def __call__(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        state.grad_enabled = self.prev  # used as a decorator: the call above changed nothing
        return super().__call__(fn)


def is_grad_enabled() -> bool:
    return state.grad_enabled
