"""The translation memory's index: SQLite tables and the fuzzy lookup over them.

This module is the only home of :mod:`sqlite3`. The store is a cache: every row
comes from a file (a catalog, an imported TMX or PO file) recorded in
``origins`` with its size, mtime and SHA-256, and is replaced when that file
changes. Nothing is ever written back from the store to a file.

Tables::

    origins   one row per file the memory was read from (path, kind, label, stat, hash)
    sources   each distinct source text once (shared by locales and files)
    units     (source, locale) → target, with level (entry or sentence), approval, line
    tokens    word tokens of the sources with their document frequency
    postings  token → sources containing it (the inverted index)
    generations  per locale, a number raised whenever that locale gains a source text
    misses    (locale, lookup key) → the generation in which the lookup found nothing

Lookup: an exact match is an index lookup on ``sources.text``. A fuzzy match is
found in two steps, as in any indexed similarity search: a cheap prefilter
picks candidates, then the exact score (rapidfuzz's Indel ratio, the measure
msgmerge uses) ranks them. The prefilter is *prefix filtering* over word tokens:
a text sharing at least half of the query's distinct tokens must contain one of
the rarer half of them, so only the postings of the query's rarest tokens are
read (at most :data:`MAX_PREFIX_TOKENS` tokens and :data:`POSTINGS_BUDGET`
postings: a text 75 % similar shares nearly all words, so missing every one of
the eight rarest is improbable), and candidates are verified in order of how
many of those tokens they share. The benchmark checks the result against a full
scan. Texts in scripts without spaces
(Chinese, Japanese) are tokenized into character bigrams.
"""

from __future__ import annotations

import contextlib
import functools
import math
import re
import sqlite3
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence, Set
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TypeVar, cast

from ..errors import InputError, LocflowError

SCHEMA_VERSION = "2"
Level = Literal["entry", "sentence"]
LEVELS: tuple[Level, ...] = ("entry", "sentence")
OriginKind = Literal["catalog", "import"]

# Prefilter tuning (benchmarks/bench_memory.py): a candidate must share MIN_SHARE of the
# query's distinct tokens; per query at most MAX_PREFIX_TOKENS tokens and POSTINGS_BUDGET
# postings are read, and VERIFY_LIMIT candidates scored.
MIN_SHARE = 0.5
POSTINGS_BUDGET = 3_000
VERIFY_LIMIT = 100
MAX_PREFIX_TOKENS = 8
# Indel similarity costs O(n·m/64): a fuzzy match of a megabyte-long paragraph against its
# like would take minutes, and no translator wants a draft of one.
MAX_FUZZY_LENGTH = 5_000

_WORD = re.compile(r"\w+")
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
    text TEXT NOT NULL UNIQUE
);
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


_CJK = re.compile("[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]+")


def tokenize(text: str) -> set[str]:
    """The distinct index tokens of *text*: lower-cased words; CJK runs as character bigrams.

    >>> sorted(tokenize("The council, the vote"))
    ['council', 'the', 'vote']
    >>> sorted(tokenize("北京表示 Kim"))
    ['kim', '京表', '北京', '表示']
    """
    lowered = text.lower()
    if not _CJK.search(lowered):
        return set(_WORD.findall(lowered))
    out: set[str] = set()
    for run in _CJK.findall(lowered):
        out.update(run[i : i + 2] for i in range(max(len(run) - 1, 1)))
    out.update(_WORD.findall(_CJK.sub(" ", lowered)))
    return out


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

    @contextlib.contextmanager
    def batch(self) -> Iterator[None]:
        """One transaction around several :meth:`replace`/:meth:`remove` calls (a refresh)."""
        if self._db.in_transaction:
            yield
            return
        self._begin()
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

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
    def replace_many(self, files: Sequence[tuple[Origin, Sequence[Unit]]]) -> int:
        """:meth:`replace` for several files at once (fewer index updates); return the units."""
        db = self._db
        with self.batch():
            # sources read again are kept (not unindexed and indexed again)
            texts = {u.source for _, units in files for u in units}
            wanted = {(u.source, u.locale, u.level) for _, units in files for u in units}
            present = self._present(texts)
            self._bump({locale for _, locale, _ in wanted - present})
            for origin, _ in files:
                self._remove(origin.path, keep=texts)
            source_ids = self._source_ids(texts)
            rows = []
            for origin, units in files:
                cursor = db.execute(
                    "INSERT INTO origins (path, kind, label, size, mtime_ns, sha256) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    (
                        origin.path,
                        origin.kind,
                        origin.label,
                        origin.size,
                        origin.mtime_ns,
                        origin.sha256,
                    ),
                )
                rows += [
                    (
                        cursor.lastrowid,
                        source_ids[unit.source],
                        unit.locale,
                        unit.level,
                        unit.target,
                        int(unit.approved),
                        unit.context,
                        unit.line,
                        unit.position,
                    )
                    for unit in units
                ]
            db.executemany(
                "INSERT INTO units (origin, source, locale, level, target, approved, context, "
                "line, position) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                rows,
            )
        return len(rows)

    @_reported
    def remove(self, path: str) -> None:
        """Forget everything read from the file at *path*."""
        with self.batch():
            self._remove(path)

    @_reported
    def clear(self) -> None:
        """Forget everything (``memory rebuild``)."""
        with self.batch():
            self._bump({row[0] for row in self._db.execute("SELECT locale FROM generations")})
            for table in ("units", "origins", "postings", "tokens", "sources"):
                self._db.execute(f"DELETE FROM {table}")

    def _present(self, texts: set[str]) -> set[tuple[str, str, str]]:
        """The (source text, locale, level) of the memories there are of *texts*."""
        found: set[tuple[str, str, str]] = set()
        for chunk in _chunks(sorted(texts), 500):
            marks = ",".join("?" * len(chunk))
            found.update(self._db.execute(
                "SELECT DISTINCT s.text, u.locale, u.level FROM sources s "
                f"JOIN units u ON u.source = s.id WHERE s.text IN ({marks})", chunk))
        return found

    def _bump(self, locales: Iterable[str]) -> None:
        """*locales* gained a source text (at a level) they had no memory of: a lookup
        that found nothing may find something now. Raise their generation, forget their
        misses. (A removal or a new translation of a known text cannot turn a miss into
        a match, so it changes nothing here.)"""
        for locale in sorted(set(locales)):
            self._db.execute(
                "INSERT INTO generations (locale, n) VALUES (?, 1) "
                "ON CONFLICT (locale) DO UPDATE SET n = n + 1", (locale,))
            self._db.execute("DELETE FROM misses WHERE locale = ?", (locale,))

    def _remove(self, path: str, *, keep: Set[str] = frozenset()) -> None:
        db = self._db
        row = db.execute("SELECT id FROM origins WHERE path = ?", (path,)).fetchone()
        if row is None:
            return
        # the sources only this file has (one query), less those read again
        orphans = [(source_id, text) for source_id, text in db.execute(
            "SELECT s.id, s.text FROM sources s WHERE s.id IN "
            "(SELECT DISTINCT source FROM units WHERE origin = ?1) AND NOT EXISTS "
            "(SELECT 1 FROM units v WHERE v.source = s.id AND v.origin != ?1)", row)
            if text not in keep]
        db.execute("DELETE FROM units WHERE origin = ?", row)
        db.execute("DELETE FROM origins WHERE id = ?", row)
        for source_id, text in orphans:
            token_ids = list(self._ids("tokens", tokenize(text)).values())
            db.executemany(
                "DELETE FROM postings WHERE token = ? AND source = ?",
                [(t, source_id) for t in token_ids],
            )
            db.executemany("UPDATE tokens SET df = df - 1 WHERE id = ?", [(t,) for t in token_ids])
            db.execute("DELETE FROM sources WHERE id = ?", (source_id,))

    def _source_ids(self, texts: set[str]) -> dict[str, int]:
        """The ids of *texts* in ``sources``, adding (and indexing) those not there yet."""
        db = self._db
        ids = self._ids("sources", texts)
        new = sorted(texts - ids.keys())
        if not new:
            return ids
        db.executemany("INSERT INTO sources (text) VALUES (?)", [(t,) for t in new])
        added = self._ids("sources", set(new))
        tokens_of = {added[text]: tokenize(text) for text in new}
        all_tokens: set[str] = set().union(*tokens_of.values())
        db.executemany(
            "INSERT OR IGNORE INTO tokens (text, df) VALUES (?, 0)", [(t,) for t in all_tokens]
        )
        token_ids = self._ids("tokens", all_tokens)
        postings = sorted(
            (token_ids[token], source_id)
            for source_id, tokens in tokens_of.items()
            for token in tokens
        )
        db.executemany("INSERT INTO postings (token, source) VALUES (?, ?)", postings)
        df = Counter(token for token, _ in postings)
        db.executemany(
            "UPDATE tokens SET df = df + ? WHERE id = ?", [(n, t) for t, n in df.items()]
        )
        ids.update(added)
        return ids

    def _ids(self, table: str, texts: set[str]) -> dict[str, int]:
        out: dict[str, int] = {}
        for chunk in _chunks(sorted(texts), 500):
            marks = ",".join("?" * len(chunk))
            out.update(
                (r[1], r[0])
                for r in self._db.execute(
                    f"SELECT id, text FROM {table} WHERE text IN ({marks})", chunk
                )
            )
        return out

    # -- reading -------------------------------------------------------------

    @_reported
    def exact(
        self, text: str, locale: str, levels: Sequence[Level] = LEVELS
    ) -> list[Match]:
        """Memories whose source is *text* exactly, best first."""
        row = self._db.execute("SELECT id FROM sources WHERE text = ?", (text,)).fetchone()
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
        from rapidfuzz import fuzz, process

        exact = self.exact(text, locale, levels)
        if len(text) > MAX_FUZZY_LENGTH or len(exact) >= limit:
            # (a similar text scores below 100: it would rank after every exact match)
            return exact[:limit]
        lo, hi = _length_bounds(len(text), min_score)
        candidates = {
            source_id: candidate
            for source_id, candidate in self._candidates(text)
            if lo <= len(candidate) <= hi and candidate != text
        }
        scores: dict[int, float] = {}
        texts: dict[int, str] = {}
        for candidate, score, source_id in process.extract(
            text, candidates, scorer=fuzz.ratio, score_cutoff=min_score, limit=None
        ):
            # only identical texts score 100: rounding must not pass a change as exact
            scores[source_id] = min(score, 99.9)
            texts[source_id] = candidate
        matches = exact + self._matches(scores, texts, locale, levels)
        return sorted(matches, key=_rank)[:limit]

    def best(
        self, text: str, locale: str, *, min_score: float, levels: Sequence[Level] = LEVELS
    ) -> Match | None:
        """The best memory for *text*, if one scores at least *min_score*."""
        found = self.search(text, locale, min_score=min_score, limit=1, levels=levels)
        return found[0] if found else None

    def _candidates(self, text: str) -> list[tuple[int, str]]:
        """Source texts that may be similar to *text*: the prefilter (see the module doc)."""
        db = self._db
        tokens = sorted(tokenize(text))
        if not tokens:
            return []
        known: list[tuple[int, int]] = []  # (df, token id)
        for chunk in _chunks(tokens, 500):
            marks = ",".join("?" * len(chunk))
            known += [
                (r[1], r[0])
                for r in db.execute(f"SELECT id, df FROM tokens WHERE text IN ({marks})", chunk)
                if r[1] > 0
            ]
        known.sort()
        # Of the query's tokens sorted rarest first (absent ones first of all: df 0), a text
        # sharing `needed` of them holds one of the first len - needed + 1.
        needed = max(1, math.ceil(len(tokens) * MIN_SHARE))
        prefix = (len(tokens) - needed + 1) - (len(tokens) - len(known))
        chosen: list[int] = []
        read = 0
        for df, token_id in known[: max(min(prefix, MAX_PREFIX_TOKENS), 0)]:
            if chosen and read + df > POSTINGS_BUDGET:
                break
            chosen.append(token_id)
            read += df
        if not chosen:
            return []
        # SQLite counts the shared tokens (in C); the best-sharing candidates are verified
        marks = ",".join("?" * len(chosen))
        return self._db.execute(
            "SELECT s.id, s.text FROM (SELECT source, count(*) AS shared FROM postings "
            f"WHERE token IN ({marks}) GROUP BY source ORDER BY shared DESC, source LIMIT ?) AS p "
            "JOIN sources AS s ON s.id = p.source",
            (*chosen, VERIFY_LIMIT),
        ).fetchall()

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
        for chunk in _chunks(ids, 500):
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
        for chunk in _chunks(sorted(set(keys)), 500):
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


def _length_bounds(length: int, min_score: float) -> tuple[float, float]:
    """Lengths a text can have and still reach *min_score* (Indel ratio) against *length*.

    ratio = 2·LCS / (n + m) ≤ 2·min(n, m) / (n + m), so m ≥ n·t / (2 − t) and m ≤ n·(2 − t) / t.
    """
    t = max(min_score, 1.0) / 100
    return length * t / (2 - t), length * (2 - t) / t


def _chunks(items: Sequence[object], size: int) -> Iterable[list]:  # type: ignore[type-arg]
    for i in range(0, len(items), size):
        yield list(items[i : i + size])
