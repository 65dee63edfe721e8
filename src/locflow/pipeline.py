"""The pipeline stages as library calls: read → pure step → write.

The CLI (and anything else) calls these; they own all file I/O of catalogs
and templates, always through :mod:`locflow.catalog.pofile` (atomic, locked).
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .catalog import pofile
from .catalog.merge import MergeStats, merge, template_entry
from .config import Editor, Project
from .content import read_articles
from .errors import CatalogError, ConfigError, InputError
from .locales import plural_forms, validate_locale
from .model import Finding, ReviewState, Segment
from .review import StateCounts, approve, count_states, entry_state, reject
from .segment import segment_article

if TYPE_CHECKING:
    from .checks import Report, Require

SITE = "site"  # the article slot of the interface catalog in reports


# -- sync -----------------------------------------------------------------


@dataclass(frozen=True)
class CatalogSync:
    path: Path
    locale: str
    article: str  # slug, or "site"
    created: bool
    written: bool
    stats: MergeStats


@dataclass
class SyncResult:
    articles: int = 0
    templates_written: list[Path] = field(default_factory=list)
    catalogs: list[CatalogSync] = field(default_factory=list)
    orphaned: list[Path] = field(default_factory=list)  # catalogs of articles no longer in content/

    @property
    def written(self) -> list[CatalogSync]:
        return [c for c in self.catalogs if c.written]


def _template_header(project: Project) -> dict[str, str]:
    return {
        "Project-Id-Version": project.config.name,
        "Report-Msgid-Bugs-To": "",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
    }


def _catalog_header(project: Project, locale: str) -> dict[str, str]:
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


def write_template(
    path: Path, header: dict[str, str], segments: Sequence[Segment], *, write: bool = True
) -> bool:
    """Write the POT for *segments*; return True if its bytes changed (or would, with
    ``write=False``)."""
    template = pofile.new_catalog(header, path=path)
    template.entries = [template_entry(segment) for segment in segments]
    data = pofile.dump(template)
    if not write:
        return not path.exists() or path.read_bytes() != data
    return pofile.save_atomic(path, data)


def merge_catalog(
    path: Path,
    locale: str,
    header: dict[str, str],
    segments: Sequence[Segment],
    threshold: float,
    *,
    write: bool = True,
) -> tuple[bool, bool, MergeStats]:
    """Create or update the catalog at *path*; return (created, changed, stats).

    With ``write=False`` nothing is written: the result says what a sync would do.
    """
    # Reads need no lock (writes are atomic renames); the lock spans read-merge-write.
    with pofile.locked(path) if write else contextlib.nullcontext():
        created = not path.exists()
        if created:
            before = b""
            catalog = pofile.new_catalog(header, path=path)
        else:
            try:
                before = path.read_bytes()
            except OSError as exc:
                raise CatalogError(f"cannot read catalog: {exc.strerror}", path=path) from None
            catalog = pofile.parse(before, path)
        meta = catalog.metadata()
        if not meta.get("Language"):
            catalog.set_metadata("Language", locale)
        if not meta.get("Plural-Forms"):
            catalog.set_metadata("Plural-Forms", plural_forms(locale))
        stats = merge(catalog, segments, threshold=threshold)
        data = pofile.dump(catalog)
        changed = data != before
        if changed and write:
            pofile.save_atomic(path, data)
    return created, changed, stats


def sync(project: Project, *, only: Iterable[str] = (), write: bool = True) -> SyncResult:
    """Segment every article into its template and merge each locale's catalog.

    *only* restricts the work to those article slugs. The site's interface
    strings (from the HTML templates) are merged into ``site.po`` as well. With
    ``write=False`` nothing is written and the result tells what would change.
    """
    config = project.config
    wanted = set(only)
    articles = read_articles(project.content_dir, config.fields)
    known = {article.slug for article in articles}
    unknown = wanted - known
    if unknown:
        raise InputError(f"no article with slug {sorted(unknown)[0]!r} in {project.content_dir}")
    result = SyncResult()
    for article in articles:
        if wanted and article.slug not in wanted:
            continue
        result.articles += 1
        segments = segment_article(article, config.fields)
        _sync_one(
            project,
            write,
            article.slug,
            project.article_template(article.slug),
            [
                (locale, project.article_catalog(locale, article.slug))
                for locale in config.target_locales
            ],
            segments,
            result,
        )
    if not wanted:
        site = site_segments(project)
        if site:
            _sync_one(
                project,
                write,
                SITE,
                project.site_template,
                [(locale, project.site_catalog(locale)) for locale in config.target_locales],
                site,
                result,
            )
        for locale in config.target_locales:
            folder = project.locales_dir / locale / "articles"
            if folder.is_dir():
                result.orphaned += [p for p in sorted(folder.glob("*.po")) if p.stem not in known]
    return result


def _sync_one(
    project: Project,
    write: bool,
    name: str,
    template_path: Path,
    catalogs: list[tuple[str, Path]],
    segments: Sequence[Segment],
    result: SyncResult,
) -> None:
    if write_template(template_path, _template_header(project), segments, write=write):
        result.templates_written.append(template_path)
    for locale, path in catalogs:
        created, written, stats = merge_catalog(
            path,
            locale,
            _catalog_header(project, locale),
            segments,
            project.config.fuzzy_threshold,
            write=write,
        )
        result.catalogs.append(CatalogSync(path, locale, name, created, written, stats))


def site_segments(project: Project) -> list[Segment]:
    """The interface strings of the site's HTML templates."""
    from .build import site_segments as extract

    return list(extract(project))


# -- selecting catalogs -------------------------------------------------------


@dataclass(frozen=True)
class CatalogRef:
    """A catalog a command works on."""

    path: Path
    label: str  # how reports name it: relative to the project, or as given
    locale: str | None
    article: str | None  # slug, "site", or None for a bare PO path


def project_catalogs(
    project: Project,
    locales: Sequence[str] = (),
    articles: Sequence[str] = (),
    include_site: bool = True,
) -> list[CatalogRef]:
    """The project's existing catalogs, filtered by locale and article slug."""
    chosen = [validate_locale(loc) for loc in locales] or list(project.config.target_locales)
    refs: list[CatalogRef] = []
    for locale in chosen:
        folder = project.locales_dir / locale / "articles"
        paths = sorted(folder.glob("*.po")) if folder.is_dir() else []
        for path in paths:
            if articles and path.stem not in articles:
                continue
            refs.append(CatalogRef(path, project.relative(path), locale, path.stem))
        site = project.site_catalog(locale)
        if include_site and site.exists() and (not articles or SITE in articles):
            refs.append(CatalogRef(site, project.relative(site), locale, SITE))
    return refs


def file_catalogs(paths: Sequence[str | Path]) -> list[CatalogRef]:
    """Catalogs given as paths; the locale comes from each header's ``Language``."""
    refs = []
    for given in paths:
        path = Path(given)
        if not path.is_file():
            raise InputError("no such file", path=given)
        refs.append(CatalogRef(path, str(given), None, None))
    return refs


# -- status -----------------------------------------------------------------


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


def status(refs: Sequence[CatalogRef]) -> list[CatalogStatus]:
    """Count review states per catalog. Never writes."""
    out = []
    for ref in refs:
        catalog = pofile.load(ref.path)
        out.append(
            CatalogStatus(ref, ref.locale or catalog.language, count_states(catalog.entries))
        )
    return out


# -- review -----------------------------------------------------------------


@dataclass(frozen=True)
class EntryRow:
    """One entry as ``review list`` shows it."""

    path: str
    line: int
    locale: str | None
    article: str | None
    state: ReviewState
    msgctxt: str | None
    msgid: str
    msgstr: str
    note: str  # the rejection reason, or "" otherwise

    def as_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "locale": self.locale,
            "article": self.article,
            "state": self.state.value,
            "msgctxt": self.msgctxt,
            "msgid": self.msgid,
            "msgstr": self.msgstr,
            "note": self.note,
        }


def _selected(entry: pofile.Entry, msgid: str | None) -> bool:
    return not entry.obsolete and (msgid is None or msgid in entry.msgid)


def review_list(
    refs: Sequence[CatalogRef], *, msgid: str | None = None, states: Sequence[ReviewState] = ()
) -> list[EntryRow]:
    """The active entries of *refs* (optionally: whose msgid contains *msgid*, in *states*)."""
    from .review import rejection

    rows = []
    for ref in refs:
        catalog = pofile.load(ref.path)
        locale = ref.locale or catalog.language
        for entry in catalog.active():
            if not _selected(entry, msgid):
                continue
            state = entry_state(entry)
            if states and state not in states:
                continue
            found = rejection(entry) if state is ReviewState.REJECTED else None
            msgstr = entry.msgstr_plural.get(0, "") if entry.msgid_plural else entry.msgstr
            rows.append(
                EntryRow(
                    ref.label,
                    entry.line,
                    locale,
                    ref.article,
                    state,
                    entry.msgctxt,
                    entry.msgid,
                    msgstr,
                    found.reason if found else "",
                )
            )
    return rows


@dataclass
class ReviewResult:
    changed: int = 0
    skipped: int = 0
    skipped_states: dict[str, int] = field(default_factory=dict)
    catalogs_written: list[str] = field(default_factory=list)


def _review(
    refs: Sequence[CatalogRef], msgid: str | None, action: Callable[[pofile.Entry], bool]
) -> ReviewResult:
    result = ReviewResult()
    for ref in refs:
        changed_here = 0
        with pofile.edit(ref.path) as catalog:
            for entry in catalog.active():
                if not _selected(entry, msgid):
                    continue
                state = entry_state(entry)
                if action(entry):
                    changed_here += 1
                else:
                    result.skipped += 1
                    result.skipped_states[state.value] = (
                        result.skipped_states.get(state.value, 0) + 1
                    )
        if changed_here:
            result.changed += changed_here
            result.catalogs_written.append(ref.label)
    return result


def review_approve(
    refs: Sequence[CatalogRef], reviewer: str, date: str, *, msgid: str | None = None
) -> ReviewResult:
    """Approve every ``translated`` entry selected; others are skipped and counted."""
    return _review(refs, msgid, lambda entry: approve(entry, reviewer, date))


def review_reject(
    refs: Sequence[CatalogRef], reviewer: str, date: str, reason: str, *, msgid: str | None = None
) -> ReviewResult:
    """Reject the selected translated, approved or fuzzy entries with *reason*."""
    return _review(refs, msgid, lambda entry: reject(entry, reviewer, date, reason))


def require_catalogs(refs: Sequence[CatalogRef]) -> Sequence[CatalogRef]:
    if not refs:
        raise CatalogError("no catalogs found: run 'locflow sync' first, or name PO files")
    return refs


# -- check ------------------------------------------------------------------


@dataclass(frozen=True)
class VerifyApprovals:
    """Who may approve (``[review]`` of ``locflow.toml``), for ``check --verify-approvals``."""

    editors: Sequence[Editor]
    require_signed: bool = False


def check(
    refs: Sequence[CatalogRef],
    require: Require = "translated",
    strict: bool = False,
    *,
    baseline: Path | None = None,
    verify_approvals: VerifyApprovals | None = None,
) -> Report:
    """Load each catalog of *refs* and run every check on it.

    With *baseline* (a file ``checks.report.write_baseline`` wrote), the findings
    it records are dropped, except those a baseline may never suppress under
    *require* (``checks.baseline_protected``). With *verify_approvals*, every
    approval that counts must have been committed by a listed editor
    (:mod:`locflow.approvals`), else it is a ``forged-approval`` error. Raises
    :class:`CatalogError` (exit 2) for a catalog that cannot be parsed,
    :class:`InputError` for a baseline that cannot be read or approvals that
    cannot be verified at all (no git repository, no editors listed).
    """
    from .checks import baseline_protected, run_checks
    from .checks.report import filter_baseline

    if verify_approvals is not None and not verify_approvals.editors:
        raise ConfigError("--verify-approvals needs the editors listed: "
                          '[review] editors = ["Name <e-mail>", ...] in locflow.toml')
    forged: list[Finding] = []

    def catalogs() -> Iterable[tuple[pofile.Catalog, str, str | None, str | None]]:
        for ref in refs:
            catalog = pofile.load(ref.path)
            locale = ref.locale or catalog.language
            if verify_approvals is not None:
                from .approvals import verify_catalog

                forged.extend(verify_catalog(
                    ref.path, catalog.entries, ref.label, locale or None, ref.article,
                    verify_approvals.editors, verify_approvals.require_signed,
                ))
            yield catalog, ref.label, locale, ref.article

    report = run_checks(catalogs(), require=require, strict=strict, state_of=entry_state)
    report.findings.extend(forged)
    if baseline is not None:
        try:
            text = baseline.read_text(encoding="utf-8")
            report.findings, report.suppressed = filter_baseline(
                report.findings, text, baseline_protected(require)
            )
        except (OSError, ValueError) as exc:  # UnicodeDecodeError is a ValueError
            raise InputError(str(exc), path=baseline) from None
    return report
