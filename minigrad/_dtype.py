"""torch-style dtypes over numpy dtypes, and the promotion rule for mixing them."""

from __future__ import annotations

import builtins

import numpy as np


class dtype:
    """A dtype prints as torch prints it (``torch.float32``) and wraps a numpy dtype."""

    __slots__ = ("name", "np", "is_floating_point")

    def __init__(self, name: str) -> None:
        self.name = name
        self.np = np.dtype(name)
        self.is_floating_point = self.np.kind == "f"

    def __repr__(self) -> str:
        return f"torch.{self.name}"

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (to_dtype, (self.name,))


float16 = half = dtype("float16")
float32 = float = dtype("float32")
float64 = double = dtype("float64")
int8 = dtype("int8")
int16 = short = dtype("int16")
int32 = int = dtype("int32")
int64 = long = dtype("int64")
uint8 = dtype("uint8")
bool = dtype("bool")

_BY_NUMPY = {d.np: d for d in (float16, float32, float64, int8, int16, int32, int64, uint8, bool)}
DEFAULT_FLOAT = np.dtype("float32")


def to_dtype(d: object) -> dtype:
    """The minigrad dtype for a minigrad dtype, a numpy dtype or a name."""
    if isinstance(d, dtype):
        return d
    return _BY_NUMPY[np.dtype(d)]  # type: ignore[call-overload]


def to_numpy_dtype(d: object) -> np.dtype:
    return d.np if isinstance(d, dtype) else np.dtype(d)  # type: ignore[call-overload]


def scalar_dtype(value: object, like: np.dtype) -> np.dtype:
    """The dtype a Python number takes next to a tensor of dtype ``like`` (torch's rule:
    a number never widens a tensor of its own kind; a float next to integers is float32)."""
    if type(value) is not builtins.float:  # (a float, the common case, skips the checks)
        if isinstance(value, (np.bool_, builtins.bool)):
            return like
        if isinstance(value, (builtins.int, np.integer)):
            return like if like.kind != "b" else np.dtype("int64")
    return like if like.kind == "f" else DEFAULT_FLOAT
