"""Reading memories from TMX (untrusted XML) and PO files."""

from __future__ import annotations

import pytest

from locflow.errors import InputError
from locflow.memory.formats import Pair, po_pairs, read_tmx, tmx_pairs, units_of

TMX = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE tmx SYSTEM "tmx14.dtd">
<tmx version="1.4">
  <header srclang="en-US" datatype="plaintext" segtype="sentence" adminlang="en"
          creationtool="test" creationtoolversion="1" o-tmf="x"/>
  <body>
    <tu tuid="1">
      <tuv xml:lang="en-US"><seg>Schools were closed on <bpt i="1">&lt;b&gt;</bpt>Monday<ept
        i="1">&lt;/b&gt;</ept>.</seg></tuv>
      <tuv xml:lang="es-ES"><seg>Las escuelas cerraron el lunes.</seg></tuv>
      <tuv xml:lang="zh-CN"><seg>学校周一停课。</seg></tuv>
    </tu>
    <tu>
      <tuv lang="EN"><seg>Only English.</seg></tuv>
    </tu>
  </body>
</tmx>
""".encode()


def test_tmx_units_keep_inline_codes_and_line_numbers() -> None:
    units = read_tmx(TMX, "a.tmx")
    assert units[0].segments == {
        "en-US": "Schools were closed on <b>Monday</b>.",
        "es-ES": "Las escuelas cerraron el lunes.",
        "zh-CN": "学校周一停课。",
    }
    assert units[0].line == 7
    assert units[1].segments == {"EN": "Only English."}
    pairs = tmx_pairs(units, ["en-US", "EN"], {"es-ES": "es"})
    assert pairs == [
        Pair("Schools were closed on <b>Monday</b>.", "Las escuelas cerraron el lunes.", "es",
             False, None, 7)
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            b'<?xml version="1.0"?><!DOCTYPE tmx [<!ENTITY a "aaaaaaaaaa">'
            b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><tmx><body>&b;</body></tmx>',
            "entity",
        ),
        (
            b'<?xml version="1.0"?><!DOCTYPE tmx [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            b"<tmx><body><tu><tuv xml:lang='en'><seg>&x;</seg></tuv></tu></body></tmx>",
            "entity",
        ),
        (b"<tmx><body><tu></body></tmx>", "not valid XML: mismatched tag"),
        (b"<html><body/></html>", "not a TMX file"),
        (b"", "not valid XML"),
    ],
)
def test_hostile_or_broken_tmx_is_refused(data: bytes, message: str) -> None:
    with pytest.raises(InputError, match=message) as info:
        read_tmx(data, "bad.tmx")
    assert info.value.path == "bad.tmx"
    assert "passwd" not in str(info.value)


def test_po_pairs_are_translated_and_approved_singular_entries() -> None:
    po = """msgid ""
msgstr ""
"Language: es\\n"

# locflow-approved: 2024-11-05 ed (HASH)
msgid "Approved."
msgstr "Aprobado."

msgid "Translated."
msgstr "Traducido."

#, fuzzy
msgid "Draft."
msgstr "Borrador."

msgid "Empty."
msgstr ""

msgid "One file"
msgid_plural "%d files"
msgstr[0] "Un archivo"
msgstr[1] "%d archivos"

#~ msgid "Old."
#~ msgstr "Viejo."
"""
    from locflow.catalog import pofile
    from locflow.review import text_hash

    catalog = pofile.parse(po.encode(), "x.po")
    approved = catalog.active()[0]
    po = po.replace("HASH", text_hash(approved))
    pairs = po_pairs(po.encode(), "x.po", "es")
    assert [(p.source, p.target, p.approved) for p in pairs] == [
        ("Approved.", "Aprobado.", True),
        ("Translated.", "Traducido.", False),
    ]


def test_units_align_sentences_of_approved_paragraphs_only() -> None:
    pairs = [
        Pair("He came. She left.", "Él vino. Ella se fue.", "es", True, None, 3),
        Pair("A came. B left.", "A vino. B se fue.", "es", False, None, 9),
    ]
    units = units_of(pairs, "en", sentences_of_all=False)
    assert [(u.source, u.level, u.position) for u in units] == [
        ("He came. She left.", "entry", None),
        ("He came.", "sentence", "1/2"),
        ("She left.", "sentence", "2/2"),
        ("A came. B left.", "entry", None),
    ]
    assert len(units_of(pairs, "en", sentences_of_all=True)) == 6


@pytest.mark.parametrize("encoding", ["X-EVIL", "utf-7", "utf-32", "rot13", "base64", "idna",
                                      "undefined", "punycode"])
def test_an_encoding_python_cannot_read_xml_in_is_an_input_error(encoding: str) -> None:
    """expat asks Python's codecs for an encoding it does not know itself: a LookupError or
    ValueError from there must not leave read_tmx (issue 17)."""
    data = f'<?xml version="1.0" encoding="{encoding}"?>\n<tmx><body/></tmx>\n'.encode()
    with pytest.raises(InputError) as caught:
        read_tmx(data, "memory/x.tmx")
    assert str(caught.value) == (
        "memory/x.tmx:1: not valid XML: declares an encoding locflow cannot read (use UTF-8)")


def test_a_single_byte_encoding_is_read() -> None:
    data = ('<?xml version="1.0" encoding="ISO-8859-15"?>\n<tmx><body><tu>'
            '<tuv xml:lang="en"><seg>Euro</seg></tuv><tuv xml:lang="es"><seg>€ año</seg></tuv>'
            "</tu></body></tmx>\n").encode("iso-8859-15")
    [unit] = read_tmx(data, "x.tmx")
    assert unit.segments == {"en": "Euro", "es": "€ año"}
