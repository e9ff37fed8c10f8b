"""Pictures of computational graphs, drawn without any system program (lesson 03).

``draw(y)`` draws the graph recorded behind a tensor, as torch keeps it: one box per
``grad_fn`` node (``MulBackward0``), an ``AccumulateGrad`` box per leaf that requires grad,
the output at the bottom.  Each box shows the shape of the value and what the node saved for
backward; an orange border marks a value used several times, where the gradients of all uses
are **summed**; dashed grey boxes are inputs that need no gradient, a branch backward
**prunes**.  ``draw(symbol)`` draws a define-then-run graph (``minigrad.symbolic``).

The picture is plain SVG laid out here (layers by longest path, then a few barycentre sweeps
to untangle edges): it shows inline in JupyterLab (``_repr_svg_``) and ``save("g.svg")`` writes
it; ``save("g.png")`` renders the same layout with matplotlib.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .function import OTHER, OUTPUT, AccumulateGrad
from .tensor import Tensor

__all__ = ["draw", "Picture"]

FILL = {"op": "#eeeeee", "leaf": "#bbdefb", "output": "#c8e6c9", "const": "#ffffff"}
CHAR_W, LINE_H, PAD, GAP_X, GAP_Y = 7.0, 15.0, 8.0, 24.0, 46.0
NOTE = ("arrows: how values flow forward; gradients flow back against them.  "
        "orange border: gradients of several uses are summed here.  dashed: needs no "
        "gradient (pruned).")


@dataclass
class Box:
    title: str
    lines: list[str] = field(default_factory=list)
    kind: str = "op"
    fan_in: bool = False  # several uses: gradients accumulate here
    x: float = 0.0
    y: float = 0.0

    @property
    def w(self) -> float:
        return max(len(s) for s in [self.title, *self.lines]) * CHAR_W + 2 * PAD

    @property
    def h(self) -> float:
        return (1 + len(self.lines)) * LINE_H + PAD


class Picture:
    """A laid-out graph: ``_repr_svg_`` for Jupyter, ``save(path)`` for .svg or .png."""

    def __init__(self, boxes: list[Box], edges: list[tuple[int, int, str, bool]],
                 note: str = NOTE) -> None:
        self.boxes, self.edges, self.note = boxes, edges, note
        _layout(boxes, edges)
        self.width = max([b.x + b.w for b in boxes] + [len(note) * 5.5]) + PAD
        self.height = max(b.y + b.h for b in boxes) + 3 * PAD + LINE_H

    @property
    def names(self) -> list[str]:
        """The box titles, in drawing order (handy in tests and for a quick look)."""
        return [b.title for b in self.boxes]

    def _repr_svg_(self) -> str:
        return self.svg()

    def svg(self) -> str:
        out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{self.width:.0f}" '
               f'height="{self.height:.0f}" font-family="monospace" font-size="12">',
               '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" '
               'markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
               '<path d="M 0 0 L 10 5 L 0 10 z" fill="#555"/></marker></defs>',
               '<rect width="100%" height="100%" fill="white"/>']
        for k, (_, _, label, dashed) in enumerate(self.edges):
            (x1, y1), (x2, y2) = self._ends(k)
            dash = ' stroke-dasharray="4 3"' if dashed else ""
            out.append(f'<path d="M {x1:.1f} {y1:.1f} C {x1:.1f} {(y1 + y2) / 2:.1f} '
                       f'{x2:.1f} {(y1 + y2) / 2:.1f} {x2:.1f} {y2:.1f}" fill="none" '
                       f'stroke="#555"{dash} marker-end="url(#arrow)"/>')
            if label:
                out.append(f'<text x="{(x1 + x2) / 2 + 4:.1f}" y="{(y1 + y2) / 2:.1f}" '
                           f'fill="#777" font-size="10">{html.escape(label)}</text>')
        for box in self.boxes:
            stroke, width = ("#ef6c00", 2.5) if box.fan_in else ("#333", 1.0)
            dash = ' stroke-dasharray="5 3"' if box.kind == "const" else ""
            out.append(f'<rect x="{box.x:.1f}" y="{box.y:.1f}" width="{box.w:.1f}" '
                       f'height="{box.h:.1f}" rx="6" fill="{FILL[box.kind]}" stroke="{stroke}" '
                       f'stroke-width="{width}"{dash}/>')
            for i, text in enumerate([box.title, *box.lines]):
                weight = ' font-weight="bold"' if i == 0 else ' fill="#333"'
                out.append(f'<text x="{box.x + PAD:.1f}" y="{box.y + (i + 1) * LINE_H:.1f}"'
                           f'{weight}>{html.escape(text)}</text>')
        out.append(f'<text x="{PAD}" y="{self.height - PAD:.1f}" fill="#777" font-size="10">'
                   f'{html.escape(self.note)}</text></svg>')
        return "\n".join(out)

    def _ends(self, k: int) -> tuple[tuple[float, float], tuple[float, float]]:
        """Start and end of edge k; parallel edges (x*x) are spread apart."""
        a, b = self.edges[k][:2]
        twins = [j for j, e in enumerate(self.edges) if e[:2] == (a, b)]
        dx = 10.0 * (twins.index(k) - (len(twins) - 1) / 2)
        s, t = self.boxes[a], self.boxes[b]
        return (s.x + s.w / 2 + dx, s.y + s.h), (t.x + t.w / 2 + dx, t.y)

    def save(self, path: str) -> None:
        """Write the picture: SVG for ``*.svg``, else an image through matplotlib (PNG...)."""
        if str(path).lower().endswith(".svg"):
            with open(path, "w", encoding="utf-8") as f:
                f.write(self.svg())
            return
        self._matplotlib().savefig(path, dpi=100)

    def _matplotlib(self) -> Any:
        import matplotlib

        matplotlib.use("Agg", force=False)
        from matplotlib.figure import Figure
        from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

        fig = Figure(figsize=(self.width / 100, self.height / 100))
        ax = fig.add_axes((0, 0, 1, 1))
        ax.set_xlim(0, self.width)
        ax.set_ylim(self.height, 0)
        ax.axis("off")
        for k, (_, _, label, dashed) in enumerate(self.edges):
            p, q = self._ends(k)
            ax.add_patch(FancyArrowPatch(p, q, arrowstyle="-|>", mutation_scale=10,
                                         linestyle="--" if dashed else "-", color="#555"))
            ax.text((p[0] + q[0]) / 2 + 4, (p[1] + q[1]) / 2, label, fontsize=7, color="#777")
        for box in self.boxes:
            ax.add_patch(FancyBboxPatch((box.x, box.y), box.w, box.h,
                                        boxstyle="round,pad=0,rounding_size=6",
                                        facecolor=FILL[box.kind],
                                        edgecolor="#ef6c00" if box.fan_in else "#333",
                                        linewidth=2.5 if box.fan_in else 1.0,
                                        linestyle="--" if box.kind == "const" else "-"))
            for i, text in enumerate([box.title, *box.lines]):
                ax.text(box.x + PAD, box.y + (i + 1) * LINE_H - 3, text, family="monospace",
                        fontsize=8.5, weight="bold" if i == 0 else "normal")
        ax.text(PAD, self.height - PAD, self.note, fontsize=7, color="#777")
        return fig


def _layout(boxes: list[Box], edges: list[tuple[int, int, str, bool]]) -> None:
    """Layered layout: layer = longest path from a source; order by barycentre sweeps."""
    n = len(boxes)
    preds: list[list[int]] = [[] for _ in range(n)]
    succs: list[list[int]] = [[] for _ in range(n)]
    for a, b, _, _ in edges:
        preds[b].append(a)
        succs[a].append(b)
    indeg = [len(p) for p in preds]
    layer = [0] * n
    ready = [i for i in range(n) if indeg[i] == 0]
    while ready:
        i = ready.pop()
        for j in succs[i]:
            layer[j] = max(layer[j], layer[i] + 1)
            indeg[j] -= 1
            if indeg[j] == 0:
                ready.append(j)
    for i in range(n):  # a source (leaf, constant) sits just above its nearest consumer
        if not preds[i] and succs[i]:
            layer[i] = min(layer[j] for j in succs[i]) - 1
    layers: list[list[int]] = [[] for _ in range(max(layer, default=0) + 1)]
    for i in range(n):
        layers[layer[i]].append(i)
    pos = {i: k for row in layers for k, i in enumerate(row)}
    for sweep in range(4):
        rows = layers[1:] if sweep % 2 == 0 else layers[-2::-1]
        for row in rows:
            near = preds if sweep % 2 == 0 else succs
            row.sort(key=lambda i: np.mean([pos[j] for j in near[i]]) if near[i] else pos[i])
            pos.update({i: k for k, i in enumerate(row)})
    widths = [sum(boxes[i].w for i in row) + GAP_X * (len(row) - 1) for row in layers]
    y = PAD
    for row, width in zip(layers, widths, strict=True):
        x = PAD + (max(widths) - width) / 2
        for i in row:
            boxes[i].x, boxes[i].y = x, y
            x += boxes[i].w + GAP_X
        y += max(boxes[i].h for i in row) + GAP_Y


def _shape(shape: Sequence[int]) -> str:
    return "(" + ", ".join(map(str, shape)) + ("," if len(shape) == 1 else "") + ")"


def _saved_lines(node: Any) -> list[str]:
    if getattr(node, "_freed", False):
        return ["saved: (freed by backward)"]
    names = ["self", "other"] if len(node._next) == 2 else ["self"]  # torch's _saved_ names
    items = []
    saved = getattr(node, "saved_tensors", ())
    for v, code in zip(saved, getattr(node, "_saved_from", ()) if saved else ()):
        if v is None:  # a place kept for a value this node did not need
            continue
        if code == OUTPUT:
            items.append(("result", v))
        elif code == OTHER:
            items.append(("array", np.asarray(v)))
        else:
            items.append((names[code] if code < len(names) else f"input{code}", v))
    return [f"saved {name} {_shape(np.shape(a))} {np.asarray(a).nbytes} B" for name, a in items]


def _tensor_graph(root: Tensor, params: dict[str, Tensor], max_nodes: int) -> Picture:
    names = {id(t): name for name, t in params.items()}
    boxes = [Box(f"{names.get(id(root), 'output')} {_shape(root.shape)}",
                 [f"dtype {root.dtype}".replace("torch.", "")], "output")]
    edges: list[tuple[int, int, str, bool]] = []
    start: Any = root.grad_fn if root.grad_fn is not None else root._edge()
    if start is None:
        return Picture(boxes, edges, "this tensor has no graph: nothing it was computed from "
                                     "requires grad")
    index = {start: 1}
    order, uses = [start], {start: 1}
    shapes: dict[Any, Any] = {start: tuple(root.shape)}  # each node's output shape, as learnt
    boxes.append(Box(start.torch_name))
    edges.append((1, 0, "", False))
    k = 0
    while k < len(order) and len(boxes) < max_nodes:
        node = order[k]
        k += 1
        edges_in = [child for child, _ in node.next_functions]  # with torch's None inputs
        metas = getattr(node, "input_meta", None) or [None] * len(node._next)
        for i, child in enumerate(edges_in):
            # an input with no meta has the shape of the node's output; a number, none
            shape = None if i >= len(metas) else metas[i][0] if metas[i] else shapes.get(node)
            if child is None:  # this input needs no gradient: backward skips it
                title = "no grad" if shape is None else f"no grad {_shape(shape)}"
                boxes.append(Box(title, [f"input {i}: pruned"], "const"))
                edges.append((len(boxes) - 1, index[node], "", True))
                continue
            uses[child] = uses.get(child, 0) + 1
            if child not in index:
                index[child] = len(boxes)
                order.append(child)
                boxes.append(Box(child.torch_name))
            shapes.setdefault(child, shape)
            edges.append((index[child], index[node], "" if shape is None else _shape(shape),
                          False))
    for node, i in index.items():
        box = boxes[i]
        if type(node) is AccumulateGrad:
            leaf = node.variable
            box.kind = "leaf"
            box.lines = [f"{names.get(id(leaf), 'leaf')} {_shape(leaf.shape)}",
                         "adds into .grad"]
        else:
            box.lines = _saved_lines(node)
        if uses.get(node, 0) > 1:
            box.fan_in = True
            box.lines.append(f"sum of {uses[node]} gradients")
    if k < len(order):
        boxes.append(Box(f"... {len(order) - k}+ more nodes not drawn", [], "const"))
    return Picture(boxes, edges)


def _symbolic_graph(outputs: Sequence[Any], max_nodes: int) -> Picture:
    from .symbolic import nodes

    order = nodes(list(outputs))[-max_nodes:]
    index = {id(s): i for i, s in enumerate(order)}
    outs = {id(s) for s in outputs}
    uses: dict[int, int] = {}
    boxes, edges = [], []
    for s in order:
        kind = {"placeholder": "leaf", "constant": "const"}.get(s.kind, "op")
        if id(s) in outs:
            kind = "output"
        maths = (s.op.__doc__ or "").split(";")[0].strip() if s.op else ""
        detail = {"placeholder": "placeholder", "constant": "constant",
                  "stop_gradient": "no gradient flows back"}.get(s.kind, maths)
        boxes.append(Box(s.name, [f"{_shape(s.shape)} {np.dtype(s.dtype).name}", detail], kind))
        for p in s.inputs:
            if id(p) in index:
                uses[id(p)] = uses.get(id(p), 0) + 1
                edges.append((index[id(p)], index[id(s)], "", not p.requires_grad))
    for s in order:
        if uses.get(id(s), 0) > 1 and s.requires_grad:
            boxes[index[id(s)]].fan_in = True
    note = ("a define-then-run graph: placeholders (blue) get values only when it runs.  "
            "orange border: a value used several times (its gradients are summed).")
    return Picture(boxes, edges, note)


def draw(obj: Any, params: dict[str, Tensor] | None = None, max_nodes: int = 200) -> Picture:
    """Draw the graph behind a Tensor (as recorded for backward), or a symbolic graph (a
    ``Symbol`` or a list of them).  ``params`` names leaves: ``draw(y, {"x": x})``."""
    from .symbolic import Symbol

    if isinstance(obj, Symbol):
        return _symbolic_graph([obj], max_nodes)
    if isinstance(obj, (list, tuple)) and obj and all(isinstance(s, Symbol) for s in obj):
        return _symbolic_graph(list(obj), max_nodes)
    if isinstance(obj, Tensor):
        return _tensor_graph(obj, params or {}, max_nodes)
    raise TypeError(f"draw() takes a Tensor or minigrad.symbolic Symbols, not {type(obj)}")
