"""Issue 11: an approval must not launder an error, and a selection must match something."""

from __future__ import annotations

import json
from pathlib import Path

from locflow.catalog import pofile
from locflow.review import approval
from tests.conftest import Invoke
from tests.e2e.test_sync_review_cli import status_of, translate_all


def break_the_vote(path: Path) -> None:
    """A translator turns the 7-2 vote into 8-1 and a link target changes."""
    with pofile.edit(path) as catalog:
        for entry in catalog.active():
            entry.msgstr = entry.msgstr.replace("7-2", "8-1")


def test_approve_skips_entries_that_error_checks_fail_and_says_so(
    locflow: Invoke, project: Path
) -> None:
    locflow("sync", ok=True)
    es = project / "locales/es/articles/vote.po"
    translate_all(es)
    break_the_vote(es)
    result = locflow("review", "approve", "--locale", "es", "--article", "vote")
    assert result.exit_code == 1
    assert result.stdout.startswith("approved 3 entries, skipped 2 (2 failing checks)")
    assert "not approved: locales/es/articles/vote.po:" in result.stderr
    assert "numbers: 8 in the translation; the source says 7" in result.stderr
    assert "approve anyway with --force" in result.stderr
    row = status_of(locflow, "--locale", "es", "--article", "vote")["locales/es/articles/vote.po"]
    assert (row["approved"], row["translated"]) == (3, 2)


def test_force_approves_and_records_the_override_visibly(locflow: Invoke, project: Path) -> None:
    locflow("sync", ok=True)
    es = project / "locales/es/articles/vote.po"
    translate_all(es)
    break_the_vote(es)
    result = locflow("review", "approve", str(es), "--msgid", "Tuesday", "--force", ok=True)
    assert result.stdout.startswith("approved 1 entry")
    assert "approved over failing checks (numbers)" in result.stderr
    text = es.read_text("utf-8")
    assert "# locflow-approved: 2024-11-05 desk-editor (" in text
    assert ") override: numbers\n" in text
    [entry] = [e for e in pofile.load(es).active() if "Tuesday" in e.msgid]
    found = approval(entry)
    assert found is not None and found.override == ("numbers",)
    # check and build agree: the override silences the numbers check for this text only
    findings = json.loads(locflow("check", str(es), "--format", "json").stdout)["findings"]
    assert [f["check"] for f in findings if "Tuesday" in f["msgid"]] == []
    assert any(f["check"] == "numbers" for f in findings)  # the summary: not overridden
    # the translator edits the text: the approval is stale and the check is back
    es.write_text(text.replace("T: The city council voted 8-1", "T: The city council voted 9-0"))
    findings = json.loads(locflow("check", str(es), "--format", "json").stdout)["findings"]
    assert {f["check"] for f in findings if "Tuesday" in f["msgid"]} == {"numbers"}


def test_a_selection_matching_nothing_is_an_error(
    locflow: Invoke, example_project: Path
) -> None:
    before = {p: p.read_bytes() for p in (example_project / "locales").rglob("*.po")}
    for verb, extra in (("reject", ("--reason", "the vote was 8-1")), ("approve", ())):
        result = locflow(
            "review", verb, "--msgid", "7-2", *extra, "--locale", "es", root=example_project
        )
        assert result.exit_code == 2, result.output
        assert result.stdout == ""
        assert result.stderr == (
            "Error: nothing matched: no entry's source text contains '7-2' in the selected "
            f"catalogs; nothing {verb}ed\n".replace("approveed", "approved")
        )
    assert {p: p.read_bytes() for p in (example_project / "locales").rglob("*.po")} == before
