"""Issue 11, "a new user's rough edges": each reproduction through the CLI."""

from __future__ import annotations

import json
import re
from pathlib import Path
from xml.etree import ElementTree

import pytest

from locflow.catalog import pofile
from tests.conftest import Invoke
from tests.e2e.test_sync_review_cli import translate_all


def test_a_subfolder_works_on_the_project_above(locflow: Invoke, project: Path) -> None:
    result = locflow("sync", ok=True, root=project / "content")  # cd content && locflow sync
    assert "created locales/es/articles/vote.po" in result.stdout
    assert not (project / "content" / "locales").exists()
    assert (project / "locales" / "es" / "articles" / "vote.po").is_file()
    status = json.loads(locflow("status", "--format", "json", ok=True,
                                root=project / "locales" / "es").stdout)
    assert {row["path"] for row in status["catalogs"]} >= {"locales/es/articles/vote.po"}


def test_a_checkout_with_content_but_no_config_is_a_project(locflow: Invoke,
                                                             project: Path) -> None:
    (project / "locflow.toml").unlink()
    (project / "content" / "world").mkdir()
    locflow("sync", ok=True, root=project / "content" / "world")
    assert (project / "locales" / "zh_Hans" / "articles" / "vote.po").is_file()


def test_outside_a_project_nothing_is_created(locflow: Invoke, tmp_path: Path) -> None:
    empty = tmp_path / "elsewhere"
    empty.mkdir()
    for args in (("sync",), ("build",), ("status",), ("check",), ("pipeline",),
                 ("review", "approve", "--all")):
        result = locflow(*args, root=empty)
        assert result.exit_code == 2, (args, result.output)
        assert result.stderr == (
            f"Error: {empty}: not a locflow project (run `locflow init`)\n"), args
    assert list(empty.iterdir()) == []
    locflow("init", ok=True, root=empty)
    assert {p.name for p in empty.iterdir()} == {"content", "locales", "locflow.toml",
                                                 ".gitignore", ".gitattributes"}


def test_a_locale_that_is_not_configured_is_named(locflow: Invoke, project: Path) -> None:
    locflow("sync", ok=True)
    for args in (("check", "--locale", "fr"), ("status", "--locale", "fr"),
                 ("review", "list", "--locale", "fr")):
        result = locflow(*args)
        assert result.exit_code == 2, args
        assert result.stderr == (
            "Error: locale 'fr' is not configured: the project translates into zh_Hans, es "
            "([project] target_locales in locflow.toml)\n")
    result = locflow("check", "--locale", "en")
    assert result.exit_code == 2 and "locale 'en' is the source language" in result.stderr


def test_a_catalog_without_language_takes_it_from_its_path(locflow: Invoke, project: Path,
                                                           tmp_path: Path) -> None:
    locflow("sync", ok=True)
    es = project / "locales/es/articles/vote.po"
    translate_all(es, prefix="Texto:")
    with pofile.edit(es) as catalog:
        for entry in catalog.active():
            entry.msgstr = entry.msgstr.replace("7-2", "8-1")  # a finding to look at
    text = es.read_text("utf-8").replace('"Language: es\\n"\n', "")
    assert "Language:" not in text
    placed = tmp_path / "other" / "locales" / "es" / "LC_MESSAGES" / "vote.po"
    placed.parent.mkdir(parents=True)
    placed.write_text(text, "utf-8")
    data = json.loads(locflow("check", str(placed), "--format", "json", root=tmp_path).stdout)
    assert {f["locale"] for f in data["findings"]} == {"es"}
    assert not any(f["check"] == "language" for f in data["findings"])
    status = json.loads(locflow("status", str(placed), "--format", "json", root=tmp_path).stdout)
    assert status["catalogs"][0]["locale"] == "es"

    lone = tmp_path / "lone.po"
    lone.write_text(text, "utf-8")
    result = locflow("check", str(lone), root=tmp_path)
    language = [line for line in result.stdout.splitlines() if "[language]" in line]
    assert language == [
        f"{lone}:1: warning [language] the catalog does not say its language: add "
        '"Language: xx" to its header (checks of numbers, punctuation and length assume none '
        "until then)"]
    assert "for  (" not in result.stdout


def test_sync_drops_stale_previous_msgids_after_fuzzy_is_cleared(locflow: Invoke,
                                                                  project: Path) -> None:
    locflow("sync", ok=True)
    es = project / "locales/es/articles/vote.po"
    translate_all(es)
    vote = project / "content/vote.md"
    vote.write_text(vote.read_text("utf-8").replace("on Tuesday", "on Wednesday"), "utf-8")
    locflow("sync", ok=True)
    text = es.read_text("utf-8")
    assert "#, fuzzy\n#| msgid \"The city council voted 7-2 on Tuesday" in text
    es.write_text(text.replace("#, fuzzy\n#| msgid", "#| msgid"), "utf-8")  # Poedit: fuzzy off
    locflow("sync", ok=True)
    assert "#|" not in es.read_text("utf-8")


def test_a_rejection_fixed_in_an_editor_becomes_history_on_sync(locflow: Invoke,
                                                                project: Path) -> None:
    locflow("sync", ok=True)
    es = project / "locales/es/articles/vote.po"
    translate_all(es)
    locflow("review", "reject", str(es), "--msgid", "Roads", "--reason", "say 4,2", ok=True)
    text = es.read_text("utf-8")
    # Weblate: the translator edits the text and saves it as translated
    fixed = re.sub(r'#, fuzzy\nmsgid "Roads(.*)"\nmsgstr "T: Roads',
                   r'msgid "Roads\1"\nmsgstr "Fixed: Roads', text)
    assert fixed != text
    es.write_text(fixed, "utf-8")
    assert "locflow-rejected" in es.read_text("utf-8")
    result = locflow("sync", ok=True)
    assert "updated locales/es/articles/vote.po" in result.stdout
    text = es.read_text("utf-8")
    assert "locflow-rejected" not in text
    assert "# locflow-history: rejected 2024-11-05 desk-editor: say 4,2\n" in text
    locflow("sync", ok=True)
    assert es.read_text("utf-8") == text  # once
    listing = locflow("review", "list", str(es), "--state", "translated", "--msgid", "Roads",
                      ok=True).stdout
    assert "    earlier: rejected 2024-11-05 desk-editor: say 4,2\n" in listing
    locflow("review", "approve", str(es), "--msgid", "Roads", ok=True)
    assert "# locflow-history: rejected 2024-11-05 desk-editor: say 4,2\n" in es.read_text()


def test_junit_counts_clean_catalogs_and_names_cases_uniquely(locflow: Invoke, project: Path,
                                                              tmp_path: Path) -> None:
    locflow("sync", ok=True)
    for po in sorted((project / "locales").rglob("*.po")):
        translate_all(po)
    es = project / "locales/es/articles/vote.po"
    with pofile.edit(es) as catalog:
        for entry in catalog.active():
            if entry.msgid.startswith("The city council"):
                entry.msgstr = "T: El concejo votó 8-1 el martes."  # two numbers wrong
    report = tmp_path / "junit.xml"
    result = locflow("check", "--format", "junit", "-o", str(report))
    assert result.exit_code == 1
    root = ElementTree.parse(report).getroot()
    suites = {s.get("name"): s for s in root.iter("testsuite")}
    assert len(suites) == 6  # 2 articles + site, 2 locales
    for name, suite in suites.items():
        cases = [c.get("name") for c in suite.iter("testcase")]
        assert len(cases) == len(set(cases)) >= 1, name
        assert suite.get("tests") == str(len(cases))
    clean = suites["locales/zh_Hans/articles/storm.po"]
    assert [(c.get("name"), list(c)) for c in clean.iter("testcase")] == [
        ("every entry passes", [])]
    assert root.get("tests") == str(sum(int(s.get("tests") or 0) for s in suites.values()))
    broken = [c.get("name") for c in suites["locales/es/articles/vote.po"].iter("testcase")]
    assert len([n for n in broken if n.startswith("numbers")]) == 2


def test_status_and_check_list_catalogs_in_the_same_order(locflow: Invoke,
                                                          project: Path) -> None:
    locflow("sync", ok=True)
    status = [row["path"] for row in json.loads(
        locflow("status", "--format", "json", ok=True).stdout)["catalogs"]]
    checked = locflow("check").stdout
    order = [line for line in checked.splitlines() if line.startswith("locales/")
             and ":" not in line]
    assert order == status
    assert json.loads(locflow("check", "--format", "json").stdout)["summary"]["files"] == status


def test_one_warning_is_singular(locflow: Invoke, project: Path, tmp_path: Path) -> None:
    locflow("sync", ok=True)
    es = project / "locales/es/articles/storm.po"
    with pofile.edit(es) as catalog:
        for entry in catalog.active():
            entry.msgstr = entry.msgstr or f"El {entry.msgid}"
            if entry.msgctxt == "title":
                entry.msgstr = "Una tormenta  cierra las escuelas"  # a doubled space
    result = locflow("check", str(es), "-o", str(tmp_path / "r.txt"))
    assert result.exit_code == 0, result.output
    assert "0 errors, 1 warning in 2 entries of 1 file" in (tmp_path / "r.txt").read_text("utf-8")
    assert result.stderr == f"0 errors, 1 warning: report written to {tmp_path / 'r.txt'}\n"
    result = locflow("check", str(es), "--format", "json", "-o", str(tmp_path / "r.json"))
    assert "0 errors, 1 warning: report written to" in result.stderr


def test_an_unknown_article_is_named_with_the_closest_slug(locflow: Invoke,
                                                           project: Path) -> None:
    locflow("sync", ok=True)
    for args in (("status", "--article", "vot"), ("check", "--article", "vot"),
                 ("status", "--article", "vote", "--article", "vot"),
                 ("review", "list", "--article", "vot")):
        result = locflow(*args)
        assert result.exit_code == 2, args
        assert result.stderr == "Error: article 'vot' does not exist (did you mean 'vote'?)\n"
    result = locflow("status", "--article", "no-such-slug")
    assert result.stderr == "Error: article 'no-such-slug' does not exist\n"
    assert "locales/es/articles/vote.po" in locflow("status", "--article", "vote",
                                                   "--article", "site", ok=True).stdout
    (project / "content" / "new.md").write_text("---\ntitle: New\n---\n\nNew.\n", "utf-8")
    result = locflow("status", "--article", "new")  # an article not synced yet
    assert result.exit_code == 2 and "run 'locflow sync' first" in result.stderr


def test_outside_a_project_the_error_names_the_folder_searched(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from locflow.cli import cli

    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["status"])
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: {tmp_path.resolve()}: not a locflow project (run `locflow init`)\n")


def test_init_updates_an_existing_gitignore(locflow: Invoke, tmp_path: Path) -> None:
    site = tmp_path / "new-site"
    site.mkdir()
    (site / ".gitignore").write_text("node_modules/\n", encoding="utf-8")
    result = locflow("init", ok=True, root=site)
    assert f"updated {site / '.gitignore'}" in result.stdout
    assert f"created {site / '.gitignore'}" not in result.stdout
    assert f"created {site / 'locflow.toml'}" in result.stdout
    assert ".gitignore" not in locflow("init", ok=True, root=site).stdout  # nothing to add


def test_a_locale_option_follows_the_spelling_rule_of_the_config(locflow: Invoke,
                                                                 project: Path) -> None:
    locflow("sync", ok=True)
    for args in (("status", "--locale", "zh_hans"), ("check", "-l", "zh_hans"),
                 ("review", "list", "--locale", "zh_hans")):
        result = locflow(*args)
        assert result.exit_code == 2, args
        assert "locale 'zh_hans' is spelled 'zh_Hans'" in result.stderr, args
    assert "zh_Hans" in locflow("status", "--locale", "zh-Hans", ok=True).stdout


def test_build_out_outside_the_project_is_refused_for_what_it_is(locflow: Invoke,
                                                                 project: Path,
                                                                 tmp_path: Path) -> None:
    locflow("sync", ok=True)
    config = project / "locflow.toml"
    original = config.read_text(encoding="utf-8")
    for out in ("../published", str(tmp_path / "elsewhere"), "dist/../../published"):
        config.write_text(original + f'\n[build]\nout = "{out}"\n', encoding="utf-8")
        result = locflow("build")
        assert result.exit_code == 2, out
        assert "[build] out: must be inside the project" in result.stderr, out
        assert "symbolic link" not in result.stderr
    assert not (tmp_path / "published").exists() and not (tmp_path / "elsewhere").exists()
    config.write_text(original + '\n[build]\nout = "dist/../public"\n', encoding="utf-8")
    locflow("build", ok=True)
    assert (project / "public").is_dir()
    config.write_text(original, encoding="utf-8")
    locflow("build", "--out", str(tmp_path / "elsewhere"), ok=True)  # the caller's choice
    assert (tmp_path / "elsewhere").is_dir()
