"""Output formats: text, json, junit (parses as XML), github (well-formed), sarif (schema)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from xml.etree import ElementTree as ET

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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


# --- exact output, so that a changed word, count or order is noticed -----------------

def _finding(check: str, line: int, msgid: str = "Vote", path: str = "es.po",
             message: str = "a problem", severity: Severity = Severity.ERROR,
             msgctxt: str | None = None) -> Finding:
    return Finding(check, severity, message, path, line, msgid, msgctxt, "es", "vote")


def test_summarize_counts_per_severity_and_check() -> None:
    findings = [_finding("urls", 3), _finding("numbers", 1),
                _finding("length", 2, severity=Severity.WARNING), _finding("numbers", 4)]
    assert summarize(findings, files_checked=3, entries_checked=9) == {
        "errors": 3, "warnings": 1, "by_check": {"length": 1, "numbers": 2, "urls": 1},
        "files_checked": 3, "entries_checked": 9,
    }
    assert list(summarize(findings)["by_check"]) == ["length", "numbers", "urls"]
    assert summarize([]) == {"errors": 0, "warnings": 0, "by_check": {}, "files_checked": 0,
                             "entries_checked": 0}


def test_findings_follow_the_checked_order_of_files_then_line_check_message() -> None:
    findings = [
        _finding("urls", 5, path="b.po"), _finding("numbers", 5, path="b.po"),
        _finding("numbers", 5, path="b.po", message="another"),
        _finding("numbers", 2, path="a.po"), _finding("numbers", 9, path="z.po"),
        _finding("numbers", 1, path="y.po"),
    ]
    summary = {**summarize(findings), "files": ["z.po", "b.po", "a.po"]}
    data = json.loads(render(findings, summary, "json"))
    assert [(f["path"], f["line"], f["check"], f["message"]) for f in data["findings"]] == [
        ("z.po", 9, "numbers", "a problem"),
        ("b.po", 5, "numbers", "a problem"),
        ("b.po", 5, "numbers", "another"),
        ("b.po", 5, "urls", "a problem"),
        ("a.po", 2, "numbers", "a problem"),
        ("y.po", 1, "numbers", "a problem"),  # not in "files": after those that are
    ]
    # Without the list of files: by path.
    data = json.loads(render(findings, summarize(findings), "json"))
    assert [f["path"] for f in data["findings"]] == ["a.po", "b.po", "b.po", "b.po", "y.po",
                                                     "z.po"]


def test_text_exact() -> None:
    assert render(FINDINGS, SUMMARY, "text") == (
        "locales/es/a,b:c.po\n"
        "locales/es/a,b:c.po:12: error [numbers] 13 in the translation; the source says 12\n"
        "locales/es/a,b:c.po:30: warning [punctuation] 100% sure?\\nline two\\r\n"
        "\n"
        "locales/zh_Hans/x.po\n"
        "locales/zh_Hans/x.po:7: error [untranslated] not translated yet: “Home”\n"
        "\n"
        "2 errors, 1 warning in 40 entries of 2 files\n"
    )


def test_text_colour_exact() -> None:
    findings = [_finding("numbers", 3), _finding("length", 4, severity=Severity.WARNING)]
    assert render(findings, summarize(findings), "text", colour=True) == (
        "\x1b[1mes.po\x1b[0m\n"
        "es.po:3: \x1b[31merror\x1b[0m [numbers] a problem\n"
        "es.po:4: \x1b[33mwarning\x1b[0m [length] a problem\n"
        "\n"
        "1 error, 1 warning in 0 entries of 0 files\n"
    )


@pytest.mark.parametrize(("errors", "warnings", "entries", "files", "suppressed", "tail"), [
    (0, 0, 0, 0, 0, "0 errors, 0 warnings in 0 entries of 0 files"),
    (1, 1, 1, 1, None, "1 error, 1 warning in 1 entry of 1 file"),
    (2, 3, 2, 2, 1, "2 errors, 3 warnings in 2 entries of 2 files"
                    " (1 known finding suppressed by the baseline)"),
    (0, 0, 5, 1, 2, "0 errors, 0 warnings in 5 entries of 1 file"
                    " (2 known findings suppressed by the baseline)"),
])
def test_text_summary_line(errors: int, warnings: int, entries: int, files: int,
                           suppressed: int | None, tail: str) -> None:
    summary = {"errors": errors, "warnings": warnings, "entries_checked": entries,
               "files_checked": files, "suppressed_by_baseline": suppressed}
    assert render([], summary, "text") == tail + "\n"


def test_text_shows_the_source_of_state_findings_only() -> None:
    words = "one two  three\nfour " * 4  # 76 characters, 64 with single spaces
    findings = [
        _finding("fuzzy", 1, msgid=words), _finding("numbers", 2, msgid=words),
        _finding("unapproved", 3, msgid="x" * 48), _finding("rejected", 4, msgid="y" * 49),
        _finding("conflict", 5, msgid="\x1b[2J"),
    ]
    lines = render(findings, summarize(findings), "text").splitlines()
    assert lines[1] == "es.po:1: error [fuzzy] a problem: “one two three four one two three four "\
                       "one two t…”"
    assert lines[2] == "es.po:2: error [numbers] a problem"
    assert lines[3] == f"es.po:3: error [unapproved] a problem: “{'x' * 48}”"
    assert lines[4] == f"es.po:4: error [rejected] a problem: “{'y' * 47}…”"
    assert lines[5] == "es.po:5: error [conflict] a problem: “\\x1b[2J”"


def test_text_escapes_paths_and_messages() -> None:
    findings = [_finding("numbers", 1, path="e\x1b[2Js.po", message="bad\x07")]
    out = render(findings, summarize(findings), "text")
    assert "\x1b" not in out and "\x07" not in out
    assert out.startswith("e\\x1b[2Js.po\ne\\x1b[2Js.po:1: error [numbers] bad\\x07\n")


def test_json_exact() -> None:
    data = json.loads(render(FINDINGS, SUMMARY, "json"))
    assert data["findings"][1] == {
        "path": "locales/es/a,b:c.po", "line": 30, "locale": "es", "article": "kim",
        "msgid": "Sure?", "msgctxt": "title", "check": "punctuation", "severity": "warning",
        "message": "100% sure?\nline two\r",
    }
    assert data["summary"] == SUMMARY
    out = render([_finding("numbers", 1, msgid="\x1b[2Já")], {}, "json")
    assert "\x1b" not in out and "á" in out and out.endswith("}\n")
    assert json.loads(out)["findings"][0]["msgid"] == "\x1b[2Já"


def _junit(findings: list[Finding], summary: dict[str, object]) -> ET.Element:
    out = render(findings, summary, "junit")
    assert out.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites ')
    assert out.endswith(("</testsuites>\n", "/>\n"))
    return ET.fromstring(out.encode())


def test_junit_exact() -> None:
    root = _junit(FINDINGS, {**SUMMARY, "files": ["locales/es/a,b:c.po", "fr.po"]})
    assert root.attrib == {"name": "locflow check", "tests": "4", "failures": "2"}
    es, fr, zh = root.findall("testsuite")
    assert es.attrib == {"name": "locales/es/a,b:c.po", "tests": "2", "failures": "1",
                         "errors": "0", "skipped": "0"}
    assert fr.attrib == {"name": "fr.po", "tests": "1", "failures": "0", "errors": "0",
                         "skipped": "0"}
    assert zh.attrib == {"name": "locales/zh_Hans/x.po", "tests": "1", "failures": "1",
                         "errors": "0", "skipped": "0"}
    # A clean catalog: one passing testcase.
    (clean,) = fr
    assert clean.attrib == {"classname": "fr.po", "name": "every entry passes", "file": "fr.po"}
    assert list(clean) == []
    # An error: a failure with the message, the place and the msgid.
    numbers, punctuation = es
    assert numbers.attrib == {"classname": "locales/es/a,b:c.po",
                              "name": "numbers line 12: 12 people",
                              "file": "locales/es/a,b:c.po", "line": "12"}
    (failure,) = numbers
    assert failure.tag == "failure"
    assert failure.attrib == {"type": "numbers",
                              "message": "13 in the translation; the source says 12"}
    assert failure.text == ("locales/es/a,b:c.po:12: 13 in the translation; the source says 12"
                            "\nmsgid: 12 people")
    # A warning passes, with its message in system-out (controls escaped but \n).
    assert punctuation.get("name") == "punctuation line 30: Sure?"
    (out,) = punctuation
    assert out.tag == "system-out"
    assert out.text == "warning [punctuation] locales/es/a,b:c.po:30: 100% sure?\nline two\\r"


def test_junit_names_are_unique_and_short() -> None:
    long_msgid = "w" * 70 + "\x00"
    findings = [_finding("numbers", 3), _finding("numbers", 3, message="other"),
                _finding("numbers", 3, message="third", severity=Severity.WARNING),
                _finding("urls", 3), _finding("numbers", 8, msgid=long_msgid)]
    root = _junit(findings, summarize(findings))
    assert root.attrib == {"name": "locflow check", "tests": "5", "failures": "4"}
    assert [case.get("name") for case in root.iter("testcase")] == [
        "numbers line 3: Vote", "numbers line 3: Vote (2)", "numbers line 3: Vote (3)",
        "urls line 3: Vote", f"numbers line 8: {'w' * 60}",
    ]
    last = list(root.iter("failure"))[-1]
    assert last.text == f"es.po:8: a problem\nmsgid: {'w' * 70}\\x00"


def test_junit_with_no_findings_lists_the_clean_catalogs() -> None:
    root = _junit([], {**summarize([]), "files": ["a.po", "b.po"]})
    assert root.attrib == {"name": "locflow check", "tests": "2", "failures": "0"}
    assert [s.get("name") for s in root] == ["a.po", "b.po"]
    assert [c.get("name") for c in root.iter("testcase")] == ["every entry passes"] * 2
    assert _junit([], {}).attrib == {"name": "locflow check", "tests": "0", "failures": "0"}


def test_github_exact() -> None:
    findings = [*FINDINGS, _finding("urls", 0, path="a\rb\n%c\x1b.po", message="50%\x1b")]
    assert render(findings, summarize(findings), "github") == (
        "::error file=a%0Db%0A%25c\\x1b.po,line=0,title=locflow urls::50%25\\x1b\n"
        "::error file=locales/es/a%2Cb%3Ac.po,line=12,title=locflow numbers::"
        "13 in the translation; the source says 12\n"
        "::warning file=locales/es/a%2Cb%3Ac.po,line=30,title=locflow punctuation::"
        "100%25 sure?%0Aline two%0D\n"
        "::error file=locales/zh_Hans/x.po,line=7,title=locflow untranslated::"
        "not translated yet\n"
    )
    assert render([], {}, "github") == ""


def test_sarif_exact() -> None:
    from locflow.checks import CHECKS
    from locflow.checks.report import SARIF_SCHEMA, fingerprint

    findings = [_finding("numbers", 0, path="locales\\es\\a.po"),
                _finding("length", 7, severity=Severity.WARNING, message="long"),
                _finding("retired-check", 9)]
    out = render(findings, summarize(findings), "sarif")
    assert out.endswith("}\n")
    log = json.loads(out)
    assert log["$schema"] == SARIF_SCHEMA == "https://json.schemastore.org/sarif-2.1.0.json"
    assert log["version"] == "2.1.0"
    (run,) = log["runs"]
    driver = run["tool"]["driver"]
    assert (driver["name"], driver["informationUri"]) == (
        "locflow", "https://pypi.org/project/locflow/")
    rules = driver["rules"]
    assert [r["id"] for r in rules] == list(CHECKS)
    rule = rules[list(CHECKS).index("unsafe-html")]
    assert rule == {"id": "unsafe-html", "name": "UnsafeHtml",
                    "shortDescription": {"text": CHECKS["unsafe-html"].description},
                    "defaultConfiguration": {"level": "error"}}
    assert rules[list(CHECKS).index("length")]["defaultConfiguration"] == {"level": "warning"}
    length, retired, es = run["results"]  # by path: es.po, then locales\\es\\a.po
    assert es == {
        "ruleId": "numbers", "level": "error", "message": {"text": "a problem"},
        "locations": [{"physicalLocation": {"artifactLocation": {"uri": "locales/es/a.po"},
                                            "region": {"startLine": 1}}}],
        "partialFingerprints": {"locflow/v1": fingerprint(findings[0])},
        "ruleIndex": list(CHECKS).index("numbers"),
    }
    assert (length["level"], length["message"], length["ruleIndex"]) == (
        "warning", {"text": "long"}, list(CHECKS).index("length"))
    assert length["locations"][0]["physicalLocation"]["region"] == {"startLine": 7}
    assert "ruleIndex" not in retired and retired["ruleId"] == "retired-check"
    assert rules[0]["id"] == "untranslated"  # index 0 is a real index, not "no rule"
    first = render([_finding("untranslated", 2)], {}, "sarif")
    assert json.loads(first)["runs"][0]["results"][0]["ruleIndex"] == 0


def test_unknown_format_names_the_formats() -> None:
    with pytest.raises(ValueError) as info:
        render([], {}, "xml")
    assert str(info.value) == ("unknown format 'xml'; expected one of "
                               "text, json, junit, github, sarif")


@pytest.mark.parametrize(("path", "uri"), [
    ("locales/es/vote.po", "locales/es/vote.po"),
    ("locales\\es\\vote.po", "locales/es/vote.po"),
    ("es/a b#2%.po", "es/a%20b%232%25.po"),  # else "#2%.po" would be a fragment
    ("es/what?.po", "es/what%3F.po"),
    ("C:\\site\\es.po", "C%3A/site/es.po"),  # else "C:" would be a scheme
    ("es/artículo.po", "es/art%C3%ADculo.po"),
    ("es/\udcff.po", "es/%FF.po"),  # a file name that is not UTF-8 keeps its byte
])
def test_sarif_uris_are_uri_references(path: str, uri: str) -> None:
    log = json.loads(render([_finding("numbers", 1, path=path)], {}, "sarif"))
    location = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": uri}


def test_junit_text_is_indented_and_keeps_tabs() -> None:
    findings = [_finding("numbers", 3, msgid="Vote\tnow", message="a\tb"),
                _finding("length", 4, severity=Severity.WARNING)]
    assert render(findings, {"files": ["es.po", "fr.po"]}, "junit") == (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<testsuites name="locflow check" tests="3" failures="1">\n'
        '  <testsuite name="es.po" tests="2" failures="1" errors="0" skipped="0">\n'
        '    <testcase classname="es.po" name="numbers line 3: Vote&#09;now" file="es.po"'
        ' line="3">\n'
        '      <failure type="numbers" message="a&#09;b">es.po:3: a\tb\nmsgid: Vote\tnow'
        '</failure>\n'
        '    </testcase>\n'
        '    <testcase classname="es.po" name="length line 4: Vote" file="es.po" line="4">\n'
        '      <system-out>warning [length] es.po:4: a problem</system-out>\n'
        '    </testcase>\n'
        '  </testsuite>\n'
        '  <testsuite name="fr.po" tests="1" failures="0" errors="0" skipped="0">\n'
        '    <testcase classname="fr.po" name="every entry passes" file="fr.po" />\n'
        '  </testsuite>\n'
        '</testsuites>\n'
    )


def test_text_of_an_empty_summary() -> None:
    assert render([], {}, "text") == "0 errors, 0 warnings in 0 entries of 0 files\n"


def test_github_keeps_tabs_in_messages() -> None:
    out = render([_finding("numbers", 2, message="a\tb")], {}, "github")
    assert out == "::error file=es.po,line=2,title=locflow numbers::a\tb\n"


# -- written finding by finding: the same bytes as one JSON document --------------------

text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=20)
finding = st.builds(
    Finding, st.sampled_from(["numbers", "markup", "untranslated", "made-up"]),
    st.sampled_from(list(Severity)), text, text, st.integers(0, 10_000), text,
    st.none() | text, st.none() | text, st.none() | text)


@settings(max_examples=150, deadline=None)
@given(st.lists(finding, max_size=6))
def test_json_and_sarif_written_item_by_item_are_the_documents_json_dumps_gives(
    findings: list[Finding],
) -> None:
    from locflow.checks import CHECKS
    from locflow.checks.report import _finding_dict, _sarif_log, _sarif_result, _sorted
    from locflow.escaping import json_text

    summary = summarize(findings, files_checked=3, entries_checked=9)
    summary["files"] = sorted({f.path for f in findings})
    ordered = _sorted(findings, summary)
    assert render(findings, summary, "json") == json_text(
        {"findings": [_finding_dict(f) for f in ordered], "summary": dict(summary)}) + "\n"
    sarif = json.loads(render(findings, summary, "sarif"))
    rules = sarif["runs"][0]["tool"]["driver"]["rules"]
    assert render(findings, summary, "sarif") == json_text(_sarif_log(
        rules, [_sarif_result(f, list(CHECKS)) for f in ordered])) + "\n"


def test_a_file_named_like_the_item_marker_changes_nothing() -> None:
    named = [Finding("numbers", Severity.ERROR, "m", "locflow-items-0011223344556677", 1, "x")]
    summary = summarize(named, 1, 1) | {"files": ["locflow-items-0011223344556677"]}
    assert json.loads(render(named, summary, "json"))["findings"][0]["path"] == \
        "locflow-items-0011223344556677"
