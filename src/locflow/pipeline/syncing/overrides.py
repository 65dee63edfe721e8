"""Derived locales' catalogs of overrides, kept in step by ``sync`` and opened for
correction by ``locflow derive`` (the rules are :mod:`locflow.derived`'s)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ...catalog import pofile
from ...config import DerivedLocale, Project
from ...derived import OverrideStats, entry_converter, open_for_correction, refresh_overrides
from ...errors import InputError
from ..catalogs import SITE, project_catalogs
from .plan import catalog_header


@dataclass(frozen=True)
class OverrideSync:
    """One derived catalog after ``sync`` or ``derive``."""

    path: Path
    locale: str
    article: str  # slug, or "site"
    written: bool
    stats: OverrideStats = field(default_factory=OverrideStats)
    opened: int = 0  # conversions written for correction (``derive``)


def derived_locale(project: Project, locale: str) -> DerivedLocale:
    """The ``[derived]`` setting of *locale*; InputError if it is no derived locale."""
    for derived in project.config.derived:
        if derived.locale == locale:
            return derived
    names = ", ".join(d.locale for d in project.config.derived) or "none"
    raise InputError(f"{locale!r} is not a derived locale ([derived] in locflow.toml: {names})")


def _paths(project: Project, derived: DerivedLocale, slug: str) -> tuple[Path, Path]:
    """The template and the base catalog an overrides catalog of *slug* follows."""
    if slug == SITE:
        return project.site_template, project.site_catalog(derived.base)
    return project.article_template(slug), project.article_catalog(derived.base, slug)


def _refresh(project: Project, derived: DerivedLocale, slug: str, path: Path,
             write: bool, opening: bool) -> OverrideSync:
    from ...glossary import load

    template_path, base_path = _paths(project, derived, slug)
    if not template_path.is_file():
        raise InputError(f"no template for {slug!r}: run 'locflow sync' first",
                         path=project.relative(template_path))
    template = pofile.load(template_path)
    base_data = pofile.read_optional(base_path)
    base = pofile.parse(base_data, base_path) if base_data is not None else None
    run = entry_converter(derived, load(project, derived.base), load(project, derived.locale))
    before = pofile.read_optional(path)
    if before is None:
        catalog = pofile.new_catalog(catalog_header(project, derived.locale), path=path)
    else:
        catalog = pofile.parse(before, path)
    opened = open_for_correction(catalog, template, base, run) if opening else 0
    stats = refresh_overrides(catalog, template, base, run) if not opening else OverrideStats()
    after = pofile.dump(catalog)
    # no catalog is created holding nothing to correct (its base has no translation yet)
    written = after != before and not (before is None and not catalog.entries)
    if written and write:
        with pofile.locked(path):
            if pofile.read_optional(path) != before:
                raise InputError("changed while locflow worked on it: run the command again",
                                 path=project.relative(path))
            pofile.save_atomic(path, after)
    return OverrideSync(path, derived.locale, slug, written, stats, opened)


def refresh_all(project: Project, only: Iterable[str] = (), write: bool = True
                ) -> list[OverrideSync]:
    """Every derived locale's existing catalogs (of *only* those articles, if given)
    refreshed against their templates and base translations (``sync``)."""
    done: list[OverrideSync] = []
    for derived in project.config.derived:
        for ref in project_catalogs(project, [derived.locale], list(only)):
            assert ref.article is not None
            done.append(_refresh(project, derived, ref.article, ref.path, write, False))
    return done


def open_overrides(project: Project, locale: str, articles: Sequence[str]
                   ) -> list[OverrideSync]:
    """``locflow derive``: *articles*' catalogs of *locale* (created if missing) with
    the conversion of every base translation they do not override yet, for an editor
    to correct; the next ``sync`` keeps only what the editor changed."""
    derived = derived_locale(project, locale)
    done = []
    for slug in articles:
        path = (project.site_catalog(locale) if slug == SITE
                else project.article_catalog(locale, slug))
        path.parent.mkdir(parents=True, exist_ok=True)
        done.append(_refresh(project, derived, slug, path, True, True))
    return done
