"""The ``numbers`` check: every number of the source is in the translation.

Numbers are compared by *value*, read the way the target locale writes them, so
these all pass::

    4.5%            4,5 %           4.5%
    1,000           1.000 / 1 000   1,000 / 1000 / 一千
    $4.2 million    4,2 millones    420万美元
    1.3 billion     1300 millones   13亿
    7-2             7 votos a 2     7比2
    12 people       doce personas   十二人
    3rd             3.º / tercero   第三
    3:30 p.m.       15:30           下午3点30分
    3.5             3,5             3点5 / 三点五
    10,000          10.000          1万 / 万

and a changed number fails: ``12 → 13`` gives "13 in the translation; the
source says 12". Numbers are whole: the digits of another number never count
(``3 → 30``, ``12 → 120``, ``3 → 30人`` and ``3 → 3.000`` all fail).
Numbers written as words in the *source* ("two countries") are never required
as digits, and numbers the translation adds (the ``11`` of ``11月4日`` for
"November 4") are fine on their own; they are only used to say what a missing
number became.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import TYPE_CHECKING

from .skeleton import reader_text

if TYPE_CHECKING:
    from . import CheckContext

__all__ = ["NumberToken", "numbers", "source_numbers", "translation_numbers"]


@dataclass(frozen=True)
class NumberToken:
    """A number found in a text: how it was written and the values it may stand for.

    ``parts`` are the plain digit runs of ``text`` ("1,2,3" → 1, 2, 3), used when a
    token turns out to be a list or a version rather than one number. ``digits``
    is False for numbers written as words (十二, doce), which never count as
    "a number the translation added".
    """

    text: str
    values: frozenset[str]
    parts: tuple[str, ...] = ()
    digits: bool = True


# Decimal commas: the target languages that write 4,5 for 4.5.
_DECIMAL_COMMA = frozenset({
    "es", "fr", "de", "it", "pt", "ca", "gl", "eu", "nl", "da", "sv", "nb", "nn", "no", "fi",
    "et", "lv", "lt", "pl", "cs", "sk", "sl", "hr", "sr", "bs", "ru", "uk", "be", "bg", "ro",
    "hu", "tr", "el", "id", "vi",
})

_LONGEST = 40  # characters: a longer run of digits is compared as it is written

_FULLWIDTH = str.maketrans("０１２３４５６７８９．％", "0123456789.%")
_FULLWIDTH_RE = re.compile("[０-９．％]")  # what _FULLWIDTH changes: most texts have none

# A run of digits with separators. Spaces (incl. no-break and thin spaces) only
# count as separators before a group of exactly three digits.
# Each pattern that finds digits starts with a digit and looks behind it from there:
# the regex engine then skips ahead to the next digit instead of trying every position.
_NUM_RE = re.compile(
    r"\d(?<![A-Za-z_\d]\d)"  # (a run's first digit)
    r"\d*(?:(?:[.,]|[ \u00a0\u202f\u2009](?=\d{3}(?!\d)))\d+)*"
    r"(?![A-Za-z_]*\d)"
)
# An identifier's digits (sha256, x86_64, utf8) are no numbers; "10px", "5th" are.
_EN_SCALE_RE = re.compile(r"\s*(thousand|million|billion|trillion|bn|mn)\b", re.IGNORECASE)
_ES_SCALE_RE = re.compile(
    r"\s*(mil\s+millones|millones|millón|millon|mil|billones|billón)\b", re.IGNORECASE
)
_ZH_SCALE_RE = re.compile(r"\s*(万亿|千万|百万|亿|万|千|百)")
_DECADE_RE = re.compile(r"'?s\b")  # the 1970s, the 1980's → los 70, los años ochenta
# Digits glued to letters in a translation ("PS3" for "PlayStation 3") may match, but
# only as a whole run of digits: the 3 of "30" is never a 3.
_LOOSE_NUM_RE = re.compile(r"\d(?<=[A-Za-z_]\d)\d*(?!\d)|\d(?<!\d\d)\d*(?=[A-Za-z_]+\d)")
# 3点5 (3.5): a decimal point written 点 between digits; 3点30分 is a time, so the
# digits stay numbers of their own too.
_ZH_POINT_RE = re.compile(r"(?<![\d.,])(\d+)点(\d+)(?![\d.,])")
_PM_RE = re.compile(r"(?::\d\d)?\s*(?:p\.\s?m\.|pm\b|PM\b)")
_EN_SCALES = {
    "thousand": 10**3, "million": 10**6, "mn": 10**6, "billion": 10**9, "bn": 10**9,
    "trillion": 10**12,
}
_ES_SCALES = {
    "mil": 10**3, "millones": 10**6, "millón": 10**6, "millon": 10**6,
    "billones": 10**12, "billón": 10**12,
}
_ZH_SCALES = {"百": 10**2, "千": 10**3, "万": 10**4, "百万": 10**6, "千万": 10**7,
              "亿": 10**8, "万亿": 10**12}

# Things that hold digits but are checked elsewhere (placeholders, URLs).
_SKIP_RE = re.compile(
    r"https?://\S+|www\.\S+|%(?:\([^()]*\))?[-#0 +]*+\d*+(?:\.\d+)?[hlLqjzt]*+[diouxXeEfFgGcrsa]"
    r"|\{\d+\}|%\d+\$|\{\{|\}\}"
)

_DIGITS_RE = re.compile(r"\d+")
_WORD_RUN_RE = re.compile(r"\w+")  # a whole word: what \b(word)\b matches
_SPACES_RE = re.compile(r"[ \u00a0\u202f\u2009]")

_ZH_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "俩": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}
_ZH_UNITS = {"十": 10, "百": 100, "千": 1000}
_ZH_BIG = {"万": 10**4, "亿": 10**8}
_ZH_RUN_RE = re.compile(r"[零〇一二两俩三四五六七八九十百千万亿]+(?:点[零〇一二三四五六七八九]+)?")

_ES_WORDS: dict[str, int] = {
    "cero": 0, "un": 1, "uno": 1, "una": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5,
    "seis": 6, "siete": 7, "ocho": 8, "nueve": 9, "diez": 10, "once": 11, "doce": 12,
    "trece": 13, "catorce": 14, "quince": 15, "dieciséis": 16, "diecisiete": 17,
    "dieciocho": 18, "diecinueve": 19, "veinte": 20, "veintiuno": 21, "veintiuna": 21,
    "veintidós": 22, "veintitrés": 23, "veinticuatro": 24, "veinticinco": 25,
    "treinta": 30, "cuarenta": 40, "cincuenta": 50, "sesenta": 60, "setenta": 70,
    "ochenta": 80, "noventa": 90, "cien": 100, "ciento": 100, "doscientos": 200,
    "doscientas": 200, "trescientos": 300, "trescientas": 300, "cuatrocientos": 400,
    "quinientos": 500, "seiscientos": 600, "setecientos": 700, "ochocientos": 800,
    "novecientos": 900, "mil": 1000, "millón": 10**6,
    # ordinals: "3rd" → "tercero"; "1st" → "primer"
    "primero": 1, "primera": 1, "primer": 1, "primeros": 1, "primeras": 1,
    "segundo": 2, "segunda": 2, "tercero": 3, "tercera": 3, "tercer": 3, "cuarto": 4,
    "cuarta": 4, "quinto": 5, "quinta": 5, "sexto": 6, "sexta": 6, "séptimo": 7,
    "séptima": 7, "octavo": 8, "octava": 8, "noveno": 9, "novena": 9, "décimo": 10,
    "décima": 10, "terceros": 3, "terceras": 3, "segundos": 2,
}

# The key of a number as written (values are canonical decimals: no "=" in them).
_AS_WRITTEN = "="


def _canon(value: Decimal) -> str:
    """A canonical text for a value: ``Decimal("4.50")`` and ``Decimal("4.5")`` agree."""
    return format(value.normalize(), "f")


def _canon_digits(raw: str) -> str:
    """``_canon(Decimal(raw))`` for a run of ASCII digits, without the arithmetic (a
    longer run than the context's 28 digits of precision is rounded as _canon rounds)."""
    return (raw.lstrip("0") or "0") if len(raw) <= 28 else _canon(Decimal(raw))


_GROUPS_RE = {",": re.compile("[, ]"), ".": re.compile("[. ]")}  # by thousands separator


def _readings(raw: str, comma_decimal: bool) -> set[Decimal]:
    """The values a digit string may stand for.

    ``1,000`` is 1000 (and 1.0 where the comma is decimal); ``4,5`` is 4.5 only
    where the comma is decimal; groups after a thousands separator must have
    three digits.
    """
    if raw.isdigit():  # most numbers: no separator to read
        return {Decimal(raw)}
    raw = _SPACES_RE.sub(" ", raw)
    out: set[Decimal] = set()
    for thousands, decimal in ((",", "."), (".", ",")) if comma_decimal else ((",", "."),):
        text = raw
        int_part, _, frac = text.partition(decimal)
        if decimal in frac:
            continue
        groups = _GROUPS_RE[thousands].split(int_part)
        if len(groups) > 1 and (
            not 1 <= len(groups[0]) <= 3 or any(len(g) != 3 for g in groups[1:])
        ):
            continue
        if thousands in frac or " " in frac:
            continue
        if comma_decimal and len(frac) == 3 and frac.endswith("0"):
            continue  # "3,000" / "3.000" is three thousand, never a 3 written with 3 decimals
        try:
            out.add(Decimal("".join(groups) + ("." + frac if frac else "")))
        except InvalidOperation:
            continue
    return out


def _zh_numeral(run: str) -> Decimal | None:
    """Read a Chinese numeral: 十二 → 12, 三百 → 300, 两万 → 20000, 二〇二四 → 2024.

    >>> _zh_numeral("三百五十")
    Decimal('350')
    """
    whole, _, frac = run.partition("点")
    if not any(c in _ZH_UNITS or c in _ZH_BIG for c in whole):
        if len(whole) > 1 and not all(c in _ZH_DIGITS for c in whole):
            return None
        digits = "".join(str(_ZH_DIGITS[c]) for c in whole)
    else:
        total = section = number = 0
        for c in whole:
            if c in _ZH_DIGITS:
                number = _ZH_DIGITS[c]
            elif c in _ZH_UNITS:
                section += (number or 1) * _ZH_UNITS[c]
                number = 0
            else:  # 万, 亿
                big = _ZH_BIG[c]
                section += number
                if not section and not total:
                    section = 1  # 万人: ten thousand people
                if big == 10**8:
                    total = (total + section) * big
                else:
                    total += section * big
                section = number = 0
        digits = str(total + section + number)
    if frac:
        digits += "." + "".join(str(_ZH_DIGITS[c]) for c in frac if c in _ZH_DIGITS)
    try:
        return Decimal(digits)
    except InvalidOperation:
        return None


def _extract(text: str, locale: str, *, source: bool) -> list[NumberToken]:
    """Find the numbers of *text*, with every value each may stand for in *locale*."""
    lang = locale.replace("-", "_").split("_")[0].lower()
    if not text.isascii() and _FULLWIDTH_RE.search(text):
        text = text.translate(_FULLWIDTH)
    if "%" in text or "{" in text or "}" in text or "http" in text or "www." in text:
        text = _SKIP_RE.sub(" ", text)  # (every match holds one of those)
    comma_decimal = not source and lang in _DECIMAL_COMMA
    scale_re, scales = (
        (_EN_SCALE_RE, _EN_SCALES) if source or lang == "en"
        else (_ZH_SCALE_RE, _ZH_SCALES) if lang in ("zh", "ja")
        else (_ES_SCALE_RE, _ES_SCALES)
    )
    tokens: list[NumberToken] = []
    for match in _NUM_RE.finditer(text):
        raw = match.group()
        if len(raw) > _LONGEST:  # no figure a reader compares; decimal arithmetic on it is slow
            tokens.append(NumberToken(raw, frozenset({raw})))
            continue
        if raw.isdigit() and raw.isascii():  # the common case: one plain run of digits
            values = {Decimal(raw)}
            parts: tuple[str, ...] = (raw,)
            keys = {_canon_digits(raw)}
        else:
            values = _readings(raw, comma_decimal)
            parts = tuple(_DIGITS_RE.findall(raw))
            keys = {_canon(v) for v in values}
        if not values:
            # a list or a version ("1,2,3", "3.12.1"): each part is a number
            tokens.extend(NumberToken(p, frozenset({_canon(Decimal(p))})) for p in parts)
            continue
        end = match.end()
        scaled = scale_re.match(text, end)
        if scaled:
            word = re.sub(r"\s+", " ", scaled.group(1).lower())
            factor = 10**9 if word == "mil millones" else scales.get(word, 1)
            keys |= {_canon(v * factor) for v in values}
        if source and len(raw) == 4 and raw.endswith("0") and _DECADE_RE.match(text, end):
            keys.add(_canon(Decimal(raw[2:])))
        if source and _PM_RE.match(text, end):
            keys |= {_canon(v + 12) for v in values if v < 12}
        # "1,3" may be a list of two numbers; "3,000" (groups of three) is one number only
        listlike = len(parts) > 1 and any(len(p) != 3 for p in parts[1:])
        tokens.append(NumberToken(raw, frozenset(keys), parts if listlike else ()))
    if not source:
        tokens.extend(
            NumberToken(m.group(), frozenset({_canon(Decimal(m.group()))}), digits=False)
            for m in _LOOSE_NUM_RE.finditer(text)
        )
    if not source and lang in ("zh", "ja"):
        for match in _ZH_POINT_RE.finditer(text) if "点" in text else ():
            point = Decimal(f"{match.group(1)}.{match.group(2)}")
            tokens.append(NumberToken(match.group(), frozenset({_canon(point)}), digits=False))
        for match in _ZH_RUN_RE.finditer(text):
            start = match.start()
            if start and (text[start - 1].isdigit() or text[start - 1] in ".,"):
                continue  # the 万 of 420万: a scale, already applied to 420
            value = _zh_numeral(match.group())
            if value is not None:
                tokens.append(NumberToken(match.group(), frozenset({_canon(value)}), digits=False))
    elif not source and lang == "es":
        # whole words looked up, rather than one alternation of every number word
        # tried at each position (three times slower)
        tokens.extend(NumberToken(word, _es_word_values()[word.lower()], digits=False)
                      for word in _WORD_RUN_RE.findall(text) if word.lower() in _ES_WORDS)
    return tokens


@lru_cache(maxsize=1)
def _es_word_values() -> dict[str, frozenset[str]]:
    """The value (as :attr:`NumberToken.values`) of each Spanish number word."""
    return {word: frozenset({_canon(Decimal(value))}) for word, value in _ES_WORDS.items()}


def source_numbers(text: str) -> list[NumberToken]:
    """The numbers of an English source text, as digits (words are not required).

    A number written the same way twice counts once: translations often say a
    repeated figure only once ("255 characters ... this 255 character limit").
    """
    return list(_source_numbers(text))


# A source text is checked once per target locale: its numbers are read once.
@lru_cache(maxsize=4096)
def _source_numbers(text: str) -> tuple[NumberToken, ...]:
    seen: set[str] = set()
    out = []
    for token in _extract(text, "en", source=True):
        if token.text not in seen:
            seen.add(token.text)
            out.append(token)
    return tuple(out)


def translation_numbers(text: str, locale: str) -> list[NumberToken]:
    """The numbers of a translation into *locale*, in digits and in words."""
    return _extract(text, locale, source=False)


def _match(src: Sequence[NumberToken], tgt: Sequence[NumberToken]) -> tuple[list[int], set[int]]:
    """Pair source tokens with translation tokens of a shared value (maximum matching).

    A number written identically on both sides is a pair whatever the locale reads
    in it ("2.000" is two in English and two thousand in Spanish: a translation that
    keeps the source's figure changed nothing). Returns the unmatched source indexes
    and the matched translation indexes.
    """
    owner: dict[int, int] = {}  # translation index → source index
    # each source token's candidates through a value index, not a scan of every
    # translation token: a translation with thousands of numbers stays fast
    by_value: dict[str, list[int]] = {}
    for j, t in enumerate(tgt):
        for value in (*t.values, _AS_WRITTEN + t.text):
            by_value.setdefault(value, []).append(j)
    candidates = [
        sorted({j for value in (*token.values, _AS_WRITTEN + token.text)
                for j in by_value.get(value, ())})
        for token in src
    ]

    def augment(root: int, seen: set[int]) -> bool:
        """Kuhn's augmenting path from *root*, iteratively (no recursion limit)."""
        stack = [(root, iter(candidates[root]))]
        via: list[int] = []  # via[k]: the translation token leading from stack[k] to stack[k+1]
        while stack:
            _, options = stack[-1]
            for j in options:
                if j in seen:
                    continue
                seen.add(j)
                if j not in owner:
                    for k, (v, _) in enumerate(stack):
                        owner[via[k] if k < len(via) else j] = v
                    return True
                via.append(j)
                stack.append((owner[j], iter(candidates[owner[j]])))
                break
            else:
                stack.pop()
                if via:
                    via.pop()
        return False

    missing: list[int] = []
    # A failed search changes nothing, and what it visited cannot reach a free token
    # until the matching changes: keep it, so failures cost O(edges) in all.
    seen: set[int] = set()
    for i in range(len(src)):
        if augment(i, seen):
            seen = set()
        else:
            missing.append(i)
    return missing, set(owner)


def numbers(source: str, translation: str, ctx: CheckContext) -> list[str]:
    """Every number of *source* must be in *translation*, in the target's conventions.

    Only the source's prose counts: numbers inside code spans, link targets,
    autolinks and HTML tags are compared whole by ``markup`` and ``urls`` (an IP
    address in a code span is no figure of the text). A number of the prose may stand
    in a code span of the translation (``0`` for 0). Returns one message per missing or
    changed number.
    """
    src = _source_numbers(reader_text(source))
    if not src:
        return []
    tgt = translation_numbers(reader_text(translation, code=True), ctx.locale)
    missing, used = _match(src, tgt)
    if not missing:
        return []
    # A translation token that is a list ("1,2" read as 1.2 in Spanish) may cover
    # several source numbers through its parts.
    spare: list[tuple[int, str]] = [
        (j, p) for j, t in enumerate(tgt) if j not in used and t.parts for p in t.parts
    ]
    # The first spare part of each value, in order; indexed so a long text stays linear.
    spare_by_value: dict[str, deque[int]] = {}
    for k, (_, part) in enumerate(spare):
        spare_by_value.setdefault(_canon(Decimal(part)), deque()).append(k)
    still: list[int] = []
    for i in missing:
        firsts = [(q[0], q) for v in src[i].values if (q := spare_by_value.get(v))]
        if not firsts:
            still.append(i)
        else:
            k, queue = min(firsts, key=lambda first: first[0])
            queue.popleft()
            used.add(spare[k][0])
    extras = iter([t for j, t in enumerate(tgt) if j not in used and t.digits])
    messages: list[str] = []
    paired = len(still) == sum(1 for j, t in enumerate(tgt) if j not in used and t.digits)
    for i in still:
        said = src[i].text
        if paired:
            messages.append(f"{next(extras).text} in the translation; the source says {said}")
        else:
            messages.append(f"{said} is missing from the translation")
    return messages
