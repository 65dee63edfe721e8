"""The publishing gate (pure)."""

from __future__ import annotations

import pytest

from locflow.model import ReviewState, Segment
from locflow.publish.gate import EntryView, GateResult, Policy, evaluate

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


# -- the policy in the build's cache key, reasons, percentages (mutation testing) ----

def test_the_policy_is_part_of_the_builds_cache_key() -> None:
    """The builder digests ``as_dict()`` into each gate decision's key: a changed policy
    must give another key, so no decision made under the old one is reused."""
    assert Policy().as_dict() == {"publish": "approved", "min_percent": 100.0}
    assert Policy("translated", 50).as_dict() == {"publish": "translated", "min_percent": 50}
    keys = {repr(sorted(p.as_dict().items())) for p in (
        Policy(), Policy("translated"), Policy(min_percent=50), Policy("translated", 50))}
    assert len(keys) == 4


def test_the_reason_under_publish_translated_leaves_out_text_awaiting_review() -> None:
    """Under ``publish = "translated"`` text awaiting review passes: the reason a version
    is held back lists only what does not."""
    result = evaluate(SEGMENTS, entries(T, T, U, F), Policy("translated"))
    assert not result.published and result.translations == {}
    assert result.reason == ("2 of 4 entries approved or translated (50%, needs 100%): "
                             "1 untranslated, 1 fuzzy")
    assert result.counts == {"translated": 2, "untranslated": 1, "fuzzy": 1}
    nothing = evaluate(SEGMENTS, entries(U, U, R, F), Policy("translated", 0))
    assert nothing.reason == ("nothing approved or translated yet (2 untranslated, 1 fuzzy, "
                              "1 rejected)")
    approved = evaluate(SEGMENTS, entries(A, T, U, U), Policy("approved", 0))
    assert approved.published  # the approved one passes; min_percent 0
    assert approved.fallbacks == ((None, "The council voted."), (None, "Roads get the most."),
                                  (None, "The mayor spoke."))


def test_percentages_in_summaries_and_reasons() -> None:
    three = SEGMENTS[:3]
    views = {(s.context, s.msgid): EntryView(f"<{s.msgid}>", st)
             for s, st in zip(three, (A, A, T), strict=True)}
    held = evaluate(three, views, Policy())
    assert held.percent == pytest.approx(200 / 3)
    assert held.summary()["percent"] == 66.7
    assert held.reason == "2 of 3 entries approved (66.7%, needs 100%): 1 awaiting review"
    fraction = evaluate(three, views, Policy(min_percent=66.8))
    assert fraction.reason == "2 of 3 entries approved (66.7%, needs 66.8%): 1 awaiting review"
    passed = evaluate(three, views, Policy(min_percent=66.6))
    assert passed.published and passed.summary()["percent"] == 66.7
    assert passed.summary()["fallbacks"] == 1 and passed.summary()["published_entries"] == 2


def test_an_article_without_segments_is_published_at_100_percent() -> None:
    result = evaluate([], {}, Policy())
    assert result.published and result.reason is None
    assert result.percent == 100.0
    assert result.summary() == {"entries": 0, "published_entries": 0, "percent": 100.0,
                                "states": {}, "fallbacks": 0}
    assert evaluate([], None, Policy()).reason == "no catalog (run `locflow sync`)"


def test_results_compare_and_show_without_their_translations() -> None:
    """Two decisions on the same states are equal, whatever the texts; a result's repr
    does not print the translations (they can be long, and are not the decision)."""
    first = evaluate(SEGMENTS, entries(A, A, A, A), Policy())
    other = {key: EntryView(view.msgstr + " (2)", view.state)
             for key, view in entries(A, A, A, A).items()}
    second = evaluate(SEGMENTS, other, Policy())
    assert first.translations != second.translations
    assert first == second
    assert "<The mayor spoke.>" not in repr(first)


def test_a_result_made_directly_has_no_failing_checks() -> None:
    result = GateResult(True, None, 2, 2, {"approved": 2})
    assert result.failing_entries == 0 and result.failing == {}
    assert "failing_checks" not in result.summary()


def test_every_failing_check_is_counted_per_entry() -> None:
    views = entries(A, A, A, T)
    for segment, checks in ((SEGMENTS[1], ("numbers", "urls")), (SEGMENTS[2], ("numbers",))):
        key = (segment.context, segment.msgid)
        views[key] = EntryView(views[key].msgstr, A, checks)
    result = evaluate(SEGMENTS, views, Policy("translated", 25))
    assert result.published
    assert result.failing == {"numbers": 2, "urls": 1} and result.failing_entries == 2
    assert result.summary()["failing_checks"] == {"entries": 2,
                                                  "checks": {"numbers": 2, "urls": 1}}
    held = evaluate(SEGMENTS, views, Policy("translated"))
    assert held.reason == ("2 of 4 entries publishable (50%, needs 100%): 2 failing "
                           "error-level checks (numbers, urls; see `locflow check`)")
