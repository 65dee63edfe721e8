"""Sentences of a paragraph, and the alignment of a translation's sentences with its source's.

News prose rarely repeats a paragraph but often repeats a sentence (background,
boilerplate, a quoted statement). The translation memory therefore also keeps
the sentences of translated paragraphs, paired one to one with the sentences of
their source, where both sides have the same number of sentences: a translator
who merged two sentences or split one gives no safe pairing, and that paragraph
is left out rather than guessed at.

Sentence ends:

* Latin-script languages (English, Spanish, …): ``.``, ``!``, ``?`` or ``…``,
  optionally followed by closing quotes, brackets or Markdown emphasis, then
  whitespace, then something that starts a sentence (an upper-case letter, a
  digit, an opening quote or bracket, Spanish ``¿``/``¡``). Known abbreviations
  (``Mr.``, ``Sr.``, ``EE.UU.``) and initials (``J.``) do not end a sentence.
* Chinese and Japanese: ``。``, ``！``, ``？`` (and ``!``/``?``), optionally followed
  by closing quotes or brackets; no space is needed after them.

Inline code (`` `a. B` ``) is never split. The scanner is a single pass over the
text (no backtracking regular expression on translator text).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_LATIN_ENDS = frozenset(".!?…")
_INTERESTING = re.compile("[`.!?…。！？]")
_CJK_ENDS = frozenset("。！？!?")
_CLOSERS = frozenset("\"'”’»)]）」』》*_")
_OPENERS = frozenset("\"'“‘«([¿¡*_<")
_CJK_LANGUAGES = frozenset({"zh", "ja"})
# full-width punctuation that ends a CJK sentence; no space follows it
_CJK_CLOSERS = frozenset("。！？”’」』）》")

# Words that end with a period without ending the sentence (lower-cased, without the period).
_ABBREVIATIONS = frozenset(
    """
    mr mrs ms dr prof sr sra srta jr st gen gov sen rep lt col capt cmdr sgt adm maj
    inc co corp ltd bros dept univ assn est
    no nos vs etc approx fig figs vol vols pp ed eds al cf ca
    jan feb mar apr jun jul aug sep sept oct nov dec
    e.g i.e u.s u.k u.n a.m p.m d.c ee.uu uu dña dn ud uds vd vds pág págs núm
    """.split()
)


def language_of(locale: str) -> str:
    """The language part of a locale identifier.

    >>> language_of("zh_Hans")
    'zh'
    """
    return locale.replace("-", "_").split("_", 1)[0].lower()


def _is_cjk(char: str) -> bool:
    code = ord(char)
    return (
        0x3040 <= code <= 0x30FF  # kana
        or 0x3400 <= code <= 0x4DBF
        or 0x4E00 <= code <= 0x9FFF
        or 0xF900 <= code <= 0xFAFF
        or 0x20000 <= code <= 0x2FFFF
    )


def _starts_sentence(char: str) -> bool:
    return char.isupper() or char.isdigit() or char in _OPENERS or _is_cjk(char)


def _word_before(text: str, end: int) -> str:
    """The run of non-space characters ending just before *end* (the period's position)."""
    start = end
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    return text[start:end].lstrip("\"'“‘«([*_¿¡")


def _is_abbreviation(word: str) -> bool:
    if not word:
        return False
    lowered = word.lower()
    if lowered in _ABBREVIATIONS:
        return True
    # an initial ("J.") or a dotted abbreviation ("U.S", "a.m")
    return (len(word) == 1 and word.isalpha()) or ("." in word and len(word) <= 6)


def split_sentences(text: str, locale: str) -> list[str]:
    """The sentences of *text*, stripped, in order (the text itself if it has one).

    >>> split_sentences("Mr. Kim arrived. He said: ¿Y ahora? Nothing.", "en")
    ['Mr. Kim arrived.', 'He said: ¿Y ahora?', 'Nothing.']
    >>> split_sentences("他来了。她走了！为什么？", "zh_Hans")
    ['他来了。', '她走了！', '为什么？']
    >>> split_sentences("¿Vendrá? ¡Claro que sí! Dijo el Sr. Pérez.", "es")
    ['¿Vendrá?', '¡Claro que sí!', 'Dijo el Sr. Pérez.']
    """
    cjk = language_of(locale) in _CJK_LANGUAGES
    sentences: list[str] = []
    start = 0
    in_code = False
    i = 0
    n = len(text)
    while i < n:
        if in_code:  # inside `code`: nothing ends a sentence until the closing backtick
            i = text.find("`", i)
            if i < 0:
                break
            in_code = False
            i += 1
            continue
        found = _INTERESTING.search(text, i)  # a single character class: linear
        if found is None:
            break
        i = found.start()
        char = text[i]
        if char == "`":
            in_code = True
            i += 1
            continue
        if cjk and char in _CJK_ENDS:
            end = i + 1
            while end < n and text[end] in _CLOSERS:
                end += 1
            if char in "!?" and end < n and not text[end].isspace() and not _is_cjk(text[end]):
                i = end  # ASCII "!"/"?" inside Latin text: not an end unless spaced
                continue
            piece = text[start:end].strip()
            if piece:
                sentences.append(piece)
            start = end
            i = end
            continue
        if char in _LATIN_ENDS:
            end = i + 1
            while end < n and text[end] in _LATIN_ENDS:  # "?!", "..."
                end += 1
            while end < n and text[end] in _CLOSERS:
                end += 1
            after = end
            while after < n and text[after].isspace():
                after += 1
            if (
                after > end
                and after < n
                and _starts_sentence(text[after])
                and not (char == "." and _is_abbreviation(_word_before(text, i)))
            ):
                piece = text[start:end].strip()
                if piece:
                    sentences.append(piece)
                start = after
                i = after
                continue
            i = end
            continue
        i += 1
    rest = text[start:].strip()
    if rest:
        sentences.append(rest)
    return sentences


def join_sentences(sentences: Sequence[str], locale: str) -> str:
    """Sentences back into one paragraph: a space between them, none between CJK ones.

    >>> join_sentences(["他来了。", "She left."], "zh_Hans")
    '他来了。She left.'
    >>> join_sentences(["Llegó.", "Se fue."], "es")
    'Llegó. Se fue.'
    """
    cjk = language_of(locale) in _CJK_LANGUAGES
    out = ""
    for sentence in sentences:
        if out and not (cjk and (_is_cjk(out[-1]) or out[-1] in _CJK_CLOSERS)):
            out += " "
        out += sentence
    return out


def align(
    source: str, target: str, source_locale: str, target_locale: str
) -> list[tuple[str, str]] | None:
    """Pairs of (source sentence, target sentence) of a translated paragraph.

    ``None`` when the paragraph has fewer than two sentences (the whole entry is
    its own memory) or when the two sides have different numbers of sentences.

    >>> align("He came. She left.", "Él vino. Ella se fue.", "en", "es")
    [('He came.', 'Él vino.'), ('She left.', 'Ella se fue.')]
    >>> align("He came. She left.", "Él vino y ella se fue.", "en", "es") is None
    True
    """
    left = split_sentences(source, source_locale)
    if len(left) < 2:
        return None
    right = split_sentences(target, target_locale)
    if len(right) != len(left):
        return None
    return list(zip(left, right, strict=True))
