"""Quality checks on translations: a registry of small pure functions.

Each content check takes ``(source, translation, ctx)`` and returns messages in
a translator's words (an empty list means the entry passes)::

    >>> [p.message for p in check_entry("Vote 7-2", "Votación 7 a 3", CheckContext("es"))]
    ['3 in the translation; the source says 2']

State checks (``untranslated``, ``fuzzy``, ``rejected``, ``unapproved``) look at
the entry's :class:`~locflow.model.ReviewState` instead and are applied by
:func:`check_catalog` according to ``require``. New checks (``glossary``) join
with :func:`register`; nothing else needs to know about them.

A translator comment ``# locflow-ignore: numbers, urls`` on an entry silences
those content checks for it (``# locflow-ignore: all`` silences every content
check). State checks cannot be silenced that way: the comment is written by the
people the gate checks, and a ``# locflow-ignore: fuzzy`` would let a draft
through ``check --require approved`` (issue 7). Nor can a baseline silence them
under ``require="approved"`` (:func:`baseline_protected`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple

from ..model import Finding, ReviewState, Severity

__all__ = [
    "CHECKS",
    "LANGUAGE_CHECK",
    "Check",
    "CheckContext",
    "Problem",
    "Report",
    "Tally",
    "baseline_protected",
    "basic_state",
    "blocking_problems",
    "check_catalog",
    "check_entry",
    "entry_problems",
    "ignored_checks",
    "register",
    "run_checks",
    "state_checks",
]

Require = Literal["translated", "approved"]


@dataclass(frozen=True)
class CheckContext:
    """What a content check may know about an entry besides its two texts.

    ``locale`` is the target locale ("es", "zh_Hans", "zh_CN"); ``flags`` the
    entry's gettext flags ("python-format", ...); ``comments`` its translator
    comments; ``plural`` is True when the texts are a plural form;
    ``extra`` holds data later checks need (a glossary) without new fields.
    """

    locale: str
    flags: tuple[str, ...] = ()
    comments: str = ""
    plural: bool = False
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def language(self) -> str:
        """The bare language code: ``"zh"`` for ``zh_Hans``."""
        return self.locale.replace("-", "_").split("_", 1)[0].lower()


ContentCheck = Callable[[str, str, CheckContext], list[str]]


@dataclass(frozen=True)
class Check:
    """A registered check: its id, default severity and, for content checks, its function."""

    id: str
    severity: Severity
    description: str
    function: ContentCheck | None = None  # None for state checks

    @property
    def is_state(self) -> bool:
        return self.function is None


class Problem(NamedTuple):
    """What :func:`check_entry` returns: a finding without its place."""

    check: str
    severity: Severity
    message: str


CHECKS: dict[str, Check] = {}


def register(
    check_id: str, severity: Severity, description: str
) -> Callable[[ContentCheck], ContentCheck]:
    """Decorator adding a content check to :data:`CHECKS` under *check_id*."""

    def decorate(function: ContentCheck) -> ContentCheck:
        CHECKS[check_id] = Check(check_id, severity, description, function)
        return function

    return decorate


for _id, _description in [
    ("untranslated", "the entry has no translation"),
    ("fuzzy", "the translation is a draft (fuzzy) and needs review"),
    ("rejected", "a reviewer rejected the translation"),
    ("unapproved", "the translation is not approved (with --require approved)"),
    ("forged-approval",
     "the approval was not committed by a listed editor (with --verify-approvals)"),
]:
    CHECKS[_id] = Check(_id, Severity.ERROR, _description)
# A merge left two translations (`locflow merge-driver`); locflow-ignore cannot silence it.
CHECKS["conflict"] = Check("conflict", Severity.ERROR, "a merge left two translations to choose")
_CONFLICT_PREFIX = "locflow-conflict:"  # review.CONFLICT_PREFIX

LANGUAGE_CHECK = "language"  # a catalog-level warning: the catalog names no language
CHECKS[LANGUAGE_CHECK] = Check(
    LANGUAGE_CHECK, Severity.WARNING, "the catalog says its language (Language header or path)"
)

# Who may approve (``check --verify-approvals``): about locflow.toml, not an entry.
TRUST_CHECKS = ("trust-settings-changed", "trust-from-working-tree", "behind")
CHECKS["trust-settings-changed"] = Check(
    "trust-settings-changed", Severity.ERROR,
    "the pull request changes who may approve ([review] in locflow.toml, against --base)")
# A published translation that follows an older English version for too long
# (``check --max-behind DAYS``): about a catalog, not an entry's text.
CHECKS["behind"] = Check(
    "behind", Severity.ERROR,
    "a published translation is more days behind its English article than --max-behind allows")
CHECKS["trust-from-working-tree"] = Check(
    "trust-from-working-tree", Severity.WARNING,
    "the editors were read from the working tree, not from the base branch (no --base)")

from . import content as _content  # noqa: E402  (registers the content checks)
from .numbers import numbers as _numbers  # noqa: E402

register("numbers", Severity.ERROR, "every number of the source is in the translation")(_numbers)
_content.register_all(register)


@register("glossary", Severity.ERROR,
          "glossary terms use their approved rendering, never a forbidden one")
def _glossary(source: str, translation: str, ctx: CheckContext) -> list[str]:
    from ..glossary import Glossary, check

    found = ctx.extra.get("glossary")
    return check(source, translation, found) if isinstance(found, Glossary) else []


_IGNORE_RE = re.compile(r"locflow-ignore\s*:\s*([\w\-, *]+)")


def state_checks() -> frozenset[str]:
    """The ids of the checks on an entry's state (and its approval), not its text.

    ``language`` (a warning about the catalog's header) is none of them.

    >>> sorted(state_checks())
    ['conflict', 'forged-approval', 'fuzzy', 'rejected', 'unapproved', 'untranslated']
    """
    return frozenset(
        check.id for check in CHECKS.values()
        if check.is_state and check.id != LANGUAGE_CHECK and check.id not in TRUST_CHECKS
    )


def ignored_checks(comments: str) -> frozenset[str]:
    """The content check ids a ``# locflow-ignore: a, b`` translator comment silences.

    State checks named in it are left out: they cannot be ignored.

    >>> sorted(ignored_checks("keep this\\nlocflow-ignore: numbers, urls, fuzzy"))
    ['numbers', 'urls']
    """
    if "locflow-ignore" not in comments:  # (nearly every entry)
        return frozenset()
    ids: set[str] = set()
    for match in _IGNORE_RE.finditer(comments):
        ids.update(part.strip() for part in match.group(1).split(",") if part.strip())
    return frozenset(ids - state_checks())


def baseline_protected(require: Require) -> frozenset[str]:
    """The checks whose findings a baseline never suppresses under *require*.

    A baseline is committed by the people the gate checks. Under ``approved`` (the
    publishing gate) no state finding can be baselined away; under ``translated``
    a baseline may carry the untranslated and fuzzy entries of old catalogs, so a
    project can adopt the gate before its backlog is done. A forged approval is
    never suppressed.
    """
    return state_checks() if require == "approved" else frozenset({"forged-approval"})


def check_entry(
    source: str,
    translation: str,
    ctx: CheckContext,
    *,
    checks: Iterable[str] | None = None,
    strict: bool = False,
) -> list[Problem]:
    """Run the content checks on one source/translation pair.

    *checks* limits the run to those ids (default: every registered content
    check). Checks named in a ``locflow-ignore`` comment of ``ctx.comments`` are
    skipped. With *strict*, warnings are reported as errors.
    """
    ignored = ignored_checks(ctx.comments)
    if "all" in ignored:
        return []
    wanted = list(CHECKS) if checks is None else list(checks)
    problems: list[Problem] = []
    for check_id in wanted:
        check = CHECKS[check_id]
        if check.function is None or check_id in ignored:
            continue
        severity = Severity.ERROR if strict else check.severity
        problems.extend(
            Problem(check_id, severity, message)
            for message in check.function(source, translation, ctx)
        )
    return problems


def _state_problem(state: ReviewState, require: Require) -> str | None:
    """The state check an entry in *state* fails under *require*, if any."""
    if state in (ReviewState.UNTRANSLATED, ReviewState.FUZZY, ReviewState.REJECTED):
        return str(state.value)
    if require == "approved" and state is ReviewState.TRANSLATED:
        return "unapproved"
    return None


_STATE_MESSAGES = {
    "untranslated": "not translated yet",
    "fuzzy": "the translation is marked fuzzy: review it and clear the flag",
    "rejected": "a reviewer rejected this translation",
    "unapproved": "translated but not approved yet",
}


def basic_state(entry: Any) -> ReviewState:
    """Review state from gettext's own marks only: untranslated, fuzzy or translated."""
    translated = entry.msgstr_plural.get(0, "") if entry.msgid_plural else entry.msgstr
    if not translated:
        return ReviewState.UNTRANSLATED
    return ReviewState.FUZZY if "fuzzy" in entry.flags else ReviewState.TRANSLATED


def is_draft(entry: Any) -> bool:
    """True for an unreviewed machine or memory draft (fuzzy, with a provenance)."""
    from ..provenance import is_unreviewed_draft

    return is_unreviewed_draft(entry)


def check_catalog(
    catalog: Any,
    path_label: str,
    locale: str | None = None,
    article: str | None = None,
    require: Require = "translated",
    strict: bool = False,
    state_of: Callable[[Any], ReviewState] | None = None,
    extra: Mapping[str, Any] | None = None,
) -> list[Finding]:
    """Check every active entry of *catalog* (a ``locflow.catalog.pofile.Catalog``).

    State checks follow *require*; content checks run on translated and approved
    entries (for plural entries, ``msgstr[0]`` against ``msgid`` and the other
    forms against ``msgid_plural``). Obsolete entries are never checked.
    *locale* defaults to the catalog's ``Language`` header. *state_of* maps an
    entry to its review state: pass ``locflow.review.entry_state`` (the default,
    :func:`basic_state`, knows no approvals). *extra* reaches content checks as
    ``CheckContext.extra`` (``{"glossary": Glossary}``). Content checks overridden
    by a current approval (``review approve --force``) are silenced for that text.

    A machine or memory draft (fuzzy with a ``locflow-draft`` provenance comment)
    fails ``fuzzy`` and is content-checked too, so a link an engine lost shows
    up (``markup``, ``urls``) before anyone starts reviewing it.
    """
    if state_of is None:
        state_of = basic_state
    locale = locale or getattr(catalog, "language", None) or ""
    findings: list[Finding] = []
    for entry in catalog.active():
        line = int(getattr(entry, "line", 0) or getattr(entry, "linenum", 0) or 0)

        def finding(check: str, severity: Severity, message: str, entry: Any = entry,
                    line: int = line) -> Finding:
            return Finding(check, severity, message, path_label, line, entry.msgid,
                           entry.msgctxt, locale or None, article)

        comments = entry.tcomment or ""
        if _CONFLICT_PREFIX in comments and any(
                line.startswith(_CONFLICT_PREFIX) for line in comments.split("\n")):
            findings.append(finding("conflict", Severity.ERROR,
                                    "two translations after a merge: choose one, delete the "
                                    "locflow-conflict comment and clear fuzzy"))
            continue
        state = state_of(entry)
        problem = _state_problem(state, require)
        if problem is not None:  # never ignored: see the module docstring
            findings.append(finding(problem, Severity.ERROR, _STATE_MESSAGES[problem]))
            if problem != "unapproved" and not (problem == "fuzzy" and is_draft(entry)):
                continue
        for p in entry_problems(entry, locale, strict=strict, extra=extra):
            findings.append(finding(p.check, p.severity, p.message))
    return findings


def entry_problems(entry: Any, locale: str, *, strict: bool = False,
                   extra: Mapping[str, Any] | None = None) -> list[Problem]:
    """The content-check problems of one translated catalog entry, each once.

    Plural entries check ``msgstr[0]`` against ``msgid`` and the other forms
    against ``msgid_plural``. Checks silenced by a ``locflow-ignore`` comment,
    or overridden by the entry's current approval (``review approve --force``),
    are skipped.
    """
    from ..review import overridden_checks

    comments = entry.tcomment or ""
    overridden = overridden_checks(entry)
    if overridden:
        comments += "\nlocflow-ignore: " + ", ".join(sorted(overridden))
    ctx_args = {"locale": locale, "flags": tuple(entry.flags), "comments": comments,
                "extra": extra or {}}
    if entry.msgid_plural:
        pairs = [
            (entry.msgid if n == 0 else entry.msgid_plural, text, True)
            for n, text in sorted(entry.msgstr_plural.items())
        ]
    else:
        pairs = [(entry.msgid, entry.msgstr, False)]
    seen: set[tuple[str, str]] = set()
    problems: list[Problem] = []
    for source, translation, plural in pairs:
        ctx = CheckContext(plural=plural, **ctx_args)  # type: ignore[arg-type]
        for p in check_entry(source, translation, ctx, strict=strict):
            if (p.check, p.message) not in seen:
                seen.add((p.check, p.message))
                problems.append(p)
    return problems


def blocking_problems(entry: Any, locale: str,
                      extra: Mapping[str, Any] | None = None) -> list[Problem]:
    """The error-level content problems that keep an entry from approval and publication.

    *extra* is the ``CheckContext.extra`` ``check`` gives the entry's catalog (the
    project's glossary for *locale*, ``{"glossary": Glossary}``): one rule for
    ``check``, ``review approve``, ``build`` and the desk.
    """
    return [p for p in entry_problems(entry, locale, extra=extra)
            if p.severity is Severity.ERROR]


@dataclass
class Report:
    """The findings of a run and what was checked."""

    findings: list[Finding] = field(default_factory=list)
    files_checked: int = 0
    files: list[str] = field(default_factory=list)  # the catalogs checked, in order
    entries_checked: int = 0
    suppressed: int = 0  # findings the baseline silenced

    @property
    def errors(self) -> int:
        return sum(f.severity is Severity.ERROR for f in self.findings)

    @property
    def warnings(self) -> int:
        return sum(f.severity is Severity.WARNING for f in self.findings)

    @property
    def failed(self) -> bool:
        """True when any finding is an error: ``locflow check`` then exits 1."""
        return self.errors > 0

    def summary(self) -> dict[str, Any]:
        """Counts per severity and per check, and what was checked (JSON-ready)."""
        return {
            "errors": self.errors,
            "warnings": self.warnings,
            "by_check": dict(sorted(Counter(f.check for f in self.findings).items())),
            "files_checked": self.files_checked,
            "files": list(self.files),
            "entries_checked": self.entries_checked,
            "suppressed_by_baseline": self.suppressed,
        }


@dataclass
class Tally:
    """What a report's summary says, without the findings: all a streamed ``check``
    keeps of them (:meth:`summary` is :meth:`Report.summary` for the same findings)."""

    errors: int = 0
    warnings: int = 0
    by_check: Counter[str] = field(default_factory=Counter)
    files_checked: int = 0
    files: list[str] = field(default_factory=list)  # the catalogs checked, in order
    entries_checked: int = 0
    suppressed: int = 0  # findings the baseline silenced

    def add(self, findings: Iterable[Finding]) -> None:
        """Count *findings* in."""
        for f in findings:
            self.errors += f.severity is Severity.ERROR
            self.warnings += f.severity is Severity.WARNING
            self.by_check[f.check] += 1

    @property
    def failed(self) -> bool:
        """True when any finding is an error: ``locflow check`` then exits 1."""
        return self.errors > 0

    def summary(self) -> dict[str, Any]:
        """Counts per severity and per check, and what was checked (JSON-ready)."""
        return {
            "errors": self.errors,
            "warnings": self.warnings,
            "by_check": dict(sorted(self.by_check.items())),
            "files_checked": self.files_checked,
            "files": list(self.files),
            "entries_checked": self.entries_checked,
            "suppressed_by_baseline": self.suppressed,
        }


def run_checks(
    catalogs: Iterable[tuple[Any, str, str | None, str | None]],
    require: Require = "translated",
    strict: bool = False,
    state_of: Callable[[Any], ReviewState] | None = None,
    extra_for: Callable[[str | None], Mapping[str, Any]] | None = None,
) -> Report:
    """Check several catalogs: ``(catalog, path_label, locale, article)`` tuples.

    *extra_for* gives the ``CheckContext.extra`` of a locale (its glossary).
    """
    report = Report()
    for catalog, path_label, locale, article in catalogs:
        report.files_checked += 1
        report.files.append(path_label)
        report.entries_checked += sum(1 for _ in catalog.active())
        language = locale or getattr(catalog, "language", None)
        extra = extra_for(language) if extra_for is not None else None
        report.findings.extend(
            check_catalog(catalog, path_label, locale, article, require, strict, state_of,
                          extra)
        )
    return report
