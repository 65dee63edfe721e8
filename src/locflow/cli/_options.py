"""Options and parameter types shared by several commands."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])


class LocaleType(click.ParamType):  # type: ignore[type-arg]  # generic only in click >= 8.2
    """A Babel locale identifier spelled as in ``locflow.toml`` (``es``, ``zh_Hans``; ``-`` for
    ``_`` is fine); anything else, ``zh_hans`` too, is a usage error naming the spelling."""

    name = "LOCALE"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        from ..errors import ConfigError
        from ..locales import canonical_spelling

        try:
            return canonical_spelling(str(value))
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
    refs = pipeline.project_catalogs(app.project, locales, articles)
    found = {ref.article for ref in refs}
    for slug in articles:
        if slug not in found and slug != pipeline.SITE:
            _require_article(app.project, slug)
    return list(pipeline.require_catalogs(refs))


def _require_article(project: Any, slug: str) -> None:
    """An error (exit 2) if no article has *slug* (in content/, a template or a catalog),
    with the closest slug suggested; only called for a slug no selected catalog has."""
    from .. import pipeline
    from ..config import _suggest
    from ..content import find_article_files, read_articles
    from ..errors import InputError, LocflowError

    try:
        known = {article.slug for article in read_articles(project.content_dir)}
    except LocflowError:  # broken content: the file names are slugs enough for a hint
        known = {path.stem for path in find_article_files(project.content_dir)}
    folder = project.path("locales", "templates", "articles", what="templates folder")
    known |= {path.stem for path in folder.glob("*.pot")}
    known |= {str(ref.article) for ref in pipeline.project_catalogs(project, include_site=False)}
    if slug not in known:
        raise InputError(f"article {slug!r} does not exist{_suggest(slug, sorted(known))}")
