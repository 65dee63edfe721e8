"""``locflow translate`` (machine translation drafts) and ``locflow glossary show``."""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from ._context import AppContext, pass_app
from ._options import LocaleType, format_option, resolve_catalogs, selection_options
from ._text import count


def engine_options(app: AppContext, provider: str | None, url: str | None) -> Any:
    """The engine to use: the command line over the environment over ``[mt]`` in
    locflow.toml, with where its URL came from (``--url``, ``LOCFLOW_MT_URL``, the
    repository): :mod:`locflow.mt.endpoint` decides from that whether keys go there."""
    import os

    from ..errors import ConfigError
    from ..mt import EngineOptions, UrlOrigin
    from ..mt.endpoint import URL_VARIABLE
    from ..mt.engines import ENGINES

    settings = app.project.config.mt
    name = provider or settings.provider
    if not name:
        raise ConfigError("no MT provider: give --provider NAME or set [mt] provider "
                          "in locflow.toml")
    same = name == settings.provider
    from_env = os.environ.get(URL_VARIABLE) or None
    spec = ENGINES.get(name)
    origin: UrlOrigin = "repository"
    if url:
        origin = "cli"
    elif from_env and spec is not None and spec.takes_url:  # for an engine that takes one
        url, origin = from_env, "env"
    elif same:
        url = settings.url
    return EngineOptions(
        provider=name,
        url=url,
        url_origin=origin,
        timeout=settings.timeout,
        codes=settings.codes if same else {},
        max_chars=settings.max_chars if same else None,
        region=settings.region if same else None,
        free_api=settings.free_api,
    )


class _Progress:
    """A progress bar on stderr when it is a terminal; nothing otherwise."""

    def __init__(self) -> None:
        self.bar: Any = None
        self.shown = 0

    def __call__(self, done: int, total: int) -> None:
        if not sys.stderr.isatty():
            return
        if self.bar is None:
            self.bar = click.progressbar(length=total, label="translating", file=sys.stderr)
            self.bar.__enter__()
        self.bar.update(done - self.shown)
        self.shown = done

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


def run_translate(app: AppContext, refs: list[Any], provider: str | None, url: str | None,
                  limit: int | None, dry_run: bool, concurrency: int | None) -> Any:
    """Draft *refs* and print what happened; shared by ``translate`` and ``pipeline``."""
    import os

    from .. import pipeline
    from ..mt.endpoint import endpoint
    from ..mt.engines import ENGINES
    from ..mt.run import RetryPolicy

    options = engine_options(app, provider, url)
    settings = app.project.config.mt
    if options.provider not in ENGINES:
        from ..errors import ConfigError

        raise ConfigError(f"unknown MT provider {options.provider!r} "
                          f"(known: {', '.join(ENGINES)})")
    # a bad URL, a key that would travel where it must not: exit 2 before anything else
    where = endpoint(options, os.environ)
    if where.notice:
        click.echo(where.notice, err=True)
    bar = _Progress()
    try:
        result = pipeline.translate(
            app.project, refs, options, limit=limit, dry_run=dry_run,
            concurrency=concurrency or settings.concurrency,
            policy=RetryPolicy(retries=settings.retries, backoff=settings.backoff),
            progress=bar,
        )
    finally:
        bar.close()
    if dry_run:
        click.echo(
            f"would draft {count(result.entries, 'entry', 'entries')} with "
            f"{result.engine}: {count(result.pieces, 'text')}, {result.cached} in the MT cache, "
            f"{count(result.requests, 'request')}, "
            f"{count(result.characters, 'character')} to send"
        )
    else:
        for label in result.catalogs_written:
            click.echo(f"drafted {label}")
        click.echo(
            f"translate: {count(result.drafted, 'draft')} with {result.engine} "
            f"({count(result.cached, 'text')} from the MT cache, "
            f"{count(result.requests, 'request')})",
            err=True,
        )
    if result.structure_changed:
        click.echo(f"warning: {count(result.structure_changed, 'draft')} lost a link, code "
                   "span or tag "
                   "(flagged structure-changed; see locflow check)", err=True)
    if result.refused:
        click.echo(f"warning: {count(result.refused, 'entry', 'entries')} "
                   f"left untranslated, the engine's answer refused ({result.refusal})",
                   err=True)
    if result.skipped:
        click.echo(f"skipped {result.skipped} entr{'ies' if result.skipped != 1 else 'y'} "
                   "(plural, or filled in meanwhile)", err=True)
    return result


@click.command()
@selection_options
@click.option("--provider", metavar="NAME",
              help="google, mymemory, libre, deepl, microsoft or baidu "
                   "(default: [mt] provider in locflow.toml).")
@click.option("--url", metavar="URL",
              help="The LibreTranslate server (libre only; default: $LOCFLOW_MT_URL, then "
                   "[mt] url). Keys from the environment go only to a URL given here or "
                   "in $LOCFLOW_MT_URL.")
@click.option("--limit", type=click.IntRange(min=1), metavar="N",
              help="Draft at most N entries.")
@click.option("--concurrency", type=click.IntRange(min=1, max=64), metavar="N",
              help="Requests in flight at once (default: [mt] concurrency, 4).")
@click.option("--dry-run", is_flag=True,
              help="Send and write nothing; say how many requests a run would make.")
@pass_app
def translate(app: AppContext, paths: tuple[str, ...], locales: tuple[str, ...],
              articles: tuple[str, ...], provider: str | None, url: str | None,
              limit: int | None, concurrency: int | None, dry_run: bool) -> None:
    """Draft untranslated entries with machine translation, as fuzzy drafts.

    Only untranslated entries are drafted; fuzzy, translated, approved and
    rejected ones are never touched. A draft is marked fuzzy with a comment
    naming the engine, the date and the source it was made from. Links, code,
    HTML tags, placeholders and the glossary's do-not-translate terms are kept
    from the engine. Answers are cached in .locflow/. Keys come from
    environment variables only (see the README). Exits 3 when the engine fails
    for good, after saving the drafts made so far.

    Example: locflow translate --locale es --provider libre --url http://localhost:5000/
    """
    refs = resolve_catalogs(app, paths, locales, articles)
    if not paths:  # a derived locale is converted at build, never machine-translated
        from ..errors import InputError

        derived = {d.locale: d.base for d in app.project.config.derived}
        asked = [ref.locale for ref in refs if ref.locale in derived and locales]
        if asked:
            raise InputError(f"{asked[0]} is converted from {derived[asked[0]]} at build, not "
                             "translated: correct its conversions with `locflow derive`")
        refs = [ref for ref in refs if ref.locale not in derived]
    run_translate(app, refs, provider, url, limit, dry_run, concurrency)


@click.group()
def glossary() -> None:
    """The project glossary: glossary/<locale>.csv (term, translation, kind, note)."""


@glossary.command()
@click.option("--locale", "-l", "locales", multiple=True, type=LocaleType(),
              help="Only this locale (repeatable).")
@format_option("text", "json")
@pass_app
def show(app: AppContext, locales: tuple[str, ...], fmt: str) -> None:
    """Print the glossary's terms for each target locale.

    Example: locflow glossary show --locale es
    """
    from .. import glossary as glossaries

    project = app.project
    loaded = [glossaries.load(project, loc) for loc in locales or project.config.target_locales]
    rows = glossaries.rows(loaded)
    if fmt == "json":
        click.echo(json.dumps({"terms": rows}, ensure_ascii=False, indent=2))
        return
    for g in loaded:
        if not g.terms:
            click.echo(f"{g.locale}: no glossary (glossary/{g.locale}.csv)", err=True)
            continue
        click.echo(f"== {g.locale} ({g.path})")
        width = max(len(t.term) for t in g.terms)
        for t in g.terms:
            shown = {"translate": t.translation, "do-not-translate": "(do not translate)",
                     "forbidden": f"never: {t.translation}"}[t.kind]
            note = f"  # {t.note}" if t.note else ""
            click.echo(f"{t.term.ljust(width)}  {shown}{note}")
