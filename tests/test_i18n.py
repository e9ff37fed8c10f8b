"""The Chinese edition (中文版): one source, two languages, no drift.

`zh/` is built from `solutions/` and the translations in `i18n/zh/` (`make lessons`).  These
tests check that every markdown cell has a current translation, that the Chinese notebooks
differ from the English ones in their prose only (code, ids, graded ids, points, checksums),
that they grade like the English ones (through `grade` and through nbgrader in the course root
`zh/`), and that minigrad's own explanations exist in both languages and follow the notebook.
The Chinese notebooks themselves run under nbval (`zh/solutions` is in pytest's testpaths).
"""

from __future__ import annotations

import os
import re
import string
import sys
from pathlib import Path

import nbformat
import pytest
from lesson_flows import nbgrader_flow

import minigrad
from grader.questions import lesson_questions
from minigrad import _lang, errors, symbolic

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from i18n import build, catalog  # noqa: E402

LESSONS = catalog.lessons()
CJK = re.compile(r"[\u4e00-\u9fff]")


def notebook(*parts: str) -> nbformat.NotebookNode:
    lesson = parts[-1]
    return nbformat.read(ROOT.joinpath(*parts[:-1], lesson, f"{lesson}.ipynb"), as_version=4)


# -- translations ------------------------------------------------------------------------------

@pytest.mark.parametrize("lesson", LESSONS)
def test_every_markdown_cell_has_a_current_translation(lesson):
    """One failure per lesson whose English changed: `python -m i18n.build show LESSON` lists
    the cells to re-translate, `python -m i18n.build stamp LESSON CELL` marks them done."""
    st = catalog.status(lesson)
    assert st.current, (f"{lesson}: missing {st.missing}, stale {st.stale}, "
                        f"never stamped {st.unstamped}, no such cell {st.orphans}")


def _maths(text: str) -> list[str]:
    found = re.findall(r"\$\$.+?\$\$|\$[^$]+\$", text, flags=re.S)
    return sorted(re.sub(r"\s+", " ", m) for m in found)


def _prose(text: str) -> str:
    """`text` without what stays English on purpose: maths, code, links' targets, titles of
    works in italics, tags."""
    text = re.sub(r"```.*?```", " ", text, flags=re.S)
    text = re.sub(r"\$\$.+?\$\$|\$[^$]+\$|`[^`]*`|\]\([^)]*\)|<[^>]+>", " ", text, flags=re.S)
    return re.sub(r"\*[A-Z][^*]{20,}\*", " ", text)


@pytest.mark.parametrize("lesson", LESSONS)
def test_translations_keep_the_maths_and_leave_no_english_prose(lesson):
    english = {c.id: c.source for c in catalog.markdown_cells(lesson)}
    for cid, entry in catalog.read(catalog.translation_path(lesson)).items():
        assert CJK.search(entry.text), f"{lesson}/{cid} is not translated"
        assert _maths(entry.text) == _maths(english.get(cid, entry.text)), (
            f"{lesson}/{cid}: the mathematics differs from the English")
        runs = re.findall(r"[A-Za-z][A-Za-z'-]*(?:[ ,;:]+[A-Za-z][A-Za-z'-]*){5,}",
                          _prose(entry.text))
        assert not runs, f"{lesson}/{cid}: English prose left: {runs}"


def test_a_changed_english_sentence_makes_its_translation_stale(tmp_path, monkeypatch):
    """The key is the English text itself: one changed sentence, one stale cell."""
    lesson = next((name for name in LESSONS if not catalog.status(name).missing), LESSONS[0])
    before = catalog.status(lesson)
    nb = nbformat.read(catalog.source_path(lesson), as_version=4)
    cell = next(c for c in nb.cells if c.cell_type == "markdown")
    cell.source = cell.source.replace(".", ",", 1)
    copy = tmp_path / "solutions" / lesson / f"{lesson}.ipynb"
    copy.parent.mkdir(parents=True)
    nbformat.write(nb, copy)
    monkeypatch.setattr(catalog, "source_path", lambda name: copy)
    after = catalog.status(lesson)
    if cell.id in before.missing:  # not translated yet: nothing can be stale
        assert after.missing == before.missing and after.stale == before.stale
    else:
        assert set(after.stale) - set(before.stale) == {cell.id}
        assert after.missing == before.missing


def test_translation_files_parse_strictly(tmp_path):
    path = tmp_path / "x.md"
    path.write_text("<!-- i18n: a 0123456789ab -->\n一\n<!-- i18n: a -->\n二\n", encoding="utf-8")
    with pytest.raises(ValueError, match="twice"):
        catalog.read(path)
    path.write_text("stray\n<!-- i18n: a -->\n一\n", encoding="utf-8")
    with pytest.raises(ValueError, match="before the first marker"):
        catalog.read(path)


# -- the Chinese notebooks ---------------------------------------------------------------------

@pytest.mark.parametrize("lesson", LESSONS)
def test_zh_solutions_are_what_the_build_writes(lesson):
    built, _ = build.translate(lesson)
    shipped = notebook("zh", "solutions", lesson)
    assert built == shipped, f"zh/solutions/{lesson} is out of date: run `make lessons`"


def _same_but_prose(en: nbformat.NotebookNode, zh: nbformat.NotebookNode, where: str) -> None:
    assert zh.metadata.get("lang") == "zh" and "lang" not in en.metadata, where
    assert {k: v for k, v in zh.metadata.items() if k != "lang"} == dict(en.metadata), where
    assert [c.id for c in zh.cells] == [c.id for c in en.cells], where
    for a, b in zip(en.cells, zh.cells):
        assert (a.cell_type, a.metadata) == (b.cell_type, b.metadata), f"{where}/{a.id}"
        if a.cell_type == "code":
            assert a.source == b.source, f"{where}/{a.id}: code differs"
        else:
            assert CJK.search(b.source), f"{where}/{a.id}: markdown not translated"


@pytest.mark.parametrize("lesson", LESSONS)
def test_zh_notebooks_differ_from_english_in_prose_only(lesson):
    """Same cell ids, code, nbgrader metadata (graded ids, points, checksums) and kernel: in the
    instructor's solutions and in the student release."""
    _same_but_prose(notebook("solutions", lesson), notebook("zh", "solutions", lesson),
                    f"zh/solutions/{lesson}")
    _same_but_prose(notebook("lessons", lesson), notebook("zh", "lessons", lesson),
                    f"zh/lessons/{lesson}")
    zh_md = [c.source for c in notebook("zh", "solutions", lesson).cells
             if c.cell_type == "markdown"]
    assert [c.source for c in notebook("zh", "lessons", lesson).cells
            if c.cell_type == "markdown"] == zh_md, f"zh/lessons/{lesson}: run `make lessons`"


def test_every_lesson_links_the_glossary_shipped_beside_it():
    source = ROOT / "i18n" / "zh" / build.GLOSSARY
    glossary = source.read_text(encoding="utf-8")
    for term in ("链式法则", "分子布局", "计算图", "显式构造", "隐式构造", "正向累积", "反向累积",
                 "雅可比矩阵", "叶子节点", "标量", "向量", "矩阵", "梯度"):
        assert f"| {term}" in glossary, term
    for part in ("solutions", "lessons"):  # nbgrader releases the lesson folder as a whole
        for lesson in LESSONS:
            first = notebook("zh", part, lesson).cells[0].source
            link = re.search(r"\]\(([^)]*glossary\.md)\)", first)
            assert link, (part, lesson)
            shipped = ROOT / "zh" / part / lesson / link[1]
            assert shipped.read_text(encoding="utf-8") == glossary, (part, lesson)


def test_zh_solutions_score_full_marks_and_zh_lessons_score_zero(lesson_grades):
    for part, full in (("solutions", True), ("lessons", False)):
        records = [lesson_grades[str(ROOT / "zh" / part / lesson / f"{lesson}.ipynb")]
                   for lesson in LESSONS]
        assert sorted(r["assignment"] for r in records) == LESSONS  # recognised as the lessons
        for r in records:
            points = sum(q.points for q in lesson_questions(r["assignment"]))
            assert r["max_total"] == points > 0, r["submission"]
            assert r["total"] == (points if full else 0), (part, r["submission"], r["questions"])
            if full:
                assert r["errors"] == [], (r["submission"], r["errors"])


def test_nbgrader_flow_in_the_zh_course_root(tmp_path):
    """generate, release, autograde and export a Chinese lesson from a copy of `zh/` (its config
    loads the English one from the folder above): the solution scores full marks, the release 0."""
    lesson = "01_chain_rule"
    _, released, scores = nbgrader_flow(tmp_path, "zh", "minigrad-course-zh", lesson)
    assert nbformat.read(released, as_version=4).metadata.get("lang") == "zh"
    points = sum(q.points for q in lesson_questions(lesson))
    assert scores == {"blank": (0.0, points), "solver": (points, points)}


# -- the language of messages ------------------------------------------------------------------

def _fields(template: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(template) if f}


def test_every_minigrad_explanation_exists_in_both_languages():
    assert set(_lang.LANGS) == {"en", "zh"}
    for mid, texts in errors.EXPLAIN.items():
        assert set(texts) == set(_lang.LANGS), mid
        assert _fields(texts["zh"]) == _fields(texts["en"]), mid
        assert CJK.search(texts["zh"]) and not CJK.search(texts["en"]), mid
        assert "In minigrad" not in texts["zh"], mid


def _raise(fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - the error is the subject of the test
        return e
    raise AssertionError("no error")


# Each of minigrad's own errors, made by the code that raises it (not by errors.py directly).
def _backward_twice():
    x = minigrad.ones(2, requires_grad=True)
    y = (x * x).sum()
    y.backward()
    y.backward()


def _doubled_until_large(a):  # the lecture's loop: its length depends on the value of a
    b = a * 2
    while b.norm() < 1000:
        b = b * 2
    return b


MISUSES = {
    "backward_twice": _backward_twice,
    "not_scalar": lambda: (minigrad.ones(2, requires_grad=True) * 2).backward(),
    "int_requires_grad": lambda: minigrad.arange(3).requires_grad_(),
    "matmul_mismatch": lambda: minigrad.ones(2, 3) @ minigrad.ones(2, 3),
    "graph_depends_on_values": lambda: symbolic.define(
        _doubled_until_large, symbolic.placeholder("a", ())),
    "no_dual_level": lambda: minigrad.autograd.forward_ad.make_dual(minigrad.ones(2),
                                                                     minigrad.ones(2)),
}


@pytest.mark.parametrize("mid", sorted(MISUSES))
def test_minigrad_errors_follow_minigrad_lang_and_keep_torchs_first_line(mid, monkeypatch):
    monkeypatch.chdir(ROOT)
    shown = {}
    for lang in ("en", "zh"):
        monkeypatch.setenv("MINIGRAD_LANG", lang)
        shown[lang] = str(_raise(MISUSES[mid]))
    assert shown["en"].split("\n")[0] == shown["zh"].split("\n")[0]  # torch's own sentence
    assert "In minigrad" in shown["en"] and not CJK.search(shown["en"])
    assert "在 minigrad 中" in shown["zh"] and "In minigrad" not in shown["zh"]


def test_language_comes_from_env_then_session_then_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("MINIGRAD_LANG", raising=False)
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    zh_nb = ROOT / "zh" / "solutions" / LESSONS[0] / f"{LESSONS[0]}.ipynb"
    en_nb = ROOT / "solutions" / LESSONS[0] / f"{LESSONS[0]}.ipynb"
    monkeypatch.chdir(tmp_path)
    assert _lang.current() == "en"  # no notebook anywhere: the default
    monkeypatch.chdir(zh_nb.parent)
    assert _lang.current() == "zh"  # nbclient/nbval: the notebook's own folder
    monkeypatch.chdir(en_nb.parent)
    assert _lang.current() == "en"
    monkeypatch.setenv("JPY_SESSION_NAME", str(zh_nb))  # JupyterLab: the session's notebook
    assert _lang.current() == "zh"
    monkeypatch.chdir(zh_nb.parent)
    monkeypatch.setenv("JPY_SESSION_NAME", str(en_nb))
    assert _lang.current() == "en"
    monkeypatch.setenv("MINIGRAD_LANG", "zh")
    assert _lang.current() == "zh"
    monkeypatch.setenv("MINIGRAD_LANG", "fr")
    with pytest.raises(ValueError, match="MINIGRAD_LANG"):
        _lang.current()
    assert _lang.notebook_lang(zh_nb) == "zh" and _lang.notebook_lang(en_nb) is None
    assert _lang.notebook_lang(tmp_path / "missing.ipynb") is None


def test_a_chinese_notebook_shows_minigrads_explanation_in_chinese(tmp_path):
    """Run by nbclient as nbval and nbgrader run it: the kernel learns the language from the
    notebook, with no code cell saying so."""
    from nbclient import NotebookClient

    code = ("import minigrad\nx = minigrad.ones(2, requires_grad=True)\ny = (x * x).sum()\n"
            "y.backward()\ntry:\n    y.backward()\nexcept RuntimeError as e:\n    print(e)")
    for lang in ("zh", None):
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                     "language": "python"}
        if lang:
            nb.metadata["lang"] = lang
        folder = tmp_path / (lang or "en")
        folder.mkdir()
        nbformat.write(nb, folder / "n.ipynb")
        env = {k: v for k, v in os.environ.items() if k not in ("MINIGRAD_LANG",
                                                                 "JPY_SESSION_NAME")}
        client = NotebookClient(nb, timeout=120, kernel_name="python3",
                                resources={"metadata": {"path": str(folder)}})
        client.km = client.create_kernel_manager()
        client.start_new_kernel(env=env)
        try:
            client.start_new_kernel_client()
            client.execute_cell(nb.cells[0], 0)
        finally:
            client._cleanup_kernel()
        out = "".join(o.get("text", "") for o in nb.cells[0].outputs)
        assert "Trying to backward through the graph a second time" in out
        assert ("在 minigrad 中" in out) == (lang == "zh"), out
