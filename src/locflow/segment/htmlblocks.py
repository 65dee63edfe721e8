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


class LinearHTMLParser(HTMLParser):
    """:class:`~html.parser.HTMLParser` in linear time, for text fed at once
    (:meth:`feed`, then :meth:`close`).

    The standard parser gives up on a construct that never ends (``<!--`` without
    ``-->``, ``<a`` or ``</a`` or ``<?`` without ``>``) after searching the rest of the
    input, reads its first characters as text and tries again at the next ``<``: over
    100 kB of ``<!--`` that was quadratic (14 s). Here, once the input is complete, such
    a construct runs to the end of the input, as in HTML (an unclosed comment hides the
    rest; a tag without its ``>`` is dropped with the rest): one comment, reported to
    :meth:`handle_comment`. ``<![…`` is read as HTML reads it outside SVG and MathML, a
    comment up to the next ``>`` (the standard parser raised ``AssertionError`` on
    ``<![foo[``).
    """

    _complete = False

    def close(self) -> None:
        self._complete = True
        super().close()

    def _ended(self, i: int, end: int) -> int:
        """*end*, or (the input complete, no end found) the end of the input."""
        if end >= 0 or not self._complete:
            return end
        self.handle_comment(self.rawdata[i + 1:])
        return len(self.rawdata)

    def parse_starttag(self, i: int) -> int:
        return self._ended(i, super().parse_starttag(i))

    def parse_endtag(self, i: int) -> int:
        return self._ended(i, super().parse_endtag(i))

    def parse_comment(self, i: int, report: bool = True) -> int:
        return self._ended(i, super().parse_comment(i, report))

    def parse_pi(self, i: int) -> int:
        return self._ended(i, super().parse_pi(i))

    def parse_html_declaration(self, i: int) -> int:
        rawdata = self.rawdata
        if rawdata.startswith("<![", i):
            end = rawdata.find(">", i + 3)
            if end < 0:
                return self._ended(i, -1)
            self.handle_comment(rawdata[i + 2:end])
            return end + 1
        return self._ended(i, super().parse_html_declaration(i))


class _Scanner(LinearHTMLParser):
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


def _partners(run: list[_Event]) -> dict[int, int]:
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


def _trim(source: str, run: list[_Event]) -> list[_Event]:
    """Drop whitespace and tags that open or close outside the run from its two edges.

    Linear: a tag's partner is found once (:func:`_partners`); the run shrinks from its
    edges, so a tag closes inside it while its partner is still in it.
    """
    partners = _partners(run)
    low, high = 0, len(run)  # the run is run[low:high]

    def blank(event: _Event) -> bool:
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


# -- one block's HTML ends in its block -----------------------------------------------

#: Elements whose content HTML reads as text up to their end tag ("raw text" and
#: "escapable raw text"; ``<script>`` has rules of its own, ``<plaintext>`` never ends).
TEXT_ELEMENTS = frozenset({"style", "xmp", "iframe", "noembed", "noframes", "noscript",
                           "textarea", "title"})
_TAG_NAME_CHARS = re.compile(r"[^\t\n\f\r />]*")
_SPACES_AND_SLASHES = re.compile(r"[\t\n\f\r /]*")
_ATTRIBUTE_NAME_REST = re.compile(r"[^\t\n\f\r />=]*")
_EQUALS = re.compile(r"[\t\n\f\r ]*=[\t\n\f\r ]*")
_UNQUOTED_VALUE = re.compile(r"[^\t\n\f\r >]*")
_COMMENT_END = re.compile(r"--!?>")
_SCRIPT_DATA = re.compile(r"<!--|</script(?=[\t\n\f\r />])", re.I)
_SCRIPT_ESCAPED = re.compile(r"-->|</?script(?=[\t\n\f\r />])", re.I)
_END_TAGS: dict[str, re.Pattern[str]] = {
    name: re.compile(f"</{name}(?=[\\t\\n\\f\\r />])", re.I) for name in TEXT_ELEMENTS}


def _tag_end(html: str, i: int) -> tuple[int, str]:
    """From just after a tag's name: (the index after its ``>``, "") or, when the tag
    does not end, (-1, what ends it). Attributes are read as HTML reads them (a quoted
    value may hold a ``>``)."""
    n = len(html)
    while True:
        i = _SPACES_AND_SLASHES.match(html, i).end()  # type: ignore[union-attr]
        if i >= n:
            return -1, ">"
        if html[i] == ">":
            return i + 1, ""
        # an attribute: its name (the first character may be anything, "=" too)...
        i = _ATTRIBUTE_NAME_REST.match(html, i + 1).end()  # type: ignore[union-attr]
        equals = _EQUALS.match(html, i)
        if equals is None:
            continue
        # ... and its value
        i = equals.end()
        quote = html[i:i + 1]
        if quote in ('"', "'"):
            close = html.find(quote, i + 1)
            if close < 0:
                return -1, quote + ">"
            i = close + 1
        else:
            i = _UNQUOTED_VALUE.match(html, i).end()  # type: ignore[union-attr]


def _script_end(html: str, i: int) -> int:
    """Where the end tag of a ``<script>`` whose content starts at *i* is, or -1.

    A script's ``<!--`` escapes ``</script>`` after a ``<script>`` until ``-->``."""
    escaped = double = False
    while True:
        match = (_SCRIPT_ESCAPED if escaped else _SCRIPT_DATA).search(html, i)
        if match is None:
            return -1
        token = match.group().lower()
        if token == "<!--":
            escaped, i = True, match.end() - 2  # ("<!-->" ends it at once)
        elif token == "-->":
            escaped = double = False
            i = match.end()
        elif token == "<script":
            double, i = True, match.end()
        elif double:  # "</script" inside a script in a comment
            double, i = False, match.end()
        else:
            return match.start()


def _markup_end(html: str, i: int, foreign: bool) -> tuple[int, str]:
    """From a ``<!`` or ``<?`` at *i*: (the index after the comment, doctype or
    bogus comment, "") or (-1, what ends it)."""
    if html.startswith("<!--", i):
        if html.startswith(">", i + 4) or html.startswith("->", i + 4):
            return html.index(">", i + 4) + 1, ""  # <!--> and <!---> are comments
        match = _COMMENT_END.search(html, i + 4)
        return (match.end(), "") if match else (-1, "-->")
    if foreign and html.startswith("<![CDATA[", i):
        end = html.find("]]>", i + 9)
        return (end + 3, "") if end >= 0 else (-1, "]]>")
    end = html.find(">", i + 2)
    return (end + 1, "") if end >= 0 else (-1, ">")


def close_html(html: str) -> str:
    """One block's HTML with whatever it leaves open at its end closed, so that it
    cannot reach into the next block: a comment, a tag (an attribute's value), a
    ``<style>``, ``<script>``, ``<textarea>``, ``<title>``, ``<iframe>``, ``<noscript>``
    (anything HTML reads as text up to its end tag), a ``<template>``. The rest of a
    ``<plaintext>`` (which no end tag ends) is escaped, the text it is. Linear: each
    character is read once. (Inside SVG and MathML, HTML reads some of these otherwise:
    :func:`locflow.publish.render.render_body` checks the result with the sanitizer's
    parser.)

    >>> close_html("<p>Intro <style>p { color: red }")
    '<p>Intro <style>p { color: red }</style>'
    >>> close_html('<a title="x>y')
    '<a title="x>y">'
    >>> close_html("<div>fine</div>")
    '<div>fine</div>'
    """
    from html import escape

    templates = foreign = 0
    i = 0
    while (lt := html.find("<", i)) >= 0:
        after = html[lt + 1:lt + 2]
        closing = after == "/"
        if closing:
            after = html[lt + 2:lt + 3]
            if after == ">":
                i = lt + 3
                continue
        if after in ("!", "?") or (closing and not (after.isascii() and after.isalpha())):
            i, closer = _markup_end(html, lt, foreign > 0 and not closing)  # (bogus) comments
            if i < 0:
                html += closer
                break
            continue
        if not (after.isascii() and after.isalpha()):
            i = lt + 1  # text
            continue
        start = lt + (2 if closing else 1)
        name_end = _TAG_NAME_CHARS.match(html, start).end()  # type: ignore[union-attr]
        name = html[start:name_end].lower()
        i, closer = _tag_end(html, name_end)
        if i < 0:  # the tag ends where the block does
            html += closer
            i = len(html)
        if name == "template":
            templates = max(0, templates - 1) if closing else templates + 1
        elif name in ("svg", "math"):
            foreign = max(0, foreign - 1) if closing else foreign + 1
        elif closing:
            continue
        elif name == "plaintext":
            html = html[:lt] + escape(html[i:], quote=False)
            break
        elif name == "script":
            i = _script_end(html, i)
            if i < 0:
                html += "--></script>"
                break
        elif name in TEXT_ELEMENTS:
            match = _END_TAGS[name].search(html, i)
            if match is None:
                html += f"</{name}>"
                break
            i = match.start()
    return html + "</template>" * templates
