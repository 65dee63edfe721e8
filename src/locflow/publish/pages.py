"""The pages of a build: an article's bundle (``index.html`` and ``article.json``), a
locale's index page, and the source's raw HTML a page cannot publish."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..locales import bcp47_tag, display_name
from .site import (
    SITEMAP,
    dump_json,
    feed_links,
    format_date,
    og_locale,
    page_url,
    script_json,
    text_direction,
)

if TYPE_CHECKING:
    from ..config import Project
    from ..content import Article
    from .builder import Builder, Version
    from .gate import GateResult, Key
    from .manifest import PageRecord
    from .structured import LeadImage


def source_warnings(project: Project, article: Article) -> list[str]:
    """``file:line: ...`` for each place where the page loses raw HTML of *article*
    to the sanitizer (an ``<iframe>``, a ``<script>``, an event handler), and where raw
    HTML never ends (the page closes it with its block). What they quote of the source
    (tag and attribute names) is bounded and escaped: a source is untrusted text."""
    if "<" not in article.body:
        return []
    from ..escaping import visible
    from .render import html_losses

    def bounded(what: str, limit: int = 60) -> str:
        return visible(what if len(what) <= limit else what[:limit - 1] + "…")

    where = visible(project.relative(article.path))
    found = []
    for loss in html_losses(article.body, project.config.embeds):
        at = f"{where}:{article.body_line + loss.line - 1}"
        if loss.removed:
            shown = [bounded(what) for what in loss.removed[:8]]
            more = len(loss.removed) - len(shown)
            found.append(f"{at}: HTML the page cannot publish safely is removed: "
                         + ", ".join(shown) + (f" and {more} more" if more else ""))
        if loss.unended:
            found.append(f"{at}: HTML here never ends (a comment, a tag, a <textarea>...): "
                         "a browser would hide the rest of the article; the page ends it "
                         "with its block")
    return found


def alternates(locales: Sequence[str], current: str, base_url: str, slug: str | None,
               up: str) -> list[dict[str, Any]]:
    """The published versions of a page, for the switcher and the hreflang links."""
    found = []
    for locale in locales:
        tag = bcp47_tag(locale)
        found.append({
            "tag": tag,
            "name": display_name(locale),
            "url": page_url(base_url, tag, slug),
            "href": f"{up}{tag}/" + (f"{slug}/" if slug else ""),
            "current": tag == current,
            "og_locale": og_locale(locale),
        })
    return found


def _field(article: Article, name: str, translations: dict[Key, str] | None) -> tuple[str, bool]:
    """(text of a front-matter field in the page's language, whether it fell back)."""
    from ..segment import normalize_inline

    value = article.meta.get(name)
    if not isinstance(value, str) or not value.strip():
        return "", False
    source = normalize_inline(value.strip())
    if translations is None:
        return source, False
    if (name, source) in translations:
        return translations[(name, source)], False
    return source, True


def corrections(article: Article, locale: str, translations: Mapping[Key, str] | None,
                outdated: Collection[Key] = ()) -> list[dict[str, Any]]:
    """The article's corrections in the page's language (*translations* None: the source's):
    each with its date (ISO and localized), the text shown, whether it is in the page's
    language (``translated``; else the English, to be marked) and whether that text was
    approved for an earlier English version (``outdated``)."""
    from ..segment import correction_segments

    shown = []
    for correction, segment in zip(article.corrections, correction_segments(article),
                                   strict=True):
        key = (segment.context, segment.msgid)
        text = segment.msgid if translations is None else translations.get(key)
        shown.append({
            "date_iso": correction.date.isoformat(),
            "date_text": format_date(correction.date, locale),
            "text": segment.msgid if text is None else text,
            "translated": text is not None,
            "outdated": text is not None and key in outdated,
        })
    return shown


@dataclass(frozen=True)
class RenderedBundle:
    """One locale version of an article, rendered: its two files and what the manifest
    records of it."""

    html: bytes  # index.html
    data: bytes  # article.json
    url: str
    title: str
    summary: str
    date: str | None  # ISO 8601
    modified: str | None = None  # ISO 8601: the English update (``updated:``), if any


def _social(image: LeadImage | None) -> dict[str, Any]:
    """The social cards' part of a page's head: its image (absolute URL, alt text in the
    page's language or None) and the Twitter card it makes."""
    return {"image": image.url if image else None, "image_alt": image.alt if image else None,
            "twitter_card": "summary_large_image" if image else "summary"}


def _page(builder: Builder, version: Version, published: Sequence[str], title: str,
          description: str, image: LeadImage | None) -> dict[str, Any]:
    """What ``base.html`` shows of an article's page (its head, the language switcher)."""
    config = builder.config
    slug = version.article.slug
    return {
        **_social(image),
        "feeds": feed_links(config.base_url, version.tag),
        "lang": version.tag,
        "dir": text_direction(version.locale),
        "title": title,
        "description": description,
        "canonical": page_url(config.base_url, version.tag, slug),
        "alternates": alternates(published, version.tag, config.base_url, slug, "../../"),
        "x_default": page_url(config.base_url, bcp47_tag(config.source_locale), slug),
        "og_type": "article",
        "og_locale": og_locale(version.locale),
        "site_name": config.name,
        "copyright": config.copyright,
        "home_href": "../",
        "sitemap_href": "../../" + SITEMAP,
    }


def _article_json(version: Version, page: Mapping[str, Any], title: str, description: str,
                  shown: Sequence[Mapping[str, Any]], gate: GateResult | None) -> bytes:
    """``article.json`` of a bundle."""
    from markupsafe import escape

    article = version.article
    date = article.date
    info: dict[str, Any] = {
        "slug": article.slug,
        "locale": version.tag,
        "title": title,  # text as written: a consumer must escape it (or use title_html)
        "title_html": str(escape(title)),
        "summary": description,
        "summary_html": str(escape(description)),
        "date": date.isoformat() if date else None,
        "url": page["canonical"],
        "alternates": [{"locale": a["tag"], "name": a["name"], "url": a["url"]}
                       for a in page["alternates"]],
        "source_hash": article.source_hash,
        "translation_hash": version.catalog_hash,
        "review": version.review,
        "corrections": [{"date": c["date_iso"], "text": c["text"],
                         "text_html": str(escape(c["text"])), "translated": c["translated"],
                         "outdated": c["outdated"]} for c in shown],
    }
    updated = article.updated if article.meta.get("updated") is not None else None
    if updated is not None:
        info["updated"] = updated.isoformat()
    if gate is not None:
        # entries shown from an earlier version or in English since the English changed;
        # which English version the translation follows
        info["outdated"] = gate.outdated_count
        info["follows"] = "earlier" if gate.behind else "current"
    return dump_json(info)


def _json_ld(builder: Builder, version: Version, page: Mapping[str, Any], title: str,
             description: str, image: LeadImage | None) -> str:
    """The page's schema.org ``NewsArticle``, as a ``<script>`` element may hold it."""
    from .structured import Versions, news_article, organization

    config = builder.config
    source = bcp47_tag(config.source_locale)
    others = tuple((a["tag"], a["url"]) for a in page["alternates"] if a["tag"] != source)
    data = news_article(
        version.article, headline=title, description=description, tag=version.tag,
        url=page["canonical"], publisher=organization(config.name, config.base_url),
        image=image, versions=Versions((source, page["x_default"]), others))
    return script_json(data)


def render_bundle(builder: Builder, version: Version, published: Sequence[str]
                  ) -> RenderedBundle:
    """The bundle of *version*, whose article is published in the locales *published*."""
    from markupsafe import Markup

    from .render import render_body
    from .structured import lead_image

    config = builder.config
    article = version.article
    gate = None if version.is_source else builder.gate(version)
    translations = gate.translations if gate is not None else None
    outdated = frozenset(gate.outdated) if gate is not None and gate.behind else frozenset()
    title, title_fallback = _field(article, "title", translations)
    summary, summary_fallback = _field(article, "summary", translations)
    # the breadcrumb's section: the front matter's, translated like the title
    section, section_fallback = _field(article, "section", translations)
    source_tag = bcp47_tag(config.source_locale)
    description = " ".join(summary.split())
    image = lead_image(article, page_url(config.base_url, version.tag, article.slug),
                       translations)
    page = _page(builder, version, published, title, description, image)
    date = article.date
    date_iso = date.isoformat() if date else ""
    updated = article.updated if article.meta.get("updated") is not None else None
    behind = gate is not None and gate.behind
    changed = updated or date  # when the English last changed
    shown = corrections(article, version.locale, translations, outdated)

    def body(note: str) -> Markup:
        rendered = render_body(article.body, translations, source_lang=source_tag, note=note,
                               note_lang=version.tag, embeds=config.embeds, outdated=outdated)
        return Markup(rendered.html)

    context = {
        "title": title,
        "title_fallback": title_fallback,
        "summary": description,  # shown under the title
        "summary_fallback": summary_fallback,
        "section": section,
        "section_fallback": section_fallback,
        "source_lang": source_tag,
        "date_iso": date_iso,
        "date_text": format_date(date, version.locale) if date else "",
        # ``updated:`` of the front matter, shown next to the release time
        "modified_iso": updated.isoformat() if updated else "",
        "modified_text": format_date(updated, version.locale) if updated else "",
        "body": body,
        "corrections": shown,  # after the body, as news sites print them
        # a living page: the English changed since this translation was approved
        "behind": behind,
        "updated_iso": changed.isoformat() if behind and changed else "",
        "updated_text": format_date(changed, version.locale) if behind and changed else "",
        # schema.org NewsArticle: JSON whose <, > and & are \u escapes (safe in <script>)
        "json_ld": Markup(_json_ld(builder, version, page, title, description, image)),
    }
    html = builder.render(version.locale, "article.html", page=page, article=context)
    return RenderedBundle(html.encode("utf-8"),
                          _article_json(version, page, title, description, shown, gate),
                          page["canonical"], title, description, date_iso or None,
                          updated.isoformat() if updated else None)


def _date_of(record: PageRecord) -> dt.date | None:
    # records of unchanged bundles come from the previous manifest: never trust them
    try:
        return dt.date.fromisoformat(str(record.date or ""))
    except ValueError:
        return None


def _newest_first(record: PageRecord) -> tuple[int, str, str]:
    date = _date_of(record)
    return (-date.toordinal() if date else 0, record.title, record.article)


def render_index(builder: Builder, locale: str, records: Sequence[PageRecord],
                 published_locales: Sequence[str]) -> bytes:
    """The index page of *locale*: its published articles (*records*), newest first."""
    from babel.numbers import format_decimal
    from markupsafe import Markup

    config = builder.config
    tag = bcp47_tag(locale)
    items = []
    for record in sorted(records, key=_newest_first):
        date = _date_of(record)
        items.append({
            "title": record.title,
            "href": f"{record.article}/",
            "date_iso": date.isoformat() if date else "",
            "date_text": format_date(date, locale) if date else "",
            "summary": record.summary,
        })
    page = {
        "lang": tag,
        "dir": text_direction(locale),
        # already escaped, like every compiled interface string
        "title": Markup(builder.strings[locale].translations.gettext("News Headlines")),
        "description": "",
        "canonical": page_url(config.base_url, tag),
        "alternates": alternates(published_locales, tag, config.base_url, None, "../"),
        "x_default": page_url(config.base_url, bcp47_tag(config.source_locale)),
        "og_type": "website",
        "og_locale": og_locale(locale),
        "site_name": config.name,
        "copyright": config.copyright,
        "home_href": "./",
        "sitemap_href": "../" + SITEMAP,
        "feeds": feed_links(config.base_url, tag),
        **_social(None),
    }
    html = builder.render(locale, "index.html", page=page, articles=items,
                          count_text=format_decimal(len(items), locale=locale))
    return html.encode("utf-8")
