"""The ``locflow`` command line: parse options, call the library, render.

Every library error is a :class:`~locflow.errors.LocflowError`; the root group
catches it once, prints ``Error: <file:line>: <message>`` to stderr and exits
with the error's code: 1 checks failed, 2 bad input or usage, 3 a service failed.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import click

from ._context import AppContext


def _display_path(path: str) -> str:
    """Show paths relative to the working directory when they are inside it."""
    try:
        return (
            os.path.relpath(path)
            if os.path.isabs(path) and Path(path).resolve().is_relative_to(Path.cwd())
            else path
        )
    except (ValueError, OSError):
        return path


class LocflowGroup(click.Group):
    """Root group: turns library errors into one line on stderr and an exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        from ..errors import LocflowError

        try:
            return super().invoke(ctx)
        except LocflowError as exc:
            where = ""
            if exc.path is not None:
                where = _display_path(exc.path) + (f":{exc.line}" if exc.line else "") + ": "
            click.echo(f"Error: {where}{exc.message}", err=True)
            ctx.exit(exc.exit_code)
        except BrokenPipeError:
            # the reader went away (`locflow review list | head`): stop quietly
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, 1)
            ctx.exit(1)
        except OSError as exc:
            name = f"{_display_path(exc.filename)}: " if exc.filename else ""
            click.echo(f"Error: {name}{exc.strerror or exc}", err=True)
            ctx.exit(2)


@click.group(cls=LocflowGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "-C",
    "directory",
    metavar="DIR",
    default=".",
    type=click.Path(file_okay=False, path_type=Path),
    help="Run as if started in DIR (like git -C).",
)
@click.version_option(package_name="locflow")
@click.pass_context
def cli(ctx: click.Context, directory: Path) -> None:
    """locflow: Markdown articles → gettext catalogs → reviewed, localized pages.

    \b
    Translators edit locales/<locale>/articles/<slug>.po in any PO editor.
    Editors run `locflow review`. CI runs `locflow check`.
    `locflow pipeline` runs every stage on the project.
    """
    ctx.obj = AppContext(directory)


def _register() -> None:
    from . import build, catalog, check, derive, memory, merge, review, serve, translate

    for command in (
        catalog.init,
        catalog.sync,
        derive.derive,
        review.status,
        review.review,
        memory.memory,
        translate.translate,
        translate.glossary,
        check.check,
        build.build,
        serve.serve,
        catalog.pipeline,
        merge.merge_driver,
    ):
        cli.add_command(command)


_register()


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="locflow")
