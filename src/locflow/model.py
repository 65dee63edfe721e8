"""Plain data shared by the pipeline stages: review states, segments, findings."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class ReviewState(enum.Enum):
    """Where an entry stands in review. Exactly one applies to each active entry.

    Counts agree with GNU gettext: ``translated + approved`` is msgfmt's
    "translated", ``fuzzy + rejected`` its "fuzzy".
    """

    UNTRANSLATED = "untranslated"  # empty msgstr, whatever its flags
    FUZZY = "fuzzy"  # machine draft, memory match, changed source
    REJECTED = "rejected"  # fuzzy, with an editor's reason
    TRANSLATED = "translated"  # awaiting review
    APPROVED = "approved"  # reviewed; the approval's hash matches the text

    def __str__(self) -> str:
        return self.value


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class Segment:
    """One translatable unit of an article: a msgid with its context and a hint.

    ``context`` is the msgctxt (the front-matter field name for fields, ``None``
    for body blocks); ``kind`` says what the unit is ("title", "paragraph",
    "heading", "list item", "table cell", "image alt"...), shown to translators
    as an extracted comment.
    """

    msgid: str
    context: str | None
    kind: str
    msgid_plural: str | None = None
    flags: tuple[str, ...] = ()  # gettext flags, e.g. ("python-format",) for interface strings
    references: tuple[str, ...] = ()  # "file:line" of interface strings in templates


@dataclass(frozen=True, slots=True)  # (a large project's report holds 100,000s)
class Finding:
    """One problem a check found in one catalog entry."""

    check: str  # the check's id: "numbers", "untranslated", ...
    severity: Severity
    message: str  # in a translator's words
    path: str  # the catalog, as given or relative to the project root
    line: int  # the entry's line in the PO file (its msgid keyword)
    msgid: str
    msgctxt: str | None = None
    locale: str | None = None
    article: str | None = None  # the article slug, None for bare PO paths / site catalog
