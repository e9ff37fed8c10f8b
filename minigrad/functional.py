"""The functions of the torch namespace (``minigrad.exp(x)``, ``minigrad.cat([...])``, ...).

Each turns its arguments into Tensors and applies one op class; Tensor methods are these
same functions (see ``tensor.py``).
"""

from __future__ import annotations

import builtins
import math
from collections import namedtuple
from typing import Any

import numpy as np

from . import _dtype, errors
from .autograd.engine import Function
from .ops import arithmetic as A
from .ops import cumulative as C
from .ops import elementwise as E
from .ops import linalg as L
from .ops import reduce as R
from .ops import shape as S
from .ops import trig as T
from .tensor import Tensor

_wrap = Tensor._wrap
def _return_type(name: str) -> Any:
    """torch.return_types.<name>: (values, indices), a named tuple printed as torch prints it."""
    def __repr__(self: Any) -> str:
        return f"torch.return_types.{name}(\nvalues={self.values!r},\nindices={self.indices!r})"
    return type(name, (namedtuple(name, ["values", "indices"]),),
                {"__slots__": (), "__repr__": __repr__})


RETURN_TYPES = {"MaxBackward0": _return_type("max"), "MinBackward0": _return_type("min")}


def as_tensor(x: Any, like: Tensor | None = None) -> Tensor:
    """``x`` as a Tensor; a Python number takes the dtype torch would give it next to ``like``."""
    if isinstance(x, Tensor):
        return x
    if isinstance(x, np.ndarray):
        return _wrap(x)
    if like is not None and isinstance(x, (int, float, bool, np.number, np.bool_)):
        return _wrap(np.asarray(x, dtype=_dtype.scalar_dtype(x, like._data.dtype)))
    return Tensor(x)


_constants: dict[tuple[float, np.dtype], np.ndarray] = {}


def _constant(x: float, like: Tensor) -> Tensor:
    """A Python float next to a tensor in arithmetic, as a read-only 0-d array that every op
    using the same number shares: a graph that divides by 3.0 at each of its 10 000 steps
    saves one copy of 3.0, not 10 000."""
    dtype = _dtype.scalar_dtype(x, like._data.dtype)
    key = (x, dtype)
    array = _constants.get(key)
    if array is None:
        with np.errstate(over="ignore"):  # 1e40 in float32 is inf, silently, as in torch
            array = np.array(x, dtype)
        if x == 0.0 or x != x:  # 0.0 == -0.0 and nan != nan: neither can be a key
            return _wrap(array)
        array.flags.writeable = False
        if len(_constants) >= 4096:  # a program that uses ever new numbers
            _constants.clear()
        _constants[key] = array
    return _wrap(array)


def _pair(a: Any, b: Any) -> tuple[Tensor, Tensor]:
    """Two operands as Tensors of the dtype torch computes in (see ``_dtype.result_dtype``);
    a Python number takes that dtype too.  Operands of one dtype, the common case, cost one
    comparison."""
    if isinstance(a, Tensor):
        if isinstance(b, Tensor):
            return (a, b) if a._data.dtype is b._data.dtype else _promote(a, b, False, False)
        c = _constant(b, a) if type(b) is float else as_tensor(b, a)
        if a._data.dtype is c._data.dtype:
            return a, c
        return _promote(a, c, False, isinstance(b, _NUMBERS))
    if type(a) is float and isinstance(b, Tensor):
        c = _constant(a, b)
        return (c, b) if c._data.dtype is b._data.dtype else _promote(c, b, True, False)
    b = as_tensor(b)
    c = as_tensor(a, b)
    return (c, b) if c._data.dtype is b._data.dtype else _promote(c, b, isinstance(a, _NUMBERS),
                                                                  False)


_NUMBERS = (int, float, bool, np.number, np.bool_)


def _promote(a: Tensor, b: Tensor, a_number: bool, b_number: bool) -> tuple[Tensor, Tensor]:
    """Cast ``a`` and ``b`` to their result dtype (differentiably: ``ToCopy``)."""
    da, db = a._data.dtype, b._data.dtype
    if da == db:
        return a, b
    target = _dtype.result_dtype([(da, a._data.ndim, a_number), (db, b._data.ndim, b_number)])
    return (a if da == target else _cast(a, target)), (b if db == target else _cast(b, target))


def _cast(x: Tensor, target: np.dtype) -> Tensor:
    # Always an op, even without a gradient: minigrad.compile records ops, and a cast done on
    # the raw array would be frozen into the compiled code as a constant.
    return E.ToCopy.apply(x, dtype=target)


def _to_float(x: Tensor) -> Tensor:
    """``x`` itself if it is floating point, else cast to the default float dtype (what torch
    does before exp, sin, true division ... of integers)."""
    return x if x._data.dtype.kind == "f" else _cast(x, _dtype.DEFAULT_FLOAT)


def _check_broadcast(op: str, a: Tensor, b: Tensor) -> None:
    sa, sb = a._data.shape, b._data.shape
    if sa != sb:
        try:
            np.broadcast_shapes(sa, sb)
        except ValueError:
            raise errors.shape_mismatch(op, sa, sb) from None


def _binary(op: type[Function], name: str) -> Any:
    def f(a: Any, b: Any) -> Tensor:
        a, b = _pair(a, b)
        try:
            return op.apply(a, b)
        except ValueError:  # numpy could not broadcast: say so in torch's words
            _check_broadcast(name, a, b)
            raise

    f.__name__ = name
    f.__doc__ = op.__doc__
    return f


add = _binary(A.Add, "add")
_sub = _binary(A.Sub, "sub")


def sub(a: Any, b: Any) -> Tensor:
    """z = a - b;  dz/da = 1,  dz/db = -1  (torch refuses bools here)"""
    if (a._data.dtype.kind == "b" if isinstance(a, Tensor) else type(a) is bool) or \
            (b._data.dtype.kind == "b" if isinstance(b, Tensor) else type(b) is bool):
        raise _bool_subtraction(a, b)
    return _sub(a, b)


def _bool_subtraction(a: Any, b: Any) -> RuntimeError:
    both = builtins.all(x._data.dtype.kind == "b" if isinstance(x, Tensor)
                        else type(x) is bool for x in (a, b))
    return RuntimeError(
        "Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` or "
        "`logical_xor()` operator instead." if both else
        "Subtraction, the `-` operator, with a bool tensor is not supported. If you are trying "
        "to invert a mask, use the `~` or `logical_not()` operator instead.")


_mul = _binary(A.Mul, "mul")


def mul(a: Any, b: Any) -> Tensor:
    """z = a * b;  dz/da = b,  dz/db = a (a Python number and a float tensor: ``MulNumber``)"""
    if type(b) in (float, int) and isinstance(a, Tensor) and a._data.dtype.kind == "f":
        return A.MulNumber.apply(a, other=b)
    if type(a) in (float, int) and isinstance(b, Tensor) and b._data.dtype.kind == "f":
        return A.MulNumber.apply(b, other=a)
    return _mul(a, b)


def _tensors_only(f: Any) -> Any:
    """torch.maximum/minimum take two tensors (a number is a TypeError there too)."""
    def checked(a: Any, b: Any) -> Tensor:
        for i, (x, arg) in enumerate(((a, "input"), (b, "other"))):
            if not isinstance(x, Tensor):
                raise TypeError(f"{f.__name__}(): argument '{arg}' (position {i + 1}) must be "
                                f"Tensor, not {type(x).__name__}")
        return f(a, b)

    checked.__name__, checked.__doc__ = f.__name__, f.__doc__
    return checked


maximum = _tensors_only(_binary(E.Maximum, "maximum"))
minimum = _tensors_only(_binary(E.Minimum, "minimum"))


def div(a: Any, b: Any) -> Tensor:
    a, b = _pair(a, b)
    if a._data.dtype.kind != "f":  # true division of integers: in the default float dtype
        a, b = _to_float(a), _to_float(b)
    try:
        return A.Div.apply(a, b)
    except ValueError:
        _check_broadcast("div", a, b)
        raise


def pow(a: Any, exponent: Any) -> Tensor:
    if isinstance(a, Tensor) and isinstance(exponent, bool):  # x ** True is x (dtype kept)
        if a._data.dtype.kind == "b":
            return _wrap(np.asarray(a._data ** builtins.int(exponent), dtype=bool))
        exponent = builtins.int(exponent)
    if isinstance(a, Tensor) and isinstance(exponent, (int, float)):
        if a._data.dtype.kind != "f":
            if isinstance(exponent, float):  # an integer tensor to a float power: float
                a = _to_float(a)
            elif exponent < 0:
                raise RuntimeError("Integers to negative integer powers are not allowed.")
            elif a._data.dtype.kind == "b":  # bool ** int is computed in int64
                a = _wrap(a._data.astype(np.int64))
        return A.Pow.apply(a, exponent=exponent)
    constant_base = not isinstance(a, Tensor)
    a, exponent = _pair(a, exponent)
    if a._data.dtype.kind == "b":
        raise NotImplementedError("\"pow\" not implemented for 'Bool'")
    out = A.PowTensor.apply(a, exponent)
    if constant_base and out.grad_fn is not None:
        out.grad_fn.torch_name = "PowBackward2"
    return out


def _unary(op: type[Function], name: str, floating: bool = False) -> Any:
    """``name(x)`` applying ``op``; a ``floating`` function (exp, sin ...) first turns integer
    and bool tensors into the default float dtype, as torch does."""
    if floating:
        def f(x: Tensor) -> Tensor:
            return op.apply(_to_float(as_tensor(x)))
    else:
        def f(x: Tensor) -> Tensor:
            return op.apply(as_tensor(x))

    f.__name__ = name
    f.__doc__ = op.__doc__
    return f


def neg(x: Tensor) -> Tensor:
    """z = -x;  dz/dx = -1"""
    x = as_tensor(x)
    if x._data.dtype.kind == "b":
        raise RuntimeError("Negation, the `-` operator, on a bool tensor is not supported. If you "
                           "are trying to invert a mask, use the `~` or `logical_not()` operator "
                           "instead.")
    return A.Neg.apply(x)


exp = _unary(E.Exp, "exp", True)
log = _unary(E.Log, "log", True)
sqrt = _unary(E.Sqrt, "sqrt", True)
sin = _unary(E.Sin, "sin", True)
cos = _unary(E.Cos, "cos", True)
tanh = _unary(E.Tanh, "tanh", True)
sigmoid = _unary(E.Sigmoid, "sigmoid", True)
tan = _unary(T.Tan, "tan", True)
asin = arcsin = _unary(T.Asin, "asin", True)
acos = arccos = _unary(T.Acos, "acos", True)
atan = arctan = _unary(T.Atan, "atan", True)
sinh = _unary(T.Sinh, "sinh", True)
cosh = _unary(T.Cosh, "cosh", True)
asinh = arcsinh = _unary(T.Asinh, "asinh", True)
acosh = arccosh = _unary(T.Acosh, "acosh", True)
atanh = arctanh = _unary(T.Atanh, "atanh", True)
_relu = _unary(E.Relu, "relu")
_abs = _unary(E.Abs, "abs")


def relu(x: Tensor) -> Tensor:
    """z = max(x, 0);  dz/dx = 1 where x > 0, else 0"""
    if as_tensor(x)._data.dtype.kind == "b":
        raise RuntimeError("Boolean inputs not supported for relu")
    return _relu(x)


def abs(x: Tensor) -> Tensor:
    """z = |x|;  dz/dx = sign(x) (0 at 0)"""
    if as_tensor(x)._data.dtype.kind == "b":
        raise NotImplementedError("\"abs_cpu\" not implemented for 'Bool'")
    return _abs(x)
clone = _unary(E.Clone, "clone")


def clamp(x: Tensor, min: Any = None, max: Any = None) -> Tensor:
    if min is None and max is None:
        raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
    return E.Clamp.apply(x, min=min, max=max)


def where(condition: Any, x: Any, y: Any) -> Tensor:
    x, y = _pair(x, y)
    condition = as_tensor(condition)
    _check_broadcast("where", x, y)
    _check_broadcast("where", condition, x)
    _check_broadcast("where", condition, y)
    return E.Where.apply(condition, x, y)


# -- comparisons and logic: no gradient, usable in `if` and `while` -----------------------
def _compare(ufunc: Any, name: str) -> Any:
    def f(a: Any, b: Any) -> Tensor:
        a, b = _pair(a, b)
        try:
            return _wrap(np.asarray(ufunc(a._data, b._data)))
        except ValueError:
            _check_broadcast(name, a, b)
            raise

    f.__name__ = name
    return f


eq, ne = _compare(np.equal, "eq"), _compare(np.not_equal, "ne")
gt, ge = _compare(np.greater, "gt"), _compare(np.greater_equal, "ge")
lt, le = _compare(np.less, "lt"), _compare(np.less_equal, "le")
logical_and = _compare(np.logical_and, "logical_and")
logical_or = _compare(np.logical_or, "logical_or")


def logical_not(x: Tensor) -> Tensor:
    return _wrap(np.logical_not(as_tensor(x)._data))


def any(x: Tensor, dim: int | None = None, keepdim: bool = False) -> Tensor:
    d = as_tensor(x)._data
    return _wrap(np.asarray(np.any(d) if dim is None else np.any(d, axis=dim, keepdims=keepdim)))


def all(x: Tensor, dim: int | None = None, keepdim: bool = False) -> Tensor:
    d = as_tensor(x)._data
    return _wrap(np.asarray(np.all(d) if dim is None else np.all(d, axis=dim, keepdims=keepdim)))


floor = _unary(E.Floor, "floor")
ceil = _unary(E.Ceil, "ceil")
trunc = _unary(E.Trunc, "trunc")
_round = _unary(E.Round, "round")


def round(x: Tensor, *, decimals: int = 0) -> Tensor:  # noqa: A001 - torch's name
    """z = x rounded to the nearest integer, halves to even, as torch;  dz/dx = 0"""
    if decimals:
        raise NotImplementedError("minigrad's round() takes no decimals: write "
                                  "round(x * 10**d) / 10**d")
    return _round(x)


remainder = _binary(A.Remainder, "remainder")


def floor_divide(a: Any, b: Any) -> Tensor:
    """a // b, rounded down (as Python's //); as in torch, it has no derivative."""
    a, b = _pair(a, b)
    with np.errstate(divide="ignore", invalid="ignore"):  # x // 0: inf or nan, as in torch
        return _wrap(np.floor_divide(a._data, b._data))


def sign(x: Tensor) -> Tensor:
    return _wrap(np.sign(as_tensor(x)._data))


def isclose(a: Any, b: Any, rtol: float = 1e-05, atol: float = 1e-08) -> Tensor:
    a, b = _pair(a, b)
    return _wrap(np.isclose(a._data, b._data, rtol=rtol, atol=atol))


def allclose(a: Any, b: Any, rtol: float = 1e-05, atol: float = 1e-08) -> bool:
    a, b = _pair(a, b)
    return builtins.bool(np.allclose(a._data, b._data, rtol=rtol, atol=atol))


def equal(a: Tensor, b: Tensor) -> bool:
    return a.shape == b.shape and builtins.bool(np.array_equal(a._data, b._data))


# -- reductions --------------------------------------------------------------------------
def _dims(dim: Any, axis: Any) -> Any:
    """torch accepts numpy's spelling ``axis=`` for ``dim=``, and a list of dims."""
    if axis is not None:
        if dim is not None:
            raise TypeError("got both dim= and its alias axis=; give one")
        dim = axis
    return tuple(dim) if isinstance(dim, list) else dim


def sum(x: Tensor, dim: Any = None, keepdim: bool = False, *, axis: Any = None,
        keepdims: bool | None = None, dtype: Any = None) -> Tensor:
    x = as_tensor(x)
    if dtype is not None:
        x = x.to(dtype)
    elif x._data.dtype.kind in "biu":
        x = x.to(_dtype.int64)
    return R.Sum.apply(x, dim=_dims(dim, axis), keepdim=keepdim if keepdims is None else keepdims)


def mean(x: Tensor, dim: Any = None, keepdim: bool = False, *, axis: Any = None,
         keepdims: bool | None = None, dtype: Any = None) -> Tensor:
    x = as_tensor(x)
    if dtype is not None:
        x = x.to(dtype)
    if x._data.dtype.kind != "f":
        raise RuntimeError(
            "mean(): could not infer output dtype. Input dtype must be either a floating point "
            f"or complex dtype. Got: {_dtype.torch_name(x._data.dtype)}")
    return R.Mean.apply(x, dim=_dims(dim, axis),
                        keepdim=keepdim if keepdims is None else keepdims)


def var(x: Tensor, dim: Any = None, unbiased: bool | None = None, keepdim: bool = False, *,
        correction: Any = None, axis: Any = None) -> Tensor:
    """The spread around the mean: sum((x - mean)^2) / (N - correction), N the number of
    values reduced; ``correction=1`` (Bessel's, the default; ``unbiased=False`` is 0)."""
    x = as_tensor(x)
    if x._data.dtype.kind != "f":
        raise RuntimeError("std and var only support floating point and complex dtypes")
    if correction is None:
        correction = 0 if unbiased is False else 1
    dim = _dims(dim, axis)
    deviation = x - mean(x, dim, keepdim=True)
    n = x._data.size if dim is None else math.prod(
        x.shape[d] for d in (dim if isinstance(dim, tuple) else (dim,)))
    return sum(deviation * deviation, dim, keepdim=keepdim) / builtins.max(n - correction, 0)


def std(x: Tensor, dim: Any = None, unbiased: bool | None = None, keepdim: bool = False, *,
        correction: Any = None, axis: Any = None) -> Tensor:
    """The square root of ``var``, with the same arguments."""
    return sqrt(var(x, dim, unbiased, keepdim, correction=correction, axis=axis))


def logsumexp(x: Tensor, dim: Any, keepdim: bool = False) -> Tensor:
    """log sum exp(x) along ``dim``, computed as m + log sum exp(x - m) with m the (detached)
    largest value, so that nothing overflows; its gradient is softmax(x)."""
    x = _to_float(as_tensor(x))
    m = np.max(x._data, axis=dim, keepdims=True)
    m = np.where(np.isinf(m), 0, m)  # all -inf (or an inf): no shift
    shift = _wrap(m if keepdim else np.squeeze(m, axis=dim))
    return log(sum(exp(x - _wrap(m)), dim, keepdim=keepdim)) + shift


def cumsum(x: Tensor, dim: Any = None, *, axis: Any = None, dtype: Any = None) -> Tensor:
    """Running sums along ``dim`` (integers and bools add up in int64, as in torch)."""
    x = as_tensor(x)
    dim = _dims(dim, axis)
    if dim is None:
        raise TypeError("cumsum() missing required argument 'dim'")
    if dtype is not None:
        x = x.to(dtype)
    elif x._data.dtype.kind in "biu":
        x = x.to(_dtype.int64)
    if x.ndim == 0:
        return C.Cumsum.apply(reshape(x, 1), dim=0).reshape(())
    return C.Cumsum.apply(x, dim=dim)


def _extreme(x: Tensor, dim: Any, keepdim: bool, whole: type[Function], arg: Any,
             name: str) -> Any:
    x = as_tensor(x)
    if isinstance(dim, Tensor):  # torch.max(a, b) is the elementwise maximum
        return (maximum if name == "MaxBackward0" else minimum)(x, dim)
    if dim is None:
        if x._data.size == 0:
            raise RuntimeError("max(): Expected reduction dim to be specified for input.numel() "
                               "== 0. Specify the reduction dim with the 'dim' argument.")
        return whole.apply(x)
    index = arg(x._data, axis=dim) if x.ndim else np.zeros((), dtype=np.int64)
    values = R.TakeAlongDim.apply(x, _wrap(np.asarray(index)), dim=dim, keepdim=keepdim)
    if values.grad_fn is not None:
        values.grad_fn.torch_name = name
    indices = np.expand_dims(index, dim) if keepdim and x.ndim else index
    return RETURN_TYPES[name](values, _wrap(np.asarray(indices, dtype=np.int64)))


def max(x: Tensor, dim: Any = None, keepdim: bool = False, *, axis: Any = None) -> Any:
    return _extreme(x, _dims(dim, axis), keepdim, R.Amax, np.argmax, "MaxBackward0")


def min(x: Tensor, dim: Any = None, keepdim: bool = False, *, axis: Any = None) -> Any:
    return _extreme(x, _dims(dim, axis), keepdim, R.Amin, np.argmin, "MinBackward0")


def argmax(x: Tensor, dim: int | None = None, keepdim: bool = False, *,
           axis: int | None = None) -> Tensor:
    dim = _dims(dim, axis)
    d = as_tensor(x)._data
    out = np.argmax(d) if dim is None else np.argmax(d, axis=dim, keepdims=keepdim)
    return _wrap(np.asarray(out, dtype=np.int64))


def argmin(x: Tensor, dim: int | None = None, keepdim: bool = False, *,
           axis: int | None = None) -> Tensor:
    dim = _dims(dim, axis)
    d = as_tensor(x)._data
    out = np.argmin(d) if dim is None else np.argmin(d, axis=dim, keepdims=keepdim)
    return _wrap(np.asarray(out, dtype=np.int64))


def norm(x: Tensor, p: Any = "fro", dim: Any = None, keepdim: bool = False) -> Tensor:
    if p not in ("fro", 2, 2.0):
        raise NotImplementedError("minigrad's norm computes the 2-norm only (p=2)")
    return R.Norm.apply(as_tensor(x), dim=dim, keepdim=keepdim)


def softmax(x: Tensor, dim: int) -> Tensor:
    return R.Softmax.apply(as_tensor(x), dim=dim)


def log_softmax(x: Tensor, dim: int) -> Tensor:
    return R.LogSoftmax.apply(as_tensor(x), dim=dim)


# -- shapes --------------------------------------------------------------------------------
def _shape_arg(shape: tuple[Any, ...]) -> tuple[int, ...]:
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        shape = tuple(shape[0])
    return tuple(int(s) for s in shape)


def _resolve(shape: tuple[int, ...], size: int) -> tuple[int, ...]:
    """``shape`` with its -1 (at most one) worked out; torch's error if it cannot hold ``size``."""
    known = int(np.prod([s for s in shape if s != -1]))
    free = shape.count(-1)
    if free > 1 or (free and (known == 0 or size % known)) or (not free and known != size):
        raise RuntimeError(f"shape '[{', '.join(map(str, shape))}]' is invalid for input of "
                           f"size {size}")
    return tuple(size // known if s == -1 else s for s in shape)


def reshape(x: Tensor, *shape: Any) -> Tensor:
    x = as_tensor(x)
    return S.View.apply(x, shape=_resolve(_shape_arg(shape), x._data.size))


def transpose(x: Tensor, dim0: int, dim1: int) -> Tensor:
    return S.Transpose.apply(as_tensor(x), dim0=dim0, dim1=dim1)


def permute(x: Tensor, *dims: Any) -> Tensor:
    return S.Permute.apply(as_tensor(x), dims=_shape_arg(dims))


def squeeze(x: Tensor, dim: int | None = None) -> Tensor:
    x = as_tensor(x)
    shape = x._data.shape
    if dim is None:
        new = tuple(n for n in shape if n != 1)
    else:
        d = dim % builtins.max(len(shape), 1)
        new = shape[:d] + shape[d + 1 :] if shape and shape[d] == 1 else shape
    out = S.View.apply(x, shape=new)
    if out.grad_fn is not None:
        out.grad_fn.torch_name = "SqueezeBackward0" if dim is None else "SqueezeBackward1"
    return out


def unsqueeze(x: Tensor, dim: int) -> Tensor:
    x = as_tensor(x)
    shape = x._data.shape
    d = dim % (len(shape) + 1)
    out = S.View.apply(x, shape=shape[:d] + (1,) + shape[d:])
    if out.grad_fn is not None:
        out.grad_fn.torch_name = "UnsqueezeBackward0"
    return out


def expand(x: Tensor, *shape: Any) -> Tensor:
    x = as_tensor(x)
    shape = _shape_arg(shape)
    old = (1,) * (len(shape) - x.ndim) + x._data.shape
    shape = tuple(o if s == -1 else s for s, o in zip(shape, old))
    if builtins.any(o != 1 and o != s for s, o in zip(shape, old)) or len(shape) < x.ndim:
        raise RuntimeError(f"The expanded size of the tensor must match the existing size at "
                           f"non-singleton dimensions: cannot expand {tuple(x.shape)} to {shape}")
    return S.Expand.apply(x, shape=shape)


def cat(tensors: Any, dim: int = 0) -> Tensor:
    return S.Cat.apply(*[as_tensor(t) for t in tensors], dim=dim)


def stack(tensors: Any, dim: int = 0) -> Tensor:
    return S.Stack.apply(*[as_tensor(t) for t in tensors], dim=dim)


def flatten(x: Tensor, start_dim: int = 0, end_dim: int = -1) -> Tensor:
    shape = as_tensor(x)._data.shape
    if not shape:
        return reshape(x, 1)
    s, e = start_dim % len(shape), end_dim % len(shape)
    return reshape(x, shape[:s] + (int(np.prod(shape[s : e + 1])),) + shape[e + 1 :])


def index_key(idx: Any) -> tuple[Any, bool]:
    """A numpy index for ``x[idx]`` (index tensors become arrays), and whether it is advanced
    (picks entries by arrays of positions) rather than basic (ints and slices)."""
    key = idx if isinstance(idx, tuple) else (idx,)
    key = tuple(k._data if isinstance(k, Tensor) else k for k in key)
    advanced = builtins.any(isinstance(k, (np.ndarray, list)) for k in key)
    return (key if len(key) > 1 else key[0]), advanced


def index(x: Tensor, idx: Any) -> Tensor:
    key, advanced = index_key(idx)
    return S.Index.apply(x, index=key, advanced=advanced)


# -- products ------------------------------------------------------------------------------
def _same_dtype(a: Any, b: Any, what: str) -> tuple[Tensor, Tensor]:
    """Both operands as Tensors of one dtype: products do not promote, torch refuses."""
    a, b = as_tensor(a), as_tensor(b)
    if a._data.dtype != b._data.dtype:
        da, db = _dtype.torch_name(a._data.dtype), _dtype.torch_name(b._data.dtype)
        raise RuntimeError(
            f"{what}: expected both operands to have the same dtype, but got {da} and {db}\n"
            "In minigrad, as in torch, matrix products do not promote dtypes: convert one "
            "operand first (.float(), .double()).")
    return a, b


def dot(x: Tensor, y: Tensor) -> Tensor:
    x, y = _same_dtype(x, y, "dot")
    if x.ndim != 1 or y.ndim != 1:
        raise RuntimeError(f"1D tensors expected, but got {x.ndim}D and {y.ndim}D tensors")
    if x._data.shape != y._data.shape:
        n, m = x.numel(), y.numel()
        raise RuntimeError(f"inconsistent tensor size, expected tensor [{n}] and src [{m}] to have "
                           f"the same number of elements, but got {n} and {m} elements "
                           "respectively")
    return L.Dot.apply(x, y)


def mv(a: Tensor, x: Tensor) -> Tensor:
    a, x = _same_dtype(a, x, "mv")
    if a.ndim != 2 or x.ndim != 1:
        raise RuntimeError(f"vector + matrix @ vector expected, got {a.ndim}, {x.ndim}")
    if a._data.shape[1] != x._data.shape[0]:
        raise RuntimeError(f"size mismatch, got input ({a._data.shape[0]}x{a._data.shape[1]}), "
                           f"vec ({x._data.shape[0]})")
    return L.Mv.apply(a, x)


def mm(a: Tensor, b: Tensor) -> Tensor:
    a, b = _same_dtype(a, b, "mm")
    if a.ndim != 2 or b.ndim != 2:
        raise RuntimeError("self must be a matrix")
    if a._data.shape[1] != b._data.shape[0]:
        raise errors.matmul_mismatch(a._data.shape, b._data.shape)
    return L.Mm.apply(a, b)


def bmm(a: Tensor, b: Tensor) -> Tensor:
    """A batch of matrix products: (n, p, q) @ (n, q, r) -> (n, p, r) (d2l's attention)."""
    a, b = as_tensor(a), as_tensor(b)
    for name, t in (("batch1", a), ("batch2", b)):
        if t.ndim != 3:
            raise RuntimeError(f"{name} must be a 3D tensor")
    if b.shape[:2] != (a.shape[0], a.shape[2]):
        raise RuntimeError(f"Expected size for first two dimensions of batch2 tensor to be: "
                           f"[{a.shape[0]}, {a.shape[2]}] but got: [{b.shape[0]}, {b.shape[1]}].")
    return matmul(a, b)


def repeat(x: Tensor, *repeats: Any) -> Tensor:
    """x tiled ``repeats`` times along each dimension (torch's ``repeat``, numpy's ``tile``):
    a view that broadcasts each dimension r times, then flattened; its gradient sums the
    copies."""
    x = as_tensor(x)
    reps = _shape_arg(repeats)
    if len(reps) < x.ndim:
        raise RuntimeError("Number of dimensions of repeat dims can not be smaller than number "
                           "of dimensions of tensor")
    shape = (1,) * (len(reps) - x.ndim) + x._data.shape
    spread = reshape(x, [d for n in shape for d in (1, n)])
    tiled = expand(spread, [d for r, n in zip(reps, shape) for d in (r, n)])
    return reshape(tiled, [r * n for r, n in zip(reps, shape)])


def matmul(a: Tensor, b: Tensor) -> Tensor:
    """``a @ b`` with torch's rules for 1-D operands (a vector is a row or a column)."""
    a, b = as_tensor(a), as_tensor(b)
    if a.ndim == 0 or b.ndim == 0:
        raise RuntimeError("both arguments to matmul need to be at least 1D")
    if a.ndim == 1 and b.ndim == 1:
        return dot(a, b)
    if a.ndim == 2 and b.ndim == 1:
        return mv(a, b)
    if a.ndim == 1 or b.ndim == 1:  # a vector is a row on the left, a column on the right
        dim = -2 if a.ndim == 1 else -1
        out = squeeze(matmul(unsqueeze(a, 0) if a.ndim == 1 else a,
                             unsqueeze(b, -1) if b.ndim == 1 else b), dim)
        if out.grad_fn is not None:
            out.grad_fn.torch_name = "SqueezeBackward4"
        return out
    if a._data.shape[-1] != b._data.shape[-2]:
        raise errors.matmul_mismatch(a._data.shape[-2:], b._data.shape[-2:])
    a, b = _same_dtype(a, b, "matmul")
    return L.Mm.apply(a, b)


# -- dtypes and grids ----------------------------------------------------------------------
def result_type(tensor1: Any, tensor2: Any) -> _dtype.dtype:
    """``torch.result_type``: the dtype an arithmetic op on these two operands gives."""
    ops = [(x._data.dtype, x._data.ndim, False) if isinstance(x, Tensor)
           else (_dtype.number_dtype(x), 0, True) for x in (tensor1, tensor2)]
    return _dtype.to_dtype(_dtype.result_dtype(ops))


def meshgrid(*tensors: Any, indexing: str = "ij") -> tuple[Tensor, ...]:
    """Grids from 1-D tensors: with ``indexing="ij"`` output i varies along dimension i
    ("xy" swaps the first two).  Each is a view of its input, expanded (gradients flow)."""
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        tensors = tuple(tensors[0])
    if indexing not in ("ij", "xy"):
        raise RuntimeError(f"torch.meshgrid: indexing must be one of \"xy\" or \"ij\", but "
                           f"received: {indexing}")
    ts = [as_tensor(t) for t in tensors]
    if builtins.any(t.ndim > 1 for t in ts):
        raise RuntimeError("torch.meshgrid: Expected 0D or 1D tensor in the tensor list")
    ts = [reshape(t, -1) for t in ts]
    swap = indexing == "xy" and len(ts) >= 2
    if swap:
        ts[0], ts[1] = ts[1], ts[0]
    shape = tuple(t._data.shape[0] for t in ts)
    grids = []
    for i, t in enumerate(ts):
        view = [1] * len(ts)
        view[i] = shape[i]
        grids.append(expand(reshape(t, *view), *shape))
    if swap:
        grids[0], grids[1] = grids[1], grids[0]
    return tuple(grids)
