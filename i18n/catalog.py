"""Translation files of the lessons: one entry per markdown cell, keyed by cell id and by a
hash of the English it translates.

`solutions/` is the only source of a lesson; a translation file `i18n/<lang>/<lesson>.md`
holds, for each markdown cell, the translated markdown under a marker line

    <!-- i18n: l03-02 5d41402abc4b -->

naming the cell id and the first 12 hex digits of the SHA-256 of the English source that was
translated.  When the English of a cell changes, its hash no longer matches: the entry is
*stale* (the build still uses it, with a warning, and a test fails) until a translator updates
the text and stamps it again (`python -m i18n.build stamp LESSON CELL`).  The files are
markdown themselves, so mathematics and tables are written exactly as in the notebook.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
LANGS = ("zh",)
MARKER = re.compile(r"^<!-- i18n: (?P<cell>\S+)(?: (?P<sha>[0-9a-f]{12}))? -->$")


def lessons() -> list[str]:
    return sorted(p.name for p in (ROOT / "solutions").glob("[0-9][0-9]_*") if p.is_dir())


def source_path(lesson: str) -> Path:
    return ROOT / "solutions" / lesson / f"{lesson}.ipynb"


def translation_path(lesson: str, lang: str = "zh") -> Path:
    return ROOT / "i18n" / lang / f"{lesson}.md"


def sha(text: str) -> str:
    """The key of an English source text: 12 hex digits of its SHA-256."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


@dataclass
class Entry:
    cell: str
    sha: str | None  # None: not stamped yet (a new translation)
    text: str


def read(path: Path) -> dict[str, Entry]:
    """The entries of a translation file, by cell id (a missing file has none)."""
    if not path.exists():
        return {}
    entries: dict[str, Entry] = {}
    current: Entry | None = None
    lines: list[str] = []

    def close() -> None:
        if current is not None:
            if current.cell in entries:
                raise ValueError(f"{path.name}: cell {current.cell} is translated twice")
            current.text = "\n".join(lines).strip("\n")
            entries[current.cell] = current

    for line in path.read_text(encoding="utf-8").splitlines():
        m = MARKER.match(line)
        if m:
            close()
            current, lines = Entry(m["cell"], m["sha"], ""), []
        elif current is not None:
            lines.append(line)
        elif line.strip():
            raise ValueError(f"{path.name}: text before the first marker: {line[:60]!r}")
    close()
    return entries


def write(path: Path, entries: list[Entry]) -> None:
    parts = [f"<!-- i18n: {e.cell}{' ' + e.sha if e.sha else ''} -->\n{e.text}\n" for e in entries]
    path.write_text("\n".join(parts), encoding="utf-8")


def markdown_cells(lesson: str) -> list[nbformat.NotebookNode]:
    nb = nbformat.read(source_path(lesson), as_version=4)
    return [c for c in nb.cells if c.cell_type == "markdown"]


@dataclass
class Status:
    missing: list[str]  # markdown cells with no translation
    stale: list[str]  # translated from an English text that has changed since
    unstamped: list[str]  # translated, never stamped with the English hash
    orphans: list[str]  # entries for cells the lesson no longer has

    @property
    def current(self) -> bool:
        return not (self.missing or self.stale or self.unstamped or self.orphans)


def status(lesson: str, lang: str = "zh") -> Status:
    entries = read(translation_path(lesson, lang))
    cells = markdown_cells(lesson)
    st = Status([], [], [], [])
    for cell in cells:
        e = entries.get(cell.id)
        if e is None or not e.text.strip():
            st.missing.append(cell.id)
        elif e.sha is None:
            st.unstamped.append(cell.id)
        elif e.sha != sha(cell.source):
            st.stale.append(cell.id)
    ids = {c.id for c in cells}
    st.orphans = [cid for cid in entries if cid not in ids]
    return st
