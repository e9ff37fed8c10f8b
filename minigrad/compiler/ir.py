"""The compiler's program: straight-line numpy calls, one per line.

A ``Line`` computes value ``out`` (or several, for a call of an op's own method) from its
arguments, where a ``Ref`` names another value and anything else is a constant.  A ``Value``
knows its shape and dtype (from the trace) and a name for the generated source.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np


class Ref:
    """An argument that is another value of the program (by id)."""

    __slots__ = ("id",)

    def __init__(self, id: int) -> None:
        self.id = id

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Ref) and other.id == self.id

    def __hash__(self) -> int:
        return hash(("ref", self.id))

    def __repr__(self) -> str:
        return f"Ref({self.id})"


@dataclass
class Line:
    """``outs = fn(*args, **kwargs)``.  ``kind`` says how ``fn`` is called:
    ``ufunc`` (fn = (ufunc, method)), ``func`` (a numpy function), ``method`` (fn = a method
    name of the first argument), ``getitem``, ``attr`` (fn = an attribute name), ``call``
    (a Python callable: an op's own rule, called as it is)."""

    kind: str
    fn: Any
    args: tuple[Any, ...]
    kwargs: dict[str, Any]
    outs: tuple[int, ...]
    inplace: int | None = None  # the value whose buffer receives the result (out=)

    @property
    def out(self) -> int:
        return self.outs[0]


@dataclass
class Value:
    shape: tuple[int, ...]
    dtype: Any  # np.dtype, or None for a value that is not an array (a saved tuple)
    name: str = ""
    owned: bool = False  # a fresh buffer that only this program can see (in-place candidate)


@dataclass
class Program:
    """Values and lines; ids are shared between the forward and the backward programs."""

    values: dict[int, Value] = field(default_factory=dict)
    _next: int = 0

    def new(self, shape: tuple[int, ...], dtype: Any, name: str = "", owned: bool = False) -> int:
        vid = self._next
        self._next += 1
        self.values[vid] = Value(tuple(shape), dtype, name, owned)
        return vid


def refs_in(x: Any) -> list[int]:
    """The value ids an argument (possibly nested in tuples, lists, dicts) refers to."""
    t = type(x)
    if t is Ref:
        return [x.id]
    if t is tuple or t is list:
        found = []
        for item in x:
            ti = type(item)
            if ti is Ref:
                found.append(item.id)
            elif ti is tuple or ti is list or ti is dict:
                found += refs_in(item)
        return found
    if t is dict:
        return refs_in(list(x.values())) if x else []
    return []


def substitute(x: Any, mapping: dict[int, Any]) -> Any:
    """``x`` with each Ref replaced by ``mapping[id]`` when present (a Ref or a constant)."""
    t = type(x)
    if t is Ref:
        return mapping.get(x.id, x)
    if t is tuple:
        return tuple([substitute(i, mapping) if type(i) in _NESTED else i for i in x])
    if t is list:
        return [substitute(i, mapping) if type(i) in _NESTED else i for i in x]
    if t is dict:
        return {k: substitute(v, mapping) for k, v in x.items()} if x else x
    return x


_NESTED = {Ref, tuple, list, dict}


def same(a: Any, b: Any) -> bool:
    """Structural equality of arguments: arrays by value, dtype and shape."""
    if isinstance(a, (np.ndarray, np.generic)) or isinstance(b, (np.ndarray, np.generic)):
        arrays = (np.ndarray, np.generic)
        if not (isinstance(a, arrays) and isinstance(b, arrays)):
            return False
        a, b = np.asarray(a), np.asarray(b)
        return a.shape == b.shape and a.dtype == b.dtype and bool(
            np.array_equal(a, b, equal_nan=a.dtype.kind in "fc"))
    if isinstance(a, (tuple, list)) and isinstance(b, (tuple, list)):
        return type(a) is type(b) and len(a) == len(b) and all(map(same, a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if type(a) is not type(b):
        return False
    try:
        return bool(a == b)
    except Exception:  # noqa: BLE001 - objects that cannot compare are not the same
        return a is b


def key_of(x: Any) -> Any:
    """A hashable key for an argument (for common-subexpression elimination), or None."""
    if isinstance(x, Ref):
        return ("r", x.id)
    if isinstance(x, (tuple, list)):
        keys = tuple(key_of(i) for i in x)
        return None if None in keys else (type(x).__name__, keys)
    if isinstance(x, dict):
        keys = tuple((k, key_of(v)) for k, v in sorted(x.items()))
        return None if any(v is None for _, v in keys) else ("d", keys)
    if isinstance(x, (np.ndarray, np.generic)):
        a = np.asarray(x)
        return ("a", a.dtype.str, a.shape, a.tobytes()) if a.size <= 64 else ("id", id(x))
    if x is None or isinstance(x, (bool, int, float, str, slice, type(Ellipsis), np.dtype, type)):
        return ("c", type(x).__name__, repr(x))
    return ("id", id(x))


def is_public_numpy(fn: Any) -> bool:
    """Is ``fn`` the numpy function or ufunc of its name (``np.sin``), so ``np.<name>`` calls it?"""
    return getattr(np, getattr(fn, "__name__", ""), None) is fn
