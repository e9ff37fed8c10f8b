"""Grades for a learning management system, from one or more results files.

    python -m grader export results.json [more.json ...] --format canvas|moodle|nbgrader --out F

One row per student, one column per assignment (lesson), the points summed over the student's
notebooks of that assignment:

* `canvas`: Canvas's gradebook import CSV.  The first five columns identify the student
  (`Student`, `ID`, `SIS User ID`, `SIS Login ID`, `Section`); Canvas matches a row by ID, SIS
  User ID or SIS Login ID, and we fill `SIS Login ID` with the grader's student id (the nbgrader
  id, usually the login).  Each further column is an assignment; a column Canvas does not know
  becomes a new assignment.  The second row, `Points Possible`, holds each column's maximum.
* `moodle`: Moodle's CSV grade import: one column that identifies the user (`Username`, mapped
  at import under "Identify user by") and one column per grade item.
* `nbgrader`: the columns of `nbgrader export`, one row per student and assignment.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from . import report

FORMATS = ("canvas", "moodle", "nbgrader")
CANVAS_IDENTITY = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")
POINTS_POSSIBLE = "Points Possible"


class ExportError(ValueError):
    pass


def load(paths: list[Path]) -> list[dict[str, Any]]:
    """Records of several results files (plain or a shard's); a submission given twice is an
    error rather than a silent choice between two grades."""
    records: list[dict[str, Any]] = []
    where: dict[str, Path] = {}
    for path in paths:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise ExportError(f"{path}: cannot read it ({error})") from None
        if isinstance(data, dict):
            data = data.get("records")
        if not isinstance(data, list):
            raise ExportError(f"{path}: not a results file (a list of records)")
        for r in data:
            if not (isinstance(r, dict) and {"submission", "student", "total"} <= set(r)):
                raise ExportError(f"{path}: a record without submission, student or total")
            name = r["submission"]
            if name in where:
                raise ExportError(f"{name} is in both {where[name]} and {path}")
            where[name] = path
            records.append(r)
    return records


def write(fmt: str, records: list[dict[str, Any]], out: Path) -> None:
    if fmt == "nbgrader":
        report.write_csv(out, records)
        return
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}: one of {', '.join(FORMATS)}")
    scores, maxima = table(records)
    assignments = sorted(maxima)
    rows: list[list[str]] = []
    if fmt == "canvas":
        rows.append([*CANVAS_IDENTITY, *assignments])
        rows.append([POINTS_POSSIBLE, "", "", "", "", *(_number(maxima[a]) for a in assignments)])
        for student in sorted(scores):
            mine = scores[student]
            rows.append(
                [student, "", "", student, "", *(_number(mine.get(a, 0.0)) for a in assignments)]
            )
    else:
        rows.append(["Username", *assignments])
        for student in sorted(scores):
            rows.append([student, *(_number(scores[student].get(a, 0.0)) for a in assignments)])
    text = io.StringIO()
    csv.writer(text, lineterminator="\n").writerows(rows)
    report.write_atomic(out, text.getvalue())


def table(
    records: list[dict[str, Any]],
) -> tuple[dict[str, dict[str, float]], dict[str, float]]:
    """student -> assignment -> points, and assignment -> points possible (the largest
    max_total a student of it had: a student who answered nothing still owes the full max)."""
    scores: dict[str, dict[str, float]] = {}
    maxima: dict[str, float] = {}
    per_student_max: dict[tuple[str, str], float] = {}
    for r in records:
        name = r.get("assignment") or "grade"
        mine = scores.setdefault(str(r["student"]), {})
        mine[name] = mine.get(name, 0.0) + float(r["total"])
        key = (str(r["student"]), name)
        per_student_max[key] = per_student_max.get(key, 0.0) + float(r.get("max_total", 0.0))
        maxima[name] = max(maxima.get(name, 0.0), per_student_max[key])
    return scores, maxima


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))
