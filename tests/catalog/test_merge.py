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


# Tests that would notice (issue 12): each kills mutants of merge.py that survived the tests above.


def zh_catalog(*pairs: tuple[str, str], plural_forms: str = "nplurals=1; plural=0;"
               ) -> pofile.Catalog:
    cat = pofile.new_catalog({**HEADER, "Language": "zh_Hans", "Plural-Forms": plural_forms})
    for msgid, msgstr in pairs:
        cat.entries.append(pofile.Entry(msgid=msgid, msgstr=msgstr, comment=P))
    return cat


@pytest.mark.parametrize(("plural_forms", "forms"), [
    ("nplurals=1; plural=0;", 1),
    ("nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 ? 1 : 2);", 3),
    (" plural=(n != 1) ;  nplurals = 2 ", 2),
    ("nplurals=many; plural=0;", 2),  # unreadable: the POT's two forms
    ("", 2),
])
def test_new_and_fuzzy_plural_entries_get_the_catalogs_number_of_forms(
    plural_forms: str, forms: int
) -> None:
    cat = zh_catalog(("One article was published.", "发表了一篇文章。"),
                     plural_forms=plural_forms)
    merge(cat, [Segment("%(n)s article was published.", None, "interface",
                        "%(n)s articles were published."),
                Segment("%(n)s vote", None, "interface", "%(n)s votes")])
    fuzzy, new = cat.entries[:2]
    assert fuzzy.msgstr_plural == dict.fromkeys(range(forms), "发表了一篇文章。")
    assert "fuzzy" in fuzzy.flags and fuzzy.previous_msgid == "One article was published."
    assert new.msgstr_plural == dict.fromkeys(range(forms), "") and new.flags == []


def test_a_plural_entry_fuzzy_matched_to_a_singular_text_gives_its_first_form() -> None:
    cat = catalog()
    cat.entries.append(pofile.Entry(msgid="%(n)s article was read", msgid_plural="%(n)s articles",
                                    msgstr_plural={0: "un artículo", 1: "%(n)s artículos"}))
    merge(cat, segs("%(n)s article was read today"))
    [e] = cat.entries
    assert (e.msgstr, e.msgid_plural, e.previous_msgid_plural) == (
        "un artículo", "", "%(n)s articles")


def test_a_plural_text_changed_keeps_every_form_and_the_old_plural_source() -> None:
    cat = catalog()
    cat.entries.append(pofile.Entry(msgid="%(n)s vote counted", msgid_plural="%(n)s votes counted",
                                    msgstr_plural={0: "%(n)s voto", 1: "%(n)s votos"}))
    merge(cat, [Segment("%(n)s vote was counted", None, P, "%(n)s votes were counted")])
    [e] = cat.entries
    assert e.msgstr_plural == {0: "%(n)s voto", 1: "%(n)s votos"}
    assert e.previous_msgid_plural == "%(n)s votes counted"
    assert e.msgid_plural == "%(n)s votes were counted"


def test_a_fuzzy_match_keeps_the_translators_notes_but_not_the_review_lines() -> None:
    cat = catalog(("The council voted 7-2 on Tuesday.", "El concejo votó 7 a 2 el martes."))
    old = cat.entries[0]
    old.tcomment = "ask the desk about 'concejo'"
    approve(old, "ed", "2024-11-05")
    assert "locflow-approved" in old.tcomment
    merge(cat, segs("The council voted 8-1 on Wednesday."))
    [e] = cat.entries
    note, previous = e.tcomment.split("\n")
    assert note == "ask the desk about 'concejo'"
    # the approval becomes a record of what was approved, for which source (living
    # articles): no longer an approval line
    assert previous.startswith("locflow-previous: 2024-11-05 ed (")
    assert "locflow-approved" not in e.tcomment
    assert entry_state(e).value == "fuzzy"


def test_what_was_approved_stays_verifiable_after_the_source_changes_twice() -> None:
    from locflow.review import approval, previous_approval, set_translation

    cat = catalog(("The council voted 7-2 on Tuesday.", "El concejo votó 7 a 2 el martes."))
    approve(cat.entries[0], "ed", "2024-11-05")
    merge(cat, segs("The council voted 8-1 on Wednesday."))
    merge(cat, segs("The council voted 8-1 on Wednesday night."))
    [e] = cat.entries
    found = previous_approval(e)
    assert found is not None
    assert (found.msgid, found.msgstr) == ("The council voted 7-2 on Tuesday.",
                                           "El concejo votó 7 a 2 el martes.")
    assert found.approval.reviewer == "ed"
    # a translator's new text (the desk, Poedit) leaves the record; an approval ends it
    set_translation(e, ["El concejo votó 8 a 1 el miércoles por la noche."])
    assert previous_approval(e) is not None
    approve(e, "ed", "2024-11-06")
    assert previous_approval(e) is None and "locflow-previous" not in e.tcomment
    assert approval(e) is not None


def test_a_hand_edited_previous_record_does_not_verify() -> None:
    from locflow.review import previous_approval

    cat = catalog(("The council voted 7-2 on Tuesday.", "El concejo votó 7 a 2 el martes."))
    approve(cat.entries[0], "ed", "2024-11-05")
    merge(cat, segs("The council voted 8-1 on Wednesday."))
    [e] = cat.entries
    e.tcomment = e.tcomment.replace("7 a 2", "9 a 0")
    assert previous_approval(e) is None


def test_a_stale_approval_msgmerge_kept_verifies_through_the_previous_source() -> None:
    from locflow.review import previous_approval

    cat = catalog(("The council voted 7-2 on Tuesday.", "El concejo votó 7 a 2 el martes."))
    approve(cat.entries[0], "ed", "2024-11-05")
    line = cat.entries[0].tcomment
    merge(cat, segs("The council voted 8-1 on Wednesday."))
    [e] = cat.entries
    e.tcomment = line  # as GNU msgmerge leaves it: the approval line, now stale
    found = previous_approval(e)
    assert found is not None and found.msgstr == "El concejo votó 7 a 2 el martes."
    e.msgstr = "El concejo votó 8 a 1 el miércoles."  # the text changed: nothing verifies
    assert previous_approval(e) is None


def test_an_exact_match_takes_the_templates_comment_and_references() -> None:
    cat = catalog(("Storm closes schools.", "La tormenta cierra escuelas."))
    cat.entries[0].occurrences = [("content/old.md", "3")]
    stats = merge(cat, [Segment("Storm closes schools.", None, "heading",
                                references=("templates/base.html:12", "README"))])
    [e] = cat.entries
    assert not stats.changed and stats.kept == 1
    assert e.comment == "heading"
    assert e.occurrences == [("templates/base.html", "12"), ("README", "")]
    merge(cat, [Segment("Storm closes schools.", None, "")])
    assert (e.comment, e.occurrences) == ("", [])


def test_an_exact_match_gets_and_loses_the_plural_source_with_the_template() -> None:
    cat = catalog(("%(n)s comment", "%(n)s comentario"))
    merge(cat, [Segment("%(n)s comment", None, P, "%(n)s comments")])
    assert cat.entries[0].msgid_plural == "%(n)s comments"
    merge(cat, segs("%(n)s comment"))
    assert cat.entries[0].msgid_plural == ""


def test_a_second_fuzzy_match_keeps_the_oldest_context_and_plural_too() -> None:
    cat = catalog()
    cat.entries.append(pofile.Entry(msgid="%(n)s seat won", msgid_plural="%(n)s seats won",
                                    msgctxt="summary",
                                    msgstr_plural={0: "%(n)s escaño", 1: "%(n)s escaños"}))
    merge(cat, [Segment("%(n)s seat was won", "summary", P, "%(n)s seats were won")])
    merge(cat, [Segment("%(n)s seat was won today", "summary", P, "%(n)s seats were won today")])
    [e] = cat.entries
    assert (e.previous_msgctxt, e.previous_msgid, e.previous_msgid_plural) == (
        "summary", "%(n)s seat won", "%(n)s seats won")


def test_a_fuzzy_match_prefers_the_same_context_and_crosses_contexts_when_it_must() -> None:
    cat = catalog()
    cat.entries += [
        pofile.Entry(msgid="The mayor spoke today.", msgctxt="title", msgstr="Título."),
        pofile.Entry(msgid="The mayor spoke today.", msgstr="Cuerpo."),
    ]
    merge(cat, [Segment("The mayor spoke today!", None, P)])
    [body, *_] = cat.entries
    assert (body.msgstr, body.previous_msgctxt) == ("Cuerpo.", None)
    cat = catalog()
    cat.entries.append(pofile.Entry(msgid="The mayor spoke today.", msgctxt="title",
                                    msgstr="Título."))
    merge(cat, [Segment("The mayor spoke today!", None, P)])
    moved = cat.entries[0]
    assert (moved.msgctxt, moved.msgstr, moved.previous_msgctxt) == (None, "Título.", "title")
    assert "fuzzy" in moved.flags


def test_a_clearly_more_similar_text_from_another_context_still_wins() -> None:
    # the other-context penalty is slight (msgmerge's 0.99): similarity 0.98 beats 0.93
    cat = catalog()
    cat.entries += [
        pofile.Entry(msgid="abcdefghij klmnopqrs", msgctxt="title", msgstr="otro contexto"),
        pofile.Entry(msgid="abcdefghij klmnopqrx", msgstr="mismo contexto"),
    ]
    merge(cat, [Segment("abcdefghij klmnopqrst", None, P)])
    assert cat.entries[0].msgstr == "otro contexto"


def test_a_template_holding_the_same_text_twice_gives_one_entry() -> None:
    cat = catalog(("Same text here.", "Mismo texto."))
    stats = merge(cat, segs("Same text here.", "Other text.", "Same text here."))
    assert [(e.msgid, e.flags) for e in cat.entries] == [
        ("Same text here.", []), ("Other text.", [])]
    assert (stats.kept, stats.new, stats.fuzzy) == (1, 1, 0)
    assert len({e.key for e in cat.entries}) == len(cat.entries)  # msgfmt accepts it


def test_an_obsolete_entry_comes_back_and_an_active_one_wins_over_it() -> None:
    cat = catalog(("Back again.", "De vuelta."))
    cat.entries[0].obsolete = True
    cat.entries.append(pofile.Entry(msgid="Twice.", msgstr="Vieja.", obsolete=True))
    cat.entries.append(pofile.Entry(msgid="Twice.", msgstr="Actual.", comment=P))
    stats = merge(cat, segs("Back again.", "Twice."))
    assert (stats.revived, stats.kept, stats.obsoleted) == (1, 1, 0) and stats.changed
    back, twice, old = cat.entries
    assert (back.obsolete, back.comment) == (False, P)
    assert (twice.msgstr, twice.obsolete) == ("Actual.", False)
    assert (old.msgstr, old.obsolete) == ("Vieja.", True)


def test_an_untranslated_entry_with_a_translators_note_is_kept_obsolete() -> None:
    cat = catalog(("Gone.", ""), ("Also gone.", ""))
    cat.entries[0].tcomment = "check the name with the desk"
    cat.entries[0].occurrences = [("content/a.md", "1")]
    stats = merge(cat, segs("Something else entirely."))
    assert stats.obsoleted == 1 and stats.changed
    gone = cat.entries[1]
    assert (gone.msgid, gone.obsolete, gone.comment, gone.occurrences) == ("Gone.", True, "", [])
    assert [e.msgid for e in cat.entries] == ["Something else entirely.", "Gone."]


def test_an_untranslated_or_empty_entry_is_never_a_fuzzy_source() -> None:
    cat = catalog(("The council voted today.", ""))
    stats = merge(cat, segs("The council voted today!"))
    assert (stats.new, stats.fuzzy) == (1, 0) and cat.entries[0].msgstr == ""


def test_the_threshold_is_the_lowest_similarity_that_matches() -> None:
    # Indel similarity of these two is 0.8
    old, new = "abcdefghij", "abcdefghxy"
    for threshold, fuzzy in [(0.8, 1), (0.81, 0)]:
        cat = catalog((old, "traducción"))
        assert merge(cat, segs(new), threshold=threshold).fuzzy == fuzzy


def test_merge_stats_say_whether_anything_changed() -> None:
    from locflow.catalog.merge import MergeStats

    assert not MergeStats(kept=3).changed
    for field in ("fuzzy", "new", "obsoleted", "revived"):
        assert MergeStats(**{field: 1}).changed


def test_sync_turns_a_rejection_the_translator_fixed_into_history() -> None:
    from locflow.review import reject

    cat = catalog(("The vote was 7-2.", "La votación fue 8 a 1."))
    reject(cat.entries[0], "ed", "2024-11-06", "the vote was 7-2")
    cat.entries[0].msgstr, cat.entries[0].flags = "La votación fue 7 a 2.", []  # fixed in Poedit
    merge(cat, segs("The vote was 7-2."))
    assert cat.entries[0].tcomment == (
        "locflow-history: rejected 2024-11-06 ed: the vote was 7-2")


def test_template_entries_carry_references_flags_and_two_forms_by_default() -> None:
    entry = template_entry(Segment("%(n)s day", "site", "interface", "%(n)s days",
                                   flags=("python-format",),
                                   references=("templates/base.html:3", "templates/x.html")))
    assert (entry.msgctxt, entry.comment, entry.flags) == ("site", "interface", ["python-format"])
    assert entry.occurrences == [("templates/base.html", "3"), ("templates/x.html", "")]
    assert entry.msgstr_plural == {0: "", 1: ""}
    assert template_entry(Segment("Text.", None, "")).comment == ""


def test_a_fuzzy_entry_keeps_the_templates_format_flags() -> None:
    cat = catalog(("%(n)s votes were cast", "se emitieron %(n)s votos"))
    merge(cat, [Segment("%(n)s votes were cast today", None, P, flags=("python-format",))])
    assert cat.entries[0].flags == ["fuzzy", "python-format"]


def test_another_context_must_beat_the_threshold_after_its_penalty() -> None:
    # similarity 0.6 exactly: enough in the same context, not from another one
    for context, fuzzy in [(None, 1), ("title", 0)]:
        cat = catalog()
        cat.entries.append(pofile.Entry(msgid="aaaaa", msgctxt=context, msgstr="traducción"))
        assert merge(cat, segs("aaabb"), threshold=0.6).fuzzy == fuzzy


def test_references_without_a_line_number_stay_whole() -> None:
    entry = template_entry(Segment("x", None, "", references=("notes:draft", "a.md:7")))
    assert entry.occurrences == [("notes:draft", ""), ("a.md", "7")]
    from locflow.catalog.merge import MergeStats

    assert MergeStats() == MergeStats(0, 0, 0, 0, 0)


def test_nplurals_zero_is_an_error_and_an_untranslated_switch_keeps_the_note() -> None:
    from locflow.errors import CatalogError

    cat = pofile.new_catalog({**HEADER, "Plural-Forms": "nplurals=0; plural=0;"})
    with pytest.raises(CatalogError, match="nplurals must be between 1 and 20"):
        merge(cat, segs("Text."))
    cat = catalog(("One article", ""))
    cat.entries[0].tcomment = "ask the desk"
    merge(cat, [Segment("One article", None, P, "%(n)s articles")])
    assert cat.entries[0].tcomment == "ask the desk"
