"""The file edge of ``locflow merge-driver``: read git's three versions, merge, write.

Kept apart from :mod:`locflow.pipeline` so that git, which starts one driver process
per conflicting file, waits only for what a merge needs (the PO layer and the merge).
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path

from ..errors import CatalogError
from . import pofile
from .merge3 import merge3

__all__ = ["FileMerge", "MergeConflict", "merge_files"]


@dataclass(frozen=True)
class MergeConflict:
    """An entry ``merge-driver`` left for a person, where it is in the merged file."""

    line: int
    msgctxt: str | None
    msgid: str


@dataclass(frozen=True)
class FileMerge:
    """What ``merge-driver`` did to one file."""

    label: str  # the path git names (%P), else the file written
    conflicts: list[MergeConflict]
    obsolete_conflicts: int
    moved_to_new_source: int
    changed: int  # entries of ours the merge changed or added
    written: bool


def _line_merge(base: Path, ours: Path, theirs: Path) -> None:
    """Git's own line merge into *ours* (conflict markers and all), for unparseable input."""
    import subprocess

    with contextlib.suppress(OSError, subprocess.SubprocessError):
        subprocess.run(
            ["git", "merge-file", "-L", "ours", "-L", "base", "-L", "theirs",
             str(ours), str(base), str(theirs)],
            capture_output=True, check=False, timeout=60,
        )


def merge_files(base: Path, ours: Path, theirs: Path, name: str | None = None) -> FileMerge:
    """Three-way merge of the catalog versions *base* (git's %O), *ours* (%A) and *theirs*
    (%B), written atomically over *ours*; *name* is the path git merges (%P), for messages.

    A version that does not parse makes this fall back to git's line merge (conflict
    markers included) and raise :class:`CatalogError` naming the version and line.
    """
    label = name or str(ours)
    catalogs: list[pofile.Catalog] = []
    for path, side in ((base, "the base version"), (ours, "our version"),
                       (theirs, "their version")):
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CatalogError(f"cannot read {side}: {exc.strerror or exc}", path=label) from None
        try:
            catalogs.append(pofile.parse(data, label))
        except CatalogError as exc:
            _line_merge(base, ours, theirs)
            raise CatalogError(f"{exc.message} (in {side}; merged line by line instead)",
                               path=label, line=exc.line) from None
    result = merge3(*catalogs)
    data = pofile.dump(result.catalog)
    written = pofile.save_atomic(ours, data)
    conflicts: list[MergeConflict] = []
    if result.conflicts:
        wanted = {(e.msgctxt, e.msgid) for e in result.conflicts}
        merged = pofile.parse(data, label)  # for the line numbers of the written file
        conflicts = [MergeConflict(e.line, e.msgctxt, e.msgid)
                     for e in merged.active() if e.key in wanted]
    return FileMerge(label, conflicts, result.obsolete_conflicts, result.moved_to_new_source,
                     result.from_theirs, written)
