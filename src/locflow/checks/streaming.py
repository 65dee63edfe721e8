"""Reports written as their parts are ready: what the output formats share.

A report (or a baseline) of a large project has hundreds of thousands of items: it is
never one string, nor one list, in memory. :class:`ReportWriter` is a report taken
catalog by catalog; :class:`JsonList` writes exactly the text ``dumps(document)`` would
give with the items in the list, one item at a time.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping, Sequence
from json.encoder import encode_basestring as _string  # (C; ensure_ascii=False's)
from typing import Any, Protocol

from ..escaping import json_safe, json_text
from ..model import Finding

__all__ = ["JsonList", "ReportWriter", "Writable", "report_json"]


class Writable(Protocol):
    """Where a report is written: a text file, standard output, a ``StringIO``."""

    def write(self, text: str, /) -> object: ...


Dumps = Callable[[Any], str]


class JsonList:
    """``dumps(document) + "\\n"`` with the list at *key* (wherever it is nested) written
    item by item: the same bytes, never the whole text in memory.

    Nothing is written before the first :meth:`add` (or :meth:`end`), so a report file
    opened on first write is not touched by a run that fails before its first result.
    """

    def __init__(self, out: Writable, document: Mapping[str, Any], key: str,
                 dumps: Dumps) -> None:
        self.out, self.key, self.dumps = out, key, dumps
        self._head, self._tail = self._split(document)
        line = self._head[self._head.rfind("\n") + 1:]
        self._indent = " " * (len(line) - len(line.lstrip(" ")))
        self._inner = self._indent + "  "
        self.count = 0

    def _split(self, document: Mapping[str, Any]) -> tuple[str, str]:
        """The text of *document* before and after the list at *key*."""
        marker = f"locflow-items-{os.urandom(8).hex()}"  # in no file name or message
        text = self.dumps(_with_marker(document, self.key, marker))
        head, tail = text.split(json.dumps(marker), 1)
        return head, tail

    def add(self, item: Any) -> None:
        """Write *item* as the list's next element."""
        self.add_text(self.dumps(item))

    def add_text(self, text: str) -> None:
        """Write an item already dumped (at indentation level 0) as the next element."""
        self.out.write(self._head + "[\n" if self.count == 0 else ",\n")
        self.out.write(self._inner + text.replace("\n", "\n" + self._inner))
        self.count += 1

    def end(self, document: Mapping[str, Any] | None = None) -> None:
        """Close the list and write the rest of the document: *document* if given (the
        same text up to the list: a summary known only now follows it)."""
        tail = self._tail if document is None else self._split(document)[1]
        self.out.write(self._head + "[]" if self.count == 0 else "\n" + self._indent + "]")
        self.out.write(tail + "\n")


def report_json(value: Any) -> str:
    """``escaping.json_text(value)`` (indented by 2), faster: ``json.dumps`` with an indent
    encodes in Python, and that was most of a report's time from the cache. Here each
    string goes through the C encoder; the layout is ``json.dumps``'s (tests compare)."""
    try:
        return json_safe(_indented(value, "\n"))
    except TypeError:  # (a value that is none of JSON's: as json_text says)
        return json_text(value)


def _indented(value: Any, newline: str) -> str:
    if isinstance(value, str):
        return _string(value)
    if value is None or isinstance(value, bool):
        return "null" if value is None else "true" if value else "false"
    if isinstance(value, int):
        return int.__repr__(value)
    inner = newline + "  "
    if isinstance(value, dict):
        if not value:
            return "{}"
        if not all(isinstance(key, str) for key in value):
            raise TypeError("a key that is not a string")
        return ("{" + ",".join(inner + _string(key) + ": " + _indented(item, inner)
                               for key, item in value.items()) + newline + "}")
    if isinstance(value, list | tuple):
        if not value:
            return "[]"
        return "[" + ",".join(inner + _indented(item, inner) for item in value) + newline + "]"
    raise TypeError(type(value).__name__)


def _with_marker(document: Any, key: str, marker: str) -> Any:
    """*document* with the value at *key* (one place, in dicts and lists) set to *marker*."""
    if isinstance(document, Mapping):
        return {k: marker if k == key else _with_marker(v, key, marker)
                for k, v in document.items()}
    if isinstance(document, list):
        return [_with_marker(v, key, marker) for v in document]
    return document


class ReportWriter:
    """A report in one format, written catalog by catalog.

    Call :meth:`catalog` once per catalog (each path once), in the report's order:
    catalogs in the order they were checked, then the paths of findings about no
    checked catalog (``locflow.toml``) by path; each one's findings in
    :func:`~locflow.checks.report.in_catalog_order`. A catalog without findings may be
    given (JUnit lists it as passing; any of ``summary["files"]`` not given is too).
    :meth:`close` writes what follows the findings; the summary holds counts and the
    catalogs checked.
    """

    def __init__(self, out: Writable) -> None:
        self.out = out
        self.written = 0  # findings written

    def catalog(self, path: str, findings: Sequence[Finding]) -> None:
        raise NotImplementedError

    def close(self, summary: Mapping[str, Any]) -> None:
        raise NotImplementedError

    def release(self) -> None:
        """Let go of what the writer holds (a temporary file) without writing the rest:
        after a failed run (:meth:`close` lets go too)."""
