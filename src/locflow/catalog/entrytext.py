"""One entry's PO text as ``msgcat --no-wrap`` writes it (pure; knows no catalog, no file).

:func:`format_entry` reads the fields of any polib-style entry (:class:`EntryFields`): the
writer uses it for new and changed entries, and ``str()`` of an
:class:`~.entry.Entry` is its text, as ``str()`` of a polib entry is.
"""

from __future__ import annotations

from typing import Protocol

# msgcat wraps "#:" reference lines at this width even with --no-wrap.
_REFERENCE_WIDTH = 79


class EntryFields(Protocol):
    """What :func:`format_entry` reads of an entry (polib's fields and the ``#=`` lines)."""

    @property
    def msgid(self) -> str: ...
    @property
    def msgstr(self) -> str: ...
    @property
    def msgid_plural(self) -> str: ...
    @property
    def msgstr_plural(self) -> dict[int, str]: ...
    @property
    def msgctxt(self) -> str | None: ...
    @property
    def tcomment(self) -> str: ...
    @property
    def comment(self) -> str: ...
    @property
    def occurrences(self) -> list[tuple[str, str]]: ...
    @property
    def flags(self) -> list[str]: ...
    @property
    def sticky(self) -> list[str]: ...
    @property
    def previous_msgctxt(self) -> str | None: ...
    @property
    def previous_msgid(self) -> str | None: ...
    @property
    def previous_msgid_plural(self) -> str | None: ...
    @property
    def obsolete(self) -> bool: ...


_ESCAPE_TABLE = str.maketrans({
    "\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r",
    "\a": "\\a", "\b": "\\b", "\f": "\\f", "\v": "\\v",
})


def _field(out: list[str], prefix: str, keyword: str, value: str) -> None:
    """Append one string field the way msgcat --no-wrap writes it."""
    # A newline before the end of the string: an empty first line, then one line per
    # "\n"-terminated portion.
    if "\n" in value[:-1]:
        out.append(f'{prefix}{keyword} ""')
        pieces = value.split("\n")
        for piece in pieces[:-1]:
            out.append(f'{prefix}"{piece.translate(_ESCAPE_TABLE)}\\n"')
        if pieces[-1]:
            out.append(f'{prefix}"{pieces[-1].translate(_ESCAPE_TABLE)}"')
    else:
        out.append(f'{prefix}{keyword} "{value.translate(_ESCAPE_TABLE)}"')


def _references(out: list[str], occurrences: list[tuple[str, str]]) -> None:
    """Append "#:" lines: msgcat drops duplicates and wraps at 79 columns (bytes)."""
    seen: set[str] = set()
    line = "#:"
    width = 2
    for name, number in occurrences:
        ref = f"{name}:{number}" if number not in ("", None) else str(name)
        if ref in seen:
            continue
        seen.add(ref)
        size = len(ref.encode()) + 1
        if width > 2 and width + size > _REFERENCE_WIDTH:
            out.append(line)
            line, width = "#:", 2
        line += " " + ref
        width += size
    out.append(line)


def format_entry(entry: EntryFields) -> str:
    """*entry* as ``msgcat --no-wrap`` writes it (lines joined by "\\n", no final newline).

    Order: translator comments, extracted comments, references (wrapped at 79 columns as
    msgcat does even with --no-wrap, duplicates dropped), flags (kept as given: msgcat
    would drop unknown ones and reorder), ``#=`` lines, previous fields (``#|`` or
    ``#~|``), msgctxt, msgid, msgid_plural, msgstr / msgstr[N]. Obsolete entries get a
    ``#~ `` prefix on their keyword lines. An entry with msgid_plural but no plural
    translations gets ``msgstr[0] ""`` so the output stays valid.
    """
    out: list[str] = []
    if entry.tcomment:
        out.extend(f"# {c}" if c else "#" for c in entry.tcomment.split("\n"))
    if entry.comment:
        out.extend(f"#. {c}" if c else "#." for c in entry.comment.split("\n"))
    if entry.occurrences:
        _references(out, entry.occurrences)
    if entry.flags:
        out.append("#, " + ", ".join(entry.flags))
    out.extend(entry.sticky)
    prefix = "#~| " if entry.obsolete else "#| "
    if entry.previous_msgctxt is not None:
        _field(out, prefix, "msgctxt", entry.previous_msgctxt)
    if entry.previous_msgid is not None:
        _field(out, prefix, "msgid", entry.previous_msgid)
    if entry.previous_msgid_plural is not None:
        _field(out, prefix, "msgid_plural", entry.previous_msgid_plural)
    prefix = "#~ " if entry.obsolete else ""
    if entry.msgctxt is not None:
        _field(out, prefix, "msgctxt", entry.msgctxt)
    _field(out, prefix, "msgid", entry.msgid)
    if entry.msgid_plural:
        _field(out, prefix, "msgid_plural", entry.msgid_plural)
        plurals = entry.msgstr_plural or {0: ""}
        for index in sorted(plurals):
            _field(out, prefix, f"msgstr[{index}]", plurals[index])
    else:
        _field(out, prefix, "msgstr", entry.msgstr)
    return "\n".join(out)
