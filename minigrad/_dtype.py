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


# -- torch's type promotion ----------------------------------------------------------------
# Three categories, bool < integer < floating.  An operand's *category* can raise the result's
# dtype, but only a dimensioned tensor sets its *width*: a 0-d tensor decides only when no
# dimensioned operand reaches its category, and a Python number ("wrapped number") only when no
# tensor does (a Python float counts as the default float dtype, an int as int64).
# So float32 + int64 tensor -> float32, int tensor + 1.5 -> float32, float32 * 0-d float64 ->
# float32, int32 + 0-d float64 -> float64, bool + 2 -> int64.

_CATEGORY = {"b": 0, "u": 1, "i": 1, "f": 2}


def category(d: np.dtype) -> builtins.int:
    """0 for bool, 1 for integers, 2 for floating point."""
    return _CATEGORY[d.kind]


def promote_dtypes(a: np.dtype, b: np.dtype) -> np.dtype:
    """The smallest dtype that holds both (torch's ``promote_types``): within a category the
    wider one (uint8 with int8 is int16); across categories the higher one's dtype."""
    ca, cb = _CATEGORY[a.kind], _CATEGORY[b.kind]
    if ca == cb:
        return np.promote_types(a, b)
    return a if ca > cb else b


def _combine(higher: np.dtype | None, lower: np.dtype | None) -> np.dtype | None:
    """The dtype of a priority group (``higher``) joined by the result of lower-priority
    operands: the lower ones count only if they are of a higher category."""
    if higher is None:
        return lower
    if lower is None or higher.kind == "f":
        return higher
    if higher.kind == "b" or lower.kind == "f":
        return promote_dtypes(higher, lower)
    return higher


def result_dtype(operands: list[tuple[np.dtype, builtins.int, builtins.bool]]) -> np.dtype:
    """The dtype torch computes in for operands given as (dtype, ndim, is a Python number)."""
    groups: list[np.dtype | None] = [None, None, None]  # dimensioned, 0-d, wrapped numbers
    for d, ndim, wrapped in operands:
        g = 2 if wrapped else 0 if ndim else 1
        groups[g] = d if groups[g] is None else promote_dtypes(groups[g], d)  # type: ignore
    out = _combine(groups[0], _combine(groups[1], groups[2]))
    assert out is not None
    return out


def number_dtype(value: object) -> np.dtype:
    """The dtype a Python number has on its own: bool, int64 or the default float dtype."""
    if isinstance(value, (builtins.bool, np.bool_)):
        return np.dtype("bool")
    if isinstance(value, (builtins.int, np.integer)):
        return np.dtype("int64")
    if isinstance(value, (builtins.float, np.floating)):
        return DEFAULT_FLOAT
    raise TypeError(f"expected a tensor or a number, got {type(value).__name__}")


# torch's own names for dtypes in messages ("result type Float can't be cast to ... Long")
_TORCH_NAME = {"float16": "Half", "float32": "Float", "float64": "Double", "int8": "Char",
               "int16": "Short", "int32": "Int", "int64": "Long", "uint8": "Byte",
               "bool": "Bool"}


def torch_name(d: np.dtype) -> str:
    return _TORCH_NAME[np.dtype(d).name]


def can_cast(src: np.dtype, dst: np.dtype) -> builtins.bool:
    """torch's in-place rule: a result may be written into a tensor of a lower or equal
    category only (float into an integer tensor, or a number into a bool tensor, is refused)."""
    return _CATEGORY[src.kind] <= _CATEGORY[dst.kind]


def check_inplace(result: np.dtype, self_dtype: np.dtype) -> None:
    if not can_cast(result, self_dtype):
        raise RuntimeError(
            f"result type {torch_name(result)} can't be cast to the desired output type "
            f"{torch_name(self_dtype)}\nIn minigrad: an in-place operation keeps the dtype of "
            "the tensor it changes, and torch refuses to round a float result into an integer "
            "tensor (or a number into a bool one). Convert first: x = x.float(), then x += ...")


def set_default_float(d: object) -> None:
    """``torch.set_default_dtype``: the dtype of Python floats and of new float tensors."""
    global DEFAULT_FLOAT
    npd = to_numpy_dtype(d)
    if npd.kind != "f":
        raise TypeError("only floating-point types are supported as the default type")
    DEFAULT_FLOAT = npd


def promote_types(type1: object, type2: object) -> dtype:
    """``torch.promote_types``: the dtype that holds both."""
    return to_dtype(promote_dtypes(to_numpy_dtype(type1), to_numpy_dtype(type2)))


def get_default_dtype() -> dtype:
    """The dtype of Python floats and of new float tensors (float32 unless changed)."""
    return to_dtype(DEFAULT_FLOAT)


def set_default_dtype(d: object) -> None:
    set_default_float(d)


# Tensor.type(): torch's legacy type names
_TYPE_NAMES = {"float32": "FloatTensor", "float64": "DoubleTensor", "float16": "HalfTensor",
               "int64": "LongTensor", "int32": "IntTensor", "int16": "ShortTensor",
               "int8": "CharTensor", "uint8": "ByteTensor", "bool": "BoolTensor"}


def tensor_type_name(d: np.dtype) -> str:
    return "torch." + _TYPE_NAMES[d.name]


def from_type_name(name: str) -> dtype:
    """The dtype of a legacy type name ('torch.FloatTensor')."""
    for numpy_name, type_name in _TYPE_NAMES.items():
        if name in (type_name, "torch." + type_name):
            return to_dtype(numpy_name)
    raise ValueError(f"invalid type: '{name}'")
