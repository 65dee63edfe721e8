"""Unit tests of :mod:`locflow.approvals`: which line is blamed, which commit wrote it, and
whether that commit proves an editor (``check --verify-approvals``; issues 7 and 17)."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from locflow import approvals, trust
from locflow.approvals import UNCOMMITTED, Commit, blame_lines, commits, counted_line, judge
from locflow.catalog import pofile
from locflow.config import Editor
from locflow.errors import InputError
from locflow.review import Approval, text_hash

ANA = Editor("Ana Ruiz", "ana@paper.example")
DESK = Editor("desk-editor")  # listed by name only
AUTHORS = {"ana": ("Ana Ruiz", "ana@paper.example"), "bob": ("Bob Lee", "bob@paper.example")}
HEADER = 'msgid ""\nmsgstr ""\n"Language: es\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n'


@pytest.fixture(autouse=True)
def _no_user_git_config(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")


def run_git(root: Path, *args: str, who: str = "bob") -> str:
    name, email = AUTHORS.get(who, (who, f"{who}@paper.example"))
    env = {**os.environ, "GIT_AUTHOR_NAME": name, "GIT_AUTHOR_EMAIL": email,
           "GIT_COMMITTER_NAME": name, "GIT_COMMITTER_EMAIL": email}
    return subprocess.run(["git", "-C", str(root), *args], env=env, check=True,
                          capture_output=True, text=True).stdout


def commit_all(root: Path, who: str, *extra: str) -> str:
    run_git(root, "add", "-A", who=who)
    run_git(root, "commit", "-q", *extra, "-m", f"by {who}", who=who)
    return run_git(root, "rev-parse", "HEAD").strip()


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    run_git(root, "init", "-q", "-b", "main")
    return root


def approved(msgid: str, msgstr: str, reviewer: str = "Ana Ruiz", msgctxt: str | None = None,
             date: str = "2024-11-05") -> str:
    """The approval comment line of that text."""
    entry = pofile.Entry(msgid=msgid, msgstr=msgstr, msgctxt=msgctxt)
    return f"# locflow-approved: {date} {reviewer} ({text_hash(entry)})"


def lines_of(path: Path) -> list[tuple[str, bytes]]:
    """The file's lines as :func:`blame_lines` gives them, without git."""
    return [("c" * 40, line) for line in path.read_bytes().split(b"\n")]


def counted(path: Path, msgid: str) -> tuple[int, Approval] | None:
    entry = next(e for e in pofile.load(path).active() if e.msgid == msgid)
    return counted_line(lines_of(path), entry)


# -- which line the review state counts ---------------------------------------------------


def test_an_approval_with_no_reference_line_above_it(tmp_path: Path) -> None:
    """An entry of a bare PO file: its approval sits right above the msgid."""
    po = tmp_path / "x.po"
    po.write_text(f'{HEADER}\n{approved("Yes", "Sí")}\nmsgid "Yes"\nmsgstr "Sí"\n', "utf-8")
    found = counted(po, "Yes")
    assert found is not None and found[0] == 5
    assert found[1] == Approval("2024-11-05", "Ana Ruiz", found[1].text_hash)


@pytest.mark.parametrize("other", [
    "# locflow-approved: 2024-11-01 Ana Ruiz",  # an old approval without the hash
    "#\tlocflow-approved: 2024-11-01 Ana Ruiz (0123456789ab)",  # tab-indented: no approval
    "#locflow-approved: 2024-11-01 Ana Ruiz (0123456789ab) ",  # counts too: the later one
])
def test_the_line_counted_is_the_line_blamed(tmp_path: Path, other: str) -> None:
    """Issue 17: another line starting like an approval, nearer the msgid, is not the one
    the review state counts, so it is not the one blamed."""
    po = tmp_path / "x.po"
    valid = approved("Yes", "Sí", msgctxt="title")
    po.write_text(f"{HEADER}\n# a note\n{valid}\n{other}\n#. title\n#: content/x.md\n"
                  f'#, fuzzy\n#| msgctxt "title"\n#| msgid "Yes?"\n'
                  f'msgctxt ""\n"title"\nmsgid "Yes"\nmsgstr "Sí"\n', "utf-8")
    entry = next(e for e in pofile.load(po).active())
    found = counted_line(lines_of(po), entry)
    index = 7 if other.startswith("#locflow") else 6
    assert found is not None and found[0] == index
    assert lines_of(po)[index][1].decode() == (other if index == 7 else valid)
    assert found[1].text_hash == (
        "0123456789ab" if index == 7 else text_hash(pofile.Entry(msgid="Yes", msgstr="Sí",
                                                                 msgctxt="title")))


def test_the_first_line_of_a_file(tmp_path: Path) -> None:
    po = tmp_path / "x.po"
    po.write_text(f'{approved("Yes", "Sí")}\nmsgid "Yes"\nmsgstr "Sí"\n', "utf-8")
    found = counted(po, "Yes")
    assert found is not None and found[0] == 0


def test_an_entry_right_after_another_without_a_blank_line(tmp_path: Path) -> None:
    po = tmp_path / "x.po"
    po.write_text(f'{HEADER}\n{approved("No", "No")}\nmsgid "No"\nmsgstr ""\n"No"\n'
                  f'{approved("Yes", "Sí")}\nmsgid "Yes"\nmsgstr "Sí"\n', "utf-8")
    found = counted(po, "Yes")
    assert found is not None and found[0] == 9
    found = counted(po, "No")
    assert found is not None and found[0] == 5


def test_an_obsolete_entry_above_is_not_read(tmp_path: Path) -> None:
    po = tmp_path / "x.po"
    po.write_text(f'{HEADER}\n{approved("Yes", "Sí")}\n#~ msgid "Old"\n#~ msgstr "Viejo"\n'
                  f'{approved("Yes", "Sí")}\nmsgid "Yes"\nmsgstr "Sí"\n', "utf-8")
    found = counted(po, "Yes")
    assert found is not None and found[0] == 8


def test_lines_that_are_not_the_entrys_comments_are_not_blamed(tmp_path: Path) -> None:
    po = tmp_path / "x.po"
    po.write_text(f'{HEADER}\n{approved("Yes", "Sí")}\nmsgid "Yes"\nmsgstr "Sí"\n', "utf-8")
    entry = next(e for e in pofile.load(po).active())
    lines = lines_of(po)
    assert counted_line(lines, entry) is not None
    changed = [*lines[:5], ("c" * 40, b"# a comment the parsed catalog does not have"),
               *lines[5:]]
    entry.line += 1
    assert counted_line(changed, entry) is None
    entry.line = 0  # an entry from nowhere
    assert counted_line(lines, entry) is None
    entry.line = 99  # lines that are not the file the catalog was read from
    assert counted_line(lines, entry) is None
    po.write_text(f'{HEADER}\n# locflow-approved: 2024-11-05 Ana Ruiz\nmsgid "Yes"\n'
                  'msgstr "Sí"\n', "utf-8")  # the entry's comments, without an approval
    assert counted(po, "Yes") is None


def test_a_catalog_in_another_charset(tmp_path: Path) -> None:
    po = tmp_path / "x.po"
    text = (HEADER.replace("UTF-8", "ISO-8859-1")
            + f'\n{approved("Yes", "Sí", "Ana María")}\nmsgid "Yes"\nmsgstr "Sí"\n')
    po.write_bytes(text.encode("latin-1"))
    found = counted(po, "Yes")
    assert found is not None and found[1].reviewer == "Ana María"


# -- git: blame and log --------------------------------------------------------------------


def test_blame_names_the_commit_of_each_line(repo: Path) -> None:
    po = repo / "x.po"
    one, two = b"# locflow-approved: 2024-11-05 Ana Ruiz", b"# a translator's note, long enough"
    po.write_bytes(one + b"\r\n" + two + b"\n")
    first = commit_all(repo, "ana")
    po.write_bytes(one + b"\r\n" + two + b"\nthree\n")
    assert blame_lines(po) == [(first, one), (first, two), (UNCOMMITTED, b"three")]
    second = commit_all(repo, "bob")
    po.write_bytes(two + b"\n" + one + b"\r\nthree\n")  # moved lines keep their commit (-M)
    assert blame_lines(po) == [(first, two), (first, one), (second, b"three")]


def test_a_catalog_reached_through_a_link(repo: Path, tmp_path: Path) -> None:
    (repo / "x.po").write_text("one\n")
    first = commit_all(repo, "ana")
    link = tmp_path / "link.po"
    link.symlink_to(repo / "x.po")
    assert blame_lines(link) == [(first, b"one")]


def test_a_catalog_git_does_not_track(repo: Path) -> None:
    (repo / "tracked").write_text("x\n")
    commit_all(repo, "ana")
    po = repo / "new.po"
    po.write_bytes(b"# locflow-approved: x\r\nmsgid\n")
    assert blame_lines(po) == [(UNCOMMITTED, b"# locflow-approved: x"), (UNCOMMITTED, b"msgid"),
                               (UNCOMMITTED, b"")]


def test_a_repositorys_ignore_revs_file_cannot_hide_a_commit(repo: Path) -> None:
    po = repo / "x.po"
    po.write_text("one\n")
    commit_all(repo, "ana")
    po.write_text("one\ntwo\n")
    bobs = commit_all(repo, "bob")
    (repo / ".git-blame-ignore-revs").write_text(bobs + "\n")
    run_git(repo, "config", "blame.ignoreRevsFile", ".git-blame-ignore-revs")
    assert blame_lines(po)[1] == (bobs, b"two")


def test_commits_are_read_raw(repo: Path) -> None:
    (repo / ".mailmap").write_text("Ana Ruiz <ana@paper.example> <bob@paper.example>\n")
    bobs = commit_all(repo, "bob")
    path = repo / ".mailmap"
    found = commits(path, [bobs, UNCOMMITTED, bobs], signatures=False)
    assert found == {bobs: Commit(bobs, "Bob Lee", "bob@paper.example")}
    (repo / "x").write_text("x\n")
    anas = commit_all(repo, "ana")
    assert commits(path, [anas, bobs], signatures=True) == {
        bobs: Commit(bobs, "Bob Lee", "bob@paper.example", "N", ""),
        anas: Commit(anas, "Ana Ruiz", "ana@paper.example", "N", "")}
    assert commits(path, [bobs], signatures=True)[bobs].signature == "N"
    assert commits(path, [UNCOMMITTED], signatures=True) == {}
    with pytest.raises(InputError, match="git log could not read"):
        commits(path, ["1" * 40], signatures=False)


def test_what_is_not_a_usable_repository(tmp_path: Path, repo: Path) -> None:
    outside = tmp_path / "x.po"
    outside.write_text("x\n")
    with pytest.raises(InputError, match="not in a git repository"):
        blame_lines(outside)
    with pytest.raises(InputError, match="not in a git repository"):
        blame_lines(repo / ".git" / "description")  # in the repository, not its work tree
    (repo / "x.po").write_text("x\n")
    commit_all(repo, "ana")
    (repo / "x.po").write_text("y\n")
    commit_all(repo, "bob")
    shallow = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo}", str(shallow)],
                   check=True, capture_output=True)
    with pytest.raises(InputError, match="shallow clone"):
        blame_lines(shallow / "x.po")


def test_git_missing_or_too_slow(repo: Path, tmp_path: Path,
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    (repo / "x.po").write_text("x\n")
    sleep = shutil.which("sleep")
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    with pytest.raises(InputError, match="git is not installed"):
        blame_lines(repo / "x.po")
    slow = empty / "git"
    slow.write_text(f"#!/bin/sh\nexec {sleep} 5\n")
    slow.chmod(0o755)
    monkeypatch.setattr(trust, "TIMEOUT", 0.2)
    with pytest.raises(InputError, match=r"git rev-parse took longer than 0\.2 s"):
        blame_lines(repo / "x.po")


# -- judging a commit ------------------------------------------------------------------------


def test_an_editor_with_an_e_mail_is_proven_by_the_author_e_mail() -> None:
    assert judge("Ana Ruiz", Commit("a" * 40, "Someone", "ANA@Paper.Example"), [ANA],
                 False) is None
    assert judge("Ana Ruiz", Commit("a" * 40, "Ana Ruiz", "bob@paper.example"), [ANA],
                 False) == ("approval by Ana Ruiz committed by Ana Ruiz <bob@paper.example> "
                            "(aaaaaaaaaaaa), who is not Ana Ruiz")
    assert judge("Ana Ruiz", None, [ANA], False) == (
        "approval by Ana Ruiz is not committed: it cannot be verified")
    assert judge("Carla", Commit("a" * 40, "Carla", "ana@paper.example"), [ANA], False) == (
        "approval by Carla, who is not a listed editor ([review] editors)")


@pytest.mark.parametrize(("signature", "signer", "problem"), [
    ("G", "ana@paper.example", None),  # an SSH principal
    ("G", "Ana R. <ANA@paper.example>", None),  # a GPG user ID
    ("G", "Ana Ruiz", "which is signed by Ana Ruiz (G)"),  # the name is no e-mail
    ("G", "bob@paper.example", "which is signed by bob@paper.example (G)"),
    ("G", "Bob <bob@paper.example> <ana@paper.example>", "which is signed by Bob <"),
    ("U", "ana@paper.example", "which is signed by ana@paper.example (U)"),
    ("B", "", "which is signed by an unknown key (B)"),
    ("N", "", "which is not signed"),
])
def test_require_signed(signature: str, signer: str, problem: str | None) -> None:
    commit = Commit("a" * 40, "Ana Ruiz", "ana@paper.example", signature, signer)
    assert judge("Ana Ruiz", commit, [ANA], False) is None
    found = judge("Ana Ruiz", commit, [ANA], True)
    if problem is None:
        assert found is None
    else:
        assert found is not None and found.startswith(
            f"approval by Ana Ruiz in commit aaaaaaaaaaaa, {problem}")
        assert found.endswith(": a good signature by Ana Ruiz is required")


@pytest.mark.parametrize(("signature", "signer", "proven"), [
    ("G", "desk-editor", True),  # the SSH principal CI's allowed signers give the key
    ("G", "Desk-Editor <desk@paper.example>", True),  # the name of a GPG user ID
    ("G", "desk-editor@paper.example", False),
    ("G", "Ana Ruiz <desk-editor>", False),
    ("U", "desk-editor", False),
    ("N", "", False),
])
@pytest.mark.parametrize("require_signed", [False, True])
def test_an_editor_listed_by_name_only_needs_a_signature(
        signature: str, signer: str, proven: bool, require_signed: bool) -> None:
    """Issue 17: the author name of a commit is whatever its committer typed."""
    commit = Commit("b" * 40, "desk-editor", "desk@paper.example", signature, signer)
    found = judge("desk-editor", commit, [DESK], require_signed)
    if proven:
        assert found is None
    else:
        assert found is not None and found.startswith("approval by desk-editor in commit bbb")
        assert found.endswith(": desk-editor is listed by name only, which only a good "
                              "signature by a key trusted for that name proves")


def test_any_editor_of_that_name_may_prove_it() -> None:
    desk_with_mail = Editor("desk-editor", "desk@paper.example")
    commit = Commit("c" * 40, "Carla", "desk@paper.example")
    assert judge("desk-editor", commit, [DESK, desk_with_mail], False) is None
    assert judge("desk-editor", commit, [desk_with_mail, DESK], False) is None
    other = Commit("c" * 40, "Carla", "carla@paper.example")
    assert "listed by name only" in str(judge("desk-editor", other, [DESK, desk_with_mail],
                                              False))
    assert "who is not desk-editor" in str(judge("desk-editor", other, [desk_with_mail, DESK],
                                                 False))


# -- the whole catalog -----------------------------------------------------------------------


def _catalog(root: Path, *entries: tuple[str, str, str]) -> Path:
    """A catalog of (comment lines, msgid, msgstr) entries."""
    po = root / "es.po"
    body = "".join(f'\n{comments}msgid "{msgid}"\nmsgstr "{msgstr}"\n'
                   for comments, msgid, msgstr in entries)
    po.write_text(HEADER + body, "utf-8")
    return po


def verify(po: Path, editors: list[Editor], require_signed: bool = False) -> list[str]:
    catalog = pofile.load(po)
    return [f"{f.line}: {f.message}" for f in approvals.verify_catalog(
        po, catalog.entries, "es.po", "es", None, editors, require_signed)]


def test_only_approvals_that_count_are_verified(tmp_path: Path) -> None:
    """No approval that counts: git is not even asked (this folder is no repository)."""
    stale = approved("Yes", "Sí") + "\n"
    po = _catalog(tmp_path, (stale, "Yes", "Sí, claro"), ("#, fuzzy\n" + stale, "Yes?", "Sí"))
    po.write_text(po.read_text("utf-8") + f'\n{approved("No", "No")}\n#~ msgid "No"\n'
                  '#~ msgstr "No"\n', "utf-8")
    assert verify(po, [ANA]) == []


def test_forged_and_verified_approvals(repo: Path) -> None:
    po = _catalog(repo, ("", "Yes", "Sí"), ("", "No", "No"), ("", "Maybe", "Quizás"))
    commit_all(repo, "bob")
    text = po.read_text("utf-8")
    text = text.replace('msgid "Yes"', approved("Yes", "Sí") + '\nmsgid "Yes"')
    po.write_text(text, "utf-8")
    commit_all(repo, "ana")  # Ana approves Yes
    text = text.replace('msgid "No"', approved("No", "No") + '\nmsgid "No"')
    text = text.replace('msgid "Maybe"', approved("Maybe", "Quizás", "Carla") + '\nmsgid "Maybe"')
    po.write_text(text, "utf-8")
    bobs = commit_all(repo, "bob")
    text = text.replace("# locflow-approved: 2024-11-05 Ana Ruiz (", "# a note\n"
                        "# locflow-approved: 2024-11-05 Ana Ruiz (", 1)
    po.write_text(text, "utf-8")  # Yes: Ana's line, moved one line down and not committed
    assert verify(po, [ANA]) == [
        f"11: approval by Ana Ruiz committed by Bob Lee <bob@paper.example> ({bobs[:12]}), "
        "who is not Ana Ruiz",
        "15: approval by Carla, who is not a listed editor ([review] editors)"]


def test_signatures_are_not_required_unless_asked(repo: Path) -> None:
    po = _catalog(repo, (approved("Yes", "Sí") + "\n", "Yes", "Sí"))
    commit_all(repo, "ana")
    catalog = pofile.load(po)
    assert approvals.verify_catalog(po, catalog.entries, "es.po", "es", None, [ANA]) == []
    assert len(approvals.verify_catalog(po, catalog.entries, "es.po", "es", None, [ANA],
                                        require_signed=True)) == 1


def test_an_approval_git_cannot_place_is_not_verified(repo: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    po = _catalog(repo, (approved("Yes", "Sí") + "\n", "Yes", "Sí"))
    commit_all(repo, "ana")
    assert verify(po, [ANA]) == []
    monkeypatch.setattr(approvals, "blame_lines", lambda path: [])
    assert verify(po, [ANA]) == [
        "7: the approval is not among the entry's comments as git blame reads the file: it "
        "cannot be verified"]


@pytest.fixture
def ssh_signing(repo: Path, tmp_path: Path) -> Iterator[dict[str, Path]]:
    if shutil.which("ssh-keygen") is None:
        pytest.skip("needs ssh-keygen")
    keys = {}
    for who in ("desk", "bob"):
        keys[who] = tmp_path / who
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", who, "-f",
                        str(keys[who])], check=True)
    allowed = tmp_path / "allowed_signers"
    allowed.write_text(f"desk-editor {(tmp_path / 'desk.pub').read_text().strip()}\n"
                       f"bob@paper.example {(tmp_path / 'bob.pub').read_text().strip()}\n")
    run_git(repo, "config", "gpg.format", "ssh")
    run_git(repo, "config", "gpg.ssh.allowedSignersFile", str(allowed))
    yield keys


def test_a_signed_commit_proves_an_editor_listed_by_name(repo: Path,
                                                         ssh_signing: dict[str, Path]) -> None:
    po = _catalog(repo, (approved("Yes", "Sí", "desk-editor") + "\n", "Yes", "Sí"),
                  ("", "No", "No"))
    desks = commit_all(repo, "carla", f"-S{ssh_signing['desk']}")
    assert commits(po, [desks], signatures=True)[desks] == Commit(
        desks, "carla", "carla@paper.example", "G", "desk-editor")
    assert verify(po, [DESK]) == []  # signatures are read for a name-only editor
    po.write_text(po.read_text("utf-8").replace(
        'msgid "No"', approved("No", "No", "desk-editor") + '\nmsgid "No"'), "utf-8")
    bobs = commit_all(repo, "desk-editor", f"-S{ssh_signing['bob']}")
    assert verify(po, [DESK]) == [
        f"10: approval by desk-editor in commit {bobs[:12]}, which is signed by "
        "bob@paper.example (G): desk-editor is listed by name only, which only a good "
        "signature by a key trusted for that name proves"]


def test_a_commit_signed_with_gpg(repo: Path, tmp_path: Path,
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """A GPG key's user ID ``Name <e-mail>``: its e-mail proves an editor with that e-mail
    (require_signed), its name an editor listed by name."""
    if shutil.which("gpg") is None or shutil.which("gpgconf") is None:
        pytest.skip("needs gpg")
    home = tmp_path / "gnupg"
    home.mkdir(mode=0o700)
    monkeypatch.setenv("GNUPGHOME", str(home))
    try:
        subprocess.run(["gpg", "--batch", "--passphrase", "", "--quick-gen-key",
                        "Ana Ruiz <ana@paper.example>", "ed25519", "sign", "never"],
                       check=True, capture_output=True, timeout=60)
        po = _catalog(repo, (approved("Yes", "Sí") + "\n", "Yes", "Sí"))
        commit_all(repo, "ana", "-Sana@paper.example")
        assert verify(po, [ANA], require_signed=True) == []
        assert verify(po, [Editor("Ana Ruiz")]) == []
        assert len(verify(po, [Editor("Ana")])) == 1
    finally:
        subprocess.run(["gpgconf", "--kill", "all"], check=False, capture_output=True,
                       timeout=60)
