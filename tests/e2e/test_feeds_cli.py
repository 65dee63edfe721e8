"""`locflow build` end to end through the CLI: feeds, JSON-LD, social cards, the news
sitemap and robots.txt, each read back by a consumer other than locflow (feedparser, json,
a namespace-aware XML parser, an HTML parser)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from xml.etree import ElementTree

import feedparser
import pytest

from tests.publish.build_helpers import fake, fill

from ..conftest import Invoke

BASE = "https://news.example/"
NEWS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9",
        "news": "http://www.google.com/schemas/sitemap-news/0.9"}


def publish(project: Path, locflow: Invoke, locales: tuple[str, ...]) -> None:
    """sync, translate (a fake translation), approve with `locflow review approve`."""
    locflow("sync", ok=True)
    for locale in locales:
        for path in sorted((project / "locales" / locale).rglob("*.po")):
            fill(path, fake(locale), "translated")
        locflow("review", "approve", "--locale", locale, ok=True)


def configure(project: Path, locales: str, build: str = "") -> None:
    (project / "locflow.toml").write_text(
        f'[project]\nname = "Test Gazette"\ntarget_locales = {locales}\n'
        f'[build]\nbase_url = "{BASE}"\n{build}', encoding="utf-8")


def output_tree(dist: Path) -> list[str]:
    return sorted(p.relative_to(dist).as_posix() for p in dist.rglob("*") if p.is_file())


def test_build_writes_feeds_sitemaps_and_robots_for_every_language(project: Path,
                                                                   locflow: Invoke) -> None:
    configure(project, '["zh_Hans", "es"]', "feed_size = 10\n")
    publish(project, locflow, ("zh_Hans", "es"))
    first = locflow("build", ok=True)
    assert "build: 6 bundles in dist" in first.stdout
    dist = project / "dist"
    tags = ("en", "zh-Hans", "es")
    assert output_tree(dist) == sorted(
        ["manifest.json", "robots.txt", "sitemap.xml", "sitemap-news.xml"]
        + [f"{tag}/{name}" for tag in tags for name in ("index.html", "feed.xml", "atom.xml")]
        + [f"{tag}/{slug}/{name}" for tag in tags for slug in ("storm", "vote")
           for name in ("index.html", "article.json")])
    for tag in tags:
        for name, version in (("feed.xml", "rss20"), ("atom.xml", "atom10")):
            feed = feedparser.parse((dist / tag / name).read_bytes())
            assert not feed.bozo and feed.version == version
            assert feed.feed.language == tag
            assert [e.link for e in feed.entries] == [f"{BASE}{tag}/storm/",
                                                      f"{BASE}{tag}/vote/"]
            prefix = "" if tag == "en" else f"[{tag.replace('-', '_')}] "
            assert feed.entries[0].title == f"{prefix}Storm closes schools"
        html = (dist / tag / "vote" / "index.html").read_text("utf-8")
        assert f'type="application/rss+xml" title="{prefix}RSS feed" href="{BASE}{tag}/feed.xml"' \
            in html
        ld = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
        assert ld is not None
        data = json.loads(ld.group(1))
        assert data["@type"] == "NewsArticle" and data["inLanguage"] == tag
        assert data["headline"] == f"{prefix}Council approves the budget"
        if tag == "en":
            assert {w["url"] for w in data["workTranslation"]} == {
                f"{BASE}zh-Hans/vote/", f"{BASE}es/vote/"}
        else:
            assert data["translationOfWork"]["url"] == f"{BASE}en/vote/"
        assert '<meta name="twitter:card" content="summary">' in html
    root = ElementTree.parse(dist / "sitemap-news.xml").getroot()
    locs = [url.findtext("s:loc", namespaces=NEWS) for url in root.findall("s:url", NEWS)]
    assert len(locs) == 6 and all((dist / str(loc).removeprefix(BASE)).is_dir() for loc in locs)
    assert {url.findtext("news:news/news:publication/news:language", namespaces=NEWS)
            for url in root.findall("s:url", NEWS)} == {"en", "zh-cn", "es"}
    robots = (dist / "robots.txt").read_text("utf-8")
    assert f"Sitemap: {BASE}sitemap.xml\nSitemap: {BASE}sitemap-news.xml\n" in robots
    # the same inputs: nothing is written again
    again = locflow("build", ok=True)
    assert "0 files written, 0 removed" in again.stdout


def test_a_fourth_language_drops_in(project: Path, locflow: Invoke) -> None:
    configure(project, '["zh_Hans", "es", "fr"]')
    publish(project, locflow, ("zh_Hans", "es", "fr"))
    locflow("build", ok=True)
    dist = project / "dist"
    feed = feedparser.parse((dist / "fr" / "atom.xml").read_bytes())
    assert not feed.bozo and feed.feed.language == "fr"
    assert feed.entries[1].title == "[fr] Council approves the budget"
    assert {link.get("hreflang") for link in feed.entries[1].links} >= {"en", "zh-Hans", "es",
                                                                        "fr"}
    root = ElementTree.parse(dist / "sitemap-news.xml").getroot()
    assert "fr" in {url.findtext("news:news/news:publication/news:language", namespaces=NEWS)
                    for url in root.findall("s:url", NEWS)}
    html = (dist / "en" / "vote" / "index.html").read_text("utf-8")
    data = json.loads(html.split('<script type="application/ld+json">')[1].split("</script>")[0])
    assert [w["inLanguage"] for w in data["workTranslation"]] == ["zh-Hans", "es", "fr"]


def test_a_language_taken_down_loses_its_feeds_and_news_entries(project: Path,
                                                                locflow: Invoke) -> None:
    configure(project, '["zh_Hans", "es"]')
    publish(project, locflow, ("zh_Hans", "es"))
    locflow("build", ok=True)
    dist = project / "dist"
    for path in sorted((project / "locales" / "es" / "articles").glob("*.po")):
        fill(path, lambda t: f"[draft] {t}", "fuzzy")
    result = locflow("build", ok=True)
    assert "removed" in result.stdout
    assert not (dist / "es").exists()
    assert "/es/" not in (dist / "sitemap-news.xml").read_text("utf-8")
    feed = feedparser.parse((dist / "en" / "atom.xml").read_bytes())
    assert "es" not in {link.get("hreflang") for e in feed.entries for link in e.links}


def test_a_derived_locale_gets_feeds_news_entries_and_translation_links(
        project: Path, locflow: Invoke) -> None:
    pytest.importorskip("opencc")
    configure(project, '["zh_Hans", "es"]',
              '[derived]\nzh_Hant = { from = "zh_Hans", convert = "s2twp" }\n')
    locflow("sync", ok=True)
    fill(project / "locales" / "zh_Hans" / "articles" / "storm.po", lambda t: "学校周一停课。")
    locflow("review", "approve", "--locale", "zh_Hans", ok=True)
    locflow("build", ok=True)
    dist = project / "dist"
    feed = feedparser.parse((dist / "zh-Hant" / "feed.xml").read_bytes())
    assert not feed.bozo and feed.feed.language == "zh-Hant"
    assert [e.title for e in feed.entries] == ["學校週一停課。"]
    assert [e.link for e in feed.entries] == [f"{BASE}zh-Hant/storm/"]
    root = ElementTree.parse(dist / "sitemap-news.xml").getroot()
    languages = {url.findtext("s:loc", namespaces=NEWS):
                 url.findtext("news:news/news:publication/news:language", namespaces=NEWS)
                 for url in root.findall("s:url", NEWS)}
    assert languages[f"{BASE}zh-Hant/storm/"] == "zh-tw"
    assert languages[f"{BASE}zh-Hans/storm/"] == "zh-cn"
    html = (dist / "en" / "storm" / "index.html").read_text("utf-8")
    data = json.loads(html.split('<script type="application/ld+json">')[1].split("</script>")[0])
    assert [w["inLanguage"] for w in data["workTranslation"]] == ["zh-Hans", "zh-Hant"]
