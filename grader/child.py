"""The sandboxed child: the only process that runs a student's code during grading.

It reads one job on stdin (notebook code, the inputs of each case, the limits), confines
itself, executes the notebook, calls the answers through each question's driver and writes
plain numbers to a dedicated pipe.  It never sees a reference answer and decides nothing:
the parent compares.  The student's prints go to a log file, never to that pipe."""

from __future__ import annotations

import ast
import builtins
import importlib
import json
import os
import pkgutil
import signal
import sys
import traceback
import types
from typing import Any

import numpy as np

from . import confine, policy, wire
from .messages import text
from .questions import QUESTIONS
from .spec import Case, as_outputs

MAX_JOB_BYTES = 256 * 2**20


class _IPythonStub:
    """Enough of `get_ipython()` for cells with magics: %time and %timeit (line or cell) run
    their code once; other magics and shell escapes do nothing."""

    def __init__(self, namespace: dict[str, Any]) -> None:
        self.user_ns = namespace

    def run_line_magic(self, name: str, line: str, *args: Any) -> None:
        if name in ("time", "timeit"):  # `%time x = f()` defines x: run it once
            exec(compile(line, "<line magic>", "exec"), self.user_ns)

    def run_cell_magic(self, name: str, line: str, cell: str) -> None:
        if name in ("time", "timeit", "capture"):
            exec(compile(cell, "<cell magic>", "exec"), self.user_ns)

    def system(self, *args: Any, **kwargs: Any) -> None:
        return None

    getoutput = system


def _send(fd: int, message: dict[str, Any]) -> None:
    data = wire.dumps(message)
    while data:
        data = data[os.write(fd, data) :]


def _failure(error: BaseException) -> list[str]:
    kind = "refused" if isinstance(error, policy.Refused) else type(error).__name__
    return [kind[:60], " ".join(str(error).split())[:300]]


def _execute(cells: list[str], by_hand: bool,
             raising: frozenset[int] = frozenset()) -> tuple[dict[str, Any], list[str], bool]:
    """Run the notebook's cells in one namespace; a failing statement is reported and skipped.
    Returns the namespace, the errors, and whether a tool switched off was refused.

    Not reported: errors of cells tagged to raise on purpose (``raising``), and in a by-hand
    lesson the statements refused because they use torch or autograd (narrative cells that
    compare with torch), and the statements after them in the same cell; the names such a
    statement would have bound hold `policy.Unavailable` instead.  Once a line was refused,
    a later error may be its consequence (a cell reads the `.grad` that a refused `backward`
    did not fill): errors after the first refusal are not reported by this child, and the
    parent learns the notebook's errors from a run with nothing switched off."""
    fake = types.ModuleType("grader")  # `from grader import check` works and does nothing
    fake.check = fake.evaluate = lambda *args, **kwargs: None  # type: ignore[attr-defined]
    sys.modules["grader"] = fake
    namespace: dict[str, Any] = {"__name__": "__main__", "__builtins__": builtins}
    namespace["get_ipython"] = lambda: _IPythonStub(namespace)
    namespace["display"] = lambda *args, **kwargs: None
    errors: list[str] = []
    tainted = False
    for number, code in enumerate(cells, start=1):
        refused = False  # after a refused statement, the rest of its cell builds on it
        for node, statement in _statements(code, f"<cell {number}>"):
            before = policy.refusals
            try:
                if refused:
                    raise policy.Refused(text("refused.earlier_line", "en"))
                exec(statement, namespace)
            except BaseException as error:  # noqa: BLE001 - SystemExit and friends too
                if by_hand and (isinstance(error, policy.Refused) or policy.refusals > before):
                    tainted = True  # (an import is independent of the lines after it)
                    refused = refused or not isinstance(node, (ast.Import, ast.ImportFrom))
                    for name in _bound_names(node):
                        namespace[name] = policy.Unavailable(name)
                    continue
                if number in raising or tainted:
                    continue
                kind, message = _failure(error)
                errors.append(f"cell {number}: {kind}: {message}"[:400])
    return namespace, errors, tainted


def _statements(code: str, name: str) -> list[tuple[ast.stmt | None, Any]]:
    """A cell's top-level statements compiled one by one, so that a failing line (a refused
    `import torch`, say) does not keep the definitions after it from existing."""
    try:
        tree = ast.parse(code, name)
        return [(node, compile(ast.Module([node], []), name, "exec")) for node in tree.body]
    except SyntaxError as error:
        message = f"{error.msg} (line {error.lineno})"
    except (ValueError, RecursionError, MemoryError) as error:  # nested beyond the parser
        message = f"{type(error).__name__}: {error}"[:200]
    return [(None, compile(f"raise SyntaxError({message!r})", name, "exec"))]


def _bound_names(node: ast.stmt | None) -> list[str]:
    """The names a statement assigns (``a, b = ...``, ``for x in ...``, ``import m as n``)."""
    if node is None:
        return []
    names = [n.id for n in ast.walk(node) if isinstance(n, ast.Name)
             and isinstance(n.ctx, ast.Store)]
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        names += [(a.asname or a.name).split(".")[0] for a in node.names]
    return names


def _answer(question_id: str, cases: list[Case], namespace: dict[str, Any]) -> list[Any]:
    question, answer = QUESTIONS[question_id], namespace.get(question_id)
    results = []
    for case in cases:
        if answer is None:
            results.append({"failure": ["missing", ""]})
            continue
        try:
            with policy.forbid(question.forbids):
                outputs = as_outputs(question.drive(answer, case))
            results.append({"outputs": [wire.encode(a) for a in outputs]})
        except BaseException as error:  # noqa: BLE001
            results.append({"failure": _failure(error)})
    return results


def main() -> None:
    job = wire.decode(json.loads(sys.stdin.buffer.read(MAX_JOB_BYTES)))  # from the parent
    results_fd, setup_fd = int(job["results_fd"]), int(job["setup_fd"])
    try:
        if job["sandbox"].get("private"):
            sys.path.insert(0, job["sandbox"]["private"])
        _preload(job["by_hand"])
        confine.confine(job["sandbox"])
        if job["by_hand"]:  # for the whole process, never restored
            policy.switch_off(("autograd",))
            policy.switch_off_torch()
            policy.allow_only(policy.BY_HAND_PACKAGES)
    except Exception as error:  # the grader's own failure: tell the parent, which reports it
        detail = f"{type(error).__name__}: {error}\n{traceback.format_exc(limit=-2)}"
        _send(setup_fd, {"event": "sandbox-error", "detail": detail})
        os._exit(1)
    os.close(setup_fd)  # closed before any student code runs: nobody else can write to it
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    np.seterr(all="ignore")
    try:
        namespace, errors, tainted = _execute(job["cells"], job["by_hand"],
                                              frozenset(job.get("raising", ())))
        _send(results_fd, {"event": "loaded", "errors": errors[:20], "tainted": tainted})
        for question_id, cases in job["questions"]:
            cases = [Case(c["label"], c["args"]) for c in cases]
            _send(
                results_fd,
                {
                    "event": "question",
                    "id": question_id,
                    "cases": _answer(question_id, cases, namespace),
                },
            )
        _send(results_fd, {"event": "done"})
    except BaseException:  # noqa: BLE001 - the parent learns of it through the missing message
        traceback.print_exc()
    finally:
        os._exit(0)


def _preload(by_hand: bool) -> None:
    """Import what drivers need while the course's code can still be read: all of grader,
    and in a by-hand child all of minigrad (whose files it cannot read once it has dropped
    to its own user id, and whose modules it may not import again)."""
    import grader

    for package in (grader, *_minigrad()):
        if by_hand or package is grader:
            for module in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
                if not module.name.endswith("__main__"):
                    importlib.import_module(module.name)


def _minigrad() -> list[types.ModuleType]:
    try:
        import minigrad

        return [minigrad]
    except Exception:  # the by-hand lessons do not need it
        return []
