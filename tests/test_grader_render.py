"""What a student sees in JupyterLab when a self-check fails: the notebook is executed by a real
kernel (nbclient) and the error output is read back as the front end would render it."""

from __future__ import annotations

import re

import nbformat
import pytest
from grader_answers.support import REPO
from nbclient import NotebookClient

ANSI = re.compile(r"\x1b\[[0-9;]*m")
WRONG = "def grad_ex2(X, w, y):\n    return X.T @ (X @ w - y)\n"
CHECK = "from grader import check\ncheck('grad_ex2', grad_ex2)\n"


@pytest.fixture(scope="module")
def executed():
    nb = nbformat.v4.new_notebook()
    setup = f"import sys\nsys.path.insert(0, {str(REPO)!r})"  # this checkout's grader
    nb.cells = [nbformat.v4.new_code_cell(c) for c in (setup, WRONG, CHECK)]
    NotebookClient(nb, timeout=120, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(REPO)}}).execute()
    return nb.cells[2].outputs


def test_a_failed_check_shows_its_message_without_a_traceback(executed):
    errors = [o for o in executed if o.output_type == "error"]
    assert len(errors) == 1 and not [o for o in executed if o.output_type == "stream"]
    error = errors[0]
    assert error.ename == "CheckFailed"  # an AssertionError subclass: nbgrader and nbval fail it
    lines = [ANSI.sub("", line) for text in error.traceback for line in text.splitlines()]
    shown = "\n".join(lines)
    assert "Traceback" not in shown and "File " not in shown and "practice.py" not in shown
    assert "----" not in shown  # IPython's traceback rule
    assert 3 <= len(lines) <= 5, shown
    assert lines[0].startswith("✗ grad_ex2") and "case 1" in lines[0]
    assert "expected [" in shown and "got [" in shown
    assert "Diagnosis (missing_factor)" in shown


def test_lines_are_short_and_break_between_numbers(executed):
    (error,) = [o for o in executed if o.output_type == "error"]
    lines = [ANSI.sub("", line) for text in error.traceback for line in text.splitlines()]
    assert all(len(line) <= 88 for line in lines), lines
    numbers = [line for line in lines if "expected" in line]
    # each number printed whole: every bracketed list parses back into floats
    for group in re.findall(r"\[([^\]]*)\]", " ".join(numbers)):
        for item in group.split(","):
            item = item.strip()
            if item and item != "…":
                float(item)
