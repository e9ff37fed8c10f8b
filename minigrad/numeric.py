"""Numerical differentiation: finite differences, and ``gradcheck`` built on them (lesson 02).

A derivative is a limit, ``f'(x) = lim (f(x+h) - f(x)) / h``; numerically we stop at a small
``h`` and pay two errors:

* truncation: the forward difference ``(f(x+h) - f(x)) / h`` is off by about ``h·f''/2``
  (O(h)); the central difference ``(f(x+h) - f(x-h)) / 2h`` by about ``h²·f'''/6`` (O(h²));
* round-off: ``f`` is only known to about ``ε·|f|`` (ε ≈ 1e-16 in float64), and dividing by
  ``h`` magnifies that to ``ε·|f|/h``.

Their sum is smallest near ``h ≈ √ε ≈ 1e-8`` (forward) or ``h ≈ ε^(1/3) ≈ 1e-5`` (central).
One difference costs a call of ``f`` per input entry (two for central): fine to *check* a
gradient, far too slow to *train* with one — which is why autograd exists.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

from ._grad_mode import enable_grad, no_grad
from .autograd import forward_ad
from .autograd.engine import grad as _grad
from .tensor import Tensor

__all__ = ["forward_difference", "central_difference", "numerical_jacobian", "gradcheck",
           "gradgradcheck", "GradcheckError"]


def _float(y: Any) -> np.ndarray:
    """Any array-like result (numpy, minigrad or torch tensor) as a float64 array."""
    if isinstance(y, Tensor):
        return y._data.astype(np.float64)
    if hasattr(y, "detach"):  # a torch tensor
        y = y.detach().cpu().numpy()
    return np.asarray(y, dtype=np.float64)


def forward_difference(f: Callable[[np.ndarray], Any], x: Any, h: float = 1e-6) -> np.ndarray:
    """Gradient of a scalar ``f`` at ``x`` by forward differences: x.size + 1 calls, O(h)."""
    x = np.array(x, dtype=np.float64)
    fx = float(_float(f(x.copy())))
    grad = np.empty_like(x)
    for i in np.ndindex(x.shape):
        step = x.copy()
        step[i] += h
        grad[i] = (float(_float(f(step))) - fx) / h
    return grad


def central_difference(f: Callable[[np.ndarray], Any], x: Any, h: float = 1e-6) -> np.ndarray:
    """Gradient of a scalar ``f`` at ``x`` by central differences: 2·x.size calls, O(h²)."""
    return numerical_jacobian(f, x, h).reshape(np.shape(x))


def numerical_jacobian(f: Callable[[np.ndarray], Any], x: Any, h: float = 1e-6) -> np.ndarray:
    """The Jacobian of ``f`` at ``x`` by central differences, shape ``f(x).shape + x.shape``
    (numerator layout: one row per output entry, one column per input entry)."""
    x = np.array(x, dtype=np.float64)
    columns = []
    for i in np.ndindex(x.shape):
        plus, minus = x.copy(), x.copy()
        plus[i] += h
        minus[i] -= h
        columns.append((_float(f(plus)) - _float(f(minus))) / (2 * h))
    out_shape = columns[0].shape if columns else _float(f(x)).shape
    if not columns:
        return np.zeros(out_shape + x.shape)
    return np.stack(columns, axis=-1).reshape(out_shape + x.shape)


class GradcheckError(RuntimeError):
    """Raised by ``gradcheck`` when the analytical and numerical Jacobians disagree."""


def _outputs(func: Callable[..., Any], inputs: tuple[Any, ...]) -> tuple[Tensor, ...]:
    out = func(*inputs)
    return tuple(out) if isinstance(out, (tuple, list)) else (out,)


def _numerical(func: Callable[..., Any], inputs: tuple[Any, ...], i: int, eps: float,
               sizes: list[int]) -> list[np.ndarray]:
    """For each output k: d out_k / d inputs[i] by central differences, shape (m_k, n_i)."""
    x = inputs[i]
    original = x._data
    x._data = original.copy()  # perturb a private copy, put the original back afterwards
    flat = x._data.reshape(-1)
    columns: list[list[np.ndarray]] = [[] for _ in sizes]
    try:
        with no_grad():
            for j in range(flat.size):
                v = flat[j]
                flat[j] = v + eps
                plus = [_float(o).reshape(-1) for o in _outputs(func, inputs)]
                flat[j] = v - eps
                minus = [_float(o).reshape(-1) for o in _outputs(func, inputs)]
                flat[j] = v
                for k, (p, m) in enumerate(zip(plus, minus, strict=True)):
                    columns[k].append((p - m) / (2 * eps))
    finally:
        x._data = original
    return [np.stack(c, axis=1) if c else np.zeros((m, 0))
            for c, m in zip(columns, sizes, strict=True)]


def _analytical_reverse(outs: tuple[Tensor, ...], xs: list[Tensor]) -> list[list[np.ndarray]]:
    """[k][i]: d out_k / d xs[i] by one VJP per output entry (a row each), shape (m_k, n_i)."""
    blocks = []
    for o in outs:
        rows = []
        for r in range(o.numel()):
            if not o._requires_grad:
                rows.append([np.zeros(x.numel()) for x in xs])
                continue
            e = np.zeros(o._data.size, o._data.dtype)
            e[r] = 1.0
            gs = _grad(o, xs, Tensor._wrap(e.reshape(o._data.shape)), retain_graph=True,
                       allow_unused=True, materialize_grads=True)
            rows.append([_float(g).reshape(-1) for g in gs])
        blocks.append([np.array([row[i] for row in rows]).reshape(o.numel(), x.numel())
                       for i, x in enumerate(xs)])
    return blocks


def _analytical_forward(func: Callable[..., Any], inputs: tuple[Any, ...],
                        diff: list[int]) -> list[list[np.ndarray]]:
    """[k][i]: the same Jacobians by one JVP per input entry (a column each)."""
    cols: list[list[list[np.ndarray]]] = [[] for _ in diff]
    for a, i in enumerate(diff):
        x = inputs[i]
        for j in range(x.numel()):
            e = np.zeros(x._data.size, x._data.dtype)
            e[j] = 1.0
            with forward_ad.dual_level():
                args = list(inputs)
                args[i] = forward_ad.make_dual(Tensor._wrap(x._data), e.reshape(x._data.shape))
                outs = _outputs(func, tuple(args))
                tans = [forward_ad.unpack_dual(o).tangent for o in outs]
            cols[a].append([np.zeros(o.numel()) if t is None else _float(t).reshape(-1)
                            for o, t in zip(outs, tans, strict=True)])
    n_out = len(cols[0][0]) if cols and cols[0] else 0
    return [[np.stack([c[k] for c in cols[a]], axis=1) for a in range(len(diff))]
            for k in range(n_out)]


def _mismatch(k: int, i: int, num: np.ndarray, ana: np.ndarray, atol: float, rtol: float,
              out_shape: tuple[int, ...], in_shape: tuple[int, ...], mode: str) -> str | None:
    bad = np.abs(ana - num) > atol + rtol * np.abs(num)
    if not bad.any():
        return None
    r, c = np.argwhere(bad)[0]
    out_entry = np.unravel_index(r, out_shape) if out_shape else ()
    in_entry = np.unravel_index(c, in_shape) if in_shape else ()
    return (f"Jacobian mismatch for output {k} with respect to input {i},\n"
            f"numerical:{num}\nanalytical:{ana}\n\n"
            f"In minigrad: the first disagreement is d(output {k})[{tuple(map(int, out_entry))}] "
            f"/ d(input {i})[{tuple(map(int, in_entry))}]: central differences give "
            f"{num[r, c]:.10g}, {mode} gives {ana[r, c]:.10g} ({int(bad.sum())} of {bad.size} "
            "entries disagree). Check the derivative rule of the op that produces this output "
            "(lesson 02).")


def gradcheck(func: Callable[..., Any], inputs: Any, *, eps: float = 1e-6, atol: float = 1e-5,
              rtol: float = 1e-3, raise_exception: bool = True, nondet_tol: float = 0.0,
              check_undefined_grad: bool = True, check_grad_dtypes: bool = False,
              check_batched_grad: bool = False, check_batched_forward_grad: bool = False,
              check_forward_ad: bool = False, check_backward_ad: bool = True,
              fast_mode: bool = False, masked: bool | None = None) -> bool:
    """Compare autograd's Jacobians with central differences, as ``torch.autograd.gradcheck``.

    Every input that requires grad is perturbed entry by entry (``eps``); an analytical entry
    ``a`` passes against the numerical ``n`` when ``|a - n| <= atol + rtol·|n|``.  Reverse mode
    is checked (``check_backward_ad``), and forward mode too with ``check_forward_ad=True``.
    Use float64 inputs: in float32 the differences themselves are too inexact.  The
    remaining keyword arguments exist for torch compatibility and change nothing here.
    """
    inputs = tuple(inputs) if isinstance(inputs, (tuple, list)) else (inputs,)
    diff = [i for i, x in enumerate(inputs) if isinstance(x, Tensor) and x._requires_grad]
    if not diff:
        raise ValueError("gradcheck expects at least one input tensor to require gradient, but "
                         "none of the them have requires_grad=True.")
    for i in diff:
        if inputs[i]._data.dtype != np.float64:
            warnings.warn(f"Input #{i} requires gradient and is not a double precision floating "
                          "point or complex. This check will likely fail if all the inputs are "
                          "not of double precision floating point or complex. ", stacklevel=2)
    xs = [inputs[i] for i in diff]
    with no_grad():
        shapes = [tuple(o.shape) for o in _outputs(func, inputs)]
    sizes = [int(np.prod(s, dtype=np.int64)) for s in shapes]
    numerical = [_numerical(func, inputs, i, eps, sizes) for i in diff]  # [input][output]
    checks = []
    if check_backward_ad:
        with enable_grad():
            outs = _outputs(func, inputs)
        checks.append(("backward mode (a VJP per output entry)", _analytical_reverse(outs, xs)))
    if check_forward_ad:
        checks.append(("forward mode (a JVP per input entry)",
                       _analytical_forward(func, inputs, diff)))
    for mode, analytical in checks:
        for k, out_shape in enumerate(shapes):
            for a, i in enumerate(diff):
                msg = _mismatch(k, i, numerical[a][k], analytical[k][a], atol, rtol, out_shape,
                                tuple(inputs[i].shape), mode)
                if msg is not None:
                    if raise_exception:
                        raise GradcheckError(msg)
                    return False
    return True


def gradgradcheck(func: Callable[..., Any], inputs: Any, grad_outputs: Any = None, *,
                  eps: float = 1e-6, atol: float = 1e-5, rtol: float = 1e-3,
                  raise_exception: bool = True, seed: int = 0, **kwargs: Any) -> bool:
    """``gradcheck`` of the gradient itself: checks second derivatives (``create_graph``).

    The gradient ``uᵀJ`` is differentiated with respect to the inputs and to ``u``
    (random if ``grad_outputs`` is not given)."""
    inputs = tuple(inputs) if isinstance(inputs, (tuple, list)) else (inputs,)
    diff = [x for x in inputs if isinstance(x, Tensor) and x._requires_grad]
    with enable_grad():
        outs = _outputs(func, inputs)
    if grad_outputs is None:
        rng = np.random.default_rng(seed)
        grad_outputs = tuple(Tensor._wrap(rng.standard_normal(o.shape), True) for o in outs)
    us = tuple(grad_outputs) if isinstance(grad_outputs, (tuple, list)) else (grad_outputs,)

    def first_derivative(*args: Any) -> tuple[Any, ...]:
        xs, u = args[: len(inputs)], args[len(inputs):]
        targets = [x for x in xs if isinstance(x, Tensor) and x._requires_grad]
        with enable_grad():  # gradcheck evaluates it under no_grad too: the gradient needs a graph
            ys = _outputs(func, xs)
            return _grad(ys, targets, u, create_graph=True, allow_unused=True,
                         materialize_grads=True)

    if not diff:
        raise ValueError("gradgradcheck expects at least one input tensor to require gradient")
    return gradcheck(first_derivative, inputs + us, eps=eps, atol=atol, rtol=rtol,
                     raise_exception=raise_exception)
