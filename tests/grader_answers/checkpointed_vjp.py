# ruff: noqa
# == right: checkpoints under no_grad, then backward segment by segment with a gradient
import minigrad

def checkpointed_vjp(step, x, v, n, every):
    s = minigrad.tensor(x, dtype=minigrad.float64)
    checkpoints = []
    with minigrad.no_grad():
        for i in range(n):
            if i % every == 0:
                checkpoints.append(s)
            s = step(s)
    g = minigrad.tensor(v, dtype=minigrad.float64)
    for k in reversed(range(len(checkpoints))):
        start = checkpoints[k].detach().requires_grad_(True)
        out = start
        for _ in range(min(every, n - k * every)):
            out = step(out)
        out.backward(g)
        g = start.grad
    return g.numpy()

# == right: detach after every step while storing numpy checkpoints; autograd.grad per segment
import numpy as np
import minigrad

def checkpointed_vjp(step, x, v, n, every):
    starts = list(range(0, n, every))
    saved, s = {}, minigrad.tensor(x, dtype=minigrad.float64)
    for i in range(n):
        if i in starts:
            saved[i] = s.numpy().copy()
        s = step(s).detach()
    g = minigrad.tensor(v, dtype=minigrad.float64)
    for first in reversed(starts):
        leaf = minigrad.tensor(saved[first], dtype=minigrad.float64, requires_grad=True)
        out = leaf
        for _ in range(min(first + every, n) - first):
            out = step(out)
        (g,) = minigrad.autograd.grad(out, [leaf], grad_outputs=[g])
    return list(g.numpy())

# == right: minigrad.func.vjp over each segment, the pullback dropped before the next one
import minigrad
import minigrad.func

def checkpointed_vjp(step, x, v, n, every):
    bounds = [(a, min(a + every, n)) for a in range(0, n, every)]
    with minigrad.no_grad():
        state, points = minigrad.tensor(x, dtype=minigrad.float64), []
        for a, b in bounds:
            points.append(state)
            for _ in range(b - a):
                state = step(state)

    def run(s, k):
        for _ in range(k):
            s = step(s)
        return s

    cotangent = minigrad.tensor(v, dtype=minigrad.float64)
    while bounds:
        (a, b), start = bounds.pop(), points.pop()
        _, pullback = minigrad.func.vjp(lambda s: run(s, b - a), start)
        (cotangent,) = pullback(cotangent)
        del pullback
    return cotangent

# == shared: the building blocks of the wrong answers below
import minigrad

def _ck_run(step, s, k):
    for _ in range(k):
        s = step(s)
    return s

def _ck_segment_vjp(step, start, k, g):
    leaf = minigrad.tensor(start, dtype=minigrad.float64, requires_grad=True)
    out = _ck_run(step, leaf, k)
    out.backward(minigrad.tensor(g, dtype=minigrad.float64))
    return leaf.grad.numpy()

def _ck_checkpoints(step, x, n, every):
    found, s = [], minigrad.tensor(x, dtype=minigrad.float64)
    with minigrad.no_grad():
        for i in range(n):
            if i % every == 0:
                found.append((i, s.numpy().copy(), min(every, n - i)))
            s = step(s)
    return found

# == wrong transposed: forward mode along v (J v, not vᵀ J)
import minigrad.autograd.forward_ad as fwAD

def checkpointed_vjp(step, x, v, n, every):
    with fwAD.dual_level():
        s = fwAD.make_dual(minigrad.tensor(x, dtype=minigrad.float64),
                           minigrad.tensor(v, dtype=minigrad.float64))
        s = _ck_run(step, s, n)
        return fwAD.unpack_dual(s).tangent.numpy()

# == wrong order: segments walked from the first to the last
def checkpointed_vjp(step, x, v, n, every):
    g = v
    for _, start, k in _ck_checkpoints(step, x, n, every):
        g = _ck_segment_vjp(step, start, k, g)
    return g

# == wrong chain_rule: every segment starts again from v
def checkpointed_vjp(step, x, v, n, every):
    g = v
    for _, start, k in reversed(_ck_checkpoints(step, x, n, every)):
        g = _ck_segment_vjp(step, start, k, v)
    return g

# == wrong chain_rule: every segment recomputed from x instead of its checkpoint
def checkpointed_vjp(step, x, v, n, every):
    g = v
    for _, start, k in reversed(_ck_checkpoints(step, x, n, every)):
        g = _ck_segment_vjp(step, x, k, g)
    return g

# == wrong chain_rule: each checkpoint saved after the step instead of before it
def checkpointed_vjp(step, x, v, n, every):
    marks, s = [], minigrad.tensor(x, dtype=minigrad.float64)
    with minigrad.no_grad():
        for i in range(n):
            s = step(s)
            if i % every == 0:
                marks.append((s.numpy().copy(), min(every, n - i)))
    g = v
    for start, k in reversed(marks):
        g = _ck_segment_vjp(step, start, k, g)
    return g

# == wrong chain_rule: the last segment run for `every` steps, past the n-th step
def checkpointed_vjp(step, x, v, n, every):
    g = v
    for _, start, _ in reversed(_ck_checkpoints(step, x, n, every)):
        g = _ck_segment_vjp(step, start, every, g)
    return g

# == wrong not_implemented: stub
def checkpointed_vjp(step, x, v, n, every):
    raise NotImplementedError()

# == wrong sign: the cotangent v negated
import minigrad

def checkpointed_vjp(step, x, v, n, every):
    s = minigrad.tensor(x, dtype=minigrad.float64)
    checkpoints = []
    with minigrad.no_grad():
        for i in range(n):
            if i % every == 0:
                checkpoints.append(s)
            s = step(s)
    g = -minigrad.tensor(v, dtype=minigrad.float64)
    for k in reversed(range(len(checkpoints))):
        start = checkpoints[k].detach().requires_grad_(True)
        out = start
        for _ in range(min(every, n - k * every)):
            out = step(out)
        out.backward(g)
        g = start.grad
    return g.numpy()
