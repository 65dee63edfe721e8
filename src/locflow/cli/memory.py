"""``locflow memory search|import|stats|rebuild``: the translation memory."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from ._context import AppContext, pass_app
from ._options import LocaleType, format_option
from ._text import count


@click.group()
def memory() -> None:
    """Search and extend the translation memory.

    The memory is every translated and approved entry of the project's catalogs,
    plus the TMX and PO files in memory/. Its index lives in .locflow/ (a cache,
    rebuilt from those files as they change).
    """


def _warn(message: str) -> None:
    click.echo(f"warning: {message}", err=True)


def render_matches(matches: Sequence[Any]) -> str:
    """Matches as text: score, state and origin on one line, source and target below."""
    lines = []
    for m in matches:
        state = "approved" if m.approved else "translated"
        if m.kind == "import":
            state = "imported"
        where = f"{m.path}:{m.line}" if m.line else m.path
        level = f", sentence {m.position}" if m.level == "sentence" else ""
        lines.append(f"{m.score:5.1f}%  {m.locale}  {m.origin} ({state}{level})  {where}")
        lines.append(f"        {m.source}")
        lines.append(f"      → {m.target}")
    return "\n".join(lines) + ("\n" if lines else "")


@memory.command()
@click.argument("text")
@click.option(
    "--locale",
    "-l",
    "locales",
    multiple=True,
    type=LocaleType(),
    help="Only this locale (repeatable; default: every target locale).",
)
@click.option(
    "--min-score",
    type=click.FloatRange(1, 100),
    default=50.0,
    show_default=True,
    help="Lowest similarity (percent) shown.",
)
@click.option(
    "--limit", type=click.IntRange(1), default=5, show_default=True, help="Matches per locale."
)
@format_option("text", "json")
@pass_app
def search(
    app: AppContext,
    text: str,
    locales: tuple[str, ...],
    min_score: float,
    limit: int,
    fmt: str,
) -> None:
    """Show the memories most similar to TEXT, with scores and where they come from.

    Whole entries and the aligned sentences of translated paragraphs are both
    searched; approved translations rank first among equal scores.

    Example: locflow memory search "Schools were closed on Monday." --locale es
    """
    from ..memory import search_memory

    matches = search_memory(
        app.project, text, locales, min_score=min_score, limit=limit, warn=_warn
    )
    if fmt == "json":
        click.echo(
            json.dumps(
                {"query": text, "matches": [m.as_dict() for m in matches]},
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    if not matches:
        click.echo(f"no memory scores {min_score:g}% or more", err=True)
        return
    click.echo(render_matches(matches), nl=False)


@memory.command(name="import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--locale",
    "-l",
    type=LocaleType(),
    help="The file's target locale (required for a PO file without a Language header; "
    "for TMX: only this locale).",
)
@pass_app
def import_(app: AppContext, file: Path, locale: str | None) -> None:
    """Add a TMX or PO file to the memory.

    The file is checked, copied into memory/ (memory/<locale>/ with --locale), so
    that it is committed with the project, and indexed. Fuzzy and untranslated
    PO entries are left out.

    Example: locflow memory import agency.tmx
    """
    from ..memory import import_memory

    project = app.project
    result = import_memory(project, file, locale, warn=_warn)
    counts = ", ".join(f"{n} {loc}" for loc, n in result.units.items())
    verb = "already in the memory:"
    if result.copied:
        verb = "replaced" if result.replaced else "imported"
    click.echo(f"{verb} {project.relative(result.path)} ({counts})")


@memory.command()
@format_option("text", "json")
@pass_app
def stats(app: AppContext, fmt: str) -> None:
    """Show what the memory holds: files, entries and sentences per locale.

    Example: locflow memory stats
    """
    from ..memory import memory_stats

    found = memory_stats(app.project, warn=_warn)
    locales = sorted({locale for locale, _ in found.units})
    rows = [
        {
            "locale": locale,
            "entries": found.units.get((locale, "entry"), 0),
            "approved": found.approved.get(locale, 0),
            "sentences": found.units.get((locale, "sentence"), 0),
        }
        for locale in locales
    ]
    if fmt == "json":
        data = {
            "catalogs": found.origins.get("catalog", 0),
            "imports": found.origins.get("import", 0),
            "sources": found.sources,
            "locales": rows,
        }
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    click.echo(
        f"{count(found.origins.get('catalog', 0), 'catalog')}, "
        f"{count(found.origins.get('import', 0), 'imported file')}, "
        f"{count(found.sources, 'distinct source text')}"
    )
    for row in rows:
        click.echo(
            f"{row['locale']}: {row['entries']} entries ({row['approved']} approved), "
            f"{row['sentences']} aligned sentences"
        )


@memory.command()
@pass_app
def rebuild(app: AppContext) -> None:
    """Throw the memory's index away and read every catalog and imported file again.

    Never needed for correctness (the index follows the files by itself).

    Example: locflow memory rebuild
    """
    from ..memory import rebuild_memory

    result = rebuild_memory(app.project)
    for problem in result.unreadable:
        _warn(f"left out of the translation memory: {problem}")
    click.echo(f"memory rebuilt from {count(len(result.read), 'file')}", err=True)
