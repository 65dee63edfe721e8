"""``locflow build``: localized article bundles, built only from reviewed text.

For every article and every locale whose version passes the publishing gate
(:mod:`.gate`), :func:`build_site` writes::

    <out>/<lang>/<slug>/index.html     the page (templates/article.html)
    <out>/<lang>/<slug>/article.json   title, summary, date, URLs, hashes, review summary
    <out>/<lang>/index.html            the locale's articles, newest first
    <out>/sitemap.xml                  every page, with xhtml:link hreflang alternates
    <out>/manifest.json                bundles with input hashes and file SHA-256s; held-back
                                       versions with their reasons
    <out>/archives/<lang>.zip          with ``archive=True``: one archive per locale

``<lang>`` is the BCP 47 tag (``en``, ``zh-Hans``). The source-language version
is always built. Builds are deterministic (same inputs, same bytes) and
incremental: each bundle's input hash (source, catalog, site strings,
templates, settings, published alternates) is kept in the manifest, and a
bundle whose inputs did not change is not rendered again. Articles are rendered
on every core (``LOCFLOW_JOBS``), with the bytes of one process; nothing is
written until everything is rendered, then every file at once, atomically
(identical bytes are not written again), the manifest last. Bundles of deleted
or no longer published articles are removed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, overload

from ..errors import ConfigError, InputError, LocflowError, excerpt
from ..locales import bcp47_tag, display_name
from ..model import ReviewState
from .gate import EntryView, GateResult, Key, Policy, evaluate
from .interface import effective_templates, site_segments, site_strings, templates_hash
from .site import digest, dump_json, dump_manifest, page_url, sha256

if TYPE_CHECKING:
    import jinja2

    from ..config import Project
    from ..content import Article
    from ..model import Segment
    from .interface import SiteStrings

__all__ = ["BuildResult", "Bundle", "HeldBack", "Policy", "Preview", "build_site", "preview_page",
           "site_segments", "source_warnings"]

#: Bump when the output of the same inputs changes (forces a full rebuild).
#: 2: the gate holds back entries on which error-level content checks fail.
#: 3: raw HTML published, sanitized; task lists, footnotes, breadcrumb section.
BUILD_FORMAT = 3
MANIFEST = "manifest.json"
SITEMAP = "sitemap.xml"
ARCHIVES = "archives"
BUNDLE_FILES = ("index.html", "article.json")


@dataclass(frozen=True)
class Bundle:
    """One published locale version of an article."""

    article: str  # slug
    locale: str  # Babel identifier (zh_Hans)
    tag: str  # BCP 47 tag, the folder name (zh-Hans)
    url: str
    files: dict[str, str]  # path relative to out → SHA-256
    rendered: bool  # False: inputs unchanged, not rendered again
    review: dict[str, Any] | None  # the gate's summary; None for the source language


@dataclass(frozen=True)
class HeldBack:
    """A locale version of an article that is not published, and why."""

    article: str
    locale: str
    tag: str
    reason: str
    review: dict[str, Any] | None


@dataclass
class BuildResult:
    """What a build did."""

    out: Path
    bundles: list[Bundle] = field(default_factory=list)
    held_back: list[HeldBack] = field(default_factory=list)
    written: list[str] = field(default_factory=list)  # files whose bytes changed (relative to out)
    removed: list[str] = field(default_factory=list)  # files removed (relative to out)
    archives: list[str] = field(default_factory=list)
    site_strings: dict[str, dict[str, Any]] = field(default_factory=dict)  # tag → summary
    warnings: list[str] = field(default_factory=list)  # "file:line: ..." (raw HTML removed)

    @property
    def rendered(self) -> list[Bundle]:
        return [b for b in self.bundles if b.rendered]

    @property
    def unchanged(self) -> list[Bundle]:
        return [b for b in self.bundles if not b.rendered]


# -- paths --------------------------------------------------------------------


def _resolve_out(project: Project, out: str | Path | None) -> Path:
    """The output folder: ``[build] out`` (which must resolve inside the project), or
    *out* as the caller gave it. Never the project itself, its sources or VCS data."""
    from ..paths import in_vcs_folder

    if out is None:
        path = project.out_dir  # checked: inside the project, links included
    else:
        path = Path(out)
        if not path.is_absolute():
            path = project.root / path
    path = path.resolve()
    root = project.root.resolve()
    protected = [project.content_dir, project.locales_dir, project.templates_dir]
    if (path == root or root.is_relative_to(path) or in_vcs_folder(path) or any(
            path == p.resolve() or path.is_relative_to(p.resolve()) for p in protected)):
        raise ConfigError(f"refusing to build into {path}: it holds the project's own files "
                          "(choose another --out / [build] out)")
    return path


def _inside(out: Path, relative: str) -> Path:
    """``out / relative``, refusing anything that would land outside *out*."""
    path = (out / relative).resolve()
    if not path.is_relative_to(out) or path == out:
        raise LocflowError(f"refusing to write outside the output folder: {excerpt(relative)}")
    return path


def source_warnings(project: Project, article: Article) -> list[str]:
    """``file:line: ...`` for each place where the page loses raw HTML of *article*
    to the sanitizer (an ``<iframe>``, a ``<script>``, an event handler)."""
    if "<" not in article.body:
        return []
    from .render import html_losses

    where = project.relative(article.path)
    return [f"{where}:{article.body_line + loss.line - 1}: HTML the page cannot publish "
            f"safely is removed: {', '.join(loss.removed)}"
            for loss in html_losses(article.body, project.config.embeds)]


# -- catalogs -----------------------------------------------------------------


def _catalog_entries(path: Path, locale: str) -> dict[Key, EntryView]:
    """The gate's view of a catalog: text, review state and failing error-level checks."""
    from ..catalog import pofile
    from ..checks import blocking_problems
    from ..review import entry_state

    catalog = pofile.load(path)
    entries: dict[Key, EntryView] = {}
    for (context, msgid), entry in catalog.index().items():
        if getattr(entry, "obsolete", False) or not msgid:
            continue
        state = entry_state(entry)
        failing: tuple[str, ...] = ()
        if state in (ReviewState.APPROVED, ReviewState.TRANSLATED):
            failing = tuple(sorted({p.check for p in blocking_problems(entry, locale)}))
        entries[(context, msgid)] = EntryView(entry.msgstr or "", state, failing)
    return entries


@dataclass
class _Version:
    """One article × locale while the build decides and renders."""

    article: Article
    locale: str
    tag: str
    catalog_hash: str | None  # None: source language, or no catalog
    gate_key: str
    published: bool
    reason: str | None
    review: dict[str, Any] | None
    is_source: bool = False
    _gate: GateResult | None = None


class _Builder:
    def __init__(self, project: Project, out: Path, archive: bool):
        self.project = project
        self.config = project.config
        self.out = out
        self.archive = archive
        self.policy = Policy(self.config.publish, self.config.min_percent)
        self.result = BuildResult(out)
        self.previous = self._load_previous()
        self.templates = effective_templates(project)
        self.templates_hash = templates_hash(self.templates)
        self.locales = [self.config.source_locale, *self.config.target_locales]
        self.strings: dict[str, SiteStrings] = {
            locale: site_strings(project, locale, self.policy) for locale in self.locales}
        self._envs: dict[str, jinja2.Environment] = {}
        self._segments: dict[str, list[Segment]] = {}

    # -- previous manifest ---------------------------------------------------
    def _load_previous(self) -> dict[str, Any]:
        import json

        path = self.out / MANIFEST
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError, RecursionError):
            return {}
        if not isinstance(data, dict) or data.get("format") != BUILD_FORMAT:
            return {}
        return data

    def _previous_records(self, key: str) -> dict[tuple[str, str], dict[str, Any]]:
        records = self.previous.get(key, [])
        if not isinstance(records, list):
            return {}
        return {(r.get("article", ""), r.get("locale", "")): r for r in records
                if isinstance(r, dict)}

    # -- inputs ----------------------------------------------------------------
    def segments(self, article: Article) -> list[Segment]:
        from ..segment import segment_article

        if article.slug not in self._segments:
            self._segments[article.slug] = segment_article(article, self.config.fields)
        return self._segments[article.slug]

    def env(self, locale: str) -> jinja2.Environment:
        from .interface import make_environment

        if locale not in self._envs:
            self._envs[locale] = make_environment(self.project, self.strings[locale].translations)
        return self._envs[locale]

    @overload
    def decide(self, article: Article, locale: str,
               previous: dict[tuple[str, str], dict[str, Any]]) -> _Version: ...

    @overload
    def decide(self, article: Article, locale: str,
               previous: dict[tuple[str, str], dict[str, Any]], evaluate: bool
               ) -> _Version | None: ...

    def decide(self, article: Article, locale: str,
               previous: dict[tuple[str, str], dict[str, Any]], evaluate: bool = True
               ) -> _Version | None:
        """The gate's decision on *article* in *locale*: the previous build's if its inputs
        are the same, else evaluated (without *evaluate*: None)."""
        tag = bcp47_tag(locale)
        if locale == self.config.source_locale:
            key = digest(["source", article.source_hash])
            return _Version(article, locale, tag, None, key, True, None, None, is_source=True)
        path = self.project.article_catalog(locale, article.slug)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            data = None
        catalog_hash = sha256(data) if data is not None else None
        key = digest([BUILD_FORMAT, article.source_hash, catalog_hash, self.policy.as_dict(),
                      list(self.config.fields)])
        old = previous.get((article.slug, tag))
        if old is not None and old.get("gate_key") == key:
            return _Version(article, locale, tag, catalog_hash, key, bool(old.get("published")),
                            old.get("reason"), old.get("review"))
        if not evaluate:
            return None
        version = _Version(article, locale, tag, catalog_hash, key, False, None, None)
        self._evaluate(version, path if data is not None else None)
        return version

    def _evaluate(self, version: _Version, path: Path | None) -> GateResult:
        # A catalog that cannot be read stops the build (CatalogError, exit 2): holding
        # the version back would remove its live page because of a broken input.
        entries = _catalog_entries(path, version.locale) if path is not None else None
        gate = evaluate(self.segments(version.article), entries, self.policy)
        version._gate = gate
        version.published = gate.published
        version.reason = gate.reason
        version.review = gate.summary()
        return gate

    def gate(self, version: _Version) -> GateResult:
        if version._gate is None:
            path = self.project.article_catalog(version.locale, version.article.slug)
            self._evaluate(version, path if path.exists() else None)
            if not version.published:  # the catalog changed under us
                raise LocflowError(f"{self.project.relative(path)} changed during the build")
        assert version._gate is not None
        return version._gate

    def render(self, locale: str, name: str, **context: Any) -> str:
        """Render template *name*; a template's error is an :class:`InputError` naming it."""
        import jinja2

        try:
            return self.env(locale).get_template(name).render(**context)
        except jinja2.TemplateError as exc:
            raise self._template_error(name, exc) from None

    def check_templates(self) -> None:
        """Compile every effective template now, so a broken one stops the build before
        anything is written."""
        import jinja2

        env = self.env(self.config.source_locale)
        for name in self.templates:
            try:
                env.get_template(name)
            except jinja2.TemplateError as exc:
                raise self._template_error(name, exc) from None

    def _template_error(self, name: str, exc: Exception) -> InputError:
        path = self.templates.get(name)
        where = self.project.relative(path) if path is not None else name
        line = getattr(exc, "lineno", None)
        message = " ".join(str(getattr(exc, "message", None) or type(exc).__name__).split())
        if len(message) > 120:
            message = message[:120] + "…"
        message = "".join(c if c.isprintable() else repr(c)[1:-1] for c in message)
        return InputError(f"template error: {message}", path=where,
                          line=line if isinstance(line, int) else None)

    # -- writing ---------------------------------------------------------------
    def write(self, relative: str, data: bytes) -> str:
        """Write one file now (fsynced); see :meth:`commit` for many."""
        from ..catalog.pofile import save_atomic

        path = _inside(self.out, relative)
        path.parent.mkdir(parents=True, exist_ok=True)
        if save_atomic(path, data):
            self.result.written.append(relative)
        return sha256(data)

    def remove(self, relative: str) -> None:
        path = _inside(self.out, relative)
        if path.is_file() or path.is_symlink():
            path.unlink()
            self.result.removed.append(relative)
        parent = path.parent
        while parent != self.out and parent.is_relative_to(self.out):
            try:
                parent.rmdir()  # only when empty
            except OSError:
                break
            parent = parent.parent


class _Output:
    """The files a build writes. Each goes to a temporary beside its place as it is
    rendered, all renamed at :meth:`finish` after one durability barrier (a large site's
    pages are never all in memory); with *keep_bytes* they are also kept, for the
    archives that zip them. Leaving the block without :meth:`finish` writes nothing and
    removes every temporary."""

    def __init__(self, builder: _Builder, *, keep_bytes: bool) -> None:
        from ..catalog.pofile import Commit

        self.builder = builder
        self.kept: dict[str, bytes] | None = {} if keep_bytes else None
        # unlocked: a lock per page's folder would be thousands of open files
        self.commit = Commit(lock=False)
        self.names: dict[Path, str] = {}  # path → the name it was added as

    def __enter__(self) -> _Output:
        return self

    def __exit__(self, *exc: object) -> None:
        self.commit.__exit__(*exc)

    def add(self, files: dict[str, bytes]) -> None:
        from ..catalog.pofile import PlannedWrite

        if self.kept is not None:
            self.kept.update(files)
        plans = []
        for relative, data in files.items():
            path = _inside(self.builder.out, relative)
            self.names[path] = relative
            plans.append(PlannedWrite(path, None, data))
        self.commit.add_all(plans)  # (a file that holds exactly that already is left alone)

    def finish(self) -> None:
        from ..catalog.pofile import deferred_directory_sync

        with deferred_directory_sync():  # each folder fsynced once
            written = self.commit.finish()
        self.builder.result.written += [self.names[path] for path in written]


def _holds(path: Path, data: bytes) -> bool:
    """Whether the file at *path* holds exactly *data* (then it is not written again,
    read-only or not)."""
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


def _alternates(locales: Sequence[str], current: str, base_url: str, slug: str | None,
                up: str) -> list[dict[str, Any]]:
    """The published versions of a page, for the switcher and the hreflang links."""
    from .site import og_locale

    alternates = []
    for locale in locales:
        tag = bcp47_tag(locale)
        alternates.append({
            "tag": tag,
            "name": display_name(locale),
            "url": page_url(base_url, tag, slug),
            "href": f"{up}{tag}/" + (f"{slug}/" if slug else ""),
            "current": tag == current,
            "og_locale": og_locale(locale),
        })
    return alternates


def _field(article: Article, name: str, translations: dict[Key, str] | None) -> tuple[str, bool]:
    """(text of a front-matter field in the page's language, whether it fell back)."""
    from ..segment import normalize_inline

    value = article.meta.get(name)
    if not isinstance(value, str) or not value.strip():
        return "", False
    source = normalize_inline(value.strip())
    if translations is None:
        return source, False
    if (name, source) in translations:
        return translations[(name, source)], False
    return source, True


def _render_bundle(builder: _Builder, version: _Version, published: Sequence[str]
                   ) -> tuple[bytes, bytes, dict[str, Any]]:
    """(index.html, article.json, manifest record extras) of one version."""
    from markupsafe import Markup

    from .render import render_body
    from .site import format_date, og_locale, text_direction

    config = builder.config
    article = version.article
    translations = None if version.is_source else builder.gate(version).translations
    title, title_fallback = _field(article, "title", translations)
    summary, _ = _field(article, "summary", translations)
    # the breadcrumb's section: the front matter's, translated like the title
    section, section_fallback = _field(article, "section", translations)
    source_tag = bcp47_tag(config.source_locale)
    alternates = _alternates(published, version.tag, config.base_url, article.slug, "../../")
    url = page_url(config.base_url, version.tag, article.slug)
    date = article.date

    def body(note: str) -> Markup:
        rendered = render_body(article.body, translations, source_lang=source_tag, note=note,
                               note_lang=version.tag, embeds=config.embeds)
        return Markup(rendered.html)

    page = {
        "lang": version.tag,
        "dir": text_direction(version.locale),
        "title": title,
        "description": " ".join(summary.split()),
        "canonical": url,
        "alternates": alternates,
        "x_default": page_url(config.base_url, source_tag, article.slug),
        "og_type": "article",
        "og_locale": og_locale(version.locale),
        "site_name": config.name,
        "copyright": config.copyright,
        "home_href": "../",
        "sitemap_href": "../../" + SITEMAP,
    }
    context = {
        "title": title,
        "title_fallback": title_fallback,
        "section": section,
        "section_fallback": section_fallback,
        "source_lang": source_tag,
        "date_iso": date.isoformat() if date else "",
        "date_text": format_date(date, version.locale) if date else "",
        "body": body,
    }
    html = builder.render(version.locale, "article.html", page=page, article=context)
    info = {
        "slug": article.slug,
        "locale": version.tag,
        "title": title,
        "summary": " ".join(summary.split()),
        "date": context["date_iso"] or None,
        "url": url,
        "alternates": [{"locale": a["tag"], "name": a["name"], "url": a["url"]}
                       for a in alternates],
        "source_hash": article.source_hash,
        "translation_hash": version.catalog_hash,
        "review": version.review,
    }
    return html.encode("utf-8"), dump_json(info), info


def _render_index(builder: _Builder, locale: str, records: list[dict[str, Any]],
                  published_locales: Sequence[str]) -> bytes:
    from markupsafe import Markup

    from .site import format_date, og_locale, text_direction

    config = builder.config
    tag = bcp47_tag(locale)
    import datetime as dt

    def date_of(record: dict[str, Any]) -> dt.date | None:
        # records of unchanged bundles come from the previous manifest: never trust them
        try:
            return dt.date.fromisoformat(str(record.get("date") or ""))
        except ValueError:
            return None

    def newest_first(record: dict[str, Any]) -> tuple[int, str, str]:
        date = date_of(record)
        return (-date.toordinal() if date else 0, str(record.get("title", "")),
                str(record["article"]))

    items = []
    for r in sorted(records, key=newest_first):
        date = date_of(r)
        items.append({
            "title": r.get("title", ""),
            "href": f"{r['article']}/",
            "date_iso": date.isoformat() if date else "",
            "date_text": format_date(date, locale) if date else "",
            "summary": r.get("summary", ""),
        })
    page = {
        "lang": tag,
        "dir": text_direction(locale),
        # already escaped, like every compiled interface string
        "title": Markup(builder.strings[locale].translations.gettext("News Headlines")),
        "description": "",
        "canonical": page_url(config.base_url, tag),
        "alternates": _alternates(published_locales, tag, config.base_url, None, "../"),
        "x_default": page_url(config.base_url, bcp47_tag(config.source_locale)),
        "og_type": "website",
        "og_locale": og_locale(locale),
        "site_name": config.name,
        "copyright": config.copyright,
        "home_href": "./",
        "sitemap_href": "../" + SITEMAP,
    }
    from babel.numbers import format_decimal

    html = builder.render(locale, "index.html", page=page, articles=items,
                          count_text=format_decimal(len(items), locale=locale))
    return html.encode("utf-8")


def build_site(project: Project, out: str | Path | None = None, archive: bool = False,
               *, progress: Callable[[str], None] | None = None) -> BuildResult:
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
    import os

    from ..catalog.pofile import remove_stale_temporaries
    from ..content import read_articles
    from ..parallel import map_ordered

    out_dir = _resolve_out(project, out)
    out_dir.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(out_dir)  # a killed build's: never deployed
    builder = _Builder(project, out_dir, archive)
    result = builder.result
    config = builder.config
    articles = read_articles(project.content_dir, config.fields)
    previous_gates = builder._previous_records("gates")
    previous_bundles = builder._previous_records("bundles")

    builder.check_templates()

    settings = {"base_url": config.base_url, "name": config.name, "copyright": config.copyright,
                "embeds": list(config.embeds),
                "source_locale": config.source_locale}
    job = _Job(os.urandom(8).hex(), project, out_dir, archive, builder.templates_hash,
               tuple(builder.strings[locale].digest for locale in builder.locales),
               digest(settings))
    gates_of, bundles_of = _by_article(previous_gates), _by_article(previous_bundles)
    items = [_ArticleTask(article, gates_of.get(article.slug, {}),
                          bundles_of.get(article.slug, {})) for article in articles]
    # 1-2. the gate and the bundles of each article: those the previous build vouches for
    # here (a few reads and hashes each), the others in pool workers (forked: they find
    # this builder in _CURRENT); nothing is written yet
    unchanged = [_build_article(builder, job, item, unchanged_only=True) for item in items]
    tasks = [(job, batch) for batch in _batches(
        [item for item, built in zip(items, unchanged, strict=True) if built is None], _BATCH)]
    records: list[dict[str, Any]] = []
    gates: list[dict[str, Any]] = []
    failure: LocflowError | None = None
    with _Output(builder, keep_bytes=archive) as output:
        _CURRENT[job.build] = builder
        try:
            fresh = (built for batch in map_ordered(_build_articles, tasks) for built in batch)
            for kept in unchanged:
                built = kept if kept is not None else next(fresh)
                result.warnings += built.warnings
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
            del _CURRENT[job.build]
        # a single process decided every version before rendering any: a broken catalog
        # (raised above, in the articles' order) is the error reported before a render's
        if failure is not None:
            raise failure

        # 3. locale index pages, sitemap
        pages: dict[str, str] = {}
        by_tag: dict[str, list[dict[str, Any]]] = {}
        for record in records:
            by_tag.setdefault(record["locale"], []).append(record)
        live = [locale for locale in builder.locales if bcp47_tag(locale) in by_tag]
        for locale in live:
            name = f"{bcp47_tag(locale)}/index.html"
            page = _render_index(builder, locale, by_tag[bcp47_tag(locale)], live)
            pages[name] = sha256(page)
            output.add({name: page})
        sitemap = _render_sitemap(builder, records, live)
        pages[SITEMAP] = sha256(sitemap)
        output.add({SITEMAP: sitemap})
        for locale in builder.locales:
            summary = builder.strings[locale].summary()
            if locale != config.source_locale:
                result.site_strings[bcp47_tag(locale)] = summary

        # 4. archives; every file written at once; then remove what is no longer built
        keep = set(pages) | {name for r in records for name in r["files"]}
        archives: dict[str, str] = {}
        if output.kept is not None:  # (archive: the zips are made of the files' bytes)
            archives = _archives(builder, records, pages, output.kept)
            output.add({name: output.kept[name] for name in archives})
            keep |= set(archives)
        output.finish()
        _remove_stale(builder, keep)

        # 5. the manifest, last: it vouches for everything above
        held = [{"article": h.article, "locale": h.tag, "reason": h.reason, "review": h.review}
                for h in result.held_back]
        manifest = {
            "format": BUILD_FORMAT,
            "base_url": config.base_url,
            "source_locale": bcp47_tag(config.source_locale),
            "locales": [bcp47_tag(locale) for locale in builder.locales],
            "policy": builder.policy.as_dict(),
            "templates": builder.templates_hash,
            "site_strings": {bcp47_tag(locale): {**builder.strings[locale].summary(),
                                                 "hash": builder.strings[locale].digest}
                             for locale in config.target_locales},
            "bundles": sorted(records, key=lambda r: (r["article"], r["locale"])),
            "held_back": sorted(held, key=lambda r: (r["article"], r["locale"])),
            "gates": sorted(gates, key=lambda r: (r["article"], r["locale"])),
            "pages": dict(sorted(pages.items())),
            "archives": dict(sorted(archives.items())),
        }
        builder.write(MANIFEST, dump_manifest(manifest))
        result.archives = sorted(archives)
        result.written.sort()
        result.removed.sort()
        return result


# -- the articles, on every core ------------------------------------------------

_BATCH = 4  # articles per pool task (each a few renders)


@dataclass(frozen=True)
class _Job:
    """What every pool task of one build shares (picklable)."""

    build: str  # this build's identifier: a forked worker finds its builder by it
    project: Project
    out: Path
    archive: bool
    templates_hash: str
    strings: tuple[str, ...]  # each locale's site strings digest
    settings: str  # digest of the settings every page shows


@dataclass(frozen=True)
class _ArticleTask:
    article: Article
    gates: dict[tuple[str, str], dict[str, Any]]  # the previous manifest's, of this article
    bundles: dict[tuple[str, str], dict[str, Any]]


@dataclass
class _Built:
    """One article's part of the build, as a pool worker hands it back."""

    warnings: list[str]
    gates: list[dict[str, Any]] = field(default_factory=list)  # of target-language versions
    held_back: list[HeldBack] = field(default_factory=list)
    records: list[dict[str, Any]] = field(default_factory=list)  # the manifest's bundles
    bundles: list[Bundle] = field(default_factory=list)
    files: dict[str, bytes] = field(default_factory=dict)  # rendered: relative path → bytes
    rendered: list[str] = field(default_factory=list)  # "<tag>/<slug>" of each rendered one
    failure: LocflowError | None = None  # rendering failed (reported after every gate)


#: The builders of the builds in progress, by identifier: set before the pool forks, so
#: workers render with the parent's builder instead of compiling the templates again.
_CURRENT: dict[str, _Builder] = {}


def _by_article(records: dict[tuple[str, str], dict[str, Any]]
                ) -> dict[str, dict[tuple[str, str], dict[str, Any]]]:
    """The previous manifest's records, grouped by article (a task carries its own)."""
    grouped: dict[str, dict[tuple[str, str], dict[str, Any]]] = {}
    for key, record in records.items():
        grouped.setdefault(key[0], {})[key] = record
    return grouped


def _batches(items: list[_ArticleTask], size: int) -> list[list[_ArticleTask]]:
    return [items[i:i + size] for i in range(0, len(items), size)]


def _worker_builder(job: _Job) -> _Builder:
    """The build's :class:`_Builder` in this process: the parent's (one process, or a
    forked worker), else one of its own, from the same templates and strings."""
    if job.build in _CURRENT:
        return _CURRENT[job.build]
    builder = _Builder(job.project, job.out, job.archive)
    if (builder.templates_hash != job.templates_hash
            or tuple(builder.strings[locale].digest for locale in builder.locales)
            != job.strings):
        raise LocflowError("the templates or interface strings changed during the build")
    _CURRENT.clear()  # (a spawned worker: serves one build)
    _CURRENT[job.build] = builder
    return builder


def _build_articles(task: tuple[_Job, list[_ArticleTask]]) -> list[_Built]:
    """Decide and render a few articles (one pool task)."""
    job, items = task
    builder = _worker_builder(job)
    return [_build_article(builder, job, item) for item in items]


@overload
def _build_article(builder: _Builder, job: _Job, item: _ArticleTask) -> _Built: ...


@overload
def _build_article(builder: _Builder, job: _Job, item: _ArticleTask, *, unchanged_only: bool
                   ) -> _Built | None: ...


def _build_article(builder: _Builder, job: _Job, item: _ArticleTask, *,
                   unchanged_only: bool = False) -> _Built | None:
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
    built = _Built(source_warnings(builder.project, article))
    for version in versions:
        if not version.is_source:
            built.gates.append({"article": article.slug, "locale": version.tag,
                                "gate_key": version.gate_key, "published": version.published,
                                "reason": version.reason, "review": version.review})
        if not version.published:
            built.held_back.append(HeldBack(article.slug, version.locale, version.tag,
                                            version.reason or "", version.review))
            continue
        inputs = {
            "format": BUILD_FORMAT,
            "source": article.source_hash,
            "catalog": version.catalog_hash,
            "gate": version.gate_key,
            "site_strings": builder.strings[version.locale].digest,
            "templates": job.templates_hash,
            "settings": job.settings,
            "alternates": [v.tag for v in published],
        }
        input_hash = digest(inputs)
        old = item.bundles.get((article.slug, version.tag))
        base = f"{version.tag}/{article.slug}/"
        # the previous manifest is a file in the output folder, not trusted: its record
        # is reused only for exactly this bundle's files (an archive reads them)
        if (old is not None and old.get("input_hash") == input_hash
                and isinstance(old.get("files"), dict)
                and set(old["files"]) == {base + name for name in BUNDLE_FILES}
                and all((job.out / name).is_file() for name in old["files"])):
            record = dict(old)
            rendered = False
        elif unchanged_only:
            return None
        elif built.failure is not None:
            continue  # this article's build failed already: the error is reported
        else:
            try:
                html, data, info = _render_bundle(builder, version,
                                                  [v.locale for v in published])
            except LocflowError as exc:
                built.failure = exc
                continue
            for name, content in ((base + "index.html", html), (base + "article.json", data)):
                if not _holds(_inside(job.out, name), content):
                    built.files[name] = content  # (identical files: not sent, not written)
            built.rendered.append(f"{version.tag}/{article.slug}")
            record = {
                "article": article.slug, "locale": version.tag, "url": info["url"],
                "title": info["title"], "summary": info["summary"], "date": info["date"],
                "inputs": inputs, "input_hash": input_hash,
                "files": {base + "index.html": sha256(html),
                          base + "article.json": sha256(data)},
                "review": version.review,
            }
            rendered = True
        built.records.append(record)
        built.bundles.append(Bundle(article.slug, version.locale, version.tag, record["url"],
                                    dict(record["files"]), rendered, version.review))
    return built


def _render_sitemap(builder: _Builder, records: list[dict[str, Any]],
                    live: Sequence[str]) -> bytes:
    config = builder.config
    by_article: dict[str, list[dict[str, Any]]] = {}
    for record in records:
        by_article.setdefault(record["article"], []).append(record)
    tags = [bcp47_tag(locale) for locale in live]
    order = {tag: i for i, tag in enumerate(tags)}
    urls = []
    index_alternates = [{"tag": tag, "url": page_url(config.base_url, tag)} for tag in tags]
    if index_alternates:
        index_alternates.append({"tag": "x-default",
                                 "url": page_url(config.base_url, bcp47_tag(config.source_locale))})
    for tag in tags:
        urls.append({"loc": page_url(config.base_url, tag), "lastmod": "",
                     "alternates": index_alternates})
    for slug in sorted(by_article):
        group = sorted(by_article[slug], key=lambda r: order.get(r["locale"], 99))
        alternates = [{"tag": r["locale"], "url": r["url"]} for r in group]
        alternates.append({"tag": "x-default",
                           "url": page_url(config.base_url, bcp47_tag(config.source_locale), slug)})
        for record in group:
            urls.append({"loc": record["url"], "lastmod": record.get("date") or "",
                         "alternates": alternates})
    xml = builder.render(config.source_locale, SITEMAP, urls=urls)
    return xml.encode("utf-8")


def _archives(builder: _Builder, records: list[dict[str, Any]], pages: dict[str, str],
              writes: dict[str, bytes]) -> dict[str, str]:
    """Add one zip per locale to *writes* (its files as *writes* has them, else as they
    are in the output folder: unchanged bundles); name → SHA-256 of each."""
    from .site import deterministic_zip

    members: dict[str, dict[str, bytes]] = {}
    names = [name for r in records for name in r["files"]]
    names += [name for name in pages if name != SITEMAP]
    for name in sorted(names):
        tag, _, rest = name.partition("/")
        data = writes.get(name)
        if data is None:
            data = _inside(builder.out, name).read_bytes()
        members.setdefault(tag, {})[rest] = data
    archives = {}
    for tag in sorted(members):
        name = f"{ARCHIVES}/{tag}.zip"
        writes[name] = deterministic_zip(members[tag])
        archives[name] = sha256(writes[name])
    return archives


def _remove_stale(builder: _Builder, keep: set[str]) -> None:
    """Remove files of the previous build that this one did not produce, and stray bundles."""
    previous = builder.previous
    candidates: set[str] = set()
    for record in previous.get("bundles", []) if isinstance(previous.get("bundles"), list) else []:
        if isinstance(record, dict) and isinstance(record.get("files"), dict):
            candidates.update(record["files"])
    for key in ("pages", "archives"):
        if isinstance(previous.get(key), dict):
            candidates.update(previous[key])
    # bundles the manifest does not know (a lost manifest): <tag>/<slug>/article.json
    tags = {bcp47_tag(locale) for locale in builder.locales}
    tags |= {str(t) for t in previous.get("locales", []) if isinstance(t, str)}
    for tag in sorted(tags):
        folder = builder.out / tag
        if folder.is_dir() and not folder.is_symlink():
            for marker in folder.glob("*/article.json"):
                base = f"{tag}/{marker.parent.name}/"
                candidates.update(base + name for name in BUNDLE_FILES)
    for name in sorted(candidates - keep):
        try:
            builder.remove(name)
        except LocflowError:
            continue  # a path outside out in a tampered manifest: never touch it


# -- preview (the review desk) ---------------------------------------------------


@dataclass(frozen=True)
class Preview:
    """One locale version of an article rendered as ``build`` would, in memory."""

    html: str
    published: bool  # whether `build` would publish this version now
    reason: str | None  # why it is held back; None when published
    fallbacks: int  # entries shown in the source language in the preview


def preview_page(project: Project, slug: str, locale: str, *,
                 include_translated: bool = False) -> Preview:
    """The page ``build`` would write for article *slug* in *locale*; nothing is written.

    Text the publishing gate lets through is shown translated; the rest in the
    source language, marked as not yet translated (as ``min_percent`` below 100
    does), so the page can be seen before it passes. *include_translated* shows
    translated text awaiting review too. :attr:`Preview.published` and
    :attr:`Preview.reason` give the real gate's decision on the version.
    """
    from ..content import read_articles
    from .interface import site_strings

    article = next((a for a in read_articles(project.content_dir, project.config.fields)
                    if a.slug == slug), None)
    if article is None or locale not in project.config.target_locales:
        raise ConfigError(f"no article {slug!r} in locale {locale!r} to preview")
    path = project.article_catalog(locale, slug)
    catalog = path if path.exists() else None
    builder = _Builder(project, project.out_dir, archive=False)
    decision = _Version(article, locale, bcp47_tag(locale), None, "", False, None, None)
    builder._evaluate(decision, catalog)
    # the language switcher lists the versions that are published (and this one)
    published = [loc for loc in builder.locales
                 if loc == locale or builder.decide(article, loc, {}).published]
    # The same builder, with a gate that renders whatever passes: fallbacks for the rest.
    publish = "translated" if include_translated else builder.policy.publish
    builder.policy = Policy(publish, 0.0)
    builder.strings = {loc: site_strings(project, loc, builder.policy) for loc in builder.locales}
    version = _Version(article, locale, bcp47_tag(locale), None, "", False, None, None)
    gate = builder._evaluate(version, catalog)
    html, _, _ = _render_bundle(builder, version, published)
    return Preview(html.decode("utf-8"), decision.published, decision.reason,
                   len(gate.fallbacks))
