"""End to end: the pool and the ``.locflow/`` cache change how fast, never what.

``status``, ``check`` and ``build`` on every core give byte for byte what one process gives
(and ``sync`` whatever ``LOCFLOW_JOBS`` says); a second run that finds its files
unchanged says the same as the first; any change to a catalog or the memory is seen.
"""

from __future__ import annotations

import random
import re
import shutil
from pathlib import Path

import pytest

from locflow.catalog import pofile
from locflow.parallel import JOBS_ENV
from tests.conftest import Invoke

WORDS = "council budget storm vote ministry report police border talks exports".split()


def write_articles(root: Path, n: int) -> None:
    rng = random.Random(5)
    for i in range(n):
        paras = []
        for _ in range(rng.randint(3, 6)):
            words = rng.sample(WORDS, 5)
            paras.append(f"The {words[0]} said {rng.randint(2, 900)} {words[1]} and "
                         f"{words[2]} rose {rng.randint(1, 9)}.{rng.randint(0, 9)}% "
                         f"([report](https://example.org/{i}))")
        paras.append("Shared closing line of every article.")
        (root / "content" / f"a{i:03d}.md").write_text(
            f"---\ntitle: Article {i}\ndate: 2024-11-04\n---\n\n" + "\n\n".join(paras) + "\n",
            encoding="utf-8")


def translate_some(root: Path) -> None:
    rng = random.Random(9)
    for path in sorted((root / "locales").glob("*/articles/*.po")):
        with pofile.edit(path) as catalog:
            for entry in catalog.active():
                roll = rng.random()
                if roll < 0.3:
                    continue
                # reversed words: numbers kept, so some entries pass and some do not
                entry.msgstr = " ".join(reversed(entry.msgid.split(" ")))
                if roll > 0.8:
                    entry.msgstr = entry.msgstr.replace("%", "")
                if roll > 0.9:
                    entry.flags.append("fuzzy")


def snapshot(root: Path) -> dict[str, bytes]:
    """Every catalog and template, without the header's revision date (a clock reading)."""
    return {p.relative_to(root).as_posix(): re.sub(rb'"PO-Revision-Date: [^"]*"', b"",
                                                    p.read_bytes())
            for p in sorted((root / "locales").rglob("*.po*"))}


@pytest.fixture
def big(project: Path) -> Path:
    write_articles(project, 40)
    return project


def test_every_core_and_the_cache_give_what_one_process_gives(
    locflow: Invoke, big: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    twin = big.parent / "twin"
    shutil.copytree(big, twin)
    monkeypatch.setenv(JOBS_ENV, "1")
    one = locflow("sync", ok=True)
    monkeypatch.setenv(JOBS_ENV, "2")
    pooled = locflow("sync", root=twin, ok=True)
    assert one.stdout == pooled.stdout.replace(str(twin), str(big))
    assert snapshot(big) == snapshot(twin)
    translate_some(big)
    translate_some(twin)
    outputs = {}
    for jobs, root in (("1", big), ("2", twin)):
        monkeypatch.setenv(JOBS_ENV, jobs)
        for command in (["check", "--format", "json"], ["status", "--format", "json"],
                        ["check"], ["sync"]):
            first = locflow(*command, root=root)
            if command != ["sync"]:  # (a sync pre-fills from the memory: it changes things)
                again = locflow(*command, root=root)  # from .locflow/, as far as it can
                assert (first.stdout, first.exit_code) == (again.stdout, again.exit_code)
            outputs[jobs, command[0], len(command)] = first.stdout.replace(str(root), "ROOT")
    assert outputs["1", "check", 3] == outputs["2", "check", 3]
    assert '"errors": 0' not in outputs["1", "check", 3]  # the checks found something
    assert outputs["1", "status", 3] == outputs["2", "status", 3]
    assert outputs["1", "check", 1] == outputs["2", "check", 1]
    assert outputs["1", "sync", 1] == outputs["2", "sync", 1]
    assert snapshot(big) == snapshot(twin)
    assert (big / ".locflow" / "check-cache.json").is_file()


def test_a_changed_catalog_is_seen_by_check_status_and_sync(locflow: Invoke, big: Path) -> None:
    locflow("sync", ok=True)
    translate_some(big)
    path = big / "locales" / "es" / "articles" / "a007.po"
    before = locflow("check", "--article", "a007").stdout
    status = locflow("status", "--article", "a007", "--locale", "es").stdout
    with pofile.edit(path) as catalog:
        for entry in catalog.active():
            entry.msgstr = ""  # everything untranslated again
    assert locflow("check", "--article", "a007").stdout != before
    assert locflow("status", "--article", "a007", "--locale", "es").stdout != status
    # an entry deleted by hand comes back with the next sync, though the article did not change
    text = path.read_text(encoding="utf-8")
    path.write_text(text[:text.rstrip("\n").rindex("\n\n")] + "\n", encoding="utf-8")
    entries = len(pofile.load(path).active())
    result = locflow("sync", ok=True)
    assert "updated locales/es/articles/a007.po (" in result.stdout
    assert len(pofile.load(path).active()) > entries


def test_the_memory_fills_an_unchanged_article_once_another_catalog_teaches_it(
    locflow: Invoke, big: Path
) -> None:
    locflow("sync", ok=True)
    locflow("sync", ok=True)  # nothing to do: every article kept
    with pofile.edit(big / "locales" / "es" / "articles" / "a000.po") as catalog:
        for entry in catalog.active():
            if entry.msgid == "Shared closing line of every article.":
                entry.msgstr = "Línea final compartida de cada artículo."
    result = locflow("sync", ok=True)
    assert "updated locales/es/articles/a001.po" in result.stdout
    filled = [e for e in pofile.load(big / "locales" / "es" / "articles" / "a039.po").active()
              if e.msgid == "Shared closing line of every article."]
    assert filled[0].msgstr == "Línea final compartida de cada artículo."


def test_a_sync_of_an_unchanged_project_reads_no_article(
    big: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Stat, don't parse: an article whose files are as the last sync left them is neither
    read nor merged again, and the result says what syncing it again would say."""
    from locflow import content
    from locflow.config import Project
    from locflow.pipeline import sync

    project = Project.load(big)
    sync(project)
    translate_some(big)
    sync(project)  # pre-fills from what was translated: the memory is settled after it
    (big / ".locflow" / "sync-cache.json").unlink()
    uncached = sync(project)  # every article read and merged again: nothing changes
    assert uncached.written == []
    read: list[Path] = []
    real = content.read_article
    monkeypatch.setattr(content, "read_article",
                        lambda path, fields=(): read.append(path) or real(path, fields))
    kept = sync(project)
    assert read == [] and kept.written == []
    assert [(c.path, c.locale, c.article, c.stats, c.memory) for c in kept.catalogs] == [
        (c.path, c.locale, c.article, c.stats, c.memory) for c in uncached.catalogs]
    assert kept.warnings == uncached.warnings
    # one article edited: that one is read (and only it)
    edited = big / "content" / "a011.md"
    edited.write_text(edited.read_text().replace("Article 11", "Article eleven"))
    result = sync(project)
    assert set(read) == {edited}  # (read for its slug, then again where it is merged)
    assert {c.path.name for c in result.written} == {"a011.po"}


def test_sync_check_trusts_what_sync_left_but_keeps_nothing(locflow: Invoke, big: Path) -> None:
    locflow("sync", ok=True)
    cache = big / ".locflow" / "sync-cache.json"
    kept = cache.read_bytes()
    edited = big / "content" / "a003.md"
    edited.write_text(edited.read_text().replace("Article 3", "Article three"))
    result = locflow("sync", "--check")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == ["out of date: locales/templates/articles/a003.pot",
                                          "out of date: locales/zh_Hans/articles/a003.po",
                                          "out of date: locales/es/articles/a003.po"]
    assert cache.read_bytes() == kept


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def translated_twins(locflow: Invoke, big: Path) -> tuple[Path, Path]:
    """The 40-article project, partly translated (some versions pass the gate, some are
    held back), and an identical copy of it."""
    with (big / "locflow.toml").open("a", encoding="utf-8") as config:
        config.write('\n[build]\npublish = "translated"\nmin_percent = 60\n')
    locflow("sync", ok=True)
    translate_some(big)
    twin = big.parent / "twin"
    shutil.copytree(big, twin)
    return big, twin


def test_a_build_on_every_core_is_the_build_of_one_process(
    locflow: Invoke, translated_twins: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Full, incremental and no-op builds: the same files, byte for byte, and the same
    report, whatever LOCFLOW_JOBS says."""
    roots = dict(zip("12", translated_twins, strict=True))

    def build_both(*args: str) -> str:
        outputs = {}
        for jobs, root in roots.items():
            monkeypatch.setenv(JOBS_ENV, jobs)
            result = locflow("build", *args, root=root, ok=True)
            outputs[jobs] = result.stdout.replace(str(root), "ROOT")
        assert outputs["1"] == outputs["2"]
        assert tree(roots["1"] / "dist") == tree(roots["2"] / "dist")
        return outputs["1"]

    full = build_both("--archive")
    assert "held back:" in full and "zh-Hans: " in full  # some pass the gate, some do not
    assert len(list((roots["2"] / "dist" / "es").glob("*/index.html"))) > 5
    for root in roots.values():  # one catalog edited: its bundle alone is rendered again
        with pofile.edit(root / "locales" / "es" / "articles" / "a007.po") as catalog:
            for entry in catalog.active():
                entry.msgstr = " ".join(reversed(entry.msgid.split(" ")))
        (root / "content" / "a039.md").unlink()  # and one article gone: its files removed
    edited = build_both("--archive")
    assert ", 0 removed," not in edited and "(1 rendered," in edited
    stamps = {p: p.stat().st_mtime_ns for p in (roots["2"] / "dist").rglob("*")}
    again = build_both("--archive")  # nothing changed: nothing rendered, nothing written
    assert "(0 rendered," in again and ", 0 files written, 0 removed," in again
    assert {p: p.stat().st_mtime_ns for p in (roots["2"] / "dist").rglob("*")} == stamps


def test_a_build_that_fails_writes_nothing_and_reports_what_one_process_reports(
    locflow: Invoke, translated_twins: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every file is written at the end: a template failing on the 31st article leaves the
    pages of the first 30 as they were; a broken catalog is reported before a template's
    error (one process decides every version before it renders one)."""
    outputs: dict[tuple[str, str], tuple[int, str]] = {}
    for jobs, root in zip("12", translated_twins, strict=True):
        monkeypatch.setenv(JOBS_ENV, jobs)
        locflow("build", root=root, ok=True)
        before = tree(root / "dist")
        (root / "templates").mkdir()
        page = (Path(__file__).parents[2] / "src" / "locflow" / "publish" / "templates"
                / "article.html").read_text(encoding="utf-8")
        (root / "templates" / "article.html").write_text(page.replace(
            "<h1>", '{% if article.title == "Article 30" %}{{ no_such.thing }}{% endif %}<h1>',
            1), encoding="utf-8")
        failed = locflow("build", root=root)
        outputs[jobs, "template"] = (failed.exit_code, failed.stderr)
        assert tree(root / "dist") == before
        (root / "locales" / "es" / "articles" / "a035.po").write_bytes(b'msgid "unterminated\n')
        failed = locflow("build", root=root)
        outputs[jobs, "catalog"] = (failed.exit_code, failed.stderr.replace(str(root), "ROOT"))
        assert tree(root / "dist") == before
    assert outputs["1", "template"] == outputs["2", "template"]
    assert outputs["1", "template"][0] == 2 and "article.html" in outputs["1", "template"][1]
    assert outputs["1", "catalog"] == outputs["2", "catalog"]
    assert outputs["1", "catalog"][0] == 2
    assert "locales/es/articles/a035.po:1" in outputs["1", "catalog"][1]


def test_a_changed_site_template_is_synced_though_no_article_changed(
    locflow: Invoke, big: Path
) -> None:
    """The interface strings are kept like an article: their templates and catalogs as the
    last sync left them mean no re-extraction; a template edited means one."""
    locflow("sync", ok=True)
    assert locflow("sync", ok=True).stdout == ""  # nothing to do
    base = Path(__file__).parents[2] / "src" / "locflow" / "publish" / "templates" / "base.html"
    (big / "templates").mkdir()
    (big / "templates" / "base.html").write_text(
        base.read_text(encoding="utf-8").replace("{% trans %}XML Map{% endtrans %}",
                                                 "{% trans %}Site map{% endtrans %}"),
        encoding="utf-8")
    result = locflow("sync", ok=True)
    assert "updated locales/es/LC_MESSAGES/site.po" in result.stdout
    site = pofile.load(big / "locales" / "es" / "LC_MESSAGES" / "site.po")
    assert "Site map" in {e.msgid for e in site.active()}


def test_an_article_edited_while_sync_merges_it_stops_the_sync_with_nothing_written(
    big: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The parent reads each article for its slug; where it is merged it is read again
    and must be what the parent read (the parent holds no article's text)."""
    from locflow import content
    from locflow.config import Project
    from locflow.errors import InputError
    from locflow.pipeline import sync

    project = Project.load(big)
    sync(project)
    before = tree(big / "locales")
    edited = big / "content" / "a005.md"
    edited.write_text(edited.read_text().replace("Article 5", "Article five"))
    real = content.read_article
    reads: list[Path] = []

    def read_and_edit(path: Path, fields: tuple[str, ...] = ()) -> object:
        reads.append(path)
        if path == edited and reads.count(edited) == 2:  # between the two reads
            edited.write_text(edited.read_text().replace("five", "FIVE"))
        return real(path, fields)

    monkeypatch.setattr(content, "read_article", read_and_edit)
    with pytest.raises(InputError, match="changed while locflow was reading it; run again"):
        sync(project)
    assert tree(big / "locales") == before


def test_a_project_without_locflow_toml_gets_the_caches_and_a_clean_git_status(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 22: a project with only content/ is cached like any; ``.locflow/`` ignores
    itself, so ``git status`` stays clean without ``locflow init``'s .gitignore rules."""
    import subprocess

    from click.testing import CliRunner

    from locflow.cli import cli

    root = tmp_path / "bare"
    (root / "content").mkdir(parents=True)
    write_articles(root, 3)
    subprocess.run(["git", "init", "-q", str(root)], check=True)

    def run(*args: str) -> str:
        result = CliRunner().invoke(cli, ["-C", str(root), *args], catch_exceptions=False)
        assert result.exit_code in (0, 1), result.output
        return result.output

    run("sync")
    for command in ("status", "check"):
        run(command)
    state = root / ".locflow"
    assert (state / ".gitignore").read_text(encoding="utf-8").splitlines()[-1] == "*"
    assert {p.name for p in state.glob("*-cache.json*")} >= {"sync-cache.json",
                                                            "status-cache.json"}
    porcelain = subprocess.run(["git", "-C", str(root), "status", "--porcelain",
                                "--untracked-files=all"], capture_output=True, text=True,
                               check=True).stdout
    assert ".locflow" not in porcelain and "content/a000.md" in porcelain
    # the second sync finds every article kept: none is segmented and merged again
    from locflow.pipeline.syncing import run as sync_run

    def planned(*args: object) -> object:
        raise AssertionError("an unchanged article was merged again")

    monkeypatch.setenv(JOBS_ENV, "1")
    monkeypatch.setattr(sync_run, "plan_articles", planned)
    assert "0 changed" in run("sync")
    (root / "content" / "a001.md").write_text("---\ntitle: New\n---\n\nNew.\n",
                                               encoding="utf-8")
    with pytest.raises(AssertionError, match="merged again"):
        run("sync")
