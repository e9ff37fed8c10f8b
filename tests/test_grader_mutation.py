"""Every rule a reference answer applies is exercised by the grader's cases: each single-site
mutant of it (tests/grader_mutation.py) is rejected, except the equivalent ones listed here
with the reason they compute the same answer.  `python tests/grader_mutation.py` prints the
mutation score per question."""

from __future__ import annotations

import pytest
from grader_mutation import mutants, reference, run_all_confined

from grader import QUESTIONS, evaluate

_SQUARE = "the residual is squared: (a - b)² = (b - a)²"
_REDUNDANT = "a second visited test guards the same stack; the other one still de-duplicates"
EQUIVALENT: dict[str, dict[str, str]] = {
    "grad_ex1": {"swap line 4: arguments swapped": "np.dot(x, w) = np.dot(w, x) for vectors"},
    "central_difference": {"factor line 3: 1e-06 doubled": "the default h; the grader passes h"},
    "numerical_jvp": {"factor line 1: 1e-06 doubled": "the default h; the grader passes h"},
    "derivative": {
        "factor line 3: returned value 0 doubled": "the derivative of a number is 0 = 2·0",
        "sign line 3: returned value 0 negated": "the derivative of a number is 0 = -0",
    },
    "topo_sort": {"dedup line 10: membership test removed": _REDUNDANT},
    "count_paths": {
        "dedup line 7: membership test removed": _REDUNDANT + " (and the dict keys are unique)",
        "dedup line 10: membership test removed": _REDUNDANT,
        "factor line 11: returned value 0 doubled": "the order becomes a dict's keys: a list "
        "repeated twice gives the same keys",
    },
    "explicit_ex2": {"swap line 7: operands swapped": _SQUARE},
    "Value": {"swap line 73: arguments swapped": "max(a, 0.0) = max(0.0, a)"},
    "checkpointed_vjp": {"swap line 15: arguments swapped": "min(a, b) = min(b, a)"},
    "huber_grad": {
        "factor line 5: 2 doubled": "delta/2 is a constant offset of h: no effect on its gradient",
        "sign line 5: + and - exchanged": "±delta/2 is a constant offset: same gradient",
        "swap line 5: operands swapped": "2/delta instead of delta/2: a constant offset again",
    },
    "newton_sqrt_grad": {
        "factor line 6: 1e-10 doubled": "the stopping tolerance: 2e-10 converges as well, within "
        "the grading tolerance",
        "swap line 6: operands swapped": "|y·y - x| = |x - y·y|",
    },
    "microbatch_grad": {"swap line 9: operands swapped": _SQUARE},
}


@pytest.fixture(scope="module")
def scores():
    return run_all_confined()


@pytest.mark.parametrize("question_id", list(QUESTIONS))
def test_every_mutant_of_the_reference_answer_is_rejected(question_id, scores):
    section = reference(question_id)
    assert evaluate(question_id, section.load()).passed  # the unmutated answer passes
    count, alive = scores[question_id]
    assert count >= 2, "too few mutation sites: the reference answer exercises nothing"
    unexplained = sorted(set(alive) - set(EQUIVALENT.get(question_id, {})))
    score = f"{question_id}: {count - len(alive)}/{count} mutants rejected"
    assert not unexplained, f"{score}; accepted: {unexplained}"


def test_the_listed_equivalent_mutants_exist():
    # a stale entry would hide a real survivor after the reference answer changes
    for question_id, labels in EQUIVALENT.items():
        found = {m.label for m in mutants(reference(question_id).cells[-1])}
        assert set(labels) <= found, question_id


def test_a_mutant_of_each_kind_is_made():
    source = (
        "import numpy as np\n"
        "def f(x, y, seen):\n"
        "    g = 0\n"
        "    g += np.sin(x) @ y.T - 3 * x\n"
        "    if x in seen:\n"
        "        return -g\n"
        "    return g / y\n"
    )
    kinds = {m.label.split()[0] for m in mutants(source)}
    assert kinds == {"factor", "sign", "transpose", "swap", "rule", "accumulate", "dedup"}
