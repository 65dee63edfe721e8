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


def verify(locflow: Invoke, *args: str, base: str | None = "main",
           root: Path | None = None) -> tuple[int, list[dict[str, object]]]:
    """``check --verify-approvals --base main`` (the branch the work merges into)."""
    result = locflow("check", "--locale", "es", "--article", "vote", "--require", "approved",
                     "--verify-approvals", *(("--base", base) if base else ()),
                     "--format", "json", *args, root=root)
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
    base = ("check", "--article", "vote", "--locale", "es", "--verify-approvals",
            "--base", "main", "--format")
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


def test_an_editor_listed_by_name_is_not_proven_by_an_author_name(locflow: Invoke,
                                                                   repo: Path) -> None:
    """Issue 17: "Desk" (no e-mail) is what anyone can put in user.name; an unsigned
    commit by an author called Desk proves nothing (it used to verify)."""
    approve(locflow, repo, "Desk")
    commit(repo, "approve", ("Desk", "desk@elsewhere.example"))
    code, findings = verify(locflow)
    assert code == 1 and len(findings) == 5
    assert {f["check"] for f in findings} == {"forged-approval"}
    assert str(findings[0]["message"]).endswith(
        "which is not signed: Desk is listed by name only, which only a good signature by a "
        "key trusted for that name proves")


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
    result = locflow("check", "--verify-approvals", "--base", "main")
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


# -- issue 17: a pull request cannot change who is trusted ---------------------------------

MALLORY = ("mallory", "m@evil.example")
SARIF_SCHEMA = Path(__file__).resolve().parents[3] / "shared/standards/sarif-schema-2.1.0.json"


def set_editors(root: Path, editors: str, extra: str = "") -> None:
    """Replace the [review] section of the working tree's locflow.toml."""
    config = root / "locflow.toml"
    head = config.read_text("utf-8").split("\n[review]\n")[0]
    config.write_text(f"{head}\n[review]\neditors = [{editors}]\n{extra}", "utf-8")


def test_a_branch_that_adds_its_author_as_an_editor_fails_against_the_base(
        locflow: Invoke, repo: Path) -> None:
    """Mallory's branch lists mallory as an editor, approves as mallory and commits as
    mallory: against its own locflow.toml that verifies (exit 0 before issue 17); against
    the branch it merges into (--base main) every approval is forged, and the change of
    the editor list is an error of its own."""
    git(repo, "switch", "-q", "-c", "feature")
    set_editors(repo, '"Ana Ruiz <ana@paper.example>", "Desk", "mallory <m@evil.example>"')
    approve(locflow, repo, "mallory")
    commit(repo, "approve my own work", MALLORY)
    code, findings = verify(locflow)
    assert code == 1
    assert [f["check"] for f in findings] == ["forged-approval"] * 5 + ["trust-settings-changed"]
    assert all("mallory, who is not a listed editor" in str(f["message"])
               for f in findings[:5])
    changed = findings[5]
    assert changed["path"] == "locflow.toml" and changed["severity"] == "error"
    assert changed["message"] == (
        "[review] editors adds 'mallory <m@evil.example>', which main:locflow.toml does not "
        "list: approvals are verified against main:locflow.toml")
    line = (repo / "locflow.toml").read_text("utf-8").splitlines()[int(changed["line"]) - 1]
    assert line.startswith("editors = ")
    # without --base the branch's own list is used, and the report says so
    code, findings = verify(locflow, base=None)
    assert code == 0 and [f["check"] for f in findings] == ["trust-from-working-tree"]
    assert findings[0]["severity"] == "warning"
    assert "read from the working tree" in str(findings[0]["message"])


def test_a_branch_that_narrows_the_list_to_a_name_it_spoofs_fails(locflow: Invoke,
                                                                  repo: Path) -> None:
    """The branch lists "Ana Ruiz" by name only and commits as Ana Ruiz from another
    address: neither the base's list nor a name-only entry lets that through."""
    git(repo, "switch", "-q", "-c", "feature")
    set_editors(repo, '"Ana Ruiz"')
    approve(locflow, repo, "Ana Ruiz")
    commit(repo, "approve", ("Ana Ruiz", "m@evil.example"))
    code, findings = verify(locflow)
    assert code == 1
    forged = [str(f["message"]) for f in findings if f["check"] == "forged-approval"]
    assert len(forged) == 5 and all(
        "committed by Ana Ruiz <m@evil.example>" in m and m.endswith("who is not Ana Ruiz")
        for m in forged)
    assert sorted(str(f["message"]).split(",")[0] for f in findings
                  if f["check"] == "trust-settings-changed") == [
        "[review] editors adds 'Ana Ruiz'",
        "[review] editors drops 'Ana Ruiz <ana@paper.example>'",
        "[review] editors drops 'Desk'"]
    code, findings = verify(locflow, base=None)  # its own list: a name needs a signature
    assert code == 1 and sum(f["check"] == "forged-approval" for f in findings) == 5
    assert "listed by name only" in str(findings[0]["message"])


def test_require_signed_comes_from_the_base(locflow: Invoke, repo: Path) -> None:
    with (repo / "locflow.toml").open("a", encoding="utf-8") as config:
        config.write("require_signed = true\n")
    commit(repo, "signatures required", ANA)
    git(repo, "switch", "-q", "-c", "feature")
    text = (repo / "locflow.toml").read_text("utf-8")
    (repo / "locflow.toml").write_text(text.replace("require_signed = true", ""), "utf-8")
    approve(locflow, repo, "Ana Ruiz")
    commit(repo, "approve, unsigned", ANA)
    assert verify(locflow, base=None)[0] == 0  # the branch's settings: no signature needed
    code, findings = verify(locflow)
    assert code == 1
    assert sum("which is not signed" in str(f["message"]) for f in findings) == 5
    assert [f["message"] for f in findings if f["check"] == "trust-settings-changed"] == [
        "[review] require_signed is false here and true in main:locflow.toml, which applies"]


def test_an_unchanged_list_verifies_against_the_base(locflow: Invoke, repo: Path) -> None:
    git(repo, "switch", "-q", "-c", "feature")
    approve(locflow, repo, "Ana Ruiz")
    commit(repo, "approve", ANA)
    assert verify(locflow) == (0, [])
    assert verify(locflow, base="refs/heads/main") == (0, [])
    sha = git(repo, "rev-parse", "main").strip()
    assert verify(locflow, base=sha[:12]) == (0, [])
    # the project in a folder of the repository: --base reads its locflow.toml
    nested = repo.parent / "newsroom"
    (nested / "site").parent.mkdir(exist_ok=True)
    shutil.move(str(repo / ".git"), str(nested / ".git"))
    shutil.move(str(repo), str(nested / "site"))
    git(nested, "add", "-A")
    git(nested, "commit", "-q", "-m", "move into site/", who=ANA)
    git(nested, "branch", "-f", "main")
    assert verify(locflow, root=nested / "site") == (0, [])


def test_the_base_ref_is_checked(locflow: Invoke, repo: Path) -> None:
    def fails(*args: str) -> str:
        result = locflow("check", "--locale", "es", "--verify-approvals", *args)
        assert result.exit_code == 2, result.stdout + result.stderr
        assert result.stderr.count("\n") == 1, result.stderr  # one line
        return result.stderr

    assert "not a git revision" in fails("--base", "--output=/tmp/x")
    assert "not a git revision" in fails("--base", "main:secrets.toml")
    assert "not a git revision" in fails("--base", "main..feature")
    assert "no commit nosuch in this repository" in fails("--base", "nosuch")
    git(repo, "tag", "main")  # a tag shadowing the branch
    assert "main is ambiguous" in fails("--base", "main")
    git(repo, "tag", "-d", "main")
    git(repo, "switch", "-q", "--orphan", "empty")
    git(repo, "commit", "-q", "--allow-empty", "-m", "nothing")
    git(repo, "switch", "-q", "main")
    assert "empty has no locflow.toml" in fails("--base", "empty")
    result = locflow("check", "--base", "main")
    assert result.exit_code == 2 and "--base only applies with --verify-approvals" in (
        result.stderr)
    (repo / "locflow.toml").write_text('[project]\ntarget_locales = ["es"]\n', "utf-8")
    commit(repo, "no editors", ANA)
    assert "main:locflow.toml: --verify-approvals needs the editors listed" in fails(
        "--base", "main")
    for committed, error in (('[review]\neditors = ["Ana <ana>"]\n',
                              "Error: main:locflow.toml:2: [review] editors: an editor is "),
                             ("[review]\nrequire_signed = 1\n",
                              "Error: main:locflow.toml:2: [review] require_signed: must be "),
                             ("[review\n", "Error: main:locflow.toml: invalid TOML: "),
                             ("review = 1\n", "Error: main:locflow.toml:1: [review] must be "),
                             ("x = '\udcff'\n".encode("utf-8", "surrogateescape").decode(
                                 "latin-1"), "Error: main:locflow.toml: ")):
        (repo / "locflow.toml").write_text(committed, "utf-8")
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", "broken", who=ANA)
        (repo / "locflow.toml").write_text('[review]\neditors = ["Ana Ruiz"]\n', "utf-8")
        assert fails("--base", "main").startswith(error)


def test_the_note_and_the_change_in_every_format(locflow: Invoke, repo: Path) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    git(repo, "switch", "-q", "-c", "feature")
    set_editors(repo, '"Ana Ruiz <ana@paper.example>"')
    commit(repo, "drop Desk", BOB)
    base = ("check", "--article", "vote", "--locale", "es", "--verify-approvals", "--format")
    text = locflow(*base, "text")
    assert text.exit_code == 0  # the note is a warning
    assert ("locflow.toml:5: warning [trust-from-working-tree] the editor list ([review] "
            "editors, require_signed) was read from the working tree") in text.stdout
    changed = locflow(*base, "text", "--base", "main").stdout
    assert "locflow.toml:6: error [trust-settings-changed] [review] editors drops 'Desk'" in (
        changed)
    assert "trust-from-working-tree" not in changed
    for args in ((), ("--base", "main")):
        sarif = json.loads(locflow(*base, "sarif", *args).stdout)
        if SARIF_SCHEMA.exists():
            jsonschema.validate(sarif, json.loads(SARIF_SCHEMA.read_text("utf-8")))
        results = {r["ruleId"]: r for r in sarif["runs"][0]["results"]}
        rule = "trust-settings-changed" if args else "trust-from-working-tree"
        uri = results[rule]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        assert uri == "locflow.toml"
        junit = ET.fromstring(locflow(*base, "junit", *args).stdout.encode())
        assert "locflow.toml" in {s.get("name") for s in junit.iter("testsuite")}
        github = locflow(*base, "github", *args).stdout
        assert f"file=locflow.toml,line={5 + bool(args)},title=locflow {rule}::" in github
    # a baseline, committed by the branch, cannot hide either
    baseline = str(repo.parent / "baseline.json")
    locflow("check", "--verify-approvals", "--base", "main", "--write-baseline", baseline)
    result = locflow("check", "--verify-approvals", "--base", "main", "--baseline", baseline,
                     "--format", "json")
    assert "trust-settings-changed" in {f["check"] for f in json.loads(result.stdout)["findings"]}
    strict = locflow(*base, "json", "--strict")
    note = [f for f in json.loads(strict.stdout)["findings"]
            if f["check"] == "trust-from-working-tree"]
    assert note[0]["severity"] == "error"


# -- issue 17: the verifier blames the line the review state counts ------------------------


def _insert_above(path: Path, msgid: str, line: str) -> None:
    """Put *line* at the top of the comment block of the entry of *msgid*."""
    lines = path.read_text("utf-8").split("\n")
    at = lines.index(f'msgid "{msgid}"')
    while lines[at - 1].startswith(("#", "msgctxt")):
        at -= 1
    lines.insert(at, line)
    path.write_text("\n".join(lines), "utf-8")


@pytest.mark.parametrize("editors_line", [
    "# locflow-approved: 2024-11-01 Ana Ruiz",  # an old approval, without the hash
    "#\tlocflow-approved: 2024-11-05 Ana Ruiz ({hash})",  # tab-indented: not an approval
])
@pytest.mark.parametrize("editor_below", [True, False])
def test_an_editors_other_line_does_not_vouch_for_a_forged_one(
        locflow: Invoke, repo: Path, editors_line: str, editor_below: bool) -> None:
    """Ana committed a line that looks like an approval but is none; Bob writes a valid
    approval in Ana's name in the same comment block. The review state counts Bob's
    line, so git must be asked about Bob's line (the verifier used to take the line
    nearest the msgid starting with "# locflow-approved:", Ana's)."""
    from locflow.review import entry_state, text_hash

    po = repo / ES_VOTE
    roads = "Roads will get $4.2 million, the largest share."
    entry = next(e for e in pofile.load(po).active() if e.msgid == roads)
    valid = f"# locflow-approved: 2024-11-05 Ana Ruiz ({text_hash(entry)})"
    anas = editors_line.format(hash=text_hash(entry))
    _insert_above(po, roads, anas)
    commit(repo, "Ana's line", ANA)
    if editor_below:  # Bob's line first: Ana's is the one nearest the msgid
        _insert_above(po, roads, valid)
    else:
        po.write_text(po.read_text("utf-8").replace(anas + "\n", f"{anas}\n{valid}\n"),
                      "utf-8")
    commit(repo, "approve roads", BOB)
    entry = next(e for e in pofile.load(po).active() if e.msgid == roads)
    assert entry_state(entry).value == "approved"  # Bob's line counts
    code, findings = verify(locflow)
    forged = [f for f in findings if f["check"] == "forged-approval"]
    assert code == 1 and len(forged) == 1
    assert str(forged[0]["message"]).startswith(
        "approval by Ana Ruiz committed by Bob Lee <bob@paper.example> (")
    assert po.read_text("utf-8").splitlines()[int(forged[0]["line"]) - 1] == valid


@pytest.mark.skipif(shutil.which("ssh-keygen") is None, reason="needs ssh-keygen")
def test_an_editor_listed_by_name_is_proven_by_a_key_ci_trusts(locflow: Invoke, repo: Path,
                                                                tmp_path: Path) -> None:
    """"Desk" is a role: CI's allowed-signers file names the keys that may sign as Desk
    (principal "Desk"); who commits does not matter, whose key signed does."""
    keys = {}
    for who in ("carla", "bob"):
        keys[who] = tmp_path / who
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", who, "-f",
                        str(keys[who])], check=True)
    allowed = tmp_path / "allowed_signers"
    allowed.write_text(f"Desk {(tmp_path / 'carla.pub').read_text().strip()}\n"
                       f"bob@paper.example {(tmp_path / 'bob.pub').read_text().strip()}\n",
                       "utf-8")
    git(repo, "config", "gpg.format", "ssh")
    git(repo, "config", "gpg.ssh.allowedSignersFile", str(allowed))
    approve(locflow, repo, "Desk", "--msgid", "Roads", str(repo / ES_VOTE))
    commit(repo, "approve, signed by Carla's desk key", ("Carla", "carla@paper.example"),
           f"-S{keys['carla']}")
    code, findings = verify(locflow)
    assert code == 1 and {f["check"] for f in findings} == {"unapproved"}  # Roads verified
    approve(locflow, repo, "Desk", "--msgid", "mayor", str(repo / ES_VOTE))
    commit(repo, "approve, signed by Bob's key", ("Desk", "desk@paper.example"),
           f"-S{keys['bob']}")
    code, findings = verify(locflow)
    forged = [str(f["message"]) for f in findings if f["check"] == "forged-approval"]
    assert forged == [f"approval by Desk in commit {git(repo, 'rev-parse', 'HEAD')[:12]}, "
                      "which is signed by bob@paper.example (G): Desk is listed by name only, "
                      "which only a good signature by a key trusted for that name proves"]


def forged_only(findings: list[dict[str, object]]) -> list[dict[str, object]]:
    return [f for f in findings if f["check"] == "forged-approval"]


def test_the_outdated_text_of_a_living_page_is_vouched_for_by_its_editor(
        locflow: Invoke, repo: Path) -> None:
    """Ana approved; the English changed and Bob synced: the record of what Ana approved
    (which the page may show, marked outdated) traces back to Ana's commit."""
    approve(locflow, repo, "Ana Ruiz")
    commit(repo, "approve", ANA)
    article = repo / "content/vote.md"
    article.write_text(article.read_text().replace("on Tuesday", "on Wednesday"))
    locflow("sync", ok=True)
    assert "locflow-previous: " in (repo / ES_VOTE).read_text("utf-8")
    commit(repo, "update", BOB)
    _, findings = verify(locflow)
    assert forged_only(findings) == []


def test_a_forged_record_of_outdated_text_is_reported(locflow: Invoke, repo: Path) -> None:
    """Bob writes a locflow-previous record with a valid hash for text Ana never approved."""
    from locflow.review import previous_comment

    approve(locflow, repo, "Ana Ruiz")
    commit(repo, "approve", ANA)
    article = repo / "content/vote.md"
    article.write_text(article.read_text().replace("on Tuesday", "on Wednesday"))
    locflow("sync", ok=True)
    with pofile.edit(repo / ES_VOTE) as catalog:
        [entry] = [e for e in catalog.active() if "Wednesday" in e.msgid]
        old = pofile.Entry(msgid=entry.previous_msgid, msgstr="El concejo votó 9 a 0.",
                           tcomment="")
        from locflow.review import approve as approve_entry

        approve_entry(old, "Ana Ruiz", "2024-11-06")
        entry.tcomment = "\n".join(
            [x for x in entry.tcomment.split("\n") if not x.startswith("locflow-previous")]
            + [previous_comment(old) or ""])
    commit(repo, "update", BOB)
    _, findings = verify(locflow)
    [forged] = forged_only(findings)
    assert forged["message"].startswith("the approval of the outdated text the page may show: ")
