"""The catalog model: a PO file's entries and header, with what byte-stable writing needs.

:class:`Entry` is polib's entry model plus its position in the file and a snapshot of its
fields as parsed; :class:`Catalog` the entries in file order with the file's layout
(encoding, BOM, line ends). Reading is :mod:`.reader`, writing :mod:`.writer`, safe
storage :mod:`.storage`, all three above the model (it imports none of them); :mod:`.pofile`
is the one door to all of them. ``str()`` of an entry is its PO text, as polib's is, made
by the pure :mod:`.entrytext`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polib

from .entrytext import format_entry

Key = tuple[str | None, str]

class Entry(polib.POEntry):  # type: ignore[misc]
    """One PO message: polib's entry model plus source position and raw-text bookkeeping.

    All polib attributes are available (``msgid``, ``msgstr``, ``msgid_plural``,
    ``msgstr_plural``, ``msgctxt``, ``tcomment``, ``comment``, ``occurrences``, ``flags``,
    ``previous_*``, ``obsolete``). Additionally:

    ``line``
        1-based line of the ``msgid`` keyword in the file it came from; 0 for new entries.
    ``sticky``
        raw ``#=`` lines (gettext >= 0.25), kept verbatim.

    Equality is identity (polib compares contents, and slowly): entries are mutable records
    with a position in a file, and two distinct entries with equal text are still distinct.
    """

    line: int
    sticky: list[str]

    def __init__(self, *args: Any, line: int = 0, sticky: list[str] | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.line = line
        self.sticky = list(sticky) if sticky else []
        # Bookkeeping for dump(): original lines, the blank lines before them, the entry
        # that preceded this one in the file, and the field values when parsed.
        self._raw: list[str] | None = None
        self._gap: list[str] = []
        self._prev: Entry | None = None
        self._snapshot: tuple[Any, ...] | None = None

    @property
    def key(self) -> Key:
        """``(msgctxt, msgid)``: what gettext requires to be unique among active entries."""
        return (self.msgctxt, self.msgid)

    __eq__ = object.__eq__
    __ne__ = object.__ne__
    __hash__ = object.__hash__

    def __str__(self) -> str:
        return format_entry(self) + "\n"

    def __repr__(self) -> str:
        state = " obsolete" if self.obsolete else ""
        return f"<Entry{state} line={self.line} key={self.key!r}>"


def _parsed_entry(
    msgid: str, msgstr: str, msgid_plural: str, msgstr_plural: dict[int, str],
    msgctxt: str | None, obsolete: bool, encoding: str, comment: str, tcomment: str,
    occurrences: list[tuple[str, str]], flags: list[str], previous_msgctxt: str | None,
    previous_msgid: str | None, previous_msgid_plural: str | None, line: int,
    sticky: list[str],
) -> Entry:
    """An :class:`Entry` as ``Entry(...)`` makes it, without polib's keyword handling (the
    reader makes one per message of every file read; the lists are taken, not copied).

    The attributes are set in ``__init__``'s order (instances then share one key table);
    ``tests/catalog/test_pofile.py`` checks that they are the ones ``__init__`` sets.
    """
    entry: Entry = object.__new__(Entry)
    entry.msgid = msgid
    entry.msgstr = msgstr
    entry.msgid_plural = msgid_plural
    entry.msgstr_plural = msgstr_plural
    entry.msgctxt = msgctxt
    entry.obsolete = obsolete
    entry.encoding = encoding
    entry.comment = comment
    entry.tcomment = tcomment
    entry.occurrences = occurrences
    entry.flags = flags
    entry.previous_msgctxt = previous_msgctxt
    entry.previous_msgid = previous_msgid
    entry.previous_msgid_plural = previous_msgid_plural
    entry.linenum = line
    entry.line = line
    entry.sticky = sticky
    entry._raw = None
    entry._gap = []
    entry._prev = None
    entry._snapshot = None
    return entry


def _fields(entry: Entry) -> tuple[Any, ...]:
    """Everything format_entry() writes; equal snapshots mean equal output."""
    return (
        entry.msgid, entry.msgstr, entry.msgid_plural, dict(entry.msgstr_plural),
        entry.msgctxt, entry.tcomment, entry.comment, tuple(entry.occurrences),
        tuple(entry.flags), entry.previous_msgctxt, entry.previous_msgid,
        entry.previous_msgid_plural, bool(entry.obsolete), tuple(entry.sticky),
    )


def _is_unchanged(entry: Entry) -> bool:
    return entry._raw is not None and entry._snapshot == _fields(entry)


class Catalog:
    """A parsed PO/POT file.

    ``header`` is the active ``msgid ""`` entry without ``msgctxt`` (or None); ``entries``
    holds every other entry, obsolete ones included, in file order. Mutate entries and the
    list freely: :func:`dump` works out what changed.
    """

    def __init__(self, header: Entry | None = None, entries: list[Entry] | None = None,
                 path: str | Path | None = None) -> None:
        self.path: Path | None = Path(path) if path is not None else None
        self.header: Entry | None = header
        self.entries: list[Entry] = list(entries) if entries is not None else []
        # Layout facts of the parsed file, so dump() can reproduce it.
        self._encoding = "utf-8"
        self._bom = False
        self._crlf = False
        self._final_newline = True
        self._header_pos = 0  # entries before the header in the file
        self._trailer: list[str] = []  # blank/comment lines after the last entry
        self._trailer_prev: Entry | None = None

    def __repr__(self) -> str:
        return f"<Catalog {self.path} {len(self.entries)} entries>"

    def active(self) -> list[Entry]:
        """Non-obsolete entries, in order (the header is never included)."""
        return [e for e in self.entries if not e.obsolete]

    def obsolete_entries(self) -> list[Entry]:
        """Obsolete (``#~``) entries, in order."""
        return [e for e in self.entries if e.obsolete]

    def metadata(self) -> dict[str, str]:
        """Header fields in file order (``{"Language": "es", ...}``); empty without header."""
        if self.header is None:
            return {}
        result: dict[str, str] = {}
        for line in self.header.msgstr.split("\n"):
            name, sep, value = line.partition(":")
            if sep and name.strip():
                result[name.strip()] = value.strip()
        return result

    def set_metadata(self, field: str, value: str) -> None:
        """Set header *field* to *value*, in place if present, else appended.

        Creates the header entry if the catalog has none. Other header lines are untouched.
        """
        if "\n" in field or "\n" in value or ":" in field:
            raise ValueError(f"invalid header field {field!r}: {value!r}")
        if self.header is None:
            self.header = Entry(msgid="", msgstr="")
            self._header_pos = 0
        lines = self.header.msgstr.split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        for i, line in enumerate(lines):
            name, sep, _ = line.partition(":")
            if sep and name.strip() == field:
                lines[i] = f"{field}: {value}"
                break
        else:
            lines.append(f"{field}: {value}")
        self.header.msgstr = "".join(line + "\n" for line in lines)

    def index(self) -> dict[Key, Entry]:
        """A new dict of the active entries by :attr:`Entry.key` (rebuild after edits)."""
        return {e.key: e for e in self.entries if not e.obsolete}

    @property
    def language(self) -> str | None:
        """The header's ``Language`` field, or None if absent or empty."""
        return self.metadata().get("Language") or None
