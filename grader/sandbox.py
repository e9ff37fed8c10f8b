"""The parent's side of the sandbox: start a child, read its messages with a deadline, and
end it with everything it started.

Full sandbox (the grader runs as root on Linux with bubblewrap, `bwrap`): the child runs in
its own pid, IPC, network, UTS and mount namespaces; its file system is an empty tmpfs holding
read-only binds of exactly what it needs (the system's /usr, the Python installation and
venv, the course's grader/ and minigrad/ code) plus a private /tmp; it runs under a user id
of its own with no capabilities (a by-hand child cannot even read minigrad's code once it has
loaded it); `--die-with-parent` ends it with the grader.  A control group
caps all of its memory when one can be made.  Resource limits apply in every mode.

Degraded mode (no root, no bwrap, or no namespaces, as in a default Docker container): only
the resource limits, a scrubbed environment and a working folder apply; `notice()` says so.

The child reports on a pipe of its own (not stdout), one line per message, and reports a
failure to set itself up on a second pipe that it closes before any student code runs, so
that a student cannot forge a setup failure."""

from __future__ import annotations

import contextlib
import functools
import importlib.util
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import cgroup, wire

ROOT = Path(__file__).resolve().parent.parent
WORKDIR = "/tmp/work"
PRIVATE = "/opt/grader-private"  # in a by-hand child: minigrad's code, for root's eyes only
WALL_FACTOR = 4
POLL_SECONDS = 0.2
TICKS = os.sysconf("SC_CLK_TCK")
# GRADER_DEBUG=1 lets a child's own errors (before it redirects its output) reach stderr.
_DEBUG = None if os.environ.get("GRADER_DEBUG") else subprocess.DEVNULL
BOOT = "import sys; sys.path.insert(0, sys.argv[1]); from grader.child import main; main()"
PASSED_ENV = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "LANG")
NAMESPACES = ("--unshare-pid", "--unshare-ipc", "--unshare-net", "--unshare-uts",
              "--unshare-cgroup-try", "--die-with-parent", "--new-session")
TMP_BYTES = 64 * 2**20


@dataclass(frozen=True)
class Limits:
    timeout: float = 10.0  # seconds of wall-clock time per question
    load_timeout: float = 60.0  # seconds to execute the notebook itself
    memory_mb: int = 2048
    fsize_mb: int = 16
    nproc: int = 16  # processes and threads of the child's user id


def bwrap() -> str | None:
    """The bubblewrap program: GRADER_BWRAP if set (empty: do not use it), else on PATH."""
    configured = os.environ.get("GRADER_BWRAP")
    if configured is not None:
        return configured or None
    return shutil.which("bwrap")


def bare_python() -> list[str]:
    """What this interpreter needs bound to start with no site packages (`-I -S`)."""
    return [sys.base_prefix, os.path.dirname(sys.executable),
            os.path.join(sys.prefix, "pyvenv.cfg")]


@functools.cache
def isolated() -> bool:
    """Whether children get the full sandbox: root, Linux, bwrap present, and a trial child
    that starts in its namespaces."""
    if os.geteuid() != 0 or not sys.platform.startswith("linux"):
        return False
    if bwrap() is None:
        return False
    command = _sandboxed([sys.executable, "-I", "-S", "-c", "pass"], bare_python())
    try:
        done = subprocess.run(command, capture_output=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return False
    return done.returncode == 0


def missing() -> list[str]:
    """The protections this machine cannot give the children (empty in the full sandbox)."""
    off = []
    if not isolated():
        off += ["a file system view of only what grading needs (the rest of the disk is "
                "readable where its permissions allow)",
                "pid, IPC and network namespaces (no network isolation; processes and "
                "System V objects a submission leaves are not collected by the kernel)",
                "a user id per submission (the process limit is not applied)"]
    if not cgroup.available():
        off.append("a memory limit that counts all memory (only the address-space limit)")
    return off


def notice() -> str | None:
    """What `grade` says once when it runs without some protections."""
    off = missing()
    if not off:
        return None
    why = ("bubblewrap (bwrap) or namespaces are not available, or the grader is not root"
           if not isolated() else "no control group can be made")
    return ("grader: degraded sandbox (" + why + "); submissions run without:\n  - "
            + "\n  - ".join(off)
            + "\n  Run the grader inside a container or VM that is itself the sandbox.")


def _sandboxed(command: list[str], keep: list[str], private: dict[str, str] | None = None
               ) -> list[str]:
    """`command` inside bwrap: read-only binds of `keep` and the system's /usr, a private /tmp
    and /proc, fresh namespaces, no new privileges.  The command starts as root inside (the
    child drops to its own user id before running student code); `private` binds folders
    (source -> name) under `PRIVATE`, which root only may enter: the child loads them before
    it drops and cannot read them after."""
    tool = bwrap()
    assert tool is not None
    args = [tool]
    for top in ("bin", "sbin", "lib", "lib32", "lib64", "usr"):
        host = Path("/", top)
        if host.is_symlink():
            args += ["--symlink", os.readlink(host), str(host)]
        elif host.is_dir():
            args += ["--ro-bind", str(host), str(host)]
    paths = sorted({os.path.realpath(k) for k in keep if os.path.exists(k)})
    paths = [p for p in paths if not any(p.startswith(q.rstrip("/") + "/") for q in paths)]
    paths = [p for p in paths if not p.startswith("/usr/")]
    # the private /tmp first: a course or venv kept under /tmp is bound into it, not hidden by it
    args += ["--size", str(TMP_BYTES), "--perms", "1777", "--tmpfs", "/tmp"]
    made: set[str] = {"/tmp"}
    for path in paths:  # folders on the way, open to the child's user (bwrap makes them 0700)
        for parent in reversed(Path(path).parents):
            if str(parent) != "/" and str(parent) not in made:
                made.add(str(parent))
                args += ["--perms", "0755", "--dir", str(parent)]
        args += ["--ro-bind", path, path]
    if private:
        args += ["--perms", "0700", "--dir", PRIVATE]
        for source, name in private.items():
            args += ["--ro-bind", source, os.path.join(PRIVATE, name)]
    args += ["--ro-bind-try", "/etc/ld.so.cache", "/etc/ld.so.cache", "--proc", "/proc",
             "--dev", "/dev", "--remount-ro", "/", *NAMESPACES, "--chdir", "/"]
    return [*args, "--", *command]


class Child:
    """One sandboxed child process running `job` (see `grader.child`)."""

    def __init__(
        self,
        job: dict[str, Any],
        limits: Limits,
        uid: int | None,
        keep: list[str],
        mpl_cache: str | None,
    ) -> None:
        self.uid, self.buffer, self.scanned, self.group = uid, b"", 0, None
        self.ended: str | None = None
        self.memory = limits.memory_mb * 2**20
        self._tmp = None if uid is not None else tempfile.TemporaryDirectory(prefix="grader-")
        workdir = WORKDIR if uid is not None else self._tmp.name  # type: ignore[union-attr]
        read_fd, write_fd = os.pipe()
        setup_read, setup_write = os.pipe()
        n_questions = len(job["questions"])
        job = {
            **job,
            "results_fd": write_fd,
            "setup_fd": setup_write,
            "sandbox": {
                "uid": uid,
                "workdir": workdir,
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
        command = [sys.executable, "-I", "-B", "-c", BOOT, str(ROOT)]
        if uid is not None:
            private = _minigrad_folder() if job["by_hand"] else {}
            job["sandbox"]["private"] = PRIVATE if private else None
            command = _sandboxed(command, [*keep, *([mpl_cache] if mpl_cache else [])], private)
        if cgroup.available():
            self.group = cgroup.Group(limits.memory_mb)
            command = self.group.join_command(command)
        self.process = subprocess.Popen(
            command,
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=_DEBUG,
            pass_fds=(write_fd, setup_write),
            env=env,
            cwd=workdir if uid is None else "/",
            start_new_session=True,
        )
        os.close(write_fd)
        os.close(setup_write)
        self.fd, self.setup_fd = read_fd, setup_read
        try:
            assert self.process.stdin is not None
            self.process.stdin.write(wire.dumps(job))
            self.process.stdin.close()
        except (BrokenPipeError, OSError):
            pass

    def setup_failure(self, timeout: float) -> str | None:
        """What the child reported on its setup channel before closing it (None: nothing, it
        set itself up).  Only the grader's own code runs while that channel is open."""
        data, start = b"", time.monotonic()
        while time.monotonic() - start < timeout and len(data) <= 65536:
            ready, _, _ = select.select([self.setup_fd], [], [], POLL_SECONDS)
            if ready:
                chunk = os.read(self.setup_fd, 65536)
                if not chunk:
                    break
                data += chunk
        return wire.clean(data.decode("utf-8", "replace"), 2000) if data.strip() else None

    def receive(self, timeout: float) -> dict[str, Any] | str:
        """The next message, or "timeout", "ended" (the pipe closed) or "garbled".

        The time limit counts the CPU seconds of the child's processes, so that a submission
        starved by a neighbour (a fork bomb on the other core) is not failed for it; a
        wall-clock limit of `WALL_FACTOR` times as long backs it up.  Each byte received is
        scanned for the end of a line once."""
        start, cpu = time.monotonic(), self.cpu_seconds()
        while True:
            end = self.buffer.find(b"\n", self.scanned)
            if end >= 0:
                break
            self.scanned = len(self.buffer)
            if len(self.buffer) > wire.MAX_LINE:
                return "garbled"
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
        line, self.buffer, self.scanned = self.buffer[:end], self.buffer[end + 1 :], 0
        try:
            return wire.loads(line)
        except wire.Garbled:
            return "garbled"

    def cpu_seconds(self) -> float:
        """CPU time used so far by the child's processes: those of its user id in the full
        sandbox, those of its process group otherwise (Linux /proc)."""
        total = 0
        for pid in os.listdir("/proc"):
            if not pid.isdigit():
                continue
            try:
                if self.uid is not None and os.stat(f"/proc/{pid}").st_uid != self.uid:
                    continue
                with open(f"/proc/{pid}/stat", "rb") as f:
                    fields = f.read().rsplit(b")", 1)[1].split()
            except OSError:
                continue
            if self.uid is not None or int(fields[2]) == self.process.pid:  # process group
                total += int(fields[11]) + int(fields[12])  # utime, stime
        return total / TICKS

    def peak_memory_bytes(self) -> int:
        """The child's peak memory as the kernel counted it (0 where no cgroup is made)."""
        return self.group.peak_bytes() if self.group is not None else 0

    def stop(self) -> str:
        """End the child and everything it started; describe how it had ended by itself.
        Raises if a process of the child's user id cannot be ended."""
        if self.ended is None:
            self.ended = self._stop()
        return self.ended

    def _stop(self) -> str:
        code = self.process.poll()
        if code is None:
            try:
                code = self.process.wait(timeout=0.2)
            except subprocess.TimeoutExpired:
                code = None
        peak = self.peak_memory_bytes()
        oom = self.group is not None and self.group.oom_killed()
        try:
            with contextlib.suppress(OSError):
                os.killpg(self.process.pid, signal.SIGKILL)
            if self.group is not None:
                self.group.kill()
            if self.uid is not None:
                kill_user(self.uid)
        finally:
            self.process.wait()
            for fd in (self.fd, self.setup_fd):
                with contextlib.suppress(OSError):
                    os.close(fd)
            if self._tmp is not None:
                self._tmp.cleanup()
        if code is None:
            return "still running"
        if self.uid is not None and 128 < code < 128 + 64:  # bwrap: the child's signal
            code = 128 - code
        if code < 0:
            full = oom or peak >= 0.95 * self.memory  # the kernel's word, not the child's
            return f"killed by {signal.Signals(-code).name}" + (" at its memory limit" * full)
        return f"exit code {code}"


def _minigrad_folder() -> dict[str, str]:
    spec = importlib.util.find_spec("minigrad")
    if spec is None or not spec.submodule_search_locations:
        return {}
    return {os.path.realpath(next(iter(spec.submodule_search_locations))): "minigrad"}


def kill_user(uid: int) -> None:
    """SIGKILL every process of `uid` - kill(-1) sent as that user reaches exactly those - and
    check that none is left; raises RuntimeError if one is."""
    for _ in range(50):
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the forked killer
            try:
                os.setgroups([])
                os.setgid(uid)
                os.setuid(uid)
                with contextlib.suppress(ProcessLookupError):
                    os.kill(-1, signal.SIGKILL)
                os._exit(0)
            except BaseException:
                os._exit(1)
        _, status = os.waitpid(pid, 0)
        if os.waitstatus_to_exitcode(status) != 0:
            raise RuntimeError(f"could not signal the processes of user {uid}")
        if not processes_of(uid):
            return
        time.sleep(0.05)
    raise RuntimeError(f"processes of user {uid} survive SIGKILL: {processes_of(uid)}")


def processes_of(uid: int) -> list[int]:
    """Live (not zombie) processes of `uid`."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            if os.stat(f"/proc/{pid}").st_uid != uid:
                continue
            with open(f"/proc/{pid}/stat", "rb") as f:
                state = f.read().rsplit(b")", 1)[1].split()[0]
        except OSError:
            continue
        if state not in (b"Z", b"X"):
            found.append(int(pid))
    return found
