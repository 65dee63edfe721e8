"""Merge a fresh template into an existing catalog, the way ``msgmerge --previous`` does (pure).

- An exact (msgctxt, msgid) match keeps its translation, flags and comments; an
  obsolete entry that matches exactly comes back to life. If the text became a
  plural, stopped being one or changed its plural, the translation is kept as
  fuzzy (every plural form gets the singular translation; a singular gets form 0).
- A changed text is fuzzy-matched (Indel similarity, msgmerge's measure) to the
  most similar old translated entry. It gets the old translation, the ``fuzzy``
  flag and the old source as ``#| msgid``, so translators see what changed.
- An old translated entry no new text uses becomes obsolete (``#~``), translation
  kept; an untranslated one is dropped, as msgmerge does.
- Review comments are dropped from fuzzy-matched entries: they spoke of another text.
- As in msgmerge, ``#|`` previous fields stay on fuzzy entries only (a translator
  who cleared fuzzy is done with them), and obsolete entries keep no ``#.`` or
  ``#:`` comments. A rejection a translator has since fixed becomes a
  ``locflow-history`` line (:func:`locflow.review.retire_rejection`).

Entries keep their object identity when nothing about them changes, so the
writer emits their original bytes: a merge of unchanged sources is a no-op.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from ..errors import CatalogError
from ..model import Segment
from ..review import is_translated, keep_previous, retire_rejection, strip_review
from .pofile import Catalog, Entry

# msgmerge lowers the weight of a candidate from another context slightly.
_OTHER_CONTEXT_PENALTY = 0.99


@dataclass(frozen=True)
class MergeStats:
    """What a merge did to one catalog."""

    kept: int = 0  # exact matches
    fuzzy: int = 0  # changed texts that got an old translation as fuzzy
    new: int = 0  # texts with no translation yet
    obsoleted: int = 0  # old entries moved to #~
    revived: int = 0  # obsolete entries matched again

    @property
    def changed(self) -> bool:
        return bool(self.fuzzy or self.new or self.obsoleted or self.revived)


def template_entry(segment: Segment, nplurals: int = 2) -> Entry:
    """The untranslated entry for *segment*; plural entries get *nplurals* empty forms
    (2 in a POT, as xgettext writes)."""
    entry = Entry(
        msgid=segment.msgid,
        msgctxt=segment.context,
        msgstr="",
        comment=segment.kind if segment.kind else "",
        flags=list(segment.flags),
        occurrences=[_split_reference(ref) for ref in segment.references],
    )
    if segment.msgid_plural:
        entry.msgid_plural = segment.msgid_plural
        entry.msgstr_plural = dict.fromkeys(range(nplurals), "")
    return entry


def _split_reference(ref: str) -> tuple[str, str]:
    path, _, line = ref.rpartition(":")
    return (path, line) if path and line.isdigit() else (ref, "")


def _update_from_segment(entry: Entry, segment: Segment) -> None:
    """Refresh what the template owns (extracted comment, references, format flags)."""
    comment = segment.kind or ""
    if entry.comment != comment:
        entry.comment = comment
    occurrences = [_split_reference(ref) for ref in segment.references]
    if entry.occurrences != occurrences:
        entry.occurrences = occurrences
    # Format flags describe the source text, so the template owns them (as in msgmerge);
    # fuzzy and any other flag stay as the translator left them.
    kept = [f for f in entry.flags if not f.endswith("-format")]
    wanted = kept + [f for f in segment.flags if f not in kept]
    if wanted != entry.flags:
        entry.flags = wanted
    if (segment.msgid_plural or None) != (entry.msgid_plural or None):
        entry.msgid_plural = segment.msgid_plural or ""


def _settle(entry: Entry) -> None:
    """What msgmerge tidies on a kept entry, and stale rejections.

    ``#|`` previous fields only make sense on a fuzzy entry: once a translator
    cleared fuzzy they are gone, as msgmerge drops them.
    """
    if "fuzzy" not in entry.flags and (
        entry.previous_msgid is not None
        or entry.previous_msgid_plural is not None
        or entry.previous_msgctxt is not None
    ):
        entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None
    retire_rejection(entry)


def strip_template_comments(entry: Entry) -> None:
    """An obsolete entry keeps no ``#.`` or ``#:`` lines: msgmerge drops them too."""
    if entry.comment:
        entry.comment = ""
    if entry.occurrences:
        entry.occurrences = []


def _fuzzy_entry(segment: Segment, old: Entry, nplurals: int) -> Entry:
    entry = template_entry(segment, nplurals)
    if segment.msgid_plural:
        if old.msgid_plural:
            entry.msgstr_plural = dict(old.msgstr_plural)
        else:
            entry.msgstr_plural = dict.fromkeys(range(nplurals), old.msgstr)
    elif old.msgid_plural:
        entry.msgstr = old.msgstr_plural.get(0, "")
    else:
        entry.msgstr = old.msgstr
    entry.tcomment = old.tcomment
    keep_previous(old, entry)  # what was approved stays verifiable (living articles)
    strip_review(entry)
    entry.flags = ["fuzzy", *(f for f in entry.flags if f != "fuzzy")]
    # Keep the source the translation was made for: an already-fuzzy old entry
    # points further back than its own msgid.
    if old.previous_msgid:
        entry.previous_msgid = old.previous_msgid
        entry.previous_msgid_plural = old.previous_msgid_plural
        entry.previous_msgctxt = old.previous_msgctxt
    else:
        entry.previous_msgid = old.msgid
        entry.previous_msgid_plural = old.msgid_plural or None
        entry.previous_msgctxt = old.msgctxt
    return entry


#: No language has more plural forms than this (Arabic has 6); a larger nplurals in a
#: catalog header is an error, not a reason to build millions of empty forms.
MAX_PLURALS = 20


def _nplurals(catalog: Catalog) -> int:
    forms = catalog.metadata().get("Plural-Forms", "")
    for part in forms.split(";"):
        name, _, value = part.strip().partition("=")
        if name.strip() == "nplurals" and value.strip().isdigit():
            count = int(value.strip())
            if not 1 <= count <= MAX_PLURALS:
                raise CatalogError(
                    f"Plural-Forms: nplurals must be between 1 and {MAX_PLURALS}",
                    path=catalog.path, line=catalog.header.line if catalog.header else None)
            return count
    return 2


def _best_fuzzy(
    segment: Segment, by_context: dict[str | None, list[Entry]], cutoff: float
) -> Entry | None:
    """The most similar translated old entry scoring at least *cutoff* (0-100), if any."""
    from rapidfuzz import fuzz, process

    best: Entry | None = None
    best_score = cutoff
    for context, pool in by_context.items():
        penalty = 1.0 if context == segment.context else _OTHER_CONTEXT_PENALTY
        found = process.extractOne(
            segment.msgid,
            [e.msgid for e in pool],
            scorer=fuzz.ratio,
            score_cutoff=best_score / penalty,
        )
        if found is not None and (best is None or found[1] * penalty > best_score):
            best, best_score = pool[found[2]], found[1] * penalty
    return best


# What _merge_text made of a template text (a MergeStats field).
_Outcome = Literal["kept", "fuzzy", "new", "revived"]


def merge(catalog: Catalog, template: Sequence[Segment], *, threshold: float = 0.6) -> MergeStats:
    """Bring *catalog* in line with *template*, in place; return what changed.

    *threshold* is the minimum similarity (0–1) for a fuzzy match; msgmerge uses 0.6.
    A text the template holds twice (same msgctxt and msgid) gives one entry, as
    xgettext and msguniq make it: two would be a catalog msgfmt refuses.
    """
    texts = _unique_texts(template)
    old_entries = list(catalog.entries)
    by_context = _fuzzy_sources(old_entries)
    cutoff = threshold * 100
    nplurals = _nplurals(catalog)
    # Exact matches first, so that a text used as a fuzzy source for a new
    # neighbour still keeps its own entry.
    matched, used = _exact_matches(texts, old_entries)
    new_active: list[Entry] = []
    counts: dict[_Outcome, int] = {"kept": 0, "fuzzy": 0, "new": 0, "revived": 0}
    for position, segment in enumerate(texts):
        entry, outcome = _merge_text(segment, matched.get(position), by_context, cutoff,
                                     nplurals, used)
        new_active.append(entry)
        counts[outcome] += 1
    obsolete, obsoleted = _retire_unused(old_entries, used)
    catalog.entries = new_active + obsolete
    return MergeStats(kept=counts["kept"], fuzzy=counts["fuzzy"], new=counts["new"],
                      obsoleted=obsoleted, revived=counts["revived"])


def _unique_texts(template: Sequence[Segment]) -> list[Segment]:
    """*template* without repeated (msgctxt, msgid) texts: the first of each stays."""
    unique: dict[tuple[str | None, str], Segment] = {}
    for segment in template:
        unique.setdefault((segment.context, segment.msgid), segment)
    return list(unique.values())


def _fuzzy_sources(old_entries: list[Entry]) -> dict[str | None, list[Entry]]:
    """The translated old entries a changed text may take a translation from, by msgctxt."""
    by_context: dict[str | None, list[Entry]] = {}
    for entry in old_entries:
        if is_translated(entry) and entry.msgid:
            by_context.setdefault(entry.msgctxt, []).append(entry)
    return by_context


def _exact_matches(texts: list[Segment], old_entries: list[Entry]
                   ) -> tuple[dict[int, Entry], set[int]]:
    """The old entry with the same (msgctxt, msgid) as each text (by position in *texts*),
    and the ids of those entries (each is matched once)."""
    exact: dict[tuple[str | None, str], Entry] = {}
    for entry in old_entries:
        # an active entry wins over an obsolete one with the same key
        if entry.key not in exact or exact[entry.key].obsolete:
            exact[entry.key] = entry
    matched: dict[int, Entry] = {}
    used: set[int] = set()
    for position, segment in enumerate(texts):
        match = exact.get((segment.context, segment.msgid))
        if match is not None and id(match) not in used:
            matched[position] = match
            used.add(id(match))
    return matched, used


def _merge_text(segment: Segment, match: Entry | None, by_context: dict[str | None, list[Entry]],
                cutoff: float, nplurals: int, used: set[int]) -> tuple[Entry, _Outcome]:
    """The entry for one template text, given its exact *match* (if any), and what it is.

    Without a match, the most similar translated old entry (see :func:`_best_fuzzy`) gives
    a fuzzy translation, and joins *used*.
    """
    if match is not None and (match.msgid_plural or None) != (segment.msgid_plural or None):
        return _replural(segment, match, nplurals)
    if match is not None:
        outcome: _Outcome = "kept"
        if match.obsolete:
            match.obsolete = False
            outcome = "revived"
        _update_from_segment(match, segment)
        _settle(match)
        return match, outcome
    best = _best_fuzzy(segment, by_context, cutoff)
    if best is not None:
        used.add(id(best))
        return _fuzzy_entry(segment, best, nplurals), "fuzzy"
    return template_entry(segment, nplurals), "new"


def _replural(segment: Segment, match: Entry, nplurals: int) -> tuple[Entry, _Outcome]:
    """The entry for a text that became (or stopped being, or changed) a plural.

    msgmerge keeps the translation as fuzzy, with the old msgid/msgid_plural as "#|".
    """
    if is_translated(match) or any(match.msgstr_plural.values()):
        return _fuzzy_entry(segment, match, nplurals), "fuzzy"
    fresh = template_entry(segment, nplurals)
    fresh.tcomment = match.tcomment
    return fresh, "new"


def _retire_unused(old_entries: list[Entry], used: set[int]) -> tuple[list[Entry], int]:
    """The obsolete entries after the merge, and how many of them were active before.

    An old entry no text used becomes obsolete if it holds a translator's work, and is
    dropped otherwise; obsolete ones stay. None keeps ``#.`` or ``#:`` lines.
    """
    obsolete: list[Entry] = []
    obsoleted = 0
    for entry in old_entries:
        if id(entry) in used:
            continue
        if entry.obsolete:
            strip_template_comments(entry)
            obsolete.append(entry)
        elif is_translated(entry) or entry.tcomment:  # a translator's note is work too
            entry.obsolete = True
            strip_template_comments(entry)
            obsolete.append(entry)
            obsoleted += 1
    return obsolete, obsoleted
