"""Markdown body → safe HTML, with the published translations in place (pure).

The body is parsed with the project's one Markdown parser (the one segmentation
uses, so units match msgids), each translatable unit is replaced by its
translation, and the HTML is rendered by markdown-it and then sanitized with
nh3 (:func:`sanitize`).

Raw HTML of the source (blocks and inline tags) is published, sanitized: its
text runs and ``alt``/``title`` attributes are translated in place
(:mod:`locflow.segment.htmlblocks`). What the sanitizer removes from the
source (an ``<iframe>``, a ``<script>``, an ``onclick``) is reported by
:func:`html_losses`, which ``sync`` and ``build`` print as warnings naming
``file:line``. A translation can keep, move or drop the markup of its source
but never add any: a tag that is not in the source text becomes text, so
``<script>`` stays text, and a ``javascript:`` URL never becomes a link
(markdown-it refuses it, nh3 drops it).

URL schemes: every scheme that cannot run code is kept (``https:``, ``mailto:``,
``ftp:``, ``tel:``, ``irc:``, custom ones); ``javascript:``, ``vbscript:`` and
``data:`` are removed, except ``data:image/png|gif|jpeg|webp`` in an image's
``src`` (raster images cannot carry script; SVG can, and is removed).

Embedded players (``<iframe>``) are removed unless their ``src`` starts with one
of the ``https://`` prefixes of ``[build] embeds``; those are kept, sandboxed. What a
reader never sees (a script, a player's fallback text) goes with its element, so the
page hides what a browser hides; a unit that needs no translation (a number, a URL,
code) is shown as the source has it.

A unit without a published translation (allowed by ``min_percent`` < 100) is
shown in the source language inside ``<span class="untranslated" lang="en">``,
followed by a localized note.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..segment import Unit, body_units, markdown_parser, safehtml, to_markdown_inline
from ..segment.htmlblocks import attribute_spans, keep_source_tags, source_tags, tag_key
from ..segment.htmltokens import TEXT_ELEMENTS, VOID_TAGS, close_html

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

Key = tuple[str | None, str]

UNTRANSLATED_CLASS = "untranslated"
NOTE_CLASS = "untranslated-note"
OUTDATED_CLASS = "outdated"  # a living page's text approved for an earlier English version


def sanitize(html: str, embeds: tuple[str, ...] = ()) -> str:
    """Keep only the tags, attributes and URL schemes a page may have
    (:mod:`locflow.segment.safehtml`, the allow-list the ``unsafe-html`` check uses too).

    *embeds* are the ``https://`` prefixes of the ``<iframe>`` sources that may stay
    (``[build] embeds``); such an iframe is sandboxed. Any other iframe goes.
    """
    import nh3

    cleaned = str(nh3.clean(html, **safehtml.nh3_options(html, embeds)))
    return safehtml.finish(cleaned, embeds)


def removed_by_sanitizer(html: str, embeds: tuple[str, ...] = ()) -> list[str]:
    """What :func:`sanitize` removes from *html*, in words ("<iframe>", "onclick on <div>").

    Comments are not counted: a page never shows them.

    >>> removed_by_sanitizer('<div onclick="x()">a</div><iframe src="v"></iframe>')
    ['<iframe>', 'onclick on <div>']
    >>> removed_by_sanitizer('<div class="note" id="n1" lang="fr" dir="rtl" title="t">a</div>')
    []
    """
    removed = safehtml.removals(html, sanitize(html, embeds))
    return list(dict.fromkeys(str(removal) for removal in removed))  # each kind once


@dataclass(frozen=True)
class HtmlLoss:
    """Raw HTML of the source that the published page cannot have (or not as a browser
    reads it)."""

    line: int  # 1-based line in the body
    removed: tuple[str, ...]
    unended: bool = False  # a comment, tag or <textarea>... that never ends: closed here


def html_losses(markdown: str, embeds: tuple[str, ...] = ()) -> list[HtmlLoss]:
    """Where the sanitizer removes something from the raw HTML of a body, and what; and
    where an HTML block opens what never ends (a browser would hide the rest of the
    article in it; the page ends it with its block)."""
    from ..segment.htmltokens import never_ends

    md = markdown_parser()
    losses = []
    for token in md.parse(markdown, {}):
        line = (token.map[0] + 1) if token.map else 0
        if token.type == "html_block":
            html = token.content
        elif token.type == "inline":
            html = "".join(c.content for c in token.children or [] if c.type == "html_inline")
        else:
            continue
        if not html:
            continue
        removed = removed_by_sanitizer(html, embeds)
        unended = token.type == "html_block" and never_ends(html)
        if removed or unended:
            losses.append(HtmlLoss(line, tuple(removed), unended))
    return losses


@dataclass(frozen=True)
class RenderedBody:
    html: str  # sanitized HTML
    fallbacks: int  # units shown in the source language


def _text_unless_allowed(tokens: list[Token] | None, allowed: set[Any]) -> list[Token]:
    """Inline tokens with raw HTML that is not among *allowed* tags turned into text."""
    out = list(tokens or [])
    for token in out:
        if token.type == "html_inline" and tag_key(token.content) not in allowed:
            token.type = "text"
        if token.children:
            token.children = _text_unless_allowed(token.children, allowed)
    return out


def _footnote_refs(tokens: list[Token]) -> dict[str, list[dict[str, Any]]]:
    refs: dict[str, list[dict[str, Any]]] = {}
    for token in tokens:
        if token.type == "footnote_ref":
            refs.setdefault(str(token.meta.get("label")), []).append(dict(token.meta))
    return refs


def _inline_children(text: str, env: dict[str, Any], source: list[Token], *,
                     verbatim: bool) -> list[Token]:
    """The translation *text* of a unit whose source tokens are *source*, as inline tokens."""
    from ..segment import scratch_env

    md = markdown_parser()
    tokens = md.parseInline(text if verbatim else to_markdown_inline(text), scratch_env(env))
    children = tokens[0].children or [] if tokens else []
    allowed = {tag_key(t.content) for t in source if t.type == "html_inline"}
    children = _text_unless_allowed(children, allowed)
    # a footnote reference keeps the source's number and anchor
    refs = _footnote_refs(source)
    for token in children:
        if token.type == "footnote_ref":
            label = str(token.meta.get("label"))
            if refs.get(label):
                token.meta = refs[label].pop(0) if len(refs[label]) > 1 else dict(refs[label][0])
    return children


def _html_token(html: str) -> Token:
    from markdown_it.token import Token

    return Token("html_inline", "", 0, content=html)


def _text_token(text: str) -> Token:
    from markdown_it.token import Token

    return Token("text", "", 0, content=text)


def _escape(text: str) -> str:
    # markupsafe respects text that is already Markup (a translated Jinja string)
    from markupsafe import escape

    return str(escape(text))


def _task_marker(token: Token) -> list[Token]:
    """The checkbox the task-list plugin put in front of a list item's text, if any."""
    children = token.children or []
    if children and children[0].type == "html_inline" and children[0].content.startswith(
            '<input class="task-list-item-checkbox"'):
        return [children[0]]
    return []


def _fallback(html: str, source_lang: str, note: str, note_lang: str) -> tuple[str, str]:
    opening = f'<span class="{UNTRANSLATED_CLASS}" lang="{_escape(source_lang)}">'
    closing = "</span>"
    if note:
        lang = f' lang="{_escape(note_lang)}"' if note_lang else ""
        closing += f' <small class="{NOTE_CLASS}"{lang}>{_escape(note)}</small>'
    return opening, closing


def render_body(
    markdown: str,
    translations: Mapping[Key, str] | None = None,
    *,
    source_lang: str = "en",
    note: str = "",
    note_lang: str = "",
    embeds: tuple[str, ...] = (),
    outdated: Collection[Key] = (),
) -> RenderedBody:
    """Render an article body as sanitized HTML.

    *translations* maps ``(None, msgid)`` of body units to the text to show;
    ``None`` renders the source as is (the source-language page). With a
    mapping, a unit missing from it is shown in the source language, wrapped in
    a ``lang=source_lang`` span and followed by *note* (in *note_lang*). *embeds*: see
    :func:`sanitize`. A unit whose key is in *outdated* shows its text in a
    ``class="outdated"`` span (text approved for an earlier English version).
    """
    md = markdown_parser()
    env: dict[str, Any] = {}
    # env keeps the link reference definitions, for translations that use them
    tokens = md.parse(markdown, env)
    units = list(body_units(tokens, env))
    fallbacks = 0
    html_edits: dict[int, list[tuple[int, int, str]]] = {}
    opening, closing = _fallback("", source_lang, note, note_lang)
    for unit in units:
        if translations is None or not unit.extracted:
            continue  # (a number, a URL, code: shown as the source has it)
        found = translations.get((None, unit.segment.msgid))
        if unit.part == "html":
            fallbacks += _translate_html(unit, found, html_edits, opening, closing,
                                         source_lang)
        elif unit.part in ("image alt", "image title"):
            image = next(c for c in unit.token.children or [] if c.type == "image")
            if found is None:
                if unit.part == "image alt":  # the English alt: marked as a paragraph is
                    fallbacks += 1
                    unit.token.children = [_html_token(opening), *(unit.token.children or []),
                                           _html_token(closing)]
                continue
            if unit.part == "image title":
                image.attrSet("title", found)
            else:
                image.children = _inline_children(found, env, image.children or [],
                                                  verbatim=unit.verbatim)
                image.content = found
        elif found is not None:
            source = unit.token.children or []
            marker = _task_marker(unit.token)
            space = [_text_token(" ")] if marker else []
            shown = _inline_children(found, env, source[len(marker):], verbatim=unit.verbatim)
            if (None, unit.segment.msgid) in outdated:
                shown = [_html_token(f'<span class="{OUTDATED_CLASS}">'), *shown,
                         _html_token("</span>")]
            unit.token.children = marker + space + shown
        else:
            fallbacks += 1
            children = unit.token.children or []
            marker = _task_marker(unit.token)
            unit.token.children = [*marker, _html_token(opening), *children[len(marker):],
                                   _html_token(closing)]
    for token in tokens:
        edits = html_edits.get(id(token))
        if edits:
            token.content = _edited(token.content, edits)
        _contain(md, token, env, embeds)
    html = md.renderer.render(tokens, md.options, env)
    return RenderedBody(sanitize(html, embeds), fallbacks)


#: Elements a block of raw HTML may leave open for the next blocks (``<div>`` before
#: Markdown and ``</div>`` after it, a ``<details>`` around paragraphs): containers.
_WRAPPERS = ("div", "details", "section", "article", "aside", "blockquote", "figure",
             "header", "footer", "nav", "main", "center", "hgroup", "ul", "ol", "li", "dl",
             "dt", "dd", "table", "thead", "tbody", "tfoot", "tr", "td", "th")
_TRAILING_WRAPPERS = re.compile(r"(?:\s|</(?:" + "|".join(_WRAPPERS) + r")>)*")


def _runs_past(html: str, embeds: tuple[str, ...], *, block: bool) -> bool:
    """Whether *html* (one block's) reaches into what follows it on the page: the
    sanitizer's parser reads a paragraph put after it as something else (text,
    a comment, an attribute, content it removes) or inside an element *html* left open
    (a block may leave containers open: :data:`_WRAPPERS`)."""
    import hashlib

    mark = "locflow-" + hashlib.sha256(html.encode("utf-8", "surrogatepass")).hexdigest()[:24]
    probe = f"<p>{mark}</p>"  # (no text can hold its own hash)
    cleaned = sanitize(html + probe, embeds)
    end = cleaned.rfind(probe)
    if end < 0:
        return True
    rest = cleaned[end + len(probe):]
    return not (_TRAILING_WRAPPERS.fullmatch(rest) if block else rest.isspace() or not rest)


def contained_html(html: str, embeds: tuple[str, ...] = (), *, block: bool = True) -> str:
    """One block's raw HTML, kept from reaching past its block: what it leaves open
    at its end is closed (:func:`~locflow.segment.htmlblocks.close_html`); HTML that
    would still reach further (an unclosed ``<a>``, ``<h2>`` or ``<svg>``) is sanitized
    on its own, which closes everything. *block*: an HTML block (which may leave a
    container open, :data:`_WRAPPERS`), else a paragraph's inline HTML (nothing).

    >>> contained_html("Intro <style>p { color: red }", block=False)
    'Intro <style>p { color: red }</style>'
    >>> contained_html('<a href="https://example.org">link', block=False)
    '<a href="https://example.org">link</a>'
    """
    closed = close_html(html)
    if not _runs_past(closed, embeds, block=block):
        return closed
    return sanitize(closed, embeds)


_INLINE_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)")
#: Elements whose content HTML does not read as HTML, or hides, or reads otherwise.
_UNUSUAL = frozenset({"script", "plaintext", "template", "svg", "math", *TEXT_ELEMENTS})


def _balanced(children: list[Token]) -> bool:
    """Whether the raw HTML among inline *children* is only ordinary tags, each closed in
    order (``<b>…</b>``, ``<br>``): it cannot reach past its block (the fast path of
    :func:`_contain`; markdown-it's inline tags end where HTML's do)."""
    open_tags: list[str] = []
    for child in children:
        if child.type != "html_inline":
            continue
        match = _INLINE_TAG.match(child.content)
        if match is None:
            return False  # a comment, a declaration
        name = match.group(2).lower()
        if name in _UNUSUAL:
            return False
        if match.group(1):
            if not open_tags or open_tags.pop() != name:
                return False
        elif name not in VOID_TAGS and not child.content.endswith("/>"):
            open_tags.append(name)
    return not open_tags


def _contain(md: MarkdownIt, token: Token, env: dict[str, Any], embeds: tuple[str, ...]
             ) -> None:
    """Keep the raw HTML of *token* (an HTML block, or a block's inline content) inside
    its block (:func:`contained_html`)."""
    if token.type == "html_block":
        token.content = contained_html(token.content, embeds)
    elif token.type == "inline" and not _balanced(token.children or []):
        from markdown_it.token import Token as InlineToken

        wrapper = InlineToken("inline", "", 0, children=token.children)
        html = md.renderer.render([wrapper], md.options, env)
        contained = contained_html(html, embeds, block=False)
        if contained != html:
            token.children = [_html_token(contained)]


def _edited(content: str, edits: list[tuple[int, int, str]]) -> str:
    """*content* with each span ``(start, end)`` of *edits* replaced by its text (the
    spans do not overlap)."""
    out: list[str] = []
    position = 0
    for start, end, text in sorted(edits):
        out += [content[position:start], text]
        position = end
    out.append(content[position:])
    return "".join(out)


def _translate_html(unit: Unit, found: str | None, edits: dict[int, list[tuple[int, int, str]]],
                    opening: str, closing: str, source_lang: str) -> int:
    """Queue the edit of an HTML block for one piece; return 1 when it falls back."""
    from html import escape

    piece = unit.piece
    assert piece is not None
    source = unit.token.content[piece.start:piece.end]
    if found is not None:
        if piece.is_attribute:
            text = '"' + escape(found, quote=True) + '"'
        else:
            text = keep_source_tags(found, source_tags(source))
    elif piece.kind == "image alt":
        # an image's alt in the source language: said so (lang), as a paragraph would be,
        # unless the author gave the image a language already
        content = unit.token.content
        end = content.find(">", piece.end)
        tag = content[content.rfind("<", 0, piece.start):end + 1 if end >= 0 else len(content)]
        if any(name == "lang" for name, *_ in attribute_spans(tag)):
            return 1
        text = f'{source} lang="{_escape(source_lang)}"'
        edits.setdefault(id(unit.token), []).append((piece.start, piece.end, text))
        return 1
    elif piece.is_attribute:
        return 0  # a title stays in the source language, unmarked (it would mark content)
    else:
        text = opening + source + closing
    edits.setdefault(id(unit.token), []).append((piece.start, piece.end, text))
    return 0 if found is not None else 1
