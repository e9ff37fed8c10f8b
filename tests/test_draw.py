"""Graph pictures: the drawn nodes and edges are torch's graph (names from next_functions);
the picture renders to SVG and PNG files without any system program."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter

import numpy as np
import pytest
import torch

import minigrad
from minigrad import symbolic as sym
from minigrad.draw import Picture, draw


def lecture(lib):
    """The lecture's example: y = 2 * dot(x, x) with x = arange(4.)."""
    x = lib.arange(4.0, requires_grad=True)
    return x, 2 * lib.dot(x, x)


def bigger(lib):
    x = lib.tensor(np.linspace(-1, 1, 6).reshape(2, 3), requires_grad=True)
    w = lib.tensor(np.ones(3) * 0.5, requires_grad=True)
    c = lib.tensor(np.arange(3.0))
    return x, (x * w + c).sum() + x.exp().mean() * w.sum()


def torch_edges(t: torch.Tensor) -> tuple[Counter, int]:
    """(parent name, child name) pairs of torch's graph, and how many inputs were pruned."""
    edges, pruned, seen, stack = Counter(), 0, set(), [t.grad_fn]
    while stack:
        fn = stack.pop()
        if fn in seen:
            continue
        seen.add(fn)
        for child, _ in fn.next_functions:
            if child is None:
                pruned += 1
                continue
            edges[(type(fn).__name__, type(child).__name__)] += 1
            stack.append(child)
    return edges, pruned


def drawn_edges(p: Picture) -> tuple[Counter, int]:
    edges = Counter((p.boxes[b].title, p.boxes[a].title) for a, b, _, dashed in p.edges
                    if not dashed and p.boxes[b].kind != "output")
    return edges, sum(1 for b in p.boxes if b.title.startswith("no grad"))


@pytest.mark.parametrize("program", [lecture, bigger])
def test_drawn_graph_is_torchs_graph(program):
    _, ym = program(minigrad)
    _, yt = program(torch)
    assert drawn_edges(draw(ym)) == torch_edges(yt)


def test_lecture_picture_names_nodes_leaf_saved_values_pruning_and_fan_out():
    x, y = lecture(minigrad)
    p = draw(y, {"x": x})
    boxes = {b.title: b for b in p.boxes}
    assert {"MulBackward0", "DotBackward0", "AccumulateGrad"} <= set(boxes)
    leaf = boxes["AccumulateGrad"]
    assert "x (4,)" in leaf.lines and leaf.fan_in  # dot(x, x) uses x twice
    assert "sum of 2 gradients" in leaf.lines
    assert "saved self (4,) 16 B" in boxes["DotBackward0"].lines  # float32: 4 x 4 bytes
    assert any(t.startswith("no grad") for t in boxes)  # the constant 2 is pruned
    y.backward()
    after = {b.title: b for b in draw(y).boxes}
    assert "saved: (freed by backward)" in after["DotBackward0"].lines


def test_picture_renders_inline_and_to_svg_and_png_files(tmp_path):
    _, y = lecture(minigrad)
    p = draw(y)
    root = ET.fromstring(p._repr_svg_())  # well-formed SVG for Jupyter
    texts = " ".join(t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text"))
    assert "MulBackward0" in texts and "DotBackward0" in texts and "AccumulateGrad" in texts
    p.save(str(tmp_path / "graph.svg"))
    p.save(str(tmp_path / "graph.png"))
    assert (tmp_path / "graph.svg").read_text().startswith("<svg")
    png = (tmp_path / "graph.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 2000


def test_deep_graphs_are_cut_and_graphless_tensors_explained():
    x = minigrad.ones(3, requires_grad=True)
    y = x
    for _ in range(2000):
        y = y * 1.0
    p = draw(y, max_nodes=50)
    assert len(p.boxes) <= 52 and "more nodes not drawn" in p.boxes[-1].title
    empty = draw(minigrad.ones(3))
    assert len(empty.boxes) == 1 and "no graph" in empty.note


def test_symbolic_graph_is_drawn_forward_with_placeholders():
    x, w = sym.placeholder("x", (3,)), sym.placeholder("w", (3,))
    z = sym.define(lambda x, w: (minigrad.dot(x, w) - 1.0) ** 2, x, w)
    p = draw(z)
    kinds = {b.title: b.kind for b in p.boxes}
    assert kinds["x"] == kinds["w"] == "leaf" and kinds["Dot"] == "op"
    assert kinds["Pow"] == "output"
    assert ET.fromstring(p.svg()).tag.endswith("svg")
