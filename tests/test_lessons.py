"""The lessons: every lecture topic is taught and graded; notebooks are clean and in sync.

The notebooks themselves are executed by nbval (``pytest solutions --nbval-lax``, part of
``make test``); this file checks their structure, that ``lessons/`` is exactly what
``make lessons`` (nbgrader generate_assignment) produces, and their scores through the grader.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import nbformat
import pytest
from lesson_flows import ROOT, nbgrader, nbgrader_flow

from grader.questions import lesson_questions

# lesson -> the topics of COURSE.md's table, each as a phrase that must appear in a heading.
TOPICS = {
    "01_chain_rule": ["scalar chain rule", "shape", "numerator layout", "example 1",
                      "example 2"],
    "02_three_ways": ["symbolic", "numerical", "automatic", "finite-difference error"],
    "03_computational_graphs": ["operators", "explicit", "implicit", "drawing",
                                "topological order"],
    "04_forward_mode": ["forward accumulation", "dual numbers", "baydin"],
    "05_reverse_mode": ["forward pass", "backward pass", "pruning", "fan-out",
                        "un-broadcasting", "small engine"],
    "06_complexity": ["time", "memory", "jacobian"],
    "07_autograd_in_practice": ["requires_grad_", "backward", "zero_", "non-scalar", "detach",
                                "retain_graph"],
    "08_control_flow": ["while", "if", "vector inputs", "piecewise", "function of your own"],
    "09_higher_order_and_qa": ["create_graph", "hessian-vector", "jacobian", "q&a"],
}
LESSONS = sorted(TOPICS)


def solution(lesson: str) -> Path:
    return ROOT / "solutions" / lesson / f"{lesson}.ipynb"


def release(lesson: str) -> Path:
    return ROOT / "lessons" / lesson / f"{lesson}.ipynb"


def headings(nb: nbformat.NotebookNode) -> list[str]:
    return [line.lstrip("#").strip().lower() for cell in nb.cells if cell.cell_type == "markdown"
            for line in cell.source.splitlines() if line.startswith("#")]


def graded_cells(nb: nbformat.NotebookNode) -> list[nbformat.NotebookNode]:
    return [c for c in nb.cells if c.get("metadata", {}).get("nbgrader", {}).get("grade")]


@pytest.mark.parametrize("lesson", LESSONS)
def test_every_topic_has_a_section(lesson):
    heads = headings(nbformat.read(solution(lesson), as_version=4))
    missing = [t for t in TOPICS[lesson] if not any(t in h for h in heads)]
    assert not missing, f"{lesson}: no heading mentions {missing}"


@pytest.mark.parametrize("lesson", LESSONS)
def test_every_catalog_exercise_is_graded_in_its_lesson(lesson):
    nb = nbformat.read(solution(lesson), as_version=4)
    grade_ids = {c.metadata.nbgrader.get("grade_id") for c in graded_cells(nb)}
    expected = {f"test_{q.id}" for q in lesson_questions(lesson)}
    assert expected <= grade_ids, f"{lesson}: missing test cells {expected - grade_ids}"
    assert 3 <= len(grade_ids) <= 6, f"{lesson}: {len(grade_ids)} graded exercises"


@pytest.mark.parametrize("lesson", LESSONS)
def test_notebooks_are_stored_without_outputs(lesson):
    for path in (solution(lesson), release(lesson)):
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            if cell.cell_type == "code":
                assert cell.outputs == [] and cell.execution_count is None, path


def test_lessons_are_what_make_lessons_generates(tmp_path):
    course = tmp_path / "course"
    shutil.copytree(ROOT / "solutions", course / "solutions")
    shutil.copy(ROOT / "nbgrader_config.py", course / "nbgrader_config.py")
    # `make lessons` runs generate_assignment once per lesson; "*" runs the same conversion of
    # every lesson in one nbgrader process (each process spends about 2 s starting up)
    nbgrader(course, "generate_assignment", "*", "--force")
    for lesson in LESSONS:
        fresh = nbformat.read(course / "lessons" / lesson / f"{lesson}.ipynb", as_version=4)
        shipped = nbformat.read(release(lesson), as_version=4)
        assert [c.source for c in fresh.cells] == [c.source for c in shipped.cells], (
            f"lessons/{lesson} is out of date: run `make lessons`")


def test_solutions_score_full_marks_and_lessons_score_zero(lesson_grades):
    for lesson in LESSONS:
        r = lesson_grades[str(solution(lesson))]
        assert r["total"] == r["max_total"] > 0, (r["submission"], r["questions"])
        assert r["errors"] == [], (r["submission"], r["errors"])  # nothing to report
    for lesson in LESSONS:
        r = lesson_grades[str(release(lesson))]
        assert r["total"] == 0, (r["submission"], r["questions"])


def test_no_hidden_test_code_in_the_release():
    for lesson in LESSONS:
        text = release(lesson).read_text()
        assert "BEGIN HIDDEN TESTS" not in text and "BEGIN SOLUTION" not in text
        assert not re.search(r"### (BEGIN|END) ", text)


def test_nbgrader_flow_on_a_shipped_lesson(tmp_path):
    """generate, release, collect, autograde, feedback and export on lesson 01 as shipped:
    the solution scores full marks and the untouched release scores 0."""
    lesson = "01_chain_rule"
    course, _, scores = nbgrader_flow(tmp_path, "", "minigrad-course", lesson, feedback=True)
    points = sum(q.points for q in lesson_questions(lesson))
    assert scores == {"blank": (0.0, points), "solver": (points, points)}
    hidden = [line.strip() for cell in nbformat.read(solution(lesson), as_version=4).cells
              if "BEGIN HIDDEN TESTS" in cell.source
              for line in cell.source.split("### BEGIN HIDDEN TESTS")[1].splitlines()[1:-1]]
    assert hidden
    for student in ("blank", "solver"):
        html = (course / "feedback" / student / lesson / f"{lesson}.html").read_text()
        text = re.sub(r"<[^>]+>", "", html).replace("&quot;", '"').replace("&#34;", '"')
        assert "HIDDEN TESTS" not in text
        assert not any(line in text for line in hidden), student
