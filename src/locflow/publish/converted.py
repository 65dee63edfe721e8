"""A derived locale's versions (``zh_Hant`` from ``zh_Hans``): the base's decision, its
published text converted, corrected by the derived locale's current overrides.

A derived page is published exactly when its base version is (same gate, same
living-article policy): the gate is the base's. Each entry the base page shows in its
current translation shows the derived locale's override of it when there is one that
may be published (state, error-level checks) and that corrects the conversion of that
very translation; otherwise its conversion (:mod:`locflow.derived`). Entries the base
page shows from an earlier version, or in English, are converted the same way.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from .gate import GateResult, Key, Policy

if TYPE_CHECKING:
    from pathlib import Path

    from ..catalog import pofile
    from ..config import DerivedLocale, Project
    from ..derived import Convert
    from .interface import SiteStrings

Override = tuple[list[str], list[str]]  # (the base translation it corrects, its own forms)


def converted_gate(base: GateResult, base_locale: str, overrides: Mapping[Key, Override],
                   convert: Callable[[Key, str], str]) -> GateResult:
    """The derived version of *base*'s decision: the same gate, each shown text
    converted (*convert*) or overridden (*overrides*, each valid while the base page
    shows the translation it corrects)."""
    shown: dict[Key, str] = {}
    used = 0
    for key, text in base.translations.items():
        override = overrides.get(key)
        if override is not None and text == override[0][0]:
            shown[key] = override[1][0]
            used += 1
        else:
            shown[key] = convert(key, text)
    return dataclasses.replace(base, translations=shown, converted_from=base_locale,
                               overridden=used)


def current_overrides(own: pofile.Catalog | None, base: pofile.Catalog | None,
                      derived: DerivedLocale, policy: Policy, run: Convert,
                      extra: Mapping[str, Any] | None) -> dict[Key, Override]:
    """The overrides of *own* that may be published: allowed by the policy, no
    error-level check failing, and correcting today's conversion of *base*'s text."""
    from ..checks import blocking_problems
    from ..derived import base_forms, forms, is_current_override
    from ..review import entry_state

    if own is None or base is None:
        return {}
    bases = base.index()
    found: dict[Key, Override] = {}
    for entry in own.active():
        if not entry.msgid or not policy.allows(entry_state(entry)):
            continue
        texts = base_forms(bases.get(entry.key))
        if texts is None or not is_current_override(entry, run(entry, texts)):
            continue
        if blocking_problems(entry, derived.locale, extra):
            continue
        found[entry.key] = (texts, forms(entry))
    return found


def text_converter(run: Convert, template: Mapping[Key, str]) -> Callable[[Key, str], str]:
    """Converts the text shown for an entry, with the glossary pins of its English
    (*template*: msgid by key; the key's own msgid for anything else)."""
    from ..catalog import pofile

    def convert(key: Key, text: str) -> str:
        probe = pofile.Entry(msgid=template.get(key, key[1]), msgctxt=key[0])
        return run(probe, [text])[0]

    return convert


def load_pair(project: Project, derived: DerivedLocale, own: Path, base: Path
              ) -> tuple[pofile.Catalog | None, pofile.Catalog | None, bytes | None]:
    """The derived catalog at *own* and its base's at *base* (None where there is none),
    and the bytes of *own* (for the build's keys)."""
    from ..catalog import pofile
    from .catalogs import read_catalog

    own_data = read_catalog(project, own)
    base_data = read_catalog(project, base)
    return (pofile.parse(own_data, own) if own_data is not None else None,
            pofile.parse(base_data, base) if base_data is not None else None, own_data)


def converted_messages(messages: list[dict[str, Any]], overrides: list[dict[str, Any]],
                       current: set[Key], run: Convert) -> list[dict[str, Any]]:
    """A derived locale's interface messages: the base's publishable *messages*
    converted, then the derived catalog's publishable *overrides* whose key is in
    *current* (they correct today's conversion). The texts are HTML-escaped already:
    conversion changes Chinese characters only, never ``&<>"'``."""
    from ..catalog import pofile

    out: dict[Key, dict[str, Any]] = {}
    for message in messages:
        ids = message["id"]
        msgid, plural = (ids[0], ids[1]) if isinstance(ids, list) else (ids, None)
        probe = pofile.Entry(msgid=msgid, msgctxt=message["ctx"], msgid_plural=plural)
        texts = message["str"] if isinstance(message["str"], list) else [message["str"]]
        converted = run(probe, texts)
        out[(message["ctx"], msgid)] = {
            **message, "str": converted if isinstance(message["str"], list) else converted[0]}
    for message in overrides:
        ids = message["id"]
        key = (message["ctx"], ids[0] if isinstance(ids, list) else ids)
        if key in current:
            out[key] = message
    return list(out.values())


def derived_site_strings(project: Project, derived: DerivedLocale, policy: Policy
                         ) -> SiteStrings:
    """A derived locale's interface strings: its base's, converted, corrected by its own
    ``site.po`` where that holds current overrides."""
    import hashlib
    import io
    import json

    from babel.support import Translations

    from ..derived import entry_converter
    from ..glossary import load
    from .interface import SiteStrings, _publishable_messages, compile_mo, site_strings

    base_path = project.site_catalog(derived.base)
    own_path = project.site_catalog(derived.locale)
    base_strings = site_strings(project, derived.base, policy)
    if not base_strings.exists:
        return dataclasses.replace(base_strings, locale=derived.locale)
    own_glossary = load(project, derived.locale)
    run = entry_converter(derived, load(project, derived.base), own_glossary)
    extra = {"glossary": own_glossary}
    own, base, own_data = load_pair(project, derived, own_path, base_path)
    messages, total, plural_forms, _ = _publishable_messages(
        base_path, policy, derived.base, project.relative(base_path),
        {"glossary": load(project, derived.base)})
    current = set(current_overrides(own, base, derived, policy, run, extra))
    mine = (_publishable_messages(own_path, policy, derived.locale,
                                  project.relative(own_path), extra)[0]
            if own_data is not None else [])
    found = converted_messages(messages, mine, current, run)
    canonical = json.dumps([found, plural_forms], sort_keys=True, ensure_ascii=False)
    translations = Translations(io.BytesIO(compile_mo(found, derived.locale, plural_forms)))
    return SiteStrings(derived.locale, translations,
                       hashlib.sha256(canonical.encode("utf-8")).hexdigest(), total, len(found),
                       True, base_strings.warnings)
