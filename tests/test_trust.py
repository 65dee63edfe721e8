"""Unit tests of :mod:`locflow.trust`: ``[review]`` read from the base ref, what changed,
and git run safely (issue 17)."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from locflow import trust
from locflow.config import Editor
from locflow.errors import ConfigError, InputError
from locflow.model import Severity
from locflow.trust import ReviewSettings, changes, check_ref, settings_at, working_tree_note

ANA = Editor("Ana Ruiz", "ana@paper.example")
DESK = Editor("desk-editor")
REVIEW = '[project]\nname = "x"\n\n[review]\neditors = ["Ana Ruiz <ana@paper.example>"]\n'


@pytest.fixture(autouse=True)
def _no_user_git_config(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")


def run_git(root: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "Ana", "GIT_AUTHOR_EMAIL": "ana@paper.example",
           "GIT_COMMITTER_NAME": "Ana", "GIT_COMMITTER_EMAIL": "ana@paper.example"}
    return subprocess.run(["git", "-C", str(root), *args], env=env, check=True,
                          capture_output=True, text=True).stdout


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    run_git(root, "init", "-q", "-b", "main")
    (root / "locflow.toml").write_text(REVIEW)
    run_git(root, "add", "-A")
    run_git(root, "commit", "-q", "-m", "editors")
    return root


def commit(root: Path, path: str, text: str | bytes) -> None:
    file = root / path
    file.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        file.write_bytes(text)
    else:
        file.write_text(text)
    run_git(root, "add", "-A")
    run_git(root, "commit", "-q", "-m", "change")


@pytest.mark.parametrize("ref", ["origin/main", "refs/remotes/origin/main", "HEAD~1", "main^",
                                 "@{u}", "v1.2+x", "_x", "a" * 255, "0123abc"])
def test_revisions_that_are_accepted(ref: str) -> None:
    assert check_ref(ref) == ref


@pytest.mark.parametrize("ref", ["", "-", "--output=/tmp/x", "main:locflow.toml", "a b",
                                 "main..feature", "main\n", ".hidden", "a" * 256, "é"])
def test_revisions_that_are_refused(ref: str) -> None:
    with pytest.raises(InputError, match=r"--base: .* is not a git revision"):
        check_ref(ref)


def test_settings_at_the_base(repo: Path) -> None:
    found = settings_at(repo, "main")
    assert found == ReviewSettings((ANA,), False, "main:locflow.toml")
    sha = run_git(repo, "rev-parse", "main").strip()
    commit(repo, "locflow.toml", '[review]\neditors = ["desk-editor"]\nrequire_signed = true\n')
    assert settings_at(repo, "main") == ReviewSettings((DESK,), True, "main:locflow.toml")
    assert settings_at(repo, "main~1") == ReviewSettings((ANA,), False, "main~1:locflow.toml")
    assert settings_at(repo, sha).editors == (ANA,)
    commit(repo, "locflow.toml", "[project]\n")
    assert settings_at(repo, "main") == ReviewSettings((), False, "main:locflow.toml")


def test_a_project_in_a_folder_of_the_repository(repo: Path) -> None:
    commit(repo, "site/locflow.toml", '[review]\neditors = ["desk-editor"]\n')
    assert settings_at(repo / "site", "main").editors == (DESK,)
    assert settings_at(repo, "main").editors == (ANA,)


def test_a_base_that_cannot_be_read(repo: Path, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no commit nosuch in this repository"):
        settings_at(repo, "nosuch")
    run_git(repo, "tag", "main")
    with pytest.raises(InputError, match=r"main is ambiguous .* refs/remotes/origin/main$"):
        settings_at(repo, "main")
    run_git(repo, "tag", "-d", "main")
    tree = run_git(repo, "rev-parse", "main^{tree}").strip()
    with pytest.raises(InputError, match="no commit"):  # a tree is no commit
        settings_at(repo, tree)
    with pytest.raises(InputError, match="not in a git repository"):
        settings_at(tmp_path, "main")
    with pytest.raises(InputError, match="not a git revision"):
        settings_at(repo, "--output=x")
    with pytest.raises(InputError, match="not in a git repository"):
        settings_at(repo / ".git", "main")  # (no work tree there)
    run_git(repo, "rm", "-q", "locflow.toml")
    run_git(repo, "commit", "-q", "-m", "gone")
    with pytest.raises(ConfigError, match=r"^main:locflow.toml: main has no locflow.toml"):
        settings_at(repo, "main")


@pytest.mark.parametrize(("text", "message"), [
    (b"[review]\neditors = [\"\xff\"]\n", "^main:locflow.toml: not UTF-8 text$"),
    (b"[review\n", r"^main:locflow.toml: invalid TOML: .*\(at line 1"),
    (b"a = " + b"[" * 5000 + b"]" * 5000, "^main:locflow.toml: invalid TOML: nested too deeply"),
    (b"[review]\nrequire_signed = 1\n", r"^main:locflow.toml:2: \[review\] require_signed"),
    (b"review = 1\n", r"^main:locflow.toml:1: \[review\] must be a table"),
    (b"[review]\neditor = []\n", r"^main:locflow.toml:2: unknown key editor in \[review\]"),
])
def test_an_invalid_review_section_at_the_base(repo: Path, text: bytes, message: str) -> None:
    commit(repo, "locflow.toml", text)
    with pytest.raises(ConfigError, match=message):
        settings_at(repo, "main")


def test_only_the_review_section_is_read(repo: Path) -> None:
    commit(repo, "locflow.toml", REVIEW + '\n[future]\nsetting = "unknown to this locflow"\n')
    assert settings_at(repo, "main").editors == (ANA,)


def test_git_missing_or_too_slow(repo: Path, tmp_path: Path,
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    sleep = shutil.which("sleep")
    bin_ = tmp_path / "bin"
    bin_.mkdir()
    monkeypatch.setenv("PATH", str(bin_))
    with pytest.raises(InputError, match=r"^git is not installed"):
        settings_at(repo, "main")
    (bin_ / "git").write_text(f"#!/bin/sh\nexec {sleep} 5\n")
    (bin_ / "git").chmod(0o755)
    monkeypatch.setattr(trust, "TIMEOUT", 0.2)
    with pytest.raises(InputError, match=r"repo: git rev-parse took longer than 0\.2 s$"):
        settings_at(repo, "main")


def test_git_gets_the_environment_and_what_is_added(repo: Path) -> None:
    result = trust.git(repo, "var", "GIT_AUTHOR_IDENT", env={"GIT_AUTHOR_NAME": "Zed",
                                                            "GIT_AUTHOR_EMAIL": "z@x"})
    assert result.stdout.startswith(b"Zed <")
    blob = hashlib.sha1(b"blob 1\x00x").hexdigest().encode()  # git's own name of the blob
    assert trust.git(repo, "hash-object", "--stdin", stdin=b"x").stdout.strip() == blob


BASE = ReviewSettings((ANA, DESK), True, "origin/main:locflow.toml")


def test_what_changed_is_an_error_each() -> None:
    text = "[review]\n# who\nrequire_signed = false\neditors = [\n  'x',\n]\n"
    mallory = Editor("mallory", "m@evil.example")
    found = changes(BASE, ReviewSettings((mallory, ANA), False, "locflow.toml"),
                    "locflow.toml", text)
    assert [(f.check, f.severity, f.path, f.line, f.msgid) for f in found] == [
        ("trust-settings-changed", Severity.ERROR, "locflow.toml", 4, "")] * 2 + [
        ("trust-settings-changed", Severity.ERROR, "locflow.toml", 3, "")]
    assert [f.message for f in found] == [
        "[review] editors adds 'mallory <m@evil.example>', which origin/main:locflow.toml "
        "does not list: approvals are verified against origin/main:locflow.toml",
        "[review] editors drops 'desk-editor', whom origin/main:locflow.toml lists: "
        "approvals are verified against origin/main:locflow.toml",
        "[review] require_signed is false here and true in origin/main:locflow.toml, which "
        "applies"]
    assert changes(BASE, ReviewSettings((DESK, ANA), True, "locflow.toml"), "locflow.toml",
                   text) == []  # the same list in another order


def test_a_long_editor_is_cut_short() -> None:
    long = Editor("N" * 70, "n@paper.example")  # 88 characters
    found = changes(BASE, ReviewSettings((long, ANA, DESK), True, "locflow.toml"),
                    "locflow.toml", None)
    assert [f.message.split(", which")[0] for f in found] == [
        f"[review] editors adds '{'N' * 70} <n@paper.'…"]


def test_the_lines_of_changes_without_the_keys() -> None:
    current = ReviewSettings((), False, "locflow.toml")
    assert {f.line for f in changes(BASE, current, "locflow.toml", "[project]\n\n[review]\n")} == {
        3}
    assert {f.line for f in changes(BASE, current, "locflow.toml", None)} == {1}


def test_the_note_on_the_working_tree() -> None:
    note = working_tree_note("locflow.toml", "[project]\n[review]\neditors = []\n")
    assert (note.check, note.severity, note.path, note.line, note.msgid) == (
        "trust-from-working-tree", Severity.WARNING, "locflow.toml", 2, "")
    assert note.message.startswith("the editor list ([review] editors, require_signed) was "
                                   "read from the working tree, which the branch under review "
                                   "can change: pass --base REF")
    assert working_tree_note("locflow.toml", None, strict=True).severity is Severity.ERROR
    assert working_tree_note("locflow.toml", None).line == 1
