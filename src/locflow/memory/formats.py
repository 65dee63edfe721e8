"""Reading memories from files: the project's PO catalogs, imported TMX and PO files.

TMX is XML from other tools, so it is parsed as untrusted input: with expat
directly (streaming, so a large file is not held as a tree), refusing entity
declarations and external entities (the "billion laughs" and XXE attacks) the
way ``defusedxml`` does. A ``<!DOCTYPE tmx SYSTEM "tmx14.dtd">`` line, which
many tools write, is accepted; the DTD is never read.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.parsers import expat

from ..catalog import pofile
from ..errors import InputError
from ..model import ReviewState
from ..review import entry_state
from ..sentences import align
from .store import Unit
from .writing import Aligned


@dataclass(frozen=True)
class Pair:
    """A source text and its translation as read from a file, before they become units."""

    source: str
    target: str
    locale: str
    approved: bool
    context: str | None
    line: int




def units_of(pairs: Sequence[Pair], source_locale: str, *, sentences_of_all: bool,
             known: Aligned | None = None) -> list[Unit]:
    """Entry units for *pairs*, plus the aligned sentences of their paragraphs.

    Sentences are aligned for approved pairs (and for every pair when
    *sentences_of_all*: imported memories are references someone chose). *known*
    holds alignments already made (:meth:`.writing.Recorded.alignments`): they are not
    made again.
    """
    return with_sentences(entry_units(pairs), source_locale,
                          sentences_of_all=sentences_of_all, known=known)


def entry_units(pairs: Sequence[Pair]) -> list[Unit]:
    """The units of whole entries of *pairs* (no sentences)."""
    return [Unit(pair.source, pair.target, pair.locale, "entry", pair.approved, pair.context,
                 pair.line) for pair in pairs]


def with_sentences(entries: Sequence[Unit], source_locale: str, *, sentences_of_all: bool,
                   known: Aligned | None = None) -> list[Unit]:
    """*entries* (units of whole entries) each followed by its aligned sentences, as
    :func:`units_of` makes them."""
    units: list[Unit] = []
    for entry in entries:
        units.append(entry)
        if not (entry.approved or sentences_of_all):
            continue
        aligned = known.get((entry.source, entry.target, entry.locale)) if known else None
        if aligned is None:
            aligned = align(entry.source, entry.target, source_locale, entry.locale) or []
        for number, (source, target) in enumerate(aligned, start=1):
            units.append(Unit(source, target, entry.locale, "sentence", entry.approved,
                              entry.context, entry.line, f"{number}/{len(aligned)}"))
    return units


# -- PO ---------------------------------------------------------------------


def po_pairs(data: bytes, path: str | Path, locale: str) -> list[Pair]:
    """The translated and approved singular entries of a PO file (fuzzy ones are drafts)."""
    return catalog_pairs(pofile.parse(data, path), locale)


def catalog_pairs(catalog: pofile.Catalog, locale: str,
                  lines: dict[int, int] | None = None) -> list[Pair]:
    """:func:`po_pairs` of a catalog in memory; *lines* (from ``dump(catalog, lines=…)``)
    gives the entries' lines in the bytes they will be written as."""
    pairs = []
    for entry in catalog.active():
        if not entry.msgid or entry.msgid_plural:
            continue
        state = entry_state(entry)
        if state not in (ReviewState.TRANSLATED, ReviewState.APPROVED):
            continue
        pairs.append(
            Pair(
                entry.msgid,
                entry.msgstr,
                locale,
                state is ReviewState.APPROVED,
                entry.msgctxt,
                entry.line if lines is None else lines[id(entry)],
            )
        )
    return pairs


def po_language(data: bytes, path: str | Path) -> str | None:
    """The ``Language`` header of a PO file, if it has one."""
    return pofile.parse(data, path).language


# -- TMX --------------------------------------------------------------------


class _Forbidden(Exception):
    pass


def _forbid(*_: Any) -> Any:
    raise _Forbidden


@dataclass(frozen=True)
class TmxUnit:
    """One ``<tu>``: its segments by language tag, and its line in the file."""

    segments: dict[str, str]
    line: int


def read_tmx(data: bytes, path: str | Path) -> list[TmxUnit]:
    """The translation units of a TMX document.

    Inline markup inside ``<seg>`` (``<bpt>``, ``<ept>``, ``<ph>``…) holds the
    original codes, so its text is kept: the segment reads as it did in its
    source format. Raises :class:`InputError` naming the line for malformed XML,
    entities or a document that is not TMX.
    """
    return list(_tmx_units(data, path))


def _tmx_units(data: bytes, path: str | Path) -> Iterator[TmxUnit]:
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.EntityDeclHandler = _forbid
    parser.UnparsedEntityDeclHandler = _forbid
    parser.ExternalEntityRefHandler = _forbid
    parser.SkippedEntityHandler = _forbid
    parser.buffer_text = True

    units: list[TmxUnit] = []
    state: dict[str, Any] = {"root": None, "tu": None, "line": 0, "lang": None, "seg": None}
    depth = {"seg": 0}

    def start(name: str, attrs: dict[str, str]) -> None:
        if state["root"] is None:
            state["root"] = name
            if name != "tmx":
                raise InputError(f"not a TMX file: the root element is <{name}>", path=path)
        if name == "tu":
            state["tu"] = {}
            state["line"] = parser.CurrentLineNumber
        elif name == "tuv" and state["tu"] is not None:
            state["lang"] = attrs.get("xml:lang") or attrs.get("lang")
        elif name == "seg" and state["lang"] is not None:
            if depth["seg"] == 0:
                state["seg"] = []
            depth["seg"] += 1
        elif depth["seg"]:
            depth["seg"] += 1

    def end(name: str) -> None:
        if depth["seg"]:
            depth["seg"] -= 1
            if depth["seg"] == 0 and name == "seg":
                state["tu"][state["lang"]] = "".join(state["seg"])
                state["seg"] = None
            return
        if name == "tuv":
            state["lang"] = None
        elif name == "tu" and state["tu"] is not None:
            units.append(TmxUnit(state["tu"], state["line"]))
            state["tu"] = None

    def text(chunk: str) -> None:
        if state["seg"] is not None:
            state["seg"].append(chunk)

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    try:
        parser.Parse(data, True)
    except _Forbidden:
        raise InputError(
            "TMX with entity declarations or external entities is refused",
            path=path,
            line=parser.CurrentLineNumber,
        ) from None
    except expat.ExpatError as exc:
        message = expat.errors.messages.get(exc.code, "malformed XML")
        raise InputError(f"not valid XML: {message}", path=path, line=exc.lineno) from None
    except (LookupError, ValueError):
        # expat asks Python's codecs for an encoding it does not know itself: a name no
        # codec has (LookupError), a multi-byte or non-text codec (ValueError, UnicodeError)
        raise InputError("not valid XML: declares an encoding locflow cannot read (use UTF-8)",
                         path=path, line=parser.CurrentLineNumber) from None
    if state["root"] is None:
        raise InputError("not a TMX file: no root element", path=path)
    yield from units


def tmx_pairs(
    units: Sequence[TmxUnit],
    source_tags: Sequence[str],
    target_tags: dict[str, str],
) -> list[Pair]:
    """Pairs of a TMX document: for each ``<tu>``, its source segment with each target one.

    *source_tags* are the file's language tags that mean the project's source
    language; *target_tags* maps the file's tags to the project locales they mean.
    """
    pairs = []
    for unit in units:
        source = next(
            (unit.segments[t] for t in source_tags if unit.segments.get(t, "").strip()), None
        )
        if source is None:
            continue
        for tag, text in unit.segments.items():
            locale = target_tags.get(tag)
            if locale is not None and text.strip():
                pairs.append(Pair(source, text, locale, False, None, unit.line))
    return pairs
