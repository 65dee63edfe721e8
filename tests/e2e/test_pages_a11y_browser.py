"""The published pages of the bundled example against axe-core (WCAG 2.1 A and AA), in
Chromium: every article and index page, in every language ``locflow build --out`` writes.
A serious or critical violation fails the test; all of them are reported."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Invoke
from tests.e2e.axe_helpers import axe_source, blocking, chromium_page, report, run_axe
from tests.e2e.test_serve_browser import needs_browser

needs_axe = pytest.mark.skipif(axe_source() is None,
                               reason="needs axe-core: pip install -e .[test]")


@needs_browser
@needs_axe
def test_published_pages_have_no_serious_accessibility_violation(
        example_project: Path, locflow: Invoke, tmp_path: Path) -> None:
    out = tmp_path / "site"
    locflow("build", "--out", str(out), ok=True, root=example_project)
    pages = sorted(out.rglob("*.html"))
    languages = {page.relative_to(out).parts[0] for page in pages}
    assert {"en", "es", "zh-Hans", "zh-Hant"} <= languages, languages
    found: dict[str, list[dict[str, Any]]] = {}
    with chromium_page() as browser:
        for page in pages:
            browser.goto(page.as_uri())
            found[str(page.relative_to(out))] = run_axe(browser)
    text = "\n".join(report(name, violations) for name, violations in found.items())
    print(text)
    assert not [name for name, violations in found.items() if blocking(violations)], text
