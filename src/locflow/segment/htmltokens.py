"""Raw HTML read as a browser reads it: tokens, and where one block's HTML ends (pure).

Segmentation and the build must agree with the page on what is a tag, a comment or
text, so HTML is read here as the HTML standard's tokenizer reads it, with its rules
for what never ends: a comment without ``-->`` or a tag without ``>`` runs to the end of
the input; ``</ x>`` and ``<!x>`` are comments; ``<!-->`` is a whole one; ``--!>`` ends
one; the content of ``<textarea>``, ``<title>``, ``<style>``, ``<script>`` and the
other raw-text elements is text up to their end tag (:func:`html_tokens`). The
standard library's :class:`~html.parser.HTMLParser` reads several of these
otherwise (``</ x>`` as an end tag, ``<textarea><b>`` as a tag).

A Markdown HTML block ends at a blank line, but HTML does not: a comment, a tag, a
``<pre>`` or a ``<textarea>`` it leaves open goes on in the browser to its end, past
the paragraphs between. :func:`html_region_ends` finds that end, so the Markdown parser
takes the blocks up to it as one HTML block (:mod:`locflow.segment`), and
:func:`close_html` closes what one block still leaves open at its end, so that it
cannot reach into the next one.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser

__all__ = ["TEXT_ELEMENTS", "VOID_TAGS", "HtmlToken", "LinearHTMLParser", "close_html",
           "html_region_ends", "html_tokens", "never_ends"]

VOID_TAGS = frozenset({
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
    "source", "track", "wbr",
})


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


_GREATER = re.compile(">")
_CDATA_END = re.compile(re.escape("]]>"))
_QUOTES = {'"': re.compile('"'), "'": re.compile("'")}


class _Reader:
    """One HTML text and the searches made in it, remembered.

    Where the HTML of a Markdown block may go on past it (:func:`html_region_ends`), a
    construct's end is searched for in the rest of the document; a search that found
    nothing (or found a match) from one place answers every later search from a place
    before that match at once, and a tag that never ends is known from every place its
    reading passed. So reading many blocks of a document, each leaving a comment or a
    tag open, stays linear in the document (100 kB of ``<div><!--`` blocks).
    """

    def __init__(self, html: str) -> None:
        self.html = html
        self._searches: dict[re.Pattern[str], tuple[int, re.Match[str] | None]] = {}
        self._tag_ends: dict[int, tuple[int, str]] = {}
        self._script_ends: dict[tuple[bool, bool, int], int] = {}

    def search(self, pattern: re.Pattern[str], position: int) -> re.Match[str] | None:
        """The first match of *pattern* at or after *position*."""
        known = self._searches.get(pattern)
        if known is not None:
            since, match = known
            if since <= position and (match is None or position <= match.start()):
                return match
        match = pattern.search(self.html, position)
        self._searches[pattern] = (position, match)
        return match

    def find(self, pattern: re.Pattern[str], position: int) -> int:
        match = self.search(pattern, position)
        return match.start() if match else -1

    def tag_end(self, i: int) -> tuple[int, str]:
        """From just after a tag's name: (the index after its ``>``, "") or, when the
        tag does not end, (-1, what ends it). Attributes are read as HTML reads them (a
        quoted value may hold a ``>``)."""
        passed = []
        result = self._tag_ends.get(i)
        while result is None:
            passed.append(i)
            i, result = self._attribute_end(i)
            if result is None:
                result = self._tag_ends.get(i)
        for position in passed:
            self._tag_ends[position] = result
        return result

    def _attribute_end(self, i: int) -> tuple[int, tuple[int, str] | None]:
        """One step of :meth:`tag_end`: past the next attribute (where it goes on), or
        the tag's end."""
        html, n = self.html, len(self.html)
        i = _SPACES_AND_SLASHES.match(html, i).end()  # type: ignore[union-attr]
        if i >= n:
            return i, (-1, ">")
        if html[i] == ">":
            return i, (i + 1, "")
        # an attribute: its name (the first character may be anything, "=" too)...
        i = _ATTRIBUTE_NAME_REST.match(html, i + 1).end()  # type: ignore[union-attr]
        equals = _EQUALS.match(html, i)
        if equals is None:
            return i, None
        # ... and its value
        i = equals.end()
        quote = html[i:i + 1]
        if quote in _QUOTES:
            close = self.find(_QUOTES[quote], i + 1)
            if close < 0:
                return i, (-1, quote + ">")
            return close + 1, None
        return _UNQUOTED_VALUE.match(html, i).end(), None  # type: ignore[union-attr]

    def script_end(self, i: int) -> int:
        """Where the end tag of a ``<script>`` whose content starts at *i* is, or -1.

        A script's ``<!--`` escapes ``</script>`` after a ``<script>`` until ``-->``.
        (Every state passed is remembered with the answer, as in :meth:`tag_end`.)"""
        state = (False, False, i)  # escaped, double-escaped, where the reading is
        passed = []
        result = self._script_ends.get(state)
        while result is None:
            passed.append(state)
            escaped, double, i = state
            match = self.search(_SCRIPT_ESCAPED if escaped else _SCRIPT_DATA, i)
            if match is None:
                result = -1
                break
            token = match.group().lower()
            if token == "<!--":
                state = (True, double, match.end() - 2)  # ("<!-->" ends it at once)
            elif token == "-->":
                state = (False, False, match.end())
            elif token == "<script":
                state = (escaped, True, match.end())
            elif double:  # "</script" inside a script in a comment
                state = (escaped, False, match.end())
            else:
                result = match.start()
                break
            result = self._script_ends.get(state)
        for each in passed:
            self._script_ends[each] = result
        return result

    def markup_end(self, i: int, foreign: bool) -> tuple[int, str]:
        """From a ``<!`` or ``<?`` at *i*: (the index after the comment, doctype or
        bogus comment, "") or (-1, what ends it)."""
        html = self.html
        if html.startswith("<!--", i):
            if html.startswith(">", i + 4) or html.startswith("->", i + 4):
                return html.index(">", i + 4) + 1, ""  # <!--> and <!---> are comments
            match = self.search(_COMMENT_END, i + 4)
            return (match.end(), "") if match else (-1, "-->")
        if foreign and html.startswith("<![CDATA[", i):
            end = self.find(_CDATA_END, i + 9)
            return (end + 3, "") if end >= 0 else (-1, "]]>")
        end = self.find(_GREATER, i + 2)
        return (end + 1, "") if end >= 0 else (-1, ">")

    def raw_text_end(self, name: str, i: int) -> int:
        """Where the end tag of a raw-text element named *name*, whose content starts at
        *i*, begins; -1 if there is none (and *name* is one)."""
        if name == "script":
            return self.script_end(i)
        return self.find(_END_TAGS[name], i)


def _letter(char: str) -> bool:
    return char.isascii() and char.isalpha()


@dataclass(frozen=True)
class HtmlToken:
    """A piece of HTML as a browser tokenizes it, with its span in the source."""

    kind: str  # "start", "void", "end", "text", "other" (a comment, doctype, bogus comment)
    start: int
    end: int
    tag: str = ""  # lower-cased, of a tag
    raw: str = ""  # a start tag's source text


def html_tokens(source: str) -> list[HtmlToken]:
    """The tokens of *source*, as the HTML standard's tokenizer reads them (linear).

    Text runs are one token each; a construct that never ends runs to the end of
    *source*, as a comment (``other``); the content of a raw-text element (``<style>``,
    ``<textarea>``...) is one text token; ``<plaintext>`` makes the rest text.

    >>> [(t.kind, t.tag) for t in html_tokens("a</ x><!--><b title='>'>c</b><!-- d")]
    [('text', ''), ('other', ''), ('other', ''), ('start', 'b'), ('text', ''), ('end', 'b'), \
('other', '')]
    """
    tokens: list[HtmlToken] = []
    reader = _Reader(source)
    n = len(source)
    i = text = 0
    foreign = 0
    while (lt := source.find("<", i)) >= 0:
        after = source[lt + 1:lt + 2]
        closing = after == "/"
        if closing:
            after = source[lt + 2:lt + 3]
        markup = after in ("!", "?") or (closing and after != "" and not _letter(after))
        if not markup and not _letter(after):
            i = lt + 1  # "<" as text
            continue
        if lt > text:
            tokens.append(HtmlToken("text", text, lt))
        if markup:  # a comment, a doctype, a bogus comment ("</ x>", "<?x>"); "</>" is none
            in_foreign = foreign > 0 and not closing
            end = lt + 3 if after == ">" else reader.markup_end(lt, in_foreign)[0]
            end = n if end < 0 else end
            tokens.append(HtmlToken("other", lt, end))
            i = text = end
            continue
        name_start = lt + (2 if closing else 1)
        name_end = _TAG_NAME_CHARS.match(source, name_start).end()  # type: ignore[union-attr]
        name = source[name_start:name_end].lower()
        end = reader.tag_end(name_end)[0]
        if end < 0:  # a tag without its ">": HTML drops it and everything after it
            tokens.append(HtmlToken("other", lt, n))
            i = text = n
            break
        raw = source[lt:end]
        if closing:
            kind = "end"
        else:
            kind = "void" if name in VOID_TAGS or (foreign and raw.endswith("/>")) else "start"
        tokens.append(HtmlToken(kind, lt, end, name, "" if closing else raw))
        i = text = end
        if name in ("svg", "math") and kind != "void":
            foreign = max(0, foreign - 1) if closing else foreign + 1
        elif kind == "start" and not foreign and name == "plaintext":
            i = n  # its rest is text
        elif kind == "start" and not foreign and (name == "script" or name in TEXT_ELEMENTS):
            content_end = reader.raw_text_end(name, end)
            i = n if content_end < 0 else content_end
            if i > end:
                tokens.append(HtmlToken("text", end, i))
            text = i
    if text < n:
        tokens.append(HtmlToken("text", text, n))
    return tokens


_PRE_END = re.compile(r"</pre(?=[\t\n\f\r />])", re.I)
_TEMPLATE_END = re.compile(r"</template(?=[\t\n\f\r />])", re.I)


@dataclass
class _Open:
    """What an HTML text leaves open at its end, as :func:`_scan` found it."""

    end: int  # where the HTML ends: the given end, or further where a construct goes on
    closer: str = ""  # what closes the comment, tag or raw-text element left open
    unended: bool = False  # that construct never ends: HTML would hide all that follows
    plaintext: tuple[int, int] | None = None  # a <plaintext> tag's span: its rest is text
    templates: int = 0  # <template> elements left open
    pres: int = 0  # <pre> elements left open (counted when the HTML may go on)


def _scan(reader: _Reader, i: int, end: int, reach: Callable[[int], int] | None) -> _Open:
    """Read the HTML of *reader* from *i* as a browser does, up to *end*: what does it
    leave open? With *reach*, the HTML goes on past *end* where a construct does (a
    comment, a tag, a raw-text element; a ``<pre>`` or ``<template>``) when it ends
    further down, to ``reach(position)``: the end of the block holding *position*. What
    never ends goes no further than *end*: a browser would hide the rest of the article
    in it, and a typo must not take an article's page with it."""
    html = reader.html
    found = _Open(end)
    foreign = 0

    def reached(position: int) -> None:  # the HTML goes on at least to *position*
        if position > found.end:
            found.end = reach(position - 1) if reach is not None else position

    def unended(closer: str) -> _Open:
        found.closer += closer
        found.unended = True
        return found

    while True:
        lt = html.find("<", i, found.end)
        if lt < 0:
            if reach is None or not (found.pres or found.templates):
                return found
            match = reader.search(_PRE_END if found.pres else _TEMPLATE_END, found.end)
            if match is None:  # never closed: left to close_html, at the block's end
                return found
            i, found.end = found.end, reach(match.start())
            continue
        after = html[lt + 1:lt + 2]
        closing = after == "/"
        if closing:
            after = html[lt + 2:lt + 3]
            if after == ">":
                i = lt + 3
                continue
        if after in ("!", "?") or (closing and not _letter(after)):
            i, closer = reader.markup_end(lt, foreign > 0 and not closing)  # (bogus) comments
            if i < 0:
                return unended(closer)
            reached(i)
            continue
        if not _letter(after):
            i = lt + 1  # text
            continue
        start = lt + (2 if closing else 1)
        name_end = _TAG_NAME_CHARS.match(html, start).end()  # type: ignore[union-attr]
        name = html[start:name_end].lower()
        i, closer = reader.tag_end(name_end)
        if i < 0:  # the tag ends where the input does
            unended(closer)
            if reach is not None:
                return found
            i = len(html)
        reached(i)
        if name == "template":
            found.templates = max(0, found.templates - 1) if closing else found.templates + 1
        elif name in ("svg", "math"):
            foreign = max(0, foreign - 1) if closing else foreign + 1
        elif name == "pre":
            found.pres = max(0, found.pres - 1) if closing else found.pres + 1
        elif closing:
            continue
        elif name == "plaintext":  # (no end tag ends it)
            found.plaintext = (lt, i)
            return found
        elif name == "script" or name in TEXT_ELEMENTS:
            content_end = reader.raw_text_end(name, i)
            if content_end < 0:
                return unended("--></script>" if name == "script" else f"</{name}>")
            i = content_end
            reached(i + 1)


def html_region_ends(source: str, reach: Callable[[int], int]) -> Callable[[int, int], int]:
    """For the HTML blocks of the Markdown document *source*: a function ``(start, end)``
    → where the HTML of the block at ``source[start:end]`` ends in a browser: *end*, or
    further when the block leaves something open that HTML goes on with and that ends
    further down (a comment, a tag, a ``<pre>``, ``<textarea>``, ``<style>``...), up to
    ``reach(position)``, the end of the Markdown block that holds *position*. What never
    ends is closed where its block ends (:func:`close_html`), as before. The blocks of
    one document share their searches: linear in the document however many blocks.

    >>> text = "<div><!-- a\\n\\nb -->\\n\\nc\\n"
    >>> html_region_ends(text, lambda p: text.index("\\n", p) + 1)(0, 12)
    19
    """
    reader = _Reader(source)
    return lambda start, end: _scan(reader, start, end, reach).end


def never_ends(html: str) -> bool:
    """Whether *html* opens a comment, a tag or a raw-text element (``<textarea>``,
    ``<style>``...) that never ends: a browser would hide all that follows in it.

    >>> never_ends("<div><!-- note"), never_ends("<div><!-- note -->"), never_ends("<pre>")
    (True, False, False)
    """
    return _scan(_Reader(html), 0, len(html), None).unended


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

    found = _scan(_Reader(html), 0, len(html), None)
    if found.plaintext is not None:
        start, end = found.plaintext
        html = html[:start] + escape(html[end:], quote=False)
    else:
        html += found.closer
    return html + "</template>" * found.templates
