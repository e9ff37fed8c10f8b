"""Reading a submitted notebook: the code to execute, and which catalog questions it answers.

Test cells are not executed: nbgrader's autograder test cells (`grade: true, solution: false`)
and cells that only import the grader and call `check`.  Their results are never trusted; the
grader draws its own inputs and judges the answers itself."""

from __future__ import annotations

import ast
import hashlib
import os
import re
import stat
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat

from . import messages, wire
from .questions import QUESTIONS

GRADER_CALLS = {"check", "evaluate"}
MAX_BYTES = 16 * 2**20  # a lesson with its outputs (plots) is well under 2 MB
MAX_CODE_BYTES = 2**20  # lessons hold about 50 kB of code
MAX_DEPTH = 64


@dataclass
class Notebook:
    path: Path
    digest: str
    cells: list[str] = field(default_factory=list)  # code to execute, IPython syntax removed
    tested: list[str] = field(default_factory=list)  # ids named by nbgrader test cells
    defined: list[str] = field(default_factory=list)  # catalog names defined at top level
    raising: list[int] = field(default_factory=list)  # cells (1-based) meant to raise an error
    language: str = "en"  # of its feedback: its metadata's "lang" if that is "zh", else "en"


class NotebookError(ValueError):
    """A submission that cannot be graded as a notebook; the message says why."""


def read(path: Path) -> Notebook:
    """The notebook at `path`, read without trusting it: a regular file (a symbolic link, FIFO
    or device is refused, not followed or opened for reading), at most `MAX_BYTES`, valid JSON
    of bounded nesting and a valid nbformat notebook (version 3 is converted to 4)."""
    raw = _read_regular(path)
    if wire.depth(raw) > MAX_DEPTH:
        raise NotebookError("the file is nested too deeply to be a notebook")
    try:
        text = raw.decode("utf-8")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            data = nbformat.reads(text, as_version=4)
            nbformat.validate(data)
    except UnicodeDecodeError:
        raise NotebookError("the file is not UTF-8 text") from None
    except (ValueError, RecursionError, MemoryError, nbformat.ValidationError) as error:
        raise NotebookError(f"not a valid notebook: {wire.clean(error, 200)}") from None
    except Exception as error:  # nbformat's conversion of old or odd files
        raise NotebookError(f"not a notebook nbformat can read: {wire.clean(error, 200)}") from None
    metadata = data.get("metadata")
    lang = messages.language(metadata.get("lang") if isinstance(metadata, dict) else None)
    nb = Notebook(path, hashlib.sha256(raw).hexdigest(), language=lang)
    code_bytes = 0
    for cell in data.cells:
        if cell.cell_type != "code":
            continue
        source = str(cell.source)
        code_bytes += len(source)
        if code_bytes > MAX_CODE_BYTES:
            raise NotebookError(f"more than {MAX_CODE_BYTES // 2**20} MB of code")
        meta = cell.metadata.get("nbgrader", {})
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
        tags = cell.metadata.get("tags", [])
        if isinstance(tags, list) and "raises-exception" in tags:  # nbval's tag: an error shown
            nb.raising.append(len(nb.cells))  # on purpose, not a fault of the notebook
    return nb


def _read_regular(path: Path) -> bytes:
    """The bytes of `path` if it is a regular file of at most `MAX_BYTES` (not followed if it
    is a link; a FIFO is never opened for reading)."""
    try:
        info = os.lstat(path)
    except OSError as error:
        raise NotebookError(f"cannot read the file: {error.strerror}") from None
    if not stat.S_ISREG(info.st_mode):
        kind = "a symbolic link" if stat.S_ISLNK(info.st_mode) else "not a regular file"
        raise NotebookError(f"the submission is {kind}: only regular files are graded")
    if info.st_size > MAX_BYTES:
        raise NotebookError(f"the file is larger than {MAX_BYTES // 2**20} MB")
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError as error:
        raise NotebookError(f"cannot read the file: {error.strerror}") from None
    with os.fdopen(fd, "rb") as f:
        if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):
            raise NotebookError("the submission is not a regular file")
        raw = f.read(MAX_BYTES + 1)
    if len(raw) > MAX_BYTES:
        raise NotebookError(f"the file is larger than {MAX_BYTES // 2**20} MB")
    return raw


def questions_of(nb: Notebook, assignment: str) -> list[str]:
    """Ids to grade: named by test cells, defined in the notebook, or in the assignment's
    lesson (so a deleted answer still counts as a missing one), in catalog order."""
    wanted = set(nb.tested) | set(nb.defined)
    wanted |= {q.id for q in QUESTIONS.values() if q.lesson == assignment}
    return [qid for qid in QUESTIONS if qid in wanted]


def python_code(source: str) -> str:
    """Cell source as plain Python: IPython magics and shell escapes become calls to
    `get_ipython()` (which the sandbox provides as a stub).  A cell magic (`%%time`) is one
    transformation of the whole cell by IPython; a line magic or shell escape is rewritten
    by a regular expression, so that the cost stays linear in the cell's size (IPython's
    transformer re-reads the whole cell for each magic line)."""
    if not _MAGIC.search(source):
        return source
    if source.lstrip().startswith("%%"):
        try:
            from IPython.core.inputtransformer2 import TransformerManager

            return str(TransformerManager().transform_cell(source))
        except Exception:  # no IPython, or a cell it cannot read: the body as it is
            return source.lstrip().partition("\n")[2]
    return _MAGIC.sub(_magic_call, source)


_MAGIC = re.compile(r"(?m)^([ \t]*)(%{1,2}|!)([^\n]*)$")


def _magic_call(match: re.Match[str]) -> str:
    indent, kind, rest = match.groups()
    if kind == "!":
        return f"{indent}get_ipython().system({rest!r})"
    name, _, line = rest.partition(" ")
    method = "run_line_magic" if kind == "%" else "run_cell_magic"
    tail = ", ''" if kind == "%%" else ""
    return f"{indent}get_ipython().{method}({name!r}, {line!r}{tail})"


def _parse(code: str) -> ast.Module | None:
    try:
        return ast.parse(code)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
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
