"""``locflow build``."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ._context import AppContext, pass_app
from ._text import count

if TYPE_CHECKING:
    from ..config import Project
    from ..publish import BuildResult


@click.command()
@click.option("--out", "out", metavar="DIR", type=click.Path(file_okay=False, path_type=Path),
              help="Write the bundles here (default: [build] out in locflow.toml, 'dist').")
@click.option("--archive", is_flag=True,
              help="Also write one zip per locale to <out>/archives/<lang>.zip.")
@pass_app
def build(app: AppContext, out: Path | None, archive: bool) -> None:
    """Render the localized bundles of every published article version.

    A locale version is published only when its entries pass the publishing
    gate ([build] publish and min_percent); the others are held back and listed
    with the reason. Unchanged bundles are not rewritten; bundles of deleted or
    unpublished articles are removed.

    Example: locflow build --out dist --archive
    """
    from ..publish import build_site

    target = out.resolve() if out is not None else None  # --out is relative to the cwd
    result = build_site(app.project, out=target, archive=archive)
    render_build(app.project, result)


def _where(project: Project, path: Path) -> str:
    """*path* relative to the project, else to the cwd when below it, else absolute."""
    relative = project.relative(path)
    if os.path.isabs(relative):
        try:
            below = os.path.relpath(path)
        except ValueError:
            return relative
        return relative if below.startswith("..") else below
    return relative


def render_build(project: Project, result: BuildResult) -> None:
    """Print what a build did: bundles per locale, held-back versions and why, the output."""
    counts: dict[str, list[int]] = {}
    for bundle in result.bundles:
        rendered, total = counts.setdefault(bundle.tag, [0, 0])
        counts[bundle.tag] = [rendered + bundle.rendered, total + 1]
    for tag, (rendered, total) in counts.items():
        detail = f"{rendered} rendered, {total - rendered} unchanged" if rendered < total else (
            f"{rendered} rendered")
        click.echo(f"{tag}: {count(total, 'article')} published ({detail})")
    if result.held_back:
        click.echo(f"held back: {count(len(result.held_back), 'version')}")
        for held in result.held_back:
            click.echo(f"  {held.tag}/{held.article}: {held.reason}")
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    for tag, summary in sorted(result.site_strings.items()):
        entries, published = summary["entries"], summary["published"]
        if not summary["catalog"]:
            click.echo(f"warning: {tag}: no site.po; interface strings stay in the source "
                       "language (run `locflow sync`)", err=True)
        elif published < entries:
            click.echo(f"warning: {tag}: {entries - published} of {entries} interface strings "
                       "not approved; they stay in the source language", err=True)
    for name in result.removed:
        click.echo(f"removed {name}")
    for name in result.archives:
        click.echo(f"archive {_where(project, result.out / name)}")
    click.echo(f"build: {count(len(result.bundles), 'bundle')} in {_where(project, result.out)}, "
               f"{count(len(result.written), 'file')} written, {len(result.removed)} removed, "
               f"{len(result.held_back)} held back")
