"""Source articles: Markdown files with YAML front matter under ``content/``.

Reading is strict: a file that is not UTF-8, has malformed front matter (a
``corrections:`` list that is not ``- {date: YYYY-MM-DD, text: "…"}`` items, an
``updated:`` that is not a date), or an unsafe or duplicate slug raises
:class:`ContentError` naming the file and line.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ContentError, excerpt

SLUG_PATTERN = re.compile(r"[a-z0-9][a-z0-9-]*")
_FENCE = re.compile(r"^---[ \t]*$")


@dataclass(frozen=True)
class Correction:
    """A correction printed for readers: ``corrections:`` in the front matter."""

    date: dt.date
    text: str  # as written (stripped): never empty


@dataclass(frozen=True)
class Article:
    """One source article."""

    slug: str
    path: Path  # the Markdown file
    meta: dict[str, Any]  # the front matter, as YAML parsed it
    body: str  # the Markdown body, after the front matter
    body_line: int  # line number (1-based) of the body's first line in the file
    source_hash: str = field(default="", compare=False)  # sha256 of the file's bytes
    corrections: tuple[Correction, ...] = ()  # ``corrections:``, in the front matter's order

    @property
    def title(self) -> str:
        return str(self.meta.get("title", ""))

    @property
    def summary(self) -> str:
        return str(self.meta.get("summary", "") or "")

    @property
    def date(self) -> dt.date | None:
        return _as_date(self.meta.get("date"))

    @property
    def updated(self) -> dt.date | None:
        """When the English text last changed: ``updated:`` in the front matter, else
        the publication ``date``."""
        return _as_date(self.meta.get("updated")) or self.date


def _as_date(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else None


@functools.lru_cache(maxsize=1)
def _yaml_loaders() -> tuple[type[Any], type[Any]]:
    """(fast C loader, pure-Python loader): YAML's safe subset, with dates checked.

    PyYAML builds a timestamp that looks like a date (``2024-13-04``, ``0000-01-01``,
    ``25:00``) with ``datetime`` and lets its ValueError out; here it is a marked
    YAML error like any other.
    """
    import yaml
    from yaml.constructor import ConstructorError, SafeConstructor

    def timestamp(loader: Any, node: Any) -> Any:
        try:
            return SafeConstructor.construct_yaml_timestamp(loader, node)
        except (ValueError, OverflowError):
            raise ConstructorError(None, None, f"invalid date or time {excerpt(node.value)}",
                                   node.start_mark) from None

    class Fast(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
        pass

    class Careful(yaml.SafeLoader):
        pass

    for loader in (Fast, Careful):
        loader.add_constructor("tag:yaml.org,2002:timestamp", timestamp)
    return Fast, Careful


def _clip(message: str, limit: int = 100) -> str:
    """A parser's message, short and on one line (it may quote the file: a tag, a token)."""
    message = " ".join(message.split())
    message = "".join(c if c.isprintable() else repr(c)[1:-1] for c in message)
    return message if len(message) <= limit else message[:limit] + "…"


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


_CORRECTION_FORM = '- {date: YYYY-MM-DD, text: "…"}'


def _front_line(front: str, keys: Sequence[str | int]) -> int:
    """The file's line of the value at *keys* in the front matter (``("corrections", 0,
    "date")``), or of the innermost one found on the way; for error messages only."""
    import yaml
    from yaml.nodes import MappingNode, SequenceNode

    _, careful = _yaml_loaders()
    try:
        node = yaml.compose(front, Loader=careful)
    except (yaml.YAMLError, RecursionError):
        return 2
    line = 0
    for key in keys:
        if node is None:
            break
        line = node.start_mark.line
        if isinstance(node, MappingNode):
            values = [v for k, v in node.value if getattr(k, "value", None) == str(key)]
            node = values[-1] if values else None  # (YAML keeps a repeated key's last)
        elif isinstance(node, SequenceNode) and isinstance(key, int) and key < len(node.value):
            node = node.value[key]
        else:
            node = None
    if node is not None:
        line = node.start_mark.line
    return line + 2  # the front matter starts on the file's second line


def _iso_date(value: object) -> dt.date | None:
    """A front-matter date: a YAML date (or date and time), or ISO text; else None."""
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return _as_date(value)


def _check_updated(meta: dict[str, Any], front: str, path: Path) -> None:
    value = meta.get("updated")
    if value is None:
        return
    date = _iso_date(value)
    if date is None:
        raise ContentError(f"updated {excerpt(str(value))} is not an ISO date (YYYY-MM-DD)",
                           path=path, line=_front_line(front, ("updated",)))
    meta["updated"] = date


def _read_corrections(meta: dict[str, Any], front: str, path: Path
                      ) -> tuple[Correction, ...]:
    """``corrections:``: a list of ``{date, text}`` mappings, checked item by item."""
    value = meta.get("corrections")
    if value is None:
        return ()

    def bad(message: str, *keys: str | int) -> ContentError:
        return ContentError(message, path=path, line=_front_line(front, ("corrections", *keys)))

    if not isinstance(value, list):
        raise bad(f"'corrections' must be a list: {_CORRECTION_FORM}")
    found = []
    for index, item in enumerate(value):
        which = f"correction {index + 1}"
        if not isinstance(item, dict):
            raise bad(f"{which} must be a mapping: {_CORRECTION_FORM}", index)
        for key in item:
            if key not in ("date", "text"):
                raise bad(f"{which}: unknown field {excerpt(str(key))} "
                          "(a correction has 'date' and 'text')", index, str(key))
        date = _iso_date(item.get("date"))
        if date is None:
            given = item.get("date")
            raise bad(f"{which} has no date (date: YYYY-MM-DD)" if given is None else
                      f"{which}: date {excerpt(str(given))} is not an ISO date (YYYY-MM-DD)",
                      index, "date")
        text = item.get("text")
        if not isinstance(text, str) or not text.strip():
            raise bad(f"{which} has no text (text: what was corrected)" if text is None else
                      f"{which}: 'text' must be non-empty text", index, "text")
        found.append(Correction(date, text.strip()))
    return tuple(found)


def parse_article(data: bytes, path: Path, translatable_fields: Iterable[str] = ()) -> Article:
    """Parse one article's bytes. *path* is used for the slug and in error messages."""
    import hashlib

    import yaml

    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ContentError("not UTF-8 text", path=path, line=_line_of(data, exc.start)) from None
    lines = text.split("\n")
    if not lines or not _FENCE.match(lines[0].rstrip("\r")):
        raise ContentError(
            "missing front matter: the file must start with a '---' line", path=path, line=1
        )
    end = next((i for i in range(1, len(lines)) if _FENCE.match(lines[i].rstrip("\r"))), None)
    if end is None:
        raise ContentError("front matter is not closed by a '---' line", path=path, line=1)
    front = "\n".join(lines[1:end])
    fast, careful = _yaml_loaders()
    try:
        # the C loader is several times faster; the same safe subset of YAML
        meta = yaml.load(front, Loader=fast) or {}
    except RecursionError:
        raise ContentError("front matter is nested too deeply", path=path, line=2) from None
    except yaml.YAMLError as fast_error:
        if "nesting depth" in str(fast_error):  # libyaml's limit: the slow loader would crawl
            raise ContentError("front matter is nested too deeply", path=path, line=2) from None
        # errors are rare: take the pure-Python loader's message, which marks better
        try:
            yaml.load(front, Loader=careful)
        except RecursionError:
            raise ContentError("front matter is nested too deeply", path=path, line=2) from None
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 2 if mark is not None else 1
            raise ContentError(
                f"invalid YAML front matter: {_clip(str(exc.problem or exc.context))}",
                path=path, line=line
            ) from None
        except yaml.YAMLError as exc:
            raise ContentError(f"invalid YAML front matter: {_clip(str(exc))}", path=path,
                               line=2) from None
        raise ContentError("invalid YAML front matter", path=path, line=2) from None
    if not isinstance(meta, dict):
        raise ContentError(
            "front matter must be a mapping of fields (title: ...)", path=path, line=2
        )
    if not isinstance(meta.get("title"), str) or not meta["title"].strip():
        raise ContentError("front matter has no 'title'", path=path, line=1)
    for name in translatable_fields:
        if name in meta and meta[name] is not None and not isinstance(meta[name], str):
            raise ContentError(f"front-matter field {name!r} must be text", path=path, line=1)
    date = meta.get("date")
    if isinstance(date, str):
        try:
            meta["date"] = dt.date.fromisoformat(date)
        except ValueError:
            raise ContentError(
                f"date {excerpt(date)} is not an ISO date (YYYY-MM-DD)", path=path, line=1
            ) from None
    _check_updated(meta, front, path)
    slug = meta.get("slug", path.stem)
    if not isinstance(slug, str) or not SLUG_PATTERN.fullmatch(slug):
        raise ContentError(
            f"unsafe slug {excerpt(str(slug))}: use lowercase letters, digits and '-' "
            "(set 'slug:' in the front matter or rename the file)",
            path=path,
            line=1,
        )
    return Article(
        slug=slug,
        path=path,
        meta=meta,
        body="\n".join(lines[end + 1 :]),
        body_line=end + 2,
        source_hash=hashlib.sha256(data).hexdigest(),
        corrections=_read_corrections(meta, front, path),
    )


def find_article_files(content_dir: Path) -> list[Path]:
    """Every ``*.md`` under *content_dir*, sorted, never following links outside it."""
    if not content_dir.is_dir():
        return []
    root = content_dir.resolve()
    found = []
    for path in sorted(content_dir.rglob("*.md")):
        if not path.is_file():
            continue
        if not path.resolve().is_relative_to(root):
            raise ContentError("links outside the content directory", path=path)
        found.append(path)
    return found


def read_articles(content_dir: Path, translatable_fields: Iterable[str] = ()) -> list[Article]:
    """Read every article under *content_dir*, sorted by path; slugs must be unique."""
    fields = tuple(translatable_fields)
    articles: list[Article] = []
    seen: dict[str, Path] = {}
    for path in find_article_files(content_dir):
        article = read_article(path, fields)
        if article.slug in seen:
            raise duplicate_slug(article.slug, path, seen[article.slug])
        seen[article.slug] = path
        articles.append(article)
    return articles


def read_article(path: Path, translatable_fields: Iterable[str] = ()) -> Article:
    """Read and parse the article at *path*."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ContentError(f"cannot read: {exc.strerror}", path=path) from None
    return parse_article(data, path, translatable_fields)


def duplicate_slug(slug: str, path: Path, first: Path) -> ContentError:
    """The error for a second article (*path*) with the slug of *first*."""
    return ContentError(f"duplicate slug {slug!r} (also used by {first})", path=path, line=1)
