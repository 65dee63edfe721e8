"""The build's files beyond the bundles: the sitemap, the archives, the streaming
output every file goes through, and the removal of what is no longer built."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import LocflowError
from ..locales import bcp47_tag
from .builder import inside
from .site import ARCHIVES, BUNDLE_FILES, SITEMAP, page_url, sha256

if TYPE_CHECKING:
    from .builder import Builder
    from .manifest import PageRecord


class Output:
    """The files a build writes. Each goes to a temporary beside its place as it is
    rendered, all renamed at :meth:`finish` after one durability barrier (a large site's
    pages are never all in memory); with *keep_bytes* they are also kept, for the
    archives that zip them. Leaving the block without :meth:`finish` writes nothing and
    removes every temporary."""

    def __init__(self, builder: Builder, *, keep_bytes: bool) -> None:
        from ..catalog.pofile import Commit

        self.builder = builder
        self.kept: dict[str, bytes] | None = {} if keep_bytes else None
        # unlocked: a lock per page's folder would be thousands of open files
        self.commit = Commit(lock=False)
        self.names: dict[Path, str] = {}  # path → the name it was added as

    def __enter__(self) -> Output:
        return self

    def __exit__(self, *exc: object) -> None:
        self.commit.__exit__(*exc)

    def add(self, files: dict[str, bytes]) -> None:
        from ..catalog.pofile import PlannedWrite

        if self.kept is not None:
            self.kept.update(files)
        plans = []
        for relative, data in files.items():
            path = inside(self.builder.out, relative)
            self.names[path] = relative
            plans.append(PlannedWrite(path, None, data))
        self.commit.add_all(plans)  # (a file that holds exactly that already is left alone)

    def finish(self) -> None:
        from ..catalog.pofile import deferred_directory_sync

        with deferred_directory_sync():  # each folder fsynced once
            written = self.commit.finish()
        self.builder.result.written += [self.names[path] for path in written]


def holds(path: Path, data: bytes) -> bool:
    """Whether the file at *path* holds exactly *data* (then it is not written again,
    read-only or not)."""
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


def render_sitemap(builder: Builder, records: Sequence[PageRecord],
                   live: Sequence[str]) -> bytes:
    """``sitemap.xml``: the index page of each locale in *live*, then every bundle, each
    with its alternates."""
    config = builder.config
    by_article: dict[str, list[PageRecord]] = {}
    for record in records:
        by_article.setdefault(record.article, []).append(record)
    tags = [bcp47_tag(locale) for locale in live]
    order = {tag: i for i, tag in enumerate(tags)}
    urls: list[dict[str, Any]] = []
    index_alternates = [{"tag": tag, "url": page_url(config.base_url, tag)} for tag in tags]
    if index_alternates:
        index_alternates.append({"tag": "x-default",
                                 "url": page_url(config.base_url, bcp47_tag(config.source_locale))})
    for tag in tags:
        urls.append({"loc": page_url(config.base_url, tag), "lastmod": "",
                     "alternates": index_alternates})
    for slug in sorted(by_article):
        group = sorted(by_article[slug], key=lambda r: order.get(r.locale, 99))
        alternates = [{"tag": r.locale, "url": r.url} for r in group]
        alternates.append({"tag": "x-default",
                           "url": page_url(config.base_url, bcp47_tag(config.source_locale), slug)})
        for record in group:
            urls.append({"loc": record.url, "lastmod": record.modified or record.date or "",
                         "alternates": alternates})
    xml = builder.render(config.source_locale, SITEMAP, urls=urls)
    return xml.encode("utf-8")


def make_archives(builder: Builder, records: Sequence[PageRecord], pages: dict[str, str],
                  writes: dict[str, bytes]) -> dict[str, str]:
    """Add one zip per locale to *writes* (its files as *writes* has them, else as they
    are in the output folder: unchanged bundles); name → SHA-256 of each."""
    from .site import deterministic_zip

    members: dict[str, dict[str, bytes]] = {}
    names = [name for r in records for name in r.files]
    names += [name for name in pages if "/" in name]  # (not the site's own: sitemaps, robots)
    for name in sorted(names):
        tag, _, rest = name.partition("/")
        data = writes.get(name)
        if data is None:
            data = inside(builder.out, name).read_bytes()
        members.setdefault(tag, {})[rest] = data
    archives = {}
    for tag in sorted(members):
        name = f"{ARCHIVES}/{tag}.zip"
        writes[name] = deterministic_zip(members[tag])
        archives[name] = sha256(writes[name])
    return archives


def remove_stale(builder: Builder, keep: set[str]) -> None:
    """Remove files of the previous build that this one did not produce, and stray bundles."""
    previous = builder.previous
    candidates = set(previous.files)
    # bundles the manifest does not know (a lost manifest): <tag>/<slug>/article.json
    tags = {bcp47_tag(locale) for locale in builder.locales}
    tags |= set(previous.locales)
    for tag in sorted(tags):
        folder = builder.out / tag
        if folder.is_dir() and not folder.is_symlink():
            for marker in folder.glob("*/article.json"):
                base = f"{tag}/{marker.parent.name}/"
                candidates.update(base + name for name in BUNDLE_FILES)
    for name in sorted(candidates - keep):
        try:
            builder.remove(name)
        except LocflowError:
            continue  # a path outside out in a tampered manifest: never touch it
