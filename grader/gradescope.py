"""A Gradescope autograder for one lesson: `python -m grader gradescope LESSON --out F.zip`.

Gradescope builds an image from the zip (running `setup.sh` once), then for each submission
runs `run_autograder` with the student's files in `<root>/submission` and reads
`<root>/results/results.json` (root `/autograder`).  The bundle holds:

* `course/`: the course's own packages (minigrad, grader) and pyproject, installed by
  `setup.sh` from the bundle itself;
* `wheels/` (optional, `--wheels DIR`): wheels of the dependencies, so that `setup.sh`
  installs offline first and reaches the network only for what is missing;
* `config.json`: the lesson, the limits and the secret seed of the hidden inputs;
* `run_autograder`: calls `python -m grader gradescope-run`, which is `run` below.

Each question becomes two Gradescope tests.  "(your notebook's inputs)" grades the answer on
the inputs of the notebook's own self-check, 0 points, visible at once: the student sees what
`check` would say.  "(hidden inputs)" grades it on inputs drawn from the secret seed for this
submission, with the question's points, visible only after the grades are published.  A test's
output is the grader's feedback, with the misconception's advice when one is diagnosed.
"""

from __future__ import annotations

import json
import secrets
import shutil
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Any

from . import runner
from .practice import PRACTICE_SEED
from .questions import QUESTIONS
from .sandbox import ROOT, Limits

SCHEMA = Path(__file__).with_name("gradescope_schema.json")
LESSONS = sorted({q.lesson for q in QUESTIONS.values()})

SETUP_SH = """\
#!/usr/bin/env bash
# Installs the course from this bundle: wheels/ first (offline), the package index only for
# what is missing.  Gradescope runs this once, as root, when it builds the image.
set -euo pipefail
cd "$(dirname "$0")"
PY=python3
if command -v python3.11 >/dev/null; then PY=python3.11; fi
"$PY" -m venv /opt/grader-venv
PIP=(/opt/grader-venv/bin/python -m pip)
if [ -d wheels ] && "${PIP[@]}" install --no-index --find-links wheels "./course[torch]"; then
  echo "setup.sh: installed offline from the bundle's wheels"
elif [ -d wheels ]; then
  echo "setup.sh: wheels missing from the bundle; the rest from the package index"
  "${PIP[@]}" install --find-links wheels "./course[torch]"
else
  "${PIP[@]}" install "./course[torch]"
fi
"""

RUN_AUTOGRADER = """\
#!/usr/bin/env bash
# Grades <root>/submission and writes <root>/results/results.json (root: /autograder, or
# GRADESCOPE_ROOT).  PYTHON may name another interpreter (the tests set it).
set -euo pipefail
ROOT="${GRADESCOPE_ROOT:-/autograder}"
PY="${PYTHON:-/opt/grader-venv/bin/python}"
exec "$PY" -m grader gradescope-run --root "$ROOT"
"""


def build(lesson: str, out: Path, seed: int | None = None, wheels: Path | None = None) -> Path:
    """Write the autograder zip for `lesson`."""
    if lesson not in LESSONS:
        raise SystemExit(f"unknown lesson {lesson!r}: one of {', '.join(LESSONS)}")
    config = {
        "lesson": lesson,
        "seed": seed if seed is not None else secrets.randbits(62),
        "limits": {"timeout": 10.0, "load_timeout": 60.0, "memory_mb": 2048},
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        _add(z, "setup.sh", SETUP_SH, executable=True)
        _add(z, "run_autograder", RUN_AUTOGRADER, executable=True)
        _add(z, "config.json", json.dumps(config, indent=1) + "\n")
        for name in ("pyproject.toml", "README.md"):
            z.write(ROOT / name, f"course/{name}")
        for package in ("minigrad", "grader"):
            for path in sorted((ROOT / package).rglob("*")):
                if path.is_file() and "__pycache__" not in path.parts:
                    z.write(path, f"course/{path.relative_to(ROOT)}")
        for wheel in sorted(wheels.glob("*.whl")) if wheels else []:
            z.write(wheel, f"wheels/{wheel.name}")
    return out


def _add(z: zipfile.ZipFile, name: str, text: str, executable: bool = False) -> None:
    info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
    info.external_attr = (0o100755 if executable else 0o100644) << 16
    info.compress_type = zipfile.ZIP_DEFLATED
    z.writestr(info, text)


def run(root: Path) -> dict[str, Any]:
    """Grade the notebook in `root/submission`, write `root/results/results.json`."""
    start = time.monotonic()
    config = json.loads((root / "source" / "config.json").read_text())
    lesson = config["lesson"]
    limits = Limits(**config["limits"])
    hide = [root / "source", root / "submission", root / "results"]
    notebooks = [  # regular files only: a link could point at the bundle's seed
        p
        for p in sorted((root / "submission").rglob("*.ipynb"))
        if ".ipynb_checkpoints" not in p.parts and p.is_file() and not p.is_symlink()
    ]
    if not notebooks:
        results = {"score": 0.0, "output": "No notebook (.ipynb) was found in your submission."}
    else:
        with tempfile.TemporaryDirectory(prefix="gradescope-") as tmp:
            # one notebook, copied to a file name of ours: the student's file name and folders
            # are theirs to choose, and nothing of theirs is read but its bytes
            mine = Path(tmp) / f"{lesson}.ipynb"
            shutil.copyfile(_preferred(notebooks, lesson), mine)
            sub = runner.Submission(mine, _student(root), lesson)
            practice = runner.Grader(PRACTICE_SEED, limits, keyed=False, hide=hide).grade(sub)
            hidden = runner.Grader(int(config["seed"]), limits, keyed=True, hide=hide).grade(sub)
        results = to_gradescope(lesson, practice, hidden)
    results["execution_time"] = round(time.monotonic() - start)
    out = root / "results" / "results.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return results


def to_gradescope(lesson: str, practice: dict[str, Any], hidden: dict[str, Any]) -> dict[str, Any]:
    """Two grader records of one notebook -> Gradescope's results.json."""
    own_inputs = {q["id"]: q for q in practice["questions"]}
    hidden_inputs = {q["id"]: q for q in hidden["questions"]}
    tests = []
    ids = [qid for qid, q in QUESTIONS.items() if q.lesson == lesson]
    for n, qid in enumerate(ids, 1):
        hid = hidden_inputs.get(qid) or _ungraded(qid, hidden["errors"])
        own = own_inputs.get(qid) or _ungraded(qid, practice["errors"])
        tests.append(_test(f"{n}.1", f"{qid} (your notebook's inputs)", own, 0.0, "visible"))
        tests.append(
            _test(f"{n}.2", f"{qid} (hidden inputs)", hid, hid["max_score"], "after_published")
        )
    notes = [f"note: {e}" for e in hidden["errors"]]
    return {
        "output": "\n".join(notes) if notes else "Your notebook ran; see each question below.",
        "stdout_visibility": "hidden",
        "tests": tests,
    }


def _test(number: str, name: str, q: dict[str, Any], max_score: float, vis: str) -> dict[str, Any]:
    return {
        "number": number,
        "name": name,
        "score": float(q["score"]) if max_score else 0.0,
        "max_score": float(max_score),
        "status": "passed" if q["passed"] else "failed",
        "output": q["feedback"],
        "tags": [q["misconception"]] if q["misconception"] else [],
        "visibility": vis,
    }


def _ungraded(qid: str, errors: list[str]) -> dict[str, Any]:
    """A question the grader could not reach (the notebook could not be read)."""
    why = errors[0] if errors else "the notebook could not be graded"
    return {
        "id": qid,
        "passed": False,
        "score": 0.0,
        "max_score": float(QUESTIONS[qid].points),
        "feedback": f"✗ {qid}: not graded: {why}",
        "misconception": None,
    }


def _preferred(notebooks: list[Path], lesson: str) -> Path:
    named = [p for p in notebooks if p.stem == lesson]
    return (named or notebooks)[0]


def _student(root: Path) -> str:
    """The submitter's Gradescope user id (keys the hidden inputs), from submission_metadata."""
    try:
        meta = json.loads((root / "submission_metadata.json").read_text())
        return str(meta["users"][0]["id"])
    except (OSError, ValueError, KeyError, IndexError, TypeError):
        return "student"
