"""A batch of submissions graded in parallel, resumable: each finished record is written
at once (atomically), and a later run skips the submissions whose notebook is unchanged."""

from __future__ import annotations

import sys
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path
from typing import Any, TextIO

from . import notebook, report
from .runner import Grader, Submission


def grade_all(
    subs: list[Submission],
    grader: Grader,
    out: Path | None,
    jobs: int = 1,
    force: bool = False,
    log: TextIO = sys.stdout,
) -> list[dict[str, Any]]:
    done = {r["submission"]: r for r in (report.load(out) if out and not force else [])}
    todo = [s for s in subs if not _finished(done.get(str(s.path)), s)]
    for s in subs:
        if s not in todo:
            print(report.summary(done[str(s.path)]) + "  (kept from the last run)", file=log)
    start, bar = time.monotonic(), _Progress(len(todo))
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        futures = {pool.submit(grader.grade, s): s for s in todo}
        for future in as_completed(futures):
            record = future.result()
            done[record["submission"]] = record
            if out is not None:
                report.write_json(out, _in_order(subs, done))
            print(report.summary(record), file=log, flush=True)
            bar.step(time.monotonic() - start)
    bar.close()
    return _in_order(subs, done)


def _finished(record: dict[str, Any] | None, sub: Submission) -> bool:
    if record is None or "digest" not in record:
        return False
    try:
        return bool(notebook.read(sub.path).digest == record["digest"])
    except (OSError, ValueError):
        return False


def _in_order(subs: list[Submission], done: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    return [done[str(s.path)] for s in subs if str(s.path) in done]


class _Progress:
    """A progress bar on stderr, drawn only when stderr is a terminal."""

    def __init__(self, total: int) -> None:
        self.total, self.count, self.on = total, 0, sys.stderr.isatty() and total > 0

    def step(self, elapsed: float) -> None:
        self.count += 1
        if self.on:
            filled = int(30 * self.count / self.total)
            rate = elapsed / self.count
            sys.stderr.write(
                f"\r[{'#' * filled}{'.' * (30 - filled)}] "
                f"{self.count}/{self.total}  {rate:.2f} s/submission"
            )
            sys.stderr.flush()

    def close(self) -> None:
        if self.on:
            sys.stderr.write("\n")
