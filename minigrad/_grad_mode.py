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


class set_grad_enabled:
    """Turn recording on or off, as a call, a context manager or a decorator (as in torch)."""

    def __init__(self, mode: bool) -> None:
        self.prev = state.grad_enabled
        self.mode = bool(mode)
        state.grad_enabled = self.mode

    def __enter__(self) -> None:
        state.grad_enabled = self.mode

    def __exit__(self, *exc: Any) -> None:
        state.grad_enabled = self.prev

    def __call__(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        mode = self.mode
        state.grad_enabled = self.prev  # used as a decorator: the call above changed nothing

        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with set_grad_enabled(mode):
                return fn(*args, **kwargs)

        return wrapper


class no_grad(set_grad_enabled):
    """Inside ``with minigrad.no_grad():`` nothing is recorded, so nothing can be differentiated."""

    def __init__(self) -> None:
        self.prev = state.grad_enabled
        self.mode = False

    def __enter__(self) -> None:
        self.prev = state.grad_enabled
        state.grad_enabled = False

    def __call__(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with no_grad():
                return fn(*args, **kwargs)

        return wrapper


class enable_grad(no_grad):
    """Turn recording back on inside a ``no_grad`` block."""

    def __enter__(self) -> None:
        self.prev = state.grad_enabled
        state.grad_enabled = True

    def __call__(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with enable_grad():
                return fn(*args, **kwargs)

        return wrapper


def is_grad_enabled() -> bool:
    return state.grad_enabled
