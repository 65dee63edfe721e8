"""Warnings about an article's source, reported once per version of the source.

What the sanitizer removes from an article's raw HTML does not change until the
article does, so ``sync``, ``build`` and ``pipeline`` print it when they first see a
version of the source, not on every run. ``.locflow/reported.json`` keeps, for each
article, a digest of its source's hash and of the warnings printed about it: the same
article with the same warnings is quiet; an edit (or a locflow that words them
otherwise) prints them again. The record is a cache like the others (a fresh clone
has none, and warns); ``locflow sync --warnings`` lists every warning whatever it says.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..errors import LocflowError
from ..filecache import FileCache

if TYPE_CHECKING:
    from pathlib import Path

    from ..config import Project

_FORMAT = "reported 1"


class Reported:
    """The warnings already reported about each article's source (read once per run)."""

    def __init__(self, project: Project) -> None:
        self.project = project
        try:
            path = project.cache_file("reported.json", "record of reported warnings")
        except LocflowError:  # a planted link, an odd .locflow: warn every time, keep nothing
            self.cache: FileCache | None = None
        else:
            self.cache = FileCache(path, _FORMAT)

    def fresh(self, path: Path, source_hash: str, warnings: Sequence[str]) -> list[str]:
        """*warnings* about the article at *path*, unless they were reported for this
        version of its source (*source_hash*) already; remembered as reported (:meth:`save`
        keeps them)."""
        if self.cache is None:
            return list(warnings)
        key = self.project.relative(path)
        if not warnings:
            if self.cache.record(key) is not None:
                self.cache.put(key, {}, None)  # fixed: a later break is news again
            return []
        digest = hashlib.sha256("\0".join([source_hash, *warnings]).encode(
            "utf-8", "surrogatepass")).hexdigest()
        if self.cache.get(key, []) == digest:
            return []
        self.cache.put(key, {}, digest)
        return list(warnings)

    def save(self) -> None:
        """Keep what was reported (failures ignored: the record is only a cache)."""
        if self.cache is not None:
            self.cache.save()
