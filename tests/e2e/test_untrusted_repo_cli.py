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
    result = locflow("status", "--locale", "ZH-hans", ok=True)
    assert "locales/zh_Hans/articles/vote.po" in result.stdout
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
