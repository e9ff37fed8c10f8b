"""Lesson 03, computational graphs: topological order, counting paths to the root, and an
explicit (define-then-run) graph of example 2.

A graph travels as plain data (`n` nodes, `edges` rows of (child, parent)); the driver builds
`Node` objects with a `.parents` tuple, calls `topo_sort(root)` and sends back the positions
of the returned nodes.  Any valid order passes, so this question judges the order itself
instead of comparing with one reference order."""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np

from ..messages import text
from ..spec import Case, Outputs, Question, Unreadable, Verdict, Wrong
from .common import grads, t64

LESSON = "03_computational_graphs"
DEPTH = 100_000
PATHS_DEPTH = 20_000  # deep enough for recursion to fail; the torch reference stays quick


class Node:
    """A graph node as the student sees it: `.parents` (a tuple of nodes) and a name."""

    __slots__ = ("name", "parents")

    def __init__(self, name: str) -> None:
        self.name = name
        self.parents: tuple[Node, ...] = ()

    def __repr__(self) -> str:
        return f"Node({self.name!r})"


def _random_dag(rng: np.random.Generator, n: int) -> Case:
    edges = [
        (i, int(j))
        for i in range(1, n)
        for j in rng.choice(i, size=min(i, int(rng.integers(0, 4))), replace=False)
    ]
    return _case(rng, n, edges, text("label.random_graph", "en", n=n))


def _chain(rng: np.random.Generator, depth: int) -> Case:
    edges = [(i, i - 1) for i in range(1, depth)]
    edges += [(i, i - 2) for i in range(2, depth, 97)]  # shared nodes along the way
    return _case(rng, depth, edges, text("label.chain", "en", n=depth))


def _case(rng: np.random.Generator, n: int, edges: list[tuple[int, int]], label: str) -> Case:
    """Relabel nodes at random so that names say nothing about the order; root is node n-1."""
    names = rng.permutation(n)
    relabel = np.array([(names[c], names[p]) for c, p in edges], dtype=np.int64).reshape(-1, 2)
    return Case(label, {"n": n, "edges": relabel, "root": int(names[n - 1])})


def _draw(rng: np.random.Generator) -> list[Case]:
    return [_random_dag(rng, 12), _random_dag(rng, 300), _chain(rng, DEPTH)]


def _parents(c: Case) -> list[list[int]]:
    parents: list[list[int]] = [[] for _ in range(c.args["n"])]
    for child, parent in np.asarray(c.args["edges"]).tolist():
        parents[int(child)].append(int(parent))
    return parents


_set_recursion_limit = sys.setrecursionlimit  # the real one: the answer runs with it refused


@contextmanager
def _default_recursion_limit() -> Iterator[None]:
    """Python's usual budget of about 1000 frames above the caller, while the answer runs:
    an iterative walk is the exercise, a limit raised in the notebook does not count."""
    depth, frame = 0, sys._getframe()
    while frame.f_back is not None:
        depth, frame = depth + 1, frame.f_back
    previous = sys.getrecursionlimit()
    _set_recursion_limit(depth + 1000)
    try:
        yield
    finally:
        _set_recursion_limit(previous)


def _drive(topo_sort: Any, c: Case) -> tuple[list[int]]:
    nodes = [Node(f"n{i}") for i in range(c.args["n"])]
    for node, parents in zip(nodes, _parents(c), strict=True):
        node.parents = tuple(nodes[p] for p in parents)
    with _default_recursion_limit():
        result = topo_sort(nodes[c.args["root"]])
    if result is None:
        raise NotImplementedError(text("driver.stub", "en"))
    index = {id(node): i for i, node in enumerate(nodes)}
    order = []
    for item in result:
        order.append(index.get(id(item), -1))
        if len(order) > 2 * len(nodes):
            break
    return (order,)


def _reachable_order(c: Case) -> list[int]:
    """A valid order (iterative depth-first post-order), the reference."""
    parents, order, done = _parents(c), [], set()
    stack = [(c.args["root"], False)]
    while stack:
        node, expanded = stack.pop()
        if expanded:
            order.append(node)
        elif node not in done:
            done.add(node)
            stack.append((node, True))
            stack.extend((p, False) for p in parents[node] if p not in done)
    return order


def _reference(c: Case) -> tuple[np.ndarray]:
    return (np.array(_reachable_order(c), dtype=np.float64),)


def _judge(c: Case, got: Outputs, expected: Outputs) -> Verdict | None:
    order = [int(i) for i in got[0].ravel()] if len(got) == 1 else []
    want = {int(i) for i in expected[0]}
    if -1 in order:
        return Verdict(text("topo_sort.not_nodes"))
    twice = [n for n, k in Counter(order).items() if k > 1]
    if twice:
        return Verdict(text("topo_sort.twice_detail", count=len(twice)), "duplicate_nodes",
                       text("topo_sort.twice"))
    missing = len(want - set(order))
    if missing == 1 and c.args["root"] not in order:
        return Verdict(
            text("topo_sort.root_missing_detail"), "order", text("topo_sort.root_missing")
        )
    if missing:
        return Verdict(text("topo_sort.missing_detail", missing=missing, reachable=len(want)),
                       None, text("topo_sort.missing"))
    position = {n: i for i, n in enumerate(order)}
    parents = _parents(c)
    late = sum(1 for n in order if any(position[p] > position[n] for p in parents[n]))
    if late:
        flipped = {n: len(order) - 1 - i for i, n in enumerate(order)}
        reversed_ok = all(flipped[p] < flipped[n] for n in order for p in parents[n])
        return Verdict(text("topo_sort.late_detail", late=late), "order",
                       text("topo_sort.reversed" if reversed_ok else "topo_sort.late"))
    return None


topo_sort = Question(
    id="topo_sort",
    lesson=LESSON,
    points=3,
    signature="topo_sort(root)",
    task="every node reachable from root through .parents, once each, every node after all "
    "its parents; graphs 100 000 deep",
    forbids=("recursion_limit",),
    draw=_draw,
    drive=_drive,
    reference=_reference,
    judge=_judge,
    names=("order",),
    notes={"reference": "the graph itself: every valid topological order passes"},
)

# ---- counting paths to the root: the chain rule on a graph with every local derivative 1 -----


def _dag_with_repeats(rng: np.random.Generator, n: int, connected: bool = False) -> Case:
    """A random DAG where a node may use the same parent twice (as x*x does); `connected`:
    every node is used by a later one, so that all of them reach the root."""
    while True:
        edges = [(i, int(j)) for i in range(1, n) for j in rng.integers(0, i, rng.integers(0, 3))]
        used = {p for _, p in edges}
        if connected:
            edges += [(int(rng.integers(i + 1, n)), i) for i in range(n - 1) if i not in used]
        label = text("label.random_graph_repeated", "en", n=n)
        case = _case(rng, n, edges, label)
        if 2 < max(_paths(case)) < 2**53:  # exact in float64
            return case


def _chain_with_branches(rng: np.random.Generator, depth: int) -> Case:
    """A chain; 40 nodes also use the node two steps back, 10 use their parent twice."""
    edges = [(i, i - 1) for i in range(1, depth)]
    spots = rng.choice(np.arange(2, depth), size=50, replace=False)
    edges += [(int(i), int(i) - 2) for i in spots[:40]] + [(int(i), int(i) - 1) for i in spots[40:]]
    return _case(rng, depth, edges, text("label.chain_branches", "en", n=depth))


def _draw_paths(rng: np.random.Generator) -> list[Case]:
    return [
        _dag_with_repeats(rng, 10),
        _dag_with_repeats(rng, 60, connected=True),
        _chain_with_branches(rng, PATHS_DEPTH),
    ]


def _drive_paths(count_paths: Any, c: Case) -> tuple[np.ndarray]:
    nodes = [Node(f"n{i}") for i in range(c.args["n"])]
    for node, parents in zip(nodes, _parents(c), strict=True):
        node.parents = tuple(nodes[p] for p in parents)
    result = count_paths(nodes[c.args["root"]])
    if result is None:
        raise NotImplementedError(text("driver.stub", "en"))
    if not isinstance(result, dict):
        raise Unreadable(text("count_paths.not_dict", "en", type=type(result).__name__))
    index = {id(node): i for i, node in enumerate(nodes)}
    counts = np.zeros(len(nodes))  # nodes that cannot reach the root have 0 paths
    for node, k in result.items():
        if id(node) not in index:
            raise Unreadable(text("count_paths.keys", "en"))
        counts[index[id(node)]] = float(k)
    return (counts,)


def _paths(c: Case, combine: Any = None, distinct: bool = False) -> list[int]:
    """Paths from every node to the root, pushed down in reverse topological order.  The
    variants: `combine` replaces the sum (max, say); `distinct` counts a repeated parent once."""
    parents, counts = _parents(c), [0] * c.args["n"]
    counts[c.args["root"]] = 1
    for node in reversed(_reachable_order(c)):
        for p in set(parents[node]) if distinct else parents[node]:
            counts[p] = combine(counts[p], counts[node]) if combine else counts[p] + counts[node]
    return counts


def _ref_paths(c: Case) -> tuple[np.ndarray]:
    """Run on torch: every node is the sum of its parents (each edge has local derivative 1),
    so the gradient of the root with respect to a node is its number of paths to the root."""
    parents, values = _parents(c), {}
    for node in _reachable_order(c):
        if not parents[node]:
            values[node] = t64(1.0, requires_grad=True)
            continue
        value = values[parents[node][0]].clone()  # a node of its own, even with one parent
        for p in parents[node][1:]:
            value = value + values[p]
        values[node] = value
    nodes = list(values)
    found = grads(values[c.args["root"]], *(values[n] for n in nodes))
    counts = np.zeros(c.args["n"])
    counts[nodes] = [float(g) for g in found]
    return (counts,)


def _uses(c: Case) -> tuple[np.ndarray]:
    parents, uses = _parents(c), np.zeros(c.args["n"])
    uses[c.args["root"]] = 1
    for node in _reachable_order(c):
        for p in parents[node]:
            uses[p] += 1
    return (uses,)


def _from_inputs(c: Case) -> tuple[np.ndarray]:
    parents, counts = _parents(c), np.zeros(c.args["n"])
    for node in _reachable_order(c):
        counts[node] = sum(counts[p] for p in parents[node]) if parents[node] else 1
    return (counts,)


def _unreversed(c: Case) -> tuple[np.ndarray]:
    """Pushing in parents-first order: only the root's own edges get counted."""
    counts = np.zeros(c.args["n"])
    counts[c.args["root"]] = 1
    for p in _parents(c)[c.args["root"]]:
        counts[p] += 1
    return (counts,)


count_paths = Question(
    id="count_paths",
    lesson=LESSON,
    points=2,
    signature="count_paths(root)",
    task="a dict {node: number of paths from node to root} over every node reachable from "
    "root (root: 1; a parent used twice counts twice); graphs 20 000 deep",
    draw=_draw_paths,
    drive=_drive_paths,
    advice={"garbled": "count_paths.dict"},
    reference=_ref_paths,
    names=("paths per node",),
    wrong=(
        Wrong(
            "no_accumulation",
            "count_paths.no_accumulation",
            lambda c, e: (np.array(_paths(c, distinct=True), dtype=np.float64),),
        ),
        Wrong(
            "no_accumulation",
            "count_paths.no_accumulation2",
            lambda c, e: (np.array(_paths(c, combine=max), dtype=np.float64),),
        ),
        Wrong(
            "chain_rule",
            "count_paths.chain_rule",
            lambda c, e: _uses(c),
        ),
        Wrong(
            "transposed",
            "count_paths.transposed",
            lambda c, e: _from_inputs(c),
        ),
        Wrong(
            "order",
            "count_paths.order",
            lambda c, e: _unreversed(c),
        ),
    ),
)


# ---- explicit construction: example 2 and its gradient as a define-then-run graph ------------


def _draw_explicit(rng: np.random.Generator) -> list[Case]:
    cases = []
    for m, n in ((5, 3), (3, 4)):
        feeds = {
            f"{k}{i}": rng.normal(size=s)
            for i in (1, 2)
            for k, s in (("X", (m, n)), ("w", (n,)), ("y", (m,)))
        }
        label = text("label.two_feeds", "en", sizes=f"m={m}, n={n}",
                      shapes=f"X ({m}, {n}), w ({n},), y ({m},)")
        cases.append(Case(label, {"m": m, "n": n, **feeds}))
    return cases


def _feed(c: Case, i: int) -> dict[str, np.ndarray]:
    return {k: c.args[f"{k}{i}"] for k in ("X", "w", "y")}


def _drive_explicit(explicit_ex2: Any, c: Case) -> list[Any]:
    from minigrad import symbolic

    made = explicit_ex2(c.args["m"], c.args["n"])
    if made is None:
        raise NotImplementedError(text("driver.stub", "en"))
    if not (
        isinstance(made, (tuple, list))
        and len(made) == 2
        and all(isinstance(s, symbolic.Symbol) for s in made)
    ):
        raise Unreadable(text("explicit_ex2.symbols", "en"))
    return [v for i in (1, 2) for v in symbolic.run(list(made), _feed(c, i))]


def _ref_explicit(c: Case) -> list[np.ndarray]:
    out = []
    for i in (1, 2):
        X, w, y = (t64(v, requires_grad=k == "w") for k, v in _feed(c, i).items())
        z = ((X @ w - y) ** 2).sum()
        out += [z.detach().numpy(), *grads(z, w)]
    return out


def _variant(z: Any, g: Any) -> Any:
    """A wrong graph, from z(X, r) and g(X, r) with r = Xw - y, on both feeds."""

    def output(c: Case, e: Any) -> list[np.ndarray]:
        out = []
        for i in (1, 2):
            X, w, y = _feed(c, i).values()
            r = X @ w - y
            out += [np.asarray(z(X, r)), g(X, r)]
        return out

    return output


explicit_ex2 = Question(
    id="explicit_ex2",
    lesson=LESSON,
    points=2,
    signature="explicit_ex2(m, n)",
    task="with minigrad.symbolic: placeholders 'X' (m, n), 'w' (n,), 'y' (m,); return "
    "(z, dz_dw), the Symbols of z = ‖Xw - y‖² and of its gradient with respect to w",
    draw=_draw_explicit,
    drive=_drive_explicit,
    advice={"garbled": "explicit_ex2.graph"},
    reference=_ref_explicit,
    names=("z", "dz/dw", "z (second feed)", "dz/dw (second feed)"),
    wrong=(
        Wrong(
            "wrong_shape",
            "explicit_ex2.wrong_shape",
            _variant(lambda X, r: r**2, lambda X, r: 2 * X.T @ r),
        ),
        Wrong(
            "chain_rule",
            "explicit_ex2.chain_rule",
            _variant(lambda X, r: np.linalg.norm(r), lambda X, r: X.T @ r / np.linalg.norm(r)),
        ),
        Wrong(
            "missing_factor",
            "explicit_ex2.missing_factor",
            _variant(lambda X, r: r @ r, lambda X, r: X.T @ r),
        ),
        Wrong(
            "sign",
            "explicit_ex2.sign",
            _variant(lambda X, r: r @ r, lambda X, r: -2 * X.T @ r),
        ),
        Wrong(
            "chain_rule",
            "explicit_ex2.chain_rule2",
            _variant(lambda X, r: r @ r, lambda X, r: X.T @ np.ones_like(r)),
        ),
    ),
)

QUESTIONS = (topo_sort, count_paths, explicit_ex2)
