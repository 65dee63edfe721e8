"""Derived locales: a locale's text converted from another's (``zh_Hant`` from ``zh_Hans``).

Newsrooms that publish in both Chinese scripts convert one into the other and have an
editor fix what conversion gets wrong. locflow does the same:

* Nobody translates a derived locale. Its pages are its base locale's published text,
  converted at build with OpenCC (:func:`convert`; ``[derived]`` in ``locflow.toml``
  names the base and the OpenCC conversion, e.g. ``s2twp``: Taiwan standard with
  Taiwan phrases).
* The conversion respects the glossary: where the derived locale's glossary gives a
  rendering for a term of the English source (``North Korea,北韓``) and the base
  locale's glossary gives the base rendering (``North Korea,朝鲜``), that rendering is
  pinned instead of converted (:func:`glossary_pins`).
* A catalog of the derived locale (``locales/zh_Hant/articles/<slug>.po``) is optional
  and holds *overrides* only: entries an editor corrected after conversion. Each records
  the conversion it corrects (``# locflow-converted: HASH``, a translator comment every
  PO editor keeps) and shows the conversion as it is now (``#. conversion: …``). When the
  base translation changes, so does its conversion: the override becomes fuzzy, as
  msgmerge makes an entry whose source changed fuzzy (:func:`refresh_overrides`).
  ``locflow derive`` opens a catalog for correction with every conversion in it; the
  next ``sync`` keeps only the entries an editor changed.

Everything here is pure but :func:`converter`, which loads OpenCC's dictionaries (once
per conversion and process).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .catalog import pofile
from .model import ReviewState
from .review import entry_state, strip_review, text_hash

if TYPE_CHECKING:
    from .config import DerivedLocale
    from .glossary import Glossary

CONVERTED_PREFIX = "locflow-converted:"
CONVERSION_NOTE = "conversion:"
_CONVERTED = re.compile(r"locflow-converted: ([0-9a-f]{12})")
# a comment holds one line: the conversion's own line breaks, written as escapes
_LINE_BREAKS = str.maketrans({"\n": "\\n", "\r": "\\r", "\x85": "\\u0085", "\u2028": "\\u2028",
                              "\u2029": "\\u2029"})

Pins = tuple[tuple[str, str], ...]  # (base rendering, derived rendering), longest first


@functools.cache
def converter(conversion: str) -> Callable[[str], str]:
    """OpenCC's converter for *conversion* (``s2twp``…), loaded once per process."""
    import opencc  # lazily: its dictionaries take ~0.1 s to load

    return opencc.OpenCC(f"{conversion}.json").convert


@functools.cache
def opencc_version() -> str:
    """The installed OpenCC's version: its dictionaries decide what a build shows."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("opencc")
    except PackageNotFoundError:
        return "unknown"


def glossary_pins(source: str, base: Glossary, derived: Glossary) -> Pins:
    """What conversion must not decide for *source*: for each term of the derived
    locale's glossary (``translate``) in *source*, the base glossary's renderings of the
    same term, each to be written as the derived glossary's first rendering."""
    if not derived:
        return ()
    wanted = {t.term.casefold(): t.renderings[0] for t in derived.found_in(source)
              if t.kind == "translate" and t.renderings}
    pins = {rendering: wanted[t.term.casefold()] for t in base.found_in(source)
            if t.kind == "translate" and t.term.casefold() in wanted
            for rendering in t.renderings}
    return tuple(sorted(pins.items(), key=lambda pin: (-len(pin[0]), pin[0])))


def convert(text: str, conversion: str, pins: Pins = ()) -> str:
    """*text* in the derived script; each pinned base rendering becomes its derived one
    (one pass of an alternation of literals: linear)."""
    run = converter(conversion)
    if not pins or not text:
        return run(text) if text else text
    pattern = re.compile("|".join(re.escape(base) for base, _ in pins))
    written = dict(pins)
    out: list[str] = []
    start = 0
    for match in pattern.finditer(text):
        out.append(run(text[start:match.start()]))
        out.append(written[match.group(0)])
        start = match.end()
    out.append(run(text[start:]))
    return "".join(out)


# -- the text of an entry ------------------------------------------------------------


def forms(entry: pofile.Entry) -> list[str]:
    """The entry's translation: its text, or one text per plural form."""
    if entry.msgid_plural:
        return [entry.msgstr_plural[n] for n in sorted(entry.msgstr_plural)]
    return [entry.msgstr]


def _set_forms(entry: pofile.Entry, texts: Sequence[str]) -> None:
    if entry.msgid_plural:
        entry.msgstr_plural = dict(enumerate(texts))
    else:
        entry.msgstr = texts[0]


def base_forms(entry: pofile.Entry | None) -> list[str] | None:
    """The base catalog's translation of an entry, if it has one a page could show
    (translated or approved; a fuzzy or rejected text is no translation)."""
    if entry is None or getattr(entry, "obsolete", False):
        return None
    if entry_state(entry) not in (ReviewState.TRANSLATED, ReviewState.APPROVED):
        return None
    return forms(entry)


def conversion_hash(entry: pofile.Entry, converted: Sequence[str]) -> str:
    """The hash an override records for *converted*, the conversion it corrects: the
    text hash an entry with that translation would have."""
    probe = pofile.Entry(msgid=entry.msgid, msgctxt=entry.msgctxt,
                         msgid_plural=entry.msgid_plural)
    _set_forms(probe, converted)
    return text_hash(probe)


def recorded_hash(entry: pofile.Entry) -> str | None:
    """The hash of the conversion *entry* corrects (its ``locflow-converted`` line)."""
    found = _CONVERTED.search(entry.tcomment or "")
    return found.group(1) if found else None


def _record(entry: pofile.Entry, hash_: str) -> None:
    lines = [x for x in (entry.tcomment or "").split("\n")
             if x and not x.startswith(CONVERTED_PREFIX)]
    entry.tcomment = "\n".join([*lines, f"{CONVERTED_PREFIX} {hash_}"])


def _note(template: pofile.Entry | None, converted: Sequence[str]) -> str:
    """The extracted comment: the template's, then what conversion gives now."""
    lines = [x for x in ((template.comment or "") if template else "").split("\n") if x]
    shown = " | ".join(text.translate(_LINE_BREAKS) for text in converted)
    return "\n".join([*lines, f"{CONVERSION_NOTE} {shown}"])


def is_current_override(entry: pofile.Entry, converted: Sequence[str] | None) -> bool:
    """Whether *entry* corrects the conversion as it is now (*converted*, of the base
    translation today): an override made for an older base text is stale."""
    return converted is not None and recorded_hash(entry) == conversion_hash(entry, converted)


# -- the overrides catalog ------------------------------------------------------------


@dataclass
class OverrideStats:
    """What :func:`refresh_overrides` did to one catalog."""

    kept: int = 0  # overrides still current
    stale: int = 0  # overrides whose conversion changed: now fuzzy
    dropped: int = 0  # entries equal to the conversion: no override
    obsolete: int = 0  # overrides whose English entry is gone


Convert = Callable[[pofile.Entry, Sequence[str]], list[str]]
"""Converts a base translation of an entry (its forms) into the derived script."""


def entry_converter(derived: DerivedLocale, base: Glossary, own: Glossary) -> Convert:
    """The conversion of *derived*, with the glossaries' pins for each entry's source."""

    def run(entry: pofile.Entry, texts: Sequence[str]) -> list[str]:
        pins = glossary_pins(entry.msgid, base, own)
        return [convert(text, derived.convert, pins) for text in texts]

    return run


def refresh_overrides(catalog: pofile.Catalog, template: pofile.Catalog,
                      base: pofile.Catalog | None, run: Convert) -> OverrideStats:
    """Keep *catalog* a catalog of overrides against *template* and the *base*
    catalog's translations (``sync``; in place).

    An entry that says what the conversion says, or what it said when the entry was
    written there for correction (an editor left it as it was), is no override and
    goes. An override whose English entry is gone becomes obsolete (its text kept, as
    msgmerge keeps it). An override of a conversion that has changed becomes fuzzy, its
    approval gone, recording the new conversion, which its ``#. conversion:`` shows.
    """
    stats = OverrideStats()
    sources = template.index()
    bases = base.index() if base is not None else {}
    kept: list[pofile.Entry] = []
    for entry in catalog.entries:
        if entry.obsolete:
            kept.append(entry)
            continue
        source = sources.get(entry.key)
        if source is None:
            entry.obsolete = True
            stats.obsolete += 1
            kept.append(entry)
            continue
        found = base_forms(bases.get(entry.key))
        converted = run(entry, found) if found is not None else None
        mine = forms(entry)
        recorded = recorded_hash(entry)
        if converted is not None and (
                mine == converted or recorded == conversion_hash(entry, mine)):
            stats.dropped += 1  # what conversion says, or what it said when opened
            continue
        if converted is not None and recorded is None:
            _record(entry, conversion_hash(entry, converted))  # written by hand: for today's
            stats.kept += 1
        elif converted is None or recorded != conversion_hash(entry, converted):
            stats.stale += 1
            if "fuzzy" not in entry.flags:
                entry.flags.append("fuzzy")
            strip_review(entry)
            if converted is not None:
                _record(entry, conversion_hash(entry, converted))
        else:
            stats.kept += 1
        _update_from_template(entry, source, converted)
        kept.append(entry)
    catalog.entries = _in_template_order(kept, template)
    return stats


def _update_from_template(entry: pofile.Entry, source: pofile.Entry,
                          converted: Sequence[str] | None) -> None:
    note = _note(source, converted) if converted is not None else (source.comment or "")
    if (entry.comment or "") != note:
        entry.comment = note
    if list(entry.occurrences) != list(source.occurrences):
        entry.occurrences = list(source.occurrences)


def _in_template_order(entries: list[pofile.Entry], template: pofile.Catalog
                       ) -> list[pofile.Entry]:
    order = {key: n for n, key in enumerate(template.index())}
    active = [e for e in entries if not e.obsolete]
    active.sort(key=lambda e: order.get(e.key, len(order)))
    return [*active, *(e for e in entries if e.obsolete)]


def open_for_correction(catalog: pofile.Catalog, template: pofile.Catalog,
                        base: pofile.Catalog | None, run: Convert) -> int:
    """Write every conversion of the base translations into *catalog* for an editor
    to correct (overrides already there stay as they are); returns how many were
    added. ``sync`` drops those the editor leaves unchanged."""
    bases = base.index() if base is not None else {}
    have = catalog.index()
    added = 0
    for key, source in template.index().items():
        found = base_forms(bases.get(key))
        if key in have or found is None:
            continue
        converted = run(source, found)
        entry = pofile.Entry(msgid=source.msgid, msgctxt=source.msgctxt,
                             msgid_plural=source.msgid_plural,
                             occurrences=list(source.occurrences), comment=_note(source, converted))
        _set_forms(entry, converted)
        _record(entry, conversion_hash(entry, converted))
        catalog.entries.append(entry)
        added += 1
    catalog.entries = _in_template_order(catalog.entries, template)
    return added


def overrides_in(catalog: pofile.Catalog, base: Mapping[pofile.Key, pofile.Entry],
                 run: Convert) -> tuple[int, int]:
    """``(overrides, stale)`` of an overrides catalog: its active entries, and those
    that do not correct today's conversion (status, the desk)."""
    total = stale = 0
    for entry in catalog.active():
        total += 1
        found = base_forms(base.get(entry.key))
        converted = run(entry, found) if found is not None else None
        if "fuzzy" in entry.flags or not is_current_override(entry, converted):
            stale += 1
    return total, stale
