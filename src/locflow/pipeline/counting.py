"""The ``status`` stage: review states counted per catalog, on every core, kept.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..catalog import pofile
from ..config import Project
from ..filecache import Stamp, read_stamped
from ..parallel import map_ordered
from ..review import StateCounts
from .catalogs import CatalogRef, catalog_locale, ref_key
from .results import in_batches, result_cache


@dataclass(frozen=True)
class CatalogStatus:
    ref: CatalogRef
    locale: str | None
    counts: StateCounts

    def as_dict(self) -> dict[str, object]:
        return {
            "path": self.ref.label,
            "locale": self.locale,
            "article": self.ref.article,
            **self.counts.as_dict(),
        }


def status(refs: Sequence[CatalogRef], *, project: Project | None = None) -> list[CatalogStatus]:
    """Count review states per catalog, on every core for a project. Writes no catalog.

    With *project*, counts are kept in ``.locflow/`` and a catalog is only read
    again when it changed.
    """

    cache = result_cache(project, "status", "")
    out: list[CatalogStatus | None] = [None] * len(refs)
    todo: list[int] = []
    for index, ref in enumerate(refs):
        kept = cache.get(ref_key(ref), [ref.path]) if cache else None
        if kept is None:
            todo.append(index)
            continue
        try:
            out[index] = CatalogStatus(ref, kept["locale"], StateCounts(**kept["counts"]))
        except (TypeError, KeyError):  # not kept (or kept in another shape)
            todo.append(index)
    batches = in_batches(todo)
    tasks = [([refs[i] for i in batch], cache is not None) for batch in batches]
    # A catalog is counted in a fraction of a millisecond: below a few hundred, starting
    # the pool costs more than it saves.
    counted = map_ordered(_status_some, tasks, min_items=_STATUS_POOL_TASKS)
    for batch, rows in zip(batches, counted, strict=True):
        for index, (locale, counts, stamped) in zip(batch, rows, strict=True):
            ref = refs[index]
            out[index] = CatalogStatus(ref, locale, counts)
            if cache is not None and stamped is not None:
                cache.put(ref_key(ref), {ref.path: stamped},
                          {"locale": locale, "counts": dict(vars(counts))})
    if cache is not None:
        cache.save()
    return [row for row in out if row is not None]


_STATUS_POOL_TASKS = 32  # tasks of in_batches(): 512 catalogs

def _status_some(
    task: tuple[list[CatalogRef], bool],
) -> list[tuple[str | None, StateCounts, Stamp | None]]:
    """The locale, counts and (if *stamped*) stamp of each catalog of one task: only
    what the caller lacks goes back through the pool."""
    refs, stamped = task
    out = []
    for ref in refs:
        data, kept = _read(ref.path, stamped)
        # counted from the bytes: no entry is built for most messages (pofile.read_counts)
        header, counts = pofile.read_counts(data, ref.path)
        out.append((catalog_locale(ref, pofile.Catalog(header=header)), counts, kept))
    return out


def _read(path: Path, stamped: bool) -> tuple[bytes, Stamp | None]:
    """The catalog's bytes and, if *stamped*, their stamp, from one read: an unreadable
    file is the error :func:`pofile.load` reports (a stat that fails: no stamp)."""
    if stamped:
        with contextlib.suppress(OSError):
            return read_stamped(path)
    return pofile.read_bytes(path), None


@dataclass(frozen=True)
class DerivedStatus:
    """A derived locale: its overrides, and those that no longer correct today's
    conversion of the base translation (stale: fuzzy, or made for an older text)."""

    locale: str
    base: str
    convert: str
    overrides: int
    stale: tuple[tuple[str, int], ...]  # (catalog label, stale overrides), where any

    def as_dict(self) -> dict[str, object]:
        return {"locale": self.locale, "from": self.base, "convert": self.convert,
                "overrides": self.overrides,
                "stale": [{"path": label, "entries": n} for label, n in self.stale]}


def derived_status(project: Project, refs: Sequence[CatalogRef]) -> list[DerivedStatus]:
    """The derived locales of *project* whose catalogs are among *refs*, or which
    *refs* leave out only because they have none (they have no overrides)."""
    from ..derived import entry_converter, overrides_in
    from ..glossary import load
    from .catalogs import SITE

    found = []
    for derived in project.config.derived:
        mine = [ref for ref in refs if ref.locale == derived.locale]
        run = entry_converter(derived, load(project, derived.base), load(project, derived.locale))
        total, stale = 0, []
        for ref in mine:
            base_path = (project.site_catalog(derived.base) if ref.article == SITE
                         else project.article_catalog(derived.base, ref.path.stem))
            data = pofile.read_optional(base_path)
            base = pofile.parse(data, base_path).index() if data is not None else {}
            n, late = overrides_in(pofile.load(ref.path), base, run)
            total += n
            if late:
                stale.append((ref.label, late))
        found.append(DerivedStatus(derived.locale, derived.base, derived.convert, total,
                                   tuple(stale)))
    return found

