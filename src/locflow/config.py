"""Project configuration (``locflow.toml``) and the project's path layout.

A project is a directory with ``content/`` (source articles), ``locales/``
(catalogs) and an optional ``locflow.toml``. Every path locflow reads or writes
is computed here, so the layout lives in one place.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ConfigError
from .locales import validate_locale

CONFIG_FILE = "locflow.toml"
# https://host[:port]/path: a host, then a path, so that a prefix never matches another host
_EMBED_PREFIX = re.compile(r"https://[A-Za-z0-9.-]+(?::[0-9]+)?/[^\s\\<>\"']*")

DEFAULT_CONFIG_TEXT = """\
# locflow project configuration. Every key is optional; the values shown are the defaults.

[project]
# Shown in catalog headers and page footers.
name = "locflow project"
# The language articles are written in, and the languages they are translated into
# (Babel identifiers: es, zh_Hans, pt_BR, ...).
source_locale = "en"
target_locales = ["zh_Hans", "es"]

[segmentation]
# Front-matter fields that are translated (each gets a msgctxt naming the field);
# `section` is the page's breadcrumb.
fields = ["title", "summary", "section"]

[merge]
# Similarity (0-1) above which a changed paragraph keeps its old translation as fuzzy.
# msgmerge uses 0.6.
fuzzy_threshold = 0.6

[build]
# Where `locflow build` writes the localized bundles.
out = "dist"
# Absolute URL the site is published under (canonical links, sitemap).
base_url = "https://example.com/"
# What may be published: "approved" (reviewed by an editor) or "translated".
publish = "approved"
# Publish a translation once this share (percent) of its entries may be published;
# the rest falls back to the source text, marked as not yet translated.
min_percent = 100
# Embedded players an article's HTML may keep: an <iframe> whose src starts with one of
# these https:// prefixes is published, sandboxed; any other is removed (with a warning).
# embeds = ["https://www.youtube-nocookie.com/embed/", "https://player.vimeo.com/video/"]
embeds = []

[memory]
# Pre-fill untranslated entries from the translation memory on `locflow sync`
# (offline: the memory is the project's own translated catalogs plus memory/*.tmx|*.po).
prefill = true
# What an exact match of an approved translation becomes: "translated" (awaiting
# review) or "fuzzy" (a draft to check).
exact = "translated"
# Similarity (0-1) above which a memory match becomes a fuzzy draft.
threshold = 0.75
# Where no whole paragraph matches, assemble a fuzzy draft from matching sentences.
sentences = true
[mt]
# Machine translation drafts (`locflow translate`). No provider: no drafts, nothing sent.
# provider = "libre"                 # google, mymemory, libre, deepl, microsoft, baidu
# url = "http://localhost:5000/"     # the LibreTranslate server (libre only)
# Keys come only from environment variables (see the README), never from this file.
timeout = 30        # seconds per request
retries = 4         # retries of 429, 5xx, timeouts and refused connections
backoff = 1.0       # seconds before the first retry; doubles each time, with jitter
concurrency = 4     # requests in flight at once
# [mt.codes]                         # locale -> engine code, where the engine differs
# zh_Hans = "zh-Hans"
"""


@dataclass(frozen=True)
class MTSettings:
    """The ``[mt]`` section: which engine drafts translations, and how it is called."""

    provider: str | None = None  # None: no machine translation
    url: str | None = None
    timeout: float = 30.0
    retries: int = 4
    backoff: float = 1.0
    concurrency: int = 4
    max_chars: int | None = None
    region: str | None = None  # Microsoft
    free_api: bool = True  # DeepL
    codes: dict[str, str] = field(default_factory=dict)


_MT_KEYS = {
    "provider", "url", "timeout", "retries", "backoff", "concurrency", "max_chars", "region",
    "free_api", "codes",
}


def _parse_mt(mt: dict[str, Any], path: Path) -> MTSettings:
    for key in mt:
        if key not in _MT_KEYS:
            raise ConfigError(f"unknown key {key!r} in [mt]", path=path)

    def number(key: str, default: float, low: float, kind: type = float) -> Any:
        value = _expect(mt.get(key, default), (int, float) if kind is float else int, key, path)
        if isinstance(value, bool) or value < low:
            raise ConfigError(f"[mt] {key} must be at least {low}, not {value!r}", path=path)
        return kind(value)

    defaults = MTSettings()
    codes = _expect(mt.get("codes", {}), dict, "[mt.codes]", path)
    for locale, code in codes.items():
        validate_locale(locale)
        _expect(code, str, f"[mt.codes] {locale}", path)
    max_chars = mt.get("max_chars")
    return MTSettings(
        provider=_expect(mt["provider"], str, "provider", path) if "provider" in mt else None,
        url=_expect(mt["url"], str, "url", path) if "url" in mt else None,
        timeout=number("timeout", defaults.timeout, 0.001),
        retries=number("retries", defaults.retries, 0, int),
        backoff=number("backoff", defaults.backoff, 0),
        concurrency=number("concurrency", defaults.concurrency, 1, int),
        max_chars=number("max_chars", 0, 20, int) if max_chars is not None else None,
        region=_expect(mt["region"], str, "region", path) if "region" in mt else None,
        free_api=_expect(mt.get("free_api", True), bool, "free_api", path),
        codes=dict(codes),
    )


@dataclass(frozen=True)
class Config:
    """The settings of a project, after validation."""

    name: str = "locflow project"
    source_locale: str = "en"
    target_locales: tuple[str, ...] = ("zh_Hans", "es")
    fields: tuple[str, ...] = ("title", "summary", "section")
    fuzzy_threshold: float = 0.6
    out: str = "dist"
    base_url: str = "https://example.com/"
    publish: str = "approved"
    min_percent: float = 100.0
    copyright: str = ""
    memory_prefill: bool = True
    memory_exact: str = "translated"
    memory_threshold: float = 0.75
    memory_sentences: bool = True
    embeds: tuple[str, ...] = ()  # https:// prefixes of the iframes an article may embed
    mt: MTSettings = field(default_factory=lambda: MTSettings())
    extra: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)


def _expect(value: Any, kind: type | tuple[type, ...], key: str, path: Path) -> Any:
    if not isinstance(value, kind):
        names = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        raise ConfigError(f"{key} must be a {names}, not {value!r}", path=path)
    return value


def parse_config(data: dict[str, Any], path: Path) -> Config:
    """Validate the parsed TOML of a ``locflow.toml``; raise :class:`ConfigError` on bad values."""
    known = {"project", "segmentation", "merge", "build", "mt", "memory"}
    for section in data:
        if section not in known:
            raise ConfigError(f"unknown section [{section}]", path=path)
    project = _expect(data.get("project", {}), dict, "[project]", path)
    segmentation = _expect(data.get("segmentation", {}), dict, "[segmentation]", path)
    merge = _expect(data.get("merge", {}), dict, "[merge]", path)
    build = _expect(data.get("build", {}), dict, "[build]", path)
    mt = _parse_mt(_expect(data.get("mt", {}), dict, "[mt]", path), path)
    memory = _expect(data.get("memory", {}), dict, "[memory]", path)
    for key in memory:
        if key not in ("prefill", "exact", "threshold", "sentences"):
            raise ConfigError(f"unknown key {key!r} in [memory]", path=path)
    defaults = Config()

    try:
        source = validate_locale(
            _expect(project.get("source_locale", "en"), str, "source_locale", path)
        )
        targets_raw = _expect(
            project.get("target_locales", list(defaults.target_locales)),
            list,
            "target_locales",
            path,
        )
        targets = tuple(
            validate_locale(_expect(t, str, "target_locales", path)) for t in targets_raw
        )
    except ConfigError as exc:
        raise ConfigError(exc.message, path=path) from None
    if source in targets:
        raise ConfigError(f"source locale {source!r} is also a target locale", path=path)
    if len(set(targets)) != len(targets):
        raise ConfigError("target_locales lists a locale twice", path=path)

    fields = tuple(
        _expect(f, str, "fields", path)
        for f in _expect(segmentation.get("fields", list(defaults.fields)), list, "fields", path)
    )
    threshold = float(
        _expect(
            merge.get("fuzzy_threshold", defaults.fuzzy_threshold),
            (int, float),
            "fuzzy_threshold",
            path,
        )
    )
    if not 0 < threshold <= 1:
        raise ConfigError(f"fuzzy_threshold must be between 0 and 1, not {threshold}", path=path)
    publish = _expect(build.get("publish", defaults.publish), str, "publish", path)
    if publish not in ("approved", "translated"):
        raise ConfigError(f'publish must be "approved" or "translated", not {publish!r}', path=path)
    min_percent = float(
        _expect(build.get("min_percent", defaults.min_percent), (int, float), "min_percent", path)
    )
    if not 0 <= min_percent <= 100:
        raise ConfigError(f"min_percent must be between 0 and 100, not {min_percent}", path=path)
    embeds = tuple(_expect(e, str, "embeds", path)
                   for e in _expect(build.get("embeds", []), list, "embeds", path))
    for prefix in embeds:
        if not _EMBED_PREFIX.fullmatch(prefix):
            raise ConfigError(f"embeds: {prefix!r} is not an https:// prefix with a path "
                              "(https://host/path/)", path=path)
    base_url = _expect(build.get("base_url", defaults.base_url), str, "base_url", path)
    if not base_url.endswith("/"):
        base_url += "/"
    memory_exact = _expect(memory.get("exact", defaults.memory_exact), str, "exact", path)
    if memory_exact not in ("translated", "fuzzy"):
        raise ConfigError(
            f'[memory] exact must be "translated" or "fuzzy", not {memory_exact!r}', path=path
        )
    memory_threshold = float(
        _expect(memory.get("threshold", defaults.memory_threshold), (int, float), "threshold", path)
    )
    if not 0 < memory_threshold <= 1:
        raise ConfigError(
            f"[memory] threshold must be between 0 and 1, not {memory_threshold}", path=path
        )
    return Config(
        name=_expect(project.get("name", defaults.name), str, "name", path),
        source_locale=source,
        target_locales=targets,
        fields=fields,
        fuzzy_threshold=threshold,
        out=_expect(build.get("out", defaults.out), str, "out", path),
        base_url=base_url,
        publish=publish,
        min_percent=min_percent,
        copyright=_expect(project.get("copyright", ""), str, "copyright", path),
        embeds=embeds,
        mt=mt,
        memory_prefill=_expect(memory.get("prefill", True), bool, "prefill", path),
        memory_exact=memory_exact,
        memory_threshold=memory_threshold,
        memory_sentences=_expect(memory.get("sentences", True), bool, "sentences", path),
        extra=data,
    )


@dataclass(frozen=True)
class Project:
    """A project directory and its configuration; owns the path layout."""

    root: Path
    config: Config

    @classmethod
    def load(cls, root: str | Path = ".") -> Project:
        """Read the project in *root*; a missing ``locflow.toml`` means the defaults."""
        root = Path(root).resolve()
        if not root.is_dir():
            raise ConfigError("not a directory", path=root)
        path = root / CONFIG_FILE
        if not path.exists():
            return cls(root, Config())
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except UnicodeDecodeError:
            raise ConfigError("not UTF-8 text", path=path) from None
        except tomllib.TOMLDecodeError as exc:
            # tomllib puts "(at line N, column M)" in its message
            raise ConfigError(f"invalid TOML: {exc}", path=path) from None
        return cls(root, parse_config(data, path))

    # -- layout -------------------------------------------------------------
    @property
    def content_dir(self) -> Path:
        return self.root / "content"

    @property
    def locales_dir(self) -> Path:
        return self.root / "locales"

    @property
    def templates_dir(self) -> Path:
        """Project overrides of the HTML templates."""
        return self.root / "templates"

    @property
    def out_dir(self) -> Path:
        return self.root / self.config.out

    @property
    def state_dir(self) -> Path:
        """``.locflow/``: caches locflow can rebuild (the MT cache, the translation memory's
        index); ignored by git."""
        return self.root / ".locflow"

    @property
    def mt_cache_path(self) -> Path:
        return self.state_dir / "mt-cache.sqlite3"

    @property
    def memory_dir(self) -> Path:
        """``memory/``: translation memories imported into the project (TMX, PO)."""
        return self.root / "memory"

    @property
    def glossary_dir(self) -> Path:
        return self.root / "glossary"

    def glossary_file(self, locale: str) -> Path:
        """``glossary/<locale>.csv``; a link pointing out of the project is refused."""
        path = self.glossary_dir / f"{locale}.csv"
        if path.exists() and not path.resolve().is_relative_to(self.root):
            raise ConfigError("the glossary resolves outside the project", path=path)
        return path

    def article_template(self, slug: str) -> Path:
        return self.locales_dir / "templates" / "articles" / f"{slug}.pot"

    def article_catalog(self, locale: str, slug: str) -> Path:
        return self.locales_dir / locale / "articles" / f"{slug}.po"

    @property
    def site_template(self) -> Path:
        return self.locales_dir / "templates" / "site.pot"

    def site_catalog(self, locale: str) -> Path:
        return self.locales_dir / locale / "LC_MESSAGES" / "site.po"

    def relative(self, path: Path) -> str:
        """*path* relative to the project root when inside it (for messages and reports)."""
        try:
            return path.resolve().relative_to(self.root).as_posix()
        except ValueError:
            return str(path)


GITIGNORE_LINES = (".locflow/",)


def find_project_root(start: str | Path = ".") -> Path:
    """The project *start* is in: the nearest directory, *start* or above, with
    ``locflow.toml`` or a ``content/`` folder (the way git finds a repository).

    Raises :class:`ConfigError` (exit 2) when there is none: only ``locflow init``
    creates a project, so no command writes ``locales/`` or ``dist/`` elsewhere.
    """
    here = Path(start).resolve()
    if not here.is_dir():
        raise ConfigError("not a directory", path=here)
    for folder in (here, *here.parents):
        if (folder / CONFIG_FILE).is_file() or (folder / "content").is_dir():
            return folder
    raise ConfigError("not a locflow project (run `locflow init`)", path=here)



def write_default_config(root: Path) -> list[Path]:
    """Create ``locflow.toml``, ``content/``, ``locales/`` and ``.gitignore`` rules in
    *root* if missing.

    ``.locflow/`` holds caches (the MT cache, the memory index) that are rebuilt or
    re-fetched, and
    grow with use: they stay out of git. Returns the paths created or changed.
    """
    created: list[Path] = []
    for folder in (root / "content", root / "locales"):
        if not folder.exists():
            folder.mkdir(parents=True)
            created.append(folder)
    config = root / CONFIG_FILE
    if not config.exists():
        config.write_text(DEFAULT_CONFIG_TEXT, encoding="utf-8")
        created.append(config)
    ignore = root / ".gitignore"
    existing = ignore.read_text(encoding="utf-8") if ignore.exists() else ""
    present = {line.strip() for line in existing.splitlines()}
    missing = [line for line in GITIGNORE_LINES if not {line, "/" + line} & present]
    if missing:
        glue = "" if not existing or existing.endswith("\n") else "\n"
        text = existing + glue + "# locflow's caches (rebuilt or re-fetched as needed)\n"
        ignore.write_text(text + "\n".join(missing) + "\n", encoding="utf-8")
        created.append(ignore)
    return created
