"""``locflow merge-driver``: git's merge driver for PO and POT files."""

from __future__ import annotations

from pathlib import Path

import click

_FILE = click.Path(dir_okay=False, path_type=Path)


@click.command("merge-driver")
@click.argument("base", type=_FILE)
@click.argument("ours", type=_FILE)
@click.argument("theirs", type=_FILE)
@click.argument("path", required=False)
@click.pass_context
def merge_driver(ctx: click.Context, base: Path, ours: Path, theirs: Path,
                 path: str | None) -> None:
    """Merge two versions of a PO/POT file entry by entry (git's merge driver).

    Git runs it as `locflow merge-driver %O %A %B %P` (ancestor, ours, theirs, the
    file's path) and takes OURS, rewritten, as the result. Header fields never
    conflict; review decisions follow the text they were made on; a changed source
    keeps the other side's new translation as fuzzy. Two different translations of an
    entry keep ours as fuzzy with theirs in a `# locflow-conflict:` comment, and the
    exit status is 1 so git reports the file as conflicted. Set up with
    `locflow init --git`.

    Example: git config merge.locflow.driver "locflow merge-driver %O %A %B %P"
    """
    from ..catalog.driver import merge_files

    result = merge_files(base, ours, theirs, path)
    if not result.conflicts:
        return
    for item in result.conflicts:
        source = item.msgid if len(item.msgid) <= 60 else item.msgid[:57] + "..."
        click.echo(f"{result.label}:{item.line}: conflict: two translations of {source!r}",
                   err=True)
    count = len(result.conflicts)
    click.echo(
        f"{result.label}: {count} conflicting translation{'s' * (count != 1)} kept as fuzzy "
        "with the other one in a '# locflow-conflict:' comment: choose the text, delete the "
        "comment and clear fuzzy",
        err=True,
    )
    ctx.exit(1)
