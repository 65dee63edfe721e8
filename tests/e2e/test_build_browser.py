"""The built Chinese page in a real browser (headless Chromium): it renders, every
language-switcher link resolves to a built page, its skip link leads to the main content,
and its head links its language's feeds, which the build wrote.

Run as a script to refresh the README's screenshot of the example project::

    PYTHONPATH=src python -m tests.e2e.test_build_browser docs/screenshot-zh-Hans.png
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

import pytest

from locflow import pipeline
from locflow.config import Project
from locflow.publish import build_site
from tests.publish.build_helpers import fill_project

REPO = Path(__file__).resolve().parents[2]
SEED_SLUG = "kim-jong-un-troops-russia-beijing-concern"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars"]


def chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None


def run_chromium(*args: str) -> subprocess.CompletedProcess[str]:
    browser = chromium()
    assert browser is not None
    with tempfile.TemporaryDirectory(prefix="locflow-chromium-") as profile:
        return subprocess.run([browser, *FLAGS, f"--user-data-dir={profile}", *args],
                              capture_output=True, text=True, timeout=120, check=False)


def screenshot(page: Path, png: Path) -> None:
    png.parent.mkdir(parents=True, exist_ok=True)
    result = run_chromium(f"--screenshot={png}", "--window-size=1200,1600", page.as_uri())
    assert png.is_file(), result.stderr[-2000:]


def dump_dom(page: Path) -> str:
    result = run_chromium("--dump-dom", page.as_uri())
    assert result.returncode == 0 and "<html" in result.stdout, result.stderr[-2000:]
    return result.stdout


class _Links(HTMLParser):
    """Collects the language switcher's links and the document's language."""

    def __init__(self) -> None:
        super().__init__()
        self.lang = ""
        self.switcher: list[dict[str, str | None]] = []
        self.scripts = 0  # that a browser would run (JSON-LD is data)
        self.data_scripts = 0
        self.feeds: dict[str, str] = {}  # type → href of the head's feed links
        self.skip_link = ""
        self.main_id = ""
        self._depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "html":
            self.lang = found.get("lang") or ""
        if tag == "script" and found.get("type") == "application/ld+json":
            self.data_scripts += 1
        elif tag == "script":
            self.scripts += 1
        if tag == "link" and found.get("rel") == "alternate" and found.get("type"):
            self.feeds[found["type"] or ""] = found.get("href") or ""
        if tag == "a" and "skip-link" in (found.get("class") or "").split():
            self.skip_link = found.get("href") or ""
        if tag == "main":
            self.main_id = found.get("id") or ""
        if tag == "nav" and "languages" in (found.get("class") or "").split():
            self._depth = 1
        elif self._depth and tag == "nav":
            self._depth += 1
        elif self._depth and tag == "a":
            self.switcher.append(found)

    def handle_endtag(self, tag: str) -> None:
        if self._depth and tag == "nav":
            self._depth -= 1


def resolve(page: Path, href: str) -> Path:
    """The file a relative link of *page* opens on a static host (a folder → its index.html)."""
    url = urlparse(urljoin(page.as_uri(), href))
    assert url.scheme == "file", href
    target = Path(unquote(url.path))
    return target / "index.html" if url.path.endswith("/") else target


def check_page(page: Path, png: Path, expected_lang: str) -> list[Path]:
    """Screenshot *page*, then check its DOM; return the pages its switcher links to."""
    screenshot(page, png)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 10_000
    links = _Links()
    links.feed(dump_dom(page))
    assert links.lang == expected_lang
    assert links.scripts == 0
    assert links.data_scripts == 1  # the article's schema.org JSON-LD
    # the skip link leads to the main content
    assert links.skip_link == "#" + links.main_id and links.main_id
    # the head links the page's language's feeds, which the build wrote
    dist = page.parents[2]  # <out>/<lang>/<slug>/index.html
    assert set(links.feeds) == {"application/rss+xml", "application/atom+xml"}
    for href in links.feeds.values():
        name = href.rsplit("/", 1)[1]
        assert href.endswith(f"/{expected_lang}/{name}")
        assert (dist / expected_lang / name).is_file(), href
    assert len(links.switcher) >= 2
    targets = []
    for link in links.switcher:
        target = resolve(page, link["href"] or "")
        assert target.is_file(), f"switcher link {link['href']} of {page} resolves to nothing"
        assert f'<html lang="{link["hreflang"]}"' in target.read_text("utf-8")
        targets.append(target)
    return targets


needs_chromium = pytest.mark.skipif(chromium() is None,
                                    reason="headless Chromium is not installed "
                                           "(Debian: apt-get install chromium)")


@needs_chromium
def test_chinese_page_in_chromium(project: Path, tmp_path: Path) -> None:
    pipeline.sync(Project.load(project))
    fill_project(project, "approved")
    build_site(Project.load(project))
    page = project / "dist" / "zh-Hans" / "vote" / "index.html"
    targets = check_page(page, tmp_path / "zh-Hans.png", "zh-Hans")
    assert sorted(t.parent.parent.name for t in targets) == ["en", "es", "zh-Hans"]


@needs_chromium
def test_example_chinese_page_in_chromium(example_project: Path, tmp_path: Path) -> None:
    catalog = example_project / "locales" / "zh_Hans" / "articles" / f"{SEED_SLUG}.po"
    if not catalog.exists():
        pytest.skip("the example has no Chinese translation yet")
    result = build_site(Project.load(example_project))
    held = [h for h in result.held_back if h.tag == "zh-Hans"]
    assert not held, f"the example's Chinese version is held back: {held[0].reason}"
    page = example_project / "dist" / "zh-Hans" / SEED_SLUG / "index.html"
    check_page(page, tmp_path / "example-zh-Hans.png", "zh-Hans")


def main(argv: list[str]) -> int:
    """Build the repository's example into a temporary folder and screenshot one of its
    pages: ``[OUT.png [TAG]]``, the Simplified Chinese page by default (``zh-Hant``: the
    Traditional one)."""
    out = Path(argv[0] if argv else "docs/screenshot-zh-Hans.png").resolve()
    tag = argv[1] if len(argv) > 1 else "zh-Hans"
    with tempfile.TemporaryDirectory() as tmp:
        dist = Path(tmp) / "dist"
        build_site(Project.load(REPO), out=dist)
        page = dist / tag / SEED_SLUG / "index.html"
        if not page.exists():
            print(f"no {tag} page was built: {page}", file=sys.stderr)
            return 1
        check_page(page, out, tag)
    print(f"wrote {os.path.relpath(out)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
