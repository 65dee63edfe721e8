"""The merge against hand-made catalogs, and against GNU msgmerge itself."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from locflow.catalog import pofile
from locflow.catalog.merge import merge, template_entry
from locflow.model import Segment
from locflow.review import approve, entry_state

HEADER = {
    "Language": "es",
    "Content-Type": "text/plain; charset=UTF-8",
    "Plural-Forms": "nplurals=2; plural=(n != 1);",
}
P = "paragraph"


def catalog(*pairs: tuple[str, str]) -> pofile.Catalog:
    cat = pofile.new_catalog(HEADER)
    for msgid, msgstr in pairs:
        cat.entries.append(pofile.Entry(msgid=msgid, msgstr=msgstr, comment=P))
    return cat


def segs(*msgids: str) -> list[Segment]:
    return [Segment(m, None, P) for m in msgids]


def test_unchanged_template_keeps_every_byte() -> None:
    cat = catalog(("One.", "Uno."), ("Two.", "Dos."))
    approve(cat.entries[0], "ed", "2024-11-05")
    data = pofile.dump(cat)
    reread = pofile.parse(data)
    stats = merge(reread, segs("One.", "Two."))
    assert not stats.changed and stats.kept == 2
    assert pofile.dump(reread) == data


def test_changed_text_is_fuzzy_with_previous_msgid_and_no_approval() -> None:
    cat = catalog(("The council voted 7-2 on Tuesday.", "El concejo votó 7 a 2 el martes."))
    approve(cat.entries[0], "ed", "2024-11-05")
    stats = merge(cat, segs("The council voted 8-1 on Wednesday."))
    [e] = cat.entries
    assert (stats.fuzzy, stats.new, stats.obsoleted) == (1, 0, 0)
    assert e.flags == ["fuzzy"] and e.previous_msgid == "The council voted 7-2 on Tuesday."
    assert e.msgstr == "El concejo votó 7 a 2 el martes."
    assert "locflow-approved" not in e.tcomment
    assert entry_state(e).value == "fuzzy"


def test_fuzzy_again_keeps_the_oldest_previous_source() -> None:
    cat = catalog(("Version one of the text.", "Versión uno."))
    merge(cat, segs("Version two of the text."))
    merge(cat, segs("Version three of the text."))
    assert cat.entries[0].previous_msgid == "Version one of the text."


def test_removed_text_becomes_obsolete_and_untranslated_is_dropped() -> None:
    cat = catalog(("Keep.", "Mantener."), ("Gone away entirely.", "Se fue."), ("Empty.", ""))
    stats = merge(cat, segs("Keep."))
    assert stats.obsoleted == 1
    assert [(e.msgid, e.obsolete) for e in cat.entries] == [
        ("Keep.", False),
        ("Gone away entirely.", True),
    ]


def test_new_neighbour_does_not_steal_an_exact_match() -> None:
    cat = catalog(("The mayor spoke.", "El alcalde habló."))
    merge(cat, segs("The mayor spoke!", "The mayor spoke."))
    first, second = cat.entries
    assert first.flags == ["fuzzy"] and first.msgstr == "El alcalde habló."
    assert second.flags == [] and second.msgstr == "El alcalde habló."


def test_below_threshold_is_new() -> None:
    cat = catalog(("Completely unrelated words here.", "Palabras."))
    stats = merge(cat, segs("Storm closes every school."), threshold=0.6)
    assert (stats.new, stats.obsoleted) == (1, 1)


def test_plural_template_entries_get_the_locale_number_of_forms() -> None:
    cat = catalog()
    merge(cat, [Segment("%(n)s article", None, "interface", "%(n)s articles")])
    assert cat.entries[0].msgstr_plural == {0: "", 1: ""}
    assert template_entry(Segment("a", None, "x", "b"), 1).msgstr_plural == {0: ""}


@pytest.mark.skipif(shutil.which("msgmerge") is None, reason="GNU gettext not installed")
def test_agrees_with_msgmerge_previous(tmp_path: Path) -> None:
    """Same old catalog, same new template: the same translations, flags and #| as msgmerge."""
    old = catalog(
        (
            "The city council voted 7-2 on Tuesday to approve the budget.",
            "El concejo municipal votó 7 a 2 el martes para aprobar el presupuesto.",
        ),
        (
            "Roads will get $4.2 million, the largest share.",
            "Las carreteras recibirán 4,2 millones de dólares, la mayor parte.",
        ),
        ("The mayor said the plan was fair.", "El alcalde dijo que el plan era justo."),
        ("Schools were closed on Monday.", "Las escuelas cerraron el lunes."),
    )
    new = segs(
        "The city council voted 8-1 on Wednesday to approve the budget.",
        "Roads will get $4.2 million, the largest share.",
        "Police said nobody was hurt in the incident.",
        "The mayor said that the plan was fair.",
    )
    po, pot = tmp_path / "old.po", tmp_path / "new.pot"
    po.write_bytes(pofile.dump(old))
    template = pofile.new_catalog({"Content-Type": "text/plain; charset=UTF-8"})
    template.entries = [template_entry(s) for s in new]
    pot.write_bytes(pofile.dump(template))
    out = subprocess.run(
        ["msgmerge", "--quiet", "--previous", "--no-wrap", str(po), str(pot)],
        capture_output=True,
        check=True,
    ).stdout
    theirs = pofile.parse(out)
    merge(old, new)

    def view(cat: pofile.Catalog) -> list[tuple[object, ...]]:
        return [
            (e.msgid, e.msgstr, "fuzzy" in e.flags, e.previous_msgid, e.obsolete)
            for e in cat.entries
        ]

    assert view(old) == view(theirs)


def test_format_flags_follow_the_template() -> None:
    cat = catalog(("%(n)s items", "%(n)s elementos"))
    cat.entries[0].flags = ["fuzzy", "python-format"]
    merge(cat, [Segment("%(n)s items", None, P, flags=())])
    assert cat.entries[0].flags == ["fuzzy"]
    merge(cat, [Segment("%(n)s items", None, P, flags=("python-format",))])
    assert cat.entries[0].flags == ["fuzzy", "python-format"]


@pytest.mark.skipif(shutil.which("msgmerge") is None, reason="GNU gettext not installed")
def test_agrees_with_msgmerge_after_a_translator_cleared_fuzzy(tmp_path: Path) -> None:
    """Issue 11: #| stays on fuzzy entries only; obsolete entries keep no #. or #: lines."""
    old = catalog(
        ("The council voted 8-1 on Wednesday.", "El concejo votó 8 a 1 el miércoles."),
        ("Roads will get the largest share.", "Las carreteras recibirán la mayor parte."),
        ("The mayor said the plan was fair.", "El alcalde dijo que el plan era justo."),
        ("Schools were closed on Monday.", "Las escuelas cerraron el lunes."),
    )
    cleared, still, _, gone = old.entries
    cleared.previous_msgid = "The council voted 7-2 on Tuesday."  # fuzzy cleared in Poedit
    still.previous_msgid, still.flags = "Roads will get most.", ["fuzzy"]
    gone.occurrences = [("content/vote.md", "")]
    long_gone = pofile.Entry(msgid="A heading long gone.", msgstr="Un título.", comment="heading",
                             obsolete=True, tcomment="a translator's note")
    old.entries.append(long_gone)
    new = segs(
        "The council voted 8-1 on Wednesday.",
        "Roads will get the largest share.",
        "The mayor said the plan was fair.",
    )
    po, pot = tmp_path / "old.po", tmp_path / "new.pot"
    po.write_bytes(pofile.dump(old))
    template = pofile.new_catalog({"Content-Type": "text/plain; charset=UTF-8"})
    template.entries = [template_entry(s) for s in new]
    pot.write_bytes(pofile.dump(template))
    out = subprocess.run(
        ["msgmerge", "--quiet", "--previous", "--no-wrap", str(po), str(pot)],
        capture_output=True,
        check=True,
    ).stdout
    theirs = pofile.parse(out)
    ours = pofile.parse(po.read_bytes())
    merge(ours, new)

    def view(cat: pofile.Catalog) -> list[tuple[object, ...]]:
        return [
            (e.msgid, e.msgstr, "fuzzy" in e.flags, e.previous_msgid, e.obsolete, e.comment,
             tuple(e.occurrences), e.tcomment)
            for e in cat.entries
        ]

    assert view(ours) == view(theirs)
    assert ours.entries[0].previous_msgid is None and ours.entries[1].previous_msgid
    assert [e.comment for e in ours.entries if e.obsolete] == ["", ""]
    # and a second sync changes no byte
    data = pofile.dump(ours)
    again = pofile.parse(data)
    merge(again, new)
    assert pofile.dump(again) == data


def plural(msgid: str, msgid_plural: str, *forms: str) -> pofile.Entry:
    return pofile.Entry(msgid=msgid, msgid_plural=msgid_plural, comment=P,
                        msgstr_plural=dict(enumerate(forms)))


def test_singular_plural_switch_keeps_the_translation_as_fuzzy() -> None:
    """Issue 7: a message that becomes a plural (or stops being one) lost its translation."""
    cat = catalog(("One article", "Un artículo"))
    cat.entries.append(plural("%(n)s file", "%(n)s files", "%(n)s archivo", "%(n)s archivos"))
    cat.entries.append(plural("%(n)s item", "%(n)s items", "%(n)s elemento", "%(n)s elementos"))
    approve(cat.entries[0], "ed", "2024-11-05")
    stats = merge(cat, [Segment("One article", None, P, "%(n)s articles"),
                        Segment("%(n)s file", None, P),
                        Segment("%(n)s item", None, P, "%(n)s things")])
    assert (stats.fuzzy, stats.new, stats.obsoleted) == (3, 0, 0)
    became_plural, became_singular, new_plural = cat.entries
    assert became_plural.msgstr_plural == {0: "Un artículo", 1: "Un artículo"}
    assert became_plural.previous_msgid == "One article"
    assert "locflow-approved" not in became_plural.tcomment
    assert became_singular.msgstr == "%(n)s archivo"
    assert became_singular.previous_msgid_plural == "%(n)s files"
    assert new_plural.msgstr_plural == {0: "%(n)s elemento", 1: "%(n)s elementos"}
    assert all("fuzzy" in e.flags for e in cat.entries)
    # and back: nothing lost either way
    merge(cat, [Segment("One article", None, P)])
    assert cat.entries[0].msgstr == "Un artículo" and "fuzzy" in cat.entries[0].flags


def test_an_untranslated_switch_is_just_new() -> None:
    cat = catalog(("One article", ""))
    stats = merge(cat, [Segment("One article", None, P, "%(n)s articles")])
    assert (stats.fuzzy, stats.new) == (0, 1)
    assert cat.entries[0].msgstr_plural == {0: "", 1: ""}


@pytest.mark.skipif(shutil.which("msgmerge") is None, reason="GNU gettext not installed")
def test_plural_switches_agree_with_msgmerge_previous(tmp_path: Path) -> None:
    old = catalog(("One article", "Un artículo"), ("Untouched.", "Intacto."))
    old.entries.append(plural("%(n)s file", "%(n)s files", "%(n)s archivo", "%(n)s archivos"))
    old.entries.append(plural("%(n)s item", "%(n)s items", "%(n)s elemento", "%(n)s elementos"))
    new = [Segment("One article", None, P, "%(n)s articles"), Segment("Untouched.", None, P),
           Segment("%(n)s file", None, P), Segment("%(n)s item", None, P, "%(n)s things")]
    po, pot = tmp_path / "old.po", tmp_path / "new.pot"
    po.write_bytes(pofile.dump(old))
    template = pofile.new_catalog({"Content-Type": "text/plain; charset=UTF-8"})
    template.entries = [template_entry(s) for s in new]
    pot.write_bytes(pofile.dump(template))
    out = subprocess.run(
        ["msgmerge", "--quiet", "--previous", "--no-wrap", str(po), str(pot)],
        capture_output=True, check=True,
    ).stdout
    theirs = pofile.parse(out)
    merge(old, new)

    def view(cat: pofile.Catalog) -> list[tuple[object, ...]]:
        return [
            (e.msgid, e.msgid_plural or None, e.msgstr, dict(e.msgstr_plural),
             "fuzzy" in e.flags, e.previous_msgid, e.previous_msgid_plural or None, e.obsolete)
            for e in cat.entries
        ]

    assert view(old) == view(theirs)


def test_an_absurd_nplurals_is_an_error_not_millions_of_forms() -> None:
    from locflow.errors import CatalogError

    cat = pofile.new_catalog({**HEADER, "Plural-Forms": "nplurals=200000000; plural=n;"})
    with pytest.raises(CatalogError, match="nplurals must be between 1 and 20"):
        merge(cat, [Segment("%(n)s file", None, P, "%(n)s files")])
