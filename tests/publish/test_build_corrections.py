"""Corrections printed for readers: segmented, gated, rendered after the body with a localized
date on every language's page, listed in article.json; "Updated:" next to the release time."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup, Tag

from locflow import pipeline
from locflow.catalog import pofile
from locflow.config import Project
from locflow.publish import build_site

from .build_helpers import fake, fill, fill_project

FIRST = "An earlier version said the vote was 6-3."
SECOND = "The budget is for 2025, not 2024."
CORRECTIONS = (
    "updated: 2024-11-06\n"
    "corrections:\n"
    f"  - date: 2024-11-05\n    text: {FIRST}\n"
    f"  - date: 2024-11-06\n    text: {SECOND}\n"
)


def correct(root: Path, front: str = CORRECTIONS) -> None:
    """Give content/vote.md *front* (corrections, updated) after its date."""
    path = root / "content" / "vote.md"
    text = path.read_text("utf-8")
    path.write_text(text.replace("date: 2024-11-04\n", "date: 2024-11-04\n" + front, 1), "utf-8")


@pytest.fixture
def corrected(project: Path) -> Path:
    """The shared project, vote.md with two corrections and `updated:`, synced."""
    correct(project)
    pipeline.sync(Project.load(project))
    return project


def soup(root: Path, tag: str, slug: str = "vote") -> BeautifulSoup:
    return BeautifulSoup((root / "dist" / tag / slug / "index.html").read_text("utf-8"),
                         "html.parser")


def article_json(root: Path, tag: str, slug: str = "vote") -> dict[str, Any]:
    data = json.loads((root / "dist" / tag / slug / "article.json").read_text("utf-8"))
    assert isinstance(data, dict)
    return data


def corrections_of(page: BeautifulSoup) -> list[Tag]:
    return page.select("article section.corrections .correction")


def test_corrections_are_entries_with_a_date_context_and_a_comment(corrected: Path) -> None:
    template = pofile.load(corrected / "locales" / "templates" / "articles" / "vote.pot")
    found = {e.msgid: e for e in template.active()}
    assert found[FIRST].msgctxt == "correction 2024-11-05"
    assert found[SECOND].msgctxt == "correction 2024-11-06"
    assert found[FIRST].comment == (
        "correction printed for readers under the article (2024-11-05)")
    catalog = pofile.load(corrected / "locales" / "es" / "articles" / "vote.po")
    assert {e.msgid for e in catalog.active()} >= {FIRST, SECOND}


def test_every_language_shows_the_corrections_after_the_body(corrected: Path) -> None:
    fill_project(corrected, "approved")
    build_site(Project.load(corrected))
    es = soup(corrected, "es")
    items = corrections_of(es)
    assert [i.select_one(".correction-text").get_text() for i in items] == [
        f"[es] {FIRST}", f"[es] {SECOND}"]
    first = items[0].select_one(".correction-date")
    assert first is not None and first.get_text() == "[es] Correction: 5 de noviembre de 2024"
    time = first.select_one("time")
    assert time is not None and time["datetime"] == "2024-11-05"
    section = es.select_one("section.corrections")
    assert section is not None and section["aria-label"] == "[es] Corrections"
    # after the body, inside the article
    assert section.find_previous_sibling("div", class_="body") is not None
    assert es.select(".correction .untranslated") == []
    # "Updated:" next to the release time, localized
    release = es.select_one("p.release")
    assert release is not None
    assert release.get_text() == ("[es] Release time: 4 de noviembre de 2024 "
                                  "[es] Updated: 6 de noviembre de 2024")
    assert es.select_one('meta[property="article:modified_time"]')["content"] == "2024-11-06"
    zh = soup(corrected, "zh-Hans")
    assert corrections_of(zh)[1].select_one("time").get_text() == "2024年11月6日"
    en = soup(corrected, "en")
    assert [i.select_one(".correction-text").get_text() for i in corrections_of(en)] == [
        FIRST, SECOND]
    assert "Correction: November 5, 2024" in corrections_of(en)[0].get_text()
    data = article_json(corrected, "es")
    assert data["corrections"] == [
        {"date": "2024-11-05", "text": f"[es] {FIRST}", "text_html": f"[es] {FIRST}",
         "translated": True, "outdated": False},
        {"date": "2024-11-06", "text": f"[es] {SECOND}", "text_html": f"[es] {SECOND}",
         "translated": True, "outdated": False},
    ]
    assert data["updated"] == "2024-11-06"
    assert article_json(corrected, "en")["corrections"] == [
        {"date": "2024-11-05", "text": FIRST, "text_html": FIRST, "translated": True,
         "outdated": False},
        {"date": "2024-11-06", "text": SECOND, "text_html": SECOND, "translated": True,
         "outdated": False}]
    # an article without corrections has none, and no "Updated:"
    storm = soup(corrected, "es", "storm")
    assert storm.select("section.corrections") == [] and storm.select(".updated") == []
    assert article_json(corrected, "es", "storm")["corrections"] == []


def test_an_unapproved_correction_holds_the_page_back_like_any_entry(corrected: Path) -> None:
    fill_project(corrected, "approved")
    fill(corrected / "locales" / "zh_Hans" / "articles" / "vote.po", fake("zh"),
         "translated", only=lambda e: e.msgid == SECOND)  # edited since its approval
    result = build_site(Project.load(corrected))
    reasons = {(h.tag, h.article): h.reason for h in result.held_back}
    assert reasons == {("zh-Hans", "vote"): "6 of 7 entries approved (85.7%, needs 100%): "
                                            "1 awaiting review"}


def test_a_correction_not_approved_is_shown_in_english_and_said_so(corrected: Path) -> None:
    (corrected / "locflow.toml").write_text(
        (corrected / "locflow.toml").read_text("utf-8") + "\n[build]\nmin_percent = 50\n",
        "utf-8")
    fill_project(corrected, "approved")
    fill(corrected / "locales" / "zh_Hans" / "articles" / "vote.po", fake("zh_Hans"),
         "untranslated", only=lambda e: e.msgid == SECOND)
    build_site(Project.load(corrected))
    zh = soup(corrected, "zh-Hans")
    first, second = corrections_of(zh)
    assert first.select(".untranslated") == []
    english = second.select_one(".correction-text span.untranslated")
    assert english is not None and english["lang"] == "en" and english.get_text() == SECOND
    note = second.select_one(".correction-text small.untranslated-note")
    assert note is not None and note.get_text() == "[zh_Hans] not yet translated"
    assert note["lang"] == "zh-Hans"
    assert article_json(corrected, "zh-Hans")["corrections"][1] == {
        "date": "2024-11-06", "text": SECOND, "text_html": SECOND, "translated": False,
        "outdated": False}


def test_correction_text_is_escaped_on_the_page_and_in_article_json(project: Path) -> None:
    correct(project, "corrections:\n  - date: 2024-11-05\n"
                     "    text: 'Said <script>alert(1)</script> & \"6-3\".'\n")
    pipeline.sync(Project.load(project))
    fill_project(project, "approved")
    text = 'Said <script>alert(1)</script> & "6-3".'
    # an editor forced the approval over the failing checks (markup, numbers, unsafe-html)
    fill(project / "locales" / "es" / "articles" / "vote.po",
         lambda t: '<img src=x onerror="alert(1)"> dijo' if t == text else f"[es] {t}",
         override=("markup", "numbers", "unsafe-html"))
    build_site(Project.load(project))
    for tag, shown in (("en", text), ("es", '<img src=x onerror="alert(1)"> dijo')):
        html = (project / "dist" / tag / "vote" / "index.html").read_text("utf-8")
        assert "<script>" not in html and "<img" not in html
        [item] = corrections_of(BeautifulSoup(html, "html.parser"))
        assert item.select_one(".correction-text").get_text() == shown
        [data] = article_json(project, tag)["corrections"]
        assert data["text"] == shown and "<" not in data["text_html"]
    assert "Said &lt;script&gt;alert(1)&lt;/script&gt; &amp; &#34;6-3&#34;." in (
        project / "dist" / "en" / "vote" / "article.json").read_text("utf-8")


def test_a_correction_edited_in_english_shows_its_earlier_translation_marked(
        corrected: Path) -> None:
    fill_project(corrected, "approved")
    build_site(Project.load(corrected))
    path = corrected / "content" / "vote.md"
    path.write_text(path.read_text("utf-8").replace("vote was 6-3.", "vote was 6 to 3."),
                    "utf-8")
    pipeline.sync(Project.load(corrected))
    build_site(Project.load(corrected))
    first = corrections_of(soup(corrected, "es"))[0]
    outdated = first.select_one(".correction-text span.outdated")
    assert outdated is not None and outdated.get_text() == f"[es] {FIRST}"
    assert article_json(corrected, "es")["corrections"][0]["outdated"] is True
