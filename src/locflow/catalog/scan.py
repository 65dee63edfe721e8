"""Review-state counts straight from a catalog's bytes, for commands that only count.

``locflow status`` needs, per catalog, what :func:`~locflow.review.count_states` gives and
the header, none of what the reader keeps so that the writer can leave files byte-stable,
and no :class:`~.entry.Entry` for most messages. :func:`read_counts` scans the text entry
by entry with one pattern (:data:`_ENTRY_RE`: the layout msgcat and locflow write) and
counts a message from its msgstr and its ``fuzzy`` flag, and, if it carries approvals,
their hashes; the reader's own code does the rest:

- an entry with other review comments (rejected, conflict, previous approval) is built
  as the reader builds it, and counted by :func:`~locflow.review.count_states`;
- entries the pattern does not take (plurals, obsolete entries, ``#|`` fields with
  review comments, octal escapes, odd layouts) are read by the reader's parser, from
  there up to the next blank line, and counted the same way;
- a file the scan does not fully understand (CRLF, a charset other than the one sniffed,
  a comment block split by a blank line, a duplicate, any error) is read by
  :func:`~.reader.parse`, so a broken catalog fails exactly as it always did.

The counts are ``count_states(parse(data).entries)`` on every file ``parse`` accepts
(``tests/catalog/test_scan.py`` compares them on the corpus, the project's catalogs,
generated and mutated ones).
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from ..errors import CatalogError
from ..review import (
    APPROVED_PREFIX,
    CONFLICT_PREFIX,
    PREVIOUS_PREFIX,
    REJECTED_PREFIX,
    StateCounts,
    approves_text,
    count_states,
)
from . import reader
from .codec import header_charset, python_codec, sniff_charset
from .entry import Catalog, Entry, _parsed_entry

__all__ = ["read_counts"]

# One entry as msgcat --no-wrap and locflow write it: comment lines (neither "#~" nor
# "#|"), then "#| " previous fields, an optional msgctxt, msgid and msgstr, each keyword
# followed by one space and its string, then continuation strings, each string ending
# its line; then blank lines. A string here is any text between the line's first and last
# quote: the caller checks that it is one string (no other quote, simple escapes only).
# Linear: every repetition starts with a character the one after it cannot, and a failed
# attempt reads no further than the next blank line (only the final "\n*" takes one).
_STRING = r'"([^\n]*)"\n'
_MORE = r'((?:"[^\n]*"\n)*)'
_ENTRY_RE = re.compile(
    r"((?:#[^~|\n][^\n]*\n|#\n)*)"
    r'((?:#\| (?:msgid_plural|msgid|msgctxt) "[^\n]*"\n(?:#\| "[^\n]*"\n)*)*)'
    rf"(?:msgctxt {_STRING}{_MORE})?"
    rf"msgid {_STRING}{_MORE}"
    rf"msgstr {_STRING}{_MORE}"
    r"\n*"
)
_BLANKS_RE = re.compile(r"\n+")
_BODY_RE = re.compile(reader._BODY)
_STRINGS_RE = re.compile(rf'(?:"{reader._BODY}"\n)*')  # continuation lines, each one string
# the comments count_states() reads, besides the fuzzy flag
_REVIEW_RE = re.compile("|".join(re.escape(prefix) for prefix in (
    APPROVED_PREFIX, REJECTED_PREFIX, CONFLICT_PREFIX, PREVIOUS_PREFIX)))


# The translator comments that may be approvals: an approval starts its comment, which is
# the line after "#" and one space, if any ("#." "#:" "#," "#=" lines are other fields).
_APPROVAL_LINE_RE = re.compile(rf"^# ?({re.escape(APPROVED_PREFIX)}[^\n]*)", re.M)


class _Unusual(Exception):
    """Internal: the scan met something it leaves to the full reader."""


def read_counts(data: bytes, path: str | Path | None = None) -> tuple[Entry | None, StateCounts]:
    """The header and the review-state counts of the catalog *data*: ``parse(data,
    path).header`` (without its position in the file) and ``count_states()`` of the
    entries, and the same :class:`CatalogError` for a catalog ``parse`` refuses."""
    try:
        return _scan(data)
    except (_Unusual, reader._Fail, CatalogError, UnicodeDecodeError):
        pass
    catalog = reader.parse(data, path)
    return catalog.header, count_states(catalog.entries)


def _scan(data: bytes) -> tuple[Entry | None, StateCounts]:
    """What :func:`read_counts` gives, or :class:`_Unusual` (or an error of the reader's)
    for anything left to :func:`~.reader.parse` (which decides how it reads)."""
    body = data[3:] if data.startswith(codecs.BOM_UTF8) else data
    if b"\r" in body:  # the reader's line-by-line way, with its CRLF handling
        raise _Unusual
    sniffed = sniff_charset(body)
    encoding = python_codec(sniffed[0], None, None) if sniffed else "utf-8"
    scan = _Scan(body.decode(encoding), encoding)
    scan.run()
    header = scan.header
    declared = header_charset(header)
    if (python_codec(declared, None, None) if declared else "utf-8") != encoding:
        raise _Unusual  # the reader reads it again in the header's charset
    tallied = StateCounts(untranslated=scan.untranslated, fuzzy=scan.fuzzy,
                          translated=scan.translated, approved=scan.approved)
    if not scan.full:
        return header, tallied
    counts = count_states(scan.full)
    return header, StateCounts(**{
        name: getattr(counts, name) + getattr(tallied, name) for name in vars(counts)})


def _values(m: re.Match[str]) -> tuple[str | None, str, str] | None:
    """msgctxt, msgid and msgstr of the entry :data:`_ENTRY_RE` matched, or None unless
    each of their strings is one quoted string whose escapes are all simple ones (octal
    and hex escapes, and errors, are left to the reader)."""
    ctxt = _value(m.group(3), m.group(4)) if m.group(3) is not None else None
    msgid, msgstr = _value(m.group(5), m.group(6)), _value(m.group(7), m.group(8))
    if msgid is None or msgstr is None or (ctxt is None and m.group(3) is not None):
        return None
    return ctxt, msgid, msgstr


def _plain(body: str, more: str) -> str:
    """The value of one keyword's plain strings (no escape, no other quote)."""
    return body + more[1:-2].replace('"\n"', "") if more else body


def _value(body: str, more: str) -> str | None:
    """The value of one keyword's strings (*body* on the keyword's line, *more* the
    continuation lines), or None (see :func:`_values`)."""
    if ('"' in body or "\\" in body) and _BODY_RE.fullmatch(body) is None:
        return None
    if more and _STRINGS_RE.fullmatch(more) is None:
        return None
    # no string holds a newline: every '"\n"' is between two of them
    value = body + more[1:-2].replace('"\n"', "") if more else body
    # No string ends inside an escape, so they resolve the same over the whole.
    return reader._simple_unescape(value) if "\\" in value else value


class _Scan:
    """One file's scan: the tallies of entries counted here, the entries read whole."""

    __slots__ = ("approved", "encoding", "full", "fuzzy", "header", "seen", "text",
                 "translated", "untranslated")

    def __init__(self, text: str, encoding: str) -> None:
        self.text = text
        self.encoding = encoding
        self.seen: set[tuple[str | None, str]] = set()  # active keys, for duplicates
        self.header: Entry | None = None
        self.full: list[Entry] = []  # entries counted by count_states()
        self.untranslated = self.fuzzy = self.translated = self.approved = 0

    def run(self) -> None:
        """Scan the text: most entries are counted in this loop (no call, no attribute:
        it runs for every message of every catalog), the others the pattern takes by
        :meth:`_entry`, the text it does not by :meth:`_unmatched`."""
        text, seen = self.text, self.seen
        match = _ENTRY_RE.match
        end = len(text)
        pos = 0
        untranslated = fuzzy = translated = 0
        while pos < end:
            m = match(text, pos)
            if m is None:
                pos = self._unmatched(pos)
                continue
            pos = m.end()
            comments, previous, ctxt, ctxt_more, msgid, msgid_more, msgstr, msgstr_more = (
                m.groups())
            if previous or ctxt_more or msgid_more or msgstr_more:
                start, stop = m.end(1), m.end(8)
                plain = (text.find("\\", start, stop) < 0 and text.count('"', start, stop)
                         == 2 * text.count("\n", start, stop))
            else:  # (most entries: one line each)
                plain = ('"' not in msgid and "\\" not in msgid and '"' not in msgstr
                         and "\\" not in msgstr and (ctxt is None or (
                             '"' not in ctxt and "\\" not in ctxt)))
            review = "locflow-" in comments and _REVIEW_RE.search(comments) is not None
            if not plain or (review and previous) or (not msgid and ctxt is None):
                self._entry(m, plain, review)
                continue
            if ctxt_more:  # plain strings: continuation lines are '"text"'
                ctxt += ctxt_more[1:-2].replace('"\n"', "")
            if msgid_more:
                msgid += msgid_more[1:-2].replace('"\n"', "")
            if msgstr_more:
                msgstr += msgstr_more[1:-2].replace('"\n"', "")
            key = (ctxt, msgid)
            if key in seen:
                raise _Unusual  # a duplicate: the reader reports it
            seen.add(key)
            if review:
                self._tally(comments, ctxt, msgid, msgstr)
            elif not msgstr:
                untranslated += 1
            elif "fuzzy" in comments and _is_fuzzy(comments):
                fuzzy += 1
            else:
                translated += 1
        self.untranslated += untranslated
        self.fuzzy += fuzzy
        self.translated += translated

    def _unmatched(self, pos: int) -> int:
        """Where the scan goes on after the text at *pos* the pattern does not take: blank
        lines are skipped (as the reader skips them), the rest read by :meth:`_chunk` up
        to the next blank line."""
        text = self.text
        if text[pos] == "\n":
            blanks = _BLANKS_RE.match(text, pos)
            return blanks.end() if blanks is not None else pos + 1
        stop = text.find("\n\n", pos)
        stop = len(text) if stop < 0 else stop + 1
        self._chunk(text[pos:stop], stop == len(text))
        return stop

    def _entry(self, m: re.Match[str], plain: bool, review: bool) -> None:
        """Count an entry :data:`_ENTRY_RE` matched that the loop does not (strings with
        escapes, the header, review comments with "#|" fields), or read it whole if it
        must be; *plain* if its strings are plain, *review* if it has review comments."""
        comments, previous, ctxt, ctxt_more, msgid, msgid_more, msgstr, msgstr_more = (
            m.groups())
        # "#|" fields here: escapes in them (the reader checks those), review comments
        # (whether an entry is outdated depends on them) or the header's: read whole
        values = None if previous else _values(m) if not plain else (
            None if ctxt is None else _plain(ctxt, ctxt_more), _plain(msgid, msgid_more),
            _plain(msgstr, msgstr_more))
        if values is None:  # (or octal and hex escapes, or an error)
            self._chunk(m.group(), False)
            return
        ctxt, msgid, msgstr = values
        if (ctxt, msgid) in self.seen:
            raise _Unusual
        self.seen.add((ctxt, msgid))
        if msgid == "" and ctxt is None:
            self.header = self._built(comments, ctxt, msgid, msgstr)
        elif review:
            self._tally(comments, ctxt, msgid, msgstr)
        elif not msgstr:
            self.untranslated += 1
        elif "fuzzy" in comments and _is_fuzzy(comments):
            self.fuzzy += 1
        else:
            self.translated += 1

    def _tally(self, comments: str, ctxt: str | None, msgid: str, msgstr: str) -> None:
        """Count an entry with review comments (and no "#|" fields) as count_states()
        does: only approvals are read here, anything else builds the entry."""
        if not _approvals_only(comments):
            self.full.append(self._built(comments, ctxt, msgid, msgstr))
        elif not msgstr:
            self.untranslated += 1
        elif "fuzzy" in comments and _is_fuzzy(comments):
            self.fuzzy += 1  # (rejected only with a rejection comment)
        elif _approves(comments, ctxt, msgid, msgstr):
            self.approved += 1  # (outdated only with "#|" fields or a locflow-previous line)
        else:
            self.translated += 1

    def _built(self, comments: str, ctxt: str | None, msgid: str, msgstr: str) -> Entry:
        """The entry the reader builds from these fields (without its line and layout)."""
        tcomment: list[str] = []
        comment: list[str] = []
        occurrences: list[tuple[str, str]] = []
        flags: list[str] = []
        sticky: list[str] = []
        if comments:
            reader._comment_lines(comments[:-1].split("\n"), tcomment, comment, occurrences,
                                  flags, sticky)
        return _parsed_entry(msgid, msgstr, "", {}, ctxt, False, self.encoding,
                             "\n".join(comment), "\n".join(tcomment), occurrences, flags,
                             None, None, None, 0, sticky)

    def _chunk(self, chunk: str, last: bool) -> None:
        """Read *chunk* (whole lines, from where the reader is between entries) with the
        reader's parser; *last* if it ends the file."""
        lines = chunk.split("\n")
        if lines[-1] == "":
            lines.pop()
        catalog = Catalog()
        parser = reader._Parser(lines, self.encoding, catalog)
        parser.run(False, chunk)
        if parser.state != reader._IDLE and not last:
            raise _Unusual  # comments before a blank line: the reader gives them to the next entry
        found = [catalog.header] if catalog.header is not None else []
        for entry in [*found, *catalog.entries]:
            if not entry.obsolete:
                if entry.key in self.seen:
                    raise _Unusual
                self.seen.add(entry.key)
        if catalog.header is not None:
            self.header = catalog.header
        self.full += catalog.entries


def _approvals_only(comments: str) -> bool:
    """Whether the only review comments among *comments* are approvals."""
    return (APPROVED_PREFIX in comments and REJECTED_PREFIX not in comments
            and CONFLICT_PREFIX not in comments and PREVIOUS_PREFIX not in comments)


def _approves(comments: str, ctxt: str | None, msgid: str, msgstr: str) -> bool:
    """Whether the approval that counts among *comments* is one of these texts."""
    return approves_text(_APPROVAL_LINE_RE.findall(comments), ctxt, msgid, msgstr)


def _is_fuzzy(comments: str) -> bool:
    """Whether the ``#,`` lines of *comments* hold the ``fuzzy`` flag, as the reader
    splits them."""
    if comments.startswith("#, fuzzy\n") or "\n#, fuzzy\n" in comments:
        return True  # (the line msgmerge and locflow write)
    return any("fuzzy" in reader._FLAG_SPLIT_RE.split(line[2:])
               for line in comments.split("\n") if line[1:2] == ",")
