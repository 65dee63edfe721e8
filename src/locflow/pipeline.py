"""The pipeline stages as library calls: read → pure step → write.

The CLI (and anything else) calls these; they own all file I/O of catalogs
and templates, always through :mod:`locflow.catalog.pofile` (atomic, locked).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from .catalog import pofile
from .catalog.merge import MergeStats, merge, template_entry
from .config import CONFIG_FILE, Editor, Project
from .errors import (
    CatalogError,
    ConfigError,
    ConflictError,
    InputError,
    LocflowError,
    ServiceError,
)
from .filecache import FileCache, Stamp, code_stamp, stamp
from .glossary import Glossary, annotate
from .glossary import load as load_glossary
from .locales import plural_forms, validate_locale
from .model import Finding, ReviewState, Segment
from .parallel import map_ordered
from .review import (
    StateCounts,
    approve,
    count_states,
    entry_state,
    reject,
    retire_rejection,
    review_history,
    set_translation,
    text_hash,
    today,
)

if TYPE_CHECKING:
    from .checks import Report, Require
    from .content import Article
    from .memory import MemoryStore, PrefillStats, Unit
    from .mt import EngineOptions, Translator
    from .mt.cache import MTCache
    from .mt.mask import Masked
    from .mt.run import RetryPolicy

T = TypeVar("T")

SITE = "site"  # the article slot of the interface catalog in reports


# -- sync -----------------------------------------------------------------


@dataclass(frozen=True)
class CatalogSync:
    path: Path
    locale: str
    article: str  # slug, or "site"
    created: bool
    written: bool
    stats: MergeStats
    memory: PrefillStats | None = None  # entries pre-filled from the translation memory


@dataclass
class SyncResult:
    articles: int = 0
    templates_written: list[Path] = field(default_factory=list)
    catalogs: list[CatalogSync] = field(default_factory=list)
    orphaned: list[Path] = field(default_factory=list)  # catalogs of articles no longer in content/
    # "file:line: ..." (raw HTML removed, a catalog the translation memory cannot read)
    warnings: list[str] = field(default_factory=list)

    @property
    def written(self) -> list[CatalogSync]:
        return [c for c in self.catalogs if c.written]


def _template_header(project: Project) -> dict[str, str]:
    return {
        "Project-Id-Version": project.config.name,
        "Report-Msgid-Bugs-To": "",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
    }


def _catalog_header(project: Project, locale: str) -> dict[str, str]:
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M+0000")
    return {
        "Project-Id-Version": project.config.name,
        "Report-Msgid-Bugs-To": "",
        "PO-Revision-Date": now,
        "Last-Translator": "",
        "Language-Team": "",
        "Language": locale,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": plural_forms(locale),
    }


def plan_template(
    path: Path, header: dict[str, str], segments: Sequence[Segment]
) -> pofile.PlannedWrite:
    """The POT for *segments*, planned (nothing written). locflow owns templates: the
    existing file is compared, never parsed."""
    template = pofile.new_catalog(header, path=path)
    template.entries = [template_entry(segment) for segment in segments]
    return pofile.PlannedWrite(path, pofile.read_optional(path), pofile.dump(template))


@dataclass
class PlannedCatalog:
    """A catalog merged in memory: the write it needs, and what the merge did."""

    plan: pofile.PlannedWrite
    stats: MergeStats
    prefilled: PrefillStats | None = None
    units: list[Unit] | None = None  # its translation memory units, when asked for
    untranslated: bool = False  # entries the memory was asked to fill and could not


def plan_catalog(
    path: Path,
    locale: str,
    header: dict[str, str],
    segments: Sequence[Segment],
    threshold: float,
    *,
    glossary: Glossary | None = None,
    prefill: Callable[[pofile.Catalog], PrefillStats] | None = None,
    before: bytes | Literal["read"] | None = "read",
    units: Callable[[pofile.Catalog, dict[int, int]], list[Unit]] | None = None,
) -> PlannedCatalog:
    """The merged catalog at *path* (created if missing), planned: nothing is written.

    Each active entry's extracted comment gets a ``glossary:`` line per term of
    *glossary* its source contains. *prefill*, if given, fills untranslated
    entries after the merge (from the translation memory). *before* is the file's
    current bytes if the caller has them (None: no file). *units*, if given, works
    out the merged catalog's memory units (with the entries' lines in the new bytes).
    Raises :class:`CatalogError` for a catalog that cannot be parsed.
    """

    def merged(before: bytes | None) -> tuple[bytes, PlannedCatalog]:
        if before is None:
            catalog = pofile.new_catalog(header, path=path)
        else:
            catalog = pofile.parse(before, path)
        meta = catalog.metadata()
        if not meta.get("Language"):
            catalog.set_metadata("Language", locale)
        if not meta.get("Plural-Forms"):
            catalog.set_metadata("Plural-Forms", plural_forms(locale))
        stats = merge(catalog, segments, threshold=threshold)
        if glossary is not None:
            for entry in catalog.active():
                comment = annotate(entry.comment or "", entry.msgid, glossary)
                if comment != (entry.comment or ""):
                    entry.comment = comment
        prefilled = prefill(catalog) if prefill is not None else None
        lines: dict[int, int] = {}
        after = pofile.dump(catalog, lines=lines)
        found = units(catalog, lines) if units is not None and after != before else None
        placeholder = pofile.PlannedWrite(path, before, after)
        untranslated = prefill is not None and any(_untranslated(e) for e in catalog.entries)
        return after, PlannedCatalog(placeholder, stats, prefilled, found, untranslated)

    if before == "read":
        before = pofile.read_optional(path)
    after, done = merged(before)
    done.plan = pofile.PlannedWrite(path, before, after, redo=lambda now: merged(now)[0])
    return done


def _untranslated(entry: pofile.Entry) -> bool:
    from .memory.prefill import needs_prefill

    return needs_prefill(entry)


class _Memory:
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

    @classmethod
    def of_run(cls, project: Project, run: str) -> _Memory:
        """The memory of sync *run* in this process (see :func:`_end_run`)."""
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
            from .memory import open_memory

            self.store = open_memory(self.project, refresh=self.refresh,
                                     warn=self.warnings.append)
            self.refreshed = self.refresh
        return self.store

    def prefiller(self, locale: str) -> Callable[[pofile.Catalog], PrefillStats]:
        from .memory import PrefillSettings, prefill_entries

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
        from .memory import catalog_units

        return lambda catalog, lines: catalog_units(self.project, catalog, locale, lines)

    def close(self) -> None:
        """Close the index; opened again, it is not brought up to date a second time."""
        if self.store is not None:
            self.store.close()
            self.store = None
        if self.refreshed:
            self.refresh = False


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
    cache = _result_cache(project, "sync", _sync_settings(project, prefill))
    sources = _read_sources(project, cache, wanted)
    if cache is not None and prefill:
        _forget_if_memory_grew(project, cache, sources, warnings, run)
    chosen = sources.chosen
    result = SyncResult(articles=len(chosen))
    # the articles to merge, by path: a worker reads each again (the parent holds no
    # article's text, so memory stays flat however large the project)
    todo = [_ToSync(source.path, source.slug, source.stamp[2])
            for source in chosen if source.kept is None and source.stamp is not None]
    if todo:  # imported once, here: a pool's workers start with them (fork)
        from . import segment  # noqa: F401
        if prefill:
            from .memory import prefill as _prefill  # noqa: F401
            from .memory import store as _store  # noqa: F401
    tasks = [(project, batch, run) for batch in _batches(todo, 8)]
    fresh = (done for batch in map_ordered(_plan_articles, tasks) for done in batch)
    by_slug = {item.slug: item for item in todo}
    lookup = _Memory.of_run(project, run) if prefill else None
    synced: list[_PlannedArticle] = []  # what each article's sync did (their bytes dropped)
    units = _UnitsToIndex()
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

            def record(done: _PlannedArticle) -> None:
                result.templates_written += done.templates_written
                result.catalogs += done.catalogs
                result.warnings += done.warnings
                warnings.extend(w for w in done.memory_warnings if w not in warnings)
                item = None if done.site else by_slug.get(done.name)
                if batch is not None:
                    batch.add_all([
                        pofile.PlannedWrite(path, before, after, redo=None if locale is None
                                            else _replanner(project, item, locale, path,
                                                            lookup))
                        for path, before, after, locale in done.plans])
                    units.add(done)
                done.plans, done.units = [], {}
                synced.append(done)

            # in the order of content/ (kept articles in their places), the site last
            for source in chosen:
                record(_PlannedArticle.of_kept(project, source.slug, source.kept, prefill,
                                               catalogs=source.catalogs)
                       if source.kept is not None else next(fresh))
            site_inputs: dict[Path, Stamp | None] | None = None
            if not wanted:
                # the site's interface strings (HTML templates), planned here: unless the
                # templates and catalogs are as the last sync left them
                kept_site = _kept_site(project, cache, prefill) if cache is not None else None
                if kept_site is not None:
                    record(_PlannedArticle.of_kept(project, SITE, kept_site, prefill,
                                                   catalog_of=project.site_catalog))
                else:
                    site_inputs = _site_templates(project)  # stamped before they are read
                    site = site_segments(project)
                    if site:
                        done = _plan_one(
                            project, SITE, project.site_template,
                            [(locale, project.site_catalog(locale))
                             for locale in config.target_locales], site, lookup)
                        done.site = True
                        done.kept = _KeptArticle(SITE, [], [
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
            generations = _generations(project) if prefill and refreshed else None
            # one barrier for every file, then the renames; each directory fsynced once.
            # Meanwhile the memory's index learns what the files will hold (a thread: the
            # commit mostly waits for the disk)
            with units.indexing(project if prefill else None), \
                    pofile.deferred_directory_sync():
                batch.finish()
        if cache is not None:
            _keep_synced(project, cache, sources, synced, batch.redone, generations,
                         site_inputs)
    finally:
        if lookup is not None:
            warnings += [w for w in lookup.warnings if w not in warnings]
        _end_run(run)
    return result


class _UnitsToIndex:
    """The memory units of the catalogs a sync writes, for :func:`_index_written`, up to a
    bound: beyond it, catalogs are left to the next refresh (which reads them again), so
    a sync of a whole large project does not hold every catalog's units."""

    LIMIT = 50_000  # units (about 850 bytes each with their strings: some 40 MB)

    def __init__(self) -> None:
        self.units: dict[Path, tuple[str, list[Unit]]] = {}  # path → digest written, units
        self.count = 0

    def add(self, done: _PlannedArticle) -> None:
        for path, found in done.units.items():
            if self.count + len(found) <= self.LIMIT:
                self.units[path] = (done.digests[path], found)
                self.count += len(found)

    @contextlib.contextmanager
    def indexing(self, project: Project | None) -> Iterator[None]:
        """Tell the memory's index (of *project*; None: nothing) what the catalogs hold
        once written, in a thread while the block commits them (saves parsing them
        next time). Each is recorded as just written (its mtime not trusted), so the next
        refresh hashes it: a file merged again at commit, or not renamed because the
        commit failed, is read again then."""
        if project is None or not self.units:
            yield
            return
        import threading

        from .memory import index_written

        failed: list[BaseException] = []
        written = [(path, digest, units) for path, (digest, units) in self.units.items()]

        def index() -> None:
            try:
                index_written(project, written, settled=False)
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


# -- sync: what the last sync left, kept in .locflow/sync-cache.json ----------
# An article whose source, template and catalogs are as the last sync left them (and,
# with the memory pre-filling, whose untranslated entries the memory cannot fill since:
# no locale gained a text) is not read, segmented or merged again: a sync of a large
# project after a small edit, or of an unchanged one, only compares file stats.

_MEMORY_KEY = "\0memory"  # no article path: the memory generations the last sync saw
_MEMORY_FILES_KEY = "\0memory files"  # the files the memory was made of then
_SITE_KEY = "\0site"  # the interface strings' template and catalogs


def _site_templates(project: Project) -> dict[Path, Stamp | None]:
    """The stamps of the HTML templates the interface strings come from."""
    from .publish.interface import effective_templates

    return {path: stamp(path) for path in effective_templates(project).values()}


def _kept_site(project: Project, cache: FileCache, prefill: bool) -> _KeptArticle | None:
    """The site's catalogs as the last sync left them, if its templates and catalogs are
    unchanged (and, with entries left for the memory, so are the memory's files)."""
    from .publish.interface import effective_templates

    files = [*effective_templates(project).values(), project.site_template,
             *(project.site_catalog(locale) for locale in project.config.target_locales)]
    kept = _KeptArticle.from_json(cache.get(_SITE_KEY, files))
    if (kept is not None and prefill and any(u for _, _, u in kept.catalogs)
            and cache.get(_MEMORY_FILES_KEY, _memory_inputs(project)) is None):
        return None
    return kept


def _memory_inputs(project: Project) -> list[Path]:
    """Every file the translation memory may be made of, listed without resolving each
    (a superset of :func:`locflow.memory.memory_files`: a file more costs a check more)."""
    folders = [project.locales_dir / locale / folder
               for locale in project.config.target_locales
               for folder in ("articles", "LC_MESSAGES")]
    folders += [project.memory_dir] + [project.memory_dir / locale
                                       for locale in project.config.target_locales]
    found: list[Path] = []
    for folder in folders:
        with contextlib.suppress(OSError):
            found += sorted(Path(entry.path) for entry in os.scandir(folder)
                            if entry.name.endswith((".po", ".tmx")) and entry.is_file())
    return found


@dataclass(frozen=True)
class _KeptArticle:
    """What syncing an unchanged article again would do: nothing, with these counts."""

    slug: str
    warnings: list[str]
    catalogs: list[tuple[str, int, bool]]  # locale, entries (kept), untranslated entries?

    def as_json(self) -> object:
        return {"slug": self.slug, "warnings": self.warnings,
                "catalogs": [list(c) for c in self.catalogs]}

    @classmethod
    def from_json(cls, kept: object) -> _KeptArticle | None:
        try:
            assert isinstance(kept, dict)
            slug, warnings, catalogs = kept["slug"], kept["warnings"], kept["catalogs"]
            assert isinstance(slug, str) and isinstance(warnings, list)
            return cls(slug, [str(w) for w in warnings],
                       [(str(locale), int(n), bool(untranslated))
                        for locale, n, untranslated in catalogs])
        except (AssertionError, KeyError, TypeError, ValueError):
            return None


@dataclass
class _Source:
    path: Path
    slug: str
    stamp: Stamp | None = None  # of the file as it was read (to be synced)
    kept: _KeptArticle | None = None  # not read: as the last sync left it
    catalogs: dict[str, Path] | None = None  # of a kept article: its catalog by locale


@dataclass
class _Sources:
    chosen: list[_Source]  # the articles to sync (--article), in the order of content/
    slugs: set[str]  # every article's


def _sync_settings(project: Project, prefill: bool) -> str:
    """What every article's sync depends on besides its own files: the configuration and
    the glossaries (their bytes), and whether the memory pre-fills."""
    digest = hashlib.sha256(f"{prefill}".encode())
    for path in [project.root / CONFIG_FILE] + [project.glossary_file(locale)
                                                for locale in project.config.target_locales]:
        digest.update(b"\0" + (stamp(path) or (0, 0, "-"))[2].encode())
    return digest.hexdigest()


def _article_files(project: Project, path: Path, slug: str) -> list[Path]:
    """The files an article's sync reads and writes."""
    return [path, project.article_template(slug)] + [
        project.article_catalog(locale, slug) for locale in project.config.target_locales]


def _read_sources(project: Project, cache: FileCache | None, wanted: set[str]) -> _Sources:
    """Every article of content/: as the last sync left it (not read), or read."""
    from .content import duplicate_slug, find_article_files

    sources: list[_Source] = []
    seen: dict[str, Path] = {}
    for path in find_article_files(project.content_dir):
        found = _kept(project, cache, path) if cache is not None else None
        if found is not None:
            kept, catalogs = found
            source = _Source(path, kept.slug, kept=kept, catalogs=catalogs)
        else:
            source = _Source(path, "")
            _read_source(project, source)
        if source.slug in seen:
            raise duplicate_slug(source.slug, path, seen[source.slug])
        seen[source.slug] = path
        sources.append(source)
    unknown = wanted - seen.keys()
    if unknown:
        raise InputError(f"no article with slug {sorted(unknown)[0]!r} in {project.content_dir}")
    return _Sources([s for s in sources if not wanted or s.slug in wanted], set(seen))


def _kept(project: Project, cache: FileCache, path: Path
          ) -> tuple[_KeptArticle, dict[str, Path]] | None:
    """The article at *path* as the last sync left it, and its catalogs (by locale), if
    its files are as that sync left them."""
    record = cache.record(project.relative(path))
    value = record.get("value") if record is not None else None
    slug = value.get("slug") if isinstance(value, dict) else None
    if not isinstance(slug, str):
        return None
    try:
        files = _article_files(project, path, slug)
    except LocflowError:  # a slug no article may have: not ours
        return None
    kept = _KeptArticle.from_json(cache.get(project.relative(path), files))
    if kept is None:
        return None
    return kept, dict(zip(project.config.target_locales, files[2:], strict=True))


def _forget_if_memory_grew(project: Project, cache: FileCache, sources: _Sources,
                           warnings: list[str], run: str) -> None:
    """Kept articles with untranslated entries are synced again if the memory gained a
    text in their locale since (it may fill them now)."""
    waiting = [s for s in sources.chosen
               if s.kept is not None and any(u for _, _, u in s.kept.catalogs)]
    if not waiting or cache.get(_MEMORY_FILES_KEY, _memory_inputs(project)) is not None:
        return  # (no file the memory is made of changed since the last sync: nor has it)
    lookup = _Memory.of_run(project, run)  # brought up to date: the workers will not again
    now = {locale: lookup().generation(locale) for locale in project.config.target_locales}
    lookup.close()  # before the pool forks
    seen = cache.get(_MEMORY_KEY, [])
    if not isinstance(seen, dict):
        seen = {}
    for source in waiting:
        assert source.kept is not None
        if any(untranslated and seen.get(locale) != now[locale]
               for locale, _, untranslated in source.kept.catalogs):
            slug = source.slug
            _read_source(project, source)
            if source.slug != slug:  # its slug changed since the last sync, just now
                raise InputError("changed while locflow was reading it; run again",
                                 path=source.path)


def _read_source(project: Project, source: _Source) -> None:
    """Read the article of *source*, stamped as it was read (stat first, then the bytes
    the article's hash is of: a change in between is a miss next time, never a hit)."""
    from .content import read_article

    try:
        info = source.path.stat()
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", path=source.path) from None
    article = read_article(source.path, project.config.fields)
    source.slug, source.kept, source.catalogs = article.slug, None, None
    source.stamp = (info.st_size, info.st_mtime_ns, article.source_hash)


@dataclass(frozen=True)
class _ToSync:
    """An article to merge, as :func:`_read_sources` read it: it is read again where it is
    merged (a pool worker), and must not have changed since."""

    path: Path
    slug: str
    digest: str  # its source hash when first read

    def read(self, project: Project) -> Article:
        from .content import read_article

        article = read_article(self.path, project.config.fields)
        if article.slug != self.slug or article.source_hash != self.digest:
            raise InputError("changed while locflow was reading it; run again", path=self.path)
        return article


def _generations(project: Project) -> dict[str, int]:
    seen_by = _Memory(project, [], refresh=False)
    try:
        return {locale: seen_by().generation(locale) for locale in project.config.target_locales}
    finally:
        seen_by.close()


def _keep_synced(project: Project, cache: FileCache, sources: _Sources,
                 planned: Sequence[_PlannedArticle], redone: set[Path],
                 generations: dict[str, int] | None,
                 site_inputs: dict[Path, Stamp | None] | None = None) -> None:
    """Remember each synced article with the stamps of its files as the sync left them.

    A file is stamped again (under its lock) and must hold exactly the bytes the sync
    worked out: one another process changed meanwhile, or merged again at commit, is
    not remembered (the next sync merges it again)."""
    by_slug = {s.slug: s for s in sources.chosen if s.kept is None}
    # every file stamped as it is now, under its folder's lock (each folder locked once,
    # in one order, as a commit locks them)
    folders = {os.path.dirname(path): path for done in planned for path in done.digests}
    with contextlib.ExitStack() as held:
        for folder in sorted(folders, key=os.path.realpath):
            held.enter_context(pofile.locked(folders[folder]))
        now_stamps = {path: stamp(path) for done in planned for path in done.digests}
    for done in planned:
        source = by_slug.get(done.name) if not done.site else None
        if done.site and site_inputs is not None and done.kept is not None:
            stamps: dict[Path, Stamp | None] = dict(site_inputs)
            key = _SITE_KEY
        elif source is None or source.stamp is None:
            continue
        else:
            stamps, key = {source.path: source.stamp}, project.relative(source.path)
        for path, digest in done.digests.items():
            now = now_stamps[path]
            if path in redone or now is None or now[2] != digest:
                break
            stamps[path] = now
        else:
            if done.kept is not None:
                cache.put(key, stamps, done.kept.as_json())
    if generations is not None:
        cache.put(_MEMORY_KEY, {}, generations)
        # the files the memory was made of, as this sync left them (stamped under no lock:
        # a file changed meanwhile has another stamp, and the next sync looks again)
        cache.put(_MEMORY_FILES_KEY, {file: stamp(file) for file in _memory_inputs(project)},
                  True)
    cache.save()


@dataclass
class _PlannedArticle:
    """An article's template and catalogs, merged in memory (nothing written yet)."""

    name: str  # slug, or "site"
    # the files it changes: path, before, after, locale (None: the template)
    plans: list[tuple[Path, bytes | None, bytes, str | None]]
    catalogs: list[CatalogSync] = field(default_factory=list)
    templates_written: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    memory_warnings: list[str] = field(default_factory=list)  # from refreshing the memory
    units: dict[Path, list[Unit]] = field(default_factory=dict)  # of the changed catalogs
    site: bool = False  # the interface strings, not an article
    kept: _KeptArticle | None = None  # what syncing it again would do (nothing)
    digests: dict[Path, str] = field(default_factory=dict)  # every file's, as planned
    untranslated: list[bool] = field(default_factory=list)  # per catalog: left for memory
    refreshed: bool = False  # this worker brought the memory up to date

    def planned(self, plan: pofile.PlannedWrite, locale: str | None) -> None:
        """Add *plan* (of the catalog of *locale*, or of the template): only a file that
        changes travels with its bytes (back from a pool worker)."""
        self.digests[plan.path] = hashlib.sha256(plan.after).hexdigest()
        if plan.changed:
            self.plans.append((plan.path, plan.before, plan.after, locale))

    @classmethod
    def of_kept(cls, project: Project, slug: str, kept: _KeptArticle, prefill: bool, *,
                catalog_of: Callable[[str], Path] | None = None,
                catalogs: Mapping[str, Path] | None = None) -> _PlannedArticle:
        """An article (or the site: *catalog_of*) left as the last sync left it: its
        catalogs (*catalogs*, by locale, where the caller has their paths), unchanged."""
        memory: PrefillStats | None = None
        if prefill:
            from .memory import PrefillStats

            memory = PrefillStats()

        def path_of(locale: str) -> Path:
            if catalog_of is not None:
                return catalog_of(locale)
            known = catalogs.get(locale) if catalogs is not None else None
            return known if known is not None else project.article_catalog(locale, slug)

        synced = [CatalogSync(path_of(locale), locale, slug, False, False,
                              MergeStats(kept=entries), memory)
                  for locale, entries, _ in kept.catalogs]
        return cls(slug, [], synced, warnings=list(kept.warnings),
                   site=catalog_of is not None)


def _plan_articles(task: tuple[Project, list[_ToSync], str]) -> list[_PlannedArticle]:
    """Plan a few articles (one pool task). *run* names the sync ("": no memory pre-fill)."""
    project, items, run = task
    from .segment import segment_article  # markdown-it: only when articles are segmented

    lookup = _Memory.of_run(project, run) if run else None
    glossaries = {locale: load_glossary(project, locale)
                  for locale in project.config.target_locales}
    out = []
    for item in items:
        article = item.read(project)
        segments = segment_article(article, project.config.fields,
                                   source=project.relative(article.path))
        done = _plan_one(
            project, article.slug, project.article_template(article.slug),
            [(locale, project.article_catalog(locale, article.slug))
             for locale in project.config.target_locales],
            segments, lookup, glossaries)
        done.warnings[:0] = _source_warnings(project, article)
        entries = len({(segment.context, segment.msgid) for segment in segments})
        done.kept = _KeptArticle(article.slug, list(done.warnings), [
            (c.locale, entries, untranslated)
            for c, untranslated in zip(done.catalogs, done.untranslated, strict=True)])
        out.append(done)
    if out and lookup is not None:  # (the memory stays open for the run's next task)
        out[-1].memory_warnings += lookup.warnings
        lookup.warnings.clear()
        out[-1].refreshed = lookup.refreshed
    return out


_RUN_MEMORY: dict[str, _Memory] = {}  # sync run → its memory in this process
_INHERITED: list[_Memory] = []  # copies a fork made of the parent's: never used or closed


def _end_run(run: str) -> None:
    memory = _RUN_MEMORY.pop(run, None)
    if memory is not None:
        memory.close()


def _replanner(project: Project, item: _ToSync | None, locale: str, path: Path,
               lookup: _Memory | None) -> Callable[[bytes | None], bytes]:
    """Merge the catalog at *path* (of the article *item*, or of the site) again from
    *now*, its bytes when another process changed it after it was planned (under the
    lock, in :func:`pofile.commit`)."""

    def redo(now: bytes | None) -> bytes:
        if item is None:
            segments: Sequence[Segment] = site_segments(project)
        else:
            from .segment import segment_article

            article = item.read(project)
            segments = segment_article(article, project.config.fields,
                                       source=project.relative(article.path))
        return _merged_bytes(project, path, locale, segments, lookup, now)

    return redo


def _merged_bytes(project: Project, path: Path, locale: str, segments: Sequence[Segment],
                  lookup: _Memory | None, before: bytes | None
                  ) -> bytes:
    return plan_catalog(
        path, locale, _catalog_header(project, locale), segments,
        project.config.fuzzy_threshold, glossary=load_glossary(project, locale),
        prefill=lookup.prefiller(locale) if lookup is not None else None, before=before,
    ).plan.after


def _plan_one(
    project: Project,
    name: str,
    template_path: Path,
    catalogs: list[tuple[str, Path]],
    segments: Sequence[Segment],
    lookup: _Memory | None,
    glossaries: Mapping[str, Glossary] | None = None,
) -> _PlannedArticle:
    template = plan_template(template_path, _template_header(project), segments)
    done = _PlannedArticle(name, [])
    done.planned(template, None)
    if template.changed:
        done.templates_written.append(template_path)
    for locale, path in catalogs:
        planned = plan_catalog(
            path,
            locale,
            _catalog_header(project, locale),
            segments,
            project.config.fuzzy_threshold,
            glossary=(glossaries[locale] if glossaries is not None
                      else load_glossary(project, locale)),
            prefill=lookup.prefiller(locale) if lookup is not None else None,
            units=lookup.units_of(locale) if lookup is not None else None,
        )
        plan = planned.plan
        done.planned(plan, locale)
        done.untranslated.append(planned.untranslated)
        if planned.units is not None:
            done.units[plan.path] = planned.units
        done.catalogs.append(CatalogSync(path, locale, name, plan.before is None,
                                         plan.changed, planned.stats, planned.prefilled))
    return done


def _source_warnings(project: Project, article: Article) -> list[str]:
    from .publish import source_warnings

    return source_warnings(project, article)


def site_segments(project: Project) -> list[Segment]:
    """The interface strings of the site's HTML templates."""
    from .publish import site_segments as extract

    return list(extract(project))


# -- selecting catalogs -------------------------------------------------------


@dataclass(frozen=True)
class CatalogRef:
    """A catalog a command works on."""

    path: Path
    label: str  # how reports name it: relative to the project, or as given
    locale: str | None
    article: str | None  # slug, "site", or None for a bare PO path


def project_catalogs(
    project: Project,
    locales: Sequence[str] = (),
    articles: Sequence[str] = (),
    include_site: bool = True,
) -> list[CatalogRef]:
    """The project's existing catalogs, filtered by locale and article slug.

    A locale the project does not translate into is an error (exit 2) that
    names the configured ones.
    """
    configured = project.config.target_locales
    chosen = [validate_locale(loc) for loc in locales] or list(configured)
    for locale in chosen:
        if locale not in configured:
            what = (
                "is the source language"
                if locale == project.config.source_locale
                else "is not configured"
            )
            raise ConfigError(
                f"locale {locale!r} {what}: the project translates into "
                f"{', '.join(configured) or 'no locale'} ([project] target_locales in "
                f"{CONFIG_FILE})"
            )
    refs: list[CatalogRef] = []
    for locale in chosen:
        folder = project.path("locales", locale, "articles", what="catalog folder")
        for path, label in _catalog_files(project, folder, articles):
            refs.append(CatalogRef(path, label, locale, path.stem))
        site = project.site_catalog(locale)
        if include_site and site.exists() and (not articles or SITE in articles):
            refs.append(CatalogRef(site, project.relative(site), locale, SITE))
    return refs


def _catalog_files(project: Project, folder: Path,
                   articles: Sequence[str] = ()) -> list[tuple[Path, str]]:
    """The ``*.po`` files of a checked catalog *folder* (only those of *articles*, if
    given), sorted, each checked to resolve inside the project, with its label
    (:meth:`Project.relative`). A file not asked for is not checked.

    A file that is not a symbolic link lies where its folder does, so it passes the check
    the folder passed and its label is the folder's plus its name: only links are
    resolved one by one (thousands of catalogs, each path resolved twice, was a quarter
    of a cold ``status``).
    """
    try:
        with os.scandir(folder) as listing:
            found = sorted((item.name, item.is_symlink()) for item in listing
                           if item.name.endswith(".po"))
    except OSError:  # no folder (or not one): no catalogs, as a glob finds none
        return []
    real = Path(os.path.realpath(folder))
    try:
        prefix: str | None = real.relative_to(project.root).as_posix() + "/"
    except ValueError:  # the project's root is spelled with a link: as relative() does
        prefix = None
    out = []
    for name, link in found:
        path = folder / name
        if articles and path.stem not in articles:
            continue
        if link:
            project.checked(path, "catalog")
            out.append((path, project.relative(path)))
        else:
            out.append((path, prefix + name if prefix is not None else str(path)))
    return out


def file_catalogs(paths: Sequence[str | Path], root: Path | None = None) -> list[CatalogRef]:
    """Catalogs given as paths; the locale comes from each header's ``Language``.

    A path inside the project at *root* (as written) must also resolve inside it: a
    shell glob over ``locales/`` may expand to a committed symbolic link. Paths
    outside the project are the caller's own choice.
    """
    from .paths import inside

    refs = []
    real_root = Path(os.path.realpath(root)) if root is not None else None
    for given in paths:
        path = Path(given)
        if real_root is not None:
            absolute = Path(os.path.normpath(Path.cwd() / path))
            if absolute.is_relative_to(real_root):
                inside(real_root, absolute, "catalog")
        if not path.is_file():
            raise InputError("no such file", path=given)
        refs.append(CatalogRef(path, str(given), None, None))
    return refs


# -- status -----------------------------------------------------------------


@dataclass(frozen=True)
class CatalogStatus:
    ref: CatalogRef
    locale: str | None
    counts: StateCounts

    def as_dict(self) -> dict[str, object]:
        return {
            "path": self.ref.label,
            "locale": self.locale,
            "article": self.ref.article,
            **self.counts.as_dict(),
        }


def status(refs: Sequence[CatalogRef], *, project: Project | None = None) -> list[CatalogStatus]:
    """Count review states per catalog, on every core for a project. Writes no catalog.

    With *project*, counts are kept in ``.locflow/`` and a catalog is only read
    again when it changed.
    """

    cache = _result_cache(project, "status", "")
    out: list[CatalogStatus | None] = [None] * len(refs)
    todo: list[int] = []
    for index, ref in enumerate(refs):
        kept = cache.get(_ref_key(ref), [ref.path]) if cache else None
        if kept is None:
            todo.append(index)
            continue
        try:
            out[index] = CatalogStatus(ref, kept["locale"], StateCounts(**kept["counts"]))
        except (TypeError, KeyError):  # not kept (or kept in another shape)
            todo.append(index)
    batches = _batches(todo)
    tasks = [([refs[i] for i in batch], cache is not None) for batch in batches]
    # A catalog is counted in a fraction of a millisecond: below a few hundred, starting
    # the pool costs more than it saves.
    counted = map_ordered(_status_some, tasks, min_items=_STATUS_POOL_TASKS)
    for batch, rows in zip(batches, counted, strict=True):
        for index, (locale, counts, stamped) in zip(batch, rows, strict=True):
            ref = refs[index]
            out[index] = CatalogStatus(ref, locale, counts)
            if cache is not None and stamped is not None:
                cache.put(_ref_key(ref), {ref.path: stamped},
                          {"locale": locale, "counts": dict(vars(counts))})
    if cache is not None:
        cache.save()
    return [row for row in out if row is not None]


_STATUS_POOL_TASKS = 32  # tasks of _batches(): 512 catalogs


def _ref_key(ref: CatalogRef) -> str:
    return "\0".join([str(ref.path), ref.label, ref.locale or "", ref.article or ""])


def _result_cache(project: Project | None, kind: str, settings: str) -> FileCache | None:
    """The ``.locflow/`` cache of *kind* results, for a project that has a config file."""
    if project is None or not (project.root / CONFIG_FILE).is_file():
        return None
    return FileCache(project.state_dir / f"{kind}-cache.json", f"{code_stamp()}:{settings}")


def _batches(items: Sequence[T], size: int = 16) -> list[list[T]]:
    """*items* in runs of *size* (catalogs): one pool task each, in order."""
    return [list(items[i:i + size]) for i in range(0, len(items), size)]


def _status_some(
    task: tuple[list[CatalogRef], bool],
) -> list[tuple[str | None, StateCounts, Stamp | None]]:
    """The locale, counts and (if *stamped*) stamp of each catalog of one task: only
    what the caller lacks goes back through the pool."""
    refs, stamped = task
    out = []
    for ref in refs:
        kept = stamp(ref.path) if stamped else None
        catalog = pofile.load(ref.path)
        out.append((catalog_locale(ref, catalog), count_states(catalog.entries), kept))
    return out


# -- review -----------------------------------------------------------------


@dataclass(frozen=True)
class EntryRow:
    """One entry as ``review list`` shows it."""

    path: str
    line: int
    locale: str | None
    article: str | None
    state: ReviewState
    msgctxt: str | None
    msgid: str
    msgstr: str
    note: str  # the rejection reason, or "" otherwise
    history: tuple[str, ...] = ()  # earlier review events (rejections fixed since, overrides)
    conflict: tuple[str, ...] | None = None  # the other translation a merge left beside this one
    draft: str = ""  # where a machine or memory text came from: "memory 100% vote 2024-11-05"

    def as_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "locale": self.locale,
            "article": self.article,
            "state": self.state.value,
            "msgctxt": self.msgctxt,
            "msgid": self.msgid,
            "msgstr": self.msgstr,
            "note": self.note,
            "history": list(self.history),
            "conflict": list(self.conflict) if self.conflict is not None else None,
            "draft": self.draft or None,
        }


def _selected(entry: pofile.Entry, msgid: str | None) -> bool:
    return not entry.obsolete and (msgid is None or msgid in entry.msgid)


def review_list(
    refs: Sequence[CatalogRef], *, msgid: str | None = None, states: Sequence[ReviewState] = ()
) -> list[EntryRow]:
    """The active entries of *refs* (optionally: whose msgid contains *msgid*, in *states*)."""
    from .provenance import provenance
    from .review import conflict, rejection

    rows = []
    for ref in refs:
        catalog = pofile.load(ref.path)
        locale = catalog_locale(ref, catalog)
        for entry in catalog.active():
            if not _selected(entry, msgid):
                continue
            state = entry_state(entry)
            if states and state not in states:
                continue
            found = rejection(entry) if state is ReviewState.REJECTED else None
            msgstr = entry.msgstr_plural.get(0, "") if entry.msgid_plural else entry.msgstr
            origin = provenance(entry)
            rows.append(
                EntryRow(
                    ref.label,
                    entry.line,
                    locale,
                    ref.article,
                    state,
                    entry.msgctxt,
                    entry.msgid,
                    msgstr,
                    found.reason if found else "",
                    review_history(entry),
                    conflict(entry),
                    origin.comment().removeprefix("locflow-draft: ") if origin else "",
                )
            )
    return rows


@dataclass(frozen=True)
class CheckedEntry:
    """An entry whose text error-level checks fail, as ``review approve`` reports it."""

    path: str
    line: int
    msgid: str
    problems: tuple[tuple[str, str], ...]  # (check id, message)

    @property
    def checks(self) -> list[str]:
        return sorted({check for check, _ in self.problems})


@dataclass
class ReviewResult:
    matched: int = 0  # active entries the selection matched
    changed: int = 0
    skipped: int = 0
    skipped_states: dict[str, int] = field(default_factory=dict)
    catalogs_written: list[str] = field(default_factory=list)
    failing: list[CheckedEntry] = field(default_factory=list)  # not approved: checks fail
    overridden: list[CheckedEntry] = field(default_factory=list)  # approved with --force
    retired: int = 0  # rejections fixed since, turned into history lines

    def skip(self, reason: str) -> None:
        self.skipped += 1
        self.skipped_states[reason] = self.skipped_states.get(reason, 0) + 1


FAILING_CHECKS = "failing checks"  # the skip reason of an entry approve refused


def _review(
    refs: Sequence[CatalogRef],
    msgid: str | None,
    action: Callable[[pofile.Entry, CatalogRef, str, ReviewResult], bool],
) -> ReviewResult:
    """Apply *action* to every selected active entry; it returns whether it changed one.

    *action* gets the entry, its catalog, the catalog's locale and the result
    (to record why it refused an entry); unchanged entries count as skipped in
    their state unless the action recorded another reason. Every catalog is read
    and changed in memory first; files are written only when all of them parsed,
    so a broken catalog changes nothing.
    """

    def decide(ref: CatalogRef, before: bytes | None, result: ReviewResult
               ) -> tuple[bytes, bool]:
        if before is None:
            raise CatalogError("catalog does not exist", path=ref.path)
        catalog = pofile.parse(before, ref.path)
        locale = catalog_locale(ref, catalog) or ""
        changed_here = 0
        retired_before = result.retired
        for entry in catalog.active():
            if not _selected(entry, msgid):
                continue
            result.matched += 1
            if retire_rejection(entry):  # fixed since: the rejection becomes history
                result.retired += 1
            state = entry_state(entry)
            skipped_before = result.skipped
            if action(entry, ref, locale, result):
                changed_here += 1
            elif result.skipped == skipped_before:
                result.skip(state.value)
        result.changed += changed_here
        return pofile.dump(catalog), bool(changed_here or retired_before != result.retired)

    def redo(ref: CatalogRef) -> Callable[[bytes | None], bytes]:
        # the file changed since it was read: decide again on its bytes (counts as planned)
        return lambda now: decide(ref, now, ReviewResult())[0]

    result = ReviewResult()
    plans: list[pofile.PlannedWrite] = []
    for ref in refs:
        before = pofile.read_optional(ref.path)
        after, touched = decide(ref, before, result)
        plans.append(pofile.PlannedWrite(ref.path, before, after, redo=redo(ref)))
        if touched:
            result.catalogs_written.append(ref.label)
    for ref in refs:
        pofile.remove_stale_temporaries(ref.path.parent, names={ref.path.name})
    pofile.commit(plans)
    return result


def review_approve(
    refs: Sequence[CatalogRef],
    reviewer: str,
    date: str,
    *,
    msgid: str | None = None,
    force: bool = False,
) -> ReviewResult:
    """Approve every ``translated`` entry selected; others are skipped and counted.

    An approval must not launder an error: an entry on which an error-level
    content check fails (numbers, urls, markup...) is not approved but listed in
    ``failing``, unless *force*: then the approval records the overridden checks
    (``override: numbers``) and the entry is listed in ``overridden``.
    """
    from .checks import blocking_problems

    def act(entry: pofile.Entry, ref: CatalogRef, locale: str, result: ReviewResult) -> bool:
        if entry_state(entry) is not ReviewState.TRANSLATED:
            return False
        problems = blocking_problems(entry, locale)
        checked = CheckedEntry(
            ref.label, entry.line, entry.msgid, tuple((p.check, p.message) for p in problems)
        )
        if problems and not force:
            result.failing.append(checked)
            result.skip(FAILING_CHECKS)
            return False
        if not approve(entry, reviewer, date, override=checked.checks):
            return False
        if problems:
            result.overridden.append(checked)
        return True

    return _review(refs, msgid, act)


def review_reject(
    refs: Sequence[CatalogRef], reviewer: str, date: str, reason: str, *, msgid: str | None = None
) -> ReviewResult:
    """Reject the selected translated, approved or fuzzy entries with *reason*."""
    return _review(refs, msgid, lambda entry, *_: reject(entry, reviewer, date, reason))


# -- one entry at a time (the review desk) -------------------------------------
#
# The desk shows an entry, the editor decides later: each decision carries the
# text hash (and state) of the entry as it was shown, and is refused with
# ConflictError when the file says otherwise by then, so nobody approves,
# rejects or overwrites text they have not seen.

Key = tuple[str | None, str]  # (msgctxt, msgid)


def _checked_entry(catalog: pofile.Catalog, key: Key, seen_hash: str,
                   seen_state: ReviewState | None) -> pofile.Entry:
    entry = catalog.index().get(key)
    if entry is None:
        raise ConflictError("the entry is no longer in the catalog", path=catalog.path,
                            keys=(key,))
    if text_hash(entry) != seen_hash or (
            seen_state is not None and entry_state(entry) is not seen_state):
        raise ConflictError("the entry changed since it was shown", path=catalog.path,
                            line=entry.line, keys=(key,))
    return entry


def _approve_one(entry: pofile.Entry, reviewer: str, date: str, locale: str,
                 result: ReviewResult | None = None) -> bool:
    """One entry's approval, as ``review approve`` (without ``--force``) makes it.

    An entry on which an error-level content check fails is not approved (the desk
    cannot launder an error either); it is recorded in *result* when given.
    """
    from .checks import blocking_problems

    if entry_state(entry) is not ReviewState.TRANSLATED:
        return False
    problems = blocking_problems(entry, locale)
    if problems:
        if result is not None:
            result.failing.append(CheckedEntry(
                str(entry.line), entry.line, entry.msgid,
                tuple((p.check, p.message) for p in problems)))
            result.skip(FAILING_CHECKS)
        return False
    return approve(entry, reviewer, date)


def _catalog_language(catalog: pofile.Catalog, path: Path) -> str:
    """The locale of a catalog: its header, else its place in the tree."""
    from .locales import locale_from_path

    return catalog.language or locale_from_path(path.resolve()) or ""


def _decide_one(path: Path, key: Key, seen_hash: str, seen_state: ReviewState | None,
                action: Callable[[pofile.Entry, str], bool]) -> bool:
    """Apply *action* (entry, locale) to entry *key* if it is still as seen."""
    with pofile.edit(path) as catalog:  # locked; nothing is written if this raises
        entry = _checked_entry(catalog, key, seen_hash, seen_state)
        return action(entry, _catalog_language(catalog, path))


def approve_entry(path: Path, key: Key, seen_hash: str, reviewer: str, date: str, *,
                  seen_state: ReviewState | None = None) -> bool:
    """Approve the entry *key* of the catalog at *path* if it is still as seen.

    *seen_hash* is :func:`locflow.review.text_hash` of the entry when it was shown
    (and *seen_state* its state, if given). Raises :class:`ConflictError` when the
    entry changed or is gone; returns False when it is not ``translated``.
    """
    return _decide_one(path, key, seen_hash, seen_state,
                       lambda entry, locale: _approve_one(entry, reviewer, date, locale))


def reject_entry(path: Path, key: Key, seen_hash: str, reviewer: str, date: str, reason: str,
                 *, seen_state: ReviewState | None = None) -> bool:
    """Reject the entry *key* with *reason* if it is still as seen (see :func:`approve_entry`)."""
    return _decide_one(path, key, seen_hash, seen_state,
                       lambda entry, _: reject(entry, reviewer, date, reason))


def edit_entry(path: Path, key: Key, seen_hash: str, msgstrs: Sequence[str], *,
               seen_state: ReviewState | None = None) -> bool:
    """Replace the translation of entry *key* if it is still as seen; it becomes
    ``translated`` (see :func:`locflow.review.set_translation`)."""
    return _decide_one(path, key, seen_hash, seen_state,
                       lambda entry, _: set_translation(entry, list(msgstrs)))


def approve_entries(path: Path, seen: Mapping[Key, str], reviewer: str, date: str
                    ) -> ReviewResult:
    """Approve the translated entries among *seen* (key → text hash as shown), all or none.

    If any of them changed or is gone, nothing is written and :class:`ConflictError`
    names them. Entries of *seen* that are no longer ``translated`` (approved or
    rejected by someone else meanwhile) are skipped and counted.
    """
    result = ReviewResult()
    with pofile.edit(path) as catalog:
        index = catalog.index()
        changed = tuple(key for key, digest in seen.items()
                        if key not in index or text_hash(index[key]) != digest)
        if changed:
            raise ConflictError(
                f"{len(changed)} entr{'y' if len(changed) == 1 else 'ies'} changed since shown",
                path=path, keys=changed)
        locale = _catalog_language(catalog, path)
        for key in seen:
            entry = index[key]
            state = entry_state(entry)
            skipped_before = result.skipped
            if _approve_one(entry, reviewer, date, locale, result):
                result.changed += 1
            elif result.skipped == skipped_before:
                result.skip(state.value)
    if result.changed:
        result.catalogs_written.append(str(path))
    return result


def review_resolve(
    refs: Sequence[CatalogRef], take: str, *, msgid: str | None = None
) -> ReviewResult:
    """Settle the merge conflicts selected: keep the ``current`` text or take the ``other``."""
    from .review import resolve_conflict

    return _review(refs, msgid, lambda entry, *_: resolve_conflict(entry, take))


def require_catalogs(refs: Sequence[CatalogRef]) -> Sequence[CatalogRef]:
    if not refs:
        raise CatalogError("no catalogs found: run 'locflow sync' first, or name PO files")
    return refs


# -- check ------------------------------------------------------------------


@dataclass(frozen=True)
class VerifyApprovals:
    """Who may approve (``[review]`` of ``locflow.toml``), for ``check --verify-approvals``."""

    editors: Sequence[Editor]
    require_signed: bool = False


def check(
    refs: Sequence[CatalogRef],
    require: Require = "translated",
    strict: bool = False,
    project: Project | None = None,
    *,
    baseline: Path | None = None,
    verify_approvals: VerifyApprovals | None = None,
) -> Report:
    """Load each catalog of *refs* and run every check on it.

    With *project*, the ``glossary`` check uses its ``glossary/<locale>.csv``.
    A catalog whose locale is known neither from the project, nor its
    ``Language`` header, nor its path gets one ``language`` warning: the checks
    that depend on the language then assume none. With *baseline* (a file
    ``checks.report.write_baseline`` wrote), the findings it records are dropped,
    except those a baseline may never suppress under *require*
    (``checks.baseline_protected``). With *verify_approvals*, every approval that
    counts must have been committed by a listed editor (:mod:`locflow.approvals`),
    else it is a ``forged-approval`` error. Raises :class:`CatalogError` (exit 2)
    for a catalog that cannot be parsed, :class:`InputError` for a baseline that
    cannot be read or approvals that cannot be verified at all (no git
    repository, no editors listed).
    """
    from .checks import LANGUAGE_CHECK, Report, baseline_protected
    from .checks.report import filter_baseline
    from .model import Severity

    if verify_approvals is not None and not verify_approvals.editors:
        raise ConfigError("--verify-approvals needs the editors listed: "
                          '[review] editors = ["Name <e-mail>", ...] in locflow.toml')

    # One task per article: its catalogs of every locale are checked together, so
    # each source text is analysed once (the checks memoize it), not once per locale.
    by_article: dict[str, list[int]] = {}
    for index, ref in enumerate(refs):
        by_article.setdefault(ref.article or ref.label, []).append(index)
    cache = _result_cache(project, "check", f"{require}:{strict}")
    glossaries = _glossary_files(project, refs) if cache is not None else None
    results: list[_CatalogChecked | None] = [None] * len(refs)
    for index, ref in enumerate(refs):
        files = _check_inputs(glossaries, ref)
        if cache is not None and files is not None:
            results[index] = _CatalogChecked.from_json(cache.get(_ref_key(ref), files))
    units = [index for unit in by_article.values() for index in unit if results[index] is None]
    batches = _batches(units)
    tasks = [([refs[i] for i in batch], require, strict, project, glossaries)
             for batch in batches]
    for batch, checked in zip(batches, map_ordered(_check_some, tasks), strict=True):
        for index, one in zip(batch, checked, strict=True):
            results[index] = one
            if cache is not None and one.stamps is not None:
                cache.put(_ref_key(refs[index]), one.stamps, one.as_json())
    if cache is not None:
        cache.save()
    report = Report()
    unknown: list[str] = []
    for ref, result in zip(refs, results, strict=True):
        one = result if result is not None else _CatalogChecked(0, [], False)  # never None
        report.files_checked += 1
        report.files.append(ref.label)
        report.entries_checked += one.entries
        report.findings.extend(one.findings)
        if one.unknown_language:
            unknown.append(ref.label)
    forged: list[Finding] = []
    if verify_approvals is not None:  # (git history: never kept in the cache)
        from .approvals import verify_catalog

        for ref in refs:
            catalog = pofile.load(ref.path)
            forged.extend(verify_catalog(
                ref.path, catalog.entries, ref.label, catalog_locale(ref, catalog), ref.article,
                verify_approvals.editors, verify_approvals.require_signed,
            ))
    report.findings[:0] = [
        Finding(
            LANGUAGE_CHECK,
            Severity.ERROR if strict else Severity.WARNING,
            'the catalog does not say its language: add "Language: xx" to its header '
            "(checks of numbers, punctuation and length assume none until then)",
            label,
            1,
            "",
        )
        for label in unknown
    ]
    report.findings.extend(forged)
    if baseline is not None:
        try:
            text = baseline.read_text(encoding="utf-8")
            report.findings, report.suppressed = filter_baseline(
                report.findings, text, baseline_protected(require)
            )
        except (OSError, ValueError) as exc:  # UnicodeDecodeError is a ValueError
            raise InputError(str(exc), path=baseline) from None
    return report


@dataclass(frozen=True)
class _CatalogChecked:
    entries: int
    findings: list[Finding]
    unknown_language: bool
    stamps: dict[Path, Stamp | None] | None = None  # of the inputs, to keep the result

    def as_json(self) -> object:
        return {"entries": self.entries, "unknown": self.unknown_language,
                "findings": [[f.check, f.severity.value, f.message, f.path, f.line, f.msgid,
                              f.msgctxt, f.locale, f.article] for f in self.findings]}

    @classmethod
    def from_json(cls, kept: object) -> _CatalogChecked | None:
        """A kept result, or None if there is none (or it has another shape)."""
        from .model import Severity

        if not isinstance(kept, dict):
            return None
        # the same texts recur (a message, the path; an entry's msgid in each finding of
        # it): one string object each, not one per finding
        same: dict[Any, Any] = {}
        try:
            findings = [Finding(check, Severity(severity),
                                *(same.setdefault(v, v) if isinstance(v, str) else v
                                  for v in rest))
                        for check, severity, *rest in kept["findings"]]
            return cls(int(kept["entries"]), findings, bool(kept["unknown"]))
        except (TypeError, KeyError, ValueError):
            return None


def _glossary_files(project: Project | None,
                    refs: Sequence[CatalogRef]) -> dict[str, Path | None]:
    """The glossary file of each project locale of *refs* (None: a path that is refused)."""
    out: dict[str, Path | None] = {}
    if project is None:
        return out
    for ref in refs:
        if ref.locale is not None and ref.locale not in out:
            try:
                out[ref.locale] = project.glossary_file(ref.locale)
            except LocflowError:
                out[ref.locale] = None
    return out


def _check_inputs(glossaries: Mapping[str, Path | None] | None,
                  ref: CatalogRef) -> list[Path] | None:
    """The files a project catalog's findings depend on (None: keep no result);
    *glossaries* as :func:`_glossary_files` gives them (None: keep no results)."""
    if glossaries is None or ref.locale is None:
        return None
    glossary = glossaries.get(ref.locale)
    return [ref.path, glossary] if glossary is not None else None


def _check_some(
    task: tuple[list[CatalogRef], Require, bool, Project | None,
                Mapping[str, Path | None] | None],
) -> list[_CatalogChecked]:
    """Check the catalogs of one task (a few articles' locales), each on its own."""
    from .checks import check_catalog

    refs, require, strict, project, glossary_files = task
    glossaries: dict[str, dict[str, object]] = {}
    out = []
    for ref in refs:
        files = _check_inputs(glossary_files, ref)
        stamps = {file: stamp(file) for file in files} if files is not None else None
        catalog = pofile.load(ref.path)
        locale = catalog_locale(ref, catalog)
        language = locale or catalog.language
        extra: dict[str, object] = {}
        if project is not None and language:
            if language not in glossaries:
                glossaries[language] = {"glossary": load_glossary(project, language)}
            extra = glossaries[language]
        findings = check_catalog(catalog, ref.label, locale, ref.article, require, strict,
                                 entry_state, extra)
        out.append(_CatalogChecked(sum(1 for _ in catalog.active()), findings, locale is None,
                                   stamps))
    return out


def catalog_locale(ref: CatalogRef, catalog: pofile.Catalog) -> str | None:
    """The locale of a catalog: the project's, else its ``Language`` header, else its path."""
    from .locales import locale_from_path

    return ref.locale or catalog.language or locale_from_path(ref.path.resolve())


# -- translate (machine translation drafts) ----------------------------------


@dataclass
class TranslateResult:
    """What ``translate`` did (or, with ``dry_run``, would do)."""

    engine: str
    entries: int = 0  # untranslated entries chosen for a draft
    drafted: int = 0  # drafts written into catalogs
    pieces: int = 0  # texts the entries were masked and split into (deduplicated)
    cached: int = 0  # of those, answered by the MT cache
    requests: int = 0  # of those, sent to the engine (or to be sent)
    characters: int = 0  # characters sent (or to be sent)
    structure_changed: int = 0  # drafts whose links/code/tags did not come back intact
    skipped: int = 0  # entries that changed meanwhile, plural entries
    catalogs_written: list[str] = field(default_factory=list)


@dataclass
class _Job:
    """One untranslated entry on its way to a draft."""

    ref: CatalogRef
    language: str
    key: tuple[str | None, str]
    masked: Masked
    pieces: list[tuple[str, str]]  # (translator cache key, masked text piece)
    remaining: int = 0


TranslatorFactory = Callable[["EngineOptions", str, str], "Translator"]


def _deep_translator(options: EngineOptions, source: str, target: str) -> Translator:
    from .mt.deep import DeepTranslator

    return DeepTranslator(options, source, target)


def translate(
    project: Project,
    refs: Sequence[CatalogRef],
    options: EngineOptions,
    *,
    limit: int | None = None,
    dry_run: bool = False,
    concurrency: int = 4,
    policy: RetryPolicy | None = None,
    cache: MTCache | None = None,
    progress: Callable[[int, int], None] | None = None,
    factory: TranslatorFactory = _deep_translator,
    flush_every: int = 20,
) -> TranslateResult:
    """Draft every untranslated entry of *refs* with a machine translation engine.

    Only ``untranslated`` entries are touched: each gets the engine's text as
    ``#, fuzzy`` with a ``# locflow-draft: mt ENGINE DATE (srchash)`` comment
    (``; structure-changed`` when a link, code span or tag did not come back).
    What must not be translated is masked first (:mod:`locflow.mt.mask`, with the
    locale's glossary); long texts are split at sentence ends; every answer is
    kept in the MT *cache* (default ``.locflow/mt-cache.sqlite3``), which is
    asked first. Language pairs are checked (:class:`ConfigError`, exit 2) before
    any request.

    Drafts are written as they arrive, every *flush_every* entries per catalog,
    each write locked and atomic, and an entry a human filled in meanwhile is left
    alone. If the engine fails for good or the user presses Ctrl-C, the drafts
    made so far are written and :class:`ServiceError` (exit 3) says so.
    *progress* is called with (entries done, entries to do).
    """
    from .glossary import load as load_glossary_for
    from .mt.cache import MTCache
    from .mt.mask import mask, restore
    from .mt.run import RetryPolicy, translate_all
    from .mt.split import join, split
    from .provenance import Provenance, set_provenance, source_hash
    from .review import today

    source_locale = project.config.source_locale
    translators: dict[str, Translator] = {}
    glossaries: dict[str, Glossary] = {}
    jobs: list[_Job] = []
    skipped = 0
    for ref in refs:
        catalog = pofile.load(ref.path)
        found = ref.locale or catalog.language
        if not found:
            raise CatalogError("no Language header: cannot tell the target language",
                               path=ref.label)
        locale = validate_locale(found)
        if locale not in translators:
            translators[locale] = factory(options, source_locale, locale)
            glossaries[locale] = load_glossary_for(project, locale)
        translator, glossary = translators[locale], glossaries[locale]
        keep, render = glossary.keep(), glossary.render()
        for entry in catalog.active():
            if entry_state(entry) is not ReviewState.UNTRANSLATED or not entry.msgid:
                continue
            if entry.msgid_plural:
                skipped += 1  # plural forms need a human: one engine text per form is wrong
                continue
            if limit is not None and len(jobs) >= limit:
                break
            masked = mask(entry.msgid, keep=keep, render=render, flags=entry.flags)
            pieces = [(translator.cache_key, p)
                      for p in split(masked.text, translator.max_chars, source_locale)]
            jobs.append(_Job(ref, locale.split("_")[0], entry.key, masked, pieces))

    result = TranslateResult(options.provider, entries=len(jobs), skipped=skipped)
    answers: dict[tuple[str, str], str] = {}
    unique = list(dict.fromkeys(piece for job in jobs for piece in job.pieces))
    result.pieces = len(unique)
    own_cache = cache is None
    if cache is None:
        if dry_run and not project.mt_cache_path.exists():
            cache = MTCache(":memory:")
        else:
            cache = MTCache(project.mt_cache_path)
    try:
        by_engine: dict[str, list[str]] = {}
        for engine_key, text in unique:
            by_engine.setdefault(engine_key, []).append(text)
        for engine_key, texts in by_engine.items():
            for text, answer in cache.get_many(engine_key, texts).items():
                answers[(engine_key, text)] = answer
        missing = [piece for piece in unique if piece not in answers]
        result.cached = len(unique) - len(missing)
        result.requests = len(missing)
        result.characters = sum(len(text) for _, text in missing)
        if dry_run:
            return result
        # before any request: a read-only catalog refuses the run, and a killed run's
        # temporaries go
        for path in sorted({job.ref.path for job in jobs}):
            pofile.check_writable(path)
            pofile.remove_stale_temporaries(path.parent, names={path.name})

        translator_of = {t.cache_key: t for t in translators.values()}
        waiting: dict[tuple[str, str], list[_Job]] = {}
        for job in jobs:
            job.remaining = sum(1 for piece in job.pieces if piece not in answers)
            for piece in job.pieces:
                if piece not in answers:
                    waiting.setdefault(piece, []).append(job)
        open_jobs: dict[Path, int] = {}
        for job in jobs:
            open_jobs[job.ref.path] = open_jobs.get(job.ref.path, 0) + 1
        ready: dict[Path, list[tuple[_Job, str, bool]]] = {}
        refs_by_path = {job.ref.path: job.ref for job in jobs}
        date = today()
        done = 0

        def flush(path: Path) -> None:
            drafts = ready.pop(path, [])
            if not drafts:
                return
            written = 0
            with pofile.edit(path) as catalog:
                index = catalog.index()
                for job, text, intact in drafts:
                    entry = index.get(job.key)
                    if (entry is None or entry.obsolete or entry.msgid_plural
                            or entry_state(entry) is not ReviewState.UNTRANSLATED):
                        result.skipped += 1  # a human got there first
                        continue
                    entry.msgstr = text
                    if "fuzzy" not in entry.flags:
                        entry.flags.insert(0, "fuzzy")
                    notes = () if intact else ("structure-changed",)
                    set_provenance(entry, Provenance(
                        "mt", options.provider, date,
                        source_hash(entry.msgctxt, entry.msgid, entry.msgid_plural), notes=notes,
                    ))
                    written += 1
                    result.structure_changed += not intact
            result.drafted += written
            label = refs_by_path[path].label
            if written and label not in result.catalogs_written:
                result.catalogs_written.append(label)
            cache.commit()

        def finished(job: _Job) -> None:
            nonlocal done
            restored = restore(job.masked, join([answers[p] for p in job.pieces], job.language))
            path = job.ref.path
            ready.setdefault(path, []).append((job, restored.text, restored.intact))
            open_jobs[path] -= 1
            done += 1
            if progress is not None:
                progress(done, len(jobs))
            if open_jobs[path] == 0 or len(ready[path]) >= flush_every:
                flush(path)

        for job in jobs:
            if job.remaining == 0:
                finished(job)

        def on_answer(index: int, answer: str) -> None:
            piece = missing[index]
            answers[piece] = answer
            cache.put(piece[0], piece[1], answer)
            for job in waiting.pop(piece, []):
                job.remaining -= 1
                if job.remaining == 0:
                    finished(job)

        try:
            translate_all(
                [(translator_of[key], text) for key, text in missing],
                on_answer,
                concurrency=concurrency,
                policy=policy or RetryPolicy(),
            )
        except (LocflowError, KeyboardInterrupt) as exc:
            for path in list(ready):
                flush(path)
            left = result.entries - result.drafted
            saved = (f"{result.drafted} draft{'s' * (result.drafted != 1)} saved, "
                     f"{left} entr{'ies' if left != 1 else 'y'} left untranslated")
            if isinstance(exc, KeyboardInterrupt):
                raise ServiceError(f"{options.provider}: interrupted; {saved}") from None
            exc.message = f"{exc.message}; {saved}"
            raise
        finally:
            # answers arrive in any order; report catalogs in the order they were asked for
            order = {ref.label: i for i, ref in enumerate(refs)}
            result.catalogs_written.sort(key=order.__getitem__)
        return result
    finally:
        if own_cache:
            cache.close()


# -- git merge driver ----------------------------------------------------------

GITATTRIBUTES_LINES = ("*.po merge=locflow", "*.pot merge=locflow")
MERGE_DRIVER_NAME = "locflow: PO catalogs merged entry by entry, review states kept"


def write_gitattributes(root: Path) -> bool:
    """Add ``*.po merge=locflow`` and ``*.pot merge=locflow`` to *root*'s ``.gitattributes``.

    Lines already there and every other line are kept; returns True if the file changed.
    """
    from .paths import inside

    path = inside(root, ".gitattributes", ".gitattributes")  # a link out: refused
    try:
        text = path.read_text(encoding="utf-8") if path.exists() else ""
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read: {exc}", path=path) from None
    present = {" ".join(line.split()) for line in text.splitlines()}
    missing = [line for line in GITATTRIBUTES_LINES if line not in present]
    if not missing:
        return False
    if text and not text.endswith("\n"):
        text += "\n"
    text += "# PO catalogs merge entry by entry (README: Merging catalogs in git)\n"
    text += "".join(line + "\n" for line in missing)
    pofile.save_atomic(path, text.encode("utf-8"))
    return True


def register_merge_driver(root: Path, command: str) -> str:
    """Set ``merge.locflow.driver`` (and its name) in the git repository around *root*.

    Git reads merge drivers only from its config, never from the repository's files, so
    every clone runs this once. *command* runs locflow (``locflow``, or a Python ``-m
    locflow``). Returns the driver line set.
    """
    import subprocess

    driver = f"{command} merge-driver %O %A %B %P"
    for key, value in (("merge.locflow.name", MERGE_DRIVER_NAME),
                       ("merge.locflow.driver", driver)):
        try:
            done = subprocess.run(["git", "config", key, value], cwd=root, capture_output=True,
                                  text=True, check=False, timeout=30)
        except (OSError, subprocess.SubprocessError) as exc:
            raise InputError(f"cannot run git: {exc}") from None
        if done.returncode != 0:
            raise InputError("cannot set git config (is the project in a git repository?): "
                             + (done.stderr.strip().splitlines() or ["git failed"])[-1][:200],
                             path=root)
    return driver
