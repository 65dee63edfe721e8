"""Review states of catalog entries, and the approve/reject transitions (pure).

msgmerge and Poedit drop flags they do not know, but every PO tool keeps
translator comments, so review decisions live there:

``# locflow-approved: 2024-11-05 desk-editor (3f2a9c1b7d0e)``
    an editor approved this exact text; the hash covers msgctxt, msgid,
    msgid_plural and every msgstr. When any of them changes (a translator edits
    the text in Poedit, the source changes) the approval is *stale* and the
    entry counts as translated again.
``# locflow-approved: 2024-11-05 desk-editor (3f2a9c1b7d0e) override: numbers``
    the editor approved the text although the named checks report errors on
    it (``review approve --force``); the override holds for this exact text
    only and silences those checks as long as the approval is current.
``# locflow-rejected: 2024-11-05 desk-editor (3f2a9c1b7d0e): the number is wrong``
    together with the ``fuzzy`` flag: an editor sent the text back (the hash
    is the text's; comments without it, from older versions, read the same).
    Translators see the comment in their editor; fixing the text and clearing
    fuzzy makes the entry translated, and the next ``sync`` or review turns
    the comment into ``# locflow-history: rejected 2024-11-05 desk-editor: …``.
``# locflow-conflict: "the other branch's translation"``
    together with ``fuzzy``: ``locflow merge-driver`` met two different
    translations of the entry; the msgstr holds one, the comment the other (a
    JSON string, or a JSON list of strings for the plural forms). Resolving it
    means editing the text and deleting the comment; until then
    ``locflow check`` reports a ``conflict``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .errors import InputError
from .model import ReviewState

if TYPE_CHECKING:
    import polib

APPROVED_PREFIX = "locflow-approved:"
REJECTED_PREFIX = "locflow-rejected:"
CONFLICT_PREFIX = "locflow-conflict:"
_APPROVED = re.compile(
    r"^locflow-approved: (\d{4}-\d{2}-\d{2}) ([^()]+) \(([0-9a-f]{12})\)"
    r"(?: override: ([\w\-]+(?:, [\w\-]+)*))?\s*$"
)
OVERRIDE_MARK = "override:"
_REJECTED = re.compile(
    r"^locflow-rejected: (\d{4}-\d{2}-\d{2}) ([^:()]+?)(?: \(([0-9a-f]{12})\))?: ?(.*)$"
)
HISTORY_PREFIX = "locflow-history:"


@dataclass(frozen=True)
class Approval:
    date: str
    reviewer: str
    text_hash: str
    override: tuple[str, ...] = ()  # checks the editor overrode (``approve --force``)


@dataclass(frozen=True)
class Rejection:
    date: str
    reviewer: str
    reason: str
    text_hash: str | None = None  # the text rejected (None in comments before the hash)


def text_hash(entry: polib.POEntry) -> str:
    """12 hex digits of SHA-256 over the entry's msgctxt, msgid, msgid_plural and msgstr(s)."""
    parts = [entry.msgctxt or "", entry.msgid, entry.msgid_plural or ""]
    if entry.msgid_plural:
        parts += [entry.msgstr_plural[k] for k in sorted(entry.msgstr_plural)]
    else:
        parts.append(entry.msgstr)
    return _digest(parts)


def _digest(parts: list[str]) -> str:
    return hashlib.sha256("\x00".join(parts).encode("utf-8")).hexdigest()[:12]


def _comment_lines(entry: polib.POEntry) -> list[str]:
    return entry.tcomment.split("\n") if entry.tcomment else []


def _last_match(entry: polib.POEntry, pattern: re.Pattern[str]) -> tuple[str, ...] | None:
    """The groups of the last translator-comment line matching *pattern*."""
    found = None
    for line in _comment_lines(entry):
        match = pattern.match(line)
        if match:
            found = match.groups()
    return found


def parse_approval(line: str) -> Approval | None:
    """The approval one translator-comment line records, or None if it records none.

    *line* is the comment's text as the entry holds it (``# `` taken off). This is the
    one reader of approval lines: the review state and the verifier of who approved
    (:mod:`locflow.approvals`) both go through it, so they never read different lines.

    >>> parse_approval("locflow-approved: 2024-11-05 Ana Ruiz (3f2a9c1b7d0e) override: urls")
    Approval(date='2024-11-05', reviewer='Ana Ruiz', text_hash='3f2a9c1b7d0e', override=('urls',))
    >>> parse_approval("locflow-approved: 2024-11-05 Ana Ruiz") is None  # no hash: none
    True
    >>> parse_approval("\tlocflow-approved: 2024-11-05 Ana Ruiz (3f2a9c1b7d0e)") is None
    True
    """
    match = _APPROVED.match(line)
    if match is None:
        return None
    date, reviewer, digest, override = match.groups()
    return Approval(date, reviewer, digest, tuple(override.split(", ")) if override else ())


def counted_approval(lines: Iterable[str]) -> tuple[int, Approval] | None:
    """The approval that counts among an entry's translator-comment *lines* (the last
    one :func:`parse_approval` reads), with its index in *lines*; None if there is none.

    >>> counted_approval(["locflow-approved: 2024-11-05 Ana (3f2a9c1b7d0e)",
    ...                   "locflow-approved: 2024-11-06 Bob", "a note"])
    (0, Approval(date='2024-11-05', reviewer='Ana', text_hash='3f2a9c1b7d0e', override=()))
    """
    found = None
    for index, line in enumerate(lines):
        parsed = parse_approval(line)
        if parsed is not None:
            found = (index, parsed)
    return found


def approves_text(lines: Sequence[str], msgctxt: str | None, msgid: str, msgstr: str) -> bool:
    """Whether the approval that counts among translator-comment *lines* is current for a
    singular entry with these texts: what :func:`entry_state` checks of a translated
    entry (for readers that have the texts but build no entry).

    >>> approves_text(["locflow-approved: 2024-11-05 Ana (ff3b7a776744)"], None, "Yes.", "Sí.")
    True
    """
    for line in reversed(lines):  # the last approval counts (counted_approval())
        match = _APPROVED.match(line)
        if match is not None:
            return match.group(3) == _hash_of(msgctxt, msgid, msgstr)
    return False


def approval(entry: polib.POEntry) -> Approval | None:
    """The entry's approval that counts (:func:`counted_approval`), stale or not."""
    if APPROVED_PREFIX not in entry.tcomment:  # (most entries: no line to match)
        return None
    found = counted_approval(_comment_lines(entry))
    return found[1] if found is not None else None


def rejection(entry: polib.POEntry) -> Rejection | None:
    """The entry's last rejection comment, if any."""
    if REJECTED_PREFIX not in entry.tcomment:
        return None
    groups = _last_match(entry, _REJECTED)
    if not groups:
        return None
    date, reviewer, digest, reason = groups
    return Rejection(date, reviewer, reason, digest)


def has_conflict(entry: polib.POEntry) -> bool:
    """True when a merge left a ``locflow-conflict`` comment on the entry."""
    return CONFLICT_PREFIX in entry.tcomment and any(
        line.startswith(CONFLICT_PREFIX) for line in _comment_lines(entry))


def conflict(entry: polib.POEntry) -> tuple[str, ...] | None:
    """The other translation recorded by the entry's last ``locflow-conflict`` comment.

    One string per plural form; a comment a person edited into something that is
    not JSON gives its raw text. None when the entry has no such comment.
    """
    found = None
    for line in _comment_lines(entry):
        if line.startswith(CONFLICT_PREFIX):
            found = line[len(CONFLICT_PREFIX):].strip()
    if found is None:
        return None
    try:
        value = json.loads(found)
    except ValueError:
        return (found,)
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    return (found,)


# JSON leaves these unescaped, but str.splitlines() and some editors break lines at them.
_LINE_BREAKS = str.maketrans({"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"})


def conflict_comment(forms: Iterable[str]) -> str:
    """The ``locflow-conflict`` comment line recording *forms* (the other translation).

    >>> conflict_comment(["Votó sí"])
    'locflow-conflict: "Votó sí"'
    >>> conflict_comment(["un voto", "%d votos"])
    'locflow-conflict: ["un voto", "%d votos"]'
    """
    values = list(forms)
    payload: str | list[str] = values[0] if len(values) == 1 else values
    text = json.dumps(payload, ensure_ascii=False).translate(_LINE_BREAKS)
    return f"{CONFLICT_PREFIX} {text}"


def resolve_conflict(entry: polib.POEntry, take: str) -> bool:
    """Settle a merge conflict: keep the ``"current"`` text or take the ``"other"`` one.

    The ``locflow-conflict`` comment goes, and so does the ``fuzzy`` flag the merge set:
    choosing is the review of the text a person does; the entry is then translated (or
    approved, if an approval of exactly that text is still there). Returns False (no
    change) for an entry without a conflict.
    """
    if take not in ("current", "other"):
        raise InputError(f"take must be 'current' or 'other', not {take!r}")
    other = conflict(entry)
    if other is None:
        return False
    if take == "other":
        if entry.msgid_plural:
            entry.msgstr_plural = dict(enumerate(other))
        else:
            entry.msgstr = other[0]
    entry.tcomment = "\n".join(
        line for line in _comment_lines(entry) if not line.startswith(CONFLICT_PREFIX)
    )
    if "fuzzy" in entry.flags:
        entry.flags.remove("fuzzy")
    return True


def is_translated(entry: polib.POEntry) -> bool:
    """msgfmt's test: the (first) msgstr is not empty."""
    if entry.msgid_plural:
        return bool(entry.msgstr_plural.get(0, ""))
    return bool(entry.msgstr)


def entry_state(entry: polib.POEntry) -> ReviewState:
    """The one review state of an active entry."""
    if not is_translated(entry):
        return ReviewState.UNTRANSLATED
    if "fuzzy" in entry.flags:
        return ReviewState.REJECTED if rejection(entry) else ReviewState.FUZZY
    found = approval(entry)
    if found is not None and found.text_hash == text_hash(entry):
        return ReviewState.APPROVED
    return ReviewState.TRANSLATED


def overridden_checks(entry: polib.POEntry) -> frozenset[str]:
    """The checks a *current* approval overrode (``review approve --force``).

    An override speaks of the text the editor saw: once the text changes the
    approval is stale and the override no longer silences anything.
    """
    if OVERRIDE_MARK not in entry.tcomment:  # no approval overrides anything
        return frozenset()
    if entry_state(entry) is not ReviewState.APPROVED:
        return frozenset()
    found = approval(entry)
    return frozenset(found.override) if found is not None else frozenset()


def _set_review_comment(entry: polib.POEntry, line: str | None) -> None:
    kept = [
        existing
        for existing in _comment_lines(entry)
        if not existing.startswith((APPROVED_PREFIX, REJECTED_PREFIX))
    ]
    if line is not None:
        kept.append(line)
    entry.tcomment = "\n".join(kept)


def strip_review(entry: polib.POEntry) -> None:
    """Remove approval and rejection comments (the merge does this on changed sources)."""
    if any(line.startswith((APPROVED_PREFIX, REJECTED_PREFIX)) for line in _comment_lines(entry)):
        _set_review_comment(entry, None)


def retire_rejection(entry: polib.POEntry) -> bool:
    """Turn a rejection that no longer applies into a history line; True if it did.

    A rejection applies while the entry is fuzzy. Once a translator fixed the
    text and cleared fuzzy (in Poedit, in Weblate), the comment would go on
    saying "rejected" about a text nobody rejected; it becomes
    ``locflow-history: rejected DATE NAME: reason`` instead, so the reviewer
    still sees what was wrong before. A rejection whose text is unchanged
    (fuzzy cleared without an edit) stays: the reviewer should see it as it is.
    """
    if "fuzzy" in entry.flags or not entry.tcomment or REJECTED_PREFIX not in entry.tcomment:
        return False
    current = text_hash(entry)
    lines = _comment_lines(entry)
    changed = False
    for index, line in enumerate(lines):
        match = _REJECTED.match(line)
        if match is None:
            continue
        date, reviewer, digest, reason = match.groups()
        if digest == current:
            continue
        lines[index] = f"{HISTORY_PREFIX} rejected {date} {reviewer}: {reason}"
        changed = True
    if changed:
        entry.tcomment = "\n".join(lines)
    return changed


def review_history(entry: polib.POEntry) -> tuple[str, ...]:
    """What a reviewer should know from earlier reviews of the entry: rejections fixed
    since (``locflow-history`` lines) and the checks its current approval overrode."""
    events = [
        line[len(HISTORY_PREFIX):].strip()
        for line in _comment_lines(entry)
        if line.startswith(HISTORY_PREFIX)
    ]
    overridden = overridden_checks(entry)
    if overridden:
        events.append(f"approved over failing checks: {', '.join(sorted(overridden))}")
    return tuple(events)


def check_reviewer(name: str) -> str:
    """A reviewer name as it can be stored: one line, no ':'."""
    name = " ".join(name.split())
    if not name or ":" in name or "(" in name or ")" in name:
        raise InputError(f"invalid reviewer name {name!r}: give a name without ':' or parentheses")
    return name


def approve(
    entry: polib.POEntry, reviewer: str, date: str, override: Iterable[str] = ()
) -> bool:
    """Approve a ``translated`` entry; return False (no change) for any other state.

    *override* names the checks that report errors on the text and that the
    editor approves anyway; the approval comment records them.
    """
    if entry_state(entry) is not ReviewState.TRANSLATED:
        return False
    retire_rejection(entry)  # a rejection fixed since stays as history
    if PREVIOUS_PREFIX in entry.tcomment:  # approved for today's source: no longer behind
        entry.tcomment = "\n".join(
            x for x in _comment_lines(entry) if not x.startswith(PREVIOUS_PREFIX))
    line = f"{APPROVED_PREFIX} {date} {reviewer} ({text_hash(entry)})"
    checks = sorted(set(override))
    if checks:
        line += f" {OVERRIDE_MARK} {', '.join(checks)}"
    _set_review_comment(entry, line)
    return True


def reject(entry: polib.POEntry, reviewer: str, date: str, reason: str) -> bool:
    """Send a translated, approved or fuzzy entry back to the translator with a reason.

    The entry becomes fuzzy, so gettext tools and Poedit treat it as needing work,
    and carries the reason as a translator comment. Returns False (no change) for
    untranslated entries and entries already rejected with the same reason.
    """
    state = entry_state(entry)
    reason = " ".join(reason.split())
    if not reason:
        raise InputError("a rejection needs a reason (--reason)")
    if state is ReviewState.UNTRANSLATED:
        return False
    current = rejection(entry)
    if state is ReviewState.REJECTED and current is not None and current.reason == reason:
        return False
    retire_rejection(entry)
    _set_review_comment(
        entry, f"{REJECTED_PREFIX} {date} {reviewer} ({text_hash(entry)}): {reason}"
    )
    if "fuzzy" not in entry.flags:
        entry.flags.insert(0, "fuzzy")
    return True


def set_translation(entry: polib.POEntry, msgstrs: list[str]) -> bool:
    """A person's new translation: the entry becomes ``translated`` (awaiting review).

    *msgstrs* holds the text, or one text per plural form. The fuzzy flag, the old
    source (``#|``, which msgmerge keeps only on fuzzy entries) and review comments
    (an approval of other text, a rejection the edit answers) go; a provenance
    comment stays, as it does when a translator rewrites a draft in Poedit: it records
    what was drafted, and its ``draft`` note tells every reader
    (:func:`~locflow.provenance.text_provenance`) that the new text is a person's.
    Returns False (no change) when the text and state are already so.
    """
    texts = [text.replace("\r\n", "\n").replace("\r", "\n") for text in msgstrs]
    if not texts or not all(text.strip() for text in texts):
        raise InputError("a translation cannot be empty")
    forms = (len(entry.msgstr_plural) or 2) if entry.msgid_plural else 1
    if len(texts) != forms:
        raise InputError(f"give {forms} translation{'s' if forms > 1 else ''}, not {len(texts)}")
    current = [entry.msgstr_plural.get(n, "") for n in range(forms)] if entry.msgid_plural else [
        entry.msgstr]
    if texts == current and entry_state(entry) in (ReviewState.TRANSLATED, ReviewState.APPROVED):
        return False
    if entry.msgid_plural:
        entry.msgstr_plural = dict(enumerate(texts))
    else:
        entry.msgstr = texts[0]
    if "fuzzy" in entry.flags:
        entry.flags.remove("fuzzy")
    entry.previous_msgctxt = entry.previous_msgid = entry.previous_msgid_plural = None
    strip_review(entry)
    return True


def today() -> str:
    """Today's UTC date, or the date of ``SOURCE_DATE_EPOCH`` for reproducible runs."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date().isoformat()
    return dt.datetime.now(dt.UTC).date().isoformat()


@dataclass(frozen=True)
class StateCounts:
    """How many active entries are in each state, plus obsolete entries."""

    untranslated: int = 0
    fuzzy: int = 0
    rejected: int = 0
    translated: int = 0
    approved: int = 0
    obsolete: int = 0
    conflicts: int = 0  # active entries a merge left with a locflow-conflict (also counted above)
    # active entries not approved for today's source whose text approved for an earlier
    # source verifies (also counted above): a living page shows them marked outdated
    outdated: int = 0

    @property
    def total(self) -> int:
        return self.untranslated + self.fuzzy + self.rejected + self.translated + self.approved

    @property
    def percent_approved(self) -> float:
        return 100.0 * self.approved / self.total if self.total else 100.0

    def as_dict(self) -> dict[str, int]:
        return {
            "total": self.total,
            "untranslated": self.untranslated,
            "fuzzy": self.fuzzy,
            "rejected": self.rejected,
            "translated": self.translated,
            "approved": self.approved,
            "obsolete": self.obsolete,
            "conflicts": self.conflicts,
            "outdated": self.outdated,
        }


def count_states(entries: Iterable[polib.POEntry]) -> StateCounts:
    """Count states over entries (obsolete ones are counted apart, as msgfmt ignores them)."""
    counts: Counter[str] = Counter()
    for entry in entries:
        if entry.obsolete:
            counts["obsolete"] += 1
        elif entry.msgid or entry.msgctxt is not None:  # skip the header
            state = entry_state(entry)
            counts[state.value] += 1
            if has_conflict(entry):
                counts["conflicts"] += 1
            if state is not ReviewState.APPROVED and is_outdated(entry):
                counts["outdated"] += 1
    return StateCounts(**counts)


# -- living articles: the text approved for an earlier source --------------------
#
# When the source of an approved entry changes, the merge turns the approval into a
# ``locflow-previous`` line that keeps what was approved, and for which source:
#
#   # locflow-previous: 2024-11-05 desk-editor (3f2a9c1b7d0e) {"msgid": "…", "msgstr": "…"}
#
# The hash is the approval's own (text_hash of msgctxt, that msgid and that msgstr), so
# the line verifies itself against the text it carries: a hand-edited text no longer
# matches. The published page may show that text, marked as outdated, until an editor
# approves the new one (which removes the line). A catalog merged by GNU msgmerge keeps
# the stale approval line instead; with the ``#|`` previous source and an unchanged
# msgstr it verifies the same way.

PREVIOUS_PREFIX = "locflow-previous:"
_PREVIOUS = re.compile(
    r"^locflow-previous: (\d{4}-\d{2}-\d{2}) ([^()]+) \(([0-9a-f]{12})\) (\{.*\})$")


@dataclass(frozen=True)
class PreviousApproval:
    """Text an editor approved for an earlier source of an entry, verified."""

    msgid: str  # the source it was approved for
    msgstr: str
    approval: Approval


def _hash_of(msgctxt: str | None, msgid: str, msgstr: str) -> str:
    """:func:`text_hash` of a singular entry with these texts."""
    return _digest([msgctxt or "", msgid, "", msgstr])


def previous_comment(entry: polib.POEntry) -> str | None:
    """The ``locflow-previous`` line for *entry* as it is now, if its approval is current
    (what the merge writes before the entry's source changes); None otherwise."""
    found = approval(entry)
    if entry.msgid_plural or found is None or found.text_hash != text_hash(entry):
        return None
    record = {"msgid": entry.msgid, "msgstr": entry.msgstr}
    if entry.msgctxt is not None:
        record = {"msgctxt": entry.msgctxt, **record}
    payload = json.dumps(record, ensure_ascii=False).translate(_LINE_BREAKS)
    return f"{PREVIOUS_PREFIX} {found.date} {found.reviewer} ({found.text_hash}) {payload}"


def keep_previous(old: polib.POEntry, entry: polib.POEntry) -> None:
    """On *entry*, the fuzzy successor of *old* whose source changed, record what was
    approved on *old* (if its approval was current); an older record goes."""
    line = previous_comment(old)
    if line is None:
        return
    kept = [x for x in _comment_lines(entry) if not x.startswith(PREVIOUS_PREFIX)]
    entry.tcomment = "\n".join([*kept, line])


def is_outdated(entry: polib.POEntry) -> bool:
    """True when *entry* has text approved for an earlier source that verifies (and is
    not approved for today's): what a living page shows, marked outdated."""
    comments = entry.tcomment
    if not comments or (PREVIOUS_PREFIX not in comments and not (
            entry.previous_msgid is not None and APPROVED_PREFIX in comments)):
        return False  # (nearly every entry: no line to read)
    return previous_approval(entry) is not None


def previous_approval(entry: polib.POEntry) -> PreviousApproval | None:
    """The newest text approved for an earlier source of *entry* that verifies against
    its approval hash: from a ``locflow-previous`` line, else from a stale approval
    line with the ``#|`` previous source and the unchanged msgstr. None when there is
    none, when the entry's own approval is current, or for plural entries."""
    if entry.msgid_plural or not entry.tcomment:
        return None
    current = approval(entry)
    if current is not None and current.text_hash == text_hash(entry):
        return None
    for line in reversed(_comment_lines(entry)):
        match = _PREVIOUS.match(line) if line.startswith(PREVIOUS_PREFIX) else None
        if match is None:
            continue
        date, reviewer, digest, payload = match.groups()
        try:
            record = json.loads(payload)
        except ValueError:
            continue
        if not isinstance(record, dict):
            continue
        msgctxt, msgid, msgstr = record.get("msgctxt"), record.get("msgid"), record.get("msgstr")
        if (isinstance(msgid, str) and isinstance(msgstr, str) and msgstr
                and (msgctxt is None or isinstance(msgctxt, str))
                and _hash_of(msgctxt, msgid, msgstr) == digest):
            return PreviousApproval(msgid, msgstr, Approval(date, reviewer, digest))
    if current is not None and entry.previous_msgid is not None and entry.msgstr:
        context = entry.previous_msgctxt if entry.previous_msgctxt is not None else entry.msgctxt
        if _hash_of(context, entry.previous_msgid, entry.msgstr) == current.text_hash:
            return PreviousApproval(entry.previous_msgid, entry.msgstr, current)
    return None
