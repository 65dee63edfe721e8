"""The build's driver: :func:`build_site`, step by step.

1. the output folder is checked and the previous build read (:class:`~.builder.Builder`);
2. every article is decided and rendered: those the previous build vouches for here,
   the others on every core (:mod:`.workers`), taken back in the articles' order;
3. the locale index pages and feeds, the sitemaps and ``robots.txt`` are rendered
   (:mod:`.pages`, :mod:`.feeds`, :mod:`.outputs`, :mod:`.search`);
4. the archives are made, every file is renamed into place at once, and what is no
   longer built is removed;
5. the manifest is written, last (:mod:`.manifest`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import LocflowError
from ..locales import bcp47_tag
from . import outputs, workers
from .builder import Builder, resolve_out
from .feeds import render_feeds
from .manifest import GateRecord, Manifest, PageRecord
from .outputs import Output
from .pages import render_index
from .reported import Reported
from .search import render_news_sitemap, render_robots
from .site import MANIFEST, NEWS_SITEMAP, ROBOTS, SITEMAP, digest, sha256
from .workers import ArticleTask, Built, Job

if TYPE_CHECKING:
    from ..config import Project
    from ..content import Article
    from .results import BuildResult

Progress = Callable[[str], None]


def build_site(project: Project, out: str | Path | None = None, archive: bool = False,
               *, progress: Progress | None = None) -> BuildResult:
    """Build the localized bundles of *project* into *out* (default: ``[build] out``).

    A relative *out* is taken relative to the project root. With *archive*, one
    zip per published locale is written to ``<out>/archives/<lang>.zip``.
    Returns what was built, what was held back and why, and which files changed.

    Articles are decided and rendered on every core (:func:`~locflow.parallel.map_ordered`),
    the rest in this process from their results, in the articles' order: the output is
    byte for byte a single process's. Each rendered file goes to a temporary beside its
    place as it comes (a large site is never held in memory); none is renamed until
    everything is rendered, then all of them after one durability barrier
    (:class:`~locflow.catalog.storage.Commit`); stale files are removed, and the
    manifest is written last.
    """
    from ..catalog.pofile import remove_stale_temporaries
    from ..content import read_articles

    out_dir = resolve_out(project, out)
    out_dir.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(out_dir)  # a killed build's: never deployed
    builder = Builder(project, out_dir, archive)
    articles = read_articles(project.content_dir, builder.config.fields)
    builder.check_templates()
    job = _job(builder)
    # 1-2. the gate and the bundles of each article: those the previous build vouches for
    # here (a few reads and hashes each), the others in pool workers; nothing is written yet
    items = _tasks(builder, articles)
    unchanged = [workers.build_article(builder, job, item, unchanged_only=True)
                 for item in items]
    with Output(builder, keep_bytes=archive) as output:
        records, gates = _gather(builder, job, items, unchanged, output, progress)
        # 3. locale index pages and feeds, sitemaps, robots.txt
        pages = _add_pages(builder, records, output)
        _report_site_strings(builder)
        # 4. archives; every file written at once; then remove what is no longer built
        archives = _finish_files(builder, records, pages, output)
        # 5. the manifest, last: it vouches for everything above
        _write_manifest(builder, records, gates, pages, archives)
    result = builder.result
    result.archives = sorted(archives)
    result.written.sort()
    result.removed.sort()
    return result


def _job(builder: Builder) -> Job:
    """What every pool task of this build shares."""
    import os

    config = builder.config
    settings = {"base_url": config.base_url, "name": config.name, "copyright": config.copyright,
                "embeds": list(config.embeds),
                "source_locale": config.source_locale}
    return Job(os.urandom(8).hex(), builder.project, builder.out, builder.archive,
               builder.templates_hash,
               tuple(builder.strings[locale].digest for locale in builder.locales),
               digest(settings))


def _tasks(builder: Builder, articles: Sequence[Article]) -> list[ArticleTask]:
    """One task per article, with the previous build's records of it."""
    gates_of = workers.by_article(builder.previous.gates)
    bundles_of = workers.by_article(builder.previous.bundles)
    return [ArticleTask(article, gates_of.get(article.slug, {}),
                        bundles_of.get(article.slug, {})) for article in articles]


def _gather(builder: Builder, job: Job, items: list[ArticleTask],
            unchanged: list[Built | None], output: Output, progress: Progress | None
            ) -> tuple[list[PageRecord], list[GateRecord]]:
    """Every article's part, in the articles' order: *unchanged*'s, else rendered in pool
    workers (forked: they find this builder in :data:`~.workers.CURRENT`). Its files go
    to *output*; the manifest's records are returned."""
    from ..parallel import map_ordered

    result = builder.result
    tasks = [(job, batch) for batch in workers.batches(
        [item for item, built in zip(items, unchanged, strict=True) if built is None],
        workers.BATCH)]
    records: list[PageRecord] = []
    gates: list[GateRecord] = []
    failure: LocflowError | None = None
    reported = Reported(builder.project)
    workers.CURRENT[job.build] = builder
    try:
        fresh = (built for batch in map_ordered(workers.build_articles, tasks)
                 for built in batch)
        for item, kept in zip(items, unchanged, strict=True):
            built = kept if kept is not None else next(fresh)
            # a source's warnings once per version of it (sync may have reported them)
            result.warnings += reported.fresh(item.article.path, item.article.source_hash,
                                              built.warnings)
            gates += built.gates
            result.held_back += built.held_back
            records += built.records
            result.bundles += built.bundles
            output.add(built.files)
            if progress is not None:
                for name in built.rendered:
                    progress(name)
            if failure is None:
                failure = built.failure
    finally:
        del workers.CURRENT[job.build]
    # a single process decided every version before rendering any: a broken catalog
    # (raised above, in the articles' order) is the error reported before a render's
    if failure is not None:
        raise failure
    reported.save()
    return records, gates


def _add_pages(builder: Builder, records: list[PageRecord], output: Output) -> dict[str, str]:
    """Render each live locale's index page and feeds, the sitemaps and ``robots.txt`` into
    *output*; name → SHA-256. (Each is rendered again from the records; the output writes
    only those whose bytes changed.)"""
    pages: dict[str, str] = {}
    by_tag: dict[str, list[PageRecord]] = {}
    for record in records:
        by_tag.setdefault(record.locale, []).append(record)
    live = [locale for locale in builder.locales if bcp47_tag(locale) in by_tag]
    tags = [bcp47_tag(locale) for locale in live]
    versions: dict[str, list[PageRecord]] = {}  # slug → its published versions, locale order
    for tag in tags:
        for record in by_tag[tag]:
            versions.setdefault(record.article, []).append(record)
    files: dict[str, bytes] = {}
    for locale in live:
        tag = bcp47_tag(locale)
        files[f"{tag}/index.html"] = render_index(builder, locale, by_tag[tag], live)
        files.update(render_feeds(builder, locale, by_tag[tag], versions))
    files[SITEMAP] = outputs.render_sitemap(builder, records, live)
    config = builder.config
    news = render_news_sitemap(records, base_url=config.base_url, name=config.name,
                               days=config.news_days, order=tags)
    if news is not None:
        files[NEWS_SITEMAP] = news
    files[ROBOTS] = render_robots(config.base_url, [n for n in (SITEMAP, NEWS_SITEMAP)
                                                    if n in files])
    for name, data in files.items():
        pages[name] = sha256(data)
        output.add({name: data})
    return pages


def _report_site_strings(builder: Builder) -> None:
    for locale in builder.locales:
        summary = builder.strings[locale].summary()
        if locale != builder.config.source_locale:
            builder.result.site_strings[bcp47_tag(locale)] = summary
            builder.result.warnings += builder.strings[locale].warnings


def _finish_files(builder: Builder, records: list[PageRecord], pages: dict[str, str],
                  output: Output) -> dict[str, str]:
    """Add the archives (with *archive*), write every file at once, remove the files this
    build no longer makes; the archives' name → SHA-256."""
    keep = set(pages) | {name for r in records for name in r.files}
    archives: dict[str, str] = {}
    if output.kept is not None:  # (archive: the zips are made of the files' bytes)
        archives = outputs.make_archives(builder, records, pages, output.kept)
        output.add({name: output.kept[name] for name in archives})
        keep |= set(archives)
    output.finish()
    outputs.remove_stale(builder, keep)
    return archives


def _write_manifest(builder: Builder, records: list[PageRecord], gates: list[GateRecord],
                    pages: dict[str, str], archives: dict[str, str]) -> None:
    config = builder.config
    manifest = Manifest(
        base_url=config.base_url,
        source_locale=bcp47_tag(config.source_locale),
        locales=tuple(bcp47_tag(locale) for locale in builder.locales),
        policy=builder.policy.as_dict(),
        templates=builder.templates_hash,
        site_strings={bcp47_tag(locale): {**builder.strings[locale].summary(),
                                          "hash": builder.strings[locale].digest}
                      for locale in config.target_locales},
        bundles=records,
        held_back=builder.result.held_back,
        gates=gates,
        pages=pages,
        archives=archives,
    )
    builder.write(MANIFEST, manifest.dump())
