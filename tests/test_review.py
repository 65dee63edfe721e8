from __future__ import annotations

import csv
from pathlib import Path

import pytest

from locflow.catalog import pofile
from locflow.catalog.pofile import Entry
from locflow.errors import InputError
from locflow.model import ReviewState
from locflow.review import (
    Approval,
    approval,
    approve,
    check_reviewer,
    count_states,
    entry_state,
    reject,
    rejection,
    text_hash,
)
from tests.conftest import CORPUS


def entry(msgstr: str = "", flags: tuple[str, ...] = (), tcomment: str = "") -> Entry:
    return Entry(msgid="The vote was 7-2.", msgstr=msgstr, flags=list(flags), tcomment=tcomment)


def test_states() -> None:
    assert entry_state(entry()) is ReviewState.UNTRANSLATED
    assert entry_state(entry(flags=("fuzzy",))) is ReviewState.UNTRANSLATED  # like msgfmt
    assert entry_state(entry("La votación fue 7-2.", ("fuzzy",))) is ReviewState.FUZZY
    assert entry_state(entry("La votación fue 7-2.")) is ReviewState.TRANSLATED


def test_approve_records_who_when_and_a_hash_of_the_text() -> None:
    e = entry("La votación fue 7 a 2.", tcomment="checked with the desk")
    assert approve(e, "desk-editor", "2024-11-05")
    assert e.tcomment == (
        f"checked with the desk\nlocflow-approved: 2024-11-05 desk-editor ({text_hash(e)})"
    )
    assert entry_state(e) is ReviewState.APPROVED
    assert approval(e) is not None and approval(e).reviewer == "desk-editor"  # type: ignore[union-attr]
    assert not approve(e, "desk-editor", "2024-11-06")  # already approved: skipped


@pytest.mark.parametrize("field", ["msgstr", "msgid", "msgctxt"])
def test_approval_goes_stale_when_text_changes(field: str) -> None:
    e = entry("La votación fue 7 a 2.")
    approve(e, "desk-editor", "2024-11-05")
    setattr(e, field, "something else")
    assert entry_state(e) is ReviewState.TRANSLATED


def test_only_translated_entries_are_approved() -> None:
    for e in (entry(), entry("x", ("fuzzy",))):
        assert not approve(e, "ed", "2024-11-05")
        assert "locflow-approved" not in e.tcomment


def test_reject_makes_fuzzy_with_reason_and_replaces_approval() -> None:
    e = entry("La votación fue 8 a 1.")
    approve(e, "ed", "2024-11-05")
    assert reject(e, "desk-editor", "2024-11-06", "the vote was\n7-2")
    assert e.flags == ["fuzzy"]
    assert e.tcomment == (
        f"locflow-rejected: 2024-11-06 desk-editor ({text_hash(e)}): the vote was 7-2"
    )
    assert entry_state(e) is ReviewState.REJECTED
    assert rejection(e) is not None and rejection(e).reason == "the vote was 7-2"  # type: ignore[union-attr]
    assert not reject(e, "desk-editor", "2024-11-06", "the vote was 7-2")  # same again: no-op
    # the translator fixes it and clears fuzzy: translated, awaiting review again
    e.msgstr, e.flags = "La votación fue 7 a 2.", []
    assert entry_state(e) is ReviewState.TRANSLATED
    assert approve(e, "ed", "2024-11-07") and "locflow-rejected" not in e.tcomment


def test_reject_needs_a_reason_and_skips_untranslated() -> None:
    with pytest.raises(InputError, match="reason"):
        reject(entry("x"), "ed", "2024-11-05", "  ")
    assert not reject(entry(), "ed", "2024-11-05", "why")


@pytest.mark.parametrize("name", ["", "a: b", "x (y)"])
def test_reviewer_names_must_be_storable(name: str) -> None:
    with pytest.raises(InputError):
        check_reviewer(name)


def _reference_stats() -> list[dict[str, str]]:
    path = CORPUS / "reference-stats.tsv"
    if not path.exists():
        return []
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


@pytest.mark.skipif(not _reference_stats(), reason="shared corpus not available")
@pytest.mark.parametrize("row", _reference_stats(), ids=lambda row: row["path"])
def test_state_counts_agree_with_msgfmt_on_the_corpus(row: dict[str, str]) -> None:
    counts = count_states(pofile.load(Path(CORPUS / row["path"])).entries)
    assert counts.translated + counts.approved == int(row["translated"])
    assert counts.fuzzy + counts.rejected == int(row["fuzzy"])
    assert counts.untranslated == int(row["untranslated"])
    assert counts.obsolete == int(row["obsolete"])


def test_forced_approval_records_the_overridden_checks() -> None:
    from locflow.review import overridden_checks

    e = entry("La votación fue 8 a 1.")
    assert approve(e, "desk-editor", "2024-11-05", override=["numbers", "numbers"])
    assert e.tcomment == (
        f"locflow-approved: 2024-11-05 desk-editor ({text_hash(e)}) override: numbers"
    )
    assert entry_state(e) is ReviewState.APPROVED
    assert overridden_checks(e) == {"numbers"}
    e.msgstr = "La votación fue 9 a 0."  # edited afterwards: stale, the override is gone
    assert entry_state(e) is ReviewState.TRANSLATED and overridden_checks(e) == frozenset()


def test_approval_comments_without_override_still_parse() -> None:
    e = entry("x", tcomment="locflow-approved: 2024-11-05 Ana María (0123456789ab)  ")
    found = approval(e)
    assert found is not None and (found.reviewer, found.text_hash, found.override) == (
        "Ana María", "0123456789ab", ())


def test_a_fixed_rejection_becomes_history_and_an_unfixed_one_stays() -> None:
    from locflow.review import retire_rejection

    e = entry("La votación fue 8 a 1.", tcomment="checked with the desk")
    reject(e, "desk-editor", "2024-11-06", "the vote was 7-2")
    assert not retire_rejection(e)  # still fuzzy: the rejection applies
    e.flags = []  # fuzzy cleared without an edit: the reviewer sees the rejection as it is
    assert not retire_rejection(e)
    e.msgstr = "La votación fue 7 a 2."  # fixed
    assert retire_rejection(e)
    assert e.tcomment == (
        "checked with the desk\n"
        "locflow-history: rejected 2024-11-06 desk-editor: the vote was 7-2"
    )
    assert rejection(e) is None and entry_state(e) is ReviewState.TRANSLATED
    assert not retire_rejection(e)  # once
    assert approve(e, "ed", "2024-11-07")
    assert "locflow-history: rejected 2024-11-06" in e.tcomment  # approval keeps the history


def test_rejection_comments_of_older_versions_still_read_and_retire() -> None:
    from locflow.review import retire_rejection

    e = entry("x", ("fuzzy",), tcomment="locflow-rejected: 2024-11-05 Ana: wrong: the date")
    found = rejection(e)
    assert found is not None and (found.reviewer, found.reason, found.text_hash) == (
        "Ana", "wrong: the date", None)
    e.flags = []
    assert retire_rejection(e)  # no hash: the text cannot be compared; fuzzy is cleared
    assert e.tcomment == "locflow-history: rejected 2024-11-05 Ana: wrong: the date"

def test_conflict_comment_round_trips_any_text_on_one_line() -> None:
    from locflow.review import conflict, conflict_comment, has_conflict

    nasty = 'dijo "sí"\\ \nsegunda\u2028línea\x85fin\tcon tab'
    line = conflict_comment([nasty])
    assert "\n" not in line and "\u2028" not in line and "\x85" not in line
    e = entry("Texto.", ("fuzzy",), tcomment=f"a note\n{line}")
    assert has_conflict(e) and conflict(e) == (nasty,)
    assert conflict(entry("Texto.")) is None
    edited = entry("Texto.", tcomment="locflow-conflict: not json any more")
    assert conflict(edited) == ("not json any more",)


def test_resolving_a_conflict_chooses_a_text_and_clears_the_merge_marks() -> None:
    from locflow.review import conflict_comment, resolve_conflict

    def conflicted() -> Entry:
        return entry("Ours.", ("fuzzy",), tcomment="note\n" + conflict_comment(["Theirs."]))

    keep = conflicted()
    assert resolve_conflict(keep, "current")
    assert (keep.msgstr, keep.flags, keep.tcomment) == ("Ours.", [], "note")
    assert entry_state(keep) is ReviewState.TRANSLATED
    take = conflicted()
    assert resolve_conflict(take, "other") and take.msgstr == "Theirs."
    assert not resolve_conflict(take, "other")  # nothing left to resolve
    with pytest.raises(InputError):
        resolve_conflict(conflicted(), "mine")


def test_counts_report_conflicts_beside_the_states() -> None:
    from locflow.review import conflict_comment

    entries = [entry("Uno.", ("fuzzy",), tcomment=conflict_comment(["Una."])), entry("Dos.")]
    counts = count_states(entries)
    assert (counts.fuzzy, counts.translated, counts.conflicts) == (1, 1, 1)
    assert counts.as_dict()["conflicts"] == 1


# Tests that would notice (issue 12): each kills mutants of review.py that survived the tests above.


def plural_entry(forms: dict[int, str] | None = None) -> Entry:
    return Entry(msgid="%d vote", msgid_plural="%d votes",
                 msgstr_plural=forms if forms is not None else {0: "%d voto", 1: "%d votos"})


@pytest.mark.parametrize("change", [
    lambda e: e.msgstr_plural.__setitem__(1, "%d sufragios"),
    lambda e: e.msgstr_plural.__setitem__(0, "un voto"),
    lambda e: setattr(e, "msgid_plural", "%d ballots"),
    lambda e: setattr(e, "msgctxt", "title"),
], ids=["second form", "first form", "msgid_plural", "msgctxt"])
def test_a_plural_approval_goes_stale_when_any_form_or_source_changes(change) -> None:  # type: ignore[no-untyped-def]
    e = plural_entry()
    assert approve(e, "ed", "2024-11-05")
    assert entry_state(e) is ReviewState.APPROVED
    change(e)
    assert entry_state(e) is ReviewState.TRANSLATED


def test_the_text_hash_tells_singular_from_plural_and_forms_apart() -> None:
    singular = Entry(msgid="%d vote", msgstr="%d voto")
    assert text_hash(singular) != text_hash(plural_entry({0: "%d voto", 1: ""}))
    assert text_hash(plural_entry({0: "a", 1: "b"})) != text_hash(plural_entry({0: "b", 1: "a"}))
    # the order forms were set in does not matter, only their number
    assert text_hash(plural_entry({1: "b", 0: "a"})) == text_hash(plural_entry({0: "a", 1: "b"}))
    assert len(text_hash(singular)) == 12


def test_a_plural_entry_is_translated_by_its_first_form() -> None:
    assert entry_state(plural_entry({0: "", 1: "%d votos"})) is ReviewState.UNTRANSLATED
    assert entry_state(plural_entry({0: "%d voto", 1: ""})) is ReviewState.TRANSLATED
    assert entry_state(plural_entry({})) is ReviewState.UNTRANSLATED


def test_rejecting_a_fuzzy_entry_keeps_one_fuzzy_flag_first() -> None:
    e = entry("La votación fue 8 a 1.", ("python-format", "fuzzy"))
    assert reject(e, "ed", "2024-11-06", "the vote was 7-2")
    assert e.flags == ["python-format", "fuzzy"]
    t = entry("La votación fue 8 a 1.", ("python-format",))
    assert reject(t, "ed", "2024-11-06", "the vote was 7-2")
    assert t.flags == ["fuzzy", "python-format"]
    # a new reason replaces the old one; the state stays rejected
    assert reject(t, "ed", "2024-11-07", "and the day")
    assert t.flags == ["fuzzy", "python-format"]
    assert rejection(t).reason == "and the day"  # type: ignore[union-attr]
    assert t.tcomment.count("locflow-rejected") == 1


def test_counts_include_entries_with_an_empty_msgid_and_a_context() -> None:
    header = Entry(msgid="", msgstr="Language: es\n")
    empty_in_context = Entry(msgid="", msgctxt="subtitle", msgstr="")
    counts = count_states([header, empty_in_context, entry("Uno."), entry(),
                           Entry(msgid="Old.", msgstr="Viejo.", obsolete=True)])
    assert counts.as_dict() == {"total": 3, "untranslated": 2, "fuzzy": 0, "rejected": 0,
                                "translated": 1, "approved": 0, "obsolete": 1, "conflicts": 0,
                                "outdated": 0}


def test_counts_of_every_state_and_the_share_approved() -> None:
    approved, rejected = entry("Sí."), entry("No.")
    approve(approved, "ed", "2024-11-05")
    reject(rejected, "ed", "2024-11-05", "wrong")
    counts = count_states([approved, approved, approved, rejected, entry("Tal vez.", ("fuzzy",)),
                           entry("Dos."), entry()])
    assert (counts.approved, counts.rejected, counts.fuzzy, counts.translated,
            counts.untranslated, counts.total) == (3, 1, 1, 1, 1, 7)
    assert counts.percent_approved == pytest.approx(300 / 7)
    assert count_states([]).percent_approved == 100.0  # nothing to approve
    assert count_states([]).as_dict() == dict.fromkeys(
        ["total", "untranslated", "fuzzy", "rejected", "translated", "approved", "obsolete",
         "conflicts", "outdated"], 0)


def test_an_approval_of_an_edited_text_does_not_count_and_the_last_one_is_read() -> None:
    e = entry("Uno.")
    approve(e, "ed", "2024-11-05")
    stale = e.tcomment
    e.msgstr = "Un."
    assert entry_state(e) is ReviewState.TRANSLATED
    assert approve(e, "ana", "2024-11-06")  # the stale approval is replaced
    assert e.tcomment.count("locflow-approved") == 1 and stale not in e.tcomment
    assert approval(e).reviewer == "ana"  # type: ignore[union-attr]
    two = entry("x", tcomment="locflow-approved: 2024-11-05 a (0123456789ab)\n"
                              "locflow-approved: 2024-11-06 b (ba9876543210) override: numbers, "
                              "markup")
    assert approval(two) == approval(two) and approval(two).reviewer == "b"  # type: ignore[union-attr]
    assert approval(two).override == ("numbers", "markup")  # type: ignore[union-attr]
    assert approval(entry("x", tcomment="locflow-approved: someday")) is None
    assert rejection(entry("x", tcomment="just a note")) is None


def test_review_history_lists_fixed_rejections_and_overrides() -> None:
    from locflow.review import review_history

    e = entry("La votación fue 8 a 1.")
    assert review_history(e) == ()
    reject(e, "ed", "2024-11-06", "the vote was 7-2")
    e.msgstr, e.flags = "La votación fue 7 a 2.", []
    approve(e, "ed", "2024-11-07", override=["numbers", "markup"])
    assert review_history(e) == (
        "rejected 2024-11-06 ed: the vote was 7-2",
        "approved over failing checks: markup, numbers",
    )


def test_strip_review_removes_only_review_lines() -> None:
    from locflow.review import strip_review

    e = entry("Uno.", tcomment="a note")
    strip_review(e)
    assert e.tcomment == "a note"
    approve(e, "ed", "2024-11-05")
    strip_review(e)
    assert e.tcomment == "a note"
    reject(e, "ed", "2024-11-05", "why")
    strip_review(e)
    assert e.tcomment == "a note"


def test_a_conflict_on_a_plural_entry_resolves_to_every_form() -> None:
    from locflow.review import conflict, conflict_comment, resolve_conflict

    e = plural_entry()
    e.flags = ["fuzzy"]
    e.tcomment = conflict_comment(["un sufragio", "%d sufragios"])
    assert conflict(e) == ("un sufragio", "%d sufragios")
    assert resolve_conflict(e, "other")
    assert e.msgstr_plural == {0: "un sufragio", 1: "%d sufragios"} and e.flags == []
    assert e.tcomment == ""
    odd = entry("x", tcomment='locflow-conflict: {"not": "a list"}')
    assert conflict(odd) == ('{"not": "a list"}',)
    assert conflict(entry("x", tcomment="locflow-conflict: [1, 2]")) == ("[1, 2]",)
    # the last conflict line is the one read
    two = entry("x", tcomment=conflict_comment(["a"]) + "\n" + conflict_comment(["b"]))
    assert conflict(two) == ("b",)
    plain = entry("x", tcomment=conflict_comment(["a"]))  # not fuzzy: nothing to clear
    assert resolve_conflict(plain, "current") and plain.flags == [] and plain.msgstr == "x"


def test_set_translation_clears_fuzzy_the_old_source_and_review_lines() -> None:
    from locflow.review import set_translation

    e = entry("La votación fue 8 a 1.", ("fuzzy", "python-format"), tcomment="a note")
    e.previous_msgid, e.previous_msgctxt = "The vote was 8-1.", "summary"
    reject(e, "ed", "2024-11-05", "the numbers")
    assert set_translation(e, ["La votación\r\nfue 7 a 2.\r"])
    assert e.msgstr == "La votación\nfue 7 a 2.\n"
    assert e.flags == ["python-format"] and e.tcomment == "a note"
    assert (e.previous_msgid, e.previous_msgctxt, e.previous_msgid_plural) == (None, None, None)
    assert entry_state(e) is ReviewState.TRANSLATED
    assert not set_translation(e, ["La votación\nfue 7 a 2.\n"])
    fuzzy = entry("Igual.", ("fuzzy",))
    assert set_translation(fuzzy, ["Igual."]) and fuzzy.flags == []  # same text, now reviewed
    with pytest.raises(InputError, match="empty"):
        set_translation(entry("x"), [])
    three = plural_entry({0: "", 1: "", 2: ""})
    assert set_translation(three, ["a", "b", "c"])
    assert three.msgstr_plural == {0: "a", 1: "b", 2: "c"}


def test_today_honours_source_date_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    import datetime as dt

    from locflow.review import today

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1730764800")
    assert today() == "2024-11-05"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "not a number")
    assert today() == dt.datetime.now(dt.UTC).date().isoformat()


def test_reviewer_names_are_normalised() -> None:
    assert check_reviewer("  Ana \n María ") == "Ana María"


def test_conflict_comments_stay_readable() -> None:
    from locflow.review import conflict_comment

    assert conflict_comment(["Votó sí"]) == 'locflow-conflict: "Votó sí"'
    assert conflict_comment(["un voto", "%d votos"]) == 'locflow-conflict: ["un voto", "%d votos"]'


def test_a_rejection_stays_while_the_entry_is_fuzzy_even_if_edited() -> None:
    from locflow.review import retire_rejection

    e = entry("La votación fue 8 a 1.")
    reject(e, "ed", "2024-11-06", "the vote was 7-2")
    e.msgstr = "La votación fue 7 a 2."  # edited, still fuzzy: not done yet
    assert not retire_rejection(e)
    assert entry_state(e) is ReviewState.REJECTED


def test_approving_a_fixed_rejection_keeps_it_as_history() -> None:
    e = entry("La votación fue 8 a 1.")
    reject(e, "ed", "2024-11-06", "the vote was 7-2")
    e.msgstr, e.flags = "La votación fue 7 a 2.", []
    assert approve(e, "ana", "2024-11-07")
    assert e.tcomment.split("\n") == [
        "locflow-history: rejected 2024-11-06 ed: the vote was 7-2",
        f"locflow-approved: 2024-11-07 ana ({text_hash(e)})",
    ]


def test_set_translation_counts_the_forms_it_needs() -> None:
    from locflow.review import set_translation

    assert set_translation(plural_entry({}), ["un voto", "%d votos"])  # no forms yet: two
    with pytest.raises(InputError, match="give 2 translations, not 1"):
        set_translation(plural_entry(), ["un voto"])
    with pytest.raises(InputError, match="give 1 translation, not 2"):
        set_translation(entry("uno"), ["a", "b"])


def test_rejecting_a_fixed_rejection_again_keeps_the_first_as_history() -> None:
    e = entry("La votación fue 8 a 1.")
    reject(e, "ed", "2024-11-06", "the vote was 7-2")
    e.msgstr, e.flags = "La votación fue 7 a 2 el lunes.", []
    assert reject(e, "ana", "2024-11-07", "it was Tuesday")
    assert e.tcomment.split("\n") == [
        "locflow-history: rejected 2024-11-06 ed: the vote was 7-2",
        f"locflow-rejected: 2024-11-07 ana ({text_hash(e)}): it was Tuesday",
    ]


@pytest.mark.parametrize("other", [
    "locflow-approved: 2024-11-01 Ana Ruiz",  # an old approval without the hash
    "\tlocflow-approved: 2024-11-01 Ana Ruiz ({hash})",  # tab-indented (``#\t…`` in the file)
    " locflow-approved: 2024-11-01 Ana Ruiz ({hash})",  # ``#  …``: two spaces
    "locflow-approved: 2024-11-01 Ana (Ruiz) ({hash})",
])
def test_one_parser_reads_approval_lines(other: str) -> None:
    """Issue 17: the review state and the verifier of who approved read approval lines
    through the one parser; a line that merely starts like one counts for neither."""
    from locflow.review import counted_approval, parse_approval

    e = entry("Sí.")
    valid = f"locflow-approved: 2024-11-05 Bob Lee ({text_hash(e)})"
    e.tcomment = f"a note\n{valid}\n{other.format(hash=text_hash(e))}"
    assert parse_approval(other.format(hash=text_hash(e))) is None
    assert entry_state(e) is ReviewState.APPROVED
    assert approval(e) == parse_approval(valid)
    assert counted_approval(e.tcomment.split("\n")) == (1, parse_approval(valid))
    assert counted_approval(["a note", other]) is None
    assert counted_approval([]) is None
    assert parse_approval(valid + " override: numbers, urls") == Approval(
        "2024-11-05", "Bob Lee", text_hash(e), ("numbers", "urls"))
