"""The memory's index structures: the prefilter's fast paths, the lookup cache, writes by
difference. Each is compared with the plain computation it stands for."""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Sequence
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz, process

from locflow.memory import index
from locflow.memory.formats import Pair, entry_units, units_of, with_sentences
from locflow.memory.store import MemoryStore, Origin, Unit
from locflow.memory.writing import Aligned

SEEDS = st.integers(min_value=0, max_value=2**32 - 1)


def corpus(rng: random.Random, size: int, vocabulary: int = 400) -> list[str]:
    """Texts of Zipf-distributed made-up words (a few very common, most rare)."""
    words = [f"w{n:x}{rng.choice('aeiou')}" for n in range(vocabulary)]
    weights = [1 / (k + 1) for k in range(vocabulary)]
    return sorted({" ".join(rng.choices(words, weights, k=rng.randint(4, 30))).capitalize()
                   + "." for _ in range(size)})


def edited(rng: random.Random, text: str, share: float = 1 / 8) -> str:
    """*text* with about *share* of its words replaced by another of its words' neighbours."""
    words = text.rstrip(".").split()
    for _ in range(max(1, int(len(words) * share))):
        at = rng.randrange(len(words))
        words[at] = words[at][::-1]
    return " ".join(words) + "."


def origin(path: str) -> Origin:
    return Origin(path, "catalog", path.removesuffix(".po"), 1, 1, path)


def counted(db: sqlite3.Connection, text: str) -> list[tuple[int, str]]:
    """The prefilter's candidates as its general query gives them (counting the shared
    tokens of every posting read, whatever their number)."""
    chosen = index.prefix_tokens(db, text)
    if not chosen:
        return []
    marks = ",".join("?" * len(chosen))
    return db.execute(
        "SELECT s.id, s.text FROM (SELECT source, count(*) AS shared FROM postings "
        f"WHERE token IN ({marks}) GROUP BY source ORDER BY shared DESC, source LIMIT ?) AS p "
        "JOIN sources AS s ON s.id = p.source", (*chosen, index.VERIFY_LIMIT)).fetchall()


@settings(max_examples=25, deadline=None)
@given(SEEDS)
def test_the_fast_lookup_finds_the_best_matches_a_full_scan_finds(seed: int) -> None:
    """On generated memories, the indexed search's best match at 75 % scores what the
    best of a full scan over every source scores."""
    rng = random.Random(seed)
    texts = corpus(rng, rng.randint(20, 90))
    store = MemoryStore()
    store.replace(origin("a.po"), [Unit(t, t.upper(), "es") for t in texts])
    for query in [edited(rng, t) for t in rng.sample(texts, 8)] + [rng.choice(texts)]:
        scan = process.extractOne(query, texts, scorer=fuzz.ratio, score_cutoff=75)
        found = store.best(query, "es", min_score=75)
        if scan is None:
            assert found is None
            continue
        assert found is not None, query
        assert found.score == (100.0 if scan[0] == query else min(scan[1], 99.9))


@settings(max_examples=25, deadline=None)
@given(SEEDS)
def test_the_fast_lookup_answers_what_the_counting_prefilter_answers(seed: int) -> None:
    """Every result of a search (any threshold, any number of results) is what the
    prefilter that counts every posting read gives, on a large memory of common words
    (the budget of postings reached: the one-token path) and a small one."""
    rng = random.Random(seed)
    texts = corpus(rng, rng.choice([60, 400]), vocabulary=rng.choice([12, 400]))
    store = MemoryStore()
    store.replace(origin("a.po"), [Unit(t, t[::-1], "es", approved=rng.random() < 0.5)
                                   for t in texts])
    queries = [edited(rng, t, rng.choice([1 / 8, 1 / 3])) for t in rng.sample(texts, 6)]
    fast = [store.search(q, "es", min_score=s, limit=n)
            for q in queries for s, n in ((75.0, 1), (50.0, 5), (60.0, 10))]
    plain = index.candidates
    try:
        index.candidates = counted
        slow = [MemoryStore.search(store, q, "es", min_score=s, limit=n)
                for q in queries for s, n in ((75.0, 1), (50.0, 5), (60.0, 10))]
    finally:
        index.candidates = plain
    assert fast == slow


@settings(max_examples=25, deadline=None)
@given(SEEDS)
def test_one_token_candidates_are_the_counted_ones(seed: int) -> None:
    """A query whose rarest token is common (every candidate shares that one token):
    the first postings in id order are what counting and sorting them all gives."""
    rng = random.Random(seed)
    texts = corpus(rng, 400, vocabulary=12)  # every word in many texts
    store = MemoryStore()
    store.replace(origin("a.po"), [Unit(t, t, "es") for t in texts])
    budget = index.POSTINGS_BUDGET
    try:
        index.POSTINGS_BUDGET = rng.choice([1, 50, 200, 3_000])  # one token, or several
        for query in [edited(rng, t) for t in rng.sample(texts, 10)]:
            assert index.candidates(store._db, query) == counted(store._db, query)
            assert len(index.prefix_tokens(store._db, query)) >= 1
    finally:
        index.POSTINGS_BUDGET = budget


def test_a_lookup_sees_what_another_connection_commits(tmp_path: Path) -> None:
    """The similar-text cache is dropped when the index changes, from this connection
    or any other: a lookup answers what it would uncached."""
    path = tmp_path / "m.sqlite3"
    text = "The council voted to approve the budget for the coastal towns on Tuesday."
    query = text.replace("Tuesday", "Monday")
    with MemoryStore(path) as reader, MemoryStore(path) as writer:
        assert reader.search(query, "es") == []
        writer.replace(origin("a.po"), [Unit(text, "El consejo.", "es")])
        assert [m.target for m in reader.search(query, "es")] == ["El consejo."]
        assert [m.target for m in reader.search(query, "zh_Hans")] == []  # (cached scores)
        writer.remove("a.po")
        assert reader.search(query, "es") == []
        reader.replace(origin("b.po"), [Unit(text, "Otro.", "es")])
        assert [m.target for m in reader.search(query, "es")] == ["Otro."]
        reader.clear()
        assert reader.search(query, "es") == []


def content(store: MemoryStore) -> tuple[list[tuple[object, ...]], ...]:
    """What the index holds, without its ids: units, postings, token counts, sources."""
    db = store._db
    units = sorted(db.execute(
        "SELECT o.path, o.sha256, s.text, u.locale, u.level, u.target, u.approved, u.context, "
        "u.line, u.position FROM units u JOIN origins o ON o.id = u.origin "
        "JOIN sources s ON s.id = u.source"), key=repr)
    postings = sorted(db.execute(
        "SELECT t.text, s.text FROM postings p JOIN tokens t ON t.id = p.token "
        "JOIN sources s ON s.id = p.source"))
    counts = sorted(db.execute("SELECT text, df FROM tokens WHERE df > 0"))
    real = sorted(db.execute(
        "SELECT t.text, count(*) FROM postings p JOIN tokens t ON t.id = p.token GROUP BY t.id"))
    sources = sorted(db.execute("SELECT text FROM sources"))
    origins = sorted(db.execute("SELECT path, kind, label, size, mtime_ns, sha256 FROM origins"))
    assert counts == real  # every token's count is its postings'
    return units, postings, counts, sources, origins


@settings(max_examples=30, deadline=None)
@given(SEEDS)
def test_files_indexed_again_by_difference_hold_what_a_fresh_index_holds(seed: int) -> None:
    """Replacing files' units over and over (kept, moved, changed, removed), in batches
    and one by one, leaves the index holding exactly what indexing the last versions
    into an empty index gives, and a locale gains a generation exactly when it gains a
    source text at a level it had no memory of."""
    rng = random.Random(seed)
    texts = corpus(rng, 40, vocabulary=60)
    store = MemoryStore()
    model: dict[str, list[Unit]] = {}  # what each file holds now
    origins: dict[str, Origin] = {}
    for _ in range(rng.randint(1, 8)):
        batch = []
        for path in rng.sample(["a.po", "b.po", "c.po", "d.po"], rng.randint(1, 4)):
            units = [Unit(rng.choice(texts), rng.choice(["x", "y"]), rng.choice(["es", "zh"]),
                          rng.choice(["entry", "sentence"]), rng.random() < 0.5,
                          rng.choice([None, "ctx"]), rng.randint(1, 9),
                          rng.choice([None, "1/2"])) for _ in range(rng.randint(0, 8))]
            batch.append((Origin(path, "catalog", path, 1, 1, f"{path}{rng.random()}"), units))
        generations = {locale: store.generation(locale) for locale in ("es", "zh")}
        gained: set[str] = set()
        held = {path: list(units) for path, units in model.items()}
        if rng.random() < 0.5:
            store.replace_many(batch)
            gained |= _new_locales(held, batch)
        else:
            for one in batch:
                store.replace(*one)
                gained |= _new_locales(held, [one])
                held[one[0].path] = list(one[1])
        model.update({o.path: list(units) for o, units in batch})
        origins.update({o.path: o for o, _ in batch})
        if rng.random() < 0.2:
            gone = rng.choice(sorted(model))
            store.remove(gone)
            del model[gone]
        for locale in ("es", "zh"):
            assert (store.generation(locale) > generations[locale]) == (locale in gained)
    fresh = MemoryStore()
    fresh.replace_many([(origins[path], units) for path, units in sorted(model.items())])
    assert content(store) == content(fresh)


def _new_locales(held: dict[str, list[Unit]], batch: list[tuple[Origin, list[Unit]]]
                 ) -> set[str]:
    """The locales *batch* gives a source text at a level none of *held* has."""
    known = {(u.source, u.locale, u.level) for units in held.values() for u in units}
    return {u.locale for _, units in batch for u in units
            if (u.source, u.locale, u.level) not in known}


def test_sentences_the_index_holds_are_not_aligned_again(monkeypatch: pytest.MonkeyPatch
                                                         ) -> None:
    """A catalog indexed again from its entries alone (as a sync tells the index what it
    wrote) gets the sentences a full read gives, aligning only the entries whose
    alignment the index does not hold."""
    from locflow.memory import formats

    old = [Pair("He came. She left.", "Él vino. Ella se fue.", "es", True, None, 3),
           Pair("A came. B left.", "A vino. B se fue.", "es", False, None, 7),
           Pair("One. Two.", "Uno y dos.", "es", True, "ctx", 11),  # not aligned: none
           Pair("Kept. As is.", "Igual. Como está.", "es", True, None, 15)]
    new = [Pair("He came. She left.", "Él vino. Ella se fue.", "es", True, None, 5),  # moved
           Pair("A came. B left.", "A vino. B se fue.", "es", True, None, 9),  # approved now
           Pair("One. Two.", "Uno y dos.", "es", True, "ctx", 13),
           Pair("New. Text.", "Nuevo. Texto.", "es", True, None, 17)]
    store = MemoryStore()
    store.replace(origin("a.po"), units_of(old, "en", sentences_of_all=False))
    aligned: list[str] = []
    plain = formats.align

    def counting(source: str, *args: str) -> list[tuple[str, str]] | None:
        aligned.append(source)
        return plain(source, *args)

    monkeypatch.setattr(formats, "align", counting)

    def complete(entries: Sequence[Unit], known: Aligned) -> list[Unit]:
        return with_sentences(entries, "en", sentences_of_all=False, known=known)

    store.replace_many([(origin("a.po"), entry_units(new))], complete)
    assert aligned == ["A came. B left.", "New. Text."]
    fresh = MemoryStore()
    fresh.replace(origin("a.po"), units_of(new, "en", sentences_of_all=False))
    assert content(store) == content(fresh)
