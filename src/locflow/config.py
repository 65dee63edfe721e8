"""Project configuration (``locflow.toml``) and the project's path layout.

A project is a directory with ``content/`` (source articles), ``locales/``
(catalogs) and an optional ``locflow.toml``. Every path locflow reads or writes
is computed here, so the layout lives in one place.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .default_config import DEFAULT_CONFIG_TEXT
from .errors import ConfigError, PathError, excerpt
from .locales import canonical_spelling
from .paths import inside, plain_name, plain_relative, validate_path_text

CONFIG_FILE = "locflow.toml"
# https://host[:port]/path: a host, then a path, so that a prefix never matches another host
_EMBED_PREFIX = re.compile(r"https://[A-Za-z0-9.-]+(?::[0-9]+)?/[^\s\\<>\"']*")



# -- the accepted settings ----------------------------------------------------------
#
# One table: section → key → Key(kind, default). parse_config() validates every
# locflow.toml against it: an unknown section or key is an error with a suggestion,
# a value of the wrong kind is an error naming the key and its line. A stage that
# needs settings adds its section here (``"mt": {"engine": Key(choice("fake",
# "google"), "fake")}``) and reads them from ``Config.settings["mt"]``.

Kind = Callable[[Any], Any]
"""Validates one value and returns it (normalized); raises ValueError with the reason."""


def _kind_name(value: Any) -> str:
    return {bool: "a boolean", int: "a number", float: "a number", str: "text",
            list: "a list", dict: "a table"}.get(type(value), type(value).__name__)


def text(value: Any) -> str:
    """Any text."""
    if not isinstance(value, str):
        raise ValueError(f"must be text, not {_kind_name(value)}")
    return value


def texts(value: Any) -> tuple[str, ...]:
    """A list of texts."""
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError("must be a list of texts")
    return tuple(value)


def flag(value: Any) -> bool:
    """``true`` or ``false`` (never a number)."""
    if not isinstance(value, bool):
        raise ValueError(f"must be true or false, not {_kind_name(value)}")
    return value


def number(low: float, high: float | None = None, *, low_open: bool = False) -> Kind:
    """A number (never a boolean) from *low* (above it, with *low_open*) to *high*."""

    def kind(value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError(f"must be a number, not {_kind_name(value)}")
        above = low < value if low_open else low <= value
        if value != value or not above or (high is not None and value > high):
            if high is None:
                raise ValueError(f"must be {'above' if low_open else 'at least'} {low:g}, "
                                 f"not {value}")
            excluded = f" (not {low:g} itself)" if low_open else ""
            raise ValueError(f"must be between {low:g} and {high:g}{excluded}, not {value}")
        return float(value)

    return kind


def integer(low: int) -> Kind:
    """A whole number (never a boolean) of at least *low*."""

    def kind(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"must be a whole number, not {_kind_name(value)}")
        if value < low:
            raise ValueError(f"must be at least {low}, not {value}")
        return value

    return kind


def optional(kind: Kind) -> Kind:
    """*kind*, or absent (None: TOML has no null, so only the default is None)."""
    return lambda value: None if value is None else kind(value)


def table(keys: Kind, values: Kind) -> Kind:
    """A TOML table (``[mt.codes]``): each key checked by *keys*, each value by *values*."""

    def kind(value: Any) -> dict[Any, Any]:
        if not isinstance(value, dict):
            raise ValueError(f"must be a table, not {_kind_name(value)}")
        checked = {}
        for key, item in value.items():
            try:
                checked[keys(key)] = values(item)
            except ValueError as exc:
                raise ValueError(f"{_name(str(key))}: {exc}") from None
        return checked

    return kind


def choice(*allowed: str) -> Kind:
    """One of *allowed*."""

    def kind(value: Any) -> str:
        if not isinstance(value, str) or value not in allowed:
            options = " or ".join(f'"{a}"' for a in allowed)
            raise ValueError(f"must be {options}, not {excerpt(str(value))}")
        return str(value)

    return kind


def folder(value: Any) -> str:
    """A folder of the project (resolved and checked when used: :mod:`locflow.paths`)."""
    path = os.path.normpath(name) if (name := text(value)).strip() else ""
    if not path or os.path.isabs(path) or path.split(os.sep)[0] == "..":  # a repository's: stay in
        raise ValueError("must be inside the project (only --out may be outside the project)"
                         if path else "is empty")
    try:
        validate_path_text(name, "path")
    except PathError as exc:
        raise ValueError(exc.message) from None
    return name


def web_address(value: Any) -> str:
    """An absolute ``http://`` or ``https://`` URL with a host: what pages, the sitemap and
    feeds put before every link (``javascript:`` there would run in readers' browsers)."""
    from urllib.parse import urlsplit

    url = text(value)
    refusal = f"must be an http:// or https:// URL, not {excerpt(url)}"
    if any(c.isspace() or ord(c) < 0x20 or c in '"<>\\`\x7f' for c in url):
        raise ValueError(refusal)
    try:
        parts = urlsplit(url)
    except ValueError:  # an unbalanced [ in the host
        raise ValueError(refusal) from None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise ValueError(refusal)
    if "?" in url or "#" in url:
        raise ValueError(f"must be a URL without ?query or #fragment, not {excerpt(url)}")
    return url


def locale(value: Any) -> str:
    """A locale identifier Babel knows, spelled canonically (``zh_Hans``, ``pt_BR``)."""
    try:
        return canonical_spelling(text(value))
    except ConfigError as exc:
        raise ValueError(exc.message) from None


def locales(value: Any) -> tuple[str, ...]:
    """A list of :func:`locale`, none twice."""
    found = tuple(locale(v) for v in texts(value))
    if len(set(found)) != len(found):
        raise ValueError("lists a locale twice")
    return found


def embed_prefixes(value: Any) -> tuple[str, ...]:
    """``https://host/path`` prefixes of the iframes an article may embed."""
    prefixes = texts(value)
    for prefix in prefixes:
        if not _EMBED_PREFIX.fullmatch(prefix):
            raise ValueError(f"{excerpt(prefix)} is not an https:// prefix with a path "
                             "(https://host/path/)")
    return prefixes


def editors(value: Any) -> tuple[Editor, ...]:
    """``[review] editors``: ``"Name <e-mail>"`` or ``"Name"`` each."""
    return tuple(Editor.parse(item) for item in texts(value))


# OpenCC's conversions between the Chinese scripts (its configuration files' names): a
# derived locale is its base locale's published text run through one of them.
CONVERSIONS = ("s2t", "s2tw", "s2twp", "s2hk", "t2s", "tw2s", "tw2sp", "hk2s", "t2tw", "t2hk",
               "tw2t", "hk2t")


@dataclass(frozen=True)
class DerivedLocale:
    """``[derived] zh_Hant = { from = "zh_Hans", convert = "s2twp" }``: a locale nobody
    translates; its pages are *base*'s published text converted at build, corrected by
    the entries of its own (optional) catalogs."""

    locale: str
    base: str
    convert: str


def derived_locales(value: Any, targets: tuple[str, ...], source: str
                    ) -> tuple[DerivedLocale, ...]:
    """The ``[derived]`` table; ValueError(key, reason) names the locale at fault."""
    if not isinstance(value, dict):
        raise ValueError("", "must be a table: zh_Hant = { from = \"zh_Hans\", convert = "
                         "\"s2twp\" }")
    found: list[DerivedLocale] = []
    for key, spec in value.items():
        try:
            name = locale(key)
        except ValueError as exc:
            raise ValueError(key, str(exc)) from None
        if not isinstance(spec, dict) or set(spec) != {"from", "convert"}:
            raise ValueError(key, 'must be { from = "LOCALE", convert = "CONVERSION" }')
        try:
            base = locale(spec["from"])
            convert = choice(*CONVERSIONS)(spec["convert"])
        except ValueError as exc:
            raise ValueError(key, str(exc)) from None
        if base not in targets:
            raise ValueError(key, f"from = {base!r} is not one of target_locales "
                                  f"{list(targets)}")
        if name in targets or name == source or any(d.locale == name for d in found):
            raise ValueError(key, f"{name!r} is already a locale of the project")
        found.append(DerivedLocale(name, base, convert))
    return tuple(found)


@dataclass(frozen=True)
class Key:
    """One accepted setting: how its value is checked, and its default."""

    kind: Kind
    default: Any


SCHEMA: dict[str, dict[str, Key]] = {
    "project": {
        "name": Key(text, "locflow project"),
        "copyright": Key(text, ""),
        "source_locale": Key(locale, "en"),
        "target_locales": Key(locales, ("zh_Hans", "es")),
    },
    "segmentation": {
        "fields": Key(texts, ("title", "summary", "section")),
    },
    "merge": {
        "fuzzy_threshold": Key(number(0, 1, low_open=True), 0.6),
    },
    "build": {
        "out": Key(folder, "dist"),
        "base_url": Key(web_address, "https://example.com/"),
        "publish": Key(choice("approved", "translated"), "approved"),
        "min_percent": Key(number(0, 100), 100.0),
        "outdated": Key(choice("previous", "source", "hold"), "previous"),
        "embeds": Key(embed_prefixes, ()),
        "feed_size": Key(integer(1), 20),
        "news_days": Key(integer(1), 2),
    },
    "review": {
        "editors": Key(editors, ()),
        "require_signed": Key(flag, False),
    },
    "memory": {
        "prefill": Key(flag, True),
        "exact": Key(choice("translated", "fuzzy"), "translated"),
        "threshold": Key(number(0, 1, low_open=True), 0.75),
        "sentences": Key(flag, True),
    },
    "mt": {  # MTSettings: keys of engines come from the environment, never from here
        "provider": Key(optional(text), None),
        "url": Key(optional(text), None),
        "timeout": Key(number(0.001), 30.0),
        "retries": Key(integer(0), 4),
        "backoff": Key(number(0), 1.0),
        "concurrency": Key(integer(1), 4),
        "max_chars": Key(optional(integer(20)), None),
        "region": Key(optional(text), None),
        "free_api": Key(flag, True),
        "codes": Key(table(locale, text), {}),
    },
}


def _name(word: str) -> str:
    """A section or key name as messages show it: bare if it is a plain TOML key."""
    return word if re.fullmatch(r"[A-Za-z0-9_-]{1,40}", word) else excerpt(word)


def _suggest(word: str, candidates: Iterable[str]) -> str:
    import difflib

    close = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def line_of(text_: str | None, section: str, key: str | None = None) -> int | None:
    """The line of ``[section]`` (or of *key* in it) in the TOML *text_*, for messages."""
    if text_ is None:
        return None
    current = ""
    for number_, line in enumerate(text_.splitlines(), 1):
        stripped = line.strip()
        if stripped.startswith("["):
            current = stripped.strip("[").split("]")[0].strip()
            if key is None and current == section:
                return number_
        elif key is not None and current == section and (
                stripped.split("=", 1)[0].strip().strip("\"'") == key):
            return number_
    return None


def validate_settings(data: dict[str, Any], path: Path | None = None,
                      text_: str | None = None) -> dict[str, dict[str, Any]]:
    """Check parsed TOML against :data:`SCHEMA`; return every section, defaults filled in.

    Raises :class:`ConfigError` for an unknown section or key (suggesting the likely
    one) and for a value of the wrong kind, with its line when *text_* is given.
    """

    def fail(message: str, section: str, key: str | None = None) -> ConfigError:
        return ConfigError(message, path=path, line=line_of(text_, section, key))

    for name, value in data.items():
        if name == "derived":  # a table of locales, read by parse_config
            continue
        if name not in SCHEMA:
            owner = next((s for s, keys in SCHEMA.items() if name in keys), None)
            if owner is not None and not isinstance(value, dict):
                raise fail(f"{name!r} belongs in the [{owner}] section", "", name)
            raise fail(f"unknown section [{_name(name)}]{_suggest(name, SCHEMA)}", name)
        if not isinstance(value, dict):
            raise fail(f"[{name}] must be a table of settings", "", name)
    settings: dict[str, dict[str, Any]] = {}
    for section, keys in SCHEMA.items():
        given = data.get(section, {})
        for key in given:
            if key not in keys:
                owner = next((s for s, k in SCHEMA.items() if key in k and s != section), None)
                hint = f" ({key!r} belongs in [{owner}])" if owner else _suggest(key, keys)
                raise fail(f"unknown key {_name(key)} in [{section}]{hint}", section, key)
        values: dict[str, Any] = {}
        for key, spec in keys.items():
            if key not in given:
                values[key] = spec.default
                continue
            try:
                values[key] = spec.kind(given[key])
            except ValueError as exc:
                raise fail(f"[{section}] {key}: {exc}", section, key) from None
        settings[section] = values
    return settings


@dataclass(frozen=True)
class Editor:
    """One entry of ``[review] editors``: the name approvals record and, optionally,
    the e-mail address that editor's commits carry."""

    name: str
    email: str | None = None

    @classmethod
    def parse(cls, text: str) -> Editor:
        """``"Ana Ruiz <ana@paper.example>"`` or ``"Ana Ruiz"``; ValueError otherwise.

        >>> Editor.parse("Ana Ruiz <ana@paper.example>")
        Editor(name='Ana Ruiz', email='ana@paper.example')
        """
        name, bracket, rest = text.partition("<")
        name = " ".join(name.split())
        email = rest.removesuffix(">").strip() if bracket else None
        if (not name or any(c in name for c in ":()<>") or (bracket and not rest.endswith(">"))
                or (email is not None and ("@" not in email or any(c in email for c in "<> ")))):
            raise ValueError(f'an editor is "Name <e-mail>" or "Name", not {text!r}')
        return cls(name, email)

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>" if self.email else self.name


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
    outdated: str = "previous"  # living articles: "previous", "source" or "hold"
    copyright: str = ""
    editors: tuple[Editor, ...] = ()
    require_signed: bool = False
    memory_prefill: bool = True
    memory_exact: str = "translated"
    memory_threshold: float = 0.75
    memory_sentences: bool = True
    embeds: tuple[str, ...] = ()  # https:// prefixes of the iframes an article may embed
    feed_size: int = 20  # articles in each language's RSS and Atom feeds, newest first
    news_days: int = 2  # sitemap-news.xml: articles dated this many days before the newest
    mt: MTSettings = field(default_factory=lambda: MTSettings())
    derived: tuple[DerivedLocale, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)
    #: Every section of :data:`SCHEMA`, validated, defaults filled in.
    settings: dict[str, dict[str, Any]] = field(
        default_factory=lambda: validate_settings({}), compare=False, repr=False)


def parse_config(data: dict[str, Any], path: Path, text_: str | None = None) -> Config:
    """Validate the parsed TOML of a ``locflow.toml``; raise :class:`ConfigError` on bad
    values (naming the line when *text_*, the file's text, is given)."""
    settings = validate_settings(data, path, text_)
    project, build, memory = settings["project"], settings["build"], settings["memory"]
    source = project["source_locale"]
    targets = project["target_locales"]
    if source in targets:
        raise ConfigError(f"source locale {source!r} is also a target locale", path=path,
                          line=line_of(text_, "project", "target_locales"))
    try:
        derived = derived_locales(data.get("derived", {}), targets, source)
    except ValueError as exc:
        key, reason = exc.args
        raise ConfigError(f"[derived] {_name(key)}: {reason}" if key else f"[derived] {reason}",
                          path=path, line=line_of(text_, "derived", key or None)) from None
    base_url = build["base_url"]
    if not base_url.endswith("/"):
        base_url += "/"
    return Config(
        name=project["name"],
        source_locale=source,
        target_locales=targets,
        fields=settings["segmentation"]["fields"],
        fuzzy_threshold=settings["merge"]["fuzzy_threshold"],
        out=build["out"],
        base_url=base_url,
        publish=build["publish"],
        min_percent=build["min_percent"],
        outdated=build["outdated"],
        copyright=project["copyright"],
        editors=settings["review"]["editors"],
        require_signed=settings["review"]["require_signed"],
        embeds=build["embeds"],
        feed_size=build["feed_size"],
        news_days=build["news_days"],
        mt=MTSettings(**settings["mt"]),
        derived=derived,
        memory_prefill=memory["prefill"],
        memory_exact=memory["exact"],
        memory_threshold=memory["threshold"],
        memory_sentences=memory["sentences"],
        extra=data,
        settings=settings,
    )


# the files SQLite keeps beside a database (write-ahead log, its index, rollback journal)
_SQLITE_COMPANIONS = ("-wal", "-shm", "-journal")

# Project.relative() of paths already seen (a sync asks for thousands, each an lstat walk)
_RELATIVE: dict[tuple[str, str], str] = {}


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
        path = inside(root, CONFIG_FILE, "configuration file")
        if not path.exists():
            return cls(root, Config())
        try:
            text_ = path.read_text(encoding="utf-8")
            data = tomllib.loads(text_)
        except UnicodeDecodeError:
            raise ConfigError("not UTF-8 text", path=path) from None
        except tomllib.TOMLDecodeError as exc:
            # tomllib puts "(at line N, column M)" in its message
            raise ConfigError(f"invalid TOML: {exc}", path=path) from None
        except RecursionError:
            raise ConfigError("invalid TOML: nested too deeply", path=path) from None
        except OSError as exc:
            raise ConfigError(f"cannot read: {exc.strerror or exc}", path=path) from None
        return cls(root, parse_config(data, path, text_))

    # -- layout -------------------------------------------------------------
    # Every path below is checked by locflow.paths.inside(): it resolves inside the
    # project, or a PathError (exit 2) names it. New stages get their paths the same
    # way, from path() (``project.path(".locflow", "memory.sqlite")``), never from
    # ``root / ...``; files found by listing a folder go through checked().

    def path(self, *parts: str | Path, what: str = "path") -> Path:
        """``root / parts``, checked to resolve inside the project (see :mod:`locflow.paths`)."""
        return inside(self.root, Path(*parts), what)

    def checked(self, path: Path, what: str = "path") -> Path:
        """*path* (found by a glob, or given), checked to resolve inside the project."""
        return inside(self.root, path, what)

    @property
    def content_dir(self) -> Path:
        return self.path("content", what="content folder")

    @property
    def locales_dir(self) -> Path:
        return self.path("locales", what="locales folder")

    @property
    def templates_dir(self) -> Path:
        """Project overrides of the HTML templates."""
        return self.path("templates", what="templates folder")

    @property
    def out_dir(self) -> Path:
        """Where ``build`` writes: ``[build] out``, inside the project."""
        return self.path(self.config.out, what="[build] out")

    @property
    def state_dir(self) -> Path:
        """``.locflow/``: caches locflow can rebuild (the MT cache, the translation memory's
        index); ignored by git."""
        return self.path(".locflow", what="cache folder")

    def cache_file(self, name: str, what: str = "cache file") -> Path:
        """``.locflow/<name>``: a file locflow keeps to save work (the MT cache, the
        memory's index, what sync, status and check found). Every cache file's path comes
        from here.

        ``.locflow/`` must be a real folder of the project (:mod:`locflow.paths`), and a
        cache file is never a symbolic link, not even one that stays inside: a cache is
        created and rewritten by locflow alone, so a link there was planted. For an
        SQLite file (``*.sqlite3``), its ``-wal``, ``-shm`` and ``-journal`` companions
        are checked too: SQLite writes them beside it.
        """
        path = self.path(".locflow", plain_name(name, what), what=what)
        names = [name]
        if name.endswith(".sqlite3"):
            names += [name + suffix for suffix in _SQLITE_COMPANIONS]
        for each in names:
            if os.path.islink(path.with_name(each)):
                raise PathError(f"{what} is a symbolic link; refusing to use it",
                                path=f".locflow/{each}")
        return path

    @property
    def mt_cache_path(self) -> Path:
        return self.cache_file("mt-cache.sqlite3", "MT cache")

    @property
    def memory_dir(self) -> Path:
        """``memory/``: translation memories imported into the project (TMX, PO)."""
        return self.path("memory", what="memory folder")

    @property
    def glossary_dir(self) -> Path:
        return self.path("glossary", what="glossary folder")

    def glossary_file(self, locale: str) -> Path:
        """``glossary/<locale>.csv``; a link pointing out of the project is refused."""
        return self.path("glossary", f"{plain_name(locale, 'locale')}.csv", what="glossary")

    def article_template(self, slug: str) -> Path:
        return self.path("locales", "templates", "articles", f"{plain_name(slug, 'slug')}.pot",
                         what="template")

    def article_catalog(self, locale: str, slug: str) -> Path:
        return self.path("locales", plain_name(locale, "locale"), "articles",
                         f"{plain_name(slug, 'slug')}.po", what="catalog")

    @property
    def site_template(self) -> Path:
        return self.path("locales", "templates", "site.pot", what="template")

    def site_catalog(self, locale: str) -> Path:
        return self.path("locales", plain_name(locale, "locale"), "LC_MESSAGES", "site.po",
                         what="catalog")

    def relative(self, path: Path) -> str:
        """*path* relative to the project root when inside it (for messages and reports)."""
        key = (str(self.root), str(path))
        known = _RELATIVE.get(key)
        if known is None:
            known = plain_relative(self.root, path)  # no link on the way: nothing to resolve
            if known is None:
                try:
                    known = path.resolve().relative_to(self.root).as_posix()
                except ValueError:
                    known = str(path)
            if len(_RELATIVE) > 100_000:  # (a long-lived desk: bounded)
                _RELATIVE.clear()
            _RELATIVE[key] = known
        return known


#: What ``locflow init`` adds to the project's ``.gitignore``: locflow's caches, and the
#: temporary files of atomic writes a killed process (kill -9, power loss) leaves
#: behind, so ``git add -A`` never commits one (the next run removes them anyway).
GITIGNORE_LINES = (".locflow/", ".*.tmp")


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
    raise ConfigError(f"{here}: not a locflow project (run `locflow init`)")  # never "."


def write_default_config(root: Path) -> list[Path]:
    """Create ``locflow.toml``, ``content/``, ``locales/`` and ``.gitignore`` rules in
    *root* if missing.

    ``.locflow/`` holds caches (the MT cache, the memory index) that are rebuilt or
    re-fetched, and grow with use: they stay out of git, and so do temporary files of
    interrupted writes. Returns the paths created or changed. A name that is a
    symbolic link out of *root* is refused.
    """
    created: list[Path] = []
    for name in ("content", "locales"):
        folder = inside(root, name, f"{name} folder")
        if not folder.exists():
            folder.mkdir(parents=True)
            created.append(folder)
    config = inside(root, CONFIG_FILE, "configuration file")
    if not config.exists():
        config.write_text(DEFAULT_CONFIG_TEXT, encoding="utf-8")
        created.append(config)
    ignore = inside(root, ".gitignore", ".gitignore")
    try:
        existing = ignore.read_text(encoding="utf-8") if ignore.exists() else ""
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read: {exc}", path=ignore) from None
    present = {line.strip() for line in existing.splitlines()}
    missing = [line for line in GITIGNORE_LINES if not {line, "/" + line} & present]
    if missing:
        glue = "" if not existing or existing.endswith("\n") else "\n"
        text = existing + glue + "# locflow: caches and temporary files (rebuilt as needed)\n"
        ignore.write_text(text + "\n".join(missing) + "\n", encoding="utf-8")
        created.append(ignore)
    return created

