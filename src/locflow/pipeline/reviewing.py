"""The ``review`` stage: list, approve, reject and resolve entries of many catalogs,
and the review desk's decisions on one entry at a time (refused when it changed).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..catalog import pofile
from ..catalog.pofile import Key
from ..errors import (
    CatalogError,
    ConflictError,
)
from ..model import ReviewState
from ..review import (
    approve,
    entry_state,
    reject,
    retire_rejection,
    review_history,
    set_translation,
    text_hash,
)
from .catalogs import CatalogRef, catalog_locale

if TYPE_CHECKING:
    from ..config import Project

Extra = Mapping[str, Any]  # a catalog's CheckContext.extra: its glossary


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
    history: tuple[str, ...] = ()  # earlier review events (rejections fixed since, overrides)
    conflict: tuple[str, ...] | None = None  # the other translation a merge left beside this one
    draft: str = ""  # where a machine or memory text came from: "memory 100% vote 2024-11-05"

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
            "history": list(self.history),
            "conflict": list(self.conflict) if self.conflict is not None else None,
            "draft": self.draft or None,
        }


def _selected(entry: pofile.Entry, msgid: str | None) -> bool:
    return not entry.obsolete and (msgid is None or msgid in entry.msgid)


def review_list(
    refs: Sequence[CatalogRef], *, msgid: str | None = None, states: Sequence[ReviewState] = ()
) -> list[EntryRow]:
    """The active entries of *refs* (optionally: whose msgid contains *msgid*, in *states*)."""
    from ..provenance import text_provenance
    from ..review import conflict, rejection

    rows = []
    for ref in refs:
        catalog = pofile.load(ref.path)
        locale = catalog_locale(ref, catalog)
        for entry in catalog.active():
            if not _selected(entry, msgid):
                continue
            state = entry_state(entry)
            if states and state not in states:
                continue
            found = rejection(entry) if state is ReviewState.REJECTED else None
            msgstr = entry.msgstr_plural.get(0, "") if entry.msgid_plural else entry.msgstr
            origin = text_provenance(entry)  # not once a person changed the text
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
                    review_history(entry),
                    conflict(entry),
                    origin.label() if origin else "",
                )
            )
    return rows


@dataclass(frozen=True)
class CheckedEntry:
    """An entry whose text error-level checks fail, as ``review approve`` reports it."""

    path: str
    line: int
    msgid: str
    problems: tuple[tuple[str, str], ...]  # (check id, message)

    @property
    def checks(self) -> list[str]:
        return sorted({check for check, _ in self.problems})


@dataclass
class ReviewResult:
    matched: int = 0  # active entries the selection matched
    changed: int = 0
    skipped: int = 0
    skipped_states: dict[str, int] = field(default_factory=dict)
    catalogs_written: list[str] = field(default_factory=list)
    failing: list[CheckedEntry] = field(default_factory=list)  # not approved: checks fail
    overridden: list[CheckedEntry] = field(default_factory=list)  # approved with --force
    retired: int = 0  # rejections fixed since, turned into history lines

    def skip(self, reason: str) -> None:
        self.skipped += 1
        self.skipped_states[reason] = self.skipped_states.get(reason, 0) + 1


FAILING_CHECKS = "failing checks"  # the skip reason of an entry approve refused


def _review(
    refs: Sequence[CatalogRef],
    msgid: str | None,
    action: Callable[[pofile.Entry, CatalogRef, str, ReviewResult], bool],
) -> ReviewResult:
    """Apply *action* to every selected active entry; it returns whether it changed one.

    *action* gets the entry, its catalog, the catalog's locale and the result
    (to record why it refused an entry); unchanged entries count as skipped in
    their state unless the action recorded another reason. Every catalog is read
    and changed in memory first; files are written only when all of them parsed,
    so a broken catalog changes nothing.
    """

    def decide(ref: CatalogRef, before: bytes | None, result: ReviewResult
               ) -> tuple[bytes, bool]:
        if before is None:
            raise CatalogError("catalog does not exist", path=ref.path)
        catalog = pofile.parse(before, ref.path)
        locale = catalog_locale(ref, catalog) or ""
        changed_here = 0
        retired_before = result.retired
        reported = len(result.failing), len(result.overridden)
        for entry in catalog.active():
            if not _selected(entry, msgid):
                continue
            result.matched += 1
            if retire_rejection(entry):  # fixed since: the rejection becomes history
                result.retired += 1
            state = entry_state(entry)
            skipped_before = result.skipped
            if action(entry, ref, locale, result):
                changed_here += 1
            elif result.skipped == skipped_before:
                result.skip(state.value)
        result.changed += changed_here
        lines: dict[int, int] = {}
        after = pofile.dump(catalog, lines=lines)
        _moved(result, reported, catalog, lines)
        return after, bool(changed_here or retired_before != result.retired)

    def redo(ref: CatalogRef) -> Callable[[bytes | None], bytes]:
        # the file changed since it was read: decide again on its bytes (counts as planned)
        return lambda now: decide(ref, now, ReviewResult())[0]

    result = ReviewResult()
    plans: list[pofile.PlannedWrite] = []
    for ref in refs:
        before = pofile.read_optional(ref.path)
        after, touched = decide(ref, before, result)
        plans.append(pofile.PlannedWrite(ref.path, before, after, redo=redo(ref)))
        if touched:
            result.catalogs_written.append(ref.label)
    for ref in refs:
        pofile.remove_stale_temporaries(ref.path.parent, names={ref.path.name})
    pofile.commit(plans)
    return result


def _moved(result: ReviewResult, reported: tuple[int, int], catalog: pofile.Catalog,
           lines: Mapping[int, int]) -> None:
    """Give the entries one catalog added to ``failing`` and ``overridden`` (from the
    indexes in *reported* on) their lines in the file as written, not as read: approval
    comments added above an entry move it down."""
    now = {entry.line: lines[id(entry)] for entry in catalog.entries if id(entry) in lines}
    for listed, start in zip((result.failing, result.overridden), reported, strict=True):
        listed[start:] = [replace(c, line=now.get(c.line, c.line)) for c in listed[start:]]


def check_extra(project: Project | None, locale: str) -> dict[str, Any]:
    """What ``check`` gives the content checks of a catalog in *locale*: the project's
    glossary (``glossary/<locale>.csv``); nothing without a project or a locale."""
    from ..glossary import load

    if project is None or not locale:
        return {}
    return {"glossary": load(project, locale)}


def review_approve(
    refs: Sequence[CatalogRef],
    reviewer: str,
    date: str,
    *,
    msgid: str | None = None,
    force: bool = False,
    corrections: bool = False,
    project: Project | None = None,
) -> ReviewResult:
    """Approve every ``translated`` entry selected; others are skipped and counted.

    An approval must not launder an error: an entry on which an error-level
    content check fails (numbers, urls, markup...) is not approved but listed in
    ``failing``, unless *force*: then the approval records the overridden checks
    (``override: numbers``) and the entry is listed in ``overridden``. With
    *corrections*, the ``correction`` drafts ``sync`` made (a change of numbers
    carried into an approved translation, :func:`accept_correction`) are approved too,
    in the same step. With *project*, the ``glossary`` check uses its glossary, as
    ``check`` does (loaded once per locale).
    """
    from ..checks import blocking_problems

    extras: dict[str, Extra] = {}

    def act(entry: pofile.Entry, ref: CatalogRef, locale: str, result: ReviewResult) -> bool:
        if locale not in extras:
            extras[locale] = check_extra(project, locale)
        extra = extras[locale]
        if corrections and is_correction_draft(entry):
            failing = blocking_problems(entry, locale, extra)  # (checked again below)
            if failing:
                result.failing.append(CheckedEntry(ref.label, entry.line, entry.msgid, tuple(
                    (p.check, p.message) for p in failing)))
                result.skip(FAILING_CHECKS)
                return False
            accept_correction(entry)
        if entry_state(entry) is not ReviewState.TRANSLATED:
            return False
        problems = blocking_problems(entry, locale, extra)
        checked = CheckedEntry(
            ref.label, entry.line, entry.msgid, tuple((p.check, p.message) for p in problems)
        )
        if problems and not force:
            result.failing.append(checked)
            result.skip(FAILING_CHECKS)
            return False
        if not approve(entry, reviewer, date, override=checked.checks):
            return False
        if problems:
            result.overridden.append(checked)
        return True

    return _review(refs, msgid, act)


def is_correction_draft(entry: pofile.Entry) -> bool:
    """True for a ``correction`` draft ``sync`` made that still holds the text it drafted."""
    from ..provenance import holds_draft, provenance

    found = provenance(entry) if "fuzzy" in entry.flags else None
    return (found is not None and found.kind == "correction" and not entry.msgid_plural
            and entry_state(entry) is ReviewState.FUZZY and holds_draft(entry, found))


def accept_correction(entry: pofile.Entry) -> bool:
    """Take a correction draft as the translation (fuzzy and the old source go), so it
    can be approved as any translation; False for an entry that is no such draft."""
    if not is_correction_draft(entry):
        return False
    entry.flags.remove("fuzzy")
    entry.previous_msgctxt = entry.previous_msgid = entry.previous_msgid_plural = None
    return True


def review_reject(
    refs: Sequence[CatalogRef], reviewer: str, date: str, reason: str, *, msgid: str | None = None
) -> ReviewResult:
    """Reject the selected translated, approved or fuzzy entries with *reason*."""
    return _review(refs, msgid, lambda entry, *_: reject(entry, reviewer, date, reason))


# -- one entry at a time (the review desk) -------------------------------------
#
# The desk shows an entry, the editor decides later: each decision carries the
# text hash (and state) of the entry as it was shown, and is refused with
# ConflictError when the file says otherwise by then, so nobody approves,
# rejects or overwrites text they have not seen.



def _checked_entry(catalog: pofile.Catalog, key: Key, seen_hash: str,
                   seen_state: ReviewState | None) -> pofile.Entry:
    entry = catalog.index().get(key)
    if entry is None:
        raise ConflictError("the entry is no longer in the catalog", path=catalog.path,
                            keys=(key,))
    if text_hash(entry) != seen_hash or (
            seen_state is not None and entry_state(entry) is not seen_state):
        raise ConflictError("the entry changed since it was shown", path=catalog.path,
                            line=entry.line, keys=(key,))
    return entry


def _approve_one(entry: pofile.Entry, reviewer: str, date: str, locale: str,
                 result: ReviewResult | None = None, extra: Extra | None = None) -> bool:
    """One entry's approval, as ``review approve`` (without ``--force``) makes it.

    An entry on which an error-level content check fails is not approved (the desk
    cannot launder an error either); it is recorded in *result* when given.
    """
    if entry_state(entry) is not ReviewState.TRANSLATED:
        return False
    if _refused_by_checks(entry, locale, result, extra):
        return False
    return approve(entry, reviewer, date)


def _refused_by_checks(entry: pofile.Entry, locale: str, result: ReviewResult | None,
                       extra: Extra | None = None) -> bool:
    """True when an error-level content check fails on *entry*'s text (recorded in
    *result*, when given): the desk approves nothing such."""
    from ..checks import blocking_problems

    problems = blocking_problems(entry, locale, extra)
    if problems and result is not None:
        result.failing.append(CheckedEntry(
            str(entry.line), entry.line, entry.msgid,
            tuple((p.check, p.message) for p in problems)))
        result.skip(FAILING_CHECKS)
    return bool(problems)


def _approve_correction(entry: pofile.Entry, reviewer: str, date: str, locale: str,
                        result: ReviewResult | None = None, extra: Extra | None = None
                        ) -> bool:
    """One correction draft taken and approved in one step (:func:`accept_correction`,
    then :func:`_approve_one`): the same rule as any approval, checked before anything
    changes, so a refused correction stays the draft it was. False for an entry that is
    no correction draft (left alone)."""
    if not is_correction_draft(entry) or _refused_by_checks(entry, locale, result, extra):
        return False
    accept_correction(entry)
    return _approve_one(entry, reviewer, date, locale, result, extra)


def _catalog_language(catalog: pofile.Catalog, path: Path) -> str:
    """The locale of a catalog: its header, else its place in the tree."""
    from ..locales import locale_from_path

    return catalog.language or locale_from_path(path.resolve()) or ""


def _decide_one(path: Path, key: Key, seen_hash: str, seen_state: ReviewState | None,
                action: Callable[[pofile.Entry, str], bool]) -> bool:
    """Apply *action* (entry, locale) to entry *key* if it is still as seen."""
    with pofile.edit(path) as catalog:  # locked; nothing is written if this raises
        entry = _checked_entry(catalog, key, seen_hash, seen_state)
        return action(entry, _catalog_language(catalog, path))


def approve_entry(path: Path, key: Key, seen_hash: str, reviewer: str, date: str, *,
                  seen_state: ReviewState | None = None, project: Project | None = None
                  ) -> bool:
    """Approve the entry *key* of the catalog at *path* if it is still as seen.

    *seen_hash* is :func:`locflow.review.text_hash` of the entry when it was shown
    (and *seen_state* its state, if given). Raises :class:`ConflictError` when the
    entry changed or is gone; returns False when it is not ``translated`` or an
    error-level check fails on it (with *project*, the glossary check too).
    """
    return _decide_one(path, key, seen_hash, seen_state,
                       lambda entry, locale: _approve_one(
                           entry, reviewer, date, locale, None, check_extra(project, locale)))


def approve_correction(path: Path, key: Key, seen_hash: str, reviewer: str, date: str, *,
                       seen_state: ReviewState | None = None, project: Project | None = None
                       ) -> bool:
    """Approve the correction draft *key* (``sync`` carried a change of numbers into an
    approved translation) in one step, if it is still as seen: the draft becomes the
    translation and is approved, as ``review approve --corrections`` does.

    Raises :class:`ConflictError` as :func:`approve_entry` does; returns False when the
    entry is no correction draft (any more) or an error-level check fails on it.
    """
    return _decide_one(path, key, seen_hash, seen_state,
                       lambda entry, locale: _approve_correction(
                           entry, reviewer, date, locale, None, check_extra(project, locale)))


def reject_entry(path: Path, key: Key, seen_hash: str, reviewer: str, date: str, reason: str,
                 *, seen_state: ReviewState | None = None) -> bool:
    """Reject the entry *key* with *reason* if it is still as seen (see :func:`approve_entry`)."""
    return _decide_one(path, key, seen_hash, seen_state,
                       lambda entry, _: reject(entry, reviewer, date, reason))


def edit_entry(path: Path, key: Key, seen_hash: str, msgstrs: Sequence[str], *,
               seen_state: ReviewState | None = None) -> bool:
    """Replace the translation of entry *key* if it is still as seen; it becomes
    ``translated`` (see :func:`locflow.review.set_translation`)."""
    return _decide_one(path, key, seen_hash, seen_state,
                       lambda entry, _: set_translation(entry, list(msgstrs)))


def approve_entries(path: Path, seen: Mapping[Key, str], reviewer: str, date: str, *,
                    corrections: bool = False, project: Project | None = None
                    ) -> ReviewResult:
    """Approve the translated entries among *seen* (key → text hash as shown), all or none.

    If any of them changed or is gone, nothing is written and :class:`ConflictError`
    names them. Entries of *seen* that are no longer ``translated`` (approved or
    rejected by someone else meanwhile) are skipped and counted. A correction draft is
    fuzzy, so it is never approved this way; with *corrections*, the correction drafts
    among *seen* are approved instead (:func:`approve_correction`), and nothing else.
    """
    approve_one = _approve_correction if corrections else _approve_one
    result = ReviewResult()
    with pofile.edit(path) as catalog:
        index = catalog.index()
        changed = tuple(key for key, digest in seen.items()
                        if key not in index or text_hash(index[key]) != digest)
        if changed:
            raise ConflictError(
                f"{len(changed)} entr{'y' if len(changed) == 1 else 'ies'} changed since shown",
                path=path, keys=changed)
        locale = _catalog_language(catalog, path)
        extra = check_extra(project, locale)
        for key in seen:
            entry = index[key]
            state = entry_state(entry)
            skipped_before = result.skipped
            if approve_one(entry, reviewer, date, locale, result, extra):
                result.changed += 1
            elif result.skipped == skipped_before:
                result.skip(state.value)
    if result.changed:
        result.catalogs_written.append(str(path))
    return result


def review_resolve(
    refs: Sequence[CatalogRef], take: str, *, msgid: str | None = None
) -> ReviewResult:
    """Settle the merge conflicts selected: keep the ``current`` text or take the ``other``."""
    from ..review import resolve_conflict

    return _review(refs, msgid, lambda entry, *_: resolve_conflict(entry, take))
