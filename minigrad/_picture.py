"""How a graph picture is laid out and drawn: boxes in layers, edges between them, a note
below; as SVG (shown inline by Jupyter) or through matplotlib (PNG and other formats).
``minigrad.draw`` decides what goes into the boxes."""

from __future__ import annotations

import functools
import html
import unicodedata
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from . import _lang

FILL = {"op": "#eeeeee", "leaf": "#bbdefb", "output": "#c8e6c9", "const": "#ffffff"}
# A monospace character is 0.6 em wide (DejaVu Sans Mono, Liberation Mono); a little more here,
# so that no text can run past its box.  Boxes use 12 px text, the note 10 px.
CHAR_W, NOTE_CHAR_W, LINE_H, PAD, GAP_X, GAP_Y = 7.5, 6.3, 15.0, 8.0, 24.0, 46.0
MIN_WIDTH = 360.0  # the note wraps to the graph's width, but never narrower than this
NOTE = {"en": "arrows: how values flow forward; gradients flow back against them. "
              "orange border: gradients of several uses are summed here. "
              "dashed: needs no gradient (pruned).",
        "zh": "箭头：值向前流动的方向；梯度逆着箭头流回。橙色边框：多处使用的梯度在这里相加。"
              "虚线：不需要梯度（已剪掉）。"}


def width(text: str) -> int:
    """How many monospace cells ``text`` takes: a Chinese character takes two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


@dataclass
class Box:
    title: str
    lines: list[str] = field(default_factory=list)
    kind: str = "op"
    fan_in: bool = False  # several uses: gradients accumulate here
    current: bool = False  # the node a step-by-step backward is at
    x: float = 0.0
    y: float = 0.0

    @property
    def w(self) -> float:
        return max(width(s) for s in [self.title, *self.lines]) * CHAR_W + 2 * PAD

    @property
    def h(self) -> float:
        return (1 + len(self.lines)) * LINE_H + PAD


class Picture:
    """A laid-out graph: ``_repr_svg_`` for Jupyter, ``save(path)`` for .svg or .png."""

    def __init__(self, boxes: list[Box], edges: list[tuple[int, int, str, bool]],
                 note: str | None = None) -> None:
        note = _lang.pick(NOTE) if note is None else note
        self.boxes, self.edges, self.note = boxes, edges, note
        _layout(boxes, edges)
        self.width = max([b.x + b.w for b in boxes] + [MIN_WIDTH]) + PAD
        self.note_lines = _wrap(note, int((self.width - 2 * PAD) / NOTE_CHAR_W))
        self.height = max(b.y + b.h for b in boxes) + 2 * PAD + 12 * len(self.note_lines)

    @property
    def names(self) -> list[str]:
        """The box titles, in drawing order (handy in tests and for a quick look)."""
        return [b.title for b in self.boxes]

    def _repr_svg_(self) -> str:
        return self.svg()

    def svg(self) -> str:
        w, h = f"{self.width:.0f}", f"{self.height:.0f}"
        out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" '
               f'viewBox="0 0 {w} {h}" style="max-width: 100%; height: auto" '
               'font-family="monospace" font-size="12">',
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
            if label and self._first_twin(k):
                out.append(f'<text x="{(x1 + x2) / 2 + 4:.1f}" y="{(y1 + y2) / 2:.1f}" '
                           f'fill="#777" font-size="10">{html.escape(label)}</text>')
        for box in self.boxes:
            stroke, width = _stroke(box)
            dash = ' stroke-dasharray="5 3"' if box.kind == "const" else ""
            out.append(f'<rect x="{box.x:.1f}" y="{box.y:.1f}" width="{box.w:.1f}" '
                       f'height="{box.h:.1f}" rx="6" fill="{FILL[box.kind]}" stroke="{stroke}" '
                       f'stroke-width="{width}"{dash}/>')
            for i, text in enumerate([box.title, *box.lines]):
                weight = ' font-weight="bold"' if i == 0 else ' fill="#333"'
                out.append(f'<text x="{box.x + PAD:.1f}" y="{box.y + (i + 1) * LINE_H:.1f}"'
                           f'{weight}>{html.escape(text)}</text>')
        top = self.height - PAD - 12 * (len(self.note_lines) - 1)
        for i, line in enumerate(self.note_lines):
            out.append(f'<text x="{PAD}" y="{top + 12 * i:.1f}" fill="#777" font-size="10">'
                       f'{html.escape(line)}</text>')
        out.append("</svg>")
        return "\n".join(out)

    def _first_twin(self, k: int) -> bool:
        """Whether edge k is the first of its parallel edges (one label is enough)."""
        return next(j for j, e in enumerate(self.edges) if e[:2] == self.edges[k][:2]) == k

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
            if self._first_twin(k):
                ax.text((p[0] + q[0]) / 2 + 4, (p[1] + q[1]) / 2, label, fontsize=7,
                        color="#777")
        for box in self.boxes:
            ax.add_patch(FancyBboxPatch((box.x, box.y), box.w, box.h,
                                        boxstyle="round,pad=0,rounding_size=6",
                                        facecolor=FILL[box.kind],
                                        edgecolor=_stroke(box)[0], linewidth=_stroke(box)[1],
                                        linestyle="--" if box.kind == "const" else "-"))
            for i, text in enumerate([box.title, *box.lines]):
                ax.text(box.x + PAD, box.y + (i + 1) * LINE_H - 3, text,
                        family=["monospace", *_cjk_fonts()], fontsize=8.5,
                        weight="bold" if i == 0 else "normal")
        top = self.height - PAD - 12 * (len(self.note_lines) - 1)
        for i, line in enumerate(self.note_lines):
            ax.text(PAD, top + 12 * i, line, family=["sans-serif", *_cjk_fonts()], fontsize=7,
                    color="#777")
        return fig


_CJK = ("Noto Sans CJK SC", "Noto Sans Mono CJK SC", "Source Han Sans SC", "WenQuanYi Zen Hei",
        "WenQuanYi Micro Hei", "SimHei", "Microsoft YaHei", "PingFang SC")


@functools.cache
def _cjk_fonts() -> tuple[str, ...]:
    """The fonts with Chinese characters that matplotlib can find here (for a Chinese PNG;
    the SVG leaves fonts to the browser, which has them)."""
    from matplotlib import font_manager

    names = {f.name for f in font_manager.fontManager.ttflist}
    return tuple(name for name in _CJK if name in names)


def _stroke(box: Box) -> tuple[str, float]:
    """Border colour and width: blue for the current step, orange where gradients add up."""
    if box.current:
        return "#1565c0", 3.0
    return ("#ef6c00", 2.5) if box.fan_in else ("#333", 1.0)


def _wrap(text: str, cells: int) -> list[str]:
    """``text`` in lines of at most ``cells`` monospace cells, breaking between words (and
    anywhere in Chinese, which has no spaces)."""
    lines: list[str] = []
    used = 0  # cells the last line takes
    for word in text.split():
        if lines and used + 1 + width(word) <= cells:
            lines[-1] += " " + word
            used += 1 + width(word)
            continue
        lines.append("")
        used = 0
        for ch in word:  # a word longer than a line (a Chinese sentence) breaks anywhere
            if used and used + width(ch) > cells:
                lines.append("")
                used = 0
            lines[-1] += ch
            used += width(ch)
    return lines


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
