"""The parent's side of the sandbox: start a child, read its messages with a deadline, and
end it - with its whole process group and, when it runs under its own user id, every process
of that user (a fork that escaped its group, a thread left running).

The child reports on a pipe of its own (not stdout), one line per message; a line longer than
`MAX_LINE` or any message that does not decode is treated as a crash."""

from __future__ import annotations

import contextlib
import functools
import os
import select
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import wire
from .confine import WORKDIR

ROOT = Path(__file__).resolve().parent.parent
MAX_LINE = 64 * 2**20
WALL_FACTOR = 4
POLL_SECONDS = 0.2
TICKS = os.sysconf("SC_CLK_TCK")
# GRADER_DEBUG=1 lets a child's own errors (before it redirects its output) reach stderr.
_DEBUG = None if os.environ.get("GRADER_DEBUG") else subprocess.DEVNULL
BOOT = "import sys; sys.path.insert(0, sys.argv[1]); from grader.child import main; main()"
PASSED_ENV = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "LANG")


@dataclass(frozen=True)
class Limits:
    timeout: float = 10.0  # seconds of wall-clock time per question
    load_timeout: float = 60.0  # seconds to execute the notebook itself
    memory_mb: int = 2048
    fsize_mb: int = 16
    nproc: int = 16  # processes and threads of the child's user id


@functools.cache
def isolated() -> bool:
    """Whether children get the full sandbox: namespaces and a user id of their own need root
    (and a kernel that allows them); otherwise only the resource limits apply."""
    if os.geteuid() != 0 or not sys.platform.startswith("linux"):
        return False
    probe = "import ctypes; raise SystemExit(ctypes.CDLL(None).unshare(0x40020000) != 0)"
    done = subprocess.run([sys.executable, "-I", "-S", "-c", probe], capture_output=True)
    return done.returncode == 0


class Child:
    """One sandboxed child process running `job` (see `grader.child`)."""

    def __init__(
        self,
        job: dict[str, Any],
        limits: Limits,
        uid: int | None,
        hide: list[str],
        keep: list[str],
        mpl_cache: str | None,
    ) -> None:
        self.uid, self.buffer = uid, b""
        self._tmp = None if uid is not None else tempfile.TemporaryDirectory(prefix="grader-")
        workdir = WORKDIR if uid is not None else self._tmp.name  # type: ignore[union-attr]
        read_fd, write_fd = os.pipe()
        n_questions = len(job["questions"])
        job = {
            **job,
            "results_fd": write_fd,
            "sandbox": {
                "uid": uid,
                "workdir": workdir,
                "hide": hide,
                "keep": keep,
                "mpl_cache": mpl_cache,
                "memory_mb": limits.memory_mb,
                "fsize_mb": limits.fsize_mb,
                "nproc": limits.nproc,
                "cpu_seconds": int(limits.load_timeout + limits.timeout * n_questions + 5),
            },
        }
        env = {
            "PATH": "/usr/bin:/bin",
            "HOME": workdir,
            "TMPDIR": workdir,
            "MPLBACKEND": "Agg",
            "MPLCONFIGDIR": os.path.join(workdir, ".matplotlib"),
            "OMP_NUM_THREADS": "1",
            "OPENBLAS_NUM_THREADS": "1",
            "MKL_NUM_THREADS": "1",
            "PYTHONDONTWRITEBYTECODE": "1",
            "PYTHONHASHSEED": "0",
        }
        env.update({k: os.environ[k] for k in PASSED_ENV if k in os.environ})
        self.process = subprocess.Popen(
            [sys.executable, "-I", "-B", "-c", BOOT, str(ROOT)],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=_DEBUG,
            pass_fds=(write_fd,),
            env=env,
            cwd=workdir if uid is None else "/",
            start_new_session=True,
        )
        os.close(write_fd)
        self.fd = read_fd
        try:
            assert self.process.stdin is not None
            self.process.stdin.write(wire.dumps(job))
            self.process.stdin.close()
        except (BrokenPipeError, OSError):
            pass

    def receive(self, timeout: float) -> dict[str, Any] | str:
        """The next message, or "timeout", "ended" (the pipe closed) or "garbled".

        The time limit counts the CPU seconds of the child's process group, so that a
        submission starved by a neighbour (a fork bomb on the other core) is not failed for
        it; a wall-clock limit of `WALL_FACTOR` times as long backs it up."""
        start, cpu = time.monotonic(), self.cpu_seconds()
        while b"\n" not in self.buffer:
            if (
                self.cpu_seconds() - cpu >= timeout
                or time.monotonic() - start >= WALL_FACTOR * timeout
            ):
                return "timeout"
            ready, _, _ = select.select([self.fd], [], [], POLL_SECONDS)
            if not ready:
                continue
            chunk = os.read(self.fd, 1 << 20)
            if not chunk:
                return "ended"
            self.buffer += chunk
            if len(self.buffer) > MAX_LINE and b"\n" not in self.buffer:
                return "garbled"
        line, self.buffer = self.buffer.split(b"\n", 1)
        try:
            return wire.loads(line)
        except ValueError:
            return "garbled"

    def cpu_seconds(self) -> float:
        """CPU time used so far by the processes of the child's group (Linux /proc)."""
        total = 0
        for pid in os.listdir("/proc"):
            if not pid.isdigit():
                continue
            try:
                with open(f"/proc/{pid}/stat", "rb") as f:
                    fields = f.read().rsplit(b")", 1)[1].split()
            except OSError:
                continue
            if int(fields[2]) == self.process.pid:  # fields[2] is the process group
                total += int(fields[11]) + int(fields[12])  # utime, stime
        return total / TICKS

    def stop(self) -> str:
        """End the child and everything it started; describe how it had ended by itself."""
        code = self.process.poll()
        if code is None:
            try:
                code = self.process.wait(timeout=0.2)
            except subprocess.TimeoutExpired:
                code = None
        with contextlib.suppress(OSError):
            os.killpg(self.process.pid, signal.SIGKILL)
        if self.uid is not None:
            kill_user(self.uid)
        self.process.wait()
        os.close(self.fd)
        if self._tmp is not None:
            self._tmp.cleanup()
        if code is None:
            return "still running"
        if code < 0:
            return f"killed by {signal.Signals(-code).name}"
        return f"exit code {code}"


def kill_user(uid: int) -> None:
    """SIGKILL every process of `uid`: kill(-1) run as that user reaches exactly those."""
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        subprocess.run(
            [sys.executable, "-S", "-c", "import os; os.kill(-1, 9)"],
            user=uid,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=10,
            env={},
        )
