"""Reading a submitted notebook: the code to execute, and which catalog questions it answers.

Test cells are not executed: nbgrader's autograder test cells (`grade: true, solution: false`)
and cells that only import the grader and call `check`.  Their results are never trusted; the
grader draws its own inputs and judges the answers itself."""

from __future__ import annotations

import ast
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .questions import QUESTIONS

GRADER_CALLS = {"check", "evaluate"}


@dataclass
class Notebook:
    path: Path
    digest: str
    cells: list[str] = field(default_factory=list)  # code to execute, IPython syntax removed
    tested: list[str] = field(default_factory=list)  # ids named by nbgrader test cells
    defined: list[str] = field(default_factory=list)  # catalog names defined at top level
    raising: list[int] = field(default_factory=list)  # cells (1-based) meant to raise an error


def read(path: Path) -> Notebook:
    raw = path.read_bytes()
    nb = Notebook(path, hashlib.sha256(raw).hexdigest())
    data = json.loads(raw)
    for cell in data.get("cells", []) if isinstance(data, dict) else []:
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else str(source)
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if isinstance(meta, dict) and meta.get("grade") and not meta.get("solution"):
            grade_id = str(meta.get("grade_id", ""))
            if grade_id.startswith("test_") and grade_id[5:] in QUESTIONS:
                nb.tested.append(grade_id[5:])
            continue
        code = python_code(source)
        tree = _parse(code)
        if tree is not None and _only_grader_calls(tree):
            continue
        nb.cells.append(code)
        nb.defined += [n for n in _top_level_names(tree) if n in QUESTIONS]
        tags = cell.get("metadata", {}).get("tags", [])
        if isinstance(tags, list) and "raises-exception" in tags:  # nbval's tag: an error shown
            nb.raising.append(len(nb.cells))  # on purpose, not a fault of the notebook
    return nb


def questions_of(nb: Notebook, assignment: str) -> list[str]:
    """Ids to grade: named by test cells, defined in the notebook, or in the assignment's
    lesson (so a deleted answer still counts as a missing one), in catalog order."""
    wanted = set(nb.tested) | set(nb.defined)
    wanted |= {q.id for q in QUESTIONS.values() if q.lesson == assignment}
    return [qid for qid in QUESTIONS if qid in wanted]


def python_code(source: str) -> str:
    """Cell source as plain Python: IPython magics and shell escapes become calls to
    `get_ipython()` (which the sandbox provides as a stub)."""
    try:
        from IPython.core.inputtransformer2 import TransformerManager
    except ImportError:
        return re.sub(r"(?m)^(\s*)([%!])", r"\1# \2", source)
    try:
        return str(TransformerManager().transform_cell(source))
    except Exception:
        return source


def _parse(code: str) -> ast.Module | None:
    try:
        return ast.parse(code)
    except (SyntaxError, ValueError):
        return None


def _only_grader_calls(tree: ast.Module) -> bool:
    if not tree.body:
        return False
    for node in tree.body:
        if isinstance(node, ast.Import) and all(
            a.name.split(".")[0] == "grader" for a in node.names
        ):
            continue
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "grader":
            continue
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
            func = node.value.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in GRADER_CALLS:
                continue
        return False
    return True


def _top_level_names(tree: Any) -> list[str]:
    names: list[str] = []
    for node in getattr(tree, "body", []):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.append(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names += [t.id for t in targets if isinstance(t, ast.Name)]
    return names
