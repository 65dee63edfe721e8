"""The catalog model (locflow.catalog.entry): header metadata, identity, what a reader sees."""

from __future__ import annotations

import pytest

from locflow.catalog import pofile
from locflow.catalog.entry import Catalog, Entry


def test_metadata_skips_lines_that_are_no_fields() -> None:
    catalog = Catalog(header=Entry(msgid="", msgstr="Language: es\nnot a field\n: no name\n"))
    assert catalog.metadata() == {"Language": "es"}


def test_set_metadata_keeps_a_last_line_without_newline() -> None:
    catalog = Catalog(header=Entry(msgid="", msgstr="Language: es"))
    catalog.set_metadata("X-Generator", "locflow")
    assert catalog.header is not None
    assert catalog.header.msgstr == "Language: es\nX-Generator: locflow\n"


@pytest.mark.parametrize(("field", "value"), [
    ("Language", "es\nX-Injected: yes"), ("Language\nX", "es"), ("X-Note: a", "b"),
])
def test_set_metadata_refuses_what_would_make_other_lines(field: str, value: str) -> None:
    catalog = Catalog(header=Entry(msgid="", msgstr="Language: es\n"))
    with pytest.raises(ValueError, match="invalid header field"):
        catalog.set_metadata(field, value)
    assert catalog.header is not None and catalog.header.msgstr == "Language: es\n"


def test_reprs_say_what_and_where() -> None:
    catalog = pofile.parse(b'msgid "a"\nmsgstr "b"\n\n#~ msgid "c"\n#~ msgstr "d"\n',
                           "locales/es/a.po")
    active, obsolete = catalog.entries
    assert repr(active) == "<Entry line=1 key=(None, 'a')>"
    assert repr(obsolete) == "<Entry obsolete line=4 key=(None, 'c')>"
    assert repr(catalog) == "<Catalog locales/es/a.po 2 entries>"
