"""Translations behind their English article: what a living page shows from an earlier
version, and for how long (shared by ``status`` and ``check --max-behind``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from ..config import Project
from .catalogs import SITE, CatalogRef


@dataclass(frozen=True)
class Behind:
    """A published translation that follows an earlier English version of its article."""

    ref: CatalogRef
    locale: str | None
    outdated: int  # entries shown from an earlier version (or in English)
    updated: dt.date | None  # when the English article last changed (updated:, else date:)
    days: int | None  # since then

    def as_dict(self) -> dict[str, object]:
        return {"path": self.ref.label, "locale": self.locale, "article": self.ref.article,
                "outdated": self.outdated,
                "english_updated": self.updated.isoformat() if self.updated else None,
                "days_behind": self.days}


def behind(project: Project, rows: Sequence[tuple[CatalogRef, str | None, int]],
           today: dt.date) -> list[Behind]:
    """The article catalogs among *rows* (catalog, locale, outdated entries) that hold
    outdated entries, most urgent first (the longest since the English update, then the
    most entries)."""
    from ..content import find_article_files, read_article

    wanted = {ref.article for ref, _, outdated in rows
              if outdated and ref.article is not None and ref.article != SITE}
    updated: dict[str, dt.date | None] = {}
    if wanted:
        fields = project.config.fields
        guesses = [project.content_dir / f"{slug}.md" for slug in sorted(wanted)]
        for path in [*guesses, *find_article_files(project.content_dir)]:
            if not wanted - updated.keys():
                break
            if path.is_file():
                article = read_article(path, fields)
                if article.slug in wanted:
                    updated.setdefault(article.slug, article.updated)
    out = []
    for ref, locale, outdated in rows:
        if not outdated:
            continue
        date = updated.get(ref.article or "")
        out.append(Behind(ref, locale, outdated, date,
                          (today - date).days if date is not None else None))
    return sorted(out, key=lambda b: (-(b.days or 0), -b.outdated, b.ref.label))
