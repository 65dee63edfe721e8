"""A repository nobody fully trusts: locflow reads and writes only inside the project,
never quotes what it should not, respects read-only files (issue 7)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import Invoke

ZZ = "---\ntitle: Attacker's article\n---\n\nWhatever text the attacker wants.\n"


def add_article(project: Path) -> None:
    (project / "content" / "zz.md").write_text(ZZ, encoding="utf-8")


def test_a_committed_template_link_cannot_overwrite_a_file_beside_the_project(
    locflow: Invoke, project: Path
) -> None:
    add_article(project)
    victim = project.parent / "victim_rc"
    victim.write_text("precious\n", encoding="utf-8")
    folder = project / "locales" / "templates" / "articles"
    folder.mkdir(parents=True)
    (folder / "zz.pot").symlink_to("../../../../victim_rc")
    result = locflow("sync")
    assert result.exit_code == 2
    assert "locales/templates/articles/zz.pot" in result.stderr
    assert "outside the project" in result.stderr
    assert victim.read_text(encoding="utf-8") == "precious\n"
    assert not (project / "locales" / "es").exists()  # nothing was written before the refusal


def test_a_dangling_link_creates_nothing_outside(locflow: Invoke, project: Path) -> None:
    add_article(project)
    folder = project / "locales" / "es" / "articles"
    folder.mkdir(parents=True)
    (folder / "zz.po").symlink_to("../../../../planted/dir/file")
    assert locflow("sync").exit_code == 2
    assert not (project.parent / "planted").exists()


def test_a_linked_locale_folder_is_refused(locflow: Invoke, project: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (project / "locales").mkdir()
    (project / "locales" / "es").symlink_to(elsewhere)
    result = locflow("sync")
    assert result.exit_code == 2 and "locales/es" in result.stderr
    assert list(elsewhere.iterdir()) == []


def test_content_templates_and_config_links_out_are_refused(
    locflow: Invoke, project: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "article.html").write_text("{{ 7 * 6 }}", encoding="utf-8")
    (project / "templates").symlink_to(outside)
    result = locflow("build")
    assert result.exit_code == 2 and "templates" in result.stderr
    (project / "templates").unlink()
    (project / "templates").mkdir()
    (project / "templates" / "article.html").symlink_to(outside / "article.html")
    result = locflow("build")
    assert result.exit_code == 2 and "templates/article.html" in result.stderr

    config = project / "locflow.toml"
    (outside / "locflow.toml").write_bytes(config.read_bytes())
    config.unlink()
    config.symlink_to(outside / "locflow.toml")
    result = locflow("status")
    assert result.exit_code == 2 and "locflow.toml" in result.stderr


def run_cli(project: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "locflow", "-C", str(project), *args],
        capture_output=True, text=True, env={**os.environ, **env}, timeout=60, check=False,
    )


@pytest.mark.parametrize("command", [["check"], ["status"], ["sync"],
                                     ["check", "locales/es/articles/zz.po"]])
def test_an_error_never_quotes_the_environment(
    locflow: Invoke, project: Path, command: list[str]
) -> None:
    add_article(project)
    locflow("sync", ok=True)
    es = project / "locales" / "es" / "articles" / "zz.po"
    es.unlink()
    es.symlink_to("/proc/self/environ")
    result = subprocess.run(
        [sys.executable, "-m", "locflow", *command],
        capture_output=True, text=True, cwd=project, timeout=60, check=False,
        env={**os.environ, "MY_TOKEN": "s3cret"},
    )
    assert result.returncode == 2, result.stderr
    assert "s3cret" not in result.stderr + result.stdout
    assert "locales/es/articles/zz.po" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_file_that_is_not_a_catalog_is_described_not_quoted(tmp_path: Path) -> None:
    environ = tmp_path / "environ.po"
    environ.write_bytes(b"MY_TOKEN=s3cret\0HOME=/root\0")
    result = run_cli(tmp_path, "check", str(environ), env={})
    assert result.returncode == 2
    assert "s3cret" not in result.stderr
    assert "environ.po:1: text that is not PO syntax" in result.stderr


def read_only(path: Path) -> None:
    path.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)


def test_sync_and_approve_respect_a_read_only_catalog(locflow: Invoke, project: Path) -> None:
    locflow("sync", ok=True)
    es = project / "locales" / "es" / "articles" / "vote.po"
    read_only(es)
    before = es.read_bytes()
    with (project / "content" / "vote.md").open("a", encoding="utf-8") as f:
        f.write("\nA new paragraph.\n")
    result = locflow("sync")
    assert result.exit_code == 2
    assert "locales/es/articles/vote.po" in result.stderr and "read-only" in result.stderr
    assert es.read_bytes() == before
    assert stat.S_IMODE(es.stat().st_mode) == 0o444

    es.chmod(0o644)
    locflow("sync", ok=True)
    text = es.read_text(encoding="utf-8").replace('msgstr ""\n\nmsgctxt', 'msgstr "x"\n\nmsgctxt')
    es.write_text(text.replace('msgstr ""', 'msgstr "T"'), encoding="utf-8")
    read_only(es)
    before = es.read_bytes()
    result = locflow("review", "approve", "--all")
    assert result.exit_code == 2 and "read-only" in result.stderr
    assert es.read_bytes() == before


@pytest.mark.parametrize(
    "out, message",
    [
        ('".git"', "version-control"),
        ('".git/hooks"', "version-control"),
        ('"../published"', "outside the project"),
        ('"/tmp/locflow-elsewhere"', "outside the project"),
        ('"dist\\u0000x"', "control character"),
        ('"."', "refusing to build into"),
    ],
)
def test_build_refuses_an_output_folder_it_must_not_write(
    locflow: Invoke, project: Path, out: str, message: str
) -> None:
    config = project / "locflow.toml"
    config.write_text(config.read_text(encoding="utf-8") + f"\n[build]\nout = {out}\n",
                      encoding="utf-8")
    (project / ".git").mkdir()
    result = locflow("build")
    assert result.exit_code == 2, result.stderr
    assert message in result.stderr
    assert not (project.parent / "published").exists()
    assert list((project / ".git").iterdir()) == []


def test_a_linked_output_folder_that_leaves_is_refused(
    locflow: Invoke, project: Path, tmp_path: Path
) -> None:
    (tmp_path / "www").mkdir()
    (project / "dist").symlink_to(tmp_path / "www")
    result = locflow("build")
    assert result.exit_code == 2 and "[build] out" in result.stderr
    assert list((tmp_path / "www").iterdir()) == []


def test_an_explicit_out_may_be_anywhere_but_vcs_data(
    locflow: Invoke, project: Path, tmp_path: Path
) -> None:
    (project / ".git").mkdir()
    result = locflow("build", "--out", str(project / ".git"))
    assert result.exit_code == 2 and "refusing to build into" in result.stderr
    locflow("build", "--out", str(tmp_path / "public"), ok=True)  # the user's own choice
    assert (tmp_path / "public" / "manifest.json").is_file()


@pytest.mark.parametrize("payload", [
    "{{ cycler.__init__.__globals__.os.popen('touch PWNED').read() }}",
    "{{ lipsum.__globals__['os'].popen('touch PWNED').read() }}",
    "{{ page.__class__.__mro__[1].__subclasses__() }}",
    "{% set x = page.alternates.append(1) %}",  # the data is read-only too
])
def test_project_templates_cannot_run_code(locflow: Invoke, project: Path, payload: str) -> None:
    """Issue 7: templates/ ran as unsandboxed Jinja2, so a build executed repository code."""
    (project / "templates").mkdir()
    (project / "templates" / "article.html").write_text(
        '{% extends "base.html" %}{% block main %}' + payload + "{% endblock %}",
        encoding="utf-8")
    result = locflow("build")
    assert result.exit_code == 2, result.output
    assert "templates/article.html" in result.stderr and "template error" in result.stderr
    assert not (project / "PWNED").exists() and not Path("PWNED").exists()
    assert not (project / "dist" / "en" / "vote").exists()


def test_a_locale_option_in_another_case_is_the_same_locale(
    locflow: Invoke, project: Path
) -> None:
    locflow("sync", ok=True)
    # one spelling rule, as in locflow.toml: "-" for "_" is fine, another case is an error
    result = locflow("status", "--locale", "zh-Hans", ok=True)
    assert "locales/zh_Hans/articles/vote.po" in result.stdout
    result = locflow("status", "--locale", "ZH-hans")
    assert result.exit_code == 2 and "locale 'ZH-hans' is spelled 'zh_Hans'" in result.stderr
    assert not (project / "locales" / "zh_hans").exists()


@pytest.mark.parametrize("name", [".gitignore", ".gitattributes", "locflow.toml", "content"])
def test_init_follows_no_link_out_of_the_project(
    locflow: Invoke, tmp_path: Path, name: str
) -> None:
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    (fresh / name).symlink_to(tmp_path / "planted")
    result = locflow("init", root=fresh)
    assert result.exit_code == 2 and name in result.stderr
    assert not (tmp_path / "planted").exists()


# -- issue 17: a pull request cannot change who is trusted ------------------------------


def assert_one_line_error(result: subprocess.CompletedProcess[str], *names: str) -> None:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    [line] = result.stderr.splitlines()
    assert line.startswith("Error: ")
    for name in names:
        assert name in line


def test_a_linked_top_folder_cannot_make_sync_overwrite_the_settings(project: Path) -> None:
    """``locales -> .`` made the project root the locales folder, so a template linked
    to ``../../locflow.toml`` counted as inside it: sync overwrote the settings."""
    config = project / "locflow.toml"
    before = config.read_bytes()
    (project / "locales").symlink_to(".")
    (project / "templates" / "articles").mkdir(parents=True)
    (project / "templates" / "articles" / "vote.pot").symlink_to("../../locflow.toml")
    for command in (["sync"], ["status"], ["check"], ["review", "approve", "--all"]):
        result = run_cli(project, *command, env={})
        assert_one_line_error(result, "locales", "symbolic link")
        assert config.read_bytes() == before
    assert sorted(p.name for p in project.iterdir()) == [
        "content", "locales", "locflow.toml", "templates"]


@pytest.mark.parametrize("folder", ["content", "glossary", "memory", ".locflow", "dist"])
def test_every_top_folder_linked_elsewhere_in_the_project_is_refused(
    project: Path, folder: str
) -> None:
    run_cli(project, "sync", env={})
    (project / "spare").mkdir()
    moved = project / folder
    if moved.exists():
        moved.rename(project / "spare" / folder)
    moved.symlink_to(f"spare/{folder}" if (project / "spare" / folder).exists() else "spare")
    command = ["build"] if folder == "dist" else ["sync"]
    result = run_cli(project, *command, env={"LOCFLOW_REVIEWER": "x"})
    assert_one_line_error(result, folder, "symbolic link")


def test_a_linked_memory_index_changes_no_file_outside(project: Path, tmp_path: Path) -> None:
    """The MT cache's path was checked, the memory's was not: sync created or changed
    the database wherever ``.locflow/memory.sqlite3`` led."""
    outside = tmp_path / "outside.sqlite3"
    for content in (None, b"not yours\n"):
        if content is not None:
            outside.write_bytes(content)
        (project / ".locflow").mkdir(exist_ok=True)
        link = project / ".locflow" / "memory.sqlite3"
        link.unlink(missing_ok=True)
        link.symlink_to(outside)
        result = run_cli(project, "sync", env={})
        assert_one_line_error(result, ".locflow/memory.sqlite3")
        assert outside.read_bytes() == content if content else not outside.exists()
        assert not (tmp_path / "outside.sqlite3-wal").exists()


def test_a_linked_cache_beside_the_index_changes_no_file_outside(
    project: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "outside-wal"
    outside.write_bytes(b"not yours\n")
    (project / ".locflow").mkdir()
    (project / ".locflow" / "memory.sqlite3-wal").symlink_to(outside)
    result = run_cli(project, "memory", "stats", env={})
    assert_one_line_error(result, ".locflow/memory.sqlite3-wal", "symbolic link")
    assert outside.read_bytes() == b"not yours\n"


@pytest.mark.parametrize("command", [["status"], ["check"], ["sync"]])
def test_a_results_cache_linked_to_a_fifo_neither_hangs_nor_is_written_through(
    project: Path, tmp_path: Path, command: list[str]
) -> None:
    """``.locflow/*-cache.json`` linked to a FIFO (or /dev/zero) blocked (or filled the
    memory of) every later command reading it."""
    run_cli(project, "sync", env={})
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    name = {"status": "status", "check": "check", "sync": "sync"}[command[0]]
    link = project / ".locflow" / f"{name}-cache.json"
    link.unlink(missing_ok=True)
    link.symlink_to(fifo)
    result = run_cli(project, *command, env={})  # (60 s timeout: a hang fails the test)
    assert "Traceback" not in result.stderr
    if result.returncode == 2:  # refused as a planted link
        assert f".locflow/{name}-cache.json" in result.stderr
    else:  # or ignored, and replaced by a cache file: never written through
        assert result.returncode in (0, 1), result.stderr
        assert not link.is_symlink() or link.resolve() == fifo
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


EVIL_TMX = b'<?xml version="1.0" encoding="X-EVIL"?>\n<tmx version="1.4"><body/></tmx>\n'
GOOD_TMX = (b'<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><body><tu>'
            b'<tuv xml:lang="en"><seg>Schools were closed on Monday.</seg></tuv>'
            b'<tuv xml:lang="es"><seg>Las escuelas cerraron el lunes.</seg></tuv>'
            b"</tu></body></tmx>\n")
WARNING = ("warning: left out of the translation memory: memory/x.tmx:1: not valid XML: "
           "declares an encoding locflow cannot read (use UTF-8)")


@pytest.mark.parametrize("command", [
    ["sync"], ["memory", "stats"], ["memory", "search", "Schools were closed on Monday."],
    ["memory", "import", "GOOD"],
])
def test_a_memory_in_an_unknown_encoding_is_left_out_with_a_warning(
    project: Path, tmp_path: Path, command: list[str]
) -> None:
    """A committed memory/x.tmx declaring encoding="X-EVIL" crashed these commands with
    a LookupError traceback."""
    (project / "memory").mkdir()
    (project / "memory" / "x.tmx").write_bytes(EVIL_TMX)
    good = tmp_path / "agency.tmx"
    good.write_bytes(GOOD_TMX)
    result = run_cli(project, *[str(good) if c == "GOOD" else c for c in command], env={})
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert WARNING in result.stderr.splitlines()


def test_importing_a_memory_in_an_unknown_encoding_is_refused(
    project: Path, tmp_path: Path
) -> None:
    evil = tmp_path / "x.tmx"
    evil.write_bytes(EVIL_TMX)
    result = run_cli(project, "memory", "import", str(evil), env={})
    assert_one_line_error(result, "x.tmx:1", "encoding")
    assert not (project / "memory").exists()


@pytest.mark.parametrize("url", ["javascript:alert(document.cookie)//", "data:text/html,x",
                                 "ftp://example.com/", "//example.com/"])
def test_a_base_url_that_is_not_http_is_refused(project: Path, url: str) -> None:
    """``javascript:`` as [build] base_url became every canonical, hreflang, sitemap and
    article.json URL of the site."""
    config = project / "locflow.toml"
    config.write_text(config.read_text(encoding="utf-8") + f'\n[build]\nbase_url = "{url}"\n',
                      encoding="utf-8")
    result = run_cli(project, "build", env={})
    assert_one_line_error(result, "locflow.toml:6: [build] base_url", "http:// or https://")
    assert not (project / "dist").exists()
