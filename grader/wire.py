"""The only data that crosses between the grader and the sandboxed child: one JSON object per
line, made of numbers, strings, lists, tuples, dicts and numeric arrays.  Decoding never runs
code and checks every array, so a child can send numbers but nothing that acts."""

from __future__ import annotations

import json
from typing import Any

import numpy as np

DTYPES = ("float64", "int64", "bool")
MAX_ELEMENTS = 5_000_000


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
    if not isinstance(shape, list) or not all(type(s) is int and s >= 0 for s in shape):
        raise ValueError("bad shape")
    if not isinstance(data, list) or len(data) > MAX_ELEMENTS:
        raise ValueError("bad data")
    if not all(type(x) in (int, float, bool) for x in data):
        raise ValueError("non-numeric data")
    result = np.array(data, dtype=kind)
    if result.size != int(np.prod(shape)):
        raise ValueError("shape does not match data")
    return result.reshape(shape)


def dumps(message: dict[str, Any]) -> bytes:
    return json.dumps(encode(message), separators=(",", ":")).encode() + b"\n"


def loads(line: bytes) -> dict[str, Any]:
    message = json.loads(line)
    if not isinstance(message, dict):
        raise ValueError("not a message")
    return message
