"""Deep graphs backpropagate without recursion; backward frees what the forward pass saved."""

from __future__ import annotations

import gc
import math
import sys
import tracemalloc
import weakref

import numpy as np

import minigrad


def test_chain_of_100_000_ops_backpropagates():
    assert sys.getrecursionlimit() < 100_000  # so recursion anywhere would fail
    x = minigrad.tensor(0.5, dtype=minigrad.float64, requires_grad=True)
    y = x
    for _ in range(50_000):
        y = (y * 1.0).sin()  # 100 000 ops: Mul and Sin alternate
    y.backward()
    # d/dx of sin applied n times = prod cos(y_k); compare with the same product in numpy
    v, slope = 0.5, 1.0
    for _ in range(50_000):
        slope *= math.cos(v)
        v = math.sin(v)
    assert math.isclose(y.item(), v, rel_tol=1e-12)
    assert math.isclose(x.grad.item(), slope, rel_tol=1e-9)
    del y  # freeing a long chain must not recurse either
    gc.collect()


def test_saved_arrays_are_released_after_backward():
    x = minigrad.tensor(np.linspace(0.1, 1.0, 1000), requires_grad=True)
    y, refs = x, []
    for _ in range(20):
        y = y.sin()
        refs.append(weakref.ref(y._data))  # each Sin saved its input array
    loss = y.sum()
    del y
    alive_before = sum(r() is not None for r in refs)
    loss.backward()
    gc.collect()
    alive_after = sum(r() is not None for r in refs)
    # the first 19 outputs are inputs of the next Sin, which saved them; the last one is not
    assert alive_before == 19 and alive_after == 0


def test_retain_graph_keeps_them_and_memory_returns_after():
    x = minigrad.tensor(np.linspace(0.1, 1.0, 10_000), dtype=minigrad.float64, requires_grad=True)
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    y = x
    for _ in range(50):
        y = y.sin()
    loss = y.sum()
    del y
    held = tracemalloc.get_traced_memory()[0] - base
    loss.backward(retain_graph=True)
    retained = tracemalloc.get_traced_memory()[0] - base
    loss.backward()
    gc.collect()
    released = tracemalloc.get_traced_memory()[0] - base
    tracemalloc.stop()
    step = 10_000 * 8
    assert held >= 49 * step  # each Sin saved its input: 49 intermediates plus x (not counted)
    assert retained >= 49 * step  # still there: retain_graph=True
    assert released < 3 * step  # freed: only x.grad and small bookkeeping remain


def test_a_graph_holds_little_beyond_the_arrays_its_backward_needs():
    """y = sin(y)*1.0001 + 0.1*y: backward needs one array per step (the input of sin), as a
    hand-written numpy backward would; the nodes, edges and constants add under a quarter of it.
    """
    x = minigrad.tensor(np.linspace(0.1, 1.0, 1000), dtype=minigrad.float32, requires_grad=True)

    def held_by_graph(steps: int) -> int:
        tracemalloc.start()
        base = tracemalloc.get_traced_memory()[0]
        y = x
        for _ in range(steps):
            y = y.sin() * 1.0001 + 0.1 * y
        held = tracemalloc.get_traced_memory()[0] - base
        tracemalloc.stop()
        del y
        return held

    per_step = (held_by_graph(600) - held_by_graph(100)) / 500
    needed = 1000 * 4 + sys.getsizeof(np.empty(0))  # one float32 array of 1000, with its header
    assert needed <= per_step < 1.25 * needed
