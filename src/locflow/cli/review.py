"""``locflow status`` and ``locflow review approve|reject|list``."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from collections.abc import Sequence
from typing import Any

import click

from ._context import AppContext, pass_app
from ._options import F, format_option, resolve_catalogs, selection_options
from ._text import count, printable

STATES = ("untranslated", "fuzzy", "rejected", "translated", "approved")


def render_status(rows: Sequence[Any]) -> str:
    """A plain-text table of catalog states (file names and locales escaped)."""
    # Merge conflicts are rare: their column shows only when there are some.
    conflicts = any(row.counts.conflicts for row in rows)
    outdated = any(row.counts.outdated for row in rows)
    header: tuple[str, ...] = ("catalog", "locale", *STATES, "obsolete", "approved%")
    header += ("conflicts",) if conflicts else ()
    header += ("outdated",) if outdated else ()
    table = [header]
    for row in rows:
        c = row.counts
        table.append(
            (
                printable(row.ref.label),
                printable(row.locale or "?"),
                *(str(getattr(c, s)) for s in STATES),
                str(c.obsolete),
                f"{c.percent_approved:.0f}%",
                *((str(c.conflicts),) if conflicts else ()),
                *((str(c.outdated),) if outdated else ()),
            )
        )
    widths = [max(len(r[i]) for r in table) for i in range(len(header))]
    lines = []
    for r in table:
        cells = [r[0].ljust(widths[0]), r[1].ljust(widths[1])]
        cells += [cell.rjust(width) for cell, width in zip(r[2:], widths[2:], strict=True)]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines) + "\n"


@click.command()
@selection_options
@format_option("text", "json")
@pass_app
def status(
    app: AppContext,
    paths: tuple[str, ...],
    locales: tuple[str, ...],
    articles: tuple[str, ...],
    fmt: str,
) -> None:
    """Show how far each catalog is: entries per review state, percent approved.

    Reads the project's catalogs, or the PO files given. Never writes.

    Example: locflow status --locale es --format json
    """
    from .. import pipeline
    from ..escaping import json_text
    from ..review import today

    rows = pipeline.status(resolve_catalogs(app, paths, locales, articles),
                           project=None if paths else app.project)
    late = [] if paths else pipeline.behind(
        app.project, [(r.ref, r.locale, r.counts.outdated) for r in rows],
        dt.date.fromisoformat(today()))
    derived = [] if paths else pipeline.derived_status(app.project, [r.ref for r in rows])
    if fmt == "json":
        click.echo(json_text({"catalogs": [r.as_dict() for r in rows],
                              "behind": [b.as_dict() for b in late],
                              **({"derived": [d.as_dict() for d in derived]} if derived else {})}))
    else:
        click.echo(render_status(rows), nl=False)
        print_derived(derived)
        if late:
            click.echo("\nbehind the English (a published page shows these entries from an "
                       "earlier version, marked outdated), most urgent first:")
        for item in late:
            since = (f"English updated {item.updated.isoformat()}, {item.days} day"
                     f"{'s' * (item.days != 1)} ago" if item.updated and item.days is not None
                     else "English update date unknown")
            click.echo(f"  {printable(item.ref.label)}: "
                       f"{count(item.outdated, 'entry', 'entries')} outdated; {since}")


def print_derived(derived: Sequence[Any]) -> None:
    if derived:
        click.echo("\nderived locales (pages converted at build from their base's published "
                   "text; overrides are entries an editor corrected):")
    for item in derived:
        stale = sum(n for _, n in item.stale)
        click.echo(f"  {item.locale} from {item.base} ({item.convert}): "
                   f"{count(item.overrides, 'override')}, {stale} stale")
        for label, n in item.stale:
            click.echo(f"    {printable(label)}: {count(n, 'stale override')} (the base "
                       "translation changed: check the new conversion, then approve)")


@click.group()
def review() -> None:
    """Approve, reject or list entries (editors); resolve merge conflicts."""


def _reviewer(name: str | None) -> str:
    from ..review import check_reviewer

    name = name or os.environ.get("LOCFLOW_REVIEWER")
    if not name:
        try:
            name = subprocess.run(
                ["git", "config", "user.name"],
                capture_output=True,
                text=True,
                check=False,
                timeout=5,
            ).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            name = ""
    if not name:
        raise click.UsageError("who is reviewing? pass --by NAME or set LOCFLOW_REVIEWER")
    return check_reviewer(name)


reviewer_option = click.option(
    "--by",
    "reviewer",
    metavar="NAME",
    help="Reviewer name (default: $LOCFLOW_REVIEWER, else git's user.name).",
)
all_option = click.option(
    "--all",
    "everything",
    is_flag=True,
    help="Every catalog of the project (required when nothing else is selected).",
)


msgid_option = click.option(
    "--msgid", metavar="TEXT", help="Only entries whose source text contains TEXT."
)


def decision_options(func: F) -> F:
    """What approve and reject share: the selection, --msgid, --all and --by."""
    for option in (reviewer_option, all_option, msgid_option, selection_options):
        func = option(func)
    return func


def _decision(
    app: AppContext,
    paths: tuple[str, ...],
    locales: tuple[str, ...],
    articles: tuple[str, ...],
    msgid: str | None,
    everything: bool,
    reviewer: str | None,
) -> tuple[list[Any], str, str]:
    """The catalogs, reviewer and date of a review decision (see :func:`_selected`)."""
    from ..review import today

    refs = _selected(app, paths, locales, articles, msgid, everything, "review")
    return refs, _reviewer(reviewer), today()


def _selected(app: AppContext, paths: tuple[str, ...], locales: tuple[str, ...],
              articles: tuple[str, ...], msgid: str | None, everything: bool,
              verb: str) -> list[Any]:
    """The catalogs a decision applies to; the whole project must be asked for by name
    (--all)."""
    if not (paths or locales or articles or msgid or everything):
        raise click.UsageError(
            f"say what to {verb}: PO files, --locale, --article, --msgid, or --all"
        )
    return resolve_catalogs(app, paths, locales, articles)


@review.command()
@decision_options
@click.option(
    "--force",
    is_flag=True,
    help="Approve entries that error-level checks fail too; the approval records "
    "the overridden checks ('override: numbers').",
)
@click.option(
    "--corrections",
    is_flag=True,
    help="Approve the correction drafts sync made too (a change of numbers only in the "
    "English text, carried into an approved translation: '# locflow-draft: correction 12→13').",
)
@pass_app
def approve(
    app: AppContext,
    paths: tuple[str, ...],
    locales: tuple[str, ...],
    articles: tuple[str, ...],
    msgid: str | None,
    everything: bool,
    reviewer: str | None,
    force: bool,
    corrections: bool,
) -> None:
    """Approve translated entries (those awaiting review).

    Untranslated, fuzzy, rejected and already approved entries are skipped, and
    so are entries an error-level check fails (numbers, urls, markup...): fix
    them, or approve them with --force, which the approval comment records.
    With --corrections, correction drafts (fuzzy) are approved in the same step.
    Exits 1 when a selected entry was not approved because a check fails, 2
    when the selection matches no entry.

    Example: locflow review approve --locale es --article my-article --by desk-editor
    """
    from .. import pipeline
    from ..errors import ChecksFailed

    refs, name, date = _decision(app, paths, locales, articles, msgid, everything, reviewer)
    result = pipeline.review_approve(refs, name, date, msgid=msgid, force=force,
                                     corrections=corrections, project=app.project_if_any)
    _print_result("approved", result, msgid)
    for item in result.overridden:
        click.echo(
            f"  approved over failing checks ({', '.join(item.checks)}): "
            f"{item.path}:{item.line}",
            err=True,
        )
    for item in result.failing:
        for check, message in item.problems:
            click.echo(
                f"  not approved: {item.path}:{item.line}: {check}: {printable(message)}",
                err=True,
            )
    if result.failing:
        raise ChecksFailed(
            f"{count(len(result.failing), 'entry', 'entries')} not approved: "
            "error-level checks fail; "
            "fix the translation, or approve anyway with --force (recorded in the approval)"
        )


@review.command()
@decision_options
@click.option("--reason", required=True, help="Why: the translator sees it in their editor.")
@pass_app
def reject(
    app: AppContext,
    paths: tuple[str, ...],
    locales: tuple[str, ...],
    articles: tuple[str, ...],
    msgid: str | None,
    everything: bool,
    reviewer: str | None,
    reason: str,
) -> None:
    """Send entries back to the translator: marks them fuzzy with your reason.

    Exits 2 when the selection matches no entry.

    Example: locflow review reject --msgid "7-2" --reason "the vote was 8-1" es.po
    """
    from .. import pipeline

    refs, name, date = _decision(app, paths, locales, articles, msgid, everything, reviewer)
    _print_result("rejected", pipeline.review_reject(refs, name, date, reason, msgid=msgid), msgid)


@review.command()
@selection_options
@msgid_option
@all_option
@click.option(
    "--take",
    type=click.Choice(["current", "other"]),
    required=True,
    help="Keep the text in the msgstr, or take the one in the locflow-conflict comment.",
)
@pass_app
def resolve(
    app: AppContext,
    paths: tuple[str, ...],
    locales: tuple[str, ...],
    articles: tuple[str, ...],
    msgid: str | None,
    everything: bool,
    take: str,
) -> None:
    """Settle conflicts a merge left (`locflow merge-driver`): choose a text.

    Removes the `# locflow-conflict:` comment and the fuzzy flag the merge set; the
    entry is then translated, ready for review (approved, if an approval of exactly the
    chosen text is still there). Entries without a conflict are skipped. Editing the
    entry in a PO editor does the same.

    Example: locflow review resolve --take other --msgid "7-2" locales/es/articles/vote.po
    """
    from .. import pipeline

    refs = _selected(app, paths, locales, articles, msgid, everything, "resolve")
    _print_result("resolved", pipeline.review_resolve(refs, take, msgid=msgid), msgid)


def _print_result(verb: str, result: Any, msgid: str | None) -> None:
    """Say what a decision did; a selection that matched no entry is an error (exit 2)."""
    from ..errors import InputError

    if not result.matched:
        what = f"no entry's source text contains {msgid!r}" if msgid else "no entry"
        raise InputError(f"nothing matched: {what} in the selected catalogs; nothing {verb}")
    skipped = ", ".join(f"{n} {state}" for state, n in sorted(result.skipped_states.items()))
    click.echo(
        f"{verb} {count(result.changed, 'entry', 'entries')}, "
        f"skipped {result.skipped}" + (f" ({skipped})" if skipped else "")
    )
    for label in result.catalogs_written:
        click.echo(f"  wrote {printable(label)}", err=True)


@review.command(name="list")
@selection_options
@msgid_option
@click.option(
    "--state",
    "states",
    multiple=True,
    type=click.Choice(STATES),
    help="Only entries in this state (repeatable).",
)
@format_option("text", "json")
@pass_app
def list_entries(
    app: AppContext,
    paths: tuple[str, ...],
    locales: tuple[str, ...],
    articles: tuple[str, ...],
    msgid: str | None,
    states: tuple[str, ...],
    fmt: str,
) -> None:
    """List entries with their review state.

    Example: locflow review list --state translated --locale zh_Hans
    """
    from .. import pipeline
    from ..escaping import json_text
    from ..model import ReviewState

    refs = resolve_catalogs(app, paths, locales, articles)
    rows = pipeline.review_list(refs, msgid=msgid, states=[ReviewState(s) for s in states])
    if fmt == "json":
        click.echo(json_text({"entries": [r.as_dict() for r in rows]}))
        return

    def short(text: str) -> str:  # one line, no control character raw on the terminal
        return printable(text if len(text) <= 60 else text[:57] + "...")

    for row in rows:
        click.echo(f"{printable(row.path)}:{row.line}: [{row.state}] {short(row.msgid)}")
        if row.msgstr:
            click.echo(f"    → {short(row.msgstr)}")
        if row.note:
            click.echo(f"    rejected: {printable(row.note)}")
        for event in row.history:
            click.echo(f"    earlier: {printable(event)}")
        if row.draft:
            click.echo(f"    draft: {printable(row.draft)}")
        if row.conflict is not None:
            other = " | ".join(row.conflict)
            other = other if len(other) <= 60 else other[:57] + "..."
            click.echo(f"    conflict, other version: {printable(other)}")
    click.echo(count(len(rows), "entry", "entries"), err=True)
