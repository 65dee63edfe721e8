"""Writing PO files: unchanged entries byte for byte, changed ones as ``msgcat --no-wrap`` does."""

from __future__ import annotations

import codecs
import re

from ..errors import CatalogError
from .entry import Catalog, Entry, _fields, _is_unchanged
from .reader import _codec, _header_charset

# msgcat wraps "#:" reference lines at this width even with --no-wrap.
_REFERENCE_WIDTH = 79


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


def format_entry(entry: Entry) -> str:
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


# Positions in _fields() of what the comment lines hold, and of everything else.
_COMMENT_FIELDS = {"#": 5, "#.": 6, "#:": 7, "#,": 8, "#=": 13}
_MESSAGE_FIELDS = (0, 1, 2, 3, 4, 9, 10, 11, 12)


def _comment_kind(line: str) -> str | None:
    """Which comment field a line of an entry belongs to ("#", "#.", ...); None otherwise."""
    if not line.startswith("#"):
        return None
    mark = line[1:2]
    if mark in (".", ":", ",", "="):
        return "#" + mark
    if mark in ("|", "~"):
        return None
    return "#"


def _comment_only_change(entry: Entry, crlf: bool) -> list[str] | None:
    """The entry's lines when only its comments or flags changed, else None.

    Comment kinds that did not change keep their original lines, and so do the
    message lines: approving an entry of a catalog another tool wrapped adds one
    comment line to the diff and leaves the wrapped msgid/msgstr alone.
    """
    if entry._raw is None or entry._snapshot is None:
        return None
    now = _fields(entry)
    if any(entry._snapshot[i] != now[i] for i in _MESSAGE_FIELDS):
        return None
    original: dict[str, list[str]] = {kind: [] for kind in _COMMENT_FIELDS}
    rest: list[str] = []
    for line in entry._raw:
        kind = _comment_kind(line.rstrip("\r"))
        (original[kind] if kind else rest).append(line)
    fresh: dict[str, list[str]] = {kind: [] for kind in _COMMENT_FIELDS}
    for line in format_entry(entry).split("\n"):
        kind = _comment_kind(line)
        if kind:
            fresh[kind].append(line + "\r" if crlf else line)
    body: list[str] = []
    for kind, position in _COMMENT_FIELDS.items():
        same = entry._snapshot[position] == now[position]
        body.extend(original[kind] if same else fresh[kind])
    return body + rest


def _output_encoding(catalog: Catalog) -> str:
    declared = _header_charset(catalog.header)
    if declared:
        return _codec(declared, catalog.path, catalog.header.line if catalog.header else None)
    return catalog._encoding


_MSGID_LINE = re.compile(r"(?:#~ ?)?msgid[ \t]")


def dump(catalog: Catalog, *, lines: dict[int, int] | None = None) -> bytes:
    """Serialize *catalog*; ``dump(parse(b)) == b`` for any *b* that parses.

    With *lines*, it receives for each entry (by ``id``) the 1-based line of its
    ``msgid`` keyword in the output: what :func:`~.reader.parse` of it would say.

    Unchanged entries are written from their original lines (with the blank lines that
    preceded them, if they still follow the same entry); new or changed ones with
    :func:`format_entry`, after one blank line. The header goes where it was (first, for a
    new one). Encoded in the header's charset (UTF-8 without one); BOM, CRLF line ends and
    trailing comments of a parsed file are kept.
    """
    sequence = list(catalog.entries)
    if catalog.header is not None:
        sequence.insert(min(catalog._header_pos, len(sequence)), catalog.header)
    out: list[str] = []
    previous: Entry | None = None
    for entry in sequence:
        if _is_unchanged(entry):
            body = entry._raw
            assert body is not None
        else:
            partial = _comment_only_change(entry, catalog._crlf)
            if partial is not None:
                body = partial
            else:
                body = format_entry(entry).split("\n")
                if catalog._crlf:
                    body = [line + "\r" for line in body]
        if entry._raw is not None and entry._prev is previous:
            out.extend(entry._gap)
        elif out:
            out.extend(entry._gap if entry._raw is not None and entry._gap
                       else ["\r" if catalog._crlf else ""])
        if lines is not None:
            lines[id(entry)] = len(out) + 1 + next(
                (n for n, line in enumerate(body) if _MSGID_LINE.match(line)), 0)
        out.extend(body)
        previous = entry
    final_newline = True
    if catalog._trailer:
        if catalog._trailer_prev is not previous and out and catalog._trailer[0].strip():
            out.append("\r" if catalog._crlf else "")
        out.extend(catalog._trailer)
        final_newline = catalog._final_newline
    elif previous is not None and previous is catalog._trailer_prev and _is_unchanged(previous):
        final_newline = catalog._final_newline
    elif not out:
        final_newline = False
    text = "\n".join(out) + ("\n" if final_newline else "")
    encoding = _output_encoding(catalog)
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError as exc:
        line = text.count("\n", 0, exc.start) + 1
        raise CatalogError(f"text not representable in charset {encoding} "
                           f"({text[exc.start]!r} at output line {line})",
                           path=catalog.path) from None
    return (codecs.BOM_UTF8 + data) if catalog._bom else data
