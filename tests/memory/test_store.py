"""The memory index: exact and fuzzy lookup, replacement of a file's memories, ranking."""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

import pytest
from rapidfuzz import fuzz, process

from locflow.errors import InputError
from locflow.memory.store import MemoryStore, Origin, Unit, tokenize

VOTE = "The city council voted 7-2 on Tuesday to approve the budget."
VOTE_ES = "El concejo municipal votó 7-2 el martes para aprobar el presupuesto."


@pytest.fixture
def store() -> MemoryStore:
    return MemoryStore(":memory:")


def origin(path: str, label: str = "vote") -> Origin:
    return Origin(path, "catalog", label, 1, 1, path)


def test_exact_match_prefers_approved_translations(store: MemoryStore) -> None:
    store.replace(origin("a.po", "a"), [Unit(VOTE, "translated text", "es", approved=False)])
    store.replace(origin("b.po", "b"), [Unit(VOTE, VOTE_ES, "es", approved=True, line=7)])
    found = store.exact(VOTE, "es")
    assert [(m.target, m.approved, m.origin, m.line) for m in found] == [
        (VOTE_ES, True, "b", 7),
        ("translated text", False, "a", 0),
    ]
    assert found[0].score == 100 and found[0].exact
    assert store.exact(VOTE, "zh_Hans") == []
    assert store.exact("Something else.", "es") == []


def test_fuzzy_match_scores_with_indel_ratio(store: MemoryStore) -> None:
    store.replace(origin("a.po"), [Unit(VOTE, VOTE_ES, "es", approved=True)])
    query = VOTE.replace("7-2", "6-3")
    (match,) = store.search(query, "es", min_score=75)
    assert match.source == VOTE and match.target == VOTE_ES
    assert match.score == pytest.approx(fuzz.ratio(query, VOTE))
    assert 75 <= match.score < 100 and not match.exact
    assert store.search("The mayor resigned.", "es", min_score=75) == []


def test_a_near_identical_text_never_scores_100(store: MemoryStore) -> None:
    long = "word " * 400
    store.replace(origin("a.po"), [Unit(long, "x", "es")])
    (match,) = store.search(long + "!", "es")
    assert match.score < 100


def test_replacing_a_file_replaces_its_memories(store: MemoryStore) -> None:
    store.replace(origin("a.po"), [Unit(VOTE, VOTE_ES, "es"), Unit("Schools closed.", "x", "es")])
    store.replace(origin("b.po"), [Unit(VOTE, "otra", "es")])
    assert store.stats().sources == 2
    store.replace(origin("a.po"), [Unit("Storm hits.", "Tormenta.", "es")])
    assert [m.target for m in store.exact(VOTE, "es")] == ["otra"]
    assert store.search("Schools closed.", "es") == []
    assert store.stats().sources == 2  # "Schools closed." is gone, "Storm hits." came
    store.remove("b.po")
    assert store.exact(VOTE, "es") == []
    assert store.search(VOTE, "es", min_score=50) == []
    # the inverted index forgot the removed texts too
    assert store._db.execute("SELECT count(*) FROM postings").fetchone()[0] == len(
        tokenize("Storm hits.")
    )
    assert store._db.execute("SELECT count(*) FROM tokens WHERE df > 0").fetchone()[0] == 2


def test_levels_separate_whole_entries_from_sentences(store: MemoryStore) -> None:
    store.replace(
        origin("a.po"),
        [
            Unit("He came. She left.", "Él vino. Ella se fue.", "es", "entry", True),
            Unit("She left.", "Ella se fue.", "es", "sentence", True, position="2/2"),
        ],
    )
    assert store.exact("She left.", "es", levels=("entry",)) == []
    (match,) = store.exact("She left.", "es")
    assert (match.level, match.position) == ("sentence", "2/2")


def test_chinese_sources_are_indexed_by_bigrams(store: MemoryStore) -> None:
    store.replace(origin("a.po"), [Unit("北京对朝鲜向俄罗斯派兵表示关切。", "Beijing...", "en")])
    (match,) = store.search("北京对朝鲜向俄罗斯派兵表示担忧。", "en", min_score=75)
    assert match.target == "Beijing..."


def test_search_finds_what_brute_force_finds(store: MemoryStore) -> None:
    """The prefilter loses no match a full scan over every source would find."""
    rng = random.Random(7)
    vocabulary = [f"w{i}" for i in range(3000)]
    weights = [1 / (k + 1) for k in range(len(vocabulary))]
    texts = sorted(
        {
            " ".join(rng.choices(vocabulary, weights, k=rng.randint(6, 30))).capitalize() + "."
            for _ in range(3000)
        }
    )
    store.replace(origin("a.po"), [Unit(t, t.upper(), "es") for t in texts])
    queries = []
    for text in rng.sample(texts, 60):
        words = text.split()
        for _ in range(max(1, len(words) // 8)):
            words[rng.randrange(len(words))] = rng.choice(vocabulary)
        queries.append(" ".join(words))
    found = 0
    for query in queries:
        best = process.extractOne(query, texts, scorer=fuzz.ratio, score_cutoff=75)
        match = store.best(query, "es", min_score=75)
        if best is None:
            assert match is None or match.score >= 75
            continue
        found += 1
        assert match is not None, query
        assert match.score == pytest.approx(min(best[1], 99.9) if query != best[0] else 100)
    assert found > 40


def test_an_old_schema_is_rebuilt(tmp_path: Path) -> None:
    path = tmp_path / "m.sqlite3"
    with MemoryStore(path) as store:
        store.replace(origin("a.po"), [Unit(VOTE, VOTE_ES, "es")])
    db = sqlite3.connect(path)
    db.execute("UPDATE meta SET value = '0' WHERE key = 'schema'")
    db.commit()
    db.close()
    with MemoryStore(path) as store:
        assert store.origins() == {}


def test_a_file_that_is_not_a_database_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "m.sqlite3"
    path.write_bytes(b"not a database" * 100)
    with pytest.raises(InputError, match="cannot open the translation memory"):
        MemoryStore(path)


def test_a_busy_index_is_one_clear_error(tmp_path: Path) -> None:
    from locflow.errors import LocflowError

    path = tmp_path / "m.sqlite3"
    MemoryStore(path).close()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        store = MemoryStore.__new__(MemoryStore)
        store.path = str(path)
        store._db = sqlite3.connect(path, timeout=0.05, isolation_level=None)
        with pytest.raises(LocflowError, match="translation memory: database is locked"):
            store.replace(origin("a.po"), [Unit(VOTE, VOTE_ES, "es")])
        assert store.search(VOTE, "es") == []  # readers are not blocked (WAL)
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_search_lists_every_exact_match(store: MemoryStore) -> None:
    store.replace(origin("a.po", "a"), [Unit(VOTE, "uno", "es", approved=True)])
    store.replace(origin("b.po", "b"), [Unit(VOTE, "dos", "es")])
    assert [m.target for m in store.search(VOTE, "es")] == ["uno", "dos"]


def test_very_long_texts_are_matched_exactly_only(store: MemoryStore) -> None:
    import time

    huge = "The council met again and voted. " * 20_000
    store.replace(origin("a.po"), [Unit(huge, "x", "es"), Unit(huge + "!", "y", "es")])
    start = time.perf_counter()
    assert [m.target for m in store.search(huge, "es")] == ["x"]
    assert store.search(huge + "?", "es") == []
    assert time.perf_counter() - start < 5


def test_the_generation_changes_only_when_a_locale_gains_a_text(store: MemoryStore) -> None:
    """What a lookup that found nothing could find next time: only a source text the
    locale had no memory of (at that level) can turn a miss into a match."""
    assert store.generation("es") == 0
    store.replace(origin("a.po"), [Unit(VOTE, VOTE_ES, "es", line=3)])
    first = store.generation("es")
    assert first > 0 and store.generation("zh_Hans") == 0
    store.replace(origin("a.po"), [Unit(VOTE, VOTE_ES, "es", line=9)])  # moved, same memory
    assert store.generation("es") == first
    assert store.exact(VOTE, "es")[0].line == 9
    store.replace(origin("a.po"), [Unit(VOTE, "Otra traducción.", "es", line=9)])
    store.replace(origin("b.po", "b"), [Unit(VOTE, VOTE_ES, "es", approved=True)])
    store.remove("b.po")
    assert store.generation("es") == first  # other translations of a known text
    store.replace(origin("z.po"), [Unit(VOTE, "市议会投票。", "zh_Hans")])
    assert store.generation("es") == first  # another locale's memories
    store.replace(origin("a.po"), [Unit(VOTE, VOTE_ES, "es", level="sentence")])
    assert store.generation("es") == first + 1  # a text new at that level
    store.replace(origin("a.po"), [Unit("Schools closed.", "Escuelas cerradas.", "es")])
    assert store.generation("es") == first + 2


def test_misses_are_forgotten_when_the_locale_changes(store: MemoryStore) -> None:
    store.replace(origin("a.po"), [Unit(VOTE, VOTE_ES, "es")])
    generation = store.generation("es")
    store.remember_misses("es", ["k1", "k2"], generation)
    assert store.known_misses("es", ["k1", "k3"]) == {"k1"}
    assert store.known_misses("zh_Hans", ["k1"]) == set()
    store.replace(origin("b.po", "b"), [Unit("Schools closed.", "Escuelas cerradas.", "es")])
    assert store.known_misses("es", ["k1", "k2"]) == set()
    # a lookup made before the change is not recorded after it
    store.remember_misses("es", ["k1"], generation)
    assert store.known_misses("es", ["k1"]) == set()


def test_reindexing_the_same_texts_keeps_their_index(store: MemoryStore) -> None:
    """A file read again keeps the sources it still holds (not unindexed and indexed again)."""
    store.replace(origin("a.po"), [Unit(VOTE, VOTE_ES, "es")])
    (source_id,) = store._db.execute("SELECT id FROM sources").fetchone()
    store.replace(origin("a.po"), [Unit(VOTE, "Otra traducción.", "es")])
    assert store._db.execute("SELECT id FROM sources").fetchall() == [(source_id,)]
    assert [m.target for m in store.search(VOTE.replace("7-2", "8-1"), "es")] == [
        "Otra traducción."]
