"""Pre-filling untranslated entries from a memory (":memory:" store)."""

from __future__ import annotations

import pytest

from locflow.catalog.pofile import Entry
from locflow.memory.formats import Pair, units_of
from locflow.memory.prefill import PrefillSettings, prefill_entries, prefill_entry
from locflow.memory.store import MemoryStore, Origin
from locflow.model import ReviewState
from locflow.provenance import draft_hash, provenance, source_hash
from locflow.review import entry_state

VOTE = "The city council voted 7-2 on Tuesday to approve the budget."
VOTE_ZH = "市议会周二以7比2投票通过预算。"
ROADS = "Roads will get $4.2 million, the largest share. The mayor said the plan was fair."
ROADS_ZH = "道路将获得420万美元，是最大的一笔。市长说该计划是公平的。"
DATE = "2024-11-05"


@pytest.fixture
def store() -> MemoryStore:
    store = MemoryStore(":memory:")
    pairs = [
        Pair(VOTE, VOTE_ZH, "zh_Hans", True, None, 10),
        Pair(ROADS, ROADS_ZH, "zh_Hans", True, None, 14),
        Pair("Schools were closed.", "学校关闭了。", "zh_Hans", False, None, 18),
    ]
    store.replace(Origin("locales/zh_Hans/articles/vote.po", "catalog", "vote", 1, 1, "h"),
                  units_of(pairs, "en", sentences_of_all=False))
    return store


def fill(store: MemoryStore, msgid: str, settings: PrefillSettings | None = None,
         **fields: object) -> tuple[Entry, str | None]:
    entry = Entry(msgid=msgid, msgstr="", **fields)
    kind = prefill_entry(entry, store, "zh_Hans", settings or PrefillSettings(), DATE)
    return entry, kind


def test_exact_approved_match_becomes_translated(store: MemoryStore) -> None:
    entry, kind = fill(store, VOTE)
    assert kind == "exact"
    assert entry.msgstr == VOTE_ZH and "fuzzy" not in entry.flags
    assert entry_state(entry) is ReviewState.TRANSLATED
    assert entry.tcomment == (f"locflow-draft: memory 100% vote {DATE} ({source_hash(None, VOTE)})"
                              f"; draft {draft_hash(VOTE_ZH)}")


def test_exact_match_can_be_configured_to_stay_fuzzy(store: MemoryStore) -> None:
    entry, _ = fill(store, VOTE, PrefillSettings(exact="fuzzy"))
    assert entry_state(entry) is ReviewState.FUZZY and entry.previous_msgid is None


def test_exact_match_of_an_unreviewed_translation_is_fuzzy(store: MemoryStore) -> None:
    entry, kind = fill(store, "Schools were closed.")
    assert kind == "exact" and entry_state(entry) is ReviewState.FUZZY


def test_fuzzy_match_shows_the_matched_source(store: MemoryStore) -> None:
    entry, kind = fill(store, VOTE.replace("7-2", "6-3"), tcomment="a translator's note")
    assert kind == "fuzzy"
    assert entry.msgstr == VOTE_ZH and entry.flags == ["fuzzy"]
    assert entry.previous_msgid == VOTE
    found = provenance(entry)
    assert found is not None and found.kind == "memory" and found.origin == "vote"
    assert found.score is not None and 75 <= found.score < 100
    assert entry.tcomment.startswith("a translator's note\n")


def test_sentences_assemble_a_draft_and_say_which(store: MemoryStore) -> None:
    msgid = "Heavy rain fell all night. The mayor said the plan was fair. Nobody came."
    entry, kind = fill(store, msgid)
    assert kind == "sentences"
    assert entry.msgstr == "Heavy rain fell all night. 市长说该计划是公平的。Nobody came."
    assert entry_state(entry) is ReviewState.FUZZY
    found = provenance(entry)
    assert found is not None
    assert found.notes == ("sentences 2/3", f"draft {draft_hash(entry.msgstr)}")
    assert found.score == int(100 * len("The mayor said the plan was fair.") / sum(
        len(s) for s in ("Heavy rain fell all night.", "The mayor said the plan was fair.",
                         "Nobody came.")))
    assert entry.previous_msgid is None  # the matched sentence is the same text


def test_sentence_drafts_can_be_switched_off(store: MemoryStore) -> None:
    entry, kind = fill(store, "Heavy rain fell. The mayor said the plan was fair.",
                       PrefillSettings(sentences=False))
    assert kind is None and entry.msgstr == ""


def test_nothing_matches_nothing_changes(store: MemoryStore) -> None:
    entry, kind = fill(store, "A completely different sentence about weather.")
    assert kind is None and entry.msgstr == "" and entry.tcomment == ""


@pytest.mark.parametrize(
    "entry",
    [
        Entry(msgid=VOTE, msgstr="人工翻译", flags=["fuzzy"]),
        Entry(msgid=VOTE, msgstr="人工翻译"),
        Entry(msgid=VOTE, msgid_plural=VOTE + "s", msgstr_plural={0: ""}),
        Entry(msgid=VOTE, msgstr="", obsolete=True),
    ],
)
def test_entries_with_any_translation_are_never_touched(store: MemoryStore, entry: Entry) -> None:
    before = (entry.msgstr, list(entry.flags), entry.tcomment)
    assert prefill_entry(entry, store, "zh_Hans", PrefillSettings(), DATE) is None
    assert (entry.msgstr, list(entry.flags), entry.tcomment) == before


def test_the_memory_is_opened_only_when_an_entry_needs_it(store: MemoryStore) -> None:
    opened: list[bool] = []

    def open_store() -> MemoryStore:
        opened.append(True)
        return store

    done = [Entry(msgid=VOTE, msgstr="人工翻译")]
    assert prefill_entries(done, open_store, "zh_Hans", PrefillSettings(), DATE).total == 0
    assert opened == []
    todo = [Entry(msgid=VOTE, msgstr=""), Entry(msgid="Unknown text here.", msgstr="")]
    stats = prefill_entries(todo, open_store, "zh_Hans", PrefillSettings(), DATE)
    assert (stats.exact, stats.fuzzy, stats.sentences) == (1, 0, 0) and opened == [True]


class CountingStore(MemoryStore):
    def __init__(self) -> None:
        super().__init__(":memory:")
        self.searched: list[str] = []

    def search(self, text: str, locale: str, **options: object) -> list:  # type: ignore[override]
        self.searched.append(text)
        return super().search(text, locale, **options)  # type: ignore[arg-type]


def test_a_text_that_found_nothing_is_not_looked_up_again_until_the_memory_changes() -> None:
    store = CountingStore()
    store.replace(Origin("a.po", "catalog", "a", 1, 1, "h"),
                  units_of([Pair(VOTE, VOTE_ZH, "zh_Hans", True, None, 3)], "en",
                           sentences_of_all=False))
    unknown = "Nothing in the memory looks like this sentence."

    def run() -> tuple[int, list[str]]:
        store.searched.clear()
        todo = [Entry(msgid=unknown, msgstr=""), Entry(msgid=VOTE, msgstr="")]
        stats = prefill_entries(todo, lambda: store, "zh_Hans", PrefillSettings(), DATE)
        return stats.total, list(store.searched)

    assert run() == (1, [unknown, unknown])  # the entry, then its one sentence
    assert run() == (1, [])  # a known miss; the exact match needs no search
    # other settings are another lookup
    todo = [Entry(msgid=unknown, msgstr="")]
    prefill_entries(todo, lambda: store, "zh_Hans", PrefillSettings(threshold=50), DATE)
    assert store.searched == [unknown, unknown]
    # a memory that may now match: looked up again, and found
    store.replace(Origin("b.po", "catalog", "b", 1, 1, "h"),
                  units_of([Pair(unknown.replace("this", "that"), "相似的句子。", "zh_Hans", True,
                                 None, 5)], "en", sentences_of_all=False))
    total, searched = run()
    assert total == 2 and searched == [unknown]
