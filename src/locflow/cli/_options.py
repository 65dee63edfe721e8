"""Options and parameter types shared by several commands."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])


class LocaleType(click.ParamType):  # type: ignore[type-arg]  # generic only in click >= 8.2
    """A Babel locale identifier (``es``, ``zh_Hans``); anything else is a usage error."""

    name = "LOCALE"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        from ..errors import ConfigError
        from ..locales import validate_locale

        try:
            return validate_locale(str(value))
        except ConfigError as exc:
            self.fail(exc.message, param, ctx)


def selection_options(func: F) -> F:
    """``PATHS...``, ``--locale`` and ``--article``: which catalogs a command works on."""
    func = click.option(
        "--article",
        "articles",
        multiple=True,
        metavar="SLUG",
        help="Only this article (repeatable; 'site' for the interface catalog).",
    )(func)
    func = click.option(
        "--locale",
        "-l",
        "locales",
        multiple=True,
        type=LocaleType(),
        help="Only this locale (repeatable).",
    )(func)
    func = click.argument("paths", nargs=-1, type=click.Path(dir_okay=False))(func)
    return func


def format_option(*choices: str) -> Callable[[F], F]:
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(choices),
        default=choices[0],
        show_default=True,
        help="Output format.",
    )


def resolve_catalogs(
    app: Any, paths: tuple[str, ...], locales: tuple[str, ...], articles: tuple[str, ...]
) -> list[Any]:
    """PO paths given on the command line, or the project's catalogs."""
    from .. import pipeline

    if paths:
        if locales or articles:
            raise click.UsageError("give either PO files or --locale/--article, not both")
        return pipeline.file_catalogs(paths, app.directory)
    return list(
        pipeline.require_catalogs(pipeline.project_catalogs(app.project, locales, articles))
    )
