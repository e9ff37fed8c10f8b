"""How the sandboxed child confines itself before it runs a student's code.

Namespaces and the file system view are set up from outside by bubblewrap
(`grader.sandbox`).  Inside, the child adds what bubblewrap does not: a user id of its own
(it starts as root inside the sandbox and drops before any student code), resource limits
(CPU seconds, address space, file size, open files, processes, no core dumps), a working
folder of its own, stdin closed, and its prints sent to a log file in that folder."""

from __future__ import annotations

import os
import resource
from pathlib import Path
from typing import Any

OPEN_FILES = 64  # with the file-size limit, this bounds what memfds can hold unmapped


def confine(cfg: dict[str, Any]) -> None:
    stdin = os.open(os.devnull, os.O_RDONLY)
    os.dup2(stdin, 0)
    cache = _read_files(cfg.get("mpl_cache"))  # matplotlib's font list, built once by the parent
    workdir = cfg["workdir"]
    os.makedirs(workdir, mode=0o700, exist_ok=True)
    if cfg.get("uid") is not None:  # started as root inside bubblewrap: become nobody of ours
        uid = int(cfg["uid"])
        os.chown(workdir, uid, uid)
        os.setgroups([])
        os.setgid(uid)
        os.setuid(uid)  # all capabilities go with it; bubblewrap set no_new_privs
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
    resource.setrlimit(resource.RLIMIT_NOFILE, (OPEN_FILES, OPEN_FILES))
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    if cfg.get("uid") is not None:  # counts processes per user: only meaningful for our own uid
        resource.setrlimit(resource.RLIMIT_NPROC, (int(cfg["nproc"]),) * 2)


def _read_files(folder: str | None) -> dict[str, bytes]:
    if not folder or not os.path.isdir(folder):
        return {}
    return {p.name: p.read_bytes() for p in Path(folder).iterdir() if p.is_file()}
