"""The practice path on every answer in tests/grader_answers/: right answers pass, wrong
answers fail with the misconception their header names."""

from __future__ import annotations

import sys

import pytest
from grader_answers.support import ALL, RIGHT, WRONG

from grader import QUESTIONS, evaluate


@pytest.fixture(autouse=True)
def _recursion_limit():
    """Some answers raise the recursion limit when they load (a mistake on purpose): keep it
    from outliving the test, or later tests recurse deep enough to crash the interpreter."""
    limit = sys.getrecursionlimit()
    yield
    sys.setrecursionlimit(limit)


@pytest.mark.parametrize("section", RIGHT, ids=lambda s: s.name)
def test_right_answer_passes(section):
    result = evaluate(section.question, section.load())
    assert result.passed, result.feedback
    assert result.score == result.max_score == QUESTIONS[section.question].points


@pytest.mark.parametrize("section", WRONG, ids=lambda s: s.name)
def test_wrong_answer_fails_with_its_diagnosis(section):
    result = evaluate(section.question, section.load())
    assert not result.passed
    assert result.score == 0
    assert result.misconception == section.tag, result.feedback


def test_every_question_has_three_right_and_eight_wrong_answers():
    for qid in QUESTIONS:
        assert sum(s.question == qid for s in RIGHT) >= 3, qid
        assert sum(s.question == qid for s in WRONG) >= 8, qid
    assert {s.question for s in ALL} == set(QUESTIONS)


def test_nineteen_wrong_answers_in_twenty_get_a_diagnosis():
    # Each wrong answer's exact tag is checked above; this says how many have one at all.
    assert sum(s.tag is not None for s in WRONG) >= 0.95 * len(WRONG)
