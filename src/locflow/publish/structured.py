"""What an article page tells machines: schema.org ``NewsArticle`` JSON-LD and the image
of its social cards (pure).

The lead image is the front matter's ``image:`` (a URL, absolute or relative to the
page), else the body's first Markdown image; it is always the English article's (a
translation cannot change it), made absolute against the page's URL, and only an
``http(s)`` URL counts. Its ``og:image:alt`` is the image's alt text in the page's
language: a lone image's translated alt, or none when that is not translated.

The JSON-LD (:func:`news_article`) carries the headline, description, dates
(``dateModified``: the living article's ``updated:``, else the publication date),
language, author (``author:`` in the front matter, one name or a list; else the
publication), publisher, image, the page (``mainEntityOfPage``) and the translation
links schema.org defines: ``translationOfWork`` on a translation, pointing to the
original, and ``workTranslation`` on the original, listing its published translations.
It is written with :func:`~.site.script_json`, so no text can end its ``<script>``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from markdown_it.token import Token

    from ..content import Article

Key = tuple[str | None, str]
SCHEMA_ORG = "https://schema.org"
#: What a URL in the front matter may not hold (it is not a URL then).
_NOT_URL = re.compile(r"[\s\"'<>\\`\x00-\x1f\x7f]")


@dataclass(frozen=True)
class LeadImage:
    url: str  # absolute, http(s)
    alt: str | None  # the alt text in the page's language; None when it has none


def absolute_url(value: str, page: str) -> str | None:
    """*value* (a URL, or a path relative to *page*) as an absolute ``http(s)`` URL, else
    None.

    >>> absolute_url("photo.jpg", "https://news.example/es/vote/")
    'https://news.example/es/vote/photo.jpg'
    >>> absolute_url("javascript:alert(1)", "https://news.example/"), absolute_url("", "x")
    (None, None)
    """
    from urllib.parse import urljoin, urlsplit

    value = value.strip()
    if not value or _NOT_URL.search(value):
        return None
    try:
        joined = urljoin(page, value)
        parts = urlsplit(joined)
    except ValueError:
        return None
    return joined if parts.scheme in ("http", "https") and parts.hostname else None


def _first_image(tokens: Sequence[Token] | None) -> Token | None:
    for token in tokens or ():
        if token.type == "image":
            return token
        found = _first_image(token.children)
        if found is not None:
            return found
    return None


def lead_image(article: Article, page: str, translations: Mapping[Key, str] | None
               ) -> LeadImage | None:
    """The article's lead image for the page at URL *page* (*translations*: the page's
    published text; None: the source language's page)."""
    from ..segment import body_units, markdown_parser

    declared = article.meta.get("image")
    if isinstance(declared, str) and declared.strip():
        url = absolute_url(declared, page)
        return LeadImage(url, None) if url else None
    if "![" not in article.body:
        return None
    env: dict[str, Any] = {}
    tokens = markdown_parser().parse(article.body, env)
    for token in tokens:
        image = _first_image([token]) if token.type == "inline" else None
        if image is None:
            continue
        url = absolute_url(str(image.attrGet("src") or ""), page)
        if url is None:
            return None
        alt = None
        for unit in body_units(tokens, env):
            if unit.part == "image alt" and unit.token is token:
                msgid = unit.segment.msgid
                # an alt that needs no translation (a number, a code span) is the same
                # in every language
                alt = (msgid if translations is None or not unit.extracted
                       else translations.get((None, msgid)))
                break
        return LeadImage(url, alt)
    return None


def authors(article: Article, organization: dict[str, Any]) -> list[dict[str, Any]]:
    """``author:`` of the front matter (a name or a list of names) as schema.org
    ``Person``s; without one, the publication (*organization*)."""
    given = article.meta.get("author")
    names = [given] if isinstance(given, str) else given if isinstance(given, list) else []
    people = [{"@type": "Person", "name": " ".join(name.split())} for name in names
              if isinstance(name, str) and name.strip()]
    return people or [organization]


def _work(url: str, tag: str) -> dict[str, Any]:
    return {"@type": "NewsArticle", "@id": f"{url}#article", "url": url, "inLanguage": tag}


@dataclass(frozen=True)
class Versions:
    """The published versions of an article: (tag, URL) of the original, and of the
    translations (on the original's page; a translation's lists none)."""

    original: tuple[str, str]
    translations: tuple[tuple[str, str], ...]


def news_article(article: Article, *, headline: str, description: str, tag: str, url: str,
                 publisher: dict[str, Any], image: LeadImage | None,
                 versions: Versions) -> dict[str, Any]:
    """The page's schema.org ``NewsArticle``."""
    date = article.date
    modified = article.updated  # the living article's ``updated:``, else ``date:``
    data: dict[str, Any] = {
        "@context": SCHEMA_ORG,
        "@type": "NewsArticle",
        "@id": f"{url}#article",
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "headline": headline,
        "inLanguage": tag,
        "author": authors(article, publisher),
        "publisher": publisher,
    }
    if description:
        data["description"] = description
    if date is not None:
        data["datePublished"] = date.isoformat()
    if modified is not None:
        data["dateModified"] = modified.isoformat()
    if image is not None:
        data["image"] = [image.url]
    original_tag, original_url = versions.original
    if tag != original_tag:
        data["translationOfWork"] = _work(original_url, original_tag)
    elif versions.translations:
        data["workTranslation"] = [_work(other_url, other_tag)
                                   for other_tag, other_url in versions.translations]
    return data


def organization(name: str, url: str) -> dict[str, Any]:
    """The publication as schema.org's ``Organization``."""
    return {"@type": "Organization", "name": name, "url": url}
