"""Fixtures shared by several test files."""

from __future__ import annotations

import pytest
from lesson_flows import ROOT, grade


@pytest.fixture(scope="session")
def lesson_grades(tmp_path_factory) -> dict[str, dict]:
    """Every shipped lesson notebook - solutions and releases, English (`solutions/`,
    `lessons/`) and Chinese (`zh/...`) - graded in ONE batch (tests/test_lessons.py and
    tests/test_i18n.py each check their part); the record of each, by its path."""
    paths = sorted(ROOT.glob("solutions/[0-9][0-9]_*/*.ipynb"))
    paths += sorted(ROOT.glob("lessons/[0-9][0-9]_*/*.ipynb"))
    paths += sorted(ROOT.glob("zh/solutions/[0-9][0-9]_*/*.ipynb"))
    paths += sorted(ROOT.glob("zh/lessons/[0-9][0-9]_*/*.ipynb"))
    return grade(paths, tmp_path_factory.mktemp("lesson-grades") / "results.json")
