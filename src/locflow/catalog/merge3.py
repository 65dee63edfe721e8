"""Three-way merge of two versions of a PO/POT catalog against their common ancestor (pure).

This is what ``locflow merge-driver`` (git's ``%O %A %B``) runs. Git merges lines; a
catalog is a set of entries keyed by ``(msgctxt, msgid)``, and each entry has a meaning
that lines do not show. So:

- **Entries** merge as sets: one side's change wins, the same change on both sides is
  taken once, additions and removals of either side are kept. Obsolete (``#~``) entries
  merge the same way, and an entry one side made obsolete or revived keeps that status.
- **Fields** of an entry changed on both sides merge one by one: the translation, the
  ``fuzzy`` flag and the review decision together (see below); other flags and
  translator comments as sets; what the template owns (extracted comments, references,
  ``#|`` previous source, plural source) from the side that changed the template.
- **Review states by meaning.** A review decision (``locflow-approved`` or
  ``locflow-rejected``) speaks of the text it was made on: it survives only if the
  merged text is that text, and an approval only while its hash matches. So an edit on
  one side beats an approval or a rejection of the old text on the other (the approval
  goes stale, the edit wins over the rejection), and two decisions on the same text
  resolve to the newer one.
- **A changed source meets a new translation** (one side's sync changed a msgid, the
  other translated the old one): the translation moves to the new entry as ``fuzzy``
  with the old source as ``#| msgid``, the way ``msgmerge --previous`` would have
  matched it; never an unflagged translation of another text. With no similar new
  entry it is kept as an obsolete entry. Nothing translated is dropped.
- **Two different translations** are the only real conflict: the result keeps ours
  (or theirs if ours is empty) as ``fuzzy`` and records the other in a
  ``# locflow-conflict: "…"`` translator comment, so the file stays a valid catalog any
  PO editor opens.
- **The header** merges field by field; where both sides changed a field, the side
  with the newest ``PO-Revision-Date`` wins (with its ``Last-Translator``), so a header
  alone never conflicts.

Order follows the side that changed the template (the set of active msgids), else
ours; entries only the other side has go after their neighbour there. The result is
*ours* updated in place, so :func:`~locflow.catalog.pofile.dump` writes the bytes of
every entry it did not change and ``msgcat --no-wrap`` output for the others.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from ..review import (
    APPROVED_PREFIX,
    CONFLICT_PREFIX,
    REJECTED_PREFIX,
    conflict_comment,
    is_translated,
    text_hash,
)
from .merge import strip_template_comments
from .pofile import Catalog, Entry

__all__ = ["Merge3Result", "merge3"]

# A merge key: (shadow, msgctxt, msgid). shadow is 0, or counts obsolete entries whose key
# an active entry of the same file also has (gettext allows that); they merge on their own.
Key = tuple[int, str | None, str]
T = TypeVar("T")

# msgmerge's fuzzy threshold, and its slight penalty for a match from another context.
_FUZZY_CUTOFF = 60.0
_OTHER_CONTEXT_PENALTY = 0.99
_REVIEW_PREFIXES = (APPROVED_PREFIX, REJECTED_PREFIX)


@dataclass
class Merge3Result:
    """What :func:`merge3` did; ``catalog`` is *ours*, updated in place."""

    catalog: Catalog
    conflicts: list[Entry] = field(default_factory=list)  # active entries left for a person
    obsolete_conflicts: int = 0  # obsolete entries with two translations (recorded, not counted)
    from_theirs: int = 0  # entries of ours changed (or added) by the merge
    moved_to_new_source: int = 0  # translations moved to a changed msgid as fuzzy

    @property
    def clean(self) -> bool:
        return not self.conflicts


# --------------------------------------------------------------------------- values


def _value(entry: Entry) -> tuple[Any, ...]:
    """Everything an entry says, wrapping aside: equal values are the same entry."""
    return (
        entry.msgctxt, entry.msgid, entry.msgid_plural or None, _text(entry), entry.tcomment,
        entry.comment, tuple(entry.occurrences), tuple(entry.flags), entry.previous_msgctxt,
        entry.previous_msgid, entry.previous_msgid_plural, bool(entry.obsolete),
        tuple(entry.sticky),
    )


def _text(entry: Entry) -> tuple[str, ...]:
    """The translation: one string, or one per plural form."""
    if entry.msgid_plural:
        return tuple(entry.msgstr_plural[k] for k in sorted(entry.msgstr_plural))
    return (entry.msgstr,)


def _set_text(entry: Entry, text: tuple[str, ...]) -> None:
    if entry.msgid_plural:
        entry.msgstr_plural = dict(enumerate(text))
        entry.msgstr = ""
    else:
        entry.msgstr = text[0] if text else ""


def _has_text(text: tuple[str, ...]) -> bool:
    return any(text)


def _copy(entry: Entry) -> Entry:
    """A new entry with *entry*'s fields and no file bookkeeping (written canonically)."""
    fresh = Entry(
        msgid=entry.msgid,
        msgctxt=entry.msgctxt,
        msgstr=entry.msgstr,
        tcomment=entry.tcomment,
        comment=entry.comment,
        occurrences=list(entry.occurrences),
        flags=list(entry.flags),
        obsolete=bool(entry.obsolete),
        previous_msgctxt=entry.previous_msgctxt,
        previous_msgid=entry.previous_msgid,
        previous_msgid_plural=entry.previous_msgid_plural,
        sticky=list(entry.sticky),
        encoding=entry.encoding,
    )
    if entry.msgid_plural:
        fresh.msgid_plural = entry.msgid_plural
        fresh.msgstr_plural = dict(entry.msgstr_plural)
    return fresh


def _assign(target: Entry, source: Entry) -> None:
    """Give *target* (an entry of ours) every field of *source*, touching only what differs,
    so the writer keeps the lines of what did not change."""
    for name in ("msgctxt", "msgid", "msgstr", "tcomment", "comment", "previous_msgctxt",
                 "previous_msgid", "previous_msgid_plural"):
        if getattr(target, name) != getattr(source, name):
            setattr(target, name, getattr(source, name))
    if (target.msgid_plural or "") != (source.msgid_plural or ""):
        target.msgid_plural = source.msgid_plural
    if dict(target.msgstr_plural) != dict(source.msgstr_plural):
        target.msgstr_plural = dict(source.msgstr_plural)
    for name in ("occurrences", "flags", "sticky"):
        if list(getattr(target, name)) != list(getattr(source, name)):
            setattr(target, name, list(getattr(source, name)))
    if bool(target.obsolete) != bool(source.obsolete):
        target.obsolete = bool(source.obsolete)


def _pick(base: T, ours: T, theirs: T, prefer_theirs: bool = False) -> tuple[T, bool]:
    """Three-way choice of one value: (the result, whether both sides changed it differently)."""
    if ours == theirs or theirs == base:
        return ours, False
    if ours == base:
        return theirs, False
    return (theirs if prefer_theirs else ours), True


def _merge_sets(base: Sequence[T], ours: Sequence[T], theirs: Sequence[T]) -> list[T]:
    """Three-way merge of ordered sets: ours' order, theirs' additions after them;
    an item either side removed is gone."""
    if list(ours) == list(theirs) or list(theirs) == list(base):
        return list(ours)
    if list(ours) == list(base):
        return list(theirs)
    in_base, in_ours, in_theirs = set(base), set(ours), set(theirs)
    kept = [x for x in ours if not (x in in_base and x not in in_theirs)]
    return kept + [x for x in theirs if x not in in_ours and x not in in_base]


# --------------------------------------------------------------------------- entries


def _lines(entry: Entry) -> list[str]:
    return entry.tcomment.split("\n") if entry.tcomment else []


def _notes(entry: Entry) -> list[str]:
    """Translator comments other than review decisions."""
    return [line for line in _lines(entry) if not line.startswith(_REVIEW_PREFIXES)]


def _decision(entry: Entry) -> tuple[str, ...]:
    """The review decision lines (approval, rejection) of an entry."""
    return tuple(line for line in _lines(entry) if line.startswith(_REVIEW_PREFIXES))


def _decision_date(lines: Sequence[str]) -> str:
    """The date of the last decision line ("" without one); ISO dates sort as text."""
    for line in reversed(lines):
        parts = line.split(" ", 2)
        if len(parts) >= 2:
            return parts[1]
    return ""


def _fuzzy(entry: Entry) -> bool:
    return "fuzzy" in entry.flags


def _previous(entry: Entry) -> tuple[str | None, str | None, str | None]:
    return (entry.previous_msgctxt, entry.previous_msgid, entry.previous_msgid_plural)


def _merge_entry(base: Entry, ours: Entry, theirs: Entry,
                 template_theirs: bool) -> tuple[Entry, tuple[str, ...] | None]:
    """Merge two changed versions of one entry; returns the result (a new entry) and, when
    the translations conflict, the one not kept (recorded by the caller)."""
    result = _copy(ours)
    # What the template owns follows the side that changed the template.
    for name in ("comment", "previous_msgctxt", "previous_msgid", "previous_msgid_plural"):
        value, _ = _pick(getattr(base, name), getattr(ours, name), getattr(theirs, name),
                         template_theirs)
        setattr(result, name, value)
    occurrences, _ = _pick(list(base.occurrences), list(ours.occurrences),
                           list(theirs.occurrences), template_theirs)
    result.occurrences = list(occurrences)
    sticky, _ = _pick(list(base.sticky), list(ours.sticky), list(theirs.sticky), template_theirs)
    result.sticky = list(sticky)
    plural, _ = _pick(base.msgid_plural or None, ours.msgid_plural or None,
                      theirs.msgid_plural or None, template_theirs)
    result.msgid_plural = plural or ""
    # Only revival or obsoleting changes this bit, and a bit cannot conflict.
    result.obsolete, _ = _pick(bool(base.obsolete), bool(ours.obsolete), bool(theirs.obsolete))

    # The translation, its fuzzy flag and its review decision go together: whichever side's
    # text is kept, that side's flag and decision speak of it.
    t_base, t_ours, t_theirs = _text(base), _text(ours), _text(theirs)
    other: tuple[str, ...] | None = None
    agree: tuple[Entry, ...]
    if t_ours == t_theirs:
        text, agree = t_ours, (ours, theirs)
    elif t_ours == t_base:
        text, agree = t_theirs, (theirs,)
    elif t_theirs == t_base:
        text, agree = t_ours, (ours,)
    elif _has_text(t_ours):
        text, agree, other = t_ours, (ours,), t_theirs
    else:
        text, agree, other = t_theirs, (theirs,), t_ours
    if len(agree) == 2:
        fuzzy, _ = _pick(_fuzzy(base), _fuzzy(ours), _fuzzy(theirs))
        d_base, d_ours, d_theirs = _decision(base), _decision(ours), _decision(theirs)
        decision, both = _pick(d_base, d_ours, d_theirs)
        if both:  # two decisions on the same text: the newer one, with its fuzzy flag
            newer = theirs if _decision_date(d_theirs) > _decision_date(d_ours) else ours
            decision, fuzzy = _decision(newer), _fuzzy(newer)
    else:
        fuzzy, decision = _fuzzy(agree[0]), _decision(agree[0])
    if other is not None:
        fuzzy = True

    flags = _merge_sets([f for f in base.flags if f != "fuzzy"],
                        [f for f in ours.flags if f != "fuzzy"],
                        [f for f in theirs.flags if f != "fuzzy"])
    result.flags = (["fuzzy"] if fuzzy else []) + flags
    _set_text(result, text)

    notes = _merge_sets(_notes(base), _notes(ours), _notes(theirs))
    if other is not None:
        notes = [n for n in notes if not n.startswith(CONFLICT_PREFIX)]
        notes.append(conflict_comment(other))
    result.tcomment = "\n".join(notes + _current(decision, result))
    return result, other


def _current(decision: Sequence[str], entry: Entry) -> list[str]:
    """The decision lines still meaningful for *entry*'s text: a stale approval is dropped."""
    digest = f"({text_hash(entry)})"
    return [line for line in decision
            if not line.startswith(APPROVED_PREFIX) or line.rstrip().endswith(digest)]


def _added_both(ours: Entry, theirs: Entry, template_theirs: bool) -> Entry:
    """A stand-in ancestor for an entry both sides added differently (both ran sync, say).

    What both agree on is common ground; where the texts differ, a fuzzy draft on one
    side is what the other side finished (so the finished text wins), an empty text is
    what the other side filled in, and two finished texts conflict.
    """
    base = _copy(ours)  # with ours' template fields: where they differ, theirs win
    if not template_theirs:  # the base takes their template fields, so ours win
        base.comment, base.occurrences = theirs.comment, list(theirs.occurrences)
        base.sticky = list(theirs.sticky)
        base.previous_msgctxt, base.previous_msgid, base.previous_msgid_plural = _previous(theirs)
    common = set(_lines(theirs))
    base.tcomment = "\n".join(line for line in _lines(ours) if line in common)
    base.flags = [f for f in ours.flags if f in theirs.flags]
    base.obsolete = True  # if only one side has it active, active wins
    t_ours, t_theirs = _text(ours), _text(theirs)
    if t_ours != t_theirs:
        if _fuzzy(ours) and not _fuzzy(theirs) and _has_text(t_theirs):
            seed = ours
        elif _fuzzy(theirs) and not _fuzzy(ours) and _has_text(t_ours):
            seed = theirs
        else:
            seed = None
        if seed is not None:
            _set_text(base, _text(seed))
            base.flags = ["fuzzy", *(f for f in base.flags if f != "fuzzy")]
        else:
            _set_text(base, tuple("" for _ in t_ours))
    return base


# --------------------------------------------------------------------------- catalogs


def _index(catalog: Catalog) -> dict[Key, Entry]:
    out: dict[Key, Entry] = {}
    for entry in catalog.entries:
        key: Key = (0, entry.msgctxt, entry.msgid)
        if key in out:
            # gettext allows obsolete entries beside an active one with the same key
            shadow = 1
            while (shadow, entry.msgctxt, entry.msgid) in out:
                shadow += 1
            if entry.obsolete:
                out[(shadow, entry.msgctxt, entry.msgid)] = entry
                continue
            out[(shadow, entry.msgctxt, entry.msgid)] = out[key]
        out[key] = entry
    return out


def _template(catalog: Catalog) -> set[tuple[str | None, str]]:
    return {(e.msgctxt, e.msgid) for e in catalog.entries if not e.obsolete}


def _layout_obsolete_last(catalog: Catalog) -> bool:
    seen_obsolete = False
    for entry in catalog.entries:
        if entry.obsolete:
            seen_obsolete = True
        elif seen_obsolete:
            return False
    return True


def _order(first: Sequence[Key], second: Sequence[Key], wanted: set[Key]) -> list[Key]:
    """Keys in *first*'s order; keys only *second* has go after their neighbour there."""
    placed = set(first)
    after: dict[Key | None, list[Key]] = {}
    anchor: Key | None = None
    for key in second:
        if key not in placed:
            after.setdefault(anchor, []).append(key)
            placed.add(key)
        anchor = key
    out: list[Key] = []

    def emit(key: Key | None) -> None:
        stack = list(reversed(after.get(key, [])))
        while stack:
            item = stack.pop()
            out.append(item)
            stack.extend(reversed(after.get(item, [])))

    emit(None)
    for key in first:
        out.append(key)
        emit(key)
    return [k for k in out if k in wanted]


def _similar(old: Entry, pool: Sequence[Entry]) -> Entry | None:
    """The entry of *pool* whose source is most like *old*'s (msgmerge's measure and
    threshold), if any."""
    if not pool:
        return None
    from rapidfuzz import fuzz, process

    best: Entry | None = None
    best_score = _FUZZY_CUTOFF
    by_context: dict[str | None, list[Entry]] = {}
    for entry in pool:
        by_context.setdefault(entry.msgctxt, []).append(entry)
    for context, group in by_context.items():
        penalty = 1.0 if context == old.msgctxt else _OTHER_CONTEXT_PENALTY
        found = process.extractOne(old.msgid, [e.msgid for e in group], scorer=fuzz.ratio,
                                   score_cutoff=best_score / penalty)
        if found is not None and (best is None or found[1] * penalty > best_score):
            best, best_score = group[found[2]], found[1] * penalty
    return best


def _fuzzy_transfer(target: Entry, old_base: Entry, old_changed: Entry) -> Entry:
    """*target* (a new entry of the side that changed the source) with the translation the
    other side made of the old source, as fuzzy with that source as ``#|``."""
    moved = _copy(target)
    text = _text(old_changed)
    if moved.msgid_plural and not old_changed.msgid_plural:
        text = tuple(text[0] for _ in _text(moved))
    elif old_changed.msgid_plural and not moved.msgid_plural:
        text = text[:1]
    _set_text(moved, text)
    moved.flags = ["fuzzy", *(f for f in moved.flags if f != "fuzzy")]
    notes = _merge_sets(_notes(old_base), _notes(target), _notes(old_changed))
    moved.tcomment = "\n".join(notes)  # review decisions spoke of the old source
    if old_base.previous_msgid is not None and "fuzzy" in old_base.flags:
        moved.previous_msgctxt, moved.previous_msgid, moved.previous_msgid_plural = (
            _previous(old_base))
    else:
        moved.previous_msgctxt = old_base.msgctxt
        moved.previous_msgid = old_base.msgid
        moved.previous_msgid_plural = old_base.msgid_plural or None
    return moved


def merge3(base: Catalog, ours: Catalog, theirs: Catalog) -> Merge3Result:
    """Merge *theirs* into *ours* (in place) against their common ancestor *base*.

    Returns the updated catalog with the conflicts a person must resolve: entries whose
    two translations differ, left ``fuzzy`` with the other one in a
    ``locflow-conflict`` comment.
    """
    result = Merge3Result(ours)
    b_index, o_index, t_index = _index(base), _index(ours), _index(theirs)
    template_base = _template(base)
    template_theirs = _template(theirs) != template_base and _template(ours) == template_base

    merged: dict[Key, Entry] = {}
    orphans: list[tuple[Key, bool]] = []  # deleted on one side, changed on the other
    for key in {**b_index, **o_index, **t_index}:
        b, o, t = b_index.get(key), o_index.get(key), t_index.get(key)
        if o is None and t is None:
            continue
        if o is None or t is None:
            present = o if o is not None else t
            assert present is not None
            if b is None:
                merged[key] = present  # added on one side
            elif _value(present) != _value(b):
                orphans.append((key, o is None))  # deleted on one side, changed on the other
            continue  # else: deleted on one side, untouched on the other
        vo, vt = _value(o), _value(t)
        if vo == vt:
            merged[key] = o
            continue
        ancestor = b if b is not None else _added_both(o, t, template_theirs)
        vb = _value(ancestor)
        if vb == vo:
            merged[key] = t
        elif vb == vt:
            merged[key] = o
        else:
            entry, other = _merge_entry(ancestor, o, t, template_theirs)
            merged[key] = entry
            if other is not None:
                if entry.obsolete:
                    result.obsolete_conflicts += 1
                else:
                    result.conflicts.append(entry)

    _place_orphans(orphans, b_index, o_index, t_index, merged, result)

    # Order, then write the result into ours.
    first, second = (t_index, o_index) if template_theirs else (o_index, t_index)
    keys = _order(_in_file_order(first), _in_file_order(second), set(merged))
    foreign = {id(e) for e in theirs.entries}
    entries: list[Entry] = []
    for key in keys:
        chosen = merged[key]
        mine = o_index.get(key)
        if mine is not None:
            if chosen is not mine and _value(chosen) != _value(mine):
                result.from_theirs += 1
                _assign(mine, chosen)
            entries.append(mine)
        else:
            result.from_theirs += 1
            entries.append(_copy(chosen) if id(chosen) in foreign else chosen)
    if _layout_obsolete_last(theirs if template_theirs else ours):
        entries = [e for e in entries if not e.obsolete] + [e for e in entries if e.obsolete]
    ours.entries = entries
    _merge_header(base, ours, theirs)
    return result


def _in_file_order(index: dict[Key, Entry]) -> list[Key]:
    return sorted(index, key=lambda key: index[key].line)


def _place_orphans(
    orphans: Iterable[tuple[Key, bool]],
    b_index: dict[Key, Entry],
    o_index: dict[Key, Entry],
    t_index: dict[Key, Entry],
    merged: dict[Key, Entry],
    result: Merge3Result,
) -> None:
    """Entries one side deleted and the other changed.

    The deleting side's sync removed the old source: a translation the other side made
    of it moves to the most similar new entry of the deleting side as fuzzy (as
    ``msgmerge --previous`` would have done); failing that it is kept as an obsolete
    entry (when there is translation work in it), as msgmerge keeps old translations.
    """
    for key, deleted_by_ours in orphans:
        old = b_index[key]
        changed = (t_index if deleted_by_ours else o_index)[key]
        deleter = o_index if deleted_by_ours else t_index
        if old.obsolete:
            merged[key] = changed  # an obsolete entry edited or revived: the change wins
            continue
        target = None
        if not changed.obsolete and is_translated(changed) and _text(changed) != _text(old):
            target = _new_source_for(old, b_index, deleter, merged)
        if target is not None:
            new_key, new_entry = target
            merged[new_key] = _fuzzy_transfer(new_entry, old, changed)
            result.moved_to_new_source += 1
        elif is_translated(changed) or _notes(changed):
            kept = _copy(changed)
            kept.obsolete = True
            strip_template_comments(kept)  # as msgmerge and sync write obsolete entries
            merged[key] = kept


def _new_source_for(old: Entry, b_index: dict[Key, Entry], deleter: dict[Key, Entry],
                    merged: dict[Key, Entry]) -> tuple[Key, Entry] | None:
    """The entry the deleting side's sync made of *old*'s source, if it can take the other
    side's translation: one it added, whose text is still what it inherited from *old*."""
    candidates: list[tuple[Key, Entry]] = []
    for key, entry in deleter.items():
        if key in b_index or entry.obsolete or key[0]:
            continue
        current = merged.get(key)
        if current is None or current is not entry:
            continue  # gone, or already merged with something else
        inherited = _text(old) if _fuzzy(entry) else tuple("" for _ in _text(entry))
        if _text(entry) != inherited and _has_text(_text(entry)):
            continue  # translated on its own: that work stays, the old one goes obsolete
        if (entry.previous_msgctxt, entry.previous_msgid) in (
            (old.msgctxt, old.msgid), (old.previous_msgctxt, old.previous_msgid)
        ) and entry.previous_msgid is not None:
            return key, entry  # sync recorded this very change
        candidates.append((key, entry))
    best = _similar(old, [entry for _, entry in candidates])
    if best is None:
        return None
    return next((key, entry) for key, entry in candidates if entry is best)


# --------------------------------------------------------------------------- header

_DATE_FIELDS = ("PO-Revision-Date", "Last-Translator")


def _header_fields(header: Entry) -> dict[str, tuple[str, str]]:
    """Header lines by field name: name -> (value, the line as written)."""
    out: dict[str, tuple[str, str]] = {}
    for line in header.msgstr.split("\n"):
        if not line:
            continue
        name, sep, value = line.partition(":")
        out[name.strip() if sep else line] = (value.strip(), line)
    return out


def _date(value: str | None) -> dt.datetime | None:
    """A header date (``2024-11-05 10:30+0000``); None for placeholders and nonsense."""
    if not value:
        return None
    try:
        return dt.datetime.strptime(value.strip(), "%Y-%m-%d %H:%M%z")
    except ValueError:
        return None


def _newer(a: str | None, b: str | None) -> bool:
    """True when date *b* is strictly newer than date *a*."""
    da, db = _date(a), _date(b)
    return db is not None and (da is None or db > da)


def _merge_header(base: Catalog, ours: Catalog, theirs: Catalog) -> None:
    """Merge the headers field by field into ours; never a conflict."""
    if theirs.header is None:
        return
    if ours.header is None:
        ours.header = _copy(theirs.header)
        return
    b_head = base.header if base.header is not None else Entry(msgid="", msgstr="")
    if _value(ours.header) == _value(theirs.header) or _value(theirs.header) == _value(b_head):
        return
    fb, fo, ft = _header_fields(b_head), _header_fields(ours.header), _header_fields(theirs.header)

    def value(fields: dict[str, tuple[str, str]], name: str) -> str | None:
        return fields[name][0] if name in fields else None

    revision = "PO-Revision-Date"
    r_base, r_ours, r_theirs = value(fb, revision), value(fo, revision), value(ft, revision)
    theirs_newest = _newer(r_ours, r_theirs)
    lines: list[str] = []
    for name in [*fo, *(n for n in ft if n not in fo)]:
        vb, vo, vt = value(fb, name), value(fo, name), value(ft, name)
        if name in _DATE_FIELDS and r_ours != r_theirs:
            # A revision brings its translator: from the side that revised, or the newest.
            if r_ours == r_base:
                chosen = vt
            elif r_theirs == r_base:
                chosen = vo
            else:
                chosen = vt if theirs_newest else vo
            use_theirs = chosen == vt and chosen != vo
        else:
            prefer = _newer(vo, vt) if name == "POT-Creation-Date" else theirs_newest
            chosen, _ = _pick(vb, vo, vt, prefer)
            use_theirs = chosen != vo
        if chosen is not None:
            lines.append(ft[name][1] if use_theirs else fo[name][1])
    msgstr = "".join(line + "\n" for line in lines)
    tcomment = "\n".join(_merge_sets(_lines(b_head), _lines(ours.header), _lines(theirs.header)))
    flags = _merge_sets(b_head.flags, ours.header.flags, theirs.header.flags)
    if msgstr != ours.header.msgstr:
        ours.header.msgstr = msgstr
    if tcomment != ours.header.tcomment:
        ours.header.tcomment = tcomment
    if flags != list(ours.header.flags):
        ours.header.flags = flags
