"""The JUnit XML report, written catalog by catalog.

One testsuite per catalog checked; one testcase per finding, or one passing testcase
for a catalog without findings (so CI dashboards count clean catalogs). Errors become
``<failure>``; warnings become testcases with the message in ``<system-out>`` (they
pass, as they do not fail the gate), so CI dashboards show them without turning red.
Testcase names are unique within a suite.

The text is what ``ElementTree`` gives for that tree after ``ET.indent`` (two spaces a
level), written by hand: ElementTree has no streaming writer that indents, and a large
project's tree was the largest thing ``check`` held. The root's totals come first, so
the suites are spooled to an unnamed temporary file and copied after them.
"""

from __future__ import annotations

import codecs
import tempfile
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from ..escaping import visible
from ..model import Finding, Severity
from .streaming import ReportWriter, Writable

__all__ = ["JUnit"]

_COPY = 1 << 20  # bytes copied from the spool at a time


def _xml(text: str) -> str:
    """Text XML 1.0 can hold and a terminal can show (the markup is escaped apart)."""
    return visible(text, keep="\t\n")


def _cdata(text: str) -> str:
    """Element text escaped as ElementTree escapes it."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attr(text: str) -> str:
    """An attribute value escaped as ElementTree escapes it (a tab, CR or LF as a
    character reference: an XML parser would turn them into spaces)."""
    return (_cdata(text).replace('"', "&quot;").replace("\r", "&#13;")
            .replace("\n", "&#10;").replace("\t", "&#09;"))


def _element(indent: str, tag: str, attributes: Sequence[tuple[str, str]],
             text: str = "") -> str:
    """A childless element on its own line (ElementTree's ``<tag ... />`` when empty)."""
    attrs = "".join(f' {name}="{_attr(value)}"' for name, value in attributes)
    if not text:
        return f"{indent}<{tag}{attrs} />\n"
    return f"{indent}<{tag}{attrs}>{_cdata(text)}</{tag}>\n"


def suite(raw_path: str, items: Sequence[Finding]) -> tuple[str, int, int]:
    """The testsuite of one catalog (its lines, indented as inside the root), its tests
    and its failures."""
    path = _xml(raw_path)
    failures = sum(f.severity is Severity.ERROR for f in items)
    tests = len(items) or 1
    parts = [f'  <testsuite name="{_attr(path)}" tests="{tests}" failures="{failures}" '
             'errors="0" skipped="0">\n']
    if not items:
        parts.append(_element("    ", "testcase", [("classname", path),
                                                   ("name", "every entry passes"),
                                                   ("file", path)]))
    seen: Counter[str] = Counter()
    for f in items:
        message = _xml(f.message)
        name = f"{f.check} line {f.line}: {_xml(f.msgid[:60])}"
        seen[name] += 1
        if seen[name] > 1:
            name += f" ({seen[name]})"
        attrs = [("classname", path), ("name", name), ("file", path), ("line", str(f.line))]
        parts.append("    <testcase" + "".join(f' {k}="{_attr(v)}"' for k, v in attrs)
                     + ">\n")
        if f.severity is Severity.ERROR:
            parts.append(_element("      ", "failure", [("type", f.check), ("message", message)],
                                  f"{path}:{f.line}: {message}\nmsgid: {_xml(f.msgid)}"))
        else:
            parts.append(_element("      ", "system-out", [],
                                  f"warning [{f.check}] {path}:{f.line}: {message}"))
        parts.append("    </testcase>\n")
    parts.append("  </testsuite>\n")
    return "".join(parts), tests, failures


class JUnit(ReportWriter):
    """Suites spooled as they come; at :meth:`close`, the root with its totals, then the
    suites in the order of ``summary["files"]`` (a path listed twice: where it first
    is), then those of other paths in the order given."""

    def __init__(self, out: Writable) -> None:
        super().__init__(out)
        # unnamed: gone however the run ends (closed by close(), release())
        self.spool = tempfile.TemporaryFile()  # noqa: SIM115
        self.where: dict[str, tuple[int, int]] = {}  # path -> its suite's bytes
        self.end = 0
        self.tests = self.failures = 0

    def catalog(self, path: str, findings: Sequence[Finding]) -> None:
        text, tests, failures = suite(path, findings)
        data = text.encode("utf-8", "surrogatepass")
        self.spool.seek(self.end)
        self.spool.write(data)
        self.where[path] = (self.end, len(data))
        self.end += len(data)
        self.tests += tests
        self.failures += failures
        self.written += len(findings)

    def close(self, summary: Mapping[str, Any]) -> None:
        files = dict.fromkeys(summary.get("files", ()))
        for path in files:
            if path not in self.where:  # (a catalog given no findings: it passes)
                self.catalog(path, [])
        order = [*files, *(path for path in self.where if path not in files)]
        self.out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
        head = f'<testsuites name="locflow check" tests="{self.tests}" failures="{self.failures}"'
        if not order:
            self.out.write(head + " />\n")
            self.release()
            return
        self.out.write(head + ">\n")
        for path in order:
            offset, length = self.where[path]
            self.spool.seek(offset)
            decoder = codecs.getincrementaldecoder("utf-8")("surrogatepass")
            while length > 0:  # (a catalog with thousands of findings: a piece at a time)
                data = self.spool.read(min(length, _COPY))
                if not data:
                    raise OSError("the JUnit report's temporary file was cut short")
                length -= len(data)
                self.out.write(decoder.decode(data, final=length <= 0))
        self.out.write("</testsuites>\n")
        self.release()

    def release(self) -> None:
        self.spool.close()
