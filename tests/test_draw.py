"""Graph pictures: the drawn nodes and edges are torch's graph (names from next_functions);
the picture renders to SVG and PNG files without any system program."""

from __future__ import annotations

import os
import unicodedata
import xml.etree.ElementTree as ET
from collections import Counter

import numpy as np
import pytest
import torch

import minigrad
from minigrad import symbolic as sym
from minigrad.draw import Picture, backward_steps, draw


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
    return edges, sum(1 for b in p.boxes if b.kind == "const")


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
    assert boxes["constant 2"].kind == "const"  # the constant 2 is pruned
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


# ---- what a student sees: text inside the picture, names and shapes, values and gradients --

SVG = "{http://www.w3.org/2000/svg}"
EM = 0.602  # advance width of a monospace character in em (DejaVu Sans Mono: 1233/2048)


def lesson01(lib):
    """Example 2 of lesson 01: z = ||X w - y||^2, only w requires grad."""
    rng = np.random.default_rng(1)
    X = lib.tensor(rng.normal(size=(6, 3)), dtype=lib.float64)
    w = lib.tensor(rng.normal(size=3), dtype=lib.float64, requires_grad=True)
    y = lib.tensor(rng.normal(size=6), dtype=lib.float64)
    return {"X": X, "w": w, "y": y}, ((X @ w - y) ** 2).sum()


def lesson05(lib):
    """z = (<x, w> - 0.5)^2 with data x that needs no gradient."""
    x = lib.tensor([0.3, -1.2, 2.0], dtype=lib.float64)
    w = lib.tensor([0.5, 0.1, -0.4], dtype=lib.float64, requires_grad=True)
    return {"x": x, "w": w}, (lib.dot(x, w) - 0.5) ** 2


def _texts_outside(svg: str) -> list[str]:
    """Every text that runs past the picture's width or out of the box it is written in."""
    root = ET.fromstring(svg)
    width = float(root.get("width"))
    bad, box = [], None
    for el in root.iter():
        if el.tag == SVG + "rect" and el.get("x") is not None:
            box = float(el.get("x")) + float(el.get("width"))
        elif el.tag == SVG + "text":
            size = float(el.get("font-size", root.get("font-size")))
            # a Chinese character is a whole em wide, a Latin one EM
            right = float(el.get("x")) + size * sum(
                1.0 if unicodedata.east_asian_width(ch) in "WF" else EM for ch in el.text or "")
            inside_box = box is None or el.get("fill") == "#777" or right <= box
            if right > width or not inside_box:
                bad.append(el.text)
    return bad


def _pictures():
    yield "lecture", draw(lecture(minigrad)[1])
    yield "bigger", draw(bigger(minigrad)[1])
    params, z = lesson01(minigrad)
    yield "lesson01", draw(z, params)
    yield "lesson01 values", draw(z, params, values=True)
    x, w = sym.placeholder("x", (3,)), sym.placeholder("w", (3,))
    yield "symbolic", draw(sym.define(lambda x, w: 0.1 * minigrad.dot(x, w) ** 2, x, w))
    yield "lesson01 zh", in_chinese(lambda: draw(z, params))
    yield "lesson01 values zh", in_chinese(lambda: draw(z, params, values=True))
    yield "symbolic zh", in_chinese(
        lambda: draw(sym.define(lambda x, w: 0.1 * minigrad.dot(x, w) ** 2, x, w)))


def in_chinese(make):
    """What ``make()`` returns when the course runs in Chinese (MINIGRAD_LANG=zh)."""
    before = os.environ.get("MINIGRAD_LANG")
    os.environ["MINIGRAD_LANG"] = "zh"
    try:
        return make()
    finally:
        if before is None:
            del os.environ["MINIGRAD_LANG"]
        else:
            os.environ["MINIGRAD_LANG"] = before


@pytest.mark.parametrize("name, picture", list(_pictures()), ids=lambda v: str(v)[:20])
def test_every_text_is_inside_the_picture_and_its_box(name, picture):
    assert _texts_outside(picture.svg()) == []
    root = ET.fromstring(picture.svg())
    assert root.get("viewBox") and "max-width: 100%" in root.get("style")  # scales down


def test_no_raw_markup_in_labels():
    x = sym.placeholder("x", (3,))
    picture = draw(sym.define(lambda x: 0.1 * x + minigrad.sin(x), x))
    texts = [t.text or "" for t in ET.fromstring(picture.svg()).iter(SVG + "text")]
    assert texts and not [t for t in texts if "`" in t or "**" in t]


@pytest.mark.parametrize("program", [lesson01, lesson05])
def test_every_box_has_the_name_and_shape_of_its_tensor(program):
    params, z = program(minigrad)
    boxes = draw(z, params).boxes
    leaves = [b for b in boxes if b.kind == "leaf"]
    pruned = [b.title for b in boxes if b.kind == "const"]
    for name, t in params.items():
        label = f"{name} ({', '.join(map(str, t.shape))}{',' if t.dim() == 1 else ''})"
        if t.requires_grad:
            assert [b for b in leaves if label in b.lines], (label, [b.lines for b in leaves])
        elif name != "y":  # y of lesson 01 is subtracted: Sub keeps nothing of it
            assert label in pruned, (label, pruned)
    assert boxes[0].title == f"output {tuple(z.shape)}"
    # no pruned input is drawn with the shape of the output of the op that used it
    assert not any(t.startswith("no grad ") for t in pruned), pruned


def test_the_constant_of_the_lecture_is_drawn_as_its_value():
    _, y = lecture(minigrad)
    assert "constant 2" in [b.title for b in draw(y).boxes]


def _summary_of(t) -> str:
    from minigrad.draw import _summary

    return _summary(t.detach().numpy())


def test_values_mode_shows_torchs_values_and_gradients_and_changes_no_grad():
    params, z = lesson01(minigrad)
    tparams, tz = lesson01(torch)
    a, ta = params["X"] @ params["w"], tparams["X"] @ tparams["w"]
    z, tz = ((a - params["y"]) ** 2).sum(), ((ta - tparams["y"]) ** 2).sum()
    ta.retain_grad()
    tz.backward()
    boxes = draw(z, {**params, "a": a}, values=True).boxes
    leaf = next(b for b in boxes if b.kind == "leaf")
    assert f"value {_summary_of(tparams['w'])}" in leaf.lines
    assert f"grad {_summary_of(tparams['w'].grad)}" in leaf.lines
    named = next(b for b in boxes if "= a (6,)" in b.lines)
    assert f"grad {_summary_of(ta.grad)}" in named.lines
    assert f"value {_summary_of(ta)}" in named.lines
    assert f"value {_summary_of(tz)}" in boxes[0].lines
    assert params["w"].grad is None  # drawing ran no accumulating backward


def test_backward_steps_follow_the_engine_and_end_with_torchs_gradient():
    params, z = lesson05(minigrad)
    tparams, tz = lesson05(torch)
    tz.backward()
    steps = backward_steps(z, params)
    # Pow, Sub, Dot, then the leaf w: one step per node that needs a gradient
    assert [c.split(": ")[1].split()[0] for c in steps.captions] == [
        "PowBackward0", "SubBackward0", "DotBackward0", "AccumulateGrad"]
    assert steps.captions[-1].endswith(f"grad {_summary_of(tparams['w'].grad)} and adds it "
                                       "into .grad")
    for k, picture in enumerate(steps.pictures):
        assert sum(b.current for b in picture.boxes) == 1
        assert sum(any(line.startswith("grad ") and line != "grad -" for line in b.lines)
                   for b in picture.boxes) == k + 1
        assert _texts_outside(picture.svg()) == []
    assert "<svg" in steps._repr_html_() and len(steps) == 4
    z.backward()  # the graph is intact and nothing was accumulated before
    assert np.allclose(params["w"].grad.numpy(), tparams["w"].grad.numpy())


def test_the_chinese_course_draws_in_chinese():
    params, z = lesson05(minigrad)
    steps = in_chinese(lambda: backward_steps(z, params))
    assert steps.captions[0].startswith("第 1 步（共 4 步）：PowBackward0 收到梯度")
    assert steps.captions[-1].endswith("把它加到 .grad 上")
    for picture in steps.pictures:
        texts = [picture.note, *(line for b in picture.boxes for line in [b.title, *b.lines])]
        assert not [t for t in texts if any(w in t for w in ("grad ", "value ", "pruned",
                                                             "arrows"))], texts
        assert _texts_outside(picture.svg()) == []
    lines = [line for b in steps.pictures[-1].boxes for line in b.lines]
    assert any(line.startswith("梯度 ") and line != "梯度 -" for line in lines)
