"""The practice path's promises (quiet, never raising for a bad answer, by-hand policy) and the
pieces the sandbox relies on (the catalog as data, the wire format, the notebook reader)."""

from __future__ import annotations

import json
import sys
import warnings

import numpy as np
import pytest
from grader_answers.support import notebook

import grader.practice
from grader import MISCONCEPTIONS, QUESTIONS, check, evaluate, wire
from grader import notebook as nbreader
from grader.spec import case_rng


def right(x, w, y):
    return 2 * (x @ w - y) * x


def noisy_wrong(x, w, y):
    warnings.warn("a student's warning", UserWarning, stacklevel=1)
    print("debug output on stderr", file=sys.stderr)
    np.log(-1.0)  # a numpy RuntimeWarning too
    return (x @ w - y) * x


def test_check_is_quiet_and_friendly_on_success(capsys):
    assert check("grad_ex1", right) is None
    out, err = capsys.readouterr()
    assert out.startswith("✓ grad_ex1") and err == ""


def test_check_raises_with_a_diagnosis_and_never_writes_to_stderr(capsys):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a warning escaping check would fail this test
        with pytest.raises(AssertionError) as raised:
            check("grad_ex1", noisy_wrong)
    out, err = capsys.readouterr()
    assert err == "" and out == ""
    message = str(raised.value)
    assert "expected [" in message and "got [" in message and "x (3,)" in message
    assert "Diagnosis (missing_factor)" in message
    assert "Hidden while checking" in message


@pytest.mark.parametrize(
    "answer, tag",
    [
        (lambda x, w, y: sys.exit(3), "exception"),
        (lambda x, w, y: None, "not_implemented"),
        (lambda x, w, y: object(), "garbled"),
        (lambda x, w, y: [[1, 2], [3]], "garbled"),
        (lambda x, w, y: float("nan") * x, None),
        (42, "exception"),
    ],
)
def test_evaluate_never_raises_for_a_bad_answer(answer, tag):
    result = evaluate("grad_ex1", answer)
    assert not result.passed and result.score == 0 and result.misconception == tag


def test_unknown_question_is_a_programming_error():
    with pytest.raises(ValueError, match="grad_ex1"):
        evaluate("no_such_question", right)


def test_by_hand_questions_refuse_autograd_and_restore_it():
    import torch

    def with_torch(x, w, y):
        w = torch.tensor(w, requires_grad=True)
        ((torch.tensor(x) @ w - y) ** 2).backward()
        return w.grad

    def with_minigrad(x, w, y):
        import minigrad

        w = minigrad.tensor(w, dtype=minigrad.float64, requires_grad=True)
        ((minigrad.tensor(x, dtype=minigrad.float64) @ w - y) ** 2).backward()
        return w.grad

    for answer in (with_torch, with_minigrad):
        result = evaluate("grad_ex1", answer)
        assert not result.passed and "switched off" in result.feedback
    t = torch.ones(2, requires_grad=True)
    t.sum().backward()  # restored after grading
    assert t.grad.tolist() == [1.0, 1.0]


def test_by_hand_questions_refuse_an_op_rule_called_directly():
    """A by-hand answer that calls minigrad's own derivative rule (``Dot.backward``, the
    gradient of x.w with respect to w) skips the exercise: it is switched off too."""
    from minigrad.ops.linalg import Dot

    def with_a_rule(x, w, y):
        (_, dw) = Dot().backward(2 * (x @ w - y), x, w)
        return dw

    result = evaluate("grad_ex1", with_a_rule)
    assert not result.passed and "switched off" in result.feedback
    assert "Dot.backward" in result.feedback


def test_practice_path_stops_an_endless_answer(monkeypatch):
    monkeypatch.setattr(grader.practice, "PRACTICE_TIMEOUT", 0.3)

    def endless(x, w, y):
        while True:
            pass

    assert evaluate("grad_ex1", endless).misconception == "timeout"


def test_the_catalog_is_data():
    by_hand = {"01_chain_rule", "02_three_ways", "04_forward_mode", "05_reverse_mode"}
    for qid, q in QUESTIONS.items():
        assert q.signature.startswith(qid + "(") and q.points > 0
        assert q.by_hand or q.lesson not in by_hand, qid  # those lessons are by hand
        assert all(w.tag in MISCONCEPTIONS for w in q.wrong)
        cases = q.draw(case_rng(1, qid))
        again, other = q.draw(case_rng(1, qid)), q.draw(case_rng(2, qid))
        assert json.dumps(wire.encode([c.args for c in cases])) == json.dumps(
            wire.encode([c.args for c in again])
        )
        assert json.dumps(wire.encode([c.args for c in cases])) != json.dumps(
            wire.encode([c.args for c in other])
        )


@pytest.mark.parametrize(
    "encoded",
    [
        {"__nd__": "float64", "shape": [2], "data": ["1", 2.0]},
        {"__nd__": "float64", "shape": [3], "data": [1.0, 2.0]},
        {"__nd__": "object", "shape": [1], "data": [1.0]},
        {"__nd__": "float64", "shape": [1], "data": [[1.0]]},
        {"__nd__": "float64", "shape": [-1], "data": []},
        [1.0, 2.0],
    ],
)
def test_the_wire_accepts_numbers_only(encoded):
    with pytest.raises(ValueError):
        wire.array(encoded, "float64")


def test_notebook_reader_skips_test_cells_and_finds_answers(tmp_path):
    path = tmp_path / "nb.ipynb"
    cells = ["%matplotlib inline\ndef grad_ex1(x, w, y):\n    return x", "from grader import check"]
    notebook(cells, tests=[("jacobian_Ax", 2)], path=path)
    nb = nbreader.read(path)
    assert nb.tested == ["jacobian_Ax"] and nb.defined == ["grad_ex1"]
    assert len(nb.cells) == 1 and "get_ipython()" in nb.cells[0]
    assert nbreader.questions_of(nb, "01_chain_rule") == ["grad_ex1", "grad_ex2", "jacobian_Ax"]
