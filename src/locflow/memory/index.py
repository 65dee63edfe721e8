"""The fuzzy lookup's index: word tokens, the prefilter over their postings, and the
cache of similar-text searches one connection keeps.

The prefilter is *prefix filtering* over word tokens (see :mod:`locflow.memory.store`):
of the query's distinct tokens sorted rarest first, a text sharing at least
:data:`MIN_SHARE` of them holds one of the first few, so only those tokens' postings
are read (at most :data:`MAX_PREFIX_TOKENS` tokens and :data:`POSTINGS_BUDGET`
postings), and the :data:`VERIFY_LIMIT` texts sharing most of them (then the lowest
ids) are verified with the exact score. The budget always admits the rarest token,
however common it is: then every candidate shares one token, and the first
:data:`VERIFY_LIMIT` of its postings (in id order, as the index keeps them) are the
candidates, read without counting or sorting the rest (a query of common words
only would otherwise count tens of thousands of postings).
"""

from __future__ import annotations

import math
import re
import sqlite3
from collections import OrderedDict
from collections.abc import Iterable, Sequence

# Prefilter tuning (benchmarks/bench_memory.py): a candidate must share MIN_SHARE of the
# query's distinct tokens; per query at most MAX_PREFIX_TOKENS tokens and POSTINGS_BUDGET
# postings are read, and VERIFY_LIMIT candidates scored.
MIN_SHARE = 0.5
POSTINGS_BUDGET = 3_000
VERIFY_LIMIT = 100
MAX_PREFIX_TOKENS = 8

_WORD = re.compile(r"\w+")
_CJK = re.compile("[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]+")

Scored = tuple[dict[int, float], dict[int, str]]  # source id → score, source id → text


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


def length_bounds(length: int, min_score: float) -> tuple[float, float]:
    """Lengths a text can have and still reach *min_score* (Indel ratio) against *length*.

    ratio = 2·LCS / (n + m) ≤ 2·min(n, m) / (n + m), so m ≥ n·t / (2 − t) and m ≤ n·(2 − t) / t.
    """
    t = max(min_score, 1.0) / 100
    return length * t / (2 - t), length * (2 - t) / t


def chunks(items: Sequence[object], size: int) -> Iterable[list]:  # type: ignore[type-arg]
    for i in range(0, len(items), size):
        yield list(items[i : i + size])


def prefix_tokens(db: sqlite3.Connection, text: str) -> list[int]:
    """The ids of the tokens of *text* whose postings the prefilter reads, rarest first."""
    tokens = sorted(tokenize(text))
    if not tokens:
        return []
    known: list[tuple[int, int]] = []  # (df, token id)
    for chunk in chunks(tokens, 500):
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
    return chosen


def candidates(db: sqlite3.Connection, text: str) -> list[tuple[int, str]]:
    """Source texts that may be similar to *text* (id, text): the prefilter."""
    chosen = prefix_tokens(db, text)
    if not chosen:
        return []
    if len(chosen) == 1:
        # every candidate shares the one token: the first by id, read in the index's order
        inner = "SELECT source FROM postings WHERE token = ? ORDER BY source LIMIT ?"
    else:
        # SQLite counts the shared tokens (in C; at most POSTINGS_BUDGET postings)
        marks = ",".join("?" * len(chosen))
        inner = ("SELECT source, count(*) AS shared FROM postings "
                 f"WHERE token IN ({marks}) GROUP BY source ORDER BY shared DESC, source LIMIT ?")
    return db.execute(
        f"SELECT s.id, s.text FROM ({inner}) AS p JOIN sources AS s ON s.id = p.source",
        (*chosen, VERIFY_LIMIT),
    ).fetchall()


def similar(db: sqlite3.Connection, text: str, min_score: float) -> Scored:
    """The source texts scoring at least *min_score* against *text* among the prefilter's
    candidates (*text* itself left out: an exact match is looked up by its text)."""
    from rapidfuzz import fuzz, process

    lo, hi = length_bounds(len(text), min_score)
    found = {
        source_id: candidate
        for source_id, candidate in candidates(db, text)
        if lo <= len(candidate) <= hi and candidate != text
    }
    scores: dict[int, float] = {}
    texts: dict[int, str] = {}
    for candidate, score, source_id in process.extract(
        text, found, scorer=fuzz.ratio, score_cutoff=min_score, limit=None
    ):
        # only identical texts score 100: rounding must not pass a change as exact
        scores[source_id] = min(score, 99.9)
        texts[source_id] = candidate
    return scores, texts


class SimilarCache:
    """The similar texts found for recent queries, valid while the index is unchanged.

    A sync looks each new text up once per target locale, and the sources similar to a
    text do not depend on the locale (the units found for them do): the second lookup
    reuses the first's candidates and scores. The cache is dropped whenever the
    database changes: a commit of another connection (SQLite's ``data_version``) or a
    write of this one (:meth:`changed`), so a lookup answers what it would uncached.
    """

    SIZE = 512

    def __init__(self) -> None:
        self._found: OrderedDict[tuple[str, float], Scored] = OrderedDict()
        self._stamp: tuple[int, int] | None = None
        self._writes = 0

    def changed(self) -> None:
        """This connection wrote to the index."""
        self._writes += 1

    def similar(self, db: sqlite3.Connection, text: str, min_score: float) -> Scored:
        (version,) = db.execute("PRAGMA data_version").fetchone()
        stamp = (int(version), self._writes)
        if stamp != self._stamp:
            self._found.clear()
            self._stamp = stamp
        key = (text, min_score)
        found = self._found.get(key)
        if found is not None:
            self._found.move_to_end(key)
            return found
        found = self._found[key] = similar(db, text, min_score)
        if len(self._found) > self.SIZE:
            self._found.popitem(last=False)
        return found
