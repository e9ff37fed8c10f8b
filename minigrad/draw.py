"""Pictures of computational graphs, drawn without any system program (lesson 03).

``draw(y)`` draws the graph recorded behind a tensor, as torch keeps it: one box per
``grad_fn`` node (``MulBackward0``), an ``AccumulateGrad`` box per leaf that requires grad,
the output at the bottom.  Each box shows the shape of the value and what the node saved for
backward; an orange border marks a value used several times, where the gradients of all uses
are **summed**; dashed grey boxes are inputs that need no gradient, a branch backward
**prunes**, with their name and shape when the graph kept them.  ``draw(y, values=True)``
shows each node's value and the gradient it receives instead (micrograd's picture, with a shape
and a short summary for tensors); ``backward_steps(y)`` shows a backward pass node by node.
``draw(symbol)`` draws a define-then-run graph (``minigrad.symbolic``).

The picture is plain SVG (``minigrad._picture`` lays it out): it shows inline in JupyterLab
(``_repr_svg_``), ``save("g.svg")`` writes it and ``save("g.png")`` renders it with matplotlib.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

import numpy as np

from . import _lang
from ._picture import Box, Picture
from .autograd.engine import OTHER, OUTPUT, AccumulateGrad, grad
from .symbolic import Symbol, nodes
from .tensor import Tensor

__all__ = ["draw", "backward_steps", "Picture", "Steps"]

# What the pictures say, in each language of the course (minigrad._lang chooses).
_TEXT = {
    "step": {"en": "step {k} of {n}: {node} receives grad {grad} and {what}",
             "zh": "第 {k} 步（共 {n} 步）：{node} 收到梯度 {grad}，{what}"},
    "adds": {"en": "adds it into .grad", "zh": "把它加到 .grad 上"},
    "applies": {"en": "applies its rule", "zh": "用自己的求导规则把梯度传给输入"},
    "adds_into": {"en": "adds into .grad", "zh": "加到 .grad 上"},
    "saved": {"en": "saved {name} {shape} {nbytes} B", "zh": "保存 {name} {shape} {nbytes} B"},
    "freed": {"en": "saved: (freed by backward)", "zh": "保存的值：（已被 backward 释放）"},
    "no_grad": {"en": "no grad", "zh": "不需要梯度"},
    "input_pruned": {"en": "input {i}: pruned", "zh": "输入 {i}：已剪掉"},
    "not_kept": {"en": "(its value is not kept)", "zh": "（没有保存它的值）"},
    "constant_value": {"en": "constant {value}", "zh": "常数 {value}"},
    "pruned": {"en": "needs no gradient: pruned", "zh": "不需要梯度：已剪掉"},
    "value": {"en": "value {value}", "zh": "值 {value}"},
    "value_not_kept": {"en": "value (not kept)", "zh": "值（没有保存）"},
    "grad": {"en": "grad {grad}", "zh": "梯度 {grad}"},
    "sum": {"en": "sum of {n} gradients", "zh": "{n} 个梯度之和"},
    "leaf": {"en": "leaf", "zh": "叶子"},
    "more": {"en": "... {n}+ more nodes not drawn", "zh": "……还有 {n}+ 个节点没有画出"},
    "placeholder": {"en": "placeholder", "zh": "占位符"},
    "constant": {"en": "constant", "zh": "常数"},
    "stop_gradient": {"en": "no gradient flows back", "zh": "梯度不会流回"},
    "symbolic_note": {"en": "a define-then-run graph: placeholders (blue) get values only when "
                            "it runs.  orange border: a value used several times (its "
                            "gradients are summed).",
                      "zh": "先定义后运行的计算图：占位符（蓝色）只在运行时才得到值。"
                            "橙色边框：多次使用的值（它的梯度相加）。"},
    "no_graph": {"en": "this tensor has no graph: nothing it was computed from requires grad",
                 "zh": "这个张量没有计算图：计算它所用的量都不需要梯度"},
}


def _say(key: str, **params: Any) -> str:
    return _lang.pick(_TEXT[key]).format(**params)


def _shape(shape: Sequence[int]) -> str:
    return "(" + ", ".join(map(str, shape)) + ("," if len(shape) == 1 else "") + ")"


def _summary(value: Any) -> str:
    """A value in a few characters: the number, a short vector, or shape and range."""
    a = np.asarray(value, dtype=np.float64)
    if a.ndim == 0:
        return f"{float(a):.4g}"
    if a.size <= 3 and a.ndim == 1:
        return "[" + ", ".join(f"{v:.3g}" for v in a) + "]"
    if a.size == 0:
        return f"{_shape(a.shape)} empty"
    return f"{_shape(a.shape)} min {a.min():.3g} max {a.max():.3g}"


def _saved(node: Any) -> list[tuple[str, int, Any]]:
    """(torch's name, input index or OUTPUT/OTHER, array) of each value a node saved."""
    if getattr(node, "_freed", False):
        return []
    names = ["self", "other"] if len(node._next) == 2 else ["self"]  # torch's _saved_ names
    found = []
    saved = getattr(node, "saved_tensors", ())
    for v, code in zip(saved, getattr(node, "_saved_from", ()) if saved else ()):
        if v is None:  # a place kept for a value this node did not need
            continue
        name = ("result" if code == OUTPUT else "array" if code == OTHER
                else names[code] if code < len(names) else f"input{code}")
        found.append((name, code, np.asarray(v)))
    return found


def _saved_lines(node: Any) -> list[str]:
    if getattr(node, "_freed", False):
        return [_say("freed")]
    return [_say("saved", name=name, shape=_shape(a.shape), nbytes=a.nbytes)
            for name, _, a in _saved(node)]


class _Graph:
    """The nodes behind a tensor, breadth first from its grad_fn, with what each one is known
    to hold: its output value (from a named tensor or from what a consumer saved)."""

    def __init__(self, root: Tensor, params: dict[str, Tensor], max_nodes: int) -> None:
        self.root, self.params = root, params
        self.by_data = {id(t._data): name for name, t in params.items()}
        self.by_node = {id(t.grad_fn if t.grad_fn is not None else t._edge()): name
                        for name, t in params.items() if t._edge() is not None}
        start = root.grad_fn if root.grad_fn is not None else root._edge()
        self.order: list[Any] = [] if start is None else [start]
        self.values: dict[Any, Any] = {} if start is None else {start: root._data}
        self.uses: dict[Any, int] = {}
        seen, pruned, k = set(self.order), 0, 0
        while k < len(self.order) and 1 + len(self.order) + pruned < max_nodes:  # boxes
            node = self.order[k]
            k += 1
            for child, _ in node.next_functions:
                if child is None:
                    pruned += 1
                    continue
                self.uses[child] = self.uses.get(child, 0) + 1
                if child not in seen:
                    seen.add(child)
                    self.order.append(child)
        self.expanded, self.truncated = self.order[:k], len(self.order) - k
        for node in self.order:
            for _, code, a in _saved(node):  # an input this node saved: its child's output
                if isinstance(code, int) and 0 <= code < len(node._next):
                    child = node._next[code]
                    if child is not None:
                        self.values.setdefault(child, a)
        for t in params.values():
            edge = t.grad_fn if t.grad_fn is not None else t._edge()
            if edge is not None:
                self.values[edge] = t._data

    def name(self, node: Any) -> str | None:
        if type(node) is AccumulateGrad:
            return self.by_data.get(id(node.variable._data), self.by_node.get(id(node)))
        return self.by_node.get(id(node))

    def pruned(self, node: Any, i: int) -> tuple[str, list[str]]:
        """Title and lines of the box for input ``i`` of ``node``, which needs no gradient."""
        array = next((a for _, code, a in _saved(node) if code == i), None)
        if array is None and isinstance(getattr(node, "other", None), (int, float)):
            array = np.asarray(node.other)
        name = None if array is None else self.by_data.get(id(array))
        if array is None:
            return _say("no_grad"), [_say("input_pruned", i=i), _say("not_kept")]
        if name is None and array.size == 1:
            return _say("constant_value", value=f"{float(array):g}"), [_say("pruned")]
        return f"{name or _say('no_grad')} {_shape(array.shape)}", [_say("pruned")]


def _tensor_graph(root: Tensor, params: dict[str, Tensor], max_nodes: int,
                  values: bool = False, grads: dict[Any, Any] | None = None,
                  current: Any = None) -> Picture:
    """The picture of ``root``'s graph.  ``values``: each box shows its value and gradient
    (``grads``: node -> gradient received; ``current``: the node a backward step is at)."""
    g = _Graph(root, params, max_nodes)
    if values and grads is None:
        grads = _gradients(root, g)
    out_lines = [f"dtype {root.dtype}".replace("torch.", "")]
    if values:
        out_lines = [_say("value", value=_summary(root._data))]
    name = next((name for name, p in params.items() if p is root), "output")
    boxes = [Box(f"{name} {_shape(root.shape)}", out_lines, "output")]
    if not g.order:
        return Picture(boxes, [], _say("no_graph"))
    index = {node: i + 1 for i, node in enumerate(g.order)}
    boxes += [Box(node.torch_name) for node in g.order]
    edges: list[tuple[int, int, str, bool]] = [(1, 0, "", False)]
    for node in g.expanded:
        for i, (child, _) in enumerate(node.next_functions):  # with torch's None inputs
            if child is None:  # this input needs no gradient: backward skips it
                title, lines = g.pruned(node, i)
                boxes.append(Box(title, lines, "const"))
                edges.append((len(boxes) - 1, index[node], "", True))
            elif child in index:
                value = g.values.get(child)
                label = "" if value is None else _shape(np.shape(value))
                edges.append((index[child], index[node], label, False))
    for node, i in index.items():
        box, node_name = boxes[i], g.name(node)
        if type(node) is AccumulateGrad:
            leaf = node.variable
            box.kind = "leaf"
            box.lines = [f"{node_name or _say('leaf')} {_shape(leaf.shape)}"]
            box.lines += [] if values else [_say("adds_into")]
        else:
            box.lines = [] if values else _saved_lines(node)
            if node_name:
                box.lines.insert(0, f"= {node_name} {_shape(np.shape(g.values[node]))}")
        if values:
            value = g.values.get(node)
            box.lines.append(_say("value_not_kept") if value is None
                             else _say("value", value=_summary(value)))
            got = (grads or {}).get(node)
            box.lines.append(_say("grad", grad="-" if got is None else _summary(got)))
            box.current = node is current
        if g.uses.get(node, 0) > 1:
            box.fan_in = True
            box.lines.append(_say("sum", n=g.uses[node]))
    if g.truncated:
        boxes.append(Box(_say("more", n=g.truncated), [], "const"))
    return Picture(boxes, edges)


def _gradients(root: Tensor, g: _Graph) -> dict[Any, Any]:
    """node -> the gradient it receives in a backward pass from ``root``, in the engine's
    order (a dict keeps it).  The pass keeps the graph and changes no ``.grad``; a graph that
    a backward already freed gives an empty dict."""
    received: dict[Any, Any] = {}
    leaves = [n.variable for n in g.order if type(n) is AccumulateGrad]
    if not leaves:
        return received
    added = []
    for node in g.order:
        def hook(gradient: Any, node: Any = node) -> None:
            received[node] = np.array(gradient._data, copy=True)
        had = "_pre_hooks" in node.__dict__
        node.register_prehook(hook)
        added.append((node, hook, had))
    try:
        grad([root], leaves, grad_outputs=[Tensor._wrap(np.ones_like(root._data))],
             retain_graph=True, allow_unused=True)
    except RuntimeError:  # the graph was freed by an earlier backward
        received.clear()
    finally:
        for node, hook, had in added:
            node._pre_hooks.remove(hook)
            if not had:
                del node.__dict__["_pre_hooks"]
    return received


def _symbolic_graph(outputs: Sequence[Any], max_nodes: int) -> Picture:
    order = nodes(list(outputs))[-max_nodes:]
    index = {id(s): i for i, s in enumerate(order)}
    outs = {id(s) for s in outputs}
    uses: dict[int, int] = {}
    boxes, edges = [], []
    for s in order:
        kind = {"placeholder": "leaf", "constant": "const"}.get(s.kind, "op")
        if id(s) in outs:
            kind = "output"
        maths = (s.op.__doc__ or "").split(";")[0].strip().replace("`", "") if s.op else ""
        detail = (_say(s.kind) if s.kind in ("placeholder", "constant", "stop_gradient")
                  else maths)
        boxes.append(Box(s.name, [f"{_shape(s.shape)} {np.dtype(s.dtype).name}", detail], kind))
        for p in s.inputs:
            if id(p) in index:
                uses[id(p)] = uses.get(id(p), 0) + 1
                edges.append((index[id(p)], index[id(s)], "", not p.requires_grad))
    for s in order:
        if uses.get(id(s), 0) > 1 and s.requires_grad:
            boxes[index[id(s)]].fan_in = True
    return Picture(boxes, edges, _say("symbolic_note"))


def draw(obj: Any, params: dict[str, Tensor] | None = None, max_nodes: int = 200,
         values: bool = False) -> Picture:
    """Draw the graph behind a Tensor (as recorded for backward), or a symbolic graph (a
    ``Symbol`` or a list of them).  ``params`` names tensors, leaves or not:
    ``draw(y, {"x": x})``.  ``values=True`` shows each node's value and the gradient a
    backward pass from the tensor sends it (computed without changing any ``.grad``)."""
    if isinstance(obj, Symbol):
        return _symbolic_graph([obj], max_nodes)
    if isinstance(obj, (list, tuple)) and obj and all(isinstance(s, Symbol) for s in obj):
        return _symbolic_graph(list(obj), max_nodes)
    if isinstance(obj, Tensor):
        return _tensor_graph(obj, params or {}, max_nodes, values=values)
    raise TypeError(f"draw() takes a Tensor or minigrad.symbolic Symbols, not {type(obj)}")


class Steps:
    """A backward pass one node at a time: ``pictures[k]`` is the graph after step k+1, the
    node of that step outlined in blue, and ``captions[k]`` says what it received."""

    def __init__(self, pictures: list[Picture], captions: list[str]) -> None:
        self.pictures, self.captions = pictures, captions

    def __len__(self) -> int:
        return len(self.pictures)

    def _repr_html_(self) -> str:
        parts = [f'<div style="max-width: 100%; width: {picture.width:.0f}px">'
                 f'<p style="font-family: monospace">{html.escape(caption)}</p>'
                 f"{picture.svg()}</div>"
                 for picture, caption in zip(self.pictures, self.captions)]
        return ('<div style="display: flex; flex-wrap: wrap; gap: 8px 24px">'
                + "\n".join(parts) + "</div>")


def backward_steps(root: Tensor, params: dict[str, Tensor] | None = None,
                   max_nodes: int = 40) -> Steps:
    """Show a backward pass from ``root`` step by step, in the order the engine runs the
    nodes: one picture per node, with the values and the gradients received so far.  Call it
    before ``backward()`` (which frees what the pictures need); no ``.grad`` changes."""
    if not isinstance(root, Tensor):
        raise TypeError(f"backward_steps() takes a Tensor, not {type(root)}")
    params = params or {}
    received = _gradients(root, _Graph(root, params, max_nodes))
    if not received:
        raise RuntimeError("backward_steps() needs a graph that a backward pass can still "
                           "run: call it before backward(), or on a tensor that requires grad")
    order = list(received)
    pictures, captions = [], []
    for k, node in enumerate(order):
        so_far = {n: received[n] for n in order[: k + 1]}
        pictures.append(_tensor_graph(root, params, max_nodes, True, so_far, node))
        what = _say("adds" if type(node) is AccumulateGrad else "applies")
        captions.append(_say("step", k=k + 1, n=len(order), node=node.torch_name,
                             grad=_summary(received[node]), what=what))
    return Steps(pictures, captions)
