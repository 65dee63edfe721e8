"""Corrections that travel: a source text whose change is only in its numbers carries
the change into its translation (pure).

News is corrected after it is published: "a 12-day strike" becomes "a 13-day
strike", "4.5%" becomes "4.7%". When the new source differs from the old one *only*
in numbers, and each changed number stands in the translation in a form the
``numbers`` check reads (12, 4,5 %, 1.000, 十二), the translation is corrected the
same way, in the same form: 12 → 13, 4,5 → 4,7, 十二 → 十三. Anything else — a
changed word, a number the translation does not hold recognisably, a number that
also stands unchanged elsewhere in the source — gives no correction: nothing is
guessed, the entry stays fuzzy for a translator.

>>> fix = correct("A 12-day strike ended.", "A 13-day strike ended.",
...               "Terminó una huelga de 12 días.", "es")
>>> fix.text, fix.changes
('Terminó una huelga de 13 días.', (('12', '13'),))
>>> correct("A 12-day strike ended.", "A 12-day walkout ended.",
...         "Terminó una huelga de 12 días.", "es") is None
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from .checks import CheckContext
from .checks.numbers import numbers, source_numbers, translation_numbers

__all__ = ["Correction", "correct"]

# A number of an English source as the ``numbers`` check reads one: digits with
# separators between digits (each separator followed by a digit: linear).
_SOURCE_NUMBER_RE = re.compile(r"\d+(?:[.,]\d+)*")
_LONGEST = 30  # characters of one number: longer runs are not corrected

_ZH_DIGITS = "零一二三四五六七八九"
_ZH_NUMERAL_RE = re.compile(r"[零〇一二两三四五六七八九十百千万]+")


@dataclass(frozen=True)
class Correction:
    """The corrected translation and the numbers changed (old → new, as the source
    writes them)."""

    text: str
    changes: tuple[tuple[str, str], ...]

    def describe(self) -> str:
        """``12→13, 4.5→4.7``: how a draft comment names the correction."""
        return ", ".join(f"{old}→{new}" for old, new in self.changes)


def _numbers_of(text: str) -> tuple[list[str], str] | None:
    """The numbers of a source text and its skeleton (the text with each number
    replaced by a mark), or None when a number is too long to correct."""
    found = _SOURCE_NUMBER_RE.findall(text)
    if any(len(number) > _LONGEST for number in found):
        return None
    return found, _SOURCE_NUMBER_RE.sub("\0", text.replace("\0", ""))


def _value(number: str) -> Decimal | None:
    """The value of an English source number: ``1,000`` is 1000, ``4.5`` is 4.5."""
    try:
        return Decimal(number.replace(",", ""))
    except InvalidOperation:
        return None


def _canon(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _zh_numeral(value: Decimal) -> str | None:
    """A whole number below 100,000 in Chinese numerals: 13 → 十三, 105 → 一百零五."""
    if value != value.to_integral_value() or not 0 <= value < 100_000:
        return None
    number = int(value)
    if number == 0:
        return "零"
    out = ""
    zero = False
    for unit, name in ((10_000, "万"), (1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit, number = divmod(number, unit)
        if digit:
            if zero:
                out += "零"
            out += _ZH_DIGITS[digit] + name
            zero = False
        elif out:
            zero = True
    if out.startswith("一十"):  # 十三, not 一十三
        out = out[1:]
    return out


def _render_like(written: str, value: Decimal, decimals: int, locale: str) -> str | None:
    """*value* written the way *written* (a number of the translation) is written."""
    if _ZH_NUMERAL_RE.fullmatch(written):
        return _zh_numeral(value)
    if not re.fullmatch(r"\d+(?:[., \u00a0\u202f]\d+)*", written):
        return None  # (a number word, a mixed form: not guessed)
    language = locale.replace("-", "_").split("_")[0].lower()
    comma_decimal = language in {"es", "fr", "de", "it", "pt", "ca", "nl"}
    decimal_mark = "," if comma_decimal else "."
    group_marks = [c for c in written if not c.isdigit() and c != decimal_mark]
    group = group_marks[0] if group_marks else ""
    text = f"{value:.{decimals}f}"
    whole, _, fraction = text.partition(".")
    if group:
        whole = f"{int(whole):,}".replace(",", group)
    return whole + (decimal_mark + fraction if fraction else "")


def correct(old_source: str, new_source: str, translation: str, locale: str
            ) -> Correction | None:
    """The translation corrected for a change of numbers only, or None (see the module)."""
    if not translation or old_source == new_source:
        return None
    old, new = _numbers_of(old_source), _numbers_of(new_source)
    if old is None or new is None or old[1] != new[1]:
        return None  # the words changed (or a number is too long): not a correction
    pairs = [(a, b) for a, b in zip(old[0], new[0], strict=True) if a != b]
    unchanged = {a for a, b in zip(old[0], new[0], strict=True) if a == b}
    if not pairs:
        return None
    tokens = translation_numbers(translation, locale)
    replacements: dict[str, str] = {}
    for before, after in pairs:
        was, now = _value(before), _value(after)
        if was is None or now is None or before in unchanged:
            return None  # the same number also stands unchanged: which one changed?
        wanted = _canon(was)
        holding = [token.text for token in tokens if wanted in token.values]
        matches = set(holding)
        if len(matches) != 1 or len(holding) != old[0].count(before):
            return None  # not in the translation recognisably, in two forms, or more often
            # than the source says it (二 of 周二, Tuesday): which one is it?
        written = matches.pop()
        decimals = len(after.partition(".")[2]) if "." in after else 0
        rendered = _render_like(written, now, decimals, locale)
        if rendered is None or replacements.get(written, rendered) != rendered:
            return None
        replacements[written] = rendered
    # each form must stand in the text exactly as often as the check reads it: 二 in 周二
    # (Tuesday) is no number, and replacing it would be a guess
    counts = {written: sum(1 for token in tokens if token.text == written)
              for written in replacements}
    corrected = _replace_whole(translation, replacements, counts)
    if corrected is None or corrected == translation:
        return None
    # what the numbers check reads in the result must be what the new source says
    if numbers(new_source, corrected, CheckContext(locale)) or not source_numbers(new_source):
        return None
    return Correction(corrected, tuple(pairs))


def _replace_whole(text: str, replacements: dict[str, str], counts: dict[str, int]
                   ) -> str | None:
    """*text* with each whole occurrence of a key (not part of a longer number) replaced,
    in one pass; None unless each key occurs exactly *counts* times."""
    pattern = re.compile(
        r"(?<![\d.,零〇一二两三四五六七八九十百千万])(?:"
        + "|".join(re.escape(k) for k in sorted(replacements, key=len, reverse=True))
        + r")(?![\d零〇一二两三四五六七八九十百千万]|[.,]\d)")
    seen: dict[str, int] = {}

    def swap(match: re.Match[str]) -> str:
        seen[match.group()] = seen.get(match.group(), 0) + 1
        return replacements[match.group()]

    out = pattern.sub(swap, text)
    return out if seen == counts else None
