"""Pages for readers (issue 20): a skip link, the summary on the article page, one link per
address in the breadcrumb, and an untranslated image alt marked like a paragraph."""

from __future__ import annotations

import re
from pathlib import Path

from locflow import pipeline
from locflow.config import Project
from locflow.publish import build_site

from .build_helpers import fill, fill_project


def page(root: Path, name: str) -> str:
    return (root / "dist" / name).read_text("utf-8")


def test_every_page_starts_with_a_skip_link_to_its_main_content(approved: Path) -> None:
    build_site(Project.load(approved))
    for name, label in (("en/vote/index.html", "Skip to content"),
                        ("es/vote/index.html", "[es] Skip to content"),
                        ("zh-Hans/index.html", "[zh_Hans] Skip to content")):
        html = page(approved, name)
        body = html.split("<body>", 1)[1]
        # the first thing of the page, before the masthead and the breadcrumb
        assert body.lstrip().startswith(f'<a class="skip-link" href="#content">{label}</a>')
        assert len(re.findall(r'\sid="content"', html)) == 1
        assert '<main id="content" tabindex="-1">' in html


def test_the_article_page_shows_its_summary_under_the_title(approved: Path) -> None:
    build_site(Project.load(approved))
    html = page(approved, "es/vote/index.html")
    summary = '<p class="summary">[es] The council voted 7-2 for a $4.2 million plan.</p>'
    assert summary in html
    assert html.index("</h1>") < html.index(summary) < html.index('<div class="body">')
    # an article without a summary shows none
    assert '<p class="summary">' not in page(approved, "es/storm/index.html")


def test_an_untranslated_summary_is_marked_as_english(synced: Path) -> None:
    config = synced / "locflow.toml"
    config.write_text(config.read_text("utf-8") + "\n[build]\nmin_percent = 50\n", "utf-8")
    fill_project(synced, "approved", locales=("es",))
    fill(synced / "locales" / "es" / "articles" / "vote.po", lambda t: "", "untranslated",
         only=lambda e: e.msgctxt == "summary")
    build_site(Project.load(synced))
    html = page(synced, "es/vote/index.html")
    assert ('<p class="summary"><span class="untranslated" lang="en">The council voted 7-2 '
            'for a $4.2 million plan.</span> <small class="untranslated-note" lang="es">'
            '[es] not yet translated</small></p>') in html


def test_breadcrumb_links_each_address_once(approved: Path) -> None:
    build_site(Project.load(approved))
    for name in ("en/vote/index.html", "es/storm/index.html"):
        crumb = page(approved, name).split('<nav class="breadcrumb"', 1)[1].split("</nav>")[0]
        hrefs = re.findall(r'href="([^"]*)"', crumb)
        assert hrefs == ["../"]  # Home; the section is not a second link to the same page


IMAGE_ARTICLE = """---
title: Photo story
date: 2024-11-06
---

The first paragraph.

![The council chamber in session](img/chamber.jpg "Photo: city hall")
"""


def test_an_untranslated_image_alt_is_marked_english_like_a_paragraph(project: Path) -> None:
    (project / "content" / "photo.md").write_text(IMAGE_ARTICLE, encoding="utf-8")
    config = project / "locflow.toml"
    config.write_text(config.read_text("utf-8") + "\n[build]\nmin_percent = 50\n", "utf-8")
    pipeline.sync(Project.load(project))
    fill_project(project, "approved", locales=("zh_Hans",))
    fill(project / "locales" / "zh_Hans" / "articles" / "photo.po", lambda t: "", "untranslated",
         only=lambda e: e.msgid == "The council chamber in session")
    build_site(Project.load(project))
    html = page(project, "zh-Hans/photo/index.html")
    image = re.search(r'<p><span class="untranslated" lang="en"><img [^>]*></span> '
                      r'<small class="untranslated-note" lang="zh-Hans">'
                      r'\[zh_Hans\] not yet translated</small></p>', html)
    assert image is not None, html
    assert 'alt="The council chamber in session"' in image.group(0)
    assert 'title="[zh_Hans] Photo: city hall"' in image.group(0)  # (its title was translated)
    # translated, the alt is the page's language and unmarked
    fill(project / "locales" / "zh_Hans" / "articles" / "photo.po", lambda t: "议会厅",
         only=lambda e: e.msgid == "The council chamber in session")
    build_site(Project.load(project))
    html = page(project, "zh-Hans/photo/index.html")
    assert 'alt="议会厅"' in html
    assert "not yet translated" not in html.split('<div class="body">', 1)[1]
