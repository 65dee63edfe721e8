"""The review desk in a real browser: Playwright driving Debian's Chromium against a desk
served by uvicorn on 127.0.0.1. An editor names themself, opens the dashboard, approves an
entry, rejects another with a reason and edits a third, with the keyboard, and the PO file
says so afterwards; after an English correction, they approve the correction draft in one
step.

Run as a script to refresh the README's screenshots of the desk::

    PYTHONPATH=src python -m tests.e2e.test_serve_browser docs/
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from locflow.model import ReviewState
from locflow.review import approval, entry_state, rejection
from tests.e2e.test_build_browser import FLAGS, REPO, chromium
from tests.serve.desk_helpers import (
    CORRECTED,
    SEED_SLUG,
    entries,
    living,
    newsroom,
    running_desk,
)

try:
    from playwright.sync_api import sync_playwright
except ImportError:  # pragma: no cover - the test extra installs it
    sync_playwright = None  # type: ignore[assignment]

needs_browser = pytest.mark.skipif(
    chromium() is None or sync_playwright is None,
    reason="needs Chromium (Debian: apt-get install chromium) and Playwright "
           "(pip install playwright)")

VIEWPORT = {"width": 1360, "height": 1000}
REVIEW = f"/review/es/{SEED_SLUG}"


@contextmanager
def browser_page(url: str) -> Iterator[Any]:
    """A fresh Chromium page; no network but the desk's own address."""
    assert sync_playwright is not None
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium(), args=FLAGS)
        try:
            page = browser.new_page(viewport=VIEWPORT)
            page.set_default_timeout(15_000)
            errors: list[str] = []
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(url + "/")
            yield page
            assert not errors, errors  # a CSP violation or a script error shows up here
        finally:
            browser.close()


def give_name(page: Any, name: str) -> None:
    page.fill(".ask-name input[name=name]", name)
    page.click(".ask-name button")
    page.wait_for_url("**done=named")


def is_png(path: Path) -> bool:
    return path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and path.stat().st_size > 20_000


@needs_browser
def test_an_editor_reviews_an_article_in_the_browser(example_project: Path, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1730764800")
    newsroom(example_project)
    po = example_project / "locales" / "es" / "articles" / f"{SEED_SLUG}.po"
    edited = "Recientemente, la noticia de que Corea del Norte envió tropas a Rusia ha suscitado " \
             "una amplia atención internacional, y reviste especial importancia para Pekín."
    with running_desk(example_project) as url, browser_page(url) as page:
        # the name is asked once, then kept
        give_name(page, "desk-editor")
        assert page.inner_text(".reviewer-name") == "desk-editor"
        assert page.locator(".ask-name").count() == 0
        # the dashboard: the Spanish version needs attention first
        first = page.locator("td.article a").first
        assert first.get_attribute("href") == REVIEW
        page.screenshot(path=str(tmp_path / "dashboard.png"))
        first.click()
        page.wait_for_url(f"**{REVIEW}")
        page.screenshot(path=str(tmp_path / "review.png"))

        # approve the summary (entry 1, awaiting review): j j a
        page.keyboard.press("j")
        page.keyboard.press("j")
        assert page.get_attribute("#e1", "class") == "entry s-translated current"
        page.keyboard.press("a")
        page.wait_for_url("**done=approved**")
        assert "current" in (page.get_attribute("#e2", "class") or "")  # moved on

        # reject entry 3 (the stray double space) with a reason: r, type, Ctrl+Enter
        page.click("#e3 .meta")
        page.keyboard.press("r")
        page.keyboard.type("two spaces after «Zhao Tong,»")
        page.keyboard.press("Control+Enter")
        page.wait_for_url("**done=rejected**")

        # edit entry 2 (fuzzy: its source changed): e, rewrite, Ctrl+Enter
        page.click("#e2 .meta")
        page.keyboard.press("e")
        page.fill("#e2 textarea[name=msgstr]", edited)
        page.keyboard.press("Control+Enter")
        page.wait_for_url("**done=edited**")
        assert page.get_attribute("#e2", "class") == "entry s-translated current"

    body = entries(po)
    assert entry_state(body[1]) is ReviewState.APPROVED
    found = approval(body[1])
    assert found is not None and (found.reviewer, found.date) == ("desk-editor", "2024-11-05")
    assert entry_state(body[3]) is ReviewState.REJECTED
    reason = rejection(body[3])
    assert reason is not None and reason.reason == "two spaces after «Zhao Tong,»"
    assert body[2].msgstr == edited and "fuzzy" not in body[2].flags
    assert entry_state(body[2]) is ReviewState.TRANSLATED
    assert is_png(tmp_path / "dashboard.png") and is_png(tmp_path / "review.png")


@needs_browser
def test_an_editor_approves_a_correction_in_one_step(project: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """The English is corrected after the Spanish was approved (7-2 → 8-1): sync drafts
    the correction; the editor sees it as one, the change highlighted, and approves it."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1730764800")
    po = living(project)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1731283200")  # 2024-11-11
    corrected = "El concejo municipal votó 8 a 1 el martes para aprobar el presupuesto."
    with running_desk(project) as url, browser_page(url) as page:
        give_name(page, "desk-editor")
        # the dashboard says the Spanish page is behind, and that a correction awaits
        behind = page.locator("section.behind tbody tr").first
        assert behind.locator("a").get_attribute("href") == "/review/es/vote"
        assert "5 days" in behind.inner_text()
        behind.locator("a").click()
        page.wait_for_url("**/review/es/vote")
        entry = page.locator("#e2")
        assert entry.locator(".correction-label").inner_text() == "correction: 7→8, 2→1"
        # the English change and the approved text beside the corrected draft, word by word
        assert entry.locator(".diff del").all_inner_texts() == ["7", "2"]
        assert entry.locator(".diff ins").all_inner_texts() == ["8", "1"]
        assert entry.locator(".correction-pair .was del").all_inner_texts() == ["7", "2"]
        assert entry.locator(".correction-pair .now ins").all_inner_texts() == ["8", "1"]
        assert "Published now" in entry.locator(".correction-pair .was").inner_text()
        # the outdated entry shows what the published page shows
        assert "Published now" in page.locator("#e4 .published-now").inner_text()
        entry.get_by_role("button", name="Approve correction").click()
        page.wait_for_url("**done=approved-correction**")
        assert page.locator(".flash").inner_text() == "Correction approved."
        assert page.locator("#e2 .correction-label").count() == 0
        assert page.locator("#e2 .badge").first.inner_text().lower() == "approved"

    [entry] = [e for e in entries(po) if e.msgid == CORRECTED]
    assert entry.msgstr == corrected and "fuzzy" not in entry.flags
    assert entry_state(entry) is ReviewState.APPROVED
    found = approval(entry)
    assert found is not None and (found.reviewer, found.date) == ("desk-editor", "2024-11-11")
    assert "locflow-previous" not in entry.tcomment


def screenshots(root: Path, out: Path) -> list[Path]:
    """Screenshots of the desk on *root* (the example in its newsroom state) into *out*."""
    dashboard, review = out / "desk-dashboard.png", out / "desk-review.png"
    with running_desk(root) as url, browser_page(url) as page:
        give_name(page, "desk-editor")
        page.goto(url + "/")
        page.set_viewport_size({"width": 1360, "height": 700})  # one article: no empty space
        page.screenshot(path=str(dashboard))
        page.set_viewport_size(VIEWPORT)
        page.goto(url + REVIEW)
        page.keyboard.press("j")
        page.keyboard.press("j")
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=str(review))
    return [dashboard, review]


def main(argv: list[str]) -> int:
    """Refresh docs/desk-dashboard.png and docs/desk-review.png from the bundled example."""
    out = Path(argv[0] if argv else "docs").resolve()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "example"
        root.mkdir()
        for name in ("content", "locales", "templates", "glossary"):
            if (REPO / name).is_dir():
                shutil.copytree(REPO / name, root / name)
        shutil.copy(REPO / "locflow.toml", root / "locflow.toml")
        newsroom(root)
        for path in screenshots(root, out):
            print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
