"""Results remembered against the files they were computed from (``.locflow/``).

A command that has already looked at a file (a catalog's review counts, its
findings; an article's sync) keeps the result with each input file's size,
mtime and content hash. The next run trusts a result only while every input
file is exactly as it was:

- size and mtime unchanged, and the mtime older than the record by more than
  the file system's timestamp granularity: unchanged without reading a byte
  (git's index uses the same rule; a file written in the same tick as the
  record is "racily clean" and is read);
- otherwise the file is read and hashed: the same hash means the same content
  (a ``touch``, a checkout), anything else a miss, and the caller does the work.

The cache is an optimisation only: a missing, stale, corrupt or foreign cache
file is ignored, and it is written atomically (no fsync: it can be rebuilt).
JSON, never pickle: the project directory is not trusted.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import stat
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, BinaryIO

__all__ = ["FileCache", "Stamp", "code_stamp", "read_stamped", "settled_mtime", "stamp",
           "unchanged_since"]

# The format of the cache files; a different one is ignored. 3: a JSON header line, then
# one record per line: its key (JSON), a tab, the record (JSON). A JSON text holds no raw
# tab, so the key is read without the record, which is parsed only when asked for.
_FORMAT = 3
# Seconds: coarser than any file system's mtime resolution that matters (ext4,
# APFS, NTFS are finer; FAT's 2 s is covered too).
_RACY = 2.5

Stamp = tuple[int, int, str]  # size, mtime_ns, sha256 of the content


def settled_mtime(info: os.stat_result, now: float | None = None) -> int:
    """The mtime (ns) to record for a file so that a later stat may stand for its content.

    A file modified within the racy window of being recorded could change again
    with the same size and timestamp (git's "racily clean" entries): its mtime is
    recorded as 0, which no stat matches, so it is read and hashed next time.
    """
    now = time.time() if now is None else now
    return info.st_mtime_ns if now - info.st_mtime_ns / 1e9 > _RACY else 0


def stamp(path: Path, data: bytes | None = None) -> Stamp | None:
    """The stamp of *path* now (None if it does not exist); *data* if already read.

    The stat is taken before the read, so a write racing the read leaves a stamp
    that no longer matches the file.
    """
    try:
        if data is None:
            return read_stamped(path)[1]
        info = path.stat()
    except OSError:
        return None
    return info.st_size, info.st_mtime_ns, hashlib.sha256(data).hexdigest()


def read_stamped(path: Path) -> tuple[bytes, Stamp]:
    """The bytes of *path* and their stamp, from one read (the stat taken before it, as
    :func:`stamp` takes it, of the file opened); :class:`OSError` if it cannot be read."""
    with open(path, "rb", buffering=0) as file:  # (unbuffered: read whole at once)
        info = os.fstat(file.fileno())
        data = file.read()
    return data, (info.st_size, info.st_mtime_ns, hashlib.sha256(data).hexdigest())


STATE_GITIGNORE = "# locflow's caches: rebuilt when missing, never committed\n*\n"


def make_state_dir(folder: Path) -> None:
    """Create the cache folder ``.locflow/`` with a ``.gitignore`` that ignores all of it
    (as pytest and mypy do with theirs): a project without ``locflow init``'s rules in
    its own ``.gitignore`` keeps a clean ``git status`` and still gets its caches."""
    if folder.is_dir():
        return
    folder.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(OSError):
        (folder / ".gitignore").write_text(STATE_GITIGNORE, encoding="utf-8")


def unchanged_since(file: Path, kept: Any, at: int) -> bool | Stamp:
    """True when *file* is unchanged by its stat since its stamp *kept* was recorded at
    *at* (``time.time_ns()``); its new stamp when unchanged by content; else False."""
    if kept is None:  # the file did not exist
        return not file.exists()
    try:
        size, mtime_ns, digest = kept
        info = file.stat()
    except (OSError, ValueError, TypeError):
        return False
    if info.st_size != size:
        return False
    # written in the tick the record was made: the same mtime may hide a change
    racy = info.st_mtime_ns >= at - int(_RACY * 1e9)
    if info.st_mtime_ns == mtime_ns and not racy:
        return True
    now = stamp(file)
    return now if now is not None and now[2] == digest else False


class FileCache:
    """Results by key, each valid while its input files keep their stamps."""

    def __init__(self, path: Path, settings: str) -> None:
        """Open the cache at *path*; records made under other *settings* are dropped.

        *settings* names everything besides the files that a result depends on
        (options, configuration, locflow's version).
        """
        self.path = path
        self.settings = settings
        self.started = time.time_ns()  # before any stamp this run takes
        # a record as read (its JSON, parsed when asked for: a large project's cache is
        # held as its bytes, not as millions of objects), or as put this run
        self.records: dict[str, bytes | dict[str, Any]] = {}
        self.changed = False
        with contextlib.suppress(OSError, ValueError, TypeError, AttributeError), \
                _open_plain(path) as lines:
            head = json.loads(lines.readline())
            if head.get("format") == _FORMAT and head.get("settings") == settings:
                records: dict[str, bytes | dict[str, Any]] = {}
                for line in lines:  # one record at a time: never the whole file as text
                    key, tab, record = line.removesuffix(b"\n").partition(b"\t")
                    name = json.loads(key)
                    if not tab or not isinstance(name, str) or not line.endswith(b"\n"):
                        return  # cut short, or not a cache this version wrote: none is used
                    records[name] = record
                self.records = records  # (only a cache read to its end is used)

    def record(self, key: str) -> dict[str, Any] | None:
        """The record kept under *key* (files, time, value), whatever its files say now."""
        record = self.records.get(key)
        if isinstance(record, bytes):
            try:
                record = json.loads(record)
            except (ValueError, RecursionError):
                return None
        return record if isinstance(record, dict) else None

    def get(self, key: str, files: Sequence[Path]) -> Any:
        """The result kept under *key*, or None unless every one of *files* is unchanged."""
        record = self.record(key)
        if record is None:
            return None
        stamps, at = record.get("files"), record.get("at")
        if (not isinstance(stamps, dict) or not isinstance(at, int)
                or sorted(stamps) != sorted(str(f) for f in files)):
            return None
        fresh: dict[Path, Stamp | None] = {}
        for file in files:
            kept = stamps[str(file)]
            now = unchanged_since(file, kept, at)
            if now is False:
                return None
            fresh[file] = kept if now is True else now
        if any(fresh[f] is not stamps[str(f)] for f in files):
            self.put(key, fresh, record.get("value"))  # read and confirmed: trust the stat now
        return record.get("value")

    def put(self, key: str, stamps: dict[Path, Stamp | None], value: Any) -> None:
        """Keep *value* under *key*, valid while each file keeps its stamp.

        The stamps must have been taken during this run (after the cache was opened).
        """
        self.records[key] = {"files": {str(f): s for f, s in stamps.items()},
                             "at": self.started, "value": value}
        self.changed = True

    def save(self) -> None:
        """Write the cache if anything was added (atomically; failures are ignored)."""
        if not self.changed:
            return
        with contextlib.suppress(OSError):
            make_state_dir(self.path.parent)
            # a new file of a random name (never one planted in its place), renamed over
            # the cache: a link there is replaced, not followed
            fd, temp = tempfile.mkstemp(dir=self.path.parent, prefix=f".{self.path.name}.",
                                        suffix=".tmp")
            try:
                with os.fdopen(fd, "wb") as out:
                    self._write(out)
                os.replace(temp, self.path)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(temp)
                raise
            self.changed = False

    def _write(self, out: BinaryIO) -> None:
        """The cache, record by record (a large project's cache is never one string in
        memory); records read and not changed are written back as they were read."""
        def dumps(value: Any) -> bytes:
            # (a file name the file system could not decode keeps its bytes)
            text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
            return text.encode("utf-8", "surrogatepass")

        out.write(dumps({"format": _FORMAT, "settings": self.settings}) + b"\n")
        for key, record in self.records.items():
            out.write(dumps(key) + b"\t" + (record if isinstance(record, bytes)
                                             else dumps(record)) + b"\n")


def _open_plain(path: Path) -> BinaryIO:
    """*path* opened for reading if it is a regular file, not through a symbolic link (a
    planted link could lead anywhere: a FIFO that never answers, ``/dev/zero``)."""
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(f"{path} is not a regular file")
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def code_stamp(package: Path | None = None) -> str:
    """A digest of locflow's own code (the files of *package*, default locflow's):
    results kept by another version are not reused."""
    digest = hashlib.sha256()
    for file in sorted((package or Path(__file__).parent).rglob("*.py")):
        with contextlib.suppress(OSError):
            info = file.stat()
            digest.update(f"{file.name}:{info.st_size}:{info.st_mtime_ns};".encode())
    return digest.hexdigest()[:16]
