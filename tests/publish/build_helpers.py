"""Test helpers for the build tests: fill catalogs with translations in a given review state."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from locflow.catalog import pofile
from locflow.review import approve

REVIEWER = "desk-editor"
DATE = "2024-11-05"


def fake(locale: str) -> Callable[[str], str]:
    """A recognisable fake translation: ``[zh_Hans] text``."""
    return lambda text: f"[{locale}] {text}"


def fill(path: Path, translate: Callable[[str], str], state: str = "approved",
         only: Callable[[pofile.Entry], bool] | None = None,
         override: tuple[str, ...] = ()) -> None:
    """Translate the entries of the PO file at *path* and put them in *state*.

    *state*: "approved", "translated" (awaiting review), "fuzzy" or "untranslated"
    (clear the text). *only* selects entries (default: every active one). *override*:
    the checks an approval overrides (as ``review approve --force`` records them).
    """
    with pofile.edit(path) as catalog:
        for entry in catalog.active():
            if not entry.msgid or (only is not None and not only(entry)):
                continue
            if state == "untranslated":
                entry.msgstr = ""
                continue
            if entry.msgid_plural:
                forms = len(entry.msgstr_plural) or 2
                entry.msgstr_plural = {i: translate(entry.msgid_plural if i else entry.msgid)
                                       for i in range(forms)}
            else:
                entry.msgstr = translate(entry.msgid)
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
            if state == "fuzzy":
                entry.flags.insert(0, "fuzzy")
            elif state == "approved":
                approve(entry, REVIEWER, DATE, override=override)


def fill_project(root: Path, state: str = "approved", locales: tuple[str, ...] = ("zh_Hans", "es"),
                 site: bool = True) -> None:
    """Fill every article catalog (and site.po) of *locales* under *root*."""
    for locale in locales:
        for path in sorted((root / "locales" / locale / "articles").glob("*.po")):
            fill(path, fake(locale), state)
        site_po = root / "locales" / locale / "LC_MESSAGES" / "site.po"
        if site and site_po.exists():
            fill(site_po, fake(locale), state)
