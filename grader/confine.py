"""How the sandboxed child confines itself before it runs a student's code.

Always: resource limits (CPU seconds, address space, file size, no core dumps), the scrubbed
environment it was started with, a working folder of its own, prints to a log file.

When the grader runs as root (an instructor's grading machine, CI): also a private mount and
network namespace - the course folder (solutions/, the gradebook, ...) and the submissions
are covered by empty mounts, /tmp is a fresh tmpfs, /proc hides other users' processes,
there is no network - and the child then drops to a user id of its own, so the process limit
applies and it cannot signal or read anything of the grader's or of other submissions."""

from __future__ import annotations

import ctypes
import os
import resource
import tempfile
from pathlib import Path
from typing import Any

CLONE_NEWNS, CLONE_NEWNET = 0x00020000, 0x40000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 1, 2, 4, 8
MS_BIND, MS_REC, MS_PRIVATE = 4096, 16384, 1 << 18
MNT_DETACH = 2
WORKDIR = "/tmp/work"


def confine(cfg: dict[str, Any]) -> None:
    stdin = os.open(os.devnull, os.O_RDONLY)
    os.dup2(stdin, 0)
    cache = _read_files(cfg.get("mpl_cache"))  # matplotlib's font list, built once by the parent
    workdir = _isolate(cfg) if cfg.get("uid") is not None else cfg["workdir"]
    os.chdir(workdir)
    os.umask(0o077)
    for name, data in cache.items():
        path = Path(workdir, ".matplotlib", name)
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(data)
    log = os.open(os.path.join(workdir, "output.log"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.dup2(log, 1)
    os.dup2(log, 2)
    _limits(cfg)


def _limits(cfg: dict[str, Any]) -> None:
    memory = int(cfg["memory_mb"]) * 2**20
    cpu = int(cfg["cpu_seconds"])
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))
    resource.setrlimit(resource.RLIMIT_FSIZE, (int(cfg["fsize_mb"]) * 2**20,) * 2)
    resource.setrlimit(resource.RLIMIT_NOFILE, (256, 256))
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    if cfg.get("uid") is not None:  # counts processes per user: only meaningful for our own uid
        resource.setrlimit(resource.RLIMIT_NPROC, (int(cfg["nproc"]),) * 2)


def _isolate(cfg: dict[str, Any]) -> str:
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.unshare(CLONE_NEWNS | CLONE_NEWNET) != 0:
        raise OSError(ctypes.get_errno(), "unshare")
    _mount(libc, None, "/", None, MS_REC | MS_PRIVATE)
    keep = [os.path.realpath(k) for k in cfg["keep"]]
    temps = [f for f in ("/tmp", "/var/tmp", "/dev/shm") if os.path.isdir(f)]
    # A course checked out under /tmp keeps its venv and code there: hold on to those folders
    # before the temporary folders are replaced, and put them back on the fresh tmpfs.
    held = {k: os.open(k, os.O_RDONLY) for k in keep
            if any(k.startswith(t + "/") for t in temps) and os.path.isdir(k)}
    for folder in temps:
        _mount(libc, "tmpfs", folder, "tmpfs", MS_NOSUID | MS_NODEV, "size=64m,mode=1777")
    for path, fd in held.items():
        os.makedirs(path, exist_ok=True)
        _mount(libc, f"/proc/self/fd/{fd}", path, None, MS_BIND | MS_REC)
        os.close(fd)
    _reach(libc, keep)
    for root in cfg["hide"]:
        _hide(libc, os.path.realpath(root), keep)
    try:
        _mount(libc, "proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, "hidepid=2")
    except OSError:
        pass
    uid = int(cfg["uid"])
    os.makedirs(WORKDIR, mode=0o700)
    os.chown(WORKDIR, uid, uid)
    os.setgroups([])
    os.setgid(uid)
    os.setuid(uid)
    return WORKDIR


def _reach(libc: Any, keep: list[str]) -> None:
    """Let the unprivileged user reach the kept paths: a folder on the way that others may not
    enter (/root holding a pyenv Python, say) is replaced, in this namespace only, by an open
    tmpfs that holds just the way to the kept paths, bound from the original."""
    closed: dict[str, set[str]] = {}
    for path in keep:
        parts = Path(path).parts
        for depth in range(1, len(parts) - 1):
            folder = str(Path(*parts[: depth + 1]))
            if os.path.isdir(folder) and not os.stat(folder).st_mode & 0o001:
                closed.setdefault(folder, set()).add(parts[depth + 1])
    for folder in sorted(closed, key=lambda f: f.count("/")):
        stage = tempfile.mkdtemp(dir="/tmp")
        _mount(libc, folder, stage, None, MS_BIND | MS_REC)
        _mount(libc, "tmpfs", folder, "tmpfs", MS_NOSUID | MS_NODEV, "size=64k,mode=755")
        for name in closed[folder]:
            source, target = os.path.join(stage, name), os.path.join(folder, name)
            if os.path.isdir(source):
                os.mkdir(target)
            else:
                open(target, "w").close()
            _mount(libc, source, target, None, MS_BIND | MS_REC)
        libc.umount2(stage.encode(), MNT_DETACH)


def _hide(libc: Any, root: str, keep: list[str]) -> None:
    """Cover `root` with an empty mount, except the kept paths inside it."""
    if not os.path.lexists(root) or os.path.islink(root) or root in keep:
        return
    if any(k.startswith(root.rstrip("/") + "/") for k in keep):
        for entry in os.scandir(root):
            _hide(libc, entry.path, keep)
    elif os.path.isdir(root):
        _mount(libc, "tmpfs", root, "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV, "size=4k")
    else:
        _mount(libc, os.devnull, root, None, MS_BIND)


def _mount(
    libc: Any,
    source: str | None,
    target: str,
    kind: str | None,
    flags: int,
    data: str | None = None,
) -> None:
    def encode(text: str | None) -> bytes | None:
        return None if text is None else text.encode()

    if libc.mount(encode(source), encode(target), encode(kind), flags, encode(data)) != 0:
        raise OSError(ctypes.get_errno(), f"mount {target}")


def _read_files(folder: str | None) -> dict[str, bytes]:
    if not folder or not os.path.isdir(folder):
        return {}
    return {p.name: p.read_bytes() for p in Path(folder).iterdir() if p.is_file()}
