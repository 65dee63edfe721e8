"""Unit tests for locflow.catalog.pofile: strict parsing, formatting, byte-stable dump,
atomic writes and locking."""

from __future__ import annotations

import difflib
import itertools
import multiprocessing
import os
import shutil
import signal
import stat
import subprocess
import time
from pathlib import Path

import pytest

from locflow.catalog import pofile, storage
from locflow.catalog.pofile import Catalog, Entry
from locflow.errors import CatalogError

HEADER = (
    b'msgid ""\n'
    b'msgstr ""\n'
    b'"Project-Id-Version: demo 1.0\\n"\n'
    b'"Language: es\\n"\n'
    b'"MIME-Version: 1.0\\n"\n'
    b'"Content-Type: text/plain; charset=UTF-8\\n"\n'
    b'"Content-Transfer-Encoding: 8bit\\n"\n'
    b'"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n'
)

SAMPLE = HEADER + b"""
# Translator note
#. Extracted note
#: content/a.md:3 content/b.md:7
#, fuzzy, python-format
#| msgid "Old %s text"
msgid "New %s text"
msgstr "Texto %s nuevo"

msgctxt "menu"
msgid "Open"
msgstr "Abrir"

msgid "One file"
msgid_plural "%d files"
msgstr[0] "Un archivo"
msgstr[1] "%d archivos"

msgid ""
"First line\\n"
"second line"
msgstr ""
"Primera l\xc3\xadnea\\n"
"segunda l\xc3\xadnea"

#~| msgid "Gone before"
#~ msgid "Gone"
#~ msgstr "Ido"
"""

SAMPLE_PATH = "locales/es/demo.po"


def entry_by_msgid(catalog: Catalog, msgid: str) -> Entry:
    return next(e for e in catalog.entries if e.msgid == msgid)


def changed_lines(before: bytes, after: bytes) -> list[str]:
    """The lines a unified diff marks as removed or added."""
    diff = difflib.unified_diff(before.decode().splitlines(), after.decode().splitlines(),
                                lineterm="", n=0)
    return [d for d in diff if d[:1] in "+-" and not d.startswith(("+++", "---"))]


# --------------------------------------------------------------------------- parsing

def test_parse_fields_and_lines() -> None:
    cat = pofile.parse(SAMPLE, SAMPLE_PATH)
    assert cat.path == Path(SAMPLE_PATH)
    assert cat.header is not None and cat.header.line == 1
    assert [e.msgid for e in cat.entries] == [
        "New %s text", "Open", "One file", "First line\nsecond line", "Gone"]

    first = cat.entries[0]
    assert first.tcomment == "Translator note"
    assert first.comment == "Extracted note"
    assert first.occurrences == [("content/a.md", "3"), ("content/b.md", "7")]
    assert first.flags == ["fuzzy", "python-format"]
    assert first.fuzzy
    assert first.previous_msgid == "Old %s text"
    assert first.line == 15
    assert first.key == (None, "New %s text")

    ctx = entry_by_msgid(cat, "Open")
    assert ctx.msgctxt == "menu" and ctx.key == ("menu", "Open")

    plural = entry_by_msgid(cat, "One file")
    assert plural.msgid_plural == "%d files"
    assert plural.msgstr_plural == {0: "Un archivo", 1: "%d archivos"}

    multi = entry_by_msgid(cat, "First line\nsecond line")
    assert multi.msgstr == "Primera línea\nsegunda línea"

    gone = entry_by_msgid(cat, "Gone")
    assert gone.obsolete and gone.msgstr == "Ido"
    assert gone.previous_msgid == "Gone before"  # polib drops #~| lines; we keep them


def test_active_obsolete_index_metadata() -> None:
    cat = pofile.parse(SAMPLE, SAMPLE_PATH)
    assert len(cat.active()) == 4
    assert [e.msgid for e in cat.obsolete_entries()] == ["Gone"]
    index = cat.index()
    assert index[("menu", "Open")].msgstr == "Abrir"
    assert (None, "Gone") not in index
    assert list(cat.metadata()) == [
        "Project-Id-Version", "Language", "MIME-Version", "Content-Type",
        "Content-Transfer-Encoding", "Plural-Forms"]
    assert cat.metadata()["Plural-Forms"] == "nplurals=2; plural=(n != 1);"
    assert cat.language == "es"


def test_roundtrip_sample() -> None:
    assert pofile.dump(pofile.parse(SAMPLE)) == SAMPLE


def test_escapes() -> None:
    data = HEADER + (
        b'\nmsgid "esc"\n'
        b'msgstr "\\n\\t\\r\\\\\\"\\a\\b\\f\\v \\101\\x42 \\303\\251\\xc3\\xa9 \\0"\n'
    )
    cat = pofile.parse(data)
    assert cat.entries[0].msgstr == '\n\t\r\\"\a\b\f\v AB éé \0'
    assert pofile.dump(cat) == data


def test_adjacent_strings_and_indentation() -> None:
    data = HEADER + b'\n  msgid "a" "b"\n  msgstr "c"\n'
    cat = pofile.parse(data)
    assert cat.entries[0].msgid == "ab"
    assert pofile.dump(cat) == data


def test_comments_without_space_and_empty() -> None:
    data = HEADER + b'\n#no space\n#  two spaces\n#\n#.x\nmsgid "a"\nmsgstr "b"\n'
    entry = pofile.parse(data).entries[0]
    assert entry.tcomment == "no space\n two spaces\n"
    assert entry.comment == "x"


def test_comments_belong_to_next_entry_across_blank_lines() -> None:
    data = HEADER + b'\n# about a\n\n# still about a\n\nmsgid "a"\nmsgstr "b"\n'
    cat = pofile.parse(data)
    assert cat.entries[0].tcomment == "about a\nstill about a"
    assert pofile.dump(cat) == data


def test_trailing_comments_kept_verbatim() -> None:
    data = HEADER + b'\nmsgid "a"\nmsgstr "b"\n\n# left over\n#, fuzzy\n\n'
    cat = pofile.parse(data)
    assert [e.msgid for e in cat.entries] == ["a"]
    assert pofile.dump(cat) == data
    cat.entries.append(Entry(msgid="c", msgstr="d"))
    assert pofile.dump(cat).endswith(b'msgid "c"\nmsgstr "d"\n\n# left over\n#, fuzzy\n\n')


def test_sticky_lines_kept_in_place() -> None:
    data = HEADER + b'\n#, c-format\n#= no-wrap\nmsgid "a"\nmsgstr "b"\n'
    cat = pofile.parse(data)
    entry = cat.entries[0]
    assert entry.sticky == ["#= no-wrap"]
    assert entry.flags == ["c-format"]
    assert pofile.dump(cat) == data
    entry.msgstr = "c"
    assert pofile.format_entry(entry) == '#, c-format\n#= no-wrap\nmsgid "a"\nmsgstr "c"'


def test_obsolete_entry_with_previous_fields() -> None:
    data = HEADER + (
        b'\n# kept comment\n#, fuzzy\n#~| msgctxt "old"\n#~| msgid ""\n#~| "prev\\n"\n#~| "two"\n'
        b'#~ msgctxt "ctx"\n#~ msgid "plural"\n#~ msgid_plural "plurals"\n'
        b'#~ msgstr[0] "uno"\n#~ msgstr[1] ""\n'
    )
    cat = pofile.parse(data)
    entry = cat.entries[0]
    assert entry.obsolete
    assert (entry.previous_msgctxt, entry.previous_msgid) == ("old", "prev\ntwo")
    assert entry.msgstr_plural == {0: "uno", 1: ""}
    assert pofile.dump(cat) == data
    assert pofile.format_entry(entry) == data[len(HEADER) + 1:].decode().rstrip("\n")


def test_bom_crlf_and_missing_final_newline_preserved() -> None:
    data = b"\xef\xbb\xbf" + HEADER.replace(b"\n", b"\r\n") + b'\r\nmsgid "a"\r\nmsgstr "b"'
    cat = pofile.parse(data)
    assert cat.entries[0].msgstr == "b"
    assert pofile.dump(cat) == data
    cat.entries[0].msgstr = "c"
    cat.entries.append(Entry(msgid="x", msgstr="y"))
    out = pofile.dump(cat)
    assert out.startswith(b"\xef\xbb\xbf" + HEADER.replace(b"\n", b"\r\n"))
    assert out.endswith(b'\r\nmsgid "a"\r\nmsgstr "c"\r\n\r\nmsgid "x"\r\nmsgstr "y"\r\n')


def test_other_charset_decoded_and_encoded_back() -> None:
    data = HEADER.replace(b"UTF-8", b"ISO-8859-1") + b'\nmsgid "a"\nmsgstr "l\xednea"\n'
    cat = pofile.parse(data)
    assert cat.entries[0].msgstr == "línea"
    assert pofile.dump(cat) == data
    cat.entries[0].msgstr = "acción"
    assert pofile.dump(cat).endswith(b'msgstr "acci\xf3n"\n')
    cat.entries[0].msgstr = "中文"
    with pytest.raises(CatalogError, match="not representable in charset iso8859-1"):
        pofile.dump(cat)


def test_pot_placeholder_charset_means_utf8() -> None:
    data = HEADER.replace(b"UTF-8", b"CHARSET") + b'\nmsgid "\xc3\xa9"\nmsgstr ""\n'
    cat = pofile.parse(data)
    assert cat.entries[0].msgid == "é"
    assert pofile.dump(cat) == data


def test_header_in_the_middle_and_blank_lines_inside_entries() -> None:
    data = (b'msgid "a"\nmsgstr "b"\n\n# hdr\nmsgid ""\nmsgstr "Language: es\\n"\n\n'
            b'msgid "c"\n\nmsgstr "d"\n\n#~ msgid "o"\n#~\n#~ msgstr "p"\n')
    cat = pofile.parse(data)
    assert cat.header is not None and cat.header.line == 5
    assert [(e.msgid, e.line) for e in cat.entries] == [("a", 1), ("c", 8), ("o", 12)]
    assert pofile.dump(cat) == data
    cat.set_metadata("Language", "fr")
    assert changed_lines(data, pofile.dump(cat)) == [
        '-msgstr "Language: es\\n"', '+msgstr "Language: fr\\n"']


def test_entry_identity_and_str() -> None:
    a, b = Entry(msgid="a", msgstr="b"), Entry(msgid="a", msgstr="b")
    assert a != b and a == a and len({a, b}) == 2
    assert str(a) == 'msgid "a"\nmsgstr "b"\n'
    assert a.line == 0 and a.sticky == [] and a.key == (None, "a")


def test_no_header() -> None:
    data = b'msgid "a"\nmsgstr "b"\n'
    cat = pofile.parse(data)
    assert cat.header is None and cat.metadata() == {} and cat.language is None
    assert pofile.dump(cat) == data


def test_empty_file() -> None:
    cat = pofile.parse(b"")
    assert cat.header is None and cat.entries == []
    assert pofile.dump(cat) == b""


# --------------------------------------------------------------------------- strict errors

ERRORS = [
    ("unterminated", b'msgid "abc\nmsgstr ""\n', 1, "unterminated string"),
    ("unterminated-escaped-quote", b'msgid "abc\\"\nmsgstr ""\n', 1, "unterminated string"),
    ("text-after-string", b'msgid "a" b\nmsgstr ""\n', 1, "unexpected text after string"),
    ("no-string", b'msgid\n"a"\nmsgstr ""\n', 1, "missing string"),
    ("not-a-string", b'msgid abc\nmsgstr ""\n', 1, "expected a quoted string"),
    ("unknown-keyword", b'msgid "a"\nmsgstr "b"\n\nmsgfoo "c"\n', 4, "unknown keyword 'msgfoo'"),
    ("junk-line", b'msgid "a"\nmsgstr "b"\nhello\n', 3, "unknown keyword 'hello'"),
    ("bad-escape", b'msgid "a"\nmsgstr "\\q"\n', 2, "invalid escape sequence"),
    ("bad-hex-escape", b'msgid "a"\nmsgstr "\\xzz"\n', 2, "invalid escape sequence"),
    ("msgstr-without-msgid", b'msgid "a"\nmsgstr "b"\n\nmsgstr "c"\n', 4,
     "msgstr without msgid"),
    ("msgstr-first", b'# c\nmsgstr "c"\n', 2, "msgstr without msgid"),
    ("duplicate", b'msgid "a"\nmsgstr "b"\n\nmsgid "a"\nmsgstr "c"\n', 4,
     "duplicate message definition"),
    ("duplicate-ctx", b'msgctxt "x"\nmsgid "a"\nmsgstr "b"\n\nmsgctxt "x"\nmsgid "a"\n'
     b'msgstr "c"\n', 6, "duplicate message definition"),
    ("duplicate-header", HEADER + b'\nmsgid ""\nmsgstr ""\n', 10, "duplicate message"),
    ("plural-without-msgstr-n", b'msgid "a"\nmsgid_plural "as"\nmsgstr "b"\n', 3,
     "msgid_plural requires msgstr[N]"),
    ("msgstr-n-without-plural", b'msgid "a"\nmsgstr[0] "b"\n', 2,
     "msgstr[N] without msgid_plural"),
    ("plural-index", b'msgid "a"\nmsgid_plural "as"\nmsgstr[0] "b"\nmsgstr[2] "c"\n', 4,
     "wrong index"),
    ("missing-msgstr", b'msgid "a"\nmsgstr "b"\n\nmsgid "c"\n', 4, "no msgstr"),
    ("msgid-after-msgid", b'msgid "a"\nmsgid "c"\nmsgstr ""\n', 2, "msgid without msgstr"),
    ("comment-inside-entry", b'msgid "a"\n# note\nmsgstr "b"\n', 2, "comment line inside"),
    ("comment-after-previous", b'#| msgid "o"\n# note\nmsgid "a"\nmsgstr "b"\n', 2,
     "comment line after #|"),
    ("mixed-obsolete", b'#~ msgid "a"\nmsgstr "b"\n', 2, "inconsistent use of #~"),
    ("string-without-keyword", b'msgid "a"\nmsgstr "b"\n\n"c"\n', 4, "string without a keyword"),
    ("invalid-utf8", HEADER + b'\nmsgid "a"\nmsgstr "\xff"\n', 11, "invalid utf-8 byte"),
    ("unknown-charset", HEADER.replace(b"UTF-8", b"NO-SUCH-CHARSET") + b'\nmsgid "a"\n'
     b'msgstr ""\n', 6, "unknown charset"),
]


@pytest.mark.parametrize(("data", "line", "message"),
                         [pytest.param(d, ln, m, id=i) for i, d, ln, m in ERRORS])
def test_strict_errors(data: bytes, line: int, message: str) -> None:
    with pytest.raises(CatalogError) as info:
        pofile.parse(data, "locales/es/bad.po")
    err = info.value
    assert (err.path, err.line) == ("locales/es/bad.po", line)
    assert str(err).startswith(f"locales/es/bad.po:{line}: ")
    assert message in err.message


def test_obsolete_duplicates_are_allowed() -> None:
    data = b'msgid "a"\nmsgstr "b"\n\n#~ msgid "a"\n#~ msgstr "old"\n'
    assert pofile.dump(pofile.parse(data)) == data


def test_load_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match="cannot read catalog") as info:
        pofile.load(tmp_path / "nope.po")
    assert info.value.path == str(tmp_path / "nope.po")


# --------------------------------------------------------------------------- formatting

def test_format_entry_msgcat_layout() -> None:
    entry = Entry(
        msgid="Line one\nline two\n", msgstr='Tab\there "quoted" \\ back',
        msgctxt="ctx", tcomment="first\n\nthird", comment="dev note",
        occurrences=[("a.md", "1"), ("a.md", "1"), ("b.md", "")], flags=["fuzzy", "c-format"],
        previous_msgid="old\n",
    )
    assert pofile.format_entry(entry) == (
        '# first\n'
        '#\n'
        '# third\n'
        '#. dev note\n'
        '#: a.md:1 b.md\n'
        '#, fuzzy, c-format\n'
        '#| msgid "old\\n"\n'
        'msgctxt "ctx"\n'
        'msgid ""\n'
        '"Line one\\n"\n'
        '"line two\\n"\n'
        'msgstr "Tab\\there \\"quoted\\" \\\\ back"'
    )


def test_format_plural_and_obsolete() -> None:
    entry = Entry(msgid="a", msgid_plural="as", msgstr_plural={1: "bs", 0: "b"}, obsolete=True,
                  previous_msgid="old")
    assert pofile.format_entry(entry) == (
        '#~| msgid "old"\n#~ msgid "a"\n#~ msgid_plural "as"\n#~ msgstr[0] "b"\n'
        '#~ msgstr[1] "bs"')
    assert pofile.format_entry(Entry(msgid="a", msgid_plural="as")).endswith('msgstr[0] ""')


def test_references_wrap_at_79_columns() -> None:
    refs = [(f"content/article-{i:03d}.md", str(i)) for i in range(10)]
    lines = pofile.format_entry(Entry(msgid="a", occurrences=refs)).split("\n")
    ref_lines = [line for line in lines if line.startswith("#:")]
    assert len(ref_lines) > 1
    assert all(len(line) <= 79 for line in ref_lines)
    # each line is full: the next reference would not have fitted
    for line, following in itertools.pairwise(ref_lines):
        assert len(line) + 1 + len(following.split()[1]) > 79


def test_new_catalog_and_dump() -> None:
    cat = pofile.new_catalog({"Language": "es",
                              "Content-Type": "text/plain; charset=UTF-8"}, path="x.po")
    assert cat.language == "es" and cat.path == Path("x.po")
    cat.entries.append(Entry(msgid="Hello", msgstr="Hola"))
    assert pofile.dump(cat) == (
        b'msgid ""\nmsgstr ""\n"Language: es\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
        b'\nmsgid "Hello"\nmsgstr "Hola"\n')


@pytest.mark.skipif(shutil.which("msgcat") is None, reason="msgcat (GNU gettext) not on PATH")
def test_new_catalog_identical_to_msgcat(tmp_path: Path) -> None:
    cat = pofile.new_catalog({
        "Project-Id-Version": "demo 1.0",
        "Language": "zh_CN",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": "nplurals=1; plural=0;",
    })
    cat.header.tcomment = "Demo translation.\n"  # type: ignore[union-attr]
    long_text = "A very long paragraph that goes well past seventy-nine columns " * 3
    cat.entries += [
        Entry(msgid=long_text, msgstr="很长的段落" * 40, comment="paragraph",
              occurrences=[(f"content/post-{i}.md", str(i * 10)) for i in range(12)]),
        Entry(msgid="Two\nlines", msgstr="两\n行\n", msgctxt="intro", tcomment="check\nme",
              flags=["fuzzy", "python-format"], previous_msgid="Two\nline"),
        Entry(msgid="%d file", msgid_plural="%d files", msgstr_plural={0: "%d 个文件"},
              flags=["c-format"]),
        Entry(msgid='Quote " and \\ and \ttab', msgstr=""),
        Entry(msgid="\n", msgstr="\n\n"),
        Entry(msgid="Old", msgstr="旧", obsolete=True, previous_msgid="Older\ntext",
              tcomment="obsolete note"),
    ]
    data = pofile.dump(cat)
    path = tmp_path / "new.po"
    path.write_bytes(data)
    result = subprocess.run(["msgcat", "--no-wrap", str(path)], capture_output=True, check=True)
    assert result.stdout.decode() == data.decode()


# --------------------------------------------------------------------------- byte stability

WRAPPED = HEADER + b"""
#: help/a.page:1 help/b.page:2 help/c.page:3 help/d.page:4 help/e.page:5 help/f.page:6 help/g.page:7
#: help/h.page:8
msgid ""
"A long message that an editor wrapped at a different width than msgcat would, "
"on purpose."
msgstr ""
"Un mensaje largo que un editor cort\xc3\xb3 a otro ancho del que usar\xc3\xada msgcat, "
"a prop\xc3\xb3sito."

#:   help/x.page:9
msgid "Second"
msgstr "Segundo"


msgid "Third"
msgstr "Tercero"
"""


def test_changing_one_entry_changes_only_its_lines() -> None:
    cat = pofile.parse(WRAPPED)
    entry_by_msgid(cat, "Second").msgstr = "Segunda"
    out = pofile.dump(cat)
    assert changed_lines(WRAPPED, out) == [
        "-#:   help/x.page:9", "+#: help/x.page:9", '-msgstr "Segundo"', '+msgstr "Segunda"']


def test_unchanged_after_touching_with_equal_values() -> None:
    cat = pofile.parse(WRAPPED)
    for entry in cat.entries:
        entry.msgstr = str(entry.msgstr)
        entry.flags = list(entry.flags)
    assert pofile.dump(cat) == WRAPPED


def test_remove_reorder_and_add_entries() -> None:
    cat = pofile.parse(WRAPPED)
    first, second, third = cat.entries
    cat.entries.remove(second)
    assert changed_lines(WRAPPED, pofile.dump(cat)) == [
        "-#:   help/x.page:9", '-msgid "Second"', '-msgstr "Segundo"', "-"]

    cat.entries = [third, first]
    out = pofile.dump(cat).decode()
    assert out.index('msgid "Third"') < out.index("A long message")
    assert '"Tercero"\n\n#: help/a.page:1' in out  # a blank line separates moved chunks

    cat.entries = [first, second, third, Entry(msgid="Fourth", msgstr="Cuarto")]
    assert pofile.dump(cat) == WRAPPED + b'\nmsgid "Fourth"\nmsgstr "Cuarto"\n'


def test_set_metadata_changes_one_header_line() -> None:
    cat = pofile.parse(SAMPLE)
    cat.set_metadata("Language", "es_MX")
    cat.set_metadata("X-Generator", "locflow")
    assert cat.language == "es_MX"
    assert changed_lines(SAMPLE, pofile.dump(cat)) == [
        '-"Language: es\\n"', '+"Language: es_MX\\n"', '+"X-Generator: locflow\\n"']


def test_set_metadata_creates_header() -> None:
    data = b'msgid "a"\nmsgstr "b"\n'
    cat = pofile.parse(data)
    cat.set_metadata("Language", "es")
    assert pofile.dump(cat) == b'msgid ""\nmsgstr "Language: es\\n"\n\n' + data


def test_fuzzy_flag_on_empty_msgstr_is_kept() -> None:
    # msgcat drops "fuzzy" from an entry whose msgstr is empty; we keep what we were given.
    entry = Entry(msgid="a", msgstr="", flags=["fuzzy"])
    assert pofile.format_entry(entry) == '#, fuzzy\nmsgid "a"\nmsgstr ""'


# --------------------------------------------------------------------------- atomic writes

def test_save_atomic_skips_identical_bytes(tmp_path: Path) -> None:
    path = tmp_path / "a.po"
    assert pofile.save_atomic(path, b"one\n") is True
    os.utime(path, (1_000_000, 1_000_000))
    assert pofile.save_atomic(path, b"one\n") is False
    assert path.stat().st_mtime == 1_000_000
    assert pofile.save_atomic(path, b"two\n") is True
    assert path.read_bytes() == b"two\n"


def test_save_atomic_modes_and_parents(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "er" / "a.po"
    old = os.umask(0o027)
    try:
        pofile.save_atomic(path, b"x")
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    path.chmod(0o604)
    pofile.save_atomic(path, b"y")
    assert stat.S_IMODE(path.stat().st_mode) == 0o604


def test_save_atomic_follows_symlink(tmp_path: Path) -> None:
    real = tmp_path / "real.po"
    real.write_bytes(b"old")
    link = tmp_path / "link.po"
    link.symlink_to(real)
    pofile.save_atomic(link, b"new")
    assert link.is_symlink() and real.read_bytes() == b"new"


def test_save_atomic_failure_leaves_file_and_no_temp(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "a.po"
    path.write_bytes(b"original")

    def broken_replace(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(storage.os, "replace", broken_replace)
    with pytest.raises(CatalogError, match="No space left"):
        pofile.save_atomic(path, b"new content")
    assert path.read_bytes() == b"original"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.po"]


def test_edit_writes_on_success(tmp_path: Path) -> None:
    path = tmp_path / "es" / "demo.po"
    path.parent.mkdir()
    path.write_bytes(SAMPLE)
    with pofile.edit(path) as cat:
        entry_by_msgid(cat, "Open").msgstr = "Abrir archivo"
    assert changed_lines(SAMPLE, path.read_bytes()) == [
        '-msgstr "Abrir"', '+msgstr "Abrir archivo"']
    assert sorted(p.name for p in path.parent.iterdir()) == ["demo.po"]


def test_edit_exception_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "demo.po"
    path.write_bytes(SAMPLE)
    before = path.stat()
    with pytest.raises(RuntimeError), pofile.edit(path) as cat:
        cat.entries.clear()
        raise RuntimeError("boom")
    assert path.read_bytes() == SAMPLE
    assert path.stat().st_mtime_ns == before.st_mtime_ns
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo.po"]


def test_edit_create_and_missing(tmp_path: Path) -> None:
    path = tmp_path / "new" / "demo.po"
    with pytest.raises(CatalogError, match="does not exist"), pofile.edit(path):
        pass
    with pofile.edit(path, create=lambda: pofile.new_catalog({"Language": "es"})) as cat:
        assert cat.path == path
        cat.entries.append(Entry(msgid="a", msgstr="b"))
    assert path.read_bytes() == b'msgid ""\nmsgstr "Language: es\\n"\n\nmsgid "a"\nmsgstr "b"\n'


def test_edit_invalid_file_raises_with_position(tmp_path: Path) -> None:
    path = tmp_path / "bad.po"
    path.write_bytes(b'msgid "a\n')
    with pytest.raises(CatalogError) as info, pofile.edit(path):
        pass
    assert str(info.value).startswith(f"{path}:1: ")


# --------------------------------------------------------------------------- locking

def _append_worker(path: str, n: int) -> None:
    with pofile.edit(path) as cat:
        count = len(cat.entries)
        time.sleep(0.02)  # widen the read-modify-write window
        cat.entries.append(Entry(msgid=f"worker {n}", msgstr=f"after {count}"))


def test_edit_serializes_processes(tmp_path: Path) -> None:
    path = tmp_path / "shared.po"
    path.write_bytes(HEADER)
    ctx = multiprocessing.get_context("spawn")
    workers = [ctx.Process(target=_append_worker, args=(str(path), n)) for n in range(8)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(60)
        assert w.exitcode == 0
    cat = pofile.load(path)
    assert sorted(e.msgid for e in cat.entries) == [f"worker {n}" for n in range(8)]
    # every worker saw all earlier appends: the counts form 0..7
    assert sorted(int(e.msgstr.split()[1]) for e in cat.entries) == list(range(8))


def test_locked_is_reentrant_and_leaves_no_files(tmp_path: Path) -> None:
    a = tmp_path / "loc" / "a.po"
    b = tmp_path / "loc" / "b.po"
    with pofile.locked(a), pofile.locked(b), pofile.edit(b, create=Catalog):
        pass
    assert sorted(p.name for p in (tmp_path / "loc").iterdir()) == ["b.po"]


def _slow_writer(path: str, ready: multiprocessing.synchronize.Event) -> None:
    real_fsync = os.fsync

    def fsync_then_hang(fd: int) -> None:
        real_fsync(fd)
        ready.set()
        time.sleep(60)

    os.fsync = fsync_then_hang
    pofile.save_atomic(path, b"new content " * 100_000)


def test_killed_writer_leaves_old_file(tmp_path: Path) -> None:
    path = tmp_path / "a.po"
    path.write_bytes(SAMPLE)
    ctx = multiprocessing.get_context("spawn")
    ready = ctx.Event()
    proc = ctx.Process(target=_slow_writer, args=(str(path), ready))
    proc.start()
    assert ready.wait(30)
    assert proc.pid is not None
    os.kill(proc.pid, signal.SIGKILL)
    proc.join(10)
    assert path.read_bytes() == SAMPLE
    pofile.parse(path.read_bytes(), path)
