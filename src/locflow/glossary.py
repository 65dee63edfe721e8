"""The project glossary: how names and terms are translated, per locale (pure, plus loading).

``glossary/<locale>.csv`` is a UTF-8 CSV file with a header row and the columns

``term``
    the source-language term, as it appears in articles (matched case-insensitively,
    as a whole word);
``translation``
    its approved rendering (several separated by ``|`` when more than one is right);
    for ``forbidden``, the rendering that must not be used;
``kind``
    ``translate`` (the translation must use an approved rendering),
    ``do-not-translate`` (the term stays as written: names of people, brands), or
    ``forbidden`` (the rendering in ``translation`` is wrong for this term);
``note``
    for translators (optional).

It is used three ways: machine translation masks do-not-translate terms and
puts approved renderings into drafts (:meth:`Glossary.keep`,
:meth:`Glossary.render`); the ``glossary`` check (:func:`check`) flags
translations that miss an approved rendering or use a forbidden one; and
sync writes a ``#.`` extracted comment on every entry that contains a term
(:func:`notes`), which Poedit shows beside the text.

Matching is linear: one alternation of escaped literals over the source, and a
scan of the translation's words. It tolerates case and, for languages written
with spaces, inflection: a word matches another with the same stem once plural
and gender endings are set aside (``asiática``/``asiáticos``). A forbidden
rendering matches only as written (whole words, in any case, :func:`uses`):
folded, ``Sevilla`` would pass for a forbidden ``Seville``.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from .errors import ConfigError

if TYPE_CHECKING:
    from .config import Project

Kind = Literal["translate", "do-not-translate", "forbidden"]
KINDS: tuple[Kind, ...] = ("translate", "do-not-translate", "forbidden")
COLUMNS = ("term", "translation", "kind", "note")
NOTE_PREFIX = "glossary: "

# Languages written without spaces between words: a rendering is a substring.
_UNSPACED = frozenset({"zh", "ja", "th", "lo", "km", "my", "bo"})
_WORD = re.compile(r"\w+")
# Inflection endings set aside before comparing words (Spanish, Portuguese, Italian,
# English plurals); only for words longer than 4 letters, so "paz" stays "paz".
_ENDINGS = ("es", "as", "os", "s", "a", "o", "e")


@dataclass(frozen=True)
class Term:
    term: str
    translation: str
    kind: Kind
    note: str = ""
    line: int = 0

    @property
    def renderings(self) -> tuple[str, ...]:
        return tuple(r.strip() for r in self.translation.split("|") if r.strip())


@dataclass(frozen=True)
class Glossary:
    locale: str
    terms: tuple[Term, ...] = ()
    path: str | None = None

    def __bool__(self) -> bool:
        return bool(self.terms)

    @cached_property
    def _pattern(self) -> re.Pattern[str] | None:
        words = sorted({t.term for t in self.terms}, key=lambda w: (-len(w), w))
        if not words:
            return None
        body = "|".join(re.escape(w) for w in words)
        return re.compile(rf"(?<!\w)(?:{body})(?!\w)", re.IGNORECASE)

    @cached_property
    def _by_term(self) -> dict[str, list[Term]]:
        out: dict[str, list[Term]] = {}
        for term in self.terms:
            out.setdefault(term.term.casefold(), []).append(term)
        return out

    def found_in(self, source: str) -> list[Term]:
        """The glossary entries whose term occurs in *source*, in order of first occurrence.

        Longer terms win: in "Asian NATO" only that term is found, not "NATO".
        """
        if self._pattern is None:
            return []
        seen: dict[str, None] = {}
        for match in self._pattern.finditer(source):
            seen.setdefault(match.group(0).casefold(), None)
        return [term for key in seen for term in self._by_term.get(key, [])]

    def keep(self) -> list[str]:
        """The do-not-translate terms (for masking)."""
        return [t.term for t in self.terms if t.kind == "do-not-translate"]

    def render(self) -> dict[str, str]:
        """Terms with one approved rendering, which a machine draft takes as it is."""
        return {
            t.term: t.renderings[0]
            for t in self.terms
            if t.kind == "translate" and len(t.renderings) >= 1
        }


def parse(text: str, locale: str, path: str | Path | None = None) -> Glossary:
    """Read a glossary CSV; :class:`ConfigError` names the file and line of a bad row."""
    if text.startswith("\ufeff"):
        text = text[1:]
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
        if header is None:
            return Glossary(locale, (), str(path) if path else None)
        names = [h.strip().lower() for h in header]
        if names[:3] != list(COLUMNS[:3]) or any(n not in COLUMNS for n in names):
            raise ConfigError(
                f"the first row must name the columns {', '.join(COLUMNS)}", path=path, line=1
            )
        terms: list[Term] = []
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if len(row) > len(names):
                raise ConfigError(f"{len(row)} columns; the header names {len(names)}",
                                  path=path, line=line)
            cells = dict(zip(names, (c.strip() for c in row), strict=False))
            term, translation = cells.get("term", ""), cells.get("translation", "")
            kind = cells.get("kind", "") or "translate"
            if kind not in KINDS:
                raise ConfigError(f"kind must be one of {', '.join(KINDS)}, not {kind[:40]!r}",
                                  path=path, line=line)
            if not term:
                raise ConfigError("a row without a term", path=path, line=line)
            if kind != "do-not-translate" and not translation:
                raise ConfigError(f"{kind} needs a translation", path=path, line=line)
            if "\n" in term or "\n" in translation:
                raise ConfigError("a term spans lines", path=path, line=line)
            terms.append(Term(term, translation, kind, cells.get("note", ""), line))
    except csv.Error as exc:
        raise ConfigError(f"not valid CSV: {exc}", path=path, line=reader.line_num) from None
    return Glossary(locale, tuple(terms), str(path) if path else None)


def load(project: Project, locale: str) -> Glossary:
    """``glossary/<locale>.csv`` of *project*; an empty glossary if there is none
    (or if *locale*, perhaps from a catalog's header, is no locale identifier)."""
    from .locales import validate_locale

    try:
        locale = validate_locale(locale)
    except ConfigError:
        return Glossary(locale)
    path = project.glossary_file(locale)
    if not path.is_file():
        return Glossary(locale)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ConfigError("not UTF-8 text", path=path) from None
    except OSError as exc:
        raise ConfigError(f"cannot read: {exc.strerror}", path=path) from None
    return parse(text, locale, project.relative(path))


# -- matching translations --------------------------------------------------------


def _fold(text: str) -> str:
    """Case- and accent-insensitive form (``Pekín`` → ``pekin``)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _stem(word: str) -> str:
    for ending in _ENDINGS:
        if len(word) > 4 and word.endswith(ending):
            return word[: -len(ending)]
    return word


def _words(text: str) -> list[str]:
    return [_stem(w) for w in _WORD.findall(_fold(text))]


def _language(locale: str) -> str:
    return locale.replace("-", "_").split("_", 1)[0].lower()


def contains(translation: str, rendering: str, locale: str) -> bool:
    """True if *rendering* occurs in *translation*, up to case and inflection.

    >>> contains("una “OTAN asiática”", "OTAN asiático", "es")
    True
    >>> contains("两国", "赵通", "zh_Hans")
    False
    """
    if _language(locale) in _UNSPACED:
        return _fold(rendering) in _fold(translation)
    wanted = _words(rendering)
    if not wanted:
        return False
    have = _words(translation)
    width = len(wanted)
    first = wanted[0]
    return any(
        have[i] == first and have[i : i + width] == wanted for i in range(len(have) - width + 1)
    )


def uses(translation: str, rendering: str, locale: str) -> bool:
    """True if *rendering* occurs in *translation* as written: whole words, in any case,
    but without the accent and ending folding of :func:`contains`, which would make an
    approved ``Sevilla`` look like a forbidden ``Seville``.

    >>> uses("Llegó a Sevilla.", "Seville", "es")
    False
    >>> uses("Llegó a SEVILLE.", "Seville", "es")
    True
    """
    if _language(locale) in _UNSPACED:
        return rendering.casefold() in translation.casefold()
    wanted = _WORD.findall(rendering.casefold())
    if not wanted:
        return False
    have = _WORD.findall(translation.casefold())
    width = len(wanted)
    return any(have[i : i + width] == wanted for i in range(len(have) - width + 1))


def check(source: str, translation: str, glossary: Glossary) -> list[str]:
    """What the translation gets wrong about the glossary's terms (empty: nothing)."""
    problems: list[str] = []
    for term in glossary.found_in(source):
        if term.kind == "translate":
            if not any(contains(translation, r, glossary.locale) for r in term.renderings):
                problems.append(f"{term.term!r} should be rendered as {term.translation!r}")
        elif term.kind == "do-not-translate":
            if not contains(translation, term.term, glossary.locale):
                problems.append(f"{term.term!r} should stay as it is (do not translate)")
        else:
            used = [r for r in term.renderings if uses(translation, r, glossary.locale)]
            if used:
                problems.append(f"{used[0]!r} is a forbidden rendering of {term.term!r}")
    return problems


def notes(source: str, glossary: Glossary) -> list[str]:
    """The extracted-comment lines telling a translator the glossary's terms in *source*."""
    lines: list[str] = []
    for term in glossary.found_in(source):
        if term.kind == "translate":
            text = f"{term.term} = {term.translation}"
        elif term.kind == "do-not-translate":
            text = f"{term.term} (do not translate)"
        else:
            text = f"{term.term} ≠ {term.translation}"
        if term.note:
            text += f" ({term.note})"
        lines.append(NOTE_PREFIX + " ".join(text.split()))
    return lines


def annotate(comment: str, source: str, glossary: Glossary) -> str:
    """An entry's extracted comment with its glossary lines brought up to date.

    >>> g = Glossary("es", (Term("Pyongyang", "Pionyang", "translate"),))
    >>> annotate("paragraph", "Aid for Pyongyang.", g)
    'paragraph\\nglossary: Pyongyang = Pionyang'
    >>> annotate('paragraph\\nglossary: Pyongyang = Pionyang', "Aid.", g)
    'paragraph'
    """
    kept = [line for line in comment.split("\n") if not line.startswith(NOTE_PREFIX)]
    kept = [line for line in kept if line] if comment else []
    return "\n".join([*kept, *notes(source, glossary)])


def rows(glossaries: Sequence[Glossary]) -> list[dict[str, str]]:
    """Every term of *glossaries* as a JSON-ready row."""
    return [
        {"locale": g.locale, "term": t.term, "translation": t.translation, "kind": t.kind,
         "note": t.note}
        for g in glossaries
        for t in g.terms
    ]
