"""sitemap-news.xml and robots.txt, read back with a namespace-aware XML parser."""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree

import pytest

from locflow.config import Project
from locflow.errors import ConfigError
from locflow.publish import build_site
from locflow.publish.search import news_language

from .build_helpers import fill, fill_project

BASE = "https://example.com/"
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9",
      "news": "http://www.google.com/schemas/sitemap-news/0.9"}


def news_entries(dist: Path) -> list[dict[str, str]]:
    root = ElementTree.parse(dist / "sitemap-news.xml").getroot()
    assert root.tag == f"{{{NS['s']}}}urlset"
    found = []
    for url in root.findall("s:url", NS):
        news = url.find("news:news", NS)
        assert news is not None
        found.append({
            "loc": url.findtext("s:loc", namespaces=NS) or "",
            "name": news.findtext("news:publication/news:name", namespaces=NS) or "",
            "language": news.findtext("news:publication/news:language", namespaces=NS) or "",
            "date": news.findtext("news:publication_date", namespaces=NS) or "",
            "title": news.findtext("news:title", namespaces=NS) or "",
        })
    return found


def sitemap_locs(dist: Path) -> set[str]:
    root = ElementTree.parse(dist / "sitemap.xml").getroot()
    return {loc.text or "" for loc in root.iter(f"{{{NS['s']}}}loc")}


def test_the_news_sitemap_lists_recent_published_pages_in_every_language(approved: Path
                                                                          ) -> None:
    build_site(Project.load(approved))
    dist = approved / "dist"
    entries = news_entries(dist)
    # newest first, then by article; each article in the site's locale order
    assert [(e["loc"], e["language"], e["date"]) for e in entries] == [
        (f"{BASE}en/storm/", "en", "2024-11-05"),
        (f"{BASE}zh-Hans/storm/", "zh-cn", "2024-11-05"),
        (f"{BASE}es/storm/", "es", "2024-11-05"),
        (f"{BASE}en/vote/", "en", "2024-11-04"),
        (f"{BASE}zh-Hans/vote/", "zh-cn", "2024-11-04"),
        (f"{BASE}es/vote/", "es", "2024-11-04"),
    ]
    assert {e["name"] for e in entries} == {"Test Gazette"}
    assert entries[2]["title"] == "[es] Storm closes schools"
    # every page it names is published and in sitemap.xml
    assert {e["loc"] for e in entries} <= sitemap_locs(dist)
    for entry in entries:
        assert (dist / entry["loc"].removeprefix(BASE) / "index.html").is_file()


def test_held_back_versions_and_old_articles_are_not_news(synced: Path) -> None:
    fill_project(synced, "approved", locales=("es",))
    old = synced / "content" / "old.md"
    old.write_text("---\ntitle: Old story\ndate: 2024-10-01\n---\n\nOld text.\n", "utf-8")
    build_site(Project.load(synced))
    dist = synced / "dist"
    locs = [e["loc"] for e in news_entries(dist)]
    assert not any("/zh-Hans/" in loc for loc in locs)  # nothing Chinese is published
    assert f"{BASE}en/old/" not in locs  # published, but not recent
    assert f"{BASE}en/old/" in sitemap_locs(dist)
    assert locs == [f"{BASE}en/storm/", f"{BASE}es/storm/", f"{BASE}en/vote/",
                    f"{BASE}es/vote/"]


def test_news_days_widens_the_window(approved: Path) -> None:
    (approved / "content" / "old.md").write_text(
        "---\ntitle: Old story\ndate: 2024-10-01\n---\n\nOld text.\n", "utf-8")
    config = approved / "locflow.toml"
    config.write_text(config.read_text("utf-8") + "\n[build]\nnews_days = 60\n", "utf-8")
    build_site(Project.load(approved))
    assert f"{BASE}en/old/" in [e["loc"] for e in news_entries(approved / "dist")]
    config.write_text(config.read_text("utf-8").replace("60", "0"), "utf-8")
    with pytest.raises(ConfigError):
        Project.load(approved)


def test_robots_txt_names_both_sitemaps(approved: Path) -> None:
    build_site(Project.load(approved))
    robots = (approved / "dist" / "robots.txt").read_text("utf-8")
    lines = robots.splitlines()
    assert "User-agent: *" in lines and "Allow: /" in lines
    assert [line for line in lines if line.startswith("Sitemap:")] == [
        f"Sitemap: {BASE}sitemap.xml", f"Sitemap: {BASE}sitemap-news.xml"]


def test_without_dated_articles_there_is_no_news_sitemap(project: Path) -> None:
    for path in (project / "content").glob("*.md"):
        path.write_text("\n".join(line for line in path.read_text("utf-8").splitlines()
                                  if not line.startswith("date:")) + "\n", "utf-8")
    build_site(Project.load(project))
    dist = project / "dist"
    assert not (dist / "sitemap-news.xml").exists()
    robots = (dist / "robots.txt").read_text("utf-8")
    assert f"Sitemap: {BASE}sitemap.xml" in robots and "sitemap-news" not in robots


def test_a_hostile_title_is_text_in_the_news_sitemap(approved: Path) -> None:
    title = '</news:title><loc>https://evil.example/</loc> & "x"'
    fill(approved / "locales" / "es" / "articles" / "storm.po", lambda t: title,
         only=lambda e: e.msgctxt == "title", override=("markup",))
    build_site(Project.load(approved))
    entries = news_entries(approved / "dist")
    spanish = next(e for e in entries if e["loc"] == f"{BASE}es/storm/")
    assert spanish["title"] == title
    assert all(e["loc"].startswith(BASE) for e in entries)


def test_the_news_sitemap_leaves_the_build_byte_identical(approved: Path) -> None:
    project = Project.load(approved)
    build_site(project)
    dist = approved / "dist"
    before = {name: (dist / name).read_bytes() for name in ("sitemap-news.xml", "robots.txt")}
    assert build_site(project).written == []
    assert {name: (dist / name).read_bytes() for name in before} == before


@pytest.mark.parametrize(("tag", "code"), [("en", "en"), ("es", "es"), ("zh-Hans", "zh-cn"),
                                           ("zh-Hant", "zh-tw"), ("zh-TW", "zh-tw"),
                                           ("zh", "zh-cn"), ("pt-BR", "pt"), ("fr", "fr")])
def test_news_languages(tag: str, code: str) -> None:
    assert news_language(tag) == code
