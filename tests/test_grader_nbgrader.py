"""nbgrader integration on a small course made here: the repository's nbgrader_config.py,
one source notebook whose test cells call `grader.check`.  A blank release notebook scores 0
and the solution scores full marks, through `nbgrader autograde` and through `grade`."""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from grader_answers.support import REPO, RIGHT, notebook, run_grader

QUESTIONS = {"grad_ex1": 2, "jacobian_Ax": 2, "topo_sort": 3}
BIN = Path(sys.executable).parent


def _nbgrader(course: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PATH": f"{BIN}:{os.environ.get('PATH', '')}"}
    done = subprocess.run(
        [str(BIN / "nbgrader"), *args],
        cwd=course,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def _source_notebook(path: Path) -> None:
    """Solution cells wrapped in nbgrader's markers; a test cell per question."""
    cells = []
    for qid in QUESTIONS:
        answer = next(s for s in RIGHT if s.question == qid)
        cells.append("### BEGIN SOLUTION\n" + "".join(answer.cells) + "\n### END SOLUTION")
    notebook(cells, tests=list(QUESTIONS.items()), path=path)


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    if shutil.which("nbgrader", path=str(BIN)) is None:
        pytest.skip("nbgrader is not installed")
    course = tmp_path_factory.mktemp("course")
    shutil.copy(REPO / "nbgrader_config.py", course)
    _source_notebook(course / "solutions" / "ps1" / "ps1.ipynb")
    _nbgrader(course, "generate_assignment", "ps1", "--force")
    for student, origin in (("blank", course / "lessons"), ("solver", course / "solutions")):
        target = course / "submitted" / student / "ps1"
        target.mkdir(parents=True)
        shutil.copy(origin / "ps1" / "ps1.ipynb", target)
        _nbgrader(course, "db", "student", "add", student)
    _nbgrader(course, "autograde", "ps1", "--force")
    _nbgrader(course, "export", "--to", "nbgrader.csv")
    return course


def test_generate_assignment_writes_stubs_into_lessons(course):
    release = json.loads((course / "lessons" / "ps1" / "ps1.ipynb").read_text())
    code = "".join("".join(c["source"]) for c in release["cells"])
    assert "raise NotImplementedError()" in code
    assert "BEGIN SOLUTION" not in code and "def grad_ex1" not in code
    assert code.count('check("') == len(QUESTIONS)


def test_nbgrader_autograde_blank_zero_solution_full(course):
    with open(course / "nbgrader.csv") as f:
        scores = {r["student_id"]: float(r["score"]) for r in csv.DictReader(f)}
    assert scores == {"blank": 0.0, "solver": float(sum(QUESTIONS.values()))}


def test_grade_blank_zero_solution_full_in_nbgraders_csv_shape(course):
    done = run_grader("grade", "submitted", "--csv", "grades.csv", "--seed", "5", cwd=course)
    assert done.returncode == 0, done.stderr
    with open(course / "grades.csv") as f:
        rows = list(csv.DictReader(f))
    with open(course / "nbgrader.csv") as f:
        columns = next(csv.reader(f))
    assert list(rows[0]) == columns
    assert {r["student_id"]: (float(r["score"]), float(r["max_score"])) for r in rows} == {
        "blank": (0.0, 7.0),
        "solver": (7.0, 7.0),
    }
    records = json.loads((course / "results.json").read_text())
    blank = next(r for r in records if r["student"] == "blank")
    assert {q["misconception"] for q in blank["questions"]} == {"not_implemented"}
