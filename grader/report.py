"""Reports: the JSON results (one record per submission), the CSV in the shape of
`nbgrader export`, and the one-line summary printed per submission.  Written only by the
grading process, atomically (a temporary file renamed over the old one)."""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from pathlib import Path
from typing import Any

NBGRADER_COLUMNS = (
    "assignment",
    "duedate",
    "timestamp",
    "student_id",
    "last_name",
    "first_name",
    "email",
    "raw_score",
    "late_submission_penalty",
    "score",
    "max_score",
)


def summary(record: dict[str, Any]) -> str:
    marks = " ".join(
        f"{q['id']} {'✓' if q['passed'] else '✗'}"
        + (f"({q['misconception']})" if q["misconception"] else "")
        for q in record["questions"]
    )
    problems = f"  [{len(record['errors'])} notebook errors]" if record["errors"] else ""
    return (
        f"{record['student']:<16} {record['assignment'] or '-':<24} "
        f"{record['total']:g}/{record['max_total']:g}  {marks}{problems}"
    )


def load(path: Path) -> list[dict[str, Any]]:
    """Records of an earlier (perhaps interrupted) run; an unreadable file counts as empty."""
    try:
        records = json.loads(path.read_text())
    except (OSError, ValueError):
        return []
    return (
        [r for r in records if isinstance(r, dict) and "submission" in r]
        if isinstance(records, list)
        else []
    )


def write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def write_json(path: Path, records: list[dict[str, Any]]) -> None:
    write_atomic(path, json.dumps(records, indent=1, ensure_ascii=False) + "\n")


def write_csv(path: Path, records: list[dict[str, Any]]) -> None:
    """One row per student and assignment, columns as `nbgrader export` writes them."""
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    for r in records:
        row = rows.setdefault(
            (r["assignment"], r["student"]),
            {
                "assignment": r["assignment"],
                "duedate": "",
                "timestamp": _timestamp(r),
                "student_id": r["student"],
                "last_name": "",
                "first_name": "",
                "email": "",
                "raw_score": 0.0,
                "late_submission_penalty": 0.0,
                "score": 0.0,
                "max_score": 0.0,
            },
        )
        for column, value in (
            ("raw_score", r["total"]),
            ("score", r["total"]),
            ("max_score", r["max_total"]),
        ):
            row[column] += float(value)
    out = io.StringIO()
    writer = csv.DictWriter(out, NBGRADER_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for pair in sorted(rows):
        writer.writerow({k: str(v) for k, v in rows[pair].items()})
    write_atomic(path, out.getvalue())


def _timestamp(record: dict[str, Any]) -> str:
    """nbgrader keeps the submission time in `timestamp.txt` beside the notebook."""
    try:
        return (Path(record["submission"]).parent / "timestamp.txt").read_text().strip()
    except OSError:
        return ""
