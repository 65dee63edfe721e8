"""Pre-filling untranslated entries from the memory (before any machine translation).

For each entry with no translation at all (entries with any text are never
touched), in this order:

1. **exact**: a whole entry of the memory has the same source. An approved
   translation becomes ``translated`` (awaiting review; ``[memory] exact =
   "fuzzy"`` makes it a draft); any other exact match becomes ``fuzzy``.
2. **fuzzy**: the most similar whole entry scoring at least the threshold
   (default 75 %) becomes ``fuzzy``, with the matched source as ``#| msgid``, so
   the translator's editor shows what differs.
3. **sentences**: the entry's sentences are looked up one by one (among whole
   one-sentence entries and the aligned sentences of translated paragraphs); the
   matched ones are put together, in order, with the others left in the source
   language, into a ``fuzzy`` draft.

Each draft carries a provenance comment (:mod:`locflow.provenance`) naming the
article (or imported file) it came from, its score and, for sentence drafts,
which sentences came from memory: ``# locflow-draft: memory 62% vote 2024-11-05
(3f2a9c1b7d0e); sentences 1,3/4; draft 9c1b7d0e3f2a``. The ``draft`` note is the
hash of the text drafted: once a person changes the text, the provenance no longer
speaks for it.

A lookup that found nothing is remembered in the memory's index with the locale's
generation (:meth:`MemoryStore.remember_misses`): until a memory of that locale is
added, changed or removed, the same text is not looked up again. A sync of a large
project after a small edit then only searches for the texts that are new.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from ..catalog.pofile import Entry
from ..provenance import Provenance, draft_hash, set_provenance, source_hash
from ..sentences import join_sentences, split_sentences
from .store import Match, MemoryStore

PrefillKind = Literal["exact", "fuzzy", "sentences"]
_UNSAFE_ORIGIN = re.compile(r"[\s;()]+")


@dataclass(frozen=True)
class PrefillSettings:
    """``[memory]`` of ``locflow.toml``."""

    source_locale: str = "en"
    exact: Literal["translated", "fuzzy"] = "translated"
    threshold: float = 75.0  # percent
    sentences: bool = True


@dataclass(frozen=True)
class PrefillStats:
    exact: int = 0  # exact matches (translated or fuzzy)
    fuzzy: int = 0  # fuzzy whole-entry matches
    sentences: int = 0  # drafts assembled from sentences

    @property
    def total(self) -> int:
        return self.exact + self.fuzzy + self.sentences

    def __add__(self, other: PrefillStats) -> PrefillStats:
        return PrefillStats(
            self.exact + other.exact, self.fuzzy + other.fuzzy, self.sentences + other.sentences
        )


def needs_prefill(entry: Entry) -> bool:
    """An active singular entry without any translation."""
    if entry.obsolete or not entry.msgid or entry.msgid_plural:
        return False
    return not entry.msgstr


def _origin(match: Match) -> str:
    return _UNSAFE_ORIGIN.sub("-", match.origin) or "memory"


def _drafted(entry: Entry) -> str:
    """The ``draft`` note: the provenance describes this text, not what a person makes
    of it later (:func:`~locflow.provenance.holds_draft`)."""
    return f"draft {draft_hash(entry.msgstr)}"


def _set_draft(entry: Entry, text: str, *, fuzzy: bool) -> None:
    entry.msgstr = text
    flags = [f for f in entry.flags if f != "fuzzy"]
    entry.flags = ["fuzzy", *flags] if fuzzy else flags


def prefill_entry(
    entry: Entry, store: MemoryStore, locale: str, settings: PrefillSettings, date: str
) -> PrefillKind | None:
    """Fill *entry* from the memory if it needs it and a match exists; say how."""
    if not needs_prefill(entry):
        return None
    digest = source_hash(entry.msgctxt, entry.msgid)
    exact = store.exact(entry.msgid, locale, levels=("entry",))
    if exact:
        best = exact[0]
        translated = best.approved and settings.exact == "translated"
        _set_draft(entry, best.target, fuzzy=not translated)
        set_provenance(entry, Provenance("memory", _origin(best), date, digest, 100,
                                         (_drafted(entry),)))
        return "exact"
    found = store.best(entry.msgid, locale, min_score=settings.threshold, levels=("entry",))
    if found is not None:
        _set_draft(entry, found.target, fuzzy=True)
        entry.previous_msgid = found.source
        entry.previous_msgctxt = found.context
        set_provenance(entry, Provenance("memory", _origin(found), date, digest, int(found.score),
                                         (_drafted(entry),)))
        return "fuzzy"
    if settings.sentences and _prefill_sentences(entry, store, locale, settings, date, digest):
        return "sentences"
    return None


def sentence_matches(
    text: str, store: MemoryStore, locale: str, settings: PrefillSettings
) -> tuple[list[str], list[Match | None]]:
    """The sentences of *text* and the best memory of each (None where there is none)."""
    sentences = split_sentences(text, settings.source_locale)
    return sentences, [store.best(s, locale, min_score=settings.threshold) for s in sentences]


def _prefill_sentences(
    entry: Entry,
    store: MemoryStore,
    locale: str,
    settings: PrefillSettings,
    date: str,
    digest: str,
) -> bool:
    sentences, matches = sentence_matches(entry.msgid, store, locale, settings)
    if not any(matches):
        return False
    draft = join_sentences(
        [m.target if m else s for s, m in zip(sentences, matches, strict=True)], locale
    )
    previous = join_sentences(
        [m.source if m else s for s, m in zip(sentences, matches, strict=True)],
        settings.source_locale,
    )
    total = sum(len(s) for s in sentences)
    score = sum(len(s) * m.score for s, m in zip(sentences, matches, strict=True) if m) / total
    # the origin named is the one the most text came from
    weight: dict[str, int] = {}
    for s, m in zip(sentences, matches, strict=True):
        if m:
            weight[_origin(m)] = weight.get(_origin(m), 0) + len(s)
    origin = max(sorted(weight), key=lambda name: weight[name])
    numbers = ",".join(str(i) for i, m in enumerate(matches, start=1) if m)
    _set_draft(entry, draft, fuzzy=True)
    if previous != entry.msgid:
        entry.previous_msgid = previous
        entry.previous_msgctxt = entry.msgctxt
    note = f"sentences {numbers}/{len(sentences)}"
    set_provenance(entry, Provenance("memory", origin, date, digest, int(score),
                                     (note, _drafted(entry))))
    return True


def prefill_entries(
    entries: Sequence[Entry],
    store: Callable[[], MemoryStore],
    locale: str,
    settings: PrefillSettings,
    date: str,
) -> PrefillStats:
    """Pre-fill every entry of *entries* that needs it; *store* is called only if one does."""
    todo = [e for e in entries if needs_prefill(e)]
    if not todo:
        return PrefillStats()
    memory = store()
    if not memory.has_locale(locale):
        return PrefillStats()
    generation = memory.generation(locale)
    keys = [miss_key(entry.msgid, settings) for entry in todo]
    known = memory.known_misses(locale, keys)
    counts = {"exact": 0, "fuzzy": 0, "sentences": 0}
    missed: list[str] = []
    for entry, key in zip(todo, keys, strict=True):
        if key in known:
            continue
        kind = prefill_entry(entry, memory, locale, settings, date)
        if kind is None:
            missed.append(key)
        else:
            counts[kind] += 1
    memory.remember_misses(locale, missed, generation)
    return PrefillStats(**counts)


def miss_key(text: str, settings: PrefillSettings) -> str:
    """What a lookup of *text* depends on besides the memory: the text and the settings
    that decide a match (how a match is stored does not)."""
    what = repr((settings.source_locale, settings.threshold, settings.sentences, text))
    return hashlib.sha256(what.encode("utf-8", "surrogatepass")).hexdigest()
