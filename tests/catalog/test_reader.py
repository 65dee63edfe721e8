"""Reading catalogs (locflow.catalog.reader): black-box cases of what gettext accepts and
refuses, so a faster parser can be checked against the same behaviour."""

from __future__ import annotations

from locflow.catalog import pofile


def test_a_one_line_header_names_the_charset_too() -> None:
    data = (b'msgid ""\nmsgstr "Content-Type: text/plain; charset=ISO-8859-1\\n"\n\n'
            b'msgid "c"\nmsgstr "\xe9"\n')  # msgfmt -c accepts this
    catalog = pofile.parse(data)
    assert catalog.entries[0].msgstr == "é" and pofile.dump(catalog) == data
