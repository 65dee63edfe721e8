"""What search engines read beside the pages: ``sitemap-news.xml`` and ``robots.txt``
(pure; the news sitemap written with the stdlib's ElementTree).

The news sitemap lists the recent articles in every published language, in the
``news:`` namespace news search reads: the publication's name and language, the
publication date and the title. Recent means dated at most ``[build] news_days`` days
before the newest published article (from the articles' dates, never the clock, so a
build is the same bytes again), and at most 1,000 pages (the format's limit), newest
first. Only published pages are listed: the records of the bundles this build publishes.
``robots.txt`` allows everything and names both sitemaps.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from .feeds import record_date
from .site import page_url, xml_document, xml_text

if TYPE_CHECKING:
    from .manifest import PageRecord

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
#: The most pages one news sitemap may list.
MAX_NEWS = 1000


@lru_cache(maxsize=64)
def news_language(tag: str) -> str:
    """The language code a news sitemap gives (ISO 639; Chinese: ``zh-cn`` for the
    Simplified script, ``zh-tw`` for the Traditional).

    >>> news_language("es"), news_language("zh-Hans"), news_language("zh-Hant")
    ('es', 'zh-cn', 'zh-tw')
    >>> news_language("zh-HK"), news_language("pt-BR")
    ('zh-tw', 'pt')
    """
    from babel.core import Locale, get_global

    likely = get_global("likely_subtags")
    identifier = tag.replace("-", "_")
    try:
        locale = Locale.parse(str(likely.get(identifier, identifier)))
    except (ValueError, TypeError):
        return tag.split("-")[0].lower()
    if locale.language == "zh":
        return "zh-tw" if (locale.script or "Hans") == "Hant" else "zh-cn"
    return str(locale.language)


def recent(records: Sequence[PageRecord], days: int, order: Sequence[str]
           ) -> list[tuple[dt.date, PageRecord]]:
    """The dated *records* at most *days* days older than the newest, newest first (then
    by article, then in the locale order *order*), at most :data:`MAX_NEWS`."""
    dated = [(date, record) for record in records
             if (date := record_date(record.date)) is not None]
    if not dated:
        return []
    since = max(date for date, _ in dated) - dt.timedelta(days=days)
    rank = {tag: i for i, tag in enumerate(order)}
    chosen = sorted(((date, record) for date, record in dated if date >= since),
                    key=lambda pair: (-pair[0].toordinal(), pair[1].article,
                                      rank.get(pair[1].locale, len(rank)), pair[1].locale))
    return chosen[:MAX_NEWS]


def render_news_sitemap(records: Sequence[PageRecord], *, base_url: str, name: str,
                        days: int, order: Sequence[str]) -> bytes | None:
    """``sitemap-news.xml`` of the published *records* (*name*: the publication's); None
    when no article is dated."""
    from xml.etree.ElementTree import Element, SubElement

    chosen = recent(records, days, order)
    if not chosen:
        return None
    root = Element("urlset", {"xmlns": SITEMAP_NS, "xmlns:news": NEWS_NS})
    for date, record in chosen:
        url = SubElement(root, "url")
        SubElement(url, "loc").text = page_url(base_url, record.locale, record.article)
        news = SubElement(url, "news:news")
        publication = SubElement(news, "news:publication")
        SubElement(publication, "news:name").text = xml_text(name)
        SubElement(publication, "news:language").text = news_language(record.locale)
        SubElement(news, "news:publication_date").text = date.isoformat()
        SubElement(news, "news:title").text = xml_text(record.title)
    return xml_document(root)


def render_robots(base_url: str, sitemaps: Sequence[str]) -> bytes:
    """``robots.txt``: every crawler may read everything; where the sitemaps are
    (*sitemaps*: their names in the output folder)."""
    lines = ["# written by locflow build", "User-agent: *", "Allow: /", ""]
    lines += [f"Sitemap: {base_url}{name}" for name in sitemaps]
    return ("\n".join(lines) + "\n").encode("utf-8")
