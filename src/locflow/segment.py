"""Articles → translatable segments (pure).

Every block of the body that holds text becomes one segment: paragraphs,
headings, list items, blockquote paragraphs, table cells, and the alt text of
an image standing alone in a paragraph. Inline Markdown stays verbatim in the
msgid (``**bold**``, ``[text](url)``, ```code```) so translators see the markup,
as po4a and mdpo do; block markers (``> ``, ``- ``, ``# ``) never appear.
Code blocks and raw HTML blocks are not extracted.

Soft line breaks inside a block become spaces, so one paragraph is one line in
the catalog; a hard line break becomes ``\\n``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from .model import Segment

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

    from .content import Article


_KIND_BY_OPEN = {
    "heading_open": "heading",
    "th_open": "table cell",
    "td_open": "table cell",
}


@lru_cache(maxsize=1)
def markdown_parser() -> MarkdownIt:
    """The one Markdown parser: CommonMark plus tables.

    Raw HTML is *recognised* (``html_block`` / ``html_inline`` tokens) so that
    HTML blocks are never extracted; it is never rendered as HTML: the build
    drops HTML blocks and escapes inline HTML.
    """
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": True}).enable("table")


def normalize_inline(raw: str) -> str:
    r"""The msgid form of a block's raw inline Markdown.

    >>> normalize_inline("one\ntwo  \nthree")
    'one two\nthree'
    """
    lines = raw.split("\n")
    out: list[str] = []
    for i, line in enumerate(lines):
        last = i == len(lines) - 1
        # A hard break: two spaces or a backslash at the end of a line. String
        # tests, not a regex: "(?: {2,}|\\)$" is searched from every space (quadratic).
        hard = not last and line.endswith(("  ", "\\"))
        text = (line[:-1] if hard and line.endswith("\\") else line).strip()
        out.append(text)
        if not last:
            out.append("\n" if hard else " ")
    return "".join(out).strip(" ")


def to_markdown_inline(msg: str) -> str:
    r"""Turn a msgid/msgstr back into inline Markdown (``\n`` → a hard break)."""
    return msg.replace("\n", "\\\n")


@dataclass(frozen=True)
class Unit:
    """A body segment together with the parser token it came from (for rendering)."""

    token: Token  # the "inline" token; for "image alt", the paragraph's inline token
    segment: Segment
    line: int  # 1-based line of the block within the body


def _lone_image(token: Token) -> Token | None:
    children = [
        c for c in (token.children or []) if not (c.type == "text" and not c.content.strip())
    ]
    if len(children) == 1 and children[0].type == "image":
        return children[0]
    return None


def body_units(tokens: Sequence[Token]) -> Iterator[Unit]:
    """The translatable units of a parsed body, in document order."""
    context: list[str] = []
    for index, token in enumerate(tokens):
        if token.type.endswith("_open"):
            context.append(token.type)
        elif token.type.endswith("_close") and context:
            context.pop()
        if token.type != "inline":
            continue
        opener = tokens[index - 1].type if index else ""
        if opener in _KIND_BY_OPEN:
            kind = _KIND_BY_OPEN[opener]
        elif "list_item_open" in context:
            kind = "list item"
        elif "blockquote_open" in context:
            kind = "blockquote"
        else:
            kind = "paragraph"
        line = (token.map[0] + 1) if token.map else 0
        image = _lone_image(token) if kind == "paragraph" else None
        if image is not None:
            alt = normalize_inline(image.content)
            if alt:
                yield Unit(token, Segment(alt, None, "image alt"), line)
            continue
        msgid = normalize_inline(token.content)
        if msgid:
            yield Unit(token, Segment(msgid, None, kind), line)


def parse_body(markdown: str) -> list[Token]:
    """Parse a Markdown body into block tokens."""
    return markdown_parser().parse(markdown)


def segment_article(
    article: Article, fields: Iterable[str] = ("title", "summary")
) -> list[Segment]:
    """The article's segments: front-matter fields first (msgctxt = field name), then the body.

    A body text repeated verbatim is one segment (one catalog entry), like xgettext.
    """
    segments: list[Segment] = []
    seen: set[tuple[str | None, str]] = set()

    def add(segment: Segment) -> None:
        key = (segment.context, segment.msgid)
        if key not in seen:
            seen.add(key)
            segments.append(segment)

    for name in fields:
        value = article.meta.get(name)
        if isinstance(value, str) and value.strip():
            add(Segment(normalize_inline(value.strip()), name, name))
    for unit in body_units(parse_body(article.body)):
        add(unit.segment)
    return segments
