"""What machine translation must not touch: masked before the request, restored after (pure).

An engine translates prose; it also "translates" URLs, code, HTML and names it
should leave alone. :func:`mask` replaces each such span with a placeholder
``[X0X]`` (the form Weblate sends engines, which they keep), :func:`restore`
puts the spans back. Masked are: link and image targets (the text of a link and
the alt text of an image stay translatable), inline code, HTML tags and
autolinks, bare URLs and e-mail addresses, line breaks, printf/brace
placeholders (per the entry's ``*-format`` flags), and the glossary's terms:
do-not-translate terms come back as they were, terms with an approved rendering
come back as that rendering. A term is masked only in prose: one that overlaps a
URL, code, a tag or a link's target is left to that span, and spans that overlap
(``%(n)s@example.org``) become one, so no part of a span reaches the engine.
Whitespace at the text's ends is not sent; :func:`restore` puts the source's back
(a msgid ending in a newline gets a draft ending in one).

Every pattern here is linear: each alternative is a literal or runs over a
negated character class that stops at its own delimiter.

>>> m = mask("See [the report](https://example.org/r) and `x = 1`.")
>>> m.text
'See [X0X]the report[X1X] and [X2X].'
>>> restore(m, "Vea [X0X]el informe[X1X] y [X2X].")
Restored(text='Vea [el informe](https://example.org/r) y `x = 1`.', intact=True)
>>> restore(m, "Vea el informe y [X2X].").intact
False
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

# What we send; and what we accept back (engines add spaces inside brackets).
_PLACEHOLDER = "[X{}X]"
_PLACEHOLDER_BACK = re.compile(r"\[ ?X ?(\d{1,5}) ?X ?\]")

_PROTECTED = re.compile(
    "|".join(
        [
            r"(?P<ph>\[ ?X ?\d{1,5} ?X ?\])",  # text that looks like our placeholder
            r"(?P<code>``(?:[^`]|`(?!`))++``|`[^`\n]+`)",
            r"(?P<auto><(?:https?|ftp|mailto):[^<>\s]*>)",
            r"(?P<tag></?[A-Za-z][\w:.-]*(?:\s[^<>]*)?/?>|<!--[^<>]*-->)",
            r"(?P<img>!\[(?! ?X ?\d{1,5} ?X ?\]))",  # not "![X0X]": "!" and a placeholder
            # a link destination may hold balanced parentheses, as in CommonMark
            r"(?P<close>\](?>\((?P<inside>\s*+<?[^()\s<>]*+(?:\([^()\s]*+\)[^()\s<>]*+)*+>?"
            r"\s*+(?:\"[^\"\n]*+\"\s*+)?))\))",
            r"(?P<open>\[)",
            r"(?P<url>\b(?:https?|ftp)://[A-Za-z0-9\-._~:/?#@!$&'*+,;=%]+"
            r"|\bwww\.[A-Za-z0-9\-]+\.[A-Za-z0-9\-._~:/?#@!$&'*+,;=%]+)",
            r"(?P<email>(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})",
            r"(?P<nl>\n)",
        ]
    )
)
_LINK_KINDS = ("open", "img", "close")
# Possessive: "[-#0 +]*\d*" both take "0", quadratic on "%000…" otherwise (issue 7).
_PRINTF = re.compile(r"%(?:\d++\$)?(?:\([\w.]+\))?[-#0 +]*+\d*+(?:\.\d+)?[diouxXeEfFgGcrsa%]")
_BRACE = re.compile(r"\{\{|\}\}|\{[\w.!:\[\]]*\}")


@dataclass(frozen=True)
class Masked:
    """A text ready for an engine, and what its placeholders stand for."""

    source: str
    text: str
    spans: tuple[str, ...]  # placeholder n -> the text it restores to
    lead: str = ""  # the source's whitespace before *text* (not sent)
    trail: str = ""  # and after it


@dataclass(frozen=True)
class Restored:
    text: str
    intact: bool  # every placeholder came back exactly once


def _term_pattern(terms: Iterable[str]) -> re.Pattern[str] | None:
    # Longest first, so "Asian NATO" wins over "NATO"; a plain alternation of literals.
    words = sorted({t for t in terms if t.strip()}, key=lambda t: (-len(t), t))
    if not words:
        return None
    body = "|".join(re.escape(w) for w in words)
    return re.compile(rf"(?<!\w)(?:{body})(?!\w)", re.IGNORECASE)


def _link_spans(text: str) -> list[tuple[int, int]]:
    """Protected spans of *text*, (start, end) in order, with link openers paired."""
    found: list[tuple[int, int]] = []
    openers: list[int] = []  # indexes into found of unpaired "[" / "!["
    for match in _PROTECTED.finditer(text):
        kind = match.lastgroup
        if kind == "close" and not openers:
            # "](x)" with no "[" is prose, but what it holds is protected all the same
            # (a URL, code, a placeholder); it holds no link (so: one level, linear)
            found += [inner.span()
                      for inner in _PROTECTED.finditer(text, *match.span("inside"))
                      if inner.lastgroup not in _LINK_KINDS]
            continue
        if kind == "close":
            openers.pop()
        elif kind in _LINK_KINDS:
            openers.append(len(found))
        found.append(match.span())
    # an opener nothing closed is prose: "[sic]"
    unpaired = set(openers)
    return [span for i, span in enumerate(found) if i not in unpaired]


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """*spans* sorted, those that overlap made one.

    >>> _merged([(4, 9), (0, 5), (6, 7), (9, 10)])
    [(0, 9), (9, 10)]
    """
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            first, last = merged.pop()
            start, end = first, max(last, end)
        merged.append((start, end))
    return merged


def mask(
    text: str,
    *,
    keep: Sequence[str] = (),
    render: dict[str, str] | None = None,
    flags: Sequence[str] = (),
) -> Masked:
    """Replace what the engine must not touch with placeholders.

    *keep* are terms to leave exactly as written (do-not-translate); *render*
    maps terms (case-insensitively) to the approved rendering the draft must
    use. *flags* are the entry's gettext flags: ``c-format``/``python-format``
    mask printf placeholders, ``python-brace-format`` brace placeholders.

    >>> m = mask("Zhao Tong met Kim Jong-un.", keep=["Kim Jong-un"], render={"zhao tong": "赵通"})
    >>> m.text, m.spans
    ('[X0X] met [X1X].', ('赵通', 'Kim Jong-un'))
    """
    body = text.strip()
    lead = text[: len(text) - len(text.lstrip())]
    trail = text[len(lead) + len(body):]
    structure = _link_spans(body)
    if any(f in flags for f in ("c-format", "python-format", "php-format", "perl-format")):
        structure += [m.span() for m in _PRINTF.finditer(body)]
    if "python-brace-format" in flags:
        structure += [m.span() for m in _BRACE.finditer(body)]
    merged = _merged(structure)
    spans = [(start, end, body[start:end]) for start, end in merged]
    renderings = {k.casefold(): v for k, v in (render or {}).items()}
    terms = _term_pattern([*keep, *(render or {})])
    if terms is not None:
        starts = [start for start, _ in merged]
        for m in terms.finditer(body):
            at = bisect.bisect_right(starts, m.start())  # merged[at - 1] starts before m
            if (at and merged[at - 1][1] > m.start()) or (
                    at < len(merged) and merged[at][0] < m.end()):
                continue  # a term in a URL, code or a tag is not prose
            spans.append((m.start(), m.end(), renderings.get(m.group().casefold(), m.group())))
    spans.sort()
    out: list[str] = []
    position = 0
    for number, (start, end, _) in enumerate(spans):
        out += [body[position:start], _PLACEHOLDER.format(number)]
        position = end
    out.append(body[position:])
    return Masked(text, "".join(out), tuple(piece for _, _, piece in spans), lead, trail)


def restore(masked: Masked, translated: str) -> Restored:
    """Put the masked spans back into an engine's answer, and the source's whitespace
    around it.

    ``intact`` is False when a placeholder was dropped, repeated or invented:
    the draft is kept, flagged ``structure-changed`` in its provenance.
    """
    seen: Counter[int] = Counter()

    def back(match: re.Match[str]) -> str:
        index = int(match.group(1))
        if index >= len(masked.spans):
            seen[-1] += 1
            return match.group(0)
        seen[index] += 1
        return masked.spans[index]

    text = _PLACEHOLDER_BACK.sub(back, translated.strip())
    intact = seen == Counter(range(len(masked.spans)))
    return Restored(masked.lead + text + masked.trail, intact)
