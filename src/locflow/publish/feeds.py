"""Each language's feeds: RSS 2.0 (``<lang>/feed.xml``) and Atom 1.0 (``<lang>/atom.xml``)
of its newest published articles (pure; written with the stdlib's ElementTree).

An item is a published bundle as the manifest records it: its title, summary, link, dates
and the article's published versions in every language (``hreflang`` alternates: Atom
``<link rel="alternate">``, in RSS the same element from the Atom namespace). Readers
take an entry's link from its alternates, some the first (SimplePie, Miniflux), some the
last (feedparser): the entry's own page is both, the first with its ``hreflang``, the last
without (in RSS: its ``<link>``), the other languages in between. At most
``[build] feed_size`` items, newest ``date:`` first; an article without a ``date:`` is not
in the feeds (a feed lists what is new). Dates come from the articles, never from the
clock: ``date:`` is when it was published, ``updated:`` (the living article's English
update) when it last changed, both at midnight UTC, RFC 822 in RSS and RFC 3339 in Atom.
So the same articles give the same bytes, and the output writes a feed only when they
change.

Every text is written as text: ElementTree escapes it, characters XML cannot hold are
replaced (:func:`~.site.xml_text`), Atom says ``type="text"``, and an RSS
``<description>`` (which readers take as HTML) holds the summary HTML-escaped.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..locales import bcp47_tag
from .site import ATOM_FEED, RSS_FEED, feed_links, page_url, xml_document, xml_text

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

    from .builder import Builder
    from .manifest import PageRecord

ATOM = "http://www.w3.org/2005/Atom"
GENERATOR = "locflow"
#: An Atom feed must say when it changed; one without a dated article says this.
EPOCH = dt.date(1970, 1, 1)


@dataclass(frozen=True)
class Channel:
    """What a feed says of itself."""

    tag: str  # BCP 47 tag of its language
    title: str
    description: str
    home: str  # the locale's index page
    rss: str  # the feeds' own URLs
    atom: str
    site_name: str
    site_url: str
    copyright: str


@dataclass(frozen=True)
class Item:
    """One article in a feed."""

    title: str
    summary: str
    url: str
    published: dt.date
    updated: dt.date  # ``updated:``, else the publication date
    alternates: tuple[tuple[str, str], ...]  # (tag, URL) of its other published versions


def record_date(value: object) -> dt.date | None:
    """The date of a manifest record's ISO text (records of unchanged bundles come from
    the previous manifest: never trusted), else None."""
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def newest_items(records: Sequence[PageRecord], versions: Mapping[str, Sequence[PageRecord]],
                 size: int, base_url: str) -> list[Item]:
    """The *size* newest dated *records* of one locale as feed items; *versions*: each
    article's published versions (its alternates), in the site's locale order."""
    dated = [(date, record) for record in records
             if (date := record_date(record.date)) is not None]
    dated.sort(key=lambda pair: (-pair[0].toordinal(), pair[1].title, pair[1].article))
    items = []
    for published, record in dated[:size]:
        modified = record_date(record.modified)
        others = tuple((other.locale, page_url(base_url, other.locale, other.article))
                       for other in versions.get(record.article, ())
                       if other.locale != record.locale)
        items.append(Item(record.title, record.summary,
                          page_url(base_url, record.locale, record.article), published,
                          max(modified, published) if modified else published, others))
    return items


def rfc822(date: dt.date) -> str:
    """RSS's date form, at midnight UTC.

    >>> rfc822(dt.date(2024, 11, 4))
    'Mon, 04 Nov 2024 00:00:00 +0000'
    """
    from email.utils import format_datetime

    return format_datetime(dt.datetime.combine(date, dt.time(), dt.UTC))


def rfc3339(date: dt.date) -> str:
    """Atom's date form, at midnight UTC.

    >>> rfc3339(dt.date(2024, 11, 4))
    '2024-11-04T00:00:00Z'
    """
    return f"{date.isoformat()}T00:00:00Z"


def _add(parent: Element, tag: str, text: str | None = None, **attributes: str) -> Element:
    from xml.etree.ElementTree import SubElement

    element = SubElement(parent, tag, {name.replace("_", ":"): xml_text(value)
                                       for name, value in attributes.items()})
    if text is not None:
        element.text = xml_text(text)
    return element


def _newest(items: Sequence[Item]) -> dt.date | None:
    return max((item.updated for item in items), default=None)


def render_rss(channel: Channel, items: Sequence[Item]) -> bytes:
    """The RSS 2.0 feed."""
    from xml.etree.ElementTree import Element

    root = Element("rss", {"version": "2.0", "xmlns:atom": ATOM})
    head = _add(root, "channel")
    _add(head, "title", channel.title)
    _add(head, "link", channel.home)
    _add(head, "description", channel.description)
    _add(head, "language", channel.tag)
    if channel.copyright:
        _add(head, "copyright", channel.copyright)
    _add(head, "generator", GENERATOR)
    newest = _newest(items)
    if newest is not None:
        _add(head, "lastBuildDate", rfc822(newest))
    _add(head, "atom:link", href=channel.rss, rel="self", type="application/rss+xml")
    for item in items:
        entry = _add(head, "item")
        _add(entry, "title", item.title)
        # its versions, its own first; then RSS's own <link>, last (see the module)
        for tag, url in ((channel.tag, item.url), *item.alternates):
            _add(entry, "atom:link", href=url, rel="alternate", hreflang=tag,
                 type="text/html")
        _add(entry, "link", item.url)
        _add(entry, "guid", item.url, isPermaLink="true")
        if item.summary:
            _add(entry, "description", html.escape(item.summary, quote=False))
        _add(entry, "pubDate", rfc822(item.published))
    return xml_document(root)


def render_atom(channel: Channel, items: Sequence[Item]) -> bytes:
    """The Atom 1.0 feed."""
    from xml.etree.ElementTree import Element

    root = Element("feed", {"xmlns": ATOM, "xml:lang": channel.tag})
    _add(root, "id", channel.atom)
    _add(root, "title", channel.title, type="text")
    _add(root, "subtitle", channel.description, type="text")
    _add(root, "updated", rfc3339(_newest(items) or EPOCH))
    _add(root, "link", href=channel.atom, rel="self", type="application/atom+xml")
    _add(root, "link", href=channel.home, rel="alternate", type="text/html",
         hreflang=channel.tag)
    author = _add(root, "author")
    _add(author, "name", channel.site_name)
    _add(author, "uri", channel.site_url)
    if channel.copyright:
        _add(root, "rights", channel.copyright, type="text")
    _add(root, "generator", GENERATOR)
    for item in items:
        entry = _add(root, "entry")
        _add(entry, "id", item.url)
        _add(entry, "title", item.title, type="text")
        for tag, url in ((channel.tag, item.url), *item.alternates):
            _add(entry, "link", href=url, rel="alternate", type="text/html", hreflang=tag)
        if item.alternates:  # its own page last too, without hreflang (see the module)
            _add(entry, "link", href=item.url, rel="alternate", type="text/html")
        _add(entry, "published", rfc3339(item.published))
        _add(entry, "updated", rfc3339(item.updated))
        if item.summary:
            _add(entry, "summary", item.summary, type="text")
    return xml_document(root)


def render_feeds(builder: Builder, locale: str, records: Sequence[PageRecord],
                 versions: Mapping[str, Sequence[PageRecord]]) -> dict[str, bytes]:
    """``<lang>/feed.xml`` and ``<lang>/atom.xml`` of *locale*, whose published bundles
    are *records* (*versions*: each article's published versions)."""
    config = builder.config
    tag = bcp47_tag(locale)
    # the index page's title: compiled interface strings are HTML-escaped; a feed's are text
    headlines = html.unescape(str(builder.strings[locale].translations.gettext(
        "News Headlines")))
    links = feed_links(config.base_url, tag)
    channel = Channel(tag, f"{headlines} · {config.name}" if config.name else headlines,
                      headlines, page_url(config.base_url, tag), links["rss"], links["atom"],
                      config.name, config.base_url, config.copyright)
    items = newest_items(records, versions, config.feed_size, config.base_url)
    return {f"{tag}/{RSS_FEED}": render_rss(channel, items),
            f"{tag}/{ATOM_FEED}": render_atom(channel, items)}
