"""The ``check`` stage: every check on every catalog (on every core, kept), approvals
verified against git, a baseline applied.
"""

from __future__ import annotations

import contextlib
import json
from collections import Counter
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping, Sequence
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
from ..filecache import Stamp, code_stamp, stamp
from ..glossary import load as load_glossary
from ..model import Finding
from ..parallel import map_ordered
from ..review import (
    entry_state,
)
from .catalogs import SITE, CatalogRef, catalog_locale, ref_key
from .results import in_batches
from .spooled import Spill, SpooledCache, Where

if TYPE_CHECKING:
    from ..checks import Report, Require, Tally
    from ..checks.report import Baseline


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
    """Load each catalog of *refs* and run every check on it: :func:`check_report` with
    every finding kept, in the report's order, in :attr:`Report.findings`."""
    from ..checks import Report

    report = Report()
    tally = check_report(refs, lambda _, found: report.findings.extend(found), require,
                         strict, project, baseline=baseline,
                         verify_approvals=verify_approvals, max_behind=max_behind)
    report.files_checked, report.files = tally.files_checked, tally.files
    report.entries_checked, report.suppressed = tally.entries_checked, tally.suppressed
    return report


def check_report(
    refs: Sequence[CatalogRef],
    sink: Callable[[str, list[Finding]], object],
    require: Require = "translated",
    strict: bool = False,
    project: Project | None = None,
    *,
    baseline: Path | None = None,
    verify_approvals: VerifyApprovals | None = None,
    max_behind: int | None = None,
) -> Tally:
    """Load each catalog of *refs*, run every check on it and give its findings to
    *sink* as soon as it and every catalog before it are done; returns the counts.

    *sink* gets ``(label, findings)`` once per catalog of *refs* (a label given twice:
    once, where it last is, as a report groups it), then once per other path with
    findings (``locflow.toml``, by path); the findings in
    :func:`~locflow.checks.report.in_catalog_order`: what a
    :class:`~locflow.checks.report.ReportWriter` takes. Only the counts are kept.

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
    from ..checks import Tally, baseline_protected
    from ..checks.report import in_catalog_order

    if verify_approvals is not None and not verify_approvals.editors:
        raise ConfigError("--verify-approvals needs the editors listed: "
                          '[review] editors = ["Name <e-mail>", ...] in locflow.toml')
    known = _read_baseline(baseline) if baseline is not None else None
    protected = baseline_protected(require)
    # few: about locflow.toml, and the catalogs too far behind (git and dates, never kept)
    notes = list(verify_approvals.notes) if verify_approvals is not None else []
    late = (_behind_findings(refs, project, max_behind)
            if max_behind is not None and project is not None else [])
    order = _ReportOrder([ref.label for ref in refs], [*notes, *late])
    tally = Tally()

    def emit(ready: list[tuple[str, list[Finding]]]) -> None:
        for path, findings in ready:
            ordered = in_catalog_order(findings)
            tally.add(ordered)
            sink(path, ordered)

    with contextlib.closing(_results(refs, require, strict, project)) as results:
        for index, (ref, one) in enumerate(zip(refs, results, strict=True)):
            tally.files_checked += 1
            tally.files.append(ref.label)
            tally.entries_checked += one.entries
            found = [_no_language(ref.label, strict)] if one.unknown_language else []
            found += one.findings
            if verify_approvals is not None:  # (git history: never kept in the cache)
                found += _forged_approvals(ref, verify_approvals)
            if known is not None:
                found, suppressed = known.filter(found, protected)
                tally.suppressed += suppressed
            emit(order.place(index, ref.label, found))
    emit(order.rest())
    return tally


class _ReportOrder:
    """Where a report lists each catalog's findings, as ``checks.report`` sorts a whole
    list: catalogs in the order checked (a label given twice: where it last is, with the
    findings of both); the *extra* findings (about ``locflow.toml``, a catalog too far
    behind) with the catalog of their path, else by path at the rank sorting gives a path
    no catalog has (the number of labels: after every catalog unless one is given twice).
    """

    def __init__(self, labels: Sequence[str], extra: Iterable[Finding]) -> None:
        counts = Counter(labels)
        self.recurs = {label: n for label, n in counts.items() if n > 1}
        self.rank = len(counts)
        self.extra: dict[str, list[Finding]] = {}
        for f in extra:
            self.extra.setdefault(f.path, []).append(f)
        self.apart = sorted(path for path in self.extra if path not in counts)
        self.held: dict[str, list[Finding]] = {}

    def place(self, index: int, label: str, found: list[Finding]
              ) -> list[tuple[str, list[Finding]]]:
        """What is ready once catalog *index* (*label*) has *found* these findings."""
        if label in self.recurs:
            self.recurs[label] -= 1
            if self.recurs[label]:
                self.held.setdefault(label, []).extend(found)
                return []
            found = self.held.pop(label, []) + found
        ready = []
        if self.apart and index >= self.rank:  # (the same rank: by path)
            before = [path for path in self.apart if index > self.rank or path < label]
            ready = [(path, self.extra.pop(path)) for path in before]
            self.apart = self.apart[len(before):]
        ready.append((label, found + self.extra.pop(label, [])))
        return ready

    def rest(self) -> list[tuple[str, list[Finding]]]:
        """The extra findings of no catalog still to list: after every catalog."""
        ready = [(path, self.extra.pop(path)) for path in self.apart]
        self.apart = []
        return ready


def _no_language(label: str, strict: bool) -> Finding:
    from ..checks import LANGUAGE_CHECK
    from ..model import Severity

    return Finding(
        LANGUAGE_CHECK,
        Severity.ERROR if strict else Severity.WARNING,
        'the catalog does not say its language: add "Language: xx" to its header '
        "(checks of numbers, punctuation and length assume none until then)",
        label,
        1,
        "",
    )


def _read_baseline(path: Path) -> Baseline:
    """The baseline file at *path*; InputError (exit 2) if it is none."""
    from ..checks.report import Baseline

    try:
        return Baseline.read(path)
    except (OSError, ValueError) as exc:  # UnicodeDecodeError is a ValueError
        raise InputError(str(exc), path=path) from None


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


def _results(refs: Sequence[CatalogRef], require: Require, strict: bool,
             project: Project | None) -> Generator[_CatalogChecked, None, None]:
    """Each catalog's result, in the order of *refs*: kept from an earlier run where its
    inputs are unchanged (read when its turn comes), else checked on every core (and
    kept)."""
    glossaries = _glossary_files(project, refs) if project is not None else None
    with contextlib.ExitStack() as stack:
        cache = None
        if project is not None:
            cache = stack.enter_context(SpooledCache(
                project.cache_file("check-cache.json", "check cache"),
                f"{code_stamp()}:{require}:{strict}"))
        kept = bytearray(len(refs))  # 1: its kept result holds
        for index, ref in enumerate(refs):
            files = _check_inputs(glossaries, ref)
            kept[index] = cache is not None and files is not None and cache.fresh(
                ref_key(ref), files)
        done = stack.enter_context(contextlib.closing(
            _checked_by_article(refs, kept, (require, strict, project, glossaries))))
        waiting = stack.enter_context(contextlib.closing(_InOrder(refs, done, cache)))
        for index, ref in enumerate(refs):
            data = waiting.take(index, bool(kept[index]))
            one = _CatalogChecked.load(data) if data is not None else None
            if one is None:  # a kept result of another shape: checked again, here
                ((stamps, found),) = _check_some(([ref], require, strict, project, glossaries))
                if cache is not None and stamps is not None:
                    cache.put(ref_key(ref), stamps, found)
                one = _CatalogChecked.load(found) or _CatalogChecked(0, [], False)
            yield one
        if cache is not None:
            cache.save()


class _InOrder:
    """Results in the order of *refs*, from *done*: results in the order they were
    checked. The catalogs of an article are checked together, and in *refs* (locale by
    locale) they are far apart: a result that comes before its turn waits on disk (in
    the cache's spool, else a :class:`Spill`), never in memory."""

    def __init__(self, refs: Sequence[CatalogRef], done: Iterator[tuple[int, _Checked]],
                 cache: SpooledCache | None) -> None:
        self.refs, self.done, self.cache = refs, done, cache
        self.spill = Spill()
        self.early: dict[int, Where | None] = {}  # None: in the cache

    def take(self, index: int, kept: bool) -> bytes | None:
        """The result (JSON) of catalog *index*: *kept* in the cache, or checked."""
        if not kept and index not in self.early:
            return self._wait_for(index)
        where = self.early.pop(index, None)
        if where is not None:
            return self.spill.get(where)
        return self.cache.value(ref_key(self.refs[index])) if self.cache is not None else None

    def _wait_for(self, index: int) -> bytes | None:
        for number, (stamps, found) in self.done:
            where: Where | None = None
            if self.cache is not None and stamps is not None:
                self.cache.put(ref_key(self.refs[number]), stamps, found)
            elif number != index:
                where = self.spill.put(found)
            if number == index:
                return found
            self.early[number] = where
        return None

    def close(self) -> None:
        self.spill.close()


if TYPE_CHECKING:  # what each task of a check has besides its catalogs
    Settings = tuple[Require, bool, Project | None, Mapping[str, Path | None] | None]


def _checked_by_article(refs: Sequence[CatalogRef], kept: bytearray, settings: Settings
                        ) -> Generator[tuple[int, _Checked], None, None]:
    """``(index, result)`` of each catalog of *refs* not *kept*, checked on every core."""
    # One task per article: its catalogs of every locale are checked together, so
    # each source text is analysed once (the checks memoize it), not once per locale.
    by_article: dict[str, list[int]] = {}
    for index, ref in enumerate(refs):
        if not kept[index]:
            by_article.setdefault(ref.article or ref.label, []).append(index)
    batches = in_batches([index for unit in by_article.values() for index in unit])
    tasks = [([refs[i] for i in batch], *settings) for batch in batches]
    for batch, checked in zip(batches, map_ordered(_check_some, tasks), strict=True):
        yield from zip(batch, checked, strict=True)


def _forged_approvals(ref: CatalogRef, verify: VerifyApprovals) -> list[Finding]:
    """A ``forged-approval`` error for each approval of *ref* no listed editor committed."""
    from ..approvals import verify_catalog

    catalog = pofile.load(ref.path)
    return verify_catalog(
        ref.path, catalog.entries, ref.label, catalog_locale(ref, catalog), ref.article,
        verify.editors, verify.require_signed,
    )


# what a worker sends back for a catalog: the stamps of its inputs (None: keep no
# result) and its result as JSON, which goes to the cache or waits on disk as it is
_Checked = tuple[dict[Path, Stamp | None] | None, bytes]


@dataclass(frozen=True)
class _CatalogChecked:
    entries: int
    findings: list[Finding]
    unknown_language: bool

    def dump(self) -> bytes:
        data = {"entries": self.entries, "unknown": self.unknown_language,
                "findings": [[f.check, f.severity.value, f.message, f.path, f.line, f.msgid,
                              f.msgctxt, f.locale, f.article] for f in self.findings]}
        # (a lone surrogate of a broken catalog's text comes back as it went)
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        return text.encode("utf-8", "surrogatepass")

    @classmethod
    def load(cls, data: bytes) -> _CatalogChecked | None:
        """The result *data* holds, or None if it has another shape."""
        from ..model import Severity

        try:
            kept = json.loads(data)
            # the same texts recur (a message, the path; an entry's msgid in each finding
            # of it): one string object each, not one per finding
            same: dict[Any, Any] = {}
            findings = [Finding(check, Severity(severity),
                                *(same.setdefault(v, v) if isinstance(v, str) else v
                                  for v in rest))
                        for check, severity, *rest in kept["findings"]]
            return cls(int(kept["entries"]), findings, bool(kept["unknown"]))
        except (TypeError, KeyError, ValueError, RecursionError):
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
) -> list[_Checked]:
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
        checked = _CatalogChecked(sum(1 for _ in catalog.active()), findings, locale is None)
        out.append((stamps, checked.dump()))
    return out
