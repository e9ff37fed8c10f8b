"""The question catalog: one entry per exercise id, collected from one module per lesson.

To add a question, add a `Question` to the `QUESTIONS` tuple of its lesson's module (and its
right and wrong answers to tests/grader_answers/); nothing else in the grader changes."""

from __future__ import annotations

from ..spec import Question
from . import (
    chain_rule,
    complexity,
    control_flow,
    forward_mode,
    graphs,
    higher_order,
    in_practice,
    reverse_mode,
    three_ways,
    training,
    value,
)

_MODULES = (
    chain_rule,
    three_ways,
    graphs,
    forward_mode,
    reverse_mode,
    value,
    training,
    complexity,
    in_practice,
    control_flow,
    higher_order,
)

QUESTIONS: dict[str, Question] = {q.id: q for m in _MODULES for q in m.QUESTIONS}


def lesson_questions(lesson: str) -> list[Question]:
    """The questions of a lesson folder such as `01_chain_rule`, in catalog order."""
    return [q for q in QUESTIONS.values() if q.lesson == lesson]


__all__ = ["QUESTIONS", "lesson_questions"]
