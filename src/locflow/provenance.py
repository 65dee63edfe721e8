"""Where a draft came from: the provenance comment of machine and memory drafts (pure).

A draft that locflow writes into a catalog (a machine translation, a translation
memory match) carries one translator comment saying where it came from, so that
anyone (Poedit's Comment pane, ``locflow review list``, the review desk) can tell
machine text from human text::

    # locflow-draft: mt libre 2026-11-29 (3f2a9c1b7d0e)
    # locflow-draft: mt google 2026-11-29 (3f2a9c1b7d0e); structure-changed
    # locflow-draft: memory 100% other-article 2026-11-29 (3f2a9c1b7d0e)
    # locflow-draft: memory 87% other-article 2026-11-29 (3f2a9c1b7d0e); sentences 1,3/4
    # locflow-draft: correction 12→13 2026-12-07 (3f2a9c1b7d0e); draft 9c1b7d0e3f2a

The fields are: the kind (``mt``, ``memory``, or ``correction``: ``sync`` carried a
change of numbers in the source into the translation, :mod:`locflow.corrections`),
for memory the match score, the origin (the engine's name, the slug of the article
the memory entry came from, or the numbers changed), the date, and the hash of the
*source* text the draft was made from (:func:`source_hash`), so a draft whose source
has changed since can be told apart. Anything after ``; `` is a list of notes; a
``draft`` note is the hash of the text drafted (:func:`draft_hash`).

Translator comments are what msgmerge, Poedit and Weblate keep (flags are not), so
the provenance survives every tool. A translator who rewrites the draft and clears
``fuzzy`` need not remove the comment: every draft records the ``draft`` note, and
:func:`text_provenance` gives the provenance only while the entry still holds the
drafted text, so a list or the review desk never calls a person's text machine
translation.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    import polib

PREFIX = "locflow-draft:"
DraftKind = Literal["mt", "memory", "correction"]

# Linear: anchored, no nested or overlapping quantifiers over the same characters.
_DRAFT = re.compile(
    r"^locflow-draft: (mt|memory|correction) (?:(\d{1,3})% )?([^\s;()]+) (\d{4}-\d{2}-\d{2}) "
    r"\(([0-9a-f]{12})\)(?:; ([^\n]*))?$"
)


@dataclass(frozen=True)
class Provenance:
    """Where one draft came from."""

    kind: DraftKind
    origin: str  # engine name (mt) or article slug (memory)
    date: str  # YYYY-MM-DD
    source_hash: str  # :func:`source_hash` of the msgctxt/msgid the draft was made from
    score: int | None = None  # memory match score, 0-100
    notes: tuple[str, ...] = field(default=())

    def comment(self) -> str:
        """The translator-comment line (without the leading ``# ``).

        >>> Provenance("mt", "libre", "2026-11-29", "3f2a9c1b7d0e").comment()
        'locflow-draft: mt libre 2026-11-29 (3f2a9c1b7d0e)'
        >>> Provenance("memory", "vote", "2026-11-29", "3f2a9c1b7d0e", 87,
        ...            ("sentences 1,3/4",)).comment()
        'locflow-draft: memory 87% vote 2026-11-29 (3f2a9c1b7d0e); sentences 1,3/4'
        """
        score = f"{self.score}% " if self.score is not None else ""
        line = f"{PREFIX} {self.kind} {score}{self.origin} {self.date} ({self.source_hash})"
        if self.notes:
            line += "; " + "; ".join(self.notes)
        return line


    def label(self) -> str:
        """What a listing shows: the comment without its prefix and ``draft`` note.

        >>> Provenance("mt", "libre", "2026-11-29", "3f2a9c1b7d0e",
        ...            notes=("draft 9c1b7d0e3f2a",)).label()
        'mt libre 2026-11-29 (3f2a9c1b7d0e)'
        """
        notes = tuple(n for n in self.notes if not n.startswith("draft "))
        return replace(self, notes=notes).comment().removeprefix(f"{PREFIX} ")


def parse(line: str) -> Provenance | None:
    """The provenance recorded on one translator-comment line, if it is one.

    >>> parse("locflow-draft: memory 87% vote 2026-11-29 (3f2a9c1b7d0e); sentences 1,3/4")
    Provenance(kind='memory', origin='vote', date='2026-11-29', source_hash='3f2a9c1b7d0e', \
score=87, notes=('sentences 1,3/4',))
    >>> parse("a translator's note") is None
    True
    """
    match = _DRAFT.match(line)
    if not match:
        return None
    kind, score, origin, date, digest, notes = match.groups()
    kind_value: DraftKind = ("mt" if kind == "mt" else "memory" if kind == "memory"
                             else "correction")
    return Provenance(
        kind=kind_value,
        origin=origin,
        date=date,
        source_hash=digest,
        score=int(score) if score is not None else None,
        notes=tuple(n.strip() for n in notes.split(";") if n.strip()) if notes else (),
    )


def source_hash(msgctxt: str | None, msgid: str, msgid_plural: str | None = None) -> str:
    """12 hex digits of SHA-256 over the source side of an entry.

    >>> source_hash(None, "Hello")
    '6641230ccb9b'
    """
    parts = [msgctxt or "", msgid, msgid_plural or ""]
    return hashlib.sha256("\x00".join(parts).encode("utf-8")).hexdigest()[:12]


def draft_hash(text: str) -> str:
    """12 hex digits of SHA-256 over a draft's text: recorded as the ``draft`` note, so
    the draft can be told apart from what a person made of it since.

    >>> draft_hash("Hola")
    'e633f4fc79ba'
    """
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def holds_draft(entry: polib.POEntry, draft: Provenance) -> bool:
    """True when the entry's text is still the text *draft* recorded (its ``draft``
    note); a provenance without that note says nothing about the text."""
    for note in draft.notes:
        if note.startswith("draft "):
            return note.removeprefix("draft ") == draft_hash(entry.msgstr)
    return False


def provenance(entry: polib.POEntry) -> Provenance | None:
    """The entry's last provenance comment, if any."""
    found = None
    for line in entry.tcomment.split("\n") if entry.tcomment else ():
        parsed = parse(line)
        if parsed is not None:
            found = parsed
    return found


def describes(entry: polib.POEntry, draft: Provenance) -> bool:
    """True when *draft* speaks for the entry's text: it still holds the text drafted
    (:func:`holds_draft`), or the provenance has no ``draft`` note to tell (older
    catalogs: taken at its word)."""
    if not any(note.startswith("draft ") for note in draft.notes):
        return True
    return holds_draft(entry, draft)


def text_provenance(entry: polib.POEntry) -> Provenance | None:
    """Where the entry's *text* came from: its provenance, unless a person has changed the
    text since (then the comment speaks of a draft that is gone, and this is None)."""
    found = provenance(entry)
    return found if found is not None and describes(entry, found) else None


def set_provenance(entry: polib.POEntry, draft: Provenance | None) -> None:
    """Replace the entry's provenance comment (``None`` removes it); other comments stay."""
    kept = [
        line
        for line in (entry.tcomment.split("\n") if entry.tcomment else [])
        if not line.startswith(PREFIX)
    ]
    if draft is not None:
        kept.append(draft.comment())
    entry.tcomment = "\n".join(kept)


def is_unreviewed_draft(entry: polib.POEntry) -> bool:
    """True while the entry is still a draft nobody has reviewed: fuzzy with a provenance."""
    return "fuzzy" in entry.flags and provenance(entry) is not None
