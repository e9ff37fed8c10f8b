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

from . import notebook, wire
from .judge import Failure, Outcome, Result, assess
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
        return f"{self.student}/{self.assignment}/{self.path.name}"


def discover(paths: list[Path]) -> list[Submission]:
    """Notebooks under `paths`; `submitted/<student>/<assignment>/` names them (nbgrader)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
        else:
            found.append(path)
    subs = []
    for path in found:
        parts = path.resolve().parts
        if "submitted" in parts[:-3]:
            i = len(parts) - 1 - parts[::-1].index("submitted")
            if i + 3 < len(parts):
                subs.append(Submission(path, parts[i + 1], parts[i + 2]))
                continue
        lesson = path.parent.name if path.parent.name in LESSONS else ""
        subs.append(Submission(path, path.stem, lesson))
    return subs


class Grader:
    """Grades one submission at a time per thread; safe to share between threads."""

    def __init__(
        self, seed: int, limits: Limits, keyed: bool = True, hide: list[Path] | None = None
    ) -> None:
        self.seed, self.limits, self.keyed = seed, limits, keyed
        base = UID_BASE + (os.getpid() % 100_000) * 1_000  # own range per grading run
        self.uids = (base + n for n in itertools.cycle(range(1_000)))
        self.lock = threading.Lock()
        roots = {p.resolve() for p in [ROOT, Path.cwd(), *(hide or [])]}
        self.hide = sorted(str(p) for p in roots if len(p.parts) > 2)  # never / or /home
        self.keep = _keep()
        self._cache_dir = tempfile.TemporaryDirectory(prefix="grader-mpl-")
        self.mpl_cache = _matplotlib_cache(Path(self._cache_dir.name))

    def grade(self, sub: Submission) -> dict[str, Any]:
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
            nb = notebook.read(sub.path)
        except (OSError, ValueError) as error:
            record["errors"].append(f"cannot read the notebook: {type(error).__name__}: {error}")
            return record
        record["digest"] = nb.digest
        ids = notebook.questions_of(nb, sub.assignment)
        results: dict[str, Result] = {}
        for by_hand in (True, False):
            group = [QUESTIONS[i] for i in ids if QUESTIONS[i].by_hand == by_hand]
            if group:
                results.update(self._grade_group(nb, sub, group, by_hand, record["errors"]))
        record["questions"] = [results[i].to_dict() for i in ids]
        record["total"] = sum(results[i].score for i in ids)
        record["max_total"] = sum(results[i].max_score for i in ids)
        return record

    def _grade_group(
        self,
        nb: notebook.Notebook,
        sub: Submission,
        group: list[Question],
        by_hand: bool,
        errors: list[str],
    ) -> dict[str, Result]:
        keys = (sub.key,) if self.keyed else ()
        cases = {q.id: q.draw(case_rng(self.seed, *keys, q.id)) for q in group}
        outcomes: dict[str, list[Outcome]] = {}
        pending = list(group)
        while pending:
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
            hide = self.hide + (_package_dirs("torch", "functorch", "torchgen") if by_hand else [])
            child = Child(job, self.limits, uid, hide, self.keep, self.mpl_cache)
            message = child.receive(self.limits.load_timeout)
            if isinstance(message, dict) and message.get("event") == "sandbox-error":
                errors.append(f"the sandbox failed to start: {message.get('detail')}")
                sys.stderr.write(f"grader: sandbox failed: {message.get('where')}\n")
            if not (isinstance(message, dict) and message.get("event") == "loaded"):
                why = _why(message, child.stop(), self.limits.load_timeout, "your notebook")
                for q in pending:
                    outcomes[q.id] = [why] * len(cases[q.id])
                break
            for e in message.get("errors", [])[:20]:  # (each run of the notebook reports
                if str(e)[:400] not in errors:  # the same faults: once is enough)
                    errors.append(str(e)[:400])
            while pending:
                q = pending.pop(0)
                message = child.receive(self.limits.timeout)
                got = _outcomes(message, q, len(cases[q.id]))
                if got is None:
                    why = _why(message, child.stop(), self.limits.timeout, f"`{q.id}`")
                    outcomes[q.id] = [why] * len(cases[q.id])
                    break  # a fresh child for the questions left
                outcomes[q.id] = got
            else:
                child.stop()
        return {q.id: _assess(q, cases[q.id], outcomes[q.id]) for q in group}


# torch's forward-mode state is process-wide: references run one at a time, whatever --jobs.
_REFERENCE_LOCK = threading.Lock()


def _assess(q: Question, cases: list[Case], outcomes: list[Outcome]) -> Result:
    with _REFERENCE_LOCK, quiet():
        expected = [as_outputs(q.reference(c)) for c in cases]
        return assess(q, cases, outcomes, expected)


def _outcomes(message: Any, q: Question, n: int) -> list[Outcome] | None:
    """The outcomes of question `q` from a child's message, checked; None if it is not one."""
    if not (
        isinstance(message, dict)
        and message.get("event") == "question"
        and message.get("id") == q.id
        and isinstance(message.get("cases"), list)
        and len(message["cases"]) == n
    ):
        return None
    found: list[Outcome] = []
    for case in message["cases"]:
        try:
            if isinstance(case, dict) and isinstance(case.get("outputs"), list):
                found.append(tuple(wire.array(a, "float64") for a in case["outputs"]))
            else:
                kind, text = case["failure"]
                found.append(Failure(str(kind)[:60], str(text)[:300]))
        except (ValueError, TypeError, KeyError):
            found.append(Failure("garbled", "the result could not be read"))
    return found


def _why(message: Any, ended: str, timeout: float, what: str) -> Failure:
    if message == "timeout" and ended == "still running":
        return Failure("timeout", f"{what} took longer than {timeout:g} s of computing time")
    if "SIGXCPU" in ended:
        return Failure("timeout", f"{what} used up its CPU time")
    if message == "garbled":
        return Failure("crashed", f"while running {what} the result channel was garbled")
    return Failure("crashed", f"the process ended while running {what} ({ended})")


def _keep() -> list[str]:
    """What a child must still see when the course folder is hidden: the interpreter, the
    installed packages, and the code of grader and minigrad."""
    keep = {str(ROOT / "grader"), sys.prefix, sys.base_prefix, sys.exec_prefix}
    keep |= {p for p in sys.path if p.endswith(("site-packages", "dist-packages"))}
    spec = importlib.util.find_spec("minigrad")
    if spec is not None and spec.submodule_search_locations:
        keep |= set(spec.submodule_search_locations)
    return sorted(os.path.realpath(k) for k in keep)


def _package_dirs(*names: str) -> list[str]:
    """Folders of installed packages: a by-hand child gets them covered, so torch is not
    merely switched off in the process but absent from its file system."""
    found = []
    for name in names:
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.submodule_search_locations:
            found += [os.path.realpath(p) for p in spec.submodule_search_locations]
    return found


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
