"""Cost counters: for a chain of k ops, reverse mode saves bytes in proportion to k (exactly
what torch's saved-tensor hooks see) and forward mode saves none (assertions on counts)."""

from __future__ import annotations

import gc

import numpy as np
import pytest
import torch
from torch_check import assert_close

import minigrad
from minigrad import counters
from minigrad.autograd import forward_ad as fw

N = 1000  # entries per array: 8000 bytes in float64
STEPS = ["sin", "tanh", "exp", "cos", "sigmoid"]  # each saves one array, in torch and here


def chain(y, k):
    for i in range(k):
        y = getattr(y, STEPS[i % len(STEPS)])()
    return y


def x0():
    return np.random.default_rng(0).standard_normal(N)


def reverse_cost(k):
    x = minigrad.tensor(x0(), requires_grad=True)
    with counters.count() as cost:
        y = chain(x, k).sum()
        during = cost.graph_bytes
        y.backward()
    return cost, during


def torch_saved_bytes(k):
    """Bytes torch's graph saves for the chain: in all, and in distinct arrays."""
    sizes: dict[int, int] = {}
    total = 0

    def pack(t):
        nonlocal total
        total += t.numel() * t.element_size()
        sizes[t.data_ptr()] = t.numel() * t.element_size()
        return t

    x = torch.tensor(x0(), requires_grad=True)
    with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
        y = chain(x, k).sum()  # y keeps the graph (and its arrays' addresses) alive
    assert y.grad_fn is not None
    return total, sum(sizes.values())


@pytest.mark.parametrize("k", [1, 10, 40])
def test_reverse_mode_saves_bytes_in_proportion_to_k_as_torch(k):
    cost, during = reverse_cost(k)
    assert cost.forward_ops == k + 1 and cost.backward_ops == k + 1  # + the final sum
    saved, distinct = torch_saved_bytes(k)
    assert cost.saved_bytes == k * N * 8 == saved
    # an output saved by one op and the input saved by the next are one array
    assert cost.peak_graph_bytes == during == distinct
    assert distinct >= (k * N * 8) * 3 // 5  # still in proportion to k
    assert cost.graph_bytes == 0  # backward freed them
    assert cost.jvp_ops == 0


@pytest.mark.parametrize("k", [1, 10, 40])
def test_forward_mode_saves_nothing_whatever_k(k):
    with counters.count() as cost, fw.dual_level():
        x = fw.make_dual(minigrad.tensor(x0()), minigrad.tensor(np.ones(N)))
        chain(x, k)
    assert cost.forward_ops == cost.jvp_ops == k
    assert cost.saved_bytes == cost.peak_graph_bytes == cost.nodes_recorded == 0
    assert cost.backward_ops == 0


def test_counting_does_not_change_forward_mode_results():
    x, v = x0()[:5], np.random.default_rng(1).standard_normal(5)
    with counters.count() as outer, fw.dual_level():
        with counters.count() as inner:
            y = chain(fw.make_dual(minigrad.tensor(x), minigrad.tensor(v)), 7)
        tangent = fw.unpack_dual(y).tangent
    _, want = torch.func.jvp(lambda t: chain(t, 7), (torch.tensor(x),), (torch.tensor(v),))
    assert_close(tangent, want, "tangent while counting")
    assert outer.jvp_ops == inner.jvp_ops == 7


def test_graph_bytes_follow_retain_graph_and_garbage_collection():
    x = minigrad.tensor(x0(), requires_grad=True)
    with counters.count() as cost:
        y = chain(x, 5).sum()
        y.backward(retain_graph=True)
        assert cost.graph_bytes == torch_saved_bytes(5)[1] > 0  # kept for a second backward
        del y
        gc.collect()
        assert cost.graph_bytes == 0  # the graph is gone with its last reference
    with counters.count() as cost:
        with minigrad.no_grad():
            chain(x, 5)
    assert cost.forward_ops == 5 and cost.nodes_recorded == cost.saved_bytes == 0


def test_shared_arrays_count_once_in_graph_bytes():
    x = minigrad.tensor(x0(), requires_grad=True)
    with counters.count() as cost:
        y = x * x  # Mul saves x twice: two entries saved, one array held
    assert cost.saved_bytes == N * 8 and cost.graph_bytes == N * 8
    assert cost.by_op["Mul"] == 1
    del y


def test_listeners_are_removed_even_when_the_block_fails():
    from minigrad._grad_mode import state

    with pytest.raises(RuntimeError), counters.count(), fw.dual_level():
        assert state.forward_hook is not None and state.backward_hook is not None
        minigrad.ones(2).backward()  # nothing requires grad: torch's RuntimeError
    assert state.forward_hook is None and state.backward_hook is None
    assert not fw.is_active()
