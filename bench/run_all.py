"""Run every workload, print its table, and write ``RESULTS.md`` and two plots (``make bench``).

``python bench/run_all.py [--quick] [--out DIR]``: ``--quick`` runs each workload once at a
tiny size (the smoke test); ``--out`` writes the report elsewhere than beside this file.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))  # the workloads import `common` as plain scripts do

from common import Compare, Result, Table, machine_info  # noqa: E402

WORKLOADS = ("chain", "per_op", "mlp", "matmul", "jvp", "million", "compile")

# (target, workload, case, quantity, what is compared, limit, what the issue measured for peers)
_CHAIN = ("MyGrad 2.8x torch, HIPS autograd 2.0x torch", "torch 1.7-2.0x numpy")
_MEMORY = "torch ~3x, MyGrad ~9x"
TARGETS = [
    *[(f"chain, vector 1000 {dt}, n=1000, fwd+bwd", "chain", f"vector 1000 {dt} n=1000",
       "fwd+bwd us/step", what, limit, peers)
      for dt in ("float32", "float64")
      for what, limit, peers in (("mg/torch", 1.0, _CHAIN[0]), ("mg/numpy", 1.3, _CHAIN[1]))],
    *[(f"chain, scalar {dt}, n=10000, fwd+bwd", "chain", f"scalar {dt} n=10000",
       "fwd+bwd us/step", "mg/torch", 1.0, "torch ~25 us/step") for dt in ("float32", "float64")],
    ("per-op size-1 a*b fwd+bwd", "per_op", "a*b; backward()", "fwd+bwd us/op",
     "mg/torch", 0.6, "torch 17.5 us, MyGrad 13.1 us, numpy 0.7 us"),
    ("MLP step", "mlp", "zero_grad+forward+backward+step", "ms/step",
     "mg/torch", 1.15, "torch ~ numpy; MyGrad 1.8x, HIPS autograd 2.7x"),
    *[(f"graph memory per chain step, {shape} {dt}", "chain", f"{shape} {dt} n=100->1000",
       "graph bytes/step", "mg/numpy", 1.2, _MEMORY)
      for shape in ("vector 1000", "scalar") for dt in ("float32", "float64")],
    ("JVP/primal, vector 1000 (forward_ad)", "jvp", "vector 1000 n=1000",
     "JVP/primal (forward_ad)", "minigrad", 2.5, "numpy 1.9, torch 45, HIPS autograd 6"),
    ("JVP/primal, scalar (forward_ad)", "jvp", "scalar n=1000",
     "JVP/primal (forward_ad)", "minigrad", 2.5, "numpy 1.9, torch 45, HIPS autograd 6"),
    *[(f"bwd/fwd, chain {case}", "chain", case, "bwd/fwd", "minigrad", 1.5, "")
      for case in ("vector 1000 float32 n=1000", "vector 1000 float64 n=1000",
                   "scalar float32 n=10000")],
]


# minigrad.compile (issue 16): the compiled column of workload 7 (bench/compile.py)
TARGETS += [
    *[(f"compiled chain, vector 1000 {dt}, n=1000", "compile", f"vector 1000 {dt} n=1000",
       "fwd+bwd us/step", what, 1.0, "prototype: 0.72x/0.91x numpy, 0.14x/0.65x torch")
      for dt in ("float32", "float64") for what in ("mg/numpy", "mg/torch")],
    *[(f"compiled chain, scalar {dt}, n=1000", "compile", f"scalar {dt} n=1000",
       "fwd+bwd us/step", "mg/numpy", 1.0, "") for dt in ("float32", "float64")],
    ("compiled MLP step", "compile", "MLP 784-128-10 batch 64", "ms/step", "mg/numpy", 1.1,
     "prototype: 0.88-1.10x numpy"),
    *[(f"compiled held bytes per chain step, {shape} float32", "compile",
       f"{shape} float32 n=100->1000", "held bytes/step", "mg/numpy", 1.05,
       "prototype: 0.98x numpy (scalar)") for shape in ("vector 1000", "scalar")],
    ("compile a chain of 1000 ops", "compile", "chain of 1000 ops: compile, against one "
     "fwd+bwd run", "s", "minigrad", 1.0, ""),
    # minigrad.compile(fn, exact=False): the chain rule's sums factored, as the floor is
    *[(f"compiled chain exact=False, {shape} {dt}, n=1000", "compile",
       f"{shape} {dt} n=1000 exact=False", "fwd+bwd us/step", "mg/numpy", 1.0, "")
      for shape in ("vector 1000", "scalar") for dt in ("float32", "float64")],
    # float32 before its gradient turns subnormal (see workload 7's notes)
    *[(f"compiled chain, {shape} float32, n=300", "compile", f"{shape} float32 n=300",
       "fwd+bwd us/step", "mg/numpy", 1.0, "") for shape in ("vector 1000", "scalar")],
]

# the eager engine's targets restated by issue 16: workload 7's second table ("compile:1")
TARGETS += [
    *[(f"eager chain, vector 1000 {dt}, against the bare tape", "compile:1",
       f"vector 1000 {dt} n=1000 vs bare tape", "fwd+bwd us/step", "mg/numpy", 1.5,
       "one Python node per op, nothing else") for dt in ("float32", "float64")],
    ("eager chain, vector 1000 float32", "compile:1", "vector 1000 float32 n=1000",
     "fwd+bwd us/step", "mg/torch", 1.0, ""),
    *[(f"eager chain, scalar {dt}", "compile:1", f"scalar {dt} n=1000", "fwd+bwd us/step",
       "mg/torch", 1.0, "") for dt in ("float32", "float64")],
    ("eager per-op size-1 a*b", "compile:1", "size-1 a*b; backward()", "fwd+bwd us/op",
     "mg/torch", 0.6, ""),
    *[(f"eager graph bytes per node, scalar {dt}", "compile:1", f"scalar {dt} n=100->1000",
       "graph bytes/node", "minigrad", 256, "") for dt in ("float32", "float64")],
]


def row(table: Table, case: str, quantity: str) -> Compare | None:
    """The row for ``case``; in a --quick run, the last row of the same shape instead."""
    rows = [r for r in table.rows if r.quantity == quantity]
    exact = [r for r in rows if r.case == case]
    same_shape = [r for r in rows if r.case.split(" n=")[0] == case.split(" n=")[0]]
    return (exact or same_shape or [None])[-1]


def target_table(results: dict[str, Result]) -> tuple[list[str], list[tuple[str, float | None,
                                                                             float]]]:
    """Markdown lines of the targets table, and (label, measured, limit) for the plot."""
    lines = ["| target | case | compared | measured | limit | met | peers (from the issue) |",
             "|---|---|---|---:|---:|:---:|---|"]
    points = []
    for label, workload, case, quantity, what, limit, peers in TARGETS:
        name, _, table = workload.partition(":")
        r = row(results[name].tables[int(table or 0)], case, quantity)
        if r is None:
            value = None
        elif what == "minigrad":
            value = r.minigrad
        else:
            value = r.ratio("minigrad", what.split("/")[1])
        met = "n/a" if value is None else ("yes" if value <= limit else "no")
        where = f"{r.case}: {quantity}" if r is not None else case
        bare = results[name].data.get("bare_vs_numpy", {}).get(r.case if r else case)
        if what == "mg/numpy" and bare is not None:  # what no per-op Python engine can beat
            peers += f"; bare Python tape {bare:.2f}x numpy"
        shown = "n/a" if value is None else f"{value:.4g}"
        lines.append(f"| {label} | {where} | {what} | {shown} | <= {limit} | {met} | {peers} |")
        points.append((f"{label} ({what})", value, limit))
    return lines, points


def write_report(out: Path, results: dict[str, Result], info: dict[str, str],
                 quick: bool) -> Path:
    target_lines, points = target_table(results)
    lines = ["# minigrad benchmarks", "",
             "Written by `make bench` (`python bench/run_all.py`); each workload also runs alone "
             "as `python bench/<name>.py [--quick]`. Ratios are measured in the same process "
             "run; numpy is the hand-written floor (forward saves what backward needs, backward "
             "by hand), checked against torch's gradients before it is timed.", ""]
    if quick:
        lines += ["**--quick run: tiny sizes, one run each. These numbers mean nothing.**", ""]
    lines += ["## Machine", ""] + [f"- {k}: {v}" for k, v in info.items()] + [""]
    lines += ["## Targets (issues 6 and 16)", "", *target_lines, ""]
    lines += ["## Workloads", ""]
    for result in results.values():
        for table in result.tables:
            lines += [table.markdown(), ""]
    lines += ["## Plots", "", "![per-step time of the deep chain](chain_scaling.png)", "",
              "![measured against target](targets.png)", ""]
    path = out / "RESULTS.md"
    path.write_text("\n".join(lines) + _kept_sections(path))
    plot(out, results["chain"], points)
    return path


def _kept_sections(path: Path) -> str:
    """The part of an existing RESULTS.md that other scripts write (``bench/grading.py``'s
    "Grading at scale"): kept as it is, since ``make bench`` does not re-measure it."""
    from grading import SECTION

    old = path.read_text() if path.exists() else ""
    return "\n" + old[old.index(SECTION):] if SECTION in old else ""


def plot(out: Path, chain: Result, points: list[tuple[str, float | None, float]]) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    ns, series = chain.data["ns"], chain.data["per_step"]
    rows = (len(series) + 1) // 2
    fig, grid = plt.subplots(rows, 2, figsize=(10, 4 * rows), sharey=True, squeeze=False)
    axes = list(grid.flat)
    for ax, (shape, per_engine) in zip(axes, series.items()):
        for engine, values in per_engine.items():
            bare = engine == "bare_tape"  # a reference, not an engine: dashed
            ax.plot(ns, values, marker="" if bare else "o", linestyle="--" if bare else "-",
                    color="gray" if bare else None, label="bare Python tape" if bare else engine)
        ax.set(xscale="log", yscale="log", xlabel="steps n", title=f"deep chain, {shape}")
        ax.grid(True, which="both", alpha=0.3)
    for ax in axes[::2]:
        ax.set_ylabel("forward+backward, us per step")
    axes[0].legend()
    fig.tight_layout()
    fig.savefig(out / "chain_scaling.png", dpi=120)
    plt.close(fig)

    shown = [(label, value / limit) for label, value, limit in points if value is not None]
    fig, ax = plt.subplots(figsize=(8, 0.45 * len(shown) + 1))
    labels = [label for label, _ in shown]
    fractions = [f for _, f in shown]
    ax.barh(labels, fractions, color=["tab:green" if f <= 1 else "tab:red" for f in fractions])
    ax.axvline(1.0, color="black", linewidth=1)
    ax.invert_yaxis()
    ax.set_xscale("log")
    ax.set_xlabel("measured / target limit (left of the line: target met)")
    fig.tight_layout()
    fig.savefig(out / "targets.png", dpi=120)
    plt.close(fig)


def main(argv: Sequence[str] | None = None) -> dict[str, Result]:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="each workload once, tiny size")
    parser.add_argument("--out", type=Path, default=HERE, help="folder for RESULTS.md and plots")
    args = parser.parse_args(argv)
    info = machine_info()
    for key, value in info.items():
        print(f"{key}: {value}")
    print()
    results = {}
    for k, name in enumerate(WORKLOADS, 1):
        print(f"[{k}/{len(WORKLOADS)}] {name} ...", file=sys.stderr, flush=True)
        results[name] = importlib.import_module(name).run(args.quick)
        for table in results[name].tables:
            print(table.text(), end="\n\n", flush=True)
    os.makedirs(args.out, exist_ok=True)
    path = write_report(args.out, results, info, args.quick)
    print(f"wrote {path.name} and the plots in {args.out}")
    return results


if __name__ == "__main__":
    main()
