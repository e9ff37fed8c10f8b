"""The command line, the official path:

python -m grader list
python -m grader check NOTEBOOK
python -m grader grade PATH... [--out results.json] [--csv grades.csv] [--jobs N]
                               [--timeout S] [--load-timeout S] [--memory MB] [--seed N]
                               [--force]
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
from pathlib import Path

from .batch import grade_all
from .practice import PRACTICE_SEED
from .questions import QUESTIONS
from .runner import Grader, discover
from .sandbox import Limits, notice


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "list":
        for q in QUESTIONS.values():
            hand = "  (by hand)" if q.by_hand else ""
            print(f"{q.id:<20} {q.lesson:<26} {q.points} points  {q.signature}{hand}")
        return 0
    load = args.load_timeout if args.load_timeout is not None else max(60.0, 6 * args.timeout)
    limits = Limits(timeout=args.timeout, load_timeout=load, memory_mb=args.memory)
    _quiet_torch()
    if args.command == "check":
        return _check(args.notebook, limits)
    seed = args.seed if args.seed is not None else _secret_seed()
    subs = discover(args.paths)
    hide = [Path(p) if Path(p).is_dir() else Path(p).parent for p in args.paths]
    hide += [p.parent for p in (args.out, args.csv) if p is not None]
    grader = Grader(seed, limits, keyed=True, hide=hide)
    degraded = notice()  # said once per run: which protections this machine cannot give
    if degraded:
        print(degraded, file=sys.stderr)
    records = grade_all(subs, grader, args.out, jobs=args.jobs, force=args.force)
    if args.csv is not None:
        from .report import write_csv

        write_csv(args.csv, records)
    print(
        f"{len(records)} submissions graded; {sum(r['total'] for r in records):g} points "
        f"of {sum(r['max_total'] for r in records):g}."
    )
    return 0


def _check(path: Path, limits: Limits) -> int:
    """A student's self-check of one notebook, in the sandbox, with the practice inputs."""
    subs = discover([path])
    if not subs:
        print(f"no notebook at {path}")
        return 2
    record = Grader(PRACTICE_SEED, limits, keyed=False).grade(subs[0])
    for q in record["questions"]:
        print(q["feedback"])
    for error in record["errors"]:
        print(f"note: {error}")
    if not record["questions"]:
        print("No catalog exercise found in this notebook.")
    print(f"{record['total']:g}/{record['max_total']:g} points")
    ok = bool(record["questions"]) and all(q["passed"] for q in record["questions"])
    return 0 if ok else 1


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
    return parser
