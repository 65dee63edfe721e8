"""The build's manifest: its typed records, read back from the previous build and
written for this one.

``<out>/manifest.json`` vouches for a build: a :class:`PageRecord` per published
bundle (what the locale index, the sitemap and the archives are made from, with the
hash of its :class:`BundleInputs` and its files' SHA-256s), a :class:`GateRecord`
per target-language version (the gate's decision), the versions held back, the
locale pages and the archives. The next build reuses the records whose inputs did
not change (:class:`PreviousBuild`).

Records are typed; JSON is only at the edge (``to_json``, ``from_json``,
:meth:`Manifest.dump`). The previous manifest is a file in the output folder, not
trusted: a record that is not as this module writes it is left out.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from .site import digest, dump_manifest

if TYPE_CHECKING:
    from .results import HeldBack

#: Bump when the output of the same inputs changes (forces a full rebuild).
#: 2: the gate holds back entries on which error-level content checks fail.
#: 3: raw HTML published, sanitized; task lists, footnotes, breadcrumb section.
#: 4: raw HTML closed at its block's end; article.json's title_html and summary_html.
#: 5: corrections printed for readers (page and article.json), the "Updated:" date.
#: 6: JSON-LD, social cards, feed links, the summary and a skip link on every article page.
BUILD_FORMAT = 6

#: A version of an article: (slug, BCP 47 tag).
RecordKey = tuple[str, str]

_R = TypeVar("_R", "GateRecord", "PageRecord")


class _Malformed(ValueError):
    """A record of the previous manifest that is not as this module writes it."""


def _value(data: Mapping[str, Any], key: str) -> Any:
    if key not in data:
        raise _Malformed(key)
    return data[key]


def _text(data: Mapping[str, Any], key: str) -> str:
    value = _value(data, key)
    if not isinstance(value, str):
        raise _Malformed(key)
    return value


def _optional_text(data: Mapping[str, Any], key: str) -> str | None:
    value = _value(data, key)
    if value is not None and not isinstance(value, str):
        raise _Malformed(key)
    return value


def _review(data: Mapping[str, Any]) -> dict[str, Any] | None:
    value = _value(data, "review")
    if value is not None and not isinstance(value, dict):
        raise _Malformed("review")
    return value


@dataclass(frozen=True)
class BundleInputs:
    """Everything the bytes of one bundle depend on: the same inputs, the same files
    (a bundle whose :attr:`digest` did not change is not rendered again)."""

    format: int  # BUILD_FORMAT
    source: str  # the article's source hash
    catalog: str | None  # SHA-256 of its catalog; None: source language, or no catalog
    gate: str  # the gate's key (GateRecord.gate_key)
    site_strings: str  # digest of the locale's interface strings
    templates: str  # hash of the effective templates
    settings: str  # digest of the settings every page shows
    alternates: tuple[str, ...]  # tags of the article's published versions

    @property
    def digest(self) -> str:
        return digest(self.to_json())

    def to_json(self) -> dict[str, Any]:
        return {"format": self.format, "source": self.source, "catalog": self.catalog,
                "gate": self.gate, "site_strings": self.site_strings,
                "templates": self.templates, "settings": self.settings,
                "alternates": list(self.alternates)}

    @classmethod
    def from_json(cls, data: object) -> BundleInputs:
        if not isinstance(data, dict):
            raise _Malformed("inputs")
        number = _value(data, "format")
        alternates = _value(data, "alternates")
        if (not isinstance(number, int) or not isinstance(alternates, list)
                or not all(isinstance(tag, str) for tag in alternates)):
            raise _Malformed("inputs")
        return cls(number, _text(data, "source"), _optional_text(data, "catalog"),
                   _text(data, "gate"), _text(data, "site_strings"), _text(data, "templates"),
                   _text(data, "settings"), tuple(alternates))


@dataclass(frozen=True)
class PageRecord:
    """One published bundle (a locale version of an article), as the manifest lists it."""

    article: str  # slug
    locale: str  # BCP 47 tag
    url: str
    title: str
    summary: str
    date: str | None  # ISO 8601
    inputs: BundleInputs
    input_hash: str  # inputs.digest
    files: Mapping[str, str]  # path relative to out → SHA-256
    review: dict[str, Any] | None  # the gate's summary; None for the source language
    modified: str | None = None  # ISO 8601: the English update (``updated:``), if any

    @property
    def key(self) -> RecordKey:
        return (self.article, self.locale)

    def to_json(self) -> dict[str, Any]:
        found = {"article": self.article, "locale": self.locale, "url": self.url,
                 "title": self.title, "summary": self.summary, "date": self.date,
                 "inputs": self.inputs.to_json(), "input_hash": self.input_hash,
                 "files": dict(self.files), "review": self.review}
        if self.modified is not None:
            found["modified"] = self.modified
        return found

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> PageRecord:
        files = _value(data, "files")
        if not isinstance(files, dict) or not all(isinstance(v, str) for v in files.values()):
            raise _Malformed("files")
        return cls(_text(data, "article"), _text(data, "locale"), _text(data, "url"),
                   _text(data, "title"), _text(data, "summary"), _optional_text(data, "date"),
                   BundleInputs.from_json(_value(data, "inputs")), _text(data, "input_hash"),
                   dict(files), _review(data),
                   _optional_text(data, "modified") if "modified" in data else None)


@dataclass(frozen=True)
class GateRecord:
    """The gate's decision on one target-language version of an article."""

    article: str  # slug
    locale: str  # BCP 47 tag
    gate_key: str  # digest of what the decision depends on
    published: bool
    reason: str | None  # why it is held back; None when published
    review: dict[str, Any] | None  # the gate's summary

    @property
    def key(self) -> RecordKey:
        return (self.article, self.locale)

    def to_json(self) -> dict[str, Any]:
        return {"article": self.article, "locale": self.locale, "gate_key": self.gate_key,
                "published": self.published, "reason": self.reason, "review": self.review}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> GateRecord:
        published = _value(data, "published")
        if not isinstance(published, bool):
            raise _Malformed("published")
        return cls(_text(data, "article"), _text(data, "locale"), _text(data, "gate_key"),
                   published, _optional_text(data, "reason"), _review(data))


def _held_back_json(held: HeldBack) -> dict[str, Any]:
    return {"article": held.article, "locale": held.tag, "reason": held.reason,
            "review": held.review}


def _records(data: Mapping[str, Any], key: str, parse: Callable[[Mapping[str, Any]], _R]
             ) -> dict[RecordKey, _R]:
    """The well-formed records of list *key*, by version (the last of a version counts;
    a malformed one counts as none)."""
    found: dict[RecordKey, _R | None] = {}
    items = data.get(key, [])
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict):
            continue
        try:
            record = parse(item)
        except _Malformed:
            version = (item.get("article", ""), item.get("locale", ""))
            if all(isinstance(part, str) for part in version):
                found[version] = None
            continue
        found[record.key] = record
    return {version: record for version, record in found.items() if record is not None}


def _listed_files(data: Mapping[str, Any]) -> frozenset[str]:
    """Every file a manifest names (bundles, pages, archives), however it is formed."""
    files: set[str] = set()
    bundles = data.get("bundles")
    for record in bundles if isinstance(bundles, list) else []:
        if isinstance(record, dict) and isinstance(record.get("files"), dict):
            files.update(record["files"])
    for key in ("pages", "archives"):
        if isinstance(data.get(key), dict):
            files.update(data[key])
    return frozenset(files)


@dataclass(frozen=True)
class PreviousBuild:
    """What the output folder's manifest says of the build before this one (nothing if it
    is missing, unreadable or of another :data:`BUILD_FORMAT`)."""

    gates: Mapping[RecordKey, GateRecord] = field(default_factory=dict)
    bundles: Mapping[RecordKey, PageRecord] = field(default_factory=dict)
    files: frozenset[str] = frozenset()  # every file it lists: removed unless built again
    locales: tuple[str, ...] = ()  # its locales' tags

    @classmethod
    def load(cls, path: Path) -> PreviousBuild:
        import json

        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError, RecursionError):
            return cls()
        if not isinstance(data, dict) or data.get("format") != BUILD_FORMAT:
            return cls()
        locales = data.get("locales")
        return cls(_records(data, "gates", GateRecord.from_json),
                   _records(data, "bundles", PageRecord.from_json),
                   _listed_files(data),
                   tuple(t for t in locales if isinstance(t, str))
                   if isinstance(locales, list) else ())


@dataclass(frozen=True)
class Manifest:
    """The manifest this build writes, last: it vouches for everything else."""

    base_url: str
    source_locale: str  # BCP 47 tag
    locales: tuple[str, ...]  # BCP 47 tags, the source language first
    policy: Mapping[str, object]
    templates: str  # hash of the effective templates
    site_strings: Mapping[str, Mapping[str, Any]]  # tag → the strings' summary and hash
    bundles: Sequence[PageRecord]
    held_back: Sequence[HeldBack]
    gates: Sequence[GateRecord]
    pages: Mapping[str, str]  # locale index pages, feeds, sitemaps, robots.txt → SHA-256
    archives: Mapping[str, str]  # archives/<lang>.zip → SHA-256

    def to_json(self) -> dict[str, Any]:
        return {
            "format": BUILD_FORMAT,
            "base_url": self.base_url,
            "source_locale": self.source_locale,
            "locales": list(self.locales),
            "policy": dict(self.policy),
            "templates": self.templates,
            "site_strings": {tag: dict(summary) for tag, summary in self.site_strings.items()},
            "bundles": [r.to_json() for r in sorted(self.bundles, key=lambda r: r.key)],
            "held_back": [_held_back_json(h) for h in
                          sorted(self.held_back, key=lambda h: (h.article, h.tag))],
            "gates": [r.to_json() for r in sorted(self.gates, key=lambda r: r.key)],
            "pages": dict(sorted(self.pages.items())),
            "archives": dict(sorted(self.archives.items())),
        }

    def dump(self) -> bytes:
        """The file's bytes (:func:`~locflow.publish.site.dump_manifest`)."""
        return dump_manifest(self.to_json())
