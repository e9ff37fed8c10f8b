"""Grading on a Dask distributed cluster: `grade --dask ADDRESS` or `--dask local:N`.

Each task grades one submission on a worker exactly as `grade` does on one machine: the worker
builds a `Grader` (once per worker process) and runs the submission in the same sandboxed
child.  The worker process is trusted, like the grading process on one machine: it holds the
seed and the torch reference, and returns the record; the student's code only ever runs in
the child, which sees neither.  The seed travels to the workers inside the tasks, so the
cluster's network must be trusted (or use Dask's TLS).

Workers read the notebooks themselves, by absolute path: they must see the submissions where
this process sees them (a shared file system; `local:N` always does).  Dask is optional:
`pip install 'minigrad-course[cluster]'`."""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from .batch import Backend, Record, failed
from .runner import Grader, Submission
from .sandbox import Limits


@dataclass(frozen=True)
class Settings:
    """What a worker needs to build the same Grader as the local run."""

    seed: int
    limits: Limits
    keyed: bool
    hide: tuple[str, ...]
    language: str | None = None  # of the feedback (--lang); None: each submission's own


@contextlib.contextmanager
def connect(address: str) -> Iterator[Any]:
    """A Dask client for `address` (scheduler address, or `local:N` for a LocalCluster of N
    single-threaded worker processes, closed again on exit)."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise SystemExit(
            "--dask needs Dask: pip install 'minigrad-course[cluster]' (dask and distributed)"
        ) from None
    if address.startswith("local:"):
        try:
            n = int(address[len("local:") :])
        except ValueError:
            n = 0
        if n < 1:
            raise SystemExit(f"--dask local:N needs a number of workers N >= 1 (got {address!r})")
        logging.getLogger("distributed").setLevel(logging.ERROR)
        with (
            LocalCluster(
                n_workers=n,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                silence_logs=logging.ERROR,
            ) as cluster,
            Client(cluster) as client,
        ):
            yield client
    else:
        try:
            client = Client(address)
        except (OSError, TimeoutError) as error:
            raise SystemExit(f"--dask: cannot reach a scheduler at {address}: {error}") from None
        with client:
            yield client


def backend(client: Any, settings: Settings) -> Backend:
    """Grading of the submissions as one Dask task each, records yielded as they finish."""
    from distributed import as_completed

    def run(todo: list[Submission]) -> Iterator[Record]:
        futures = {
            client.submit(grade_on_worker, settings, _absolute(s), pure=False): s for s in todo
        }
        try:
            for future in as_completed(futures):
                sub = futures[future]
                try:
                    record = future.result()
                except Exception as error:  # noqa: BLE001 (a lost worker: this record only)
                    record = failed(sub, f"grading failed on the cluster: {type(error).__name__}")
                record["submission"] = str(sub.path)  # as the instructor named it
                yield record
        finally:
            client.cancel(list(futures))

    return run


_GRADERS: dict[Settings, Grader] = {}
_LOCK = threading.Lock()


def grade_on_worker(settings: Settings, sub: Submission) -> Record:
    """The task: runs in a worker process; one Grader per worker and settings."""
    from .batch import grade_safely

    with _LOCK:
        grader = _GRADERS.get(settings)
        if grader is None:
            _quiet_torch()
            hide = [Path(p) for p in settings.hide]
            grader = Grader(settings.seed, settings.limits, settings.keyed, hide,
                            settings.language)
            _GRADERS[settings] = grader
    return grade_safely(grader, sub)


def _absolute(sub: Submission) -> Submission:
    return replace(sub, path=sub.path.absolute())


def _quiet_torch() -> None:
    try:
        import torch

        torch.set_num_threads(1)
    except ImportError:
        pass
