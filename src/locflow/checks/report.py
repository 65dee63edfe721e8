"""Render findings for people and machines, and keep a baseline of known findings.

:func:`write` writes findings plus a summary (``Report.summary()``) in one of
the output formats of ``locflow check`` to a text stream: ``text``, ``json``,
``junit``, ``github`` (workflow commands) and ``sarif`` (SARIF 2.1.0). It writes
finding by finding (a report of a large project is never one string in memory;
JUnit's XML is the exception); :func:`render` returns the same text as a string.
Nothing here opens files or prints. Text from the
catalogs (msgids, messages quoting translations, file names) is escaped in every
format: no control character reaches a terminal, a CI log or an XML parser raw
(:mod:`locflow.escaping`).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from itertools import groupby
from typing import Any, Literal, Protocol
from urllib.parse import quote
from xml.etree import ElementTree as ET

from ..escaping import json_text, visible
from ..model import Finding, Severity

__all__ = ["FORMATS", "filter_baseline", "fingerprint", "render", "summarize", "summary_line",
           "write", "write_baseline"]

class Writable(Protocol):
    """Where a report is written: a text file, standard output, a ``StringIO``."""

    def write(self, text: str, /) -> object: ...


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


def _sorted(findings: Iterable[Finding], summary: Mapping[str, Any]) -> list[Finding]:
    """Catalogs in the order they were checked (as ``status`` lists them), then by line."""
    rank = {path: index for index, path in enumerate(summary.get("files", ()))}
    return sorted(
        findings, key=lambda f: (rank.get(f.path, len(rank)), f.path, f.line, f.check, f.message)
    )


def _excerpt(finding: Finding, states: frozenset[str]) -> str:
    """A state finding (a check of *states*) says nothing of the text: show the start of
    its source."""
    if finding.check not in states:
        return ""
    text = " ".join(finding.msgid.split())
    return f": “{visible(text if len(text) <= 48 else text[:47] + '…')}”"


def _text(findings: Sequence[Finding], summary: Mapping[str, Any], colour: bool,
          out: Writable) -> None:
    from . import state_checks

    states = state_checks()
    for path, group in groupby(_sorted(findings, summary), key=lambda f: f.path):
        shown = visible(path)
        out.write((f"{_BOLD}{shown}{_RESET}" if colour else shown) + "\n")
        for f in group:
            severity = str(f.severity)
            if colour:
                severity = f"{_COLOURS[f.severity]}{severity}{_RESET}"
            out.write(f"{shown}:{f.line}: {severity} [{f.check}] {visible(f.message)}"
                      f"{_excerpt(f, states)}\n")
        out.write("\n")
    out.write(summary_line(summary) + "\n")


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


def _write_json(out: Writable, document: Mapping[str, Any], key: str,
                items: Iterable[Any]) -> None:
    """``json_text(document) + "\\n"`` with *items* as the list at *key* (wherever it is
    nested), written item by item: the same bytes, never the whole text in memory."""
    marker = f"locflow-items-{os.urandom(8).hex()}"  # in no file name or message
    text = json_text(_with_marker(document, key, marker))
    head, tail = text.split(json.dumps(marker), 1)
    line = head[head.rfind("\n") + 1:]
    indent = " " * (len(line) - len(line.lstrip(" ")))
    inner = indent + "  "
    out.write(head)
    first = True
    for item in items:
        out.write("[\n" if first else ",\n")
        first = False
        out.write(inner + json_text(item).replace("\n", "\n" + inner))
    out.write("[]" if first else "\n" + indent + "]")
    out.write(tail + "\n")


def _with_marker(document: Any, key: str, marker: str) -> Any:
    """*document* with the value at *key* (one place, in dicts and lists) set to *marker*."""
    if isinstance(document, Mapping):
        return {k: marker if k == key else _with_marker(v, key, marker)
                for k, v in document.items()}
    if isinstance(document, list):
        return [_with_marker(v, key, marker) for v in document]
    return document


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


def _json(findings: Sequence[Finding], summary: Mapping[str, Any], out: Writable) -> None:
    _write_json(out, {"findings": [], "summary": dict(summary)}, "findings",
                (_finding_dict(f) for f in _sorted(findings, summary)))


def _junit(findings: Sequence[Finding], summary: Mapping[str, Any], out: Writable) -> None:
    """One testsuite per catalog checked; one testcase per finding, or one passing
    testcase for a catalog without findings (so CI dashboards count clean catalogs).

    Errors become ``<failure>``; warnings become testcases with the message in
    ``<system-out>`` (they pass, as they do not fail the gate), so CI dashboards
    show them without turning red. Testcase names are unique within a suite.
    """
    root = ET.Element("testsuites", name="locflow check")
    total_failures = total_tests = 0
    by_path: dict[str, list[Finding]] = {path: [] for path in summary.get("files", ())}
    for f in _sorted(findings, summary):
        by_path.setdefault(f.path, []).append(f)
    for raw_path, items in by_path.items():
        path = _xml(raw_path)
        failures = sum(f.severity is Severity.ERROR for f in items)
        total_failures += failures
        suite = ET.SubElement(
            root, "testsuite", name=path, tests=str(len(items) or 1), failures=str(failures),
            errors="0", skipped="0",
        )
        total_tests += len(items) or 1
        if not items:
            ET.SubElement(suite, "testcase", classname=path, name="every entry passes",
                          file=path)
        seen: Counter[str] = Counter()
        for f in items:
            message = _xml(f.message)
            name = f"{f.check} line {f.line}: {_xml(f.msgid[:60])}"
            seen[name] += 1
            if seen[name] > 1:
                name += f" ({seen[name]})"
            case = ET.SubElement(
                suite, "testcase", classname=path, name=name, file=path, line=str(f.line),
            )
            if f.severity is Severity.ERROR:
                failure = ET.SubElement(case, "failure", type=f.check, message=message)
                failure.text = f"{path}:{f.line}: {message}\nmsgid: {_xml(f.msgid)}"
            else:
                system_out = ET.SubElement(case, "system-out")
                system_out.text = f"warning [{f.check}] {path}:{f.line}: {message}"
    root.set("tests", str(total_tests))
    root.set("failures", str(total_failures))
    ET.indent(root)
    # (one XML string: ElementTree has no streaming writer that indents)
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, "unicode") + "\n")


def _xml(text: str) -> str:
    """Text XML 1.0 can hold and a terminal can show (ElementTree escapes ``<&"``)."""
    return visible(text, keep="\t\n")


def _gh_data(text: str) -> str:
    """Escape a workflow command's message (GitHub's ``escapeData``); no raw controls."""
    text = visible(text, keep="\t\n\r")
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_property(text: str) -> str:
    """Escape a workflow command's property value (GitHub's ``escapeProperty``)."""
    return _gh_data(text).replace(":", "%3A").replace(",", "%2C")


def _github(findings: Sequence[Finding], summary: Mapping[str, Any], out: Writable) -> None:
    for f in _sorted(findings, summary):
        command = "error" if f.severity is Severity.ERROR else "warning"
        props = ",".join(
            f"{k}={_gh_property(v)}"
            for k, v in (("file", f.path), ("line", str(f.line)), ("title", f"locflow {f.check}"))
        )
        out.write(f"::{command} {props}::{_gh_data(f.message)}\n")


def _uri(path: str) -> str:
    """*path* as the relative URI reference SARIF's ``artifactLocation.uri`` is: ``/``
    separated, percent-encoded (a space, ``#``, ``%`` or ``?`` would otherwise change
    which file it names; a ``C:`` would read as a scheme). A name the file system
    could not decode keeps its bytes."""
    return quote(path.replace("\\", "/"), safe="/", errors="surrogateescape")


def _sarif(findings: Sequence[Finding], summary: Mapping[str, Any], out: Writable) -> None:
    from . import CHECKS

    rule_ids = list(CHECKS)
    rules = [
        {
            "id": check.id,
            "name": check.id.replace("-", " ").title().replace(" ", ""),
            "shortDescription": {"text": check.description},
            "defaultConfiguration": {"level": str(check.severity)},
        }
        for check in CHECKS.values()
    ]
    _write_json(out, _sarif_log(rules, []), "results",
                (_sarif_result(f, rule_ids) for f in _sorted(findings, summary)))


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


def write(
    findings: Sequence[Finding],
    summary: Mapping[str, Any],
    fmt: str,
    out: Writable,
    *,
    colour: bool = False,
) -> None:
    """Write *findings* and *summary* in *fmt* (one of :data:`FORMATS`) to *out*.

    *colour* adds ANSI colours to ``text`` (the CLI asks for it on a terminal).
    Raises ``ValueError`` for an unknown format (before writing anything).
    """
    if fmt == "text":
        _text(findings, summary, colour, out)
        return
    writers = {"json": _json, "junit": _junit, "github": _github, "sarif": _sarif}
    if fmt not in writers:
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    writers[fmt](findings, summary, out)


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


# --- baseline -----------------------------------------------------------------------


def fingerprint(f: Finding) -> str:
    """A finding's identity across edits: path, msgctxt, msgid, check and message.

    Line numbers are left out on purpose, so that entries moving in the file keep
    their fingerprint.
    """
    key = "\x1f".join([f.path, f.msgctxt or "", f.msgid, f.check, f.message])
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def write_baseline(findings: Iterable[Finding]) -> str:
    """The baseline file for *findings*: JSON with sorted keys, one record per finding."""
    records = sorted(
        (
            {"fingerprint": fingerprint(f), "path": f.path, "check": f.check,
             "msgid": f.msgid[:80], "message": f.message}
            for f in findings
        ),
        key=lambda r: (r["path"], r["check"], r["fingerprint"]),
    )
    return json.dumps({"version": 1, "findings": records}, ensure_ascii=False, indent=2,
                      sort_keys=True) + "\n"


def filter_baseline(
    findings: Sequence[Finding], baseline_text: str, protected: frozenset[str] = frozenset()
) -> tuple[list[Finding], int]:
    """Drop the findings the baseline knows: returns ``(new_findings, suppressed_count)``.

    Each baseline record suppresses one finding with its fingerprint, so a second
    copy of a known problem still shows. Findings of the *protected* checks are
    kept whatever the baseline says (``checks.baseline_protected``). Raises
    ``ValueError`` if the baseline is not a locflow baseline.
    """
    try:
        data = json.loads(baseline_text)
        known = Counter(r["fingerprint"] for r in data["findings"])
    except RecursionError:
        raise ValueError("not a locflow baseline: nested too deeply") from None
    except (ValueError, KeyError, TypeError) as exc:  # JSONDecodeError, huge integers
        raise ValueError(f"not a locflow baseline: {exc}") from None
    new: list[Finding] = []
    suppressed = 0
    for f in findings:
        fp = fingerprint(f)
        if known[fp] > 0 and f.check not in protected and f.check != "conflict":
            known[fp] -= 1
            suppressed += 1
        else:
            new.append(f)
    return new, suppressed
