"""One entry's text (locflow.catalog.entrytext): the lines ``msgcat --no-wrap`` writes."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from locflow.catalog import pofile
from locflow.catalog.entrytext import format_entry
from locflow.catalog.pofile import Entry


def test_references_wrap_by_bytes_and_a_long_one_stands_alone() -> None:
    names = [(f"content/artículo-{n}.md", "12") for n in range(4)]
    entry = Entry(msgid="a", occurrences=names)
    # three of these are 77 characters but 80 bytes: msgcat counts bytes
    assert pofile.format_entry(entry).split("\n")[:2] == [
        "#: content/artículo-0.md:12 content/artículo-1.md:12",
        "#: content/artículo-2.md:12 content/artículo-3.md:12"]
    long = "content/" + "x" * 80 + ".md"
    assert pofile.format_entry(Entry(msgid="a", occurrences=[(long, "1"), ("b.md", "2")])) == (
        f'#: {long}:1\n#: b.md:2\nmsgid "a"\nmsgstr ""')


@pytest.mark.parametrize(("value", "lines"), [
    ("a\n", ['msgstr "a\\n"']),
    ("a\nb", ['msgstr ""', '"a\\n"', '"b"']),
    ("a\n\n", ['msgstr ""', '"a\\n"', '"\\n"']),
])
def test_multiline_strings_as_msgcat_writes_them(value: str, lines: list[str]) -> None:
    assert pofile.format_entry(Entry(msgid="a", msgstr=value)).split("\n")[1:] == lines


def test_a_previous_plural_source_is_written() -> None:
    entry = Entry(msgid="a", msgid_plural="as", previous_msgid="b", previous_msgid_plural="bs")
    assert pofile.format_entry(entry).split("\n")[:2] == ['#| msgid "b"', '#| msgid_plural "bs"']


def test_every_reference_line_is_filled_to_79_bytes() -> None:
    first, second, third = "a" * 73 + ".md", "b" * 32 + ".md", "c" * 31 + ".md"
    entry = Entry(msgid="a", occurrences=[(first, "1"), (second, "2"), (third, "3")])
    assert pofile.format_entry(entry).split("\n")[:2] == [
        f"#: {first}:1", f"#: {second}:2 {third}:3"]  # 79 bytes each


@dataclass
class _Fields:
    """Not an Entry: format_entry reads fields, it knows no catalog model."""

    msgid: str
    msgstr: str = ""
    msgid_plural: str = ""
    msgstr_plural: dict[int, str] = field(default_factory=dict)
    msgctxt: str | None = None
    tcomment: str = ""
    comment: str = ""
    occurrences: list[tuple[str, str]] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    sticky: list[str] = field(default_factory=list)
    previous_msgctxt: str | None = None
    previous_msgid: str | None = None
    previous_msgid_plural: str | None = None
    obsolete: bool = False


def test_any_record_with_the_fields_is_formatted_as_an_entry_is() -> None:
    fields = _Fields(msgid="a", msgstr="b", msgctxt="c", flags=["fuzzy"], sticky=["#= x"],
                     occurrences=[("a.md", "1")], previous_msgid="z")
    entry = Entry(msgid="a", msgstr="b", msgctxt="c", flags=["fuzzy"], sticky=["#= x"],
                  occurrences=[("a.md", "1")], previous_msgid="z")
    assert format_entry(fields) == format_entry(entry) == str(entry)[:-1] == (
        '#: a.md:1\n#, fuzzy\n#= x\n#| msgid "z"\nmsgctxt "c"\nmsgid "a"\nmsgstr "b"')
