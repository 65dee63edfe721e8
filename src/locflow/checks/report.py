"""Render findings for people and machines, and keep a baseline of known findings.

:func:`writer` gives a :class:`ReportWriter` for one of the output formats of
``locflow check`` (``text``, ``json``, ``junit``, ``github`` (workflow commands) and
``sarif`` (SARIF 2.1.0)) writing to a text stream catalog by catalog: each
catalog's findings as soon as the caller has them, the summary (counts only) at the
end, so that a report of a large project is never in memory, as findings or as text.
:func:`write` writes a list of findings plus a summary (``Report.summary()``) through
it; :func:`render` returns the same text as a string. Nothing here opens files (but
temporary ones) or prints. Text from the catalogs (msgids, messages quoting
translations, file names) is escaped in every format: no control character reaches a
terminal, a CI log or an XML parser raw (:mod:`locflow.escaping`).
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from itertools import groupby
from typing import Any, Literal
from urllib.parse import quote

from ..escaping import visible
from ..model import Finding, Severity
from .baseline import Baseline, BaselineWriter, filter_baseline, fingerprint, write_baseline
from .junit import JUnit
from .streaming import JsonList, ReportWriter, Writable, report_json

__all__ = ["FORMATS", "Baseline", "BaselineWriter", "ReportWriter", "filter_baseline",
           "fingerprint", "in_catalog_order", "render", "summarize", "summary_line", "write",
           "write_baseline", "writer"]

Format = Literal["text", "json", "junit", "github", "sarif"]
FORMATS: tuple[str, ...] = ("text", "json", "junit", "github", "sarif")

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_COLOURS = {Severity.ERROR: "\x1b[31m", Severity.WARNING: "\x1b[33m"}
_BOLD, _RESET = "\x1b[1m", "\x1b[0m"


def summarize(
    findings: Sequence[Finding], files_checked: int = 0, entries_checked: int = 0
) -> dict[str, Any]:
    """Counts per severity and per check, and how much was checked."""
    return {
        "errors": sum(f.severity is Severity.ERROR for f in findings),
        "warnings": sum(f.severity is Severity.WARNING for f in findings),
        "by_check": dict(sorted(Counter(f.check for f in findings).items())),
        "files_checked": files_checked,
        "entries_checked": entries_checked,
    }


def _in_catalog(f: Finding) -> tuple[int, str, str]:
    return f.line, f.check, f.message


def in_catalog_order(findings: Iterable[Finding]) -> list[Finding]:
    """One catalog's findings in the order a report lists them: by line, check, message
    (a stable sort: equal ones keep their order)."""
    return sorted(findings, key=_in_catalog)


def _sorted(findings: Iterable[Finding], summary: Mapping[str, Any]) -> list[Finding]:
    """Catalogs in the order they were checked (as ``status`` lists them), then by line."""
    rank = {path: index for index, path in enumerate(summary.get("files", ()))}
    return sorted(
        findings, key=lambda f: (rank.get(f.path, len(rank)), f.path, *_in_catalog(f))
    )


def _excerpt(finding: Finding, states: frozenset[str]) -> str:
    """A state finding (a check of *states*) says nothing of the text: show the start of
    its source."""
    if finding.check not in states:
        return ""
    text = " ".join(finding.msgid.split())
    return f": “{visible(text if len(text) <= 48 else text[:47] + '…')}”"


class _Text(ReportWriter):
    def __init__(self, out: Writable, colour: bool) -> None:
        from . import state_checks

        super().__init__(out)
        self.colour = colour
        self.states = state_checks()

    def catalog(self, path: str, findings: Sequence[Finding]) -> None:
        if not findings:
            return
        shown = visible(path)
        lines = [(f"{_BOLD}{shown}{_RESET}" if self.colour else shown) + "\n"]
        for f in findings:
            severity = str(f.severity)
            if self.colour:
                severity = f"{_COLOURS[f.severity]}{severity}{_RESET}"
            lines.append(f"{shown}:{f.line}: {severity} [{f.check}] {visible(f.message)}"
                         f"{_excerpt(f, self.states)}\n")
        lines.append("\n")
        self.out.write("".join(lines))
        self.written += len(findings)

    def close(self, summary: Mapping[str, Any]) -> None:
        self.out.write(summary_line(summary) + "\n")


def summary_line(summary: Mapping[str, Any]) -> str:
    """The last line of the ``text`` report: what was found in how much."""
    errors, warnings = summary.get("errors", 0), summary.get("warnings", 0)
    entries, files = summary.get("entries_checked", 0), summary.get("files_checked", 0)
    tail = (
        f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)} "
        f"in {entries} entr{'y' if entries == 1 else 'ies'} of {files} file{'s' * (files != 1)}"
    )
    suppressed = summary.get("suppressed_by_baseline")
    if suppressed:
        tail += f" ({suppressed} known finding{'s' * (suppressed != 1)} suppressed by the baseline)"
    return tail


def _finding_dict(f: Finding) -> dict[str, Any]:
    return {
        "path": f.path,
        "line": f.line,
        "locale": f.locale,
        "article": f.article,
        "msgid": f.msgid,
        "msgctxt": f.msgctxt,
        "check": f.check,
        "severity": str(f.severity),
        "message": f.message,
    }


class _Json(ReportWriter):
    """``{"findings": [...], "summary": {...}}``: the summary follows the findings."""

    def __init__(self, out: Writable) -> None:
        super().__init__(out)
        self.items = JsonList(out, {"findings": [], "summary": {}}, "findings", report_json)

    def catalog(self, path: str, findings: Sequence[Finding]) -> None:
        for f in findings:
            self.items.add(_finding_dict(f))
        self.written += len(findings)

    def close(self, summary: Mapping[str, Any]) -> None:
        self.items.end({"findings": [], "summary": dict(summary)})


def _gh_data(text: str) -> str:
    """Escape a workflow command's message (GitHub's ``escapeData``); no raw controls."""
    text = visible(text, keep="\t\n\r")
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_property(text: str) -> str:
    """Escape a workflow command's property value (GitHub's ``escapeProperty``)."""
    return _gh_data(text).replace(":", "%3A").replace(",", "%2C")


class _GitHub(ReportWriter):
    def catalog(self, path: str, findings: Sequence[Finding]) -> None:
        lines = []
        for f in findings:
            command = "error" if f.severity is Severity.ERROR else "warning"
            props = ",".join(
                f"{k}={_gh_property(v)}"
                for k, v in (("file", f.path), ("line", str(f.line)),
                             ("title", f"locflow {f.check}"))
            )
            lines.append(f"::{command} {props}::{_gh_data(f.message)}\n")
        if lines:
            self.out.write("".join(lines))
        self.written += len(findings)

    def close(self, summary: Mapping[str, Any]) -> None:
        pass


def _uri(path: str) -> str:
    """*path* as the relative URI reference SARIF's ``artifactLocation.uri`` is: ``/``
    separated, percent-encoded (a space, ``#``, ``%`` or ``?`` would otherwise change
    which file it names; a ``C:`` would read as a scheme). A name the file system
    could not decode keeps its bytes."""
    return quote(path.replace("\\", "/"), safe="/", errors="surrogateescape")


class _Sarif(ReportWriter):
    def __init__(self, out: Writable) -> None:
        from . import CHECKS

        super().__init__(out)
        self.rule_ids = list(CHECKS)
        rules = [
            {
                "id": check.id,
                "name": check.id.replace("-", " ").title().replace(" ", ""),
                "shortDescription": {"text": check.description},
                "defaultConfiguration": {"level": str(check.severity)},
            }
            for check in CHECKS.values()
        ]
        self.items = JsonList(out, _sarif_log(rules, []), "results", report_json)

    def catalog(self, path: str, findings: Sequence[Finding]) -> None:
        for f in findings:
            self.items.add(_sarif_result(f, self.rule_ids))
        self.written += len(findings)

    def close(self, summary: Mapping[str, Any]) -> None:
        self.items.end()


def _sarif_result(f: Finding, rule_ids: Sequence[str]) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": f.check,
        "level": "error" if f.severity is Severity.ERROR else "warning",
        "message": {"text": f.message},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": _uri(f.path)},
                    "region": {"startLine": max(f.line, 1)},
                }
            }
        ],
        "partialFingerprints": {"locflow/v1": fingerprint(f)},
    }
    if f.check in rule_ids:
        result["ruleIndex"] = rule_ids.index(f.check)
    return result


def _sarif_log(rules: list[dict[str, Any]], results: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "locflow",
                        "informationUri": "https://pypi.org/project/locflow/",
                        "rules": rules,
                    }
                },
                "results": results,
            }
        ],
    }


def writer(fmt: str, out: Writable, *, colour: bool = False) -> ReportWriter:
    """A :class:`ReportWriter` of *fmt* (one of :data:`FORMATS`) writing to *out*.

    *colour* adds ANSI colours to ``text`` (the CLI asks for it on a terminal).
    Raises ``ValueError`` for an unknown format (before writing anything).
    """
    if fmt == "text":
        return _Text(out, colour)
    if fmt == "junit":
        return JUnit(out)
    writers: dict[str, type[ReportWriter]] = {"json": _Json, "github": _GitHub,
                                              "sarif": _Sarif}
    if fmt not in writers:
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    return writers[fmt](out)


def write(
    findings: Sequence[Finding],
    summary: Mapping[str, Any],
    fmt: str,
    out: Writable,
    *,
    colour: bool = False,
) -> None:
    """Write *findings* and *summary* in *fmt* (one of :data:`FORMATS`) to *out*.

    The findings are sorted by the order of ``summary["files"]`` (the catalogs checked),
    then path, line, check and message. *colour* adds ANSI colours to ``text``.
    Raises ``ValueError`` for an unknown format (before writing anything).
    """
    report = writer(fmt, out, colour=colour)
    for path, group in groupby(_sorted(findings, summary), key=lambda f: f.path):
        report.catalog(path, list(group))
    report.close(summary)


def render(
    findings: Sequence[Finding],
    summary: Mapping[str, Any],
    fmt: str = "text",
    *,
    colour: bool = False,
) -> str:
    """What :func:`write` writes, as a string."""
    out = io.StringIO()
    write(findings, summary, fmt, out, colour=colour)
    return out.getvalue()
