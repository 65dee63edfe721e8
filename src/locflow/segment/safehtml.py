"""The HTML a published page may hold: one allow-list, for the page and for the checks (pure).

The build sanitizes every page with nh3 (:func:`locflow.publish.render.sanitize`), and
the ``unsafe-html`` check asks nh3 what a translation would lose
(:mod:`locflow.checks.content`). Both take their settings from :func:`nh3_options` and
finish with :func:`finish`, so a check never passes what the page removes, nor flags
what the page keeps; :func:`removals` says what was removed, for the build's
warnings and the check's messages alike. nh3 itself is imported only by those two
(its homes); this module is data and the small functions nh3 is handed.

What is allowed: the tags and attributes of nh3's defaults, those Markdown renders
(task lists, footnotes, table alignment), and on every tag the harmless ``class``,
``id``, ``lang``, ``dir`` and ``title`` (``id`` and ``dir`` only with sane values).
A link keeps ``target`` only together with a ``rel`` holding ``noopener`` (a page
opened in a new tab must not reach back to ours). URL schemes: every one but
``javascript:``, ``vbscript:`` and ``data:``; ``data:`` only for raster images in
``<img src>`` (an SVG can carry script). The content of elements a reader never sees
(:data:`HIDDEN_CONTENT`) goes with them, so the page hides what a browser hides, and
segmentation extracts none of it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .htmltokens import LinearHTMLParser

__all__ = [
    "ALLOWED_ATTRIBUTES",
    "ALLOWED_TAGS",
    "HIDDEN_CONTENT",
    "Removal",
    "finish",
    "nh3_options",
    "removals",
    "url_scheme",
]

ALLOWED_TAGS = frozenset({
    "a", "abbr", "acronym", "area", "article", "aside", "b", "bdi", "bdo", "blockquote", "br",
    "caption", "center", "cite", "code", "col", "colgroup", "data", "dd", "del", "details",
    "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "footer", "h1", "h2", "h3", "h4",
    "h5", "h6", "header", "hgroup", "hr", "i", "img", "input", "ins", "kbd", "li", "map",
    "mark", "nav", "ol", "p", "pre", "q", "rp", "rt", "rtc", "ruby", "s", "samp", "section",
    "small", "span", "strike", "strong", "sub", "summary", "sup", "table", "tbody", "td", "th",
    "thead", "time", "tr", "tt", "u", "ul", "var", "wbr",
})
#: Attributes every allowed tag may have.
GLOBAL_ATTRIBUTES = frozenset({"class", "id", "lang", "dir", "title"})
_TABLE_PART = frozenset({"align", "char", "charoff"})
_CELL = _TABLE_PART | {"colspan", "headers", "rowspan", "style", "width", "height"}
#: Attributes of particular tags (besides :data:`GLOBAL_ATTRIBUTES`).
ALLOWED_ATTRIBUTES: dict[str, frozenset[str]] = {
    "a": frozenset({"href", "hreflang", "name", "rel", "target"}),
    "bdo": frozenset({"dir"}),
    "blockquote": frozenset({"cite"}),
    "col": _TABLE_PART | {"span"},
    "colgroup": _TABLE_PART | {"span"},
    "del": frozenset({"cite", "datetime"}),
    "details": frozenset({"open"}),
    "hr": frozenset({"align", "size", "width"}),
    "img": frozenset({"align", "alt", "height", "src", "width"}),
    "input": frozenset({"checked", "disabled", "type"}),  # a task list's checkbox, forced
    "ins": frozenset({"cite", "datetime"}),
    "ol": frozenset({"start", "type"}),
    "q": frozenset({"cite"}),
    "table": _TABLE_PART | {"height", "summary", "width"},
    "tbody": _TABLE_PART,
    "td": _CELL,
    "tfoot": _TABLE_PART,
    "th": _CELL | {"scope"},
    "thead": _TABLE_PART,
    "tr": _TABLE_PART,
    **{tag: frozenset({"align"}) for tag in ("div", "p", "h1", "h2", "h3", "h4", "h5", "h6")},
}
#: Elements whose content a reader never sees (a script, a player's fallback, a
#: ``<noscript>`` on a page that runs none): the page drops them with their content,
#: and segmentation extracts none of it. A ``<textarea>``, ``<select>``, ``<svg>`` or
#: ``<math>`` shows its text: the page keeps it (as text) and it is translated.
HIDDEN_CONTENT = frozenset({
    "script", "style", "template", "title", "noscript", "noembed", "noframes", "iframe",
    "object", "applet", "audio", "video", "canvas",
})
#: Styles a table cell keeps (column alignment).
STYLE_PROPERTIES = frozenset({"text-align"})

_EMBED_ATTRIBUTES = frozenset({"src", "width", "height", "title", "allowfullscreen", "loading"})
_EMBED_SET = {"sandbox": "allow-scripts allow-same-origin allow-presentation allow-popups",
              "referrerpolicy": "strict-origin-when-cross-origin"}
_EMPTY_EMBED = re.compile(r"<iframe(?![^>]*\ssrc=)[^>]*>.*?</iframe>", re.S)

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_EXECUTABLE = frozenset({"javascript", "vbscript", "data"})
_RASTER_DATA = re.compile(r"^data:image/(?:png|gif|jpeg|webp)[;,]", re.I)
_URL_CHARS_IGNORED = re.compile(r"[\t\n\r]")
_C0_AND_SPACE = "".join(map(chr, range(0x21)))  # stripped from a URL's start by browsers
# An id a page can link to and no stylesheet or script confuses: a letter, then letters,
# digits, "-", "_", ".", ":" (footnotes' "fnref1:2"); a sane length.
_SANE_ID = re.compile(r"[A-Za-z][A-Za-z0-9_.:-]{0,99}")
_DIRECTIONS = frozenset({"ltr", "rtl", "auto"})
_LANGUAGE_TAG = re.compile(r"(?:[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*)?")


def url_scheme(url: str) -> str:
    """The scheme of *url* as a browser reads it (tabs and newlines ignored), lower-cased.

    >>> url_scheme(" Java\\tScript:alert(1)"), url_scheme("/path:x"), url_scheme("tel:+1")
    ('javascript', '', 'tel')
    """
    match = _SCHEME.match(_URL_CHARS_IGNORED.sub("", url).lstrip(_C0_AND_SPACE))
    return match.group(1).lower() if match else ""


class _StartTags(LinearHTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


def start_tags(html: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    """The start tags of *html* with their attributes (character references decoded)."""
    parser = _StartTags()
    parser.feed(html)
    parser.close()
    return parser.tags


def _allowed_schemes(html: str) -> set[str]:
    """The URL schemes of *html* that cannot run code (nh3 wants an allow-list)."""
    schemes = {"http", "https", "mailto"}
    for _, attrs in start_tags(html):
        for _, value in attrs:
            scheme = url_scheme(value or "")
            if scheme and scheme not in _EXECUTABLE:
                schemes.add(scheme)
    return schemes | ({"data"} if "data:image/" in html.lower() else set())


def _attribute_filter(embeds: tuple[str, ...]) -> Callable[[str, str, str], str | None]:
    def keep(element: str, attribute: str, value: str) -> str | None:
        if url_scheme(value) == "data" and not (
                element == "img" and attribute == "src" and _RASTER_DATA.match(value.strip())):
            return None
        if element == "iframe" and attribute == "src" and not any(
                value.strip().startswith(prefix) for prefix in embeds):
            return None
        if attribute == "id" or (element == "a" and attribute == "name"):
            return value if _SANE_ID.fullmatch(value) else None
        if attribute == "dir":
            return value if value.strip().lower() in _DIRECTIONS else None
        if attribute == "lang":
            return value if _LANGUAGE_TAG.fullmatch(value.strip()) else None
        return value

    return keep


def nh3_options(html: str, embeds: tuple[str, ...] = ()) -> dict[str, Any]:
    """The keyword arguments of ``nh3.clean`` for *html*: the allow-list.

    *embeds* are the ``https://`` prefixes of the ``<iframe>`` sources that may stay
    (``[build] embeds``); such an iframe is sandboxed, any other goes (:func:`finish`).
    """
    attributes = {tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()}
    attributes["*"] = set(GLOBAL_ATTRIBUTES)
    tags = set(ALLOWED_TAGS)
    forced = {"input": {"type": "checkbox", "disabled": "disabled"}}
    if embeds:
        tags.add("iframe")
        attributes["iframe"] = set(_EMBED_ATTRIBUTES)
        forced["iframe"] = dict(_EMBED_SET)
    return {
        "tags": tags,
        "clean_content_tags": set(HIDDEN_CONTENT - tags),  # (nh3 refuses a tag in both)
        "attributes": attributes,
        "attribute_filter": _attribute_filter(embeds),
        "filter_style_properties": set(STYLE_PROPERTIES),
        "url_schemes": _allowed_schemes(html),
        "set_tag_attribute_values": forced,
        "link_rel": None,  # a link's own rel is kept: it decides whether target may stay
        "strip_comments": True,
    }


# nh3's output writes every attribute value in double quotes, with no '"' inside: its
# start tags are read exactly by these patterns (linear: each part starts differently).
_LINK_TAG = re.compile(r"<(?:a|area)((?:\s++[^\s=>/\"]++(?:=\"[^\"]*+\")?+)*+)\s*+/?>")
_ATTRIBUTE_OUT = re.compile(r"\s++([^\s=>/\"]++)(?:=\"([^\"]*+)\")?+")


def _without_opener(match: re.Match[str]) -> str:
    """A link tag of nh3's output without ``target`` unless its ``rel`` has ``noopener``."""
    attributes = {m.group(1): (m.group(2) or "", m.group(0))
                  for m in _ATTRIBUTE_OUT.finditer(match.group(1))}
    if "target" not in attributes or "noopener" in attributes.get("rel", ("", ""))[0].split():
        return match.group(0)
    return match.group(0).replace(attributes["target"][1], "", 1)


def finish(cleaned: str, embeds: tuple[str, ...] = ()) -> str:
    """nh3's output *cleaned* as the page has it: a ``target`` without ``rel=noopener``
    removed, and (with *embeds*) an iframe whose source is not an allowed embed, which
    lost its ``src``, removed with its content."""
    if "target=" in cleaned:
        cleaned = _LINK_TAG.sub(_without_opener, cleaned)
    return _EMPTY_EMBED.sub("", cleaned) if embeds else cleaned


@dataclass(frozen=True)
class Removal:
    """Something the sanitizer removed: a tag (with its content, if hidden), or an
    attribute of a tag it kept (*scheme*: a URL's, when that is why)."""

    tag: str
    attribute: str = ""
    scheme: str = ""

    def __str__(self) -> str:
        """In words, as ``sync`` and ``build`` warn about it.

        >>> [str(r) for r in (Removal("iframe"), Removal("div", "onclick"),
        ...                    Removal("a", "href", "javascript"))]
        ['<iframe>', 'onclick on <div>', 'a javascript: URL in <a href>']
        """
        if not self.attribute:
            return f"<{self.tag}>"
        if self.scheme:
            return f"a {self.scheme}: URL in <{self.tag} {self.attribute}>"
        return f"{self.attribute} on <{self.tag}>"


def removals(html: str, cleaned: str) -> list[Removal]:
    """What sanitizing *html* into *cleaned* removed, each time it did: tags first (by
    name), then the attributes of the kept tags, in their order. Comments are not
    counted: a page never shows them.

    >>> [str(r) for r in removals('<p onclick="a">x</p><p onclick="b">y</p>', "<p>x</p><p>y</p>")]
    ['onclick on <p>', 'onclick on <p>']
    """
    before, after = start_tags(html), start_tags(cleaned)
    lost = Counter(tag for tag, _ in before) - Counter(tag for tag, _ in after)
    found = [Removal(tag) for tag in sorted(lost.elements())]
    kept = Counter((tag, name) for tag, attrs in after for name, _ in attrs)
    for tag, attrs in before:
        if tag in lost:
            continue
        for name, value in attrs:
            if kept[(tag, name)]:
                kept[(tag, name)] -= 1
                continue
            found.append(Removal(tag, name, url_scheme(value or "") if name in ("href", "src")
                                 else ""))
    return found
