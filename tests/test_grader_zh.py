"""Chinese feedback: a Chinese notebook (``"lang": "zh"`` in its metadata) gets Chinese advice
from `check`, and `grade` words its feedback in the submission's language or `--lang`, with the
same scores, tags and CSV as in English; an English notebook stays English."""

from __future__ import annotations

import json
import re
import unicodedata

import nbformat
import pytest
from grader_answers.support import REPO, notebook, run_grader, run_main
from nbclient import NotebookClient

HAN = re.compile(r"[\u4e00-\u9fff]")
ANSI = re.compile(r"\x1b\[[0-9;]*m")

ANSWERS = [
    "def grad_ex1(x, w, y):\n    return 2 * (x @ w - y) * x",  # right
    "def grad_ex2(X, w, y):\n    return X.T @ (X @ w - y)",  # the factor 2 is missing
    "def jacobian_Ax(A, x):\n    import torch\n    return torch.tensor(A)",  # torch is off
    "def explicit_ex2(m, n):\n    return 1.0, 2.0",  # numbers, not Symbols
]
# What each failure must say, in each language (independent of the catalog's wording where
# the student's own mistake is named: the factor 2, torch, Symbols).
SAYS = {
    "en": {"grad_ex2": ["Diagnosis (missing_factor)", "factor 2"],
           "jacobian_Ax": ["torch is switched off"], "explicit_ex2": ["Symbols"]},
    "zh": {"grad_ex2": ["诊断（missing_factor）", "因子 2"],
           "jacobian_Ax": ["torch 被关闭", "手工"], "explicit_ex2": ["Symbol", "计算图"]},
}
ENGLISH_ONLY = ("cases wrong", "Diagnosis", "switched off", "expected ", "your code")


def _width(line: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)


# ---- check() in a notebook, through a real kernel -------------------------------------------

def _run_check(folder, lang):
    """Execute a notebook whose check fails, from its own folder (as nbgrader and nbval do);
    the lines JupyterLab would show for the error."""
    nb = nbformat.v4.new_notebook()
    if lang:
        nb.metadata["lang"] = lang
    setup = f"import sys\nsys.path.insert(0, {str(REPO)!r})"  # this checkout's grader
    wrong = "def grad_ex2(X, w, y):\n    return X.T @ (X @ w - y)\n"
    check = "from grader import check\ncheck('grad_ex2', grad_ex2)\n"
    nb.cells = [nbformat.v4.new_code_cell(c) for c in (setup, wrong, check)]
    nbformat.write(nb, folder / "lesson.ipynb")
    NotebookClient(nb, timeout=120, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(folder)}}).execute()
    (error,) = [o for o in nb.cells[2].outputs if o.output_type == "error"]
    assert error.ename == "CheckFailed"
    return [ANSI.sub("", line) for text in error.traceback for line in text.splitlines()]


@pytest.mark.parametrize("lang", ["zh", None])
def test_a_failing_check_speaks_the_notebooks_language(tmp_path, monkeypatch, lang):
    monkeypatch.delenv("MINIGRAD_LANG", raising=False)
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    lines = _run_check(tmp_path, lang)
    shown = "\n".join(lines)
    assert 3 <= len(lines) <= 6 and all(_width(line) <= 88 for line in lines), shown
    assert lines[0].startswith("✗ grad_ex2"), shown
    if lang == "zh":
        assert "诊断（missing_factor）" in shown and "因子 2" in shown, shown
        assert not any(phrase in shown for phrase in ENGLISH_ONLY), shown
        assert len(HAN.findall(shown)) >= 20
    else:
        assert "Diagnosis (missing_factor)" in shown and not HAN.search(shown), shown


# ---- python -m grader grade / check -------------------------------------------------------

@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """One English and one Chinese submission with the same answers, graded three ways:
    by their metadata, with --lang zh and with --lang en."""
    root = tmp_path_factory.mktemp("zh")
    subs = root / "subs"
    notebook(ANSWERS, path=subs / "en.ipynb")
    zh = notebook(ANSWERS, path=subs / "zh.ipynb")
    zh["metadata"]["lang"] = "zh"
    (subs / "zh.ipynb").write_text(json.dumps(zh), encoding="utf-8")
    runs = {}
    for name, extra in (("meta", []), ("zh", ["--lang", "zh"]), ("en", ["--lang", "en"])):
        out, grades = root / f"{name}.json", root / f"{name}.csv"
        done = run_grader("grade", str(subs), "--out", str(out), "--csv", str(grades),
                          "--seed", "5", "--timeout", "20", *extra)
        assert done.returncode == 0, done.stderr
        records = {r["student"]: r for r in json.loads(out.read_text())}
        runs[name] = (records, grades.read_text())
    return root, runs


def _feedback(record):
    return {q["id"]: q["feedback"] for q in record["questions"]}


def _assert_speaks(record, lang):
    for qid, said in _feedback(record).items():
        assert said.startswith(("✓ " if qid == "grad_ex1" else "✗ ") + qid), said
        for phrase in SAYS[lang].get(qid, []):
            assert phrase in said, (qid, said)
        if lang == "zh":
            assert HAN.search(said), said
            assert not any(phrase in said for phrase in ENGLISH_ONLY), said
        else:
            assert not HAN.search(said), said


def test_grade_speaks_each_submissions_language(graded):
    _, runs = graded
    records, _ = runs["meta"]
    _assert_speaks(records["en"], "en")
    _assert_speaks(records["zh"], "zh")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_lang_overrides_the_metadata(graded, lang):
    _, runs = graded
    records, _ = runs[lang]
    for student in ("en", "zh"):
        _assert_speaks(records[student], lang)


def test_the_language_changes_the_feedback_only(graded):
    _, runs = graded
    def verdicts(record):
        return [(q["id"], q["passed"], q["score"], q["max_score"], q["misconception"])
                for q in record["questions"]]
    reference = verdicts(runs["en"][0]["en"])
    assert [v[1] for v in reference] == [True, False, False, False]
    assert reference[1][4] == "missing_factor" and reference[2][4] == "wrong_method"
    for records, _ in runs.values():
        for record in records.values():
            assert verdicts(record) == reference
            assert record["total"] == 2.0 and record["max_total"] == 8.0
    assert len({csv for _, csv in runs.values()}) == 1  # the CSV has no feedback


def test_check_notebook_speaks_its_language(graded):
    root, _ = graded
    zh = run_main("check", str(root / "subs" / "zh.ipynb"))
    assert zh.returncode == 1 and "诊断（missing_factor）" in zh.stdout, zh.stdout
    assert zh.stdout.rstrip().endswith("2/8 分"), zh.stdout
    en = run_main("check", str(root / "subs" / "zh.ipynb"), "--lang", "en")
    assert en.returncode == 1 and "Diagnosis (missing_factor)" in en.stdout, en.stdout
    assert en.stdout.rstrip().endswith("2/8 points"), en.stdout
    assert not HAN.search(en.stdout.split("points")[0])


def test_an_unknown_metadata_language_is_english(tmp_path):
    from grader import notebook as nbread

    for value in ("fr", ["zh"], {"zh": 1}, None, "ZH", "zh "):
        nb = notebook(ANSWERS[:1])
        nb["metadata"]["lang"] = value
        path = tmp_path / "odd.ipynb"
        path.write_text(json.dumps(nb), encoding="utf-8")
        assert nbread.read(path).language == "en", value
    nb["metadata"]["lang"] = "zh"
    path.write_text(json.dumps(nb), encoding="utf-8")
    assert nbread.read(path).language == "zh"


def test_every_case_is_named_in_chinese():
    """Feedback names the failing case ("case 2 (...)"): in Chinese, no English words."""
    import numpy as np

    from grader.messages import case_label
    from grader.questions import QUESTIONS

    english = re.compile(r"\b(random|graph|nodes?|chain|deep|branches|feeds|probe|program|"
                         r"float|grad|shape|parents|shared|with)\b")
    seen = 0
    for q in QUESTIONS.values():
        for case in q.draw(np.random.default_rng(0)):
            zh, en = case_label(case.label, "zh"), case_label(case.label, "en")
            assert en == case.label  # records keep the English label
            assert not english.search(zh), (q.id, zh)
            seen += bool(HAN.search(zh))
    assert seen >= 10  # labels with words were translated, not dropped
