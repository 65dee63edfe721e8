"""End to end through the CLI: sync, status, review on a small project."""

from __future__ import annotations

import difflib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from locflow.catalog import pofile
from locflow.review import entry_state, is_translated
from tests.conftest import CORPUS, Invoke

needs_gettext = pytest.mark.skipif(
    shutil.which("msgcat") is None, reason="GNU gettext not installed"
)


def translate_all(path: Path, prefix: str = "T:") -> None:
    """Play the translator: fill every empty msgstr (like saving in a PO editor)."""
    with pofile.edit(path) as catalog:
        for entry in catalog.active():
            if entry.msgid_plural:
                entry.msgstr_plural = {
                    0: f"{prefix} {entry.msgid}",
                    1: f"{prefix} {entry.msgid_plural}",
                }
            elif not entry.msgstr:
                entry.msgstr = f"{prefix} {entry.msgid}"


def status_of(locflow: Invoke, *args: str) -> dict[str, dict[str, object]]:
    result = locflow("status", "--format", "json", *args, ok=True)
    return {row["path"]: row for row in json.loads(result.stdout)["catalogs"]}


def test_sync_creates_templates_and_catalogs(locflow: Invoke, project: Path) -> None:
    result = locflow("sync", ok=True)
    assert "created locales/es/articles/vote.po (5 new)" in result.stdout
    pot = project / "locales/templates/articles/vote.pot"
    es = project / "locales/es/articles/vote.po"
    zh = project / "locales/zh_Hans/articles/vote.po"
    assert pot.is_file() and es.is_file() and zh.is_file()
    es_text = es.read_text(encoding="utf-8")
    assert '"Language: es\\n"' in es_text
    assert '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"' in es_text
    assert '"Plural-Forms: nplurals=1; plural=0;\\n"' in zh.read_text(encoding="utf-8")
    assert 'msgctxt "title"\nmsgid "Council approves the budget"' in es_text
    # the reference names the file, no line: moving a paragraph changes no byte
    assert ('#. paragraph\n#: content/vote.md\nmsgid "Roads will get $4.2 million, the largest '
            'share."') in es_text
    assert "POT-Creation-Date" not in es_text


@needs_gettext
def test_created_files_are_what_msgcat_no_wrap_writes(locflow: Invoke, project: Path) -> None:
    locflow("sync", ok=True)
    translate_all(project / "locales/es/articles/vote.po")
    locflow("review", "approve", "--locale", "es", ok=True)
    for path in sorted((project / "locales").rglob("*.po*")):
        canonical = subprocess.run(
            ["msgcat", "--no-wrap", str(path)], capture_output=True, check=True
        ).stdout
        assert canonical == path.read_bytes(), path


def test_sync_of_unchanged_sources_changes_no_byte(locflow: Invoke, project: Path) -> None:
    locflow("sync", ok=True)
    files = sorted((project / "locales").rglob("*.po*"))
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in files}
    result = locflow("sync", ok=True)
    assert "0 changed" in result.stderr
    assert {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in files} == before


def test_editing_one_paragraph_changes_only_that_entry(locflow: Invoke, project: Path) -> None:
    locflow("sync", ok=True)
    es = project / "locales/es/articles/vote.po"
    translate_all(es)
    locflow("review", "approve", str(es), ok=True)
    before = es.read_text(encoding="utf-8").splitlines()
    article = project / "content/vote.md"
    article.write_text(
        article.read_text().replace("voted 7-2 on Tuesday", "voted 8-1 on Wednesday")
    )
    locflow("sync", ok=True)
    after = es.read_text(encoding="utf-8").splitlines()
    removed = [line for line in before if line not in after]
    added = [line for line in after if line not in before]
    assert added[1:] == [
        "#, fuzzy",
        '#| msgid "The city council voted 7-2 on Tuesday to approve the budget."',
        'msgid "The city council voted 8-1 on Wednesday to approve the budget."',
    ]
    # the approval spoke of the old text: it becomes the record of what was approved for
    # which source (the page may show it, marked outdated); the translation stays, fuzzy
    assert added[0].startswith("# locflow-previous: ") and '"msgid": "The city council voted' \
        ' 7-2 on Tuesday to approve the budget."' in added[0]
    assert len(removed) == 2 and removed[0].startswith("# locflow-approved:")
    assert 'msgstr "T: The city council voted 7-2 on Tuesday to approve the budget."' in after
    rows = status_of(locflow, str(es))
    assert rows[str(es)]["fuzzy"] == 1 and rows[str(es)]["approved"] == 4


EDITS = {
    "insert": lambda body: body.replace("Roads will", "A new paragraph appears.\n\nRoads will"),
    "delete": lambda body: body.replace("Roads will get $4.2 million, the largest share.\n", ""),
    "reorder": lambda body: body.replace(
        "The city council voted 7-2 on Tuesday to approve the budget.\n\n"
        "Roads will get $4.2 million, the largest share.",
        "Roads will get $4.2 million, the largest share.\n\n"
        "The city council voted 7-2 on Tuesday to approve the budget.",
    ),
    "split": lambda body: body.replace("on Tuesday to approve", "on Tuesday.\n\nIt approved"),
    "merge": lambda body: body.replace("the budget.\n\nRoads", "the budget. Roads"),
    "rewrite-all": lambda body: "Completely different text now.\n",
}


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_no_translation_is_ever_lost(locflow: Invoke, project: Path, edit: str) -> None:
    locflow("sync", ok=True)
    es = project / "locales/es/articles/vote.po"
    translate_all(es)
    translations = {e.msgstr for e in pofile.load(es).active()}
    article = project / "content/vote.md"
    head, _, body = article.read_text().partition("---\n\n")
    article.write_text(head + "---\n\n" + EDITS[edit](body))
    locflow("sync", ok=True)
    locflow("sync", ok=True)  # and again: still nothing lost
    kept = {e.msgstr for e in pofile.load(es).entries}
    assert translations <= kept


def test_removed_paragraph_becomes_obsolete_and_comes_back(locflow: Invoke, project: Path) -> None:
    locflow("sync", ok=True)
    es = project / "locales/es/articles/vote.po"
    translate_all(es)
    article = project / "content/vote.md"
    original = article.read_text()
    article.write_text(original.replace("The mayor said the plan was **fair**.\n", ""))
    locflow("sync", ok=True)
    assert '#~ msgid "The mayor said the plan was **fair**."' in es.read_text()
    assert status_of(locflow, str(es))[str(es)]["obsolete"] == 1
    article.write_text(original)
    result = locflow("sync", ok=True)
    assert "1 revived" in result.stdout
    entry = pofile.load(es).index()[(None, "The mayor said the plan was **fair**.")]
    assert entry.msgstr == "T: The mayor said the plan was **fair**." and not entry.flags


def test_review_cycle(locflow: Invoke, project: Path) -> None:
    locflow("sync", ok=True)
    es = project / "locales/es/articles/vote.po"
    key = str(es)
    translate_all(es)
    assert status_of(locflow, key)[key]["translated"] == 5

    result = locflow("review", "approve", key, "--msgid", "Roads", ok=True)
    assert result.stdout.startswith("approved 1 entry, skipped 0")
    result = locflow("review", "approve", key, ok=True)
    assert result.stdout.startswith("approved 4 entries, skipped 1 (1 approved)")
    assert "# locflow-approved: 2024-11-05 desk-editor (" in es.read_text()

    result = locflow(
        "review", "reject", key, "--msgid", "mayor", "--reason", "tone: too formal", ok=True
    )
    assert result.stdout.startswith("rejected 1 entry")
    text = es.read_text()
    assert re.search(
        r"# locflow-rejected: 2024-11-05 desk-editor \([0-9a-f]{12}\): tone: too formal\n"
        r'#\. paragraph\n#: content/vote\.md\n#, fuzzy\nmsgid "The mayor',
        text,
    )
    listing = json.loads(
        locflow("review", "list", key, "--state", "rejected", "--format", "json", ok=True).stdout
    )["entries"]
    assert [(e["state"], e["note"]) for e in listing] == [("rejected", "tone: too formal")]

    # the translator fixes the text and clears fuzzy in their editor
    text = text.replace("#, fuzzy\n", "").replace("T: The mayor", "Fixed: The mayor")
    es.write_text(text)
    row = status_of(locflow, key)[key]
    assert (row["translated"], row["approved"], row["rejected"]) == (1, 4, 0)


def test_approval_goes_stale_when_a_translator_edits_the_text(
    locflow: Invoke, project: Path
) -> None:
    locflow("sync", ok=True)
    es = project / "locales/es/articles/vote.po"
    translate_all(es)
    locflow("review", "approve", str(es), ok=True)
    es.write_text(es.read_text().replace("T: Roads", "Carreteras: Roads"))  # an edit in Poedit
    row = status_of(locflow, str(es))[str(es)]
    assert (row["approved"], row["translated"]) == (4, 1)


@needs_gettext
def test_approvals_survive_msgcat_and_msgmerge(locflow: Invoke, project: Path) -> None:
    locflow("sync", ok=True)
    es = project / "locales/es/articles/vote.po"
    translate_all(es)
    locflow("review", "approve", str(es), ok=True)
    pot = project / "locales/templates/articles/vote.pot"
    subprocess.run(["msgcat", "-o", str(es), str(es)], check=True)
    subprocess.run(
        ["msgmerge", "--quiet", "--previous", "-U", "--backup=off", str(es), str(pot)], check=True
    )
    assert status_of(locflow, str(es))[str(es)]["approved"] == 5


def test_status_text_and_project_selection(locflow: Invoke, project: Path) -> None:
    locflow("sync", ok=True)
    result = locflow("status", "--locale", "es", ok=True)
    lines = result.stdout.splitlines()
    assert lines[0].split() == [
        "catalog",
        "locale",
        "untranslated",
        "fuzzy",
        "rejected",
        "translated",
        "approved",
        "obsolete",
        "approved%",
    ]
    assert lines[1].split() == [
        "locales/es/articles/storm.po",
        "es",
        "2",
        "0",
        "0",
        "0",
        "0",
        "0",
        "0%",
    ]
    rows = json.loads(locflow("status", "--article", "vote", "--format", "json", ok=True).stdout)[
        "catalogs"
    ]
    assert [(r["locale"], r["article"]) for r in rows] == [("zh_Hans", "vote"), ("es", "vote")]
    assert set(rows[0]) == {
        "path",
        "locale",
        "article",
        "total",
        "untranslated",
        "fuzzy",
        "rejected",
        "translated",
        "approved",
        "obsolete",
        "conflicts",
        "outdated",
    }


@pytest.mark.parametrize(
    ("setup", "args", "message"),
    [
        (
            lambda p: (p / "content/vote.md").write_text("---\ntitle: [oops\n---\n"),
            ("sync",),
            "Error: content/vote.md:2: invalid YAML front matter",
        ),
        (
            lambda p: (p / "content/vote.md").write_bytes(b"---\ntitle: x\n---\n\xff\n"),
            ("sync",),
            "Error: content/vote.md:4: not UTF-8 text",
        ),
        (
            lambda p: (p / "content/Bad Name.md").write_text("---\ntitle: x\n---\n"),
            ("sync",),
            "Error: content/Bad Name.md:1: unsafe slug 'Bad Name'",
        ),
        (
            lambda p: (p / "content/copy.md").write_text("---\ntitle: x\nslug: vote\n---\n"),
            ("sync",),
            "duplicate slug 'vote'",
        ),
        (
            lambda p: (p / "locflow.toml").write_text("[project]\ntarget_locales=['xx']\n"),
            ("sync",),
            "Error: locflow.toml:2: [project] target_locales: unknown locale 'xx'",
        ),
        (lambda p: None, ("status", "--locale", "klingon"), "unknown locale 'klingon'"),
        (lambda p: None, ("review", "reject", "--locale", "es"), "Missing option '--reason'"),
        (lambda p: None, ("review", "approve"), "say what to review"),
        (lambda p: None, ("review", "reject", "--reason", "x"), "say what to review"),
        (lambda p: None, ("status", "nope.po"), "Error: nope.po: no such file"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    locflow: Invoke, project: Path, setup, args, message: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    locflow("sync", ok=True)
    setup(project)
    snapshot = {p: p.read_bytes() for p in (project / "locales").rglob("*.po*")}
    monkeypatch.chdir(project)
    result = locflow(*args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert {p: p.read_bytes() for p in (project / "locales").rglob("*.po*")} == snapshot


def test_broken_catalog_names_file_and_line_and_is_left_alone(
    locflow: Invoke, project: Path
) -> None:
    locflow("sync", ok=True)
    es = project / "locales/es/articles/vote.po"
    broken = es.read_bytes().replace(
        b'msgstr ""\n\n#. paragraph', b'msgstr "unterminated\n\n#. paragraph', 1
    )
    es.write_bytes(broken)
    for args in (("sync",), ("review", "approve", "--locale", "es"), ("status",)):
        result = locflow(*args)
        assert result.exit_code == 2, args
        assert result.stderr.startswith(f"Error: {es}:") or "vote.po:" in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
    assert es.read_bytes() == broken


def test_status_works_on_bare_po_files_outside_a_project(
    locflow: Invoke, tmp_path: Path, project: Path
) -> None:
    locflow("sync", ok=True)
    lone = tmp_path / "lone.po"
    shutil.copy(project / "locales/es/articles/vote.po", lone)
    result = locflow("status", "--format", "json", str(lone), ok=True, root=tmp_path)
    [row] = json.loads(result.stdout)["catalogs"]
    assert row["article"] is None and row["locale"] == "es" and row["untranslated"] == 5


def test_init_writes_config_and_folders(locflow: Invoke, tmp_path: Path) -> None:
    fresh = tmp_path / "fresh"
    result = locflow("init", ok=True, root=fresh)
    assert (fresh / "locflow.toml").is_file() and (fresh / "content").is_dir()
    assert "created" in result.stdout
    assert locflow("init", ok=True, root=fresh).stdout == ""


def test_concurrent_syncs_and_reviews_never_corrupt_catalogs(project: Path) -> None:
    """Several locflow processes at once on the same project: every catalog stays whole."""
    env = {**os.environ, "LOCFLOW_REVIEWER": "desk-editor", "PYTHONPATH": os.pathsep.join(sys.path)}
    base = [sys.executable, "-m", "locflow", "-C", str(project)]
    subprocess.run([*base, "sync"], env=env, check=True, capture_output=True)
    for path in (project / "locales").rglob("*.po"):
        translate_all(path)
    article = project / "content/vote.md"
    article.write_text(article.read_text().replace("7-2", "8-1"))
    procs = [
        subprocess.Popen([*base, *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for args in (
            ["sync"],
            ["review", "approve", "--all"],
            ["sync"],
            ["review", "approve", "--all"],
            ["sync"],
        )
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
    for path in (project / "locales").rglob("*.po"):
        catalog = pofile.load(path)  # parses strictly: nothing truncated or half-written
        assert all(is_translated(e) for e in catalog.active()), path
    assert not list((project / "locales").rglob("*.tmp"))


@pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus not available")
@pytest.mark.parametrize(
    "name",
    [
        "gnome-user-docs/gnome-help/zh_CN/zh_CN.po",  # Poedit-wrapped references
        "python-docs-zh-cn/library/difflib.po",  # Transifex: long lines, trailing spaces
        "pretalx/src/pretalx/locale/es/LC_MESSAGES/django.po",  # plurals, msgctxt, #|, #~
    ],
)
def test_approving_one_entry_of_a_foreign_catalog_changes_only_its_lines(
    locflow: Invoke, tmp_path: Path, name: str
) -> None:
    source = CORPUS / name
    if not source.exists():
        pytest.skip(f"{name} not in the corpus")
    target = tmp_path / "foreign.po"
    shutil.copyfile(source, target)  # the corpus is read-only: a writable copy
    before = target.read_text(encoding="utf-8").splitlines()
    entry = next(
        e
        for e in pofile.load(target).active()
        if entry_state(e).value == "translated" and len(e.msgid) > 30 and not e.msgid_plural
    )
    result = locflow(
        "review", "approve", str(target), "--msgid", entry.msgid, ok=True, root=tmp_path
    )
    assert result.stdout.startswith("approved 1 entry")
    after = target.read_text(encoding="utf-8").splitlines()
    diff = [
        line
        for line in difflib.unified_diff(before, after, lineterm="", n=0)
        if line.startswith(("+", "-")) and not line.startswith(("+++", "---"))
    ]
    assert len(diff) == 1 and diff[0].startswith("+# locflow-approved: 2024-11-05 desk-editor (")


def test_sync_check_tells_without_writing(locflow: Invoke, project: Path) -> None:
    result = locflow("sync", "--check")
    assert result.exit_code == 1
    assert "out of date: locales/es/articles/vote.po" in result.stdout
    assert not (project / "locales" / "es").exists()
    locflow("sync", ok=True)
    assert locflow("sync", "--check", ok=True).stderr == "catalogs are up to date\n"
    article = project / "content/vote.md"
    article.write_text(article.read_text().replace("7-2 on Tuesday", "8-1 on Wednesday"))
    snapshot = {p: p.read_bytes() for p in (project / "locales").rglob("*.po*")}
    result = locflow("sync", "--check")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "out of date: locales/templates/articles/vote.pot",
        "out of date: locales/zh_Hans/articles/vote.po",
        "out of date: locales/es/articles/vote.po",
    ]
    assert {p: p.read_bytes() for p in (project / "locales").rglob("*.po*")} == snapshot


def test_approve_reports_positions_in_the_file_as_written(
        locflow: Invoke, project: Path) -> None:
    """Issue 19: the approval lines added above an entry moved it down; approve printed
    the line it had been read at."""
    locflow("sync", ok=True)
    es = project / "locales/es/articles/vote.po"
    translate_all(es)
    with pofile.edit(es) as catalog:
        roads = next(e for e in catalog.active() if e.msgid.startswith("Roads"))
        roads.msgstr = "T: Roads will get $5 million, the largest share."
    read_at = next(e.line for e in pofile.load(es).active() if e.msgid.startswith("Roads"))
    result = locflow("review", "approve", str(es))
    assert result.exit_code != 0
    lines = es.read_text(encoding="utf-8").split("\n")
    written_at = 1 + lines.index('msgid "Roads will get $4.2 million, the largest share."')
    assert written_at > read_at  # approvals were added above it
    printed = re.findall(r"not approved: (\S+):(\d+): numbers", result.stderr)
    assert printed and {int(line) for _, line in printed} == {written_at}, result.stderr
