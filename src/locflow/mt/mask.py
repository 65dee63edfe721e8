"""What machine translation must not touch: masked before the request, restored after (pure).

An engine translates prose; it also "translates" URLs, code, HTML and names it
should leave alone. :func:`mask` replaces each such span with a placeholder
``[X0X]`` (the form Weblate sends engines, which they keep), :func:`restore`
puts the spans back. Masked are: link and image targets (the text of a link and
the alt text of an image stay translatable), inline code, HTML tags and
autolinks, bare URLs and e-mail addresses, line breaks, printf/brace
placeholders (per the entry's ``*-format`` flags), and the glossary's terms:
do-not-translate terms come back as they were, terms with an approved rendering
come back as that rendering.

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
            r"(?P<img>!\[)",
            # a link destination may hold balanced parentheses, as in CommonMark
            r"(?P<close>\](?>\(\s*+<?[^()\s<>]*+(?:\([^()\s]*+\)[^()\s<>]*+)*+>?"
            r"\s*+(?:\"[^\"\n]*+\"\s*+)?)\))",
            r"(?P<open>\[)",
            r"(?P<url>\b(?:https?|ftp)://[A-Za-z0-9\-._~:/?#@!$&'*+,;=%]+"
            r"|\bwww\.[A-Za-z0-9\-]+\.[A-Za-z0-9\-._~:/?#@!$&'*+,;=%]+)",
            r"(?P<email>(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})",
            r"(?P<nl>\n)",
        ]
    )
)
# Possessive: "[-#0 +]*\d*" both take "0", quadratic on "%000…" otherwise (issue 7).
_PRINTF = re.compile(r"%(?:\d++\$)?(?:\([\w.]+\))?[-#0 +]*+\d*+(?:\.\d+)?[diouxXeEfFgGcrsa%]")
_BRACE = re.compile(r"\{\{|\}\}|\{[\w.!:\[\]]*\}")


@dataclass(frozen=True)
class Masked:
    """A text ready for an engine, and what its placeholders stand for."""

    source: str
    text: str
    spans: tuple[str, ...]  # placeholder n -> the text it restores to


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


def _link_spans(text: str) -> list[tuple[int, int, str]]:
    """Protected spans of *text*: (start, end, kind), with link openers paired."""
    found: list[tuple[int, int, str]] = []
    openers: list[int] = []  # indexes into found of unpaired "[" / "!["
    for match in _PROTECTED.finditer(text):
        kind = match.lastgroup or ""
        if kind in ("open", "img"):
            openers.append(len(found))
        elif kind == "close":
            if not openers:
                continue  # "](x)" with no "[": prose, leave it
            openers.pop()
        found.append((match.start(), match.end(), kind))
    # an opener nothing closed is prose: "[sic]"
    unpaired = set(openers)
    return [span for i, span in enumerate(found) if i not in unpaired]


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
    spans = _link_spans(text)
    if any(f in flags for f in ("c-format", "python-format", "php-format", "perl-format")):
        spans += [(m.start(), m.end(), "printf") for m in _PRINTF.finditer(text)]
    if "python-brace-format" in flags:
        spans += [(m.start(), m.end(), "brace") for m in _BRACE.finditer(text)]
    renderings = {k.casefold(): v for k, v in (render or {}).items()}
    terms = _term_pattern([*keep, *(render or {})])
    if terms is not None:
        spans += [(m.start(), m.end(), "term") for m in terms.finditer(text)]
    spans.sort(key=lambda s: (s[0], -s[1]))
    out: list[str] = []
    restored: list[str] = []
    position = 0
    for start, end, kind in spans:
        if start < position:
            continue  # inside an earlier span (a term inside a URL)
        out.append(text[position:start])
        piece = text[start:end]
        if kind == "term":
            piece = renderings.get(piece.casefold(), piece)
        out.append(_PLACEHOLDER.format(len(restored)))
        restored.append(piece)
        position = end
    out.append(text[position:])
    return Masked(text, "".join(out), tuple(restored))


def restore(masked: Masked, translated: str) -> Restored:
    """Put the masked spans back into an engine's answer.

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

    text = _PLACEHOLDER_BACK.sub(back, translated).strip()
    intact = seen == Counter(range(len(masked.spans)))
    return Restored(text, intact)
