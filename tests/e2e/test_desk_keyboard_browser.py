"""The review desk by keyboard, in Chromium: a key acts on the entry that holds focus, never
on another one off-screen; the shortcuts can be turned off; a key that cannot apply says
so; the dashboard's filters apply when asked, not while the editor arrows through them."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from locflow.model import ReviewState
from locflow.review import approval, entry_state
from tests.e2e.axe_helpers import chromium_page
from tests.e2e.test_serve_browser import give_name, needs_browser
from tests.serve.desk_helpers import SEED_SLUG, entries, newsroom, running_desk

REVIEW_ZH = f"/review/zh_Hans/{SEED_SLUG}"  # entries 5, 6 and 7 await review
REVIEW_ES = f"/review/es/{SEED_SLUG}"  # entry 1 awaits review, entry 0 is approved


@contextmanager
def desk_page(root: Path, name: str = "desk-editor") -> Iterator[tuple[str, Any]]:
    """The desk on *root* open in Chromium, the reviewer named (if *name*)."""
    with running_desk(root) as url, chromium_page() as page:
        page.goto(url + "/")
        if name:
            give_name(page, name)
        yield url, page


def states(po: Path) -> list[ReviewState]:
    return [entry_state(e) for e in entries(po)]


def status_text(page: Any) -> str:
    return str(page.inner_text("#key-status")).strip()


@pytest.fixture
def newsroom_example(example_project: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1730764800")
    newsroom(example_project)
    return example_project


@needs_browser
def test_a_key_acts_on_the_entry_that_holds_focus(newsroom_example: Path) -> None:
    """j selects entry 5; Tab reaches entry 7's Approve button; `a` approves entry 7, and
    entries 5 and 6 stay as they were in the PO file."""
    po = newsroom_example / "locales" / "zh_Hans" / "articles" / f"{SEED_SLUG}.po"
    before = states(po)
    assert before[5:8] == [ReviewState.TRANSLATED] * 3
    with desk_page(newsroom_example) as (url, page):
        page.goto(url + REVIEW_ZH)
        for _ in range(6):
            page.keyboard.press("j")
        assert "current" in (page.get_attribute("#e5", "class") or "")
        target = page.locator("#e7 .approve-form button")
        for _ in range(40):  # Tab, Tab, …: through entries 5 and 6, to entry 7's Approve
            page.keyboard.press("Tab")
            if target.evaluate("button => button === document.activeElement"):
                break
        else:
            pytest.fail("Tab never reached entry 7's Approve button")
        # the highlight follows focus: the entry a key acts on is the one shown
        assert "current" in (page.get_attribute("#e7", "class") or "")
        assert "current" not in (page.get_attribute("#e5", "class") or "")
        page.keyboard.press("a")
        page.wait_for_url("**done=approved**")
    after = states(po)
    assert after[7] is ReviewState.APPROVED
    assert after[:7] == before[:7] and after[8:] == before[8:]
    found = approval(entries(po)[7])
    assert found is not None and found.reviewer == "desk-editor"


@needs_browser
def test_a_key_brings_the_selected_entry_into_view_before_approving(newsroom_example: Path
                                                                    ) -> None:
    """Focus on no entry and the selected one off-screen: the first `a` shows it and says
    so; nothing is written until the editor presses `a` again, looking at it."""
    po = newsroom_example / "locales" / "es" / "articles" / f"{SEED_SLUG}.po"
    before = po.read_bytes()
    with desk_page(newsroom_example) as (url, page):
        page.goto(url + REVIEW_ES)
        page.keyboard.press("j")
        page.keyboard.press("j")  # entry 1, awaiting review
        page.focus("#shortcuts-on")  # focus outside every entry
        page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
        assert not page.locator("#e1").evaluate(
            "e => e.getBoundingClientRect().bottom > 0 && "
            "e.getBoundingClientRect().top < window.innerHeight")
        page.keyboard.press("a")
        assert "press a again" in status_text(page)
        assert page.locator("#e1").evaluate("e => e === document.activeElement")
        assert po.read_bytes() == before
        page.keyboard.press("a")
        page.wait_for_url("**done=approved**")
    assert states(po)[1] is ReviewState.APPROVED


@needs_browser
def test_a_key_that_cannot_apply_says_so(newsroom_example: Path) -> None:
    po = newsroom_example / "locales" / "es" / "articles" / f"{SEED_SLUG}.po"
    before = po.read_bytes()
    with desk_page(newsroom_example) as (url, page):
        page.goto(url + REVIEW_ES)
        status = page.locator("#key-status")
        assert status.get_attribute("aria-live") == "polite"
        page.keyboard.press("a")  # nothing selected, nothing focused
        assert "No entry selected" in status_text(page)
        page.click("#e0 .meta")  # an approved entry
        page.keyboard.press("a")
        assert "Nothing to approve here" in status_text(page)
        assert "approved" in status_text(page)
        page.keyboard.press("k")
        assert "first entry" in status_text(page)
        assert page.url.endswith("#e0")
        assert po.read_bytes() == before


@needs_browser
def test_the_shortcuts_can_be_turned_off_and_stay_off(newsroom_example: Path) -> None:
    po = newsroom_example / "locales" / "es" / "articles" / f"{SEED_SLUG}.po"
    before = po.read_bytes()
    with desk_page(newsroom_example) as (url, page):
        page.goto(url + REVIEW_ES)
        toggle = page.get_by_label("Keyboard shortcuts")
        assert toggle.is_visible() and toggle.is_checked()
        toggle.uncheck()
        assert "off" in status_text(page)
        page.focus("#e1 .approve-form button")
        for key in "jkare":
            page.keyboard.press(key)
        assert page.locator("#e1 details[open]").count() == 0
        # remembered in this browser
        page.reload()
        assert not page.get_by_label("Keyboard shortcuts").is_checked()
        page.focus("#e1 .approve-form button")
        page.keyboard.press("a")
        page.wait_for_timeout(300)
        assert page.url.endswith(REVIEW_ES) and po.read_bytes() == before
        # a letter typed in a text field is text, shortcuts on or not
        page.get_by_label("Keyboard shortcuts").check()
        page.click("#e1 .reject-box summary")
        page.wait_for_function("document.activeElement.matches('#e1 .reject-box textarea')")
        page.keyboard.type("a reason, not an approval")
        page.wait_for_timeout(300)
        assert page.input_value("#e1 .reject-box textarea") == "a reason, not an approval"
        assert po.read_bytes() == before


@needs_browser
def test_dashboard_filters_apply_when_asked(newsroom_example: Path) -> None:
    """Arrowing through the State filter changes nothing until Apply (WCAG 3.2.2)."""
    with desk_page(newsroom_example) as (url, page):
        page.goto(url + "/")
        state = page.locator("select[name=state]")
        state.focus()
        page.keyboard.press("ArrowDown")
        page.keyboard.press("ArrowDown")
        page.wait_for_timeout(400)
        assert page.url == url + "/"
        assert state.evaluate("select => select === document.activeElement")
        assert state.input_value() == "fuzzy"
        page.get_by_role("button", name="Apply filters").click()
        page.wait_for_url("**state=fuzzy**")
        assert page.locator("select[name=state]").input_value() == "fuzzy"
