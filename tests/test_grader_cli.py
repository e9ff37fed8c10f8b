"""The official path, `python -m grader`: notebooks built from the answers in
tests/grader_answers/ are graded in the sandbox, with the same verdicts as the practice path."""

from __future__ import annotations

import csv
import json

import pytest
from grader_answers.support import RIGHT, WRONG, notebook, run_grader, run_main

from grader import QUESTIONS
from grader.report import NBGRADER_COLUMNS

RECORD_KEYS = {"submission", "student", "assignment", "questions", "total", "max_total", "errors"}
QUESTION_KEYS = {"id", "passed", "score", "max_score", "feedback", "misconception"}


# Questions with answers in tests/grader_answers/ (test_grader_answers requires all of them).
ANSWERED = [qid for qid in QUESTIONS if any(s.question == qid for s in WRONG)]


def _variant(sections, k):
    """Cells answering every question with its k-th answer of `sections` (cycling)."""
    cells = []
    for qid in ANSWERED:
        mine = [s for s in sections if s.question == qid]
        cells += list(mine[k % len(mine)].cells)
    return cells


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    root = tmp_path_factory.mktemp("batch")
    for k in range(3):
        notebook(_variant(RIGHT, k), path=root / "subs" / f"right{k}.ipynb")
    notebook(_variant(WRONG, 0), path=root / "subs" / "wrong0.ipynb")
    out, grades = root / "results.json", root / "grades.csv"
    done = run_grader(
        "grade",
        str(root / "subs"),
        "--out",
        str(out),
        "--csv",
        str(grades),
        "--jobs",
        "2",
        "--seed",
        "7",
        "--timeout",
        "20",
    )
    assert done.returncode == 0, done.stderr
    return root, json.loads(out.read_text()), done


def test_list_names_every_question():
    done = run_main("list")
    assert done.returncode == 0
    for qid, q in QUESTIONS.items():
        assert any(line.split()[:2] == [qid, q.lesson] for line in done.stdout.splitlines())


def test_right_answers_get_full_marks_through_grade(batch):
    _, records, _ = batch
    for record in records:
        if record["student"].startswith("right"):
            failed = [q["feedback"] for q in record["questions"] if not q["passed"]]
            assert not failed, "\n".join(failed)
            assert [q["id"] for q in record["questions"]] == ANSWERED
            points = sum(QUESTIONS[qid].points for qid in ANSWERED)
            assert record["total"] == record["max_total"] == points


def test_wrong_answers_get_the_same_diagnosis_through_grade(batch):
    _, records, _ = batch
    (record,) = [r for r in records if r["student"] == "wrong0"]
    expected = {qid: [s for s in WRONG if s.question == qid][0].tag for qid in ANSWERED}
    assert record["total"] == 0
    assert {q["id"]: q["misconception"] for q in record["questions"]} == expected


def test_json_and_csv_have_the_contract_shape(batch):
    root, records, done = batch
    assert len(records) == 4
    for record in records:
        assert RECORD_KEYS <= set(record)
        for q in record["questions"]:
            assert set(q) == QUESTION_KEYS
            assert "def " not in q["feedback"] and "torch.autograd.grad(" not in q["feedback"]
    with open(root / "grades.csv") as f:
        rows = list(csv.DictReader(f))
    assert tuple(rows[0]) == NBGRADER_COLUMNS
    assert {r["student_id"]: float(r["score"]) for r in rows} == {
        r["student"]: r["total"] for r in records
    }
    assert len([line for line in done.stdout.splitlines() if "/" in line]) >= 4  # summaries


def test_an_interrupted_batch_resumes_without_regrading(batch, tmp_path):
    root, records, _ = batch
    out = tmp_path / "results.json"
    out.write_text(json.dumps(records[:2]))  # as if the run had stopped after two
    again = run_grader("grade", str(root / "subs"), "--out", str(out), "--seed", "7")
    assert again.returncode == 0, again.stderr
    assert again.stdout.count("kept from the last run") == 2
    assert json.loads(out.read_text())[:2] == records[:2]
    assert len(json.loads(out.read_text())) == 4


def test_check_exits_zero_only_when_everything_passes(batch):
    root, _, _ = batch
    good = run_grader("check", str(root / "subs" / "right0.ipynb"))
    assert good.returncode == 0, good.stdout
    assert good.stdout.count("✓") == len(ANSWERED)
    bad = run_grader("check", str(root / "subs" / "wrong0.ipynb"))
    assert bad.returncode == 1
    assert "Diagnosis" in bad.stdout


def test_without_root_the_limits_still_apply(tmp_path, monkeypatch):
    """Without root there is no private file system view or user id: the same grading
    still runs in a child with resource limits, a scrubbed environment and its own folder."""
    from grader import runner
    from grader.sandbox import Limits

    monkeypatch.setattr(runner, "isolated", lambda: False)
    cells = [
        "import os\nassert 'GRADER_SEED' not in os.environ\n"
        "assert set(os.listdir('.')) <= {'output.log', '.matplotlib'}\n"
        "def grad_ex1(x, w, y):\n    return 2 * (x @ w - y) * x",
        "def grad_ex2(X, w, y):\n    while True:\n        pass",
    ]
    notebook(cells, path=tmp_path / "basic.ipynb")
    monkeypatch.setenv("GRADER_SEED", "123")
    grader = runner.Grader(1, Limits(timeout=2, load_timeout=20), hide=[tmp_path])
    record = grader.grade(runner.discover([tmp_path / "basic.ipynb"])[0])
    assert not record["errors"], record["errors"]
    tags = {q["id"]: (q["passed"], q["misconception"]) for q in record["questions"]}
    assert tags == {"grad_ex1": (True, None), "grad_ex2": (False, "timeout")}


def test_notebook_errors_name_real_faults_only(tmp_path):
    """Narrative cells that compare with torch (switched off while by-hand questions are graded)
    and a cell tagged to raise on purpose are not faults of the notebook; a real error is
    reported, once, though the notebook runs twice (by-hand and other questions)."""
    by_hand = next(s for s in RIGHT if QUESTIONS[s.question].by_hand)
    other = next(s for s in RIGHT if not QUESTIONS[s.question].by_hand)
    cells = ["import torch\nxt = torch.tensor([1.0, 2.0])\nprint(xt * 2)", "print(xt.sum())",
             *by_hand.cells, *other.cells, "raise ValueError('shown on purpose')", "1 / 0"]
    nb = notebook(cells)
    nb["cells"][-2]["metadata"]["tags"] = ["raises-exception"]
    path = tmp_path / "subs" / "narrative.ipynb"
    path.parent.mkdir()
    path.write_text(json.dumps(nb))
    done = run_grader("grade", str(path), "--out", str(tmp_path / "out.json"))
    assert done.returncode == 0, done.stderr
    (record,) = json.loads((tmp_path / "out.json").read_text())
    assert record["total"] == record["max_total"] > 0, record["questions"]
    assert record["errors"] == [f"cell {len(cells)}: ZeroDivisionError: division by zero"]
