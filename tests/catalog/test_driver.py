"""The file edge of `locflow merge-driver` in process: git's three versions on disk,
merged into ours (the git runs are in tests/e2e/test_merge_driver_git.py)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from locflow.catalog import pofile
from locflow.catalog.driver import FileMerge, MergeConflict, merge_files
from locflow.errors import CatalogError
from locflow.review import conflict


def header(revised: str = "2024-11-01 10:00+0000", translator: str = "Ana <ana@example.com>"
           ) -> str:
    return ('msgid ""\nmsgstr ""\n'
            f'"PO-Revision-Date: {revised}\\n"\n'
            f'"Last-Translator: {translator}\\n"\n'
            '"Language: es\\n"\n'
            '"Content-Type: text/plain; charset=UTF-8\\n"\n')


def e(msgid: str, msgstr: str = "", *, msgctxt: str | None = None, obsolete: bool = False,
      flags: str = "") -> str:
    prefix = "#~ " if obsolete else ""
    lines = [f"#, {flags}"] if flags else []
    if msgctxt is not None:
        lines.append(f'{prefix}msgctxt "{msgctxt}"')
    lines += [f'{prefix}msgid "{msgid}"', f'{prefix}msgstr "{msgstr}"']
    return "\n".join(lines) + "\n"


def po(*entries: str, head: str | None = None) -> bytes:
    return "\n".join([header() if head is None else head, *entries]).encode()


def versions(tmp_path: Path, base: bytes, ours: bytes, theirs: bytes
             ) -> tuple[Path, Path, Path]:
    """The three files as git hands them over (%O, %A, %B: temporaries of any name)."""
    paths = (tmp_path / ".merge_file_O", tmp_path / ".merge_file_A", tmp_path / ".merge_file_B")
    for path, data in zip(paths, (base, ours, theirs), strict=True):
        path.write_bytes(data)
    return paths


NAME = "locales/es/articles/vote.po"


def test_changes_of_both_sides_are_written_over_ours(tmp_path: Path) -> None:
    base = po(e("One."), e("Two."), e("Three."))
    ours = po(e("One.", "Uno."), e("Two."), e("Three."))
    theirs = po(e("One."), e("Two.", "Dos."), e("Three.", "Tres."))
    b, o, t = versions(tmp_path, base, ours, theirs)
    result = merge_files(b, o, t, NAME)
    assert result == FileMerge(NAME, [], 0, 0, 2, True)
    assert o.read_bytes() == po(e("One.", "Uno."), e("Two.", "Dos."), e("Three.", "Tres."))
    assert (b.read_bytes(), t.read_bytes()) == (base, theirs)  # only ours is written
    assert sorted(p.name for p in tmp_path.iterdir()) == [  # no temporary left
        ".merge_file_A", ".merge_file_B", ".merge_file_O"]


def test_without_a_name_messages_name_the_file_written(tmp_path: Path) -> None:
    base = po(e("One."))
    b, o, t = versions(tmp_path, base, base, po(e("One.", "Uno.")))
    result = merge_files(b, o, t)
    assert result.label == str(o) and result.written and result.changed == 1


def test_nothing_new_on_their_side_leaves_ours_byte_for_byte(tmp_path: Path) -> None:
    base = po(e("One."), e("Two."))
    # (a layout no writer would produce: a rewrite would show)
    ours = po(e("One.", "Uno."), e("Two.")).replace(b'msgstr "Uno."', b'msgstr ""\n"Uno."')
    b, o, t = versions(tmp_path, base, ours, base)
    os.utime(o, (1_000_000, 1_000_000))
    result = merge_files(b, o, t, NAME)
    assert result == FileMerge(NAME, [], 0, 0, 0, False)
    assert o.read_bytes() == ours and o.stat().st_mtime == 1_000_000  # not even rewritten


def test_two_translations_are_conflicts_at_their_lines_in_the_written_file(
    tmp_path: Path
) -> None:
    base = po(e("One."), e("Two.", msgctxt="menu"), e("Three."), e("Four."))
    ours = po(e("One.", "Uno."), e("Two.", "Dos.", msgctxt="menu"), e("Three."),
              e("Four.", "Cuatro."))
    theirs = po(e("One.", "Uno."), e("Two.", "Segundo.", msgctxt="menu"),
                e("Three.", "Tres."), e("Four.", "Cuatro (4)."))
    b, o, t = versions(tmp_path, base, ours, theirs)
    result = merge_files(b, o, t, NAME)
    written = o.read_bytes().decode()
    lines = written.split("\n")
    two, four = lines.index('msgid "Two."') + 1, lines.index('msgid "Four."') + 1
    assert result.conflicts == [MergeConflict(two, "menu", "Two."),
                                MergeConflict(four, None, "Four.")]
    assert result.changed == 3 and result.written  # "Three." and the two conflicts
    catalog = pofile.parse(o.read_bytes())
    entries = {x.msgid: x for x in catalog.entries}
    assert entries["Two."].msgstr == "Dos." and conflict(entries["Two."]) == ("Segundo.",)
    assert "fuzzy" in entries["Four."].flags and entries["Three."].msgstr == "Tres."
    assert "fuzzy" not in entries["One."].flags


def test_conflicts_in_obsolete_entries_are_counted_apart(tmp_path: Path) -> None:
    base = po(e("Now."), e("Old.", "Viejo.", obsolete=True))
    ours = po(e("Now."), e("Old.", "Antiguo.", obsolete=True))
    theirs = po(e("Now."), e("Old.", "Pasado.", obsolete=True))
    b, o, t = versions(tmp_path, base, ours, theirs)
    result = merge_files(b, o, t, NAME)
    assert result.conflicts == [] and result.obsolete_conflicts == 1


def test_a_translation_of_a_changed_source_moves_to_the_new_entry(tmp_path: Path) -> None:
    base = po(e("The council voted 7-2 on Monday."))
    ours = po(e("The council voted 7-2 on Tuesday."))  # our sync: the source changed
    theirs = po(e("The council voted 7-2 on Monday.", "El concejo votó 7-2 el lunes."))
    b, o, t = versions(tmp_path, base, ours, theirs)
    result = merge_files(b, o, t, NAME)
    assert result.moved_to_new_source == 1 and result.conflicts == []
    [entry] = pofile.parse(o.read_bytes()).entries
    assert entry.msgstr == "El concejo votó 7-2 el lunes." and "fuzzy" in entry.flags


def test_the_header_merges_field_by_field_newest_revision_wins(tmp_path: Path) -> None:
    base = po(e("One."))
    ours = po(e("One.", "Uno."), head=header("2024-11-03 10:00+0000", "Bo <bo@example.com>"))
    theirs = po(e("One."), head=header("2024-11-05 10:00+0000", "Cy <cy@example.com>"))
    b, o, t = versions(tmp_path, base, ours, theirs)
    result = merge_files(b, o, t, NAME)
    assert result.conflicts == [] and result.written
    catalog = pofile.parse(o.read_bytes())
    metadata = catalog.metadata()
    assert metadata["PO-Revision-Date"] == "2024-11-05 10:00+0000"
    assert metadata["Last-Translator"] == "Cy <cy@example.com>"
    assert catalog.entries[0].msgstr == "Uno."


@pytest.mark.parametrize(("missing", "side"), [
    (0, "the base version"), (1, "our version"), (2, "their version"),
])
def test_a_version_that_cannot_be_read_is_named(tmp_path: Path, missing: int,
                                                  side: str) -> None:
    data = po(e("One.", "Uno."))
    paths = versions(tmp_path, data, data, data)
    paths[missing].unlink()
    with pytest.raises(CatalogError) as raised:
        merge_files(*paths, name=NAME)
    assert str(raised.value) == f"{NAME}: cannot read {side}: No such file or directory"
    for n, path in enumerate(paths):
        assert n == missing or path.read_bytes() == data  # nothing written


@pytest.mark.skipif(shutil.which("git") is None, reason="git not installed")
@pytest.mark.parametrize(("broken", "side"), [
    (0, "the base version"), (1, "our version"), (2, "their version"),
])
def test_a_version_that_does_not_parse_falls_back_to_the_line_merge(
    tmp_path: Path, broken: int, side: str
) -> None:
    """Git then reports the file as conflicted with its own markers in it, and the
    message says which version is broken, and where."""
    good = [po(e("One.")), po(e("One.", "Uno.")), po(e("One.", "Una."))]
    good[broken] += b"bogus\n"
    b, o, t = versions(tmp_path, *good)
    with pytest.raises(CatalogError) as raised:
        merge_files(b, o, t, NAME)
    error = raised.value
    assert (error.path, error.line) == (NAME, len(good[broken].split(b"\n")) - 1)
    assert error.message == (f"unknown keyword 'bogus' (in {side}; "
                             "merged line by line instead)")
    merged = o.read_text()
    assert "<<<<<<< ours\n" in merged and ">>>>>>> theirs\n" in merged
    assert '<<<<<<< ours\nmsgstr "Uno."\n' in merged and '=======\nmsgstr "Una."\n' in merged


def test_the_result_is_what_the_pure_merge_writes(tmp_path: Path) -> None:
    """Byte for byte `dump(merge3(...))`: the driver adds no layout of its own."""
    from locflow.catalog.merge3 import merge3

    base = po(e("One."), e("Two."))
    ours = po(e("One.", "Uno.", flags="fuzzy"), e("Two."))
    theirs = po(e("One."), e("Two.", "Dos."), e("Three.", "Tres."))
    b, o, t = versions(tmp_path, base, ours, theirs)
    expected = pofile.dump(merge3(pofile.parse(base), pofile.parse(ours),
                                  pofile.parse(theirs)).catalog)
    assert merge_files(b, o, t, NAME).changed == 2
    assert o.read_bytes() == expected


@pytest.mark.skipif(shutil.which("git") is None, reason="git not installed")
def test_the_line_merge_says_nothing_of_its_own(tmp_path: Path,
                                                capfd: pytest.CaptureFixture[str]) -> None:
    """`git merge-file` refuses a binary file with a message of its own: the driver's
    one line is all a user sees, and the file is left as it was."""
    ours = po(e("One.", "Uno.")) + b"\0bogus\n"
    b, o, t = versions(tmp_path, po(e("One.")), ours, po(e("One.", "Una.")))
    with pytest.raises(CatalogError, match=r"in our version; merged line by line"):
        merge_files(b, o, t, NAME)
    assert capfd.readouterr() == ("", "")
    assert o.read_bytes() == ours
