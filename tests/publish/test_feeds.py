"""Each language's RSS 2.0 and Atom feeds, read back with a real feed reader (feedparser)."""

from __future__ import annotations

import calendar
import datetime as dt
from pathlib import Path
from typing import Any

import feedparser
import pytest

from locflow import pipeline
from locflow.config import Project
from locflow.errors import ConfigError
from locflow.publish import build_site
from locflow.publish.feeds import rfc822, rfc3339

from .build_helpers import fill, fill_project

BASE = "https://example.com/"
FEEDS = {"rss": "feed.xml", "atom": "atom.xml"}
VERSIONS = {"rss": "rss20", "atom": "atom10"}


def read(dist: Path, tag: str, kind: str) -> Any:
    parsed = feedparser.parse((dist / tag / FEEDS[kind]).read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == VERSIONS[kind]
    return parsed


def day(parsed_time: Any) -> dt.date:
    return dt.datetime.fromtimestamp(calendar.timegm(parsed_time), dt.UTC).date()


def with_settings(root: Path, extra: str) -> None:
    path = root / "locflow.toml"
    path.write_text(path.read_text("utf-8") + extra, encoding="utf-8")


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_every_language_has_feeds_a_reader_parses(approved: Path, kind: str) -> None:
    build_site(Project.load(approved))
    dist = approved / "dist"
    for tag, prefix, headlines in (("en", "", "News Headlines"),
                                   ("zh-Hans", "[zh_Hans] ", "[zh_Hans] News Headlines"),
                                   ("es", "[es] ", "[es] News Headlines")):
        feed = read(dist, tag, kind)
        assert feed.feed.language == tag
        assert feed.feed.title == f"{headlines} · Test Gazette"
        assert feed.feed.link == f"{BASE}{tag}/"
        # newest first: the storm (2024-11-05), then the vote (2024-11-04)
        assert [e.title for e in feed.entries] == [f"{prefix}Storm closes schools",
                                                   f"{prefix}Council approves the budget"]
        vote = feed.entries[1]
        assert vote.link == f"{BASE}{tag}/vote/"
        assert vote.id == f"{BASE}{tag}/vote/"
        assert vote.summary == f"{prefix}The council voted 7-2 for a $4.2 million plan."
        assert day(vote.published_parsed) == dt.date(2024, 11, 4)
        # the article's versions in every published language
        languages = {link.get("hreflang"): link.href for link in vote.links
                     if link.rel == "alternate" and link.get("hreflang")}
        assert languages == {other: f"{BASE}{other}/vote/" for other in ("en", "zh-Hans", "es")}
        # the feed's own address, for readers that subscribe from the file
        assert any(link.rel == "self" and link.href == f"{BASE}{tag}/{FEEDS[kind]}"
                   for link in feed.feed.links)


def test_only_published_versions_are_in_a_feed_and_its_alternates(synced: Path) -> None:
    fill_project(synced, "approved", locales=("es",))
    fill(synced / "locales" / "zh_Hans" / "articles" / "vote.po", lambda t: f"[zh] {t}")
    build_site(Project.load(synced))
    dist = synced / "dist"
    assert [e.link for e in read(dist, "zh-Hans", "atom").entries] == [f"{BASE}zh-Hans/vote/"]
    storm = read(dist, "es", "rss").entries[0]
    assert storm.link == f"{BASE}es/storm/"
    assert {link.get("hreflang") for link in storm.links} == {"es", "en", None}
    vote = read(dist, "en", "atom").entries[1]
    assert {link.get("hreflang") for link in vote.links} == {"en", "zh-Hans", "es", None}


def test_dates_come_from_the_articles_and_updated_is_the_atom_update(approved: Path) -> None:
    vote = approved / "content" / "vote.md"
    vote.write_text(vote.read_text("utf-8").replace("date: 2024-11-04\n",
                                                    "date: 2024-11-04\nupdated: 2024-11-09\n"),
                    encoding="utf-8")
    build_site(Project.load(approved))
    dist = approved / "dist"
    atom = read(dist, "en", "atom")
    entry = next(e for e in atom.entries if e.link.endswith("/vote/"))
    assert day(entry.published_parsed) == dt.date(2024, 11, 4)
    assert day(entry.updated_parsed) == dt.date(2024, 11, 9)
    assert day(atom.feed.updated_parsed) == dt.date(2024, 11, 9)
    rss = read(dist, "en", "rss")
    assert day(rss.feed.updated_parsed) == dt.date(2024, 11, 9)  # lastBuildDate
    # the forms: RFC 822 in RSS, RFC 3339 in Atom, never the clock
    raw = (dist / "en" / "feed.xml").read_text("utf-8")
    assert "<pubDate>Mon, 04 Nov 2024 00:00:00 +0000</pubDate>" in raw
    assert "<updated>2024-11-09T00:00:00Z</updated>" in (dist / "en" / "atom.xml").read_text()
    assert rfc822(dt.date(2024, 11, 9)) == "Sat, 09 Nov 2024 00:00:00 +0000"
    assert rfc3339(dt.date(2024, 11, 9)) == "2024-11-09T00:00:00Z"


def test_feed_size_keeps_the_newest_and_undated_articles_stay_out(approved: Path) -> None:
    (approved / "content" / "undated.md").write_text("---\ntitle: Undated note\n---\n\nText.\n",
                                                     encoding="utf-8")
    with_settings(approved, "\n[build]\nfeed_size = 1\n")
    build_site(Project.load(approved))
    dist = approved / "dist"
    for kind in FEEDS:
        assert [e.title for e in read(dist, "en", kind).entries] == ["Storm closes schools"]
    assert "undated/" in (dist / "en" / "index.html").read_text("utf-8")  # (still published)


@pytest.mark.parametrize("value", ["0", "true", "2.5", '"20"'])
def test_feed_size_is_checked(project: Path, value: str) -> None:
    with_settings(project, f"\n[build]\nfeed_size = {value}\n")
    with pytest.raises(ConfigError) as info:
        Project.load(project)
    assert "[build] feed_size" in info.value.message


def test_a_hostile_title_stays_text_in_both_feeds(synced: Path) -> None:
    vote = synced / "content" / "vote.md"
    vote.write_text(vote.read_text("utf-8").replace(
        "title: Council approves the budget",
        'title: "Council </script><script>alert(1)</script> & \\"AT\\x01T\\" <!--"').replace(
        "summary: The council voted 7-2 for a $4.2 million plan.",
        'summary: "<b>sum</b> & more"'), encoding="utf-8")
    build_site(Project.load(synced))
    dist = synced / "dist"
    # (XML cannot hold U+0001 at all, not even as a reference: it becomes U+FFFD)
    shown = 'Council </script><script>alert(1)</script> & "AT\ufffdT" <!--'
    atom = read(dist, "en", "atom").entries[1]
    assert atom.title == shown and atom.title_detail.type == "text/plain"
    assert atom.summary == "<b>sum</b> & more" and atom.summary_detail.type == "text/plain"
    raw = (dist / "en" / "feed.xml").read_text("utf-8")
    assert "<script>" not in raw and "<b>" not in raw
    # an RSS description is HTML to readers: the summary is escaped there, so it shows as text
    rss = read(dist, "en", "rss").entries[1]
    assert rss.summary == "&lt;b&gt;sum&lt;/b&gt; &amp; more"


def test_feeds_are_deterministic_and_rewritten_only_when_they_change(approved: Path) -> None:
    project = Project.load(approved)
    build_site(project)
    dist = approved / "dist"
    before = {p: p.read_bytes() for p in sorted(dist.glob("*/*.xml"))}
    again = build_site(project)
    assert again.written == [] and again.removed == []
    assert {p: p.read_bytes() for p in sorted(dist.glob("*/*.xml"))} == before
    # a new Spanish title: Spanish feeds change, the others' bytes stay (only URLs of it)
    fill(approved / "locales" / "es" / "articles" / "vote.po", lambda t: f"[es2] {t}",
         only=lambda e: e.msgctxt == "title")
    changed = build_site(project)
    assert {"es/feed.xml", "es/atom.xml"} <= set(changed.written)
    assert not {"en/feed.xml", "en/atom.xml", "zh-Hans/feed.xml"} & set(changed.written)
    assert read(dist, "es", "rss").entries[1].title == "[es2] Council approves the budget"


def test_a_fourth_language_gets_its_feeds_and_is_in_the_others_alternates(project: Path
                                                                           ) -> None:
    (project / "locflow.toml").write_text(
        '[project]\nname = "Test Gazette"\ntarget_locales = ["zh_Hans", "es", "fr"]\n',
        encoding="utf-8")
    pipeline.sync(Project.load(project))
    fill_project(project, "approved", locales=("zh_Hans", "es", "fr"))
    build_site(Project.load(project))
    dist = project / "dist"
    feed = read(dist, "fr", "atom")
    assert feed.feed.language == "fr"
    assert [e.link for e in feed.entries] == [f"{BASE}fr/storm/", f"{BASE}fr/vote/"]
    zh = read(dist, "zh-Hans", "rss").entries[0]
    assert f"{BASE}fr/storm/" in {link.href for link in zh.links}


def test_every_page_links_its_language_s_feeds_in_its_head(approved: Path) -> None:
    build_site(Project.load(approved))
    for page in ("es/index.html", "es/vote/index.html"):
        html = (approved / "dist" / page).read_text("utf-8")
        head = html.split("</head>", 1)[0]
        assert (f'<link rel="alternate" type="application/rss+xml" title="[es] RSS feed" '
                f'href="{BASE}es/feed.xml">') in head
        assert (f'<link rel="alternate" type="application/atom+xml" title="[es] Atom feed" '
                f'href="{BASE}es/atom.xml">') in head


def test_feeds_of_a_locale_no_longer_published_are_removed(approved: Path) -> None:
    project = Project.load(approved)
    build_site(project)
    for path in sorted((approved / "locales" / "es" / "articles").glob("*.po")):
        fill(path, lambda t: f"[draft] {t}", "fuzzy")
    result = build_site(project)
    assert {"es/feed.xml", "es/atom.xml"} <= set(result.removed)
    assert not (approved / "dist" / "es").exists()
