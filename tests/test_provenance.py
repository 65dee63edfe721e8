"""Provenance comments of drafts: format, parse, replace."""

from __future__ import annotations

import polib

from locflow.provenance import (
    Provenance,
    is_unreviewed_draft,
    parse,
    provenance,
    set_provenance,
    source_hash,
)


def test_round_trip_of_every_field() -> None:
    draft = Provenance("memory", "vote", "2026-11-29", source_hash("title", "Hi"), 87,
                       ("sentences 1,3/4", "structure-changed"))
    assert parse(draft.comment()) == draft
    mt = Provenance("mt", "libre", "2026-11-29", source_hash(None, "Hi"))
    assert parse(mt.comment()) == mt


def test_other_comments_are_not_provenance() -> None:
    assert parse("locflow-draft: mt") is None
    assert parse("locflow-draft: ai gpt 2026-11-29 (3f2a9c1b7d0e)") is None
    assert parse("locflow-approved: 2026-11-29 ed (3f2a9c1b7d0e)") is None


def test_set_replaces_only_the_provenance_line() -> None:
    entry = polib.POEntry(msgid="Hi", msgstr="Hola", tcomment="keep me", flags=["fuzzy"])
    first = Provenance("mt", "libre", "2026-11-28", source_hash(None, "Hi"))
    second = Provenance("memory", "vote", "2026-11-29", source_hash(None, "Hi"), 80)
    set_provenance(entry, first)
    set_provenance(entry, second)
    assert entry.tcomment == "keep me\n" + second.comment()
    assert provenance(entry) == second
    assert is_unreviewed_draft(entry)
    entry.flags.remove("fuzzy")
    assert not is_unreviewed_draft(entry)
    set_provenance(entry, None)
    assert entry.tcomment == "keep me"


def test_source_hash_separates_context() -> None:
    assert source_hash("title", "Hi") != source_hash(None, "Hi")
    assert source_hash(None, "a", "b") != source_hash(None, "a\x00b")
