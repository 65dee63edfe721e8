"""Content checks other than ``numbers``: pure functions over two strings.

Each takes ``(source, translation, ctx)`` and returns messages (empty = pass).
They understand the inline syntax found in msgids: Markdown (links, images,
`code`, **bold**, *em*, HTML tags), reStructuredText as Sphinx writes it
(:func:`foo`, ``literal``, `text <url>`_) and Mallard/XML tags.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from functools import lru_cache
from typing import TYPE_CHECKING

from ..model import Severity
from .addresses import EMAIL_RE as _EMAIL_RE
from .addresses import URL_RE as _URL_RE
from .addresses import strip_trailing_punct as _strip_trailing_punct
from .structure import lost_urls, markup_differences

if TYPE_CHECKING:
    from . import CheckContext, ContentCheck

# --- shared parsing helpers ---------------------------------------------------------

# Every pattern here runs on translator text, so each must be linear in it (issue 7):
# no two quantifiers that can match the same characters one after the other, and
# a match can only start where a run of its characters starts (a look-behind), so a
# failed attempt is never repeated from inside the same run.
# rST: ``literal``; :role:`text`; `text <target>`_ ; Markdown/rST: `code`
_RST_LITERAL_RE = re.compile(r"``(.+?)``")
# docutils: a role starts a word ("foo:func:`x`" is no role).
_ROLE_RE = re.compile(r"(?<![\w.+:-])(:(?:[\w.+-]++:)++)`([^`]+)`")
_BACKTICK_RE = re.compile(r"(?<!`)`([^`]+)`(?!`)(_{0,2})")
_MD_LINK_RE = re.compile(
    # a destination may hold balanced parentheses, as in CommonMark: (javascript:f(1))
    # and a label one level of brackets
    r"(!?)\[((?:[^\[\]]|\[[^\[\]]*\])*)\]\(\s*+<?((?:[^()\s>]|\([^()\s]*\))*)>?"
    r"(?:\s++\"[^\"]*\")?\s*\)"
)
# The attributes (and a self-closing "/") are one run up to ">"; _tags() splits them.
# "\s+[^<>]*?\s*" here once took cubic time on "<a" and spaces.
_TAG_RE = re.compile(r"<(/?)([A-Za-z][\w:.-]*+)(\s[^<>]*+)?+(/?)>")
_ATTR_RE = re.compile(r"(?<![\w:-])([\w:-]++)\s*+=\s*+(?:\"([^\"]*)\"|'([^']*)'|([^\s>]+))")
_VOID_TAGS = frozenset({
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
    "source", "track", "wbr",
})
# Sphinx roles whose content is prose a translator translates.
_PROSE_ROLES = frozenset({
    "dfn", "abbr", "guilabel", "menuselection", "emphasis", "strong", "title-reference",
    "sub", "sup",
})
_PLACEHOLDER_CODE_RE = re.compile(
    r"\{[\w.!:\[\]]*\}|%\([\w.]+\)[-#0 +]*+\d*+(?:\.\d+)?[a-zA-Z]"
)


# The analyses below are memoized: a source text is checked once per locale, and
# every locale's check of it reuses one analysis. Callers treat the results as
# read-only (they are shared).
_ANALYSIS_CACHE = 4096
# Each pattern is only run on a text holding what every match of it holds ("](" for a
# Markdown link, "<" for a tag, ...): most texts are plain prose, and a substring
# test is far cheaper than a regex scan.


@lru_cache(maxsize=_ANALYSIS_CACHE)
def _code_spans(text: str) -> tuple[list[str], str]:
    """The literal/code spans of *text* (as keys to compare) and the text without them.

    For a role with an explicit target (:ref:`title <label>`) the key is the role
    and the target, since translators translate the title.
    """
    if "`" not in text:
        return [], text
    keys: list[str] = []

    def literal(m: re.Match[str]) -> str:
        keys.append("``" + m.group(1) + "``")
        return " "

    def role(m: re.Match[str]) -> str:
        body = m.group(2)
        if m.group(1).strip(":").split(":")[-1] in _PROSE_ROLES:
            return " " + body + " "
        target = re.search(r"<([^<>]+)>\s*$", body)
        keys.append(m.group(1) + (target.group(1) if target else body.lstrip("~!")))
        return " "

    def backtick(m: re.Match[str]) -> str:
        body, underscores = m.group(1), m.group(2)
        target = re.search(r"<([^<>]+)>\s*$", body)
        if underscores:
            # an rST hyperlink: `text <url>`_ keeps its URL; `Name`_ may be translated
            if target:
                keys.append("link:" + target.group(1))
        else:
            keys.append("`" + body + "`")
        return " "

    text = _RST_LITERAL_RE.sub(literal, text)
    text = _ROLE_RE.sub(role, text)
    text = _BACKTICK_RE.sub(backtick, text)
    return keys, text


@lru_cache(maxsize=_ANALYSIS_CACHE)
def _prose(text: str) -> str:
    """*text* without code, URLs, placeholders and tags: what a translator writes."""
    _, text = _code_spans(text)
    if "](" in text:
        text = _MD_LINK_RE.sub(lambda m: m.group(2), text)
    if "://" in text or "www." in text:
        # keep the sentence punctuation a URL swallowed ("www.python.org?")
        text = _URL_RE.sub(
            lambda m: " " + m.group()[len(_strip_trailing_punct(m.group())):], text)
    if "@" in text:
        text = _EMAIL_RE.sub(" ", text)
    if "<" in text:
        text = _TAG_RE.sub(" ", text)
    if "{" in text or "%(" in text:
        text = _PLACEHOLDER_CODE_RE.sub(" ", text)
    return text


def _missing(source_items: list[str], translation_items: list[str]) -> list[str]:
    """Items of the source (with multiplicity) the translation lacks."""
    if not source_items:  # the usual case, and Counters cost
        return []
    return list((Counter(source_items) - Counter(translation_items)).elements())


def _extra(source_items: list[str], translation_items: list[str]) -> list[str]:
    if not translation_items:
        return []
    return list((Counter(translation_items) - Counter(source_items)).elements())


# --- urls ---------------------------------------------------------------------------


def urls(source: str, translation: str, ctx: CheckContext) -> list[str]:
    """Every URL and e-mail address of the source is in the translation, unchanged."""
    messages = []
    for url in lost_urls(source, translation):
        kind = "e-mail address" if "@" in url and "://" not in url else "link"
        messages.append(f"the {kind} {url} is missing or changed in the translation")
    return messages


# --- markup -------------------------------------------------------------------------


@lru_cache(maxsize=_ANALYSIS_CACHE)
def _tags(text: str) -> list[tuple[str, str, dict[str, str]]]:
    """HTML/XML tags of *text* outside code: (kind, name, attributes), kind in open/close/void."""
    if "<" not in text:
        return []
    out = []
    for m in _TAG_RE.finditer(text):
        closing, name, attrs, selfclose = m.groups()
        attrs = (attrs or "").rstrip()
        if attrs.endswith("/"):
            attrs, selfclose = attrs[:-1], "/"
        name = name.lower()
        if name.endswith(":"):
            continue  # an autolink <https://...>
        attributes = {a.lower(): (v1 or v2 or v3) for a, v1, v2, v3 in _ATTR_RE.findall(attrs)}
        kind = "close" if closing else "void" if selfclose or name in _VOID_TAGS else "open"
        out.append((kind, name, attributes))
    return out


# [text][label], [label][]. Not the shortcut [label]: words in brackets are far more
# often prose ("in [brackets]", "[optional]") than a link, and translated (all three
# findings the shortcut rule made on 176 real catalogs were such prose).
_REFERENCE_RE = re.compile(r"\[([^\[\]]*)\]\[([^\[\]]*)\]")


def _reference_labels(text: str) -> list[tuple[str, str]]:
    """(label as written, normalized label) of the reference-style links of *text*."""
    if "][" not in text:
        return []
    if "](" in text:
        text = _MD_LINK_RE.sub(" ", text)
    found = []
    for m in _REFERENCE_RE.finditer(text):
        label = m.group(2) or m.group(1)
        if label.startswith("^") or not label.strip():
            continue
        found.append((m.group(), " ".join(label.split()).casefold()))
    return found


def _references(source: str, translation: str) -> list[str]:
    """Reference links keep their labels: a changed label finds no definition and the
    page shows the brackets. (A check sees two texts, not the article's definitions.)"""
    messages = []
    src_refs = _reference_labels(source)
    if src_refs:
        labels = {label for _, label in src_refs}
        for written, label in _reference_labels(translation):
            if label not in labels:
                messages.append(
                    f"the reference link {written} has no definition: keep the label as in the "
                    f"source ({', '.join(sorted({w for w, _ in src_refs}))}) or write the "
                    "link inline")
    return messages


def markup(source: str, translation: str, ctx: CheckContext) -> list[str]:
    """The inline structure is kept, as the build renders it: link, image and autolink
    targets, code spans and roles, inline tags and their attributes, footnote and
    reference links, and no delimiter is left showing because its construct broke (an
    unclosed ``**``, a dropped ``](``): :mod:`locflow.checks.structure`.

    Code spans are compared exactly (for :role:`title <target>` only the target); a
    link whose address the translation lacks altogether is left to ``urls``.
    """
    messages = markup_differences(source, translation)
    return messages + _references(_code_spans(source)[1], _code_spans(translation)[1])


# --- placeholders -------------------------------------------------------------------

_PRINTF_RE = re.compile(
    r"%(?:(?P<pos>\d++)\$)?(?:\((?P<name>[^()]*)\))?[-#0 +']*+(?:\*|\d++)?(?:\.(?:\*|\d+))?"
    r"(?:hh|h|ll|l|L|q|j|z|t)?(?P<conv>[diouxXeEfFgGcrsaAbp%])"
)
_BRACE_RE = re.compile(r"\{\{|\}\}|\{([^{}]*)\}")
_NAMED_BRACE_RE = re.compile(r"\{\{|\}\}|\{([A-Za-z_]\w*|\d+)\}")
_NAMED_PRINTF_RE = re.compile(r"%\((\w+)\)[-#0 +]*+\d*+(?:\.\d+)?[diouxXeEfFgGcrsa]")


def _printf(text: str) -> tuple[list[str], list[str]]:
    """(named, positional) printf conversions; ``%%`` is not a placeholder."""
    named, positional = [], []
    for m in _PRINTF_RE.finditer(text):
        if m.group("conv") == "%":
            continue
        if m.group("name") is not None or m.group("pos"):
            named.append(m.group())
        else:
            positional.append(m.group())
    return named, positional


def _invalid_directive(text: str) -> str | None:
    """The first ``%`` of *text* that starts no printf conversion (with what follows it)."""
    pos = text.find("%")
    while pos != -1:
        m = _PRINTF_RE.match(text, pos)
        if m is None:
            return text[pos:pos + 2]
        pos = text.find("%", m.end())
    return None


def _named_fields(text: str) -> list[str]:
    """The unambiguous named placeholders of *text*: ``{name}`` fields, then ``%(name)s``."""
    fields = ([m.group() for m in _NAMED_BRACE_RE.finditer(text) if m.group(1)]
              if "{" in text else [])
    if "%(" in text:
        fields += [m.group() for m in _NAMED_PRINTF_RE.finditer(text)]
    return fields


def placeholders(source: str, translation: str, ctx: CheckContext) -> list[str]:
    """Format placeholders match, per the entry's ``*-format`` flags.

    With ``c-format``/``python-format``: printf conversions (named ones as a set,
    unnamed ones in order). With ``python-brace-format``: ``{…}`` fields. Without
    a format flag, only unambiguous named placeholders (``{name}``, ``%(name)s``)
    are compared.
    """
    flags = set(ctx.flags)
    messages: list[str] = []
    if flags & {"c-format", "python-format"}:
        bad = _invalid_directive(translation)
        if bad is not None and _invalid_directive(source) is None:
            # msgfmt -c: "not a valid Python format string"; rendering would fail
            messages.append(f"the translation has {bad!r}, which is not a placeholder "
                            "(a percent sign is written %%)")
        s_named, s_pos = _printf(source)
        t_named, t_pos = _printf(translation)
        for p in _missing(s_named, t_named):
            messages.append(f"the placeholder {p} is missing from the translation")
        for p in _extra(s_named, t_named):
            messages.append(f"the translation has a placeholder {p} the source does not")
        if s_pos != t_pos:
            s, t = " ".join(s_pos) or "none", " ".join(t_pos) or "none"
            messages.append(f"placeholders {t} in the translation; the source has {s}")
        return messages
    if "python-brace-format" in flags:
        s_fields = [m.group() for m in _BRACE_RE.finditer(source) if m.group(1) is not None]
        t_fields = [m.group() for m in _BRACE_RE.finditer(translation) if m.group(1) is not None]
    else:
        if "no-python-format" in flags and "no-python-brace-format" in flags:
            return []
        s_fields, t_fields = _named_fields(source), _named_fields(translation)
        if any(f.startswith("{") for f in s_fields):
            # code samples in docs: {} inside ``literals`` are compared by markup
            s_text, t_text = _code_spans(source)[1], _code_spans(translation)[1]
            s_fields = [f for f in s_fields if f in s_text or f.startswith("%")]
            t_fields = [f for f in t_fields if f in t_text or f.startswith("%")]
    for p in _missing(s_fields, t_fields):
        messages.append(f"the placeholder {p} is missing from the translation")
    for p in _extra(s_fields, t_fields):
        messages.append(f"the translation has a placeholder {p} the source does not")
    return messages


# --- unsafe-html --------------------------------------------------------------------

_MD_SCRIPT_LINK_RE = re.compile(
    r"\]\(\s*+(?:<\s*+)?(javascript|vbscript|data(?!:image/))\s*:|<(javascript|vbscript):", re.I
)
# Markdown autolinks are no HTML: left out before the sanitizer reads the text.
_AUTOLINK_RE = re.compile(r"<[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*+>|<[^\s<>@]++@[^\s<>@]++>")
# What the check reports of the sanitizer's removals: what can run code or change the
# page around it. Any other tag the page drops is no error here: Mallard's <gui>, a
# <placeholder> in reStructuredText are not HTML; the markup check compares tags.
_SCRIPTING_TAGS = frozenset({
    "script", "style", "iframe", "object", "embed", "applet", "frame", "frameset", "base",
    "form", "meta", "svg", "math",
})


def _unsafe_features(text: str) -> list[str]:
    """What the page's sanitizer or the Markdown renderer removes from *text*."""
    # Markdown links are no HTML, but a script URL in one is as unsafe as in <a href>.
    if "<" not in text and "](" not in text:
        return []
    found = [f"a {(m.group(1) or m.group(2)).lower()}: URL in a Markdown link"
             for m in _MD_SCRIPT_LINK_RE.finditer(text)]
    return found + _unsafe_html_features(text)


def _unsafe_html_features(text: str) -> list[str]:
    """What the build's sanitizer removes from the HTML of *text* (code spans and
    autolinks aside), in words: the page's own allow-list
    (:mod:`locflow.segment.safehtml`) decides, so the check and the page agree."""
    if "<" not in text:
        return []
    _, text = _code_spans(text)
    if not _tags(text):
        return []
    import nh3  # lazily: only texts with tags get here

    from ..segment import safehtml

    markup = _AUTOLINK_RE.sub("", text)
    cleaned = safehtml.finish(str(nh3.clean(markup, **safehtml.nh3_options(markup))))
    found = []
    for removal in safehtml.removals(markup, cleaned):
        if not removal.attribute:
            if removal.tag in _SCRIPTING_TAGS:
                found.append(f"a <{removal.tag}> element")
        elif removal.attribute.startswith("on"):
            found.append(f"an {removal.attribute} event handler on <{removal.tag}>")
        elif removal.scheme:
            found.append(str(removal))  # "a javascript: URL in <a href>"
    return found


def unsafe_html(source: str, translation: str, ctx: CheckContext) -> list[str]:
    """The translation adds HTML a sanitizer would remove: scripts, styles, handlers, js URLs."""
    added = _extra(_unsafe_features(source), _unsafe_features(translation))
    return [f"the translation adds {d}, which is unsafe and will be removed" for d in added]


# --- whitespace ---------------------------------------------------------------------


def whitespace(source: str, translation: str, ctx: CheckContext) -> list[str]:
    """Leading/trailing whitespace kept; no doubled spaces the source does not have."""
    messages = []
    for where, s, t in (
        ("leading", source[: len(source) - len(source.lstrip())],
         translation[: len(translation) - len(translation.lstrip())]),
        ("trailing", source[len(source.rstrip()):], translation[len(translation.rstrip()):]),
    ):
        if s.count("\n") != t.count("\n"):
            messages.append(f"{where} line breaks differ from the source ({s!r} vs {t!r})")
        elif bool(s.strip("\n")) != bool(t.strip("\n")):
            if ctx.language in ("zh", "ja") and where == "trailing" and not t:
                continue  # no space after a sentence in Chinese
            has = "has" if s.strip("\n") else "has no"
            messages.append(f"the source {has} {where} space; the translation should match")
    if "  " in translation.strip() and "  " not in source.strip():
        messages.append("the translation has a double space")
    return messages


# --- punctuation --------------------------------------------------------------------

_FINAL = {".": "。", "?": "？", "!": "！", ":": "：", ";": "；"}
_CLOSERS = "\"'”’»)]）」』*_"


def _final(text: str) -> str:
    """The final punctuation of *text*, looking past closing quotes and brackets."""
    text = text.rstrip().rstrip(_CLOSERS).rstrip()
    if text.endswith("`"):
        return ""  # ends with code: its punctuation is not the sentence's
    if text.endswith(("...", "…", "……")):
        return "…"
    return text[-1] if text and text[-1] in ".?!:;。？！：；" else ""


def _before_final(text: str) -> str:
    """The character before the final punctuation ("" if none)."""
    return text.rstrip().rstrip(_CLOSERS).rstrip()[:-1].rstrip(_CLOSERS)[-1:]


def punctuation(source: str, translation: str, ctx: CheckContext) -> list[str]:
    """Final punctuation is kept in the target's conventions; Spanish ¿? and ¡! pair up."""
    messages: list[str] = []
    if source == translation:
        return []  # a copy (code, names): same-as-source says so if it matters
    s_end, t_end = _final(source), _final(translation)
    zh = ctx.language in ("zh", "ja")
    if s_end and s_end != "…":
        if zh:
            want = {_FINAL[s_end]}
            if s_end in ".:":
                # "foo.py." or a code sample at the end keep ASCII punctuation
                last = translation.rstrip().rstrip(_CLOSERS + ".:")[-1:]
                if last.isascii():
                    want.add(s_end)
        else:
            want = {s_end}
        if t_end not in want and not (s_end in ".:;" and t_end and t_end in ".:;。：；"):
            shown = " or ".join(f"“{w}”" for w in sorted(want))
            messages.append(
                f"the source ends with “{s_end}”; the translation should end with {shown}"
            )
        elif zh and s_end in "?!" and t_end != _FINAL[s_end]:
            messages.append(
                f"use the full-width “{_FINAL[s_end]}” at the end of the Chinese translation"
            )
        elif zh and t_end in ".:;" and _before_final(translation) > "\u2e7f":
            # Chinese prose (not a code sample or file name) ends in full-width punctuation
            messages.append(
                f"use the full-width “{_FINAL[t_end]}” at the end of the Chinese translation"
            )
    if ctx.language == "es":
        prose = _prose(translation)
        for opener, closer in (("¿", "?"), ("¡", "!")):
            if prose.count(opener) > prose.count(closer):
                messages.append(f"“{opener}” without a closing “{closer}”")
        opener = "¿" if s_end == "?" else "¡"
        if s_end and s_end in "?!" and t_end == s_end and opener not in prose:
            messages.append(f"the translation ends with “{s_end}” but has no opening “{opener}”")
    return messages


# --- same-as-source -----------------------------------------------------------------

_WORD_RE = re.compile(r"[^\W\d_]{2,}")


_CODE_START_RE = re.compile(
    r"^\s*(?:>>>|\$ |\.\.\.|#include|import |from \w+ import|def |class |with |for |if |"
    r"@\w+|[\w.]+\(.*\)\s*$|\w+ = )"
)


def _looks_like_code(text: str) -> bool:
    """A code sample or command line, not prose: it stays as it is in a translation."""
    if _CODE_START_RE.match(text):
        return True
    letters = sum(c.isalpha() or c == " " for c in text)
    return letters < 0.8 * len(text)


def same_as_source(source: str, translation: str, ctx: CheckContext) -> list[str]:
    """The translation is a copy of the source (entries of only numbers, URLs, code or
    names are fine: a name is one word, or words that all start with a capital)."""
    if translation.strip() != source.strip() or _looks_like_code(source):
        return []
    words = _WORD_RE.findall(_prose(source))
    if len(words) < 2 or all(w[0].isupper() for w in words):
        return []
    return ["the translation is a copy of the source"]


# --- length -------------------------------------------------------------------------

# Usual ratios of translation length to English source length, in characters.
_LENGTH_BOUNDS: dict[str, tuple[float, float]] = {
    "zh": (0.15, 1.0),  # usually 0.25–0.6
    "ja": (0.2, 1.1),
    "ko": (0.25, 1.1),
    "es": (0.6, 2.0),  # usually 1.0–1.35
    "fr": (0.6, 2.0),
    "pt": (0.6, 2.0),
    "it": (0.6, 2.0),
    "de": (0.6, 2.2),
}
_DEFAULT_BOUNDS = (0.4, 2.5)
MIN_LENGTH = 40  # shorter sources vary too much to judge


def length(source: str, translation: str, ctx: CheckContext) -> list[str]:
    """The translation is far longer or shorter than the source, for its locale."""
    s, t = len(_prose(source).strip()), len(_prose(translation).strip())
    if s < MIN_LENGTH or not translation:
        return []
    low, high = _LENGTH_BOUNDS.get(ctx.language, _DEFAULT_BOUNDS)
    ratio = t / s
    if low <= ratio <= high:
        return []
    how = "short" if ratio < low else "long"
    return [
        f"the translation is {ratio:.2f}× the length of the source, unusually {how} "
        f"for {ctx.locale} ({low:g}–{high:g}× expected)"
    ]


def register_all(
    register: Callable[[str, Severity, str], Callable[[ContentCheck], ContentCheck]],
) -> None:
    """Add this module's checks to the registry (called once by the package)."""
    E, W = Severity.ERROR, Severity.WARNING
    for check_id, severity, description, function in [
        ("urls", E, "URLs and e-mail addresses are kept unchanged", urls),
        ("markup", E, "links, images, code, emphasis and tags are kept", markup),
        ("placeholders", E, "format placeholders match the source", placeholders),
        ("unsafe-html", E, "no HTML a sanitizer would remove", unsafe_html),
        ("whitespace", W, "leading/trailing whitespace kept, no double spaces", whitespace),
        ("punctuation", W, "final punctuation kept in the target's conventions", punctuation),
        ("same-as-source", W, "the translation is not a copy of the source", same_as_source),
        ("length", W, "the translation's length is usual for its locale", length),
    ]:
        register(check_id, severity, description)(function)
