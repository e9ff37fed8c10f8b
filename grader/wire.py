"""The only data that crosses between the grader and the sandboxed child: one JSON object per
line, made of numbers, strings, lists, tuples, dicts and numeric arrays.  Decoding never runs
code and checks every array, so a child can send numbers but nothing that acts.

Everything the child sends is untrusted: `loads` refuses a line that is too long, nested too
deeply or holds an integer too large to be a number of ours, before `json` sees it; `clean`
makes any text from the child safe to print (no terminal escapes, bounded length)."""

from __future__ import annotations

import json
import re
from typing import Any

import numpy as np

DTYPES = ("float64", "int64", "bool")
MAX_ELEMENTS = 5_000_000
MAX_LINE = 4 * 2**20  # the largest honest message (topo_sort on 100 000 nodes) is about 1 MB
MAX_DEPTH = 32  # an honest message nests about 8 deep
MAX_INT_DIGITS = 19
_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"')


class Garbled(ValueError):
    """A line from the child that is not a message of ours."""


def encode(value: Any) -> Any:
    if isinstance(value, np.ndarray):
        dtype = "float64" if value.dtype.kind == "f" else "bool" if value.dtype == bool else "int64"
        data = value.astype(dtype).ravel().tolist()
        return {"__nd__": dtype, "shape": list(value.shape), "data": data}
    if isinstance(value, tuple):
        return {"__tuple__": [encode(v) for v in value]}
    if isinstance(value, list):
        return [encode(v) for v in value]
    if isinstance(value, dict):
        return {str(k): encode(v) for k, v in value.items()}
    if isinstance(value, np.generic):
        return value.item()
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    raise TypeError(f"cannot send {type(value).__name__}")


def decode(value: Any) -> Any:
    if isinstance(value, dict):
        if "__nd__" in value:
            return array(value)
        if "__tuple__" in value:
            return tuple(decode(v) for v in value["__tuple__"])
        return {k: decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [decode(v) for v in value]
    return value


def array(value: Any, dtype: str | None = None) -> np.ndarray:
    """A checked array from its encoding; raises ValueError on anything unexpected."""
    if not isinstance(value, dict) or set(value) != {"__nd__", "shape", "data"}:
        raise ValueError("not an array")
    kind, shape, data = value["__nd__"], value["shape"], value["data"]
    if kind not in DTYPES or (dtype is not None and kind != dtype):
        raise ValueError("unexpected array type")
    if not isinstance(shape, list) or len(shape) > MAX_DEPTH:
        raise ValueError("bad shape")
    if not all(type(s) is int and 0 <= s <= MAX_ELEMENTS for s in shape):
        raise ValueError("bad shape")
    if not isinstance(data, list) or len(data) > MAX_ELEMENTS:
        raise ValueError("bad data")
    if not all(type(x) in (int, float, bool) for x in data):
        raise ValueError("non-numeric data")
    if len(data) != int(np.prod(shape, dtype=np.float64)):
        raise ValueError("shape does not match data")
    return np.array(data, dtype=kind).reshape(shape)


def dumps(message: dict[str, Any]) -> bytes:
    return json.dumps(encode(message), separators=(",", ":")).encode() + b"\n"


def loads(line: bytes, limit: int = MAX_LINE) -> dict[str, Any]:
    """One message, checked before parsing: at most `limit` bytes, `MAX_DEPTH` levels of
    brackets, integers of at most `MAX_INT_DIGITS` digits; raises `Garbled` otherwise."""
    if len(line) > limit:
        raise Garbled("line too long")
    if depth(line) > MAX_DEPTH:
        raise Garbled("nested too deeply")
    try:
        message = json.loads(line, parse_int=_small_int)
    except (ValueError, RecursionError, MemoryError) as error:
        raise Garbled(str(error)[:100]) from None
    if not isinstance(message, dict):
        raise Garbled("not a message")
    return message


def depth(text: bytes) -> int:
    """The deepest nesting of brackets outside JSON strings (linear time, in numpy)."""
    bare = np.frombuffer(_STRING.sub(b'""', text), dtype=np.uint8)
    steps = np.isin(bare, (ord("["), ord("{"))).astype(np.int64)
    steps -= np.isin(bare, (ord("]"), ord("}")))
    return int(np.cumsum(steps).max(initial=0))


def _small_int(digits: str) -> int:
    if len(digits.lstrip("-")) > MAX_INT_DIGITS:
        raise ValueError("integer too large")
    return int(digits)


def clean(text: Any, limit: int = 300) -> str:
    """`text` made safe to show: control and other unprintable characters (terminal escapes,
    lone surrogates from undecodable bytes) written as escapes, cut to `limit` characters."""
    text = str(text)[: 4 * limit]
    safe = "".join(c if c.isprintable() or c == " " else c.encode("unicode_escape",
                                                               "backslashreplace").decode()
                   for c in text)
    return safe if len(safe) <= limit else safe[: limit - 1] + "…"
