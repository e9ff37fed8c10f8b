"""What every benchmark shares: a timer, a memory meter and a table that prints ratios.

Each workload script runs the same computation three ways in one process — minigrad, torch
(CPU, eager, default threads) and a hand-written numpy version that stores exactly what its
backward needs (the floor for a numpy-backed engine) — and reports each quantity as a
``Compare`` row: the three values and the ratios minigrad/torch, minigrad/numpy, torch/numpy.
"""

from __future__ import annotations

import argparse
import ctypes
import gc
import statistics
import threading
import time
import tracemalloc
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import numpy as np

ENGINES = ("minigrad", "torch", "numpy")


# --- time -----------------------------------------------------------------------------------

@dataclass
class Timing:
    """Median seconds over the repeats: forward, backward (None if not timed), and their sum."""

    forward: float
    backward: float | None
    total: float


def measure(forward: Callable[[], Any], backward: Callable[[Any], Any] | None = None,
            repeats: int = 5, warmup: int = 1) -> Timing:
    """Time ``out = forward()`` then ``backward(out)``, ``warmup + repeats`` times (with no
    ``backward``, ``forward`` is simply the code timed).

    Each run starts from a collected heap with the garbage collector off, is timed with
    ``time.perf_counter``, and drops its result (a whole graph, perhaps) after the clock stops.
    The warm-up runs are not counted; the medians of the others are returned.
    """
    fwd: list[float] = []
    bwd: list[float] = []
    with gc_paused():
        for i in range(warmup + repeats):
            gc.collect()  # what the previous run left (fast: the older heap is frozen)
            t0 = time.perf_counter()
            out = forward()
            t1 = time.perf_counter()
            if backward is not None:
                backward(out)
            t2 = time.perf_counter()
            del out
            if i >= warmup:
                fwd.append(t1 - t0)
                bwd.append(t2 - t1)
    med_b = statistics.median(bwd) if backward is not None else None
    total = statistics.median(f + b for f, b in zip(fwd, bwd, strict=True))
    return Timing(statistics.median(fwd), med_b, total)


@contextmanager
def gc_paused() -> Iterator[None]:
    """Collect, then keep the garbage collector off.

    What survives the collection is frozen (``gc.freeze``) and stays frozen: with torch loaded
    a full collection walks some 170 000 objects (~0.1 s), so a collection between runs only
    walks what was created since (the runs' garbage) and stays fast.
    """
    was_enabled = gc.isenabled()
    gc.collect()
    gc.freeze()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def agree_with_torch(results: dict[str, Any], what: str, rtol: float, atol: float = 0.0) -> None:
    """Every engine's result equals torch's (an array, or a sequence of arrays compared one by
    one): a benchmark times nothing that computes another answer."""
    want = results["torch"]
    for name, got in results.items():
        if name == "torch":
            continue
        pairs = zip(got, want, strict=True) if isinstance(want, (list, tuple)) else [(got, want)]
        for g, w in pairs:
            np.testing.assert_allclose(g, w, rtol=rtol, atol=atol,
                                       err_msg=f"{what}: {name} != torch")


# --- memory ---------------------------------------------------------------------------------

@dataclass
class Memory:
    """Bytes held right after ``build()`` (the graph and its output), and the peak over
    ``build()`` and ``then(out)``; None where this process cannot measure it."""

    held: int | None
    peak: int | None


class _MallInfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in (
        "arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks",
        "fordblks", "keepcost")]


def _load_mallinfo2() -> Callable[[], int] | None:
    try:
        fn = ctypes.CDLL(None).mallinfo2
    except (AttributeError, OSError):
        return None  # not glibc >= 2.33
    fn.restype = _MallInfo2

    def in_use() -> int:
        info = fn()
        return int(info.uordblks + info.hblkhd)

    return in_use


_native_in_use = _load_mallinfo2()


def memory(build: Callable[[], Any], then: Callable[[Any], Any] | None = None,
           native: bool = False) -> Memory:
    """Bytes held after ``out = build()`` and the peak while ``then(out)`` also runs.

    ``tracemalloc`` sees Python objects and numpy's arrays (numpy reports its buffers to it),
    which is all that minigrad and the numpy floor allocate. torch allocates in C++, where
    tracemalloc is blind: with ``native=True`` the C heap in use (glibc ``mallinfo2``) is read
    instead, exactly after ``build``, and for the peak from a helper thread that samples it every
    millisecond or so (so that peak is a lower bound).
    """
    with gc_paused():  # as when timing; collections of a huge graph would dominate the run
        return _native_memory(build, then) if native else _traced_memory(build, then)


def _traced_memory(build: Callable[[], Any], then: Callable[[Any], Any] | None) -> Memory:
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        out = build()
        held = tracemalloc.get_traced_memory()[0] - base
        if then is not None:
            then(out)
        peak = tracemalloc.get_traced_memory()[1] - base
        del out
    finally:
        tracemalloc.stop()
    return Memory(held, peak)


def _native_memory(build: Callable[[], Any], then: Callable[[Any], Any] | None) -> Memory:
    in_use = _native_in_use
    if in_use is None:
        return Memory(None, None)
    base = in_use()
    peak = [base]
    stop = threading.Event()

    def sample() -> None:  # reading a big heap takes a while: wait 20x as long in between
        wait = 0.001
        while not stop.wait(wait):
            start = time.perf_counter()
            peak[0] = max(peak[0], in_use())
            wait = max(0.001, 20 * (time.perf_counter() - start))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        out = build()
        held = in_use() - base
        peak[0] = max(peak[0], held + base)
        if then is not None:
            then(out)
        del out
    finally:
        stop.set()
        sampler.join()
    return Memory(held, peak[0] - base)


# --- tables ---------------------------------------------------------------------------------

Number = float | int | None


@dataclass
class Compare:
    """One quantity measured on the three engines (None: not measured / not available)."""

    case: str
    quantity: str
    minigrad: Number
    torch: Number
    numpy: Number
    ratios: bool = True  # False for quantities that are themselves ratios

    def ratio(self, top: str, bottom: str) -> float | None:
        a, b = getattr(self, top), getattr(self, bottom)
        if not self.ratios or a is None or b is None or b == 0:
            return None
        return a / b


@dataclass
class Table:
    title: str
    rows: list[Compare] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, case: str, quantity: str, mg: Number, th: Number, np_: Number,
            ratios: bool = True) -> Compare:
        row = Compare(case, quantity, mg, th, np_, ratios)
        self.rows.append(row)
        return row

    def cells(self) -> tuple[list[str], list[list[str]]]:
        head = ["case", "quantity", *ENGINES, "mg/torch", "mg/numpy", "torch/numpy"]
        body = [[r.case, r.quantity, fmt(r.minigrad), fmt(r.torch), fmt(r.numpy),
                 fmt(r.ratio("minigrad", "torch"), "x"), fmt(r.ratio("minigrad", "numpy"), "x"),
                 fmt(r.ratio("torch", "numpy"), "x")] for r in self.rows]
        return head, body

    def text(self) -> str:
        head, body = self.cells()
        widths = [max(len(row[i]) for row in [head, *body]) for i in range(len(head))]
        lines = [f"== {self.title} =="]
        for row in [head, *body]:
            cols = [c.ljust(w) if i < 2 else c.rjust(w)
                    for i, (c, w) in enumerate(zip(row, widths, strict=True))]
            lines.append("  ".join(cols).rstrip())
        lines += [f"  * {note}" for note in self.notes]
        return "\n".join(lines)

    def markdown(self) -> str:
        head, body = self.cells()
        lines = [f"### {self.title}", "", "| " + " | ".join(head) + " |",
                 "|" + "|".join(["---"] * 2 + ["---:"] * (len(head) - 2)) + "|"]
        lines += ["| " + " | ".join(row) + " |" for row in body]
        if self.notes:
            lines += [""] + [f"- {note}" for note in self.notes]
        return "\n".join(lines)


def fmt(value: Number, unit: str = "") -> str:
    """Three significant figures; 'n/a' for a missing value, '-' for a missing ratio."""
    if value is None:
        return "-" if unit else "n/a"
    if abs(value) >= 1000:
        return f"{value:,.0f}{unit}"
    return f"{value:.3g}{unit}"


@dataclass
class Result:
    """What a workload returns: its tables, and numbers for run_all's targets and plots."""

    tables: list[Table]
    data: dict[str, Any] = field(default_factory=dict)


def main(run: Callable[[bool], Result], argv: Sequence[str] | None = None,
         doc: str | None = None) -> Result:
    """The command line every workload script shares: ``python bench/<name>.py [--quick]``."""
    parser = argparse.ArgumentParser(description=doc)
    parser.add_argument("--quick", action="store_true",
                        help="run once at a tiny size (what the smoke test does)")
    args = parser.parse_args(argv)
    for key, value in machine_info().items():
        print(f"{key}: {value}")
    print()
    result = run(args.quick)
    for table in result.tables:
        print(table.text(), end="\n\n")
    return result


def machine_info() -> dict[str, str]:
    """What a reader needs to compare runs: CPU, versions, threads, BLAS settings, date."""
    import os
    import platform

    import numpy as np
    import torch

    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next((line.split(":", 1)[1].strip() for line in f
                        if line.startswith("model name")), cpu)
    except OSError:
        pass
    env = {k: os.environ[k] for k in ("OPENBLAS_CORETYPE", "OPENBLAS_NUM_THREADS",
                                      "OMP_NUM_THREADS", "MKL_NUM_THREADS") if k in os.environ}
    return {
        "date": time.strftime("%Y-%m-%d %H:%M %Z"),
        "cpu": f"{cpu} ({os.cpu_count()} logical CPUs)",
        "python": platform.python_version(),
        "numpy": f"{np.__version__} ({_numpy_blas(np)})",
        "torch": f"{torch.__version__} (CPU eager, {torch.get_num_threads()} threads)",
        "environment": ", ".join(f"{k}={v}" for k, v in env.items()) or "(no BLAS/OpenMP vars)",
        "load average at start": (f"{os.getloadavg()[0]:.2f} (1 min; another busy process on "
                                  "these CPUs skews every number, multi-threaded BLAS most)"),
    }


def _numpy_blas(np: Any) -> str:
    try:
        blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        return f"BLAS: {blas['name']} {blas.get('version', '')}".strip()
    except Exception:  # older numpy: no dict form
        return "BLAS: unknown"
