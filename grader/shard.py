"""Splitting a class into shards, and putting the shards back together.

`grade --shard I/N` grades the submissions whose name hashes to I modulo N.  The hash is of the
submission's key (student/assignment/file name), never of its position in a listing, so a
submission stays in its shard when others are added, and N machines that each list the same
folder agree on who grades what without talking to each other.

A shard's results file is labelled with its place in the split, `{"shard": [I, N], "seed":
<fingerprint>, "records": [...]}`, so that `merge` can refuse a split with a shard missing,
a shard given twice, or shards graded with different seeds.  The merged file is a plain list
of records, the same as an unsharded run writes.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from .runner import Submission


class ShardError(ValueError):
    """Shards that cannot be merged (or a --shard that cannot be parsed)."""


def parse(text: str) -> tuple[int, int]:
    """`"I/N"` -> (I, N), with 0 <= I < N."""
    index, slash, count = text.partition("/")
    try:
        i, n = int(index), int(count)
    except ValueError:
        raise ShardError(f"--shard takes I/N, such as 0/4 (got {text!r})") from None
    if not slash or n < 1 or not 0 <= i < n:
        raise ShardError(f"--shard I/N needs 0 <= I < N (got {text!r})")
    return i, n


def shard_of(sub: Submission, n: int) -> int:
    """Which of n shards grades `sub`: a hash of its key, stable whatever else is submitted."""
    digest = hashlib.sha256(sub.key.encode("utf-8", "surrogateescape")).digest()
    return int.from_bytes(digest[:8], "big") % n


def select(subs: list[Submission], i: int, n: int) -> list[Submission]:
    return [s for s in subs if shard_of(s, n) == i]


def seed_fingerprint(seed: int) -> str:
    """Tells whether two shards used the same seed without writing the seed down."""
    return hashlib.sha256(f"grader-seed:{seed}".encode()).hexdigest()[:16]


def label(records: list[dict[str, Any]], i: int, n: int, seed: int) -> dict[str, Any]:
    return {"shard": [i, n], "seed": seed_fingerprint(seed), "records": records}


def read_shard(path: Path) -> dict[str, Any]:
    """A labelled shard file, checked; a plain list of records is refused (it is no shard)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ShardError(f"{path}: cannot read it ({error})") from None
    shard = data.get("shard") if isinstance(data, dict) else None
    if not (
        isinstance(shard, list)
        and len(shard) == 2
        and all(isinstance(k, int) for k in shard)
        and isinstance(data.get("records"), list)
    ):
        raise ShardError(
            f"{path}: not a shard's results (written by `grade --shard I/N`, "
            "it names its shard and holds its records)"
        )
    return data


def merge(paths: list[Path]) -> list[dict[str, Any]]:
    """The records of shards 0..N-1, each given once, sorted by submission."""
    if not paths:
        raise ShardError("merge needs the results files of the shards")
    shards = [(p, read_shard(p)) for p in paths]
    counts = {tuple(d["shard"])[1] for _, d in shards}
    if len(counts) != 1:
        raise ShardError(f"the shards come from different splits (N = {sorted(counts)})")
    (n,) = counts
    seeds = {d.get("seed") for _, d in shards}
    if len(seeds) != 1:
        raise ShardError("the shards were graded with different seeds: their grades differ")
    seen: dict[int, Path] = {}
    for path, data in shards:
        i = data["shard"][0]
        if i in seen:
            raise ShardError(f"shard {i}/{n} is given twice: {seen[i]} and {path}")
        seen[i] = path
    missing = [f"{i}/{n}" for i in range(n) if i not in seen]
    if missing:
        raise ShardError(f"shards missing: {', '.join(missing)} (of {n})")
    owner: dict[str, Path] = {}
    records = []
    for path, data in shards:
        for record in data["records"]:
            name = record.get("submission") if isinstance(record, dict) else None
            if not isinstance(name, str):
                raise ShardError(f"{path}: a record without a submission")
            if name in owner:
                raise ShardError(f"{name} was graded in two shards: {owner[name]} and {path}")
            owner[name] = path
            records.append(record)
    return sort(records)


def sort(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(records, key=lambda r: (r["submission"], r["student"], r["assignment"]))
