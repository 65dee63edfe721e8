"""The PO-file boundary: every read and write of a ``.po``/``.pot`` file goes through here.

Three promises:

* **Strict parsing.** :func:`parse` accepts what GNU gettext's ``po-lex``/``po-gram`` accept
  (a few exotic token layouts aside, see :func:`parse`) and raises
  :class:`~locflow.errors.CatalogError` naming ``path:line`` for anything else. polib's own
  parser is lenient (an unterminated string can parse as empty), so only polib's entry model
  is used.
* **Byte stability.** ``dump(parse(b)) == b``. Each entry remembers its original lines, the
  blank lines before them and a snapshot of its fields; :func:`dump` re-emits the original
  lines of every unchanged entry and :func:`format_entry` output (``msgcat --no-wrap`` style)
  only for new or changed ones, so an edit shows up in ``git diff`` as exactly that entry.
* **Safe writes.** :func:`save_atomic` writes a temporary file and renames it over the
  target; :func:`locked` / :func:`edit` serialize read-modify-write across processes.
"""

from __future__ import annotations

import codecs
import contextlib
import fcntl
import functools
import os
import re
import stat
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polib

from locflow.errors import CatalogError, excerpt

__all__ = [
    "Catalog",
    "Entry",
    "PlannedWrite",
    "check_writable",
    "commit",
    "dump",
    "edit",
    "format_entry",
    "load",
    "locked",
    "new_catalog",
    "parse",
    "read_optional",
    "remove_stale_temporaries",
    "save_atomic",
]

Key = tuple[str | None, str]

# msgcat wraps "#:" reference lines at this width even with --no-wrap.
_REFERENCE_WIDTH = 79


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


# --------------------------------------------------------------------------- parsing

_KEYWORD_RE = re.compile(r"(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])?(?=[\s\"]|$)[ \t]*")
_STRING_RE = re.compile(r'"([^"\\]*(?:\\.[^"\\]*)*)"[ \t]*')
_ESCAPE_RE = re.compile(r"\\(?:([0-7]{1,3})|x([0-9A-Fa-f]+)|(.?))", re.DOTALL)
_SIMPLE_ESCAPES = {
    "n": "\n", "t": "\t", "r": "\r", "\\": "\\", '"': '"',
    "a": "\a", "b": "\b", "f": "\f", "v": "\v",
}
_FLAG_SPLIT_RE = re.compile(r"[\s,]+")
_CHARSET_SNIFF_RE = re.compile(rb'^(?:#~ )?"Content-Type:[^"\n]*?charset=([^\\"\s;]+)', re.M)
_CHARSET_RE = re.compile(r"charset=([^\s;]+)")

# Parser states
_IDLE, _COMMENTS, _CTXT, _MSGID, _PLURAL, _MSGSTR = range(6)


class _Fail(Exception):
    """Internal: a syntax error at a known line; turned into CatalogError by parse()."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


_WORD_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_\[\]]{0,23}")


def _unknown(word: str, where: str = "") -> str:
    """The message for an unexpected token: named if it looks like a keyword, else only
    described, so a file that is not a catalog (``/proc/self/environ``) is never echoed."""
    if _WORD_RE.fullmatch(word):
        return f"unknown keyword{where}: {word!r}" if where else f"unknown keyword {word!r}"
    return f"text that is not PO syntax{where}"


def _unescape(body: str, lineno: int, encoding: str) -> str:
    """Resolve the escapes gettext's po-lex accepts; octal/hex escapes denote *bytes*."""
    out: list[str] = []
    pending = bytearray()  # escaped bytes >= 0x80, decoded together in the file's charset
    pos = 0
    for m in _ESCAPE_RE.finditer(body):
        if m.start() > pos:
            if pending:
                out.append(_decode_escaped(pending, lineno, encoding))
            out.append(body[pos:m.start()])
        pos = m.end()
        octal, hexa, other = m.groups()
        if octal is not None or hexa is not None:
            value = int(octal, 8) if octal is not None else int(hexa, 16)
            if value > 0xFF:
                raise _Fail(f"invalid escape sequence {excerpt(m.group(0), 8)}", lineno)
            if value < 0x80:
                if pending:
                    out.append(_decode_escaped(pending, lineno, encoding))
                out.append(chr(value))
            else:
                pending.append(value)
        elif other in _SIMPLE_ESCAPES:
            if pending:
                out.append(_decode_escaped(pending, lineno, encoding))
            out.append(_SIMPLE_ESCAPES[other])
        else:
            raise _Fail(f"invalid escape sequence {excerpt(m.group(0), 8)}", lineno)
    if pending:
        out.append(_decode_escaped(pending, lineno, encoding))
    out.append(body[pos:])
    return "".join(out)


def _decode_escaped(pending: bytearray, lineno: int, encoding: str) -> str:
    try:
        text = bytes(pending).decode(encoding)
    except UnicodeDecodeError:
        raise _Fail(f"escaped bytes are not valid {encoding}", lineno) from None
    pending.clear()
    return text


def _strings(s: str, lineno: int, encoding: str) -> str:
    """The value of one or more adjacent quoted strings making up the rest of a line."""
    # Fast path: one string, no escapes (most lines of real files).
    if s.endswith('"') and "\\" not in s and s.count('"') == 2 and s[0] == '"':
        return s[1:-1]
    s = s.rstrip()
    if not s.startswith('"'):
        raise _Fail("expected a quoted string" if s else "missing string after keyword", lineno)
    parts: list[str] = []
    pos = 0
    while pos < len(s):
        m = _STRING_RE.match(s, pos)
        if m is None:
            if s[pos] == '"':
                raise _Fail("unterminated string", lineno)
            raise _Fail(f"unexpected text after string: {excerpt(s[pos:])}", lineno)
        body = m.group(1)
        parts.append(_unescape(body, lineno, encoding) if "\\" in body else body)
        pos = m.end()
    return "".join(parts)


def _occurrences(rest: str) -> list[tuple[str, str]]:
    result: list[tuple[str, str]] = []
    for token in rest.split():
        name, sep, number = token.rpartition(":")
        if sep and name and number.isdigit():
            result.append((name, number))
        else:
            result.append((token, ""))
    return result


class _Builder:
    """Accumulates the pieces of the entry being parsed."""

    __slots__ = (
        "comment", "ctxt", "flags", "msgid", "msgid_line", "msgstr", "obsolete", "occurrences",
        "plural", "plurals", "prev_ctxt", "prev_id", "prev_plural", "sticky", "tcomment",
    )

    def __init__(self) -> None:
        self.tcomment: list[str] = []
        self.comment: list[str] = []
        self.occurrences: list[tuple[str, str]] = []
        self.flags: list[str] = []
        self.sticky: list[str] = []
        self.prev_ctxt: list[str] | None = None
        self.prev_id: list[str] | None = None
        self.prev_plural: list[str] | None = None
        self.ctxt: list[str] | None = None
        self.msgid: list[str] = []
        self.msgid_line = 0
        self.plural: list[str] | None = None
        self.msgstr: list[str] | None = None
        self.plurals: list[list[str]] = []
        self.obsolete: bool | None = None


def _parse_lines(lines: list[str], crlf: bool, encoding: str, catalog: Catalog) -> None:
    """Fill *catalog* from the file's lines (without newline characters)."""
    entries = catalog.entries
    seen: dict[Key, int] = {}  # active key -> line, for duplicate detection
    header: Entry | None = None
    prev_entry: Entry | None = None

    state = _IDLE
    b = _Builder()
    gap_start = 0  # first line after the previous entry
    start = 0  # first line of the current entry (comments included)
    last = 0  # last line holding a string of the current entry
    prev_field: list[str] | None = None  # the "#|" field that a '#| "..."' line continues
    prev_seen = False
    cur: list[str] | None = None  # the field that a '"..."' line continues

    def finish() -> None:
        nonlocal b, state, gap_start, header, prev_entry, prev_field, prev_seen
        lineno = b.msgid_line
        obsolete = bool(b.obsolete)
        entry = Entry(
            msgid="".join(b.msgid),
            msgctxt="".join(b.ctxt) if b.ctxt is not None else None,
            tcomment="\n".join(b.tcomment),
            comment="\n".join(b.comment),
            occurrences=b.occurrences,
            flags=b.flags,
            obsolete=obsolete,
            previous_msgctxt="".join(b.prev_ctxt) if b.prev_ctxt is not None else None,
            previous_msgid="".join(b.prev_id) if b.prev_id is not None else None,
            previous_msgid_plural=(
                "".join(b.prev_plural) if b.prev_plural is not None else None),
            linenum=lineno,
            line=lineno,
            sticky=b.sticky,
            encoding=encoding,
        )
        if b.plural is not None:
            entry.msgid_plural = "".join(b.plural)
            entry.msgstr_plural = {i: "".join(p) for i, p in enumerate(b.plurals)}
        else:
            entry.msgstr = "".join(b.msgstr or ())
        entry._raw = lines[start:last + 1]
        entry._gap = lines[gap_start:start]
        entry._prev = prev_entry
        entry._snapshot = _fields(entry)
        if not obsolete:
            key = entry.key
            first = seen.get(key)
            if first is not None:
                raise _Fail(f"duplicate message definition (first defined at line {first})",
                            lineno)
            seen[key] = lineno
        if not obsolete and entry.msgid == "" and entry.msgctxt is None:
            header = entry
            catalog._header_pos = len(entries)
        else:
            entries.append(entry)
        prev_entry = entry
        gap_start = last + 1
        state = _IDLE
        b = _Builder()
        prev_field = None
        prev_seen = False

    def check_obsolete(obsolete: bool, lineno: int) -> None:
        if b.obsolete is None:
            b.obsolete = obsolete
        elif b.obsolete != obsolete:
            raise _Fail("inconsistent use of #~", lineno)

    idx = -1
    for idx, raw in enumerate(lines):
        line = raw[:-1] if crlf and raw.endswith("\r") else raw
        lineno = idx + 1
        c = line[:1]
        obsolete = False
        content = line
        if c == "#":
            c2 = line[1:2]
            if c2 == "~":
                rest = line[2:]
                if rest[:1] == "|":
                    c, content, obsolete = "|", rest[1:].lstrip(), True
                else:
                    content = rest.strip()
                    c, obsolete = (content[:1] or " "), True
            elif c2 == "|":
                c, content = "|", line[2:].lstrip()
        elif c in " \t" or c == "":
            content = line.strip()
            c = content[:1] or " "

        if c == '"':  # string continuation
            if cur is None or state < _CTXT:
                raise _Fail("string without a keyword before it", lineno)
            check_obsolete(obsolete, lineno)
            cur.append(_strings(content, lineno, encoding))
            last = idx
        elif c == "m":  # keyword line
            m = _KEYWORD_RE.match(content)
            if m is None:
                word = content.split(None, 1)[0]
                raise _Fail(_unknown(word), lineno)
            keyword, index = m.group(1), m.group(2)
            value = _strings(content[m.end():], lineno, encoding)
            if keyword == "msgstr":
                if state not in (_MSGID, _PLURAL, _MSGSTR):
                    raise _Fail("msgstr without msgid", lineno)
                check_obsolete(obsolete, lineno)
                if index is None:
                    if state == _PLURAL:
                        raise _Fail("msgid_plural requires msgstr[N], not msgstr", lineno)
                    if state == _MSGSTR:
                        raise _Fail("msgstr without msgid", lineno)
                    cur = b.msgstr = [value]
                else:
                    if state == _MSGID:
                        raise _Fail("msgstr[N] without msgid_plural", lineno)
                    if state == _MSGSTR and b.plural is None:
                        raise _Fail("msgstr[N] after msgstr", lineno)
                    if int(index) != len(b.plurals):
                        raise _Fail(f"plural form has wrong index: expected msgstr["
                                    f"{len(b.plurals)}], got msgstr[{index}]", lineno)
                    cur = [value]
                    b.plurals.append(cur)
                state = _MSGSTR
            else:
                if index is not None:
                    raise _Fail(_unknown(m.group(0).strip()), lineno)
                if keyword == "msgid_plural":
                    if state != _MSGID:
                        raise _Fail("msgid_plural without msgid", lineno)
                    check_obsolete(obsolete, lineno)
                    cur = b.plural = [value]
                    state = _PLURAL
                else:
                    if state == _MSGSTR:
                        finish()
                    if state == _IDLE:
                        start = idx
                    if keyword == "msgctxt":
                        if state >= _CTXT:
                            raise _Fail("msgctxt after msgctxt or msgid (missing msgstr?)",
                                        lineno)
                        check_obsolete(obsolete, lineno)
                        cur = b.ctxt = [value]
                        state = _CTXT
                    else:  # msgid
                        if state >= _MSGID:
                            raise _Fail("msgid without msgstr before it", lineno)
                        check_obsolete(obsolete, lineno)
                        cur = b.msgid = [value]
                        b.msgid_line = lineno
                        state = _MSGID
            last = idx
        elif c == "#" or c == "|":  # comment or previous-message field
            if state == _MSGSTR:
                finish()
            elif state != _IDLE and state != _COMMENTS:
                raise _Fail("comment line inside an entry", lineno)
            if state == _IDLE:
                start = idx
                state = _COMMENTS
            if c == "|":
                prev_seen = True
                if content[:1] == '"':
                    if prev_field is None:
                        raise _Fail("#| string without a keyword before it", lineno)
                    prev_field.append(_strings(content, lineno, encoding))
                else:
                    m = _KEYWORD_RE.match(content)
                    if m is None or m.group(2) is not None or m.group(1) == "msgstr":
                        word = content.split(None, 1)[0] if content.strip() else ""
                        raise _Fail(_unknown(word, " in #| line"), lineno)
                    value = _strings(content[m.end():], lineno, encoding)
                    prev_field = [value]
                    if m.group(1) == "msgctxt":
                        b.prev_ctxt = prev_field
                    elif m.group(1) == "msgid":
                        b.prev_id = prev_field
                    else:
                        b.prev_plural = prev_field
            else:
                if obsolete:
                    raise _Fail(f"unexpected text after #~: {excerpt(content)}", lineno)
                if prev_seen:
                    raise _Fail("comment line after #| lines", lineno)
                c2 = line[1:2]
                if c2 == ":":
                    b.occurrences.extend(_occurrences(line[2:]))
                elif c2 == ",":
                    b.flags.extend(f for f in _FLAG_SPLIT_RE.split(line[2:]) if f)
                elif c2 == ".":
                    rest = line[2:]
                    b.comment.append(rest[1:] if rest[:1] == " " else rest)
                elif c2 == "=":
                    b.sticky.append(line)
                else:
                    rest = line[1:]
                    b.tcomment.append(rest[1:] if rest[:1] == " " else rest)
        elif c == " ":  # blank line (or a bare "#~")
            if state == _MSGSTR:
                finish()
        else:
            word = content.split(None, 1)[0]
            raise _Fail(_unknown(word), lineno)

    if state == _MSGSTR:
        finish()
    elif state in (_CTXT, _MSGID, _PLURAL):
        raise _Fail("entry has no msgstr", b.msgid_line or idx + 1)
    catalog._trailer = lines[gap_start:]
    catalog._trailer_prev = prev_entry
    catalog.header = header


# The charsets gettext calls portable (gettext-tools/src/po-charset.c), as far as Python
# has codecs for them. Anything else (rot13, base64, zlib, utf-16, ...) is refused: some
# are not text encodings at all, some are not ASCII-compatible, none is a PO charset.
_PORTABLE_CHARSETS = (
    "UTF-8", "ASCII", "ISO-8859-1", "ISO-8859-2", "ISO-8859-3", "ISO-8859-4", "ISO-8859-5",
    "ISO-8859-6", "ISO-8859-7", "ISO-8859-8", "ISO-8859-9", "ISO-8859-13", "ISO-8859-14",
    "ISO-8859-15", "KOI8-R", "KOI8-U", "KOI8-T", "CP850", "CP866", "CP874", "CP932", "CP949",
    "CP950", "CP1250", "CP1251", "CP1252", "CP1253", "CP1254", "CP1255", "CP1256", "CP1257",
    "CP1258", "GB2312", "EUC-JP", "EUC-KR", "BIG5", "BIG5-HKSCS", "GBK", "GB18030",
    "SHIFT_JIS", "JOHAB", "TIS-620",
)


@functools.lru_cache(maxsize=1)
def _portable_codecs() -> frozenset[str]:
    names = set()
    for charset in _PORTABLE_CHARSETS:
        with contextlib.suppress(LookupError):
            names.add(codecs.lookup(charset).name)
    return frozenset(names)


def _codec(charset: str, path: str | Path | None, line: int | None) -> str:
    """The Python codec for a PO charset name; the POT placeholder CHARSET means UTF-8."""
    if charset.upper() == "CHARSET":
        return "utf-8"
    try:
        name = codecs.lookup(charset).name
    except (LookupError, ValueError):  # ValueError: a NUL in the name
        raise CatalogError(f"unknown charset {excerpt(charset)}", path=path, line=line) from None
    if name not in _portable_codecs():
        raise CatalogError(f"unsupported charset {excerpt(charset)} (use UTF-8)",
                           path=path, line=line)
    return name


def _header_charset(header: Entry | None) -> str | None:
    if header is None:
        return None
    for line in header.msgstr.split("\n"):
        name, _, value = line.partition(":")
        if name.strip().lower() == "content-type":
            m = _CHARSET_RE.search(value)
            return m.group(1) if m else None
    return None


def parse(data: bytes, path: str | Path | None = None) -> Catalog:
    """Parse PO/POT *data* strictly; *path* is only used in error messages and ``.path``.

    Raises :class:`CatalogError` (with path and line) for: unterminated or malformed
    strings, unknown keywords, escapes gettext does not accept, msgstr without msgid,
    msgid_plural without msgstr[N] (and vice versa), wrongly numbered plural forms, comments
    inside an entry, mixed ``#~``/active lines in one entry, duplicate (msgctxt, msgid)
    among active entries, bytes not valid in the header's charset, unknown charsets.

    Accepted and preserved byte for byte: a UTF-8 BOM, CRLF line ends, a missing final
    newline, blank lines inside an entry's comment block or between its keywords, comment
    lines at the end of the file. Stricter than gettext in two corner cases nobody writes:
    a keyword must have its first string on the same line, and a string after a blank line
    does not continue the previous msgstr.
    """
    bom = data.startswith(codecs.BOM_UTF8)
    body = data[3:] if bom else data
    m = _CHARSET_SNIFF_RE.search(body)
    if m:
        sniffed_line = body.count(b"\n", 0, m.start()) + 1
        encoding = _codec(m.group(1).decode("ascii", "replace"), path, sniffed_line)
    else:
        encoding = "utf-8"
    for _attempt in range(2):
        catalog = _parse_decoded(body, encoding, path)
        declared = _header_charset(catalog.header)
        actual = (_codec(declared, path, catalog.header.line if catalog.header else None)
                  if declared else "utf-8")
        if actual == encoding:
            break
        # The sniffed Content-Type was not the header's (no header, or an odd layout).
        encoding = actual
    catalog._bom = bom
    return catalog


def _parse_decoded(body: bytes, encoding: str, path: str | Path | None) -> Catalog:
    try:
        text = body.decode(encoding)
    except UnicodeDecodeError as exc:
        line = body.count(b"\n", 0, exc.start) + 1
        bad = body[exc.start:exc.start + 1].hex()
        raise CatalogError(f"invalid {encoding} byte sequence (0x{bad})",
                           path=path, line=line) from None
    catalog = Catalog(path=path)
    catalog._encoding = encoding
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    else:
        catalog._final_newline = False
    catalog._crlf = bool(lines) and lines[0].endswith("\r")
    try:
        _parse_lines(lines, "\r" in text, encoding, catalog)
    except _Fail as exc:
        raise CatalogError(exc.message, path=path, line=exc.line) from None
    return catalog


def load(path: str | Path) -> Catalog:
    """Read and :func:`parse` the file at *path*; I/O errors become :class:`CatalogError`."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise CatalogError(f"cannot read catalog: {exc.strerror or exc}", path=path) from None
    return parse(data, path)


# --------------------------------------------------------------------------- formatting

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


def dump(catalog: Catalog) -> bytes:
    """Serialize *catalog*; ``dump(parse(b)) == b`` for any *b* that parses.

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


def new_catalog(metadata: dict[str, str], path: str | Path | None = None) -> Catalog:
    """A fresh catalog whose header holds *metadata* in the given order.

    Include ``"Content-Type": "text/plain; charset=UTF-8"`` for non-ASCII content (gettext
    tools require a charset); without one the file is still written as UTF-8.
    """
    header = Entry(msgid="", msgstr="".join(f"{k}: {v}\n" for k, v in metadata.items()))
    catalog = Catalog(header=header, path=path)
    declared = _header_charset(header)
    if declared:
        catalog._encoding = _codec(declared, path, None)
    return catalog


# --------------------------------------------------------------------------- writing

def _umask() -> int:
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    # Not thread-safe (briefly sets the umask), hence only the fallback.
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def check_writable(path: str | Path, st: os.stat_result | None = None) -> None:
    """Raise :class:`CatalogError` if the existing file at *path* is read-only.

    A rename would replace a read-only file as easily as any other (only the folder's
    permission counts), so the file's own write permission is checked first, the way
    editors do: mode 444 means "do not change this". The mode bits are read as well as
    ``access()``, so the answer is the same for root. A missing file is writable.
    """
    try:
        if st is None:
            st = os.stat(path)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise CatalogError(f"cannot write: {exc.strerror or exc}", path=path) from None
    if not st.st_mode & 0o222 or not os.access(path, os.W_OK):
        raise CatalogError("read-only file: not replacing it (make it writable to update it)",
                           path=path)


def save_atomic(path: str | Path, data: bytes) -> bool:
    """Write *data* to *path* atomically; return False (and write nothing) if unchanged.

    A temporary file in the same directory is written, fsynced, given the existing file's
    permissions (``0o666 & ~umask`` for a new file) and renamed over the target, so
    readers and crashes see the old or the new content, never a mix. Parent directories
    are created. A symlink at *path* is followed (its target is replaced, the link kept):
    callers check paths with :mod:`locflow.paths` first. A read-only file is refused
    (:func:`check_writable`).
    """
    target = Path(os.path.realpath(path))
    try:
        st = target.stat()
    except FileNotFoundError:
        mode = 0o666 & ~_umask()
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CatalogError(f"cannot create directory: {exc.strerror or exc}",
                               path=path) from None
    except OSError as exc:
        raise CatalogError(f"cannot write catalog: {exc.strerror or exc}", path=path) from None
    else:
        mode = stat.S_IMODE(st.st_mode)
        if st.st_size == len(data):
            try:
                if target.read_bytes() == data:
                    return False
            except OSError as exc:
                raise CatalogError(f"cannot read catalog: {exc.strerror or exc}",
                                   path=path) from None
        check_writable(path, st)
    try:
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise CatalogError(f"cannot write catalog: {exc.strerror or exc}", path=path) from None
    try:
        # Held until the rename: remove_stale_temporaries() leaves a locked temporary alone
        # (its writer is alive); a killed writer's lock is gone with it.
        fcntl.flock(fd, fcntl.LOCK_EX)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
            os.fchmod(f.fileno(), mode)
        os.replace(tmp, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise CatalogError(f"cannot write catalog: {exc.strerror or exc}",
                               path=path) from exc
        raise
    # Make the rename itself durable (now, or once at the end of a batch).
    pending = getattr(_deferred, "dirs", None)
    if pending is not None:
        pending.add(str(target.parent))
    else:
        _fsync_directory(str(target.parent))
    return True


def _fsync_directory(directory: str) -> None:
    with contextlib.suppress(OSError):
        dir_fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


_deferred = threading.local()  # .dirs: directories whose renames await their fsync


@contextlib.contextmanager
def deferred_directory_sync() -> Iterator[None]:
    """Within, :func:`save_atomic` fsyncs each directory once, when the block ends.

    Each file is still fsynced before its rename (a crash leaves the old or the new
    catalog, never a mix); only making the renames durable waits, so a command
    writing many catalogs pays one directory fsync per directory, not per file.
    Nested blocks sync at the outermost end, also when the block raises; per thread.
    """
    if getattr(_deferred, "dirs", None) is not None:
        yield
        return
    pending: set[str] = set()
    _deferred.dirs = pending
    try:
        yield
    finally:
        _deferred.dirs = None
        for directory in sorted(pending):
            _fsync_directory(directory)


_TEMPORARY_RE = re.compile(r"\.(.+)\.[a-z0-9_]{8}\.tmp")
#: A temporary younger than this may be between mkstemp() and its flock(): left alone.
_TEMPORARY_GRACE = 2.0


def remove_stale_temporaries(folder: str | Path, *, names: set[str] | None = None
                             ) -> list[Path]:
    """Remove the ``.<name>.XXXXXXXX.tmp`` files :func:`save_atomic` left behind when its
    process was killed (``kill -9``, power loss), in *folder* and below; return them.
    With *names*, only those of files with these names, in *folder* itself.

    A temporary another process is still writing is locked and is kept. Only regular
    files are removed; symbolic links and folders are never followed or touched.
    """
    import time

    root = Path(folder)
    if not root.is_dir() or root.is_symlink():
        return []
    removed: list[Path] = []
    now = time.time()
    found = root.glob(".*.tmp") if names is not None else root.rglob(".*.tmp")
    for path in sorted(found):
        match = _TEMPORARY_RE.fullmatch(path.name)
        if match is None or (names is not None and match.group(1) not in names):
            continue
        try:
            st = path.lstat()
            if not stat.S_ISREG(st.st_mode) or now - st.st_mtime < _TEMPORARY_GRACE:
                continue
            fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
        except OSError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            continue  # its writer is alive
        else:
            with contextlib.suppress(OSError):
                path.unlink()
                removed.append(path)
        finally:
            os.close(fd)
    return removed


class _DirLock:
    """Per-process state of one directory lock: reentrant within a thread, counted."""

    __slots__ = ("depth", "fd", "rlock")

    def __init__(self) -> None:
        self.rlock = threading.RLock()
        self.fd = -1
        self.depth = 0


_dir_locks: dict[str, _DirLock] = {}
_dir_locks_guard = threading.Lock()


def _reset_locks_after_fork() -> None:
    # A forked child must not believe it holds its parent's locks.
    global _dir_locks_guard
    _dir_locks.clear()
    _dir_locks_guard = threading.Lock()


os.register_at_fork(after_in_child=_reset_locks_after_fork)


@contextlib.contextmanager
def locked(path: str | Path) -> Iterator[None]:
    """Hold an exclusive lock for read-modify-write of the catalog at *path*.

    The lock is ``flock`` on the catalog's directory (opened read-only, created if
    missing), so no lock file is left in the user's tree. It excludes other processes and
    other threads; it is reentrant in the holding thread. It covers every catalog in the
    same directory. Advisory: it only excludes code that also uses :func:`locked`.
    """
    directory = os.path.dirname(os.path.realpath(path))
    try:
        os.makedirs(directory, exist_ok=True)
    except OSError as exc:
        raise CatalogError(f"cannot create directory: {exc.strerror or exc}",
                           path=path) from None
    with _dir_locks_guard:
        state = _dir_locks.setdefault(directory, _DirLock())
    with state.rlock:
        if state.depth == 0:
            try:
                fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
            except OSError as exc:
                raise CatalogError(f"cannot lock directory: {exc.strerror or exc}",
                                   path=path) from None
            try:
                fcntl.flock(fd, fcntl.LOCK_EX)
            except BaseException:
                os.close(fd)
                raise
            state.fd = fd
        state.depth += 1
        try:
            yield
        finally:
            state.depth -= 1
            if state.depth == 0:
                fd, state.fd = state.fd, -1
                try:
                    fcntl.flock(fd, fcntl.LOCK_UN)
                finally:
                    os.close(fd)


def read_optional(path: str | Path) -> bytes | None:
    """The bytes of the file at *path*, or None if there is none; I/O errors are
    :class:`CatalogError`."""
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise CatalogError(f"cannot read: {exc.strerror or exc}", path=path) from None


@dataclass
class PlannedWrite:
    """A file a command will write, worked out before anything is written.

    Commands that touch several files plan every write first (reading, parsing and
    changing each file in memory, checking it may be written) and :func:`commit` only
    when all plans succeeded: a malformed third catalog leaves the first two untouched.
    """

    path: Path
    before: bytes | None  # the file's bytes when planned; None: no file yet
    after: bytes
    #: Recompute *after* from the file's current bytes, if it changed since it was read
    #: (another process wrote it in between); None: *after* does not depend on them.
    redo: Callable[[bytes | None], bytes] | None = None

    @property
    def changed(self) -> bool:
        return self.before != self.after


def commit(plans: Iterable[PlannedWrite]) -> list[Path]:
    """Write every changed plan atomically, each under :func:`locked`; return the paths
    whose bytes changed. If one of the files is read-only, nothing is written. A file
    that changed since it was planned is recomputed from its current bytes (``redo``)
    under the lock, so no concurrent edit is lost."""
    changed = [plan for plan in plans if plan.changed]
    for plan in changed:  # a read-only file refuses the whole command, before any write
        check_writable(plan.path)
    written: list[Path] = []
    for plan in changed:
        with locked(plan.path):
            data = plan.after
            if plan.redo is not None:
                now = read_optional(plan.path)
                if now != plan.before:
                    data = plan.redo(now)
            if save_atomic(plan.path, data):
                written.append(plan.path)
    return written


@contextlib.contextmanager
def edit(path: str | Path, create: Callable[[], Catalog] | None = None) -> Iterator[Catalog]:
    """Locked read-modify-write of the catalog at *path*.

    Under :func:`locked`, loads the catalog (or calls *create* if the file does not exist
    and *create* is given; otherwise raises :class:`CatalogError`), yields it, and on normal
    exit writes ``dump(catalog)`` with :func:`save_atomic` (nothing if the bytes are the
    same). If the block raises, nothing is written.
    """
    p = Path(path)
    with locked(p):
        try:
            data = p.read_bytes()
        except FileNotFoundError:
            if create is None:
                raise CatalogError("catalog does not exist", path=p) from None
            catalog = create()
            if catalog.path is None:
                catalog.path = p
        except OSError as exc:
            raise CatalogError(f"cannot read catalog: {exc.strerror or exc}", path=p) from None
        else:
            catalog = parse(data, p)
        yield catalog
        save_atomic(p, dump(catalog))
