"""Which language a message should be in: "en" (the default) or "zh".

The course exists in two editions built from one source; a Chinese notebook carries
``"lang": "zh"`` in its notebook metadata.  The language of the running code is, in order:

1. ``MINIGRAD_LANG`` in the environment (``en`` or ``zh``; anything else is an error);
2. the metadata of the notebook this kernel runs: JupyterLab (jupyter_server 2) starts the
   kernel with ``JPY_SESSION_NAME`` set to the notebook's path;
3. otherwise the notebooks in the working folder, when they agree: nbclient, nbval and
   nbgrader start the kernel in the notebook's own folder;
4. English.

The grader calls :func:`notebook_lang` for a submission's file and :func:`current` for the
practice path (``check``).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

LANGS = ("en", "zh")
DEFAULT = "en"


def notebook_lang(path: str | os.PathLike[str]) -> str | None:
    """The language in a notebook file's metadata (None if it says none or is unreadable).
    A file is read again only once it changed (a picture asks for each of its labels)."""
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return None
    key = (os.fspath(path), st.st_mtime_ns, st.st_size)
    if key not in _READ:
        if len(_READ) > 256:
            _READ.clear()
        _READ[key] = _read_lang(path)
    return _READ[key]


_READ: dict[tuple[str, int, int], str | None] = {}


def _read_lang(path: str | os.PathLike[str]) -> str | None:
    try:
        with open(path, "rb") as f:
            data = json.loads(f.read(20_000_000))
        lang = data["metadata"].get("lang")
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    return lang if lang in LANGS else None


def _running_notebook() -> str | None:
    name = os.environ.get("JPY_SESSION_NAME", "")
    if name.endswith(".ipynb"):
        path = Path(name)
        if not path.is_absolute():  # a path relative to the server's root, if it gave one
            path = Path.cwd() / path.name
        found = notebook_lang(path)
        if found:
            return found
        return DEFAULT if path.exists() else None
    return None


def _folder_lang(folder: Path) -> str | None:
    try:
        notebooks = sorted(folder.glob("*.ipynb"))[:20]
    except OSError:
        return None
    langs = {notebook_lang(p) or DEFAULT for p in notebooks}
    return langs.pop() if len(langs) == 1 else None


def current() -> str:
    """The language for messages shown now (see the module docstring for the order)."""
    env = os.environ.get("MINIGRAD_LANG", "").strip()
    if env:
        if env not in LANGS:
            raise ValueError(f"MINIGRAD_LANG={env!r}: expected one of {', '.join(LANGS)}")
        return env
    return _running_notebook() or _folder_lang(Path.cwd()) or DEFAULT


def pick(texts: dict[str, str], lang: str | None = None) -> str:
    """The text of a message in `lang` (default: :func:`current`); every message has all
    languages, so a missing one is a KeyError, never a silent fallback."""
    return texts[lang or current()]
