"""Grading submissions: find them, draw their hidden inputs, run each in the sandbox, compare
in this (trusted) process, and keep going whatever one submission does.

A notebook's questions are split by policy (by-hand or not); each group runs in its own child.
When a question times out or its child dies, that question gets its verdict and a fresh child
carries on with the questions left, so one bad answer costs only its own points."""

from __future__ import annotations

import importlib.util
import itertools
import os
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import notebook, policy, wire
from .judge import Failure, Outcome, Result, assess
from .messages import from_child, speaking, text
from .practice import quiet
from .questions import QUESTIONS
from .sandbox import ROOT, Child, Limits, isolated
from .spec import Case, Question, as_outputs, case_rng

UID_BASE = 1_500_000_000
LESSONS = {q.lesson for q in QUESTIONS.values()}


@dataclass(frozen=True)
class Submission:
    path: Path
    student: str
    assignment: str

    @property
    def key(self) -> str:
        """The name that keys this submission's hidden inputs (printable, any bytes)."""
        return _printable(f"{self.student}/{self.assignment}/{self.path.name}")


def _printable(name: str) -> str:
    """A name that came from the file system (undecodable bytes are lone surrogates in it)
    as text that can be encoded: valid UTF-8 names stay as they are."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def discover(paths: list[Path]) -> list[Submission]:
    """Every entry named `*.ipynb` under `paths` (links are listed, never followed: grading
    refuses them with a record), named from the path as given, never the resolved one.

    Under a folder, `STUDENT/ASSIGNMENT/NOTEBOOK` (nbgrader's `submitted/` tree, whatever the
    folder is called) names the student and the assignment; a notebook in a lesson's folder
    is named after its file, with the lesson as assignment."""
    subs = []
    for root in paths:
        if not (root.is_dir() and not root.is_symlink()):
            subs.append(_named(root, root.parts))
            continue
        for folder, dirs, files in os.walk(root):
            dirs[:] = sorted(d for d in dirs if d != ".ipynb_checkpoints")
            for name in sorted([*files, *dirs]):  # a folder or link named *.ipynb: refused
                if name.endswith(".ipynb"):
                    path = Path(folder, name)
                    subs.append(_named(path, path.relative_to(root).parts, root))
    return subs


def _named(path: Path, parts: tuple[str, ...], root: Path | None = None) -> Submission:
    if root is None and "submitted" in parts[:-3]:
        parts = parts[len(parts) - 1 - parts[::-1].index("submitted") + 1 :]
        return Submission(path, parts[-3], parts[-2])
    if len(parts) >= 3 and root is not None:
        return Submission(path, parts[-3], parts[-2])
    folder = parts[-2] if len(parts) >= 2 else (root.name if root is not None else "")
    return Submission(path, path.stem, folder if folder in LESSONS else "")


class Grader:
    """Grades one submission at a time per thread; safe to share between threads.
    (`hide` is accepted for callers of earlier versions: a child sees only an allow-list of
    folders, so nothing needs hiding.)  The feedback is in `language` if given, else in the
    language of each submission's metadata."""

    def __init__(
        self, seed: int, limits: Limits, keyed: bool = True, hide: list[Path] | None = None,
        language: str | None = None,
    ) -> None:
        self.seed, self.limits, self.keyed, self.language = seed, limits, keyed, language
        base = UID_BASE + (os.getpid() % 100_000) * 1_000  # own range per grading run
        self.uids = (base + n for n in itertools.cycle(range(1_000)))
        self.lock = threading.Lock()
        self.keep = {by_hand: _keep(by_hand) for by_hand in (True, False)}
        self._cache_dir = tempfile.TemporaryDirectory(prefix="grader-mpl-")
        self.mpl_cache = _matplotlib_cache(Path(self._cache_dir.name))

    def grade(self, sub: Submission) -> dict[str, Any]:
        """The record of one submission, whatever it is or does: every exception becomes
        that submission's record, and every record carries the assignment's full points."""
        record: dict[str, Any] = {
            "submission": str(sub.path),
            "student": sub.student,
            "assignment": sub.assignment,
            "questions": [],
            "total": 0.0,
            "max_total": 0.0,
            "errors": [],
        }
        try:
            self._grade_into(sub, record)
        except Exception as error:  # the grader's own bug must not end the batch
            record["errors"].append(
                f"the grader failed on this submission: {type(error).__name__}: "
                f"{wire.clean(error)}"
            )
            with speaking(self.language or "en"):
                unread(record, "crashed", text("limit.ungraded"))
        return record

    def _grade_into(self, sub: Submission, record: dict[str, Any]) -> None:
        try:
            nb = notebook.read(sub.path)
        except (OSError, ValueError) as error:
            record["errors"].append(f"cannot read the notebook: {wire.clean(error)}")
            with speaking(self.language or "en"):
                unread(record, "crashed", text("limit.unreadable", reason=wire.clean(error)))
            return
        record["digest"] = nb.digest
        ids = notebook.questions_of(nb, sub.assignment)
        results: dict[str, Result] = {}
        tainted = False
        for by_hand in (True, False):
            group = [QUESTIONS[i] for i in ids if QUESTIONS[i].by_hand == by_hand]
            if group:
                got, dirty = self._grade_group(nb, sub, group, by_hand, record["errors"])
                results.update(got)
                tainted |= dirty
        if tainted and all(QUESTIONS[i].by_hand for i in ids):  # errors of the plain notebook
            self._grade_group(nb, sub, [], False, record["errors"])
        record["questions"] = [results[i].to_dict() for i in ids]
        record["total"] = sum(results[i].score for i in ids)
        record["max_total"] = sum(results[i].max_score for i in ids)

    def _grade_group(
        self,
        nb: notebook.Notebook,
        sub: Submission,
        group: list[Question],
        by_hand: bool,
        errors: list[str],
    ) -> tuple[dict[str, Result], bool]:
        """Grade `group` in children of one kind; also says whether a tool was refused while
        the notebook ran (then the errors it reported may be incomplete)."""
        keys = (sub.key,) if self.keyed else ()
        cases = {q.id: q.draw(case_rng(self.seed, *keys, q.id)) for q in group}
        outcomes: dict[str, list[Outcome] | str] = {}
        pending, tainted, first = list(group), False, True
        while pending or first:
            first = False
            job = {
                "cells": nb.cells,
                "raising": nb.raising,
                "by_hand": by_hand,
                "questions": [
                    [q.id, [{"label": c.label, "args": c.args} for c in cases[q.id]]]
                    for q in pending
                ],
            }
            with self.lock:
                uid = next(self.uids) if isolated() else None
            child = Child(job, self.limits, uid, self.keep[by_hand], self.mpl_cache)
            try:
                failure = child.setup_failure(self.limits.load_timeout)
                if failure is not None:
                    errors.append("the sandbox failed to start (the grader's fault, not the "
                                  "submission's)")
                    sys.stderr.write(f"grader: sandbox failed: {failure}\n")
                message = child.receive(self.limits.load_timeout)
                loaded = _loaded(message)
                if loaded is None:
                    why = _why(message, child.stop(), self.limits.load_timeout,
                               text("limit.your_notebook", "en"))
                    for q in pending:
                        outcomes[q.id] = [why] * len(cases[q.id])
                    break
                tainted |= loaded[1]
                for e in loaded[0]:  # (each run of the notebook reports the same faults)
                    if e not in errors:
                        errors.append(e)
                while pending:
                    q = pending.pop(0)
                    message = child.receive(self.limits.timeout)
                    got = _outcomes(message, q, len(cases[q.id]))
                    if got is None or isinstance(got, str):
                        why = _why(message, child.stop(), self.limits.timeout, f"`{q.id}`")
                        outcomes[q.id] = got or [why] * len(cases[q.id])
                        break  # a fresh child for the questions left
                    outcomes[q.id] = got
            finally:
                child.stop()
        with speaking(self.language or nb.language):  # the child's words become this language
            return {q.id: _assess(q, cases[q.id], outcomes[q.id]) for q in group}, tainted


def unread(record: dict[str, Any], tag: str, why: str) -> None:
    """Every question of the record's assignment at 0 of its points, for `why`."""
    ids = [q.id for q in QUESTIONS.values() if q.lesson == record["assignment"]]
    record["questions"] = [
        Result(i, False, 0.0, float(QUESTIONS[i].points), text("result.unread", id=i, why=why),
               tag).to_dict()
        for i in ids
    ]
    record["total"] = 0.0
    record["max_total"] = float(sum(QUESTIONS[i].points for i in ids))


def _loaded(message: Any) -> tuple[list[str], bool] | None:
    """(notebook errors, tainted) from a child's first message, checked; None if it is not."""
    if not (isinstance(message, dict) and message.get("event") == "loaded"):
        return None
    errors, tainted = message.get("errors"), message.get("tainted", False)
    if not isinstance(errors, list) or not isinstance(tainted, bool):
        return None
    return [wire.clean(e, 400) for e in errors[:20]], tainted


MALFORMED = text("driver.malformed", "en")

# torch's forward-mode state is process-wide: references run one at a time, whatever --jobs.
_REFERENCE_LOCK = threading.Lock()


def _assess(q: Question, cases: list[Case], outcomes: list[Outcome] | str) -> Result:
    """Judge in this process; what the child sent cannot make judging fail: a malformed
    answer, or one a judge cannot read (NaN in an ordering, say), is `garbled`."""
    if isinstance(outcomes, str):
        return _garbled(q, from_child(outcomes))
    try:
        with _REFERENCE_LOCK, quiet():
            expected = [as_outputs(q.reference(c)) for c in cases]
            return assess(q, cases, outcomes, expected)
    except Exception as error:  # a judge choking on the student's numbers
        return _garbled(q, text("driver.unjudged", error=type(error).__name__))


def _garbled(q: Question, why: str) -> Result:
    return Result(q.id, False, 0.0, float(q.points), text("result.unread", id=q.id, why=why),
                  "garbled")


def _outcomes(message: Any, q: Question, n: int) -> list[Outcome] | str | None:
    """The outcomes of question `q` from a child's message, checked: None if the message is
    not an answer to `q`, a reason (str) if it is one but malformed."""
    if not (isinstance(message, dict) and message.get("event") == "question"):
        return None
    if message.get("id") != q.id:
        return None
    cases = message.get("cases")
    if not isinstance(cases, list) or len(cases) != n:
        return MALFORMED
    found: list[Outcome] = []
    for case in cases:
        if isinstance(case, dict) and set(case) == {"outputs"} and isinstance(
                case["outputs"], list):
            try:
                found.append(tuple(wire.array(a, "float64") for a in case["outputs"]))
            except (ValueError, TypeError):
                return MALFORMED
            continue
        failure = case.get("failure") if isinstance(case, dict) else None
        if not (isinstance(failure, list) and len(failure) == 2
                and all(isinstance(f, str) for f in failure)):
            return MALFORMED
        found.append(Failure(wire.clean(failure[0], 60), wire.clean(failure[1])))
    return found


def _why(message: Any, ended: str, timeout: float, what: str) -> Failure:
    """Why a child stopped, in English (catalog "limit.*": judging says it in the student's
    language, as it does what the child wrote)."""
    if message == "timeout" and ended == "still running":
        return Failure("timeout", text("limit.timeout", "en", what=what, timeout=f"{timeout:g}"))
    if "memory limit" in ended:
        return Failure("memory", text("limit.memory", "en", what=what))
    if "SIGXCPU" in ended:
        return Failure("timeout", text("limit.cpu", "en", what=what))
    if message == "garbled":
        return Failure("crashed", text("limit.garbled", "en", what=what))
    return Failure("crashed", text("limit.crashed", "en", what=what, ended=ended))


def _keep(by_hand: bool) -> list[str]:
    """What a child may see (read-only): the Python installation, the code of grader and
    minigrad, and the installed packages - in a by-hand child only those it may import."""
    keep = {str(ROOT / "grader"), sys.base_prefix, sys.exec_prefix}
    spec = importlib.util.find_spec("minigrad")
    if spec is not None and spec.submodule_search_locations and not by_hand:
        keep |= set(spec.submodule_search_locations)  # (a by-hand child loads it privately)
    sites = [p for p in sys.path if p.endswith(("site-packages", "dist-packages"))]
    if not by_hand:
        keep |= {sys.prefix, *sites}
    else:
        keep |= {str(Path(sys.prefix, "pyvenv.cfg")), str(Path(sys.executable).parent)}
        for site in sites:
            if os.path.isdir(site) and not site.startswith(sys.base_prefix + "/"):
                keep |= {os.path.join(site, e) for e in os.listdir(site) if _allowed(e)}
    return sorted(os.path.realpath(k) if os.path.isdir(k) else k for k in keep)


def _allowed(entry: str) -> bool:
    """Whether an entry of site-packages belongs to a package a by-hand child may import."""
    top = entry.split(".")[0].split("-")[0]
    return entry.endswith(".pth") or top in policy.BY_HAND_PACKAGES or top == "pillow"


def _matplotlib_cache(folder: Path) -> str | None:
    """Build matplotlib's font cache once, so that children do not each spend a second on it."""
    if importlib.util.find_spec("matplotlib") is None:
        return None
    env = {**os.environ, "MPLCONFIGDIR": str(folder), "MPLBACKEND": "Agg"}
    subprocess.run(
        [sys.executable, "-c", "import matplotlib.font_manager"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=False,
    )
    return str(folder)
