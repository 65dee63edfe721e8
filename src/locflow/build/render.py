"""Markdown body → safe HTML, with the published translations in place (pure).

The body is parsed with the project's one Markdown parser (the one segmentation
uses, so units match msgids), each translatable unit's inline tokens are
replaced by the parsed translation, and the HTML is rendered by markdown-it and
then sanitized with nh3 against an allow-list of the tags markdown-it emits.
Raw HTML is never passed through: HTML blocks of the source are dropped (they
are not extracted for translation either) and inline HTML, in the source or a
translation, becomes text. So translator text can add inline Markdown
(emphasis, links, code) but never HTML: ``<script>`` stays text, and a
``javascript:`` URL never becomes a link (markdown-it refuses it, nh3 would drop
it).

A unit without a published translation (allowed by ``min_percent`` < 100) is
shown in the source language inside ``<span class="untranslated" lang="en">``,
followed by a localized note.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..segment import body_units, markdown_parser, to_markdown_inline

if TYPE_CHECKING:
    from markdown_it.token import Token

Key = tuple[str | None, str]

UNTRANSLATED_CLASS = "untranslated"
NOTE_CLASS = "untranslated-note"

_TAGS = {
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "ul", "ol", "li", "pre", "code",
    "em", "strong", "a", "img", "br", "hr", "table", "thead", "tbody", "tr", "th", "td",
    "span", "small", "s", "del",
}
_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "ol": {"start"},
    "th": {"style"},
    "td": {"style"},
    "span": {"lang"},
    "small": {"lang"},
}
_CLASSES = {"span": {UNTRANSLATED_CLASS}, "small": {NOTE_CLASS}}
_URL_SCHEMES = {"http", "https", "mailto"}


def sanitize(html: str) -> str:
    """Keep only the tags, attributes and URL schemes a rendered article may have."""
    import nh3

    return str(nh3.clean(
        html,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        allowed_classes=_CLASSES,
        filter_style_properties={"text-align"},  # table column alignment
        url_schemes=_URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
    ))


@dataclass(frozen=True)
class RenderedBody:
    html: str  # sanitized HTML
    fallbacks: int  # units shown in the source language


def _as_text(children: list[Token] | None) -> list[Token]:
    """Inline tokens with raw HTML turned into text (escaped when rendered)."""
    out = list(children or [])
    for token in out:
        if token.type == "html_inline":
            token.type = "text"
        if token.children:
            token.children = _as_text(token.children)
    return out


def _inline_children(text: str, env: dict[str, Any]) -> list[Token]:
    tokens = markdown_parser().parseInline(to_markdown_inline(text), env)
    return _as_text(tokens[0].children) if tokens else []


def _html_token(html: str) -> Token:
    from markdown_it.token import Token

    return Token("html_inline", "", 0, content=html)


def _escape(text: str) -> str:
    # markupsafe respects text that is already Markup (a translated Jinja string)
    from markupsafe import escape

    return str(escape(text))


def render_body(
    markdown: str,
    translations: Mapping[Key, str] | None = None,
    *,
    source_lang: str = "en",
    note: str = "",
    note_lang: str = "",
) -> RenderedBody:
    """Render an article body as sanitized HTML.

    *translations* maps ``(None, msgid)`` of body units to the text to show;
    ``None`` renders the source as is (the source-language page). With a
    mapping, a unit missing from it is shown in the source language, wrapped in
    a ``lang=source_lang`` span and followed by *note* (in *note_lang*).
    """
    md = markdown_parser()
    env: dict[str, Any] = {}
    # env keeps the link reference definitions, for translations that use them
    tokens = [t for t in md.parse(markdown, env) if t.type != "html_block"]
    for token in tokens:
        if token.type == "inline":
            token.children = _as_text(token.children)
    fallbacks = 0
    for unit in body_units(tokens):
        if unit.segment.kind == "image alt":
            image = next(c for c in unit.token.children or [] if c.type == "image")
            if translations is not None and (None, unit.segment.msgid) in translations:
                text = translations[(None, unit.segment.msgid)]
                image.children = _inline_children(text, env)
                image.content = text
            continue
        if translations is None:
            continue
        found = translations.get((None, unit.segment.msgid))
        if found is not None:
            unit.token.children = _inline_children(found, env)
            continue
        fallbacks += 1
        opening = f'<span class="{UNTRANSLATED_CLASS}" lang="{_escape(source_lang)}">'
        closing = "</span>"
        if note:
            lang = f' lang="{_escape(note_lang)}"' if note_lang else ""
            closing += f' <small class="{NOTE_CLASS}"{lang}>{_escape(note)}</small>'
        unit.token.children = [_html_token(opening), *(unit.token.children or []),
                               _html_token(closing)]
    html = md.renderer.render(tokens, md.options, env)
    return RenderedBody(sanitize(html), fallbacks)
