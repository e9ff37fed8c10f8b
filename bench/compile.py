"""Workload 7: minigrad.compile against the numpy floor, a hand-tuned numpy and torch.

The compiled function is traced once and then runs generated numpy code (lesson 06).  Every
engine runs in one process and the engines take turns, in a new order each round, so that a
busy machine slows them alike; each turn times an engine after untimed runs of its own
(``interleaved``), and each figure is a median.

* the deep chain ``y = sin(y)*1.0001 + 0.1*y`` (``chain.py``), vector 1000 and scalar, float32
  and float64: forward + backward per step;
* the hand-tuned numpy reference: the floor written with in-place ``out=`` buffers and
  constants in the array's dtype, what the generated code does;
* the MLP step of ``mlp.py`` (zero_grad, forward, backward, SGD step) with the loss compiled;
* the bytes the forward leaves held per chain step (what backward needs), against the floor's;
* the time to compile a chain of 1 000 ops (250 steps).

It also restates the eager engine's targets (issue 16, item 5) with the same interleaving.
"""

from __future__ import annotations

import gc
import random
import statistics
import time
from collections.abc import Callable
from typing import Any

import chain as ch
import mlp
import numpy as np
import torch
from common import Result, Table, gc_paused, memory

import minigrad

Run = tuple[Callable[[], Any], Callable[[Any], Any]]


def interleaved(engines: dict[str, Run], repeats: int, warm: int = 2,
                timed: int = 3) -> dict[str, float]:
    """Median seconds of forward+backward per engine, the engines taking turns in a shuffled
    order (so that a busy machine slows them alike, whichever engine ran before).

    A turn is ``warm`` untimed runs, then ``timed`` timed ones: an engine is timed as a
    training loop runs it, after itself.  Timed right after another engine, it would also
    pay for refilling the CPU's caches that engine emptied, a cost of the interleaving that
    grows with the Python code an engine runs: on the MLP step (bench/mlp.py) the compiled
    step took 338 us right after torch's, 309 us after one more untimed run of its own and
    299 us after three, while the numpy floor took 293, 279 and 277 us."""
    times: dict[str, list[float]] = {name: [] for name in engines}
    order = random.Random(0)
    for fwd, bwd in engines.values():  # a warm-up run each (compiles, caches)
        bwd(fwd())
    with gc_paused():  # what exists now is frozen: a collection walks only the runs' garbage
        for _ in range(repeats):
            names = list(engines)
            order.shuffle(names)
            for name in names:
                fwd, bwd = engines[name]
                for _ in range(warm):
                    bwd(fwd())
                for _ in range(timed):
                    t0 = time.perf_counter()
                    bwd(fwd())
                    times[name].append(time.perf_counter() - t0)
            gc.collect()
    return {name: statistics.median(ts) for name, ts in times.items()}


def hand_forward(x: np.ndarray, n: int) -> tuple[np.ndarray, list[np.ndarray]]:
    """The floor with dtype'd constants and, for arrays, in-place buffers."""
    a, b = x.dtype.type(ch.A), x.dtype.type(ch.B)
    saved, y = [], x
    if x.size > 1:
        for _ in range(n):
            saved.append(y)
            t = np.sin(y)
            np.multiply(t, a, out=t)
            np.add(t, np.multiply(y, b), out=t)
            y = t
    else:  # one element: numpy is slower in place
        for _ in range(n):
            saved.append(y)
            y = np.sin(y) * a + y * b
    return y, saved


def hand_backward(saved: list[np.ndarray], g0: np.ndarray) -> np.ndarray:
    a, b = g0.dtype.type(ch.A), g0.dtype.type(ch.B)
    g = g0.copy()
    for y in reversed(saved):
        if g.size > 1:
            c = np.cos(y)
            np.multiply(c, a, out=c)
            np.add(c, b, out=c)
            np.multiply(g, c, out=g)
        else:
            g = g * (np.cos(y) * a + b)
    return g


def chain_engines(shape: tuple[int, ...], dtype: type, n: int) -> dict[str, Run]:
    x0, g0 = ch.inputs(shape, dtype)
    x, g = minigrad.tensor(x0, requires_grad=True), minigrad.tensor(g0)
    compiled = minigrad.compile(lambda y: ch.chain(minigrad, y, n))
    factored = minigrad.compile(lambda y: ch.chain(minigrad, y, n), exact=False)

    def fwd(f: Any = compiled) -> Any:
        x.grad = None
        return f(x)

    eager = ch.engines(shape, dtype, n)
    return {"compiled": (fwd, lambda y: y.backward(g)),
            "factored": (lambda: fwd(factored), lambda y: y.backward(g)),
            "numpy": (lambda: ch.numpy_forward(x0, n), lambda fs: ch.numpy_backward(fs[1], g0)),
            "hand": (lambda: hand_forward(x0, n), lambda fs: hand_backward(fs[1], g0)),
            "torch": eager["torch"], "minigrad": eager["minigrad"],
            "bare_tape": eager["bare_tape"]}


def check(n: int = 30) -> None:
    """The compiled chain and the hand-tuned numpy give eager minigrad's gradient."""
    for shape, dtype in ch.CASES.values():
        x0, g0 = ch.inputs(shape, dtype)
        x = minigrad.tensor(x0, requires_grad=True)
        minigrad.compile(lambda y: ch.chain(minigrad, y, n))(x).backward(minigrad.tensor(g0))
        compiled = x.grad._data.copy()
        x.grad = None
        ch.chain(minigrad, x, n).backward(minigrad.tensor(g0))
        assert np.array_equal(compiled, x.grad._data), "compiled gradient differs from eager"
        hand = hand_backward(hand_forward(x0, n)[1], g0)
        np.testing.assert_allclose(hand, x.grad._data, rtol=1e-4, atol=1e-6)
        x.grad = None
        minigrad.compile(lambda y: ch.chain(minigrad, y, n), exact=False)(x).backward(
            minigrad.tensor(g0))
        np.testing.assert_allclose(x.grad._data, compiled, rtol=1e-5 if dtype is np.float32
                                   else 1e-13)


def held_per_step(shape: tuple[int, ...], dtype: type, n_lo: int, n_hi: int) -> dict[str, float]:
    """Bytes left held by the forward pass, per step (slope between two depths)."""
    out: dict[str, float] = {}
    for name in ("compiled", "factored", "numpy", "torch", "minigrad"):
        held = []
        for n in (n_lo, n_hi):
            fwd, bwd = chain_engines(shape, dtype, n)[name]
            bwd(fwd())  # compile outside the measurement
            held.append(memory(fwd, native=name == "torch").held or 0)
        out[name] = (held[1] - held[0]) / (n_hi - n_lo)
    return out


def compile_seconds(ops: int, repeats: int) -> float:
    x = minigrad.tensor(np.linspace(0.1, 1, 1000, dtype=np.float32), requires_grad=True)
    times = []
    for _ in range(repeats):
        f = minigrad.compile(lambda y: ch.chain(minigrad, y, ops // 4))
        t0 = time.perf_counter()
        f(x)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def mlp_engines() -> dict[str, Run]:
    x, labels, params = mlp.data()
    step = mlp.Step(minigrad, x, labels, params)
    loss = minigrad.compile(lambda x, y: minigrad.nn.functional.cross_entropy(
        step.layers[1](minigrad.tanh(step.layers[0](x))), y))

    def compiled() -> Any:
        step.optimizer.zero_grad()
        out = loss(step.x, step.labels)
        out.backward()
        step.optimizer.step()
        return out

    torch_step = mlp.Step(torch, x, labels, params)
    floor = [p.copy() for p in params]
    return {"compiled": (compiled, lambda _: None), "torch": (torch_step, lambda _: None),
            "numpy": (lambda: mlp.numpy_step(x, labels, floor), lambda _: None),
            "numpy_no_loss": (lambda: mlp.numpy_step(x, labels, floor, with_loss=False),
                              lambda _: None),
            "minigrad": (mlp.Step(minigrad, x, labels, params), lambda _: None)}


def per_op_engines(k: int) -> dict[str, Run]:
    out: dict[str, Run] = {}
    for name, lib in (("minigrad", minigrad), ("torch", torch)):
        a = lib.tensor(np.array(1.5, np.float32), requires_grad=True)
        b = lib.tensor(np.array(-0.75, np.float32), requires_grad=True)

        def fwd(a: Any = a, b: Any = b) -> None:
            for _ in range(k):
                (a * b).backward()
        out[name] = (fwd, lambda _: None)
    return out


def run(quick: bool = False) -> Result:
    check()
    n, repeats = (30, 3) if quick else (1000, 9)
    table = Table("7. minigrad.compile: generated numpy code (compiled = minigrad column)")
    eager = Table("7b. the eager engine's targets restated (issue 16): minigrad = eager")
    data: dict[str, Any] = {}
    cases = [(label, shape, dtype, n) for label, (shape, dtype) in ch.CASES.items()]
    if not quick:  # float32 before its gradient turns subnormal (~420 steps): see the notes
        cases += [(label, shape, dtype, 300) for label, (shape, dtype) in ch.CASES.items()
                  if dtype is np.float32]
    for label, shape, dtype, steps in cases:
        t = interleaved(chain_engines(shape, dtype, steps), repeats)
        us = {k: v / steps * 1e6 for k, v in t.items()}
        case = f"{label} n={steps}"
        table.add(case, "fwd+bwd us/step", us["compiled"], us["torch"], us["numpy"])
        table.add(case + " vs hand-tuned", "fwd+bwd us/step", us["compiled"], us["torch"],
                  us["hand"])
        table.add(case + " exact=False", "fwd+bwd us/step", us["factored"], us["torch"],
                  us["numpy"])
        table.add(case + " exact=False vs hand-tuned", "fwd+bwd us/step", us["factored"],
                  us["torch"], us["hand"])
        eager.add(case, "fwd+bwd us/step", us["minigrad"], us["torch"], us["numpy"])
        eager.add(case + " vs bare tape", "fwd+bwd us/step", us["minigrad"], us["torch"],
                  us["bare_tape"])
        data[case] = us
        if steps != n:
            continue
        lo, hi = (10, 30) if quick else (100, 1000)
        held = held_per_step(shape, dtype, lo, hi)
        table.add(f"{label} n={lo}->{hi}", "held bytes/step", held["compiled"], held["torch"],
                  held["numpy"])
        table.add(f"{label} n={lo}->{hi} exact=False", "held bytes/step", held["factored"],
                  held["torch"], held["numpy"])
        if not shape:
            eager.add(f"{label} n={lo}->{hi}", "graph bytes/node", held["minigrad"] / 4,
                      held["torch"] / 4, held["numpy"] / 4)
    t = interleaved(mlp_engines(), 3 if quick else 41)
    table.add("MLP 784-128-10 batch 64", "ms/step", t["compiled"] * 1e3, t["torch"] * 1e3,
              t["numpy"] * 1e3)
    table.add("MLP, against a floor without the loss value", "ms/step", t["compiled"] * 1e3,
              t["torch"] * 1e3, t["numpy_no_loss"] * 1e3)
    eager.add("MLP 784-128-10 batch 64", "ms/step", t["minigrad"] * 1e3, t["torch"] * 1e3,
              t["numpy"] * 1e3)
    ops = 40 if quick else 1000
    once = interleaved(chain_engines((1000,), np.float32, ops // 4), 3)
    table.add(f"chain of {ops} ops: compile, against one fwd+bwd run", "s",
              compile_seconds(ops, 1 if quick else 3), once["torch"], once["numpy"])
    k = 20 if quick else 2000
    t = interleaved(per_op_engines(k), repeats)
    a0, b0 = np.float32(1.5), np.float32(-0.75)
    floor = interleaved({"numpy": (lambda: [(a0 * b0, 1.0 * b0, 1.0 * a0) for _ in range(k)],
                                   lambda _: None)}, repeats)["numpy"]
    eager.add("size-1 a*b; backward()", "fwd+bwd us/op", t["minigrad"] / k * 1e6,
              t["torch"] / k * 1e6, floor / k * 1e6)
    big = np.linspace(0, 10, 10**5 if quick else 10**6)
    tb = torch.tensor(big)
    mb = minigrad.tensor(big)
    t = interleaved({"numpy": (lambda: np.sin(big), lambda _: None),
                     "torch": (lambda: torch.sin(tb), lambda _: None),
                     "minigrad": (lambda: minigrad.sin(mb), lambda _: None)}, repeats)
    eager.add(f"sin, {big.size:.0e} float64 (numpy's limit)", "ms", t["minigrad"] * 1e3,
              t["torch"] * 1e3, t["numpy"] * 1e3)
    table.notes += [
        "Medians of interleaved runs (engines take turns) on a machine shared with other "
        "jobs: noisy; compare ratios within a row.",
        "rows 'vs hand-tuned': the numpy column is numpy written by hand with out= buffers and "
        "dtype'd constants, so mg/numpy there is compiled/hand-tuned.",
        "rows 'exact=False': minigrad.compile(fn, exact=False), which may factor the chain "
        "rule's sums (results differ from eager minigrad's in the last bits); the other rows "
        "are the default, bit-identical code.",
        "held bytes/step: growth of tracemalloc's bytes after the forward pass, per step "
        "(torch: C heap).",
        "float32 at n=1000: past ~420 steps the gradient is subnormal.  Each numpy scalar "
        "operation with an inexact subnormal result then raises the CPU's underflow flag, which "
        "numpy reports (even under errstate ignore) and clears before its next operation: "
        "~128 ns instead of ~35 ns.  The floor makes one such product per step (g * (1.0001 "
        "cos y + 0.1)); eager minigrad and the compiled code, bit-identical to it, apply each "
        "op's rule and make three.  n=300 shows the engines before that.",
        "scalar chain: each step's backward is, by the ops' own rules, g*0.1 + (g*1.0001)*"
        "cos(y), four operations and a cos, where the floor computes g*(1.0001*cos(y) + 0.1), "
        "three.  The compiled backward computes cos(y) of every step before its loop, by one "
        "numpy call on an array of the saved y (compiler/rolling.py, batched): ~25 ns a step "
        "instead of ~120.  In float64 it also holds one-element values as Python floats "
        "(compiler/passes.py, python_floats): the same IEEE + - *, at a third of numpy's cost. "
        "float32 has no such way (rounding a Python float to float32, np.float32(x), costs "
        "~150 ns, numpy's float32 operation ~35 ns), so there the rules' order keeps it close "
        "to the floor; rows 'exact=False' take the common factor out (compiler/factor.py), as "
        "the floor does.",
        "MLP: on a loaded 2-core machine a multi-threaded OpenBLAS call can wait a whole "
        "scheduler slice for a thread (single steps of 50-100 ms instead of 0.2 ms, for every "
        "engine); OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 gives stable ratios.",
        "MLP: every engine's step computes the loss it returns (a training loop reports it); "
        "the row 'against a floor without the loss value' times the floor without it.  Where "
        "the compiled step's time beyond the floor goes (measured by taking the parts away one "
        "by one): ~4 us calling the compiled function (signature, graph node), ~10 us the "
        "engine's walk of one node and four leaves, ~2 us the optimizer, and a few us of "
        "generated code (log-softmax's backward by its rule): Python that the big matrix "
        "products have just pushed out of the CPU's caches.  With OpenBLAS's older Haswell "
        "kernel (OPENBLAS_CORETYPE=Haswell) the floor's step takes ~277 us, and the same "
        "overhead is a smaller share.",
    ]
    eager.notes += [
        "rows 'vs bare tape': the numpy column is a bare Python tape of one node per op "
        "(chain.py), so mg/numpy there is eager/bare tape.",
        "graph bytes/node: held bytes per scalar-chain step / 4 ops.",
        "numpy >= 1.25 does not vectorise float64 sin (torch does): a float64 transcendental "
        "on a large array is numpy's limit, for every numpy-backed engine.",
    ]
    return Result([table, eager], data)


if __name__ == "__main__":
    from common import main

    main(run, doc=__doc__)
