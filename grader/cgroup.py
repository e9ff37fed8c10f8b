"""A memory limit that counts all of a child's memory (anonymous, page cache, memfd and tmpfs
pages, every process it starts): a control group of its own, cgroup v2 or v1, when this
machine lets the grader make one (root, a writable cgroup file system).

The child joins its group before it runs anything (`join_command` wraps its command), so every
process it starts is in the group too; `kill` ends them all."""

from __future__ import annotations

import contextlib
import functools
import itertools
import os
import signal
import time
from pathlib import Path

ROOT = Path("/sys/fs/cgroup")
_names = itertools.count()


@functools.cache
def _parent() -> tuple[Path, int] | None:
    """(folder in which to make groups, cgroup version), or None when none can be made."""
    if os.geteuid() != 0:
        return None
    v2 = ROOT / "cgroup.controllers"
    if v2.exists():
        own = next((line.split("::", 1)[1].strip() for line in _own_lines()
                    if line.startswith("0::")), "/")
        base = ROOT / own.lstrip("/")
        with contextlib.suppress(OSError):
            if "memory" in (base / "cgroup.subtree_control").read_text().split():
                return (base, 2) if _writable(base) else None
        return None
    v1 = ROOT / "memory"
    return (v1, 1) if (v1 / "memory.limit_in_bytes").exists() and _writable(v1) else None


def _own_lines() -> list[str]:
    try:
        return Path("/proc/self/cgroup").read_text().splitlines()
    except OSError:
        return []


def _writable(folder: Path) -> bool:
    probe = folder / f"grader-probe-{os.getpid()}"
    try:
        probe.mkdir()
        probe.rmdir()
        return True
    except OSError:
        return False


def available() -> bool:
    return _parent() is not None


class Group:
    """One child's control group with a memory limit of `memory_mb` (swap included)."""

    def __init__(self, memory_mb: int) -> None:
        found = _parent()
        assert found is not None, "no cgroup available: check `available()` first"
        base, self.version = found
        self.path = base / f"grader-{os.getpid()}-{next(_names)}"
        self.path.mkdir()
        limit = str(memory_mb * 2**20)
        if self.version == 2:
            self._write("memory.max", limit)
            self._write("memory.swap.max", "0", optional=True)
        else:
            self._write("memory.limit_in_bytes", limit)
            self._write("memory.memsw.limit_in_bytes", limit, optional=True)

    def _write(self, name: str, value: str, optional: bool = False) -> None:
        try:
            (self.path / name).write_text(value)
        except OSError:
            if not optional:
                raise

    def join_command(self, command: list[str]) -> list[str]:
        """`command`, run by a shell that first moves itself into this group."""
        script = 'echo $$ > "$1" || exit 97; shift; exec "$@"'
        return ["/bin/sh", "-c", script, "sh", str(self.path / "cgroup.procs"), *command]

    def pids(self) -> list[int]:
        try:
            return [int(p) for p in (self.path / "cgroup.procs").read_text().split()]
        except (OSError, ValueError):
            return []

    def peak_bytes(self) -> int:
        name = "memory.peak" if self.version == 2 else "memory.max_usage_in_bytes"
        try:
            return int((self.path / name).read_text())
        except (OSError, ValueError):
            return 0

    def oom_killed(self) -> bool:
        """Did the kernel kill a process of this group for going over its memory limit?  (A
        surer sign than the peak, which the kernel may count a little under the limit.)"""
        name = "memory.events" if self.version == 2 else "memory.oom_control"
        try:
            for line in (self.path / name).read_text().splitlines():
                key, _, value = line.partition(" ")
                if key == "oom_kill":
                    return int(value) > 0
        except (OSError, ValueError):
            pass
        return False

    def kill(self) -> None:
        """SIGKILL every process in the group (again and again, until none is left: a fork
        between reading the list and the kill lands in the group too), then remove it."""
        if self.version == 2:
            with contextlib.suppress(OSError):
                (self.path / "cgroup.kill").write_text("1")
        for _ in range(200):
            pids = self.pids()
            if not pids:
                break
            for pid in pids:
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGKILL)
            time.sleep(0.01)
        for _ in range(100):
            try:
                self.path.rmdir()
                return
            except FileNotFoundError:
                return
            except OSError:
                time.sleep(0.02)  # killed processes leave the group a moment later
        raise RuntimeError(f"control group {self.path} could not be emptied")
