"""Nothing lost on bad input or a killed process (issue 7): validate first, then write;
stale temporaries are removed; a broken catalog never unpublishes a page."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import Invoke

from .test_sync_review_cli import translate_all


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_sync_writes_nothing_when_a_later_catalog_is_malformed(
    locflow: Invoke, project: Path
) -> None:
    locflow("sync", ok=True)
    # every article changes, so a sync would write templates and catalogs of both...
    for name in ("storm.md", "vote.md"):
        with (project / "content" / name).open("a", encoding="utf-8") as f:
            f.write("\nOne more paragraph.\n")
    # ...but the last catalog it reaches is broken
    (project / "locales" / "zh_Hans" / "articles" / "vote.po").write_bytes(b'msgid "broken\n')
    before = snapshot(project / "locales")
    result = locflow("sync")
    assert result.exit_code == 2
    assert "locales/zh_Hans/articles/vote.po:1" in result.stderr
    assert snapshot(project / "locales") == before


def test_approve_all_writes_nothing_when_a_catalog_is_broken(
    locflow: Invoke, project: Path
) -> None:
    locflow("sync", ok=True)
    for path in sorted((project / "locales").glob("*/articles/*.po")):
        translate_all(path)
    (project / "locales" / "zh_Hans" / "articles" / "vote.po").write_bytes(b"msgstr\n")
    before = snapshot(project / "locales")
    result = locflow("review", "approve", "--all")
    assert result.exit_code == 2, result.stderr
    assert snapshot(project / "locales") == before


def test_a_killed_writers_temporaries_are_removed_by_the_next_run(
    locflow: Invoke, project: Path
) -> None:
    locflow("sync", ok=True)
    locflow("build", ok=True)
    old = time.time() - 60
    stale = [
        project / "locales" / "es" / "articles" / ".vote.po.k3j_x9a2.tmp",
        project / "locales" / "templates" / "articles" / ".vote.pot.abcdefgh.tmp",
        project / "dist" / "es" / ".index.html.0a1b2c3d.tmp",
    ]
    for path in stale:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"half a file")
        os.utime(path, (old, old))
    mine = project / "locales" / "es" / "articles" / "notes.tmp"  # not ours: kept
    mine.write_text("keep", encoding="utf-8")
    locflow("sync", ok=True)
    assert not stale[0].exists() and not stale[1].exists()
    assert stale[2].exists()
    locflow("build", ok=True)
    assert not stale[2].exists()
    assert mine.exists()


def test_a_temporary_still_being_written_is_left_alone(locflow: Invoke, project: Path) -> None:
    locflow("sync", ok=True)
    busy = project / "locales" / "es" / "articles" / ".vote.po.busy1234.tmp"
    busy.write_bytes(b"being written")
    old = time.time() - 60
    os.utime(busy, (old, old))
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import fcntl, sys, time; f = open(sys.argv[1], 'rb'); "
         "fcntl.flock(f, fcntl.LOCK_EX); print('locked', flush=True); time.sleep(30)",
         str(busy)],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
        locflow("sync", ok=True)
        assert busy.exists()
    finally:
        holder.kill()
        holder.wait()
        if holder.stdout is not None:
            holder.stdout.close()
    locflow("sync", ok=True)
    assert not busy.exists()


def test_init_ignores_temporaries_in_git(locflow: Invoke, tmp_path: Path) -> None:
    fresh = tmp_path / "fresh"
    result = locflow("init", ok=True, root=fresh)
    assert "created" in result.stdout and ".gitignore" in result.stdout
    assert ".*.tmp" in (fresh / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert locflow("init", ok=True, root=fresh).stdout == ""
    other = tmp_path / "other"
    other.mkdir()
    (other / ".gitignore").write_text("node_modules", encoding="utf-8")
    assert ".gitignore" in locflow("init", ok=True, root=other).stdout
    lines = (other / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "node_modules" and ".*.tmp" in lines


def test_build_with_a_broken_catalog_exits_2_and_keeps_the_live_page(
    locflow: Invoke, project: Path
) -> None:
    locflow("sync", ok=True)
    for path in sorted((project / "locales").rglob("*.po")):
        translate_all(path)
    locflow("review", "approve", "--all", ok=True)
    locflow("build", ok=True)
    live = project / "dist" / "es" / "vote" / "index.html"
    before = snapshot(project / "dist")
    assert live.is_file()
    (project / "locales" / "es" / "articles" / "vote.po").write_bytes(b'msgid "x"\nmsgstr\n')
    result = locflow("build")
    assert result.exit_code == 2
    assert "locales/es/articles/vote.po:2: " in result.stderr
    assert snapshot(project / "dist") == before


def test_an_interface_string_that_becomes_a_plural_keeps_its_translation(
    locflow: Invoke, project: Path
) -> None:
    templates = project / "templates"
    templates.mkdir()
    page = templates / "extra.html"
    page.write_text("{% trans %}One new article{% endtrans %}\n", encoding="utf-8")
    locflow("sync", ok=True)
    site = project / "locales" / "es" / "LC_MESSAGES" / "site.po"
    translate_all(site, "ES")
    page.write_text("{% trans count=n %}One new article{% pluralize %}{{ count }} new articles"
                    "{% endtrans %}\n", encoding="utf-8")
    result = locflow("sync", ok=True)
    assert "locales/es/LC_MESSAGES/site.po (1 fuzzy)" in result.stdout
    from locflow.catalog import pofile

    entry = next(e for e in pofile.load(site).active() if e.msgid == "One new article")
    assert entry.msgid_plural == "%(count)s new articles"
    assert entry.msgstr_plural == {0: "ES One new article", 1: "ES One new article"}
    assert "fuzzy" in entry.flags and entry.previous_msgid == "One new article"
