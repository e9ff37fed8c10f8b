"""Reports: the JSON results (one record per submission), the CSV in the shape of
`nbgrader export`, and the one-line summary printed per submission.  Written only by the
grading process, atomically (a temporary file renamed over the old one)."""

from __future__ import annotations

import csv
import io
import json
import os
import stat
import tempfile
from pathlib import Path
from typing import Any

from .wire import clean

TIMESTAMP_BYTES = 64
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
    student, assignment = clean(record["student"], 40), clean(record["assignment"], 40)
    return (
        f"{student:<16} {assignment or '-':<24} "
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
    """Write `text` as UTF-8; a name with undecodable bytes (a lone surrogate) is written as
    its escape, which JSON reads back as the same name."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", errors="backslashreplace") as f:
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
    """nbgrader keeps the submission time in `timestamp.txt` beside the notebook: read only if
    it is a regular file (never through a link), at most `TIMESTAMP_BYTES`, as text."""
    path = Path(record["submission"]).parent / "timestamp.txt"
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return ""
    with os.fdopen(fd, "rb") as f:
        if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):
            return ""
        raw = f.read(TIMESTAMP_BYTES + 1)
    if len(raw) > TIMESTAMP_BYTES:
        return ""
    return clean(raw.decode("utf-8", "replace").strip(), TIMESTAMP_BYTES)
