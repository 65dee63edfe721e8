"""End to end: ``locflow check`` on a small project and on bare PO files."""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from locflow.catalog import pofile
from tests.conftest import CORPUS, Invoke

ES = {
    "Council approves the budget": "El concejo aprueba el presupuesto",
    "The council voted 7-2 for a $4.2 million plan.":
        "El concejo votó 7 a 2 un plan de 4,2 millones de dólares.",
    "The city council voted 7-2 on Tuesday to approve the budget.":
        "El concejo municipal votó 7 votos a 2 el martes para aprobar el presupuesto.",
    "Roads will get $4.2 million, the largest share.":
        "Las carreteras recibirán 4,2 millones de dólares, la mayor parte.",
    "The mayor said the plan was **fair**.": "La alcaldesa dijo que el plan era **justo**.",
}
ZH = {
    "Council approves the budget": "市议会批准预算",
    "The council voted 7-2 for a $4.2 million plan.": "市议会以7比2通过420万美元的计划。",
    "The city council voted 7-2 on Tuesday to approve the budget.":
        "市议会周二以7比2投票批准了预算。",
    "Roads will get $4.2 million, the largest share.": "道路将获得420万美元，占最大份额。",
    "The mayor said the plan was **fair**.": "市长说该计划是**公平的**。",
}


def fill(path: Path, table: dict[str, str], **overrides: str) -> None:
    with pofile.edit(path) as catalog:
        for entry in catalog.active():
            entry.msgstr = overrides.get(entry.msgid, table.get(entry.msgid, entry.msgstr))


@pytest.fixture
def synced(locflow: Invoke, project: Path) -> Path:
    locflow("sync", ok=True)
    fill(project / "locales/es/articles/vote.po", ES)
    fill(project / "locales/zh_Hans/articles/vote.po", ZH)
    return project


def test_conventions_pass_but_untranslated_fails(locflow: Invoke, synced: Path) -> None:
    result = locflow("check", "--article", "vote")
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "0 errors" in result.stdout
    result = locflow("check")  # storm.po is untranslated
    assert result.exit_code == 1
    assert "[untranslated]" in result.stdout
    assert "locales/es/articles/storm.po:" in result.stdout
    assert result.stderr.startswith("Error: ")


def test_changed_number_is_an_error_with_a_clear_message(locflow: Invoke, synced: Path) -> None:
    fill(synced / "locales/es/articles/vote.po", ES, **{
        "Roads will get $4.2 million, the largest share.":
            "Las carreteras recibirán 4,3 millones de dólares, la mayor parte."})
    result = locflow("check", "--article", "vote", "--format", "json")
    assert result.exit_code == 1
    (finding,) = json.loads(result.stdout)["findings"]
    assert finding["check"] == "numbers" and finding["locale"] == "es"
    assert finding["message"] == "4,3 in the translation; the source says 4.2"
    assert finding["path"] == "locales/es/articles/vote.po" and finding["article"] == "vote"
    text = (synced / finding["path"]).read_text(encoding="utf-8").splitlines()
    assert text[finding["line"] - 1].startswith('msgid "Roads will get')


def test_ignore_comment(locflow: Invoke, synced: Path) -> None:
    path = synced / "locales/zh_Hans/articles/vote.po"
    with pofile.edit(path) as catalog:
        for entry in catalog.active():
            if entry.msgid.startswith("Roads"):
                entry.msgstr = "道路将获得最大份额。"
                entry.tcomment = "locflow-ignore: numbers"
    assert locflow("check", "--article", "vote").exit_code == 0


def test_require_approved(locflow: Invoke, synced: Path) -> None:
    result = locflow("check", "--article", "vote", "--require", "approved", "--format", "json")
    assert result.exit_code == 1
    checks = {f["check"] for f in json.loads(result.stdout)["findings"]}
    assert checks == {"unapproved"}
    locflow("review", "approve", "--article", "vote", ok=True)
    assert locflow("check", "--article", "vote", "--require", "approved").exit_code == 0


def test_strict_turns_warnings_into_errors(locflow: Invoke, synced: Path) -> None:
    fill(synced / "locales/es/articles/vote.po", ES, **{
        "The mayor said the plan was **fair**.": "La alcaldesa dijo que el plan era **justo**"})
    assert locflow("check", "--article", "vote").exit_code == 0
    result = locflow("check", "--article", "vote", "--strict")
    assert result.exit_code == 1 and "[punctuation]" in result.stdout


@pytest.mark.parametrize("fmt", ["junit", "sarif", "github"])
def test_formats_to_output_file(locflow: Invoke, synced: Path, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"report.{fmt}"
    result = locflow("check", "--format", fmt, "--output", str(out))
    assert result.exit_code == 1 and result.stdout == ""
    text = out.read_text(encoding="utf-8")
    if fmt == "junit":
        assert ET.fromstring(text.encode()).findall(".//failure")
    elif fmt == "sarif":
        assert json.loads(text)["runs"][0]["results"]
    else:
        assert all(line.startswith(("::error ", "::warning ")) for line in text.splitlines())


def test_baseline_adopts_old_findings(locflow: Invoke, synced: Path, tmp_path: Path) -> None:
    baseline = tmp_path / "baseline.json"
    assert locflow("check", "--write-baseline", str(baseline)).exit_code == 0
    assert locflow("check", "--baseline", str(baseline)).exit_code == 0
    fill(synced / "locales/es/articles/vote.po", ES, **{
        "Council approves the budget": "Council approves the budget"})
    result = locflow("check", "--baseline", str(baseline), "--strict")
    assert result.exit_code == 1 and "suppressed by the baseline" in result.stdout


def test_bare_po_files_take_the_locale_from_the_header(locflow: Invoke, synced: Path) -> None:
    es = synced / "locales/es/articles/vote.po"
    result = locflow("check", str(es), "--format", "json")
    assert result.exit_code == 0, result.stdout
    assert json.loads(result.stdout)["summary"]["files_checked"] == 1


def test_bad_input_exits_2(locflow: Invoke, synced: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken.po"
    broken.write_text('msgid "x"\nmsgstr "y\n', encoding="utf-8")
    result = locflow("check", str(broken))
    assert result.exit_code == 2 and "Error:" in result.stderr
    assert locflow("check", "--format", "yaml").exit_code == 2
    bad_baseline = tmp_path / "b.json"
    bad_baseline.write_text("[]", encoding="utf-8")
    assert locflow("check", "--baseline", str(bad_baseline)).exit_code == 2


@pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus not available")
def test_the_whole_corpus_checks_without_a_crash(locflow: Invoke, tmp_path: Path) -> None:
    """176 real catalogs from other projects: findings (exit 1), never a crash (exit 2+)."""
    files = sorted(str(p) for p in CORPUS.rglob("*.po"))
    report = tmp_path / "corpus.json"
    result = locflow("check", *files, "--format", "json", "-o", str(report), root=tmp_path)
    assert result.exit_code == 1, result.stderr
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["summary"]["files_checked"] == 176
    by_check = data["summary"]["by_check"]
    # what msgfmt reports as untranslated and fuzzy, check reports too
    assert by_check["untranslated"] == 657 + 731 + 167 + 334
    assert by_check["fuzzy"] == 639 + 300 + 486


@pytest.mark.parametrize("state", ["fuzzy", "untranslated", "rejected", "unapproved", "all"])
def test_state_checks_cannot_be_ignored(locflow: Invoke, synced: Path, state: str) -> None:
    """Issue 7: `# locflow-ignore: fuzzy` made `check --require approved` pass a draft."""
    locflow("review", "approve", "--article", "vote", ok=True)
    assert locflow("check", "--article", "vote", "--require", "approved").exit_code == 0
    path = synced / "locales/es/articles/vote.po"
    expected = {"fuzzy": "fuzzy", "untranslated": "untranslated", "rejected": "rejected",
                "unapproved": "unapproved", "all": "fuzzy"}[state]
    with pofile.edit(path) as catalog:
        entry = next(e for e in catalog.active() if e.msgid.startswith("Roads"))
        if expected == "untranslated":
            entry.msgstr = ""
        elif expected == "unapproved":
            entry.msgstr = entry.msgstr.replace("carreteras", "calles")  # approval stale
        else:
            entry.flags.insert(0, "fuzzy")
    if expected == "rejected":
        locflow("review", "reject", "--msgid", "Roads", "--reason", "no", str(path), ok=True)
    with pofile.edit(path) as catalog:
        entry = next(e for e in catalog.active() if e.msgid.startswith("Roads"))
        entry.tcomment = (entry.tcomment + "\n" if entry.tcomment else "") + (
            f"locflow-ignore: numbers, {state}")
    result = locflow("check", "--article", "vote", "--require", "approved", "--format", "json")
    assert result.exit_code == 1, result.stdout
    findings = json.loads(result.stdout)["findings"]
    assert [(f["check"], f["msgid"][:5]) for f in findings if f["locale"] == "es"] == [
        (expected, "Roads")]


def test_a_baseline_cannot_silence_state_checks_under_require_approved(
    locflow: Invoke, synced: Path, tmp_path: Path
) -> None:
    """The baseline is committed by the people checked: under --require approved it may
    carry content findings of old catalogs, never an entry that is not approved."""
    baseline = tmp_path / "baseline.json"
    fill(synced / "locales/es/articles/vote.po", ES, **{
        "Council approves the budget": "Council approves the budget"})  # same-as-source
    assert locflow("check", "--article", "vote", "--require", "approved", "--strict",
                   "--write-baseline", str(baseline)).exit_code == 0
    recorded = {r["check"] for r in json.loads(baseline.read_text("utf-8"))["findings"]}
    assert recorded == {"unapproved", "same-as-source"}
    result = locflow("check", "--article", "vote", "--require", "approved", "--strict",
                     "--baseline", str(baseline), "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert {f["check"] for f in data["findings"]} == {"unapproved"}
    assert data["summary"]["suppressed_by_baseline"] == 1  # the copy of the source
    # under --require translated, a baseline may carry an old catalog's backlog
    assert locflow("check", "--baseline", str(baseline), "--article", "storm").exit_code == 1
    locflow("check", "--article", "storm", "--write-baseline", str(baseline))
    assert locflow("check", "--baseline", str(baseline), "--article", "storm").exit_code == 0
