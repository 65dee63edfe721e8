"""Writing the memory's index: files' units replaced by difference, sources and their
postings added and dropped in bulk (the tables are described in :mod:`.store`).

A file indexed again is compared with what the index holds of it: units that are still
there stay (their line updated if the entry moved), the others are deleted and the new
ones inserted, so a catalog a sync changed in two entries costs two entries' writes,
not the whole file's. Sources no unit refers to any more leave the index with their
postings. Every step is a few statements for a whole batch of files (no query per
unit); new sources and tokens get their ids in sorted order (deterministic), as
SQLite would assign them.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections import Counter, deque
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING

from .index import chunks, tokenize

if TYPE_CHECKING:
    from .store import Origin, Unit

UnitKey = tuple[str, str, str, str, int, str | None, str | None]
# (entry source, entry target, locale) → its sentences (source, target) in order
Aligned = dict[tuple[str, str, str], list[tuple[str, str]]]
# a file's units made whole from what the index holds of it (its sentences added)
Complete = Callable[[Sequence["Unit"], Aligned], Sequence["Unit"]]
_STAGE = ("CREATE TEMP TABLE IF NOT EXISTS staged_postings "
          "(token INTEGER NOT NULL, source INTEGER NOT NULL)")
_UNITS = ("INSERT INTO units (origin, source, locale, level, target, approved, context, line, "
          "position) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")


def unit_key(unit: Unit) -> UnitKey:
    """What a unit is, less its line (an entry that moved is the same memory)."""
    return (unit.source, unit.locale, unit.level, unit.target, int(unit.approved),
            unit.context, unit.position)


class Recorded:
    """What the index holds of some files: origin ids, and units by key (in id order)."""

    def __init__(self, db: sqlite3.Connection, paths: Sequence[str]) -> None:
        self.origins: dict[str, int] = {}
        self.units: dict[str, dict[UnitKey, deque[tuple[int, int, int]]]] = {}
        for chunk in chunks(sorted(set(paths)), 500):
            marks = ",".join("?" * len(chunk))
            held: dict[UnitKey, deque[tuple[int, int, int]]] = {}
            last = None
            for row in db.execute(
                "SELECT o.path, o.id, u.id, s.text, u.locale, u.level, u.target, u.approved, "
                "u.context, u.position, u.line, u.source FROM origins o "
                "LEFT JOIN units u ON u.origin = o.id LEFT JOIN sources s ON s.id = u.source "
                f"WHERE o.path IN ({marks}) ORDER BY o.id, u.id", chunk):
                if row[0] != last:
                    last = row[0]
                    self.origins[last] = row[1]
                    held = self.units[last] = {}
                if row[2] is not None:
                    key: UnitKey = row[3:10]
                    found = held.get(key)
                    if found is None:
                        found = held[key] = deque()
                    found.append((row[2], row[10], row[11]))

    def alignments(self, path: str, *, sentences_of_all: bool = False) -> Aligned:
        """The sentence alignments the file at *path* holds (as
        :func:`~locflow.memory.formats.units_of` made them): for each entry aligned then
        (approved, or every one with *sentences_of_all*), its sentence pairs in order
        (none: it could not be aligned). An entry is known by its line: a line holding
        more than one entry of a locale (a TMX file on one line) is left out."""
        entries: dict[tuple[int, str], list[UnitKey]] = {}
        sentences: dict[tuple[int, str], list[tuple[int, str, str]]] = {}
        for key, rows in self.units.get(path, {}).items():
            text, locale, level, target, _, _, position = key
            for _, line, _ in rows:
                if level == "entry":
                    entries.setdefault((line, locale), []).append(key)
                elif position:
                    number = int(position.partition("/")[0])
                    sentences.setdefault((line, locale), []).append((number, text, target))
        known: Aligned = {}
        for where, found in entries.items():
            if len(found) != 1 or not (found[0][4] or sentences_of_all):
                continue
            text, locale, _, target, *_ = found[0]
            known[(text, target, locale)] = [(s, t) for _, s, t in sorted(sentences.get(where, []))]
        return known


class Changes:
    """The writes that make the index hold *files* (see the module doc)."""

    def __init__(self, recorded: Recorded, files: Sequence[tuple[Origin, Sequence[Unit]]]
                 ) -> None:
        self.added: list[tuple[Origin, Unit]] = []
        self.moved: list[tuple[int, int]] = []  # (line, unit id)
        self.dropped: list[tuple[int, int]] = []  # (unit id, source id)
        for origin, units in files:
            held = recorded.units.get(origin.path, {})
            for unit in units:
                rows = held.get(unit_key(unit))
                if not rows:
                    self.added.append((origin, unit))
                    continue
                unit_id, line, _ = rows.popleft()
                if line != unit.line:
                    self.moved.append((unit.line, unit_id))
            self.dropped += [(unit_id, source) for rows in held.values()
                             for unit_id, _, source in rows]


def write_changes(db: sqlite3.Connection, files: Sequence[tuple[Origin, Sequence[Unit]]],
                  complete: Complete | None, flush: Callable[[], None]) -> tuple[int, bool]:
    """Make the index hold exactly *files*' units (each file's earlier units replaced);
    with *complete*, each file's units are ``complete(units, alignments it holds)``.
    New sources' postings are staged (:func:`flush_postings`; *flush* moves what is
    staged before postings are deleted). Returns how many units the files have, and
    whether postings were staged."""
    recorded = Recorded(db, [origin.path for origin, _ in files])
    if complete is not None:
        files = [(origin, complete(units, recorded.alignments(origin.path)))
                 for origin, units in files]
    changes = Changes(recorded, files)
    texts = {unit.source: text_hash(unit.source) for _, unit in changes.added}
    wanted = {(u.source, u.locale, u.level) for _, u in changes.added}
    bump(db, {locale for _, locale, _ in wanted - present(db, texts)})
    origin_ids: dict[str, int] = {}
    for origin, _ in files:
        values = (origin.kind, origin.label, origin.size, origin.mtime_ns, origin.sha256)
        known = recorded.origins.get(origin.path)
        if known is None:
            cursor = db.execute("INSERT INTO origins (kind, label, size, mtime_ns, sha256, path) "
                                "VALUES (?, ?, ?, ?, ?, ?)", (*values, origin.path))
            known = int(cursor.lastrowid or 0)
        else:
            db.execute("UPDATE origins SET kind = ?, label = ?, size = ?, mtime_ns = ?, "
                       "sha256 = ? WHERE id = ?", (*values, known))
        origin_ids[origin.path] = known
    db.executemany("DELETE FROM units WHERE id = ?", [(u,) for u, _ in changes.dropped])
    db.executemany("UPDATE units SET line = ? WHERE id = ?", changes.moved)
    source_ids, staged = add_sources(db, texts)
    db.executemany(_UNITS, [
        (origin_ids[origin.path], source_ids[u.source], u.locale, u.level, u.target,
         int(u.approved), u.context, u.line, u.position) for origin, u in changes.added])
    if changes.dropped:
        flush()
        drop_orphans(db, {source for _, source in changes.dropped})
    return sum(len(units) for _, units in files), staged


def text_hash(text: str) -> int:
    """The 64-bit key ``sources`` are found by (an index of texts would be ten times the
    size, its pages read and written all over as the index grows)."""
    digest = hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def present(db: sqlite3.Connection, texts: dict[str, int]) -> set[tuple[str, str, str]]:
    """The (source text, locale, level) of the memories there are of *texts* (with their
    :func:`text_hash`)."""
    found: set[tuple[str, str, str]] = set()
    for chunk in chunks(sorted(set(texts.values())), 500):
        marks = ",".join("?" * len(chunk))
        found.update(row for row in db.execute(
            "SELECT DISTINCT s.text, u.locale, u.level FROM sources s "
            f"JOIN units u ON u.source = s.id WHERE s.hash IN ({marks})", chunk)
            if row[0] in texts)
    return found


def bump(db: sqlite3.Connection, locales: Iterable[str]) -> None:
    """*locales* gained a source text (at a level) they had no memory of: a lookup that
    found nothing may find something now. Raise their generation, forget their misses.
    (A removal or a new translation of a known text cannot turn a miss into a match, so
    it changes nothing here.)"""
    for locale in sorted(set(locales)):
        db.execute("INSERT INTO generations (locale, n) VALUES (?, 1) "
                   "ON CONFLICT (locale) DO UPDATE SET n = n + 1", (locale,))
        db.execute("DELETE FROM misses WHERE locale = ?", (locale,))


def token_ids(db: sqlite3.Connection, tokens: Iterable[str]) -> dict[str, int]:
    """The ids of those of *tokens* the index knows."""
    out: dict[str, int] = {}
    for chunk in chunks(sorted(tokens), 500):
        marks = ",".join("?" * len(chunk))
        out.update((r[1], r[0]) for r in db.execute(
            f"SELECT id, text FROM tokens WHERE text IN ({marks})", chunk))
    return out


def source_ids(db: sqlite3.Connection, texts: dict[str, int]) -> dict[str, int]:
    """The ids of those of *texts* (with their :func:`text_hash`) that are in ``sources``."""
    out: dict[str, int] = {}
    for chunk in chunks(sorted(set(texts.values())), 500):
        marks = ",".join("?" * len(chunk))
        out.update((r[1], r[0]) for r in db.execute(
            f"SELECT id, text FROM sources WHERE hash IN ({marks})", chunk) if r[1] in texts)
    return out


def _next_id(db: sqlite3.Connection, table: str) -> int:
    (top,) = db.execute(f"SELECT max(id) FROM {table}").fetchone()
    return int(top or 0) + 1


def add_sources(db: sqlite3.Connection, texts: dict[str, int]
                ) -> tuple[dict[str, int], bool]:
    """The ids of *texts* (with their :func:`text_hash`) in ``sources``, adding (and
    indexing) those not there yet; and whether postings were staged for them (see
    :func:`flush_postings`)."""
    found = source_ids(db, texts)
    new = sorted(texts.keys() - found.keys())
    if not new:
        return found, False
    start = _next_id(db, "sources")
    added = {text: start + n for n, text in enumerate(new)}
    db.executemany("INSERT INTO sources (id, hash, text) VALUES (?, ?, ?)",
                   [(i, texts[text], text) for text, i in added.items()])
    tokens_of = {added[text]: tokenize(text) for text in new}
    known = _token_ids(db, set().union(*tokens_of.values()))
    postings = [(known[token], source) for source, tokens in tokens_of.items()
                for token in tokens]
    db.execute(_STAGE)
    db.executemany("INSERT INTO temp.staged_postings (token, source) VALUES (?, ?)", postings)
    df = Counter(token for token, _ in postings)
    db.executemany("UPDATE tokens SET df = df + ? WHERE id = ?",
                   [(n, t) for t, n in sorted(df.items())])
    found.update(added)
    return found, True


def flush_postings(db: sqlite3.Connection) -> None:
    """Move the staged postings into ``postings`` in its key order: a transaction that
    indexes many texts writes each page of the inverted index once (inserted as they
    come, every batch of texts would write all over it), and an empty index is built
    by appending."""
    db.execute("INSERT INTO postings (token, source) SELECT token, source "
               "FROM temp.staged_postings ORDER BY token, source")
    db.execute("DELETE FROM temp.staged_postings")


def _token_ids(db: sqlite3.Connection, tokens: set[str]) -> dict[str, int]:
    """The ids of *tokens*, adding those the index has never seen (df 0)."""
    found = token_ids(db, tokens)
    new = sorted(tokens - found.keys())
    if new:
        start = _next_id(db, "tokens")
        added = {token: start + n for n, token in enumerate(new)}
        db.executemany("INSERT INTO tokens (id, text, df) VALUES (?, ?, 0)",
                       [(i, token) for token, i in added.items()])
        found.update(added)
    return found


def drop_orphans(db: sqlite3.Connection, candidates: set[int]) -> None:
    """Remove those of the sources *candidates* no unit refers to, with their postings."""
    orphans: list[tuple[int, str]] = []
    for chunk in chunks(sorted(candidates), 500):
        marks = ",".join("?" * len(chunk))
        orphans += db.execute(
            f"SELECT s.id, s.text FROM sources s WHERE s.id IN ({marks}) AND NOT EXISTS "
            "(SELECT 1 FROM units u WHERE u.source = s.id)", chunk).fetchall()
    if not orphans:
        return
    tokens_of = {source: tokenize(text) for source, text in orphans}
    known = token_ids(db, set().union(*tokens_of.values()))
    postings = sorted((known[token], source) for source, tokens in tokens_of.items()
                      for token in tokens if token in known)
    db.executemany("DELETE FROM postings WHERE token = ? AND source = ?", postings)
    df = Counter(token for token, _ in postings)
    db.executemany("UPDATE tokens SET df = df - ? WHERE id = ?",
                   [(n, t) for t, n in sorted(df.items())])
    db.executemany("DELETE FROM sources WHERE id = ?", [(s,) for s, _ in orphans])


def remove_origin(db: sqlite3.Connection, path: str) -> None:
    """Forget the file at *path*: its units, its record, the sources only it had."""
    row = db.execute("SELECT id FROM origins WHERE path = ?", (path,)).fetchone()
    if row is None:
        return
    sources = {r[0] for r in db.execute("SELECT DISTINCT source FROM units WHERE origin = ?", row)}
    db.execute("DELETE FROM units WHERE origin = ?", row)
    db.execute("DELETE FROM origins WHERE id = ?", row)
    drop_orphans(db, sources)
