from __future__ import annotations

import csv
from pathlib import Path

import pytest

from locflow.catalog import pofile
from locflow.catalog.pofile import Entry
from locflow.errors import InputError
from locflow.model import ReviewState
from locflow.review import (
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
