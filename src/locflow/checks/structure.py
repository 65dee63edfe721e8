"""How the structure of a translation differs from its source's, in a translator's words.

The ``markup`` and ``urls`` checks used to read Markdown with patterns, and patterns
read characters: a link whose ``](`` a translator dropped still had its URL, so it
passed, and a code span holding a backtick looked broken. Here both texts are read
the way the build renders them (:mod:`.skeleton`) and compared: link, image and
autolink targets (as multisets: a translation moves them), code spans whole, inline
tags and their attributes, footnote references. A construct that no longer parses
leaves its delimiters in the text, and that is how the messages say what broke::

    >>> markup_differences("[`Buffer`](https://nodejs.org/api/buffer.html) is global",
    ...                    "[`Buffer`https://nodejs.org/api/buffer.html) es global")
    ['the link to https://nodejs.org/api/buffer.html is gone: its `](` is missing']
    >>> markup_differences("**`@node-core/utils`** runs it", "**`@node-core/utils` lo ejecuta")
    ['`**` opened before “`@node-core/utils`” is never closed']

Emphasis a translation drops or adds whole, and its line breaks, are its style, not a
breakage: 490 of 27,521 real translations (176 catalogs of other projects) drop or
add emphasis, and translators reflow e-mail texts. Messages quote translator text
bounded and escaped (:func:`~.skeleton.quoted`). A translation longer than
:data:`~.skeleton.MAX_PARSED` is an error of its own (unparsed, it would hide what
it breaks); a source that long, which no real catalog has, is read as plain text.
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache
from typing import Any

from .addresses import is_address
from .skeleton import (
    MAX_PARSED,
    Skeleton,
    Tag,
    Target,
    char_kind,
    quoted,
    reader_urls,
    skeleton,
    skeletons,
)

__all__ = ["lost_urls", "markup_differences"]


def _missing(source: list[Any], translation: list[Any]) -> list[Any]:
    """Items of *source* (with multiplicity, in its order) that *translation* lacks."""
    if not source or source == translation:  # (the usual cases, and Counters cost)
        return []
    lacking = Counter(source) - Counter(translation)
    out = []
    for item in source:
        if lacking[item] > 0:
            lacking[item] -= 1
            out.append(item)
    return out


def _gone(target: Target, translation: str) -> str:
    """Why *target* (of the source) is no link or image of *translation*: what of its
    syntax the translation lost, when its address is still there."""
    what = "the image" if target.kind == "image" else "the link to"
    url = quoted(target.url, 100)
    at = _written_at(target.url, translation)
    if at < 0:
        at = translation.find(target.url) if target.url else -1
    if at < 0:
        if target.kind == "image":
            return f"the image {url} is missing from the translation"
        return f"the link to {url} is missing or changed in the translation"
    if target.kind == "autolink":
        return f"the link to {url} is gone: keep the address between < and >"
    before = translation[max(0, at - 4):at].removesuffix("<")
    if before.endswith("]("):
        rest = translation[at + len(target.url):].lstrip(">")
        if not rest.lstrip().startswith(")") and not _has_title(rest):
            return f"{what} {url} is gone: its closing `)` is missing"
        return f"{what} {url} is gone: its text is not between `[` and `]`"
    if before.endswith("] (") or before.endswith("]  ("):
        return f"{what} {url} is gone: `]` and `(` must touch, without a space"
    return f"{what} {url} is gone: its `](` is missing"


_URL_GOES_ON = frozenset("-_~/%#?=&+@")


def _written_at(url: str, text: str) -> int:
    """Where *url* is written whole in *text* (not as the start of a longer address:
    "https://x.org/a" is not in "https://x.org/ab"), or -1."""
    if not url:
        return -1
    at = text.find(url)
    while at >= 0:
        after = text[at + len(url):at + len(url) + 1]
        if not after or not (after.isalnum() or after in _URL_GOES_ON):
            return at
        at = text.find(url, at + 1)
    return -1


@lru_cache(maxsize=256)  # (urls and markup both ask, one after the other)
def lost_urls(source: str, translation: str) -> list[str]:
    """The addresses of *source* (:func:`reader_urls`) that *translation* has neither as
    an address nor written whole anywhere: what the ``urls`` check reports. (An
    address still written in the translation whose link broke is ``markup``'s.)"""
    wanted = reader_urls(source)
    if not wanted:
        return []
    have = reader_urls(translation, rst=skeleton(source).rst_links > 0)
    return [url for url in _missing(wanted, have) if _written_at(url, translation) < 0]


def _has_title(rest: str) -> bool:
    """Whether *rest* (what follows a link's address) starts with a complete title and
    its closing parenthesis: `` "Title")``."""
    rest = rest.lstrip()
    if rest[:1] not in ('"', "'", "("):
        return False
    close = {"(": ")"}.get(rest[0], rest[0])
    end = rest.find(close, 1)
    return end > 0 and rest[end + 1:].lstrip().startswith(")")


def _target_messages(src: Skeleton, tgt: Skeleton, translation: str,
                     lost: set[str]) -> list[str]:
    messages = []
    src_targets = [(t.kind, t.url) for t in src.targets]
    tgt_targets = [(t.kind, t.url) for t in tgt.targets]
    by_key = {(t.kind, t.url): t for t in src.targets}
    extra = _missing(tgt_targets, src_targets)
    for key in _missing(src_targets, tgt_targets):
        target = by_key[key]
        swapped = ("link" if target.kind == "image" else "image", target.url)
        if target.kind != "autolink" and swapped in extra:
            extra.remove(swapped)
            messages.append(f"the image {quoted(target.url, 100)} became a link: its `!` is "
                            "missing" if target.kind == "image" else
                            f"the link to {quoted(target.url, 100)} became an image: drop "
                            "the `!` before it")
        elif target.kind == "image" or target.url not in lost:
            messages.append(_gone(target, translation))
        # else: the address is nowhere in the translation, which the urls check says
    for kind, url in extra:
        if kind == "image":
            messages.append(f"the translation has an image {quoted(url, 100)} the source "
                            "does not")
        else:
            messages.append(f"the translation links to {quoted(url, 100)}, which the source "
                            "does not")
    titled = _missing([(t.kind, t.url) for t in src.targets if t.title],
                      [(t.kind, t.url) for t in tgt.targets if t.title])
    for kind, url in titled:
        if (kind, url) in tgt_targets:
            what = "the image" if kind == "image" else "the link to"
            messages.append(f"{what} {quoted(url, 100)} lost its title")
    return messages


def _literal_messages(src: Skeleton, tgt: Skeleton, delimiters: str) -> list[str]:
    """The first delimiter (of those starting with a character of *delimiters*) that the
    translation shows as text more often than the source does, in words: a construct
    that did not parse. One message: the others usually follow from it."""
    def count(skeleton: Skeleton) -> Counter[str]:
        return Counter(lit.delimiter for lit in skeleton.literals
                       if lit.delimiter[0] in delimiters)

    src_count, tgt_count = count(src), count(tgt)
    excess = tgt_count - src_count
    first = next((lit for lit in tgt.literals if lit.delimiter in excess), None)
    if first is None:
        return []
    delimiter = first.delimiter
    if delimiter[0] == "`":
        shown = "a backtick (`)" if len(delimiter) == 1 else (
            f"{len(delimiter)} backticks ({delimiter})")
    else:
        shown = f"`{delimiter}`"
    before, after = quoted(first.before), quoted(first.after)
    if src_count[delimiter]:
        return [f"the translation shows {shown} as text {tgt_count[delimiter]} times, the "
                f"source {src_count[delimiter]} times: one does not pair up"]
    if first.role == "neither":
        where = f" before “{after}”" if after else f" after “{before}”" if before else ""
        return [f"{shown}{where} is next to a space, so it marks nothing: it must touch the "
                "word it marks"]
    if first.role == "opens" or (first.role == "either" and not before):
        where = f" before “{after}”" if after else ""
        return [f"{shown} opened{where} is never closed"]
    if first.role == "closes" and char_kind(first.after[:1]) == "punctuation":
        return [f"{shown} before “{after}” cannot open there: before a punctuation mark it "
                "needs a space or a punctuation mark in front of it (move it, or the "
                "punctuation, to the other side)"]
    if first.role == "closes" or not after:
        where = f" after “{before}”" if before else ""
        return [f"{shown}{where} closes nothing: the one that should open it is missing or "
                "does not touch the word after it"]
    return [f"{shown} between “{before}” and “{after}” does not pair up"]


def _code_messages(src: Skeleton, tgt: Skeleton) -> list[str]:
    broken = _literal_messages(src, tgt, "`")
    if broken:
        return broken  # the code spans it lost are the same problem
    shown = dict(src.code)
    messages = []
    for key in _missing([k for k, _ in src.code], [k for k, _ in tgt.code]):
        if key.startswith("link:") and is_address(key[5:]):
            continue  # the urls check reports an rST hyperlink's address
        messages.append(f"{shown[key]} is missing or changed in the translation")
    return messages


def _tag_messages(src: Skeleton, tgt: Skeleton) -> list[str]:
    def names(skeleton: Skeleton) -> list[str]:
        return [f"<{tag.name}>" for tag in skeleton.tags]

    messages = []
    missing, extra = _missing(names(src), names(tgt)), _missing(names(tgt), names(src))
    if missing:
        messages.append(f"tags missing from the translation: {quoted(' '.join(missing), 200)}")
    if extra:
        messages.append(f"tags the source does not have: {quoted(' '.join(extra), 200)}")
    if missing or extra:
        return messages
    # the same tags by name: then each must keep its attributes, else the build shows
    # it as text (a translation cannot add markup)
    keys = [(tag.name, tag.attributes) for tag in tgt.tags]
    kept: dict[str, set[tuple[str, str]]] = {}  # the attributes of the tags of each name
    for name, attributes in keys:
        kept.setdefault(name, set()).update(attributes)
    for name, attributes in _missing([(tag.name, tag.attributes) for tag in src.tags], keys):
        for attribute, value in attributes:
            if (attribute, value) not in kept.get(name, set()):
                messages.append(f"the tag attribute {attribute}=\"{quoted(value, 100)}\" is "
                                "missing or changed in the translation")
    if not messages and _nested(src.tags) and not _nested(tgt.tags):
        messages.append("the tags are not nested properly in the translation")
    return messages


def _nested(tags: tuple[Tag, ...]) -> bool:
    """Whether every tag closes the last one opened."""
    opened: list[str] = []
    for tag in tags:
        if tag.name.startswith("/"):
            if not opened or opened.pop() != tag.name[1:]:
                return False
        elif not tag.void:
            opened.append(tag.name)
    return not opened


def _emphasis_messages(src: Skeleton, tgt: Skeleton) -> list[str]:
    """Emphasis that broke: its delimiters show as text. Emphasis a translation drops or
    adds whole is a choice of style, not a breakage (Chinese has no italics): 490 of
    27,521 real translations (176 catalogs of other projects) do it."""
    return _literal_messages(src, tgt, "*_~")


def _footnote_messages(src: Skeleton, tgt: Skeleton) -> list[str]:
    messages = [f"the footnote reference [^{quoted(label)}] is missing from the translation"
                for label in _missing(list(src.footnotes), list(tgt.footnotes))]
    messages += [f"the translation has a footnote reference [^{quoted(label)}] the source "
                 "does not" for label in _missing(list(tgt.footnotes), list(src.footnotes))]
    return messages


def _same_order(src: Skeleton, tgt: Skeleton) -> bool:
    """Whether two skeletons have the same structure in the same order (a translation
    may reorder it: the full comparison is in multisets)."""
    return (src.targets == tgt.targets and src.code == tgt.code and src.tags == tgt.tags
            and src.footnotes == tgt.footnotes
            and [lit.delimiter for lit in src.literals] == [lit.delimiter for lit in tgt.literals])


def markup_differences(source: str, translation: str) -> list[str]:
    """How the structure of *translation* differs from *source*'s, in a translator's words.

    A link whose address the translation lacks altogether (:func:`lost_urls`) is
    left to the ``urls`` check: one finding per problem.
    """
    if len(translation.strip()) > MAX_PARSED >= len(source.strip()):
        # unparsed, it would hide any markup it breaks
        return [f"the translation is too long to compare its markup with the source's: "
                f"{len(translation.strip()):,} characters (at most {MAX_PARSED:,})"]
    src, tgt = skeletons(source, translation)
    if _same_order(src, tgt):
        return []  # (most translations: the same structure, in the same order)
    messages = _code_messages(src, tgt)
    messages += _target_messages(src, tgt, translation, set(lost_urls(source, translation)))
    messages += _footnote_messages(src, tgt)
    messages += _tag_messages(src, tgt)
    messages += _emphasis_messages(src, tgt)
    # Hard breaks (a msgid's "\\n") are compared by the whitespace check at the ends;
    # inside, translators reflow lines on purpose (e-mail texts, addresses).
    return messages
