"""Reading PO files strictly: what GNU gettext's ``po-lex``/``po-gram`` accept, and nothing else.

Every error is a :class:`~locflow.errors.CatalogError` naming ``path:line`` and the kind of
problem, never the file's text beyond a short escaped excerpt. Each entry keeps its
original lines so that :mod:`.writer` can write it back byte for byte.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable
from pathlib import Path

from ..errors import CatalogError, excerpt
from .codec import header_charset, python_codec, sniff_charset
from .entry import Catalog, Entry, Key, _fields, _parsed_entry

_KEYWORD_RE = re.compile(r"(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])?(?=[\s\"]|$)[ \t]*")
_STRING_RE = re.compile(r'"([^"\\]*(?:\\.[^"\\]*)*)"[ \t]*')
_ESCAPE_RE = re.compile(r"\\(?:([0-7]{1,3})|x([0-9A-Fa-f]+)|(.?))", re.DOTALL)
_SIMPLE_ESCAPES = {
    "n": "\n", "t": "\t", "r": "\r", "\\": "\\", '"': '"',
    "a": "\a", "b": "\b", "f": "\f", "v": "\v",
}
_FLAG_SPLIT_RE = re.compile(r"[\s,]+")

# Parser states
_IDLE, _COMMENTS, _CTXT, _MSGID, _PLURAL, _MSGSTR = range(6)


class _Fail(Exception):
    """Internal: a syntax error at a known line; turned into CatalogError by parse()."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


_WORD_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_\[\]]{0,23}")


def _first_word(content: str) -> str:
    """The first word of a line ("" for a line of white space only: ``\\v``, ``\\f``)."""
    words = content.split(None, 1)
    return words[0] if words else ""


def _unknown(word: str, where: str = "") -> str:
    """The message for an unexpected token: named if it looks like a keyword, else only
    described, so a file that is not a catalog (``/proc/self/environ``) is never echoed."""
    if _WORD_RE.fullmatch(word):
        return f"unknown keyword{where}: {word!r}" if where else f"unknown keyword {word!r}"
    return f"text that is not PO syntax{where}"


_SIMPLE_ESCAPE_RE = re.compile(r'\\([ntr\\"abfv])')


def _simple_unescape(body: str) -> str | None:
    """*body* with its escapes resolved if all are ``\\n``, ``\\"`` and the like (most
    are), else None. Escapes pair up from the left: a backslash the pattern did not
    take is left in the text between its matches."""
    pieces = _SIMPLE_ESCAPE_RE.split(body)
    if "\\" in "".join(pieces[::2]):
        return None
    pieces[1::2] = [_SIMPLE_ESCAPES[c] for c in pieces[1::2]]
    return "".join(pieces)


def _unescape(body: str, lineno: int, encoding: str) -> str:
    """Resolve the escapes gettext's po-lex accepts; octal/hex escapes denote *bytes*."""
    simple = _simple_unescape(body)
    if simple is not None:
        return simple
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


def _comment_lines(lines: Iterable[str], tcomment: list[str], comment: list[str],
                   occurrences: list[tuple[str, str]], flags: list[str],
                   sticky: list[str]) -> None:
    """``#`` lines of an entry's comment block (not ``#~``, not ``#|``), added to the lists."""
    for line in lines:
        c2 = line[1:2]
        if c2 == ":":
            for token in line[2:].split():
                name, sep, number = token.rpartition(":")
                if sep and name and number.isdigit():
                    occurrences.append((name, number))
                else:
                    occurrences.append((token, ""))
        elif c2 == ",":
            flags += [f for f in _FLAG_SPLIT_RE.split(line[2:]) if f]
        elif c2 == ".":
            rest = line[2:]
            comment.append(rest[1:] if rest[:1] == " " else rest)
        elif c2 == "=":
            sticky.append(line)
        else:
            rest = line[1:]
            tcomment.append(rest[1:] if rest[:1] == " " else rest)


# The common entry, matched whole (most entries of most files): comment lines (neither
# "#~" nor "#|"), an optional msgctxt, msgid and msgstr, each keyword followed by one
# space and a string, then continuation strings, each string ending its line; then blank
# lines or the end of the file. Anything else (plurals, obsolete entries, previous
# fields, blank lines inside, CRLF, odd spacing, every error) takes the line-by-line
# path, which gives the same result for what this accepts. Linear: the string pattern
# is an unrolled loop, and nothing here can match the same text two ways.
_BODY = r'[^"\\\n]*(?:\\.[^"\\\n]*)*'
_MORE = rf'((?:"{_BODY}"\n)*)'  # continuation strings
_FAST_ENTRY_RE = re.compile(
    r"((?:#(?![~|])[^\n]*\n)*)"
    rf'(?:msgctxt "({_BODY})"\n{_MORE})?'
    rf'msgid "({_BODY})"\n{_MORE}'
    rf'msgstr "({_BODY})"\n{_MORE}'
    r"(\n*)(?:(?<=\n\n)|\Z)"
)
_QUOTED_BODY_RE = re.compile(rf'"({_BODY})"\n')


def _fast_value(body: str, more: str, lineno: int, encoding: str) -> str:
    """The value of a keyword's strings as :data:`_FAST_ENTRY_RE` matched them: *body* on
    the keyword's line (*lineno*), *more* the continuation lines."""
    parts = _QUOTED_BODY_RE.findall(more) if more else []
    value = body + "".join(parts) if parts else body
    if "\\" not in value:
        return value
    # No string ends inside an escape, so simple ones resolve the same over the whole.
    simple = _simple_unescape(value)
    if simple is not None:
        return simple
    # Octal and hex escapes stand for bytes, decoded string by string (as gettext does).
    return "".join(_unescape(part, lineno + i, encoding) if "\\" in part else part
                   for i, part in enumerate([body, *parts]))


class _Parser:
    """One file's parse: the entries read so far, and the one being built.

    Lines are read one at a time by a small state machine (``_IDLE``, ``_COMMENTS``, then
    one state per keyword), except that a common entry is taken whole when the parser is
    between entries and the text allows it (:data:`_FAST_ENTRY_RE`).
    """

    __slots__ = ("b", "catalog", "cur", "encoding", "entries", "gap_start", "header", "last",
                 "lines", "prev_entry", "prev_field", "prev_seen", "seen", "start", "state")

    def __init__(self, lines: list[str], encoding: str, catalog: Catalog) -> None:
        self.lines = lines
        self.encoding = encoding
        self.catalog = catalog
        self.entries = catalog.entries
        self.seen: dict[Key, int] = {}  # active key -> line, for duplicate detection
        self.header: Entry | None = None
        self.prev_entry: Entry | None = None
        self.state = _IDLE
        self.b = _Builder()
        self.gap_start = 0  # first line after the previous entry
        self.start = 0  # first line of the current entry (comments included)
        self.last = 0  # last line holding a string of the current entry
        self.prev_field: list[str] | None = None  # the "#|" field a '#| "..."' line continues
        self.prev_seen = False
        self.cur: list[str] | None = None  # the field that a '"..."' line continues

    def run(self, crlf: bool, text: str | None) -> None:
        """Read every line (*text* as for :func:`_parse_lines`): whole entries, string
        continuations and blank lines here, keyword and comment lines by the methods below."""
        lines = self.lines
        fast = _FAST_ENTRY_RE.match if text is not None else None
        source = text or ""
        count = len(lines)
        pos = 0  # offset of line idx in text
        idx = 0
        while idx < count:
            if fast is not None and self.state == _IDLE:
                m = fast(source, pos)
                if m is not None:
                    idx = self._whole_entry(m, idx)
                    pos = m.end()
                    continue
            # Each line is classified here, and strings continued, in the loop itself: a
            # method call per line cost 2 % more on files read line by line (callgrind).
            raw = lines[idx]
            pos += len(raw) + 1
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
                cur = self.cur
                if cur is None or self.state < _CTXT:
                    raise _Fail("string without a keyword before it", lineno)
                self._check_obsolete(obsolete, lineno)
                cur.append(_strings(content, lineno, self.encoding))
                self.last = idx
            elif c == "m":
                self._keyword(content, obsolete, lineno, idx)
            elif c == "#" or c == "|":
                self._comment(c, line, content, obsolete, lineno, idx)
            elif c == " ":  # blank line (or a bare "#~")
                if self.state == _MSGSTR:
                    self._finish()
            else:
                raise _Fail(_unknown(_first_word(content)), lineno)
            idx += 1
        self._end(count)

    def _whole_entry(self, m: re.Match[str], idx: int) -> int:
        """Add the entry :data:`_FAST_ENTRY_RE` matched at line *idx*; the next line's index."""
        encoding = self.encoding
        comments, ctxt, ctxt_more, msgid, msgid_more, msgstr, msgstr_more, blanks = m.groups()
        self.start = idx
        tcomment: list[str] = []
        comment: list[str] = []
        occurrences: list[tuple[str, str]] = []
        flags: list[str] = []
        sticky: list[str] = []
        if comments:
            lineno = idx + 1 + comments.count("\n")
            _comment_lines(comments[:-1].split("\n"), tcomment, comment, occurrences, flags,
                           sticky)
        else:
            lineno = idx + 1
        if ctxt is not None:
            if ctxt_more or "\\" in ctxt:
                ctxt = _fast_value(ctxt, ctxt_more, lineno, encoding)
                lineno += ctxt_more.count("\n")
            lineno += 1
        if msgid_more or "\\" in msgid:
            msgid = _fast_value(msgid, msgid_more, lineno, encoding)
            last = lineno + msgid_more.count("\n")  # the msgstr line's index
        else:
            last = lineno
        if msgstr_more or "\\" in msgstr:
            msgstr = _fast_value(msgstr, msgstr_more, last + 1, encoding)
            last += msgstr_more.count("\n")
        self.last = last
        self._add(_parsed_entry(
            msgid, msgstr, "", {}, ctxt, False, encoding, "\n".join(comment),
            "\n".join(tcomment), occurrences, flags, None, None, None, lineno, sticky),
            lineno, False)
        return last + 1 + len(blanks)

    def _keyword(self, content: str, obsolete: bool, lineno: int, idx: int) -> None:
        """A keyword line: msgctxt, msgid, msgid_plural, msgstr or msgstr[N]."""
        m = _KEYWORD_RE.match(content)
        if m is None:
            raise _Fail(_unknown(_first_word(content)), lineno)
        keyword, index = m.group(1), m.group(2)
        value = _strings(content[m.end():], lineno, self.encoding)
        if keyword == "msgstr":
            self._msgstr(index, value, obsolete, lineno)
        elif index is not None:
            raise _Fail(_unknown(m.group(0).strip()), lineno)
        elif keyword == "msgid_plural":
            if self.state != _MSGID:
                raise _Fail("msgid_plural without msgid", lineno)
            self._check_obsolete(obsolete, lineno)
            self.cur = self.b.plural = [value]
            self.state = _PLURAL
        else:
            self._opening(keyword, value, obsolete, lineno, idx)
        self.last = idx

    def _msgstr(self, index: str | None, value: str, obsolete: bool, lineno: int) -> None:
        """``msgstr`` (*index* None) or ``msgstr[index]``."""
        state = self.state
        if state not in (_MSGID, _PLURAL, _MSGSTR):
            raise _Fail("msgstr without msgid", lineno)
        self._check_obsolete(obsolete, lineno)
        b = self.b
        if index is None:
            if state == _PLURAL:
                raise _Fail("msgid_plural requires msgstr[N], not msgstr", lineno)
            if state == _MSGSTR:
                raise _Fail("msgstr without msgid", lineno)
            self.cur = b.msgstr = [value]
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
            self.cur = cur
        self.state = _MSGSTR

    def _opening(self, keyword: str, value: str, obsolete: bool, lineno: int, idx: int) -> None:
        """``msgctxt`` or ``msgid``: they end the entry before, if it is complete."""
        if self.state == _MSGSTR:
            self._finish()
        if self.state == _IDLE:
            self.start = idx
        if keyword == "msgctxt":
            if self.state >= _CTXT:
                raise _Fail("msgctxt after msgctxt or msgid (missing msgstr?)", lineno)
            self._check_obsolete(obsolete, lineno)
            self.cur = self.b.ctxt = [value]
            self.state = _CTXT
        else:  # msgid
            if self.state >= _MSGID:
                raise _Fail("msgid without msgstr before it", lineno)
            self._check_obsolete(obsolete, lineno)
            self.cur = self.b.msgid = [value]
            self.b.msgid_line = lineno
            self.state = _MSGID

    def _comment(self, c: str, line: str, content: str, obsolete: bool, lineno: int,
                 idx: int) -> None:
        """A comment line (*c* ``#``) or a previous-message field (*c* ``|``)."""
        if self.state == _MSGSTR:
            self._finish()
        elif self.state != _IDLE and self.state != _COMMENTS:
            raise _Fail("comment line inside an entry", lineno)
        if self.state == _IDLE:
            self.start = idx
            self.state = _COMMENTS
        if c == "|":
            self._previous(content, lineno)
        else:
            if obsolete:
                raise _Fail(f"unexpected text after #~: {excerpt(content)}", lineno)
            if self.prev_seen:
                raise _Fail("comment line after #| lines", lineno)
            b = self.b
            _comment_lines((line,), b.tcomment, b.comment, b.occurrences, b.flags, b.sticky)

    def _previous(self, content: str, lineno: int) -> None:
        """A ``#|`` line (*content* after the mark): a previous field or its continuation."""
        self.prev_seen = True
        if content[:1] == '"':
            if self.prev_field is None:
                raise _Fail("#| string without a keyword before it", lineno)
            self.prev_field.append(_strings(content, lineno, self.encoding))
            return
        m = _KEYWORD_RE.match(content)
        if m is None or m.group(2) is not None or m.group(1) == "msgstr":
            word = content.split(None, 1)[0] if content.strip() else ""
            raise _Fail(_unknown(word, " in #| line"), lineno)
        value = _strings(content[m.end():], lineno, self.encoding)
        field = self.prev_field = [value]
        if m.group(1) == "msgctxt":
            self.b.prev_ctxt = field
        elif m.group(1) == "msgid":
            self.b.prev_id = field
        else:
            self.b.prev_plural = field

    def _check_obsolete(self, obsolete: bool, lineno: int) -> None:
        """All keyword lines of an entry are ``#~`` ones, or none is."""
        if self.b.obsolete is None:
            self.b.obsolete = obsolete
        elif self.b.obsolete != obsolete:
            raise _Fail("inconsistent use of #~", lineno)

    def _finish(self) -> None:
        """Add the entry built line by line, and start the next."""
        b = self.b
        lineno = b.msgid_line
        obsolete = bool(b.obsolete)
        if b.plural is not None:
            msgid_plural = "".join(b.plural)
            msgstr_plural = {i: "".join(p) for i, p in enumerate(b.plurals)}
            msgstr = ""
        else:
            msgid_plural, msgstr_plural = "", {}
            msgstr = "".join(b.msgstr or ())
        self._add(_parsed_entry(
            "".join(b.msgid), msgstr, msgid_plural, msgstr_plural,
            "".join(b.ctxt) if b.ctxt is not None else None,
            obsolete, self.encoding, "\n".join(b.comment), "\n".join(b.tcomment),
            b.occurrences, b.flags,
            "".join(b.prev_ctxt) if b.prev_ctxt is not None else None,
            "".join(b.prev_id) if b.prev_id is not None else None,
            "".join(b.prev_plural) if b.prev_plural is not None else None,
            lineno, list(b.sticky)), lineno, obsolete)
        self.state = _IDLE
        self.b = _Builder()
        self.prev_field = None
        self.prev_seen = False

    def _add(self, entry: Entry, lineno: int, obsolete: bool) -> None:
        """Add *entry* (lines ``start`` to ``last``) with its bookkeeping for the writer."""
        lines = self.lines
        entry._raw = lines[self.start:self.last + 1]
        entry._gap = lines[self.gap_start:self.start]
        entry._prev = self.prev_entry
        entry._snapshot = _fields(entry)
        if not obsolete:
            key = (entry.msgctxt, entry.msgid)
            first = self.seen.get(key)
            if first is not None:
                raise _Fail(f"duplicate message definition (first defined at line {first})",
                            lineno)
            self.seen[key] = lineno
            if key == (None, ""):
                self.header = entry
                self.catalog._header_pos = len(self.entries)
            else:
                self.entries.append(entry)
        else:
            self.entries.append(entry)
        self.prev_entry = entry
        self.gap_start = self.last + 1

    def _end(self, count: int) -> None:
        """After the last of *count* lines: the last entry, the trailer, the header."""
        if self.state == _MSGSTR:
            self._finish()
        elif self.state in (_CTXT, _MSGID, _PLURAL):
            raise _Fail("entry has no msgstr", self.b.msgid_line or count)
        catalog = self.catalog
        catalog._trailer = self.lines[self.gap_start:]
        catalog._trailer_prev = self.prev_entry
        catalog.header = self.header


def _parse_lines(lines: list[str], crlf: bool, encoding: str, catalog: Catalog,
                 text: str | None = None) -> None:
    """Fill *catalog* from the file's lines (without newline characters).

    *text* is the lines joined by newlines, if there is no carriage return in it: then
    common entries are matched whole (:data:`_FAST_ENTRY_RE`) instead of line by line.
    """
    _Parser(lines, encoding, catalog).run(crlf, text)


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
    sniffed = sniff_charset(body)
    encoding = python_codec(sniffed[0], path, sniffed[1]) if sniffed else "utf-8"
    for _attempt in range(2):
        catalog = _parse_decoded(body, encoding, path)
        declared = header_charset(catalog.header)
        actual = (python_codec(declared, path, catalog.header.line if catalog.header else None)
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
    crlf = "\r" in text
    try:
        _parse_lines(lines, crlf, encoding, catalog, None if crlf else text)
    except _Fail as exc:
        raise CatalogError(exc.message, path=path, line=exc.line) from None
    return catalog


def load(path: str | Path) -> Catalog:
    """Read and :func:`parse` the file at *path*; I/O errors become :class:`CatalogError`."""
    return parse(read_bytes(path), path)


def read_bytes(path: str | Path) -> bytes:
    """The bytes of the catalog at *path*, read as :func:`load` reads them (I/O errors
    are :class:`CatalogError`)."""
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise CatalogError(f"cannot read catalog: {exc.strerror or exc}", path=path) from None


def new_catalog(metadata: dict[str, str], path: str | Path | None = None) -> Catalog:
    """A fresh catalog whose header holds *metadata* in the given order.

    Include ``"Content-Type": "text/plain; charset=UTF-8"`` for non-ASCII content (gettext
    tools require a charset); without one the file is still written as UTF-8.
    """
    header = Entry(msgid="", msgstr="".join(f"{k}: {v}\n" for k, v in metadata.items()))
    catalog = Catalog(header=header, path=path)
    declared = header_charset(header)
    if declared:
        catalog._encoding = python_codec(declared, path, None)
    return catalog
