"""The review desk's preview: one locale version of an article rendered as ``build``
would, in memory, before it passes the gate."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..errors import ConfigError
from ..locales import bcp47_tag
from .builder import Builder, Version
from .catalogs import read_catalog
from .gate import Policy
from .interface import site_strings
from .pages import render_bundle

if TYPE_CHECKING:
    from ..config import Project


@dataclass(frozen=True)
class Preview:
    """One locale version of an article rendered as ``build`` would, in memory."""

    html: str
    published: bool  # whether `build` would publish this version now
    reason: str | None  # why it is held back; None when published
    fallbacks: int  # entries shown in the source language in the preview


def preview_page(project: Project, slug: str, locale: str, *,
                 include_translated: bool = False) -> Preview:
    """The page ``build`` would write for article *slug* in *locale*; nothing is written.

    Text the publishing gate lets through is shown translated; the rest in the
    source language, marked as not yet translated (as ``min_percent`` below 100
    does), so the page can be seen before it passes. *include_translated* shows
    translated text awaiting review too. :attr:`Preview.published` and
    :attr:`Preview.reason` give the real gate's decision on the version.
    """
    from ..content import read_articles

    article = next((a for a in read_articles(project.content_dir, project.config.fields)
                    if a.slug == slug), None)
    derived = {d.locale: d for d in project.config.derived}
    if article is None or (locale not in project.config.target_locales
                           and locale not in derived):
        raise ConfigError(f"no article {slug!r} in locale {locale!r} to preview")
    # a derived locale's page: its base's text, converted (and overridden)
    base = derived[locale].base if locale in derived else locale
    path = project.article_catalog(base, slug)
    catalog = path if read_catalog(project, path) is not None else None
    builder = Builder(project, project.out_dir, archive=False)
    decision = builder.decide(article, locale, {})
    # the language switcher lists the versions that are published (and this one)
    published = [loc for loc in builder.locales
                 if loc == locale or builder.decide(article, loc, {}).published]
    # The same builder, with a gate that renders whatever passes: fallbacks for the rest.
    publish = "translated" if include_translated else builder.policy.publish
    builder.policy = Policy(publish, 0.0)
    builder.strings = {loc: site_strings(project, loc, builder.policy) for loc in builder.locales
                       if loc not in derived}
    if derived:
        from .converted import derived_site_strings

        builder.strings.update({loc: derived_site_strings(project, d, builder.policy)
                                for loc, d in derived.items()})
    version = Version(article, base, bcp47_tag(base), None, "", False, None, None)
    gate = builder.evaluate(version, catalog)
    if locale in derived:
        version = Version(article, locale, bcp47_tag(locale), None, "", False, None, None,
                          base=version)
        gate = builder.gate(version)
    page = render_bundle(builder, version, published)
    return Preview(page.html.decode("utf-8"), decision.published, decision.reason,
                   len(gate.fallbacks))
