"""Grading speed at scale: submissions per second of `python -m grader grade` on one machine
(1 shard), as 2 shards run side by side and merged, and on `--dask local:2`; then a simulated
projection of a whole course (50 000 students x 9 lessons) on M machines from the measured
cost of each submission.  Not a test: it prints figures (noisy on a shared machine).

    python bench/grading.py [--n 40] [--cores 2] [--nbgrader] [--write]

The projection samples per-submission costs from the sequential in-process run (each cost is
the wall time of one `Grader.grade`, child and parent) and schedules 450 000 of them: by shard
(each machine grades its hash share on its cores, in order, the slowest machine ends the run)
and dynamically (Dask: any free core takes the next submission).  With --nbgrader, also times
`nbgrader autograde` on the same submissions and counts on how many the scores agree.
"""

from __future__ import annotations

import argparse
import csv
import heapq
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO))

from grader_answers.support import RIGHT, WRONG, notebook  # noqa: E402

QUESTIONS = {"grad_ex1": 2, "grad_ex2": 2, "jacobian_Ax": 2}
CLASS = 50_000 * 9  # students x lessons
MACHINES = (1, 10, 100)


def submission(k: int) -> list[str]:
    """The k-th generated submission: a mix of right and wrong answers."""
    cells = []
    for i, qid in enumerate(QUESTIONS):
        pool = RIGHT if (k >> i) & 1 == 0 else WRONG
        mine = [s for s in pool if s.question == qid]
        cells.append("".join(mine[k % len(mine)].cells))
    return cells


def _env() -> dict[str, str]:
    return {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}:{os.environ.get('PATH', '')}",
        "PYTHONPATH": str(REPO),
    }


def run(*commands: list[str], cwd: Path) -> float:
    """Run the commands side by side; wall seconds until the last one ends."""
    start = time.perf_counter()
    procs = [
        subprocess.Popen(c, cwd=cwd, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for c in commands
    ]
    for c, p in zip(commands, procs):
        out, err = p.communicate()
        if p.returncode != 0:
            raise SystemExit(f"{c[:4]} failed:\n{out.decode()[-2000:]}\n{err.decode()[-2000:]}")
    return time.perf_counter() - start


def grade(*extra: str) -> list[str]:
    return [sys.executable, "-m", "grader", "grade", "submitted", "--seed", "1", *extra]


def per_submission_costs(course: Path) -> list[float]:
    """Wall seconds of each `Grader.grade`, one at a time in this process."""
    from grader.runner import Grader, discover
    from grader.sandbox import Limits

    grader = Grader(1, Limits(), keyed=True, hide=[course])
    costs = []
    for sub in discover([course / "submitted"]):
        start = time.perf_counter()
        grader.grade(sub)
        costs.append(time.perf_counter() - start)
    return costs


def by_shard(costs: list[float], machines: int, cores: int, rng: random.Random) -> float:
    """Wall time when each machine grades its own shard (its share by `grader.shard`'s hash of
    50 000 x 9 submission names, so the shares are as uneven as the hash makes them), spread
    over its cores in order (each core takes the next submission of its machine when free)."""
    from grader.runner import Submission
    from grader.shard import shard_of

    shares = [0] * machines
    for student in range(CLASS // 9):
        for lesson in range(9):
            sub = Submission(Path(f"l{lesson}.ipynb"), f"student{student}", f"l{lesson}")
            shares[shard_of(sub, machines)] += 1
    return max(_greedy((rng.choice(costs) for _ in range(share)), cores) for share in shares)


def dynamic(costs: list[float], machines: int, cores: int, rng: random.Random) -> float:
    """Wall time when every core of every machine takes the next submission (Dask)."""
    return _greedy((rng.choice(costs) for _ in range(CLASS)), machines * cores)


def _greedy(costs, workers: int) -> float:
    free = [0.0] * workers
    for cost in costs:
        heapq.heapreplace(free, free[0] + cost)
    return max(free)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=40, help="number of submissions")
    parser.add_argument("--cores", type=int, default=2, help="cores per projected machine")
    parser.add_argument("--nbgrader", action="store_true", help="also time nbgrader autograde")
    parser.add_argument("--write", action="store_true", help="put the figures in RESULTS.md")
    opts = parser.parse_args()
    n = opts.n
    with tempfile.TemporaryDirectory(prefix="grading-bench-") as tmp:
        course = Path(tmp)
        students = [f"s{k:03d}" for k in range(n)]
        for k, student in enumerate(students):
            notebook(
                submission(k),
                tests=list(QUESTIONS.items()),
                path=course / "submitted" / student / "ps" / "ps.ipynb",
            )
        costs = per_submission_costs(course)
        rows = [("1 shard, --jobs 2", run(grade("--jobs", "2", "--out", "one.json"), cwd=course))]
        two = [grade("--shard", f"{i}/2", "--out", f"shard{i}.json") for i in range(2)]
        rows.append(("2 shards side by side, --jobs 1 each", run(*two, cwd=course)))
        merge = [sys.executable, "-m", "grader", "merge", "shard0.json", "shard1.json"]
        run([*merge, "--out", "merged.json"], cwd=course)
        dask = grade("--dask", "local:2", "--out", "dask.json")
        rows.append(("--dask local:2 (cluster start included)", run(dask, cwd=course)))
        same = _same(course, "one.json", "merged.json") and _same(course, "one.json", "dask.json")
        theirs = _nbgrader(course, students) if opts.nbgrader else None
    costs.sort()
    rate = n / rows[0][1]  # one machine of this kind, grading alone
    rng = random.Random(0)
    lines = [
        f"{n} submissions of a {len(QUESTIONS)}-question notebook, on a machine with "
        f"{os.cpu_count()} cores shared with other work (noisy: compare within one run only; "
        f"load average {os.getloadavg()[0]:.1f} at the end).",
        "",
        "| way | wall s | submissions/s |",
        "|---|---|---|",
        *(f"| {name} | {wall:.1f} | {n / wall:.2f} |" for name, wall in rows),
        "",
        f"Merged shards and Dask results equal the 1-shard results (sorted): {same}.",
        f"One submission graded alone in-process: median {costs[len(costs) // 2]:.2f} s, "
        f"mean {sum(costs) / n:.2f} s, max {costs[-1]:.2f} s (the first builds caches).",
    ]
    if theirs is not None:
        lines.append(f"nbgrader autograde: {theirs[0]:.1f} s, same score on {theirs[1]}/{n}.")
    lines += [
        "",
        f"Projected wall time for {CLASS:,} submissions (50 000 students x 9 lessons) on M "
        f"machines of {opts.cores} cores: simulated from the per-submission costs above "
        "(sampled; by shard = each machine its hash share of 450 000 names, its cores taking "
        "the next one when free; dynamic = any free core takes the next, as Dask), and from the "
        "measured 1-shard rate "
        f"({rate:.2f} submissions/s per machine, which includes contention on the machine).",
        "",
        "| machines M | simulated, by shard | simulated, dynamic | from measured rate |",
        "|---|---|---|---|",
    ]
    for m in MACHINES:
        lines.append(
            f"| {m} | {_hours(by_shard(costs, m, opts.cores, rng))} | "
            f"{_hours(dynamic(costs, m, opts.cores, rng))} | {_hours(CLASS / (m * rate))} |"
        )
    print("\n".join(lines))
    if opts.write:
        _write_section(REPO / "bench" / "RESULTS.md", "\n".join(lines))


SECTION = "## Grading at scale"


def _write_section(path: Path, body: str) -> None:
    """Replace (or add) the grading section at the end of RESULTS.md."""
    text = path.read_text() if path.exists() else ""
    head = text.split(SECTION)[0].rstrip("\n")
    intro = "Written by `python bench/grading.py --write` (not by `make bench`)."
    path.write_text(f"{head}\n\n{SECTION}\n\n{intro}\n\n{body}\n")


def _same(course: Path, a: str, b: str) -> bool:
    def text(name):
        records = json.loads((course / name).read_text())
        return json.dumps(sorted(records, key=lambda r: r["submission"]), sort_keys=True)

    return text(a) == text(b)


def _hours(seconds: float) -> str:
    return f"{seconds / 3600:.2f} h" if seconds >= 3600 else f"{seconds / 60:.1f} min"


def _nbgrader(course: Path, students: list[str]) -> tuple[float, int]:
    """nbgrader autograde on the same submissions: (seconds, submissions with our score)."""
    bin_dir = Path(sys.executable).parent
    shutil.copy(REPO / "nbgrader_config.py", course)
    notebook(
        ["### BEGIN SOLUTION\n" + c + "\n### END SOLUTION" for c in submission(0)],
        tests=list(QUESTIONS.items()),
        path=course / "solutions" / "ps" / "ps.ipynb",
    )
    run([str(bin_dir / "nbgrader"), "generate_assignment", "ps", "--force"], cwd=course)
    (course / "students.csv").write_text("id\n" + "\n".join(students) + "\n")
    run([str(bin_dir / "nbgrader"), "db", "student", "import", "students.csv"], cwd=course)
    seconds = run([str(bin_dir / "nbgrader"), "autograde", "ps", "--force"], cwd=course)
    run([str(bin_dir / "nbgrader"), "export", "--to", "theirs.csv"], cwd=course)
    mine = {r["student"]: r["total"] for r in json.loads((course / "one.json").read_text())}
    with open(course / "theirs.csv") as f:
        agree = sum(mine.get(r["student_id"]) == float(r["score"]) for r in csv.DictReader(f))
    return seconds, agree


if __name__ == "__main__":
    main()
