"""Judging: compare what the student's code produced with the torch reference, recognise known
mistakes, and write feedback a student can act on.  Runs only in the trusted process."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from . import policy
from .messages import case_label, from_child, text
from .spec import Case, Outputs, Question, Verdict, Wrong, as_outputs, forbidden

# Failures that are themselves a diagnosis: the kind (an exception's type name, or what the
# runner saw) -> misconception tag.  `InputChanged`, `Unreadable` and `WrongCount` are raised by
# the grader's drivers, not by the student's code.
ERROR_TAGS = {
    "RecursionError": "recursion_limit",
    "NotImplementedError": "not_implemented",
    "MemoryError": "memory",
    "InputChanged": "mutates_input",
    "Unreadable": "garbled",
    "WrongCount": "wrong_shape",
    "timeout": "timeout",
    "crashed": "crashed",
    "memory": "memory",
}

# Exceptions a student's code causes, recognised by a phrase of their message:
# (exception type or "", phrase, misconception tag, advice message id, and a pattern the question's
# task must match for the advice to apply).
ERROR_PHRASES = (
    ("ValueError", "truth value of an array", "control_flow", "advice.control_flow", ""),
    ("RuntimeError", "Boolean value of Tensor", "control_flow", "advice.control_flow", ""),
    ("", "does not require grad and does not have a grad_fn", "chain_rule",
     "advice.create_graph", "double backward|create_graph"),
    ("ValueError", "mismatch in its core dimension", "transposed", "advice.transposed_matmul", ""),
    ("ValueError", "not aligned", "transposed", "advice.transposed_matmul", ""),
    ("RuntimeError", "cannot be multiplied", "transposed", "advice.transposed_matmul", ""),
    ("RuntimeError", "size mismatch, got input", "transposed", "advice.transposed_matmul", ""),
    ("ValueError", "could not be broadcast", "broadcast_not_reduced", "advice.broadcast", ""),
    ("ValueError", "non-broadcastable output", "broadcast_not_reduced", "advice.broadcast", ""),
    ("RuntimeError", "must match the size", "broadcast_not_reduced", "advice.broadcast", ""),
    ("TypeError", "unsupported operand type", "not_implemented", "advice.reflected", ""),
    ("IndexError", "", "wrong_shape", "advice.index", ""),
    ("ZeroDivisionError", "", "exception", "advice.zero_division", ""),
)


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
    Wrong("transposed", "generic.transposed", lambda c, e: tuple(a.T for a in e)),
    Wrong("sign", "generic.sign", lambda c, e: tuple(-a for a in e)),
    Wrong("missing_factor", "generic.half", lambda c, e: tuple(a / 2 for a in e)),
    Wrong("double_counting", "generic.twice", lambda c, e: tuple(a * 2 for a in e)),
    Wrong("wrong_dtype", "advice.wrong_dtype", lambda c, e: tuple(np.trunc(a) for a in e)),
)


def _one_output(count: int) -> list[Wrong]:
    """The generic mistakes made in one output only (the others left free), for questions
    with several outputs.  Counts (integer outputs) and outputs the mistake leaves unchanged
    are not candidates."""

    def variant(w: Wrong, i: int) -> Callable[[Case, Outputs], tuple[Any, ...]]:
        def output(c: Case, e: Outputs) -> tuple[Any, ...]:
            changed = np.asarray(w.output(c, e)[i], dtype=np.float64)
            if np.all(e[i] == np.round(e[i])) or np.allclose(changed, e[i]):
                raise ValueError("does not apply")
            return tuple(changed if j == i else None for j in range(len(e)))

        return output

    if count < 2:
        return []
    return [Wrong(w.tag, w.advice, variant(w, i)) for w in GENERIC if w.tag != "transposed"
            for i in range(count)]


def diagnose(q: Question, case: Case, got: Outputs, expected: Outputs) -> Wrong | None:
    """The first known mistake (the question's own bank, then generic ones) that reproduces
    `got` on this case and differs from the right answer there."""
    for wrong in (*q.wrong, *GENERIC, *_one_output(len(expected))):
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
    """None when the case passes, else what went wrong (`where` names the case)."""
    where = f"{number} ({case_label(case.label)})"
    v: Verdict | None
    if isinstance(outcome, Failure):
        v = failure_verdict(q, outcome)
    elif q.judge is not None:
        v = q.judge(case, outcome, expected)
    else:
        v = compare(q, case, outcome, expected)
    return None if v is None else Verdict(v.detail, v.tag, v.advice, where)


def compare(q: Question, case: Case, got: Outputs, expected: Outputs) -> Verdict | None:
    """The usual judgement: None when close, else expected vs got and the known mistake."""
    if close(q, case, got, expected):
        return None
    wrong = diagnose(q, case, got, expected)
    detail = _expected_vs_got(q, case, got, expected)
    if wrong is not None:
        return Verdict(detail, wrong.tag, advice_text(wrong.advice))
    if _shapes(got) != _shapes(expected):
        reshaped = [g.reshape(e.shape) if g.size == e.size else g for g, e in zip(got, expected,
                                                                               strict=False)]
        if len(got) == len(expected) and close(q, case, tuple(reshaped), expected):
            return Verdict(detail, "wrong_shape", text("advice.reshape", shapes=", ".join(
                str(e.shape) for e in expected)))
        flipped = tuple(g.T if g.shape != e.shape else g for g, e in zip(got, expected,
                                                                         strict=False))
        if len(got) == len(expected) and close(q, case, flipped, expected):
            return Verdict(detail, "transposed", text("generic.transposed"))
        summed = tuple(_sum_to(g, e.shape) for g, e in zip(got, expected, strict=False))
        if len(got) == len(expected) and close(q, case, summed, expected):
            return Verdict(detail, "broadcast_not_reduced", text("advice.unreduced"))
        return Verdict(detail, "wrong_shape", text(q.advice.get("wrong_shape",
                                                                "advice.wrong_shape")))
    return Verdict(detail)


def advice_text(advice: str) -> str:
    """A `Wrong`'s advice: a message id of the catalog, or (older entries) the sentence."""
    from .messages import MESSAGES

    return text(advice) if advice in MESSAGES else advice


def failure_verdict(q: Question, f: Failure) -> Verdict:
    """What a case that produced no outputs means: the method, a limit, or an exception."""
    if f.kind == "missing":
        return Verdict(text("case.missing", id=q.id), "not_implemented",
                       text("advice.define", signature=q.signature))
    said = from_child(f.message)  # the child writes English; say it in the student's language
    if f.kind == "refused":
        return Verdict(text("case.refused", message=said), "wrong_method",
                       text(f"method.{_refused_tool(q, f.message)}"))
    if f.kind in ("timeout", "crashed", "memory"):
        tag = ERROR_TAGS[f.kind]
        return Verdict(said, tag, text(q.advice.get(tag, f"advice.{tag}")))
    message = _first_sentence(said)
    if f.kind in ("Unreadable", "WrongCount", "InputChanged"):  # found by the grader's driver
        detail = {"Unreadable": text("case.unreadable", reason=message),
                  "InputChanged": text("case.mutated", name=message[:40])}.get(f.kind, message)
        tag = ERROR_TAGS[f.kind]
        advice = (text("advice.count", count=len(q.names), names=", ".join(q.names))
                  if f.kind == "WrongCount" else text(q.advice.get(tag, f"advice.{tag}")))
        return Verdict(detail, tag, advice)
    detail = text("case.raised", error=f"{f.kind}: {message}" if message else f.kind)
    for kind, phrase, tag, advice, task in ERROR_PHRASES:
        if kind in ("", f.kind) and phrase.lower() in f.message.lower() and re.search(task, q.task):
            return Verdict(detail, tag, text(q.advice.get(tag, advice)))
    tag = ERROR_TAGS.get(f.kind, "exception")
    return Verdict(detail, tag, text(f"advice.{tag}") if tag != "exception" else "")


def _refused_tool(q: Question, message: str) -> str:
    """Which of the question's forbidden tools a refusal message is about."""
    tools = forbidden(q)
    for tool in tools:
        if any(point in message for point in policy.TOOLS[tool]):
            return tool
    return tools[0] if tools else "autograd"


def _first_sentence(message: str, limit: int = 160) -> str:
    """The key phrase of an exception's message: minigrad's teaching paragraph after it
    ("In minigrad: ...") is advice for another situation, and long messages wrap badly."""
    message = " ".join(message.split("In minigrad:")[0].split())
    return message if len(message) <= limit else message[: limit - 1] + "…"


def assess(
    q: Question, cases: Sequence[Case], outcomes: Sequence[Outcome], expected: Sequence[Outputs]
) -> Result:
    """Grade a question from one outcome per case (all or nothing).  The feedback is three
    short lines: the first failing case, what was expected and what came back, the advice."""
    verdicts = [
        (i, verdict(q, i + 1, c, o, e))
        for i, (c, o, e) in enumerate(zip(cases, outcomes, expected, strict=True))
    ]
    failed = [v for _, v in verdicts if v is not None]
    if not failed:
        feedback = text("result.pass", id=q.id, cases=len(cases), points=q.points)
        return Result(q.id, True, float(q.points), float(q.points), feedback, None)
    tags = Counter(v.tag for v in failed if v.tag)
    tag = tags.most_common(1)[0][0] if tags else None
    first = next((v for v in failed if v.tag == tag), failed[0])
    lines = [
        text("result.fail", id=q.id, failed=len(failed), cases=len(cases), where=first.where),
        first.detail,
    ]
    if first.advice:
        key = "result.diagnosis" if tag else "result.advice"
        lines.append(text(key, tag=tag, advice=first.advice))
    return Result(q.id, False, 0.0, float(q.points), "\n".join(lines), tag)


def _sum_to(g: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """`g` summed over the axes broadcasting would add or stretch to reach it from `shape`
    (returned unchanged when it cannot have come from `shape`)."""
    extra = g.ndim - len(shape)
    if extra < 0 or any(s not in (1, n) for s, n in zip(shape, g.shape[extra:], strict=True)):
        return g
    g = g.sum(axis=tuple(range(extra)))
    stretched = tuple(i for i, s in enumerate(shape) if s == 1 and g.shape[i] != 1)
    return g.sum(axis=stretched, keepdims=True) if stretched else g


def _shapes(outputs: Outputs) -> list[tuple[int, ...]]:
    return [a.shape for a in outputs]


def _expected_vs_got(q: Question, case: Case, got: Outputs, expected: Outputs) -> str:
    if len(got) != len(expected):
        return text("case.count", expected=len(expected), got=len(got))
    names = q.names if len(q.names) == len(expected) else [f"output {i}" for i in range(99)]
    for name, g, e in zip(names, got, expected, strict=False):
        if g.shape != e.shape:
            return text("case.shape", name=name, expected=e.shape, got=g.shape)
        if not close(q, case, (g,), (e,)):
            label = "" if len(expected) == 1 else f"{name}: "
            shown_e, shown_g = _few(e), _few(g)
            if shown_e != shown_g or not np.all(np.isfinite(g)):
                return text("case.values", name=label, expected=shown_e, got=shown_g)
            error = np.abs(g - e)
            relative = error / np.maximum(np.abs(e), np.finfo(float).tiny)
            return text("case.close_print", name=label, expected=shown_e, got=shown_g,
                        abs=float(error.max()), rel=float(relative.max()))
    return text("case.differs")


def _few(a: np.ndarray) -> str:
    """At most four numbers of `a`, flattened, each printed whole (lines break between
    numbers, never inside one)."""
    if a.ndim == 0:
        return f"{float(a):.6g}"
    flat = a.ravel()
    numbers = ", ".join(f"{float(v):.4g}" for v in flat[:4])
    return f"[{numbers}, …]" if flat.size > 4 else f"[{numbers}]"
