"""schema.org NewsArticle JSON-LD and social cards of article pages, read back as a
consumer would: the page parsed as HTML, the script's text as JSON, checked against a
JSON Schema of the fields."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from locflow import pipeline
from locflow.config import Project
from locflow.publish import build_site
from locflow.publish.structured import absolute_url

from .build_helpers import fill, fill_project

BASE = "https://example.com/"
TAGS = ("en", "zh-Hans", "es")

_WORK = {"type": "object", "required": ["@type", "@id", "url", "inLanguage"],
         "properties": {"@type": {"const": "NewsArticle"}, "url": {"type": "string"},
                        "@id": {"type": "string"}, "inLanguage": {"type": "string"}}}
_ORGANIZATION = {"type": "object", "required": ["@type", "name", "url"],
                 "properties": {"@type": {"const": "Organization"}}}
NEWS_ARTICLE = {
    "type": "object",
    "required": ["@context", "@type", "headline", "description", "datePublished",
                 "dateModified", "inLanguage", "author", "publisher", "image",
                 "mainEntityOfPage"],
    "properties": {
        "@context": {"const": "https://schema.org"},
        "@type": {"const": "NewsArticle"},
        "headline": {"type": "string", "minLength": 1},
        "description": {"type": "string", "minLength": 1},
        "datePublished": {"type": "string", "format": "date"},
        "dateModified": {"type": "string", "format": "date"},
        "inLanguage": {"enum": [*TAGS, "fr"]},
        "author": {"type": "array", "minItems": 1, "items": {
            "type": "object", "required": ["@type", "name"],
            "properties": {"@type": {"enum": ["Person", "Organization"]}}}},
        "publisher": _ORGANIZATION,
        "image": {"type": "array", "minItems": 1,
                  "items": {"type": "string", "pattern": "^https?://"}},
        "mainEntityOfPage": {"type": "object", "required": ["@type", "@id"],
                             "properties": {"@type": {"const": "WebPage"}}},
        "translationOfWork": _WORK,
        "workTranslation": {"type": "array", "items": _WORK},
    },
}


class Head(HTMLParser):
    """The JSON-LD scripts (their raw text) and the meta properties of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[str] = []
        self.meta: dict[str, str] = {}
        self._in_script: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "script":
            self._in_script = found.get("type") or ""
            self.scripts.append("")
        elif tag == "meta" and (found.get("property") or found.get("name")):
            self.meta[str(found.get("property") or found.get("name"))] = found.get(
                "content") or ""

    def handle_data(self, data: str) -> None:
        if self._in_script is not None:
            self.scripts[-1] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = None


def head(dist: Path, tag: str, slug: str) -> Head:
    parser = Head()
    parser.feed((dist / tag / slug / "index.html").read_text("utf-8"))
    return parser


def json_ld(dist: Path, tag: str, slug: str) -> dict[str, Any]:
    found = head(dist, tag, slug)
    assert len(found.scripts) == 1
    data: dict[str, Any] = json.loads(found.scripts[0])
    return data


def with_front_matter(root: Path, lines: str, slug: str = "vote") -> None:
    path = root / "content" / f"{slug}.md"
    path.write_text(path.read_text("utf-8").replace("date: 2024-11-04\n",
                                                    f"date: 2024-11-04\n{lines}"),
                    encoding="utf-8")


def with_body(root: Path, text: str, slug: str = "vote") -> None:
    path = root / "content" / f"{slug}.md"
    path.write_text(path.read_text("utf-8") + "\n" + text, encoding="utf-8")


@pytest.fixture
def pictured(project: Path) -> Path:
    """The vote article with a lead photo, an author and a living-article update, synced
    and approved in both languages."""
    with_front_matter(project, "updated: 2024-11-06\nauthor: Ana Ruiz\n")
    with_body(project, "![The council chamber](img/chamber.jpg)\n")
    pipeline.sync(Project.load(project))
    fill_project(project, "approved")
    return project


def test_every_article_page_carries_news_article_json_ld(pictured: Path) -> None:
    build_site(Project.load(pictured))
    dist = pictured / "dist"
    checker = jsonschema.Draft202012Validator(
        NEWS_ARTICLE, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    for tag, prefix in (("en", ""), ("zh-Hans", "[zh_Hans] "), ("es", "[es] ")):
        data = json_ld(dist, tag, "vote")
        checker.validate(data)
        url = f"{BASE}{tag}/vote/"
        assert data["headline"] == f"{prefix}Council approves the budget"
        assert data["description"] == f"{prefix}The council voted 7-2 for a $4.2 million plan."
        assert data["inLanguage"] == tag
        assert data["datePublished"] == "2024-11-04"
        assert data["dateModified"] == "2024-11-06"  # the living article's update
        assert data["author"] == [{"@type": "Person", "name": "Ana Ruiz"}]
        assert data["publisher"] == {"@type": "Organization", "name": "Test Gazette",
                                     "url": BASE}
        assert data["mainEntityOfPage"] == {"@type": "WebPage", "@id": url}
        assert data["url"] == url
        # the image as the page itself resolves it, absolute
        assert data["image"] == [f"{url}img/chamber.jpg"]


def test_translations_are_linked_both_ways(pictured: Path) -> None:
    build_site(Project.load(pictured))
    dist = pictured / "dist"
    original = json_ld(dist, "en", "vote")
    assert "translationOfWork" not in original
    translations = {work["inLanguage"]: work for work in original["workTranslation"]}
    assert set(translations) == {"zh-Hans", "es"}
    for tag in ("zh-Hans", "es"):
        data = json_ld(dist, tag, "vote")
        assert "workTranslation" not in data
        assert data["translationOfWork"] == {
            "@type": "NewsArticle", "@id": f"{BASE}en/vote/#article", "url": f"{BASE}en/vote/",
            "inLanguage": "en"}
        # and the original's list points at this very page's article
        assert translations[tag]["@id"] == data["@id"] == f"{BASE}{tag}/vote/#article"
        assert translations[tag]["url"] == data["url"]


def test_only_published_translations_are_listed(synced: Path) -> None:
    fill_project(synced, "approved", locales=("es",))
    build_site(Project.load(synced))
    original = json_ld(synced / "dist", "en", "vote")
    assert [work["inLanguage"] for work in original["workTranslation"]] == ["es"]
    # a page without translations has neither link, and no update date but its own
    alone = Project.load(synced)
    fill(synced / "locales" / "es" / "articles" / "vote.po", lambda t: f"[d] {t}", "fuzzy")
    build_site(alone)
    data = json_ld(synced / "dist", "en", "vote")
    assert "workTranslation" not in data and "translationOfWork" not in data
    assert data["dateModified"] == data["datePublished"] == "2024-11-04"
    assert data["author"] == [data["publisher"]]  # no author: the publication
    assert "image" not in data


@pytest.mark.parametrize("title", [
    "</script><script>alert(1)</script>",
    "<!--<script>",
    "a </SCRIPT > b & c > d",
    "line\u2028separator",
])
def test_a_hostile_title_cannot_leave_the_json_ld_script(project: Path, title: str) -> None:
    vote = project / "content" / "vote.md"
    vote.write_text(vote.read_text("utf-8").replace(
        "title: Council approves the budget", f"title: {json.dumps(title)}"), encoding="utf-8")
    pipeline.sync(Project.load(project))
    build_site(Project.load(project))
    dist = project / "dist"
    found = head(dist, "en", "vote")
    assert len(found.scripts) == 1  # nothing opened a second one, nothing closed it early
    raw = found.scripts[0]
    assert "<" not in raw and ">" not in raw and "&" not in raw
    assert json.loads(raw)["headline"] == title
    html = (dist / "en" / "vote" / "index.html").read_text("utf-8")
    assert html.count("<script") == 1 and html.count("</script>") == 1


def test_social_cards_come_from_the_lead_image_and_summary(pictured: Path) -> None:
    build_site(Project.load(pictured))
    dist = pictured / "dist"
    en = head(dist, "en", "vote").meta
    assert en["og:image"] == f"{BASE}en/vote/img/chamber.jpg"
    assert en["og:image:alt"] == "The council chamber"
    assert en["twitter:card"] == "summary_large_image"
    assert en["og:description"] == "The council voted 7-2 for a $4.2 million plan."
    es = head(dist, "es", "vote").meta
    assert es["og:image"] == f"{BASE}es/vote/img/chamber.jpg"
    assert es["og:image:alt"] == "[es] The council chamber"  # the translated alt
    assert es["og:description"] == "[es] The council voted 7-2 for a $4.2 million plan."
    # a page without an image: a summary card, no og:image
    storm = head(dist, "es", "storm").meta
    assert storm["twitter:card"] == "summary" and "og:image" not in storm


def test_the_front_matter_image_comes_first_and_unsafe_urls_never_count(project: Path) -> None:
    with_front_matter(project, "image: https://cdn.example/lead.jpg\n")
    with_body(project, "![Chamber](img/chamber.jpg)\n")
    with_body(project, "![x](javascript:alert(1))\n", slug="storm")
    pipeline.sync(Project.load(project))
    build_site(Project.load(project))
    dist = project / "dist"
    vote = head(dist, "en", "vote").meta
    assert vote["og:image"] == "https://cdn.example/lead.jpg"
    assert "og:image:alt" not in vote  # (an image of the front matter has no alt text)
    assert json_ld(dist, "en", "vote")["image"] == ["https://cdn.example/lead.jpg"]
    assert "og:image" not in head(dist, "en", "storm").meta
    assert absolute_url("data:image/png;base64,AAAA", BASE) is None
    assert absolute_url("//cdn.example/a.jpg", BASE) == "https://cdn.example/a.jpg"
    assert absolute_url('x" onerror="alert(1)', BASE) is None


def test_an_untranslated_lead_image_alt_is_not_given_as_the_page_s(project: Path) -> None:
    with_body(project, "![The council chamber](img/chamber.jpg)\n")
    (project / "locflow.toml").write_text(
        '[project]\nname = "Test Gazette"\ntarget_locales = ["es"]\n[build]\nmin_percent = 50\n',
        encoding="utf-8")
    pipeline.sync(Project.load(project))
    fill_project(project, "approved", locales=("es",))
    fill(project / "locales" / "es" / "articles" / "vote.po", lambda t: "", "untranslated",
         only=lambda e: e.msgid == "The council chamber")
    build_site(Project.load(project))
    meta = head(project / "dist", "es", "vote").meta
    assert meta["og:image"] == f"{BASE}es/vote/img/chamber.jpg"
    assert "og:image:alt" not in meta  # English alt text on a Spanish card: left out
