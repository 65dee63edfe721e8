"""End to end: ``locflow check --verify-approvals`` against real git histories.

Issue 7: an approval comment has no secret, so anyone who can edit a PO file can
write one. With ``[review] editors`` listed, each approval must have been committed
by one of them under the name it records.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from locflow.catalog import pofile
from tests.conftest import Invoke
from tests.e2e.test_check_cli import ES, fill

ANA = ("Ana Ruiz", "ana@paper.example")  # the editor
BOB = ("Bob Lee", "bob@paper.example")  # a translator
ES_VOTE = "locales/es/articles/vote.po"


def git(root: Path, *args: str, who: tuple[str, str] = BOB) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": who[0], "GIT_AUTHOR_EMAIL": who[1],
           "GIT_COMMITTER_NAME": who[0], "GIT_COMMITTER_EMAIL": who[1],
           "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    return subprocess.run(["git", "-C", str(root), *args], env=env, check=True,
                          capture_output=True, text=True).stdout


def commit(root: Path, message: str, who: tuple[str, str], *extra: str) -> None:
    git(root, "add", "-A", who=who)
    git(root, "commit", "-q", *extra, "-m", message, who=who)


@pytest.fixture
def repo(locflow: Invoke, project: Path) -> Path:
    """The project in git: Bob translated the vote article into Spanish; Ana is the editor."""
    with (project / "locflow.toml").open("a", encoding="utf-8") as config:
        config.write('\n[review]\neditors = ["Ana Ruiz <ana@paper.example>", "Desk"]\n')
    locflow("sync", ok=True)
    fill(project / ES_VOTE, ES)
    git(project, "init", "-q", "-b", "main")
    commit(project, "translate", BOB)
    return project


def approve(locflow: Invoke, root: Path, name: str, *selection: str) -> None:
    locflow("review", "approve", "--by", name, *(selection or ("--article", "vote")), ok=True)


def verify(locflow: Invoke, *args: str) -> tuple[int, list[dict[str, object]]]:
    result = locflow("check", "--locale", "es", "--article", "vote", "--require", "approved",
                     "--verify-approvals", "--format", "json", *args)
    assert result.exit_code in (0, 1), result.stderr
    return result.exit_code, json.loads(result.stdout)["findings"]


def test_an_approval_committed_by_the_editor_is_verified(locflow: Invoke, repo: Path) -> None:
    approve(locflow, repo, "Ana Ruiz")
    commit(repo, "approve", ANA)
    assert verify(locflow) == (0, [])


def test_an_approval_written_by_a_translator_is_forged(locflow: Invoke, repo: Path) -> None:
    """Bob writes Ana's approval (the hash is valid: it has no secret) and commits it."""
    approve(locflow, repo, "Ana Ruiz")
    commit(repo, "looks approved", BOB)
    assert locflow("check", "--article", "vote", "--locale", "es",
                   "--require", "approved").exit_code == 0  # without verification: passes
    code, findings = verify(locflow)
    assert code == 1 and len(findings) == 5
    assert {f["check"] for f in findings} == {"forged-approval"}
    assert findings[0]["message"].startswith(
        "approval by Ana Ruiz committed by Bob Lee <bob@paper.example> (")
    line = (repo / ES_VOTE).read_text("utf-8").splitlines()[int(findings[0]["line"]) - 1]
    assert line.startswith("# locflow-approved: ") and "Ana Ruiz" in line


def test_forged_approvals_are_errors_in_every_format(locflow: Invoke, repo: Path) -> None:
    approve(locflow, repo, "Ana Ruiz")
    commit(repo, "looks approved", BOB)
    base = ("check", "--article", "vote", "--locale", "es", "--verify-approvals", "--format")
    junit = ET.fromstring(locflow(*base, "junit").stdout.encode())
    assert {f.get("type") for f in junit.iter("failure")} == {"forged-approval"}
    sarif = json.loads(locflow(*base, "sarif").stdout)["runs"][0]
    assert {r["ruleId"] for r in sarif["results"]} == {"forged-approval"}
    assert {r["level"] for r in sarif["results"]} == {"error"}
    assert "forged-approval" in {rule["id"] for rule in sarif["tool"]["driver"]["rules"]}
    github = locflow(*base, "github")
    assert github.exit_code == 1
    assert all(line.startswith("::error ") and "forged-approval" in line
               for line in github.stdout.splitlines())
    text = locflow(*base, "text")
    assert text.exit_code == 1 and text.stdout.count("error [forged-approval]") == 5


def test_uncommitted_and_unlisted_approvals(locflow: Invoke, repo: Path) -> None:
    approve(locflow, repo, "Ana Ruiz", "--msgid", "Roads", str(repo / ES_VOTE))
    code, findings = verify(locflow)  # not committed yet
    assert code == 1
    assert [f["message"] for f in findings if f["check"] == "forged-approval"] == [
        "approval by Ana Ruiz is not committed: it cannot be verified"]
    commit(repo, "approve roads", ANA)
    approve(locflow, repo, "Carla", "--msgid", "mayor", str(repo / ES_VOTE))  # no editor
    commit(repo, "approve mayor", ANA)
    code, findings = verify(locflow)
    assert [f["message"] for f in findings if f["check"] == "forged-approval"] == [
        "approval by Carla, who is not a listed editor ([review] editors)"]


def test_an_editor_listed_by_name_matches_the_author_name(locflow: Invoke, repo: Path) -> None:
    approve(locflow, repo, "Desk")
    commit(repo, "approve", ("Desk", "desk@elsewhere.example"))
    assert verify(locflow) == (0, [])
    with pofile.edit(repo / ES_VOTE) as catalog:  # a new approval under Bob's commit
        entry = next(e for e in catalog.active() if e.msgid.startswith("Roads"))
        entry.msgstr = entry.msgstr.replace("carreteras", "calles")
    approve(locflow, repo, "Desk", "--msgid", "Roads", str(repo / ES_VOTE))
    commit(repo, "fix and approve", ("Desk Two", "desk@elsewhere.example"))
    code, findings = verify(locflow)
    assert code == 1 and len(findings) == 1 and "who is not Desk" in str(findings[0]["message"])
    assert findings[0]["check"] == "forged-approval"


def test_stale_approvals_and_moved_lines(locflow: Invoke, repo: Path) -> None:
    """A sync by a translator that reorders entries keeps Ana's approvals (blame -M);
    a stale approval approves nothing and is not checked."""
    approve(locflow, repo, "Ana Ruiz")
    commit(repo, "approve", ANA)
    article = repo / "content/vote.md"
    head, body = article.read_text("utf-8").split("---\n\n", 1)
    paragraphs = body.strip("\n").split("\n\n")
    article.write_text(head + "---\n\n" + "\n\n".join(reversed(paragraphs)) + "\n", "utf-8")
    locflow("sync", ok=True)
    commit(repo, "reorder", BOB)
    assert git(repo, "diff", "HEAD~1", "--stat", "--", ES_VOTE)  # the lines moved
    assert verify(locflow) == (0, [])
    with pofile.edit(repo / ES_VOTE) as catalog:  # Bob edits an approved text
        entry = next(e for e in catalog.active() if e.msgid.startswith("Roads"))
        entry.msgstr = entry.msgstr.replace("carreteras", "calles")
    commit(repo, "edit", BOB)
    code, findings = verify(locflow)
    assert code == 1 and {f["check"] for f in findings} == {"unapproved"}  # stale, not forged


def test_a_mailmap_cannot_turn_a_translator_into_the_editor(locflow: Invoke, repo: Path) -> None:
    (repo / ".mailmap").write_text("Ana Ruiz <ana@paper.example> <bob@paper.example>\n", "utf-8")
    commit(repo, "mailmap", BOB)
    approve(locflow, repo, "Ana Ruiz")
    commit(repo, "approve", BOB)
    assert "Ana Ruiz" in git(repo, "log", "-1", "--format=%aN")  # git log would say Ana
    code, findings = verify(locflow)
    assert code == 1 and len(findings) == 5


def test_what_cannot_be_verified_is_bad_input(locflow: Invoke, repo: Path,
                                              tmp_path: Path) -> None:
    approve(locflow, repo, "Ana Ruiz")
    commit(repo, "approve", ANA)
    shallow = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo}", str(shallow)],
                   check=True)
    result = locflow("check", "--verify-approvals", root=shallow)
    assert result.exit_code == 2 and "shallow clone" in result.stderr
    shutil.rmtree(repo / ".git")
    result = locflow("check", "--verify-approvals")
    assert result.exit_code == 2 and "not in a git repository" in result.stderr
    (repo / "locflow.toml").write_text('[project]\ntarget_locales = ["es"]\n', "utf-8")
    result = locflow("check", "--verify-approvals")
    assert result.exit_code == 2 and "[review] editors" in result.stderr


def test_bad_editor_entries_are_config_errors(locflow: Invoke, project: Path) -> None:
    for value in ('"Ana <ana>"', '"Ana: Ruiz"', "42", '""'):
        (project / "locflow.toml").write_text(f"[review]\neditors = [{value}]\n", "utf-8")
        result = locflow("status")
        assert result.exit_code == 2 and "locflow.toml" in result.stderr, value


@pytest.mark.skipif(shutil.which("ssh-keygen") is None, reason="needs ssh-keygen")
def test_require_signed(locflow: Invoke, repo: Path, tmp_path: Path) -> None:
    """With require_signed, Ana's commit must carry her good signature (SSH signing)."""
    keys = {}
    for who in ("ana", "bob"):
        key = tmp_path / who
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", who, "-f", str(key)],
                       check=True)
        keys[who] = key
    allowed = tmp_path / "allowed_signers"
    allowed.write_text(
        f"ana@paper.example {(tmp_path / 'ana.pub').read_text().strip()}\n"
        f"bob@paper.example {(tmp_path / 'bob.pub').read_text().strip()}\n", "utf-8")
    git(repo, "config", "gpg.format", "ssh")
    git(repo, "config", "gpg.ssh.allowedSignersFile", str(allowed))
    with (repo / "locflow.toml").open("a", encoding="utf-8") as config:
        config.write("require_signed = true\n")
    approve(locflow, repo, "Ana Ruiz", "--msgid", "Roads", str(repo / ES_VOTE))
    commit(repo, "approve unsigned", ANA)
    code, findings = verify(locflow)
    findings = [f for f in findings if f["check"] == "forged-approval"]
    assert code == 1 and "which is not signed" in str(findings[0]["message"])
    approve(locflow, repo, "Ana Ruiz", "--msgid", "mayor", str(repo / ES_VOTE))
    commit(repo, "approve, signed by Bob's key", ANA, f"-S{keys['bob']}")
    approve(locflow, repo, "Ana Ruiz", "--msgid", "Council", str(repo / ES_VOTE))
    commit(repo, "approve signed", ANA, f"-S{keys['ana']}")
    code, findings = verify(locflow)
    messages = sorted(str(f["message"]) for f in findings if f["check"] == "forged-approval")
    assert len(messages) == 2  # Ana's own signed commit passes
    assert sum("which is signed by bob@paper.example (G)" in m for m in messages) == 1
    assert sum("which is not signed" in m for m in messages) == 1
