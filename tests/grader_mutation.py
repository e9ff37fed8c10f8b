"""Mutation testing of the grader's cases: each question's reference answer (its first right
answer in tests/grader_answers/) is changed one rule at a time, the way students get it wrong,
and the grader must reject every change.  A surviving mutant means the cases do not exercise
that rule (or the change does not change the answer: an equivalent mutant).

Mutation operators (each applied at one place of the source, every place in turn):

* ``factor``   a numeric constant doubled, a constant factor ``k * e`` dropped, a returned
               value doubled;
* ``sign``     ``+`` and ``-`` exchanged, a unary minus dropped, a returned value negated;
* ``transpose`` a ``.T`` dropped;
* ``swap``     the operands of ``-``, ``/``, ``@`` or the two arguments of a call swapped;
* ``rule``     a derivative rule replaced by a wrong one (sin <-> cos, exp -> log, tanh -> sin);
* ``accumulate`` ``a += g`` (with g not a constant) becomes ``a = g``;
* ``dedup``    a membership test (``x in seen``) made always false, so nothing is de-duplicated.

Run ``python tests/grader_mutation.py`` for the mutation score per question."""

from __future__ import annotations

import ast
import copy
import inspect
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from grader_answers.support import RIGHT, Section  # noqa: E402

from grader import QUESTIONS  # noqa: E402
from grader.judge import verdict  # noqa: E402
from grader.practice import quiet, run_case  # noqa: E402
from grader.spec import Question, as_outputs, case_rng  # noqa: E402

WRONG_RULE = {"sin": "cos", "cos": "sin", "exp": "log", "log": "exp", "tanh": "sin"}
MUTANT_SECONDS = 3.0  # a mutant that loops is stopped (and counts as rejected)


@dataclass(frozen=True)
class Mutant:
    label: str  # "<operator> line L col C: <what changed>"
    source: str


class _Sites(ast.NodeTransformer):
    """Visits the tree; at the `target`-th site of operator `op`, applies the change."""

    def __init__(self, op: str, target: int) -> None:
        self.op, self.target, self.seen, self.done = op, target, 0, ""

    def _hit(self, node: ast.AST, what: str) -> bool:
        hit = self.seen == self.target and not self.done
        self.seen += 1
        if hit:
            self.done = f"{self.op} line {getattr(node, 'lineno', 0)}: {what}"
        return hit

    def visit_Constant(self, node: ast.Constant) -> ast.AST:
        if self.op == "factor" and type(node.value) in (int, float) and node.value not in (0, 1):
            if self._hit(node, f"{node.value!r} doubled"):
                return ast.copy_location(ast.Constant(node.value * 2), node)
        return node

    def visit_BinOp(self, node: ast.BinOp) -> ast.AST:
        self.generic_visit(node)
        if self.op == "factor" and isinstance(node.op, ast.Mult):
            for keep, drop in ((node.right, node.left), (node.left, node.right)):
                if isinstance(drop, ast.Constant) and self._hit(node, "a constant factor dropped"):
                    return keep
        if self.op == "sign" and isinstance(node.op, (ast.Add, ast.Sub)):
            if self._hit(node, "+ and - exchanged"):
                node.op = ast.Sub() if isinstance(node.op, ast.Add) else ast.Add()
        if self.op == "swap" and isinstance(node.op, (ast.Sub, ast.Div, ast.MatMult)):
            if self._hit(node, "operands swapped"):
                node.left, node.right = node.right, node.left
        return node

    def visit_UnaryOp(self, node: ast.UnaryOp) -> ast.AST:
        self.generic_visit(node)
        if self.op == "sign" and isinstance(node.op, ast.USub):
            if self._hit(node, "unary minus dropped"):
                return node.operand
        return node

    def visit_Attribute(self, node: ast.Attribute) -> ast.AST:
        self.generic_visit(node)
        if self.op == "transpose" and node.attr == "T" and self._hit(node, ".T dropped"):
            return node.value
        if self.op == "rule" and node.attr in WRONG_RULE:
            if self._hit(node, f"{node.attr} -> {WRONG_RULE[node.attr]}"):
                node.attr = WRONG_RULE[node.attr]
        return node

    def visit_Call(self, node: ast.Call) -> ast.AST:
        self.generic_visit(node)
        if self.op == "swap" and len(node.args) == 2 and not node.keywords:
            if not any(isinstance(a, ast.Starred) for a in node.args):
                if self._hit(node, "arguments swapped"):
                    node.args = node.args[::-1]
        return node

    def visit_Return(self, node: ast.Return) -> ast.AST:
        self.generic_visit(node)
        if node.value is None or self.op not in ("factor", "sign"):
            return node
        parts = node.value.elts if isinstance(node.value, ast.Tuple) else [node.value]
        for i, part in enumerate(parts):
            what = "doubled" if self.op == "factor" else "negated"
            if self._hit(node, f"returned value {i} {what}"):
                new: ast.expr = (
                    ast.BinOp(ast.Constant(2), ast.Mult(), part)
                    if self.op == "factor"
                    else ast.UnaryOp(ast.USub(), part)
                )
                if isinstance(node.value, ast.Tuple):
                    node.value.elts[i] = new
                else:
                    node.value = new
        return node

    def visit_AugAssign(self, node: ast.AugAssign) -> ast.AST:
        self.generic_visit(node)
        if self.op == "accumulate" and isinstance(node.op, ast.Add):
            if not isinstance(node.value, ast.Constant) and self._hit(node, "+= became ="):
                return ast.copy_location(ast.Assign([node.target], node.value), node)
        return node

    def visit_Compare(self, node: ast.Compare) -> ast.AST:
        self.generic_visit(node)
        membership = len(node.ops) == 1 and isinstance(node.ops[0], ast.In | ast.NotIn)
        if self.op == "dedup" and membership:
            if self._hit(node, "membership test removed"):
                return ast.copy_location(ast.Constant(isinstance(node.ops[0], ast.NotIn)), node)
        return node


OPERATORS = ("factor", "sign", "transpose", "swap", "rule", "accumulate", "dedup")


def mutants(source: str) -> Iterator[Mutant]:
    """Every single-site mutant of `source`, operator by operator."""
    tree = ast.parse(source)
    for op in OPERATORS:
        target = 0
        while True:
            sites = _Sites(op, target)
            changed = ast.fix_missing_locations(sites.visit(copy.deepcopy(tree)))
            if not sites.done:
                break
            yield Mutant(sites.done, ast.unparse(changed))
            target += 1


def reference(question_id: str) -> Section:
    """The reference answer: the first right answer of the question's file."""
    return next(s for s in RIGHT if s.question == question_id)


def rejected(question_id: str, mutant: Mutant, cases: list, expected: list) -> bool:
    """Whether the grader rejects the mutant: some case fails (stops at the first)."""
    q = QUESTIONS[question_id]
    namespace: dict = {"__name__": "__main__"}
    try:
        exec(compile(mutant.source, f"<mutant {mutant.label}>", "exec"), namespace)
        answer = namespace[question_id]
    except Exception:  # noqa: BLE001 - a mutant that does not even define the answer
        return True
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(1000 + len(inspect.stack(0)))  # a runaway mutant stops, never crashes
    try:
        return _rejected(q, answer, cases, expected)
    finally:
        sys.setrecursionlimit(limit)


def _rejected(q: Question, answer: object, cases: list, expected: list) -> bool:
    with quiet():
        for number, (case, want) in enumerate(zip(cases, expected, strict=True), start=1):
            outcome = run_case(q, answer, case, timeout=MUTANT_SECONDS)
            if verdict(q, number, case, outcome, want) is not None:
                return True
    return False


def survivors(question_id: str) -> tuple[int, list[str]]:
    """(number of mutants, labels of those the grader accepts)."""
    q = QUESTIONS[question_id]
    section = reference(question_id)
    with quiet():
        cases = q.draw(case_rng(0, q.id))
        expected = [as_outputs(q.reference(c)) for c in cases]
    found = list(mutants(section.cells[-1]))
    alive = [m.label for m in found if not rejected(question_id, m, cases, expected)]
    return len(found), alive


def run_all_confined(memory_bytes: int = 8 * 2**30, timeout: float = 900) -> dict[str, list]:
    """`survivors` of every question, computed in a fresh interpreter with a memory limit: a
    mutant that loops while growing a graph meets MemoryError (a rejection) instead of
    taking the machine's memory, and nothing the mutants change leaks into the caller."""
    import json
    import resource
    import subprocess

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))

    done = subprocess.run([sys.executable, __file__, "--json"], capture_output=True, text=True,
                          timeout=timeout, preexec_fn=limit, cwd=HERE.parent)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.splitlines()[-1])


if __name__ == "__main__" and sys.argv[1:] == ["--json"]:
    import json

    print(json.dumps({qid: survivors(qid) for qid in QUESTIONS}))
elif __name__ == "__main__":
    total = killed = 0
    for qid in QUESTIONS:
        n, alive = survivors(qid)
        total, killed = total + n, killed + n - len(alive)
        print(f"{qid:20s} {n - len(alive):3d}/{n:<3d} killed" + "".join(
            f"\n    survives: {label}" for label in alive))
    print(f"{'all':20s} {killed:3d}/{total:<3d} killed")
