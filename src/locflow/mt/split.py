"""Split a text an engine cannot take in one request, at sentence boundaries (pure).

Google takes at most 4,999 characters, MyMemory 499: a long paragraph is cut
at its sentence ends (:func:`locflow.sentences.split_sentences`, the same rule the
translation memory aligns with), the sentences packed greedily into pieces within
the limit. A sentence longer than
the limit is cut at a space, and as a last resort anywhere but inside a
placeholder. Joining the pieces with :func:`join` gives the text back.

>>> split("One. Two. Three.", 10)
['One. Two.', 'Three.']
>>> join(split("One. Two. Three.", 10), "en") == "One. Two. Three."
True
"""

from __future__ import annotations

import re

from ..sentences import split_sentences

_PLACEHOLDER = re.compile(r"\[X\d{1,5}X\]")


def _hard_cut(text: str, limit: int) -> list[str]:
    """Cut *text* into pieces of at most *limit* characters: at a space if there is one,
    never inside a placeholder."""
    pieces: list[str] = []
    while len(text) > limit:
        cut = text.rfind(" ", 1, limit + 1)
        if cut <= 0:
            cut = limit
            for match in _PLACEHOLDER.finditer(text, max(0, limit - 10), limit + 10):
                if match.start() < cut < match.end():
                    cut = match.start() or match.end()
        pieces.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    if text:
        pieces.append(text)
    return pieces


def split(text: str, limit: int, locale: str = "en") -> list[str]:
    """Pieces of *text* (in *locale*) of at most *limit* characters, cut at sentence ends
    where possible."""
    if len(text) <= limit:
        return [text]
    sentences = split_sentences(text, locale)
    pieces: list[str] = []
    current = ""
    for sentence in sentences:
        for part in _hard_cut(sentence, limit) if len(sentence) > limit else [sentence]:
            glue = "" if not current or current[-1] in "。！？" else " "
            if current and len(current) + len(glue) + len(part) <= limit:
                current += glue + part
            else:
                if current:
                    pieces.append(current)
                current = part
    if current:
        pieces.append(current)
    return pieces


def join(pieces: list[str], target_language: str) -> str:
    """Translated pieces as one text: with spaces, or none for Chinese and Japanese."""
    glue = "" if target_language in ("zh", "ja") else " "
    return glue.join(p.strip() for p in pieces)
