"""The report formats as ``locflow check`` wrote them before it streamed: every finding in
one sorted list, each document built whole (JUnit as an ElementTree, indented by
``ET.indent``). The streamed writers of :mod:`locflow.checks.report` must give these
bytes (tests/checks/test_report_streaming.py).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from itertools import groupby
from typing import Any
from xml.etree import ElementTree as ET

from locflow.checks import CHECKS, state_checks
from locflow.checks.report import (
    _excerpt,
    _finding_dict,
    _gh_data,
    _gh_property,
    _sarif_log,
    _sarif_result,
    summary_line,
)
from locflow.escaping import json_text, visible
from locflow.model import Finding, Severity

_COLOURS = {Severity.ERROR: "\x1b[31m", Severity.WARNING: "\x1b[33m"}
_BOLD, _RESET = "\x1b[1m", "\x1b[0m"


def _sorted(findings: Iterable[Finding], summary: Mapping[str, Any]) -> list[Finding]:
    rank = {path: index for index, path in enumerate(summary.get("files", ()))}
    return sorted(
        findings, key=lambda f: (rank.get(f.path, len(rank)), f.path, f.line, f.check, f.message)
    )


def _text(findings: Sequence[Finding], summary: Mapping[str, Any], colour: bool) -> str:
    out = []
    states = state_checks()
    for path, group in groupby(_sorted(findings, summary), key=lambda f: f.path):
        shown = visible(path)
        out.append((f"{_BOLD}{shown}{_RESET}" if colour else shown) + "\n")
        for f in group:
            severity = str(f.severity)
            if colour:
                severity = f"{_COLOURS[f.severity]}{severity}{_RESET}"
            out.append(f"{shown}:{f.line}: {severity} [{f.check}] {visible(f.message)}"
                       f"{_excerpt(f, states)}\n")
        out.append("\n")
    out.append(summary_line(summary) + "\n")
    return "".join(out)


def _xml(text: str) -> str:
    return visible(text, keep="\t\n")


def _junit(findings: Sequence[Finding], summary: Mapping[str, Any]) -> str:
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
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, "unicode") + "\n"


def _github(findings: Sequence[Finding], summary: Mapping[str, Any]) -> str:
    out = []
    for f in _sorted(findings, summary):
        command = "error" if f.severity is Severity.ERROR else "warning"
        props = ",".join(
            f"{k}={_gh_property(v)}"
            for k, v in (("file", f.path), ("line", str(f.line)), ("title", f"locflow {f.check}"))
        )
        out.append(f"::{command} {props}::{_gh_data(f.message)}\n")
    return "".join(out)


def _sarif(findings: Sequence[Finding], summary: Mapping[str, Any]) -> str:
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
    results = [_sarif_result(f, rule_ids) for f in _sorted(findings, summary)]
    return json_text(_sarif_log(rules, results)) + "\n"


def reference(findings: Sequence[Finding], summary: Mapping[str, Any], fmt: str,
              colour: bool = False) -> str:
    """The report the pre-streaming code rendered."""
    if fmt == "text":
        return _text(findings, summary, colour)
    if fmt == "json":
        return json_text({"findings": [_finding_dict(f) for f in _sorted(findings, summary)],
                          "summary": dict(summary)}) + "\n"
    if fmt == "junit":
        return _junit(findings, summary)
    if fmt == "github":
        return _github(findings, summary)
    assert fmt == "sarif"
    return _sarif(findings, summary)
