"""What tests/test_lessons.py and tests/test_i18n.py both do to the shipped lessons, written
once: grade lesson notebooks through `python -m grader grade`, and take one lesson of a course
root (the repository's, or the Chinese edition's `zh/`) through nbgrader's instructor flow."""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
ENV = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ['PATH']}")  # nbgrader runs alembic


def grade(paths: list[Path], out: Path) -> dict[str, dict]:
    """Grade `paths` in one batch (two workers); the record of each, by its path as given."""
    out.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, "-m", "grader", "grade", *map(str, paths), "--out", str(out),
                    "--jobs", "2"], cwd=ROOT, check=True, capture_output=True)
    records = json.loads(out.read_text())
    records = records if isinstance(records, list) else records["submissions"]
    return {r["submission"]: r for r in records}


def nbgrader(course: Path, *args: str) -> None:
    """One nbgrader command in the course root `course`; it must succeed."""
    done = subprocess.run([str(BIN / "nbgrader"), *args, "--log-level=ERROR"], cwd=course,
                          env=ENV, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr


def nbgrader_flow(tmp_path: Path, edition: str, course_id: str, lesson: str,
                  feedback: bool = False) -> tuple[Path, Path, dict[str, tuple[float, float]]]:
    """generate, release, collect (a blank release and the solution), autograde, feedback (if
    asked) and export `lesson` in a copy of the course root `ROOT / edition` (whose config may
    load the repository's from the folder above).  Returns the course root, the released
    notebook and the exported {student: (score, max_score)}."""
    top, exchange = tmp_path / "course", tmp_path / "exchange"
    course = top / edition
    solution = ROOT / edition / "solutions" / lesson / f"{lesson}.ipynb"
    shutil.copytree(solution.parent, course / "solutions" / lesson)
    shutil.copy(ROOT / "nbgrader_config.py", top / "nbgrader_config.py")
    config = (ROOT / edition / "nbgrader_config.py").read_text()
    config += f"\nc.Exchange.root = {str(exchange)!r}\nc.Exchange.path_includes_course = True\n"
    (course / "nbgrader_config.py").write_text(config)
    exchange.mkdir()

    nbgrader(course, "generate_assignment", lesson, "--force")
    nbgrader(course, "release_assignment", lesson, "--force")
    released = exchange / course_id / "outbound" / lesson / f"{lesson}.ipynb"
    assert released.exists()
    for student, origin in (("blank", released), ("solver", solution)):
        target = course / "submitted" / student / lesson
        target.mkdir(parents=True)
        shutil.copy(origin, target / f"{lesson}.ipynb")
    (tmp_path / "students.csv").write_text("id\nblank\nsolver\n")  # both in one nbgrader run
    nbgrader(course, "db", "student", "import", str(tmp_path / "students.csv"))
    nbgrader(course, "autograde", lesson, "--force")
    if feedback:
        nbgrader(course, "generate_feedback", lesson, "--force")
    nbgrader(course, "export", "--to", "grades.csv")
    with open(course / "grades.csv") as f:
        scores = {r["student_id"]: (float(r["score"]), float(r["max_score"]))
                  for r in csv.DictReader(f)}
    return course, released, scores
