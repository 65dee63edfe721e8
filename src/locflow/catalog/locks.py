"""Waiting for a catalog folder's lock, and telling who holds it.

:func:`~locflow.catalog.storage.locked` takes an ``flock`` on a folder. A process that
dies frees its locks, but a live one that hangs (or a child that inherited the lock from
a killed parent) would block every later run: so a busy lock is waited for a bounded
time (``LOCFLOW_LOCK_WAIT`` seconds, default 60), then the command stops with an error
naming the folder and the holder, as the kernel's lock table (``/proc/locks``) tells.
Nothing is written to record a holder: the kernel keeps the record, and a file in the
repository could lie.
"""

from __future__ import annotations

import fcntl
import os
import re
import time
from collections.abc import Sequence
from pathlib import Path

from ..errors import CatalogError

__all__ = ["LOCK_WAIT", "LOCK_WAIT_ENV", "acquire", "lock_holder", "lock_wait"]

#: Seconds :func:`~locflow.catalog.storage.locked` waits for a lock another process holds
#: (``LOCFLOW_LOCK_WAIT``).
LOCK_WAIT = 60.0
LOCK_WAIT_ENV = "LOCFLOW_LOCK_WAIT"


def lock_wait() -> float:
    """How long to wait for a busy lock: ``LOCFLOW_LOCK_WAIT`` seconds, else :data:`LOCK_WAIT`."""
    try:
        given = float(os.environ.get(LOCK_WAIT_ENV, ""))
    except ValueError:
        return LOCK_WAIT
    return given if 0 <= given < float("inf") else LOCK_WAIT


def acquire(fd: int, directory: str) -> None:
    """``flock`` *fd* (the open *directory*), waiting at most :func:`lock_wait` seconds; then
    a :class:`CatalogError` naming the folder and the process that holds it."""
    deadline = time.monotonic() + lock_wait()
    delay = 0.005
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            left = deadline - time.monotonic()
            if left <= 0:
                break
        time.sleep(min(delay, left))
        delay = min(2 * delay, 0.2)
    raise CatalogError(f"is locked by {lock_holder(directory)}; gave up after waiting "
                       f"{lock_wait():g} s", path=directory)


def lock_holder(directory: str | Path) -> str:
    """Who holds the lock on *directory*, as the kernel's lock table (Linux's
    ``/proc/locks``) tells: ``pid 123 (locflow sync, started 2024-11-05 10:42:17)``;
    ``another process`` where it cannot be told."""
    try:
        info = os.stat(directory)
        where = f"{os.major(info.st_dev):02x}:{os.minor(info.st_dev):02x}:{info.st_ino}"
        with open("/proc/locks", encoding="ascii", errors="replace") as table:
            pids = [int(words[4]) for words in map(str.split, table)
                    if len(words) > 5 and words[1] == "FLOCK" and words[5] == where]
    except (OSError, ValueError):
        return "another process"
    if not pids:
        return "another process"
    pid = pids[0]
    command, started = _process(pid)
    if command is None:
        # the taker is gone, yet the lock lives: a process it started has the descriptor
        return f"pid {pid} (no longer running; a process it started still holds the lock)"
    return f"pid {pid} ({command}, started {started})"


def _process(pid: int) -> tuple[str | None, str]:
    """The command of process *pid* as messages show it (``locflow sync``; another
    program by its name only: a command line may hold secrets) and when it started."""
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as file:
            args = [arg.decode("utf-8", "replace") for arg in file.read().split(b"\0") if arg]
        with open(f"/proc/{pid}/stat", "rb") as file:
            ticks = int(file.read().rsplit(b")", 1)[1].split()[19])
        with open("/proc/stat", "rb") as file:
            boot = next(int(line.split()[1]) for line in file if line.startswith(b"btime "))
    except (OSError, ValueError, IndexError, StopIteration):
        return None, ""
    started = time.strftime("%Y-%m-%d %H:%M:%S",
                            time.localtime(boot + ticks / os.sysconf("SC_CLK_TCK")))
    return _command(args), started


def _command(args: Sequence[str]) -> str:
    """``locflow`` and its subcommand from a command line (``locflow review approve``:
    the words before the first option, ``-C DIR`` skipped), or the program's name."""
    for index, arg in enumerate(args):
        if os.path.basename(arg) == "locflow":
            words, rest = ["locflow"], list(args[index + 1:])
            while rest[:1] == ["-C"]:
                del rest[:2]
            for word in rest[:2]:
                if not re.fullmatch(r"[a-z][a-z-]{0,19}", word):
                    break
                words.append(word)
            return " ".join(words)
    name = os.path.basename(args[0]) if args else ""
    return name if re.fullmatch(r"[\w.+-]{1,40}", name) else "a program"
