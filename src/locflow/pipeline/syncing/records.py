"""What a sync did, and what it plans before it writes: plain records.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ...catalog import pofile
from ...catalog.merge import MergeStats
from ...config import Project

if TYPE_CHECKING:
    from ...memory import PrefillStats, Unit
    from .overrides import OverrideSync


@dataclass(frozen=True)
class CatalogSync:
    path: Path
    locale: str
    article: str  # slug, or "site"
    created: bool
    written: bool
    stats: MergeStats
    memory: PrefillStats | None = None  # entries pre-filled from the translation memory


@dataclass
class SyncResult:
    articles: int = 0
    templates_written: list[Path] = field(default_factory=list)
    catalogs: list[CatalogSync] = field(default_factory=list)
    orphaned: list[Path] = field(default_factory=list)  # catalogs of articles no longer in content/
    # "file:line: ..." to print: raw HTML removed from a source new or changed since its
    # warnings were reported (publish.Reported), a catalog the memory cannot read
    warnings: list[str] = field(default_factory=list)
    # every article's warnings about its source, reported before or not (sync --warnings)
    source_warnings: list[str] = field(default_factory=list)
    overrides: list[OverrideSync] = field(default_factory=list)  # derived locales' catalogs

    @property
    def written(self) -> list[CatalogSync]:
        return [c for c in self.catalogs if c.written]

@dataclass(frozen=True)
class KeptArticle:
    """What syncing an unchanged article again would do: nothing, with these counts."""

    slug: str
    warnings: list[str]
    catalogs: list[tuple[str, int, bool]]  # locale, entries (kept), untranslated entries?

    def as_json(self) -> object:
        return {"slug": self.slug, "warnings": self.warnings,
                "catalogs": [list(c) for c in self.catalogs]}

    @classmethod
    def from_json(cls, kept: object) -> KeptArticle | None:
        try:
            assert isinstance(kept, dict)
            slug, warnings, catalogs = kept["slug"], kept["warnings"], kept["catalogs"]
            assert isinstance(slug, str) and isinstance(warnings, list)
            return cls(slug, [str(w) for w in warnings],
                       [(str(locale), int(n), bool(untranslated))
                        for locale, n, untranslated in catalogs])
        except (AssertionError, KeyError, TypeError, ValueError):
            return None

@dataclass
class PlannedArticle:
    """An article's template and catalogs, merged in memory (nothing written yet)."""

    name: str  # slug, or "site"
    # the files it changes: path, before, after, locale (None: the template)
    plans: list[tuple[Path, bytes | None, bytes, str | None]]
    catalogs: list[CatalogSync] = field(default_factory=list)
    templates_written: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    memory_warnings: list[str] = field(default_factory=list)  # from refreshing the memory
    units: dict[Path, list[Unit]] = field(default_factory=dict)  # of the changed catalogs
    site: bool = False  # the interface strings, not an article
    kept: KeptArticle | None = None  # what syncing it again would do (nothing)
    digests: dict[Path, str] = field(default_factory=dict)  # every file's, as planned
    untranslated: list[bool] = field(default_factory=list)  # per catalog: left for memory
    refreshed: bool = False  # this worker brought the memory up to date
    # the article's file and source hash, when read and merged (not kept, not the site)
    source: tuple[Path, str] | None = None

    def planned(self, plan: pofile.PlannedWrite, locale: str | None) -> None:
        """Add *plan* (of the catalog of *locale*, or of the template): only a file that
        changes travels with its bytes (back from a pool worker)."""
        self.digests[plan.path] = hashlib.sha256(plan.after).hexdigest()
        if plan.changed:
            self.plans.append((plan.path, plan.before, plan.after, locale))

    @classmethod
    def of_kept(cls, project: Project, slug: str, kept: KeptArticle, prefill: bool, *,
                catalog_of: Callable[[str], Path] | None = None,
                catalogs: Mapping[str, Path] | None = None) -> PlannedArticle:
        """An article (or the site: *catalog_of*) left as the last sync left it: its
        catalogs (*catalogs*, by locale, where the caller has their paths), unchanged."""
        memory: PrefillStats | None = None
        if prefill:
            from ...memory import PrefillStats

            memory = PrefillStats()

        def path_of(locale: str) -> Path:
            if catalog_of is not None:
                return catalog_of(locale)
            known = catalogs.get(locale) if catalogs is not None else None
            return known if known is not None else project.article_catalog(locale, slug)

        synced = [CatalogSync(path_of(locale), locale, slug, False, False,
                              MergeStats(kept=entries), memory)
                  for locale, entries, _ in kept.catalogs]
        return cls(slug, [], synced, warnings=list(kept.warnings),
                   site=catalog_of is not None)
