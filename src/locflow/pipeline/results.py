"""What the project-wide stages share: their results kept in ``.locflow/`` and the
batches their pool tasks are made of.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from ..config import Project
from ..filecache import FileCache, code_stamp

T = TypeVar("T")

def result_cache(project: Project | None, kind: str, settings: str) -> FileCache | None:
    """The ``.locflow/`` cache of *kind* results (none for PO files named on the command
    line: *project* None)."""
    if project is None:
        return None
    return FileCache(project.cache_file(f"{kind}-cache.json", f"{kind} cache"),
                     f"{code_stamp()}:{settings}")


def in_batches(items: Sequence[T], size: int = 16) -> list[list[T]]:
    """*items* in runs of *size* (catalogs): one pool task each, in order."""
    return [list(items[i:i + size]) for i in range(0, len(items), size)]
