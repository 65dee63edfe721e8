"""Who approved: checking each approval against git history (``check --verify-approvals``).

An approval comment (``# locflow-approved: DATE NAME (hash)``) has no secret in it:
anyone who can edit a catalog can write one. What a file cannot forge by itself is
who committed it. For each approved entry, ``git blame`` names the commit that last
wrote the approval line the review state counts (the one
:func:`locflow.review.counted_approval` reads: an old hash-less line, a tab-indented
one, the entry's other comments are never taken for it); the approval is *verified*
when that commit is proven to be a listed editor's (``[review] editors``) under the
name the approval records:

* an editor ``"Name <e-mail>"``: the commit's author e-mail is that address
  (case-insensitive); with ``require_signed`` the commit also carries a good
  signature (git's ``%G?`` is ``G``) whose signer (``%GS``: the key's UID or SSH
  principal) has that e-mail or that name;
* an editor ``"Name"`` (no e-mail; a role such as ``desk-editor``): the commit carries
  a good signature whose signer is that name (the SSH principal, or the name of the
  GPG key's UID), whatever ``require_signed`` says. A commit's author name is what its
  committer typed, so it proves nothing and is not looked at.

Author identities are read raw (``%an``/``%ae``): a committed ``.mailmap`` cannot
rename an author into an editor. Moved lines keep their commit (``blame -M``), so a
sync that reorders entries does not void approvals. A line not committed yet, or
committed by anyone else, is a ``forged-approval`` finding.

It proves who *committed* an approval as git records it. It cannot tell who typed
it: an author name and e-mail are whatever the committer's git config says, unless
the git host verifies them or commits are signed (``require_signed``). Whoever can
push as an editor, or rewrite the history CI sees, can still approve. The editor list
itself must come from where the branch under review cannot change it
(``check --base``: :mod:`locflow.trust`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .config import Editor
from .errors import InputError
from .model import Finding, ReviewState, Severity
from .review import (
    APPROVED_PREFIX,
    PREVIOUS_PREFIX,
    Approval,
    counted_approval,
    entry_state,
    previous_approval,
)
from .trust import git

if TYPE_CHECKING:
    import polib

__all__ = ["Commit", "blame_lines", "commits", "counted_line", "judge", "verify_catalog"]

CHECK = "forged-approval"
UNCOMMITTED = "0" * 40
_HEADER = re.compile(rb"^([0-9a-f]{40}) \d+ (\d+)(?: \d+)?$")
_UID = re.compile(r"([^<>]*?)\s*<([^<>]*)>")  # a signer "Name <e-mail>" (GPG); else a principal


@dataclass(frozen=True)
class Commit:
    """What the check needs of a commit: its raw author and its signature."""

    sha: str
    author_name: str
    author_email: str
    signature: str = "N"  # git's %G?: G good, B bad, U unknown validity, N none, ...
    signer: str = ""  # git's %GS

    @property
    def author(self) -> str:
        return f"{self.author_name} <{self.author_email}>"


def _repository_of(path: Path) -> Path:
    """The folder to run git in for *path*; InputError if it is in no usable repository."""
    folder = path.resolve().parent
    inside = git(folder, "rev-parse", "--is-inside-work-tree", "--is-shallow-repository")
    answers = inside.stdout.decode("ascii", "replace").split()
    if inside.returncode != 0 or answers[:1] != ["true"]:
        raise InputError("not in a git repository: --verify-approvals reads git history",
                         path=path)
    if answers[1:] == ["true"]:
        # a shallow clone attributes every older line to its oldest commit
        raise InputError("the repository is a shallow clone: fetch the whole history "
                         "(actions/checkout: fetch-depth: 0)", path=path)
    return folder


def blame_lines(path: Path) -> list[tuple[str, bytes]]:
    """``(commit, line)`` for each line of *path* as it is on disk (1-based: index + 1).

    Lines not committed yet have the commit ``"0" * 40``; so has every line of a file
    git does not track.
    """
    path = path.resolve()  # a link's target is what git tracks
    folder = _repository_of(path)
    # An empty --ignore-revs-file clears the list: a repository's blame.ignoreRevsFile
    # cannot hide who wrote a line.
    result = git(folder, "blame", "--porcelain", "-M", "--ignore-revs-file=", "--no-textconv",
                  "--", path.name)
    if result.returncode != 0:
        data = path.read_bytes()
        return [(UNCOMMITTED, line.rstrip(b"\r")) for line in data.split(b"\n")]
    lines: list[tuple[str, bytes]] = []
    commit = None
    for raw in result.stdout.split(b"\n"):
        if commit is None:
            header = _HEADER.match(raw)
            if header:
                commit = header.group(1).decode("ascii")
        elif raw.startswith(b"\t"):  # the line itself ends a record
            lines.append((commit, raw[1:].rstrip(b"\r")))
            commit = None
    return lines


def commits(path: Path, shas: Iterable[str], signatures: bool) -> dict[str, Commit]:
    """The commits *shas* of the repository holding *path* (no mailmap applied)."""
    wanted = sorted(set(shas) - {UNCOMMITTED})
    if not wanted:
        return {}
    fields = "%H%x00%an%x00%ae" + ("%x00%G?%x00%GS" if signatures else "")
    result = git(_repository_of(path), "-c", "log.showSignature=false",
                  "log", "--no-walk=unsorted", "--no-mailmap", "-z",
                  f"--format={fields}", "--stdin", stdin="\n".join(wanted).encode())
    if result.returncode != 0:
        raise InputError("git log could not read the commits of its approvals", path=path)
    width = 5 if signatures else 3
    values = iter(result.stdout.decode("utf-8", "replace").split("\x00"))
    found: dict[str, Commit] = {}
    for fields_ in zip(*[values] * width, strict=False):  # (the output ends with a NUL)
        record = [v.strip("\n") for v in fields_]
        found[record[0]] = Commit(*record)
    return found


def _signer(commit: Commit) -> tuple[str, str]:
    """``(name, e-mail)`` of the key that signed *commit* (casefolded): a GPG UID
    ``Name <e-mail>`` gives both; an SSH principal (or a UID without ``<…>``) is both."""
    signer = commit.signer.strip()
    uid = _UID.fullmatch(signer)
    if uid is not None:
        return uid.group(1).casefold(), uid.group(2).strip().casefold()
    return signer.casefold(), signer.casefold()


def _proof(editor: Editor, commit: Commit, require_signed: bool) -> str | None:
    """What *commit* lacks to be *editor*'s: ``"author"`` (its author e-mail is another),
    ``"signature"`` (a good signature by the editor), or None when it is proven."""
    name, email = _signer(commit)
    if editor.email is None:
        # a name is what a committer types: only a key CI trusts for that name proves it
        good = commit.signature == "G" and name == editor.name.casefold()
        return None if good else "signature"
    if commit.author_email.casefold() != editor.email.casefold():
        return "author"
    good = commit.signature == "G" and email == editor.email.casefold()
    return None if good or not require_signed else "signature"


def judge(reviewer: str, commit: Commit | None, editors: Sequence[Editor],
          require_signed: bool) -> str | None:
    """Why an approval recorded under *reviewer* and written by *commit* is not verified.

    ``None`` when it is. *commit* is None for a line not committed yet.

    >>> ana = Editor("Ana Ruiz", "ana@paper.example")
    >>> judge("Ana Ruiz", Commit("c0ffee", "Ana", "ANA@paper.example"), [ana], False) is None
    True
    >>> judge("Ana Ruiz", Commit("c0ffee", "Ana Ruiz", "bob@paper.example"), [ana], False)
    'approval by Ana Ruiz committed by Ana Ruiz <bob@paper.example> (c0ffee), who is not ...'
    >>> desk = Editor("desk-editor")  # by name only: the author's name proves nothing
    >>> judge("desk-editor", Commit("c0ffee", "desk-editor", "d@x"), [desk], False)
    'approval by desk-editor in commit c0ffee, which is not signed: desk-editor is listed ...'
    >>> judge("desk-editor", Commit("c0ffee", "Carla", "c@x", "G", "desk-editor"), [desk],
    ...       False) is None
    True
    """
    named = [e for e in editors if e.name == reviewer]
    if not named:
        return f"approval by {reviewer}, who is not a listed editor ([review] editors)"
    if commit is None:
        return f"approval by {reviewer} is not committed: it cannot be verified"
    problems = [_proof(editor, commit, require_signed) for editor in named]
    if None in problems:
        return None
    short = commit.sha[:12]
    if problems[0] == "author":
        return (f"approval by {reviewer} committed by {commit.author} ({short}), "
                f"who is not {reviewer}")
    how = "not signed" if commit.signature == "N" else (
        f"signed by {commit.signer or 'an unknown key'} ({commit.signature})")
    why = (f"a good signature by {reviewer} is required" if named[0].email is not None else
           f"{reviewer} is listed by name only, which only a good signature by a key "
           f"trusted for that name proves")
    return f"approval by {reviewer} in commit {short}, which is {how}: {why}"


def _comment_text(raw: bytes, encoding: str) -> str | None:
    """The translator-comment text of one raw line of a PO file, as the reader gives it
    (``#`` and one space taken off); None for any other line."""
    if raw[:1] != b"#" or raw[1:2] in (b":", b",", b".", b"=", b"|", b"~"):
        return None
    text = raw[1:].decode(encoding, "replace")  # (what the reader could not decode differs)
    return text[1:] if text[:1] == " " else text


def counted_line(lines: Sequence[tuple[str, bytes]],
                 entry: polib.POEntry) -> tuple[int, Approval] | None:
    """The 0-based index in *lines* of the approval line the review state counts for
    *entry*, and that approval; None when the lines above its msgid are not exactly its
    translator comments (or hold no approval).

    The comments of an entry sit right above its ``msgctxt``/``msgid`` (``#|`` lines and
    continued strings among them). The translator comments found there must be the
    entry's (``tcomment``, which the review state reads), line for line: then the
    approval :func:`locflow.review.counted_approval` picks among them is the line to
    blame, and no other comment (an old hash-less approval, a tab-indented one) can
    stand in for it.
    """
    encoding = getattr(entry, "encoding", None) or "utf-8"
    index = entry.line - 2  # the line above the msgid
    found: list[tuple[int, str]] = []
    while 0 <= index < len(lines):
        raw = lines[index][1]
        if not raw.startswith((b"#", b"msgctxt", b'"')) or raw.startswith(b"#~"):
            break
        text = _comment_text(raw, encoding)
        if text is not None:
            found.append((index, text))
        index -= 1
    found.reverse()
    texts = [text for _, text in found]
    counted = counted_approval(texts)
    if counted is None or "\n".join(texts) != entry.tcomment:
        return None
    return found[counted[0]][0], counted[1]


def approval_commit(path: Path, line: str) -> str | None:
    """The first commit of *path*'s history (as HEAD reaches it) that added the comment
    *line*, or None if none did. Used for approvals that are no longer on their entry:
    the record of what was approved for an earlier source (``locflow-previous``) is
    written by ``sync``; the approval it carries must have been committed by an editor."""
    path = path.resolve()
    folder = _repository_of(path)
    result = git(folder, "log", "--format=%H", "--reverse", "--no-textconv", "--no-renames",
                 "-S" + line, "--", path.name)
    if result.returncode != 0:
        return None
    first = result.stdout.decode("ascii", "replace").split()
    return first[0] if first else None


def _previous_problem(path: Path, entry: polib.POEntry, editors: Sequence[Editor],
                      require_signed: bool, signatures: bool) -> str | None:
    """Why the text approved for an earlier source of *entry* (which the build may
    publish as outdated) is not vouched for; None when an editor committed its approval."""
    found = previous_approval(entry)
    if found is None:
        return None
    first = found.approval
    line = f"# {APPROVED_PREFIX} {first.date} {first.reviewer} ({first.text_hash})"
    sha = approval_commit(path, line)
    commit = commits(path, [sha], signatures).get(sha) if sha is not None else None
    problem = judge(first.reviewer, commit, editors, require_signed)
    if problem is None:
        return None
    return f"the approval of the outdated text the page may show: {problem}"


def verify_catalog(
    path: Path,
    catalog: Iterable[polib.POEntry],
    label: str,
    locale: str | None,
    article: str | None,
    editors: Sequence[Editor],
    require_signed: bool = False,
) -> list[Finding]:
    """A ``forged-approval`` error for each approval of *catalog* git does not vouch for.

    Only approvals that count (the entry's state is approved) are checked: a stale
    one approves nothing. *catalog* must be the file at *path* as it is on disk.
    """
    entries = [e for e in catalog if not e.obsolete]
    approved = [e for e in entries if entry_state(e) is ReviewState.APPROVED]
    signatures = require_signed or any(e.email is None for e in editors)
    findings = []
    for entry in entries:  # outdated text a living page may show: its approval too
        comments = entry.tcomment or ""
        outdated = PREVIOUS_PREFIX in comments or (
            entry.previous_msgid is not None and APPROVED_PREFIX in comments)
        if outdated and entry_state(entry) is not ReviewState.APPROVED:
            unvouched = _previous_problem(path, entry, editors, require_signed, signatures)
            if unvouched is not None:
                findings.append(Finding(CHECK, Severity.ERROR, unvouched, label, entry.line,
                                        entry.msgid, entry.msgctxt, locale, article))
    if not approved:
        return findings
    lines = blame_lines(path)
    known = commits(path, (sha for sha, _ in lines), signatures)
    for entry in approved:
        problem: str | None
        counted = counted_line(lines, entry)
        if counted is None:
            line = entry.line
            problem = ("the approval is not among the entry's comments as git blame reads "
                       "the file: it cannot be verified")
        else:
            line = counted[0] + 1
            problem = judge(counted[1].reviewer, known.get(lines[counted[0]][0]), editors,
                            require_signed)
        if problem is not None:
            findings.append(Finding(CHECK, Severity.ERROR, problem, label, line,
                                    entry.msgid, entry.msgctxt, locale, article))
    return findings
