"""Raw HTML → translatable pieces: text runs and ``alt``/``title`` attributes (pure).

An HTML block (or an inline HTML tag) of an article is published, sanitized;
its text is translated like any other text. :func:`html_pieces` cuts the HTML
into pieces, each with its span in the source so the build can put the
translation in its place:

- a *text run*: text with the inline tags around and inside it
  (``<b>Note:</b> install <code>pip</code>``), between block-level tags
  (``<div>``, ``<p>``, ``<td>``, ``<summary>``...). The msgid is the run's
  HTML, whitespace collapsed (kept inside ``<pre>`` and ``<textarea>``); tags at the
  edge of a run that open or close outside it stay out of it, so
  ``<span id="install">⏎Install the package.`` gives "Install the package.";
- an *attribute*: an ``alt`` or ``title`` of a tag outside any text run (a badge
  image, a ``<div title>``); attributes of tags inside a run are translated
  in the run.

HTML is read as a browser reads it (:func:`~.htmltokens.html_tokens`), so text the
page hides is never extracted: the content of ``<script>``, ``<style>``, an
``<iframe>``'s and the other elements the page drops with their content
(:data:`~.safehtml.HIDDEN_CONTENT`), comments, and what a browser reads as one
(``</ x>``, a tag that never ends). A ``<textarea>`` shows its text: it is a run of
its own, lines kept.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from html import unescape

from .htmltokens import (
    TEXT_ELEMENTS,
    VOID_TAGS,
    HtmlToken,
    LinearHTMLParser,
    close_html,
    html_tokens,
)
from .safehtml import HIDDEN_CONTENT

__all__ = ["BLOCK_TAGS", "HIDDEN_CONTENT", "PREFORMATTED", "TEXT_ELEMENTS",
           "TRANSLATABLE_ATTRIBUTES", "VOID_TAGS", "HtmlPiece", "LinearHTMLParser",
           "attribute_spans", "close_html", "html_pieces", "keep_source_tags", "source_tags",
           "tag_key"]

#: Elements whose text keeps its lines: a run of its own, its msgid not collapsed.
PREFORMATTED = frozenset({"pre", "textarea", "xmp", "listing"})
BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "body", "caption", "center", "col",
    "colgroup", "dd", "details", "dialog", "dir", "div", "dl", "dt", "fieldset", "figcaption",
    "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "head", "header", "hgroup",
    "hr", "html", "legend", "li", "main", "menu", "nav", "ol", "optgroup", "option", "p",
    "picture", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead",
    "tr", "ul", *PREFORMATTED,
})
TRANSLATABLE_ATTRIBUTES = ("alt", "title")

_WHITESPACE = re.compile(r"[ \t\n\r\f]+")  # HTML whitespace: never NBSP
_ATTRIBUTE = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>]+))?""")
_TAG_NAME = re.compile(r"</?([A-Za-z][^\s/>]*)")


@dataclass(frozen=True)
class HtmlPiece:
    """A translatable piece of raw HTML and where it is."""

    msgid: str
    start: int  # span in the HTML source: the run (without the whitespace around it), or
    # the attribute value with its quotes
    end: int
    kind: str  # "HTML text", "image alt", "title"
    is_attribute: bool = False
    preformatted: bool = False


def attribute_spans(raw_tag: str) -> Iterator[tuple[str, int, int, str]]:
    """(name, start, end, value) of each attribute with a value in a start tag's source.

    start/end span the value with its quotes.

    >>> list(attribute_spans('<img src=a.png alt="A map">'))
    [('src', 9, 14, 'a.png'), ('alt', 19, 26, 'A map')]
    """
    name = _TAG_NAME.match(raw_tag)
    position = name.end() if name else 0
    for match in _ATTRIBUTE.finditer(raw_tag, position):
        if match.group(2) is None:
            continue
        value = match.group(2)
        if value[:1] in "\"'" and len(value) >= 2 and value[-1] == value[0]:
            value = value[1:-1]
        yield match.group(1).lower(), match.start(2), match.end(2), unescape(value)


def _attribute_pieces(event: HtmlToken) -> Iterator[HtmlPiece]:
    for name, start, end, value in attribute_spans(event.raw):
        if name not in TRANSLATABLE_ATTRIBUTES:
            continue
        text = _WHITESPACE.sub(" ", value).strip()
        if not text:
            continue
        kind = "image alt" if (event.tag, name) == ("img", "alt") else name
        yield HtmlPiece(text, event.start + start, event.start + end, kind, is_attribute=True)


def _has_text(source: str, run: list[HtmlToken]) -> bool:
    return any(e.kind == "text" and unescape(source[e.start:e.end]).strip() for e in run)


def _partners(run: list[HtmlToken]) -> dict[int, int]:
    """Index of each start tag of *run* → index of the end tag that closes it, and each
    end tag → its start tag (tags of one name nest; a tag without a partner is left out).
    """
    partners: dict[int, int] = {}
    open_tags: dict[str, list[int]] = {}
    for index, event in enumerate(run):
        if event.kind == "start":
            open_tags.setdefault(event.tag, []).append(index)
        elif event.kind == "end" and open_tags.get(event.tag):
            start = open_tags[event.tag].pop()
            partners[start] = index
            partners[index] = start
    return partners


def _trim(source: str, run: list[HtmlToken]) -> list[HtmlToken]:
    """Drop whitespace and tags that open or close outside the run from its two edges.

    Linear: a tag's partner is found once (:func:`_partners`); the run shrinks from its
    edges, so a tag closes inside it while its partner is still in it.
    """
    partners = _partners(run)
    low, high = 0, len(run)  # the run is run[low:high]

    def blank(event: HtmlToken) -> bool:
        return event.kind == "text" and not source[event.start:event.end].strip()

    changed = True
    while low < high and changed:
        changed = False
        first, last = run[low], run[high - 1]
        if (blank(first) or first.kind == "end" or (first.kind == "void" and first.tag == "br")
                or (first.kind == "start" and partners.get(low, high) >= high)):
            low += 1
            changed = True
            continue
        if (blank(last) or last.kind == "start" or (last.kind == "void" and last.tag == "br")
                or (last.kind == "end" and partners.get(high - 1, -1) < low)):
            high -= 1
            changed = True
    return run[low:high]


def html_pieces(source: str) -> list[HtmlPiece]:
    """The translatable pieces of the HTML *source*, in document order."""
    pieces: list[HtmlPiece] = []
    run: list[HtmlToken] = []
    pre = 0
    hidden: list[str] = []

    def flush() -> None:
        trimmed = _trim(source, run) if _has_text(source, run) else []
        inside = {id(e) for e in trimmed}
        for event in run:
            if event.kind in ("start", "void") and id(event) not in inside:
                pieces.extend(_attribute_pieces(event))
        if trimmed:
            start, end = trimmed[0].start, trimmed[-1].end
            text = source[start:end]
            # the whitespace around the run stays in the page, out of the msgid
            edge = "\r\n" if pre else " \t\n\r\f"
            core = text.strip(edge)
            start += len(text) - len(text.lstrip(edge))
            end = start + len(core)
            msgid = core if pre else _WHITESPACE.sub(" ", core)
            pieces.append(HtmlPiece(msgid, start, end, "HTML text", preformatted=bool(pre)))
        run.clear()

    for event in html_tokens(source):
        if hidden:
            if event.kind == "end" and event.tag == hidden[-1]:
                hidden.pop()
            elif event.kind == "start" and event.tag in HIDDEN_CONTENT:
                hidden.append(event.tag)
            continue
        if event.tag in HIDDEN_CONTENT and event.kind != "end":
            flush()
            if event.tag == "iframe":  # an allowed embed keeps its title ([build] embeds)
                pieces.extend(_attribute_pieces(event))
            if event.kind == "start":
                hidden.append(event.tag)
            continue
        if event.tag in BLOCK_TAGS or event.kind == "other":
            flush()
            if event.kind in ("start", "void"):
                pieces.extend(_attribute_pieces(event))
            if event.tag in PREFORMATTED:
                pre += 1 if event.kind == "start" else -1 if event.kind == "end" else 0
                pre = max(pre, 0)
            continue
        run.append(event)
    flush()
    pieces.sort(key=lambda p: p.start)
    return pieces


def tag_key(raw_tag: str) -> tuple[str, tuple[tuple[str, str], ...]] | None:
    """What identifies a tag for translations: its name and attributes, without the
    translatable ones (a translation may change ``alt`` and ``title``, nothing else).
    Runs of whitespace in a value count as one space: a msgid holds a tag on one line,
    so an attribute whose value spans lines in the source (``class="a  ⏎b"``) is
    ``class="a   b"`` in the msgid and its translation, and must stay the same tag.

    >>> tag_key('<a title="Home" href="/">') == tag_key('<A href="/" title="Inicio">')
    True
    >>> tag_key('<a class="a  \\nb">') == tag_key('<a class="a   b">')
    True
    """
    name = _TAG_NAME.match(raw_tag)
    if name is None:
        return None
    closing = "/" if raw_tag.startswith("</") else ""
    attributes = tuple(sorted(
        (attr, _WHITESPACE.sub(" ", value).strip())
        for attr, _, _, value in attribute_spans(raw_tag)
        if attr not in TRANSLATABLE_ATTRIBUTES))
    return closing + name.group(1).lower(), attributes


def _tags(html: str) -> Iterator[tuple[HtmlToken, str]]:
    """The tags of *html* (start, void and end tags) with their source text."""
    for token in html_tokens(html):
        if token.kind in ("start", "void", "end"):
            yield token, html[token.start:token.end]


def source_tags(html: str) -> set[tuple[str, tuple[tuple[str, str], ...]]]:
    """The keys (:func:`tag_key`) of the tags in *html*."""
    keys = set()
    for _, tag in _tags(html):
        key = tag_key(tag)
        if key is not None:
            keys.add(key)
    return keys


def keep_source_tags(translation: str,
                     allowed: set[tuple[str, tuple[tuple[str, str], ...]]]) -> str:
    """*translation* as HTML in which only tags of the source survive; any other tag,
    comment, and any stray ``<`` or ``>``, becomes text. A translator keeps, moves or
    drops the source's markup but never adds any. Tags are read as a browser reads
    them (a quoted value may hold ``>`` or ``<``).

    >>> keep_source_tags('<b>Nota</b> <img src=x onerror=y>', {("b", ()), ("/b", ())})
    '<b>Nota</b> &lt;img src=x onerror=y&gt;'
    >>> keep_source_tags("<a title='x>y'>sí</a>", source_tags("<a title='x>y'>yes</a>"))
    "<a title='x>y'>sí</a>"
    """
    out: list[str] = []
    position = 0

    def text(chunk: str) -> str:
        return chunk.replace("<", "&lt;").replace(">", "&gt;")

    for token, tag in _tags(translation):
        out.append(text(translation[position:token.start]))
        out.append(tag if tag_key(tag) in allowed else text(tag))
        position = token.end
    out.append(text(translation[position:]))
    return "".join(out)
