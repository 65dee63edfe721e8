"""Results too many to hold in memory: spooled to disk, read back when their turn comes.

``check`` of a newsroom's project keeps a record per catalog with its findings: tens of
thousands of records, hundreds of megabytes of JSON. :class:`SpooledCache` keeps what
:class:`~locflow.filecache.FileCache` keeps (a result valid while its input files keep
their stamps), but holds only where each record is: the cache file is indexed when
opened and a record read when asked for, and the records of this run go to an
unnamed temporary file (:class:`Spill`) until :meth:`SpooledCache.save` writes the new
cache. A record's stamps and its value are apart on its line, so that whether a result
is still valid is known without parsing the result.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, BinaryIO

from ..filecache import Stamp, _open_plain, make_state_dir, unchanged_since

__all__ = ["Spill", "SpooledCache"]

# A JSON header line, then one record per line: its key, a tab, its stamps ({"files":
# {path: stamp}, "at": ns}), a tab, its value; each JSON, which holds no raw tab or newline.
_FORMAT = "spooled-1"

Where = tuple[int, int]  # offset, length


class Spill:
    """Byte strings put aside in an unnamed temporary file (gone however the run ends),
    read back by where they were put. *folder*: where to make it (the system's
    temporary folder if None or missing)."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder
        self.file: BinaryIO | None = None
        self.end = 0

    def put(self, data: bytes) -> Where:
        if self.file is None:
            self.file = _temporary(self.folder)
        self.file.seek(self.end)
        self.file.write(data)
        where = (self.end, len(data))
        self.end += len(data)
        return where

    def get(self, where: Where) -> bytes:
        if self.file is None:
            raise KeyError(where)
        self.file.seek(where[0])
        return self.file.read(where[1])

    def close(self) -> None:
        if self.file is not None:
            self.file.close()
            self.file = None


def _temporary(folder: Path | None) -> BinaryIO:
    if folder is not None and folder.is_dir():
        with contextlib.suppress(OSError):  # (a read-only .locflow: the system's folder)
            return tempfile.TemporaryFile(dir=folder)
    return tempfile.TemporaryFile()


def _dumps(value: Any) -> bytes:
    # (a file name the file system could not decode keeps its bytes)
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.encode("utf-8", "surrogatepass")


class SpooledCache:
    """Results by key, each valid while its input files keep their stamps; values are
    JSON texts (bytes), never parsed here. Use it as a context manager (or
    :meth:`close` it): it holds the old cache file open and a temporary file."""

    def __init__(self, path: Path, settings: str) -> None:
        """Open the cache at *path*; records made under other *settings* are dropped."""
        self.path = path
        self.settings = settings
        self.started = time.time_ns()  # before any stamp this run takes
        self.old: BinaryIO | None = None
        # key -> (in the spool (else the old file), where its stamps start, their length,
        # the value's length): the value follows its stamps and a tab
        self.index: dict[str, tuple[bool, int, int, int]] = {}
        self.spool = Spill(path.parent)
        self.changed = False
        with contextlib.suppress(OSError):
            self._index(_open_plain(path))

    def _index(self, old: BinaryIO) -> None:
        """Where each record of *old* is (only a cache read to its end is used)."""
        index: dict[str, tuple[bool, int, int, int]] = {}
        try:
            first = old.readline()
            head = json.loads(first)
            if head.get("format") != _FORMAT or head.get("settings") != self.settings:
                raise ValueError("another cache")
            offset = len(first)
            for line in old:  # one line at a time: never the whole file in memory
                key, tab, rest = line.partition(b"\t")
                stamps, tab2, value = rest.partition(b"\t")
                name = json.loads(key)
                if not tab or not tab2 or not isinstance(name, str) or not line.endswith(b"\n"):
                    raise ValueError("cut short, or not a cache this version wrote")
                index[name] = (False, offset + len(key) + 1, len(stamps), len(value) - 1)
                offset += len(line)
        except (OSError, ValueError, TypeError, AttributeError, RecursionError):
            old.close()
            return
        self.old, self.index = old, index

    def _read(self, where: tuple[bool, int, int, int], start: int, length: int) -> bytes:
        if where[0]:
            return self.spool.get((where[1] + start, length))
        if self.old is None:  # (never: only a record of the old file says so)
            raise KeyError(where)
        self.old.seek(where[1] + start)
        return self.old.read(length)

    def fresh(self, key: str, files: Sequence[Path]) -> bool:
        """Whether the result kept under *key* holds: every one of *files* unchanged."""
        where = self.index.get(key)
        if where is None:
            return False
        try:
            record = json.loads(self._read(where, 0, where[2]))
            stamps, at = record["files"], record["at"]
        except (ValueError, TypeError, KeyError, RecursionError):
            return False
        if (not isinstance(stamps, dict) or not isinstance(at, int)
                or sorted(stamps) != sorted(str(f) for f in files)):
            return False
        now: dict[Path, Stamp | None] = {}
        for file in files:
            kept = stamps[str(file)]
            same = unchanged_since(file, kept, at)
            if same is False:
                return False
            now[file] = kept if same is True else same
        if any(now[f] is not stamps[str(f)] for f in files):
            value = self.value(key)  # read and confirmed: trust the stat next time
            if value is not None:
                self.put(key, now, value)
        return True

    def value(self, key: str) -> bytes | None:
        """The value kept under *key* (JSON), whatever its files say now."""
        where = self.index.get(key)
        return None if where is None else self._read(where, where[2] + 1, where[3])

    def put(self, key: str, stamps: dict[Path, Stamp | None], value: bytes) -> None:
        """Keep *value* (JSON) under *key*, valid while each file keeps its stamp (taken
        during this run, after the cache was opened)."""
        head = _dumps({"files": {str(f): s for f, s in stamps.items()}, "at": self.started})
        offset, _ = self.spool.put(head + b"\t" + value)
        self.index[key] = (True, offset, len(head), len(value))
        self.changed = True

    def save(self) -> None:
        """Write the cache if anything was put (atomically; failures are ignored)."""
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
                    out.write(_dumps({"format": _FORMAT, "settings": self.settings}) + b"\n")
                    for key, where in self.index.items():
                        out.write(_dumps(key) + b"\t"
                                  + self._read(where, 0, where[2] + 1 + where[3]) + b"\n")
                os.replace(temp, self.path)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(temp)
                raise
            self.changed = False

    def close(self) -> None:
        if self.old is not None:
            self.old.close()
            self.old = None
        self.spool.close()

    def __enter__(self) -> SpooledCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
