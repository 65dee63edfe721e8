"""The three-way catalog merge on hand-made versions (pure; git runs are in tests/e2e)."""

from __future__ import annotations

import random

import pytest

from locflow.catalog import pofile
from locflow.catalog.merge3 import merge3
from locflow.review import approve, conflict, entry_state, reject, text_hash

HEADER = (
    'msgid ""\nmsgstr ""\n'
    '"PO-Revision-Date: 2024-11-01 10:00+0000\\n"\n'
    '"Last-Translator: Ana <ana@example.com>\\n"\n'
    '"Language: es\\n"\n'
    '"Content-Type: text/plain; charset=UTF-8\\n"\n'
    '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n'
)


def po(*entries: str, header: str = HEADER) -> bytes:
    return "\n".join([header, *entries]).encode("utf-8")


def e(msgid: str, msgstr: str = "", *, comments: str = "", flags: str = "",
      previous: str | None = None, obsolete: bool = False) -> str:
    lines = [f"# {line}" for line in comments.split("\n") if comments]
    if flags:
        lines.append(f"#, {flags}")
    if previous is not None:
        lines.append(f'#| msgid "{previous}"')
    prefix = "#~ " if obsolete else ""
    lines += [f'{prefix}msgid "{msgid}"', f'{prefix}msgstr "{msgstr}"']
    return "\n".join(lines) + "\n"


def run(base: bytes, ours: bytes, theirs: bytes) -> tuple[pofile.Catalog, bytes, int]:
    result = merge3(pofile.parse(base), pofile.parse(ours), pofile.parse(theirs))
    data = pofile.dump(result.catalog)
    return pofile.parse(data), data, len(result.conflicts)


def by_msgid(catalog: pofile.Catalog) -> dict[str, pofile.Entry]:
    return {x.msgid: x for x in catalog.entries}


def test_nothing_changed_on_their_side_keeps_every_byte_of_ours() -> None:
    base = po(e("One.", "Uno."), e("Two."))
    ours = po(e("One.", "Uno, editado."), e("Two."), "# a trailing comment\n")
    for theirs in (base, base.replace(b"\n\n", b"\n\n\n")):
        assert run(base, ours, theirs)[1] == ours


def test_changes_on_each_side_keep_the_bytes_of_entries_they_did_not_touch() -> None:
    wrapped = 'msgid ""\n"Long "\n"text."\nmsgstr ""\n"Texto "\n"largo."\n'
    base = po(wrapped, e("Two."))
    ours = po(wrapped, e("Two.", "Dos."))
    theirs = po(wrapped.replace('"Texto "', '"Texto muy "'), e("Two."))
    catalog, data, conflicts = run(base, ours, theirs)
    assert conflicts == 0
    assert by_msgid(catalog)["Long text."].msgstr == "Texto muy largo."
    assert 'msgid "Long text."\nmsgstr "Texto muy largo."' in data.decode()  # changed: canonical
    assert data.decode().endswith(e("Two.", "Dos."))


def test_a_note_added_on_one_side_keeps_the_wrapped_lines_of_the_other() -> None:
    wrapped = 'msgid ""\n"Long "\n"text."\nmsgstr ""\n"Texto "\n"largo."\n'
    base = po(wrapped, e("Two."))
    ours = po(wrapped, e("Two.", "Dos."))
    theirs = po("# check the name\n" + wrapped, e("Two."))
    _, data, _ = run(base, ours, theirs)
    assert "# check the name\n" + wrapped in data.decode()


def test_plural_conflict_records_every_form_in_one_comment_line() -> None:
    plural = ('msgid "one vote"\nmsgid_plural "%d votes"\n'
              'msgstr[0] "{0}"\nmsgstr[1] "{1}"\n')
    base = po(plural.format("", ""))
    ours = po(plural.format("un voto", "%d votos"))
    theirs = po(plural.format("un sufragio", "%d sufragios\\nnuevos"))
    catalog, data, conflicts = run(base, ours, theirs)
    assert conflicts == 1
    entry = by_msgid(catalog)["one vote"]
    assert entry.msgstr_plural == {0: "un voto", 1: "%d votos"} and "fuzzy" in entry.flags
    assert conflict(entry) == ("un sufragio", "%d sufragios\nnuevos")
    assert '# locflow-conflict: ["un sufragio", "%d sufragios\\nnuevos"]\n' in data.decode()


def test_an_empty_translation_on_our_side_keeps_theirs_in_the_text() -> None:
    base = po(e("One.", "Uno."))
    catalog, _, conflicts = run(base, po(e("One.", "")), po(e("One.", "Una.")))
    assert conflicts == 1
    entry = by_msgid(catalog)["One."]
    assert entry.msgstr == "Una." and conflict(entry) == ("",)


def test_conflicts_in_obsolete_entries_are_recorded_but_leave_nothing_to_do() -> None:
    base = po(e("Old.", "Viejo.", obsolete=True))
    result = merge3(pofile.parse(base), pofile.parse(po(e("Old.", "Antiguo.", obsolete=True))),
                    pofile.parse(po(e("Old.", "Pasado.", obsolete=True))))
    assert result.clean and result.obsolete_conflicts == 1
    assert conflict(result.catalog.entries[0]) == ("Pasado.",)


def approved(msgid: str, msgstr: str, date: str, reviewer: str = "ed") -> str:
    entry = pofile.Entry(msgid=msgid, msgstr=msgstr)
    approve(entry, reviewer, date)
    return e(msgid, msgstr, comments=entry.tcomment)


def rejected(msgid: str, msgstr: str, date: str) -> str:
    entry = pofile.Entry(msgid=msgid, msgstr=msgstr)
    reject(entry, "ed", date, "wrong number")
    return e(msgid, msgstr, comments=entry.tcomment, flags="fuzzy")


def test_two_decisions_on_the_same_text_resolve_to_the_newer() -> None:
    base = po(e("One.", "Uno."), e("Two.", "Dos."))
    ours = po(approved("One.", "Uno.", "2024-11-05"), rejected("Two.", "Dos.", "2024-11-05"))
    theirs = po(rejected("One.", "Uno.", "2024-11-06"), approved("Two.", "Dos.", "2024-11-04"))
    catalog, _, conflicts = run(base, ours, theirs)
    states = {x.msgid: str(entry_state(x)) for x in catalog.entries}
    assert conflicts == 0 and states == {"One.": "rejected", "Two.": "rejected"}


def test_a_newer_approval_beats_an_older_rejection_and_its_fuzzy_flag() -> None:
    base = po(e("One.", "Uno."))
    older, newer = rejected("One.", "Uno.", "2024-11-05"), approved("One.", "Uno.", "2024-11-06")
    for ours, theirs in ((older, newer), (newer, older)):
        one = by_msgid(run(base, po(ours), po(theirs))[0])["One."]
        assert str(entry_state(one)) == "approved" and one.flags == []


def test_the_same_approval_on_both_sides_is_taken_once() -> None:
    base = po(e("One.", "Uno."))
    ours = po(approved("One.", "Uno.", "2024-11-05", "ana"))
    theirs = po(approved("One.", "Uno.", "2024-11-05", "bea"), e("Two."))
    catalog, _, _ = run(base, ours, theirs)
    one = by_msgid(catalog)["One."]
    assert one.tcomment.count("locflow-approved") == 1 and str(entry_state(one)) == "approved"


def test_approval_is_kept_when_the_other_side_only_adds_a_note() -> None:
    base = po(e("One.", "Uno."))
    ours = po(approved("One.", "Uno.", "2024-11-05"))
    theirs = po(e("One.", "Uno.", comments="terminology: see glossary"))
    one = by_msgid(run(base, ours, theirs)[0])["One."]
    assert one.tcomment.startswith("terminology: see glossary\nlocflow-approved:")
    assert f"({text_hash(one)})" in one.tcomment


def test_a_fuzzy_cleared_on_one_side_does_not_unflag_the_others_new_draft() -> None:
    base = po(e("One.", "Uno.", flags="fuzzy"))
    ours = po(e("One.", "Uno."))  # reviewed as is
    theirs = po(e("One.", "Uno, otra vez.", flags="fuzzy"))  # a new draft
    one = by_msgid(run(base, ours, theirs)[0])["One."]
    assert one.msgstr == "Uno, otra vez." and "fuzzy" in one.flags


def test_translation_follows_a_source_change_recorded_by_sync() -> None:
    base = po(e("Vote 7-2.", "Votación 7-2."))
    ours = po(e("Vote 8-1.", "Votación 7-2.", flags="fuzzy", previous="Vote 7-2."))
    theirs = po(e("Vote 7-2.", "Votación 7 a 2."))
    catalog, _, conflicts = run(base, ours, theirs)
    assert conflicts == 0 and [x.msgid for x in catalog.entries] == ["Vote 8-1."]
    moved = catalog.entries[0]
    assert moved.msgstr == "Votación 7 a 2." and moved.flags == ["fuzzy"]
    assert moved.previous_msgid == "Vote 7-2."


def test_a_new_source_translated_on_its_own_keeps_that_and_the_old_goes_obsolete() -> None:
    base = po(e("Vote 7-2 today."))
    ours = po(e("Vote 8-1 today.", "Votación 8-1 hoy."))
    theirs = po(e("Vote 7-2 today.", "Votación 7-2 hoy."))
    catalog, _, conflicts = run(base, ours, theirs)
    entries = by_msgid(catalog)
    assert conflicts == 0
    assert entries["Vote 8-1 today."].msgstr == "Votación 8-1 hoy."
    assert entries["Vote 7-2 today."].obsolete
    assert entries["Vote 7-2 today."].msgstr == "Votación 7-2 hoy."


def test_a_dissimilar_new_source_does_not_take_the_old_translation() -> None:
    base = po(e("Vote 7-2 today."))
    ours = po(e("Completely different words here."))
    theirs = po(e("Vote 7-2 today.", "Votación 7-2 hoy."))
    entries = by_msgid(run(base, ours, theirs)[0])
    assert entries["Completely different words here."].msgstr == ""
    assert entries["Vote 7-2 today."].obsolete


def test_a_draft_added_on_one_side_is_finished_by_the_other() -> None:
    base = po(e("One.", "Uno."))
    ours = po(e("One.", "Uno."), e("New.", "Nuevo (MT).", flags="fuzzy"))
    theirs = po(e("One.", "Uno."), e("New.", "Nuevo."))
    catalog, _, conflicts = run(base, ours, theirs)
    new = by_msgid(catalog)["New."]
    assert conflicts == 0 and new.msgstr == "Nuevo." and "fuzzy" not in new.flags


def test_obsolete_duplicates_of_an_active_key_are_kept() -> None:
    base = po(e("One.", "Uno."), e("One.", "Uno viejo.", obsolete=True))
    ours = po(e("One.", "Uno."), e("One.", "Uno viejo.", obsolete=True), e("Two."))
    theirs = po(e("One.", "Uno!"), e("One.", "Uno viejo.", obsolete=True))
    catalog, _, _ = run(base, ours, theirs)
    assert [(x.msgstr, bool(x.obsolete)) for x in catalog.entries] == [
        ("Uno!", False), ("Uno viejo.", True), ("", False)]


def test_crlf_files_stay_crlf() -> None:
    base = po(e("One.", "Uno.")).replace(b"\n", b"\r\n")
    ours = po(e("One.", "Uno."), e("Two.", "Dos.")).replace(b"\n", b"\r\n")
    theirs = po(e("One.", "Uno."), e("Three.", "Tres.")).replace(b"\n", b"\r\n")
    _, data, _ = run(base, ours, theirs)
    assert data.count(b"\n") == data.count(b"\r\n") and b"Tres." in data


def header(**fields: str) -> str:
    lines = "".join(f'"{k.replace("_", "-")}: {v}\\n"\n' for k, v in fields.items())
    return 'msgid ""\nmsgstr ""\n' + lines


def test_header_fields_merge_one_by_one() -> None:
    base = po(header=header(POT_Creation_Date="2024-11-01 10:00+0000",
                            PO_Revision_Date="2024-11-01 10:00+0000",
                            Last_Translator="Ana", Language_Team="Spanish", Language="es",
                            X_Generator="locflow"))
    ours = po(header=header(POT_Creation_Date="2024-11-03 10:00+0000",
                            PO_Revision_Date="2024-11-06 10:00+0000",
                            Last_Translator="Bea", Language_Team="Spanish", Language="es",
                            X_Generator="Poedit 3.2.2"))
    theirs = po(header=header(POT_Creation_Date="2024-11-02 10:00+0000",
                              PO_Revision_Date="2024-11-05+0000",  # not a date: older
                              Last_Translator="Weblate", Language="es",
                              X_Generator="Weblate 5.14", X_Team_Site="https://example.com"))
    catalog = run(base, ours, theirs)[0]
    assert catalog.metadata() == {
        "POT-Creation-Date": "2024-11-03 10:00+0000",
        "PO-Revision-Date": "2024-11-06 10:00+0000",
        "Last-Translator": "Bea",
        "Language": "es",  # Language-Team: removed by theirs, untouched by ours
        "X-Generator": "Poedit 3.2.2",
        "X-Team-Site": "https://example.com",
    }


def test_a_header_field_only_one_side_revised_comes_with_its_translator() -> None:
    base = po(header=header(PO_Revision_Date="2024-11-01 10:00+0000", Last_Translator="Ana"))
    ours = po(e("One.", "Uno."),
              header=header(PO_Revision_Date="2024-11-01 10:00+0000", Last_Translator="Ana"))
    theirs = po(header=header(PO_Revision_Date="2024-11-02 10:00+0000", Last_Translator="Bea"))
    meta = run(base, ours, theirs)[0].metadata()
    assert (meta["PO-Revision-Date"], meta["Last-Translator"]) == ("2024-11-02 10:00+0000", "Bea")


# --------------------------------------------------------------------------- properties

MSGIDS = [f"Sentence number {n} about the council." for n in range(8)]


def random_side(base: pofile.Catalog, rng: random.Random, name: str) -> pofile.Catalog:
    side = pofile.parse(pofile.dump(base))
    for entry in list(side.entries):
        roll = rng.random()
        if roll < 0.15:
            entry.msgstr = f"{name}: {entry.msgid}"
            entry.flags = [f for f in entry.flags if f != "fuzzy"]
        elif roll < 0.25:
            approve(entry, name, "2024-11-05")
        elif roll < 0.3:
            reject(entry, name, "2024-11-06", "no") if entry.msgstr else None
        elif roll < 0.35:
            side.entries.remove(entry)
        elif roll < 0.4:
            entry.obsolete = not entry.obsolete
    if rng.random() < 0.5:
        side.entries.append(pofile.Entry(msgid=f"Added by {name}.", msgstr=name))
    return side


@pytest.mark.parametrize("seed", range(40))
def test_random_merges_lose_no_translation_and_never_unflag_a_foreign_one(seed: int) -> None:
    rng = random.Random(seed)
    base = pofile.new_catalog({"Language": "es"})
    for msgid in MSGIDS:
        base.entries.append(pofile.Entry(msgid=msgid, msgstr=rng.choice(["", "base"]),
                                         obsolete=rng.random() < 0.2))
    base = pofile.parse(pofile.dump(base))
    ours, theirs = random_side(base, rng, "ours"), random_side(base, rng, "theirs")
    sides = {"ours": pofile.parse(pofile.dump(ours)), "theirs": pofile.parse(pofile.dump(theirs))}
    result = merge3(base, ours, theirs)
    merged = pofile.parse(pofile.dump(result.catalog))  # still a valid catalog
    # symmetric: the same entries either way round
    mirror = merge3(pofile.parse(pofile.dump(base)), sides["theirs"],
                    pofile.parse(pofile.dump(sides["ours"])))
    assert sorted(x.key for x in merged.entries) == sorted(x.key for x in mirror.catalog.entries)
    texts = {x.msgstr for x in merged.entries} | {
        form for x in merged.entries for form in (conflict(x) or ())}
    base_keys = {x.key: x for x in base.entries}
    for name, side in sides.items():
        for x in side.entries:
            changed = x.key not in base_keys or x.msgstr != base_keys[x.key].msgstr
            if x.msgstr and changed:
                assert x.msgstr in texts, (name, x.msgid, x.msgstr)
    for x in merged.active():
        if x.msgstr and "fuzzy" not in x.flags:
            assert any(x.msgstr == y.msgstr for side in sides.values()
                       for y in side.entries if y.key == x.key), x.msgid


# Tests that would notice (issue 12): each kills mutants of merge3.py the tests above let live.


def test_pick_and_merge_sets_three_ways() -> None:
    from locflow.catalog.merge3 import _merge_sets, _pick

    assert _pick(1, 1, 1) == (1, False)
    assert _pick(1, 2, 1) == (2, False) and _pick(1, 1, 3) == (3, False)
    assert _pick(1, 2, 2) == (2, False)
    assert _pick(1, 2, 3) == (2, True) and _pick(1, 2, 3, prefer_theirs=True) == (3, True)
    assert _merge_sets("ab", "ab", "abc") == list("abc")
    assert _merge_sets("ab", "abd", "ab") == list("abd")
    assert _merge_sets("ab", "abd", "abd") == list("abd")
    assert _merge_sets("abc", "xbc", "abcy") == list("xbcy")  # a removed, x and y added
    assert _merge_sets("abc", "ac", "bcz") == list("cz")


def test_an_entry_only_theirs_added_comes_with_every_field() -> None:
    added = ('#. paragraph\n#: content/a.md:3\n#, fuzzy, python-format\n'
             '#| msgid "%d old vote"\nmsgid "%d vote"\nmsgid_plural "%d votes"\n'
             'msgstr[0] "%d voto"\nmsgstr[1] "%d votos"\n')
    base = po(e("One.", "Uno."))
    catalog, data, _ = run(base, po(e("One.", "Uno.")), po(e("One.", "Uno."), added))
    assert data.decode().endswith(added)
    entry = by_msgid(catalog)["%d vote"]
    assert entry.occurrences == [("content/a.md", "3")] and entry.previous_msgid == "%d old vote"


def test_template_fields_their_sync_changed_reach_our_entry() -> None:
    base = po(e("One.", "Uno."), e("Two.", "Dos."))
    ours = po(e("One.", "Uno, editado."), e("Two.", "Dos."))
    theirs = po('#. heading\n#: content/a.md:9\n#, python-format\n#| msgid "Was one."\n'
                'msgid "One."\nmsgid_plural "Ones."\nmsgstr[0] "Uno."\nmsgstr[1] "Unos."\n',
                e("Two.", "Dos."))
    catalog, _, _ = run(base, ours, theirs)
    one = by_msgid(catalog)["One."]
    assert (one.comment, one.occurrences, one.previous_msgid, one.msgid_plural) == (
        "heading", [("content/a.md", "9")], "Was one.", "Ones.")
    assert "python-format" in one.flags


def test_their_change_to_an_entry_ours_left_alone_is_taken_whole() -> None:
    base = po(e("One.", "Uno."), e("Two.", "Dos."))
    ours = po(e("One.", "Uno."), e("Two.", "Dos, editado."))
    theirs = po(e("One.", "Una.", comments="a note", flags="fuzzy"), e("Two.", "Dos."))
    catalog, _, conflicts = run(base, ours, theirs)
    one = by_msgid(catalog)["One."]
    assert conflicts == 0
    assert (one.msgstr, one.tcomment, one.flags) == ("Una.", "a note", ["fuzzy"])
    assert by_msgid(catalog)["Two."].msgstr == "Dos, editado."


def test_headers_without_one_side() -> None:
    from locflow.catalog.merge3 import merge3 as merge_catalogs

    no_header = po(e("One.", "Uno."), header="")
    with_header = po(e("One.", "Uno."))
    result = merge_catalogs(pofile.parse(no_header), pofile.parse(no_header),
                            pofile.parse(with_header)).catalog
    assert result.metadata()["Language"] == "es"
    result = merge_catalogs(pofile.parse(with_header), pofile.parse(with_header),
                            pofile.parse(no_header)).catalog
    assert result.metadata()["Language"] == "es"


def test_header_comments_and_flags_merge_as_sets() -> None:
    base = po(e("One.", "Uno."))
    ours = po(e("One.", "Uno."), header="# Spanish translation\n" + HEADER)
    theirs = po(e("One.", "Uno."), header="#, fuzzy\n" + HEADER.replace(
        "Language: es", "Language: es\\n\"\n\"X-Source: web"))
    catalog = run(base, ours, theirs)[0]
    assert catalog.header is not None
    assert catalog.header.tcomment == "Spanish translation"
    assert list(catalog.header.flags) == ["fuzzy"]
    assert catalog.metadata()["X-Source"] == "web"


def test_a_newer_template_date_wins() -> None:
    base = po(header=header(POT_Creation_Date="2024-11-01 10:00+0000"))
    ours = po(header=header(POT_Creation_Date="2024-11-02 10:00+0000"))
    theirs = po(header=header(POT_Creation_Date="2024-11-03 10:00+0000"))
    assert run(base, ours, theirs)[0].metadata()["POT-Creation-Date"] == "2024-11-03 10:00+0000"
    assert run(base, theirs, ours)[0].metadata()["POT-Creation-Date"] == "2024-11-03 10:00+0000"


def test_a_translation_moved_to_a_plural_source_fills_every_form() -> None:
    base = po(e("One vote today.", ""))
    ours = po(e("One vote today.", "Un voto hoy."))
    theirs = po('msgid "One vote today!"\nmsgid_plural "%d votes today!"\n'
                'msgstr[0] ""\nmsgstr[1] ""\n')
    catalog, _, _ = run(base, ours, theirs)
    moved = by_msgid(catalog)["One vote today!"]
    assert moved.msgstr_plural == {0: "Un voto hoy.", 1: "Un voto hoy."}
    assert "fuzzy" in moved.flags and moved.previous_msgid == "One vote today."


def test_an_entry_both_added_merges_against_what_they_share() -> None:
    base = po(e("One.", "Uno."))
    # theirs left a machine draft, ours finished it: the finished text, not fuzzy
    ours = po(e("One.", "Uno."), e("New.", "Nuevo.", comments="note\nshared"))
    theirs = po(e("One.", "Uno."), e("New.", "Borrador.", comments="shared", flags="fuzzy"))
    catalog, _, conflicts = run(base, ours, theirs)
    new = by_msgid(catalog)["New."]
    assert conflicts == 0 and (new.msgstr, new.flags) == ("Nuevo.", [])
    assert new.tcomment == "note\nshared"
    # both finished it differently: a conflict
    theirs = po(e("One.", "Uno."), e("New.", "Otro."))
    catalog, _, conflicts = run(base, ours, theirs)
    assert conflicts == 1 and conflict(by_msgid(catalog)["New."]) == ("Otro.",)
    # one side filled in what the other left empty
    catalog, _, conflicts = run(base, po(e("One.", "Uno."), e("New.", "")), theirs)
    assert conflicts == 0 and by_msgid(catalog)["New."].msgstr == "Otro."


def test_a_translation_moved_from_a_plural_source_to_a_singular_takes_the_first_form() -> None:
    plural = ('msgid "{0}"\nmsgid_plural "%d votes"\nmsgstr[0] "{1}"\nmsgstr[1] "{2}"\n')
    base = po(plural.format("One vote today.", "", ""))
    ours = po(plural.format("One vote today.", "Un voto hoy.", "%d votos hoy."))
    theirs = po(e("One vote today!"))
    catalog, _, _ = run(base, ours, theirs)
    moved = by_msgid(catalog)["One vote today!"]
    assert (moved.msgstr, moved.msgid_plural) == ("Un voto hoy.", "")
    assert (moved.previous_msgid, moved.previous_msgid_plural) == ("One vote today.", "%d votes")


def test_a_moved_translation_keeps_notes_and_the_oldest_source() -> None:
    base = po('#, fuzzy\n#| msgctxt "summary"\n#| msgid "Vote on Monday."\nmsgctxt "summary"\n'
              'msgid "Vote on Tuesday."\nmsgstr "Votación el lunes."\n')
    ours = po('# checked\n#, fuzzy\n#| msgctxt "summary"\n#| msgid "Vote on Monday."\n'
              'msgctxt "summary"\nmsgid "Vote on Tuesday."\nmsgstr "Votación el martes."\n')
    theirs = po('msgctxt "summary"\nmsgid "Vote on Tuesday!"\nmsgstr ""\n')
    catalog, _, _ = run(base, ours, theirs)
    [moved] = [x for x in catalog.entries if x.msgid == "Vote on Tuesday!"]
    assert moved.msgstr == "Votación el martes." and moved.tcomment == "checked"
    assert (moved.previous_msgctxt, moved.previous_msgid) == ("summary", "Vote on Monday.")
    plain_base = po('msgctxt "summary"\nmsgid "Vote on Tuesday."\nmsgstr ""\n')
    plain_ours = po('msgctxt "summary"\nmsgid "Vote on Tuesday."\nmsgstr "Votación."\n')
    catalog, _, _ = run(plain_base, plain_ours, theirs)
    [moved] = [x for x in catalog.entries if x.msgid == "Vote on Tuesday!"]
    assert (moved.previous_msgctxt, moved.previous_msgid, moved.previous_msgid_plural) == (
        "summary", "Vote on Tuesday.", None)


def test_a_translated_entry_the_other_side_deleted_is_kept_obsolete_without_template_lines(
) -> None:
    base = po('#. paragraph\n#: content/a.md:3\nmsgid "Gone."\nmsgstr ""\n', e("One.", "Uno."))
    ours = po('#. paragraph\n#: content/a.md:3\nmsgid "Gone."\nmsgstr "Ido."\n', e("One.", "Uno."))
    theirs = po(e("One.", "Uno."))
    result = merge3(pofile.parse(base), pofile.parse(ours), pofile.parse(theirs))
    gone = next(x for x in result.catalog.entries if x.msgid == "Gone.")
    assert gone.obsolete and (gone.comment, gone.occurrences, gone.msgstr) == ("", [], "Ido.")
    assert result.moved_to_new_source == 0


def test_their_additions_go_after_their_neighbours_and_are_counted() -> None:
    base = po(e("A.", "a"), e("D.", "d"))
    ours = po(e("A.", "a"), e("D.", "d"), e("E.", "e"))
    theirs = po(e("A.", "a"), e("B.", "b"), e("C.", "c"), e("D.", "d"))
    result = merge3(pofile.parse(base), pofile.parse(ours), pofile.parse(theirs))
    assert [x.msgid for x in result.catalog.entries if x.msgid] == ["A.", "B.", "C.", "D.", "E."]
    assert result.from_theirs == 2 and result.clean


def test_obsolete_entries_stay_last_when_the_file_keeps_them_last() -> None:
    base = po(e("A.", "a"), e("Old.", "viejo", obsolete=True))
    ours = po(e("A.", "a"), e("C.", "c"), e("Old.", "viejo", obsolete=True))
    theirs = po(e("A.", "a"), e("Old.", "viejo", obsolete=True), e("B.", "b"))
    catalog = run(base, ours, theirs)[0]
    assert [(x.msgid, bool(x.obsolete)) for x in catalog.entries if x.msgid] == [
        ("A.", False), ("C.", False), ("B.", False), ("Old.", True)]


def test_the_translator_fields_follow_the_side_that_revised() -> None:
    base = po(header=header(PO_Revision_Date="2024-11-01 10:00+0000", Last_Translator="Ana"))
    ours = po(header=header(PO_Revision_Date="2024-11-03 10:00+0000", Last_Translator="Bea"))
    theirs = po(header=header(PO_Revision_Date="2024-11-01 10:00+0000", Last_Translator="Ana",
                              X_Generator="Weblate"))
    meta = run(base, ours, theirs)[0].metadata()
    assert (meta["PO-Revision-Date"], meta["Last-Translator"]) == ("2024-11-03 10:00+0000", "Bea")
    both = po(header=header(PO_Revision_Date="2024-11-02 10:00+0000", Last_Translator="Cai"))
    meta = run(base, ours, both)[0].metadata()
    assert (meta["PO-Revision-Date"], meta["Last-Translator"]) == ("2024-11-03 10:00+0000", "Bea")
    meta = run(base, both, ours)[0].metadata()
    assert (meta["PO-Revision-Date"], meta["Last-Translator"]) == ("2024-11-03 10:00+0000", "Bea")


def test_a_header_comment_removed_by_theirs_goes() -> None:
    base = po(e("A.", "a"), header="# old note\n" + HEADER)
    ours = po(e("A.", "a"), e("B.", "b"), header="# old note\n" + HEADER)
    theirs = po(e("A.", "a"), header=HEADER.replace("Language: es", "Language: es\\n\"\n\"X: y"))
    catalog = run(base, ours, theirs)[0]
    assert catalog.header is not None and catalog.header.tcomment == ""


def test_counts_of_what_came_from_theirs_and_what_moved() -> None:
    base = po(e("Vote on Tuesday.", ""), e("Two.", "Dos."))
    ours = po(e("Vote on Tuesday.", "Votación el martes."), e("Two.", "Dos."))
    theirs = po(e("Vote on Tuesday!"), e("Two.", "Dos, editado."))
    result = merge3(pofile.parse(base), pofile.parse(ours), pofile.parse(theirs))
    assert result.moved_to_new_source == 1
    assert result.from_theirs == 2  # the moved draft and their edit of Two.


def test_an_entry_obsoleted_by_one_side_and_annotated_by_the_other_is_both() -> None:
    base = po(e("One.", "Uno."), e("Two.", "Dos."))
    ours = po(e("One.", "Uno.", comments="a note"), e("Two.", "Dos."))
    theirs = po(e("One.", "Uno.", obsolete=True), e("Two.", "Dos."))
    entry = by_msgid(run(base, ours, theirs)[0])["One."]
    assert entry.obsolete and entry.tcomment == "a note"


def test_a_new_conflict_replaces_an_old_conflict_line() -> None:
    base = po(e("One.", "Uno.", comments='locflow-conflict: "Una."', flags="fuzzy"))
    ours = po(e("One.", "Uno, nuestro.", comments='locflow-conflict: "Una."', flags="fuzzy"))
    theirs = po(e("One.", "Uno, suyo.", comments='locflow-conflict: "Una."', flags="fuzzy"))
    catalog, _, conflicts = run(base, ours, theirs)
    entry = by_msgid(catalog)["One."]
    assert conflicts == 1 and entry.tcomment == 'locflow-conflict: "Uno, suyo."'


def test_their_change_of_a_plural_entry_reaches_ours() -> None:
    plural = 'msgid "One vote."\nmsgid_plural "{0}"\nmsgstr[0] "{1}"\nmsgstr[1] "{2}"\n'
    base = po(plural.format("%d votes.", "", ""), e("Two."))
    ours = po(plural.format("%d votes.", "", ""), e("Two.", "Dos."))
    theirs = po(plural.format("%d ballots.", "Un voto.", "%d votos."), e("Two."))
    catalog, _, conflicts = run(base, ours, theirs)
    entry = by_msgid(catalog)["One vote."]
    assert conflicts == 0 and entry.msgid_plural == "%d ballots."
    assert entry.msgstr_plural == {0: "Un voto.", 1: "%d votos."}


def test_merge_sets_follows_the_only_side_that_reordered() -> None:
    from locflow.catalog.merge3 import _merge_sets

    assert _merge_sets("ab", "ab", "ba") == list("ba")
    assert _merge_sets("ab", "ba", "ab") == list("ba")


def test_their_sync_of_sticky_flags_reaches_an_entry_ours_translated() -> None:
    base = po(e("One.", ""), e("Two."))
    ours = po(e("One.", "Uno."), e("Two."))
    theirs = po("#= no-wrap\n" + e("One.", ""), e("Three."))  # their sync: Two. -> Three.
    one = by_msgid(run(base, ours, theirs)[0])["One."]
    assert one.msgstr == "Uno." and one.sticky == ["#= no-wrap"]


def test_a_flag_one_side_removed_stays_removed_when_the_other_edits_the_text() -> None:
    base = po(e("%d votes.", "%d votos.", flags="python-format"))
    ours = po(e("%d votes.", "%d votos."))  # the flag removed
    theirs = po(e("%d votes.", "%d sufragios.", flags="python-format"))
    entry = by_msgid(run(base, ours, theirs)[0])["%d votes."]
    assert entry.msgstr == "%d sufragios." and entry.flags == []


def test_an_entry_both_added_keeps_our_template_lines_and_the_flags_only_one_side_set() -> None:
    base = po(e("One.", "Uno."))
    ours = po(e("One.", "Uno."), '#. heading\n#: content/a.md:3\n#= no-wrap\n#, python-format\n'
              '#| msgid "Old."\nmsgid "New."\nmsgstr "Nuevo."\n')
    theirs = po(e("One.", "Uno."), '#. paragraph\n#: content/a.md:5\n'
                'msgid "New."\nmsgstr "Otro."\n')
    catalog, _, conflicts = run(base, ours, theirs)
    new = by_msgid(catalog)["New."]
    assert conflicts == 1 and conflict(new) == ("Otro.",)
    assert (new.comment, new.occurrences, new.sticky, new.previous_msgid) == (
        "heading", [("content/a.md", "3")], ["#= no-wrap"], "Old.")
    assert new.flags == ["fuzzy", "python-format"]


def test_an_entry_one_side_added_active_and_the_other_obsolete_stays_active() -> None:
    base = po(e("One.", "Uno."))
    ours = po(e("One.", "Uno."), e("New.", "Nuevo."))
    theirs = po(e("One.", "Uno."), e("New.", "Otro.", obsolete=True))
    new = by_msgid(run(base, ours, theirs)[0])["New."]
    assert not new.obsolete


def test_several_obsolete_duplicates_of_an_active_key_are_kept() -> None:
    old = [e("One.", "Uno viejo.", obsolete=True), e("One.", "Uno antiguo.", obsolete=True)]
    base = po(e("One.", "Uno."), *old)
    catalog, _, _ = run(base, po(e("One.", "Uno!"), *old), po(e("One.", "Uno."), e("Two."), *old))
    assert [(x.msgstr, bool(x.obsolete)) for x in catalog.entries] == [
        ("Uno!", False), ("", False), ("Uno viejo.", True), ("Uno antiguo.", True)]


def test_an_obsolete_duplicate_before_its_active_entry_is_kept() -> None:
    old = e("One.", "Uno viejo.", obsolete=True)
    base = po(old, e("One.", "Uno."))
    catalog, _, _ = run(base, po(old, e("One.", "Uno."), e("Two.")), po(old, e("One.", "Uno!")))
    assert [(x.msgstr, bool(x.obsolete)) for x in catalog.entries] == [
        ("Uno viejo.", True), ("Uno!", False), ("", False)]


def test_their_edit_reaches_the_active_entry_when_ours_dropped_its_obsolete_duplicate() -> None:
    base = po(e("One.", "Uno."), e("One.", "Uno viejo.", obsolete=True))
    ours = po(e("One.", "Uno."))
    theirs = po(e("One.", "Uno!"), e("One.", "Uno viejo.", obsolete=True))
    catalog, _, _ = run(base, ours, theirs)
    assert [(x.msgstr, bool(x.obsolete)) for x in catalog.entries] == [("Uno!", False)]


def test_the_order_follows_the_side_whose_sync_changed_the_template() -> None:
    base = po(e("A.", "a"), e("B.", "b"))
    ours = po(e("A.", "a!"), e("B.", "b"))  # a translation edit
    theirs = po(e("B.", "b"), e("C.", "c"), e("A.", "a"))  # their sync: C. added, A. moved
    catalog = run(base, ours, theirs)[0]
    assert [(x.msgid, x.msgstr) for x in catalog.entries] == [("B.", "b"), ("C.", "c"),
                                                              ("A.", "a!")]


def test_entries_ours_reordered_keep_our_order() -> None:
    base = po(e("A.", "a"), e("B.", "b"))
    ours = po(e("B.", "b"), e("A.", "a"))
    theirs = po(e("A.", "a"), e("B.", "b!"))
    catalog = run(base, ours, theirs)[0]
    assert [(x.msgid, x.msgstr) for x in catalog.entries] == [("B.", "b!"), ("A.", "a")]


@pytest.mark.parametrize("other_context_first", [True, False])
def test_a_moved_translation_prefers_a_new_source_of_its_own_context(
        other_context_first: bool) -> None:
    base = po('msgctxt "menu"\nmsgid "Vote on Tuesday."\nmsgstr ""\n')
    ours = po('msgctxt "menu"\nmsgid "Vote on Tuesday."\nmsgstr "Votación el martes."\n')
    same = 'msgctxt "menu"\nmsgid "Vote on Tuesday!"\nmsgstr ""\n'
    other = 'msgctxt "title"\nmsgid "Vote on Tuesday!"\nmsgstr ""\n'
    theirs = po(*([other, same] if other_context_first else [same, other]))
    catalog = run(base, ours, theirs)[0]
    moved = {x.msgctxt: x.msgstr for x in catalog.entries if x.msgid == "Vote on Tuesday!"}
    assert moved == {"menu": "Votación el martes.", "title": ""}


def test_a_moved_translation_goes_to_a_source_exactly_as_similar_as_msgmerge_requires() -> None:
    base = po(e("Vote now.", ""))
    ours = po(e("Vote now.", "Vote ahora."))
    theirs = po(e("Vote later."))  # fuzz.ratio 60.0: msgmerge's threshold, reached
    later = by_msgid(run(base, ours, theirs)[0])["Vote later."]
    assert later.msgstr == "Vote ahora." and "fuzzy" in later.flags


def test_a_moved_plural_translation_keeps_each_form() -> None:
    plural = 'msgid "{0}"\nmsgid_plural "%d votes today."\nmsgstr[0] "{1}"\nmsgstr[1] "{2}"\n'
    base = po(plural.format("One vote today.", "", ""))
    ours = po(plural.format("One vote today.", "Un voto hoy.", "%d votos hoy."))
    theirs = po(plural.format("One vote today!", "", ""))
    moved = by_msgid(run(base, ours, theirs)[0])["One vote today!"]
    assert moved.msgstr_plural == {0: "Un voto hoy.", 1: "%d votos hoy."}
    assert "fuzzy" in moved.flags


def test_a_moved_draft_without_previous_lines_records_its_own_source() -> None:
    base = po(e("Vote on Tuesday.", "Votación el martes (MT).", flags="fuzzy"))
    ours = po(e("Vote on Tuesday.", "Votación el martes."))
    theirs = po(e("Vote on Tuesday!"))
    moved = by_msgid(run(base, ours, theirs)[0])["Vote on Tuesday!"]
    assert (moved.msgstr, moved.previous_msgid) == ("Votación el martes.", "Vote on Tuesday.")


def test_a_source_change_sync_recorded_moves_the_translation_however_different() -> None:
    base = po(e("Vote 7-2.", "Votación 7-2."))
    ours = po(e("The council voted 8 to 1.", "Votación 7-2.", flags="fuzzy",
                previous="Vote 7-2."), e("Vote 7-3."))
    theirs = po(e("Vote 7-2.", "Votación 7 a 2."))
    result = merge3(pofile.parse(base), pofile.parse(ours), pofile.parse(theirs))
    entries = by_msgid(result.catalog)
    assert entries["The council voted 8 to 1."].msgstr == "Votación 7 a 2."
    assert entries["Vote 7-3."].msgstr == "" and "Vote 7-2." not in entries
    assert result.moved_to_new_source == 1


def test_a_merged_entry_that_ends_as_ours_is_not_counted_as_theirs() -> None:
    base = po(e("One.", "Uno."))
    ours = po(e("One.", "Uno, editado."))
    theirs = po(approved("One.", "Uno.", "2024-11-05"))  # an approval of the old text
    result = merge3(pofile.parse(base), pofile.parse(ours), pofile.parse(theirs))
    assert result.catalog.entries[0].tcomment == "" and result.from_theirs == 0


def test_an_entry_from_a_crlf_theirs_is_written_in_our_line_ends() -> None:
    base = po(e("One.", "Uno."))
    theirs = po(e("One.", "Uno."), e("Two.", "Dos.")).replace(b"\n", b"\r\n")
    data = run(base, po(e("One.", "Uno.")), theirs)[1]
    assert b"\r" not in data and data.endswith(e("Two.", "Dos.").encode())


def test_an_obsolete_entry_one_side_revived_and_the_other_deleted_is_active() -> None:
    base = po(e("One.", "Uno."), e("Old.", "Viejo.", obsolete=True))
    ours = po(e("One.", "Uno."))  # obsolete entries purged
    theirs = po(e("One.", "Uno."), "#: content/a.md:4\n" + e("Old.", "Viejo."))
    old = by_msgid(run(base, ours, theirs)[0])["Old."]
    assert not old.obsolete and old.occurrences == [("content/a.md", "4")]


def test_a_note_on_an_untranslated_old_source_does_not_move() -> None:
    base = po(e("Vote on Tuesday."))
    ours = po(e("Vote on Tuesday.", comments="ask the desk"))
    theirs = po(e("Vote on Tuesday!"))
    result = merge3(pofile.parse(base), pofile.parse(ours), pofile.parse(theirs))
    entries = by_msgid(result.catalog)
    assert entries["Vote on Tuesday!"].flags == [] and result.moved_to_new_source == 0
    assert entries["Vote on Tuesday."].obsolete
    assert entries["Vote on Tuesday."].tcomment == "ask the desk"


def test_a_moved_translation_never_replaces_what_the_other_side_translated_anew() -> None:
    base = po(e("Vote on Tuesday."))
    ours = po(e("Vote on Tuesday!"))  # our sync
    theirs = po(e("Vote on Tuesday.", "Votación el martes."),
                e("Vote on Tuesday!", "¡Votación el martes!"))
    entries = by_msgid(run(base, ours, theirs)[0])
    new = entries["Vote on Tuesday!"]
    assert (new.msgstr, new.flags) == ("¡Votación el martes!", [])
    assert entries["Vote on Tuesday."].obsolete


def test_a_header_without_its_final_newline_is_kept_when_theirs_did_not_change_it() -> None:
    head = ('msgid ""\nmsgstr ""\n"PO-Revision-Date: {0}\\n"\n'
            '"Content-Type: text/plain; charset=UTF-8"\n')
    base = po(e("One.", "Uno."), header=head.format("2024-11-01 10:00+0000"))
    ours = po(e("One.", "Uno."), header=head.format("2024-11-02 10:00+0000"))
    theirs = po(e("One.", "Uno!"), header=head.format("2024-11-01 10:00+0000"))
    data = run(base, ours, theirs)[1]
    assert data.decode().startswith(head.format("2024-11-02 10:00+0000"))


def test_merged_header_lines_end_once() -> None:
    base = po(header=header(PO_Revision_Date="2024-11-01 10:00+0000", Language="es"))
    ours = po(header=header(PO_Revision_Date="2024-11-02 10:00+0000", Language="es"))
    theirs = po(header=header(PO_Revision_Date="2024-11-01 10:00+0000", Language="es",
                              X_Generator="Weblate"))
    head = run(base, ours, theirs)[0].header
    assert head is not None and head.msgstr == (
        "PO-Revision-Date: 2024-11-02 10:00+0000\nLanguage: es\nX-Generator: Weblate\n")


def test_the_translator_stays_with_the_revision_date_that_changed() -> None:
    base = po(header=header(PO_Revision_Date="2024-11-01 10:00+0000", Last_Translator="Ana"))
    ours = po(header=header(PO_Revision_Date="2024-11-03 10:00+0000", Last_Translator="Ana"))
    theirs = po(header=header(PO_Revision_Date="2024-11-01 10:00+0000", Last_Translator="Bea"))
    meta = run(base, ours, theirs)[0].metadata()
    assert (meta["PO-Revision-Date"], meta["Last-Translator"]) == ("2024-11-03 10:00+0000", "Ana")


def test_their_new_plural_wording_or_dropped_plural_reaches_ours() -> None:
    plural = 'msgid "One vote."\nmsgid_plural "{0}"\nmsgstr[0] "Un voto."\nmsgstr[1] "%d votos."\n'
    base = po(plural.format("%d votes."), e("Two."))
    ours = po(plural.format("%d votes."), e("Two.", "Dos."))
    catalog = run(base, ours, po(plural.format("%d ballots."), e("Two.")))[0]
    assert by_msgid(catalog)["One vote."].msgid_plural == "%d ballots."
    catalog = run(base, ours, po(e("One vote.", "Un voto."), e("Two.")))[0]
    one = by_msgid(catalog)["One vote."]
    assert (one.msgid_plural, one.msgstr) == ("", "Un voto.")
