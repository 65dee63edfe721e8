"""Output formats: text, json, junit (parses as XML), github (well-formed), sarif (schema)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from xml.etree import ElementTree as ET

import jsonschema
import pytest

from locflow.checks.report import render, summarize
from locflow.model import Finding, Severity

FINDINGS = [
    Finding("numbers", Severity.ERROR, "13 in the translation; the source says 12",
            "locales/es/a,b:c.po", 12, "12 people", None, "es", "kim"),
    Finding("punctuation", Severity.WARNING, "100% sure?\nline two\r",
            "locales/es/a,b:c.po", 30, "Sure?", "title", "es", "kim"),
    Finding("untranslated", Severity.ERROR, "not translated yet",
            "locales/zh_Hans/x.po", 7, "Home", None, "zh_Hans", None),
]
SUMMARY = summarize(FINDINGS, files_checked=2, entries_checked=40)
SCHEMA = Path(__file__).parent / "data" / "sarif-2.1.0-subset.schema.json"


def test_text_groups_by_file_without_colour() -> None:
    out = render(FINDINGS, SUMMARY, "text")
    assert "\x1b[" not in out
    line = "locales/es/a,b:c.po:12: error [numbers] 13 in the translation; the source says 12"
    assert line in out
    assert out.index("locales/es/a,b:c.po\n") < out.index("locales/zh_Hans/x.po\n")
    assert out.rstrip().endswith("2 errors, 1 warning in 40 entries of 2 files")


def test_text_colour_when_asked() -> None:
    assert "\x1b[31merror" in render(FINDINGS, SUMMARY, "text", colour=True)


def test_json_shape() -> None:
    data = json.loads(render(FINDINGS, SUMMARY, "json"))
    assert set(data) == {"findings", "summary"}
    first = data["findings"][0]
    keys = {"path", "line", "locale", "article", "msgid", "check", "severity", "message"}
    assert keys <= set(first)
    assert first["line"] == 12 and first["severity"] == "error"
    assert data["summary"]["errors"] == 2 and data["summary"]["warnings"] == 1
    assert data["summary"]["by_check"] == {"numbers": 1, "punctuation": 1, "untranslated": 1}
    assert data["summary"]["files_checked"] == 2 and data["summary"]["entries_checked"] == 40


def test_junit_parses_and_has_a_failure_per_error() -> None:
    root = ET.fromstring(render(FINDINGS, SUMMARY, "junit").encode())
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == ["locales/es/a,b:c.po", "locales/zh_Hans/x.po"]
    assert len(root.findall(".//failure")) == 2
    assert root.get("failures") == "2"


def test_junit_with_no_findings() -> None:
    root = ET.fromstring(render([], summarize([]), "junit").encode())
    assert root.get("tests") == "0"


GH_LINE = re.compile(r"^::(error|warning) file=[^,:]*,line=\d+,title=[^,:]*::[^\r\n]*$")


def test_github_lines_are_well_formed_and_escaped() -> None:
    lines = render(FINDINGS, SUMMARY, "github").splitlines()
    assert len(lines) == 3
    assert all(GH_LINE.match(line) for line in lines), lines
    assert "file=locales/es/a%2Cb%3Ac.po" in lines[0]
    assert lines[1].endswith("::100%25 sure?%0Aline two%0D")
    assert lines[0].startswith("::error ") and lines[1].startswith("::warning ")


@pytest.mark.parametrize("findings", [FINDINGS, []])
def test_sarif_validates_against_schema(findings: list[Finding]) -> None:
    log = json.loads(render(findings, summarize(findings), "sarif"))
    jsonschema.validate(log, json.loads(SCHEMA.read_text()))
    run = log["runs"][0]
    assert run["tool"]["driver"]["name"] == "locflow"
    rule_ids = {r["id"] for r in run["tool"]["driver"]["rules"]}
    assert {"numbers", "urls", "markup", "placeholders", "unsafe-html"} <= rule_ids
    for result in run["results"]:
        assert result["ruleId"] in rule_ids
        assert result["level"] in ("error", "warning")
        loc = result["locations"][0]["physicalLocation"]
        assert loc["region"]["startLine"] >= 1 and loc["artifactLocation"]["uri"]


def test_unknown_format() -> None:
    with pytest.raises(ValueError, match="unknown format"):
        render(FINDINGS, SUMMARY, "xml")
