"""Writing catalogs (locflow.catalog.writer): what changes in the bytes when an entry changes."""

from __future__ import annotations

import pytest

from locflow.catalog import pofile
from locflow.errors import CatalogError

HEADER = b'msgid ""\nmsgstr ""\n"Language: es\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
WRAPPED = (b'#: a.md:1\n#, python-format\n#| msgid "Old %s"\nmsgid ""\n"A long %s "\n"text."\n'
           b'msgstr ""\n"Un %s "\n"largo."\n')


def test_a_new_comment_keeps_the_other_lines_of_a_wrapped_entry() -> None:
    cat = pofile.parse(HEADER + b"\n" + WRAPPED)
    cat.entries[0].tcomment = "checked"
    assert pofile.dump(cat) == HEADER + b"\n# checked\n" + WRAPPED


def test_a_changed_flag_rewrites_only_the_flag_line_in_a_crlf_file() -> None:
    data = (HEADER + b"\n" + WRAPPED).replace(b"\n", b"\r\n")
    cat = pofile.parse(data)
    cat.entries[0].flags = ["fuzzy", "python-format"]
    assert pofile.dump(cat) == data.replace(b"#, python-format", b"#, fuzzy, python-format")


def test_a_changed_text_rewrites_the_entry_in_canonical_form() -> None:
    cat = pofile.parse(HEADER + b"\n" + WRAPPED)
    cat.entries[0].msgstr = "Un %s muy largo."
    assert pofile.dump(cat) == HEADER + (
        b'\n#: a.md:1\n#, python-format\n#| msgid "Old %s"\nmsgid "A long %s text."\n'
        b'msgstr "Un %s muy largo."\n')


def test_a_changed_last_entry_ends_with_a_newline() -> None:
    data = HEADER + b'\nmsgid "a"\nmsgstr "b"'
    cat = pofile.parse(data)
    assert pofile.dump(cat) == data
    cat.entries[0].msgstr = "c"
    assert pofile.dump(cat) == HEADER + b'\nmsgid "a"\nmsgstr "c"\n'


def test_trailing_comments_after_a_moved_last_entry_get_a_blank_line() -> None:
    data = HEADER + b'\nmsgid "a"\nmsgstr "A"\n\nmsgid "b"\nmsgstr "B"\n# left over\n'
    cat = pofile.parse(data)
    cat.entries.reverse()
    assert pofile.dump(cat).endswith(b'msgid "a"\nmsgstr "A"\n\n# left over\n')


def test_a_header_after_entries_that_were_removed_comes_last() -> None:
    data = b'msgid "a"\nmsgstr "A"\n\nmsgid "b"\nmsgstr "B"\n\n' + HEADER
    cat = pofile.parse(data)
    del cat.entries[:]
    assert pofile.dump(cat) == HEADER


def test_a_character_the_charset_lacks_is_named_with_its_output_line() -> None:
    data = HEADER.replace(b"UTF-8", b"ISO-8859-1") + b'\nmsgid "a"\nmsgstr "b"\n'
    cat = pofile.parse(data, "locales/es/a.po")
    cat.entries[0].msgstr = "中"
    with pytest.raises(CatalogError, match=r"'中' at output line 7\)") as info:
        pofile.dump(cat)
    assert info.value.path == "locales/es/a.po"


ENTRY = (b'# note\n#. extracted\n#: a.md:1\n#, fuzzy\n#| msgctxt "old"\n#| msgid "Old vote"\n'
         b'#| msgid_plural "Old votes"\nmsgid "One vote"\nmsgid_plural "%d votes"\n'
         b'msgstr[0] "Un voto"\nmsgstr[1] "%d votos"\n')


@pytest.mark.parametrize(("field", "value"), [
    ("msgid", "One ballot"), ("msgid_plural", "%d ballots"), ("msgstr_plural", {0: "Un", 1: "%d"}),
    ("previous_msgctxt", "older"), ("previous_msgid", "Older vote"),
    ("previous_msgid_plural", "Older votes"), ("obsolete", True), ("comment", "new extracted"),
    ("occurrences", [("b.md", "2")]), ("tcomment", "new note"), ("flags", ["c-format"]),
])
def test_every_changed_field_reaches_the_file(field: str, value: object) -> None:
    cat = pofile.parse(HEADER + b"\n" + ENTRY)
    setattr(cat.entries[0], field, value)
    again = pofile.parse(pofile.dump(cat)).entries[0]
    assert getattr(again, field) == value


def test_entries_without_blank_lines_between_them_stay_so() -> None:
    data = HEADER + b'msgid "a"\nmsgstr "A"\nmsgid "b"\nmsgstr "B"\n'
    cat = pofile.parse(data)
    assert pofile.dump(cat) == data
    cat.entries[1].msgstr = "BB"
    assert pofile.dump(cat) == HEADER + b'msgid "a"\nmsgstr "A"\nmsgid "b"\nmsgstr "BB"\n'


def test_a_trailing_comment_without_final_newline_stays_so() -> None:
    data = HEADER + b'\nmsgid "a"\nmsgstr "A"\n\n# the end'
    assert pofile.dump(pofile.parse(data)) == data


def test_a_changed_charset_in_the_header_is_the_one_written() -> None:
    cat = pofile.parse(HEADER + b'\nmsgid "a"\nmsgstr "\xc3\xa1"\n')
    cat.set_metadata("Content-Type", "text/plain; charset=ISO-8859-1")
    assert pofile.dump(cat).endswith(b'msgstr "\xe1"\n')
