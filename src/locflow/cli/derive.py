"""``locflow derive``: a derived locale's catalogs opened for an editor's corrections."""

from __future__ import annotations

import click

from ._context import AppContext, pass_app
from ._text import count


@click.command()
@click.option("--locale", "locale", metavar="LOCALE",
              help="The derived locale ([derived] in locflow.toml; default: the only one).")
@click.option("--article", "articles", metavar="SLUG", multiple=True, required=True,
              help="An article to correct (repeatable); 'site' for the interface strings.")
@pass_app
def derive(app: AppContext, locale: str | None, articles: tuple[str, ...]) -> None:
    """Open a derived locale's catalogs for correction.

    A derived locale (zh_Hant from zh_Hans, say) is never translated: its pages
    are the base locale's published text, converted at build. This writes the
    conversion of every base translation into locales/<locale>/articles/<slug>.po;
    correct what conversion got wrong in any PO editor, then run `locflow sync`:
    it keeps only the entries you changed (the overrides), which are reviewed
    like any translation.

    Example: locflow derive --locale zh_Hant --article my-article
    """
    from ..errors import InputError
    from ..locales import canonical_spelling
    from ..pipeline.syncing.overrides import open_overrides

    project = app.project
    derived = project.config.derived
    if locale is None:
        if len(derived) != 1:
            names = ", ".join(d.locale for d in derived) or "none in locflow.toml"
            raise InputError(f"give --locale: the derived locales are {names}")
        locale = derived[0].locale
    for item in open_overrides(project, canonical_spelling(locale), articles):
        what = count(item.opened, "conversion")
        if item.opened:
            click.echo(f"{project.relative(item.path)}: {what} to correct")
        elif not item.path.exists():
            click.echo(f"{item.article}: nothing to correct yet (no translation in the base "
                       "locale is translated or approved)")
        else:
            click.echo(f"{project.relative(item.path)}: nothing to add")
    click.echo("edit what conversion got wrong, then run `locflow sync`: it keeps only "
               "your changes", err=True)
