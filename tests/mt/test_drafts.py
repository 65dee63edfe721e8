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
