"""The memory of a project: which files it is read from, its index under ``.locflow/``.

The memory is every translated and approved entry of the project's catalogs,
plus the TMX and PO files in ``memory/`` (``locflow memory import`` copies files
there, so they are committed with the project and the index can always be
rebuilt). The index, ``.locflow/memory.sqlite3``, is a cache: before each use
every file is compared with what the index recorded (path, size, mtime and
SHA-256 of its bytes) and only changed files are read again. The files are the
truth; the index is never trusted over them and can be deleted at any time.

Files in ``memory/`` are read for the project's target locales: a file in
``memory/<locale>/`` for that locale only; a file directly in ``memory/`` for
the languages it declares (a PO file's ``Language`` header, a TMX file's
``xml:lang`` attributes).
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import itertools
import os
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import InputError
from ..filecache import make_state_dir, settled_mtime
from ..locales import matching_locale
from ..parallel import map_ordered
from ..paths import plain_relative
from .formats import (
    catalog_pairs,
    entry_units,
    po_language,
    po_pairs,
    read_tmx,
    tmx_pairs,
    units_of,
    with_sentences,
)
from .store import Match, MemoryStore, Origin, OriginKind, Stats, Unit
from .writing import Aligned

if TYPE_CHECKING:
    from ..catalog.pofile import Catalog
    from ..config import Project

DB_NAME = "memory.sqlite3"
SITE = "site"
IMPORT_SUFFIXES = (".tmx", ".po")
REFRESH_BATCH = 200  # files indexed together: fewer index updates, bounded memory
PARALLEL_READS = 64  # files never indexed from which a parallel refresh reads on every core


@dataclass(frozen=True)
class MemoryFile:
    """A file the memory is read from."""

    path: Path
    kind: OriginKind
    label: str  # article slug, "site", or the file's name
    locale: str | None  # fixed by the file's folder, or None: from the file itself


@dataclass
class RefreshResult:
    read: list[str] = field(default_factory=list)  # files (re)indexed
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)  # files gone since the last refresh
    unreadable: list[str] = field(default_factory=list)  # "path:line: why", left out


def _inside(project: Project, path: Path) -> bool:
    if plain_relative(project.root, path) is not None:
        return True  # below the root with no link on the way: the common case, quickly
    try:
        return path.resolve().is_relative_to(project.root)
    except OSError:
        return False


def memory_files(project: Project) -> list[MemoryFile]:
    """The catalogs and imported files the memory is made of, in a stable order."""
    files: list[MemoryFile] = []
    targets = project.config.target_locales
    for locale in targets:
        folder = project.locales_dir / locale / "articles"
        if folder.is_dir():
            files += [
                MemoryFile(p, "catalog", p.stem, locale) for p in sorted(folder.glob("*.po"))
            ]
        site = project.site_catalog(locale)
        if site.is_file():
            files.append(MemoryFile(site, "catalog", SITE, locale))
    imports = project.memory_dir
    if imports.is_dir():
        for path in sorted(imports.iterdir()):
            if path.suffix.lower() in IMPORT_SUFFIXES and path.is_file():
                files.append(MemoryFile(path, "import", path.name, None))
            elif path.is_dir() and path.name in targets:
                files += [
                    MemoryFile(p, "import", p.name, path.name)
                    for p in sorted(path.iterdir())
                    if p.suffix.lower() in IMPORT_SUFFIXES and p.is_file()
                ]
    # a symlink out of the project is not read: the repository is not trusted
    return [f for f in files if _inside(project, f.path)]


def catalog_files(project: Project) -> Callable[[Path], MemoryFile | None]:
    """A function telling which of the project catalogs :func:`memory_files` lists a path
    is (whether it exists yet or not); None for a path that is none of them."""
    targets = project.config.target_locales
    folders = {project.locales_dir / locale / "articles": locale for locale in targets}
    sites = {project.site_catalog(locale): locale for locale in targets}

    def find(path: Path) -> MemoryFile | None:
        locale = folders.get(path.parent)
        if locale is not None and path.suffix == ".po":  # (as "*.po" globs it)
            found = MemoryFile(path, "catalog", path.stem, locale)
        elif path in sites:
            found = MemoryFile(path, "catalog", SITE, sites[path])
        else:
            return None
        return found if _inside(project, path) else None

    return find


def read_units(project: Project, file: MemoryFile, data: bytes) -> list[Unit]:
    """The memory units in *data*, the bytes of *file*."""
    source_locale = project.config.source_locale
    targets = project.config.target_locales
    label = project.relative(file.path)
    if file.path.suffix.lower() == ".tmx":
        tmx = read_tmx(data, label)
        tags = {tag for unit in tmx for tag in unit.segments}
        source_tags = sorted(t for t in tags if matching_locale(t, [source_locale]))
        wanted = [file.locale] if file.locale else list(targets)
        target_tags: dict[str, str] = {}
        for tag in sorted(tags):
            locale = matching_locale(tag, wanted)
            if locale is not None and tag not in source_tags:
                target_tags[tag] = locale
        pairs = tmx_pairs(tmx, source_tags, target_tags)
    else:
        locale = file.locale
        if locale is None:
            language = po_language(data, label)
            if not language:
                raise InputError(
                    "no Language header: put it in memory/<locale>/ "
                    "(locflow memory import FILE --locale L)",
                    path=label,
                )
            locale = matching_locale(language, targets)
            if locale is None:
                return []
        pairs = po_pairs(data, label, locale)
    return units_of(pairs, source_locale, sentences_of_all=file.kind == "import")


def catalog_units(project: Project, catalog: Catalog, locale: str,
                  lines: dict[int, int]) -> list[Unit]:
    """The entry units of a project catalog about to be written, for :func:`index_written`
    (which adds their sentences): *lines* gives each entry's line in the bytes written."""
    return entry_units(catalog_pairs(catalog, locale, lines))


def index_written(project: Project, written: Iterable[tuple[Path, str, list[Unit]]], *,
                  settled: bool = True) -> None:
    """Record in the memory's index the project catalogs a command writes (path, SHA-256
    of the bytes written, units worked out from the catalog in memory): the next refresh
    only hashes them instead of parsing them again. ``settled=False`` while they may not
    be written yet: no mtime is trusted, so the next refresh hashes each. Nothing happens
    when the project has no index yet (it is made on first use). *written* is read as it
    goes, a batch of files at a time.

    Of the units, the entries are taken (:func:`catalog_units`): their sentences are
    added here, aligned again only for the entries whose alignment the index does not
    hold already (a sync changes a few entries of each catalog it writes)."""
    path = database_path(project)
    if not path.is_file():
        return
    from ..catalog.pofile import locked

    catalog_file = catalog_files(project)
    source_locale = project.config.source_locale

    def origins() -> Iterator[tuple[Origin, list[Unit]]]:
        for file, digest, units in written:
            found = catalog_file(file)
            if found is None:
                continue  # not part of the memory (a link out of the project, say)
            try:
                stat = file.stat()
            except FileNotFoundError:
                if settled:
                    continue
                stat = os.stat_result((0,) * 10)  # (not written yet: a new catalog)
            except OSError:
                continue
            yield (Origin(project.relative(file), "catalog", found.label, stat.st_size,
                          settled_mtime(stat) if settled else 0, digest),
                   [unit for unit in units if unit.level == "entry"])

    def complete(entries: Sequence[Unit], known: Aligned) -> list[Unit]:
        return with_sentences(entries, source_locale, sentences_of_all=False, known=known)

    pending = origins()
    batch = list(itertools.islice(pending, REFRESH_BATCH))
    if not batch:
        return
    with MemoryStore(path) as store, locked(path), store.batch():
        while batch:
            store.replace_many(batch, complete)
            batch = list(itertools.islice(pending, REFRESH_BATCH))


# an untranslated singular entry: `msgstr ""` with no continuation line (the header's has)
_UNTRANSLATED = re.compile(rb'^msgstr ""[ \t]*\r?(?:\n(?!")|\Z)', re.MULTILINE)


def likely_needed(project: Project) -> bool:
    """Whether a sync that merges articles will likely look texts up in the memory: its
    index exists already (a working copy), or a catalog has an untranslated entry (read
    as bytes, not parsed). A project with neither, a fully translated one, may never open
    it (a sync opens it when an entry needs it)."""
    if project.cache_file(DB_NAME, "translation memory index").is_file():
        return True
    for file in memory_files(project):
        if file.kind == "catalog":
            with contextlib.suppress(OSError):
                if _UNTRANSLATED.search(file.path.read_bytes()):
                    return True
    return False


def database_path(project: Project) -> Path:
    """``.locflow/memory.sqlite3``, its folder created: checked as every cache file is
    (:meth:`~locflow.config.Project.cache_file`: no link, not even to stay inside)."""
    path = project.cache_file(DB_NAME, "translation memory index")
    folder = path.parent
    if folder.exists() and not folder.is_dir():
        raise InputError("must be a directory, not a file", path=project.relative(folder))
    make_state_dir(folder)
    return path


def open_memory(
    project: Project, *, refresh: bool = True, warn: Callable[[str], None] | None = None,
    parallel: bool = False,
) -> MemoryStore:
    """The project's memory index, brought up to date with its files unless told not to
    (*parallel*: see :func:`refresh_memory`).

    A file that cannot be read is left out of the memory and reported to *warn*
    (one line naming it), so one broken catalog does not stop work on the others.
    """
    path = database_path(project)
    try:
        store = MemoryStore(path)
    except InputError:
        # a cache that cannot be read is rebuilt, not reported: the files are the truth
        for stale in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            stale.unlink(missing_ok=True)
        store = MemoryStore(path)
    if refresh:
        from ..catalog.pofile import locked

        # one refresh at a time (a pool's workers, the desk and a sync): the next one
        # finds the index up to date and only compares stats
        with locked(path):
            result = refresh_memory(project, store, parallel=parallel)
        for problem in result.unreadable:
            if warn is not None:
                warn(f"left out of the translation memory: {problem}")
    return store


def refresh_memory(project: Project, store: MemoryStore, *, parallel: bool = False
                   ) -> RefreshResult:
    """Re-read the files that changed since the index last saw them; forget removed ones.

    With *parallel*, many files to read are read (parsed, their sentences aligned) on
    every core while this process writes the index (not from a pool's worker)."""
    with store.batch():
        return _refresh(project, store, parallel)


@dataclass(frozen=True)
class _Read:
    """A file to read for the memory, as stat saw it before it is read."""

    file: MemoryFile
    key: str  # its path, relative to the project
    origin: Origin  # with the stat values (the hash still to come)
    recorded: Origin | None


def _refresh(project: Project, store: MemoryStore, parallel: bool = False) -> RefreshResult:
    result = RefreshResult()
    recorded = store.origins()
    seen: set[str] = set()
    todo: list[_Read] = []
    for file in memory_files(project):
        key = project.relative(file.path)
        seen.add(key)
        old = recorded.get(key)
        try:
            stat = file.path.stat()
        except OSError as exc:
            raise InputError(f"cannot read: {exc.strerror or exc}", path=key) from None
        if (old is not None and old.mtime_ns
                and (old.kind, old.label) == (file.kind, file.label)
                and (old.size, old.mtime_ns) == (stat.st_size, stat.st_mtime_ns)):
            # same size and settled mtime as when indexed: not re-read (like git's index)
            result.unchanged += 1
            continue
        todo.append(_Read(file, key, Origin(key, file.kind, file.label, stat.st_size,
                                            settled_mtime(stat)), old))
    tasks = [(project, read) for read in todo]
    # a pool for files never indexed (a fresh clone: each parsed, its sentences aligned);
    # a file the index knows is mostly hashed only (written by a sync since, the same)
    unknown = sum(read.recorded is None for read in todo)
    reads = (map_ordered(_read_file, tasks, min_items=1) if parallel and unknown >= PARALLEL_READS
             else map(_read_file, tasks))
    pending: list[tuple[Origin, list[Unit]]] = []
    for read, (origin, rows, problem) in zip(todo, reads, strict=True):
        old = read.recorded
        units = None if rows is None else [Unit(*row) for row in rows]
        if problem is not None:
            # the memory holds nothing of a file it cannot read (not even an old version)
            result.unreadable.append(problem)
            if old is not None:
                store.remove(read.key)
        elif units is None:
            if old is not None and (old.size, old.mtime_ns) != (origin.size, origin.mtime_ns):
                store.touch(origin)
            result.unchanged += 1
        else:
            pending.append((origin, units))
            result.read.append(read.key)
            if len(pending) >= REFRESH_BATCH:
                store.replace_many(pending)
                pending = []
    store.replace_many(pending)
    for key in sorted(set(recorded) - seen):
        store.remove(key)
        result.removed.append(key)
    return result


def _read_file(task: tuple[Project, _Read]
               ) -> tuple[Origin, list[tuple[Any, ...]] | None, str | None]:
    """One file of the memory read (a pool task): its origin with its hash, and its units
    as tuples, quicker to send (None: its content is what the index recorded), or why it
    cannot be read."""
    project, read = task
    file, key, old = read.file, read.key, read.recorded
    try:
        data = file.path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", path=key) from None
    digest = hashlib.sha256(data).hexdigest()
    origin = dataclasses.replace(read.origin, sha256=digest)
    if old is not None and (old.sha256, old.kind, old.label) == (digest, file.kind, file.label):
        return origin, None, None
    try:
        return origin, [(u.source, u.target, u.locale, u.level, u.approved, u.context, u.line,
                         u.position) for u in read_units(project, file, data)], None
    except InputError as exc:
        return origin, None, str(exc)


def search_memory(
    project: Project,
    text: str,
    locales: Sequence[str] = (),
    *,
    min_score: float = 50.0,
    limit: int = 5,
    warn: Callable[[str], None] | None = None,
) -> list[Match]:
    """The best memories for *text* in each of *locales* (default: every target locale)."""
    targets = project.config.target_locales
    for locale in locales:
        if locale not in targets:
            raise InputError(
                f"{locale!r} is not a target locale of the project ({', '.join(targets)})"
            )
    with open_memory(project, warn=warn) as store:
        return [
            match
            for locale in (locales or targets)
            for match in store.search(text, locale, min_score=min_score, limit=limit)
        ]


def memory_stats(project: Project, warn: Callable[[str], None] | None = None) -> Stats:
    """What the memory holds, brought up to date first."""
    with open_memory(project, warn=warn, parallel=True) as store:
        return store.stats()


def rebuild_memory(project: Project) -> RefreshResult:
    """Throw the index away and read every file again."""
    with open_memory(project, refresh=False) as store, store.batch():
        store.clear()
        return _refresh(project, store, parallel=True)


@dataclass(frozen=True)
class ImportResult:
    path: Path  # where the file now lives in the project
    copied: bool  # False when the same bytes were already there
    units: dict[str, int]  # locale → entry units
    replaced: bool = False  # an earlier import of the same name had other content


def import_memory(project: Project, given: Path, locale: str | None = None,
                  warn: Callable[[str], None] | None = None) -> ImportResult:
    """Copy a TMX or PO file into ``memory/`` (``memory/<locale>/`` with *locale*) and index it.

    The file is read and checked first: a file that is not valid TMX/PO, or that
    holds no translation into a project locale, is refused and nothing is copied.
    Another file of the memory that cannot be read is left out and reported to *warn*.
    """
    from ..catalog.pofile import save_atomic

    suffix = given.suffix.lower()
    if suffix not in IMPORT_SUFFIXES:
        raise InputError("can import .tmx and .po files only", path=given)
    targets = project.config.target_locales
    if locale is not None and locale not in targets:
        raise InputError(
            f"{locale!r} is not a target locale of the project ({', '.join(targets)})"
        )
    try:
        data = given.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", path=given) from None
    folder = project.memory_dir / locale if locale else project.memory_dir
    name = given.name
    if name.startswith(".") or "/" in name or "\\" in name:
        raise InputError("a memory file needs a plain file name", path=given)
    target = folder / name
    file = MemoryFile(target, "import", name, locale)
    units = read_units(project, file, data)
    counts = Counter(u.locale for u in units if u.level == "entry")
    if not counts:
        wanted = locale or ", ".join(project.config.target_locales)
        raise InputError(f"no translations from {project.config.source_locale} into {wanted}",
                         path=given)
    folder.mkdir(parents=True, exist_ok=True)
    if not _inside(project, folder) or (target.exists() and not _inside(project, target)):
        raise InputError("resolves outside the project", path=target)
    existed = target.exists()
    copied = save_atomic(target, data)
    with open_memory(project, warn=warn):
        pass
    return ImportResult(target, copied, dict(sorted(counts.items())), existed and copied)
