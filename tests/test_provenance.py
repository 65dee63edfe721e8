"""Provenance comments of drafts: format, parse, replace."""

from __future__ import annotations

import polib

from locflow.catalog import pofile
from locflow.provenance import (
    Provenance,
    describes,
    draft_hash,
    is_unreviewed_draft,
    parse,
    provenance,
    set_provenance,
    source_hash,
    text_provenance,
)
from locflow.review import set_translation


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


def _drafted(text: str) -> pofile.Entry:
    """A catalog entry holding a machine draft of *text* that records its ``draft`` note."""
    draft = Provenance("mt", "libre", "2026-11-29", source_hash(None, "Hi"),
                       notes=(f"draft {draft_hash(text)}",))
    data = (f'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
            f"# keep me\n# {draft.comment()}\n#, fuzzy\nmsgid \"Hi\"\nmsgstr \"{text}\"\n")
    return pofile.parse(data.encode("utf-8")).active()[0]


def test_provenance_speaks_only_for_the_text_it_drafted() -> None:
    """Issue 19: a rewritten draft was still called machine translation."""
    entry = _drafted("Hola")
    found = text_provenance(entry)
    assert found is not None and describes(entry, found) and found.kind == "mt"
    assert found.label() == f"mt libre 2026-11-29 ({source_hash(None, 'Hi')})"
    entry.msgstr = "Buenas"  # a translator rewrites it (in Poedit, say)
    assert provenance(entry) == found and text_provenance(entry) is None
    entry.msgstr = "Hola"  # the machine's text again: the label is true again
    assert text_provenance(entry) == found


def test_a_provenance_without_a_draft_note_is_taken_at_its_word() -> None:
    entry = polib.POEntry(msgid="Hi", msgstr="anything", flags=["fuzzy"])
    old = Provenance("memory", "vote", "2026-11-29", source_hash(None, "Hi"), 80)
    set_provenance(entry, old)
    assert text_provenance(entry) == old and describes(entry, old)


def test_a_desk_edit_keeps_the_line_but_the_desk_no_longer_calls_it_a_draft() -> None:
    """Decision: ``set_translation`` keeps the provenance line, as Poedit does (it records
    what was drafted); every reader asks :func:`text_provenance`, which drops it."""
    from locflow.serve.views import entry_view

    entry = _drafted("Hola")
    assert entry_view(1, entry, [], []).provenance is not None
    assert set_translation(entry, ["Hola, ¿qué tal?"])
    assert "locflow-draft: mt libre" in entry.tcomment and "keep me" in entry.tcomment
    assert text_provenance(entry) is None
    assert entry_view(1, entry, [], []).provenance is None
