"""``locflow init``, ``locflow sync`` and ``locflow pipeline``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from ..checks import Require

from ._context import AppContext, pass_app
from ._text import count, describe_overrides


@click.command()
@click.option(
    "--git",
    "git",
    is_flag=True,
    help="Also enable locflow's merge driver for PO files in this clone's git config.",
)
@pass_app
def init(app: AppContext, git: bool) -> None:
    """Create locflow.toml, content/ and locales/ in the project directory.

    Also marks PO and POT files for locflow's merge driver in .gitattributes. Git
    runs a driver only once the clone's config names it: --git does that (safe to
    run again, e.g. in an existing project or a fresh clone). Existing files are
    left alone; .gitignore gets the rules locflow needs (its caches and temporary
    files) added if they are missing.

    Example: locflow -C my-site init --git
    """
    from .. import pipeline
    from ..config import write_default_config

    app.directory.mkdir(parents=True, exist_ok=True)
    ignore_existed = (app.directory / ".gitignore").exists()
    created = write_default_config(app.directory)
    for path in created:  # an existing .gitignore only gets lines added: "updated"
        updated = ignore_existed and path.name == ".gitignore"
        click.echo(f"{'updated' if updated else 'created'} {path}")
    attributes = app.directory / ".gitattributes"
    existed = attributes.exists()
    if pipeline.write_gitattributes(app.directory):
        click.echo(f"{'updated' if existed else 'created'} {attributes}")
        created.append(attributes)
        if not git:
            click.echo(
                "to let git merge catalogs entry by entry, run once per clone: "
                "locflow init --git",
                err=True,
            )
    if git:
        driver = pipeline.register_merge_driver(app.directory, _locflow_command())
        click.echo(f"git config merge.locflow.driver {driver!r}")
    elif not created:
        click.echo("nothing to do: the project is already set up", err=True)


def _locflow_command() -> str:
    """How git should start this locflow: by name when that finds this installation."""
    import shlex
    import shutil
    import sys

    # Not resolved: a virtual environment's python is a symlink out of it.
    found = shutil.which("locflow")
    if found and Path(found).absolute().parent == Path(sys.executable).absolute().parent:
        return "locflow"
    return f"{shlex.quote(sys.executable)} -m locflow"


@click.command()
@click.option(
    "--article", "articles", multiple=True, metavar="SLUG", help="Only this article (repeatable)."
)
@click.option(
    "--check",
    "dry_run",
    is_flag=True,
    help="Write nothing; exit 1 if the catalogs are not up to date with content/ (for CI).",
)
@click.option(
    "--no-memory",
    is_flag=True,
    help="Do not pre-fill untranslated entries from the translation memory.",
)
@click.option(
    "--warnings",
    "all_warnings",
    is_flag=True,
    help="List every article's warnings about its source (raw HTML the page cannot "
    "publish), also those reported before.",
)
@pass_app
def sync(app: AppContext, articles: tuple[str, ...], dry_run: bool, no_memory: bool,
         all_warnings: bool) -> None:
    """Segment articles into templates and merge every locale's catalog.

    Works like msgmerge --previous: unchanged text keeps its translation, changed
    text keeps the old one as fuzzy with the old source shown, removed text
    becomes obsolete (#~). No translation is ever lost. Unchanged sources change
    no byte.

    Entries still untranslated are pre-filled from the translation memory: an
    exact match of an approved translation becomes translated (awaiting review),
    a close match or matching sentences a fuzzy draft. Entries with any text are
    never touched.

    What the page cannot publish of an article's raw HTML (an <iframe>, an onclick)
    is a warning when the article is new or changed; --warnings lists them all.

    Example: locflow sync --warnings
    """
    from .. import pipeline
    from ..errors import ChecksFailed

    result = pipeline.sync(app.project, only=articles, write=not dry_run, memory=not no_memory)
    if all_warnings:  # every source warning, the others after them (each once)
        result.warnings = list(dict.fromkeys([*result.source_warnings, *result.warnings]))
    if not dry_run:
        _print_sync(app, result)
        return
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    stale = [app.project.relative(p) for p in result.templates_written]
    stale += [app.project.relative(c.path) for c in result.written]
    stale += [app.project.relative(o.path) for o in result.overrides if o.written]
    for label in stale:
        click.echo(f"out of date: {label}")
    if stale:
        raise ChecksFailed(
            f"{count(len(stale), 'file')} not in sync with content/: run 'locflow sync'"
        )
    click.echo("catalogs are up to date", err=True)


def _print_sync(app: AppContext, result: object, *, summary_to_stderr: bool = True) -> None:
    from ..pipeline import SyncResult

    assert isinstance(result, SyncResult)
    project = app.project
    for item in result.catalogs:
        if not item.written:
            continue
        s = item.stats
        verb = "created" if item.created else "updated"
        parts = [
            f"{n} {label}"
            for n, label in (
                (s.new, "new"),
                (s.fuzzy, "fuzzy"),
                (s.obsoleted, "obsolete"),
                (s.revived, "revived"),
            )
            if n
        ]
        m = item.memory
        if m is not None and m.total:
            found = [
                f"{n} {label}"
                for n, label in ((m.exact, "exact"), (m.fuzzy, "fuzzy"), (m.sentences, "sentences"))
                if n
            ]
            parts.append(f"from memory: {', '.join(found)}")
        click.echo(
            f"{verb} {project.relative(item.path)}" + (f" ({', '.join(parts)})" if parts else "")
        )
    for override in result.overrides:
        if override.written:
            click.echo(f"updated {project.relative(override.path)} "
                       f"({describe_overrides(override.stats)})")
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    for path in result.orphaned:
        click.echo(
            f"warning: {project.relative(path)} has no article in content/ "
            "(kept; delete it yourself if the article is gone for good)",
            err=True,
        )
    click.echo(
        f"sync: {count(result.articles, 'article')}, {count(len(result.catalogs), 'catalog')}, "
        f"{len(result.written) + sum(o.written for o in result.overrides)} changed",
        err=summary_to_stderr,
    )


@click.command()
@click.option(
    "--require",
    type=click.Choice(["translated", "approved"]),
    default="approved",
    show_default=True,
    help="What the check stage requires of every entry.",
)
@click.option(
    "--out",
    metavar="DIR",
    type=click.Path(file_okay=False, path_type=Path),
    help="Where the build stage writes (default: [build] out in locflow.toml).",
)
@pass_app
def pipeline(app: AppContext, require: Require, out: Path | None) -> None:
    """Run every stage on the project: sync, translate, status, check, build.

    The translate stage drafts untranslated entries with machine translation
    only when [mt] provider is set in locflow.toml.

    Exits 1 when the check stage finds errors (after building what may be
    published), 2 on bad input.

    Example: locflow pipeline
    """
    from .. import pipeline as stages
    from ..checks.report import render
    from ..errors import ChecksFailed
    from ..publish import build_site
    from .build import render_build
    from .review import print_derived, render_status

    project = app.project
    click.echo("== sync")
    _print_sync(app, stages.sync(project), summary_to_stderr=False)

    if project.config.mt.provider:
        # Only with a provider in locflow.toml: the Quickstart stays offline.
        from .translate import run_translate

        click.echo(f"\n== translate ({project.config.mt.provider})")
        derived = {d.locale for d in project.config.derived}  # converted, not translated
        run_translate(app, [ref for ref in stages.project_catalogs(project)
                            if ref.locale not in derived], None, None, None, False, None)

    click.echo("\n== status")
    refs = stages.project_catalogs(project)
    click.echo(render_status(stages.status(refs)), nl=False)
    print_derived(stages.derived_status(project, refs))

    click.echo(f"\n== check (--require {require})")
    report = stages.check(refs, require=require, project=project)
    click.echo(render(report.findings, report.summary(), "text"), nl=False)

    click.echo("\n== build")
    render_build(project, build_site(project, out=out.resolve() if out else None))
    if report.failed:
        errors = report.summary()["errors"]
        raise ChecksFailed(f"{count(errors, 'error')} found by the check stage")
