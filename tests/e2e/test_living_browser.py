"""A living page in a real browser: the bundled example, its English corrected after the
Spanish was published, rendered by headless Chromium.

Run as a script to refresh the README's screenshot of a page that is behind::

    PYTHONPATH=src python -m tests.e2e.test_living_browser docs/screenshot-behind-es.png
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from locflow import pipeline
from locflow.config import Project
from locflow.publish import build_site
from tests.e2e.test_build_browser import REPO, SEED_SLUG, chromium, dump_dom, screenshot

OLD_FIRST = "Recently, the news that North Korea sent troops to Russia"
NEW_FIRST = "Recently, the news that North Korea sent thousands of troops to Russia"
ADDED = ("Update: South Korea's intelligence service said on Wednesday that more troops "
         "had arrived in Russia's Kursk region.")


def behind_example(root: Path) -> Path:
    """The example, built, then its English corrected and a paragraph added, synced and
    built again; returns the Spanish page."""
    for name in ("content", "locales"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "locflow.toml", root / "locflow.toml")
    build_site(Project.load(root))
    article = root / "content" / f"{SEED_SLUG}.md"
    text = article.read_text("utf-8")
    assert OLD_FIRST in text and "\ndate: 2024-11-04\n" in text
    text = text.replace(OLD_FIRST, NEW_FIRST, 1).replace(
        "\ndate: 2024-11-04\n", "\ndate: 2024-11-04\nupdated: 2024-11-06\n", 1)
    article.write_text(text.rstrip("\n") + "\n\n" + ADDED + "\n", encoding="utf-8")
    project = Project.load(root)
    pipeline.sync(project)
    build_site(project)
    return root / "dist" / "es" / SEED_SLUG / "index.html"


@pytest.mark.skipif(chromium() is None, reason="headless Chromium is not installed")
def test_a_page_behind_its_english_renders_with_its_notice(tmp_path: Path) -> None:
    from bs4 import BeautifulSoup

    page = behind_example(tmp_path / "site")
    png = tmp_path / "behind.png"
    screenshot(page, png)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    soup = BeautifulSoup(dump_dom(page), "html.parser")
    assert soup.html is not None and soup.html.get("lang") == "es"
    notice = soup.select_one(".outdated-notice")
    assert notice is not None and "6 de noviembre de 2024" in notice.get_text()
    assert "El artículo en inglés se actualizó" in notice.get_text()  # (the example's site.po)
    assert len(soup.select("span.outdated")) == 1
    english = [s for s in soup.select("span.untranslated") if s.get("lang") == "en"]
    assert [s.get_text() for s in english] == [ADDED]


if __name__ == "__main__":
    import tempfile

    target = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshot-behind-es.png")
    with tempfile.TemporaryDirectory() as folder:
        screenshot(behind_example(Path(folder) / "site"), target.resolve())
    print(f"wrote {target}")
