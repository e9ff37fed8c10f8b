"""Build the Chinese course from `solutions/` and the translation files.

    python -m i18n.build              # zh/solutions/ and, through nbgrader, zh/lessons/
    python -m i18n.build status       # which markdown cells are missing or stale, per lesson
    python -m i18n.build show LESSON  # the English of the cells that need (re)translating, and
                                      # for a stale one the diff since it was translated
    python -m i18n.build stamp LESSON [CELL ...]  # mark translations as current (no CELL:
                                                  # only the never-stamped ones)

A Chinese notebook is its English source with every markdown cell replaced by its translation
and `"lang": "zh"` in the notebook metadata: code cells, cell ids, nbgrader metadata (graded
ids, points, checksums) are copied unchanged, so the grader and nbgrader treat both editions
alike.  `zh/` is an nbgrader course root of its own, with the same assignment names.
"""

from __future__ import annotations

import argparse
import copy
import difflib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat

from . import catalog
from .catalog import ROOT

# The glossary is copied into every lesson's folder (so nbgrader releases it with the lesson)
# and linked from the first cell of every Chinese lesson.
GLOSSARY = "glossary.md"
GLOSSARY_LINK = f"\n\n> 术语表（中英对照）：[{GLOSSARY}]({GLOSSARY})"


_CJK = "\u3000-\u303f\u4e00-\u9fff\uff00-\uffef"
_BLOCK = re.compile(r"\s*(\||#|[-*>] |\d+[.)] |\$\$|```)")


def join_cjk_lines(text: str) -> str:
    """Markdown turns a line break inside a paragraph into a space, which shows as a stray gap
    between two Chinese characters: join such lines (outside code blocks and block elements)."""
    out: list[str] = []
    fenced = False
    for line in text.split("\n"):
        if line.lstrip().startswith("```"):
            fenced = not fenced
        elif (out and not fenced and re.search(f"[{_CJK}]$", out[-1])
              and re.match(f"\\s*[{_CJK}]", line) and not _BLOCK.match(line)):
            out[-1] += line.lstrip()
            continue
        out.append(line)
    return "\n".join(out)


def translate(lesson: str, lang: str = "zh") -> tuple[nbformat.NotebookNode, list[str]]:
    """The notebook of `lesson` in `lang`, and warnings (stale or missing translations)."""
    nb = nbformat.read(catalog.source_path(lesson), as_version=4)
    entries = catalog.read(catalog.translation_path(lesson, lang))
    warnings: list[str] = []
    first = True
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        e = entries.get(cell.id)
        if e is None or not e.text.strip():
            warnings.append(f"{lesson}/{cell.id}: no translation, English kept")
            text = cell.source
        else:
            if e.sha != catalog.sha(cell.source):
                warnings.append(f"{lesson}/{cell.id}: translation is stale (English changed)")
            text = join_cjk_lines(e.text)
        if first:
            text += GLOSSARY_LINK
            first = False
        cell.source = text
    nb.metadata = copy.deepcopy(nb.metadata)
    nb.metadata["lang"] = lang
    return nb, warnings


def build(out: Path, release: bool = True, lang: str = "zh") -> list[str]:
    """Write `out/solutions/<lesson>/<lesson>.ipynb` for every lesson and, with `release`,
    generate `out/lessons/` by nbgrader (run in `out`, which holds its nbgrader_config.py)."""
    warnings: list[str] = []
    for lesson in catalog.lessons():
        nb, w = translate(lesson, lang)
        warnings += w
        target = out / "solutions" / lesson / f"{lesson}.ipynb"
        target.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, target)
        shutil.copyfile(ROOT / "i18n" / lang / GLOSSARY, target.parent / GLOSSARY)
    if release:
        nbgrader = Path(sys.executable).parent / "nbgrader"
        env = dict(os.environ, PATH=f"{nbgrader.parent}{os.pathsep}{os.environ.get('PATH', '')}")
        for lesson in catalog.lessons():
            subprocess.run([str(nbgrader), "generate_assignment", lesson, "--force",
                            "--log-level=WARN"], cwd=out, env=env, check=True)
    return warnings


def english_from_history(lesson: str, cell_id: str, key: str) -> str | None:
    """The English a translation was made from: the newest version of the cell in git history
    whose hash is the translation's key (None without git or when no version matches)."""
    path = catalog.source_path(lesson).relative_to(ROOT).as_posix()
    log = subprocess.run(["git", "log", "--format=%H", "-n", "200", "--", path], cwd=ROOT,
                         capture_output=True, text=True)
    for commit in log.stdout.split():
        shown = subprocess.run(["git", "show", f"{commit}:{path}"], cwd=ROOT,
                               capture_output=True, text=True)
        try:
            cells = nbformat.reads(shown.stdout, as_version=4).cells
        except Exception:  # noqa: BLE001 - an unreadable old version is skipped
            continue
        for cell in cells:
            if cell.get("id") == cell_id and catalog.sha(cell.source) == key:
                return str(cell.source) + "\n"
    return None


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m i18n.build", description=__doc__.split("\n")[0])
    p.add_argument("--lang", default="zh", choices=catalog.LANGS)
    sub = p.add_subparsers(dest="cmd")
    b = sub.add_parser("build", help="write zh/solutions and zh/lessons (the default)")
    b.add_argument("--out", type=Path, default=None, help="course root (default: zh/)")
    b.add_argument("--no-release", action="store_true", help="skip nbgrader generate_assignment")
    sub.add_parser("status", help="missing and stale translations")
    s = sub.add_parser("show", help="the English of the cells to (re)translate")
    s.add_argument("lesson")
    t = sub.add_parser("stamp", help="mark translations current for the English as it is now")
    t.add_argument("lesson")
    t.add_argument("cells", nargs="*")
    args = p.parse_args(argv)

    if args.cmd in (None, "build"):
        out = getattr(args, "out", None) or ROOT / args.lang
        for w in build(out, release=not getattr(args, "no_release", False), lang=args.lang):
            print("warning:", w, file=sys.stderr)
        return 0
    if args.cmd == "status":
        bad = 0
        for lesson in catalog.lessons():
            st = catalog.status(lesson, args.lang)
            print(f"{lesson:<26} {'current' if st.current else ''}", *(
                f"{k}: {' '.join(v)}" for k, v in vars(st).items() if v))
            bad += not st.current
        return 1 if bad else 0
    if args.cmd == "show":
        st = catalog.status(args.lesson, args.lang)
        todo = set(st.missing + st.stale + st.unstamped)
        entries = catalog.read(catalog.translation_path(args.lesson, args.lang))
        for cell in catalog.markdown_cells(args.lesson):
            if cell.id in todo:
                print(f"<!-- i18n: {cell.id} -->\n{cell.source}\n")
            if cell.id in st.stale:
                old = english_from_history(args.lesson, cell.id, entries[cell.id].sha or "")
                print("".join(difflib.unified_diff(
                    (old or "(not found in git history)\n").splitlines(True),
                    (cell.source + "\n").splitlines(True), "translated", "now")))
        return 0
    # stamp
    path = catalog.translation_path(args.lesson, args.lang)
    entries = catalog.read(path)
    english = {c.id: c.source for c in catalog.markdown_cells(args.lesson)}
    for cid in args.cells or [cid for cid, e in entries.items() if e.sha is None]:
        if cid not in entries or cid not in english:
            p.error(f"{args.lesson}: no cell {cid} in both the lesson and its translation")
        entries[cid].sha = catalog.sha(english[cid])
    order = list(english)
    ordered = sorted(entries.values(), key=lambda e: order.index(e.cell) if e.cell in english
                     else len(order))
    catalog.write(path, ordered)
    return 0


if __name__ == "__main__":
    sys.exit(main())
