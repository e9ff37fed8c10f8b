"""A batch of submissions graded in parallel and resumable.

Each finished record is appended to a journal (one fsync'd JSON line, see `journal`); the
results file is written once, at the end or when the batch is interrupted.  A later run keeps
the records whose notebook is unchanged, from the results file and from the journal of a run
that was killed, and grades the rest.  `only` re-grades the named students whatever their
record, and keeps everyone else's.

Where the grading happens is a `Backend`: a function from the submissions to grade to their
records, yielded as they finish.  `local` runs them on threads of this process (each in its
own sandboxed child); `grader.cluster` sends them to a Dask cluster."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path
from typing import Any, TextIO

from . import journal, notebook, report
from .messages import text
from .progress import Progress
from .runner import Grader, Submission, unread

Record = dict[str, Any]
Backend = Callable[[list[Submission]], Iterator[Record]]


def grade_all(
    subs: list[Submission],
    grader: Grader | None,
    out: Path | None,
    jobs: int = 1,
    force: bool = False,
    log: TextIO = sys.stdout,
    only: set[str] | None = None,
    backend: Backend | None = None,
    label: Callable[[list[Record]], Any] | None = None,
) -> list[Record]:
    """Grade `subs` (with `backend`, or `grader` on `jobs` threads) and write `out` once.
    `label` wraps the records before they are written (a shard's file names its shard)."""
    if backend is None:
        assert grader is not None, "grade_all needs a grader or a backend"
        backend = local(grader, jobs)
    keep = only is not None or not force  # --only always keeps everyone else's record
    done = {r["submission"]: r for r in previous(out)} if out is not None and keep else {}
    if only is not None:
        todo = [s for s in subs if s.student in only]
    else:
        todo = [s for s in subs if not _finished(done.get(str(s.path)), s)]
    grading = set(todo)
    for s in subs:
        if s not in grading and str(s.path) in done:
            print(report.summary(done[str(s.path)]) + "  (kept from the last run)", file=log)
    book = journal.Journal(journal.path_for(out)) if out is not None else None
    bar = Progress(len(todo))
    try:
        for record in backend(todo):
            done[record["submission"]] = record
            if book is not None:
                book.append(record)
            bar.echo(report.summary(record), log)
            bar.step()
    finally:  # at the end, and on an interrupt: the results so far, in one write
        bar.close()
        records = _in_order(subs, done)
        if out is not None and book is not None:
            report.write_atomic(out, _dumps(label(records) if label else records))
            book.remove()
    return records


def local(grader: Grader, jobs: int) -> Backend:
    """Grading on `jobs` threads of this process; each submission in its own child."""

    def run(todo: list[Submission]) -> Iterator[Record]:
        with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
            futures = [pool.submit(grade_safely, grader, s) for s in todo]
            try:
                for future in as_completed(futures):
                    yield future.result()
            finally:
                for future in futures:
                    future.cancel()

    return run


def grade_safely(grader: Grader, sub: Submission) -> Record:
    """`grader.grade`, and a record even when the grader itself fails: one submission's
    trouble never ends the batch.  (No digest: a later run grades it again.)"""
    try:
        return grader.grade(sub)
    except Exception as error:  # noqa: BLE001 (any failure becomes this submission's record)
        return failed(sub, f"the grader failed on this submission: {type(error).__name__}: {error}")


def failed(sub: Submission, why: str) -> Record:
    """The record of a submission whose grading failed: 0 of the assignment's full points."""
    record: Record = {
        "submission": str(sub.path),
        "student": sub.student,
        "assignment": sub.assignment,
        "errors": [why],
    }
    unread(record, "crashed", text("limit.ungraded"))
    return record


def previous(out: Path) -> list[Record]:
    """Records of an earlier run: its results file (a list, or a shard's labelled file), then
    the journal of a run that was killed before writing it (newer records win)."""
    try:
        data = json.loads(out.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        data = None
    if isinstance(data, dict):
        data = data.get("records")
    records = [r for r in data if isinstance(r, dict) and "submission" in r] if data else []
    return records + journal.read(journal.path_for(out))


def _dumps(data: Any) -> str:
    return json.dumps(data, indent=1, ensure_ascii=False) + "\n"


def _finished(record: Record | None, sub: Submission) -> bool:
    if record is None or "digest" not in record:
        return False
    try:
        return bool(notebook.read(sub.path).digest == record["digest"])
    except (OSError, ValueError):
        return False


def _in_order(subs: list[Submission], done: dict[str, Record]) -> list[Record]:
    return [done[str(s.path)] for s in subs if str(s.path) in done]
