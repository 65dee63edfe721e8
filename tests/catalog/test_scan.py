"""Counting from the bytes (``scan.read_counts``) gives what the full reader gives.

``status`` counts review states without building entries for most messages. For every
catalog, the header and the counts must be those of ``parse()`` and ``count_states()``,
and a catalog ``parse()`` refuses must fail with the same error: checked on the shared
corpus of real files, the project's catalogs, catalogs of a generated project, files
generated line by line (hypothesis: odd layouts, escapes, review comments with right
and wrong hashes, plurals, obsolete and previous fields, errors) and mutations of them.
"""

from __future__ import annotations

import json
import random
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from locflow.catalog import reader, scan
from locflow.catalog.entry import Entry, _fields
from locflow.catalog.entrytext import _ESCAPE_TABLE
from locflow.errors import CatalogError
from locflow.review import count_states, text_hash

from ..conftest import CORPUS, REPO

HEADER = (
    'msgid ""\n'
    'msgstr ""\n'
    '"Language: es\\n"\n'
    '"Content-Type: text/plain; charset=UTF-8\\n"\n'
    '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n'
)


def _approved(msgid: str, msgstr: str, msgctxt: str | None = None) -> str:
    """An approval comment line of these texts."""
    digest = text_hash(Entry(msgid=msgid, msgstr=msgstr, msgctxt=msgctxt))
    return f"# locflow-approved: 2024-11-05 Ana Ruiz ({digest})\n"


def full_read(data: bytes) -> Any:
    """What the full reader gives: the header's fields and the counts, or the error."""
    try:
        catalog = reader.parse(data, "x.po")
    except CatalogError as exc:
        return ("error", str(exc), exc.line)
    header = _fields(catalog.header) if catalog.header is not None else None
    return header, count_states(catalog.entries)


def counted(data: bytes) -> Any:
    """What read_counts() gives, in the same terms."""
    try:
        header, counts = scan.read_counts(data, "x.po")
    except CatalogError as exc:
        return ("error", str(exc), exc.line)
    return (_fields(header) if header is not None else None), counts


def scanned(data: bytes) -> bool:
    """Whether the scan read *data* itself (no fallback to the full reader)."""
    try:
        scan._scan(data)
    except (scan._Unusual, reader._Fail, CatalogError, UnicodeDecodeError):
        return False
    return True


ENTRIES = [
    '#. paragraph\n#: content/a.md\nmsgid "Plain text."\nmsgstr "Texto."\n',
    _approved("A title", "Un título", "title") + '#. title\n#: content/a.md:3 b.md\n'
    'msgctxt "title"\nmsgid "A title"\nmsgstr "Un título"\n',
    _approved("Stale.", "Viejo.") + 'msgid "Stale."\nmsgstr "Cambiado."\n',
    _approved("Fuzzy.", "Borroso.") + '#, fuzzy\nmsgid "Fuzzy."\nmsgstr "Borroso."\n',
    '#, fuzzy, python-format\nmsgid "%s said \\"no\\"\\n"\nmsgstr "%s dijo \\"no\\"\\n"\n',
    '#,fuzzy\nmsgid "fuzzy without space"\nmsgstr "x"\n',
    '#, fuzzy-ish\nmsgid "not fuzzy"\nmsgstr "x"\n',
    'msgid ""\n"Wrapped "\n"text\\t"\nmsgstr ""\n"Texto "\n"partido"\n',
    'msgctxt ""\n"ctx"\nmsgid "with context"\nmsgstr ""\n',
    '#\n# \n#x\n#= sticky line\n#.\nmsgid "odd comments"\nmsgstr "x"\n',
    'msgid "octal \\303\\251 and hex \\xc3\\xa9"\nmsgstr "\\a\\b\\f\\v\\r\\\\"\n',
    '#, fuzzy\n#| msgid "old"\nmsgid "new"\nmsgstr "nuevo"\n',
    '# locflow-rejected: 2024-11-05 Ana: wrong\n#, fuzzy\nmsgid "rejected"\nmsgstr "x"\n',
    '# locflow-conflict: "otro"\n#, fuzzy\nmsgid "conflict"\nmsgstr "uno"\n',
    '# locflow-previous: 2024-11-05 Ana (de175ea163a9) {"msgid": "Old.", "msgstr": "Viejo."}\n'
    '#, fuzzy\nmsgid "New."\nmsgstr "Nuevo."\n',
    _approved("Old source.", "Texto.") + '#, fuzzy\n#| msgid "Old source."\n'
    'msgid "New source."\nmsgstr "Texto."\n',
    '# locflow-draft: mt x 2024-01-01 (aaaaaaaaaaaa)\nmsgid "a draft"\nmsgstr "x"\n',
    '#. locflow-approved: 2024-11-05 Ana (aaaaaaaaaaaa)\nmsgid "not a translator comment"\n'
    'msgstr "x"\n',
    'msgid "one"\nmsgid_plural "many"\nmsgstr[0] "uno"\nmsgstr[1] "muchos"\n',
    '#~ msgid "gone"\n#~ msgstr "ido"\n',
    'msgid "spaced"  \nmsgstr "x"\t\n',
    'msgid "two" " strings"\nmsgstr "x"\n',
    'msgid   "extra space"\nmsgstr"none"\n',
    '  msgid "indented"\n  msgstr "x"\n',
    'msgid "blank inside"\n\nmsgstr "x"\n',
    '# comment\n\n#. blank in comments\n#, fuzzy\nmsgid "b"\nmsgstr "c"\n',
    'msgid "Plain text."\nmsgstr "again"\n',  # a duplicate of the first one
    'msgid "bad escape \\q"\nmsgstr ""\n',
    'msgid "bad octal \\777"\nmsgstr ""\n',
    'msgid "unterminated\nmsgstr ""\n',
    'msgid "escaped quote at the end\\"\nmsgstr ""\n',
    'msgid "no msgstr"\n',
    'msgstr "no msgid"\n',
    'msgid "trailing" junk\nmsgstr ""\n',
    'msgid "a"\nmsgstr "b"\n"continued"\n',
    'msgid "escaped bytes \\377\\376"\nmsgstr ""\n',
    '#: file.md:12\nmsgid "last"\nmsgstr "último"',
]


@pytest.mark.parametrize("index", range(len(ENTRIES)))
def test_each_kind_of_entry_counts_as_the_reader_reads_it(index: int) -> None:
    data = (HEADER + "\n" + ENTRIES[0] + "\n" + ENTRIES[index] + "\n" + ENTRIES[1]).encode()
    assert counted(data) == full_read(data)
    joined = (HEADER + ENTRIES[0] + ENTRIES[index] + ENTRIES[1]).encode()  # no blank lines
    assert counted(joined) == full_read(joined)


def test_the_review_states_are_all_counted() -> None:
    data = (HEADER + "\n" + "\n".join(ENTRIES[:20])).encode()
    _, counts = scan.read_counts(data)
    assert counts == full_read(data)[1]
    assert counts.approved == 1 and counts.rejected == 1 and counts.conflicts == 1
    assert counts.outdated == 2 and counts.obsolete == 1
    assert scanned(data)


def test_plain_entries_build_no_entry(monkeypatch: pytest.MonkeyPatch) -> None:
    """Most messages are counted from their text: only the header is built."""
    built: list[str] = []
    original = scan._parsed_entry

    def counting(msgid: str, *args: Any) -> Entry:
        built.append(msgid)
        return original(msgid, *args)

    monkeypatch.setattr(scan, "_parsed_entry", counting)
    monkeypatch.setattr(reader, "_Parser", None)  # no entry is read the reader's way
    data = (HEADER + "\n" + "\n".join(ENTRIES[i] for i in (0, 1, 2, 3, 4, 5, 6, 7, 8, 16))
            ).encode()
    _, counts = scan.read_counts(data)
    assert built == [""]
    assert (counts.untranslated, counts.fuzzy, counts.translated, counts.approved) == (1, 3, 5, 1)


@pytest.mark.parametrize("layout", ["bom", "crlf", "latin-1", "no header", "no final newline",
                                    "trailing comments", "sniffed charset is not the header's",
                                    "header with previous fields", "header approved"])
def test_file_layouts_count_as_the_reader_reads_them(layout: str) -> None:
    body = HEADER + "\n" + "\n".join(ENTRIES[:4]) + "\n"
    data = {
        "bom": lambda: b"\xef\xbb\xbf" + body.encode(),
        "crlf": lambda: body.replace("\n", "\r\n").encode(),
        "latin-1": lambda: body.replace("UTF-8", "ISO-8859-1").encode("latin-1"),
        "no header": lambda: "\n".join(ENTRIES[:4]).encode(),
        "header with previous fields": lambda: ('#| msgid "old"\n' + body).encode(),
        "header approved": lambda: (_approved("", "") + body).encode(),
        "no final newline": lambda: body.rstrip("\n").encode(),
        "trailing comments": lambda: (body + "\n# the end\n#. really\n").encode(),
        "sniffed charset is not the header's": lambda: (
            '#~ msgid "x"\n#~ msgstr ""\n#~ "Content-Type: text/plain; charset=ISO-8859-1\\n"\n\n'
            + body).encode(),
    }[layout]()
    assert counted(data) == full_read(data)


def _check_files(files: list[Path]) -> None:
    assert files
    for path in files:
        data = path.read_bytes()
        assert counted(data) == full_read(data), path


@pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus not available")
def test_the_corpus_counts_as_the_reader_reads_it() -> None:
    files = sorted(Path(CORPUS).rglob("*.po"))
    _check_files(files)
    # real files are scanned, not handed to the reader (the point of the scan)
    assert [path for path in files if not scanned(path.read_bytes())] == []


def test_the_projects_catalogs_count_as_the_reader_reads_them() -> None:
    files = sorted((REPO / "locales").rglob("*.po"))
    _check_files(files)
    assert all(scanned(path.read_bytes()) for path in files)


def test_a_generated_projects_catalogs_count_as_the_reader_reads_them(tmp_path: Path) -> None:
    """Catalogs as sync, review and a memory's drafts leave them (benchmarks/run.py)."""
    import sys

    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        import run  # type: ignore[import-not-found]
    finally:
        sys.path.remove(str(REPO / "benchmarks"))
    run.generate(tmp_path / "project", 12)
    files = sorted((tmp_path / "project" / "locales").rglob("*.po"))
    _check_files(files)
    assert all(scanned(path.read_bytes()) for path in files)
    assert sum(counted(path.read_bytes())[1].approved for path in files) > 0


def test_mutated_files_count_as_the_reader_reads_them() -> None:
    rng = random.Random(20241105)
    pieces = [b"\\", b'"', b"\n", b"\n\n", b"#~ ", b"#| ", b"#, fuzzy\n", b"\r", b" ", b"\t",
              b"\\n", b"\xc3", b'msgid "x"\n', b'msgstr "y"\n', b'msgid ""\n', b'"\n"',
              b"\\303", b"# locflow-", b"msgstr[1] ", b"#\n"]
    whole = (HEADER + "\n" + "\n".join(ENTRIES[:20])).encode()
    outcomes = set()
    for _ in range(500):
        data = bytearray(whole)
        for _ in range(rng.randint(1, 3)):
            at = rng.randrange(len(data) + 1)
            if rng.random() < 0.6:
                data[at:at] = rng.choice(pieces)
            else:
                del data[at:at + rng.randint(1, 4)]
        expected = full_read(bytes(data))
        assert counted(bytes(data)) == expected, bytes(data)
        outcomes.add(expected[0] == "error")
    assert outcomes == {True, False}  # both readable and broken files were tried


# -- generated catalogs, line by line ---------------------------------------------------

_CHARS = st.sampled_from([*'ab é中"\\\t\n%{}', "\x07", "\u2028", "locflow-"])
_TEXT = st.lists(_CHARS, max_size=8).map("".join)


def _escaped(draw: Any, value: str) -> str:
    """*value* as a PO string body, mostly as msgcat writes it, sometimes in other ways
    gettext also reads (octal bytes, a literal tab) or does not (an unknown escape)."""
    body = value.translate(_ESCAPE_TABLE)
    # (rarely an error, which ends the file's reading; not last: hypothesis favours the
    # ends of a list)
    way = draw(st.sampled_from(["plain"] * 60 + ["octal"] * 8 + ["bad"] + ["tab"] * 4
                               + ["plain"] * 60))
    if way == "octal":
        body = body.replace("é", "\\303\\251")
    elif way == "tab":
        body = body.replace("\\t", "\t")
    elif way == "bad" and body:
        at = draw(st.integers(0, len(body)))
        body = body[:at] + "\\q" + body[at:]
    return body


_TOKEN_RE = re.compile(r"\\[0-7]{1,3}|\\.|.", re.DOTALL)


def _field(draw: Any, keyword: str, value: str, prefix: str) -> list[str]:
    """Lines of one keyword's strings: on one line, or continued on the lines after (cut
    between escapes: octal bytes of one character may end up in two strings)."""
    tokens = _TOKEN_RE.findall(_escaped(draw, value))
    cuts = sorted(set(draw(st.lists(st.integers(0, len(tokens)), max_size=2))))
    parts = ["".join(tokens[start:stop]) for start, stop in zip(
        [0, *cuts], [*cuts, len(tokens)], strict=True)]
    if len(parts) > 1 and draw(st.booleans()):
        parts.insert(0, "")
    lines = [f'{prefix}{keyword} "{parts[0]}"']
    lines += [f'{prefix}"{part}"' for part in parts[1:]]
    return lines


@st.composite
def _entry(draw: Any, number: int) -> str:
    """Entry *number* of a file: its msgid is its own, but for the odd duplicate."""
    msgctxt = draw(st.none() | _TEXT)
    msgid = "Same." if draw(st.integers(0, 12)) == 0 else draw(_TEXT) + f" {number}"
    plural = draw(st.integers(0, 9)) == 0
    msgstr = draw(st.sampled_from(["", "Traducción.", "Traducción."]) | _TEXT)
    forms = [msgstr, draw(_TEXT)] if plural else [msgstr]
    entry = Entry(msgid=msgid, msgctxt=msgctxt, msgstr="" if plural else msgstr,
                  msgid_plural="many" if plural else "",
                  msgstr_plural=dict(enumerate(forms)) if plural else {})
    right = text_hash(entry)
    old = Entry(msgid="Old.", msgctxt=msgctxt, msgstr=msgstr)
    previous = json.dumps({"msgid": "Old.", "msgstr": msgstr}, ensure_ascii=False)
    comment_lines = st.sampled_from([
        f"# locflow-approved: 2024-11-05 Ana ({right})",
        f"#locflow-approved: 2024-11-05 Ana ({right}) override: numbers",
        f"#. locflow-approved: 2024-11-05 Ana ({right})",
        "# locflow-approved: 2024-11-05 Ana (0123456789ab)",
        f"# locflow-approved: 2024-11-05 Ana ({text_hash(old)})",
        f"# locflow-rejected: 2024-11-05 Ana ({right}): no",
        "# locflow-rejected: 2024-11-05 Ana: no",
        '# locflow-conflict: "otra"',
        f"# locflow-previous: 2024-11-05 Ana ({text_hash(old)}) {previous}",
        "# locflow-draft: memory 42% a 2024-11-05 (87a714dba1cb)",
        "# a note", "#", "#x", "#. extracted", "#: a.md:3 b.md", "#= sticky",
        "#, fuzzy", "#,fuzzy", "#, python-format, fuzzy", "#, fuzzy-ish", "#, c-format",
        "#, fuzzy", "#, fuzzy", f"# locflow-approved: 2024-11-05 Ana ({right})",
    ])
    lines = draw(st.lists(comment_lines, max_size=4))
    obsolete = draw(st.integers(0, 7)) == 0
    prefix = "#~ " if obsolete else ""
    if draw(st.integers(0, 2)) == 0:
        lines += _field(draw, "msgid", "Old.", "#~| " if obsolete else "#| ")
        if draw(st.booleans()):
            lines.insert(len(lines) - 1, '#| msgctxt "c"')
    if msgctxt is not None:
        lines += _field(draw, "msgctxt", msgctxt, prefix)
    lines += _field(draw, "msgid", msgid, prefix)
    if plural:
        lines += _field(draw, "msgid_plural", "many", prefix)
        for index, form in enumerate(forms):
            lines += _field(draw, f"msgstr[{index}]", form, prefix)
    else:
        lines += _field(draw, "msgstr", msgstr, prefix)
    if draw(st.integers(0, 20)) == 0:  # a blank line, or an odd line, inside the entry
        at = draw(st.integers(0, len(lines)))
        lines.insert(at, draw(st.sampled_from(["", " ", '"stray"', "junk", "#~", "#| x"])))
    return "\n".join(lines) + "\n"


@st.composite
def _catalog(draw: Any) -> bytes:
    header = draw(st.sampled_from([HEADER, "#, fuzzy\n" + HEADER, "", HEADER.replace(
        "UTF-8", "CHARSET"), 'msgid ""\nmsgstr "Language: zh\\n"\n']))
    parts = [header] if header else []
    for number in range(draw(st.integers(0, 6))):
        parts.append(draw(_entry(number)))
    gaps = [draw(st.sampled_from(["\n", "\n", "\n\n", ""])) for _ in parts]
    text = "".join(part + gap for part, gap in zip(parts, gaps, strict=True))
    ending = draw(st.sampled_from(["", "", "strip", "comments"]))
    if ending == "strip":
        text = text.rstrip("\n")
    elif ending == "comments":
        text += "# trailing\n"
    return text.encode()


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_catalog())
def test_generated_catalogs_count_as_the_reader_reads_them(data: bytes) -> None:
    assert counted(data) == full_read(data)


# -- hostile text: the scan's pattern stays linear ----------------------------------------

def _cpu(call: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(3):
        start = time.process_time()
        call()
        best = min(best, time.process_time() - start)
    return best


@pytest.mark.parametrize("unit", [
    '"', "\\", 'msgid "', '#| msgid "x"\n', "#\n", '"x"\n', 'msgid "x"\n"', "# a\n",
    'msgid "a"\nmsgstr "', 'msgid "x" "', '"\\"', 'msgctxt "x"\n',
])
def test_the_scan_is_linear_on_hostile_text(unit: str) -> None:
    """Each text is scanned at n and 4n: linear work grows 4x, quadratic 16x."""

    def work(n: int) -> Callable[[], object]:
        data = (HEADER + "\n" + 'msgid "a"\nmsgstr "' + unit * n + '"\n').encode()
        lines = (HEADER + "\n" + unit * n).encode()
        return lambda: (counted(data), counted(lines))

    small, large = _cpu(work(5_000)), _cpu(work(20_000))
    assert large < 10 * max(small, 1e-3), f"{small:.3f}s -> {large:.3f}s for 4x input"
