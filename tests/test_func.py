"""Function transforms and ``autograd.functional`` against torch, on non-square Jacobians.

Every function is written once against the shared API (``lib`` is minigrad or torch).
Forward-over-reverse (``jacfwd(jacrev(f))``, ``jvp(grad(f))``) and reverse-over-reverse
(``jacrev(jacrev(f))``, ``autograd.functional.hvp``) must agree with each other and torch.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch_check import assert_close

import minigrad

rng = np.random.default_rng(3)
A = rng.standard_normal((5, 3))
B = rng.standard_normal((4, 6))


def lib_of(x):
    return minigrad if isinstance(x, minigrad.Tensor) else torch


def t(lib, a):
    return lib.tensor(a, dtype=lib.float64)


def tall(x):
    """R^3 -> R^5: more outputs than inputs."""
    lib = lib_of(x)
    return lib.tanh(t(lib, A) @ x) * x.sum().sin()


def wide(x):
    """R^(2,3) -> R^4 (a matrix input): fewer outputs than inputs."""
    lib = lib_of(x)
    return (t(lib, B) @ x.reshape(6).exp()) / (1 + (x * x).sum())


def two_args(x, w):
    """Two inputs of different shapes, R^3 x R^(3,2) -> R^2."""
    return (x.sin() @ w).tanh() + w.sum(0) * x.sum()


def scalar_fn(x):
    """A scalar of a vector, with a non-diagonal Hessian."""
    lib = lib_of(x)
    return (lib.tanh(t(lib, A) @ x) ** 2).sum() + (x[:1] * x[1:2] * x[2:]).exp().sum()


def scalar_matrix(x):
    return (x.sin() * x.T.sum(1)).sum() * x.norm()


X3 = rng.standard_normal(3)
X23 = rng.standard_normal((2, 3))
W32 = rng.standard_normal((3, 2))


def both(*arrays):
    return ([minigrad.tensor(a, dtype=minigrad.float64) for a in arrays],
            [torch.tensor(a, dtype=torch.float64) for a in arrays])


@pytest.mark.parametrize("transform", ["jacrev", "jacfwd"])
@pytest.mark.parametrize("f, xs", [(tall, [X3]), (wide, [X23])], ids=["tall", "wide"])
def test_jacobian_transforms_match_torch(transform, f, xs):
    m, tt = both(*xs)
    got = getattr(minigrad.func, transform)(f)(*m)
    want = getattr(torch.func, transform)(f)(*tt)
    assert tuple(got.shape) == tuple(want.shape)
    assert_close(got, want, transform)


@pytest.mark.parametrize("transform", ["jacrev", "jacfwd"])
def test_jacobians_with_argnums_match_torch(transform):
    m, tt = both(X3, W32)
    got = getattr(minigrad.func, transform)(two_args, argnums=(0, 1))(*m)
    want = getattr(torch.func, transform)(two_args, argnums=(0, 1))(*tt)
    for g, w in zip(got, want, strict=True):
        assert_close(g, w, f"{transform} argnums=(0, 1)")
    got1 = getattr(minigrad.func, transform)(two_args, argnums=1)(*m)
    assert_close(got1, getattr(torch.func, transform)(two_args, argnums=1)(*tt), "argnums=1")


@pytest.mark.parametrize("f, x", [(scalar_fn, X3), (scalar_matrix, X23)], ids=["vec", "mat"])
def test_hessian_forward_over_reverse_and_reverse_over_reverse_agree_with_torch(f, x):
    (m,), (tt,) = both(x)
    want = torch.func.hessian(f)(tt)
    fwd_rev = minigrad.func.hessian(f)(m)  # jacfwd(jacrev(f)), as torch.func
    rev_rev = minigrad.func.jacrev(minigrad.func.jacrev(f))(m)
    functional = minigrad.autograd.functional.hessian(f, m)
    functional_fwd = minigrad.autograd.functional.hessian(
        f, m, outer_jacobian_strategy="forward-mode")
    for name, got in [("jacfwd(jacrev)", fwd_rev), ("jacrev(jacrev)", rev_rev),
                      ("functional", functional), ("functional fwd", functional_fwd)]:
        assert_close(got, want, name)
    assert_close(functional, torch.autograd.functional.hessian(f, tt), "autograd.functional")


def test_hvp_all_routes_agree_with_torch():
    (m, mv), (tt, tv) = both(X3, rng.standard_normal(3))
    _, want = torch.autograd.functional.hvp(scalar_fn, tt, tv)
    _, rev_rev = minigrad.autograd.functional.hvp(scalar_fn, m, mv)
    _, fwd_rev = minigrad.func.jvp(minigrad.func.grad(scalar_fn), (m,), (mv,))
    _, vhp = minigrad.autograd.functional.vhp(scalar_fn, m, mv)
    for name, got in [("reverse-over-reverse", rev_rev), ("forward-over-reverse", fwd_rev),
                      ("vhp", vhp)]:
        assert_close(got, want, name)
    assert_close(fwd_rev, torch.func.jvp(torch.func.grad(scalar_fn), (tt,), (tv,))[1], "func")


@pytest.mark.parametrize("strategy", ["reverse-mode", "forward-mode"])
@pytest.mark.parametrize("f, xs", [(tall, [X3]), (wide, [X23]), (two_args, [X3, W32])],
                         ids=["tall", "wide", "two-args"])
def test_functional_jacobian_matches_torch(f, xs, strategy):
    m, tt = both(*xs)
    args_m, args_t = (m[0], tt[0]) if len(xs) == 1 else (tuple(m), tuple(tt))
    got = minigrad.autograd.functional.jacobian(f, args_m, strategy=strategy)
    want = torch.autograd.functional.jacobian(f, args_t)
    for g, w in zip(got if len(xs) > 1 else [got], want if len(xs) > 1 else [want], strict=True):
        assert_close(g, w, strategy)
        assert not g.requires_grad


@pytest.mark.parametrize("create_graph", [False, True])
def test_functional_vjp_and_jvp_match_torch(create_graph):
    (mx, mw, mu, mv, mv2), (tx, tw, tu, tv, tv2) = both(
        X3, W32, rng.standard_normal(2), rng.standard_normal(3), rng.standard_normal((3, 2)))
    out_m, vjp_m = minigrad.autograd.functional.vjp(two_args, (mx, mw), mu,
                                                    create_graph=create_graph)
    out_t, vjp_t = torch.autograd.functional.vjp(two_args, (tx, tw), tu)
    assert_close(out_m, out_t, "vjp output")
    for g, w in zip(vjp_m, vjp_t, strict=True):
        assert_close(g, w, "vjp")
    out_m, jvp_m = minigrad.autograd.functional.jvp(two_args, (mx, mw), (mv, mv2),
                                                    create_graph=create_graph)
    _, jvp_t = torch.autograd.functional.jvp(two_args, (tx, tw), (tv, tv2))
    assert_close(jvp_m, jvp_t, "jvp")


def test_func_vjp_jvp_grad_match_torch():
    (mx, mw), (tx, tw) = both(X3, W32)
    u = rng.standard_normal(2)
    out_m, fn_m = minigrad.func.vjp(two_args, mx, mw)
    out_t, fn_t = torch.func.vjp(two_args, tx, tw)
    assert_close(out_m, out_t, "vjp value")
    for g, w in zip(fn_m(minigrad.tensor(u)), fn_t(torch.tensor(u)), strict=True):
        assert_close(g, w, "vjp_fn")
    v = (rng.standard_normal(3), rng.standard_normal((3, 2)))
    got = minigrad.func.jvp(two_args, (mx, mw), tuple(minigrad.tensor(a) for a in v))
    want = torch.func.jvp(two_args, (tx, tw), tuple(torch.tensor(a) for a in v))
    assert_close(got[0], want[0], "jvp value")
    assert_close(got[1], want[1], "jvp")
    g_m, aux_m = minigrad.func.grad(lambda x: (scalar_fn(x), x * 2), has_aux=True)(mx)
    g_t, aux_t = torch.func.grad(lambda x: (scalar_fn(x), x * 2), has_aux=True)(tx)
    assert_close(g_m, g_t, "grad")
    assert_close(aux_m, aux_t, "aux")
    gs = minigrad.func.grad(lambda x, w: two_args(x, w).sum(), argnums=(0, 1))(mx, mw)
    ws = torch.func.grad(lambda x, w: two_args(x, w).sum(), argnums=(0, 1))(tx, tw)
    for g, w in zip(gs, ws, strict=True):
        assert_close(g, w, "grad argnums")


def test_grad_of_a_closure_over_an_outer_variable():
    """Reverse-over-reverse through a closure: d/dy [d/dx (x*y)^2 at x0] = 4*x0*y."""
    (mx, my), (tx, ty) = both(np.array(1.5), np.array(-0.7))

    def outer(lib_grad, x0):
        return lambda y: lib_grad(lambda x: (x * y) ** 2)(x0)

    got = minigrad.func.grad(outer(minigrad.func.grad, mx))(my)
    want = torch.func.grad(outer(torch.func.grad, tx))(ty)
    assert_close(got, want, "nested grad")
    assert abs(got.item() - 4 * 1.5 * -0.7) < 1e-12


def test_misuse_raises():
    (m,), _ = both(X3)
    with pytest.raises(RuntimeError, match="scalar"):
        minigrad.func.grad(tall)(m)
    with pytest.raises(NotImplementedError, match="jacfwd\\(jacrev"):
        minigrad.func.jacfwd(minigrad.func.jacfwd(scalar_fn))(m)
    with pytest.raises(RuntimeError, match="single element"):
        minigrad.autograd.functional.vjp(tall, m)
