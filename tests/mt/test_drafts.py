"""Many texts drafted at once: deduplicated pieces, the cache asked first, answers routed
back to every text that waits for them."""

from __future__ import annotations

import threading

import pytest

from locflow.errors import ServiceError
from locflow.mt.cache import MTCache
from locflow.mt.drafts import DraftBatch
from locflow.mt.run import RetryPolicy


class Upper:
    """Answers in capitals; counts what it was asked. Fails on texts in *broken*."""

    name = "upper"
    cache_key = "upper:en-es"

    def __init__(self, max_chars: int = 1000, broken: tuple[str, ...] = ()) -> None:
        self.max_chars = max_chars
        self.broken = broken
        self.asked: list[str] = []
        self.lock = threading.Lock()

    def translate(self, text: str) -> str:
        with self.lock:
            self.asked.append(text)
        if text in self.broken:
            raise ServiceError("upper: refused")
        return text.upper()


def drafted(batch: DraftBatch[str], **options: object) -> dict[str, tuple[str, bool]]:
    out: dict[str, tuple[str, bool]] = {}
    batch.run(lambda ticket, text, intact: out.__setitem__(ticket, (text, intact)),
              policy=RetryPolicy(retries=0), **options)  # type: ignore[arg-type]
    return out


def test_a_text_asked_twice_is_sent_once_and_both_tickets_get_it() -> None:
    engine = Upper()
    batch: DraftBatch[str] = DraftBatch(MTCache(":memory:"), "en")
    batch.add("a", "The port reopened.", engine, "es")
    batch.add("b", "The port reopened.", engine, "es")
    batch.add("c", "Ships wait.", engine, "es")
    batch.plan()
    assert (len(batch), batch.pieces, batch.cached, len(batch.requests)) == (3, 2, 0, 2)
    assert drafted(batch) == {"a": ("THE PORT REOPENED.", True),
                              "b": ("THE PORT REOPENED.", True), "c": ("SHIPS WAIT.", True)}
    assert sorted(engine.asked) == ["Ships wait.", "The port reopened."]


def test_the_cache_answers_first_and_learns_every_answer() -> None:
    cache = MTCache(":memory:")
    cache.put("upper:en-es", "Ships wait.", "Los barcos esperan.")
    engine = Upper()
    batch: DraftBatch[str] = DraftBatch(cache, "en")
    batch.add("new", "The port reopened.", engine, "es")
    batch.add("old", "Ships wait.", engine, "es")
    batch.plan()
    assert (batch.cached, batch.requests) == (1, [("upper:en-es", "The port reopened.")])
    order: list[str] = []
    batch.run(lambda ticket, text, intact: order.append(ticket), policy=RetryPolicy())
    assert order == ["old", "new"]  # what the cache answered comes first
    assert engine.asked == ["The port reopened."]
    assert cache.get_many("upper:en-es", ["The port reopened."]) == {
        "The port reopened.": "THE PORT REOPENED."}


def test_a_long_text_is_split_and_joined_and_masked_spans_come_back() -> None:
    engine = Upper(max_chars=30)
    batch: DraftBatch[str] = DraftBatch(MTCache(":memory:"), "en")
    text = "See [the report](https://example.org/r). Ships wait at the port."
    batch.add("t", text, engine, "es")
    batch.plan()
    assert batch.pieces == 2
    result = drafted(batch)["t"]
    assert result == ("SEE [THE REPORT](https://example.org/r). SHIPS WAIT AT THE PORT.", True)


def test_a_failure_stops_the_run_after_handing_over_what_was_done() -> None:
    engine = Upper(broken=("Ships wait.",))
    cache = MTCache(":memory:")
    cache.put("upper:en-es", "Cached.", "En caché.")
    batch: DraftBatch[str] = DraftBatch(cache, "en")
    batch.add("cached", "Cached.", engine, "es")
    batch.add("broken", "Ships wait.", engine, "es")
    batch.plan()
    out: list[str] = []
    with pytest.raises(ServiceError, match="refused"):
        batch.run(lambda ticket, text, intact: out.append(ticket),
                  policy=RetryPolicy(retries=0), concurrency=1)
    assert out == ["cached"]


class Verbose(Upper):
    """Answers *texts* it is told to with *size* characters of chatter."""

    def __init__(self, long: dict[str, int], max_chars: int = 1000) -> None:
        super().__init__(max_chars)
        self.long = long

    def translate(self, text: str) -> str:
        answer = super().translate(text)
        return "x" * self.long[text] if text in self.long else answer


def test_an_absurdly_long_answer_is_refused_per_text_and_never_cached() -> None:
    """Issue 17: a 10 MB answer became a draft. The bound: 20 times the text sent, and at
    least 1,000 characters."""
    short, para = "Ships wait.", "The port reopened. " * 60  # 11 and 1,139 characters
    engine = Verbose({short: 1001, para.strip(): 20 * len(para.strip()) + 1}, max_chars=5000)
    cache = MTCache(":memory:")
    batch: DraftBatch[str] = DraftBatch(cache, "en")
    batch.add("short", short, engine, "es")
    batch.add("short again", short, engine, "es")
    batch.add("para", para, engine, "es")
    batch.add("fine", "Roads reopen.", engine, "es")
    batch.plan()
    out: dict[str, tuple[str, bool]] = {}
    refused: list[tuple[str, str]] = []
    batch.run(lambda ticket, text, intact: out.__setitem__(ticket, (text, intact)),
              policy=RetryPolicy(retries=0), concurrency=1,
              on_refused=lambda ticket, error: refused.append((ticket, error.message)))
    assert out == {"fine": ("ROADS REOPEN.", True)}
    assert sorted(refused) == [
        ("para", "upper: an answer of 22,781 characters for 1,139 sent (more than 22,780: "
                 "refused)"),
        ("short", "upper: an answer of 1,001 characters for 11 sent (more than 1,000: refused)"),
        ("short again",
         "upper: an answer of 1,001 characters for 11 sent (more than 1,000: refused)"),
    ]
    assert cache.get_many("upper:en-es", [short, para.strip()]) == {}
    # just within the bound: an answer
    engine.long = {short: 1000}
    batch = DraftBatch(cache, "en")
    batch.add("short", short, engine, "es")
    batch.plan()
    assert drafted(batch) == {"short": ("x" * 1000, True)}


def test_a_refused_piece_refuses_its_text_once_whatever_its_other_pieces_get() -> None:
    engine = Verbose({"Two.": 5000}, max_chars=4)
    batch: DraftBatch[str] = DraftBatch(MTCache(":memory:"), "en")
    batch.add("t", "One. Two. Two. One.", engine, "es")  # pieces: One. Two. Two. One.
    batch.add("u", "Two.", engine, "es")
    batch.add("v", "One.", engine, "es")
    batch.plan()
    out: list[str] = []
    refused: list[str] = []
    batch.run(lambda ticket, text, intact: out.append(ticket), policy=RetryPolicy(retries=0),
              concurrency=1, on_refused=lambda ticket, error: refused.append(ticket))
    assert out == ["v"] and sorted(refused) == ["t", "u"]


def test_without_on_refused_a_refused_answer_stops_the_run() -> None:
    from locflow.mt import AnswerRefused

    engine = Verbose({"Ships wait.": 2000})
    batch: DraftBatch[str] = DraftBatch(MTCache(":memory:"), "en")
    batch.add("t", "Ships wait.", engine, "es")
    batch.plan()
    with pytest.raises(AnswerRefused, match="2,000 characters for 11 sent"):
        drafted(batch)


def test_a_cached_answer_over_the_bound_is_asked_again() -> None:
    cache = MTCache(":memory:")
    cache.put("upper:en-es", "Ships wait.", "y" * 1001)
    cache.put("upper:en-es", "Roads reopen.", "y" * 1000)
    engine = Upper()
    batch: DraftBatch[str] = DraftBatch(cache, "en")
    batch.add("a", "Ships wait.", engine, "es")
    batch.add("b", "Roads reopen.", engine, "es")
    batch.plan()
    assert (batch.cached, batch.requests) == (1, [("upper:en-es", "Ships wait.")])
    assert drafted(batch) == {"a": ("SHIPS WAIT.", True), "b": ("y" * 1000, True)}
    assert cache.get_many("upper:en-es", ["Ships wait."]) == {"Ships wait.": "SHIPS WAIT."}
