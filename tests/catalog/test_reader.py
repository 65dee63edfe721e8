"""Reading catalogs (locflow.catalog.reader): black-box cases of what gettext accepts and
refuses, so a faster parser can be checked against the same behaviour."""

from __future__ import annotations

import pytest

from locflow.catalog import pofile
from locflow.errors import CatalogError

HEADER = b'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'


def test_a_one_line_header_names_the_charset_too() -> None:
    data = (b'msgid ""\nmsgstr "Content-Type: text/plain; charset=ISO-8859-1\\n"\n\n'
            b'msgid "c"\nmsgstr "\xe9"\n')  # msgfmt -c accepts this
    catalog = pofile.parse(data)
    assert catalog.entries[0].msgstr == "é" and pofile.dump(catalog) == data


def test_a_header_after_the_entries_still_sets_the_charset() -> None:
    data = (b'msgid "a"\nmsgstr "\xe1"\n\nmsgid ""\nmsgstr ""\n'
            b'"Content-Type: text/plain; charset=ISO-8859-1\\n"\n')
    assert pofile.parse(data).entries[0].msgstr == "á"


def test_comment_lines_references_and_flags() -> None:
    entry = pofile.parse(HEADER + (
        b'#: a.md:12 b.md c:d:3 :4 e.md:x\n#, fuzzy,python-format  no-wrap\n#.no space\n'
        b'#. with space\n#= sticky\nmsgid "a" "b"   \nmsgstr ""\n')).entries[0]
    assert entry.occurrences == [("a.md", "12"), ("b.md", ""), ("c:d", "3"), (":4", ""),
                                 ("e.md:x", "")]
    assert entry.flags == ["fuzzy", "python-format", "no-wrap"]
    assert (entry.comment, entry.sticky, entry.msgid) == ("no space\nwith space", ["#= sticky"],
                                                          "ab")


def test_escaped_bytes_decode_together_around_other_escapes() -> None:
    entry = pofile.parse(HEADER + b'msgid "a"\nmsgstr "\\303\\251\\n\\303\\251x\\303\\251\\101"\n'
                         ).entries[0]
    assert entry.msgstr == "é\néxéA"


def test_what_is_and_is_not_the_header() -> None:
    catalog = pofile.parse(b'#~ msgid ""\n#~ msgstr "x"\n\nmsgctxt "c"\nmsgid ""\nmsgstr "y"\n')
    assert catalog.header is None
    assert [(e.msgctxt, e.obsolete) for e in catalog.entries] == [(None, True), ("c", False)]


def test_a_new_catalog_writes_in_its_declared_charset() -> None:
    catalog = pofile.new_catalog({"Content-Type": "text/plain; charset=ISO-8859-1"})
    catalog.entries.append(pofile.Entry(msgid="a", msgstr="é"))
    assert pofile.dump(catalog).endswith(b'msgstr "\xe9"\n')


@pytest.mark.parametrize(("data", "line", "message"), [
    (b'msgid "a"\nmsgstr "\\777"\n', 6, "invalid escape sequence '\\\\777'"),
    (b'msgid "a"\nmsgstr "\\x100"\n', 6, "invalid escape sequence '\\\\x100'"),
    (b'msgid "a"\nmsgstr "\\377"\n', 6, "escaped bytes are not valid utf-8"),
    (b'msgid "a"\nmsgstr "b"\nmsgstr[0] "c"\n', 7, "msgstr[N] after msgstr"),
    (b'msgctxt "a"\nmsgctxt "b"\nmsgid "c"\nmsgstr ""\n', 6, "msgctxt after msgctxt or msgid"),
    (b'msgid "c"\nmsgctxt "b"\nmsgstr ""\n', 6, "msgctxt after msgctxt or msgid"),
    (b'msgid[0] "a"\nmsgstr ""\n', 5, "unknown keyword 'msgid[0]'"),
    (b'msgctxt "x"\nmsgid_plural "y"\nmsgstr[0] ""\n', 6, "msgid_plural without msgid"),
    (b'#| "x"\nmsgid "a"\nmsgstr ""\n', 5, "#| string without a keyword before it"),
    (b'#| msgstr "x"\nmsgid "a"\nmsgstr ""\n', 5, "unknown keyword in #| line: 'msgstr'"),
    (b'#| msgid[0] "x"\nmsgid "a"\nmsgstr ""\n', 5, "unknown keyword in #| line: 'msgid[0]'"),
    (b'#|\nmsgid "a"\nmsgstr ""\n', 5, "text that is not PO syntax in #| line"),
    (b'#~ # note\n#~ msgid "a"\n#~ msgstr ""\n', 5, "unexpected text after #~: '# note'"),
    (b'msgid "a"\nmsgstr ""\n\nmsgctxt "x"\n', 8, "entry has no msgstr"),
    (b'\x01binary\x02 junk\n', 5, "text that is not PO syntax"),
    (b'msgid "a"\nmsgstr "b"\n\nmsgid "a"\nmsgstr "c"\n', 8,
     "duplicate message definition (first defined at line 5)"),
])
def test_syntax_errors_name_the_line(data: bytes, line: int, message: str) -> None:
    with pytest.raises(CatalogError) as info:
        pofile.parse(HEADER + data, "x.po")
    assert info.value.line == line and message in info.value.message


@pytest.mark.parametrize(("charset", "message"), [
    (b"UTF-16", "unsupported charset 'UTF-16' (use UTF-8)"),
    (b"rot13", "unsupported charset 'rot13' (use UTF-8)"),
    (b"NO-SUCH", "unknown charset 'NO-SUCH'"),
])
def test_charsets_gettext_does_not_call_portable_are_refused(charset: bytes,
                                                             message: str) -> None:
    data = b'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=' + charset + b'\\n"\n'
    with pytest.raises(CatalogError) as info:
        pofile.parse(data, "x.po")
    assert (info.value.line, info.value.message) == (3, message)
