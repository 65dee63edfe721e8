"""The reader's whole-entry fast path gives what the line-by-line path gives.

``reader._FAST_ENTRY_RE`` matches the common entry at once; everything else, and every
error, is read line by line. These tests read the same bytes both ways (the fast path
switched off by a pattern that never matches) and compare every attribute of every
entry, the catalog's layout, or the error, on crafted files, on mutations of them, and
(when it is there) on the shared corpus of real PO files.
"""

from __future__ import annotations

import random
import re
from pathlib import Path
from typing import Any

import pytest

from locflow.catalog import reader
from locflow.catalog.entry import Entry, _parsed_entry
from locflow.errors import CatalogError

from ..conftest import CORPUS

HEADER = (
    'msgid ""\n'
    'msgstr ""\n'
    '"Project-Id-Version: demo 1.0\\n"\n'
    '"Language: es\\n"\n'
    '"Content-Type: text/plain; charset=UTF-8\\n"\n'
    '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n'
)

ENTRIES = [
    '#. paragraph\n#: content/a.md\nmsgid "Plain text."\nmsgstr "Texto."\n',
    '# locflow-approved: 2024-11-05 ed (c5d158c7c5b3)\n#. title\n#: content/a.md:3 b.md\n'
    'msgctxt "title"\nmsgid "A title"\nmsgstr "Un título"\n',
    '#, fuzzy, python-format\nmsgid "%s said \\"no\\"\\n"\nmsgstr "%s dijo \\"no\\"\\n"\n',
    'msgid ""\n"Wrapped "\n"text\\t"\nmsgstr ""\n"Texto "\n"partido"\n',
    'msgctxt ""\n"ctx"\nmsgid "with context"\nmsgstr ""\n',
    '#\n# \n#x\n#= sticky line\n#.\nmsgid "odd comments"\nmsgstr "x"\n',
    'msgid "octal \\303\\251 and hex \\xc3\\xa9"\nmsgstr "\\a\\b\\f\\v\\r\\\\"\n',
    '#| msgid "old"\nmsgid "new"\nmsgstr "nuevo"\n',
    'msgid "one"\nmsgid_plural "many"\nmsgstr[0] "uno"\nmsgstr[1] "muchos"\n',
    '#~ msgid "gone"\n#~ msgstr "ido"\n',
    'msgid "spaced"  \nmsgstr "x"\t\n',
    'msgid   "extra space"\nmsgstr"none"\n',
    '  msgid "indented"\n  msgstr "x"\n',
    'msgid "blank inside"\n\nmsgstr "x"\n',
    '# comment\n\n#. blank in comments\nmsgid "b"\nmsgstr "c"\n',
    'msgid "Plain text."\nmsgstr "again"\n',  # a duplicate of the first one
    'msgid "bad escape \\q"\nmsgstr ""\n',
    'msgid "bad octal \\777"\nmsgstr ""\n',
    'msgid "unterminated\nmsgstr ""\n',
    'msgid "no msgstr"\n',
    'msgstr "no msgid"\n',
    'msgid "trailing" junk\nmsgstr ""\n',
    'msgid "a"\nmsgstr "b"\n"continued"\n',
    'msgid "escaped bytes \\377\\376"\nmsgstr ""\n',
    '#: file.md:12\nmsgid "last"\nmsgstr "último"',
]


def _never_fast(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reader, "_FAST_ENTRY_RE", re.compile(r"(?!)"))


def _view(data: bytes) -> Any:
    """Everything parse() gives (entries' attributes, the layout), or its error."""
    try:
        catalog = reader.parse(data, "x.po")
    except CatalogError as exc:
        return ("error", str(exc), exc.line)
    entries = ([catalog.header] if catalog.header else []) + catalog.entries
    position = {id(entry): i for i, entry in enumerate(entries)}
    view = []
    for entry in entries:
        fields = dict(vars(entry))
        fields["_prev"] = position.get(id(fields["_prev"]))
        view.append((type(entry), list(fields), fields))
    layout = {k: v for k, v in vars(catalog).items() if k not in ("header", "entries")}
    layout["_trailer_prev"] = position.get(id(layout["_trailer_prev"]))
    return view, layout


def _both_ways(data: bytes, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, Any]:
    fast = _view(data)
    with monkeypatch.context() as patch:
        _never_fast(patch)
        slow = _view(data)
    return fast, slow


def test_parsed_entry_has_the_attributes_entry_init_sets() -> None:
    made = _parsed_entry("id", "str", "", {}, None, False, "utf-8", "", "", [], [], None, None,
                         None, 3, [])
    built = Entry(msgid="id", msgstr="str", linenum=3, line=3, encoding="utf-8")
    assert list(vars(made)) == list(vars(built))
    assert vars(made) == vars(built)


def test_the_fast_path_is_taken_for_common_entries(monkeypatch: pytest.MonkeyPatch) -> None:
    data = (HEADER + "\n" + ENTRIES[0] + "\n" + ENTRIES[1]).encode()
    calls = []

    def counting(line: str, *args: Any) -> Any:
        calls.append(line)
        return original(line, *args)

    original = reader._strings
    monkeypatch.setattr(reader, "_strings", counting)
    catalog = reader.parse(data)
    assert calls == []  # no line went the line-by-line way
    assert [e.msgid for e in catalog.entries] == ["Plain text.", "A title"]
    assert catalog.entries[1].line == 17 and catalog.entries[1].occurrences == [
        ("content/a.md", "3"), ("b.md", "")]


@pytest.mark.parametrize("index", range(len(ENTRIES)))
def test_each_kind_of_entry_reads_the_same_both_ways(
        index: int, monkeypatch: pytest.MonkeyPatch) -> None:
    data = (HEADER + "\n" + ENTRIES[0] + "\n" + ENTRIES[index] + "\n" + ENTRIES[1]).encode()
    fast, slow = _both_ways(data, monkeypatch)
    assert fast == slow


def test_mutated_files_read_the_same_both_ways(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(12)
    pieces = [b"\\", b'"', b"\n", b"\n\n", b"#~ ", b"#| ", b"\r", b" ", b"\t", b"\\n", b"\xc3",
              b'msgid "x"\n', b'msgstr "y"\n', b"#, fuzzy\n", b'"\n"', b"\\303"]
    whole = (HEADER + "\n" + "\n".join(ENTRIES[:8])).encode()
    outcomes = set()
    for _ in range(400):
        data = bytearray(whole)
        for _ in range(rng.randint(1, 3)):
            at = rng.randrange(len(data) + 1)
            if rng.random() < 0.6:
                data[at:at] = rng.choice(pieces)
            else:
                del data[at:at + rng.randint(1, 4)]
        fast, slow = _both_ways(bytes(data), monkeypatch)
        assert fast == slow, bytes(data)
        outcomes.add(fast[0] == "error")
    assert outcomes == {True, False}  # both readable and broken files were tried


@pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus not available")
def test_the_corpus_reads_the_same_both_ways(monkeypatch: pytest.MonkeyPatch) -> None:
    files = sorted(Path(CORPUS).rglob("*.po"))
    assert files
    for path in files:
        fast, slow = _both_ways(path.read_bytes(), monkeypatch)
        assert fast == slow, path
