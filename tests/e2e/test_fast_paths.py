"""End to end: the pool and the ``.locflow/`` cache change how fast, never what.

``status`` and ``check`` on every core give byte for byte what one process gives
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
    assert read == [edited]
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
