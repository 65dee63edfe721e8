"""The ``check`` stage: every check on every catalog (on every core, kept), approvals
verified against git, a baseline applied.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..catalog import pofile
from ..config import Editor, Project
from ..errors import (
    ConfigError,
    InputError,
    LocflowError,
)
from ..filecache import Stamp, stamp
from ..glossary import load as load_glossary
from ..model import Finding
from ..parallel import map_ordered
from ..review import (
    entry_state,
)
from .catalogs import SITE, CatalogRef, catalog_locale, ref_key
from .results import in_batches, result_cache

if TYPE_CHECKING:
    from ..checks import Report, Require


@dataclass(frozen=True)
class VerifyApprovals:
    """Who may approve (``[review]`` of ``locflow.toml``), for ``check --verify-approvals``.

    *notes* are findings about where the list was read (:mod:`locflow.trust`): they are
    added to the report after the baseline, which cannot suppress them.
    """

    editors: Sequence[Editor]
    require_signed: bool = False
    notes: tuple[Finding, ...] = ()

    @classmethod
    def of(cls, project: Project | None, base: str | None = None,
           strict: bool = False) -> VerifyApprovals:
        """The settings ``check --verify-approvals [--base REF]`` verifies against.

        With *base* (a git revision: the branch a pull request merges into), ``[review]
        editors`` and ``require_signed`` of ``locflow.toml`` as committed there, with a
        ``trust-settings-changed`` error for each difference of *project*'s working tree;
        without, the working tree's, with a ``trust-from-working-tree`` warning (an error
        if *strict*). InputError/ConfigError (exit 2): *base* without a project, a *base*
        that is no commit or has no ``locflow.toml``, no editors listed there.
        """
        from .. import trust
        from ..config import CONFIG_FILE

        if project is None:
            if base is not None:
                raise InputError("--base reads locflow.toml of a project: run check in one")
            return cls(())
        file = project.path(CONFIG_FILE, what="configuration file")
        label = project.relative(file)
        try:
            text: str | None = file.read_text(encoding="utf-8")
        except OSError:  # (no locflow.toml: the defaults; Project.load read the rest)
            text = None
        current = trust.ReviewSettings(project.config.editors, project.config.require_signed,
                                       label)
        if base is None:
            return cls(current.editors, current.require_signed,
                       (trust.working_tree_note(label, text, strict),))
        trusted = trust.settings_at(project.root, base)
        if not trusted.editors:
            raise ConfigError("--verify-approvals needs the editors listed there: "
                              '[review] editors = ["Name <e-mail>", ...]', path=trusted.source)
        return cls(trusted.editors, trusted.require_signed,
                   tuple(trust.changes(trusted, current, label, text)))


def check(
    refs: Sequence[CatalogRef],
    require: Require = "translated",
    strict: bool = False,
    project: Project | None = None,
    *,
    baseline: Path | None = None,
    verify_approvals: VerifyApprovals | None = None,
    max_behind: int | None = None,
) -> Report:
    """Load each catalog of *refs* and run every check on it.

    With *project*, the ``glossary`` check uses its ``glossary/<locale>.csv``.
    A catalog whose locale is known neither from the project, nor its
    ``Language`` header, nor its path gets one ``language`` warning: the checks
    that depend on the language then assume none. With *baseline* (a file
    ``checks.report.write_baseline`` wrote), the findings it records are dropped,
    except those a baseline may never suppress under *require*
    (``checks.baseline_protected``). With *verify_approvals*, every approval that
    counts must have been committed by a listed editor (:mod:`locflow.approvals`),
    else it is a ``forged-approval`` error; its *notes* (where the editor list was
    read, :meth:`VerifyApprovals.of`) join the report after the baseline. Raises
    :class:`CatalogError` (exit 2) for a catalog that cannot be parsed,
    :class:`InputError` for a baseline that cannot be read or approvals that cannot
    be verified at all (no git repository, no editors listed).
    """
    from ..checks import LANGUAGE_CHECK, Report, baseline_protected
    from ..checks.report import filter_baseline
    from ..model import Severity

    if verify_approvals is not None and not verify_approvals.editors:
        raise ConfigError("--verify-approvals needs the editors listed: "
                          '[review] editors = ["Name <e-mail>", ...] in locflow.toml')
    report = Report()
    unknown: list[str] = []
    for ref, one in zip(refs, _checked(refs, require, strict, project), strict=True):
        report.files_checked += 1
        report.files.append(ref.label)
        report.entries_checked += one.entries
        report.findings.extend(one.findings)
        if one.unknown_language:
            unknown.append(ref.label)
    report.findings[:0] = [
        Finding(
            LANGUAGE_CHECK,
            Severity.ERROR if strict else Severity.WARNING,
            'the catalog does not say its language: add "Language: xx" to its header '
            "(checks of numbers, punctuation and length assume none until then)",
            label,
            1,
            "",
        )
        for label in unknown
    ]
    if verify_approvals is not None:  # (git history: never kept in the cache)
        report.findings.extend(_forged_approvals(refs, verify_approvals))
    if baseline is not None:
        try:
            text = baseline.read_text(encoding="utf-8")
            report.findings, report.suppressed = filter_baseline(
                report.findings, text, baseline_protected(require)
            )
        except (OSError, ValueError) as exc:  # UnicodeDecodeError is a ValueError
            raise InputError(str(exc), path=baseline) from None
    if verify_approvals is not None:  # where the editor list came from: never baselined
        report.findings.extend(verify_approvals.notes)
    if max_behind is not None and project is not None:
        report.findings.extend(_behind_findings(refs, project, max_behind))
    return report


def _behind_findings(refs: Sequence[CatalogRef], project: Project, days: int
                     ) -> list[Finding]:
    """A ``behind`` error for each translation more than *days* days behind the English
    article it is published with (its outdated entries, ``check --max-behind``)."""
    import datetime as dt

    from ..model import Severity
    from ..review import count_states, today
    from .behind import behind

    outdated = [(ref, catalog_locale(ref, catalog), count_states(catalog.entries).outdated)
                for ref in refs if ref.article not in (None, SITE)
                for catalog in [pofile.load(ref.path)]]
    late = behind(project, outdated, dt.date.fromisoformat(today()))
    return [Finding("behind", Severity.ERROR,
                    f"{item.outdated} entr{'y' if item.outdated == 1 else 'ies'} behind the "
                    f"English article, updated {item.days} days ago "
                    f"({item.updated.isoformat() if item.updated else '?'}; at most {days})",
                    item.ref.label, 1, "", None, item.locale, item.ref.article)
            for item in late if item.days is not None and item.days > days]


def _checked(refs: Sequence[CatalogRef], require: Require, strict: bool,
             project: Project | None) -> list[_CatalogChecked]:
    """Each catalog's findings: kept from an earlier run where its inputs are unchanged,
    else checked on every core (and kept)."""
    # One task per article: its catalogs of every locale are checked together, so
    # each source text is analysed once (the checks memoize it), not once per locale.
    by_article: dict[str, list[int]] = {}
    for index, ref in enumerate(refs):
        by_article.setdefault(ref.article or ref.label, []).append(index)
    cache = result_cache(project, "check", f"{require}:{strict}")
    glossaries = _glossary_files(project, refs) if cache is not None else None
    results: list[_CatalogChecked | None] = [None] * len(refs)
    for index, ref in enumerate(refs):
        files = _check_inputs(glossaries, ref)
        if cache is not None and files is not None:
            results[index] = _CatalogChecked.from_json(cache.get(ref_key(ref), files))
    units = [index for unit in by_article.values() for index in unit if results[index] is None]
    batches = in_batches(units)
    tasks = [([refs[i] for i in batch], require, strict, project, glossaries)
             for batch in batches]
    for batch, checked in zip(batches, map_ordered(_check_some, tasks), strict=True):
        for index, one in zip(batch, checked, strict=True):
            results[index] = one
            if cache is not None and one.stamps is not None:
                cache.put(ref_key(refs[index]), one.stamps, one.as_json())
    if cache is not None:
        cache.save()
    return [one if one is not None else _CatalogChecked(0, [], False)  # (never None)
            for one in results]


def _forged_approvals(refs: Sequence[CatalogRef], verify: VerifyApprovals) -> list[Finding]:
    """A ``forged-approval`` error for each approval no listed editor committed."""
    from ..approvals import verify_catalog

    forged: list[Finding] = []
    for ref in refs:
        catalog = pofile.load(ref.path)
        forged.extend(verify_catalog(
            ref.path, catalog.entries, ref.label, catalog_locale(ref, catalog), ref.article,
            verify.editors, verify.require_signed,
        ))
    return forged


@dataclass(frozen=True)
class _CatalogChecked:
    entries: int
    findings: list[Finding]
    unknown_language: bool
    stamps: dict[Path, Stamp | None] | None = None  # of the inputs, to keep the result

    def as_json(self) -> object:
        return {"entries": self.entries, "unknown": self.unknown_language,
                "findings": [[f.check, f.severity.value, f.message, f.path, f.line, f.msgid,
                              f.msgctxt, f.locale, f.article] for f in self.findings]}

    @classmethod
    def from_json(cls, kept: object) -> _CatalogChecked | None:
        """A kept result, or None if there is none (or it has another shape)."""
        from ..model import Severity

        if not isinstance(kept, dict):
            return None
        # the same texts recur (a message, the path; an entry's msgid in each finding of
        # it): one string object each, not one per finding
        same: dict[Any, Any] = {}
        try:
            findings = [Finding(check, Severity(severity),
                                *(same.setdefault(v, v) if isinstance(v, str) else v
                                  for v in rest))
                        for check, severity, *rest in kept["findings"]]
            return cls(int(kept["entries"]), findings, bool(kept["unknown"]))
        except (TypeError, KeyError, ValueError):
            return None


def _glossary_files(project: Project | None,
                    refs: Sequence[CatalogRef]) -> dict[str, Path | None]:
    """The glossary file of each project locale of *refs* (None: a path that is refused)."""
    out: dict[str, Path | None] = {}
    if project is None:
        return out
    for ref in refs:
        if ref.locale is not None and ref.locale not in out:
            try:
                out[ref.locale] = project.glossary_file(ref.locale)
            except LocflowError:
                out[ref.locale] = None
    return out


def _check_inputs(glossaries: Mapping[str, Path | None] | None,
                  ref: CatalogRef) -> list[Path] | None:
    """The files a project catalog's findings depend on (None: keep no result);
    *glossaries* as :func:`_glossary_files` gives them (None: keep no results)."""
    if glossaries is None or ref.locale is None:
        return None
    glossary = glossaries.get(ref.locale)
    return [ref.path, glossary] if glossary is not None else None


def _check_some(
    task: tuple[list[CatalogRef], Require, bool, Project | None,
                Mapping[str, Path | None] | None],
) -> list[_CatalogChecked]:
    """Check the catalogs of one task (a few articles' locales), each on its own."""
    from ..checks import check_catalog

    refs, require, strict, project, glossary_files = task
    glossaries: dict[str, dict[str, object]] = {}
    out = []
    for ref in refs:
        files = _check_inputs(glossary_files, ref)
        stamps = {file: stamp(file) for file in files} if files is not None else None
        catalog = pofile.load(ref.path)
        locale = catalog_locale(ref, catalog)
        language = locale or catalog.language
        extra: dict[str, object] = {}
        if project is not None and language:
            if language not in glossaries:
                glossaries[language] = {"glossary": load_glossary(project, language)}
            extra = glossaries[language]
        findings = check_catalog(catalog, ref.label, locale, ref.article, require, strict,
                                 entry_state, extra)
        out.append(_CatalogChecked(sum(1 for _ in catalog.active()), findings, locale is None,
                                   stamps))
    return out
