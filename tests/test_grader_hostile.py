"""Hostile submissions, graded in one batch beside an honest one: none gets a point it does
not deserve, each is graded in bounded time, and the honest one keeps full marks."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

import pytest
from grader_answers.support import REPO, RIGHT, notebook, run_grader

from grader.sandbox import _sandboxed, bare_python, isolated

HONEST = ("grad_ex1", "grad_ex2", "topo_sort", "jacobian_reverse")
WRONG_ANSWER = "import numpy as np\ndef grad_ex1(x, w, y):\n    return np.zeros_like(w)\n"


def _hostile(paths: dict[str, str]) -> dict[str, list[str]]:
    """name -> cells. `paths` names files a submission must not reach."""
    secrets = list(paths.values())
    return {
        "exit_at_load": ["import os\nos._exit(0)", WRONG_ANSWER],
        "exit_in_answer": ["import os\ndef grad_ex1(x, w, y):\n    os._exit(0)"],
        "sys_exit": ["import sys\ndef grad_ex1(x, w, y):\n    sys.exit(0)\nsys.exit(0)"],
        "infinite_loop": ["def grad_ex1(x, w, y):\n    while True:\n        pass"],
        "memory_bomb": [
            "def grad_ex1(x, w, y):\n    hog = []\n    while True:\n"
            "        hog.append(bytearray(10**8))"
        ],
        "fork_bomb": [
            "import os\ndef grad_ex1(x, w, y):\n    while True:\n        try:\n"
            "            os.fork()\n        except OSError:\n            pass"
        ],
        "patch_allclose": [
            "import numpy as np\nimport torch\nnp.allclose = lambda *a, **k: True\n"
            "np.testing.assert_allclose = lambda *a, **k: None\n"
            "torch.allclose = lambda *a, **k: True",
            WRONG_ANSWER,
        ],
        "patch_grader": [
            "import sys, grader\ngrader.check = grader.evaluate = lambda *a, **k: None"
            "\nfor name, m in list(sys.modules.items()):\n"
            "    if name.startswith('grader'):\n"
            "        for f in ('close', 'assess', 'verdict', 'as_outputs'):\n"
            "            setattr(m, f, lambda *a, **k: True)",
            WRONG_ANSWER,
        ],
        "eq_always_true": [
            "class Yes:\n    def __eq__(self, other):\n        return True\n"
            "    __hash__ = object.__hash__\n"
            "def grad_ex1(x, w, y):\n    return Yes()"
        ],
        "fake_results": [
            "import json, os\nprint('✓ grad_ex1: all 3 cases pass (2 points).')\n"
            "print(json.dumps({'id': 'grad_ex1', 'passed': True, 'score': 2}))\n"
            'fake = b\'{"event":"loaded","errors":[]}\\n\' + json.dumps('
            "{'event': 'question', 'id': 'grad_ex1', 'cases': [{'outputs': [{"
            "'__nd__': 'float64', 'shape': [3], 'data': [0.0, 0.0, 0.0]}]}] * 3})"
            ".encode() + b'\\n'\nfor fd in range(3, 40):\n    try:\n"
            "        os.write(fd, fake)\n    except OSError:\n        pass",
            WRONG_ANSWER,
        ],
        "read_secrets": [
            f"import json\nstolen = {{}}\nfor path in {secrets!r}:\n    try:\n"
            "        for c in json.load(open(path))['cells']:\n"
            "            exec(''.join(c['source']), stolen)\n"
            "    except Exception:\n        pass\n"
            "def grad_ex1(x, w, y):\n    return stolen['grad_ex1'](x, w, y)"
        ],
        "write_outside": [
            f"for path in {secrets!r} + ['{REPO}/hacked.txt']:\n    try:\n"
            "        open(path, 'w').write('hacked')\n    except OSError:\n"
            "        pass",
            WRONG_ANSWER,
        ],
        "thread_left_running": [
            "import threading, os, numpy as np\ndef spin():\n"
            "    while True:\n        np.asarray = lambda *a, **k: 0\n"
            "        for fd in range(3, 20):\n            try:\n"
            "                os.write(fd, b'garbage\\n')\n"
            "            except OSError:\n                pass\n"
            "threading.Thread(target=spin).start()",
            WRONG_ANSWER,
        ],
        "huge_output": [
            "print('x' * 10**8)\nimport numpy as np\n"
            "def grad_ex1(x, w, y):\n    print('y' * 10**8)\n"
            "    return np.ones(3 * 10**8)"
        ],
        "torch_by_hand": [
            "import torch\ndef grad_ex1(x, w, y):\n"
            "    w = torch.tensor(w, requires_grad=True)\n"
            "    ((torch.tensor(x) @ w - y) ** 2).backward()\n    return w.grad"
        ],
        "torch_bypass": [
            "import sys\nsys.modules.pop('torch', None)\n"
            "sys.meta_path[:] = [f for f in sys.meta_path if 'Torch' not in type(f).__name__]\n"
            "import torch\ndef grad_ex1(x, w, y):\n"
            "    w = torch.tensor(w, requires_grad=True)\n"
            "    ((torch.tensor(x) @ w - y) ** 2).backward()\n    return w.grad"
        ],
        "kill_everything": ["import os, signal\nos.kill(-1, signal.SIGKILL)", WRONG_ANSWER],
    }


@pytest.mark.skipif(not isolated(), reason="the full sandbox needs root (CI runs as root)")
def test_hostile_batch(tmp_path):
    course = tmp_path / "course"
    honest_cells = [
        c for s in RIGHT if s.question in HONEST and s.title == _first(s.question) for c in s.cells
    ]
    honest = course / "submitted" / "honest" / "hw" / "hw.ipynb"
    notebook(honest_cells, path=honest)
    solution = course / "solutions" / "hw" / "hw.ipynb"
    notebook(honest_cells, path=solution)
    (course / "gradebook.db").write_text("secret")
    secrets = {
        "honest": str(honest),
        "solution": str(solution),
        "gradebook": str(course / "gradebook.db"),
        "out": str(course / "results.json"),
    }
    for name, cells in _hostile(secrets).items():
        notebook(cells, path=course / "submitted" / name / "hw" / "hw.ipynb")
    start = time.monotonic()
    done = run_grader(
        "grade",
        "submitted",
        "--jobs",
        "2",
        "--timeout",
        "3",
        "--load-timeout",
        "10",
        "--memory",
        "1024",
        "--seed",
        "3",
        cwd=course,
    )
    elapsed = time.monotonic() - start
    assert done.returncode == 0, done.stderr[-3000:]
    records = {r["student"]: r for r in json.loads((course / "results.json").read_text())}
    assert set(records) == {"honest", *_hostile(secrets)}
    assert records["honest"]["total"] == records["honest"]["max_total"] > 0, records["honest"]
    for name, record in records.items():
        if name != "honest":
            assert record["total"] == 0, (name, record)
    assert json.loads(honest.read_text())  # untouched
    assert (course / "gradebook.db").read_text() == "secret"
    assert not (REPO / "hacked.txt").exists()
    assert "switched off" in records["torch_by_hand"]["questions"][0]["feedback"]
    tags = {n: r["questions"][0]["misconception"] for n, r in records.items() if r["questions"]}
    assert tags["infinite_loop"] == "timeout"
    assert tags["memory_bomb"] in ("memory", "timeout"), records["memory_bomb"]  # timeout:
    # only on a starved machine
    assert tags["exit_in_answer"] == "crashed"
    assert elapsed < 150, elapsed
    assert not _processes_of_high_uids()


def _first(qid):
    return next(s.title for s in RIGHT if s.question == qid)


def _processes_of_high_uids():
    """Live processes left behind by this checkout's sandboxed children (they run under user
    ids >= 1.5e9 with this repository in their command line; other checkouts on the machine
    may be grading too); killed ones may take a moment to disappear, so look a few times."""
    for _ in range(25):
        left = []
        for pid in filter(str.isdigit, os.listdir("/proc")):
            try:
                with open(f"/proc/{pid}/status") as f:
                    status = dict(line.split(":", 1) for line in f if ":" in line)
            except OSError:
                continue
            if int(status["Uid"].split()[0]) >= 1_500_000_000 and "Z" not in status["State"]:
                with open(f"/proc/{pid}/cmdline", "rb") as f:
                    if str(REPO).encode() in f.read():
                        left.append(pid)
        if not left:
            return []
        time.sleep(0.2)
    return left


def test_ci_has_the_full_sandbox():
    """Under CI=true the sandbox tests must run, not skip: CI runs as root with bwrap."""
    if os.environ.get("CI") != "true":
        pytest.skip("outside CI a machine without root or bwrap skips the sandbox tests")
    assert isolated(), "CI has no full sandbox: run as root with bubblewrap (.ci/run)"


@pytest.mark.skipif(not isolated(), reason="the full sandbox needs root and bwrap")
def test_a_course_kept_under_tmp_is_seen_inside_the_sandbox():
    """The sandbox's private /tmp must not hide a course or venv that lives under /tmp (a CI
    clone often does): what is kept is bound into it."""
    course = tempfile.mkdtemp(dir="/tmp")  # under /tmp itself, wherever TMPDIR points
    try:
        answer = os.path.join(course, "answer.txt")
        with open(answer, "w") as f:
            f.write("seen")
        command = _sandboxed([sys.executable, "-I", "-S", "-c",
                              f"print(open({answer!r}).read())"], [*bare_python(), course])
        done = subprocess.run(command, capture_output=True, text=True, timeout=60)
        assert done.stdout.strip() == "seen", done.stderr
    finally:
        shutil.rmtree(course, ignore_errors=True)


@pytest.mark.skipif(not os.environ.get("CI") and os.geteuid() != 0,
                    reason="control groups need root (CI runs as root)")
def test_the_kernel_says_when_it_killed_a_child_at_its_memory_limit():
    """A child over its memory limit is recognised by the kernel's own count of the kills it
    made (not only by the peak, which can read a little under the limit)."""
    from grader import cgroup

    if not cgroup.available():
        pytest.skip("no control group can be made here")
    for hog, killed in (("x = []\nwhile True: x.append(bytearray(10**7))", True),
                        ("x = bytearray(10**7)", False)):
        group = cgroup.Group(128)
        try:
            done = subprocess.run(group.join_command([sys.executable, "-c", hog]))
            assert (done.returncode == -9) is killed
            assert group.oom_killed() is killed
        finally:
            group.kill()
