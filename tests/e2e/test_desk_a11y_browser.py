"""The review desk against axe-core (WCAG 2.1 A and AA) in Chromium, and on a phone's screen.

Every kind of desk page an editor meets: the dashboard (before and after giving a name),
a review page in Spanish and in Chinese, the conflict page (409), and the error pages (an
unknown address, an unknown catalog, a stale form: 404, 404, 403). A serious or critical
violation fails the test; all of them are reported (``pytest -s`` prints the report of
a passing run too). At 375 px no page scrolls sideways.

Run as a script for the report alone::

    PYTHONPATH=src python -m tests.e2e.test_desk_a11y_browser
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from locflow.catalog import pofile
from tests.e2e.axe_helpers import (
    axe_source,
    blocking,
    chromium_page,
    report,
    run_axe,
    sideways_scroll,
)
from tests.e2e.test_build_browser import REPO
from tests.e2e.test_serve_browser import give_name, needs_browser
from tests.serve.desk_helpers import SEED_SLUG, living, newsroom, running_desk

needs_axe = pytest.mark.skipif(axe_source() is None,
                               reason="needs axe-core: pip install -e .[test]")

REVIEW_ES = f"/review/es/{SEED_SLUG}"
REVIEW_ZH = f"/review/zh_Hans/{SEED_SLUG}"
PO_ES = Path("locales") / "es" / "articles" / f"{SEED_SLUG}.po"


def stale_form(page: Any, url: str) -> None:
    """Post an approval whose token is out of date (the desk restarted meanwhile): 403."""
    page.goto(url + REVIEW_ES)
    page.evaluate("document.querySelectorAll('input[name=csrf]')"
                  ".forEach(field => { field.value = 'from-an-earlier-run'; })")
    with page.expect_navigation():
        page.click("#e1 .approve-form button")


def edit_conflict(page: Any, url: str, root: Path) -> None:
    """Edit entry 1 while a translator saves it in their PO editor: 409."""
    page.goto(url + REVIEW_ES)
    page.click("#e1 .edit-box summary")
    page.fill("#e1 textarea[name=msgstr]", "Mi versión del resumen, escrita en el desk.")
    with pofile.edit(root / PO_ES) as catalog:
        body = [e for e in catalog.active() if e.msgid]
        body[1].msgstr += " Una frase que añadió el traductor."
    with page.expect_navigation():
        page.click("#e1 .edit-box button[type=submit]")


def desk_pages(root: Path, url: str, page: Any) -> Iterator[str]:
    """Open each kind of desk page in *page* in turn; yield its name while it is open."""
    page.goto(url + "/")
    yield "dashboard, no reviewer named yet"
    give_name(page, "desk-editor")
    page.goto(url + "/")
    yield "dashboard"
    for name, path in (("review page, Spanish", REVIEW_ES),
                       ("review page, Chinese", REVIEW_ZH),
                       ("error page: unknown address (404)", "/no/such/page"),
                       ("error page: unknown catalog (404)", "/review/es/no-such-article")):
        page.goto(url + path)
        yield name
    stale_form(page, url)
    yield "error page: stale form (403)"
    edit_conflict(page, url, root)
    yield "conflict page (409)"


def example_in_newsroom(root: Path) -> Path:
    for name in ("content", "locales", "glossary", "templates"):
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "locflow.toml", root / "locflow.toml")
    newsroom(root)
    return root


def over_desk_pages(root: Path, check: Callable[[str, Any], None], width: int = 1360
                    ) -> None:
    with running_desk(root) as url, chromium_page(width, 900) as page:
        for name in desk_pages(root, url, page):
            check(name, page)


@needs_browser
@needs_axe
def test_desk_pages_have_no_serious_accessibility_violation(
        example_project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1730764800")
    newsroom(example_project)
    found: dict[str, list[dict[str, Any]]] = {}
    titles: dict[str, str] = {}

    def check(name: str, page: Any) -> None:
        found[name] = run_axe(page)
        titles[name] = page.title()

    over_desk_pages(example_project, check)
    text = "\n".join(report(name, violations) for name, violations in found.items())
    print(text)
    assert len(found) == 8, list(found)
    assert not [name for name, violations in found.items() if blocking(violations)], text
    # each error page says what it is in its title, not only a number
    assert titles["error page: unknown address (404)"] == "Not found (404) · locflow desk"
    assert titles["error page: stale form (403)"].startswith("Not done: the form is out of date")


@needs_browser
def test_no_desk_page_scrolls_sideways_on_a_phone(example_project: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """At 375 px (a phone) every page reflows: nothing is cut off or needs sideways
    scrolling, the dashboard's table included."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1730764800")
    newsroom(example_project)
    wide: dict[str, int] = {}

    def check(name: str, page: Any) -> None:
        assert page.evaluate("window.innerWidth") == 375
        wide[name] = sideways_scroll(page)
        if name == "review page, Spanish":  # with a reject box open too
            page.click("#e1 .reject-box summary")
            wide[name + ", reject box open"] = sideways_scroll(page)

    over_desk_pages(example_project, check, width=375)
    assert len(wide) == 9, wide
    assert not {name: px for name, px in wide.items() if px}, wide


@needs_browser
@needs_axe
def test_a_page_behind_its_english_at_the_desk(project: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """The dashboard's "Behind the English" table and a review page with a correction
    draft (its word diffs side by side): no serious violation, no sideways scroll."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1730764800")
    living(project)
    found: dict[str, list[dict[str, Any]]] = {}
    wide: dict[str, int] = {}
    with running_desk(project) as url, chromium_page() as page:
        page.goto(url + "/")
        give_name(page, "desk-editor")
        for width in (1360, 375):
            page.set_viewport_size({"width": width, "height": 900})
            for name, path in (("dashboard", "/"), ("review page", "/review/es/vote")):
                page.goto(url + path)
                if name == "dashboard":
                    assert page.locator("section.behind tbody tr").count() == 1
                else:
                    assert page.locator(".correction-pair").count() == 1
                found[f"{name} at {width} px"] = run_axe(page)
                wide[f"{name} at {width} px"] = sideways_scroll(page)
    text = "\n".join(report(name, violations) for name, violations in found.items())
    print(text)
    assert not [name for name, violations in found.items() if blocking(violations)], text
    assert not {name: px for name, px in wide.items() if px}, wide


def main() -> int:
    """Print the axe report of every desk page (the example, as an editor finds it)."""
    with tempfile.TemporaryDirectory() as folder:
        root = example_in_newsroom(Path(folder))
        over_desk_pages(root, lambda name, page: print(report(name, run_axe(page))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
