"""Reading catalogs (locflow.catalog.reader): black-box cases of what gettext accepts and
refuses, so a faster parser can be checked against the same behaviour."""

from __future__ import annotations

from pathlib import Path

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


def parsed(data: bytes) -> list[tuple[str | None, str, str, int]]:
    return [(e.msgctxt, e.msgid, e.msgstr, e.line)
            for e in pofile.parse(HEADER + data, "x.po").entries]


@pytest.mark.parametrize(("strings", "value"), [
    (b'"a\\\\\\\\nb"', "a\\\\nb"),  # escaped backslashes pair up from the left
    (b'"\\\\\\x41"', "\\A"),
    (b'"\\x4a\\x4A\\0\\12x"', "JJ\0\nx"),
    (b'"\\303\\251"  "\\xc3\\xa9" "\\n"', "éé\n"),
    (b'"a"    "b"\t', "ab"),
    (b'"a""b"', "ab"),
    (b'"say \\"hi\\""', 'say "hi"'),
    (b'"ab\\101"', "abA"),
    (b'"b" \f\v', "b"),  # (gettext's whitespace)
    (b'""', ""),
])
def test_strings_and_escapes(strings: bytes, value: str) -> None:
    for data in (b'msgid "k"\nmsgstr ' + strings + b"\n",  # whole-entry path
                 b'msgid "k"\r\nmsgstr ' + strings + b"\r\n"):  # line by line
        assert parsed(data) == [(None, "k", value, 5)]


def test_escaped_bytes_are_decoded_in_the_files_charset() -> None:
    data = (b'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=ISO-8859-1\\n"\n\n'
            b'msgid "a"\nmsgstr "\\351\\xe9 \\200"\n')
    assert pofile.parse(data).entries[0].msgstr == "éé \x80"


@pytest.mark.parametrize(("data", "line", "message"), [
    (b'msgid "a"\nmsgstr "\\200"\n', 6, "escaped bytes are not valid utf-8"),
    (b'msgid "a"\nmsgstr ""\n"ok"\n"\\q"\n', 8, "invalid escape sequence '\\\\q'"),
    (b'msgctxt ""\n"x"\n"\\777"\nmsgid "a"\nmsgstr ""\n', 7, "invalid escape sequence"),
    (b'msgid ""\n"ok"\n"\\x1ff"\nmsgstr ""\n', 7, "invalid escape sequence '\\\\x1ff'"),
    (b'# c\nmsgid "a"\nmsgstr ""\n"\\303"\n', 8, "escaped bytes are not valid utf-8"),
    (b'msgid "a\\', 5, "unterminated string"),
    (b'msgid "a"\nmsgstr "b" "', 6, "unterminated string"),
    (b'msgid "a"\nmsgstr "b" x', 6, "unexpected text after string: 'x'"),
    (b'msgid "a"\nmsgstr\n', 6, "missing string after keyword"),
    (b'msgid "a"\nmsgstr \n', 6, "missing string after keyword"),
    (b'msgid "a"\nmsgstr b\n', 6, "expected a quoted string"),
    (b'msgid "a"\nmsgstr b"c"\n', 6, "expected a quoted string"),
    (b'msgid "a"\nmsgstr b""\n', 6, "expected a quoted string"),
    (b'msgid "a"\nmsgstr "\\x123456789abc"\n', 6,
     "invalid escape sequence '\\\\x123456'\u2026"),
    (b'msgid "a"\n#~ msgid_plural "b"\nmsgstr[0] "c"\n', 6, "inconsistent use of #~"),
    (b'msgid "a"\nmsgid_plural "b"\nmsgstr[0] "x"\nmsgstr "y"\n', 8, "msgstr without msgid"),
    (b'msgid "a"\nmsgid_plural "b"\nmsgstr[0] "x"\nmsgstr[2] "y"\n', 8,
     "plural form has wrong index: expected msgstr[1], got msgstr[2]"),
    (b'msgid "a"\nmsgid_plural "b"\nmsgid_plural "c"\nmsgstr[0] "y"\n', 7,
     "msgid_plural without msgid"),
    (b'msgid "a"\nmsgstr "b"\nmsgid_plural "c"\n', 7, "msgid_plural without msgid"),
    (b'msgid "a"\n#~ msgstr "b"\n', 6, "inconsistent use of #~"),
    (b'msgid "a"\n#~ "b"\nmsgstr ""\n', 6, "inconsistent use of #~"),
    (b'msgid "a"\nmsgid_plural "b"\n#~ msgstr[0] "c"\n', 7, "inconsistent use of #~"),
    (b'msgctxt "a"\n#~ msgid "b"\n#~ msgstr "c"\n', 6, "inconsistent use of #~"),
    (b'#~ msgctxt "a"\n#~ msgid "b"\nmsgstr "c"\n', 7, "inconsistent use of #~"),
    (b'#~ msgid "a"\n#~ msgid_plural "b"\nmsgstr[0] "c"\n', 7, "inconsistent use of #~"),
    (b'msgctxt "a"\n"b"\n', 6, "entry has no msgstr"),  # (the last line)
    (b'msgid "a"\nmsgstr "\\303" "\\251"\n', 6, "escaped bytes are not valid utf-8"),
    (b'\n\nmsgid "a"\nmsgid_plural "b"\n', 7, "entry has no msgstr"),
    (b'msgid "a"\n#| msgid "b"\nmsgstr ""\n', 6, "comment line inside an entry"),
    (b'msgid "a"\nmsgstr ""\n"b"\n\n  "c"\n', 9, "string without a keyword before it"),
    (b'msgctxt "a"\n#~ "b"\n', 6, "inconsistent use of #~"),
    (b'#~ garbage\n', 5, "unknown keyword 'garbage'"),
    (b'#| msgid "a"\n#| "b" x\nmsgid "c"\nmsgstr ""\n', 6, "unexpected text after string"),
    (b'#| msgid "a"\n#. note\nmsgid "c"\nmsgstr ""\n', 6, "comment line after #| lines"),
    (b'#| nonsense\nmsgid "c"\nmsgstr ""\n', 5, "unknown keyword in #| line: 'nonsense'"),
    (b'msgid "a"\nmsgstr ""\n\tjunk\n', 7, "unknown keyword 'junk'"),
    (b'msgid "a"\nmsgstr[x] ""\n', 6, "unknown keyword 'msgstr[x]'"),
])
def test_more_syntax_errors_name_the_line(data: bytes, line: int, message: str) -> None:
    for crlf in (False, True):
        with pytest.raises(CatalogError) as info:
            pofile.parse(HEADER + (data.replace(b"\n", b"\r\n") if crlf else data), "x.po")
        assert (info.value.line, info.value.message[:len(message)]) == (line, message)


def test_line_numbers_of_entries() -> None:
    data = (b'# c\n#. d\nmsgctxt ""\n"x"\nmsgid ""\n"y"\nmsgstr ""\n"z"\n\n\n\nmsgid "b"\n'
            b'msgstr ""\n\n#, fuzzy\nmsgid "c"\nmsgid_plural "cs"\nmsgstr[0] ""\nmsgstr[1] ""\n'
            b'#~ msgid "d"\n#~ msgstr "e"\n')
    assert parsed(data) == [("x", "y", "z", 9), (None, "b", "", 16), (None, "c", "", 20),
                            (None, "d", "e", 24)]
    assert parsed(data.replace(b"\n", b"\r\n")) == parsed(data)


def test_previous_fields_of_each_kind() -> None:
    data = (b'#, fuzzy\n#| msgctxt "old ctx"\n#| msgid "old"\n#| "er"\n#| msgid_plural "olds"\n'
            b'msgid "new"\nmsgid_plural "news"\nmsgstr[0] "a"\nmsgstr[1] "b"\n')
    entry = pofile.parse(HEADER + data).entries[0]
    assert (entry.previous_msgctxt, entry.previous_msgid, entry.previous_msgid_plural) == (
        "old ctx", "older", "olds")
    assert (entry.msgid_plural, entry.msgstr_plural, entry.msgstr) == (
        "news", {0: "a", 1: "b"}, "")
    plain = pofile.parse(HEADER + b'msgid "a"\nmsgstr "b"\n').entries[0]
    assert (plain.previous_msgctxt, plain.previous_msgid, plain.previous_msgid_plural,
            plain.msgid_plural, plain.msgstr_plural) == (None, None, None, "", {})


def test_a_content_type_outside_the_header_does_not_set_the_charset() -> None:
    data = (b'msgid "x"\nmsgstr ""\n"Content-Type: text/plain; charset=ISO-8859-1\\n"\n\n'
            b'msgid "a"\nmsgstr "\xc3\xa9"\n')
    assert pofile.parse(data).entries[1].msgstr == "é"


@pytest.mark.parametrize("field", [
    b'  "Content-Type: text/plain; charset=ISO-8859-1\\n"\n',
    b'"content-type: text/plain; charset=ISO-8859-1\\n"\n',
    b'\t"CONTENT-TYPE: text/plain; charset=ISO-8859-1\\n"\n',
])
def test_an_indented_or_lowercase_content_type_sets_the_charset(field: bytes) -> None:
    """(msgfmt -c accepts these; they were read as UTF-8 and refused.)"""
    data = b'msgid ""\nmsgstr ""\n' + field + b'\nmsgid "a"\nmsgstr "\xe9"\n'
    catalog = pofile.parse(data)
    assert catalog.entries[0].msgstr == "é" and pofile.dump(catalog) == data


def test_a_header_charset_the_sniffer_misses_is_still_checked() -> None:
    data = b'\nmsgid ""\nmsgstr ""\n"Content-Type: text/plain;" " charset=NO-SUCH\\n"\n'
    with pytest.raises(CatalogError) as info:
        pofile.parse(data, "x.po")
    assert (info.value.line, info.value.message) == (2, "unknown charset 'NO-SUCH'")
    no_charset = b'msgid ""\nmsgstr "Content-Type: text/plain\\n"\n\nmsgid "\xc3\xa9"\nmsgstr ""\n'
    assert pofile.parse(no_charset).entries[0].msgid == "é"


def test_invalid_bytes_are_named_with_their_line() -> None:
    with pytest.raises(CatalogError) as info:
        pofile.parse(HEADER + b'msgid "a"\nmsgstr ""\n"\xe9t\xe9"\n', "x.po")
    assert (info.value.line, info.value.message) == (7, "invalid utf-8 byte sequence (0xe9)")


def test_layout_is_recorded_for_writing_back() -> None:
    for data in (b"", b"\n", b'msgid "a"\nmsgstr ""', b'msgid "a"\r\nmsgstr ""\r\n',
                 b'\xef\xbb\xbfmsgid "a"\nmsgstr ""\n', b'msgid "a"\nmsgstr ""\r\n'):
        assert pofile.dump(pofile.parse(data)) == data


def test_new_catalog_charsets() -> None:
    assert pofile.dump(pofile.new_catalog({"Language": "es"})) == (
        b'msgid ""\nmsgstr "Language: es\\n"\n')
    with pytest.raises(CatalogError, match="unknown charset 'NO-SUCH'"):
        pofile.new_catalog({"Content-Type": "text/plain; charset=NO-SUCH"})
    catalog = pofile.new_catalog({"Content-Type": "text/plain; charset=CHARSET"}, "a.pot")
    catalog.entries.append(pofile.Entry(msgid="é"))
    assert catalog.path == Path("a.pot")
    assert pofile.dump(catalog).endswith(b'msgid "\xc3\xa9"\nmsgstr ""\n')


def test_comment_lines_without_a_space() -> None:
    entry = pofile.parse(HEADER + b'#,fuzzy\n#:a.md:1 b.md\n#|msgid "old"\nmsgid "a"\nmsgstr "b"\n'
                         ).entries[0]
    assert (entry.flags, entry.occurrences, entry.previous_msgid) == (
        ["fuzzy"], [("a.md", "1"), ("b.md", "")], "old")


def test_a_comment_right_after_an_entry_belongs_to_the_next() -> None:
    data = HEADER + b'msgid "a"\nmsgstr "b"\n# about c\nmsgid "c"\nmsgstr "d"\n'
    a, c = pofile.parse(data).entries
    assert (a.tcomment, c.tcomment) == ("", "about c")
    assert pofile.dump(pofile.parse(data)) == data


def test_lines_are_counted_from_a_leading_blank_line() -> None:
    with pytest.raises(CatalogError) as info:
        pofile.parse(b'\nmsgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=NO-SUCH\\n"\n')
    assert info.value.line == 4
    with pytest.raises(CatalogError) as info:
        pofile.parse(b'\nmsgid "\xff"\nmsgstr ""\n')
    assert info.value.line == 2


def test_a_file_is_decoded_once_when_its_charset_is_found_up_front(
    monkeypatch: pytest.MonkeyPatch
) -> None:
    from locflow.catalog import reader

    calls: list[str] = []
    original = reader._parse_decoded

    def counting(body: bytes, encoding: str, path: object) -> pofile.Catalog:
        calls.append(encoding)
        return original(body, encoding, path)  # type: ignore[arg-type]

    monkeypatch.setattr(reader, "_parse_decoded", counting)
    latin = b'msgid ""\nmsgstr "Content-Type: text/plain; charset=ISO-8859-1\\n"\n'
    reader.parse(latin)
    reader.parse(HEADER)
    assert calls == ["iso8859-1", "utf-8"]


def test_the_whole_entry_path_is_taken_again_after_an_entry_it_cannot_take(
    monkeypatch: pytest.MonkeyPatch
) -> None:
    from locflow.catalog import reader

    calls: list[str] = []
    original = reader._strings
    monkeypatch.setattr(reader, "_strings",
                        lambda s, *args: calls.append(s) or original(s, *args))
    data = HEADER + (b'#~ msgid "old"\n#~ msgstr "viejo"\n\n'
                     + b"".join(b'msgid "%d"\nmsgstr "x"\n\n' % n for n in range(20)))
    assert len(reader.parse(data).entries) == 21
    assert calls == ['"old"', '"viejo"']


def test_a_new_entry_is_written_in_the_files_charset() -> None:
    data = b'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=ISO-8859-1\\n"\n'
    catalog = pofile.parse(data)
    catalog.entries.append(pofile.Entry(msgid="a", msgstr="\u00e9"))
    assert pofile.dump(catalog) == data + b'\nmsgid "a"\nmsgstr "\xe9"\n'


def test_unusual_gaps_between_entries_are_kept() -> None:
    data = HEADER + (b'msgid "a"\nmsgstr ""\n\n\n\nmsgid "b"\nmsgstr ""\n\n\n'
                     b'#~ msgid "c"\n#~ msgstr "d"\n')
    catalog = pofile.parse(data)
    assert pofile.dump(catalog) == data
    catalog.entries[1].msgstr = "x"
    assert pofile.dump(catalog) == data.replace(b'"b"\nmsgstr ""', b'"b"\nmsgstr "x"')


def test_a_file_that_cannot_be_read_is_named(tmp_path: Path) -> None:
    with pytest.raises(CatalogError) as info:
        pofile.load(tmp_path / "missing.po")
    assert str(info.value) == f"{tmp_path / 'missing.po'}: cannot read catalog: " \
        "No such file or directory"


@pytest.mark.parametrize("line", [b"\x0b", b"\x0c ", b"\r\x0b", b"\x0b\x0c\t"])
def test_a_line_of_odd_white_space_is_a_syntax_error_not_a_crash(line: bytes) -> None:
    data = b'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n' + line + b"\n"
    with pytest.raises(CatalogError, match=r"x\.po:5: text that is not PO syntax"):
        pofile.parse(data, "x.po")
