"""What a reader gets from an entry's inline Markdown: its *skeleton* (pure).

An entry (a msgid or a msgstr: one paragraph, heading, item or cell, its reference
links inlined by the segmenter) is parsed with the parser ``build`` renders with
(:func:`locflow.segment.markdown_parser`: CommonMark inline rules, raw HTML,
strikethrough, footnotes), the way the build parses a translation (``\\n`` a hard
break), and read into a :class:`Skeleton`: link, image and autolink targets, code
spans and their exact contents, inline HTML tags as the build tells them apart
(:func:`~locflow.segment.htmlblocks.tag_key`), footnote references, the delimiters
the text shows because their construct did not parse (a ``**`` or a backtick a reader
sees), and the prose itself (:func:`reader_text`, :func:`reader_urls`).
:mod:`.structure` compares two skeletons.

Catalogs from Sphinx hold reStructuredText: a role (``:func:`x```) or a hyperlink
(```text <url>`_``) is a code span for Markdown, so the code span after a role is
read as the role (only the target of ``:ref:`title <target>```; the prose roles,
``:dfn:`` and friends, are translated) and a hyperlink by its target.

Parsing is linear (``tests/checks/test_linear_time.py``), with two bounds: the
footnote rule scans from every ``[^`` to the next space or ``]``, which is quadratic
on ``[^[^[^…``, so footnote labels are first read in one pass of bounded cost; and a
text longer than :data:`MAX_PARSED` is not parsed (markdown-it costs up to about
30 µs a character on runs of brackets).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from ..escaping import visible
from ..segment import markdown_parser, to_markdown_inline
from ..segment.htmlblocks import VOID_TAGS, tag_key
from .addresses import urls_in

if TYPE_CHECKING:
    from markdown_it.token import Token

__all__ = ["MAX_PARSED", "Literal", "Skeleton", "Tag", "Target", "char_kind", "quoted",
           "quoted_code", "reader_text", "reader_urls", "skeleton", "skeletons"]

#: Characters of one text parsed at most: under a second of markdown-it on the worst
#: input (``![`` repeated). The longest translated entry of 176 real catalogs has 9,723.
MAX_PARSED = 30_000
_QUOTED = 40  # characters of the text a message quotes at most
_WORD = 16  # characters of a word next to a delimiter a message quotes at most
_MARKUP = "\ue000"  # stands for a link, a tag or emphasis next to a delimiter: punctuation

# Sphinx roles whose content is prose a translator translates.
_PROSE_ROLES = frozenset({
    "dfn", "abbr", "guilabel", "menuselection", "emphasis", "strong", "title-reference",
    "sub", "sup",
})
# A role ends the text before its backtick: ":func:", ":py:meth:". It starts a word
# ("foo:func:`x`" is no role). Matched on a bounded tail of the text only.
_ROLE_AT_END_RE = re.compile(r"(?<![\w.+:-])(:(?:[\w.+-]++:)++)\Z")
_ROLE_TAIL = 80
_EXPLICIT_TARGET_RE = re.compile(r"<([^<>]+)>\s*\Z")  # `title <target>`
# Delimiters that show as text when their construct did not parse.
_DELIMITER_RE = re.compile(r"\*+|_+|`+|\]\(|~~+")
# Characters without which a text holds no inline construct (the fast path).
_SIGNIFICANT = frozenset("\\`*_[]<&~!\n")
_ADDRESS_HINT_RE = re.compile(r"://|www\.|@")  # what every address urls_in finds holds
_FOOTNOTE_STOP_RE = re.compile(r"[ \n\]]")
_EMPHASIS = frozenset({"em_open", "em_close", "strong_open", "strong_close"})


@dataclass(frozen=True)
class Target:
    """Where a link, an image or an autolink goes."""

    kind: str  # "link", "image" or "autolink"
    url: str  # as the page has it (a link's destination normalized by the parser)
    title: bool = False  # whether it has a title (its words are translated)


@dataclass(frozen=True)
class Literal:
    """A delimiter left as text: its construct did not parse."""

    delimiter: str  # "**", "`", "](" ...
    role: str  # "opens" (it touches what follows), "closes", "either" or "neither"
    before: str  # the word (or code span) before it, for a message
    after: str  # the word (or code span) after it


@dataclass(frozen=True)
class Tag:
    """An inline HTML tag, as the build tells tags apart (:func:`tag_key`)."""

    name: str  # "b", "/b" for a closing tag
    attributes: tuple[tuple[str, str], ...]  # but the translatable ones (alt, title)
    void: bool  # a void element (<br>) or self-closed (<icon/>): nothing to close


@dataclass(frozen=True)
class Skeleton:
    """The structure of one inline text as the build renders it."""

    targets: tuple[Target, ...] = ()
    code: tuple[tuple[str, str], ...] = ()  # (what must stay the same, as shown)
    tags: tuple[Tag, ...] = ()
    footnotes: tuple[str, ...] = ()  # labels
    literals: tuple[Literal, ...] = ()
    runs: tuple[str, ...] = ()  # the text a reader reads, run by run (link texts too)
    link_runs: tuple[str, ...] = ()  # the runs that are a link's text
    code_texts: tuple[str, ...] = ()  # the contents of its code spans
    html: tuple[str, ...] = ()  # the raw inline tags
    rst_links: int = 0  # code spans read as rST hyperlinks (`text <url>`_)


def _footnote_labels(text: str) -> set[str] | None:
    """The labels of the ``[^label]`` references in *text*, read as the footnote rule
    reads them (up to the first space, line break or ``]``), or None when reading
    them costs more than a few passes over *text* (``[^[^[^…``)."""
    labels: set[str] = set()
    budget = 4 * len(text) + 1_000
    start = text.find("[^")
    while start != -1:
        stop = _FOOTNOTE_STOP_RE.search(text, start + 2)
        end = stop.start() if stop else len(text)
        budget -= end - start
        if budget < 0:
            return None
        if stop is not None and stop.group() == "]" and end > start + 2:
            labels.add(text[start + 2:end])
        start = text.find("[^", start + 2)
    return labels


def _parse(text: str) -> list[Token]:
    """Inline tokens of *text* as the build parses a translation: ``\\n`` is a hard
    break, and a footnote reference is one when its label is well formed (the
    build knows the article's footnotes; a check knows only the two texts)."""
    md = markdown_parser()
    source = to_markdown_inline(text.replace("\r\n", "\n").replace("\x00", "\ufffd"))
    labels = _footnote_labels(source)
    env: dict[str, Any] = {}
    if labels:
        env["footnotes"] = {"refs": {":" + label: -1 for label in labels}, "list": {}}
    tokens: list[Token] = []
    # the inline parser alone, not parseInline: its text_join rule would merge escaped
    # characters (text_special) into the text, and "\*" is no forgotten delimiter
    md.inline.parse(source, md, env, tokens)
    return tokens


def quoted(text: str, limit: int = _QUOTED) -> str:
    """*text* quoted in a message: bounded, control characters escaped."""
    text = " ".join(text.split())
    if len(text) > limit:
        text = text[:limit - 1] + "…"
    return visible(text)


def quoted_code(content: str, markup: str) -> str:
    """A code span quoted in a message, with its backticks (and the spaces a content
    starting or ending with a backtick needs)."""
    pad = " " if content.startswith("`") or content.endswith("`") else ""
    return f"{markup}{pad}{quoted(content)}{pad}{markup}"


def _rst_role(before: str) -> str:
    """The reStructuredText role that *before* ends with (``:func:``), or ""."""
    match = _ROLE_AT_END_RE.search(before[-_ROLE_TAIL:])
    return match.group(1) if match else ""


def _code_key(token: Token, before: str, *, hyperlink: bool) -> tuple[str, str] | None:
    """(key, as shown) of a code span: what a translation must keep of it, or None
    when a translator may translate it (a prose role, an rST *hyperlink*'s name)."""
    content, markup = token.content, token.markup
    role = _rst_role(before) if markup == "`" else ""
    if role:
        if role.strip(":").split(":")[-1] in _PROSE_ROLES:
            return None
        target = _EXPLICIT_TARGET_RE.search(content)
        key = role + (target.group(1) if target else content.lstrip("~!"))
        return key, quoted(key)
    if hyperlink:
        # `text <url>`_ keeps its target; `Name`_ may be translated
        target = _EXPLICIT_TARGET_RE.search(content)
        return ("link:" + target.group(1), quoted(target.group(1))) if target else None
    return markup + content + markup, quoted_code(content, markup)


class _Builder:
    """The walk over a text's inline tokens that makes its :class:`Skeleton`."""

    def __init__(self, tokens: list[Token], *, rst: bool) -> None:
        self.rst = rst
        # the code spans that are rST hyperlinks (`text <url>`_), by token index
        self.hyperlinks = _rst_hyperlinks(tokens) if rst else set()
        self.targets: list[Target] = []
        self.code: list[tuple[str, str]] = []
        self.tags: list[Tag] = []
        self.footnotes: list[str] = []
        self.literals: list[Literal] = []
        self.runs: list[str] = []
        self.link_runs: list[str] = []
        self.code_texts: list[str] = []
        self.html: list[str] = []
        self.run: list[str] = []  # the run being read
        self.links_open = 0
        self.autolink = False

    def end_run(self) -> None:
        if self.run:
            text = "".join(self.run)
            self.runs.append(text)
            if self.links_open:
                self.link_runs.append(text)
            self.run = []

    def walk(self, tokens: list[Token]) -> None:
        for index, token in enumerate(tokens):
            kind = token.type
            if kind in ("text", "text_special", "softbreak"):
                if kind == "text":
                    self.literal_delimiters(tokens, index)
                if not self.autolink:  # an autolink's text is its URL, not prose
                    self.run.append(" " if kind == "softbreak" else token.content)
                continue
            self.end_run()
            self.structure(tokens, index)

    def structure(self, tokens: list[Token], index: int) -> None:
        token, kind = tokens[index], tokens[index].type
        if kind == "code_inline":
            before = tokens[index - 1].content if index and tokens[index - 1].type == "text" else ""
            key = _code_key(token, before, hyperlink=index in self.hyperlinks)
            self.code_texts.append(token.content)
            if key is not None:
                self.code.append(key)
        elif kind == "link_open":
            self.links_open += 1
            self.autolink = token.markup == "autolink"
            href = str(token.attrs.get("href", ""))
            if self.autolink:
                shown = tokens[index + 1].content if index + 1 < len(tokens) else href
                self.targets.append(Target("autolink", shown))
            else:
                self.targets.append(Target("link", href, bool(token.attrs.get("title"))))
        elif kind == "link_close":
            self.links_open -= 1
            self.autolink = False
        elif kind == "image":
            self.targets.append(Target("image", str(token.attrs.get("src", "")),
                                       bool(token.attrs.get("title"))))
            self.walk(token.children or [])  # the alt text is prose
            self.end_run()
        elif kind == "html_inline":
            self.html_tag(token.content)
        elif kind == "footnote_ref":
            self.footnotes.append(str(token.meta.get("label", "")))

    def html_tag(self, raw: str) -> None:
        self.html.append(raw)
        key = tag_key(raw) if not raw.startswith(("<!", "<?")) else None
        if key is not None:  # (comments, declarations, processing instructions: no tags)
            name, attributes = key
            void = name in VOID_TAGS or raw.endswith("/>")
            self.tags.append(Tag(name, attributes, void))

    def literal_delimiters(self, tokens: list[Token], index: int) -> None:
        """Record the delimiters *tokens[index]* (a text) shows as text."""
        text = tokens[index].content
        if not any(c in text for c in "*_`]~"):
            return
        for match in _DELIMITER_RE.finditer(text):
            start, end = match.span()
            left = text[start - 1] if start else _edge(tokens, index - 1, last=True)
            right = text[end] if end < len(text) else _edge(tokens, index + 1, last=False)
            # an rST hyperlink's "_" after its code span (or after a lost backtick)
            suffix = self.rst and not start and (index - 1 in self.hyperlinks or left == "`")
            if not _lost_delimiter(match.group(), left, right, rst_suffix=suffix):
                continue
            # the words around it, from a bounded window (a text of many delimiters
            # stays linear; a run of Chinese has no spaces: its nearest characters)
            words_before = text[max(0, start - _WORD):start].split()
            words_after = text[end:end + _WORD].split()
            if start:
                before = words_before[-1] if words_before else ""
            else:
                before = _neighbour(tokens, index, -1)
            if end < len(text):
                after = words_after[0] if words_after else ""
            else:
                after = _neighbour(tokens, index, 1)
            self.literals.append(Literal(match.group(), _role(left, right), before, after))

    def skeleton(self) -> Skeleton:
        self.end_run()
        return Skeleton(tuple(self.targets), tuple(self.code), tuple(self.tags),
                        tuple(self.footnotes), tuple(self.literals), tuple(self.runs),
                        tuple(self.link_runs), tuple(self.code_texts), tuple(self.html),
                        len(self.hyperlinks))


def _lost_delimiter(delimiter: str, left: str, right: str, *, rst_suffix: bool) -> bool:
    """Whether *delimiter*, shown as text between the characters *left* and *right*
    ("" at an edge of the text), is one whose construct did not parse rather than a
    character of prose. ``2 * 3`` has no delimiter; nor, for ``_``, have snake_case and
    ``__init__`` (an underscore between two letters, or two spaces), Mallard's
    ``<_:media-1/>`` and an rST hyperlink's (```name`_``, *rst_suffix*).
    """
    if delimiter[0] not in "*_":
        return True
    if left.isspace() and right.isspace():
        return False
    if delimiter[0] == "*":
        return True  # ("** Note: **" shows its stars: the text's edges are no spaces)
    if rst_suffix or left == "<":
        return False
    kinds = (char_kind(left), char_kind(right))
    return kinds[0] != kinds[1] or kinds == ("punctuation", "punctuation")


def char_kind(char: str) -> str:
    """"space", "word" or "punctuation": how CommonMark's flanking rules see *char*."""
    if not char or char.isspace():
        return "space"
    return "word" if char.isalnum() else "punctuation"


def _edge(tokens: list[Token], index: int, *, last: bool) -> str:
    """The character a reader sees at the end (*last*) or start of *tokens[index]*, as
    the flanking rules see a neighbour: "" beyond the text, a line break for a break,
    a punctuation mark for markup (a code span, a link, a tag)."""
    if not 0 <= index < len(tokens):
        return ""
    token = tokens[index]
    if token.type in ("softbreak", "hardbreak"):
        return "\n"
    if token.type in ("text", "text_special") and token.content:
        return token.content[-1] if last else token.content[0]
    return "`" if token.type == "code_inline" else _MARKUP


def _rst_hyperlinks(tokens: list[Token]) -> set[int]:
    """The indexes of the code spans of *tokens* that an ``_`` follows as in an rST
    hyperlink (```text <url>`_``). Markdown may pair two such ``_`` as emphasis: a
    pair counts when both follow a code span; an emphasis ``_`` whose partner stands
    elsewhere closes a Markdown ``_emphasis ending in `code`_``."""
    partner: dict[int, int] = {}
    opened: list[int] = []
    for index, token in enumerate(tokens):
        if token.type in ("em_open", "strong_open"):
            opened.append(index)
        elif token.type in ("em_close", "strong_close") and opened:
            start = opened.pop()
            partner[start], partner[index] = index, start

    def after_code(index: int) -> bool:
        previous = index - 1
        while previous >= 0 and tokens[previous].type == "text" and not tokens[previous].content:
            previous -= 1  # (the empty text a delimiter leaves)
        return previous >= 0 and tokens[previous].type == "code_inline"

    found = set()
    for index, token in enumerate(tokens):
        if token.type != "code_inline" or token.markup != "`":
            continue
        following = index + 1
        while following < len(tokens) and tokens[following].type == "text" and not (
                tokens[following].content):
            following += 1
        if following == len(tokens):
            continue
        after = tokens[following]
        if (after.type == "text" and after.content.startswith("_")) or (
                after.type in _EMPHASIS and after.markup.startswith("_")
                and following in partner and after_code(partner[following])):
            found.add(index)
    return found


def _neighbour(tokens: list[Token], index: int, step: int) -> str:
    """What follows (*step* 1) or precedes (-1) *tokens[index]*, as a message names it:
    a code span with its backticks, else a word; "" at an end of the text or a line."""
    for distance in range(1, 5):  # past a few openers: "**" then "[" then text
        position = index + step * distance
        if not 0 <= position < len(tokens):
            return ""
        token = tokens[position]
        if token.type in ("softbreak", "hardbreak"):
            return ""
        if token.type == "code_inline":
            return quoted_code(token.content, token.markup)
        # (a bounded end of the text: a text of many delimiters stays linear)
        words = (token.content[:_WORD] if step > 0 else token.content[-_WORD:]).split()
        if words:
            return words[0] if step > 0 else words[-1]
    return ""


def _role(left: str, right: str) -> str:
    """Whether a delimiter between *left* and *right* would open, close or do either,
    by CommonMark's flanking rules ("" is an edge of the text)."""
    opens = char_kind(right) != "space" and (
        char_kind(right) == "word" or char_kind(left) != "word")
    closes = char_kind(left) != "space" and (
        char_kind(left) == "word" or char_kind(right) != "word")
    if opens == closes:
        return "either" if opens else "neither"
    return "opens" if opens else "closes"


def skeleton(text: str, *, rst: bool = True) -> Skeleton:
    """The :class:`Skeleton` of *text* (an entry's msgid or msgstr). Memoized: a source
    is checked once per locale, and ``markup``, ``urls`` and ``numbers`` share it.

    With *rst*, a code span an ``_`` follows is an rST hyperlink (``Skeleton.rst_links``
    counts them): read a translation the way its source was read.
    """
    read = _skeleton(text, True)
    # (most texts have no rST hyperlink, and then both readings are one)
    return read if rst or not read.rst_links else _skeleton(text, False)


@lru_cache(maxsize=4096)
def _skeleton(text: str, rst: bool) -> Skeleton:
    text = text.strip()
    if not _SIGNIFICANT.intersection(text) or len(text) > MAX_PARSED:
        return Skeleton(runs=(text,) if text else ())
    tokens = _parse(text)
    builder = _Builder(tokens, rst=rst)
    builder.walk(tokens)
    return builder.skeleton()


def skeletons(source: str, translation: str) -> tuple[Skeleton, Skeleton]:
    """The skeletons of an entry's two texts, the translation read like its source: as
    reStructuredText hyperlinks only where the source has some."""
    src = skeleton(source)
    return src, skeleton(translation, rst=src.rst_links > 0)


def reader_text(text: str, *, code: bool = False) -> str:
    """*text* as a reader reads it: the runs of prose, without link targets, autolinks
    or HTML tags and their attributes, and without code spans unless *code*.

    Runs are joined with a line break, which joins no two numbers ("81⏎285" is two
    numbers; "81 285" one).
    """
    parts = skeleton(text)
    runs = parts.runs + parts.code_texts if code else parts.runs
    return runs[0] if len(runs) == 1 else "\n".join(runs)


@lru_cache(maxsize=4096)
def reader_urls(text: str, *, rst: bool = True) -> list[str]:
    """The URLs and e-mail addresses of *text* as its reader gets them: the targets of
    its links, images and autolinks (and of reStructuredText hyperlinks), the ones
    written in its prose and in its inline tags. The prose of a link's text is the
    link's own (``[https://x.org](https://x.org)`` has one address); code spans are
    the markup check's (their contents are compared whole). *rst*: see :func:`skeleton`.
    """
    parts = skeleton(text, rst=rst)
    found: list[str] = []
    for target in parts.targets:
        found += urls_in(target.url)
    if parts.rst_links:
        found += [url for key, _ in parts.code if key.startswith("link:")
                  for url in urls_in(key[5:])]
    if not _ADDRESS_HINT_RE.search(text):
        return found  # (most texts: no address in their prose or tags)
    in_links = Counter(parts.link_runs) if parts.link_runs else None
    for run in parts.runs:
        if in_links and in_links[run] > 0:
            in_links[run] -= 1
        else:
            found += urls_in(run)
    for tag in parts.html:
        found += urls_in(tag)
    return found
