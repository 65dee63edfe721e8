"""Decisions on one entry, as the review desk makes them: keyed by msgctxt+msgid, refused
when the entry changed since it was shown, written locked and atomically."""

from __future__ import annotations

from pathlib import Path

import pytest

from locflow import pipeline
from locflow.catalog import pofile
from locflow.config import Project
from locflow.errors import ConflictError, InputError
from locflow.model import ReviewState
from locflow.provenance import Provenance, provenance, set_provenance
from locflow.review import approve, entry_state, reject, set_translation, text_hash

DATE = "2024-11-05"


@pytest.fixture
def po(project: Path) -> Path:
    pipeline.sync(Project.load(project))
    path = project / "locales" / "es" / "articles" / "vote.po"
    with pofile.edit(path) as catalog:
        for entry in catalog.active():
            entry.msgstr = f"[es] {entry.msgid}"
    return path


def first(path: Path, index: int = 0) -> pofile.Entry:
    return [e for e in pofile.load(path).active() if e.msgid][index]


def test_approve_entry_when_unchanged(po: Path) -> None:
    entry = first(po)
    assert pipeline.approve_entry(po, entry.key, text_hash(entry), "ed", DATE,
                                  seen_state=ReviewState.TRANSLATED)
    assert entry_state(first(po)) is ReviewState.APPROVED
    # approving again: nothing to do, nothing written
    before = po.read_bytes()
    assert not pipeline.approve_entry(po, entry.key, text_hash(entry), "ed", DATE)
    assert po.read_bytes() == before


def test_a_changed_entry_is_a_conflict_and_nothing_is_written(po: Path) -> None:
    entry = first(po)
    seen = text_hash(entry)
    with pofile.edit(po) as catalog:
        catalog.index()[entry.key].msgstr = "changed by a translator"
    before = po.read_bytes()
    for decide in (
        lambda: pipeline.approve_entry(po, entry.key, seen, "ed", DATE),
        lambda: pipeline.reject_entry(po, entry.key, seen, "ed", DATE, "why"),
        lambda: pipeline.edit_entry(po, entry.key, seen, ["mine"]),
    ):
        with pytest.raises(ConflictError) as caught:
            decide()
        assert caught.value.keys == (entry.key,)
    assert po.read_bytes() == before
    with pytest.raises(ConflictError, match="no longer"):
        pipeline.approve_entry(po, ("title", "gone"), seen, "ed", DATE)


def test_a_changed_state_is_a_conflict_when_given(po: Path) -> None:
    entry = first(po)
    pipeline.reject_entry(po, entry.key, text_hash(entry), "other", DATE, "no")
    with pytest.raises(ConflictError):
        pipeline.edit_entry(po, entry.key, text_hash(entry), ["mine"],
                            seen_state=ReviewState.TRANSLATED)


def test_edit_entry_makes_a_draft_translated(po: Path) -> None:
    with pofile.edit(po) as catalog:
        entry = [e for e in catalog.active() if e.msgid][1]
        entry.flags.insert(0, "fuzzy")
        entry.previous_msgid = "old source"
        set_provenance(entry, Provenance("mt", "libre", DATE, "0" * 12))
        reject(entry, "ed", DATE, "wrong")
    entry = first(po, 1)
    assert pipeline.edit_entry(po, entry.key, text_hash(entry), ["nuevo\r\ntexto"],
                               seen_state=ReviewState.REJECTED)
    edited = first(po, 1)
    assert edited.msgstr == "nuevo\ntexto" and edited.flags == []
    assert edited.previous_msgid is None
    assert "locflow-rejected" not in edited.tcomment
    assert provenance(edited) is not None
    assert entry_state(edited) is ReviewState.TRANSLATED


def test_approve_entries_is_all_or_nothing(po: Path) -> None:
    shown = {e.key: text_hash(e) for e in pofile.load(po).active() if e.msgid}
    with pofile.edit(po) as catalog:
        [e for e in catalog.active() if e.msgid][2].msgstr = "changed"
    before = po.read_bytes()
    with pytest.raises(ConflictError) as caught:
        pipeline.approve_entries(po, shown, "ed", DATE)
    assert len(caught.value.keys) == 1 and po.read_bytes() == before
    shown = {e.key: text_hash(e) for e in pofile.load(po).active() if e.msgid}
    with pofile.edit(po) as catalog:  # someone approved one meanwhile: skipped, no conflict
        approve(next(e for e in catalog.active() if e.msgid), "other", DATE)
    result = pipeline.approve_entries(po, shown, "ed", DATE)
    # entry 2's "changed" drops the source's numbers: the gate skips it
    assert (result.changed, result.skipped, result.skipped_states) == (
        3, 2, {"approved": 1, pipeline.FAILING_CHECKS: 1})


def test_set_translation_rules() -> None:
    from locflow.catalog.pofile import Entry

    entry = Entry(msgid="one", msgstr="uno")
    approve(entry, "ed", DATE)
    assert not set_translation(entry, ["uno"])  # same text: the approval stays
    assert entry_state(entry) is ReviewState.APPROVED
    with pytest.raises(InputError, match="empty"):
        set_translation(entry, [" "])
    with pytest.raises(InputError, match="1 translation"):
        set_translation(entry, ["a", "b"])
    plural = Entry(msgid="a day", msgid_plural="%d days", msgstr_plural={0: "", 1: ""})
    assert set_translation(plural, ["un día", "%d días"])
    assert plural.msgstr_plural == {0: "un día", 1: "%d días"}
    with pytest.raises(InputError, match="2 translations"):
        set_translation(plural, ["un día"])


def test_the_desk_cannot_approve_an_entry_a_check_fails(po: Path) -> None:
    """The publishing gate holds for one-entry decisions too: 7-2 turned into 8-1."""
    with pofile.edit(po) as catalog:
        entry = next(e for e in catalog.active() if "7-2" in e.msgid)
        entry.msgstr = entry.msgstr.replace("7-2", "8-1")
    entry = next(e for e in pofile.load(po).active() if "7-2" in e.msgid)
    before = po.read_bytes()
    assert not pipeline.approve_entry(po, entry.key, text_hash(entry), "ed", DATE)
    result = pipeline.approve_entries(po, {entry.key: text_hash(entry)}, "ed", DATE)
    assert result.changed == 0 and result.skipped_states == {pipeline.FAILING_CHECKS: 1}
    assert [c.checks for c in result.failing] == [["numbers"]]
    assert po.read_bytes() == before
