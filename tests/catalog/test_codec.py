"""PO charsets (locflow.catalog.codec): the header's charset, the sniffed one, the codec."""

from __future__ import annotations

import pytest

from locflow.catalog import pofile
from locflow.catalog.codec import header_charset, python_codec, sniff_charset
from locflow.catalog.entry import Entry
from locflow.errors import CatalogError


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


@pytest.mark.parametrize(("charset", "codec"), [
    ("UTF-8", "utf-8"), ("utf8", "utf-8"), ("ISO-8859-1", "iso8859-1"), ("CP1252", "cp1252"),
    ("CHARSET", "utf-8"), ("charset", "utf-8"),  # the POT placeholder
])
def test_portable_charsets_give_pythons_codec_name(charset: str, codec: str) -> None:
    assert python_codec(charset, "x.po", 3) == codec


def test_a_charset_name_with_a_nul_is_unknown_and_named_escaped() -> None:
    with pytest.raises(CatalogError) as info:
        python_codec("utf\x008", "x.po", 4)
    assert (str(info.value.path), info.value.line, info.value.message) == (
        "x.po", 4, "unknown charset 'utf\\x008'")


@pytest.mark.parametrize(("data", "found"), [
    (b'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=KOI8-R\\n"\n', ("KOI8-R", 3)),
    (b'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n', ("UTF-8", 2)),
    (b'#~ msgid ""\n#~ "content-type: text/plain; charset=GBK;"\n', ("GBK", 2)),
    (b'msgid ""\nmsgstr ""\n"Content-Type: text/plain\\n"\n', None),
    (b'msgid ""\nmsgstr ""\n"Content-Type: text/plain;" " charset=UTF-8\\n"\n', None),
])
def test_the_sniffed_charset_and_its_line(data: bytes, found: tuple[str, int] | None) -> None:
    assert sniff_charset(data) == found


def test_the_header_charset_comes_from_its_content_type_field() -> None:
    assert header_charset(None) is None
    assert header_charset(Entry(msgid="", msgstr="Language: es\n")) is None
    assert header_charset(Entry(msgid="", msgstr="Content-Type: text/plain\n")) is None
    header = Entry(msgid="", msgstr="Language: es\ncontent-type: text/plain; charset=EUC-JP\n")
    assert header_charset(header) == "EUC-JP"
