"""Raw HTML → translatable pieces: text runs and ``alt``/``title`` attributes (pure).

An HTML block (or an inline HTML tag) of an article is published, sanitized;
its text is translated like any other text. :func:`html_pieces` cuts the HTML
into pieces, each with its span in the source so the build can put the
translation in its place:

- a *text run*: text with the inline tags around and inside it
  (``<b>Note:</b> install <code>pip</code>``), between block-level tags
  (``<div>``, ``<p>``, ``<td>``, ``<summary>``...). The msgid is the run's
  HTML, whitespace collapsed (kept inside ``<pre>``); tags at the edge of a run
  that open or close outside it stay out of it, so
  ``<span id="install">⏎Install the package.`` gives "Install the package.";
- an *attribute*: an ``alt`` or ``title`` of a tag outside any text run (a badge
  image, a ``<div title>``); attributes of tags inside a run are translated
  in the run.

The content of ``<script>``, ``<style>`` and other elements a page never shows
as text is not extracted.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from html import unescape
from html.parser import HTMLParser

BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "body", "caption", "center", "col",
    "colgroup", "dd", "details", "dialog", "dir", "div", "dl", "dt", "fieldset", "figcaption",
    "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "head", "header", "hgroup",
    "hr", "html", "legend", "li", "main", "menu", "nav", "ol", "optgroup", "option", "p",
    "picture", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead",
    "tr", "ul",
})
#: Elements whose content is never shown as text.
HIDDEN_CONTENT = frozenset({
    "script", "style", "template", "textarea", "noscript", "iframe", "object", "svg", "math",
    "title", "select", "audio", "video", "canvas", "applet", "noembed", "noframes",
})
VOID_TAGS = frozenset({
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
    "source", "track", "wbr",
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


@dataclass
class _Event:
    kind: str  # "start", "void", "end", "text", "other"
    start: int
    end: int
    tag: str = ""
    raw: str = ""  # a start tag's source text


class _Scanner(HTMLParser):
    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=False)
        self.events: list[_Event] = []
        self._line_starts = [0]
        for match in re.finditer("\n", source):
            self._line_starts.append(match.end())

    def _offset(self) -> int:
        line, column = self.getpos()
        return self._line_starts[line - 1] + column

    def _add(self, kind: str, tag: str = "", raw: str = "") -> None:
        start = self._offset()
        self.events.append(_Event(kind, start, start + len(raw), tag, raw))

    def handle_starttag(self, tag: str, attrs: object) -> None:
        self._add("void" if tag in VOID_TAGS else "start", tag, self.get_starttag_text() or "")

    def handle_startendtag(self, tag: str, attrs: object) -> None:
        self._add("void", tag, self.get_starttag_text() or "")

    def handle_endtag(self, tag: str) -> None:
        self._add("end", tag)

    def handle_data(self, data: str) -> None:
        self._add("text")

    def handle_entityref(self, name: str) -> None:
        self._add("text")

    def handle_charref(self, name: str) -> None:
        self._add("text")

    def handle_comment(self, data: str) -> None:
        self._add("other")

    def handle_decl(self, decl: str) -> None:
        self._add("other")

    def handle_pi(self, data: str) -> None:
        self._add("other")

    def unknown_decl(self, data: str) -> None:
        self._add("other")


def _events(source: str) -> list[_Event]:
    scanner = _Scanner(source)
    scanner.feed(source)
    scanner.close()
    events = scanner.events
    # an event ends where the next begins (end tags and text carry no length of their own)
    for event, following in zip(events, [*events[1:], None], strict=True):
        limit = following.start if following is not None else len(source)
        if event.kind in ("start", "void"):
            event.end = min(event.end, limit) if event.end > event.start else limit
        else:
            event.end = limit
    return events


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


def _attribute_pieces(event: _Event) -> Iterator[HtmlPiece]:
    for name, start, end, value in attribute_spans(event.raw):
        if name not in TRANSLATABLE_ATTRIBUTES:
            continue
        text = _WHITESPACE.sub(" ", value).strip()
        if not text:
            continue
        kind = "image alt" if (event.tag, name) == ("img", "alt") else name
        yield HtmlPiece(text, event.start + start, event.start + end, kind, is_attribute=True)


def _has_text(source: str, run: list[_Event]) -> bool:
    return any(e.kind == "text" and unescape(source[e.start:e.end]).strip() for e in run)


def _trim(source: str, run: list[_Event]) -> list[_Event]:
    """Drop whitespace and tags that open or close outside the run from its two edges."""

    def closes_inside(i: int) -> bool:
        depth = 0
        for event in run[i + 1:]:
            if event.tag == run[i].tag:
                depth += 1 if event.kind == "start" else -1 if event.kind == "end" else 0
                if depth < 0:
                    return True
        return False

    def opens_inside(i: int) -> bool:
        depth = 0
        for event in reversed(run[:i]):
            if event.tag == run[i].tag:
                depth += 1 if event.kind == "end" else -1 if event.kind == "start" else 0
                if depth < 0:
                    return True
        return False

    changed = True
    while run and changed:
        changed = False
        first, last = run[0], run[-1]
        if ((first.kind == "text" and not source[first.start:first.end].strip())
                or (first.kind == "start" and not closes_inside(0))
                or first.kind == "end" or (first.kind == "void" and first.tag == "br")):
            run = run[1:]
            changed = True
            continue
        if ((last.kind == "text" and not source[last.start:last.end].strip())
                or (last.kind == "end" and not opens_inside(len(run) - 1))
                or last.kind == "start" or (last.kind == "void" and last.tag == "br")):
            run = run[:-1]
            changed = True
    return run


def html_pieces(source: str) -> list[HtmlPiece]:
    """The translatable pieces of the HTML *source*, in document order."""
    pieces: list[HtmlPiece] = []
    run: list[_Event] = []
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

    for event in _events(source):
        if hidden:
            if event.kind == "end" and event.tag == hidden[-1]:
                hidden.pop()
            elif event.kind == "start" and event.tag in HIDDEN_CONTENT:
                hidden.append(event.tag)
            continue
        if event.tag in HIDDEN_CONTENT and event.kind != "end":
            flush()
            pieces.extend(_attribute_pieces(event))
            if event.kind == "start":
                hidden.append(event.tag)
            continue
        if event.tag in BLOCK_TAGS or event.kind == "other":
            flush()
            if event.kind in ("start", "void"):
                pieces.extend(_attribute_pieces(event))
            if event.tag == "pre":
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

    >>> tag_key('<a title="Home" href="/">') == tag_key('<A href="/" title="Inicio">')
    True
    """
    name = _TAG_NAME.match(raw_tag)
    if name is None:
        return None
    closing = "/" if raw_tag.startswith("</") else ""
    attributes = tuple(sorted(
        (attr, value) for attr, _, _, value in attribute_spans(raw_tag)
        if attr not in TRANSLATABLE_ATTRIBUTES))
    return closing + name.group(1).lower(), attributes


_TAG_IN_TEXT = re.compile(r"</?[A-Za-z][^<>]*>")


def source_tags(html: str) -> set[tuple[str, tuple[tuple[str, str], ...]]]:
    """The keys (:func:`tag_key`) of the tags in *html*."""
    keys = set()
    for match in _TAG_IN_TEXT.finditer(html):
        key = tag_key(match.group())
        if key is not None:
            keys.add(key)
    return keys


def keep_source_tags(translation: str,
                     allowed: set[tuple[str, tuple[tuple[str, str], ...]]]) -> str:
    """*translation* as HTML in which only tags of the source survive; any other tag,
    and any stray ``<`` or ``>``, becomes text. A translator keeps, moves or drops the
    source's markup but never adds any.

    >>> keep_source_tags('<b>Nota</b> <img src=x onerror=y>', {("b", ()), ("/b", ())})
    '<b>Nota</b> &lt;img src=x onerror=y&gt;'
    """
    out: list[str] = []
    position = 0

    def text(chunk: str) -> str:
        return chunk.replace("<", "&lt;").replace(">", "&gt;")

    for match in _TAG_IN_TEXT.finditer(translation):
        out.append(text(translation[position:match.start()]))
        tag = match.group()
        out.append(tag if tag_key(tag) in allowed else text(tag))
        position = match.end()
    out.append(text(translation[position:]))
    return "".join(out)
