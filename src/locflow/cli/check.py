"""``locflow check``: the quality gate for CI and translators."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

import click

if TYPE_CHECKING:
    from ..checks import Require
    from ..model import Finding

from ._context import AppContext, pass_app
from ._options import resolve_catalogs, selection_options
from ._text import count

FORMATS = ("text", "json", "junit", "github", "sarif")


class _Echoed:
    """Text written through ``click.echo`` (which copes with the terminal's encoding) in
    chunks of about 64 KiB: a report is written piece by piece, never held whole."""

    def __init__(self) -> None:
        self.pending: list[str] = []
        self.size = 0

    def write(self, text: str) -> int:
        self.pending.append(text)
        self.size += len(text)
        if self.size >= 65536:
            self.flush()
        return len(text)

    def flush(self) -> None:
        if self.pending:
            click.echo("".join(self.pending), nl=False)
        self.pending, self.size = [], 0

    def finish(self) -> None:
        """The report is complete: the rest goes out."""
        self.flush()

    def close(self) -> None:
        """(what a failed run has not written yet stays unwritten)"""


class _Opened:
    """The report file, opened (and emptied) when its first text is ready: a run that
    fails before it has any result leaves an earlier report as it was."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.file: TextIO | None = None

    def write(self, text: str) -> int:
        if self.file is None:
            self.file = open(self.path, "w", encoding="utf-8")  # noqa: SIM115  (close())
        return self.file.write(text)

    def finish(self) -> None:
        """The report is complete: the file exists even if it is empty (github, clean)."""
        self.write("")

    def close(self) -> None:
        if self.file is not None:
            self.file.close()


def _colour_wanted(output: str | None) -> bool:
    return output is None and "NO_COLOR" not in os.environ and sys.stdout.isatty()


@click.command()
@selection_options
@click.option("--require", type=click.Choice(["translated", "approved"]), default="translated",
              show_default=True,
              help="translated: untranslated, fuzzy and rejected entries are errors; "
                   "approved: so is every entry not approved.")
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True,
              help="Output format.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True),
              help="Write the report to FILE instead of standard output.")
@click.option("--baseline", type=click.Path(dir_okay=False, exists=True),
              help="Ignore the findings recorded in this baseline file (with "
                   "--require approved: content findings only).")
@click.option("--verify-approvals", is_flag=True,
              help="Each approval must have been committed (git blame) by an editor of "
                   "[review] editors under the name it records (an editor listed by name "
                   "only: in a commit signed by a key trusted for that name); else a "
                   "forged-approval error.")
@click.option("--base", metavar="REF",
              help="With --verify-approvals: read [review] editors and require_signed from "
                   "locflow.toml as committed at REF (the branch a pull request merges into, "
                   "e.g. origin/main); a change of them in the working tree is an error.")
@click.option("--max-behind", type=click.IntRange(min=0), metavar="DAYS",
              help="Fail when a translation shows entries from an earlier English version "
                   "(outdated) and the English article was updated more than DAYS days ago.")
@click.option("--write-baseline", type=click.Path(dir_okay=False, writable=True),
              help="Record every current finding in FILE (to adopt check on old catalogs).")
@pass_app
def check(app: AppContext, paths: tuple[str, ...], locales: tuple[str, ...],
          articles: tuple[str, ...], require: Require, strict: bool, fmt: str, output: str | None,
          baseline: str | None, verify_approvals: bool, base: str | None,
          max_behind: int | None, write_baseline: str | None) -> None:
    """Check catalogs: review states, numbers, links, markup, placeholders and more.

    Checks the project's catalogs (or --locale/--article), or the PO files given
    (their locale from the Language header). Exits 0 when there is no error-level
    finding, 1 when there is one, 2 on bad input. A translator comment
    `# locflow-ignore: numbers` on an entry silences a content check for it,
    never a state check (untranslated, fuzzy, rejected, unapproved).

    With --verify-approvals, git history must show each approval committed by an
    editor listed in locflow.toml ([review] editors) under the name it records. In
    CI, add --base with the branch the pull request merges into: the list is then
    read from there, which the pull request cannot change (without --base it is read
    from the working tree, and the report says so).

    Example: locflow check --require approved --verify-approvals --base origin/main
    """
    from .. import pipeline
    from ..checks import Tally
    from ..checks import report as formats
    from ..errors import ChecksFailed
    from ..pipeline.checking import check_report

    if base is not None and not verify_approvals:
        raise click.UsageError("--base only applies with --verify-approvals")
    project = app.project_if_any if paths else app.project
    verify = pipeline.VerifyApprovals.of(project, base, strict) if verify_approvals else None
    refs = resolve_catalogs(app, paths, locales, articles)
    # written catalog by catalog as the checks go: a large project's findings are never
    # all in memory, nor its report (the file is opened when its first text is ready)
    stream: _Echoed | _Opened = _Opened(output) if output else _Echoed()
    report = formats.writer(fmt, stream, colour=_colour_wanted(output))
    recorder = None
    try:
        recorder = formats.BaselineWriter() if write_baseline else None

        def sink(path: str, findings: list[Finding]) -> None:
            if recorder is not None:  # recorded, not reported
                recorder.add(findings)
                findings = []
            report.catalog(path, findings)

        tally = check_report(
            refs, sink, require, strict, project=project,
            baseline=Path(baseline) if baseline and not write_baseline else None,
            verify_approvals=verify, max_behind=max_behind,
        )
        if recorder is not None and write_baseline:  # (sorted: written at the end)
            with open(write_baseline, "w", encoding="utf-8") as file:
                recorder.write(file)
            click.echo(f"wrote {count(recorder.count, 'finding')} to the baseline "
                       f"{write_baseline}", err=True)
            tally = Tally(files_checked=tally.files_checked, files=tally.files,
                          entries_checked=tally.entries_checked)
        summary = tally.summary()
        report.close(summary)
        stream.finish()
    finally:
        report.release()
        stream.close()
        if recorder is not None:
            recorder.close()
    if output:
        click.echo(f"{count(summary['errors'], 'error')}, {count(summary['warnings'], 'warning')}: "
                   f"report written to {output}", err=True)  # the same line for every format
    elif fmt == "github" and not report.written:
        click.echo()  # (a workflow command log with nothing in it: one empty line)
    if tally.failed:
        errors = summary["errors"]
        raise ChecksFailed(f"{count(errors, 'error')} found by locflow check")
