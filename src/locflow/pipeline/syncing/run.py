"""The ``sync`` stage: every article segmented into its template, each locale's catalog
merged, all written at once.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from ...catalog import pofile
from ...config import Project
from ...filecache import FileCache, Stamp
from ...parallel import map_ordered
from ..catalogs import SITE
from ..results import in_batches, result_cache
from .kept import (
    Sources,
    forget_if_memory_grew,
    keep_synced,
    kept_site,
    read_sources,
    site_templates,
    sync_settings,
)
from .memory import RunMemory, UnitsToIndex, end_run, memory_generations, refresh_first
from .plan import ToSync, plan_articles, plan_one, replanner, site_segments
from .records import KeptArticle, PlannedArticle, SyncResult

if TYPE_CHECKING:
    from ...publish.reported import Reported


def sync(
    project: Project, *, only: Iterable[str] = (), write: bool = True, memory: bool = True
) -> SyncResult:
    """Segment every article into its template and merge each locale's catalog.

    *only* restricts the work to those article slugs. The site's interface
    strings (from the HTML templates) are merged into ``site.po`` as well. With
    ``write=False`` nothing is written and the result tells what would change.
    Untranslated entries are pre-filled from the translation memory when
    *memory* and ``[memory] prefill`` say so (and something is written).

    Every template and catalog is read, merged and checked first (articles on every
    core); files are written only when all of them succeeded, so a malformed catalog
    changes nothing. Temporary files a killed sync left in ``locales/`` are removed.
    """
    warnings: list[str] = []  # the memory's: a catalog it cannot read
    prefill = write and memory and project.config.memory_prefill
    result = _sync(project, only, write, prefill, warnings)
    result.warnings += warnings
    if project.config.derived:  # after the base catalogs: overrides follow their text
        from .overrides import refresh_all

        result.overrides = refresh_all(project, only, write)
    return result


def _sync(project: Project, only: Iterable[str], write: bool, prefill: bool,
          warnings: list[str]) -> SyncResult:
    wanted = set(only)
    # the memory is refreshed once per process of this run, when first needed: a fully
    # translated project never opens it
    run = os.urandom(8).hex() if prefill else ""
    cache = result_cache(project, "sync", sync_settings(project, prefill))
    sources = read_sources(project, cache, wanted)
    if cache is not None and prefill:
        forget_if_memory_grew(project, cache, sources, warnings, run)
    # the articles to merge, by path: a worker reads each again (the parent holds no
    # article's text, so memory stays flat however large the project)
    todo = [ToSync(source.path, source.slug, source.stamp[2])
            for source in sources.chosen if source.kept is None and source.stamp is not None]
    if todo:  # imported once, here: a pool's workers start with them (fork)
        from ... import segment  # noqa: F401
        if prefill:
            from ...memory import prefill as _prefill  # noqa: F401
            from ...memory import store as _store  # noqa: F401

            refresh_first(project, run)
    tasks = [(project, batch, run) for batch in in_batches(todo, 8)]
    fresh = (done for batch in map_ordered(plan_articles, tasks) for done in batch)
    lookup = RunMemory.of_run(project, run) if prefill else None
    state = _Run(project, prefill, warnings, sources, todo, lookup)
    if write:
        from ...publish.reported import Reported

        state.reported = Reported(project)
    try:
        with contextlib.ExitStack() as stack:
            if write:
                pofile.remove_stale_temporaries(project.locales_dir)
                # each planned file is written to a temporary as it comes (none is held in
                # memory), the catalog folders locked until every one is renamed
                state.batch = stack.enter_context(pofile.Commit(
                    [project.article_template("x")]
                    + [project.article_catalog(locale, "x")
                       for locale in project.config.target_locales]
                    if todo else []))
            # in the order of content/ (kept articles in their places), the site last
            for source in sources.chosen:
                state.record(PlannedArticle.of_kept(project, source.slug, source.kept, prefill,
                                                    catalogs=source.catalogs)
                             if source.kept is not None else next(fresh))
            site_inputs = None if wanted else state.plan_site(cache)
            if not wanted:
                state.find_orphans()
            if state.batch is None:
                return state.result
            generations = state.commit()
            if state.reported is not None:
                state.reported.save()
        if cache is not None:
            keep_synced(project, cache, sources, state.synced, state.batch.redone, generations,
                        site_inputs)
    finally:
        state.units.close()
        if lookup is not None:
            warnings += [w for w in lookup.warnings if w not in warnings]
        end_run(run)
    return state.result


class _Run:
    """One sync's state while its articles are planned and committed."""

    def __init__(self, project: Project, prefill: bool, warnings: list[str],
                 sources: Sources, todo: list[ToSync], lookup: RunMemory | None) -> None:
        self.project = project
        self.prefill = prefill
        self.warnings = warnings
        self.sources = sources
        self.by_slug = {item.slug: item for item in todo}
        self.lookup = lookup
        self.result = SyncResult(articles=len(sources.chosen))
        self.batch: pofile.Commit | None = None  # None: nothing is written
        self.synced: list[PlannedArticle] = []  # what each article's sync did (bytes dropped)
        self.units = UnitsToIndex()
        self.reported: Reported | None = None  # None: nothing is written, nor remembered

    def record(self, done: PlannedArticle) -> None:
        """Count what *done* did and send its changed files to their temporaries."""
        result = self.result
        result.templates_written += done.templates_written
        result.catalogs += done.catalogs
        result.source_warnings += done.warnings
        if done.source is not None:  # read and merged: its warnings, unless reported before
            path, digest = done.source
            result.warnings += (self.reported.fresh(path, digest, done.warnings)
                                if self.reported is not None else done.warnings)
        # (a kept article's source is as the last sync, which reported them, left it)
        self.warnings.extend(w for w in done.memory_warnings if w not in self.warnings)
        item = None if done.site else self.by_slug.get(done.name)
        if self.batch is not None:
            self.batch.add_all([
                pofile.PlannedWrite(path, before, after, redo=None if locale is None
                                    else replanner(self.project, item, locale, path,
                                                   self.lookup))
                for path, before, after, locale in done.plans])
            self.units.add(done)
        done.plans, done.units = [], {}
        self.synced.append(done)

    def plan_site(self, cache: FileCache | None) -> dict[Path, Stamp | None] | None:
        """Plan the site's interface strings (HTML templates), unless its templates and
        catalogs are as the last sync left them; returns the templates' stamps when
        planned (taken before they are read)."""
        project, prefill = self.project, self.prefill
        site_kept = kept_site(project, cache, prefill) if cache is not None else None
        if site_kept is not None:
            self.record(PlannedArticle.of_kept(project, SITE, site_kept, prefill,
                                               catalog_of=project.site_catalog))
            return None
        site_inputs = site_templates(project)
        site = site_segments(project)
        if site:
            done = plan_one(
                project, SITE, project.site_template,
                [(locale, project.site_catalog(locale))
                 for locale in project.config.target_locales], site, self.lookup)
            done.site = True
            done.kept = KeptArticle(SITE, [], [
                (c.locale, len({(s.context, s.msgid) for s in site}), untranslated)
                for c, untranslated in zip(done.catalogs, done.untranslated, strict=True)])
            self.record(done)
        return site_inputs

    def find_orphans(self) -> None:
        """Catalogs of articles no longer in content/."""
        for locale in self.project.config.target_locales:
            folder = self.project.path("locales", locale, "articles", what="catalog folder")
            if folder.is_dir():  # (names first: a Path only for an orphan)
                with os.scandir(folder) as found:
                    names = sorted(entry.name for entry in found)
                self.result.orphaned += [folder / name for name in names
                                         if name.endswith(".po")
                                         and name[:-3] not in self.sources.slugs]

    def commit(self) -> dict[str, int] | None:
        """Rename every temporary after one durability barrier; returns the memory's
        generations as this run's lookups saw them (before it learns what is written)."""
        assert self.batch is not None
        refreshed = ((self.lookup is not None and self.lookup.refreshed)
                     or any(done.refreshed for done in self.synced))
        generations = (memory_generations(self.project) if self.prefill and refreshed
                       else None)
        # one barrier for every file, then the renames; each directory fsynced once.
        # Meanwhile the memory's index learns what the files will hold (a thread: the
        # commit mostly waits for the disk)
        with self.units.indexing(self.project if self.prefill else None), \
                pofile.deferred_directory_sync():
            self.batch.finish()
        return generations
