"""The journal of a batch: one JSON line per finished record, appended and fsync'd.

Writing the whole results file after every record costs O(n) per record, O(n^2) per batch
(50 000 records: about 1.25e9 record writes).  Appending one line costs O(1): the results
file is written once, at the end or on an interrupt, and a batch killed outright (power,
SIGKILL, a pre-empted machine) resumes from the journal.  A line cut short by the crash is
ignored, so the submission it belonged to is simply graded again.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any


def path_for(out: Path) -> Path:
    """The journal beside a results file: `results.json` -> `results.json.journal`."""
    return out.with_name(out.name + ".journal")


def read(path: Path) -> list[dict[str, Any]]:
    """The records in a journal, oldest first; a missing journal is empty."""
    try:
        lines = path.read_bytes().splitlines()
    except OSError:
        return []
    records = []
    for line in lines:
        try:
            record = json.loads(line)
        except ValueError:
            continue  # the last line of a crashed run, cut short
        if isinstance(record, dict) and isinstance(record.get("submission"), str):
            records.append(record)
    return records


class Journal:
    """Append-only: `append(record)` returns once the line is on disk."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._file = open(path, "ab")  # noqa: SIM115 (closed by close())
        if self._file.tell() and not _ends_with_newline(path):
            self._file.write(b"\n")  # after a torn line, start a fresh one

    def append(self, record: dict[str, Any]) -> None:
        # ASCII escapes: a file name that is not UTF-8 reaches here with surrogates (\udcxx),
        # which cannot be encoded but can be escaped, and read back as the same string
        line = json.dumps(record, separators=(",", ":")) + "\n"
        self._file.write(line.encode("ascii"))
        self._file.flush()
        os.fsync(self._file.fileno())

    def close(self) -> None:
        self._file.close()

    def remove(self) -> None:
        self.close()
        self.path.unlink(missing_ok=True)


def _ends_with_newline(path: Path) -> bool:
    with open(path, "rb") as f:
        f.seek(-1, os.SEEK_END)
        return f.read(1) == b"\n"
