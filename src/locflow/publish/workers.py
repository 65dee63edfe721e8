"""The articles of a build, on every core: what one pool task does.

A task decides and renders a few articles (:func:`build_articles`) and hands back, for
each, a :class:`Built`: the gate's records, the versions held back, the manifest's
records and the bytes of the files that changed. Nothing is written here; the driver
(:mod:`.build`) takes the results in the articles' order. A forked worker renders with
the parent's :class:`~.builder.Builder` (found in :data:`CURRENT`); a spawned one makes
its own, from the same templates and strings.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar, overload

from ..errors import LocflowError
from .builder import Builder, Version, inside
from .manifest import BUILD_FORMAT, BundleInputs, GateRecord, PageRecord, RecordKey
from .outputs import holds
from .pages import RenderedBundle, render_bundle, source_warnings
from .results import Bundle, HeldBack
from .site import BUNDLE_FILES, sha256

if TYPE_CHECKING:
    from ..config import Project
    from ..content import Article

_R = TypeVar("_R", GateRecord, PageRecord)

BATCH = 4  # articles per pool task (each a few renders)


@dataclass(frozen=True)
class Job:
    """What every pool task of one build shares (picklable)."""

    build: str  # this build's identifier: a forked worker finds its builder by it
    project: Project
    out: Path
    archive: bool
    templates_hash: str
    strings: tuple[str, ...]  # each locale's site strings digest
    settings: str  # digest of the settings every page shows


@dataclass(frozen=True)
class ArticleTask:
    article: Article
    gates: Mapping[RecordKey, GateRecord]  # the previous manifest's, of this article
    bundles: Mapping[RecordKey, PageRecord]


@dataclass
class Built:
    """One article's part of the build, as a pool worker hands it back."""

    warnings: list[str]
    gates: list[GateRecord] = field(default_factory=list)  # of target-language versions
    held_back: list[HeldBack] = field(default_factory=list)
    records: list[PageRecord] = field(default_factory=list)  # the manifest's bundles
    bundles: list[Bundle] = field(default_factory=list)
    files: dict[str, bytes] = field(default_factory=dict)  # rendered: relative path → bytes
    rendered: list[str] = field(default_factory=list)  # "<tag>/<slug>" of each rendered one
    failure: LocflowError | None = None  # rendering failed (reported after every gate)


#: The builders of the builds in progress, by identifier: set before the pool forks, so
#: workers render with the parent's builder instead of compiling the templates again.
CURRENT: dict[str, Builder] = {}


def by_article(records: Mapping[RecordKey, _R]) -> dict[str, dict[RecordKey, _R]]:
    """The previous manifest's records, grouped by article (a task carries its own)."""
    grouped: dict[str, dict[RecordKey, _R]] = {}
    for key, record in records.items():
        grouped.setdefault(key[0], {})[key] = record
    return grouped


def batches(items: list[ArticleTask], size: int) -> list[list[ArticleTask]]:
    return [items[i:i + size] for i in range(0, len(items), size)]


def worker_builder(job: Job) -> Builder:
    """The build's :class:`~.builder.Builder` in this process: the parent's (one process,
    or a forked worker), else one of its own, from the same templates and strings."""
    if job.build in CURRENT:
        return CURRENT[job.build]
    builder = Builder(job.project, job.out, job.archive)
    if (builder.templates_hash != job.templates_hash
            or tuple(builder.strings[locale].digest for locale in builder.locales)
            != job.strings):
        raise LocflowError("the templates or interface strings changed during the build")
    CURRENT.clear()  # (a spawned worker: serves one build)
    CURRENT[job.build] = builder
    return builder


def build_articles(task: tuple[Job, list[ArticleTask]]) -> list[Built]:
    """Decide and render a few articles (one pool task)."""
    job, items = task
    builder = worker_builder(job)
    return [build_article(builder, job, item) for item in items]


@overload
def build_article(builder: Builder, job: Job, item: ArticleTask) -> Built: ...


@overload
def build_article(builder: Builder, job: Job, item: ArticleTask, *, unchanged_only: bool
                  ) -> Built | None: ...


def build_article(builder: Builder, job: Job, item: ArticleTask, *,
                  unchanged_only: bool = False) -> Built | None:
    """Decide and render the versions of one article; with *unchanged_only*, None unless
    the previous build's gate decisions and bundles all hold (nothing to evaluate or
    render)."""
    article = item.article
    decided = [builder.decide(article, locale, item.gates, not unchanged_only)
               for locale in builder.locales]
    versions = [v for v in decided if v is not None]
    if len(versions) < len(decided):
        return None
    published = [v for v in versions if v.published]
    built = Built(source_warnings(builder.project, article))
    for version in versions:
        if not version.is_source:
            built.gates.append(version.record())
        if not version.published:
            built.held_back.append(HeldBack(article.slug, version.locale, version.tag,
                                            version.reason or "", version.review))
            continue
        inputs = _inputs(builder, job, version, published)
        input_hash = inputs.digest
        base = f"{version.tag}/{article.slug}/"
        record = _unchanged(item.bundles.get((article.slug, version.tag)), input_hash, base,
                            job.out)
        rendered = record is None
        if record is None:
            if unchanged_only:
                return None
            if built.failure is not None:
                continue  # this article's build failed already: the error is reported
            try:
                page = render_bundle(builder, version, [v.locale for v in published])
            except LocflowError as exc:
                built.failure = exc
                continue
            record = _rendered(built, job, version, inputs, input_hash, page)
        built.records.append(record)
        built.bundles.append(Bundle(article.slug, version.locale, version.tag, record.url,
                                    dict(record.files), rendered, version.review))
    return built


def _inputs(builder: Builder, job: Job, version: Version, published: Sequence[Version]
            ) -> BundleInputs:
    """What the bundle of *version* depends on."""
    return BundleInputs(BUILD_FORMAT, version.article.source_hash, version.catalog_hash,
                        version.gate_key, builder.strings[version.locale].digest,
                        job.templates_hash, job.settings, tuple(v.tag for v in published))


def _unchanged(old: PageRecord | None, input_hash: str, base: str, out: Path
               ) -> PageRecord | None:
    """The previous build's record of the bundle in folder *base*, if its inputs did not
    change and its files are there."""
    # the previous manifest is a file in the output folder, not trusted: its record is
    # reused only for exactly this bundle's files (an archive reads them)
    if (old is not None and old.input_hash == input_hash
            and set(old.files) == {base + name for name in BUNDLE_FILES}
            and all((out / name).is_file() for name in old.files)):
        return old
    return None


def _rendered(built: Built, job: Job, version: Version, inputs: BundleInputs, input_hash: str,
              page: RenderedBundle) -> PageRecord:
    """Add the files of a freshly rendered bundle to *built* (those that changed); its
    record."""
    base = f"{version.tag}/{version.article.slug}/"
    files = {base + "index.html": page.html, base + "article.json": page.data}
    for name, content in files.items():
        if not holds(inside(job.out, name), content):
            built.files[name] = content  # (identical files: not sent, not written)
    built.rendered.append(f"{version.tag}/{version.article.slug}")
    return PageRecord(version.article.slug, version.tag, page.url, page.title, page.summary,
                      page.date, inputs, input_hash,
                      {name: sha256(content) for name, content in files.items()}, version.review,
                      page.modified)
