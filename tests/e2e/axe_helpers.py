"""axe-core (WCAG 2.1 A and AA) in the Chromium the browser tests drive.

axe-core comes from PyPI, bundled in ``axe-playwright-python`` (the ``test`` extra pins
it: the rules, and so the results, change only when the pin does). The script is put
into the page with Playwright's ``evaluate``, which a page's Content-Security-Policy does
not stop (the desk allows no inline script), and run over the whole document.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from importlib import resources
from typing import Any

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = ("serious", "critical")
IMPACTS = ("critical", "serious", "moderate", "minor")


@cache
def axe_source() -> str | None:
    """The text of ``axe.min.js``, or None when the package is not installed."""
    try:
        files = resources.files("axe_playwright_python")
    except ModuleNotFoundError:
        return None
    return (files / "axe.min.js").read_text(encoding="utf-8")


def run_axe(page: Any) -> list[dict[str, Any]]:
    """The WCAG 2.1 A/AA violations axe finds on the document open in *page*."""
    source = axe_source()
    assert source is not None, "axe-playwright-python is not installed (pip install -e .[test])"
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(source)
    options = {"runOnly": {"type": "tag", "values": WCAG_21_AA}, "resultTypes": ["violations"],
               "iframes": False}
    results: dict[str, Any] = page.evaluate(
        f"axe.run(document, {json.dumps(options)})")
    violations: list[dict[str, Any]] = results["violations"]
    return violations


def by_impact(violations: list[dict[str, Any]]) -> dict[str, int]:
    """How many violations (rules broken) of each impact."""
    counts = dict.fromkeys(IMPACTS, 0)
    for violation in violations:
        counts[violation.get("impact") or "minor"] += 1
    return {impact: n for impact, n in counts.items() if n}


def report(name: str, violations: list[dict[str, Any]], limit: int = 5) -> str:
    """The violations on page *name*, one rule a paragraph, its first elements listed."""
    if not violations:
        return f"{name}: no violation"
    lines = [f"{name}: {len(violations)} rule(s) broken {by_impact(violations)}"]
    for violation in violations:
        nodes = violation["nodes"]
        lines.append(f"  [{violation.get('impact')}] {violation['id']}: {violation['help']} "
                     f"({len(nodes)} element(s)) {violation.get('helpUrl', '')}")
        for node in nodes[:limit]:
            target = " ".join(str(t) for t in node.get("target", []))
            summary = " ".join((node.get("failureSummary") or "").split())
            lines.append(f"      {target}: {summary[:300]}")
        if len(nodes) > limit:
            lines.append(f"      … and {len(nodes) - limit} more")
    return "\n".join(lines)


def blocking(violations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The serious and critical ones: what the suite fails on."""
    return [v for v in violations if v.get("impact") in BLOCKING]


@contextmanager
def chromium_page(width: int = 1360, height: int = 1000) -> Iterator[Any]:
    """A fresh Chromium page (Debian's, as the other browser tests drive). Script errors
    and Content-Security-Policy violations fail the test; a page answered with an error
    status (the desk's 403, 404 and 409 pages are tested on purpose) does not."""
    from playwright.sync_api import sync_playwright

    from tests.e2e.test_build_browser import FLAGS, chromium

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium(), args=FLAGS)
        try:
            page = browser.new_page(viewport={"width": width, "height": height})
            page.set_default_timeout(15_000)
            errors: list[str] = []
            page.on("console", lambda m: errors.append(m.text) if m.type == "error"
                    and "Failed to load resource" not in m.text else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            yield page
            assert not errors, errors
        finally:
            browser.close()


def sideways_scroll(page: Any) -> int:
    """How far the document scrolls sideways, in CSS pixels (0: it fits the window)."""
    width: int = page.evaluate(
        "document.documentElement.scrollWidth - window.innerWidth")
    return max(0, width)
