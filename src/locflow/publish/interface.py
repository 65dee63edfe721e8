"""The site's interface strings: templates, their extraction, and their translations.

Interface strings ("Current location:", "Release time:", ...) live in the Jinja2
templates as ``{% trans %}`` blocks and ``_()``/``gettext()``/``pgettext()``
calls. :func:`site_segments` extracts them with Babel's extractor for ``sync``
(which writes ``locales/templates/site.pot`` and merges each locale's
``site.po``); :func:`site_strings` compiles the publishable entries of a locale's
``site.po`` into an in-memory ``.mo`` at build time. Nothing is written into
``locales/``.

A project overrides a template by putting a file of the same name in its
``templates/`` folder; the effective set is the package's templates with the
project's files in their place (:func:`effective_templates`).
"""

from __future__ import annotations

import hashlib
import io
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..model import ReviewState, Segment
from .gate import Policy

if TYPE_CHECKING:
    import gettext

    import jinja2

    from ..config import Project

PACKAGE_TEMPLATES = Path(__file__).parent / "templates"
TEMPLATE_SUFFIXES = (".html", ".xml")
#: The largest template file read (a template is a page's frame, not its content).
MAX_TEMPLATE_BYTES = 1_000_000

#: Options shared by extraction and rendering, so runtime msgids equal extracted ones.
_EXTRACT_OPTIONS = {"extensions": "jinja2.ext.i18n", "trimmed": "true", "newstyle_gettext": "true"}


def effective_templates(project: Project) -> dict[str, Path]:
    """Template name → file: the package's templates, overridden per file name by the project's."""
    found: dict[str, Path] = {}
    for folder in (PACKAGE_TEMPLATES, project.templates_dir):
        if folder.is_dir():
            for path in sorted(folder.iterdir()):
                if folder != PACKAGE_TEMPLATES:
                    project.checked(path, "template")  # a link out of the project: refused
                if path.is_file() and path.suffix in TEMPLATE_SUFFIXES:
                    found[path.name] = path
    return dict(sorted(found.items()))


def templates_hash(templates: Mapping[str, Path]) -> str:
    """SHA-256 over the names and bytes of the effective templates."""
    digest = hashlib.sha256()
    for name in sorted(templates):
        data = templates[name].read_bytes()
        digest.update(f"{name}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()


def is_format_string(*texts: str | None) -> bool:
    """Whether an interface string is a ``%`` format string when rendered.

    Jinja2's newstyle gettext formats every string with ``%`` (a literal percent sign
    in a ``{% trans %}`` block is extracted as ``%%``). A msgid without any ``%``
    formats to itself, so it is not treated as one: its translation is used as
    written, and a translator's ``100%`` cannot break the page.
    """
    return any(t and "%" in t for t in texts)


#: The widest field (the width or precision of a ``%`` conversion) an interface string
#: may have: a translator's ``%(number)-99999999999s`` would make a page of any size.
MAX_FIELD_WIDTH = 100
_FIELD = re.compile(r"%(?:\([^()]*\))?[-#0 +]*(\d+)?(?:\.(\d+))?[hlL]?[a-zA-Z%]")


def widest_field(text: str) -> int:
    """The largest width or precision of the ``%`` conversions of *text*: 20 for
    ``%(number)-20s of %.3f, 100%%``, 0 for ``%(n)s``."""
    widest = 0
    for match in _FIELD.finditer(text):
        for number in match.groups():
            if number:
                widest = max(widest, int(number) if len(number) <= 9 else 10**9)
    return widest


def _flags(*texts: str | None) -> tuple[str, ...]:
    return ("python-format",) if is_format_string(*texts) else ()


def site_segments(project: Project) -> list[Segment]:
    """The interface strings of the effective templates, in order of first appearance.

    Templates are read in name order. A string used in several places is one
    segment whose references list every place (``templates/base.html:12``).
    ``context`` is set for ``pgettext`` strings, ``msgid_plural`` for plurals,
    and ``flags`` is ``("python-format",)`` when the text is a format string
    (:func:`is_format_string`: ``{% trans %}`` blocks with variables produce
    ``%(name)s``, a literal percent sign is ``%%``).
    """
    from babel.messages.extract import DEFAULT_KEYWORDS, extract
    from jinja2.ext import babel_extract

    from ..errors import InputError

    order: list[tuple[str | None, str]] = []
    found: dict[tuple[str | None, str], dict[str, Any]] = {}
    for name, path in effective_templates(project).items():
        where = project.relative(path)
        try:
            data = path.read_bytes()
            if len(data) > MAX_TEMPLATE_BYTES:
                raise InputError(f"template error: the template is over "
                                 f"{MAX_TEMPLATE_BYTES:,} bytes", path=where)
            data.decode("utf-8")
            messages = list(extract(babel_extract,  # type: ignore[arg-type]
                                    io.BytesIO(data), keywords=DEFAULT_KEYWORDS,
                                    options=_EXTRACT_OPTIONS))
        except OSError as exc:
            raise InputError(f"cannot read template: {exc.strerror}", path=where) from None
        except UnicodeDecodeError:
            raise InputError("template error: the template is not UTF-8 text",
                             path=where) from None
        except InputError:
            raise
        except Exception as exc:  # jinja2.TemplateSyntaxError and friends
            line = getattr(exc, "lineno", None)
            raise InputError(f"cannot extract strings: {describe_error(exc)}", path=where,
                             line=line if isinstance(line, int) else None) from None
        for lineno, message, _comments, context in messages:
            if isinstance(message, tuple):
                msgid, plural = message[0], message[1]
            else:
                msgid, plural = message, None
            if not msgid:
                continue
            key = (context, msgid)
            reference = f"templates/{name}:{lineno}"
            if key not in found:
                order.append(key)
                found[key] = {"plural": plural, "refs": []}
            elif plural and not found[key]["plural"]:
                found[key]["plural"] = plural
            if reference not in found[key]["refs"]:
                found[key]["refs"].append(reference)
    segments = []
    for context, msgid in order:
        info = found[(context, msgid)]
        segments.append(Segment(
            msgid=msgid,
            context=context,
            kind="interface",
            msgid_plural=info["plural"],
            flags=_flags(msgid, info["plural"]),
            references=tuple(info["refs"]),
        ))
    return segments


_QUOTED = re.compile(r"'([^']*)'|\"([^\"]*)\"")


def describe_error(exc: BaseException) -> str:
    """What went wrong in a template, in one line that quotes no more of it than a
    short, escaped excerpt of each name Jinja2 or Python put in quotes."""
    from ..errors import excerpt

    if isinstance(exc, RecursionError):
        return "templates include, extend or call themselves too deeply"
    if isinstance(exc, MemoryError):
        return "the template needs too much memory"
    if isinstance(exc, UnicodeDecodeError):
        return "the template is not UTF-8 text"
    name = getattr(exc, "name", None)
    if type(exc).__name__ == "TemplateNotFound" and isinstance(name, str):
        return f"no template {excerpt(name)}"
    message = str(getattr(exc, "message", None) or exc or "")
    message = _QUOTED.sub(lambda m: excerpt(m.group(1) if m.group(1) is not None
                                            else m.group(2)), message)
    message = " ".join(message.split())
    if len(message) > 120:
        message = message[:120] + "…"
    message = "".join(c if c.isprintable() else repr(c)[1:-1] for c in message)
    kind = type(exc).__name__
    if not message:
        return kind
    return message if kind.startswith(("Template", "Undefined", "Security")) else (
        f"{kind}: {message}")


@dataclass(frozen=True)
class SiteStrings:
    """A locale's publishable interface translations, compiled in memory."""

    locale: str
    translations: gettext.NullTranslations  # msgstrs are HTML-escaped (see _publishable_messages)
    digest: str  # SHA-256 of the publishable entries (changes only when the output can)
    total: int  # active entries of site.po
    publishable: int  # entries that pass the publishing gate
    exists: bool  # whether site.po exists
    warnings: tuple[str, ...] = ()  # "file:line: ..." of translations left out

    def summary(self) -> dict[str, Any]:
        return {"entries": self.total, "published": self.publishable, "catalog": self.exists}


def _escape(text: str) -> str:
    from markupsafe import escape

    return str(escape(text))


def _too_wide(entry: Any, where: str) -> str | None:
    """A warning when a translation of a format string has a field wider than
    :data:`MAX_FIELD_WIDTH` (it is left out: the source text is shown), else None."""
    from ..errors import excerpt

    if not is_format_string(entry.msgid, entry.msgid_plural):
        return None
    forms = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
    if all(widest_field(form or "") <= MAX_FIELD_WIDTH for form in forms):
        return None
    return (f"{where}:{entry.line}: the translation of {excerpt(entry.msgid)} has a field "
            f"width or precision over {MAX_FIELD_WIDTH}; the source text is shown")


def _publishable_messages(path: Path, policy: Policy, locale: str, where: str = "",
                          extra: Mapping[str, Any] | None = None
                          ) -> tuple[list[dict[str, Any]], int, str, list[str]]:
    """(messages that pass the gate, active entry count, Plural-Forms, warnings) of a
    site.po (*where*: its name in warnings; *extra*: its glossary, as ``check`` has it)."""
    from ..catalog import pofile
    from ..checks import blocking_problems
    from ..review import entry_state

    catalog = pofile.load(path)
    messages: list[dict[str, Any]] = []
    warnings: list[str] = []
    total = 0
    for entry in catalog.active():
        if not entry.msgid:
            continue
        total += 1
        state = entry_state(entry)
        if state is ReviewState.FUZZY or state is ReviewState.REJECTED:
            continue  # never, whatever the policy
        if not policy.allows(state):
            continue
        if blocking_problems(entry, locale, extra):
            continue  # a broken placeholder or link: the source text is shown instead
        warning = _too_wide(entry, where or str(path))
        if warning is not None:  # whatever an approval overrides
            warnings.append(warning)
            continue
        # Jinja2 marks what gettext returns as safe HTML (autoescape + newstyle): a
        # translation is text, so it is escaped here, once. The msgids are the
        # templates' own text and stay as the template author wrote them.
        if entry.msgid_plural:
            forms = [_escape(entry.msgstr_plural[k]) for k in sorted(entry.msgstr_plural)]
            if not all(forms):
                continue
            messages.append({"id": [entry.msgid, entry.msgid_plural], "str": forms,
                             "ctx": entry.msgctxt})
        else:
            messages.append({"id": entry.msgid, "str": _escape(entry.msgstr),
                             "ctx": entry.msgctxt})
    plural_forms = str(catalog.metadata().get("Plural-Forms", "") or "")
    return messages, total, plural_forms, warnings


def compile_mo(messages: list[dict[str, Any]], locale: str, plural_forms: str) -> bytes:
    """Compile messages (``{"id", "str", "ctx"}``) to ``.mo`` bytes with Babel's writer."""
    import datetime as dt

    from babel.messages.catalog import Catalog
    from babel.messages.mofile import write_mo

    from ..locales import plural_forms as default_plural_forms

    fixed = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)  # no clock in the output
    catalog = Catalog(locale=locale, creation_date=fixed, revision_date=fixed, fuzzy=False)
    catalog.mime_headers = [
        ("Content-Type", "text/plain; charset=utf-8"),
        ("Plural-Forms", plural_forms or default_plural_forms(locale)),
    ]
    for message in messages:
        msgid = tuple(message["id"]) if isinstance(message["id"], list) else message["id"]
        msgstr = tuple(message["str"]) if isinstance(message["str"], list) else message["str"]
        catalog.add(msgid, msgstr, context=message["ctx"])
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def site_strings(project: Project, locale: str, policy: Policy) -> SiteStrings:
    """The interface translations of *locale* that may be published (fuzzy never).

    The source locale, and a locale without ``site.po``, get the templates' own text.
    """
    import gettext as gettext_module

    from babel.support import Translations

    from .catalogs import read_catalog

    path = project.site_catalog(locale)
    if locale == project.config.source_locale:
        return SiteStrings(locale, gettext_module.NullTranslations(),
                           hashlib.sha256(b"none").hexdigest(), 0, 0, path.exists())
    if read_catalog(project, path) is None:  # (an empty one or a dangling link: an error)
        return SiteStrings(locale, gettext_module.NullTranslations(),
                           hashlib.sha256(b"none").hexdigest(), 0, 0, False)
    from ..glossary import load

    messages, total, plural_forms, warnings = _publishable_messages(
        path, policy, locale, project.relative(path), {"glossary": load(project, locale)})
    canonical = json.dumps([messages, plural_forms], sort_keys=True, ensure_ascii=False)
    digest = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    try:
        translations = Translations(io.BytesIO(compile_mo(messages, locale, plural_forms)))
    except (ValueError, SyntaxError, RecursionError) as exc:  # gettext compiles plural=
        from ..catalog import pofile
        from ..errors import CatalogError

        header = pofile.load(path).header
        raise CatalogError(f"invalid Plural-Forms header ({exc})", path=path,
                           line=header.line if header else None) from None
    return SiteStrings(locale, translations, digest, total, len(messages), True,
                       tuple(warnings))


def _format(autoescape: bool, formatted: bool, source: str, translated: str,
            variables: dict[str, Any]) -> str:
    """*translated* formatted with *variables* as Jinja2's newstyle gettext does, except
    that translator text never breaks a page: a msgid that is not a format string keeps
    its translation as written, and a translation whose placeholders do not work with
    the template's variables (``%d``, ``%(x)s``, a lone ``%``) gives way to the source
    text. ``locflow check`` reports such a translation (``placeholders``)."""
    from markupsafe import Markup

    def apply(text: str) -> str:
        value = Markup(text) if autoescape else text
        return value % variables

    if not formatted:
        return Markup(translated) if autoescape else translated
    if widest_field(source) > MAX_FIELD_WIDTH:  # the template's own string
        from .sandbox import TemplateLimit

        raise TemplateLimit(f"an interface string has a field width or precision over "
                            f"{MAX_FIELD_WIDTH}")
    if widest_field(translated) > MAX_FIELD_WIDTH:
        return apply(source)
    try:
        return apply(translated)
    except (ValueError, TypeError, KeyError, IndexError, OverflowError, MemoryError):
        return apply(source)


def _install_gettext(env: jinja2.Environment, translations: gettext.NullTranslations) -> None:
    """Newstyle gettext callables that format safely (see :func:`_format`)."""
    from jinja2 import pass_context
    from jinja2.runtime import Context

    @pass_context
    def gettext(context: Context, message: str, **variables: Any) -> str:
        return _format(context.eval_ctx.autoescape, is_format_string(message), message,
                       translations.gettext(message), variables)

    def plural_form(lookup: Callable[[], str], source: str) -> str:
        try:
            return lookup()
        except ArithmeticError:  # a Plural-Forms expression such as n%0
            return source

    @pass_context
    def ngettext(context: Context, singular: str, plural: str, num: int,
                 **variables: Any) -> str:
        variables.setdefault("num", num)
        source = singular if num == 1 else plural
        translated = plural_form(lambda: translations.ngettext(singular, plural, num), source)
        return _format(context.eval_ctx.autoescape, is_format_string(singular, plural), source,
                       translated, variables)

    @pass_context
    def pgettext(context: Context, msgctxt: str, message: str, **variables: Any) -> str:
        variables.setdefault("context", msgctxt)
        return _format(context.eval_ctx.autoescape, is_format_string(message), message,
                       translations.pgettext(msgctxt, message), variables)

    @pass_context
    def npgettext(context: Context, msgctxt: str, singular: str, plural: str, num: int,
                  **variables: Any) -> str:
        variables.setdefault("context", msgctxt)
        variables.setdefault("num", num)
        source = singular if num == 1 else plural
        translated = plural_form(
            lambda: translations.npgettext(msgctxt, singular, plural, num), source)
        return _format(context.eval_ctx.autoescape, is_format_string(singular, plural), source,
                       translated, variables)

    # Set directly: install_gettext_callables(newstyle=True) would wrap these in
    # Jinja2's own formatter, which lets a translator's "%" raise.
    env.newstyle_gettext = True  # type: ignore[attr-defined]
    env.globals.update(gettext=gettext, ngettext=ngettext, pgettext=pgettext,
                       npgettext=npgettext)


def make_environment(project: Project,
                     translations: gettext.NullTranslations) -> jinja2.Environment:
    """A sandboxed Jinja2 environment over the effective templates, autoescaping, with
    *translations*.

    Project templates are repository content, so they run in Jinja2's
    :class:`~jinja2.sandbox.ImmutableSandboxedEnvironment`: no attribute starting
    with ``_``, no access to Python internals (``popen``, ``__globals__``), no
    changes to the data they are given; and within the bounds of
    :class:`~.sandbox.BoundedSandbox` (time, sizes, ``range()``). Files come only
    from the project's ``templates/`` (inside the project) and the package's templates.
    """
    import jinja2
    from jinja2.loaders import split_template_path

    from .sandbox import BoundedSandbox, TemplateLimit

    class ProjectLoader(jinja2.FileSystemLoader):
        """The project's templates/, every file checked to resolve inside the project."""

        def get_source(self, environment: jinja2.Environment, template: str
                       ) -> tuple[str, str, Any]:
            folder = project.templates_dir
            path = project.checked(folder.joinpath(*split_template_path(template)),
                                   "template")
            if path.is_file() and path.stat().st_size > MAX_TEMPLATE_BYTES:
                raise TemplateLimit(f"the template is over {MAX_TEMPLATE_BYTES:,} bytes")
            return super().get_source(environment, template)

    loader = jinja2.ChoiceLoader([
        ProjectLoader(str(project.templates_dir)),
        jinja2.FileSystemLoader(str(PACKAGE_TEMPLATES)),
    ])
    env = BoundedSandbox(
        loader=loader,
        autoescape=True,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.policies["ext.i18n.trimmed"] = True
    _install_gettext(env, translations)
    return env
