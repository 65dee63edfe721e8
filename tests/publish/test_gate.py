"""The publishing gate (pure)."""

from __future__ import annotations

import pytest

from locflow.model import ReviewState, Segment
from locflow.publish.gate import EntryView, Policy, evaluate

SEGMENTS = [
    Segment("Council approves the budget", "title", "title"),
    Segment("The council voted.", None, "paragraph"),
    Segment("Roads get the most.", None, "paragraph"),
    Segment("The mayor spoke.", None, "paragraph"),
]
A, T, F, R, U = (ReviewState.APPROVED, ReviewState.TRANSLATED, ReviewState.FUZZY,
                 ReviewState.REJECTED, ReviewState.UNTRANSLATED)


def entries(*states: ReviewState) -> dict[tuple[str | None, str], EntryView]:
    return {(s.context, s.msgid): EntryView("" if st is U else f"<{s.msgid}>", st)
            for s, st in zip(SEGMENTS, states, strict=True)}


def test_all_approved_is_published_with_every_translation() -> None:
    result = evaluate(SEGMENTS, entries(A, A, A, A), Policy())
    assert result.published and result.reason is None
    title = ("title", "Council approves the budget")
    assert result.translations[title] == "<Council approves the budget>"
    assert len(result.translations) == 4 and result.fallbacks == ()
    assert result.summary() == {"entries": 4, "published_entries": 4, "percent": 100.0,
                                "states": {"approved": 4}, "fallbacks": 0}


def test_default_policy_holds_back_anything_short_of_approved() -> None:
    result = evaluate(SEGMENTS, entries(A, A, A, T), Policy())
    assert not result.published
    assert result.reason == "3 of 4 entries approved (75%, needs 100%): 1 awaiting review"
    assert result.translations == {}


@pytest.mark.parametrize("state", [F, R])
def test_fuzzy_and_rejected_are_never_published(state: ReviewState) -> None:
    for policy in (Policy(), Policy("translated"), Policy("translated", 0)):
        result = evaluate(SEGMENTS, entries(A, A, A, state), policy)
        assert (None, "The mayor spoke.") not in result.translations


def test_translated_policy_publishes_text_awaiting_review() -> None:
    result = evaluate(SEGMENTS, entries(A, T, T, T), Policy("translated"))
    assert result.published and len(result.translations) == 4


def test_min_percent_falls_back_per_paragraph() -> None:
    result = evaluate(SEGMENTS, entries(A, A, A, F), Policy("approved", 75))
    assert result.published
    assert result.fallbacks == ((None, "The mayor spoke."),)
    assert result.summary()["fallbacks"] == 1
    held = evaluate(SEGMENTS, entries(A, A, U, F), Policy("approved", 75))
    assert not held.published
    assert held.reason == "2 of 4 entries approved (50%, needs 75%): 1 untranslated, 1 fuzzy"


def test_nothing_publishable_is_held_back_even_at_zero_percent() -> None:
    result = evaluate(SEGMENTS, entries(U, F, R, T), Policy("approved", 0))
    assert not result.published
    assert result.reason == ("nothing approved yet (1 untranslated, 1 fuzzy, 1 rejected, "
                             "1 awaiting review)")


def test_missing_catalog_and_stale_catalog() -> None:
    assert evaluate(SEGMENTS, None, Policy()).reason == "no catalog (run `locflow sync`)"
    stale = entries(A, A, A, A)
    del stale[(None, "Roads get the most.")]
    result = evaluate(SEGMENTS, stale, Policy())
    assert not result.published
    assert "1 not in the catalog (run `locflow sync`)" in (result.reason or "")


def test_empty_msgstr_is_never_published_even_if_marked_approved() -> None:
    bad = entries(A, A, A, A)
    bad[(None, "The mayor spoke.")] = EntryView("", A)
    assert not evaluate(SEGMENTS, bad, Policy()).published


def test_an_entry_failing_an_error_check_is_held_back_whatever_its_state() -> None:
    views = entries(A, A, A, A)
    key = (SEGMENTS[1].context, SEGMENTS[1].msgid)
    views[key] = EntryView(views[key].msgstr, A, ("numbers",))
    result = evaluate(SEGMENTS, views, Policy())
    assert not result.published
    assert result.reason == ("3 of 4 entries publishable (75%, needs 100%): "
                             "1 failing error-level checks (numbers; see `locflow check`)")
    assert result.summary()["failing_checks"] == {"entries": 1, "checks": {"numbers": 1}}
    partial = evaluate(SEGMENTS, views, Policy(min_percent=50))
    assert partial.published and key in partial.fallbacks and key not in partial.translations
