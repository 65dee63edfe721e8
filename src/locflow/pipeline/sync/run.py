"""The ``sync`` stage: every article segmented into its template, each locale's catalog
merged, all written at once.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable
from pathlib import Path

from ...catalog import pofile
from ...config import Project
from ...filecache import Stamp
from ...parallel import map_ordered
from ..catalogs import SITE
from ..results import in_batches, result_cache
from .kept import (
    forget_if_memory_grew,
    keep_synced,
    kept_site,
    read_sources,
    site_templates,
    sync_settings,
)
from .memory import RunMemory, UnitsToIndex, end_run, memory_generations
from .plan import ToSync, plan_articles, plan_one, replanner, site_segments
from .records import KeptArticle, PlannedArticle, SyncResult


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
    return result


def _sync(project: Project, only: Iterable[str], write: bool, prefill: bool,
          warnings: list[str]) -> SyncResult:
    config = project.config
    wanted = set(only)
    # the memory is refreshed once per process of this run, when first needed: a fully
    # translated project never opens it
    run = os.urandom(8).hex() if prefill else ""
    cache = result_cache(project, "sync", sync_settings(project, prefill))
    sources = read_sources(project, cache, wanted)
    if cache is not None and prefill:
        forget_if_memory_grew(project, cache, sources, warnings, run)
    chosen = sources.chosen
    result = SyncResult(articles=len(chosen))
    # the articles to merge, by path: a worker reads each again (the parent holds no
    # article's text, so memory stays flat however large the project)
    todo = [ToSync(source.path, source.slug, source.stamp[2])
            for source in chosen if source.kept is None and source.stamp is not None]
    if todo:  # imported once, here: a pool's workers start with them (fork)
        from ... import segment  # noqa: F401
        if prefill:
            from ...memory import prefill as _prefill  # noqa: F401
            from ...memory import store as _store  # noqa: F401
    tasks = [(project, batch, run) for batch in in_batches(todo, 8)]
    fresh = (done for batch in map_ordered(plan_articles, tasks) for done in batch)
    by_slug = {item.slug: item for item in todo}
    lookup = RunMemory.of_run(project, run) if prefill else None
    synced: list[PlannedArticle] = []  # what each article's sync did (their bytes dropped)
    units = UnitsToIndex()
    try:
        with contextlib.ExitStack() as stack:
            batch: pofile.Commit | None = None
            if write:
                pofile.remove_stale_temporaries(project.locales_dir)
                # each planned file is written to a temporary as it comes (none is held in
                # memory), the catalog folders locked until every one is renamed
                batch = stack.enter_context(pofile.Commit(
                    [project.article_template("x")]
                    + [project.article_catalog(locale, "x") for locale in config.target_locales]
                    if todo else []))

            def record(done: PlannedArticle) -> None:
                result.templates_written += done.templates_written
                result.catalogs += done.catalogs
                result.warnings += done.warnings
                warnings.extend(w for w in done.memory_warnings if w not in warnings)
                item = None if done.site else by_slug.get(done.name)
                if batch is not None:
                    batch.add_all([
                        pofile.PlannedWrite(path, before, after, redo=None if locale is None
                                            else replanner(project, item, locale, path,
                                                            lookup))
                        for path, before, after, locale in done.plans])
                    units.add(done)
                done.plans, done.units = [], {}
                synced.append(done)

            # in the order of content/ (kept articles in their places), the site last
            for source in chosen:
                record(PlannedArticle.of_kept(project, source.slug, source.kept, prefill,
                                               catalogs=source.catalogs)
                       if source.kept is not None else next(fresh))
            site_inputs: dict[Path, Stamp | None] | None = None
            if not wanted:
                # the site's interface strings (HTML templates), planned here: unless the
                # templates and catalogs are as the last sync left them
                site_kept = kept_site(project, cache, prefill) if cache is not None else None
                if site_kept is not None:
                    record(PlannedArticle.of_kept(project, SITE, site_kept, prefill,
                                                   catalog_of=project.site_catalog))
                else:
                    site_inputs = site_templates(project)  # stamped before they are read
                    site = site_segments(project)
                    if site:
                        done = plan_one(
                            project, SITE, project.site_template,
                            [(locale, project.site_catalog(locale))
                             for locale in config.target_locales], site, lookup)
                        done.site = True
                        done.kept = KeptArticle(SITE, [], [
                            (c.locale, len({(s.context, s.msgid) for s in site}), untranslated)
                            for c, untranslated in zip(done.catalogs, done.untranslated,
                                                       strict=True)])
                        record(done)
                for locale in config.target_locales:
                    folder = project.path("locales", locale, "articles", what="catalog folder")
                    if folder.is_dir():
                        result.orphaned += [p for p in sorted(folder.glob("*.po"))
                                            if p.stem not in sources.slugs]
            if batch is None:
                return result
            # the memory as this run's lookups saw it (before it learns what is written)
            refreshed = ((lookup is not None and lookup.refreshed)
                         or any(done.refreshed for done in synced))
            generations = memory_generations(project) if prefill and refreshed else None
            # one barrier for every file, then the renames; each directory fsynced once.
            # Meanwhile the memory's index learns what the files will hold (a thread: the
            # commit mostly waits for the disk)
            with units.indexing(project if prefill else None), \
                    pofile.deferred_directory_sync():
                batch.finish()
        if cache is not None:
            keep_synced(project, cache, sources, synced, batch.redone, generations,
                         site_inputs)
    finally:
        if lookup is not None:
            warnings += [w for w in lookup.warnings if w not in warnings]
        end_run(run)
    return result
