"""Helpers the grader tests share: reading the answer files, building notebooks, running the
command line."""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
ANSWER_FILES = sorted(p for p in HERE.glob("*.py") if p.name != "support.py")


@dataclass(frozen=True)
class Section:
    """One answer: the cells that define it, whether it is right, and its expected tag."""

    question: str
    right: bool
    tag: str | None
    title: str
    cells: tuple[str, ...]

    @property
    def name(self) -> str:
        kind = "right" if self.right else f"wrong-{self.tag}"
        return f"{self.question}:{kind}:{self.title}"

    def load(self) -> Any:
        namespace: dict[str, Any] = {"__name__": "__main__"}
        for cell in self.cells:
            exec(compile(cell, f"<{self.name}>", "exec"), namespace)
        return namespace[self.question]


def sections(path: Path) -> list[Section]:
    found, shared = [], ""
    chunks = path.read_text().split("\n# == ")[1:]
    for chunk in chunks:
        header, _, code = chunk.partition("\n")
        kind, _, title = header.partition(": ")
        if kind == "shared":
            shared = code
            continue
        right = kind == "right"
        tag = None if right else kind.split()[1]
        cells = (shared, code) if shared else (code,)
        found.append(Section(path.stem, right, None if tag == "none" else tag, title, cells))
    return found


ALL = [s for p in ANSWER_FILES for s in sections(p)]
RIGHT = [s for s in ALL if s.right]
WRONG = [s for s in ALL if not s.right]


def notebook(
    cells: list[str], tests: list[tuple[str, int]] = (), path: Path | None = None
) -> dict[str, Any]:
    """An nbgrader-style notebook: solution cells, then one autograded test cell per
    (question id, points) calling `check`."""

    def cell(source: str, meta: dict[str, Any] | None = None) -> dict[str, Any]:
        return {
            "cell_type": "code",
            "execution_count": None,
            "id": f"c{len(out)}",
            "metadata": {"nbgrader": meta} if meta else {},
            "outputs": [],
            "source": source,
        }

    out: list[dict[str, Any]] = []
    for i, source in enumerate(cells):
        out.append(
            cell(
                source,
                {
                    "grade": False,
                    "solution": True,
                    "locked": False,
                    "grade_id": f"answer_{i}",
                    "schema_version": 3,
                },
            )
        )
    for qid, points in tests:
        out.append(
            cell(
                f'from grader import check\ncheck("{qid}", {qid})',
                {
                    "grade": True,
                    "solution": False,
                    "locked": True,
                    "grade_id": f"test_{qid}",
                    "points": points,
                    "schema_version": 3,
                },
            )
        )
    nb = {
        "cells": out,
        "metadata": {
            "kernelspec": {"name": "python3", "language": "python", "display_name": "Python 3"}
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(nb, indent=1))
    return nb


def run_grader(
    *args: str, cwd: Path = REPO, timeout: float = 600, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`python -m grader ARGS` in a subprocess (the venv's bin on PATH, for nbgrader);
    `env` adds to its environment."""
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}:{os.environ.get('PATH', '')}",
        "PYTHONPATH": str(REPO),
        **(env or {}),
    }
    return subprocess.run(
        [sys.executable, "-m", "grader", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def run_main(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    """`python -m grader ARGS` called in this process: the same exit status, stdout and stderr
    as `run_grader`, without the seconds a new process spends importing torch (the children
    that run submissions are sandboxed processes either way).  torch's thread count, which
    the command sets to 1, is given back."""
    from grader import cli

    torch = sys.modules.get("torch")
    threads = torch.get_num_threads() if torch is not None else None
    out, err = io.StringIO(), io.StringIO()
    try:
        with contextlib.chdir(cwd), contextlib.redirect_stdout(out), \
                contextlib.redirect_stderr(err):
            code = cli.main(list(args))
    except SystemExit as exit_:  # argparse refusing the command line
        code = exit_.code if isinstance(exit_.code, int) else 1
    finally:
        torch = sys.modules.get("torch")
        if torch is not None and threads is not None:
            torch.set_num_threads(threads)
    return subprocess.CompletedProcess(["grader", *args], code, out.getvalue(), err.getvalue())
