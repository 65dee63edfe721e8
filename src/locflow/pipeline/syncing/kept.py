"""What the last sync left, kept in ``.locflow/sync-cache.json``: an article whose files
are as that sync left them is not read, segmented or merged again.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ...catalog import pofile
from ...config import CONFIG_FILE, Project
from ...errors import (
    InputError,
    LocflowError,
)
from ...filecache import FileCache, Stamp, stamp
from .memory import RunMemory
from .records import KeptArticle, PlannedArticle

# An article whose source, template and catalogs are as the last sync left them (and,
# with the memory pre-filling, whose untranslated entries the memory cannot fill since:
# no locale gained a text) is not read, segmented or merged again: a sync of a large
# project after a small edit, or of an unchanged one, only compares file stats.

_MEMORY_KEY = "\0memory"  # no article path: the memory generations the last sync saw
_MEMORY_FILES_KEY = "\0memory files"  # the files the memory was made of then
_SITE_KEY = "\0site"  # the interface strings' template and catalogs


def site_templates(project: Project) -> dict[Path, Stamp | None]:
    """The stamps of the HTML templates the interface strings come from."""
    from ...publish.interface import effective_templates

    return {path: stamp(path) for path in effective_templates(project).values()}


def kept_site(project: Project, cache: FileCache, prefill: bool) -> KeptArticle | None:
    """The site's catalogs as the last sync left them, if its templates and catalogs are
    unchanged (and, with entries left for the memory, so are the memory's files)."""
    from ...publish.interface import effective_templates

    files = [*effective_templates(project).values(), project.site_template,
             *(project.site_catalog(locale) for locale in project.config.target_locales)]
    kept = KeptArticle.from_json(cache.get(_SITE_KEY, files))
    if (kept is not None and prefill and any(u for _, _, u in kept.catalogs)
            and cache.get(_MEMORY_FILES_KEY, memory_inputs(project)) is None):
        return None
    return kept


def memory_inputs(project: Project) -> list[Path]:
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

@dataclass
class Source:
    path: Path
    slug: str
    stamp: Stamp | None = None  # of the file as it was read (to be synced)
    kept: KeptArticle | None = None  # not read: as the last sync left it
    catalogs: dict[str, Path] | None = None  # of a kept article: its catalog by locale


@dataclass
class Sources:
    chosen: list[Source]  # the articles to sync (--article), in the order of content/
    slugs: set[str]  # every article's


def sync_settings(project: Project, prefill: bool) -> str:
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


def read_sources(project: Project, cache: FileCache | None, wanted: set[str]) -> Sources:
    """Every article of content/: as the last sync left it (not read), or read."""
    from ...content import duplicate_slug, find_article_files

    sources: list[Source] = []
    seen: dict[str, Path] = {}
    for path in find_article_files(project.content_dir):
        found = _kept(project, cache, path) if cache is not None else None
        if found is not None:
            kept, catalogs = found
            source = Source(path, kept.slug, kept=kept, catalogs=catalogs)
        else:
            source = Source(path, "")
            _read_source(project, source)
        if source.slug in seen:
            raise duplicate_slug(source.slug, path, seen[source.slug])
        seen[source.slug] = path
        sources.append(source)
    unknown = wanted - seen.keys()
    if unknown:
        raise InputError(f"no article with slug {sorted(unknown)[0]!r} in {project.content_dir}")
    return Sources([s for s in sources if not wanted or s.slug in wanted], set(seen))


def _kept(project: Project, cache: FileCache, path: Path
          ) -> tuple[KeptArticle, dict[str, Path]] | None:
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
    kept = KeptArticle.from_json(cache.get(project.relative(path), files))
    if kept is None:
        return None
    return kept, dict(zip(project.config.target_locales, files[2:], strict=True))


def forget_if_memory_grew(project: Project, cache: FileCache, sources: Sources,
                           warnings: list[str], run: str) -> None:
    """Kept articles with untranslated entries are synced again if the memory gained a
    text in their locale since (it may fill them now)."""
    waiting = [s for s in sources.chosen
               if s.kept is not None and any(u for _, _, u in s.kept.catalogs)]
    if not waiting or cache.get(_MEMORY_FILES_KEY, memory_inputs(project)) is not None:
        return  # (no file the memory is made of changed since the last sync: nor has it)
    lookup = RunMemory.of_run(project, run)  # brought up to date: the workers will not again
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


def _read_source(project: Project, source: Source) -> None:
    """Read the article of *source*, stamped as it was read (stat first, then the bytes
    the article's hash is of: a change in between is a miss next time, never a hit)."""
    from ...content import read_article

    try:
        info = source.path.stat()
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", path=source.path) from None
    article = read_article(source.path, project.config.fields)
    source.slug, source.kept, source.catalogs = article.slug, None, None
    source.stamp = (info.st_size, info.st_mtime_ns, article.source_hash)

def keep_synced(project: Project, cache: FileCache, sources: Sources,
                 planned: Sequence[PlannedArticle], redone: set[Path],
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
        cache.put(_MEMORY_FILES_KEY, {file: stamp(file) for file in memory_inputs(project)},
                  True)
    cache.save()
