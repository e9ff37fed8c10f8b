"""The command line, the official path:

python -m grader list
python -m grader check NOTEBOOK
python -m grader grade PATH... [--out results.json] [--csv grades.csv] [--jobs N]
                               [--timeout S] [--load-timeout S] [--memory MB] [--seed N]
                               [--force] [--shard I/N] [--dask ADDRESS|local:N]
                               [--only STUDENT...]
python -m grader merge SHARD.json... --out results.json [--csv grades.csv]
python -m grader export RESULTS.json... --format canvas|moodle|nbgrader --out grades.csv
python -m grader gradescope LESSON --out autograder.zip [--seed N] [--wheels DIR]
"""

from __future__ import annotations

import argparse
import functools
import os
import secrets
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from . import export, gradescope, messages, notebook, shard
from .batch import Record, grade_all
from .practice import PRACTICE_SEED
from .questions import QUESTIONS
from .report import write_csv, write_json
from .runner import Grader, Submission, discover
from .sandbox import Limits, notice


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "list":
        for q in QUESTIONS.values():
            hand = "  (by hand)" if q.by_hand else ""
            print(f"{q.id:<20} {q.lesson:<26} {q.points} points  {q.signature}{hand}")
        return 0
    if args.command == "merge":
        return _merge(args)
    if args.command == "export":
        return _export(args)
    if args.command == "gradescope":
        gradescope.build(args.lesson, args.out, args.seed, args.wheels)
        print(f"wrote {args.out}: upload it as the autograder of {args.lesson} on Gradescope")
        return 0
    if args.command == "gradescope-run":
        _quiet_torch()
        gradescope.run(args.root)
        return 0
    load = args.load_timeout if args.load_timeout is not None else max(60.0, 6 * args.timeout)
    limits = Limits(timeout=args.timeout, load_timeout=load, memory_mb=args.memory)
    _quiet_torch()
    if args.command == "check":
        return _check(args.notebook, limits, args.lang)
    if args.shard is not None and args.seed is None and not os.environ.get("GRADER_SEED"):
        print(
            "--shard needs --seed N or GRADER_SEED: every shard must draw the same hidden "
            "inputs (a random seed per shard would give shards that cannot be merged)",
            file=sys.stderr,
        )
        return 2
    seed = args.seed if args.seed is not None else _secret_seed()
    subs = discover(args.paths)
    only = set(args.only) if args.only else None
    missing = sorted(only - {s.student for s in subs}) if only else []
    if missing:
        print(f"--only: no submission of {', '.join(missing)} found", file=sys.stderr)
        return 2
    label = None
    if args.shard is not None:
        try:
            i, n = shard.parse(args.shard)
        except shard.ShardError as error:
            print(error, file=sys.stderr)
            return 2
        subs = shard.select(subs, i, n)
        label = functools.partial(shard.label, i=i, n=n, seed=seed)
        print(f"shard {i}/{n}: {len(subs)} submissions", file=sys.stderr)
    hide = [Path(p) if Path(p).is_dir() else Path(p).parent for p in args.paths]
    hide += [p.parent for p in (args.out, args.csv) if p is not None]
    degraded = notice()  # said once per run: which protections this machine cannot give
    if degraded:
        print(degraded, file=sys.stderr)
    try:
        records = _grade(args, subs, seed, limits, hide, only, label)
    except KeyboardInterrupt:
        print(
            f"\ninterrupted: the records so far are in {args.out}; "
            "run the same command again to grade the rest",
            file=sys.stderr,
        )
        return 130
    if args.csv is not None:
        write_csv(args.csv, records)
    print(
        f"{len(records)} submissions graded; {sum(r['total'] for r in records):g} points "
        f"of {sum(r['max_total'] for r in records):g}."
    )
    return 0


def _grade(
    args: argparse.Namespace,
    subs: list[Submission],
    seed: int,
    limits: Limits,
    hide: list[Path],
    only: set[str] | None,
    label: Callable[[list[Record]], Any] | None,
) -> list[Record]:
    """Grade on this machine (`--jobs` threads) or on a Dask cluster (`--dask`)."""
    if args.dask:
        from . import cluster

        hidden = tuple(str(p.absolute()) for p in hide)
        settings = cluster.Settings(seed, limits, True, hidden, args.lang)
        with cluster.connect(args.dask) as client:
            backend = cluster.backend(client, settings)
            return grade_all(
                subs, None, args.out, force=args.force, only=only, backend=backend, label=label
            )
    grader = Grader(seed, limits, keyed=True, hide=hide, language=args.lang)
    return grade_all(
        subs, grader, args.out, jobs=args.jobs, force=args.force, only=only, label=label
    )


def _merge(args: argparse.Namespace) -> int:
    """Shards -> one results file (and CSV), refused when a shard is missing or repeated."""
    try:
        records = shard.merge(args.shards)
    except shard.ShardError as error:
        print(f"merge refused: {error}", file=sys.stderr)
        return 2
    write_json(args.out, records)
    if args.csv is not None:
        write_csv(args.csv, records)
    print(f"merged {len(args.shards)} shards: {len(records)} records in {args.out}")
    return 0


def _export(args: argparse.Namespace) -> int:
    try:
        export.write(args.format, export.load(args.results), args.out)
    except export.ExportError as error:
        print(f"export refused: {error}", file=sys.stderr)
        return 2
    print(f"wrote {args.out} ({args.format})")
    return 0


def _check(path: Path, limits: Limits, language: str | None) -> int:
    """A student's self-check of one notebook, in the sandbox, with the practice inputs."""
    subs = discover([path])
    if not subs:
        print(f"no notebook at {path}")
        return 2
    record = Grader(PRACTICE_SEED, limits, keyed=False, language=language).grade(subs[0])
    with messages.speaking(language or _language_of(subs[0].path)):
        for q in record["questions"]:
            print(q["feedback"])
        for error in record["errors"]:
            print(messages.text("check.note", error=error))
        if not record["questions"]:
            print(messages.text("check.none"))
        print(messages.text("check.total", total=f"{record['total']:g}",
                            max_total=f"{record['max_total']:g}"))
    ok = bool(record["questions"]) and all(q["passed"] for q in record["questions"])
    return 0 if ok else 1


def _language_of(path: Path) -> str:
    try:
        return notebook.read(path).language
    except (OSError, ValueError):
        return "en"


def _secret_seed() -> int:
    """The seed of the hidden inputs: GRADER_SEED if the instructor set it, else random."""
    return int(os.environ.get("GRADER_SEED") or secrets.randbits(62))


def _quiet_torch() -> None:
    try:
        import torch

        torch.set_num_threads(1)
    except ImportError:
        pass


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m grader",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("list", help="the question ids, lessons and points")
    for name in ("check", "grade"):
        p = sub.add_parser(
            name,
            help="self-check one notebook" if name == "check" else "grade submissions in a sandbox",
        )
        p.add_argument("--timeout", type=float, default=10.0, help="seconds per question")
        p.add_argument(
            "--load-timeout",
            type=float,
            default=None,
            help="seconds to execute the notebook (default: 6 x timeout, >= 60)",
        )
        p.add_argument("--memory", type=int, default=2048, help="MB of address space")
        p.add_argument(
            "--lang",
            choices=messages.LANGUAGES,
            default=None,
            help="language of the feedback (default: each notebook's metadata, else en)",
        )
        if name == "check":
            p.add_argument("notebook", type=Path)
            continue
        p.add_argument(
            "paths",
            type=Path,
            nargs="+",
            help="notebooks, folders of them, or an nbgrader submitted/ tree",
        )
        p.add_argument("--out", type=Path, default=Path("results.json"))
        p.add_argument("--csv", type=Path, default=None, help="grades in nbgrader's CSV shape")
        p.add_argument("--jobs", type=int, default=1)
        p.add_argument(
            "--seed",
            type=int,
            default=None,
            help="seed of the hidden inputs (default: GRADER_SEED or random)",
        )
        p.add_argument("--force", action="store_true", help="re-grade finished submissions")
        p.add_argument(
            "--shard",
            default=None,
            metavar="I/N",
            help="grade shard I of N (by a hash of each submission's name); merge them after",
        )
        p.add_argument(
            "--dask",
            default=None,
            metavar="ADDRESS",
            help="grade on a Dask cluster (scheduler address, or local:N for N local workers)",
        )
        p.add_argument(
            "--only",
            nargs="+",
            default=None,
            metavar="STUDENT",
            help="re-grade these students; keep everyone else's record",
        )
    merge = sub.add_parser("merge", help="merge the results files of shards")
    merge.add_argument("shards", type=Path, nargs="+")
    merge.add_argument("--out", type=Path, default=Path("results.json"))
    merge.add_argument("--csv", type=Path, default=None)
    ex = sub.add_parser("export", help="grades as a CSV for Canvas, Moodle or nbgrader")
    ex.add_argument("results", type=Path, nargs="+")
    ex.add_argument("--format", choices=export.FORMATS, required=True)
    ex.add_argument("--out", type=Path, required=True)
    gs = sub.add_parser("gradescope", help="a Gradescope autograder zip for one lesson")
    gs.add_argument("lesson", help="lesson folder name, e.g. 01_chain_rule")
    gs.add_argument("--out", type=Path, default=Path("autograder.zip"))
    gs.add_argument("--seed", type=int, default=None, help="seed of the hidden inputs")
    gs.add_argument("--wheels", type=Path, default=None, help="folder of wheels to bundle")
    run = sub.add_parser("gradescope-run", help=argparse.SUPPRESS)
    run.add_argument("--root", type=Path, default=Path("/autograder"))
    return parser
