"""Writing PO files: unchanged entries byte for byte, changed ones as ``msgcat --no-wrap`` does."""

from __future__ import annotations

import codecs
import re

from ..errors import CatalogError
from .codec import header_charset, python_codec
from .entry import Catalog, Entry, _fields, _is_unchanged
from .entrytext import format_entry

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
    declared = header_charset(catalog.header)
    if declared:
        line = catalog.header.line if catalog.header else None
        return python_codec(declared, catalog.path, line)
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
