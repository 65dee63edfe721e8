"""Which catalogs a command works on: the project's (by locale and article) or PO
files named on the command line, each with the label reports give it.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..catalog import pofile
from ..config import CONFIG_FILE, Project
from ..errors import (
    CatalogError,
    ConfigError,
    InputError,
)
from ..locales import validate_locale

SITE = "site"  # the article slot of the interface catalog in reports


@dataclass(frozen=True)
class CatalogRef:
    """A catalog a command works on."""

    path: Path
    label: str  # how reports name it: relative to the project, or as given
    locale: str | None
    article: str | None  # slug, "site", or None for a bare PO path


def ref_key(ref: CatalogRef) -> str:
    return "\0".join([str(ref.path), ref.label, ref.locale or "", ref.article or ""])


def project_catalogs(
    project: Project,
    locales: Sequence[str] = (),
    articles: Sequence[str] = (),
    include_site: bool = True,
) -> list[CatalogRef]:
    """The project's existing catalogs, filtered by locale and article slug.

    A locale the project does not translate into is an error (exit 2) that
    names the configured ones.
    """
    # a derived locale's catalogs (its overrides) are reviewed and checked like any
    configured = (*project.config.target_locales, *(d.locale for d in project.config.derived))
    chosen = [validate_locale(loc) for loc in locales] or list(configured)
    for locale in chosen:
        if locale not in configured:
            what = (
                "is the source language"
                if locale == project.config.source_locale
                else "is not configured"
            )
            raise ConfigError(
                f"locale {locale!r} {what}: the project translates into "
                f"{', '.join(configured) or 'no locale'} ([project] target_locales in "
                f"{CONFIG_FILE})"
            )
    refs: list[CatalogRef] = []
    for locale in chosen:
        folder = project.path("locales", locale, "articles", what="catalog folder")
        for path, label in _catalog_files(project, folder, articles):
            refs.append(CatalogRef(path, label, locale, path.stem))
        site = project.site_catalog(locale)
        if include_site and site.exists() and (not articles or SITE in articles):
            refs.append(CatalogRef(site, project.relative(site), locale, SITE))
    return refs


def _catalog_files(project: Project, folder: Path,
                   articles: Sequence[str] = ()) -> list[tuple[Path, str]]:
    """The ``*.po`` files of a checked catalog *folder* (only those of *articles*, if
    given), sorted, each checked to resolve inside the project, with its label
    (:meth:`Project.relative`). A file not asked for is not checked.

    A file that is not a symbolic link lies where its folder does, so it passes the check
    the folder passed and its label is the folder's plus its name: only links are
    resolved one by one (thousands of catalogs, each path resolved twice, was a quarter
    of a cold ``status``).
    """
    try:
        with os.scandir(folder) as listing:
            found = sorted((item.name, item.is_symlink()) for item in listing
                           if item.name.endswith(".po"))
    except OSError:  # no folder (or not one): no catalogs, as a glob finds none
        return []
    real = Path(os.path.realpath(folder))
    try:
        prefix: str | None = real.relative_to(project.root).as_posix() + "/"
    except ValueError:  # the project's root is spelled with a link: as relative() does
        prefix = None
    out = []
    for name, link in found:
        path = folder / name
        if articles and path.stem not in articles:
            continue
        if link:
            project.checked(path, "catalog")
            out.append((path, project.relative(path)))
        else:
            out.append((path, prefix + name if prefix is not None else str(path)))
    return out


def file_catalogs(paths: Sequence[str | Path], root: Path | None = None) -> list[CatalogRef]:
    """Catalogs given as paths; the locale comes from each header's ``Language``.

    A path inside the project at *root* (as written) must also resolve inside it: a
    shell glob over ``locales/`` may expand to a committed symbolic link. Paths
    outside the project are the caller's own choice.
    """
    from ..paths import inside

    refs = []
    real_root = Path(os.path.realpath(root)) if root is not None else None
    for given in paths:
        path = Path(given)
        if real_root is not None:
            absolute = Path(os.path.normpath(Path.cwd() / path))
            if absolute.is_relative_to(real_root):
                inside(real_root, absolute, "catalog")
        if not path.is_file():
            raise InputError("no such file", path=given)
        refs.append(CatalogRef(path, str(given), None, None))
    return refs

def require_catalogs(refs: Sequence[CatalogRef]) -> Sequence[CatalogRef]:
    if not refs:
        raise CatalogError("no catalogs found: run 'locflow sync' first, or name PO files")
    return refs

def catalog_locale(ref: CatalogRef, catalog: pofile.Catalog) -> str | None:
    """The locale of a catalog: the project's, else its ``Language`` header, else its path."""
    from ..locales import locale_from_path

    return ref.locale or catalog.language or locale_from_path(ref.path.resolve())
