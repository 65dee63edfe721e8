"""Articles → translatable segments (pure).

Every block of the body that holds text becomes one segment: paragraphs,
headings, list items, blockquote paragraphs, table cells, footnotes, the alt
text and title of an image standing alone in a paragraph, and the text runs
and ``alt``/``title`` attributes of raw HTML (:mod:`.htmlblocks`). Inline
Markdown stays verbatim in the msgid (``**bold**``, ``[text](url)``,
```code```) so translators see the markup, as po4a and mdpo do; block markers
(``> ``, ``- ``, ``# ``, a task list's ``[ ] ``) never appear. Code blocks are
not extracted.

The msgid is cut from the parser's tokens, not by re-joining lines: a soft
line break becomes a space and a hard break ``\\n`` only where the parser saw
one (a line ending inside a code span or an HTML tag is a space, a
non-breaking space at a line end stays), and reference links
(``[Node.js][]``, ``[Node.js]`` with its definition below) become inline links
(``[Node.js](https://nodejs.org)``), a form that survives translation. When
joining the lines would change what the block means (``[a](<foo⏎bar>)`` is
text, ``[a](<foo bar>)`` a link) the msgid keeps the source's lines.

An HTML block goes on, as in a browser, while it leaves something open that HTML
continues past a blank line: a ``<pre>`` whose lines run on after one, a comment or
a tag that ends further down, a ``<textarea>``. The Markdown parser takes the blocks
up to that end as one HTML block (:func:`~.htmltokens.html_region_ends`), so a
``<pre>`` keeps its lines and a comment hides what it hides, on every page.

A unit whose whole text needs no translation (a number such as ``12`` or
``1,000``, a lone URL or autolink, code spans only: :func:`needs_translation`) is
not extracted: every page shows it as the source has it.
"""

from __future__ import annotations

import bisect
import copy
import datetime as dt
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from ..model import Segment
from .htmlblocks import HtmlPiece, html_pieces
from .htmltokens import html_region_ends

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.rules_core import StateCore
    from markdown_it.rules_inline import StateInline
    from markdown_it.token import Token

    from ..content import Article

__all__ = [
    "HtmlPiece",
    "Unit",
    "body_units",
    "correction_contexts",
    "correction_segments",
    "html_pieces",
    "inline_msgid",
    "markdown_parser",
    "needs_translation",
    "normalize_inline",
    "parse_body",
    "scratch_env",
    "segment_article",
    "to_markdown_inline",
]


_KIND_BY_OPEN = {
    "heading_open": "heading",
    "th_open": "table cell",
    "td_open": "table cell",
}

# Executable URL schemes: the only ones refused; data: too, except the raster images
# markdown-it itself allows (data:image/png|gif|jpeg|webp).
_BAD_SCHEME = re.compile(r"^(?:javascript|vbscript|data):", re.I)
_GOOD_DATA = re.compile(r"^data:image/(?:gif|png|jpeg|webp);", re.I)
_RECORDER = "locflow.segment.recorder"


def _valid_link(url: str) -> bool:
    """Every URL scheme but the executable ones.

    >>> [_valid_link(u) for u in ("ftp://x", "tel:+1", "irc://x", "javascript:x")]
    [True, True, True, False]
    """
    url = url.strip().lower()
    return not _BAD_SCHEME.match(url) or bool(_GOOD_DATA.match(url))


@dataclass
class _Recorder:
    """Where the inline parser saw breaks and reference links in one block's source."""

    src: str
    events: list[tuple[int, int, str]] = field(default_factory=list)  # (start, end, new text)


def _recording(state: StateInline) -> _Recorder | None:
    recorder = state.env.get(_RECORDER)
    if isinstance(recorder, _Recorder) and state.src is recorder.src:
        return recorder
    return None


def _breaks(state: StateInline, silent: bool) -> bool:
    """Record line breaks as the ``newline``/``escape`` rules will see them; consume nothing."""
    recorder = None if silent else _recording(state)
    if recorder is None:
        return False
    src, pos = state.src, state.pos
    if src[pos] == "\\" and src[pos + 1:pos + 2] == "\n":
        start, after, text = pos, pos + 2, "\n"
    elif src[pos] == "\n":
        start = pos
        while start > 0 and src[start - 1] == " ":
            start -= 1
        after = pos + 1
        text = "\n" if pos - start >= 2 else " "
    else:
        return False
    while after < len(src) and src[after] in " \t":
        after += 1
    recorder.events.append((start, after, text))
    return False


def _destination(href: str) -> str:
    balanced = href.count("(") == href.count(")")
    if not href or not balanced or any(c in href for c in " <>\n"):
        return "<" + href.replace("<", "%3C").replace(">", "%3E") + ">"
    return href


def _title(title: str | None) -> str:
    if not title:
        return ""
    title = title.replace("\n", " ")  # in a msgid a line break is a hard break
    return ' "' + title.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _resolving(original: Callable[[StateInline, bool], bool], image: bool
               ) -> Callable[[StateInline, bool], bool]:
    """Wrap the link/image rule: record each reference link, to rewrite it inline."""

    def rule(state: StateInline, silent: bool) -> bool:
        recorder = None if silent else _recording(state)
        if recorder is None:
            return original(state, silent)
        start, count = state.pos, len(state.tokens)
        if not original(state, silent):
            return False
        end = state.pos
        if state.src[end - 1] != "]":
            return True  # an inline link: nothing to resolve
        wanted = "image" if image else "link_open"
        token = next((t for t in state.tokens[count:] if t.type == wanted), None)
        if token is None:
            return True
        state.pos = start
        label_end = state.md.helpers.parseLinkLabel(state, start + (1 if image else 0), not image)
        state.pos = end
        if label_end < 0:
            return True
        href = str(token.attrs.get("src" if image else "href", ""))
        title = token.attrs.get("title")
        recorder.events.append(
            (label_end, end, "](" + _destination(href) + _title(str(title) if title else None)
             + ")"))
        return True

    return rule


@lru_cache(maxsize=1)
def markdown_parser() -> MarkdownIt:
    """The one Markdown parser: CommonMark, tables, strikethrough, task lists, footnotes.

    Raw HTML is recognised (``html_block`` / ``html_inline`` tokens): its text is
    extracted and the build publishes it sanitized. Links may use any scheme but
    the executable ones (``javascript:``, ``vbscript:``, ``data:`` but raster
    images).
    """
    return _new_parser()


@lru_cache(maxsize=1)
def _segmenting_parser() -> MarkdownIt:
    """:func:`markdown_parser` for segmenting only: it gives the same block tokens, but
    parses the inline content of a block only where :func:`body_units` reads the result
    (see :func:`_inline_where_read`). Inline parsing is most of a parse's cost."""
    md = _new_parser()
    md.core.ruler.at("inline", _inline_where_read)
    return md


def _inline_where_read(state: StateCore) -> None:
    """The core ``inline`` rule of :func:`_segmenting_parser`.

    Segmenting reads each block's raw ``content``, and the parsed children only of a
    paragraph that may be a lone image (content starting with ``!``). Other blocks are
    parsed too where the parse changes what the block tokens say: a task list item
    (``[ ]``/``[x]`` at the start: the task list rule strips it from ``content``) and a
    footnote reference (``[^``: a footnote nobody references is dropped). They are
    parsed in document order, so footnotes are numbered as in a full parse.
    """
    for token in state.tokens:
        if token.type == "inline":
            if token.children is None:
                token.children = []
            content = token.content
            if content[:1] in ("!", "[") or "[^" in content:
                state.md.inline.parse(content, state.md, state.env, token.children)


def _new_parser() -> MarkdownIt:
    from markdown_it import MarkdownIt
    from mdit_py_plugins.footnote import footnote_plugin
    from mdit_py_plugins.tasklists import tasklists_plugin

    md = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    md.use(tasklists_plugin).use(footnote_plugin, inline=False)
    md.core.ruler.after("block", "locflow_html_regions", _join_html_regions)
    md.validateLink = _valid_link  # type: ignore[method-assign]
    md.inline.ruler.before("newline", "locflow_breaks", _breaks)
    for name in ("link", "image"):
        rule = md.inline.ruler.__rules__[md.inline.ruler.__find__(name)]
        md.inline.ruler.at(name, _resolving(rule.fn, image=name == "image"), {"alt": rule.alt})
    rule = md.inline.ruler.__rules__[md.inline.ruler.__find__("footnote_ref")]
    md.inline.ruler.at("footnote_ref", _bounded_footnote_ref(rule.fn), {"alt": rule.alt})
    return md


_FOOTNOTE_STOP = re.compile(r"[ \n\]]")


def _bounded_footnote_ref(rule: Any) -> Any:
    """The footnote plugin's reference rule, linear.

    The plugin reads from every ``[^`` to the next space, line break or ``]``: quadratic
    on a translation of ``[^[^[^…`` (16 kB took 13 s to build). Here the stop is found
    once for a run of ``[^`` (within one inline parse positions only grow), and a label
    longer than every footnote's is refused before the plugin reads it."""

    def bounded(state: Any, silent: bool) -> bool:
        src, start = state.src, state.pos
        if not src.startswith("[^", start):
            return False
        refs = state.env.get("footnotes", {}).get("refs") if isinstance(state.env, dict) else None
        if not refs:
            return False
        known = getattr(state, "_locflow_stop", None)
        if known is not None and known[0] <= start + 2 <= known[1]:
            stop = known[1]
        else:
            found = _FOOTNOTE_STOP.search(src, start + 2, state.posMax)
            stop = found.start() if found else state.posMax
            state._locflow_stop = (start + 2, stop)
        longest = getattr(state, "_locflow_longest", None)
        if longest is None:
            longest = state._locflow_longest = max(len(key) for key in refs) - 1
        if stop >= state.posMax or src[stop] != "]" or stop - start - 2 > longest:
            return False
        return bool(rule(state, silent))

    return bounded


def _top_level_blocks(tokens: Sequence[Token]) -> list[tuple[int, int, int, int]]:
    """(first token, after the last token, first line, end line) of each block of the
    document's top level, in order."""
    blocks: list[tuple[int, int, int, int]] = []
    depth = 0
    first = 0
    for index, token in enumerate(tokens):
        if depth == 0:
            first = index
        depth += token.nesting
        lines = tokens[first].map
        if depth == 0 and lines:
            blocks.append((first, index + 1, lines[0], lines[1]))
    return blocks


def _join_html_regions(state: StateCore) -> None:
    """Core rule after ``block``: a top-level HTML block that leaves open what HTML
    goes on with past the blank line ending it (:func:`~.htmltokens.html_region_ends`)
    becomes one HTML block with the blocks up to where that ends: a browser reads the
    source's HTML that way (a ``<pre>``'s lines, a comment's hidden text), so both
    the English page and its translations do. Blocks inside lists and quotes end in
    their container, as before."""
    tokens = state.tokens
    if not any(t.type == "html_block" and t.level == 0 for t in tokens):
        return
    from markdown_it.token import Token

    src = state.src
    line_starts = [0, *(m.end() for m in re.finditer("\n", src))]
    blocks = _top_level_blocks(tokens)
    if sum(after - first for first, after, _, _ in blocks) != len(tokens):
        return  # a top-level token without its lines: nothing is joined
    first_lines = [block[2] for block in blocks]

    def offset(line: int) -> int:
        return line_starts[line] if line < len(line_starts) else len(src)

    def reach(position: int) -> int:  # the end of the block holding *position*
        line = bisect.bisect_right(line_starts, position) - 1
        index = bisect.bisect_right(first_lines, line) - 1
        if index >= 0 and blocks[index][3] > line:
            return offset(blocks[index][3])
        return offset(line + 1)  # (a line no block holds: a link reference definition)

    region_end = html_region_ends(src, reach)
    out: list[Token] = []
    index = 0
    while index < len(blocks):
        first, after, start_line, end_line = blocks[index]
        start, end = offset(start_line), offset(end_line)
        region = region_end(start, end) if tokens[first].type == "html_block" else end
        region_end_line = bisect.bisect_left(line_starts, region)
        last = bisect.bisect_left(first_lines, region_end_line)  # after the blocks it holds
        if region <= end or any(t.type.startswith("footnote")  # (a definition: its number)
                                for t in tokens[first:blocks[last - 1][1]]):
            out += tokens[first:after]
            index += 1
            continue
        merged = Token("html_block", "", 0, content=src[start:region], block=True)
        merged.map = [start_line, max(blocks[last - 1][3], region_end_line)]
        out.append(merged)
        index = last
    state.tokens = out


def normalize_inline(raw: str) -> str:
    r"""The msgid form of a front-matter field: lines joined, a hard break as ``\n``.

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


def scratch_env(env: dict[str, Any]) -> dict[str, Any]:
    """A copy of *env* an inline parse may change (footnote references count their uses)."""
    scratch = dict(env)
    if "footnotes" in env:
        scratch["footnotes"] = copy.deepcopy(env["footnotes"])
    return scratch


def _render_inline(md: MarkdownIt, text: str, env: dict[str, Any]) -> str:
    from markdown_it.token import Token

    tokens = md.parseInline(text, scratch_env(env))
    children = tokens[0].children if tokens and tokens[0].children else []
    wrapper = Token("inline", "", 0, children=children)
    return str(md.renderer.render([wrapper], md.options, env)).replace("\n", " ")


def inline_msgid(content: str, env: dict[str, Any] | None = None) -> tuple[str, bool]:
    r"""(msgid, verbatim) of a block's raw inline Markdown.

    *env* is the document's parse environment (its link reference definitions).
    ``verbatim`` is True when the msgid keeps the source's line breaks because
    joining them would change the meaning; such a msgid (and its translation)
    is Markdown as is, without the ``\n`` → hard break convention.

    >>> inline_msgid("one\ntwo  \nthree `a\nb`")
    ('one two\nthree `a b`', False)
    >>> inline_msgid("[link](<foo\nbar>)")
    ('[link](<foo\nbar>)', True)
    >>> inline_msgid("[Node.js][]", {"references": {"NODE.JS": {"href": "https://nodejs.org",
    ...                                                          "title": ""}}})
    ('[Node.js](https://nodejs.org)', False)
    """
    env = env or {}
    content = content.strip(" ")  # a task list item's text starts with one
    if "\n" not in content and "[" not in content:
        return content, False  # nothing the parser could change: the fast path
    md = markdown_parser()
    recorder = _Recorder(content)
    scratch = scratch_env(env)
    scratch[_RECORDER] = recorder
    md.inline.parse(content, md, scratch, [])
    out: list[str] = []
    position = 0
    for start, end, text in sorted(recorder.events):
        if start < position:
            continue
        out.append(content[position:start].replace("\n", " "))  # inside code, tags, titles
        out.append(text)
        position = end
    out.append(content[position:].replace("\n", " "))
    msgid = "".join(out)
    if msgid == content:
        return msgid, False
    if _render_inline(md, to_markdown_inline(msgid), env) != _render_inline(md, content, env):
        return content, True
    return msgid, False


# Texts a translation would only copy: shown as they are on every page.
_NUMBER = re.compile(r"[+-]?(?:[0-9]{1,3}(?:,[0-9]{3})++|[0-9]++)(?:\.[0-9]++)?+")
_LONE_URL = re.compile(
    r"<[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*+>"  # an autolink
    r"|<[^\s<>@]++@[^\s<>@]++>"  # an e-mail autolink
    r"|(?:https?|ftp)://[^\s<>]++")  # a bare URL


def _code_spans_only(text: str) -> bool:
    """Whether *text* is code spans and the whitespace between them, nothing else."""
    i, n = 0, len(text)
    while i < n:
        if text[i] != "`":
            return False
        opening = i
        while i < n and text[i] == "`":
            i += 1
        ticks, content = i - opening, i
        while True:  # the closing run: exactly as many backticks
            close = text.find("`", i)
            if close < 0:
                return False
            i = close
            while i < n and text[i] == "`":
                i += 1
            if i - close == ticks:
                break
        if close == content:
            return False
        while i < n and text[i] in " \n":
            i += 1
    return n > 0


def needs_translation(msgid: str) -> bool:
    """Whether a unit whose text is *msgid* needs translating: not when it is only a
    number (``4``, ``-12``, ``3.5``, ``1,000``), a lone URL or autolink, or code spans.
    Such a text is not extracted; every page shows it as the source has it.

    >>> [needs_translation(t) for t in ("4", "1,000", "3.5", "<https://x.org>", "`a` `b`")]
    [False, False, False, False, False]
    >>> [needs_translation(t) for t in ("4 votes", "Chapter 4", "`a` and `b`", "``", "1,00")]
    [True, True, True, True, True]
    """
    text = msgid.strip()
    if not text:
        return True
    if text[0] == "`":
        return not _code_spans_only(text)
    return not (_NUMBER.fullmatch(text) or _LONE_URL.fullmatch(text))


@dataclass(frozen=True)
class Unit:
    """A body segment together with the parser token it came from (for rendering)."""

    token: Token  # the "inline" token (of the paragraph, for image parts) or the html_block
    segment: Segment
    line: int  # 1-based line of the block within the body
    part: str = "inline"  # "inline", "image alt", "image title", "html"
    verbatim: bool = False  # see inline_msgid
    piece: HtmlPiece | None = None  # for part == "html"

    @property
    def extracted(self) -> bool:
        """Whether the unit is extracted for translation (:func:`needs_translation`);
        if not, every page shows its source text."""
        return needs_translation(self.segment.msgid)


def _lone_image(token: Token) -> Token | None:
    children = [
        c for c in (token.children or []) if not (c.type == "text" and not c.content.strip())
    ]
    if len(children) == 1 and children[0].type == "image":
        return children[0]
    return None


def _html_units(token: Token) -> Iterator[Unit]:
    line = (token.map[0] + 1) if token.map else 0
    position = 0
    for piece in html_pieces(token.content):  # in the order of their starts
        line += token.content.count("\n", position, piece.start)
        position = piece.start
        yield Unit(token, Segment(piece.msgid, None, piece.kind), line, "html", piece=piece)


def body_units(tokens: Sequence[Token], env: dict[str, Any] | None = None) -> Iterator[Unit]:
    """The translatable units of a parsed body, in document order.

    *env* is the environment the body was parsed with (reference definitions).
    """
    env = env or {}
    context: list[str] = []
    for index, token in enumerate(tokens):
        if token.type.endswith("_open"):
            context.append(token.type)
        elif token.type.endswith("_close") and context:
            context.pop()
        if token.type == "html_block":
            yield from _html_units(token)
            continue
        if token.type != "inline":
            continue
        opener = tokens[index - 1].type if index else ""
        if opener in _KIND_BY_OPEN:
            kind = _KIND_BY_OPEN[opener]
        elif "footnote_open" in context:
            kind = "footnote"
        elif "list_item_open" in context:
            kind = "list item"
        elif "blockquote_open" in context:
            kind = "blockquote"
        else:
            kind = "paragraph"
        line = (token.map[0] + 1) if token.map else 0
        image = _lone_image(token) if kind == "paragraph" else None
        if image is not None:
            alt, verbatim = inline_msgid(image.content, env)
            if alt:
                yield Unit(token, Segment(alt, None, "image alt"), line, "image alt", verbatim)
            title = str(image.attrs.get("title") or "").strip()
            if title:
                yield Unit(token, Segment(title, None, "image title"), line, "image title")
            continue
        msgid, verbatim = inline_msgid(token.content, env)
        if msgid:
            yield Unit(token, Segment(msgid, None, kind), line, verbatim=verbatim)


def parse_body(markdown: str, env: dict[str, Any] | None = None) -> list[Token]:
    """Parse a Markdown body into block tokens (*env* receives the definitions)."""
    return markdown_parser().parse(markdown, env if env is not None else {})


def correction_contexts(dates: Iterable[dt.date]) -> list[str]:
    """The msgctxt of each correction: its date; a second correction of the same date
    gets a counter. A correction added after the others changes no earlier one's context
    (and so keeps its translation), unlike a position would.

    >>> correction_contexts([dt.date(2024, 11, 6), dt.date(2024, 11, 7), dt.date(2024, 11, 6)])
    ['correction 2024-11-06', 'correction 2024-11-07', 'correction 2024-11-06 (2)']
    """
    seen: Counter[dt.date] = Counter()
    contexts = []
    for date in dates:
        seen[date] += 1
        counter = f" ({seen[date]})" if seen[date] > 1 else ""
        contexts.append(f"correction {date.isoformat()}{counter}")
    return contexts


def correction_segments(article: Article) -> list[Segment]:
    """The segments of the article's ``corrections:``, in their order: each text as a
    front-matter field's (:func:`normalize_inline`), its msgctxt from
    :func:`correction_contexts`, its comment saying what it is."""
    corrections = article.corrections
    contexts = correction_contexts(c.date for c in corrections)
    return [Segment(normalize_inline(correction.text), context,
                    f"correction printed for readers under the article ({correction.date})")
            for correction, context in zip(corrections, contexts, strict=True)]


def segment_article(
    article: Article, fields: Iterable[str] = ("title", "summary", "section"), *,
    source: str = ""
) -> list[Segment]:
    """The article's segments: front-matter fields first (msgctxt = field name), then the
    body, then the corrections printed for readers (:func:`correction_segments`).

    A text repeated verbatim is one segment (one catalog entry), like xgettext;
    when it stands in blocks of different kinds, the entry's comment names them
    all. *source* (the article's path, as the template's ``#:`` reference shows
    it) is every segment's reference: no line numbers, so moving a paragraph
    changes no reference.
    """
    segments: list[Segment] = []
    seen: dict[tuple[str | None, str], int] = {}
    references = (source,) if source else ()

    def add(segment: Segment) -> None:
        key = (segment.context, segment.msgid)
        if key not in seen:
            seen[key] = len(segments)
            segments.append(replace(segment, references=references))
            return
        first = segments[seen[key]]
        kinds = first.kind.split("\n")
        if segment.kind not in kinds:
            segments[seen[key]] = replace(first, kind="\n".join([*kinds, segment.kind]))

    for name in fields:
        value = article.meta.get(name)
        if isinstance(value, str) and value.strip():
            add(Segment(normalize_inline(value.strip()), name, name))
    env: dict[str, Any] = {}
    tokens = _segmenting_parser().parse(article.body, env)
    for unit in body_units(tokens, env):
        if unit.extracted:
            add(unit.segment)
    for segment in correction_segments(article):
        add(segment)
    return segments
