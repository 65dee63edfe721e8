"""End to end: control characters in catalogs never reach a terminal or a report raw.

Issue 7: a NUL or ESC in a msgid made ``check --format junit`` invalid XML and
reached the terminal raw in ``review list``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from locflow.checks.report import render
from locflow.escaping import json_text, visible
from locflow.model import Finding, Severity
from tests.conftest import Invoke

# NUL, ESC (a colour, "clear screen"), BEL, backspace, CR, DEL, C1 CSI (U+009B)
MSGID = "Run `rm\x1b[2J` \x00\x1b[31mnow\x07\x08\r\x7f\x9b1m"
MSGSTR = "Ejecute `rm` \x00\x1b[31mahora\x07\x08\r\x7f\x9b1m"
MISSING = "`rm\\x1b[2J` is missing or changed in the translation"  # the message, escaped
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # what must never be printed


def _po_string(text: str) -> str:
    """*text* as a PO string: C escapes for the C0 controls, the rest as UTF-8."""
    names = {"\x07": "\\a", "\x08": "\\b", "\r": "\\r", "\x1b": "\\033", "\x00": "\\000"}
    return '"' + "".join(names.get(c, c) for c in text) + '"'


@pytest.fixture
def nasty(locflow: Invoke, project: Path) -> Path:
    """storm.po holds an entry whose msgid and msgstr carry control characters."""
    locflow("sync", ok=True)
    path = project / "locales/es/articles/storm.po"
    with path.open("ab") as po:
        po.write(f"\nmsgid {_po_string(MSGID)}\nmsgstr {_po_string(MSGSTR)}\n".encode())
    return path


def test_the_catalog_really_holds_them(nasty: Path) -> None:
    from locflow.catalog import pofile

    assert (MSGID, MSGSTR) in [(e.msgid, e.msgstr) for e in pofile.load(nasty).active()]


@pytest.mark.parametrize("fmt", ["text", "json", "junit", "github", "sarif"])
def test_check_output_in_every_format(locflow: Invoke, nasty: Path, fmt: str) -> None:
    result = locflow("check", str(nasty), "--format", fmt)
    assert result.exit_code == 1, result.stderr
    out = result.stdout
    assert not RAW.search(out.replace("\r\n", "\n")), repr(out)
    if fmt == "junit":
        root = ET.fromstring(out.encode("utf-8"))  # valid XML
        assert MISSING in {f.get("message") for f in root.iter("failure")}
        assert any("msgid: Run `rm\\x1b[2J` \\x00\\x1b[31mnow" in (f.text or "")
                   for f in root.iter("failure"))
    elif fmt == "json":
        findings = json.loads(out)["findings"]
        assert MSGID in {f["msgid"] for f in findings}  # the data itself is exact
    elif fmt == "sarif":
        results = json.loads(out)["runs"][0]["results"]
        # issue 19: a check's message quotes translator text escaped (and bounded) itself
        assert MISSING in {r["message"]["text"] for r in results}
    else:  # text, github
        assert MISSING in out


def test_junit_to_a_file_is_valid_xml(locflow: Invoke, nasty: Path, tmp_path: Path) -> None:
    report = tmp_path / "junit.xml"
    assert locflow("check", str(nasty), "--format", "junit", "-o", str(report)).exit_code == 1
    ET.parse(report)


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_review_list_and_status(locflow: Invoke, nasty: Path, fmt: str) -> None:
    listed = locflow("review", "list", str(nasty), "--format", fmt)
    status = locflow("status", str(nasty), "--format", fmt)
    for result in (listed, status):
        assert result.exit_code == 0, result.stderr
        assert not RAW.search(result.stdout), repr(result.stdout)
    if fmt == "json":
        assert MSGID in {e["msgid"] for e in json.loads(listed.stdout)["entries"]}
    else:
        assert "[translated] Run `rm\\x1b[2J` \\x00\\x1b[31mnow\\x07\\x08\\r\\x7f\\x9b1m" in (
            listed.stdout)
        assert "    → Ejecute `rm` \\x00\\x1b[31mahora" in listed.stdout


def test_a_file_name_with_escape_sequences(locflow: Invoke, nasty: Path) -> None:
    named = nasty.with_name("storm\x1b[8m.po")
    nasty.rename(named)
    for args in (("status",), ("review", "list", "--locale", "es"), ("check", "--locale", "es")):
        result = locflow(*args)
        assert result.exit_code in (0, 1), result.stderr
        assert "storm\\x1b[8m.po" in result.stdout and not RAW.search(result.stdout), args


def test_lone_surrogates_and_line_separators() -> None:
    """PO files cannot hold lone surrogates (not UTF-8), but the formats survive them."""
    finding = Finding("numbers", Severity.ERROR, "3 in \ud800 the \u2028 translation", "a.po",
                      3, "msg \ud800\x1b")
    summary = {"errors": 1, "warnings": 0}
    for fmt in ("text", "json", "junit", "github", "sarif"):
        out = render([finding], summary, fmt)
        out.encode("utf-8")  # no lone surrogate left
        if fmt == "junit":
            ET.fromstring(out.encode("utf-8"))
        if fmt in ("json", "sarif"):
            assert "\\ud800" in out and "\\u2028" in out
            json.loads(out)
    assert json.loads(json_text({"a": "\ud800\x9b"})) == {"a": "\ud800\x9b"}
    assert visible("\u2028\ud800") == "\\u2028\\ud800"
