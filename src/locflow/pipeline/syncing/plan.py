"""An article's template and catalogs merged in memory (nothing written): the
``msgmerge --previous`` step with glossary notes and memory pre-fill.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from ...catalog import pofile
from ...catalog.merge import MergeStats, merge, template_entry
from ...config import Project
from ...errors import (
    InputError,
)
from ...glossary import Glossary, annotate
from ...glossary import load as load_glossary
from ...locales import plural_forms
from ...model import ReviewState, Segment
from ...review import entry_state, previous_approval, today
from .memory import RunMemory
from .records import CatalogSync, KeptArticle, PlannedArticle

if TYPE_CHECKING:
    from ...content import Article
    from ...memory import PrefillStats, Unit


def template_header(project: Project) -> dict[str, str]:
    return {
        "Project-Id-Version": project.config.name,
        "Report-Msgid-Bugs-To": "",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
    }


def catalog_header(project: Project, locale: str) -> dict[str, str]:
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M+0000")
    return {
        "Project-Id-Version": project.config.name,
        "Report-Msgid-Bugs-To": "",
        "PO-Revision-Date": now,
        "Last-Translator": "",
        "Language-Team": "",
        "Language": locale,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": plural_forms(locale),
    }


def plan_template(
    path: Path, header: dict[str, str], segments: Sequence[Segment]
) -> pofile.PlannedWrite:
    """The POT for *segments*, planned (nothing written). locflow owns templates: the
    existing file is compared, never parsed."""
    template = pofile.new_catalog(header, path=path)
    template.entries = [template_entry(segment) for segment in segments]
    return pofile.PlannedWrite(path, pofile.read_optional(path), pofile.dump(template))


@dataclass
class PlannedCatalog:
    """A catalog merged in memory: the write it needs, and what the merge did."""

    plan: pofile.PlannedWrite
    stats: MergeStats
    prefilled: PrefillStats | None = None
    units: list[Unit] | None = None  # its translation memory units, when asked for
    untranslated: bool = False  # entries the memory was asked to fill and could not


def plan_catalog(
    path: Path,
    locale: str,
    header: dict[str, str],
    segments: Sequence[Segment],
    threshold: float,
    *,
    glossary: Glossary | None = None,
    prefill: Callable[[pofile.Catalog], PrefillStats] | None = None,
    before: bytes | Literal["read"] | None = "read",
    units: Callable[[pofile.Catalog, dict[int, int]], list[Unit]] | None = None,
) -> PlannedCatalog:
    """The merged catalog at *path* (created if missing), planned: nothing is written.

    Each active entry's extracted comment gets a ``glossary:`` line per term of
    *glossary* its source contains. *prefill*, if given, fills untranslated
    entries after the merge (from the translation memory). *before* is the file's
    current bytes if the caller has them (None: no file). *units*, if given, works
    out the merged catalog's memory units (with the entries' lines in the new bytes).
    Raises :class:`CatalogError` for a catalog that cannot be parsed.
    """

    def merged(before: bytes | None) -> tuple[bytes, PlannedCatalog]:
        if before is None:
            catalog = pofile.new_catalog(header, path=path)
        else:
            catalog = pofile.parse(before, path)
        meta = catalog.metadata()
        if not meta.get("Language"):
            catalog.set_metadata("Language", locale)
        if not meta.get("Plural-Forms"):
            catalog.set_metadata("Plural-Forms", plural_forms(locale))
        stats = merge(catalog, segments, threshold=threshold)
        if glossary is not None:
            for entry in catalog.active():
                comment = annotate(entry.comment or "", entry.msgid, glossary)
                if comment != (entry.comment or ""):
                    entry.comment = comment
        if stats.fuzzy:
            carry_corrections(catalog, locale)
        prefilled = prefill(catalog) if prefill is not None else None
        lines: dict[int, int] = {}
        after = pofile.dump(catalog, lines=lines)
        found = units(catalog, lines) if units is not None and after != before else None
        placeholder = pofile.PlannedWrite(path, before, after)
        untranslated = prefill is not None and any(_untranslated(e) for e in catalog.entries)
        return after, PlannedCatalog(placeholder, stats, prefilled, found, untranslated)

    if before == "read":
        before = pofile.read_optional(path)
    after, done = merged(before)
    done.plan = pofile.PlannedWrite(path, before, after, redo=lambda now: merged(now)[0])
    return done


def carry_corrections(catalog: pofile.Catalog, locale: str) -> int:
    """Carry a change of numbers only in the source into the translation of each entry
    the merge just made fuzzy, as a ``correction`` draft (still fuzzy, for an editor to
    approve in one step); anything else is left as the merge left it. Only a translation
    an editor approved is corrected: its approved text stays on record (the
    ``locflow-previous`` line), so no human text is lost. Returns how many entries were
    corrected."""
    from ...corrections import correct
    from ...provenance import Provenance, draft_hash, provenance, set_provenance, source_hash

    corrected = 0
    for entry in catalog.active():
        if (entry.previous_msgid is None or entry.msgid_plural or not entry.msgstr
                or entry_state(entry) is not ReviewState.FUZZY
                or provenance(entry) is not None or previous_approval(entry) is None):
            continue
        fix = correct(entry.previous_msgid, entry.msgid, entry.msgstr, locale)
        if fix is None:
            continue
        entry.msgstr = fix.text
        set_provenance(entry, Provenance(
            "correction", "+".join(f"{a}→{b}" for a, b in fix.changes), today(),
            source_hash(entry.msgctxt, entry.msgid), notes=(f"draft {draft_hash(fix.text)}",)))
        corrected += 1
    return corrected


def _untranslated(entry: pofile.Entry) -> bool:
    from ...memory.prefill import needs_prefill

    return needs_prefill(entry)

@dataclass(frozen=True)
class ToSync:
    """An article to merge, as :func:`read_sources` read it: it is read again where it is
    merged (a pool worker), and must not have changed since."""

    path: Path
    slug: str
    digest: str  # its source hash when first read

    def read(self, project: Project) -> Article:
        from ...content import read_article

        article = read_article(self.path, project.config.fields)
        if article.slug != self.slug or article.source_hash != self.digest:
            raise InputError("changed while locflow was reading it; run again", path=self.path)
        return article

def plan_articles(task: tuple[Project, list[ToSync], str]) -> list[PlannedArticle]:
    """Plan a few articles (one pool task). *run* names the sync ("": no memory pre-fill)."""
    project, items, run = task
    from ...segment import segment_article  # markdown-it: only when articles are segmented

    lookup = RunMemory.of_run(project, run) if run else None
    glossaries = {locale: load_glossary(project, locale)
                  for locale in project.config.target_locales}
    out = []
    for item in items:
        article = item.read(project)
        segments = segment_article(article, project.config.fields,
                                   source=project.relative(article.path))
        done = plan_one(
            project, article.slug, project.article_template(article.slug),
            [(locale, project.article_catalog(locale, article.slug))
             for locale in project.config.target_locales],
            segments, lookup, glossaries)
        done.warnings[:0] = source_warnings(project, article)
        done.source = (article.path, article.source_hash)
        entries = len({(segment.context, segment.msgid) for segment in segments})
        done.kept = KeptArticle(article.slug, list(done.warnings), [
            (c.locale, entries, untranslated)
            for c, untranslated in zip(done.catalogs, done.untranslated, strict=True)])
        out.append(done)
    if out and lookup is not None:  # (the memory stays open for the run's next task)
        out[-1].memory_warnings += lookup.warnings
        lookup.warnings.clear()
        out[-1].refreshed = lookup.refreshed
    return out

def replanner(project: Project, item: ToSync | None, locale: str, path: Path,
               lookup: RunMemory | None) -> Callable[[bytes | None], bytes]:
    """Merge the catalog at *path* (of the article *item*, or of the site) again from
    *now*, its bytes when another process changed it after it was planned (under the
    lock, in :func:`pofile.commit`)."""
    # a partial, not a closure: a large sync holds one per file it writes
    return functools.partial(_replan, project, item, locale, path, lookup)


def _replan(project: Project, item: ToSync | None, locale: str, path: Path,
            lookup: RunMemory | None, now: bytes | None) -> bytes:
    if item is None:
        segments: Sequence[Segment] = site_segments(project)
    else:
        from ...segment import segment_article

        article = item.read(project)
        segments = segment_article(article, project.config.fields,
                                   source=project.relative(article.path))
    return _merged_bytes(project, path, locale, segments, lookup, now)


def _merged_bytes(project: Project, path: Path, locale: str, segments: Sequence[Segment],
                  lookup: RunMemory | None, before: bytes | None
                  ) -> bytes:
    return plan_catalog(
        path, locale, catalog_header(project, locale), segments,
        project.config.fuzzy_threshold, glossary=load_glossary(project, locale),
        prefill=lookup.prefiller(locale) if lookup is not None else None, before=before,
    ).plan.after


def plan_one(
    project: Project,
    name: str,
    template_path: Path,
    catalogs: list[tuple[str, Path]],
    segments: Sequence[Segment],
    lookup: RunMemory | None,
    glossaries: Mapping[str, Glossary] | None = None,
) -> PlannedArticle:
    template = plan_template(template_path, template_header(project), segments)
    done = PlannedArticle(name, [])
    done.planned(template, None)
    if template.changed:
        done.templates_written.append(template_path)
    for locale, path in catalogs:
        planned = plan_catalog(
            path,
            locale,
            catalog_header(project, locale),
            segments,
            project.config.fuzzy_threshold,
            glossary=(glossaries[locale] if glossaries is not None
                      else load_glossary(project, locale)),
            prefill=lookup.prefiller(locale) if lookup is not None else None,
            units=lookup.units_of(locale) if lookup is not None else None,
        )
        plan = planned.plan
        done.planned(plan, locale)
        done.untranslated.append(planned.untranslated)
        if planned.units is not None:
            done.units[plan.path] = planned.units
        done.catalogs.append(CatalogSync(path, locale, name, plan.before is None,
                                         plan.changed, planned.stats, planned.prefilled))
    return done


def source_warnings(project: Project, article: Article) -> list[str]:
    from ...publish import source_warnings

    return source_warnings(project, article)


def site_segments(project: Project) -> list[Segment]:
    """The interface strings of the site's HTML templates."""
    from ...publish import site_segments as extract

    return list(extract(project))
