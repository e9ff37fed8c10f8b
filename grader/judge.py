"""Judging: compare what the student's code produced with the torch reference, recognise known
mistakes, and write feedback a student can act on.  Runs only in the trusted process."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from .spec import Case, Outputs, Question, Verdict, Wrong, as_outputs

# Exceptions raised by the student's code that are themselves a diagnosis.
ERROR_TAGS = {
    "RecursionError": "recursion_limit",
    "NotImplementedError": "not_implemented",
    "MemoryError": "memory",
}
ERROR_ADVICE = {
    "recursion_limit": "Python stops recursing near depth 1000: walk the graph with an explicit "
    "stack or queue instead of recursion.",
    "not_implemented": "Replace the stub with your own code.",
    "memory": "Your code used more memory than allowed; avoid building huge intermediates.",
    "timeout": "Your code took too long; look for an infinite loop or a quadratic step.",
    "crashed": "The process running your code ended abruptly (exit, crash or a limit).",
}


@dataclass(frozen=True)
class Failure:
    """A case that produced no outputs: an exception, a timeout, a crash."""

    kind: str  # exception type name, or "timeout", "crashed", "memory", "missing"
    message: str = ""


Outcome = Outputs | Failure


@dataclass
class Result:
    """The grade of one question. `misconception` is a tag from `spec.MISCONCEPTIONS`."""

    id: str
    passed: bool
    score: float
    max_score: float
    feedback: str
    misconception: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def close(q: Question, case: Case, got: Outputs, expected: Outputs) -> bool:
    if len(got) != len(expected):
        return False
    rtol = q.rtol if case.rtol is None else case.rtol
    atol = q.atol if case.atol is None else case.atol
    for g, e in zip(got, expected, strict=True):
        if g.shape != e.shape or not np.all(np.isfinite(g)):
            return False
        if q.relative:
            if np.linalg.norm(g - e) > rtol * np.linalg.norm(e) + atol:
                return False
        elif not np.allclose(g, e, rtol=rtol, atol=atol):
            return False
    return True


GENERIC = (
    Wrong(
        "transposed",
        "Your result is the transpose of the expected one: in numerator layout "
        "row i belongs to output i and column j to input j.",
        lambda c, e: tuple(a.T for a in e),
    ),
    Wrong(
        "sign",
        "Your result has the opposite sign: check each minus sign and each derivative "
        "of cos, of subtraction and of division.",
        lambda c, e: tuple(-a for a in e),
    ),
    Wrong(
        "missing_factor",
        "Your result is half the expected one: a factor 2 is missing (the derivative of u² is 2u).",
        lambda c, e: tuple(a / 2 for a in e),
    ),
    Wrong(
        "double_counting",
        "Your result is twice the expected one: something is counted twice.",
        lambda c, e: tuple(a * 2 for a in e),
    ),
)


def diagnose(q: Question, case: Case, got: Outputs, expected: Outputs) -> Wrong | None:
    """The first known mistake (the question's own bank, then generic ones) that reproduces
    `got` on this case and differs from the right answer there."""
    for wrong in (*q.wrong, *GENERIC):
        try:
            raw = tuple(wrong.output(case, expected))
            if len(raw) == len(got):  # None in a variant's outputs matches anything
                raw = tuple(g if v is None else v for v, g in zip(raw, got, strict=True))
            variant = as_outputs(raw)
        except Exception:  # a variant that does not apply to this case
            continue
        if not close(q, case, variant, expected) and close(q, case, got, variant):
            return wrong
    return None


def verdict(
    q: Question, number: int, case: Case, outcome: Outcome, expected: Outputs
) -> Verdict | None:
    """None when the case passes, else what went wrong."""
    where = f"case {number} ({case.label})"
    if isinstance(outcome, Failure):
        return _failure_verdict(q, where, outcome)
    if q.judge is not None:
        v = q.judge(case, outcome, expected)
        return None if v is None else Verdict(f"{where}: {v.detail}", v.tag, v.advice)
    if close(q, case, outcome, expected):
        return None
    wrong = diagnose(q, case, outcome, expected)
    detail = f"{where}: {_expected_vs_got(q, case, outcome, expected)}"
    if wrong is None:
        tag = "wrong_shape" if _shapes(outcome) != _shapes(expected) else None
        advice = "Check the shape of what you return." if tag else ""
        return Verdict(detail, tag, advice)
    return Verdict(detail, wrong.tag, wrong.advice)


def _failure_verdict(q: Question, where: str, f: Failure) -> Verdict:
    if f.kind == "missing":
        return Verdict(
            f"`{q.id}` is not defined in your notebook.",
            "not_implemented",
            f"Define `{q.signature}`.",
        )
    if f.kind == "refused":
        return Verdict(
            f"{where}: {f.message}",
            "exception",
            "This exercise is solved by hand with numpy: torch and minigrad's "
            "autograd are switched off while it is graded.",
        )
    if f.kind in ("timeout", "crashed", "memory"):
        return Verdict(f"{where}: {f.message}", f.kind, ERROR_ADVICE[f.kind])
    tag = ERROR_TAGS.get(f.kind, "exception")
    message = f"{f.kind}: {f.message}" if f.message else f.kind
    return Verdict(f"{where}: your code raised {message}", tag, ERROR_ADVICE.get(tag, ""))


def assess(
    q: Question, cases: Sequence[Case], outcomes: Sequence[Outcome], expected: Sequence[Outputs]
) -> Result:
    """Grade a question from one outcome per case (all or nothing)."""
    verdicts = [
        (i, verdict(q, i + 1, c, o, e))
        for i, (c, o, e) in enumerate(zip(cases, outcomes, expected, strict=True))
    ]
    failed = [(i, v) for i, v in verdicts if v is not None]
    if not failed:
        feedback = f"✓ {q.id}: all {len(cases)} cases pass ({q.points} points)."
        return Result(q.id, True, float(q.points), float(q.points), feedback, None)
    tags = Counter(v.tag for _, v in failed if v.tag)
    tag = tags.most_common(1)[0][0] if tags else None
    first = next((v for _, v in failed if v.tag == tag), failed[0][1])
    lines = [f"✗ {q.id}: {len(failed)} of {len(cases)} cases wrong. First: {first.detail}"]
    if first.advice:
        lines.append(f"Diagnosis{f' ({tag})' if tag else ''}: {first.advice}")
    return Result(q.id, False, 0.0, float(q.points), "\n".join(lines), tag)


def _shapes(outputs: Outputs) -> list[tuple[int, ...]]:
    return [a.shape for a in outputs]


def _expected_vs_got(q: Question, case: Case, got: Outputs, expected: Outputs) -> str:
    if len(got) != len(expected):
        return f"expected {len(expected)} values, got {len(got)}"
    names = q.names if len(q.names) == len(expected) else [f"output {i}" for i in range(99)]
    for name, g, e in zip(names, got, expected, strict=False):
        if g.shape != e.shape:
            return f"{name} should have shape {e.shape}, got shape {g.shape}"
        if not close(q, case, (g,), (e,)):
            label = "" if len(expected) == 1 else f"{name}: "
            return f"{label}expected {_few(e)}, got {_few(g)}"
    return "the values differ"


def _few(a: np.ndarray) -> str:
    flat = a.ravel()
    text = np.array2string(flat[:4], precision=4, separator=", ", suppress_small=True)
    if a.ndim == 0:
        return f"{float(a):.6g}"
    return text[:-1] + ", …]" if flat.size > 4 else text
