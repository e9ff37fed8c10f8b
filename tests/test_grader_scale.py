"""Grading a large class: shards and their merge, a Dask cluster, the journal, progress,
`--only`, the Gradescope bundle and the LMS exports.

One class of 22 submissions (right, wrong and hostile ones, with short time limits) is graded
three ways: on this machine, as two shards then merged, and on a Dask LocalCluster; since hidden
inputs are keyed by (seed, submission, question), every way must give the same records, byte
for byte."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from grader_answers.support import RIGHT, WRONG, notebook, run_grader, run_main

from grader import batch, export, gradescope, journal, judge, messages, shard
from grader.progress import Progress
from grader.questions import QUESTIONS
from grader.runner import Submission

LIMITS = ("--timeout", "3", "--load-timeout", "15", "--memory", "1024", "--seed", "11")
ASKED = ("grad_ex1", "grad_ex2", "unbroadcast")
WRONG_EX1 = "import numpy as np\ndef grad_ex1(x, w, y):\n    return np.zeros_like(w)\n"


def _answers(k: int, right: bool) -> list[str]:
    pool = RIGHT if right else WRONG
    cells: list[str] = []
    for qid in ASKED:
        mine = [s for s in pool if s.question == qid]
        cells += mine[k % len(mine)].cells
    return cells


HOSTILE = {
    "exit_at_load": ["import os\nos._exit(0)", WRONG_EX1],
    "exit_in_answer": ["import os\ndef grad_ex1(x, w, y):\n    os._exit(3)"],
    "sys_exit": ["import sys\ndef grad_ex1(x, w, y):\n    sys.exit(0)\nsys.exit(0)"],
    "infinite_loop": ["def grad_ex1(x, w, y):\n    while True:\n        pass"],
    "fake_channel": [
        "import json, os\nfake = json.dumps({'event': 'question', 'id': 'grad_ex1', 'cases': "
        "[{'outputs': [{'__nd__': 'float64', 'shape': [3], 'data': [0.0] * 3}]}] * 3})\n"
        "for fd in range(3, 40):\n    try:\n        os.write(fd, fake.encode() + b'\\n')\n"
        "    except OSError:\n        pass",
        WRONG_EX1,
    ],
    "patch_allclose": [
        "import numpy as np\nnp.allclose = lambda *a, **k: True\n"
        "np.testing.assert_allclose = lambda *a, **k: None",
        WRONG_EX1,
    ],
    "eq_always_true": [
        "class Yes:\n    def __eq__(self, other):\n        return True\n"
        "    __hash__ = object.__hash__\n"
        "def grad_ex1(x, w, y):\n    return Yes()"
    ],
    "fake_print": ["print('✓ grad_ex1: all 3 cases pass (2 points).')", WRONG_EX1],
}
BROKEN_FILES = {
    "broken_json": b'{"cells": [{"cell_type": "code", "source": "def grad',
    "not_json": bytes(range(256)) * 4,
    "empty": b"",
    "cells_not_a_list": b'{"cells": 7, "nbformat": 4}',
}


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """22 submissions in an nbgrader submitted/ tree, graded once on this machine."""
    root = tmp_path_factory.mktemp("scale")
    subs = root / "submitted"
    for k in range(6):
        notebook(_answers(k, True), path=subs / f"right{k}" / "hw" / "hw.ipynb")
    for k in range(4):
        notebook(_answers(k, False), path=subs / f"wrong{k}" / "hw" / "hw.ipynb")
    for name, cells in HOSTILE.items():
        notebook(cells, path=subs / name / "hw" / "hw.ipynb")
    for name, raw in BROKEN_FILES.items():
        (subs / name / "hw").mkdir(parents=True)
        (subs / name / "hw" / "hw.ipynb").write_bytes(raw)
    done = _grade(root, "--out", "local.json", "--jobs", "2")
    return root, json.loads((root / "local.json").read_text()), done


def _grade(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    done = run_grader("grade", "submitted", *LIMITS, *args, cwd=root)
    assert done.returncode == 0, done.stderr[-3000:]
    return done


def _sorted_text(records):
    return json.dumps(shard.sort(records), indent=1, ensure_ascii=False) + "\n"


def test_the_class_is_graded_as_expected(course):
    """The baseline the other ways are compared with is itself right: full marks for the
    right answers, none for wrong or hostile ones, a record for every file."""
    _, records, _ = course
    by_student = {r["student"]: r for r in records}
    assert len(records) == 6 + 4 + len(HOSTILE) + len(BROKEN_FILES) == 22
    for k in range(6):
        r = by_student[f"right{k}"]
        assert r["total"] == r["max_total"] == sum(QUESTIONS[q].points for q in ASKED), r
    for name, r in by_student.items():
        if not name.startswith("right"):
            assert r["total"] == 0, r
    assert by_student["infinite_loop"]["questions"][0]["misconception"] == "timeout"
    assert by_student["exit_in_answer"]["questions"][0]["misconception"] == "crashed"
    for name in BROKEN_FILES:
        assert by_student[name]["errors"], by_student[name]


@pytest.fixture(scope="module")
def shards(course):
    root, _, _ = course
    for i in range(2):
        _grade(root, "--shard", f"{i}/2", "--out", f"shard{i}.json", "--jobs", "2")
    return root


def test_two_shards_merged_equal_the_unsharded_run(course, shards):
    root, records, _ = course
    parts = [json.loads((root / f"shard{i}.json").read_text()) for i in range(2)]
    assert [p["shard"] for p in parts] == [[0, 2], [1, 2]]
    assert all(p["records"] for p in parts), "a class of 22 in two shards: both hold some"
    done = run_main(
        "merge",
        "shard1.json",
        "shard0.json",
        "--out",
        "merged.json",
        "--csv",
        "merged.csv",
        cwd=root,
    )
    assert done.returncode == 0, done.stderr
    assert (root / "merged.json").read_text() == _sorted_text(records)


def test_merge_refuses_missing_and_overlapping_shards(shards):
    root = shards
    cases = {
        ("shard0.json",): "shards missing: 1/2",
        ("shard0.json", "shard1.json", "shard0.json"): "given twice",
        ("shard0.json", "local.json"): "not a shard",
    }
    overlap = json.loads((root / "shard1.json").read_text())
    overlap["records"].append(json.loads((root / "shard0.json").read_text())["records"][0])
    (root / "overlap.json").write_text(json.dumps(overlap))
    cases[("shard0.json", "overlap.json")] = "graded in two shards"
    other_seed = dict(overlap, seed="0" * 16)
    (root / "other_seed.json").write_text(json.dumps(other_seed))
    cases[("shard0.json", "other_seed.json")] = "different seeds"
    for files, message in cases.items():
        done = run_main("merge", *files, "--out", "refused.json", cwd=root)
        assert done.returncode == 2, (files, done.stdout)
        assert message in done.stderr, (files, done.stderr)
        assert not (root / "refused.json").exists()


def test_a_dask_local_cluster_gives_the_local_results(course):
    pytest.importorskip("distributed")
    root, records, _ = course
    _grade(root, "--dask", "local:2", "--out", "dask.json")
    dask_records = json.loads((root / "dask.json").read_text())
    assert _sorted_text(dask_records) == _sorted_text(records)


def test_shards_are_stable_when_the_class_grows():
    """A submission's shard depends on its name only: adding students moves nobody, every
    submission is in exactly one shard, and the shards are of similar size."""
    subs = [Submission(Path(f"s{k}.ipynb"), f"student{k}", "01_chain_rule") for k in range(2000)]
    before = {s: shard.shard_of(s, 8) for s in subs[:1000]}
    assert all(shard.shard_of(s, 8) == i for s, i in before.items())
    parts = [shard.select(subs, i, 8) for i in range(8)]
    assert sorted(s.key for p in parts for s in p) == sorted(s.key for s in subs)
    assert all(200 < len(p) < 300 for p in parts), [len(p) for p in parts]  # 250 expected
    assert shard.select(list(reversed(subs)), 3, 8) == list(reversed(parts[3]))


def test_a_shard_without_a_fixed_seed_is_refused(tmp_path, monkeypatch):
    monkeypatch.delenv("GRADER_SEED", raising=False)
    done = run_main("grade", str(tmp_path), "--shard", "0/2", cwd=tmp_path)
    assert done.returncode == 2 and "--seed" in done.stderr


@pytest.mark.parametrize("text", ["2/2", "-1/3", "a/b", "3", "0/0"])
def test_a_bad_shard_is_refused(text):
    with pytest.raises(shard.ShardError):
        shard.parse(text)


def test_only_regrades_the_named_students_and_keeps_the_rest(course, tmp_path):
    root, records, _ = course
    out = tmp_path / "results.json"
    out.write_text(json.dumps(records))
    # wrong0 hands in a corrected notebook; right0's record is kept although it was edited too
    notebook(_answers(0, True), path=root / "submitted" / "wrong0" / "hw" / "hw.ipynb")
    done = _grade(root, "--only", "wrong0", "--out", str(out))
    again = {r["student"]: r for r in json.loads(out.read_text())}
    assert again["wrong0"]["total"] == again["wrong0"]["max_total"] > 0
    assert [r for r in again.values() if r["student"] != "wrong0"] == [
        r for r in records if r["student"] != "wrong0"
    ]
    assert done.stdout.count("kept from the last run") == len(records) - 1
    notebook(_answers(0, False), path=root / "submitted" / "wrong0" / "hw" / "hw.ipynb")
    missing = run_main("grade", "submitted", "--only", "nobody", "--out", str(out), cwd=root)
    assert missing.returncode == 2 and "nobody" in missing.stderr


def _fake_records(n):
    return [
        {
            "submission": f"s{k}.ipynb",
            "student": f"s{k}",
            "assignment": "hw",
            "questions": [],
            "total": float(k),
            "max_total": 9.0,
            "errors": [],
        }
        for k in range(n)
    ]


def test_the_results_file_is_written_once_and_the_journal_holds_each_record(tmp_path, monkeypatch):
    """The old batch rewrote the whole results file per record (quadratic in the class size):
    now each record is one journal line, and the results file is written once."""
    subs = [Submission(Path(f"s{k}.ipynb"), f"s{k}", "hw") for k in range(30)]
    records = _fake_records(30)
    out = tmp_path / "results.json"
    writes, lines_seen = [], []
    real = batch.report.write_atomic
    monkeypatch.setattr(batch.report, "write_atomic", lambda p, t: (writes.append(p), real(p, t)))

    def backend(todo):
        for r in records:
            lines_seen.append(len(journal.read(journal.path_for(out))))
            yield r

    got = batch.grade_all(subs, None, out, backend=backend, log=io.StringIO())
    assert got == records and writes == [out]
    assert lines_seen == list(range(30))  # record k-1 was on disk before k was graded
    assert json.loads(out.read_text()) == records
    assert not journal.path_for(out).exists()


def test_an_interrupted_batch_writes_its_results_and_a_killed_one_resumes(tmp_path):
    subs = [Submission(Path(f"s{k}.ipynb"), f"s{k}", "hw") for k in range(10)]
    records = _fake_records(10)
    out = tmp_path / "results.json"

    def interrupted(todo):
        yield from records[:4]
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        batch.grade_all(subs, None, out, backend=interrupted, log=io.StringIO())
    assert json.loads(out.read_text()) == records[:4]
    # a killed run leaves only its journal, the last line cut short
    out.unlink()
    book = journal.Journal(journal.path_for(out))
    for r in records[:3]:
        book.append(r)
    book.close()
    with open(journal.path_for(out), "ab") as f:
        f.write(b'{"submission": "s3.ip')
    assert batch.previous(out) == records[:3]
    book = journal.Journal(journal.path_for(out))  # appending after the torn line
    book.append(records[5])
    book.close()
    assert batch.previous(out) == [*records[:3], records[5]]


def test_a_killed_batch_resumes_from_its_journal(tmp_path):
    """What the journal holds is not graded again (unless the notebook changed since)."""
    subs = []
    for k in range(6):
        path = tmp_path / f"s{k}.ipynb"
        notebook([f"x = {k}"], path=path)
        subs.append(Submission(path, f"s{k}", "hw"))
    records = _fake_records(6)
    for r, sub in zip(records, subs):
        r["submission"] = str(sub.path)
        r["digest"] = hashlib.sha256(sub.path.read_bytes()).hexdigest()
    out = tmp_path / "results.json"
    book = journal.Journal(journal.path_for(out))
    for r in records[:4]:
        book.append(r)
    book.close()
    notebook(["x = 'changed'"], path=subs[1].path)  # a resubmission after the crash
    graded = []

    def backend(todo):
        graded.extend(s.student for s in todo)
        for s in todo:
            yield records[int(s.student[1:])]

    log = io.StringIO()
    got = batch.grade_all(subs, None, out, backend=backend, log=log)
    assert graded == ["s1", "s4", "s5"]
    assert got == records and json.loads(out.read_text()) == records
    assert log.getvalue().count("kept from the last run") == 3


def test_only_keeps_everyone_else_even_with_force(tmp_path):
    subs = [Submission(Path(f"s{k}.ipynb"), f"s{k}", "hw") for k in range(5)]
    records = _fake_records(5)
    out = tmp_path / "results.json"
    out.write_text(json.dumps(records))
    regraded = dict(records[2], total=8.0)

    def backend(todo):
        assert todo == [subs[2]]
        yield regraded

    got = batch.grade_all(subs, None, out, force=True, only={"s2"}, backend=backend,
                          log=io.StringIO())
    assert got == [*records[:2], regraded, *records[3:]]


def test_ctrl_c_writes_the_results_so_far_and_the_same_command_resumes(tmp_path):
    for k in range(6):
        notebook(_answers(k, True)[:2], path=tmp_path / "subs" / f"s{k}.ipynb")
    args = [sys.executable, "-m", "grader", "grade", "subs", "--seed", "4", "--out", "r.json"]
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    child = subprocess.Popen(
        args,
        cwd=tmp_path,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    book = journal.path_for(tmp_path / "r.json")
    deadline = time.monotonic() + 300
    while not journal.read(book) and child.poll() is None and time.monotonic() < deadline:
        time.sleep(0.1)
    child.send_signal(signal.SIGINT)
    _, err = child.communicate(timeout=300)
    kept = json.loads((tmp_path / "r.json").read_text())
    if child.returncode == 0:
        pytest.skip("the batch ended before the interrupt arrived")
    assert child.returncode == 130 and "run the same command again" in err, err[-2000:]
    assert 1 <= len(kept) < 6 and not book.exists()
    again = run_grader("grade", "subs", "--seed", "4", "--out", "r.json", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert again.stdout.count("kept from the last run") == len(kept)
    assert len(json.loads((tmp_path / "r.json").read_text())) == 6


def test_progress_is_a_line_per_5_percent_off_a_terminal():
    stream = io.StringIO()
    bar = Progress(40, stream)
    for _ in range(40):
        bar.step()
    bar.close()
    lines = stream.getvalue().splitlines()
    assert len(lines) == 20
    assert lines[0].startswith("graded 2/40 (5%)") and lines[-1].startswith("graded 40/40 (100%)")
    assert all("submissions/s" in line and "left" in line for line in lines)


def test_progress_is_a_bar_with_rate_and_eta_on_a_terminal():
    class Terminal(io.StringIO):
        def isatty(self):
            return True

    stream = Terminal()
    bar = Progress(10, stream)
    for _ in range(10):
        bar.step()
    bar.close()
    text = stream.getvalue()
    assert "10/10" in text and "submission/s" in text and "<" in text  # elapsed<remaining


LESSON = "01_chain_rule"


def test_run_autograder_writes_gradescope_results(tmp_path):
    """The bundle's run_autograder, against a folder standing in for /autograder."""
    jsonschema = pytest.importorskip("jsonschema")
    bundle = gradescope.build(LESSON, tmp_path / "autograder.zip", seed=5)
    root = tmp_path / "autograder"
    with zipfile.ZipFile(bundle) as z:
        names = set(z.namelist())
        assert {"setup.sh", "run_autograder", "course/pyproject.toml"} <= names
        assert "course/grader/runner.py" in names and "course/minigrad/tensor.py" in names
        z.extractall(root / "source")
    ids = [qid for qid, q in QUESTIONS.items() if q.lesson == LESSON]
    wrong_first = next(s for s in WRONG if s.question == ids[0] and s.tag)
    cells = list(wrong_first.cells)
    for qid in ids[1:]:
        cells += next(s for s in RIGHT if s.question == qid).cells
    notebook(cells, path=root / "submission" / "my work.ipynb")
    (root / "submission_metadata.json").write_text(json.dumps({"users": [{"id": 42}]}))
    setup = subprocess.run(["bash", "-n", str(root / "source" / "setup.sh")], capture_output=True)
    assert setup.returncode == 0, setup.stderr
    script = root / "source" / "run_autograder"
    script.chmod(0o755)
    env = {**os.environ, "GRADESCOPE_ROOT": str(root), "PYTHON": sys.executable}
    done = subprocess.run([str(script)], env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    results = json.loads((root / "results" / "results.json").read_text())
    schema = json.loads(gradescope.SCHEMA.read_text())
    jsonschema.validate(results, schema)
    tests = {t["name"]: t for t in results["tests"]}
    assert len(tests) == 2 * len(ids)
    for qid in ids:
        visible, hidden = tests[f"{qid} (your notebook's inputs)"], tests[f"{qid} (hidden inputs)"]
        assert visible["visibility"] == "visible" and visible["max_score"] == 0
        assert hidden["visibility"] == "after_published"
        assert hidden["max_score"] == QUESTIONS[qid].points
        right = qid != ids[0]
        assert hidden["score"] == (QUESTIONS[qid].points if right else 0)
        assert hidden["status"] == visible["status"] == ("passed" if right else "failed")
    wrong = tests[f"{ids[0]} (hidden inputs)"]
    assert wrong["tags"] == [wrong_first.tag] and wrong["output"]
    advice = {w.tag: w.advice for w in (*judge.GENERIC, *QUESTIONS[ids[0]].wrong)}
    assert messages.text(advice[wrong_first.tag], "en") in wrong["output"]  # advice is an id


def test_a_submission_without_a_notebook_gets_zero_and_a_reason(tmp_path):
    """A link is not followed (it could point at the bundle's seed): no notebook, no points."""
    jsonschema = pytest.importorskip("jsonschema")
    root = tmp_path / "autograder"
    with zipfile.ZipFile(gradescope.build(LESSON, tmp_path / "a.zip", seed=5)) as z:
        z.extractall(root / "source")
    (root / "submission").mkdir()
    (root / "submission" / "hw.ipynb").symlink_to(root / "source" / "config.json")
    results = gradescope.run(root)
    assert results == json.loads((root / "results" / "results.json").read_text())
    jsonschema.validate(results, json.loads(gradescope.SCHEMA.read_text()))
    assert results["score"] == 0 and "No notebook" in results["output"]


def test_the_gradescope_schema_refuses_what_gradescope_would():
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(gradescope.SCHEMA.read_text())
    good = {"tests": [{"name": "a", "score": 1, "max_score": 2, "visibility": "visible"}]}
    jsonschema.validate(good, schema)
    for bad in (
        {"tests": [{"name": "a", "max_score": 2}]},  # no score anywhere
        {"score": 1, "tests": [{"score": 1, "visibility": "later"}]},
        {"score": 1, "tests": [{"score": 1, "maxscore": 2}]},
        {"score": "full"},
    ):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(bad, schema)


EXPORT_RECORDS = [
    {"submission": "a/hw1/n.ipynb", "student": "ana", "assignment": "hw1", "total": 3.5,
     "max_total": 6.0},
    {"submission": "a/hw1/m.ipynb", "student": "ana", "assignment": "hw1", "total": 2.0,
     "max_total": 3.0},
    {"submission": "a/hw2/n.ipynb", "student": "ana", "assignment": "hw2", "total": 0.25,
     "max_total": 4.0},
    {"submission": "b/hw1/n.ipynb", "student": "bo, jr", "assignment": "hw1", "total": 9.0,
     "max_total": 9.0},
]
EXPECTED = {("ana", "hw1"): 5.5, ("ana", "hw2"): 0.25, ("bo, jr", "hw1"): 9.0}


def _parse(fmt: str, text: str) -> dict[tuple[str, str], float]:
    """Read an export back as its LMS documents it."""
    rows = list(csv.DictReader(io.StringIO(text)))
    if fmt == "nbgrader":
        return {(r["student_id"], r["assignment"]): float(r["score"]) for r in rows}
    ident, skip = ("SIS Login ID", 5) if fmt == "canvas" else ("Username", 1)
    scores = {}
    for r in rows:
        if r.get("Student", "").strip() == "Points Possible":
            continue
        for column in list(r)[skip:]:
            if r[column] != "":
                scores[(r[ident], column)] = float(r[column])
    return scores


@pytest.mark.parametrize("fmt", export.FORMATS)
def test_each_export_parses_back_to_the_same_scores(fmt, tmp_path):
    paths = [tmp_path / "one.json", tmp_path / "two.json"]
    paths[0].write_text(json.dumps(EXPORT_RECORDS[:2]))
    paths[1].write_text(json.dumps(EXPORT_RECORDS[2:]))
    out = tmp_path / f"{fmt}.csv"
    done = run_main("export", *map(str, paths), "--format", fmt, "--out", str(out))
    assert done.returncode == 0, done.stderr
    got = _parse(fmt, out.read_text())
    expected = dict(EXPECTED)
    if fmt != "nbgrader":
        expected[("bo, jr", "hw2")] = 0.0  # a grid: no submission is 0 points
    assert got == expected
    if fmt == "canvas":
        possible = next(csv.reader(io.StringIO(out.read_text().splitlines()[1])))
        assert possible[0] == "Points Possible" and possible[5:] == ["9", "4"]


def test_export_refuses_a_submission_given_twice(tmp_path):
    paths = [tmp_path / "one.json", tmp_path / "two.json"]
    for p in paths:
        p.write_text(json.dumps(EXPORT_RECORDS[:1]))
    done = run_main("export", *map(str, paths), "--format", "canvas", "--out", "x.csv",
                      cwd=tmp_path)
    assert done.returncode == 2 and "is in both" in done.stderr


def test_a_grader_failure_is_a_record_with_the_assignments_full_points(tmp_path):
    """Even when the grader itself raises, the submission's record shows 0 of the lesson's
    points (0/6 for lesson 01, never 0/0) and says why."""

    class Broken:
        def grade(self, sub: Submission) -> dict:
            raise RuntimeError("boom")

    sub = Submission(tmp_path / "x.ipynb", "alice", "01_chain_rule")
    record = batch.grade_safely(Broken(), sub)  # type: ignore[arg-type]
    full = sum(q.points for q in QUESTIONS.values() if q.lesson == "01_chain_rule")
    assert record["total"] == 0 and record["max_total"] == full > 0
    assert len(record["questions"]) == 3 and "boom" in record["errors"][0]


def test_the_journal_keeps_a_name_that_is_not_utf8(tmp_path):
    """A submission file named with bytes that are not UTF-8 (Python gives surrogates) and a
    Chinese name both go through the journal and come back unchanged."""
    records = _fake_records(2)
    records[0]["submission"] = os.fsdecode(b"class/caf\xe9/hw.ipynb")
    records[1]["submission"] = "class/学生/hw.ipynb"
    book = journal.Journal(tmp_path / "results.json.journal")
    for r in records:
        book.append(r)
    book.close()
    assert journal.read(tmp_path / "results.json.journal") == records
