"""The translation memory's index: SQLite tables and the fuzzy lookup over them.

This module (with :mod:`.index`, the lookup's prefilter, and :mod:`.writing`, the
writes) is the only home of :mod:`sqlite3`. The store is a cache: every row
comes from a file (a catalog, an imported TMX or PO file) recorded in
``origins`` with its size, mtime and SHA-256, and is replaced when that file
changes. Nothing is ever written back from the store to a file.

Tables::

    origins   one row per file the memory was read from (path, kind, label, stat, hash)
    sources   each distinct source text once (shared by locales and files), found by a
              64-bit hash of it
    units     (source, locale) → target, with level (entry or sentence), approval, line
    tokens    word tokens of the sources with their document frequency
    postings  token → sources containing it (the inverted index)
    generations  per locale, a number raised whenever that locale gains a source text
    misses    (locale, lookup key) → the generation in which the lookup found nothing

Lookup: an exact match is an index lookup on ``sources``. A fuzzy match is
found in two steps, as in any indexed similarity search: a cheap prefilter
picks candidates, then the exact score (rapidfuzz's Indel ratio, the measure
msgmerge uses) ranks them. The prefilter is *prefix filtering* over word tokens:
a text sharing at least half of the query's distinct tokens must contain one of
the rarer half of them, so only the postings of the query's rarest tokens are
read (at most :data:`MAX_PREFIX_TOKENS` tokens and :data:`POSTINGS_BUDGET`
postings: a text 75 % similar shares nearly all words, so missing every one of
the eight rarest is improbable), and candidates are verified in order of how
many of those tokens they share (:mod:`.index`). The benchmark checks the result
against a full scan. Texts in scripts without spaces (Chinese, Japanese) are
tokenized into character bigrams. The texts similar to a query are kept while
the index does not change: a sync looks each new text up once per locale, and
the second lookup reuses the first's.

Writing: a file indexed again is compared with what the index holds of it, and only
the difference is written (:mod:`.writing`); the postings of new sources are staged
and written in the index's order when the transaction ends, so a whole project read
into an empty index (a fresh clone) appends them.
"""

from __future__ import annotations

import contextlib
import functools
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TypeVar, cast

from ..errors import InputError, LocflowError
from .index import (  # noqa: F401  (MIN_SHARE… and tokenize: this module's API too)
    MAX_PREFIX_TOKENS,
    MIN_SHARE,
    POSTINGS_BUDGET,
    VERIFY_LIMIT,
    SimilarCache,
    chunks,
    tokenize,
)
from .writing import Complete, bump, flush_postings, remove_origin, text_hash, write_changes

SCHEMA_VERSION = "3"
Level = Literal["entry", "sentence"]
LEVELS: tuple[Level, ...] = ("entry", "sentence")
OriginKind = Literal["catalog", "import"]

CACHE_KIB = 8 * 1024  # SQLite's page cache (its default is 2 MiB)
# Indel similarity costs O(n·m/64): a fuzzy match of a megabyte-long paragraph against its
# like would take minutes, and no translator wants a draft of one.
MAX_FUZZY_LENGTH = 5_000

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS origins (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    label TEXT NOT NULL,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    sha256 TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS sources (
    id INTEGER PRIMARY KEY,
    hash INTEGER NOT NULL,
    text TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS sources_by_hash ON sources (hash);
CREATE TABLE IF NOT EXISTS units (
    id INTEGER PRIMARY KEY,
    origin INTEGER NOT NULL REFERENCES origins(id) ON DELETE CASCADE,
    source INTEGER NOT NULL REFERENCES sources(id),
    locale TEXT NOT NULL,
    level TEXT NOT NULL,
    target TEXT NOT NULL,
    approved INTEGER NOT NULL,
    context TEXT,
    line INTEGER NOT NULL,
    position TEXT
);
CREATE INDEX IF NOT EXISTS units_by_source ON units (source, locale);
CREATE INDEX IF NOT EXISTS units_by_origin ON units (origin);
CREATE INDEX IF NOT EXISTS units_by_locale ON units (locale);
CREATE TABLE IF NOT EXISTS tokens (
    id INTEGER PRIMARY KEY,
    text TEXT NOT NULL UNIQUE,
    df INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS postings (
    token INTEGER NOT NULL,
    source INTEGER NOT NULL,
    PRIMARY KEY (token, source)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS generations (locale TEXT PRIMARY KEY, n INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS misses (
    locale TEXT NOT NULL,
    key TEXT NOT NULL,
    generation INTEGER NOT NULL,
    PRIMARY KEY (locale, key)
) WITHOUT ROWID;
"""


@dataclass(frozen=True)
class Unit:
    """One memory: a source text and its translation in one locale."""

    source: str
    target: str
    locale: str
    level: Level = "entry"
    approved: bool = False
    context: str | None = None
    line: int = 0  # the entry's line in its file (0 when unknown)
    position: str | None = None  # "2/4": the sentence's place in its paragraph


@dataclass(frozen=True)
class Origin:
    """A file the memory was read from."""

    path: str  # relative to the project root (POSIX), or as given
    kind: OriginKind
    label: str  # the article slug, "site", or the imported file's name
    size: int = 0
    mtime_ns: int = 0
    sha256: str = ""


@dataclass(frozen=True)
class Match:
    """A memory found for a text, with its similarity score (0-100)."""

    score: float
    source: str
    target: str
    locale: str
    level: Level
    approved: bool
    origin: str  # label: article slug, "site" or imported file name
    kind: OriginKind
    path: str
    line: int
    context: str | None = None
    position: str | None = None

    @property
    def exact(self) -> bool:
        return self.score >= 100.0

    def as_dict(self) -> dict[str, object]:
        return {
            "score": round(self.score, 1),
            "source": self.source,
            "target": self.target,
            "locale": self.locale,
            "level": self.level,
            "approved": self.approved,
            "origin": self.origin,
            "kind": self.kind,
            "path": self.path,
            "line": self.line,
            "context": self.context,
            "position": self.position,
        }


@dataclass(frozen=True)
class Stats:
    origins: dict[str, int]  # kind → files
    units: dict[tuple[str, str], int]  # (locale, level) → units
    approved: dict[str, int]  # locale → approved entry units
    sources: int


F = TypeVar("F", bound=Callable[..., Any])


def _reported(method: F) -> F:
    """SQLite errors (a busy or full disk, a damaged file) become one clear LocflowError."""

    @functools.wraps(method)
    def wrapper(self: MemoryStore, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except sqlite3.Error as exc:
            raise LocflowError(
                f"translation memory: {exc} (it is a cache: delete it to rebuild it)",
                path=self.path,
            ) from None

    return cast(F, wrapper)


def _rank(match: Match) -> tuple[float, int, int, int, str, int]:
    """Best first: score, approved, whole entries, project catalogs, then a stable order."""
    return (
        -match.score,
        -int(match.approved),
        LEVELS.index(match.level),
        0 if match.kind == "catalog" else 1,
        match.path,
        match.line,
    )


class MemoryStore:
    """The SQLite index. *path* is a file, or ``":memory:"`` for a throwaway store."""

    _cache: SimilarCache | None = None  # made on first use
    _staged = False  # postings wait in temp.staged_postings (until the transaction ends)

    def __init__(self, path: str | Path = ":memory:") -> None:
        self.path = str(path)
        try:
            self._db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            self._db.execute("PRAGMA foreign_keys = ON")
            if self.path != ":memory:":
                # a cache: a power cut may lose the last refresh (redone next time) but
                # never corrupts the file; readers never wait for a refresh
                self._db.execute("PRAGMA journal_mode = WAL")
                self._db.execute("PRAGMA synchronous = NORMAL")
            # the sources' hash index and the tokens' counts are written all over: a page
            # cache of CACHE_KIB keeps their pages from being read and spilled again and
            # again (the postings are staged and written in order)
            self._db.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
            version = self._version()
            if version not in (None, SCHEMA_VERSION):
                self._reset()
            self._db.executescript(_SCHEMA)
            self._db.execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES ('schema', ?)", (SCHEMA_VERSION,)
            )
        except sqlite3.DatabaseError as exc:
            raise InputError(
                f"cannot open the translation memory: {exc} (delete it; it is rebuilt)",
                path=self.path,
            ) from None

    def _version(self) -> str | None:
        row = self._db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'meta'"
        ).fetchone()
        if row is None:
            return None
        found = self._db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
        return str(found[0]) if found else None

    def _reset(self) -> None:
        for (name,) in self._db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'"
        ).fetchall():
            self._db.execute(f'DROP TABLE IF EXISTS "{name}"')

    def close(self) -> None:
        self._db.close()

    def _similar_cache(self) -> SimilarCache:
        if self._cache is None:
            self._cache = SimilarCache()
        return self._cache

    @contextlib.contextmanager
    def batch(self) -> Iterator[None]:
        """One transaction around several :meth:`replace`/:meth:`remove` calls (a refresh)."""
        if self._db.in_transaction:
            yield
            return
        self._begin()
        try:
            yield
            self._flush()
        except BaseException:
            self._db.execute("ROLLBACK")
            self._staged = False
            raise
        self._db.execute("COMMIT")

    def _flush(self) -> None:
        """Move the postings staged in this transaction into the index, in its order."""
        if self._staged:
            flush_postings(self._db)
            self._staged = False

    @_reported
    def _begin(self) -> None:
        self._db.execute("BEGIN IMMEDIATE")

    def __enter__(self) -> MemoryStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- writing -------------------------------------------------------------

    @_reported
    def origins(self) -> dict[str, Origin]:
        """Every recorded file by path."""
        rows = self._db.execute(
            "SELECT path, kind, label, size, mtime_ns, sha256 FROM origins"
        ).fetchall()
        return {row[0]: Origin(*row) for row in rows}

    @_reported
    def touch(self, origin: Origin) -> None:
        """Record new stat values of a file whose content (hash) did not change."""
        self._db.execute(
            "UPDATE origins SET size = ?, mtime_ns = ? WHERE path = ?",
            (origin.size, origin.mtime_ns, origin.path),
        )

    def replace(self, origin: Origin, units: Iterable[Unit]) -> int:
        """Replace everything read from *origin*'s file by *units*; return how many."""
        return self.replace_many([(origin, list(units))])

    @_reported
    def replace_many(self, files: Sequence[tuple[Origin, Sequence[Unit]]],
                     complete: Complete | None = None) -> int:
        """:meth:`replace` for several files at once (fewer index updates); return the units.

        What the index already holds of a file is kept where it is unchanged (see
        :mod:`.writing`). With *complete*, each file's units are
        ``complete(units, the sentence alignments the index holds of it)``: the
        sentences of entries given alone, aligned again only where need be."""
        self._similar_cache().changed()
        with self.batch():
            count, staged = write_changes(self._db, files, complete, flush=self._flush)
            self._staged = self._staged or staged
            return count

    @_reported
    def remove(self, path: str) -> None:
        """Forget everything read from the file at *path*."""
        self._similar_cache().changed()
        with self.batch():
            self._flush()
            remove_origin(self._db, path)

    @_reported
    def clear(self) -> None:
        """Forget everything (``memory rebuild``)."""
        self._similar_cache().changed()
        with self.batch():
            bump(self._db, {row[0] for row in self._db.execute("SELECT locale FROM generations")})
            self._flush()
            for table in ("units", "origins", "postings", "tokens", "sources"):
                self._db.execute(f"DELETE FROM {table}")

    # -- reading -------------------------------------------------------------

    @_reported
    def exact(
        self, text: str, locale: str, levels: Sequence[Level] = LEVELS
    ) -> list[Match]:
        """Memories whose source is *text* exactly, best first."""
        row = self._db.execute("SELECT id FROM sources WHERE hash = ? AND text = ?",
                               (text_hash(text), text)).fetchone()
        if row is None:
            return []
        return sorted(self._matches({row[0]: 100.0}, {row[0]: text}, locale, levels), key=_rank)

    @_reported
    def search(
        self,
        text: str,
        locale: str,
        *,
        min_score: float = 75.0,
        limit: int = 10,
        levels: Sequence[Level] = LEVELS,
    ) -> list[Match]:
        """The memories most similar to *text* in *locale* scoring at least *min_score*.

        Texts longer than :data:`MAX_FUZZY_LENGTH` are matched exactly only (their
        sentences can still be looked up one by one).
        """
        exact = self.exact(text, locale, levels)
        if len(text) > MAX_FUZZY_LENGTH or len(exact) >= limit:
            # (a similar text scores below 100: it would rank after every exact match)
            return exact[:limit]
        self._flush()  # (within a transaction that indexed texts: they are found too)
        scores, texts = self._similar_cache().similar(self._db, text, min_score)
        matches = exact + self._matches(scores, texts, locale, levels)
        return sorted(matches, key=_rank)[:limit]

    def best(
        self, text: str, locale: str, *, min_score: float, levels: Sequence[Level] = LEVELS
    ) -> Match | None:
        """The best memory for *text*, if one scores at least *min_score*."""
        found = self.search(text, locale, min_score=min_score, limit=1, levels=levels)
        return found[0] if found else None

    def _matches(
        self,
        scores: dict[int, float],
        texts: dict[int, str],
        locale: str,
        levels: Sequence[Level],
    ) -> list[Match]:
        if not scores:
            return []
        out: list[Match] = []
        ids = sorted(scores)
        for chunk in chunks(ids, 500):
            marks = ",".join("?" * len(chunk))
            level_marks = ",".join("?" * len(levels))
            rows = self._db.execute(
                "SELECT u.source, u.target, u.locale, u.level, u.approved, o.label, o.kind, "
                "o.path, u.line, u.context, u.position FROM units u "
                "JOIN origins o ON o.id = u.origin "
                f"WHERE u.source IN ({marks}) AND u.locale = ? AND u.level IN ({level_marks})",
                (*chunk, locale, *levels),
            ).fetchall()
            for row in rows:
                out.append(
                    Match(
                        score=scores[row[0]],
                        source=texts[row[0]],
                        target=row[1],
                        locale=row[2],
                        level=row[3],
                        approved=bool(row[4]),
                        origin=row[5],
                        kind=row[6],
                        path=row[7],
                        line=row[8],
                        context=row[9],
                        position=row[10],
                    )
                )
        return out

    @_reported
    def has_locale(self, locale: str) -> bool:
        """Whether the memory holds anything in *locale* (else there is nothing to look up)."""
        found = self._db.execute("SELECT 1 FROM units WHERE locale = ? LIMIT 1", (locale,))
        return found.fetchone() is not None

    @_reported
    def generation(self, locale: str) -> int:
        """A number that changes whenever the memories of *locale* change."""
        row = self._db.execute("SELECT n FROM generations WHERE locale = ?",
                               (locale,)).fetchone()
        return int(row[0]) if row else 0

    @_reported
    def known_misses(self, locale: str, keys: Iterable[str]) -> set[str]:
        """Those of *keys* recorded by :meth:`remember_misses` in the current generation of
        *locale*: looking them up again would find nothing, as no memory of *locale* was
        added, changed or removed since."""
        generation = self.generation(locale)
        found: set[str] = set()
        for chunk in chunks(sorted(set(keys)), 500):
            marks = ",".join("?" * len(chunk))
            found.update(r[0] for r in self._db.execute(
                f"SELECT key FROM misses WHERE locale = ? AND generation = ? AND key IN ({marks})",
                (locale, generation, *chunk)))
        return found

    @_reported
    def remember_misses(self, locale: str, keys: Iterable[str], generation: int) -> None:
        """Record that looking up *keys* in *generation* of *locale* found nothing (not if
        the memory has changed since)."""
        rows = [(locale, key, generation) for key in sorted(set(keys))]
        if not rows:
            return
        with self.batch():
            if self.generation(locale) == generation:
                self._db.executemany(
                    "INSERT OR REPLACE INTO misses (locale, key, generation) VALUES (?, ?, ?)",
                    rows)

    @_reported
    def stats(self) -> Stats:
        db = self._db
        origins = dict(db.execute("SELECT kind, count(*) FROM origins GROUP BY kind").fetchall())
        units = {
            (r[0], r[1]): r[2]
            for r in db.execute(
                "SELECT locale, level, count(*) FROM units GROUP BY locale, level"
            ).fetchall()
        }
        approved = dict(
            db.execute(
                "SELECT locale, count(*) FROM units WHERE approved AND level = 'entry' "
                "GROUP BY locale"
            ).fetchall()
        )
        (sources,) = db.execute("SELECT count(*) FROM sources").fetchone()
        return Stats(origins, units, approved, sources)
