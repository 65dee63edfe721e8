"""Project configuration (``locflow.toml``) and the project's path layout.

A project is a directory with ``content/`` (source articles), ``locales/``
(catalogs) and an optional ``locflow.toml``. Every path locflow reads or writes
is computed here, so the layout lives in one place.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ConfigError, PathError
from .locales import validate_locale
from .paths import inside, plain_name, validate_path_text

CONFIG_FILE = "locflow.toml"

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
# Front-matter fields that are translated (each gets a msgctxt naming the field).
fields = ["title", "summary"]

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
"""


@dataclass(frozen=True)
class Config:
    """The settings of a project, after validation."""

    name: str = "locflow project"
    source_locale: str = "en"
    target_locales: tuple[str, ...] = ("zh_Hans", "es")
    fields: tuple[str, ...] = ("title", "summary")
    fuzzy_threshold: float = 0.6
    out: str = "dist"
    base_url: str = "https://example.com/"
    publish: str = "approved"
    min_percent: float = 100.0
    copyright: str = ""
    extra: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)


def _expect(value: Any, kind: type | tuple[type, ...], key: str, path: Path) -> Any:
    if not isinstance(value, kind):
        names = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        raise ConfigError(f"{key} must be a {names}, not {value!r}", path=path)
    return value


def _out_folder(value: str, path: Path) -> str:
    try:
        validate_path_text(value, "[build] out")
    except PathError as exc:
        raise ConfigError(exc.message, path=path) from None
    if not value.strip():
        raise ConfigError("[build] out is empty", path=path)
    return value


def parse_config(data: dict[str, Any], path: Path) -> Config:
    """Validate the parsed TOML of a ``locflow.toml``; raise :class:`ConfigError` on bad values."""
    known = {"project", "segmentation", "merge", "build"}
    for section in data:
        if section not in known:
            raise ConfigError(f"unknown section [{section}]", path=path)
    project = _expect(data.get("project", {}), dict, "[project]", path)
    segmentation = _expect(data.get("segmentation", {}), dict, "[segmentation]", path)
    merge = _expect(data.get("merge", {}), dict, "[merge]", path)
    build = _expect(data.get("build", {}), dict, "[build]", path)
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
    base_url = _expect(build.get("base_url", defaults.base_url), str, "base_url", path)
    if not base_url.endswith("/"):
        base_url += "/"
    return Config(
        name=_expect(project.get("name", defaults.name), str, "name", path),
        source_locale=source,
        target_locales=targets,
        fields=fields,
        fuzzy_threshold=threshold,
        out=_out_folder(_expect(build.get("out", defaults.out), str, "out", path), path),
        base_url=base_url,
        publish=publish,
        min_percent=min_percent,
        copyright=_expect(project.get("copyright", ""), str, "copyright", path),
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
        path = inside(root, CONFIG_FILE, "configuration file")
        if not path.exists():
            return cls(root, Config())
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except UnicodeDecodeError:
            raise ConfigError("not UTF-8 text", path=path) from None
        except tomllib.TOMLDecodeError as exc:
            # tomllib puts "(at line N, column M)" in its message
            raise ConfigError(f"invalid TOML: {exc}", path=path) from None
        except RecursionError:
            raise ConfigError("invalid TOML: nested too deeply", path=path) from None
        except OSError as exc:
            raise ConfigError(f"cannot read: {exc.strerror or exc}", path=path) from None
        return cls(root, parse_config(data, path))

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
        try:
            return path.resolve().relative_to(self.root).as_posix()
        except ValueError:
            return str(path)


def write_default_config(root: Path) -> list[Path]:
    """Create ``locflow.toml``, ``content/`` and ``locales/`` in *root* if missing.

    Returns the paths created. A name that is a symbolic link out of *root* is refused.
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
    return created


#: What ``locflow init`` adds to the project's ``.gitignore``: the temporary files
#: of atomic writes that a killed process (kill -9, power loss) leaves behind, so
#: ``git add -A`` never commits one. (The next run removes them anyway.) Stages that
#: keep caches add their rules here.
IGNORE_RULES = (
    "# locflow: temporary files of interrupted writes (locflow removes them)",
    ".*.tmp",
)


def write_ignore_rules(root: Path) -> str | None:
    """Add the :data:`IGNORE_RULES` missing from ``.gitignore`` in *root*.

    Returns ``"created"`` or ``"updated"``, or None when every rule was there.
    """
    path = inside(root, ".gitignore", ".gitignore")
    try:
        text = path.read_text(encoding="utf-8") if path.exists() else None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read: {exc}", path=path) from None
    present = {line.strip() for line in (text or "").splitlines()}
    rules = [rule for rule in IGNORE_RULES if not rule.startswith("#")]
    if all(rule in present for rule in rules):
        return None
    block = "\n".join(r for r in IGNORE_RULES if r.startswith("#") or r not in present) + "\n"
    if text:
        block = ("" if text.endswith("\n") else "\n") + "\n" + block
    with path.open("a", encoding="utf-8") as f:
        f.write(block)
    return "updated" if text is not None else "created"
