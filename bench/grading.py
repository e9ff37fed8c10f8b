"""Grading speed: `python -m grader grade --jobs 2` (sandboxed) against `nbgrader autograde`
on the same generated submissions of one notebook, in the same run.  Not a test: it prints
seconds per submission.

    python bench/grading.py [--n 100] [--jobs 2]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from grader_answers.support import RIGHT, WRONG, notebook  # noqa: E402

QUESTIONS = {"grad_ex1": 2, "grad_ex2": 2, "jacobian_Ax": 2}


def submission(k: int) -> list[str]:
    """The k-th generated submission: a mix of right and wrong answers."""
    cells = []
    for i, qid in enumerate(QUESTIONS):
        pool = RIGHT if (k >> i) & 1 == 0 else WRONG
        mine = [s for s in pool if s.question == qid]
        cells.append("".join(mine[k % len(mine)].cells))
    return cells


def run(args: list[str], cwd: Path) -> float:
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}:{os.environ.get('PATH', '')}",
        "PYTHONPATH": str(REPO),
    }
    start = time.perf_counter()
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{args[:3]} failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=100, help="number of submissions")
    parser.add_argument("--jobs", type=int, default=2)
    opts = parser.parse_args()
    bin_dir = Path(sys.executable).parent
    with tempfile.TemporaryDirectory(prefix="grading-bench-") as tmp:
        course = Path(tmp)
        shutil.copy(REPO / "nbgrader_config.py", course)
        notebook(
            ["### BEGIN SOLUTION\n" + c + "\n### END SOLUTION" for c in submission(0)],
            tests=list(QUESTIONS.items()),
            path=course / "solutions" / "ps" / "ps.ipynb",
        )
        run([str(bin_dir / "nbgrader"), "generate_assignment", "ps", "--force"], course)
        students = [f"s{k:03d}" for k in range(opts.n)]
        for k, student in enumerate(students):
            notebook(
                submission(k),
                tests=list(QUESTIONS.items()),
                path=course / "submitted" / student / "ps" / "ps.ipynb",
            )
        (course / "students.csv").write_text("id\n" + "\n".join(students) + "\n")
        run([str(bin_dir / "nbgrader"), "db", "student", "import", "students.csv"], course)
        ours = run(
            [
                sys.executable,
                "-m",
                "grader",
                "grade",
                "submitted",
                "--jobs",
                str(opts.jobs),
                "--out",
                "ours.json",
                "--seed",
                "1",
            ],
            course,
        )
        theirs = run([str(bin_dir / "nbgrader"), "autograde", "ps", "--force"], course)
        run([str(bin_dir / "nbgrader"), "export", "--to", "theirs.csv"], course)
        agree = agreement(course / "ours.json", course / "theirs.csv")
    n = opts.n
    print(f"{n} submissions of a {len(QUESTIONS)}-question notebook")
    print(
        f"python -m grader grade --jobs {opts.jobs} (sandboxed): {ours:7.1f} s  "
        f"{ours / n:6.3f} s/submission"
    )
    print(
        f"nbgrader autograde:                        {theirs:7.1f} s  "
        f"{theirs / n:6.3f} s/submission"
    )
    print(f"ratio nbgrader / grader: {theirs / ours:.1f}x; same score on {agree}/{n} submissions")


def agreement(ours: Path, theirs: Path) -> int:
    """On how many submissions both graders give the same score."""
    mine = {r["student"]: r["total"] for r in json.loads(ours.read_text())}
    with open(theirs) as f:
        return sum(mine.get(r["student_id"]) == float(r["score"]) for r in csv.DictReader(f))


if __name__ == "__main__":
    main()
