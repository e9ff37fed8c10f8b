"""minigrad: a small, readable autograd engine whose API is PyTorch's.

``import minigrad as torch`` runs the autograd code of lecture 07 unchanged.  Read
``tensor.py`` (the Tensor), ``functional.py`` (the torch functions), ``ops/`` (one class per
op) and ``autograd/engine.py`` (what an op is, how it records the graph, and the reverse-mode
walk over it); the README's "Reading minigrad" follows one line through them.
"""

# ruff: noqa: I001  (the order matters: tensor.py first, it breaks the import cycle)
from .tensor import Size, Tensor
from . import ops  # noqa: F401  (every op class, registered in autograd.engine.REGISTRY)
from ._dtype import (bool, double, dtype, float, float16, float32, float64, get_default_dtype,
                     half, int, int8, int16, int32, int64, long, promote_types, set_default_dtype,
                     short, uint8)
from ._grad_mode import enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from .creation import (arange, as_tensor, empty, eye, from_numpy, full, is_tensor, linspace,
                       manual_seed, normal, ones, ones_like, rand, rand_like, randint, randn,
                       randn_like, randperm, tensor, zeros, zeros_like)
from .functional import (abs, add, all, allclose, any, argmax, argmin, cat, clamp, clone, cos,
                         div, dot, eq, equal, exp, expand, flatten, ge, gt, isclose, le, log,
                         log_softmax, logical_and, logical_not, logical_or, lt, matmul, max,
                         maximum, mean, meshgrid, min, minimum, mm, mul, mv, ne, neg, norm,
                         permute, pow, relu, reshape, result_type, sigmoid, sign, sin, softmax,
                         sqrt, squeeze, stack, sub, sum, tanh, transpose, unsqueeze, where)
from . import autograd, cuda, distributions, func, nn, optim, utils
from ._device import device
from .functional import (acos, acosh, arccos, arccosh, arcsin, arcsinh, arctan, arctanh, asin,
                         asinh, atan, atanh, bmm, ceil, cosh, cumsum, floor, floor_divide,
                         logsumexp, remainder, round, sinh, std, tan, trunc, var)
from ._as_torch import as_torch
from .serialization import load, save
from ._refuse import refuse as _refuse
from .compiler import compile  # noqa: A004  (torch's name; shadows the builtin here only)

clip = clamp

__all__ = [
    "Tensor", "Size", "dtype", "autograd", "distributions", "func", "nn", "optim", "utils",
    "as_torch", "compile", "cuda", "device",
    "save", "load",
    "get_default_dtype", "set_default_dtype", "promote_types", "result_type", "is_tensor",
    "normal", "randperm", "meshgrid", "cumsum", "floor", "ceil", "round", "trunc", "remainder",
    "floor_divide", "std", "var", "logsumexp", "bmm", "tan", "asin", "acos", "atan", "sinh", "cosh",
    "asinh", "acosh", "atanh", "arcsin", "arccos", "arctan", "arcsinh", "arccosh", "arctanh",
    "bool", "double", "float", "float16", "float32", "float64", "half", "int", "int8", "int16",
    "int32", "int64", "long", "short", "uint8",
    "no_grad", "enable_grad", "set_grad_enabled", "is_grad_enabled",
    "arange", "as_tensor", "empty", "eye", "from_numpy", "full", "linspace", "manual_seed",
    "ones", "ones_like", "rand", "rand_like", "randint", "randn", "randn_like", "tensor", "zeros",
    "zeros_like",
    "abs", "add", "all", "allclose", "any", "argmax", "argmin", "cat", "clamp", "clip", "clone",
    "cos", "div",
    "dot", "eq", "equal", "exp", "expand", "flatten", "ge", "gt", "isclose", "le", "log",
    "log_softmax", "logical_and", "logical_not", "logical_or", "lt", "matmul", "max", "maximum",
    "mean", "min", "minimum", "mm", "mul", "mv", "ne", "neg", "norm", "permute", "pow", "relu",
    "reshape", "sigmoid", "sign", "sin", "softmax", "sqrt", "squeeze", "stack", "sub", "sum",
    "tanh", "transpose", "unsqueeze", "where",
]


def __getattr__(name: str) -> object:
    """A torch name minigrad does not have: say so, and what to do instead."""
    raise _refuse(f"torch.{name}", f"module 'torch' has no attribute '{name}'",
                  "see minigrad.__all__ for what minigrad provides; compose the rest from "
                  "those operations, or run that part with real torch")
