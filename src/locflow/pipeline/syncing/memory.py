"""The translation memory as one sync run uses it: opened once per process, and told
what the written catalogs hold.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING

from ...catalog import pofile
from ...config import Project
from ...review import (
    today,
)
from .records import PlannedArticle

if TYPE_CHECKING:
    from ...memory import MemoryStore, PrefillStats, Unit


class RunMemory:
    """The project's translation memory, opened on first use.

    With *refresh*, the index is brought up to date first. A sync opens one per process
    (:meth:`of_run`): a pool's workers each bring it up to date when they first need it
    (under a lock: the first does the work, the others only compare file stats), as a
    single process does once per command.
    """

    def __init__(self, project: Project, warnings: list[str], *, refresh: bool = True) -> None:
        self.project = project
        self.warnings = warnings
        self.refresh = refresh
        self.refreshed = False  # (by this object)
        self.store: MemoryStore | None = None
        self.pid = os.getpid()
        self.parallel = False  # a refresh reads files on every core (not in a pool's worker)

    @classmethod
    def of_run(cls, project: Project, run: str) -> RunMemory:
        """The memory of sync *run* in this process (see :func:`end_run`)."""
        memory = _RUN_MEMORY.get(run)
        if memory is not None and memory.pid != os.getpid():
            # a pool worker's copy of its parent's: a database connection must not cross a
            # fork (the parent closes its own before starting the pool; this is a guard)
            _INHERITED.append(memory)
            memory = _RUN_MEMORY[run] = cls(project, [], refresh=memory.refresh)
        if memory is None:
            memory = _RUN_MEMORY[run] = cls(project, [])
        return memory

    def __call__(self) -> MemoryStore:
        if self.store is None:
            from ...memory import open_memory

            self.store = open_memory(self.project, refresh=self.refresh,
                                     warn=self.warnings.append, parallel=self.parallel)
            self.refreshed = self.refreshed or self.refresh  # (opened again: still so)
        return self.store

    def prefiller(self, locale: str) -> Callable[[pofile.Catalog], PrefillStats]:
        from ...memory import PrefillSettings, prefill_entries

        config = self.project.config
        settings = PrefillSettings(
            source_locale=config.source_locale,
            exact="fuzzy" if config.memory_exact == "fuzzy" else "translated",
            threshold=config.memory_threshold * 100,
            sentences=config.memory_sentences,
        )
        return lambda catalog: prefill_entries(catalog.entries, self, locale, settings, today())

    def units_of(self, locale: str) -> Callable[[pofile.Catalog, dict[int, int]], list[Unit]]:
        """The memory units of a merged catalog (see :func:`~locflow.memory.index_written`)."""
        from ...memory import catalog_units

        return lambda catalog, lines: catalog_units(self.project, catalog, locale, lines)

    def close(self) -> None:
        """Close the index; opened again, it is not brought up to date a second time."""
        if self.store is not None:
            self.store.close()
            self.store = None
        if self.refreshed:
            self.refresh = False

class UnitsToIndex:
    """The memory units of the catalogs a sync writes, for :func:`index_written`, up to a
    bound: beyond it, catalogs are left to the next refresh (which reads them again).

    They wait in an unnamed temporary file, a record per catalog, not in memory: the
    sync's parent stays the same size however many catalogs it writes. The bound keeps
    the indexing (in a thread while the commit waits for the disk) to a few seconds."""

    LIMIT = 50_000  # entry units

    def __init__(self) -> None:
        self._spool: IO[bytes] | None = None
        self.count = 0  # units spooled
        self.catalogs = 0

    def add(self, done: PlannedArticle) -> None:
        import dataclasses
        import json

        from ...memory import Unit

        for path, found in done.units.items():
            entries = [unit for unit in found if unit.level == "entry"]  # (all it keeps)
            if self.count + len(entries) > self.LIMIT:
                continue
            if self._spool is None:
                import tempfile

                # closed by close(), at the end of the run
                self._spool = tempfile.TemporaryFile(prefix="locflow-units-")  # noqa: SIM115
            names = [field.name for field in dataclasses.fields(Unit)]  # (astuple deep-copies)
            record = [str(path), done.digests[path],
                      [[getattr(unit, name) for name in names] for unit in entries]]
            self._spool.write(json.dumps(record, ensure_ascii=False).encode() + b"\n")
            self.count += len(entries)
            self.catalogs += 1

    def written(self) -> Iterator[tuple[Path, str, list[Unit]]]:
        """The spooled catalogs, read back one by one, in the order they were added."""
        import json

        from ...memory import Unit

        if self._spool is None:
            return
        self._spool.seek(0)
        for line in self._spool:  # (JSON, as every file locflow reads back: never pickle)
            path, digest, units = json.loads(line)
            yield Path(path), digest, [Unit(*fields) for fields in units]

    def close(self) -> None:
        if self._spool is not None:
            self._spool.close()
            self._spool = None

    @contextlib.contextmanager
    def indexing(self, project: Project | None) -> Iterator[None]:
        """Tell the memory's index (of *project*; None: nothing) what the catalogs hold
        once written, in a thread while the block commits them (saves parsing them
        next time). Each is recorded as just written (its mtime not trusted), so the next
        refresh hashes it: a file merged again at commit, or not renamed because the
        commit failed, is read again then."""
        if project is None or not self.catalogs:
            yield
            return
        import threading

        from ...memory import index_written

        failed: list[BaseException] = []

        def index() -> None:
            try:
                index_written(project, self.written(), settled=False)
            except BaseException as exc:  # reported by the command, after the commit
                failed.append(exc)

        worker = threading.Thread(target=index, name="locflow-memory-index")
        worker.start()
        try:
            yield
        finally:
            worker.join()
        if failed:
            raise failed[0]


def refresh_first(project: Project, run: str) -> None:
    """Bring the memory's index up to date before the run's pool starts, the files it
    must read read on every core (a fresh clone reads every catalog); the run's workers
    then do not refresh it again. Only when it will likely be needed: a project with no
    index yet and no untranslated entry is left to open it when an entry needs it."""
    from ...memory.project import likely_needed

    lookup = RunMemory.of_run(project, run)
    if lookup.refresh and lookup.store is None and likely_needed(project):
        lookup.parallel = True
        try:
            lookup()
        finally:
            lookup.parallel = False
            lookup.close()  # before the pool forks


def memory_generations(project: Project) -> dict[str, int]:
    seen_by = RunMemory(project, [], refresh=False)
    try:
        return {locale: seen_by().generation(locale) for locale in project.config.target_locales}
    finally:
        seen_by.close()

_RUN_MEMORY: dict[str, RunMemory] = {}  # sync run → its memory in this process
_INHERITED: list[RunMemory] = []  # copies a fork made of the parent's: never used or closed


def end_run(run: str) -> None:
    memory = _RUN_MEMORY.pop(run, None)
    if memory is not None:
        memory.close()
