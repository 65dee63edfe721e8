"""One build's state: the output folder, the previous build, the gate's decisions, the
templates and the files it writes.

A :class:`Builder` is made once per build (and once per spawned pool worker): it loads
the previous manifest (:class:`~.manifest.PreviousBuild`), compiles each locale's
interface strings and templates, decides each article × locale (:class:`Version`,
reusing the previous decision when its inputs are the same) and renders templates,
turning a template's error into an :class:`~locflow.errors.InputError` naming it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, overload

from ..errors import ConfigError, InputError, LocflowError, excerpt
from ..locales import bcp47_tag
from ..model import ReviewState
from .catalogs import read_catalog
from .gate import EntryView, GateResult, Key, Policy
from .gate import evaluate as evaluate_gate
from .interface import effective_templates, site_strings, templates_hash
from .manifest import BUILD_FORMAT, GateRecord, PreviousBuild, RecordKey
from .results import BuildResult
from .site import MANIFEST, digest, sha256

if TYPE_CHECKING:
    import jinja2

    from ..config import Project
    from ..content import Article
    from ..model import Segment
    from .interface import SiteStrings


# -- paths --------------------------------------------------------------------


def resolve_out(project: Project, out: str | Path | None) -> Path:
    """The output folder: ``[build] out`` (which must resolve inside the project), or
    *out* as the caller gave it. Never the project itself, its sources or VCS data."""
    from ..paths import in_vcs_folder

    if out is None:
        path = project.out_dir  # checked: inside the project, links included
    else:
        path = Path(out)
        if not path.is_absolute():
            path = project.root / path
    path = path.resolve()
    root = project.root.resolve()
    protected = [project.content_dir, project.locales_dir, project.templates_dir]
    if (path == root or root.is_relative_to(path) or in_vcs_folder(path) or any(
            path == p.resolve() or path.is_relative_to(p.resolve()) for p in protected)):
        raise ConfigError(f"refusing to build into {path}: it holds the project's own files "
                          "(choose another --out / [build] out)")
    return path


def inside(out: Path, relative: str) -> Path:
    """``out / relative``, refusing anything that would land outside *out*."""
    path = (out / relative).resolve()
    if not path.is_relative_to(out) or path == out:
        raise LocflowError(f"refusing to write outside the output folder: {excerpt(relative)}")
    return path


# -- catalogs -----------------------------------------------------------------


def _catalog_entries(path: Path, locale: str, extra: Mapping[str, Any] | None = None
                     ) -> dict[Key, EntryView]:
    """The gate's view of a catalog: text, review state and failing error-level checks
    (*extra*: the catalog's ``CheckContext.extra``, its glossary, as ``check`` has it)."""
    from ..catalog import pofile
    from ..checks import blocking_problems
    from ..review import entry_state, is_outdated

    catalog = pofile.load(path)
    entries: dict[Key, EntryView] = {}
    for (context, msgid), entry in catalog.index().items():
        if getattr(entry, "obsolete", False) or not msgid:
            continue
        state = entry_state(entry)
        failing: tuple[str, ...] = ()
        if state in (ReviewState.APPROVED, ReviewState.TRANSLATED):
            failing = tuple(sorted({p.check for p in blocking_problems(entry, locale, extra)}))
        previous = None
        if state is not ReviewState.APPROVED and is_outdated(entry):
            previous = _previous_text(entry, locale, extra)
        entries[(context, msgid)] = EntryView(entry.msgstr or "", state, failing, previous)
    return entries


def _previous_text(entry: Any, locale: str, extra: Mapping[str, Any] | None = None
                   ) -> str | None:
    """The text approved for an earlier source of *entry* (verified), if no error-level
    check fails on it against that source (no silencing comment counts here)."""
    from ..catalog import pofile
    from ..checks import blocking_problems
    from ..review import previous_approval

    found = previous_approval(entry)
    if found is None:
        return None
    then = pofile.Entry(msgid=found.msgid, msgstr=found.msgstr, msgctxt=entry.msgctxt)
    return None if blocking_problems(then, locale, extra) else found.msgstr


@dataclass
class Version:
    """One article × locale while the build decides and renders."""

    article: Article
    locale: str
    tag: str
    catalog_hash: str | None  # None: source language, or no catalog
    gate_key: str
    published: bool
    reason: str | None
    review: dict[str, Any] | None
    is_source: bool = False
    published_before: bool = False  # the previous build published it (a living article)
    base: Version | None = None  # a derived locale's: the version it is converted from
    _gate: GateResult | None = None

    def record(self) -> GateRecord:
        """The gate's decision, as the manifest keeps it."""
        return GateRecord(self.article.slug, self.tag, self.gate_key, self.published,
                          self.reason, self.review)


class Builder:
    def __init__(self, project: Project, out: Path, archive: bool):
        self.project = project
        self.config = project.config
        self.out = out
        self.archive = archive
        self.policy = Policy(self.config.publish, self.config.min_percent,
                             self.config.outdated)
        self.result = BuildResult(out)
        self.previous = PreviousBuild.load(out / MANIFEST)
        self.templates = effective_templates(project)
        self.templates_hash = templates_hash(self.templates)
        self.derived = {d.locale: d for d in self.config.derived}
        self.locales = [self.config.source_locale, *self.config.target_locales, *self.derived]
        self.strings: dict[str, SiteStrings] = {
            locale: site_strings(project, locale, self.policy) for locale in self.locales
            if locale not in self.derived}
        if self.derived:
            from .converted import derived_site_strings

            self.strings.update({locale: derived_site_strings(project, derived, self.policy)
                                 for locale, derived in self.derived.items()})
        self._bases: dict[tuple[str, str], Version] = {}  # base versions a derived one reuses
        self._envs: dict[str, jinja2.Environment] = {}
        self._segments: dict[str, list[Segment]] = {}
        self._extras: dict[str, dict[str, Any]] = {}

    # -- inputs ----------------------------------------------------------------
    def segments(self, article: Article) -> list[Segment]:
        from ..segment import segment_article

        if article.slug not in self._segments:
            self._segments[article.slug] = segment_article(article, self.config.fields)
        return self._segments[article.slug]

    def extra(self, locale: str) -> dict[str, Any]:
        """The ``CheckContext.extra`` of *locale*'s catalogs, as ``check`` gives it: the
        project's glossary (loaded once per locale)."""
        from ..glossary import load

        if locale not in self._extras:
            self._extras[locale] = {"glossary": load(self.project, locale)}
        return self._extras[locale]

    def glossary_key(self, locale: str) -> list[Any]:
        """What of *locale*'s glossary the gate's decision depends on (none: [])."""
        terms = self.extra(locale)["glossary"].terms
        return [[[t.term, t.translation, t.kind] for t in terms]] if terms else []

    def env(self, locale: str) -> jinja2.Environment:
        from .interface import make_environment

        if locale not in self._envs:
            self._envs[locale] = make_environment(self.project, self.strings[locale].translations)
        return self._envs[locale]

    # -- the gate ----------------------------------------------------------------
    @overload
    def decide(self, article: Article, locale: str,
               previous: Mapping[RecordKey, GateRecord]) -> Version: ...

    @overload
    def decide(self, article: Article, locale: str,
               previous: Mapping[RecordKey, GateRecord], evaluate: bool) -> Version | None: ...

    def decide(self, article: Article, locale: str,
               previous: Mapping[RecordKey, GateRecord], evaluate: bool = True
               ) -> Version | None:
        """The gate's decision on *article* in *locale*: the previous build's if its inputs
        are the same, else evaluated (without *evaluate*: None)."""
        if locale in self.derived:
            return self._decide_derived(article, locale, previous, evaluate)
        tag = bcp47_tag(locale)
        if locale == self.config.source_locale:
            key = digest(["source", article.source_hash])
            return Version(article, locale, tag, None, key, True, None, None, is_source=True)
        path = self.project.article_catalog(locale, article.slug)
        data = read_catalog(self.project, path)
        catalog_hash = sha256(data) if data is not None else None
        key = digest([BUILD_FORMAT, article.source_hash, catalog_hash, self.policy.as_dict(),
                      list(self.config.fields), *self.glossary_key(locale)])
        old = previous.get((article.slug, tag))
        # a living article: the English changed since the previous build published this
        # version (or that build already showed it behind the English)
        shown = self.previous.bundles.get((article.slug, tag))
        before = shown is not None and (shown.inputs.source != article.source_hash or bool(
            shown.review and "outdated" in shown.review))
        if old is not None and old.gate_key == key:
            return self._kept(Version(article, locale, tag, catalog_hash, key, old.published,
                                      old.reason, old.review, published_before=before))
        if not evaluate:
            return None
        version = Version(article, locale, tag, catalog_hash, key, False, None, None,
                          published_before=before)
        self.evaluate(version, path if data is not None else None)
        return self._kept(version)

    def _kept(self, version: Version) -> Version:
        """*version*, kept for the derived locales converted from it (the last article's)."""
        if any(d.base == version.locale for d in self.derived.values()):
            if any(slug != version.article.slug for slug, _ in self._bases):
                self._bases.clear()
            self._bases[(version.article.slug, version.locale)] = version
        return version

    def _decide_derived(self, article: Article, locale: str,
                        previous: Mapping[RecordKey, GateRecord], evaluate: bool
                        ) -> Version | None:
        """A derived locale's decision: its base version's (the same gate), keyed also by
        the derived catalog, the conversion and the glossaries."""
        from ..derived import opencc_version

        derived = self.derived[locale]
        base = self._bases.get((article.slug, derived.base))
        if base is None:
            base = self.decide(article, derived.base, previous, evaluate)
            if base is None:
                return None
        tag = bcp47_tag(locale)
        data = read_catalog(self.project, self.project.article_catalog(locale, article.slug))
        own_hash = sha256(data) if data is not None else None
        key = digest([BUILD_FORMAT, "derived", base.gate_key, own_hash, derived.convert,
                      opencc_version(), *self.glossary_key(locale)])
        catalog_hash = digest([base.catalog_hash, own_hash])
        old = previous.get((article.slug, tag))
        if old is not None and old.gate_key == key:
            return Version(article, locale, tag, catalog_hash, key, old.published, old.reason,
                           old.review, published_before=base.published_before, base=base)
        if not evaluate:
            return None
        version = Version(article, locale, tag, catalog_hash, key, base.published, base.reason,
                          base.review, published_before=base.published_before, base=base)
        if base.published:
            version.review = self.gate(version).summary()
        return version

    def evaluate(self, version: Version, catalog: Path | None) -> GateResult:
        """Run the gate on *version* with the catalog at *catalog* (None: no catalog)."""
        # A catalog that cannot be read stops the build (CatalogError, exit 2): holding
        # the version back would remove its live page because of a broken input.
        entries = (_catalog_entries(catalog, version.locale, self.extra(version.locale))
                   if catalog is not None else None)
        gate = evaluate_gate(self.segments(version.article), entries, self.policy,
                             published_before=version.published_before)
        version._gate = gate
        version.published = gate.published
        version.reason = gate.reason
        version.review = gate.summary()
        return gate

    def gate(self, version: Version) -> GateResult:
        if version.base is not None and version._gate is None:
            version._gate = self._converted(version, self.gate(version.base))
        if version._gate is None:
            path = self.project.article_catalog(version.locale, version.article.slug)
            found = read_catalog(self.project, path) is not None
            self.evaluate(version, path if found else None)
            if not version.published:  # the catalog changed under us
                raise LocflowError(f"{self.project.relative(path)} changed during the build")
        assert version._gate is not None
        return version._gate

    def _converted(self, version: Version, base: GateResult) -> GateResult:
        """The derived *version*'s texts: *base*'s converted, or overridden."""
        from ..derived import entry_converter
        from ..glossary import load
        from .converted import converted_gate, current_overrides, load_pair, text_converter

        derived = self.derived[version.locale]
        slug = version.article.slug
        own, catalog, _ = load_pair(self.project, derived,
                                    self.project.article_catalog(derived.locale, slug),
                                    self.project.article_catalog(derived.base, slug))
        run = entry_converter(derived, load(self.project, derived.base),
                              self.extra(derived.locale)["glossary"])
        overrides = current_overrides(own, catalog, derived, self.policy, run,
                                      self.extra(derived.locale))
        template = {(s.context, s.msgid): s.msgid for s in self.segments(version.article)}
        return converted_gate(base, derived.base, overrides, text_converter(run, template))

    # -- templates ---------------------------------------------------------------
    def render(self, locale: str, name: str, **context: Any) -> str:
        """Render template *name* within the sandbox's bounds (:mod:`.sandbox`); any
        failure of a template is an :class:`InputError` naming it."""
        from .sandbox import render

        try:
            return render(self.env(locale).get_template(name), context)
        except LocflowError:
            raise  # (a template folder's link out of the project: named already)
        except Exception as exc:  # a template's error, whatever Python or Jinja2 raised
            raise self._template_error(name, exc) from None

    def check_templates(self) -> None:
        """Compile every effective template now, so a broken one stops the build before
        anything is written."""
        env = self.env(self.config.source_locale)
        for name in self.templates:
            try:
                env.get_template(name)
            except LocflowError:
                raise
            except Exception as exc:
                raise self._template_error(name, exc) from None

    def _template_error(self, name: str, exc: BaseException) -> InputError:
        """One line naming the template where *exc* happened (the innermost template of
        its traceback: an included one, a parent), its line, and what went wrong."""
        from .interface import describe_error

        path: str | None = str(self.templates[name]) if name in self.templates else None
        line = None
        if isinstance(getattr(exc, "filename", None), str):  # a syntax error
            path, line = exc.filename, getattr(exc, "lineno", None)  # type: ignore[attr-defined]
        else:
            files = {str(p) for p in self.templates.values()}
            files |= {str(self.project.templates_dir / n) for n in self.templates}
            tb = exc.__traceback__
            while tb is not None:
                if tb.tb_frame.f_code.co_filename in files:
                    path, line = tb.tb_frame.f_code.co_filename, tb.tb_lineno
                tb = tb.tb_next
        where = self.project.relative(Path(path)) if path is not None else name
        return InputError(f"template error: {describe_error(exc)}", path=where,
                          line=line if isinstance(line, int) else None)

    # -- writing ---------------------------------------------------------------
    def write(self, relative: str, data: bytes) -> str:
        """Write one file now (fsynced); :class:`~.outputs.Output` writes many at once."""
        from ..catalog.pofile import save_atomic

        path = inside(self.out, relative)
        path.parent.mkdir(parents=True, exist_ok=True)
        if save_atomic(path, data):
            self.result.written.append(relative)
        return sha256(data)

    def remove(self, relative: str) -> None:
        path = inside(self.out, relative)
        if path.is_file() or path.is_symlink():
            path.unlink()
            self.result.removed.append(relative)
        parent = path.parent
        while parent != self.out and parent.is_relative_to(self.out):
            try:
                parent.rmdir()  # only when empty
            except OSError:
                break
            parent = parent.parent
